//! Operations routes and response helpers around the cache: `/metrics`, `/ready`,
//! content-addressed `/documents/{key}.{ext}`, `POST /cache/invalidate`, and the conditional
//! request (`If-None-Match`, `Cache-Control: no-cache`) handling `/generate` shares with them.

use std::sync::atomic::Ordering;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use resume_common::cache_key::Format;
use resume_common::error::{ErrorCode, Failure};
use resume_common::model::DocumentType;
use resume_common::render::TEMPLATES;
use serde_json::{Value, json};

use crate::cache::{Entry, Selector};
use crate::error::ApiFailure;
use crate::metrics::Gauges;
use crate::server::{AppState, SMOKE_EVERY};

type Result<T> = std::result::Result<T, ApiFailure>;

/// The least free space in the job folder for `/ready` to say ready.
const MIN_FREE_BYTES: u64 = 64 << 20;

/// Sets a header when the value is a valid header value.
pub fn set(h: &mut HeaderMap, name: &'static str, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        h.insert(name, v);
    }
}

/// Where a stored document can be downloaded.
pub fn document_path(key: &str, ext: &str) -> String {
    format!("/documents/{key}.{ext}")
}

/// Whether `If-None-Match` names this key (or is `*`).
pub fn if_none_match(headers: &HeaderMap, key: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/").trim_matches('"'))
        .any(|t| t == key || t == "*")
}

/// Whether the client asked to skip cached copies (`Cache-Control: no-cache` or `Pragma`).
pub fn no_cache(headers: &HeaderMap) -> bool {
    let has = |name, directive: &str| {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|d| d.trim().eq_ignore_ascii_case(directive))
    };
    has(header::CACHE_CONTROL, "no-cache") || has(header::PRAGMA, "no-cache")
}

/// `304 Not Modified` for a key.
pub fn not_modified(key: &str) -> Response {
    let mut resp = StatusCode::NOT_MODIFIED.into_response();
    set(resp.headers_mut(), "etag", &format!("\"{key}\""));
    resp
}

/// A stored document as a response: body, type, file name, ETag and what it records.
pub fn entry_response(entry: &Entry, key: &str) -> Response {
    let mut resp = entry.body.clone().into_response();
    let h = resp.headers_mut();
    let m = &entry.meta;
    set(h, "content-type", &m.content_type);
    set(h, "content-disposition", &m.disposition);
    set(h, "etag", &format!("\"{key}\""));
    set(h, "x-spacing-mode", &m.spacing);
    if let Some(pages) = m.pages {
        set(h, "x-page-count", &pages.to_string());
    }
    if let Some((fits, max)) = m.fit {
        set(h, "x-fit", if fits { "fits" } else { "overflow" });
        set(h, "x-fit-max-pages", &max.to_string());
    }
    resp
}

