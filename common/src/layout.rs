//! The layout model: which sections each template prints, in which column, in which order and
//! under which title, and the request's layout options (page size, locale, order, hidden
//! sections, titles, page numbers) applied to it.
//!
//! This is the one place that decides order and titles: the LaTeX templates, the DOCX writer
//! and the text writer all iterate over [`place`]'s answer and only decide how a section of a
//! [`Kind`] looks. A template's defaults are data ([`TemplateLayout`]); options reorder, hide,
//! rename and move sections between columns, and custom sections take part like any other.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::i18n::Locale;
use crate::model::{CustomSection, Item, Note, Project, Resume, Role, SkillGroup};
use crate::render::Template;

/// The paper a document is printed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PageSize {
    /// US Letter, 8.5 × 11 in (the default, as before).
    #[default]
    Letter,
    /// ISO A4, 210 × 297 mm.
    A4,
    /// US Legal, 8.5 × 14 in.
    Legal,
}

impl PageSize {
    /// Every size, the default first.
    pub const ALL: [PageSize; 3] = [PageSize::Letter, PageSize::A4, PageSize::Legal];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            PageSize::Letter => "letter",
            PageSize::A4 => "a4",
            PageSize::Legal => "legal",
        }
    }

    /// Reads a size ignoring case, spaces and a `paper` suffix (`A4`, `a4paper`, `US Letter`).
    pub fn parse(s: &str) -> Option<Self> {
        let k: String = s
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect();
        let k = k.strip_suffix("paper").unwrap_or(&k);
        let k = k.strip_prefix("us").unwrap_or(k);
        match k {
            "letter" => Some(PageSize::Letter),
            "a4" => Some(PageSize::A4),
            "legal" => Some(PageSize::Legal),
            _ => None,
        }
    }

    /// Width and height in millimetres (as TeX and pdfinfo round them: Letter is 215.9 × 279.4).
    pub fn mm(self) -> (f32, f32) {
        match self {
            PageSize::Letter => (215.9, 279.4),
            PageSize::A4 => (210.0, 297.0),
            PageSize::Legal => (215.9, 355.6),
        }
    }

    /// Width and height in PostScript points, as pdfinfo prints them.
    pub fn points(self) -> (u32, u32) {
        match self {
            PageSize::Letter => (612, 792),
            PageSize::A4 => (595, 842),
            PageSize::Legal => (612, 1008),
        }
    }
}

/// A type face: TeX Gyre families from Debian's `tex-gyre` (pdfTeX, Type 1) and
/// `fonts-texgyre` (XeTeX, OpenType), so no `texlive-fonts-extra` is needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Font {
    /// TeX Gyre Pagella, a Palatino: the default serif.
    #[default]
    Pagella,
    /// TeX Gyre Termes, a Times.
    Termes,
    /// TeX Gyre Bonum, a Bookman.
    Bonum,
    /// TeX Gyre Schola, a Century Schoolbook.
    Schola,
    /// TeX Gyre Heros, a Helvetica: the sans-serif.
    Heros,
    /// TeX Gyre Adventor, an Avant Garde Gothic.
    Adventor,
}

