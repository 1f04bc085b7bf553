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
    pub fn rewrite(&self, errors: &mut [FieldError]) {
        for e in errors {
            e.path = self.original_path(&e.path);
        }
    }
}

struct Conv {
    map: Vec<(String, String)>,
    warnings: Vec<FieldError>,
}

impl Conv {
    /// Copies `src[from]` to `out[to]` and records the path pair.
    fn copy(
        &mut self,
        out: &mut Map<String, Value>,
        to: (&str, &str),
        src: &Map<String, Value>,
        from: (&str, &str),
    ) {
        if let Some(v) = src.get(from.1).filter(|v| !is_empty(v)) {
            out.insert(to.1.to_owned(), v.clone());
            self.map.push((join(to.0, to.1), join(from.0, from.1)));
        }
    }

    fn unknown(&mut self, src: &Map<String, Value>, known: &[&str], path: &str) {
        for (k, v) in src {
            if !known.contains(&k.as_str()) && !is_empty(v) {
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

fn text<'a>(o: &'a Map<String, Value>, k: &str) -> Option<&'a str> {
    o.get(k)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

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
    if let Some(b) = src.get("basics").and_then(Value::as_object) {
        let bp = join(base, "basics");
        let pp = join(base, "personalInfo");
        c.map.push((pp.clone(), bp.clone()));
        let mut p = Map::new();
        c.copy(&mut p, (&pp, "name"), b, (&bp, "name"));
        c.copy(&mut p, (&pp, "email"), b, (&bp, "email"));
        c.copy(&mut p, (&pp, "phone"), b, (&bp, "phone"));
        c.copy(&mut p, (&pp, "title"), b, (&bp, "label"));
        c.copy(&mut p, (&pp, "website"), b, (&bp, "url"));
        match b.get("location") {
            Some(Value::Object(l)) => {
                let parts: Vec<&str> = ["city", "region", "countryCode"]
                    .iter()
                    .filter_map(|k| text(l, k))
                    .collect();
                if !parts.is_empty() {
                    p.insert("location".into(), json!(parts.join(", ")));
                    c.map.push((join(&pp, "location"), join(&bp, "location")));
                }
            }
            Some(_) => c.copy(&mut p, (&pp, "location"), b, (&bp, "location")),
            None => {}
        }
        if let Some(Value::Array(profiles)) = b.get("profiles") {
            for (i, prof) in profiles.iter().enumerate() {
                let path = join(&join(&bp, "profiles"), &i.to_string());
                let Some(prof) = prof.as_object() else {
                    continue;
                };
                let network = text(prof, "network").unwrap_or("").to_ascii_lowercase();
                let user = text(prof, "username");
                let slot = match network.as_str() {
                    "linkedin" => Some(("linkedin", "https://www.linkedin.com/in/")),
                    "github" => Some(("github", "https://github.com/")),
                    "twitter" => Some(("twitter", "https://twitter.com/")),
                    "x" => Some(("x", "https://x.com/")),
                    _ => None,
                };
                let Some((key, prefix)) = slot.filter(|(k, _)| !p.contains_key(*k)) else {
                    c.warnings.push(FieldError::new(
                        ErrorCode::VAL011,
                        path,
                        format!(
                            "profile '{network}' has no place in the templates and was ignored"
                        ),
                    ));
                    continue;
                };
                let url = text(prof, "url")
                    .map(str::to_owned)
                    .or_else(|| user.map(|u| format!("{prefix}{u}")));
                if let Some(url) = url {
                    p.insert(key.into(), json!(url));
                    c.map.push((join(&pp, key), path.clone()));
                    if let Some(u) = user {
                        let shown = if key == "twitter" || key == "x" {
                            format!("@{u}")
                        } else {
                            u.to_owned()
                        };
                        p.insert(format!("{key}_display"), json!(shown));
                    }
                }
            }
        }
        c.unknown(
            b,
            &[
                "name", "email", "phone", "label", "url", "location", "profiles", "summary",
            ],
            &bp,
        );
        out.insert("personalInfo".into(), Value::Object(p));
        c.copy(&mut out, (base, "professionalSummary"), b, (&bp, "summary"));
    }

    let d = base;
    c.section(
        &mut out,
        (d, "experience"),
        src,
        (d, "work"),
        |c, o, np, op| {
            let mut m = Map::new();
            c.copy(&mut m, (np, "company"), o, (op, "name"));
            c.copy(&mut m, (np, "title"), o, (op, "position"));
            for k in ["url", "location", "startDate", "endDate"] {
                c.copy(&mut m, (np, k), o, (op, k));
            }
            let description = match (text(o, "summary"), text(o, "description")) {
                (Some(s), Some(d)) => Some(format!("{s} ({d})")),
                (s, d) => s.or(d).map(str::to_owned),
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
                    "position",
                    "url",
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
            for k in ["url", "startDate", "endDate"] {
                c.copy(&mut m, (np, k), o, (op, k));
            }
            c.copy(&mut m, (np, "description"), o, (op, "summary"));
            c.copy(&mut m, (np, "achievements"), o, (op, "highlights"));
            if !m.contains_key("role") {
                // A volunteering entry needs a title; the organization is the best one available.
                if let Some(org) = text(o, "organization") {
                    m.insert("role".into(), json!(org));
                }
            }
            c.unknown(
                o,
                &[
                    "organization",
                    "position",
                    "url",
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
                (t, a) => t.or(a).map(str::to_owned),
            };
            if let Some(deg) = degree {
                m.insert("degree".into(), json!(deg));
                c.map.push((join(np, "degree"), join(op, "studyType")));
            }
            for k in ["url", "startDate", "endDate"] {
                c.copy(&mut m, (np, k), o, (op, k));
            }
            c.copy(&mut m, (np, "gpa"), o, (op, "score"));
            c.copy(&mut m, (np, "coursework"), o, (op, "courses"));
            c.unknown(
                o,
                &[
                    "institution",
                    "studyType",
                    "area",
                    "url",
                    "startDate",
                    "endDate",
                    "score",
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
            c.copy(&mut m, (np, "title"), o, (op, "title"));
            c.copy(&mut m, (np, "date"), o, (op, "date"));
            c.copy(&mut m, (np, "issuer"), o, (op, "awarder"));
            c.copy(&mut m, (np, "description"), o, (op, "summary"));
            c.unknown(o, &["title", "date", "awarder", "summary"], op);
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
            c.copy(&mut m, (np, "url"), o, (op, "url"));
            c.copy(&mut m, (np, "description"), o, (op, "summary"));
            c.unknown(
                o,
                &["name", "publisher", "releaseDate", "url", "summary"],
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
            let name = text(o, "name").unwrap_or("");
            let category = match text(o, "level") {
                Some(level) if !name.is_empty() => format!("{name} ({level})"),
                _ => name.to_owned(),
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
            c.copy(&mut m, (np, "language"), o, (op, "language"));
            c.copy(&mut m, (np, "proficiency"), o, (op, "fluency"));
            c.unknown(o, &["language", "fluency"], op);
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
            let name = text(o, "name").unwrap_or("");
            let keywords: Vec<&str> = o
                .get("keywords")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            if keywords.is_empty() {
                json!(name)
            } else {
                json!(format!("{name} ({})", keywords.join(", ")))
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
            for k in ["name", "url", "startDate", "endDate"] {
                c.copy(&mut m, (np, k), o, (op, k));
            }
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
                .chain(text(o, "entity").map(str::to_owned))
                .collect();
            let description = match (text(o, "description"), extra.is_empty()) {
                (Some(d), false) => Some(format!("{d} ({})", extra.join(", "))),
                (Some(d), true) => Some(d.to_owned()),
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
