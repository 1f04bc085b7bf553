//! Request parsing and the document pipeline every route shares.
//!
//! [`prepare`] takes a `/generate`-style body (JSON `data` or `yaml_data` text) and returns a
//! [`Prepared`] job: the template, the normalized document, spacing, format, rendered LaTeX and
//! cache key; or one [`Failure`] listing every problem. The origin compiles the LaTeX; the edge
//! will answer `tex` directly and forward the rest, so both agree on errors and keys.

use serde::Serialize;
use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

use crate::cache_key::{Format, SpacingKey, cache_key};
use crate::dates::CivilDate;
use crate::error::{ErrorCode, Failure, FieldError};
use crate::i18n::Locale;
use crate::jsonresume;
use crate::layout::Options;
use crate::model::{Document, DocumentType, SpacingMode};
use crate::normalize::{Invalid, Normalized, Origin, normalize_as};
use crate::options;
use crate::reader::{Cx, Obj, is_empty, text};
use crate::render::{Template, render};

/// The largest request body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Where a request's document data comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// JSON `data` (`/generate`, `/validate`, `/analyze`).
    Json,
    /// YAML text in `yaml_data` (`/generate-yaml`).
    Yaml,
}

/// The request fields every document route reads, checked.
#[derive(Debug, Clone)]
pub struct Envelope {
    /// The document type.
    pub document_type: DocumentType,
    /// The template, when the route takes one.
    pub template: Option<&'static Template>,
    /// The requested format.
    pub format: Format,
    /// The spacing mode from the request, which overrides the one in the data.
    pub spacing: Option<SpacingMode>,
    /// `spacing_mode: "fit"`: the most pages allowed (`max_pages`, default 1).
    pub fit: Option<u32>,
    /// `use_cache` (default true).
    pub use_cache: bool,
    /// The document data, parsed from JSON or YAML.
    pub data: Value,
    /// The JSON pointer of the data, for error paths.
    pub data_path: &'static str,
    /// Whether the data is a JSON Resume document (sent as `input_format: "jsonresume"`, or
    /// detected from a `basics` object in résumé data).
    pub jsonresume: bool,
    /// Warnings about the envelope itself (unknown fields).
    pub warnings: Vec<FieldError>,
    /// The layout options sent in the envelope, unread (they win over the data's).
    pub options: options::Raw,
    /// The request's locale, when it names one it can read.
    pub locale: Option<Locale>,
    /// `custom_sections` sent in the envelope rather than in the data.
    pub custom_sections: Option<Value>,
}

/// A validated, normalized request and its cache key; rendering comes later, only on a miss.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The template.
    pub template: &'static Template,
    /// The normalized document.
    pub document: Document,
    /// The effective spacing mode (with `fit`, the first to try: normal).
    pub spacing: SpacingMode,
    /// With `spacing_mode: "fit"`, the most pages allowed.
    pub fit: Option<u32>,
    /// The requested format.
    pub format: Format,
    /// The layout options (page size, locale, order, titles, page numbers).
    pub options: Options,
    /// The cache key (hex SHA-256), also the ETag.
    pub key: String,
    /// `use_cache` from the request.
    pub use_cache: bool,
    /// Non-fatal findings.
    pub warnings: Vec<FieldError>,
}

/// A checked request with its LaTeX rendered; it reads as the [`Checked`] it came from.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The request as checked.
    pub checked: Checked,
    /// The rendered LaTeX.
    pub tex: String,
}

impl std::ops::Deref for Prepared {
    type Target = Checked;

    fn deref(&self) -> &Checked {
        &self.checked
    }
}

/// A file the LaTeX reads besides itself (the photo): written into the job folder under its
/// fixed name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// The file name, one of a fixed set (`photo.png`, `photo.jpg`): never from user text.
    pub name: &'static str,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// The files a document's LaTeX reads besides itself.
pub fn assets(doc: &Document) -> Vec<Asset> {
    doc.personal_info()
        .photo
        .iter()
        .map(|p| Asset {
            name: p.format.file_name(),
            bytes: p.bytes(),
        })
        .collect()
}

