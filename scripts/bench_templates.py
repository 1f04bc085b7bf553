"""Template families benchmark driver (see bench.sh): a new document in each template beside the
classic one of its type, side by side in one run through one origin (warm pool on), and a photo
beside none. ROUNDS rounds each send one new document (unique name, cache off) per row in turn, a
quarter second apart so the pool has parked a process again; BENCH_FORMAT_DIR reuses built formats;
p50/p95 and the ratio of each row's p50 to its baseline's (the classic template of the same
document, or the same template without a photo). Standard library only; prints a table and
appends it to BENCHMARKS.md."""
import base64, copy, json, os, subprocess, sys, tempfile, time
from benchlib import append_ratio_table, cpu_model, free_port, post_pdf, wait_http, wait_warm

BIN = sys.argv[1]
ROUNDS = int(os.environ.get("TEMPLATE_ROUNDS", "25"))
FULL = json.load(open("tests/fixtures/resume-full.json"))
LETTER = json.load(open("tests/fixtures/cover-letter-full.json"))
# A one-page résumé: the full fixture's header, summary, two jobs, education and skills.
ONE = {k: copy.deepcopy(FULL[k]) for k in ["personalInfo", "professionalSummary", "education", "technicalSkills"]}
ONE["experience"] = copy.deepcopy(FULL["experience"][:2])
PHOTO = "data:image/jpeg;base64," + base64.b64encode(open("tests/fixtures/photo/avatar.jpg", "rb").read()).decode()
TEMPLATES = ["classic", "two_column", "modern", "compact"]
# (row, baseline row, document type, template, data, photo)
CASES = []
for kind, label, data in [("resume", "résumé, one page", ONE), ("resume", "résumé, full", FULL),
                          ("cover_letter", "cover letter", LETTER)]:
    for t in TEMPLATES:
        CASES.append((f"{label}: {t}", None if t == "classic" else f"{label}: classic", kind, t, data, False))
for t in TEMPLATES:
    CASES.append((f"résumé, one page: {t} + photo", f"résumé, one page: {t}", "resume", t, ONE, True))

state = tempfile.mkdtemp(prefix="resume-bench-templates-")
port = free_port()
# Room to park processes for every template's format: rows of eight templates interleave,
# and each template must be measured on its warm path, not on a process started for it.
proc = subprocess.Popen([BIN, "serve", "--port", str(port), "--format-dir", os.environ.get("BENCH_FORMAT_DIR", os.path.join(state, "formats")),
                         "--warm-parked-max", str(4 * len(TEMPLATES) + 4)],
                        env={**os.environ, "RUST_LOG": "warn"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
url = f"http://127.0.0.1:{port}"
lat, pages = {}, {}
try:
    wait_http(f"{url}/health"); wait_warm(url, formats=2 * len(TEMPLATES))
    for i in range(-3, ROUNDS):  # three warm-up rounds, not counted
        for row, _, kind, template, data, photo in CASES:
            d = copy.deepcopy(data)
            d["personalInfo"]["name"] = f"Tomás Ferreira-Lund {i}"
            if photo:
                d["personalInfo"]["photo"] = PHOTO
            body = {"document_type": kind, "template": template, "use_cache": False, "data": d}
            ms, n = post_pdf(url, body)
            pages[row] = n
            # Let the pool park a fresh process for this format again before the next row, so
            # every row is measured on the warm path (fresh-compile latency, not refill races).
            time.sleep(0.25)
            if i >= 0:
                lat.setdefault(row, []).append(ms)
finally:
    proc.terminate(); proc.wait()

append_ratio_table(
    f"### Template families (warm pool, room to park for every template, {time.strftime('%Y-%m-%d')})",
    f"Machine: {os.cpu_count()} cores, {cpu_model()}. Command: `make bench` ({ROUNDS} rounds; each round sends one "
    "new document per row, cache off, through HTTP on 127.0.0.1, rows interleaved). Ratio: the row's p50 over its "
    "baseline's p50 from the same rounds (the classic template of the same document; for photo rows, the same "
    "template without one).",
    CASES, lat, pages)
