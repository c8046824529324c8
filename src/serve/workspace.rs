//! The site as `serve` keeps it between changes — configuration, every
//! loaded content file, templates, the last good resolved [`Site`] — and
//! the serve folder rendered from it. [`Workspace::rebuild`] applies one
//! batch of changes and reports what it did.

use super::incremental::{pages_by_source, pages_using, plan_pages};
use super::patch::{move_warnings, patch_site};
use super::sources::{FileResult, SourceCache};
use super::watch::ChangeKind;
use crate::build::load_options;
use crate::config::{load_config, SiteConfig};
use crate::diagnostics::{display_path, Diagnostic, Diagnostics};
use crate::files;
use crate::render::{list_pages, render_pages, Output, PageKind, Templates};
use crate::resolve::{resolve_site, Site};
use crate::theme::static_layers;
use crate::write::{write_output, write_site};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
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
    /// `hearth build` would report now. After a rebuild that did not
    /// resolve the site again (a quick text edit, a template or static
    /// file), the warnings of the site as it stands.
    pub diagnostics: Diagnostics,
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
    /// Changes not rendered yet because a rebuild failed; retried with the
    /// next change.
    pending: Pending,
}

struct State {
    config: SiteConfig,
    sources: SourceCache,
    /// The last templates that loaded.
    templates: Option<Templates>,
    /// Why the templates on disk do not load now.
    template_errors: Option<Diagnostics>,
    /// The site the serve folder shows; `None` until a build succeeds.
    site: Option<Site>,
    /// Which pages show each content file's text, worked out on the first
    /// quick edit after `site` was resolved (quick edits do not change it).
    pages_by_source: Option<HashMap<String, Vec<PageKind>>>,
    /// The warnings of `site`, as resolving it gave them (quick edits move
    /// their lines): carried into the report of every rebuild that does
    /// not resolve the site again.
    warnings: Diagnostics,
}

#[derive(Default)]
struct Pending {
    /// Content paths (from `content/`, with `/`), files or folders.
    sources: BTreeSet<String>,
    /// Template names.
    templates: BTreeSet<String>,
}

impl Pending {
    fn is_empty(&self) -> bool {
        self.sources.is_empty() && self.templates.is_empty()
    }
}

