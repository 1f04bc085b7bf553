//! A cached document: its bytes and what the response needs to describe them, and the byte
//! layout it has in Redis.

use axum::body::Bytes;
use serde::{Deserialize, Serialize};

/// Everything a response carries besides the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// File extension: `pdf`, `tex` or `txt`.
    pub ext: String,
    /// `Content-Type`.
    pub content_type: String,
    /// `resume` or `cover_letter` (for invalidation by document type).
    pub document_type: String,
    /// Template name (for invalidation by template).
    pub template: String,
    /// `Content-Disposition`.
    pub disposition: String,
    /// Pages, for PDFs.
    pub pages: Option<u32>,
    /// The spacing mode used.
    pub spacing: String,
    /// With fit-to-pages: whether it fits, and the page budget.
    pub fit: Option<(bool, u32)>,
}

/// A stored document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// How to describe it.
    pub meta: Meta,
    /// The document.
    pub body: Bytes,
}

/// Marks the layout below, so a future layout change reads old values as misses.
const MAGIC: &[u8; 4] = b"RE1\0";

impl Entry {
    /// The Redis value: magic, big-endian length of the JSON meta, the meta, the body.
    pub fn encode(&self) -> Vec<u8> {
        let meta = serde_json::to_vec(&self.meta).expect("meta serializes");
        let len = u32::try_from(meta.len()).expect("meta is small");
        let mut out = Vec::with_capacity(8 + meta.len() + self.body.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&meta);
        out.extend_from_slice(&self.body);
        out
    }

    /// Reads a Redis value; `None` for anything not written by [`Entry::encode`].
    pub fn decode(raw: &[u8]) -> Option<Entry> {
        let rest = raw.strip_prefix(MAGIC)?;
        let (len, rest) = rest.split_first_chunk::<4>()?;
        let len = usize::try_from(u32::from_be_bytes(*len)).ok()?;
        if rest.len() < len {
            return None;
        }
        let (meta, body) = rest.split_at(len);
        Some(Entry {
            meta: serde_json::from_slice(meta).ok()?,
            body: Bytes::copy_from_slice(body),
        })
    }

    /// What the in-process tier charges for it, in bytes.
    pub fn weight(&self) -> u32 {
        let meta = self.meta.disposition.len() + self.meta.content_type.len() + 256;
        u32::try_from(self.body.len() + meta).unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(body: &[u8]) -> Entry {
        Entry {
            meta: Meta {
                ext: "pdf".into(),
                content_type: "application/pdf".into(),
                document_type: "resume".into(),
                template: "classic".into(),
                disposition: "attachment; filename=\"resume_A.pdf\"".into(),
                pages: Some(2),
                spacing: "compact".into(),
                fit: Some((true, 2)),
            },
            body: Bytes::copy_from_slice(body),
        }
    }

    #[test]
    fn encode_decode_round_trips() {
        for body in [&b""[..], b"%PDF-1.5\n\x00\xff binary", &[7u8; 70_000][..]] {
            let e = entry(body);
            assert_eq!(Entry::decode(&e.encode()), Some(e));
        }
    }

    #[test]
    fn foreign_or_truncated_values_are_misses() {
        let raw = entry(b"%PDF").encode();
        assert_eq!(Entry::decode(b"%PDF-1.5 raw bytes from elsewhere"), None);
        assert_eq!(Entry::decode(&raw[..10]), None);
        assert_eq!(Entry::decode(&raw[..3]), None);
        let mut bad = raw.clone();
        bad[8] = b'!';
        assert_eq!(Entry::decode(&bad), None);
    }
}
