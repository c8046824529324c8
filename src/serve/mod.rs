//! `hearth serve`: builds the site into a folder of its own, serves it on
//! a local address, watches the sources, re-renders what a change touches
//! and tells open pages to reload.
//!
//! The HTTP side ([`http`]: a small runtime whose tasks answer requests and
//! stream events to open pages) and the rebuild thread share a
//! [`state::Shared`]; the rebuild thread owns the [`Workspace`] and turns
//! each batch of file events into a rebuild, a [`RebuildReport`], and an
//! event for the pages.

pub mod http;
pub mod overlay;
pub mod search_index;
mod state;
pub mod watch;
pub mod workspace;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::write::{absolute, check_output_dir};
use anyhow::{bail, Context, Result};
use http::AllowedHosts;
use state::Shared;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::Arc;
use std::thread::JoinHandle;
use watch::{classify_all, SiteWatcher};
pub use workspace::{RebuildReport, Settings, Workspace};

/// The folder of the site root `serve` renders into (with a `.gitignore`
/// of its own); the site's `public/` is never touched.
pub const SERVE_DIR: &str = ".hearth-serve";

/// How many ports after the asked one `serve` tries when it is taken.
const PORT_ATTEMPTS: u16 = 10;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub interface: IpAddr,
    /// 0 for any free port.
    pub port: u16,
    pub drafts: bool,
    /// Print nothing (tests, benchmarks).
    pub quiet: bool,
}

/// A running preview server.
pub struct Server {
    shared: Arc<Shared>,
    http: Option<http::HttpServer>,
    rebuilder: Option<JoinHandle<()>>,
    messages: Sender<Message>,
    address: SocketAddr,
    first: RebuildReport,
    search: search_index::SearchIndex,
}

/// What the rebuild thread is told.
enum Message {
    Changed(Vec<PathBuf>),
    Stop,
}

