//! Every file of `content/` as loaded: what the load stage reads, kept so
//! that `serve` can re-read one file (or one folder) after a change and
//! assemble the site again from the others' copies. `build` and `check`
//! read it once.

use super::{
    assemble_site, content_files, load_file_digest, missing_content_dir, LoadOptions, Loaded,
    LoadedSite,
};
use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One file as loaded: parsed, or why not.
pub type FileResult = Result<Loaded, Diagnostic>;

/// One file: a hash of its bytes and what loading them gave.
struct File {
    digest: u64,
    result: FileResult,
}

pub struct Sources {
    root: PathBuf,
    options: LoadOptions,
    /// By path from `content/`; [`PathBuf`] order is the walk's order, so
    /// assembling gives the same site whatever was re-read.
    files: BTreeMap<PathBuf, File>,
    /// What walking `content/` found wrong (unreadable folders).
    walk: Diagnostics,
}

impl Sources {
    /// Loads every file of the site's `content/`.
    pub fn load(config: &SiteConfig, options: LoadOptions) -> Sources {
        let mut sources = Sources {
            root: config.root.clone(),
            options,
            files: BTreeMap::new(),
            walk: Diagnostics::default(),
        };
        let files = sources.walk();
        sources.load_files(files);
        sources
    }

    /// Re-reads what is now at `relative` (a path under `content/`): a file,
    /// a folder with everything in it, or nothing (deleted or moved away).
    /// Returns whether anything differs from before: a file saved with the
    /// same bytes (or only touched) is no change.
    pub fn refresh(&mut self, relative: &Path) -> bool {
        let path = self.root.join("content").join(relative);
        let is_file = std::fs::symlink_metadata(&path).is_ok_and(|meta| meta.is_file());
        if is_file && !relative.as_os_str().is_empty() {
            let (digest, result) = load_file_digest(&self.root, relative, self.options);
            if self
                .files
                .get(relative)
                .is_some_and(|old| old.digest == digest && digest != 0)
            {
                return false;
            }
            let old = self
                .files
                .insert(relative.to_path_buf(), File { digest, result });
            return old.is_none_or(|old| old.digest != digest);
        }
        let before = self.digests_under(relative);
        let mut kept = self.take_under(relative);
        let inside = self.walk_under(relative);
        let (reused, fresh): (Vec<PathBuf>, Vec<PathBuf>) =
            inside.into_iter().partition(|file| kept.contains_key(file));
        for file in reused {
            // Still there (a folder event): re-read it only if it changed.
            let (digest, result) = load_file_digest(&self.root, &file, self.options);
            let old = kept.remove(&file).expect("partitioned on it");
            let entry = if old.digest == digest {
                old
            } else {
                File { digest, result }
            };
            self.files.insert(file, entry);
        }
        self.load_files(fresh);
        before != self.digests_under(relative)
    }

    /// The site as the load stage gives it now. Files that failed to load
    /// put their errors into `diagnostics`.
    pub fn assemble(&self, diagnostics: &mut Diagnostics) -> LoadedSite {
        if !self.root.join("content").is_dir() {
            diagnostics.push(missing_content_dir());
            return LoadedSite::default();
        }
        diagnostics.extend(self.walk.iter().cloned());
        // Copies in parallel: even shared texts leave many small values.
        let files: Vec<&File> = self.files.values().collect();
        let copies: Vec<FileResult> = files
            .into_par_iter()
            .map(|file| file.result.clone())
            .collect();
        assemble_site(copies, diagnostics)
    }

    /// Each file's path from `content/` (as `@/` links write it) and the
    /// hash of its bytes.
    pub fn digests(&self) -> impl Iterator<Item = (std::borrow::Cow<'_, str>, u64)> + '_ {
        self.files.iter().map(|(path, file)| {
            let path = path.to_string_lossy();
            let path = if path.contains('\\') {
                std::borrow::Cow::Owned(path.replace('\\', "/"))
            } else {
                path
            };
            (path, file.digest)
        })
    }

    /// The site, when the files are not needed again.
    pub fn into_site(self, diagnostics: &mut Diagnostics) -> LoadedSite {
        if !self.root.join("content").is_dir() {
            diagnostics.push(missing_content_dir());
            return LoadedSite::default();
        }
        diagnostics.extend(self.walk);
        assemble_site(
            self.files.into_values().map(|file| file.result),
            diagnostics,
        )
    }

    /// Walks `content/`: its files, and what went wrong walking it.
    fn walk(&mut self) -> Vec<PathBuf> {
        self.walk = Diagnostics::default();
        self.walk_under(Path::new(""))
    }

    /// Walks the folder `relative` of `content/` again: its files (from
    /// `content/`), and what went wrong walking it in place of what did
    /// before.
    fn walk_under(&mut self, relative: &Path) -> Vec<PathBuf> {
        let content = self.root.join("content");
        let folder = content.join(relative);
        let mut walk = Diagnostics::default();
        let kept = std::mem::take(&mut self.walk);
        walk.extend(kept.into_iter().filter(|d| !d.file.starts_with(&folder)));
        let is_folder = std::fs::symlink_metadata(&folder).is_ok_and(|meta| meta.is_dir());
        let files = if is_folder {
            content_files(&folder, &mut walk)
                .into_iter()
                .map(|inside| relative.join(inside))
                .collect()
        } else {
            Vec::new()
        };
        self.walk = walk;
        files
    }

    fn load_files(&mut self, files: Vec<PathBuf>) {
        let loaded: Vec<(PathBuf, File)> = files
            .into_par_iter()
            .map(|relative| {
                let (digest, result) = load_file_digest(&self.root, &relative, self.options);
                (relative, File { digest, result })
            })
            .collect();
        self.files.extend(loaded);
    }

    /// The files at or under `relative`, with their digests.
    fn digests_under(&self, relative: &Path) -> Vec<(PathBuf, u64)> {
        self.files
            .range(relative.to_path_buf()..)
            .take_while(|(path, _)| path.starts_with(relative))
            .map(|(path, file)| (path.clone(), file.digest))
            .collect()
    }

    /// Removes `relative` and every file under it, and returns them.
    fn take_under(&mut self, relative: &Path) -> BTreeMap<PathBuf, File> {
        let mut rest = self.files.split_off(relative);
        let after: Vec<PathBuf> = rest
            .keys()
            .skip_while(|path| path.starts_with(relative))
            .take(1)
            .cloned()
            .collect();
        let mut tail = match after.first() {
            Some(first) => rest.split_off(first),
            None => BTreeMap::new(),
        };
        self.files.append(&mut tail);
        rest
    }
}
