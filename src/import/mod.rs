//! `hearth import`: plain-text articles in, guide files out.
//!
//! Input: the bytes of an article file, checked by [`decode_source`] into a
//! `&str`. Output: a [`ConvertedArticle`] (YAML front matter and a Markdown
//! body) made by [`convert_article`] and written as `<into>/<slug>.md` by
//! [`import_files`].
//!
//! # How a plain-text article is read
//!
//! Articles exported as plain text put one paragraph on a line, with or
//! without blank lines between, so each non-blank line is a block of its own.
//! A line that starts with a lowercase letter, directly under a line that does
//! not end a sentence, continues that line (a hard-wrapped paragraph or item).
//!
//! - **Title**: the first line, if it has at most 150 characters and does not
//!   end in `.` `,` `;` `:` `…` (a question may be a title). Otherwise the
//!   article opens with a paragraph and the title is `--title`, or else the
//!   first heading, with a warning.
//! - **Heading** (`##`): a line of at most 80 characters that does not start
//!   with a lowercase letter, does not end in `.` `,` `;` `:` `!` `?` `…`, and
//!   is followed by body text (a line not shaped like a heading) or a list.
//! - **Colon heading** (`##`, colon kept): a Title Case line of at most 60
//!   characters and 8 words ending in one `:` (`Emotional Intimacy:`),
//!   followed by body text.
//! - **Step heading** (`###` under the current section, `##` before any): an
//!   unindented `N. Name` line shaped like a heading, not right after a list
//!   item, followed by body text (`1. Practice Active Listening`).
//! - **Lists**: `•` `◦` `▪` `- ` `* ` lines are bullets, written as `-`.
//!   `N.` and `N)` lines are ordered items when indented, next to another
//!   item, or shaped `N. Name: text`; any other is a paragraph with the
//!   number escaped. Deeper indentation nests. Bullets at the same indentation
//!   right after a numbered item nest under it when that item ends in `:` or
//!   the numbering goes on after them.
//! - **Read more**: a `Read more: …` line becomes a paragraph of its own, which
//!   the build turns into a cross-link card.
//! - Everything else is a paragraph. Text is never reworded or reordered;
//!   Markdown punctuation that would change how it renders is escaped with a
//!   backslash (`#` `>` `+` `-` `=` and `N.` at a line start; `*` `_` `` ` ``
//!   `[` `<` `~` `\` and entity-like `&` anywhere). Typographic quotes and
//!   dashes are kept as they are.
//!
//! A file that opens with `---` front matter is already Markdown: its front
//! matter is checked and the file is copied unchanged.

mod markdown;
mod read;

use crate::slug::file_slug;
use markdown::*;
use read::*;
use std::collections::HashMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// What `hearth import` was asked to do, besides which files.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Folder the guides are written to (created when missing).
    pub into: PathBuf,
    /// `--topics`, written to every guide's front matter.
    pub topics: Vec<String>,
    /// `--title`, allowed only when one file is imported.
    pub title: Option<String>,
    /// Replace guides that already exist.
    pub force: bool,
    /// Print the guides instead of writing them.
    pub dry_run: bool,
}

/// How much structure the converter recognised in one article.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportStats {
    /// `##` headings.
    pub headings: usize,
    /// `###` step headings.
    pub subheadings: usize,
    /// Lists, nested ones included.
    pub lists: usize,
    /// Items of all lists.
    pub list_items: usize,
    /// `Read more:` paragraphs.
    pub read_more: usize,
}

/// One article turned into a guide file, not yet written.
#[derive(Debug, Clone, PartialEq)]
pub struct ConvertedArticle {
    pub title: String,
    pub slug: String,
    /// Front matter and body: the whole `<slug>.md`.
    pub file_text: String,
    pub stats: ImportStats,
    pub warnings: Vec<String>,
    /// The source was Markdown with front matter and is copied unchanged.
    pub copied_as_is: bool,
    /// A Markdown journey (copied as-is), which belongs under
    /// `content/journeys/`.
    pub is_journey: bool,
}

/// Longest first line still taken as a title.
const MAX_TITLE_CHARS: usize = 150;
/// Longest line taken as a heading.
const MAX_HEADING_CHARS: usize = 80;
/// Longest `Name:` line taken as a colon heading, and its most words.
const MAX_COLON_HEADING_CHARS: usize = 60;
const MAX_COLON_HEADING_WORDS: usize = 8;
/// Longest description before it is cut at a word.
const MAX_DESCRIPTION_CHARS: usize = 160;
/// Small words a Title Case heading leaves in lowercase.
const MINOR_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of", "on",
    "or", "the", "to", "vs", "with",
];
/// Words whose final period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "approx", "dr", "e.g", "etc", "i.e", "mr", "mrs", "ms", "no", "st", "vs",
];

