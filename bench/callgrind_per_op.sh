#!/bin/sh
# Instructions per operation of each workload phase, prismac and hand-written,
# counted by callgrind (deterministic, unlike timings on a shared machine).
#
#   bench/callgrind_per_op.sh BENCH_EXE PRISMAC SCHEMA [N]
#
# e.g. from the build folder:
#   ../bench/callgrind_per_op.sh bench/bench_workload_sqlite_3_53 generator/prismac ../bench/workload_sqlite.prisma
#
# Runs the benchmark under `valgrind --tool=callgrind` with N operations per
# phase (PRISMAC_BENCH_N, default 1000), then divides each phase function's
# inclusive cost (pwK: prismac, rwK: hand-written; see bench_workload.c) by
# its number of calls. W5's functions run a batch of 100 rows: per row here.
# The calls include each phase's warm-up and first prepare (a few hundred
# instructions per operation at most, on both sides).
set -eu
[ $# -ge 3 ] || { echo "usage: $0 BENCH_EXE PRISMAC SCHEMA [N]" >&2; exit 2; }
exe=$1 prismac=$2 schema=$3 n=${4:-1000}
out=$(mktemp /tmp/prismac-callgrind-XXXXXX)
trap 'rm -f "$out"' EXIT
PRISMAC_BENCH_N=$n valgrind --quiet --tool=callgrind --callgrind-out-file="$out" "$exe" "$prismac" "$schema" >/dev/null
callgrind_annotate --inclusive=yes --tree=caller "$out" 2>/dev/null |
  sed -n 's/^ *\([0-9,]*\) ([ 0-9.%]*) *=> [^ ]*:\([pr]w[0-9]*\) (\([0-9,]*\)x).*/\2 \1 \3/p' | tr -d , |
  sort -u |
  awk '{ side = substr($1, 1, 1); ph = "W" substr($1, 3); per = $2 / $3; if (ph == "W5") per /= 100;
         v[ph, side] = per; phases[ph] = 1 }
       END { printf "%-6s %12s %12s %7s\n", "phase", "prismac", "hand", "ratio";
             for (i = 1; i <= 11; i++) { ph = "W" i; if (!(ph in phases)) continue;
               printf "%-6s %12.0f %12.0f %7.3f\n", ph, v[ph, "p"], v[ph, "r"], v[ph, "p"] / v[ph, "r"] } }'