impl Font {
    /// Every font, the default first.
    pub const ALL: [Font; 6] = [
        Font::Pagella,
        Font::Termes,
        Font::Bonum,
        Font::Schola,
        Font::Heros,
        Font::Adventor,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Font::Pagella => "pagella",
            Font::Termes => "termes",
            Font::Bonum => "bonum",
            Font::Schola => "schola",
            Font::Heros => "heros",
            Font::Adventor => "adventor",
        }
    }

    /// Reads a name, or the face it stands in for (`Palatino`, `Times New Roman`, `Arial`,
    /// `sans-serif`…), ignoring case, spaces and a `TeX Gyre` prefix.
    pub fn parse(s: &str) -> Option<Self> {
        let k: String = s
            .to_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        let k = k.strip_prefix("texgyre").unwrap_or(&k);
        Some(match k {
            "pagella" | "palatino" | "palatinolinotype" | "bookantiqua" | "serif" | "default" => {
                Font::Pagella
            }
            "termes" | "times" | "timesnewroman" | "timesroman" => Font::Termes,
            "bonum" | "bookman" | "bookmanoldstyle" => Font::Bonum,
            "schola" | "century" | "centuryschoolbook" | "newcenturyschoolbook" => Font::Schola,
            "heros" | "helvetica" | "arial" | "sans" | "sansserif" => Font::Heros,
            "adventor" | "avantgarde" | "avantgardegothic" | "centurygothic" => Font::Adventor,
            _ => return None,
        })
    }

    /// Whether it is a sans-serif.
    pub fn sans(self) -> bool {
        matches!(self, Font::Heros | Font::Adventor)
    }

    /// The NFSS family pdfTeX loads (`qpl`, `qtm`…).
    pub fn nfss(self) -> &'static str {
        match self {
            Font::Pagella => "qpl",
            Font::Termes => "qtm",
            Font::Bonum => "qbk",
            Font::Schola => "qcs",
            Font::Heros => "qhv",
            Font::Adventor => "qag",
        }
    }

    /// The OpenType file stem XeTeX loads (`texgyretermes`).
    pub fn otf(self) -> String {
        format!("texgyre{}", self.as_str())
    }

    /// The face a Word user most likely has for it, which the DOCX names.
    pub fn docx_family(self) -> &'static str {
        match self {
            Font::Pagella => "Palatino Linotype",
            Font::Termes => "Times New Roman",
            Font::Bonum => "Bookman Old Style",
            Font::Schola => "Century Schoolbook",
            Font::Heros => "Arial",
            Font::Adventor => "Century Gothic",
        }
    }
}

/// The column a section sits in (two-column templates; everything is `main` elsewhere).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Column {
    /// The main column (the only one of single-column templates).
    Main,
    /// The two-column templates' sidebar.
    Sidebar,
}

/// How a section's body is printed; each format has one writer per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A paragraph (the summary).
    Summary,
    /// A bulleted list of strings.
    Bullets,
    /// Strings on one line, separated by commas.
    Inline,
    /// Dated roles (jobs, research, teaching, volunteering).
    Roles,
    /// Degrees.
    Education,
    /// Courses with optional descriptions.
    Courses,
    /// Named groups of skills.
    Groups,
    /// Skills by proficiency level.
    Matrix,
    /// Projects.
    Projects,
    /// Titled items (publications, talks, awards, patents).
    Items,
    /// Certifications.
    Certifications,
    /// Short entries with a detail (mentorship, affiliations).
    Notes,
    /// Languages on one line.
    Languages,
    /// The referral.
    Referral,
    /// References and "available on request".
    References,
    /// The contact details (the two-column sidebar's first block).
    Contact,
    /// A section of the request's own (`customSections`).
    Custom,
}

/// A built-in section: its key (the model's field), its kind, and the names it answers to in
/// `section_order`, `hidden_sections` and `section_titles` besides its key.
struct Builtin {
    key: &'static str,
    kind: Kind,
    aliases: &'static [&'static str],
}

