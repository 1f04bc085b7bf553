//! The markup people paste into résumé fields: HTML from web editors and inline Markdown.
//!
//! Reading ([`from_html`], called by the reader on every string) turns HTML into one small
//! canonical form, inline Markdown: `**bold**`, `*italic*`, `[text](url)`, line breaks and
//! `- ` list lines; entities are decoded, other tags are dropped. Writing ([`inline`]) splits
//! a string into [`Piece`]s that the LaTeX escaper, the DOCX writer and the text writer each
//! print their own way, so markup is never printed literally and never reaches LaTeX as code.
//! Keeping Markdown as the stored form keeps normalization idempotent: reading it again
//! changes nothing.

use crate::reader::check_url;

/// A run of text with one look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// The text, without markup.
    pub text: String,
    /// Bold (`**…**`, `__…__`).
    pub bold: bool,
    /// Italic (`*…*`, `_…_`).
    pub italic: bool,
    /// The link target of `[text](url)`, already checked to be http, https or mailto.
    pub link: Option<String>,
}

/// How deep emphasis may nest before the rest is taken literally (bounds the recursion).
const MAX_DEPTH: usize = 4;

/// Splits a string into pieces. Markup that is not closed, or a link whose target is not a
/// web or mail address, stays literal text.
pub fn inline(s: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    if !s.contains(['*', '_', '[']) {
        out.push(plain_piece(s));
        return out;
    }
    parse(s, false, false, 0, &mut out);
    out
}

/// The text of a string with its markup removed; a link shows its target after its text
/// when the two differ (`Docs (https://x.org)`).
pub fn plain(s: &str) -> String {
    inline(s)
        .into_iter()
        .map(|p| match p.link {
            Some(url) if url != p.text && url.trim_start_matches("mailto:") != p.text => {
                format!("{} ({url})", p.text)
            }
            _ => p.text,
        })
        .collect()
}

/// The text only, for places where a link cannot be (inside another link).
pub fn text_only(s: &str) -> String {
    inline(s).into_iter().map(|p| p.text).collect()
}

fn plain_piece(s: &str) -> Piece {
    Piece {
        text: s.to_owned(),
        bold: false,
        italic: false,
        link: None,
    }
}

fn push_text(out: &mut Vec<Piece>, text: &str, bold: bool, italic: bool) {
    if text.is_empty() {
        return;
    }
    if let Some(last) = out.last_mut() {
        if last.bold == bold && last.italic == italic && last.link.is_none() {
            last.text.push_str(text);
            return;
        }
    }
    out.push(Piece {
        text: text.to_owned(),
        bold,
        italic,
        link: None,
    });
}

fn parse(s: &str, bold: bool, italic: bool, depth: usize, out: &mut Vec<Piece>) {
    let mut i = 0;
    let mut lit = 0;
    let b = s.as_bytes();
    while i < b.len() {
        let c = b[i];
        if depth < MAX_DEPTH && (c == b'*' || c == b'_') {
            let double = i + 1 < b.len() && b[i + 1] == c;
            let delim = if double { &s[i..i + 2] } else { &s[i..i + 1] };
            if let Some(end) = closing(s, i, delim) {
                push_text(out, &s[lit..i], bold, italic);
                let inner = &s[i + delim.len()..end];
                if double {
                    parse(inner, true, italic, depth + 1, out);
                } else {
                    parse(inner, bold, true, depth + 1, out);
                }
                i = end + delim.len();
                lit = i;
                continue;
            }
        }
        if c == b'[' {
            if let Some((text, url, next)) = link_at(s, i) {
                push_text(out, &s[lit..i], bold, italic);
                out.push(Piece {
                    text: text.to_owned(),
                    bold,
                    italic,
                    link: Some(url),
                });
                i = next;
                lit = i;
                continue;
            }
        }
        i += 1;
    }
    push_text(out, &s[lit..], bold, italic);
}