impl Workspace {
    pub fn new(settings: Settings) -> Workspace {
        Workspace {
            settings,
            state: None,
            needs_full: true,
            pending: Pending::default(),
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The site now served, if a build succeeded.
    pub fn site(&self) -> Option<&Site> {
        self.state.as_ref()?.site.as_ref()
    }

    /// Loads and renders everything into the serve folder.
    pub fn build_all(&mut self) -> RebuildReport {
        let started = Instant::now();
        let mut report = RebuildReport {
            full: true,
            ..RebuildReport::default()
        };
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
        let options = load_options(&config, self.settings.drafts);
        let sources = SourceCache::load(&config, options, &mut report.diagnostics);
        let (templates, template_errors) = match Templates::load(&config) {
            Ok(templates) => (Some(templates), None),
            Err(errors) => (None, Some(errors)),
        };
        self.state = Some(State {
            config,
            sources,
            templates,
            template_errors,
            site: None,
            pages_by_source: None,
            warnings: Diagnostics::default(),
        });
        self.needs_full = false;
        self.pending = Pending::default();
        self.render_pending(&mut report);
        report.elapsed = started.elapsed();
        report
    }

    /// Applies a batch of changes: re-reads the changed content files,
    /// reloads templates, copies static files, and renders the pages the
    /// changes touch. A failed rebuild writes nothing and keeps its changes
    /// for the next one.
    pub fn rebuild(&mut self, changes: &BTreeSet<ChangeKind>) -> RebuildReport {
        let started = Instant::now();
        let changed = changes.iter().map(|c| self.describe(c)).collect();
        if self.needs_full || self.state.is_none() || changes.contains(&ChangeKind::Config) {
            let mut report = self.build_all();
            report.changed = changed;
            return report;
        }
        let mut report = RebuildReport {
            changed,
            ..RebuildReport::default()
        };
        let settled = self.is_settled();
        let mut edits = Vec::new();
        let mut reload_templates = false;
        for change in changes {
            match change {
                ChangeKind::Config => {}
                ChangeKind::Content(relative) => {
                    let old = self.state_mut().sources.refresh(relative);
                    edits.push((relative.as_path(), old));
                    self.pending.sources.insert(display_path(relative));
                }
                ChangeKind::Template { theme, name } if self.is_active_theme(theme) => {
                    self.pending.templates.insert(name.clone());
                    reload_templates = true;
                }
                ChangeKind::Static { theme, path } if self.is_active_theme(theme) => {
                    match self.copy_static_change(path) {
                        Ok(Some(copied)) => report.copied.push(copied),
                        Ok(None) => {}
                        Err(error) => report
                            .diagnostics
                            .push(write_error(&self.settings.output, error)),
                    }
                }
                ChangeKind::Template { .. } | ChangeKind::Static { .. } => {}
            }
        }
        if reload_templates {
            self.reload_templates();
        }
        let patched = settled && !reload_templates && !edits.is_empty() && self.patch(&edits);
        if patched {
            self.render_patched(&edits, &mut report);
        } else if !self.pending.is_empty() || self.site().is_none() {
            self.render_pending(&mut report);
        } else {
            report.diagnostics.extend(self.state_mut().warnings.clone());
        }
        report.elapsed = started.elapsed();
        report
    }

    /// Whether the output shows the sources as last loaded: the last
    /// rebuild succeeded and nothing waits.
    fn is_settled(&self) -> bool {
        self.pending.is_empty()
            && self
                .state
                .as_ref()
                .is_some_and(|state| state.site.is_some() && state.template_errors.is_none())
    }

    /// Puts edits that change only their own pages into the site in place
    /// (see [`patch_site`]), and moves the site's warnings with the lines
    /// of the edited files. False when any edit needs a full resolve; the
    /// edits patched so far then only change text the resolve replaces.
    fn patch(&mut self, edits: &[(&Path, Option<FileResult>)]) -> bool {
        let state = self.state.as_mut().expect("the configuration is loaded");
        let Some(site) = state.site.as_mut() else {
            return false;
        };
        let patched =
            edits
                .iter()
                .all(|(relative, old)| match (old, state.sources.get(relative)) {
                    (Some(Ok(old)), Some(Ok(new))) => {
                        patch_site(site, &display_path(relative), old, new)
                    }
                    _ => false,
                });
        if patched {
            for (relative, old) in edits {
                if let (Some(Ok(old)), Some(Ok(new))) = (old, state.sources.get(relative)) {
                    let warnings = std::mem::take(&mut state.warnings);
                    state.warnings = move_warnings(warnings, old, new);
                }
            }
        }
        patched
    }

    /// Renders the pages showing the text of patched files. The report
    /// carries the site's warnings: a patch changes none but their lines.
    fn render_patched(
        &mut self,
        edits: &[(&Path, Option<FileResult>)],
        report: &mut RebuildReport,
    ) {
        let kinds = self.pages_showing(edits);
        let state = self.state.as_ref().expect("the configuration is loaded");
        report.diagnostics.extend(state.warnings.clone());
        let (Some(site), Some(templates)) = (&state.site, &state.templates) else {
            return;
        };
        self.render_and_write(site, templates, &kinds, &[], report);
        if !report.failed() {
            self.pending = Pending::default();
        }
    }

    /// The pages that show the text of the edited files.
    fn pages_showing(&mut self, edits: &[(&Path, Option<FileResult>)]) -> Vec<PageKind> {
        let state = self.state_mut();
        let Some(site) = &state.site else {
            return Vec::new();
        };
        let index = state
            .pages_by_source
            .get_or_insert_with(|| pages_by_source(site));
        let mut kinds: Vec<PageKind> = edits
            .iter()
            .filter_map(|(relative, _)| index.get(&display_path(relative)))
            .flatten()
            .copied()
            .collect();
        kinds.sort();
        kinds.dedup();
        kinds
    }

    /// Renders `kinds` of `site` and writes them (with `removed` deleted);
    /// on an error nothing is written and `report` says why.
    fn render_and_write(
        &self,
        site: &Site,
        templates: &Templates,
        kinds: &[PageKind],
        removed: &[String],
        report: &mut RebuildReport,
    ) {
        let (outputs, errors) = render_pages(site, templates, kinds);
        report.diagnostics.extend(errors);
        if report.failed() {
            return;
        }
        let state = self.state.as_ref().expect("the configuration is loaded");
        let written = match &state.site {
            None => self.write_everything(&outputs),
            Some(_) => self.write_changes(&outputs, removed),
        };
        if let Err(error) = written {
            report
                .diagnostics
                .push(write_error(&self.settings.output, error));
            return;
        }
        report.rendered = outputs.into_iter().map(|output| output.path).collect();
        report.rendered.sort();
        report.removed = removed.to_vec();
    }

    fn state_mut(&mut self) -> &mut State {
        self.state.as_mut().expect("the configuration is loaded")
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

    fn reload_templates(&mut self) {
        let state = self.state_mut();
        match Templates::load(&state.config) {
            Ok(templates) => {
                state.templates = Some(templates);
                state.template_errors = None;
            }
            Err(errors) => state.template_errors = Some(errors),
        }
    }

    /// Copies the static file (or folder) at `path` from the last static
    /// layer that has it, or removes it from the output when none has.
    /// Returns its path from the output root when something changed.
    fn copy_static_change(&self, path: &Path) -> anyhow::Result<Option<String>> {
        let state = self.state.as_ref().expect("the configuration is loaded");
        let target = self.settings.output.join(path);
        let layer = static_layers(&state.config)
            .into_iter()
            .rev()
            .find(|layer| layer.has(path));
        match layer {
            Some(layer) => layer.copy_path(path, &target)?,
            None if target.is_file() => {
                std::fs::remove_file(&target)?;
            }
            None => return Ok(None),
        }
        Ok(Some(display_path(path)))
    }

    /// Resolves the site again if content changed, works out the pages the
    /// pending changes touch, renders and writes them. On any error nothing
    /// is written and the pending changes stay. The report has the warnings
    /// of the new site, or of the site as it stands when content did not
    /// change.
    fn render_pending(&mut self, report: &mut RebuildReport) {
        let state = self.state.as_ref().expect("the configuration is loaded");
        let mut diagnostics = std::mem::take(&mut report.diagnostics);
        let new_site = (state.site.is_none() || !self.pending.sources.is_empty()).then(|| {
            let loaded = state.sources.assemble(&mut diagnostics);
            resolve_site(state.config.clone(), loaded, &mut diagnostics)
        });
        if new_site.is_none() {
            diagnostics.extend(state.warnings.clone());
        }
        if let Some(errors) = &state.template_errors {
            diagnostics.extend(errors.clone());
        }
        report.diagnostics = diagnostics.without_notes();
        let (Some(templates), false) = (&state.templates, report.failed()) else {
            return;
        };
        let site = new_site
            .as_ref()
            .or(state.site.as_ref())
            .expect("a site to render");
        let (kinds, removed) = self.pages_to_render(new_site.as_ref());
        self.render_and_write(site, templates, &kinds, &removed, report);
        if report.failed() {
            return;
        }
        if let Some(site) = new_site {
            let mut warnings = Diagnostics::default();
            warnings.extend(report.diagnostics.iter().filter(|d| !d.is_error()).cloned());
            let state = self.state_mut();
            state.warnings = warnings;
            state.pages_by_source = None;
            if let Some(old) = state.site.replace(site) {
                // Freeing a large site takes a while; the pages need not wait.
                std::thread::spawn(move || drop(old));
            }
        }
        self.pending = Pending::default();
    }

    /// The pages the pending changes touch, and the output paths to remove.
    fn pages_to_render(&self, new_site: Option<&Site>) -> (Vec<PageKind>, Vec<String>) {
        let state = self.state.as_ref().expect("the configuration is loaded");
        let templates = state.templates.as_ref().expect("templates are loaded");
        let (mut kinds, removed) = match (&state.site, new_site) {
            (None, Some(site)) => (list_pages(site), Vec::new()),
            (Some(old), Some(new)) => {
                let plan = plan_pages(old, new, &self.pending.sources);
                (plan.render, plan.remove)
            }
            (Some(_), None) | (None, None) => (Vec::new(), Vec::new()),
        };
        if let Some(site) = new_site.or(state.site.as_ref()) {
            kinds.extend(pages_using(site, templates, &self.pending.templates));
        }
        kinds.sort();
        kinds.dedup();
        (kinds, removed)
    }

    /// A first (or full) build: the whole output, swapped in at once.
    fn write_everything(&self, outputs: &[Output]) -> anyhow::Result<()> {
        let state = self.state.as_ref().expect("the configuration is loaded");
        write_site(
            &self.settings.output,
            outputs,
            &static_layers(&state.config),
        )?;
        files::write(&self.settings.output.join(".gitignore"), "*\n")
    }

    /// Writes the rendered pages over the old ones and removes the pages
    /// that are gone.
    fn write_changes(&self, outputs: &[Output], removed: &[String]) -> anyhow::Result<()> {
        let output = &self.settings.output;
        outputs
            .par_iter()
            .try_for_each(|page| write_output(output, page))?;
        for path in removed {
            remove_page(output, path)?;
        }
        Ok(())
    }
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
