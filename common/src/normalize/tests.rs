//! Validation and normalization as a table: input data → expected error codes and paths.

use serde_json::{Value, json};

use crate::dates::CivilDate;
use crate::error::ErrorCode::{self, *};
use crate::model::{Document, DocumentType};
use crate::normalize::normalize;

const TODAY: CivilDate = CivilDate {
    year: 2025,
    month: 3,
    day: 14,
};

fn person() -> Value {
    json!({"name": "Ada Example", "email": "ada@example.org"})
}

/// Asserts the exact set of (code, path) errors for résumé `data`.
#[track_caller]
fn check(data: Value, expect: &[(ErrorCode, &str)]) {
    check_kind(DocumentType::Resume, data, expect);
}

#[track_caller]
fn check_kind(kind: DocumentType, data: Value, expect: &[(ErrorCode, &str)]) {
    let got: Vec<(ErrorCode, String)> = match normalize(kind, &data, "/data", TODAY) {
        Ok(_) => Vec::new(),
        Err(inv) => inv.errors.into_iter().map(|e| (e.code, e.path)).collect(),
    };
    let expect: Vec<(ErrorCode, String)> =
        expect.iter().map(|(c, p)| (*c, (*p).to_owned())).collect();
    assert_eq!(got, expect);
}

/// Asserts that résumé `data` is valid, with exactly these (code, path) warnings among those
/// with the given codes.
#[track_caller]
fn check_warnings(data: Value, codes: &[ErrorCode], expect: &[(ErrorCode, &str)]) {
    let n = normalize(DocumentType::Resume, &data, "/data", TODAY)
        .unwrap_or_else(|inv| panic!("expected valid, got {:?}", inv.errors));
    let got: Vec<(ErrorCode, String)> = n
        .warnings
        .into_iter()
        .filter(|w| codes.contains(&w.code))
        .map(|e| (e.code, e.path))
        .collect();
    let expect: Vec<(ErrorCode, String)> =
        expect.iter().map(|(c, p)| (*c, (*p).to_owned())).collect();
    assert_eq!(got, expect);
}

#[test]
fn required_fields_and_types() {
    check(json!({"personalInfo": person()}), &[]);
    check(json!({}), &[(VAL001, "/data/personalInfo")]);
    check(
        json!({"personalInfo": {}}),
        &[(VAL001, "/data/personalInfo")],
    );
    // Only the name is required; a missing email is a warning.
    check(
        json!({"personalInfo": {"phone": "1"}}),
        &[(VAL001, "/data/personalInfo/name")],
    );
    check_warnings(
        json!({"personalInfo": {"name": "Ada"}}),
        &[VAL001],
        &[(VAL001, "/data/personalInfo/email")],
    );
    check(
        json!({"personalInfo": "Ada"}),
        &[(VAL002, "/data/personalInfo")],
    );
    // A list where text is expected is read as paragraphs; a boolean is left out, and then
    // the required name is missing.
    check(
        json!({"personalInfo": {"name": ["x"], "email": "ada@example.org"}}),
        &[],
    );
    check(
        json!({"personalInfo": {"name": true, "email": "ada@example.org"}}),
        &[(VAL001, "/data/personalInfo/name")],
    );
    // One entry sent on its own is a list of one; what cannot be an entry is left out.
    check_warnings(
        json!({"personalInfo": person(), "experience": {"title": "Dev", "company": "Co"}}),
        &[VAL001, VAL002],
        &[],
    );
    check_warnings(
        json!({"personalInfo": person(), "experience": [42.5, true]}),
        &[VAL002],
        &[(VAL002, "/data/experience/1")],
    );
    // Entries render with what they have; the missing parts are warnings.
    check_warnings(
        json!({"personalInfo": person(), "experience": [{"title": "Dev"}, {"company": "Co"}]}),
        &[VAL001],
        &[
            (VAL001, "/data/experience/0/company"),
            (VAL001, "/data/experience/1/title"),
        ],
    );
}

