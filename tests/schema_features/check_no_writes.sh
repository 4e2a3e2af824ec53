#!/bin/sh
# Compiles no_writes.c once per case (-DCASE=n) with CC and its arguments:
# case 0 (what must exist) must compile; every other case must fail, and the
# compiler must name the thing the case's line names (`#elif CASE == n /* x */`).
# usage: check_no_writes.sh SOURCE CC [CC_ARGS...]
set -u
src=$1
shift
tmp=${TMPDIR:-/tmp}/check_no_writes.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
status=0
if ! "$@" -fsyntax-only -DCASE=0 "$src" >"$tmp/out" 2>&1; then
    echo "case 0 (what must exist) does not compile:" >&2
    cat "$tmp/out" >&2
    exit 1
fi
n=0
for line in $(grep -o '^#elif CASE == [0-9]* /\* [A-Za-z_]* \*/' "$src" | sed 's|^#elif CASE == \([0-9]*\) /\* \([A-Za-z_]*\) \*/|\1:\2|'); do
    case_n=${line%%:*}
    name=${line#*:}
    n=$((n + 1))
    if "$@" -fsyntax-only -DCASE="$case_n" "$src" >"$tmp/out" 2>&1; then
        echo "case $case_n compiled, but \`$name\` must not exist" >&2
        status=1
    elif ! grep -q "$name" "$tmp/out"; then
        echo "case $case_n failed without naming \`$name\`:" >&2
        cat "$tmp/out" >&2
        status=1
    fi
done
if [ "$n" -lt 20 ]; then
    echo "only $n cases found in $src" >&2
    status=1
fi
[ $status -eq 0 ] && echo "case 0 compiles; $n cases refused, each naming what is missing"
exit $status
