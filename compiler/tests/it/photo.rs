//! Photos through the real server, pdfTeX and XeTeX: one image in the PDF of every template
//! with a photo and none without (`pdfimages -list`), the DOCX's `word/media/`, the text an
//! ATS reads unchanged by a photo, addresses never fetched, bad data refused where it is.

use std::io::{Cursor, Read};
use std::process::Command;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use crate::support::{fixture, fixtures, pdf_text, post, templates, tools_present};

pub(crate) fn photo_uri(file: &str) -> String {
    let bytes = std::fs::read(fixtures().join("photo").join(file)).expect("photo fixture");
    let media = if file.ends_with(".png") {
        "image/png"
    } else {
        "image/jpeg"
    };
    format!("data:{media};base64,{}", STANDARD.encode(bytes))
}

fn body(kind: &str, template: &str, format: &str, photo: Option<&str>, extra: Value) -> Value {
    let file = if kind == "resume" {
        "resume-full.json"
    } else {
        "cover-letter-full.json"
    };
    let mut data = fixture(file);
    if let Some(p) = photo {
        data["personalInfo"]["photo"] = json!(p);
    }
    let mut b =
        json!({"document_type": kind, "template": template, "format": format, "data": data});
    for (k, v) in extra.as_object().unwrap() {
        b[k] = v.clone();
    }
    b
}

/// `pdfimages -list` rows: (width, height, encoding).
pub(crate) fn images(pdf: &[u8]) -> Vec<(u32, u32, String)> {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("x.pdf");
    std::fs::write(&p, pdf).unwrap();
    let out = Command::new("pdfimages")
        .arg("-list")
        .arg(&p)
        .output()
        .expect("pdfimages");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(2)
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (
                f[3].parse().unwrap(),
                f[4].parse().unwrap(),
                f[8].to_owned(),
            )
        })
        .collect()
}

fn docx_media(docx: &[u8]) -> Vec<(String, usize)> {
    let mut z = zip::ZipArchive::new(Cursor::new(docx)).unwrap();
    let mut out = Vec::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        if f.name().starts_with("word/media/") {
            let mut b = Vec::new();
            f.read_to_end(&mut b).unwrap();
            out.push((f.name().to_owned(), b.len()));
        }
    }
    out
}

fn ok(b: &Value) -> (reqwest::header::HeaderMap, Vec<u8>) {
    let (s, h, bytes) = post("/generate", b);
    assert_eq!(s, 200, "{}", String::from_utf8_lossy(&bytes));
    (h, bytes)
}

#[test]
fn every_template_prints_one_photo_and_none_without() {
    if !tools_present() {
        return;
    }
    let (png, jpeg) = (photo_uri("avatar.png"), photo_uri("avatar.jpg"));
    for kind in ["resume", "cover_letter"] {
        for template in templates(kind) {
            for (photo, enc, shape) in [(&png, "image", "square"), (&jpeg, "jpeg", "circle")] {
                // No footers: a photo may move a page break, and with it where "2 / 3" reads.
                let extra = json!({"photo_shape": shape, "page_numbers": false});
                let (_, pdf) = ok(&body(kind, template, "pdf", Some(photo), extra.clone()));
                let imgs = images(&pdf);
                assert_eq!(
                    imgs,
                    [(119, 142, enc.to_owned())],
                    "{kind}/{template} {shape}"
                );
                // The photo adds no text and loses none: an ATS reads the same characters in
                // the same order (lines beside the photo are shorter, so only breaks move).
                let (_, plain) = ok(&body(kind, template, "pdf", None, extra.clone()));
                assert!(
                    images(&plain).is_empty(),
                    "{kind}/{template}: no photo, no image"
                );
                let words = |pdf: &[u8]| -> Vec<String> {
                    let mut w: Vec<String> = pdf_text(pdf)
                        .split_whitespace()
                        .map(str::to_owned)
                        .collect();
                    w.sort();
                    w
                };
                assert_eq!(
                    words(&pdf),
                    words(&plain),
                    "{kind}/{template}: the same words"
                );
                // And the reading starts where it did (the sidebar first on two columns); later
                // pages may carry a column's text a page earlier or later.
                let start = |pdf: &[u8]| -> String {
                    pdf_text(pdf)
                        .chars()
                        .filter(|c| !c.is_whitespace())
                        .take(200)
                        .collect()
                };
                assert_eq!(
                    start(&pdf),
                    start(&plain),
                    "{kind}/{template}: the same start"
                );
                let (_, docx) = ok(&body(kind, template, "docx", Some(photo), extra));
                let media = docx_media(&docx);
                let name = if enc == "jpeg" {
                    "word/media/rIdPhoto.jpeg"
                } else {
                    "word/media/rIdPhoto.png"
                };
                assert_eq!(media.len(), 1, "{kind}/{template}: {media:?}");
                assert_eq!(media[0].0, name);
            }
            let (_, docx) = ok(&body(kind, template, "docx", None, json!({})));
            assert!(docx_media(&docx).is_empty(), "{kind}/{template}");
        }
    }
}

