//! Worksheet sections → [`WorksheetBlock`]s. The Markdown of a day's
//! activity and reflection parts (or a guide's exercises) is cut into
//! prompts and instructions, so the template can give each prompt writing
//! space sized to it: sentence stems get an answer area per partner,
//! questions get ruled lines, everything else stays as rendered text.

use crate::config::QuestionSpace;
use crate::load::journey::{split_day_file, TitledBlock};
use crate::markdown::{
    collect_until_end, heading_number, options, plain_text, read_more_target, resolve_link,
    HeadingLevels, Links,
};
use crate::resolve::{part_matches, Day, Guide, Journey, Part, Week};
use pulldown_cmark::{html, Event, Parser, Tag, TagEnd};
use serde::Serialize;

/// One piece of a worksheet section, in the order it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WorksheetBlock {
    /// A sentence stem (`"I feel closest to you when..."`) or a quoted
    /// prompt: both partners answer it, each on `lines` ruled lines.
    Stem {
        text: String,
        /// Its number in an ordered list.
        number: Option<u64>,
        lines: u32,
    },
    /// A question: `lines` ruled lines for each partner (`partners`), or
    /// `lines` to share.
    Question {
        text: String,
        number: Option<u64>,
        lines: u32,
        partners: bool,
    },
    /// An item of a guide's exercise list that is neither a stem nor a
    /// question (`Daily check-ins: …`): its text as HTML (trusted), then
    /// `lines` ruled lines for the couple's notes.
    Exercise { html: String, lines: u32 },
    /// Anything else, as HTML (trusted: use `| safe`).
    Instruction { html: String },
}

impl WorksheetBlock {
    /// The ruled lines of a block that has writing space.
    pub fn lines_mut(&mut self) -> Option<&mut u32> {
        match self {
            WorksheetBlock::Stem { lines, .. }
            | WorksheetBlock::Question { lines, .. }
            | WorksheetBlock::Exercise { lines, .. } => Some(lines),
            WorksheetBlock::Instruction { .. } => None,
        }
    }
}

/// How the items of a section become blocks: whether questions get a
/// space per partner, and whether every other list item is an exercise
/// with room for notes (guide worksheets) or stays text (days, where such
/// items are steps of the activity).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockRules {
    pub question_space: QuestionSpace,
    pub items_are_exercises: bool,
}

/// Ruled lines for each partner under a stem or question, and under a
/// shared question or exercise, before a sheet is fitted to its paper.
pub const MIN_LINES: u32 = 3;

/// The parts of a day that go on its worksheet (those matching a name of
/// `worksheets.sections`, as resolve decided), in the day's order.
pub fn worksheet_parts(day: &Day) -> Vec<&Part> {
    day.parts.iter().filter(|part| part.on_worksheet).collect()
}

/// A day has a worksheet when one of its parts is a worksheet section.
pub fn day_has_worksheet(day: &Day) -> bool {
    day.parts.iter().any(|part| part.on_worksheet)
}

/// The `##` sections of a guide that match a name of
/// `worksheets.guide_sections`, in the guide's order. Empty: no worksheet.
pub fn guide_worksheet_sections(guide: &Guide, guide_sections: &[String]) -> Vec<TitledBlock> {
    if guide_sections.is_empty() {
        return Vec::new();
    }
    let block = &guide.text.block;
    let (_, sections) = split_day_file(&block.text, block.line);
    sections
        .into_iter()
        .filter(|section| {
            guide_sections
                .iter()
                .any(|name| part_matches(&section.title, name))
        })
        .collect()
}

/// Whether a guide has a worksheet: one of its top-level sections matches
/// a name of `worksheets.guide_sections`. Read from the outline made at
/// load time, so listing pages does not parse every guide again.
pub fn guide_has_worksheet(guide: &Guide, guide_sections: &[String]) -> bool {
    let headings = &guide.text.block.outline.headings;
    let Some(level) = headings.iter().map(|h| h.level).filter(|&l| l >= 2).min() else {
        return false;
    };
    headings.iter().any(|heading| {
        heading.level == level
            && guide_sections
                .iter()
                .any(|name| part_matches(&heading.text, name))
    })
}

