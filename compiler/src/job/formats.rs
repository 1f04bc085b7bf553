//! Template formats and minimal font maps, built once per TeX installation and template.
//!
//! A **font map** lists only the fonts a template can use. It is generated, not written: the
//! template typesets [`resume_common::schema::font_exercise`] (every supported character in
//! every free-text field) with `-recorder`, and the lines of `pdftex.map` for the metric files
//! pdflatex opened are kept. Loading it instead of the 30,000-line default saves ~60 ms.
//!
//! A **format** is a template preamble (one per template × spacing mode, since the preamble
//! holds the spacing) dumped with `mylatexformat`, with `\pdfmapfile{<map>}` appended to
//! `\everyjob` (a `\pdfmapfile` in the preamble itself is not kept in a format), stored
//! uncompressed. Its name is a hash of the preamble, the map and `pdftex --version`, so a
//! template edit or a TeX upgrade makes a new one.
//!
//! Builds run in a blocking thread on trusted input (templates and the exercise, no user
//! text), under a file lock, so several origins on one machine build each file once.

use std::collections::HashSet;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use nix::fcntl::{Flock, FlockArg};
use resume_common::api::{self, Source};
use resume_common::dates::CivilDate;
use resume_common::render::Template;
use resume_common::schema;
use serde_json::json;
use sha2::{Digest, Sha256};

/// The longest a build may take.
const BUILD_TIMEOUT: Duration = Duration::from_secs(120);

/// The first line of `pdftex --version`, or `None` when pdftex is missing.
pub(super) fn tex_version(pdflatex: &Path) -> Option<String> {
    let pdftex = pdflatex.with_file_name("pdftex");
    let program = if pdflatex.components().count() > 1 {
        pdftex
    } else {
        PathBuf::from("pdftex")
    };
    let out = Command::new(program).arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines().next().map(str::to_owned)
}

/// Splits a rendered document into preamble (before `\begin{document}`) and body (between it
/// and the last `\end{document}`). User text cannot contain either: backslashes are escaped.
pub(super) fn split(tex: &str) -> Option<(&str, &str)> {
    const BEGIN: &str = "\\begin{document}";
    let at = tex.find(BEGIN)?;
    let rest = &tex[at + BEGIN.len()..];
    let end = rest.rfind("\\end{document}")?;
    Some((&tex[..at], &rest[..end]))
}

