#!/bin/sh
# Builds prismac and runs the main job: check the example schema, create its
# SQLite database, generate the client (at build time), and run the example.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
[ -d build ] || meson setup build
meson compile -C build
./build/generator/prismac validate --schema examples/schema.prisma
./build/generator/prismac format --check --schema examples/schema.prisma
./build/generator/prismac db push --schema examples/schema.prisma --url file:"$PWD/build/example.db" --force-reset
DATABASE_URL=file:"$PWD/build/example.db" ./build/examples/blog
