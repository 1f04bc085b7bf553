//! The ATS round trip: every character validation accepts, in every template, comes back from
//! the PDF's text exactly (NFC), as an applicant tracking system reads it with `pdftotext`.
//!
//! The pdfTeX set (Latin, Greek, Cyrillic, symbols) is typeset by pdfTeX and, mixed with one Han
//! character, by XeTeX; the XeTeX set (Chinese, Japanese, Korean, Vietnamese) by XeTeX, in
//! chunks under the field length limit. Layout characters (no-break space, soft hyphen, zero
//! width space, line and paragraph separators, BOM) print as spacing by design and are left out.

use std::io::Write;

use resume_common::escape;
use resume_common::layout::Font;
use serde_json::{Value, json};
use unicode_normalization::UnicodeNormalization;

use crate::support::{post, tools_present};

const LAYOUT: &[char] = &[
    ' ', '\u{A0}', '\u{AD}', '\u{200B}', '\u{2028}', '\u{2029}', '\u{FEFF}',
];

/// Every template of both document types.
fn all_templates() -> Vec<(&'static str, &'static str)> {
    resume_common::render::TEMPLATES
        .iter()
        .map(|t| (t.document_type.as_str(), t.name))
        .collect()
}

/// A document of `kind` whose one long text field is `text` between two markers. Page numbers
/// are off: a footer between two pages would sit between the characters (the footer's own
/// reading is `layout.rs`'s).
fn probe(kind: &str, template: &str, text: &str) -> Value {
    probe_in(kind, template, text, "pagella")
}

/// [`probe`] in a type face.
fn probe_in(kind: &str, template: &str, text: &str, font: &str) -> Value {
    let field = format!("ATSBEGIN {text} ATSEND");
    let data = if kind == "resume" {
        json!({"personalInfo": {"name": "Ats Probe"}, "professionalSummary": field})
    } else {
        json!({"personalInfo": {"name": "Ats Probe"}, "body": field})
    };
    json!({"document_type": kind, "template": template, "page_numbers": false, "font": font, "data": data})
}

/// Typesets `chars` (joined by `sep`) in every template and checks the text between the
/// markers equals them, whitespace aside; returns the failures.
fn round_trip(chars: &[char], sep: &str, prefix: &str) -> Vec<String> {
    round_trip_in(chars, sep, prefix, "pagella")
}

/// [`round_trip`] in a type face.
fn round_trip_in(chars: &[char], sep: &str, prefix: &str, font: &str) -> Vec<String> {
    let text = format!(
        "{prefix}{}",
        chars
            .iter()
            .map(char::to_string)
            .collect::<Vec<_>>()
            .join(sep)
    );
    let want: String = text
        .nfc()
        .filter(|c| !c.is_whitespace())
        .collect::<String>();
    let mut failures = Vec::new();
    for (kind, template) in all_templates() {
        let (status, _, pdf) = post("/generate", &probe_in(kind, template, &text, font));
        if status != 200 {
            failures.push(format!(
                "{kind}/{template} in {font}: status {status}: {}",
                String::from_utf8_lossy(&pdf)
            ));
            continue;
        }
        let got = extracted(&pdf);
        if got != want {
            failures.push(format!(
                "{kind}/{template} in {font}: {}",
                first_difference(&want, &got)
            ));
        }
    }
    failures
}

/// The PDF's text between the markers, NFC, without whitespace.
fn extracted(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("x.pdf");
    std::fs::write(&p, pdf).expect("write");
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&p)
        .arg("-")
        .output()
        .expect("pdftotext");
    let text: String = String::from_utf8_lossy(&out.stdout)
        .nfc()
        .filter(|c| !c.is_whitespace())
        .collect();
    let start = text.find("ATSBEGIN").map_or(0, |i| i + "ATSBEGIN".len());
    let end = text.rfind("ATSEND").unwrap_or(text.len());
    text[start..end.max(start)].to_owned()
}

