//! YAML front matter: split from the body, parsed into a typed struct with
//! errors placed at their real line in the file, unknown keys kept as
//! `extra`.

use crate::config::line_of_key;
use crate::diagnostics::Diagnostic;
use serde::de::DeserializeOwned;
use std::path::Path;
use std::sync::Arc;

/// A file cut into its front matter and body.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// Line of the file where the YAML starts (the line after `---`).
    pub yaml_line: usize,
    pub body: &'a str,
    /// Line of the file where the body starts.
    pub body_line: usize,
}

/// Splits `---\nyaml\n---\nbody`. `None` if the file has no front matter.
pub fn split_front_matter(text: &str) -> Option<Split<'_>> {
    let text_after_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text_after_bom
        .strip_prefix("---\n")
        .or_else(|| text_after_bom.strip_prefix("---\r\n"))?;
    let mut offset = 0;
    for (line, piece) in (2..).zip(rest.split_inclusive('\n')) {
        if piece.trim_end() == "---" {
            let yaml = &rest[..offset];
            let body = &rest[offset + piece.len()..];
            return Some(Split {
                yaml,
                yaml_line: 2,
                body,
                body_line: line + 1,
            });
        }
        offset += piece.len();
    }
    None
}

/// The line of each top-level front matter key, so checks made after
/// parsing can still point at the right line. Shared when cloned.
#[derive(Debug, Clone, Default)]
pub struct KeyLines {
    lines: Arc<[(String, usize)]>,
    /// The `---` line that opens the front matter.
    start: usize,
}

impl KeyLines {
    pub fn of(split: &Split) -> KeyLines {
        let lines = split
            .yaml
            .lines()
            .enumerate()
            .filter(|(_, line)| line.starts_with(|c: char| c.is_alphanumeric() || c == '_'))
            .filter_map(|(index, line)| {
                let (key, _) = line.split_once(':')?;
                Some((key.trim().to_string(), split.yaml_line + index))
            })
            .collect();
        KeyLines {
            lines,
            start: split.yaml_line.saturating_sub(1).max(1),
        }
    }

    /// No keys: every key is reported at `line` (a day written inline in
    /// its journey file has no front matter of its own).
    pub fn at(line: usize) -> KeyLines {
        KeyLines {
            lines: Arc::new([]),
            start: line,
        }
    }

    /// Line of `key`, or of the opening `---` when the key is not written.
    pub fn line(&self, key: &str) -> usize {
        self.lines
            .iter()
            .find(|(k, _)| k == key)
            .map_or(self.start, |(_, line)| *line)
    }
}

/// Parses front matter into `T`, and its unknown keys into a JSON object.
/// `known` lists the keys `T` reads.
pub fn parse_front_matter<T: DeserializeOwned>(
    split: &Split,
    file: &Path,
    known: &[&str],
) -> Result<(T, serde_json::Value), Diagnostic> {
    let yaml = if split.yaml.trim().is_empty() {
        "{}"
    } else {
        split.yaml
    };
    let value: T =
        serde_yaml::from_str(yaml).map_err(|error| describe_yaml_error(split, file, &error))?;
    let extra = if has_unknown_key(yaml, known) {
        collect_extra(yaml, known)
    } else {
        serde_json::Value::Object(Default::default())
    };
    Ok((value, extra))
}

/// Cheap check of the top-level keys, so most files parse their YAML once.
fn has_unknown_key(yaml: &str, known: &[&str]) -> bool {
    yaml.lines().any(|line| {
        let starts_key =
            line.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '"' || c == '\'');
        starts_key
            && line
                .split_once(':')
                .is_some_and(|(key, _)| !known.contains(&key.trim().trim_matches(['"', '\''])))
    })
}

fn collect_extra(yaml: &str, known: &[&str]) -> serde_json::Value {
    let mut extra = serde_json::Map::new();
    if let Ok(serde_yaml::Value::Mapping(mapping)) = serde_yaml::from_str::<serde_yaml::Value>(yaml)
    {
        for (key, value) in mapping {
            let Some(key) = key.as_str() else { continue };
            if known.contains(&key) {
                continue;
            }
            if let Ok(json) = serde_json::to_value(&value) {
                extra.insert(key.to_string(), json);
            }
        }
    }
    serde_json::Value::Object(extra)
}

