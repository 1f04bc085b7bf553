//! The only place that starts processes: one sandboxed pdflatex (or, for documents with
//! Chinese, Japanese, Korean or Vietnamese text, xelatex) run per job.
//!
//! Untrusted input is never trusted to be escaped correctly, so every run is contained on its
//! own: `-no-shell-escape`, TeX's paranoid file access (`openin_any=p`, `openout_any=p`), a
//! private job folder (on tmpfs when available) removed afterwards, bubblewrap exposing only
//! the TeX tree read-only and the job folder read-write with no network, rlimits on CPU,
//! memory, file size and open files, and a wall-clock deadline that kills the whole process
//! group. At most `MAX_WORKERS` run at once; a bounded number wait; the rest get
//! [`CompileError::Overloaded`].

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::process::{Child, Command};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::config::{CompileConfig, SandboxMode};
use resume_common::api::Asset;

/// How a PDF was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// A fresh pdflatex loading the standard format and font map.
    Cold,
    /// A fresh pdflatex loading the template's own format and minimal font map.
    Format,
    /// A parked pdflatex (format loaded, `\begin{document}` done) that was handed the body.
    Parked,
    /// The warm path failed and the cold path made it.
    Fallback,
}

/// A compiled PDF.
#[derive(Debug, Clone)]
pub struct Pdf {
    /// The PDF bytes.
    pub bytes: Vec<u8>,
    /// Pages, read from pdflatex's own report.
    pub pages: u32,
    /// Time spent waiting for a worker.
    pub queued: Duration,
    /// Time pdflatex ran (for a parked process: from hand-over to exit).
    pub compiled: Duration,
    /// How it was made.
    pub via: Via,
}

/// Why a compile did not produce a PDF.
#[derive(Debug, thiserror::Error)]
pub enum CompileError {
    /// Every worker is busy and the queue is full.
    #[error("all {workers} compile workers are busy and {queued} requests are waiting")]
    Overloaded {
        /// Workers.
        workers: usize,
        /// Requests waiting.
        queued: usize,
    },
    /// The deadline passed; the process group was killed.
    #[error("compilation took longer than {0:?} and was stopped")]
    Timeout(Duration),
    /// pdflatex reported an error; `reason` is sanitized (no paths, no log dump).
    #[error("{reason}")]
    Failed {
        /// The first TeX error, with its line.
        reason: String,
    },
    /// pdflatex could not be started.
    #[error("pdflatex could not be started: {0}")]
    Missing(std::io::Error),
    /// The job folder could not be prepared or read.
    #[error("job folder error: {0}")]
    Io(#[from] std::io::Error),
}

/// Fixed PDF dates so identical requests give byte-identical files.
const SOURCE_DATE_EPOCH: &str = "0";
/// Address-space limit: TeX needs 44–68 MB; leave room for fonts and the sandbox.
const LIMIT_AS: u64 = 1 << 30;
/// File-size limit: a `\loop\message` log flood otherwise writes 150 MB in 5 s.
const LIMIT_FSIZE: u64 = 20 << 20;
const LIMIT_NOFILE: u64 = 256;
/// Where the format folder appears inside the sandbox.
const FMT_MOUNT: &str = "/fmt";

/// Counts of how compiles were made, for `/metrics`.
#[derive(Debug, Default)]
pub struct PathCounts {
    /// Cold runs (no format ready, or the warm pool is off).
    pub cold: AtomicU64,
    /// Fresh runs with the template's format (no parked process was free).
    pub format: AtomicU64,
    /// Runs handed to a parked process.
    pub parked: AtomicU64,
    /// Warm runs that failed and were redone cold.
    pub fallbacks: AtomicU64,
}

/// Runs pdflatex jobs within the configured limits.
#[derive(Debug)]
pub struct Compiler {
    cfg: CompileConfig,
    permits: Arc<Semaphore>,
    waiting: AtomicUsize,
    running: AtomicUsize,
    bwrap: Option<PathBuf>,
    warm: Option<warm::Warm>,
    /// How compiles were made.
    pub counts: PathCounts,
}

impl Compiler {
    /// Builds the runner and decides on the sandbox (a probe run of bubblewrap in `auto`).
    pub fn new(cfg: CompileConfig) -> Result<Self, String> {
        let bwrap = match cfg.sandbox {
            SandboxMode::None => None,
            SandboxMode::Auto => probe_bwrap(),
            SandboxMode::Bwrap => {
                Some(probe_bwrap().ok_or("SANDBOX=bwrap but bubblewrap does not work here")?)
            }
        };
        if bwrap.is_none() && cfg.sandbox == SandboxMode::Auto {
            tracing::warn!(
                "bubblewrap is unavailable; pdflatex runs with rlimits and paranoid file access only"
            );
        }
        let warm = if cfg.warm_pool {
            warm::Warm::new(&cfg)
        } else {
            None
        };
        Ok(Self {
            permits: Arc::new(Semaphore::new(cfg.workers())),
            cfg,
            waiting: AtomicUsize::new(0),
            running: AtomicUsize::new(0),
            bwrap,
            warm,
            counts: PathCounts::default(),
        })
    }

