//! One function per page kind: build the page's context from the site,
//! render its Markdown, run its template.

pub(super) mod sheet_html;
mod worksheets;

use super::context::*;
use super::dependencies::facts::{self, read, Fact};
use super::dependencies::{
    fingerprint, Digest, Html, Made, Mode, PageContext, RenderCache, TextKey,
};
use super::pagination::{List, Pagination, HOME_GUIDES, HOME_JOURNEYS, HOME_TOPICS};
use super::{feeds, PageKind, Templates};
use crate::diagnostics::Diagnostic;
use crate::markdown::{
    reading_minutes, render_html, HeadingLevels, Links, Outline, ReadMoreRender,
};
use crate::resolve::{Day, Guide, Journey, PageRef, ReadMore, Site, Text, Week};
use std::collections::HashMap;
use tera::{Context, Tera};

/// Renders pages of one site (or fingerprints them, see
/// [`super::dependencies`]); shared by all rendering threads.
pub struct Renderer<'a> {
    pub site: &'a Site,
    tera: &'a Tera,
    sources: &'a super::template_errors::Sources,
    mode: Mode,
    /// The `site` key, serialized once.
    base: Context,
    /// In a fingerprint: the hash of the `site` key.
    site_fingerprint: u64,
    /// In a fingerprint: the hash of each template's texts.
    template_fingerprints: HashMap<String, u64>,
    /// Days' sheets rendered once for all their pages, when the macros
    /// are the built-in ones ([`sheet_html`]).
    builtin_sheet: bool,
    /// `worksheet.html` and `worksheet_bundle.html` are the built-in ones.
    builtin_sheet_pages: bool,
    sheets: Option<sheet_html::SheetCache>,
    /// Markdown rendered before, to take instead of rendering it again.
    cache: Option<&'a RenderCache>,
    /// In a render with the built-in `base.html`: its shared parts, by
    /// section ([`super::layout`]).
    layout: Option<super::layout::Parts<'a>>,
    /// The templates that render through `base.html`.
    uses_layout: &'a std::collections::HashSet<String>,
    /// Which journeys and weeks have worksheets.
    sheets_present: super::worksheet::SheetPresence,
}

impl<'a> Renderer<'a> {
    pub fn new(site: &'a Site, templates: &'a Templates, mode: Mode) -> Self {
        let config = &site.config.config;
        let base_url = site.config.base_url.root();
        let mut nav = vec![
            nav_link("Journeys", site.link("journeys/"), "journeys"),
            nav_link("Guides", site.link("guides/"), "guides"),
            nav_link("Topics", site.link("topics/"), "topics"),
        ];
        nav.extend(site.pages.iter().map(|page| {
            nav_link(
                &page.source.front.title,
                site.link(&page.path),
                &format!("page:{}", page.slug),
            )
        }));
        let site_context = SiteContext {
            title: &config.title,
            description: &config.description,
            language: &config.language,
            base_path: &site.config.base_url.path,
            base_url: &base_url,
            paper: config.worksheets.paper.name(),
            search_url: config.search.enabled.then(|| site.link("search/")),
            nav,
        };
        let mut base = Context::new();
        let mut site_fingerprint = 0;
        let mut template_fingerprints = HashMap::new();
        match mode {
            Mode::Render => base.insert("site", &site_context),
            Mode::Fingerprint => {
                site_fingerprint = fingerprint(&site_context);
                template_fingerprints = templates.fingerprints();
            }
        }
        let layout = (mode == Mode::Render && !templates.layout_parts.is_empty()).then(|| {
            super::layout::Parts::new(&templates.tera, &templates.layout_parts, base.clone())
        });
        Renderer {
            site,
            tera: &templates.tera,
            sources: &templates.sources,
            mode,
            base,
            site_fingerprint,
            template_fingerprints,
            builtin_sheet: templates.builtin_sheet,
            builtin_sheet_pages: templates.builtin_sheet_pages,
            sheets: None,
            cache: None,
            layout,
            uses_layout: &templates.uses_layout,
            sheets_present: super::worksheet::SheetPresence::of(&site.journeys),
        }
    }

    /// In a fingerprint: a hash of what every page depends on alike (the
    /// `site` key) and of every template's texts.
    pub fn shared_fingerprint(&self) -> u64 {
        let mut templates: Vec<(&String, &u64)> = self.template_fingerprints.iter().collect();
        templates.sort_unstable();
        fingerprint(&(self.site_fingerprint, templates))
    }

