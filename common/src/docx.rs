//! Word documents (`format: "docx"`), built natively from the normalized model with docx-rs:
//! no LaTeX and no converter in between, so the edge answers them without the origin.
//!
//! Each template's DOCX follows its PDF: the same blocks in the same order with the same
//! headings. Section titles are real Word headings (style "Heading 1", outline level 1), the
//! name is the "Title" style, bullets are a real bulleted list, links are hyperlinks. The
//! two-column templates put their navy sidebar in the left cell of a borderless two-cell table,
//! so the reading order (sidebar first, as in the PDF's text) survives in every word processor
//! and ATS parser. The spacing mode sets the page margins and the space around headings and
//! bullets with the same lengths as the PDF; the page size is the request's, like the PDF's.
//! Which sections print, in which order, column and title comes from [`crate::layout`], the
//! words around them from the locale; with page numbers on, pages after the first carry the
//! footer `Name · 2 / 3` (Word's PAGE and NUMPAGES fields, so a one-page document shows none).
//!
//! Bytes are deterministic for identical input: docx-rs numbers paragraphs and hyperlinks from
//! process-wide counters and lists hyperlink relationships in hash order, so this module numbers
//! both itself and sorts the relationships; zip entries carry the zip epoch and the document
//! properties a fixed date (as the PDFs do with `SOURCE_DATE_EPOCH=0`). The package is repacked
//! deflated (docx-rs stores its parts uncompressed).

use docx_rs::{
    AbstractNumbering, AlignmentType, BorderType, Docx, Footer, Hyperlink, HyperlinkData,
    IndentLevel, Level, LevelJc, LevelText, LineSpacing, LineSpacingType, NumPages, NumberFormat,
    Numbering, NumberingId, PageMargin, PageNum, Paragraph, ParagraphBorder,
    ParagraphBorderPosition, ParagraphBorders, ParagraphChild, Pic, Run, RunFonts, Shading,
    ShdType, SpecialIndentType, Start, Style, StyleType, Tab, TabValueType, Table, TableCell,
    TableCellMargins, TableLayoutType, TableRow, WidthType,
};

use crate::dates;
use crate::i18n::Locale;
use crate::layout::{self, Column, Header, Kind, Options, Placed};
use crate::model::{
    CoverLetter, CustomSection, Document, Education, Item, Note, Person, PersonalInfo, Project,
    Resume, Role, SkillGroup, SpacingMode,
};
use crate::photo::{ImageFormat, Photo};
use crate::render::{Contact, Spacing, Template, contacts};

/// The footer's distance from the bottom edge when pages are numbered.
const FOOTER_CM: f32 = 0.5;

/// The media type of a DOCX file.
pub const CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

const TWIPS_PER_CM: f32 = 566.929;
const WHITE: &str = "FFFFFF";
/// Font sizes in half-points: the PDFs' 10 pt body, `\small`, `\large`, the name.
const BODY: usize = 20;
const SMALL: usize = 18;
const LARGE: usize = 24;
const NAME: usize = 40;
const LETTER_NAME: usize = 50;
/// The one bulleted list definition every list uses (docx-rs writes a default list as 1).
const BULLET_LIST: usize = 2;
/// A fixed date for the document properties; the content carries the real dates.
const EPOCH: &str = "1970-01-01T00:00:00Z";

/// Building the package failed; an engine bug, never a user error.
#[derive(Debug, thiserror::Error)]
#[error("DOCX packaging failed: {0}")]
pub struct DocxError(String);

