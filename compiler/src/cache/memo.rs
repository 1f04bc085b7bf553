//! The request memo: the digest of a request body → the document key it checked to.
//!
//! Checking a request (parse, validate, normalize, canonical JSON, SHA-256) costs far more
//! than a cache hit itself. The same bytes sent to the same route on the same day always check
//! to the same key (the day matters: a cover letter's default date is today, and the template
//! hashes and engine version are fixed for the process), so a repeat request can go straight
//! to the cache. Only successful checks are remembered; anything else takes the full path.
//! The digest is SHA-256, so two bodies never share an entry by accident.

use std::sync::Arc;
use std::time::Duration;

use resume_common::dates::CivilDate;
use sha2::{Digest, Sha256};

/// What a body checked to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Memo {
    /// The document key.
    pub key: Arc<str>,
    /// The body's `use_cache`.
    pub use_cache: bool,
    /// How many warnings the check gave (for `X-Validation-Warnings`).
    pub warnings: usize,
}

/// Body digests → checked keys, bounded in entries, forgotten after an hour.
#[derive(Debug, Clone)]
pub struct RequestMemo {
    map: moka::future::Cache<[u8; 32], Memo>,
}

impl RequestMemo {
    /// A memo of at most `entries` bodies.
    pub fn new(entries: u64) -> Self {
        Self {
            map: moka::future::Cache::builder()
                .max_capacity(entries)
                .time_to_live(Duration::from_secs(3600))
                .build(),
        }
    }

    /// The digest of a body sent to a route on a day.
    pub fn digest(route: &str, today: CivilDate, body: &[u8]) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(route.as_bytes());
        h.update([0]);
        h.update(format!("{today:?}").as_bytes());
        h.update([0]);
        h.update(body);
        h.finalize().into()
    }

    /// What this body checked to before, if remembered.
    pub async fn get(&self, digest: &[u8; 32]) -> Option<Memo> {
        self.map.get(digest).await
    }

    /// Remembers a successful check.
    pub async fn put(&self, digest: [u8; 32], memo: Memo) {
        self.map.insert(digest, memo).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_depends_on_route_day_and_every_byte() {
        let day = CivilDate::from_unix_seconds(1_700_000_000);
        let next = CivilDate::from_unix_seconds(1_700_000_000 + 86_400);
        let d = RequestMemo::digest("json", day, b"{\"a\":1}");
        assert_eq!(d, RequestMemo::digest("json", day, b"{\"a\":1}"));
        assert_ne!(d, RequestMemo::digest("yaml", day, b"{\"a\":1}"));
        assert_ne!(d, RequestMemo::digest("json", next, b"{\"a\":1}"));
        assert_ne!(d, RequestMemo::digest("json", day, b"{\"a\":2}"));
        assert_ne!(d, RequestMemo::digest("json", day, b"{\"a\":1} "));
    }
}