impl Checked {
    /// The files the LaTeX reads besides itself.
    pub fn assets(&self) -> Vec<Asset> {
        assets(&self.document)
    }

    /// Renders the LaTeX (only needed when the document is not already cached).
    pub fn render(self) -> Result<Prepared, Failure> {
        let tex = render_tex(self.template, &self.document, &self.options, self.spacing)?;
        Ok(Prepared { checked: self, tex })
    }

    /// The bytes of a format this crate makes itself ([`Format::is_local`]: text, DOCX) with
    /// a spacing mode; `None` for formats that need LaTeX or pdflatex.
    pub fn local_bytes(&self, spacing: SpacingMode) -> Option<Result<Vec<u8>, Failure>> {
        match self.format {
            Format::Txt => Some(Ok(self.text().into_bytes())),
            Format::Docx => Some(self.docx(spacing)),
            Format::Pdf | Format::Tex => None,
        }
    }

    /// The document as plain text (whatever format was asked for).
    pub fn text(&self) -> String {
        crate::text::render(self.template, &self.document, &self.options)
    }

    /// The LaTeX of the document with another spacing mode (fit-to-pages tries several).
    pub fn tex_with(&self, spacing: SpacingMode) -> Result<String, Failure> {
        render_tex(self.template, &self.document, &self.options, spacing)
    }

    /// The document as DOCX with a spacing mode (whatever format was asked for).
    pub fn docx(&self, spacing: SpacingMode) -> Result<Vec<u8>, Failure> {
        crate::docx::render(self.template, &self.document, &self.options, spacing)
            .map_err(|e| Failure::new(ErrorCode::SYS001, format!("rendering failed: {e}")))
    }

    /// The person's name.
    pub fn name(&self) -> &str {
        match &self.document {
            Document::Resume(r) => &r.personal_info.name,
            Document::CoverLetter(c) => &c.personal_info.name,
        }
    }

    /// The download file name: `resume_Tomas_Ferreira-Lund.pdf` (ASCII) and its UTF-8 form.
    pub fn content_disposition(&self) -> String {
        content_disposition(
            self.template.document_type,
            self.name(),
            self.format.extension(),
        )
    }
}

/// Checks a request's `Content-Type`: JSON (`application/json` or `application/*+json`) or
/// an `API006` failure naming what was sent.
pub fn require_json(content_type: &str) -> Result<(), Failure> {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
    {
        return Ok(());
    }
    let got = if content_type.is_empty() {
        "none".to_owned()
    } else {
        format!("'{content_type}'")
    };
    Err(Failure::new(
        ErrorCode::API006,
        format!("content type {got} is not supported; send application/json"),
    ))
}

/// Parses YAML text into JSON data. Aliases are expanded with a hard limit, so a few hundred
/// bytes cannot expand into millions of nodes.
pub fn parse_yaml(text: &str, path: &str) -> Result<Value, Failure> {
    let fail =
        |msg: String| Failure::from_fields(vec![FieldError::new(ErrorCode::VAL014, path, msg)]);
    if text.trim().is_empty() {
        return Err(fail("yaml_data is empty".to_owned()));
    }
    let value: Value = serde_yaml_ng::from_str(text).map_err(|e| {
        let msg = e.to_string();
        // serde_yaml_ng reports alias expansion beyond its limit as a "repetition limit".
        if msg.contains("repetition limit") || msg.contains("recursion limit") {
            fail("YAML expands too much (anchors and aliases are limited)".to_owned())
        } else {
            fail(format!("invalid YAML: {msg}"))
        }
    })?;
    if !value.is_object() {
        return Err(fail(
            "the YAML document must be a mapping with personalInfo at the top".to_owned(),
        ));
    }
    Ok(value)
}

