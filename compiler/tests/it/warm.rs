//! The warm path against real pdflatex: text equality with the cold path, determinism, the
//! pool's lifecycle (refill, a killed parked process, aging is covered by the sweeper's rule),
//! timeouts and fallback through the warm path, format rebuilds, and vector fonts for every
//! supported character. The raw-LaTeX cases go through `Compiler::compile_doc` directly: user
//! text never reaches TeX unescaped, so this library call is the only way to send them.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use compiler::config::CompileConfig;
use compiler::job::{CompileError, Compiler, Pdf, Via};
use resume_common::api::{self, Source};
use resume_common::dates::CivilDate;
use resume_common::render::{Engine, TEMPLATES, Template};
use resume_common::schema;
use serde_json::{Value, json};

use crate::support::{config, fixture, fixtures, pdf_text, templates, tools_present};

/// One folder of formats for every warm test, kept between runs of the tests.
fn format_dir() -> String {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("formats");
    dir.display().to_string()
}

fn compile_cfg(extra: &[&str]) -> CompileConfig {
    let dir = format_dir();
    let mut args = vec!["--format-dir", dir.as_str()];
    args.extend_from_slice(extra);
    config(&args).compile
}

fn warm_compiler(extra: &[&str]) -> Arc<Compiler> {
    let c = Arc::new(Compiler::new(compile_cfg(extra)).expect("compiler"));
    c.start_warm();
    c
}

fn render(body: &Value) -> (&'static Template, String) {
    let p = api::prepare(
        body,
        Source::Json,
        CivilDate::from_unix_seconds(1_700_000_000),
    )
    .expect("renders");
    (p.template, p.tex.clone())
}

/// Every fixture that renders, on every template of its type.
fn documents() -> Vec<(String, &'static Template, String)> {
    let mut docs = Vec::new();
    for (file, kind) in [
        ("resume-full.json", "resume"),
        ("resume-minimal.json", "resume"),
        ("cover-letter-full.json", "cover_letter"),
        ("jsonresume-sample.json", "resume"),
    ] {
        for template in templates(kind) {
            let body = json!({"document_type": kind, "template": template, "data": fixture(file)});
            let (t, tex) = render(&body);
            docs.push((format!("{file} on {template}"), t, tex));
        }
    }
    let hostile = fixtures().join("hostile");
    let mut names: Vec<_> = std::fs::read_dir(&hostile)
        .expect("hostile fixtures")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    names.sort();
    for path in names {
        let body: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let prepared = api::prepare(&body, Source::Json, CivilDate::from_unix_seconds(0));
        // XeTeX documents (CJK text) always take the cold path; `xetex_documents_stay_cold`.
        if let Some(p) = prepared
            .ok()
            .filter(|p| Engine::of_tex(&p.tex) == Engine::Pdftex)
        {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            docs.push((name, p.template, p.tex.clone()));
        }
    }
    docs
}

