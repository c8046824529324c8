//! The search index: [`Site`] → the files under `search/` that the theme's
//! `search.js` reads. Built from the texts hearth already holds, cut so a
//! query fetches only what it needs:
//!
//! - `search/meta.json` — how many documents, the topics (each a bit set of
//!   the documents tagged with it) and the journeys (each a range of
//!   document numbers, with a range per week);
//! - `search/terms/<xx>.json` — the index terms whose first two letters are
//!   `xx`: for each stem, the words it was made from and three sets of
//!   documents (title, headings, body);
//! - `search/docs/<n>.json` — [`DOCS_PER_CHUNK`] documents' title, URL,
//!   kind, journey/week and the start of their text, for the results shown.
//!
//! Words are folded (lowercase, accents removed) and stemmed for the site's
//! `language` (English and the other Snowball languages); the client
//! matches what the reader types as a prefix of the words, so "repl" finds
//! "reply" and "replying".

use super::Output;
use crate::config::SearchConfig;
use crate::resolve::{Journey, Site};
use rayon::prelude::*;
use rust_stemmers::{Algorithm, Stemmer};
use serde::Serialize;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use unicode_normalization::UnicodeNormalization;

/// Documents in one `search/docs/<n>.json` file.
pub const DOCS_PER_CHUNK: usize = 4;

/// Characters of a document's text kept for its result snippet.
const EXCERPT_CHARS: usize = 900;

/// The folder of the index, from the output root.
pub const INDEX_DIR: &str = "search";

/// Whether `path` (from the output root) is the search index's when
/// search is on: `search/meta.json` and everything under `search/terms/`
/// and `search/docs/`. `search.js` reads any file there as part of the
/// index, so the index owns these folders whole: no static file is copied
/// into them, whether or not the index has a file of that name.
pub fn is_index_path(settings: &SearchConfig, path: &str) -> bool {
    let Some(inside) = path
        .strip_prefix(INDEX_DIR)
        .and_then(|rest| rest.strip_prefix('/'))
    else {
        return false;
    };
    settings.enabled
        && (inside == "meta.json" || inside.starts_with("terms/") || inside.starts_with("docs/"))
}

/// What kinds of pages the index can hold (`[search] include`).
pub const KINDS: &[&str] = &["guides", "days", "weeks", "pages"];

/// One page as the index sees it.
#[derive(Hash)]
struct Doc<'a> {
    title: String,
    url: String,
    kind: &'static str,
    /// `Journey › Week 2` for a day, the journey for a week, else empty.
    context: String,
    headings: Vec<&'a str>,
    /// Description and body, as Markdown.
    body: Vec<Piece<'a>>,
    topics: &'a [usize],
}

/// A piece of a document's text: a loaded Markdown text, or a string of
/// front matter. In the index fingerprint a loaded text counts by its id
/// (the hash of its bytes, made once when it was read), so the fingerprint
/// does not hash the site's text again.
#[derive(Clone, Copy)]
enum Piece<'a> {
    Loaded(&'a crate::load::Block),
    Written(&'a str),
}

impl<'a> Piece<'a> {
    fn text(self) -> &'a str {
        match self {
            Piece::Loaded(block) => &block.text,
            Piece::Written(text) => text,
        }
    }
}

impl Hash for Piece<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self {
            Piece::Loaded(block) => (0u8, block.id).hash(state),
            Piece::Written(text) => (1u8, text).hash(state),
        }
    }
}

/// A journey's place in the document numbers: its weeks, each followed by
/// its days.
#[derive(Serialize, Hash)]
struct JourneyRange<'a> {
    title: &'a str,
    start: usize,
    end: usize,
    /// `[number, start, end]`: the week's own document is `start`.
    weeks: Vec<(u32, usize, usize)>,
}

#[derive(Serialize)]
struct Meta<'a> {
    docs: usize,
    chunk: usize,
    topics: Vec<&'a str>,
    /// Per topic, a base64 bit set of the documents tagged with it.
    topic_docs: Vec<String>,
    journeys: Vec<JourneyRange<'a>>,
}

/// Every word of the site with its documents: an open-addressing table
/// made for this one job, since it is looked up once for every word of
/// the site (5.6 million on the 10k corpus) and holds only a few thousand.
/// A word's first eight bytes, kept as a number in its slot, are its
/// hash's input and, for most words, the whole comparison; the slot also
/// has the last document the word was noted in, so a word's repeats in a
/// document are passed over with that one read.
struct Words {
    /// By hash, linear probing; a slot of length 0 is empty. A power of
    /// two long (at least [`Words::FIRST_SLOTS`]), at most half full.
    slots: Vec<Slot>,
    /// 64 − log2 of the number of slots: a hash's top bits are its slot.
    shift: u32,
    /// The words and their documents, in the order first found.
    entries: Vec<WordEntry>,
}

#[derive(Clone, Copy, Default)]
struct Slot {
    /// The first eight bytes of the word, zero-padded ([`Key::head`]).
    head: u64,
    len: u32,
    /// The word's place in [`Words::entries`].
    entry: u32,
    /// Per field, 1 + the last document noted in the entry's postings, 0
    /// for none.
    last: [u32; 3],
}

#[derive(Default)]
struct WordEntry {
    word: Box<str>,
    postings: Postings,
}

/// A folded word as [`Words`] looks it up: its first eight bytes as a
/// number (little-endian, zeros after a shorter word's end), its length in
/// bytes, and its bytes after the eighth. The word reader makes the first
/// from the eight bytes it has just read, so a word of eight bytes or fewer
/// is never copied, even one with capitals.
#[derive(Clone, Copy)]
struct Key<'a> {
    head: u64,
    len: usize,
    rest: &'a [u8],
}

impl<'a> Key<'a> {
    fn of(word: &'a str) -> Self {
        let bytes = word.as_bytes();
        Key {
            head: first_eight(bytes),
            len: bytes.len(),
            rest: bytes.get(8..).unwrap_or_default(),
        }
    }

    /// The word itself.
    fn to_word(self) -> Box<str> {
        let mut bytes = Vec::with_capacity(self.len);
        bytes.extend_from_slice(&self.head.to_le_bytes()[..self.len.min(8)]);
        bytes.extend_from_slice(self.rest);
        String::from_utf8(bytes)
            .expect("a folded word is UTF-8")
            .into_boxed_str()
    }
}

impl Words {
    const FIRST_SLOTS: usize = 1024;

    fn new() -> Self {
        Words {
            slots: vec![Slot::default(); Self::FIRST_SLOTS],
            shift: 64 - Self::FIRST_SLOTS.trailing_zeros(),
            entries: Vec::new(),
        }
    }

