//! Configuration: the one place that reads the environment.
//!
//! Every setting is a flag with an environment fallback and a default, listed by `--help`.
//! Values are parsed into typed fields once; the rest of the program never re-parses.

use std::net::IpAddr;
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::time::Duration;

use clap::builder::BoolishValueParser;
use clap::{ArgAction, Args, ValueEnum};

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
    #[command(flatten)]
    pub cache: CacheConfig,
    /// Origins allowed to call the API from a browser: `*` or a comma-separated list.
    /// Credentials are never allowed.
    #[arg(long, env = "CORS_ALLOW_ORIGINS", default_value = "*")]
    pub cors_allow_origins: String,
    /// Secret shared with the edge Worker: signs requests to `POST /internal/compile`
    /// (unset: the route refuses everything).
    #[arg(long, env = "EDGE_SECRET", hide_env_values = true)]
    pub edge_secret: Option<String>,
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
    /// The xelatex binary, for documents with Chinese, Japanese, Korean or Vietnamese text.
    #[arg(long, env = "XELATEX", default_value = "xelatex")]
    pub xelatex: PathBuf,
    /// Namespace sandbox for pdflatex.
    #[arg(long, env = "SANDBOX", value_enum, default_value = "auto")]
    pub sandbox: SandboxMode,
    /// Template formats, minimal font maps and parked pdflatex processes (`false`: every
    /// compile is a cold pdflatex run).
    #[arg(long, env = "WARM_POOL", default_value = "true", action = ArgAction::Set,
          value_parser = BoolishValueParser::new())]
    pub warm_pool: bool,
    /// Where template formats and font maps are kept (default: the user's cache folder).
    #[arg(long, env = "FORMAT_DIR")]
    pub format_dir: Option<PathBuf>,
    /// Parked pdflatex processes across all templates (default: workers + 2).
    #[arg(long, env = "WARM_PARKED_MAX")]
    pub warm_parked_max: Option<usize>,
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

    /// Where formats and font maps go: `FORMAT_DIR`, else `$XDG_CACHE_HOME/resume-engine`, else
    /// `~/.cache/resume-engine`, else the temp folder.
    pub fn format_root(&self) -> PathBuf {
        if let Some(d) = &self.format_dir {
            return d.clone();
        }
        let base = std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
            .unwrap_or_else(std::env::temp_dir);
        base.join("resume-engine").join("formats")
    }

    /// The bound on parked processes.
    pub fn max_parked(&self) -> usize {
        self.warm_parked_max.unwrap_or(self.workers() + 2)
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

/// Settings of the document cache: the in-process tier, and Redis when configured.
///
/// The environment names and defaults are the reference service's; Redis is used when
/// `REDIS_URL` or `REDIS_HOST` is set, otherwise the in-process tier works alone.
#[derive(Debug, Clone, Args)]
pub struct CacheConfig {
    /// Cache documents at all (`false` turns off both tiers; identical concurrent requests
    /// still share one compile).
    #[arg(long, env = "CACHE_ENABLED", default_value = "true", action = ArgAction::Set,
          value_parser = BoolishValueParser::new())]
    pub cache_enabled: bool,
    /// Byte budget of the in-process tier, in MiB.
    #[arg(long, env = "CACHE_MEMORY_MB", default_value_t = 256)]
    pub cache_memory_mb: u64,
    /// Full Redis URL (`redis://…` or `rediss://…`); wins over the `REDIS_*` parts.
    #[arg(long, env = "REDIS_URL")]
    pub redis_url: Option<String>,
    /// Redis host; setting it turns the Redis tier on.
    #[arg(long, env = "REDIS_HOST")]
    pub redis_host: Option<String>,
    /// Redis port.
    #[arg(long, env = "REDIS_PORT", default_value_t = 6379)]
    pub redis_port: u16,
    /// Redis database number.
    #[arg(long, env = "REDIS_DB", default_value_t = 0)]
    pub redis_db: i64,
    /// Redis password.
    #[arg(long, env = "REDIS_PASSWORD", hide_env_values = true)]
    pub redis_password: Option<String>,
    /// Connect to Redis over TLS (rustls, verified against the Mozilla roots).
    #[arg(long, env = "REDIS_SSL", default_value = "false", action = ArgAction::Set,
          value_parser = BoolishValueParser::new())]
    pub redis_ssl: bool,
    /// Redis commands in flight at once on the one multiplexed connection.
    #[arg(long, env = "REDIS_MAX_CONNECTIONS", default_value_t = 50)]
    pub redis_max_connections: usize,
    /// Per-command Redis deadline in milliseconds; past it the command counts as a miss.
    #[arg(long, env = "REDIS_TIMEOUT_MS", default_value_t = 50)]
    pub redis_timeout_ms: u64,
    /// Prefix of every Redis key this service writes.
    #[arg(long, env = "REDIS_KEY_PREFIX", default_value = "resume-engine")]
    pub redis_key_prefix: String,
    /// Lifetime of cached PDFs, in seconds.
    #[arg(long, env = "PDF_CACHE_TTL", default_value_t = 86_400)]
    pub pdf_cache_ttl: u64,
    /// Lifetime of cached LaTeX (and text), in seconds.
    #[arg(long, env = "LATEX_CACHE_TTL", default_value_t = 43_200)]
    pub latex_cache_ttl: u64,
    /// When set, `POST /cache/invalidate` requires `Authorization: Bearer <token>`.
    #[arg(long, env = "CACHE_ADMIN_TOKEN", hide_env_values = true)]
    pub cache_admin_token: Option<String>,
}