    /// Takes rendered Markdown from `cache` (and keeps what it renders).
    pub fn with_cache(mut self, cache: Option<&'a RenderCache>) -> Self {
        self.cache = cache;
        self
    }

    /// The page's file, or its fingerprint, as the mode says.
    pub fn make(&self, kind: PageKind) -> Result<Made, Diagnostic> {
        let site = self.site;
        match kind {
            PageKind::Home => self.home(),
            PageKind::GuideList(n) => self.guide_list(n),
            PageKind::Guide(g) => self.guide(g),
            PageKind::JourneyList(n) => self.journey_list(n),
            PageKind::Journey(j) => self.journey(j),
            PageKind::Week(j, w) => self.week(j, w),
            PageKind::Day(j, d) => self.day(j, d),
            PageKind::DayWorksheet(j, d) => self.day_worksheet(j, d),
            PageKind::WeekWorksheets(j, w) => self.week_worksheets(j, w),
            PageKind::JourneyWorksheets(j) => self.journey_worksheets(j),
            PageKind::GuideWorksheet(g) => self.guide_worksheet(g),
            PageKind::Search => self.search(),
            PageKind::TopicList => {
                let topics = self.topic_summaries();
                let meta = self.meta(
                    "Topics",
                    "Guides and lessons by topic.",
                    "topics/",
                    "website",
                    "topics",
                );
                {
                    let mut context = self.context(meta);
                    context.insert("topics", &topics);
                    self.page("topic_list.html", context)
                }
            }
            PageKind::Topic(t, n) => self.topic(t, n),
            PageKind::Page(p) => {
                let page = &site.pages[p];
                read(|| Fact::Doc(facts::name(&page.source.content_path)));
                let front = &page.source.front;
                let data = PlainPage {
                    title: &front.title,
                    description: &front.description,
                    content: self.markdown(&page.text, HeadingLevels::BODY),
                    extra: &page.source.extra,
                };
                let meta = self.meta(
                    &front.title,
                    &front.description,
                    &page.path,
                    "website",
                    &format!("page:{}", page.slug),
                );
                {
                    let mut context = self.context(meta);
                    context.insert("page", &data);
                    self.page("page.html", context)
                }
            }
            PageKind::Alias(a) => {
                read(|| Fact::Aliases);
                facts::read_guide(&site.guides[site.aliases[a].guide]);
                Ok(self.file(feeds::alias(site, &site.aliases[a])))
            }
            PageKind::NotFound => {
                let meta = self.meta("Page not found", "", "404.html", "website", "none");
                self.run("404.html", self.context(meta))
            }
            PageKind::Sitemap => {
                read(|| Fact::Everything);
                Ok(match self.mode {
                    Mode::Render => Made::Contents(feeds::sitemap(site)),
                    Mode::Fingerprint => Made::Fingerprint(feeds::sitemap_fingerprint(site)),
                })
            }
            PageKind::Atom => {
                read(|| Fact::Everything);
                Ok(self.file(feeds::atom(site)))
            }
            PageKind::Robots => Ok(self.file(feeds::robots(site))),
        }
    }

    fn home(&self) -> Result<Made, Diagnostic> {
        let site = self.site;
        let home = &site.home;
        let home_path = home
            .source
            .as_ref()
            .map_or("_index.md", |h| &h.content_path);
        read(|| Fact::Doc(facts::name(home_path)));
        read(|| Fact::Guides);
        read(|| Fact::Journeys);
        let front = home.source.as_ref().map(|h| &h.front);
        let title = front
            .and_then(|f| f.title.as_deref())
            .unwrap_or(&site.config.config.title);
        let description = front
            .map(|f| f.description.as_str())
            .filter(|d| !d.is_empty())
            .unwrap_or(&site.config.config.description);
        let intro = self.markdown(&home.text, HeadingLevels::BODY);
        let journeys: Vec<JourneyCard> = (0..site.journeys.len().min(HOME_JOURNEYS))
            .map(|j| self.journey_card(j))
            .collect();
        let latest: Vec<GuideCard> = (0..site.guides.len().min(HOME_GUIDES))
            .map(|g| self.guide_card(g))
            .collect();
        // The most used topics, shown in the order of the topic index.
        let mut topics: Vec<(usize, TopicSummary)> =
            self.topic_summaries().into_iter().enumerate().collect();
        topics.sort_by_key(|(_, topic)| std::cmp::Reverse(topic.count));
        topics.truncate(HOME_TOPICS);
        topics.sort_by_key(|(index, _)| *index);
        let topics: Vec<TopicSummary> = topics.into_iter().map(|(_, topic)| topic).collect();
        let counts = HomeCounts {
            journeys: site.journeys.len(),
            guides: site.guides.len(),
            topics: site.topics.len(),
        };
        let meta = self.meta(title, description, "", "website", "home");
        {
            let mut context = self.context(meta);
            context.insert("intro", &intro);
            context.insert("journeys", &journeys);
            context.insert("latest_guides", &latest);
            context.insert("topics", &topics);
            context.insert("counts", &counts);
            self.page("home.html", context)
        }
    }

