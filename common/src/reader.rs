//! A forgiving reader over raw JSON that collects every problem instead of stopping at one.
//!
//! [`Obj::pick`] implements the reference's alias fallback: the first key of a list whose value
//! is present and not empty wins; other non-empty keys of the list become `VAL015` warnings,
//! and keys nobody asked for become `VAL011` warnings, so no data is dropped silently. Every
//! string passes through [`text`], the one place where Unicode is normalized, control
//! characters are stripped, and length and character limits are enforced.

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use unicode_normalization::UnicodeNormalization;

use crate::error::{ErrorCode, FieldError};
use crate::escape;
use crate::markup;

/// The longest string accepted, in characters.
pub const MAX_STRING_CHARS: usize = 10_000;
/// The most items accepted in one list.
pub const MAX_LIST_ITEMS: usize = 200;

/// Errors and warnings collected while reading.
#[derive(Debug, Default)]
pub(crate) struct Cx {
    pub(crate) errors: Vec<FieldError>,
    pub(crate) warnings: Vec<FieldError>,
}

impl Cx {
    pub(crate) fn error(&mut self, code: ErrorCode, path: &str, message: impl Into<String>) {
        self.errors.push(FieldError::new(code, path, message));
    }

    pub(crate) fn warn(&mut self, code: ErrorCode, path: &str, message: impl Into<String>) {
        self.warnings.push(FieldError::new(code, path, message));
    }
}

/// Appends one reference token to a JSON pointer (RFC 6901 escaping).
pub(crate) fn join(base: &str, key: &str) -> String {
    format!("{base}/{}", key.replace('~', "~0").replace('/', "~1"))
}