impl Server {
    /// Builds the site, binds the address and starts watching and serving.
    /// A site that does not build still starts (its errors are shown in
    /// the page); a missing `site.toml` or a port that cannot be bound
    /// does not.
    pub fn start(options: &ServeOptions) -> Result<Server> {
        let root = absolute(&options.root);
        if !root.join(crate::config::CONFIG_FILE).is_file() {
            bail!(
                "{} has no {}: run hearth serve in a site folder, pass --root DIR, or create one with `hearth new DIR`",
                root.display(),
                crate::config::CONFIG_FILE
            );
        }
        let output = root.join(SERVE_DIR);
        check_output_dir(&root, &output).map_err(|d| anyhow::anyhow!("{d}"))?;
        let listener = bind(options.interface, options.port, options.quiet)?;
        let address = listener
            .local_addr()
            .context("cannot read the bound address")?;
        if !options.quiet && !address.ip().is_loopback() {
            eprintln!(
                "hearth: warning: serving on {} — other machines on the network can read the preview",
                address.ip()
            );
        }
        crate::timings::start_from_env();
        // The last session's serve folder goes while this one builds.
        crate::write::clear_in_background(&output)?;
        let (messages, incoming) = channel();
        let batches = messages.clone();
        let watcher = SiteWatcher::start(&root, move |paths| {
            let _ = batches.send(Message::Changed(paths));
        })
        .context("cannot watch the site's files")?;
        crate::timings::mark("watch");

        let mut workspace = Workspace::new(Settings {
            root: root.clone(),
            output: output.clone(),
            base_url: local_base_url(address),
            drafts: options.drafts,
        });
        let first = workspace.build_all();
        eprint!("{}", crate::timings::report());
        if !options.quiet {
            eprint!("{}", rebuild_message(&first, &Diagnostics::default()));
        }
        std::fs::create_dir_all(&output)
            .with_context(|| format!("cannot create {}", output.display()))?;
        let shared = Arc::new(Shared::new(
            root,
            absolute(&output),
            AllowedHosts {
                ip: address.ip(),
                port: address.port(),
            },
        ));
        shared.publish(&first);

        let search = workspace.search_index().clone();
        let http = Some(http::HttpServer::start(listener, Arc::clone(&shared))?);
        let rebuilder = Rebuilder {
            workspace,
            watcher,
            shared: Arc::clone(&shared),
            quiet: options.quiet,
            shown: first.diagnostics.clone(),
        };
        let rebuilder = std::thread::spawn(move || rebuilder.run(incoming));
        Ok(Server {
            shared,
            http,
            rebuilder: Some(rebuilder),
            messages,
            address,
            first,
            search,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// `http://127.0.0.1:1111/`
    pub fn url(&self) -> String {
        local_base_url(self.address)
    }

    /// The folder the preview is rendered into.
    pub fn output_dir(&self) -> &Path {
        &self.shared.output
    }

    /// What the first build did.
    pub fn first_report(&self) -> &RebuildReport {
        &self.first
    }

    /// Waits until the search index of the last rebuild is written (it
    /// follows each rebuild in the background).
    pub fn wait_for_search_index(&self) {
        self.search.wait();
    }

    /// Every later rebuild's report, from now on.
    pub fn subscribe_reports(&self) -> Receiver<RebuildReport> {
        self.shared.subscribe_reports()
    }

    /// Serves until the process ends.
    pub fn wait(mut self) {
        if let Some(rebuilder) = self.rebuilder.take() {
            let _ = rebuilder.join();
        }
    }

    /// Stops watching and serving, and waits for the threads.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        let _ = self.messages.send(Message::Stop);
        if let Some(rebuilder) = self.rebuilder.take() {
            let _ = rebuilder.join();
        }
        self.shared.close_streams();
        if let Some(http) = self.http.take() {
            http.stop();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Binds `interface:port`, or the next ports when it is taken.
fn bind(interface: IpAddr, port: u16, quiet: bool) -> Result<TcpListener> {
    let last = if port == 0 {
        0
    } else {
        port.saturating_add(PORT_ATTEMPTS - 1)
    };
    let mut candidate = port;
    loop {
        match TcpListener::bind((interface, candidate)) {
            Ok(listener) => return Ok(listener),
            Err(error) if error.kind() == std::io::ErrorKind::AddrInUse && candidate < last => {
                if !quiet {
                    eprintln!(
                        "hearth: port {candidate} is taken, trying {}",
                        candidate + 1
                    );
                }
                candidate += 1;
            }
            Err(error) => {
                return Err(error)
                    .with_context(|| format!("cannot listen on {interface}:{candidate}"))
            }
        }
    }
}

/// The base URL pages are rendered with: the bound address, or the
/// loopback address when bound to every interface.
fn local_base_url(address: SocketAddr) -> String {
    let ip = match address.ip() {
        ip if ip.is_unspecified() && ip.is_ipv4() => IpAddr::from([127, 0, 0, 1]),
        ip if ip.is_unspecified() => IpAddr::from([0u16, 0, 0, 0, 0, 0, 0, 1]),
        ip => ip,
    };
    format!("http://{}/", SocketAddr::new(ip, address.port()))
}

/// The rebuild thread: owns the workspace and the watcher.
struct Rebuilder {
    workspace: Workspace,
    watcher: SiteWatcher,
    shared: Arc<Shared>,
    quiet: bool,
    /// The diagnostics of the last rebuild, whose warnings the terminal
    /// has shown.
    shown: Diagnostics,
}

impl Rebuilder {
    fn run(mut self, incoming: Receiver<Message>) {
        while let Ok(Message::Changed(mut paths)) = incoming.recv() {
            // Fold in batches that queued up during the last rebuild.
            while let Ok(message) = incoming.try_recv() {
                match message {
                    Message::Changed(more) => paths.extend(more),
                    Message::Stop => return,
                }
            }
            paths.extend(self.watcher.watch_new_folders());
            let changes = classify_all(&self.workspace.settings().root, paths);
            if changes.is_empty() {
                continue;
            }
            crate::timings::start_from_env();
            let rebuilt = self.workspace.rebuild_for(&changes, &*self.shared);
            eprint!("{}", crate::timings::report());
            let Some(report) = rebuilt else {
                continue;
            };
            if !self.quiet {
                eprint!("{}", rebuild_message(&report, &self.shown));
            }
            self.shown = report.diagnostics.clone();
            self.shared.publish(&report);
        }
    }
}

/// The terminal's account of a rebuild, as `build` words it: its errors;
/// its warnings — all of them after a full build, else those of the
/// changed files (or folders) and every one new since the rebuild before
/// (`previous`: that rebuild's diagnostics), so a warning the change
/// caused in another file shows too, while the site's older warnings are
/// not repeated after every save; then one line saying what happened, with
/// the number of warnings the site has now when that changed.
pub fn rebuild_message(report: &RebuildReport, previous: &Diagnostics) -> String {
    let mut message = relevant_diagnostics(report, previous).report();
    let millis = report.elapsed.as_secs_f64() * 1000.0;
    let errors = report.diagnostics.error_count();
    let warnings = warnings_note(report, previous);
    if report.failed() {
        message.push_str(&format!(
            "hearth: the site did not build ({errors} error{}); still serving the last good pages\n",
            if errors == 1 { "" } else { "s" }
        ));
    } else if report.full {
        message.push_str(&format!(
            "hearth: built {} files in {millis:.0} ms{warnings}\n",
            report.rendered.len()
        ));
    } else if report.touched_output() {
        let first = match (report.announced.len(), report.announced_after) {
            (0, _) | (_, None) => String::new(),
            (1, Some(after)) => {
                format!(" (the open page in {:.0} ms)", after.as_secs_f64() * 1000.0)
            }
            (n, Some(after)) => format!(
                " (the {n} open pages in {:.0} ms)",
                after.as_secs_f64() * 1000.0
            ),
        };
        message.push_str(&format!(
            "hearth: {}: rendered {}, removed {}, copied {} in {millis:.0} ms{first}{warnings}\n",
            report.changed.join(", "),
            report.rendered.len(),
            report.removed.len(),
            report.copied.len()
        ));
    }
    message
}

/// ` (3 warnings: 1 new, 2 fixed)` when the site's warnings changed since
/// `previous` (a warning whose line only moved is the same warning); the
/// count alone after a full build; nothing when they did not change.
fn warnings_note(report: &RebuildReport, previous: &Diagnostics) -> String {
    let count = report.diagnostics.warning_count();
    let total = format!("{count} warning{}", if count == 1 { "" } else { "s" });
    if report.full {
        return if count == 0 {
            String::new()
        } else {
            format!(" ({total})")
        };
    }
    let same = |a: &Diagnostic, b: &Diagnostic| {
        (a.severity, &a.file, &a.message, &a.help) == (b.severity, &b.file, &b.message, &b.help)
    };
    let warnings = |diagnostics: &Diagnostics| -> Vec<Diagnostic> {
        diagnostics
            .iter()
            .filter(|d| d.severity == crate::diagnostics::Severity::Warning)
            .cloned()
            .collect()
    };
    let (now, before) = (warnings(&report.diagnostics), warnings(previous));
    let new = now
        .iter()
        .filter(|d| !before.iter().any(|b| same(d, b)))
        .count();
    let fixed = before
        .iter()
        .filter(|b| !now.iter().any(|d| same(d, b)))
        .count();
    let changes: Vec<String> = [(new, "new"), (fixed, "fixed")]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
    if changes.is_empty() {
        String::new()
    } else {
        format!(" ({total}: {})", changes.join(", "))
    }
}

/// Errors, and the warnings worth showing after `report` (see
/// [`rebuild_message`]).
fn relevant_diagnostics(report: &RebuildReport, previous: &Diagnostics) -> Diagnostics {
    let mut shown = Diagnostics::default();
    shown.extend(
        report
            .diagnostics
            .iter()
            .filter(|d| {
                d.is_error()
                    || report.full
                    || report
                        .changed
                        .iter()
                        .any(|changed| d.file.starts_with(changed))
                    || !previous.iter().any(|old| old == *d)
            })
            .cloned(),
    );
    shown
}
