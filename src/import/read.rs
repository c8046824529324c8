//! Reading a plain-text article: lines, what each one is (title,
//! heading, list item, Read more, paragraph), and its description.

use super::*;
use crate::slug::title_key;

/// A list marker as written in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Marker {
    Bullet,
    Ordered { number: String, delimiter: char },
}

impl Marker {
    /// Markdown ends a list where the marker kind changes; so does the count.
    pub(super) fn kind(&self) -> (bool, char) {
        match self {
            Marker::Bullet => (false, '-'),
            Marker::Ordered { delimiter, .. } => (true, *delimiter),
        }
    }

    pub(super) fn render(&self) -> String {
        match self {
            Marker::Bullet => "-".to_string(),
            Marker::Ordered { number, delimiter } => format!("{number}{delimiter}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum LineKind {
    Text,
    Item(Marker),
    ReadMore,
}

/// A source line with the lines that continue it.
#[derive(Debug, Clone)]
pub(super) struct Line {
    pub(super) kind: LineKind,
    /// Leading whitespace, in columns (a tab counts 4).
    pub(super) indent: usize,
    /// The whole trimmed first line, marker included.
    pub(super) source: String,
    /// The first line without its list marker or `Read more:` prefix.
    pub(super) text: String,
    /// Continuation lines, trimmed.
    pub(super) more: Vec<String>,
    /// Where the line is in the source file, from 1.
    pub(super) number: usize,
}

impl Line {
    /// The text with its continuation lines, joined by spaces.
    pub(super) fn joined_text(&self) -> String {
        let mut joined = self.text.clone();
        for line in &self.more {
            joined.push(' ');
            joined.push_str(line);
        }
        joined
    }

    /// The whole line, marker included, with its continuation lines.
    pub(super) fn joined_source(&self) -> String {
        std::iter::once(&self.source)
            .chain(&self.more)
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn is_single_text(&self) -> bool {
        self.kind == LineKind::Text && self.more.is_empty()
    }
}

/// Splits text into lines, joining continuation lines to the line they continue.
pub(super) fn read_lines(text: &str) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    let mut after_blank = true;
    for (index, raw) in text.lines().enumerate() {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            after_blank = true;
            continue;
        }
        let line = classify_line(raw, index + 1);
        let continues = !after_blank
            && line.kind == LineKind::Text
            && trimmed.starts_with(char::is_lowercase)
            && lines.last().is_some_and(|previous| {
                previous.kind != LineKind::ReadMore
                    && !ends_sentence(previous.more.last().unwrap_or(&previous.text))
            });
        match lines.last_mut() {
            Some(previous) if continues => previous.more.push(trimmed.to_string()),
            _ => lines.push(line),
        }
        after_blank = false;
    }
    lines
}

/// What one non-blank source line is, before its neighbours are considered.
pub(super) fn classify_line(raw: &str, number: usize) -> Line {
    let indent = raw
        .chars()
        .take_while(|c| c.is_whitespace())
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum();
    let source = raw.trim().to_string();
    let (kind, text) = if let Some(rest) = strip_read_more(&source) {
        (LineKind::ReadMore, rest.to_string())
    } else if let Some((marker, rest)) = split_list_marker(&source) {
        (LineKind::Item(marker), rest.to_string())
    } else {
        (LineKind::Text, source.clone())
    };
    Line {
        kind,
        indent,
        source,
        text,
        more: Vec::new(),
        number,
    }
}

/// The cross-link target of a `Read more: …` line.
pub(super) fn strip_read_more(line: &str) -> Option<&str> {
    let prefix = line.get(..10)?;
    let rest = line[10..].trim();
    (prefix.eq_ignore_ascii_case("read more:") && !rest.is_empty()).then_some(rest)
}

/// `• text`, `- text`, `* text`, `12. text`, `3) text` → marker and text.
pub(super) fn split_list_marker(line: &str) -> Option<(Marker, &str)> {
    let mut chars = line.chars();
    let first = chars.next()?;
    let rest = chars.as_str();
    if matches!(first, '•' | '◦' | '▪') {
        return Some((Marker::Bullet, rest.trim_start()));
    }
    if matches!(first, '-' | '*') && rest.starts_with(char::is_whitespace) {
        return Some((Marker::Bullet, rest.trim_start()));
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=3).contains(&digits) {
        return None;
    }
    let delimiter = line[digits..].chars().next()?;
    let rest = &line[digits + 1..];
    let text = rest.trim_start();
    if matches!(delimiter, '.' | ')') && rest.starts_with(char::is_whitespace) && !text.is_empty() {
        let number = line[..digits].to_string();
        return Some((Marker::Ordered { number, delimiter }, text));
    }
    None
}

// ---------------------------------------------------------------------------
// Deciding what each line is

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Role {
    /// The title, or a heading that repeats it: not in the body.
    Title,
    /// A prompt before the title or a subtitle after it: the description,
    /// not in the body.
    Description,
    /// A `##` heading with this text.
    Heading(String),
    /// `N. Name` followed by its body: `###` under the current section.
    StepHeading,
    Paragraph,
    /// The first paragraph, whose first sentence became the description:
    /// only the rest of it stays in the body.
    Lead {
        rest: String,
    },
    ListItem,
    ReadMore,
}

/// How an article opens: which line is its title and which (a prompt
/// before the title, or a subtitle after it) is its description.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Opening {
    pub(super) title: Option<usize>,
    pub(super) description: Option<usize>,
}

/// Finds the title line and a description line among the first three.
pub(super) fn find_opening(lines: &[Line]) -> Opening {
    let body_at = |index: usize| lines.get(index).is_some_and(is_body_text);
    let (first, second) = (lines.first(), lines.get(1));
    if first.is_some_and(is_prompt) && second.is_some_and(is_title_like) && body_at(2) {
        return Opening {
            title: Some(1),
            description: Some(0),
        };
    }
    if !first.is_some_and(is_title_line) {
        return Opening::default();
    }
    let has_subtitle = second.is_some_and(is_subtitle) && body_at(2);
    Opening {
        title: Some(0),
        description: has_subtitle.then_some(1),
    }
}

/// The first line, when it reads as a title rather than a paragraph.
fn is_title_line(line: &Line) -> bool {
    let text = line.joined_text();
    line.kind == LineKind::Text
        && text.chars().count() <= MAX_TITLE_CHARS
        && text.chars().any(char::is_alphanumeric)
        && !last_char_is(&text, &['.', ',', ';', ':', '…'])
}

/// A question or a sentence, short enough to be a description: what may
/// stand before a title line.
fn is_prompt(line: &Line) -> bool {
    let text = line.joined_text();
    line.kind == LineKind::Text
        && text.chars().count() <= MAX_LEAD_CHARS
        && last_char_is(&text, &['.', '!', '?', ':', '…'])
}

/// A title after a prompt: one line in Title Case, not ending a sentence.
fn is_title_like(line: &Line) -> bool {
    line.is_single_text()
        && line.text.chars().count() <= MAX_TITLE_CHARS
        && line.text.chars().any(char::is_alphabetic)
        && !last_char_is(&line.text, &['.', ',', ';', ':', '!', '?', '…'])
        && is_title_case(&line.text)
}

/// A heading-shaped line of three words or more right under the title.
fn is_subtitle(line: &Line) -> bool {
    line.is_single_text()
        && is_heading_shaped(&line.text)
        && line.text.split_whitespace().count() >= MIN_SUBTITLE_WORDS
}

/// Every word that starts with a letter starts with a capital, except small
/// words after the first (`A Path to Stronger Bonds`).
fn is_title_case(text: &str) -> bool {
    text.split_whitespace().enumerate().all(|(position, word)| {
        !word.starts_with(char::is_lowercase)
            || (position > 0 && MINOR_WORDS.contains(&word.to_lowercase().as_str()))
    })
}

pub(super) fn assign_roles(lines: &[Line], opening: Opening) -> Vec<Role> {
    (0..lines.len())
        .map(|index| {
            if Some(index) == opening.title {
                return Role::Title;
            }
            if Some(index) == opening.description {
                return Role::Description;
            }
            let line = &lines[index];
            let previous = index.checked_sub(1).map(|i| &lines[i]);
            let next = lines.get(index + 1);
            let next_is_body = next.is_some_and(is_body_text);
            let next_is_item = next.is_some_and(|n| matches!(n.kind, LineKind::Item(_)));
            let previous_is_item = previous.is_some_and(|p| matches!(p.kind, LineKind::Item(_)));
            let single = line.more.is_empty();
            match &line.kind {
                LineKind::ReadMore => Role::ReadMore,
                LineKind::Text if single && is_heading_shaped(&line.text) => {
                    if next_is_body || next_is_item {
                        Role::Heading(line.text.clone())
                    } else {
                        Role::Paragraph
                    }
                }
                LineKind::Text if single && is_colon_heading_shaped(&line.text) && next_is_body => {
                    let label = line.text.trim_end_matches(':').trim_end();
                    Role::Heading(label.to_string())
                }
                LineKind::Text => Role::Paragraph,
                LineKind::Item(Marker::Bullet) => Role::ListItem,
                LineKind::Item(Marker::Ordered { .. }) => {
                    let is_step = line.indent == 0
                        && single
                        && is_heading_shaped(&line.text)
                        && !previous_is_item
                        && next_is_body;
                    if is_step {
                        Role::StepHeading
                    } else if line.indent > 0
                        || previous_is_item
                        || next_is_item
                        || has_name_and_text(&line.text)
                    {
                        Role::ListItem
                    } else {
                        Role::Paragraph
                    }
                }
            }
        })
        .collect()
}

/// Leaves headings that say the title again out of the body.
pub(super) fn drop_title_headings(roles: &mut [Role], title: &str) {
    let key = title_key(title);
    for role in roles.iter_mut() {
        if matches!(role, Role::Heading(text) if title_key(text) == key) {
            *role = Role::Title;
        }
    }
}

/// When the body opens with a paragraph, its first sentence becomes the
/// description and leaves the body, so the page does not show it twice
/// (the lead stands right above the body). `None` when the body opens with
/// anything else, or with text that is not a sentence or is too long for a
/// description.
pub(super) fn take_lead(lines: &[Line], roles: &mut [Role]) -> Option<String> {
    let index = roles
        .iter()
        .position(|role| !matches!(role, Role::Title | Role::Description))?;
    if roles[index] != Role::Paragraph {
        return None;
    }
    let paragraph = lines[index].joined_source();
    let (sentence, rest) = split_first_sentence(&paragraph);
    // A lead-in to a list (`Try these:`) is no sentence to stand alone.
    let is_sentence = last_char_is(sentence, &['.', '!', '?', '…']);
    if !is_sentence || sentence.chars().count() > MAX_LEAD_CHARS {
        return None;
    }
    roles[index] = Role::Lead {
        rest: rest.to_string(),
    };
    Some(sentence.to_string())
}

/// Short, not a sentence: could be a heading if body text follows.
pub(super) fn is_heading_shaped(text: &str) -> bool {
    text.chars().count() <= MAX_HEADING_CHARS
        && !text.starts_with(char::is_lowercase)
        && text.chars().any(char::is_alphabetic)
        && !last_char_is(text, &['.', ',', ';', ':', '!', '?', '…'])
}

/// `Emotional Intimacy:` — a short Title Case label ending in one colon.
pub(super) fn is_colon_heading_shaped(text: &str) -> bool {
    let Some(label) = text.strip_suffix(':') else {
        return false;
    };
    !label.is_empty()
        && label.chars().count() <= MAX_COLON_HEADING_CHARS
        && label.split_whitespace().count() <= MAX_COLON_HEADING_WORDS
        && is_title_case(label)
        && !label.ends_with(':')
        && !label.contains(['.', '!', '?', ';'])
        && label.chars().any(char::is_alphabetic)
}

/// A line of running text: a paragraph, not something shaped like a heading.
pub(super) fn is_body_text(line: &Line) -> bool {
    line.kind == LineKind::Text
        && (!line.more.is_empty()
            || !(is_heading_shaped(&line.text) || is_colon_heading_shaped(&line.text)))
}

/// `Effective Communication: Encourage open …` — an item's name, a colon, text.
pub(super) fn has_name_and_text(text: &str) -> bool {
    text.split_once(": ").is_some_and(|(name, rest)| {
        !name.is_empty()
            && name.chars().count() <= MAX_COLON_HEADING_CHARS
            && !rest.trim().is_empty()
    })
}

/// Whether the text ends, before any closing quotes or brackets, in one of `endings`.
pub(super) fn last_char_is(text: &str, endings: &[char]) -> bool {
    text.trim_end()
        .trim_end_matches(is_closing)
        .ends_with(endings)
}

pub(super) fn ends_sentence(text: &str) -> bool {
    last_char_is(text, &['.', '!', '?', ':', ';', '…'])
}

pub(super) fn is_closing(ch: char) -> bool {
    matches!(ch, '"' | '\'' | '”' | '’' | ')' | ']' | '»')
}

// ---------------------------------------------------------------------------
// Sentences

/// A paragraph's first sentence and the rest of it, both trimmed.
pub(super) fn split_first_sentence(text: &str) -> (&str, &str) {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (position, &(index, ch)) in chars.iter().enumerate() {
        if !matches!(ch, '.' | '!' | '?' | '…') {
            continue;
        }
        let mut end = index + ch.len_utf8();
        let mut after = position + 1;
        while let Some(&(at, closing)) = chars.get(after).filter(|(_, c)| is_closing(*c)) {
            end = at + closing.len_utf8();
            after += 1;
        }
        let at_break = chars.get(after).is_none_or(|(_, c)| c.is_whitespace());
        if at_break && !(ch == '.' && ends_with_abbreviation(&text[..index])) {
            return (text[..end].trim(), text[end..].trim());
        }
    }
    (text.trim(), "")
}

/// `… vs` or `… J` before a period: the period does not end the sentence.
pub(super) fn ends_with_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("")
        .trim_start_matches(|c: char| !c.is_alphanumeric());
    let is_initial = word.chars().count() == 1 && word.starts_with(char::is_uppercase);
    is_initial || ABBREVIATIONS.contains(&word.to_lowercase().as_str())
}
