//! Stage 2: the files of `content/` → [`LoadedSite`]: front matter parsed
//! into typed structs, bodies cut into [`Block`]s with their outline. Files
//! are read and parsed in parallel; nothing here looks across files.
//!
//! [`load_site`] is three steps a caller can also run apart (`serve` keeps
//! each file's [`Loaded`] and re-reads only what changed): [`content_files`]
//! walks `content/`, [`load_file`] parses one file, [`assemble_site`] puts
//! the results together.

pub mod front_matter;
pub mod journey;
mod sources;

pub use sources::{FileResult, Sources};

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{count_words, outline, Outline};
use front_matter::{parse_front_matter, split_front_matter, KeyLines, Split};
use journey::{split_day_file, split_journey, Plan, TitledBlock};
use serde::Deserialize;
use std::ops::Deref;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// A piece of Markdown, the line of its file where it starts, and what
/// `resolve` needs to check in it ([`BlockContent`], read through `Deref`).
/// Cloning shares it instead of copying it: the same text goes from `load`
/// to `resolve` to `render`, and `serve` keeps every file's between
/// rebuilds.
#[derive(Debug, Clone, Default)]
pub struct Block(Arc<BlockContent>);

#[derive(Debug, Default)]
pub struct BlockContent {
    /// Names this text by what it holds (a hash of the text and its
    /// line): the same text read again, in this process or the next
    /// build's, has the same id (`render::dependencies`). `0` for the empty
    /// default.
    pub id: u64,
    pub text: String,
    pub line: usize,
    pub outline: Outline,
    /// Its words, for reading times.
    pub words: usize,
}

impl Block {
    pub fn new(text: String, line: usize) -> Block {
        let outline = outline(&text, line);
        let words = count_words(&text);
        Block(Arc::new(BlockContent {
            id: content_id(&text, line),
            text,
            line,
            outline,
            words,
        }))
    }
}

/// A block's id: a hash of its text and line that is the same in every
/// process.
fn content_id(text: &str, line: usize) -> u64 {
    crate::hash::hash_pair(crate::hash::hash_bytes(text.as_bytes()), line as u64)
}

impl Deref for Block {
    type Target = BlockContent;

