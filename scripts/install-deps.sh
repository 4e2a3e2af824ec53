#!/bin/sh
# Installs, with apt-get, whatever prismac needs that this Debian machine lacks.
#   scripts/install-deps.sh          build dependencies
#   scripts/install-deps.sh --test   plus what the test suite needs (PostgreSQL, MariaDB, valgrind, clang)
set -eu

want="meson ninja-build flex bison pkg-config gcc libc6-dev libsqlite3-dev libpq-dev libmariadb-dev check"
if [ "${1:-}" = "--test" ]; then
    want="$want postgresql mariadb-server pgbouncer openssl valgrind clang libclang-rt-14-dev"
fi

missing=""
for p in $want; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "Installing:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
