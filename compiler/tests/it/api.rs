//! The HTTP API against a real server: documents, routes, errors.

use serde_json::{Value, json};

use crate::support::{
    client, contains_loosely, fixture, pdf_info, pdf_text, post, templates, tools_present, url,
};

/// A distinctive string from every section of `resume-full.json`.
const RESUME_SECTIONS: &[&str] = &[
    "Tomás Ferreira-Lund",
    "Platform engineer with 11 years",
    "Kubernetes multi-tenant platforms",
    "Chair, Platform Architecture Review",
    "Nordlys Payments",
    "Norwegian University of Science and Technology",
    "SSA form",
    "OpenTelemetry",
    "Zig",
    "Buildkite",
    "quayside",
    "timer-wheel",
    "leader-lease",
    "Lease Safety in Raft",
    "One Deploy Path",
    "Remote Caching Without Tears",
    "Boring Deploys",
    "Engineering Excellence Award",
    "95% internal-developer satisfaction",
    "Certified Kubernetes Administrator",
    "TDT4186",
    "engineering ladder program",
    "Kodeklubben",
    "Portuguese",
    "ACM",
    "Priority-Aware Load Shedding",
    "Maritime telemetry",
    "Sea kayaking",
    "Ingrid Haugen",
    "Kari Mæhle",
    "Further references available",
];

const LETTER_PARTS: &[&str] = &[
    "Tomás Ferreira-Lund",
    "Sunniva Brekke",
    "Skarv Mobility AS",
    "Brattørkaia 17A",
    "March 14, 2025",
    "Dear Ms. Brekke,",
    "written-first RFC process",
    "Kind regards,",
];

fn generate(kind: &str, template: &str, data: Value) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    post(
        "/generate",
        &json!({"document_type": kind, "template": template, "data": data}),
    )
}

#[test]
fn every_template_renders_the_full_fixture_for_ats() {
    if !tools_present() {
        return;
    }
    for (kind, file, parts) in [
        ("resume", "resume-full.json", RESUME_SECTIONS),
        ("cover_letter", "cover-letter-full.json", LETTER_PARTS),
    ] {
        for template in templates(kind) {
            let (status, headers, pdf) = generate(kind, template, fixture(file));
            assert_eq!(
                status,
                200,
                "{kind}/{template}: {}",
                String::from_utf8_lossy(&pdf)
            );
            assert!(pdf.starts_with(b"%PDF-"));
            assert_eq!(headers["content-type"], "application/pdf");
            assert_eq!(headers["etag"].to_str().unwrap().len(), 66);
            assert!(
                headers["server-timing"]
                    .to_str()
                    .unwrap()
                    .contains("validate;dur=")
            );
            let text = pdf_text(&pdf);
            for part in parts {
                assert!(
                    contains_loosely(&text, part),
                    "{kind}/{template} is missing {part:?}"
                );
            }
            let info = pdf_info(&pdf);
            assert!(
                info.contains("Tomás Ferreira-Lund"),
                "{kind}/{template} metadata: {info}"
            );
            let cd = headers["content-disposition"].to_str().unwrap();
            assert!(
                cd.contains(&format!("filename=\"{kind}_Tomas_Ferreira-Lund.pdf\"")),
                "{cd}"
            );
        }
    }
}

#[test]
fn identical_requests_give_identical_bytes() {
    if !tools_present() {
        return;
    }
    // use_cache: false makes both of them compile, so this compares two pdflatex runs.
    let body = json!({"document_type": "resume", "template": "two_column", "use_cache": false,
                      "data": fixture("resume-minimal.json")});
    let (_, h1, a) = post("/generate", &body);
    let (_, h2, b) = post("/generate", &body);
    assert_eq!(h1["etag"], h2["etag"]);
    assert_eq!(
        (&h1["x-cache"], &h2["x-cache"]),
        (&"MISS".parse().unwrap(), &"MISS".parse().unwrap())
    );
    assert!(a == b, "PDF bytes differ between identical requests");
}

#[test]
fn spacing_modes_change_the_layout() {
    if !tools_present() {
        return;
    }
    let pages: Vec<u32> = ["normal", "ultra-compact"]
        .iter()
        .map(|mode| {
            let body = json!({"document_type": "resume", "template": "classic", "spacing_mode": mode, "data": fixture("resume-full.json")});
            let (status, headers, _) = post("/generate", &body);
            assert_eq!(status, 200);
            assert_eq!(headers["x-spacing-mode"], *mode);
            headers["x-page-count"].to_str().unwrap().parse().unwrap()
        })
        .collect();
    assert!(
        pages[0] > pages[1],
        "normal {pages:?} should need more pages than ultra-compact"
    );
}

