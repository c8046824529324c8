//! Problems found in a site, with their place in a file: collected by every
//! stage and reported together, so one build shows all of them.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    /// An error under `check` and `build --strict`.
    Warning,
    /// Shown by `check` only, never an error (e.g. a planned week with no
    /// day yet).
    Note,
}

/// One problem: `error: content/guides/trust.md:3:8: what — what to do`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root (as the user sees it).
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// Source lines to show under it when the tool that found the problem
    /// gives them (Tera) or the file is not on disk (a built-in template).
    pub excerpt: Option<Box<String>>,
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
            help: None,
            excerpt: None,
        }
    }

    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    pub fn note(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::error(file, message)
        }
    }

    pub fn at(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    pub fn at_column(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col` as shown to the user.
    pub fn location(&self) -> String {
        let mut place = display_path(&self.file);
        if let Some(line) = self.line {
            place.push_str(&format!(":{line}"));
            if let Some(column) = self.column {
                place.push_str(&format!(":{column}"));
            }
        }
        place
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        write!(f, "{label}: {}: {}", self.location(), self.message)?;
        if let Some(help) = &self.help {
            write!(f, " — {help}")?;
        }
        if let Some(excerpt) = &self.excerpt {
            for line in excerpt.lines() {
                write!(f, "\n    {line}")?;
            }
        }
        Ok(())
    }
}

/// Forward slashes on every platform, so messages and tests read the same.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Every problem a stage found, in the order found.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn error_count(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warning_count(&self) -> usize {
        self.count(Severity::Warning)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Makes every warning an error (`check`, `build --strict`).
    pub fn make_strict(&mut self) {
        for item in &mut self.items {
            if item.severity == Severity::Warning {
                item.severity = Severity::Error;
            }
        }
    }

    /// Leaves notes out (`build` does not show them).
    pub fn without_notes(self) -> Diagnostics {
        Diagnostics {
            items: self
                .items
                .into_iter()
                .filter(|d| d.severity != Severity::Note)
                .collect(),
        }
    }

    /// Sorted by file and line, errors first within a place: stable output.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut items: Vec<&Diagnostic> = self.items.iter().collect();
        items.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.severity).cmp(&(&b.file, b.line, b.column, b.severity))
        });
        items
    }

    /// All diagnostics, one a line.
    pub fn report(&self) -> String {
        let mut out = String::new();
        for item in self.sorted() {
            out.push_str(&item.to_string());
            out.push('\n');
        }
        out
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// The closest of `candidates` to `word`, if it is close enough to be a
/// plausible typo ("did you mean …"). Of candidates equally close, the
/// first in string order, whatever order they come in.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        let score = similarity(&word, candidate);
        if close_enough(score) && is_better((score, candidate), best) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// How alike a lowercased word and a candidate are (Jaro–Winkler, 0 to 1).
fn similarity(lowercase_word: &str, candidate: &str) -> f64 {
    strsim::jaro_winkler(lowercase_word, &candidate.to_lowercase())
}

fn close_enough(score: f64) -> bool {
    score >= 0.75
}

/// Whether `candidate` beats `best`: closer, or as close and first in
/// string order.
fn is_better(candidate: (f64, &str), best: Option<(f64, &str)>) -> bool {
    match best {
        None => true,
        Some((score, text)) => match candidate.0.total_cmp(&score) {
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Equal => candidate.1 < text,
            std::cmp::Ordering::Less => false,
        },
    }
}

/// [`nearest`] answers kept from one resolve to the next: `serve` asks for
/// the same words (the Read-more lines that match no guide) after every
/// edit, among candidates of which an edit changes one or two (a title of
/// thousands). An answer is kept while its candidate is still there, and
/// only the candidates added since are scored against its word.
#[derive(Debug, Default)]
pub struct Suggestions {
    /// The candidates the answers are for; `None` before the first.
    candidates: Option<std::collections::HashSet<String>>,
    /// Word → its closest candidate and that one's score, if any is close.
    answers: std::collections::HashMap<String, Option<(f64, String)>>,
    /// Whether [`Suggestions::nearest`] has seen this round's candidates.
    checked: bool,
    /// The words asked for this round (the others are forgotten at the next).
    asked: std::collections::HashSet<String>,
}

impl Suggestions {
    /// Starts a round: the candidates may have changed since the last.
    pub fn start(&mut self) {
        self.checked = false;
        let asked = std::mem::take(&mut self.asked);
        self.answers.retain(|word, _| asked.contains(word));
    }

    /// What [`nearest`] answers for `word` among `candidates` (the same
    /// ones for every call of a round; they are read at its first call).
    pub fn nearest<'a, I>(&mut self, word: &str, candidates: impl Fn() -> I) -> Option<String>
    where
        I: IntoIterator<Item = &'a str>,
    {
        if !self.checked {
            self.checked = true;
            self.take_candidates(candidates().into_iter());
        }
        self.asked.insert(word.to_string());
        let answer = match self.answers.get(word) {
            Some(answer) => answer.clone(),
            None => {
                let found = nearest(word, candidates()).map(|candidate| {
                    (
                        similarity(&word.to_lowercase(), candidate),
                        candidate.to_string(),
                    )
                });
                self.answers.insert(word.to_string(), found.clone());
                found
            }
        };
        answer.map(|(_, candidate)| candidate)
    }

    /// Brings the kept answers to `candidates`: an answer whose candidate
    /// is gone is forgotten; the others meet the candidates added.
    fn take_candidates<'a>(&mut self, candidates: impl Iterator<Item = &'a str>) {
        let now: std::collections::HashSet<String> = candidates.map(str::to_string).collect();
        let Some(before) = self.candidates.take() else {
            self.answers.clear();
            self.candidates = Some(now);
            return;
        };
        let added: Vec<&str> = now
            .iter()
            .filter(|c| !before.contains(*c))
            .map(String::as_str)
            .collect();
        if added.len() * 4 > now.len().max(4) {
            // Most of them are new: scoring afresh costs no more.
            self.answers.clear();
        } else {
            self.answers.retain(|word, answer| {
                if answer.as_ref().is_some_and(|(_, best)| !now.contains(best)) {
                    return false;
                }
                let word = word.to_lowercase();
                for &candidate in &added {
                    let score = similarity(&word, candidate);
                    let best = answer.as_ref().map(|(s, c)| (*s, c.as_str()));
                    if close_enough(score) && is_better((score, candidate), best) {
                        *answer = Some((score, candidate.to_string()));
                    }
                }
                true
            });
        }
        self.candidates = Some(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_file_line_column_and_help() {
        let d = Diagnostic::error(
            "content/guides/trust.md",
            "topics: expected a list, found a string",
        )
        .at_column(3, 8)
        .help("write `topics: [a, b]`");
        assert_eq!(
            d.to_string(),
            "error: content/guides/trust.md:3:8: topics: expected a list, found a string — write `topics: [a, b]`"
        );
    }

    #[test]
    fn nearest_finds_typos_only() {
        assert_eq!(nearest("titel", ["title", "base_url"]), Some("title"));
        assert_eq!(nearest("zzz", ["title", "base_url"]), None);
    }

    #[test]
    fn of_equally_close_candidates_nearest_takes_the_first_in_string_order() {
        assert_eq!(nearest("Trust", ["trust", "Trust"]), Some("Trust"));
        assert_eq!(nearest("Trust", ["Trust", "trust"]), Some("Trust"));
    }

    /// Kept answers stay what `nearest` answers while the candidates
    /// change a few at a time (added, removed, renamed), as titles do
    /// between edits under `serve`.
    #[test]
    fn kept_suggestions_answer_as_nearest_does_while_candidates_change() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};
        const WORDS: [&str; 6] = [
            "trust",
            "Guide 1: calm evening",
            "listening",
            "Guide 2: calm morning",
            "repair",
            "zz",
        ];
        let pool: Vec<String> = [
            "trust",
            "Trust",
            "trusting",
            "Guide 1: calm evenings",
            "Guide 2: calm mornings",
            "Guide 1: calm evening!",
            "listen",
            "listening well",
            "repairs",
            "rest",
            "xyz",
            "Guide 3: warm evening",
            "Guide 2: calm morning",
            "tryst",
        ]
        .map(String::from)
        .to_vec();
        let edits = proptest::collection::vec(
            (
                any::<bool>(),
                0..pool.len(),
                proptest::collection::vec(0..WORDS.len(), 0..4),
            ),
            1..40,
        );
        let mut runner = TestRunner::new(Config {
            cases: 200,
            ..Config::default()
        });
        runner
            .run(&edits, |edits| {
                let mut present = vec![false; pool.len()];
                let mut kept = Suggestions::default();
                for (add, which, asked) in edits {
                    present[which] = add;
                    let candidates: Vec<&str> = pool
                        .iter()
                        .zip(&present)
                        .filter(|(_, &on)| on)
                        .map(|(c, _)| c.as_str())
                        .collect();
                    kept.start();
                    for &word in asked.iter().map(|&w| &WORDS[w]) {
                        let expected = nearest(word, candidates.iter().copied());
                        let answer = kept.nearest(word, || candidates.iter().copied());
                        prop_assert_eq!(answer.as_deref(), expected, "{}", word);
                    }
                }
                Ok(())
            })
            .unwrap();
    }
}
