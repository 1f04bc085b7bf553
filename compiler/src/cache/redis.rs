//! The Redis tier: shared between origins, bounded by short deadlines, never in the way.
//!
//! One reconnecting multiplexed connection ([`ConnectionManager`]). Every command has a deadline
//! of tens of milliseconds; a failure opens a breaker so later requests skip Redis at once
//! instead of each paying the deadline, and a monitor pings twice a second to close it again.
//! State changes are logged once, not per request.
//!
//! Keys (all under the configured prefix, so nothing else in the database is touched):
//! `{p}:doc:{key}` the stored document, `{p}:idx:{document_type}:{template}` a set of the keys
//! of one template (for invalidation by SSCAN, never KEYS), `{p}:lease:{key}` who is compiling.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{AsyncCommands, IntoConnectionInfo, Script};

use super::entry::Entry;
use crate::config::CacheConfig;
use crate::metrics::Metrics;

/// Deadline for the batched commands of an invalidation (each one, not the whole sweep).
const ADMIN_TIMEOUT: Duration = Duration::from_secs(2);
/// How often the monitor checks the connection.
const PING_EVERY: Duration = Duration::from_millis(500);
/// Keys per SSCAN/UNLINK batch.
const SCAN_BATCH: usize = 500;

/// The result of asking for the compile lease of a key.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Lease {
    /// This origin holds it, under this token.
    Acquired(String),
    /// Another origin is compiling.
    Held,
    /// Redis did not answer.
    Unavailable,
}

/// The Redis tier.
pub(crate) struct RedisTier {
    conn: ConnectionManager,
    prefix: String,
    timeout: Duration,
    connected: AtomicBool,
    metrics: Arc<Metrics>,
    address: String,
}

impl std::fmt::Debug for RedisTier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisTier")
            .field("address", &self.address)
            .field("connected", &self.connected())
            .finish_non_exhaustive()
    }
}

