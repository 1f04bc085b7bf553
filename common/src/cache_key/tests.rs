//! Cache keys: canonical over key order and aliases, sensitive to everything that changes output.

use serde_json::{Value, json};

use crate::api::{Source, check};
use crate::cache_key::canonical_json;
use crate::dates::CivilDate;

const TODAY: CivilDate = CivilDate {
    year: 2025,
    month: 3,
    day: 14,
};

fn key(body: &str) -> String {
    let v: Value = serde_json::from_str(body).expect("json");
    check(&v, Source::Json, TODAY).expect("valid").key
}

#[test]
fn key_order_and_whitespace_do_not_change_the_key() {
    let a = key(
        r#"{"document_type":"resume","template":"classic","data":{"personalInfo":{"name":"A","email":"a@x.org"},"interests":["x"]}}"#,
    );
    let b = key(
        "{ \"data\" : { \"interests\" : [ \"x\" ] , \"personalInfo\" : { \"email\" : \"a@x.org\" , \"name\" : \"A\" } } ,\n \"template\" : \"classic\", \"document_type\":\"resume\" }",
    );
    assert_eq!(a, b);
    assert_eq!(a.len(), 64);
    assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
}

#[test]
fn aliases_and_date_spellings_give_the_same_key() {
    let a = key(
        r#"{"document_type":"resume","template":"classic","data":{"personalInfo":{"name":"A","email":"a@x.org"},"experience":[{"title":"Dev","company":"Co","startDate":"2021-03"}]}}"#,
    );
    let b = key(
        r#"{"document_type":"resume","template":"classic","data":{"personalInfo":{"name":"A","email":"a@x.org"},"experience":[{"position":"Dev","employer":"Co","startDate":"Mar 2021"}]}}"#,
    );
    assert_eq!(a, b);
}

#[test]
fn anything_that_changes_output_changes_the_key() {
    let base = json!({"document_type":"resume","template":"classic","data":{"personalInfo":{"name":"A","email":"a@x.org"}}});
    let k = |v: &Value| check(v, Source::Json, TODAY).expect("valid").key;
    let mut seen = vec![k(&base)];
    for (ptr, val) in [
        ("/template", json!("two_column")),
        ("/format", json!("tex")),
        ("/spacing_mode", json!("normal")),
        ("/data/personalInfo/name", json!("B")),
    ] {
        let mut v = base.clone();
        match v.pointer_mut(ptr) {
            Some(slot) => *slot = val,
            None => {
                let field = ptr.trim_start_matches('/');
                v[field] = val;
            }
        }
        let key = k(&v);
        assert!(!seen.contains(&key), "{ptr} did not change the key");
        seen.push(key);
    }
}

#[test]
fn canonical_json_sorts_keys_at_every_level() {
    let v: Value =
        serde_json::from_str(r#"{"b":{"y":1,"x":[{"d":1,"c":2}]},"a":null}"#).expect("json");
    assert_eq!(
        canonical_json(&v),
        r#"{"a":null,"b":{"x":[{"c":2,"d":1}],"y":1}}"#
    );
}

#[test]
fn fixture_keys_are_stable() {
    // A change here changes every cached document's key: make it deliberately.
    let body = |data: &str, kind: &str| {
        format!(r#"{{"document_type":"{kind}","template":"classic","data":{data}}}"#)
    };
    let keys = [
        key(&body(
            include_str!("../../../tests/fixtures/resume-full.json"),
            "resume",
        )),
        key(&body(
            include_str!("../../../tests/fixtures/cover-letter-full.json"),
            "cover_letter",
        )),
    ];
    insta::assert_json_snapshot!(keys.iter().map(|k| &k[..16]).collect::<Vec<_>>());
}

#[test]
fn key_shape() {
    use crate::cache_key::is_key;
    assert!(is_key(&"0a".repeat(32)));
    assert!(!is_key(&"0A".repeat(32)), "keys are lowercase");
    assert!(!is_key(&"0a".repeat(31)));
    assert!(!is_key(&"zz".repeat(32)));
}
