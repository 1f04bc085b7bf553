//! JSON Resume: the public sample maps completely; a table of edge cases.

use serde_json::{Value, json};

use crate::api::{Source, prepare, validate};
use crate::dates::CivilDate;
use crate::error::ErrorCode;
use crate::model::Document;

const TODAY: CivilDate = CivilDate {
    year: 2025,
    month: 3,
    day: 14,
};

fn sample() -> Value {
    serde_json::from_str(include_str!(
        "../../../tests/fixtures/jsonresume-sample.json"
    ))
    .expect("sample json")
}

fn resume(data: Value) -> Result<crate::api::Prepared, crate::error::Failure> {
    prepare(
        &json!({"document_type": "resume", "template": "classic", "data": data}),
        Source::Json,
        TODAY,
    )
}

#[test]
fn the_public_sample_maps_every_section() {
    for template in ["classic", "two_column"] {
        let p = prepare(
            &json!({"document_type": "resume", "template": template, "data": sample()}),
            Source::Json,
            TODAY,
        )
        .expect("the sample is valid");
        let Document::Resume(r) = &p.document else {
            panic!("a résumé")
        };
        assert_eq!(r.personal_info.name, "Richard Hendriks");
        assert_eq!(r.personal_info.title.as_deref(), Some("Programmer"));
        assert_eq!(
            r.personal_info.location.as_deref(),
            Some("San Francisco, California, US")
        );
        assert_eq!(
            r.personal_info.twitter_display.as_deref(),
            Some("@neutralthoughts")
        );
        assert!(
            r.professional_summary
                .as_deref()
                .unwrap()
                .starts_with("Richard hails from Tulsa")
        );
        assert_eq!(r.experience[0].organization.as_deref(), Some("Pied Piper"));
        assert_eq!(r.experience[0].start_date.as_deref(), Some("2013-12-01"));
        assert!(!r.experience[0].achievements.is_empty());
        assert_eq!(r.volunteering[0].organization.as_deref(), Some("CoderDojo"));
        assert_eq!(r.education[0].degree, "Bachelor in Information Technology");
        assert_eq!(r.education[0].gpa.as_deref(), Some("4.0"));
        assert_eq!(r.awards_and_honors[0].source.as_deref(), Some("Techcrunch"));
        assert_eq!(r.publications[0].source.as_deref(), Some("Hooli"));
        assert_eq!(
            r.technologies_and_skills[0].category,
            "Web Development (Master)"
        );
        assert_eq!(r.languages[0].detail.as_deref(), Some("Native speaker"));
        assert!(r.interests[0].starts_with("Wildlife ("));
        assert!(r.references[0].statement.is_some());
        assert_eq!(
            r.projects[0].url.as_deref(),
            Some("https://missdirection.example.com")
        );
        for text in [
            "Pied Piper",
            "CoderDojo",
            "University of Oklahoma",
            "Techcrunch",
            "Hooli",
            "Web Development",
            "Wildlife",
            "Erlich Bachman",
            "Miss Direction",
        ] {
            assert!(p.tex.contains(text), "{template} misses {text}");
        }
    }
}

#[test]
fn detection_and_explicit_format() {
    // Detected from `basics` in résumé data.
    assert!(resume(json!({"basics": {"name": "A", "email": "a@x.org"}})).is_ok());
    // Explicit format, and native data is still native.
    let body = json!({"document_type": "resume", "template": "classic", "input_format": "jsonresume", "data": {"basics": {"name": "A", "email": "a@x.org"}}});
    assert!(prepare(&body, Source::Json, TODAY).is_ok());
    let body = json!({"document_type": "resume", "template": "classic", "input_format": "native", "data": {"basics": {"name": "A", "email": "a@x.org"}}});
    let f = prepare(&body, Source::Json, TODAY).expect_err("basics is not native");
    assert_eq!(f.errors[0].path, "/data/personalInfo");
    let body = json!({"document_type": "cover_letter", "template": "classic", "input_format": "jsonresume", "data": {"body": "x"}});
    assert_eq!(
        prepare(&body, Source::Json, TODAY)
            .expect_err("résumés only")
            .code,
        ErrorCode::API003
    );
}

/// Asserts a valid document with exactly these (code, path) warnings of codes VAL001–VAL006.
#[track_caller]
fn warns(data: Value, want: &[(ErrorCode, &str)]) {
    let body = json!({"document_type": "resume", "data": data});
    let r = validate(&body, TODAY).expect("a report");
    assert!(r.valid, "{:?}", r.errors);
    let got: Vec<_> = r
        .warnings
        .iter()
        .filter(|w| w.code != ErrorCode::VAL011 && w.code != ErrorCode::VAL015)
        .map(|e| (e.code, e.path.as_str()))
        .collect();
    assert_eq!(got, want);
}