    /// Whether pdflatex runs inside bubblewrap.
    pub fn sandboxed(&self) -> bool {
        self.bwrap.is_some()
    }

    /// Compiles running now and waiting now.
    pub fn load(&self) -> (usize, usize) {
        (
            self.running.load(Ordering::Relaxed),
            self.waiting.load(Ordering::Relaxed),
        )
    }

    /// Takes a worker at once if one is free, else waits while the queue has room.
    async fn acquire(&self) -> Result<OwnedSemaphorePermit, CompileError> {
        let workers = self.cfg.workers();
        match self.permits.clone().try_acquire_owned() {
            Ok(p) => Ok(p),
            Err(_) => {
                let queued = self.waiting.fetch_add(1, Ordering::SeqCst);
                if queued >= self.cfg.queue_limit {
                    self.waiting.fetch_sub(1, Ordering::SeqCst);
                    return Err(CompileError::Overloaded { workers, queued });
                }
                let permit = self.permits.clone().acquire_owned().await;
                self.waiting.fetch_sub(1, Ordering::SeqCst);
                permit.map_err(|_| CompileError::Overloaded { workers, queued })
            }
        }
    }

    /// Compiles LaTeX source to PDF on the cold path. The source is treated as hostile.
    pub async fn compile(&self, tex: &str) -> Result<Pdf, CompileError> {
        self.compile_with(tex, &[]).await
    }

    /// [`Compiler::compile`] with the files the LaTeX reads (the photo) in its job folder.
    pub async fn compile_with(&self, tex: &str, assets: &[Asset]) -> Result<Pdf, CompileError> {
        let start = Instant::now();
        let _permit = self.acquire().await?;
        let queued = start.elapsed();
        self.running.fetch_add(1, Ordering::SeqCst);
        let result = self.run(tex, assets).await;
        self.running.fetch_sub(1, Ordering::SeqCst);
        let (bytes, pages, compiled) = result?;
        self.counts.cold.fetch_add(1, Ordering::Relaxed);
        Ok(Pdf {
            bytes,
            pages,
            queued,
            compiled,
            via: Via::Cold,
        })
    }

    async fn run(
        &self,
        tex: &str,
        assets: &[Asset],
    ) -> Result<(Vec<u8>, u32, Duration), CompileError> {
        let dir = self.job_dir()?;
        tokio::fs::write(dir.path().join("doc.tex"), tex).await?;
        write_assets(dir.path(), assets).await?;
        let args = [
            "-no-shell-escape",
            "-interaction=batchmode",
            "-halt-on-error",
            "doc.tex",
        ]
        .map(str::to_owned);
        let fmt_dir = self.warm.as_ref().map(warm::Warm::dir);
        let engine = resume_common::render::Engine::of_tex(tex);
        let mut cmd = self.command(dir.path(), &args, fmt_dir, false, engine);
        cmd.stdin(Stdio::null());
        let started = Instant::now();
        let mut child = cmd.spawn().map_err(CompileError::Missing)?;
        let status = self.wait(&mut child).await?;
        let (bytes, pages) = collect(dir.path(), "doc", status).await?;
        Ok((bytes, pages, started.elapsed()))
    }

    /// A private job folder under the job root, removed when dropped.
    fn job_dir(&self) -> Result<tempfile::TempDir, CompileError> {
        Ok(tempfile::Builder::new()
            .prefix("resume-job-")
            .tempdir_in(self.cfg.job_root())?)
    }

    /// Waits for a job under the wall-clock deadline; past it, kills the process group.
    async fn wait(&self, child: &mut Child) -> Result<std::process::ExitStatus, CompileError> {
        let timeout = self.cfg.timeout();
        match tokio::time::timeout(timeout, child.wait()).await {
            Ok(status) => Ok(status?),
            Err(_) => {
                kill_group(child);
                let _ = child.wait().await;
                Err(CompileError::Timeout(timeout))
            }
        }
    }

