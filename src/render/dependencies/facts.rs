//! What a page's context read of the rest of the site, recorded while it
//! is fingerprinted, so that after an edit only the pages that read
//! something the edit changed are fingerprinted again.
//!
//! A [`Fact`] names one thing of the site by what stays the same across
//! rebuilds — a content file's path, a topic's slug — never by an index
//! (a new guide moves every guide's index). The page functions call
//! [`read`] where a value of another document enters a context: the
//! card constructors (`guide_card`, `journey_card`, `day_link`, …), the
//! links and Read-more paragraphs a text resolves, and each page's own
//! subject. While [`recording`] runs, those calls are collected; outside
//! it they cost a thread-local check.
//!
//! [`FactTable`] gives every fact of a site its value: a content file's
//! hash (from the load stage), and for what resolving puts together
//! across files (a topic's members, a guide's related guides and
//! backlinks, what a Read-more line resolves to, the guide order, how a
//! journey's days fall into weeks) a hash of it in the same stable names.
//! After an edit the tables before and after are compared; a page is
//! fingerprinted again when a fact it read changed, when it is new, or
//! when it read [`Fact::Everything`]. Its fingerprint still decides
//! whether it is rendered: a fact that changed only says where to look.
//!
//! A value that reaches a context without a [`read`] is a dependency that
//! is not seen. `serve` can check itself (`Workspace::check_reads`): it
//! then fingerprints every page as well and names each page whose
//! fingerprint changed although no fact it read did. The randomized
//! differential test (`tests/it/incremental.rs`) runs with that check on.

use super::{hash_bytes, Digest};
use crate::resolve::{Day, Guide, Journey, PageRef, ReadMore, Site, Text};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;

/// Facts are hashes already: a map of them needs no SipHash.
type FactMap<V> = HashMap<Fact, V, BuildHasherDefault<FactHasher>>;
type FactSet = HashSet<Fact, BuildHasherDefault<FactHasher>>;

/// Mixes the few words a [`Fact`] hashes as (its variant and its name).
#[derive(Default)]
pub struct FactHasher(u64);

impl std::hash::Hasher for FactHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u64(u64::from(byte));
        }
    }

    fn write_u64(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(26) ^ word).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    fn write_isize(&mut self, word: isize) {
        self.write_u64(word as u64);
    }

    fn finish(&self) -> u64 {
        self.0 ^ (self.0 >> 29)
    }
}

/// One thing of the site a page can show, by a stable name (a hash of a
/// content path or slug).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fact {
    /// A content file, as loaded (by its path from `content/`): a guide,
    /// a day's file, a plain page, the home page's text, a link's target.
    Doc(u64),
    /// A journey (by its file): its own file, and how its days and weeks
    /// are laid out — their numbers, titles, paths, weeks and which days
    /// have a worksheet. What a day's file says besides is its
    /// [`Fact::Doc`], read by the pages that show it ([`read_day`]).
    Journey(u64),
    /// The related guides of a guide (by its file) or of a day.
    Related(u64),
    /// The guides and days that link to a guide (by its file).
    Backlinks(u64),
    /// What the Read-more paragraphs of a text resolve to (by the text's
    /// block id).
    ReadMore(u64),
    /// A topic's name and URL (by its slug).
    TopicName(u64),
    /// A topic's members (by its slug).
    Topic(u64),
    /// The guides, in order (and so how many there are).
    Guides,
    /// The journeys, in order.
    Journeys,
    /// The topics, in order.
    Topics,
    /// The old URLs (`aliases`) and the guides they lead to.
    Aliases,
    /// Whatever changes: a page that reads it is fingerprinted again
    /// after every edit (the sitemap and the feed, which read nearly
    /// everything).
    Everything,
}

thread_local! {
    /// The facts read by the page being fingerprinted on this thread.
    static READS: RefCell<Option<Vec<Fact>>> = const { RefCell::new(None) };
}

/// Notes that the context being made read the fact `fact` names. It is
/// worked out only while [`recording`] runs: a build renders without
/// recording, and then a read costs a thread-local check, not a hash.
pub fn read(fact: impl FnOnce() -> Fact) {
    READS.with(|reads| {
        if let Some(reads) = reads.borrow_mut().as_mut() {
            reads.push(fact());
        }
    });
}

