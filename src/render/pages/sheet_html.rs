//! A day's worksheet is printed on three pages: alone, in its week's
//! bundle and in its journey's workbook. With the built-in `sheet` macro
//! the three differ only in their heading levels (the sheet's title is
//! `<h1>`, `<h2>` or `<h3>`, and every heading inside moves with it), so
//! the sheet is rendered once, with *marked* levels — each level `n`
//! written as `1` followed by two digits (`<h101>`, `</h103>`) — and each
//! page gets a copy with the marks replaced by its levels ([`place`]).
//!
//! A mark can only be mistaken for the text of a sheet when its Markdown
//! has such a tag itself (raw HTML passes through; every other text is
//! escaped): such a day, and any site with its own
//! `worksheet_macros.html`, is rendered through the macro on each page as
//! before.

use crate::markdown::DEEPEST_HEADING;
use std::sync::{Arc, Mutex};

/// The templates' name of the one-sheet template; its text calls the
/// built-in macro exactly as the built-in pages do.
pub const TEMPLATE: &str = "__hearth__/sheet.html";
pub const TEMPLATE_TEXT: &str = "{% import \"worksheet_macros.html\" as w %}{{ w::sheet(worksheet=worksheet, site_title=site_title, level=level) }}";

/// What is added to a heading level to mark it.
pub const MARK: u8 = 100;

/// A sheet rendered with marked levels, and where its marks are, found
/// once for the three pages that place it.
#[derive(Debug, PartialEq, Eq)]
pub struct Marked {
    html: String,
    /// Each mark's offset (its three digits) and level, in order.
    marks: Vec<(usize, u8)>,
}

impl Marked {
    pub fn new(html: String) -> Marked {
        let mut marks = Vec::new();
        let mut rest = html.as_str();
        while let Some((before, level, after)) = next_mark(rest) {
            marks.push((html.len() - rest.len() + before.len(), level));
            rest = after;
        }
        Marked { html, marks }
    }

    /// The HTML with each marked level `100 + n` written as `n + shift`,
    /// or [`DEEPEST_HEADING`] where that would be more.
    pub fn place(&self, shift: u8) -> String {
        let mut placed = String::with_capacity(self.html.len());
        let mut from = 0;
        for &(at, level) in &self.marks {
            placed.push_str(&self.html[from..at]);
            placed.push(char::from(
                b'0' + (level - MARK + shift).min(DEEPEST_HEADING),
            ));
            from = at + 3;
        }
        placed.push_str(&self.html[from..]);
        placed
    }
}

/// `html` with each marked heading level placed ([`Marked::place`]).
#[cfg(test)]
pub fn place(html: &str, shift: u8) -> String {
    Marked::new(html.to_string()).place(shift)
}

/// Whether `text` has something that reads as a marked level.
pub fn has_marks(text: &str) -> bool {
    next_mark(text).is_some()
}

/// The text before the first marked level (`<h1dd` or `</h1dd`, the
/// digits are the mark), the level, and the text after it.
fn next_mark(text: &str) -> Option<(&str, u8, &str)> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(found) = next_tag_h(text, from) {
        // `found` is the `h` of `<h` or `</h`.
        let digits = found + 1;
        if bytes.len() >= digits + 3
            && bytes[digits] == b'1'
            && bytes[digits + 1].is_ascii_digit()
            && bytes[digits + 2].is_ascii_digit()
        {
            let level = (bytes[digits + 1] - b'0') * 10 + (bytes[digits + 2] - b'0') + MARK;
            return Some((&text[..digits], level, &text[digits + 3..]));
        }
        from = found + 1;
    }
    None
}

/// The position of the next `h` that follows `<` or `</`, from `from`.
fn next_tag_h(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    while let Some(offset) = text[at..].find('<') {
        let lt = at + offset;
        match bytes.get(lt + 1) {
            Some(b'h') => return Some(lt + 1),
            Some(b'/') if bytes.get(lt + 2) == Some(&b'h') => return Some(lt + 2),
            _ => at = lt + 1,
        }
    }
    None
}

/// The marked sheets of a render, by journey and day, each made the first
/// time a page asks for it and let go when the last page that shows it
/// has had it.
pub struct SheetCache {
    days: Vec<Vec<Mutex<Slot>>>,
}

#[derive(Default)]
struct Slot {
    sheet: Option<Option<Arc<Marked>>>,
    /// Pages of this render still to ask for it.
    uses: usize,
}

impl SheetCache {
    /// Slots for the days of each journey; `uses[j][d]` is how many pages
    /// of the render show the sheet of day `d` of journey `j`.
    pub fn new(uses: Vec<Vec<usize>>) -> SheetCache {
        SheetCache {
            days: uses
                .into_iter()
                .map(|days| {
                    days.into_iter()
                        .map(|uses| Mutex::new(Slot { sheet: None, uses }))
                        .collect()
                })
                .collect(),
        }
    }

    /// The marked sheet of day `d` of journey `j`, made by `make` if no
    /// page had it yet (`None`: it cannot be shared).
    pub fn get(
        &self,
        j: usize,
        d: usize,
        make: impl FnOnce() -> Option<String>,
    ) -> Option<Arc<Marked>> {
        let mut slot = self
            .days
            .get(j)?
            .get(d)?
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let sheet = slot
            .sheet
            .get_or_insert_with(|| make().map(|html| Arc::new(Marked::new(html))))
            .clone();
        slot.uses = slot.uses.saturating_sub(1);
        if slot.uses == 0 {
            slot.sheet = None;
        }
        sheet
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marked_levels_are_placed_and_nothing_else_changes() {
        let marked = "<article><h101 class=\"t\">Day 1</h101><h102 id=\"x\">Talk</h102><p>h105 <b>bold</b> <hr> <h1>x</h1></p><h104>Step</h104></article>";
        assert_eq!(
            place(marked, 0),
            "<article><h1 class=\"t\">Day 1</h1><h2 id=\"x\">Talk</h2><p>h105 <b>bold</b> <hr> <h1>x</h1></p><h4>Step</h4></article>"
        );
        assert_eq!(
            place(marked, 2),
            "<article><h3 class=\"t\">Day 1</h3><h4 id=\"x\">Talk</h4><p>h105 <b>bold</b> <hr> <h1>x</h1></p><h6>Step</h6></article>"
        );
    }

    #[test]
    fn only_tags_read_as_marks() {
        assert!(has_marks("raw <h104>html</h104>"));
        assert!(has_marks("</h110>"));
        assert!(!has_marks("<h1>Title</h1> h101 &lt;h101 <hr> <h2>"));
        assert!(!has_marks("<h1"));
    }

    #[test]
    fn a_sheet_is_made_once_and_let_go_after_its_last_use() {
        let cache = SheetCache::new(vec![vec![2, 1]]);
        let made = std::cell::Cell::new(0);
        let make = || {
            made.set(made.get() + 1);
            Some("<h101>x</h101>".to_string())
        };
        assert!(cache.get(0, 0, make).is_some());
        assert!(cache.get(0, 0, make).is_some());
        assert_eq!(made.get(), 1);
        assert!(cache.days[0][0].lock().unwrap().sheet.is_none());
        assert_eq!(cache.get(0, 1, || None), None);
        assert_eq!(cache.get(5, 0, make), None);
    }
}
