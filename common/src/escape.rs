//! The one way user text reaches LaTeX.
//!
//! [`latex`] turns any string into LaTeX that typesets exactly that string: every TeX special
//! (`\ { } $ & # ^ _ % ~`), the characters that start optional arguments or form ligatures, and
//! TeX's `^^` notation (neutralised because `^` itself is escaped) come out as inert commands.
//! [`url`] does the same for the first argument of `\href`, where hyperref needs percent
//! encoding instead. [`unsupported_char`] is what validation uses to refuse characters the
//! fonts cannot show, so escaping itself never fails.

use crate::charset::{
    CJK, COMPOSED, CYRILLIC, FALLBACK, GREEK, LATIN, LATIN_WIDE, XETEX_UNREADABLE,
};

/// The script a supported non-ASCII character belongs to; Greek and Cyrillic need their own
/// font encodings (LGR, T2A), switched by the `\grk{}` and `\cyr{}` macros every template defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Ascii,
    Latin,
    Greek,
    Cyrillic,
    /// Chinese, Japanese or Korean (XeTeX with Noto CJK, in `\\cjk{}` runs).
    Cjk,
    /// A Latin letter only the OpenType fonts have (Vietnamese): XeTeX, printed as is.
    LatinWide,
    /// A mathematical sign (`\\mth{name}{char}`), from [`crate::dingbats::MATH`].
    Math(&'static str),
    /// A symbol from ZapfDingbats (`\\ding{n}`): ★ ✓ ☎ ✉ ● and friends; `true` when drawn
    /// with a look-alike glyph that needs ActualText (☆ as ✩).
    Dingbat(u8, bool),
}

