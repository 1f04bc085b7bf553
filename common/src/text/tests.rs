//! Plain text carries every value of the document and has a stable layout.

use serde_json::{Value, json};

use crate::api::{Source, prepare};
use crate::testing::{TODAY, strings};

#[test]
fn every_value_of_the_full_fixtures_appears() {
    for (kind, src) in [
        (
            "resume",
            include_str!("../../../tests/fixtures/resume-full.json"),
        ),
        (
            "cover_letter",
            include_str!("../../../tests/fixtures/cover-letter-full.json"),
        ),
        (
            "resume",
            include_str!("../../../tests/fixtures/jsonresume-sample.json"),
        ),
    ] {
        let data: Value = serde_json::from_str(src).unwrap();
        let p = prepare(
            &json!({"document_type": kind, "template": "classic", "format": "txt", "data": data}),
            Source::Json,
            TODAY,
        )
        .unwrap();
        let text = p.text();
        let mut all = Vec::new();
        strings(&serde_json::to_value(&p.document).unwrap(), "", &mut all);
        // A referral's email is read but, as in the reference, never shown.
        let hidden = match &p.document {
            crate::model::Document::Resume(r) => r.referral.as_ref().and_then(|x| x.email.clone()),
            crate::model::Document::CoverLetter(_) => None,
        };
        let missing: Vec<_> = all
            .iter()
            .filter(|s| !text.contains(s.as_str()) && Some(*s) != hidden.as_ref())
            .collect();
        assert!(missing.is_empty(), "{kind}: missing {missing:?}");
        assert!(!text.contains('\\'), "no LaTeX in plain text");
        assert!(
            text.contains("Mar 2021 – Present") || kind != "resume" || text.contains("Dec 2013")
        );
    }
}

#[test]
fn layout_is_stable() {
    let data = json!({
        "personalInfo": {"name": "Ada Lovelace", "email": "ada@example.org", "title": "Analyst", "github": "https://github.com/ada"},
        "professionalSummary": "Notes on the engine & more.",
        "experience": [{"title": "Analyst", "company": "Engines Ltd", "startDate": "1842-09", "achievements": ["Wrote note G"]}],
        "languages": ["English", {"language": "French", "proficiency": "Fluent"}],
    });
    let p = prepare(
        &json!({"document_type": "resume", "template": "classic", "format": "txt", "data": data}),
        Source::Json,
        TODAY,
    )
    .unwrap();
    insta::assert_snapshot!(p.text(), @r"
    Ada Lovelace
    Analyst
    ada@example.org | https://github.com/ada

    PROFESSIONAL SUMMARY
    ====================
    Notes on the engine & more.

    EXPERIENCE
    ==========
    Analyst — Engines Ltd (Sep 1842 – Present)
    - Wrote note G

    LANGUAGES
    =========
    - English
    - French (Fluent)
    ");
}
