//! The edge Worker in workerd (`wrangler dev --local`) in front of a real origin and Redis, all
//! on 127.0.0.1: KV hits, identical validation and keys, origin faults, rate limits.

use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::{Origin, Redis, client, fixture, redis_present, tools_present};

const SECRET: &str = "edge-test-secret";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Whether the Worker is built and wrangler installed; panics under CI.
fn edge_present() -> bool {
    let ok = root().join("edge/build/index.js").exists()
        && root().join("node_modules/.bin/wrangler").exists();
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "the edge is not built under CI: run scripts/install-deps.sh and scripts/build-edge.sh"
        );
        let _ = writeln!(
            std::io::stderr(),
            "skipping: edge/build or node_modules missing (make test builds them)"
        );
    }
    ok && tools_present() && redis_present()
}

/// `wrangler dev` serving the Worker on a free port; the process group is killed on drop.
struct Edge {
    port: u16,
    child: Child,
    state: tempfile::TempDir,
}

impl Edge {
    fn start(origin: &str, vars: &[(&str, &str)]) -> Edge {
        let free = || {
            std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port()
        };
        let (port, inspector) = (free(), free());
        let state = tempfile::tempdir().unwrap();
        let log = std::fs::File::create(state.path().join("wrangler.log")).unwrap();
        let mut cmd = Command::new(root().join("node_modules/.bin/wrangler"));
        cmd.current_dir(root())
            .args(["dev", "--local", "--ip", "127.0.0.1"])
            .args(["--port", &port.to_string()])
            .args(["--inspector-port", &inspector.to_string()])
            .arg("--persist-to")
            .arg(state.path())
            .args(["--var", &format!("ORIGIN_URL:{origin}")])
            .args(["--var", &format!("EDGE_SECRET:{SECRET}")])
            .env("WRANGLER_SEND_METRICS", "false")
            .env("CI", "true")
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .process_group(0);
        for (k, v) in vars {
            cmd.args(["--var", &format!("{k}:{v}")]);
        }
        let child = cmd.spawn().expect("wrangler starts");
        let edge = Edge { port, child, state };
        let deadline = Instant::now() + Duration::from_secs(90);
        while client().get(edge.url("/health")).send().is_err() {
            if Instant::now() > deadline {
                let log = std::fs::read_to_string(edge.state.path().join("wrangler.log"));
                panic!("the edge did not start: {}", log.unwrap_or_default());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        edge
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn post(
        &self,
        path: &str,
        body: &Value,
        ip: &str,
    ) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
        let r = client()
            .post(self.url(path))
            .header("cf-connecting-ip", ip)
            .json(body)
            .send()
            .unwrap();
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        (status, headers, r.bytes().unwrap().to_vec())
    }
}

impl Drop for Edge {
    fn drop(&mut self) {
        let _ = nix::sys::signal::killpg(
            nix::unistd::Pid::from_raw(self.child.id() as i32),
            nix::sys::signal::Signal::SIGKILL,
        );
        let _ = self.child.wait();
    }
}

fn header<'a>(h: &'a reqwest::header::HeaderMap, name: &str) -> &'a str {
    h.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

fn resume(tag: &str) -> Value {
    let mut data = fixture("resume-minimal.json");
    data["personalInfo"]["name"] = json!(format!("Edge Test {tag}"));
    json!({"document_type": "resume", "template": "classic", "data": data})
}

fn origin_requests(o: &Origin) -> u64 {
    o.metrics()["cache"]["total_requests"].as_u64().unwrap()
}

/// Polls until the edge answers from KV (the write happens after the first response).
fn until_kv_hit(e: &Edge, body: &Value, ip: &str) -> (reqwest::header::HeaderMap, Vec<u8>) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (s, h, b) = e.post("/generate", body, ip);
        assert_eq!(s, 200);
        if header(&h, "x-cache-tier") == "edge" {
            return (h, b);
        }
        assert!(Instant::now() < deadline, "never a KV hit");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn misses_go_to_the_origin_once_then_kv_answers() {
    if !edge_present() {
        return;
    }
    let redis = Redis::start();
    let o = Origin::start(&["--redis-url", &redis.url(), "--edge-secret", SECRET]);
    let e = Edge::start(&format!("http://{}", o.addr), &[]);
    let body = resume("kv");
    let (s, h, first) = e.post("/generate", &body, "192.0.2.1");
    assert_eq!(s, 200, "{}", String::from_utf8_lossy(&first));
    assert!(first.starts_with(b"%PDF-"));
    assert_eq!(header(&h, "x-cache"), "MISS");
    let key = header(&h, "etag").trim_matches('"').to_owned();
    let (_, hit) = until_kv_hit(&e, &body, "192.0.2.1");
    assert_eq!(hit, first);
    // A hit does not touch the origin.
    let before = origin_requests(&o);
    let (_, h, again) = e.post("/generate", &body, "192.0.2.1");
    assert_eq!((header(&h, "x-cache-tier"), again == first), ("edge", true));
    assert_eq!(origin_requests(&o), before);
    // KV holds the origin's bytes, and downloads come from KV.
    let from_origin = client()
        .get(format!("http://{}/documents/{key}.pdf", o.addr))
        .send()
        .unwrap();
    assert_eq!(from_origin.bytes().unwrap().to_vec(), first);
    let d = client()
        .get(e.url(&format!("/documents/{key}.pdf")))
        .send()
        .unwrap();
    assert_eq!(header(d.headers(), "x-cache-tier"), "edge");
    assert!(header(d.headers(), "cache-control").contains("immutable"));
    assert_eq!(d.bytes().unwrap().to_vec(), first);
    // LaTeX is answered at the edge without the origin, with the origin's key.
    let mut tex = body.clone();
    tex["format"] = json!("tex");
    let before = origin_requests(&o);
    let (s, he, edge_tex) = e.post("/generate", &tex, "192.0.2.1");
    assert_eq!(s, 200);
    assert_eq!(
        origin_requests(&o),
        before,
        "format tex never reaches the origin"
    );
    let (_, ho, origin_tex) = o.post("/generate", &tex);
    assert_eq!(header(&he, "etag"), header(&ho, "etag"));
    assert_eq!(edge_tex, origin_tex);
}

#[test]
fn a_photo_travels_from_the_edge_to_the_origin_and_prints() {
    if !edge_present() {
        return;
    }
    let o = Origin::start(&["--edge-secret", SECRET]);
    let e = Edge::start(&format!("http://{}", o.addr), &[]);
    let mut data = fixture("resume-full.json");
    data["personalInfo"]["photo"] = json!(crate::photo::photo_uri("avatar.jpg"));
    for (format, template) in [("pdf", "modern"), ("docx", "two_column")] {
        let body = json!({"document_type": "resume", "template": template, "format": format,
            "photo_shape": "circle", "data": data});
        let (s, h, at_edge) = e.post("/generate", &body, "192.0.2.77");
        assert_eq!(s, 200, "{format}: {}", String::from_utf8_lossy(&at_edge));
        let (_, ho, at_origin) = o.post("/generate", &body);
        assert_eq!(header(&h, "etag"), header(&ho, "etag"), "{format}: one key");
        assert!(at_edge == at_origin, "{format}: the same bytes");
        if format == "pdf" {
            assert_eq!(crate::photo::images(&at_edge).len(), 1);
        } else {
            let z = zip::ZipArchive::new(std::io::Cursor::new(&at_edge)).unwrap();
            assert!(z.file_names().any(|n| n == "word/media/rIdPhoto.jpeg"));
        }
    }
}

#[test]
fn the_edge_and_the_origin_reject_bad_input_alike() {
    if !edge_present() {
        return;
    }
    let o = Origin::start(&["--edge-secret", SECRET]);
    let e = Edge::start(&format!("http://{}", o.addr), &[]);
    let good = fixture("resume-minimal.json");
    let mut no_name = good.clone();
    no_name["personalInfo"]
        .as_object_mut()
        .unwrap()
        .remove("name");
    let mut bad_email = good.clone();
    bad_email["personalInfo"]["email"] = json!("not an address");
    let mut hebrew = good.clone();
    hebrew["professionalSummary"] = json!("שלום");
    let cases = [
        json!({"document_type": "resume", "template": "classic", "data": no_name}),
        json!({"document_type": "resume", "template": "classic", "data": bad_email}),
        json!({"document_type": "resume", "template": "classic", "data": hebrew}),
        json!({"document_type": "resume", "template": "nope", "data": good}),
        json!({"document_type": "letter", "template": "classic", "data": good}),
        json!({"document_type": "resume", "template": "classic", "format": "exe", "data": good}),
        json!({"document_type": "resume", "template": "classic", "data": {"personalInfo": {"name": "😀", "email": "a@b.co"}}}),
        json!({"document_type": "resume", "template": "classic", "data": "not an object"}),
        json!([1, 2, 3]),
        json!({"document_type": "resume", "template": "classic", "page_size": "A5", "data": good}),
        json!({"document_type": "resume", "template": "classic", "locale": "xx", "data": good}),
        json!({"document_type": "resume", "template": "classic", "section_order": ["experiance"], "data": good}),
        json!({"document_type": "resume", "template": "classic", "font": "comic sans", "data": good}),
        json!({"document_type": "resume", "template": "classic", "accent_color": "blue", "data": good}),
        json!({"document_type": "resume", "template": "classic", "photo_shape": "hexagon", "data": good}),
        json!({"document_type": "resume", "template": "modern", "data": {"personalInfo": {"name": "A", "photo": "data:image/gif;base64,R0lGODlh"}}}),
    ];
    let summary = |b: &[u8]| {
        let v: Value = serde_json::from_slice(b).unwrap();
        let mut errs: Vec<(String, String)> = v["error"]["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|x| {
                        (
                            x["code"].as_str().unwrap_or("").to_owned(),
                            x["path"].as_str().unwrap_or("").to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        errs.sort();
        (v["error"]["code"].as_str().unwrap_or("").to_owned(), errs)
    };
    for (i, case) in cases.iter().enumerate() {
        let (se, _, be) = e.post("/generate", case, &format!("198.51.100.{i}"));
        let (so, _, bo) = o.post("/generate", case);
        assert!((400..500).contains(&se), "case {i}: {se}");
        assert_eq!(se, so, "case {i}");
        assert_eq!(summary(&be), summary(&bo), "case {i}");
    }
}

#[test]
fn a_down_origin_leaves_kv_hits_and_gives_misses_a_retryable_envelope() {
    if !edge_present() {
        return;
    }
    let o = Origin::start(&["--edge-secret", SECRET]);
    let addr = o.addr;
    let e = Edge::start(&format!("http://{addr}"), &[("ORIGIN_TIMEOUT_MS", "3000")]);
    let body = resume("down");
    assert_eq!(e.post("/generate", &body, "192.0.2.9").0, 200);
    until_kv_hit(&e, &body, "192.0.2.9");
    o.stop();
    let (s, h, _) = e.post("/generate", &body, "192.0.2.9");
    assert_eq!((s, header(&h, "x-cache-tier")), (200, "edge"));
    let (s, h, b) = e.post("/generate", &resume("down-miss"), "192.0.2.9");
    assert!(s == 502 || s == 503, "{s}");
    assert_eq!(header(&h, "retry-after"), "2");
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert!(v["error"]["code"].as_str().is_some(), "{v}");
}

#[test]
fn clients_over_their_rate_get_429_with_retry_after() {
    if !edge_present() {
        return;
    }
    let o = Origin::start(&["--edge-secret", SECRET]);
    let e = Edge::start(
        &format!("http://{}", o.addr),
        &[("RATE_LIMIT_PER_MINUTE", "6"), ("RATE_LIMIT_BURST", "3")],
    );
    let mut tex = resume("rate");
    tex["format"] = json!("tex");
    let statuses: Vec<(u16, String, String)> = (0..6)
        .map(|_| {
            let (s, h, _) = e.post("/generate", &tex, "203.0.113.50");
            (
                s,
                header(&h, "retry-after").to_owned(),
                header(&h, "x-ratelimit-limit").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        statuses.iter().filter(|(s, ..)| *s == 200).count(),
        3,
        "{statuses:?}"
    );
    let limited: Vec<_> = statuses.iter().filter(|(s, ..)| *s == 429).collect();
    assert_eq!(limited.len(), 3, "{statuses:?}");
    assert!(
        limited
            .iter()
            .all(|(_, retry, _)| retry.parse::<u64>().is_ok_and(|n| n >= 1))
    );
    // Another client is not affected.
    assert_eq!(e.post("/generate", &tex, "203.0.113.51").0, 200);
}

#[test]
fn docx_and_text_are_made_at_the_edge_with_the_origins_bytes() {
    if !edge_present() {
        return;
    }
    // Nothing listens behind this edge: every answer below is the edge's own.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let e = Edge::start(
        &format!("http://127.0.0.1:{closed}"),
        &[("ORIGIN_TIMEOUT_MS", "2000")],
    );
    // An origin of its own, only to compare bytes with.
    let o = Origin::start(&[]);
    let cases = [
        ("docx", "resume", "classic", "resume-full.json"),
        ("docx", "resume", "two_column", "jsonresume-sample.json"),
        ("docx", "cover_letter", "classic", "cover-letter-full.json"),
        (
            "docx",
            "cover_letter",
            "two_column",
            "cover-letter-full.json",
        ),
        ("txt", "resume", "two_column", "resume-full.json"),
        ("txt", "cover_letter", "classic", "cover-letter-full.json"),
    ];
    let layout = json!({"page_size": "a4", "locale": "de", "section_order": ["education", "ehrenämter"],
        "custom_sections": [{"title": "Ehrenämter", "items": ["Kassenwart"]}], "section_titles": {"projects": "Vorhaben"}});
    let letter =
        json!({"page_size": "legal", "locale": "fr", "font": "heros", "accent_color": "#0A7D33"});
    let with_layout = [
        (
            ("docx", "resume", "two_column", "resume-full.json"),
            layout.clone(),
        ),
        (("txt", "resume", "classic", "resume-full.json"), layout),
        (
            ("docx", "cover_letter", "classic", "cover-letter-full.json"),
            letter,
        ),
    ];
    let all = cases.iter().map(|c| (*c, json!({}))).chain(with_layout);
    for (i, ((format, kind, template, file), extra)) in all.enumerate() {
        let mut body = json!({"document_type": kind, "template": template, "format": format,
                          "data": fixture(file)});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        let ip = format!("203.0.113.{i}");
        let (s, h, at_edge) = e.post("/generate", &body, &ip);
        assert_eq!(
            s,
            200,
            "{format} {kind}/{template}: {}",
            String::from_utf8_lossy(&at_edge)
        );
        assert_eq!(header(&h, "x-cache-tier"), "edge-render");
        let (so, ho, at_origin) = o.post("/generate", &body);
        assert_eq!(so, 200);
        assert_eq!(
            header(&h, "etag"),
            header(&ho, "etag"),
            "{format}: same key"
        );
        assert_eq!(header(&h, "content-type"), header(&ho, "content-type"));
        assert_eq!(
            header(&h, "content-disposition"),
            header(&ho, "content-disposition")
        );
        assert!(
            at_edge == at_origin,
            "{format} {kind}/{template}: same bytes"
        );
    }
    // A DOCX is kept in KV like a PDF: the repeat and the download come from there.
    let body = json!({"document_type": "resume", "template": "classic", "format": "docx",
                      "data": fixture("resume-full.json")});
    let (h, hit) = until_kv_hit(&e, &body, "203.0.113.99");
    let key = header(&h, "etag").trim_matches('"').to_owned();
    assert_eq!(
        header(&h, "content-location"),
        format!("/documents/{key}.docx")
    );
    let d = client()
        .get(e.url(&format!("/documents/{key}.docx")))
        .send()
        .unwrap();
    assert_eq!(d.status().as_u16(), 200);
    assert_eq!(header(d.headers(), "x-cache-tier"), "edge");
    assert!(d.bytes().unwrap().to_vec() == hit);
}
