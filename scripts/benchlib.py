"""Helpers shared by the benchmark drivers (standard library only)."""
import json, os, socket, statistics, time, urllib.request


def free_port():
    """A TCP port free on 127.0.0.1 right now."""
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def wait_http(url, tries=600, pause=0.1):
    """Waits until `url` answers; exits the benchmark when it never does."""
    for _ in range(tries):
        try:
            urllib.request.urlopen(url, timeout=1); return
        except Exception:
            time.sleep(pause)
    raise SystemExit(f"{url} did not answer")


def cpu_model():
    """The machine's CPU model, for the tables."""
    try:
        return next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except Exception:
        return "unknown"


def append_table(text):
    """Prints a result and appends it to BENCHMARKS.md."""
    print(text)
    with open("BENCHMARKS.md", "a") as f:
        f.write("\n" + text)


def cores():
    return os.cpu_count()


def wait_warm(url, tries=1200, formats=4):
    """Waits until an origin has built `formats` template formats and parked processes."""
    for _ in range(tries):
        try:
            w = json.load(urllib.request.urlopen(f"{url}/metrics", timeout=5))["compiles"]["warm"]
            if w["formats_ready"] + w["preambles_ready"] >= formats and w["parked"] >= 2:
                return
        except Exception:
            pass
        time.sleep(0.25)


def quantile(xs, q):
    """The q-quantile of xs (nearest rank below), as the tables print p95."""
    xs = sorted(xs)
    return xs[int(q * (len(xs) - 1))]


def post_pdf(base, body):
    """POSTs a /generate body; returns (milliseconds, x-page-count) of a PDF answer."""
    req = urllib.request.Request(f"{base}/generate", data=json.dumps(body).encode(),
                                 headers={"content-type": "application/json"})
    t = time.perf_counter()
    with urllib.request.urlopen(req, timeout=120) as r:
        got, pages = r.read(), r.headers.get("x-page-count")
    assert got.startswith(b"%PDF-"), got[:120]
    return (time.perf_counter() - t) * 1000, pages


def append_ratio_table(title, intro, rows, lat, pages):
    """Appends a `document | pages | p50 | p95 | ratio` table: `rows` are (row, baseline row or
    None, ...), `lat` row → milliseconds, `pages` row → page count; ratio is p50 over the
    baseline's p50."""
    lines = [title, "", intro, "", "| document | pages | p50 ms | p95 ms | ratio |", "|---|---:|---:|---:|---:|"]
    for row, base, *_ in rows:
        m = statistics.median(lat[row])
        ratio = f"{m / statistics.median(lat[base]):.2f}×" if base else "1.00×"
        lines.append(f"| {row} | {pages[row]} | {m:.1f} | {quantile(lat[row], 0.95):.1f} | {ratio} |")
    append_table("\n".join(lines) + "\n")
