//! The site an import writes into. Input: the `--into` folder and the
//! prepared guides. Output: the site's topic names (imported guides take
//! those their title or headings name) and, per guide, the problems the
//! `load` and `resolve` stages find in it once it is part of the site —
//! above all Read-more lines that match no guide, as `build` reports them,
//! placed at their line of the source file.

use super::PreparedImport;
use crate::build::load_options;
use crate::config::{load_config, SiteConfig, CONFIG_FILE};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::front_matter::{split_front_matter, KeyLines};
use crate::load::{load_site, Block, GuideFront, GuideSource, LoadedSite};
use crate::resolve::resolve_site;
use crate::slug::slugify;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A site's configuration and content, as `build` would load them.
pub(super) struct TargetSite {
    config: SiteConfig,
    loaded: LoadedSite,
}

impl TargetSite {
    /// The site that holds `into`: the nearest folder at or above it with a
    /// `site.toml`. `Ok(None)` when there is none; `Err` with a warning to
    /// print when its configuration cannot be read.
    pub(super) fn find(into: &Path) -> Result<Option<TargetSite>, String> {
        let Ok(absolute) = std::path::absolute(into) else {
            return Ok(None);
        };
        let Some(root) = absolute
            .ancestors()
            .find(|folder| folder.join(CONFIG_FILE).is_file())
        else {
            return Ok(None);
        };
        let config = load_config(root, None).map_err(|problem| {
            format!(
                "warning: {}: the site's configuration cannot be read, so Read-more lines are \
                 not checked and no site topics are added ({problem})",
                root.join(CONFIG_FILE).display()
            )
        })?;
        let mut ignored = Diagnostics::default();
        let loaded = load_site(&config, load_options(&config, false), &mut ignored);
        Ok(Some(TargetSite { config, loaded }))
    }

    /// Every topic the site's guides, journeys and days name, in their first
    /// spelling.
    pub(super) fn topic_names(&self) -> Vec<String> {
        let guides = self.loaded.guides.iter().map(|g| &g.front.topics);
        let journeys = self.loaded.journeys.iter().map(|j| &j.front.topics);
        let days = self
            .loaded
            .journeys
            .iter()
            .flat_map(|j| j.days.iter().map(|d| &d.topics));
        let mut names: Vec<String> = Vec::new();
        for name in guides.chain(journeys).chain(days).flatten() {
            let slug = slugify(name);
            if !slug.is_empty() && !names.iter().any(|known| slugify(known) == slug) {
                names.push(name.clone());
            }
        }
        names
    }

    /// Adds the imported guides to the site (each replacing a guide of the
    /// same file) and resolves it: the problems found in each, by target.
    pub(super) fn check_imports(
        self,
        imports: &[PreparedImport],
    ) -> HashMap<PathBuf, Vec<Diagnostic>> {
        let TargetSite { config, mut loaded } = self;
        let mut by_file: HashMap<PathBuf, &PreparedImport> = HashMap::new();
        for import in imports.iter().filter(|import| !import.article.is_journey) {
            let Some(file) = std::path::absolute(&import.target)
                .ok()
                .and_then(|target| Some(target.strip_prefix(&config.root).ok()?.to_path_buf()))
            else {
                continue;
            };
            let Some(guide) = guide_source(&file, &import.article.file_text) else {
                continue;
            };
            loaded.guides.retain(|existing| existing.file != file);
            loaded.guides.push(std::sync::Arc::new(guide));
            by_file.insert(file, import);
        }
        let mut diagnostics = Diagnostics::default();
        resolve_site(config, loaded, &mut diagnostics);
        let mut problems: HashMap<PathBuf, Vec<Diagnostic>> = HashMap::new();
        for diagnostic in diagnostics.sorted() {
            if let Some(import) = by_file.get(&diagnostic.file) {
                problems
                    .entry(import.target.clone())
                    .or_default()
                    .push(place_in_source(diagnostic.clone(), import));
            }
        }
        problems
    }
}

/// An imported guide as the load stage would give it.
fn guide_source(file: &Path, text: &str) -> Option<GuideSource> {
    let split = split_front_matter(text)?;
    let front = serde_yaml::from_str::<GuideFront>(split.yaml).ok()?.keyed();
    let content_path = file.strip_prefix("content").unwrap_or(file);
    Some(GuideSource {
        file: file.to_path_buf(),
        content_path: crate::diagnostics::display_path(content_path),
        front,
        extra: serde_json::Value::Object(Default::default()),
        keys: KeyLines::of(&split),
        body: Block::new(split.body.to_string(), split.body_line),
    })
}

/// A problem of an imported guide, named at its line of the source file
/// when it is a Read-more line (with its line in the guide too).
fn place_in_source(mut diagnostic: Diagnostic, import: &PreparedImport) -> Diagnostic {
    let article = &import.article;
    let source_line = match diagnostic.line {
        Some(line) if article.copied_as_is => Some(line),
        Some(line) => article
            .read_more
            .iter()
            .find(|read_more| read_more.guide_line == line)
            .map(|read_more| read_more.source_line),
        None => None,
    };
    let Some(source_line) = source_line.filter(|_| diagnostic.message.starts_with("Read more:"))
    else {
        diagnostic.file = import.target.clone();
        return diagnostic;
    };
    diagnostic.message = format!(
        "{} (line {} of {})",
        diagnostic.message,
        diagnostic.line.unwrap_or(source_line),
        import.target.display()
    );
    diagnostic.file = import.source.to_path_buf();
    diagnostic.line = Some(source_line);
    diagnostic.column = None;
    let help = diagnostic.help.take().unwrap_or_default();
    diagnostic.help = Some(format!(
        "{help}; or import the article it names along with this one"
    ));
    diagnostic
}

/// The topics of an imported guide: `given` (in the site's spelling where
/// the site has the topic), then each of `site_topics` whose words occur in
/// a row in the title or a heading (`Trust` in "Building Trust Slowly").
pub(super) fn guide_topics(
    given: &[String],
    site_topics: &[String],
    title: &str,
    headings: &[&str],
) -> Vec<String> {
    let mut topics: Vec<String> = Vec::new();
    let mut add = |name: &str| {
        let slug = slugify(name);
        if !slug.is_empty() && !topics.iter().any(|topic| slugify(topic) == slug) {
            topics.push(name.to_string());
        }
    };
    for name in given.iter().map(|name| name.trim()) {
        let slug = slugify(name);
        let spelled = site_topics.iter().find(|topic| slugify(topic) == slug);
        add(spelled.map_or(name, String::as_str));
    }
    let texts: Vec<Vec<String>> = std::iter::once(title)
        .chain(headings.iter().copied())
        .map(words_of)
        .collect();
    for topic in site_topics {
        let words = words_of(topic);
        let named = !words.is_empty()
            && texts
                .iter()
                .any(|text| text.windows(words.len()).any(|run| run == words.as_slice()));
        if named {
            add(topic);
        }
    }
    topics
}

/// Lowercase words: runs of letters and digits.
fn words_of(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}
