//! Stage 4: [`Site`] → [`Output`] files: Markdown to HTML, then each page
//! through its Tera template with a small typed context. Pages are listed
//! as [`PageKind`]s so a caller can render all of them (build) or some
//! (serve), in parallel.

pub mod context;
pub mod dependencies;
mod feeds;
mod layout;
mod pages;
pub mod pagination;
mod paper;
mod recursion;
mod references;
pub mod search;
mod template_errors;
pub mod worksheet;

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::escape_html;
use crate::resolve::Site;
use dependencies::{Made, Mode};
use pagination::List;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use tera::Tera;

/// One file of the output, by its path from the output root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// `guides/trust/index.html`, `sitemap.xml`, …
    pub path: String,
    pub contents: String,
}

/// Every page hearth writes, by what it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PageKind {
    Home,
    /// Page number (from 1) of the guide list.
    GuideList(usize),
    Guide(usize),
    /// Page number (from 1) of the journey list.
    JourneyList(usize),
    Journey(usize),
    /// (journey, week) indices.
    Week(usize, usize),
    /// (journey, day) indices.
    Day(usize, usize),
    /// (journey, day) indices: the day's printable worksheet.
    DayWorksheet(usize, usize),
    /// (journey, week) indices: the worksheets of the week's days.
    WeekWorksheets(usize, usize),
    /// The worksheets of every day of a journey.
    JourneyWorksheets(usize),
    /// The worksheet of a guide with a `worksheets.guide_sections` section.
    GuideWorksheet(usize),
    TopicList,
    /// The search page (when `[search] enabled`).
    Search,
    /// (topic, page number from 1).
    Topic(usize, usize),
    Page(usize),
    /// A redirect from an old URL.
    Alias(usize),
    NotFound,
    Sitemap,
    Atom,
    Robots,
}

impl PageKind {
    /// Where the page is written, from the output root: the one place an
    /// output path is made.
    pub fn output_path(self, site: &Site) -> String {
        match self {
            // An alias is a folder or an `.html` file of its own.
            PageKind::Alias(a) if !site.aliases[a].path.ends_with('/') => {
                site.aliases[a].path.clone()
            }
            PageKind::NotFound | PageKind::Sitemap | PageKind::Atom | PageKind::Robots => {
                self.site_path(site)
            }
            kind => kind.path_with(site, "index.html"),
        }
    }

    /// The page's path on the site (`guides/trust/`; `` for the home
    /// page), which links and `meta.path` are made from.
    pub fn site_path(self, site: &Site) -> String {
        self.path_with(site, "")
    }

    /// The site path followed by `end`, made in one allocation (a save
    /// makes the output path of every page of the site).
    fn path_with(self, site: &Site, end: &str) -> String {
        let (base, suffix, number) = self.path_parts(site);
        let mut path = String::with_capacity(base.len() + suffix.len() + end.len() + 12);
        path.push_str(base);
        path.push_str(suffix);
        if number > 1 {
            use std::fmt::Write;
            let _ = write!(path, "page/{number}/");
        }
        path.push_str(end);
        path
    }

    /// The site path in parts: a path the site holds, a fixed part after
    /// it, and the page number of a paginated list (`page/<n>/` from 2).
    fn path_parts(self, site: &Site) -> (&str, &'static str, usize) {
        let journeys = &site.journeys;
        match self {
            PageKind::Home => ("", "", 0),
            PageKind::GuideList(n) => (List::Guides.first_path(site), "", n),
            PageKind::Guide(g) => (&site.guides[g].path, "", 0),
            PageKind::JourneyList(n) => (List::Journeys.first_path(site), "", n),
            PageKind::Journey(j) => (&journeys[j].path, "", 0),
            PageKind::Week(j, w) => (&journeys[j].weeks[w].path, "", 0),
            PageKind::Day(j, d) => (&journeys[j].days[d].path, "", 0),
            PageKind::DayWorksheet(j, d) => (&journeys[j].days[d].path, worksheet::DAY_SHEET, 0),
            PageKind::WeekWorksheets(j, w) => (&journeys[j].weeks[w].path, worksheet::BUNDLE, 0),
            PageKind::JourneyWorksheets(j) => (&journeys[j].path, worksheet::BUNDLE, 0),
            PageKind::GuideWorksheet(g) => (&site.guides[g].path, worksheet::GUIDE_SHEET, 0),
            PageKind::TopicList => ("topics/", "", 0),
            PageKind::Search => ("search/", "", 0),
            PageKind::Topic(t, n) => (List::Topic(t).first_path(site), "", n),
            PageKind::Page(p) => (&site.pages[p].path, "", 0),
            PageKind::Alias(a) => (&site.aliases[a].path, "", 0),
            PageKind::NotFound => ("404.html", "", 0),
            PageKind::Sitemap => ("sitemap.xml", "", 0),
            PageKind::Atom => ("atom.xml", "", 0),
            PageKind::Robots => ("robots.txt", "", 0),
        }
    }
}

