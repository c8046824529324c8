//! Markdown in two passes over pulldown-cmark events: [`outline`] (in `load`)
//! lists a text's headings, "Read more:" paragraphs and `@/` links with their
//! lines, so `resolve` can check them; [`render_html`] (in `render`) writes
//! the HTML with those links resolved. Both walk paragraphs and headings the
//! same way, so the n-th Read-more paragraph of one is the n-th of the other.

use crate::slug::slugify;
use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag};
use std::collections::HashMap;
use std::ops::Range;

/// The Markdown extensions hearth turns on everywhere.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// What `resolve` needs to know about a text before it is rendered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    pub headings: Vec<Heading>,
    pub read_more: Vec<ReadMoreLine>,
    pub links: Vec<InternalLink>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub id: String,
    pub line: usize,
}

/// A paragraph that starts with `Read more:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadMoreLine {
    pub line: usize,
    pub target: ReadMoreTarget,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadMoreTarget {
    /// `Read more: How to Build Trust` — a title or a slug, with its
    /// [`title_key`](crate::slug::title_key) (made when the file is read,
    /// not at every resolve).
    Text { text: String, key: String },
    /// `Read more: [Trust](@/guides/trust.md)` — a link.
    Link { text: String, url: String },
}

/// `[text](@/guides/trust.md#anchor)`: a link to another content file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InternalLink {
    pub line: usize,
    pub column: usize,
    /// Path from `content/`, e.g. `guides/trust.md`.
    pub path: String,
    pub anchor: Option<String>,
}

impl InternalLink {
    /// Splits `@/guides/trust.md#anchor`; `None` for any other URL.
    pub fn parse(url: &str) -> Option<(String, Option<String>)> {
        let rest = url.strip_prefix("@/")?;
        Some(match rest.split_once('#') {
            Some((path, anchor)) => (path.to_string(), Some(anchor.to_string())),
            None => (rest.to_string(), None),
        })
    }
}

/// Lists the headings, Read-more paragraphs and internal links of `text`,
/// whose first line is line `first_line` of its file.
pub fn outline(text: &str, first_line: usize) -> Outline {
    let lines = LineIndex::new(text, first_line);
    let mut outline = Outline::default();
    let mut ids = HeadingIds::default();
    let mut events = Parser::new_ext(text, options()).into_offset_iter();
    while let Some((event, range)) = events.next() {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                let inner = collect_until_end(&mut events, |(event, _)| event);
                let text = plain_text(inner.iter().map(|(e, _)| e));
                let id = ids.allocate(id.as_deref(), &text);
                for (event, range) in &inner {
                    record_link(event, range, &lines, &mut outline);
                }
                outline.headings.push(Heading {
                    level: heading_number(level),
                    text,
                    id,
                    line: lines.line(range.start),
                });
            }
            Event::Start(Tag::Paragraph) => {
                let inner = collect_until_end(&mut events, |(event, _)| event);
                let paragraph: Vec<Event> = inner.iter().map(|(e, _)| e.clone()).collect();
                if let Some(target) = read_more_target(&paragraph) {
                    outline.read_more.push(ReadMoreLine {
                        line: lines.line(range.start),
                        target,
                    });
                }
                for (event, range) in &inner {
                    record_link(event, range, &lines, &mut outline);
                }
            }
            ref other => record_link(other, &range, &lines, &mut outline),
        }
    }
    outline
}

fn record_link(event: &Event, range: &Range<usize>, lines: &LineIndex, outline: &mut Outline) {
    if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = event {
        if let Some((path, anchor)) = InternalLink::parse(dest_url) {
            let (line, column) = lines.line_column(range.start);
            outline.links.push(InternalLink {
                line,
                column,
                path,
                anchor,
            });
        }
    }
}

/// Items of an event stream up to the end of the element just started
/// (nested elements included, its own end left out). `event` reads the
/// event of an item, so plain and offset streams both work.
pub fn collect_until_end<'a, T>(
    items: &mut impl Iterator<Item = T>,
    event: impl Fn(&T) -> &Event<'a>,
) -> Vec<T> {
    let mut depth = 1usize;
    let mut inner = Vec::new();
    for item in items {
        match event(&item) {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
        inner.push(item);
    }
    inner
}

/// The visible text of some inline events.
pub fn plain_text<'e, 'a: 'e>(events: impl Iterator<Item = &'e Event<'a>>) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

/// If these paragraph events start with `Read more:`, what they point at.
pub fn read_more_target(paragraph: &[Event]) -> Option<ReadMoreTarget> {
    let Some(Event::Text(first)) = paragraph.first() else {
        return None;
    };
    let rest = first.trim_start().strip_prefix("Read more:")?;
    let link = paragraph.iter().find_map(|event| match event {
        Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.to_string()),
        _ => None,
    });
    match link {
        Some(url) => {
            let text = plain_text(paragraph.iter().skip(1));
            Some(ReadMoreTarget::Link {
                text: text.trim().to_string(),
                url,
            })
        }
        None => {
            let text = format!("{rest}{}", plain_text(paragraph.iter().skip(1)));
            let text = text.trim();
            (!text.is_empty()).then(|| ReadMoreTarget::Text {
                text: text.to_string(),
                key: crate::slug::title_key(text),
            })
        }
    }
}

