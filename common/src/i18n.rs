//! Locales: the words the service prints itself (section titles, labels, month names,
//! "Present", the cover letter's defaults, the page footer) in every supported language.
//!
//! Every string lives in one table, `i18n/translations.json` (locale → key → text), embedded at
//! build time so the Worker and the origin print the same words. A test checks that every key
//! exists in every locale with the same placeholders. The person's own words are never
//! translated; only what the templates add around them.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::dates::CivilDate;

/// A language the service prints its own words in.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Default,
    Serialize,
    Deserialize,
    PartialOrd,
    Ord,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    /// English.
    #[default]
    En,
    /// German.
    De,
    /// French.
    Fr,
    /// Spanish.
    Es,
    /// Portuguese.
    Pt,
    /// Italian.
    It,
    /// Dutch.
    Nl,
    /// Polish.
    Pl,
    /// Czech.
    Cs,
    /// Swedish.
    Sv,
    /// Danish.
    Da,
    /// Norwegian (Bokmål).
    Nb,
    /// Finnish.
    Fi,
    /// Turkish.
    Tr,
    /// Romanian.
    Ro,
    /// Hungarian.
    Hu,
    /// Greek.
    El,
    /// Russian.
    Ru,
    /// Ukrainian.
    Uk,
    /// Chinese (Simplified).
    Zh,
    /// Japanese.
    Ja,
    /// Korean.
    Ko,
}

/// The table: locale code → key → text.
const TABLE: &str = include_str!("i18n/translations.json");

type Strings = HashMap<String, String>;

fn table() -> &'static HashMap<String, Strings> {
    static T: OnceLock<HashMap<String, Strings>> = OnceLock::new();
    T.get_or_init(|| serde_json::from_str(TABLE).expect("the translation table is valid JSON"))
}

/// Language names and other spellings people send for a locale (compared in lower case).
const NAMES: &[(&str, Locale)] = &[
    ("english", Locale::En),
    ("german", Locale::De),
    ("deutsch", Locale::De),
    ("french", Locale::Fr),
    ("français", Locale::Fr),
    ("francais", Locale::Fr),
    ("spanish", Locale::Es),
    ("español", Locale::Es),
    ("espanol", Locale::Es),
    ("portuguese", Locale::Pt),
    ("português", Locale::Pt),
    ("italian", Locale::It),
    ("italiano", Locale::It),
    ("dutch", Locale::Nl),
    ("nederlands", Locale::Nl),
    ("polish", Locale::Pl),
    ("polski", Locale::Pl),
    ("czech", Locale::Cs),
    ("čeština", Locale::Cs),
    ("swedish", Locale::Sv),
    ("svenska", Locale::Sv),
    ("danish", Locale::Da),
    ("dansk", Locale::Da),
    ("norwegian", Locale::Nb),
    ("norsk", Locale::Nb),
    ("no", Locale::Nb),
    ("nn", Locale::Nb),
    ("finnish", Locale::Fi),
    ("suomi", Locale::Fi),
    ("turkish", Locale::Tr),
    ("türkçe", Locale::Tr),
    ("romanian", Locale::Ro),
    ("română", Locale::Ro),
    ("hungarian", Locale::Hu),
    ("magyar", Locale::Hu),
    ("greek", Locale::El),
    ("ελληνικά", Locale::El),
    ("russian", Locale::Ru),
    ("русский", Locale::Ru),
    ("ukrainian", Locale::Uk),
    ("українська", Locale::Uk),
    ("chinese", Locale::Zh),
    ("中文", Locale::Zh),
    ("japanese", Locale::Ja),
    ("日本語", Locale::Ja),
    ("korean", Locale::Ko),
    ("한국어", Locale::Ko),
];

impl Locale {
    /// Every locale, English first.
    pub const ALL: [Locale; 22] = [
        Locale::En,
        Locale::De,
        Locale::Fr,
        Locale::Es,
        Locale::Pt,
        Locale::It,
        Locale::Nl,
        Locale::Pl,
        Locale::Cs,
        Locale::Sv,
        Locale::Da,
        Locale::Nb,
        Locale::Fi,
        Locale::Tr,
        Locale::Ro,
        Locale::Hu,
        Locale::El,
        Locale::Ru,
        Locale::Uk,
        Locale::Zh,
        Locale::Ja,
        Locale::Ko,
    ];