/// Every page of the site, in a stable order.
pub fn list_pages(site: &Site) -> Vec<PageKind> {
    let mut kinds = vec![PageKind::Home, PageKind::TopicList];
    if site.config.config.search.enabled {
        kinds.push(PageKind::Search);
    }
    kinds.extend(list_page_numbers(site, List::Guides).map(PageKind::GuideList));
    kinds.extend(list_page_numbers(site, List::Journeys).map(PageKind::JourneyList));
    kinds.extend((0..site.guides.len()).map(PageKind::Guide));
    for (j, journey) in site.journeys.iter().enumerate() {
        kinds.push(PageKind::Journey(j));
        kinds.extend((0..journey.weeks.len()).map(|w| PageKind::Week(j, w)));
        kinds.extend((0..journey.days.len()).map(|d| PageKind::Day(j, d)));
    }
    kinds.extend(list_worksheets(site));
    for t in 0..site.topics.len() {
        kinds.extend(list_page_numbers(site, List::Topic(t)).map(|n| PageKind::Topic(t, n)));
    }
    kinds.extend((0..site.pages.len()).map(PageKind::Page));
    kinds.extend((0..site.aliases.len()).map(PageKind::Alias));
    kinds.extend([
        PageKind::NotFound,
        PageKind::Sitemap,
        PageKind::Atom,
        PageKind::Robots,
    ]);
    kinds
}

/// The page numbers of a paginated list: `1..=pages`.
fn list_page_numbers(site: &Site, list: List) -> std::ops::RangeInclusive<usize> {
    1..=list.page_count(site)
}

/// The worksheet pages: one per day and guide that has worksheet sections,
/// and a bundle per week and journey with at least one of those days.
pub fn list_worksheets(site: &Site) -> Vec<PageKind> {
    let settings = &site.config.config.worksheets;
    let present = worksheet::SheetPresence::of(&site.journeys);
    let mut kinds = Vec::new();
    for (j, journey) in site.journeys.iter().enumerate() {
        if !present.journey(journey) {
            continue;
        }
        kinds.push(PageKind::JourneyWorksheets(j));
        for w in 0..journey.weeks.len() {
            if present.week(journey, w) {
                kinds.push(PageKind::WeekWorksheets(j, w));
            }
        }
        for (d, day) in journey.days.iter().enumerate() {
            if worksheet::day_has_worksheet(day) {
                kinds.push(PageKind::DayWorksheet(j, d));
            }
        }
    }
    for (g, guide) in site.guides.iter().enumerate() {
        if worksheet::guide_has_worksheet(guide, &settings.guide_sections) {
            kinds.push(PageKind::GuideWorksheet(g));
        }
    }
    kinds
}

/// The templates of the site, theme and built-in theme, loaded into Tera.
pub struct Templates {
    tera: Tera,
    /// Each template's source and where it comes from, to place errors.
    sources: template_errors::Sources,
    /// Template name → the names its `extends`, `import` and `include`
    /// tags give.
    references: HashMap<String, Vec<String>>,
    /// Template name → the hash of its text.
    digests: HashMap<String, u64>,
    /// `worksheet_macros.html` is the built-in one, so a day's sheet can
    /// be rendered once for all its pages (`pages::sheet_html`).
    builtin_sheet: bool,
    /// `worksheet.html` and `worksheet_bundle.html` are the built-in ones
    /// (which read a shared sheet's HTML, not its sections).
    builtin_sheet_pages: bool,
    /// The templates of `base.html`'s shared parts, when it is the
    /// built-in one ([`layout`]); empty otherwise.
    layout_parts: Vec<String>,
    /// The templates that render through `base.html`.
    uses_layout: HashSet<String>,
}