    /// Where `word` starts looking for its slot: its first eight bytes
    /// and its length, mixed (Fibonacci hashing: the top bits of a
    /// product).
    #[inline(always)]
    fn first_slot(&self, head: u64, len: usize) -> usize {
        ((head ^ len as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize
    }

    /// Notes that `word` is in document `doc`, in `field`. Inlined, with
    /// what it calls: it runs once for every word of the site.
    #[inline(always)]
    fn add(&mut self, word: Key, doc: u32, field: Field) {
        let s = self.slot_of(word);
        let slot = &mut self.slots[s];
        let last = &mut slot.last[field as usize];
        if *last != doc + 1 {
            *last = doc + 1;
            let entry = slot.entry as usize;
            self.entries[entry].postings.list(field).push(doc);
        }
    }

    /// Adds the words of `other`, whose documents all come after these
    /// (documents are numbered in the order they are gathered).
    fn join(&mut self, other: Words) {
        let mut theirs = other.entries;
        for their_slot in other.slots.iter().filter(|slot| slot.len != 0) {
            let their_entry = std::mem::take(&mut theirs[their_slot.entry as usize]);
            let s = self.slot_of(Key::of(&their_entry.word));
            let slot = &mut self.slots[s];
            for (last, their_last) in slot.last.iter_mut().zip(their_slot.last) {
                if their_last != 0 {
                    *last = their_last;
                }
            }
            let entry = slot.entry as usize;
            self.entries[entry].postings.append(their_entry.postings);
        }
    }

    /// The slot of `word`, added if it is new.
    #[inline(always)]
    fn slot_of(&mut self, word: Key) -> usize {
        let mask = self.slots.len() - 1;
        let mut s = self.first_slot(word.head, word.len);
        while let Some(slot) = self.slots.get(s).filter(|slot| slot.len != 0) {
            if slot.head == word.head
                && slot.len as usize == word.len
                && (word.len <= 8
                    || self.entries[slot.entry as usize].word.as_bytes()[8..] == *word.rest)
            {
                return s;
            }
            s = (s + 1) & mask;
        }
        self.insert(word)
    }

    /// Adds `word`, new, and returns its slot; first makes more slots if
    /// they would be more than half full.
    #[cold]
    fn insert(&mut self, word: Key) -> usize {
        if self.slots.len() < 2 * (self.entries.len() + 1) {
            self.grow();
        }
        let s = self.free_slot(word.head, word.len);
        self.slots[s] = Slot {
            head: word.head,
            len: word.len as u32,
            entry: self.entries.len() as u32,
            last: [0; 3],
        };
        self.entries.push(WordEntry {
            word: word.to_word(),
            postings: Postings::default(),
        });
        s
    }

    /// The first empty slot from where a word starts looking.
    fn free_slot(&self, head: u64, len: usize) -> usize {
        let mask = self.slots.len() - 1;
        let mut s = self.first_slot(head, len);
        while self.slots[s].len != 0 {
            s = (s + 1) & mask;
        }
        s
    }

    /// Twice the slots, every word placed again.
    fn grow(&mut self) {
        let size = self.slots.len() * 2;
        let old = std::mem::replace(&mut self.slots, vec![Slot::default(); size]);
        self.shift -= 1;
        for slot in old.into_iter().filter(|slot| slot.len != 0) {
            let s = self.free_slot(slot.head, slot.len as usize);
            self.slots[s] = slot;
        }
    }
}

impl IntoIterator for Words {
    type Item = (Box<str>, Postings);
    type IntoIter = std::iter::Map<std::vec::IntoIter<WordEntry>, fn(WordEntry) -> Self::Item>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries
            .into_iter()
            .map(|entry| (entry.word, entry.postings))
    }
}

/// The first eight bytes of a word as a number (little-endian), zeros
/// after a shorter word's end: read as at most three loads, whatever the
/// length.
fn first_eight(word: &[u8]) -> u64 {
    let n = word.len();
    let at = |i: usize| u64::from(word[i]);
    let four = |i: usize| u64::from(u32::from_le_bytes(word[i..i + 4].try_into().expect("4")));
    if n >= 8 {
        u64::from_le_bytes(word[..8].try_into().expect("8 bytes"))
    } else if n >= 4 {
        // Two loads that overlap in the middle.
        four(0) | four(n - 4) << ((n - 4) * 8)
    } else if n > 0 {
        at(0) | at(n / 2) << (n / 2 * 8) | at(n - 1) << ((n - 1) * 8)
    } else {
        0
    }
}

/// The documents a word (or a stem) is found in, by field: sorted
/// document numbers.
#[derive(Default)]
struct Postings {
    title: Vec<u32>,
    heading: Vec<u32>,
    body: Vec<u32>,
}

impl Postings {
    fn lists(&mut self) -> [&mut Vec<u32>; 3] {
        [&mut self.title, &mut self.heading, &mut self.body]
    }

    fn list(&mut self, field: Field) -> &mut Vec<u32> {
        match field {
            Field::Title => &mut self.title,
            Field::Heading => &mut self.heading,
            Field::Body => &mut self.body,
        }
    }

    /// Adds the documents of `other`, all after this one's.
    fn append(&mut self, mut other: Postings) {
        for (mine, theirs) in self.lists().into_iter().zip(other.lists()) {
            mine.append(theirs);
        }
    }
}

#[derive(Clone, Copy)]
enum Field {
    Title,
    Heading,
    Body,
}

/// The index files of `site`; none when search is off.
pub fn index_files(site: &Site) -> Vec<Output> {
    index_files_with(site, |file| file)
        .into_iter()
        .map(|(_, file)| file)
        .collect()
}

/// Makes the index files of `site` and hands each to `keep` as soon as it
/// is made (a build writes it straight away), in parallel; returns their
/// paths with what `keep` returned. None when search is off.
pub fn index_files_with<T: Send>(
    site: &Site,
    keep: impl Fn(Output) -> T + Sync,
) -> Vec<(String, T)> {
    IndexSource::gather(site).files_with(keep)
}

/// A hash of everything the index of `site` is made from (see
/// [`IndexSource::fingerprint`]).
pub fn index_fingerprint(site: &Site) -> u64 {
    IndexSource::gather(site).fingerprint()
}

/// What the index of a site is made from, gathered once: its documents in
/// index order and the journeys' ranges of them (none when search is off).
/// A build hashes it for the page records and then makes the files from
/// it, without gathering the documents twice.
pub struct IndexSource<'a> {
    site: &'a Site,
    docs: Vec<Doc<'a>>,
    journeys: Vec<JourneyRange<'a>>,
}

impl<'a> IndexSource<'a> {
    pub fn gather(site: &'a Site) -> Self {
        let settings = &site.config.config.search;
        let (docs, journeys) = if settings.enabled {
            collect_docs(site, settings)
        } else {
            (Vec::new(), Vec::new())
        };
        IndexSource {
            site,
            docs,
            journeys,
        }
    }

    /// A hash of the `[search]` settings and language, and every indexed
    /// page's title, address, kind, journey and week, headings, text and
    /// topics. Equal fingerprints, equal index files (`serve` skips making
    /// them again).
    pub fn fingerprint(&self) -> u64 {
        let site = self.site;
        let settings = &site.config.config.search;
        let mut hasher = crate::hash::ContentHasher::default();
        (settings.enabled, &settings.include, settings.body).hash(&mut hasher);
        site.config.config.language.hash(&mut hasher);
        if settings.enabled {
            (&self.docs, &self.journeys).hash(&mut hasher);
            for topic in &site.topics {
                topic.name.hash(&mut hasher);
            }
        }
        hasher.finish()
    }