/// Reads the request envelope. `needs_template` is false for `/validate`.
pub fn read_envelope(
    body: &Value,
    source: Source,
    needs_template: bool,
) -> Result<Envelope, Failure> {
    let mut cx = Cx::default();
    let Some(mut o) = Obj::from_value(&mut cx, "", body) else {
        return Err(Failure::new(
            ErrorCode::VAL013,
            "the request body must be a JSON object",
        ));
    };
    let document_type = match o.pick(&["document_type"]) {
        Some((p, v)) => text(&mut cx, &p, v).and_then(|t| {
            let dt = DocumentType::parse(&t);
            if dt.is_none() {
                cx.error(
                    ErrorCode::API003,
                    &p,
                    format!("unknown document_type '{t}'; use resume or cover_letter"),
                );
            }
            dt
        }),
        None => {
            cx.error(
                ErrorCode::VAL001,
                "/document_type",
                "required field 'document_type' is missing",
            );
            None
        }
    };
    let template_name = if needs_template {
        match o.pick(&["template"]) {
            Some((p, v)) => text(&mut cx, &p, v),
            None => {
                cx.error(
                    ErrorCode::VAL001,
                    "/template",
                    "required field 'template' is missing",
                );
                None
            }
        }
    } else {
        o.pick(&["template"]);
        None
    };
    let format = match o.pick(&["format"]) {
        Some((p, v)) => text(&mut cx, &p, v).and_then(|t| {
            let f = Format::parse(&t);
            if f.is_none() {
                cx.error(
                    ErrorCode::API003,
                    &p,
                    format!(
                        "format '{t}' is not supported; use one of: {}",
                        Format::SUPPORTED.join(", ")
                    ),
                );
            }
            f
        }),
        None => Some(Format::Pdf),
    };
    let mut fit = None;
    let spacing = o.pick(&["spacing_mode"]).and_then(|(p, v)| {
        let t = text(&mut cx, &p, v)?;
        if t.trim().eq_ignore_ascii_case("fit") {
            fit = Some(1);
            return None;
        }
        let m = SpacingMode::parse(&t);
        if m.is_none() {
            cx.error(
                ErrorCode::VAL012,
                &p,
                format!("unknown spacing mode '{t}'; use normal, compact, ultra-compact or fit"),
            );
        }
        m
    });
    if let Some((p, v)) = o.pick(&["max_pages"]) {
        match v.as_u64() {
            Some(n @ 1..=20) if fit.is_some() => fit = Some(n as u32),
            Some(1..=20) => cx.warn(
                ErrorCode::VAL015,
                &p,
                "max_pages is used only with spacing_mode \"fit\"",
            ),
            _ => cx.error(
                ErrorCode::VAL012,
                &p,
                "max_pages must be a whole number from 1 to 20",
            ),
        }
    }
    // Read directly: `pick` treats `false` as absent, and `false` is the value that matters.
    o.pick(&["use_cache"]);
    let use_cache = match o.map.get("use_cache") {
        Some(Value::Bool(b)) => *b,
        None => true,
        Some(v) if is_empty(v) => true,
        Some(_) => {
            cx.error(
                ErrorCode::VAL002,
                "/use_cache",
                "use_cache must be true or false",
            );
            true
        }
    };
    let input_format = o.pick(&["input_format"]).and_then(|(p, v)| {
        let t = text(&mut cx, &p, v)?;
        match t.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
            "native" | "json" | "yaml" => Some(false),
            "jsonresume" => Some(true),
            _ => {
                cx.error(
                    ErrorCode::API003,
                    &p,
                    format!("input_format '{t}' is not supported; use native or jsonresume"),
                );
                None
            }
        }
    });
    let options = options::Raw::pick(&mut o);
    let mut locale = None;
    if let Some((p, v)) = options.get_raw("locale") {
        locale = options::locale(&mut cx, p, v);
    }
    let custom_sections = o
        .pick(&["custom_sections", "customSections"])
        .map(|(_, v)| v.clone());
    // Accepted for compatibility; validation is always complete, files are never kept.
    o.pick(&["clean_up"]);
    o.pick(&["ultra_validation"]);
    o.pick(&["validation_level"]);
    let (data, data_path) = match source {
        Source::Json => match o.pick(&["data"]) {
            Some((_, v)) => (Some(v.clone()), "/data"),
            None => {
                cx.error(
                    ErrorCode::VAL001,
                    "/data",
                    "required field 'data' is missing",
                );
                (None, "/data")
            }
        },
        Source::Yaml => match o.map.get("yaml_data") {
            Some(Value::String(s)) => {
                o.pick(&["yaml_data"]);
                match parse_yaml(s, "/yaml_data") {
                    Ok(v) => (Some(v), ""),
                    Err(f) => {
                        cx.errors.extend(f.errors);
                        (None, "")
                    }
                }
            }
            Some(_) => {
                o.pick(&["yaml_data"]);
                cx.error(ErrorCode::VAL002, "/yaml_data", "yaml_data must be text");
                (None, "")
            }
            None => {
                cx.error(
                    ErrorCode::VAL001,
                    "/yaml_data",
                    "required field 'yaml_data' is missing",
                );
                (None, "")
            }
        },
    };
    o.finish(&mut cx);

    let template = match (document_type, template_name) {
        (Some(dt), Some(name)) => match Template::find(dt, &name) {
            Some(t) => Some(t),
            None => {
                let names = Template::names(dt);
                let hint = closest(&name, &names)
                    .map(|s| format!(" (did you mean '{s}'?)"))
                    .unwrap_or_default();
                return Err(Failure::new(
                    ErrorCode::TPL001,
                    format!(
                        "template '{name}' not found for document type '{}'{hint}",
                        dt.as_str()
                    ),
                )
                .with_hint(format!(
                    "use one of the available templates: {}",
                    names.join(", ")
                ))
                .with_context("available_templates", names.into()));
            }
        },
        _ => None,
    };
    if !cx.errors.is_empty() {
        let fmt_error = cx.errors.iter().any(|e| e.path == "/format");
        let f = Failure::from_fields(cx.errors);
        return Err(if fmt_error {
            f.with_context("supported_formats", Format::SUPPORTED.into())
        } else {
            f
        });
    }
    let document_type = document_type.expect("no errors means document_type was read");
    let data = data.expect("no errors means data was read");
    let jsonresume = input_format
        .unwrap_or_else(|| document_type == DocumentType::Resume && jsonresume::detect(&data));
    if jsonresume && document_type != DocumentType::Resume {
        return Err(Failure::from_fields(vec![FieldError::new(
            ErrorCode::API003,
            "/input_format",
            "JSON Resume input is for résumés; send cover letters in the native format",
        )]));
    }
    Ok(Envelope {
        document_type,
        template,
        format: format.unwrap_or(Format::Pdf),
        spacing,
        fit,
        use_cache,
        data,
        data_path,
        jsonresume,
        warnings: cx.warnings,
        options,
        locale,
        custom_sections,
    })
}

