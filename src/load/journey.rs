//! Cuts a journey's Markdown into its parts: the intro, overview sections,
//! `## Day N: Title` sections with their `###` parts, and the plan's
//! `### Week N: Theme` headings with their focus points.

use super::Block;
use crate::slug::{slugify, title_key};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::ops::Range;

/// A heading of a Markdown text, with where it sits.
#[derive(Debug, Clone)]
struct HeadingSpan {
    level: u8,
    text: String,
    /// Bytes of the heading itself.
    range: Range<usize>,
}

/// The pieces of a journey file's body.
#[derive(Debug, Default)]
pub struct JourneyBody {
    /// Text before the first `##` section (a leading `#` title dropped).
    pub intro: Block,
    pub sections: Vec<TitledBlock>,
    pub days: Vec<InlineDay>,
    pub plan: Option<Plan>,
}

/// A `##` overview section, or a `###` part of a day.
#[derive(Debug, Clone)]
pub struct TitledBlock {
    pub title: String,
    /// The title as part names are matched against it ([`title_key`]),
    /// and as an anchor id ([`slugify`]; empty when it has no letter or
    /// digit): worked out when the file is read, not at every resolve.
    pub key: String,
    pub id: String,
    pub line: usize,
    pub body: Block,
}

impl TitledBlock {
    pub fn new(title: String, line: usize, body: Block) -> TitledBlock {
        TitledBlock {
            key: title_key(&title),
            id: slugify(&title),
            title,
            line,
            body,
        }
    }
}

/// A `## Day N: Title` section.
#[derive(Debug)]
pub struct InlineDay {
    pub number: u32,
    pub title: String,
    pub line: usize,
    pub intro: Block,
    pub parts: Vec<TitledBlock>,
}

/// The `## Your Journey Plan` section.
#[derive(Debug, Clone)]
pub struct Plan {
    pub line: usize,
    pub weeks: Vec<PlannedWeek>,
}

#[derive(Debug, Clone)]
pub struct PlannedWeek {
    pub number: u32,
    pub theme: String,
    pub focus: Vec<String>,
    pub line: usize,
}

/// Splits a journey body whose first line is line `first_line` of its file.
pub fn split_journey(body: &str, first_line: usize) -> JourneyBody {
    let headings = find_headings(body);
    let lines = Lines::new(body, first_line);
    let level2: Vec<&HeadingSpan> = headings.iter().filter(|h| h.level == 2).collect();
    let intro_end = level2.first().map_or(body.len(), |h| h.range.start);
    let mut journey = JourneyBody {
        intro: intro_block(body, &headings, intro_end, &lines),
        ..JourneyBody::default()
    };
    for (index, heading) in level2.iter().enumerate() {
        let end = level2
            .get(index + 1)
            .map_or(body.len(), |next| next.range.start);
        let content = heading.range.end..end;
        let line = lines.line(heading.range.start);
        if let Some((number, title)) = parse_numbered(&heading.text, "day") {
            let inner: Vec<&HeadingSpan> = headings
                .iter()
                .filter(|h| h.level == 3 && content.contains(&h.range.start))
                .collect();
            let (intro, parts) = split_parts(body, content, &inner, &lines);
            journey.days.push(InlineDay {
                number,
                title,
                line,
                intro,
                parts,
            });
        } else if heading.text.to_lowercase().contains("journey plan") {
            journey.plan = Some(parse_plan(body, content, &headings, line, &lines));
        } else {
            journey.sections.push(TitledBlock::new(
                heading.text.clone(),
                line,
                lines.block(body, content),
            ));
        }
    }
    journey
}

/// Splits a day file's body into its parts: the `##` or `###` headings,
/// whichever level comes first.
pub fn split_day_file(body: &str, first_line: usize) -> (Block, Vec<TitledBlock>) {
    let headings = find_headings(body);
    let lines = Lines::new(body, first_line);
    let Some(level) = headings.iter().map(|h| h.level).filter(|&l| l >= 2).min() else {
        return (lines.block(body, 0..body.len()), Vec::new());
    };
    let parts: Vec<&HeadingSpan> = headings.iter().filter(|h| h.level == level).collect();
    split_parts(body, 0..body.len(), &parts, &lines)
}

fn split_parts(
    body: &str,
    content: Range<usize>,
    parts: &[&HeadingSpan],
    lines: &Lines,
) -> (Block, Vec<TitledBlock>) {
    let intro_end = parts.first().map_or(content.end, |h| h.range.start);
    let intro = lines.block(body, content.start..intro_end);
    let blocks = parts
        .iter()
        .enumerate()
        .map(|(index, part)| {
            let end = parts
                .get(index + 1)
                .map_or(content.end, |next| next.range.start);
            TitledBlock::new(
                part.text.clone(),
                lines.line(part.range.start),
                lines.block(body, part.range.end..end),
            )
        })
        .collect();
    (intro, blocks)
}

/// The intro, without a leading `# Title` (the page shows the title).
fn intro_block(body: &str, headings: &[HeadingSpan], end: usize, lines: &Lines) -> Block {
    let start = match headings.first() {
        Some(h) if h.level == 1 && body[..h.range.start].trim().is_empty() => h.range.end,
        _ => 0,
    };
    lines.block(body, start..end.max(start))
}