#[test]
fn a_document_with_nothing_to_print_is_refused() {
    let jr = |data: Value| {
        crate::normalize::normalize_as(
            DocumentType::Resume,
            &data,
            "/data",
            TODAY,
            crate::normalize::Origin::JsonResume,
            None,
        )
        .map_err(|inv| {
            inv.errors
                .into_iter()
                .map(|e| (e.code, e.path))
                .collect::<Vec<_>>()
        })
    };
    assert_eq!(
        jr(json!({"personalInfo": {}, "experience": [{}]})).unwrap_err(),
        [(VAL001, "/data".to_owned())]
    );
    // Without a name but with something to print, JSON Resume input renders.
    let n = jr(json!({"personalInfo": {}, "interests": ["Chess"]})).unwrap();
    assert!(
        n.warnings
            .iter()
            .any(|w| w.path == "/data/personalInfo/name")
    );
}

#[test]
fn every_error_is_reported_at_once() {
    check(
        json!({
            "personalInfo": {"name": "Ada", "email": "not-an-email", "website": "javascript:alert(1)"},
            "experience": [{"position": "Dev", "company": "Co", "startDate": "2020-13", "endDate": "someday"}],
            "education": [{"degree": "BSc", "institution": "Uni", "graduationDate": "June"}],
            "professionalSummary": "Hello \u{0627}",
            "interests": ["\u{05D0}"],
        }),
        &[
            (VAL003, "/data/personalInfo/email"),
            (VAL009, "/data/professionalSummary"),
            (VAL009, "/data/interests/0"),
        ],
    );
}

#[test]
fn odd_values_are_printed_with_warnings() {
    check_warnings(
        json!({
            "personalInfo": {"name": "Ada", "email": "a@x.org", "website": "javascript:alert(1)"},
            "experience": [{"position": "Dev", "company": "Co", "startDate": "2020-13", "endDate": "someday"}],
            "education": [{"degree": "BSc", "institution": "Uni", "graduationDate": "June"}],
            "professionalSummary": "Launched 🚀 ★",
        }),
        &[VAL005, VAL006, VAL009],
        &[
            (VAL005, "/data/personalInfo/website"),
            (VAL009, "/data/professionalSummary"),
            (VAL006, "/data/experience/0/startDate"),
            (VAL006, "/data/experience/0/endDate"),
            (VAL006, "/data/education/0/graduationDate"),
        ],
    );
    let n = normalize(
        DocumentType::Resume,
        &json!({"personalInfo": person(), "professionalSummary": "Launched 🚀 ★ ok",
                "experience": [{"title": "Dev", "startDate": "someday", "endDate": "01/2018 – 03/2020"},
                               {"title": "Ops", "startDate": "2018 - Present"}]}),
        "/data",
        TODAY,
    )
    .unwrap();
    let Document::Resume(r) = n.document else {
        panic!()
    };
    assert_eq!(r.professional_summary.as_deref(), Some("Launched ★ ok"));
    assert_eq!(r.experience[0].start_date.as_deref(), Some("someday"));
    assert_eq!(
        (
            r.experience[1].start_date.as_deref(),
            r.experience[1].end_date.as_deref()
        ),
        (Some("2018"), Some("Present"))
    );
    let lig = normalize(
        DocumentType::Resume,
        &json!({"personalInfo": {"name": "Ada"}, "professionalSummary": "ﬁnance ofﬁce ﬂow"}),
        "/data",
        TODAY,
    )
    .expect("ligatures copied from a PDF are letters");
    let Document::Resume(lig) = lig.document else {
        panic!()
    };
    assert_eq!(
        lig.professional_summary.as_deref(),
        Some("finance office flow")
    );
}

#[test]
fn limits() {
    // Over-long text and lists are cut at the limit with a warning, not refused.
    check_warnings(
        json!({"personalInfo": person(), "professionalSummary": "a".repeat(10_001)}),
        &[VAL007],
        &[(VAL007, "/data/professionalSummary")],
    );
    let n = normalize(
        DocumentType::Resume,
        &json!({"personalInfo": person(), "professionalSummary": "é".repeat(10_001)}),
        "/data",
        TODAY,
    )
    .unwrap();
    let Document::Resume(r) = n.document else {
        panic!()
    };
    assert_eq!(r.professional_summary.unwrap().chars().count(), 10_000);
    check(
        json!({"personalInfo": person(), "professionalSummary": "a".repeat(10_000)}),
        &[],
    );
    let many: Vec<String> = (0..201).map(|i| format!("s{i}")).collect();
    check_warnings(
        json!({"personalInfo": person(), "interests": many}),
        &[VAL008],
        &[(VAL008, "/data/interests")],
    );
}

