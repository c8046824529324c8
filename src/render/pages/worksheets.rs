//! The worksheet pages: a day's or a guide's worksheet (`worksheet.html`)
//! and the week and journey bundles (`worksheet_bundle.html`), plus the
//! links to them that other pages show.

use super::super::paper::{fit_sheet, Sheet};
use super::super::worksheet::{self, worksheet_blocks, BlockRules};
use super::super::PageKind;
use super::sheet_html::{self, SheetCache};
use super::{week_title, Renderer, TextLinks};
use crate::diagnostics::Diagnostic;
use crate::markdown::{HeadingLevels, DEEPEST_HEADING};
use crate::render::context::{
    PrintContext, PrintPage, WorkbookCover, WorkbookWeek, WorksheetBundle, WorksheetPage,
    WorksheetSection,
};
use crate::render::dependencies::{Made, Mode, SheetBlocks, TextKey};
use crate::resolve::{Day, Guide, Journey, Text, Week};
use std::fmt::Write;

// Heading levels of what a section's own Markdown headings become. A
// worksheet alone has its title as `<h1>` and sections as `<h2>`; in a
// week's bundle, under the week's `<h1>`, they are `<h2>` and `<h3>`; in
// a journey's, under the cover's `<h1>` and the week's `<h2>`, `<h3>` and
// `<h4>`.

/// A day part's `####` headings, on a day's own worksheet: `<h3>`.
const DAY_ALONE: HeadingLevels = HeadingLevels {
    shift: -1,
    min_level: 3,
    max_level: DEEPEST_HEADING,
};

/// A day part's `####` headings, in a week's bundle: `<h4>`.
const DAY_IN_WEEK: HeadingLevels = HeadingLevels {
    shift: 0,
    min_level: 4,
    max_level: DEEPEST_HEADING,
};

/// A day part's `####` headings, in a journey's bundle: `<h5>`.
const DAY_IN_JOURNEY: HeadingLevels = HeadingLevels {
    shift: 1,
    min_level: 5,
    max_level: DEEPEST_HEADING,
};

/// A day part's headings on the sheet rendered once for all pages
/// ([`sheet_html`]): [`DAY_ALONE`]'s, marked. A week's bundle places them
/// one level lower, a journey's two: the same step as [`DAY_IN_WEEK`]
/// and [`DAY_IN_JOURNEY`] take, and as the sheet's title takes there.
const DAY_MARKED: HeadingLevels = HeadingLevels {
    shift: DAY_ALONE.shift + sheet_html::MARK as i8,
    min_level: DAY_ALONE.min_level + sheet_html::MARK,
    max_level: DAY_ALONE.max_level + sheet_html::MARK,
};

/// How far below a day's own worksheet its sheet sits in a week's and in
/// a journey's bundle.
const IN_WEEK: u8 = 1;
const IN_JOURNEY: u8 = 2;

/// A guide section's `###` headings: `<h3>`.
const GUIDE_ALONE: HeadingLevels = HeadingLevels {
    shift: 0,
    min_level: 3,
    max_level: DEEPEST_HEADING,
};

impl<'a> Renderer<'a> {
    pub(super) fn day_worksheet(&self, j: usize, d: usize) -> Result<Made, Diagnostic> {
        let journey = &self.site.journeys[j];
        let day = &journey.days[d];
        let sheet = self.shown_day_sheet(j, d, DAY_ALONE, 0);
        let path = worksheet::day_worksheet_path(day);
        let title = format!("Worksheet: {} — {}", sheet.title, journey.front.title);
        let description = format!(
            "A printable worksheet for day {} of {}: the activity and reflection questions, with space for both of you to write.",
            day.number, journey.front.title
        );
        let meta = self.meta(&title, &description, &path, "website", "journeys");
        let mut context = self.context(meta);
        context.insert(
            "print",
            &self.print_context(vec![day_print_page(journey, &sheet)]),
        );
        context.insert("worksheet", &sheet);
        self.page("worksheet.html", context)
    }

    pub(super) fn guide_worksheet(&self, g: usize) -> Result<Made, Diagnostic> {
        let guide = &self.site.guides[g];
        crate::render::dependencies::facts::read_guide(guide);
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
        let page = PrintPage {
            name: sheet.id.clone(),
            header: css_string(&format!("Guide worksheet · {}", front.title)),
            footer: true,
        };
        context.insert("print", &self.print_context(vec![page]));
        context.insert("worksheet", &sheet);
        self.page("worksheet.html", context)
    }

