"""Helpers shared by the scripts that measure and write common/src/charset.rs (standard
library and fontconfig's fc-query only)."""
import re, subprocess

CHARSET = "common/src/charset.rs"
ROW = re.compile(r"'\\u\{([0-9A-F]+)\}', '\\u\{([0-9A-F]+)\}'")


def read_table(src, name):
    """The code points of one `pub(crate) const NAME: &[(char, char)]` table in `src`."""
    body = src[src.index("pub(crate) const %s:" % name):]
    body = body[: body.index("];")]
    return [u for a, b in ROW.findall(body) for u in range(int(a, 16), int(b, 16) + 1)]


def font_charset(path):
    """The code points a font file has glyphs for (its first face), from fc-query."""
    out = subprocess.run(["fc-query", "--index=0", "--format=%{charset}", path],
                         capture_output=True, text=True).stdout
    cps = set()
    for part in out.split():
        a, _, b = part.partition("-")
        cps.update(range(int(a, 16), int(b or a, 16) + 1))
    return cps


def ranges(cps):
    """Sorted code points as [first, last] runs."""
    out = []
    for u in sorted(cps):
        if out and out[-1][1] == u - 1:
            out[-1][1] = u
        else:
            out.append([u, u])
    return out


def rust_table(name, doc, cps):
    """A Rust range table with its doc comment, ready to paste into charset.rs."""
    rows = "\n".join("    ('\\u{%04X}', '\\u{%04X}')," % (a, b) for a, b in ranges(cps))
    return f"{doc}\npub(crate) const {name}: &[(char, char)] = &[\n{rows}\n];\n"


def replace_block(src, marker, last_table, block, before=None):
    """`src` with the tables from the doc line starting `marker` through `last_table` replaced
    by `block`; a first run inserts it before the doc line `before` (or at the end)."""
    if marker in src:
        start = src.index(marker)
        end = src.index("];\n", src.index("pub(crate) const %s:" % last_table)) + 3
        return src[:start] + block + src[end:]
    if before and before in src:
        start = src.index(before)
        return src[:start] + block + src[start:]
    return src.rstrip("\n") + "\n" + block