/// The index of the delimiter closing the one at `start`, following CommonMark's flanking
/// rules closely enough for pasted text: the opener is followed by a non-space, the closer
/// preceded by one, and `_` never opens or closes inside a word (`snake_case` stays literal).
fn closing(s: &str, start: usize, delim: &str) -> Option<usize> {
    let after = s[start + delim.len()..].chars().next()?;
    if after.is_whitespace() || s[start + delim.len()..].starts_with(delim) {
        return None;
    }
    let underscore = delim.starts_with('_');
    if underscore
        && s[..start]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
    {
        return None;
    }
    let mut from = start + delim.len() + after.len_utf8();
    while let Some(off) = s[from..].find(delim) {
        let at = from + off;
        let before = s[..at].chars().next_back();
        let next = s[at + delim.len()..].chars().next();
        // A single `*` must not close on the first half of a `**`.
        let doubled = delim.len() == 1 && next == delim.chars().next();
        let word_after = underscore && next.is_some_and(char::is_alphanumeric);
        if before.is_some_and(|c| !c.is_whitespace()) && !doubled && !word_after {
            return Some(at);
        }
        from = at + delim.len();
        if doubled {
            from += 1;
        }
    }
    None
}

/// `[text](url)` at `start`: its text, its checked target and the index after it.
fn link_at(s: &str, start: usize) -> Option<(&str, String, usize)> {
    let close = start + s[start..].find("](")?;
    let text = &s[start + 1..close];
    if text.is_empty() || text.contains(['[', ']']) {
        return None;
    }
    let url_start = close + 2;
    let url_end = url_start + s[url_start..].find(')')?;
    let url = check_url(s[url_start..url_end].trim()).ok()?;
    Some((text, url, url_end + 1))
}

/// HTML tags whose names are dropped (their text stays); anything else in angle brackets is
/// text (`<3`, `a < b`, `<Company>`).
const DROPPED_TAGS: &[&str] = &[
    "span",
    "font",
    "u",
    "small",
    "big",
    "sup",
    "sub",
    "code",
    "pre",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "table",
    "tbody",
    "thead",
    "tr",
    "td",
    "th",
    "img",
    "hr",
    "mark",
    "abbr",
    "cite",
    "s",
    "del",
    "ins",
    "label",
    "center",
];

/// Whether `s` may hold HTML worth converting.
fn has_html(s: &str) -> bool {
    (s.contains('<') && s.contains('>')) || s.contains('&')
}

/// HTML → the canonical Markdown form; text without tags or entities is returned unchanged.
/// Read until nothing changes, so double-escaped exports (`&amp;lt;b&amp;gt;`) come out as their
/// markup and reading the result again changes nothing (every step shortens the text, so this
/// ends).
pub fn from_html(s: &str) -> String {
    let mut cur = one_pass(s);
    loop {
        let next = one_pass(&cur);
        if next == cur {
            return cur;
        }
        cur = next;
    }
}

