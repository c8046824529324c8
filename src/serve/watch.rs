//! File events → [`ChangeKind`]s: which part of the site a changed path
//! belongs to ([`classify`], a pure function), and the watcher that sends
//! batches of changed paths, each closed by a short quiet spell.

use crate::load::{classify_content, ContentKind};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How long the watcher must be quiet before a batch of events is handed
/// on: long enough to fold an editor's write-temp-then-rename (or
/// truncate-then-write), whose events come within a millisecond of each
/// other, into one change; short, as it is waited on every save. A change
/// whose events are further apart (a checkout) can come as two batches:
/// the second folds into the rebuild after the first.
pub const QUIET: Duration = Duration::from_millis(4);

/// The longest a batch stays open while events keep coming (a large copy
/// into `content/`), so the first rebuild starts without waiting for the
/// copy to end.
pub const LONGEST_BATCH: Duration = Duration::from_millis(100);

/// The folders of a site that `serve` watches, recursively.
const WATCHED_FOLDERS: &[&str] = &["content", "templates", "themes", "static"];

/// What a changed path means for the site.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// `site.toml`: everything is rebuilt.
    Config,
    /// A file or folder under `content/`, relative to it (empty for
    /// `content/` itself).
    Content(PathBuf),
    /// A template by its name (its path under `templates/`, with `/`), in
    /// the site's own `templates/` (`theme: None`) or a theme's.
    Template { theme: Option<String>, name: String },
    /// A file or folder under a `static/` folder, relative to it.
    Static {
        theme: Option<String>,
        path: PathBuf,
    },
}

/// What `path` (absolute, under `root`) is to the site; `None` for paths
/// hearth does not read and for editors' temporary and backup files.
pub fn classify(root: &Path, path: &Path) -> Option<ChangeKind> {
    let relative = path.strip_prefix(root).ok()?;
    let parts: Vec<&str> = relative
        .components()
        .map(|c| match c {
            Component::Normal(name) => name.to_str(),
            _ => None,
        })
        .collect::<Option<_>>()?;
    if parts.iter().any(|part| part.starts_with('.'))
        || parts.last().is_some_and(|name| is_editor_temp(name))
    {
        return None;
    }
    match parts.as_slice() {
        ["site.toml"] => Some(ChangeKind::Config),
        ["content", rest @ ..] => classify_content_change(rest),
        ["templates", rest @ ..] => template_change(None, rest),
        ["static", rest @ ..] => Some(ChangeKind::Static {
            theme: None,
            path: rest.iter().collect(),
        }),
        ["themes", theme, "templates", rest @ ..] => template_change(Some(theme), rest),
        ["themes", theme, "static", rest @ ..] => Some(ChangeKind::Static {
            theme: Some((*theme).to_string()),
            path: rest.iter().collect(),
        }),
        _ => None,
    }
}

/// Markdown files hearth reads, and names without an extension (they may
/// be folders, moved or deleted with everything in them).
fn classify_content_change(parts: &[&str]) -> Option<ChangeKind> {
    let relative: PathBuf = parts.iter().collect();
    match parts.last() {
        Some(name) if name.ends_with(".md") => (classify_content(&relative)
            != ContentKind::Ignored)
            .then_some(ChangeKind::Content(relative)),
        Some(name) if name.contains('.') => None,
        _ => Some(ChangeKind::Content(relative)),
    }
}

fn template_change(theme: Option<&str>, parts: &[&str]) -> Option<ChangeKind> {
    let name = parts.join("/");
    let is_template = name.ends_with(".html") || name.ends_with(".xml");
    // The templates folder itself (made, moved or removed) has no name.
    let maybe_folder = parts.last().is_none_or(|last| !last.contains('.'));
    (is_template || maybe_folder).then(|| ChangeKind::Template {
        theme: theme.map(str::to_string),
        name,
    })
}

/// Swap, backup and temporary files of common editors: vim (`.x.swp`,
/// `x~`, `4913`), emacs (`.#x`, `#x#`), JetBrains, Kate, Chrome.
fn is_editor_temp(name: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        "~",
        ".swp",
        ".swx",
        ".swo",
        ".tmp",
        ".kate-swp",
        ".crswap",
        "___jb_tmp___",
        "___jb_old___",
    ];
    name == "4913"
        || name.starts_with('.')
        || (name.starts_with('#') && name.ends_with('#'))
        || SUFFIXES.iter().any(|suffix| name.ends_with(suffix))
}

