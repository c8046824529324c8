//! Worksheet sections → answer space fitted to the paper. Estimates how
//! tall each part of a worksheet prints (in millimetres, from the sizes
//! `worksheet.css` gives it on paper), places the parts on pages the way
//! the browser breaks them, then sets each prompt's ruled lines so that a
//! sheet's last page is used to its foot and the sheet never runs onto a
//! page it could have done without.
//!
//! The estimate errs on the tall side: text is wrapped as if set in a wide
//! font (DejaVu Serif, the widest of the theme's fallbacks), so in any
//! other font it takes less room, never more, and a fitted sheet keeps its
//! page count.

use super::context::WorksheetSection;
use super::worksheet::{WorksheetBlock, MIN_LINES};
use crate::config::Paper;
use serde::Serialize;

/// The printable area of a sheet, in mm: the paper less the `@page`
/// margins of `worksheet.css` (18 mm top, 16 mm bottom, 16 mm sides).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PrintArea {
    pub width: f32,
    pub height: f32,
}

impl PrintArea {
    pub fn of(paper: Paper) -> PrintArea {
        let (width, height) = match paper {
            Paper::A4 => (210.0, 297.0),
            Paper::Letter => (215.9, 279.4),
        };
        PrintArea {
            width: width - 2.0 * 16.0,
            height: height - 18.0 - 16.0,
        }
    }
}

/// How far apart a sheet's ruled lines are: `regular` (8 mm), or
/// `compact` (7 mm), which a sheet uses when that saves it a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Pitch {
    #[default]
    Regular,
    Compact,
}

impl Pitch {
    fn mm(self) -> f32 {
        match self {
            Pitch::Regular => 8.0,
            Pitch::Compact => 7.0,
        }
    }
}

/// What fitting a sheet decided, and the estimate it rests on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    pub pitch: Pitch,
    pub pages: usize,
    /// Share of the last page's printable height the sheet uses (0–1).
    pub last_page_fill: f32,
}

/// What a worksheet prints, for fitting: its title, the length of its
/// footer line, and its sections (whose blocks' lines are set).
pub struct Sheet<'s> {
    pub title: &'s str,
    pub footer_chars: usize,
    pub sections: &'s mut [WorksheetSection],
}

/// Room left free at the foot of a fitted last page, in mm: what the
/// estimate may be off by in a browser's own rounding.
const SLACK: f32 = 6.0;

/// Sets the ruled lines of every prompt of `sheet`: first the fewest
/// pages (if the sheet runs onto a further page, it is tried with
/// [`MIN_LINES`] each at the compact pitch), then the prompts grow, a line
/// at a time and in turn, until each page, the last one too, is full.
/// The sheet is measured once; only the answer lines change after that.
pub fn fit_sheet(sheet: &mut Sheet, paper: Paper) -> Fit {
    let area = PrintArea::of(paper);
    let mut pieces = pieces(sheet, area);
    let mut pitch = Pitch::Regular;
    let regular = place(&pieces, pitch, area.height);
    if regular.pages() > 1 {
        let before: Vec<Option<Answer>> = pieces.iter().map(|piece| piece.answer).collect();
        for answer in pieces.iter_mut().filter_map(|piece| piece.answer.as_mut()) {
            answer.lines = MIN_LINES;
        }
        if place(&pieces, Pitch::Compact, area.height).pages() < regular.pages() {
            pitch = Pitch::Compact;
        } else {
            for (piece, answer) in pieces.iter_mut().zip(before) {
                piece.answer = answer;
            }
        }
    }
    let placed = grow_answer_space(&mut pieces, area, pitch);
    for answer in pieces.iter().filter_map(|piece| piece.answer) {
        let (s, b) = answer.at;
        if let Some(lines) = sheet.sections[s].blocks[b].lines_mut() {
            *lines = answer.lines;
        }
    }
    Fit {
        pitch,
        pages: placed.pages(),
        last_page_fill: placed.bottoms.last().copied().unwrap_or(0.0) / area.height,
    }
}

