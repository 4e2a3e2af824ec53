#!/bin/sh
# libprisma.so exports exactly what include/prisma/*.h declares: every
# function and object declared there is exported, and nothing else is.
# usage: check_exports.sh LIBPRISMA_SO INCLUDE_DIR CC [CC_ARGS...]
set -eu
lib=$1
inc=$2
shift 2
tmp=${TMPDIR:-/tmp}/check_exports.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

# Defined dynamic symbols, version suffixes and the version node (type A) aside.
nm -D --defined-only "$lib" | awk '$2 != "A" { sub(/@.*/, "", $3); print $3 }' | sort -u >"$tmp/exported"

# Names declared in the public headers, comments and macros gone: a name
# followed by ( is a function, by [ an array object (prisma_null_string), an
# extern one ending in ; an object (prisma_given_mark).
printf '#include "prisma/prisma.h"\n#include "prisma/model.h"\n' |
    "$@" -E -P -I"$inc" -x c - >"$tmp/headers"
{
    grep -oE '(^|[^A-Za-z0-9_])prisma_[A-Za-z0-9_]+[[:space:]]*[([]' "$tmp/headers" |
        sed -E 's/^[^p]*//; s/[[:space:]]*[([]$//'
    grep -E '^extern [^(]*[^A-Za-z0-9_]prisma_[A-Za-z0-9_]+;' "$tmp/headers" |
        sed -E 's/.*[^A-Za-z0-9_](prisma_[A-Za-z0-9_]+);.*/\1/'
} | sort -u >"$tmp/declared"

if [ ! -s "$tmp/declared" ]; then
    echo "no declarations found in $inc/prisma" >&2
    exit 1
fi
status=0
if comm -23 "$tmp/exported" "$tmp/declared" | grep . >"$tmp/extra"; then
    echo "exported by $lib but not declared in the public headers:" >&2
    cat "$tmp/extra" >&2
    status=1
fi
if comm -13 "$tmp/exported" "$tmp/declared" | grep . >"$tmp/missing"; then
    echo "declared in the public headers but not exported by $lib:" >&2
    cat "$tmp/missing" >&2
    status=1
fi
[ $status -eq 0 ] && echo "$(wc -l <"$tmp/exported") symbols exported, all declared, all declared exported"
exit $status
