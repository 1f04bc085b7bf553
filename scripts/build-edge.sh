#!/usr/bin/env bash
# Builds the edge Worker to edge/build/ with worker-build, pointing it at tools installed by
# scripts/install-deps.sh (it would otherwise download them at build time).
set -euo pipefail
cd "$(dirname "$0")/.."
export WASM_BINDGEN_BIN="$HOME/.cargo/bin/wasm-bindgen"
export ESBUILD_BIN="$PWD/node_modules/.bin/esbuild"
cd edge
exec worker-build --release