pub fn heading_number(level: HeadingLevel) -> u8 {
    level as u8
}

/// Gives each heading of one page a unique id: `{#custom}` if written, else
/// the slug of its text, with `-1`, `-2`… for repeats.
#[derive(Debug, Default)]
pub struct HeadingIds {
    seen: HashMap<String, usize>,
}

impl HeadingIds {
    pub fn allocate(&mut self, custom: Option<&str>, text: &str) -> String {
        let base = match custom {
            Some(id) => id.to_string(),
            None => {
                let slug = slugify(text);
                if slug.is_empty() {
                    "section".to_string()
                } else {
                    slug
                }
            }
        };
        let count = self.seen.entry(base.clone()).or_insert(0);
        *count += 1;
        if *count == 1 {
            base
        } else {
            format!("{base}-{}", *count - 1)
        }
    }
}

/// Maps byte offsets of a text to lines of its file.
struct LineIndex {
    starts: Vec<usize>,
    first_line: usize,
}

impl LineIndex {
    fn new(text: &str, first_line: usize) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts, first_line }
    }

    fn line_column(&self, offset: usize) -> (usize, usize) {
        let index = self.starts.partition_point(|&start| start <= offset) - 1;
        (self.first_line + index, offset - self.starts[index] + 1)
    }

    fn line(&self, offset: usize) -> usize {
        self.line_column(offset).0
    }
}

/// How the n-th Read-more paragraph of a text is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadMoreRender {
    /// A card linking to a guide.
    Card {
        url: String,
        title: String,
        description: String,
    },
    /// Not a cross-link (an outside URL): an ordinary paragraph.
    Paragraph,
    /// Unmatched, in the preview: plain text marked for the author, never a
    /// dead link.
    Unresolved,
    /// Unmatched, in the built site: left out (`build` warned about it).
    Omitted,
}

/// Answers the links of one text while it is rendered.
pub trait Links {
    /// URL for `@/path#anchor`, or `None` if it points nowhere (already
    /// reported by `resolve`).
    fn internal(&self, path: &str, anchor: Option<&str>) -> Option<String>;
    /// How to show the `index`-th Read-more paragraph.
    fn read_more(&self, index: usize) -> ReadMoreRender;
}

/// The deepest heading HTML has: `<h6>` (there is no `<h7>`).
pub const DEEPEST_HEADING: u8 = 6;

/// How heading levels of a text map to the page: levels are moved by
/// `shift`, never go above `min_level` (the page's own title is the h1)
/// and never below `max_level` (HTML has no `<h7>`).
#[derive(Debug, Clone, Copy)]
pub struct HeadingLevels {
    pub shift: i8,
    pub min_level: u8,
    pub max_level: u8,
}

impl HeadingLevels {
    /// A guide or page body: `##` stays `<h2>`, a stray `#` becomes `<h2>`.
    pub const BODY: HeadingLevels = HeadingLevels {
        shift: 0,
        min_level: 2,
        max_level: DEEPEST_HEADING,
    };

    /// A part of a day under its `<h2>`: `####` becomes `<h3>`.
    pub const PART: HeadingLevels = HeadingLevels {
        shift: -1,
        min_level: 3,
        max_level: DEEPEST_HEADING,
    };

    /// The page level of a Markdown heading level.
    pub fn apply(self, level: u8) -> u8 {
        ((level as i8 + self.shift).max(self.min_level as i8) as u8).min(self.max_level)
    }
}

/// Reading speed for reading times, in words a minute.
pub const WORDS_PER_MINUTE: usize = 230;

