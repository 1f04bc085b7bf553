//! The HTTP server: router, shared state, the request middleware and graceful shutdown.

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use resume_common::api::{Asset, MAX_BODY_BYTES};
use resume_common::error::{ErrorCode, Failure};
use resume_common::render::Template;
use tokio::net::TcpListener;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::cache::{DocCache, RequestMemo};
use crate::config::Config;
use crate::error::{ApiFailure, envelope_response};
use crate::job::{CompileError, Compiler, Pdf};
use crate::metrics::{Metrics, Stage};
use crate::{internal, ops, routes};

/// What every handler shares.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The pdflatex runner.
    pub compiler: Arc<Compiler>,
    /// The document cache.
    pub cache: Arc<DocCache>,
    /// Request bodies seen before → the keys they checked to.
    pub memo: RequestMemo,
    /// Counters and latencies.
    pub metrics: Arc<Metrics>,
    /// When a compile last succeeded (for `/ready`).
    pub last_compile_ok: Arc<Mutex<Option<Instant>>>,
    /// Where job folders go (for the free-space check of `/ready`).
    pub job_root: PathBuf,
    /// Browser origins allowed by CORS (`*` for any).
    pub cors_allow_origins: String,
    /// The secret the edge signs internal requests with.
    pub edge_secret: Option<String>,
}

impl AppState {
    /// Builds the state: the compiler (probing the sandbox) and the cache tiers.
    pub fn new(cfg: &Config) -> anyhow::Result<Self> {
        let compiler = Compiler::new(cfg.compile.clone()).map_err(anyhow::Error::msg)?;
        let metrics = Arc::new(Metrics::default());
        // Waiting for another origin's compile is bounded by what that compile may take.
        let wait = cfg.compile.timeout() + Duration::from_secs(5);
        let cache =
            DocCache::new(cfg.cache.clone(), metrics.clone(), wait).map_err(anyhow::Error::msg)?;
        Ok(Self {
            compiler: Arc::new(compiler),
            cache: Arc::new(cache),
            memo: RequestMemo::new(MEMO_ENTRIES),
            metrics,
            last_compile_ok: Arc::new(Mutex::new(None)),
            job_root: cfg.compile.job_root(),
            cors_allow_origins: cfg.cors_allow_origins.clone(),
            edge_secret: cfg.edge_secret.clone(),
        })
    }

    /// Compiles a rendered document for a request (the warm path when ready): the one path
    /// that counts compiles and their stage times.
    pub async fn compile(
        &self,
        template: &'static Template,
        tex: &str,
        assets: &[Asset],
    ) -> Result<Pdf, CompileError> {
        let pdf = self
            .compiler
            .compile_doc_with(template, tex, assets)
            .await?;
        self.metrics.compiles.inc();
        self.metrics.record(Stage::QueueWait, pdf.queued);
        self.metrics.record(Stage::Compile, pdf.compiled);
        self.compiled_ok();
        Ok(pdf)
    }

    fn compiled_ok(&self) {
        *self
            .last_compile_ok
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = Some(Instant::now());
    }

    /// Compiles a one-line document when no compile succeeded recently, so `/ready` knows
    /// pdflatex still works; runs at start-up and then every minute.
    fn spawn_smoke_compiles(&self) {
        let st = self.clone();
        tokio::spawn(async move {
            loop {
                let recent = st
                    .last_compile_ok
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .is_some_and(|t| t.elapsed() < SMOKE_EVERY);
                if !recent {
                    match st.compiler.compile(SMOKE_TEX).await {
                        Ok(_) => st.compiled_ok(),
                        Err(e) => tracing::warn!(error = %e, "smoke compile failed"),
                    }
                }
                tokio::time::sleep(Duration::from_secs(60)).await;
            }
        });
    }
}

/// Request bodies remembered by the memo (each entry is ~100 bytes).
const MEMO_ENTRIES: u64 = 100_000;

/// How often, at most, the smoke compile runs; `/ready` wants a success within twice this.
pub const SMOKE_EVERY: Duration = Duration::from_secs(300);
const SMOKE_TEX: &str = "\\documentclass{article}\\begin{document}ready\\end{document}\n";

/// CORS for browser clients: the configured origins, GET and POST, no credentials (the
/// reference reflected any origin *with* credentials).
fn cors(origins: &str) -> CorsLayer {
    let layer = CorsLayer::new()
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::CONTENT_TYPE,
            header::IF_NONE_MATCH,
            header::CACHE_CONTROL,
            HeaderName::from_static("x-request-id"),
        ])
        .expose_headers([
            header::CONTENT_DISPOSITION,
            header::ETAG,
            header::RETRY_AFTER,
            HeaderName::from_static("x-request-id"),
            HeaderName::from_static("x-page-count"),
            HeaderName::from_static("x-cache"),
            HeaderName::from_static("x-cache-tier"),
            header::CONTENT_LOCATION,
            HeaderName::from_static("server-timing"),
        ])
        .max_age(std::time::Duration::from_secs(600));
    if origins.trim() == "*" {
        layer.allow_origin(AllowOrigin::any())
    } else {
        let list: Vec<HeaderValue> = origins
            .split(',')
            .filter_map(|o| HeaderValue::from_str(o.trim()).ok())
            .collect();
        layer.allow_origin(AllowOrigin::list(list))
    }
}