/// Every built-in section. The aliases are JSON Resume's names and the section aliases the
/// reader accepts, so whatever name a document uses for a section works as its key.
const BUILTINS: &[Builtin] = &[
    b(
        "contact",
        Kind::Contact,
        &["contacts", "personalInfo", "basics"],
    ),
    b(
        "professionalSummary",
        Kind::Summary,
        &["summary", "profile", "about"],
    ),
    b(
        "coreCompetencies",
        Kind::Bullets,
        &["competencies", "keySkills", "expertise"],
    ),
    b("leadershipExperience", Kind::Roles, &["leadership"]),
    b(
        "experience",
        Kind::Roles,
        &["work", "workExperience", "employment"],
    ),
    b("education", Kind::Education, &[]),
    b(
        "relevantCoursework",
        Kind::Courses,
        &["coursework", "courses"],
    ),
    b("technicalSkills", Kind::Groups, &["techSkills"]),
    b(
        "skillsMatrix",
        Kind::Matrix,
        &["skillsByProficiency", "proficiency"],
    ),
    b(
        "technologiesAndSkills",
        Kind::Groups,
        &["skills", "technologies"],
    ),
    b("projects", Kind::Projects, &[]),
    b(
        "openSourceContributions",
        Kind::Projects,
        &["openSource", "ossContributions"],
    ),
    b("researchExperience", Kind::Roles, &["research"]),
    b(
        "publications",
        Kind::Items,
        &["academicPublications", "papers"],
    ),
    b("technicalWriting", Kind::Items, &["blogPosts"]),
    b("articlesAndPublications", Kind::Items, &["articles"]),
    b(
        "speakingEngagements",
        Kind::Items,
        &["speaking", "talks", "conferences"],
    ),
    b(
        "awardsAndHonors",
        Kind::Items,
        &["awards", "honors", "recognition"],
    ),
    b("achievements", Kind::Bullets, &["accomplishments"]),
    b("certifications", Kind::Certifications, &["certificates"]),
    b("teachingExperience", Kind::Roles, &["teaching"]),
    b("mentorship", Kind::Notes, &["mentoring"]),
    b(
        "volunteering",
        Kind::Roles,
        &["volunteer", "volunteerExperience"],
    ),
    b("languages", Kind::Languages, &[]),
    b(
        "professionalAffiliations",
        Kind::Notes,
        &["affiliations", "memberships"],
    ),
    b("patents", Kind::Items, &[]),
    b("industryExpertise", Kind::Notes, &["industries"]),
    b("interests", Kind::Inline, &["hobbies"]),
    b("referral", Kind::Referral, &[]),
    b("references", Kind::References, &["referencesAvailable"]),
];

const fn b(key: &'static str, kind: Kind, aliases: &'static [&'static str]) -> Builtin {
    Builtin { key, kind, aliases }
}

/// A template's default layout and look: its entry in [`crate::render::TEMPLATES`] points at
/// one of these, so a new template is a `.tex.j2` file plus one of these values.
pub struct TemplateLayout {
    /// The sections: `(section key, column, title key)` in printing order.
    pub sections: &'static [(&'static str, Column, &'static str)],
    /// Whether the template has a sidebar that sections can be moved to.
    pub two_column: bool,
    /// What the DOCX writer (and `/template-info`) need to know of the template's design.
    pub look: Look,
}

/// Where the name and contact details sit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Header {
    /// Centred above the body (classic).
    Centered,
    /// White on an accent-coloured band across the top of the page (modern).
    Band,
    /// Flush left, the contact details on one line below (compact).
    Left,
    /// In the columns: the résumé's name heads the main column, the letter's the sidebar.
    Columns,
}

/// How section headings look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Headings {
    /// Bold, large, with a rule under them (its thickness in eighths of a point, for DOCX).
    Ruled(u8),
    /// Bold in the accent colour, no rule.
    Plain,
    /// Small capitals with a thin rule (under pdfTeX; upright under XeTeX and in DOCX, whose
    /// small capitals read back as capitals).
    SmallCaps,
}