impl CacheConfig {
    /// The Redis address, when Redis is configured: `REDIS_URL`, or one built from the parts.
    pub fn redis_address(&self) -> Option<String> {
        if let Some(url) = self.redis_url.as_deref().filter(|u| !u.trim().is_empty()) {
            return Some(url.trim().to_owned());
        }
        let host = self
            .redis_host
            .as_deref()
            .filter(|h| !h.trim().is_empty())?;
        let scheme = if self.redis_ssl { "rediss" } else { "redis" };
        let host = if host.contains(':') {
            format!("[{host}]")
        } else {
            host.to_owned()
        };
        Some(format!(
            "{scheme}://{host}:{}/{}",
            self.redis_port, self.redis_db
        ))
    }

    /// How long a document of this extension stays cached.
    pub fn ttl(&self, ext: &str) -> Duration {
        // Finished documents (PDF, DOCX) live as long as PDFs; sources and text as LaTeX.
        Duration::from_secs(if matches!(ext, "pdf" | "docx") {
            self.pdf_cache_ttl
        } else {
            self.latex_cache_ttl
        })
    }

    /// The Redis per-command deadline.
    pub fn redis_timeout(&self) -> Duration {
        Duration::from_millis(self.redis_timeout_ms.max(1))
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::CacheConfig;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        cache: CacheConfig,
    }

    fn cache(args: &[&str]) -> CacheConfig {
        let mut argv = vec!["test"];
        argv.extend_from_slice(args);
        Cli::parse_from(argv).cache
    }

    #[test]
    fn the_redis_address_comes_from_the_url_or_the_parts() {
        assert_eq!(
            cache(&[]).redis_address(),
            None,
            "no Redis unless configured"
        );
        assert_eq!(
            cache(&["--redis-host", "cache.internal"])
                .redis_address()
                .as_deref(),
            Some("redis://cache.internal:6379/0")
        );
        assert_eq!(
            cache(&[
                "--redis-host",
                "h",
                "--redis-port",
                "7000",
                "--redis-db",
                "3",
                "--redis-ssl",
                "true"
            ])
            .redis_address()
            .as_deref(),
            Some("rediss://h:7000/3")
        );
        assert_eq!(
            cache(&["--redis-host", "::1"]).redis_address().as_deref(),
            Some("redis://[::1]:6379/0")
        );
        assert_eq!(
            cache(&["--redis-host", "h", "--redis-url", "redis://u:p@x:1/2"])
                .redis_address()
                .as_deref(),
            Some("redis://u:p@x:1/2"),
            "REDIS_URL wins"
        );
    }

    #[test]
    fn booleans_and_ttls_read_like_the_reference() {
        for (v, want) in [
            ("false", false),
            ("0", false),
            ("no", false),
            ("true", true),
            ("1", true),
        ] {
            assert_eq!(cache(&["--cache-enabled", v]).cache_enabled, want, "{v}");
        }
        let c = cache(&[]);
        assert_eq!((c.pdf_cache_ttl, c.latex_cache_ttl), (86_400, 43_200));
        assert_eq!(c.ttl("pdf").as_secs(), 86_400);
        assert_eq!(c.ttl("tex").as_secs(), 43_200);
        assert_eq!(c.ttl("txt").as_secs(), 43_200);
    }
}
