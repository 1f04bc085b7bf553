//! The origin's internal compile route: only requests signed by the edge get through.

use resume_common::api::{self, Source};
use resume_common::dates::CivilDate;
use resume_common::signing;
use serde_json::{Value, json};

use crate::support::{Origin, client, fixture, tools_present};

fn order() -> (String, Vec<u8>) {
    let body = json!({"document_type": "resume", "template": "classic", "data": fixture("resume-minimal.json")});
    let p = api::prepare(
        &body,
        Source::Json,
        CivilDate::from_unix_seconds(1_700_000_000),
    )
    .unwrap();
    let order = json!({
        "key": p.key, "template": p.template.id(), "tex": p.tex,
        "disposition": p.content_disposition(), "spacing": p.spacing.as_str(),
    });
    (p.key.clone(), serde_json::to_vec(&order).unwrap())
}

fn send(
    o: &Origin,
    body: &[u8],
    ts: Option<i64>,
    sig: Option<String>,
) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let mut r = client()
        .post(o.url("/internal/compile"))
        .header("content-type", "application/json")
        .body(body.to_vec());
    if let Some(ts) = ts {
        r = r.header(signing::TIMESTAMP_HEADER, ts.to_string());
    }
    if let Some(sig) = sig {
        r = r.header(signing::SIGNATURE_HEADER, sig);
    }
    let r = r.send().unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    (status, headers, r.bytes().unwrap().to_vec())
}

fn now() -> i64 {
    compiler::clock::unix_now()
}

#[test]
fn only_signed_fresh_requests_compile() {
    if !tools_present() {
        return;
    }
    let o = Origin::start(&["--edge-secret", "shared-secret"]);
    let (key, body) = order();
    let sign = |secret: &[u8], ts| signing::sign(secret, "POST", "/internal/compile", ts, &body);

    let (s, h, pdf) = send(&o, &body, Some(now()), Some(sign(b"shared-secret", now())));
    assert_eq!(s, 200, "{}", String::from_utf8_lossy(&pdf));
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(h["etag"].to_str().unwrap(), format!("\"{key}\""));
    assert_eq!(h["x-cache"], "MISS");
    let (_, h, again) = send(&o, &body, Some(now()), Some(sign(b"shared-secret", now())));
    assert_eq!(
        (h["x-cache-tier"].to_str().unwrap(), again == pdf),
        ("memory", true)
    );
    // Stored under the edge's key: downloadable from the origin too.
    let d = client()
        .get(o.url(&format!("/documents/{key}.pdf")))
        .send()
        .unwrap();
    assert_eq!(d.bytes().unwrap().to_vec(), pdf);

    let stale = now() - 3600;
    for (ts, sig) in [
        (None, None),
        (Some(now()), None),
        (Some(now()), Some("00".repeat(32))),
        (Some(now()), Some(sign(b"wrong-secret", now()))),
        (Some(stale), Some(sign(b"shared-secret", stale))),
    ] {
        let (s, _, b) = send(&o, &body, ts, sig);
        let v: Value = serde_json::from_slice(&b).unwrap();
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (401, Some("SEC001")),
            "{v}"
        );
    }
    // A signature over another body does not carry over.
    let mut tampered = body.clone();
    tampered.extend_from_slice(b" ");
    let (s, _, _) = send(
        &o,
        &tampered,
        Some(now()),
        Some(sign(b"shared-secret", now())),
    );
    assert_eq!(s, 401);
}

#[test]
fn without_a_secret_the_route_refuses_everything() {
    let o = Origin::start(&[]);
    let (_, body) = order();
    let sig = signing::sign(b"", "POST", "/internal/compile", now(), &body);
    let (s, _, _) = send(&o, &body, Some(now()), Some(sig));
    assert_eq!(s, 401);
}
