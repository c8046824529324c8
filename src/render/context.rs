//! Template contexts: small `Serialize` structs borrowed from the resolved
//! [`Site`](crate::resolve::Site), one per page kind. Every URL in them is
//! ready to use in an `href` (it already carries the `base_url` path).
//!
//! Each page's context has the keys `site` and `meta`, plus one or more keys
//! of its own (`guide`, `journey`, `week`, `day`, …) listed on its struct.

use super::dependencies::{Html, SheetBlocks};
use super::paper::Pitch;
use serde::Serialize;

/// Site-wide values, the same on every page (built once per build).
#[derive(Debug, Serialize)]
pub struct SiteContext<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    /// Path prefix of every link, with a trailing slash: `/` or `/guide/`.
    pub base_path: &'a str,
    /// Absolute base URL with a trailing slash: `https://example.org/guide/`.
    pub base_url: &'a str,
    /// Worksheet paper size: `A4` or `Letter`.
    pub paper: &'a str,
    /// The search page, when search is on (the header's search box).
    pub search_url: Option<String>,
    pub nav: Vec<NavLink>,
}

#[derive(Debug, Serialize)]
pub struct NavLink {
    pub title: String,
    pub url: String,
    /// `guides`, `journeys`, `topics`, or `page:<slug>` for a plain page;
    /// compared with `meta.section`.
    pub section: String,
}

/// The `<head>` of one page.
#[derive(Debug, Serialize)]
pub struct Meta<'a> {
    /// The page's own title (the `<title>` is this plus the site title).
    pub title: &'a str,
    pub description: &'a str,
    /// Path of this page, e.g. `/guide/guides/trust/`.
    pub path: String,
    /// Absolute canonical URL of this page.
    pub canonical: String,
    /// Open Graph type: `website` or `article`.
    pub og_type: &'static str,
    /// Which navigation entry is current: `home`, `guides`, `journeys`,
    /// `topics`, `page:<slug>`, `none`.
    pub section: String,
}

#[derive(Debug, Serialize)]
pub struct TopicLink<'a> {
    pub name: &'a str,
    pub url: String,
}

/// A guide as listed on other pages.
#[derive(Debug, Serialize)]
pub struct GuideCard<'a> {
    pub title: &'a str,
    pub url: String,
    pub description: &'a str,
    /// `YYYY-MM-DD`, empty when the guide has no date.
    pub date: &'a str,
    /// `14 March 2026`, empty when the guide has no date.
    pub date_display: String,
    pub category: &'a str,
    pub topics: Vec<TopicLink<'a>>,
    /// Minutes to read it, at about 230 words a minute (at least 1).
    pub reading_minutes: usize,
}

/// One entry of a page's table of contents: a heading and its id, with the
/// headings under it.
#[derive(Debug, Serialize)]
pub struct TocEntry<'a> {
    pub title: &'a str,
    pub id: &'a str,
    pub children: Vec<TocEntry<'a>>,
}

/// A page that links here ("Referenced by").
#[derive(Debug, Serialize)]
pub struct Backlink<'a> {
    pub title: &'a str,
    pub url: String,
    /// `guide` or `day`.
    pub kind: &'static str,
    /// For a day, the journey's title; empty for a guide.
    pub journey_title: &'a str,
}

/// `guide.html` — key `guide`.
#[derive(Debug, Serialize)]
pub struct GuidePage<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub date: &'a str,
    pub date_display: String,
    pub updated: &'a str,
    pub updated_display: String,
    pub author: &'a str,
    pub category: &'a str,
    pub topics: Vec<TopicLink<'a>>,
    /// Rendered Markdown body (trusted HTML: use `| safe`).
    pub content: Html,
    pub reading_minutes: usize,
    /// Its `##` sections (with their `###`), when it has 3 or more; else
    /// empty.
    pub toc: Vec<TocEntry<'a>>,
    pub related: Vec<GuideCard<'a>>,
    pub backlinks: Vec<Backlink<'a>>,
    pub worksheet_url: Option<String>,
    /// Front matter keys hearth does not know, as they were written.
    pub extra: &'a serde_json::Value,
}

/// A journey as listed on other pages.
#[derive(Debug, Serialize)]
pub struct JourneyCard<'a> {
    /// The journey's id (its URL name), e.g. for reader progress.
    pub slug: &'a str,
    pub title: &'a str,
    pub url: String,
    pub description: &'a str,
    pub duration: &'a str,
    pub category: &'a str,
    pub week_count: usize,
    /// Days written so far.
    pub day_count: usize,
    /// The days written, in order (the home page's "Continue" links).
    pub days: Vec<DayLink<'a>>,
    pub topics: Vec<TopicLink<'a>>,
}