#[test]
fn tex_format_and_yaml_input() {
    let (status, headers, tex) = post(
        "/generate",
        &json!({"document_type": "resume", "template": "classic", "format": "latex", "data": fixture("resume-minimal.json")}),
    );
    assert_eq!(status, 200);
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/x-tex")
    );
    let tex = String::from_utf8(tex).unwrap();
    assert!(tex.starts_with("\\documentclass") && tex.contains("Sam Minimal"));

    let (status, headers, text) = post(
        "/generate",
        &json!({"document_type": "resume", "template": "two_column", "format": "txt", "data": fixture("resume-full.json")}),
    );
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "text/plain; charset=utf-8");
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains(".txt\"")
    );
    let text = String::from_utf8(text).unwrap();
    for part in RESUME_SECTIONS {
        assert!(text.contains(part), "txt is missing {part:?}");
    }

    let yaml = "personalInfo:\n  name: Yaml Person\n  email: y@example.org\nbody: |\n  First paragraph.\n\n  Second paragraph.\n";
    let (status, _, tex) = post(
        "/generate-yaml",
        &json!({"document_type": "cover_letter", "template": "classic", "format": "tex", "yaml_data": yaml}),
    );
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&tex));
    let tex = String::from_utf8(tex).unwrap();
    assert!(tex.contains("First paragraph.") && tex.contains("Dear Hiring Manager,"));
}

