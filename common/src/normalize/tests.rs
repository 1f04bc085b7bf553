//! Tests for `normalize`.
