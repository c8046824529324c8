//! Stage 5: rendered [`Output`]s and static files → the output folder.
//! Everything is written to a staging folder beside the output and swapped
//! in at the end, so a failed build leaves the previous output as it was.

use crate::diagnostics::{display_path, Diagnostic};
use crate::files;
use crate::render::Output;
use crate::theme::StaticLayer;
use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

mod records;
pub use records::{set_member_fingerprint, PageRecords};

/// Written into every output folder; hearth only replaces folders that
/// have it (or are empty), so it never deletes what it did not create.
pub const MARKER_FILE: &str = ".hearth-output";

/// Refuses an output folder whose replacement would destroy the site: the
/// site root, a folder of the site's sources, a parent of the site, `/`;
/// and an existing folder hearth did not make.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let root = absolute(root);
    let output = absolute(output);
    let shown = display_path(&output);
    let refuse = |why: &str| {
        Err(Diagnostic::error(
            crate::config::CONFIG_FILE,
            format!("refusing to use {shown} as the output folder: {why}"),
        )
        .help("choose a folder of its own, e.g. `--output public` (set [build] output_dir in site.toml)"))
    };
    if output == root {
        return refuse("it is the site folder itself");
    }
    if output.exists() && !output.is_dir() {
        return refuse("it is a file, not a folder");
    }
    if let Some(file) = output
        .ancestors()
        .skip(1)
        .find(|a| a.exists() && !a.is_dir())
    {
        let file = display_path(file);
        return refuse(&format!("{file} is a file, so no folder can be made in it"));
    }
    if root.starts_with(&output) {
        return refuse("it contains the site folder");
    }
    for source in ["content", "templates", "themes", "static"] {
        if output.starts_with(root.join(source)) {
            return refuse(&format!("it is inside the site's {source}/ folder"));
        }
    }
    if output.is_dir() && !output.join(MARKER_FILE).exists() && !is_empty_dir(&output) {
        return refuse("it already holds files hearth did not write (no .hearth-output marker)");
    }
    Ok(())
}

/// `path` made absolute and tidied (`.`/`..` removed) without touching the
/// disk, symlinks of existing parents resolved.
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut clean = PathBuf::new();
    for component in joined.components() {
        match component {
            std::path::Component::ParentDir => {
                clean.pop();
            }
            std::path::Component::CurDir => {}
            other => clean.push(other),
        }
    }
    // Resolve symlinks in the part that exists, keep the rest as written.
    let mut existing = clean.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => return clean,
        }
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    resolved
}

fn is_empty_dir(path: &Path) -> bool {
    std::fs::read_dir(path)
        .map(|mut entries| entries.next().is_none())
        .unwrap_or(false)
}

/// A build's output on its way in. Pages are handed over one at a time as
/// they are rendered ([`Staging::write`], from any thread), so no build
/// holds its whole site in memory. A page whose bytes the current output
/// already has is only noted; the others go into a staging folder beside
/// the output. [`Staging::finish`] then leaves the output alone when
/// nothing changed, or completes the staging folder (unchanged files
/// hard-linked from the current output) and swaps it in. Until then the
/// output is never touched, so a failed build leaves it as it was.
pub struct Staging {
    output: PathBuf,
    staging: PathBuf,
    /// The current output, when there is one hearth wrote.
    previous: Option<PathBuf>,
    /// Every file handed over so far, and whether it differs from the
    /// current output's.
    files: Mutex<Vec<(String, Change)>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Same,
    Written,
}

/// What [`Staging::finish`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// Files of the output, static ones included (not the marker).
    pub files: usize,
    /// Of those, files the current output already had with these bytes.
    pub unchanged: usize,
    /// Files of the current output this build no longer makes.
    pub removed: usize,
}

impl Staging {
    /// Makes an empty staging folder for `output` (removing a leftover of
    /// an interrupted build).
    pub fn begin(output: &Path) -> Result<Staging> {
        let output = absolute(output);
        clean_leftovers(&output)?;
        let staging = sibling(&output, "staging")?;
        files::create_dir_all(&staging)?;
        // Marked from its first moment, so a later build knows it may
        // delete what a killed one left.
        files::write(&staging.join(MARKER_FILE), MARKER_TEXT)?;
        let previous = output.join(MARKER_FILE).is_file().then(|| output.clone());
        Ok(Staging {
            output,
            staging,
            previous,
            files: Mutex::new(Vec::new()),
        })
    }