/// A week has a worksheet bundle when one of its days has a worksheet.
pub fn week_has_worksheets(journey: &Journey, week: &Week) -> bool {
    week.days
        .iter()
        .any(|&d| day_has_worksheet(&journey.days[d]))
}

/// A journey has a worksheet bundle when one of its days has a worksheet.
pub fn journey_has_worksheets(journey: &Journey) -> bool {
    journey.days.iter().any(day_has_worksheet)
}

/// Which journeys and weeks have worksheets, decided once for a render
/// (every page of a journey links its bundle, so asks for each), by
/// journey slug.
pub struct SheetPresence {
    /// Per journey: whether it has any, and whether each of its weeks has.
    journeys: std::collections::HashMap<String, (bool, Vec<bool>)>,
}

impl SheetPresence {
    pub fn of(journeys: &[Journey]) -> SheetPresence {
        let journeys = journeys
            .iter()
            .map(|journey| {
                let days: Vec<bool> = journey.days.iter().map(day_has_worksheet).collect();
                let weeks = journey
                    .weeks
                    .iter()
                    .map(|week| week.days.iter().any(|&d| days[d]))
                    .collect();
                (journey.slug.clone(), (days.contains(&true), weeks))
            })
            .collect();
        SheetPresence { journeys }
    }

    /// [`journey_has_worksheets`] of `journey`.
    pub fn journey(&self, journey: &Journey) -> bool {
        self.journeys
            .get(&journey.slug)
            .is_some_and(|(has, _)| *has)
    }

    /// [`week_has_worksheets`] of week `w` of `journey`.
    pub fn week(&self, journey: &Journey, w: usize) -> bool {
        self.journeys
            .get(&journey.slug)
            .is_some_and(|(_, weeks)| weeks[w])
    }
}

/// Site path of a day's worksheet: `journeys/<slug>/day-<n>/worksheet/`.
pub fn day_worksheet_path(day: &Day) -> String {
    format!("{}{DAY_SHEET}", day.path)
}

/// Site path of a week's bundle: `journeys/<slug>/week-<n>/worksheets/`.
pub fn week_worksheets_path(week: &Week) -> String {
    format!("{}{BUNDLE}", week.path)
}

/// Site path of a journey's bundle: `journeys/<slug>/worksheets/`.
pub fn journey_worksheets_path(journey: &Journey) -> String {
    format!("{}{BUNDLE}", journey.path)
}

/// Site path of a guide's worksheet: `guides/<slug>/worksheet/`.
pub fn guide_worksheet_path(guide: &Guide) -> String {
    format!("{}{GUIDE_SHEET}", guide.path)
}

/// What a day's worksheet path adds to the day's.
pub const DAY_SHEET: &str = "worksheet/";
/// What a guide's worksheet path adds to the guide's.
pub const GUIDE_SHEET: &str = "worksheet/";
/// What a bundle's path adds to its week's or journey's.
pub const BUNDLE: &str = "worksheets/";

/// Cuts the Markdown of one worksheet section into blocks. Headings inside
/// it are placed by `levels`; `@/` links are resolved by `links`; Read-more
/// paragraphs are left out (they are links to follow on screen, not
/// something to do on paper).
pub fn worksheet_blocks(
    markdown: &str,
    links: &dyn Links,
    levels: HeadingLevels,
    rules: BlockRules,
) -> Vec<WorksheetBlock> {
    let mut blocks = Blocks {
        blocks: Vec::new(),
        rules,
    };
    let mut events = Parser::new_ext(markdown, options()).map(|event| resolve_link(event, links));
    while let Some(event) = events.next() {
        match event {
            Event::Start(Tag::List(start)) => {
                let inner = collect_until_end(&mut events, |event| event);
                blocks.push_list(start, inner);
            }
            Event::Start(Tag::Paragraph) => {
                let inner = collect_until_end(&mut events, |event| event);
                if read_more_target(&inner).is_some() {
                    continue;
                }
                let text = plain_text(inner.iter());
                let text = text.trim();
                if let Some(prompt) = classify_paragraph(text) {
                    blocks.push_prompt((prompt, text.to_string()), None);
                } else {
                    let mut html = String::from("<p>");
                    html::push_html(&mut html, inner.into_iter());
                    html.push_str("</p>\n");
                    blocks.push_instruction(&html);
                }
            }
            Event::Start(Tag::Heading { level, .. }) => {
                let inner = collect_until_end(&mut events, |event| event);
                let level = levels.apply(heading_number(level));
                let mut html = format!("<h{level}>");
                html::push_html(&mut html, inner.into_iter());
                html.push_str(&format!("</h{level}>\n"));
                blocks.push_instruction(&html);
            }
            Event::Start(tag) => {
                let end = tag.to_end();
                let inner = collect_until_end(&mut events, |event| event);
                let mut html = String::new();
                let whole = std::iter::once(Event::Start(tag))
                    .chain(inner)
                    .chain(std::iter::once(Event::End(end)));
                html::push_html(&mut html, whole);
                blocks.push_instruction(&html);
            }
            other => {
                let mut html = String::new();
                html::push_html(&mut html, std::iter::once(other));
                blocks.push_instruction(&html);
            }
        }
    }
    blocks.blocks
}