/// A list of names, or one name (`topics: Gratitude` is `[Gratitude]`).
pub fn one_or_many<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<String>, D::Error> {
    struct Names;
    impl<'de> serde::de::Visitor<'de> for Names {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a list of names or one name")
        }
        fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Self::Value, E> {
            Ok(vec![name.to_string()])
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut names = Vec::new();
            while let Some(name) = seq.next_element::<String>()? {
                names.push(name);
            }
            Ok(names)
        }
    }
    deserializer.deserialize_any(Names)
}

/// `topics: expected a list, found a string` at the key's line.
fn describe_yaml_error(split: &Split, file: &Path, error: &serde_yaml::Error) -> Diagnostic {
    // serde_yaml writes "at line L column C" (lines of the YAML alone) into
    // its messages; the real place in the file is reported instead.
    let raw = remove_yaml_locations(&error.to_string());
    let message = raw.as_str();
    let mut diagnostic = Diagnostic::error(file, humanize_yaml_message(message));
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        return diagnostic
            .at(split.yaml_line - 1)
            .help(format!("add `{field}: …` to the front matter"));
    }
    if let Some(location) = error.location() {
        diagnostic = diagnostic.at_column(split.yaml_line + location.line() - 1, location.column());
        if message.contains("flow sequence") || message.contains("flow mapping") {
            if let Some((line, bracket)) = unclosed_bracket(split.yaml, location.line()) {
                let closer = if bracket == '[' { ']' } else { '}' };
                let opened = split.yaml_line + line - 1;
                diagnostic.message = format!(
                    "the `{bracket}` opened on line {opened} is not closed ({})",
                    diagnostic.message
                );
                return diagnostic.help(format!(
                    "close it with `{closer}` at the end of line {opened}, e.g. `topics: [Trust, Care]`"
                ));
            }
        }
    } else if let Some(key) = message.split(':').next() {
        if let Some(line) = line_of_key(split.yaml, key) {
            diagnostic = diagnostic.at(split.yaml_line + line - 1);
        }
    }
    let is_type_error = message.contains("invalid type")
        || message.contains("invalid value")
        || message.contains("unknown variant");
    if is_type_error {
        diagnostic.help("fix the front matter value (see the README's front matter reference)")
    } else if split.yaml.lines().any(|line| line.starts_with('\t')) {
        diagnostic.help("YAML does not allow tabs for indentation: indent with spaces")
    } else {
        diagnostic.help(
            "fix the YAML syntax: close brackets and quotes, and quote values that contain `: `",
        )
    }
}

/// The line (of the YAML, from 1) and the bracket of the last `[` or `{`
/// still open before line `before`, outside quotes and comments.
fn unclosed_bracket(yaml: &str, before: usize) -> Option<(usize, char)> {
    let mut open: Vec<(usize, char)> = Vec::new();
    for (index, line) in yaml.lines().enumerate().take(before) {
        let mut quote: Option<char> = None;
        for c in line.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '#') => break,
                (None, '[' | '{') => open.push((index + 1, c)),
                (None, ']' | '}') => {
                    open.pop();
                }
                _ => {}
            }
        }
    }
    open.last().copied()
}

/// Drops every " at line L column C" from a serde_yaml message.
fn remove_yaml_locations(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(index) = rest.find(" at line ") {
        out.push_str(&rest[..index]);
        let after = &rest[index + " at line ".len()..];
        let skip_number = |text: &str| {
            text.trim_start_matches(|c: char| c.is_ascii_digit())
                .to_string()
        };
        let after = skip_number(after);
        let after = match after.strip_prefix(" column ") {
            Some(column) => skip_number(column),
            None => after,
        };
        rest = &message[message.len() - after.len()..];
    }
    out.push_str(rest);
    out
}

