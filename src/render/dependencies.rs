//! What a page depends on, recorded while it is put together, so `serve`
//! re-renders exactly the pages an edit changes.
//!
//! A page depends on what its context holds and on the templates that
//! render it; nothing else reaches its HTML. So the record of a page is a
//! *fingerprint*: a hash of every value its page function puts into its
//! context (through [`PageContext::insert`]), of the site-wide `site` key,
//! and of the text of each template its template uses (`extends`,
//! `include`, `import`, followed through). Nothing is listed by hand: a
//! value a page starts to show is in its fingerprint because it is in its
//! context.
//!
//! To fingerprint a page, its page function runs in [`Mode::Fingerprint`]:
//! it builds the same context, but Tera does not run and Markdown is not
//! rendered. A Markdown text stands in the context as a [`Html`] key
//! instead: the identity of the loaded text (a [`Block`] id, a hash of
//! the text, so it is the same in the next build) and everything rendering
//! it reads from the rest of the site — what each of its `@/` links and
//! Read-more paragraphs resolves to, computed by the same [`Links`] the
//! renderer uses. Files without a template (sitemap, feed, robots.txt,
//! redirects) are cheap: their fingerprint is a hash of their contents.
//!
//! `serve` keeps each page's fingerprint by output path, with the facts of
//! other documents its context read ([`facts`]). After an edit it
//! fingerprints again the pages that read a fact the edit changed and the
//! new pages, renders those whose fingerprint differs or that are new,
//! and removes the old output paths the new site no longer has. `build`
//! fingerprints every page and does the same across builds: it
//! keeps the fingerprints beside the output (`write::records`) and leaves
//! a page whose fingerprint and file are the ones recorded without
//! rendering it.
//!
//! **Adding a page kind** (a search index, paginated lists, a table of
//! contents, reading time): write its page function as the others are —
//! build a context struct, put it in with `context.insert`, end with
//! `self.page(template, context)` — and render Markdown only through
//! `Renderer::markdown` (or `Renderer::sheet_blocks` for worksheets).
//! Its dependencies then follow from its context; where a value of
//! another document (its title, URL, topics, a day's label, a topic's
//! members, …) enters the context, call [`facts::read`] with the fact it
//! comes from, as the card constructors do. A value that reaches the HTML
//! some other way (a global, a file read in a template function), or a
//! read not recorded, is not seen; the randomized differential test in
//! `tests/it/incremental.rs` compares `serve` with a full build after
//! every step, with `serve` checking its recorded reads, and finds it.
//!
//! [`Block`]: crate::load::Block
//! [`Links`]: crate::markdown::Links

mod encoding;
pub mod facts;

pub use crate::hash::hash_bytes;

use super::worksheet::WorksheetBlock;
use crate::markdown::{HeadingLevels, Links};
use crate::resolve::Text;
use serde::ser::{Serialize, SerializeStruct, Serializer};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// What running a page function produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The page's file.
    Render,
    /// The page's fingerprint (see the module doc).
    Fingerprint,
}

/// What a page function made: the file, or its fingerprint.
#[derive(Debug)]
pub enum Made {
    Contents(String),
    Fingerprint(u64),
}

/// A hash that serde writes into: values are written as MessagePack
/// ([`encoding`]), so values whose JSON differs hash apart. The bytes are
/// gathered and hashed once at the end ([`hash_bytes`]): MessagePack is
/// written a byte or a few at a time, and a streaming hasher fed each
/// write made the fingerprint stage 15% slower (67 against 58 ms on
/// the 10k corpus).
pub struct Digest {
    bytes: Vec<u8>,
    /// A value's `Serialize` failed (see [`encoding::encode`]).
    incomplete: bool,
}

impl Default for Digest {
    /// Room for the small digests most are (a name or a few, tens of
    /// thousands after each save), so they do not grow from 8 bytes.
    fn default() -> Digest {
        Digest {
            bytes: Vec::with_capacity(128),
            incomplete: false,
        }
    }
}