/// Renders a normalized document with a template's layout and a spacing mode as DOCX bytes.
pub fn render(
    template: &Template,
    doc: &Document,
    options: &Options,
    spacing: SpacingMode,
) -> Result<Vec<u8>, DocxError> {
    let s = Spacing::of(spacing);
    let l = options.locale;
    let (page_w, page_h) = options.page_size.mm();
    let (page_width, page_height) = (twips(page_w / 10.0), twips(page_h / 10.0));
    let (left, right) = (twips(s.margin_left), twips(s.margin_right));
    let text_width = page_width.saturating_sub(left + right);
    let look = &layout::TemplateLayout::of(template).look;
    let two_column = layout::TemplateLayout::of(template).two_column;
    let resume = match doc {
        Document::Resume(r) => Some(r.as_ref()),
        Document::CoverLetter(_) => None,
    };
    let placed = layout::place(template, resume, options);
    let palette = layout::Palette::of(template, options);
    let mut w = Writer {
        l,
        link_color: palette.link.clone(),
        sidebar_fill: palette.sidebar.clone(),
        accent: palette.heading.clone(),
        spacing: s,
        next_para: 0,
        next_link: 0,
        sidebar: false,
        width: text_width.max(1) as usize,
        rule: (
            palette.rule.clone(),
            match look.headings {
                layout::Headings::Ruled(eighths) => usize::from(eighths),
                layout::Headings::SmallCaps => 4,
                layout::Headings::Plain => 0,
            },
        ),
        tag_fill: look.tags.then(|| layout::tint(&palette.sidebar, 0.14)),
        band_fill: palette.sidebar.clone(),
        photo: doc.personal_info().photo.clone(),
    };
    let heading_style = Style::new("Heading1", StyleType::Paragraph)
        .name("heading 1")
        .size(LARGE)
        .color(palette.heading.as_str())
        .outline_lvl(0);
    // Word has small capitals, but every exporter and parser reads them as capitals: the
    // compact headings are plain, a size smaller, so their text is the text that was sent.
    let heading_style = match look.headings {
        layout::Headings::SmallCaps => heading_style.size(BODY + 4),
        _ => heading_style.bold(),
    };
    let person = match doc {
        Document::Resume(r) => &r.personal_info,
        Document::CoverLetter(c) => &c.personal_info,
    };
    let mut docx = Docx::new()
        .page_size(page_width, page_height)
        .page_margin(
            PageMargin::new()
                .top(twips(s.margin_top) as i32)
                .bottom(twips(s.margin_bottom) as i32)
                .left(left as i32)
                .right(right as i32)
                .header(0)
                .footer(if options.page_numbers {
                    twips(FOOTER_CM) as i32
                } else {
                    0
                }),
        )
        .default_fonts(fonts(
            options.font.docx_family(),
            crate::render::cjk_face(doc, l),
        ))
        .default_size(BODY)
        .default_line_spacing(
            LineSpacing::new()
                .before(0)
                .after(0)
                .line(240)
                .line_rule(LineSpacingType::Auto),
        )
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .size(NAME)
                .bold(),
        )
        .add_style(
            Style::new("Subtitle", StyleType::Paragraph)
                .name("Subtitle")
                .italic(),
        )
        .add_style(heading_style)
        .add_abstract_numbering(
            AbstractNumbering::new(BULLET_LIST).add_level(
                Level::new(
                    0,
                    Start::new(1),
                    NumberFormat::new("bullet"),
                    LevelText::new("•"),
                    LevelJc::new("left"),
                )
                .indent(
                    Some(260),
                    Some(SpecialIndentType::Hanging(260)),
                    None,
                    None,
                ),
            ),
        )
        .add_numbering(Numbering::new(BULLET_LIST, BULLET_LIST));
    let side = layout::column(&placed, Column::Sidebar);
    let main = layout::column(&placed, Column::Main);
    let blocks = match (doc, two_column) {
        (Document::Resume(r), false) => Blocks::One(w.resume_one_column(r, &main, look.header)),
        (Document::Resume(r), true) => {
            w.columns(0.33, |w| w.sections(r, &side), |w| w.resume_main(r, &main))
        }
        (Document::CoverLetter(c), false) => Blocks::One(w.letter_one_column(c, look.header)),
        (Document::CoverLetter(c), true) => {
            let contact = side.first().map_or("", |p| p.title.as_str()).to_owned();
            w.columns(
                0.30,
                |w| w.letter_sidebar(c, &contact),
                |w| w.letter_main(c),
            )
        }
    };
    if options.page_numbers {
        let (first, rest) = w.footers(&person.name);
        docx = docx.first_footer(first).footer(rest);
    }
    match blocks {
        Blocks::One(paras) => {
            for p in paras {
                docx = docx.add_paragraph(p);
            }
        }
        Blocks::Table(t) => docx = docx.add_table(*t),
    }
    let mut xml = docx.created_at(EPOCH).updated_at(EPOCH).build();
    xml.doc_props.core = core_properties(
        &crate::render::title(template, &person.name, l),
        &person.name,
    );
    xml.document_rels = sort_relationships(&xml.document_rels);
    if let Some(p) = &doc.personal_info().photo {
        xml.document = crop_photo(&xml.document, p);
        if p.format == ImageFormat::Jpeg {
            // docx-rs names every picture `.png`; a JPEG keeps its own type (`.jpeg`: the package
            // declares `jpg` as the non-standard image/jpg, which LibreOffice does not open).
            let png = format!("media/{PHOTO_ID}.png");
            let jpg = format!("media/{PHOTO_ID}.jpeg");
            xml.document_rels = String::from_utf8_lossy(&xml.document_rels)
                .replace(&png, &jpg)
                .into_bytes();
        }
    }
    let mut stored = std::io::Cursor::new(Vec::new());
    xml.pack(&mut stored)
        .map_err(|e| DocxError(e.to_string()))?;
    repack(stored.get_ref()).map_err(|e| DocxError(e.to_string()))
}

/// The photo's relationship id and media name (one photo per document, so a fixed one keeps
/// the bytes deterministic where docx-rs would count pictures process-wide).
const PHOTO_ID: &str = "rIdPhoto";

/// Crops the photo's picture to its middle square (`a:srcRect`, in thousandths of a percent
/// of each side). A circle stays a square here: a picture both cropped and set in an ellipse
/// is drawn right by Word but as an empty disc by LibreOffice, and a photo must show.
fn crop_photo(document: &[u8], p: &Photo) -> Vec<u8> {
    let (w, h) = (u64::from(p.width), u64::from(p.height));
    let (x, y) = if w >= h {
        ((w - h) * 50_000 / w, 0)
    } else {
        (0, (h - w) * 50_000 / h)
    };
    let s = String::from_utf8_lossy(document);
    let s = s.replacen(
        "<a:srcRect />",
        &format!(r#"<a:srcRect l="{x}" t="{y}" r="{x}" b="{y}" />"#),
        1,
    );
    s.into_bytes()
}

/// Rewrites docx-rs's package compressed: it stores every part as is (a résumé is ~64 KB that
/// way, ~12 KB deflated, like Word's own files) and adds directory entries Word never writes.
/// Every entry gets the zip epoch explicitly, so no clock reaches the bytes even if another
/// crate turns on the zip crate's `time` feature.
fn repack(stored: &[u8]) -> zip::result::ZipResult<Vec<u8>> {
    use std::io::{Read, Write};
    let mut from = zip::ZipArchive::new(std::io::Cursor::new(stored))?;
    let mut to = zip::ZipWriter::new(std::io::Cursor::new(Vec::with_capacity(stored.len() / 4)));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::DEFAULT)
        .unix_permissions(0o644);
    let mut buf = Vec::new();
    for i in 0..from.len() {
        let mut part = from.by_index(i)?;
        if part.is_dir() {
            continue;
        }
        buf.clear();
        part.read_to_end(&mut buf)?;
        // A JPEG photo is stored under its own extension (its relationship names it so).
        let jpeg_photo = format!("word/media/{PHOTO_ID}.png");
        let name = if part.name() == jpeg_photo && buf.starts_with(&[0xFF, 0xD8]) {
            format!("word/media/{PHOTO_ID}.jpeg")
        } else {
            part.name().to_owned()
        };
        to.start_file(name, options)?;
        to.write_all(&buf)?;
    }
    Ok(to.finish()?.into_inner())
}

