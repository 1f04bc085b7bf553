//! The warm path: template formats, minimal font maps and parked pdflatex processes.
//!
//! A parked process is pdflatex started ahead of time, in the same sandbox and with the same
//! limits as a cold run, with the template's format loaded and `\begin{document}` already
//! executed, stopped at `\read16` waiting for the name of its body file. A job writes the
//! body into the process's private folder, sends the name and closes stdin; the process
//! typesets, writes the PDF and exits. One process per job, never reused.
//!
//! Lifecycle: formats and maps are built in the background (start-up never waits; until a
//! format is ready, compiles take the cold path). Each format has a target number of parked
//! processes (1 once used, raised when a job finds none free, decayed when idle); the total
//! is bounded. Refills run in the background and only take a free worker slot, so they never
//! delay a job. A sweeper replaces parked processes that died or aged out. A warm failure
//! other than a timeout is redone once on the cold path and counted.

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use resume_common::api::{self, Asset, Source};
use resume_common::dates::CivilDate;
use resume_common::model::SpacingMode;
use resume_common::render::{TEMPLATES, Template};
use resume_common::schema;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::process::{Child, ChildStdin};

use super::formats::{self, Kind, build_format, build_map, format_key, map_name, split};
use super::{CompileError, Compiler, Pdf, Via, collect, kill_group};
use crate::config::CompileConfig;

/// A parked process is replaced after this long (it holds memory, and its clock is old).
const MAX_AGE: Duration = Duration::from_secs(600);
/// The most parked processes one format may have.
const MAX_TARGET: usize = 3;
/// How often the sweeper runs.
const SWEEP_EVERY: Duration = Duration::from_secs(2);
/// A format not used for this long keeps no parked process.
const IDLE: Duration = Duration::from_secs(900);
/// How long a parked process may take to reach its prompt.
const PARK_TIMEOUT: Duration = Duration::from_secs(20);
/// After a failed build, wait this long before trying again.
const RETRY_BUILD: Duration = Duration::from_secs(60);

/// The driver a parked process runs: skip the preamble already in the format, start the
/// document, read the body file's name from the terminal, typeset it. `\read16` needs a
/// non-batch interaction mode, so batch mode starts after the name arrives.
const DRIVER: &str = "\\begin{document}\n\\endlinechar=-1 \\global\\read16 to \\JOBFILE \\endlinechar=13\n\\batchmode\n\\input{\\JOBFILE}\n\\end{document}\n";
/// What a parked process prints when it waits for the name.
const PROMPT: &[u8] = b"\\JOBFILE=";

#[derive(Debug, Clone, Copy)]
enum Slot<T> {
    Building,
    Ready(T),
    Failed(Instant),
}

/// What parking a process for a preamble needs.
#[derive(Debug, Clone)]
struct Recipe {
    kind: Kind,
    preamble: String,
    map: String,
}

#[derive(Debug)]
struct Parked {
    child: Child,
    stdin: ChildStdin,
    dir: tempfile::TempDir,
    born: Instant,
}

impl Parked {
    fn alive(&mut self) -> bool {
        self.born.elapsed() < MAX_AGE && matches!(self.child.try_wait(), Ok(None))
    }
}

#[derive(Debug)]
struct Demand {
    target: usize,
    last_used: Instant,
    last_short: Option<Instant>,
}

