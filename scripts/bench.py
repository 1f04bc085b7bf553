"""Cold-compile benchmark driver (see bench.sh). Standard library only."""
import json, os, shutil, statistics, subprocess, sys, tempfile, time, urllib.request
from benchlib import append_table, cpu_model, free_port, wait_http

BIN, ROUNDS = sys.argv[1], int(sys.argv[2])
FIX = "tests/fixtures/resume-full.json"
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "0", "FORCE_SOURCE_DATE": "1", "openin_any": "p", "openout_any": "p"}


work = tempfile.mkdtemp(prefix="resume-bench-")
tex = subprocess.run([BIN, "render", FIX, "--format", "tex", "-o", "-"], capture_output=True, check=True).stdout
with open(os.path.join(work, "doc.tex"), "wb") as f:
    f.write(tex)
# use_cache: false: every request compiles (this table measures the miss path).
body = json.dumps({"document_type": "resume", "template": "classic", "use_cache": False, "data": json.load(open(FIX))}).encode()

port = free_port()
server = subprocess.Popen([BIN, "serve", "--port", str(port)], env={**os.environ, "RUST_LOG": "warn"},
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wait_http(f"http://127.0.0.1:{port}/health")

def pdflatex(passes):
    def run():
        d = tempfile.mkdtemp(dir=work)
        shutil.copy(os.path.join(work, "doc.tex"), d)
        for _ in range(passes):
            subprocess.run(["pdflatex", "-interaction=nonstopmode", "-no-shell-escape", "doc.tex"], cwd=d, env=ENV,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        shutil.rmtree(d)
    return run

def http():
    req = urllib.request.Request(f"http://127.0.0.1:{port}/generate", data=body, headers={"content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        assert r.read(5) == b"%PDF-"

methods = [("reference: 2 cold passes", pdflatex(2)), ("1 cold pass", pdflatex(1)),
           ("origin POST /generate (cache off: warm pool, bwrap sandbox, rlimits)", http)]
times = {name: [] for name, _ in methods}
for fn in [m[1] for m in methods]:
    fn()  # warm the page cache
for _ in range(ROUNDS):
    for name, fn in methods:
        t = time.perf_counter(); fn(); times[name].append((time.perf_counter() - t) * 1000)
server.terminate(); server.wait()
shutil.rmtree(work)

base = statistics.median(times[methods[0][0]])
cpu = cpu_model()
lines = [f"### Cold compile, full résumé fixture ({time.strftime('%Y-%m-%d')})", "",
         f"Machine: {os.cpu_count()} cores, {cpu}. Command: `make bench` ({ROUNDS} interleaved rounds, same .tex).", "",
         "| method | median ms | min ms | max ms | vs reference |", "|---|---:|---:|---:|---:|"]
for name, _ in methods:
    t = times[name]; m = statistics.median(t)
    lines.append(f"| {name} | {m:.0f} | {min(t):.0f} | {max(t):.0f} | {base / m:.2f}× |")
append_table("\n".join(lines) + "\n")
