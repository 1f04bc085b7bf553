//! Fills the LaTeX templates with a normalized document.
//!
//! Templates are embedded at build time, so the Worker (no filesystem) and the origin render
//! the same bytes. One [`minijinja::Environment`] is built once with LaTeX-friendly delimiters
//! (`\VAR{…}`, `\BLOCK{…}`, `\#{…}`), strict undefined values, and a formatter that sends every
//! printed value through [`crate::escape::latex`]: escaping is the default and cannot be
//! forgotten. The only ways to print unescaped text are the filters defined here (`url`, `tel`,
//! `join`), which escape what they are given and mark the result safe.

use std::sync::OnceLock;

use minijinja::syntax::SyntaxConfig;
use minijinja::value::Value as JValue;
use minijinja::{AutoEscape, Environment, Error as JError, ErrorKind, UndefinedBehavior};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::dates;
use crate::escape;
use crate::i18n::{Labels, Locale};
use crate::layout::{self, Column, Kind, Options, PageSize, Placed};
use crate::model::{Document, DocumentType, PersonalInfo, SpacingMode};
use crate::photo::ImageFormat;

/// A template the service offers.
#[derive(Clone, Copy)]
pub struct Template {
    /// The document type it renders.
    pub document_type: DocumentType,
    /// Its name, e.g. `classic`.
    pub name: &'static str,
    /// One line for `/templates` and `/template-info`.
    pub description: &'static str,
    /// The spacing used when the request and the data name none: compact for the classic
    /// résumé (the reference's default), normal elsewhere (the reference's fixed 0.8 cm margins).
    pub default_spacing: SpacingMode,
    /// The minijinja source.
    source: &'static str,
    /// Its default layout and look.
    pub layout: &'static layout::TemplateLayout,
}

/// Files every template includes; part of every template's content hash.
const SHARED: &[(&str, &str)] = &[
    (
        "shared/preamble.tex.j2",
        include_str!("../../templates/shared/preamble.tex.j2"),
    ),
    (
        "shared/sections.tex.j2",
        include_str!("../../templates/shared/sections.tex.j2"),
    ),
    (
        "shared/band.tex.j2",
        include_str!("../../templates/shared/band.tex.j2"),
    ),
];

/// Every template, in the order they are listed.
pub const TEMPLATES: &[Template] = &[
    Template {
        document_type: DocumentType::Resume,
        name: "classic",
        description: "Clean single-column résumé with every section, ruled headings and Pagella type",
        default_spacing: SpacingMode::Compact,
        source: include_str!("../../templates/resume/classic.tex.j2"),
        layout: &layout::CLASSIC,
    },
    Template {
        document_type: DocumentType::Resume,
        name: "two_column",
        description: "Two-column résumé: a navy sidebar for contact, skills, education and certifications beside the main column",
        default_spacing: SpacingMode::Normal,
        source: include_str!("../../templates/resume/two_column.tex.j2"),
        layout: &layout::TWO_COLUMN,
    },
    Template {
        document_type: DocumentType::Resume,
        name: "modern",
        description: "Modern résumé: a sans-serif face, name and contact on an accent band, skills as tags, generous spacing",
        default_spacing: SpacingMode::Normal,
        source: include_str!("../../templates/resume/modern.tex.j2"),
        layout: &layout::MODERN,
    },
    Template {
        document_type: DocumentType::Resume,
        name: "compact",
        description: "Compact résumé: dense single column, no colour, small-capital headings, dates flush right; a long career on one page",
        default_spacing: SpacingMode::Compact,
        source: include_str!("../../templates/resume/compact.tex.j2"),
        layout: &layout::COMPACT,
    },
    Template {
        document_type: DocumentType::CoverLetter,
        name: "classic",
        description: "Classic letter: header, recipient block, date, body and signature in one column",
        default_spacing: SpacingMode::Normal,
        source: include_str!("../../templates/cover_letter/classic.tex.j2"),
        layout: &layout::LETTER,
    },
    Template {
        document_type: DocumentType::CoverLetter,
        name: "two_column",
        description: "Letter with a navy contact sidebar beside the recipient, body and signature",
        default_spacing: SpacingMode::Normal,
        source: include_str!("../../templates/cover_letter/two_column.tex.j2"),
        layout: &layout::LETTER_TWO_COLUMN,
    },
    Template {
        document_type: DocumentType::CoverLetter,
        name: "modern",
        description: "Modern letter matching the modern résumé: sans-serif, name and contact on an accent band",
        default_spacing: SpacingMode::Normal,
        source: include_str!("../../templates/cover_letter/modern.tex.j2"),
        layout: &layout::LETTER_MODERN,
    },
    Template {
        document_type: DocumentType::CoverLetter,
        name: "compact",
        description: "Compact letter matching the compact résumé: no colour, the header flush left",
        default_spacing: SpacingMode::Normal,
        source: include_str!("../../templates/cover_letter/compact.tex.j2"),
        layout: &layout::LETTER_COMPACT,
    },
];