    /// The index files, each handed to `keep` as soon as it is made (see
    /// [`index_files_with`]).
    pub fn files_with<T: Send>(self, keep: impl Fn(Output) -> T + Sync) -> Vec<(String, T)> {
        let IndexSource {
            site,
            docs,
            journeys,
        } = self;
        let settings = &site.config.config.search;
        if !settings.enabled {
            return Vec::new();
        }
        let keep = |file: Output| (file.path.clone(), keep(file));
        let words = collect_words(&docs, settings.body);
        let stemmer = stemmer_for(&site.config.config.language);
        let mut kept: Vec<(String, T)> = term_files(words, stemmer.as_ref(), docs.len())
            .into_par_iter()
            .map(keep)
            .collect();
        kept.push(keep(meta_file(site, &docs, journeys)));
        kept.par_extend(
            docs.par_chunks(DOCS_PER_CHUNK)
                .enumerate()
                .map(|(n, chunk)| keep(doc_file(n, chunk))),
        );
        kept
    }
}

/// The documents in index order: guides (newest first), plain pages, then
/// each journey's weeks with their days.
fn collect_docs<'a>(
    site: &'a Site,
    settings: &SearchConfig,
) -> (Vec<Doc<'a>>, Vec<JourneyRange<'a>>) {
    let wants = |kind: &str| settings.include.iter().any(|k| k == kind);
    let mut docs = Vec::new();
    if wants("guides") {
        docs.extend(site.guides.iter().map(|guide| {
            let front = &guide.source.front;
            Doc {
                title: front.title.clone(),
                url: site.link(&guide.path),
                kind: "guide",
                context: front.category.clone(),
                headings: headings_of(&guide.text.block.outline),
                body: vec![
                    Piece::Written(&front.description),
                    Piece::Loaded(&guide.text.block),
                ],
                topics: &guide.topics,
            }
        }));
    }
    if wants("pages") {
        docs.extend(site.pages.iter().map(|page| Doc {
            title: page.source.front.title.clone(),
            url: site.link(&page.path),
            kind: "page",
            context: String::new(),
            headings: headings_of(&page.text.block.outline),
            body: vec![
                Piece::Written(&page.source.front.description),
                Piece::Loaded(&page.text.block),
            ],
            topics: &[],
        }));
    }
    let mut journeys = Vec::new();
    if wants("days") || wants("weeks") {
        for journey in &site.journeys {
            let start = docs.len();
            let mut weeks = Vec::new();
            for week in &journey.weeks {
                let week_start = docs.len();
                if wants("weeks") {
                    docs.push(week_doc(site, journey, week));
                }
                if wants("days") {
                    docs.extend(week.days.iter().map(|&d| day_doc(site, journey, d)));
                }
                weeks.push((week.number, week_start, docs.len()));
            }
            journeys.push(JourneyRange {
                title: &journey.front.title,
                start,
                end: docs.len(),
                weeks,
            });
        }
    }
    (docs, journeys)
}

fn headings_of(outline: &crate::markdown::Outline) -> Vec<&str> {
    outline.headings.iter().map(|h| h.text.as_str()).collect()
}

fn week_doc<'a>(site: &Site, journey: &'a Journey, week: &'a crate::resolve::Week) -> Doc<'a> {
    Doc {
        title: super::pages::week_title(week),
        url: site.link(&week.path),
        kind: "week",
        context: journey.front.title.clone(),
        headings: Vec::new(),
        body: week
            .focus
            .iter()
            .map(|focus| Piece::Written(focus))
            .collect(),
        topics: &journey.topics,
    }
}

fn day_doc<'a>(site: &Site, journey: &'a Journey, d: usize) -> Doc<'a> {
    let day = &journey.days[d];
    let week = &journey.weeks[day.week];
    let mut body = vec![Piece::Loaded(&day.intro.block)];
    body.extend(day.parts.iter().map(|p| Piece::Loaded(&p.text.block)));
    Doc {
        title: format!("Day {}: {}", day.number, day.title),
        url: site.link(&day.path),
        kind: "day",
        context: format!("{} › Week {}", journey.front.title, week.number),
        headings: day.parts.iter().map(|p| p.title.as_str()).collect(),
        body,
        topics: &day.topics,
    }
}

/// The Snowball stemmer of a language code (`en`, `en-GB`, `fr`…), if
/// there is one; other languages are matched by prefix only.
fn stemmer_for(language: &str) -> Option<Stemmer> {
    let code = language
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_lowercase();
    let algorithm = match code.as_str() {
        "en" => Algorithm::English,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "es" => Algorithm::Spanish,
        "it" => Algorithm::Italian,
        "pt" => Algorithm::Portuguese,
        "nl" => Algorithm::Dutch,
        "sv" => Algorithm::Swedish,
        "no" | "nb" | "nn" => Algorithm::Norwegian,
        "da" => Algorithm::Danish,
        "fi" => Algorithm::Finnish,
        "ru" => Algorithm::Russian,
        _ => return None,
    };
    Some(Stemmer::create(algorithm))
}

/// Every folded word of the documents with the documents it is in, by
/// field. Each thread gathers the words of a run of documents; the runs
/// are then joined in document order.
fn collect_words(docs: &[Doc], with_body: bool) -> Words {
    docs.par_iter()
        .enumerate()
        .with_min_len(64)
        .fold(Words::new, |mut words, (d, doc)| {
            add_words(&mut words, d as u32, doc, with_body);
            words
        })
        .reduce(Words::new, |mut left, right| {
            left.join(right);
            left
        })
}

fn add_words(words: &mut Words, doc: u32, text: &Doc, with_body: bool) {
    let mut add = |text: &str, field: Field| {
        let words = &mut *words;
        for_each_word(text, &mut Noting { words, doc, field });
    };
    add(&text.title, Field::Title);
    for heading in &text.headings {
        add(heading, Field::Heading);
    }
    if with_body {
        for body in &text.body {
            add(body.text(), Field::Body);
        }
    }
}

/// What takes the words of a text, one at a time, as [`for_each_word`]
/// reads them.
trait WordSink {
    fn take(&mut self, word: Key);
}

/// The words of one field of one document, noted in [`Words`].
struct Noting<'a> {
    words: &'a mut Words,
    doc: u32,
    field: Field,
}

impl WordSink for Noting<'_> {
    /// Inlined into the word reader's loop, as is all it calls.
    #[inline(always)]
    fn take(&mut self, word: Key) {
        self.words.add(word, self.doc, self.field);
    }
}

/// The words as strings ([`fold`]).
impl WordSink for Vec<String> {
    fn take(&mut self, word: Key) {
        self.push(word.to_word().into());
    }
}

