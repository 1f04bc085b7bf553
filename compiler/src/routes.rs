//! Route handlers: the reference service's HTTP API.

use std::time::Instant;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, Response};
use resume_common::analysis;
use resume_common::api::{self, Checked, Prepared, Source};
use resume_common::cache_key::Format;
use resume_common::error::{ErrorCode, Failure};
use resume_common::model::{DocumentType, SpacingMode};
use resume_common::render::{Spacing, TEMPLATES, Template};
use resume_common::schema;
use serde_json::{Value, json};

use crate::cache::{Entry, Memo, Meta, RequestMemo, Tier};
use crate::error::ApiFailure;
use crate::job::Pdf;
use crate::metrics::Stage;
use crate::server::AppState;
use crate::{clock, ops};

type Result<T> = std::result::Result<T, ApiFailure>;

/// `GET /`
pub async fn root() -> Json<Value> {
    Json(json!({
        "message": "Resume and Cover Letter Template Engine API",
        "version": "2.0.0",
        "engine_version": resume_common::ENGINE_VERSION,
        "documentation": "/docs",
        "health_check": "/health",
        "available_endpoints": {
            "schemas": ["/schema/{document_type}", "/schema-yaml/{document_type}"],
            "templates": ["/templates", "/templates/{document_type}", "/template-info/{document_type}/{template_name}"],
            "generation": ["/generate", "/generate-yaml"],
            "validation": ["/validate"],
            "analysis": ["/analyze"],
            "pdf_analysis": ["/analyze-pdf"],
        }
    }))
}

/// `GET /health`: liveness only; cheap.
pub async fn health() -> Json<Value> {
    Json(json!({"status": "healthy"}))
}

fn doc_type(s: &str) -> Result<DocumentType> {
    DocumentType::parse(s).ok_or_else(|| {
        ApiFailure(
            Failure::new(
                ErrorCode::API011,
                format!("unknown document type '{s}'; use resume or cover_letter"),
            )
            .with_context("document_types", json!(["resume", "cover_letter"])),
        )
    })
}

/// `GET /templates`
pub async fn templates() -> Json<Value> {
    Json(json!({"templates": {
        "resume": Template::names(DocumentType::Resume),
        "cover_letter": Template::names(DocumentType::CoverLetter),
    }}))
}

/// `GET /templates/{document_type}`
pub async fn templates_of(Path(t): Path<String>) -> Result<Json<Value>> {
    Ok(Json(json!({"templates": Template::names(doc_type(&t)?)})))
}

/// `GET /template-info/{document_type}/{name}`
pub async fn template_info(Path((t, name)): Path<(String, String)>) -> Result<Json<Value>> {
    let dt = doc_type(&t)?;
    let tpl = Template::find(dt, &name).ok_or_else(|| {
        ApiFailure(
            Failure::new(
                ErrorCode::TPL001,
                format!("template '{name}' not found for document type '{t}'"),
            )
            .with_hint(format!(
                "use one of the available templates: {}",
                Template::names(dt).join(", ")
            )),
        )
    })?;
    Ok(Json(json!({
        "name": tpl.name,
        "document_type": dt.as_str(),
        "description": tpl.description,
        "required_fields": tpl.required_fields(),
        "spacing_modes": ["normal", "compact", "ultra-compact"],
        "default_spacing_mode": tpl.default_spacing.as_str(),
        "formats": Format::SUPPORTED,
        "content_hash": tpl.content_hash(),
        "layout": resume_common::layout::describe(tpl),
        "preview_url": null,
    })))
}

/// `GET /schema/{document_type}`
pub async fn schema(Path(t): Path<String>) -> Result<Json<Value>> {
    let dt = doc_type(&t)?;
    Ok(Json(json!({
        "document_type": dt.as_str(),
        "schema": schema::json_schema(dt),
        "json_example": schema::example(dt),
        "yaml_example": schema::yaml_example(dt),
        "description": format!("JSON Schema of the 'data' of a {} request, generated from the service's own types", dt.as_str()),
    })))
}

