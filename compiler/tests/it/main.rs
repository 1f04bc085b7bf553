//! Integration tests: one binary (faster to link), against a real server with real pdflatex.
//!
//! `support` starts `compiler::serve_on` on 127.0.0.1 with a free port. When pdflatex or
//! pdftotext is missing, tests fail under CI (`CI` set) and are skipped with a message locally.

mod api;
mod ats;
mod cache;
mod cli;
mod docx;
mod edge;
mod hostile;
mod internal;
mod layout;
mod photo;
mod realworld;
mod sandbox;
mod support;
mod tidy;
mod warm;