/// Adds a line to each prompt in turn, as long as every part of the
/// sheet stays on its page and each page leaves [`SLACK`] free (or what
/// it left before, when it was already fuller).
fn grow_answer_space(pieces: &mut [Piece], area: PrintArea, pitch: Pitch) -> Placement {
    let mut placed = place(pieces, pitch, area.height);
    let prompts: Vec<usize> = (0..pieces.len())
        .filter(|&index| pieces[index].answer.is_some())
        .collect();
    loop {
        let mut grew = false;
        for &index in &prompts {
            set_lines(&mut pieces[index], 1);
            let trial = place(pieces, pitch, area.height);
            let keeps_pages = trial.page_of == placed.page_of
                && trial
                    .bottoms
                    .iter()
                    .zip(&placed.bottoms)
                    .all(|(&after, &before)| after <= before.max(area.height - SLACK));
            if keeps_pages {
                placed = trial;
                grew = true;
            } else {
                set_lines(&mut pieces[index], -1);
            }
        }
        if !grew {
            return placed;
        }
    }
}

fn set_lines(piece: &mut Piece, change: i32) {
    if let Some(answer) = piece.answer.as_mut() {
        answer.lines = answer.lines.saturating_add_signed(change);
    }
}

// ---- what each part prints as ----

/// One box the browser places: a margin above (dropped at the top of a
/// page), its height, a margin below (collapsing with the next one's).
#[derive(Debug, Clone, PartialEq)]
struct Piece {
    top: f32,
    height: f32,
    bottom: f32,
    /// Text that may break between lines: (lines, line height).
    text: Option<(u32, f32)>,
    /// A heading, or the last prompt before the footer: not left at the
    /// foot of a page without what follows.
    keep_with_next: bool,
    /// A prompt's ruled lines, printed below its `height`.
    answer: Option<Answer>,
}

/// The ruled lines of a prompt: which block it is (section, block) and
/// how many lines it has.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Answer {
    at: (usize, usize),
    lines: u32,
}

impl Piece {
    fn solid(top: f32, height: f32, bottom: f32) -> Piece {
        Piece {
            top,
            height,
            bottom,
            text: None,
            keep_with_next: false,
            answer: None,
        }
    }

    /// How tall it prints with its lines `pitch` apart.
    fn height(&self, pitch: Pitch) -> f32 {
        match self.answer {
            Some(answer) => self.height + answer.lines as f32 * pitch.mm(),
            None => self.height,
        }
    }
}

/// Body text: 11 pt on 5.2 mm lines.
const LINE: f32 = 5.2;
/// Width of a character of 11 pt text, bold or not, in mm (DejaVu Serif's
/// average, with room for where lines break).
const CHAR: f32 = 2.15;
const BOLD_CHAR: f32 = 2.42;
/// Partner label (8 pt on 4 mm) above each answer area.
const LABEL: f32 = 4.0;
const LIST_INDENT: f32 = 6.0;

fn pieces(sheet: &Sheet, area: PrintArea) -> Vec<Piece> {
    let width = area.width;
    let mut pieces = vec![header_piece(sheet.title, width)];
    for (s, section) in sheet.sections.iter().enumerate() {
        let heading_lines = wrap(&section.title, width / (BOLD_CHAR * 13.0 / 11.0));
        pieces.push(Piece {
            keep_with_next: true,
            ..Piece::solid(5.0, heading_lines as f32 * 6.5 + 1.5, 3.0)
        });
        for (b, block) in section.blocks.iter().enumerate() {
            match block {
                WorksheetBlock::Instruction { html } => pieces.extend(text_pieces(html, width)),
                WorksheetBlock::Stem { text, lines, .. } => {
                    let text_lines = wrap(text, width / BOLD_CHAR);
                    pieces.push(prompt_piece(text_lines, true, *lines, (s, b)));
                }
                WorksheetBlock::Question {
                    text,
                    lines,
                    partners,
                    ..
                } => {
                    let text_lines = wrap(text, width / BOLD_CHAR);
                    pieces.push(prompt_piece(text_lines, *partners, *lines, (s, b)));
                }
                WorksheetBlock::Exercise { html, lines } => {
                    let text_lines = text_runs(html)
                        .iter()
                        .map(|run| wrap(&run.text, (width - run.indent) / BOLD_CHAR))
                        .sum();
                    pieces.push(prompt_piece(text_lines, true, *lines, (s, b)));
                }
            }
        }
    }
    if let Some(last) = pieces.iter_mut().rev().find(|piece| piece.answer.is_some()) {
        last.keep_with_next = true;
    }
    // 8 pt on 4 mm lines, about 110 characters to the line.
    let footer_lines = wrap_chars(sheet.footer_chars, (width / 1.6) as usize);
    pieces.push(Piece::solid(4.0, footer_lines as f32 * 4.0, 0.0));
    pieces
}