/// A template's design beyond its section list.
pub struct Look {
    /// Where the name sits.
    pub header: Header,
    /// Headings.
    pub headings: Headings,
    /// The default colours (`RRGGBB`): headings, the rule under them, links, the sidebar or
    /// header band. An `accent_color` replaces all four.
    pub colors: [&'static str; 4],
    /// The face when the request names none.
    pub font: Font,
    /// Skill groups as rows of tags rather than comma lists.
    pub tags: bool,
    /// The sidebar's share of the text width (two-column templates).
    pub sidebar: f32,
}

const NAVY: &str = "004F90";
const BLACK: &str = "000000";
const SLATE: &str = "2D3748";

/// The classic look: centred header, black ruled headings, navy links.
pub const CLASSIC_LOOK: Look = Look {
    header: Header::Centered,
    headings: Headings::Ruled(4),
    colors: [BLACK, BLACK, NAVY, SLATE],
    font: Font::Pagella,
    tags: false,
    sidebar: 0.0,
};

use Column::{Main, Sidebar};

/// The classic résumé: one column, every section, long titles.
pub const CLASSIC: TemplateLayout = TemplateLayout {
    two_column: false,
    look: CLASSIC_LOOK,
    sections: FULL,
};

/// Every section in one column, in the classic order, with long titles.
const FULL: &[(&str, Column, &str)] = &[
    ("professionalSummary", Main, "professionalSummary"),
    ("coreCompetencies", Main, "coreCompetencies"),
    ("leadershipExperience", Main, "leadershipExperience"),
    ("experience", Main, "experience"),
    ("education", Main, "education"),
    ("relevantCoursework", Main, "relevantCoursework"),
    ("technicalSkills", Main, "technicalSkills"),
    ("skillsMatrix", Main, "skillsMatrix"),
    ("technologiesAndSkills", Main, "technologiesAndSkills"),
    ("projects", Main, "projects"),
    ("openSourceContributions", Main, "openSourceContributions"),
    ("researchExperience", Main, "researchExperience"),
    ("publications", Main, "publications"),
    ("technicalWriting", Main, "technicalWriting"),
    ("articlesAndPublications", Main, "articlesAndPublications"),
    ("speakingEngagements", Main, "speakingEngagements"),
    ("awardsAndHonors", Main, "awardsAndHonors"),
    ("achievements", Main, "achievements"),
    ("certifications", Main, "certifications"),
    ("teachingExperience", Main, "teachingExperience"),
    ("mentorship", Main, "mentorship"),
    ("volunteering", Main, "volunteering"),
    ("languages", Main, "languages"),
    ("professionalAffiliations", Main, "professionalAffiliations"),
    ("patents", Main, "patents"),
    ("industryExpertise", Main, "industryExpertise"),
    ("interests", Main, "interests"),
    ("referral", Main, "referral"),
    ("references", Main, "references"),
];

/// The two-column look: the name in the main column, navy headings with a thick rule.
const TWO_COLUMN_LOOK: Look = Look {
    header: Header::Columns,
    headings: Headings::Ruled(16),
    colors: [NAVY, NAVY, NAVY, SLATE],
    font: Font::Pagella,
    tags: false,
    sidebar: 0.33,
};

/// The two-column résumé: contact, skills, education and certifications in the sidebar;
/// shorter titles that fit its columns.
pub const TWO_COLUMN: TemplateLayout = TemplateLayout {
    two_column: true,
    look: TWO_COLUMN_LOOK,
    sections: &[
        ("contact", Sidebar, "contact"),
        ("coreCompetencies", Sidebar, "coreCompetencies"),
        ("technologiesAndSkills", Sidebar, "skills"),
        ("technicalSkills", Sidebar, "technicalSkills"),
        ("skillsMatrix", Sidebar, "proficiency"),
        ("education", Sidebar, "education"),
        ("relevantCoursework", Sidebar, "coursework"),
        ("certifications", Sidebar, "certifications"),
        ("languages", Sidebar, "languages"),
        ("interests", Sidebar, "interests"),
        ("professionalSummary", Main, "summary"),
        ("experience", Main, "experience"),
        ("leadershipExperience", Main, "leadership"),
        ("projects", Main, "projects"),
        ("openSourceContributions", Main, "openSource"),
        ("researchExperience", Main, "research"),
        ("achievements", Main, "achievements"),
        ("awardsAndHonors", Main, "awardsAndHonors"),
        ("publications", Main, "publications"),
        ("articlesAndPublications", Main, "articles"),
        ("technicalWriting", Main, "technicalWriting"),
        ("speakingEngagements", Main, "speaking"),
        ("patents", Main, "patentsShort"),
        ("teachingExperience", Main, "teaching"),
        ("mentorship", Main, "mentorship"),
        ("volunteering", Main, "volunteering"),
        ("professionalAffiliations", Main, "affiliations"),
        ("industryExpertise", Main, "industryExpertise"),
        ("referral", Main, "referral"),
        ("references", Main, "references"),
    ],
};

/// The modern look: sans-serif, a navy band with the name, accent headings, skills as tags.
const MODERN_LOOK: Look = Look {
    header: Header::Band,
    headings: Headings::Plain,
    colors: ["1F5F99", "1F5F99", "1F5F99", "1F5F99"],
    font: Font::Heros,
    tags: true,
    sidebar: 0.0,
};

/// The modern résumé: one column, what a design or product reader looks for first.
pub const MODERN: TemplateLayout = TemplateLayout {
    two_column: false,
    look: MODERN_LOOK,
    sections: &[
        ("professionalSummary", Main, "summary"),
        ("coreCompetencies", Main, "coreCompetencies"),
        ("technologiesAndSkills", Main, "skills"),
        ("technicalSkills", Main, "technicalSkills"),
        ("skillsMatrix", Main, "proficiency"),
        ("experience", Main, "experience"),
        ("leadershipExperience", Main, "leadership"),
        ("projects", Main, "projects"),
        ("openSourceContributions", Main, "openSource"),
        ("achievements", Main, "achievements"),
        ("awardsAndHonors", Main, "awardsAndHonors"),
        ("speakingEngagements", Main, "speaking"),
        ("publications", Main, "publications"),
        ("articlesAndPublications", Main, "articles"),
        ("technicalWriting", Main, "technicalWriting"),
        ("researchExperience", Main, "research"),
        ("education", Main, "education"),
        ("relevantCoursework", Main, "coursework"),
        ("certifications", Main, "certifications"),
        ("patents", Main, "patentsShort"),
        ("teachingExperience", Main, "teaching"),
        ("mentorship", Main, "mentorship"),
        ("volunteering", Main, "volunteering"),
        ("professionalAffiliations", Main, "affiliations"),
        ("industryExpertise", Main, "industryExpertise"),
        ("languages", Main, "languages"),
        ("interests", Main, "interests"),
        ("referral", Main, "referral"),
        ("references", Main, "references"),
    ],
};

/// The compact look: no colour, small-capital headings, the header flush left.
const COMPACT_LOOK: Look = Look {
    header: Header::Left,
    headings: Headings::SmallCaps,
    colors: [BLACK, BLACK, BLACK, BLACK],
    font: Font::Pagella,
    tags: false,
    sidebar: 0.0,
};

/// The compact résumé: every section in the classic order, dense.
pub const COMPACT: TemplateLayout = TemplateLayout {
    two_column: false,
    look: COMPACT_LOOK,
    sections: FULL,
};

/// Cover letters have no movable sections; only the two-column letter's contact block.
pub const LETTER: TemplateLayout = TemplateLayout {
    two_column: false,
    look: CLASSIC_LOOK,
    sections: &[],
};
/// The two-column letter: its sidebar holds the name and the contact block.
pub const LETTER_TWO_COLUMN: TemplateLayout = TemplateLayout {
    two_column: true,
    look: Look {
        sidebar: 0.30,
        ..TWO_COLUMN_LOOK
    },
    sections: &[("contact", Sidebar, "contact")],
};
/// The modern letter: the résumé's band and face.
pub const LETTER_MODERN: TemplateLayout = TemplateLayout {
    two_column: false,
    look: MODERN_LOOK,
    sections: &[],
};
/// The compact letter: the résumé's header, no colour.
pub const LETTER_COMPACT: TemplateLayout = TemplateLayout {
    two_column: false,
    look: COMPACT_LOOK,
    sections: &[],
};

impl TemplateLayout {
    /// The default layout of a template.
    pub fn of(t: &Template) -> &'static TemplateLayout {
        t.layout
    }
}