    /// Hands over one page: written to the staging folder unless the
    /// current output has the same bytes at its path.
    pub fn write(&self, page: &Output) -> Result<()> {
        self.write_bytes(&page.path, page.contents.as_bytes())
    }

    /// Whether there is a current output that hearth wrote (pages can be
    /// kept from it).
    pub fn has_previous(&self) -> bool {
        self.previous.is_some()
    }

    /// Hands over a page that was not rendered: the current output has it
    /// as this build would make it ([`PageRecords::unchanged`]).
    pub fn keep(&self, path: &str) -> Result<()> {
        check_inside(path)?;
        if self.previous.is_none() {
            bail!("no current output has {path}");
        }
        self.record(path.to_string(), Change::Same);
        Ok(())
    }

    fn write_bytes(&self, path: &str, bytes: &[u8]) -> Result<()> {
        check_inside(path)?;
        let change = if self.is_unchanged(path, bytes) {
            Change::Same
        } else {
            let target = self.staging.join(path);
            if let Some(parent) = target.parent() {
                files::create_dir_all(parent)?;
            }
            files::write(&target, bytes)?;
            Change::Written
        };
        self.record(path.to_string(), change);
        Ok(())
    }

    fn record(&self, path: String, change: Change) {
        self.files
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push((path, change));
    }

    /// Whether the current output has exactly `bytes` at `path`.
    fn is_unchanged(&self, path: &str, bytes: &[u8]) -> bool {
        let Some(previous) = &self.previous else {
            return false;
        };
        let old = previous.join(path);
        match std::fs::symlink_metadata(&old) {
            Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => {
                std::fs::read(&old).is_ok_and(|old| old == bytes)
            }
            _ => false,
        }
    }

    /// Removes the staging folder: the build failed, the output stays.
    pub fn discard(self) {
        let _ = std::fs::remove_dir_all(&self.staging);
    }

    /// Copies the static layers (later ones win; a file a page replaces
    /// is left out, and so is any path `generated` claims, written or not),
    /// then swaps the staging folder in, unless the output already is what
    /// this build made.
    pub fn finish(
        self,
        statics: &[StaticLayer],
        generated: impl Fn(&str) -> bool,
    ) -> Result<Written> {
        let result = self.complete(statics, generated);
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
        result
    }

    fn complete(
        &self,
        statics: &[StaticLayer],
        generated: impl Fn(&str) -> bool,
    ) -> Result<Written> {
        let pages: HashSet<String> = self.taken_files().into_iter().map(|(p, _)| p).collect();
        let statics = static_files(statics, |path| pages.contains(path) || generated(path))?;
        statics
            .par_iter()
            .try_for_each(|(path, source)| match source {
                StaticFile::BuiltIn(bytes) => self.write_bytes(path, bytes),
                StaticFile::Copy(source) => self.copy(path, source),
            })?;
        let marker = Output {
            path: MARKER_FILE.into(),
            contents: MARKER_TEXT.into(),
        };
        self.write(&marker)?;
        crate::timings::mark("static files");
        let files = self.taken_files();
        let made: HashSet<&str> = files.iter().map(|(path, _)| path.as_str()).collect();
        let unchanged = files
            .iter()
            .filter(|(path, c)| *c == Change::Same && path != MARKER_FILE)
            .count();
        let mut written = Written {
            files: files.len() - 1,
            unchanged,
            removed: 0,
        };
        // Files of the current output that this build no longer makes:
        // when every file is unchanged they decide whether to swap at
        // all; otherwise they are counted as the old output is removed,
        // which walks it anyway.
        if files.iter().all(|(_, change)| *change == Change::Same) {
            written.removed = self.stale_files(&made);
            crate::timings::mark("find removed");
            if written.removed == 0 {
                files::remove_dir_all(&self.staging)?;
                return Ok(written);
            }
        }
        if let Some(previous) = &self.previous {
            files
                .par_iter()
                .filter(|(_, change)| *change == Change::Same)
                .try_for_each(|(path, _)| {
                    link_or_copy(&previous.join(path), &self.staging.join(path))
                })?;
            crate::timings::mark("link unchanged");
        }
        let old_files = swap_into_place(&self.staging, &self.output)?;
        written.removed = old_files
            .iter()
            .filter(|relative| !made.contains(display_path(relative).as_str()))
            .count();
        Ok(written)
    }

