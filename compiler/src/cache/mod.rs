//! The document cache: an in-process tier, Redis behind it when configured, and coalescing of
//! identical work.
//!
//! Read path: memory → Redis (a hit fills memory) → produce (the result fills both). Identical
//! concurrent misses in this process share one production (a [`OnceCell`] per key in flight);
//! across origins sharing Redis, a short renewed lease (`SET NX PX`) lets one origin compile
//! while the others poll for its result, and compile themselves if the holder goes away.
//! Keys are content addresses (see `resume_common::cache_key`), so entries never go stale;
//! TTLs and the byte budget only bound space.

mod entry;
mod memo;
mod redis;

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use moka::Expiry;
use resume_common::error::{ErrorCode, Failure};
use resume_common::model::DocumentType;
use resume_common::render::TEMPLATES;
use tokio::sync::OnceCell;

pub use self::entry::{Entry, Meta};
pub use self::memo::{Memo, RequestMemo};
use self::redis::{Lease, RedisTier};
use crate::config::CacheConfig;
use crate::metrics::{Metrics, Stage};

/// How long a compile lease lasts without renewal: a dead holder blocks others this long.
const LEASE_TTL: Duration = Duration::from_secs(2);
/// How often the holder renews its lease.
const LEASE_RENEW: Duration = Duration::from_millis(500);
/// How often a waiting origin looks for the holder's result.
const LEASE_POLL: Duration = Duration::from_millis(20);

/// Where a response came from (`X-Cache-Tier`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    /// The in-process tier.
    Memory,
    /// Redis.
    Redis,
    /// Produced for this request.
    Compile,
    /// Produced for an identical request (here or on another origin) that this one waited for.
    Coalesced,
}

impl Tier {
    /// The header value.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Memory => "memory",
            Tier::Redis => "redis",
            Tier::Compile => "compile",
            Tier::Coalesced => "coalesced",
        }
    }

    /// `X-Cache`: everything not produced for this very request is a hit.
    pub fn x_cache(self) -> &'static str {
        if self == Tier::Compile { "MISS" } else { "HIT" }
    }
}

/// What to invalidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    /// One document.
    Key(String),
    /// Every document of a type and/or template (both `None`: everything this service stored).
    Matching {
        /// Only this document type.
        document_type: Option<DocumentType>,
        /// Only templates of this name.
        template: Option<String>,
    },
}

/// What an invalidation did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Invalidated {
    /// The templates whose entries were dropped, as `document_type/template`.
    pub templates: Vec<String>,
    /// Redis keys removed (`None` when Redis is not configured).
    pub redis_removed: Option<u64>,
}

type Shared = Result<(Arc<Entry>, Tier), Failure>;

/// Per-extension lifetimes for the in-process tier.
struct ByFormat {
    pdf: Duration,
    other: Duration,
}

impl Expiry<String, Arc<Entry>> for ByFormat {
    fn expire_after_create(
        &self,
        _key: &String,
        value: &Arc<Entry>,
        _created_at: std::time::Instant,
    ) -> Option<Duration> {
        Some(if value.meta.ext == "pdf" {
            self.pdf
        } else {
            self.other
        })
    }
}

/// The two tiers, coalescing, and their counters.
pub struct DocCache {
    cfg: CacheConfig,
    memory: moka::future::Cache<String, Arc<Entry>>,
    redis: Option<Arc<RedisTier>>,
    inflight: Mutex<HashMap<String, Arc<OnceCell<Shared>>>>,
    metrics: Arc<Metrics>,
    /// The longest a request waits for another origin's compile before doing it itself.
    wait_limit: Duration,
}

impl std::fmt::Debug for DocCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DocCache")
            .field("enabled", &self.cfg.cache_enabled)
            .field("redis", &self.redis)
            .finish_non_exhaustive()
    }
}