    /// pdflatex (in bubblewrap when available) in `dir`, with the TeX safety settings, rlimits
    /// and its own process group. `fmt_dir` is made readable (at `/fmt` in the sandbox) for
    /// font metrics, and on the `warm` path for formats and font maps. Standard output and
    /// error are discarded.
    fn command(
        &self,
        dir: &Path,
        tex_args: &[String],
        fmt_dir: Option<&Path>,
        warm: bool,
        engine: resume_common::render::Engine,
    ) -> Command {
        let program = match engine {
            resume_common::render::Engine::Pdftex => &self.cfg.pdflatex,
            resume_common::render::Engine::Xetex => &self.cfg.xelatex,
        };
        let fmt_path = |p: &Path| -> String {
            if self.bwrap.is_some() {
                FMT_MOUNT.to_owned()
            } else {
                p.display().to_string()
            }
        };
        let mut env: Vec<(&str, String)> = [
            ("openin_any", "p"),
            ("openout_any", "p"),
            ("shell_escape", "f"),
            ("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH),
            ("FORCE_SOURCE_DATE", "1"),
            ("PATH", "/usr/local/bin:/usr/bin:/bin"),
        ]
        .map(|(k, v)| (k, v.to_owned()))
        .to_vec();
        if let Some(f) = fmt_dir {
            // Font metrics generated once by the font-map build (TeX Live has no T2A metrics
            // for Cyrillic, so METAFONT makes them); the trailing colon keeps the default path.
            env.push(("TFMFONTS", format!(".:{}/tfm:", fmt_path(f))));
        }
        if warm {
            if let Some(f) = fmt_dir {
                env.push(("TEXFONTMAPS", format!("{}:", fmt_path(f))));
            }
            // A font missing from the minimal map must fail fast (and fall back to the cold
            // path), never turn into a slow bitmap font.
            env.push(("MKTEXPK", "0".to_owned()));
        }
        let mut cmd = match &self.bwrap {
            Some(bwrap) => {
                let mut cmd = Command::new(bwrap);
                cmd.args(bwrap_args(dir, fmt_dir)).arg(program);
                env.push(("HOME", "/job".to_owned()));
                cmd
            }
            None => {
                let mut cmd = Command::new(program);
                cmd.current_dir(dir);
                env.push(("HOME", dir.display().to_string()));
                cmd
            }
        };
        cmd.args(tex_args).env_clear().envs(env);
        cmd.stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true);
        limit(&mut cmd, self.cfg.timeout().as_secs() + 1);
        cmd
    }

    /// The format argument for a format key, as seen by pdflatex.
    fn fmt_arg(&self, fmt_dir: &Path, key: &str) -> String {
        if self.bwrap.is_some() {
            format!("-fmt={FMT_MOUNT}/{key}")
        } else {
            format!("-fmt={}/{key}", fmt_dir.display())
        }
    }
}

/// setsid and rlimits between fork and exec.
/// Writes the files a document reads (its photo) beside it. Their names come from a fixed set
/// ([`Asset::name`]), so nothing lands outside the job folder; the sandbox is unchanged.
async fn write_assets(dir: &Path, assets: &[Asset]) -> std::io::Result<()> {
    for a in assets {
        tokio::fs::write(dir.join(a.name), &a.bytes).await?;
    }
    Ok(())
}

fn limit(cmd: &mut Command, cpu_secs: u64) {
    // SAFETY: only async-signal-safe calls (setsid, setrlimit) between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            libc::setsid();
            let limit = |res, v: u64| {
                let r = libc::rlimit {
                    rlim_cur: v,
                    rlim_max: v,
                };
                libc::setrlimit(res, &r);
            };
            limit(libc::RLIMIT_CPU, cpu_secs);
            limit(libc::RLIMIT_AS, LIMIT_AS);
            limit(libc::RLIMIT_FSIZE, LIMIT_FSIZE);
            limit(libc::RLIMIT_NOFILE, LIMIT_NOFILE);
            limit(libc::RLIMIT_CORE, 0);
            Ok(())
        });
    }
}

/// Kills a child's whole process group (it leads its own, through setsid).
fn kill_group(child: &Child) {
    if let Some(pid) = child.id() {
        let _ = nix::sys::signal::killpg(
            nix::unistd::Pid::from_raw(pid as i32),
            nix::sys::signal::Signal::SIGKILL,
        );
    }
}