fn one_pass(s: &str) -> String {
    if !has_html(s) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut hrefs: Vec<Option<String>> = Vec::new();
    let mut rest = s;
    while let Some(pos) = rest.find(['<', '&']) {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        if rest.starts_with('&') {
            match entity(rest) {
                Some((c, len)) => {
                    out.push(c);
                    rest = &rest[len..];
                }
                None => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
            continue;
        }
        let Some((tag, len)) = tag(rest) else {
            out.push('<');
            rest = &rest[1..];
            continue;
        };
        rest = &rest[len..];
        match (tag.name.as_str(), tag.closing) {
            ("b" | "strong", _) => out.push_str("**"),
            ("i" | "em", _) => out.push('*'),
            ("br", _) => out.push('\n'),
            ("p" | "div" | "ul" | "ol" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6", _) => {
                out.push_str("\n\n")
            }
            ("li", false) => out.push_str("\n- "),
            ("li", true) => {}
            ("a", false) => {
                let href = tag.href.and_then(|h| check_url(&h).ok());
                if href.is_some() {
                    out.push('[');
                }
                hrefs.push(href);
            }
            ("a", true) => {
                if let Some(Some(url)) = hrefs.pop() {
                    out.push_str("](");
                    out.push_str(&url);
                    out.push(')');
                }
            }
            _ => {}
        }
    }
    out.push_str(rest);
    // Unclosed links lose their markup rather than printing a stray bracket.
    for _ in hrefs.into_iter().flatten() {
        if let Some(i) = out.rfind('[') {
            out.remove(i);
        }
    }
    tidy_lines(&out)
}

/// Trims each line, drops empty list items and keeps at most one blank line in a row.
fn tidy_lines(s: &str) -> String {
    let mut lines: Vec<&str> = Vec::new();
    for line in s.lines().map(str::trim) {
        if line == "-" || line == "- " {
            continue;
        }
        if line.is_empty() && lines.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        lines.push(line);
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

struct Tag {
    name: String,
    closing: bool,
    href: Option<String>,
}

/// A tag at the start of `s` with a known HTML name, and its length.
fn tag(s: &str) -> Option<(Tag, usize)> {
    let end = s.find('>')?;
    let inner = &s[1..end];
    if inner.contains('<') {
        return None;
    }
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let name_len = inner
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(inner.len());
    let name = inner[..name_len].to_ascii_lowercase();
    let known = matches!(
        name.as_str(),
        "b" | "strong" | "i" | "em" | "br" | "p" | "div" | "ul" | "ol" | "li" | "a"
    ) || (name.len() == 2
        && name.starts_with('h')
        && name[1..].chars().all(|c| ('1'..='6').contains(&c)))
        || DROPPED_TAGS.contains(&name.as_str());
    let attrs = &inner[name_len..];
    if !known || !(attrs.is_empty() || attrs.starts_with([' ', '/', '\t', '\n'])) {
        return None;
    }
    let href = (name == "a").then(|| attribute(attrs, "href")).flatten();
    Some((
        Tag {
            name,
            closing,
            href,
        },
        end + 1,
    ))
}

fn attribute(attrs: &str, key: &str) -> Option<String> {
    let lower = attrs.to_ascii_lowercase();
    let at = lower.find(&format!("{key}="))? + key.len() + 1;
    let v = &attrs[at..];
    let value = match v.chars().next()? {
        q @ ('"' | '\'') => &v[1..1 + v[1..].find(q)?],
        _ => v.split([' ', '>', '/']).next()?,
    };
    Some(from_html(value))
}

/// A character entity at the start of `s` (`&amp;`, `&#233;`, `&#xE9;`), and its length.
fn entity(s: &str) -> Option<(char, usize)> {
    // Entities are short; look for the `;` among the next few characters only.
    let end = s.char_indices().take(12).find(|&(_, c)| c == ';')?.0;
    let body = &s[1..end];
    let c = if let Some(num) = body.strip_prefix('#') {
        let n = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(n).filter(|c| !c.is_control() || *c == '\n')?
    } else {
        match body {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{A0}',
            "ndash" => '–',
            "mdash" => '—',
            "hellip" => '…',
            "lsquo" => '‘',
            "rsquo" => '’',
            "ldquo" => '“',
            "rdquo" => '”',
            "laquo" => '«',
            "raquo" => '»',
            "bull" => '•',
            "middot" => '·',
            "copy" => '©',
            "reg" => '®',
            "trade" => '™',
            "euro" => '€',
            "pound" => '£',
            "eacute" => 'é',
            "egrave" => 'è',
            "agrave" => 'à',
            "ccedil" => 'ç',
            "uuml" => 'ü',
            "ouml" => 'ö',
            "auml" => 'ä',
            "szlig" => 'ß',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

/// Splits list lines (`- `, `* `, `• `) off a description: the text before them, and the
/// items, so that a pasted list becomes real bullets.
pub fn split_bullets(s: &str) -> (Option<String>, Vec<String>) {
    let mut text: Vec<&str> = Vec::new();
    let mut items = Vec::new();
    for line in s.lines() {
        let t = line.trim();
        match ["- ", "* ", "• ", "· ", "– "]
            .iter()
            .find_map(|m| t.strip_prefix(m))
        {
            Some(item) if !item.trim().is_empty() => items.push(item.trim().to_owned()),
            _ => text.push(line),
        }
    }
    if items.is_empty() {
        return (Some(s.to_owned()), Vec::new());
    }
    let text = tidy_lines(&text.join("\n"));
    ((!text.is_empty()).then_some(text), items)
}

#[cfg(test)]
mod tests;
