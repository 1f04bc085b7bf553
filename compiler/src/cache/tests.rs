//! Unit tests of the cache tiers and coalescing, with the in-process tier only (Redis is
//! exercised for real by the integration tests).

use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::Bytes;
use clap::Parser;

use super::*;

#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    cache: CacheConfig,
}

fn cache(args: &[&str]) -> (DocCache, Arc<Metrics>) {
    let mut argv = vec!["test"];
    argv.extend_from_slice(args);
    let cfg = Cli::parse_from(argv).cache;
    let metrics = Arc::new(Metrics::default());
    let c = DocCache::new(cfg, metrics.clone(), Duration::from_secs(5)).expect("builds");
    (c, metrics)
}

fn entry(template: &str, body: &str) -> Entry {
    Entry {
        meta: Meta {
            ext: "pdf".into(),
            content_type: "application/pdf".into(),
            document_type: "resume".into(),
            template: template.into(),
            disposition: "attachment".into(),
            pages: Some(1),
            spacing: "normal".into(),
            fit: None,
        },
        body: Bytes::copy_from_slice(body.as_bytes()),
    }
}

#[tokio::test]
async fn second_request_is_a_memory_hit() {
    let (c, m) = cache(&[]);
    let (e, t) = c
        .fetch("k", true, || async { Ok(entry("classic", "one")) })
        .await
        .unwrap();
    assert_eq!((t, &e.body[..]), (Tier::Compile, &b"one"[..]));
    let (e, t) = c
        .fetch("k", true, || async { panic!("must not produce on a hit") })
        .await
        .unwrap();
    assert_eq!((t, &e.body[..]), (Tier::Memory, &b"one"[..]));
    assert_eq!(
        (m.misses.get(), m.memory_hits.get(), m.sets.get()),
        (1, 1, 1)
    );
}

#[tokio::test]
async fn a_refresh_skips_the_read_and_replaces_the_copy() {
    let (c, m) = cache(&[]);
    c.fetch("k", true, || async { Ok(entry("classic", "old")) })
        .await
        .unwrap();
    let (e, t) = c
        .fetch("k", false, || async { Ok(entry("classic", "new")) })
        .await
        .unwrap();
    assert_eq!((t, &e.body[..]), (Tier::Compile, &b"new"[..]));
    let (e, t) = c
        .fetch("k", true, || async { panic!("cached") })
        .await
        .unwrap();
    assert_eq!((t, &e.body[..]), (Tier::Memory, &b"new"[..]));
    assert_eq!(m.bypassed.get(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identical_concurrent_misses_produce_once() {
    let (c, m) = cache(&[]);
    let c = Arc::new(c);
    let runs = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..10 {
        let (c, runs) = (c.clone(), runs.clone());
        tasks.push(tokio::spawn(async move {
            c.fetch("same", true, || async {
                runs.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(100)).await;
                Ok(entry("classic", "shared"))
            })
            .await
        }));
    }
    let mut tiers = Vec::new();
    for t in tasks {
        let (e, tier) = t.await.unwrap().unwrap();
        assert_eq!(&e.body[..], b"shared");
        tiers.push(tier);
    }
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    assert_eq!(tiers.iter().filter(|t| **t == Tier::Compile).count(), 1);
    assert_eq!(m.misses.get() + m.coalesced.get() + m.memory_hits.get(), 10);
    assert_eq!(m.misses.get(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failure_reaches_every_waiter_and_is_not_stored() {
    let (c, _) = cache(&[]);
    let c = Arc::new(c);
    let runs = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..5 {
        let (c, runs) = (c.clone(), runs.clone());
        tasks.push(tokio::spawn(async move {
            c.fetch("bad", true, || async {
                runs.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(50)).await;
                Err(Failure::new(ErrorCode::TPL007, "broken"))
            })
            .await
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap_err().code, ErrorCode::TPL007);
    }
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    let (_, t) = c
        .fetch("bad", true, || async { Ok(entry("classic", "fixed")) })
        .await
        .unwrap();
    assert_eq!(t, Tier::Compile, "failures are not cached");
}

#[tokio::test]
async fn a_cancelled_leader_hands_over_to_a_waiter() {
    let (c, _) = cache(&[]);
    let c = Arc::new(c);
    let leader = {
        let c = c.clone();
        tokio::spawn(async move {
            c.fetch("k", true, || async {
                tokio::time::sleep(Duration::from_secs(60)).await;
                Ok(entry("classic", "never"))
            })
            .await
        })
    };
    tokio::time::sleep(Duration::from_millis(20)).await;
    let waiter = {
        let c = c.clone();
        tokio::spawn(async move {
            c.fetch("k", true, || async { Ok(entry("classic", "second")) })
                .await
        })
    };
    tokio::time::sleep(Duration::from_millis(20)).await;
    leader.abort();
    let (e, _) = tokio::time::timeout(Duration::from_secs(5), waiter)
        .await
        .expect("the waiter takes over")
        .unwrap()
        .unwrap();
    assert_eq!(&e.body[..], b"second");
}

#[tokio::test]
async fn invalidation_by_template_and_by_key() {
    let (c, _) = cache(&[]);
    for (k, t) in [("a", "classic"), ("b", "two_column"), ("c", "classic")] {
        c.fetch(k, true, || async { Ok(entry(t, k)) })
            .await
            .unwrap();
    }
    let done = c
        .invalidate(&Selector::Matching {
            document_type: Some(DocumentType::Resume),
            template: Some("classic".into()),
        })
        .await
        .unwrap();
    assert_eq!(done.templates, vec!["resume/classic"]);
    assert_eq!(done.redis_removed, None);
    assert!(c.stored("a").await.is_none());
    assert!(c.stored("c").await.is_none());
    assert!(c.stored("b").await.is_some(), "other templates survive");
    c.invalidate(&Selector::Key("b".into())).await.unwrap();
    assert!(c.stored("b").await.is_none());
}

#[tokio::test]
async fn disabled_cache_stores_nothing() {
    let (c, _) = cache(&["--cache-enabled", "false"]);
    c.fetch("k", true, || async { Ok(entry("classic", "x")) })
        .await
        .unwrap();
    let (_, t) = c
        .fetch("k", true, || async { Ok(entry("classic", "x")) })
        .await
        .unwrap();
    assert_eq!(t, Tier::Compile);
    assert!(c.stored("k").await.is_none());
}

#[tokio::test]
async fn the_byte_budget_bounds_the_memory_tier() {
    let (c, _) = cache(&["--cache-memory-mb", "1"]);
    let big = "x".repeat(300_000);
    for k in 0..10 {
        let body = big.clone();
        c.fetch(&k.to_string(), true, || async move {
            Ok(entry("classic", &body))
        })
        .await
        .unwrap();
    }
    let (entries, bytes, cap) = c.memory_usage().await;
    assert_eq!(cap, 1 << 20);
    assert!(bytes <= cap, "{bytes} > {cap}");
    assert!(entries <= 3, "{entries} entries of 300 kB in 1 MiB");
}
