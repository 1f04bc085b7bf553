//! Placement: template defaults, order, hidden sections, titles, column moves, custom sections.

use serde_json::{Value, json};

use super::*;
use crate::api::{Checked, Source, check};
use crate::model::Document;
use crate::testing::TODAY;

const RESUME_FULL: &str = include_str!("../../../tests/fixtures/resume-full.json");

fn checked(template: &str, extra: Value) -> Checked {
    let mut data: Value = serde_json::from_str(RESUME_FULL).unwrap();
    data["customSections"] = json!([
        {"title": "Volunteer Work", "entries": [{"title": "Treasurer", "subtitle": "Harbour Rowing Club",
            "startDate": "2020-03", "location": "Trondheim", "bullets": ["Kept the books"]}]},
        {"title": "Hobbies", "items": ["Sailing", "Cooking"]},
    ]);
    let mut body =
        json!({"document_type": "resume", "template": template, "format": "txt", "data": data});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    check(&body, Source::Json, TODAY).unwrap()
}

fn keys(c: &Checked) -> Vec<(String, Column)> {
    let Document::Resume(r) = &c.document else {
        unreachable!()
    };
    place(c.template, Some(r), &c.options)
        .into_iter()
        .map(|p| (p.key, p.column))
        .collect()
}

#[test]
fn the_default_order_is_the_templates() {
    let c = checked("classic", json!({}));
    let k: Vec<String> = keys(&c).into_iter().map(|(k, _)| k).collect();
    assert_eq!(
        &k[..4],
        [
            "professionalSummary",
            "coreCompetencies",
            "leadershipExperience",
            "experience"
        ]
    );
    // Custom sections follow the template's own, in the document's order.
    assert_eq!(&k[k.len() - 2..], ["volunteer-work", "hobbies"]);
    let c = checked("two_column", json!({}));
    let k = keys(&c);
    assert_eq!(k[0], ("contact".to_owned(), Column::Sidebar));
    assert!(k.contains(&("education".to_owned(), Column::Sidebar)));
    assert!(k.contains(&("experience".to_owned(), Column::Main)));
}

#[test]
fn listed_sections_come_first_hidden_ones_go_and_titles_change() {
    let c = checked(
        "classic",
        json!({"section_order": ["Education", "volunteer work", "work"], "hidden_sections": ["interests", "hobbies"],
               "section_titles": {"experience": "Career", "volunteer-work": "Giving back"}, "locale": "de"}),
    );
    let Document::Resume(r) = &c.document else {
        unreachable!()
    };
    let placed = place(c.template, Some(r), &c.options);
    let k: Vec<&str> = placed.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(
        &k[..4],
        [
            "education",
            "volunteer-work",
            "experience",
            "professionalSummary"
        ]
    );
    assert!(!k.contains(&"interests") && !k.contains(&"hobbies"));
    let title = |key: &str| placed.iter().find(|p| p.key == key).unwrap().title.clone();
    assert_eq!(title("experience"), "Career");
    assert_eq!(title("volunteer-work"), "Giving back");
    assert_eq!(title("education"), "Ausbildung", "the rest in the locale");
}

#[test]
fn two_column_sections_move_between_columns() {
    let c = checked(
        "two_column",
        json!({"section_order": {"sidebar": ["languages", "hobbies"], "main": ["education", "experience"]}}),
    );
    let k = keys(&c);
    let side: Vec<&str> = k
        .iter()
        .filter(|(_, c)| *c == Column::Sidebar)
        .map(|(k, _)| k.as_str())
        .collect();
    let main: Vec<&str> = k
        .iter()
        .filter(|(_, c)| *c == Column::Main)
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(&side[..3], ["languages", "hobbies", "contact"]);
    assert_eq!(
        &main[..3],
        ["education", "experience", "professionalSummary"]
    );
    // A one-column template ignores columns but keeps the order.
    let c = checked(
        "classic",
        json!({"section_order": {"sidebar": ["languages"], "main": ["education"]}}),
    );
    let k = keys(&c);
    assert_eq!(k[0], ("languages".to_owned(), Column::Main));
    assert_eq!(k[1], ("education".to_owned(), Column::Main));
}

#[test]
fn empty_sections_are_left_out() {
    let data = json!({"personalInfo": {"name": "Ana"}, "experience": [{"title": "Cook"}]});
    let c = check(
        &json!({"document_type": "resume", "template": "classic", "data": data}),
        Source::Json,
        TODAY,
    )
    .unwrap();
    assert_eq!(keys(&c), [("experience".to_owned(), Column::Main)]);
}

#[test]
fn section_names_resolve_from_every_spelling() {
    for (name, key) in [
        ("experience", "experience"),
        ("Work", "experience"),
        ("work_experience", "experience"),
        ("professional_summary", "professionalSummary"),
        ("summary", "professionalSummary"),
        ("volunteer", "volunteering"),
        ("awards", "awardsAndHonors"),
        ("certificates", "certifications"),
        ("skills", "technologiesAndSkills"),
    ] {
        assert_eq!(resolve(name, &[]).as_deref(), Some(key), "{name}");
    }
    assert_eq!(resolve("experiance", &[]), None);
    assert_eq!(slug("Volunteer Work!"), "volunteer-work");
    assert_eq!(slug("Ehrenämter"), "ehrenämter");
    assert_eq!(slug("***"), "custom");
}

#[test]
fn page_sizes_read_leniently() {
    for (s, want) in [
        ("A4 ", Some(PageSize::A4)),
        ("a4paper", Some(PageSize::A4)),
        ("US Letter", Some(PageSize::Letter)),
        ("LEGAL", Some(PageSize::Legal)),
        ("A5", None),
        ("", None),
    ] {
        assert_eq!(PageSize::parse(s), want, "{s:?}");
    }
}

#[test]
fn a_custom_section_never_shares_a_built_in_key() {
    let data = json!({"personalInfo": {"name": "Ana"}, "projects": [{"name": "Site"}],
        "customSections": [{"title": "Projects", "items": ["Side project"]}, {"title": "Projects", "items": ["Another"]}]});
    let c = check(
        &json!({"document_type": "resume", "template": "classic", "data": data,
        "hidden_sections": ["projects-2"]}),
        Source::Json,
        TODAY,
    )
    .unwrap();
    let k: Vec<String> = keys(&c).into_iter().map(|(k, _)| k).collect();
    assert_eq!(k, ["projects", "projects-3"]);
}
