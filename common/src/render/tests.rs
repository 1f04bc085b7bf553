//! Tests for `render`.
