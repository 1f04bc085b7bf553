//! Parsing and display of the dates users write on résumés.
//!
//! Accepts the reference's formats (`YYYY-MM`, `MM-YYYY`, `YYYY-MM-DD`, `MM-DD-YYYY`,
//! `Present`) plus `YYYY`, `Mon YYYY`, `Month YYYY`, `Mon D, YYYY`, `/` as a separator, one-digit
//! months and any-case `present`/`current`/`now`/`ongoing`. A parsed date is stored in a
//! canonical form (`2021-03`, `2021`, `2021-03-05`, `Present`) and shown as `Mar 2021`.

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

fn month_from_name(s: &str) -> Option<u8> {
    let lower = s.trim_end_matches('.').to_ascii_lowercase();
    if lower.len() < 3 {
        return None;
    }
    let pos = MONTHS.iter().position(|m| {
        let m = m.to_ascii_lowercase();
        m == lower
            || (lower.len() >= 3 && m.starts_with(&lower) && lower.len() <= m.len())
            || (lower == "sept" && m == "september")
    })?;
    Some(pos as u8 + 1)
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
        if ["present", "current", "now", "ongoing"]
            .iter()
            .any(|p| s.eq_ignore_ascii_case(p))
        {
            return Some(ResumeDate::Present);
        }
        // Numeric forms with '-' or '/' separators.
        let parts: Vec<&str> = s.split(['-', '/']).collect();
        if parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        {
            return match parts.as_slice() {
                [y] if y.len() == 4 => build(num(y, 4)?, None, None),
                [y, m] if y.len() == 4 => build(num(y, 4)?, Some(num(m, 2)?), None),
                [m, y] if y.len() == 4 => build(num(y, 4)?, Some(num(m, 2)?), None),
                [y, m, d] if y.len() == 4 => build(num(y, 4)?, Some(num(m, 2)?), Some(num(d, 2)?)),
                [m, d, y] if y.len() == 4 => build(num(y, 4)?, Some(num(m, 2)?), Some(num(d, 2)?)),
                _ => None,
            };
        }
        // Month-name forms: "Mar 2021", "March 2021", "Mar 5, 2021", "5 March 2021".
        let words: Vec<&str> = s.split([' ', ',']).filter(|w| !w.is_empty()).collect();
        match words.as_slice() {
            [m, y] => build(num(y, 4)?, Some(month_from_name(m)?), None),
            [m, d, y] if month_from_name(m).is_some() => {
                build(num(y, 4)?, month_from_name(m), Some(num(d, 2)?))
            }
            [d, m, y] => build(num(y, 4)?, Some(month_from_name(m)?), Some(num(d, 2)?)),
            _ => None,
        }
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
    ResumeDate::parse(s).map_or_else(|| s.to_owned(), |d| d.to_string())
}

/// Shows a start–end range the way résumés do: `Mar 2021 – Present`, `2019 – 2021`, or a
/// single date when only one end is known.
pub fn display_range(start: Option<&str>, end: Option<&str>) -> String {
    match (start, end) {
        (Some(s), Some(e)) if display(s) == display(e) => display(s),
        (Some(s), Some(e)) => format!("{} – {}", display(s), display(e)),
        (Some(s), None) => format!("{} – Present", display(s)),
        (None, Some(e)) => display(e),
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
        format!(
            "{} {}, {}",
            MONTHS[usize::from(self.month) - 1],
            self.day,
            self.year
        )
    }
}

#[cfg(test)]
mod tests;