impl Digest {
    /// Adds a value; its bytes end where it ends, so `"ab"` then `"c"`
    /// differs from `"a"` then `"bc"`.
    pub fn add<T: Serialize + ?Sized>(&mut self, value: &T) {
        if !encoding::encode(&mut self.bytes, value) {
            debug_assert!(
                false,
                "{} cannot be fingerprinted",
                std::any::type_name::<T>()
            );
            self.incomplete = true;
        }
    }

    pub fn add_u64(&mut self, value: u64) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    /// Adds a text as it is (its length first, so texts stay apart).
    pub fn add_str(&mut self, text: &str) {
        self.add_u64(text.len() as u64);
        self.bytes.extend_from_slice(text.as_bytes());
    }

    /// The hash of what was added. A digest missing part of a value gets
    /// one no other digest has, so its page is made again every time
    /// rather than kept on a partial comparison.
    pub fn finish(&self) -> u64 {
        if self.incomplete {
            return unique_fingerprint();
        }
        hash_bytes(&self.bytes)
    }
}

/// A fingerprint no recorded one equals (but by a 2^-64 chance).
fn unique_fingerprint() -> u64 {
    static COUNT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_nanos() as u64);
    crate::hash::hash_pair(now, COUNT.fetch_add(1, Ordering::Relaxed))
}

/// The hash of one value, as [`Digest::add`] makes it.
pub fn fingerprint(value: &(impl Serialize + ?Sized)) -> u64 {
    let mut digest = Digest::default();
    digest.add(value);
    digest.finish()
}

/// The hash of some text (template sources, files without a template).
pub fn text_fingerprint(text: &str) -> u64 {
    hash_bytes(text.as_bytes())
}

/// A page's template context: a Tera context to render, or the running
/// fingerprint of what would go into one.
pub enum PageContext {
    Render(tera::Context),
    Fingerprint(Digest),
}

impl PageContext {
    /// Puts `value` under `key`.
    pub fn insert(&mut self, key: &str, value: &(impl Serialize + ?Sized)) {
        match self {
            PageContext::Render(context) => context.insert(key, value),
            PageContext::Fingerprint(digest) => {
                digest.add(key);
                digest.add(value);
            }
        }
    }
}

/// Rendered Markdown in a context: the HTML (trusted, `| safe` in
/// templates), or, in a fingerprint, what decides it.
#[derive(Debug)]
pub enum Html {
    Rendered(String),
    Key(TextKey),
}

impl Html {
    /// The HTML (empty in a fingerprint).
    pub fn as_str(&self) -> &str {
        match self {
            Html::Rendered(html) => html,
            Html::Key(_) => "",
        }
    }
}

impl Serialize for Html {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Html::Rendered(html) => serializer.serialize_str(html),
            Html::Key(key) => key.serialize(serializer),
        }
    }
}

/// What the HTML of a Markdown text depends on: the text itself (by the
/// identity of its loaded block, and the part of it rendered), how its
/// headings are placed, and what each of its links and Read-more
/// paragraphs resolves to.
#[derive(Debug, Clone)]
pub struct TextKey {
    block: u64,
    part: String,
    levels: (i8, u8, u8),
    links: Vec<Option<String>>,
    read_more: Vec<String>,
}

impl TextKey {
    /// The key of `text` (or of `part`, a named piece of it) rendered with
    /// `levels` and `links`.
    pub fn new(text: &Text, part: &str, levels: HeadingLevels, links: &dyn Links) -> TextKey {
        let outline = &text.block.outline;
        TextKey {
            block: text.block.id,
            part: part.to_string(),
            levels: (levels.shift, levels.min_level, levels.max_level),
            links: outline
                .links
                .iter()
                .map(|link| links.internal(&link.path, link.anchor.as_deref()))
                .collect(),
            // Every field of what rendering is told, whatever it holds.
            read_more: (0..outline.read_more.len())
                .map(|index| format!("{:?}", links.read_more(index)))
                .collect(),
        }
    }
}

impl Serialize for TextKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut key = serializer.serialize_struct("TextKey", 5)?;
        key.serialize_field("block", &self.block)?;
        key.serialize_field("part", &self.part)?;
        key.serialize_field("levels", &self.levels)?;
        key.serialize_field("links", &self.links)?;
        key.serialize_field("read_more", &self.read_more)?;
        key.end()
    }
}

