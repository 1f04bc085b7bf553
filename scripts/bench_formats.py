"""Formats benchmark driver (see bench.sh): how long a document the cache has never seen takes
in each format, side by side: the origin's PDF (warm pool), the origin's DOCX and text, and DOCX
built by the edge Worker in workerd. For each template, ROUNDS rounds each send one new document
(unique name) to every method in turn; p50/p95 and the ratio to the PDF. Standard library only;
prints a table and appends it to BENCHMARKS.md."""
import copy, json, os, statistics, subprocess, sys, tempfile, time, urllib.request
from benchlib import append_table, cpu_model, free_port, wait_http, wait_warm

BIN = sys.argv[1]
ROUNDS = int(os.environ.get("FORMAT_ROUNDS", "50"))
CASES = [("resume", "classic", "tests/fixtures/resume-full.json"),
         ("resume", "two_column", "tests/fixtures/resume-full.json"),
         ("cover_letter", "classic", "tests/fixtures/cover-letter-full.json"),
         ("cover_letter", "two_column", "tests/fixtures/cover-letter-full.json")]

state = tempfile.mkdtemp(prefix="resume-bench-formats-")
oport, eport, iport = free_port(), free_port(), free_port()
origin = subprocess.Popen([BIN, "serve", "--port", str(oport), "--edge-secret", "bench",
                           "--format-dir", os.path.join(state, "formats")],
                          env={**os.environ, "RUST_LOG": "warn"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
edge = subprocess.Popen(["node_modules/.bin/wrangler", "dev", "--local", "--ip", "127.0.0.1", "--port", str(eport),
                         "--inspector-port", str(iport), "--persist-to", os.path.join(state, "kv"),
                         "--var", f"ORIGIN_URL:http://127.0.0.1:{oport}", "--var", "EDGE_SECRET:bench",
                         "--var", "RATE_LIMIT_PER_MINUTE:1000000", "--var", "RATE_LIMIT_BURST:1000000"],
                        env={**os.environ, "WRANGLER_SEND_METRICS": "false", "CI": "true"},
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
ORIGIN, EDGE = f"http://127.0.0.1:{oport}", f"http://127.0.0.1:{eport}"
METHODS = [("origin PDF (warm pool)", ORIGIN, "pdf", b"%PDF-"),
           ("origin DOCX", ORIGIN, "docx", b"PK\x03\x04"),
           ("origin text", ORIGIN, "txt", None),
           ("edge DOCX (in the Worker)", EDGE, "docx", b"PK\x03\x04")]


def post(base, body, magic):
    req = urllib.request.Request(f"{base}/generate", data=json.dumps(body).encode(),
                                 headers={"content-type": "application/json"})
    t = time.perf_counter()
    with urllib.request.urlopen(req, timeout=120) as r:
        got = r.read()
    ms = (time.perf_counter() - t) * 1000
    assert magic is None or got.startswith(magic), got[:80]
    return ms, len(got)


results = {}
try:
    wait_http(f"{ORIGIN}/health"); wait_http(f"{EDGE}/health"); wait_warm(ORIGIN)
    for kind, template, fixture in CASES:
        data = json.load(open(fixture))
        name = data["personalInfo"]["name"]
        for i in range(-3, ROUNDS):  # three warm-up rounds, not counted
            d = copy.deepcopy(data); d["personalInfo"]["name"] = f"{name} {template} {i}"
            for label, base, fmt, magic in METHODS:
                body = {"document_type": kind, "template": template, "format": fmt, "use_cache": False, "data": d}
                ms, size = post(base, body, magic)
                if i >= 0:
                    results.setdefault((kind, template, label), []).append((ms, size))
finally:
    os.killpg(edge.pid, 9); edge.wait()
    origin.terminate(); origin.wait()

lines = [f"### New documents by format (p50 latency, {time.strftime('%Y-%m-%d')})", "",
         f"Machine: {os.cpu_count()} cores, {cpu_model()}. Command: `make bench` ({ROUNDS} rounds per template; each "
         "round sends one new document, cache off, to every method in turn, through HTTP on 127.0.0.1; the edge "
         "is workerd via `wrangler dev --local`). Cells: p50 ms (p95 ms); the last column is PDF p50 / origin DOCX p50.", "",
         "| document | " + " | ".join(m[0] for m in METHODS) + " | PDF / DOCX |",
         "|---|" + "---:|" * (len(METHODS) + 1)]
for kind, template, _ in CASES:
    cells, p50 = [], {}
    for label, *_ in METHODS:
        ms = sorted(x[0] for x in results[(kind, template, label)])
        p50[label] = statistics.median(ms)
        cells.append(f"{p50[label]:.1f} ({ms[int(0.95 * (len(ms) - 1))]:.1f})")
    ratio = p50[METHODS[0][0]] / p50[METHODS[1][0]]
    lines.append(f"| {kind} {template} | " + " | ".join(cells) + f" | {ratio:.1f}× |")
sizes = {(k, t): statistics.median(x[1] for x in results[(k, t, "origin DOCX")]) for k, t, _ in CASES}
lines += ["", "DOCX sizes (median bytes): " + ", ".join(f"{k} {t} {int(v):,}" for (k, t), v in sizes.items()) + "."]
append_table("\n".join(lines) + "\n")