#[test]
fn read_only_routes() {
    let get = |p: &str| {
        let r = client().get(url(p)).send().unwrap();
        (r.status().as_u16(), r.text().unwrap())
    };
    let (s, b) = get("/health");
    assert_eq!((s, b.as_str()), (200, r#"{"status":"healthy"}"#));
    let (s, b) = get("/templates");
    assert_eq!(s, 200);
    assert_eq!(
        serde_json::from_str::<Value>(&b).unwrap(),
        json!({"templates": {"resume": ["classic", "two_column", "modern", "compact"], "cover_letter": ["classic", "two_column", "modern", "compact"]}})
    );
    let (s, b) = get("/templates/cover_letter");
    assert_eq!(
        (s, b.as_str()),
        (
            200,
            r#"{"templates":["classic","two_column","modern","compact"]}"#
        )
    );
    for p in [
        "/",
        "/template-info/resume/classic",
        "/template-info/cover_letter/two_column",
        "/schema/resume",
        "/schema-yaml/cover_letter",
        "/openapi.json",
        "/docs",
    ] {
        let (s, b) = get(p);
        assert_eq!(s, 200, "{p}: {b}");
        assert!(
            !b.contains("/tmp/") && !b.contains("/usr/"),
            "{p} leaks a server path"
        );
    }
    let schema: Value = serde_json::from_str(&get("/schema/resume").1).unwrap();
    assert!(schema["schema"]["properties"]["experience"].is_object());
    assert_eq!(
        schema["json_example"]["personalInfo"]["name"],
        "Tomás Ferreira-Lund"
    );
    // The layout options are listed with their values, in the schemas and the OpenAPI too.
    for (k, v) in [("pageSize", "a4"), ("locale", "de")] {
        assert!(
            schema["schema"]["properties"][k].to_string().contains(v),
            "{k}"
        );
    }
    assert!(schema["schema"]["properties"]["customSections"].is_object());
    let info: Value = serde_json::from_str(&get("/template-info/resume/two_column").1).unwrap();
    let layout = &info["layout"];
    assert_eq!(
        layout["page_size"]["values"],
        json!(["letter", "a4", "legal"])
    );
    assert_eq!(layout["locale"]["values"].as_array().unwrap().len(), 22);
    assert_eq!(layout["columns"], json!(["sidebar", "main"]));
    assert_eq!(
        layout["sections"][0],
        json!({"key": "contact", "column": "sidebar", "title": "Contact",
        "also_named": ["contacts", "personalInfo", "basics"]})
    );
    let openapi: Value = serde_json::from_str(&get("/openapi.json").1).unwrap();
    let props = &openapi["components"]["schemas"]["DocumentRequest"]["properties"];
    for k in [
        "page_size",
        "locale",
        "section_order",
        "hidden_sections",
        "section_titles",
        "page_numbers",
        "custom_sections",
    ] {
        assert!(props[k].is_object(), "OpenAPI lacks {k}");
    }
    let (s, b) = get("/template-info/resume/fancy");
    assert_eq!(s, 404);
    assert!(b.contains("TPL001"));
    let (s, b) = get("/templates/cv");
    assert_eq!(s, 404);
    assert!(b.contains("API011"));
}

/// A table of malformed requests and the envelope each must get.
#[test]
fn malformed_requests_get_the_right_envelope() {
    let send = |path: &str, ctype: Option<&str>, body: Vec<u8>| {
        let mut req = client().post(url(path)).body(body);
        if let Some(c) = ctype {
            req = req.header("content-type", c);
        }
        let r = req.header("x-request-id", "test-req-1").send().unwrap();
        let status = r.status().as_u16();
        let rid = r
            .headers()
            .get("x-request-id")
            .map(|v| v.to_str().unwrap().to_owned());
        (
            status,
            rid,
            serde_json::from_slice::<Value>(&r.bytes().unwrap()).unwrap_or(Value::Null),
        )
    };
    let json_ct = Some("application/json");
    let ok_data = json!({"personalInfo": {"name": "A", "email": "a@x.org"}});
    let big = format!(
        r#"{{"document_type":"resume","template":"classic","data":{{"personalInfo":{{"name":"{}","email":"a@x.org"}}}}}}"#,
        "a".repeat(1_100_000)
    );
    let bomb =
        std::fs::read_to_string(crate::support::fixtures().join("hostile/yaml-alias-bomb.yaml"))
            .unwrap();
    // (path, content type, body, status, code, field)
    type Case<'a> = (
        &'a str,
        Option<&'a str>,
        Vec<u8>,
        u16,
        &'a str,
        Option<&'a str>,
    );
    let cases: Vec<Case<'_>> = vec![
        ("/generate", json_ct, b"{not json".to_vec(), 400, "VAL013", None),
        ("/generate", json_ct, b"[1,2]".to_vec(), 400, "VAL013", None),
        ("/generate", Some("text/plain"), b"{}".to_vec(), 415, "API006", None),
        ("/generate", None, b"{}".to_vec(), 415, "API006", None),
        ("/generate", json_ct, big.into_bytes(), 413, "API004", None),
        ("/generate", json_ct, json!({"document_type": "resume", "template": "fancy", "data": ok_data}).to_string().into_bytes(), 404, "TPL001", None),
        ("/generate", json_ct, json!({"document_type": "memo", "template": "classic", "data": ok_data}).to_string().into_bytes(), 400, "API003", Some("/document_type")),
        ("/generate", json_ct, json!({"document_type": "resume", "template": "classic", "format": "odt", "data": ok_data}).to_string().into_bytes(), 400, "API003", Some("/format")),
        ("/generate", json_ct, json!({"document_type": "resume", "template": "classic"}).to_string().into_bytes(), 400, "VAL001", Some("/data")),
        ("/generate", json_ct, json!({"document_type": "resume", "template": "classic", "data": {"personalInfo": "Ada", "experience": "lots"}}).to_string().into_bytes(), 400, "VAL002", Some("/data/personalInfo")),
        ("/generate", json_ct, json!({"document_type": "resume", "template": "classic", "data": {"personalInfo": {"email": "a@x.org"}}}).to_string().into_bytes(), 400, "VAL001", Some("/data/personalInfo/name")),
        ("/generate", json_ct, json!({"document_type": "cover_letter", "template": "classic", "data": {"personalInfo": {"name": "A"}, "body": "x", "recipient": ["Bob"]}}).to_string().into_bytes(), 400, "VAL002", Some("/data/recipient")),
        ("/generate-yaml", json_ct, json!({"document_type": "resume", "template": "classic", "yaml_data": bomb}).to_string().into_bytes(), 400, "VAL014", Some("/yaml_data")),
        ("/generate-yaml", json_ct, json!({"document_type": "resume", "template": "classic", "yaml_data": ""}).to_string().into_bytes(), 400, "VAL014", Some("/yaml_data")),
        ("/nowhere", json_ct, b"{}".to_vec(), 404, "API011", None),
    ];
    for (path, ctype, body, status, code, field) in cases {
        let (got, rid, env) = send(path, ctype, body);
        assert_eq!(got, status, "{path} {code}: {env}");
        assert_eq!(env["error"]["code"], code, "{env}");
        assert_eq!(env["error"]["request_id"], "test-req-1");
        assert_eq!(rid.as_deref(), Some("test-req-1"));
        assert!(
            !env["error"]["suggested_fix"]
                .as_str()
                .unwrap()
                .contains('{'),
            "unformatted hint: {env}"
        );
        if let Some(f) = field {
            assert_eq!(env["error"]["field"], f, "{env}");
        }
    }
    let r = client().delete(url("/generate")).send().unwrap();
    assert_eq!(r.status().as_u16(), 405);
    assert_eq!(r.json::<Value>().unwrap()["error"]["code"], "API007");
}