/// The changes of one batch of paths, each once, in a stable order.
pub fn classify_all(root: &Path, paths: impl IntoIterator<Item = PathBuf>) -> BTreeSet<ChangeKind> {
    paths
        .into_iter()
        .filter_map(|path| classify(root, &path))
        .collect()
}

/// Watches a site's sources and hands each batch of changed paths to a
/// callback, on a thread of its own. Folders created after the start (a
/// first `static/`) are picked up by [`SiteWatcher::watch_new_folders`].
pub struct SiteWatcher {
    watcher: RecommendedWatcher,
    root: PathBuf,
    watched: Vec<PathBuf>,
}

impl SiteWatcher {
    /// Starts watching `root` (for `site.toml`) and its source folders.
    pub fn start(
        root: &Path,
        on_batch: impl FnMut(Vec<PathBuf>) + Send + 'static,
    ) -> notify::Result<SiteWatcher> {
        let (sender, events) = mpsc::channel();
        let watcher = notify::recommended_watcher(sender)?;
        std::thread::Builder::new()
            .name("hearth-watch".to_string())
            .spawn({
                let root = root.to_path_buf();
                move || hand_on_batches(&root, &events, on_batch)
            })
            .map_err(notify::Error::io)?;
        let mut watcher = SiteWatcher {
            watcher,
            root: root.to_path_buf(),
            watched: Vec::new(),
        };
        watcher.watcher.watch(root, RecursiveMode::NonRecursive)?;
        // The first build reads whatever is there now.
        let _ = watcher.watch_new_folders();
        Ok(watcher)
    }

    /// Watches the source folders that exist now and were not watched yet;
    /// forgets the ones that are gone so a re-created one is watched again.
    /// Returns the files already in the newly watched folders: they were
    /// written before the watch began (`hearth theme eject day.html` makes
    /// `templates/` and its file at once).
    pub fn watch_new_folders(&mut self) -> Vec<PathBuf> {
        self.watched.retain(|folder| folder.is_dir());
        let mut found = Vec::new();
        for name in WATCHED_FOLDERS {
            let folder = self.root.join(name);
            if folder.is_dir() && !self.watched.contains(&folder) {
                match self.watcher.watch(&folder, RecursiveMode::Recursive) {
                    Ok(()) => {
                        found.extend(files_under(&folder));
                        self.watched.push(folder);
                    }
                    Err(error) => eprintln!("hearth: cannot watch {}: {error}", folder.display()),
                }
            }
        }
        found
    }
}

/// Gathers events into batches — a batch closes after [`QUIET`] without
/// events, or [`LONGEST_BATCH`] after it opened — and hands the changed
/// paths of each on. Reads of files (access events) are left out:
/// rebuilding reads them. When the system dropped events (its queue was
/// full, as in a large copy), every source folder counts as changed, so
/// each is read again. Ends when the watcher is dropped.
fn hand_on_batches(
    root: &Path,
    events: &Receiver<notify::Result<Event>>,
    mut on_batch: impl FnMut(Vec<PathBuf>),
) {
    let take = |result: notify::Result<Event>, paths: &mut Vec<PathBuf>| match result {
        Ok(event) => paths.extend(changed_paths(root, event)),
        Err(error) => eprintln!("hearth: watching files: {error}"),
    };
    while let Ok(first) = events.recv() {
        let opened = Instant::now();
        let mut paths = Vec::new();
        take(first, &mut paths);
        let mut watcher_gone = false;
        while let Some(left) = LONGEST_BATCH.checked_sub(opened.elapsed()) {
            match events.recv_timeout(QUIET.min(left)) {
                Ok(result) => take(result, &mut paths),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => {
                    watcher_gone = true;
                    break;
                }
            }
        }
        if !paths.is_empty() {
            on_batch(paths);
        }
        if watcher_gone {
            return;
        }
    }
}

/// The paths one event says changed: none for a read (rebuilding reads
/// files), every source when the system dropped events.
fn changed_paths(root: &Path, event: Event) -> Vec<PathBuf> {
    if event.need_rescan() {
        everything_under(root)
    } else if matches!(event.kind, EventKind::Access(_)) {
        Vec::new()
    } else {
        event.paths
    }
}

/// What a site's sources are as changed paths: `site.toml`, and each
/// source folder as a whole (a theme's by its `templates/` and `static/`).
fn everything_under(root: &Path) -> Vec<PathBuf> {
    let mut paths = vec![root.join("site.toml")];
    paths.extend(
        WATCHED_FOLDERS
            .iter()
            .filter(|name| **name != "themes")
            .map(|name| root.join(name)),
    );
    if let Ok(themes) = std::fs::read_dir(root.join("themes")) {
        for theme in themes.flatten() {
            paths.push(theme.path().join("templates"));
            paths.push(theme.path().join("static"));
        }
    }
    paths
}