/// Link to a day, with its place in the journey.
#[derive(Debug, Serialize)]
pub struct DayLink<'a> {
    pub number: u32,
    pub title: &'a str,
    pub url: String,
    pub week: u32,
}

/// Link to a week.
#[derive(Debug, Serialize)]
pub struct WeekLink<'a> {
    pub number: u32,
    pub theme: &'a str,
    pub url: String,
}

/// A week as a card on the journey page, and the `week` key of `week.html`.
#[derive(Debug, Serialize)]
pub struct WeekCard<'a> {
    pub number: u32,
    pub theme: &'a str,
    pub url: String,
    pub focus: &'a [String],
    pub days: Vec<DayLink<'a>>,
    /// How many days this week should have (`days_per_week`).
    pub planned_days: u32,
    /// Every planned day of the week is written.
    pub complete: bool,
    pub worksheets_url: Option<String>,
    pub prev: Option<WeekLink<'a>>,
    pub next: Option<WeekLink<'a>>,
}

/// A titled part of a page (journey overview section, day part).
#[derive(Debug, Serialize)]
pub struct Section<'a> {
    pub title: &'a str,
    pub id: &'a str,
    /// Rendered HTML; headings inside start at `<h3>`.
    pub content: Html,
}

/// The journey a week or day belongs to (`journey` key of `week.html`,
/// `day.html`).
#[derive(Debug, Serialize)]
pub struct JourneyRef<'a> {
    /// The journey's id (its URL name), e.g. for reader progress.
    pub slug: &'a str,
    pub title: &'a str,
    pub url: String,
    pub week_count: usize,
    /// Planned days in the whole journey (weeks × days per week).
    pub total_days: u32,
    pub worksheets_url: Option<String>,
}

/// `journey.html` — key `journey`.
#[derive(Debug, Serialize)]
pub struct JourneyPage<'a> {
    /// The journey's id (its URL name), e.g. for reader progress.
    pub slug: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub duration: &'a str,
    pub category: &'a str,
    pub topics: Vec<TopicLink<'a>>,
    /// Text before the first `##` section (HTML).
    pub intro: Html,
    pub sections: Vec<Section<'a>>,
    pub weeks: Vec<WeekCard<'a>>,
    pub day_count: usize,
    pub total_days: u32,
    pub first_day: Option<DayLink<'a>>,
    pub worksheets_url: Option<String>,
    pub extra: &'a serde_json::Value,
}

/// `day.html` — keys `journey` ([`JourneyRef`]), `week` ([`WeekLink`]) and
/// `day`.
#[derive(Debug, Serialize)]
pub struct DayPage<'a> {
    pub number: u32,
    pub title: &'a str,
    /// Text before the first part (HTML, may be empty).
    pub intro: Html,
    pub parts: Vec<Section<'a>>,
    pub reading_minutes: usize,
    /// Its parts, when it has 3 or more; else empty.
    pub toc: Vec<TocEntry<'a>>,
    pub topics: Vec<TopicLink<'a>>,
    pub prev: Option<DayLink<'a>>,
    pub next: Option<DayLink<'a>>,
    pub related: Vec<GuideCard<'a>>,
    pub worksheet_url: Option<String>,
    pub extra: &'a serde_json::Value,
}

/// `counts` of `home.html`: how many journeys, guides and topics the
/// whole site has (the home page shows a few of each).
#[derive(Debug, Serialize)]
pub struct HomeCounts {
    pub journeys: usize,
    pub guides: usize,
    pub topics: usize,
}

/// One row of the topic index (`topics` key of `topic_list.html` and
/// `home.html`).
#[derive(Debug, Serialize)]
pub struct TopicSummary<'a> {
    pub name: &'a str,
    pub url: String,
    pub count: usize,
}

/// `topic.html` — key `topic` (and `pagination`). `journeys`, `guides`
/// and `days` are this page's share of the topic's items, in that order.
#[derive(Debug, Serialize)]
pub struct TopicPage<'a> {
    pub name: &'a str,
    /// Journeys, guides and days tagged with it, on all pages.
    pub journey_count: usize,
    pub guide_count: usize,
    pub day_count: usize,
    pub journeys: Vec<JourneyCard<'a>>,
    pub guides: Vec<GuideCard<'a>>,
    pub days: Vec<TopicDay<'a>>,
}

/// A journey day tagged with a topic.
#[derive(Debug, Serialize)]
pub struct TopicDay<'a> {
    pub title: &'a str,
    pub url: String,
    pub number: u32,
    pub journey_title: &'a str,
}

/// `search.html` — key `search`.
#[derive(Debug, Serialize)]
pub struct SearchPage<'a> {
    /// The folder of the index files (`meta.json`, `terms/`, `docs/`).
    pub index_url: String,
    pub script_url: String,
    /// The topic index, shown to readers without JavaScript.
    pub topics: Vec<TopicSummary<'a>>,
}