    pub(super) fn week_worksheets(&self, j: usize, w: usize) -> Result<Made, Diagnostic> {
        let journey = &self.site.journeys[j];
        let week = &journey.weeks[w];
        let path = worksheet::week_worksheets_path(week);
        let weeks = vec![self.workbook_week(j, week, DAY_IN_WEEK, IN_WEEK)];
        let bundle = WorksheetBundle {
            title: week_title(week),
            journey: self.journey_ref(journey),
            week: Some(self.week_link(week)),
            url: self.site.config.base_url.absolute(&path),
            cover: None,
            count: sheet_count(&weeks),
            weeks,
        };
        let title = format!("Worksheets: {} — {}", bundle.title, journey.front.title);
        let description = format!(
            "Every worksheet of week {} of {}, ready to print, one day per sheet.",
            week.number, journey.front.title
        );
        self.bundle_page(journey, bundle, &title, &description, &path)
    }

    pub(super) fn journey_worksheets(&self, j: usize) -> Result<Made, Diagnostic> {
        let journey = &self.site.journeys[j];
        let path = worksheet::journey_worksheets_path(journey);
        let weeks: Vec<WorkbookWeek> = journey
            .weeks
            .iter()
            .enumerate()
            .filter(|&(w, _)| self.sheets_present.week(journey, w))
            .map(|(_, week)| self.workbook_week(j, week, DAY_IN_JOURNEY, IN_JOURNEY))
            .collect();
        let front = &journey.front;
        let bundle = WorksheetBundle {
            title: front.title.clone(),
            journey: self.journey_ref(journey),
            week: None,
            url: self.site.config.base_url.absolute(&path),
            cover: Some(WorkbookCover {
                title: &front.title,
                description: &front.description,
                duration: &front.duration,
                site: &self.site.config.config.title,
            }),
            count: sheet_count(&weeks),
            weeks,
        };
        let title = format!("Worksheets: {}", journey.front.title);
        let description = format!(
            "Every worksheet of {}, ready to print as a workbook: a cover, contents, a page for each week and one sheet per day.",
            journey.front.title
        );
        self.bundle_page(journey, bundle, &title, &description, &path)
    }

    fn bundle_page(
        &self,
        journey: &Journey,
        bundle: WorksheetBundle,
        title: &str,
        description: &str,
        path: &str,
    ) -> Result<Made, Diagnostic> {
        let meta = self.meta(title, description, path, "website", "journeys");
        let mut context = self.context(meta);
        context.insert(
            "print",
            &self.print_context(bundle_print_pages(journey, &bundle)),
        );
        context.insert("bundle", &bundle);
        self.page("worksheet_bundle.html", context)
    }

