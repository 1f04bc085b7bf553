//! The canonical, normalized document model.
//!
//! Every key here is the reference service's primary key for that field; aliases and
//! alternative shapes (a string where an object is usual, a map where a list is usual) are
//! resolved by [`crate::normalize`] into this one form. Serializing a model gives valid input
//! again, and the JSON Schema served at `/schema/{type}` is generated from these types.
//! Dates are stored in canonical form (`2021-03`, `Present`) and formatted by the templates.

#![allow(missing_docs)] // Field names are the documented reference keys; see the schema.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A document of either type, after normalization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Document {
    Resume(Box<Resume>),
    CoverLetter(Box<CoverLetter>),
}

impl Document {
    /// The contact details, which both document types have.
    pub fn personal_info(&self) -> &PersonalInfo {
        match self {
            Document::Resume(r) => &r.personal_info,
            Document::CoverLetter(c) => &c.personal_info,
        }
    }
}

/// The two kinds of document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentType {
    Resume,
    CoverLetter,
}

impl DocumentType {
    /// Every document type.
    pub const ALL: [DocumentType; 2] = [DocumentType::Resume, DocumentType::CoverLetter];

    /// The wire name: `resume` or `cover_letter`.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentType::Resume => "resume",
            DocumentType::CoverLetter => "cover_letter",
        }
    }

    /// Parses the wire name, ignoring case and accepting `-` or a space for `_`.
    pub fn parse(s: &str) -> Option<Self> {
        let wanted = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Self::ALL.into_iter().find(|t| t.as_str() == wanted)
    }
}

/// Page density: margins and vertical spacing, with the reference's exact lengths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SpacingMode {
    Normal,
    #[default]
    Compact,
    UltraCompact,
}

impl SpacingMode {
    /// Every mode, roomiest first.
    pub const ALL: [SpacingMode; 3] = [
        SpacingMode::Normal,
        SpacingMode::Compact,
        SpacingMode::UltraCompact,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            SpacingMode::Normal => "normal",
            SpacingMode::Compact => "compact",
            SpacingMode::UltraCompact => "ultra-compact",
        }
    }

    /// Parses a mode case-insensitively, accepting `_` or no separator for ultra-compact.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "normal" => Some(SpacingMode::Normal),
            "compact" => Some(SpacingMode::Compact),
            "ultra-compact" | "ultracompact" => Some(SpacingMode::UltraCompact),
            _ => None,
        }
    }

    /// Lines per page used by the reference's page estimate (§1.6).
    pub fn lines_per_page(self) -> u32 {
        match self {
            SpacingMode::Normal => 45,
            SpacingMode::Compact => 52,
            SpacingMode::UltraCompact => 58,
        }
    }
}

/// Contact details shared by résumés and cover letters.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PersonalInfo {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Professional title shown under the name (aliases: headline, professionalTitle).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    #[serde(
        default,
        rename = "website_display",
        skip_serializing_if = "Option::is_none"
    )]
    pub website_display: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linkedin: Option<String>,
    #[serde(
        default,
        rename = "linkedin_display",
        skip_serializing_if = "Option::is_none"
    )]
    pub linkedin_display: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub github: Option<String>,
    #[serde(
        default,
        rename = "github_display",
        skip_serializing_if = "Option::is_none"
    )]
    pub github_display: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub twitter: Option<String>,
    #[serde(
        default,
        rename = "twitter_display",
        skip_serializing_if = "Option::is_none"
    )]
    pub twitter_display: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<String>,
    #[serde(default, rename = "x_display", skip_serializing_if = "Option::is_none")]
    pub x_display: Option<String>,
    /// Other profiles (Stack Overflow, Behance, Mastodon…), shown after the fixed links.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub profiles: Vec<Profile>,
    /// A photo: a PNG or JPEG `data:` URI of at most 512 KB and 4000 × 4000 pixels
    /// (`data:image/jpeg;base64,…`). An `http(s)` address is never fetched: it is left out
    /// with a warning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>")]
    pub photo: Option<crate::photo::Photo>,
}

/// A profile on a network the templates have no slot of their own for.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Profile {
    /// The network's name, as written (`Stack Overflow`).
    pub network: String,
    /// The profile's address, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The user name, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
}

impl Profile {
    /// How the contact line shows it: `Network: username`, else `Network: address` (without
    /// its scheme), so both the network's name and the profile read in the text.
    pub fn shown(&self) -> String {
        match (&self.username, &self.url) {
            (Some(u), _) if self.network.is_empty() => u.clone(),
            (Some(u), _) => format!("{}: {u}", self.network),
            (None, Some(url)) => {
                let s = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
                let s = s.strip_prefix("www.").unwrap_or(s).trim_end_matches('/');
                if self.network.is_empty() {
                    s.to_owned()
                } else {
                    format!("{}: {s}", self.network)
                }
            }
            (None, None) => self.network.clone(),
        }
    }
}

/// A named group of skills.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SkillGroup {
    /// Group name; empty for an ungrouped list.
    #[serde(default)]
    pub category: String,
    pub skills: Vec<String>,
}

/// Skills by proficiency, always shown in this order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SkillsMatrix {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expert: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub advanced: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub intermediate: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub familiar: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub beginner: Vec<String>,
}

impl SkillsMatrix {
    /// Whether no level has any skill.
    pub fn is_empty(&self) -> bool {
        self.levels().iter().all(|(_, s)| s.is_empty())
    }

