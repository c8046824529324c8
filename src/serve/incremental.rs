//! Which pages a change touches, found by comparing the old and the new
//! [`Site`].
//!
//! Every page lists what it shows ([`shows`]): its own source file, and the
//! parts of other things it displays — a guide's card, a day's link, a
//! week's theme, a topic chip, the navigation. Items are named by file or
//! slug, never by index, so the names survive reordering. A page is
//! rendered again when
//! - it is new (its output path was not in the old site);
//! - its list differs between the two sites (a related guide, a backlink,
//!   a Read-more target, a neighbour, a week's days changed);
//! - its own source file changed; or
//! - what it shows of an item changed (a title, a date, a URL, …), found
//!   by comparing that item's [`View`] in both sites.
//!
//! Output paths of the old site missing from the new one are removed.
//! Templates are handled apart: [`pages_using`] lists the pages whose
//! template uses a changed one.

use crate::markdown::reading_minutes;
use crate::render::pagination::{List, HOME_GUIDES, HOME_JOURNEYS};
use crate::render::{list_pages, worksheet, PageKind, Templates};
use crate::resolve::{Journey, PageRef, ReadMore, Site, Text};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};

/// Something a page shows, named so it can be found in both sites.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shown<'a> {
    /// The whole text of a content file, by its path from `content/`.
    Source(&'a str),
    /// A guide (by its source's path from `content/`) as a card or a link:
    /// title, URL, description, dates, author, category, topics, reading
    /// time.
    Guide(&'a str),
    /// A journey (by slug) as a card: title, URL, description, duration,
    /// category, counts, topics.
    JourneyCard(&'a str),
    /// A journey as a breadcrumb: title, URL, description, weeks, length,
    /// the link to its worksheets.
    JourneyRef(&'a str),
    /// A week (journey slug, number) as a link: number, theme, URL.
    Week(&'a str, u32),
    /// A day (journey slug, number) as a link: number, title, URL, week,
    /// whether it has a worksheet.
    Day(&'a str, u32),
    /// A topic chip (by slug): name and URL.
    Topic(&'a str),
    /// A topic with its count, as the topic lists show it.
    TopicCount(&'a str),
    /// The page an `@/` link reaches (by path from `content/`): its URL
    /// and heading ids.
    LinkTarget(&'a str),
    /// A Read-more paragraph that links something other than a guide.
    ReadMoreParagraph,
    /// A Read-more paragraph that matches nothing (shown as plain text).
    ReadMoreUnresolved,
    /// The site navigation (the plain pages' titles and URLs).
    Nav,
    /// A number the page prints, such as how many guides a list has.
    Count(usize),
    /// Which page of how many a paginated list page is.
    PageOf(usize, usize),
}

/// What a change means for the output.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PagePlan {
    /// Pages of the new site to render.
    pub render: Vec<PageKind>,
    /// Output paths of the old site that the new one does not have.
    pub remove: Vec<String>,
}

/// The pages of `new` to render, and the old output paths to remove, after
/// the content files `changed_sources` (paths from `content/`, with `/`;
/// a folder stands for everything in it) changed.
pub fn plan_pages(old: &Site, new: &Site, changed_sources: &BTreeSet<String>) -> PagePlan {
    let old_pages: HashMap<String, PageKind> = list_pages(old)
        .into_par_iter()
        .map(|kind| (output_path(old, kind), kind))
        .collect();
    let new_pages: Vec<(PageKind, String)> = list_pages(new)
        .into_par_iter()
        .map(|kind| (kind, output_path(new, kind)))
        .collect();
    let (old_items, new_items) = (Lookup::new(old), Lookup::new(new));
    let verdicts: Vec<Verdict> = new_pages
        .par_iter()
        .with_min_len(PAGES_PER_TASK)
        .map_init(
            || Changes::new(&old_items, &new_items, changed_sources),
            |changes, (kind, path)| match old_pages.get(path) {
                None => Verdict::New,
                Some(&old_kind) if page_changed(changes, old_kind, *kind) => Verdict::Changed,
                Some(_) => Verdict::Same,
            },
        )
        .collect();
    let mut plan = PagePlan::default();
    for ((kind, _), verdict) in new_pages.iter().zip(&verdicts) {
        if *verdict != Verdict::Same {
            plan.render.push(*kind);
        }
    }
    let kept: HashSet<&str> = new_pages.iter().map(|(_, path)| path.as_str()).collect();
    plan.remove = old_pages
        .into_keys()
        .filter(|path| !kept.contains(path.as_str()))
        .collect();
    plan.remove.sort();
    // The sitemap lists every page.
    let appeared = verdicts.contains(&Verdict::New);
    if (appeared || !plan.remove.is_empty()) && !plan.render.contains(&PageKind::Sitemap) {
        plan.render.push(PageKind::Sitemap);
    }
    plan
}

/// Pages one thread compares at a time: enough that each thread's cache of
/// compared items pays off.
const PAGES_PER_TASK: usize = 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    New,
    Changed,
    Same,
}

/// The pages that show each content file's text (its own page, and any
/// page printing its text), by the file's path from `content/`.
pub fn pages_by_source(site: &Site) -> HashMap<String, Vec<PageKind>> {
    let mut index: HashMap<String, Vec<PageKind>> = HashMap::new();
    for kind in list_pages(site) {
        for shown in shows(site, kind) {
            if let Shown::Source(path) = shown {
                index.entry(path.to_string()).or_default().push(kind);
            }
        }
    }
    index
}

/// Pages of `site` whose template uses one of `changed` (template names).
/// Uses are found from `extends`, `import` and `include` tags, so a page is
/// re-rendered when its template, a parent, a macro file or an included
/// file changed; redirects, the sitemap, the feed and robots.txt have no
/// template.
pub fn pages_using(
    site: &Site,
    templates: &Templates,
    changed: &BTreeSet<String>,
) -> Vec<PageKind> {
    let mut affected: HashMap<&'static str, bool> = HashMap::new();
    list_pages(site)
        .into_iter()
        .filter(|&kind| {
            template_of(kind).is_some_and(|template| {
                *affected
                    .entry(template)
                    .or_insert_with(|| changed.iter().any(|name| templates.uses(template, name)))
            })
        })
        .collect()
}

/// The template a page is rendered with.
pub fn template_of(kind: PageKind) -> Option<&'static str> {
    Some(match kind {
        PageKind::Home => "home.html",
        PageKind::GuideList(_) => "guide_list.html",
        PageKind::Guide(_) => "guide.html",
        PageKind::JourneyList(_) => "journey_list.html",
        PageKind::Journey(_) => "journey.html",
        PageKind::Week(..) => "week.html",
        PageKind::Day(..) => "day.html",
        PageKind::TopicList => "topic_list.html",
        PageKind::Topic(..) => "topic.html",
        PageKind::Page(_) => "page.html",
        PageKind::NotFound => "404.html",
        PageKind::DayWorksheet(..) | PageKind::GuideWorksheet(_) => "worksheet.html",
        PageKind::WeekWorksheets(..) | PageKind::JourneyWorksheets(_) => "worksheet_bundle.html",
        PageKind::Alias(_) | PageKind::Sitemap | PageKind::Atom | PageKind::Robots => return None,
    })
}

/// Where a page is written, from the output root.
pub fn output_path(site: &Site, kind: PageKind) -> String {
    let index = |path: &str| format!("{path}index.html");
    match kind {
        PageKind::Home => "index.html".into(),
        PageKind::GuideList(n) => index(&List::Guides.page_path(site, n)),
        PageKind::Guide(g) => index(&site.guides[g].path),
        PageKind::JourneyList(n) => index(&List::Journeys.page_path(site, n)),
        PageKind::Journey(j) => index(&site.journeys[j].path),
        PageKind::Week(j, w) => index(&site.journeys[j].weeks[w].path),
        PageKind::Day(j, d) => index(&site.journeys[j].days[d].path),
        PageKind::DayWorksheet(j, d) => {
            index(&worksheet::day_worksheet_path(&site.journeys[j].days[d]))
        }
        PageKind::WeekWorksheets(j, w) => {
            index(&worksheet::week_worksheets_path(&site.journeys[j].weeks[w]))
        }
        PageKind::JourneyWorksheets(j) => {
            index(&worksheet::journey_worksheets_path(&site.journeys[j]))
        }
        PageKind::GuideWorksheet(g) => index(&worksheet::guide_worksheet_path(&site.guides[g])),
        PageKind::TopicList => "topics/index.html".into(),
        PageKind::Topic(t, n) => index(&List::Topic(t).page_path(site, n)),
        PageKind::Page(p) => index(&site.pages[p].path),
        PageKind::Alias(a) => index(&site.aliases[a].path),
        PageKind::NotFound => "404.html".into(),
        PageKind::Sitemap => "sitemap.xml".into(),
        PageKind::Atom => "atom.xml".into(),
        PageKind::Robots => "robots.txt".into(),
    }
}

/// Everything a page shows, in the order it shows it.
///
/// This mirrors what `render` puts into each page's context: when a page
/// starts to show something more, list it here too.
pub fn shows(site: &Site, kind: PageKind) -> Vec<Shown<'_>> {
    let mut list = ShownList {
        site,
        items: Vec::new(),
    };
    match kind {
        PageKind::Home => {
            list.nav();
            if let Some(home) = &site.home.source {
                list.push(Shown::Source(&home.content_path));
            }
            list.text(&site.home.text);
            list.journey_cards(0..site.journeys.len().min(HOME_JOURNEYS));
            list.guides(0..site.guides.len().min(HOME_GUIDES));
            list.topic_counts();
            list.push(Shown::Count(site.journeys.len()));
            list.push(Shown::Count(site.guides.len()));
        }
        PageKind::GuideList(n) => {
            list.nav();
            list.page_of(List::Guides, n);
            list.guides(List::Guides.items(site, n));
        }
        PageKind::Guide(g) => {
            let guide = &site.guides[g];
            list.nav();
            list.push(Shown::Source(&guide.source.content_path));
            list.text(&guide.text);
            list.topics(&guide.topics);
            list.guides(guide.related.iter().copied());
            for &backlink in &guide.backlinks {
                list.backlink(backlink);
            }
        }
        PageKind::JourneyList(n) => {
            list.nav();
            list.page_of(List::Journeys, n);
            list.journey_cards(List::Journeys.items(site, n));
        }
        PageKind::Journey(j) => {
            let journey = &site.journeys[j];
            list.nav();
            list.push(Shown::Source(&journey.content_path));
            list.text(&journey.intro);
            for section in &journey.sections {
                list.text(&section.text);
            }
            list.topics(&journey.topics);
            for (w, week) in journey.weeks.iter().enumerate() {
                list.week(journey, w);
                for &d in &week.days {
                    list.day(journey, d);
                }
            }
        }
        PageKind::Week(j, w) => {
            let journey = &site.journeys[j];
            list.nav();
            list.push(Shown::Source(&journey.content_path));
            list.push(Shown::JourneyRef(&journey.slug));
            list.neighbours(w, journey.weeks.len(), |list, w| list.week(journey, w));
            for &d in &journey.weeks[w].days {
                list.day(journey, d);
            }
        }
        PageKind::Day(j, d) => {
            let journey = &site.journeys[j];
            let day = &journey.days[d];
            list.nav();
            list.push(Shown::Source(&day.content_path));
            list.push(Shown::JourneyRef(&journey.slug));
            list.week(journey, day.week);
            list.neighbours(d, journey.days.len(), |list, d| list.day(journey, d));
            list.text(&day.intro);
            for part in &day.parts {
                list.text(&part.text);
            }
            list.topics(&day.topics);
            list.guides(day.related.iter().copied());
        }
        PageKind::DayWorksheet(j, d) => {
            list.nav();
            list.day_sheets(&site.journeys[j], [d]);
        }
        PageKind::WeekWorksheets(j, w) => {
            let journey = &site.journeys[j];
            list.nav();
            list.week(journey, w);
            list.day_sheets(journey, journey.weeks[w].days.iter().copied());
        }
        PageKind::JourneyWorksheets(j) => {
            let journey = &site.journeys[j];
            list.nav();
            list.day_sheets(journey, 0..journey.days.len());
        }
        PageKind::GuideWorksheet(g) => {
            let guide = &site.guides[g];
            list.nav();
            list.push(Shown::Source(&guide.source.content_path));
            list.text(&guide.text);
        }
        PageKind::TopicList => {
            list.nav();
            list.topic_counts();
        }
        PageKind::Topic(t, n) => {
            let topic = &site.topics[t];
            list.nav();
            list.push(Shown::Topic(&topic.slug));
            list.page_of(List::Topic(t), n);
            list.push(Shown::Count(topic.guides.len()));
            list.push(Shown::Count(topic.days.len()));
            let slice = topic.page(List::Topic(t).items(site, n));
            list.journey_cards(slice.journeys.iter().copied());
            list.guides(slice.guides.iter().copied());
            for &(j, d) in slice.days {
                list.backlink(PageRef::Day(j, d));
            }
        }
        PageKind::Page(p) => {
            let page = &site.pages[p];
            list.nav();
            list.push(Shown::Source(&page.source.content_path));
            list.text(&page.text);
        }
        PageKind::Alias(a) => list.guides([site.aliases[a].guide]),
        PageKind::NotFound => list.nav(),
        PageKind::Sitemap | PageKind::Atom => list.guides(0..site.guides.len()),
        PageKind::Robots => {}
    }
    list.items
}

/// Builds the list of one page.
struct ShownList<'a> {
    site: &'a Site,
    items: Vec<Shown<'a>>,
}

impl<'a> ShownList<'a> {
    fn push(&mut self, shown: Shown<'a>) {
        self.items.push(shown);
    }

    fn nav(&mut self) {
        self.push(Shown::Nav);
    }

    fn page_of(&mut self, list: List, number: usize) {
        self.push(Shown::PageOf(number, list.page_count(self.site)));
    }

    fn guides(&mut self, guides: impl IntoIterator<Item = usize>) {
        let site = self.site;
        self.items.extend(
            guides
                .into_iter()
                .map(|g| Shown::Guide(&site.guides[g].source.content_path)),
        );
    }

    fn journey_cards(&mut self, journeys: impl IntoIterator<Item = usize>) {
        let site = self.site;
        self.items.extend(
            journeys
                .into_iter()
                .map(|j| Shown::JourneyCard(&site.journeys[j].slug)),
        );
    }

    fn topics(&mut self, topics: &[usize]) {
        let site = self.site;
        self.items
            .extend(topics.iter().map(|&t| Shown::Topic(&site.topics[t].slug)));
    }

    fn topic_counts(&mut self) {
        let site = self.site;
        self.items.extend(
            site.topics
                .iter()
                .map(|topic| Shown::TopicCount(&topic.slug)),
        );
    }

    fn week(&mut self, journey: &'a Journey, w: usize) {
        self.push(Shown::Week(&journey.slug, journey.weeks[w].number));
    }

    fn day(&mut self, journey: &'a Journey, d: usize) {
        self.push(Shown::Day(&journey.slug, journey.days[d].number));
    }

    /// The items before and after `index` (previous/next links).
    fn neighbours(&mut self, index: usize, len: usize, mut add: impl FnMut(&mut Self, usize)) {
        if let Some(previous) = index.checked_sub(1) {
            add(self, previous);
        }
        if index + 1 < len {
            add(self, index + 1);
        }
    }

    /// What worksheets of days show: the journey, each day's week, the
    /// day and its text (and whether it has a worksheet at all, which its
    /// text decides).
    fn day_sheets(&mut self, journey: &'a Journey, days: impl IntoIterator<Item = usize>) {
        self.push(Shown::JourneyRef(&journey.slug));
        for d in days {
            let day = &journey.days[d];
            self.push(Shown::Source(&day.content_path));
            self.week(journey, day.week);
            self.day(journey, d);
            for part in &day.parts {
                self.text(&part.text);
            }
        }
    }

    fn backlink(&mut self, page: PageRef) {
        match page {
            PageRef::Guide(g) => self.guides([g]),
            PageRef::Day(j, d) => {
                let journey = &self.site.journeys[j];
                self.push(Shown::JourneyRef(&journey.slug));
                self.day(journey, d);
            }
        }
    }

    /// A text's `@/` links and Read-more cards.
    fn text(&mut self, text: &'a Text) {
        let site = self.site;
        for link in &text.block.outline.links {
            self.push(Shown::LinkTarget(&link.path));
        }
        for read_more in &text.read_more {
            self.push(match read_more {
                ReadMore::Guide(g) => Shown::Guide(&site.guides[*g].source.content_path),
                ReadMore::Paragraph => Shown::ReadMoreParagraph,
                ReadMore::Unresolved => Shown::ReadMoreUnresolved,
            });
        }
    }
}

/// Whether a page of the old site must be rendered again as `new_kind`.
fn page_changed(changes: &mut Changes, old_kind: PageKind, new_kind: PageKind) -> bool {
    if std::mem::discriminant(&old_kind) != std::mem::discriminant(&new_kind) {
        return true;
    }
    let before = shows(changes.old.site, old_kind);
    let after = shows(changes.new.site, new_kind);
    before != after || after.iter().any(|&shown| changes.changed(shown))
}

/// What changed between two sites, item by item, worked out on demand.
struct Changes<'a, 's> {
    old: &'s Lookup<'a>,
    new: &'s Lookup<'a>,
    sources: &'s BTreeSet<String>,
    memo: HashMap<Shown<'a>, bool>,
}

impl<'a, 's> Changes<'a, 's> {
    fn new(old: &'s Lookup<'a>, new: &'s Lookup<'a>, sources: &'s BTreeSet<String>) -> Self {
        Changes {
            old,
            new,
            sources,
            memo: HashMap::new(),
        }
    }

    fn changed(&mut self, shown: Shown<'a>) -> bool {
        if let Shown::Source(path) = shown {
            return self.sources.iter().any(|changed| is_within(path, changed));
        }
        let (old, new) = (self.old, self.new);
        *self
            .memo
            .entry(shown)
            .or_insert_with(|| old.view(shown) != new.view(shown))
    }
}

/// Whether content path `path` is `changed` or inside the folder `changed`
/// (`""` is `content/` itself).
fn is_within(path: &str, changed: &str) -> bool {
    changed.is_empty()
        || path
            .strip_prefix(changed)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// A site's items by the names [`Shown`] uses.
struct Lookup<'a> {
    site: &'a Site,
    guides: HashMap<&'a str, usize>,
    journeys: HashMap<&'a str, usize>,
    topics: HashMap<&'a str, usize>,
}

impl<'a> Lookup<'a> {
    fn new(site: &'a Site) -> Self {
        Lookup {
            site,
            guides: site
                .guides
                .iter()
                .enumerate()
                .map(|(g, guide)| (guide.source.content_path.as_str(), g))
                .collect(),
            journeys: site
                .journeys
                .iter()
                .enumerate()
                .map(|(j, journey)| (journey.slug.as_str(), j))
                .collect(),
            topics: site
                .topics
                .iter()
                .enumerate()
                .map(|(t, topic)| (topic.slug.as_str(), t))
                .collect(),
        }
    }

    fn journey(&self, slug: &str) -> Option<&'a Journey> {
        self.journeys.get(slug).map(|&j| &self.site.journeys[j])
    }

    /// What pages show of `shown` in this site; `None` when the site has
    /// no such item. Source files are compared by the caller.
    fn view(&self, shown: Shown) -> Option<View<'a>> {
        let site = self.site;
        let sheet_sections = &site.config.config.worksheets.sections;
        let topic_names = |topics: &[usize]| -> Vec<&'a str> {
            topics
                .iter()
                .map(|&t| site.topics[t].name.as_str())
                .collect()
        };
        Some(match shown {
            Shown::Source(_)
            | Shown::ReadMoreParagraph
            | Shown::ReadMoreUnresolved
            | Shown::Count(_)
            | Shown::PageOf(..) => View::Same,
            Shown::Guide(path) => {
                let guide = &site.guides[*self.guides.get(path)?];
                let front = &guide.source.front;
                View::Guide {
                    title: &front.title,
                    path: &guide.path,
                    description: &front.description,
                    date: front.date.as_deref(),
                    updated: front.updated.as_deref(),
                    author: &front.author,
                    category: &front.category,
                    topics: topic_names(&guide.topics),
                    reading_minutes: reading_minutes(guide.text.block.words),
                }
            }
            Shown::JourneyCard(slug) => {
                let journey = self.journey(slug)?;
                let front = &journey.front;
                View::JourneyCard {
                    title: &front.title,
                    path: &journey.path,
                    description: &front.description,
                    duration: &front.duration,
                    category: &front.category,
                    weeks: journey.weeks.len(),
                    days: journey.days.iter().map(|d| d.number).collect(),
                    topics: topic_names(&journey.topics),
                }
            }
            Shown::JourneyRef(slug) => {
                let journey = self.journey(slug)?;
                View::JourneyRef {
                    title: &journey.front.title,
                    path: &journey.path,
                    description: &journey.front.description,
                    weeks: journey.weeks.len(),
                    total_days: journey.total_days(),
                    worksheets: worksheet::journey_has_worksheets(journey, sheet_sections),
                }
            }
            Shown::Week(slug, number) => {
                let journey = self.journey(slug)?;
                let w = journey
                    .weeks
                    .binary_search_by_key(&number, |w| w.number)
                    .ok()?;
                let week = &journey.weeks[w];
                View::Week {
                    theme: &week.theme,
                    path: &week.path,
                }
            }
            Shown::Day(slug, number) => {
                let journey = self.journey(slug)?;
                let d = journey
                    .days
                    .binary_search_by_key(&number, |d| d.number)
                    .ok()?;
                let day = &journey.days[d];
                View::Day {
                    title: &day.title,
                    path: &day.path,
                    week: journey.weeks[day.week].number,
                    worksheet: worksheet::day_has_worksheet(day, sheet_sections),
                }
            }
            Shown::Topic(slug) | Shown::TopicCount(slug) => {
                let topic = &site.topics[*self.topics.get(slug)?];
                View::Topic {
                    name: &topic.name,
                    path: &topic.path,
                    count: matches!(shown, Shown::TopicCount(_)).then(|| topic.count()),
                }
            }
            Shown::LinkTarget(path) => {
                let target = site.link_targets.get(path)?;
                let mut anchors: Vec<&str> = target.anchors.iter().map(String::as_str).collect();
                anchors.sort_unstable();
                View::LinkTarget {
                    path: &target.path,
                    anchors,
                }
            }
            Shown::Nav => View::Nav(
                site.pages
                    .iter()
                    .map(|page| (page.source.front.title.as_str(), page.path.as_str()))
                    .collect(),
            ),
        })
    }
}

