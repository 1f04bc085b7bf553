//! JSON Resume (schema 1.x) input, mapped onto the native model.
//!
//! A JSON Resume document is rewritten into native input (`basics` → `personalInfo`, `work` →
//! `experience`, …) and then normalized like any other, so validation, rendering and cache keys
//! are shared. Every native path produced is remembered with the JSON Resume path it came from,
//! so errors point into the document the user sent (`/data/work/0/startDate`). Keys with no
//! place in the model become `VAL011` warnings; `$schema` and `meta` are metadata and ignored.

use serde_json::{Map, Value, json};

use crate::error::{ErrorCode, FieldError};
use crate::reader::{is_empty, join};

/// Whether `data` looks like JSON Resume: a `basics` object and no native `personalInfo`.
pub fn detect(data: &Value) -> bool {
    data.get("basics").is_some_and(Value::is_object) && data.get("personalInfo").is_none()
}

/// Native input built from a JSON Resume document, with the way back to its paths.
#[derive(Debug, Clone)]
pub struct Converted {
    /// The native data.
    pub data: Value,
    /// Findings of the conversion itself (keys with no place in the model).
    pub warnings: Vec<FieldError>,
    /// (native path, JSON Resume path) pairs, for rewriting error paths.
    map: Vec<(String, String)>,
}

impl Converted {
    /// The JSON Resume path for a native path (longest mapped prefix wins).
    pub fn original_path(&self, native: &str) -> String {
        let hit = self
            .map
            .iter()
            .filter(|(n, _)| native == n || native.starts_with(&format!("{n}/")))
            .max_by_key(|(n, _)| n.len());
        match hit {
            Some((n, o)) => format!("{o}{}", &native[n.len()..]),
            None => native.to_owned(),
        }
    }

    /// Rewrites the paths of field errors or warnings.
    /// Messages that quote the native field name quote the document's instead
    /// (`'position' is missing`, not `'title'`).
    pub fn rewrite(&self, errors: &mut [FieldError]) {
        for e in errors {
            let original = self.original_path(&e.path);
            let last = |p: &str| p.rsplit('/').next().unwrap_or_default().to_owned();
            let (from, to) = (last(&e.path), last(&original));
            if from != to && !from.is_empty() {
                e.message = e.message.replace(&format!("'{from}'"), &format!("'{to}'"));
            }
            e.path = original;
        }
    }
}

struct Conv {
    map: Vec<(String, String)>,
    warnings: Vec<FieldError>,
}

impl Conv {
    /// Copies `src[from]` to `out[to]` and records the path pair (also when absent, so a
    /// warning about the missing field names it as the document spells it).
    fn copy(
        &mut self,
        out: &mut Map<String, Value>,
        to: (&str, &str),
        src: &Map<String, Value>,
        from: (&str, &str),
    ) {
        self.copy_any(out, to, src, (from.0, &[from.1]));
    }

    /// Like [`Conv::copy`], from the first present key of several (JSON Resume 1.x's name,
    /// then the 0.x name it replaced).
    fn copy_any(
        &mut self,
        out: &mut Map<String, Value>,
        to: (&str, &str),
        src: &Map<String, Value>,
        from: (&str, &[&str]),
    ) {
        let hit = from
            .1
            .iter()
            .find(|k| src.get(**k).is_some_and(|v| !is_empty(v)));
        let key = hit.copied().unwrap_or(from.1[0]);
        if let Some(k) = hit {
            out.insert(to.1.to_owned(), src[*k].clone());
        }
        self.map.push((join(to.0, to.1), join(from.0, key)));
    }

    fn unknown(&mut self, src: &Map<String, Value>, known: &[&str], path: &str) {
        for (k, v) in src {
            if !known.contains(&k.as_str()) && !PASSED_THROUGH.contains(&k.as_str()) && !is_empty(v)
            {
                self.warnings.push(FieldError::new(
                    ErrorCode::VAL011,
                    join(path, k),
                    format!(
                        "JSON Resume field '{k}' has no place in the templates and was ignored"
                    ),
                ));
            }
        }
    }

