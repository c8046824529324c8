//! Writing the Markdown of an imported article: front matter, headings,
//! nested lists, paragraphs with Markdown punctuation escaped.

use super::read::*;
use super::*;

/// The front matter of an imported guide.
pub(super) struct FrontMatter<'a> {
    pub(super) title: &'a str,
    pub(super) description: Option<&'a str>,
    pub(super) date: Option<&'a str>,
    pub(super) topics: &'a [String],
}

/// The front matter, `---` lines included.
pub(super) fn render_front_matter(front: &FrontMatter) -> String {
    let mut text = format!("---\ntitle: {}\n", yaml_quote(front.title));
    if let Some(description) = front.description {
        text.push_str(&format!("description: {}\n", yaml_quote(description)));
    }
    if let Some(date) = front.date {
        text.push_str(&format!("date: {date}\n"));
    }
    if !front.topics.is_empty() {
        let topics: Vec<String> = front.topics.iter().map(|t| yaml_quote(t)).collect();
        text.push_str(&format!("topics: [{}]\n", topics.join(", ")));
    }
    text.push_str("---\n");
    text
}

/// The guide file: front matter, a blank line, the body.
pub(super) fn join_file(mut front: String, body: &str) -> String {
    if !body.is_empty() {
        front.push('\n');
        front.push_str(body);
        front.push('\n');
    }
    front
}

/// A YAML double-quoted scalar: any text, read back unchanged.
pub(super) fn yaml_quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for ch in text.chars() {
        match ch {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            '\r' => quoted.push_str("\\r"),
            ch if ch.is_control() || matches!(ch, '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                quoted.push_str(&format!("\\u{:04X}", ch as u32));
            }
            ch => quoted.push(ch),
        }
    }
    quoted.push('"');
    quoted
}

/// The Markdown body of a guide and what was found in it.
pub(super) struct RenderedBody {
    pub(super) markdown: String,
    pub(super) stats: ImportStats,
    /// Each Read-more line: (its line in `markdown`, from 0; its source line).
    pub(super) read_more: Vec<(usize, usize)>,
}

/// The Markdown body: blocks separated by blank lines.
pub(super) fn render_body(lines: &[Line], roles: &[Role]) -> RenderedBody {
    let mut stats = ImportStats::default();
    let mut blocks: Vec<String> = Vec::new();
    let mut read_more_blocks: Vec<(usize, usize)> = Vec::new();
    let mut in_section = false;
    let mut index = 0;
    while index < lines.len() {
        let line = &lines[index];
        match &roles[index] {
            Role::Title | Role::Description => {}
            Role::Lead { rest } if rest.is_empty() => {}
            Role::Lead { rest } => blocks.push(escape_line(rest)),
            Role::Heading(text) => {
                blocks.push(format!("## {}", escape_heading(text)));
                stats.headings += 1;
                in_section = true;
            }
            Role::StepHeading if in_section => {
                blocks.push(format!("### {}", escape_heading(&line.source)));
                stats.subheadings += 1;
            }
            Role::StepHeading => {
                blocks.push(format!("## {}", escape_heading(&line.source)));
                stats.headings += 1;
            }
            Role::Paragraph => {
                let first = std::iter::once(&line.source);
                let escaped: Vec<String> =
                    first.chain(&line.more).map(|l| escape_line(l)).collect();
                blocks.push(escaped.join("\n"));
            }
            Role::ReadMore => {
                read_more_blocks.push((blocks.len(), line.number));
                blocks.push(format!("Read more: {}", escape_inline(&line.joined_text())));
                stats.read_more += 1;
            }
            Role::ListItem => {
                let end = (index..lines.len())
                    .find(|&i| roles[i] != Role::ListItem)
                    .unwrap_or(lines.len());
                blocks.push(render_list(&lines[index..end], &mut stats));
                index = end;
                continue;
            }
        }
        index += 1;
    }
    let mut block_lines = Vec::with_capacity(blocks.len());
    let mut next_line = 0;
    for block in &blocks {
        block_lines.push(next_line);
        next_line += block.lines().count() + 1;
    }
    RenderedBody {
        markdown: blocks.join("\n\n"),
        stats,
        read_more: read_more_blocks
            .into_iter()
            .map(|(block, source_line)| (block_lines[block], source_line))
            .collect(),
    }
}

/// A list item and the items nested under it.
pub(super) struct ListNode<'a> {
    pub(super) line: &'a Line,
    pub(super) children: Vec<ListNode<'a>>,
}

/// Consecutive list items, as nested Markdown lists.
pub(super) fn render_list(items: &[Line], stats: &mut ImportStats) -> String {
    let depths = nesting_depths(items);
    let mut position = 0;
    let mut roots = Vec::new();
    while position < items.len() {
        roots.extend(build_list_tree(items, &depths, &mut position));
    }
    let mut markdown = String::new();
    render_list_nodes(&roots, 0, true, &mut markdown, stats);
    markdown.trim_end().to_string()
}