/// `GET /documents/{key}.{pdf|tex|txt|docx}`: a stored document by its content address.
pub async fn document(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Result<Response> {
    let absent = || {
        ApiFailure(Failure::new(
            ErrorCode::API011,
            format!("no stored document at /documents/{file}; POST /generate makes it"),
        ))
    };
    let (key, ext) = file.rsplit_once('.').ok_or_else(absent)?;
    if !resume_common::cache_key::is_key(key) || !Format::EXTENSIONS.contains(&ext) {
        return Err(absent());
    }
    if if_none_match(&headers, key) {
        st.metrics.not_modified.inc();
        return Ok(not_modified(key));
    }
    let entry = st.cache.stored(key).await.filter(|e| e.meta.ext == ext);
    let entry = entry.ok_or_else(absent)?;
    let mut resp = entry_response(&entry, key);
    let max_age = st.cache.ttl(ext).as_secs();
    set(
        resp.headers_mut(),
        "cache-control",
        &format!("public, max-age={max_age}, immutable"),
    );
    Ok(resp)
}

/// `POST /cache/invalidate` with `{"key": …}` or `{"document_type"?: …, "template"?: …}`.
pub async fn invalidate(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Json<Value>> {
    if let Some(token) = st.cache.admin_token() {
        let sent = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        if !constant_time_eq(sent.as_bytes(), token.as_bytes()) {
            return Err(ApiFailure(Failure::new(
                ErrorCode::SEC001,
                "cache invalidation needs Authorization: Bearer <CACHE_ADMIN_TOKEN>",
            )));
        }
    }
    let body = body.map_err(|e| Failure::new(ErrorCode::API001, e.to_string()))?;
    let v: Value = if body.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        serde_json::from_slice(&body)
            .map_err(|e| Failure::new(ErrorCode::VAL013, format!("invalid JSON: {e}")))?
    };
    let sel = selector(&v)?;
    let done = st.cache.invalidate(&sel).await?;
    Ok(Json(json!({"status": "ok", "invalidated": done})))
}

/// Reads the invalidation request.
fn selector(v: &Value) -> Result<Selector> {
    let bad = |code, path: &str, msg: String| {
        ApiFailure(Failure::from_fields(vec![
            resume_common::error::FieldError::new(code, path, msg),
        ]))
    };
    let obj = v
        .as_object()
        .ok_or_else(|| bad(ErrorCode::API001, "", "send a JSON object".into()))?;
    for k in obj.keys() {
        if !matches!(k.as_str(), "key" | "document_type" | "template") {
            return Err(bad(
                ErrorCode::API003,
                &format!("/{k}"),
                format!("unknown field '{k}'; use key, or document_type and/or template"),
            ));
        }
    }
    let text = |k: &str| -> Result<Option<&str>> {
        match obj.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(_) => Err(bad(
                ErrorCode::VAL002,
                &format!("/{k}"),
                format!("{k} must be a string"),
            )),
        }
    };
    if let Some(key) = text("key")? {
        if obj.len() > 1 {
            return Err(bad(
                ErrorCode::API003,
                "/key",
                "send either key or document_type/template, not both".into(),
            ));
        }
        let key = key.trim().trim_matches('"').to_ascii_lowercase();
        if !resume_common::cache_key::is_key(&key) {
            return Err(bad(
                ErrorCode::API003,
                "/key",
                "key must be the 64 hex digits of an ETag".into(),
            ));
        }
        return Ok(Selector::Key(key));
    }
    let document_type = match text("document_type")? {
        None => None,
        Some(s) => Some(DocumentType::parse(s).ok_or_else(|| {
            bad(
                ErrorCode::API003,
                "/document_type",
                format!("unknown document type '{s}'; use resume or cover_letter"),
            )
        })?),
    };
    let template = text("template")?.map(str::to_owned);
    if let Some(t) = &template {
        let known = TEMPLATES
            .iter()
            .any(|x| x.name == t && document_type.is_none_or(|d| d == x.document_type));
        if !known {
            return Err(bad(
                ErrorCode::TPL001,
                "/template",
                format!("unknown template '{t}'"),
            ));
        }
    }
    Ok(Selector::Matching {
        document_type,
        template,
    })
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `GET /metrics`: JSON (the reference's shape, extended); Prometheus text with
/// `?format=prometheus` or `Accept: text/plain`.
pub async fn metrics(
    State(st): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let (running, waiting) = st.compiler.load();
    let (entries, bytes, capacity) = st.cache.memory_usage().await;
    let g = Gauges {
        enabled: st.cache.enabled(),
        redis_configured: st.cache.redis_state().is_some(),
        redis_connected: st.cache.redis_state().unwrap_or(false),
        memory_entries: entries,
        memory_bytes: bytes,
        memory_capacity_bytes: capacity,
        queue_depth: waiting as u64,
        compiles_running: running as u64,
    };
    let wants_text = query
        .as_deref()
        .is_some_and(|q| q.split('&').any(|p| p == "format=prometheus"))
        || headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("text/plain") && !a.contains("application/json"));
    let c = &st.compiler.counts;
    let by_path = [
        ("cold", c.cold.load(Ordering::Relaxed)),
        ("format", c.format.load(Ordering::Relaxed)),
        ("parked", c.parked.load(Ordering::Relaxed)),
        ("fallback", c.fallbacks.load(Ordering::Relaxed)),
    ];
    let warm = st.compiler.warm_stats();
    if wants_text {
        let mut text = st.metrics.prometheus(&g);
        text.push_str("# HELP resume_pdflatex_runs_total pdflatex runs by path (cold, format, parked; fallback: warm failed, redone cold).\n# TYPE resume_pdflatex_runs_total counter\n");
        for (path, n) in by_path {
            text.push_str(&format!(
                "resume_pdflatex_runs_total{{path=\"{path}\"}} {n}\n"
            ));
        }
        let parked: usize = warm.as_ref().map_or(0, |w| w.parked.values().sum());
        text.push_str(&format!("# HELP resume_parked_processes Parked pdflatex processes.\n# TYPE resume_parked_processes gauge\nresume_parked_processes {parked}\n"));
        let mut resp = text.into_response();
        set(
            resp.headers_mut(),
            "content-type",
            "text/plain; version=0.0.4; charset=utf-8",
        );
        resp
    } else {
        let mut v = st.metrics.json(&g);
        v["compiles"]["by_path"] = by_path
            .iter()
            .map(|(k, n)| ((*k).to_owned(), json!(n)))
            .collect::<serde_json::Map<_, _>>()
            .into();
        v["compiles"]["warm"] = match warm {
            Some(w) => json!({"enabled": true, "formats_ready": w.formats_ready,
                "preambles_ready": w.preambles_ready,
                "formats_building": w.formats_building,
                "parked": w.parked.values().sum::<usize>()}),
            None => json!({"enabled": false}),
        };
        Json(v).into_response()
    }
}

/// `GET /ready`: Redis reachable (when configured), a compile succeeded recently, and the job
/// folder has room. 200 when all hold, 503 otherwise; the body says which.
pub async fn ready(State(st): State<AppState>) -> Response {
    let redis = st.cache.redis_ping().await;
    let last = *st.last_compile_ok.lock().unwrap_or_else(|p| p.into_inner());
    let compile_ok = last.is_some_and(|t| t.elapsed() < SMOKE_EVERY * 2);
    let free = free_bytes(&st.job_root);
    let disk_ok = free.is_some_and(|f| f >= MIN_FREE_BYTES);
    let ready = compile_ok && disk_ok && redis != Some(false);
    let body = json!({
        "status": if ready { "ready" } else { "not_ready" },
        "checks": {
            "redis": match redis { None => "not configured", Some(true) => "ok", Some(false) => "unreachable" },
            "compile": {
                "ok": compile_ok,
                "last_success_seconds_ago": last.map(|t| t.elapsed().as_secs()),
            },
            "disk": {"ok": disk_ok, "free_bytes": free, "min_free_bytes": MIN_FREE_BYTES},
        }
    });
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body)).into_response()
}

