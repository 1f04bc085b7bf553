//! Reading the layout options: lenient spellings, located errors with suggestions, request over
//! data, the key, custom sections from either place, locale-dependent letter defaults.

use serde_json::{Value, json};

use crate::api::{Source, check};
use crate::error::ErrorCode;
use crate::i18n::Locale;
use crate::layout::PageSize;
use crate::model::Document;
use crate::testing::TODAY;

fn body(extra: Value, data_extra: Value) -> Value {
    let mut data = json!({"personalInfo": {"name": "Ana Sousa", "email": "ana@example.org"}, "experience": [{"title": "Cook", "company": "Tasca", "startDate": "2020-03"}]});
    for (k, v) in data_extra.as_object().unwrap() {
        data[k] = v.clone();
    }
    let mut b = json!({"document_type": "resume", "template": "classic", "data": data});
    for (k, v) in extra.as_object().unwrap() {
        b[k] = v.clone();
    }
    b
}

fn errors(extra: Value, data_extra: Value) -> Vec<(ErrorCode, String, String)> {
    let f = check(&body(extra, data_extra), Source::Json, TODAY).unwrap_err();
    f.errors
        .into_iter()
        .map(|e| (e.code, e.path, e.message))
        .collect()
}

#[test]
fn values_people_write_are_read() {
    let c = check(
        &body(
            json!({"page_size": "A4 ", "locale": "de-DE", "page_numbers": false}),
            json!({}),
        ),
        Source::Json,
        TODAY,
    )
    .unwrap();
    assert_eq!(c.options.page_size, PageSize::A4);
    assert_eq!(c.options.locale, Locale::De);
    assert!(!c.options.page_numbers);
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
}

#[test]
fn the_request_wins_over_the_data() {
    let c = check(
        &body(
            json!({"locale": "fr"}),
            json!({"locale": "de", "pageSize": "legal"}),
        ),
        Source::Json,
        TODAY,
    )
    .unwrap();
    assert_eq!(c.options.locale, Locale::Fr);
    assert_eq!(
        c.options.page_size,
        PageSize::Legal,
        "the data's own options apply"
    );
}

#[test]
fn a_json_resume_document_carries_its_language() {
    let data = json!({"basics": {"name": "Jan Nowak", "email": "jan@example.org"}, "work": [{"name": "Kopalnia", "position": "Inżynier", "startDate": "2019-03"}],
                      "meta": {"language": "pl"}});
    let b =
        json!({"document_type": "resume", "template": "classic", "format": "txt", "data": data});
    let c = check(&b, Source::Json, TODAY).unwrap();
    assert_eq!(c.options.locale, Locale::Pl);
    assert!(c.text().contains("mar 2019 – obecnie"), "{}", c.text());
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
}

#[test]
fn bad_values_are_located_errors_with_a_suggestion() {
    let e = errors(json!({"page_size": "A5"}), json!({}));
    assert_eq!(e[0].0, ErrorCode::VAL012);
    assert_eq!(e[0].1, "/page_size");
    assert!(e[0].2.contains("letter, a4, legal"), "{}", e[0].2);
    let e = errors(json!({"page_size": "leter"}), json!({}));
    assert!(e[0].2.contains("did you mean 'letter'"), "{}", e[0].2);

    let e = errors(json!({"locale": "xx"}), json!({}));
    assert_eq!((e[0].0, e[0].1.as_str()), (ErrorCode::VAL012, "/locale"));
    assert!(e[0].2.contains("en, de, fr"), "{}", e[0].2);
    let e = errors(json!({"locale": "dee"}), json!({}));
    assert!(e[0].2.contains("did you mean 'de'"), "{}", e[0].2);

    let e = errors(
        json!({"section_order": ["education", "experiance"]}),
        json!({}),
    );
    assert_eq!(e[0].1, "/section_order/1");
    assert!(e[0].2.contains("did you mean 'experience'"), "{}", e[0].2);
    let e = errors(
        json!({"section_titles": {"experience": "Career", "educaton": "School"}}),
        json!({}),
    );
    assert_eq!(e[0].1, "/section_titles/educaton");
    assert!(e[0].2.contains("did you mean 'education'"), "{}", e[0].2);
    let e = errors(json!({"hidden_sections": [3]}), json!({}));
    assert_eq!(
        (e[0].0, e[0].1.as_str()),
        (ErrorCode::VAL002, "/hidden_sections/0")
    );
    let e = errors(json!({"page_numbers": "no"}), json!({}));
    assert_eq!(
        (e[0].0, e[0].1.as_str()),
        (ErrorCode::VAL002, "/page_numbers")
    );
}

