//! Reading a plain-text article: lines, what each one is (title,
//! heading, list item, Read more, paragraph), and its description.

use super::*;

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
}

/// Splits text into lines, joining continuation lines to the line they continue.
pub(super) fn read_lines(text: &str) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    let mut after_blank = true;
    for raw in text.lines() {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            after_blank = true;
            continue;
        }
        let line = classify_line(raw);
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
pub(super) fn classify_line(raw: &str) -> Line {
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
    Title,
    /// A `##` heading with this text.
    Heading(String),
    /// `N. Name` followed by its body: `###` under the current section.
    StepHeading,
    Paragraph,
    ListItem,
    ReadMore,
}

/// The first line, when it reads as a title rather than a paragraph.
pub(super) fn find_title_line(lines: &[Line]) -> Option<usize> {
    let first = lines.first()?;
    let text = first.joined_text();
    let is_title = first.kind == LineKind::Text
        && text.chars().count() <= MAX_TITLE_CHARS
        && text.chars().any(char::is_alphanumeric)
        && !last_char_is(&text, &['.', ',', ';', ':', '…']);
    is_title.then_some(0)
}

pub(super) fn assign_roles(lines: &[Line], title_line: Option<usize>) -> Vec<Role> {
    (0..lines.len())
        .map(|index| {
            if Some(index) == title_line {
                return Role::Title;
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
                    // The colon is kept: an import loses no text.
                    Role::Heading(line.text.clone())
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
    let words: Vec<&str> = label.split_whitespace().collect();
    let title_case = words.iter().enumerate().all(|(position, word)| {
        let starts_lower = word.starts_with(char::is_lowercase);
        !starts_lower || (position > 0 && MINOR_WORDS.contains(&word.to_lowercase().as_str()))
    });
    !label.is_empty()
        && label.chars().count() <= MAX_COLON_HEADING_CHARS
        && words.len() <= MAX_COLON_HEADING_WORDS
        && title_case
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
// Description

/// The paragraph's first sentence, cut at a word with `…` past 160 characters.
pub(super) fn summarize(paragraph: &str) -> String {
    let sentence = first_sentence(paragraph);
    if sentence.chars().count() <= MAX_DESCRIPTION_CHARS {
        return sentence.to_string();
    }
    let cut: String = sentence.chars().take(MAX_DESCRIPTION_CHARS - 1).collect();
    let cut = match cut.rfind(char::is_whitespace) {
        Some(space) if space > 0 => &cut[..space],
        _ => &cut[..],
    };
    let cut = cut.trim_end_matches(|c: char| c.is_whitespace() || ",;:—–-(".contains(c));
    format!("{cut}…")
}

pub(super) fn first_sentence(text: &str) -> &str {
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
            return text[..end].trim();
        }
    }
    text.trim()
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
