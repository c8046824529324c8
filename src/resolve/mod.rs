//! Stage 3: [`LoadedSite`] → [`Site`]: slugs and URLs, weeks and days with
//! their neighbours, topics, Read-more and `@/` links, backlinks and related
//! guides. Everything that looks across files happens here, and every
//! problem found is collected, not only the first.

mod journeys;
mod links;
mod related;
mod topics;

pub use journeys::part_matches;
pub use journeys::{Day, Journey, Part, Week};
pub use links::{LinkTarget, ReadMore};
pub use topics::Topic;

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{Block, GuideSource, HomeSource, LoadedSite, PageSource};
use crate::slug::slugify;
use std::collections::HashMap;
use std::sync::Arc;

/// A Markdown text with its Read-more paragraphs resolved, in order.
#[derive(Debug, Clone, Default)]
pub struct Text {
    pub block: Block,
    pub read_more: Vec<ReadMore>,
}

/// Something a link or a list can point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PageRef {
    Guide(usize),
    /// (journey, day) indices.
    Day(usize, usize),
}

#[derive(Debug)]
pub struct Guide {
    pub slug: String,
    /// Site path: `guides/<slug>/`.
    pub path: String,
    pub source: Arc<GuideSource>,
    pub text: Text,
    /// Indices into [`Site::topics`].
    pub topics: Vec<usize>,
    /// Best first, at most `related.count`.
    pub related: Vec<usize>,
    /// Guides and days that link here, in site order.
    pub backlinks: Vec<PageRef>,
}

#[derive(Debug)]
pub struct Page {
    pub slug: String,
    pub path: String,
    pub source: Arc<PageSource>,
    pub text: Text,
}

/// The home page's own text (`content/_index.md`), if written.
#[derive(Debug, Default)]
pub struct Home {
    pub source: Option<HomeSource>,
    pub text: Text,
}

/// A redirect from an old URL (`aliases`) to a guide.
#[derive(Debug, Clone)]
pub struct Alias {
    /// Site path of the old URL: a folder (`old/trust/`) or an HTML file
    /// (`old/trust.html`).
    pub path: String,
    pub guide: usize,
}

/// The whole site, resolved: what `render` needs and nothing to fill in.
#[derive(Debug)]
pub struct Site {
    pub config: SiteConfig,
    pub home: Home,
    /// Newest first.
    pub guides: Vec<Guide>,
    /// In `sequence` order.
    pub journeys: Vec<Journey>,
    pub pages: Vec<Page>,
    /// By name.
    pub topics: Vec<Topic>,
    pub aliases: Vec<Alias>,
    /// `@/` path → page, for internal links.
    pub link_targets: rapidhash::RapidHashMap<String, LinkTarget>,
}

impl Site {
    pub fn link(&self, site_path: &str) -> String {
        self.config.base_url.link(site_path)
    }
}

/// What one resolve worked out that the next can take again when what it
/// was made from is the same; `serve` keeps one across rebuilds. (So far:
/// the related guides, which a title or body edit leaves as they were, the
/// "did you mean" of links that reach nothing, and the heading ids of the
/// pages links reach.)
#[derive(Default)]
pub struct Kept {
    related: Option<related::Ranked>,
    suggestions: links::KeptSuggestions,
    anchors: links::KeptAnchors,
}

/// Resolves a loaded site. Problems go to `diagnostics`; the site is still
/// returned so `check` can report everything at once.
pub fn resolve_site(config: SiteConfig, loaded: LoadedSite, diagnostics: &mut Diagnostics) -> Site {
    resolve_site_keeping(config, loaded, diagnostics, &mut Kept::default())
}

