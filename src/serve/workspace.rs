//! The site as `serve` keeps it between changes — configuration, every
//! loaded content file, templates, the last good resolved [`Site`] and the
//! fingerprint of every page in the serve folder — and the serve folder
//! rendered from it. [`Workspace::rebuild`] applies one batch of changes
//! and reports what it did.
//!
//! It runs the stages `build` runs ([`crate::build`]: load, resolve with
//! its site checks, render), on what changed: the changed files are read
//! again, the site is resolved from the files as they are now, its facts
//! are compared with those the serve folder was made from, the pages that
//! read a changed fact (and the new pages) are fingerprinted
//! ([`crate::render::dependencies`]), and the pages whose fingerprint
//! differs from the one in the serve folder are rendered and written;
//! output paths the site no longer has are removed.

use super::search_index::SearchIndex;
use super::watch::ChangeKind;
use crate::build::{check_folders, finish_staging, load_content, resolve_again};
use crate::config::{load_config, SiteConfig};
use crate::diagnostics::{display_path, Diagnostic, Diagnostics};
use crate::files;
use crate::load::Sources;
use crate::render::dependencies::facts::{FactTable, Readers};
use crate::render::search::is_index_path;
use crate::render::{
    dependencies::RenderCache, fingerprint_pages_reading, list_pages, render_pages_cached,
    shared_fingerprint, Fingerprinted, PageKind, Templates,
};
use crate::resolve::Site;
use crate::theme::{builtin_static, static_layers, StaticLayer};
use crate::write::{prepare_output, write_atomically, Prepared, Staging};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What one rebuild did.
#[derive(Debug, Default, Clone)]
pub struct RebuildReport {
    /// Everything was loaded and rendered again (first build, `site.toml`).
    pub full: bool,
    /// The changed paths that caused it, from the site root.
    pub changed: Vec<String>,
    /// Output paths rendered and written (`journeys/x/day-3/index.html`).
    pub rendered: Vec<String>,
    /// Output paths removed (their page is gone).
    pub removed: Vec<String>,
    /// Static files copied (or removed), from the output root.
    pub copied: Vec<String>,
    /// The errors of this rebuild (any error means nothing was rendered)
    /// and every warning of the site it built or tried to build: what
    /// `hearth build` would report now.
    pub diagnostics: Diagnostics,
    /// Pages fingerprinted again because a fact they read changed, or
    /// because they are new (every page after a full build).
    pub looked_at: usize,
    /// Output paths written before the rest of the rebuild, and their
    /// pages told to reload ([`Viewers::written_first`]).
    pub announced: Vec<String>,
    /// How long after the change those were written.
    pub announced_after: Option<Duration>,
    /// With [`Workspace::check_reads`] on: the output paths of pages whose
    /// fingerprint changed although no fact they read did — a dependency
    /// that is not recorded (they are rendered all the same).
    pub unrecorded: Vec<String>,
    pub elapsed: Duration,
}

impl RebuildReport {
    pub fn failed(&self) -> bool {
        self.diagnostics.has_errors()
    }

    /// Whether the output changed at all.
    pub fn touched_output(&self) -> bool {
        !(self.rendered.is_empty() && self.removed.is_empty() && self.copied.is_empty())
    }
}

/// The pages open in a browser: a rebuild that looks at other pages too
/// fingerprints them first, and renders, writes and tells those that
/// changed before it goes on with the rest.
pub trait Viewers {
    /// The output paths of the pages open now (`guides/trust/index.html`).
    fn viewed(&self) -> Vec<String>;
    /// `pages` (output paths) are written; the rest of the rebuild follows.
    fn written_first(&self, pages: &[String]);
}

/// No page is open: every page is written in one go.
pub struct NoViewers;

impl Viewers for NoViewers {
    fn viewed(&self) -> Vec<String> {
        Vec::new()
    }

    fn written_first(&self, _: &[String]) {}
}