/// Hands `sink` each word of some Markdown, folded: lowercase letters and
/// digits with accents removed. Link targets (`](…)`) are skipped, and so
/// is what follows an apostrophe in a word ("partner's" → "partner": the
/// stemmer would drop it anyway).
///
/// Every word of the site goes through here (5.6 million on the 10k
/// corpus), so a word of ASCII letters and digits is read eight bytes at a
/// time and lowercased in those eight bytes ([`ascii_word`]); only a word
/// with a letter outside ASCII is decoded and folded character by
/// character. Between words, bytes are read one at a time: there are one
/// or two of them, and the one right after a word is read with it.
fn for_each_word(text: &str, sink: &mut impl WordSink) {
    let bytes = text.as_bytes();
    // A word outside ASCII, folded; a long word's bytes after its eighth,
    // lowercased.
    let mut folded = String::new();
    let mut lowered = Vec::new();
    let mut i = 0;
    // Before this byte, reading goes on a byte at a time: the last block
    // tried had a byte that needs it.
    let mut bytewise_until = 0;
    while let Some(&b) = bytes.get(i) {
        if i >= bytewise_until {
            match plain_block(bytes, i, &mut lowered, sink) {
                Some(next) => {
                    i = next;
                    continue;
                }
                None => bytewise_until = i + BLOCK,
            }
        }
        let end = match BYTE_CLASSES[usize::from(b)] {
            FOLDED | UPPER => {
                let (word, end) = ascii_word(bytes, i, &mut lowered);
                let next = bytes
                    .get(end)
                    .map_or(OTHER, |&b| BYTE_CLASSES[usize::from(b)]);
                if next == HIGH && continues_word(text, end) {
                    non_ascii_word(text, i, &mut folded, sink)
                } else {
                    sink.take(word);
                    // The byte after the word, read with it.
                    i = match next {
                        OTHER => end + 1,
                        _ => after_word(text, end),
                    };
                    continue;
                }
            }
            HIGH => match letter_at(text, i) {
                Letter::Yes(_) => non_ascii_word(text, i, &mut folded, sink),
                Letter::No(length) => {
                    i += length;
                    continue;
                }
            },
            BRACKET => {
                i = if bytes.get(i + 1) == Some(&b'(') {
                    link_target_end(bytes, i)
                } else {
                    i + 1
                };
                continue;
            }
            _ => {
                i += 1;
                continue;
            }
        };
        i = after_word(text, end);
    }
}

/// Bytes that [`plain_block`] reads at once.
const BLOCK: usize = 64;

/// Hands `sink` the words of the [`BLOCK`] bytes from byte `i` of
/// `bytes`, where no word goes on from before (`for_each_word` reads on
/// from a byte that is not in a word, or from a word's start), and
/// returns where reading goes on: past the block, or at the start of a
/// word that may run past its end. None, with nothing handed, when the
/// block is not plain: it has a byte outside ASCII, a `'` or a `]`, is
/// one word from end to end, or is past the end of the text.
///
/// Most blocks of a site's text are plain: their words are found from
/// one mask of which bytes are ASCII letters and digits, eight bytes at a
/// time, with no byte read on its own.
#[inline(always)]
fn plain_block(
    bytes: &[u8],
    i: usize,
    lowered: &mut Vec<u8>,
    sink: &mut impl WordSink,
) -> Option<usize> {
    let block = bytes.get(i..)?.first_chunk::<BLOCK>()?;
    let mut letters = 0u64;
    let mut others = 0u64;
    for (k, eight) in block.chunks_exact(8).enumerate() {
        let eight = u64::from_le_bytes(eight.try_into().expect("8 bytes"));
        letters |= byte_mask(ascii_letters(eight)) << (8 * k);
        others |= (eight & HIGH_BITS)
            | zero_byte(eight ^ (u64::from(b'\'') * ONES))
            | zero_byte(eight ^ (u64::from(b']') * ONES));
    }
    if others != 0 {
        return None;
    }
    // A word that reaches the block's last byte may go on past it: it is
    // left to the next read.
    let (mut words, next) = match letters.leading_ones() {
        0 => (letters, i + BLOCK),
        64 => return None,
        last => (letters & (u64::MAX >> last), i + BLOCK - last as usize),
    };
    while words != 0 {
        let start = words.trailing_zeros() as usize;
        let len = (!(words >> start)).trailing_zeros() as usize;
        // Adding the lowest bit of a run of ones clears the run.
        words &= words.wrapping_add(1 << start);
        let at = i + start;
        let head = lowercase(eight_at(bytes, at));
        if len <= 8 {
            let kept = u64::MAX >> (64 - 8 * len);
            sink.take(Key {
                head: head & kept,
                len,
                rest: &[],
            });
        } else {
            let mut rest = &bytes[at + 8..at + len];
            if rest.iter().any(u8::is_ascii_uppercase) {
                lowered.clear();
                lowered.extend(rest.iter().map(u8::to_ascii_lowercase));
                rest = lowered;
            }
            sink.take(Key { head, len, rest });
        }
    }
    Some(next)
}

/// Of eight bytes, those with a high bit set in `set`, as the low eight
/// bits of a number: bit `k` for byte `k`.
#[inline(always)]
fn byte_mask(set: u64) -> u64 {
    // Each byte's bit lands in its own bit of the top byte: no carries.
    ((set >> 7) & ONES).wrapping_mul(0x0102_0408_1020_4080) >> 56
}

/// Of eight bytes, the high bit of each zero byte set: nonzero exactly
/// when one is zero, and the lowest set bit is the first zero byte's (a
/// byte above it may be flagged wrongly, one below never).
#[inline(always)]
fn zero_byte(eight: u64) -> u64 {
    eight.wrapping_sub(ONES) & !eight & HIGH_BITS
}

/// The word of ASCII letters and digits at byte `i` of `bytes` (which
/// starts one), lowercased, and where it ends; a letter outside ASCII may
/// follow it and make it part of a longer word. A word longer than eight
/// bytes with capitals after its eighth is lowercased into `lowered`.
#[inline(always)]
fn ascii_word<'a>(bytes: &'a [u8], i: usize, lowered: &'a mut Vec<u8>) -> (Key<'a>, usize) {
    let eight = eight_at(bytes, i);
    let (len, kept) = leading_run(ascii_letters(eight));
    // All of the word's bytes are letters and digits.
    let head = lowercase(eight) & kept;
    if len < 8 {
        return (
            Key {
                head,
                len,
                rest: &[],
            },
            i + len,
        );
    }
    let (len, capitals) = long_word_end(bytes, i + 8);
    let end = i + 8 + len;
    let rest = if capitals {
        lowered.clear();
        lowered.extend(bytes[i + 8..end].iter().map(u8::to_ascii_lowercase));
        lowered
    } else {
        &bytes[i + 8..end]
    };
    (
        Key {
            head,
            len: 8 + len,
            rest,
        },
        end,
    )
}

/// How many ASCII letters and digits there are from byte `i` on, and
/// whether there are capitals among them: the rest of a word of eight
/// bytes or more.
#[inline(never)]
fn long_word_end(bytes: &[u8], i: usize) -> (usize, bool) {
    let mut len = 0;
    let mut capitals = false;
    loop {
        let eight = eight_at(bytes, i + len);
        let (run, kept) = leading_run(ascii_letters(eight));
        capitals |= (lowercase(eight) ^ eight) & kept != 0;
        len += run;
        if run < 8 {
            return (len, capitals);
        }
    }
}

/// Whether the character outside ASCII at byte `i` of `text` is a letter
/// or digit (so a word goes on through it).
#[cold]
fn continues_word(text: &str, i: usize) -> bool {
    matches!(letter_at(text, i), Letter::Yes(_))
}

