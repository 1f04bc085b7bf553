"""Edge benchmark driver (see bench.sh): the Worker's WASM size (raw and gzip) and the latency
of a KV hit through workerd (`wrangler dev --local`), p50/p99 over 300 sequential requests.
Starts an origin and the edge itself. Standard library only; prints a table and appends it to
BENCHMARKS.md."""
import gzip, json, os, statistics, subprocess, sys, tempfile, time, urllib.request
from benchlib import append_table, cpu_model, free_port, wait_http

BIN = sys.argv[1]
N = 300



wasm = open("edge/build/index_bg.wasm", "rb").read()
raw, packed = len(wasm), len(gzip.compress(wasm, 9))
state = tempfile.mkdtemp(prefix="resume-bench-edge-")
oport, eport, iport = free_port(), free_port(), free_port()
origin = subprocess.Popen([BIN, "serve", "--port", str(oport), "--edge-secret", "bench"],
                          env={**os.environ, "RUST_LOG": "warn"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
edge = subprocess.Popen(["node_modules/.bin/wrangler", "dev", "--local", "--ip", "127.0.0.1", "--port", str(eport),
                         "--inspector-port", str(iport), "--persist-to", state,
                         "--var", f"ORIGIN_URL:http://127.0.0.1:{oport}", "--var", "EDGE_SECRET:bench",
                         "--var", "RATE_LIMIT_PER_MINUTE:1000000", "--var", "RATE_LIMIT_BURST:1000000"],
                        env={**os.environ, "WRANGLER_SEND_METRICS": "false", "CI": "true"},
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
try:
    wait_http(f"http://127.0.0.1:{oport}/health"); wait_http(f"http://127.0.0.1:{eport}/health")
    body = json.dumps({"document_type": "resume", "template": "classic",
                       "data": json.load(open("tests/fixtures/resume-full.json"))}).encode()
    def post():
        req = urllib.request.Request(f"http://127.0.0.1:{eport}/generate", data=body,
                                     headers={"content-type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            r.read()
            return r.headers.get("x-cache-tier")
    first = post()
    for _ in range(100):
        if post() == "edge":
            break
        time.sleep(0.1)
    lat = []
    for _ in range(N):
        t = time.perf_counter(); tier = post(); lat.append((time.perf_counter() - t) * 1000)
        assert tier == "edge", tier
finally:
    os.killpg(edge.pid, 9); edge.wait()
    origin.terminate(); origin.wait()
lat.sort()
cpu = cpu_model()
lines = [f"### Edge Worker: size and KV-hit latency ({time.strftime('%Y-%m-%d')})", "",
         f"Machine: {os.cpu_count()} cores, {cpu}. Command: `make bench` (workerd through `wrangler dev --local`, "
         f"{N} sequential requests for the full résumé PDF, each a KV hit; the first was a {first}).", "",
         "| measure | value |", "|---|---:|",
         f"| WASM, raw | {raw / 1048576:.2f} MiB |",
         f"| WASM, gzip -9 | {packed / 1048576:.2f} MiB |",
         f"| KV hit p50 | {statistics.median(lat):.2f} ms |",
         f"| KV hit p99 | {lat[int(0.99 * (len(lat) - 1))]:.2f} ms |"]
append_table("\n".join(lines) + "\n")
