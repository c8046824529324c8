//! Cross-links: `@/` internal links (checked, anchors too), "Read more:"
//! paragraphs matched to guides, and the backlinks they make.

use super::{Guide, Journey, Page, PageRef, Site, Text};
use crate::diagnostics::{nearest, Diagnostic, Diagnostics, Suggestions};
use crate::hash::{hash_bytes, hash_pair};
use crate::markdown::{InternalLink, ReadMoreTarget};
use crate::slug::slugify;
use rapidhash::RapidHashMap;
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

/// What one Read-more paragraph points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadMore {
    Guide(usize),
    /// A link to something that is not a guide: an ordinary paragraph.
    Paragraph,
    /// Matches nothing: shown as plain text.
    Unresolved,
}

/// A page an `@/` link can reach.
#[derive(Debug, Clone)]
pub struct LinkTarget {
    /// Site path of the page.
    pub path: String,
    /// The guide it is, for backlinks.
    pub guide: Option<usize>,
    /// Heading ids on the page.
    pub anchors: Arc<HashSet<String>>,
}

/// The heading ids of the pages links can reach, kept from one resolve to
/// the next by what they are collected from (the ids of the page's texts,
/// and of its sections or parts), so that after an edit only the edited
/// files' are collected again.
#[derive(Debug, Default)]
pub struct KeptAnchors(RapidHashMap<u64, Arc<HashSet<String>>>);

impl KeptAnchors {
    /// The anchors of texts and extra ids, from the last resolve if it had
    /// them, kept in `fresh` for the next.
    fn of<'a>(
        &mut self,
        fresh: &mut RapidHashMap<u64, Arc<HashSet<String>>>,
        texts: impl Iterator<Item = &'a Text> + Clone,
        ids: impl Iterator<Item = &'a String> + Clone,
    ) -> Arc<HashSet<String>> {
        // The texts' ids, then the extra ids' bytes (there is one of those
        // per section or part, and a text id per text).
        let mut key = texts
            .clone()
            .fold(0xA5, |key, text| hash_pair(key, text.block.id));
        for id in ids.clone() {
            key = hash_pair(key, hash_bytes(id.as_bytes()));
        }
        if let Some(anchors) = fresh.get(&key) {
            return anchors.clone();
        }
        let anchors = self.0.remove(&key).unwrap_or_else(|| {
            let mut anchors = anchors_of(texts);
            anchors.extend(ids.cloned());
            Arc::new(anchors)
        });
        fresh.insert(key, anchors.clone());
        anchors
    }
}

/// Every content file a link can name, by its path from `content/`; the
/// anchors are taken from `kept` where their texts are the same, and kept
/// there for the next resolve.
pub fn link_targets(
    guides: &[Guide],
    journeys: &[Journey],
    pages: &[Page],
    kept: &mut KeptAnchors,
) -> RapidHashMap<String, LinkTarget> {
    let count =
        guides.len() + pages.len() + journeys.iter().map(|j| 1 + j.days.len()).sum::<usize>();
    let mut fresh = RapidHashMap::with_capacity_and_hasher(count, Default::default());
    let mut targets = RapidHashMap::with_capacity_and_hasher(count, Default::default());
    let no_ids = std::iter::empty::<&String>();
    for (index, guide) in guides.iter().enumerate() {
        targets.insert(
            guide.source.content_path.clone(),
            LinkTarget {
                path: guide.path.clone(),
                guide: Some(index),
                anchors: kept.of(&mut fresh, std::iter::once(&guide.text), no_ids.clone()),
            },
        );
    }
    for journey in journeys {
        let anchors = kept.of(
            &mut fresh,
            std::iter::once(&journey.intro).chain(journey.sections.iter().map(|s| &s.text)),
            journey.sections.iter().map(|s| &s.id),
        );
        targets.insert(
            journey.content_path.clone(),
            LinkTarget {
                path: journey.path.clone(),
                guide: None,
                anchors,
            },
        );
        for day in journey
            .days
            .iter()
            .filter(|d| d.content_path != journey.content_path)
        {
            let anchors = kept.of(
                &mut fresh,
                std::iter::once(&day.intro).chain(day.parts.iter().map(|p| &p.text)),
                day.parts.iter().map(|p| &p.id),
            );
            targets.insert(
                day.content_path.clone(),
                LinkTarget {
                    path: day.path.clone(),
                    guide: None,
                    anchors,
                },
            );
        }
    }
    for page in pages {
        targets.insert(
            page.source.content_path.clone(),
            LinkTarget {
                path: page.path.clone(),
                guide: None,
                anchors: kept.of(&mut fresh, std::iter::once(&page.text), no_ids.clone()),
            },
        );
    }
    kept.0 = fresh;
    targets
}