/// Python-style falsiness, which the reference's fallback used: such values count as absent.
pub(crate) fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null | Value::Bool(false) => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Reads a value as text. Strings are cleaned and numbers written out (postal codes and years
/// are often sent as numbers). Shapes seen in real documents are read sensibly rather than
/// refused: a list where text is expected becomes paragraphs, an address-like object becomes
/// "City, Region, Country". Anything else is left out with a `VAL002` warning.
pub(crate) fn text(cx: &mut Cx, path: &str, v: &Value) -> Option<String> {
    match v {
        Value::String(s) => clean(cx, path, s),
        Value::Number(n) => Some(n.to_string()),
        Value::Null => None,
        Value::Array(items) => {
            let items = within_limit(cx, path, items);
            let parts: Vec<String> = items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| text(cx, &join(path, &i.to_string()), item))
                .collect();
            (!parts.is_empty()).then(|| parts.join("\n\n"))
        }
        Value::Object(map) if is_place(map) => {
            let parts: Vec<String> = PLACE_KEYS
                .iter()
                .filter_map(|k| map.get(*k).map(|v| (k, v)))
                .filter_map(|(k, v)| text(cx, &join(path, k), v))
                .fold(Vec::new(), |mut acc, t| {
                    if !acc.contains(&t) {
                        acc.push(t);
                    }
                    acc
                });
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        other => {
            cx.warn(
                ErrorCode::VAL002,
                path,
                format!("expected text, got {}; it was left out", type_name(other)),
            );
            None
        }
    }
}

/// The parts of an address object, in the order they are printed.
const PLACE_KEYS: &[&str] = &[
    "address",
    "city",
    "region",
    "state",
    "country",
    "countryCode",
];

/// Whether an object is an address (JSON Resume's `location`): all its keys are address parts.
fn is_place(map: &Map<String, Value>) -> bool {
    !map.is_empty()
        && map
            .keys()
            .all(|k| PLACE_KEYS.contains(&k.as_str()) || k == "postalCode" || k == "zip")
}

/// Normalizes one user string: NFC, control characters removed, trimmed, limits checked.
fn clean(cx: &mut Cx, path: &str, s: &str) -> Option<String> {
    let count = s.chars().count();
    let s = if count > MAX_STRING_CHARS {
        cx.warn(
            ErrorCode::VAL007,
            path,
            format!(
                "text is {count} characters long; only the first {MAX_STRING_CHARS} are printed"
            ),
        );
        let end = s
            .char_indices()
            .nth(MAX_STRING_CHARS)
            .map_or(s.len(), |(i, _)| i);
        &s[..end]
    } else {
        s
    };
    // Most text is printable ASCII (plus newlines and tabs), for which NFC and the filter
    // below change nothing and every character can be typeset: skip straight to trimming.
    if s.bytes()
        .all(|b| (b' '..=b'~').contains(&b) || b == b'\n' || b == b'\t')
        && !s.contains(['<', '&'])
    {
        let trimmed = s.trim();
        return (!trimmed.is_empty()).then(|| trimmed.to_owned());
    }
    // Pasted HTML becomes the canonical Markdown form (entities decoded, tags dropped).
    let s = &markup::from_html(s);
    let mut stripped = false;
    // Ligatures copied out of PDFs (ﬁ ﬂ ﬀ …) are their letters.
    let unligated: String;
    let s = if s.contains(|c| ('\u{FB00}'..='\u{FB06}').contains(&c)) {
        unligated = s
            .chars()
            .flat_map(|c| {
                let mut out = String::new();
                if ('\u{FB00}'..='\u{FB06}').contains(&c) {
                    out.extend(std::iter::once(c).nfkc());
                } else {
                    out.push(c);
                }
                out.chars().collect::<Vec<_>>()
            })
            .collect();
        &unligated
    } else {
        s
    };
    let cleaned: String = s
        .nfc()
        .filter_map(|c| match c {
            // Invisible format characters pasted from editors and web pages: joiners,
            // direction marks and embeddings, word joiners.
            '\u{200C}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FE00}'..='\u{FE0F}' => {
                stripped = true;
                None
            }
            // Typographic spaces become plain spaces; the minus sign becomes a hyphen-minus.
            '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => Some(' '),
            '\u{2212}' => Some('-'),
            // The wave dash shares its glyph with the fullwidth tilde in the CJK fonts, whose
            // code point is what the PDF's text gives back: store that one.
            '\u{301C}' => Some('\u{FF5E}'),
            c if c.is_control() && !matches!(c, '\n' | '\t') => {
                stripped = true;
                None
            }
            c => Some(c),
        })
        .collect();
    if stripped {
        cx.warn(
            ErrorCode::VAL002,
            path,
            "invisible control or format characters were removed",
        );
    }
    let cleaned = printable(cx, path, cleaned)?;
    let trimmed = cleaned.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// Keeps what the fonts can print. Pictographs and symbols no font has (emoji, `★`, flags) are
/// left out with one warning naming them; a letter of a script that cannot be typeset refuses
/// the field with `VAL009`, since dropping letters would change what the person wrote.
fn printable(cx: &mut Cx, path: &str, s: String) -> Option<String> {
    if escape::unsupported_char(&s).is_none() {
        return Some(s);
    }
    let mut dropped: Vec<char> = Vec::new();
    let mut kept = String::with_capacity(s.len());
    for c in s.chars() {
        match escape::classify(c) {
            escape::CharClass::Printable => kept.push(c),
            escape::CharClass::Symbol => {
                if !dropped.contains(&c) {
                    dropped.push(c);
                }
            }
            escape::CharClass::Letter(script) => {
                cx.error(
                    ErrorCode::VAL009,
                    path,
                    format!(
                        "character '{c}' (U+{:04X}) is {script} script, which cannot be typeset; {}",
                        u32::from(c),
                        escape::SUPPORTED_SCRIPTS
                    ),
                );
                return None;
            }
        }
    }
    // "Shipped 🚀 fast" reads "Shipped fast", not with a double space.
    let mut kept_tidy = String::with_capacity(kept.len());
    for c in kept.chars() {
        if !(c == ' ' && (kept_tidy.ends_with(' ') || kept_tidy.is_empty())) {
            kept_tidy.push(c);
        }
    }
    let kept = kept_tidy.trim_end().to_owned();
    let names: Vec<String> = dropped
        .iter()
        .map(|c| format!("'{c}' (U+{:04X})", u32::from(*c)))
        .collect();
    cx.warn(
        ErrorCode::VAL009,
        path,
        format!(
            "{} cannot be shown by the fonts and {} left out",
            names.join(", "),
            if names.len() == 1 { "was" } else { "were" }
        ),
    );
    Some(kept)
}

/// Reads a list of strings; a single string counts as a one-item list.
pub(crate) fn texts(cx: &mut Cx, path: &str, v: &Value) -> Vec<String> {
    match v {
        Value::Array(items) => within_limit(cx, path, items)
            .iter()
            .enumerate()
            .filter_map(|(i, item)| text(cx, &join(path, &i.to_string()), item))
            .collect(),
        Value::Null => Vec::new(),
        other => text(cx, path, other).into_iter().collect(),
    }
}

/// The first [`MAX_LIST_ITEMS`] items; a longer list is cut there with a `VAL008` warning.
pub(crate) fn within_limit<'a>(cx: &mut Cx, path: &str, items: &'a [Value]) -> &'a [Value] {
    if items.len() > MAX_LIST_ITEMS {
        cx.warn(
            ErrorCode::VAL008,
            path,
            format!(
                "list has {} items; only the first {MAX_LIST_ITEMS} are printed",
                items.len()
            ),
        );
        return &items[..MAX_LIST_ITEMS];
    }
    items
}