/// Each item's indentation, shifted so that bullets right after a numbered
/// item at the same indentation nest under it when it ends in `:` or the
/// numbering goes on after them.
pub(super) fn nesting_depths(items: &[Line]) -> Vec<usize> {
    let is_ordered = |line: &Line| matches!(line.kind, LineKind::Item(Marker::Ordered { .. }));
    let mut depths: Vec<usize> = items.iter().map(|line| line.indent * 2).collect();
    for (index, item) in items.iter().enumerate() {
        if !is_ordered(item) {
            continue;
        }
        let depth = depths[index];
        let run_end = (index + 1..items.len())
            .find(|&i| depths[i] < depth || (depths[i] == depth && is_ordered(&items[i])))
            .unwrap_or(items.len());
        let run = index + 1..run_end;
        let has_siblings = run.clone().any(|i| depths[i] == depth);
        let numbering_goes_on = run_end < items.len() && depths[run_end] == depth;
        let ends_in_colon = ends_with_colon(item.more.last().unwrap_or(&item.text));
        if has_siblings && (ends_in_colon || numbering_goes_on) {
            for i in run {
                depths[i] += 1;
            }
        }
    }
    depths
}

pub(super) fn ends_with_colon(text: &str) -> bool {
    text.trim_end().ends_with(':')
}

/// The items at the depth of `items[*position]`, each with the deeper items
/// after it as children.
pub(super) fn build_list_tree<'a>(
    items: &'a [Line],
    depths: &[usize],
    position: &mut usize,
) -> Vec<ListNode<'a>> {
    let depth = depths[*position];
    let mut nodes: Vec<ListNode<'a>> = Vec::new();
    while *position < items.len() && depths[*position] >= depth {
        match nodes.last_mut() {
            Some(parent) if depths[*position] > depth => {
                let children = build_list_tree(items, depths, position);
                parent.children.extend(children);
            }
            _ => {
                nodes.push(ListNode {
                    line: &items[*position],
                    children: Vec::new(),
                });
                *position += 1;
            }
        }
    }
    nodes
}

pub(super) fn render_list_nodes(
    nodes: &[ListNode],
    indent: usize,
    top_level: bool,
    markdown: &mut String,
    stats: &mut ImportStats,
) {
    let pad = " ".repeat(indent);
    let mut previous_kind = None;
    for node in nodes {
        let LineKind::Item(marker) = &node.line.kind else {
            continue;
        };
        if previous_kind != Some(marker.kind()) {
            stats.lists += 1;
            let starts_after_text = !top_level && previous_kind.is_none();
            let needs_blank = match marker {
                // An ordered list may interrupt its parent's text only at 1.
                Marker::Ordered { number, .. } => starts_after_text && number != "1",
                Marker::Bullet => false,
            };
            if needs_blank || (top_level && previous_kind.is_some()) {
                markdown.push('\n');
            }
        }
        previous_kind = Some(marker.kind());
        stats.list_items += 1;
        let marker = marker.render();
        let text = escape_line(&node.line.text);
        markdown.push_str(format!("{pad}{marker} {text}").trim_end());
        markdown.push('\n');
        let content_indent = indent + marker.len() + 1;
        for line in &node.line.more {
            markdown.push_str(&" ".repeat(content_indent));
            markdown.push_str(&escape_line(line));
            markdown.push('\n');
        }
        render_list_nodes(&node.children, content_indent, false, markdown, stats);
    }
}

/// Escapes a line of running text: block markup at its start (headings,
/// quotes, list markers, rules) and inline markup anywhere.
pub(super) fn escape_line(text: &str) -> String {
    let escaped = escape_inline(text);
    let mut chars = text.chars();
    let first = chars.next();
    let second = chars.next();
    let only = |c: char| text.chars().all(|t| t == c || t.is_whitespace());
    let starts_block = match first {
        Some('#' | '>') => true,
        Some('+' | '-') => second.is_none_or(char::is_whitespace) || only('-'),
        Some('=') => only('='),
        _ => false,
    };
    if starts_block {
        return format!("\\{escaped}");
    }
    // `2024. ` or `3) ` at a line start would begin an ordered list.
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let after = text[digits..].chars().nth(1);
    if (1..=9).contains(&digits)
        && text[digits..].starts_with(['.', ')'])
        && after.is_none_or(char::is_whitespace)
    {
        // The digits are unchanged by inline escaping, so `digits` indexes `escaped` too.
        return format!("{}\\{}", &escaped[..digits], &escaped[digits..]);
    }
    escaped
}

/// Escapes inline markup: emphasis, code, links, HTML, strikethrough, entities.
pub(super) fn escape_inline(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for (index, ch) in text.char_indices() {
        let is_markup = match ch {
            '\\' | '`' | '*' | '_' | '[' | '<' | '~' => true,
            '&' => looks_like_entity(&text[index + 1..]),
            _ => false,
        };
        if is_markup {
            escaped.push('\\');
        }
        escaped.push(ch);
    }
    escaped
}

/// Heading text: inline markup and every `#` (a trailing one would be dropped).
pub(super) fn escape_heading(text: &str) -> String {
    escape_inline(text).replace('#', "\\#")
}

/// `amp;`, `#39;`, `#x27;` after an `&`: Markdown would decode it.
pub(super) fn looks_like_entity(after_ampersand: &str) -> bool {
    let name = after_ampersand.strip_prefix('#').unwrap_or(after_ampersand);
    let length = name.bytes().take_while(u8::is_ascii_alphanumeric).count();
    length > 0 && length <= 32 && name[length..].starts_with(';')
}
