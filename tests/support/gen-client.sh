#!/bin/sh
# Generates the client of one (suite, backend) pair for the tests:
#   gen-client.sh PRISMAC SCHEMA OUTDIR NAME
# prismac always writes client.h and client.c, so each pair gets its own folder
# OUTDIR/NAME; OUTDIR/NAME_client.h and OUTDIR/NAME_client.c include them, so
# that one meson.build can declare every pair's outputs side by side.
set -e
prismac=$1 schema=$2 outdir=$3 name=$4
"$prismac" generate --schema "$schema" --output "$outdir/$name" >/dev/null
printf '#include "%s/client.h"\n' "$name" >"$outdir/${name}_client.h"
printf '#include "%s/client.c"\n' "$name" >"$outdir/${name}_client.c"
