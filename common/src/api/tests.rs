//! Envelope parsing and the request-level errors.

use serde_json::json;

use crate::api::{Source, content_disposition, prepare, validate};
use crate::dates::CivilDate;
use crate::error::ErrorCode;
use crate::model::DocumentType;

const TODAY: CivilDate = CivilDate {
    year: 2025,
    month: 3,
    day: 14,
};

#[track_caller]
fn fails_with(body: serde_json::Value, source: Source, code: ErrorCode, path: Option<&str>) {
    let f = prepare(&body, source, TODAY).expect_err("must fail");
    assert_eq!(f.code, code, "{f:?}");
    assert_eq!(f.errors.first().map(|e| e.path.as_str()), path, "{f:?}");
}

#[test]
fn request_errors() {
    let data = json!({"personalInfo": {"name": "A", "email": "a@x.org"}});
    fails_with(json!([]), Source::Json, ErrorCode::VAL013, None);
    fails_with(
        json!({"template": "classic", "data": data}),
        Source::Json,
        ErrorCode::VAL001,
        Some("/document_type"),
    );
    fails_with(
        json!({"document_type": "cv", "template": "classic", "data": data}),
        Source::Json,
        ErrorCode::API003,
        Some("/document_type"),
    );
    fails_with(
        json!({"document_type": "resume", "template": "clasic", "data": data}),
        Source::Json,
        ErrorCode::TPL001,
        None,
    );
    fails_with(
        json!({"document_type": "resume", "template": "classic", "format": "html", "data": data}),
        Source::Json,
        ErrorCode::API003,
        Some("/format"),
    );
    fails_with(
        json!({"document_type": "resume", "template": "classic", "spacing_mode": "roomy", "data": data}),
        Source::Json,
        ErrorCode::VAL012,
        Some("/spacing_mode"),
    );
    fails_with(
        json!({"document_type": "resume", "template": "classic"}),
        Source::Json,
        ErrorCode::VAL001,
        Some("/data"),
    );
    fails_with(
        json!({"document_type": "resume", "template": "classic", "yaml_data": ""}),
        Source::Yaml,
        ErrorCode::VAL014,
        Some("/yaml_data"),
    );
    fails_with(
        json!({"document_type": "resume", "template": "classic", "yaml_data": "a: [1"}),
        Source::Yaml,
        ErrorCode::VAL014,
        Some("/yaml_data"),
    );
    fails_with(
        json!({"document_type": "resume", "template": "classic", "yaml_data": "- a\n- b"}),
        Source::Yaml,
        ErrorCode::VAL014,
        Some("/yaml_data"),
    );
}

#[test]
fn typo_in_template_gets_a_hint() {
    let f = prepare(
        &json!({"document_type": "resume", "template": "clasic", "data": {}}),
        Source::Json,
        TODAY,
    )
    .expect_err("unknown");
    assert_eq!(
        f.message,
        "template 'clasic' not found for document type 'resume' (did you mean 'classic'?)"
    );
}

#[test]
fn yaml_alias_bomb_is_rejected() {
    let yaml = include_str!("../../../tests/fixtures/hostile/yaml-alias-bomb.yaml");
    let start = std::time::Instant::now();
    fails_with(
        json!({"document_type": "resume", "template": "classic", "yaml_data": yaml}),
        Source::Yaml,
        ErrorCode::VAL014,
        Some("/yaml_data"),
    );
    assert!(
        start.elapsed().as_secs() < 5,
        "rejecting the bomb must not expand it"
    );
}

#[test]
fn yaml_and_json_give_the_same_document() {
    let data = json!({"personalInfo": {"name": "A", "email": "a@x.org"}, "interests": ["x"]});
    let yaml = serde_yaml_ng::to_string(&data).expect("yaml");
    let a = prepare(
        &json!({"document_type": "resume", "template": "classic", "data": data}),
        Source::Json,
        TODAY,
    )
    .expect("ok");
    let b = prepare(
        &json!({"document_type": "resume", "template": "classic", "yaml_data": yaml}),
        Source::Yaml,
        TODAY,
    )
    .expect("ok");
    assert_eq!(a.key, b.key);
}

