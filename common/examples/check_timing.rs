//! Times `api::check` on a fixture (manual profiling aid).
#![allow(clippy::print_stdout)]
use resume_common::api::{Source, check, normalize_envelope, read_envelope};
use resume_common::dates::CivilDate;
fn main() {
    let path = std::env::args().nth(1).expect("fixture");
    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let body = serde_json::json!({"document_type": "resume", "template": "classic", "data": data});
    let text = serde_json::to_vec(&body).unwrap();
    let today = CivilDate::from_unix_seconds(1_700_000_000);
    let n: u32 = std::env::args().nth(2).map_or(2000, |s| s.parse().unwrap());
    let t = std::time::Instant::now();
    for _ in 0..n {
        let v: serde_json::Value = serde_json::from_slice(&text).unwrap();
        std::hint::black_box(v);
    }
    println!("parse  {:?}", t.elapsed() / n);
    let t = std::time::Instant::now();
    for _ in 0..n {
        let env = read_envelope(&body, Source::Json, true).unwrap();
        std::hint::black_box(normalize_envelope(&env, today).ok());
    }
    println!("normalize {:?}", t.elapsed() / n);
    let t = std::time::Instant::now();
    for _ in 0..n {
        std::hint::black_box(check(&body, Source::Json, today).unwrap());
    }
    println!("check  {:?}", t.elapsed() / n);
}