/// Runs `make` (one page function) and returns what it made with the
/// facts it read, sorted, each once.
pub fn recording<T>(make: impl FnOnce() -> T) -> (T, Vec<Fact>) {
    let outer = READS.with(|reads| reads.replace(Some(Vec::new())));
    let made = make();
    let mut facts = READS.with(|reads| reads.replace(outer)).unwrap_or_default();
    facts.sort_unstable();
    facts.dedup();
    (made, facts)
}

/// The stable name of a content path or slug.
pub fn name(text: &str) -> u64 {
    hash_bytes(text.as_bytes())
}

/// A day's stable name: its file and its number (a journey's single file
/// holds all its days).
pub fn day_name(day: &Day) -> u64 {
    let mut digest = Digest::default();
    digest.add_str(&day.content_path);
    digest.add_u64(u64::from(day.number));
    digest.finish()
}

/// Reads a guide: its file.
pub fn read_guide(guide: &Guide) {
    read(|| Fact::Doc(name(&guide.source.content_path)));
}

/// Reads a journey: its own file and its layout.
pub fn read_journey(journey: &Journey) {
    read(|| Fact::Journey(name(&journey.content_path)));
}

/// Reads what a day's file says (its text, parts and front matter), for
/// the pages that show more of a day than the layout of its journey.
pub fn read_day(day: &Day) {
    read(|| Fact::Doc(name(&day.content_path)));
}

/// Reads the Read-more resolutions of `text`, if it has Read-more lines.
pub fn read_text(text: &Text) {
    if !text.block.outline.read_more.is_empty() {
        read(|| Fact::ReadMore(text.block.id));
    }
}

/// Every fact of a site with its value.
#[derive(Debug, Default, Clone)]
pub struct FactTable {
    values: FactMap<u64>,
}

impl FactTable {
    /// The facts of `site`; `files` gives the hash of each content file
    /// as loaded, by its path from `content/`.
    pub fn of<S: AsRef<str>>(site: &Site, files: impl IntoIterator<Item = (S, u64)>) -> FactTable {
        let mut values: FactMap<u64> = FactMap::default();
        values.extend(
            files
                .into_iter()
                .map(|(path, hash)| (Fact::Doc(name(path.as_ref())), hash)),
        );
        let guide_names: Vec<u64> = site
            .guides
            .iter()
            .map(|guide| name(&guide.source.content_path))
            .collect();
        // What resolving put together, and what the Read-more lines
        // resolve to, are independent of each other.
        let (put_together, read_more) = rayon::join(
            || resolved_values(site, &guide_names, &values),
            || read_more_values(site, &guide_names),
        );
        values.extend(put_together);
        values.extend(read_more);
        FactTable { values }
    }

    /// The facts whose value differs between `self` and `other`, or that
    /// one of them has and the other not; [`Fact::Everything`] always.
    pub fn changed(&self, other: &FactTable) -> FactSet {
        let mut changed = FactSet::default();
        changed.extend(
            self.values
                .iter()
                .filter(|(fact, value)| other.values.get(fact) != Some(value))
                .map(|(fact, _)| *fact),
        );
        changed.extend(
            other
                .values
                .keys()
                .filter(|fact| !self.values.contains_key(fact)),
        );
        changed.insert(Fact::Everything);
        changed
    }
}

