//! Counters and latency summaries for `/metrics`, as JSON (the reference's shape, extended) and
//! as the Prometheus text format.
//!
//! Everything is in process and lock-free except the latency histograms, which take a short
//! mutex per sample (nanoseconds next to the work they measure).

use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use hdrhistogram::Histogram;
use serde_json::{Value, json};

/// A stage of request handling whose latency is tracked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Parsing, validating and normalizing the request and computing its key.
    Validate,
    /// Rendering LaTeX.
    Render,
    /// Waiting for a compile slot.
    QueueWait,
    /// Running pdflatex.
    Compile,
    /// Reading from the cache tiers.
    CacheGet,
    /// Writing to the cache tiers.
    CachePut,
}

impl Stage {
    /// Every stage, in reporting order.
    pub const ALL: [Stage; 6] = [
        Stage::Validate,
        Stage::Render,
        Stage::QueueWait,
        Stage::Compile,
        Stage::CacheGet,
        Stage::CachePut,
    ];

    /// The stage's name in both output formats.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Validate => "validate",
            Stage::Render => "render",
            Stage::QueueWait => "queue_wait",
            Stage::Compile => "compile",
            Stage::CacheGet => "cache_get",
            Stage::CachePut => "cache_put",
        }
    }
}

/// A monotonically increasing count.
#[derive(Debug, Default)]
pub struct Counter(AtomicU64);

impl Counter {
    /// Adds one.
    pub fn inc(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }

    /// The current value.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// Latency samples in microseconds, 1 µs to 10 min, 3 significant digits.
#[derive(Debug)]
struct Latency(Mutex<Histogram<u64>>);

impl Default for Latency {
    fn default() -> Self {
        Latency(Mutex::new(
            Histogram::new_with_bounds(1, 600_000_000, 3).expect("static bounds are valid"),
        ))
    }
}

/// A latency summary: count, sum, and quantiles, all in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Samples.
    pub count: u64,
    /// Sum of all samples.
    pub sum_ms: f64,
    /// Median.
    pub p50_ms: f64,
    /// 95th percentile.
    pub p95_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Largest sample.
    pub max_ms: f64,
}

impl Latency {
    fn record(&self, d: Duration) {
        let us = u64::try_from(d.as_micros()).unwrap_or(u64::MAX).max(1);
        let mut h = self.0.lock().unwrap_or_else(|p| p.into_inner());
        h.saturating_record(us);
    }

    fn summary(&self) -> Summary {
        let h = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let ms = |us: u64| us as f64 / 1000.0;
        Summary {
            count: h.len(),
            // The histogram keeps no exact sum; the mean times the count is within its precision.
            sum_ms: h.mean() * h.len() as f64 / 1000.0,
            p50_ms: ms(h.value_at_quantile(0.50)),
            p95_ms: ms(h.value_at_quantile(0.95)),
            p99_ms: ms(h.value_at_quantile(0.99)),
            max_ms: ms(h.max()),
        }
    }
}

/// Every number `/metrics` reports that is not read from elsewhere at report time.
#[derive(Debug, Default)]
pub struct Metrics {
    /// Served from the in-process tier.
    pub memory_hits: Counter,
    /// Served from Redis.
    pub redis_hits: Counter,
    /// Served by waiting for an identical request's compile (here or on another origin).
    pub coalesced: Counter,
    /// Looked up and not found, so produced.
    pub misses: Counter,
    /// Asked not to read the cache (`use_cache: false` or `Cache-Control: no-cache`).
    pub bypassed: Counter,
    /// Documents written to the cache.
    pub sets: Counter,
    /// Redis operations that failed or timed out.
    pub redis_errors: Counter,
    /// pdflatex runs.
    pub compiles: Counter,
    /// Answered 304 Not Modified.
    pub not_modified: Counter,
    latencies: [Latency; 6],
}

/// Values read from their owners when a report is made.
#[derive(Debug, Clone, Copy)]
pub struct Gauges {
    /// Whether the cache is enabled.
    pub enabled: bool,
    /// Whether a Redis tier is configured.
    pub redis_configured: bool,
    /// Whether Redis answered its last command.
    pub redis_connected: bool,
    /// Entries in the in-process tier.
    pub memory_entries: u64,
    /// Bytes in the in-process tier.
    pub memory_bytes: u64,
    /// The in-process tier's byte budget.
    pub memory_capacity_bytes: u64,
    /// Compiles waiting for a slot.
    pub queue_depth: u64,
    /// Compiles running.
    pub compiles_running: u64,
}

impl Metrics {
    /// Records how long a stage took.
    pub fn record(&self, stage: Stage, d: Duration) {
        self.latencies[stage as usize].record(d);
    }

    /// The latency summary of a stage.
    pub fn summary(&self, stage: Stage) -> Summary {
        self.latencies[stage as usize].summary()
    }

    /// Requests answered from a cache tier or by coalescing.
    pub fn hits(&self) -> u64 {
        self.memory_hits.get() + self.redis_hits.get() + self.coalesced.get()
    }