#[test]
fn emails_and_urls() {
    for ok in ["first_last+tag@example.org", "a.b@sub.example.co.uk"] {
        check(json!({"personalInfo": {"name": "A", "email": ok}}), &[]);
    }
    for bad in [
        "a@b",
        "a b@example.org",
        "@example.org",
        "a@@example.org",
        "a@.example.org",
    ] {
        check(
            json!({"personalInfo": {"name": "A", "email": bad}}),
            &[(VAL003, "/data/personalInfo/email")],
        );
    }
    for ok in [
        "https://x.org",
        "http://x.org/a?b#c",
        "x.org/path",
        "mailto:a@x.org",
    ] {
        check(
            json!({"personalInfo": {"name": "A", "email": "a@x.org", "website": ok}}),
            &[],
        );
    }
    for bad in [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,x",
        "https://",
        "not a url",
        "ftp://x.org",
    ] {
        check_warnings(
            json!({"personalInfo": {"name": "A", "email": "a@x.org", "website": bad}}),
            &[VAL005],
            &[(VAL005, "/data/personalInfo/website")],
        );
    }
}

#[test]
fn cover_letters_need_a_body_and_get_defaults() {
    // A letter without a body prints its header and closing, with a warning.
    check_kind(
        DocumentType::CoverLetter,
        json!({"personalInfo": person()}),
        &[],
    );
    check_kind(
        DocumentType::CoverLetter,
        json!({"personalInfo": person(), "body": "x", "recipient": "Bob"}),
        &[(VAL002, "/data/recipient")],
    );
    let n = normalize(
        DocumentType::CoverLetter,
        &json!({"personalInfo": person(), "recipient": {"company": "Skarv"}, "body": "One\nline.\n\nTwo."}),
        "/data",
        TODAY,
    )
    .expect("valid");
    let Document::CoverLetter(c) = n.document else {
        panic!("a cover letter")
    };
    assert_eq!(c.body, ["One line.", "Two."]);
    assert_eq!(c.salutation, "Dear Hiring Manager at Skarv,");
    assert_eq!(c.closing, "Sincerely,");
    assert_eq!(c.date, "March 14, 2025");
}

#[test]
fn aliases_follow_the_reference_order_without_duplicates() {
    let n = normalize(
        DocumentType::Resume,
        &json!({
            "personalInfo": {"name": "A", "email": "a@x.org", "headline": "Engineer", "linkedin": "https://linkedin.com/in/a/"},
            "publications": [{"title": "Paper", "authors": ["A", "B"], "venue": "V", "date": "2020"}],
            "awards": ["Prize"],
            "experience": [{"role": "Dev", "employer": "Co", "startDate": "March 2021", "endDate": "present", "duties": ["x"]}],
            "mystery": 1,
        }),
        "/data",
        TODAY,
    )
    .expect("valid");
    let Document::Resume(r) = n.document else {
        panic!("a résumé")
    };
    assert_eq!(r.personal_info.title.as_deref(), Some("Engineer"));
    assert_eq!(
        r.personal_info.linkedin_display.as_deref(),
        Some("linkedin.com/in/a")
    );
    // publications are not borrowed for articlesAndPublications; awards are used once.
    assert_eq!(r.publications.len(), 1);
    assert!(r.articles_and_publications.is_empty());
    assert_eq!(r.awards_and_honors.len(), 1);
    assert!(r.achievements.is_empty());
    assert_eq!(r.experience[0].title, "Dev");
    assert_eq!(r.experience[0].organization.as_deref(), Some("Co"));
    assert_eq!(r.experience[0].start_date.as_deref(), Some("2021-03"));
    assert_eq!(r.experience[0].end_date.as_deref(), Some("Present"));
    let warnings: Vec<_> = n
        .warnings
        .iter()
        .map(|w| (w.code, w.path.as_str()))
        .collect();
    assert_eq!(warnings, [(VAL011, "/data/mystery")]);
}