impl std::fmt::Debug for Template {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Template").field(&self.id()).finish()
    }
}

impl Template {
    /// Looks a template up by type and name, ignoring case and accepting `-` for `_`.
    pub fn find(document_type: DocumentType, name: &str) -> Option<&'static Template> {
        let wanted = name.trim().to_ascii_lowercase().replace('-', "_");
        TEMPLATES
            .iter()
            .find(|t| t.document_type == document_type && t.name == wanted)
    }

    /// The names of every template of a type.
    pub fn names(document_type: DocumentType) -> Vec<&'static str> {
        TEMPLATES
            .iter()
            .filter(|t| t.document_type == document_type)
            .map(|t| t.name)
            .collect()
    }

    /// The id used for lookups and cache keys: `resume/classic`.
    pub fn id(&self) -> String {
        format!("{}/{}", self.document_type.as_str(), self.name)
    }

    /// SHA-256 (hex) over the template and every shared file it can include; computed once
    /// per process, since every request's cache key needs it.
    pub fn content_hash(&self) -> &'static str {
        static HASHES: OnceLock<Vec<String>> = OnceLock::new();
        let hashes = HASHES.get_or_init(|| {
            TEMPLATES
                .iter()
                .map(|t| {
                    let mut h = Sha256::new();
                    h.update(t.source.as_bytes());
                    for (name, src) in SHARED {
                        h.update(name.as_bytes());
                        h.update(src.as_bytes());
                    }
                    hex::encode(h.finalize())
                })
                .collect()
        });
        let i = TEMPLATES
            .iter()
            .position(|t| t.document_type == self.document_type && t.name == self.name)
            .expect("every Template value is one of TEMPLATES");
        &hashes[i]
    }

    /// The required fields, for `/template-info`.
    pub fn required_fields(&self) -> &'static [&'static str] {
        match self.document_type {
            DocumentType::Resume | DocumentType::CoverLetter => &["personalInfo.name"],
        }
    }
}

/// Lengths for one spacing mode (REFERENCE.md §2.9), in centimetres.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Spacing {
    /// The mode's wire name.
    pub mode: &'static str,
    /// Top margin.
    pub margin_top: f32,
    /// Bottom margin.
    pub margin_bottom: f32,
    /// Left margin.
    pub margin_left: f32,
    /// Right margin.
    pub margin_right: f32,
    /// Space before a section heading.
    pub section_before: f32,
    /// Space after a section heading.
    pub section_after: f32,
    /// Space above a bullet list.
    pub item_topsep: f32,
    /// Space between paragraphs inside a bullet.
    pub item_parsep: f32,
    /// Extra space between bullets.
    pub item_itemsep: f32,
}

impl Spacing {
    /// The lengths of a mode.
    pub fn of(mode: SpacingMode) -> Self {
        let (m, s, i) = match mode {
            SpacingMode::Normal => ((0.8, 0.3, 0.8, 0.8), (0.3, 0.2), (0.10, 0.10, 0.0)),
            SpacingMode::Compact => ((0.5, 0.5, 0.6, 0.6), (0.2, 0.15), (0.05, 0.05, 0.0)),
            SpacingMode::UltraCompact => ((0.4, 0.4, 0.5, 0.5), (0.15, 0.1), (0.03, 0.03, 0.0)),
        };
        Spacing {
            mode: mode.as_str(),
            margin_top: m.0,
            margin_bottom: m.1,
            margin_left: m.2,
            margin_right: m.3,
            section_before: s.0,
            section_after: s.1,
            item_topsep: i.0,
            item_parsep: i.1,
            item_itemsep: i.2,
        }
    }
}

