"""Scripts benchmark driver (see bench.sh): a new document in each script family, side by side
in one run through one origin. Latin documents stay on pdfTeX's warm pool; documents with
Chinese, Japanese, Korean or Vietnamese text are typeset cold by XeTeX. ROUNDS rounds each send
one new document (unique name, cache off) per case in turn for p50/p95 latency; then, case by case,
CPU per document: the whole machine's busy time (/proc/stat) over CPU_DOCS sequential new
documents, with a pause after them so that the pool's refills are counted too. An optional
second binary (`BASELINE_BIN`, an earlier build) is measured on the Latin cases in the same
rounds, so "Latin documents did not get slower" is a ratio from one run. Standard library only;
prints a table and appends it to BENCHMARKS.md."""
import copy, json, os, statistics, subprocess, sys, tempfile, time, urllib.request
from benchlib import append_table, cpu_model, free_port, quantile, wait_http, wait_warm

BIN = sys.argv[1]
BASELINE = os.environ.get("BASELINE_BIN")
ROUNDS = int(os.environ.get("SCRIPT_ROUNDS", "30"))
CPU_DOCS = int(os.environ.get("SCRIPT_CPU_DOCS", "10"))
CASES = [("Latin: resume-full (English)", "tests/fixtures/resume-full.json", False),
         ("Latin: Polish, JSON Resume 0.x", "tests/fixtures/realworld/pl-legacy-jsonresume.json", True),
         ("Latin: Romanian (ActualText letters)", "tests/fixtures/realworld/ro-jsonresume.json", True),
         ("CJK: Chinese", "tests/fixtures/realworld/zh-jsonresume.json", False),
         ("CJK: Japanese", "tests/fixtures/realworld/ja-jsonresume.json", False),
         ("Vietnamese", "tests/fixtures/realworld/vi-jsonresume.json", False)]


def start(binary, state):
    port = free_port()
    p = subprocess.Popen([binary, "serve", "--port", str(port), "--format-dir", os.path.join(state, "formats")],
                         env={**os.environ, "RUST_LOG": "warn"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_http(f"{url}/health"); wait_warm(url)
    return p, url


def busy_seconds():
    """The whole machine's non-idle CPU seconds so far."""
    f = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    return (sum(f) - f[3] - f[4]) / os.sysconf("SC_CLK_TCK")


def post(base, body):
    req = urllib.request.Request(f"{base}/generate", data=json.dumps(body).encode(),
                                 headers={"content-type": "application/json"})
    t = time.perf_counter()
    with urllib.request.urlopen(req, timeout=120) as r:
        got = r.read()
    assert got.startswith(b"%PDF-"), got[:120]
    return (time.perf_counter() - t) * 1000


def name_of(data):
    return data["personalInfo"]["name"] if "personalInfo" in data else data["basics"]["name"]


def renamed(data, name):
    d = copy.deepcopy(data)
    (d["personalInfo"] if "personalInfo" in d else d["basics"])["name"] = name
    return d


servers = [("now", BIN)] + ([("baseline", BASELINE)] if BASELINE else [])
procs, urls = {}, {}
lat, cpu = {}, {}
try:
    for label, binary in servers:
        procs[label], urls[label] = start(binary, tempfile.mkdtemp(prefix=f"resume-bench-scripts-{label}-"))
    for i in range(-3, ROUNDS):  # three warm-up rounds, not counted
        for case, path, _ in CASES:
            data = json.load(open(path))
            for label, _ in servers:
                if label == "baseline" and not case.startswith("Latin: resume-full"):
                    continue  # the baseline refuses most of these documents
                body = {"document_type": "resume", "template": "classic", "use_cache": False,
                        "data": renamed(data, f"{name_of(data)} {label} {i}")}
                ms = post(urls[label], body)
                if i >= 0:
                    lat.setdefault((case, label), []).append(ms)
    for case, path, _ in CASES:
        data = json.load(open(path))
        for label, _ in servers:
            if label == "baseline" and not case.startswith("Latin: resume-full"):
                continue
            time.sleep(2)
            before = busy_seconds()
            for i in range(CPU_DOCS):
                post(urls[label], {"document_type": "resume", "template": "classic", "use_cache": False,
                                   "data": renamed(data, f"{name_of(data)} {label} cpu {i}")})
            time.sleep(1.5)
            cpu[(case, label)] = (busy_seconds() - before) / CPU_DOCS * 1000
finally:
    for p in procs.values():
        p.terminate(); p.wait()


lines = [f"### New documents by script (classic résumé, {time.strftime('%Y-%m-%d')})", "",
         f"Machine: {os.cpu_count()} cores, {cpu_model()}. Command: `make bench` ({ROUNDS} rounds; each round sends "
         "one new document per row, cache off, through HTTP on 127.0.0.1, rows interleaved). CPU: the whole machine's "
         f"busy time over {CPU_DOCS} sequential new documents of one row, refills of the warm pool included, "
         "divided by their number (the benchmark client's own share included).", "",
         "| document | engine | p50 ms | p95 ms | CPU ms/doc |", "|---|---|---:|---:|---:|"]
for case, _, _ in CASES:
    for label, _ in servers:
        if (case, label) not in lat:
            continue
        engine = "XeTeX (cold)" if not case.startswith("Latin") else "pdfTeX (warm pool)"
        who = "" if label == "now" else " — baseline build"
        lines.append(f"| {case}{who} | {engine} | {statistics.median(lat[(case, label)]):.1f} | "
                     f"{quantile(lat[(case, label)], 0.95):.1f} | {cpu[(case, label)]:.0f} |")
if BASELINE:
    k = "Latin: resume-full (English)"
    r = statistics.median(lat[(k, 'now')]) / statistics.median(lat[(k, 'baseline')])
    lines += ["", f"Latin document now / baseline build, p50: {r:.2f}× (BASELINE_BIN={BASELINE})."]
append_table("\n".join(lines) + "\n")
