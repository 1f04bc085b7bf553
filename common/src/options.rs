//! Reading the layout options (`page_size`, `locale`, `section_order`, `hidden_sections`,
//! `section_titles`, `page_numbers`) from the request envelope and from the document data.
//!
//! Both places are read the same way; a field of the request wins over the same field in the
//! data (a JSON Resume document's `meta.language` arrives as the data's `locale`). Values are
//! read leniently where the meaning is plain (`"A4 "`, `de-DE`, `Work` for `experience`) and
//! refused with a located `VAL012` and a "did you mean" where it is not.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::ErrorCode;
use crate::i18n::Locale;
use crate::layout::{self, Column, Options, PageSize};
use crate::model::CustomSection;
use crate::photo::PhotoShape;
use crate::reader::{Cx, Obj, is_empty, join, text};
use crate::render::Template;

/// Every option: its canonical (envelope) name and the other keys it is read from.
const KEYS: &[(&str, &[&str])] = &[
    (
        "page_size",
        &["page_size", "pageSize", "paper_size", "paperSize", "paper"],
    ),
    ("locale", &["locale", "language", "lang"]),
    ("section_order", &["section_order", "sectionOrder"]),
    ("hidden_sections", &["hidden_sections", "hiddenSections"]),
    ("section_titles", &["section_titles", "sectionTitles"]),
    ("page_numbers", &["page_numbers", "pageNumbers"]),
    (
        "accent_color",
        &[
            "accent_color",
            "accentColor",
            "accent_colour",
            "accentColour",
            "color",
            "colour",
        ],
    ),
    ("font", &["font", "font_family", "fontFamily", "typeface"]),
    ("photo_shape", &["photo_shape", "photoShape"]),
];

/// The options found in one place, unread: name → (JSON pointer, value).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Raw(BTreeMap<&'static str, (String, Value)>);

impl Raw {
    /// Takes the option fields out of an object (so they are not reported as unknown).
    pub(crate) fn pick(o: &mut Obj<'_>) -> Self {
        let mut raw = Raw::default();
        for (name, keys) in KEYS {
            // `pick` treats `false` as absent, and `page_numbers: false` is the value that matters.
            let direct = keys
                .iter()
                .find_map(|k| o.map.get(*k).filter(|v| v.is_boolean()).map(|v| (*k, v)));
            let picked = o.pick(keys);
            if let Some((k, v)) = direct {
                raw.0.insert(name, (join(&o.path, k), v.clone()));
            } else if let Some((p, v)) = picked {
                raw.0.insert(name, (p, v.clone()));
            }
        }
        raw
    }

    /// The locale named here, if any (`None` also when it does not parse; [`resolve`] reports it).
    pub fn locale(&self) -> Option<Locale> {
        self.0
            .get("locale")
            .and_then(|(_, v)| v.as_str())
            .and_then(Locale::parse)
    }

    /// One option as sent: its JSON pointer and value.
    pub(crate) fn get_raw(&self, name: &str) -> Option<(&str, &Value)> {
        self.0.get(name).map(|(p, v)| (p.as_str(), v))
    }

    fn get(&self, name: &str) -> Option<(&String, &Value)> {
        self.0.get(name).map(|(p, v)| (p, v))
    }

    /// Rewrites each option's pointer (a converted document's paths point into the original).
    pub(crate) fn map_paths(&mut self, f: impl Fn(&str) -> String) {
        for (p, _) in self.0.values_mut() {
            *p = f(p);
        }
    }
}

/// Resolves the options of a request for a template: `request` over `data`, checked against the document's
/// custom sections. The request's fields are the client's instructions: one that cannot be
/// read is an error. The data's are the document's own: one that cannot be read is a warning
/// and the default stays (a JSON Resume export naming a language the service lacks still
/// prints). A field the request sends replaces the data's whole.
pub(crate) fn resolve(
    cx: &mut Cx,
    template: &Template,
    request: &Raw,
    data: &Raw,
    custom: &[CustomSection],
) -> Options {
    // The template's own face unless the document or the request names one.
    let mut o = Options {
        font: template.layout.look.font,
        ..Options::default()
    };
    let mut soft = Cx::default();
    apply(&mut soft, &mut o, data, custom);
    cx.warnings.append(&mut soft.warnings);
    cx.warnings.extend(soft.errors.into_iter().map(|mut e| {
        e.message.push_str("; it was ignored");
        e
    }));
    apply(cx, &mut o, request, custom);
    o
}