    /// Maps a list section item by item with `f(conv, item, native_item_path, original_item_path)`.
    fn section(
        &mut self,
        out: &mut Map<String, Value>,
        to: (&str, &str),
        src: &Map<String, Value>,
        from: (&str, &str),
        f: impl Fn(&mut Conv, &Map<String, Value>, &str, &str) -> Value,
    ) {
        let Some(v) = src.get(from.1).filter(|v| !is_empty(v)) else {
            return;
        };
        let (native, original) = (join(to.0, to.1), join(from.0, from.1));
        self.map.push((native.clone(), original.clone()));
        let Value::Array(items) = v else {
            out.insert(to.1.to_owned(), v.clone());
            return;
        };
        let mapped = items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::Object(o) => f(
                    self,
                    o,
                    &join(&native, &i.to_string()),
                    &join(&original, &i.to_string()),
                ),
                other => other.clone(),
            })
            .collect();
        out.insert(to.1.to_owned(), Value::Array(mapped));
    }
}

/// A field as text: strings trimmed, numbers written out.
fn text(o: &Map<String, Value>, k: &str) -> Option<String> {
    match o.get(k)? {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// JSON Resume's `profiles`, as a list of objects: also accepted as an object keyed by network
/// (`{"github": "ada"}` or `{"github": {"username": "ada"}}`).
fn profile_list(v: &Value) -> Vec<(String, Map<String, Value>)> {
    match v {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.as_object().map(|o| (i.to_string(), o.clone())))
            .collect(),
        Value::Object(by_network) => by_network
            .iter()
            .filter_map(|(network, p)| {
                let mut o = match p {
                    Value::Object(o) => o.clone(),
                    Value::String(s) if s.contains('/') => {
                        Map::from_iter([("url".to_owned(), json!(s))])
                    }
                    Value::String(s) => Map::from_iter([("username".to_owned(), json!(s))]),
                    _ => return None,
                };
                o.entry("network").or_insert_with(|| json!(network));
                Some((network.clone(), o))
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Joins a list summary's paragraphs; other values pass through.
fn paragraphs(v: &Value) -> Value {
    match v {
        Value::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .filter_map(|i| match i {
                    Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .collect();
            json!(parts.join("\n\n"))
        }
        other => other.clone(),
    }
}

/// Native keys a JSON Resume document may carry as they are.
const PASSED_THROUGH: &[&str] = &[
    "customSections",
    "custom_sections",
    "locale",
    "pageSize",
    "page_size",
    "sectionOrder",
    "section_order",
    "hiddenSections",
    "hidden_sections",
    "sectionTitles",
    "section_titles",
    "pageNumbers",
    "page_numbers",
    "font",
    "accentColor",
    "accent_color",
];

/// Converts a JSON Resume document found at `base` (e.g. `/data`).
pub fn convert(v: &Value, base: &str) -> Converted {
    let mut c = Conv {
        map: Vec::new(),
        warnings: Vec::new(),
    };
    let mut out = Map::new();
    let Some(src) = v.as_object() else {
        return Converted {
            data: v.clone(),
            warnings: Vec::new(),
            map: Vec::new(),
        };
    };
    c.unknown(
        src,
        &[
            "$schema",
            "meta",
            "basics",
            "work",
            "volunteer",
            "education",
            "awards",
            "certificates",
            "publications",
            "skills",
            "languages",
            "interests",
            "references",
            "projects",
        ],
        base,
    );
    // The request's own additions pass through as they are: custom sections and the layout
    // options a document may carry (`pageSize`, `sectionOrder`…); `meta.language` (or
    // `meta.locale`) is the document's locale.
    for (k, v) in src {
        if PASSED_THROUGH.contains(&k.as_str()) {
            out.insert(k.clone(), v.clone());
            c.map.push((join(base, k), join(base, k)));
        }
    }
    if let Some(meta) = src.get("meta").and_then(Value::as_object) {
        for key in ["locale", "language", "lang"] {
            if let Some(v) = meta.get(key).filter(|v| v.is_string()) {
                if !out.contains_key("locale") {
                    out.insert("locale".into(), v.clone());
                    c.map
                        .push((join(base, "locale"), join(&join(base, "meta"), key)));
                }
            }
        }
    }
    if let Some(b) = src.get("basics").and_then(Value::as_object) {
        let bp = join(base, "basics");
        let pp = join(base, "personalInfo");
        c.map.push((pp.clone(), bp.clone()));
        let mut p = Map::new();
        c.copy(&mut p, (&pp, "name"), b, (&bp, "name"));
        c.copy(&mut p, (&pp, "email"), b, (&bp, "email"));
        c.copy(&mut p, (&pp, "phone"), b, (&bp, "phone"));
        c.copy(&mut p, (&pp, "title"), b, (&bp, "label"));
        c.copy_any(&mut p, (&pp, "website"), b, (&bp, &["url", "website"]));
        match b.get("location") {
            Some(Value::Object(l)) => {
                let country = text(l, "country").or_else(|| text(l, "countryCode"));
                let parts: Vec<String> = [text(l, "city"), text(l, "region"), country]
                    .into_iter()
                    .flatten()
                    .fold(Vec::new(), |mut acc, t| {
                        if !acc.contains(&t) {
                            acc.push(t);
                        }
                        acc
                    });
                if !parts.is_empty() {
                    p.insert("location".into(), json!(parts.join(", ")));
                    c.map.push((join(&pp, "location"), join(&bp, "location")));
                }
            }
            Some(_) => c.copy(&mut p, (&pp, "location"), b, (&bp, "location")),
            None => {}
        }
        // The photo (a data: URI is printed; an address is left out by the reader, with a
        // warning at `basics.image`).
        c.copy_any(&mut p, (&pp, "photo"), b, (&bp, &["image", "picture"]));
        let profiles = b.get("profiles").map(profile_list).unwrap_or_default();
        for (i, prof) in &profiles {
            let path = join(&join(&bp, "profiles"), i);
            let network = text(prof, "network").unwrap_or_default().to_lowercase();
            let user = text(prof, "username");
            let slot = match network.as_str() {
                "linkedin" => Some(("linkedin", "https://www.linkedin.com/in/")),
                "github" => Some(("github", "https://github.com/")),
                "twitter" => Some(("twitter", "https://twitter.com/")),
                "x" => Some(("x", "https://x.com/")),
                // Any other profile takes the website's place when that is free.
                _ if !p.contains_key("website") && text(prof, "url").is_some() => {
                    Some(("website", ""))
                }
                _ => None,
            };
            let Some((key, prefix)) = slot.filter(|(k, _)| !p.contains_key(*k)) else {
                // Any other profile is listed after the fixed links.
                let list = p
                    .entry("profiles")
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(items) = list {
                    let native = join(&join(&pp, "profiles"), &items.len().to_string());
                    c.map.push((native, path.clone()));
                    items.push(json!({
                        "network": text(prof, "network").unwrap_or_default(),
                        "url": text(prof, "url"),
                        "username": user,
                    }));
                }
                continue;
            };
            let url = text(prof, "url").or_else(|| {
                user.as_ref()
                    .filter(|_| !prefix.is_empty())
                    .map(|u| format!("{prefix}{u}"))
            });
            if let Some(url) = url {
                p.insert(key.into(), json!(url));
                c.map.push((join(&pp, key), path.clone()));
                if let Some(u) = user {
                    let shown = if key == "twitter" || key == "x" {
                        format!("@{}", u.trim_start_matches('@'))
                    } else {
                        u
                    };
                    p.insert(format!("{key}_display"), json!(shown));
                }
            }
        }
        c.unknown(
            b,
            &[
                "name", "email", "phone", "label", "url", "website", "location", "profiles",
                "summary", "image", "picture",
            ],
            &bp,
        );
        out.insert("personalInfo".into(), Value::Object(p));
        if let Some(summary) = b.get("summary").filter(|v| !is_empty(v)) {
            out.insert("professionalSummary".into(), paragraphs(summary));
            c.map
                .push((join(base, "professionalSummary"), join(&bp, "summary")));
        }
    }

    let d = base;
    c.section(
        &mut out,
        (d, "experience"),
        src,
        (d, "work"),
        |c, o, np, op| {
            let mut m = Map::new();
            c.copy_any(&mut m, (np, "company"), o, (op, &["name", "company"]));
            c.copy(&mut m, (np, "title"), o, (op, "position"));
            c.copy_any(&mut m, (np, "url"), o, (op, &["url", "website"]));
            for k in ["location", "startDate", "endDate"] {
                c.copy(&mut m, (np, k), o, (op, k));
            }
            let description = match (text(o, "summary"), text(o, "description")) {
                (Some(s), Some(d)) => Some(format!("{s} ({d})")),
                (s, d) => s.or(d),
            };
            if let Some(desc) = description {
                m.insert("description".into(), json!(desc));
                c.map.push((join(np, "description"), join(op, "summary")));
            }
            c.copy(&mut m, (np, "achievements"), o, (op, "highlights"));
            c.unknown(
                o,
                &[
                    "name",
                    "company",
                    "position",
                    "url",
                    "website",
                    "location",
                    "startDate",
                    "endDate",
                    "summary",
                    "description",
                    "highlights",
                ],
                op,
            );
            Value::Object(m)
        },
    );
    c.section(
        &mut out,
        (d, "volunteering"),
        src,
        (d, "volunteer"),
        |c, o, np, op| {
            let mut m = Map::new();
            c.copy(&mut m, (np, "organization"), o, (op, "organization"));
            c.copy(&mut m, (np, "role"), o, (op, "position"));
            c.copy_any(&mut m, (np, "url"), o, (op, &["url", "website"]));
            for k in ["startDate", "endDate"] {
                c.copy(&mut m, (np, k), o, (op, k));
            }
            c.copy(&mut m, (np, "description"), o, (op, "summary"));
            c.copy(&mut m, (np, "achievements"), o, (op, "highlights"));
            c.unknown(
                o,
                &[
                    "organization",
                    "position",
                    "url",
                    "website",
                    "startDate",
                    "endDate",
                    "summary",
                    "highlights",
                ],
                op,
            );
            Value::Object(m)
        },
    );
    c.section(
        &mut out,
        (d, "education"),
        src,
        (d, "education"),
        |c, o, np, op| {
            let mut m = Map::new();
            c.copy(&mut m, (np, "institution"), o, (op, "institution"));
            let degree = match (text(o, "studyType"), text(o, "area")) {
                (Some(t), Some(a)) => Some(format!("{t} in {a}")),
                (t, a) => t.or(a),
            };
            if let Some(deg) = degree {
                m.insert("degree".into(), json!(deg));
            }
            c.map.push((join(np, "degree"), join(op, "studyType")));
            c.copy_any(&mut m, (np, "url"), o, (op, &["url", "website"]));
            for k in ["startDate", "endDate", "location"] {
                c.copy(&mut m, (np, k), o, (op, k));
            }
            c.copy_any(&mut m, (np, "gpa"), o, (op, &["score", "gpa"]));
            c.copy(&mut m, (np, "coursework"), o, (op, "courses"));
            c.unknown(
                o,
                &[
                    "institution",
                    "studyType",
                    "area",
                    "url",
                    "website",
                    "location",
                    "startDate",
                    "endDate",
                    "score",
                    "gpa",
                    "courses",
                ],
                op,
            );
            Value::Object(m)
        },
    );
    c.section(
        &mut out,
        (d, "awardsAndHonors"),
        src,
        (d, "awards"),
        |c, o, np, op| {
            let mut m = Map::new();
            c.copy_any(&mut m, (np, "title"), o, (op, &["title", "name"]));
            c.copy(&mut m, (np, "date"), o, (op, "date"));
            c.copy(&mut m, (np, "issuer"), o, (op, "awarder"));
            c.copy(&mut m, (np, "description"), o, (op, "summary"));
            c.unknown(o, &["title", "name", "date", "awarder", "summary"], op);
            Value::Object(m)
        },
    );
    c.section(
        &mut out,
        (d, "certifications"),
        src,
        (d, "certificates"),
        |c, o, np, op| {
            let mut m = Map::new();
            for k in ["name", "date", "issuer", "url"] {
                c.copy(&mut m, (np, k), o, (op, k));
            }
            c.unknown(o, &["name", "date", "issuer", "url"], op);
            Value::Object(m)
        },
    );
    c.section(
        &mut out,
        (d, "publications"),
        src,
        (d, "publications"),
        |c, o, np, op| {
            let mut m = Map::new();
            c.copy(&mut m, (np, "title"), o, (op, "name"));
            c.copy(&mut m, (np, "venue"), o, (op, "publisher"));
            c.copy(&mut m, (np, "date"), o, (op, "releaseDate"));
            c.copy_any(&mut m, (np, "url"), o, (op, &["url", "website"]));
            c.copy(&mut m, (np, "description"), o, (op, "summary"));
            c.unknown(
                o,
                &[
                    "name",
                    "publisher",
                    "releaseDate",
                    "url",
                    "website",
                    "summary",
                ],
                op,
            );
            Value::Object(m)
        },
    );
    c.section(
        &mut out,
        (d, "technologiesAndSkills"),
        src,
        (d, "skills"),
        |c, o, np, op| {
            let name = text(o, "name").unwrap_or_default();
            let category = match text(o, "level") {
                Some(level) if !name.is_empty() => format!("{name} ({level})"),
                Some(level) => level,
                None => name,
            };
            let keywords = o.get("keywords").filter(|v| !is_empty(v));
            c.map.push((join(np, "skills"), join(op, "keywords")));
            c.unknown(o, &["name", "level", "keywords"], op);
            match keywords {
                Some(k) => json!({"category": category, "skills": k}),
                None => json!({"category": "", "skills": [category]}),
            }
        },
    );
    c.section(
        &mut out,
        (d, "languages"),
        src,
        (d, "languages"),
        |c, o, np, op| {
            let mut m = Map::new();
            c.copy_any(&mut m, (np, "language"), o, (op, &["language", "name"]));
            c.copy_any(&mut m, (np, "proficiency"), o, (op, &["fluency", "level"]));
            c.unknown(o, &["language", "name", "fluency", "level"], op);
            Value::Object(m)
        },
    );
    c.section(
        &mut out,
        (d, "interests"),
        src,
        (d, "interests"),
        |c, o, _np, op| {
            c.unknown(o, &["name", "keywords"], op);
            let name = text(o, "name").unwrap_or_default();
            let keywords: Vec<&str> = o
                .get("keywords")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            match (name.is_empty(), keywords.is_empty()) {
                (_, true) => json!(name),
                (true, false) => json!(keywords.join(", ")),
                (false, false) => json!(format!("{name} ({})", keywords.join(", "))),
            }
        },
    );
    c.section(
        &mut out,
        (d, "references"),
        src,
        (d, "references"),
        |c, o, np, op| {
            let mut m = Map::new();
            c.copy(&mut m, (np, "name"), o, (op, "name"));
            c.copy(&mut m, (np, "statement"), o, (op, "reference"));
            c.unknown(o, &["name", "reference"], op);
            Value::Object(m)
        },
    );
    c.section(
        &mut out,
        (d, "projects"),
        src,
        (d, "projects"),
        |c, o, np, op| {
            let mut m = Map::new();
            for k in ["name", "startDate", "endDate"] {
                c.copy(&mut m, (np, k), o, (op, k));
            }
            c.copy_any(&mut m, (np, "url"), o, (op, &["url", "website"]));
            let extra: Vec<String> = o
                .get("roles")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
                .into_iter()
                .chain(text(o, "entity"))
                .collect();
            let description = match (text(o, "description"), extra.is_empty()) {
                (Some(d), false) => Some(format!("{d} ({})", extra.join(", "))),
                (Some(d), true) => Some(d),
                (None, false) => Some(extra.join(", ")),
                (None, true) => None,
            };
            if let Some(desc) = description {
                m.insert("description".into(), json!(desc));
                c.map
                    .push((join(np, "description"), join(op, "description")));
            }
            c.copy(&mut m, (np, "achievements"), o, (op, "highlights"));
            c.copy(&mut m, (np, "tools"), o, (op, "keywords"));
            c.unknown(
                o,
                &[
                    "name",
                    "url",
                    "website",
                    "startDate",
                    "endDate",
                    "description",
                    "roles",
                    "entity",
                    "highlights",
                    "keywords",
                    "type",
                ],
                op,
            );
            Value::Object(m)
        },
    );
    Converted {
        data: Value::Object(out),
        warnings: c.warnings,
        map: c.map,
    }
}

#[cfg(test)]
mod tests;
