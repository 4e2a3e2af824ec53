#!/bin/sh
# Builds prismac and runs the main job on examples/schema.prisma.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
[ -d build ] || meson setup build
meson compile -C build
./build/generator/prismac validate --schema examples/schema.prisma
./build/generator/prismac format --check --schema examples/schema.prisma