/// Rendering failed: a template bug, never a user error (user text cannot reach the syntax).
#[derive(Debug, thiserror::Error)]
#[error("template '{template}' failed to render: {source:#}")]
pub struct RenderError {
    template: String,
    #[source]
    source: JError,
}

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        let syntax = SyntaxConfig::builder()
            .block_delimiters("\\BLOCK{", "}")
            .variable_delimiters("\\VAR{", "}")
            .comment_delimiters("\\#{", "}")
            .build()
            .expect("the LaTeX delimiters are a valid syntax");
        env.set_syntax(syntax);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_keep_trailing_newline(true);
        // Missing fields are falsy in `if` tests but an error when printed (see the formatter).
        env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
        env.set_auto_escape_callback(|_| AutoEscape::Custom("latex"));
        env.set_formatter(|out, _state, value| {
            if value.is_undefined() || value.is_none() {
                return Err(JError::new(
                    ErrorKind::UndefinedError,
                    "printed a missing value",
                ));
            }
            let text = if value.is_safe() {
                value.to_string()
            } else if let Some(s) = value.as_str() {
                escape::latex(s)
            } else {
                escape::latex(&value.to_string())
            };
            out.write_str(&text).map_err(JError::from)
        });
        env.add_filter("url", |s: &str| JValue::from_safe_string(escape::url(s)));
        env.add_filter(
            "photo",
            |p: JValue, size_cm: f64| -> Result<JValue, JError> {
                let num = |k: &str| p.get_attr(k).ok().and_then(|v| u32::try_from(v).ok());
                let (Some(w), Some(h)) = (num("width"), num("height")) else {
                    return Err(JError::new(
                        ErrorKind::InvalidOperation,
                        "photo without size",
                    ));
                };
                let circle = p.get_attr("circle").is_ok_and(|v| v.is_true());
                let file = match p
                    .get_attr("file")
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                {
                    Some(f)
                        if f == ImageFormat::Png.file_name()
                            || f == ImageFormat::Jpeg.file_name() =>
                    {
                        f
                    }
                    _ => return Err(JError::new(ErrorKind::InvalidOperation, "photo file")),
                };
                Ok(JValue::from_safe_string(photo_tex(
                    &file, w, h, circle, size_cm,
                )))
            },
        );
        env.add_filter("tel", |s: &str| {
            let digits: String = s
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == '+')
                .collect();
            JValue::from_safe_string(digits)
        });
        // Dates print in the locale the template passes (`t.locale`).
        env.add_filter("date", |s: &str, l: Option<&str>| {
            dates::display_in(s, locale_of(l))
        });
        // A link's label (markup links inside it print as text) and a multi-paragraph block.
        env.add_filter("linktext", |s: &str| {
            JValue::from_safe_string(escape::latex_link_text(s))
        });
        env.add_filter("paras", |s: &str| {
            JValue::from_safe_string(escape::latex_paragraphs(s))
        });
        env.add_function("dates", |start: JValue, end: JValue, l: Option<&str>| {
            let text = |v: &JValue| v.as_str().map(str::to_owned);
            dates::display_range_in(text(&start).as_deref(), text(&end).as_deref(), locale_of(l))
        });
        // Escapes each item and the separator, then marks the whole safe.
        env.add_filter("join", |items: Vec<JValue>, sep: Option<&str>| {
            let sep = escape::latex(sep.unwrap_or(""));
            let parts: Vec<String> = items
                .iter()
                .map(|v| {
                    if v.is_safe() {
                        v.to_string()
                    } else {
                        escape::latex(&v.to_string())
                    }
                })
                .collect();
            JValue::from_safe_string(parts.join(&sep))
        });
        for (name, src) in SHARED {
            env.add_template(name, src).expect("shared templates parse");
        }
        for t in TEMPLATES {
            env.add_template_owned(t.id(), t.source)
                .expect("templates parse");
        }
        env
    })
}