/// [`resolve_site`], taking from `kept` what an earlier resolve worked out
/// when its inputs are the same, and keeping there what this one works out.
pub fn resolve_site_keeping(
    config: SiteConfig,
    loaded: LoadedSite,
    diagnostics: &mut Diagnostics,
    kept: &mut Kept,
) -> Site {
    let LoadedSite {
        home,
        guides,
        journeys,
        pages,
        drafts,
    } = loaded;
    // Guides and journeys are independent of each other; their problems
    // are reported in the same order as when one came after the other.
    let (mut guides, (mut journeys, journey_diagnostics)) = rayon::join(
        || resolve_guides(guides, diagnostics),
        || {
            let mut found = Diagnostics::default();
            let journeys = journeys::resolve_journeys(&config, journeys, &mut found);
            (journeys, found)
        },
    );
    diagnostics.extend(journey_diagnostics);
    crate::timings::mark("resolve: guides, journeys");
    let pages = resolve_pages(pages, diagnostics);
    let aliases = resolve_aliases(&guides, &pages, diagnostics);
    crate::timings::mark("resolve: pages, aliases");

    let ((topics, memberships, topic_diagnostics), link_targets) = rayon::join(
        || {
            let mut found = Diagnostics::default();
            let (topics, memberships) = topics::collect_topics(&guides, &journeys, &mut found);
            (topics, memberships, found)
        },
        || links::link_targets(&guides, &journeys, &pages, &mut kept.anchors),
    );
    diagnostics.extend(topic_diagnostics);
    memberships.assign(&mut guides, &mut journeys);
    crate::timings::mark("resolve: topics, link targets");
    let mut site = Site {
        config,
        home: Home {
            text: Text {
                block: home.as_ref().map(|h| h.body.clone()).unwrap_or_default(),
                read_more: Vec::new(),
            },
            source: home,
        },
        guides,
        journeys,
        pages,
        topics,
        aliases,
        link_targets,
    };
    links::resolve_links(&mut site, &drafts, diagnostics, &mut kept.suggestions);
    crate::timings::mark("resolve: links");
    related::rank_related_keeping(&mut site, &mut kept.related);
    crate::timings::mark("resolve: related");
    site
}

/// Guides newest first, with unique slugs.
fn resolve_guides(sources: Vec<Arc<GuideSource>>, diagnostics: &mut Diagnostics) -> Vec<Guide> {
    // Sorted by place, then taken in that order: a guide's source is large,
    // and sorting the sources themselves moved each of them a dozen times.
    let mut order: Vec<usize> = (0..sources.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&sources[a], &sources[b]);
        b.front
            .date
            .cmp(&a.front.date)
            .then(a.front.weight.cmp(&b.front.weight))
            .then_with(|| a.front.title.cmp(&b.front.title))
            .then_with(|| a.file.cmp(&b.file))
    });
    let mut sources: Vec<Option<Arc<GuideSource>>> = sources.into_iter().map(Some).collect();
    // Slug → the guide that has it.
    let mut seen: rapidhash::RapidHashMap<String, usize> =
        rapidhash::RapidHashMap::with_capacity_and_hasher(sources.len(), Default::default());
    let mut guides: Vec<Guide> = Vec::with_capacity(sources.len());
    for source in order.into_iter().filter_map(|i| sources[i].take()) {
        let slug = match slug_of(source.front.slug.as_deref(), &source.file, &source.keys) {
            Ok(slug) => slug,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                continue;
            }
        };
        if let Some(&first) = seen.get(&slug) {
            diagnostics.push(
                Diagnostic::error(
                    &source.file,
                    format!(
                        "the guide slug `{slug}` is already used by {}",
                        guides[first].source.file.display()
                    ),
                )
                .at(1)
                .help("give one of them another file name or a `slug:` in its front matter"),
            );
            continue;
        }
        seen.insert(slug.clone(), guides.len());
        guides.push(Guide {
            path: format!("guides/{slug}/"),
            slug,
            text: Text {
                block: source.body.clone(),
                read_more: Vec::new(),
            },
            source,
            topics: Vec::new(),
            related: Vec::new(),
            backlinks: Vec::new(),
        });
    }
    guides
}

/// Site paths hearth itself writes at the top level.
const RESERVED_SLUGS: &[&str] = &["guides", "journeys", "topics", "search"];

fn resolve_pages(sources: Vec<Arc<PageSource>>, diagnostics: &mut Diagnostics) -> Vec<Page> {
    let mut seen: HashMap<String, std::path::PathBuf> = HashMap::new();
    let mut pages = Vec::new();
    for source in sources {
        let slug = match slug_of(source.front.slug.as_deref(), &source.file, &source.keys) {
            Ok(slug) => slug,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                continue;
            }
        };
        if RESERVED_SLUGS.contains(&slug.as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    &source.file,
                    format!("the page slug `{slug}` is taken by the site's own {slug} list"),
                )
                .at(1)
                .help("rename the file or set another `slug:`"),
            );
            continue;
        }
        if let Some(first) = seen.get(&slug) {
            diagnostics.push(
                Diagnostic::error(
                    &source.file,
                    format!(
                        "the page slug `{slug}` is already used by {}",
                        first.display()
                    ),
                )
                .at(1)
                .help("rename one of them or set another `slug:`"),
            );
            continue;
        }
        seen.insert(slug.clone(), source.file.clone());
        pages.push(Page {
            path: format!("{slug}/"),
            slug,
            text: Text {
                block: source.body.clone(),
                read_more: Vec::new(),
            },
            source,
        });
    }
    pages
}