#[test]
fn validate_lists_every_error_with_its_path() {
    let (status, _, body) = post(
        "/validate",
        &json!({"document_type": "resume", "data": {
            "personalInfo": {"name": "A", "email": "nope"},
            "experience": [{"title": "Dev", "company": "Co", "startDate": "2020-13"}],
            "education": [{"degree": "BSc"}],
            "unknownThing": 1,
        }}),
    );
    assert_eq!(status, 200);
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["valid"], false);
    let errors: Vec<(String, String)> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["code"].as_str().unwrap().to_owned(),
                e["path"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [("VAL003".to_owned(), "/data/personalInfo/email".to_owned())]
    );
    // What is odd but printable is a warning, at its path.
    let warnings: Vec<(&str, &str)> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["code"].as_str().unwrap(), e["path"].as_str().unwrap()))
        .collect();
    assert_eq!(
        warnings,
        [
            ("VAL006", "/data/experience/0/startDate"),
            ("VAL001", "/data/education/0/institution"),
            ("VAL011", "/data/unknownThing"),
        ]
    );

    let (_, _, body) = post(
        "/validate",
        &json!({"document_type": "cover_letter", "data": fixture("cover-letter-full.json")}),
    );
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["valid"], true, "{v}");
    assert_eq!(v["normalized_data"]["closing"], "Kind regards,");
}

#[test]
fn analysis_routes() {
    let body = json!({"document_type": "resume", "template": "two_column", "spacing_mode": "compact", "data": fixture("resume-full.json")});
    let (status, _, b) = post("/analyze", &body);
    assert_eq!(status, 200);
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert!(
        v["analysis"]["total_metrics"]["word_count"]
            .as_u64()
            .unwrap()
            > 400
    );
    if !tools_present() {
        return;
    }
    let (status, headers, _) = post("/generate", &body);
    assert_eq!(status, 200);
    let (status, _, b) = post("/analyze-pdf", &body);
    assert_eq!(status, 200);
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert_eq!(
        v["pdf_info"]["pages"].as_u64().unwrap().to_string(),
        headers["x-page-count"].to_str().unwrap()
    );
    assert!(v.to_string().find("/tmp").is_none());
}

