//! The command line, run as a real process.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::support::{fixtures, tools_present};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_resume-compiler"))
}

#[test]
fn render_from_a_file_and_from_stdin() {
    if !tools_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cv.pdf");
    let st = bin()
        .args([
            "render",
            fixtures().join("resume-minimal.json").to_str().unwrap(),
            "--template",
            "two_column",
            "-o",
            out.to_str().unwrap(),
        ])
        .status()
        .unwrap();
    assert!(st.success());
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF-"));

    let mut child = bin()
        .args([
            "render",
            "-",
            "--type",
            "cover_letter",
            "--input-format",
            "yaml",
            "--format",
            "tex",
            "-o",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"personalInfo:\n  name: Stdin Person\n  email: s@example.org\nbody: Hello.\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("Stdin Person"));
}

#[test]
fn validate_prints_located_errors_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"personalInfo": {"name": "A", "email": "nope"}, "experience": [{"title": "x", "company": "y", "startDate": "2020-13"}]}"#).unwrap();
    let out = bin()
        .args(["validate", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("VAL003") && err.contains("/data/personalInfo/email"),
        "{err}"
    );
    assert!(err.contains("/data/experience/0/startDate"), "{err}");

    let out = bin()
        .args([
            "validate",
            fixtures().join("resume-full.json").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn templates_and_sample() {
    let out = bin().arg("templates").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    // One line a template, each naming its id.
    let templates = resume_common::render::TEMPLATES;
    assert_eq!(text.lines().count(), templates.len(), "{text}");
    for t in templates {
        let listed = text.lines().any(|l| {
            l.split_whitespace()
                .take(2)
                .eq([t.document_type.as_str(), t.name])
        });
        assert!(listed, "{} missing: {text}", t.id());
    }

    let dir = tempfile::tempdir().unwrap();
    let yaml = dir.path().join("s.yaml");
    assert!(
        bin()
            .args(["sample", "cover_letter", "-o", yaml.to_str().unwrap()])
            .status()
            .unwrap()
            .success()
    );
    let out = bin()
        .args(["validate", "--type", "cover_letter", yaml.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn layout_flags_reach_the_document() {
    if !tools_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cv.pdf");
    let full = fixtures().join("resume-full.json");
    let st = bin()
        .args([
            "render",
            full.to_str().unwrap(),
            "--page-size",
            "a4",
            "--locale",
            "de",
        ])
        .args([
            "--section-order",
            "education,experience",
            "--hide",
            "interests",
        ])
        .args(["--title", "projects=Vorhaben", "-o", out.to_str().unwrap()])
        .status()
        .unwrap();
    assert!(st.success());
    let pdf = std::fs::read(&out).unwrap();
    assert!(crate::support::pdf_info(&pdf).contains("(A4)"));
    let text = crate::support::pdf_text(&pdf);
    let (edu, exp) = (
        text.find("Ausbildung").unwrap(),
        text.find("Berufserfahrung").unwrap(),
    );
    assert!(edu < exp, "education first");
    assert!(text.contains("Vorhaben") && !text.contains("Sea kayaking"));
    assert!(text.contains("Seite 2 von"), "page numbers by default");

    let txt = bin()
        .args([
            "render",
            full.to_str().unwrap(),
            "--format",
            "txt",
            "--no-page-numbers",
        ])
        .args(["--locale", "xx", "-o", "-"])
        .output()
        .unwrap();
    assert_eq!(txt.status.code(), Some(1));
    let err = String::from_utf8_lossy(&txt.stderr);
    assert!(err.contains("VAL012") && err.contains("/locale"), "{err}");
    let bad = bin()
        .args([
            "render",
            full.to_str().unwrap(),
            "--title",
            "no-equals-sign",
            "-o",
            "-",
        ])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}