/// The warm path's state: formats, maps, parked processes and demand.
#[derive(Debug)]
pub(super) struct Warm {
    dir: PathBuf,
    version: String,
    maps: Mutex<HashMap<String, Slot<()>>>,
    formats: Mutex<HashMap<String, Slot<Recipe>>>,
    parked: Mutex<HashMap<String, VecDeque<Parked>>>,
    demand: Mutex<HashMap<String, Demand>>,
    /// Preambles to prepare ahead of demand (each template's default spacing), until ready.
    prepare: Mutex<Vec<(&'static Template, String)>>,
    /// Preambles with a refill under way (each counts as one process being parked).
    refilling: Mutex<std::collections::HashSet<String>>,
    /// One build at a time: builds are background work and must not crowd out requests.
    builds: Arc<tokio::sync::Semaphore>,
    max_parked: usize,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Warm {
    /// The warm path when pdftex and the format folder are usable.
    pub(super) fn new(cfg: &CompileConfig) -> Option<Self> {
        let version = formats::tex_version(&cfg.pdflatex)?;
        let dir = cfg.format_root();
        if let Err(e) = std::fs::create_dir_all(&dir) {
            tracing::warn!(dir = %dir.display(), error = %e, "format folder unusable; warm pool off");
            return None;
        }
        Some(Self {
            dir,
            version,
            maps: Mutex::new(HashMap::new()),
            formats: Mutex::new(HashMap::new()),
            parked: Mutex::new(HashMap::new()),
            demand: Mutex::new(HashMap::new()),
            prepare: Mutex::new(Vec::new()),
            refilling: Mutex::new(std::collections::HashSet::new()),
            builds: Arc::new(tokio::sync::Semaphore::new(1)),
            max_parked: cfg.max_parked(),
        })
    }

    /// The folder of formats, maps and font metrics.
    pub(super) fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    fn parked_total(&self) -> usize {
        lock(&self.parked).values().map(VecDeque::len).sum()
    }

    fn take(&self, key: &str) -> Option<Parked> {
        let mut parked = lock(&self.parked);
        let queue = parked.get_mut(key)?;
        while let Some(mut p) = queue.pop_front() {
            if p.alive() {
                return Some(p);
            }
            kill_group(&p.child);
        }
        None
    }

    fn note_use(&self, key: &str, found: bool) {
        let mut demand = lock(&self.demand);
        let d = demand.entry(key.to_owned()).or_insert(Demand {
            target: 1,
            last_used: Instant::now(),
            last_short: None,
        });
        d.last_used = Instant::now();
        if !found {
            d.target = (d.target + 1).min(MAX_TARGET);
            d.last_short = Some(Instant::now());
        }
    }

    /// At the total bound, gives `key` room by killing a parked process of the preamble used
    /// least recently (if that was before `key`'s last use).
    fn evict_for(&self, key: &str) -> bool {
        let victim = {
            let demand = lock(&self.demand);
            let parked = lock(&self.parked);
            let last = |k: &str| demand.get(k).map(|d| d.last_used);
            let mine = last(key);
            parked
                .iter()
                .filter(|(k, q)| k.as_str() != key && !q.is_empty())
                .map(|(k, _)| (last(k), k.clone()))
                .filter(|(t, _)| *t < mine)
                .min()
                .map(|(_, k)| k)
        };
        let Some(victim) = victim else {
            return false;
        };
        match lock(&self.parked)
            .get_mut(&victim)
            .and_then(VecDeque::pop_back)
        {
            Some(p) => {
                kill_group(&p.child);
                true
            }
            None => false,
        }
    }

    fn target(&self, key: &str) -> usize {
        lock(&self.demand).get(key).map_or(0, |d| d.target)
    }
}

/// A snapshot of the warm path for `/metrics` and tests.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WarmStats {
    /// Preambles whose processes start from a checked format.
    pub formats_ready: usize,
    /// Preambles whose processes read the preamble themselves (the format was not identical).
    pub preambles_ready: usize,
    /// Formats being built.
    pub formats_building: usize,
    /// Parked processes per format key.
    pub parked: HashMap<String, usize>,
    /// Process ids of parked processes per format key (each leads its process group).
    pub parked_pids: HashMap<String, Vec<u32>>,
}

impl Compiler {
    /// Compiles a rendered document of `template`, on the warm path when its format is ready
    /// (the raw LaTeX is trusted no more than on the cold path).
    pub async fn compile_doc(
        self: &Arc<Self>,
        template: &'static Template,
        tex: &str,
    ) -> Result<Pdf, CompileError> {
        self.compile_doc_with(template, tex, &[]).await
    }

