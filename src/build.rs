//! The pipeline end to end: config → load → resolve → render → write.
//! `build` runs all of it; `check` stops before writing.

use crate::config::{load_config, SiteConfig};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{LoadOptions, LoadedSite, Sources};
use crate::render::search::{is_index_path, IndexSource};
use crate::render::{fingerprint_pages, list_pages, render_pages_with, PageKind, Templates};
use crate::resolve::{resolve_site, Site};
use crate::theme::{skipped_theme_files, static_layers};
use crate::timings;
use crate::write::{
    absolute, check_output_dir, clean_leftovers, set_member_fingerprint, PageRecords, Staging,
    Written,
};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Overrides `[build] output_dir`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url`.
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Warnings are errors (unmatched Read-more lines, broken links,
    /// missing lesson parts).
    pub strict: bool,
}

/// What a finished build did.
#[derive(Debug)]
pub struct BuildReport {
    pub output: PathBuf,
    /// HTML pages written.
    pub pages: usize,
    /// All files of the output, static ones included.
    pub files: usize,
    /// Of those, the files that already had these bytes and were left as
    /// they were.
    pub unchanged: usize,
    /// Of the pages, those not rendered at all: the output already had
    /// them as recorded by the previous build (`write::PageRecords`).
    pub kept: usize,
    /// Files of the previous output this build no longer makes.
    pub removed: usize,
    pub diagnostics: Diagnostics,
    pub elapsed: Duration,
}

impl BuildReport {
    /// The one line `build` ends with.
    pub fn summary(&self) -> String {
        let warnings = self.diagnostics.warning_count();
        format!(
            "hearth: wrote {} pages ({} files{}{}) to {}, {} warning{}, {:.2} s",
            self.pages,
            self.files,
            match (self.unchanged, self.kept) {
                (0, _) => String::new(),
                (n, 0) => format!(", {n} unchanged"),
                (n, kept) => format!(", {n} unchanged, {kept} pages not re-rendered"),
            },
            match self.removed {
                0 => String::new(),
                n => format!(", {n} removed"),
            },
            self.output.display(),
            warnings,
            if warnings == 1 { "" } else { "s" },
            self.elapsed.as_secs_f64()
        )
    }
}

/// A site after the stages that check it, ready to render.
pub struct Checked {
    pub site: Site,
    pub templates: Templates,
}

/// Runs config → load → resolve and loads the templates. Every problem
/// goes to `diagnostics`; `None` when the site cannot be rendered.
pub fn load_and_resolve(
    root: &Path,
    base_url: Option<&str>,
    drafts: bool,
    diagnostics: &mut Diagnostics,
) -> Option<Checked> {
    let config: SiteConfig = match load_config(root, base_url) {
        Ok(config) => config,
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            return None;
        }
    };
    diagnostics.extend(config.warnings.iter().cloned());
    timings::mark("config");
    // Parsing the templates takes one core for a while whatever the
    // site's size; beside the load it fills the gaps the load leaves.
    let (templates, sources) = rayon::join(
        || Templates::load(&config),
        || load_content(&config, drafts),
    );
    let loaded = sources.into_site(diagnostics);
    timings::mark("load, templates");
    let site = resolve(config, loaded, diagnostics);
    let pages = output_paths(&site);
    diagnostics.extend(check_folders(&site.config, |path| pages.contains(path)));
    timings::mark("output paths, check folders");
    match templates {
        Ok(templates) => Some(Checked { site, templates }),
        Err(errors) => {
            diagnostics.extend(errors);
            None
        }
    }
}

/// The load stage: every file of `content/`, read.
pub fn load_content(config: &SiteConfig, drafts: bool) -> Sources {
    Sources::load(config, load_options(config, drafts))
}

/// The resolve stage. Problems go to `diagnostics`.
pub fn resolve(config: SiteConfig, loaded: LoadedSite, diagnostics: &mut Diagnostics) -> Site {
    resolve_site(config, loaded, diagnostics)
}

/// The resolve stage as `serve` runs it after a change: what `kept` has
/// from the resolve before is taken again where its inputs are the same.
pub fn resolve_again(
    config: SiteConfig,
    loaded: LoadedSite,
    diagnostics: &mut Diagnostics,
    kept: &mut crate::resolve::Kept,
) -> Site {
    crate::resolve::resolve_site_keeping(config, loaded, diagnostics, kept)
}

/// The checks of the folders beside `content/` (warnings): what
/// `templates/` and `static/` hold that hearth does not use, and static
/// files that a page replaces. `is_page` tells an output path of a page.
/// `build`, `check` and `serve` (after any change to these folders) run it.
pub fn check_folders(config: &SiteConfig, is_page: impl Fn(&str) -> bool) -> Vec<Diagnostic> {
    let mut warnings = skipped_theme_files(config);
    warnings.extend(shadowed_static_files(config, is_page));
    warnings
}

/// Options of the load stage: drafts when asked for on the command line or
/// in `[build] drafts`.
pub fn load_options(config: &SiteConfig, drafts: bool) -> LoadOptions {
    LoadOptions {
        drafts: drafts || config.config.build.drafts,
    }
}

/// Files of the site's `static/` that a generated page or the search index
/// replaces (a warning: the page or the index wins). The theme's static files are the theme's business.
fn shadowed_static_files(config: &SiteConfig, is_page: impl Fn(&str) -> bool) -> Vec<Diagnostic> {
    let dir = config.root.join("static");
    if !dir.is_dir() {
        return Vec::new();
    }
    walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .filter_map(|entry| {
            let relative = crate::diagnostics::display_path(entry.path().strip_prefix(&dir).ok()?);
            let file = std::path::Path::new("static").join(&relative);
            if is_index_path(&config.config.search, &relative) {
                return Some(
                    Diagnostic::warning(file, format!("/{relative} is part of the search index hearth writes, so this file is not copied"))
                        .help("rename or move it: search/meta.json, search/terms/ and search/docs/ are the index's (or set [search] enabled = false)"),
                );
            }
            is_page(&relative).then(|| {
                Diagnostic::warning(
                    file,
                    format!("hearth writes /{relative} itself, so this file is not copied"),
                )
                .help("rename or move it; a page of the site keeps this URL")
            })
        })
        .collect()
}

/// The output path of every page of the site.
pub fn output_paths(site: &Site) -> std::collections::HashSet<String> {
    list_pages(site)
        .into_iter()
        .map(|kind| kind.output_path(site))
        .collect()
}

/// Builds the site. On any error nothing is written and the previous
/// output stays; the diagnostics say why.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let mut diagnostics = Diagnostics::default();
    let checked = load_and_resolve(
        &options.root,
        options.base_url.as_deref(),
        options.drafts,
        &mut diagnostics,
    );
    let mut diagnostics = diagnostics.without_notes();
    if options.strict {
        diagnostics.make_strict();
    }
    let Some(checked) = checked else {
        return Err(diagnostics);
    };
    let config = &checked.site.config;
    let output = output_dir(&options.root, config, options.output.as_deref());
    match check_output_dir(&options.root, &output) {
        // A build killed mid-swap is put right first, failed or not.
        Ok(()) => {
            if let Err(error) = clean_leftovers(&absolute(&output)) {
                diagnostics.push(write_error(&output, error.as_ref()));
            }
        }
        Err(diagnostic) => diagnostics.push(diagnostic),
    }
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    match render_and_write(&checked, &output, options.strict, &mut diagnostics) {
        Ok(written) => Ok(BuildReport {
            output,
            pages: written.pages,
            files: written.files,
            unchanged: written.unchanged,
            kept: written.kept,
            removed: written.removed,
            diagnostics,
            elapsed: started.elapsed(),
        }),
        Err(()) => Err(diagnostics),
    }
}

/// What [`render_and_write`] put in the output.
struct Made {
    pages: usize,
    files: usize,
    unchanged: usize,
    kept: usize,
    removed: usize,
}

/// Renders every page straight into the output's staging folder, then
/// swaps it in, unless something failed (reported in `diagnostics`; the
/// output is left as it was).
fn render_and_write(
    checked: &Checked,
    output: &Path,
    strict: bool,
    diagnostics: &mut Diagnostics,
) -> Result<Made, ()> {
    let cannot_write = |error: anyhow::Error| write_error(output, error.as_ref());
    let staging = match Staging::begin(output) {
        Ok(staging) => staging,
        Err(error) => {
            diagnostics.push(cannot_write(error));
            return Err(());
        }
    };
    let site = &checked.site;
    let kinds = list_pages(site);
    let (fingerprints, (index_source, index_fingerprint)) = rayon::join(
        || fingerprint_pages(site, &checked.templates, &kinds),
        || search_index_fingerprint(site),
    );
    let paths: Vec<String> = kinds.iter().map(|kind| kind.output_path(site)).collect();
    timings::mark("fingerprint");
    let records = if staging.has_previous() {
        PageRecords::read(&absolute(output))
    } else {
        PageRecords::default()
    };
    let (to_render, kept) = match pages_to_render(&kinds, &paths, &fingerprints, &records, &staging)
    {
        Ok(chosen) => chosen,
        Err(error) => {
            diagnostics.push(cannot_write(error));
            staging.discard();
            return Err(());
        }
    };
    let kept_index = index_fingerprint.and_then(|fingerprint| {
        records.unchanged_set(
            |path| is_index_path(&site.config.config.search, path),
            fingerprint,
        )
    });
    timings::mark("compare records");
    // The search index reads only the site, so it is made beside the
    // pages: its work fills the cores the render leaves idle (its last
    // pages, the writes) instead of adding a stage after it.
    let ((mut pages, errors), index) = rayon::join(
        || {
            render_pages_with(site, &checked.templates, &to_render, |page| {
                staging.write(&page)
            })
        },
        || match &kept_index {
            Some(paths) => keep_search_index(paths, &staging),
            None => write_search_index(index_source, &staging),
        },
    );
    timings::mark("render, write, search index");
    diagnostics.extend(errors);
    let html_pages = paths
        .iter()
        .chain(index.iter().map(|(path, _)| path))
        .filter(|path| path.ends_with(".html"))
        .count();
    let index_paths: Vec<String> = index.iter().map(|(path, _)| path.clone()).collect();
    pages.extend(index);
    if let Some(error) = pages.into_iter().find_map(|(_, written)| written.err()) {
        diagnostics.push(cannot_write(error));
    }
    if strict {
        diagnostics.make_strict();
    }
    if diagnostics.has_errors() {
        staging.discard();
        return Err(());
    }
    match finish_staging(staging, &checked.site.config) {
        Ok(written) => {
            // When no page or index file was made and the output was left
            // as it was, the records already say what they would say.
            let untouched = written.unchanged == written.files && written.removed == 0;
            let index_made = index_fingerprint.is_some() && kept_index.is_none();
            if !(to_render.is_empty() && !index_made && untouched) {
                let mut recorded: Vec<(String, u64)> = paths
                    .into_iter()
                    .zip(fingerprints)
                    .filter_map(|(path, fingerprint)| Some((path, fingerprint?)))
                    .collect();
                if let Some(fingerprint) = index_fingerprint {
                    let each = set_member_fingerprint(fingerprint, index_paths.len());
                    recorded.extend(index_paths.into_iter().map(|path| (path, each)));
                }
                PageRecords::write(&absolute(output), &recorded);
                timings::mark("records");
            }
            Ok(Made {
                pages: html_pages,
                files: written.files,
                unchanged: written.unchanged,
                kept,
                removed: written.removed,
            })
        }
        Err(error) => {
            diagnostics.push(cannot_write(error));
            Err(())
        }
    }
}

/// Writes the search index into the staging folder as it is made; the
/// results are the same shape as the pages'.
/// Copies the static folders into `staging` and swaps it in: the last
/// stage of `build` and of `serve`'s full build. A page, or the search
/// index, wins over a static file at its path.
pub fn finish_staging(staging: Staging, config: &SiteConfig) -> anyhow::Result<Written> {
    staging.finish(&static_layers(config), |path| {
        is_index_path(&config.config.search, path)
    })
}

fn write_search_index(source: IndexSource, staging: &Staging) -> Vec<(String, anyhow::Result<()>)> {
    source.files_with(|file| staging.write(&file))
}

/// Hands the search index of the current output to `staging` as it is:
/// its files are recorded as made from this very index fingerprint.
fn keep_search_index(paths: &[String], staging: &Staging) -> Vec<(String, anyhow::Result<()>)> {
    paths
        .iter()
        .map(|path| (path.clone(), staging.keep(path)))
        .collect()
}

/// What the search index of `site` is made from, gathered, and hashed;
/// no hash when search is off. Equal fingerprints, equal index files, so a
/// build whose current output has the index recorded with this
/// fingerprint keeps it.
fn search_index_fingerprint(site: &Site) -> (IndexSource<'_>, Option<u64>) {
    let source = IndexSource::gather(site);
    let fingerprint = site
        .config
        .config
        .search
        .enabled
        .then(|| source.fingerprint());
    (source, fingerprint)
}

/// The pages that must be rendered: all but those the current output has
/// as they would be made (their fingerprint and file are the recorded
/// ones), which are handed to `staging` as kept; and how many HTML pages
/// were kept. With two pages for one path, every page is rendered, so the
/// collision is reported.
fn pages_to_render(
    kinds: &[PageKind],
    paths: &[String],
    fingerprints: &[Option<u64>],
    records: &PageRecords,
    staging: &Staging,
) -> anyhow::Result<(Vec<PageKind>, usize)> {
    use rayon::prelude::*;
    let unique = paths.iter().collect::<std::collections::HashSet<_>>().len() == paths.len();
    if !unique {
        return Ok((kinds.to_vec(), 0));
    }
    let kept: Vec<bool> = paths
        .par_iter()
        .zip(fingerprints)
        .map(|(path, fingerprint)| fingerprint.is_some_and(|f| records.unchanged(path, f)))
        .collect();
    let mut to_render = Vec::new();
    let mut kept_pages = 0;
    for ((kind, path), kept) in kinds.iter().zip(paths).zip(kept) {
        if kept {
            staging.keep(path)?;
            kept_pages += usize::from(path.ends_with(".html"));
        } else {
            to_render.push(*kind);
        }
    }
    Ok((to_render, kept_pages))
}

fn write_error(output: &Path, error: &dyn std::error::Error) -> Diagnostic {
    Diagnostic::error(
        output,
        format!(
            "cannot write the site: {}",
            crate::render::error_chain(error)
        ),
    )
    .help("check the folder's permissions and free space; the previous output is unchanged")
}

/// Where a build writes: `--output`, else `[build] output_dir` of the site.
fn output_dir(root: &Path, config: &SiteConfig, output: Option<&Path>) -> PathBuf {
    output.map_or_else(
        || root.join(&config.config.build.output_dir),
        Path::to_path_buf,
    )
}

/// Everything `build` validates, strictly, with nothing written — the
/// output folder included. Notes (planned weeks with no days yet) are
/// included.
pub fn check(root: &Path) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    if let Some(checked) = load_and_resolve(root, None, false, &mut diagnostics) {
        let output = output_dir(root, &checked.site.config, None);
        if let Err(diagnostic) = check_output_dir(root, &output) {
            diagnostics.push(diagnostic);
        }
        // Every page is rendered and let go.
        let kinds = list_pages(&checked.site);
        let (_, errors) = render_pages_with(&checked.site, &checked.templates, &kinds, drop);
        timings::mark("render");
        diagnostics.extend(errors);
    }
    diagnostics.make_strict();
    diagnostics
}