/// Applies the options present in `raw` over `o`.
fn apply(cx: &mut Cx, o: &mut Options, raw: &Raw, custom: &[CustomSection]) {
    if let Some((p, v)) = raw.get("page_size") {
        let all = PageSize::ALL.map(PageSize::as_str);
        if let Some(s) = choice(cx, p, v, PageSize::parse, &all, "page size") {
            o.page_size = s;
        }
    }
    if let Some((p, v)) = raw.get("locale") {
        o.locale = locale(cx, p, v).unwrap_or_default();
    }
    if let Some((p, v)) = raw.get("font") {
        let all = layout::Font::ALL.map(layout::Font::as_str);
        if let Some(f) = choice(cx, p, v, layout::Font::parse, &all, "font") {
            o.font = f;
        }
    }
    if let Some((p, v)) = raw.get("photo_shape") {
        let all = PhotoShape::ALL.map(PhotoShape::as_str);
        if let Some(s) = choice(cx, p, v, PhotoShape::parse, &all, "photo shape") {
            o.photo_shape = s;
        }
    }
    if let Some((p, v)) = raw.get("accent_color") {
        if let Some(t) = text(cx, p, v) {
            match layout::parse_color(&t) {
                Some(rgb) => {
                    let used = layout::readable(rgb);
                    if used != rgb {
                        cx.warn(
                            ErrorCode::VAL012,
                            p,
                            format!(
                                "accent colour #{} is too light for white text on it and for links on white (contrast {:.1}:1; WCAG AA asks {}:1): #{}, the same hue darkened, is used",
                                layout::hex(rgb),
                                layout::contrast_with_white(rgb),
                                layout::MIN_CONTRAST,
                                layout::hex(used)
                            ),
                        );
                    }
                    o.accent_color = Some(layout::hex(used));
                }
                None => cx.error(
                    ErrorCode::VAL012,
                    p,
                    format!(
                        "accent colour '{t}' is not a colour; write it as #RRGGBB, e.g. #1F6FEB"
                    ),
                ),
            }
        }
    }
    if let Some((p, v)) = raw.get("page_numbers") {
        match v {
            Value::Bool(b) => o.page_numbers = *b,
            Value::String(s) if matches!(s.trim(), "true" | "false") => {
                o.page_numbers = s.trim() == "true";
            }
            _ => cx.error(ErrorCode::VAL002, p, "page_numbers must be true or false"),
        }
    }
    if let Some((p, v)) = raw.get("section_order") {
        o.section_order.clear();
        o.section_columns.clear();
        match v {
            Value::Object(m) => {
                for (col, column) in [("sidebar", Column::Sidebar), ("main", Column::Main)] {
                    if let Some(list) = m.get(col) {
                        for key in names(cx, &join(p, col), list, custom) {
                            o.section_columns.insert(key.clone(), column);
                            push_unique(&mut o.section_order, key);
                        }
                    }
                }
                for k in m
                    .keys()
                    .filter(|k| !matches!(k.as_str(), "sidebar" | "main"))
                {
                    cx.warn(
                        ErrorCode::VAL011,
                        &join(p, k),
                        format!("unknown column '{k}'; use sidebar or main"),
                    );
                }
            }
            _ => {
                for key in names(cx, p, v, custom) {
                    push_unique(&mut o.section_order, key);
                }
            }
        }
    }
    if let Some((p, v)) = raw.get("hidden_sections") {
        o.hidden_sections.clear();
        for key in names(cx, p, v, custom) {
            push_unique(&mut o.hidden_sections, key);
        }
    }
    if let Some((p, v)) = raw.get("section_titles") {
        o.section_titles.clear();
        match v {
            Value::Object(m) => {
                for (k, title) in m {
                    let tp = join(p, k);
                    let Some(key) = section(cx, &tp, k, custom) else {
                        continue;
                    };
                    if let Some(t) = text(cx, &tp, title) {
                        o.section_titles.insert(key, t);
                    }
                }
            }
            _ => cx.error(
                ErrorCode::VAL002,
                p,
                "section_titles must be an object of section → title",
            ),
        }
    }
}

/// A value out of a fixed set, read by `parse`; otherwise a located VAL012 naming the set.
fn choice<T>(
    cx: &mut Cx,
    p: &str,
    v: &Value,
    parse: fn(&str) -> Option<T>,
    names: &[&str],
    what: &str,
) -> Option<T> {
    let t = text(cx, p, v)?;
    let found = parse(&t);
    if found.is_none() {
        cx.error(
            ErrorCode::VAL012,
            p,
            format!(
                "{what} '{t}' is not offered{}; use one of: {}",
                hint(&t, names),
                names.join(", ")
            ),
        );
    }
    found
}

fn push_unique(list: &mut Vec<String>, key: String) {
    if !list.contains(&key) {
        list.push(key);
    }
}