/// `GET /schema-yaml/{document_type}`
pub async fn schema_yaml(Path(t): Path<String>) -> Result<Json<Value>> {
    let dt = doc_type(&t)?;
    let required: &[&str] = match dt {
        DocumentType::Resume => &["personalInfo"],
        DocumentType::CoverLetter => &["personalInfo", "body"],
    };
    Ok(Json(json!({
        "document_type": dt.as_str(),
        "yaml_example": schema::yaml_example(dt),
        "json_example": schema::example(dt),
        "description": "send the YAML as the 'yaml_data' string of POST /generate-yaml",
        "usage_notes": {
            "required_fields": required,
            "optional_sections": ["professionalSummary", "experience", "education"],
            "date_format": "YYYY-MM, YYYY-MM-DD, MM-YYYY, YYYY, 'Mar 2021', 'March 2021' or 'Present'",
            "body_format": "text with blank lines between paragraphs, or a list of paragraphs",
        }
    })))
}

/// Reads a JSON body: content type, size and syntax errors become envelopes.
fn json_body(
    headers: &HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Value> {
    parse_json(&body_bytes(headers, body)?)
}

/// The body of a JSON request: content type and size errors become envelopes.
fn body_bytes(
    headers: &HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Bytes> {
    let ctype = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    api::require_json(ctype)?;
    let bytes = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Failure::new(
                ErrorCode::API004,
                format!(
                    "the request body is larger than {} bytes",
                    api::MAX_BODY_BYTES
                ),
            )
        } else {
            Failure::new(
                ErrorCode::API001,
                format!("the request body could not be read: {e}"),
            )
        }
    })?;
    Ok(bytes)
}

/// Parses JSON; syntax errors say where.
fn parse_json(bytes: &[u8]) -> Result<Value> {
    serde_json::from_slice(bytes).map_err(|e| {
        ApiFailure(Failure::new(
            ErrorCode::VAL013,
            format!(
                "invalid JSON at line {}, column {}: {}",
                e.line(),
                e.column(),
                json_error_kind(&e)
            ),
        ))
    })
}

fn json_error_kind(e: &serde_json::Error) -> &'static str {
    use serde_json::error::Category;
    match e.classify() {
        Category::Eof => "the body ends early",
        Category::Syntax => "syntax error",
        Category::Data => "unexpected data",
        Category::Io => "read error",
    }
}