    fn deref(&self) -> &BlockContent {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct GuideFront {
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub date: Option<String>,
    pub updated: Option<String>,
    #[serde(default, deserialize_with = "front_matter::one_or_many")]
    pub topics: Vec<String>,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub author: String,
    #[serde(default)]
    pub draft: bool,
    pub slug: Option<String>,
    pub weight: Option<i64>,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The title as Read-more lines match it ([`crate::slug::title_key`]),
    /// made when the file is read, not at every resolve.
    #[serde(skip)]
    pub title_key: String,
}

impl GuideFront {
    /// The front matter as read, with its [`GuideFront::title_key`] made.
    pub fn keyed(mut self) -> GuideFront {
        self.title_key = crate::slug::title_key(&self.title);
        self
    }
}

pub const GUIDE_KEYS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "topics",
    "category",
    "author",
    "draft",
    "slug",
    "weight",
    "aliases",
];

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct JourneyFront {
    pub title: String,
    #[serde(default)]
    pub duration: String,
    #[serde(default)]
    pub category: String,
    pub sequence: Option<i64>,
    #[serde(default)]
    pub description: String,
    #[serde(default, deserialize_with = "front_matter::one_or_many")]
    pub topics: Vec<String>,
    pub days_per_week: Option<u32>,
    #[serde(default)]
    pub draft: bool,
}

pub const JOURNEY_KEYS: &[&str] = &[
    "title",
    "duration",
    "category",
    "sequence",
    "description",
    "topics",
    "days_per_week",
    "draft",
];

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DayFront {
    pub day: u32,
    pub title: Option<String>,
    #[serde(default, deserialize_with = "front_matter::one_or_many")]
    pub topics: Vec<String>,
    pub week: Option<u32>,
    #[serde(default)]
    pub draft: bool,
}

pub const DAY_KEYS: &[&str] = &["day", "title", "topics", "week", "draft"];

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PageFront {
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub slug: Option<String>,
    #[serde(default)]
    pub draft: bool,
}

const PAGE_KEYS: &[&str] = &["title", "description", "slug", "draft"];

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct HomeFront {
    pub title: Option<String>,
    #[serde(default)]
    pub description: String,
}

const HOME_KEYS: &[&str] = &["title", "description"];

/// A content file with front matter of type `F`.
#[derive(Debug, Clone)]
pub struct Doc<F> {
    /// Path from the site root, for messages: `content/guides/trust.md`.
    pub file: PathBuf,
    /// Path from `content/` with `/`, as `@/` links name it.
    pub content_path: String,
    pub front: F,
    /// Front matter keys hearth does not know.
    pub extra: serde_json::Value,
    /// Where each front matter key is written, for later errors.
    pub keys: KeyLines,
    pub body: Block,
}

pub type GuideSource = Doc<GuideFront>;
pub type PageSource = Doc<PageFront>;
pub type HomeSource = Doc<HomeFront>;

/// A journey from `journeys/<slug>/journey.md` (+ day files) or
/// `journeys/<slug>.md`.
#[derive(Debug, Clone)]
pub struct JourneySource {
    pub slug: String,
    pub file: PathBuf,
    pub content_path: String,
    pub front: JourneyFront,
    pub extra: serde_json::Value,
    pub keys: KeyLines,
    pub intro: Block,
    pub sections: Vec<TitledBlock>,
    pub plan: Option<Plan>,
    /// Every day found, inline and in day files, in file order; duplicates
    /// are `resolve`'s to report.
    pub days: Vec<DaySource>,
}

#[derive(Debug, Clone)]
pub struct DaySource {
    pub number: u32,
    pub title: String,
    /// Where the day starts: its `## Day N` heading or its file's line 1.
    pub file: PathBuf,
    pub line: usize,
    /// `@/` path of its file (the journey file for an inline day).
    pub content_path: String,
    pub topics: Vec<String>,
    pub keys: KeyLines,
    pub week: Option<u32>,
    pub extra: serde_json::Value,
    pub intro: Block,
    pub parts: Vec<TitledBlock>,
}

/// Everything in `content/`.
#[derive(Debug, Default)]
pub struct LoadedSite {
    pub home: Option<HomeSource>,
    pub guides: Vec<Arc<GuideSource>>,
    pub journeys: Vec<JourneySource>,
    pub pages: Vec<Arc<PageSource>>,
    /// `@/` paths of the drafts left out, so a link to one can say so.
    pub drafts: Vec<String>,
}

/// What a file under `content/` is, from its path alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContentKind {
    Home,
    Guide,
    /// `journeys/<slug>/journey.md`
    JourneyIndex {
        slug: String,
    },
    /// `journeys/<slug>/day-NN.md`
    JourneyDay {
        slug: String,
    },
    /// `journeys/<slug>.md`
    JourneyFile {
        slug: String,
    },
    Page,
    /// Not Markdown, hidden, or a `_` file.
    Ignored,
    /// A Markdown file in a journey folder that is neither `journey.md`
    /// nor `day-NN.md`: not read, with a warning.
    Stray,
    /// `journeys/day-NN.md`: a day file outside any journey folder, an
    /// error (it is not a journey of its own).
    LooseDay,
}

/// Classifies a path relative to `content/`.
pub fn classify_content(relative: &Path) -> ContentKind {
    let parts: Vec<&str> = relative
        .components()
        .filter_map(|c| match c {
            Component::Normal(name) => name.to_str(),
            _ => None,
        })
        .collect();
    let Some(name) = parts.last() else {
        return ContentKind::Ignored;
    };
    if !name.ends_with(".md") || parts.iter().any(|p| p.starts_with('.')) {
        return ContentKind::Ignored;
    }
    let stem = name.trim_end_matches(".md");
    match parts.as_slice() {
        ["_index.md"] => ContentKind::Home,
        _ if stem.starts_with('_') => ContentKind::Ignored,
        ["guides", .., _] => ContentKind::Guide,
        ["journeys", _] if is_day_file_name(stem) => ContentKind::LooseDay,
        ["journeys", _] => ContentKind::JourneyFile { slug: stem.into() },
        ["journeys", slug, "journey.md"] => ContentKind::JourneyIndex {
            slug: (*slug).into(),
        },
        ["journeys", slug, file] if file.starts_with("day-") => ContentKind::JourneyDay {
            slug: (*slug).into(),
        },
        ["journeys", ..] => ContentKind::Stray,
        _ => ContentKind::Page,
    }
}