    /// A static file: noted when unchanged, else copied into staging.
    fn copy(&self, path: &str, source: &Path) -> Result<()> {
        let target = self.staging.join(path);
        let same = self.previous.as_ref().is_some_and(|previous| {
            let old = previous.join(path);
            match (std::fs::symlink_metadata(&old), std::fs::metadata(source)) {
                (Ok(old_meta), Ok(new_meta))
                    if old_meta.is_file() && old_meta.len() == new_meta.len() =>
                {
                    matches!((std::fs::read(&old), std::fs::read(source)), (Ok(a), Ok(b)) if a == b)
                }
                _ => false,
            }
        });
        if same {
            self.record(path.to_string(), Change::Same);
            return Ok(());
        }
        if let Some(parent) = target.parent() {
            files::create_dir_all(parent)?;
        }
        files::copy(source, &target)?;
        self.record(path.to_string(), Change::Written);
        Ok(())
    }

    fn taken_files(&self) -> Vec<(String, Change)> {
        self.files
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// How many files of the current output this build no longer makes.
    fn stale_files(&self, made: &HashSet<&str>) -> usize {
        let Some(previous) = &self.previous else {
            return 0;
        };
        files_under(previous)
            .par_iter()
            .filter(|file| {
                let relative = file.strip_prefix(previous).unwrap_or(file);
                !made.contains(display_path(relative).as_str())
            })
            .count()
    }
}

const MARKER_TEXT: &str = "This folder is written by hearth and replaced on every build.\n";

/// The staging and old folders a killed build may leave beside `output`:
/// an old output put back if the output is missing (the fallback swap was
/// cut between its two renames), anything else hearth marked deleted. A
/// folder of these names without the marker is the user's: an error, never
/// deleted.
pub fn clean_leftovers(output: &Path) -> Result<()> {
    for what in ["old", "staging"] {
        let leftover = sibling(output, what)?;
        if std::fs::symlink_metadata(&leftover).is_err() {
            continue;
        }
        if !leftover.is_dir() || !leftover.join(MARKER_FILE).is_file() {
            bail!(
                "{} is in the way: hearth uses this name for a build in progress, and did not make this one; move or rename it",
                display_path(&leftover)
            );
        }
        if what == "old" && std::fs::symlink_metadata(output).is_err() {
            files::rename(&leftover, output)?;
        } else {
            remove_tree(&leftover)?;
        }
    }
    Ok(())
}

/// Moves a previous hearth output at `output` aside (to
/// `.<name>.hearth-removing-<pid>`) and deletes it on a detached thread,
/// with any such folders an earlier process was stopped from removing:
/// the next build then writes into an empty folder instead of deleting
/// thousands of old files before it can finish. Folders without hearth's
/// marker are left alone; the returned thread is for tests to wait on.
pub fn clear_in_background(output: &Path) -> Result<Option<std::thread::JoinHandle<()>>> {
    let parent = output.parent().unwrap_or(Path::new("."));
    let prefix = sibling(output, "removing-")?
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut doomed: Vec<PathBuf> = std::fs::read_dir(parent)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|entry| entry.file_name().to_string_lossy().starts_with(&prefix))
                .map(|entry| entry.path())
                .filter(|path| path.join(MARKER_FILE).is_file())
                .collect()
        })
        .unwrap_or_default();
    if output.join(MARKER_FILE).is_file() {
        let mut aside = parent.join(format!("{prefix}{}", std::process::id()));
        for n in 1.. {
            if std::fs::symlink_metadata(&aside).is_err() {
                break;
            }
            aside = parent.join(format!("{prefix}{}-{n}", std::process::id()));
        }
        files::rename(output, &aside)?;
        doomed.push(aside);
    }
    if doomed.is_empty() {
        return Ok(None);
    }
    Ok(Some(std::thread::spawn(move || {
        for folder in doomed {
            let _ = remove_tree(&folder);
        }
    })))
}