    /// The search page: the form, and the topic index for readers without
    /// JavaScript (`search.js` shows the results).
    fn search(&self) -> Result<Made, Diagnostic> {
        let data = SearchPage {
            index_url: self.site.link(&format!("{}/", super::search::INDEX_DIR)),
            script_url: self.site.link("search.js"),
            topics: self.topic_summaries(),
        };
        let meta = self.meta(
            "Search",
            "Search the guides and journeys.",
            "search/",
            "website",
            "search",
        );
        let mut context = self.context(meta);
        context.insert("search", &data);
        self.page("search.html", context)
    }

    fn guide_list(&self, number: usize) -> Result<Made, Diagnostic> {
        let site = self.site;
        read(|| Fact::Guides);
        let pagination = Pagination::new(site, List::Guides, number);
        let guides: Vec<GuideCard> = List::Guides
            .items(site, number)
            .map(|g| self.guide_card(g))
            .collect();
        let title = pagination.title("Guides");
        let path = List::Guides.page_path(site, number);
        let meta = self.meta(
            &title,
            "Every guide, newest first.",
            &path,
            "website",
            "guides",
        );
        let mut context = self.context(meta);
        context.insert("guides", &guides);
        context.insert("guide_count", &site.guides.len());
        context.insert("pagination", &pagination);
        self.page("guide_list.html", context)
    }

    fn journey_list(&self, number: usize) -> Result<Made, Diagnostic> {
        let site = self.site;
        read(|| Fact::Journeys);
        let pagination = Pagination::new(site, List::Journeys, number);
        let journeys: Vec<JourneyCard> = List::Journeys
            .items(site, number)
            .map(|j| self.journey_card(j))
            .collect();
        let title = pagination.title("Journeys");
        let path = List::Journeys.page_path(site, number);
        let meta = self.meta(
            &title,
            "Multi-week journeys of daily lessons.",
            &path,
            "website",
            "journeys",
        );
        let mut context = self.context(meta);
        context.insert("journeys", &journeys);
        context.insert("journey_count", &site.journeys.len());
        context.insert("pagination", &pagination);
        self.page("journey_list.html", context)
    }

    fn guide(&self, g: usize) -> Result<Made, Diagnostic> {
        let guide = &self.site.guides[g];
        facts::read_guide(guide);
        let me = facts::name(&guide.source.content_path);
        read(|| Fact::Related(me));
        read(|| Fact::Backlinks(me));
        let front = &guide.source.front;
        let data = GuidePage {
            title: &front.title,
            description: &front.description,
            date: front.date.as_deref().unwrap_or(""),
            date_display: display_date(front.date.as_deref()),
            updated: front.updated.as_deref().unwrap_or(""),
            updated_display: display_date(front.updated.as_deref()),
            author: &front.author,
            category: &front.category,
            topics: self.topic_links(&guide.topics),
            content: self.markdown(&guide.text, HeadingLevels::BODY),
            reading_minutes: reading_minutes(guide.text.block.words),
            toc: guide_toc(&guide.text.block.outline),
            related: guide.related.iter().map(|&r| self.guide_card(r)).collect(),
            backlinks: guide.backlinks.iter().map(|&r| self.backlink(r)).collect(),
            worksheet_url: self.guide_worksheet_url(guide),
            extra: &guide.source.extra,
        };
        let meta = self.meta(
            &front.title,
            &front.description,
            &guide.path,
            "article",
            "guides",
        );
        {
            let mut context = self.context(meta);
            context.insert("guide", &data);
            self.page("guide.html", context)
        }
    }

