//! The worksheet pages: a day's or a guide's worksheet (`worksheet.html`)
//! and the week and journey bundles (`worksheet_bundle.html`), plus the
//! links to them that other pages show.

use super::super::worksheet::{self, worksheet_blocks};
use super::{week_title, Renderer, TextLinks};
use crate::diagnostics::Diagnostic;
use crate::markdown::HeadingLevels;
use crate::render::context::{WorksheetBundle, WorksheetPage, WorksheetSection};
use crate::render::Output;
use crate::resolve::{Day, Guide, Journey, Week};
use crate::slug::slugify;

// Heading levels of what a section's own Markdown headings become. A
// worksheet alone has its title as `<h1>` and sections as `<h2>`; in a
// bundle, under the bundle's `<h1>`, they are `<h2>` and `<h3>`.

/// A day part's `####` headings, on a day's own worksheet: `<h3>`.
const DAY_ALONE: HeadingLevels = HeadingLevels {
    shift: -1,
    min_level: 3,
};

/// A day part's `####` headings, in a bundle: `<h4>`.
const DAY_IN_BUNDLE: HeadingLevels = HeadingLevels {
    shift: 0,
    min_level: 4,
};

/// A guide section's `###` headings: `<h3>`.
const GUIDE_ALONE: HeadingLevels = HeadingLevels {
    shift: 0,
    min_level: 3,
};

impl<'a> Renderer<'a> {
    pub(super) fn day_worksheet(&self, j: usize, d: usize) -> Result<Output, Diagnostic> {
        let journey = &self.site.journeys[j];
        let day = &journey.days[d];
        let sheet = self.day_sheet(journey, day, DAY_ALONE);
        let path = worksheet::day_worksheet_path(day);
        let title = format!("Worksheet: {} — {}", sheet.title, journey.front.title);
        let description = format!(
            "A printable worksheet for day {} of {}: the activity and reflection questions, with space for both of you to write.",
            day.number, journey.front.title
        );
        let meta = self.meta(&title, &description, &path, "website", "journeys");
        let mut context = self.context(meta);
        context.insert("worksheet", &sheet);
        self.page("worksheet.html", &path, context)
    }

    pub(super) fn guide_worksheet(&self, g: usize) -> Result<Output, Diagnostic> {
        let guide = &self.site.guides[g];
        let sheet = self.guide_sheet(guide);
        let path = worksheet::guide_worksheet_path(guide);
        let front = &guide.source.front;
        let title = format!("Worksheet: {}", front.title);
        let description = format!(
            "A printable worksheet of the exercises in “{}”, with space to write.",
            front.title
        );
        let meta = self.meta(&title, &description, &path, "website", "guides");
        let mut context = self.context(meta);
        context.insert("worksheet", &sheet);
        self.page("worksheet.html", &path, context)
    }

    pub(super) fn week_worksheets(&self, j: usize, w: usize) -> Result<Output, Diagnostic> {
        let journey = &self.site.journeys[j];
        let week = &journey.weeks[w];
        let days = week.days.iter().map(|&d| &journey.days[d]);
        let path = worksheet::week_worksheets_path(week);
        let bundle = WorksheetBundle {
            title: week_title(week),
            journey: self.journey_ref(journey),
            week: Some(self.week_link(week)),
            url: self.site.config.base_url.absolute(&path),
            worksheets: self.day_sheets(journey, days),
        };
        let title = format!("Worksheets: {} — {}", bundle.title, journey.front.title);
        let description = format!(
            "Every worksheet of week {} of {}, ready to print, one day per sheet.",
            week.number, journey.front.title
        );
        self.bundle_page(bundle, &title, &description, &path)
    }

    pub(super) fn journey_worksheets(&self, j: usize) -> Result<Output, Diagnostic> {
        let journey = &self.site.journeys[j];
        let path = worksheet::journey_worksheets_path(journey);
        let bundle = WorksheetBundle {
            title: journey.front.title.clone(),
            journey: self.journey_ref(journey),
            week: None,
            url: self.site.config.base_url.absolute(&path),
            worksheets: self.day_sheets(journey, journey.days.iter()),
        };
        let title = format!("Worksheets: {}", journey.front.title);
        let description = format!(
            "Every worksheet of {}, ready to print, one day per sheet.",
            journey.front.title
        );
        self.bundle_page(bundle, &title, &description, &path)
    }

