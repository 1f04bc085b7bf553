#!/usr/bin/env bash
# Cold-compile benchmark: the reference method (two pdflatex passes) against one pass and the
# origin's hardened /generate path, on the same rendered .tex, interleaved, in one run.
# Prints a table and appends it to BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${ROUNDS:-15}"
BIN=./target/release/resume-compiler
[ -x "$BIN" ] || cargo build --release --locked -p resume-compiler
exec python3 scripts/bench.py "$BIN" "$ROUNDS"