#[test]
fn a_photo_prints_under_xetex_too() {
    if !tools_present() {
        return;
    }
    let mut b = body(
        "resume",
        "modern",
        "pdf",
        Some(&photo_uri("avatar.jpg")),
        json!({"photo_shape": "circle"}),
    );
    b["data"]["personalInfo"]["name"] = json!("王小明");
    let (_, pdf) = ok(&b);
    assert_eq!(images(&pdf), [(119, 142, "jpeg".to_owned())]);
    assert!(pdf_text(&pdf).contains("王小明"));
}

#[test]
fn the_latex_names_the_photo_file_and_never_carries_it() {
    let uri = photo_uri("avatar.jpg");
    let (_, tex) = ok(&body("resume", "classic", "tex", Some(&uri), json!({})));
    let tex = String::from_utf8(tex).unwrap();
    assert!(
        tex.contains("]{photo.jpg}"),
        "the template includes the job folder's file"
    );
    let b64 = uri.split_once(',').unwrap().1;
    assert!(!tex.contains(&b64[..64]), "no image data in the LaTeX");
    let (_, plain) = ok(&body("resume", "classic", "tex", None, json!({})));
    let plain = String::from_utf8(plain).unwrap();
    assert!(!plain.contains("includegraphics") && !plain.contains("pdfcode{q"));
}

#[test]
fn an_image_address_is_never_fetched_and_changes_nothing() {
    if !tools_present() {
        return;
    }
    let (h0, plain) = ok(&body("resume", "two_column", "pdf", None, json!({})));
    for addr in ["https://127.0.0.1:9/me.jpg", "me.jpg", "/etc/passwd"] {
        let (h, pdf) = ok(&body("resume", "two_column", "pdf", Some(addr), json!({})));
        assert_eq!(h["etag"], h0["etag"], "{addr}: the same document");
        assert!(pdf == plain, "{addr}: the same bytes");
        let count = |h: &reqwest::header::HeaderMap| -> u32 {
            h["x-validation-warnings"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap()
        };
        assert_eq!(count(&h), count(&h0) + 1, "{addr}: one warning more");
    }
    let (s, _, report) = post(
        "/validate",
        &json!({"document_type": "resume", "data": {"personalInfo": {"name": "A", "photo": "https://example.org/a.png"}}}),
    );
    assert_eq!(s, 200);
    let v: Value = serde_json::from_slice(&report).unwrap();
    let w = v["warnings"].as_array().unwrap();
    let photo = w.iter().find(|w| w["path"] == "/data/personalInfo/photo");
    let photo = photo.unwrap_or_else(|| panic!("no photo warning: {v}"));
    assert!(
        photo["message"].as_str().unwrap().contains("never fetched"),
        "{v}"
    );
}

#[test]
fn bad_photos_are_located_422s() {
    let png = std::fs::read(fixtures().join("photo/avatar.png")).unwrap();
    let cases = [
        (
            format!("data:image/gif;base64,{}", STANDARD.encode(b"GIF89a")),
            "image/gif",
        ),
        (
            format!(
                "data:image/png;base64,{}",
                STANDARD.encode(&png[..png.len() - 30])
            ),
            "sound PNG",
        ),
        (
            format!(
                "data:image/png;base64,{}",
                STANDARD.encode(vec![0u8; 600 * 1024])
            ),
            "at most 512 KB",
        ),
        ("data:image/jpeg;base64,@@@".to_owned(), "base64"),
    ];
    for (uri, want) in cases {
        let b = json!({"document_type": "resume", "template": "classic",
            "data": {"personalInfo": {"name": "A", "photo": uri}}});
        let (s, _, e) = post("/generate", &b);
        assert_eq!(s, 422, "{want}: {}", String::from_utf8_lossy(&e));
        let v: Value = serde_json::from_slice(&e).unwrap();
        let err = &v["error"]["errors"][0];
        assert_eq!(err["code"], "VAL016", "{v}");
        assert_eq!(err["path"], "/data/personalInfo/photo");
        assert!(err["message"].as_str().unwrap().contains(want), "{v}");
    }
    // JSON Resume's basics.image is the photo; its errors are located there.
    let b = json!({"document_type": "resume", "template": "classic",
        "data": {"basics": {"name": "A", "image": "data:image/png;base64,AAAA"}}});
    let (s, _, e) = post("/generate", &b);
    assert_eq!(s, 422);
    let v: Value = serde_json::from_slice(&e).unwrap();
    assert_eq!(v["error"]["errors"][0]["path"], "/data/basics/image", "{v}");
}

#[test]
fn json_resume_basics_image_prints_as_the_photo() {
    if !tools_present() {
        return;
    }
    let mut data = fixture("jsonresume-sample.json");
    data["basics"]["image"] = json!(photo_uri("avatar.png"));
    let b = json!({"document_type": "resume", "template": "classic", "data": data});
    let (_, pdf) = ok(&b);
    assert_eq!(images(&pdf), [(119, 142, "image".to_owned())]);
}