/// The facts resolving put together across files: related guides,
/// backlinks, the layout of each journey, topics' names and members, the
/// orders of guides, journeys and topics, and the old URLs.
fn resolved_values(site: &Site, guide_names: &[u64], files: &FactMap<u64>) -> Vec<(Fact, u64)> {
    let mut values = Vec::new();
    let day_names: Vec<Vec<u64>> = site
        .journeys
        .iter()
        .map(|journey| journey.days.iter().map(day_name).collect())
        .collect();
    let guide_name = |g: usize| guide_names[g];
    let names_of = |guides: &[usize]| {
        let mut digest = Digest::default();
        for &g in guides {
            digest.add_u64(guide_names[g]);
        }
        digest.finish()
    };
    let mut order = Digest::default();
    for (guide, &me) in site.guides.iter().zip(guide_names) {
        order.add_u64(me);
        values.push((Fact::Related(me), names_of(&guide.related)));
        let mut backlinks = Digest::default();
        for page in &guide.backlinks {
            match *page {
                PageRef::Guide(g) => backlinks.add_u64(guide_name(g)),
                PageRef::Day(j, d) => {
                    backlinks.add_str("day");
                    backlinks.add_u64(day_names[j][d]);
                }
            }
        }
        values.push((Fact::Backlinks(me), backlinks.finish()));
    }
    values.push((Fact::Guides, order.finish()));
    let mut order = Digest::default();
    for (journey, days) in site.journeys.iter().zip(&day_names) {
        let me = name(&journey.content_path);
        order.add_u64(me);
        values.push((Fact::Journey(me), journey_value(journey, files)));
        for (day, &day_name) in journey.days.iter().zip(days) {
            values.push((Fact::Related(day_name), names_of(&day.related)));
        }
    }
    values.push((Fact::Journeys, order.finish()));
    let mut order = Digest::default();
    for topic in &site.topics {
        let me = name(&topic.slug);
        order.add_u64(me);
        let mut label = Digest::default();
        label.add_str(&topic.name);
        label.add_str(&topic.path);
        values.push((Fact::TopicName(me), label.finish()));
        let mut members = Digest::default();
        for &g in &topic.guides {
            members.add_u64(guide_name(g));
        }
        members.add_str("journeys");
        for &j in &topic.journeys {
            members.add_u64(name(&site.journeys[j].content_path));
        }
        members.add_str("days");
        for &(j, d) in &topic.days {
            members.add_u64(day_names[j][d]);
        }
        values.push((Fact::Topic(me), members.finish()));
    }
    values.push((Fact::Topics, order.finish()));
    let aliases: Vec<(&str, u64)> = site
        .aliases
        .iter()
        .map(|alias| (alias.path.as_str(), guide_name(alias.guide)))
        .collect();
    values.push((Fact::Aliases, super::fingerprint(&aliases)));
    values
}

/// What the Read-more lines of each text resolve to, by the text's block
/// id (texts with the same id add up, in site order).
fn read_more_values(site: &Site, guide_names: &[u64]) -> Vec<(Fact, u64)> {
    let mut texts: HashMap<u64, Digest> = HashMap::new();
    let mut resolution = |text: &Text| {
        if text.block.outline.read_more.is_empty() {
            return;
        }
        let digest = texts.entry(text.block.id).or_default();
        for read_more in &text.read_more {
            match read_more {
                ReadMore::Guide(g) => digest.add_u64(guide_names[*g]),
                ReadMore::Paragraph => digest.add_str("paragraph"),
                ReadMore::Unresolved => digest.add_str("unresolved"),
            }
        }
        digest.add_u64(text.read_more.len() as u64);
    };
    for guide in &site.guides {
        resolution(&guide.text);
    }
    for journey in &site.journeys {
        resolution(&journey.intro);
        for section in &journey.sections {
            resolution(&section.text);
        }
        for day in &journey.days {
            resolution(&day.intro);
            for part in &day.parts {
                resolution(&part.text);
            }
        }
    }
    for page in &site.pages {
        resolution(&page.text);
    }
    resolution(&site.home.text);
    texts
        .into_iter()
        .map(|(id, digest)| (Fact::ReadMore(id), digest.finish()))
        .collect()
}

/// A journey's value: the hash of its own file (from `files`, the `Doc`
/// values) and everything of its layout resolving decides. A day file's
/// hash is left out: a day body edit then changes what the pages showing
/// that day read ([`read_day`]), not every page of the journey.
fn journey_value(journey: &Journey, files: &FactMap<u64>) -> u64 {
    let file = |path: &str| {
        files
            .get(&Fact::Doc(name(path)))
            .copied()
            .unwrap_or_default()
    };
    let mut digest = Digest::default();
    digest.add_str(&journey.slug);
    digest.add_str(&journey.path);
    digest.add_u64(file(&journey.content_path));
    digest.add_u64(u64::from(journey.days_per_week));
    for week in &journey.weeks {
        digest.add_u64(u64::from(week.number));
        digest.add_str(&week.theme);
        digest.add_u64(week.focus.len() as u64);
        for focus in &week.focus {
            digest.add_str(focus);
        }
        digest.add_str(&week.path);
        digest.add_u64(week.days.len() as u64);
        for &day in &week.days {
            digest.add_u64(day as u64);
        }
    }
    for day in &journey.days {
        digest.add_u64(u64::from(day.number));
        digest.add_str(&day.title);
        digest.add_u64(day.week as u64);
        digest.add_str(&day.path);
        digest.add_str(&day.content_path);
        digest.add_u64(u64::from(crate::render::worksheet::day_has_worksheet(day)));
    }
    digest.finish()
}