fn in_table(table: &[(char, char)], c: char) -> bool {
    table
        .binary_search_by(|&(lo, hi)| {
            if c < lo {
                std::cmp::Ordering::Greater
            } else if c > hi {
                std::cmp::Ordering::Less
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

fn script(c: char) -> Option<Script> {
    if c.is_ascii() {
        return Some(Script::Ascii);
    }
    if in_table(LATIN, c) || is_layout_char(c) {
        Some(Script::Latin)
    } else if in_table(GREEK, c) {
        Some(Script::Greek)
    } else if in_table(CYRILLIC, c) {
        Some(Script::Cyrillic)
    } else if in_table(CJK, c) && !in_table(XETEX_UNREADABLE, c) {
        Some(Script::Cjk)
    } else if in_table(LATIN_WIDE, c) {
        Some(Script::LatinWide)
    } else {
        use crate::dingbats::{ALIASES, DINGBATS};
        let find = |t: &[(char, u8)]| t.binary_search_by_key(&c, |&(d, _)| d).ok().map(|i| t[i].1);
        find(DINGBATS)
            .map(|n| Script::Dingbat(n, false))
            .or_else(|| find(ALIASES).map(|n| Script::Dingbat(n, true)))
            .or_else(|| {
                let math = crate::dingbats::MATH;
                math.binary_search_by_key(&c, |&(d, _)| d)
                    .ok()
                    .map(|i| Script::Math(math[i].1))
            })
    }
}

/// Invisible or layout characters that are accepted and mapped to TeX spacing.
fn is_layout_char(c: char) -> bool {
    matches!(
        c,
        '\u{AD}' | '\u{200B}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}'
    )
}

/// Every character pdfTeX typesets after normalization: printable ASCII, the measured Latin,
/// Greek and Cyrillic tables, the ZapfDingbats symbols and the layout characters mapped to TeX
/// spacing. The origin typesets all of them to find the fonts its templates need.
pub fn supported_chars() -> impl Iterator<Item = char> {
    (' '..='~')
        .chain(
            LATIN
                .iter()
                .chain(GREEK)
                .chain(CYRILLIC)
                .flat_map(|&(a, b)| a..=b),
        )
        .chain(['\u{AD}', '\u{200B}', '\u{2028}', '\u{2029}', '\u{FEFF}'])
        .chain(
            crate::dingbats::DINGBATS
                .iter()
                .chain(crate::dingbats::ALIASES)
                .map(|&(c, _)| c)
                .chain(crate::dingbats::MATH.iter().map(|&(c, _)| c)),
        )
        // Input is NFC-normalized first: keep only characters whose normal form pdfTeX prints
        // (U+0374 becomes U+02B9, which only XeTeX's fonts have).
        .filter(|c| {
            use unicode_normalization::UnicodeNormalization;
            std::iter::once(*c)
                .nfc()
                .all(|n| script(n).is_some_and(|s| !matches!(s, Script::Cjk | Script::LatinWide)))
        })
}

/// The characters a document is typeset with XeTeX for: Chinese, Japanese, Korean and the
/// Vietnamese letters (after NFC normalization, as validation sees them).
pub fn xetex_chars() -> impl Iterator<Item = char> {
    CJK.iter()
        .chain(LATIN_WIDE)
        .flat_map(|&(a, b)| a..=b)
        .filter(|&c| !in_table(XETEX_UNREADABLE, c))
        .filter(|c| {
            use unicode_normalization::UnicodeNormalization;
            std::iter::once(*c).nfc().eq(std::iter::once(*c))
        })
}

/// The first character of `s` that pdfTeX prints but XeTeX's fonts cannot print readably
/// (their glyph is shared with another code point), if any.
pub fn unreadable_under_xetex(s: &str) -> Option<char> {
    s.chars().find(|&c| in_table(XETEX_UNREADABLE, c))
}

/// Whether text holds a character only XeTeX typesets (see [`xetex_chars`]).
pub fn needs_xetex(s: &str) -> bool {
    !s.is_ascii()
        && s.chars()
            .any(|c| matches!(script(c), Some(Script::Cjk | Script::LatinWide)))
}

/// What validation does with a character: print it, leave it out (a pictograph or symbol no
/// font has), or refuse the field (a letter of a script the engine cannot typeset).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharClass {
    /// The templates can typeset it.
    Printable,
    /// A symbol, pictograph or emoji with no glyph: left out with a warning.
    Symbol,
    /// A letter of the named script, which cannot be typeset.
    Letter(&'static str),
}

/// The scripts the engine typesets, for messages.
pub const SUPPORTED_SCRIPTS: &str =
    "Latin (with Vietnamese), Greek, Cyrillic, Chinese, Japanese and Korean are supported";

/// Classifies one character (after NFC normalization).
pub fn classify(c: char) -> CharClass {
    if script(c).is_some() {
        return CharClass::Printable;
    }
    let u = u32::from(c);
    let letter = |name| CharClass::Letter(name);
    match u {
        0x0590..=0x05FF | 0xFB1D..=0xFB4F => letter("Hebrew"),
        0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
            letter("Arabic")
        }
        0x0900..=0x0DFF => letter("an Indic"),
        0x0E00..=0x0E7F => letter("Thai"),
        0x10A0..=0x10FF => letter("Georgian"),
        0x0530..=0x058F => letter("Armenian"),
        0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => letter("Korean (Hangul)"),
        0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F => letter("Japanese (kana)"),
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF => {
            letter("Chinese (Han)")
        }
        0x3000..=0x303F | 0xFF00..=0xFF65 => letter("CJK punctuation"),
        _ if c.is_alphabetic() => letter("an unsupported"),
        _ => CharClass::Symbol,
    }
}

/// The first character in `s` that the templates cannot typeset, if any.
///
/// ASCII control characters are not reported: normalization strips them before this runs.
pub fn unsupported_char(s: &str) -> Option<char> {
    s.chars().find(|&c| script(c).is_none())
}

/// Escapes user text for LaTeX running text, printing its inline markup ([`crate::markup`]) as
/// bold, italic and links. The result contains no active control sequence that came from the
/// input: every backslash in it was written by this module.
pub fn latex(s: &str) -> String {
    pieces(s, true)
}

/// [`latex`] for text that is itself a link's label: markup links print as their text, since
/// links cannot nest.
pub fn latex_link_text(s: &str) -> String {
    pieces(s, false)
}

/// [`latex`] for a block that may hold paragraphs (blank lines): each becomes its own.
pub fn latex_paragraphs(s: &str) -> String {
    s.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(latex)
        .collect::<Vec<_>>()
        .join("\\par\\noindent ")
}

fn pieces(s: &str, links: bool) -> String {
    if !s.contains(['*', '_', '[']) {
        return literal(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for p in crate::markup::inline(s) {
        let mut body = literal(&p.text);
        if p.italic {
            body = format!("\\textit{{{body}}}");
        }
        if p.bold {
            body = format!("\\textbf{{{body}}}");
        }
        match &p.link {
            Some(u) if links => out.push_str(&format!("\\href{{{}}}{{{body}}}", url(u))),
            _ => out.push_str(&body),
        }
    }
    out
}

/// Escapes text with no markup at all: every character prints as itself.
fn literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    let mut chars = s.chars().peekable();
    let mut open: Option<Script> = None;
    while let Some(c) = chars.next() {
        let sc = script(c);
        // Close a Greek or Cyrillic run when the script changes (spaces and punctuation stay
        // inside the run so words keep their natural spacing).
        let wraps = matches!(sc, Some(Script::Greek | Script::Cyrillic | Script::Cjk));
        if let Some(cur) = open {
            let continues = sc == Some(cur) || (c == ' ' && run_continues(&mut chars, cur));
            if !continues {
                out.push('}');
                open = None;
            }
        }
        if wraps && open.is_none() {
            out.push_str(match sc {
                Some(Script::Greek) => "\\grk{",
                Some(Script::Cyrillic) => "\\cyr{",
                _ => "\\cjk{",
            });
            open = sc;
        }
        let next = chars.peek().copied();
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' => out.push_str("\\{"),
            '}' => out.push_str("\\}"),
            '$' | '&' | '#' | '%' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '^' => out.push_str("\\textasciicircum{}"),
            '~' => out.push_str("\\textasciitilde{}"),
            '<' => out.push_str("\\textless{}"),
            '>' => out.push_str("\\textgreater{}"),
            '|' => out.push_str("\\textbar{}"),
            '"' => out.push_str("\\textquotedbl{}"),
            '`' => out.push_str("\\textasciigrave{}"),
            // A straight quote, as typed; a bare ' would print as a curly ’ and extract so.
            '\'' => out.push_str("\\textquotesingle{}"),
            // Brackets and stars would be read as optional arguments or starred forms after
            // `\item` or `\\`; braces make them plain characters.
            '[' => out.push_str("{[}"),
            ']' => out.push_str("{]}"),
            '*' => out.push_str("{*}"),
            // Break the ligatures `--`, `---` and `,,` so text stays literal.
            '-' | ',' => {
                out.push(c);
                if next == Some(c) {
                    out.push_str("{}");
                }
            }
            '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' => out.push(' '),
            '\u{A0}' => out.push('~'),
            '\u{AD}' => out.push_str("\\-"),
            '\u{200B}' => out.push_str("\\hspace{0pt}"),
            '\u{FEFF}' => {}
            c if c.is_control() => {}
            c if in_table(COMPOSED, c) || in_table(FALLBACK, c) => {
                let inner = if in_table(COMPOSED, c) {
                    actual_text(c)
                } else {
                    c.to_string()
                };
                if in_table(FALLBACK, c) {
                    // XeTeX's text font lacks it: `\\fb` takes DejaVu Serif there.
                    out.push_str(&format!("\\fb{{{inner}}}"));
                } else {
                    out.push_str(&inner);
                }
            }
            _ if matches!(sc, Some(Script::Math(_))) => {
                if let Some(Script::Math(name)) = sc {
                    out.push_str(&format!("\\mth{{{name}}}{{{c}}}"));
                }
            }
            _ if matches!(sc, Some(Script::Dingbat(..))) => match sc {
                // `\\sym{slot}{char}`: ZapfDingbats under pdfTeX, the character itself in a
                // symbol font under XeTeX.
                Some(Script::Dingbat(n, false)) => out.push_str(&format!("\\sym{{{n}}}{{{c}}}")),
                Some(Script::Dingbat(n, true)) => {
                    let hex = u32::from(c);
                    out.push_str(&format!("\\ax{{{hex:04X}}}{{\\sym{{{n}}}{{{c}}}}}"));
                }
                _ => {}
            },
            c if sc.is_some() => out.push(c),
            // Unreachable after validation, which rejects these characters with a field path;
            // kept so that escaping is total.
            _ => out.push('?'),
        }
    }
    if open.is_some() {
        out.push('}');
    }
    out
}

/// A character the fonts build from pieces, wrapped so that its PDF text is the character
/// itself (`\ax`, `\axo` and `\axell` are ActualText spans the preamble defines; see
/// `scripts/ats-probe.py`, which measures which characters need them and keeps this in step).
fn actual_text(c: char) -> String {
    use unicode_normalization::UnicodeNormalization;
    let hex = u32::from(c);
    if c == '\u{2026}' {
        return "\\axell{}".to_owned();
    }
    match std::iter::once(c).nfd().next() {
        // Base letter, composite and base letter again: the span then starts and ends at the
        // letter's edges, where an accent drawn first or last would make readers see a gap.
        Some(base) if base != c => format!("\\axo{{{hex:04X}}}{{{c}}}{{{base}}}"),
        _ => format!("\\ax{{{hex:04X}}}{{{c}}}"),
    }
}

/// Whether a space inside a Greek or Cyrillic run is followed by more of the same script.
fn run_continues(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, cur: Script) -> bool {
    chars.peek().is_some_and(|&n| script(n) == Some(cur))
}

/// Escapes a URL for the first argument of `\href`.
///
/// Characters that are safe in URLs stay, `%` `&` `#` get the backslash hyperref expects, and
/// everything else (including `\ { } $ ^` and non-ASCII) is percent-encoded, so the argument
/// can never end early or run TeX code, even inside another macro's argument.
pub fn url(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len() + 8);
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => out.push(b as char),
            b'-' | b'.' | b'_' | b'~' | b':' | b'/' | b'?' | b'@' | b'!' | b'\'' | b'(' | b')'
            | b'*' | b'+' | b',' | b';' | b'=' => out.push(b as char),
            b'&' => out.push_str("\\&"),
            b'#' => out.push_str("\\#"),
            b'%' if is_pct_escape(bytes, i) => out.push_str("\\%"),
            _ => {
                out.push_str("\\%");
                out.push_str(&format!("{b:02X}"));
            }
        }
    }
    out
}

fn is_pct_escape(bytes: &[u8], i: usize) -> bool {
    bytes.len() > i + 2 && bytes[i + 1].is_ascii_hexdigit() && bytes[i + 2].is_ascii_hexdigit()
}

#[cfg(test)]
mod tests;
