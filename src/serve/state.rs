//! What the HTTP threads and the rebuild thread share: where the preview
//! is, which hosts may ask for it, the error state (kept here, not in a
//! global), the open event streams, and the events a rebuild sends them.

use super::http::AllowedHosts;
use super::overlay;
use super::workspace::Viewers;
use super::RebuildReport;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

/// More pages than this in one rebuild: every open page reloads.
const MAX_LISTED_PAGES: usize = 500;

/// At most this many open pages are rendered first in a rebuild.
const MAX_VIEWED_PAGES: usize = 16;

/// What the HTTP threads and the rebuild thread share.
pub struct Shared {
    root: PathBuf,
    /// The serve folder, absolute, symlinks resolved.
    pub output: PathBuf,
    pub hosts: AllowedHosts,
    /// Names this server run, so a page reconnecting to a restarted server
    /// reloads.
    run: String,
    /// Kept here, not in a global: what pages are told and shown.
    status: Mutex<Status>,
    /// One sender per open event stream.
    listeners: Mutex<Vec<Sender<String>>>,
    reports: Mutex<Vec<Sender<RebuildReport>>>,
    /// The output paths of the pages open in a browser (with an event
    /// stream), each with how many streams show it.
    viewers: Arc<Mutex<HashMap<String, usize>>>,
    pub stopping: AtomicBool,
}

/// A page open in a browser, while its event stream lasts.
pub struct Viewing {
    viewers: Arc<Mutex<HashMap<String, usize>>>,
    page: String,
}

impl Viewing {
    /// The output path of the page.
    pub fn page(&self) -> &str {
        &self.page
    }
}

impl Drop for Viewing {
    fn drop(&mut self) {
        let mut viewers = lock(&self.viewers);
        if let Some(count) = viewers.get_mut(&self.page) {
            *count -= 1;
            if *count == 0 {
                viewers.remove(&self.page);
            }
        }
    }
}

#[derive(Default)]
struct Status {
    /// Counts the rebuilds pages were told about.
    generation: u64,
    /// The overlay of the last failed rebuild, until one succeeds.
    overlay: Option<String>,
    /// The generation at which the open pages of the last rebuild were
    /// told, with their URL paths: a page of those served then is as new as
    /// the rest of that rebuild (which left it alone).
    announced: Option<(u64, Vec<String>)>,
}

impl Shared {
    pub fn new(root: PathBuf, output: PathBuf, hosts: AllowedHosts) -> Shared {
        let started = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or_default();
        Shared {
            root,
            output,
            hosts,
            run: format!("{started:x}"),
            status: Mutex::default(),
            listeners: Mutex::default(),
            reports: Mutex::default(),
            viewers: Arc::default(),
            stopping: AtomicBool::new(false),
        }
    }

    fn build_name(&self, status: &Status) -> String {
        format!("{}-{}", self.run, status.generation)
    }

    /// What is put into a served HTML page.
    pub fn injection(&self, not_found: bool) -> String {
        let status = lock(&self.status);
        overlay::injection(
            &self.build_name(&status),
            not_found,
            status.overlay.as_deref(),
        )
    }

    /// Every later rebuild's report.
    pub fn subscribe_reports(&self) -> Receiver<RebuildReport> {
        let (sender, receiver) = channel();
        lock(&self.reports).push(sender);
        receiver
    }

    /// Ends every event stream (the server stops).
    pub fn close_streams(&self) {
        lock(&self.listeners).clear();
    }

    /// A new event stream.
    pub fn subscribe(&self) -> Receiver<String> {
        let (sender, receiver) = channel();
        lock(&self.listeners).push(sender);
        receiver
    }

    /// Notes that the page written at `page` (an output path,
    /// `guides/trust/index.html`) is open, until the guard is dropped.
    pub fn viewing(&self, page: String) -> Viewing {
        *lock(&self.viewers).entry(page.clone()).or_default() += 1;
        Viewing {
            viewers: Arc::clone(&self.viewers),
            page,
        }
    }

    /// The first event of a stream: which build pages should show, and
    /// for the page at `page` (an output path) the earlier build that is
    /// as new for it: the one it was told to reload at, when the rest of
    /// that rebuild did not change it.
    pub fn hello_event(&self, page: Option<&str>) -> String {
        let status = lock(&self.status);
        let fresh: Vec<String> = match (&status.announced, page) {
            (Some((generation, pages)), Some(page))
                if *generation + 1 >= status.generation && pages.contains(&url_path(page)) =>
            {
                vec![format!("{}-{generation}", self.run)]
            }
            _ => Vec::new(),
        };
        sse(
            "hello",
            &serde_json::json!({ "build": self.build_name(&status), "fresh": fresh }),
        )
    }