/// Checks that a file holds text the importer can read and returns it, without
/// a leading byte-order mark. Errors say what is wrong and what to do.
pub fn decode_source(bytes: &[u8]) -> Result<&str, String> {
    if bytes.is_empty() {
        return Err("the file is empty — put the article's text in it, or leave it out".into());
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err("the file is UTF-16 text — save it as UTF-8 and import it again".into());
    }
    if let Some(index) = bytes.iter().position(|&b| b == 0) {
        return Err(format!(
            "the file contains NUL bytes (the first at byte {index}), so it is binary, not \
             plain text — export the article as a plain-text (.txt) file and import that"
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|error| {
        let valid = &bytes[..error.valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&valid[line_start..]).chars().count() + 1;
        format!(
            "not UTF-8 text: byte 0x{:02X} at line {line}, column {column} — save the file as \
             UTF-8 (for example `iconv -f windows-1252 -t utf-8 in.txt > out.txt`) and import it again",
            bytes[error.valid_up_to()]
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(
            "the file has only blank lines — put the article's text in it, or leave it out".into(),
        );
    }
    Ok(text)
}

/// Turns one article into a guide file. Pure: no I/O. `title_override` is
/// `--title`; it replaces the title line, or names an article that has none.
pub fn convert_article(
    text: &str,
    topics: &[String],
    title_override: Option<&str>,
) -> Result<ConvertedArticle, String> {
    if let Some(front_matter) = split_front_matter(text) {
        return copy_markdown(text, front_matter);
    }
    let lines = read_lines(text);
    let title_line = find_title_line(&lines);
    let roles = assign_roles(&lines, title_line);

    let mut warnings = Vec::new();
    let title = match (title_override.map(str::trim), title_line) {
        (Some(""), _) => return Err("--title is empty — give the guide a title".into()),
        (Some(title), _) => title.to_string(),
        (None, Some(index)) => lines[index].joined_text(),
        (None, None) => {
            let heading = roles.iter().find_map(|role| match role {
                Role::Heading(text) => Some(text.clone()),
                _ => None,
            });
            let Some(heading) = heading else {
                return Err(
                    "the article opens with a paragraph and has no heading to take a \
                            title from — import it on its own with --title \"…\""
                        .into(),
                );
            };
            warnings.push(format!(
                "no title line (the article opens with a paragraph), so its first heading \
                 \"{heading}\" is the title — import it on its own with --title \"…\" to choose one"
            ));
            heading
        }
    };
    let slug = file_slug(&title);
    if slug.is_empty() {
        return Err(format!(
            "the title \"{title}\" has no letters or digits to make a file name from — import \
             it on its own with --title \"…\""
        ));
    }

    let description = lines
        .iter()
        .zip(&roles)
        .find(|(_, role)| matches!(role, Role::Paragraph))
        .map(|(line, _)| summarize(&line.joined_text()));
    let (body, stats) = render_body(&lines, &roles);
    let file_text = render_file(&title, description.as_deref(), topics, &body);
    Ok(ConvertedArticle {
        title,
        slug,
        file_text,
        stats,
        warnings,
        copied_as_is: false,
        is_journey: false,
    })
}

/// Runs `hearth import` over `files`: reads, converts and writes each (or
/// prints it, with `dry_run`), reporting per file to `out` and errors and
/// warnings to `err`. One bad file does not stop the others. Returns how many
/// files failed.
pub fn import_files(
    files: &[PathBuf],
    options: &ImportOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> usize {
    if files.is_empty() {
        let _ = writeln!(
            err,
            "error: no files to import — name one or more article files"
        );
        return 1;
    }
    if options.title.is_some() && files.len() > 1 {
        let _ = writeln!(
            err,
            "error: --title names one guide, but {} files were given — import the file that \
             needs a title on its own with --title, and the others without it",
            files.len()
        );
        return files.len();
    }
    let mut targets: HashMap<PathBuf, &Path> = HashMap::new();
    let mut failed = 0;
    for file in files {
        if let Err(message) = import_file(file, options, &mut targets, out, err) {
            let _ = writeln!(err, "error: {}: {message}", file.display());
            failed += 1;
        }
    }
    let done = files.len() - failed;
    let _ = if options.dry_run {
        writeln!(
            out,
            "dry run: {done} of {} files would be imported, nothing written",
            files.len()
        )
    } else {
        writeln!(out, "imported {done} of {} files", files.len())
    };
    failed
}

// ---------------------------------------------------------------------------
// Writing files

/// Reads, converts and writes (or prints) one file. `targets` holds the files
/// this run already produced, so two sources never land on one name.
fn import_file<'a>(
    file: &'a Path,
    options: &ImportOptions,
    targets: &mut HashMap<PathBuf, &'a Path>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), String> {
    let bytes = fs::read(file).map_err(|error| {
        format!("cannot read the file: {error} — check the path and its permissions")
    })?;
    let text = decode_source(&bytes)?;
    let mut article = convert_article(text, &options.topics, options.title.as_deref())?;
    let folder = folder_for(&options.into, &article);
    if article.is_journey && folder == options.into {
        article.warnings.push(
            "this is a journey (it has `## Day N` headings or a `duration`); it was copied into \
             the --into folder, but journeys belong under content/journeys/"
                .to_string(),
        );
    }
    let target = folder.join(format!("{}.md", article.slug));
    if let Some(other) = targets.get(&target) {
        return Err(format!(
            "its title gives the same file, {}, as {} — import it on its own with --title \"…\"",
            target.display(),
            other.display()
        ));
    }
    if target.exists() && !options.force {
        return Err(format!(
            "{} already exists — pass --force to replace it",
            target.display()
        ));
    }
    for warning in &article.warnings {
        let _ = writeln!(err, "warning: {}: {warning}", file.display());
    }
    if options.dry_run {
        let _ = writeln!(out, "==> {} (dry run, not written)", target.display());
        let _ = out.write_all(article.file_text.as_bytes());
    } else {
        write_guide(&target, &article.file_text, options.force)?;
    }
    targets.insert(target.clone(), file);
    let _ = writeln!(
        out,
        "{}",
        report_line(file, &target, &article, options.dry_run)
    );
    Ok(())
}

/// Where an article goes: `--into`, except that a journey imported into a
/// `guides` folder goes to the `journeys` folder beside it.
fn folder_for(into: &Path, article: &ConvertedArticle) -> PathBuf {
    match into.parent() {
        Some(content) if article.is_journey && into.file_name().is_some_and(|n| n == "guides") => {
            content.join("journeys")
        }
        _ => into.to_path_buf(),
    }
}

/// Writes a guide, creating its folder; without `force` an existing file is
/// an error, even one that appeared after the check.
fn write_guide(target: &Path, text: &str, force: bool) -> Result<(), String> {
    if let Some(folder) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(folder).map_err(|error| {
            format!(
                "cannot create {}: {error} — check that --into is a folder you can write to",
                folder.display()
            )
        })?;
    }
    let mut options = fs::OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let written = options
        .open(target)
        .and_then(|mut file| file.write_all(text.as_bytes()));
    written.map_err(|error| match error.kind() {
        io::ErrorKind::AlreadyExists => format!(
            "{} already exists — pass --force to replace it",
            target.display()
        ),
        _ => format!(
            "cannot write {}: {error} — check that --into is a folder you can write to",
            target.display()
        ),
    })
}

/// One line saying what happened to a file and what was found in it.
fn report_line(file: &Path, target: &Path, article: &ConvertedArticle, dry_run: bool) -> String {
    let verb = match (dry_run, article.copied_as_is) {
        (false, false) => "wrote",
        (true, false) => "would write",
        (false, true) => "copied as-is to",
        (true, true) => "would copy as-is to",
    };
    if article.copied_as_is {
        let kind = markdown_kind(&article.file_text);
        return format!(
            "{}: {verb} {} (Markdown {kind})",
            file.display(),
            target.display()
        );
    }
    let stats = article.stats;
    format!(
        "{}: {verb} {} — headings: {}, sub-headings: {}, lists: {}, list items: {}, read-more: {}",
        file.display(),
        target.display(),
        stats.headings,
        stats.subheadings,
        stats.lists,
        stats.list_items,
        stats.read_more
    )
}

// ---------------------------------------------------------------------------
// Markdown sources with front matter

/// The YAML between an opening `---` line and the next `---` or `...` line.
fn split_front_matter(text: &str) -> Option<&str> {
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let bare = line.trim_end();
        if bare == "---" || bare == "..." {
            return Some(&rest[..offset]);
        }
        offset += line.len();
    }
    None
}

/// Checks a Markdown file's front matter and returns the file unchanged.
fn copy_markdown(text: &str, yaml: &str) -> Result<ConvertedArticle, String> {
    let value: serde_yaml::Value = serde_yaml::from_str(yaml).map_err(|error| {
        let place = error
            .location()
            .map(|at| format!(" at line {}, column {}", at.line() + 1, at.column()))
            .unwrap_or_default();
        let message = error.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message);
        format!(
            "front matter is not valid YAML{place}: {message} — fix the YAML between the --- lines"
        )
    })?;
    let title = value
        .get("title")
        .and_then(serde_yaml::Value::as_str)
        .map(str::trim)
        .filter(|title| !title.is_empty())
        .ok_or("Markdown front matter without a `title` — add `title: \"…\"` to it")?
        .to_string();
    let slug_source = value
        .get("slug")
        .and_then(serde_yaml::Value::as_str)
        .unwrap_or(title.as_str());
    let slug = file_slug(slug_source);
    if slug.is_empty() {
        return Err(format!(
            "the title \"{title}\" has no letters or digits to make a file name from — add a \
             `slug:` to the front matter"
        ));
    }
    Ok(ConvertedArticle {
        title,
        slug,
        file_text: text.to_string(),
        stats: ImportStats::default(),
        warnings: Vec::new(),
        copied_as_is: true,
        is_journey: markdown_kind(text) == "journey",
    })
}

/// `"journey"` for a Markdown file with a `duration` or `## Day N` headings,
/// else `"guide"`.
fn markdown_kind(text: &str) -> &'static str {
    let has_duration = split_front_matter(text)
        .and_then(|yaml| serde_yaml::from_str::<serde_yaml::Value>(yaml).ok())
        .is_some_and(|value| value.get("duration").is_some());
    let has_day = text.lines().any(|line| {
        line.strip_prefix("## Day ")
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
    });
    if has_duration || has_day {
        "journey"
    } else {
        "guide"
    }
}