fn locale_of(code: Option<&str>) -> Locale {
    code.and_then(Locale::parse).unwrap_or_default()
}

/// A contact line item: text, and a link when it has one.
#[derive(Serialize)]
pub(crate) struct Contact {
    pub(crate) text: String,
    pub(crate) url: Option<String>,
}

#[derive(Serialize)]
struct Context<'a> {
    doc: &'a Document,
    spacing: Spacing,
    /// `Name – Résumé` / `Name – Cover Letter` (in the locale), for the PDF metadata.
    pdf_title: String,
    /// The header's contact items, in the reference's order.
    contacts: Vec<Contact>,
    /// Non-empty skill levels as `[title, skills]`, titles in the locale.
    matrix: Vec<(&'static str, &'a Vec<String>)>,
    /// The cover letter's address block.
    recipient_lines: Vec<String>,
    /// `pdftex`, or `xetex` for a document with Chinese, Japanese, Korean or Vietnamese text.
    engine: &'static str,
    /// The Noto CJK face for Han characters: JP when the document has kana, KR with Hangul.
    cjk_face: &'static str,
    /// The main column's sections, in order (every section of a one-column template).
    main: Vec<Placed>,
    /// The sidebar's sections, in order (two-column templates).
    sidebar: Vec<Placed>,
    /// The contact block's title (the two-column letter's sidebar).
    contact_title: String,
    /// Labels printed inside sections, in the locale.
    t: Labels,
    /// The page: its size when it is not Letter, and the page-number footer.
    page: Page,
    /// The colours; set in the body when they are the request's.
    colors: layout::Palette,
    /// The type face.
    font: FontCx,
    /// The photo, when the document has one.
    photo: Option<PhotoCx>,
}

/// The type face as the templates need it.
#[derive(Serialize)]
struct FontCx {
    /// Whether the body switches to it (the preamble's own is Pagella).
    switch: bool,
    /// pdfTeX's family (`qtm`).
    nfss: &'static str,
    /// Whether it is a sans-serif (the body makes the sans family the default).
    sans: bool,
    /// XeTeX's OpenType file stem (`texgyretermes`).
    otf: String,
}

/// The page set-up the body applies (after `\begin{document}`, so one precompiled preamble
/// serves every size and the warm path stays warm).
#[derive(Serialize)]
struct Page {
    /// Paper size in millimetres when it is not the preamble's Letter.
    size: Option<(f32, f32)>,
    /// The footer around the page number and total (`Name · `, ` / `, ``), when page numbers
    /// are on.
    footer: Option<(String, String, String)>,
    /// The bottom margin (cm) of a numbered document: room for the footer.
    numbered_bottom: f32,
}

/// The line of a numbered template's body that holds the page total; the origin fills it in
/// ([`with_page_total`]) and typesets again when the first run had more than one page.
pub const PAGE_TOTAL_LINE: &str = "\\def\\PageTotal{0}";

/// The LaTeX of a document with its page total filled in, when it has page numbers; `None`
/// for one without (or already filled in). A one-page document never needs it.
pub fn with_page_total(tex: &str, pages: u32) -> Option<String> {
    let line = format!("\n{PAGE_TOTAL_LINE}\n");
    let at = tex.find(&line)?;
    let mut out = String::with_capacity(tex.len() + 4);
    out.push_str(&tex[..at]);
    out.push_str(&format!("\n\\def\\PageTotal{{{pages}}}\n"));
    out.push_str(&tex[at + line.len()..]);
    Some(out)
}

/// The TeX engine a document is typeset with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    /// pdfTeX: Latin, Greek, Cyrillic and symbols; the warm path.
    Pdftex,
    /// XeTeX with OpenType fonts: Chinese, Japanese, Korean and Vietnamese (cold path only).
    Xetex,
}

/// The first line of a document rendered for XeTeX; the origin reads it to pick the binary.
pub const XETEX_MARKER: &str = "%!TEX program = xelatex";