/// Where a workspace reads and writes, and how it builds.
#[derive(Debug, Clone)]
pub struct Settings {
    pub root: PathBuf,
    /// The serve folder (never the site's `public/`).
    pub output: PathBuf,
    /// The local address links are made with.
    pub base_url: String,
    pub drafts: bool,
}

pub struct Workspace {
    settings: Settings,
    /// `None` until `site.toml` loads.
    state: Option<State>,
    /// `site.toml` changed or failed to load: the next rebuild is full.
    needs_full: bool,
    /// The bytes of `site.toml` at the last full build, so a save that
    /// changes nothing is no change.
    config_bytes: Option<Vec<u8>>,
    /// The search index of the serve folder, brought up to date after each
    /// rebuild in the background.
    search: SearchIndex,
    /// Markdown rendered by earlier rebuilds, by what decides it.
    cache: RenderCache,
    /// What the last resolve worked out, for the next to take again.
    kept: crate::resolve::Kept,
    /// Fingerprint every page after each change too, and report the pages
    /// the recorded facts missed ([`RebuildReport::unrecorded`]).
    check_reads: bool,
}

struct State {
    config: SiteConfig,
    sources: Sources,
    /// The templates on disk, or why they do not load.
    templates: Result<Templates, Diagnostics>,
    /// What the serve folder shows; `None` until a build succeeds.
    shown: Option<Shown>,
    /// Content or templates changed since the serve folder was written
    /// (a failed rebuild leaves it so; the next change retries).
    stale: bool,
}

/// What the serve folder shows.
struct Shown {
    /// Output path → fingerprint of the page written there.
    fingerprints: rapidhash::RapidHashMap<String, u64>,
    /// Which facts each of those pages read.
    readers: Readers,
    /// The facts of the site they were made from.
    facts: FactTable,
    /// What every page depends on alike (the `site` key, the templates).
    shared: u64,
    /// The warnings of the content (those `build` would print).
    warnings: Diagnostics,
    /// The warnings of `templates/` and `static/` ([`check_folders`]).
    folder_warnings: Vec<Diagnostic>,
}

impl Workspace {
    pub fn new(settings: Settings) -> Workspace {
        Workspace {
            settings,
            state: None,
            needs_full: true,
            config_bytes: None,
            search: SearchIndex::default(),
            cache: RenderCache::default(),
            kept: crate::resolve::Kept::default(),
            check_reads: false,
        }
    }

    /// With `on`, every rebuild also fingerprints every page and reports
    /// in [`RebuildReport::unrecorded`] each page whose fingerprint changed
    /// although no fact it read did (for tests: it costs a fingerprint of
    /// the whole site per change).
    pub fn check_reads(&mut self, on: bool) {
        self.check_reads = on;
    }