    fn bundle_page(
        &self,
        bundle: WorksheetBundle,
        title: &str,
        description: &str,
        path: &str,
    ) -> Result<Output, Diagnostic> {
        let meta = self.meta(title, description, path, "website", "journeys");
        let mut context = self.context(meta);
        context.insert("bundle", &bundle);
        self.page("worksheet_bundle.html", path, context)
    }

    /// The worksheets of those of `days` that have one, for a bundle.
    fn day_sheets(
        &self,
        journey: &'a Journey,
        days: impl Iterator<Item = &'a Day>,
    ) -> Vec<WorksheetPage<'a>> {
        let sections = &self.site.config.config.worksheets.sections;
        days.filter(|day| worksheet::day_has_worksheet(day, sections))
            .map(|day| self.day_sheet(journey, day, DAY_IN_BUNDLE))
            .collect()
    }

    fn day_sheet(
        &self,
        journey: &'a Journey,
        day: &'a Day,
        levels: HeadingLevels,
    ) -> WorksheetPage<'a> {
        let settings = &self.site.config.config.worksheets;
        let id = format!("day-{}", day.number);
        let sections = worksheet::worksheet_parts(day, &settings.sections)
            .into_iter()
            .map(|part| WorksheetSection {
                title: part.title.clone(),
                id: format!("{id}-{}", part.id),
                blocks: worksheet_blocks(&part.text.block.text, &self.no_read_more(), levels),
            })
            .collect();
        let title = if day.title.is_empty() {
            format!("Day {}", day.number)
        } else {
            format!("Day {}: {}", day.number, day.title)
        };
        WorksheetPage {
            title,
            id,
            journey: Some(self.journey_ref(journey)),
            week: Some(self.week_link(&journey.weeks[day.week])),
            day: Some(self.day_link(journey, day)),
            source_url: self.site.link(&day.path),
            url: self
                .site
                .config
                .base_url
                .absolute(&worksheet::day_worksheet_path(day)),
            sections,
        }
    }

    fn guide_sheet(&self, guide: &'a Guide) -> WorksheetPage<'a> {
        let settings = &self.site.config.config.worksheets;
        let id = "guide".to_string();
        let sections = worksheet::guide_worksheet_sections(guide, &settings.guide_sections)
            .into_iter()
            .map(|section| WorksheetSection {
                id: format!("{id}-{}", slugify(&section.title)),
                blocks: worksheet_blocks(&section.body.text, &self.no_read_more(), GUIDE_ALONE),
                title: section.title,
            })
            .collect();
        WorksheetPage {
            title: guide.source.front.title.clone(),
            id,
            journey: None,
            week: None,
            day: None,
            source_url: self.site.link(&guide.path),
            url: self
                .site
                .config
                .base_url
                .absolute(&worksheet::guide_worksheet_path(guide)),
            sections,
        }
    }

    /// Links for worksheet text: `@/` links resolve as on the page; Read
    /// more paragraphs are left out of worksheets, so none are needed.
    fn no_read_more(&self) -> TextLinks<'a> {
        TextLinks {
            site: self.site,
            read_more: &[],
        }
    }

    // ---- links to worksheets from other pages, only when they exist ----

    pub(super) fn day_worksheet_url(&self, day: &Day) -> Option<String> {
        let sections = &self.site.config.config.worksheets.sections;
        worksheet::day_has_worksheet(day, sections)
            .then(|| self.site.link(&worksheet::day_worksheet_path(day)))
    }

    pub(super) fn week_worksheets_url(&self, journey: &Journey, week: &Week) -> Option<String> {
        let sections = &self.site.config.config.worksheets.sections;
        worksheet::week_has_worksheets(journey, week, sections)
            .then(|| self.site.link(&worksheet::week_worksheets_path(week)))
    }

    pub(super) fn journey_worksheets_url(&self, journey: &Journey) -> Option<String> {
        let sections = &self.site.config.config.worksheets.sections;
        worksheet::journey_has_worksheets(journey, sections)
            .then(|| self.site.link(&worksheet::journey_worksheets_path(journey)))
    }

    pub(super) fn guide_worksheet_url(&self, guide: &Guide) -> Option<String> {
        let names = &self.site.config.config.worksheets.guide_sections;
        worksheet::guide_has_worksheet(guide, names)
            .then(|| self.site.link(&worksheet::guide_worksheet_path(guide)))
    }
}