/// Centimetres in twentieths of a point, Word's unit for lengths.
fn twips(cm: f32) -> u32 {
    (cm * TWIPS_PER_CM).round() as u32
}

/// The body: one column of paragraphs, or the two-column table.
enum Blocks {
    One(Vec<Paragraph>),
    Table(Box<Table>),
}

/// The document's fonts: for Latin, Greek and Cyrillic the face Word users have for the PDF's
/// (`Font::docx_family`: TeX Gyre is rarely installed), and for Chinese, Japanese and Korean
/// the face Word ships for that language (the PDF's Noto Serif CJK is rarely installed either).
fn fonts(face: &str, cjk_face: &str) -> RunFonts {
    let east_asia = match cjk_face {
        "JP" => "MS Mincho",
        "KR" => "Batang",
        _ => "SimSun",
    };
    RunFonts::new()
        .ascii(face)
        .hi_ansi(face)
        .cs(face)
        .east_asia(east_asia)
}

/// `docProps/core.xml` with the title and author, which docx-rs has no setter for.
fn core_properties(title: &str, author: &str) -> Vec<u8> {
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#,
            r#"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#,
            r#"xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
            "<dc:title>{title}</dc:title><dc:creator>{author}</dc:creator>",
            "<cp:lastModifiedBy>{author}</cp:lastModifiedBy><cp:revision>1</cp:revision>",
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">{epoch}</dcterms:created>"#,
            r#"<dcterms:modified xsi:type="dcterms:W3CDTF">{epoch}</dcterms:modified>"#,
            "</cp:coreProperties>"
        ),
        title = xml_escape(title),
        author = xml_escape(author),
        epoch = EPOCH,
    )
    .into_bytes()
}

/// Sorts the `<Relationship/>` elements of a relationships part, which docx-rs emits in hash
/// order. Each is a self-closing element, so sorting them as text keeps the XML intact.
fn sort_relationships(xml: &[u8]) -> Vec<u8> {
    let s = String::from_utf8_lossy(xml);
    const OPEN: &str = "<Relationship ";
    let (Some(first), Some(end)) = (s.find(OPEN), s.rfind("</Relationships>")) else {
        return xml.to_vec();
    };
    let mut rels: Vec<&str> = s[first..end]
        .split(OPEN)
        .filter(|r| !r.is_empty())
        .collect();
    rels.sort_unstable();
    let mut out = s[..first].to_owned();
    for r in rels {
        out.push_str(OPEN);
        out.push_str(r);
    }
    out.push_str(&s[end..]);
    out.into_bytes()
}

/// Escapes text for an XML attribute or element.
fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in clean(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// User text as Word shows it: line and paragraph separators and tabs become spaces (as in the
/// PDF), and anything XML 1.0 cannot carry is dropped (the reader already removed controls).
fn clean(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' => Some(' '),
            c if (c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => None,
            c => Some(c),
        })
        .collect()
}

/// One piece of a paragraph: text with a look, possibly a link.
#[derive(Default, Clone)]
struct Span {
    text: String,
    url: Option<String>,
    bold: bool,
    italic: bool,
    small: bool,
    /// A size of its own, in half-points (names).
    size: Option<usize>,
    /// A colour of its own (the two-column résumé's name).
    color: Option<String>,
    /// A background (the modern templates' skill tags).
    shade: Option<String>,
}

fn t(text: impl Into<String>) -> Span {
    Span {
        text: text.into(),
        ..Span::default()
    }
}

impl Span {
    fn bold(mut self) -> Self {
        self.bold = true;
        self
    }
    fn italic(mut self) -> Self {
        self.italic = true;
        self
    }
    fn small(mut self) -> Self {
        self.small = true;
        self
    }
    fn size(mut self, half_points: usize) -> Self {
        self.size = Some(half_points);
        self
    }
    fn color(mut self, color: impl Into<String>) -> Self {
        self.color = Some(color.into());
        self
    }
    fn shade(mut self, fill: &str) -> Self {
        self.shade = Some(fill.to_owned());
        self
    }
    fn link(mut self, url: Option<&str>) -> Self {
        self.url = url.map(str::to_owned);
        self
    }
}

/// A span split at its inline markup; a span that is already a link keeps its one target.
fn marked_up(s: &Span) -> Vec<Span> {
    if !s.text.contains(['*', '_', '[']) {
        return vec![s.clone()];
    }
    crate::markup::inline(&s.text)
        .into_iter()
        .map(|p| Span {
            text: p.text,
            bold: s.bold || p.bold,
            italic: s.italic || p.italic,
            url: s.url.clone().or(p.link),
            ..s.clone()
        })
        .collect()
}

/// The separator the PDFs print between facts on one line.
const SEP: &str = " | ";

struct Writer {
    /// The locale of the words the writer adds (labels, dates).
    l: Locale,
    /// Links' colour (`RRGGBB`).
    link_color: String,
    /// The two-column sidebar's fill.
    sidebar_fill: String,
    /// The two-column name's colour.
    accent: String,
    spacing: Spacing,
    next_para: u32,
    next_link: usize,
    /// Writing inside the navy sidebar: white text and links.
    sidebar: bool,
    /// The current column's width in twips, for right-aligned tab stops.
    width: usize,
    /// Heading rule: colour and thickness in eighths of a point (0: no rule).
    rule: (String, usize),
    /// Skills as tags on this fill (the modern templates), or as comma lists.
    tag_fill: Option<String>,
    /// The header band's fill (the modern templates).
    band_fill: String,
    /// The photo, until the header or sidebar places it.
    photo: Option<Photo>,
}