#[test]
fn validate_reports_every_error_with_paths() {
    let r = validate(
        &json!({"document_type": "cover_letter", "data": {"personalInfo": {"name": "A"}, "recipient": ["x"]}}),
        TODAY,
    )
    .expect("a report");
    assert!(!r.valid);
    let paths: Vec<_> = r.errors.iter().map(|e| (e.code, e.path.as_str())).collect();
    assert_eq!(paths, [(ErrorCode::VAL002, "/data/recipient")]);
    // What is merely missing is reported as warnings, at their paths.
    let warned: Vec<_> = r
        .warnings
        .iter()
        .map(|e| (e.code, e.path.as_str()))
        .collect();
    assert_eq!(
        warned,
        [
            (ErrorCode::VAL001, "/data/personalInfo/email"),
            (ErrorCode::VAL001, "/data/body")
        ]
    );
}

#[test]
fn download_names_are_ascii_safe_with_a_utf8_form() {
    assert_eq!(
        content_disposition(DocumentType::Resume, "Tomás Ferreira-Lund", "pdf"),
        "attachment; filename=\"resume_Tomas_Ferreira-Lund.pdf\"; filename*=UTF-8''resume_Tom%C3%A1s_Ferreira-Lund.pdf"
    );
    assert_eq!(
        content_disposition(DocumentType::CoverLetter, "a\"/b\\c", "pdf"),
        "attachment; filename=\"cover_letter_abc.pdf\"; filename*=UTF-8''cover_letter_a%22%2Fb%5Cc.pdf"
    );
    assert!(
        content_disposition(DocumentType::Resume, "王小明", "pdf")
            .contains("filename=\"resume_document.pdf\"")
    );
}

#[test]
fn use_cache_is_read_as_a_boolean() {
    let data = json!({"personalInfo": {"name": "A", "email": "a@x.org"}});
    let read = |v: serde_json::Value| {
        let mut body = json!({"document_type": "resume", "template": "classic", "data": data});
        if !v.is_null() {
            body["use_cache"] = v;
        }
        prepare(&body, Source::Json, TODAY)
            .map(|p| p.use_cache)
            .map_err(|f| f.code)
    };
    assert_eq!(read(serde_json::Value::Null), Ok(true));
    assert_eq!(read(json!(true)), Ok(true));
    assert_eq!(read(json!(false)), Ok(false));
    assert_eq!(read(json!("")), Ok(true));
    assert_eq!(read(json!("no")), Err(ErrorCode::VAL002));
}

#[test]
fn a_photo_reaches_the_job_folder_as_a_fixed_name_and_nothing_of_it_reaches_the_latex() {
    use base64::Engine as _;
    let png = include_bytes!("../../../tests/fixtures/photo/avatar.png");
    let b64 = base64::engine::general_purpose::STANDARD.encode(png);
    // Parameters of the URI are read past, never printed; the name is the service's own.
    let uri = format!("data:image/png;name=\\input{{/etc/passwd}};x=%;base64,{b64}");
    for template in crate::render::Template::names(DocumentType::Resume) {
        let body = json!({"document_type": "resume", "template": template, "photo_shape": "circle",
            "data": {"personalInfo": {"name": "Ada", "photo": uri}}});
        let p = prepare(&body, Source::Json, TODAY).expect("renders");
        assert!(
            !p.tex.contains("passwd") && !p.tex.contains(&b64[..40]),
            "{template}"
        );
        assert!(p.tex.contains("]{photo.png}"), "{template}");
        let assets = p.assets();
        assert_eq!(assets.len(), 1);
        assert_eq!(assets[0].name, "photo.png");
        assert_eq!(assets[0].bytes, png);
        // Without a photo there is nothing to write and nothing to include.
        let plain = json!({"document_type": "resume", "template": template, "data": {"personalInfo": {"name": "Ada"}}});
        let p = prepare(&plain, Source::Json, TODAY).expect("renders");
        assert!(
            p.assets().is_empty() && !p.tex.contains("includegraphics"),
            "{template}"
        );
    }
}
