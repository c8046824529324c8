//! `hearth import`: plain-text articles in, guide files out.
//!
//! Input: the bytes of an article file, checked by [`decode_source`] into a
//! `&str`. Output: a [`ConvertedArticle`] (YAML front matter and a Markdown
//! body) made by [`convert_article`] and written as `<into>/<slug>.md` by
//! [`import_files`], after the site the guides go into has checked their
//! Read-more lines (`site.rs`).
//!
//! # How a plain-text article is read
//!
//! Articles exported as plain text put one paragraph on a line, with or
//! without blank lines between, so each non-blank line is a block of its own.
//! A line that starts with a lowercase letter, directly under a line that does
//! not end a sentence, continues that line (a hard-wrapped paragraph or item).
//!
//! - **Title**: the first line, if it has at most 150 characters and does not
//!   end in `.` `,` `;` `:` `…` (a question may be a title). But a first line
//!   that is a question or a sentence (a prompt), followed by a Title Case
//!   line and then body text, is the description, and that second line the
//!   title. With no title line the title is `--title`, or else the first
//!   heading, with a warning. A heading that repeats the title is left out.
//! - **Description**: a prompt before the title, or a subtitle (a heading-
//!   shaped line of three words or more) right under it; otherwise the first
//!   sentence of a paragraph that opens the body, which then leaves the body
//!   so the page does not show it twice. None if the body opens otherwise.
//! - **Heading** (`##`): a line of at most 80 characters that does not start
//!   with a lowercase letter, does not end in `.` `,` `;` `:` `!` `?` `…`, and
//!   is followed by body text (a line not shaped like a heading) or a list.
//! - **Colon heading** (`##`, colon dropped): a Title Case line of at most 60
//!   characters and 8 words ending in one `:` (`Shared Chores:`), followed by
//!   body text.
//! - **Step heading** (`###` under the current section, `##` before any): an
//!   unindented `N. Name` line shaped like a heading, not right after a list
//!   item, followed by body text (`1. Plan a Quiet Evening`).
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
//! - **Front matter**: `title`, `description`, `date` (`--date`, or today),
//!   and `topics`: `--topics`, then the site's topics whose names occur as
//!   words in the title or a heading.
//!
//! A file that opens with `---` front matter is already Markdown: its front
//! matter is checked and the file is copied unchanged.

mod markdown;
mod read;
mod site;

use crate::diagnostics::Diagnostic;
use crate::slug::file_slug;
use markdown::*;
use read::*;
use site::TargetSite;
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
    /// `--date` (YYYY-MM-DD); today when not given.
    pub date: Option<String>,
    /// Replace guides that already exist.
    pub force: bool,
    /// Print the guides instead of writing them.
    pub dry_run: bool,
}

/// What one conversion needs besides the text.
#[derive(Debug, Clone, Copy, Default)]
pub struct ArticleOptions<'a> {
    /// `--topics`: every guide gets them.
    pub topics: &'a [String],
    /// The topics of the site the guide goes into: it gets those whose
    /// names occur in its title or headings.
    pub site_topics: &'a [String],
    /// `--title`: replaces the title line, or names an article without one.
    pub title: Option<&'a str>,
    /// The guide's `date` (YYYY-MM-DD); `None` leaves it out.
    pub date: Option<&'a str>,
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

/// A `Read more:` line: where it is in the source and in the guide file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadMoreLine {
    pub source_line: usize,
    pub guide_line: usize,
}