    /// A week of a bundle: its divider, and the worksheets of those of its
    /// days that have one.
    fn workbook_week(
        &self,
        j: usize,
        week: &'a Week,
        levels: HeadingLevels,
        shift: u8,
    ) -> WorkbookWeek<'a> {
        let journey = &self.site.journeys[j];
        let worksheets = week
            .days
            .iter()
            .filter(|&&d| worksheet::day_has_worksheet(&journey.days[d]))
            .map(|&d| self.shown_day_sheet(j, d, levels, shift))
            .collect();
        WorkbookWeek {
            number: week.number,
            title: week_title(week),
            theme: &week.theme,
            id: format!("week-{}", week.number),
            focus: &week.focus,
            worksheets,
        }
    }

    /// A day's sheet as a page `shift` heading levels below the day's own
    /// worksheet shows it, with `levels` for its headings. When the sheet
    /// comes rendered and the worksheet templates are the built-in ones
    /// (which then read only its title, id and links), its sections are
    /// not made again.
    fn shown_day_sheet(
        &self,
        j: usize,
        d: usize,
        levels: HeadingLevels,
        shift: u8,
    ) -> WorksheetPage<'a> {
        let journey = &self.site.journeys[j];
        let day = &journey.days[d];
        let html = self.sheet_html(j, d, shift);
        let mut sheet = if html.is_some() && self.mode == Mode::Render && self.builtin_sheet_pages {
            self.day_sheet_without_sections(journey, day)
        } else {
            self.day_sheet(journey, day, levels)
        };
        sheet.html = html;
        sheet
    }

    fn day_sheet(
        &self,
        journey: &'a Journey,
        day: &'a Day,
        levels: HeadingLevels,
    ) -> WorksheetPage<'a> {
        let settings = &self.site.config.config.worksheets;
        let rules = BlockRules {
            question_space: settings.question_space,
            items_are_exercises: false,
        };
        crate::render::dependencies::facts::read_day(day);
        let mut sheet = self.day_sheet_without_sections(journey, day);
        sheet.sections = worksheet::worksheet_parts(day)
            .into_iter()
            .map(|part| WorksheetSection {
                title: part.title.clone(),
                id: format!("{}-{}", sheet.id, part.id),
                blocks: self.sheet_blocks(&part.text, &part.text.block.text, "", levels, rules),
            })
            .collect();
        self.fitted(sheet)
    }

    fn day_sheet_without_sections(&self, journey: &'a Journey, day: &'a Day) -> WorksheetPage<'a> {
        let title = if day.title.is_empty() {
            format!("Day {}", day.number)
        } else {
            format!("Day {}: {}", day.number, day.title)
        };
        let url = self
            .site
            .config
            .base_url
            .absolute(&worksheet::day_worksheet_path(day));
        WorksheetPage {
            title,
            id: format!("day-{}", day.number),
            journey: Some(self.journey_ref(journey)),
            week: Some(self.week_link(&journey.weeks[day.week])),
            day: Some(self.day_link(journey, day)),
            source_url: self.site.link(&day.path),
            url,
            sections: Vec::new(),
            pitch: Default::default(),
            html: None,
        }
    }

    fn guide_sheet(&self, guide: &'a Guide) -> WorksheetPage<'a> {
        let settings = &self.site.config.config.worksheets;
        let rules = BlockRules {
            question_space: settings.question_space,
            items_are_exercises: true,
        };
        let id = "guide".to_string();
        let sections = worksheet::guide_worksheet_sections(guide, &settings.guide_sections)
            .into_iter()
            .map(|section| WorksheetSection {
                id: format!("{id}-{}", section.id),
                blocks: self.sheet_blocks(
                    &guide.text,
                    &section.body.text,
                    &section.title,
                    GUIDE_ALONE,
                    rules,
                ),
                title: section.title,
            })
            .collect();
        self.fitted(WorksheetPage {
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
            pitch: Default::default(),
            html: None,
        })
    }

    /// The sheet with its answer space fitted to the site's paper.
    fn fitted(&self, mut page: WorksheetPage<'a>) -> WorksheetPage<'a> {
        if self.mode == Mode::Fingerprint {
            // The fit follows from what the fingerprint has: the sheet's
            // title, URL, blocks and the paper.
            return page;
        }
        let config = &self.site.config.config;
        // The footer line: site title, a separator, the sheet's URL.
        let footer_chars = config.title.chars().count() + 3 + page.url.chars().count();
        let mut sheet = Sheet {
            title: &page.title,
            footer_chars,
            sections: &mut page.sections,
        };
        page.pitch = fit_sheet(&mut sheet, config.worksheets.paper).pitch;
        page
    }

    /// Sets up sharing each day's sheet among the pages of `kinds` that
    /// show it (the day's worksheet, its week's and its journey's
    /// bundles), when the macros are the built-in ones.
    pub(in crate::render) fn share_sheets(&mut self, kinds: &[PageKind]) {
        if self.mode != Mode::Render || !self.builtin_sheet {
            return;
        }
        let journeys = &self.site.journeys;
        let mut uses: Vec<Vec<usize>> = journeys.iter().map(|j| vec![0; j.days.len()]).collect();
        let mut count = |j: usize, days: &mut dyn Iterator<Item = usize>| {
            for d in days {
                if worksheet::day_has_worksheet(&journeys[j].days[d]) {
                    uses[j][d] += 1;
                }
            }
        };
        for &kind in kinds {
            match kind {
                PageKind::DayWorksheet(j, d) => count(j, &mut std::iter::once(d)),
                PageKind::WeekWorksheets(j, w) => {
                    count(j, &mut journeys[j].weeks[w].days.iter().copied())
                }
                PageKind::JourneyWorksheets(j) => count(j, &mut (0..journeys[j].days.len())),
                _ => {}
            }
        }
        self.sheets = Some(SheetCache::new(uses));
    }

    /// Day `d` of journey `j`'s sheet as the built-in macro renders it,
    /// `shift` heading levels below its own worksheet page; in a
    /// fingerprint, that it is there (what it is made from is in the
    /// fingerprint already: the sheet, `site.title`, the macros' text).
    fn sheet_html(&self, j: usize, d: usize, shift: u8) -> Option<String> {
        if self.mode == Mode::Fingerprint {
            return self.builtin_sheet.then(String::new);
        }
        let marked = self
            .sheets
            .as_ref()?
            .get(j, d, || self.marked_sheet(j, d))?;
        Some(marked.place(shift))
    }

    /// The sheet of a day rendered once with marked heading levels; `None`
    /// when its Markdown has what reads as a mark, or it fails (the page
    /// then renders it through the macro, and reports the error).
    fn marked_sheet(&self, j: usize, d: usize) -> Option<String> {
        let journey = &self.site.journeys[j];
        let day = &journey.days[d];
        if worksheet::worksheet_parts(day)
            .iter()
            .any(|part| sheet_html::has_marks(&part.text.block.text))
        {
            return None;
        }
        let sheet = self.day_sheet(journey, day, DAY_MARKED);
        let mut context = tera::Context::new();
        context.insert("worksheet", &sheet);
        context.insert("site_title", &self.site.config.config.title);
        context.insert("level", &(1 + sheet_html::MARK));
        crate::timings::template("one day's sheet", || {
            self.tera.render(sheet_html::TEMPLATE, &context)
        })
        .ok()
    }

    fn print_context(&self, pages: Vec<PrintPage>) -> PrintContext {
        PrintContext {
            footer: css_string(&self.site.config.config.title),
            pages,
        }
    }

    /// The blocks of `markdown`, the part named `part` of `text` (`""` for
    /// all of it); in a fingerprint, what decides them.
    fn sheet_blocks(
        &self,
        text: &Text,
        markdown: &str,
        part: &str,
        levels: HeadingLevels,
        rules: BlockRules,
    ) -> SheetBlocks {
        let links = self.no_read_more();
        let build = || worksheet_blocks(markdown, &links, levels, rules);
        match (self.mode, self.cache) {
            (Mode::Render, None) => SheetBlocks::Built(build()),
            (Mode::Render, Some(cache)) => SheetBlocks::Built(cache.blocks(
                &TextKey::new(text, part, levels, &links),
                &format!("{rules:?}"),
                build,
            )),
            (Mode::Fingerprint, _) => SheetBlocks::Key(
                TextKey::new(text, part, levels, &links),
                format!("{rules:?}"),
            ),
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
        worksheet::day_has_worksheet(day)
            .then(|| self.site.link(&worksheet::day_worksheet_path(day)))
    }

    pub(super) fn week_worksheets_url(&self, journey: &Journey, w: usize) -> Option<String> {
        self.sheets_present.week(journey, w).then(|| {
            self.site
                .link(&worksheet::week_worksheets_path(&journey.weeks[w]))
        })
    }

    pub(super) fn journey_worksheets_url(&self, journey: &Journey) -> Option<String> {
        self.sheets_present
            .journey(journey)
            .then(|| self.site.link(&worksheet::journey_worksheets_path(journey)))
    }

    pub(super) fn guide_worksheet_url(&self, guide: &Guide) -> Option<String> {
        let names = &self.site.config.config.worksheets.guide_sections;
        worksheet::guide_has_worksheet(guide, names)
            .then(|| self.site.link(&worksheet::guide_worksheet_path(guide)))
    }
}

fn sheet_count(weeks: &[WorkbookWeek]) -> usize {
    weeks.iter().map(|week| week.worksheets.len()).sum()
}

/// A day's printed pages: `Deepening Intimacy · Week 1 · Day 3: Title`.
fn day_print_page(journey: &Journey, sheet: &WorksheetPage) -> PrintPage {
    let week = sheet.week.as_ref().map(|week| week.number).unwrap_or(1);
    PrintPage {
        name: sheet.id.clone(),
        header: css_string(&format!(
            "{} · Week {week} · {}",
            journey.front.title, sheet.title
        )),
        footer: true,
    }
}

/// The named pages of a bundle, in print order: the cover (no header or
/// footer) and the contents (page number only) of a journey's, then each
/// week's divider and its days.
fn bundle_print_pages(journey: &Journey, bundle: &WorksheetBundle) -> Vec<PrintPage> {
    let mut pages = Vec::new();
    if bundle.cover.is_some() {
        pages.push(PrintPage {
            name: "cover".into(),
            header: "none".into(),
            footer: false,
        });
        pages.push(PrintPage {
            name: "contents".into(),
            header: "none".into(),
            footer: true,
        });
    }
    for week in &bundle.weeks {
        pages.push(PrintPage {
            name: week.id.clone(),
            header: css_string(&format!("{} · {}", journey.front.title, week.title)),
            footer: true,
        });
        pages.extend(
            week.worksheets
                .iter()
                .map(|sheet| day_print_page(journey, sheet)),
        );
    }
    pages
}

/// `text` as a quoted CSS string that is safe inside a `<style>` element:
/// anything but letters, digits, spaces and plain punctuation is written
/// as a hex escape (`·` → `\b7 `), so no `"`, `\\` or `</style>` gets through.
fn css_string(text: &str) -> String {
    let mut css = String::with_capacity(text.len() + 2);
    css.push('"');
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || " .,:;!?'()-_".contains(c) {
            css.push(c);
        } else {
            let _ = write!(css, "\\{:x} ", c as u32);
        }
    }
    css.push('"');
    css
}

#[cfg(test)]
mod tests {
    use super::css_string;

    #[test]
    fn css_string_escapes_what_could_end_the_string_or_the_style() {
        assert_eq!(css_string("Day 1: Hi"), "\"Day 1: Hi\"");
        assert_eq!(
            css_string("a\"b\\c</style>·"),
            "\"a\\22 b\\5c c\\3c \\2f style\\3e \\b7 \""
        );
    }
}
