//! Layout options through the real server and real pdflatex: page sizes read back with
//! pdfinfo, German titles and dates in PDF, DOCX and text, the section order and a custom
//! section in all three formats, page numbers on page 2 of a long document and none on a
//! one-page one, and every locale's own words reading back from the PDF.

use std::io::{Cursor, Read};
use std::process::Command;

use resume_common::i18n::Locale;
use serde_json::{Value, json};

use crate::support::{
    contains_loosely, fixture, pdf_info, pdf_text, post, server, templates, tools_present,
    wait_ready,
};

fn generate(template: &str, format: &str, extra: Value, data: Value) -> Vec<u8> {
    wait_ready(server());
    let mut body =
        json!({"document_type": "resume", "template": template, "format": format, "data": data});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    let (status, _, bytes) = post("/generate", &body);
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
    bytes
}

/// The full fixture with two custom sections.
fn data() -> Value {
    let mut d = fixture("resume-full.json");
    d["customSections"] = json!([
        {"title": "Ehrenämter", "entries": [{"title": "Kassenwart", "subtitle": "Ruderclub Nidelv",
            "startDate": "2020-03", "location": "Trondheim", "bullets": ["Führte die Vereinskasse"]}]},
        {"title": "Hobbys", "items": ["Segeln", "Brotbacken"]},
    ]);
    d
}

/// One page's text (pdftotext -f N -l N), whitespace collapsed.
fn page_text(pdf: &[u8], page: u32) -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("x.pdf");
    std::fs::write(&p, pdf).unwrap();
    let n = page.to_string();
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-f", &n, "-l", &n])
        .arg(&p)
        .arg("-")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn pages(pdf: &[u8]) -> u32 {
    pdf_info(pdf)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo reports pages")
}

