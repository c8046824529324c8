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
//! instead: the identity of the loaded text (a [`Block`] id, new whenever
//! the file is read again and its text differs) and everything rendering
//! it reads from the rest of the site — what each of its `@/` links and
//! Read-more paragraphs resolves to, computed by the same [`Links`] the
//! renderer uses. Files without a template (sitemap, feed, robots.txt,
//! redirects) are cheap: their fingerprint is a hash of their contents.
//!
//! `serve` keeps each page's fingerprint by output path. After an edit it
//! fingerprints every page of the new site, renders those whose
//! fingerprint differs or that are new, and removes the old output paths
//! the new site no longer has.
//!
//! **Adding a page kind** (a search index, paginated lists, a table of
//! contents, reading time): write its page function as the others are —
//! build a context struct, put it in with `context.insert`, end with
//! `self.page(template, context)` — and render Markdown only through
//! `Renderer::markdown` (or `Renderer::sheet_blocks` for worksheets).
//! Its dependencies then follow from its context. A value that reaches the
//! HTML some other way (a global, a file read in a template function) is
//! not seen; the randomized differential test in `tests/it/serve.rs`
//! compares `serve` with a full build after every step and finds it.
//!
//! [`Block`]: crate::load::Block
//! [`Links`]: crate::markdown::Links

use super::worksheet::WorksheetBlock;
use crate::markdown::{HeadingLevels, Links};
use crate::resolve::Text;
use serde::ser::{Serialize, SerializeStruct, Serializer};
use std::hash::{Hash, Hasher};

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

/// A hash that `serde_json` writes into: values are hashed as the JSON a
/// template would see, without building it.
#[derive(Default)]
pub struct Digest(std::collections::hash_map::DefaultHasher);

impl Digest {
    pub fn add(&mut self, value: &(impl Serialize + ?Sized)) {
        // Writing into a hasher cannot fail; a value that cannot be
        // serialized fails the same way when the page is rendered.
        let _ = serde_json::to_writer(&mut *self, value);
    }

    pub fn add_u64(&mut self, value: u64) {
        self.0.write_u64(value);
    }

    pub fn finish(&self) -> u64 {
        self.0.finish()
    }
}

impl std::io::Write for Digest {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.write(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The hash of one value, as [`Digest::add`] makes it.
pub fn fingerprint(value: &(impl Serialize + ?Sized)) -> u64 {
    let mut digest = Digest::default();
    digest.add(value);
    digest.finish()
}

/// The hash of some text (template sources, files without a template).
pub fn text_fingerprint(text: &str) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
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
    levels: (i8, u8),
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
            levels: (levels.shift, levels.min_level),
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
    Key(TextKey),
}

impl Serialize for SheetBlocks {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            SheetBlocks::Built(blocks) => blocks.serialize(serializer),
            SheetBlocks::Key(key) => key.serialize(serializer),
        }
    }
}

impl std::ops::Deref for SheetBlocks {
    type Target = [WorksheetBlock];

    fn deref(&self) -> &[WorksheetBlock] {
        match self {
            SheetBlocks::Built(blocks) => blocks,
            SheetBlocks::Key(_) => &[],
        }
    }
}

impl std::ops::DerefMut for SheetBlocks {
    fn deref_mut(&mut self) -> &mut [WorksheetBlock] {
        match self {
            SheetBlocks::Built(blocks) => blocks,
            SheetBlocks::Key(_) => &mut [],
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
