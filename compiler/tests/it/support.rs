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

/// Waits until `/ready` answers 200 (the start-up smoke compile has finished).
pub(crate) fn wait_ready(addr: SocketAddr) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let r = client().get(format!("http://{addr}/ready")).send();
        if r.is_ok_and(|r| r.status().as_u16() == 200) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{addr} never became ready"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
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

/// `pdffonts` output: a header of two lines, then one row per font.
pub(crate) fn pdf_fonts(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("x.pdf");
    std::fs::write(&p, pdf).expect("write");
    let out = Command::new("pdffonts").arg(&p).output().expect("pdffonts");
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

/// An origin that can be stopped (its in-process cache goes with it).
pub(crate) struct Origin {
    pub(crate) addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Origin {
    /// Starts an origin with these flags.
    pub(crate) fn start(extra: &[&str]) -> Origin {
        let cfg = config(extra);
        let (tx, rx) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Runtime::new().expect("runtime");
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind");
                tx.send(listener.local_addr().expect("addr")).expect("send");
                compiler::serve_on(listener, cfg, async {
                    let _ = stopped.await;
                })
                .await
                .expect("serve");
            });
        });
        Origin {
            addr: rx.recv().expect("server address"),
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// POSTs JSON; returns status, headers, body.
    pub(crate) fn post(
        &self,
        path: &str,
        body: &Value,
    ) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
        let resp = client()
            .post(self.url(path))
            .json(body)
            .send()
            .expect("request");
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        (status, headers, resp.bytes().expect("body").to_vec())
    }

    /// `GET /metrics` as JSON.
    pub(crate) fn metrics(&self) -> Value {
        client()
            .get(self.url("/metrics"))
            .send()
            .expect("metrics")
            .json()
            .expect("metrics json")
    }

    /// Stops the origin and waits until it has shut down.
    pub(crate) fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Origin {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// A real `redis-server` on a free port, stopped on drop.
pub(crate) struct Redis {
    pub(crate) port: u16,
    child: Option<std::process::Child>,
}

/// Whether `redis-server` exists; panics under CI, where skipping would hide a gap.
pub(crate) fn redis_present() -> bool {
    let ok = Command::new("redis-server")
        .arg("--version")
        .output()
        .is_ok();
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "redis-server missing under CI: run scripts/install-deps.sh"
        );
        let _ = writeln!(std::io::stderr(), "skipping: redis-server not found");
    }
    ok
}

impl Redis {
    /// Starts a throwaway server (no persistence) on a free port.
    pub(crate) fn start() -> Redis {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("bind")
            .local_addr()
            .expect("addr")
            .port();
        let mut r = Redis { port, child: None };
        r.restart();
        r
    }

    /// The address for `--redis-url`.
    pub(crate) fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    /// Kills the server (SIGKILL: no goodbye to clients).
    pub(crate) fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Freezes the server (SIGSTOP): connections stay open but nothing answers.
    pub(crate) fn pause(&self) {
        self.signal("-STOP");
    }

    /// Thaws a frozen server (SIGCONT).
    pub(crate) fn resume(&self) {
        self.signal("-CONT");
    }

    fn signal(&self, sig: &str) {
        let pid = self.child.as_ref().expect("running").id().to_string();
        let ok = Command::new("kill")
            .args([sig, &pid])
            .status()
            .expect("kill");
        assert!(ok.success(), "kill {sig} {pid}");
    }

    /// Starts it again on the same port and waits until it answers.
    pub(crate) fn restart(&mut self) {
        self.kill();
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no", "--loglevel", "warning"])
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("redis-server starts");
        self.child = Some(child);
        for _ in 0..200 {
            if self.cli(&["PING"]) == "PONG" {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
        panic!("redis-server did not answer on port {}", self.port);
    }

    /// Runs a `redis-cli` command and returns its trimmed output.
    pub(crate) fn cli(&self, args: &[&str]) -> String {
        let out = Command::new("redis-cli")
            .args(["-p", &self.port.to_string()])
            .args(args)
            .output()
            .expect("redis-cli");
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Whether LibreOffice is installed (it checks DOCX files); panics under CI.
pub(crate) fn office_present() -> bool {
    let ok = Command::new("soffice").arg("--version").output().is_ok();
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "LibreOffice missing under CI: run scripts/install-deps.sh"
        );
        let _ = writeln!(std::io::stderr(), "skipping: soffice not found");
    }
    ok
}

/// Converts DOCX files to PDF with LibreOffice (one process for all, a private profile);
/// returns the PDFs in the order given.
pub(crate) fn office_to_pdf(docx: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let dir = tempfile::tempdir().expect("tmp");
    let mut inputs = Vec::new();
    for (i, bytes) in docx.iter().enumerate() {
        let p = dir.path().join(format!("doc{i}.docx"));
        std::fs::write(&p, bytes).expect("write");
        inputs.push(p);
    }
    let out = dir.path().join("out");
    let profile = format!("file://{}", dir.path().join("profile").display());
    let status = Command::new("soffice")
        .arg(format!("-env:UserInstallation={profile}"))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&out)
        .args(&inputs)
        .output()
        .expect("soffice runs");
    assert!(status.status.success(), "{status:?}");
    (0..docx.len())
        .map(|i| {
            std::fs::read(out.join(format!("doc{i}.pdf")))
                .unwrap_or_else(|e| panic!("LibreOffice did not convert doc{i}.docx: {e}"))
        })
        .collect()
}

/// The names of every template of a document type (`resume`, `cover_letter`), as served.
pub(crate) fn templates(kind: &str) -> Vec<&'static str> {
    let t = resume_common::model::DocumentType::parse(kind).expect("a document type");
    resume_common::render::Template::names(t)
}