/// A worksheet section's blocks, or, in a fingerprint, what decides them.
#[derive(Debug, Clone)]
pub enum SheetBlocks {
    Built(Vec<WorksheetBlock>),
    /// The text's key and the block rules (`{:?}`): how questions get
    /// their writing space comes from `site.toml`, not from the text.
    Key(TextKey, String),
}

impl Serialize for SheetBlocks {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            SheetBlocks::Built(blocks) => blocks.serialize(serializer),
            SheetBlocks::Key(key, rules) => (key, rules).serialize(serializer),
        }
    }
}

impl std::ops::Deref for SheetBlocks {
    type Target = [WorksheetBlock];

    fn deref(&self) -> &[WorksheetBlock] {
        match self {
            SheetBlocks::Built(blocks) => blocks,
            SheetBlocks::Key(..) => &[],
        }
    }
}

impl std::ops::DerefMut for SheetBlocks {
    fn deref_mut(&mut self) -> &mut [WorksheetBlock] {
        match self {
            SheetBlocks::Built(blocks) => blocks,
            SheetBlocks::Key(..) => &mut [],
        }
    }
}

impl<'a> IntoIterator for &'a SheetBlocks {
    type Item = &'a WorksheetBlock;
    type IntoIter = std::slice::Iter<'a, WorksheetBlock>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a> IntoIterator for &'a mut SheetBlocks {
    type Item = &'a mut WorksheetBlock;
    type IntoIter = std::slice::IterMut<'a, WorksheetBlock>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

/// Rendered Markdown kept between renders, by what decides it: the hash
/// of its [`TextKey`] (and, for worksheet blocks, the block rules). The
/// key is everything rendering reads, so a kept result is the one
/// rendering would make again. `serve` keeps one across rebuilds, so a
/// template edit, which renders every page, runs Tera again but not
/// pulldown-cmark.
#[derive(Default)]
pub struct RenderCache {
    html: std::sync::RwLock<HashMap<u64, Kept<str>>>,
    blocks: std::sync::RwLock<HashMap<u64, Kept<[WorksheetBlock]>>>,
    /// Off: what is made is not kept (a render of most of the site would
    /// keep the HTML of every text, tens of megabytes on a large site).
    not_keeping: AtomicBool,
}

/// One kept result, and whether a render since the last
/// [`RenderCache::forget_unused`] used it.
struct Kept<T: ?Sized> {
    value: Arc<T>,
    used: AtomicBool,
}

impl RenderCache {
    /// The HTML of the text with `key`: kept, or made by `render` and kept.
    pub fn html(&self, key: &TextKey, render: impl FnOnce() -> String) -> String {
        let id = fingerprint(key);
        let made = self.get_or_make(&self.html, id, || Arc::from(render()));
        made.to_string()
    }

    /// The worksheet blocks of the text with `key` and `rules` (`{:?}`).
    pub fn blocks(
        &self,
        key: &TextKey,
        rules: &str,
        build: impl FnOnce() -> Vec<WorksheetBlock>,
    ) -> Vec<WorksheetBlock> {
        let id = fingerprint(&(key, rules));
        self.get_or_make(&self.blocks, id, || Arc::from(build()))
            .to_vec()
    }

    /// Whether what renders make from now on is kept (what is kept is
    /// used either way).
    pub fn keep_new(&self, keep: bool) {
        self.not_keeping.store(!keep, Ordering::Relaxed);
    }

    /// Lets go of what no render used since the last call: after a render
    /// of every page, what is left belongs to texts the site no longer has.
    pub fn forget_unused(&mut self) {
        fn keep_used<T: ?Sized>(map: &mut HashMap<u64, Kept<T>>) {
            map.retain(|_, kept| kept.used.swap(false, Ordering::Relaxed));
        }
        keep_used(self.html.get_mut().unwrap_or_else(|e| e.into_inner()));
        keep_used(self.blocks.get_mut().unwrap_or_else(|e| e.into_inner()));
    }

    fn get_or_make<T: ?Sized>(
        &self,
        map: &std::sync::RwLock<HashMap<u64, Kept<T>>>,
        id: u64,
        make: impl FnOnce() -> Arc<T>,
    ) -> Arc<T> {
        if let Some(kept) = map.read().unwrap_or_else(|e| e.into_inner()).get(&id) {
            kept.used.store(true, Ordering::Relaxed);
            return Arc::clone(&kept.value);
        }
        let value = make();
        if self.not_keeping.load(Ordering::Relaxed) {
            return value;
        }
        map.write().unwrap_or_else(|e| e.into_inner()).insert(
            id,
            Kept {
                value: Arc::clone(&value),
                used: AtomicBool::new(true),
            },
        );
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_byte_anywhere_changes_the_hash() {
        let text: Vec<u8> = (0..100u8).collect();
        let base = hash_bytes(&text);
        for at in 0..text.len() {
            let mut changed = text.clone();
            changed[at] ^= 1;
            assert_ne!(hash_bytes(&changed), base, "byte {at}");
        }
        assert_ne!(hash_bytes(&text[..99]), base);
        assert_ne!(hash_bytes(b""), hash_bytes(&[0]));
    }

    #[test]
    fn the_cache_renders_a_text_once_and_forgets_what_a_render_left_unused() {
        struct NoLinks;
        impl Links for NoLinks {
            fn internal(&self, _: &str, _: Option<&str>) -> Option<String> {
                None
            }
            fn read_more(&self, _: usize) -> crate::markdown::ReadMoreRender {
                crate::markdown::ReadMoreRender::Omitted
            }
        }
        let text = |markdown: &str| Text {
            block: crate::load::Block::new(markdown.to_string(), 1),
            read_more: Vec::new(),
        };
        let key = |text: &Text| TextKey::new(text, "", HeadingLevels::BODY, &NoLinks);
        let (one, two) = (text("One."), text("Two."));
        let mut cache = RenderCache::default();
        let renders = std::cell::Cell::new(0);
        let render = |html: &str| {
            renders.set(renders.get() + 1);
            html.to_string()
        };
        assert_eq!(
            cache.html(&key(&one), || render("<p>One.</p>")),
            "<p>One.</p>"
        );
        assert_eq!(cache.html(&key(&one), || render("other")), "<p>One.</p>");
        assert_eq!(renders.get(), 1);
        assert_eq!(
            cache.html(&key(&two), || render("<p>Two.</p>")),
            "<p>Two.</p>"
        );
        assert_eq!(renders.get(), 2);
        // Another heading placement is another key.
        let part = TextKey::new(&one, "", HeadingLevels::PART, &NoLinks);
        assert_eq!(cache.html(&part, || render("<p>part</p>")), "<p>part</p>");
        assert_eq!(renders.get(), 3);
        cache.forget_unused();
        // Only `one` is used in the next render: `two` is forgotten after it.
        cache.html(&key(&one), || render("again"));
        cache.forget_unused();
        assert_eq!(cache.html(&key(&one), || render("again")), "<p>One.</p>");
        assert_eq!(
            cache.html(&key(&two), || render("<p>Two, again.</p>")),
            "<p>Two, again.</p>"
        );
        assert_eq!(renders.get(), 4);
        // Not keeping: what is kept is used, what is made is not kept.
        cache.keep_new(false);
        let three = text("Three.");
        assert_eq!(cache.html(&key(&three), || render("<p>3</p>")), "<p>3</p>");
        assert_eq!(cache.html(&key(&three), || render("<p>3</p>")), "<p>3</p>");
        assert_eq!(cache.html(&key(&one), || render("again")), "<p>One.</p>");
        assert_eq!(renders.get(), 6);
        cache.keep_new(true);
        cache.html(&key(&three), || render("<p>3</p>"));
        cache.html(&key(&three), || render("again"));
        assert_eq!(renders.get(), 7);
    }

    #[test]
    fn values_are_kept_apart() {
        let mut one = Digest::default();
        one.add("ab");
        one.add("c");
        let mut other = Digest::default();
        other.add("a");
        other.add("bc");
        assert_ne!(one.finish(), other.finish());
    }
}