fn files_under(folder: &Path) -> impl Iterator<Item = PathBuf> {
    walkdir::WalkDir::new(folder)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: an event that says the system dropped events (it has no
    /// paths) was thrown away, and what changed stayed stale. A read is no
    /// change.
    #[test]
    fn dropped_events_count_as_a_change_to_every_source() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("themes/quiet/templates")).unwrap();
        let dropped = Event::new(EventKind::Other).set_flag(notify::event::Flag::Rescan);
        let changes = classify_all(root.path(), changed_paths(root.path(), dropped));
        let expected: BTreeSet<ChangeKind> = [
            ChangeKind::Config,
            ChangeKind::Content(PathBuf::new()),
            ChangeKind::Template {
                theme: None,
                name: String::new(),
            },
            ChangeKind::Template {
                theme: Some("quiet".into()),
                name: String::new(),
            },
            ChangeKind::Static {
                theme: None,
                path: PathBuf::new(),
            },
            ChangeKind::Static {
                theme: Some("quiet".into()),
                path: PathBuf::new(),
            },
        ]
        .into();
        assert_eq!(changes, expected);
        let read = Event::new(EventKind::Access(notify::event::AccessKind::Any))
            .add_path(root.path().join("content/guides/trust.md"));
        assert!(changed_paths(root.path(), read).is_empty());
    }

    #[test]
    fn classifies_changed_paths() {
        let root = Path::new("/site");
        let content = |p: &str| Some(ChangeKind::Content(PathBuf::from(p)));
        let template = |theme: Option<&str>, name: &str| {
            Some(ChangeKind::Template {
                theme: theme.map(str::to_string),
                name: name.to_string(),
            })
        };
        let statics = |theme: Option<&str>, path: &str| {
            Some(ChangeKind::Static {
                theme: theme.map(str::to_string),
                path: PathBuf::from(path),
            })
        };
        let table: &[(&str, Option<ChangeKind>)] = &[
            ("/site/site.toml", Some(ChangeKind::Config)),
            ("/site/content/guides/trust.md", content("guides/trust.md")),
            (
                "/site/content/journeys/deep/day-03.md",
                content("journeys/deep/day-03.md"),
            ),
            ("/site/content/_index.md", content("_index.md")),
            ("/site/content/about.md", content("about.md")),
            // A folder (moved or deleted with its files) and content/ itself.
            (
                "/site/content/guides/communication",
                content("guides/communication"),
            ),
            ("/site/content", content("")),
            // Files hearth does not read.
            ("/site/content/guides/photo.jpg", None),
            ("/site/content/guides/_draft.md", None),
            // Read only to warn that it is not read.
            (
                "/site/content/journeys/deep/notes.md",
                content("journeys/deep/notes.md"),
            ),
            // Editors' temporary files.
            ("/site/content/guides/.#trust.md", None),
            ("/site/content/guides/trust.md~", None),
            ("/site/content/guides/.trust.md.swp", None),
            ("/site/content/guides/4913", None),
            ("/site/content/guides/#trust.md#", None),
            ("/site/content/guides/trust.md___jb_tmp___", None),
            ("/site/content/.hidden/trust.md", None),
            ("/site/templates/day.html", template(None, "day.html")),
            (
                "/site/templates/partials/card.html",
                template(None, "partials/card.html"),
            ),
            ("/site/templates/.day.html.swp", None),
            // A templates folder made while serving.
            ("/site/templates", template(None, "")),
            ("/site/templates/notes.txt", None),
            (
                "/site/themes/default/templates/base.html",
                template(Some("default"), "base.html"),
            ),
            (
                "/site/themes/default/static/style.css",
                statics(Some("default"), "style.css"),
            ),
            ("/site/themes/default/README.md", None),
            (
                "/site/static/images/logo.png",
                statics(None, "images/logo.png"),
            ),
            ("/site/static", statics(None, "")),
            // Outputs and anything else.
            ("/site/public/index.html", None),
            ("/site/.hearth-serve/index.html", None),
            ("/site/README.md", None),
            ("/elsewhere/site.toml", None),
        ];
        for (path, expected) in table {
            assert_eq!(&classify(root, Path::new(path)), expected, "{path}");
        }
    }
}