#[test]
fn options_are_part_of_the_key() {
    let key = |extra: Value| {
        check(&body(extra, json!({})), Source::Json, TODAY)
            .unwrap()
            .key
    };
    let base = key(json!({}));
    let mut seen = vec![base.clone()];
    for extra in [
        json!({"page_size": "a4"}),
        json!({"locale": "de"}),
        json!({"section_order": ["experience"]}),
        json!({"hidden_sections": ["experience"]}),
        json!({"section_titles": {"experience": "Work"}}),
        json!({"page_numbers": false}),
    ] {
        let k = key(extra.clone());
        assert!(!seen.contains(&k), "{extra} changes the key");
        seen.push(k);
    }
    // Spellings that mean the same thing give the same key.
    assert_eq!(
        key(json!({"page_size": "A4"})),
        key(json!({"page_size": "a4paper"}))
    );
    assert_eq!(
        key(json!({"locale": "de"})),
        key(json!({"locale": "de-AT"}))
    );
    assert_eq!(
        key(json!({"locale": "en"})),
        base,
        "the defaults spelled out are the defaults"
    );
}

#[test]
fn custom_sections_come_from_the_data_or_the_envelope() {
    let section = json!([{"title": "Volunteer Work", "entries": [{"name": "Treasurer", "organization": "Club", "date": "2021"}]}]);
    for (extra, data_extra) in [
        (json!({"custom_sections": section}), json!({})),
        (json!({}), json!({"customSections": section})),
    ] {
        let c = check(&body(extra, data_extra), Source::Json, TODAY).unwrap();
        let Document::Resume(r) = &c.document else {
            unreachable!()
        };
        assert_eq!(r.custom_sections.len(), 1);
        let s = &r.custom_sections[0];
        assert_eq!(
            (s.key.as_str(), s.title.as_str()),
            ("volunteer-work", "Volunteer Work")
        );
        assert_eq!(s.entries[0].title, "Treasurer");
        assert_eq!(s.entries[0].subtitle.as_deref(), Some("Club"));
        assert_eq!(s.entries[0].end_date.as_deref(), Some("2021"));
    }
    // A problem inside envelope custom sections points at the envelope's field.
    let bad = json!([{"title": "X", "entries": [{"title": "Y", "url": "not a url"}]}]);
    let c = check(
        &body(json!({"custom_sections": bad}), json!({})),
        Source::Json,
        TODAY,
    )
    .unwrap();
    assert!(
        c.warnings
            .iter()
            .any(|w| w.path == "/custom_sections/0/entries/0/url"),
        "{:?}",
        c.warnings
    );
}

#[test]
fn cover_letter_defaults_follow_the_locale() {
    let b = json!({"document_type": "cover_letter", "template": "classic", "locale": "de",
                   "data": {"personalInfo": {"name": "Ana"}, "body": "Hallo."}});
    let c = check(&b, Source::Json, TODAY).unwrap();
    let Document::CoverLetter(l) = &c.document else {
        unreachable!()
    };
    assert_eq!(l.salutation, "Sehr geehrte Damen und Herren,");
    assert_eq!(l.closing, "Mit freundlichen Grüßen");
    assert_eq!(l.date, Locale::De.long_date(TODAY));
}

