//! Test support: a real server on a free port, fixtures, and PDF inspection with poppler.

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use clap::Parser;
use compiler::config::Config;
use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

/// Whether the external tools exist; panics under CI, where skipping would hide a gap.
pub(crate) fn tools_present() -> bool {
    let ok = ["pdflatex", "pdftotext", "pdfinfo"]
        .iter()
        .all(|t| Command::new(t).arg("-v").output().is_ok());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "pdflatex/poppler missing under CI: run scripts/install-deps.sh"
        );
        // The skip must be visible in the test output.
        let _ = writeln!(
            std::io::stderr(),
            "skipping: pdflatex or poppler-utils not found"
        );
    }
    ok
}

#[derive(Parser)]
struct TestArgs {
    #[command(flatten)]
    cfg: Config,
}

/// Builds a config from flags only (no environment reads beyond clap's fallbacks).
pub(crate) fn config(extra: &[&str]) -> Config {
    let mut args = vec!["test", "--host", "127.0.0.1", "--port", "0"];
    args.extend_from_slice(extra);
    TestArgs::parse_from(args).cfg
}

/// A shared server for the whole test binary.
pub(crate) fn server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| start(config(&["--compile-timeout-ms", "15000"])))
}

/// Starts a server on its own runtime thread and returns its address.
pub(crate) fn start(cfg: Config) -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            tx.send(listener.local_addr().expect("addr")).expect("send");
            compiler::serve_on(listener, cfg, std::future::pending())
                .await
                .expect("serve");
        });
    });
    rx.recv().expect("server address")
}

pub(crate) fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .expect("client")
}

pub(crate) fn url(path: &str) -> String {
    format!("http://{}{path}", server())
}

pub(crate) fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

pub(crate) fn fixture(name: &str) -> Value {
    let text = std::fs::read_to_string(fixtures().join(name)).expect("fixture");
    serde_json::from_str(&text).expect("fixture json")
}

/// POSTs JSON and returns status, headers and body.
pub(crate) fn post(path: &str, body: &Value) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let resp = client().post(url(path)).json(body).send().expect("request");
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    (status, headers, resp.bytes().expect("body").to_vec())
}

/// Text of a PDF, whitespace collapsed and NFC-normalized (pdftotext decomposes accents that
/// TeX composes from an accent and a base letter).
pub(crate) fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("x.pdf");
    std::fs::write(&p, pdf).expect("write");
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&p)
        .arg("-")
        .output()
        .expect("pdftotext");
    let text: String = String::from_utf8_lossy(&out.stdout).nfc().collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `pdfinfo` fields.
pub(crate) fn pdf_info(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("x.pdf");
    std::fs::write(&p, pdf).expect("write");
    let out = Command::new("pdfinfo").arg(&p).output().expect("pdfinfo");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Whether `needle` appears in `hay`, ignoring whitespace and hyphens (line breaks and
/// hyphenation in the PDF).
pub(crate) fn contains_loosely(hay: &str, needle: &str) -> bool {
    let squash = |s: &str| {
        s.chars()
            .filter(|c| !c.is_whitespace() && *c != '-' && *c != '‐')
            .collect::<String>()
    };
    squash(hay).contains(&squash(needle))
}
