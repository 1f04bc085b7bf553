//! Documents as people write them (`tests/fixtures/realworld/`: invented people, real quirks —
//! JSON Resume 0.x keys, missing fields, dates in a dozen languages, list summaries, pasted
//! HTML and Markdown, emoji and stars, CJK, Vietnamese and Central European letters): each
//! renders in every template of its type as PDF, DOCX and text, and every string of the
//! normalized document (markup removed) is in the PDF's text, the DOCX's text and the text.

use std::io::Read;

use resume_common::markup;
use serde_json::{Value, json};

use crate::support::{contains_loosely, fixtures, pdf_text, post, templates, tools_present};

fn documents() -> Vec<(String, &'static str, Value)> {
    let dir = fixtures().join("realworld");
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .expect("realworld fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let kind = if name.contains("cover-letter") {
                "cover_letter"
            } else {
                "resume"
            };
            let data = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            (name, kind, data)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Every string a reader should find: the normalized document's, without links (shown by
/// their labels) and dates (shown formatted).
fn expected_strings(normalized: &Value) -> Vec<String> {
    fn walk(v: &Value, key: &str, out: &mut Vec<String>) {
        match v {
            Value::String(s) => {
                let date = key.ends_with("Date") || key == "date" || key == "expiry";
                let link = s.contains("://") || s.starts_with("mailto:");
                if !date && !link {
                    out.push(s.clone());
                }
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, key, out)),
            Value::Object(m) => m.iter().for_each(|(k, x)| walk(x, k, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(normalized, "", &mut out);
    out
}

/// The text of a DOCX's body: every `w:t` run, XML entities decoded.
fn docx_text(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .expect("document.xml")
        .read_to_string(&mut xml)
        .expect("utf-8");
    let mut text = String::new();
    for part in xml.split("<w:t").skip(1) {
        let Some(start) = part.find('>') else {
            continue;
        };
        if part[..start].ends_with('/') {
            continue;
        }
        let body = &part[start + 1..];
        let end = body.find("</w:t>").unwrap_or(body.len());
        text.push_str(&body[..end]);
        text.push(' ');
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[test]
fn every_real_world_document_renders_everywhere_with_all_its_text() {
    if !tools_present() {
        return;
    }
    let docs = documents();
    assert!(docs.len() >= 20, "{} documents", docs.len());
    let mut problems = Vec::new();
    for (name, kind, data) in &docs {
        let (s, _, body) = post("/validate", &json!({"document_type": kind, "data": data}));
        let report: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(s, 200);
        assert_eq!(report["valid"], true, "{name}: {report}");
        let strings = expected_strings(&report["normalized_data"]);
        for template in templates(kind) {
            let req = |format: &str| json!({"document_type": kind, "template": template, "format": format, "data": data});
            let (s, h, pdf) = post("/generate", &req("pdf"));
            if s != 200 {
                problems.push(format!(
                    "{name} {template} pdf: {s} {}",
                    String::from_utf8_lossy(&pdf)
                ));
                continue;
            }
            assert!(h.contains_key("x-validation-warnings"));
            let pdf_text = pdf_text(&pdf);
            let (s, _, docx) = post("/generate", &req("docx"));
            assert_eq!(s, 200, "{name} {template} docx");
            let docx_text = docx_text(&docx);
            let (s, _, txt) = post("/generate", &req("txt"));
            assert_eq!(s, 200, "{name} {template} txt");
            let txt = String::from_utf8(txt).expect("utf-8 text");
            for want in &strings {
                let shown = markup::text_only(want);
                if !contains_loosely(&pdf_text, &shown) {
                    problems.push(format!("{name} {template}: PDF lacks {shown:?}"));
                }
                if !contains_loosely(&docx_text, &shown) {
                    problems.push(format!("{name} {template}: DOCX lacks {shown:?}"));
                }
                if !contains_loosely(&txt, &markup::plain(want)) {
                    problems.push(format!(
                        "{name} {template}: text lacks {:?}",
                        markup::plain(want)
                    ));
                }
            }
            // Markup is never printed literally.
            for token in ["**", "<b>", "<p>", "<li>", "&amp;", "](http"] {
                for (what, text) in [("PDF", &pdf_text), ("DOCX", &docx_text), ("text", &txt)] {
                    if text.contains(token) {
                        problems.push(format!("{name} {template}: {what} shows {token:?}"));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}
