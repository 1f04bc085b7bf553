//! Resume Engine's shared core: everything about a document that does not need IO.
//!
//! The edge Worker (WASM) and the origin both use this crate, so they validate, escape, render
//! and key documents identically. Nothing here touches the network, the filesystem, a process
//! or the clock: callers pass in what they read (the request, today's date).
//!
//! The path of a request through it: [`api`] parses the request, [`normalize`] turns `data`
//! into the canonical [`model`] (collecting every [`error::FieldError`]), [`render`] fills a
//! template with text that went through [`escape`], and [`cache_key`] names the result.

#![warn(missing_docs)]

pub mod analysis;
pub mod api;
pub mod cache_key;
mod charset;
pub mod dates;
pub mod error;
pub mod escape;
pub mod model;
pub mod normalize;
mod reader;
pub mod render;
pub mod schema;

pub use reader::{MAX_LIST_ITEMS, MAX_STRING_CHARS};

/// The engine version; part of every cache key, so a release that changes output changes keys.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");
