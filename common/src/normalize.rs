//! Raw request data → the canonical [`crate::model`], with every error and warning located.
//!
//! The section table follows REFERENCE.md §2.2: each section's primary key first, then its
//! aliases in the reference's fallback order. Two fixes over the reference: a key that is some
//! section's primary key is never borrowed as another section's alias (so publications are not
//! rendered twice), and a key one section took is not taken again by a later one (so awards are
//! not duplicated under achievements).

use std::collections::BTreeSet;

use serde_json::Value;

use crate::dates::CivilDate;
use crate::error::{ErrorCode, FieldError};
use crate::i18n::Locale;
use crate::model::*;
use crate::reader::{Cx, Entry, Obj, check_email, check_url, join, list, text, texts};

/// A valid document, ready to render.
#[derive(Debug, Clone, PartialEq)]
pub struct Normalized {
    /// The document.
    pub document: Document,
    /// The spacing mode found in the data (`spacing_mode`, then `spacingMode`), if any.
    pub spacing: Option<SpacingMode>,
    /// The layout options found in the data (`pageSize`, `locale`, `sectionOrder`…), unread.
    pub options: crate::options::Raw,
    /// Non-fatal findings: unknown or shadowed fields, removed control characters.
    pub warnings: Vec<FieldError>,
}

/// An invalid document: every error found, plus the warnings.
#[derive(Debug, Clone, PartialEq)]
pub struct Invalid {
    /// Every error, each with a JSON pointer.
    pub errors: Vec<FieldError>,
    /// Non-fatal findings.
    pub warnings: Vec<FieldError>,
}

/// Normalizes `data` as a document of `kind`. `base` is the JSON pointer of `data` in the
/// request (e.g. `/data`); `today` fills the default cover-letter date.
pub fn normalize(
    kind: DocumentType,
    data: &Value,
    base: &str,
    today: CivilDate,
) -> Result<Normalized, Invalid> {
    normalize_as(kind, data, base, today, Origin::Native, None)
}

/// Where the data came from, which decides the one thing that differs: a native document must
/// name its person, while JSON Resume requires nothing at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The native model (`personalInfo.name` required).
    Native,
    /// Converted from JSON Resume (no required fields).
    JsonResume,
}

/// [`normalize`] for data of a given [`Origin`]. `locale` is the request's, which wins over
/// the data's: it decides the cover letter's default date, salutation and closing.
pub fn normalize_as(
    kind: DocumentType,
    data: &Value,
    base: &str,
    today: CivilDate,
    origin: Origin,
    locale: Option<Locale>,
) -> Result<Normalized, Invalid> {
    let mut cx = Cx::default();
    let Some(mut root) = Obj::from_value(&mut cx, base, data) else {
        return Err(Invalid {
            errors: cx.errors,
            warnings: cx.warnings,
        });
    };
    let spacing = spacing(&mut cx, &mut root);
    let options = crate::options::Raw::pick(&mut root);
    let locale = match locale {
        Some(l) => l,
        None => options.locale().unwrap_or_default(),
    };
    let document = match kind {
        DocumentType::Resume => Document::Resume(Box::new(resume(&mut cx, root, origin))),
        DocumentType::CoverLetter => {
            Document::CoverLetter(Box::new(cover_letter(&mut cx, root, today, locale)))
        }
    };
    if cx.errors.is_empty()
        && crate::render::Engine::of(&document, locale) == crate::render::Engine::Xetex
    {
        unreadable_under_xetex(&mut cx, base, data);
    }
    if cx.errors.is_empty() && is_blank(&document) {
        cx.error(
            ErrorCode::VAL001,
            base,
            "the document has nothing to print: give at least a name or one section",
        );
    }
    let warnings = capped(cx.warnings, base);
    if cx.errors.is_empty() {
        Ok(Normalized {
            document,
            spacing,
            options,
            warnings,
        })
    } else {
        Err(Invalid {
            errors: capped(cx.errors, base),
            warnings,
        })
    }
}

/// The most errors (or warnings) reported for one document; a 1 MiB body could otherwise
/// produce tens of thousands.
pub const MAX_REPORTED: usize = 200;

/// Keeps the first [`MAX_REPORTED`] findings and says how many more there were.
pub(crate) fn capped(mut list: Vec<FieldError>, base: &str) -> Vec<FieldError> {
    if list.len() > MAX_REPORTED {
        let more = list.len() - MAX_REPORTED;
        list.truncate(MAX_REPORTED);
        list.push(FieldError::new(
            ErrorCode::VAL010,
            base,
            format!("{more} more not shown; fix these and validate again"),
        ));
    }
    list
}

/// A document XeTeX typesets (it has CJK or Vietnamese text) must not hold the few letters
/// XeTeX's fonts share a glyph for: their PDF text would name another letter.
fn unreadable_under_xetex(cx: &mut Cx, path: &str, v: &Value) {
    match v {
        Value::String(s) => {
            if let Some(c) = crate::escape::unreadable_under_xetex(s) {
                cx.error(
                    ErrorCode::VAL009,
                    path,
                    format!(
                        "character '{c}' (U+{:04X}) cannot be printed readably together with Chinese, Japanese, Korean or Vietnamese text",
                        u32::from(c)
                    ),
                );
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                unreadable_under_xetex(cx, &join(path, &i.to_string()), item);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                unreadable_under_xetex(cx, &join(path, k), item);
            }
        }
        _ => {}
    }
}