fn anchors_of<'a>(texts: impl IntoIterator<Item = &'a Text>) -> HashSet<String> {
    texts
        .into_iter()
        .flat_map(|text| text.block.outline.headings.iter().map(|h| h.id.clone()))
        .collect()
}

/// The "did you mean" answers of one resolve, kept for the next
/// ([`Suggestions`]): Read-more lines by guide title, `@/` links by path.
#[derive(Debug, Default)]
pub struct KeptSuggestions {
    titles: Suggestions,
    paths: Suggestions,
}

/// Guides by the ways a Read-more line can name them.
struct GuideIndex {
    by_title: RapidHashMap<String, Vec<usize>>,
    by_slug: RapidHashMap<String, usize>,
    by_path: RapidHashMap<String, usize>,
    titles: Vec<String>,
    files: Vec<String>,
    base_path: String,
}

impl GuideIndex {
    fn new(site: &Site) -> GuideIndex {
        let mut by_title: RapidHashMap<String, Vec<usize>> = RapidHashMap::default();
        for (index, guide) in site.guides.iter().enumerate() {
            by_title
                .entry(guide.source.front.title_key.clone())
                .or_default()
                .push(index);
        }
        GuideIndex {
            by_title,
            by_slug: site
                .guides
                .iter()
                .enumerate()
                .map(|(i, g)| (g.slug.clone(), i))
                .collect(),
            by_path: site
                .guides
                .iter()
                .enumerate()
                .map(|(i, g)| (g.path.clone(), i))
                .collect(),
            titles: site
                .guides
                .iter()
                .map(|g| g.source.front.title.clone())
                .collect(),
            files: site
                .guides
                .iter()
                .map(|g| crate::diagnostics::display_path(&g.source.file))
                .collect(),
            base_path: site.config.base_url.path.clone(),
        }
    }
}

/// Checks every `@/` link and resolves every Read-more paragraph of the
/// site, and records backlinks. The texts are resolved in parallel; their
/// problems are reported in site order all the same.
pub fn resolve_links(
    site: &mut Site,
    drafts: &[String],
    diagnostics: &mut Diagnostics,
    suggestions: &mut KeptSuggestions,
) {
    suggestions.titles.start();
    suggestions.paths.start();
    let index = GuideIndex::new(site);
    let targets = std::mem::take(&mut site.link_targets);
    let against = Against {
        index: &index,
        targets: &targets,
        drafts,
        suggestions: Mutex::new(suggestions),
    };
    let resolved: Vec<(Diagnostics, Option<PageRef>, Vec<usize>)> = texts_of(site)
        .into_par_iter()
        .map(|(owner, file, text)| {
            let this_guide = match owner {
                Some(PageRef::Guide(g)) => Some(g),
                _ => None,
            };
            let mut found = Diagnostics::default();
            let linked = resolve_text(&against, this_guide, file, text, &mut found);
            (found, owner, linked)
        })
        .collect();
    let mut backlinks: Vec<(usize, PageRef)> = Vec::new();
    for (found, owner, linked) in resolved {
        diagnostics.extend(found);
        if let Some(owner) = owner {
            backlinks.extend(linked.into_iter().map(|guide| (guide, owner)));
        }
    }
    site.link_targets = targets;
    backlinks.sort();
    backlinks.dedup();
    for (guide, owner) in backlinks {
        if owner != PageRef::Guide(guide) {
            site.guides[guide].backlinks.push(owner);
        }
    }
}