/// The name in `names` closest to `name` (ignoring case), if it is close enough to be a typo.
pub(crate) fn closest<'a>(name: &str, names: &[&'a str]) -> Option<&'a str> {
    fn distance(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut prev = row[0];
            row[0] = i + 1;
            for (j, cb) in b.iter().enumerate() {
                let cur = row[j + 1];
                row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
                prev = cur;
            }
        }
        row[b.len()]
    }
    names
        .iter()
        .map(|n| (distance(&name.to_lowercase(), &n.to_lowercase()), *n))
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, n)| n)
}

/// Normalizes an envelope's data; JSON Resume is converted first and error paths point back
/// into the document as sent. `custom_sections` sent in the envelope join the data's.
pub fn normalize_envelope(env: &Envelope, today: CivilDate) -> Result<Normalized, Invalid> {
    let with_custom;
    let data = match (&env.custom_sections, env.data.as_object()) {
        (Some(c), Some(m)) => {
            let mut m = m.clone();
            m.insert(ENVELOPE_CUSTOM.to_owned(), c.clone());
            with_custom = Value::Object(m);
            &with_custom
        }
        _ => &env.data,
    };
    let mut result = normalize_data(env, data, today);
    // Findings about envelope custom sections point at the envelope's field.
    let from = format!("{}/{ENVELOPE_CUSTOM}", env.data_path);
    let fix = |list: &mut Vec<FieldError>| {
        for e in list {
            if let Some(rest) = e.path.strip_prefix(&from) {
                e.path = format!("/custom_sections{rest}");
            }
        }
    };
    match &mut result {
        Ok(n) => fix(&mut n.warnings),
        Err(inv) => {
            fix(&mut inv.errors);
            fix(&mut inv.warnings);
        }
    }
    result
}

