//! `POST /internal/compile`: the edge's way to the origin's compilers.
//!
//! The edge validates, renders and keys a request itself, then sends the rendered LaTeX here
//! on a cache miss. Only requests signed with the shared `EDGE_SECRET` are accepted
//! ([`resume_common::signing`]); anything else is a 401 envelope. The source is still treated
//! as hostile: it goes through the same cache tiers, coalescing, warm pool and sandbox as
//! `/generate`, and the result is stored in Redis for the other origins.

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::HeaderMap;
use axum::response::Response;
use resume_common::api::Asset;
use resume_common::error::{ErrorCode, Failure};
use resume_common::photo;
use resume_common::render::TEMPLATES;
use resume_common::signing;
use serde::Deserialize;

use crate::cache::{Entry, Meta};
use crate::error::ApiFailure;
use crate::ops;
use crate::server::AppState;

/// The path the signature covers.
pub const PATH: &str = "/internal/compile";

/// What the edge sends.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Order {
    /// The document key the edge computed (the content address the result is stored under).
    key: String,
    /// Template id, e.g. `resume/classic`.
    template: String,
    /// The rendered LaTeX.
    tex: String,
    /// `Content-Disposition` for the download.
    disposition: String,
    /// The spacing mode used.
    spacing: String,
    /// The document's photo as a `data:` URI, checked again here like any input.
    #[serde(default)]
    photo: Option<String>,
}

fn unauthorized(why: &str) -> ApiFailure {
    ApiFailure(Failure::new(
        ErrorCode::SEC001,
        format!("internal route: {why}"),
    ))
}

/// `POST /internal/compile`
pub async fn compile(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Response, ApiFailure> {
    let secret = st.edge_secret.as_deref().unwrap_or("");
    if secret.is_empty() {
        return Err(unauthorized("no EDGE_SECRET is configured"));
    }
    let header = |name| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    };
    let timestamp: i64 = header(signing::TIMESTAMP_HEADER).parse().unwrap_or(0);
    let body = body.map_err(|e| Failure::new(ErrorCode::API001, e.to_string()))?;
    let now = crate::clock::unix_now();
    if !signing::verify(
        secret.as_bytes(),
        "POST",
        PATH,
        timestamp,
        now,
        &body,
        header(signing::SIGNATURE_HEADER),
    ) {
        return Err(unauthorized("missing, wrong or stale signature"));
    }
    let order: Order = serde_json::from_slice(&body)
        .map_err(|e| Failure::new(ErrorCode::VAL013, format!("invalid compile order: {e}")))?;
    let template = TEMPLATES
        .iter()
        .find(|t| t.id() == order.template)
        .ok_or_else(|| {
            Failure::new(
                ErrorCode::TPL001,
                format!("unknown template '{}'", order.template),
            )
        })?;
    let key = order.key.to_ascii_lowercase();
    if !resume_common::cache_key::is_key(&key) {
        return Err(ApiFailure(Failure::new(
            ErrorCode::API003,
            "key must be 64 hex digits",
        )));
    }
    let assets: Vec<Asset> = match order.photo.as_deref().map(photo::read) {
        None => Vec::new(),
        Some(Ok(photo::Read::Photo(p))) => vec![Asset {
            name: p.format.file_name(),
            bytes: p.bytes(),
        }],
        Some(Ok(photo::Read::Elsewhere)) => {
            return Err(ApiFailure(Failure::new(
                ErrorCode::VAL016,
                "the compile order's photo is not a data: URI",
            )));
        }
        Some(Err(why)) => return Err(ApiFailure(Failure::new(ErrorCode::VAL016, why))),
    };
    let produce = || async {
        let pdf = st
            .compile(template, &order.tex, &assets)
            .await
            .map_err(|e| ApiFailure::from(e).0)?;
        Ok(Entry {
            meta: Meta {
                ext: "pdf".to_owned(),
                content_type: "application/pdf".to_owned(),
                document_type: template.document_type.as_str().to_owned(),
                template: template.name.to_owned(),
                disposition: order.disposition.clone(),
                pages: Some(pdf.pages),
                spacing: order.spacing.clone(),
                fit: None,
            },
            body: Bytes::from(pdf.bytes),
        })
    };
    let (entry, tier) = st.cache.fetch(&key, true, produce).await?;
    let mut resp = ops::entry_response(&entry, &key);
    let h = resp.headers_mut();
    ops::set(h, "x-cache", tier.x_cache());
    ops::set(h, "x-cache-tier", tier.as_str());
    Ok(resp)
}