/// The request id, set by the middleware for handlers that want it.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Builds the application; tests call this to run it in process or on a real socket.
pub fn app(state: AppState) -> Router {
    let cors = cors(&state.cors_allow_origins);
    Router::new()
        .route("/", get(routes::root))
        .route("/health", get(routes::health))
        .route("/templates", get(routes::templates))
        .route("/templates/{document_type}", get(routes::templates_of))
        .route(
            "/template-info/{document_type}/{name}",
            get(routes::template_info),
        )
        .route("/schema/{document_type}", get(routes::schema))
        .route("/schema-yaml/{document_type}", get(routes::schema_yaml))
        .route("/validate", post(routes::validate))
        .route("/generate", post(routes::generate))
        .route("/generate-yaml", post(routes::generate_yaml))
        .route("/analyze", post(routes::analyze))
        .route("/analyze-pdf", post(routes::analyze_pdf))
        .route("/openapi.json", get(routes::openapi))
        .route("/docs", get(routes::docs))
        .route("/ready", get(ops::ready))
        .route("/metrics", get(ops::metrics))
        .route("/documents/{file}", get(ops::document))
        .route("/cache/invalidate", post(ops::invalidate))
        .route(internal::PATH, post(internal::compile))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(request_middleware))
        .layer(cors)
        .with_state(state)
}

async fn not_found(req: Request) -> ApiFailure {
    ApiFailure(Failure::new(
        ErrorCode::API011,
        format!("no route for {} {}", req.method(), req.uri().path()),
    ))
}

async fn method_not_allowed(req: Request) -> ApiFailure {
    ApiFailure(Failure::new(
        ErrorCode::API007,
        format!(
            "method {} is not allowed on {}",
            req.method(),
            req.uri().path()
        ),
    ))
}

/// Assigns the request id, writes error envelopes, and logs one line per request.
async fn request_middleware(mut req: Request, next: Next) -> Response {
    let start = Instant::now();
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|s| {
            !s.is_empty()
                && s.len() <= 64
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map_or_else(
            || uuid::Uuid::new_v4().simple().to_string()[..16].to_owned(),
            str::to_owned,
        );
    req.extensions_mut().insert(RequestId(id.clone()));
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let mut resp = next.run(req).await;
    if let Some(failure) = resp.extensions_mut().remove::<Failure>() {
        if failure.status() >= 500 {
            tracing::error!(request_id = %id, code = %failure.code, message = %failure.message, "request failed");
        } else {
            tracing::debug!(request_id = %id, code = %failure.code, message = %failure.message, "client error");
        }
        resp = envelope_response(resp, failure, &id);
    } else if resp.status() == StatusCode::PAYLOAD_TOO_LARGE {
        // Raised by the body limit inside an extractor.
        let f = Failure::new(
            ErrorCode::API004,
            format!("the request body is larger than {MAX_BODY_BYTES} bytes"),
        );
        resp = envelope_response(ApiFailure(f.clone()).into_response(), f, &id);
    }
    if let Ok(v) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert("x-request-id", v);
    }
    tracing::info!(
        request_id = %id,
        %method,
        path = %path,
        status = resp.status().as_u16(),
        ms = start.elapsed().as_secs_f64() * 1000.0,
        "request"
    );
    resp
}

/// Serves until `shutdown` resolves, then drains open connections.
pub async fn serve(
    cfg: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let listener = TcpListener::bind(SocketAddr::new(cfg.host, cfg.port)).await?;
    serve_on(listener, cfg, shutdown).await
}

/// Serves on a bound listener (tests bind port 0 and read the address first).
pub async fn serve_on(
    listener: TcpListener,
    cfg: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let state = AppState::new(&cfg)?;
    let addr = listener.local_addr()?;
    tracing::info!(
        %addr,
        workers = cfg.compile.workers(),
        sandbox = if state.compiler.sandboxed() { "bwrap" } else { "rlimits" },
        cache = if !state.cache.enabled() { "off" } else if state.cache.redis_state().is_some() { "memory+redis" } else { "memory" },
        "resume-compiler ready on http://{addr}"
    );
    state.spawn_smoke_compiles();
    state.compiler.start_warm();
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
