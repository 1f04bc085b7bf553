//! Signatures on requests from the edge to the origin's internal routes.
//!
//! HMAC-SHA256 with a shared secret over the method, path, a Unix timestamp and the body, as
//! lowercase hex. The origin rejects stale timestamps, so a captured request cannot be replayed
//! later; the body is covered, so it cannot be altered.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Header carrying the Unix timestamp (seconds) the signature covers.
pub const TIMESTAMP_HEADER: &str = "x-edge-timestamp";
/// Header carrying the signature.
pub const SIGNATURE_HEADER: &str = "x-edge-signature";
/// How far a timestamp may be from the origin's clock, in seconds.
pub const MAX_SKEW_SECS: i64 = 300;

fn mac(secret: &[u8], method: &str, path: &str, timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    let mut m = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length");
    m.update(method.as_bytes());
    m.update(b"\n");
    m.update(path.as_bytes());
    m.update(b"\n");
    m.update(timestamp.to_string().as_bytes());
    m.update(b"\n");
    m.update(body);
    m
}

/// The signature of a request.
pub fn sign(secret: &[u8], method: &str, path: &str, timestamp: i64, body: &[u8]) -> String {
    hex::encode(
        mac(secret, method, path, timestamp, body)
            .finalize()
            .into_bytes(),
    )
}

/// Whether `signature` signs this request with `secret` and `timestamp` is within
/// [`MAX_SKEW_SECS`] of `now` (compared in constant time).
pub fn verify(
    secret: &[u8],
    method: &str,
    path: &str,
    timestamp: i64,
    now: i64,
    body: &[u8],
    signature: &str,
) -> bool {
    if secret.is_empty() || (now - timestamp).abs() > MAX_SKEW_SECS {
        return false;
    }
    let Ok(sig) = hex::decode(signature.trim()) else {
        return false;
    };
    mac(secret, method, path, timestamp, body)
        .verify_slice(&sig)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_cover_every_part_and_expire() {
        let s = sign(b"k", "POST", "/internal/compile", 1000, b"body");
        assert!(verify(
            b"k",
            "POST",
            "/internal/compile",
            1000,
            1100,
            b"body",
            &s
        ));
        assert!(!verify(
            b"other",
            "POST",
            "/internal/compile",
            1000,
            1000,
            b"body",
            &s
        ));
        assert!(!verify(
            b"k",
            "GET",
            "/internal/compile",
            1000,
            1000,
            b"body",
            &s
        ));
        assert!(!verify(
            b"k",
            "POST",
            "/internal/other",
            1000,
            1000,
            b"body",
            &s
        ));
        assert!(!verify(
            b"k",
            "POST",
            "/internal/compile",
            1001,
            1000,
            b"body",
            &s
        ));
        assert!(!verify(
            b"k",
            "POST",
            "/internal/compile",
            1000,
            1000,
            b"bodY",
            &s
        ));
        assert!(
            !verify(b"k", "POST", "/internal/compile", 1000, 1400, b"body", &s),
            "stale"
        );
        assert!(!verify(
            b"k",
            "POST",
            "/internal/compile",
            1000,
            1000,
            b"body",
            "zz"
        ));
        assert!(
            !verify(b"", "POST", "/internal/compile", 1000, 1000, b"body", &s),
            "no secret"
        );
    }
}
