//! Worksheet sections → [`WorksheetBlock`]s. The Markdown of a day's
//! activity and reflection parts (or a guide's exercises) is cut into
//! prompts and instructions, so the template can give each prompt writing
//! space sized to it: sentence stems get an answer area per partner,
//! questions get ruled lines, everything else stays as rendered text.

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
    /// A question: `lines` ruled lines to write on, more for longer ones.
    Question {
        text: String,
        number: Option<u64>,
        lines: u32,
    },
    /// Anything else, as HTML (trusted: use `| safe`).
    Instruction { html: String },
}

/// The parts of a day that go on its worksheet (those matching a name of
/// `worksheets.sections`), in the day's order.
pub fn worksheet_parts<'d>(day: &'d Day, sections: &[String]) -> Vec<&'d Part> {
    day.parts
        .iter()
        .filter(|part| sections.iter().any(|name| part_matches(&part.title, name)))
        .collect()
}

/// A day has a worksheet when one of its parts is a worksheet section.
pub fn day_has_worksheet(day: &Day, sections: &[String]) -> bool {
    !worksheet_parts(day, sections).is_empty()
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
pub fn week_has_worksheets(journey: &Journey, week: &Week, sections: &[String]) -> bool {
    week.days
        .iter()
        .any(|&d| day_has_worksheet(&journey.days[d], sections))
}

/// A journey has a worksheet bundle when one of its days has a worksheet.
pub fn journey_has_worksheets(journey: &Journey, sections: &[String]) -> bool {
    journey
        .days
        .iter()
        .any(|day| day_has_worksheet(day, sections))
}

/// Site path of a day's worksheet: `journeys/<slug>/day-<n>/worksheet/`.
pub fn day_worksheet_path(day: &Day) -> String {
    format!("{}worksheet/", day.path)
}

/// Site path of a week's bundle: `journeys/<slug>/week-<n>/worksheets/`.
pub fn week_worksheets_path(week: &Week) -> String {
    format!("{}worksheets/", week.path)
}

/// Site path of a journey's bundle: `journeys/<slug>/worksheets/`.
pub fn journey_worksheets_path(journey: &Journey) -> String {
    format!("{}worksheets/", journey.path)
}

/// Site path of a guide's worksheet: `guides/<slug>/worksheet/`.
pub fn guide_worksheet_path(guide: &Guide) -> String {
    format!("{}worksheet/", guide.path)
}

/// Cuts the Markdown of one worksheet section into blocks. Headings inside
/// it are placed by `levels`; `@/` links are resolved by `links`; Read-more
/// paragraphs are left out (they are links to follow on screen, not
/// something to do on paper).
pub fn worksheet_blocks(
    markdown: &str,
    links: &dyn Links,
    levels: HeadingLevels,
) -> Vec<WorksheetBlock> {
    let mut blocks = Blocks::default();
    let mut events = Parser::new_ext(markdown, options()).map(|event| resolve_link(event, links));
    while let Some(event) = events.next() {
        match event {
            Event::Start(Tag::List(start)) => {
                let inner = collect_until_end(&mut events, |event| event);
                push_list(&mut blocks, start, inner);
            }
            Event::Start(Tag::Paragraph) => {
                let inner = collect_until_end(&mut events, |event| event);
                if read_more_target(&inner).is_some() {
                    continue;
                }
                let text = plain_text(inner.iter());
                let text = text.trim();
                if let Some(prompt) = classify_paragraph(text) {
                    blocks.push(prompt_block((prompt, text.to_string()), None));
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
    blocks.0
}

/// The blocks of a section, merging neighbouring instructions into one.
#[derive(Default)]
struct Blocks(Vec<WorksheetBlock>);

impl Blocks {
    fn push(&mut self, block: WorksheetBlock) {
        self.0.push(block);
    }

    fn push_instruction(&mut self, more: &str) {
        if more.trim().is_empty() {
            return;
        }
        if let Some(WorksheetBlock::Instruction { html }) = self.0.last_mut() {
            html.push_str(more);
        } else {
            self.0.push(WorksheetBlock::Instruction {
                html: more.to_string(),
            });
        }
    }
}

/// A list: each item that is a prompt becomes its own block; runs of other
/// items stay a list (an ordered one keeps its numbering).
fn push_list(blocks: &mut Blocks, start: Option<u64>, inner: Vec<Event>) {
    let mut pending: Vec<Event> = Vec::new();
    let mut pending_start = start;
    for (index, item) in split_items(inner).into_iter().enumerate() {
        let number = start.map(|first| first + index as u64);
        match classify_item(&item) {
            Some(prompt) => {
                flush_list(blocks, pending_start, &mut pending);
                blocks.push(prompt_block(prompt, number));
            }
            None => {
                if pending.is_empty() {
                    pending_start = number;
                }
                pending.push(Event::Start(Tag::Item));
                pending.extend(item);
                pending.push(Event::End(TagEnd::Item));
            }
        }
    }
    flush_list(blocks, pending_start, &mut pending);
}

fn flush_list(blocks: &mut Blocks, start: Option<u64>, items: &mut Vec<Event>) {
    if items.is_empty() {
        return;
    }
    let mut html = String::new();
    let whole = std::iter::once(Event::Start(Tag::List(start)))
        .chain(items.drain(..))
        .chain(std::iter::once(Event::End(TagEnd::List(start.is_some()))));
    html::push_html(&mut html, whole);
    blocks.push_instruction(&html);
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

fn prompt_block((kind, text): (Prompt, String), number: Option<u64>) -> WorksheetBlock {
    match kind {
        Prompt::Stem => WorksheetBlock::Stem {
            lines: stem_lines(&text),
            text,
            number,
        },
        Prompt::Question => WorksheetBlock::Question {
            lines: question_lines(&text),
            text,
            number,
        },
    }
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
    (3 + extra as u32).min(6)
}

/// Lines per partner: two, three for a long stem.
fn stem_lines(text: &str) -> u32 {
    if text.chars().count() > 80 {
        3
    } else {
        2
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
    };

    fn blocks(markdown: &str) -> Vec<WorksheetBlock> {
        worksheet_blocks(markdown, &TestLinks, LEVELS)
    }

    fn stem(text: &str) -> WorksheetBlock {
        WorksheetBlock::Stem {
            text: text.into(),
            number: None,
            lines: 2,
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
                },
                WorksheetBlock::Question {
                    text: "What helps?".into(),
                    number: Some(2),
                    lines: 3,
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
}