/// Old URLs of guides, checked against each other and the pages.
fn resolve_aliases(guides: &[Guide], pages: &[Page], diagnostics: &mut Diagnostics) -> Vec<Alias> {
    let mut taken: HashMap<String, std::path::PathBuf> = guides
        .iter()
        .map(|g| (g.path.clone(), g.source.file.clone()))
        .chain(
            pages
                .iter()
                .map(|p| (p.path.clone(), p.source.file.clone())),
        )
        .collect();
    let mut aliases = Vec::new();
    for (index, guide) in guides.iter().enumerate() {
        for alias in &guide.source.front.aliases {
            let line = guide.source.keys.line("aliases");
            let Some(path) = normalize_alias(alias) else {
                diagnostics.push(
                    Diagnostic::error(
                        &guide.source.file,
                        format!("aliases: `{alias}` is not a page path of this site"),
                    )
                    .at(line)
                    .help("write the old URL's path: a folder like `/old/trust/` or a page like `/old/trust.html`"),
                );
                continue;
            };
            if let Some(owner) = taken.get(&path) {
                diagnostics.push(
                    Diagnostic::error(
                        &guide.source.file,
                        format!(
                            "aliases: `{alias}` is already a page of {}",
                            owner.display()
                        ),
                    )
                    .at(line)
                    .help("remove the alias or point it somewhere unused"),
                );
                continue;
            }
            taken.insert(path.clone(), guide.source.file.clone());
            aliases.push(Alias { path, guide: index });
        }
    }
    aliases
}

/// The site path of an old URL: `/old/trust` → `old/trust/`,
/// `/old/trust.html` → `old/trust.html`. `None` for what is not a page
/// path of this site: another site's URL, `..`, the home page, a file that
/// is not HTML, characters a URL path does not have.
fn normalize_alias(alias: &str) -> Option<String> {
    let written = alias.trim();
    let trimmed = written.strip_prefix('/').unwrap_or(written);
    let allowed = |c: char| c.is_alphanumeric() || "-_.~/%".contains(c);
    if trimmed.starts_with('/')
        || trimmed.contains("//")
        || !trimmed.chars().all(allowed)
        || trimmed.split('/').any(|part| part == "..")
    {
        return None;
    }
    let folder = trimmed
        .strip_suffix("index.html")
        .unwrap_or(trimmed)
        .trim_end_matches('/');
    let last = folder.rsplit('/').next().unwrap_or(folder);
    match last.rsplit_once('.') {
        _ if folder.is_empty() => None,
        Some((_, "html" | "htm")) if !trimmed.ends_with('/') => Some(folder.to_string()),
        Some(_) => None,
        None => Some(format!("{folder}/")),
    }
}

/// The front matter `slug`, or the file name made into one; an error when
/// that leaves no letter or digit (`slug: ""`, `slug: ".."`, `!!!.md`),
/// which would make the page the folder's own index.
fn slug_of(
    front_slug: Option<&str>,
    file: &std::path::Path,
    keys: &crate::load::front_matter::KeyLines,
) -> Result<String, Diagnostic> {
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let slug = slugify(front_slug.unwrap_or(stem));
    if !slug.is_empty() {
        return Ok(slug);
    }
    Err(match front_slug {
        Some(written) => Diagnostic::error(
            file,
            format!("slug: `{written}` has no letter or digit, so it names no URL"),
        )
        .at(keys.line("slug"))
        .help("write the URL name in words, e.g. `slug: building-trust`, or remove `slug:`"),
        None => empty_name_slug(file),
    })
}

/// The error of a file or folder whose name gives an empty slug.
pub(crate) fn empty_name_slug(file: &std::path::Path) -> Diagnostic {
    Diagnostic::error(
        file,
        "the file name has no letter or digit, so it names no URL",
    )
    .at(1)
    .help("rename it with words (e.g. `building-trust.md`), or set `slug:` in its front matter")
}

#[cfg(test)]
mod tests {
    use super::normalize_alias;

    #[test]
    fn aliases_are_page_paths_of_this_site() {
        let table = [
            ("/old/trust", Some("old/trust/")),
            ("old/trust/", Some("old/trust/")),
            ("/old/trust/index.html", Some("old/trust/")),
            ("/old/trust.html", Some("old/trust.html")),
            ("/", None),
            ("/robots.txt", None),
            ("http://evil.com/", None),
            ("//evil.com/x/", None),
            ("/../up/", None),
            ("/x\"><script>/", None),
        ];
        for (alias, expected) in table {
            assert_eq!(normalize_alias(alias).as_deref(), expected, "{alias}");
        }
    }
}