/// `day-3`, `day-03`: the name of a day file.
fn is_day_file_name(stem: &str) -> bool {
    stem.strip_prefix("day-")
        .is_some_and(|number| !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()))
}

/// One content file after parsing: what [`load_file`] returns and
/// [`assemble_site`] takes. Cheap enough to clone that `serve` keeps one per
/// file and re-assembles the site from copies.
#[derive(Debug, Clone)]
pub enum Loaded {
    Home(HomeSource),
    /// Shared, as a page's is: `serve` keeps each loaded file and hands
    /// the site to a resolve after every save, and copying thousands of
    /// guide records for it was most of assembling the site.
    Guide(Arc<GuideSource>),
    Journey(JourneySource),
    /// A `day-NN.md` file, for the journey of slug `journey`.
    Day {
        journey: String,
        day: DaySource,
    },
    Page(Arc<PageSource>),
    /// A draft left out of this build, by its `@/` path.
    Draft(String),
    /// Not read: ignored by its path.
    Skipped,
    /// A `journeys/day-NN.md` (see [`ContentKind::LooseDay`]), by its path
    /// from the site root.
    LooseDay(PathBuf),
    /// Not read, with a warning why (a stray file in a journey folder).
    Stray(Diagnostic),
}

/// Options of the load stage.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    pub drafts: bool,
}

/// Reads every content file of the site. Problems go to `diagnostics`; a
/// file with an error is left out of the result.
pub fn load_site(
    site: &SiteConfig,
    options: LoadOptions,
    diagnostics: &mut Diagnostics,
) -> LoadedSite {
    Sources::load(site, options).into_site(diagnostics)
}

/// The error of a site without `content/`.
pub fn missing_content_dir() -> Diagnostic {
    Diagnostic::error("content", "the site has no content/ folder")
        .help("create content/ with guides/ and journeys/ (see `hearth new`)")
}

/// Puts loaded files together, in the order given (the walk's order, so
/// that ties sort the same on every build): day files into their journeys,
/// the errors of files that failed into `diagnostics`.
pub fn assemble_site(
    results: impl IntoIterator<Item = Result<Loaded, Diagnostic>>,
    diagnostics: &mut Diagnostics,
) -> LoadedSite {
    let mut site = LoadedSite::default();
    let mut day_files = Vec::new();
    let mut loose_days = Vec::new();
    let mut failed = Vec::new();
    for result in results {
        match result {
            Ok(Loaded::Home(home)) => site.home = Some(home),
            Ok(Loaded::Guide(guide)) => site.guides.push(guide),
            Ok(Loaded::Journey(journey)) => site.journeys.push(journey),
            Ok(Loaded::Day { journey, day }) => day_files.push((journey, day)),
            Ok(Loaded::Page(page)) => site.pages.push(page),
            Ok(Loaded::Draft(content_path)) => site.drafts.push(content_path),
            Ok(Loaded::Skipped) => {}
            Ok(Loaded::LooseDay(file)) => loose_days.push(file),
            Ok(Loaded::Stray(warning)) => diagnostics.push(warning),
            Err(diagnostic) => {
                failed.push(diagnostic.file.clone());
                diagnostics.push(diagnostic);
            }
        }
    }
    for file in loose_days {
        diagnostics.push(loose_day_error(&file, &site.journeys));
    }
    let unloaded = Unloaded {
        drafts: &site.drafts,
        failed: &failed,
    };
    attach_day_files(&mut site.journeys, unloaded, day_files, diagnostics);
    site
}