/// Whether a document holds no printable text at all (only defaults such as the letter's
/// date, salutation and closing, which are not the person's words).
fn is_blank(doc: &Document) -> bool {
    let v = match doc {
        Document::Resume(r) => serde_json::to_value(r),
        Document::CoverLetter(l) => serde_json::to_value((&l.personal_info, &l.recipient, &l.body)),
    };
    !v.as_ref().is_ok_and(any_text)
}

fn spacing(cx: &mut Cx, root: &mut Obj<'_>) -> Option<SpacingMode> {
    let (p, v) = root.pick(&["spacing_mode", "spacingMode"])?;
    let t = text(cx, &p, v)?;
    let mode = SpacingMode::parse(&t);
    if mode.is_none() {
        cx.error(
            ErrorCode::VAL012,
            &p,
            format!("unknown spacing mode '{t}'; use normal, compact or ultra-compact"),
        );
    }
    mode
}

fn personal_info(cx: &mut Cx, root: &mut Obj<'_>, origin: Origin) -> PersonalInfo {
    let Some((p, v)) = root.pick(&["personalInfo"]) else {
        let path = join(&root.path, "personalInfo");
        match origin {
            Origin::Native => cx.error(
                ErrorCode::VAL001,
                &path,
                "required field 'personalInfo' is missing",
            ),
            Origin::JsonResume => cx.warn(
                ErrorCode::VAL001,
                &join(&path, "name"),
                "'name' is missing; the document is printed without it",
            ),
        }
        return PersonalInfo::default();
    };
    let Some(mut o) = Obj::from_value(cx, &p, v) else {
        return PersonalInfo::default();
    };
    let name = match origin {
        Origin::Native => required(cx, &mut o, &["name"]),
        Origin::JsonResume => expected(cx, &mut o, &["name"]),
    };
    // `mailto:` pasted with the address is not part of it.
    let email = expected(cx, &mut o, &["email"])
        .map(|e| e.strip_prefix("mailto:").map(str::to_owned).unwrap_or(e));
    if let Some(Err(msg)) = email.as_deref().map(check_email) {
        // The reference's API refuses a malformed address; a JSON Resume document, which
        // requires nothing, prints it as written.
        match origin {
            Origin::Native => cx.error(ErrorCode::VAL003, &join(&p, "email"), msg),
            Origin::JsonResume => cx.warn(
                ErrorCode::VAL003,
                &join(&p, "email"),
                format!("{msg}; it is printed as written"),
            ),
        }
    }
    let mut info = PersonalInfo {
        name: name.unwrap_or_default(),
        email,
        phone: o.text(cx, &["phone"]),
        location: o.text(cx, &["location"]),
        title: o.text(cx, &["title", "headline", "professionalTitle"]),
        ..PersonalInfo::default()
    };
    let mut link = |key: &str, display: &str| {
        let url = o.url(cx, &[key]);
        let shown = o.text(cx, &[display]);
        let shown = url.as_ref().map(|u| shown.unwrap_or_else(|| short_url(u)));
        (url, shown)
    };
    (info.website, info.website_display) = link("website", "website_display");
    (info.linkedin, info.linkedin_display) = link("linkedin", "linkedin_display");
    (info.github, info.github_display) = link("github", "github_display");
    (info.twitter, info.twitter_display) = link("twitter", "twitter_display");
    (info.x, info.x_display) = link("x", "x_display");
    if let Some((path, v)) = o.pick(&["profiles"]) {
        info.profiles = list(cx, &path, v, |cx, _, e| match e {
            Entry::Text(t) => match check_url(&t) {
                Ok(url) => Some(Profile {
                    url: Some(url),
                    ..Profile::default()
                }),
                Err(_) => Some(Profile {
                    network: t,
                    ..Profile::default()
                }),
            },
            Entry::Obj(mut po) => {
                let p = Profile {
                    network: po.text(cx, &["network", "name"]).unwrap_or_default(),
                    url: po.url(cx, &["url"]),
                    username: po.text(cx, &["username", "user"]),
                };
                po.finish(cx);
                (p.url.is_some() || p.username.is_some()).then_some(p)
            }
        });
    }
    info.photo = photo(cx, &mut o);
    o.finish(cx);
    info
}

/// The photo field, checked: an address or file name is left out with a warning; a `data:` URI
/// that is not a sound PNG or JPEG within the limits is a located error (it cannot be printed
/// as sent).
fn photo(cx: &mut Cx, o: &mut Obj<'_>) -> Option<crate::photo::Photo> {
    let (path, v) = o.pick(&["photo", "image", "picture", "avatar"])?;
    match v {
        Value::Null => None,
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => match crate::photo::read(s) {
            Ok(crate::photo::Read::Photo(p)) => Some(p),
            Ok(crate::photo::Read::Elsewhere) => {
                cx.warn(
                    ErrorCode::VAL015,
                    &path,
                    "images are never fetched from addresses or read from files; the photo was \
                     left out (send it as data:image/jpeg;base64,…)",
                );
                None
            }
            Err(why) => {
                cx.error(ErrorCode::VAL016, &path, why);
                None
            }
        },
        _ => {
            cx.error(
                ErrorCode::VAL002,
                &path,
                "the photo must be a string: a data:image/png or data:image/jpeg URI",
            );
            None
        }
    }
}

/// A link's display text when the user gave none: no scheme, no `www.`, no trailing slash.
fn short_url(u: &str) -> String {
    let s = u.split_once("://").map_or(u, |(_, rest)| rest);
    let s = s.strip_prefix("mailto:").unwrap_or(s);
    s.strip_prefix("www.")
        .unwrap_or(s)
        .trim_end_matches('/')
        .to_owned()
}