#[test]
fn a_full_queue_answers_503_with_retry_after() {
    if !tools_present() {
        return;
    }
    // One worker and no waiting room: concurrent compiles beyond the first are refused.
    let addr = crate::support::start(crate::support::config(&[
        "--max-workers",
        "1",
        "--queue-limit",
        "0",
    ]));
    // The start-up smoke compile holds the one worker until it is done.
    crate::support::wait_ready(addr);
    let handles: Vec<_> = (0..6)
        .map(|i| {
            // Different documents: identical ones would share one compile.
            let mut data = fixture("resume-full.json");
            data["personalInfo"]["name"] = json!(format!("Queue Test {i}"));
            let body = json!({"document_type": "resume", "template": "classic", "data": data});
            std::thread::spawn(move || {
                let r = client()
                    .post(format!("http://{addr}/generate"))
                    .json(&body)
                    .send()
                    .unwrap();
                let status = r.status().as_u16();
                let retry = r
                    .headers()
                    .get("retry-after")
                    .map(|v| v.to_str().unwrap().to_owned());
                let code = r.json::<Value>().ok().map(|v| v["error"]["code"].clone());
                (status, retry, code)
            })
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(results.iter().any(|(s, ..)| *s == 200), "{results:?}");
    let refused: Vec<_> = results.iter().filter(|(s, ..)| *s == 503).collect();
    assert!(!refused.is_empty(), "no request was refused: {results:?}");
    for (_, retry, code) in refused {
        assert_eq!(retry.as_deref(), Some("2"));
        assert_eq!(code.as_ref().and_then(|c| c.as_str()), Some("API008"));
    }
    assert!(
        results.iter().all(|(s, ..)| *s == 200 || *s == 503),
        "{results:?}"
    );
}

#[test]
fn browsers_get_cors_without_credentials() {
    let r = client()
        .request(reqwest::Method::OPTIONS, url("/generate"))
        .header("origin", "https://app.example.org")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    assert!(
        r.headers()
            .get("access-control-allow-credentials")
            .is_none()
    );
    let r = client()
        .get(url("/health"))
        .header("origin", "https://app.example.org")
        .send()
        .unwrap();
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
}

#[test]
fn names_are_matched_leniently() {
    let (status, _, body) = post(
        "/generate",
        &json!({"document_type": "Cover-Letter", "template": "Two-Column", "format": "TEX",
        "data": {"personalInfo": {"name": "A", "email": "a@x.org"}, "body": "Hi."}}),
    );
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
}

#[test]
fn json_resume_sample_compiles_with_every_section() {
    if !tools_present() {
        return;
    }
    for template in templates("resume") {
        let (status, _, pdf) = generate("resume", template, fixture("jsonresume-sample.json"));
        assert_eq!(status, 200, "{template}: {}", String::from_utf8_lossy(&pdf));
        let text = pdf_text(&pdf);
        for part in [
            "Richard Hendriks",
            "Pied Piper",
            "CoderDojo",
            "University of Oklahoma",
            "Digital Compression Pioneer Award",
            "Video compression for 3d media",
            "Web Development",
            "English",
            "Wildlife",
            "Erlich Bachman",
            "Miss Direction",
        ] {
            assert!(
                contains_loosely(&text, part),
                "{template} is missing {part:?}"
            );
        }
    }
}

/// A résumé with `n` bullets of about 90 characters.
fn bullets_doc(n: usize) -> Value {
    let bullets: Vec<String> = (0..n).map(|i| format!("Delivered measurable outcome number {i} for a platform team, cutting costs and lead time")).collect();
    json!({"personalInfo": {"name": "Fit Test", "email": "fit@example.org"},
           "experience": [{"title": "Engineer", "company": "Co", "startDate": "2020-01", "achievements": bullets}]})
}

fn pages(data: &Value, spacing: &str) -> (u32, reqwest::header::HeaderMap) {
    let (status, headers, body) = post(
        "/generate",
        &json!({"document_type": "resume", "template": "classic", "spacing_mode": spacing, "max_pages": 1, "data": data}),
    );
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    (
        headers["x-page-count"].to_str().unwrap().parse().unwrap(),
        headers,
    )
}

#[test]
fn fit_picks_the_roomiest_mode_that_fits() {
    if !tools_present() {
        return;
    }
    // A short résumé stays normal.
    let (n, h) = pages(&bullets_doc(3), "fit");
    assert_eq!(
        (
            n,
            h["x-spacing-mode"].to_str().unwrap(),
            h["x-fit"].to_str().unwrap()
        ),
        (1, "normal", "fits")
    );

    // Find the shortest length that overflows one page in compact spacing: it must need
    // ultra-compact.
    let (mut lo, mut hi) = (5, 120);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if pages(&bullets_doc(mid), "compact").0 > 1 {
            hi = mid
        } else {
            lo = mid + 1
        }
    }
    let long = bullets_doc(lo);
    assert_eq!(
        pages(&long, "ultra-compact").0,
        1,
        "no length needs ultra-compact here"
    );
    let expected = "ultra-compact";
    let (n, h) = pages(&long, "fit");
    assert_eq!(n, 1);
    assert_eq!(h["x-spacing-mode"], expected);
    assert_eq!(h["x-fit"], "fits");

    // Too long for any mode: the densest, marked as overflowing.
    let (n, h) = pages(&bullets_doc(200), "fit");
    assert!(n > 1);
    assert_eq!(
        (
            h["x-spacing-mode"].to_str().unwrap(),
            h["x-fit"].to_str().unwrap()
        ),
        ("ultra-compact", "overflow")
    );
}