/// `POST /validate`: always 200 with `valid`, every error and warning with its path.
pub async fn validate(
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Json<Value>> {
    let v = json_body(&headers, body)?;
    let report = api::validate(&v, clock::today())?;
    Ok(Json(
        serde_json::to_value(report).expect("reports serialize"),
    ))
}

/// `POST /generate`
pub async fn generate(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Response> {
    produce(&st, &headers, body_bytes(&headers, body)?, Source::Json).await
}

/// `POST /generate-yaml`
pub async fn generate_yaml(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Response> {
    produce(&st, &headers, body_bytes(&headers, body)?, Source::Yaml).await
}

/// (memo → cache hit) | check → key → (304 | cache | make) → response.
async fn produce(
    st: &AppState,
    headers: &HeaderMap,
    body: Bytes,
    source: Source,
) -> Result<Response> {
    let t0 = Instant::now();
    let today = clock::today();
    let route = match source {
        Source::Json => "generate",
        Source::Yaml => "generate-yaml",
    };
    let digest = RequestMemo::digest(route, today, &body);
    let read = !ops::no_cache(headers);
    if let Some(m) = st.memo.get(&digest).await.filter(|m| read && m.use_cache) {
        // Seen before: the key is known without checking the request again.
        if ops::if_none_match(headers, &m.key) {
            st.metrics.not_modified.inc();
            return Ok(ops::not_modified(&m.key));
        }
        if let Some((entry, tier)) = st.cache.hit(&m.key).await {
            return Ok(document_response(
                st, &entry, tier, &m.key, m.warnings, t0, None,
            ));
        }
    }
    let v = parse_json(&body)?;
    let checked = api::check(&v, source, today)?;
    let validate = t0.elapsed();
    st.metrics.record(Stage::Validate, validate);
    let key = checked.key.clone();
    let warnings = checked.warnings.len();
    let memo = Memo {
        key: key.as_str().into(),
        use_cache: checked.use_cache,
        warnings,
    };
    st.memo.put(digest, memo).await;
    if ops::if_none_match(headers, &key) {
        st.metrics.not_modified.inc();
        return Ok(ops::not_modified(&key));
    }
    let read = read && checked.use_cache;
    let (entry, tier) = st.cache.fetch(&key, read, || make(st, checked)).await?;
    Ok(document_response(
        st,
        &entry,
        tier,
        &key,
        warnings,
        t0,
        Some(validate),
    ))
}

/// A document response: the stored headers plus how this request was answered.
fn document_response(
    st: &AppState,
    entry: &Entry,
    tier: Tier,
    key: &str,
    warnings: usize,
    started: Instant,
    validate: Option<std::time::Duration>,
) -> Response {
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    let total = ms(started.elapsed());
    let timing = match validate {
        Some(v) => format!(
            "validate;dur={:.2}, {};dur={:.2}",
            ms(v),
            tier.as_str(),
            total - ms(v)
        ),
        None => format!("memo, {};dur={total:.2}", tier.as_str()),
    };
    let mut resp = ops::entry_response(entry, key);
    let h = resp.headers_mut();
    ops::set(h, "x-cache", tier.x_cache());
    ops::set(h, "x-cache-tier", tier.as_str());
    ops::set(h, "server-timing", &timing);
    ops::set(h, "x-validation-warnings", &warnings.to_string());
    if st.cache.enabled() {
        ops::set(
            h,
            "content-location",
            &ops::document_path(key, &entry.meta.ext),
        );
    }
    resp
}

/// Produces the document of a checked request (the cache-miss path).
async fn make(st: &AppState, checked: Checked) -> std::result::Result<Entry, Failure> {
    let meta = |ctype: &str, pages, spacing: SpacingMode, fit| Meta {
        ext: checked.format.extension().to_owned(),
        content_type: ctype.to_owned(),
        document_type: checked.template.document_type.as_str().to_owned(),
        template: checked.template.name.to_owned(),
        disposition: checked.content_disposition(),
        pages,
        spacing: spacing.as_str().to_owned(),
        fit,
    };
    let entry = |meta: Meta, body: Vec<u8>| Entry {
        meta,
        body: Bytes::from(body),
    };
    // Text and DOCX come from the model itself; a DOCX fitted to pages takes the mode the
    // PDF fit picks (below).
    let t = Instant::now();
    if checked.fit.is_none() || checked.format == Format::Txt {
        if let Some(bytes) = checked.local_bytes(checked.spacing) {
            st.metrics.record(Stage::Render, t.elapsed());
            let m = meta(checked.format.content_type(), None, checked.spacing, None);
            return Ok(entry(m, bytes?));
        }
    }
    let p = checked.clone().render()?;
    st.metrics.record(Stage::Render, t.elapsed());
    match (p.format, p.fit) {
        (Format::Pdf, None) => {
            let pdf = st
                .compile(p.template, &p.tex, &p.assets())
                .await
                .map_err(|e| ApiFailure::from(e).0)?;
            let m = meta(Format::Pdf.content_type(), Some(pdf.pages), p.spacing, None);
            Ok(entry(m, pdf.bytes))
        }
        (format, Some(max)) => {
            let fitted = fit(st, &p, max).await.map_err(|e| e.0)?;
            let fit = Some((fitted.fits, max));
            Ok(match format {
                Format::Pdf => {
                    let m = meta(
                        Format::Pdf.content_type(),
                        Some(fitted.pdf.pages),
                        fitted.mode,
                        fit,
                    );
                    entry(m, fitted.pdf.bytes)
                }
                Format::Docx => {
                    let bytes = p.docx(fitted.mode)?;
                    entry(meta(format.content_type(), None, fitted.mode, fit), bytes)
                }
                _ => entry(
                    meta(Format::Tex.content_type(), None, fitted.mode, fit),
                    fitted.tex.into_bytes(),
                ),
            })
        }
        (_, None) => {
            let m = meta(Format::Tex.content_type(), None, p.spacing, None);
            Ok(entry(m, p.tex.into_bytes()))
        }
    }
}

/// The outcome of fitting a document to a page budget.
struct Fitted {
    mode: SpacingMode,
    tex: String,
    pdf: Pdf,
    fits: bool,
}

/// Compiles normal → compact → ultra-compact and keeps the roomiest that fits in `max` pages;
/// when none does, the densest, marked as overflowing.
async fn fit(st: &AppState, p: &Prepared, max: u32) -> Result<Fitted> {
    let mut last = None;
    for mode in SpacingMode::ALL {
        let tex = if mode == p.spacing {
            p.tex.clone()
        } else {
            p.tex_with(mode)?
        };
        let pdf = st.compile(p.template, &tex, &p.assets()).await?;
        let fits = pdf.pages <= max;
        last = Some(Fitted {
            mode,
            tex,
            pdf,
            fits,
        });
        if fits {
            break;
        }
    }
    Ok(last.expect("there is at least one spacing mode"))
}

/// `POST /analyze`: the reference's text-based estimate, for every template.
pub async fn analyze(
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Json<Value>> {
    let v = json_body(&headers, body)?;
    let p = api::prepare(&v, Source::Json, clock::today())?;
    let a = analysis::analyze(&p.document, p.spacing);
    Ok(Json(json!({
        "success": true,
        "document_type": p.template.document_type.as_str(),
        "template": p.template.name,
        "analysis": a,
        "tips": tips(),
    })))
}

fn tips() -> [&'static str; 5] {
    [
        "lead each bullet with a strong verb and a measurable result",
        "keep bullets to one or two lines",
        "put the most relevant experience first",
        "use compact or ultra-compact spacing to fit more on a page",
        "use POST /analyze-pdf for the real page count",
    ]
}

/// `POST /analyze-pdf`: compiles the document and analyses the real PDF.
pub async fn analyze_pdf(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Json<Value>> {
    let v = json_body(&headers, body)?;
    let p = api::prepare(&v, Source::Json, clock::today())?;
    let pdf = st.compile(p.template, &p.tex, &p.assets()).await?;
    let a = analysis::analyze(&p.document, p.spacing);
    let words = a.total_metrics["word_count"].as_u64().unwrap_or(0) as usize;
    let pages = pdf.pages as usize;
    let ws = analysis::whitespace(words, pages);
    let ws_pct = ws["whitespace_percentage"].as_f64().unwrap_or(0.0);
    let density = ws["density_score"].as_f64().unwrap_or(0.0);
    let recs = analysis::pdf_recommendations(ws_pct, pages, density, p.spacing);
    Ok(Json(json!({
        "success": true,
        "document_type": p.template.document_type.as_str(),
        "template": p.template.name,
        "spacing_mode": p.spacing.as_str(),
        "pdf_info": {
            "file_size_bytes": pdf.bytes.len(),
            "file_size_kb": (pdf.bytes.len() as f64 / 102.4).round() / 10.0,
            "pages": pages,
            "estimated_pages": a.estimated_pages,
        },
        "whitespace_analysis": ws,
        "content_metrics": a.total_metrics,
        "spacing_configuration": Spacing::of(p.spacing),
        "section_analysis": a.section_analysis,
        "recommendations": {"content": a.recommendations, "whitespace": recs["whitespace"], "optimization": recs["optimization"]},
        "tips": tips(),
    })))
}

/// `GET /openapi.json`
pub async fn openapi() -> Json<Value> {
    let doc_body = json!({"$ref": "#/components/schemas/DocumentRequest"});
    let pdf = json!({"200": {"description": "the document: application/pdf; for format docx the Word type, tex application/x-tex, txt text/plain"},
        "4XX": {"description": "error envelope", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}}});
    let get_json = |summary: &str| json!({"get": {"summary": summary, "responses": {"200": {"description": "JSON"}}}});
    let type_param = json!([{"name": "document_type", "in": "path", "required": true, "schema": {"type": "string", "enum": ["resume", "cover_letter"]}}]);
    let mut spec = json!({
        "openapi": "3.1.0",
        "info": {"title": "Resume Engine", "version": resume_common::ENGINE_VERSION,
                 "description": "Résumé and cover-letter data (JSON or YAML) to PDF or LaTeX."},
        "paths": {
            "/": get_json("service information"),
            "/health": get_json("liveness"),
            "/templates": get_json("every template by document type"),
            "/templates/{document_type}": {"parameters": type_param, "get": {"summary": "templates of a type", "responses": {"200": {"description": "JSON"}}}},
            "/template-info/{document_type}/{template_name}": get_json("one template's details"),
            "/schema/{document_type}": {"parameters": type_param, "get": {"summary": "JSON Schema and examples", "responses": {"200": {"description": "JSON"}}}},
            "/schema-yaml/{document_type}": {"parameters": type_param, "get": {"summary": "YAML example and notes", "responses": {"200": {"description": "JSON"}}}},
            "/validate": {"post": {"summary": "validate data: every error with its JSON pointer", "requestBody": {"content": {"application/json": {"schema": doc_body}}},
                "responses": {"200": {"description": "report", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ValidationReport"}}}}}}},
            "/generate": {"post": {"summary": "render and compile", "requestBody": {"content": {"application/json": {"schema": doc_body}}}, "responses": pdf}},
            "/generate-yaml": {"post": {"summary": "render and compile YAML data (yaml_data)", "responses": pdf}},
            "/analyze": {"post": {"summary": "content analysis (estimated pages)", "requestBody": {"content": {"application/json": {"schema": doc_body}}}, "responses": {"200": {"description": "JSON"}}}},
            "/analyze-pdf": {"post": {"summary": "analysis of the compiled PDF (real pages)", "requestBody": {"content": {"application/json": {"schema": doc_body}}}, "responses": {"200": {"description": "JSON"}}}},
        },
        "components": {"schemas": {
            "DocumentRequest": {"type": "object", "required": ["document_type", "template", "data"], "properties": {
                "document_type": {"type": "string", "enum": ["resume", "cover_letter"]},
                "template": {"type": "string", "enum": TEMPLATES.iter().map(|t| t.name).collect::<std::collections::BTreeSet<_>>()},
                "format": {"type": "string", "enum": Format::SUPPORTED, "default": "pdf"},
                "spacing_mode": {"type": "string", "enum": ["normal", "compact", "ultra-compact", "fit"], "description": "fit: the roomiest mode whose PDF has at most max_pages pages"},
                "max_pages": {"type": "integer", "minimum": 1, "maximum": 20, "default": 1},
                "input_format": {"type": "string", "enum": ["native", "jsonresume"]},
                "data": {"type": "object", "description": "see /schema/{document_type}"},
                "clean_up": {"type": "boolean", "description": "accepted and ignored: job files are always removed"},
                "ultra_validation": {"type": "boolean", "description": "accepted and ignored: validation is always complete"},
                "custom_sections": {"type": "array", "items": {"type": "object"}, "description": "résumé sections of your own (also accepted as data.customSections); see /schema/resume"}}},
            "ErrorEnvelope": schemars::schema_for!(resume_common::error::ErrorEnvelope),
            "ValidationReport": schemars::schema_for!(resume_common::api::ValidationReport),
        }}
    });
    if let Some(props) = spec
        .pointer_mut("/components/schemas/DocumentRequest/properties")
        .and_then(Value::as_object_mut)
    {
        props.extend(resume_common::options::schema_properties(false));
    }
    Json(spec)
}

/// `GET /docs`: a self-contained page (no CDN) listing the API.
pub async fn docs() -> Html<String> {
    let rows: String = [
        ("GET", "/health", "liveness"),
        ("GET", "/templates", "templates by document type"),
        ("GET", "/templates/{document_type}", "templates of one type"),
        (
            "GET",
            "/template-info/{document_type}/{name}",
            "template details",
        ),
        ("GET", "/schema/{document_type}", "JSON Schema and examples"),
        ("GET", "/schema-yaml/{document_type}", "YAML example"),
        ("POST", "/validate", "every error with its JSON pointer"),
        ("POST", "/generate", "PDF or LaTeX from JSON"),
        ("POST", "/generate-yaml", "PDF or LaTeX from YAML"),
        ("POST", "/analyze", "content analysis"),
        ("POST", "/analyze-pdf", "analysis of the compiled PDF"),
        ("GET", "/openapi.json", "OpenAPI 3.1 description"),
    ]
    .iter()
    .map(|(m, p, d)| {
        format!("<tr><td><code>{m}</code></td><td><code>{p}</code></td><td>{d}</td></tr>")
    })
    .collect();
    Html(format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Resume Engine API</title>\
         <style>body{{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto}}td{{padding:.3rem .8rem}}</style></head>\
         <body><h1>Resume Engine API</h1><p>Machine-readable: <a href=\"/openapi.json\">/openapi.json</a></p>\
         <table>{rows}</table></body></html>"
    ))
}
