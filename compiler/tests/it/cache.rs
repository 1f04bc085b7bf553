//! The document cache against real parts: `redis-server` started on a free port, origins
//! started and stopped in process, pdflatex for real.

use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::{Origin, Redis, client, fixture, redis_present, tools_present};

fn ready() -> bool {
    tools_present() && redis_present()
}

/// A résumé no other test asks for, so its key is new.
fn unique_resume(tag: &str) -> Value {
    let mut data = fixture("resume-minimal.json");
    data["personalInfo"]["name"] = json!(format!("Cache Test {tag} {}", rand_u64()));
    json!({"document_type": "resume", "template": "classic", "data": data})
}

/// A random number (std's per-instance hasher keys are random).
fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(Instant::now())
}

fn header<'a>(h: &'a reqwest::header::HeaderMap, name: &str) -> &'a str {
    h.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

fn redis_origin(redis: &Redis) -> Origin {
    Origin::start(&["--redis-url", &redis.url(), "--compile-timeout-ms", "20000"])
}

/// Waits until `/metrics` says Redis is (or is not) connected.
fn wait_connected(o: &Origin, want: bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while o.metrics()["cache"]["connected"] != json!(want) {
        assert!(
            Instant::now() < deadline,
            "Redis connected never became {want}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn memory_hit_then_redis_hit_after_restart_and_refresh_on_request() {
    if !ready() {
        return;
    }
    let redis = Redis::start();
    let a = redis_origin(&redis);
    wait_connected(&a, true);
    let body = unique_resume("restart");
    let (s, h1, pdf1) = a.post("/generate", &body);
    assert_eq!(s, 200);
    assert_eq!(
        (header(&h1, "x-cache"), header(&h1, "x-cache-tier")),
        ("MISS", "compile")
    );
    let (_, h2, pdf2) = a.post("/generate", &body);
    assert_eq!(
        (header(&h2, "x-cache"), header(&h2, "x-cache-tier")),
        ("HIT", "memory")
    );
    assert_eq!(pdf1, pdf2);
    assert_eq!(header(&h1, "etag"), header(&h2, "etag"));
    a.stop();

    let b = redis_origin(&redis);
    wait_connected(&b, true);
    let (_, h3, pdf3) = b.post("/generate", &body);
    assert_eq!(
        (header(&h3, "x-cache"), header(&h3, "x-cache-tier")),
        ("HIT", "redis")
    );
    assert_eq!(pdf3, pdf1);
    assert_eq!(header(&h3, "x-page-count"), header(&h1, "x-page-count"));
    assert_eq!(
        header(&h3, "content-disposition"),
        header(&h1, "content-disposition")
    );
    let (_, h4, _) = b.post("/generate", &body);
    assert_eq!(
        header(&h4, "x-cache-tier"),
        "memory",
        "a Redis hit fills memory"
    );

    // The same data with its keys in another order is the same document.
    let mut reordered = serde_json::Map::new();
    let obj = body.as_object().unwrap();
    for k in obj.keys().rev() {
        reordered.insert(k.clone(), obj[k].clone());
    }
    let (_, h5, _) = b.post("/generate", &Value::Object(reordered));
    assert_eq!(header(&h5, "etag"), header(&h1, "etag"));
    assert_eq!(header(&h5, "x-cache"), "HIT");

    // use_cache: false and Cache-Control: no-cache both compile again and refresh the copy.
    let mut fresh = body.clone();
    fresh["use_cache"] = json!(false);
    let (_, h6, _) = b.post("/generate", &fresh);
    assert_eq!(
        (header(&h6, "x-cache"), header(&h6, "x-cache-tier")),
        ("MISS", "compile")
    );
    let resp = client()
        .post(b.url("/generate"))
        .header("cache-control", "no-cache")
        .json(&body)
        .send()
        .unwrap();
    assert_eq!(header(resp.headers(), "x-cache"), "MISS");
    let m = b.metrics();
    assert_eq!(m["compiles"]["total"], 2, "{m}");
    assert_eq!(m["requests"]["bypassed"], 2, "{m}");
}

#[test]
fn ten_identical_concurrent_requests_compile_once() {
    if !ready() {
        return;
    }
    let redis = Redis::start();
    let o = redis_origin(&redis);
    wait_connected(&o, true);
    let body = Arc::new(unique_resume("ten"));
    let before = o.metrics()["compiles"]["total"].as_u64().unwrap();
    let gate = Arc::new(Barrier::new(10));
    let url = o.url("/generate");
    let handles: Vec<_> = (0..10)
        .map(|_| {
            let (body, gate, url) = (body.clone(), gate.clone(), url.clone());
            std::thread::spawn(move || {
                gate.wait();
                let r = client().post(url).json(&*body).send().unwrap();
                let tier = header(r.headers(), "x-cache-tier").to_owned();
                (r.status().as_u16(), tier, r.bytes().unwrap().to_vec())
            })
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(results.iter().all(|(s, _, _)| *s == 200));
    assert!(
        results.iter().all(|(_, _, b)| *b == results[0].2),
        "all byte-identical"
    );
    let m = o.metrics();
    assert_eq!(m["compiles"]["total"].as_u64().unwrap() - before, 1, "{m}");
    let compiled = results.iter().filter(|(_, t, _)| t == "compile").count();
    assert_eq!(
        compiled,
        1,
        "{:?}",
        results.iter().map(|r| &r.1).collect::<Vec<_>>()
    );
    let c = &m["cache"];
    assert_eq!(
        c["total_requests"].as_u64().unwrap(),
        c["hits"].as_u64().unwrap() + c["misses"].as_u64().unwrap()
    );
}

#[test]
fn two_origins_share_redis_and_compile_once_between_them() {
    if !ready() {
        return;
    }
    let redis = Redis::start();
    let a = redis_origin(&redis);
    let b = redis_origin(&redis);
    wait_connected(&a, true);
    wait_connected(&b, true);

    let first = unique_resume("shared");
    let (_, h, pdf_a) = a.post("/generate", &first);
    assert_eq!(header(&h, "x-cache-tier"), "compile");
    let (_, h, pdf_b) = b.post("/generate", &first);
    assert_eq!(header(&h, "x-cache-tier"), "redis");
    assert_eq!(pdf_a, pdf_b);

    let body = Arc::new(unique_resume("across"));
    let compiles = || {
        a.metrics()["compiles"]["total"].as_u64().unwrap()
            + b.metrics()["compiles"]["total"].as_u64().unwrap()
    };
    let before = compiles();
    let gate = Arc::new(Barrier::new(8));
    let handles: Vec<_> = (0..8)
        .map(|i| {
            let url = if i % 2 == 0 {
                a.url("/generate")
            } else {
                b.url("/generate")
            };
            let (body, gate) = (body.clone(), gate.clone());
            std::thread::spawn(move || {
                gate.wait();
                let r = client().post(url).json(&*body).send().unwrap();
                (r.status().as_u16(), r.bytes().unwrap().to_vec())
            })
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let statuses: Vec<u16> = results.iter().map(|(s, _)| *s).collect();
    assert!(
        statuses.iter().all(|s| *s == 200),
        "{statuses:?}: {}",
        String::from_utf8_lossy(
            &results
                .iter()
                .find(|(s, _)| *s != 200)
                .map(|r| r.1.clone())
                .unwrap_or_default()
        )
    );
    assert!(
        results.iter().all(|(_, b)| *b == results[0].1),
        "the same bytes"
    );
    assert_eq!(compiles() - before, 1, "one compile across both origins");
}

#[test]
fn redis_dying_mid_burst_fails_no_request_and_reconnects() {
    if !ready() {
        return;
    }
    let mut redis = Redis::start();
    let o = redis_origin(&redis);
    wait_connected(&o, true);
    let url = o.url("/generate");
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let url = url.clone();
            std::thread::spawn(move || {
                let mut statuses = Vec::new();
                for i in 0..12 {
                    let mut body = unique_resume(&format!("burst {t} {i}"));
                    // Mostly LaTeX source (fast), every fourth a PDF.
                    if i % 4 != 0 {
                        body["format"] = json!("tex");
                    }
                    let r = client().post(&url).json(&body).send().unwrap();
                    statuses.push(r.status().as_u16());
                    std::thread::sleep(Duration::from_millis(20));
                }
                statuses
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    redis.kill();
    let statuses: Vec<u16> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    assert_eq!(statuses.len(), 48);
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    wait_connected(&o, false);
    let m = o.metrics();
    assert!(m["cache"]["errors"].as_u64().unwrap() >= 1, "{m}");

    redis.restart();
    wait_connected(&o, true);
    // Stored in Redis again: a second origin finds it there.
    let mut body = unique_resume("after restart");
    body["format"] = json!("tex");
    let (s, h, _) = o.post("/generate", &body);
    assert_eq!((s, header(&h, "x-cache-tier")), (200, "compile"));
    let other = redis_origin(&redis);
    wait_connected(&other, true);
    let (_, h, _) = other.post("/generate", &body);
    assert_eq!(header(&h, "x-cache-tier"), "redis");
}

#[test]
fn a_frozen_redis_holds_no_request() {
    if !ready() {
        return;
    }
    let redis = Redis::start();
    let o = redis_origin(&redis);
    wait_connected(&o, true);
    let mut warm = unique_resume("frozen warm");
    warm["format"] = json!("tex");
    assert_eq!(o.post("/generate", &warm).0, 200);
    redis.pause();
    // Each command has a deadline of tens of milliseconds, then the breaker skips Redis.
    for i in 0..20 {
        let mut body = unique_resume(&format!("frozen {i}"));
        body["format"] = json!("tex");
        let (s, h, _) = o.post("/generate", &body);
        assert_eq!((s, header(&h, "x-cache-tier")), (200, "compile"));
    }
    let (s, h, _) = o.post("/generate", &warm);
    assert_eq!((s, header(&h, "x-cache-tier")), (200, "memory"));
    wait_connected(&o, false);
    redis.resume();
    wait_connected(&o, true);
}

#[test]
fn a_dead_lease_holder_delays_but_does_not_block() {
    if !ready() {
        return;
    }
    let redis = Redis::start();
    let o = redis_origin(&redis);
    wait_connected(&o, true);
    let body = unique_resume("dead holder");
    // `If-None-Match: *` answers 304 with the key, without compiling.
    let r = client()
        .post(o.url("/generate"))
        .header("if-none-match", "*")
        .json(&body)
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 304);
    let key = header(r.headers(), "etag").trim_matches('"').to_owned();
    // Another origin took the lease and died: nobody renews it, so it lapses.
    let lease = format!("resume-engine:lease:{key}");
    assert_eq!(
        redis.cli(&["SET", &lease, "dead-origin", "PX", "1500"]),
        "OK"
    );
    let started = Instant::now();
    let (s, h, pdf) = o.post("/generate", &body);
    assert_eq!((s, header(&h, "x-cache-tier")), (200, "compile"));
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(
        started.elapsed() >= Duration::from_millis(1000),
        "it waited for the lease to lapse before compiling"
    );
    assert_eq!(
        redis.cli(&["EXISTS", &lease]),
        "0",
        "its own lease was released"
    );
}

#[test]
fn invalidation_by_template_spares_others_and_foreign_keys() {
    if !ready() {
        return;
    }
    let redis = Redis::start();
    redis.cli(&["SET", "someone-else:key", "keep me"]);
    let o = redis_origin(&redis);
    wait_connected(&o, true);
    let classic = unique_resume("inv classic");
    let mut two = unique_resume("inv two");
    two["template"] = json!("two_column");
    for b in [&classic, &two] {
        let mut tex = (*b).clone();
        tex["format"] = json!("tex");
        assert_eq!(o.post("/generate", b).0, 200);
        assert_eq!(o.post("/generate", &tex).0, 200);
    }
    let r = client()
        .post(o.url("/cache/invalidate"))
        .json(&json!({"document_type": "resume", "template": "classic"}))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let done: Value = r.json().unwrap();
    assert_eq!(done["invalidated"]["redis_removed"], 2, "{done}");
    let (_, h, _) = o.post("/generate", &classic);
    assert_eq!(header(&h, "x-cache"), "MISS");
    let (_, h, _) = o.post("/generate", &two);
    assert_eq!(header(&h, "x-cache"), "HIT");
    assert_eq!(redis.cli(&["GET", "someone-else:key"]), "keep me");

    // By key: that document only.
    let (_, h, _) = o.post("/generate", &two);
    let key = header(&h, "etag").trim_matches('"').to_owned();
    let r = client()
        .post(o.url("/cache/invalidate"))
        .json(&json!({"key": key}))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let (_, h, _) = o.post("/generate", &two);
    assert_eq!(header(&h, "x-cache"), "MISS");
    assert_eq!(redis.cli(&["GET", "someone-else:key"]), "keep me");
}

#[test]
fn the_admin_token_guards_invalidation() {
    let o = Origin::start(&["--cache-admin-token", "s3cret"]);
    let call = |auth: Option<&str>| {
        let mut r = client().post(o.url("/cache/invalidate")).json(&json!({}));
        if let Some(a) = auth {
            r = r.header("authorization", a);
        }
        let r = r.send().unwrap();
        let status = r.status().as_u16();
        (status, r.json::<Value>().unwrap())
    };
    let (s, v) = call(None);
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (401, Some("SEC001")),
        "{v}"
    );
    assert_eq!(call(Some("Bearer wrong")).0, 401);
    assert_eq!(call(Some("Bearer s3cret")).0, 200);
}

#[test]
fn documents_are_served_by_content_address_with_304s() {
    if !tools_present() {
        return;
    }
    let o = Origin::start(&[]);
    let body = unique_resume("download");
    let (s, h, pdf) = o.post("/generate", &body);
    assert_eq!(s, 200);
    let etag = header(&h, "etag").to_owned();
    let key = etag.trim_matches('"');
    let location = header(&h, "content-location").to_owned();
    assert_eq!(location, format!("/documents/{key}.pdf"));

    let r = client().get(o.url(&location)).send().unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let cc = header(r.headers(), "cache-control").to_owned();
    assert!(
        cc.starts_with("public, max-age=86400") && cc.ends_with("immutable"),
        "{cc}"
    );
    assert_eq!(header(r.headers(), "content-type"), "application/pdf");
    assert_eq!(r.bytes().unwrap().to_vec(), pdf);

    for path in [location.as_str(), "/generate"] {
        let req = if path == "/generate" {
            client().post(o.url(path)).json(&body)
        } else {
            client().get(o.url(path))
        };
        let r = req.header("if-none-match", &etag).send().unwrap();
        assert_eq!(r.status().as_u16(), 304, "{path}");
        assert_eq!(header(r.headers(), "etag"), etag);
        assert!(r.bytes().unwrap().is_empty());
    }

    for missing in [
        format!("/documents/{key}.tex"),
        format!("/documents/{}.pdf", "0".repeat(64)),
        "/documents/not-a-key.pdf".to_owned(),
        format!("/documents/{key}"),
        format!("/documents/{key}.exe"),
    ] {
        let r = client().get(o.url(&missing)).send().unwrap();
        assert_eq!(r.status().as_u16(), 404, "{missing}");
        let v: Value = r.json().unwrap();
        assert_eq!(v["error"]["code"], "API011", "{missing}");
    }
    let m = o.metrics();
    assert_eq!(m["requests"]["not_modified"], 2, "{m}");
}

#[test]
fn metrics_in_json_and_prometheus() {
    if !tools_present() {
        return;
    }
    let o = Origin::start(&[]);
    let mut body = unique_resume("metrics");
    body["format"] = json!("tex");
    // An unknown field gives a warning, which memo hits must still report.
    body["data"]["personalInfo"]["nickname"] = json!("Ace");
    let mut warnings = Vec::new();
    for _ in 0..3 {
        let (s, h, _) = o.post("/generate", &body);
        assert_eq!(s, 200);
        warnings.push(header(&h, "x-validation-warnings").to_owned());
    }
    assert_eq!(warnings, ["1", "1", "1"]);
    let m = o.metrics();
    let c = &m["cache"];
    for f in [
        "hits",
        "misses",
        "total_requests",
        "hit_rate_percent",
        "errors",
        "sets",
        "enabled",
        "connected",
    ] {
        assert!(c.get(f).is_some(), "{f} missing from {m}");
    }
    assert_eq!(m["status"], "ok");
    assert_eq!(
        (c["hits"].as_u64(), c["misses"].as_u64()),
        (Some(2), Some(1)),
        "{m}"
    );
    assert_eq!(c["total_requests"], 3);
    assert_eq!(c["hit_rate_percent"], 66.67);
    assert_eq!(c["sets"], 1);
    assert_eq!(
        (c["enabled"].as_bool(), c["connected"].as_bool()),
        (Some(true), Some(false))
    );
    assert_eq!(m["tiers"]["mode"], "memory-only");
    assert_eq!(m["tiers"]["redis"]["configured"], false);
    assert_eq!(m["tiers"]["memory"]["entries"], 1);
    // Repeats of the same bytes skip the check (the request memo knows their key).
    assert_eq!(m["latency"]["validate"]["count"], 1);
    assert_eq!(m["latency"]["render"]["count"], 1);

    for req in [
        client().get(o.url("/metrics?format=prometheus")),
        client()
            .get(o.url("/metrics"))
            .header("accept", "text/plain"),
    ] {
        let r = req.send().unwrap();
        assert!(header(r.headers(), "content-type").starts_with("text/plain; version=0.0.4"));
        let text = r.text().unwrap();
        let mut samples = 0;
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let (name, value) = line.rsplit_once(' ').expect("name value");
            assert!(name.starts_with("resume_"), "{line}");
            value.parse::<f64>().unwrap_or_else(|_| panic!("{line}"));
            samples += 1;
        }
        assert!(samples > 20, "{text}");
        assert!(
            text.contains("resume_cache_requests_total{result=\"memory\"} 2\n"),
            "{text}"
        );
    }
}

#[test]
fn readiness_reports_its_checks() {
    if !ready() {
        return;
    }
    let mut redis = Redis::start();
    let o = redis_origin(&redis);
    let get = || {
        let r = client().get(o.url("/ready")).send().unwrap();
        (r.status().as_u16(), r.json::<Value>().unwrap())
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    let (s, v) = loop {
        let (s, v) = get();
        if s == 200 || Instant::now() > deadline {
            break (s, v);
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["checks"]["redis"], "ok");
    assert_eq!(v["checks"]["compile"]["ok"], true);
    assert_eq!(v["checks"]["disk"]["ok"], true);
    redis.kill();
    let (s, v) = get();
    assert_eq!(
        (s, v["checks"]["redis"].as_str()),
        (503, Some("unreachable")),
        "{v}"
    );
    let h = client().get(o.url("/health")).send().unwrap();
    assert_eq!(
        h.status().as_u16(),
        200,
        "liveness does not depend on Redis"
    );
}
