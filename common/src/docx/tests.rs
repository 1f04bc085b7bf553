//! DOCX packages are valid Office Open XML, carry every value of the document and no LaTeX,
//! follow each template's structure, and repeat byte for byte.

use std::io::{Cursor, Read};

use quick_xml::events::Event;
use serde_json::{Value, json};

use crate::api::{Checked, Source, check};
use crate::cache_key::Format;
use crate::model::{Document, SpacingMode};
use crate::testing::{TODAY, strings};

const RESUME_FULL: &str = include_str!("../../../tests/fixtures/resume-full.json");
const LETTER_FULL: &str = include_str!("../../../tests/fixtures/cover-letter-full.json");
const JSONRESUME: &str = include_str!("../../../tests/fixtures/jsonresume-sample.json");
const MINIMAL: &str = include_str!("../../../tests/fixtures/resume-minimal.json");

fn checked(kind: &str, template: &str, data: &str) -> Checked {
    let data: Value = serde_json::from_str(data).unwrap();
    check(
        &json!({"document_type": kind, "template": template, "format": "docx", "data": data}),
        Source::Json,
        TODAY,
    )
    .unwrap()
}

fn docx(c: &Checked) -> Vec<u8> {
    c.local_bytes(c.spacing).unwrap().unwrap()
}

/// Every part of the package by name.
fn parts(bytes: &[u8]) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip archive");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut s = String::new();
            f.read_to_string(&mut s).expect("UTF-8 part");
            (f.name().to_owned(), s)
        })
        .collect()
}

fn part(bytes: &[u8], name: &str) -> String {
    parts(bytes)
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no {name}"))
        .1
}

/// Parses an XML part to the end; panics on the first well-formedness error.
fn well_formed(name: &str, xml: &str) {
    let mut r = quick_xml::Reader::from_str(xml);
    r.config_mut().check_end_names = true;
    let mut depth = 0i32;
    loop {
        match r.read_event() {
            Ok(Event::Eof) => break,
            Ok(Event::Start(_)) => depth += 1,
            Ok(Event::End(_)) => depth -= 1,
            Ok(Event::Text(t)) => {
                t.decode()
                    .unwrap_or_else(|e| panic!("{name}: bad text: {e}"));
            }
            Ok(_) => {}
            Err(e) => panic!("{name}: not well-formed at {}: {e}", r.buffer_position()),
        }
    }
    assert_eq!(depth, 0, "{name}: unbalanced elements");
}

/// The document's text as a reader sees it: runs joined, paragraphs on their own lines.
fn text(bytes: &[u8]) -> String {
    let xml = part(bytes, "word/document.xml");
    let mut r = quick_xml::Reader::from_str(&xml);
    let mut out = String::new();
    let mut in_t = false;
    loop {
        match r.read_event().unwrap() {
            Event::Eof => break,
            Event::Start(e) if e.name().as_ref() == b"w:t" => in_t = true,
            Event::End(e) if e.name().as_ref() == b"w:t" => in_t = false,
            Event::End(e) if e.name().as_ref() == b"w:p" => out.push('\n'),
            Event::Empty(e) if e.name().as_ref() == b"w:tab" => out.push('\t'),
            Event::Empty(e) if e.name().as_ref() == b"w:br" => out.push('\n'),
            Event::Text(t) if in_t => out.push_str(&t.decode().unwrap()),
            Event::GeneralRef(e) if in_t => {
                let s = String::from_utf8_lossy(&e);
                out.push(match s.as_ref() {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    other => panic!("unexpected entity {other}"),
                });
            }
            _ => {}
        }
    }
    out
}

fn cases() -> Vec<(&'static str, &'static str, &'static str)> {
    let mut v = Vec::new();
    for t in ["classic", "two_column"] {
        v.push(("resume", t, RESUME_FULL));
        v.push(("resume", t, JSONRESUME));
        v.push(("resume", t, MINIMAL));
        v.push(("cover_letter", t, LETTER_FULL));
    }
    v
}

#[test]
fn every_template_and_fixture_is_a_well_formed_package() {
    for (kind, template, data) in cases() {
        let bytes = docx(&checked(kind, template, data));
        let parts = parts(&bytes);
        let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
        for needed in [
            "[Content_Types].xml",
            "_rels/.rels",
            "word/document.xml",
            "word/_rels/document.xml.rels",
            "word/styles.xml",
            "word/numbering.xml",
            "docProps/core.xml",
        ] {
            assert!(names.contains(&needed), "{kind}/{template}: no {needed}");
        }
        for (name, xml) in &parts {
            if name.ends_with(".xml") || name.ends_with(".rels") {
                well_formed(name, xml);
            }
        }
    }
}