fn parse_plan(
    body: &str,
    content: Range<usize>,
    headings: &[HeadingSpan],
    line: usize,
    lines: &Lines,
) -> Plan {
    let weeks_headings: Vec<&HeadingSpan> = headings
        .iter()
        .filter(|h| h.level == 3 && content.contains(&h.range.start))
        .collect();
    let weeks = weeks_headings
        .iter()
        .enumerate()
        .filter_map(|(index, heading)| {
            let (number, theme) = parse_numbered(&heading.text, "week")?;
            let end = weeks_headings
                .get(index + 1)
                .map_or(content.end, |next| next.range.start);
            Some(PlannedWeek {
                number,
                theme,
                focus: bullet_items(&body[heading.range.end..end]),
                line: lines.line(heading.range.start),
            })
        })
        .collect();
    Plan { line, weeks }
}

/// The text of each top-level bullet (`-`, `*`, `+`) of a Markdown text.
fn bullet_items(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let rest = line
                .strip_prefix("- ")
                .or_else(|| line.strip_prefix("* "))
                .or_else(|| line.strip_prefix("+ "))?;
            let item = rest.trim();
            (!item.is_empty()).then(|| item.to_string())
        })
        .collect()
}

/// `Day 12: Title` → `(12, "Title")` for `word` = `day` (any case; `:`,
/// `.`, `-`, `–`, `—` separate the number from the title).
pub fn parse_numbered(heading: &str, word: &str) -> Option<(u32, String)> {
    let trimmed = heading.trim();
    if trimmed.len() < word.len() || !trimmed[..word.len()].eq_ignore_ascii_case(word) {
        return None;
    }
    let rest = trimmed[word.len()..].trim_start();
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty()
        || (rest.len() > digits.len() && rest[digits.len()..].starts_with(char::is_alphanumeric))
    {
        return None;
    }
    // Too long for a u32: the largest, so the limit check reports it
    // rather than the heading silently becoming a section.
    let number = digits.parse().unwrap_or(u32::MAX);
    let title = rest[digits.len()..]
        .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '.' | '-' | '–' | '—'))
        .trim()
        .to_string();
    Some((number, title))
}

fn find_headings(body: &str) -> Vec<HeadingSpan> {
    let mut headings = Vec::new();
    let mut current: Option<(u8, usize, String)> = None;
    for (event, range) in Parser::new_ext(body, crate::markdown::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                current = Some((level as u8, range.start, String::new()))
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, start, text)) = current.take() {
                    headings.push(HeadingSpan {
                        level,
                        text: text.trim().to_string(),
                        range: start..range.end,
                    });
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, _, heading)) = current.as_mut() {
                    heading.push_str(&text);
                }
            }
            _ => {}
        }
    }
    headings
}

/// Byte offsets → file lines, and Markdown slices as [`Block`]s.
struct Lines {
    starts: Vec<usize>,
    first_line: usize,
}

impl Lines {
    fn new(text: &str, first_line: usize) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { starts, first_line }
    }

    fn line(&self, offset: usize) -> usize {
        self.first_line + self.starts.partition_point(|&start| start <= offset) - 1
    }

    /// The text in `range`, starting at the next whole line.
    fn block(&self, body: &str, range: Range<usize>) -> Block {
        let text = &body[range.clone()];
        let skipped = text.len() - text.trim_start_matches(['\n', '\r']).len();
        let start = range.start + skipped;
        Block::new(
            body[start..range.end].trim_end().to_string(),
            self.line(start),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const JOURNEY: &str = "# Big Title\n\nWelcome.\n\n## About\n\nSome words.\n\n## Day 1: Start Here\n\nLead.\n\n### Today's Learning\n\nLearn.\n\n### Today's Activity\n\n- \"I feel...\"\n\n## Your Journey Plan\n\n### Week 1: Safety\n- Trust\n- Share\n\n### Week 2: Growth\n- Grow\n";

    #[test]
    fn splits_intro_sections_days_and_plan() {
        let journey = split_journey(JOURNEY, 5);
        assert_eq!(journey.intro.text, "Welcome.");
        assert_eq!(journey.intro.line, 7);
        assert_eq!(journey.sections.len(), 1);
        assert_eq!(journey.sections[0].title, "About");
        let day = &journey.days[0];
        assert_eq!(
            (day.number, day.title.as_str(), day.line),
            (1, "Start Here", 13)
        );
        assert_eq!(day.intro.text, "Lead.");
        let parts: Vec<&str> = day.parts.iter().map(|p| p.title.as_str()).collect();
        // Smart punctuation applies to titles as to the text they head.
        assert_eq!(parts, ["Today’s Learning", "Today’s Activity"]);
        assert_eq!(day.parts[1].body.text, "- \"I feel...\"");
        let plan = journey.plan.unwrap();
        assert_eq!(plan.weeks.len(), 2);
        assert_eq!(plan.weeks[0].theme, "Safety");
        assert_eq!(plan.weeks[0].focus, ["Trust", "Share"]);
        assert_eq!(plan.weeks[1].number, 2);
    }

    #[test]
    fn numbered_headings() {
        assert_eq!(
            parse_numbered("Day 12: Title", "day"),
            Some((12, "Title".into()))
        );
        assert_eq!(
            parse_numbered("day 3 — Calm", "day"),
            Some((3, "Calm".into()))
        );
        assert_eq!(parse_numbered("Week 2", "week"), Some((2, String::new())));
        assert_eq!(parse_numbered("Daydream", "day"), None);
        assert_eq!(parse_numbered("Days 1a", "day"), None);
    }

    #[test]
    fn day_file_parts_use_the_first_heading_level() {
        let (intro, parts) =
            split_day_file("Hello.\n\n### A\n\nx\n\n#### Inner\n\n### B\n\ny\n", 4);
        assert_eq!(intro.text, "Hello.");
        assert_eq!(parts.len(), 2);
        assert!(parts[0].body.text.contains("#### Inner"));
        assert_eq!(parts[1].line, 12);
    }
}
