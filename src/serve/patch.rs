//! The quick way through a common edit: when a content file changed only
//! in what its own pages show — its text, not its title, topics, date,
//! headings, links or Read-more targets — the new text is put into the
//! resolved [`Site`] in place, and only the pages showing that file's text
//! are rendered. Anything else goes through a full resolve.
//!
//! The condition is strict on purpose: every value `resolve` reads across
//! files (front matter, headings for anchors and worksheets, `@/` links and
//! Read-more targets for backlinks and cards, lesson part titles) must be
//! equal, so resolving again would give the same site with the new text,
//! and the same pages: the pages to render are those showing the file's
//! text (its page, its worksheets and the bundles printing them).

use crate::diagnostics::Diagnostics;
use crate::load::{DaySource, Doc, Loaded};
use crate::markdown::{reading_minutes, Outline};
use crate::resolve::Site;
use std::collections::HashMap;
use std::path::Path;

/// Puts `new` (the new version of the content file at `content_path`) into
/// `site` if the change is local to its pages. Returns whether it did.
pub fn patch_site(site: &mut Site, content_path: &str, old: &Loaded, new: &Loaded) -> bool {
    match (old, new) {
        (Loaded::Guide(old), Loaded::Guide(new)) if same_doc(old, new) => {
            let Some(guide) = site
                .guides
                .iter_mut()
                .find(|g| g.source.content_path == content_path)
            else {
                return false;
            };
            guide.text.block = new.body.clone();
            guide.source = new.clone();
            true
        }
        (Loaded::Page(old), Loaded::Page(new)) if same_doc(old, new) => {
            let Some(page) = site
                .pages
                .iter_mut()
                .find(|p| p.source.content_path == content_path)
            else {
                return false;
            };
            page.text.block = new.body.clone();
            page.source = new.clone();
            true
        }
        (Loaded::Home(old), Loaded::Home(new)) if same_doc(old, new) => {
            site.home.text.block = new.body.clone();
            site.home.source = Some(new.clone());
            true
        }
        (
            Loaded::Day {
                journey: old_journey,
                day: old,
            },
            Loaded::Day { journey, day: new },
        ) if old_journey == journey && same_day(old, new) => patch_day(site, content_path, new),
        _ => false,
    }
}

/// The site's `warnings` after a patch of `old` to `new`: the same ones
/// (a patch changes no link, Read-more target or part a warning is about),
/// those of the file placed at the new lines of their links and Read-more
/// paragraphs (which keep their order, see [`same_outline`]).
pub fn move_warnings(warnings: Diagnostics, old: &Loaded, new: &Loaded) -> Diagnostics {
    let (Some((file, old)), Some((_, new))) = (outlines(old), outlines(new)) else {
        return warnings;
    };
    let mut moves: HashMap<(usize, Option<usize>), (usize, Option<usize>)> = HashMap::new();
    for (old, new) in old.iter().zip(&new) {
        for (a, b) in old.links.iter().zip(&new.links) {
            moves.insert((a.line, Some(a.column)), (b.line, Some(b.column)));
        }
        for (a, b) in old.read_more.iter().zip(&new.read_more) {
            moves.insert((a.line, None), (b.line, None));
        }
    }
    let mut moved = Diagnostics::default();
    moved.extend(warnings.into_iter().map(|mut warning| {
        let to = warning
            .line
            .filter(|_| warning.file == file)
            .and_then(|line| moves.get(&(line, warning.column)));
        if let Some(&(line, column)) = to {
            warning.line = Some(line);
            warning.column = column;
        }
        warning
    }));
    moved
}

/// The file of a loaded text that can be patched, and the outlines of its
/// texts, in order.
fn outlines(loaded: &Loaded) -> Option<(&Path, Vec<&Outline>)> {
    match loaded {
        Loaded::Guide(doc) => Some((&doc.file, vec![&doc.body.outline])),
        Loaded::Page(doc) => Some((&doc.file, vec![&doc.body.outline])),
        Loaded::Home(doc) => Some((&doc.file, vec![&doc.body.outline])),
        Loaded::Day { day, .. } => Some((
            &day.file,
            std::iter::once(&day.intro.outline)
                .chain(day.parts.iter().map(|part| &part.body.outline))
                .collect(),
        )),
        _ => None,
    }
}

fn patch_day(site: &mut Site, content_path: &str, new: &DaySource) -> bool {
    let Some(day) = site
        .journeys
        .iter_mut()
        .flat_map(|journey| journey.days.iter_mut())
        .find(|day| day.content_path == content_path)
    else {
        return false;
    };
    if day.parts.len() != new.parts.len() {
        return false;
    }
    // Read-more paragraphs keep their resolution: their targets are the
    // same.
    day.intro.block = new.intro.clone();
    for (part, source) in day.parts.iter_mut().zip(&new.parts) {
        part.text.block = source.body.clone();
        part.line = source.line;
    }
    day.extra = new.extra.clone();
    day.keys = new.keys.clone();
    true
}