impl Writer {
    /// A paragraph with an id of this document's own (docx-rs's counter is per thread).
    fn para(&mut self) -> Paragraph {
        self.next_para += 1;
        Paragraph::new().id(format!("{:08X}", self.next_para))
    }

    fn run(&self, s: &Span) -> Run {
        let mut r = Run::new().add_text(clean(&s.text));
        if s.bold {
            r = r.bold();
        }
        if s.italic {
            r = r.italic();
        }
        if let Some(size) = s.size.or(s.small.then_some(SMALL)) {
            r = r.size(size);
        }
        if let Some(fill) = &s.shade {
            r = r.shading(
                Shading::new()
                    .shd_type(ShdType::Clear)
                    .color("auto")
                    .fill(fill.as_str()),
            );
        }
        if self.sidebar {
            r = r.color(WHITE);
        } else if let Some(c) = &s.color {
            r = r.color(c.as_str());
        } else if s.url.is_some() {
            r = r.color(self.link_color.as_str());
        }
        r
    }

    /// Adds spans to a paragraph; a span with a URL becomes a hyperlink, and inline markup in
    /// a span's text becomes bold, italic and links of its own.
    fn spans(&mut self, mut p: Paragraph, spans: &[Span]) -> Paragraph {
        let expanded: Vec<Span> = spans.iter().flat_map(marked_up).collect();
        for s in &expanded {
            if s.text.is_empty() {
                continue;
            }
            let run = self.run(s);
            p = match &s.url {
                Some(url) => {
                    self.next_link += 1;
                    p.add_hyperlink(Hyperlink {
                        link: HyperlinkData::External {
                            rid: format!("rIdHyperlink{}", self.next_link),
                            path: xml_escape(url),
                        },
                        history: None,
                        children: vec![ParagraphChild::Run(Box::new(run))],
                    })
                }
                None => p.add_run(run),
            };
        }
        p
    }

    fn line(&mut self, spans: &[Span]) -> Paragraph {
        let p = self.para();
        self.spans(p, spans)
    }

    /// A section heading: Heading 1 with a rule under it (white in the sidebar).
    fn heading(&mut self, out: &mut Vec<Paragraph>, title: &str) {
        let s = self.spacing;
        let (color, size) = if self.sidebar {
            (WHITE.to_owned(), 4)
        } else {
            self.rule.clone()
        };
        let mut p = self.para().style("Heading1").keep_next(true).line_spacing(
            LineSpacing::new()
                .before(twips(s.section_before))
                .after(twips(s.section_after)),
        );
        // Only the rule below: docx-rs's default border set would draw a box.
        if size == 0 {
            out.push(self.spans(p, &[t(title)]));
            return;
        }
        p.property = p.property.set_borders(
            ParagraphBorders::with_empty().set(
                ParagraphBorder::new(ParagraphBorderPosition::Bottom)
                    .val(BorderType::Single)
                    .size(size)
                    .space(1)
                    .color(color),
            ),
        );
        let mut span = t(title);
        if self.sidebar {
            span = span.bold();
        }
        out.push(self.spans(p, &[span]));
    }

    fn bullet(&mut self, out: &mut Vec<Paragraph>, spans: &[Span]) {
        let s = self.spacing;
        let p = self
            .para()
            .numbering(NumberingId::new(BULLET_LIST), IndentLevel::new(0))
            .line_spacing(LineSpacing::new().after(twips(s.item_parsep + s.item_itemsep)));
        out.push(self.spans(p, spans));
    }

    fn bullets(&mut self, out: &mut Vec<Paragraph>, items: &[String]) {
        for b in items {
            self.bullet(out, &[t(b)]);
        }
    }

    /// `left ........ right`: text on the left, smaller text flush right (dates, places).
    fn split(&mut self, out: &mut Vec<Paragraph>, left: &[Span], right: Span) {
        let mut p = self
            .para()
            .keep_next(true)
            .add_tab(Tab::new().val(TabValueType::Right).pos(self.width));
        p = self.spans(p, left);
        if !right.text.is_empty() {
            p = p.add_run(Run::new().add_tab());
            p = self.spans(p, &[right.small()]);
        }
        out.push(p);
    }

    /// Builds the two-column table: a navy sidebar cell and the main cell.
    fn columns(
        &mut self,
        ratio: f32,
        side: impl FnOnce(&mut Self) -> Vec<Paragraph>,
        main: impl FnOnce(&mut Self) -> Vec<Paragraph>,
    ) -> Blocks {
        let total = self.width;
        let gap = twips(0.6) as usize;
        let left = (total as f32 * ratio) as usize;
        let right = total.saturating_sub(left);
        let pad = gap / 2;
        self.sidebar = true;
        self.width = left.saturating_sub(2 * pad).max(1);
        let side = side(self);
        self.sidebar = false;
        self.width = right.saturating_sub(2 * pad).max(1);
        let main = main(self);
        let cell = |paras: Vec<Paragraph>, width: usize| {
            let mut c = TableCell::new().width(width, WidthType::Dxa);
            for p in paras {
                c = c.add_paragraph(p);
            }
            c
        };
        let mut side_cell = cell(side, left);
        side_cell = side_cell.shading(
            Shading::new()
                .shd_type(ShdType::Clear)
                .color("auto")
                .fill(self.sidebar_fill.as_str()),
        );
        let table = Table::without_borders(vec![TableRow::new(vec![side_cell, cell(main, right)])])
            .set_grid(vec![left, right])
            .layout(TableLayoutType::Fixed)
            .width(total, WidthType::Dxa)
            .margins(TableCellMargins::new().margin(pad, pad, pad, pad));
        Blocks::Table(Box::new(table))
    }