#[track_caller]
fn check(data: Value, expect: Result<(), &[(ErrorCode, &str)]>) {
    match (resume(data), expect) {
        (Ok(_), Ok(())) => {}
        (Err(f), Err(want)) => {
            let got: Vec<_> = f.errors.iter().map(|e| (e.code, e.path.as_str())).collect();
            assert_eq!(got, want);
        }
        (got, want) => panic!("got {:?}, want {want:?}", got.map(|p| p.key.clone())),
    }
}

#[test]
fn edge_cases() {
    let basics = json!({"name": "A", "email": "a@x.org"});
    // Location as a string or an object.
    check(
        json!({"basics": {"name": "A", "email": "a@x.org", "location": "Oslo"}}),
        Ok(()),
    );
    check(
        json!({"basics": {"name": "A", "email": "a@x.org", "location": {"city": "Oslo", "countryCode": "NO"}}}),
        Ok(()),
    );
    // Partial ISO dates; a missing endDate means present.
    check(
        json!({"basics": basics, "work": [{"name": "Co", "position": "Dev", "startDate": "2020"}]}),
        Ok(()),
    );
    check(
        json!({"basics": basics, "work": [{"name": "Co", "position": "Dev", "startDate": "2020-05", "endDate": "2021"}]}),
        Ok(()),
    );
    // Warnings and errors point into the JSON Resume document, under its own names.
    warns(
        json!({"basics": basics, "work": [{"name": "Co", "position": "Dev", "startDate": "soon"}]}),
        &[(ErrorCode::VAL006, "/data/work/0/startDate")],
    );
    warns(
        json!({"basics": basics, "work": [{"position": "Dev"}]}),
        &[(ErrorCode::VAL001, "/data/work/0/name")],
    );
    warns(
        json!({"basics": basics, "work": [{"company": "Co"}]}),
        &[(ErrorCode::VAL001, "/data/work/0/position")],
    );
    warns(
        json!({"basics": {"name": "A"}}),
        &[(ErrorCode::VAL001, "/data/basics/email")],
    );
    // A malformed address in a JSON Resume document is printed as written, with a warning;
    // `mailto:` pasted in front of a good one is dropped.
    warns(
        json!({"basics": {"name": "A", "email": "nope"}}),
        &[(ErrorCode::VAL003, "/data/basics/email")],
    );
    warns(
        json!({"basics": {"name": "A", "email": "mailto:a@x.org"}}),
        &[],
    );
    check(json!({"basics": basics, "work": "lots"}), Ok(()));
    // No fields are required, but something must be printable.
    check(json!({"basics": {"label": "Dev"}}), Ok(()));
    check(
        json!({"basics": {"image": ""}, "work": [{}]}),
        Err(&[(ErrorCode::VAL001, "/data")]),
    );
    // Empty sections are fine.
    check(
        json!({"basics": basics, "work": [], "skills": [], "education": []}),
        Ok(()),
    );
}

#[test]
fn unknown_keys_are_tolerated_as_warnings() {
    let r = validate(
        &json!({"document_type": "resume", "data": {"basics": {"name": "A", "email": "a@x.org", "image": "x.png", "profiles": [{"network": "Mastodon", "username": "a"}]}, "work": [{"name": "Co", "position": "Dev", "team": "Core"}], "custom": 1}}),
        TODAY,
    )
    .expect("a report");
    assert!(r.valid);
    let paths: Vec<_> = r.warnings.iter().map(|w| w.path.as_str()).collect();
    assert_eq!(
        paths,
        ["/data/custom", "/data/work/0/team", "/data/basics/image"]
    );
    // A profile with no slot of its own is listed after the fixed links, not dropped.
    let prepared = resume(json!({"basics": {"name": "A", "email": "a@x.org", "url": "https://a.example",
        "profiles": [{"network": "Mastodon", "username": "ada"},
                     {"network": "Stack Overflow", "url": "https://stackoverflow.com/users/1/ada"}]}}))
    .expect("valid");
    let tex = prepared.tex;
    assert!(tex.contains("Mastodon: ada"), "{tex}");
    assert!(
        tex.contains(
            r"\href{https://stackoverflow.com/users/1/ada}{Stack Overflow: stackoverflow.com/users/1/ada}"
        ),
        "{tex}"
    );
}