fn hex16(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    let digest = h.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// The file name of a template's font map.
pub(super) fn map_name(template: &Template, version: &str) -> String {
    let h = hex16(&[
        MAP_RECIPE.as_bytes(),
        template.id().as_bytes(),
        template.content_hash().as_bytes(),
        version.as_bytes(),
    ]);
    format!("map-{}-{h}.map", template.id().replace('/', "-"))
}

/// How a font map is made; part of its name, so a change here makes new maps.
const MAP_RECIPE: &str =
    "exercise in en, el and ru, every section title, the page footer; every face's shapes";

/// The name (without `.fmt`) of the format for a preamble and map.
pub(super) fn format_key(preamble: &str, map: &str, version: &str) -> String {
    format!(
        "fmt-{}",
        hex16(&[
            RECIPE.as_bytes(),
            preamble.as_bytes(),
            map.as_bytes(),
            version.as_bytes()
        ])
    )
}

/// Changes whenever the way formats are built or checked changes, so old ones are not reused.
const RECIPE: &str = "checked-1";

/// Holds an exclusive lock on `{dir}/{name}.lock` while alive.
fn lock(dir: &Path, name: &str) -> Result<Flock<File>, String> {
    let f = File::create(dir.join(format!("{name}.lock"))).map_err(|e| e.to_string())?;
    Flock::lock(f, FlockArg::LockExclusive).map_err(|(_, e)| e.to_string())
}

/// Runs a trusted TeX build to completion or the deadline.
fn run(mut cmd: Command) -> Result<(), String> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .env("MKTEXPK", "0")
        .spawn()
        .map_err(|e| format!("pdflatex could not be started: {e}"))?;
    let deadline = Instant::now() + BUILD_TIMEOUT;
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            return if status.success() {
                Ok(())
            } else {
                Err(format!("pdflatex exited with {status}"))
            };
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err("the build timed out".to_owned());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Writes `bytes` to `dir/name` atomically (a temporary file, then a rename).
fn publish(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), String> {
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(|e| e.to_string())?;
    std::fs::rename(&tmp, dir.join(name)).map_err(|e| e.to_string())
}

/// Builds (or finds) a template's minimal font map in `dir`; returns its file name.
pub(super) fn build_map(
    dir: &Path,
    pdflatex: &Path,
    template: &'static Template,
    version: &str,
) -> Result<String, String> {
    let name = map_name(template, version);
    if dir.join(&name).exists() {
        return Ok(name);
    }
    let _lock = lock(dir, &name)?;
    if dir.join(&name).exists() {
        return Ok(name);
    }
    let started = Instant::now();
    let work = tempfile::tempdir_in(dir).map_err(|e| e.to_string())?;
    // Metrics METAFONT has to generate (Cyrillic T2A) go to a private TEXMFVAR, then into
    // `{dir}/tfm`, where every later run finds them.
    let var = work.path().join("var");
    let mut fonts: HashSet<String> = HashSet::new();
    // The locales whose own words (titles, labels, dates) need fonts English does not: Greek
    // and Cyrillic come in design sizes of their own. Each run fills in a page total, so the
    // page footer (in its own size) is typeset too.
    // The exercise is typeset in the default face; every other offered face is a different
    // family of the same encodings, whose metric files do not depend on the size, so touching
    // each encoding, weight and shape of it is enough.
    let faces: String = resume_common::layout::Font::ALL
        .iter()
        .filter(|f| **f != resume_common::layout::Font::Pagella)
        .map(|f| {
            let a = "Aa\\textcent";
            format!(
                "{{\\fontfamily{{{}}}\\selectfont {a} \\textbf{{{a}}} \\textit{{{a}}} \\textbf{{\\textit{{{a}}}}} \\textsc{{{a}}}}}\\par\n",
                f.nfss()
            )
        })
        .collect();
    for (i, locale) in ["en", "el", "ru"].iter().enumerate() {
        let body = json!({
            "document_type": template.document_type,
            "template": template.name,
            "locale": locale,
            "data": schema::font_exercise(template.document_type),
        });
        let tex = api::prepare(&body, Source::Json, CivilDate::from_unix_seconds(0))
            .map_err(|f| format!("the font exercise does not render: {}", f.message))?
            .tex;
        let mut tex = resume_common::render::with_page_total(&tex, 2).unwrap_or(tex);
        if i == 0 {
            if let Some(end) = tex.rfind("\\end{document}") {
                tex.insert_str(end, &faces);
            }
        }
        let job = format!("ex{i}");
        std::fs::write(work.path().join(format!("{job}.tex")), tex).map_err(|e| e.to_string())?;
        let mut cmd = Command::new(pdflatex);
        cmd.current_dir(work.path())
            .env("openin_any", "p")
            .env("openout_any", "p")
            .env("TEXMFVAR", &var)
            .arg("-recorder")
            .arg("-no-shell-escape")
            .arg("-interaction=batchmode")
            .arg(format!("{job}.tex"));
        run(cmd)?;
        let fls = std::fs::read_to_string(work.path().join(format!("{job}.fls")))
            .map_err(|e| e.to_string())?;
        fonts.extend(
            fls.lines()
                .filter_map(|l| l.strip_prefix("INPUT "))
                .filter_map(|p| p.strip_suffix(".tfm"))
                .map(|p| p.rsplit('/').next().unwrap_or(p).to_owned()),
        );
    }
    let tfm_dir = dir.join("tfm");
    std::fs::create_dir_all(&tfm_dir).map_err(|e| e.to_string())?;
    for tfm in files_under(&var, "tfm") {
        if let Some(name) = tfm.file_name().and_then(|n| n.to_str()) {
            let bytes = std::fs::read(&tfm).map_err(|e| e.to_string())?;
            publish(&tfm_dir, name, &bytes)?;
        }
    }
    let default_map = Command::new("kpsewhich")
        .arg("pdftex.map")
        .output()
        .map_err(|e| format!("kpsewhich: {e}"))?;
    let default_map = String::from_utf8_lossy(&default_map.stdout)
        .trim()
        .to_owned();
    let mut all = String::new();
    File::open(&default_map)
        .and_then(|mut f| f.read_to_string(&mut all))
        .map_err(|e| format!("{default_map}: {e}"))?;
    let lines: Vec<&str> = all
        .lines()
        .filter(|l| {
            l.split_whitespace()
                .next()
                .is_some_and(|f| fonts.contains(f))
        })
        .collect();
    if lines.is_empty() {
        return Err("no font of the exercise is in pdftex.map".to_owned());
    }
    publish(dir, &name, (lines.join("\n") + "\n").as_bytes())?;
    tracing::info!(template = %template.id(), fonts = fonts.len(), lines = lines.len(),
        ms = started.elapsed().as_millis() as u64, "font map built");
    Ok(name)
}

/// Files with this extension anywhere under `root`.
fn files_under(root: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == ext) {
                out.push(p);
            }
        }
    }
    out
}