/// The words of some Markdown: runs of non-space characters with a letter
/// or digit in them (so `#`, `-`, `|` and `---` are not words).
pub fn count_words(text: &str) -> usize {
    // The words of `split_whitespace` that have a letter or digit, in one
    // pass: eight ASCII bytes at a time ([`count_ascii_words`]); a run
    // with other characters is decoded and read a character at a time.
    let bytes = text.as_bytes();
    let mut words = 0;
    // Inside a word already counted.
    let mut counted = false;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(eight) = bytes.get(i..i + 8) {
            let eight = u64::from_le_bytes(eight.try_into().expect("eight bytes"));
            if eight & HIGH_BITS == 0 {
                let (found, now_counted) = count_ascii_words(eight, counted);
                words += found;
                counted = now_counted;
                i += 8;
                continue;
            }
        }
        // Up to eight bytes' worth of characters, one at a time.
        let end = (i + 8).min(bytes.len());
        while i < end {
            let class = BYTE_CLASS[usize::from(bytes[i])];
            let (space, alphanumeric) = if class != NOT_ASCII {
                i += 1;
                (class & SPACE != 0, class & ALPHANUMERIC != 0)
            } else {
                let c = text[i..].chars().next().unwrap_or_default();
                i += c.len_utf8();
                (c.is_whitespace(), c.is_alphanumeric())
            };
            words += usize::from(alphanumeric && !counted);
            counted = (counted || alphanumeric) && !space;
        }
    }
    words
}

/// The high bit of each of eight bytes.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
/// `1` in each of eight bytes.
const ONES: u64 = 0x0101_0101_0101_0101;

/// Of eight ASCII bytes (little-endian in a `u64`), those from `low` to
/// `high`: the high bit of each such byte is set. No byte is above 0x7f,
/// so no sum carries into the next byte.
fn bytes_between(eight: u64, low: u8, high: u8) -> u64 {
    let at_least_low = eight + ONES * u64::from(0x80 - low);
    let above_high = eight + ONES * u64::from(0x7f - high);
    at_least_low & !above_high & HIGH_BITS
}

/// The words that start in eight ASCII bytes, and whether a counted word
/// runs on past them, given whether one ran into them (`counted`).
///
/// A letter or digit starts a word when the last space or letter or digit
/// before it is a space (or there is none, or `counted` says so at the
/// start). As byte masks: a byte right after a space is `fresh`; so is the
/// byte after a run of other characters (`#`, `*`, `-`…) that begins
/// fresh, found by adding one at the run's first byte, which carries
/// through the run's `0xff` bytes to the byte after it.
fn count_ascii_words(eight: u64, counted: bool) -> (usize, bool) {
    let space = bytes_between(eight, b'\t', b'\r') | bytes_between(eight, b' ', b' ');
    let letters = bytes_between(eight | (ONES * 0x20), b'a', b'z');
    let alphanumeric = bytes_between(eight, b'0', b'9') | letters;
    // `0x01` per byte, and `0xff` per byte of the other characters.
    let (space, alphanumeric) = (space >> 7, alphanumeric >> 7);
    let other = (!(space | alphanumeric) & ONES) * 0xff;
    let after_space = (space << 8) | u64::from(!counted);
    let (carried, carried_out) = other.overflowing_add(after_space & other);
    let fresh = (after_space | carried) & !other;
    let words = (alphanumeric & fresh).count_ones() as usize;
    let counted_out = if space >> 56 != 0 {
        false
    } else if alphanumeric >> 56 != 0 {
        true
    } else {
        // The last byte is another character: the run of them it ends
        // began fresh only if the carry went out past it.
        !carried_out
    };
    (words, counted_out)
}

const SPACE: u8 = 1;
const ALPHANUMERIC: u8 = 2;
const NOT_ASCII: u8 = 4;

/// What [`count_words`] needs to know of each byte: [`SPACE`] (ASCII
/// whitespace as `char::is_whitespace` has it), [`ALPHANUMERIC`], or
/// [`NOT_ASCII`] (the first byte of a longer character).
const BYTE_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = if !b.is_ascii() {
            NOT_ASCII
        } else if matches!(b, b'\t'..=b'\r' | b' ') {
            SPACE
        } else if b.is_ascii_alphanumeric() {
            ALPHANUMERIC
        } else {
            0
        };
        byte += 1;
    }
    table
};

/// Minutes to read `words` at [`WORDS_PER_MINUTE`], at least 1.
pub fn reading_minutes(words: usize) -> usize {
    words.div_ceil(WORDS_PER_MINUTE).max(1)
}

