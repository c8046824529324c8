//! `serve`'s search index: made again after each rebuild on a thread of
//! its own, so the edited pages are written and the browser told to
//! reload without waiting for it.
//!
//! The index depends on the content of every indexed page (and on the
//! topics, journeys and `[search]` settings): its fingerprint
//! ([`crate::render::search::index_fingerprint`]) is a hash of all of it.
//! After a rebuild the site is handed over here; when the fingerprint
//! differs from the one of the index in the serve folder, the index files
//! are made and only those whose bytes changed are written (each
//! atomically), and files the new index no longer has are removed. A job
//! for an older site gives way to a newer one; a full build (the first,
//! or a change to most pages) writes the index with its pages.
//!
//! The index must not slow the next edit down: a job waits until no
//! newer site has come for [`QUIET`] (a run of saves makes the index
//! once, after the last), then works on one thread of its own at the
//! lowest scheduling priority, not on the pool the rebuilds render with.
//! [`SearchIndex::wait`] cuts the wait short.

use crate::render::dependencies::text_fingerprint;
use crate::render::search::{index_files, index_files_with, index_fingerprint};
use crate::resolve::Site;
use crate::write::{write_output_atomically, Staging};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long a job waits for edits to go quiet before it makes the index.
pub const QUIET: Duration = Duration::from_millis(250);

/// The search index of a serve folder; clones share it.
#[derive(Clone, Default)]
pub struct SearchIndex {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    /// Bumped for every site handed over; a job for an older one stops.
    latest: AtomicU64,
    /// What the serve folder has; locked while index files are written.
    written: Mutex<Written>,
    /// Jobs not finished yet.
    running: Mutex<usize>,
    /// Signalled when a job finishes, a newer site comes, or someone waits.
    finished: Condvar,
    /// Someone waits for the index: jobs start at once.
    hurry: std::sync::atomic::AtomicBool,
}

/// The index in the serve folder.
#[derive(Default)]
struct Written {
    /// The fingerprint of the site it was made from (`None`: unknown).
    fingerprint: Option<u64>,
    /// Output path → hash of the file's contents.
    files: HashMap<String, u64>,
}

impl SearchIndex {
    /// Writes the index of `site` into the staging folder of a full
    /// build (jobs still running for older sites stop); returns each
    /// file's path with the hash of its contents, or why it was not
    /// written. Call [`SearchIndex::written_in_full`] once the build is
    /// swapped in, or failed.
    pub fn write_in_full(
        &self,
        site: &Site,
        staging: &Staging,
    ) -> Vec<(String, anyhow::Result<u64>)> {
        self.inner.latest.fetch_add(1, Ordering::SeqCst);
        index_files_with(site, |file| {
            let hash = text_fingerprint(&file.contents);
            staging.write(&file).map(|()| hash)
        })
    }

    /// Notes the index a full build wrote, by path and hash (`None`: the
    /// build failed, so what the folder holds is unknown and the next
    /// update writes every file).
    pub fn written_in_full(&self, site: &Site, files: Option<HashMap<String, u64>>) {
        *self.inner.lock() = match files {
            Some(files) => Written {
                fingerprint: Some(index_fingerprint(site)),
                files,
            },
            None => Written::default(),
        };
    }

    /// Hands over the site a rebuild made: its index is brought up to date
    /// in `output` on another thread, which then lets the site go.
    pub fn update(&self, site: Site, output: PathBuf) {
        let generation = self.inner.latest.fetch_add(1, Ordering::SeqCst) + 1;
        *self.inner.running.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        // A job waiting for quiet sees the newer site and gives way.
        self.inner.finished.notify_all();
        let inner = Arc::clone(&self.inner);
        std::thread::spawn(move || {
            let result = if inner.wait_for_quiet(generation) {
                lower_priority();
                in_one_thread(|| inner.bring_up_to_date(&site, &output, generation))
            } else {
                Ok(())
            };
            drop(site);
            if let Err(error) = result {
                eprintln!("hearth: cannot update the search index: {error:#}");
            }
            let mut running = inner.running.lock().unwrap_or_else(|e| e.into_inner());
            *running -= 1;
            inner.finished.notify_all();
        });
    }

    /// Waits until every site handed over has its index written (or gave
    /// way to a newer one).
    pub fn wait(&self) {
        let mut running = self.inner.running.lock().unwrap_or_else(|e| e.into_inner());
        self.inner.hurry.store(true, Ordering::SeqCst);
        self.inner.finished.notify_all();
        while *running > 0 {
            running = self
                .inner
                .finished
                .wait(running)
                .unwrap_or_else(|e| e.into_inner());
        }
        self.inner.hurry.store(false, Ordering::SeqCst);
    }
}

/// Lowers the calling thread's scheduling priority to the lowest (nice
/// 19), so that a rebuild gets the cores first. Where that is refused,
/// the thread runs as it is.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    let _ = rustix::process::setpriority_process(Some(rustix::thread::gettid()), 19);
}

/// Runs `job` on a pool of one thread (the calling one's priority is not
/// the pool's, so the pool's thread lowers its own), not on the pool the
/// rebuilds use.
fn in_one_thread<T: Send>(job: impl FnOnce() -> T + Send) -> T {
    match rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .start_handler(|_| lower_priority())
        .build()
    {
        Ok(pool) => pool.install(job),
        Err(_) => job(),
    }
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, Written> {
        self.written.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn is_latest(&self, generation: u64) -> bool {
        self.latest.load(Ordering::SeqCst) == generation
    }

    /// Waits [`QUIET`] (less when someone waits for the index); whether
    /// `generation` is still the latest site then.
    fn wait_for_quiet(&self, generation: u64) -> bool {
        let deadline = Instant::now() + QUIET;
        let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            let now = Instant::now();
            if !self.is_latest(generation) {
                return false;
            }
            if now >= deadline || self.hurry.load(Ordering::SeqCst) {
                return true;
            }
            running = self
                .finished
                .wait_timeout(running, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    fn bring_up_to_date(&self, site: &Site, output: &Path, generation: u64) -> anyhow::Result<()> {
        if !self.is_latest(generation) {
            return Ok(());
        }
        let fingerprint = index_fingerprint(site);
        if self.lock().fingerprint == Some(fingerprint) {
            return Ok(());
        }
        let files = index_files(site);
        let mut written = self.lock();
        if !self.is_latest(generation) {
            return Ok(());
        }
        let mut now = HashMap::with_capacity(files.len());
        for file in &files {
            let hash = text_fingerprint(&file.contents);
            if written.files.get(&file.path) != Some(&hash) {
                write_output_atomically(output, file)?;
            }
            now.insert(file.path.clone(), hash);
        }
        for path in written.files.keys().filter(|path| !now.contains_key(*path)) {
            remove_file(output, path)?;
        }
        *written = Written {
            fingerprint: Some(fingerprint),
            files: now,
        };
        Ok(())
    }
}

fn remove_file(output: &Path, path: &str) -> anyhow::Result<()> {
    match std::fs::remove_file(output.join(path)) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(anyhow::anyhow!("cannot remove {path}: {error}")),
    }
}