/// Template names hearth renders; the built-in theme has each, so a theme
/// folder need not.
#[cfg(test)]
const PAGE_TEMPLATES: &[&str] = &[
    "home.html",
    "guide_list.html",
    "guide.html",
    "journey_list.html",
    "journey.html",
    "week.html",
    "day.html",
    "topic_list.html",
    "topic.html",
    "search.html",
    "page.html",
    "worksheet.html",
    "worksheet_bundle.html",
    "404.html",
];

impl Templates {
    /// Loads the templates, each from the first layer that has it: the
    /// site's `templates/`, `themes/<theme>/templates/`, the built-in theme.
    pub fn load(config: &SiteConfig) -> Result<Templates, Diagnostics> {
        let sources = crate::theme::template_sources(config)?;
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape_html);
        let raw: Vec<(&str, &str)> = sources
            .iter()
            .map(|source| (source.name.as_str(), source.text.as_str()))
            .collect();
        let builtin_sheet = is_builtin_text(&sources, "worksheet_macros.html");
        let builtin_sheet_pages = is_builtin_text(&sources, "worksheet.html")
            && is_builtin_text(&sources, "worksheet_bundle.html");
        // What Tera loads: the templates, the built-in layout with its
        // shared parts cut out, and the one-sheet template.
        let layout = sources
            .iter()
            .find(|source| source.name == "base.html")
            .filter(|_| is_builtin_text(&sources, "base.html"))
            .and_then(|source| layout::SharedLayout::split(&source.text));
        let mut loaded = raw.clone();
        if let Some(layout) = &layout {
            for (name, text) in loaded.iter_mut() {
                if *name == "base.html" {
                    *text = &layout.layout;
                }
            }
            loaded.extend(
                layout
                    .parts
                    .iter()
                    .map(|(name, text)| (name.as_str(), text.as_str())),
            );
        }
        if builtin_sheet {
            loaded.push((
                pages::sheet_html::TEMPLATE,
                pages::sheet_html::TEMPLATE_TEXT,
            ));
        }
        if let Err(error) = add_templates(&mut tera, &loaded) {
            // The error as Tera gives it for the templates as written.
            let error = Tera::default()
                .add_raw_templates(raw.clone())
                .err()
                .unwrap_or(error);
            let by_name = sources
                .iter()
                .map(|source| (source.name.clone(), source.clone()))
                .collect();
            let mut diagnostics = Diagnostics::default();
            diagnostics.push(template_errors::parse_error(&error, &by_name));
            return Err(diagnostics);
        }
        let layout_parts = layout
            .map(|layout| layout.parts.into_iter().map(|(name, _)| name).collect())
            .unwrap_or_default();
        let mut diagnostics = Diagnostics::default();
        for cycle in recursion::find_cycles(&raw) {
            let path = sources
                .iter()
                .find(|source| source.name == cycle.template)
                .map(|source| source.origin.path())
                .unwrap_or_else(|| PathBuf::from("templates").join(&cycle.template));
            diagnostics.push(
                Diagnostic::error(path, format!("template recursion: {}", cycle.description))
                    .at(cycle.line)
                    .help("rendering it would never end; a template must not include itself and a macro must not call itself, directly or through others"),
            );
        }
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        let references: HashMap<String, Vec<String>> = sources
            .iter()
            .map(|source| {
                (
                    source.name.clone(),
                    references::template_references(&source.text),
                )
            })
            .collect();
        let digests = sources
            .iter()
            .map(|source| {
                (
                    source.name.clone(),
                    dependencies::text_fingerprint(&source.text),
                )
            })
            .collect();
        let sources = sources
            .into_iter()
            .map(|source| (source.name.clone(), source))
            .collect();
        let mut templates = Templates {
            tera,
            sources,
            references,
            digests,
            builtin_sheet,
            builtin_sheet_pages,
            layout_parts,
            uses_layout: HashSet::new(),
        };
        templates.uses_layout = templates
            .references
            .keys()
            .filter(|name| templates.uses(name, "base.html"))
            .cloned()
            .collect();
        Ok(templates)
    }

    /// Whether `other` has the same templates with the same texts.
    pub fn same_texts(&self, other: &Templates) -> bool {
        self.digests == other.digests
    }

    /// [`Templates::fingerprint`] of every template.
    pub fn fingerprints(&self) -> HashMap<String, u64> {
        self.digests
            .keys()
            .map(|name| (name.clone(), self.fingerprint(name)))
            .collect()
    }

    /// A hash of the text of `template` and of every template it uses:
    /// what a page rendered with it depends on of the templates.
    pub fn fingerprint(&self, template: &str) -> u64 {
        let mut used: Vec<&str> = self
            .references
            .keys()
            .map(String::as_str)
            .filter(|name| self.uses(template, name))
            .collect();
        used.sort_unstable();
        let mut digest = dependencies::Digest::default();
        for name in used {
            digest.add(name);
            digest.add_u64(self.digests.get(name).copied().unwrap_or_default());
        }
        digest.finish()
    }

    /// Whether rendering `template` uses `other`: it is `other`, or it
    /// extends, imports or includes it, directly or through others.
    pub fn uses(&self, template: &str, other: &str) -> bool {
        let mut seen = HashSet::new();
        let mut stack = vec![template];
        while let Some(name) = stack.pop() {
            if name == other {
                return true;
            }
            if seen.insert(name) {
                if let Some(names) = self.references.get(name) {
                    stack.extend(names.iter().map(String::as_str));
                }
            }
        }
        false
    }
}

