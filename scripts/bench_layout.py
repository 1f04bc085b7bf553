"""Layout options benchmark driver (see bench.sh): new documents with each layout option (and
font and accent colour) beside
the default, side by side in one run through one origin (warm pool on), plus the cost of page
numbers on a document longer than one page (a second pdflatex run with the total filled in).
ROUNDS rounds each send one new document (unique name, cache off) per row in turn; p50/p95 and
the ratio of each row's p50 to its default's. Standard library only; prints a table and appends
it to BENCHMARKS.md."""
import copy, json, os, subprocess, sys, tempfile, time
from benchlib import append_ratio_table, cpu_model, free_port, post_pdf, wait_http, wait_warm

BIN = sys.argv[1]
ROUNDS = int(os.environ.get("LAYOUT_ROUNDS", "30"))
FULL = json.load(open("tests/fixtures/resume-full.json"))
# A one-page résumé: the full fixture's header, summary, two jobs, education and skills.
ONE = {k: copy.deepcopy(FULL[k]) for k in ["personalInfo", "professionalSummary", "education", "technicalSkills"]}
ONE["experience"] = copy.deepcopy(FULL["experience"][:2])
CUSTOM = [{"title": "Ehrenämter", "entries": [{"title": "Kassenwart", "subtitle": "Ruderclub", "startDate": "2020-03",
                                                "bullets": ["Führte die Vereinskasse"]}]}]
ALL = {"page_size": "a4", "locale": "de", "section_order": ["education", "ehrenämter", "experience"]}
# (row, baseline row, data, request fields, custom sections)
CASES = [("one page: default", None, ONE, {}, None),
         ("one page: page_size a4", "one page: default", ONE, {"page_size": "a4"}, None),
         ("one page: page_size legal", "one page: default", ONE, {"page_size": "legal"}, None),
         ("one page: locale de", "one page: default", ONE, {"locale": "de"}, None),
         ("one page: section_order", "one page: default", ONE, {"section_order": ["education", "technicalSkills"]}, None),
         ("one page: custom section", "one page: default", ONE, {}, CUSTOM),
         ("one page: a4 + de + order + custom section", "one page: default", ONE, ALL, CUSTOM),
         ("one page: font termes", "one page: default", ONE, {"font": "termes"}, None),
         ("one page: font heros", "one page: default", ONE, {"font": "heros"}, None),
         ("one page: accent_color", "one page: default", ONE, {"accent_color": "#0A7D33"}, None),
         ("3 pages: page_numbers false", None, FULL, {"page_numbers": False}, None),
         ("3 pages: page numbers (default)", "3 pages: page_numbers false", FULL, {}, None)]


state = tempfile.mkdtemp(prefix="resume-bench-layout-")
port = free_port()
proc = subprocess.Popen([BIN, "serve", "--port", str(port), "--format-dir", os.path.join(state, "formats")],
                        env={**os.environ, "RUST_LOG": "warn"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
url = f"http://127.0.0.1:{port}"
lat, pages = {}, {}
try:
    wait_http(f"{url}/health"); wait_warm(url)
    for i in range(-3, ROUNDS):  # three warm-up rounds, not counted
        for row, _, data, fields, custom in CASES:
            d = copy.deepcopy(data)
            d["personalInfo"]["name"] = f"Tomás Ferreira-Lund {i}"
            if custom:
                d["customSections"] = custom
            body = {"document_type": "resume", "template": "classic", "use_cache": False, "data": d, **fields}
            ms, n = post_pdf(url, body)
            pages[row] = n
            if i >= 0:
                lat.setdefault(row, []).append(ms)
finally:
    proc.terminate(); proc.wait()


append_ratio_table(
    f"### Layout options (classic résumé, warm pool, {time.strftime('%Y-%m-%d')})",
    f"Machine: {os.cpu_count()} cores, {cpu_model()}. Command: `make bench` ({ROUNDS} rounds; each round sends one "
    "new document per row, cache off, through HTTP on 127.0.0.1, rows interleaved). Ratio: the row's p50 over its "
    "default's p50 from the same rounds.",
    CASES, lat, pages)
