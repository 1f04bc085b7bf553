//! Tests for `cache_key`.