/// Which pages read which facts: what `serve` keeps of its last
/// fingerprints, so that after an edit it finds the pages to look at.
#[derive(Debug, Default)]
pub struct Readers {
    /// Output path → its slot.
    slots: rapidhash::RapidHashMap<String, u32>,
    /// By slot: the facts the page read (empty for a free slot).
    reads: Vec<Vec<Fact>>,
    paths: Vec<String>,
    free: Vec<u32>,
    /// Fact → the slots of the pages that read it.
    readers: FactMap<Vec<u32>>,
}

impl Readers {
    /// Notes that the page at `path` read `facts` (and no longer what it
    /// read before).
    pub fn set(&mut self, path: &str, facts: Vec<Fact>) {
        let slot = match self.slots.get(path) {
            // The same reads as before (every page after a template edit
            // reads what it read): nothing to unlink and link again.
            Some(&slot) if self.reads[slot as usize] == facts => return,
            Some(&slot) => {
                self.unlink(slot);
                slot
            }
            None => {
                let slot = match self.free.pop() {
                    Some(slot) => {
                        self.paths[slot as usize] = path.to_string();
                        slot
                    }
                    None => {
                        self.paths.push(path.to_string());
                        self.reads.push(Vec::new());
                        (self.paths.len() - 1) as u32
                    }
                };
                self.slots.insert(path.to_string(), slot);
                slot
            }
        };
        for fact in &facts {
            self.readers.entry(*fact).or_default().push(slot);
        }
        self.reads[slot as usize] = facts;
    }

    /// Forgets the page at `path` (it is gone).
    pub fn remove(&mut self, path: &str) {
        if let Some(slot) = self.slots.remove(path) {
            self.unlink(slot);
            self.paths[slot as usize].clear();
            self.free.push(slot);
        }
    }

    /// Whether the page at `path` has a record.
    pub fn knows(&self, path: &str) -> bool {
        self.slots.contains_key(path)
    }

    /// The output paths of the pages that read any of `facts`.
    pub fn readers_of<'r>(&'r self, facts: &FactSet) -> rapidhash::RapidHashSet<&'r str> {
        facts
            .iter()
            .filter_map(|fact| self.readers.get(fact))
            .flatten()
            .map(|&slot| self.paths[slot as usize].as_str())
            .collect()
    }

    /// The facts the page at `path` read.
    pub fn reads_of(&self, path: &str) -> &[Fact] {
        self.slots
            .get(path)
            .map_or(&[], |&slot| self.reads[slot as usize].as_slice())
    }

    fn unlink(&mut self, slot: u32) {
        for fact in std::mem::take(&mut self.reads[slot as usize]) {
            if let Some(readers) = self.readers.get_mut(&fact) {
                readers.retain(|&other| other != slot);
                if readers.is_empty() {
                    self.readers.remove(&fact);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_recorded_only_while_recording_and_each_once() {
        read(|| Fact::Guides);
        let ((), facts) = recording(|| {
            read(|| Fact::Topics);
            read(|| Fact::Guides);
            read(|| Fact::Topics);
        });
        assert_eq!(facts, vec![Fact::Guides, Fact::Topics]);
        let ((), none) = recording(|| {});
        assert!(none.is_empty());
    }

    #[test]
    fn readers_follow_what_each_page_read_last() {
        let mut readers = Readers::default();
        readers.set("a/index.html", vec![Fact::Guides, Fact::Doc(1)]);
        readers.set("b/index.html", vec![Fact::Doc(1)]);
        let of = |readers: &Readers, facts: &[Fact]| -> Vec<String> {
            let mut paths: Vec<String> = readers
                .readers_of(&facts.iter().copied().collect())
                .into_iter()
                .map(String::from)
                .collect();
            paths.sort();
            paths
        };
        assert_eq!(
            of(&readers, &[Fact::Doc(1)]),
            ["a/index.html", "b/index.html"]
        );
        readers.set("a/index.html", vec![Fact::Topics]);
        assert_eq!(of(&readers, &[Fact::Doc(1)]), ["b/index.html"]);
        assert_eq!(of(&readers, &[Fact::Guides]), Vec::<String>::new());
        readers.remove("b/index.html");
        assert!(of(&readers, &[Fact::Doc(1)]).is_empty());
        readers.set("c/index.html", vec![Fact::Doc(1)]);
        assert_eq!(
            of(&readers, &[Fact::Doc(1), Fact::Topics]),
            ["a/index.html", "c/index.html"]
        );
        assert!(!readers.knows("b/index.html"));
    }
}