/// The blocks of a section, merging neighbouring instructions into one.
struct Blocks {
    blocks: Vec<WorksheetBlock>,
    rules: BlockRules,
}

impl Blocks {
    fn push_prompt(&mut self, (kind, text): (Prompt, String), number: Option<u64>) {
        let block = match kind {
            Prompt::Stem => WorksheetBlock::Stem {
                lines: stem_lines(&text),
                text,
                number,
            },
            Prompt::Question => WorksheetBlock::Question {
                lines: question_lines(&text),
                text,
                number,
                partners: self.rules.question_space == QuestionSpace::Partners,
            },
        };
        self.blocks.push(block);
    }

    fn push_instruction(&mut self, more: &str) {
        if more.trim().is_empty() {
            return;
        }
        if let Some(WorksheetBlock::Instruction { html }) = self.blocks.last_mut() {
            html.push_str(more);
        } else {
            self.blocks.push(WorksheetBlock::Instruction {
                html: more.to_string(),
            });
        }
    }

    /// A list: each item that is a prompt becomes its own block, and so
    /// does every other item when items are exercises; runs of other items
    /// stay a list (an ordered one keeps its numbering).
    fn push_list(&mut self, start: Option<u64>, inner: Vec<Event>) {
        let mut pending: Vec<Event> = Vec::new();
        let mut pending_start = start;
        for (index, item) in split_items(inner).into_iter().enumerate() {
            let number = start.map(|first| first + index as u64);
            if let Some(prompt) = classify_item(&item) {
                self.flush_list(pending_start, &mut pending);
                self.push_prompt(prompt, number);
            } else if self.rules.items_are_exercises {
                self.flush_list(pending_start, &mut pending);
                self.push_exercise(number, item);
            } else {
                if pending.is_empty() {
                    pending_start = number;
                }
                pending.push(Event::Start(Tag::Item));
                pending.extend(item);
                pending.push(Event::End(TagEnd::Item));
            }
        }
        self.flush_list(pending_start, &mut pending);
    }

    fn flush_list(&mut self, start: Option<u64>, items: &mut Vec<Event>) {
        if items.is_empty() {
            return;
        }
        let mut html = String::new();
        let whole = std::iter::once(Event::Start(Tag::List(start)))
            .chain(items.drain(..))
            .chain(std::iter::once(Event::End(TagEnd::List(start.is_some()))));
        html::push_html(&mut html, whole);
        self.push_instruction(&html);
    }

    /// An exercise keeps its item's markup, its leading text always in a
    /// paragraph (a tight item has none), with its number first.
    fn push_exercise(&mut self, number: Option<u64>, item: Vec<Event>) {
        let split = item
            .iter()
            .position(|event| matches!(event, Event::Start(tag) if !is_inline(tag)))
            .unwrap_or(item.len());
        let mut events = item.into_iter();
        let mut html = String::new();
        if split > 0 {
            html.push_str("<p>");
            html::push_html(&mut html, events.by_ref().take(split));
            html.push_str("</p>\n");
        }
        html::push_html(&mut html, events);
        if let Some(number) = number {
            let mark = format!("<span class=\"prompt-number\">{number}.</span> ");
            match html.strip_prefix("<p>") {
                Some(rest) => html = format!("<p>{mark}{rest}"),
                None => html.insert_str(0, &mark),
            }
        }
        self.blocks.push(WorksheetBlock::Exercise {
            html,
            lines: MIN_LINES,
        });
    }
}