/// Stops the process at a named step of the swap when the environment
/// variable `HEARTH_TEST_ABORT_AT` says so: how the tests kill a build
/// between two steps.
fn test_abort_point(step: &str) {
    if std::env::var_os("HEARTH_TEST_ABORT_AT").is_some_and(|at| at == step) {
        std::process::abort();
    }
}

/// A file of a static layer.
enum StaticFile {
    BuiltIn(&'static [u8]),
    Copy(PathBuf),
}

/// The files of the static layers by output path (a later layer's file
/// wins), without hidden files and without those at a path `generated`
/// claims.
fn static_files(
    layers: &[StaticLayer],
    generated: impl Fn(&str) -> bool,
) -> Result<Vec<(String, StaticFile)>> {
    let mut found: std::collections::BTreeMap<String, StaticFile> = Default::default();
    for layer in layers {
        match layer {
            StaticLayer::BuiltIn => {
                for (path, bytes) in crate::theme::builtin_static() {
                    found.insert(path.to_string(), StaticFile::BuiltIn(bytes));
                }
            }
            StaticLayer::Dir(dir) if dir.is_dir() => {
                for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
                    let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
                    let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
                    let hidden = relative
                        .components()
                        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
                    if !hidden && entry.file_type().is_file() {
                        found.insert(display_path(relative), StaticFile::Copy(entry.into_path()));
                    }
                }
            }
            StaticLayer::Dir(_) => {}
        }
    }
    found.retain(|path, _| !generated(path));
    Ok(found.into_iter().collect())
}

/// Puts the current output's unchanged `from` at `to` in the staging
/// folder: a hard link (no bytes copied), or a copy where the file system
/// has none.
fn link_or_copy(from: &Path, to: &Path) -> Result<()> {
    if let Some(parent) = to.parent() {
        files::create_dir_all(parent)?;
    }
    if std::fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    files::copy(from, to)
}

/// Refuses a page path that would land outside the output folder.
fn check_inside(path: &str) -> Result<()> {
    if path
        .split('/')
        .any(|part| part == ".." || part.is_empty() && path.starts_with('/'))
    {
        bail!("refusing to write outside the output folder: {path}");
    }
    Ok(())
}

/// Writes one output file under `dir`, making its folders.
pub fn write_output(dir: &Path, output: &Output) -> Result<()> {
    check_inside(&output.path)?;
    let path = dir.join(&output.path);
    if let Some(parent) = path.parent() {
        files::create_dir_all(parent)?;
    }
    files::write(&path, &output.contents)
}

/// Writes one output file under `dir` as [`write_output`] does, but
/// through a temporary file renamed over the old one, so a reader sees the
/// old file or the new one, never half of one (`serve` writes into the
/// folder it serves).
pub fn write_output_atomically(dir: &Path, output: &Output) -> Result<()> {
    prepare_output(dir, output)?.commit()
}

/// The first half of [`write_output_atomically`]: the file written beside
/// its place under a temporary name, to be put in place with
/// [`Prepared::commit`] (or dropped, which removes it).
pub fn prepare_output(dir: &Path, output: &Output) -> Result<Prepared> {
    if output
        .path
        .split('/')
        .any(|part| part == ".." || part.is_empty() && output.path.starts_with('/'))
    {
        bail!(
            "refusing to write outside the output folder: {}",
            output.path
        );
    }
    prepare(&dir.join(&output.path), output.contents.as_bytes())
}

/// Writes `path` through a temporary file beside it, renamed over it.
pub fn write_atomically(path: &Path, contents: &[u8]) -> Result<()> {
    prepare(path, contents)?.commit()
}

/// A file written under a temporary name beside `path`.
fn prepare(path: &Path, contents: &[u8]) -> Result<Prepared> {
    let parent = path.parent().unwrap_or(Path::new("."));
    files::create_dir_all(parent)?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temporary = parent.join(format!(".{name}.hearth-{}", std::process::id()));
    files::write(&temporary, contents)?;
    Ok(Prepared {
        temporary: Some(temporary),
        path: path.to_path_buf(),
    })
}