    /// The search index of the serve folder (shared: [`SearchIndex::wait`]
    /// waits for it to be written).
    pub fn search_index(&self) -> &SearchIndex {
        &self.search
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Loads and renders everything into the serve folder.
    pub fn build_all(&mut self) -> RebuildReport {
        let started = Instant::now();
        let mut report = RebuildReport {
            full: true,
            ..RebuildReport::default()
        };
        self.config_bytes = std::fs::read(self.config_file()).ok();
        let config = match load_config(&self.settings.root, Some(&self.settings.base_url)) {
            Ok(config) => SiteConfig {
                preview: true,
                ..config
            },
            Err(diagnostic) => {
                self.needs_full = true;
                report.diagnostics.push(diagnostic);
                report.elapsed = started.elapsed();
                return report;
            }
        };
        let sources = load_content(&config, self.settings.drafts);
        crate::timings::mark("load");
        let templates = Templates::load(&config);
        crate::timings::mark("templates");
        self.state = Some(State {
            config,
            sources,
            templates,
            shown: None,
            stale: true,
        });
        self.needs_full = false;
        self.render_changes(&mut report, &NoViewers, started);
        report.elapsed = started.elapsed();
        report
    }

    /// Applies a batch of changes: re-reads the changed content files,
    /// reloads templates, copies static files, and renders the pages the
    /// changes touch. `None` when nothing changed (a file saved with the
    /// same bytes, a `touch`). A failed rebuild writes no page and keeps
    /// its changes for the next one.
    pub fn rebuild(&mut self, changes: &BTreeSet<ChangeKind>) -> Option<RebuildReport> {
        self.rebuild_for(changes, &NoViewers)
    }

    /// [`Workspace::rebuild`], writing the pages open in `viewers` first
    /// when it looks at other pages too.
    pub fn rebuild_for(
        &mut self,
        changes: &BTreeSet<ChangeKind>,
        viewers: &dyn Viewers,
    ) -> Option<RebuildReport> {
        let started = Instant::now();
        let changed = changes.iter().map(|c| self.describe(c)).collect();
        let config_changed = changes.contains(&ChangeKind::Config)
            && std::fs::read(self.config_file()).ok() != self.config_bytes;
        if self.needs_full || self.state.is_none() || config_changed {
            let mut report = self.build_all();
            report.changed = changed;
            return Some(report);
        }
        let mut report = RebuildReport {
            changed,
            ..RebuildReport::default()
        };
        let mut changed_site = false;
        let mut reload_templates = false;
        let mut statics = Vec::new();
        for change in changes {
            match change {
                ChangeKind::Config => {}
                ChangeKind::Content(relative) => {
                    changed_site |= self.state_mut().sources.refresh(relative);
                }
                ChangeKind::Template { theme, .. } if self.is_active_theme(theme) => {
                    reload_templates = true;
                }
                ChangeKind::Static { theme, path } if self.is_active_theme(theme) => {
                    statics.push(path.clone());
                }
                ChangeKind::Template { .. } | ChangeKind::Static { .. } => {}
            }
        }
        if reload_templates {
            changed_site |= self.reload_templates();
        }
        let state = self.state_mut();
        state.stale |= changed_site;
        if state.stale || state.shown.is_none() {
            self.render_changes(&mut report, viewers, started);
        } else {
            if reload_templates || !statics.is_empty() {
                changed_site |= self.check_folders_again();
            }
            if let Some(shown) = &self.state().shown {
                report.diagnostics.extend(shown.warnings.iter().cloned());
                report
                    .diagnostics
                    .extend(shown.folder_warnings.iter().cloned());
            }
        }
        for path in statics {
            match self.copy_static_change(&path) {
                Ok(Some(copied)) => report.copied.push(copied),
                Ok(None) => {}
                Err(error) => report
                    .diagnostics
                    .push(write_error(&self.settings.output, error)),
            }
        }
        report.elapsed = started.elapsed();
        (report.touched_output() || report.failed() || changed_site).then_some(report)
    }

    fn config_file(&self) -> PathBuf {
        self.settings.root.join(crate::config::CONFIG_FILE)
    }

    fn state_mut(&mut self) -> &mut State {
        self.state.as_mut().expect("the configuration is loaded")
    }

    fn state(&self) -> &State {
        self.state.as_ref().expect("the configuration is loaded")
    }

    /// A change as a path from the site root, for messages.
    fn describe(&self, change: &ChangeKind) -> String {
        let path = match change {
            ChangeKind::Config => PathBuf::from(crate::config::CONFIG_FILE),
            ChangeKind::Content(path) => Path::new("content").join(path),
            ChangeKind::Template { theme: None, name } => Path::new("templates").join(name),
            ChangeKind::Template {
                theme: Some(theme),
                name,
            } => Path::new("themes").join(theme).join("templates").join(name),
            ChangeKind::Static { theme: None, path } => Path::new("static").join(path),
            ChangeKind::Static {
                theme: Some(theme),
                path,
            } => Path::new("themes").join(theme).join("static").join(path),
        };
        display_path(&path)
    }

    /// Whether a change under `theme` (`None`: the site's own folders)
    /// concerns the theme in use.
    fn is_active_theme(&self, theme: &Option<String>) -> bool {
        match (theme, &self.state) {
            (None, _) => true,
            (Some(theme), Some(state)) => *theme == state.config.config.theme,
            (Some(_), None) => false,
        }
    }

    /// Loads the templates again; whether they differ from before (in
    /// text, or in loading at all).
    fn reload_templates(&mut self) -> bool {
        let state = self.state_mut();
        let templates = Templates::load(&state.config);
        let same = match (&state.templates, &templates) {
            (Ok(old), Ok(new)) => old.same_texts(new),
            (Err(old), Err(new)) => old.report() == new.report(),
            _ => false,
        };
        state.templates = templates;
        !same
    }

    /// Runs [`check_folders`] again after a change to `templates/` or
    /// `static/` that renders no page; whether its warnings changed.
    fn check_folders_again(&mut self) -> bool {
        let state = self.state_mut();
        let Some(shown) = state.shown.as_mut() else {
            return false;
        };
        let pages = &shown.fingerprints;
        let warnings = check_folders(&state.config, |path| pages.contains_key(path));
        let changed = warnings != shown.folder_warnings;
        shown.folder_warnings = warnings;
        changed
    }

    /// Resolves the site from the files as they are now, fingerprints its
    /// pages, renders and writes those that changed, and removes the pages
    /// that are gone. On any error nothing is written and the site stays
    /// stale, to be tried again with the next change. The report has the
    /// warnings of the new site.
    fn render_changes(
        &mut self,
        report: &mut RebuildReport,
        viewers: &dyn Viewers,
        started: Instant,
    ) {
        let state = self.state.as_ref().expect("the configuration is loaded");
        let mut diagnostics = std::mem::take(&mut report.diagnostics);
        let loaded = state.sources.assemble(&mut diagnostics);
        crate::timings::mark("assemble");
        let site = resolve_again(
            state.config.clone(),
            loaded,
            &mut diagnostics,
            &mut self.kept,
        );
        let mut warnings = Diagnostics::default();
        warnings.extend(diagnostics.iter().filter(|d| !d.is_error()).cloned());
        let kinds = list_pages(&site);
        let paths: Vec<String> = kinds
            .par_iter()
            .map(|kind| kind.output_path(&site))
            .collect();
        let kept: rapidhash::RapidHashSet<&str> = paths.iter().map(String::as_str).collect();
        let folder_warnings = check_folders(&site.config, |path| kept.contains(path));
        diagnostics.extend(folder_warnings.iter().cloned());
        crate::timings::mark("list pages, check folders");
        let templates = match &state.templates {
            Ok(templates) => Some(templates),
            Err(errors) => {
                diagnostics.extend(errors.iter().cloned());
                None
            }
        };
        report.diagnostics = diagnostics.without_notes();
        let (Some(templates), false) = (templates, report.failed()) else {
            return;
        };
        let facts = FactTable::of(&site, state.sources.digests());
        let shared = shared_fingerprint(&site, templates);
        crate::timings::mark("facts");
        let previous = state.shown.as_ref();
        let looked_at = match previous {
            Some(shown) if shown.shared == shared => pages_to_look_at(shown, &facts, &paths),
            _ => (0..kinds.len()).collect(),
        };
        let fingerprinted = |indices: &[usize]| -> Vec<(usize, Fingerprinted)> {
            let looked_kinds: Vec<PageKind> = indices.iter().map(|&i| kinds[i]).collect();
            indices
                .iter()
                .copied()
                .zip(fingerprint_pages_reading(&site, templates, &looked_kinds))
                .collect()
        };
        let previous_fingerprint =
            |i: usize| previous.and_then(|shown| shown.fingerprints.get(&paths[i]).copied());
        let changed = |(i, page): &&(usize, Fingerprinted)| {
            page.fingerprint.is_none() || previous_fingerprint(*i) != page.fingerprint
        };
        // The pages open in a browser go first when others are looked at
        // too: fingerprinted, and those that changed rendered, written and
        // told, before the rest is fingerprinted (after a template edit,
        // every page of the site).
        let viewed = match previous {
            Some(_) => viewers.viewed(),
            None => Vec::new(),
        };
        let (first, rest): (Vec<usize>, Vec<usize>) =
            looked_at.iter().partition(|&&i| viewed.contains(&paths[i]));
        let mut fresh = if first.is_empty() || rest.is_empty() {
            fingerprinted(&looked_at)
        } else {
            self.cache.keep_new(true);
            let mut fresh = fingerprinted(&first);
            let (now, now_paths): (Vec<PageKind>, Vec<String>) = fresh
                .iter()
                .filter(changed)
                .map(|(i, _)| (kinds[*i], paths[*i].clone()))
                .unzip();
            if !now.is_empty() {
                if !self.write_pages(&site, templates, &now, report) {
                    return;
                }
                report.announced = now_paths;
                report.announced_after = Some(started.elapsed());
                viewers.written_first(&report.announced);
            }
            fresh.extend(fingerprinted(&rest));
            fresh
        };
        crate::timings::mark("fingerprint");
        report.looked_at = fresh.len();
        if self.check_reads && fresh.len() < kinds.len() {
            let every = fingerprint_pages_reading(&site, templates, &kinds);
            let mut looked = vec![false; kinds.len()];
            for &i in &looked_at {
                looked[i] = true;
            }
            report.unrecorded = every
                .iter()
                .enumerate()
                .filter(|(i, page)| !looked[*i] && page.fingerprint != previous_fingerprint(*i))
                .map(|(i, _)| paths[i].clone())
                .collect();
            fresh = every.into_iter().enumerate().collect();
        }
        let (to_render, changed_paths): (Vec<PageKind>, Vec<String>) = fresh
            .iter()
            .filter(changed)
            .map(|(i, _)| (kinds[*i], paths[*i].clone()))
            .unzip();
        let removed: Vec<String> = match previous {
            Some(previous) => {
                let mut removed: Vec<String> = previous
                    .fingerprints
                    .keys()
                    .filter(|path| !kept.contains(path.as_str()))
                    .cloned()
                    .collect();
                removed.sort();
                removed
            }
            None => Vec::new(),
        };
        // The first build: every page streamed into a staging folder and
        // swapped in at once, as `build` writes. After it, the pages that
        // changed (all of them after a base template edit) are streamed
        // beside the old ones and renamed over them once all rendered.
        let full = previous.is_none();
        // The Markdown of a render of most of the site (the first, a base
        // template edit) is not kept: the next such render makes it again,
        // but serve holds tens of megabytes less.
        self.cache
            .keep_new(!full && to_render.len() * 2 <= kinds.len());
        let written = if full {
            self.write_everything(&site, templates, &kinds, report)
        } else {
            let left: Vec<PageKind> = to_render
                .iter()
                .zip(&changed_paths)
                .filter(|(_, path)| !report.announced.contains(path))
                .map(|(kind, _)| *kind)
                .collect();
            self.write_changes(&site, templates, &left, &removed, report)
        };
        if !written {
            return;
        }
        crate::timings::mark("render, write");
        report.rendered = changed_paths;
        report.rendered.sort();
        report.removed = removed;
        let looked: Vec<(String, Fingerprinted)> = fresh
            .into_iter()
            .map(|(i, page)| (paths[i].clone(), page))
            .collect();
        self.show(
            looked,
            &report.removed,
            facts,
            shared,
            warnings,
            folder_warnings,
        );
        if to_render.len() * 2 > kinds.len() {
            // Most of the site was rendered: what it did not use is gone.
            self.cache.forget_unused();
        }
        // A full write has the index in it; else it follows on another
        // thread (which then frees the site): the pages need not wait.
        if full {
            std::thread::spawn(move || drop(site));
        } else {
            self.search.update(site, self.settings.output.clone());
        }
    }

    /// Notes what the serve folder now shows: the pages fingerprinted
    /// again (`looked`, with what they read), without those `removed`.
    fn show(
        &mut self,
        looked: Vec<(String, Fingerprinted)>,
        removed: &[String],
        facts: FactTable,
        shared: u64,
        warnings: Diagnostics,
        folder_warnings: Vec<Diagnostic>,
    ) {
        let state = self.state_mut();
        state.stale = false;
        let shown = state.shown.get_or_insert_with(|| Shown {
            fingerprints: rapidhash::RapidHashMap::default(),
            readers: Readers::default(),
            facts: FactTable::default(),
            shared,
            warnings: Diagnostics::default(),
            folder_warnings: Vec::new(),
        });
        for path in removed {
            shown.fingerprints.remove(path);
            shown.readers.remove(path);
        }
        for (path, page) in looked {
            match page.fingerprint {
                Some(fingerprint) => {
                    shown.fingerprints.insert(path.clone(), fingerprint);
                    shown.readers.set(&path, page.reads);
                }
                None => {
                    shown.fingerprints.remove(&path);
                    shown.readers.remove(&path);
                }
            }
        }
        shown.facts = facts;
        shown.shared = shared;
        shown.warnings = warnings;
        shown.folder_warnings = folder_warnings;
    }

    /// Renders `kinds` (every page) and the search index straight into a
    /// staging folder and swaps it in, as `build` does; whether it did. After an error (in
    /// `report`) the serve folder is left as it was.
    fn write_everything(
        &self,
        site: &Site,
        templates: &Templates,
        kinds: &[PageKind],
        report: &mut RebuildReport,
    ) -> bool {
        let output = &self.settings.output;
        let staging = match Staging::begin(output) {
            Ok(staging) => staging,
            Err(error) => {
                report.diagnostics.push(write_error(output, error));
                return false;
            }
        };
        // The index beside the pages, as `build` makes it: its work fills
        // the cores the render leaves idle.
        let ((pages, errors), index) = rayon::join(
            || {
                render_pages_cached(site, templates, kinds, Some(&self.cache), |page| {
                    staging.write(&page)
                })
            },
            || self.search.write_in_full(site, &staging),
        );
        report.diagnostics.extend(errors);
        for (_, written) in pages {
            if let Err(error) = written {
                report.diagnostics.push(write_error(output, error));
            }
        }
        for (_, written) in &index {
            if let Err(error) = written {
                report
                    .diagnostics
                    .push(write_error(output, anyhow::anyhow!("{error:#}")));
            }
        }
        if report.failed() {
            staging.discard();
            self.search.written_in_full(site, None);
            return false;
        }
        let finished = finish_staging(staging, &site.config)
            .and_then(|_| files::write(&output.join(".gitignore"), "*\n"));
        if let Err(error) = finished {
            report.diagnostics.push(write_error(output, error));
            self.search.written_in_full(site, None);
            return false;
        }
        let hashes = index
            .into_iter()
            .filter_map(|(path, written)| Some((path, written.ok()?)))
            .collect();
        self.search.written_in_full(site, Some(hashes));
        true
    }

    /// Renders `kinds`, writing each page beside its old file under a
    /// temporary name as it is made (so the pages are never all in
    /// memory); once every page rendered, renames each over its old file (a
    /// request sees the old page or the new one, never half of one),
    /// removes the pages that are gone and puts back a static file that a
    /// removed page had replaced. Whether it did; after an error (in
    /// `report`) no page has changed (but for the open pages written
    /// before, [`RebuildReport::announced`]).
    fn write_changes(
        &self,
        site: &Site,
        templates: &Templates,
        kinds: &[PageKind],
        removed: &[String],
        report: &mut RebuildReport,
    ) -> bool {
        if !self.write_pages(site, templates, kinds, report) {
            return false;
        }
        match self.remove_pages(removed) {
            Ok(()) => true,
            Err(error) => {
                report
                    .diagnostics
                    .push(write_error(&self.settings.output, error));
                false
            }
        }
    }

    /// Renders `kinds` beside their old files and renames them over those
    /// once all rendered; whether it did.
    fn write_pages(
        &self,
        site: &Site,
        templates: &Templates,
        kinds: &[PageKind],
        report: &mut RebuildReport,
    ) -> bool {
        let output = &self.settings.output;
        let (prepared, errors) =
            render_pages_cached(site, templates, kinds, Some(&self.cache), |page| {
                prepare_output(output, &page)
            });
        report.diagnostics.extend(errors);
        let mut ready = Vec::with_capacity(prepared.len());
        for (_, result) in prepared {
            match result {
                Ok(page) => ready.push(page),
                Err(error) => report.diagnostics.push(write_error(output, error)),
            }
        }
        if report.failed() {
            // Dropping them removes the temporary files.
            return false;
        }
        let committed: Vec<anyhow::Result<()>> =
            ready.into_par_iter().map(Prepared::commit).collect();
        match committed.into_iter().collect::<anyhow::Result<()>>() {
            Ok(()) => true,
            Err(error) => {
                report.diagnostics.push(write_error(output, error));
                false
            }
        }
    }

    /// Removes the pages that are gone and puts back a static file that a
    /// removed page had replaced.
    fn remove_pages(&self, removed: &[String]) -> anyhow::Result<()> {
        let output = &self.settings.output;
        for path in removed {
            remove_page(output, path)?;
            if let Some(contents) = self.static_files(Path::new(path)).remove(Path::new(path)) {
                write_atomically(&output.join(path), &contents.bytes()?)?;
            }
        }
        Ok(())
    }

    /// The static files at or under `path` (from a static folder's root)
    /// as `build` copies them: each from the last layer that has it.
    fn static_files(&self, path: &Path) -> BTreeMap<PathBuf, StaticFile> {
        let mut files = BTreeMap::new();
        for layer in static_layers(&self.state().config) {
            match layer {
                StaticLayer::Dir(dir) => files.extend(
                    plain_files(&dir, path)
                        .into_iter()
                        .map(|(relative, source)| (relative, StaticFile::Disk(source))),
                ),
                StaticLayer::BuiltIn => files.extend(
                    builtin_static()
                        .map(|(file, contents)| (PathBuf::from(file), contents))
                        .filter(|(file, _)| file.starts_with(path))
                        .map(|(file, contents)| (file, StaticFile::BuiltIn(contents))),
                ),
            }
        }
        files
    }

    /// Makes the static files at or under `path` (a file or folder, from a
    /// `static/` folder's root) in the serve folder what `build` copies:
    /// each from the last static folder that has it as a plain file (a
    /// symbolic link is never followed), none where a page of the site is
    /// written, and none left that no static folder has. A file whose bytes
    /// are already there is not copied. Returns the paths (from the output
    /// root) of the files copied or removed, or `[path]` when they are many.
    fn copy_static_change(&self, path: &Path) -> anyhow::Result<Option<String>> {
        let pages = self.state().shown.as_ref().map(|shown| &shown.fingerprints);
        let is_page = |relative: &Path| {
            let relative = display_path(relative);
            pages.is_some_and(|pages| pages.contains_key(&relative))
                || is_index_path(&self.state().config.config.search, &relative)
        };
        let mut wanted = self.static_files(path);
        wanted.retain(|relative, _| !is_page(relative));
        let mut changed = Vec::new();
        for relative in served_files(&self.settings.output, path) {
            if !is_page(&relative) && !wanted.contains_key(&relative) {
                let target = self.settings.output.join(&relative);
                std::fs::remove_file(&target).map_err(|error| {
                    anyhow::anyhow!("cannot remove {}: {error}", target.display())
                })?;
                changed.push(relative);
            }
        }
        for (relative, source) in &wanted {
            let target = self.settings.output.join(relative);
            let contents = source.bytes()?;
            if std::fs::read(&target).ok().as_deref() != Some(contents.as_ref()) {
                write_atomically(&target, &contents)?;
                changed.push(relative.clone());
            }
        }
        Ok(match changed.as_slice() {
            [] => None,
            [one] => Some(display_path(one)),
            _ => Some(display_path(path)),
        })
    }
}

/// The indices (into `paths`, the site's output paths now) of the pages to
/// fingerprint again after a change: those that read a fact whose value
/// differs from `shown`'s, and those `shown` has no record of (new pages).
fn pages_to_look_at(shown: &Shown, facts: &FactTable, paths: &[String]) -> Vec<usize> {
    let changed = shown.facts.changed(facts);
    let readers = shown.readers.readers_of(&changed);
    paths
        .iter()
        .enumerate()
        .filter(|(_, path)| !shown.readers.knows(path) || readers.contains(path.as_str()))
        .map(|(i, _)| i)
        .collect()
}

/// Where a static file comes from.
enum StaticFile {
    Disk(PathBuf),
    BuiltIn(&'static [u8]),
}

impl StaticFile {
    fn bytes(&self) -> anyhow::Result<std::borrow::Cow<'static, [u8]>> {
        Ok(match self {
            StaticFile::Disk(path) => std::borrow::Cow::Owned(
                std::fs::read(path)
                    .map_err(|error| anyhow::anyhow!("cannot read {}: {error}", path.display()))?,
            ),
            StaticFile::BuiltIn(contents) => std::borrow::Cow::Borrowed(contents),
        })
    }
}

/// The plain files of a static folder `dir` at or under `path`: their
/// paths from `dir`, and where they are. Hidden files and anything
/// reached through a symbolic link are left out, as `build` leaves them.
fn plain_files(dir: &Path, path: &Path) -> Vec<(PathBuf, PathBuf)> {
    let Some(start) = plain_path(dir, path) else {
        return Vec::new();
    };
    files_under(dir, &start)
}

/// The files now in the serve folder at or under `path`, from its root,
/// hidden ones left out.
fn served_files(output: &Path, path: &Path) -> Vec<PathBuf> {
    let start = output.join(path);
    if !start.exists() {
        return Vec::new();
    }
    files_under(output, &start)
        .into_iter()
        .map(|(relative, _)| relative)
        .collect()
}

/// The files at or under `start` (a symbolic link is not followed): their
/// paths from `root`, hidden ones left out, and where they are.
fn files_under(root: &Path, start: &Path) -> Vec<(PathBuf, PathBuf)> {
    walkdir::WalkDir::new(start)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .filter_map(|entry| {
            let relative = entry.path().strip_prefix(root).ok()?.to_path_buf();
            (!is_hidden(&relative)).then(|| (relative, entry.into_path()))
        })
        .collect()
}

fn is_hidden(relative: &Path) -> bool {
    relative
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
}

/// `dir/relative` if it is a file or folder reached without following a
/// symbolic link.
fn plain_path(dir: &Path, relative: &Path) -> Option<PathBuf> {
    let mut path = dir.to_path_buf();
    std::fs::symlink_metadata(&path)
        .ok()
        .filter(|m| m.is_dir())?;
    for component in relative.components() {
        path.push(component);
        let meta = std::fs::symlink_metadata(&path).ok()?;
        if !(meta.is_file() || meta.is_dir()) {
            return None;
        }
    }
    Some(path)
}

/// Removes one output file and the folders it leaves empty.
fn remove_page(output: &Path, path: &str) -> anyhow::Result<()> {
    let file = output.join(path);
    match std::fs::remove_file(&file) {
        Ok(()) => {}
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(anyhow::anyhow!("cannot remove {}: {error}", file.display())),
    }
    let mut folder = file.parent();
    while let Some(dir) = folder.filter(|dir| *dir != output) {
        if std::fs::remove_dir(dir).is_err() {
            break;
        }
        folder = dir.parent();
    }
    Ok(())
}

fn write_error(output: &Path, error: anyhow::Error) -> Diagnostic {
    Diagnostic::error(
        output,
        format!(
            "cannot write the preview: {}",
            crate::render::error_chain(error.as_ref())
        ),
    )
    .help("check the folder's permissions and free space")
}