/// The DOCX's body text, paragraphs on their own lines.
fn docx_text(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let xml = xml
        .replace("</w:p>", "\n")
        .replace("&apos;", "'")
        .replace("&amp;", "&");
    let mut out = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Positions of each needle in order; panics naming the first one missing or out of order.
fn in_order(what: &str, hay: &str, needles: &[&str]) {
    let mut from = 0;
    for n in needles {
        let at = hay[from..]
            .find(n)
            .unwrap_or_else(|| panic!("{what}: '{n}' missing or out of order"));
        from += at + n.len();
    }
}

#[test]
fn page_sizes_read_back_from_pdfinfo() {
    if !tools_present() {
        return;
    }
    let minimal = fixture("resume-minimal.json");
    for template in templates("resume") {
        for (size, points) in [
            ("letter", "612 x 792"),
            ("a4", "595.276 x 841.89"),
            ("legal", "612 x 1008"),
        ] {
            let pdf = generate(template, "pdf", json!({"page_size": size}), minimal.clone());
            let info = pdf_info(&pdf);
            assert!(
                info.contains(&format!("Page size:       {points} pts")),
                "{template} {size}: {info}"
            );
        }
    }
}

#[test]
fn german_titles_dates_order_and_a_custom_section_in_pdf_docx_and_text() {
    if !tools_present() {
        return;
    }
    let opts = json!({"locale": "de", "page_size": "a4", "section_order": ["education", "ehrenämter", "experience"]});
    // Education, then the custom section, then experience, then the rest in the template's order.
    let order = [
        "Ausbildung",
        "Ehrenämter",
        "Kassenwart",
        "Berufserfahrung",
        "Profil",
        "Kernkompetenzen",
        "Hobbys",
        "Segeln",
    ];
    for template in templates("resume") {
        let pdf = pdf_text(&generate(template, "pdf", opts.clone(), data()));
        let docx = docx_text(&generate(template, "docx", opts.clone(), data()));
        let txt = String::from_utf8(generate(template, "txt", opts.clone(), data())).unwrap();
        for (format, text) in [("pdf", &pdf), ("docx", &docx), ("txt", &txt)] {
            let upper = format == "txt";
            let want: Vec<String> = order
                .iter()
                .map(|s| {
                    if upper && !["Kassenwart", "Segeln"].contains(s) {
                        s.to_uppercase()
                    } else {
                        (*s).to_owned()
                    }
                })
                .collect();
            let want: Vec<&str> = want.iter().map(String::as_str).collect();
            if template == "classic" {
                in_order(&format!("{template} {format}"), text, &want);
            }
            for word in [
                "März 2021 – heute",
                "Juni 2013",
                "Technologien:",
                "Ruderclub Nidelv",
                "Führte die Vereinskasse",
                "Brotbacken",
            ] {
                assert!(
                    contains_loosely(text, word),
                    "{template} {format}: '{word}' missing"
                );
            }
            for english in [
                "Present",
                "Professional Summary",
                "Core Competencies",
                "Technologies:",
            ] {
                assert!(
                    !text.contains(english),
                    "{template} {format}: '{english}' left in English"
                );
            }
        }
    }
}

#[test]
fn two_column_sections_move_to_the_sidebar_in_every_format() {
    if !tools_present() {
        return;
    }
    let opts = json!({"section_order": {"sidebar": ["languages"], "main": ["education"]}});
    let docx = docx_text(&generate("two_column", "docx", opts.clone(), data()));
    let txt = String::from_utf8(generate("two_column", "txt", opts.clone(), data())).unwrap();
    // Reading order is the sidebar, then the main column.
    in_order(
        "docx",
        &docx,
        &[
            "Languages",
            "Contact",
            "Core Competencies",
            "Education",
            "Summary",
            "Experience",
        ],
    );
    in_order(
        "txt",
        &txt,
        &[
            "LANGUAGES",
            "CONTACT",
            "CORE COMPETENCIES",
            "EDUCATION",
            "SUMMARY",
            "EXPERIENCE",
        ],
    );
    let pdf = pdf_text(&generate("two_column", "pdf", opts, data()));
    assert!(pdf.contains("Languages") && pdf.contains("M.Sc. in Computer Science"));
}

#[test]
fn page_numbers_on_page_two_of_a_long_document_and_none_on_a_one_page_one() {
    if !tools_present() {
        return;
    }
    for template in templates("resume") {
        let pdf = generate(template, "pdf", json!({"spacing_mode": "normal"}), data());
        let n = pages(&pdf);
        assert!(n >= 2, "{template}: the full fixture is long");
        let footer = format!("Tomás Ferreira-Lund · 2 / {n}");
        assert!(
            page_text(&pdf, 2).contains(&footer),
            "{template}: {}",
            page_text(&pdf, 2)
        );
        assert!(
            !page_text(&pdf, 1).contains("Tomás Ferreira-Lund · 1"),
            "{template}: page 1 has none"
        );
        let de = generate(
            template,
            "pdf",
            json!({"spacing_mode": "normal", "locale": "de"}),
            data(),
        );
        assert!(
            page_text(&de, 2).contains(&format!("· Seite 2 von {}", pages(&de))),
            "{template} de"
        );
        let off = generate(
            template,
            "pdf",
            json!({"spacing_mode": "normal", "page_numbers": false}),
            data(),
        );
        assert!(
            !pdf_text(&off).contains(" · 2 /"),
            "{template}: page_numbers false"
        );

        let short = fixture("resume-minimal.json");
        let one = generate(template, "pdf", json!({}), short.clone());
        let none = generate(template, "pdf", json!({"page_numbers": false}), short);
        assert_eq!(pages(&one), 1);
        assert_eq!(
            pdf_text(&one),
            pdf_text(&none),
            "{template}: a one-page document is unchanged"
        );
    }
}

#[test]
fn every_locale_reads_back_from_the_pdf() {
    if !tools_present() {
        return;
    }
    let data = json!({"personalInfo": {"name": "Ana Sousa", "email": "ana@example.org"},
        "experience": [{"title": "Cook", "company": "Tasca", "startDate": "2021-03"}],
        "education": [{"degree": "BA", "institution": "Escola", "endDate": "2019-06"}]});
    for l in Locale::ALL {
        let pdf = pdf_text(&generate(
            "classic",
            "pdf",
            json!({"locale": l.code()}),
            data.clone(),
        ));
        for key in ["title.experience", "title.education", "present"] {
            let want = l.get(key);
            assert!(
                contains_loosely(&pdf, want),
                "{}: '{want}' ({key}) not in {pdf}",
                l.code()
            );
        }
        let month = l.month_year(2021, 3);
        assert!(
            contains_loosely(&pdf, &month),
            "{}: '{month}' not in {pdf}",
            l.code()
        );
    }
}

#[test]
fn fit_to_pages_fits_on_the_requested_paper() {
    if !tools_present() {
        return;
    }
    wait_ready(server());
    let fit = |size: &str| {
        let body = json!({"document_type": "resume", "template": "classic", "data": data(),
                          "spacing_mode": "fit", "max_pages": 3, "page_size": size});
        let (status, h, pdf) = post("/generate", &body);
        assert_eq!(status, 200);
        let header = |k: &str| h.get(k).unwrap().to_str().unwrap().to_owned();
        assert_eq!(header("x-page-count"), pages(&pdf).to_string());
        assert!(pdf_info(&pdf).contains(match size {
            "legal" => "612 x 1008",
            _ => "612 x 792",
        }));
        (header("x-spacing-mode"), pages(&pdf))
    };
    let (letter_mode, letter_pages) = fit("letter");
    let (legal_mode, legal_pages) = fit("legal");
    assert!(letter_pages <= 3 && legal_pages <= 3);
    // Longer paper holds more: the fit is at least as roomy.
    let room = |m: &str| {
        ["ultra-compact", "compact", "normal"]
            .iter()
            .position(|x| *x == m)
    };
    assert!(
        room(&legal_mode) >= room(&letter_mode),
        "{legal_mode} vs {letter_mode}"
    );
    assert!(legal_pages <= letter_pages);
}

/// Every `r g b rg` fill colour set in the PDF's (inflated) content streams.
fn fill_colours(pdf: &[u8]) -> Vec<[f64; 3]> {
    use std::io::Read as _;
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = find(&pdf[at..], b"stream") {
        let start = at + i + b"stream".len();
        let start = start
            + pdf[start..]
                .iter()
                .take_while(|b| **b == b'\r' || **b == b'\n')
                .count();
        let Some(len) = find(&pdf[start..], b"endstream") else {
            break;
        };
        let mut text = String::new();
        if flate2::read::ZlibDecoder::new(&pdf[start..start + len])
            .read_to_string(&mut text)
            .is_ok()
        {
            let words: Vec<&str> = text.split_whitespace().collect();
            for w in words.windows(4).filter(|w| w[3] == "rg") {
                if let (Ok(r), Ok(g), Ok(b)) = (w[0].parse(), w[1].parse(), w[2].parse()) {
                    out.push([r, g, b]);
                }
            }
        }
        at = start + len;
    }
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[test]
fn the_accent_colour_reaches_the_pdf_content() {
    if !tools_present() {
        return;
    }
    let want = [
        0x0A as f64 / 255.0,
        0x7D as f64 / 255.0,
        0x33 as f64 / 255.0,
    ];
    let near = |c: &[f64; 3]| c.iter().zip(want).all(|(a, b)| (a - b).abs() < 0.01);
    for template in templates("resume") {
        let pdf = generate(
            template,
            "pdf",
            json!({"accent_color": "#0A7D33"}),
            fixture("resume-full.json"),
        );
        let colours = fill_colours(&pdf);
        assert!(
            colours.iter().any(near),
            "{template}: no 0A7D33 fill in {colours:?}"
        );
        let plain = generate(template, "pdf", json!({}), fixture("resume-full.json"));
        assert!(
            !fill_colours(&plain).iter().any(near),
            "{template}: the default has none"
        );
    }
}

#[test]
fn the_chosen_font_is_embedded() {
    if !tools_present() {
        return;
    }
    for (font, face) in [
        ("pagella", "TeXGyrePagella"),
        ("termes", "TeXGyreTermes"),
        ("bonum", "TeXGyreBonum"),
        ("schola", "TeXGyreSchola"),
        ("heros", "TeXGyreHeros"),
        ("adventor", "TeXGyreAdventor"),
    ] {
        for template in templates("resume") {
            let pdf = generate(
                template,
                "pdf",
                json!({"font": font}),
                fixture("resume-minimal.json"),
            );
            let fonts = crate::support::pdf_fonts(&pdf);
            let main: Vec<&str> = fonts
                .lines()
                .skip(2)
                .filter(|l| l.contains("+TeXGyre"))
                .collect();
            assert!(
                !main.is_empty() && main.iter().all(|l| l.contains(face)),
                "{font} {template}: {fonts}"
            );
            assert!(
                main.iter().all(|l| l.contains("yes yes yes")),
                "{font}: embedded, subset, with ToUnicode"
            );
        }
    }
    // Under XeTeX (a document with Chinese text) too.
    let mut zh = fixture("resume-minimal.json");
    zh["professionalSummary"] = json!("十年经验");
    let fonts =
        crate::support::pdf_fonts(&generate("classic", "pdf", json!({"font": "heros"}), zh));
    assert!(fonts.contains("TeXGyreHeros"), "{fonts}");
}
