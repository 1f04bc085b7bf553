//! The edge: a Cloudflare Worker in front of the origin.
//!
//! It runs the same `resume-common` code as the origin — validation, normalization, escaping,
//! rendering and the cache key — so errors and keys are identical at both. A PDF request is
//! looked up in Workers KV by its key; a hit is answered here; a miss sends the rendered LaTeX
//! to the origin's signed `POST /internal/compile`, answers with the origin's bytes and writes
//! them to KV after the response (`ctx.wait_until`). LaTeX and text are answered here without
//! the origin. Every error, including a panic-free failure of the origin, is the service's one
//! JSON envelope.

use std::cell::RefCell;
use std::collections::HashMap;
use std::time::Duration;

use resume_common::api::{self, Checked, Source};
use resume_common::cache_key::Format;
use resume_common::dates::CivilDate;
use resume_common::error::{ErrorCode, Failure};
use resume_common::model::DocumentType;
use resume_common::render::Template;
use resume_common::{schema, signing};
use serde_json::{Value, json};
use worker::{
    AbortController, Context, Delay, Env, Fetch, Headers, Method, Request, RequestInit, Response,
    event, js_sys, wasm_bindgen_futures,
};

/// KV metadata stored with each document.
#[derive(serde::Serialize, serde::Deserialize)]
struct Stored {
    content_type: String,
    disposition: String,
    pages: Option<String>,
    spacing: Option<String>,
}

/// Settings read from the Worker's vars and secrets.
struct Settings {
    origin: String,
    secret: String,
    ttl: u64,
    timeout: Duration,
    per_minute: f64,
    burst: f64,
}

impl Settings {
    fn read(env: &Env) -> Settings {
        let var = |name: &str, default: &str| {
            env.var(name)
                .map(|v| v.to_string())
                .or_else(|_| env.secret(name).map(|v| v.to_string()))
                .unwrap_or_else(|_| default.to_owned())
        };
        let num = |name: &str, default: f64| var(name, "").parse().unwrap_or(default);
        Settings {
            origin: var("ORIGIN_URL", "http://127.0.0.1:8501")
                .trim_end_matches('/')
                .to_owned(),
            secret: var("EDGE_SECRET", ""),
            ttl: (num("PDF_CACHE_TTL", 86_400.0) as u64).max(60),
            timeout: Duration::from_millis(num("ORIGIN_TIMEOUT_MS", 15_000.0) as u64),
            per_minute: num("RATE_LIMIT_PER_MINUTE", 60.0),
            burst: num("RATE_LIMIT_BURST", 20.0),
        }
    }
}

thread_local! {
    /// Request memo: digest of (route, day, body) → (document key, warnings), for PDF requests
    /// that checked cleanly; a repeat goes straight to KV.
    static MEMO: RefCell<HashMap<[u8; 32], (String, usize)>> = RefCell::new(HashMap::new());

    /// Per-isolate token buckets by client address: approximate (each isolate counts alone),
    /// but it never writes to KV per request.
    static BUCKETS: RefCell<HashMap<String, (f64, f64)>> = RefCell::new(HashMap::new());
}

/// Takes a token for `client`; `Err(seconds to wait)` when none is left.
fn take_token(client: &str, now_ms: f64, per_minute: f64, burst: f64) -> Result<f64, u64> {
    BUCKETS.with(|b| {
        let mut b = b.borrow_mut();
        if b.len() > 10_000 {
            b.clear();
        }
        let (tokens, at) = b.entry(client.to_owned()).or_insert((burst, now_ms));
        let rate = per_minute / 60_000.0;
        *tokens = (*tokens + (now_ms - *at) * rate).min(burst);
        *at = now_ms;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(*tokens)
        } else {
            Err(((1.0 - *tokens) / rate / 1000.0).ceil().max(1.0) as u64)
        }
    })
}