/// A file written beside its place under a temporary name; dropped
/// without [`Prepared::commit`], the temporary file is removed.
pub struct Prepared {
    temporary: Option<PathBuf>,
    path: PathBuf,
}

impl Prepared {
    /// Renames the file over its place.
    pub fn commit(mut self) -> Result<()> {
        let temporary = self.temporary.take().expect("committed once");
        files::rename(&temporary, &self.path).inspect_err(|_| {
            let _ = std::fs::remove_file(&temporary);
        })
    }
}

impl Drop for Prepared {
    fn drop(&mut self) {
        if let Some(temporary) = &self.temporary {
            let _ = std::fs::remove_file(temporary);
        }
    }
}

/// Copies a static folder into `dest`; returns the number of files.
pub fn copy_static(dir: &Path, dest: &Path) -> Result<usize> {
    if !dir.is_dir() {
        return Ok(0);
    }
    let mut count = 0;
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        if relative
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        {
            continue;
        }
        let target = dest.join(relative);
        if entry.file_type().is_dir() {
            files::create_dir_all(&target)?;
        } else if entry.file_type().is_file() {
            files::copy(entry.path(), &target)?;
            count += 1;
        }
    }
    Ok(count)
}

/// `public` → `.public.hearth-<what>` beside it.
fn sibling(output: &Path, what: &str) -> Result<PathBuf> {
    let name = output
        .file_name()
        .with_context(|| format!("the output folder {} has no name", output.display()))?;
    let parent = output.parent().unwrap_or(Path::new("."));
    Ok(parent.join(format!(".{}.hearth-{what}", name.to_string_lossy())))
}

/// Puts the folder `staging` at `output` and deletes what was there. On
/// Linux the two trade places in one step (`renameat2` with
/// `RENAME_EXCHANGE`), so `output` is never missing, even if the process
/// is killed; elsewhere (or on a file system without it) the old output is
/// moved aside first, and a build killed between the two renames is put
/// right by the next one ([`clean_leftovers`]).
pub fn swap_into_place(staging: &Path, output: &Path) -> Result<Vec<PathBuf>> {
    if let Some(parent) = output.parent() {
        files::create_dir_all(parent)?;
    }
    if std::fs::symlink_metadata(output).is_err() {
        files::rename(staging, output)?;
        return Ok(Vec::new());
    }
    if exchange(staging, output)? {
        test_abort_point("after-exchange");
        crate::timings::mark("swap");
        // `staging` now holds the old output.
        let removed = remove_tree(staging);
        crate::timings::mark("remove old");
        return removed;
    }
    let old = sibling(output, "old")?;
    files::rename(output, &old)?;
    test_abort_point("between-renames");
    if let Err(error) = files::rename(staging, output) {
        let _ = std::fs::rename(&old, output);
        return Err(error);
    }
    remove_tree(&old)
}

/// Swaps two folders atomically; `false` where the system cannot (then
/// nothing was changed).
#[cfg(any(target_os = "linux", target_os = "android"))]
fn exchange(a: &Path, b: &Path) -> Result<bool> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    if std::env::var_os("HEARTH_TEST_NO_EXCHANGE").is_some() {
        return Ok(false);
    }
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS | rustix::io::Errno::NOTSUP) => {
            Ok(false)
        }
        Err(error) => Err(std::io::Error::from(error))
            .with_context(|| format!("cannot swap {} and {}", a.display(), b.display())),
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn exchange(_: &Path, _: &Path) -> Result<bool> {
    Ok(false)
}

/// Deletes a folder of many files on all cores (a large site's previous
/// output has thousands); returns the files it held, from the folder.
/// hearth's marker goes after every other file: a removal stopped half way
/// leaves a folder [`clean_leftovers`] and [`clear_in_background`] still
/// know as hearth's.
fn remove_tree(dir: &Path) -> Result<Vec<PathBuf>> {
    let files = files_under(dir);
    let marker = dir.join(MARKER_FILE);
    files
        .par_iter()
        .filter(|file| **file != marker)
        .try_for_each(|file| {
            std::fs::remove_file(file).with_context(|| format!("cannot remove {}", file.display()))
        })?;
    let _ = std::fs::remove_file(&marker);
    files::remove_dir_all(dir)?;
    Ok(files
        .into_iter()
        .map(|file| {
            file.strip_prefix(dir)
                .map(Path::to_path_buf)
                .unwrap_or(file)
        })
        .collect())
}

