//! Every hostile fixture: a PDF with the text shown literally, or a 4xx naming the field; never
//! a 500, never a hang, never a server file's content.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::{contains_loosely, fixtures, pdf_text, post, templates, tools_present};

/// Strings that would appear if a server file were read into the document.
fn leaked(text: &str) -> Option<&'static str> {
    let hostname = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
    let hostname = hostname.trim();
    if text.contains("root:x:0:0") {
        return Some("/etc/passwd");
    }
    if hostname.len() > 3 && text.split_whitespace().any(|w| w == hostname) {
        return Some("/etc/hostname");
    }
    None
}

/// A document's text shows no server file, and text containing TeX comes out literally
/// (whitespace aside).
fn assert_shown_safely(name: &str, body: &Value, text: &str) {
    assert_eq!(leaked(text), None, "{name} leaked a file: {text}");
    let summary = body["data"]["professionalSummary"].as_str();
    if let Some(s) = summary.filter(|s| s.contains('\\') && s.is_ascii()) {
        assert!(
            contains_loosely(text, s),
            "{name}: {s:?} not shown literally in {text:?}"
        );
    }
}

/// The hostile request bodies (JSON), sorted.
fn hostile_files() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(fixtures().join("hostile"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn hostile_fixtures() {
    if !tools_present() {
        return;
    }
    let files = hostile_files();
    assert!(files.len() >= 20, "hostile fixtures missing");
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let body: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let start = Instant::now();
        let (status, _, bytes) = post("/generate", &body);
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{name} took too long"
        );
        match status {
            200 => {
                assert_shown_safely(&name, &body, &pdf_text(&bytes));
            }
            400..=499 => {
                let v: Value = serde_json::from_slice(&bytes).unwrap();
                let field = v["error"]["field"].as_str().unwrap_or("");
                assert!(
                    field.starts_with("/data/"),
                    "{name}: 4xx without a field path: {v}"
                );
            }
            other => panic!(
                "{name}: status {other}: {}",
                String::from_utf8_lossy(&bytes)
            ),
        }
    }
}

#[test]
fn specific_hostile_outcomes() {
    if !tools_present() {
        return;
    }
    let load = |f: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(fixtures().join("hostile").join(f)).unwrap())
            .unwrap()
    };
    // Chinese renders (XeTeX); the emoji is left out with a warning, not a refusal.
    let (status, h, pdf) = post("/generate", &load("unicode-cjk-emoji.json"));
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&pdf));
    let text = pdf_text(&pdf);
    assert!(
        text.contains("王小明") && text.contains("Ships fast"),
        "{text}"
    );
    assert!(!text.contains('🚀'));
    assert_eq!(h["x-validation-warnings"], "1");
    // A script the engine cannot typeset: 422 naming the field, the character and the script.
    let mut hebrew = load("unicode-cjk-emoji.json");
    hebrew["data"]["personalInfo"]["name"] = json!("דוד לוי");
    let (status, _, b) = post("/generate", &hebrew);
    assert_eq!(status, 422);
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert_eq!(v["error"]["code"], "VAL009");
    assert_eq!(v["error"]["errors"][0]["path"], "/data/personalInfo/name");
    let message = v["error"]["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains('ד') && message.contains("Hebrew"),
        "{message}"
    );
    // Greek and Cyrillic render and extract.
    let (status, _, pdf) = post("/generate", &load("unicode-greek-cyrillic.json"));
    assert_eq!(status, 200);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("Αλέξανδρος Παπαδόπουλος") && text.contains("Мария Иванова"),
        "{text}"
    );
    // A javascript: link is left out (a located warning), never printed as a link.
    let (status, h, pdf) = post("/generate", &load("javascript-url.json"));
    assert_eq!(status, 200);
    assert_eq!(h["x-validation-warnings"], "1");
    assert!(!String::from_utf8_lossy(&pdf).contains("javascript"));
    let (_, _, report) = post("/validate", &load("javascript-url.json"));
    let report: Value = serde_json::from_slice(&report).unwrap();
    assert_eq!(report["warnings"][0]["code"], "VAL005");
    assert_eq!(report["warnings"][0]["path"], "/data/personalInfo/website");
    // Specials everywhere come out literally.
    let (status, _, pdf) = post("/generate", &load("specials-everywhere.json"));
    assert_eq!(status, 200);
    let text = pdf_text(&pdf);
    for s in [
        "R&D $ Robin_Ex #1 ^2 ~home 50% {braces} back\\slash",
        "C:\\Users\\robin",
        "{unbalanced",
        "Used \\LaTeX{} and ~/bin",
    ] {
        assert!(contains_loosely(&text, s), "{s:?} not literal in {text:?}");
    }
    // Latin accents, € and ™ survive.
    let (status, _, pdf) = post(
        "/generate",
        &serde_json::json!({"document_type": "resume", "template": "classic", "data": {
        "personalInfo": {"name": "Zoë Łukasz Ñúñez-Østergård Şükrü", "email": "z@example.org"},
        "professionalSummary": "Café – naïve “quotes” ‘single’ — €100 ™ © ß æ ø å ő ű č ř ğ ı"}}),
    );
    assert_eq!(status, 200);
    let text = pdf_text(&pdf);
    assert!(text.contains("Zoë Łukasz Ñúñez-Østergård Şükrü"), "{text}");
    assert!(text.contains("€100 ™ © ß æ ø å ő ű č ř ğ ı"), "{text}");
}