/// Every résumé section's primary key; none of them is borrowed as another section's alias.
pub(crate) const PRIMARY: &[&str] = &[
    "professionalSummary",
    "coreCompetencies",
    "technicalSkills",
    "skillsMatrix",
    "technologiesAndSkills",
    "leadershipExperience",
    "experience",
    "education",
    "relevantCoursework",
    "projects",
    "openSourceContributions",
    "researchExperience",
    "publications",
    "technicalWriting",
    "articlesAndPublications",
    "speakingEngagements",
    "awardsAndHonors",
    "achievements",
    "certifications",
    "teachingExperience",
    "mentorship",
    "volunteering",
    "languages",
    "professionalAffiliations",
    "patents",
    "industryExpertise",
    "interests",
    "referral",
    "references",
    "referencesAvailable",
];

/// Picks a section's value by primary key then aliases, honouring the two fixes above.
struct Sections<'a> {
    root: Obj<'a>,
    taken: BTreeSet<String>,
}

impl<'a> Sections<'a> {
    fn pick(&mut self, keys: &[&str]) -> Option<(String, &'a Value)> {
        let primary = keys[0];
        let map = self.root.map;
        let taken = &self.taken;
        let got = self.root.pick_with(keys, |k| {
            k != primary && (taken.contains(k) || (PRIMARY.contains(&k) && map.contains_key(k)))
        });
        if let Some((p, _)) = &got {
            self.taken
                .insert(p.rsplit('/').next().unwrap_or_default().to_owned());
        }
        got
    }
}

fn resume(cx: &mut Cx, mut root: Obj<'_>, origin: Origin) -> Resume {
    let personal_info = personal_info(cx, &mut root, origin);
    let mut s = Sections {
        root,
        taken: BTreeSet::new(),
    };
    let mut r = Resume {
        personal_info,
        ..Resume::default()
    };

    if let Some((p, v)) = s.pick(&["professionalSummary"]) {
        r.professional_summary = text(cx, &p, v);
    }
    if let Some((p, v)) = s.pick(&["coreCompetencies", "competencies", "keySkills", "expertise"]) {
        r.core_competencies = texts(cx, &p, v);
    }
    if let Some((p, v)) = s.pick(&["leadershipExperience", "leadership"]) {
        r.leadership_experience = roles(cx, &p, v, &LEADERSHIP);
    }
    if let Some((p, v)) = s.pick(&["experience"]) {
        r.experience = roles(cx, &p, v, &EXPERIENCE);
    }
    if let Some((p, v)) = s.pick(&["education"]) {
        r.education = list(cx, &p, v, education);
    }
    if let Some((p, v)) = s.pick(&["relevantCoursework", "coursework", "courses"]) {
        r.relevant_coursework = list(cx, &p, v, |cx, _, e| match e {
            Entry::Text(name) => Some(Course {
                name,
                description: None,
            }),
            Entry::Obj(mut o) => {
                let name = expected(cx, &mut o, &["name", "title", "courseName"]);
                let description = o.text(cx, &["description"]);
                o.finish(cx);
                let c = Course {
                    name: name.unwrap_or_default(),
                    description,
                };
                has_text(&c).then_some(c)
            }
        });
    }
    if let Some((p, v)) = s.pick(&["technicalSkills", "techSkills"]) {
        r.technical_skills = skill_groups(cx, &p, v);
    }
    if let Some((p, v)) = s.pick(&["skillsMatrix", "skillsByProficiency"]) {
        r.skills_matrix = skills_matrix(cx, &p, v);
    }
    if let Some((p, v)) = s.pick(&[
        "technologiesAndSkills",
        "skills",
        "technologies",
        "tech_skills",
    ]) {
        r.technologies_and_skills = skill_groups(cx, &p, v);
    }
    if let Some((p, v)) = s.pick(&["projects"]) {
        r.projects = list(cx, &p, v, |cx, path, e| project(cx, path, e, &PROJECT));
    }
    if let Some((p, v)) = s.pick(&["openSourceContributions", "openSource", "ossContributions"]) {
        r.open_source_contributions =
            list(cx, &p, v, |cx, path, e| project(cx, path, e, &OPEN_SOURCE));
    }
    if let Some((p, v)) = s.pick(&["researchExperience", "research"]) {
        r.research_experience = roles(cx, &p, v, &RESEARCH);
    }
    if let Some((p, v)) = s.pick(&["publications", "academicPublications", "papers"]) {
        r.publications = items(cx, &p, v, &PUBLICATION);
    }
    if let Some((p, v)) = s.pick(&["technicalWriting", "articles", "blogPosts"]) {
        r.technical_writing = items(cx, &p, v, &WRITING);
    }
    if let Some((p, v)) = s.pick(&[
        "articlesAndPublications",
        "publications",
        "articles",
        "papers",
    ]) {
        r.articles_and_publications = items(cx, &p, v, &ARTICLE);
    }
    if let Some((p, v)) = s.pick(&["speakingEngagements", "speaking", "talks", "conferences"]) {
        r.speaking_engagements = items(cx, &p, v, &TALK);
    }
    if let Some((p, v)) = s.pick(&["awardsAndHonors", "awards", "honors", "recognition"]) {
        r.awards_and_honors = items(cx, &p, v, &AWARD);
    }
    if let Some((p, v)) = s.pick(&["achievements", "accomplishments", "awards", "honors"]) {
        r.achievements = list(cx, &p, v, |cx, _, e| match e {
            Entry::Text(t) => Some(t),
            Entry::Obj(mut o) => {
                let t = expected(cx, &mut o, &["title", "name", "description"]);
                o.finish(cx);
                t
            }
        });
    }
    if let Some((p, v)) = s.pick(&["certifications", "certificates", "credentials", "licenses"]) {
        r.certifications = certifications(cx, &p, v);
    }
    if let Some((p, v)) = s.pick(&["teachingExperience", "teaching"]) {
        r.teaching_experience = roles(cx, &p, v, &TEACHING);
    }
    if let Some((p, v)) = s.pick(&["mentorship", "mentoringExperience"]) {
        r.mentorship = notes(cx, &p, v, &MENTORSHIP);
    }
    if let Some((p, v)) = s.pick(&["volunteering", "volunteerExperience", "communityService"]) {
        r.volunteering = roles(cx, &p, v, &VOLUNTEERING);
    }
    if let Some((p, v)) = s.pick(&["languages", "spokenLanguages"]) {
        r.languages = notes(cx, &p, v, &LANGUAGE);
    }
    if let Some((p, v)) = s.pick(&["professionalAffiliations", "affiliations", "memberships"]) {
        r.professional_affiliations = notes(cx, &p, v, &AFFILIATION);
    }
    if let Some((p, v)) = s.pick(&["patents", "intellectualProperty"]) {
        r.patents = items(cx, &p, v, &PATENT);
    }
    if let Some((p, v)) = s.pick(&["industryExpertise", "industryExperience", "domains"]) {
        r.industry_expertise = notes(cx, &p, v, &INDUSTRY);
    }
    if let Some((p, v)) = s.pick(&["interests"]) {
        r.interests = texts(cx, &p, v);
    }
    if let Some((p, v)) = s.pick(&["referral", "referredBy"]) {
        r.referral = match v {
            Value::Object(_) => Obj::from_value(cx, &p, v).and_then(|o| person(cx, o, true)),
            _ => text(cx, &p, v).map(|name| Person {
                name,
                ..Person::default()
            }),
        };
    }
    if let Some((p, v)) = s.pick(&["references", "professionalReferences"]) {
        match v {
            Value::Array(_) => {
                r.references = list(cx, &p, v, |cx, _, e| match e {
                    Entry::Text(name) => Some(Person {
                        name,
                        ..Person::default()
                    }),
                    Entry::Obj(o) => person(cx, o, false),
                });
            }
            _ => r.references_available = text(cx, &p, v),
        }
    }
    if let Some((p, v)) = s.pick(&["referencesAvailable"]) {
        let t = text(cx, &p, v);
        r.references_available = r.references_available.or(t);
    }
    if let Some((p, v)) = s.pick(&["customSections", "custom_sections", "additionalSections"]) {
        r.custom_sections = custom_sections(cx, &p, v);
    }
    s.root.finish(cx);
    r
}