/// One entry of a list section: plain text or an object.
pub(crate) enum Entry<'a> {
    Text(String),
    Obj(Obj<'a>),
}

/// Reads a list whose items are text or objects, calling `f` for each.
pub(crate) fn list<'a, T>(
    cx: &mut Cx,
    path: &str,
    v: &'a Value,
    mut f: impl FnMut(&mut Cx, &str, Entry<'a>) -> Option<T>,
) -> Vec<T> {
    // One entry sent on its own (an object or a text instead of a list of them) is read as a
    // list of one.
    let one;
    let items: &'a [Value] = match v {
        Value::Array(items) => items,
        Value::Object(_) | Value::String(_) | Value::Number(_) => {
            one = std::slice::from_ref(v);
            return list_items(cx, path, one, &mut f, true);
        }
        Value::Null => return Vec::new(),
        other => {
            cx.warn(
                ErrorCode::VAL002,
                path,
                format!("expected a list, got {}; it was left out", type_name(other)),
            );
            return Vec::new();
        }
    };
    list_items(cx, path, items, &mut f, false)
}

fn list_items<'a, T>(
    cx: &mut Cx,
    path: &str,
    items: &'a [Value],
    f: &mut impl FnMut(&mut Cx, &str, Entry<'a>) -> Option<T>,
    single: bool,
) -> Vec<T> {
    let items = within_limit(cx, path, items);
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let p = if single {
            path.to_owned()
        } else {
            join(path, &i.to_string())
        };
        let entry = match item {
            Value::Object(map) => Entry::Obj(Obj::new(map, p.clone())),
            Value::String(_) | Value::Number(_) => match text(cx, &p, item) {
                Some(t) => Entry::Text(t),
                None => continue,
            },
            Value::Null => continue,
            other => {
                cx.warn(
                    ErrorCode::VAL002,
                    &p,
                    format!(
                        "expected text or an object, got {}; it was left out",
                        type_name(other)
                    ),
                );
                continue;
            }
        };
        out.extend(f(cx, &p, entry));
    }
    out
}

/// An object being read; remembers which keys were asked for.
pub(crate) struct Obj<'a> {
    pub(crate) map: &'a Map<String, Value>,
    pub(crate) path: String,
    /// Every key asked for, with the key of its group that won (if any).
    asked: BTreeMap<String, Option<String>>,
}

