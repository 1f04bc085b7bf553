//! Content analysis for `/analyze` and `/analyze-pdf`, with the reference's formulas (§1.6).
//!
//! `/analyze` estimates pages from text length exactly as the reference did; `/analyze-pdf`
//! feeds the same formulas the real page count of the compiled PDF.

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::model::{Document, SpacingMode};

/// Words, characters and estimated lines of one section.
#[derive(Debug, Clone, Serialize)]
pub struct SectionMetrics {
    /// `len(text.split())`.
    pub word_count: usize,
    /// Characters of the concatenated text.
    pub character_count: usize,
    /// `ceil(chars / 75) + 2`.
    pub estimated_lines: usize,
    /// `high` (> 100 words), `medium` (> 50) or `low`.
    pub density: &'static str,
}

/// The `/analyze` result.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    /// Totals over every section.
    pub total_metrics: Value,
    /// Metrics per section present.
    pub section_analysis: Map<String, Value>,
    /// The spacing mode analysed.
    pub spacing_mode: &'static str,
    /// `max(1, ceil(total_lines / lines_per_page))`.
    pub estimated_pages: usize,
    /// Advice.
    pub recommendations: Vec<String>,
}

/// Keys whose text is not counted (contact details and links).
const SKIPPED: &[&str] = &["url", "website", "linkedin", "github", "email", "phone"];

fn collect_text(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| collect_text(x, out)),
        Value::Object(m) => m
            .iter()
            .filter(|(k, _)| !SKIPPED.contains(&k.as_str()))
            .for_each(|(_, x)| collect_text(x, out)),
        _ => {}
    }
}

/// Analyses a document's text.
pub fn analyze(doc: &Document, spacing: SpacingMode) -> Analysis {
    let v = serde_json::to_value(doc).expect("documents serialize");
    let mut sections = Map::new();
    let (mut words, mut chars, mut lines) = (0, 0, 0);
    if let Value::Object(m) = &v {
        for (key, value) in m.iter().filter(|(k, _)| *k != "personalInfo") {
            let mut parts = Vec::new();
            collect_text(value, &mut parts);
            let text = parts.join(" ");
            let word_count = text.split_whitespace().count();
            let character_count = text.chars().count();
            let estimated_lines = character_count.div_ceil(75) + 2;
            let density = match word_count {
                w if w > 100 => "high",
                w if w > 50 => "medium",
                _ => "low",
            };
            words += word_count;
            chars += character_count;
            lines += estimated_lines;
            let m = SectionMetrics {
                word_count,
                character_count,
                estimated_lines,
                density,
            };
            sections.insert(
                key.clone(),
                serde_json::to_value(m).expect("metrics serialize"),
            );
        }
    }
    let pages = lines.div_ceil(spacing.lines_per_page() as usize).max(1);
    let mut recommendations = Vec::new();
    if pages > 2 {
        recommendations.push(
            "the document runs past two pages: trim older or less relevant entries".to_owned(),
        );
    }
    if pages > 1 && spacing == SpacingMode::Normal {
        recommendations.push("switch to compact spacing to fit more on each page".to_owned());
    }
    if words > 800 {
        recommendations.push("over 800 words: shorten bullets to one line each".to_owned());
    }
    if lines > 100 && spacing == SpacingMode::Compact {
        recommendations.push("try ultra-compact spacing or remove a section".to_owned());
    }
    if recommendations.is_empty() {
        recommendations.push("the document is well-optimized".to_owned());
    }
    Analysis {
        total_metrics: json!({"word_count": words, "character_count": chars, "estimated_lines": lines, "estimated_pages": pages}),
        section_analysis: sections,
        spacing_mode: spacing.as_str(),
        estimated_pages: pages,
        recommendations,
    }
}

/// Whitespace analysis of a compiled PDF from its real page count (the reference's formulas).
pub fn whitespace(words: usize, pages: usize) -> Value {
    let pages = pages.max(1);
    let wpp = words as f64 / pages as f64;
    let ws = if wpp < 400.0 {
        (40.0 + (400.0 - wpp) / 20.0).min(50.0)
    } else if wpp < 600.0 {
        30.0 + (600.0 - wpp) / 10.0
    } else {
        (30.0 - (wpp - 600.0) / 20.0).max(10.0)
    };
    let density = (wpp / 6.0).min(100.0);
    let (quality, level) = match ws {
        w if w > 35.0 => ("Excellent", "High"),
        w if w > 25.0 => ("Good", "Medium-High"),
        w if w > 15.0 => ("Fair", "Medium"),
        _ => ("Dense", "Low"),
    };
    json!({
        "words_per_page": (wpp * 10.0).round() / 10.0,
        "whitespace_percentage": (ws * 10.0).round() / 10.0,
        "density_score": (density * 10.0).round() / 10.0,
        "readability": quality,
        "whitespace_level": level,
    })
}

/// Advice from the whitespace analysis (the reference's three groups).
pub fn pdf_recommendations(
    ws_percent: f64,
    pages: usize,
    density: f64,
    spacing: SpacingMode,
) -> Value {
    let whitespace: Vec<&str> = if ws_percent < 20.0 {
        vec![
            "the page is dense: add space between sections",
            "shorten long bullets",
            "consider normal spacing",
        ]
    } else if ws_percent < 30.0 {
        vec!["whitespace is adequate; a little more would help readability"]
    } else {
        vec!["whitespace is well balanced"]
    };
    let mut optimization = Vec::new();
    if pages > 2 {
        optimization.extend([
            "reduce to two pages",
            "remove older entries",
            "merge related sections",
        ]);
    }
    if pages > 1 && spacing == SpacingMode::Normal {
        optimization.push("compact spacing may save a page");
    }
    if density > 80.0 {
        optimization.push("text density is high: cut words per bullet");
    }
    json!({"whitespace": whitespace, "optimization": optimization})
}