/// Custom sections: a list of `{title, key?, entries?, items?}`, or an object of title →
/// entries. Keys are unique, and never a built-in section's: a repeated one gets `-2`, `-3`…
fn custom_sections(cx: &mut Cx, path: &str, v: &Value) -> Vec<CustomSection> {
    let mut out: Vec<CustomSection> = match v {
        Value::Object(m) if !m.contains_key("title") && !m.contains_key("name") => m
            .iter()
            .filter_map(|(title, body)| {
                let p = join(path, title);
                let mut c = CustomSection {
                    key: crate::layout::slug(title),
                    title: text(cx, &p, &Value::String(title.clone()))?,
                    ..CustomSection::default()
                };
                custom_body(cx, &p, body, &mut c);
                (!c.entries.is_empty() || !c.items.is_empty()).then_some(c)
            })
            .collect(),
        _ => list(cx, path, v, |cx, p, e| match e {
            Entry::Text(_) => {
                cx.warn(
                    ErrorCode::VAL002,
                    p,
                    "a custom section is an object with a title and entries or items; it was left out",
                );
                None
            }
            Entry::Obj(mut o) => {
                let title = expected(cx, &mut o, &["title", "name", "heading"]);
                let key = o.text(cx, &["key", "id"]);
                let mut c = CustomSection {
                    key: crate::layout::slug(key.as_deref().or(title.as_deref()).unwrap_or("")),
                    title: title.unwrap_or_default(),
                    ..CustomSection::default()
                };
                if let Some((ep, ev)) = o.pick(&["entries"]) {
                    custom_body(cx, &ep, ev, &mut c);
                }
                c.items
                    .extend(o.texts(cx, &["items", "bullets", "highlights", "list"]));
                if let Some(t) = o.text(cx, &["content", "text", "description"]) {
                    c.items.extend(paragraphs(&t));
                }
                o.finish(cx);
                (!c.entries.is_empty() || !c.items.is_empty()).then_some(c)
            }
        }),
    };
    // A custom key never names a built-in section too (a custom "Projects" is `projects-2`).
    let mut seen: BTreeSet<String> = crate::layout::known_names(&[]).into_iter().collect();
    for c in &mut out {
        let base = c.key.clone();
        let mut n = 1;
        while !seen.insert(c.key.clone()) {
            n += 1;
            c.key = format!("{base}-{n}");
        }
    }
    out
}

/// The entries of a custom section: objects become entries, strings become items.
fn custom_body(cx: &mut Cx, path: &str, v: &Value, c: &mut CustomSection) {
    let mut items = Vec::new();
    let entries = list(cx, path, v, |cx, _, e| match e {
        Entry::Text(t) => {
            items.push(t);
            None
        }
        Entry::Obj(o) => custom_entry(cx, o),
    });
    c.entries.extend(entries);
    c.items.extend(items);
}