/// A `journeys/day-NN.md`: it needs a journey folder. With one single-file
/// journey beside it, the help names the move.
fn loose_day_error(file: &Path, journeys: &[JourneySource]) -> Diagnostic {
    let name = file.file_name().unwrap_or_default().to_string_lossy();
    let single: Vec<&JourneySource> = journeys
        .iter()
        .filter(|journey| !journey.content_path.ends_with("/journey.md"))
        .collect();
    let help = match single.as_slice() {
        [journey] => format!(
            "move content/{} to content/journeys/{}/journey.md and put {name} beside it in content/journeys/{}/",
            journey.content_path, journey.slug, journey.slug
        ),
        _ => format!(
            "a journey with day files is a folder: content/journeys/<slug>/journey.md and content/journeys/<slug>/{name}"
        ),
    };
    Diagnostic::error(
        file,
        "a day file must be in its journey's folder, not directly in content/journeys/",
    )
    .at(1)
    .help(help)
}

/// Journey files this build does not have: drafts left out, and files
/// that failed to load (their error is reported; their day files say
/// nothing more).
#[derive(Clone, Copy)]
struct Unloaded<'a> {
    drafts: &'a [String],
    failed: &'a [PathBuf],
}

/// Files under `content/` (hidden ones left out), relative to it, in a
/// stable order: by name, depth first, which is also the order of their
/// paths as [`PathBuf`]s. What cannot be read as a content file — a
/// symlink, a FIFO or device, a name that is not UTF-8, a folder named
/// like a Markdown file — gets a warning naming it, and links are never
/// followed, so nothing outside the site is read.
pub fn content_files(content: &Path, diagnostics: &mut Diagnostics) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut walker = walkdir::WalkDir::new(content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0 || !entry.file_name().to_string_lossy().starts_with('.')
        });
    while let Some(entry) = walker.next() {
        match entry {
            Ok(entry) if entry.depth() == 0 => {}
            Ok(entry) => {
                let Ok(relative) = entry.path().strip_prefix(content) else {
                    continue;
                };
                match unreadable_entry(relative, &entry) {
                    Some(warning) => {
                        diagnostics.push(warning);
                        if entry.file_type().is_dir() && relative.to_str().is_none() {
                            walker.skip_current_dir();
                        }
                    }
                    None if entry.file_type().is_file() => files.push(relative.to_path_buf()),
                    None => {}
                }
            }
            Err(error) => diagnostics.push(Diagnostic::error(
                error
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| "content".into()),
                format!("cannot read: {error}"),
            )),
        }
    }
    files
}

/// The warning for an entry of `content/` hearth cannot read as a file
/// (see [`content_files`]); `None` for files and folders it reads.
fn unreadable_entry(relative: &Path, entry: &walkdir::DirEntry) -> Option<Diagnostic> {
    let file = Path::new("content").join(relative);
    let kind = entry.file_type();
    let markdown_name = entry
        .file_name()
        .to_string_lossy()
        .to_ascii_lowercase()
        .ends_with(".md");
    let (problem, help) = if relative.to_str().is_none() {
        (
            "not read: its name is not valid UTF-8".to_string(),
            "rename it with a UTF-8 name (letters, digits, `-`)",
        )
    } else if kind.is_symlink() {
        let target = std::fs::read_link(entry.path())
            .map(|target| format!(" to {}", target.display()))
            .unwrap_or_default();
        let points = match std::fs::metadata(entry.path()) {
            Err(_) => "a dangling symbolic link",
            Ok(target) if target.is_dir() => "a symbolic link to a folder",
            Ok(_) if !markdown_name => return None,
            Ok(_) => "a symbolic link",
        };
        (
            format!("not read: it is {points}{target}; hearth reads no links in content/, so nothing outside the site is read through one"),
            "copy the file into content/ instead of linking it",
        )
    } else if kind.is_dir() {
        if !markdown_name {
            return None;
        }
        (
            "this folder is named like a Markdown file; only files named .md are read (files inside it still are)".to_string(),
            "rename the folder without `.md`",
        )
    } else if !kind.is_file() {
        (
            "not read: it is not a regular file (a FIFO, socket or device)".to_string(),
            "remove it from content/; hearth reads only regular files",
        )
    } else {
        return None;
    };
    Some(Diagnostic::warning(file, problem).help(help))
}