/// What pages show of one item of one site, compared with the other's.
#[derive(Debug, PartialEq)]
enum View<'a> {
    /// Nothing to compare here.
    Same,
    Guide {
        title: &'a str,
        path: &'a str,
        description: &'a str,
        date: Option<&'a str>,
        updated: Option<&'a str>,
        author: &'a str,
        category: &'a str,
        topics: Vec<&'a str>,
        reading_minutes: usize,
    },
    JourneyCard {
        title: &'a str,
        path: &'a str,
        description: &'a str,
        duration: &'a str,
        category: &'a str,
        weeks: usize,
        /// The numbers of its days (the card links each of them).
        days: Vec<u32>,
        topics: Vec<&'a str>,
    },
    JourneyRef {
        title: &'a str,
        path: &'a str,
        description: &'a str,
        weeks: usize,
        total_days: u32,
        /// Whether it links its worksheets.
        worksheets: bool,
    },
    Week {
        theme: &'a str,
        path: &'a str,
    },
    Day {
        title: &'a str,
        path: &'a str,
        week: u32,
        /// Whether it has a worksheet (week cards link week bundles).
        worksheet: bool,
    },
    Topic {
        name: &'a str,
        path: &'a str,
        /// On the topic lists only.
        count: Option<usize>,
    },
    LinkTarget {
        path: &'a str,
        anchors: Vec<&'a str>,
    },
    Nav(Vec<(&'a str, &'a str)>),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_folder_contains_its_files_only() {
        assert!(is_within("guides/trust.md", "guides/trust.md"));
        assert!(is_within("guides/talk/listening.md", "guides/talk"));
        assert!(is_within("guides/trust.md", ""));
        assert!(!is_within("guides/talking.md", "guides/talk"));
        assert!(!is_within("guides/trust.md", "guides/trust"));
    }
}