#[cfg(test)]
mod tests {
    use super::markdown::*;
    use super::read::*;
    use super::*;

    fn convert(text: &str) -> ConvertedArticle {
        convert_article(text, &[], None).expect("converts")
    }

    /// The Markdown after the front matter.
    fn body(text: &str) -> String {
        let file = convert(text).file_text;
        let (_, body) = file[4..].split_once("---\n").expect("front matter closes");
        body.trim().to_string()
    }

    /// A fresh, empty folder under the system temp folder.
    fn scratch_dir(name: &str) -> PathBuf {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir = std::env::temp_dir().join(format!(
            "hearth-import-{name}-{}-{nanos}",
            std::process::id()
        ));
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn run(files: &[PathBuf], options: &ImportOptions) -> (usize, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let failed = import_files(files, options, &mut out, &mut err);
        let text = |bytes| String::from_utf8(bytes).unwrap();
        (failed, text(out), text(err))
    }

    #[test]
    fn first_line_is_the_title_and_first_paragraph_the_description() {
        let article = convert(
            "Keeping Promises Small: A Guide\n\nTrust grows from kept promises. It fades with broken ones.\n",
        );
        assert_eq!(article.title, "Keeping Promises Small: A Guide");
        assert_eq!(article.slug, "keeping-promises-small-a-guide");
        assert_eq!(
            article.file_text,
            "---\ntitle: \"Keeping Promises Small: A Guide\"\ndescription: \"Trust grows from \
             kept promises.\"\n---\n\nTrust grows from kept promises. It fades with broken ones.\n"
        );
    }

    #[test]
    fn a_question_line_can_be_the_title() {
        let article = convert("Why do we argue about chores?\n\nMost couples do.\n");
        assert_eq!(article.title, "Why do we argue about chores?");
    }

    #[test]
    fn short_line_followed_by_text_is_a_heading() {
        assert_eq!(
            body("Title\n\nOpening words here.\nWhy small rituals matter\nThey give the day a shape.\n"),
            "Opening words here.\n\n## Why small rituals matter\n\nThey give the day a shape."
        );
    }

    #[test]
    fn short_lines_that_end_a_sentence_or_lead_nowhere_stay_paragraphs() {
        let markdown =
            body("Title\n\nIt works.\nNothing after this line\nRoses here\nViolets there\n");
        assert!(!markdown.contains('#'), "{markdown}");
    }

    #[test]
    fn title_case_label_with_colon_is_a_heading_keeping_the_colon() {
        let article = convert("Title\n\nShared Chores:\n\nSplit the work so nobody keeps score.\n");
        assert!(article
            .file_text
            .contains("\n## Shared Chores:\n\nSplit the work"));
        assert_eq!(article.stats.headings, 1);
        // Not Title Case: a lead-in sentence, not a heading.
        assert_eq!(
            body("Title\n\nHere is how:\n\nAsk first.\n"),
            "Here is how:\n\nAsk first."
        );
    }

    #[test]
    fn numbered_step_heading_is_a_subheading_of_its_section() {
        let article = convert(
            "Title\n\nMorning Habits\n\nA few ideas follow.\n\n1. Wake Up Together\n\nSet one alarm \
             for both of you.\n2. Share the First Coffee\nTalk before the phones come out.\n",
        );
        assert!(article.file_text.contains(
            "## Morning Habits\n\nA few ideas follow.\n\n### 1. Wake Up Together\n\nSet one alarm \
             for both of you.\n\n### 2. Share the First Coffee\n\nTalk before"
        ));
        assert_eq!(article.stats.headings, 1);
        assert_eq!(article.stats.subheadings, 2);
        assert_eq!(article.stats.lists, 0);
    }

    #[test]
    fn step_heading_before_any_section_is_level_two() {
        assert_eq!(
            body("Title\n\nIntro text here.\n1. Begin Gently\nStart with ten minutes.\n"),
            "Intro text here.\n\n## 1. Begin Gently\n\nStart with ten minutes."
        );
    }

    #[test]
    fn indented_numbered_lines_are_an_ordered_list() {
        let article = convert(
            "Title\n\nTry these:\n\n  1. Listening: Hear the whole story first.\n  2. Patience: \
             Wait before you answer.\n\nThat is all.\n",
        );
        assert!(article.file_text.contains(
            "Try these:\n\n1. Listening: Hear the whole story first.\n2. Patience: Wait before you \
             answer.\n\nThat is all."
        ));
        assert_eq!((article.stats.lists, article.stats.list_items), (1, 2));
    }

    #[test]
    fn indented_bullets_nest_under_their_numbered_item() {
        let article = convert(
            "Title\n\nSteps:\n\n  1. Plan: Pick a night.\n  2. Rituals: Keep a few, such as:\n    • \
             A walk\n    • A song\n  3. Rest: Sleep early.\n",
        );
        assert!(
            article.file_text.contains(
                "1. Plan: Pick a night.\n2. Rituals: Keep a few, such as:\n   - A walk\n   - A \
                 song\n3. Rest: Sleep early."
            ),
            "{}",
            article.file_text
        );
        assert_eq!((article.stats.lists, article.stats.list_items), (2, 5));
    }

    #[test]
    fn bullets_at_the_same_indent_nest_when_the_item_ends_in_a_colon() {
        assert_eq!(
            body("Title\n\nIntro text.\n\n1. Gather these:\n• tape\n• glue\n"),
            "Intro text.\n\n1. Gather these:\n   - tape\n   - glue"
        );
    }

    #[test]
    fn dash_and_dot_bullets_become_a_dash_list() {
        let article =
            convert("Title\n\nIdeas:\n- Notes: Leave one.\n• Walks\n* Calls\nDone now.\n");
        assert!(article
            .file_text
            .contains("Ideas:\n\n- Notes: Leave one.\n- Walks\n- Calls\n\nDone now."));
        assert_eq!((article.stats.lists, article.stats.list_items), (1, 3));
    }

    #[test]
    fn hard_wrapped_lines_join_their_paragraph_or_item() {
        assert_eq!(
            body("Title\n\nThis paragraph was wrapped\nat a narrow width.\n- An item that\n  goes on.\n"),
            "This paragraph was wrapped\nat a narrow width.\n\n- An item that\n  goes on."
        );
    }

    #[test]
    fn read_more_line_is_its_own_paragraph() {
        let article = convert(
            "Title\n\nBody text here.\nRead more: Ten Ways to Say Sorry\nMore body text.\n",
        );
        assert!(article
            .file_text
            .contains("Body text here.\n\nRead more: Ten Ways to Say Sorry\n\nMore body text."));
        assert_eq!(article.stats.read_more, 1);
    }

    #[test]
    fn paragraph_first_source_takes_the_first_heading_as_title_with_a_warning() {
        let text =
            "We start in the middle of things.\nThe Quiet Hour\nSit together without screens.\n";
        let article = convert(text);
        assert_eq!(article.title, "The Quiet Hour");
        assert_eq!(article.warnings.len(), 1);
        assert!(article.warnings[0].contains("--title"));
        assert!(article
            .file_text
            .contains("description: \"We start in the middle of things.\""));
        assert!(article
            .file_text
            .contains("We start in the middle of things.\n\n## The Quiet Hour"));
    }

    #[test]
    fn paragraph_first_source_takes_the_title_override() {
        let text = "We start in the middle of things.\nThe Quiet Hour\nSit together.\n";
        let article = convert_article(text, &[], Some("An Hour Without Screens")).unwrap();
        assert_eq!(article.title, "An Hour Without Screens");
        assert_eq!(article.slug, "an-hour-without-screens");
        assert!(article.warnings.is_empty());
    }

    #[test]
    fn title_override_replaces_the_title_line() {
        let article = convert_article("Old Name\n\nBody text.\n", &[], Some("New Name")).unwrap();
        assert_eq!(article.title, "New Name");
        assert!(!article.file_text.contains("Old Name"));
        assert!(article.file_text.ends_with("---\n\nBody text.\n"));
    }

    #[test]
    fn short_line_followed_by_a_list_is_a_heading() {
        assert_eq!(
            body("Title\n\nGood Signs\n  • Laughter\n  • Ease\nThat is all.\n"),
            "## Good Signs\n\n- Laughter\n- Ease\n\nThat is all."
        );
    }

    #[test]
    fn paragraph_first_source_without_any_heading_is_an_error() {
        let error = convert_article("Just one sentence here.\n", &[], None).unwrap_err();
        assert!(error.contains("--title"), "{error}");
    }

    #[test]
    fn markdown_line_starts_are_escaped() {
        let markdown = body(
            "Title\n\n# is how some write a number.\n> is a sign.\n*Stars* shine.\n1984. That \
             year.\n<b>bold</b> is a tag.\n+ plus.\n---\n",
        );
        assert_eq!(
            markdown,
            "\\# is how some write a number.\n\n\\> is a sign.\n\n\\*Stars\\* shine.\n\n1984\\. \
             That year.\n\n\\<b>bold\\</b> is a tag.\n\n\\+ plus.\n\n\\---"
        );
    }

    #[test]
    fn lone_numbered_sentence_is_a_paragraph_not_a_list() {
        let article = convert("Title\n\nIntro.\n\n1. This line stands alone.\n\nOutro.\n");
        assert!(article
            .file_text
            .contains("\n1\\. This line stands alone.\n"));
        assert_eq!(article.stats.lists, 0);
    }

    #[test]
    fn inline_markup_and_entities_are_escaped() {
        assert_eq!(
            escape_inline("a_b *c* `d` [e](f) ~g~ &amp; & h\\"),
            "a\\_b \\*c\\* \\`d\\` \\[e](f) \\~g\\~ \\&amp; & h\\\\"
        );
        assert_eq!(escape_heading("Tip #1 #"), "Tip \\#1 \\#");
    }

    #[test]
    fn typographic_punctuation_is_kept() {
        let markdown = body("Title\n\nIt’s the “love hormone” — really… – yes.\n");
        assert_eq!(markdown, "It’s the “love hormone” — really… – yes.");
    }

    #[test]
    fn front_matter_values_are_yaml_quoted() {
        let topics = vec!["trust".to_string(), " a \"b\" ".to_string(), String::new()];
        let title = "Say \"yes\": #1 rule \\ no\ttab";
        let article =
            convert_article("Plain body text.\nNext line.\n", &topics, Some(title)).unwrap();
        let yaml = split_front_matter(&article.file_text).expect("front matter");
        let value: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
        assert_eq!(value["title"].as_str(), Some(title));
        assert_eq!(value["description"].as_str(), Some("Plain body text."));
        let topics: Vec<&str> = value["topics"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert_eq!(topics, ["trust", "a \"b\""]);
        assert!(article
            .file_text
            .contains("topics: [\"trust\", \"a \\\"b\\\"\"]\n"));
    }

    #[test]
    fn topics_are_left_out_when_none_are_given() {
        assert!(!convert("Title\n\nText.\n").file_text.contains("topics"));
    }

    #[test]
    fn long_description_is_cut_at_a_word() {
        let sentence = "word ".repeat(50) + "end.";
        let description = summarize(&sentence);
        assert!(description.ends_with("word…"), "{description}");
        assert!(description.chars().count() <= MAX_DESCRIPTION_CHARS);
        assert_eq!(
            summarize("Love vs. Respect is old. Next."),
            "Love vs. Respect is old."
        );
        assert_eq!(summarize("He said “stop.” Then left."), "He said “stop.”");
    }

    #[test]
    fn slugs_are_lowercase_ascii_words() {
        assert_eq!(
            file_slug("How to Build Trust in a Relationship: 15 Strong Ways"),
            "how-to-build-trust-in-a-relationship-15-strong-ways"
        );
        assert_eq!(
            file_slug("Each Other’s Growth — Don't Stop!"),
            "each-others-growth-dont-stop"
        );
        assert_eq!(file_slug("Café Rituals"), "cafe-rituals");
        assert_eq!(file_slug("信頼"), "");
    }

    #[test]
    fn empty_blank_binary_and_non_utf8_sources_are_errors() {
        assert!(decode_source(b"").unwrap_err().contains("empty"));
        assert!(decode_source(b" \n\n")
            .unwrap_err()
            .contains("only blank lines"));
        assert!(decode_source(b"text\0more").unwrap_err().contains("NUL"));
        assert!(decode_source(b"\xFF\xFEh\0")
            .unwrap_err()
            .contains("UTF-16"));
        let error = decode_source(b"line one\ncaf\xE9 au lait").unwrap_err();
        assert!(error.contains("0xE9 at line 2, column 4"), "{error}");
        assert!(error.contains(" — save the file as UTF-8"), "{error}");
        assert_eq!(decode_source("\u{feff}Title".as_bytes()), Ok("Title"));
    }

    #[test]
    fn markdown_with_front_matter_is_copied_as_is() {
        let guide = "---\ntitle: \"Small Talk, Big Love\"\n---\n\n## Why\n\n*kept* as is\n";
        let article = convert(guide);
        assert!(article.copied_as_is);
        assert_eq!(article.file_text, guide);
        assert_eq!(article.slug, "small-talk-big-love");
        assert!(article.warnings.is_empty());
        assert_eq!(markdown_kind(guide), "guide");

        let journey = "---\ntitle: Ten Days\nslug: ten-days-together\n---\n\n## Day 1: Start\n";
        let article = convert(journey);
        assert!(article.copied_as_is);
        assert_eq!(article.slug, "ten-days-together");
        assert_eq!(markdown_kind(journey), "journey");
        assert!(article.is_journey);
        assert!(!convert(guide).is_journey);
    }

    #[test]
    fn a_journey_imported_into_guides_goes_to_journeys() {
        let journey = convert("---\ntitle: Ten Days\n---\n\n## Day 1: Start\n");
        let guide = convert("---\ntitle: Small Talk\n---\n\nText.\n");
        let into = Path::new("site/content/guides");
        assert_eq!(
            folder_for(into, &journey),
            Path::new("site/content/journeys")
        );
        assert_eq!(folder_for(into, &guide), into);
        assert_eq!(
            folder_for(Path::new("drafts"), &journey),
            Path::new("drafts")
        );
    }

    #[test]
    fn markdown_with_broken_front_matter_is_an_error() {
        let error = convert_article("---\ntitle: [unclosed\n---\nBody\n", &[], None).unwrap_err();
        assert!(error.contains("not valid YAML at line"), "{error}");
        let error = convert_article("---\ndate: 2024-01-01\n---\nBody\n", &[], None).unwrap_err();
        assert!(error.contains("title"), "{error}");
    }

    #[test]
    fn existing_guide_is_kept_without_force_and_replaced_with_it() {
        let dir = scratch_dir("force");
        let source = dir.join("article.txt");
        fs::write(&source, "Quiet Evenings\n\nSit together.\n").unwrap();
        let into = dir.join("guides");
        let target = into.join("quiet-evenings.md");
        fs::create_dir_all(&into).unwrap();
        fs::write(&target, "mine").unwrap();
        let mut options = ImportOptions {
            into,
            ..ImportOptions::default()
        };

        let (failed, _, err) = run(std::slice::from_ref(&source), &options);
        assert_eq!(failed, 1);
        assert!(err.contains("already exists — pass --force"), "{err}");
        assert_eq!(fs::read_to_string(&target).unwrap(), "mine");

        options.force = true;
        let (failed, out, _) = run(&[source], &options);
        assert_eq!(failed, 0);
        assert!(out.contains("wrote"), "{out}");
        assert!(fs::read_to_string(&target)
            .unwrap()
            .starts_with("---\ntitle: \"Quiet Evenings\""));
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn one_bad_file_does_not_stop_the_others() {
        let dir = scratch_dir("bad");
        let bad = dir.join("bad.txt");
        let good = dir.join("good.txt");
        fs::write(&bad, b"\xFF\xFF not text").unwrap();
        fs::write(&good, "Good One\n\nIt converts.\nRead more: Other Guide\n").unwrap();
        let options = ImportOptions {
            into: dir.join("out"),
            ..ImportOptions::default()
        };
        let (failed, out, err) = run(&[bad.clone(), dir.join("missing.txt"), good], &options);
        assert_eq!(failed, 2);
        assert!(
            err.contains(&format!("error: {}: not UTF-8 text", bad.display())),
            "{err}"
        );
        assert!(err.contains("missing.txt: cannot read the file"), "{err}");
        assert!(out.contains("read-more: 1"), "{out}");
        assert!(out.contains("imported 1 of 3 files"), "{out}");
        assert!(dir.join("out/good-one.md").exists());
        assert!(!dir.join("out/bad.md").exists());
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn dry_run_prints_the_guide_and_writes_nothing() {
        let dir = scratch_dir("dry");
        let source = dir.join("a.txt");
        fs::write(&source, "Dry Run Guide\n\nNothing is written.\n").unwrap();
        let options = ImportOptions {
            into: dir.join("out"),
            dry_run: true,
            ..ImportOptions::default()
        };
        let (failed, out, _) = run(&[source], &options);
        assert_eq!(failed, 0);
        assert!(out.contains("title: \"Dry Run Guide\""), "{out}");
        assert!(out.contains("would write"), "{out}");
        assert!(!dir.join("out").exists());
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn title_flag_with_several_files_fails_the_run() {
        let options = ImportOptions {
            title: Some("One".into()),
            ..ImportOptions::default()
        };
        let files = [PathBuf::from("a.txt"), PathBuf::from("b.txt")];
        let (failed, out, err) = run(&files, &options);
        assert_eq!(failed, 2);
        assert!(
            err.contains("--title names one guide, but 2 files were given"),
            "{err}"
        );
        assert!(out.is_empty());
    }

    #[test]
    fn two_sources_with_one_title_do_not_overwrite_each_other() {
        let dir = scratch_dir("same");
        let first = dir.join("first.txt");
        let second = dir.join("second.txt");
        fs::write(&first, "Same Title\n\nFirst body.\n").unwrap();
        fs::write(&second, "Same Title\n\nSecond body.\n").unwrap();
        let options = ImportOptions {
            into: dir.join("out"),
            force: true,
            ..ImportOptions::default()
        };
        let (failed, _, err) = run(&[first, second], &options);
        assert_eq!(failed, 1);
        assert!(
            err.contains("second.txt: its title gives the same file"),
            "{err}"
        );
        let written = fs::read_to_string(dir.join("out/same-title.md")).unwrap();
        assert!(written.contains("First body."));
        fs::remove_dir_all(dir).unwrap();
    }

    /// Every `tests/fixtures/import/<case>/input.txt` converts to its
    /// `expected.md`. `HEARTH_BLESS=1` rewrites the expected files instead.
    #[test]
    fn fixtures_convert_to_their_expected_markdown() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import");
        let mut cases: Vec<PathBuf> = fs::read_dir(&root)
            .unwrap_or_else(|error| panic!("{}: {error}", root.display()))
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.is_dir())
            .collect();
        cases.sort();
        assert!(
            cases.len() >= 5,
            "expected fixtures under {}",
            root.display()
        );
        let bless = std::env::var_os("HEARTH_BLESS").is_some();
        for case in cases {
            let input = fs::read_to_string(case.join("input.txt")).unwrap();
            let article = convert(&input);
            let expected_path = case.join("expected.md");
            if bless {
                fs::write(&expected_path, &article.file_text).unwrap();
                continue;
            }
            let expected = fs::read_to_string(&expected_path)
                .unwrap_or_else(|error| panic!("{}: {error}", expected_path.display()));
            assert_eq!(article.file_text, expected, "fixture {}", case.display());
        }
    }
}
