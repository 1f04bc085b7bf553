//! Raw LaTeX attacks straight into the compiler, bypassing escaping: the sandbox alone must
//! contain them. Nothing leaks, nothing is written outside the job, every run ends in time.

use std::time::{Duration, Instant};

use compiler::job::{CompileError, Compiler};

use crate::support::{config, tools_present};

fn compiler() -> Compiler {
    Compiler::new(config(&["--compile-timeout-ms", "3000"]).compile).expect("compiler")
}

fn doc(body: &str) -> String {
    // Uncompressed, so an embedded file would be visible in the bytes.
    format!(
        "\\pdfcompresslevel=0 \\pdfobjcompresslevel=0\n\\documentclass{{article}}\\begin{{document}}\n{body}\n\\end{{document}}\n"
    )
}

fn run(body: &str) -> (Result<Vec<u8>, CompileError>, Duration) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let start = Instant::now();
    let r = rt.block_on(compiler().compile(&doc(body))).map(|p| p.bytes);
    (r, start.elapsed())
}

fn no_passwd(r: &Result<Vec<u8>, CompileError>) {
    if let Ok(pdf) = r {
        assert!(
            !String::from_utf8_lossy(pdf).contains("root:x:0:0"),
            "/etc/passwd leaked into the PDF"
        );
    }
    if let Err(e) = r {
        assert!(
            !e.to_string().contains("root:x:0:0"),
            "/etc/passwd leaked into the error"
        );
    }
}

#[test]
fn pdfobj_file_cannot_embed_host_files() {
    if !tools_present() {
        return;
    }
    let (r, _) = run("\\immediate\\pdfobj stream file {/etc/passwd}\\pdfrefobj\\pdflastobj x");
    no_passwd(&r);
}

#[test]
fn input_and_openin_cannot_read_host_files() {
    if !tools_present() {
        return;
    }
    for attack in [
        "\\input{/etc/passwd}",
        "\\input /etc/passwd",
        "\\newread\\r \\openin\\r=/etc/passwd \\read\\r to\\x \\x",
        "\\input{../../../../etc/passwd}",
    ] {
        let (r, _) = run(attack);
        no_passwd(&r);
    }
}

#[test]
fn nothing_is_written_or_executed_outside_the_job() {
    if !tools_present() {
        return;
    }
    let marker = format!("/tmp/resume-engine-pwned-{}", std::process::id());
    let (r, _) = run(&format!(
        "\\immediate\\write18{{touch {marker}}}\\newwrite\\f\\immediate\\openout\\f={marker}\\immediate\\write\\f{{x}}\\immediate\\closeout\\f x"
    ));
    assert!(
        !std::path::Path::new(&marker).exists(),
        "a file was written outside the job folder"
    );
    drop(r);
}

#[test]
fn infinite_loops_and_log_floods_end_within_the_limit() {
    if !tools_present() {
        return;
    }
    for attack in [
        "\\def\\x{\\x}\\x",
        "\\loop\\message{flood flood flood flood}\\iftrue\\repeat",
        "\\def\\a{\\a\\a}\\a",
    ] {
        let (r, took) = run(attack);
        assert!(r.is_err(), "{attack} produced a PDF");
        assert!(took < Duration::from_secs(6), "{attack} ran for {took:?}");
    }
}

#[test]
fn compile_errors_are_sanitized() {
    if !tools_present() {
        return;
    }
    let (r, _) = run("\\undefinedcommand");
    let Err(CompileError::Failed { reason }) = r else {
        panic!("expected a LaTeX failure")
    };
    assert!(reason.starts_with("LaTeX error at line"), "{reason}");
    assert!(
        !reason.contains("/tmp") && !reason.contains("/dev/shm"),
        "{reason}"
    );
}
