//! House rules checked by `cargo test`: every Rust file opens with a `//!` doc saying what it
//! owns, and no template uses minijinja's `safe` filter (escaping must stay the default).

use std::path::{Path, PathBuf};

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn every_rust_file_starts_with_a_module_doc() {
    let mut all = Vec::new();
    for dir in [
        "common/src",
        "common/examples",
        "compiler/src",
        "compiler/tests",
    ] {
        files(&root().join(dir), "rs", &mut all);
    }
    assert!(all.len() > 20);
    let missing: Vec<_> = all
        .iter()
        .filter(|p| {
            !std::fs::read_to_string(p)
                .expect("utf-8")
                .starts_with("//!")
        })
        .collect();
    assert!(missing.is_empty(), "files without a //! doc: {missing:?}");
}

#[test]
fn templates_never_bypass_escaping() {
    let mut all = Vec::new();
    files(&root().join("templates"), "j2", &mut all);
    // Every template's file, and the three shared ones (preamble, sections, the modern band).
    assert_eq!(all.len(), resume_common::render::TEMPLATES.len() + 3);
    for p in all {
        let text = std::fs::read_to_string(&p).expect("utf-8");
        assert!(
            !text.contains("|safe") && !text.contains("| safe"),
            "{} uses |safe",
            p.display()
        );
    }
}