impl RedisTier {
    /// Sets up the connection (lazily: start-up never waits for Redis) and starts the monitor.
    pub(crate) fn start(
        address: &str,
        cfg: &CacheConfig,
        metrics: Arc<Metrics>,
    ) -> Result<Arc<Self>, String> {
        let mut info = address
            .into_connection_info()
            .map_err(|e| format!("invalid Redis address: {e}"))?;
        if let Some(pw) = cfg.redis_password.as_deref().filter(|p| !p.is_empty()) {
            if info.redis_settings().password().is_none() {
                let settings = info.redis_settings().clone().set_password(pw);
                info = info.set_redis_settings(settings);
            }
        }
        let client =
            redis::Client::open(info).map_err(|e| format!("invalid Redis address: {e}"))?;
        let timeout = cfg.redis_timeout();
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(timeout.max(Duration::from_millis(200))))
            .set_response_timeout(Some(timeout))
            .set_number_of_retries(2)
            .set_max_delay(Duration::from_millis(500))
            .set_concurrency_limit(cfg.redis_max_connections.max(1));
        let conn = ConnectionManager::new_lazy_with_config(client, config)
            .map_err(|e| format!("Redis connection could not be set up: {e}"))?;
        let tier = Arc::new(Self {
            conn,
            prefix: cfg.redis_key_prefix.clone(),
            timeout,
            // Pessimistic until the first ping answers, so no request waits on a Redis that
            // was never there.
            connected: AtomicBool::new(false),
            metrics,
            address: redact(address),
        });
        let weak = Arc::downgrade(&tier);
        tokio::spawn(async move {
            while let Some(tier) = weak.upgrade() {
                tier.ping().await;
                drop(tier);
                tokio::time::sleep(PING_EVERY).await;
            }
        });
        Ok(tier)
    }

    /// Whether Redis answered its last command.
    pub(crate) fn connected(&self) -> bool {
        self.connected.load(Ordering::Relaxed)
    }

    /// Where Redis is (without the password).
    pub(crate) fn address(&self) -> &str {
        &self.address
    }

    fn mark(&self, up: bool, why: &dyn std::fmt::Display) {
        if self.connected.swap(up, Ordering::Relaxed) != up {
            if up {
                tracing::info!(address = %self.address, "Redis connected");
            } else {
                tracing::warn!(address = %self.address, error = %why, "Redis unavailable; serving from memory and compiling until it is back");
            }
        }
    }

    /// Runs one command under a deadline; `None` (counted, breaker opened) on any failure.
    async fn run<T>(
        &self,
        deadline: Duration,
        fut: impl Future<Output = redis::RedisResult<T>>,
    ) -> Option<T> {
        match tokio::time::timeout(deadline, fut).await {
            Ok(Ok(v)) => Some(v),
            Ok(Err(e)) => {
                self.metrics.redis_errors.inc();
                self.mark(false, &e);
                None
            }
            Err(_) => {
                self.metrics.redis_errors.inc();
                self.mark(false, &format_args!("no answer within {deadline:?}"));
                None
            }
        }
    }

    /// Like [`Self::run`], but skipped while the breaker is open.
    async fn call<T>(&self, fut: impl Future<Output = redis::RedisResult<T>>) -> Option<T> {
        if !self.connected() {
            return None;
        }
        self.run(self.timeout, fut).await
    }

    /// Checks the connection and closes or opens the breaker.
    pub(crate) async fn ping(&self) -> bool {
        let mut c = self.conn.clone();
        let ok = self
            .run(
                self.timeout.max(Duration::from_millis(200)),
                redis::cmd("PING").query_async::<String>(&mut c),
            )
            .await
            .is_some();
        if ok {
            self.mark(true, &"");
        }
        ok
    }

    fn doc_key(&self, key: &str) -> String {
        format!("{}:doc:{key}", self.prefix)
    }

    fn index_key(&self, document_type: &str, template: &str) -> String {
        format!("{}:idx:{document_type}:{template}", self.prefix)
    }

    fn lease_key(&self, key: &str) -> String {
        format!("{}:lease:{key}", self.prefix)
    }

    /// Reads a document; `None` when absent, unreadable or Redis is unavailable.
    pub(crate) async fn get(&self, key: &str) -> Option<Entry> {
        let mut c = self.conn.clone();
        let raw: Option<Vec<u8>> = self.call(c.get(self.doc_key(key))).await?;
        Entry::decode(&raw?)
    }

    /// Stores a document with its TTL and records it in its template's index.
    pub(crate) async fn put(
        &self,
        key: &str,
        entry: &Entry,
        ttl: Duration,
        index_ttl: Duration,
    ) -> bool {
        let mut c = self.conn.clone();
        let idx = self.index_key(&entry.meta.document_type, &entry.meta.template);
        let ms = |d: Duration| i64::try_from(d.as_millis()).unwrap_or(i64::MAX).max(1);
        let mut pipe = redis::pipe();
        pipe.cmd("SET")
            .arg(self.doc_key(key))
            .arg(entry.encode())
            .arg("PX")
            .arg(ms(ttl))
            .ignore()
            .sadd(&idx, key)
            .ignore()
            .pexpire(&idx, ms(index_ttl))
            .ignore();
        self.call(pipe.query_async::<()>(&mut c)).await.is_some()
    }

    /// Asks for the right to compile `key` for `ttl` (renewed by the holder while it works).
    pub(crate) async fn try_lease(&self, key: &str, ttl: Duration) -> Lease {
        let token = uuid::Uuid::new_v4().to_string();
        let mut c = self.conn.clone();
        let mut cmd = redis::cmd("SET");
        cmd.arg(self.lease_key(key))
            .arg(&token)
            .arg("NX")
            .arg("PX")
            .arg(ttl.as_millis().max(1).to_string());
        match self.call(cmd.query_async::<Option<String>>(&mut c)).await {
            Some(Some(_)) => Lease::Acquired(token),
            Some(None) => Lease::Held,
            None => Lease::Unavailable,
        }
    }

    /// Extends a lease this origin holds.
    pub(crate) async fn renew(&self, key: &str, token: &str, ttl: Duration) {
        let script = Script::new(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then \
             return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end",
        );
        let mut c = self.conn.clone();
        let mut inv = script.key(self.lease_key(key));
        inv.arg(token).arg(ttl.as_millis().max(1).to_string());
        self.call(inv.invoke_async::<i64>(&mut c)).await;
    }

    /// Gives a lease back (only if still ours).
    pub(crate) async fn release(&self, key: &str, token: &str) {
        let script = Script::new(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then \
             return redis.call('DEL', KEYS[1]) else return 0 end",
        );
        let mut c = self.conn.clone();
        let mut inv = script.key(self.lease_key(key));
        inv.arg(token);
        self.call(inv.invoke_async::<i64>(&mut c)).await;
    }

    /// Removes one document. Returns how many keys were removed, `None` if Redis failed.
    pub(crate) async fn invalidate_key(&self, key: &str) -> Option<u64> {
        let mut c = self.conn.clone();
        self.run(ADMIN_TIMEOUT, c.unlink(self.doc_key(key))).await
    }

    /// Removes every document of one template: SSCAN its index in batches and UNLINK them.
    pub(crate) async fn invalidate_template(
        &self,
        document_type: &str,
        template: &str,
    ) -> Option<u64> {
        let idx = self.index_key(document_type, template);
        let mut c = self.conn.clone();
        let mut cursor: u64 = 0;
        let mut removed = 0;
        let started = Instant::now();
        loop {
            let (next, keys): (u64, Vec<String>) = self
                .run(
                    ADMIN_TIMEOUT,
                    redis::cmd("SSCAN")
                        .arg(&idx)
                        .arg(cursor)
                        .arg("COUNT")
                        .arg(SCAN_BATCH)
                        .query_async(&mut c),
                )
                .await?;
            if !keys.is_empty() {
                let docs: Vec<String> = keys.iter().map(|k| self.doc_key(k)).collect();
                removed += self.run(ADMIN_TIMEOUT, c.unlink::<_, u64>(docs)).await?;
            }
            if next == 0 {
                break;
            }
            cursor = next;
        }
        self.run(ADMIN_TIMEOUT, c.unlink::<_, u64>(&idx)).await?;
        tracing::info!(document_type, template, removed, elapsed = ?started.elapsed(), "Redis entries invalidated");
        Some(removed)
    }
}

/// The address without its password, for logs and `/metrics`.
fn redact(address: &str) -> String {
    match (address.find("://"), address.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}***{}", &address[..s + 3], &address[at..]),
        _ => address.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_never_reach_logs() {
        assert_eq!(
            redact("redis://:hunter2@cache:6379/0"),
            "redis://***@cache:6379/0"
        );
        assert_eq!(redact("rediss://u:p@h:1/2"), "rediss://***@h:1/2");
        assert_eq!(redact("redis://h:6379/0"), "redis://h:6379/0");
    }
}