/// The word at byte `i` of `text`, which has a letter outside ASCII (or
/// starts with one): folded a character at a time into `folded` and handed
/// to `sink`, unless it folds to nothing. Returns where it ends.
#[cold]
fn non_ascii_word(text: &str, i: usize, folded: &mut String, sink: &mut impl WordSink) -> usize {
    let (end, plain) = word_end(text, i);
    let word = &text[i..end];
    if plain {
        sink.take(Key::of(word));
    } else {
        fold_word(word, folded);
        if !folded.is_empty() {
            sink.take(Key::of(folded));
        }
    }
    end
}

/// Where reading goes on after a word that ends at byte `end`: past a `'`
/// or `’` and the rest of the word after it; past a byte that cannot start
/// a word or a link target; else at `end`.
fn after_word(text: &str, end: usize) -> usize {
    let bytes = text.as_bytes();
    match bytes.get(end).map(|&b| BYTE_CLASSES[usize::from(b)]) {
        Some(OTHER) => end + 1,
        Some(APOSTROPHE) => word_end(text, end + 1).0,
        Some(HIGH) if bytes[end..].starts_with("’".as_bytes()) => {
            word_end(text, end + "’".len()).0
        }
        _ => end,
    }
}

/// The eight bytes from byte `i` on as a number (little-endian), zeros
/// past the end of `bytes`.
#[inline(always)]
fn eight_at(bytes: &[u8], i: usize) -> u64 {
    let rest = bytes.get(i..).unwrap_or_default();
    match rest.first_chunk::<8>() {
        Some(eight) => u64::from_le_bytes(*eight),
        None => {
            let mut padded = [0; 8];
            padded[..rest.len()].copy_from_slice(rest);
            u64::from_le_bytes(padded)
        }
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x80 * ONES;

/// Of eight bytes, those that are ASCII letters or digits: the high bit of
/// each such byte set.
#[inline(always)]
fn ascii_letters(eight: u64) -> u64 {
    let ascii = !eight & HIGH_BITS;
    // Below 0x80 per byte, so the sums carry into no other byte.
    let low = eight & !HIGH_BITS;
    let within = |x: u64, first: u8, last: u8| {
        (x + (0x80 - u64::from(first)) * ONES) & !(x + (0x7f - u64::from(last)) * ONES)
    };
    // With the 0x20 bit set, `A`–`Z` read as `a`–`z`, and no other
    // byte does.
    let letter = within(low | (0x20 * ONES), b'a', b'z');
    let digit = within(low, b'0', b'9');
    (letter | digit) & ascii
}

/// Eight ASCII letters and digits, lowercased: given the 0x20 bit, which
/// capitals lack and lowercase letters and digits have.
#[inline(always)]
fn lowercase(eight: u64) -> u64 {
    eight | (0x20 * ONES)
}

/// Of eight bytes, how many come before the first whose high bit is clear
/// in `set` (0 to 8), and a mask of those bytes.
#[inline(always)]
fn leading_run(set: u64) -> (usize, u64) {
    let stops = !set & HIGH_BITS;
    let first_stop = stops & stops.wrapping_neg();
    (
        (stops.trailing_zeros() / 8) as usize,
        (first_stop >> 7).wrapping_sub(1),
    )
}

/// What a byte of text is to the word splitter.
const OTHER: u8 = 0;
/// `a`–`z`, `0`–`9`: a letter already folded.
const FOLDED: u8 = 1;
/// `A`–`Z`.
const UPPER: u8 = 2;
/// Part of a character outside ASCII.
const HIGH: u8 = 3;
/// `]`, which may start a link's target.
const BRACKET: u8 = 4;
/// `'`, whose word's rest is skipped.
const APOSTROPHE: u8 = 5;

static BYTE_CLASSES: [u8; 256] = byte_classes();

const fn byte_classes() -> [u8; 256] {
    let mut classes = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        classes[b] = match b as u8 {
            b'a'..=b'z' | b'0'..=b'9' => FOLDED,
            b'A'..=b'Z' => UPPER,
            0x80..=0xff => HIGH,
            b']' => BRACKET,
            b'\'' => APOSTROPHE,
            _ => OTHER,
        };
        b += 1;
    }
    classes
}

/// Where the word starting at byte `i` of `text` ends, and whether it is
/// folded already (lowercase ASCII letters and digits only). Inlined: a
/// call costs about as much as the scan of a short word.
#[inline(always)]
fn word_end(text: &str, mut i: usize) -> (usize, bool) {
    let bytes = text.as_bytes();
    let mut plain = true;
    loop {
        i += folded_run(bytes, i);
        let Some(&b) = bytes.get(i) else { break };
        match BYTE_CLASSES[usize::from(b)] {
            FOLDED => i += 1,
            UPPER => {
                plain = false;
                i += 1;
            }
            HIGH => match letter_at(text, i) {
                Letter::Yes(length) => {
                    plain = false;
                    i += length;
                }
                Letter::No(_) => break,
            },
            _ => break,
        }
    }
    (i, plain)
}

/// How many bytes from byte `i` on are `a`–`z` or `0`–`9`: eight at a time
/// while eight are left (most words end within the first eight).
#[inline(always)]
fn folded_run(bytes: &[u8], i: usize) -> usize {
    let mut run = 0;
    while let Some(eight) = bytes[i + run..].first_chunk::<8>() {
        let others = not_folded(u64::from_le_bytes(*eight));
        if others != 0 {
            return run + (others.trailing_zeros() / 8) as usize;
        }
        run += 8;
    }
    run + bytes[i + run..]
        .iter()
        .take_while(|&&b| BYTE_CLASSES[usize::from(b)] == FOLDED)
        .count()
}

/// Of eight bytes, those that are not `a`–`z` or `0`–`9`: the high bit of
/// each such byte is set.
fn not_folded(eight: u64) -> u64 {
    // Below 0x80 per byte, so the sums carry into no other byte.
    let low = eight & !HIGH_BITS;
    let at_least = |b: u8| low + (0x80 - u64::from(b)) * ONES;
    let above = |b: u8| low + (0x7f - u64::from(b)) * ONES;
    let lower = at_least(b'a') & !above(b'z');
    let digit = at_least(b'0') & !above(b'9');
    !((lower | digit) & !eight) & HIGH_BITS
}

/// The end of a link target: past the `)` after the `](` at byte `i`, or
/// the end of the text.
fn link_target_end(bytes: &[u8], i: usize) -> usize {
    bytes[i..]
        .iter()
        .position(|&c| c == b')')
        .map_or(bytes.len(), |end| i + end + 1)
}

/// The character outside ASCII at byte `i`, by its length in bytes.
enum Letter {
    /// A letter or digit.
    Yes(usize),
    No(usize),
}

fn letter_at(text: &str, i: usize) -> Letter {
    match text[i..].chars().next() {
        Some(c) if c.is_alphanumeric() => Letter::Yes(c.len_utf8()),
        Some(c) => Letter::No(c.len_utf8()),
        None => Letter::No(1),
    }
}

/// `word` folded (lowercase, accents removed) into `folded`, replacing
/// what it held.
fn fold_word(word: &str, folded: &mut String) {
    folded.clear();
    for c in word.chars() {
        if c.is_ascii() {
            folded.push(c.to_ascii_lowercase());
        } else {
            fold_into(c, folded);
        }
    }
}

/// A non-ASCII letter, lowercased, without its accents (`É` → `e`,
/// `ß` → `ss`).
fn fold_into(c: char, word: &mut String) {
    for lower in c.to_lowercase() {
        if lower == 'ß' {
            word.push_str("ss");
            continue;
        }
        word.extend(
            std::iter::once(lower)
                .nfd()
                .filter(|c| !unicode_normalization::char::is_combining_mark(*c)),
        );
    }
}

/// The words of a query or a text, folded, as the index has them.
pub fn fold(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    for_each_word(text, &mut words);
    words
}

/// One stem in a term shard: the words it was made from and its
/// documents by field (see [`encode_docs`]).
#[derive(Serialize)]
struct Term {
    w: Vec<Box<str>>,
    t: String,
    h: String,
    b: String,
}

/// A stem of the site: the words it was made from and their documents.
#[derive(Default)]
struct Stem {
    words: Vec<Box<str>>,
    postings: Postings,
}

/// The term shards: the words grouped by stem, the stems by their first
/// two characters.
fn term_files(words: Words, stemmer: Option<&Stemmer>, docs: usize) -> Vec<Output> {
    let mut stems: BTreeMap<String, Stem> = BTreeMap::new();
    for (word, postings) in words {
        let stem = match stemmer {
            Some(stemmer) if word.chars().count() > 2 => stemmer.stem(&word).into_owned(),
            _ => word.to_string(),
        };
        let entry = stems.entry(stem).or_default();
        entry.words.push(word);
        entry.postings.append(postings);
    }
    let mut shards: BTreeMap<String, Vec<(String, Stem)>> = BTreeMap::new();
    for (name, stem) in stems {
        shards
            .entry(shard_name(&name))
            .or_default()
            .push((name, stem));
    }
    shards
        .into_par_iter()
        .map(|(name, stems)| {
            let terms: BTreeMap<String, Term> = stems
                .into_iter()
                .map(|(name, mut stem)| {
                    stem.words.sort();
                    let [t, h, b] = stem.postings.lists().map(|list| {
                        // A stem's words were joined out of document order.
                        list.sort_unstable();
                        list.dedup();
                        encode_docs(list, docs)
                    });
                    let w = stem.words;
                    (name, Term { w, t, h, b })
                })
                .collect();
            Output {
                path: format!("{INDEX_DIR}/terms/{name}.json"),
                contents: serde_json::to_string(&terms).expect("terms serialize"),
            }
        })
        .collect()
}

/// The shard of a stem: its first two characters, percent-free (a letter
/// outside ASCII is written as its code point).
pub fn shard_name(stem: &str) -> String {
    stem.chars()
        .take(2)
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_string()
            } else {
                format!("u{:x}", c as u32)
            }
        })
        .collect()
}