/// Every text of the site that can hold links, in site order: with the
/// page it belongs to when that page can be a backlink, and its file.
fn texts_of(site: &mut Site) -> Vec<(Option<PageRef>, &Path, &mut Text)> {
    let mut texts = Vec::new();
    for (g, guide) in site.guides.iter_mut().enumerate() {
        texts.push((
            Some(PageRef::Guide(g)),
            guide.source.file.as_path(),
            &mut guide.text,
        ));
    }
    for (j, journey) in site.journeys.iter_mut().enumerate() {
        let file = journey.file.as_path();
        texts.push((None, file, &mut journey.intro));
        for section in &mut journey.sections {
            texts.push((None, file, &mut section.text));
        }
        for (d, day) in journey.days.iter_mut().enumerate() {
            let file = day.file.as_path();
            texts.push((Some(PageRef::Day(j, d)), file, &mut day.intro));
            for part in &mut day.parts {
                texts.push((Some(PageRef::Day(j, d)), file, &mut part.text));
            }
        }
    }
    for page in &mut site.pages {
        texts.push((None, page.source.file.as_path(), &mut page.text));
    }
    if let Some(home) = &site.home.source {
        texts.push((None, home.file.as_path(), &mut site.home.text));
    }
    texts
}

/// What links are resolved against: the guides, every content file a link
/// can name, the drafts this build leaves out, and the kept "did you
/// mean" answers (shared by the threads that resolve).
struct Against<'a> {
    index: &'a GuideIndex,
    targets: &'a RapidHashMap<String, LinkTarget>,
    drafts: &'a [String],
    suggestions: Mutex<&'a mut KeptSuggestions>,
}

