//! Reading the clock, in the forms the service needs.

use std::time::{SystemTime, UNIX_EPOCH};

use resume_common::dates::CivilDate;

/// Seconds since the Unix epoch (for signature timestamps).
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Today (UTC), for the default cover-letter date.
pub fn today() -> CivilDate {
    CivilDate::from_unix_seconds(unix_now())
}

/// Now as RFC 3339 UTC, for error timestamps.
pub fn rfc3339_now() -> String {
    let secs = unix_now();
    let d = CivilDate::from_unix_seconds(secs);
    let s = secs.rem_euclid(86_400);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        d.year,
        d.month,
        d.day,
        s / 3600,
        s % 3600 / 60,
        s % 60
    )
}
