//! Configuration: the one place that reads the environment.
//!
//! Every setting is a flag with an environment fallback and a default, listed by `--help`.
//! Values are parsed into typed fields once; the rest of the program never re-parses.

use std::net::IpAddr;
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};

/// How pdflatex is isolated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SandboxMode {
    /// bubblewrap when it works on this machine, otherwise rlimits and TeX's paranoid mode only.
    Auto,
    /// Always bubblewrap; start-up fails when it is unavailable.
    Bwrap,
    /// No namespace sandbox (rlimits, `-no-shell-escape` and `openin_any=p` still apply).
    None,
}

/// Settings of the HTTP server and the compiler.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "HOST", default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// Port to listen on (0 picks a free one).
    #[arg(long, env = "PORT", default_value_t = 8501)]
    pub port: u16,
    #[command(flatten)]
    pub compile: CompileConfig,
    /// Origins allowed to call the API from a browser: `*` or a comma-separated list.
    /// Credentials are never allowed.
    #[arg(long, env = "CORS_ALLOW_ORIGINS", default_value = "*")]
    pub cors_allow_origins: String,
    /// Log format: `pretty` or `json`.
    #[arg(long, env = "LOG_FORMAT", default_value = "pretty")]
    pub log_format: String,
}

/// Settings of the pdflatex job runner.
#[derive(Debug, Clone, Args)]
pub struct CompileConfig {
    /// Compiles running at once (default: the number of cores).
    #[arg(long, env = "MAX_WORKERS")]
    pub max_workers: Option<NonZeroUsize>,
    /// Compiles allowed to wait for a worker; beyond this the server answers 503.
    #[arg(long, env = "QUEUE_LIMIT", default_value_t = 64)]
    pub queue_limit: usize,
    /// Wall-clock limit of one compile, in milliseconds.
    #[arg(long, env = "COMPILE_TIMEOUT_MS", default_value_t = 10_000)]
    pub compile_timeout_ms: u64,
    /// Folder for job folders (default: /dev/shm when present, else the temp folder).
    #[arg(long, env = "JOB_DIR")]
    pub job_dir: Option<PathBuf>,
    /// The pdflatex binary.
    #[arg(long, env = "PDFLATEX", default_value = "pdflatex")]
    pub pdflatex: PathBuf,
    /// Namespace sandbox for pdflatex.
    #[arg(long, env = "SANDBOX", value_enum, default_value = "auto")]
    pub sandbox: SandboxMode,
}

impl CompileConfig {
    /// Concurrent compiles.
    pub fn workers(&self) -> usize {
        self.max_workers.map_or_else(
            || std::thread::available_parallelism().map_or(1, NonZeroUsize::get),
            NonZeroUsize::get,
        )
    }

    /// The compile timeout.
    pub fn timeout(&self) -> Duration {
        Duration::from_millis(self.compile_timeout_ms)
    }

    /// Where job folders go.
    pub fn job_root(&self) -> PathBuf {
        self.job_dir.clone().unwrap_or_else(|| {
            let shm = PathBuf::from("/dev/shm");
            if shm.is_dir() {
                shm
            } else {
                std::env::temp_dir()
            }
        })
    }
}