/// Parses `templates` in parallel, then adds them to `tera` as
/// `Tera::add_raw_templates` does (which parses them one after another).
fn add_templates(tera: &mut Tera, templates: &[(&str, &str)]) -> tera::Result<()> {
    let parsed: Vec<tera::Result<tera::Template>> = templates
        .par_iter()
        .map(|(name, text)| tera::Template::new(name, None, text))
        .collect();
    for template in parsed {
        let template = template?;
        tera.templates.insert(template.name.clone(), template);
    }
    tera.build_inheritance_chains()?;
    tera.check_macro_files()
}

/// Whether the site's template `name` has the built-in theme's text.
fn is_builtin_text(sources: &[crate::theme::TemplateSource], name: &str) -> bool {
    let builtin = format!("templates/{name}");
    let Some((_, text)) = crate::theme::BUILTIN
        .iter()
        .find(|(file, _)| *file == builtin)
    else {
        return false;
    };
    sources
        .iter()
        .any(|source| source.name == name && source.text.as_bytes() == *text)
}

/// An error and all its causes, `: `-joined (Tera hides the useful part in
/// the source chain).
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Renders the given pages in parallel. Pages that fail are reported; the
/// others are returned.
pub fn render_pages(
    site: &Site,
    templates: &Templates,
    kinds: &[PageKind],
) -> (Vec<Output>, Diagnostics) {
    let (pages, diagnostics) = render_pages_with(site, templates, kinds, |output| output);
    (
        pages.into_iter().map(|(_, output)| output).collect(),
        diagnostics,
    )
}

/// Renders the given pages in parallel and hands each to `keep` as soon as
/// it is made (`build` writes it and lets it go, so the site is never in
/// memory whole). Returns each rendered page's path with what `keep` gave;
/// pages that fail, and two pages with one path, are reported.
pub fn render_pages_with<T: Send>(
    site: &Site,
    templates: &Templates,
    kinds: &[PageKind],
    keep: impl Fn(Output) -> T + Sync,
) -> (Vec<(String, T)>, Diagnostics) {
    render_pages_cached(site, templates, kinds, None, keep)
}