#[test]
fn the_text_carries_every_value_and_no_latex() {
    for (kind, template, data) in cases() {
        let c = checked(kind, template, data);
        let bytes = docx(&c);
        let text = text(&bytes);
        let mut all = Vec::new();
        strings(&serde_json::to_value(&c.document).unwrap(), "", &mut all);
        // A referral's email is read but, as in the PDF, never shown.
        let hidden = match &c.document {
            Document::Resume(r) => r.referral.as_ref().and_then(|x| x.email.clone()),
            Document::CoverLetter(_) => None,
        };
        // URLs behind a shown label are links, not text (as in the PDF); the labels are text.
        let rels = part(&bytes, "word/_rels/document.xml.rels");
        let missing: Vec<_> = all
            .iter()
            .filter(|s| Some(*s) != hidden.as_ref())
            .filter(|s| !text.contains(s.as_str()))
            .filter(|s| !(s.contains("://") && rels.contains(&super::xml_escape(s))))
            .collect();
        assert!(missing.is_empty(), "{kind}/{template}: missing {missing:?}");
        for token in [
            "\\textbf", "\\href", "\\item", "\\\\", "\\VAR", "\\BLOCK", "{}",
        ] {
            assert!(!text.contains(token), "{kind}/{template}: LaTeX {token}");
        }
        if kind == "resume" && data == RESUME_FULL {
            assert!(text.contains("Mar 2021 – Present") || text.contains("Present"));
        }
    }
}