impl<'a> Obj<'a> {
    pub(crate) fn new(map: &'a Map<String, Value>, path: String) -> Self {
        Self {
            map,
            path,
            asked: BTreeMap::new(),
        }
    }

    /// Reads `v` as an object, or records a `VAL002` error.
    pub(crate) fn from_value(cx: &mut Cx, path: &str, v: &'a Value) -> Option<Self> {
        match v {
            Value::Object(map) => Some(Self::new(map, path.to_owned())),
            other => {
                cx.error(
                    ErrorCode::VAL002,
                    path,
                    format!("expected an object, got {}", type_name(other)),
                );
                None
            }
        }
    }

    /// The first non-empty value among `keys`, with its path. `skip` lets the caller rule out
    /// keys another section has already claimed.
    pub(crate) fn pick_with(
        &mut self,
        keys: &[&str],
        skip: impl Fn(&str) -> bool,
    ) -> Option<(String, &'a Value)> {
        let map = self.map;
        let winner = keys
            .iter()
            .find(|k| !skip(k) && map.get(**k).is_some_and(|v| !is_empty(v)))
            .map(|k| (*k).to_owned());
        for k in keys {
            if !skip(k) {
                self.asked
                    .entry((*k).to_owned())
                    .or_insert_with(|| winner.clone());
            }
        }
        let key = winner?;
        Some((join(&self.path, &key), &map[&key]))
    }

    pub(crate) fn pick(&mut self, keys: &[&str]) -> Option<(String, &'a Value)> {
        self.pick_with(keys, |_| false)
    }

    pub(crate) fn text(&mut self, cx: &mut Cx, keys: &[&str]) -> Option<String> {
        let (p, v) = self.pick(keys)?;
        text(cx, &p, v)
    }

    pub(crate) fn texts(&mut self, cx: &mut Cx, keys: &[&str]) -> Vec<String> {
        self.pick(keys)
            .map(|(p, v)| texts(cx, &p, v))
            .unwrap_or_default()
    }

    /// A date, stored canonically when it is one. A date that is not understood is kept as
    /// written (and printed so) with a `VAL006` warning: refusing a résumé over `asd` or an
    /// unusual spelling helps nobody.
    pub(crate) fn date(&mut self, cx: &mut Cx, keys: &[&str]) -> Option<String> {
        let (p, v) = self.pick(keys)?;
        let t = text(cx, &p, v)?;
        match crate::dates::ResumeDate::parse(&t) {
            Some(d) => Some(d.canonical()),
            None => {
                cx.warn(
                    ErrorCode::VAL006,
                    &p,
                    format!("date '{t}' is not in a known format; it is printed as written"),
                );
                Some(t)
            }
        }
    }

    /// A start and end date, where the start may hold the whole range (`2018 - Present`,
    /// `01/2018 – 03/2020`) when no end is given.
    pub(crate) fn date_range(
        &mut self,
        cx: &mut Cx,
        start: &[&str],
        end: &[&str],
    ) -> (Option<String>, Option<String>) {
        let has_end = self.map_has_any(end);
        if !has_end {
            if let Some(Value::String(s)) = self.peek(start) {
                if let Some((a, b)) = crate::dates::parse_range(s) {
                    self.pick(start);
                    self.pick(end);
                    return (Some(a.canonical()), Some(b.canonical()));
                }
            }
        }
        (self.date(cx, start), self.date(cx, end))
    }

    fn map_has_any(&self, keys: &[&str]) -> bool {
        keys.iter()
            .any(|k| self.map.get(*k).is_some_and(|v| !is_empty(v)))
    }