    fn journey(&self, j: usize) -> Result<Made, Diagnostic> {
        let journey = &self.site.journeys[j];
        facts::read_journey(journey);
        let front = &journey.front;
        let data = JourneyPage {
            slug: &journey.slug,
            title: &front.title,
            description: &front.description,
            duration: &front.duration,
            category: &front.category,
            topics: self.topic_links(&journey.topics),
            intro: self.markdown(&journey.intro, HeadingLevels::BODY),
            sections: journey
                .sections
                .iter()
                .map(|s| Section {
                    title: &s.title,
                    id: &s.id,
                    content: self.markdown(&s.text, HeadingLevels::PART),
                })
                .collect(),
            weeks: (0..journey.weeks.len())
                .map(|w| self.week_card(journey, w))
                .collect(),
            day_count: journey.days.len(),
            total_days: journey.total_days(),
            first_day: journey.days.first().map(|d| self.day_link(journey, d)),
            worksheets_url: self.journey_worksheets_url(journey),
            extra: &journey.extra,
        };
        let meta = self.meta(
            &front.title,
            &front.description,
            &journey.path,
            "website",
            "journeys",
        );
        {
            let mut context = self.context(meta);
            context.insert("journey", &data);
            self.page("journey.html", context)
        }
    }

    fn week(&self, j: usize, w: usize) -> Result<Made, Diagnostic> {
        let journey = &self.site.journeys[j];
        facts::read_journey(journey);
        let week = &journey.weeks[w];
        let card = self.week_card(journey, w);
        let title = format!("{} — {}", week_title(week), journey.front.title);
        let description = if week.focus.is_empty() {
            journey.front.description.clone()
        } else {
            format!("This week: {}.", week.focus.join(", "))
        };
        let meta = self.meta(&title, &description, &week.path, "website", "journeys");
        {
            let mut context = self.context(meta);
            context.insert("journey", &self.journey_ref(journey));
            context.insert("week", &card);
            self.page("week.html", context)
        }
    }

    fn day(&self, j: usize, d: usize) -> Result<Made, Diagnostic> {
        let journey = &self.site.journeys[j];
        let day = &journey.days[d];
        facts::read_journey(journey);
        facts::read_day(day);
        read(|| Fact::Related(facts::day_name(day)));
        let data = DayPage {
            number: day.number,
            title: &day.title,
            intro: self.markdown(&day.intro, HeadingLevels::BODY),
            parts: day
                .parts
                .iter()
                .map(|p| Section {
                    title: &p.title,
                    id: &p.id,
                    content: self.markdown(&p.text, HeadingLevels::PART),
                })
                .collect(),
            reading_minutes: reading_minutes(day_words(day)),
            toc: day_toc(day),
            topics: self.topic_links(&day.topics),
            prev: d
                .checked_sub(1)
                .map(|p| self.day_link(journey, &journey.days[p])),
            next: journey.days.get(d + 1).map(|n| self.day_link(journey, n)),
            related: day.related.iter().map(|&r| self.guide_card(r)).collect(),
            worksheet_url: self.day_worksheet_url(day),
            extra: &day.extra,
        };
        let title = format!(
            "Day {}: {} — {}",
            day.number, day.title, journey.front.title
        );
        let description = first_sentence(
            day.parts
                .first()
                .map(|p| p.text.block.text.as_str())
                .unwrap_or(""),
        )
        .unwrap_or_else(|| journey.front.description.clone());
        let meta = self.meta(&title, &description, &day.path, "article", "journeys");
        let mut context = self.context(meta);
        context.insert("journey", &self.journey_ref(journey));
        context.insert("week", &self.week_link(&journey.weeks[day.week]));
        context.insert("day", &data);
        self.page("day.html", context)
    }