fn custom_entry(cx: &mut Cx, mut o: Obj<'_>) -> Option<CustomEntry> {
    let title = expected(cx, &mut o, &["title", "name", "position", "role", "degree"]);
    let subtitle = o.text(
        cx,
        &[
            "subtitle",
            "organization",
            "company",
            "institution",
            "issuer",
            "publisher",
            "venue",
        ],
    );
    let (title, subtitle) = match (title, subtitle) {
        (None, Some(s)) => (Some(s), None),
        other => other,
    };
    let (start_date, mut end_date) =
        o.date_range(cx, &["startDate", "start_date"], &["endDate", "end_date"]);
    if let Some(d) = o.date(cx, &["date"]) {
        end_date = end_date.or(Some(d));
    }
    let mut e = CustomEntry {
        title: title.unwrap_or_default(),
        subtitle,
        location: o.text(cx, &["location"]),
        url: o.url(cx, &["url", "website"]),
        start_date,
        end_date,
        description: o.text(cx, &["description", "summary"]),
        bullets: Vec::new(),
    };
    if let Some(d) = e.description.take() {
        let (text, items) = crate::markup::split_bullets(&d);
        e.description = text;
        e.bullets.extend(items);
    }
    e.bullets
        .extend(o.texts(cx, &["bullets", "highlights", "achievements", "items"]));
    o.finish(cx);
    has_text(&e).then_some(e)
}

/// Reads a required text field, recording a `VAL001` error when it is absent. Only the
/// person's name in native input is required.
fn required(cx: &mut Cx, o: &mut Obj<'_>, keys: &[&str]) -> Option<String> {
    let before = cx.errors.len();
    let t = o.text(cx, keys);
    if t.is_none() && cx.errors.len() == before {
        cx.error(
            ErrorCode::VAL001,
            &join(&o.path, keys[0]),
            format!("required field '{}' is missing", keys[0]),
        );
    }
    t
}

/// Reads a text field an entry normally has, recording a `VAL001` warning when it is absent:
/// the entry is printed with what it has.
fn expected(cx: &mut Cx, o: &mut Obj<'_>, keys: &[&str]) -> Option<String> {
    let before = (cx.errors.len(), cx.warnings.len());
    let t = o.text(cx, keys);
    if t.is_none() && (cx.errors.len(), cx.warnings.len()) == before {
        cx.warn(
            ErrorCode::VAL001,
            &join(&o.path, keys[0]),
            format!("'{}' is missing; the entry is shown without it", keys[0]),
        );
    }
    t
}

/// The aliases of a role-like section (experience, leadership, research, teaching, volunteering).
struct RoleSpec {
    title: &'static [&'static str],
    organization: &'static [&'static str],
    /// Text, or a list that becomes bullets.
    description: &'static [&'static str],
    bullets: &'static [&'static str],
    courses: &'static [&'static str],
    /// Whether an entry is expected to name its organization (a warning when it does not).
    expects_organization: bool,
}

const LEADERSHIP: RoleSpec = RoleSpec {
    title: &["title", "position", "role"],
    organization: &["organization", "company"],
    description: &["description"],
    bullets: &["achievements", "details", "responsibilities"],
    courses: &[],
    expects_organization: false,
};
const EXPERIENCE: RoleSpec = RoleSpec {
    title: &["title", "position", "role"],
    organization: &["company", "employer", "organization"],
    description: &["description", "summary"],
    bullets: &["achievements", "details", "responsibilities", "duties"],
    courses: &[],
    expects_organization: true,
};
const RESEARCH: RoleSpec = RoleSpec {
    title: &["title", "position", "role"],
    organization: &["institution", "organization", "lab"],
    description: &["description", "summary", "details"],
    bullets: &["achievements"],
    courses: &[],
    expects_organization: false,
};
const TEACHING: RoleSpec = RoleSpec {
    title: &["title", "position", "role"],
    organization: &["institution", "organization", "school"],
    description: &["details", "description", "achievements"],
    bullets: &[],
    courses: &["courses", "subjects", "classes"],
    expects_organization: false,
};
const VOLUNTEERING: RoleSpec = RoleSpec {
    title: &["role", "title", "position"],
    organization: &["organization", "org"],
    description: &["description", "details"],
    bullets: &["achievements"],
    courses: &[],
    expects_organization: false,
};

fn roles(cx: &mut Cx, path: &str, v: &Value, spec: &RoleSpec) -> Vec<Role> {
    list(cx, path, v, |cx, _, e| match e {
        Entry::Text(title) => Some(Role {
            title,
            ..Role::default()
        }),
        Entry::Obj(o) => role(cx, o, spec),
    })
}