/// Reads `{job}.pdf` and `{job}.log` after a run.
async fn collect(
    dir: &Path,
    job: &str,
    status: std::process::ExitStatus,
) -> Result<(Vec<u8>, u32), CompileError> {
    let log = tokio::fs::read(dir.join(format!("{job}.log")))
        .await
        .unwrap_or_default();
    let log = String::from_utf8_lossy(&log);
    let pdf = tokio::fs::read(dir.join(format!("{job}.pdf"))).await.ok();
    match pdf {
        Some(bytes) if status.success() && bytes.starts_with(b"%PDF-") => {
            Ok((bytes, pages_from_log(&log).unwrap_or(1)))
        }
        _ => Err(CompileError::Failed {
            reason: reason_from_log(&log, status.code()),
        }),
    }
}

/// bubblewrap arguments: the system read-only, TeX's config and generated files read-only, the
/// job folder read-write at `/job`, private /tmp, and no network or other namespaces shared.
fn bwrap_args(dir: &Path, fmt_dir: Option<&Path>) -> Vec<std::ffi::OsString> {
    let mut args: Vec<String> = [
        "--unshare-all",
        "--die-with-parent",
        "--ro-bind",
        "/usr",
        "/usr",
    ]
    .into_iter()
    .chain([
        "--symlink",
        "usr/lib",
        "/lib",
        "--symlink",
        "usr/lib64",
        "/lib64",
        "--symlink",
        "usr/bin",
        "/bin",
    ])
    .map(str::to_owned)
    .collect();
    // TeX's configuration and generated files; fontconfig's, which XeTeX reads to find the
    // OpenType fonts (read-only: a missing cache only makes the lookup slower).
    for texdir in [
        "/etc/texmf",
        "/var/lib/texmf",
        "/usr/local/share/texmf",
        "/etc/fonts",
        "/var/cache/fontconfig",
    ] {
        if Path::new(texdir).exists() {
            args.extend(["--ro-bind", texdir, texdir].map(str::to_owned));
        }
    }
    args.extend(
        [
            "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--bind",
        ]
        .map(str::to_owned),
    );
    let mut args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
    args.push(dir.into());
    args.push("/job".into());
    if let Some(f) = fmt_dir {
        args.extend(["--ro-bind".into(), f.into(), FMT_MOUNT.into()]);
    }
    args.extend(["--chdir", "/job", "--"].map(Into::into));
    args
}

/// Whether bubblewrap can start a sandbox here (it needs user or mount namespaces).
fn probe_bwrap() -> Option<PathBuf> {
    let bwrap = ["/usr/bin/bwrap", "/bin/bwrap"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.exists())?;
    let dir = tempfile::tempdir().ok()?;
    let ok = std::process::Command::new(&bwrap)
        .args(bwrap_args(dir.path(), None))
        .arg("/bin/true")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    ok.then_some(bwrap)
}

/// Pages from "Output written on doc.pdf (3 pages, 12345 bytes)."
pub fn pages_from_log(log: &str) -> Option<u32> {
    let at = log.find("Output written on")?;
    let rest = &log[at..];
    let open = rest.find('(')?;
    rest[open + 1..].split_whitespace().next()?.parse().ok()
}

/// The first TeX error and its line, without file paths or the rest of the log.
pub fn reason_from_log(log: &str, code: Option<i32>) -> String {
    let mut lines = log.lines();
    let Some(err) = lines.by_ref().find(|l| l.starts_with("! ")) else {
        return match code {
            Some(c) => format!("pdflatex exited with status {c} and produced no PDF"),
            None => "pdflatex was stopped by a signal (a resource limit was reached)".to_owned(),
        };
    };
    let line_no = lines.find_map(|l| {
        l.strip_prefix("l.")
            .and_then(|r| r.split_whitespace().next())
            .and_then(|n| n.parse::<u32>().ok())
    });
    let msg: String = err[2..]
        .split_whitespace()
        .map(|w| if w.contains('/') { "<path>" } else { w })
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(160)
        .collect();
    match line_no {
        Some(n) => format!("LaTeX error at line {n}: {msg}"),
        None => format!("LaTeX error: {msg}"),
    }
}

mod formats;
mod warm;

pub use warm::WarmStats;

#[cfg(test)]
mod tests;