/// A guide's reading time shows on its cards on other pages, so a text
/// edit that changes it is not local.
fn same_doc<F: PartialEq>(old: &Doc<F>, new: &Doc<F>) -> bool {
    old.front == new.front
        && same_outline(&old.body.outline, &new.body.outline)
        && reading_minutes(old.body.words) == reading_minutes(new.body.words)
}

fn same_day(old: &DaySource, new: &DaySource) -> bool {
    old.number == new.number
        && old.title == new.title
        && old.topics == new.topics
        && old.week == new.week
        && same_outline(&old.intro.outline, &new.intro.outline)
        && old.parts.len() == new.parts.len()
        && old
            .parts
            .iter()
            .zip(&new.parts)
            .all(|(a, b)| a.title == b.title && same_outline(&a.body.outline, &b.body.outline))
}

/// Whether two texts give other pages the same: heading ids (anchors),
/// `@/` links and Read-more targets. Lines may differ.
fn same_outline(old: &Outline, new: &Outline) -> bool {
    old.headings.len() == new.headings.len()
        && old
            .headings
            .iter()
            .zip(&new.headings)
            .all(|(a, b)| a.id == b.id)
        && old.links.len() == new.links.len()
        && old
            .links
            .iter()
            .zip(&new.links)
            .all(|(a, b)| a.path == b.path && a.anchor == b.anchor)
        && old.read_more.len() == new.read_more.len()
        && old
            .read_more
            .iter()
            .zip(&new.read_more)
            .all(|(a, b)| a.target == b.target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostic;
    use crate::load::{load_file, LoadOptions};

    const FILE: &str = "content/guides/trust.md";

    fn load(text: &str) -> Loaded {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(FILE);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, text).unwrap();
        load_file(
            dir.path(),
            Path::new("guides/trust.md"),
            LoadOptions::default(),
        )
        .unwrap()
    }

    fn outline(loaded: &Loaded) -> &Outline {
        outlines(loaded).unwrap().1[0]
    }

    #[test]
    fn a_text_edit_that_changes_the_reading_time_is_not_local() {
        let words = |n: usize| "word ".repeat(n);
        let doc = |loaded: Loaded| match loaded {
            Loaded::Guide(doc) => doc,
            _ => unreachable!(),
        };
        let short = doc(load(&format!("---\ntitle: Trust\n---\n{}\n", words(200))));
        let same_minute = doc(load(&format!("---\ntitle: Trust\n---\n{}\n", words(220))));
        let longer = doc(load(&format!("---\ntitle: Trust\n---\n{}\n", words(240))));
        assert!(same_doc(&short, &same_minute));
        assert!(
            !same_doc(&short, &longer),
            "its cards elsewhere show 2 min now"
        );
    }

    #[test]
    fn warnings_move_with_their_links_and_read_more_lines() {
        let old = load("---\ntitle: Trust\n---\nSee [x](@/guides/gone.md).\n\nRead more: Nobody\n");
        let new = load(
            "---\ntitle: Trust\n---\nA new paragraph.\n\nNow see [x](@/guides/gone.md).\n\nRead more: Nobody\n",
        );
        let (old_link, new_link) = (&outline(&old).links[0], &outline(&new).links[0]);
        let (old_read, new_read) = (&outline(&old).read_more[0], &outline(&new).read_more[0]);
        assert_eq!((new_link.line, new_read.line), (6, 8));
        assert_ne!(old_link.column, new_link.column);

        let mut warnings = Diagnostics::default();
        warnings.extend([
            Diagnostic::warning(FILE, "broken link").at_column(old_link.line, old_link.column),
            Diagnostic::warning(FILE, "Read more: no guide").at(old_read.line),
            // Another file's, at the same place, and one not at a link.
            Diagnostic::warning("content/guides/other.md", "broken link")
                .at_column(old_link.line, old_link.column),
            Diagnostic::warning(FILE, "day 1 has no part").at(1),
        ]);
        let moved: Vec<(String, Option<usize>, Option<usize>)> =
            move_warnings(warnings, &old, &new)
                .into_iter()
                .map(|d| (d.location(), d.line, d.column))
                .collect();
        assert_eq!(
            moved,
            [
                (
                    format!("{FILE}:6:{}", new_link.column),
                    Some(6),
                    Some(new_link.column)
                ),
                (format!("{FILE}:8"), Some(8), None),
                (
                    format!("content/guides/other.md:4:{}", old_link.column),
                    Some(4),
                    Some(old_link.column)
                ),
                (format!("{FILE}:1"), Some(1), None),
            ]
        );
    }
}
