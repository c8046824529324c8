//! Journeys: days merged from both forms, mapped to weeks (the plan's or
//! derived from `days_per_week`), checked against the lesson schema.

use super::Text;
use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::front_matter::KeyLines;
use crate::load::journey::TitledBlock;
use crate::load::{DaySource, JourneyFront, JourneySource};
use crate::slug::{slugify, starts_with_key, title_key};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::PathBuf;

#[derive(Debug)]
pub struct Journey {
    pub slug: String,
    /// `journeys/<slug>/`
    pub path: String,
    pub file: PathBuf,
    pub content_path: String,
    pub front: JourneyFront,
    pub extra: serde_json::Value,
    pub keys: KeyLines,
    pub intro: Text,
    pub sections: Vec<Part>,
    /// By number.
    pub weeks: Vec<Week>,
    /// By number.
    pub days: Vec<Day>,
    pub days_per_week: u32,
    pub topics: Vec<usize>,
}

impl Journey {
    /// Planned length in days: every week full, or the last day if later.
    pub fn total_days(&self) -> u32 {
        let planned = self.weeks.len() as u32 * self.days_per_week;
        planned.max(self.days.last().map_or(0, |d| d.number))
    }
}

#[derive(Debug)]
pub struct Week {
    pub number: u32,
    /// Empty for a week derived without a plan.
    pub theme: String,
    pub focus: Vec<String>,
    /// `journeys/<slug>/week-<n>/`
    pub path: String,
    /// Indices into [`Journey::days`], in order.
    pub days: Vec<usize>,
}

/// A `###` part of a day, or a `##` overview section of a journey.
#[derive(Debug)]
pub struct Part {
    pub title: String,
    pub id: String,
    pub line: usize,
    pub text: Text,
    /// A day's part that goes on its worksheet: it matches a name of
    /// `worksheets.sections` (decided here, once; never for a journey's
    /// sections).
    pub on_worksheet: bool,
}

#[derive(Debug)]
pub struct Day {
    pub number: u32,
    pub title: String,
    /// Index into [`Journey::weeks`].
    pub week: usize,
    /// `journeys/<slug>/day-<n>/`
    pub path: String,
    pub file: PathBuf,
    pub line: usize,
    pub content_path: String,
    pub topic_names: Vec<String>,
    pub keys: KeyLines,
    pub extra: serde_json::Value,
    pub intro: Text,
    pub parts: Vec<Part>,
    /// Indices into `Site::topics`.
    pub topics: Vec<usize>,
    /// Guide indices, best first.
    pub related: Vec<usize>,
}

/// The names of `site.toml` that day parts are matched against, as title
/// keys ([`title_key`]), made once per resolve: each part's title is keyed
/// once and compared with them as bytes ([`part_matches`] keys both sides
/// on every call).
struct PartNames {
    /// `journeys.required_parts`: (name, key).
    required: Vec<(String, String)>,
    /// `worksheets.sections`.
    worksheet: Vec<String>,
}

impl PartNames {
    fn of(config: &SiteConfig) -> PartNames {
        let config = &config.config;
        PartNames {
            required: config
                .journeys
                .required_parts
                .iter()
                .map(|name| (name.clone(), title_key(name)))
                .collect(),
            worksheet: config
                .worksheets
                .sections
                .iter()
                .map(|name| title_key(name))
                .collect(),
        }
    }
}