    /// The name, the title and the contact line, centred (the classic templates).
    fn header_centered(&mut self, out: &mut Vec<Paragraph>, p: &PersonalInfo, name_size: usize) {
        self.photo(out, AlignmentType::Center, 2.6);
        let name = self.para().style("Title").align(AlignmentType::Center);
        out.push(self.spans(name, &[t(&p.name).bold().size(name_size)]));
        if let Some(title) = &p.title {
            let sub = self.para().style("Subtitle").align(AlignmentType::Center);
            out.push(self.spans(sub, &[t(title).italic()]));
        }
        let spans = self.contact_spans(p);
        let line = self
            .para()
            .align(AlignmentType::Center)
            .line_spacing(LineSpacing::new().before(80).after(120));
        out.push(self.spans(line, &spans));
    }

    /// The contact items one per line (the sidebars).
    fn contact_lines(&mut self, out: &mut Vec<Paragraph>, p: &PersonalInfo) {
        for c in contacts(p) {
            out.push(self.line(&[contact_span(&c)]));
        }
    }

    // ---- résumé sections, in the order and with the look of templates/shared/sections ----

    fn roles(&mut self, out: &mut Vec<Paragraph>, title: &str, entries: &[Role]) {
        if entries.is_empty() {
            return;
        }
        self.heading(out, title);
        for e in entries {
            let range =
                dates::display_range_in(e.start_date.as_deref(), e.end_date.as_deref(), self.l);
            self.split(out, &[t(&e.title).bold()], t(range));
            if e.organization.is_some() || e.location.is_some() {
                let org = t(e.organization.clone().unwrap_or_default())
                    .italic()
                    .link(e.url.as_deref());
                let place = t(e.location.clone().unwrap_or_default()).italic();
                self.split(out, &[org], place);
            }
            if let Some(d) = &e.description {
                out.push(self.line(&[t(d)]));
            }
            if !e.courses.is_empty() {
                out.push(self.line(&[t(format!(
                    "{}: {}",
                    self.l.get("label.courses"),
                    e.courses.join(", ")
                ))]));
            }
            self.bullets(out, &e.achievements);
            if !e.technologies.is_empty() {
                out.push(
                    self.line(&[
                        t(format!("{}:", self.l.get("label.technologies")))
                            .italic()
                            .small(),
                        t(format!(" {}", e.technologies.join(", "))).small(),
                    ]),
                );
            }
        }
    }

    fn education_entries(&mut self, out: &mut Vec<Paragraph>, entries: &[Education]) {
        for e in entries {
            let range =
                dates::display_range_in(e.start_date.as_deref(), e.end_date.as_deref(), self.l);
            self.split(out, &[t(&e.degree).bold()], t(range));
            let school = t(&e.institution).italic().link(e.url.as_deref());
            let place = t(e.location.clone().unwrap_or_default()).italic();
            self.split(out, &[school], place);
            let focus = e
                .focus
                .as_ref()
                .map(|f| format!("{}: {f}", self.l.get("label.focus")));
            let gpa = e
                .gpa
                .as_ref()
                .map(|g| format!("{}: {g}", self.l.get("label.gpa")));
            let extra: Vec<String> = [focus, gpa].into_iter().flatten().collect();
            if !extra.is_empty() {
                out.push(self.line(&[t(extra.join(SEP))]));
            }
            for (label, list, sep) in [
                ("label.courses", &e.coursework, ", "),
                ("label.projects", &e.projects, "; "),
                ("label.honors", &e.honors, "; "),
            ] {
                if !list.is_empty() {
                    let line = format!("{}: {}", self.l.get(label), list.join(sep));
                    self.bullet(out, &[t(line)]);
                }
            }
        }
    }

    fn education(&mut self, out: &mut Vec<Paragraph>, title: &str, entries: &[Education]) {
        if entries.is_empty() {
            return;
        }
        self.heading(out, title);
        self.education_entries(out, entries);
    }

    fn courses(&mut self, out: &mut Vec<Paragraph>, title: &str, r: &Resume) {
        if r.relevant_coursework.is_empty() {
            return;
        }
        self.heading(out, title);
        for c in &r.relevant_coursework {
            match &c.description {
                Some(d) => self.bullet(out, &[t(&c.name).bold(), t(format!(": {d}"))]),
                None => self.bullet(out, &[t(&c.name)]),
            }
        }
    }

    fn plain_list(&mut self, out: &mut Vec<Paragraph>, title: &str, items: &[String], sep: &str) {
        if items.is_empty() {
            return;
        }
        self.heading(out, title);
        if sep.is_empty() {
            self.bullets(out, items);
        } else {
            out.push(self.line(&[t(items.join(sep))]));
        }
    }

    fn skill_groups(&mut self, out: &mut Vec<Paragraph>, title: &str, groups: &[SkillGroup]) {
        if groups.is_empty() {
            return;
        }
        self.heading(out, title);
        for g in groups {
            let mut spans = Vec::new();
            if !g.category.is_empty() {
                spans.push(t(format!("{}: ", g.category)).bold());
            }
            spans.extend(self.skills(&g.skills));
            out.push(self.line(&spans));
        }
    }

    fn matrix(&mut self, out: &mut Vec<Paragraph>, title: &str, r: &Resume) {
        let levels = r.skills_matrix.titled(self.l);
        if levels.is_empty() {
            return;
        }
        self.heading(out, title);
        for (level, skills) in levels {
            let mut spans = vec![t(format!("{level}: ")).bold()];
            spans.extend(self.skills(skills));
            out.push(self.line(&spans));
        }
    }