    fn topic(&self, t: usize, number: usize) -> Result<Made, Diagnostic> {
        let site = self.site;
        let topic = &site.topics[t];
        read(|| Fact::Topic(facts::name(&topic.slug)));
        read(|| Fact::TopicName(facts::name(&topic.slug)));
        let list = List::Topic(t);
        let pagination = Pagination::new(site, list, number);
        let slice = topic.page(list.items(site, number));
        let data = TopicPage {
            name: &topic.name,
            journey_count: topic.journeys.len(),
            guide_count: topic.guides.len(),
            day_count: topic.days.len(),
            journeys: slice
                .journeys
                .iter()
                .map(|&j| self.journey_card(j))
                .collect(),
            guides: slice.guides.iter().map(|&g| self.guide_card(g)).collect(),
            days: slice
                .days
                .iter()
                .map(|&(j, d)| {
                    let journey = &self.site.journeys[j];
                    let day = &journey.days[d];
                    facts::read_journey(journey);
                    TopicDay {
                        title: &day.title,
                        url: self.site.link(&day.path),
                        number: day.number,
                        journey_title: &journey.front.title,
                    }
                })
                .collect(),
        };
        let title = pagination.title(&format!("Topic: {}", topic.name));
        let description = format!("Guides and lessons about {}.", topic.name);
        let path = list.page_path(site, number);
        let meta = self.meta(&title, &description, &path, "website", "topics");
        let mut context = self.context(meta);
        context.insert("topic", &data);
        context.insert("pagination", &pagination);
        self.page("topic.html", context)
    }

    // ---- pieces shared by several pages ----

