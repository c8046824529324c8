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
//! atomically), and files the new index no longer has are removed. A full
//! build (the first, or a change to most pages) writes the index with its
//! pages.
//!
//! The index must not slow the next edit down, nor pile up sites while
//! edits come faster than it is made: one worker thread at a time makes
//! it, for the newest site handed over (a site waiting is replaced by a
//! newer one, and a job for an older site gives way), once no newer site
//! has come for [`QUIET`] (a run of saves makes the index once, after the
//! last), on one thread of its own at the lowest scheduling priority, not
//! on the pool the rebuilds render with. [`SearchIndex::wait`] cuts the
//! wait short.

use crate::render::dependencies::text_fingerprint;
use crate::render::search::{index_files_with, index_fingerprint, IndexSource};
use crate::resolve::Site;
use crate::write::{write_output_atomically, Staging};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long edits must have been quiet before the index is made.
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
    queue: Mutex<Queue>,
    /// Signalled when a site comes, the worker finishes, or someone waits.
    changed: Condvar,
}

/// The site waiting for its index, and the worker's state.
#[derive(Default)]
struct Queue {
    next: Option<Job>,
    /// A worker thread is running (it ends when nothing waits).
    working: bool,
    /// Someone waits for the index: the worker starts at once.
    hurry: bool,
}

struct Job {
    site: Site,
    output: PathBuf,
    generation: u64,
    arrived: Instant,
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
    /// build (jobs for older sites stop, a waiting one is dropped);
    /// returns each file's path with the hash of its contents, or why it
    /// was not written. Call [`SearchIndex::written_in_full`] once the
    /// build is swapped in, or failed.
    pub fn write_in_full(
        &self,
        site: &Site,
        staging: &Staging,
    ) -> Vec<(String, anyhow::Result<u64>)> {
        self.inner.latest.fetch_add(1, Ordering::SeqCst);
        let waiting = self.inner.queue().next.take();
        drop_elsewhere(waiting);
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
    /// in `output` in the background, and the site let go there.
    pub fn update(&self, site: Site, output: PathBuf) {
        let mut queue = self.inner.queue();
        let generation = self.inner.latest.fetch_add(1, Ordering::SeqCst) + 1;
        let replaced = queue.next.replace(Job {
            site,
            output,
            generation,
            arrived: Instant::now(),
        });
        if !queue.working {
            queue.working = true;
            let inner = Arc::clone(&self.inner);
            std::thread::spawn(move || inner.work());
        }
        drop(queue);
        self.inner.changed.notify_all();
        drop_elsewhere(replaced);
    }

    /// Waits until every site handed over has its index written (or gave
    /// way to a newer one).
    pub fn wait(&self) {
        let mut queue = self.inner.queue();
        queue.hurry = true;
        self.inner.changed.notify_all();
        while queue.working {
            queue = self
                .inner
                .changed
                .wait(queue)
                .unwrap_or_else(|e| e.into_inner());
        }
        queue.hurry = false;
    }
}

/// Lets a site go on another thread: freeing one is not free, and the
/// rebuild that replaced it should not wait for it.
fn drop_elsewhere(job: Option<Job>) {
    if let Some(job) = job {
        std::thread::spawn(move || drop(job));
    }
}

/// Lowers the calling thread's scheduling priority to the lowest (nice
/// 19), so that a rebuild gets the cores first. Where that is refused,
/// the thread runs as it is.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    let _ = rustix::process::setpriority_process(Some(rustix::thread::gettid()), 19);
}

/// Runs `job` on a pool of one thread at the lowest priority, not on the
/// pool the rebuilds use.
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

    fn queue(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The worker: makes the index of the newest waiting site once edits
    /// are quiet, until no site waits.
    fn work(&self) {
        lower_priority();
        loop {
            let Some(job) = self.next_when_quiet() else {
                self.changed.notify_all();
                return;
            };
            let result =
                in_one_thread(|| self.bring_up_to_date(&job.site, &job.output, job.generation));
            drop(job);
            if let Err(error) = result {
                eprintln!("hearth: cannot update the search index: {error:#}");
            }
        }
    }

    /// The waiting site once [`QUIET`] has passed since it came (at once
    /// when someone waits); `None` when none waits, and then the worker is
    /// done (noted under the same lock, so a site handed over after it
    /// starts a new worker).
    fn next_when_quiet(&self) -> Option<Job> {
        let mut queue = self.queue();
        loop {
            let Some(arrived) = queue.next.as_ref().map(|job| job.arrived) else {
                queue.working = false;
                return None;
            };
            let now = Instant::now();
            let ready = arrived + QUIET;
            if queue.hurry || now >= ready {
                return queue.next.take();
            }
            queue = self
                .changed
                .wait_timeout(queue, ready - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// Makes the index of `site` and writes each file as soon as it is
    /// made, when its bytes differ from what the folder has: the files are
    /// never all held at once. When a newer site comes meanwhile, the
    /// files not yet made are left to its job.
    fn bring_up_to_date(&self, site: &Site, output: &Path, generation: u64) -> anyhow::Result<()> {
        if !self.is_latest(generation) {
            return Ok(());
        }
        // Gathered once, for the fingerprint and then the files.
        let source = IndexSource::gather(site);
        let fingerprint = source.fingerprint();
        if self.lock().fingerprint == Some(fingerprint) {
            return Ok(());
        }
        let mut written = self.lock();
        if !self.is_latest(generation) {
            return Ok(());
        }
        let before = &written.files;
        let made = source.files_with(|file| {
            if !self.is_latest(generation) {
                return Made::Skipped;
            }
            let hash = text_fingerprint(&file.contents);
            if before.get(&file.path) == Some(&hash) {
                return Made::Same(hash);
            }
            match write_output_atomically(output, &file) {
                Ok(()) => Made::Written(hash),
                Err(error) => Made::Failed(error),
            }
        });
        let mut now = HashMap::with_capacity(made.len());
        let mut complete = true;
        let mut failure = None;
        for (path, made) in made {
            match made {
                Made::Same(hash) | Made::Written(hash) => {
                    now.insert(path, hash);
                }
                Made::Skipped => complete = false,
                Made::Failed(error) => {
                    complete = false;
                    failure.get_or_insert(error);
                }
            }
        }
        if !complete {
            // What the folder has: the files written now, and the others
            // as they were (the next update compares with it).
            let mut files = std::mem::take(&mut written.files);
            files.extend(now);
            *written = Written {
                fingerprint: None,
                files,
            };
            return failure.map_or(Ok(()), Err);
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

/// What became of one index file.
enum Made {
    /// The folder has these bytes already.
    Same(u64),
    /// Written, with these bytes.
    Written(u64),
    /// Not made: a newer site came.
    Skipped,
    Failed(anyhow::Error),
}

fn remove_file(output: &Path, path: &str) -> anyhow::Result<()> {
    match std::fs::remove_file(output.join(path)) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(anyhow::anyhow!("cannot remove {path}: {error}")),
    }
}