/// The data key envelope custom sections are read under (one the reader accepts).
const ENVELOPE_CUSTOM: &str = "custom_sections";

fn normalize_data(env: &Envelope, data: &Value, today: CivilDate) -> Result<Normalized, Invalid> {
    if !env.jsonresume {
        return normalize_as(
            env.document_type,
            data,
            env.data_path,
            today,
            Origin::Native,
            env.locale,
        );
    }
    let conv = jsonresume::convert(data, env.data_path);
    match normalize_as(
        env.document_type,
        &conv.data,
        env.data_path,
        today,
        Origin::JsonResume,
        env.locale,
    ) {
        Ok(mut n) => {
            conv.rewrite(&mut n.warnings);
            n.warnings.splice(0..0, conv.warnings.iter().cloned());
            n.options.map_paths(|p| conv.original_path(p));
            Ok(n)
        }
        Err(mut inv) => {
            conv.rewrite(&mut inv.errors);
            conv.rewrite(&mut inv.warnings);
            inv.warnings.splice(0..0, conv.warnings.iter().cloned());
            Err(inv)
        }
    }
}

/// Resolves the layout options of a normalized request (the envelope's over the data's).
fn resolve_options(env: &Envelope, n: &Normalized) -> Result<(Options, Vec<FieldError>), Failure> {
    let mut cx = Cx::default();
    let custom: &[crate::model::CustomSection] = match &n.document {
        Document::Resume(r) => &r.custom_sections,
        Document::CoverLetter(_) => &[],
    };
    // Validation without a template resolves against the type's first (classic) one.
    let template = env.template.unwrap_or_else(|| {
        crate::render::TEMPLATES
            .iter()
            .find(|t| t.document_type == env.document_type)
            .expect("every document type has a template")
    });
    let opts = options::resolve(&mut cx, template, &env.options, &n.options, custom);
    let capped = |list| crate::normalize::capped(list, env.data_path);
    if cx.errors.is_empty() {
        Ok((opts, capped(cx.warnings)))
    } else {
        Err(Failure::from_fields(capped(cx.errors)))
    }
}

/// The whole pipeline: envelope → normalize → key → render.
pub fn prepare(body: &Value, source: Source, today: CivilDate) -> Result<Prepared, Failure> {
    check(body, source, today)?.render()
}

/// Envelope → normalize → key, without rendering: all a cache lookup needs.
pub fn check(body: &Value, source: Source, today: CivilDate) -> Result<Checked, Failure> {
    let env = read_envelope(body, source, true)?;
    let template = env.template.expect("read_envelope requires a template");
    let normalized =
        normalize_envelope(&env, today).map_err(|inv| Failure::from_fields(inv.errors))?;
    let (options, option_warnings) = resolve_options(&env, &normalized)?;
    let spacing = match env.fit {
        Some(_) => SpacingMode::Normal,
        None => env
            .spacing
            .or(normalized.spacing)
            .unwrap_or(template.default_spacing),
    };
    let spacing_key = env.fit.map_or(SpacingKey::Mode(spacing), SpacingKey::Fit);
    let key = cache_key(
        template,
        &normalized.document,
        &options,
        env.format,
        spacing_key,
    );
    let mut warnings = env.warnings;
    warnings.extend(normalized.warnings);
    warnings.extend(option_warnings);
    Ok(Checked {
        template,
        document: normalized.document,
        spacing,
        fit: env.fit,
        format: env.format,
        options,
        key,
        use_cache: env.use_cache,
        warnings,
    })
}