/// One article turned into a guide file, not yet written.
#[derive(Debug, Clone, PartialEq)]
pub struct ConvertedArticle {
    pub title: String,
    pub slug: String,
    /// Front matter and body: the whole `<slug>.md`.
    pub file_text: String,
    pub stats: ImportStats,
    /// The article's Read-more lines, in order.
    pub read_more: Vec<ReadMoreLine>,
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
/// Longest prompt or first sentence taken as the description.
const MAX_LEAD_CHARS: usize = 300;
/// Fewest words of a subtitle (a shorter line under the title is a heading).
const MIN_SUBTITLE_WORDS: usize = 3;
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

/// Turns one article into a guide file. Pure: no I/O.
pub fn convert_article(text: &str, options: &ArticleOptions) -> Result<ConvertedArticle, String> {
    if let Some(front_matter) = split_front_matter(text) {
        return copy_markdown(text, front_matter);
    }
    let lines = read_lines(text);
    let opening = find_opening(&lines);
    let mut roles = assign_roles(&lines, opening);

    let mut warnings = Vec::new();
    let title = match (options.title.map(str::trim), opening.title) {
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
    drop_title_headings(&mut roles, &title);

    let description = match opening.description {
        Some(index) => Some(lines[index].joined_text()),
        None => take_lead(&lines, &mut roles),
    };
    let headings: Vec<&str> = lines
        .iter()
        .zip(&roles)
        .filter_map(|(line, role)| match role {
            Role::Heading(text) => Some(text.as_str()),
            Role::StepHeading => Some(line.text.as_str()),
            _ => None,
        })
        .collect();
    let topics = site::guide_topics(options.topics, options.site_topics, &title, &headings);
    let front = render_front_matter(&FrontMatter {
        title: &title,
        description: description.as_deref(),
        date: options.date,
        topics: &topics,
    });
    let body = render_body(&lines, &roles);
    let body_line = front.lines().count() + 2;
    let read_more = body
        .read_more
        .iter()
        .map(|&(offset, source_line)| ReadMoreLine {
            source_line,
            guide_line: body_line + offset,
        })
        .collect();
    Ok(ConvertedArticle {
        title,
        slug,
        file_text: join_file(front, &body.markdown),
        stats: body.stats,
        read_more,
        warnings,
        copied_as_is: false,
        is_journey: false,
    })
}

/// Runs `hearth import` over `files`: reads and converts each, checks their
/// Read-more lines against the site they go into, and writes each (or
/// prints it, with `dry_run`), reporting per file to `out` and errors and
/// warnings to `err`. One bad file does not stop the others. Returns how many
/// files failed.
pub fn import_files(
    files: &[PathBuf],
    options: &ImportOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> usize {
    if let Err(message) = check_options(files, options) {
        let _ = writeln!(err, "error: {message}");
        return files.len().max(1);
    }
    let site = match TargetSite::find(&options.into) {
        Ok(site) => site,
        Err(problem) => {
            let _ = writeln!(err, "{problem}");
            None
        }
    };
    let site_topics = site
        .as_ref()
        .map(TargetSite::topic_names)
        .unwrap_or_default();
    let date = options.date.clone().unwrap_or_else(today);
    let article_options = ArticleOptions {
        topics: &options.topics,
        site_topics: &site_topics,
        title: options.title.as_deref(),
        date: Some(&date),
    };

    let mut targets: HashMap<PathBuf, &Path> = HashMap::new();
    let mut prepared = Vec::new();
    let mut failed = 0;
    for file in files {
        match prepare_import(file, options, &article_options, &mut targets) {
            Ok(import) => prepared.push(import),
            Err(message) => {
                let _ = writeln!(err, "error: {}: {message}", file.display());
                failed += 1;
            }
        }
    }
    let mut problems = match site {
        Some(site) => site.check_imports(&prepared),
        None => unchecked_read_more(&prepared, &options.into),
    };
    for import in &prepared {
        if let Err(message) = finish_import(import, &mut problems, options, out, err) {
            let _ = writeln!(err, "error: {}: {message}", import.source.display());
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

/// The command line's mistakes, before any file is read.
fn check_options(files: &[PathBuf], options: &ImportOptions) -> Result<(), String> {
    if files.is_empty() {
        return Err("no files to import — name one or more article files".into());
    }
    if options.title.is_some() && files.len() > 1 {
        return Err(format!(
            "--title names one guide, but {} files were given — import the file that needs a \
             title on its own with --title, and the others without it",
            files.len()
        ));
    }
    if let Some(date) = &options.date {
        if crate::load::parse_date(date).is_none() {
            return Err(format!(
                "--date `{date}` is not a date — write it as YYYY-MM-DD, e.g. 2026-03-14"
            ));
        }
    }
    Ok(())
}

/// Today's date in UTC, `YYYY-MM-DD`.
fn today() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    let (year, month, day) = civil_date(seconds / 86_400);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Days since 1970-01-01 → (year, month, day) in the proleptic Gregorian
/// calendar (Howard Hinnant's `civil_from_days`).
fn civil_date(days: u64) -> (u64, u64, u64) {
    let days = days + 719_468;
    let era = days / 146_097;
    let day_of_era = days % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

// ---------------------------------------------------------------------------
// Reading, converting and writing files

/// One source file, converted, with the guide file it becomes.
pub(crate) struct PreparedImport<'a> {
    pub(crate) source: &'a Path,
    pub(crate) target: PathBuf,
    pub(crate) article: ConvertedArticle,
}

/// Reads and converts one file and decides where it goes. `targets` holds
/// the files this run already produces, so two sources never land on one name.
fn prepare_import<'a>(
    file: &'a Path,
    options: &ImportOptions,
    article_options: &ArticleOptions,
    targets: &mut HashMap<PathBuf, &'a Path>,
) -> Result<PreparedImport<'a>, String> {
    let bytes = read_source(file)?;
    let text = decode_source(&bytes)?;
    let mut article = convert_article(text, article_options)?;
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
    targets.insert(target.clone(), file);
    Ok(PreparedImport {
        source: file,
        target,
        article,
    })
}

/// The bytes of a source file. Only a regular file is read: a FIFO would
/// block until something writes to it, a device might never end.
fn read_source(file: &Path) -> Result<Vec<u8>, String> {
    let cannot_read = |error: io::Error| {
        format!("cannot read the file: {error} — check the path and its permissions")
    };
    let file_type = fs::metadata(file).map_err(cannot_read)?.file_type();
    if !file_type.is_file() {
        return Err(format!(
            "{} is not a regular file — import a plain-text file",
            describe_file_type(file_type)
        ));
    }
    fs::read(file).map_err(cannot_read)
}

/// What a file that is not a regular file is, for a message.
fn describe_file_type(file_type: fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "this is a named pipe (FIFO), which";
        }
        if file_type.is_socket() {
            return "this is a socket, which";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "this is a device, which";
        }
    }
    if file_type.is_dir() {
        "this is a folder, which"
    } else {
        "this"
    }
}

/// Prints one prepared file's warnings and problems, then writes (or prints)
/// it and its report line.
fn finish_import(
    import: &PreparedImport,
    problems: &mut HashMap<PathBuf, Vec<Diagnostic>>,
    options: &ImportOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), String> {
    let article = &import.article;
    for warning in &article.warnings {
        let _ = writeln!(err, "warning: {}: {warning}", import.source.display());
    }
    for problem in problems.remove(&import.target).unwrap_or_default() {
        let _ = writeln!(err, "{problem}");
    }
    if options.dry_run {
        let _ = writeln!(
            out,
            "==> {} (dry run, not written)",
            import.target.display()
        );
        let _ = out.write_all(article.file_text.as_bytes());
    } else {
        write_guide(&import.target, &article.file_text, options.force)?;
    }
    let _ = writeln!(
        out,
        "{}",
        report_line(import.source, &import.target, article, options.dry_run)
    );
    Ok(())
}

/// Without a site to check them against, every Read-more line is a warning.
fn unchecked_read_more(
    imports: &[PreparedImport],
    into: &Path,
) -> HashMap<PathBuf, Vec<Diagnostic>> {
    imports
        .iter()
        .map(|import| {
            let warnings = import
                .article
                .read_more
                .iter()
                .map(|line| {
                    Diagnostic::warning(import.source, "Read more: not checked")
                        .at(line.source_line)
                        .help(format!(
                            "{} is in no site (no site.toml in it or a folder above it), so no \
                             guide can be looked up — import into a site's content/guides",
                            into.display()
                        ))
                })
                .collect();
            (import.target.clone(), warnings)
        })
        .collect()
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
        read_more: Vec::new(),
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
        convert_article(text, &ArticleOptions::default()).expect("converts")
    }

    fn convert_titled(text: &str, title: &str) -> Result<ConvertedArticle, String> {
        let options = ArticleOptions {
            title: Some(title),
            ..ArticleOptions::default()
        };
        convert_article(text, &options)
    }

    /// The Markdown after the front matter of `text` with a sentence added
    /// under its first line, which becomes the description and leaves the
    /// body as it would be without it.
    fn body(text: &str) -> String {
        let file = convert(&text.replacen('\n', "\nA first sentence.\n", 1)).file_text;
        assert!(
            file.contains("description: \"A first sentence.\""),
            "{file}"
        );
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
    fn first_line_is_the_title_and_the_first_sentence_moves_to_the_description() {
        let article = convert(
            "Keeping Promises Small: A Guide\n\nTrust grows from kept promises. It fades with broken ones.\n",
        );
        assert_eq!(article.title, "Keeping Promises Small: A Guide");
        assert_eq!(article.slug, "keeping-promises-small-a-guide");
        assert_eq!(
            article.file_text,
            "---\ntitle: \"Keeping Promises Small: A Guide\"\ndescription: \"Trust grows from \
             kept promises.\"\n---\n\nIt fades with broken ones.\n"
        );
    }

    #[test]
    fn a_one_sentence_opening_paragraph_leaves_the_body_for_the_description() {
        let article = convert("Notes on Rest\n\nSleep matters.\n\nWhy Rest Helps\n\nIt calms.\n");
        assert!(article
            .file_text
            .contains("description: \"Sleep matters.\""));
        assert!(
            article
                .file_text
                .ends_with("---\n\n## Why Rest Helps\n\nIt calms.\n"),
            "{}",
            article.file_text
        );
    }

    #[test]
    fn a_body_that_opens_with_a_heading_has_no_description() {
        let article = convert("Notes on Rest\n\nWhy\n\nBecause sleep matters.\n");
        assert!(
            !article.file_text.contains("description"),
            "{}",
            article.file_text
        );
        assert!(article
            .file_text
            .contains("## Why\n\nBecause sleep matters."));
    }

    #[test]
    fn an_overlong_first_sentence_stays_in_the_body_without_a_description() {
        let sentence = format!("{}end.", "word ".repeat(70));
        let article = convert(&format!("Long Lead\n\n{sentence} Short one.\n"));
        assert!(!article.file_text.contains("description"));
        assert!(article
            .file_text
            .contains(&format!("{sentence} Short one.")));
    }

    #[test]
    fn a_prompt_line_before_a_title_line_is_the_description() {
        let article = convert(
            "How can two busy people find an hour for each other?\n\nMaking Room for Us: A Weekly \
             Plan\n\nMost weeks fill up before they start.\n",
        );
        assert_eq!(article.title, "Making Room for Us: A Weekly Plan");
        assert!(article.warnings.is_empty());
        assert!(article
            .file_text
            .contains("description: \"How can two busy people find an hour for each other?\"\n"));
        assert!(article
            .file_text
            .ends_with("---\n\nMost weeks fill up before they start.\n"));
        let sentence_prompt =
            convert("Write about sharing chores.\nSharing the Chores\nIt is fair.\n");
        assert_eq!(sentence_prompt.title, "Sharing the Chores");
    }

    #[test]
    fn a_question_before_a_plain_heading_stays_the_title() {
        let article = convert("Why do we argue?\n\nit starts small\n\nOften over dishes.\n");
        assert_eq!(article.title, "Why do we argue?");
    }

    #[test]
    fn a_subtitle_under_the_title_is_the_description() {
        let article = convert(
            "Small Rituals: Keeping Love Fresh\n\nHabits That Bring Couples Closer\n\nA ritual is a \
             habit with a meaning. It repeats.\n\nMorning Coffee:\n\nShare it.\n",
        );
        assert!(article
            .file_text
            .contains("description: \"Habits That Bring Couples Closer\"\n"));
        assert!(article.file_text.contains(
            "---\n\nA ritual is a habit with a meaning. It repeats.\n\n## Morning Coffee\n"
        ));
    }

    #[test]
    fn the_title_is_never_repeated_as_a_heading() {
        let article = convert(
            "Why Walks Help\n\nA short intro here.\n\nWhy walks help\n\nThey slow us down.\n",
        );
        assert!(
            !article.file_text.contains("## Why"),
            "{}",
            article.file_text
        );
        assert!(article.file_text.contains("They slow us down."));
    }

    #[test]
    fn headings_lose_a_trailing_colon() {
        assert_eq!(
            body("Title\n\nOpening words.\n\nShared Chores:\n\nSplit the work.\n"),
            "Opening words.\n\n## Shared Chores\n\nSplit the work."
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
    fn title_case_label_with_colon_is_a_heading() {
        let article =
            convert("Title\n\nLead.\n\nShared Chores:\n\nSplit the work so nobody keeps score.\n");
        assert!(article
            .file_text
            .contains("\n## Shared Chores\n\nSplit the work"));
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
            "Title\n\nLead.\n\nBody text here.\nRead more: Ten Ways to Say Sorry\nMore body text.\n",
        );
        assert!(article
            .file_text
            .contains("Body text here.\n\nRead more: Ten Ways to Say Sorry\n\nMore body text."));
        assert_eq!(article.stats.read_more, 1);
    }

    /// Opens with two sentences, so no line is a title or a prompt.
    const PARAGRAPH_FIRST: &str = "We start in the middle of things. Then we go on.\nThe \
         second line is a sentence too.\nThe quiet hour\nSit together without screens.\n";

    #[test]
    fn paragraph_first_source_takes_the_first_heading_as_title_without_repeating_it() {
        let article = convert(PARAGRAPH_FIRST);
        assert_eq!(article.title, "The quiet hour");
        assert_eq!(article.warnings.len(), 1);
        assert!(article.warnings[0].contains("--title"));
        assert!(article
            .file_text
            .contains("description: \"We start in the middle of things.\""));
        assert!(
            article.file_text.ends_with(
                "---\n\nThen we go on.\n\nThe second line is a sentence too.\n\nSit together \
             without screens.\n"
            ),
            "{}",
            article.file_text
        );
    }

    #[test]
    fn paragraph_first_source_takes_the_title_override() {
        let text = PARAGRAPH_FIRST;
        let article = convert_titled(text, "An Hour Without Screens").unwrap();
        assert_eq!(article.title, "An Hour Without Screens");
        assert_eq!(article.slug, "an-hour-without-screens");
        assert!(article.warnings.is_empty());
        assert!(article.file_text.contains("\n## The quiet hour\n"));
    }

    #[test]
    fn title_override_replaces_the_title_line() {
        let article = convert_titled("Old Name\n\nBody text\n", "New Name").unwrap();
        assert_eq!(article.title, "New Name");
        assert!(!article.file_text.contains("Old Name"));
        assert!(article.file_text.ends_with("---\n\nBody text\n"));
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
        let error =
            convert_article("Just one sentence here.\n", &ArticleOptions::default()).unwrap_err();
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
        let options = ArticleOptions {
            topics: &topics,
            title: Some(title),
            ..ArticleOptions::default()
        };
        let article = convert_article("Plain body text.\nNext line.\n", &options).unwrap();
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
    fn first_sentence_ends_at_a_real_sentence_end() {
        assert_eq!(
            split_first_sentence("Love vs. Respect is old. Next."),
            ("Love vs. Respect is old.", "Next.")
        );
        assert_eq!(
            split_first_sentence("He said “stop.” Then left."),
            ("He said “stop.”", "Then left.")
        );
        assert_eq!(split_first_sentence("No end here"), ("No end here", ""));
    }

    #[test]
    fn each_guide_gets_the_date_given() {
        let options = ArticleOptions {
            date: Some("2026-02-03"),
            ..ArticleOptions::default()
        };
        let article = convert_article("Dated\n\nText here.\n", &options).unwrap();
        assert!(article.file_text.contains("\ndate: 2026-02-03\n"));
    }

    #[test]
    fn today_is_a_calendar_date() {
        assert_eq!(civil_date(0), (1970, 1, 1));
        assert_eq!(civil_date(11_016), (2000, 2, 29));
        assert_eq!(civil_date(20_819), (2027, 1, 1));
        assert!(crate::load::parse_date(&today()).is_some());
    }

    #[test]
    fn site_topics_named_in_the_title_or_headings_are_added() {
        let site_topics = [
            "Trust".to_string(),
            "Quality Time".to_string(),
            "Money".to_string(),
        ];
        let given = ["trust".to_string(), "Play".to_string()];
        let options = ArticleOptions {
            topics: &given,
            site_topics: &site_topics,
            ..ArticleOptions::default()
        };
        let article = convert_article(
            "Evenings at Home\n\nSome text.\n\nWhy Quality Time Counts\n\nIt adds up.\n\n1. Talk \
             About Money Early\n\nBefore it becomes a fight.\n\nTrusty tools are not trust.\n",
            &options,
        )
        .unwrap();
        assert!(
            article
                .file_text
                .contains("topics: [\"Trust\", \"Play\", \"Quality Time\", \"Money\"]\n"),
            "{}",
            article.file_text
        );
        let none = convert_article("Trusty Tools\n\nText.\n", &options).unwrap();
        assert!(none.file_text.contains("topics: [\"Trust\", \"Play\"]\n"));
    }

    #[test]
    fn read_more_lines_know_their_source_and_guide_lines() {
        let article = convert("Title\n\nIntro. More.\n\nRead more: Other Guide\nText.\n");
        let guide_line = article
            .file_text
            .lines()
            .position(|line| line == "Read more: Other Guide")
            .unwrap()
            + 1;
        assert_eq!(
            article.read_more,
            [ReadMoreLine {
                source_line: 5,
                guide_line
            }]
        );
    }

    #[test]
    fn a_fifo_is_an_error_not_a_wait() {
        let dir = scratch_dir("fifo");
        let fifo = dir.join("pipe.txt");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|status| status.success()) {
            println!("skipped: mkfifo is not available");
            return;
        }
        let error = read_source(&fifo).unwrap_err();
        assert!(error.contains("named pipe (FIFO)"), "{error}");
        let error = read_source(&dir).unwrap_err();
        assert!(error.contains("folder"), "{error}");
        fs::remove_dir_all(dir).unwrap();
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
        let error = convert_article(
            "---\ntitle: [unclosed\n---\nBody\n",
            &ArticleOptions::default(),
        )
        .unwrap_err();
        assert!(error.contains("not valid YAML at line"), "{error}");
        let error = convert_article(
            "---\ndate: 2024-01-01\n---\nBody\n",
            &ArticleOptions::default(),
        )
        .unwrap_err();
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
    fn outside_a_site_read_more_lines_are_warned_as_unchecked() {
        let dir = scratch_dir("no-site");
        let source = dir.join("a.txt");
        fs::write(
            &source,
            "Lone Guide\n\nIt stands alone.\nRead more: Anything\n",
        )
        .unwrap();
        let options = ImportOptions {
            into: dir.join("out"),
            ..ImportOptions::default()
        };
        let (failed, _, err) = run(std::slice::from_ref(&source), &options);
        assert_eq!(failed, 0, "{err}");
        let expected = format!("warning: {}:4: Read more: not checked", source.display());
        assert!(err.contains(&expected), "{err}");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_date_that_is_not_a_date_fails_the_run() {
        let options = ImportOptions {
            date: Some("2026-13-01".into()),
            ..ImportOptions::default()
        };
        let (failed, out, err) = run(&[PathBuf::from("a.txt")], &options);
        assert_eq!(failed, 1);
        assert!(err.contains("--date `2026-13-01` is not a date"), "{err}");
        assert!(out.is_empty());
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
            .filter(|path| path.join("input.txt").is_file())
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