    /// The code: `en`, `de`, …
    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::De => "de",
            Locale::Fr => "fr",
            Locale::Es => "es",
            Locale::Pt => "pt",
            Locale::It => "it",
            Locale::Nl => "nl",
            Locale::Pl => "pl",
            Locale::Cs => "cs",
            Locale::Sv => "sv",
            Locale::Da => "da",
            Locale::Nb => "nb",
            Locale::Fi => "fi",
            Locale::Tr => "tr",
            Locale::Ro => "ro",
            Locale::Hu => "hu",
            Locale::El => "el",
            Locale::Ru => "ru",
            Locale::Uk => "uk",
            Locale::Zh => "zh",
            Locale::Ja => "ja",
            Locale::Ko => "ko",
        }
    }

    /// Every code, for messages and schemas.
    pub fn codes() -> Vec<&'static str> {
        Self::ALL.iter().map(|l| l.code()).collect()
    }

    /// Reads a locale as people write it: a code (`de`), a language tag (`de-DE`, `pt_BR`,
    /// `zh-Hant-TW`: the language decides) or a language's name (`German`, `Deutsch`).
    pub fn parse(s: &str) -> Option<Self> {
        let lower = s.trim().to_lowercase();
        let lang = lower.split(['-', '_', '.', '@']).next().unwrap_or_default();
        Self::ALL
            .into_iter()
            .find(|l| l.code() == lang)
            .or_else(|| {
                NAMES
                    .iter()
                    .find(|(n, _)| *n == lower || *n == lang)
                    .map(|(_, l)| *l)
            })
    }

    /// The text of a key. Keys are the template's own; a missing one is a bug the table test
    /// catches, so it prints as the key rather than failing a document.
    pub fn get(self, key: &str) -> &'static str {
        table()
            .get(self.code())
            .and_then(|t| t.get(key))
            .map_or("", String::as_str)
    }

    /// A month's abbreviation (1–12) as the month-and-year display uses it.
    pub fn month_short(self, month: u8) -> &'static str {
        nth(self.get("months.short"), month)
    }

    /// A month's name (1–12) in the form a full date uses (`März`, `marca`, `marzo`).
    pub fn month_long(self, month: u8) -> &'static str {
        nth(self.get("months.long"), month)
    }

    /// `Mar 2021`, `März 2021`, `2021年3月`.
    pub fn month_year(self, year: i32, month: u8) -> String {
        self.get("date.month_year")
            .replace("{mon}", self.month_short(month))
            .replace("{year}", &year.to_string())
    }

    /// The long date a letter carries: `March 14, 2025`, `14. März 2025`, `2025年3月14日`.
    pub fn long_date(self, d: CivilDate) -> String {
        self.get("date.long")
            .replace("{month}", self.month_long(d.month))
            .replace("{day}", &d.day.to_string())
            .replace("{year}", &d.year.to_string())
    }

    /// "Present" in this language.
    pub fn present(self) -> &'static str {
        self.get("present")
    }

    /// Whether the locale's words need the XeTeX engine (Chinese, Japanese, Korean).
    pub fn needs_xetex(self) -> bool {
        matches!(self, Locale::Zh | Locale::Ja | Locale::Ko)
    }

    /// The Noto CJK face for the locale's own words, when it has one.
    pub fn cjk_face(self) -> Option<&'static str> {
        match self {
            Locale::Zh => Some("SC"),
            Locale::Ja => Some("JP"),
            Locale::Ko => Some("KR"),
            _ => None,
        }
    }

    /// The page footer split around its page number and total: `(before, middle, after)`,
    /// with `{name}` filled in. Every locale puts the page before the total (tested).
    pub fn footer(self, name: &str) -> (String, String, String) {
        let pattern = self.get("page.footer").replace("{name}", name);
        let (before, rest) = pattern.split_once("{page}").unwrap_or((&pattern, ""));
        let (middle, after) = rest.split_once("{total}").unwrap_or((rest, ""));
        (before.to_owned(), middle.to_owned(), after.to_owned())
    }
}

fn nth(list: &'static str, month: u8) -> &'static str {
    list.split('|')
        .nth(usize::from(month.clamp(1, 12)) - 1)
        .unwrap_or_default()
}

/// The labels the templates print inside sections, for one locale (a template's `t`).
#[derive(Debug, Clone, Serialize)]
#[allow(missing_docs)] // Each field is the label of the same name.
pub struct Labels {
    /// The locale's code, which the templates pass to the date filters.
    pub locale: &'static str,
    pub courses: &'static str,
    pub projects: &'static str,
    pub honors: &'static str,
    pub focus: &'static str,
    pub gpa: &'static str,
    pub technologies: &'static str,
    pub tools: &'static str,
    pub expires: &'static str,
    pub id: &'static str,
    pub doi: &'static str,
    pub referred_by: &'static str,
}

impl Labels {
    /// The labels of a locale.
    pub fn of(l: Locale) -> Self {
        Labels {
            locale: l.code(),
            courses: l.get("label.courses"),
            projects: l.get("label.projects"),
            honors: l.get("label.honors"),
            focus: l.get("label.focus"),
            gpa: l.get("label.gpa"),
            technologies: l.get("label.technologies"),
            tools: l.get("label.tools"),
            expires: l.get("label.expires"),
            id: l.get("label.id"),
            doi: l.get("label.doi"),
            referred_by: l.get("label.referred_by"),
        }
    }
}

/// Every key the English table has, sorted: the keys every locale must have.
pub fn keys() -> Vec<&'static str> {
    let mut k: Vec<&str> = table()["en"].keys().map(String::as_str).collect();
    k.sort_unstable();
    k
}

/// The raw table of one locale, for the completeness test.
#[cfg(test)]
pub(crate) fn strings(l: Locale) -> &'static Strings {
    &table()[l.code()]
}

#[cfg(test)]
mod tests;