fn free_bytes(path: &std::path::Path) -> Option<u64> {
    let s = nix::sys::statvfs::statvfs(path).ok()?;
    Some(s.blocks_available().saturating_mul(s.fragment_size()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn if_none_match_forms() {
        let k = "ab".repeat(32);
        assert!(if_none_match(
            &headers(&[("if-none-match", &format!("\"{k}\""))]),
            &k
        ));
        assert!(if_none_match(
            &headers(&[("if-none-match", &format!("\"x\", W/\"{k}\""))]),
            &k
        ));
        assert!(if_none_match(&headers(&[("if-none-match", "*")]), &k));
        assert!(!if_none_match(
            &headers(&[("if-none-match", "\"other\"")]),
            &k
        ));
        assert!(!if_none_match(&headers(&[]), &k));
    }

    #[test]
    fn no_cache_directives() {
        assert!(no_cache(&headers(&[(
            "cache-control",
            "max-age=0, No-Cache"
        )])));
        assert!(no_cache(&headers(&[("pragma", "no-cache")])));
        assert!(!no_cache(&headers(&[("cache-control", "max-age=0")])));
    }

    #[test]
    fn invalidation_requests() {
        let k = "0f".repeat(32);
        assert_eq!(
            selector(&json!({"key": k})).unwrap(),
            Selector::Key(k.clone())
        );
        assert_eq!(
            selector(&json!({"template": "classic"})).unwrap(),
            Selector::Matching {
                document_type: None,
                template: Some("classic".into())
            }
        );
        assert_eq!(
            selector(&json!({})).unwrap(),
            Selector::Matching {
                document_type: None,
                template: None
            }
        );
        for bad in [
            json!({"key": "short"}),
            json!({"key": k, "template": "classic"}),
            json!({"template": "nope"}),
            json!({"document_type": "letter"}),
            json!({"template": 3}),
            json!({"everything": true}),
            json!([1]),
        ] {
            let e = selector(&bad).unwrap_err().0;
            assert_eq!(
                e.status(),
                if e.code == ErrorCode::TPL001 {
                    404
                } else {
                    400
                },
                "{bad}"
            );
        }
    }

    #[test]
    fn token_comparison() {
        assert!(constant_time_eq(b"secret", b"secret"));
        assert!(!constant_time_eq(b"secret", b"secreT"));
        assert!(!constant_time_eq(b"secret", b"secret2"));
    }
}