/// How parked processes for a preamble start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// From the preamble's format (fast to start).
    Format,
    /// From the standard format, reading the preamble themselves: used when the format's
    /// output was not identical to the cold path's (some packages, such as paracol, lay the
    /// first page out differently after a format dump).
    Preamble,
}

/// Text of a PDF by `pdftotext` (page breaks included), `None` when it cannot run.
fn pdf_text(pdf: &Path) -> Option<String> {
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Builds (or finds) the format `key` for a preamble that loads `map` at every job, and checks
/// it: `probe` (a trusted body) typeset with the format must read exactly as typeset cold.
/// A format that fails the check is not used; the preamble is marked for [`Kind::Preamble`].
pub(super) fn build_format(
    dir: &Path,
    pdflatex: &Path,
    key: &str,
    preamble: &str,
    map: &str,
    probe: &str,
) -> Result<Kind, String> {
    let name = format!("{key}.fmt");
    let marker = format!("{key}.preamble");
    let found = || {
        if dir.join(&name).exists() {
            Some(Kind::Format)
        } else if dir.join(&marker).exists() {
            Some(Kind::Preamble)
        } else {
            None
        }
    };
    if let Some(k) = found() {
        return Ok(k);
    }
    let _lock = lock(dir, key)?;
    if let Some(k) = found() {
        return Ok(k);
    }
    let started = Instant::now();
    let work = tempfile::tempdir_in(dir).map_err(|e| e.to_string())?;
    let source = format!(
        "{preamble}\\everyjob\\expandafter{{\\the\\everyjob\\pdfmapfile{{{map}}}}}\n\\begin{{document}}\n\\end{{document}}\n"
    );
    std::fs::write(work.path().join("pre.tex"), source).map_err(|e| e.to_string())?;
    let tfm = format!(".:{}:", dir.join("tfm").display());
    let tex = |args: &[&str]| {
        let mut cmd = Command::new(pdflatex);
        cmd.current_dir(work.path())
            .env("TFMFONTS", &tfm)
            .env("TEXFONTMAPS", format!("{}:", dir.display()))
            .env("openin_any", "p")
            .env("openout_any", "p")
            .env("SOURCE_DATE_EPOCH", "0")
            .env("FORCE_SOURCE_DATE", "1")
            .args(args);
        run(cmd)
    };
    tex(&[
        "-ini",
        "-interaction=batchmode",
        "-halt-on-error",
        "-jobname=fmt",
        "&pdflatex",
        "mylatexformat.ltx",
        "pre.tex",
    ])?;
    // The check: the probe cold, and the probe with the new format.
    let cold = format!("{preamble}\\begin{{document}}{probe}\\end{{document}}\n");
    let warm =
        format!("\\csname endofdump\\endcsname\n\\begin{{document}}{probe}\\end{{document}}\n");
    std::fs::write(work.path().join("cold.tex"), cold).map_err(|e| e.to_string())?;
    std::fs::write(work.path().join("warm.tex"), warm).map_err(|e| e.to_string())?;
    tex(&["-interaction=batchmode", "-halt-on-error", "cold.tex"])?;
    let fmt_arg = format!("-fmt={}", work.path().join("fmt").display());
    tex(&[
        &fmt_arg,
        "-interaction=batchmode",
        "-halt-on-error",
        "warm.tex",
    ])?;
    let same = match (
        pdf_text(&work.path().join("cold.pdf")),
        pdf_text(&work.path().join("warm.pdf")),
    ) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    };
    if !same {
        publish(dir, &marker, b"")?;
        tracing::info!(
            key,
            "the format lays this preamble out differently from the cold path; its processes will read the preamble themselves"
        );
        return Ok(Kind::Preamble);
    }
    let packed = std::fs::read(work.path().join("fmt.fmt")).map_err(|e| e.to_string())?;
    // Stored uncompressed: loading skips ~60 ms of inflating.
    let mut raw = Vec::with_capacity(packed.len() * 3);
    if packed.starts_with(&[0x1f, 0x8b]) {
        flate2::read::GzDecoder::new(&packed[..])
            .read_to_end(&mut raw)
            .map_err(|e| format!("format inflate: {e}"))?;
    } else {
        raw = packed;
    }
    publish(dir, &name, &raw)?;
    tracing::info!(
        key,
        ms = started.elapsed().as_millis() as u64,
        "format built and checked"
    );
    Ok(Kind::Format)
}
