#!/usr/bin/env python3
"""Measures what XeTeX documents need beyond plain glyphs, and writes two tables of
common/src/charset.rs:

- FALLBACK: characters of the pdfTeX set that TeX Gyre Pagella's OpenType faces lack; XeTeX
  prints them in DejaVu Serif (`\\fb{}`).
- XETEX_UNREADABLE: characters whose glyph the font shares with another code point, so the
  PDF's text names the other one (a few Han characters, four Cyrillic letters in DejaVu).
  XeTeX's ActualText spans are placed out of reading order by pdftotext, so they are no fix:
  Han ones are not accepted, and a XeTeX document with one of the Cyrillic ones is refused.

Every character of the pdfTeX and XeTeX sets is typeset with the templates' XeTeX set-up and
read back with pdftotext; the script fails if anything still reads back wrongly.
Run from the repository root after scripts/cjk-table.py: `python3 scripts/xetex-probe.py`."""
import os, re, subprocess, sys, tempfile, unicodedata

CHARSET = "common/src/charset.rs"
src = open(CHARSET, encoding="utf-8").read()

def table(name):
    body = src[src.index("pub(crate) const %s:" % name):]
    body = body[: body.index("];")]
    return [u for a, b in re.findall(r"'\\u\{([0-9A-F]+)\}', '\\u\{([0-9A-F]+)\}'", body) for u in range(int(a, 16), int(b, 16) + 1)]

def charset(path):
    out = subprocess.run(["fc-query", "--index=0", "--format=%{charset}", path], capture_output=True, text=True).stdout
    cps = set()
    for part in out.split():
        a, _, b = part.partition("-")
        cps.update(range(int(a, 16), int(b or a, 16) + 1))
    return cps

gyre = "/usr/share/texmf/fonts/opentype/public/tex-gyre/texgyrepagella-%s.otf"
pagella = set.intersection(*(charset(gyre % f) for f in ["regular", "bold", "italic", "bolditalic"]))
dingbats = {int(h, 16) for h in re.findall(r"'\\u\{([0-9A-F]+)\}', \d+", open("common/src/dingbats.rs").read())}
latin = [u for u in table("LATIN") if u not in (0xA0, 0xAD)] + list(range(0x21, 0x7F))
greek, cyrillic, cjk, wide = table("GREEK"), table("CYRILLIC"), table("CJK"), table("LATIN_WIDE")
fallback = {u for u in latin + wide if u not in pagella}

PRE = r"""\documentclass[10pt]{article}
\usepackage{fontspec}
\setmainfont{texgyrepagella}[Extension=.otf,UprightFont=*-regular,BoldFont=*-bold,ItalicFont=*-italic,BoldItalicFont=*-bolditalic]
\newfontfamily\cjkfont{Noto Serif CJK SC}[AutoFakeSlant]
\newfontfamily\grkfont{DejaVu Serif}[AutoFakeSlant]
\newfontfamily\symfont{DejaVu Sans}
\usepackage{accsupp}
\newcommand{\axx}[2]{\BeginAccSupp{method=hex,unicode,ActualText=#1}#2\EndAccSupp{}}
\pagestyle{empty}
\begin{document}
"""

def esc(c):
    """As common/src/escape.rs writes ASCII specials."""
    special = {"\\": "\\textbackslash{}", "^": "\\textasciicircum{}", "~": "\\textasciitilde{}",
               "'": "\\textquotesingle{}", '"': "\\textquotedbl{}", "`": "\\textasciigrave{}",
               "<": "\\textless{}", ">": "\\textgreater{}", "|": "\\textbar{}", "-": "-{}"}
    if c in special:
        return special[c]
    if c in "{}$&#_%":
        return "\\" + c
    return c

def body(u, actual):
    c = chr(u)
    t = esc(c)
    if u in cjk:
        t = "{\\cjkfont %s}" % t
    elif u in greek or u in cyrillic or u in fallback:
        t = "{\\grkfont %s}" % t
    elif u in dingbats:
        t = "{\\symfont %s}" % t
    if u in actual:
        t = "\\axx{%04X}{%s}" % (u, t)
    return t

chars = [u for u in latin + greek + cyrillic + sorted(dingbats) + cjk + wide
         if unicodedata.normalize("NFC", chr(u)) == chr(u)]

def wrong(actual):
    bad = []
    with tempfile.TemporaryDirectory() as d:
        lines = ["U%05X:%s:END\\par" % (u, body(u, actual)) for u in chars]
        open(os.path.join(d, "p.tex"), "w", encoding="utf-8").write(PRE + "\n".join(lines) + "\n\\end{document}\n")
        subprocess.run(["xelatex", "-interaction=nonstopmode", "p.tex"], cwd=d, capture_output=True)
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-nopgbrk", os.path.join(d, "p.pdf"), "-"], capture_output=True, text=True).stdout
    got = {int(m.group(1), 16): m.group(2) for m in re.finditer(r"U([0-9A-F]{5}):(.*?):END", out, re.S)}
    for u in chars:
        g = "".join(unicodedata.normalize("NFC", got.get(u, "")).split())
        if g != chr(u):
            bad.append(u)
    return bad

first = wrong(set())
print(f"{len(chars)} characters; {len(fallback)} need the fallback font; {len(first)} read back wrongly")
print("wrong:", " ".join("U+%04X" % u for u in first))

def ranges(cps):
    out = []
    for u in sorted(cps):
        if out and out[-1][1] == u - 1:
            out[-1][1] = u
        else:
            out.append([u, u])
    return out

def rust(name, doc, cps):
    rows = "\n".join("    ('\\u{%04X}', '\\u{%04X}')," % (a, b) for a, b in ranges(cps))
    return f"{doc}\npub(crate) const {name}: &[(char, char)] = &[\n{rows}\n];\n"

block = (rust("FALLBACK", "/// pdfTeX-set characters TeX Gyre Pagella's OpenType faces lack: XeTeX prints them in DejaVu\n/// Serif. Generated by `scripts/xetex-probe.py`.", fallback)
         + rust("XETEX_UNREADABLE", "/// Characters whose glyph XeTeX's fonts share with another code point, so their PDF text\n/// would name the other one: not accepted in XeTeX documents. Generated by\n/// `scripts/xetex-probe.py`.", first))
marker = "/// pdfTeX-set characters TeX Gyre Pagella's OpenType faces lack"
if marker in src:
    start = src.index(marker)
    end = src.index("];\n", src.index("pub(crate) const XETEX_UNREADABLE")) + 3
    src = src[:start] + block + src[end:]
else:
    src = src.rstrip("\n") + "\n" + block
open(CHARSET, "w", encoding="utf-8").write(src)
print("wrote FALLBACK and XETEX_UNREADABLE")
