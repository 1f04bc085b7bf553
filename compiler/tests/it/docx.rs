//! DOCX through the origin: every template opens in LibreOffice, reads like its PDF, caches
//! like a PDF and repeats byte for byte.

use serde_json::{Value, json};

use crate::support::{
    contains_loosely, fixture, office_present, office_to_pdf, pdf_info, pdf_text, post,
    tools_present,
};

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

fn header<'a>(h: &'a reqwest::header::HeaderMap, name: &str) -> &'a str {
    h.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

/// The words of a text, with the punctuation around them dropped.
fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_owned())
        .filter(|w| !w.is_empty())
        .collect()
}

#[test]
fn every_template_opens_in_libreoffice_and_reads_like_its_pdf() {
    if !tools_present() || !office_present() {
        return;
    }
    let cases = [
        ("resume", "classic", "resume-full.json"),
        ("resume", "two_column", "resume-full.json"),
        ("resume", "classic", "jsonresume-sample.json"),
        ("resume", "two_column", "jsonresume-sample.json"),
        ("cover_letter", "classic", "cover-letter-full.json"),
        ("cover_letter", "two_column", "cover-letter-full.json"),
        ("resume", "modern", "resume-full.json"),
        ("resume", "compact", "resume-full.json"),
        ("cover_letter", "modern", "cover-letter-full.json"),
        ("cover_letter", "compact", "cover-letter-full.json"),
    ];
    let mut docs = Vec::new();
    let mut pdf_texts = Vec::new();
    for (kind, template, file) in cases {
        let body = |format: &str| {
            json!({"document_type": kind, "template": template, "format": format,
                   "data": fixture(file)})
        };
        let (s, _, pdf) = post("/generate", &body("pdf"));
        assert_eq!(s, 200, "{kind}/{template}/{file}");
        pdf_texts.push(pdf_text(&pdf));
        let (s, h, docx) = post("/generate", &body("docx"));
        assert_eq!(s, 200, "{}", String::from_utf8_lossy(&docx));
        assert_eq!(header(&h, "content-type"), DOCX);
        assert!(header(&h, "content-disposition").contains(".docx\""));
        assert!(docx.starts_with(b"PK\x03\x04"), "a zip package");
        let (_, h2, again) = post("/generate", &body("docx"));
        assert_eq!(header(&h2, "x-cache"), "HIT", "cached like a PDF");
        assert!(again == docx, "{kind}/{template}: identical bytes");
        docs.push(docx);
    }
    let converted = office_to_pdf(&docs);
    for (i, (kind, template, file)) in cases.iter().enumerate() {
        let info = pdf_info(&converted[i]);
        assert!(info.contains("Pages:"), "{kind}/{template}: {info}");
        assert!(info.contains("Title:"), "{info}");
        let docx_text = pdf_text(&converted[i]);
        let missing: Vec<String> = words(&pdf_texts[i])
            .into_iter()
            .filter(|w| !contains_loosely(&docx_text, w))
            .collect();
        assert!(
            missing.is_empty(),
            "{kind}/{template}/{file}: words of the PDF missing from the DOCX: {missing:?}"
        );
        // And nothing else: no argument junk of the kind pandoc leaked ("0cm 0cm", "2").
        let extra: Vec<String> = words(&docx_text)
            .into_iter()
            .filter(|w| !contains_loosely(&pdf_texts[i], w))
            .collect();
        assert!(
            extra.is_empty(),
            "{kind}/{template}/{file}: words in the DOCX but not in the PDF: {extra:?}"
        );
        for token in ["\\textbf", "\\href", "\\item", "\\\\"] {
            assert!(!docx_text.contains(token), "{kind}/{template}: {token}");
        }
    }
}

#[test]
fn docx_is_keyed_apart_from_pdf_and_served_by_content_address() {
    let mut data = fixture("resume-minimal.json");
    data["personalInfo"]["name"] = json!("Docx Address Test");
    let body = |format: &str| json!({"document_type": "resume", "template": "classic", "format": format, "data": data});
    let (s, h, docx) = post("/generate", &body("docx"));
    assert_eq!(s, 200);
    let key = header(&h, "etag").trim_matches('"').to_owned();
    assert_eq!(
        header(&h, "content-location"),
        format!("/documents/{key}.docx")
    );
    if tools_present() {
        let (_, hp, _) = post("/generate", &body("pdf"));
        assert_ne!(
            header(&hp, "etag"),
            header(&h, "etag"),
            "format is in the key"
        );
    }
    let r = crate::support::client()
        .get(crate::support::url(&format!("/documents/{key}.docx")))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(header(r.headers(), "content-type"), DOCX);
    assert!(header(r.headers(), "cache-control").contains("immutable"));
    assert!(r.bytes().unwrap().to_vec() == docx);
    // A fitted DOCX takes the spacing the PDF fit picks.
    if tools_present() {
        let mut fit = body("docx");
        fit["spacing_mode"] = json!("fit");
        let (s, h, _) = post("/generate", &fit);
        assert_eq!(s, 200);
        assert_eq!(header(&h, "x-spacing-mode"), "normal");
        assert_eq!(header(&h, "x-fit"), "fits");
    }
    let bad: Value =
        json!({"document_type": "resume", "template": "classic", "format": "doc", "data": data});
    let (s, _, b) = post("/generate", &bad);
    assert_eq!(s, 400, "{}", String::from_utf8_lossy(&b));
    assert!(
        String::from_utf8_lossy(&b).contains("docx"),
        "the error lists docx"
    );
}