    /// A list of skills: "a, b, c", or tags (shaded runs apart) when the template has them.
    fn skills(&self, list: &[String]) -> Vec<Span> {
        match &self.tag_fill {
            None => vec![t(list.join(", "))],
            Some(fill) => {
                let mut spans = Vec::new();
                for (i, x) in list.iter().enumerate() {
                    if i > 0 {
                        spans.push(t("  "));
                    }
                    spans.push(t(format!("\u{a0}{x}\u{a0}")).shade(fill));
                }
                spans
            }
        }
    }

    fn projects(&mut self, out: &mut Vec<Paragraph>, title: &str, entries: &[Project]) {
        if entries.is_empty() {
            return;
        }
        self.heading(out, title);
        for p in entries {
            let range =
                dates::display_range_in(p.start_date.as_deref(), p.end_date.as_deref(), self.l);
            self.split(out, &[t(&p.name).bold().link(p.url.as_deref())], t(range));
            if let Some(d) = &p.description {
                out.push(self.line(&[t(d).italic()]));
            }
            if !p.tools.is_empty() {
                out.push(
                    self.line(&[
                        t(format!("{}:", self.l.get("label.tools")))
                            .italic()
                            .small(),
                        t(format!(" {}", p.tools.join(", "))).small(),
                    ]),
                );
            }
            self.bullets(out, &p.achievements);
        }
    }

    fn items(&mut self, out: &mut Vec<Paragraph>, title: &str, entries: &[Item]) {
        if entries.is_empty() {
            return;
        }
        self.heading(out, title);
        for i in entries {
            let mut spans = vec![t(&i.title).bold().link(i.url.as_deref())];
            if !i.authors.is_empty() {
                spans.push(t(format!(". {}", i.authors.join(", "))));
            }
            if let Some(s) = &i.source {
                spans.push(t(SEP));
                spans.push(t(s).italic());
            }
            if let Some(l) = &i.location {
                spans.push(t(format!(", {l}")));
            }
            let date = i.date.as_deref().map(|d| dates::display_in(d, self.l));
            let doi = i
                .doi
                .as_ref()
                .map(|d| format!("{}: {d}", self.l.get("label.doi")));
            for fact in [i.number.clone(), date, doi].into_iter().flatten() {
                spans.push(t(format!("{SEP}{fact}")));
            }
            self.bullet(out, &spans);
            if let Some(d) = &i.description {
                let p = self.para().indent(Some(260), None, None, None);
                out.push(self.spans(p, &[t(d)]));
            }
        }
    }

    fn certifications(&mut self, out: &mut Vec<Paragraph>, title: &str, r: &Resume) {
        if r.certifications.is_empty() {
            return;
        }
        self.heading(out, title);
        for c in &r.certifications {
            let mut spans = Vec::new();
            if let Some(cat) = &c.category {
                spans.push(t(format!("{cat}: ")).italic());
            }
            spans.push(t(&c.name).link(c.url.as_deref()));
            for fact in c.facts(self.l) {
                spans.push(t(format!("{SEP}{fact}")));
            }
            self.bullet(out, &spans);
        }
    }

    fn notes(&mut self, out: &mut Vec<Paragraph>, title: &str, entries: &[Note]) {
        if entries.is_empty() {
            return;
        }
        self.heading(out, title);
        for n in entries {
            let mut line = n.name.clone();
            if let Some(d) = &n.detail {
                line.push_str(&format!(" ({d})"));
            }
            if let Some(d) = &n.date {
                line.push_str(&format!("{SEP}{}", dates::display_in(d, self.l)));
            }
            if let Some(d) = &n.description {
                line.push_str(&format!(": {d}"));
            }
            self.bullet(out, &[t(line)]);
        }
    }

    fn languages(&mut self, out: &mut Vec<Paragraph>, title: &str, entries: &[Note]) {
        if entries.is_empty() {
            return;
        }
        self.heading(out, title);
        let all: Vec<String> = entries
            .iter()
            .map(|n| match &n.detail {
                Some(d) => format!("{} ({d})", n.name),
                None => n.name.clone(),
            })
            .collect();
        out.push(self.line(&[t(all.join(", "))]));
    }

    fn referral(&mut self, out: &mut Vec<Paragraph>, title: &str, r: &Resume) {
        if let Some(p) = &r.referral {
            self.heading(out, title);
            let by = format!("{} ", self.l.get("label.referred_by"));
            let mut spans = vec![t(by), t(&p.name).bold()];
            for x in [&p.title, &p.company].into_iter().flatten() {
                spans.push(t(format!(", {x}")));
            }
            if let Some(rel) = &p.relationship {
                spans.push(t(format!(" ({rel})")));
            }
            out.push(self.line(&spans));
        }
    }

    fn references(&mut self, out: &mut Vec<Paragraph>, title: &str, r: &Resume) {
        if r.references.is_empty() && r.references_available.is_none() {
            return;
        }
        self.heading(out, title);
        for p in &r.references {
            self.reference(out, p);
        }
        if let Some(a) = &r.references_available {
            out.push(self.line(&[t(a)]));
        }
    }

    fn reference(&mut self, out: &mut Vec<Paragraph>, p: &Person) {
        let mut spans = vec![t(&p.name).bold()];
        for x in [&p.title, &p.company].into_iter().flatten() {
            spans.push(t(format!(", {x}")));
        }
        if let Some(e) = &p.email {
            spans.push(t(SEP));
            spans.push(t(e).link(Some(&format!("mailto:{e}"))));
        }
        if let Some(ph) = &p.phone {
            spans.push(t(format!("{SEP}{ph}")));
        }
        out.push(self.line(&spans));
        if let Some(s) = &p.statement {
            out.push(self.line(&[t(format!("“{s}”")).italic()]));
        }
    }