/// A hash of a file's bytes.
fn bytes_digest(bytes: &[u8]) -> u64 {
    crate::hash::hash_bytes(bytes)
}

/// Reads and parses one file of `content/` (`relative` to it). Files that
/// hearth does not read give [`Loaded::Skipped`].
pub fn load_file(root: &Path, relative: &Path, options: LoadOptions) -> Result<Loaded, Diagnostic> {
    load_file_digest(root, relative, options).1
}

/// [`load_file`], and a hash of the bytes read (0 for a file not read), so
/// a later read can tell whether the file changed.
pub fn load_file_digest(
    root: &Path,
    relative: &Path,
    options: LoadOptions,
) -> (u64, Result<Loaded, Diagnostic>) {
    let mut digest = 0;
    let result = read_content_file(root, relative, options, &mut digest);
    (digest, result)
}

fn read_content_file(
    root: &Path,
    relative: &Path,
    options: LoadOptions,
    digest: &mut u64,
) -> Result<Loaded, Diagnostic> {
    let kind = classify_content(relative);
    let file = Path::new("content").join(relative);
    match kind {
        ContentKind::Ignored => return Ok(Loaded::Skipped),
        ContentKind::LooseDay => return Ok(Loaded::LooseDay(file)),
        ContentKind::Stray => return Ok(Loaded::Stray(
            Diagnostic::warning(
                &file,
                "this file is not read: a journey folder holds journey.md and day-NN.md files",
            )
            .help(
                "name a day's file day-NN.md (e.g. day-04.md), or move it out of content/journeys/",
            ),
        )),
        _ => {}
    }
    let content_path = relative.to_string_lossy().replace('\\', "/");
    let bytes = crate::files::read_regular(&root.join(&file))
        .map_err(|error| Diagnostic::error(&file, format!("cannot read: {error}")))?;
    *digest = bytes_digest(&bytes);
    let text = String::from_utf8(bytes).map_err(|error| {
        let (line, _) = crate::config::line_column(
            &String::from_utf8_lossy(&error.as_bytes()[..error.utf8_error().valid_up_to()]),
            usize::MAX,
        );
        Diagnostic::error(&file, "the file is not valid UTF-8")
            .at(line)
            .help("save it as UTF-8 in your editor")
    })?;
    let split = match split_front_matter(&text) {
        Some(split) => split,
        None if kind == ContentKind::Home => Split {
            yaml: "",
            yaml_line: 2,
            body: &text,
            body_line: 1,
        },
        None => {
            return Err(Diagnostic::error(&file, "no front matter")
                .at(1)
                .help("start the file with a `---` line, `title: …`, and another `---` line"))
        }
    };
    let parts = DocParts {
        file: file.clone(),
        content_path: content_path.clone(),
    };
    match kind {
        ContentKind::Home => {
            let (front, extra) = parse_front_matter::<HomeFront>(&split, &file, HOME_KEYS)?;
            Ok(Loaded::Home(parts.into_doc(front, extra, &split)))
        }
        ContentKind::Guide => {
            let (front, extra) = parse_front_matter::<GuideFront>(&split, &file, GUIDE_KEYS)?;
            let front = front.keyed();
            check_date(&split, &file, "date", front.date.as_deref())?;
            check_date(&split, &file, "updated", front.updated.as_deref())?;
            if front.draft && !options.drafts {
                return Ok(Loaded::Draft(content_path));
            }
            Ok(Loaded::Guide(Arc::new(
                parts.into_doc(front, extra, &split),
            )))
        }
        ContentKind::Page => {
            let (front, extra) = parse_front_matter::<PageFront>(&split, &file, PAGE_KEYS)?;
            if front.draft && !options.drafts {
                return Ok(Loaded::Draft(content_path));
            }
            Ok(Loaded::Page(Arc::new(parts.into_doc(front, extra, &split))))
        }
        ContentKind::JourneyIndex { slug } | ContentKind::JourneyFile { slug } => {
            let (front, extra) = parse_front_matter::<JourneyFront>(&split, &file, JOURNEY_KEYS)?;
            if front.draft && !options.drafts {
                return Ok(Loaded::Draft(content_path));
            }
            if let Some(days_per_week) = front.days_per_week {
                check_limit(
                    &file,
                    yaml_key_line(&split, "days_per_week"),
                    Number::DaysPerWeek(days_per_week),
                )?;
            }
            let body = split_journey(split.body, split.body_line);
            for day in &body.days {
                check_limit(&file, day.line, Number::Day(day.number))?;
            }
            for week in body.plan.iter().flat_map(|plan| &plan.weeks) {
                check_limit(&file, week.line, Number::Week(week.number))?;
            }
            let days = body
                .days
                .into_iter()
                .map(|day| DaySource {
                    number: day.number,
                    title: day.title,
                    file: file.clone(),
                    line: day.line,
                    content_path: content_path.clone(),
                    topics: Vec::new(),
                    keys: KeyLines::at(day.line),
                    week: None,
                    extra: serde_json::Value::Object(Default::default()),
                    intro: day.intro,
                    parts: day.parts,
                })
                .collect();
            Ok(Loaded::Journey(JourneySource {
                slug,
                file,
                content_path,
                keys: KeyLines::of(&split),
                front,
                extra,
                intro: body.intro,
                sections: body.sections,
                plan: body.plan,
                days,
            }))
        }
        ContentKind::JourneyDay { slug } => {
            let (front, extra) = parse_front_matter::<DayFront>(&split, &file, DAY_KEYS)?;
            check_limit(&file, yaml_key_line(&split, "day"), Number::Day(front.day))?;
            if let Some(week) = front.week {
                check_limit(&file, yaml_key_line(&split, "week"), Number::Week(week))?;
            }
            if front.draft && !options.drafts {
                return Ok(Loaded::Draft(content_path));
            }
            let (intro, day_parts) = split_day_file(split.body, split.body_line);
            Ok(Loaded::Day {
                journey: slug,
                day: DaySource {
                    number: front.day,
                    title: front.title.unwrap_or_else(|| format!("Day {}", front.day)),
                    file,
                    line: 1,
                    content_path,
                    topics: front.topics,
                    keys: KeyLines::of(&split),
                    week: front.week,
                    extra,
                    intro,
                    parts: day_parts,
                },
            })
        }
        ContentKind::Ignored | ContentKind::Stray | ContentKind::LooseDay => Ok(Loaded::Skipped),
    }
}