/// The events inside each `Item` of a list's events.
fn split_items(inner: Vec<Event>) -> Vec<Vec<Event>> {
    let mut items = Vec::new();
    let mut events = inner.into_iter();
    while let Some(event) = events.next() {
        if let Event::Start(Tag::Item) = event {
            items.push(collect_until_end(&mut events, |event| event));
        }
    }
    items
}

/// What a list item asks of the couple, if it is a prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prompt {
    Stem,
    Question,
}

/// A list item is a prompt when it is one line of text (one paragraph, no
/// nested list) that is a sentence stem or a question.
fn classify_item(item: &[Event]) -> Option<(Prompt, String)> {
    let paragraphs = item
        .iter()
        .filter(|event| matches!(event, Event::Start(Tag::Paragraph)))
        .count();
    let nested_block = item.iter().any(|event| match event {
        Event::Start(tag) => !is_inline(tag) && !matches!(tag, Tag::Paragraph),
        Event::Html(_) | Event::Rule | Event::TaskListMarker(_) => true,
        _ => false,
    });
    if paragraphs > 1 || nested_block {
        return None;
    }
    let text = plain_text(item.iter());
    let text = text.trim();
    let kind = classify_text(text)?;
    Some((kind, text.to_string()))
}

/// Sentence stems first: a quoted question is a prompt for both partners.
fn classify_text(text: &str) -> Option<Prompt> {
    if is_sentence_stem(text) {
        Some(Prompt::Stem)
    } else if is_question(text) {
        Some(Prompt::Question)
    } else {
        None
    }
}

/// A paragraph is a prompt when it is one quotation from start to end (a
/// quoted sentence stem such as `"Tell me one thing you noticed today..."`,
/// or a quoted prompt), or a question. Unlike a list item, an unquoted
/// paragraph ending in `...` stays an instruction: prose may trail off,
/// and a paragraph that only contains a quotation (`Say "thank you"
/// often.`) is not a prompt.
fn classify_paragraph(text: &str) -> Option<Prompt> {
    if is_quoted(text) {
        Some(Prompt::Stem)
    } else if is_question(text) {
        Some(Prompt::Question)
    } else {
        None
    }
}

const OPENING_QUOTES: &[char] = &['"', '“', '„', '«'];
const DOUBLE_QUOTES: &[char] = &['"', '“', '”', '„', '«', '»'];
/// Any quote mark, straight or curly, either way round: what ends a
/// prompt's text after its last word. Smart punctuation may turn a stray
/// closing `"` into an opening `“`, so opening marks count too.
const QUOTE_MARKS: &[char] = &['"', '“', '”', '„', '«', '»', '\'', '‘', '’', '‚', '‹', '›'];

/// The text without the quote marks (and spaces) it ends with.
fn without_closing_quotes(text: &str) -> &str {
    text.trim_end_matches(|c: char| QUOTE_MARKS.contains(&c) || c.is_whitespace())
}

/// `"I feel closest to you when..."`, `I hope we…`, or a whole quoted
/// prompt such as `"Tell me about your day."`.
fn is_sentence_stem(text: &str) -> bool {
    let unquoted = without_closing_quotes(text);
    unquoted.ends_with("...") || unquoted.ends_with('…') || is_quoted(text)
}

/// One quotation from start to end, with no other double quote inside (so
/// `"this" or "that"` is not one).
fn is_quoted(text: &str) -> bool {
    let mut chars = text.chars();
    let (Some(first), Some(last)) = (chars.next(), chars.next_back()) else {
        return false;
    };
    OPENING_QUOTES.contains(&first)
        && DOUBLE_QUOTES.contains(&last)
        && !chars.as_str().trim().is_empty()
        && !chars.as_str().contains(DOUBLE_QUOTES)
}

