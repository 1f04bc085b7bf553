//! Log parsing: page counts and sanitized error reasons.

use crate::job::{pages_from_log, reason_from_log};

#[test]
fn pages() {
    assert_eq!(
        pages_from_log("...\nOutput written on doc.pdf (3 pages, 63787 bytes).\n"),
        Some(3)
    );
    assert_eq!(
        pages_from_log("Output written on doc.pdf (1 page, 100 bytes)."),
        Some(1)
    );
    assert_eq!(pages_from_log("No pages of output."), None);
}

#[test]
fn reasons_carry_the_error_and_line_but_no_paths() {
    let log = "(/usr/share/texlive/texmf-dist/tex/latex/base/article.cls\n! Undefined control sequence.\nl.42 \\foo\n";
    assert_eq!(
        reason_from_log(log, Some(1)),
        "LaTeX error at line 42: Undefined control sequence."
    );
    let log = "! LaTeX Error: File `/etc/passwd.tex' not found.\n";
    assert_eq!(
        reason_from_log(log, Some(1)),
        "LaTeX error: LaTeX Error: File <path> not found."
    );
    assert_eq!(
        reason_from_log("", Some(1)),
        "pdflatex exited with status 1 and produced no PDF"
    );
    assert!(reason_from_log("", None).contains("resource limit"));
}
