"""Cache benchmark driver (see bench.sh): hit latency and throughput from memory and from Redis
with wrk, and the reference's load scenarios 2 and 3 with the cache off and on.
Starts redis-server and two origins itself. Standard library only; prints a table and appends
it to BENCHMARKS.md."""
import concurrent.futures, copy, json, os, re, subprocess, sys, tempfile, time, urllib.request
from benchlib import append_table, cpu_model, free_port, wait_http

BIN = sys.argv[1]
FIX = "tests/fixtures/resume-full.json"
DURATION = os.environ.get("WRK_SECONDS", "10")



work = tempfile.mkdtemp(prefix="resume-bench-cache-")
redis_port = free_port()
redis = subprocess.Popen(["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
                          "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
procs = [redis]

def origin(*flags):
    port = free_port()
    p = subprocess.Popen([BIN, "serve", "--port", str(port), *flags], env={**os.environ, "RUST_LOG": "warn"},
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    procs.append(p)
    wait_http(f"http://127.0.0.1:{port}/health")
    return f"http://127.0.0.1:{port}"

redis_url = f"redis://127.0.0.1:{redis_port}/0"
mem = origin("--redis-url", redis_url)                       # memory + Redis
red = origin("--redis-url", redis_url, "--cache-memory-mb", "0")  # no memory tier: every hit is Redis
for _ in range(100):
    if json.load(urllib.request.urlopen(f"{red}/metrics"))["cache"]["connected"]:
        break
    time.sleep(0.05)

data = json.load(open(FIX))
def doc(tag=None, use_cache=True):
    d = copy.deepcopy(data)
    if tag is not None:
        d["personalInfo"]["name"] = f"{d['personalInfo']['name']} {tag}"
    return {"document_type": "resume", "template": "classic", "use_cache": use_cache, "data": d}

def post(base, body, headers=None):
    req = urllib.request.Request(f"{base}/generate", data=json.dumps(body).encode(),
                                 headers={"content-type": "application/json", **(headers or {})})
    with urllib.request.urlopen(req, timeout=120) as r:
        out = r.read()
        assert out[:5] == b"%PDF-", out[:100]
        return r.headers.get("x-cache-tier")

hit_body = doc("hit")
assert post(mem, hit_body) == "compile"
assert post(mem, hit_body) == "memory"
assert post(red, hit_body) == "redis"

script = os.path.join(work, "post.lua")
body_file = os.path.join(work, "body.json")
with open(body_file, "w") as f:
    json.dump(hit_body, f)
with open(script, "w") as f:
    f.write(f'local f = io.open("{body_file}")\nwrk.method = "POST"\nwrk.body = f:read("*a")\nf:close()\n'
            'wrk.headers["Content-Type"] = "application/json"\n')

# The same document in bytes never sent before: JSON-insignificant whitespace varies per request, so
# each one takes the full path (parse, validate, normalize, key) before its cache hit.
unseen = os.path.join(work, "unseen.lua")
with open(unseen, "w") as f:
    f.write(f'local f = io.open("{body_file}")\nlocal body = f:read("*a")\nf:close()\n'
            'local threads = 0\nfunction setup(t) t:set("id", threads); threads = threads + 1 end\n'
            'local n = 0\nfunction request()\n  n = n + 1\n  local m = n * 8 + (id or 0)\n'
            '  local pad = string.rep(" ", m % 64) .. string.rep("\\n", math.floor(m / 64) % 64)'
            ' .. string.rep("\\t", math.floor(m / 4096) % 64)\n'
            '  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body .. pad)\nend\n')

UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0}
def wrk(base, conns, threads, lua=None):
    out = subprocess.run(["wrk", "-t", str(threads), "-c", str(conns), "-d", f"{DURATION}s", "--latency",
                          "-s", lua or script, f"{base}/generate"], capture_output=True, text=True, check=True).stdout
    lat = {m[0]: float(m[1]) * UNIT[m[2]] for m in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)}
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errs = re.search(r"Socket errors:.*", out)
    return {"p50": lat["50"], "p99": lat["99"], "rps": rps, "non2xx": int(bad.group(1)) if bad else 0,
            "socket": errs.group(0) if errs else ""}

rows = [("memory hit, 1 connection", wrk(mem, 1, 1)),
        ("Redis hit (memory tier off), 1 connection", wrk(red, 1, 1)),
        ("memory hit, body never seen (full check), 1 connection", wrk(mem, 1, 1, unseen)),
        ("memory hit, 64 connections (wrk -t2 -c64)", wrk(mem, 64, 2)),
        ("Redis hit, 64 connections (wrk -t2 -c64)", wrk(red, 64, 2)),
        ("memory hit, body never seen (full check), 64 connections", wrk(mem, 64, 2, unseen))]

for name, r in rows:
    if r["non2xx"]:
        raise SystemExit(f"{name}: {r['non2xx']} responses were not 2xx")

def scenario(n_requests, n_unique, concurrency, cached, round_tag):
    """Wall time for n_requests over n_unique new documents (cache off: use_cache false)."""
    bodies = [doc(f"{round_tag}-{i % n_unique}", use_cache=cached) for i in range(n_requests)]
    t = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(concurrency) as ex:
        list(ex.map(lambda b: post(mem, b), bodies))
    return time.perf_counter() - t

s2_off = scenario(10, 1, 1, False, "s2off")
s2_on = scenario(10, 1, 1, True, "s2on")
s3_off = scenario(100, 50, 8, False, "s3off")
s3_on = scenario(100, 50, 8, True, "s3on")
metrics = json.load(urllib.request.urlopen(f"{mem}/metrics"))
for p in procs:
    p.terminate(); p.wait()

cpu = cpu_model()
lines = [f"### Cache hits and the reference's load scenarios ({time.strftime('%Y-%m-%d')})", "",
         f"Machine: {os.cpu_count()} cores, {cpu}. Command: `make bench` (wrk {DURATION} s per row, full résumé "
         "fixture as a PDF, wrk and the origin on the same 2 cores; Redis on loopback).", "",
         "| hit path | p50 ms | p99 ms | req/s | non-2xx |", "|---|---:|---:|---:|---:|"]
for name, r in rows:
    lines.append(f"| {name} | {r['p50']:.3f} | {r['p99']:.3f} | {r['rps']:,.0f} | {r['non2xx']} |")
lines += ["", "| scenario (reference figures: uncached / cached) | cache off | cache on | speed-up |", "|---|---:|---:|---:|",
          f"| 2: 10 identical requests, one at a time (8.2 s / 0.86 s) | {s2_off:.2f} s | {s2_on:.2f} s | {s2_off / s2_on:.1f}× |",
          f"| 3: 100 requests, 50 unique, concurrency 8 (82 s / 13 s) | {s3_off:.2f} s | {s3_on:.2f} s | {s3_off / s3_on:.1f}× |",
          "", f"Origin counters after the run: {json.dumps(metrics['cache'])}"]
append_table("\n".join(lines) + "\n")
