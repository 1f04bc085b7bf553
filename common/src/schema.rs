//! JSON Schema and example documents for each document type.
//!
//! The schema is generated from the canonical model types ([`crate::model`]), so it cannot
//! drift from what the service accepts; alias keys are listed in `x-aliases`.

use serde_json::{Value, json};

use crate::api::{Source, check};
use crate::dates::CivilDate;
use crate::model::{CoverLetter, DocumentType, Resume};
use crate::render::TEMPLATES;

/// The JSON Schema of a document type's `data`.
pub fn json_schema(kind: DocumentType) -> Value {
    let schema = match kind {
        DocumentType::Resume => schemars::schema_for!(Resume),
        DocumentType::CoverLetter => schemars::schema_for!(CoverLetter),
    };
    let mut v = serde_json::to_value(schema).expect("schemas serialize");
    if let Some(props) = v.get_mut("properties").and_then(Value::as_object_mut) {
        // The layout options a document may carry (a request field of the same name wins).
        props.extend(crate::options::schema_properties(true));
    }
    if let (Some(obj), DocumentType::Resume) = (v.as_object_mut(), kind) {
        obj.insert("x-aliases".to_owned(), aliases());
    }
    v
}

/// Alternative keys accepted for résumé sections, in fallback order.
fn aliases() -> Value {
    json!({
        "coreCompetencies": ["competencies", "keySkills", "expertise"],
        "technicalSkills": ["techSkills"],
        "skillsMatrix": ["skillsByProficiency"],
        "technologiesAndSkills": ["skills", "technologies", "tech_skills"],
        "leadershipExperience": ["leadership"],
        "relevantCoursework": ["coursework", "courses"],
        "openSourceContributions": ["openSource", "ossContributions"],
        "researchExperience": ["research"],
        "publications": ["academicPublications", "papers"],
        "technicalWriting": ["articles", "blogPosts"],
        "articlesAndPublications": ["publications", "articles", "papers"],
        "speakingEngagements": ["speaking", "talks", "conferences"],
        "awardsAndHonors": ["awards", "honors", "recognition"],
        "achievements": ["accomplishments", "awards", "honors"],
        "certifications": ["certificates", "credentials", "licenses"],
        "teachingExperience": ["teaching"],
        "mentorship": ["mentoringExperience"],
        "volunteering": ["volunteerExperience", "communityService"],
        "languages": ["spokenLanguages"],
        "professionalAffiliations": ["affiliations", "memberships"],
        "patents": ["intellectualProperty"],
        "industryExpertise": ["industryExperience", "domains"],
        "referral": ["referredBy"],
        "references": ["professionalReferences"],
        "personalInfo.title": ["headline", "professionalTitle"],
        "experience[].title": ["position", "role"],
        "experience[].company": ["employer", "organization"],
        "experience[].achievements": ["details", "responsibilities", "duties"],
        "education[].endDate": ["end_date", "date", "graduationDate"],
    })
}

/// A complete example document of a type.
pub fn example(kind: DocumentType) -> Value {
    let src = match kind {
        DocumentType::Resume => include_str!("samples/resume.json"),
        DocumentType::CoverLetter => include_str!("samples/cover_letter.json"),
    };
    serde_json::from_str(src).expect("the embedded samples are valid JSON")
}

/// The example as YAML.
pub fn yaml_example(kind: DocumentType) -> String {
    serde_yaml_ng::to_string(&example(kind)).expect("JSON values serialize as YAML")
}

/// A valid document that puts every supported character ([`crate::escape::supported_chars`])
/// into every free-text field of the example, one item per list: typesetting it through a
/// template reaches every font that template can use for user text. Fields with a format
/// (dates, e-mail, URLs, enumerations) keep their example values.
pub fn font_exercise(kind: DocumentType) -> Value {
    fn first_items(v: &mut Value) {
        match v {
            Value::Array(items) => {
                items.truncate(1);
                items.iter_mut().for_each(first_items);
            }
            Value::Object(m) => m.values_mut().for_each(first_items),
            _ => {}
        }
    }
    fn fill(v: &mut Value, text: &str) {
        match v {
            Value::String(s) => *s = text.to_owned(),
            Value::Array(items) => items.iter_mut().for_each(|i| fill(i, text)),
            Value::Object(m) => m.values_mut().for_each(|i| fill(i, text)),
            _ => {}
        }
    }
    // A space after every tenth character lets the lines break, so every glyph is on the page.
    let all: String = crate::escape::supported_chars()
        .enumerate()
        .flat_map(|(i, c)| [Some(c), (i % 10 == 9).then_some(' ')])
        .flatten()
        .collect();
    let mut original = example(kind);
    first_items(&mut original);
    let mut data = original.clone();
    fill(&mut data, &all);
    // Section titles are the request's words too (`section_titles`): every heading style of
    // every template gets every character.
    let titles: serde_json::Map<String, Value> = TEMPLATES
        .iter()
        .filter(|t| t.document_type == kind)
        .flat_map(|t| crate::layout::TemplateLayout::of(t).sections.iter())
        .map(|(key, _, _)| ((*key).to_owned(), Value::String(all.clone())))
        .collect();
    if let Some(m) = data.as_object_mut() {
        m.insert("sectionTitles".to_owned(), Value::Object(titles));
    }
    let template = TEMPLATES
        .iter()
        .find(|t| t.document_type == kind)
        .expect("every document type has a template");
    let today = CivilDate::from_unix_seconds(0);
    // Put back the example's value wherever the filled one is rejected, until none is.
    for _ in 0..8 {
        let body = json!({"document_type": kind, "template": template.name, "data": data});
        let Err(failure) = check(&body, Source::Json, today) else {
            break;
        };
        for e in failure.errors {
            let Some(pointer) = e.path.strip_prefix("/data") else {
                continue;
            };
            if let (Some(orig), Some(slot)) = (original.pointer(pointer), data.pointer_mut(pointer))
            {
                *slot = orig.clone();
            }
        }
    }
    data
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_font_exercise_is_valid_and_carries_every_character_in_free_text() {
        let all: std::collections::HashSet<char> = crate::escape::supported_chars().collect();
        assert!(all.len() > 700, "{}", all.len());
        for kind in [DocumentType::Resume, DocumentType::CoverLetter] {
            let data = font_exercise(kind);
            let body = json!({"document_type": kind, "template": "classic", "data": data});
            let checked = check(&body, Source::Json, CivilDate::from_unix_seconds(0));
            assert!(checked.is_ok(), "{kind:?}: {checked:?}");
            let name = data["personalInfo"]["name"].as_str().unwrap().to_owned();
            let in_name: std::collections::HashSet<char> = name.chars().collect();
            assert!(
                all.is_subset(&in_name),
                "{kind:?}: the name lacks characters"
            );
            let filled = serde_json::to_string(&data)
                .unwrap()
                .matches(&serde_json::to_string(&name).unwrap()[1..40])
                .count();
            assert!(filled >= 10, "{kind:?}: only {filled} fields filled");
        }
    }
}
