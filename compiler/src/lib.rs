//! The origin: an HTTP API and a CLI that turn résumé and cover-letter data into PDFs.
//!
//! Requests are parsed, validated and rendered by `resume-common`; this crate adds the HTTP
//! server ([`server`], [`routes`]), the sandboxed pdflatex runner ([`job`]), configuration
//! ([`config`]) and the command line ([`cli`]).

pub mod cache;
pub mod cli;
pub mod clock;
pub mod config;
pub mod error;
pub mod internal;
pub mod job;
pub mod metrics;
pub mod ops;
pub mod routes;
pub mod server;

pub use server::{app, serve, serve_on, shutdown_signal};
