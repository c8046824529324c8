//! Every file of `content/` as last loaded: a change re-reads one file (or
//! one folder), and the site is re-assembled from the others' copies.

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{
    assemble_site, content_files, load_file, missing_content_dir, LoadOptions, Loaded, LoadedSite,
};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One file as loaded: parsed, or why not.
pub type FileResult = Result<Loaded, Diagnostic>;

pub struct SourceCache {
    root: PathBuf,
    options: LoadOptions,
    /// By path from `content/`; [`PathBuf`] order is the walk's order, so
    /// assembling gives what `load_site` would.
    files: BTreeMap<PathBuf, FileResult>,
}

impl SourceCache {
    /// Loads every file of the site's `content/`.
    pub fn load(
        config: &SiteConfig,
        options: LoadOptions,
        diagnostics: &mut Diagnostics,
    ) -> SourceCache {
        let mut cache = SourceCache {
            root: config.root.clone(),
            options,
            files: BTreeMap::new(),
        };
        let content = config.content_dir();
        if content.is_dir() {
            let files = content_files(&content, diagnostics);
            cache.load_files(files);
        }
        cache
    }

    /// Re-reads what is now at `relative` (a path under `content/`): a file,
    /// a folder with everything in it, or nothing (deleted or moved away).
    /// Returns the file's previous version when a file was re-read.
    pub fn refresh(&mut self, relative: &Path) -> Option<FileResult> {
        let path = self.root.join("content").join(relative);
        if path.is_file() {
            let result = load_file(&self.root, relative, self.options);
            return self.files.insert(relative.to_path_buf(), result);
        }
        self.forget_under(relative);
        if path.is_dir() {
            let mut ignored = Diagnostics::default();
            let files = content_files(&path, &mut ignored)
                .into_iter()
                .map(|inside| relative.join(inside))
                .collect();
            self.load_files(files);
        }
        None
    }

    /// The current version of one file.
    pub fn get(&self, relative: &Path) -> Option<&FileResult> {
        self.files.get(relative)
    }

    /// The site as `load_site` would read it now. Files that failed to load
    /// put their errors into `diagnostics`.
    pub fn assemble(&self, diagnostics: &mut Diagnostics) -> LoadedSite {
        if !self.root.join("content").is_dir() {
            diagnostics.push(missing_content_dir());
            return LoadedSite::default();
        }
        // Copies in parallel: even shared texts leave many small values.
        let files: Vec<&FileResult> = self.files.values().collect();
        let copies: Vec<FileResult> = files.into_par_iter().cloned().collect();
        assemble_site(copies, diagnostics)
    }

    fn load_files(&mut self, files: Vec<PathBuf>) {
        let loaded: Vec<(PathBuf, FileResult)> = files
            .into_par_iter()
            .map(|relative| {
                let result = load_file(&self.root, &relative, self.options);
                (relative, result)
            })
            .collect();
        self.files.extend(loaded);
    }

    /// Drops `relative` and every file under it.
    fn forget_under(&mut self, relative: &Path) {
        let gone: Vec<PathBuf> = self
            .files
            .range(relative.to_path_buf()..)
            .map(|(path, _)| path)
            .take_while(|path| path.starts_with(relative))
            .cloned()
            .collect();
        for path in gone {
            self.files.remove(&path);
        }
    }
}