    /// [`Compiler::compile_doc`] with the files the LaTeX reads (the photo) in its job folder.
    pub async fn compile_doc_with(
        self: &Arc<Self>,
        template: &'static Template,
        tex: &str,
        assets: &[Asset],
    ) -> Result<Pdf, CompileError> {
        let mut pdf = self.compile_pass(template, tex, assets).await?;
        // A document with page numbers that came out longer than a page is typeset again with
        // its total filled in ("2 / 3"); the footer's room can add a page, so a third run
        // settles a total that changed. One-page documents are done after the first run.
        let mut total = pdf.pages;
        for _ in 0..2 {
            if total <= 1 {
                break;
            }
            let Some(numbered) = resume_common::render::with_page_total(tex, total) else {
                break;
            };
            let next = self.compile_pass(template, &numbered, assets).await?;
            let settled = next.pages == total;
            total = next.pages;
            pdf = Pdf {
                queued: pdf.queued + next.queued,
                compiled: pdf.compiled + next.compiled,
                ..next
            };
            if settled {
                break;
            }
        }
        Ok(pdf)
    }

    /// One run of pdflatex (or xelatex) over a document: warm when its format is ready.
    async fn compile_pass(
        self: &Arc<Self>,
        template: &'static Template,
        tex: &str,
        assets: &[Asset],
    ) -> Result<Pdf, CompileError> {
        let Some(warm) = &self.warm else {
            return self.compile_with(tex, assets).await;
        };
        // Formats and parked processes are pdfTeX's; XeTeX documents always run cold.
        if resume_common::render::Engine::of_tex(tex) == resume_common::render::Engine::Xetex {
            return self.compile_with(tex, assets).await;
        }
        let Some((preamble, body)) = split(tex) else {
            return self.compile_with(tex, assets).await;
        };
        let Some((key, recipe)) = self.ready_format(warm, template, preamble) else {
            return self.compile_with(tex, assets).await;
        };
        let start = Instant::now();
        let permit = self.acquire().await?;
        let queued = start.elapsed();
        self.running.fetch_add(1, Ordering::SeqCst);
        let result = self.run_warm(warm, &key, &recipe, body, assets).await;
        let result = match result {
            Ok(ok) => Ok(ok),
            Err(CompileError::Timeout(t)) => Err(CompileError::Timeout(t)),
            Err(e) => {
                self.counts.fallbacks.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(error = %e, key, "warm compile failed; compiling cold");
                self.run(tex, assets)
                    .await
                    .map(|(bytes, pages, took)| (bytes, pages, took, Via::Fallback))
            }
        };
        self.running.fetch_sub(1, Ordering::SeqCst);
        drop(permit);
        self.refill(&key);
        let (bytes, pages, compiled, via) = result?;
        Ok(Pdf {
            bytes,
            pages,
            queued,
            compiled,
            via,
        })
    }

    /// The format for this preamble if it is ready; otherwise starts what is missing (the
    /// map, then the format and its check) in the background and returns `None`.
    fn ready_format(
        self: &Arc<Self>,
        warm: &Warm,
        template: &'static Template,
        preamble: &str,
    ) -> Option<(String, Recipe)> {
        let map = map_name(template, &warm.version);
        match slot_state(&warm.maps, &map) {
            Some(Some(())) => {}
            Some(None) => return None,
            None => {
                let this = self.clone();
                let name = map.clone();
                tokio::spawn(async move {
                    let w = this.warm.as_ref().expect("warm");
                    let (dir, pdflatex, version) =
                        (w.dir.clone(), this.cfg.pdflatex.clone(), w.version.clone());
                    let _turn = w.builds.clone().acquire_owned().await;
                    let built = tokio::task::spawn_blocking(move || {
                        build_map(&dir, &pdflatex, template, &version)
                    })
                    .await
                    .unwrap_or_else(|e| Err(e.to_string()));
                    finish(&w.maps, &name, built.map(|_| ()));
                });
                return None;
            }
        }
        let key = format_key(preamble, &map, &warm.version);
        match slot_state(&warm.formats, &key) {
            Some(Some(recipe)) => Some((key, recipe)),
            Some(None) => None,
            None => {
                let this = self.clone();
                let (k, pre) = (key.clone(), preamble.to_owned());
                let probe = probe_body(template, preamble);
                tokio::spawn(async move {
                    let w = this.warm.as_ref().expect("warm");
                    let (dir, pdflatex, k2, pre2, map2) = (
                        w.dir.clone(),
                        this.cfg.pdflatex.clone(),
                        k.clone(),
                        pre.clone(),
                        map.clone(),
                    );
                    let _turn = w.builds.clone().acquire_owned().await;
                    let built = tokio::task::spawn_blocking(move || {
                        build_format(&dir, &pdflatex, &k2, &pre2, &map2, &probe)
                    })
                    .await
                    .unwrap_or_else(|e| Err(e.to_string()));
                    let ok = built.is_ok();
                    let recipe = built.map(|kind| Recipe {
                        kind,
                        preamble: pre,
                        map,
                    });
                    finish(&w.formats, &k, recipe);
                    if ok {
                        this.refill(&k);
                    }
                });
                None
            }
        }
    }