    fn custom(&mut self, out: &mut Vec<Paragraph>, title: &str, c: &CustomSection) {
        self.heading(out, title);
        for e in &c.entries {
            let range =
                dates::display_range_in(e.start_date.as_deref(), e.end_date.as_deref(), self.l);
            self.split(out, &[t(&e.title).bold().link(e.url.as_deref())], t(range));
            if e.subtitle.is_some() || e.location.is_some() {
                let sub = t(e.subtitle.clone().unwrap_or_default()).italic();
                let place = t(e.location.clone().unwrap_or_default()).italic();
                self.split(out, &[sub], place);
            }
            if let Some(d) = &e.description {
                out.push(self.line(&[t(d)]));
            }
            self.bullets(out, &e.bullets);
        }
        self.bullets(out, &c.items);
    }

    /// Education in a sidebar: one fact per line.
    fn education_side(&mut self, o: &mut Vec<Paragraph>, title: &str, r: &Resume) {
        self.heading(o, title);
        for e in &r.education {
            o.push(self.line(&[t(&e.degree).bold()]));
            o.push(self.line(&[t(&e.institution).link(e.url.as_deref())]));
            let range =
                dates::display_range_in(e.start_date.as_deref(), e.end_date.as_deref(), self.l);
            let when: Vec<String> = [Some(range), e.location.clone()]
                .into_iter()
                .flatten()
                .filter(|s| !s.is_empty())
                .collect();
            if !when.is_empty() {
                o.push(self.line(&[t(when.join(SEP))]));
            }
            for (label, value) in [
                ("label.focus", e.focus.clone()),
                ("label.gpa", e.gpa.clone()),
                ("label.courses", Some(e.coursework.join(", "))),
                ("label.projects", Some(e.projects.join("; "))),
                ("label.honors", Some(e.honors.join("; "))),
            ] {
                if let Some(v) = value.filter(|v| !v.is_empty()) {
                    let line = format!("{}: {v}", self.l.get(label));
                    o.push(self.line(&[t(line)]));
                }
            }
        }
    }

    /// The placed sections of one column, in order, each by its kind.
    fn sections(&mut self, r: &Resume, placed: &[Placed]) -> Vec<Paragraph> {
        let mut out = Vec::new();
        let o = &mut out;
        for sec in placed {
            let (key, title) = (sec.key.as_str(), sec.title.as_str());
            match sec.kind {
                Kind::Contact => {
                    self.heading(o, title);
                    self.contact_lines(o, &r.personal_info);
                }
                Kind::Summary => {
                    self.heading(o, title);
                    let s = r.professional_summary.clone().unwrap_or_default();
                    o.push(self.line(&[t(s)]));
                }
                Kind::Bullets => self.plain_list(o, title, layout::strings_of(r, key), ""),
                Kind::Inline => self.plain_list(o, title, layout::strings_of(r, key), ", "),
                Kind::Roles => self.roles(o, title, layout::roles_of(r, key)),
                Kind::Education if sec.column == Column::Sidebar => {
                    self.education_side(o, title, r);
                }
                Kind::Education => self.education(o, title, &r.education),
                Kind::Courses => self.courses(o, title, r),
                Kind::Groups => self.skill_groups(o, title, layout::groups_of(r, key)),
                Kind::Matrix => self.matrix(o, title, r),
                Kind::Projects => self.projects(o, title, layout::projects_of(r, key)),
                Kind::Items => self.items(o, title, layout::items_of(r, key)),
                Kind::Certifications => self.certifications(o, title, r),
                Kind::Notes => self.notes(o, title, layout::notes_of(r, key)),
                Kind::Languages => self.languages(o, title, &r.languages),
                Kind::Referral => self.referral(o, title, r),
                Kind::References => self.references(o, title, r),
                Kind::Custom => {
                    if let Some(c) = sec.custom.and_then(|i| r.custom_sections.get(i)) {
                        self.custom(o, title, c);
                    }
                }
            }
        }
        out
    }

    // ---- the four layouts ----

    /// The photo as an inline picture `cm` square in a paragraph of its own, the first time
    /// it is asked for (the crop to a square or circle is [`crop_photo`]'s).
    fn photo(&mut self, out: &mut Vec<Paragraph>, align: AlignmentType, cm: f32) {
        let Some(p) = self.photo.take() else {
            return;
        };
        let emu = (cm * 360_000.0).round() as u32;
        let pic = Pic::new_with_dimensions(p.bytes(), p.width, p.height)
            .id(PHOTO_ID)
            .size(emu, emu);
        let para = self
            .para()
            .align(align)
            .line_spacing(LineSpacing::new().after(80))
            .add_run(Run::new().add_image(pic));
        out.push(para);
    }

    /// The header of a one-column template.
    fn header(&mut self, out: &mut Vec<Paragraph>, p: &PersonalInfo, header: Header, name: usize) {
        match header {
            Header::Band => self.header_band(out, p),
            Header::Left => self.header_left(out, p),
            Header::Centered | Header::Columns => self.header_centered(out, p, name),
        }
    }

    /// The name, title and contact line in white on paragraphs shaded with the band's colour
    /// (the modern templates).
    fn header_band(&mut self, out: &mut Vec<Paragraph>, p: &PersonalInfo) {
        let fill = Shading::new()
            .shd_type(ShdType::Clear)
            .color("auto")
            .fill(self.band_fill.as_str());
        let banded = |mut para: Paragraph| {
            para.property = para.property.shading(fill.clone());
            para
        };
        let mut pic = Vec::new();
        self.photo(&mut pic, AlignmentType::Right, 2.5);
        out.extend(pic.into_iter().map(banded));
        self.sidebar = true;
        let name = banded(
            self.para()
                .style("Title")
                .line_spacing(LineSpacing::new().before(160)),
        );
        out.push(self.spans(name, &[t(&p.name).bold().size(NAME + 8)]));
        if let Some(title) = &p.title {
            let sub = banded(self.para().style("Subtitle"));
            out.push(self.spans(sub, &[t(title).size(LARGE)]));
        }
        let spans = self.contact_spans(p);
        let line = banded(
            self.para()
                .line_spacing(LineSpacing::new().before(80).after(160)),
        );
        out.push(self.spans(line, &spans));
        self.sidebar = false;
        out.push(self.line(&[]));
    }