/// serde's wording made plain: `invalid type: string "x", expected a
/// sequence` → `expected a list, found a string "x"`.
fn humanize_yaml_message(message: &str) -> String {
    let (path, detail) = match message.split_once(": invalid type: ") {
        Some((path, detail)) => (Some(path), detail),
        None => match message.strip_prefix("invalid type: ") {
            Some(detail) => (None, detail),
            None => return message.to_string(),
        },
    };
    let Some((found, expected)) = detail.split_once(", expected ") else {
        return message.to_string();
    };
    let expected = expected
        .replace("a sequence", "a list")
        .replace("a boolean", "true or false")
        .replace("u32", "a whole number")
        .replace("i64", "a whole number")
        .replace("usize", "a whole number");
    let found = match found.replace("sequence", "list").replace("map", "mapping") {
        unit if unit == "unit value" => "nothing".to_string(),
        found if found.starts_with(['a', 'e', 'i', 'o', 'u']) => format!("an {found}"),
        found => format!("a {found}"),
    };
    match path {
        Some(path) => format!("{path}: expected {expected}, found {found}"),
        None => format!("expected {expected}, found {found}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Front {
        title: String,
        #[serde(default)]
        #[allow(dead_code)]
        topics: Vec<String>,
    }

    fn parse(text: &str) -> Result<(Front, serde_json::Value), Diagnostic> {
        let split = split_front_matter(text).unwrap();
        parse_front_matter(&split, Path::new("content/a.md"), &["title", "topics"])
    }

    #[test]
    fn splits_front_matter_and_counts_body_line() {
        let split = split_front_matter("---\ntitle: A\n---\nBody\n").unwrap();
        assert_eq!(split.yaml, "title: A\n");
        assert_eq!(split.body, "Body\n");
        assert_eq!(split.body_line, 4);
        assert!(split_front_matter("no front matter").is_none());
    }

    #[test]
    fn wrong_type_is_reported_at_its_line_in_the_file() {
        let error = parse("---\ntitle: A\ntopics: trust\n---\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "error: content/a.md:3:9: topics: expected a list, found a string \"trust\" — fix the front matter value (see the README's front matter reference)"
        );
    }

    #[test]
    fn an_unclosed_bracket_names_the_line_it_opened() {
        let error = parse("---\ntitle: A\ntopics: [a, b\nmood: x\n---\n").unwrap_err();
        assert!(
            error
                .message
                .starts_with("the `[` opened on line 3 is not closed ("),
            "{}",
            error.message
        );
        assert_eq!(error.line, Some(4), "where YAML noticed it");
        assert!(error.help.unwrap().contains("end of line 3"));
    }

    #[test]
    fn one_topic_is_a_list_of_one() {
        #[derive(Debug, Deserialize)]
        struct Topics {
            #[serde(deserialize_with = "one_or_many")]
            topics: Vec<String>,
        }
        let one: Topics = serde_yaml::from_str("topics: Gratitude").unwrap();
        assert_eq!(one.topics, ["Gratitude"]);
        let many: Topics = serde_yaml::from_str("topics: [A, B]").unwrap();
        assert_eq!(many.topics, ["A", "B"]);
        let error = serde_yaml::from_str::<Topics>("topics: {a: 1}").unwrap_err();
        assert!(
            error
                .to_string()
                .contains("expected a list of names or one name"),
            "{error}"
        );
    }

    #[test]
    fn syntax_errors_lose_yaml_relative_lines() {
        let error = parse("---\ntitle: A\nmood: x: y\n---\n").unwrap_err();
        assert!(!error.message.contains("at line"), "{}", error.message);
        assert_eq!(error.line, Some(3));
        assert!(error.help.unwrap().contains("YAML syntax"));
    }

    #[test]
    fn missing_title_names_the_key() {
        let error = parse("---\ntopics: [a]\n---\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "error: content/a.md:1: missing field `title` — add `title: …` to the front matter"
        );
    }

    #[test]
    fn unknown_keys_become_extra() {
        let (front, extra) = parse("---\ntitle: A\nmood: calm\n---\n").unwrap();
        assert_eq!(front.title, "A");
        assert_eq!(extra["mood"], "calm");
    }
}