#[test]
fn shadowed_aliases_and_unknown_keys_are_warnings() {
    let n = normalize(
        DocumentType::Resume,
        &json!({"personalInfo": person(), "technologiesAndSkills": ["Rust"], "skills": {"technical": ["Go"]}, "extra": "x"}),
        "/data",
        TODAY,
    )
    .expect("valid");
    let warnings: Vec<_> = n
        .warnings
        .iter()
        .map(|w| (w.code, w.path.as_str()))
        .collect();
    assert_eq!(
        warnings,
        [(VAL011, "/data/extra"), (VAL015, "/data/skills")]
    );
}

#[test]
fn full_fixtures_are_valid_and_normalization_is_idempotent() {
    for (kind, src) in [
        (
            DocumentType::Resume,
            include_str!("../../../tests/fixtures/resume-full.json"),
        ),
        (
            DocumentType::CoverLetter,
            include_str!("../../../tests/fixtures/cover-letter-full.json"),
        ),
        (
            DocumentType::Resume,
            include_str!("../../../tests/fixtures/resume-minimal.json"),
        ),
    ] {
        let data: Value = serde_json::from_str(src).expect("fixture json");
        let first = normalize(kind, &data, "/data", TODAY).expect("fixture is valid");
        let again = serde_json::to_value(&first.document).expect("serializes");
        let second =
            normalize(kind, &again, "/data", TODAY).expect("normalized output is valid input");
        assert_eq!(
            serde_json::to_value(&first.document).expect("json"),
            serde_json::to_value(&second.document).expect("json")
        );
        assert!(second.warnings.is_empty(), "{:?}", second.warnings);
    }
}

#[test]
fn certification_shapes() {
    let names = |certs: Value| -> Vec<(String, Option<String>)> {
        let n = normalize(
            DocumentType::Resume,
            &json!({"personalInfo": person(), "certifications": certs}),
            "/data",
            TODAY,
        )
        .expect("valid");
        let Document::Resume(r) = n.document else {
            panic!("a résumé")
        };
        r.certifications
            .into_iter()
            .map(|c| (c.name, c.category))
            .collect()
    };
    let s = |v: &str| v.to_owned();
    assert_eq!(
        names(json!(["A&B", {"name": "C_D", "issuer": "E%F"}])),
        [(s("A&B"), None), (s("C_D"), None)]
    );
    assert_eq!(
        names(json!({"cloud_native": ["CKA"], "security": [{"name": "OSCP"}]})),
        [
            (s("CKA"), Some(s("Cloud Native"))),
            (s("OSCP"), Some(s("Security")))
        ]
    );
    assert_eq!(
        names(json!([{"category": "Cloud", "items": ["CKA", "CKAD"]}])),
        [(s("CKA"), Some(s("Cloud"))), (s("CKAD"), Some(s("Cloud")))]
    );
}

mod arbitrary {
    //! Arbitrary JSON in every section must give a document or located 4xx errors, never a
    //! render failure (which would be a 500).

    use proptest::prelude::*;
    use serde_json::{Value, json};

    use crate::api::{Source, prepare};
    use crate::error::ErrorCode;
    use crate::normalize::PRIMARY;
    use crate::normalize::tests::TODAY;