/// A sorted set of document numbers, as whichever is shorter: `L` and the
/// gaps between them in base 36, `.`-separated, or `B` and a base64 bit
/// set. Empty sets are `""`.
fn encode_docs(docs: &[u32], total: usize) -> String {
    if docs.is_empty() {
        return String::new();
    }
    let bitset_len = 1 + total.div_ceil(8).div_ceil(3) * 4;
    let mut list = String::from("L");
    let mut previous = 0u32;
    for (i, &doc) in docs.iter().enumerate() {
        if i > 0 {
            list.push('.');
        }
        push_base36(&mut list, doc - previous);
        previous = doc;
        if list.len() > bitset_len {
            return format!("B{}", bitset(docs, total));
        }
    }
    list
}

fn push_base36(out: &mut String, mut n: u32) {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut buffer = [0u8; 8];
    let mut i = buffer.len();
    loop {
        i -= 1;
        buffer[i] = DIGITS[(n % 36) as usize];
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&buffer[i..]).expect("ASCII"));
}

/// Base64 of a bit set of `total` bits (bit `d % 8` of byte `d / 8`).
fn bitset(docs: &[u32], total: usize) -> String {
    let mut bytes = vec![0u8; total.div_ceil(8)];
    for &doc in docs {
        bytes[doc as usize / 8] |= 1 << (doc % 8);
    }
    base64(&bytes)
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (chunk[0] as u32) << 16
            | (*chunk.get(1).unwrap_or(&0) as u32) << 8
            | *chunk.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn meta_file(site: &Site, docs: &[Doc], journeys: Vec<JourneyRange>) -> Output {
    let mut tagged: Vec<Vec<u32>> = vec![Vec::new(); site.topics.len()];
    for (d, doc) in docs.iter().enumerate() {
        for &t in doc.topics {
            tagged[t].push(d as u32);
        }
    }
    let meta = Meta {
        docs: docs.len(),
        chunk: DOCS_PER_CHUNK,
        topics: site.topics.iter().map(|t| t.name.as_str()).collect(),
        topic_docs: tagged.iter().map(|list| bitset(list, docs.len())).collect(),
        journeys,
    };
    Output {
        path: format!("{INDEX_DIR}/meta.json"),
        contents: serde_json::to_string(&meta).expect("meta serializes"),
    }
}

/// The result records of one chunk of [`DOCS_PER_CHUNK`] documents, the
/// `n`th: `[title, url, kind, context, excerpt]` each, as JSON written
/// here (the bytes `serde_json` writes: see [`push_json_string`]), with
/// no list of records built first.
fn doc_file(n: usize, chunk: &[Doc]) -> Output {
    let mut contents = String::with_capacity(chunk.len() * (EXCERPT_CHARS + 256));
    contents.push('[');
    for (d, doc) in chunk.iter().enumerate() {
        if d > 0 {
            contents.push(',');
        }
        let excerpt = excerpt(doc.body.iter().map(|piece| piece.text()));
        let fields = [
            doc.title.as_str(),
            doc.url.as_str(),
            doc.kind,
            doc.context.as_str(),
            excerpt.as_str(),
        ];
        for (f, field) in fields.into_iter().enumerate() {
            contents.push(if f == 0 { '[' } else { ',' });
            push_json_string(&mut contents, field);
        }
        contents.push(']');
    }
    contents.push(']');
    Output {
        path: format!("{INDEX_DIR}/docs/{n}.json"),
        contents,
    }
}

/// `text` as a JSON string, escaped as `serde_json` escapes it: `"`, `\`
/// and the control characters below U+0020 (`\n` and the like where JSON
/// has a short form, else `\u00xx`); nothing else. The text is looked
/// through eight bytes at a time for a byte to escape, and the runs
/// between them are copied whole.
fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    let bytes = text.as_bytes();
    let mut copied = 0;
    while let Some(at) = next_json_escape(bytes, copied) {
        out.push_str(&text[copied..at]);
        match bytes[at] {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            control => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(control >> 4)]));
                out.push(char::from(HEX[usize::from(control & 0xf)]));
            }
        }
        copied = at + 1;
    }
    out.push_str(&text[copied..]);
    out.push('"');
}