    fn peek(&self, keys: &[&str]) -> Option<&'a Value> {
        let map = self.map;
        keys.iter()
            .find_map(|k| map.get(*k).filter(|v| !is_empty(v)))
    }

    /// Text that is stored canonically when it is a date and verbatim otherwise.
    pub(crate) fn loose_date(&mut self, cx: &mut Cx, keys: &[&str]) -> Option<String> {
        let t = self.text(cx, keys)?;
        Some(crate::dates::ResumeDate::parse(&t).map_or(t, |d| d.canonical()))
    }

    /// A link: http, https or mailto; a bare host gets `https://`. Anything else is left out
    /// with a `VAL005` warning (a link that cannot be followed must not be printed as one).
    pub(crate) fn url(&mut self, cx: &mut Cx, keys: &[&str]) -> Option<String> {
        let (p, v) = self.pick(keys)?;
        let t = text(cx, &p, v)?;
        match check_url(&t) {
            Ok(u) => Some(u),
            Err(msg) => {
                cx.warn(
                    ErrorCode::VAL005,
                    &p,
                    format!("{msg}; the link was left out"),
                );
                None
            }
        }
    }

    /// Records warnings for keys that were never asked for or lost to a preferred alias.
    pub(crate) fn finish(self, cx: &mut Cx) {
        for (key, value) in self.map {
            if is_empty(value) {
                continue;
            }
            let p = join(&self.path, key);
            match self.asked.get(key) {
                Some(Some(winner)) if winner != key => cx.warn(
                    ErrorCode::VAL015,
                    &p,
                    format!("'{key}' was not used because '{winner}' takes precedence"),
                ),
                Some(_) => {}
                None => cx.warn(
                    ErrorCode::VAL011,
                    &p,
                    format!("unknown field '{key}' was ignored"),
                ),
            }
        }
    }
}

/// Checks and normalizes a link.
pub(crate) fn check_url(s: &str) -> Result<String, String> {
    if s.chars().any(char::is_whitespace) {
        return Err(format!("URL '{s}' contains whitespace"));
    }
    let scheme_end = s.find(':').filter(|&i| {
        i > 0
            && s[..i]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
            && s[..i]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    });
    match scheme_end {
        Some(i) => {
            let scheme = s[..i].to_ascii_lowercase();
            let rest = &s[i + 1..];
            match scheme.as_str() {
                "http" | "https" => {
                    let host = rest.strip_prefix("//").unwrap_or("");
                    let host = host.split(['/', '?', '#']).next().unwrap_or("");
                    if host.is_empty() {
                        Err(format!("URL '{s}' has no host"))
                    } else {
                        Ok(s.to_owned())
                    }
                }
                "mailto" if !rest.is_empty() => Ok(s.to_owned()),
                // "localhost:8080/x" parses as scheme "localhost"; treat host:port as a host.
                _ if rest
                    .split('/')
                    .next()
                    .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) =>
                {
                    Ok(format!("https://{s}"))
                }
                _ => Err(format!(
                    "URL scheme '{scheme}' is not allowed; use http, https or mailto"
                )),
            }
        }
        None => {
            let host = s.split(['/', '?', '#']).next().unwrap_or("");
            if host.contains('.') && !host.starts_with('.') && !host.ends_with('.') {
                Ok(format!("https://{s}"))
            } else {
                Err(format!("'{s}' is not a URL"))
            }
        }
    }
}

/// Checks an email address's shape (one `@`, a dotted domain, no spaces or brackets).
pub(crate) fn check_email(s: &str) -> Result<(), String> {
    let bad = |why: &str| Err(format!("email '{s}' is invalid: {why}"));
    let Some((local, domain)) = s.split_once('@') else {
        return bad("missing '@'");
    };
    if local.is_empty() || local.len() > 64 {
        return bad("the part before '@' is empty or too long");
    }
    if domain.contains('@') {
        return bad("more than one '@'");
    }
    if s.chars()
        .any(|c| c.is_whitespace() || "<>()[]\\,;:\"".contains(c))
    {
        return bad("it contains spaces or characters not allowed in addresses");
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2
        || labels
            .iter()
            .any(|l| l.is_empty() || l.starts_with('-') || l.ends_with('-'))
    {
        return bad("the domain must look like example.org");
    }
    Ok(())
}
