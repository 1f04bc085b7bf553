//! Helpers shared by this crate's unit tests.

use serde_json::Value;

use crate::dates::CivilDate;

/// The day the tests pretend it is (cover-letter dates default to it).
pub(crate) const TODAY: CivilDate = CivilDate {
    year: 2025,
    month: 3,
    day: 14,
};

/// Every string in a serialized document, except dates (which are shown formatted).
pub(crate) fn strings(v: &Value, key: &str, out: &mut Vec<String>) {
    match v {
        Value::String(s) if !(key.ends_with("Date") || key == "date" || key == "expiry") => {
            out.push(s.clone())
        }
        Value::Array(a) => a.iter().for_each(|x| strings(x, key, out)),
        Value::Object(m) => m.iter().for_each(|(k, x)| strings(x, k, out)),
        _ => {}
    }
}