/// The layout options of a request, resolved: part of the cache key and of every renderer's
/// input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Options {
    /// The paper size.
    pub page_size: PageSize,
    /// The language of the words the service prints (titles, dates, labels).
    pub locale: Locale,
    /// Section keys to print first, in this order (the rest follow in the template's order).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub section_order: Vec<String>,
    /// Sections moved to another column (two-column templates).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub section_columns: BTreeMap<String, Column>,
    /// Section keys not to print.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hidden_sections: Vec<String>,
    /// Section key → title, over the locale's.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub section_titles: BTreeMap<String, String>,
    /// Page numbers in the footer of documents longer than one page.
    pub page_numbers: bool,
    /// The type face.
    #[serde(default, skip_serializing_if = "is_default_font")]
    pub font: Font,
    /// The accent colour (`RRGGBB`, upper case), already dark enough for white text on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accent_color: Option<String>,
    /// How the photo is cropped.
    #[serde(default, skip_serializing_if = "is_default")]
    pub photo_shape: crate::photo::PhotoShape,
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

impl Default for Options {
    fn default() -> Self {
        Options {
            page_size: PageSize::Letter,
            locale: Locale::En,
            section_order: Vec::new(),
            section_columns: BTreeMap::new(),
            hidden_sections: Vec::new(),
            section_titles: BTreeMap::new(),
            page_numbers: true,
            font: Font::Pagella,
            accent_color: None,
            photo_shape: crate::photo::PhotoShape::Square,
        }
    }
}