/// Reads a locale, reporting one it does not know.
pub(crate) fn locale(cx: &mut Cx, path: &str, v: &Value) -> Option<Locale> {
    let t = text(cx, path, v)?;
    let l = Locale::parse(&t);
    if l.is_none() {
        let codes = Locale::codes();
        cx.error(
            ErrorCode::VAL012,
            path,
            format!(
                "locale '{t}' is not supported{}; use one of: {}",
                hint(&t, &codes),
                codes.join(", ")
            ),
        );
    }
    l
}

/// A list of section names (a lone name is a list of one), each resolved.
fn names(cx: &mut Cx, path: &str, v: &Value, custom: &[CustomSection]) -> Vec<String> {
    match v {
        Value::Array(items) => crate::reader::within_limit(cx, path, items)
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let ip = join(path, &i.to_string());
                match item {
                    Value::String(s) => section(cx, &ip, s, custom),
                    _ if is_empty(item) => None,
                    _ => {
                        cx.error(
                            ErrorCode::VAL002,
                            &ip,
                            "a section is named by its key, as text",
                        );
                        None
                    }
                }
            })
            .collect(),
        Value::String(s) => section(cx, path, s, custom).into_iter().collect(),
        _ if is_empty(v) => Vec::new(),
        _ => {
            cx.error(ErrorCode::VAL002, path, "expected a list of section keys");
            Vec::new()
        }
    }
}

fn section(cx: &mut Cx, path: &str, name: &str, custom: &[CustomSection]) -> Option<String> {
    let key = layout::resolve(name, custom);
    if key.is_none() {
        let known = layout::known_names(custom);
        let refs: Vec<&str> = known.iter().map(String::as_str).collect();
        cx.error(
            ErrorCode::VAL012,
            path,
            format!(
                "unknown section '{}'{}; see GET /template-info for the section keys",
                name.trim(),
                hint(name, &refs)
            ),
        );
    }
    key
}

/// JSON Schema of the option fields, by their request names (`page_size`…); the data takes
/// the same fields in camelCase (`pageSize`…).
pub fn schema_properties(camel: bool) -> serde_json::Map<String, Value> {
    let names = serde_json::json!({"type": "array", "items": {"type": "string"},
        "description": "section keys (see /template-info), JSON Resume names or custom section keys/titles"});
    let props = serde_json::json!({
        "page_size": {"type": "string", "enum": PageSize::ALL.map(PageSize::as_str), "default": "letter",
            "description": "paper size; case and a 'paper' suffix are ignored (A4, a4paper)"},
        "locale": {"type": "string", "default": "en",
            "description": format!("language of titles, dates and labels: {} (a tag such as de-DE or pt_BR reads as its language)", Locale::codes().join(", ")),
            "examples": Locale::codes()},
        "section_order": {"oneOf": [names.clone(), {"type": "object",
            "properties": {"sidebar": names.clone(), "main": names.clone()},
            "description": "two-column templates: the sections of each column, in order (moves them there)"}],
            "description": "sections to print first, in this order; the rest follow in the template's order"},
        "hidden_sections": names,
        "section_titles": {"type": "object", "additionalProperties": {"type": "string"},
            "description": "section key → heading, over the locale's"},
        "page_numbers": {"type": "boolean", "default": true,
            "description": "'Name · 2 / 3' in the footer of documents longer than one page"},
        "font": {"type": "string", "enum": crate::layout::Font::ALL.map(crate::layout::Font::as_str), "default": "pagella",
            "description": "type face (TeX Gyre): pagella (Palatino), termes (Times), bonum (Bookman), schola (Century Schoolbook) serifs; heros (Helvetica), adventor (Avant Garde) sans-serifs; the face it stands in for is read too"},
        "accent_color": {"type": "string", "pattern": "^#?([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$", "examples": ["#1F6FEB"],
            "description": "headings, rules, links and the two-column sidebar; a colour too light for white text (WCAG AA 4.5:1) is darkened, with a warning"},
        "photo_shape": {"type": "string", "enum": PhotoShape::ALL.map(PhotoShape::as_str), "default": "square",
            "description": "how personalInfo.photo is cropped: a square or a circle"},
    });
    let Value::Object(m) = props else {
        unreachable!("a JSON object literal")
    };
    if !camel {
        return m;
    }
    m.into_iter()
        .map(|(k, v)| {
            let camel: String = k
                .split('_')
                .enumerate()
                .map(|(i, w)| {
                    if i == 0 {
                        w.to_owned()
                    } else {
                        w[..1].to_uppercase() + &w[1..]
                    }
                })
                .collect();
            (camel, v)
        })
        .collect()
}

/// ` (did you mean 'x'?)` when a name is close to one of `names`.
fn hint(name: &str, names: &[&str]) -> String {
    crate::api::closest(name.trim(), names)
        .map(|s| format!(" (did you mean '{s}'?)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
