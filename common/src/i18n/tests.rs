//! The translation table is complete and consistent; locales read as people write them.

use super::*;

fn placeholders(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find('{') {
        let Some(j) = rest[i..].find('}') else { break };
        out.push(rest[i..i + j + 1].to_owned());
        rest = &rest[i + j + 1..];
    }
    out.sort();
    out
}

#[test]
fn every_key_exists_in_every_locale_with_the_same_placeholders() {
    let en = strings(Locale::En);
    assert_eq!(
        table().len(),
        Locale::ALL.len(),
        "one table per locale, no extras"
    );
    for l in Locale::ALL {
        let t = strings(l);
        for key in keys() {
            let text = t
                .get(key)
                .unwrap_or_else(|| panic!("{} lacks '{key}'", l.code()));
            assert!(!text.trim().is_empty(), "{} has an empty '{key}'", l.code());
            // The salutation to a company may leave the company out (French, for one).
            if key != "letter.salutation_company" {
                assert_eq!(
                    placeholders(text),
                    placeholders(&en[key]),
                    "{} '{key}'",
                    l.code()
                );
            }
        }
        let extra: Vec<_> = t.keys().filter(|k| !en.contains_key(*k)).collect();
        assert!(
            extra.is_empty(),
            "{} has keys English lacks: {extra:?}",
            l.code()
        );
        for m in ["months.short", "months.long"] {
            assert_eq!(t[m].split('|').count(), 12, "{} {m}", l.code());
        }
    }
}

#[test]
fn the_footer_puts_the_page_before_the_total_everywhere() {
    for l in Locale::ALL {
        let p = l.get("page.footer");
        let (page, total) = (p.find("{page}").unwrap(), p.find("{total}").unwrap());
        assert!(page < total, "{}", l.code());
        let (a, b, c) = l.footer("Ana");
        assert!(format!("{a}1{b}2{c}").contains("Ana"), "{}", l.code());
    }
}

#[test]
fn locales_are_read_as_people_write_them() {
    for (s, want) in [
        ("de", Some(Locale::De)),
        ("de-DE", Some(Locale::De)),
        (" DE_at ", Some(Locale::De)),
        ("pt-BR", Some(Locale::Pt)),
        ("zh-Hant-TW", Some(Locale::Zh)),
        ("German", Some(Locale::De)),
        ("Deutsch", Some(Locale::De)),
        ("no", Some(Locale::Nb)),
        ("nb-NO", Some(Locale::Nb)),
        ("en_US.UTF-8", Some(Locale::En)),
        ("xx", None),
        ("", None),
        ("klingon", None),
    ] {
        assert_eq!(Locale::parse(s), want, "{s:?}");
    }
}

#[test]
fn dates_read_in_the_locale() {
    let d = CivilDate {
        year: 2025,
        month: 3,
        day: 14,
    };
    assert_eq!(Locale::En.long_date(d), "March 14, 2025");
    assert_eq!(Locale::De.long_date(d), "14. März 2025");
    assert_eq!(Locale::Pl.long_date(d), "14 marca 2025");
    assert_eq!(Locale::Ja.long_date(d), "2025年3月14日");
    assert_eq!(Locale::En.month_year(2021, 3), "Mar 2021");
    assert_eq!(Locale::De.month_year(2021, 3), "März 2021");
    assert_eq!(Locale::Hu.month_year(2021, 3), "2021. márc.");
    assert_eq!(Locale::Ko.month_year(2021, 3), "2021년 3월");
}