/// Context line (9 pt on 4.5 mm), title (18 pt bold on 8 mm lines),
/// the Names / Date line (8 mm).
fn header_piece(title: &str, width: f32) -> Piece {
    let title_lines = wrap(title, width / (BOLD_CHAR * 18.0 / 11.0));
    Piece::solid(0.0, 4.5 + 1.0 + title_lines as f32 * 8.0 + 2.0 + 8.0, 2.0)
}

/// A prompt's text, a label when it has one (partners, exercises), and
/// its ruled lines; never broken across pages.
fn prompt_piece(text_lines: u32, labelled: bool, lines: u32, at: (usize, usize)) -> Piece {
    let label = if labelled { LABEL } else { 0.0 };
    Piece {
        answer: Some(Answer { at, lines }),
        ..Piece::solid(0.0, text_lines as f32 * LINE + 1.5 + label, 4.0)
    }
}

fn text_pieces(html: &str, width: f32) -> Vec<Piece> {
    let runs = text_runs(html);
    let mut pieces = Vec::with_capacity(runs.len());
    for (index, run) in runs.iter().enumerate() {
        let next_is_item = runs
            .get(index + 1)
            .is_some_and(|next| next.kind == RunKind::Item);
        let piece = match run.kind {
            RunKind::Heading => {
                let lines = wrap(&run.text, width / BOLD_CHAR);
                Piece {
                    keep_with_next: true,
                    ..Piece::solid(4.0, lines as f32 * 6.0, 2.0)
                }
            }
            RunKind::Paragraph | RunKind::Item => {
                let lines = wrap(&run.text, (width - run.indent) / CHAR);
                let bottom = if run.kind == RunKind::Item && next_is_item {
                    1.5
                } else {
                    2.5
                };
                Piece {
                    text: Some((lines, LINE)),
                    ..Piece::solid(0.0, lines as f32 * LINE, bottom)
                }
            }
        };
        pieces.push(piece);
    }
    pieces
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RunKind {
    Paragraph,
    Item,
    Heading,
}

/// A paragraph, list item or heading of some rendered HTML, as text.
#[derive(Debug, Clone, PartialEq)]
struct TextRun {
    kind: RunKind,
    text: String,
    /// How far a list item is indented, in mm.
    indent: f32,
}

/// The text of each paragraph, list item and heading of HTML that
/// pulldown-cmark wrote (tags dropped, an entity counted as one
/// character).
fn text_runs(html: &str) -> Vec<TextRun> {
    let mut runs: Vec<TextRun> = Vec::new();
    let mut depth = 0usize;
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        push_text(&mut runs, &rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let tag = &rest[open + 1..open + close];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        let closing = tag.starts_with('/');
        let kind = match name.as_str() {
            "ul" | "ol" => {
                depth = if closing {
                    depth.saturating_sub(1)
                } else {
                    depth + 1
                };
                None
            }
            "li" if !closing => Some(RunKind::Item),
            "p" | "blockquote" | "pre" | "tr" if !closing => Some(RunKind::Paragraph),
            _ if !closing && is_heading(&name) => Some(RunKind::Heading),
            _ => None,
        };
        if let Some(kind) = kind {
            // A loose item's first paragraph is the item itself.
            let item_just_opened = runs
                .last()
                .is_some_and(|run| run.kind == RunKind::Item && run.text.trim().is_empty());
            if !(kind == RunKind::Paragraph && item_just_opened) {
                runs.push(TextRun {
                    kind,
                    text: String::new(),
                    indent: depth as f32 * LIST_INDENT,
                });
            }
        }
        rest = &rest[open + close + 1..];
    }
    push_text(&mut runs, rest);
    runs.retain(|run| !run.text.trim().is_empty());
    runs
}

/// `h1` to `h6`, and any deeper level a sheet's headings are moved to
/// (a journey's workbook places `######` at 7; a sheet rendered once for
/// all its pages has its levels marked, `h103`): each is fitted as the
/// heading it is on some page.
fn is_heading(name: &str) -> bool {
    name.strip_prefix('h')
        .is_some_and(|level| !level.is_empty() && level.bytes().all(|b| b.is_ascii_digit()))
}

fn push_text(runs: &mut Vec<TextRun>, text: &str) {
    if text.trim().is_empty() && runs.last().is_none_or(|run| run.text.is_empty()) {
        return;
    }
    let run = match runs.last_mut() {
        Some(run) => run,
        None => {
            runs.push(TextRun {
                kind: RunKind::Paragraph,
                text: String::new(),
                indent: 0.0,
            });
            runs.last_mut().expect("just pushed")
        }
    };
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '&' {
            // `&amp;`, `&#39;`…: one character.
            let entity: String = chars.clone().take_while(|&c| c != ';').collect();
            if entity.len() <= 8 {
                chars.nth(entity.chars().count());
            }
            run.text.push('x');
        } else if c == '\n' {
            run.text.push(' ');
        } else {
            run.text.push(c);
        }
    }
}