    /// Runs a body on a parked process, or on a fresh one with the format if none is free.
    async fn run_warm(
        &self,
        warm: &Warm,
        key: &str,
        recipe: &Recipe,
        body: &str,
        assets: &[Asset],
    ) -> Result<(Vec<u8>, u32, Duration, Via), CompileError> {
        let (mut p, via) = match warm.take(key) {
            Some(p) => (p, Via::Parked),
            None => (self.park(warm, key, recipe).await?, Via::Format),
        };
        warm.note_use(key, via == Via::Parked);
        let started = Instant::now();
        tokio::fs::write(p.dir.path().join("body.tex"), body).await?;
        super::write_assets(p.dir.path(), assets).await?;
        // A parked process that died since it was checked fails here or at its exit, and
        // the caller redoes the job cold.
        p.stdin.write_all(b"body.tex\n").await?;
        p.stdin.shutdown().await?;
        drop(p.stdin);
        let status = self.wait(&mut p.child).await?;
        let (bytes, pages) = collect(p.dir.path(), "job", status).await?;
        match via {
            Via::Parked => self.counts.parked.fetch_add(1, Ordering::Relaxed),
            _ => self.counts.format.fetch_add(1, Ordering::Relaxed),
        };
        Ok((bytes, pages, started.elapsed(), via))
    }

    /// Starts a process (from the format, or reading the preamble) and waits until it is
    /// parked at its prompt.
    async fn park(&self, warm: &Warm, key: &str, recipe: &Recipe) -> Result<Parked, CompileError> {
        let dir = self.job_dir()?;
        let mut args = Vec::new();
        let driver = match recipe.kind {
            Kind::Format => {
                args.push(self.fmt_arg(&warm.dir, key));
                format!("\\csname endofdump\\endcsname\n{DRIVER}")
            }
            Kind::Preamble => format!(
                "{}\\pdfmapfile{{{}}}\n{DRIVER}",
                recipe.preamble, recipe.map
            ),
        };
        tokio::fs::write(dir.path().join("driver.tex"), driver).await?;
        args.extend(
            [
                "-jobname=job",
                "-interaction=scrollmode",
                "-no-shell-escape",
                "driver.tex",
            ]
            .map(str::to_owned),
        );
        let mut cmd = self.command(
            dir.path(),
            &args,
            Some(&warm.dir),
            true,
            resume_common::render::Engine::Pdftex,
        );
        cmd.stdin(Stdio::piped()).stdout(Stdio::piped());
        let mut child = cmd.spawn().map_err(CompileError::Missing)?;
        let stdin = child.stdin.take().expect("piped");
        let mut stdout = child.stdout.take().expect("piped");
        let mut seen = Vec::new();
        let ready = tokio::time::timeout(PARK_TIMEOUT, async {
            let mut buf = [0u8; 4096];
            loop {
                let n = stdout.read(&mut buf).await?;
                if n == 0 {
                    return Ok::<bool, std::io::Error>(false);
                }
                seen.extend_from_slice(&buf[..n]);
                if seen.windows(PROMPT.len()).any(|w| w == PROMPT) {
                    return Ok(true);
                }
            }
        })
        .await;
        if !matches!(ready, Ok(Ok(true))) {
            kill_group(&child);
            let _ = child.wait().await;
            return Err(CompileError::Failed {
                reason: "a warm pdflatex did not reach its prompt".to_owned(),
            });
        }
        // Drain the rest of its terminal output so it never blocks on a full pipe.
        tokio::spawn(async move {
            let _ = tokio::io::copy(&mut stdout, &mut tokio::io::sink()).await;
        });
        Ok(Parked {
            child,
            stdin,
            dir,
            born: Instant::now(),
        })
    }

