//! Unit tests of the counters, quantiles and both report formats.

use super::*;

fn gauges() -> Gauges {
    Gauges {
        enabled: true,
        redis_configured: false,
        redis_connected: false,
        memory_entries: 2,
        memory_bytes: 2048,
        memory_capacity_bytes: 1 << 20,
        queue_depth: 0,
        compiles_running: 1,
    }
}

#[test]
fn the_reference_fields_add_up() {
    let m = Metrics::default();
    for _ in 0..3 {
        m.memory_hits.inc();
    }
    m.redis_hits.inc();
    m.coalesced.inc();
    m.misses.inc();
    m.misses.inc();
    m.bypassed.inc();
    let j = m.json(&gauges());
    let c = &j["cache"];
    assert_eq!(j["status"], "ok");
    assert_eq!(c["hits"], 5);
    assert_eq!(c["misses"], 3);
    assert_eq!(c["total_requests"], 8);
    assert_eq!(c["hit_rate_percent"], 62.5);
    for f in ["errors", "sets", "enabled", "connected"] {
        assert!(c.get(f).is_some(), "{f}");
    }
    assert_eq!(j["tiers"]["mode"], "memory-only");
}

#[test]
fn quantiles_come_from_the_samples() {
    let m = Metrics::default();
    for ms in 1..=100 {
        m.record(Stage::Compile, Duration::from_millis(ms));
    }
    let s = m.summary(Stage::Compile);
    assert_eq!(s.count, 100);
    assert!((s.p50_ms - 50.0).abs() < 0.5, "{s:?}");
    assert!((s.p99_ms - 99.0).abs() < 0.5, "{s:?}");
    assert!((s.sum_ms - 5050.0).abs() < 10.0, "{s:?}");
    assert_eq!(m.summary(Stage::Render).count, 0);
}

#[test]
fn prometheus_text_is_well_formed() {
    let m = Metrics::default();
    m.compiles.inc();
    m.record(Stage::Validate, Duration::from_micros(250));
    let text = m.prometheus(&gauges());
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix('#') {
            assert!(
                rest.starts_with(" HELP resume_") || rest.starts_with(" TYPE resume_"),
                "{line}"
            );
            continue;
        }
        let (name, value) = line.rsplit_once(' ').expect("name value");
        assert!(name.starts_with("resume_"), "{line}");
        value
            .parse::<f64>()
            .unwrap_or_else(|_| panic!("value in {line}"));
    }
    assert!(text.contains("resume_compiles_total 1\n"));
    assert!(text.contains("resume_stage_seconds_count{stage=\"validate\"} 1\n"));
}