/// `page.html` (plain pages) — key `page`.
#[derive(Debug, Serialize)]
pub struct PlainPage<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub content: Html,
    pub extra: &'a serde_json::Value,
}

/// One printable worksheet: `worksheet` key of `worksheet.html`, and each
/// of `bundle.weeks[].worksheets` in `worksheet_bundle.html`. A day's worksheet has
/// `journey`, `week` and `day`; a guide's has none of them.
#[derive(Debug, Serialize)]
pub struct WorksheetPage<'a> {
    /// `Day 1: What Closeness Really Means`, or the guide's title.
    pub title: String,
    /// Prefix of the ids inside, unique in a bundle: `day-1`, `guide`.
    /// Also the name of its printed pages (CSS `page:`).
    pub id: String,
    pub journey: Option<JourneyRef<'a>>,
    pub week: Option<WeekLink<'a>>,
    pub day: Option<DayLink<'a>>,
    /// The day or guide page the worksheet comes from.
    pub source_url: String,
    /// This worksheet's own absolute URL, printed in its footer.
    pub url: String,
    pub sections: Vec<WorksheetSection>,
    /// Spacing of its ruled lines on paper (`regular` or `compact`), as
    /// fitted to the site's paper.
    pub pitch: Pitch,
    /// A day's sheet as the built-in `sheet` macro renders it at this
    /// page's heading levels (trusted), made once per day and shared by the
    /// day's page and its bundles; `None` when the site has its own
    /// `worksheet_macros.html` (see [`super::pages::sheet_html`]).
    pub html: Option<String>,
}

/// A worksheet section (a day part or guide section) cut into blocks.
#[derive(Debug, Clone, Serialize)]
pub struct WorksheetSection {
    pub title: String,
    pub id: String,
    /// Each has a `kind`: `stem` (`text`, `number`, `lines` per partner),
    /// `question` (`text`, `number`, `lines`, `partners`: whether each
    /// partner gets `lines`), `exercise` (`html`, trusted, and `lines`) or
    /// `instruction` (`html`, trusted: use `| safe`).
    pub blocks: SheetBlocks,
}

/// `worksheet_bundle.html` — key `bundle`: a week's or a whole journey's
/// day worksheets, in day order, grouped by week. Printed, it is a
/// workbook: the journey's cover and contents (journey bundle only), then
/// each week's divider page and its days.
#[derive(Debug, Serialize)]
pub struct WorksheetBundle<'a> {
    /// `Week 1: Emotional Safety`, or the journey's title.
    pub title: String,
    pub journey: JourneyRef<'a>,
    /// The week of a week's bundle; `None` for the whole journey.
    pub week: Option<WeekLink<'a>>,
    /// The bundle's absolute URL.
    pub url: String,
    /// The journey bundle's cover; `None` for a week's.
    pub cover: Option<WorkbookCover<'a>>,
    /// The weeks that have worksheets, each with its days' worksheets.
    pub weeks: Vec<WorkbookWeek<'a>>,
    /// How many worksheets the bundle holds.
    pub count: usize,
}

/// The cover of a journey's workbook.
#[derive(Debug, Serialize)]
pub struct WorkbookCover<'a> {
    pub title: &'a str,
    pub description: &'a str,
    /// `5 weeks`; empty when the journey does not say.
    pub duration: &'a str,
    pub site: &'a str,
}

/// A week of a workbook: its divider page, then its days' worksheets.
#[derive(Debug, Serialize)]
pub struct WorkbookWeek<'a> {
    pub number: u32,
    /// `Week 1: Emotional Safety` (or `Week 1` without a theme).
    pub title: String,
    pub theme: &'a str,
    /// `week-1`: the divider's id and the name of its printed page.
    pub id: String,
    pub focus: &'a [String],
    pub worksheets: Vec<WorksheetPage<'a>>,
}

/// `print` on worksheet pages: the running header and footer of every
/// printed page, as CSS values ready for `content:` (quoted and escaped,
/// so `| safe` inside the page's `<style>`).
#[derive(Debug, Serialize)]
pub struct PrintContext {
    /// The site's title, left in every page's footer.
    pub footer: String,
    /// The named pages of the document, in order.
    pub pages: Vec<PrintPage>,
}

/// One named page (CSS `@page <name>`): the element with id `name` prints
/// on pages of that name, headed with `header`.
#[derive(Debug, Serialize)]
pub struct PrintPage {
    pub name: String,
    /// `"Deepening Intimacy · Week 1 · Day 3"`, or `none`.
    pub header: String,
    /// Whether its pages carry the footer and page number (not a cover).
    pub footer: bool,
}