    fn meta<'m>(
        &self,
        title: &'m str,
        description: &'m str,
        path: &str,
        og_type: &'static str,
        section: &str,
    ) -> Meta<'m> {
        Meta {
            title,
            description,
            path: self.site.link(path),
            canonical: self.site.config.base_url.absolute(path),
            og_type,
            section: section.to_string(),
        }
    }

    /// The `site` and `meta` keys; the caller adds the page's own.
    fn context(&self, meta: Meta) -> PageContext {
        let mut context = match self.mode {
            Mode::Render => PageContext::Render(self.base.clone()),
            Mode::Fingerprint => {
                let mut digest = Digest::default();
                digest.add_u64(self.site_fingerprint);
                PageContext::Fingerprint(digest)
            }
        };
        context.insert("meta", &meta);
        context
    }

    /// Runs a page's template on its context.
    fn page(&self, template: &str, context: PageContext) -> Result<Made, Diagnostic> {
        self.run(template, context)
    }

    fn run(&self, template: &str, context: PageContext) -> Result<Made, Diagnostic> {
        let context = match context {
            PageContext::Render(context) => context,
            PageContext::Fingerprint(mut digest) => {
                digest.add(template);
                digest.add_u64(
                    self.template_fingerprints
                        .get(template)
                        .copied()
                        .unwrap_or_default(),
                );
                return Ok(Made::Fingerprint(digest.finish()));
            }
        };
        let mut context = context;
        let layout = self
            .layout
            .as_ref()
            .filter(|_| self.uses_layout.contains(template));
        crate::timings::template(template, || {
            if let Some(parts) = layout {
                parts.insert_into(&mut context)?;
            }
            self.tera.render(template, &context)
        })
        .map(Made::Contents)
        .map_err(|error| {
            super::template_errors::render_error(&error, template, self.sources, &context)
        })
    }

    /// A file made without a template: its contents are its fingerprint.
    fn file(&self, contents: String) -> Made {
        match self.mode {
            Mode::Render => Made::Contents(contents),
            Mode::Fingerprint => {
                Made::Fingerprint(super::dependencies::text_fingerprint(&contents))
            }
        }
    }

    /// A text's HTML; in a fingerprint, what decides it.
    fn markdown(&self, text: &Text, levels: HeadingLevels) -> Html {
        facts::read_text(text);
        let links = TextLinks {
            site: self.site,
            read_more: &text.read_more,
        };
        let render = || render_html(&text.block.text, &links, levels);
        match (self.mode, self.cache) {
            (Mode::Render, None) => Html::Rendered(render()),
            (Mode::Render, Some(cache)) => {
                Html::Rendered(cache.html(&TextKey::new(text, "", levels, &links), render))
            }
            (Mode::Fingerprint, _) => Html::Key(TextKey::new(text, "", levels, &links)),
        }
    }

    fn topic_links(&self, topics: &[usize]) -> Vec<TopicLink<'a>> {
        topics
            .iter()
            .map(|&t| {
                let topic = &self.site.topics[t];
                read(|| Fact::TopicName(facts::name(&topic.slug)));
                TopicLink {
                    name: &topic.name,
                    url: self.site.link(&topic.path),
                }
            })
            .collect()
    }

    fn topic_summaries(&self) -> Vec<TopicSummary<'a>> {
        read(|| Fact::Topics);
        self.site
            .topics
            .iter()
            .map(|topic| {
                read(|| Fact::TopicName(facts::name(&topic.slug)));
                read(|| Fact::Topic(facts::name(&topic.slug)));
                TopicSummary {
                    name: &topic.name,
                    url: self.site.link(&topic.path),
                    count: topic.count(),
                }
            })
            .collect()
    }

    fn guide_card(&self, g: usize) -> GuideCard<'a> {
        let guide: &'a Guide = &self.site.guides[g];
        facts::read_guide(guide);
        let front = &guide.source.front;
        GuideCard {
            title: &front.title,
            url: self.site.link(&guide.path),
            description: &front.description,
            date: front.date.as_deref().unwrap_or(""),
            date_display: display_date(front.date.as_deref()),
            category: &front.category,
            topics: self.topic_links(&guide.topics),
            reading_minutes: reading_minutes(guide.text.block.words),
        }
    }

    fn journey_card(&self, j: usize) -> JourneyCard<'a> {
        let journey: &'a Journey = &self.site.journeys[j];
        facts::read_journey(journey);
        JourneyCard {
            slug: &journey.slug,
            title: &journey.front.title,
            url: self.site.link(&journey.path),
            description: &journey.front.description,
            duration: &journey.front.duration,
            category: &journey.front.category,
            week_count: journey.weeks.len(),
            day_count: journey.days.len(),
            days: journey
                .days
                .iter()
                .map(|d| self.day_link(journey, d))
                .collect(),
            topics: self.topic_links(&journey.topics),
        }
    }

    fn journey_ref(&self, journey: &'a Journey) -> JourneyRef<'a> {
        facts::read_journey(journey);
        JourneyRef {
            slug: &journey.slug,
            title: &journey.front.title,
            url: self.site.link(&journey.path),
            week_count: journey.weeks.len(),
            total_days: journey.total_days(),
            worksheets_url: self.journey_worksheets_url(journey),
        }
    }

    fn week_card(&self, journey: &'a Journey, w: usize) -> WeekCard<'a> {
        facts::read_journey(journey);
        let week = &journey.weeks[w];
        let planned_days = journey.days_per_week;
        WeekCard {
            number: week.number,
            theme: &week.theme,
            url: self.site.link(&week.path),
            focus: &week.focus,
            days: week
                .days
                .iter()
                .map(|&d| self.day_link(journey, &journey.days[d]))
                .collect(),
            planned_days,
            complete: week.days.len() as u32 >= planned_days,
            worksheets_url: self.week_worksheets_url(journey, w),
            prev: w.checked_sub(1).map(|p| self.week_link(&journey.weeks[p])),
            next: journey.weeks.get(w + 1).map(|n| self.week_link(n)),
        }
    }

    fn week_link(&self, week: &'a Week) -> WeekLink<'a> {
        WeekLink {
            number: week.number,
            theme: &week.theme,
            url: self.site.link(&week.path),
        }
    }

    fn day_link(&self, journey: &'a Journey, day: &'a Day) -> DayLink<'a> {
        facts::read_journey(journey);
        DayLink {
            number: day.number,
            title: &day.title,
            url: self.site.link(&day.path),
            week: journey.weeks[day.week].number,
        }
    }

    fn backlink(&self, page: PageRef) -> Backlink<'a> {
        match page {
            PageRef::Guide(g) => {
                let guide = &self.site.guides[g];
                facts::read_guide(guide);
                Backlink {
                    title: &guide.source.front.title,
                    url: self.site.link(&guide.path),
                    kind: "guide",
                    journey_title: "",
                }
            }
            PageRef::Day(j, d) => {
                let journey = &self.site.journeys[j];
                let day = &journey.days[d];
                facts::read_journey(journey);
                Backlink {
                    title: &day.title,
                    url: self.site.link(&day.path),
                    kind: "day",
                    journey_title: &journey.front.title,
                }
            }
        }
    }
}