fn role(cx: &mut Cx, mut o: Obj<'_>, spec: &RoleSpec) -> Option<Role> {
    let title = expected(cx, &mut o, spec.title);
    let organization = if spec.expects_organization {
        expected(cx, &mut o, spec.organization)
    } else {
        o.text(cx, spec.organization)
    };
    // Without a position the organization heads the entry (a freelancer's client, a school).
    let (title, organization) = match (title, organization) {
        (None, Some(org)) => (Some(org), None),
        other => other,
    };
    let (start_date, end_date) =
        o.date_range(cx, &["startDate", "start_date"], &["endDate", "end_date"]);
    let mut role = Role {
        title: title.unwrap_or_default(),
        organization,
        url: o.url(cx, &["url"]),
        location: o.text(cx, &["location"]),
        start_date,
        end_date,
        ..Role::default()
    };
    if let Some((p, v)) = o.pick(spec.description) {
        match v {
            Value::Array(_) => role.achievements.extend(texts(cx, &p, v)),
            _ => role.description = text(cx, &p, v),
        }
    }
    // A list pasted into the description (HTML `<li>` or `- ` lines) becomes real bullets.
    if let Some(d) = role.description.take() {
        let (text, items) = crate::markup::split_bullets(&d);
        role.description = text;
        role.achievements.extend(items);
    }
    if !spec.bullets.is_empty() {
        role.achievements.extend(o.texts(cx, spec.bullets));
    }
    role.technologies = o.texts(cx, &["technologies"]);
    if !spec.courses.is_empty() {
        role.courses = o.texts(cx, spec.courses);
    }
    o.finish(cx);
    has_text(&role).then_some(role)
}

/// Whether an entry has anything to print; empty entries are dropped.
fn has_text<T: serde::Serialize>(entry: &T) -> bool {
    serde_json::to_value(entry).is_ok_and(|v| any_text(&v))
}

/// Whether a serialized value holds a non-blank string anywhere.
fn any_text(v: &Value) -> bool {
    match v {
        Value::String(s) => !s.trim().is_empty(),
        Value::Array(a) => a.iter().any(any_text),
        Value::Object(o) => o.values().any(any_text),
        _ => false,
    }
}

fn education(cx: &mut Cx, _path: &str, e: Entry<'_>) -> Option<Education> {
    let mut o = match e {
        Entry::Text(degree) => {
            return Some(Education {
                degree,
                ..Education::default()
            });
        }
        Entry::Obj(o) => o,
    };
    let degree = expected(cx, &mut o, &["degree", "title", "qualification"]);
    let institution = expected(
        cx,
        &mut o,
        &["institution", "school", "university", "college"],
    );
    // Without a degree the institution heads the entry.
    let (degree, institution) = match (degree, institution) {
        (None, Some(inst)) => (Some(inst), None),
        other => other,
    };
    let (start_date, end_date) = o.date_range(
        cx,
        &["startDate", "start_date"],
        &["endDate", "end_date", "date", "graduationDate"],
    );
    let ed = Education {
        degree: degree.unwrap_or_default(),
        institution: institution.unwrap_or_default(),
        url: o.url(cx, &["url"]),
        location: o.text(cx, &["location"]),
        start_date,
        end_date,
        gpa: o.text(cx, &["gpa", "GPA"]),
        focus: o.text(cx, &["focus", "major", "specialization", "concentration"]),
        coursework: o.texts(
            cx,
            &["notableCourseWorks", "courses", "coursework", "details"],
        ),
        projects: o.texts(cx, &["projects", "academicProjects"]),
        honors: o.texts(cx, &["honors"]),
    };
    o.finish(cx);
    has_text(&ed).then_some(ed)
}

struct ProjectSpec {
    name: &'static [&'static str],
    description: &'static [&'static str],
    tools: &'static [&'static str],
    achievements: &'static [&'static str],
}

const PROJECT: ProjectSpec = ProjectSpec {
    name: &["name", "title", "project_name"],
    description: &["description", "summary", "desc"],
    tools: &["tools", "technologies", "tech_stack", "stack"],
    achievements: &["achievements", "accomplishments", "results", "outcomes"],
};
const OPEN_SOURCE: ProjectSpec = ProjectSpec {
    name: &["project", "name", "repository"],
    description: &["description", "summary"],
    tools: &["technologies", "tools"],
    achievements: &["contributions", "details", "achievements"],
};

fn project(cx: &mut Cx, _path: &str, e: Entry<'_>, spec: &ProjectSpec) -> Option<Project> {
    let mut o = match e {
        Entry::Text(name) => {
            return Some(Project {
                name,
                ..Project::default()
            });
        }
        Entry::Obj(o) => o,
    };
    let name = expected(cx, &mut o, spec.name);
    let description = o.pick(spec.description).and_then(|(p, v)| match v {
        Value::Array(_) => Some(texts(cx, &p, v).join("; ")).filter(|s| !s.is_empty()),
        _ => text(cx, &p, v),
    });
    let (description, mut bullets) = match description {
        Some(d) => crate::markup::split_bullets(&d),
        None => (None, Vec::new()),
    };
    bullets.extend(o.texts(cx, spec.achievements));
    let p = Project {
        name: name.unwrap_or_default(),
        url: o.url(cx, &["url", "link"]),
        description,
        start_date: o.loose_date(cx, &["startDate", "start_date"]),
        end_date: o.loose_date(cx, &["endDate", "end_date"]),
        tools: o.texts(cx, spec.tools),
        achievements: bullets,
    };
    o.finish(cx);
    has_text(&p).then_some(p)
}

/// The aliases of a titled-item section (publications, talks, awards, patents).
struct ItemSpec {
    title: &'static [&'static str],
    source: &'static [&'static str],
    date: &'static [&'static str],
}