/// Compiles until the warm path takes the document (formats build in the background).
async fn warm_pdf(c: &Arc<Compiler>, template: &'static Template, tex: &str) -> Pdf {
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let pdf = c.compile_doc(template, tex).await.expect("compiles");
        if pdf.via != Via::Cold {
            return pdf;
        }
        assert!(
            Instant::now() < deadline,
            "the warm path never became ready"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// Waits until `n` processes are parked for `key`; returns their pids.
async fn parked(c: &Compiler, key: &str, n: usize) -> Vec<u32> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let pids = c
            .warm_stats()
            .and_then(|s| s.parked_pids.get(key).cloned())
            .unwrap_or_default();
        if pids.len() >= n {
            return pids;
        }
        assert!(
            Instant::now() < deadline,
            "{key}: {pids:?} parked, wanted {n}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warm_pdfs_read_exactly_like_cold_ones_and_repeat_byte_for_byte() {
    if !tools_present() {
        return;
    }
    let warm = warm_compiler(&[]);
    let cold = Arc::new(Compiler::new(compile_cfg(&["--warm-pool", "false"])).expect("compiler"));
    let docs = documents();
    assert!(docs.len() >= 14, "{} documents", docs.len());
    for (name, template, tex) in docs {
        let w = warm_pdf(&warm, template, &tex).await;
        let c = cold
            .compile_doc(template, &tex)
            .await
            .expect("cold compiles");
        assert_eq!(c.via, Via::Cold);
        assert_eq!(pdf_text(&w.bytes), pdf_text(&c.bytes), "{name}");
        assert_eq!(w.pages, c.pages, "{name}");
        let again = warm.compile_doc(template, &tex).await.expect("compiles");
        assert!(
            again.bytes == w.bytes,
            "{name}: warm PDFs differ between runs"
        );
    }
    assert_eq!(
        warm.counts
            .fallbacks
            .load(std::sync::atomic::Ordering::Relaxed),
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xetex_documents_stay_cold_and_repeat_byte_for_byte() {
    if !tools_present() {
        return;
    }
    let warm = warm_compiler(&[]);
    let body = json!({"document_type": "resume", "template": "classic",
                      "data": {"personalInfo": {"name": "李静怡"}, "professionalSummary": "十年经验"}});
    let (template, tex) = render(&body);
    assert_eq!(Engine::of_tex(&tex), Engine::Xetex);
    let a = warm.compile_doc(template, &tex).await.expect("compiles");
    let b = warm.compile_doc(template, &tex).await.expect("compiles");
    assert_eq!(a.via, Via::Cold);
    assert!(a.bytes == b.bytes, "XeTeX PDFs differ between runs");
    assert!(pdf_text(&a.bytes).contains("李静怡"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pool_refills_and_replaces_a_killed_parked_process() {
    if !tools_present() {
        return;
    }
    let c = warm_compiler(&["--warm-parked-max", "4"]);
    let body = json!({"document_type": "resume", "template": "classic", "data": fixture("resume-minimal.json")});
    let (template, tex) = render(&body);
    warm_pdf(&c, template, &tex).await;
    let key = c.format_key_for(template, &tex).expect("warm on");

    // Used → refilled.
    let before = parked(&c, &key, 1).await;
    let p = c.compile_doc(template, &tex).await.unwrap();
    assert_eq!(p.via, Via::Parked);
    let after = parked(&c, &key, 1).await;
    assert!(
        after.iter().all(|pid| !before.contains(pid)),
        "{before:?} → {after:?}"
    );

    // Killed while parked → skipped, the job still succeeds, and it is replaced.
    let victim = after[0];
    nix::sys::signal::killpg(
        nix::unistd::Pid::from_raw(victim as i32),
        nix::sys::signal::Signal::SIGKILL,
    )
    .expect("kill the parked process group");
    tokio::time::sleep(Duration::from_millis(100)).await;
    let p = c.compile_doc(template, &tex).await.expect("still compiles");
    assert_ne!(p.via, Via::Cold);
    let replaced = parked(&c, &key, 1).await;
    assert!(!replaced.contains(&victim));
    assert!(
        pdf_text(&p.bytes).contains("Sam Minimal"),
        "{}",
        pdf_text(&p.bytes)
    );
}

/// The rendered document with its body replaced: raw LaTeX, as no request could send.
fn with_body(tex: &str, body: &str) -> String {
    let at = tex.find("\\begin{document}").expect("begin");
    format!(
        "{}\\begin{{document}}\n{body}\n\\end{{document}}\n",
        &tex[..at]
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_runaway_body_is_killed_on_the_warm_path_and_bad_fonts_fall_back_cold() {
    if !tools_present() {
        return;
    }
    let c = warm_compiler(&["--compile-timeout-ms", "3000"]);
    let body = json!({"document_type": "resume", "template": "two_column", "data": fixture("resume-minimal.json")});
    let (template, tex) = render(&body);
    warm_pdf(&c, template, &tex).await;

    let started = Instant::now();
    let r = c
        .compile_doc(template, &with_body(&tex, "\\def\\x{\\x}\\x"))
        .await;
    assert!(matches!(r, Err(CompileError::Timeout(_))), "{r:?}");
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(
        c.counts
            .fallbacks
            .load(std::sync::atomic::Ordering::Relaxed),
        0,
        "timeouts are not retried"
    );

    // A font outside the template's minimal map fails on the warm path; the cold path has
    // the full map, so the job is redone there, and counted.
    let sans = with_body(
        &tex,
        "\\fontfamily{cmss}\\selectfont Sans serif fallback text",
    );
    let p = c.compile_doc(template, &sans).await.expect("falls back");
    assert_eq!(p.via, Via::Fallback);
    assert!(pdf_text(&p.bytes).contains("Sans serif fallback text"));
    assert_eq!(
        c.counts
            .fallbacks
            .load(std::sync::atomic::Ordering::Relaxed),
        1
    );
    // The pool is still usable.
    assert_ne!(c.compile_doc(template, &tex).await.unwrap().via, Via::Cold);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_preamble_gets_its_own_format() {
    if !tools_present() {
        return;
    }
    let c = warm_compiler(&[]);
    let body = json!({"document_type": "cover_letter", "template": "classic", "data": fixture("cover-letter-full.json")});
    let (template, tex) = render(&body);
    warm_pdf(&c, template, &tex).await;
    let old_key = c.format_key_for(template, &tex).unwrap();
    // A template edit changes the preamble; this one is unique to this run.
    // Command names are letters only: spell the process id with letters.
    let tag: String = std::process::id()
        .to_string()
        .bytes()
        .map(|b| char::from(b'a' + (b - b'0')))
        .collect();
    let marker = format!("\\newcommand{{\\templateedit{tag}}}{{}}\n");
    let edited = tex.replacen(
        "\\begin{document}",
        &format!("{marker}\\begin{{document}}"),
        1,
    );
    let new_key = c.format_key_for(template, &edited).unwrap();
    assert_ne!(old_key, new_key);
    let first = c.compile_doc(template, &edited).await.unwrap();
    assert_eq!(first.via, Via::Cold, "no format yet: the cold path serves");
    let warm = warm_pdf(&c, template, &edited).await;
    assert_ne!(warm.via, Via::Cold);
    let dir = c.format_dir().unwrap();
    assert!(dir.join(format!("{old_key}.fmt")).exists());
    assert!(dir.join(format!("{new_key}.fmt")).exists());
    assert_eq!(pdf_text(&warm.bytes), pdf_text(&first.bytes));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_supported_character_embeds_as_a_vector_font_on_the_warm_path() {
    if !tools_present() {
        return;
    }
    let c = warm_compiler(&["--compile-timeout-ms", "60000"]);
    for template in TEMPLATES {
        let kind = template.document_type;
        let body = json!({"document_type": kind, "template": template.name,
                          "data": schema::font_exercise(kind)});
        let (t, tex) = render(&body);
        let pdf = warm_pdf(&c, t, &tex).await;
        let fonts = crate::support::pdf_fonts(&pdf.bytes);
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(rows.len() >= 5, "{fonts}");
        for row in rows {
            assert!(
                row.contains("Type 1"),
                "{}: not a Type 1 font: {row}",
                template.id()
            );
            assert!(
                !row.contains("Type 3"),
                "{}: bitmap font: {row}",
                template.id()
            );
            let cols: Vec<&str> = row.split_whitespace().collect();
            let emb = cols[cols.len() - 5];
            assert_eq!(emb, "yes", "{}: not embedded: {row}", template.id());
        }
        // Every character made it into the text (pdftotext NFC-normalizes accents back).
        let text = pdf_text(&pdf.bytes);
        for probe in ['Ω', 'λ', 'Ж', 'я', 'Ł', 'ő', 'ß', '€', '™', '№'] {
            assert!(
                text.contains(probe),
                "{}: {probe} missing from {text}",
                template.id()
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_preamble_takes_room_from_idle_ones() {
    if !tools_present() {
        return;
    }
    // Room for two parked processes, four templates wanting one each at start.
    let c = warm_compiler(&["--warm-parked-max", "2"]);
    let body = json!({"document_type": "resume", "template": "classic", "data": fixture("resume-minimal.json")});
    let (template, tex) = render(&body);
    warm_pdf(&c, template, &tex).await;
    let key = c.format_key_for(template, &tex).unwrap();
    // Jobs back to back: whenever one finds no parked process, the preamble's target grows.
    for _ in 0..4 {
        c.compile_doc(template, &tex).await.unwrap();
    }
    let pids = parked(&c, &key, 2).await;
    assert_eq!(pids.len(), 2);
    let total: usize = c.warm_stats().unwrap().parked.values().sum();
    assert!(total <= 2, "the bound holds: {total}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn layout_options_take_the_warm_path_the_first_time() {
    if !tools_present() {
        return;
    }
    let warm = warm_compiler(&[]);
    let cold = Arc::new(Compiler::new(compile_cfg(&["--warm-pool", "false"])).expect("compiler"));
    for template in templates("resume") {
        let plain = json!({"document_type": "resume", "template": template, "data": fixture("resume-full.json")});
        let (t, tex) = render(&plain);
        warm_pdf(&warm, t, &tex).await;
        // Page size, locale and order live in the body: the format the default built serves them.
        let mut data = fixture("resume-full.json");
        data["customSections"] = json!([{"title": "Ehrenämter", "items": ["Kassenwart"]}]);
        // Greek and Cyrillic titles, labels and footers need fonts English does not: the
        // template's font map has them, so these read the same warm as cold too.
        for (locale, font) in [
            ("de", "termes"),
            ("el", "heros"),
            ("ru", "adventor"),
            ("pl", "bonum"),
            ("fr", "schola"),
        ] {
            let options = json!({"document_type": "resume", "template": template, "data": data,
                "page_size": "a4", "locale": locale, "section_order": ["education", "ehrenämter", "experience"],
                "font": font, "accent_color": "#0A7D33"});
            let (t, tex) = render(&options);
            let w = warm.compile_doc(t, &tex).await.expect("compiles");
            assert!(
                matches!(w.via, Via::Format | Via::Parked),
                "{template} {locale}: {:?}",
                w.via
            );
            let c = cold.compile_doc(t, &tex).await.expect("compiles");
            assert_eq!(
                pdf_text(&w.bytes),
                pdf_text(&c.bytes),
                "{template} {locale}"
            );
            assert!(pdf_text(&w.bytes).contains("Ehrenämter"));
        }
        // A photo is a file beside the body: the parked process reads it like the cold one.
        let mut data = fixture("resume-full.json");
        data["personalInfo"]["photo"] = json!(crate::photo::photo_uri("avatar.jpg"));
        let body = json!({"document_type": "resume", "template": template, "data": data, "photo_shape": "circle"});
        let p = api::prepare(
            &body,
            Source::Json,
            CivilDate::from_unix_seconds(1_700_000_000),
        )
        .expect("renders");
        let w = warm
            .compile_doc_with(p.template, &p.tex, &p.assets())
            .await
            .expect("compiles");
        assert!(
            matches!(w.via, Via::Format | Via::Parked),
            "{template} photo: {:?}",
            w.via
        );
        let c = cold
            .compile_doc_with(p.template, &p.tex, &p.assets())
            .await
            .expect("compiles");
        assert_eq!(crate::photo::images(&w.bytes).len(), 1, "{template}");
        assert_eq!(pdf_text(&w.bytes), pdf_text(&c.bytes), "{template} photo");
    }
}
