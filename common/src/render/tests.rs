//! Rendered LaTeX snapshots: every template × spacing mode × fixture.

use serde_json::{Value, json};

use crate::api::{Source, prepare};
use crate::dates::CivilDate;
use crate::model::{DocumentType, SpacingMode};
use crate::render::TEMPLATES;

const TODAY: CivilDate = CivilDate {
    year: 2025,
    month: 3,
    day: 14,
};

fn fixture(kind: DocumentType) -> Value {
    let src = match kind {
        DocumentType::Resume => include_str!("../../../tests/fixtures/resume-full.json"),
        DocumentType::CoverLetter => include_str!("../../../tests/fixtures/cover-letter-full.json"),
    };
    serde_json::from_str(src).expect("fixture json")
}

#[test]
fn every_template_and_spacing_mode() {
    for t in TEMPLATES {
        for mode in SpacingMode::ALL {
            let body = json!({
                "document_type": t.document_type.as_str(),
                "template": t.name,
                "spacing_mode": mode.as_str(),
                "data": fixture(t.document_type),
            });
            let p = prepare(&body, Source::Json, TODAY).expect("fixture renders");
            let name = format!("{}_{}_{}", t.document_type.as_str(), t.name, mode.as_str());
            insta::with_settings!({description => t.id(), info => &body, omit_expression => true}, {
                insta::assert_snapshot!(name, p.tex);
            });
        }
    }
}

#[test]
fn user_text_never_reaches_latex_unescaped() {
    let hostile =
        r"\input{/etc/passwd} \def\x{\x}\x {{ references }} \BLOCK{ x } \VAR{ y } $ & # ^ _ % ~";
    for t in TEMPLATES {
        let body = json!({
            "document_type": t.document_type.as_str(),
            "template": t.name,
            "data": {"personalInfo": {"name": hostile, "email": "a@x.org"}, "professionalSummary": hostile, "body": hostile},
        });
        let tex = prepare(&body, Source::Json, TODAY).expect("renders").tex;
        assert!(!tex.contains(r"\input{/etc"), "{}", t.id());
        assert!(!tex.contains(r"\def\x"), "{}", t.id());
        assert!(!tex.contains(r"\VAR{"), "{}", t.id());
        assert!(
            tex.contains(r"\textbackslash{}input\{/etc/passwd\}"),
            "{}",
            t.id()
        );
    }
}