const PUBLICATION: ItemSpec = ItemSpec {
    title: &["title", "name"],
    source: &["venue", "journal", "conference", "source"],
    date: &["date", "year", "published"],
};
const WRITING: ItemSpec = ItemSpec {
    title: &["title", "name"],
    source: &["platform", "publisher", "source"],
    date: &["date", "published", "year"],
};
const ARTICLE: ItemSpec = ItemSpec {
    title: &["title", "name"],
    source: &["venue", "platform", "publisher", "source"],
    date: &["date", "published_date", "year"],
};
const TALK: ItemSpec = ItemSpec {
    title: &["title", "name", "topic"],
    source: &["event", "conference", "venue", "source"],
    date: &["date", "year"],
};
const AWARD: ItemSpec = ItemSpec {
    title: &["title", "name", "award"],
    source: &["issuer", "organization", "from", "source"],
    date: &["date", "year"],
};
const PATENT: ItemSpec = ItemSpec {
    title: &["title", "name"],
    source: &["status", "source"],
    date: &["date", "year", "filed"],
};

fn items(cx: &mut Cx, path: &str, v: &Value, spec: &ItemSpec) -> Vec<Item> {
    list(cx, path, v, |cx, _, e| {
        let mut o = match e {
            Entry::Text(title) => {
                return Some(Item {
                    title,
                    ..Item::default()
                });
            }
            Entry::Obj(o) => o,
        };
        let title = expected(cx, &mut o, spec.title);
        let item = Item {
            title: title.unwrap_or_default(),
            source: o.text(cx, spec.source),
            authors: o.texts(cx, &["authors"]),
            date: o.loose_date(cx, spec.date),
            location: o.text(cx, &["location"]),
            url: o.url(cx, &["url", "link"]),
            doi: o.text(cx, &["doi"]),
            number: o.text(cx, &["patentNumber", "number"]),
            description: o.text(cx, &["description", "summary"]),
        };
        o.finish(cx);
        has_text(&item).then_some(item)
    })
}

/// The aliases of a short-note section (mentorship, languages, affiliations, industries).
struct NoteSpec {
    name: &'static [&'static str],
    detail: &'static [&'static str],
    description: &'static [&'static str],
    date: &'static [&'static str],
    /// Shown when the detail is absent (affiliations default to "Member").
    default_detail: Option<&'static str>,
    /// Appended to a numeric detail ("4" years → "4 years").
    unit: Option<&'static str>,
}

const MENTORSHIP: NoteSpec = NoteSpec {
    name: &["description", "summary", "details", "name"],
    detail: &["menteeCount", "detail"],
    description: &[],
    date: &["duration", "date"],
    default_detail: None,
    unit: Some("mentees"),
};
const LANGUAGE: NoteSpec = NoteSpec {
    name: &["language", "name"],
    detail: &["proficiency", "level", "fluency", "detail"],
    description: &[],
    date: &[],
    default_detail: None,
    unit: None,
};
const AFFILIATION: NoteSpec = NoteSpec {
    name: &["organization", "name"],
    detail: &["role", "detail"],
    description: &["description"],
    date: &["date", "year", "since"],
    default_detail: None,
    unit: None,
};
const INDUSTRY: NoteSpec = NoteSpec {
    name: &["name", "industry", "domain"],
    detail: &["years", "detail"],
    description: &["description"],
    date: &[],
    default_detail: None,
    unit: Some("years"),
};

fn notes(cx: &mut Cx, path: &str, v: &Value, spec: &NoteSpec) -> Vec<Note> {
    list(cx, path, v, |cx, _, e| {
        let mut o = match e {
            Entry::Text(name) => {
                return Some(Note {
                    name,
                    ..Note::default()
                });
            }
            Entry::Obj(o) => o,
        };
        let name = expected(cx, &mut o, spec.name);
        let detail = o.text(cx, spec.detail).map(|d| match spec.unit {
            Some(unit) if d.parse::<f64>().is_ok() => format!("{d} {unit}"),
            _ => d,
        });
        let note = Note {
            name: name.unwrap_or_default(),
            detail: detail.or(spec.default_detail.map(str::to_owned)),
            description: o.text(cx, spec.description),
            date: if spec.date.is_empty() {
                None
            } else {
                o.loose_date(cx, spec.date)
            },
        };
        o.finish(cx);
        has_text(&note).then_some(note)
    })
}

fn person(cx: &mut Cx, mut o: Obj<'_>, referral: bool) -> Option<Person> {
    let name_keys: &[&str] = if referral {
        &["name", "referralName"]
    } else {
        &["name", "referenceName"]
    };
    let name = expected(cx, &mut o, name_keys);
    let p = Person {
        name: name.unwrap_or_default(),
        title: o.text(cx, &["title", "position"]),
        company: o.text(cx, &["company", "organization"]),
        relationship: o.text(cx, &["relationship"]),
        email: o.text(cx, &["email"]),
        phone: o.text(cx, &["phone"]),
        statement: o.text(cx, &["statement", "reference", "quote"]),
    };
    o.finish(cx);
    has_text(&p).then_some(p)
}