/// The first byte from byte `i` of `bytes` on that JSON escapes: `"`, `\`
/// or one below 0x20.
fn next_json_escape(bytes: &[u8], mut i: usize) -> Option<usize> {
    while let Some(eight) = bytes.get(i..).and_then(|rest| rest.first_chunk::<8>()) {
        let eight = u64::from_le_bytes(*eight);
        // The lowest flagged byte is one to escape (a flag may be wrong
        // only above a right one).
        let flagged = zero_byte(eight ^ (u64::from(b'"') * ONES))
            | zero_byte(eight ^ (u64::from(b'\\') * ONES))
            | (eight.wrapping_sub(0x20 * ONES) & !eight & HIGH_BITS);
        if flagged != 0 {
            return Some(i + (flagged.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    let rest = bytes.get(i..).unwrap_or_default();
    rest.iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .map(|at| i + at)
}

/// The start of a document's text as plain words, for its snippet: the
/// Markdown's words and punctuation, without markup and link targets.
/// Runs of text without markup are copied whole.
fn excerpt<'a>(body: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::with_capacity(EXCERPT_CHARS + 8);
    let mut chars_left = EXCERPT_CHARS;
    for text in body {
        for line in text.lines() {
            let mut rest = line.trim_start_matches(['#', '>', '-', '*', '|', ' ', '\t']);
            while !rest.is_empty() {
                if chars_left == 0 {
                    return trimmed_end(out);
                }
                let run = rest
                    .bytes()
                    .position(|b| matches!(b, b']' | b'*' | b'_' | b'`' | b'[' | b'|' | b'#'))
                    .unwrap_or(rest.len());
                if run == 0 {
                    // Markup, left out; a link's target with it.
                    rest = match rest.strip_prefix("](") {
                        Some(target) => target.find(')').map_or("", |end| &target[end + 1..]),
                        None => &rest[1..],
                    };
                    continue;
                }
                let (kept, taken) = first_chars(&rest[..run], chars_left);
                out.push_str(kept);
                chars_left -= taken;
                rest = &rest[kept.len()..];
            }
            if !out.ends_with(' ') && !out.is_empty() && chars_left > 0 {
                out.push(' ');
                chars_left -= 1;
            }
        }
    }
    trimmed_end(out)
}

/// The first `n` characters of `text` (all of it if shorter), and how many
/// characters that is.
fn first_chars(text: &str, n: usize) -> (&str, usize) {
    if text.is_ascii() {
        let end = text.len().min(n);
        return (&text[..end], end);
    }
    match text.char_indices().nth(n) {
        Some((end, _)) => (&text[..end], n),
        None => (text, text.chars().count()),
    }
}

fn trimmed_end(mut text: String) -> String {
    text.truncate(text.trim_end().len());
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The excerpt as first written, a character at a time: [`excerpt`]
    /// must make exactly its snippets.
    fn reference_excerpt(body: &[&str]) -> String {
        let mut out = String::new();
        let mut chars_left = EXCERPT_CHARS;
        for text in body {
            for line in text.lines() {
                let line = line.trim_start_matches(['#', '>', '-', '*', '|', ' ', '\t']);
                let mut chars = line.chars().peekable();
                while let Some(c) = chars.next() {
                    if chars_left == 0 {
                        return out.trim_end().to_string();
                    }
                    match c {
                        ']' if chars.peek() == Some(&'(') => {
                            for skipped in chars.by_ref() {
                                if skipped == ')' {
                                    break;
                                }
                            }
                        }
                        '*' | '_' | '`' | '[' | ']' | '|' | '#' => {}
                        _ => {
                            out.push(c);
                            chars_left -= 1;
                        }
                    }
                }
                if !out.ends_with(' ') && !out.is_empty() && chars_left > 0 {
                    out.push(' ');
                    chars_left -= 1;
                }
            }
        }
        out.trim_end().to_string()
    }

    /// The word splitter as first written, a character at a time, with
    /// nothing done for speed: [`for_each_word`] must find exactly its words.
    fn reference_words(text: &str, mut f: impl FnMut(&str)) {
        let bytes = text.as_bytes();
        let mut folded = String::new();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b == b']' && bytes.get(i + 1) == Some(&b'(') {
                i = bytes[i..]
                    .iter()
                    .position(|&c| c == b')')
                    .map_or(bytes.len(), |end| i + end + 1);
                continue;
            }
            let length = word_char_at(text, i);
            if length == 0 {
                i += if b < 0x80 { 1 } else { char_len(text, i) };
                continue;
            }
            let start = i;
            let mut plain = true;
            while i < bytes.len() {
                let length = word_char_at(text, i);
                if length == 0 {
                    break;
                }
                plain &= bytes[i].is_ascii_lowercase() || bytes[i].is_ascii_digit();
                i += length;
            }
            let word = &text[start..i];
            if plain {
                f(word);
            } else {
                fold_word(word, &mut folded);
                if !folded.is_empty() {
                    f(&folded);
                }
            }
            let rest = &text[i..];
            if let Some(after) = rest.strip_prefix('\'').or_else(|| rest.strip_prefix('’')) {
                i = text.len() - after.len();
                while i < bytes.len() {
                    match word_char_at(text, i) {
                        0 => break,
                        length => i += length,
                    }
                }
            }
        }
    }

    /// The length in bytes of the letter or digit at byte `i` of `text`, or 0
    /// when there is none.
    fn word_char_at(text: &str, i: usize) -> usize {
        let b = text.as_bytes()[i];
        if b < 0x80 {
            return usize::from(b.is_ascii_alphanumeric());
        }
        match text[i..].chars().next() {
            Some(c) if c.is_alphanumeric() => c.len_utf8(),
            _ => 0,
        }
    }

    fn char_len(text: &str, i: usize) -> usize {
        text[i..].chars().next().map_or(1, char::len_utf8)
    }

    #[test]
    fn words_are_folded_and_link_targets_skipped() {
        assert_eq!(
            fold("Café RÉSUMÉ, [our guide](@/guides/x.md) Straße partner's"),
            ["cafe", "resume", "our", "guide", "strasse", "partner"]
        );
    }

    fn reference_fold(text: &str) -> Vec<String> {
        let mut words = Vec::new();
        reference_words(text, |w| words.push(w.to_string()));
        words
    }

    #[test]
    fn the_fast_splitter_finds_the_words_of_the_plain_one() {
        let cases = [
            "",
            "plain words only",
            "Mixed CASE and digits 42x X42",
            "[a link](@/guides/x.md) then ](unclosed",
            "]( at the start, and ]] ( not a link",
            "it's don’t o'clock ’quoted’ 'single' a'b'c x’",
            "Café ÉTÉ naïve Straße İstanbul ǅemal ﬁne Ⅻ ½ ٣ 日本語",
            "e\u{301}clair: a combining accent, and ́ alone",
            "— … ’ “ ” · • ¶ \u{a0}nbsp\u{2003}em",
            "tab\tnew\nline\r\ncr|pipe*star_under`tick#hash",
            "ends with an apostrophe'",
            "ends with a half link](",
            "abcdefgh ABCDEFGH abcdefghi ABCDEFGHIJKLMNOPQ ABCDEFGHIJKLMNOPq",
            "relationship RELATIONSHIPS RelationShip relationshipé relationsHIPé",
            "eightchr’s ninechars' abcdefghIJKLMNOPqrstuvwxyz0123456789 x[y](z)",
            "endsinalongword",
        ];
        for text in cases {
            assert_eq!(fold(text), reference_fold(text), "{text:?}");
        }
        // Texts of many blocks, plain and not, with words cut by a
        // block's end at every place.
        let plain = "Partner touch moment CARE grow question respect Closeness evening \
            attention warmth feeling gesture boundary. Morning, safe repair: touch \
            space-grow rhythm ATTENTIONS patience feeling breathe patience small";
        for shift in 0..70 {
            let lead = "x".repeat(shift);
            let text = format!(
                "{lead} {plain} {} {plain}{}",
                cases.join(" "),
                "y".repeat(shift)
            );
            assert_eq!(fold(&text), reference_fold(&text), "{text:?}");
            let text = format!("{lead}{plain}\n{}\n{plain}", "z".repeat(70 + shift));
            assert_eq!(fold(&text), reference_fold(&text), "{text:?}");
        }
        // Every pair of some characters that matter to the splitter.
        let alphabet = [
            "a", "Z", "0", " ", "'", "’", "]", "(", ")", "é", "É", "—", "ß", "\u{301}", "日", "-",
        ];
        for x in alphabet {
            for y in alphabet {
                for z in alphabet {
                    let text = format!("{x}{y}{z}a{x}{z}");
                    assert_eq!(fold(&text), reference_fold(&text), "{text:?}");
                }
            }
        }
    }

    /// Words that share their first eight bytes, or differ only in case,
    /// are told apart and joined as they should be, also across the
    /// tables of two runs of documents.
    #[test]
    fn the_word_table_tells_apart_words_with_the_same_start() {
        let note = |words: &mut Words, text: &str, doc: u32| {
            for_each_word(
                text,
                &mut Noting {
                    words,
                    doc,
                    field: Field::Body,
                },
            );
        };
        let mut first = Words::new();
        note(&mut first, "Relationship relationships RELATIONSHIP a A", 0);
        let mut second = Words::new();
        note(&mut second, "relationships Relationshipsx a", 1);
        // Enough words to make the slots grow.
        let many: Vec<String> = (0..3000).map(|n| format!("w{n}")).collect();
        note(&mut second, &many.join(" "), 2);
        first.join(second);
        let mut found: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        for (word, postings) in first {
            found.insert(word.into(), postings.body);
        }
        assert_eq!(found.len(), 4 + 3000);
        assert_eq!(found["relationship"], [0]);
        assert_eq!(found["relationships"], [0, 1]);
        assert_eq!(found["relationshipsx"], [1]);
        assert_eq!(found["a"], [0, 1]);
        assert_eq!(found["w2999"], [2]);
    }

    #[test]
    fn result_files_are_the_json_serde_json_writes() {
        let texts = [
            "",
            "plain",
            "a \"quoted\" back\\slash / slash",
            "\u{0}\u{1}\u{8}\t\n\u{b}\u{c}\r\u{1f} \u{7f}",
            "Café — naïve ’quoted’ 日本語 \"x\"\n",
            "eight by\"eight by\\eight b\n",
        ];
        for text in texts {
            let mut ours = String::new();
            push_json_string(&mut ours, text);
            assert_eq!(ours, serde_json::to_string(text).unwrap(), "{text:?}");
        }
        let docs: Vec<Doc> = texts
            .iter()
            .map(|text| Doc {
                title: format!("Day 1: {text}"),
                url: "/journeys/a/\"b\"/".to_string(),
                kind: "day",
                context: format!("A › Week {text}"),
                headings: Vec::new(),
                body: vec![Piece::Written(text), Piece::Written("\tmore \"text\"")],
                topics: &[],
            })
            .collect();
        let records: Vec<(&str, &str, &str, &str, String)> = docs
            .iter()
            .map(|doc| {
                let body = doc.body.iter().map(|piece| piece.text());
                (
                    &*doc.title,
                    &*doc.url,
                    doc.kind,
                    &*doc.context,
                    excerpt(body),
                )
            })
            .collect();
        assert_eq!(
            doc_file(3, &docs).contents,
            serde_json::to_string(&records).unwrap()
        );
    }

    #[test]
    fn the_fast_excerpt_is_the_plain_one() {
        let texts = [
            "",
            "# Title\n\n> quoted *bold* _under_ `code` [link](@/guides/x.md) | cell |\n- item\r\n",
            "A [link](unclosed and more\nnext line ](x) end",
            "Café — naïve ’quoted’ 日本語 text with ünïcödé\n\n\n###\n",
            "]( at the start",
        ];
        for text in texts {
            assert_eq!(excerpt([text]), reference_excerpt(&[text]), "{text:?}");
        }
        // Cut at the budget at every place: within a run, at markup, at a
        // line's end, within a character outside ASCII.
        for length in [1, 2, 3, 5, 8, 13] {
            let line = "é".repeat(length) + " *a* [b](c) d";
            let lines: Vec<String> = (0..200).map(|n| format!("{line} {n}")).collect();
            let text = lines.join("\n");
            assert_eq!(excerpt([text.as_str()]), reference_excerpt(&[&text]));
            let long = "x".repeat(EXCERPT_CHARS - length) + "\n" + &text;
            assert_eq!(
                excerpt([long.as_str(), &text]),
                reference_excerpt(&[&long, &text])
            );
        }
    }

    #[test]
    fn words_break_at_apostrophes_markup_and_punctuation() {
        assert_eq!(
            fold("It’s DON'T x2, naïve—[a](b/c) **end**"),
            ["it", "don", "x2", "naive", "a", "end"]
        );
        assert_eq!(fold("ÉTÉ"), ["ete"]);
        assert!(fold("— … ’").is_empty());
    }

    #[test]
    fn english_stems_join_reply_and_replying() {
        let stemmer = stemmer_for("en-GB").unwrap();
        assert_eq!(stemmer.stem("replying"), stemmer.stem("reply"));
        assert!(stemmer_for("xx").is_none());
    }

    #[test]
    fn document_sets_take_the_shorter_encoding() {
        assert_eq!(encode_docs(&[3, 40, 41], 1000), "L3.11.1");
        let dense: Vec<u32> = (0..100).collect();
        assert_eq!(
            encode_docs(&dense, 100),
            format!("B{}", bitset(&dense, 100))
        );
        assert_eq!(bitset(&[0, 9], 16), "AQI=");
        assert_eq!(encode_docs(&[], 10), "");
    }

    #[test]
    fn the_index_owns_its_meta_file_and_its_two_folders() {
        let on = SearchConfig::default();
        for path in [
            "search/meta.json",
            "search/terms/zz.json",
            "search/docs/9999.json",
        ] {
            assert!(is_index_path(&on, path), "{path}");
        }
        for path in [
            "search/index.html",
            "search/notes.txt",
            "searching/meta.json",
            "meta.json",
        ] {
            assert!(!is_index_path(&on, path), "{path}");
        }
        let off = SearchConfig {
            enabled: false,
            ..SearchConfig::default()
        };
        assert!(!is_index_path(&off, "search/meta.json"));
    }

    #[test]
    fn shards_are_named_by_two_characters() {
        assert_eq!(shard_name("repli"), "re");
        assert_eq!(shard_name("a"), "a");
        assert_eq!(shard_name("ça"), "ue7a");
    }
}