#[test]
fn the_datas_own_options_are_read_leniently() {
    // A document's own options that cannot be read are warnings; the defaults stay.
    let c = check(
        &body(
            json!({}),
            json!({"locale": "dee", "pageSize": "A5", "sectionOrder": ["experiance", "education"]}),
        ),
        Source::Json,
        TODAY,
    )
    .unwrap();
    assert_eq!(c.options.locale, Locale::En);
    assert_eq!(c.options.page_size, PageSize::Letter);
    assert_eq!(c.options.section_order, ["education"]);
    let w: Vec<(&str, &str)> = c
        .warnings
        .iter()
        .map(|w| (w.path.as_str(), w.message.as_str()))
        .collect();
    assert!(
        w.iter().any(|(p, m)| *p == "/data/locale"
            && m.contains("did you mean 'de'")
            && m.ends_with("ignored")),
        "{w:?}"
    );
    assert!(w.iter().any(|(p, _)| *p == "/data/pageSize"), "{w:?}");
    assert!(w.iter().any(|(p, _)| *p == "/data/sectionOrder/0"), "{w:?}");
    // A JSON Resume export in a language the service lacks still prints, with its pointer.
    let data = json!({"basics": {"name": "Dana Levi", "email": "dana@example.org"}, "meta": {"language": "he"}});
    let c = check(
        &json!({"document_type": "resume", "template": "classic", "data": data}),
        Source::Json,
        TODAY,
    )
    .unwrap();
    assert_eq!(c.options.locale, Locale::En);
    assert!(
        c.warnings.iter().any(|w| w.path == "/data/meta/language"),
        "{:?}",
        c.warnings
    );
}

#[test]
fn accent_colours_are_read_checked_and_darkened_for_contrast() {
    let opts = |c: Value| {
        check(
            &body(json!({"accent_color": c}), json!({})),
            Source::Json,
            TODAY,
        )
    };
    let c = opts(json!("#1f6feb")).unwrap();
    assert_eq!(c.options.accent_color.as_deref(), Some("1F6FEB"));
    assert!(c.warnings.is_empty(), "4.6:1 passes: {:?}", c.warnings);
    assert_eq!(
        opts(json!("036")).unwrap().options.accent_color.as_deref(),
        Some("003366")
    );
    // Gold is 1.4:1 against white: the same hue, darkened until white text on it reads.
    let c = opts(json!("#FFD700")).unwrap();
    let used = c.options.accent_color.clone().unwrap();
    let rgb = crate::layout::parse_color(&used).unwrap();
    assert!(crate::layout::contrast_with_white(rgb) >= 4.5);
    assert!(rgb[0] > rgb[1] && rgb[1] > rgb[2], "still gold-ish: {used}");
    assert!(
        c.warnings
            .iter()
            .any(|w| w.path == "/accent_color" && w.message.contains(&used)),
        "{:?}",
        c.warnings
    );
    let f = opts(json!("blue")).unwrap_err();
    assert_eq!(
        (f.errors[0].code, f.errors[0].path.as_str()),
        (ErrorCode::VAL012, "/accent_color")
    );
    assert!(f.errors[0].message.contains("#RRGGBB"));
    assert_ne!(
        opts(json!("#1F6FEB")).unwrap().key,
        check(&body(json!({}), json!({})), Source::Json, TODAY)
            .unwrap()
            .key
    );
}

#[test]
fn huge_option_lists_are_bounded() {
    let many: Vec<String> = (0..5_000).map(|i| format!("nope{i}")).collect();
    let e = errors(json!({"section_order": many}), json!({}));
    assert!(
        e.len() <= crate::normalize::MAX_REPORTED + 1,
        "{} errors",
        e.len()
    );
    let titles: serde_json::Map<String, Value> = (0..5_000)
        .map(|i| (format!("nope{i}"), json!("x")))
        .collect();
    let e = errors(json!({"section_titles": titles}), json!({}));
    assert!(
        e.len() <= crate::normalize::MAX_REPORTED + 1,
        "{} errors",
        e.len()
    );
}