    /// The name flush left with the title flush right, the contact line below (compact).
    fn header_left(&mut self, out: &mut Vec<Paragraph>, p: &PersonalInfo) {
        self.photo(out, AlignmentType::Right, 2.2);
        let name = self
            .para()
            .style("Title")
            .add_tab(Tab::new().val(TabValueType::Right).pos(self.width));
        let mut name = self.spans(name, &[t(&p.name).size(NAME - 6)]);
        if let Some(title) = &p.title {
            name = name.add_run(Run::new().add_tab());
            name = self.spans(name, &[t(title).italic()]);
        }
        out.push(name);
        let spans = self.contact_spans(p);
        let line = self.para().line_spacing(LineSpacing::new().after(80));
        out.push(self.spans(line, &spans));
    }

    fn contact_spans(&self, p: &PersonalInfo) -> Vec<Span> {
        let mut spans = Vec::new();
        for (i, c) in contacts(p).iter().enumerate() {
            if i > 0 {
                spans.push(t(SEP).small());
            }
            spans.push(contact_span(c).small());
        }
        spans
    }

    fn resume_one_column(
        &mut self,
        r: &Resume,
        placed: &[Placed],
        header: Header,
    ) -> Vec<Paragraph> {
        let mut out = Vec::new();
        self.header(&mut out, &r.personal_info, header, NAME);
        out.extend(self.sections(r, placed));
        out
    }

    fn resume_main(&mut self, r: &Resume, placed: &[Placed]) -> Vec<Paragraph> {
        let mut out = Vec::new();
        self.photo(&mut out, AlignmentType::Right, 2.6);
        let p = &r.personal_info;
        let name = self.para().style("Title");
        let accent = self.accent.clone();
        out.push(self.spans(name, &[t(&p.name).bold().color(accent)]));
        if let Some(title) = &p.title {
            let sub = self.para().style("Subtitle");
            out.push(self.spans(sub, &[t(title).italic()]));
        }
        out.extend(self.sections(r, placed));
        out
    }

    /// The footers of a numbered document: an empty one for the first page, `Name · 2 / 3`
    /// (the locale's form, with Word's PAGE and NUMPAGES fields) for the others.
    fn footers(&mut self, name: &str) -> (Footer, Footer) {
        let (before, middle, after) = self.l.footer(name);
        let small = |s: String| Run::new().add_text(clean(&s)).size(SMALL - 2);
        let numbered = self
            .para()
            .align(AlignmentType::Right)
            .add_run(small(before))
            .add_page_num(PageNum::new())
            .add_run(small(middle))
            .add_num_pages(NumPages::new())
            .add_run(small(after));
        let blank = self.para().add_run(Run::new().size(2));
        (
            Footer::new().add_paragraph(blank),
            Footer::new().add_paragraph(numbered),
        )
    }

    /// Recipient, date, salutation, body, closing and signature (both letter layouts).
    fn letter_body(&mut self, out: &mut Vec<Paragraph>, c: &CoverLetter) {
        let gap = LineSpacing::new().after(100);
        if let Some(r) = &c.recipient {
            let lines = r.lines();
            let mut p = self.para().line_spacing(gap.clone());
            for (i, l) in lines.iter().enumerate() {
                if i > 0 {
                    p = p.add_run(Run::new().add_break(docx_rs::BreakType::TextWrapping));
                }
                p = self.spans(p, &[t(l)]);
            }
            if !lines.is_empty() {
                out.push(p);
            }
        }
        let date = self
            .para()
            .align(AlignmentType::Right)
            .line_spacing(LineSpacing::new().after(280));
        out.push(self.spans(date, &[t(&c.date)]));
        for text in std::iter::once(&c.salutation).chain(&c.body) {
            let p = self.para().line_spacing(gap.clone());
            out.push(self.spans(p, &[t(text)]));
        }
        let closing = self
            .para()
            .line_spacing(LineSpacing::new().before(170).after(450));
        out.push(self.spans(closing, &[t(&c.closing)]));
        out.push(self.line(&[t(&c.personal_info.name).bold()]));
    }

    fn letter_one_column(&mut self, c: &CoverLetter, header: Header) -> Vec<Paragraph> {
        let mut out = Vec::new();
        self.header(&mut out, &c.personal_info, header, LETTER_NAME);
        self.letter_body(&mut out, c);
        out
    }

    fn letter_sidebar(&mut self, c: &CoverLetter, contact: &str) -> Vec<Paragraph> {
        let mut out = Vec::new();
        let p = &c.personal_info;
        let name = self.para();
        out.push(self.spans(name, &[t(&p.name).bold().size(LARGE + 4)]));
        if let Some(title) = &p.title {
            out.push(self.line(&[t(title).italic()]));
        }
        self.heading(&mut out, contact);
        self.contact_lines(&mut out, p);
        out
    }

    fn letter_main(&mut self, c: &CoverLetter) -> Vec<Paragraph> {
        let mut out = Vec::new();
        self.photo(&mut out, AlignmentType::Right, 2.6);
        self.letter_body(&mut out, c);
        out
    }
}

fn contact_span(c: &Contact) -> Span {
    t(&c.text).link(c.url.as_deref())
}

#[cfg(test)]
mod tests;