struct DocParts {
    file: PathBuf,
    content_path: String,
}

impl DocParts {
    fn into_doc<F>(self, front: F, extra: serde_json::Value, split: &Split) -> Doc<F> {
        Doc {
            file: self.file,
            content_path: self.content_path,
            front,
            extra,
            keys: KeyLines::of(split),
            body: Block::new(split.body.to_string(), split.body_line),
        }
    }
}

fn yaml_key_line(split: &Split, key: &str) -> usize {
    KeyLines::of(split).line(key)
}

/// A number of a journey that [`crate::limits`] bounds.
#[derive(Debug, Clone, Copy)]
enum Number {
    Day(u32),
    Week(u32),
    DaysPerWeek(u32),
}

/// An error naming the limit when `number` is outside it.
fn check_limit(file: &Path, line: usize, number: Number) -> Result<(), Diagnostic> {
    use crate::limits::{describe, DAYS, DAYS_PER_WEEK, WEEKS};
    let (value, range, what, help) = match number {
        Number::Day(day) => (
            day,
            DAYS,
            "day",
            "days are numbered from 1 (`day: 1`, `## Day 1: …`)",
        ),
        Number::Week(week) => (
            week,
            WEEKS,
            "week",
            "weeks are numbered from 1 (`week: 1`, `### Week 1: …`)",
        ),
        Number::DaysPerWeek(days) => (
            days,
            DAYS_PER_WEEK,
            "days_per_week",
            "use 7 for daily lessons, 5 for weekdays",
        ),
    };
    if range.contains(&value) {
        return Ok(());
    }
    Err(Diagnostic::error(
        file,
        format!(
            "{what} {value} is out of range: it must be {}",
            describe(&range)
        ),
    )
    .at(line)
    .help(help))
}