#[test]
fn headings_bullets_links_and_properties_are_real_word_features() {
    let c = checked("resume", "classic", RESUME_FULL);
    let bytes = docx(&c);
    let doc = part(&bytes, "word/document.xml");
    // One Heading 1 per section the PDF shows.
    let tex = c.clone().render().unwrap().tex;
    let sections = tex.matches("\\cvsection{").count();
    assert!(sections > 20, "the full fixture has every section");
    assert_eq!(
        doc.matches(r#"<w:pStyle w:val="Heading1" />"#).count(),
        sections
    );
    assert!(doc.contains("<w:numPr>"), "bullets are a numbered list");
    assert!(part(&bytes, "word/numbering.xml").contains(r#"<w:numFmt w:val="bullet" />"#));
    let rels = part(&bytes, "word/_rels/document.xml.rels");
    let email = match &c.document {
        Document::Resume(r) => r
            .personal_info
            .email
            .clone()
            .expect("the full fixture has an email"),
        Document::CoverLetter(_) => unreachable!(),
    };
    assert!(rels.contains(&format!("mailto:{email}")), "{rels}");
    assert!(doc.contains("<w:hyperlink r:id=\"rIdHyperlink1\""));
    let core = part(&bytes, "docProps/core.xml");
    let name = c.name().to_owned();
    assert!(
        core.contains(&format!("<dc:title>{name} – Résumé</dc:title>")),
        "{core}"
    );
    assert!(core.contains(&format!("<dc:creator>{name}</dc:creator>")));
    assert!(!core.contains("unknown"));
}

#[test]
fn the_two_column_layouts_put_the_sidebar_in_a_shaded_first_cell() {
    for (kind, data, first) in [
        ("resume", RESUME_FULL, "Contact"),
        ("cover_letter", LETTER_FULL, ""),
    ] {
        let c = checked(kind, "two_column", data);
        let bytes = docx(&c);
        let doc = part(&bytes, "word/document.xml");
        assert_eq!(
            doc.matches("<w:tbl>").count(),
            1,
            "{kind}: one layout table"
        );
        assert_eq!(doc.matches("<w:tc>").count(), 2, "{kind}: two cells");
        assert!(doc.contains(r#"w:fill="2D3748""#), "{kind}: navy sidebar");
        let text = text(&bytes);
        // Reading order as in the PDF: the sidebar (contact first) comes before the main column.
        let email_at = text.find('@').unwrap();
        let body_at = match &c.document {
            Document::Resume(r) => text.find(r.experience[0].title.as_str()).unwrap(),
            Document::CoverLetter(l) => text.find(l.salutation.as_str()).unwrap(),
        };
        assert!(email_at < body_at, "{kind}: sidebar first");
        assert!(text.starts_with(first) || first.is_empty());
    }
}

#[test]
fn identical_requests_give_identical_bytes() {
    let a = docx(&checked("resume", "classic", RESUME_FULL));
    // Other documents built in between, on this thread and another, must not shift any id.
    let _ = docx(&checked("cover_letter", "two_column", LETTER_FULL));
    std::thread::spawn(|| docx(&checked("resume", "two_column", JSONRESUME)))
        .join()
        .unwrap();
    let b = std::thread::spawn(|| docx(&checked("resume", "classic", RESUME_FULL)))
        .join()
        .unwrap();
    assert!(a == b, "DOCX bytes differ between identical requests");
    let c = docx(&checked("resume", "classic", RESUME_FULL));
    assert!(a == c);
}

#[test]
fn spacing_modes_set_the_margins() {
    let c = checked("resume", "classic", RESUME_FULL);
    let margins = |mode| {
        let bytes = c.local_bytes(mode).unwrap().unwrap();
        let doc = part(&bytes, "word/document.xml");
        let at = doc.find("<w:pgMar").unwrap();
        doc[at..at + doc[at..].find("/>").unwrap()].to_owned()
    };
    let normal = margins(SpacingMode::Normal);
    let ultra = margins(SpacingMode::UltraCompact);
    // 0.8 cm and 0.5 cm side margins, in twentieths of a point.
    assert!(normal.contains(r#"w:left="454""#), "{normal}");
    assert!(ultra.contains(r#"w:left="283""#), "{ultra}");
    assert!(
        part(
            &c.local_bytes(SpacingMode::Normal).unwrap().unwrap(),
            "word/document.xml"
        )
        .contains(r#"w:w="12240" w:h="15840""#)
    );
}

#[test]
fn hostile_fixtures_stay_well_formed_and_literal() {
    let fixtures = [
        include_str!("../../../tests/fixtures/hostile/catcode.json"),
        include_str!("../../../tests/fixtures/hostile/control-chars.json"),
        include_str!("../../../tests/fixtures/hostile/cover-letter-hostile.json"),
        include_str!("../../../tests/fixtures/hostile/end-document.json"),
        include_str!("../../../tests/fixtures/hostile/href-breakout.json"),
        include_str!("../../../tests/fixtures/hostile/input-absolute.json"),
        include_str!("../../../tests/fixtures/hostile/placeholder-injection.json"),
        include_str!("../../../tests/fixtures/hostile/specials-everywhere.json"),
        include_str!("../../../tests/fixtures/hostile/two-column-specials.json"),
        include_str!("../../../tests/fixtures/hostile/unicode-greek-cyrillic.json"),
        include_str!("../../../tests/fixtures/hostile/long-word.json"),
    ];
    let mut built = 0;
    for src in fixtures {
        let mut body: Value = serde_json::from_str(src).unwrap();
        body["format"] = json!("docx");
        for template in ["classic", "two_column"] {
            body["template"] = json!(template);
            let Ok(c) = check(&body, Source::Json, TODAY) else {
                continue;
            };
            let bytes = docx(&c);
            for (name, xml) in parts(&bytes) {
                if name.ends_with(".xml") || name.ends_with(".rels") {
                    well_formed(&name, &xml);
                }
            }
            let text = text(&bytes);
            assert!(text.contains(c.name()), "the name is there, literally");
            built += 1;
        }
    }
    assert!(
        built >= 16,
        "most hostile fixtures are valid documents ({built})"
    );
}

#[test]
fn markup_in_user_text_is_text() {
    let data = json!({
        "personalInfo": {"name": "Ada <w:p/> & \"Co\" 'x'", "email": "ada@example.org",
                         "website": "https://example.org/?a=1&b=<2>"},
        "professionalSummary": "]]> <![CDATA[ </w:t></w:r> \\textbf{x} $1 ~ # %",
    });
    let c = check(
        &json!({"document_type": "resume", "template": "classic", "format": "docx", "data": data}),
        Source::Json,
        TODAY,
    )
    .unwrap();
    let bytes = docx(&c);
    for (name, xml) in parts(&bytes) {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            well_formed(&name, &xml);
        }
    }
    let text = text(&bytes);
    assert!(text.contains("Ada <w:p/> & \"Co\" 'x'"), "{text}");
    assert!(text.contains("]]> <![CDATA[ </w:t></w:r> \\textbf{x} $1 ~ # %"));
    assert_eq!(Format::parse("DOCX"), Some(Format::Docx));
}

#[test]
fn the_package_is_deflated_with_fixed_times_and_no_directory_entries() {
    let bytes = docx(&checked("resume", "two_column", RESUME_FULL));
    let mut zip = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
    assert_eq!(zip.by_index(0).unwrap().name(), "[Content_Types].xml");
    let mut stored = 0;
    for i in 0..zip.len() {
        let f = zip.by_index(i).unwrap();
        assert!(!f.is_dir(), "{}", f.name());
        assert_eq!(
            f.compression(),
            zip::CompressionMethod::Deflated,
            "{}",
            f.name()
        );
        assert_eq!(
            f.last_modified(),
            Some(zip::DateTime::DEFAULT),
            "{}",
            f.name()
        );
        stored += f.size();
    }
    assert!(
        bytes.len() * 3 < stored as usize,
        "{} of {stored}",
        bytes.len()
    );
}

#[test]
fn east_asian_runs_name_the_font_word_has_for_the_language() {
    let cases = [
        (
            include_str!("../../../tests/fixtures/realworld/zh-jsonresume.json"),
            "SimSun",
            "李静怡",
        ),
        (
            include_str!("../../../tests/fixtures/realworld/ja-jsonresume.json"),
            "MS Mincho",
            "佐藤 花子",
        ),
        (
            include_str!("../../../tests/fixtures/realworld/ko-jsonresume.json"),
            "Batang",
            "김민준",
        ),
        (RESUME_FULL, "SimSun", ""),
    ];
    for (data, font, name) in cases {
        let bytes = docx(&checked("resume", "classic", data));
        let styles = part(&bytes, "word/styles.xml");
        assert!(
            styles.contains(&format!("w:eastAsia=\"{font}\"")),
            "{font}: {styles}"
        );
        assert!(text(&bytes).contains(name), "{name}");
    }
}

/// The text of every Heading 1 paragraph, in order.
fn headings(bytes: &[u8]) -> Vec<String> {
    let xml = part(bytes, "word/document.xml");
    let mut r = quick_xml::Reader::from_str(&xml);
    let (mut out, mut cur, mut heading, mut in_t) = (Vec::new(), String::new(), false, false);
    loop {
        match r.read_event().unwrap() {
            Event::Eof => break,
            Event::Start(e) if e.name().as_ref() == b"w:p" => {
                cur.clear();
                heading = false;
            }
            Event::Empty(e) if e.name().as_ref() == b"w:pStyle" => {
                heading |= e
                    .attributes()
                    .flatten()
                    .any(|a| a.value.as_ref() == b"Heading1");
            }
            Event::Start(e) if e.name().as_ref() == b"w:t" => in_t = true,
            Event::End(e) if e.name().as_ref() == b"w:t" => in_t = false,
            Event::Text(t) if in_t => cur.push_str(&t.decode().unwrap()),
            Event::GeneralRef(e) if in_t => cur.push(match String::from_utf8_lossy(&e).as_ref() {
                "amp" => '&',
                "apos" => '\'',
                "quot" => '"',
                "lt" => '<',
                _ => '>',
            }),
            Event::End(e) if e.name().as_ref() == b"w:p" && heading => out.push(cur.clone()),
            _ => {}
        }
    }
    out
}

/// The text format's headings: a line underlined with `=`.
fn text_headings(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    lines
        .windows(2)
        .filter(|w| !w[1].is_empty() && w[1].chars().all(|c| c == '=') && !w[0].is_empty())
        .map(|w| w[0].to_owned())
        .collect()
}

/// The LaTeX's section headings, in source order (the sidebar's come first).
fn tex_headings(tex: &str) -> Vec<String> {
    tex.match_indices("\\cvsection{")
        .map(|(i, m)| {
            let rest = &tex[i + m.len()..];
            let mut depth = 0;
            let end = rest
                .char_indices()
                .find(|&(_, c)| {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => return true,
                        '}' => depth -= 1,
                        _ => {}
                    }
                    false
                })
                .map_or(rest.len(), |(j, _)| j);
            rest[..end].to_owned()
        })
        .collect()
}

#[test]
fn pdf_docx_and_text_show_the_same_sections_in_the_same_order_with_the_same_titles() {
    let mut data: Value = serde_json::from_str(RESUME_FULL).unwrap();
    data["customSections"] = json!([
        {"title": "Ehrenämter", "entries": [{"title": "Kassenwart", "subtitle": "Ruderclub", "startDate": "2020-03"}]},
        {"title": "Hobbys", "items": ["Segeln"]},
    ]);
    let options = [
        json!({}),
        json!({"locale": "de", "page_size": "a4", "section_order": ["education", "ehrenämter", "experience"],
               "hidden_sections": ["interests"], "section_titles": {"projects": "Vorhaben"}}),
        json!({"locale": "fr", "section_order": {"sidebar": ["languages", "hobbys"], "main": ["experience", "education"]}}),
    ];
    for template in ["classic", "two_column"] {
        for extra in &options {
            let mut body = json!({"document_type": "resume", "template": template, "format": "docx", "data": data});
            for (k, v) in extra.as_object().unwrap() {
                body[k] = v.clone();
            }
            let c = check(&body, Source::Json, TODAY).unwrap();
            let Document::Resume(r) = &c.document else {
                unreachable!()
            };
            let placed = crate::layout::place(c.template, Some(r), &c.options);
            // Reading order: the sidebar, then the main column.
            let want: Vec<String> = crate::layout::column(&placed, crate::layout::Column::Sidebar)
                .into_iter()
                .chain(crate::layout::column(&placed, crate::layout::Column::Main))
                .map(|p| p.title)
                .collect();
            assert!(want.len() > 20, "{template} {extra}: every section");
            let tex = c.clone().render().unwrap().tex;
            let escaped: Vec<String> = want.iter().map(|t| crate::escape::latex(t)).collect();
            assert_eq!(tex_headings(&tex), escaped, "{template} {extra}: LaTeX");
            assert_eq!(headings(&docx(&c)), want, "{template} {extra}: DOCX");
            let upper: Vec<String> = want.iter().map(|t| t.to_uppercase()).collect();
            assert_eq!(text_headings(&c.text()), upper, "{template} {extra}: text");
        }
    }
}

#[test]
fn page_size_and_page_numbers_reach_the_package() {
    let sized = |extra: Value| {
        let mut body = json!({"document_type": "resume", "template": "classic", "format": "docx",
                              "data": serde_json::from_str::<Value>(RESUME_FULL).unwrap()});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        let c = check(&body, Source::Json, TODAY).unwrap();
        docx(&c)
    };
    for (size, w, h) in [
        ("letter", 12240, 15840),
        ("a4", 11906, 16838),
        ("legal", 12240, 20160),
    ] {
        let doc = part(&sized(json!({"page_size": size})), "word/document.xml");
        assert!(
            doc.contains(&format!(r#"<w:pgSz w:w="{w}" w:h="{h}""#)),
            "{size}: {doc:.0}"
        );
    }
    let numbered = sized(json!({"locale": "de"}));
    let doc = part(&numbered, "word/document.xml");
    assert!(
        doc.contains("<w:titlePg"),
        "the first page has a footer of its own"
    );
    let footers: Vec<String> = parts(&numbered)
        .into_iter()
        .filter(|(n, _)| n.starts_with("word/footer"))
        .map(|(_, x)| x)
        .collect();
    assert_eq!(footers.len(), 2);
    let numbered_footer = footers
        .iter()
        .find(|f| f.contains("PAGE"))
        .expect("a numbered footer");
    assert!(numbered_footer.contains("NUMPAGES"));
    assert!(numbered_footer.contains("Seite"), "{numbered_footer}");
    let plain = sized(json!({"page_numbers": false}));
    assert!(
        !parts(&plain)
            .iter()
            .any(|(n, _)| n.starts_with("word/footer"))
    );
}

#[test]
fn the_accent_colours_links_headings_and_the_sidebar() {
    for template in ["classic", "two_column"] {
        let body = json!({"document_type": "resume", "template": template, "format": "docx", "accent_color": "#0A7D33",
                          "data": serde_json::from_str::<Value>(RESUME_FULL).unwrap()});
        let c = check(&body, Source::Json, TODAY).unwrap();
        let bytes = docx(&c);
        let doc = part(&bytes, "word/document.xml");
        assert!(
            doc.contains(r#"<w:color w:val="0A7D33" />"#),
            "{template}: link runs"
        );
        assert!(
            !doc.contains("004F90"),
            "{template}: no default colour left"
        );
        let styles = part(&bytes, "word/styles.xml");
        assert!(
            styles.contains(r#"<w:color w:val="0A7D33" />"#),
            "{template}: headings"
        );
        if template == "two_column" {
            assert!(doc.contains(r#"w:fill="0A7D33""#), "the sidebar");
        }
    }
}

#[test]
fn the_docx_names_the_face_word_users_have_for_the_font() {
    for (font, family) in [
        ("pagella", "Palatino Linotype"),
        ("termes", "Times New Roman"),
        ("heros", "Arial"),
        ("adventor", "Century Gothic"),
    ] {
        let body = json!({"document_type": "resume", "template": "classic", "format": "docx", "font": font,
                          "data": serde_json::from_str::<Value>(MINIMAL).unwrap()});
        let bytes = docx(&check(&body, Source::Json, TODAY).unwrap());
        let styles = part(&bytes, "word/styles.xml");
        assert!(
            styles.contains(&format!(r#"w:ascii="{family}""#)),
            "{font}: {styles:.0}"
        );
    }
}