/// Lines `text` takes, wrapped at spaces to `per_line` characters.
fn wrap(text: &str, per_line: f32) -> u32 {
    let per_line = per_line.max(1.0) as usize;
    let mut lines = 1;
    let mut used = 0usize;
    for word in text.split_whitespace() {
        let length = word.chars().count();
        if used == 0 {
            used = length;
        } else if used + 1 + length <= per_line {
            used += 1 + length;
        } else {
            lines += 1;
            used = length;
        }
        while used > per_line {
            lines += 1;
            used -= per_line;
        }
    }
    lines
}

fn wrap_chars(chars: usize, per_line: usize) -> u32 {
    chars.div_ceil(per_line.max(1)).max(1) as u32
}

// ---- placing the parts on pages ----

#[derive(Debug, Clone, PartialEq)]
struct Placement {
    /// The page (from 0) each piece ends on.
    page_of: Vec<usize>,
    /// Height used on each page, in mm.
    bottoms: Vec<f32>,
    /// Each prompt and the page it prints on.
    prompts: Vec<((usize, usize), usize)>,
}

impl Placement {
    fn pages(&self) -> usize {
        self.bottoms.len()
    }
}

/// Places pieces on pages of `capacity` mm as Chromium does: margins
/// collapse and are dropped at a page break, a piece that does not fit
/// goes to the next page, text breaks between lines (two at least on
/// either side), and a piece kept with the next goes along with it.
fn place(pieces: &[Piece], pitch: Pitch, capacity: f32) -> Placement {
    let mut bottoms = Vec::new();
    let mut used = 0.0f32;
    let mut margin = 0.0f32;
    let mut at_top = true;
    let mut page_of = Vec::with_capacity(pieces.len());
    let mut prompts = Vec::new();
    for (index, piece) in pieces.iter().enumerate() {
        let gap = if at_top { 0.0 } else { margin.max(piece.top) };
        let height = piece.height(pitch);
        let mut need = height;
        if piece.keep_with_next {
            if let Some(next) = pieces.get(index + 1) {
                let start = match next.text {
                    Some((lines, line)) => lines.min(2) as f32 * line,
                    None => next.height(pitch),
                };
                need += piece.bottom.max(next.top) + start;
            }
        }
        if !at_top && used + gap + need > capacity {
            let split = match (piece.text, piece.keep_with_next) {
                (Some((lines, line)), false) => {
                    let fit = ((capacity - used - gap) / line).floor().max(0.0) as u32;
                    (fit >= 2 && lines >= fit + 2).then_some((fit, lines, line))
                }
                _ => None,
            };
            if let Some((fit, lines, line)) = split {
                bottoms.push(used + gap + fit as f32 * line);
                used = (lines - fit) as f32 * line;
            } else {
                bottoms.push(used);
                used = height;
            }
        } else {
            used += gap + height;
        }
        while used > capacity + 0.01 {
            bottoms.push(capacity);
            used -= capacity;
        }
        if let Some(answer) = piece.answer {
            prompts.push((answer.at, bottoms.len()));
        }
        page_of.push(bottoms.len());
        margin = piece.bottom;
        at_top = false;
    }
    bottoms.push(used);
    Placement {
        page_of,
        bottoms,
        prompts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(text: &str) -> WorksheetBlock {
        WorksheetBlock::Question {
            text: text.into(),
            number: None,
            lines: MIN_LINES,
            partners: true,
        }
    }

    fn section(title: &str, blocks: Vec<WorksheetBlock>) -> WorksheetSection {
        WorksheetSection {
            title: title.into(),
            id: "s".into(),
            blocks: crate::render::dependencies::SheetBlocks::Built(blocks),
        }
    }

    fn lines_of(sections: &[WorksheetSection]) -> Vec<u32> {
        let mut sections = sections.to_vec();
        sections
            .iter_mut()
            .flat_map(|section| section.blocks.iter_mut())
            .filter_map(|block| block.lines_mut().map(|lines| *lines))
            .collect()
    }

    fn fit(sections: &mut [WorksheetSection], paper: Paper) -> Fit {
        let mut sheet = Sheet {
            title: "Day 1: A Title",
            footer_chars: 60,
            sections,
        };
        fit_sheet(&mut sheet, paper)
    }

    fn paragraph(words: usize) -> WorksheetBlock {
        WorksheetBlock::Instruction {
            html: format!("<p>{}</p>\n", vec!["word"; words].join(" ")),
        }
    }

    #[test]
    fn a_short_sheet_grows_its_answer_space_to_fill_the_page() {
        let mut sections = vec![section(
            "Reflection Questions",
            vec![question("What helped today?"), question("What was hard?")],
        )];
        let fit = fit(&mut sections, Paper::A4);
        assert_eq!(fit.pages, 1);
        assert!(fit.last_page_fill > 0.9, "{fit:?}");
        let lines = lines_of(&sections);
        assert!(lines.iter().all(|&n| n > MIN_LINES + 5), "{lines:?}");
        let spread = lines.iter().max().unwrap() - lines.iter().min().unwrap();
        assert!(spread <= 1, "grown in turn: {lines:?}");
    }

    #[test]
    fn a_sheet_that_would_spill_a_sliver_shrinks_onto_one_page() {
        // Five long stems (four lines each) on A4 at 8 mm: the fifth lands
        // alone on page 2; with three lines each at 7 mm all five fit.
        let long =
            "Take your time with this one and say the first thing that comes to mind when...";
        let stems = (0..5)
            .map(|_| WorksheetBlock::Stem {
                text: long.into(),
                number: None,
                lines: MIN_LINES + 1,
            })
            .collect();
        let mut sections = vec![section("Today's Activity", stems)];
        let area = PrintArea::of(Paper::A4);
        let sheet = Sheet {
            title: "Day 1: A Title",
            footer_chars: 60,
            sections: &mut sections.clone(),
        };
        let regular = place(&pieces(&sheet, area), Pitch::Regular, area.height);
        assert_eq!(
            regular.pages(),
            2,
            "the fixture spills at the regular pitch"
        );
        let fit = fit(&mut sections, Paper::A4);
        assert_eq!((fit.pages, fit.pitch), (1, Pitch::Compact), "{fit:?}");
        assert!(lines_of(&sections).iter().all(|&n| n >= MIN_LINES));
    }

    #[test]
    fn a_long_sheet_fills_its_last_page_with_the_prompts_on_it() {
        // The shape of an eight-question day after a long activity.
        let questions: Vec<_> = (1..=8)
            .map(|n| question(&format!("Question {n}?")))
            .collect();
        let mut sections = vec![
            section("Today's Activity", vec![paragraph(300)]),
            section("Reflection Questions", questions),
        ];
        let fit = fit(&mut sections, Paper::A4);
        assert_eq!(fit.pages, 2, "{fit:?}");
        assert!(fit.last_page_fill > 0.9, "{fit:?}");
        let lines = lines_of(&sections);
        assert!(lines.iter().all(|&n| n >= MIN_LINES), "{lines:?}");
        assert!(
            lines.iter().sum::<u32>() > 8 * MIN_LINES,
            "grown: {lines:?}"
        );
    }

    #[test]
    fn letter_pages_are_shorter_than_a4() {
        let make = || {
            vec![section(
                "Reflection Questions",
                vec![question("What helped today?")],
            )]
        };
        let (mut a4, mut letter) = (make(), make());
        fit(&mut a4, Paper::A4);
        fit(&mut letter, Paper::Letter);
        assert!(lines_of(&letter)[0] < lines_of(&a4)[0]);
    }

    #[test]
    fn text_runs_of_paragraphs_items_and_headings() {
        let runs = text_runs(
            "<p>Sit &amp; talk.</p>\n<ul>\n<li>One</li>\n<li><p>Two</p>\n<ul><li>deep</li></ul></li>\n</ul>\n<h3>Next</h3>\n",
        );
        let kinds: Vec<(RunKind, &str, f32)> = runs
            .iter()
            .map(|run| (run.kind, run.text.trim(), run.indent))
            .collect();
        assert_eq!(
            kinds,
            [
                (RunKind::Paragraph, "Sit x talk.", 0.0),
                (RunKind::Item, "One", 6.0),
                (RunKind::Item, "Two", 6.0),
                (RunKind::Item, "deep", 12.0),
                (RunKind::Heading, "Next", 0.0),
            ]
        );
    }

    #[test]
    fn wrap_counts_lines_at_spaces() {
        assert_eq!(wrap("", 10.0), 1);
        assert_eq!(wrap("aaaa bbbb", 10.0), 1);
        assert_eq!(wrap("aaaa bbbb cc", 10.0), 2);
        assert_eq!(wrap(&"x".repeat(25), 10.0), 3);
    }

    #[test]
    fn text_breaks_between_lines_and_headings_stay_with_what_follows() {
        let text = Piece {
            text: Some((10, 5.0)),
            ..Piece::solid(0.0, 50.0, 0.0)
        };
        let filler = Piece::solid(0.0, 80.0, 0.0);
        // 80 + 50 on a 100 mm page: 4 lines stay, 6 go over.
        let placed = place(&[filler.clone(), text], Pitch::Regular, 100.0);
        assert_eq!(placed.bottoms, [100.0, 30.0]);
        let heading = Piece {
            keep_with_next: true,
            ..Piece::solid(0.0, 10.0, 0.0)
        };
        let prompt = Piece {
            answer: Some(Answer {
                at: (0, 0),
                lines: 0,
            }),
            ..Piece::solid(0.0, 15.0, 0.0)
        };
        let placed = place(&[filler, heading, prompt], Pitch::Regular, 100.0);
        assert_eq!(placed.prompts, [((0, 0), 1)]);
        assert_eq!(placed.bottoms, [80.0, 25.0], "the heading went along");
    }
}