    /// Updates the error state after a rebuild and tells the pages and the
    /// report subscribers.
    pub fn publish(&self, report: &RebuildReport) {
        if let Some(event) = self.update_status(report) {
            lock(&self.listeners).retain(|listener| listener.send(event.clone()).is_ok());
        }
        lock(&self.reports).retain(|subscriber| subscriber.send(report.clone()).is_ok());
    }

    /// Tells the open pages in `pages` (output paths), written before the
    /// rest of a rebuild, to reload. Nothing while an error is shown: the
    /// overlay goes when the whole rebuild has succeeded.
    fn announce(&self, pages: &[String]) {
        let event = {
            let mut status = lock(&self.status);
            if status.overlay.is_some() {
                return;
            }
            status.generation += 1;
            let pages: Vec<String> = pages.iter().map(|path| url_path(path)).collect();
            status.announced = Some((status.generation, pages.clone()));
            sse(
                "reload",
                &serde_json::json!({ "all": false, "pages": pages }),
            )
        };
        lock(&self.listeners).retain(|listener| listener.send(event.clone()).is_ok());
    }

    /// The event a rebuild gives pages, if any.
    fn update_status(&self, report: &RebuildReport) -> Option<String> {
        let mut status = lock(&self.status);
        let was_failing = status.overlay.is_some();
        if report.announced.is_empty() {
            status.announced = None;
        }
        let event = if report.failed() {
            status.overlay = Some(overlay::error_overlay(&self.root, &report.diagnostics));
            reload_all()
        } else if was_failing {
            status.overlay = None;
            reload_all()
        } else if told_already(report) {
            return None;
        } else if report.rendered.is_empty() && report.removed.is_empty() {
            match report.copied.as_slice() {
                [] => return None,
                copied if copied.iter().all(|path| path.ends_with(".css")) => {
                    sse("css", &serde_json::json!({}))
                }
                _ => reload_all(),
            }
        } else {
            reload_pages(report)
        };
        status.generation += 1;
        Some(event)
    }
}

impl Viewers for Shared {
    fn viewed(&self) -> Vec<String> {
        let mut pages: Vec<String> = lock(&self.viewers).keys().cloned().collect();
        pages.sort_unstable();
        pages.truncate(MAX_VIEWED_PAGES);
        pages
    }

    fn written_first(&self, pages: &[String]) {
        self.announce(pages);
    }
}

/// A lock that survives a panicked holder (the data stays usable).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn reload_all() -> String {
    sse("reload", &serde_json::json!({ "all": true, "pages": [] }))
}

/// Whether every page a rebuild changed was told before the rest
/// ([`RebuildReport::announced`]): then the rest needs no event.
fn told_already(report: &RebuildReport) -> bool {
    !report.announced.is_empty()
        && report.removed.is_empty()
        && report.copied.is_empty()
        && report
            .rendered
            .iter()
            .all(|path| report.announced.contains(path))
}

/// A reload event listing the URL paths of the pages a rebuild rendered or
/// removed (every page for a full build or many pages), except those
/// already told ([`RebuildReport::announced`]), which it names in `except`.
fn reload_pages(report: &RebuildReport) -> String {
    let pages: Vec<String> = report
        .rendered
        .iter()
        .chain(&report.removed)
        .filter(|path| !report.announced.contains(path))
        .map(|path| url_path(path))
        .collect();
    let except: Vec<String> = report.announced.iter().map(|path| url_path(path)).collect();
    let all = report.full || pages.len() > MAX_LISTED_PAGES || !report.copied.is_empty();
    sse(
        "reload",
        &serde_json::json!({
            "all": all,
            "pages": if all { Vec::new() } else { pages },
            "except": except,
        }),
    )
}

/// `guides/trust/index.html` → `/guides/trust/`.
fn url_path(output_path: &str) -> String {
    format!(
        "/{}",
        output_path
            .strip_suffix("index.html")
            .unwrap_or(output_path)
    )
}

fn sse(event: &str, data: &serde_json::Value) -> String {
    format!("event: {event}\ndata: {data}\n\n")
}