fn memo_digest(source: Source, body: &[u8]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(match source {
        Source::Json => b"generate\0".as_slice(),
        Source::Yaml => b"generate-yaml\0".as_slice(),
    });
    h.update(format!("{:?}\0", today()).as_bytes());
    h.update(body);
    h.finalize().into()
}

fn now_iso() -> String {
    js_sys::Date::new_0().to_iso_string().into()
}

fn today() -> CivilDate {
    CivilDate::from_unix_seconds((js_sys::Date::now() / 1000.0) as i64)
}

fn request_id(req: &Request) -> String {
    req.headers()
        .get("x-request-id")
        .ok()
        .flatten()
        .filter(|s| {
            !s.is_empty()
                && s.len() <= 64
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .unwrap_or_else(|| format!("edge-{:x}", (js_sys::Math::random() * 1e15) as u64))
}

/// The envelope for a failure, as a response.
fn envelope(f: Failure, id: &str) -> Response {
    let status = f.status();
    let retry = matches!(
        f.code,
        ErrorCode::API005
            | ErrorCode::API008
            | ErrorCode::TPL009
            | ErrorCode::SYS003
            | ErrorCode::SYS005
    );
    let body = serde_json::to_string(&f.envelope(id, &now_iso())).unwrap_or_default();
    let mut resp = Response::ok(body)
        .map(|r| r.with_status(status))
        .unwrap_or_else(|_| Response::empty().unwrap_or_else(|_| unreachable_response()));
    let h = resp.headers_mut();
    let _ = h.set("content-type", "application/json");
    if retry {
        let _ = h.set("retry-after", "2");
    }
    resp
}

/// Only reached if building a response itself fails, which the runtime does not do.
fn unreachable_response() -> Response {
    Response::error("internal error", 500).expect("a plain response always builds")
}

fn json_response(v: &Value) -> Response {
    let mut r = Response::ok(v.to_string()).unwrap_or_else(|_| unreachable_response());
    let _ = r.headers_mut().set("content-type", "application/json");
    r
}

fn bytes_response(bytes: Vec<u8>, meta: &Stored, key: &str, tier: &str) -> Response {
    let mut r = Response::from_bytes(bytes).unwrap_or_else(|_| unreachable_response());
    let h = r.headers_mut();
    let _ = h.set("content-type", &meta.content_type);
    let _ = h.set("content-disposition", &meta.disposition);
    let _ = h.set("etag", &format!("\"{key}\""));
    let _ = h.set("x-cache", if tier == "edge" { "HIT" } else { "MISS" });
    let _ = h.set("x-cache-tier", tier);
    let ext = Format::EXTENSIONS
        .iter()
        .copied()
        .find(|e| Format::parse(e).is_some_and(|f| meta.content_type == f.content_type()))
        .unwrap_or("pdf");
    let _ = h.set("content-location", &format!("/documents/{key}.{ext}"));
    if let Some(p) = &meta.pages {
        let _ = h.set("x-page-count", p);
    }
    if let Some(s) = &meta.spacing {
        let _ = h.set("x-spacing-mode", s);
    }
    r
}

#[event(fetch)]
async fn fetch(mut req: Request, env: Env, ctx: Context) -> worker::Result<Response> {
    let id = request_id(&req);
    let settings = Settings::read(&env);
    let mut resp = match route(&mut req, &env, &ctx, &settings, &id).await {
        Ok(r) => r,
        Err(f) => envelope(f, &id),
    };
    let _ = resp.headers_mut().set("x-request-id", &id);
    Ok(resp)
}

async fn route(
    req: &mut Request,
    env: &Env,
    ctx: &Context,
    s: &Settings,
    id: &str,
) -> Result<Response, Failure> {
    let path = req.path();
    let method = req.method();
    let not_found = || Failure::new(ErrorCode::API011, format!("no route for {method} {path}"));
    let kind = |t: &str| {
        DocumentType::parse(t).ok_or_else(|| {
            Failure::new(
                ErrorCode::API011,
                format!("unknown document type '{t}'; use resume or cover_letter"),
            )
        })
    };
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match (method.clone(), segments.as_slice()) {
        (Method::Get, ["health"]) => {
            Ok(json_response(&json!({"status": "healthy", "tier": "edge"})))
        }
        (Method::Get, ["templates"]) => Ok(json_response(&json!({"templates": {
            "resume": Template::names(DocumentType::Resume),
            "cover_letter": Template::names(DocumentType::CoverLetter),
        }}))),
        (Method::Get, ["templates", t]) => Ok(json_response(
            &json!({"templates": Template::names(kind(t)?)}),
        )),
        (Method::Get, ["schema", t]) => Ok(json_response(&schema::json_schema(kind(t)?))),
        (Method::Get, ["documents", file]) => document(env, ctx, s, file, id).await,
        (Method::Post, ["validate"]) => {
            let v = body_json(req).await?;
            let report = api::validate(&v, today())?;
            Ok(json_response(
                &serde_json::to_value(report).unwrap_or_default(),
            ))
        }
        (Method::Post, ["generate"]) => generate(req, env, ctx, s, Source::Json, id).await,
        (Method::Post, ["generate-yaml"]) => generate(req, env, ctx, s, Source::Yaml, id).await,
        (
            _,
            [
                "health" | "templates" | "schema" | "documents" | "validate" | "generate"
                | "generate-yaml",
                ..,
            ],
        ) => Err(Failure::new(
            ErrorCode::API007,
            format!("method {method} is not allowed on {path}"),
        )),
        _ => Err(not_found()),
    }
}

/// Reads a JSON body within the size limit.
async fn body_json(req: &mut Request) -> Result<Value, Failure> {
    parse(&body_bytes(req).await?)
}

fn parse(bytes: &[u8]) -> Result<Value, Failure> {
    serde_json::from_slice(bytes).map_err(|e| {
        Failure::new(
            ErrorCode::VAL013,
            format!("invalid JSON at line {}, column {}", e.line(), e.column()),
        )
    })
}

/// The body of a JSON request within the size limit.
async fn body_bytes(req: &mut Request) -> Result<Vec<u8>, Failure> {
    let ctype = req
        .headers()
        .get("content-type")
        .ok()
        .flatten()
        .unwrap_or_default();
    api::require_json(&ctype)?;
    let too_big = || {
        Failure::new(
            ErrorCode::API004,
            format!(
                "the request body is larger than {} bytes",
                api::MAX_BODY_BYTES
            ),
        )
    };
    let declared: Option<usize> = req
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|v| v.parse().ok());
    if declared.is_some_and(|n| n > api::MAX_BODY_BYTES) {
        return Err(too_big());
    }
    let bytes = req.bytes().await.map_err(|e| {
        Failure::new(
            ErrorCode::API001,
            format!("the request body could not be read: {e}"),
        )
    })?;
    if bytes.len() > api::MAX_BODY_BYTES {
        return Err(too_big());
    }
    Ok(bytes)
}

async fn generate(
    req: &mut Request,
    env: &Env,
    ctx: &Context,
    s: &Settings,
    source: Source,
    id: &str,
) -> Result<Response, Failure> {
    let client = req
        .headers()
        .get("cf-connecting-ip")
        .ok()
        .flatten()
        .unwrap_or_else(|| "local".to_owned());
    let remaining = match take_token(&client, js_sys::Date::now(), s.per_minute, s.burst) {
        Ok(r) => r,
        Err(wait) => {
            let f = Failure::new(
                ErrorCode::API005,
                format!("rate limit exceeded; retry after {wait} seconds"),
            );
            let mut r = envelope(f, id);
            let h = r.headers_mut();
            let _ = h.set("retry-after", &wait.to_string());
            let _ = h.set("x-ratelimit-limit", &format!("{}", s.per_minute as u64));
            let _ = h.set("x-ratelimit-remaining", "0");
            return Ok(r);
        }
    };
    let bytes = body_bytes(req).await?;
    let digest = memo_digest(source, &bytes);
    if let Some((key, warnings)) = MEMO.with(|m| m.borrow().get(&digest).cloned()) {
        // Seen in this isolate today: the key is known without checking the body again.
        let store = kv(env)?;
        if let Ok((Some(doc), Some(meta))) = store.get(&key).bytes_with_metadata::<Stored>().await {
            let mut r = bytes_response(doc, &meta, &key, "edge");
            let h = r.headers_mut();
            let _ = h.set("x-validation-warnings", &warnings.to_string());
            let _ = h.set("x-ratelimit-limit", &format!("{}", s.per_minute as u64));
            let _ = h.set(
                "x-ratelimit-remaining",
                &format!("{}", remaining.floor() as u64),
            );
            return Ok(r);
        }
    }
    let v = parse(&bytes)?;
    let checked = api::check(&v, source, today())?;
    let warnings = checked.warnings.len().to_string();
    if checked.format == Format::Pdf && checked.fit.is_none() && checked.use_cache {
        let entry = (checked.key.clone(), checked.warnings.len());
        MEMO.with(|m| {
            let mut m = m.borrow_mut();
            if m.len() > 10_000 {
                m.clear();
            }
            m.insert(digest, entry);
        });
    }
    let mut resp = match (checked.format, checked.fit) {
        (Format::Txt, _) => {
            let text = checked.text();
            let meta = Stored {
                content_type: "text/plain; charset=utf-8".into(),
                disposition: checked.content_disposition(),
                pages: None,
                spacing: Some(checked.spacing.as_str().into()),
            };
            bytes_response(text.into_bytes(), &meta, &checked.key, "edge-render")
        }
        (Format::Docx, None) => docx(env, ctx, s, &checked).await?,
        (Format::Tex, None) => {
            let meta = Stored {
                content_type: "application/x-tex; charset=utf-8".into(),
                disposition: checked.content_disposition(),
                pages: None,
                spacing: Some(checked.spacing.as_str().into()),
            };
            let key = checked.key.clone();
            let p = checked.render()?;
            bytes_response(p.tex.clone().into_bytes(), &meta, &key, "edge-render")
        }
        (Format::Pdf, None) if checked.use_cache => pdf(env, ctx, s, checked, id).await?,
        // Fit-to-pages and refreshes need the origin's own request handling.
        _ => forward_generate(s, &v, source).await?,
    };
    let h = resp.headers_mut();
    let _ = h.set("x-validation-warnings", &warnings);
    let _ = h.set("x-ratelimit-limit", &format!("{}", s.per_minute as u64));
    let _ = h.set(
        "x-ratelimit-remaining",
        &format!("{}", remaining.floor() as u64),
    );
    Ok(resp)
}

fn kv(env: &Env) -> Result<worker::kv::KvStore, Failure> {
    env.kv("DOCUMENTS")
        .map_err(|e| Failure::new(ErrorCode::SYS001, format!("KV binding missing: {e}")))
}

/// A PDF: KV, else the origin (then written to KV after the response).
async fn pdf(
    env: &Env,
    ctx: &Context,
    s: &Settings,
    checked: Checked,
    id: &str,
) -> Result<Response, Failure> {
    let store = kv(env)?;
    let key = checked.key.clone();
    if let Ok((Some(bytes), Some(meta))) = store.get(&key).bytes_with_metadata::<Stored>().await {
        return Ok(bytes_response(bytes, &meta, &key, "edge"));
    }
    let p = checked.render()?;
    let order = json!({
        "key": key,
        "template": p.template.id(),
        "tex": p.tex,
        "disposition": p.content_disposition(),
        "spacing": p.spacing.as_str(),
        "photo": p.document.personal_info().photo.as_ref().map(|ph| ph.data_uri()),
    })
    .to_string();
    let ts = (js_sys::Date::now() / 1000.0) as i64;
    let sig = signing::sign(
        s.secret.as_bytes(),
        "POST",
        "/internal/compile",
        ts,
        order.as_bytes(),
    );
    let headers = Headers::new();
    let _ = headers.set("content-type", "application/json");
    let _ = headers.set(signing::TIMESTAMP_HEADER, &ts.to_string());
    let _ = headers.set(signing::SIGNATURE_HEADER, &sig);
    let _ = headers.set("x-request-id", id);
    let url = format!("{}/internal/compile", s.origin);
    let (status, resp_headers, bytes) =
        origin_fetch(&url, Method::Post, headers, Some(order), s.timeout).await?;
    if status != 200 {
        return Ok(passthrough(status, &resp_headers, bytes));
    }
    let header = |n: &str| resp_headers.get(n).ok().flatten();
    let meta = Stored {
        content_type: header("content-type").unwrap_or_else(|| "application/pdf".into()),
        disposition: header("content-disposition").unwrap_or_default(),
        pages: header("x-page-count"),
        spacing: header("x-spacing-mode"),
    };
    let resp = bytes_response(
        bytes.clone(),
        &meta,
        &key,
        header("x-cache-tier").as_deref().unwrap_or("origin"),
    );
    store_later(ctx, store, key, bytes, meta, s.ttl);
    Ok(resp)
}

/// A DOCX: from KV, else built here (never by the origin) and written to KV after the
/// response, like a PDF, so `/documents/{key}.docx` serves repeat downloads.
async fn docx(
    env: &Env,
    ctx: &Context,
    s: &Settings,
    checked: &Checked,
) -> Result<Response, Failure> {
    let store = kv(env)?;
    let key = checked.key.clone();
    if checked.use_cache {
        if let Ok((Some(bytes), Some(meta))) = store.get(&key).bytes_with_metadata::<Stored>().await
        {
            return Ok(bytes_response(bytes, &meta, &key, "edge"));
        }
    }
    let bytes = checked.docx(checked.spacing)?;
    let meta = Stored {
        content_type: Format::Docx.content_type().into(),
        disposition: checked.content_disposition(),
        pages: None,
        spacing: Some(checked.spacing.as_str().into()),
    };
    let resp = bytes_response(bytes.clone(), &meta, &key, "edge-render");
    store_later(ctx, store, key, bytes, meta, s.ttl);
    Ok(resp)
}

/// Writes a document to KV after the response has gone.
fn store_later(
    ctx: &Context,
    store: worker::kv::KvStore,
    key: String,
    bytes: Vec<u8>,
    meta: Stored,
    ttl: u64,
) {
    ctx.wait_until(async move {
        if let Ok(put) = store.put_bytes(&key, &bytes) {
            if let Ok(put) = put.metadata(meta) {
                let _ = put.expiration_ttl(ttl).execute().await;
            }
        }
    });
}

/// Sends a request to the origin with a deadline; a refused or late origin is a 502/503.
async fn origin_fetch(
    url: &str,
    method: Method,
    headers: Headers,
    body: Option<String>,
    timeout: Duration,
) -> Result<(u16, Headers, Vec<u8>), Failure> {
    let mut init = RequestInit::new();
    init.with_method(method).with_headers(headers);
    if let Some(b) = body {
        init.with_body(Some(b.into()));
    }
    let request = Request::new_with_init(url, &init)
        .map_err(|e| Failure::new(ErrorCode::SYS001, format!("origin request: {e}")))?;
    let controller = AbortController::default();
    let signal = controller.signal();
    let timed_out = std::rc::Rc::new(std::cell::Cell::new(false));
    let flag = timed_out.clone();
    wasm_bindgen_futures::spawn_local(async move {
        Delay::from(timeout).await;
        flag.set(true);
        controller.abort();
    });
    let unavailable = |what: String| {
        let mut f = Failure::new(ErrorCode::SYS005, what);
        f.hint = Some("retry after the number of seconds in Retry-After".into());
        f
    };
    let mut resp = match Fetch::Request(request).send_with_signal(&signal).await {
        Ok(r) => r,
        Err(_) if timed_out.get() => {
            return Err(Failure::new(
                ErrorCode::API008,
                "the origin did not answer in time",
            ));
        }
        Err(e) => return Err(unavailable(format!("the origin could not be reached: {e}"))),
    };
    let bytes = resp
        .bytes()
        .await
        .map_err(|e| unavailable(format!("the origin's answer broke off: {e}")))?;
    Ok((resp.status_code(), resp.headers().clone(), bytes))
}

/// The origin's own answer (an error envelope or a document), status and headers kept.
fn passthrough(status: u16, headers: &Headers, bytes: Vec<u8>) -> Response {
    let mut r = Response::from_bytes(bytes)
        .map(|r| r.with_status(status))
        .unwrap_or_else(|_| unreachable_response());
    for (k, v) in headers.entries() {
        if !matches!(
            k.as_str(),
            "content-length" | "transfer-encoding" | "connection"
        ) {
            let _ = r.headers_mut().set(&k, &v);
        }
    }
    r
}

/// `use_cache: false` and fit-to-pages go to the origin's public `/generate` as sent.
async fn forward_generate(s: &Settings, v: &Value, source: Source) -> Result<Response, Failure> {
    let path = match source {
        Source::Json => "/generate",
        Source::Yaml => "/generate-yaml",
    };
    let headers = Headers::new();
    let _ = headers.set("content-type", "application/json");
    let (status, h, bytes) = origin_fetch(
        &format!("{}{path}", s.origin),
        Method::Post,
        headers,
        Some(v.to_string()),
        s.timeout,
    )
    .await?;
    Ok(passthrough(status, &h, bytes))
}

/// `GET /documents/{key}.{ext}`: KV, then the origin.
async fn document(
    env: &Env,
    ctx: &Context,
    s: &Settings,
    file: &str,
    id: &str,
) -> Result<Response, Failure> {
    let absent = || {
        Failure::new(
            ErrorCode::API011,
            format!("no stored document at /documents/{file}"),
        )
    };
    let (key, ext) = file.rsplit_once('.').ok_or_else(absent)?;
    if !resume_common::cache_key::is_key(key) || !Format::EXTENSIONS.contains(&ext) {
        return Err(absent());
    }
    let immutable = format!("public, max-age={}, immutable", s.ttl);
    let store = kv(env)?;
    // KV keeps what the edge writes: PDFs and DOCX files. A key names one format, so the stored
    // type must match the extension asked for.
    let kept = Format::parse(ext).filter(|f| matches!(f, Format::Pdf | Format::Docx));
    if let Some(format) = kept {
        if let Ok((Some(bytes), Some(meta))) = store.get(key).bytes_with_metadata::<Stored>().await
            && meta.content_type == format.content_type()
        {
            let mut r = bytes_response(bytes, &meta, key, "edge");
            let _ = r.headers_mut().set("cache-control", &immutable);
            return Ok(r);
        }
    }
    let headers = Headers::new();
    let _ = headers.set("x-request-id", id);
    let (status, h, bytes) = origin_fetch(
        &format!("{}/documents/{file}", s.origin),
        Method::Get,
        headers,
        None,
        s.timeout,
    )
    .await?;
    if status == 200 && kept.is_some() {
        let header = |n: &str| h.get(n).ok().flatten();
        let meta = Stored {
            content_type: header("content-type").unwrap_or_else(|| "application/pdf".into()),
            disposition: header("content-disposition").unwrap_or_default(),
            pages: header("x-page-count"),
            spacing: header("x-spacing-mode"),
        };
        store_later(ctx, store, key.to_owned(), bytes.clone(), meta, s.ttl);
    }
    Ok(passthrough(status, &h, bytes))
}