/// [`render_pages_with`], taking rendered Markdown from `cache` when it
/// has it (and keeping there what it renders).
pub fn render_pages_cached<T: Send>(
    site: &Site,
    templates: &Templates,
    kinds: &[PageKind],
    cache: Option<&dependencies::RenderCache>,
    keep: impl Fn(Output) -> T + Sync,
) -> (Vec<(String, T)>, Diagnostics) {
    let mut renderer = pages::Renderer::new(site, templates, Mode::Render).with_cache(cache);
    renderer.share_sheets(kinds);
    let results: Vec<Result<(String, T), Diagnostic>> = kinds
        .par_iter()
        .map(|&kind| {
            renderer.make(kind).map(|made| {
                let output = Output {
                    path: kind.output_path(site),
                    contents: match made {
                        Made::Contents(contents) => contents,
                        Made::Fingerprint(_) => unreachable!("rendering makes contents"),
                    },
                };
                (output.path.clone(), keep(output))
            })
        })
        .collect();
    let mut pages = Vec::with_capacity(results.len());
    let mut diagnostics = Diagnostics::default();
    let mut writers: HashMap<String, PageKind> = HashMap::with_capacity(results.len());
    for (&kind, result) in kinds.iter().zip(results) {
        match result {
            Ok((path, kept)) => match writers.insert(path.clone(), kind) {
                Some(first) => diagnostics.push(collision(site, &path, first, kind)),
                None => pages.push((path, kept)),
            },
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    (pages, once_per_problem(diagnostics))
}

/// One diagnostic per template and problem: a mistake in `day.html` fails
/// every day page the same way; it is reported once, "(and 34 other pages)".
fn once_per_problem(diagnostics: Diagnostics) -> Diagnostics {
    let mut unique: Vec<(Diagnostic, usize)> = Vec::new();
    for diagnostic in diagnostics {
        match unique.iter_mut().find(|(seen, _)| *seen == diagnostic) {
            Some((_, others)) => *others += 1,
            None => unique.push((diagnostic, 0)),
        }
    }
    let mut once = Diagnostics::default();
    for (mut diagnostic, others) in unique {
        if others > 0 {
            diagnostic.message.push_str(&format!(
                " (and {others} other page{})",
                if others == 1 { "" } else { "s" }
            ));
        }
        once.push(diagnostic);
    }
    once
}

/// The fingerprint of each of `kinds` (see [`dependencies`]), in order; a
/// page whose context cannot be made gets none (it fails when rendered).
pub fn fingerprint_pages(
    site: &Site,
    templates: &Templates,
    kinds: &[PageKind],
) -> Vec<Option<u64>> {
    let renderer = pages::Renderer::new(site, templates, Mode::Fingerprint);
    kinds
        .par_iter()
        .with_min_len(64)
        .map(|&kind| match renderer.make(kind) {
            Ok(Made::Fingerprint(fingerprint)) => Some(fingerprint),
            Ok(Made::Contents(_)) | Err(_) => None,
        })
        .collect()
}

/// A page's fingerprint and the facts its context read
/// ([`dependencies::facts`]).
#[derive(Debug)]
pub struct Fingerprinted {
    pub fingerprint: Option<u64>,
    pub reads: Vec<dependencies::facts::Fact>,
}

/// A hash of what every page depends on alike: the `site` key and the
/// templates' texts.
pub fn shared_fingerprint(site: &Site, templates: &Templates) -> u64 {
    pages::Renderer::new(site, templates, Mode::Fingerprint).shared_fingerprint()
}

/// [`fingerprint_pages`], with what each page read.
pub fn fingerprint_pages_reading(
    site: &Site,
    templates: &Templates,
    kinds: &[PageKind],
) -> Vec<Fingerprinted> {
    let renderer = pages::Renderer::new(site, templates, Mode::Fingerprint);
    kinds
        .par_iter()
        .with_min_len(64)
        .map(|&kind| {
            let (made, reads) = dependencies::facts::recording(|| renderer.make(kind));
            let fingerprint = match made {
                Ok(Made::Fingerprint(fingerprint)) => Some(fingerprint),
                Ok(Made::Contents(_)) | Err(_) => None,
            };
            Fingerprinted { fingerprint, reads }
        })
        .collect()
}

/// Two pages that would write one file: only an alias can cause it (every
/// other path is unique by construction), and the alias is reported.
fn collision(site: &Site, path: &str, first: PageKind, second: PageKind) -> Diagnostic {
    let alias = [first, second].into_iter().find_map(|kind| match kind {
        PageKind::Alias(a) => Some(&site.aliases[a]),
        _ => None,
    });
    match alias {
        Some(alias) => {
            let guide = &site.guides[alias.guide].source;
            Diagnostic::error(
                &guide.file,
                format!(
                    "aliases: `/{}` is the URL of a page of the site",
                    alias.path
                ),
            )
            .at(guide.keys.line("aliases"))
            .help("remove the alias; an old URL must not be one the site still uses")
        }
        None => Diagnostic::error(
            "content",
            format!("two pages would both be written to {path}"),
        )
        .help("rename one of them (this is a bug in hearth if no alias or slug explains it)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_theme_has_every_page_template() {
        for name in PAGE_TEMPLATES {
            let path = format!("templates/{name}");
            assert!(
                crate::theme::BUILTIN.iter().any(|(file, _)| *file == path),
                "{path} is not built in"
            );
        }
    }
}