    const KEYS: &[&str] = &[
        "title",
        "name",
        "position",
        "company",
        "organization",
        "institution",
        "degree",
        "startDate",
        "endDate",
        "date",
        "description",
        "achievements",
        "details",
        "url",
        "category",
        "skills",
        "items",
        "location",
        "issuer",
        "language",
        "proficiency",
        "role",
        "courses",
        "authors",
        "venue",
        "tools",
        "expert",
        "summary",
        "project",
        "contributions",
        "years",
        "menteeCount",
        "address",
        "city",
        "zip",
        "email",
        "phone",
        "gpa",
        "honors",
        "focus",
    ];
    /// Keys tried besides the résumé sections' primary keys: aliases and cover-letter fields.
    const EXTRA: &[&str] = &[
        "skills",
        "awards",
        "honors",
        "recipient",
        "body",
        "salutation",
        "closing",
        "date",
    ];

    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i32>().prop_map(|n| json!(n)),
            "[a-zA-Z0-9 \\\\{}$&#^_%~<>|\"'`*,.\\[\\]-]{0,12}".prop_map(Value::String),
            prop::sample::select(vec![
                "2021-03",
                "Present",
                "2020",
                "Mar 2021",
                "2020-13",
                "https://x.org",
                "a@x.org"
            ])
            .prop_map(|s| json!(s)),
        ];
        leaf.prop_recursive(3, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map(
                    prop::sample::select(KEYS).prop_map(str::to_owned),
                    inner,
                    0..6
                )
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn any_section_shape_is_handled(
            kind in prop::sample::select(vec!["resume", "cover_letter"]),
            template in prop::sample::select(vec!["classic", "two_column"]),
            sections in prop::collection::vec((prop::sample::select([PRIMARY, EXTRA].concat()), value()), 1..5),
        ) {
            let mut data = serde_json::Map::new();
            data.insert("personalInfo".into(), json!({"name": "A", "email": "a@x.org"}));
            data.insert("body".into(), json!("Hello."));
            for (k, v) in sections {
                data.insert(k.to_owned(), v);
            }
            let body = json!({"document_type": kind, "template": template, "data": data});
            match prepare(&body, Source::Json, TODAY) {
                Ok(p) => prop_assert!(p.tex.ends_with("\\end{document}\n"), "{}", p.tex),
                Err(f) => {
                    prop_assert!(f.code != ErrorCode::SYS001, "render failure: {}", f);
                    prop_assert!(f.status() < 500);
                    for e in &f.errors {
                        prop_assert!(e.path.starts_with("/data"), "{:?}", e);
                    }
                }
            }
        }
    }
}

#[test]
fn pasted_invisible_characters_are_cleaned_not_rejected() {
    let n = normalize(
        DocumentType::Resume,
        &json!({"personalInfo": person(), "professionalSummary": "a\u{200D}b\u{200E} c\u{2009}d \u{2212}5\u{0007}"}),
        "/data",
        TODAY,
    )
    .expect("valid");
    let Document::Resume(r) = n.document else {
        panic!("a résumé")
    };
    assert_eq!(r.professional_summary.as_deref(), Some("ab c d -5"));
    assert_eq!(n.warnings.len(), 1);
    assert_eq!(n.warnings[0].path, "/data/professionalSummary");
}

#[test]
fn reports_are_capped() {
    let bad: Vec<Value> = (0..150).map(|_| json!("\u{05D0}")).collect();
    let mut data =
        json!({"personalInfo": person(), "interests": bad.clone(), "coreCompetencies": bad});
    for i in 0..300 {
        data[format!("unknown{i}")] = json!(1);
    }
    let inv = normalize(DocumentType::Resume, &data, "/data", TODAY).expect_err("invalid");
    assert_eq!(inv.errors.len(), 201);
    assert_eq!(
        (inv.errors[200].code, inv.errors[200].path.as_str()),
        (VAL010, "/data")
    );
    assert!(
        inv.errors[200].message.starts_with("100 more not shown"),
        "{}",
        inv.errors[200].message
    );
    assert_eq!(inv.warnings.len(), 201);
}

/// The documents as people write them normalize once and for all: the normalized form, sent
/// again as native input, is the same document (markup, dates and shapes included).
#[test]
fn real_world_documents_normalize_idempotently() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/realworld");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).expect("realworld fixtures") {
        let path = entry.expect("entry").path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let kind = if name.contains("cover-letter") {
            "cover_letter"
        } else {
            "resume"
        };
        let data: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let body = json!({"document_type": kind, "template": "classic", "data": data});
        let first = crate::api::check(&body, crate::api::Source::Json, TODAY)
            .unwrap_or_else(|f| panic!("{name}: {:?}", f.errors));
        let again = json!({"document_type": kind, "template": "classic", "input_format": "native",
                           "data": serde_json::to_value(&first.document).unwrap()});
        let second = crate::api::check(&again, crate::api::Source::Json, TODAY)
            .unwrap_or_else(|f| panic!("{name} again: {:?}", f.errors));
        assert_eq!(
            serde_json::to_value(&first.document).unwrap(),
            serde_json::to_value(&second.document).unwrap(),
            "{name}"
        );
        assert_eq!(first.key, second.key, "{name}: same key");
        seen += 1;
    }
    assert!(seen >= 20, "{seen} documents");
}