impl Engine {
    /// The engine a document needs: XeTeX when any of its text, or its locale's words, need it.
    pub fn of(doc: &Document, locale: Locale) -> Self {
        scripts(doc, locale).0
    }

    /// The engine rendered LaTeX asks for (its first line).
    pub fn of_tex(tex: &str) -> Self {
        if tex.starts_with(XETEX_MARKER) {
            Engine::Xetex
        } else {
            Engine::Pdftex
        }
    }

    /// Its name in templates: `pdftex` or `xetex`.
    pub fn as_str(self) -> &'static str {
        match self {
            Engine::Pdftex => "pdftex",
            Engine::Xetex => "xetex",
        }
    }
}

/// The Noto CJK face whose glyph forms suit the document's language.
pub(crate) fn cjk_face(doc: &Document, locale: Locale) -> &'static str {
    scripts(doc, locale).1
}

/// The engine a document needs and its CJK face (JP when it has kana, KR with Hangul, else
/// the locale's, else SC), from one pass over its serialized text: rendering needs both.
fn scripts(doc: &Document, locale: Locale) -> (Engine, &'static str) {
    let json = serde_json::to_string(doc).unwrap_or_default();
    let fallback = locale.cjk_face().unwrap_or("SC");
    if json.is_ascii() {
        let engine = if locale.needs_xetex() {
            Engine::Xetex
        } else {
            Engine::Pdftex
        };
        return (engine, fallback);
    }
    let engine = if locale.needs_xetex() || escape::needs_xetex(&json) {
        Engine::Xetex
    } else {
        Engine::Pdftex
    };
    let kana = |c: &char| ('\u{3040}'..='\u{30FF}').contains(c);
    let hangul = |c: &char| ('\u{AC00}'..='\u{D7A3}').contains(c);
    let face = if json.chars().any(|c| kana(&c)) {
        "JP"
    } else if json.chars().any(|c| hangul(&c)) {
        "KR"
    } else {
        fallback
    };
    (engine, face)
}

pub(crate) fn contacts(p: &PersonalInfo) -> Vec<Contact> {
    let mut out = Vec::new();
    let mut push = |text: &Option<String>, url: Option<String>| {
        if let Some(t) = text {
            out.push(Contact {
                text: t.clone(),
                url,
            });
        }
    };
    push(&p.location, None);
    push(&p.email, p.email.as_ref().map(|e| format!("mailto:{e}")));
    let tel = p.phone.as_ref().map(|ph| {
        format!(
            "tel:{}",
            ph.chars()
                .filter(|c| c.is_ascii_digit() || *c == '+')
                .collect::<String>()
        )
    });
    push(&p.phone, tel);
    push(&p.website_display, p.website.clone());
    push(&p.linkedin_display, p.linkedin.clone());
    push(&p.github_display, p.github.clone());
    push(&p.twitter_display, p.twitter.clone());
    push(&p.x_display, p.x.clone());
    for prof in &p.profiles {
        push(&Some(prof.shown()), prof.url.clone());
    }
    out
}

/// The PDF title: `Name – Résumé` in the locale.
pub(crate) fn title(template: &Template, name: &str, l: Locale) -> String {
    let kind = match template.document_type {
        DocumentType::Resume => l.get("doc.resume"),
        DocumentType::CoverLetter => l.get("doc.cover_letter"),
    };
    format!("{name} – {kind}")
}

