"""Miss-path benchmark driver (see bench.sh): the reference's two cold passes, one cold pass,
one cold pass with the template's format and minimal font map, and the warm pool through HTTP,
on the same rendered .tex with unique content per document. Latency percentiles over >= 50
documents, CPU per document, unique-document throughput at concurrency 1, 2, 4, 8.
Standard library only; prints a table and appends it to BENCHMARKS.md."""
import concurrent.futures, copy, glob, gzip, json, os, resource, shutil, statistics, subprocess, sys
from benchlib import append_table, cpu_model, free_port, wait_warm
import tempfile, time, urllib.request

BIN = sys.argv[1]
DOCS = int(os.environ.get("WARM_DOCS", "50"))
FIX = "tests/fixtures/resume-full.json"
TEX_ENV = {**os.environ, "SOURCE_DATE_EPOCH": "0", "FORCE_SOURCE_DATE": "1", "openin_any": "p", "openout_any": "p"}


work = tempfile.mkdtemp(prefix="resume-bench-warm-")
fmt_dir = os.path.join(work, "formats")
data = json.load(open(FIX))
base_tex = subprocess.run([BIN, "render", FIX, "--format", "tex", "-o", "-"], capture_output=True, check=True).stdout.decode()
name = data["personalInfo"]["name"]
assert name in base_tex

def tex_of(i):
    return base_tex.replace(name, f"{name} {i}")

def body_of(i):
    d = copy.deepcopy(data); d["personalInfo"]["name"] = f"{name} {i}"
    return json.dumps({"document_type": "resume", "template": "classic", "use_cache": False, "data": d}).encode()

# The origin, with its own format folder; wait until its formats are built and processes parked.
port = free_port()
server = subprocess.Popen([BIN, "serve", "--port", str(port), "--format-dir", fmt_dir],
                          env={**os.environ, "RUST_LOG": "warn"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
url = f"http://127.0.0.1:{port}"
def metrics():
    return json.load(urllib.request.urlopen(f"{url}/metrics", timeout=5))
wait_warm(url)

def http(i):
    req = urllib.request.Request(f"{url}/generate", data=body_of(i), headers={"content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        assert r.read(5) == b"%PDF-"

# Row 3's format: the classic résumé preamble with the map the origin generated, built the way
# the origin builds formats.
preamble = base_tex[:base_tex.index("\\begin{document}")]
maps = glob.glob(os.path.join(fmt_dir, "map-resume-classic-*.map"))
assert maps, "the origin built no map"
fdir = os.path.join(work, "fmt"); os.makedirs(fdir)
with open(os.path.join(fdir, "pre.tex"), "w") as f:
    f.write(preamble + "\\everyjob\\expandafter{\\the\\everyjob\\pdfmapfile{%s}}\n\\begin{document}\n\\end{document}\n"
            % os.path.basename(maps[0]))
subprocess.run(["pdflatex", "-ini", "-interaction=batchmode", "-jobname=doc", "&pdflatex", "mylatexformat.ltx", "pre.tex"],
               cwd=fdir, env=TEX_ENV, stdout=subprocess.DEVNULL, check=True)
raw = gzip.decompress(open(os.path.join(fdir, "doc.fmt"), "rb").read())
open(os.path.join(fdir, "doc.fmt"), "wb").write(raw)
FMT_ENV = {**TEX_ENV, "TEXFONTMAPS": fmt_dir + ":", "TFMFONTS": ".:" + os.path.join(fmt_dir, "tfm") + ":"}

def pdflatex(passes, fmt=False):
    def run(i):
        d = tempfile.mkdtemp(dir=work)
        with open(os.path.join(d, "doc.tex"), "w") as f:
            f.write(tex_of(i))
        args = ["pdflatex", "-interaction=batchmode", "-no-shell-escape"]
        if fmt:
            args.insert(1, "-fmt=" + os.path.join(fdir, "doc"))
        for _ in range(passes):
            subprocess.run(args + ["doc.tex"], cwd=d, env=FMT_ENV if fmt else TEX_ENV,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        assert open(os.path.join(d, "doc.pdf"), "rb").read(5) == b"%PDF-"
        shutil.rmtree(d)
    return run

def machine_cpu():
    """Busy CPU seconds of the whole machine: the origin, its sandboxes and pdflatex processes
    (parked ones are not children that report back), plus this client's small share."""
    f = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    idle = f[3] + f[4]
    return (sum(f[:8]) - idle) / os.sysconf("SC_CLK_TCK")

def child_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime

methods = [("reference: 2 cold passes", pdflatex(2), child_cpu),
           ("1 cold pass", pdflatex(1), child_cpu),
           ("1 cold pass, template format + minimal font map", pdflatex(1, True), child_cpu),
           ("warm pool, POST /generate (cache off), sandboxed", http, machine_cpu)]

counter = [10_000]
def fresh():
    counter[0] += 1
    return counter[0]

# Latency: rounds of one new document per method, interleaved, so the methods share the
# machine's state (and the pool refills while the other methods run, as between real requests).
for _, fn, _ in methods:
    fn(fresh())  # page cache
lat = {label: [] for label, _, _ in methods}
for _ in range(DOCS):
    for label, fn, _ in methods:
        t = time.perf_counter(); fn(fresh()); lat[label].append((time.perf_counter() - t) * 1000)

# Throughput per concurrency, and CPU per document from the concurrency-1 run.
rows = []
for label, fn, cpu in methods:
    thr, cpu_ms = {}, 0.0
    for conc in (1, 2, 4, 8):
        n = max(8, 3 * conc) if fn is not http else max(24, 6 * conc)
        ids = [fresh() for _ in range(n)]
        c0, t = cpu(), time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(conc) as ex:
            list(ex.map(fn, ids))
        thr[conc] = n / (time.perf_counter() - t)
        if conc == 1:
            cpu_ms = (cpu() - c0) * 1000 / n
    xs = sorted(lat[label])
    q = lambda p: xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))]
    rows.append((label, statistics.median(xs), q(0.95), q(0.99), cpu_ms, thr))

m = metrics()
server.terminate(); server.wait()
shutil.rmtree(work)

cpu = cpu_model()
base = rows[0][1]
lines = [f"### Cache-miss path: cold, format + map, warm pool ({time.strftime('%Y-%m-%d')})", "",
         f"Machine: {os.cpu_count()} cores, {cpu}. Command: `make bench`: latency over {DOCS} rounds, each sending one new "
         "full-résumé document to every method in turn; then unique-document throughput per concurrency, closed loop, and CPU "
         "per document from the concurrency-1 run (whole machine for the origin: its sandboxes and parked processes). "
         "The origin runs 2 workers.", "",
         "| method | p50 ms | p95 ms | p99 ms | CPU ms/doc | docs/s c=1 | c=2 | c=4 | c=8 | p50 vs reference |",
         "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
for label, p50, p95, p99, cpu_ms, thr in rows:
    lines.append(f"| {label} | {p50:.0f} | {p95:.0f} | {p99:.0f} | {cpu_ms:.0f} | {thr[1]:.1f} | {thr[2]:.1f} | "
                 f"{thr[4]:.1f} | {thr[8]:.1f} | {base / p50:.1f}× |")
lines += ["", f"Origin compile paths during the run: {json.dumps(m['compiles']['by_path'])}; "
          f"errors answered: none (every response was a PDF)."]
append_table("\n".join(lines) + "\n")