fn nav_link(title: &str, url: String, section: &str) -> NavLink {
    NavLink {
        title: title.to_string(),
        url,
        section: section.to_string(),
    }
}

/// Pages with fewer sections than this have no table of contents.
const TOC_MIN_SECTIONS: usize = 3;

/// A guide's `<h2>` headings with the `<h3>` under each, when it has at
/// least [`TOC_MIN_SECTIONS`] of them.
fn guide_toc(outline: &Outline) -> Vec<TocEntry<'_>> {
    let mut entries: Vec<TocEntry> = Vec::new();
    for heading in &outline.headings {
        let entry = TocEntry {
            title: &heading.text,
            id: &heading.id,
            children: Vec::new(),
        };
        match (HeadingLevels::BODY.apply(heading.level), entries.last_mut()) {
            (2, _) => entries.push(entry),
            (3, Some(parent)) => parent.children.push(entry),
            _ => {}
        }
    }
    if entries.len() < TOC_MIN_SECTIONS {
        entries.clear();
    }
    entries
}

/// A day's parts, when it has at least [`TOC_MIN_SECTIONS`].
fn day_toc(day: &Day) -> Vec<TocEntry<'_>> {
    if day.parts.len() < TOC_MIN_SECTIONS {
        return Vec::new();
    }
    day.parts
        .iter()
        .map(|part| TocEntry {
            title: &part.title,
            id: &part.id,
            children: Vec::new(),
        })
        .collect()
}

/// The words of a day: its intro and its parts, headings included.
fn day_words(day: &Day) -> usize {
    day.intro.block.words
        + day
            .parts
            .iter()
            .map(|part| crate::markdown::count_words(&part.title) + part.text.block.words)
            .sum::<usize>()
}

/// `Week 2: Understanding Connection`, or `Week 2` without a theme.
pub fn week_title(week: &Week) -> String {
    if week.theme.is_empty() {
        format!("Week {}", week.number)
    } else {
        format!("Week {}: {}", week.number, week.theme)
    }
}

/// `2026-03-14` → `14 March 2026`.
pub fn display_date(date: Option<&str>) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    match date.and_then(crate::load::parse_date) {
        Some((year, month, day)) => format!("{day} {} {year}", MONTHS[month as usize - 1]),
        None => String::new(),
    }
}

/// The first sentence of some Markdown, as plain text, for a description.
fn first_sentence(markdown: &str) -> Option<String> {
    let paragraph = markdown
        .split("\n\n")
        .map(str::trim)
        .find(|p| !p.is_empty() && !p.starts_with(['#', '-', '*', '|', '>', '1']))?;
    let plain: String = paragraph
        .replace(['*', '_', '`'], "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let end = plain.find(". ").map_or(plain.len(), |i| i + 1);
    let mut sentence = plain[..end].to_string();
    if sentence.chars().count() > 160 {
        sentence = sentence.chars().take(157).collect::<String>() + "…";
    }
    Some(sentence)
}

/// Answers a text's links from the resolved site.
struct TextLinks<'a> {
    site: &'a Site,
    read_more: &'a [ReadMore],
}

impl Links for TextLinks<'_> {
    fn internal(&self, path: &str, anchor: Option<&str>) -> Option<String> {
        read(|| Fact::Doc(facts::name(path)));
        let target = self.site.link_targets.get(path)?;
        if anchor.is_some_and(|a| !target.anchors.contains(a)) {
            return None;
        }
        let url = self.site.link(&target.path);
        Some(match anchor {
            Some(anchor) => format!("{url}#{anchor}"),
            None => url,
        })
    }

    fn read_more(&self, index: usize) -> ReadMoreRender {
        match self.read_more.get(index) {
            Some(ReadMore::Guide(g)) => {
                let guide = &self.site.guides[*g];
                facts::read_guide(guide);
                ReadMoreRender::Card {
                    url: self.site.link(&guide.path),
                    title: guide.source.front.title.clone(),
                    description: guide.source.front.description.clone(),
                }
            }
            Some(ReadMore::Paragraph) => ReadMoreRender::Paragraph,
            Some(ReadMore::Unresolved) | None if self.site.config.preview => {
                ReadMoreRender::Unresolved
            }
            Some(ReadMore::Unresolved) | None => ReadMoreRender::Omitted,
        }
    }
}