    /// The levels in display order with their translation keys (`level.expert`…).
    pub fn levels(&self) -> [(&'static str, &Vec<String>); 5] {
        [
            ("level.expert", &self.expert),
            ("level.advanced", &self.advanced),
            ("level.intermediate", &self.intermediate),
            ("level.familiar", &self.familiar),
            ("level.beginner", &self.beginner),
        ]
    }

    /// The non-empty levels with their titles in a locale.
    pub fn titled(&self, l: crate::i18n::Locale) -> Vec<(&'static str, &Vec<String>)> {
        self.levels()
            .into_iter()
            .filter(|(_, s)| !s.is_empty())
            .map(|(k, s)| (l.get(k), s))
            .collect()
    }
}

/// A job, a leadership role, research or teaching position: a titled, dated entry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Role {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub achievements: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub technologies: Vec<String>,
    /// Courses taught (teaching entries).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub courses: Vec<String>,
}

/// A degree.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Education {
    pub degree: String,
    pub institution: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    /// End or graduation date (aliases: end_date, date, graduationDate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gpa: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focus: Option<String>,
    /// Courses (aliases: notableCourseWorks, courses, coursework, details).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub coursework: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub projects: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub honors: Vec<String>,
}

/// A course with an optional description.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Course {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A project or an open-source contribution.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Project {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    /// Tools used (aliases: technologies, tech_stack, stack).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<String>,
    /// Achievements, or contributions for open-source entries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub achievements: Vec<String>,
}

/// A publication, article, talk, award, patent: a titled item with a date and a source.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Item {
    pub title: String,
    /// Venue, platform, event, issuer or status, depending on the section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
    /// Patent number, for patents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// A one-line summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A certification.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Certification {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry: Option<String>,
    #[serde(
        default,
        rename = "credential_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub credential_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Group name when certifications were sent as a map of groups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
}

impl Certification {
    /// What is shown after the name, in order, each when present: the issuer, the date,
    /// `expires …` and `ID …` in a locale (the PDF, DOCX and text formats all print these).
    pub fn facts(&self, l: crate::i18n::Locale) -> Vec<String> {
        let date = self.date.as_deref().map(|d| crate::dates::display_in(d, l));
        let expiry = self.expiry.as_deref().map(|e| {
            format!(
                "{} {}",
                l.get("label.expires"),
                crate::dates::display_in(e, l)
            )
        });
        let id = self
            .credential_id
            .as_ref()
            .map(|i| format!("{} {i}", l.get("label.id")));
        [self.issuer.clone(), date, expiry, id]
            .into_iter()
            .flatten()
            .collect()
    }
}

/// A short entry with an optional detail line: mentorship, affiliation, language, industry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Note {
    pub name: String,
    /// Role, proficiency, duration or years, depending on the section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

/// A person: a referral or a reference.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Person {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relationship: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// What the person says about the candidate (a reference's testimonial).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
}

/// A résumé: personal info plus up to 28 sections, in the classic template's order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Resume {
    pub personal_info: PersonalInfo,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub professional_summary: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub core_competencies: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub leadership_experience: Vec<Role>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub experience: Vec<Role>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub education: Vec<Education>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relevant_coursework: Vec<Course>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub technical_skills: Vec<SkillGroup>,
    #[serde(default, skip_serializing_if = "SkillsMatrix::is_empty")]
    pub skills_matrix: SkillsMatrix,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub technologies_and_skills: Vec<SkillGroup>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub projects: Vec<Project>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub open_source_contributions: Vec<Project>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub research_experience: Vec<Role>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub publications: Vec<Item>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub technical_writing: Vec<Item>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub articles_and_publications: Vec<Item>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub speaking_engagements: Vec<Item>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub awards_and_honors: Vec<Item>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub achievements: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub certifications: Vec<Certification>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teaching_experience: Vec<Role>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mentorship: Vec<Note>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volunteering: Vec<Role>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<Note>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub professional_affiliations: Vec<Note>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub patents: Vec<Item>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub industry_expertise: Vec<Note>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interests: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral: Option<Person>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Person>,
    /// A sentence such as "References available upon request."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub references_available: Option<String>,
    /// Sections the schema does not have, each with a title of its own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub custom_sections: Vec<CustomSection>,
}

/// A titled section of the document's own: dated entries, a list of items, or both.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CustomSection {
    /// The name `section_order`, `hidden_sections` and `section_titles` use; defaults to the
    /// title in lower case with dashes (`Volunteer Work` → `volunteer-work`).
    pub key: String,
    /// The heading, printed as written.
    pub title: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entries: Vec<CustomEntry>,
    /// Plain items, printed as bullets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<String>,
}

/// An entry of a custom section, shaped like a job: a heading line with dates, a subtitle
/// line with a place, a description and bullets.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CustomEntry {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    /// The end date, or the one date of a dated item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bullets: Vec<String>,
}

/// The addressee of a cover letter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Recipient {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// Address lines.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub address: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zip: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

impl Recipient {
    /// The address block, one line each, in the reference's order.
    pub fn lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = [&self.name, &self.title, &self.company, &self.department]
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        lines.extend(self.address.iter().cloned());
        lines.extend(self.street.iter().cloned());
        let city_state = [&self.city, &self.state]
            .into_iter()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        let place = match (&self.zip, city_state.is_empty()) {
            (Some(z), false) => format!("{city_state} {z}"),
            (Some(z), true) => z.clone(),
            (None, _) => city_state,
        };
        if !place.is_empty() {
            lines.push(place);
        }
        lines.extend(self.country.iter().cloned());
        lines
    }
}

/// A cover letter, with every default filled in.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CoverLetter {
    pub personal_info: PersonalInfo,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<Recipient>,
    /// Shown verbatim; defaults to the request day (UTC) as "March 14, 2025".
    pub date: String,
    pub salutation: String,
    /// Paragraphs.
    pub body: Vec<String>,
    pub closing: String,
}