/// Everything under `dir` that is not a folder (symlinks are not
/// followed), its folders read on all cores: a large site's output has
/// one folder per page. What cannot be read is passed over.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let (mut files, mut folders) = (Vec::new(), Vec::new());
    for entry in entries.filter_map(Result::ok) {
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => folders.push(entry.path()),
            Ok(_) => files.push(entry.path()),
            Err(_) => {}
        }
    }
    files.par_extend(
        folders
            .par_iter()
            .flat_map_iter(|folder| files_under(folder)),
    );
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `outputs` and copies the `statics` layers through a
    /// [`Staging`] folder swapped in as `output`, as a build does; returns
    /// the number of files the output has.
    fn write_site(output: &Path, outputs: &[Output], statics: &[StaticLayer]) -> Result<usize> {
        let staging = Staging::begin(output)?;
        for page in outputs {
            staging.write(page)?;
        }
        Ok(staging.finish(statics, |_| false)?.files)
    }

    /// The names in `dir` (the site folder: what a build left beside the
    /// output).
    fn names_in(dir: &Path) -> Vec<std::ffi::OsString> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect()
    }

    #[test]
    fn refuses_outputs_that_would_destroy_the_site() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        for bad in [
            root.to_path_buf(),
            root.join("content"),
            root.join("content/guides/x"),
            root.parent().unwrap().to_path_buf(),
            PathBuf::from("/"),
        ] {
            assert!(check_output_dir(root, &bad).is_err(), "{}", bad.display());
        }
        assert!(check_output_dir(root, &root.join("public")).is_ok());
    }

    #[test]
    fn refuses_a_file() {
        let site = tempfile::tempdir().unwrap();
        let config = site.path().join("site.toml");
        std::fs::write(&config, "title = \"T\"").unwrap();
        let error = check_output_dir(site.path(), &config).unwrap_err();
        assert!(error.message.contains("it is a file"), "{}", error.message);
    }

    #[test]
    fn refuses_a_full_folder_it_did_not_write() {
        let site = tempfile::tempdir().unwrap();
        let docs = site.path().join("docs");
        std::fs::create_dir_all(&docs).unwrap();
        std::fs::write(docs.join("notes.txt"), "mine").unwrap();
        let error = check_output_dir(site.path(), &docs).unwrap_err();
        assert!(
            error.message.contains("hearth did not write"),
            "{}",
            error.message
        );
    }

    #[test]
    fn an_earlier_output_is_cleared_in_the_background_with_what_stopped_removals_left() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join(".hearth-serve");
        let page = Output {
            path: "a/index.html".into(),
            contents: "one".into(),
        };
        write_site(&out, std::slice::from_ref(&page), &[]).unwrap();
        // What a serve stopped mid-removal left, and a folder of that name
        // hearth did not make.
        let removing = |n: u32| sibling(&out, &format!("removing-{n}")).unwrap();
        let stopped = removing(1);
        write_site(&stopped, std::slice::from_ref(&page), &[]).unwrap();
        let theirs = removing(2);
        std::fs::create_dir_all(&theirs).unwrap();
        std::fs::write(theirs.join("notes.txt"), "mine").unwrap();

        let removal = clear_in_background(&out).unwrap().expect("work to do");
        assert!(!out.exists(), "the output is moved aside at once");
        removal.join().unwrap();
        let mut left = names_in(site.path());
        left.sort();
        assert_eq!(left, [theirs.file_name().unwrap()]);
        assert!(theirs.join("notes.txt").is_file());
        assert!(clear_in_background(&out).unwrap().is_none());
    }

    #[test]
    fn swaps_in_a_new_output_and_removes_the_old() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        let page = |text: &str| Output {
            path: "a/index.html".into(),
            contents: text.into(),
        };
        write_site(&out, &[page("one")], &[]).unwrap();
        write_site(&out, &[page("two")], &[]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "two"
        );
        assert!(out.join(MARKER_FILE).exists());
        assert_eq!(names_in(site.path()), ["public"]);
    }

    fn inode(path: &Path) -> u64 {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).unwrap().ino()
    }

    fn page(path: &str, text: &str) -> Output {
        Output {
            path: path.into(),
            contents: text.into(),
        }
    }

    #[test]
    fn a_build_where_nothing_changed_leaves_every_file_in_place() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        let pages = [page("a/index.html", "one"), page("b/index.html", "two")];
        write_site(&out, &pages, &[]).unwrap();
        let before = inode(&out.join("a/index.html"));
        let folder = inode(&out);
        let staging = Staging::begin(&out).unwrap();
        for p in &pages {
            staging.write(p).unwrap();
        }
        let written = staging.finish(&[], |_| false).unwrap();
        assert_eq!(
            written,
            Written {
                files: 2,
                unchanged: 2,
                removed: 0
            }
        );
        assert_eq!(inode(&out.join("a/index.html")), before);
        assert_eq!(inode(&out), folder, "the output folder was not swapped");
        assert_eq!(names_in(site.path()), ["public"]);
    }

    #[test]
    fn a_file_no_longer_made_is_removed_even_when_every_page_is_unchanged() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        let pages = [page("a/index.html", "one"), page("b/index.html", "two")];
        write_site(&out, &pages, &[]).unwrap();
        std::fs::write(out.join("stale.html"), "old").unwrap();
        let staging = Staging::begin(&out).unwrap();
        for p in &pages {
            staging.write(p).unwrap();
        }
        let written = staging.finish(&[], |_| false).unwrap();
        assert_eq!(
            written,
            Written {
                files: 2,
                unchanged: 2,
                removed: 1
            }
        );
        assert!(!out.join("stale.html").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("b/index.html")).unwrap(),
            "two"
        );
        assert_eq!(names_in(site.path()), ["public"]);
    }

    #[test]
    fn only_changed_files_get_new_bytes_and_files_no_longer_made_go() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        write_site(
            &out,
            &[
                page("a/index.html", "one"),
                page("b/index.html", "two"),
                page("old/index.html", "gone"),
            ],
            &[],
        )
        .unwrap();
        let kept = inode(&out.join("a/index.html"));
        let staging = Staging::begin(&out).unwrap();
        staging.write(&page("a/index.html", "one")).unwrap();
        staging.write(&page("b/index.html", "TWO")).unwrap();
        let written = staging.finish(&[], |_| false).unwrap();
        assert_eq!(
            written,
            Written {
                files: 2,
                unchanged: 1,
                removed: 1
            }
        );
        assert_eq!(
            inode(&out.join("a/index.html")),
            kept,
            "linked, not rewritten"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("b/index.html")).unwrap(),
            "TWO"
        );
        assert!(!out.join("old").exists());
        assert!(out.join(MARKER_FILE).exists());
    }

    #[test]
    fn a_discarded_staging_leaves_the_output_as_it_was() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        write_site(&out, &[page("a/index.html", "one")], &[]).unwrap();
        let staging = Staging::begin(&out).unwrap();
        staging.write(&page("a/index.html", "changed")).unwrap();
        staging.discard();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "one"
        );
        assert_eq!(names_in(site.path()), ["public"]);
    }

    #[test]
    fn static_files_are_copied_unless_a_page_replaces_them() {
        let site = tempfile::tempdir().unwrap();
        let theme = site.path().join("theme");
        let own = site.path().join("static");
        std::fs::create_dir_all(&theme).unwrap();
        std::fs::create_dir_all(&own).unwrap();
        std::fs::write(theme.join("style.css"), "theme").unwrap();
        std::fs::write(own.join("style.css"), "site").unwrap();
        std::fs::write(own.join("robots.txt"), "mine").unwrap();
        std::fs::write(own.join(".hidden"), "no").unwrap();
        let out = site.path().join("public");
        let layers = [StaticLayer::Dir(theme), StaticLayer::Dir(own)];
        let files = write_site(&out, &[page("robots.txt", "hearth's")], &layers).unwrap();
        assert_eq!(files, 2);
        assert_eq!(
            std::fs::read_to_string(out.join("style.css")).unwrap(),
            "site"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("robots.txt")).unwrap(),
            "hearth's"
        );
        assert!(!out.join(".hidden").exists());
    }
}
