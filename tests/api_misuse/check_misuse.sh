#!/bin/sh
# Compiles SOURCE with CC and its arguments (meant: no -W flags, the
# compiler's default mode) and checks that the lines marked MISUSE (ending in
# the comment "/* MISUSE */"), and only they, draw a diagnostic: a warning or
# an error. A diagnostic reported inside a header's macro counts for the
# source line that expanded the macro.
# usage: check_misuse.sh SOURCE CC [CC_ARGS...]
set -u
src=$1
shift
name=$(basename "$src")
tmp=${TMPDIR:-/tmp}/check_misuse.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

# The exit status is not the point: misuses that are errors fail the compile.
"$@" -fsyntax-only "$src" >"$tmp/out" 2>&1

grep -n '/\* MISUSE \*/' "$src" | cut -d: -f1 | sort -n >"$tmp/expected"
awk -v name="$name" '
    function srcline(s,   f) { f = s; sub(/:.*/, "", f); n = split(f, parts, "/"); return parts[n] == name }
    /: (warning|error): / {
        split($0, a, ":")
        if (srcline($0)) { print a[2]; pending = 0 } else pending = 1
        next
    }
    pending && /: note: in expansion of macro/ && srcline($0) { split($0, a, ":"); print a[2]; pending = 0 }
' "$tmp/out" | sort -n | uniq >"$tmp/diagnosed"

status=0
if [ ! -s "$tmp/expected" ]; then
    echo "no MISUSE lines in $src" >&2
    exit 1
fi
if comm -23 "$tmp/expected" "$tmp/diagnosed" | grep . >"$tmp/silent"; then
    echo "misuses the compiler accepted without a word (lines of $name):" >&2
    while read -r line; do sed -n "${line}p" "$src" | sed "s/^ */  $line: /" >&2; done <"$tmp/silent"
    status=1
fi
if comm -13 "$tmp/expected" "$tmp/diagnosed" | grep . >"$tmp/extra"; then
    echo "diagnostics on lines not marked MISUSE (lines of $name): $(tr '\n' ' ' <"$tmp/extra")" >&2
    status=1
fi
if [ $status -ne 0 ]; then
    echo "--- the compiler said:" >&2
    cat "$tmp/out" >&2
else
    echo "$(wc -l <"$tmp/expected") misuses, each diagnosed; no other diagnostic"
fi
exit $status