fn is_default_font(f: &Font) -> bool {
    *f == Font::Pagella
}

/// The colours of a document (`RRGGBB`): the template's own, or the request's accent for all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Palette {
    /// Section headings (and the two-column name).
    pub heading: String,
    /// The rule under a heading.
    pub rule: String,
    /// Links.
    pub link: String,
    /// The two-column sidebar behind white text.
    pub sidebar: String,
    /// Whether the body defines them: the request's accent, or a template whose colours are
    /// not the shared preamble's.
    pub custom: bool,
}

impl Palette {
    /// The palette of a template with the request's options.
    pub fn of(template: &Template, o: &Options) -> Self {
        let look = &TemplateLayout::of(template).look;
        match &o.accent_color {
            Some(a) => Palette {
                heading: a.clone(),
                rule: a.clone(),
                link: a.clone(),
                sidebar: a.clone(),
                custom: true,
            },
            None => {
                let [heading, rule, link, sidebar] = look.colors.map(str::to_owned);
                // The shared preamble defines the classic templates' link and sidebar colours;
                // a template with others has the body define them.
                let custom = link != NAVY || sidebar != SLATE;
                Palette {
                    heading,
                    rule,
                    link,
                    sidebar,
                    custom,
                }
            }
        }
    }
}

/// WCAG 2 relative luminance of an `RRGGBB` colour.
fn luminance(rgb: [u8; 3]) -> f64 {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(rgb[0]) + 0.7152 * lin(rgb[1]) + 0.0722 * lin(rgb[2])
}

/// The contrast ratio of white on a colour (1 to 21).
pub fn contrast_with_white(rgb: [u8; 3]) -> f64 {
    1.05 / (luminance(rgb) + 0.05)
}

/// WCAG AA for normal text: white on the sidebar and the accent on white both need it.
pub const MIN_CONTRAST: f64 = 4.5;

/// The colour itself when white text on it meets [`MIN_CONTRAST`], else the same hue darkened
/// (each channel scaled down step by step) until it does.
pub fn readable(rgb: [u8; 3]) -> [u8; 3] {
    let mut c = rgb;
    let mut k = 1.0_f64;
    while contrast_with_white(c) < MIN_CONTRAST && k > 0.0 {
        k -= 0.02;
        c = rgb.map(|x| (f64::from(x) * k).round() as u8);
    }
    c
}

/// Reads `#RRGGBB`, `RRGGBB` or `#RGB` (any case).
pub fn parse_color(s: &str) -> Option<[u8; 3]> {
    let h = s.trim().trim_start_matches('#');
    let full: String = match h.len() {
        3 => h.chars().flat_map(|c| [c, c]).collect(),
        6 => h.to_owned(),
        _ => return None,
    };
    if !full.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&full[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// A colour (`RRGGBB`) mixed with white: `share` of it, the rest white (tag backgrounds).
pub fn tint(color: &str, share: f64) -> String {
    let rgb = parse_color(color).unwrap_or([0, 0, 0]);
    hex(rgb.map(|c| (f64::from(c) * share + 255.0 * (1.0 - share)).round() as u8))
}

/// `RRGGBB`, upper case.
pub fn hex(rgb: [u8; 3]) -> String {
    format!("{:02X}{:02X}{:02X}", rgb[0], rgb[1], rgb[2])
}

/// A section as a document prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Placed {
    /// The section's key: a built-in key (`experience`) or a custom section's key.
    pub key: String,
    /// How its body is printed.
    pub kind: Kind,
    /// The column it sits in.
    pub column: Column,
    /// Its heading.
    pub title: String,
    /// For a custom section, its index in `customSections`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom: Option<usize>,
}

/// Compares names the way people vary them: case, `_`, `-` and spaces do not count.
fn folded(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' ' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Resolves a section name (a built-in key or alias, or a custom section's key or title) to
/// its key, among the built-ins and the document's custom sections.
pub fn resolve(name: &str, custom: &[CustomSection]) -> Option<String> {
    let f = folded(name);
    if f.is_empty() {
        return None;
    }
    // A built-in key, then the document's own section names, then the built-ins' other names
    // (a custom "Hobbies" section is that section, not the interests).
    let builtin = |alias: bool| {
        BUILTINS
            .iter()
            .find(|b| folded(b.key) == f || (alias && b.aliases.iter().any(|a| folded(a) == f)))
            .map(|b| b.key.to_owned())
    };
    builtin(false)
        .or_else(|| {
            custom
                .iter()
                .find(|c| folded(&c.key) == f || folded(&c.title) == f)
                .map(|c| c.key.clone())
        })
        .or_else(|| builtin(true))
}

/// Every name [`resolve`] knows, for "did you mean" hints: built-in keys, then custom keys.
pub fn known_names(custom: &[CustomSection]) -> Vec<String> {
    BUILTINS
        .iter()
        .map(|b| b.key.to_owned())
        .chain(custom.iter().map(|c| c.key.clone()))
        .collect()
}

/// A custom section's key when it names none: its title folded to `lowercase-words`.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "custom".to_owned()
    } else {
        out
    }
}

fn kind_of(key: &str) -> Kind {
    BUILTINS
        .iter()
        .find(|b| b.key == key)
        .map_or(Kind::Custom, |b| b.kind)
}

/// The list of strings behind a bullets or inline section.
pub(crate) fn strings_of<'a>(r: &'a Resume, key: &str) -> &'a [String] {
    match key {
        "coreCompetencies" => &r.core_competencies,
        "achievements" => &r.achievements,
        "interests" => &r.interests,
        _ => &[],
    }
}