pub fn resolve_journeys(
    config: &SiteConfig,
    mut sources: Vec<JourneySource>,
    diagnostics: &mut Diagnostics,
) -> Vec<Journey> {
    let names = PartNames::of(config);
    sources.sort_by(|a, b| {
        let order = |s: &JourneySource| (s.front.sequence.is_none(), s.front.sequence);
        order(a)
            .cmp(&order(b))
            .then_with(|| a.front.title.cmp(&b.front.title))
    });
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    let slugged: Vec<Result<(String, JourneySource), Diagnostic>> = sources
        .into_iter()
        .map(|source| {
            let slug = slugify(&source.slug);
            if slug.is_empty() {
                return Err(super::empty_name_slug(&source.file).help(
                    "rename the journey's folder or file with words, e.g. `journeys/calm-start/`",
                ));
            }
            if let Some(first) = seen.get(&slug) {
                return Err(Diagnostic::error(
                    &source.file,
                    format!(
                        "the journey `{slug}` is also defined by {}",
                        first.display()
                    ),
                )
                .at(1)
                .help("keep one form: a folder with journey.md, or a single file"));
            }
            seen.insert(slug.clone(), source.file.clone());
            Ok((slug, source))
        })
        .collect();
    // Each journey resolves on its own; their problems are reported in
    // journey order all the same.
    let resolved: Vec<Result<(Journey, Diagnostics), Diagnostic>> = slugged
        .into_par_iter()
        .map(|slugged| {
            slugged.map(|(slug, source)| {
                let mut found = Diagnostics::default();
                let journey = resolve_journey(config, &names, slug, source, &mut found);
                (journey, found)
            })
        })
        .collect();
    let mut journeys = Vec::with_capacity(resolved.len());
    for result in resolved {
        match result {
            Ok((journey, found)) => {
                diagnostics.extend(found);
                journeys.push(journey);
            }
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    journeys
}

fn resolve_journey(
    config: &SiteConfig,
    names: &PartNames,
    slug: String,
    source: JourneySource,
    diagnostics: &mut Diagnostics,
) -> Journey {
    let path = format!("journeys/{slug}/");
    let days_per_week = source.front.days_per_week.unwrap_or(config.days_per_week());
    let day_sources = unique_days(source.days, diagnostics);
    let mut weeks = match &source.plan {
        Some(plan) => planned_weeks(&source.file, plan, &path, diagnostics),
        None => Vec::new(),
    };
    let has_plan = source.plan.is_some();
    let mut days = Vec::with_capacity(day_sources.len());
    let mut missing_parts = Vec::with_capacity(day_sources.len());
    for day in day_sources {
        let week_number = day
            .week
            .unwrap_or_else(|| day.number.div_ceil(days_per_week));
        if !crate::limits::WEEKS.contains(&week_number) {
            diagnostics.push(
                Diagnostic::error(
                    &day.file,
                    format!(
                        "day {} falls in week {week_number}, out of range: weeks must be {}",
                        day.number,
                        crate::limits::describe(&crate::limits::WEEKS)
                    ),
                )
                .at(day.keys.line("day"))
                .help("give the journey more `days_per_week`, or fewer days"),
            );
            continue;
        }
        let week = match weeks.iter().position(|w| w.number == week_number) {
            Some(index) => index,
            None if has_plan => {
                let problem = format!(
                    "day {} is in week {week_number}, which the journey plan does not have",
                    day.number
                );
                let add_week = format!(
                    "add `### Week {week_number}: <theme>` under `## Your Journey Plan` in {}",
                    source.file.display()
                );
                let diagnostic = match day.week {
                    Some(_) => Diagnostic::error(&day.file, problem)
                        .at(day.keys.line("week"))
                        .help(format!("{add_week}, or change `week:` to a planned week")),
                    None => Diagnostic::error(&day.file, problem)
                        .at(day.line)
                        .help(add_week),
                };
                diagnostics.push(diagnostic);
                continue;
            }
            None => {
                weeks.push(derived_week(&path, week_number));
                weeks.len() - 1
            }
        };
        let (day, missing) = resolve_day(&path, day, week, names);
        missing_parts.push(missing);
        days.push(day);
    }
    if !has_plan {
        fill_derived_weeks(&mut weeks, &path, &mut days);
    }
    for (index, day) in days.iter().enumerate() {
        weeks[day.week].days.push(index);
    }
    for (day, missing) in days.iter().zip(&missing_parts) {
        report_missing_parts(day, missing, diagnostics);
    }
    for week in weeks.iter().filter(|w| w.days.is_empty()) {
        diagnostics.push(
            Diagnostic::note(
                &source.file,
                format!("week {} (\"{}\") has no days yet", week.number, week.theme),
            )
            .help("its week page says the days are coming; add day files when they are written"),
        );
    }
    Journey {
        slug,
        path,
        intro: Text {
            block: source.intro,
            read_more: Vec::new(),
        },
        sections: source
            .sections
            .into_iter()
            .map(|block| part_of(block, false))
            .collect(),
        file: source.file,
        content_path: source.content_path,
        front: source.front,
        extra: source.extra,
        keys: source.keys,
        weeks,
        days,
        days_per_week,
        topics: Vec::new(),
    }
}

/// Days by number; the second of two days with one number is an error.
fn unique_days(mut days: Vec<DaySource>, diagnostics: &mut Diagnostics) -> Vec<DaySource> {
    days.sort_by_key(|d| d.number);
    let mut unique: Vec<DaySource> = Vec::with_capacity(days.len());
    for day in days {
        if let Some(first) = unique.last().filter(|first| first.number == day.number) {
            diagnostics.push(
                Diagnostic::error(&day.file, format!("day {} is defined twice", day.number))
                    .at(day.line)
                    .help(format!(
                        "it is also defined at {}:{}; remove one or renumber it",
                        first.file.display(),
                        first.line
                    )),
            );
            continue;
        }
        unique.push(day);
    }
    unique
}

fn planned_weeks(
    file: &std::path::Path,
    plan: &crate::load::journey::Plan,
    journey_path: &str,
    diagnostics: &mut Diagnostics,
) -> Vec<Week> {
    let mut weeks: Vec<Week> = Vec::new();
    for planned in &plan.weeks {
        if weeks.iter().any(|w| w.number == planned.number) {
            diagnostics.push(
                Diagnostic::error(file, format!("week {} is planned twice", planned.number))
                    .at(planned.line)
                    .help("remove one of the two `### Week` headings or renumber it"),
            );
            continue;
        }
        weeks.push(Week {
            number: planned.number,
            theme: planned.theme.clone(),
            focus: planned.focus.clone(),
            path: format!("{journey_path}week-{}/", planned.number),
            days: Vec::new(),
        });
    }
    weeks.sort_by_key(|w| w.number);
    weeks
}

fn derived_week(journey_path: &str, number: u32) -> Week {
    Week {
        number,
        theme: String::new(),
        focus: Vec::new(),
        path: format!("{journey_path}week-{number}/"),
        days: Vec::new(),
    }
}

/// Without a plan, weeks run from 1 to the last day's week, in order.
fn fill_derived_weeks(weeks: &mut Vec<Week>, journey_path: &str, days: &mut [Day]) {
    let last = weeks.iter().map(|w| w.number).max().unwrap_or(0);
    let old_numbers: Vec<u32> = weeks.iter().map(|w| w.number).collect();
    *weeks = (1..=last).map(|n| derived_week(journey_path, n)).collect();
    for day in days {
        day.week = old_numbers[day.week] as usize - 1;
    }
}

/// A day, and the names of the required parts it lacks.
fn resolve_day<'n>(
    journey_path: &str,
    day: DaySource,
    week: usize,
    names: &'n PartNames,
) -> (Day, Vec<&'n str>) {
    let matches = |key: &str, name: &str| key.starts_with(name);
    let missing = names
        .required
        .iter()
        .filter(|(_, required)| !day.parts.iter().any(|part| matches(&part.key, required)))
        .map(|(name, _)| name.as_str())
        .collect();
    let parts = day
        .parts
        .into_iter()
        .map(|block| {
            let on_worksheet = names.worksheet.iter().any(|name| matches(&block.key, name));
            part_of(block, on_worksheet)
        })
        .collect();
    let day = Day {
        number: day.number,
        path: format!("{journey_path}day-{}/", day.number),
        week,
        title: day.title,
        file: day.file,
        line: day.line,
        content_path: day.content_path,
        topic_names: day.topics,
        keys: day.keys,
        extra: day.extra,
        intro: Text {
            block: day.intro,
            read_more: Vec::new(),
        },
        parts,
        topics: Vec::new(),
        related: Vec::new(),
    };
    (day, missing)
}

fn part_of(block: TitledBlock, on_worksheet: bool) -> Part {
    let id = block.id;
    Part {
        id: if id.is_empty() { "part".into() } else { id },
        title: block.title,
        line: block.line,
        text: Text {
            block: block.body,
            read_more: Vec::new(),
        },
        on_worksheet,
    }
}

/// Whether a part title matches a name from `site.toml`: by prefix,
/// ignoring case, punctuation and quote style.
pub fn part_matches(title: &str, name: &str) -> bool {
    starts_with_key(title, name)
}

/// A day without a required part is a warning (an error under `--strict`).
fn report_missing_parts(day: &Day, missing: &[&str], diagnostics: &mut Diagnostics) {
    for required in missing {
        diagnostics.push(
            Diagnostic::warning(
                &day.file,
                format!("day {} has no \"{required}\" part", day.number),
            )
            .at(day.line)
            .help(format!("add a `### {required}` section to the day")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Block;

    fn day_with_parts(titles: &[&str]) -> DaySource {
        DaySource {
            number: 1,
            title: "One".into(),
            file: PathBuf::from("content/journeys/j/day-01.md"),
            line: 1,
            content_path: "journeys/j/day-01.md".into(),
            topics: Vec::new(),
            keys: KeyLines::default(),
            week: None,
            extra: serde_json::Value::Null,
            intro: Block::default(),
            parts: titles
                .iter()
                .map(|title| TitledBlock::new(title.to_string(), 2, Block::default()))
                .collect(),
        }
    }

    #[test]
    fn day_parts_are_matched_once_against_the_keyed_names() {
        let names = PartNames {
            required: ["Today's Learning", "Reflection Questions"]
                .iter()
                .map(|name| (name.to_string(), title_key(name)))
                .collect(),
            worksheet: vec![
                title_key("Today’s Activity"),
                title_key("Reflection Questions"),
            ],
        };
        let titles = ["TODAY'S LEARNING: the basics", "Today's Activity", "Notes"];
        let (day, missing) = resolve_day("journeys/j/", day_with_parts(&titles), 0, &names);
        let on_worksheet: Vec<bool> = day.parts.iter().map(|part| part.on_worksheet).collect();
        assert_eq!(on_worksheet, [false, true, false]);
        assert_eq!(missing, ["Reflection Questions"]);
        for (part, title) in day.parts.iter().zip(titles) {
            let by_title = names
                .worksheet
                .iter()
                .any(|name| starts_with_key(title, name));
            assert_eq!(part.on_worksheet, by_title, "{title}");
        }
    }
}