    /// Parks processes for `key` up to its target and the total bound, in the background,
    /// using only worker slots that are free.
    fn refill(self: &Arc<Self>, key: &str) {
        let this = self.clone();
        let key = key.to_owned();
        tokio::spawn(async move {
            let Some(warm) = &this.warm else { return };
            // One refill per preamble at a time.
            if !lock(&warm.refilling).insert(key.clone()) {
                return;
            }
            let _done = Unmark(&warm.refilling, key.clone());
            loop {
                let have = lock(&warm.parked).get(&key).map_or(0, VecDeque::len);
                if have >= warm.target(&key) {
                    return;
                }
                if warm.parked_total() + lock(&warm.refilling).len() > warm.max_parked
                    && !warm.evict_for(&key)
                {
                    return;
                }
                let Ok(permit) = this.permits.clone().try_acquire_owned() else {
                    return; // busy: the sweeper tries again later
                };
                let recipe = match lock(&warm.formats).get(&key) {
                    Some(Slot::Ready(r)) => r.clone(),
                    _ => return,
                };
                let parked = this.park(warm, &key, &recipe).await;
                drop(permit);
                match parked {
                    Ok(p) => lock(&warm.parked)
                        .entry(key.clone())
                        .or_default()
                        .push_back(p),
                    Err(e) => {
                        tracing::warn!(key, error = %e, "could not park a warm process");
                        return;
                    }
                }
            }
        });
    }

    /// Starts the background work: formats and maps for every template's default spacing
    /// (others are built on first use), and the sweeper. Needs a Tokio runtime.
    pub fn start_warm(self: &Arc<Self>) {
        let Some(warm) = &self.warm else { return };
        for template in TEMPLATES {
            let body = json!({
                "document_type": template.document_type,
                "template": template.name,
                "spacing_mode": template.default_spacing.as_str(),
                "data": schema::example(template.document_type),
            });
            if let Ok(p) = api::prepare(&body, Source::Json, CivilDate::from_unix_seconds(0)) {
                if let Some((preamble, _)) = split(&p.tex) {
                    let key =
                        format_key(preamble, &map_name(template, &warm.version), &warm.version);
                    lock(&warm.demand).entry(key).or_insert(Demand {
                        target: 1,
                        last_used: Instant::now(),
                        last_short: None,
                    });
                    lock(&warm.prepare).push((template, preamble.to_owned()));
                }
            }
        }
        let weak = Arc::downgrade(self);
        tokio::spawn(async move {
            loop {
                let Some(this) = weak.upgrade() else { return };
                this.sweep();
                drop(this);
                tokio::time::sleep(SWEEP_EVERY).await;
            }
        });
    }