fn first_difference(want: &str, got: &str) -> String {
    let (w, g): (Vec<char>, Vec<char>) = (want.chars().collect(), got.chars().collect());
    let i = w.iter().zip(&g).take_while(|(a, b)| a == b).count();
    let show = |v: &[char]| -> String {
        v[i.saturating_sub(3)..(i + 5).min(v.len())]
            .iter()
            .map(|c| format!("{c}(U+{:04X})", u32::from(*c)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    format!(
        "differs at character {i} of {}: want {} got {}",
        w.len(),
        show(&w),
        show(&g)
    )
}

fn pdftex_set() -> Vec<char> {
    escape::supported_chars()
        .filter(|c| !LAYOUT.contains(c))
        .collect()
}

#[test]
fn every_pdftex_character_reads_back_in_every_template() {
    if !tools_present() {
        return;
    }
    let chars = pdftex_set();
    assert!(chars.len() > 1000, "{} characters", chars.len());
    let failures = round_trip(&chars, " ", "");
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn every_pdftex_character_reads_back_in_every_font_under_both_engines() {
    if !tools_present() {
        return;
    }
    let chars = pdftex_set();
    let readable: Vec<char> = chars
        .iter()
        .copied()
        .filter(|c| escape::unreadable_under_xetex(&c.to_string()).is_none())
        .collect();
    // The Latin letters only XeTeX prints (Vietnamese): the CJK ones are in Noto, whatever the font.
    let wide: Vec<char> = escape::xetex_chars()
        .filter(|c| c.is_alphabetic() && u32::from(*c) <= 0x2FFF)
        .collect();
    let mut failures = Vec::new();
    for font in Font::ALL.into_iter().filter(|f| *f != Font::Pagella) {
        failures.extend(round_trip_in(&chars, " ", "", font.as_str()));
        failures.extend(round_trip_in(&readable, " ", "王 ", font.as_str()));
        failures.extend(round_trip_in(&wide, " ", "", font.as_str()));
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn every_pdftex_character_reads_back_under_xetex_too() {
    if !tools_present() {
        return;
    }
    // One Han character sends the document to XeTeX, with every other letter in it; the few
    // letters XeTeX's fonts share a glyph for are refused in such a document, not misprinted.
    let (readable, unreadable): (Vec<char>, Vec<char>) = pdftex_set()
        .into_iter()
        .partition(|c| escape::unreadable_under_xetex(&c.to_string()).is_none());
    assert!(unreadable.len() < 10, "{unreadable:?}");
    let failures = round_trip(&readable, " ", "王 ");
    assert!(failures.is_empty(), "{failures:#?}");
    for c in unreadable {
        let (status, _, body) = post("/generate", &probe("resume", "classic", &format!("王 {c}")));
        assert_eq!(status, 422, "{c}: {}", String::from_utf8_lossy(&body));
        let v: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["error"]["errors"][0]["path"], "/data/professionalSummary");
    }
}

#[test]
fn every_cjk_and_vietnamese_character_reads_back_in_every_template() {
    if !tools_present() {
        return;
    }
    let (cjk, latin): (Vec<char>, Vec<char>) =
        escape::xetex_chars().partition(|c| !c.is_alphabetic() || u32::from(*c) > 0x2FFF);
    let chars = cjk.len() + latin.len();
    assert!(chars > 39_000, "{chars} characters");
    // CJK needs no spaces to break lines; Vietnamese letters are words and do. Chunks stay
    // under the 10,000-character field limit, with room for the markers.
    let mut failures = round_trip(&latin, " ", "");
    for chunk in cjk.chunks(9_000) {
        failures.extend(round_trip(chunk, "", ""));
    }
    assert!(failures.is_empty(), "{failures:#?}");
    let _ = writeln!(
        std::io::stderr(),
        "ATS round trip: {chars} XeTeX characters × {} templates",
        all_templates().len()
    );
}

#[test]
fn every_pdftex_character_reads_back_in_small_capitals_in_every_font() {
    if !tools_present() {
        return;
    }
    // The compact template's headings are small capitals, whose glyphs are other glyphs than
    // the letters': a section title holding the whole set must read back as sent.
    let chars = pdftex_set();
    let text = chars
        .iter()
        .map(char::to_string)
        .collect::<Vec<_>>()
        .join(" ");
    let want: String = text.nfc().filter(|c| !c.is_whitespace()).collect();
    let mut failures = Vec::new();
    for font in Font::ALL {
        let body = json!({"document_type": "resume", "template": "compact", "page_numbers": false,
            "font": font.as_str(),
            "section_titles": {"professionalSummary": format!("ATSBEGIN {text} ATSEND")},
            "data": {"personalInfo": {"name": "Ats Probe"}, "professionalSummary": "Body."}});
        let (status, _, pdf) = post("/generate", &body);
        assert_eq!(status, 200, "{font:?}: {}", String::from_utf8_lossy(&pdf));
        let got = extracted(&pdf);
        if got != want {
            failures.push(format!("{font:?}: {}", first_difference(&want, &got)));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