impl<'a> Against<'a> {
    /// The kept answers; a thread that panicked while holding them left
    /// nothing half-done that matters (an answer is a cache).
    fn suggestions(&self) -> MutexGuard<'_, &'a mut KeptSuggestions> {
        self.suggestions
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Checks one text's links and resolves its Read-more paragraphs; returns
/// the guides it links to.
fn resolve_text(
    against: &Against,
    this_guide: Option<usize>,
    file: &Path,
    text: &mut Text,
    diagnostics: &mut Diagnostics,
) -> Vec<usize> {
    let mut linked = Vec::new();
    for link in &text.block.outline.links {
        match check_internal_link(against, file, link) {
            Ok(target) => linked.extend(target.guide),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    text.read_more = text
        .block
        .outline
        .read_more
        .iter()
        .map(|line| {
            let (mut read_more, mut problem) = resolve_read_more(against, &line.target);
            if this_guide.is_some_and(|me| read_more == ReadMore::Guide(me)) {
                read_more = ReadMore::Unresolved;
                problem = Some(
                    Diagnostic::warning("", "Read more: points at this guide itself")
                        .help("point it at another guide, or remove the line"),
                );
            }
            if let ReadMore::Guide(guide) = read_more {
                linked.push(guide);
            }
            if let Some(mut problem) = problem {
                problem.file = file.to_path_buf();
                problem.line = Some(line.line);
                diagnostics.push(problem);
            }
            read_more
        })
        .collect();
    linked
}

fn check_internal_link<'t>(
    against: &Against<'t>,
    file: &Path,
    link: &InternalLink,
) -> Result<&'t LinkTarget, Diagnostic> {
    let (targets, drafts) = (against.targets, against.drafts);
    let written = match &link.anchor {
        Some(anchor) => format!("@/{}#{anchor}", link.path),
        None => format!("@/{}", link.path),
    };
    let Some(target) = targets.get(&link.path) else {
        if drafts.contains(&link.path) {
            return Err(Diagnostic::warning(
                file,
                format!("link `{written}` points at a draft, which this build leaves out"),
            )
            .at_column(link.line, link.column)
            .help("publish it (remove `draft: true`), build with --drafts, or remove the link"));
        }
        let suggestion = against
            .suggestions()
            .paths
            .nearest(&link.path, || targets.keys().map(String::as_str));
        let help = match suggestion {
            Some(path) => format!("did you mean `@/{path}`? Links name a file from content/"),
            None => "links name a content file from content/, e.g. `@/guides/trust.md`".to_string(),
        };
        return Err(Diagnostic::error(
            file,
            format!("broken link `{written}`: no such content file"),
        )
        .at_column(link.line, link.column)
        .help(help));
    };
    if let Some(anchor) = &link.anchor {
        if !target.anchors.contains(anchor) {
            let help = match nearest(anchor, target.anchors.iter().map(String::as_str)) {
                Some(id) => format!("did you mean `#{id}`?"),
                None => format!(
                    "link to one of the page's headings by its id, e.g. `#{}`",
                    slugify("Today's Activity")
                ),
            };
            return Err(Diagnostic::error(
                file,
                format!(
                    "broken link `{written}`: content/{} has no heading `#{anchor}`",
                    link.path
                ),
            )
            .at_column(link.line, link.column)
            .help(help));
        }
    }
    Ok(target)
}

/// A Read-more target → what it points at, and the problem if it points
/// nowhere (its place is filled in by the caller).
fn resolve_read_more(against: &Against, target: &ReadMoreTarget) -> (ReadMore, Option<Diagnostic>) {
    let (index, targets) = (against.index, against.targets);
    match target {
        ReadMoreTarget::Text { text, key } => {
            let by_title = index
                .by_title
                .get(key)
                .map(Vec::as_slice)
                .unwrap_or_default();
            match by_title {
                [one] => return (ReadMore::Guide(*one), None),
                [] => {}
                many => {
                    let mut files: Vec<&str> =
                        many.iter().map(|&i| index.files[i].as_str()).collect();
                    files.sort_unstable();
                    return (
                        ReadMore::Unresolved,
                        Some(Diagnostic::error("", format!("Read more: \"{text}\" matches {} guides: {}", many.len(), files.join(", ")))
                            .help("give the guides different titles, or write the slug or a link instead of the title")),
                    );
                }
            }
            if let Some(&guide) = index
                .by_slug
                .get(&slugify(text))
                .filter(|_| !text.contains(' '))
            {
                return (ReadMore::Guide(guide), None);
            }
            let nearest_title = against
                .suggestions()
                .titles
                .nearest(text, || index.titles.iter().map(String::as_str));
            let help = match nearest_title {
                Some(title) => {
                    format!("did you mean \"{title}\"? Write a guide's title, its slug, or a link")
                }
                None => "write a guide's title, its slug, or a link to it".to_string(),
            };
            let problem = Diagnostic::warning("", format!("Read more: no guide titled \"{text}\""));
            (ReadMore::Unresolved, Some(problem.help(help)))
        }
        ReadMoreTarget::Link { url, .. } => {
            if let Some((path, _)) = InternalLink::parse(url) {
                // A broken `@/` link was reported as a link already.
                let read_more = match targets.get(&path) {
                    Some(LinkTarget {
                        guide: Some(guide), ..
                    }) => ReadMore::Guide(*guide),
                    Some(_) => ReadMore::Paragraph,
                    None => ReadMore::Unresolved,
                };
                return (read_more, None);
            }
            if url.contains("://") || url.starts_with("mailto:") {
                return (ReadMore::Paragraph, None);
            }
            let path = url
                .trim_start_matches(index.base_path.as_str())
                .trim_start_matches('/');
            let path = if path.ends_with('/') {
                path.to_string()
            } else {
                format!("{path}/")
            };
            match index.by_path.get(&path) {
                Some(&guide) => (ReadMore::Guide(guide), None),
                None => {
                    let message =
                        format!("Read more: the link `{url}` is not a guide of this site");
                    let problem = Diagnostic::warning("", message)
                        .help("link a guide as `@/guides/<file>.md`");
                    (ReadMore::Unresolved, Some(problem))
                }
            }
        }
    }
}