/// Renders `text` to HTML with heading ids, `@/` links and Read-more cards.
pub fn render_html(text: &str, links: &dyn Links, levels: HeadingLevels) -> String {
    let mut out = String::with_capacity(text.len() * 3 / 2);
    let mut ids = HeadingIds::default();
    let mut read_more_index = 0;
    let mut events = Parser::new_ext(text, options()).map(|event| resolve_link(event, links));
    while let Some(event) = events.next() {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                let inner = collect_until_end(&mut events, |event| event);
                let id = ids.allocate(id.as_deref(), &plain_text(inner.iter()));
                let level = levels.apply(heading_number(level));
                out.push_str(&format!("<h{level} id=\"{}\">", escape_html(&id)));
                html::push_html(&mut out, inner.into_iter());
                out.push_str(&format!("</h{level}>\n"));
            }
            Event::Start(Tag::Paragraph) => {
                let inner = collect_until_end(&mut events, |event| event);
                if read_more_target(&inner).is_some() {
                    let render = links.read_more(read_more_index);
                    read_more_index += 1;
                    push_read_more(&mut out, render, inner);
                } else {
                    out.push_str("<p>");
                    html::push_html(&mut out, inner.into_iter());
                    out.push_str("</p>\n");
                }
            }
            other => html::push_html(&mut out, std::iter::once(other)),
        }
    }
    out
}

fn push_read_more(out: &mut String, render: ReadMoreRender, paragraph: Vec<Event>) {
    match render {
        ReadMoreRender::Card {
            url,
            title,
            description,
        } => {
            out.push_str(&format!(
                "<aside class=\"read-more\" aria-label=\"Read more\"><a class=\"read-more-card\" href=\"{}\"><span class=\"read-more-label\">Read more</span> <strong class=\"read-more-title\">{}</strong>",
                escape_html(&url),
                escape_html(&title)
            ));
            if !description.is_empty() {
                out.push_str(&format!(
                    " <span class=\"read-more-description\">{}</span>",
                    escape_html(&description)
                ));
            }
            out.push_str("</a></aside>\n");
        }
        ReadMoreRender::Paragraph => {
            out.push_str("<p>");
            html::push_html(out, paragraph.into_iter());
            out.push_str("</p>\n");
        }
        ReadMoreRender::Unresolved => {
            // Plain text only: an unmatched target must never become a link.
            let text = plain_text(paragraph.iter());
            out.push_str(&format!(
                "<p class=\"read-more read-more-unresolved\"><strong>Preview only, left out of the built site (no guide matches):</strong> {}</p>\n",
                escape_html(text.trim())
            ));
        }
        ReadMoreRender::Omitted => {}
    }
}

/// Rewrites `@/…` link targets to page URLs; a broken one keeps its text
/// and loses the link (the error was reported by `resolve`).
pub fn resolve_link<'a>(event: Event<'a>, links: &dyn Links) -> Event<'a> {
    match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if dest_url.starts_with("@/") => {
            let (path, anchor) = InternalLink::parse(&dest_url).unwrap_or_default();
            let url = links
                .internal(&path, anchor.as_deref())
                .unwrap_or_else(|| "#".to_string());
            Event::Start(Tag::Link {
                link_type,
                dest_url: CowStr::from(url),
                title,
                id,
            })
        }
        other => other,
    }
}

/// Escapes text for HTML content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    push_escaped(&mut out, text);
    out
}