/// The roles behind a roles section.
pub(crate) fn roles_of<'a>(r: &'a Resume, key: &str) -> &'a [Role] {
    match key {
        "leadershipExperience" => &r.leadership_experience,
        "experience" => &r.experience,
        "researchExperience" => &r.research_experience,
        "teachingExperience" => &r.teaching_experience,
        "volunteering" => &r.volunteering,
        _ => &[],
    }
}

/// The items behind an items section.
pub(crate) fn items_of<'a>(r: &'a Resume, key: &str) -> &'a [Item] {
    match key {
        "publications" => &r.publications,
        "technicalWriting" => &r.technical_writing,
        "articlesAndPublications" => &r.articles_and_publications,
        "speakingEngagements" => &r.speaking_engagements,
        "awardsAndHonors" => &r.awards_and_honors,
        "patents" => &r.patents,
        _ => &[],
    }
}

/// The notes behind a notes or languages section.
pub(crate) fn notes_of<'a>(r: &'a Resume, key: &str) -> &'a [Note] {
    match key {
        "mentorship" => &r.mentorship,
        "languages" => &r.languages,
        "professionalAffiliations" => &r.professional_affiliations,
        "industryExpertise" => &r.industry_expertise,
        _ => &[],
    }
}

/// The skill groups behind a groups section.
pub(crate) fn groups_of<'a>(r: &'a Resume, key: &str) -> &'a [SkillGroup] {
    match key {
        "technicalSkills" => &r.technical_skills,
        "technologiesAndSkills" => &r.technologies_and_skills,
        _ => &[],
    }
}

/// The projects behind a projects section.
pub(crate) fn projects_of<'a>(r: &'a Resume, key: &str) -> &'a [Project] {
    match key {
        "projects" => &r.projects,
        "openSourceContributions" => &r.open_source_contributions,
        _ => &[],
    }
}

/// Whether a résumé has anything to print under a built-in section.
fn present(r: &Resume, key: &str) -> bool {
    match kind_of(key) {
        Kind::Contact => true,
        Kind::Summary => r.professional_summary.is_some(),
        Kind::Bullets | Kind::Inline => !strings_of(r, key).is_empty(),
        Kind::Roles => !roles_of(r, key).is_empty(),
        Kind::Education => !r.education.is_empty(),
        Kind::Courses => !r.relevant_coursework.is_empty(),
        Kind::Groups => !groups_of(r, key).is_empty(),
        Kind::Matrix => !r.skills_matrix.is_empty(),
        Kind::Projects => !projects_of(r, key).is_empty(),
        Kind::Items => !items_of(r, key).is_empty(),
        Kind::Certifications => !r.certifications.is_empty(),
        Kind::Notes | Kind::Languages => !notes_of(r, key).is_empty(),
        Kind::Referral => r.referral.is_some(),
        Kind::References => !r.references.is_empty() || r.references_available.is_some(),
        Kind::Custom => false,
    }
}