/// Ends with `?`, before any quote marks: `What did you notice?`,
/// `"Why?"`, or `Why does it matter?"` with a stray quote (which smart
/// punctuation renders `Why does it matter?“`).
fn is_question(text: &str) -> bool {
    without_closing_quotes(text).ends_with('?')
}

/// Three ruled lines; a fourth from 110 characters on, and one more for
/// each further 50, at most 6.
fn question_lines(text: &str) -> u32 {
    let extra = text.chars().count().saturating_sub(60) / 50;
    (MIN_LINES + extra as u32).min(6)
}

/// Lines per partner: three, four for a long stem.
fn stem_lines(text: &str) -> u32 {
    if text.chars().count() > 80 {
        MIN_LINES + 1
    } else {
        MIN_LINES
    }
}

fn is_inline(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Link { .. }
            | Tag::Image { .. }
            | Tag::Superscript
            | Tag::Subscript
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::ReadMoreRender;

    struct TestLinks;
    impl Links for TestLinks {
        fn internal(&self, path: &str, _anchor: Option<&str>) -> Option<String> {
            Some(format!("/resolved/{path}"))
        }
        fn read_more(&self, _index: usize) -> ReadMoreRender {
            ReadMoreRender::Unresolved
        }
    }

    const LEVELS: HeadingLevels = HeadingLevels {
        shift: -1,
        min_level: 3,
        max_level: crate::markdown::DEEPEST_HEADING,
    };

    const DAY: BlockRules = BlockRules {
        question_space: QuestionSpace::Partners,
        items_are_exercises: false,
    };

    fn blocks(markdown: &str) -> Vec<WorksheetBlock> {
        worksheet_blocks(markdown, &TestLinks, LEVELS, DAY)
    }

    fn stem(text: &str) -> WorksheetBlock {
        WorksheetBlock::Stem {
            text: text.into(),
            number: None,
            lines: 3,
        }
    }

    #[test]
    fn quoted_item_ending_in_dots_is_a_stem() {
        // Smart punctuation turns `"` into curly quotes and `...` into `…`.
        assert_eq!(
            blocks("- \"I feel closest to you when...\"\n"),
            [stem("“I feel closest to you when…”")]
        );
    }

    #[test]
    fn unquoted_item_ending_in_an_ellipsis_is_a_stem() {
        assert_eq!(
            blocks("- I hope that we…\n- Next time I will...\n"),
            [stem("I hope that we…"), stem("Next time I will…")]
        );
    }

    #[test]
    fn stem_with_inner_single_quotes_is_a_stem() {
        assert_eq!(
            blocks("- \"When I say 'fine', I sometimes mean...\"\n"),
            [stem("“When I say ‘fine’, I sometimes mean…”")]
        );
    }

    #[test]
    fn quoted_prompt_is_a_stem() {
        assert_eq!(
            blocks("- \"Tell me about a day you felt proud of us.\"\n"),
            [stem("“Tell me about a day you felt proud of us.”")]
        );
    }

    #[test]
    fn two_quotations_in_one_item_are_not_a_prompt() {
        let result = blocks("- \"Thanks\" or \"Thank you for the soup\"\n");
        assert!(
            matches!(&result[..], [WorksheetBlock::Instruction { html }] if html.contains("<li>")),
            "{result:?}"
        );
    }

    #[test]
    fn numbered_question_keeps_its_number_and_gets_lines() {
        assert_eq!(
            blocks("1. How would you describe intimacy?\n2. What helps?\n"),
            [
                WorksheetBlock::Question {
                    text: "How would you describe intimacy?".into(),
                    number: Some(1),
                    lines: 3,
                    partners: true,
                },
                WorksheetBlock::Question {
                    text: "What helps?".into(),
                    number: Some(2),
                    lines: 3,
                    partners: true,
                },
            ]
        );
    }

    #[test]
    fn paragraph_question_is_a_question() {
        assert_eq!(
            blocks("What would you like to be different in five weeks?\n"),
            [WorksheetBlock::Question {
                text: "What would you like to be different in five weeks?".into(),
                number: None,
                lines: 3,
                partners: true,
            }]
        );
    }

    #[test]
    fn longer_questions_get_more_lines() {
        let long = "Which of your partner's answers did you already know, which were new to you, and which would you like to hear more about?";
        let [WorksheetBlock::Question { lines, .. }] = &blocks(&format!("- {long}\n"))[..] else {
            panic!("not one question");
        };
        assert!(*lines > question_lines("Short?"), "{lines}");
        assert!(*lines <= 6);
    }

    #[test]
    fn plain_paragraph_stays_an_instruction_with_its_markup() {
        assert_eq!(
            blocks("Sit **facing** each other.\n\nLeave your phones in another room.\n"),
            [WorksheetBlock::Instruction {
                html: "<p>Sit <strong>facing</strong> each other.</p>\n<p>Leave your phones in another room.</p>\n".into()
            }]
        );
    }

    #[test]
    fn plain_list_items_stay_a_list_around_prompts() {
        let result = blocks("1. Sit down.\n2. What do you notice?\n3. Breathe.\n4. Smile.\n");
        assert_eq!(result.len(), 3, "{result:?}");
        assert_eq!(
            result[0],
            WorksheetBlock::Instruction {
                html: "<ol>\n<li>Sit down.</li>\n</ol>\n".into()
            }
        );
        assert!(matches!(
            result[1],
            WorksheetBlock::Question {
                number: Some(2),
                ..
            }
        ));
        assert_eq!(
            result[2],
            WorksheetBlock::Instruction {
                html: "<ol start=\"3\">\n<li>Breathe.</li>\n<li>Smile.</li>\n</ol>\n".into()
            }
        );
    }

    #[test]
    fn item_with_a_nested_list_is_an_instruction() {
        let result = blocks("- Which one?\n  - this\n  - that\n");
        assert!(
            matches!(&result[..], [WorksheetBlock::Instruction { .. }]),
            "{result:?}"
        );
    }

    #[test]
    fn instruction_then_stems_in_order() {
        let result =
            blocks("Take turns completing these sentences:\n- \"I feel safe when...\"\n\nThank each other.\n");
        assert!(
            matches!(&result[..], [
                WorksheetBlock::Instruction { html: first },
                WorksheetBlock::Stem { .. },
                WorksheetBlock::Instruction { html: last },
            ] if first.contains("Take turns") && last.contains("Thank each other")),
            "{result:?}"
        );
    }

    #[test]
    fn headings_are_placed_and_links_resolved() {
        let result = blocks("#### Step one\n\nSee [the guide](@/guides/trust.md).\n");
        assert_eq!(
            result,
            [WorksheetBlock::Instruction {
                html: "<h3>Step one</h3>\n<p>See <a href=\"/resolved/guides/trust.md\">the guide</a>.</p>\n".into()
            }]
        );
    }

    #[test]
    fn read_more_paragraphs_are_left_out() {
        assert_eq!(blocks("Read more: Building Trust\n"), []);
    }

    #[test]
    fn quoted_paragraph_stem_is_a_stem() {
        assert_eq!(
            blocks("Sit together.\n\n\"Tell me one thing you noticed today...\"\n"),
            [
                WorksheetBlock::Instruction {
                    html: "<p>Sit together.</p>\n".into()
                },
                stem("“Tell me one thing you noticed today…”"),
            ]
        );
    }

    #[test]
    fn quoted_paragraph_prompt_is_a_stem() {
        assert_eq!(
            blocks("“Tell me about your day.”\n"),
            [stem("“Tell me about your day.”")]
        );
    }

    #[test]
    fn paragraph_containing_a_quotation_stays_an_instruction() {
        for (markdown, html) in [
            (
                "Say \"thank you\" often.\n",
                "<p>Say “thank you” often.</p>\n",
            ),
            (
                "\"Thanks\" or \"Thank you for the soup\"\n",
                "<p>“Thanks” or “Thank you for the soup”</p>\n",
            ),
            (
                "\"Thank you,\" she said.\n",
                "<p>“Thank you,” she said.</p>\n",
            ),
            // An unquoted paragraph may trail off; only list items ending
            // in an ellipsis are stems.
            (
                "Take a breath, and then...\n",
                "<p>Take a breath, and then…</p>\n",
            ),
        ] {
            assert_eq!(
                blocks(markdown),
                [WorksheetBlock::Instruction { html: html.into() }],
                "{markdown}"
            );
        }
    }

    #[test]
    fn question_with_a_stray_closing_quote_gets_lines() {
        let question = |text: &str| WorksheetBlock::Question {
            text: text.into(),
            number: None,
            lines: 3,
            partners: true,
        };
        // Smart punctuation makes the stray `"` an opening quote.
        assert_eq!(
            blocks("- Why does it matter?\"\n"),
            [question("Why does it matter?“")]
        );
        assert_eq!(
            blocks("Why does it matter?\"\n"),
            [question("Why does it matter?“")]
        );
        assert_eq!(
            blocks("- I hope that we...\"\n"),
            [stem("I hope that we…“")]
        );
    }

    #[test]
    fn prompt_text_is_plain_text() {
        // Escaping is the template's job; the block holds the raw text.
        assert_eq!(
            blocks("- \"I <3 it when you...\"\n"),
            [stem("“I <3 it when you…”")]
        );
    }

    #[test]
    fn shared_question_space_gives_one_area() {
        let rules = BlockRules {
            question_space: QuestionSpace::Shared,
            ..DAY
        };
        assert_eq!(
            worksheet_blocks("- What helps?\n", &TestLinks, LEVELS, rules),
            [WorksheetBlock::Question {
                text: "What helps?".into(),
                number: None,
                lines: 3,
                partners: false,
            }]
        );
    }

    /// Seed 004's shape: `Name: what to do` bullets that are neither stems
    /// nor questions. On a guide worksheet each gets room for notes.
    #[test]
    fn exercise_items_get_writing_space_on_guide_sheets() {
        let rules = BlockRules {
            items_are_exercises: true,
            ..DAY
        };
        let markdown = "Try these together:\n\n- Walk and talk: ten minutes outside after dinner.\n- **Phone basket**: put both phones away for an hour.\n- What did you enjoy?\n\nKeep going.\n";
        assert_eq!(
            worksheet_blocks(markdown, &TestLinks, LEVELS, rules),
            [
                WorksheetBlock::Instruction {
                    html: "<p>Try these together:</p>\n".into()
                },
                WorksheetBlock::Exercise {
                    html: "<p>Walk and talk: ten minutes outside after dinner.</p>\n".into(),
                    lines: 3,
                },
                WorksheetBlock::Exercise {
                    html:
                        "<p><strong>Phone basket</strong>: put both phones away for an hour.</p>\n"
                            .into(),
                    lines: 3,
                },
                WorksheetBlock::Question {
                    text: "What did you enjoy?".into(),
                    number: None,
                    lines: 3,
                    partners: true,
                },
                WorksheetBlock::Instruction {
                    html: "<p>Keep going.</p>\n".into()
                },
            ]
        );
    }

    #[test]
    fn exercise_items_of_any_shape_keep_their_number_and_markup() {
        let rules = BlockRules {
            items_are_exercises: true,
            ..DAY
        };
        let markdown = "1. Plan a walk.\n\n   Take the long way home.\n2. Cook together:\n   - pick a recipe\n   - shop for it\n";
        let result = worksheet_blocks(markdown, &TestLinks, LEVELS, rules);
        assert_eq!(result.len(), 2, "{result:?}");
        let [WorksheetBlock::Exercise { html: first, .. }, WorksheetBlock::Exercise { html: second, .. }] =
            &result[..]
        else {
            panic!("two exercises: {result:?}");
        };
        assert!(
            first.starts_with("<p><span class=\"prompt-number\">1.</span> "),
            "{first}"
        );
        assert!(first.contains("Take the long way home."), "{first}");
        assert!(second.contains("2.</span> Cook together:"), "{second}");
        assert!(second.contains("<li>shop for it</li>"), "{second}");
    }

    #[test]
    fn day_sheet_items_that_are_steps_stay_a_list() {
        assert_eq!(
            blocks("- Sit down.\n- Breathe.\n"),
            [WorksheetBlock::Instruction {
                html: "<ul>\n<li>Sit down.</li>\n<li>Breathe.</li>\n</ul>\n".into()
            }]
        );
    }
}
