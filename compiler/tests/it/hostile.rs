//! Every hostile fixture: a PDF with the text shown literally, or a 4xx naming the field; never
//! a 500, never a hang, never a server file's content.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{contains_loosely, fixtures, pdf_text, post, tools_present};

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

#[test]
fn hostile_fixtures() {
    if !tools_present() {
        return;
    }
    let mut files: Vec<_> = std::fs::read_dir(fixtures().join("hostile"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
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
                let text = pdf_text(&bytes);
                assert_eq!(leaked(&text), None, "{name} leaked a file: {text}");
                let summary = body["data"]["professionalSummary"].as_str();
                // Text that contains TeX must come out literally (whitespace aside).
                if let Some(s) = summary.filter(|s| s.contains('\\') && s.is_ascii()) {
                    assert!(
                        contains_loosely(&text, s),
                        "{name}: {s:?} not shown literally in {text:?}"
                    );
                }
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
    // Unsupported script: 422 naming the field and the character.
    let (status, _, b) = post("/generate", &load("unicode-cjk-emoji.json"));
    assert_eq!(status, 422);
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert_eq!(v["error"]["code"], "VAL009");
    assert_eq!(v["error"]["errors"][0]["path"], "/data/personalInfo/name");
    assert!(
        v["error"]["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains('王')
    );
    assert_eq!(v["error"]["errors"][1]["path"], "/data/professionalSummary");
    // Greek and Cyrillic render and extract.
    let (status, _, pdf) = post("/generate", &load("unicode-greek-cyrillic.json"));
    assert_eq!(status, 200);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("Αλέξανδρος Παπαδόπουλος") && text.contains("Мария Иванова"),
        "{text}"
    );
    // javascript: links are refused.
    let (status, _, b) = post("/generate", &load("javascript-url.json"));
    assert_eq!(status, 400);
    assert!(String::from_utf8_lossy(&b).contains("/data/personalInfo/website"));
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