/// Title-cases a map key: `programming_languages` → `Programming Languages`.
fn title_case(key: &str) -> String {
    key.replace('_', " ")
        .split_whitespace()
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Skills as a map of groups, a list of `{category, skills}`, or a flat list.
fn skill_groups(cx: &mut Cx, path: &str, v: &Value) -> Vec<SkillGroup> {
    match v {
        Value::Object(map) => map
            .iter()
            .filter_map(|(k, items)| {
                let skills = texts(cx, &join(path, k), items);
                (!skills.is_empty()).then(|| SkillGroup {
                    category: title_case(k),
                    skills,
                })
            })
            .collect(),
        _ => {
            let mut loose = Vec::new();
            let mut groups = list(cx, path, v, |cx, _, e| match e {
                Entry::Text(t) => {
                    loose.push(t);
                    None
                }
                Entry::Obj(mut o) => {
                    let category = o
                        .text(cx, &["category", "name", "type"])
                        .unwrap_or_default();
                    let skills = o.texts(cx, &["skills", "items", "technologies", "keywords"]);
                    o.finish(cx);
                    (!skills.is_empty()).then_some(SkillGroup { category, skills })
                }
            });
            if !loose.is_empty() {
                groups.insert(
                    0,
                    SkillGroup {
                        category: String::new(),
                        skills: loose,
                    },
                );
            }
            groups
        }
    }
}

fn skills_matrix(cx: &mut Cx, path: &str, v: &Value) -> SkillsMatrix {
    let Some(mut o) = Obj::from_value(cx, path, v) else {
        return SkillsMatrix::default();
    };
    let m = SkillsMatrix {
        expert: o.texts(cx, &["expert"]),
        advanced: o.texts(cx, &["advanced"]),
        intermediate: o.texts(cx, &["intermediate"]),
        familiar: o.texts(cx, &["familiar"]),
        beginner: o.texts(cx, &["beginner"]),
    };
    o.finish(cx);
    m
}

/// Certifications as a list (of text, objects, or `{category, items}` groups) or a map of groups.
fn certifications(cx: &mut Cx, path: &str, v: &Value) -> Vec<Certification> {
    match v {
        Value::Object(map) => map
            .iter()
            .flat_map(|(k, items)| {
                certification_list(cx, &join(path, k), items, Some(&title_case(k)))
            })
            .collect(),
        _ => certification_list(cx, path, v, None),
    }
}

fn certification_list(
    cx: &mut Cx,
    path: &str,
    v: &Value,
    category: Option<&str>,
) -> Vec<Certification> {
    let groups = list(cx, path, v, |cx, _, e| match e {
        Entry::Text(name) => Some(vec![Certification {
            name,
            category: category.map(str::to_owned),
            ..Certification::default()
        }]),
        // The two-column template's grouped form: {category, items: [...]}.
        Entry::Obj(mut o) if o.map.contains_key("items") => {
            let group = o.text(cx, &["category", "name"]);
            let inner = o.pick(&["items"]);
            o.finish(cx);
            Some(
                inner
                    .map(|(p, v)| certification_list(cx, &p, v, group.as_deref()))
                    .unwrap_or_default(),
            )
        }
        Entry::Obj(mut o) => {
            let name = expected(cx, &mut o, &["name", "title", "certification"]);
            let c = Certification {
                name: name.unwrap_or_default(),
                issuer: o.text(cx, &["issuer", "organization", "authority"]),
                date: o.loose_date(cx, &["date", "year"]),
                expiry: o.loose_date(cx, &["expiry", "expires", "expiryDate"]),
                credential_id: o.text(cx, &["credential_id", "credentialId"]),
                url: o.url(cx, &["url", "link", "href"]),
                category: o
                    .text(cx, &["category"])
                    .or_else(|| category.map(str::to_owned)),
            };
            o.finish(cx);
            Some(if has_text(&c) { vec![c] } else { Vec::new() })
        }
    });
    groups.into_iter().flatten().collect()
}

fn cover_letter(cx: &mut Cx, mut root: Obj<'_>, today: CivilDate, l: Locale) -> CoverLetter {
    let personal_info = personal_info(cx, &mut root, Origin::Native);
    let recipient = root.pick(&["recipient"]).and_then(|(p, v)| {
        let mut o = Obj::from_value(cx, &p, v)?;
        let r = Recipient {
            name: o.text(cx, &["name"]),
            title: o.text(cx, &["title"]),
            company: o.text(cx, &["company"]),
            department: o.text(cx, &["department"]),
            address: o.texts(cx, &["address"]),
            street: o.text(cx, &["street"]),
            city: o.text(cx, &["city"]),
            state: o.text(cx, &["state"]),
            zip: o.text(cx, &["zip", "postalCode"]),
            country: o.text(cx, &["country"]),
        };
        o.finish(cx);
        Some(r)
    });
    let date = root
        .text(cx, &["date"])
        .unwrap_or_else(|| l.long_date(today));
    let salutation = root.text(cx, &["salutation"]).unwrap_or_else(|| {
        let r = recipient.as_ref();
        match (
            r.and_then(|r| r.name.as_ref()),
            r.and_then(|r| r.title.as_ref()),
            r.and_then(|r| r.company.as_ref()),
        ) {
            (Some(n), _, _) | (None, Some(n), _) => {
                l.get("letter.salutation_name").replace("{name}", n)
            }
            (None, None, Some(c)) => l.get("letter.salutation_company").replace("{company}", c),
            _ => l.get("letter.salutation").to_owned(),
        }
    });
    let body = match root.pick(&["body"]) {
        Some((p, v @ Value::Array(_))) => texts(cx, &p, v),
        Some((p, v)) => text(cx, &p, v).map(|t| paragraphs(&t)).unwrap_or_default(),
        None => {
            cx.warn(
                ErrorCode::VAL001,
                &join(&root.path, "body"),
                "the cover letter has no 'body'; only its header and closing are printed",
            );
            Vec::new()
        }
    };
    let closing = root
        .text(cx, &["closing"])
        .unwrap_or_else(|| l.get("letter.closing").to_owned());
    root.finish(cx);
    CoverLetter {
        personal_info,
        recipient,
        date,
        salutation,
        body,
        closing,
    }
}

/// Splits text into paragraphs at blank lines.
fn paragraphs(t: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in t.lines() {
        if line.trim().is_empty() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else {
            if !cur.is_empty() {
                cur.push(' ');
            }
            cur.push_str(line.trim());
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests;