/// Aborts a background task when dropped (the lease renewer must not outlive its compile).
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl DocCache {
    /// Builds the tiers from the configuration; Redis is connected lazily, in the background.
    pub fn new(
        cfg: CacheConfig,
        metrics: Arc<Metrics>,
        wait_limit: Duration,
    ) -> Result<Self, String> {
        let capacity = if cfg.cache_enabled {
            cfg.cache_memory_mb.saturating_mul(1 << 20)
        } else {
            0
        };
        let memory = moka::future::Cache::builder()
            .max_capacity(capacity)
            .weigher(|_k: &String, v: &Arc<Entry>| v.weight())
            .expire_after(ByFormat {
                pdf: cfg.ttl("pdf"),
                other: cfg.ttl("tex"),
            })
            .support_invalidation_closures()
            .build();
        let redis = match cfg.redis_address().filter(|_| cfg.cache_enabled) {
            Some(address) => {
                if cfg.redis_ssl || address.starts_with("rediss://") {
                    // rustls needs one process-wide crypto provider; a second install is a no-op.
                    let _ = rustls::crypto::ring::default_provider().install_default();
                }
                let tier = RedisTier::start(&address, &cfg, metrics.clone())?;
                tracing::info!(address = tier.address(), "Redis tier configured");
                Some(tier)
            }
            None => {
                tracing::info!(
                    enabled = cfg.cache_enabled,
                    "no Redis configured; the in-process cache works alone"
                );
                None
            }
        };
        Ok(Self {
            cfg,
            memory,
            redis,
            inflight: Mutex::new(HashMap::new()),
            metrics,
            wait_limit,
        })
    }

    /// Whether documents are cached at all.
    pub fn enabled(&self) -> bool {
        self.cfg.cache_enabled
    }

    /// `Some(connected)` when Redis is configured.
    pub fn redis_state(&self) -> Option<bool> {
        self.redis.as_ref().map(|r| r.connected())
    }

    /// Asks Redis now (for `/ready`); `None` when Redis is not configured.
    pub async fn redis_ping(&self) -> Option<bool> {
        match &self.redis {
            Some(r) => Some(r.ping().await),
            None => None,
        }
    }

    /// Entries and bytes in the in-process tier, and its byte budget.
    pub async fn memory_usage(&self) -> (u64, u64, u64) {
        self.memory.run_pending_tasks().await;
        (
            self.memory.entry_count(),
            self.memory.weighted_size(),
            self.memory.policy().max_capacity().unwrap_or(0),
        )
    }

    /// How long documents of this extension stay cached.
    pub fn ttl(&self, ext: &str) -> Duration {
        self.cfg.ttl(ext)
    }

    /// The admin token `POST /cache/invalidate` requires, if any.
    pub fn admin_token(&self) -> Option<&str> {
        self.cfg
            .cache_admin_token
            .as_deref()
            .filter(|t| !t.is_empty())
    }

    /// Memory, then Redis (a Redis hit fills memory).
    pub async fn lookup(&self, key: &str) -> Option<(Arc<Entry>, Tier)> {
        if !self.enabled() {
            return None;
        }
        let started = Instant::now();
        let found = match self.memory.get(key).await {
            Some(e) => Some((e, Tier::Memory)),
            None => match &self.redis {
                Some(r) => match r.get(key).await {
                    Some(e) => {
                        let e = Arc::new(e);
                        self.memory.insert(key.to_owned(), e.clone()).await;
                        Some((e, Tier::Redis))
                    }
                    None => None,
                },
                None => None,
            },
        };
        self.metrics.record(Stage::CacheGet, started.elapsed());
        found
    }

    /// A counted lookup: a request answered from a tier.
    pub async fn hit(&self, key: &str) -> Option<(Arc<Entry>, Tier)> {
        let (entry, tier) = self.lookup(key).await?;
        match tier {
            Tier::Redis => self.metrics.redis_hits.inc(),
            _ => self.metrics.memory_hits.inc(),
        }
        Some((entry, tier))
    }

    /// Writes both tiers.
    pub async fn store(&self, key: &str, entry: &Arc<Entry>) {
        if !self.enabled() {
            return;
        }
        let started = Instant::now();
        self.memory.insert(key.to_owned(), entry.clone()).await;
        if let Some(r) = &self.redis {
            let ttl = self.ttl(&entry.meta.ext);
            let longest = self.ttl("pdf").max(self.ttl("tex"));
            r.put(key, entry, ttl, longest).await;
        }
        self.metrics.sets.inc();
        self.metrics.record(Stage::CachePut, started.elapsed());
    }

    /// The document for `key`: from a tier when `read`, else (or on a miss) from `produce`,
    /// sharing one production among identical concurrent requests.
    pub async fn fetch<F, Fut>(&self, key: &str, read: bool, produce: F) -> Shared
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Entry, Failure>>,
    {
        if !read {
            // A refresh: skip the read and the queue of identical requests, store the result.
            self.metrics.bypassed.inc();
            let entry = Arc::new(produce().await?);
            self.store(key, &entry).await;
            return Ok((entry, Tier::Compile));
        }
        if let Some(hit) = self.hit(key).await {
            return Ok(hit);
        }
        let cell = {
            let mut map = self.inflight.lock().unwrap_or_else(|p| p.into_inner());
            map.entry(key.to_owned()).or_default().clone()
        };
        let mut led = false;
        let result = cell
            .get_or_init(|| {
                led = true;
                self.lead(key, produce)
            })
            .await
            .clone();
        {
            let mut map = self.inflight.lock().unwrap_or_else(|p| p.into_inner());
            if map.get(key).is_some_and(|c| Arc::ptr_eq(c, &cell)) {
                map.remove(key);
            }
        }
        let tier = match (&result, led) {
            (Ok((_, tier)), true) => *tier,
            (Err(_), true) => Tier::Compile,
            (_, false) => Tier::Coalesced,
        };
        match tier {
            Tier::Memory => self.metrics.memory_hits.inc(),
            Tier::Redis => self.metrics.redis_hits.inc(),
            Tier::Coalesced => self.metrics.coalesced.inc(),
            Tier::Compile => self.metrics.misses.inc(),
        }
        result.map(|(entry, _)| (entry, tier))
    }

    /// The one production of a key in this process: take the cross-origin lease (or wait for
    /// its holder's result), produce, store, release.
    async fn lead<F, Fut>(&self, key: &str, produce: F) -> Shared
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Entry, Failure>>,
    {
        // An identical request may have finished between our lookup and taking the lead.
        if let Some(e) = self.memory.get(key).await {
            return Ok((e, Tier::Memory));
        }
        let redis = self.redis.as_ref().filter(|r| r.connected());
        let deadline = Instant::now() + self.wait_limit;
        let mut lease = None;
        if let Some(r) = redis {
            loop {
                match r.try_lease(key, LEASE_TTL).await {
                    Lease::Acquired(token) => {
                        lease = Some(token);
                        break;
                    }
                    Lease::Unavailable => break,
                    Lease::Held => {
                        if Instant::now() >= deadline {
                            tracing::warn!(key, "gave up waiting for another origin's compile");
                            break;
                        }
                        tokio::time::sleep(LEASE_POLL).await;
                        if let Some(e) = r.get(key).await {
                            let e = Arc::new(e);
                            self.memory.insert(key.to_owned(), e.clone()).await;
                            return Ok((e, Tier::Coalesced));
                        }
                    }
                }
            }
        }
        let renewer = match (redis, &lease) {
            (Some(r), Some(token)) => {
                let (r, key, token) = (r.clone(), key.to_owned(), token.clone());
                Some(AbortOnDrop(tokio::spawn(async move {
                    loop {
                        tokio::time::sleep(LEASE_RENEW).await;
                        r.renew(&key, &token, LEASE_TTL).await;
                    }
                })))
            }
            _ => None,
        };
        let produced = produce().await.map(Arc::new);
        if let Ok(entry) = &produced {
            self.store(key, entry).await;
        }
        drop(renewer);
        if let (Some(r), Some(token)) = (redis, &lease) {
            r.release(key, token).await;
        }
        produced.map(|e| (e, Tier::Compile))
    }

    /// A stored document, for content-addressed downloads (no production, no counters).
    pub async fn stored(&self, key: &str) -> Option<Arc<Entry>> {
        self.lookup(key).await.map(|(e, _)| e)
    }

    /// Drops matching entries from both tiers. Fails (503) only when Redis is configured and
    /// could not be cleared, since the next request would then still be a hit.
    pub async fn invalidate(&self, sel: &Selector) -> Result<Invalidated, Failure> {
        let unavailable = || {
            Failure::new(
                ErrorCode::SYS003,
                "Redis did not answer, so its copies could not be removed; the in-process copies were",
            )
        };
        match sel {
            Selector::Key(key) => {
                self.memory.invalidate(key).await;
                let redis_removed = match &self.redis {
                    Some(r) => Some(r.invalidate_key(key).await.ok_or_else(unavailable)?),
                    None => None,
                };
                Ok(Invalidated {
                    templates: Vec::new(),
                    redis_removed,
                })
            }
            Selector::Matching {
                document_type,
                template,
            } => {
                let chosen: Vec<(String, String)> = TEMPLATES
                    .iter()
                    .filter(|t| document_type.is_none_or(|d| d == t.document_type))
                    .filter(|t| template.as_deref().is_none_or(|n| n == t.name))
                    .map(|t| (t.document_type.as_str().to_owned(), t.name.to_owned()))
                    .collect();
                let pairs = chosen.clone();
                self.memory
                    .invalidate_entries_if(move |_, v| {
                        pairs
                            .iter()
                            .any(|(d, t)| *d == v.meta.document_type && *t == v.meta.template)
                    })
                    .map_err(|e| Failure::new(ErrorCode::SYS001, e.to_string()))?;
                let mut redis_removed = None;
                if let Some(r) = &self.redis {
                    let mut n = 0;
                    for (d, t) in &chosen {
                        n += r.invalidate_template(d, t).await.ok_or_else(unavailable)?;
                    }
                    redis_removed = Some(n);
                }
                Ok(Invalidated {
                    templates: chosen.iter().map(|(d, t)| format!("{d}/{t}")).collect(),
                    redis_removed,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests;