/// Renders LaTeX, mapping a template failure (a bug, never user input) to `SYS001`.
pub fn render_tex(
    template: &Template,
    doc: &Document,
    options: &Options,
    spacing: SpacingMode,
) -> Result<String, Failure> {
    render(template, doc, options, spacing)
        .map_err(|e| Failure::new(ErrorCode::SYS001, format!("rendering failed: {e}")))
}

/// The `/validate` answer.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ValidationReport {
    /// Whether the document can be generated.
    pub valid: bool,
    /// Always `standard`: every check always runs.
    pub validation_level: String,
    /// A one-line summary.
    pub message: String,
    /// Every error, each with a code and JSON pointer.
    pub errors: Vec<FieldError>,
    /// Unknown or shadowed fields and removed characters; they do not make a document invalid.
    pub warnings: Vec<FieldError>,
    /// What to do next.
    pub suggestions: Vec<String>,
    /// Counts of what was found, when valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_summary: Option<Value>,
    /// The data after normalization (aliases resolved, dates canonical), when valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub normalized_data: Option<Document>,
}

/// Validates a `/validate` body. Envelope problems (bad JSON shape, unknown type) are a
/// [`Failure`]; problems in the document itself are reported in the answer.
pub fn validate(body: &Value, today: CivilDate) -> Result<ValidationReport, Failure> {
    let env = read_envelope(body, Source::Json, false)?;
    let normalized =
        normalize_envelope(&env, today).and_then(|n| match resolve_options(&env, &n) {
            Ok((_, w)) => {
                let mut n = n;
                n.warnings.extend(w);
                Ok(n)
            }
            Err(f) => Err(Invalid {
                errors: f.errors,
                warnings: n.warnings,
            }),
        });
    Ok(match normalized {
        Ok(n) => {
            // The keys a serialized document has are exactly the sections that are present.
            let sections: Vec<String> = serde_json::to_value(&n.document)
                .ok()
                .and_then(|v| v.as_object().map(|m| m.keys().cloned().collect()))
                .unwrap_or_default();
            let mut warnings = env.warnings;
            warnings.extend(n.warnings);
            ValidationReport {
                valid: true,
                validation_level: "standard".to_owned(),
                message: format!(
                    "the {} is valid",
                    env.document_type.as_str().replace('_', " ")
                ),
                errors: Vec::new(),
                suggestions: if warnings.is_empty() {
                    Vec::new()
                } else {
                    vec!["review the warnings: those fields are not rendered".to_owned()]
                },
                warnings,
                data_summary: Some(serde_json::json!({
                    "document_type": env.document_type.as_str(),
                    "sections_found": sections,
                    "personal_info_complete": true,
                })),
                normalized_data: Some(n.document),
            }
        }
        Err(inv) => ValidationReport {
            valid: false,
            validation_level: "standard".to_owned(),
            message: format!("found {} error(s)", inv.errors.len()),
            suggestions: vec![
                "fix each error at the JSON pointer in 'path'".to_owned(),
                format!(
                    "see GET /schema/{} for every field",
                    env.document_type.as_str()
                ),
            ],
            errors: inv.errors,
            warnings: inv.warnings,
            data_summary: None,
            normalized_data: None,
        },
    })
}

/// A `Content-Disposition` value: an ASCII file name plus the RFC 5987 UTF-8 one.
pub fn content_disposition(kind: DocumentType, name: &str, ext: &str) -> String {
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join("_");
    // ASCII fallback: strip accents (NFD, drop combining marks), keep [A-Za-z0-9_-].
    let ascii: String = words(name)
        .nfd()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    let ascii = if ascii.trim_matches('_').is_empty() {
        "document".to_owned()
    } else {
        ascii
    };
    let utf8 = words(name);
    let mut encoded = String::new();
    for b in format!("{}_{utf8}.{ext}", kind.as_str()).bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!(
        "attachment; filename=\"{}_{ascii}.{ext}\"; filename*=UTF-8''{encoded}",
        kind.as_str()
    )
}

#[cfg(test)]
mod tests;
