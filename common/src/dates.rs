//! Parsing and display of the dates users write on résumés.
//!
//! Accepts the reference's formats (`YYYY-MM`, `MM-YYYY`, `YYYY-MM-DD`, `MM-DD-YYYY`,
//! `Present`) plus `YYYY`, `MM/YYYY`, `YYYY.MM(.DD)`, `DD.MM.YYYY`, `2018年3月`, `2018년 3월`,
//! one-digit months, month names and "present" words in the languages of [`MONTH_NAMES`] and
//! [`PRESENT_WORDS`], and (through [`parse_range`]) a whole range written in one field. A parsed date is stored in a
//! canonical form (`2021-03`, `2021`, `2021-03-05`, `Present`) and shown as `Mar 2021`.

use crate::i18n::Locale;
use std::fmt;

/// A date as written on a résumé: a year with optional month and day, or "Present".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ResumeDate {
    /// A calendar date of year, month or day precision.
    Date {
        /// The year.
        year: u16,
        /// The month (1–12), if given.
        month: Option<u8>,
        /// The day of the month, if given.
        day: Option<u8>,
    },
    /// Ongoing.
    Present,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Month names in every language the templates are used in, full forms (and the genitive or
/// inflected forms dates are written with, e.g. Polish `stycznia`, Russian `января`). Short
/// forms are matched as prefixes of at least three letters.
const MONTH_NAMES: [&[&str]; 12] = [
    &[
        "january",
        "januar",
        "jänner",
        "janvier",
        "enero",
        "janeiro",
        "gennaio",
        "januari",
        "styczeń",
        "stycznia",
        "leden",
        "ledna",
        "ocak",
        "ianuarie",
        "január",
        "tammikuu",
        "tammikuuta",
        "январь",
        "января",
        "січень",
        "січня",
        "ιανουάριος",
        "ιανουαρίου",
        "janvāris",
        "sausis",
        "siječanj",
        "siječnja",
    ],
    &[
        "february",
        "februar",
        "février",
        "febrero",
        "fevereiro",
        "febbraio",
        "februari",
        "luty",
        "lutego",
        "únor",
        "února",
        "şubat",
        "februarie",
        "február",
        "helmikuu",
        "helmikuuta",
        "февраль",
        "февраля",
        "лютий",
        "лютого",
        "φεβρουάριος",
        "φεβρουαρίου",
        "februāris",
        "vasaris",
        "veljača",
        "veljače",
    ],
    &[
        "march",
        "märz",
        "mars",
        "marzo",
        "março",
        "maart",
        "marzec",
        "marca",
        "březen",
        "března",
        "mart",
        "martie",
        "március",
        "marts",
        "maaliskuu",
        "maaliskuuta",
        "март",
        "марта",
        "березень",
        "березня",
        "μάρτιος",
        "μαρτίου",
        "mrz",
        "kovas",
        "ožujak",
        "ožujka",
        "mrt",
    ],
    &[
        "april",
        "avril",
        "abril",
        "aprile",
        "kwiecień",
        "kwietnia",
        "duben",
        "dubna",
        "nisan",
        "aprilie",
        "április",
        "huhtikuu",
        "huhtikuuta",
        "апрель",
        "апреля",
        "квітень",
        "квітня",
        "απρίλιος",
        "απριλίου",
        "aprīlis",
        "balandis",
        "travanj",
        "travnja",
    ],
    &[
        "may",
        "mai",
        "mayo",
        "maio",
        "maggio",
        "mei",
        "maj",
        "maja",
        "květen",
        "května",
        "mayıs",
        "május",
        "toukokuu",
        "toukokuuta",
        "май",
        "мая",
        "травень",
        "травня",
        "μάιος",
        "μαΐου",
        "μαΐος",
        "maijs",
        "gegužė",
        "svibanj",
        "svibnja",
    ],
    &[
        "june",
        "juni",
        "juin",
        "junio",
        "junho",
        "giugno",
        "czerwiec",
        "czerwca",
        "červen",
        "června",
        "haziran",
        "iunie",
        "június",
        "kesäkuu",
        "kesäkuuta",
        "июнь",
        "июня",
        "червень",
        "червня",
        "ιούνιος",
        "ιουνίου",
        "jūnijs",
        "birželis",
        "lipanj",
        "lipnja",
    ],
    &[
        "july",
        "juli",
        "juillet",
        "julio",
        "julho",
        "luglio",
        "lipiec",
        "lipca",
        "červenec",
        "července",
        "temmuz",
        "iulie",
        "július",
        "heinäkuu",
        "heinäkuuta",
        "июль",
        "июля",
        "липень",
        "липня",
        "ιούλιος",
        "ιουλίου",
        "jūlijs",
        "liepa",
        "srpanj",
        "srpnja",
    ],
    &[
        "august",
        "août",
        "agosto",
        "augustus",
        "sierpień",
        "sierpnia",
        "srpen",
        "srpna",
        "ağustos",
        "augusti",
        "augusztus",
        "elokuu",
        "elokuuta",
        "август",
        "августа",
        "серпень",
        "серпня",
        "αύγουστος",
        "αυγούστου",
        "augusts",
        "rugpjūtis",
        "kolovoz",
        "kolovoza",
    ],
    &[
        "september",
        "septembre",
        "septiembre",
        "setiembre",
        "setembro",
        "settembre",
        "wrzesień",
        "września",
        "září",
        "eylül",
        "septembrie",
        "szeptember",
        "syyskuu",
        "syyskuuta",
        "сентябрь",
        "сентября",
        "вересень",
        "вересня",
        "σεπτέμβριος",
        "σεπτεμβρίου",
        "sept",
        "septembris",
        "rugsėjis",
        "rujan",
        "rujna",
    ],
    &[
        "october",
        "oktober",
        "octobre",
        "octubre",
        "outubro",
        "ottobre",
        "październik",
        "października",
        "říjen",
        "října",
        "ekim",
        "octombrie",
        "október",
        "lokakuu",
        "lokakuuta",
        "октябрь",
        "октября",
        "жовтень",
        "жовтня",
        "οκτώβριος",
        "οκτωβρίου",
        "oktobris",
        "spalis",
    ],
    &[
        "november",
        "novembre",
        "noviembre",
        "novembro",
        "listopad",
        "listopada",
        "listopadu",
        "kasım",
        "noiembrie",
        "marraskuu",
        "marraskuuta",
        "ноябрь",
        "ноября",
        "листопад",
        "листопада",
        "νοέμβριος",
        "νοεμβρίου",
        "novembris",
        "lapkritis",
        "studeni",
        "studenog",
    ],
    &[
        "december",
        "dezember",
        "décembre",
        "diciembre",
        "dezembro",
        "dicembre",
        "grudzień",
        "grudnia",
        "prosinec",
        "prosince",
        "aralık",
        "decembrie",
        "joulukuu",
        "joulukuuta",
        "декабрь",
        "декабря",
        "грудень",
        "грудня",
        "δεκέμβριος",
        "δεκεμβρίου",
        "decembris",
        "gruodis",
        "prosinac",
        "prosinca",
    ],
];

/// Words for "until now" in the supported languages (compared in lower case, without a final
/// period).
const PRESENT_WORDS: &[&str] = &[
    "present",
    "current",
    "currently",
    "now",
    "ongoing",
    "today",
    "to date",
    "till date",
    "till now",
    "until now",
    "to present",
    "present day",
    "present time",
    "heute",
    "aktuell",
    "derzeit",
    "jetzt",
    "bis heute",
    "laufend",
    "gegenwart",
    "dato",
    "bis dato",
    "présent",
    "actuel",
    "actuellement",
    "aujourd'hui",
    "aujourd’hui",
    "en cours",
    "à ce jour",
    "ce jour",
    "actualidad",
    "actual",
    "actualmente",
    "presente",
    "hoy",
    "la actualidad",
    "en curso",
    "atual",
    "atualmente",
    "o momento",
    "agora",
    "hoje",
    "em curso",
    "oggi",
    "in corso",
    "attuale",
    "attualmente",
    "ad oggi",
    "heden",
    "nu",
    "huidig",
    "tot heden",
    "heden ten dage",
    "obecnie",
    "teraz",
    "do dziś",
    "do dzisiaj",
    "do teraz",
    "dziś",
    "nadal",
    "obecny",
    "současnost",
    "dosud",
    "nyní",
    "doposud",
    "trvá",
    "súčasnosť",
    "doteraz",
    "pågående",
    "nuvarande",
    "idag",
    "i dag",
    "nå",
    "dags dato",
    "nu",
    "nykyinen",
    "nyt",
    "tähän asti",
    "jatkuu",
    "günümüz",
    "halen",
    "devam ediyor",
    "şimdi",
    "hâlen",
    "bugün",
    "prezent",
    "în prezent",
    "până în prezent",
    "azi",
    "jelenleg",
    "napjainkig",
    "jelen",
    "folyamatban",
    "настоящее время",
    "по настоящее время",
    "н.в",
    "н. в",
    "наст. время",
    "сейчас",
    "теперь",
    "по н.в",
    "до сих пор",
    "текущее время",
    "теперішній час",
    "по теперішній час",
    "тепер",
    "дотепер",
    "зараз",
    "досі",
    "σήμερα",
    "έως σήμερα",
    "τώρα",
    "παρόν",
    "μέχρι σήμερα",
    "至今",
    "现在",
    "現在",
    "目前",
    "今",
    "現職",
    "在職中",
    "在职",
    "至今在职",
    "今日",
    "現在まで",
    "在籍中",
    "현재",
    "재직중",
    "재직 중",
    "현재까지",
    "nay",
    "hiện tại",
    "hiện nay",
    "đến nay",
    "šobrīd",
    "tagad",
    "līdz šim",
    "dabar",
    "iki dabar",
    "praegu",
    "tänaseni",
    "danas",
    "do danas",
    "trenutno",
    "sadašnjost",
];

fn month_from_name(s: &str) -> Option<u8> {
    let lower = s.trim_end_matches('.').to_lowercase();
    if lower.chars().count() < 3 {
        return None;
    }
    // A full name (or inflected form) wins; otherwise a prefix of at least three letters,
    // when every month it could abbreviate is the same one.
    if let Some(m) = MONTH_NAMES
        .iter()
        .position(|names| names.contains(&lower.as_str()))
    {
        return Some(m as u8 + 1);
    }
    // English short forms first ("Mar" is March, though Finnish "marraskuu" starts so too).
    if let Some(m) = MONTH_NAMES
        .iter()
        .position(|names| names[0].starts_with(&lower))
    {
        return Some(m as u8 + 1);
    }
    let mut found = None;
    for (m, names) in MONTH_NAMES.iter().enumerate() {
        if names.iter().any(|n| n.starts_with(&lower)) {
            if found.is_some_and(|f| f != m) {
                return None;
            }
            found = Some(m);
        }
    }
    found.map(|m| m as u8 + 1)
}

fn is_present_word(s: &str) -> bool {
    let lower = s.trim().trim_end_matches('.').trim().to_lowercase();
    PRESENT_WORDS.contains(&lower.as_str())
}

/// Parses a range written in one field: `2018 - Present`, `01/2018 – 03/2020`, `2018–2020`,
/// `Jan 2019 to Mar 2020`, `2015年4月～至今`. `None` unless both ends are dates.
pub fn parse_range(input: &str) -> Option<(ResumeDate, ResumeDate)> {
    const SEPARATORS: &[&str] = &[
        " – ", " — ", " - ", "–", "—", "~", "～", "〜", " to ", " until ", " till ", " bis ",
        " au ", " à ", " a ", " al ", " hasta ", " até ", " tot ", " do ", " до ", " по ", " až ",
        " till ", "至", "-",
    ];
    let s = input.trim();
    for sep in SEPARATORS {
        for (i, _) in s.match_indices(sep) {
            let (a, b) = (&s[..i], &s[i + sep.len()..]);
            if let (Some(x), Some(y)) = (ResumeDate::parse(a), ResumeDate::parse(b)) {
                if x != ResumeDate::Present {
                    return Some((x, y));
                }
            }
        }
    }
    None
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

fn num<T: std::str::FromStr>(s: &str, max_len: usize) -> Option<T> {
    if s.is_empty() || s.len() > max_len || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn build(year: u16, month: Option<u8>, day: Option<u8>) -> Option<ResumeDate> {
    if !(1000..=9999).contains(&year) {
        return None;
    }
    if let Some(m) = month {
        if !(1..=12).contains(&m) {
            return None;
        }
        if let Some(d) = day {
            if d == 0 || d > days_in_month(year, m) {
                return None;
            }
        }
    }
    Some(ResumeDate::Date { year, month, day })
}

impl ResumeDate {
    /// Parses a date in any accepted format; `None` when it is not one.
    pub fn parse(input: &str) -> Option<Self> {
        let s = input.trim();
        // Exported timestamps: 2019-03-01T00:00:00Z and 2019-03-01 00:00:00 are the day.
        let s = match s.get(..10) {
            Some(day)
                if s.len() > 10 && matches!(s.as_bytes()[10], b'T' | b' ') && day.contains('-') =>
            {
                day
            }
            _ => s,
        };
        if is_present_word(s) {
            return Some(ResumeDate::Present);
        }
        // East Asian forms: 2018年3月(1日), 2018년 3월, 2018年.
        if s.contains(['年', '년']) {
            return Self::parse_cjk(s);
        }
        // Numeric forms with '-', '/' or '.' separators (one kind per date).
        let sep = ['-', '/', '.'].into_iter().find(|c| s.contains(*c));
        let parts: Vec<&str> = match sep {
            Some(c) => s.split(c).map(str::trim).collect(),
            None => vec![s],
        };
        if parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        {
            return match parts.as_slice() {
                [y] if y.len() == 4 => build(num(y, 4)?, None, None),
                [y, m] if y.len() == 4 => build(num(y, 4)?, Some(num(m, 2)?), None),
                [m, y] if y.len() == 4 => build(num(y, 4)?, Some(num(m, 2)?), None),
                [y, m, d] if y.len() == 4 => build(num(y, 4)?, Some(num(m, 2)?), Some(num(d, 2)?)),
                // Dots are day-first (DD.MM.YYYY, as in Central Europe); slashes and dashes are
                // month-first unless the first number cannot be a month.
                [d, m, y] if y.len() == 4 && sep == Some('.') => {
                    build(num(y, 4)?, Some(num(m, 2)?), Some(num(d, 2)?))
                }
                [a, b, y] if y.len() == 4 => {
                    let (a, b): (u8, u8) = (num(a, 2)?, num(b, 2)?);
                    let (m, d) = if a > 12 { (b, a) } else { (a, b) };
                    build(num(y, 4)?, Some(m), Some(d))
                }
                _ => None,
            };
        }
        // Month-name forms: "Mar 2021", "March 2021", "Mar 5, 2021", "5 March 2021",
        // "5. März 2021", "marzec 2021 r.", "de março de 2021".
        let words: Vec<&str> = s
            .split([' ', ',', '/', '-'])
            .map(|w| w.trim_end_matches('.'))
            .filter(|w| {
                !w.is_empty() && !matches!(*w, "de" | "del" | "of" | "r" | "г" | "року" | "года")
            })
            .collect();
        match words.as_slice() {
            [m, y] if month_from_name(m).is_some() => build(num(y, 4)?, month_from_name(m), None),
            [y, m] if month_from_name(m).is_some() => build(num(y, 4)?, month_from_name(m), None),
            [m, d, y] if month_from_name(m).is_some() => {
                build(num(y, 4)?, month_from_name(m), Some(num(d, 2)?))
            }
            [d, m, y] => build(num(y, 4)?, Some(month_from_name(m)?), Some(num(d, 2)?)),
            _ => None,
        }
    }

    fn parse_cjk(s: &str) -> Option<Self> {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        let (y, rest) = s.split_once(['年', '년'])?;
        let year = num(y, 4)?;
        if y.len() != 4 {
            return None;
        }
        let rest = rest.trim_start_matches(['.', '/']);
        if rest.is_empty() {
            return build(year, None, None);
        }
        let (m, rest) = rest.split_once(['月', '월']).unwrap_or((rest, ""));
        let month = num(m, 2)?;
        let d = rest.trim_end_matches(['日', '일']);
        if d.is_empty() {
            return build(year, Some(month), None);
        }
        build(year, Some(month), Some(num(d, 2)?))
    }

    /// The canonical stored form: `2021`, `2021-03`, `2021-03-05` or `Present`.
    pub fn canonical(self) -> String {
        match self {
            ResumeDate::Present => "Present".to_owned(),
            ResumeDate::Date {
                year, month: None, ..
            } => format!("{year:04}"),
            ResumeDate::Date {
                year,
                month: Some(m),
                day: None,
            } => format!("{year:04}-{m:02}"),
            ResumeDate::Date {
                year,
                month: Some(m),
                day: Some(d),
            } => {
                format!("{year:04}-{m:02}-{d:02}")
            }
        }
    }
}

impl fmt::Display for ResumeDate {
    /// The résumé display form: `Mar 2021`, `2021` or `Present` (days are not shown).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ResumeDate::Present => f.write_str("Present"),
            ResumeDate::Date {
                year, month: None, ..
            } => write!(f, "{year}"),
            ResumeDate::Date {
                year,
                month: Some(m),
                ..
            } => {
                write!(f, "{} {year}", &MONTHS[usize::from(m) - 1][..3])
            }
        }
    }
}

/// Shows a canonical or free-form date for display; text that is not a date is shown as is.
pub fn display(s: &str) -> String {
    display_in(s, Locale::En)
}

/// [`display`] in a locale: `Mar 2021`, `März 2021`, `2021年3月`, `heute`.
pub fn display_in(s: &str, l: Locale) -> String {
    match ResumeDate::parse(s) {
        // A range written in one field (`2022-Present`) reads as a range in the locale.
        None => match parse_range(s) {
            Some((a, b)) => display_range_in(Some(&a.canonical()), Some(&b.canonical()), l),
            None => s.to_owned(),
        },
        Some(ResumeDate::Present) => l.present().to_owned(),
        Some(ResumeDate::Date {
            year, month: None, ..
        }) => year.to_string(),
        Some(ResumeDate::Date {
            year,
            month: Some(m),
            ..
        }) => l.month_year(i32::from(year), m),
    }
}

/// Shows a start–end range the way résumés do: `Mar 2021 – Present`, `2019 – 2021`, or a
/// single date when only one end is known.
pub fn display_range(start: Option<&str>, end: Option<&str>) -> String {
    display_range_in(start, end, Locale::En)
}

/// [`display_range`] in a locale.
pub fn display_range_in(start: Option<&str>, end: Option<&str>, l: Locale) -> String {
    let show = |s: &str| display_in(s, l);
    match (start, end) {
        (Some(s), Some(e)) if show(s) == show(e) => show(s),
        (Some(s), Some(e)) => format!("{} – {}", show(s), show(e)),
        (Some(s), None) => format!("{} – {}", show(s), l.present()),
        (None, Some(e)) => show(e),
        (None, None) => String::new(),
    }
}

/// A civil (proleptic Gregorian) date, used for the default cover-letter date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CivilDate {
    /// The year.
    pub year: i32,
    /// The month, 1–12.
    pub month: u8,
    /// The day, 1–31.
    pub day: u8,
}

impl CivilDate {
    /// The date of a Unix timestamp (UTC). Callers pass the clock in: `common` reads none.
    pub fn from_unix_seconds(secs: i64) -> Self {
        // Howard Hinnant's civil_from_days.
        let z = secs.div_euclid(86_400) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Self { year, month, day }
    }

    /// The long form used in letters: `March 14, 2025`.
    pub fn long(self) -> String {
        Locale::En.long_date(self)
    }
}

#[cfg(test)]
mod tests;