    /// The JSON report: the reference's `{status, cache:{…}}` plus tiers, compiles and stages.
    pub fn json(&self, g: &Gauges) -> Value {
        let hits = self.hits();
        let misses = self.misses.get() + self.bypassed.get();
        let total = hits + misses;
        let rate = if total == 0 {
            0.0
        } else {
            (hits as f64 * 10_000.0 / total as f64).round() / 100.0
        };
        let stages: serde_json::Map<String, Value> = Stage::ALL
            .iter()
            .map(|s| {
                let m = self.summary(*s);
                let r = |v: f64| (v * 1000.0).round() / 1000.0;
                (
                    s.name().to_owned(),
                    json!({"count": m.count, "p50_ms": r(m.p50_ms), "p95_ms": r(m.p95_ms),
                           "p99_ms": r(m.p99_ms), "max_ms": r(m.max_ms),
                           "mean_ms": if m.count == 0 { 0.0 } else { r(m.sum_ms / m.count as f64) }}),
                )
            })
            .collect();
        json!({
            "status": "ok",
            "cache": {
                "hits": hits,
                "misses": misses,
                "total_requests": total,
                "hit_rate_percent": rate,
                "errors": self.redis_errors.get(),
                "sets": self.sets.get(),
                "enabled": g.enabled,
                "connected": g.redis_connected,
            },
            "tiers": {
                "memory": {
                    "hits": self.memory_hits.get(),
                    "entries": g.memory_entries,
                    "bytes": g.memory_bytes,
                    "capacity_bytes": g.memory_capacity_bytes,
                },
                "redis": {
                    "configured": g.redis_configured,
                    "connected": g.redis_connected,
                    "hits": self.redis_hits.get(),
                    "errors": self.redis_errors.get(),
                },
                "mode": if !g.enabled { "off" } else if g.redis_configured { "memory+redis" } else { "memory-only" },
            },
            "requests": {
                "coalesced": self.coalesced.get(),
                "bypassed": self.bypassed.get(),
                "not_modified": self.not_modified.get(),
            },
            "compiles": {
                "total": self.compiles.get(),
                "running": g.compiles_running,
                "queue_depth": g.queue_depth,
            },
            "latency": stages,
        })
    }

    /// The Prometheus text exposition format (version 0.0.4).
    pub fn prometheus(&self, g: &Gauges) -> String {
        let mut out = String::new();
        let mut metric = |name: &str, kind: &str, help: &str, rows: &[(&str, f64)]| {
            let _ = writeln!(
                out,
                "# HELP resume_{name} {help}\n# TYPE resume_{name} {kind}"
            );
            for (labels, v) in rows {
                let _ = writeln!(out, "resume_{name}{labels} {v}");
            }
        };
        let c = |c: &Counter| c.get() as f64;
        let b = |v: bool| if v { 1.0 } else { 0.0 };
        metric(
            "cache_requests_total",
            "counter",
            "Document requests by how they were answered.",
            &[
                ("{result=\"memory\"}", c(&self.memory_hits)),
                ("{result=\"redis\"}", c(&self.redis_hits)),
                ("{result=\"coalesced\"}", c(&self.coalesced)),
                ("{result=\"miss\"}", c(&self.misses)),
                ("{result=\"bypass\"}", c(&self.bypassed)),
            ],
        );
        metric(
            "cache_sets_total",
            "counter",
            "Documents written to the cache.",
            &[("", c(&self.sets))],
        );
        metric(
            "redis_errors_total",
            "counter",
            "Redis commands that failed or timed out.",
            &[("", c(&self.redis_errors))],
        );
        metric(
            "not_modified_total",
            "counter",
            "Requests answered 304 Not Modified.",
            &[("", c(&self.not_modified))],
        );
        metric(
            "compiles_total",
            "counter",
            "pdflatex runs.",
            &[("", c(&self.compiles))],
        );
        metric(
            "cache_enabled",
            "gauge",
            "1 when the document cache is on.",
            &[("", b(g.enabled))],
        );
        metric(
            "redis_configured",
            "gauge",
            "1 when a Redis tier is configured.",
            &[("", b(g.redis_configured))],
        );
        metric(
            "redis_connected",
            "gauge",
            "1 when Redis answered its last command.",
            &[("", b(g.redis_connected))],
        );
        metric(
            "memory_cache_entries",
            "gauge",
            "Entries in the in-process tier.",
            &[("", g.memory_entries as f64)],
        );
        metric(
            "memory_cache_bytes",
            "gauge",
            "Bytes held by the in-process tier.",
            &[("", g.memory_bytes as f64)],
        );
        metric(
            "compile_queue_depth",
            "gauge",
            "Compiles waiting for a slot.",
            &[("", g.queue_depth as f64)],
        );
        metric(
            "compiles_running",
            "gauge",
            "Compiles running now.",
            &[("", g.compiles_running as f64)],
        );
        let _ = writeln!(
            out,
            "# HELP resume_stage_seconds Time spent per request stage.\n# TYPE resume_stage_seconds summary"
        );
        for s in Stage::ALL {
            let m = self.summary(s);
            let n = s.name();
            for (q, v) in [("0.5", m.p50_ms), ("0.95", m.p95_ms), ("0.99", m.p99_ms)] {
                let _ = writeln!(
                    out,
                    "resume_stage_seconds{{stage=\"{n}\",quantile=\"{q}\"}} {}",
                    v / 1000.0
                );
            }
            let _ = writeln!(
                out,
                "resume_stage_seconds_sum{{stage=\"{n}\"}} {}",
                m.sum_ms / 1000.0
            );
            let _ = writeln!(
                out,
                "resume_stage_seconds_count{{stage=\"{n}\"}} {}",
                m.count
            );
        }
        out
    }
}

#[cfg(test)]
mod tests;