/// The sections a résumé prints with a template and options, in order, each with its column
/// and title; sections with nothing to print are left out.
pub fn place(template: &Template, r: Option<&Resume>, o: &Options) -> Vec<Placed> {
    let layout = TemplateLayout::of(template);
    let custom: &[CustomSection] = r.map_or(&[], |r| &r.custom_sections);
    let mut all: Vec<Placed> = layout
        .sections
        .iter()
        .map(|&(key, column, title_key)| Placed {
            key: key.to_owned(),
            kind: kind_of(key),
            column,
            title: o.locale.get(&format!("title.{title_key}")).to_owned(),
            custom: None,
        })
        .chain(custom.iter().enumerate().map(|(i, c)| Placed {
            key: c.key.clone(),
            kind: Kind::Custom,
            column: Main,
            title: c.title.clone(),
            custom: Some(i),
        }))
        .filter(|p| !o.hidden_sections.contains(&p.key))
        .filter(|p| p.custom.is_some() || r.is_none_or(|r| present(r, &p.key)))
        .collect();
    for p in &mut all {
        if layout.two_column {
            if let Some(c) = o.section_columns.get(&p.key) {
                p.column = *c;
            }
        }
        if let Some(t) = o.section_titles.get(&p.key) {
            p.title = t.clone();
        }
    }
    // Listed sections first, in the listed order; the rest keep the template's order (a
    // stable sort by position in the list, unlisted last).
    let rank = |p: &Placed| {
        o.section_order
            .iter()
            .position(|k| *k == p.key)
            .unwrap_or(usize::MAX)
    };
    all.sort_by_key(rank);
    all
}

/// What `/template-info` says about a template's layout: every option with its values, and
/// the sections in their default order with their columns, English titles and other names.
pub fn describe(template: &Template) -> serde_json::Value {
    let layout = TemplateLayout::of(template);
    let sections: Vec<serde_json::Value> = layout
        .sections
        .iter()
        .map(|&(key, column, title_key)| {
            let aliases = BUILTINS
                .iter()
                .find(|b| b.key == key)
                .map_or(&[][..], |b| b.aliases);
            serde_json::json!({
                "key": key,
                "column": column,
                "title": Locale::En.get(&format!("title.{title_key}")),
                "also_named": aliases,
            })
        })
        .collect();
    serde_json::json!({
        "page_size": {"values": PageSize::ALL.map(PageSize::as_str), "default": "letter"},
        "locale": {"values": Locale::codes(), "default": "en"},
        "page_numbers": {"default": true, "shown": "on documents longer than one page, from page 2"},
        "fonts": Font::ALL.map(|f| serde_json::json!({"name": f.as_str(), "kind": if f.sans() { "sans-serif" } else { "serif" },
            "docx_family": f.docx_family(), "default": f == layout.look.font})),
        "accent_color": {"format": "#RRGGBB", "default": Palette::of(template, &Options::default()),
            "min_contrast_with_white": MIN_CONTRAST},
        "look": {"header": layout.look.header, "headings": layout.look.headings, "skill_tags": layout.look.tags},
        "photo": {"field": "personalInfo.photo", "formats": ["png", "jpeg"], "as": "data: URI",
            "max_bytes": crate::photo::MAX_BYTES, "max_side_px": crate::photo::MAX_SIDE,
            "shapes": crate::photo::PhotoShape::ALL.map(crate::photo::PhotoShape::as_str), "default_shape": "square"},
        "two_column": layout.two_column,
        "columns": if layout.two_column { vec!["sidebar", "main"] } else { vec!["main"] },
        "sections": sections,
        "custom_sections": template.document_type == crate::model::DocumentType::Resume,
    })
}

/// The sections of one column, in order.
pub fn column(placed: &[Placed], c: Column) -> Vec<Placed> {
    placed.iter().filter(|p| p.column == c).cloned().collect()
}

#[cfg(test)]
mod tests;