/// Dates are `YYYY-MM-DD`.
fn check_date(
    split: &Split,
    file: &Path,
    key: &str,
    value: Option<&str>,
) -> Result<(), Diagnostic> {
    let Some(value) = value else { return Ok(()) };
    if parse_date(value).is_some() {
        return Ok(());
    }
    Err(
        Diagnostic::error(file, format!("{key}: `{value}` is not a date"))
            .at(yaml_key_line(split, key))
            .help("write dates as YYYY-MM-DD, e.g. 2026-03-14"),
    )
}

/// `YYYY-MM-DD` → (year, month, day), checked.
pub fn parse_date(text: &str) -> Option<(u32, u32, u32)> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year = text[0..4].parse().ok()?;
    let month: u32 = text[5..7].parse().ok()?;
    let day: u32 = text[8..10].parse().ok()?;
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days_in_month)
        .contains(&day)
        .then_some((year, month, day))
}

/// Puts each day file into its journey; a day file without a journey is an
/// error, one of a draft journey is left out with it.
fn attach_day_files(
    journeys: &mut [JourneySource],
    unloaded: Unloaded,
    day_files: Vec<(String, DaySource)>,
    diagnostics: &mut Diagnostics,
) {
    let folders: rapidhash::RapidHashMap<String, usize> = journeys
        .iter()
        .enumerate()
        .filter(|(_, j)| j.content_path.ends_with("/journey.md"))
        .map(|(index, j)| (j.slug.clone(), index))
        .collect();
    for (slug, day) in day_files {
        match folders.get(&slug) {
            Some(&index) => journeys[index].days.push(day),
            None if unloaded
                .drafts
                .contains(&format!("journeys/{slug}/journey.md")) => {}
            None if unloaded
                .failed
                .contains(&Path::new("content/journeys").join(&slug).join("journey.md")) => {}
            None => diagnostics.push(
                Diagnostic::error(
                    &day.file,
                    format!("day file of a journey `{slug}` that has no journey.md"),
                )
                .at(1)
                .help(format!(
                    "create content/journeys/{slug}/journey.md with the journey's title and plan"
                )),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_content_paths() {
        let table = [
            ("_index.md", ContentKind::Home),
            ("guides/trust.md", ContentKind::Guide),
            ("guides/talk/listening.md", ContentKind::Guide),
            (
                "journeys/gratitude.md",
                ContentKind::JourneyFile {
                    slug: "gratitude".into(),
                },
            ),
            (
                "journeys/deep/journey.md",
                ContentKind::JourneyIndex {
                    slug: "deep".into(),
                },
            ),
            (
                "journeys/deep/day-03.md",
                ContentKind::JourneyDay {
                    slug: "deep".into(),
                },
            ),
            ("journeys/deep/notes.md", ContentKind::Stray),
            ("journeys/deep/Day-04.md", ContentKind::Stray),
            ("about.md", ContentKind::Page),
            ("guides/.trust.md.swp", ContentKind::Ignored),
            ("guides/photo.jpg", ContentKind::Ignored),
            ("guides/_draft.md", ContentKind::Ignored),
        ];
        for (path, kind) in table {
            assert_eq!(classify_content(Path::new(path)), kind, "{path}");
        }
    }

    #[test]
    fn dates_are_checked() {
        assert_eq!(parse_date("2026-02-28"), Some((2026, 2, 28)));
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("14/03/2026"), None);
    }
}
