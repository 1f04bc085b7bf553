//! Tests for `api`.