/// Renders a normalized document with a template, layout options and a spacing mode into
/// LaTeX source.
pub fn render(
    template: &Template,
    doc: &Document,
    options: &Options,
    spacing: SpacingMode,
) -> Result<String, RenderError> {
    let l = options.locale;
    let (person, matrix, recipient_lines, resume) = match doc {
        Document::Resume(r) => (
            &r.personal_info,
            r.skills_matrix.titled(l),
            Vec::new(),
            Some(r.as_ref()),
        ),
        Document::CoverLetter(c) => (
            &c.personal_info,
            Vec::new(),
            c.recipient.as_ref().map(|r| r.lines()).unwrap_or_default(),
            None,
        ),
    };
    let placed = layout::place(template, resume, options);
    let contact_title = placed
        .iter()
        .find(|p| p.kind == Kind::Contact)
        .map_or_else(|| l.get("title.contact").to_owned(), |p| p.title.clone());
    let spacing = Spacing::of(spacing);
    let page = Page {
        size: (options.page_size != PageSize::Letter).then(|| options.page_size.mm()),
        footer: options.page_numbers.then(|| l.footer(&person.name)),
        numbered_bottom: spacing.margin_bottom.max(NUMBERED_BOTTOM_CM),
    };
    let (engine, face) = scripts(doc, l);
    let photo = person.photo.as_ref().map(|p| PhotoCx {
        file: p.format.file_name(),
        width: p.width,
        height: p.height,
        circle: options.photo_shape == crate::photo::PhotoShape::Circle,
    });
    let ctx = Context {
        photo,
        doc,
        spacing,
        pdf_title: title(template, &person.name, l),
        contacts: contacts(person),
        matrix,
        recipient_lines,
        engine: engine.as_str(),
        cjk_face: face,
        main: layout::column(&placed, Column::Main),
        sidebar: layout::column(&placed, Column::Sidebar),
        contact_title,
        t: Labels::of(l),
        page,
        colors: layout::Palette::of(template, options),
        font: FontCx {
            switch: options.font != layout::Font::Pagella,
            nfss: options.font.nfss(),
            sans: options.font.sans(),
            otf: options.font.otf(),
        },
    };
    let err = |source| RenderError {
        template: template.id(),
        source,
    };
    let tmpl = environment().get_template(&template.id()).map_err(err)?;
    tmpl.render(&ctx).map_err(err)
}

/// A photo `size_cm` square, cropped to a square or circle around its middle: the image is
/// scaled to cover the square and clipped to it with PDF operators (`\pdfcode`, which each
/// engine's preamble defines), both literals at the same point so the graphics state is
/// restored exactly. Numbers only: nothing here comes from user text.
fn photo_tex(file: &str, w: u32, h: u32, circle: bool, size_cm: f64) -> String {
    let d = size_cm * 72.0 / 2.54;
    let (w, h) = (f64::from(w), f64::from(h));
    let (iw, ih) = if w >= h {
        (d * w / h, d)
    } else {
        (d, d * h / w)
    };
    let (dx, dy) = ((iw - d) / 2.0, (ih - d) / 2.0);
    let clip = if circle {
        // Four Bézier quarter circles (k = 0.5523 of the radius).
        let r = d / 2.0;
        let k = 0.552_284_75 * r;
        format!(
            "{x1:.2} {r:.2} m {x1:.2} {a:.2} {a:.2} {x1:.2} {r:.2} {x1:.2} c {b:.2} {x1:.2} 0 {a:.2} 0 {r:.2} c 0 {b:.2} {b:.2} 0 {r:.2} 0 c {a:.2} 0 {x1:.2} {b:.2} {x1:.2} {r:.2} c h",
            x1 = d,
            a = r + k,
            b = r - k,
        )
    } else {
        format!("0 0 {d:.2} {d:.2} re")
    };
    format!(
        "\\leavevmode\\pdfcode{{q {clip} W n}}\\rlap{{\\hspace*{{-{dx:.2}bp}}\\raisebox{{-{dy:.2}bp}}[0pt][0pt]{{\\includegraphics[width={iw:.2}bp,height={ih:.2}bp]{{{file}}}}}}}\\pdfcode{{Q}}\\rule{{0pt}}{{{d:.2}bp}}\\hspace*{{{d:.2}bp}}"
    )
}

/// The photo as the templates see it: its file in the job folder, pixel size and shape.
#[derive(Serialize)]
struct PhotoCx {
    file: &'static str,
    width: u32,
    height: u32,
    circle: bool,
}

/// The bottom margin of a document with page numbers, in centimetres: room for the footer
/// line below the text (the spacing modes' own bottom margins are 0.3–0.5 cm).
pub const NUMBERED_BOTTOM_CM: f32 = 1.2;

#[cfg(test)]
mod tests;
