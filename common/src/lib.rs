//! Resume Engine's shared core: everything about a document that does not need IO.
//!
//! The edge Worker (WASM) and the origin both use this crate, so they validate, escape, render
//! and key documents identically. Nothing here touches the network, the filesystem, a process
//! or the clock: callers pass in what they read (the request, today's date).
//!
//! The path of a request through it: [`api`] parses the request, [`normalize`] turns `data`
//! into the canonical [`model`] (collecting every [`error::FieldError`]), [`render`] fills a
//! template with text that went through [`escape`], and [`cache_key`] names the result.
//!
//! ```
//! use resume_common::api::{prepare, Source};
//! use resume_common::dates::CivilDate;
//!
//! let body = serde_json::json!({
//!     "document_type": "resume",
//!     "template": "classic",
//!     "data": {"personalInfo": {"name": "Ada R&D_Lab", "email": "ada@example.org"}},
//! });
//! let job = prepare(&body, Source::Json, CivilDate { year: 2025, month: 3, day: 14 }).unwrap();
//! assert!(job.tex.contains(r"Ada R\&D\_Lab"));
//! assert_eq!(job.key.len(), 64);
//!
//! // Every problem at once, each with a JSON pointer: what cannot be printed is an error...
//! let bad = serde_json::json!({"document_type": "resume", "template": "classic",
//!     "data": {"personalInfo": {"name": "Ada", "email": "nope"}, "languages": ["\u{05E2}"]}});
//! let err = prepare(&bad, Source::Json, CivilDate { year: 2025, month: 3, day: 14 }).unwrap_err();
//! let paths: Vec<_> = err.errors.iter().map(|e| e.path.as_str()).collect();
//! assert_eq!(paths, ["/data/personalInfo/email", "/data/languages/0"]);
//!
//! // ...while what is merely missing renders, with a warning.
//! let thin = serde_json::json!({"document_type": "resume", "template": "classic",
//!     "data": {"personalInfo": {"name": "Ada"}, "experience": [{"title": "Dev"}]}});
//! let job = prepare(&thin, Source::Json, CivilDate { year: 2025, month: 3, day: 14 }).unwrap();
//! assert!(job.warnings.iter().any(|w| w.path == "/data/experience/0/company"));
//! ```

#![warn(missing_docs)]

pub mod analysis;
pub mod api;
pub mod cache_key;
mod charset;
pub mod dates;
mod dingbats;
pub mod docx;
pub mod error;
pub mod escape;
pub mod i18n;
pub mod jsonresume;
pub mod layout;
pub mod markup;
pub mod model;
pub mod normalize;
pub mod options;
pub mod photo;
mod reader;
pub mod render;
pub mod schema;
pub mod signing;
#[cfg(test)]
mod testing;
pub mod text;

pub use reader::{MAX_LIST_ITEMS, MAX_STRING_CHARS};

/// The engine version; part of every cache key, so a release that changes output changes keys.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");
