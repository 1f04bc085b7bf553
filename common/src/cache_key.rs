//! The cache key: SHA-256 over the canonical JSON of everything that decides a document's bytes.
//!
//! Canonical JSON here means the normalized model (so aliases and shapes that mean the same
//! thing give the same key) serialized with object keys sorted at every level (so the order of
//! keys in the request never matters). The key also covers the engine version and the
//! template's content hash, so a new release or an edited template never serves stale bytes.
//! This is an API boundary: any change to it is a deliberate, reviewed change of every key.

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::layout::Options;
use crate::model::{Document, DocumentType, SpacingMode};
use crate::render::Template;

/// An output format a key can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// A PDF compiled by pdflatex.
    Pdf,
    /// The rendered LaTeX source.
    Tex,
    /// Plain UTF-8 text of the same content.
    Txt,
    /// A Word document built natively from the same content.
    Docx,
}

impl Format {
    /// Parses a requested format; `latex` is an alias of `tex`.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "pdf" => Some(Format::Pdf),
            "tex" | "latex" => Some(Format::Tex),
            "txt" | "text" => Some(Format::Txt),
            "docx" => Some(Format::Docx),
            _ => None,
        }
    }

    /// The wire names the service accepts.
    pub const SUPPORTED: &'static [&'static str] = &["pdf", "tex", "latex", "txt", "docx"];

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Tex => "tex",
            Format::Txt => "txt",
            Format::Docx => "docx",
        }
    }

    /// The media type of a document in this format.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Pdf => "application/pdf",
            Format::Tex => "application/x-tex; charset=utf-8",
            Format::Txt => "text/plain; charset=utf-8",
            Format::Docx => crate::docx::CONTENT_TYPE,
        }
    }

    /// Formats whose bytes `common` makes itself: the edge answers them without the origin.
    pub fn is_local(self) -> bool {
        matches!(self, Format::Txt | Format::Docx)
    }

    /// Every format's file extension.
    pub const EXTENSIONS: &'static [&'static str] = &["pdf", "tex", "txt", "docx"];
}

#[derive(Serialize)]
struct KeyInput<'a> {
    engine: &'a str,
    template: String,
    template_hash: &'a str,
    document_type: DocumentType,
    format: Format,
    /// A mode's wire name, or `fit-N` for "the roomiest mode that fits N pages".
    spacing: &'a str,
    /// The layout options (page size, locale, order, titles, page numbers).
    options: &'a Options,
    data: &'a Document,
}

/// Serializes a JSON value with keys sorted at every level and no insignificant whitespace.
pub fn canonical_json(v: &Value) -> String {
    // serde_json's default map is a BTreeMap, so keys come out sorted; this function exists so
    // the property is stated and tested in one place rather than relied on implicitly.
    fn sort(v: &Value) -> Value {
        match v {
            Value::Object(m) => {
                let mut entries: Vec<_> = m.iter().collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                Value::Object(
                    entries
                        .into_iter()
                        .map(|(k, v)| (k.clone(), sort(v)))
                        .collect(),
                )
            }
            Value::Array(a) => Value::Array(a.iter().map(sort).collect()),
            other => other.clone(),
        }
    }
    sort(v).to_string()
}

/// The spacing part of a key: a fixed mode, or fitting to at most N pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpacingKey {
    /// One mode.
    Mode(SpacingMode),
    /// The roomiest mode whose PDF has at most this many pages.
    Fit(u32),
}

impl SpacingKey {
    fn label(self) -> String {
        match self {
            SpacingKey::Mode(m) => m.as_str().to_owned(),
            SpacingKey::Fit(n) => format!("fit-{n}"),
        }
    }
}

/// The hex cache key of a rendered document.
pub fn cache_key(
    template: &Template,
    doc: &Document,
    options: &Options,
    format: Format,
    spacing: SpacingKey,
) -> String {
    let spacing = spacing.label();
    let input = KeyInput {
        engine: crate::ENGINE_VERSION,
        template: template.id(),
        template_hash: template.content_hash(),
        document_type: template.document_type,
        format,
        spacing: &spacing,
        options,
        data: doc,
    };
    let value = serde_json::to_value(&input).expect("the key input is plain data");
    hex::encode(Sha256::digest(canonical_json(&value).as_bytes()))
}

/// Whether `s` has the form of a key: 64 lowercase hex digits.
pub fn is_key(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests;
