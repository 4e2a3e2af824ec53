#!/bin/sh
# Runs the whole test suite: a normal build, then an AddressSanitizer +
# UndefinedBehaviorSanitizer build (every test but the compile-only checks of
# generated code, which the normal build ran). PostgreSQL tests start their
# own server. A clang build in between keeps the code warning-free under both
# compilers.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh --test
[ -d build ] || meson setup build
meson compile -C build
meson test -C build --print-errorlogs
# The clang build checks our code's warnings: SQLite's amalgamation (the
# benchmarks' second SQLite, compiled with -w) would only cost minutes.
[ -d build-clang ] || CC=clang meson setup build-clang -Dbench_sqlite_current=disabled
meson compile -C build-clang
[ -d build-asan ] || meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
# No `meson compile` here: `meson test` builds what the tests it runs need,
# and the rest (the benchmarks, with SQLite's 270,000-line amalgamation: minutes under the sanitizers) was
# compiled by the two builds above.
# The suite `compile_only` (generated code compiled by gcc, clang and g++, no
# program of ours run) passed in the normal build on the same files.
CK_TIMEOUT_MULTIPLIER=4 meson test -C build-asan --print-errorlogs --timeout-multiplier 4 --no-suite compile_only
