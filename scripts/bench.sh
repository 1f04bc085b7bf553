#!/usr/bin/env bash
# Benchmarks, each printing a table and appending it to BENCHMARKS.md:
# 1. cold compile: the reference method (two pdflatex passes) against one pass and the origin's
#    hardened /generate path, on the same rendered .tex, interleaved, in one run;
# 2. the miss path: the reference method, one cold pass, a pass with the template's format and
#    minimal font map, and the warm pool through HTTP: latency, CPU and throughput;
# 3. the edge Worker: WASM size and KV-hit latency in workerd;
# 4. cache: hit latency and throughput from memory and Redis (wrk), and the reference's load
#    scenarios with the cache off and on.
# 5. formats: a new document as a PDF, a DOCX and text from the origin, and a DOCX from the edge.
# 6. scripts: a new Latin document (pdfTeX, warm) beside CJK and Vietnamese ones (XeTeX, cold);
#    BASELINE_BIN=<an earlier build> adds that build's Latin latency from the same rounds.
# 7. layout options: each option beside the default (warm pool), and page numbers on a long document.
# 8. templates: each family beside classic (warm pool), and a photo beside none.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${ROUNDS:-15}"
BIN=./target/release/resume-compiler
[ -x "$BIN" ] || cargo build --release --locked -p resume-compiler
python3 scripts/bench.py "$BIN" "$ROUNDS"
python3 scripts/bench_warm.py "$BIN"
python3 scripts/bench_edge.py "$BIN"
python3 scripts/bench_cache.py "$BIN"
python3 scripts/bench_formats.py "$BIN"
python3 scripts/bench_scripts.py "$BIN"
python3 scripts/bench_layout.py "$BIN"
exec python3 scripts/bench_templates.py "$BIN"