/// Adds TeX specials to every display string (links, emails and dates keep their shape) and
/// records each original value with its JSON pointer.
fn poison(v: &mut Value, key: &str, path: &str, seen: &mut Vec<(String, String)>) {
    const SPECIALS: &str = r" \{x} $5 & #1 ^2 _a 50% ~b [c] *d* --e-- ''f'' <g> |h| `i` “j” €";
    let keep = [
        "url",
        "website",
        "linkedin",
        "github",
        "twitter",
        "x",
        "email",
        "spacing_mode",
        "date",
    ];
    match v {
        Value::String(s)
            if !keep.contains(&key) && !key.ends_with("Date") && !key.ends_with("_date") =>
        {
            seen.push((path.to_owned(), s.clone()));
            s.push_str(SPECIALS);
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                poison(item, key, &format!("{path}/{i}"), seen);
            }
        }
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                poison(v, k, &format!("{path}/{k}"), seen);
            }
        }
        _ => {}
    }
}

#[test]
fn specials_in_every_field_of_every_template_come_out_literally() {
    if !tools_present() {
        return;
    }
    for (kind, file) in [
        ("resume", "resume-full.json"),
        ("cover_letter", "cover-letter-full.json"),
    ] {
        let mut data: Value =
            serde_json::from_str(&std::fs::read_to_string(fixtures().join(file)).unwrap()).unwrap();
        let mut seen = Vec::new();
        poison(&mut data, "", "/data", &mut seen);
        // Aliases shadowed by a preferred key are reported by /validate and not rendered.
        let (_, _, report) = post(
            "/validate",
            &serde_json::json!({"document_type": kind, "data": data}),
        );
        let report: Value = serde_json::from_slice(&report).unwrap();
        let shadowed: Vec<&str> = report["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|w| w["code"] == "VAL015")
            .map(|w| w["path"].as_str().unwrap())
            .collect();
        let seen: Vec<String> = seen
            .into_iter()
            .filter(|(p, _)| !shadowed.iter().any(|s| p.starts_with(s)))
            .map(|(_, v)| v)
            .collect();
        assert!(seen.len() > 20);
        for template in templates(kind) {
            let body =
                serde_json::json!({"document_type": kind, "template": template, "data": data});
            let (status, _, pdf) = post("/generate", &body);
            assert_eq!(
                status,
                200,
                "{kind}/{template}: {}",
                String::from_utf8_lossy(&pdf)
            );
            let text = pdf_text(&pdf);

            // TeX specials print literally; `*d*` is Markdown emphasis, so it prints as an
            // italic "d" without its asterisks (and never as LaTeX).
            assert!(
                contains_loosely(
                    &text,
                    r"\{x} $5 & #1 ^2 _a 50% ~b [c] d --e-- ''f'' <g> |h| `i` “j” €"
                ),
                "{kind}/{template}: specials not literal: {text}"
            );
            // A place that wraps after its comma at the right edge of a two-column entry is
            // read by pdftotext as two pieces in different places: each piece must be there.
            let missing: Vec<_> = seen
                .iter()
                .filter(|s| {
                    !contains_loosely(&text, s)
                        && !s.split(", ").all(|part| contains_loosely(&text, part))
                })
                .collect();
            assert!(
                missing.is_empty(),
                "{kind}/{template}: not shown literally: {missing:?}"
            );
        }
    }
}

#[test]
fn hostile_fixtures_as_docx_open_in_libreoffice_with_the_text_literal() {
    if !crate::support::office_present() {
        return;
    }
    let files = hostile_files();
    let mut made = Vec::new();
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let mut body: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        body["format"] = Value::from("docx");
        let (status, _, bytes) = post("/generate", &body);
        match status {
            200 => {
                assert!(bytes.starts_with(b"PK\x03\x04"), "{name}: not a package");
                made.push((name, body, bytes));
            }
            400..=499 => {
                let v: Value = serde_json::from_slice(&bytes).unwrap();
                let field = v["error"]["field"].as_str().unwrap_or("");
                assert!(field.starts_with("/data/"), "{name}: {v}");
            }
            other => panic!("{name}: status {other}"),
        }
    }
    assert!(
        made.len() >= 10,
        "most hostile fixtures are valid documents"
    );
    let docs: Vec<Vec<u8>> = made.iter().map(|(_, _, b)| b.clone()).collect();
    let pdfs = crate::support::office_to_pdf(&docs);
    for ((name, body, _), pdf) in made.iter().zip(pdfs) {
        assert_shown_safely(name, body, &pdf_text(&pdf));
    }
}