/// Appends `text` to `out`, escaped for HTML content and attribute values.
/// Runs of plain bytes are copied whole; only the five special characters
/// (all ASCII, so never inside a multi-byte character) are replaced.
pub fn push_escaped(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut plain_from = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[plain_from..i]);
        out.push_str(entity);
        plain_from = i + 1;
    }
    out.push_str(&text[plain_from..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoLinks;
    impl Links for NoLinks {
        fn internal(&self, path: &str, anchor: Option<&str>) -> Option<String> {
            Some(format!("/{path}/{}", anchor.unwrap_or("")))
        }
        fn read_more(&self, index: usize) -> ReadMoreRender {
            if index == 0 {
                ReadMoreRender::Card {
                    url: "/guides/trust/".into(),
                    title: "Trust <3".into(),
                    description: String::new(),
                }
            } else {
                ReadMoreRender::Unresolved
            }
        }
    }

    #[test]
    fn outline_finds_headings_read_more_and_links_with_lines() {
        let text = "Intro\n\n## Today's Activity\n\nRead more: How to Build Trust\n\nSee [x](@/guides/a.md#b).\n\n## Today's Activity\n";
        let outline = outline(text, 10);
        let ids: Vec<&str> = outline.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["today-s-activity", "today-s-activity-1"]);
        assert_eq!(outline.headings[0].line, 12);
        assert_eq!(
            outline.read_more,
            [ReadMoreLine {
                line: 14,
                target: ReadMoreTarget::Text {
                    text: "How to Build Trust".into(),
                    key: "howtobuildtrust".into()
                }
            }]
        );
        assert_eq!(outline.links.len(), 1);
        assert_eq!(outline.links[0].line, 16);
        assert_eq!(outline.links[0].column, 5);
        assert_eq!(outline.links[0].path, "guides/a.md");
        assert_eq!(outline.links[0].anchor.as_deref(), Some("b"));
    }

    #[test]
    fn read_more_link_is_recognised() {
        let outline = outline("Read more: [Trust](@/guides/trust.md)\n", 1);
        assert_eq!(
            outline.read_more[0].target,
            ReadMoreTarget::Link {
                text: "Trust".into(),
                url: "@/guides/trust.md".into()
            }
        );
    }

    #[test]
    fn render_makes_cards_ids_and_links() {
        let html = render_html(
            "# Top\n\n## A b\n\nRead more: Trust\n\nRead more: Nowhere\n\n[go](@/guides/x.md#y)\n",
            &NoLinks,
            HeadingLevels::BODY,
        );
        assert!(html.contains("<h2 id=\"top\">Top</h2>"), "{html}");
        assert!(html.contains("<h2 id=\"a-b\">A b</h2>"), "{html}");
        assert!(html.contains("href=\"/guides/trust/\""), "{html}");
        assert!(html.contains("Trust &lt;3"), "{html}");
        assert!(
            html.contains("<p class=\"read-more read-more-unresolved\"><strong>Preview only, left out of the built site (no guide matches):</strong> Read more: Nowhere</p>"),
            "{html}"
        );
        assert!(html.contains("href=\"/guides/x.md/y\""), "{html}");
    }

    #[test]
    fn words_are_counted_without_markup_and_read_at_230_a_minute() {
        assert_eq!(
            count_words("## A heading\n\n- one *two*\n- [three](@/x.md)\n\n---\n| a | b |\n"),
            7
        );
        assert_eq!(reading_minutes(0), 1);
        assert_eq!(reading_minutes(230), 1);
        assert_eq!(reading_minutes(231), 2);
        assert_eq!(reading_minutes(920), 4);
    }

    /// The count `count_words` must give: Unicode whitespace splits, and a
    /// word needs a letter or a digit.
    fn words_by_std(text: &str) -> usize {
        text.split_whitespace()
            .filter(|word| word.chars().any(char::is_alphanumeric))
            .count()
    }

    #[test]
    fn words_split_where_unicode_whitespace_is_and_need_a_letter_or_digit() {
        for text in [
            "",
            "   ",
            "one",
            "a\u{0b}b\u{0c}c\rd\te\nf",
            "no\u{a0}break\u{2003}em\u{3000}ideographic",
            "— – … ! 42 ünï 日本語 x—y",
            "**bold** `code` [link](@/x.md) - * 1.",
            "\u{1c}\u{1d} a\u{85}b",
        ] {
            assert_eq!(count_words(text), words_by_std(text), "{text:?}");
        }
    }

    /// Every way words, spaces and other characters fall across the
    /// eight-byte steps, with and without characters outside ASCII.
    #[test]
    fn words_are_counted_alike_eight_bytes_at_a_time_and_one_by_one() {
        let pieces = [
            "a", "Z", "7", " ", "\n", "\t", "#", "--", "*", "é", "\u{a0}", "日", "—", "x1",
        ];
        // A small deterministic generator (xorshift), so failures repeat.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            let mut text = String::new();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 40) as usize;
            for _ in 0..len {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            assert_eq!(count_words(&text), words_by_std(&text), "{text:?}");
        }
    }

    #[test]
    fn escapes_the_five_special_characters_and_keeps_the_rest() {
        assert_eq!(
            escape_html("a & b < c > d \"e\" 'f' — ünï"),
            "a &amp; b &lt; c &gt; d &quot;e&quot; &#39;f&#39; — ünï"
        );
        assert_eq!(escape_html(""), "");
        assert_eq!(escape_html("<<"), "&lt;&lt;");
        assert_eq!(escape_html("plain"), "plain");
    }

    #[test]
    fn part_levels_shift_down() {
        let html = render_html("#### Deep\n", &NoLinks, HeadingLevels::PART);
        assert!(html.starts_with("<h3 id=\"deep\">"), "{html}");
    }
}
