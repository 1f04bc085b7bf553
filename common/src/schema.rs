//! JSON Schema and example documents for each document type.
//!
//! The schema is generated from the canonical model types ([`crate::model`]), so it cannot
//! drift from what the service accepts; alias keys are listed in `x-aliases`.

use serde_json::{Value, json};

use crate::model::{CoverLetter, DocumentType, Resume};

/// The JSON Schema of a document type's `data`.
pub fn json_schema(kind: DocumentType) -> Value {
    let schema = match kind {
        DocumentType::Resume => schemars::schema_for!(Resume),
        DocumentType::CoverLetter => schemars::schema_for!(CoverLetter),
    };
    let mut v = serde_json::to_value(schema).expect("schemas serialize");
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