    /// Advances builds ahead of demand, drops dead and aged parked processes, adapts
    /// targets, and refills.
    fn sweep(self: &Arc<Self>) {
        let Some(warm) = &self.warm else { return };
        let pending: Vec<(&'static Template, String)> = std::mem::take(&mut *lock(&warm.prepare));
        for (template, preamble) in pending {
            if self.ready_format(warm, template, &preamble).is_none() {
                lock(&warm.prepare).push((template, preamble));
            }
        }
        {
            let mut parked = lock(&warm.parked);
            for queue in parked.values_mut() {
                queue.retain_mut(|p| {
                    let keep = p.alive();
                    if !keep {
                        kill_group(&p.child);
                    }
                    keep
                });
            }
        }
        let keys: Vec<String> = {
            let mut demand = lock(&warm.demand);
            for d in demand.values_mut() {
                if d.last_used.elapsed() > IDLE {
                    d.target = 0;
                } else if d.target > 1 && d.last_short.is_none_or(|t| t.elapsed() > IDLE / 15) {
                    d.target -= 1;
                }
            }
            demand
                .iter()
                .filter(|(_, d)| d.target > 0)
                .map(|(k, _)| k.clone())
                .collect()
        };
        {
            // Formats nobody wants keep no processes.
            let mut parked = lock(&warm.parked);
            for (k, queue) in parked.iter_mut() {
                while queue.len() > warm.target(k) {
                    if let Some(p) = queue.pop_back() {
                        kill_group(&p.child);
                    }
                }
            }
        }
        for key in keys {
            if lock(&warm.formats)
                .get(&key)
                .is_some_and(|s| matches!(s, Slot::Ready(_)))
            {
                self.refill(&key);
            }
        }
    }

    /// What the warm path holds now.
    pub fn warm_stats(&self) -> Option<WarmStats> {
        let warm = self.warm.as_ref()?;
        let formats = lock(&warm.formats);
        let parked = lock(&warm.parked);
        Some(WarmStats {
            formats_ready: formats
                .values()
                .filter(|s| matches!(s, Slot::Ready(r) if r.kind == Kind::Format))
                .count(),
            preambles_ready: formats
                .values()
                .filter(|s| matches!(s, Slot::Ready(r) if r.kind == Kind::Preamble))
                .count(),
            formats_building: formats
                .values()
                .filter(|s| matches!(s, Slot::Building))
                .count(),
            parked: parked
                .iter()
                .filter(|(_, q)| !q.is_empty())
                .map(|(k, q)| (k.clone(), q.len()))
                .collect(),
            parked_pids: parked
                .iter()
                .map(|(k, q)| (k.clone(), q.iter().filter_map(|p| p.child.id()).collect()))
                .collect(),
        })
    }

    /// The format key a rendered document of `template` would use (for tests and tools).
    pub fn format_key_for(&self, template: &'static Template, tex: &str) -> Option<String> {
        let warm = self.warm.as_ref()?;
        let (preamble, _) = split(tex)?;
        Some(format_key(
            preamble,
            &map_name(template, &warm.version),
            &warm.version,
        ))
    }

    /// The folder holding formats and maps, when the warm path is on.
    pub fn format_dir(&self) -> Option<&std::path::Path> {
        self.warm.as_ref().map(|w| w.dir.as_path())
    }
}

/// `Some(Some(v))` ready, `Some(None)` building or recently failed, `None` when a build
/// should start now (the slot is then marked as building).
fn slot_state<T: Clone>(slots: &Mutex<HashMap<String, Slot<T>>>, name: &str) -> Option<Option<T>> {
    let mut slots = lock(slots);
    match slots.get(name) {
        Some(Slot::Ready(v)) => Some(Some(v.clone())),
        Some(Slot::Building) => Some(None),
        Some(Slot::Failed(at)) if at.elapsed() < RETRY_BUILD => Some(None),
        _ => {
            slots.insert(name.to_owned(), Slot::Building);
            None
        }
    }
}

fn finish<T>(slots: &Mutex<HashMap<String, Slot<T>>>, name: &str, r: Result<T, String>) {
    let slot = match r {
        Ok(v) => Slot::Ready(v),
        Err(e) => {
            tracing::warn!(name, error = %e, "warm-path build failed; the cold path serves meanwhile");
            Slot::Failed(Instant::now())
        }
    };
    lock(slots).insert(name.to_owned(), slot);
}

/// A trusted body to check a format with: the template's example document, in the spacing
/// mode whose preamble this is (the default mode's when none matches).
fn probe_body(template: &'static Template, preamble: &str) -> String {
    let render = |mode: SpacingMode| {
        let body = json!({
            "document_type": template.document_type,
            "template": template.name,
            "spacing_mode": mode.as_str(),
            "data": schema::example(template.document_type),
        });
        api::prepare(&body, Source::Json, CivilDate::from_unix_seconds(0))
            .ok()
            .map(|p| p.tex.clone())
    };
    let tex = SpacingMode::ALL
        .into_iter()
        .filter_map(render)
        .find(|t| split(t).is_some_and(|(p, _)| p == preamble))
        .or_else(|| render(template.default_spacing))
        .unwrap_or_default();
    split(&tex).map(|(_, b)| b.to_owned()).unwrap_or_default()
}

/// Removes a preamble from the set of refills under way when dropped.
struct Unmark<'a>(&'a Mutex<std::collections::HashSet<String>>, String);

impl Drop for Unmark<'_> {
    fn drop(&mut self) {
        lock(self.0).remove(&self.1);
    }
}
