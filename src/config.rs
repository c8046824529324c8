//! Stage 1: `site.toml` → [`Config`]. Unknown keys and wrong types are
//! errors with the file, line and the nearest valid key.

use crate::diagnostics::{nearest, Diagnostic};
use serde::Deserialize;
use std::path::{Path, PathBuf};

pub const CONFIG_FILE: &str = "site.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
    pub base_url: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default)]
    pub build: BuildConfig,
    #[serde(default)]
    pub journeys: JourneysConfig,
    #[serde(default)]
    pub worksheets: WorksheetsConfig,
    #[serde(default)]
    pub related: RelatedConfig,
    #[serde(default)]
    pub pagination: PaginationConfig,
    #[serde(default)]
    pub search: SearchConfig,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BuildConfig {
    pub output_dir: PathBuf,
    pub drafts: bool,
}

impl Default for BuildConfig {
    fn default() -> Self {
        BuildConfig {
            output_dir: PathBuf::from("public"),
            drafts: false,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct JourneysConfig {
    pub days_per_week: u32,
    /// `###` parts every day must have, matched by prefix ignoring case.
    pub required_parts: Vec<String>,
}

impl Default for JourneysConfig {
    fn default() -> Self {
        JourneysConfig {
            days_per_week: 7,
            required_parts: vec![
                "Today's Learning".into(),
                "Today's Activity".into(),
                "Reflection Questions".into(),
            ],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub enum Paper {
    A4,
    Letter,
}

/// `paper = "letter"` is `Letter`: paper names are not case-sensitive.
impl TryFrom<String> for Paper {
    type Error = String;
    fn try_from(name: String) -> Result<Paper, String> {
        match name.to_ascii_lowercase().as_str() {
            "a4" => Ok(Paper::A4),
            "letter" => Ok(Paper::Letter),
            _ => Err(format!("paper `{name}`: expected \"A4\" or \"Letter\"")),
        }
    }
}

impl Paper {
    pub fn name(self) -> &'static str {
        match self {
            Paper::A4 => "A4",
            Paper::Letter => "Letter",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WorksheetsConfig {
    pub paper: Paper,
    /// Day parts that go on a day's worksheet.
    pub sections: Vec<String>,
    /// Guide sections that give a guide a worksheet.
    pub guide_sections: Vec<String>,
    /// Whether reflection questions get an answer area per partner or
    /// one to share.
    pub question_space: QuestionSpace,
}

/// The writing space under a question: `"partners"` (a *Partner A* and a
/// *Partner B* area, as sentence stems have) or `"shared"` (one area).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuestionSpace {
    #[default]
    Partners,
    Shared,
}

impl Default for WorksheetsConfig {
    fn default() -> Self {
        WorksheetsConfig {
            paper: Paper::A4,
            sections: vec!["Today's Activity".into(), "Reflection Questions".into()],
            guide_sections: vec!["Practical exercises".into()],
            question_space: QuestionSpace::Partners,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RelatedConfig {
    pub count: usize,
}

impl Default for RelatedConfig {
    fn default() -> Self {
        RelatedConfig { count: 3 }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PaginationConfig {
    /// Items on each page of the guide list, the journey list and a topic.
    pub per_page: usize,
}

impl Default for PaginationConfig {
    fn default() -> Self {
        PaginationConfig { per_page: 24 }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchConfig {
    /// Write the search page and its index, and the search box.
    pub enabled: bool,
    /// Which pages are searchable: `guides`, `days`, `weeks`, `pages`.
    pub include: Vec<String>,
    /// Index the text of pages, not only their titles and headings.
    pub body: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            enabled: true,
            include: crate::render::search::KINDS
                .iter()
                .map(|k| k.to_string())
                .collect(),
            body: true,
        }
    }
}

fn default_language() -> String {
    "en".into()
}

fn default_theme() -> String {
    "default".into()
}

/// What a URL path must percent-encode: controls, space, quotes, `<>`,
/// `` ` ``, `{}` (and every non-ASCII byte, always).
pub const URL_PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// Where links point: the origin and the path prefix of `base_url`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// `https://example.org` (no trailing slash).
    pub origin: String,
    /// `/` or `/guide/` (always starts and ends with `/`).
    pub path: String,
}

impl BaseUrl {
    /// Parses `https://host[:port][/path]`.
    pub fn parse(url: &str) -> Result<BaseUrl, String> {
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or_else(|| format!("base_url `{url}` must start with https:// or http://"))?;
        let (host, path) = match rest.find('/') {
            Some(slash) => (&rest[..slash], &rest[slash..]),
            None => (rest, "/"),
        };
        if host.is_empty() || host.contains(|c: char| c.is_whitespace() || c == '?' || c == '#') {
            return Err(format!("base_url `{url}` has no valid host"));
        }
        if path.contains(['?', '#']) {
            return Err(format!(
                "base_url `{url}` must not have a query or fragment"
            ));
        }
        // Links carry this path: characters a URL cannot hold as they are
        // (spaces, non-ASCII) are percent-encoded once, here.
        let mut path =
            percent_encoding::utf8_percent_encode(path, crate::config::URL_PATH).to_string();
        if !path.ends_with('/') {
            path.push('/');
        }
        let scheme_len = url.len() - rest.len();
        Ok(BaseUrl {
            origin: format!("{}{}", &url[..scheme_len], host),
            path,
        })
    }

    /// Site path (`guides/trust/`) → link (`/guide/guides/trust/`).
    pub fn link(&self, site_path: &str) -> String {
        format!("{}{}", self.path, site_path.trim_start_matches('/'))
    }

    /// Site path → absolute URL (`https://example.org/guide/guides/trust/`).
    pub fn absolute(&self, site_path: &str) -> String {
        format!("{}{}", self.origin, self.link(site_path))
    }

    /// The base URL itself, with its trailing slash.
    pub fn root(&self) -> String {
        self.absolute("")
    }
}

/// A loaded configuration and where it came from.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub root: PathBuf,
    pub config: Config,
    pub base_url: BaseUrl,
    /// Rendering for `serve`'s preview: authoring loose ends (an unmatched
    /// Read-more line) are shown, marked, instead of left out.
    pub preview: bool,
    /// What is valid but surely not meant (a placeholder `base_url`).
    pub warnings: Vec<Diagnostic>,
}

impl SiteConfig {
    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }

    pub fn theme_dir(&self) -> PathBuf {
        self.root.join("themes").join(&self.config.theme)
    }

    /// Days per week of the site (a journey may override it).
    pub fn days_per_week(&self) -> u32 {
        self.config.journeys.days_per_week
    }
}

/// Reads and checks `<root>/site.toml`. `base_url` overrides the file's.
pub fn load_config(root: &Path, base_url: Option<&str>) -> Result<SiteConfig, Diagnostic> {
    let path = root.join(CONFIG_FILE);
    let text = std::fs::read_to_string(&path).map_err(|error| {
        Diagnostic::error(&path, format!("cannot read the site configuration: {error}"))
            .help(format!(
                "run hearth in a site folder (one with {CONFIG_FILE}), pass --root DIR, or create one with `hearth new DIR`"
            ))
    })?;
    let mut config = parse_config(&text)?;
    if let Some(url) = base_url {
        config.base_url = url.to_string();
    }
    let base = BaseUrl::parse(&config.base_url).map_err(|message| match base_url {
        Some(_) => Diagnostic::error("--base-url", message)
            .help("give the full address the site will live at, e.g. --base-url https://example.org/"),
        None => Diagnostic::error(CONFIG_FILE, message)
            .at(line_of_key(&text, "base_url").unwrap_or(1))
            .help("write the full address the site will live at, e.g. base_url = \"https://example.org/\""),
    })?;
    check_limits(&config, &text)?;
    let warnings = placeholder_base_url(&base, base_url.is_some(), &text)
        .into_iter()
        .collect();
    Ok(SiteConfig {
        root: root.to_path_buf(),
        config,
        base_url: base,
        preview: false,
        warnings,
    })
}

/// The hosts of documentation examples (RFC 2606), and their sub-domains.
const PLACEHOLDER_HOSTS: &[&str] = &["example.org", "example.com", "example.net"];

/// A warning when the site would be published at a placeholder address:
/// canonical links, the sitemap, the feed and worksheet footers carry it.
fn placeholder_base_url(base: &BaseUrl, from_flag: bool, text: &str) -> Option<Diagnostic> {
    let host = base.origin.split_once("://")?.1;
    let host = host.split(':').next()?.to_ascii_lowercase();
    let placeholder = PLACEHOLDER_HOSTS
        .iter()
        .any(|example| host == *example || host.ends_with(&format!(".{example}")));
    if !placeholder {
        return None;
    }
    let message = format!(
        "base_url `{}{}` is a placeholder: canonical links, the sitemap, the feed and every worksheet footer would carry it",
        base.origin, base.path
    );
    Some(if from_flag {
        Diagnostic::warning("--base-url", message)
            .help("give the address the site will be published at")
    } else {
        Diagnostic::warning(CONFIG_FILE, message)
            .at(line_of_key(text, "base_url").unwrap_or(1))
            .help("set base_url to the address the site will be published at (or build with --base-url)")
    })
}

/// Numbers of `site.toml` that must stay within [`crate::limits`].
fn check_limits(config: &Config, text: &str) -> Result<(), Diagnostic> {
    use crate::limits::{describe, DAYS_PER_WEEK, PER_PAGE, RELATED};
    let out_of_range = |key: &str, value: String, range: String, help: &str| {
        Err(
            Diagnostic::error(CONFIG_FILE, format!("{key} = {value}: it must be {range}"))
                .at(line_of_key(text, key.rsplit('.').next().unwrap_or(key)).unwrap_or(1))
                .help(help.to_string()),
        )
    };
    let days_per_week = config.journeys.days_per_week;
    if !DAYS_PER_WEEK.contains(&days_per_week) {
        return out_of_range(
            "journeys.days_per_week",
            days_per_week.to_string(),
            describe(&DAYS_PER_WEEK),
            "use 7 for daily lessons, 5 for weekdays",
        );
    }
    let count = config.related.count;
    if !RELATED.contains(&count) {
        return out_of_range(
            "related.count",
            count.to_string(),
            describe(&RELATED),
            "a page shows a few related guides; 3 is the default, 0 turns them off",
        );
    }
    let per_page = config.pagination.per_page;
    if !PER_PAGE.contains(&per_page) {
        return out_of_range(
            "pagination.per_page",
            per_page.to_string(),
            describe(&PER_PAGE),
            "how many items a list page shows; 24 is the default",
        );
    }
    let kinds = crate::render::search::KINDS;
    if let Some(unknown) = config
        .search
        .include
        .iter()
        .find(|k| !kinds.contains(&k.as_str()))
    {
        let help = match crate::diagnostics::nearest(unknown, kinds.iter().copied()) {
            Some(kind) => format!("did you mean `{kind}`? (the kinds: {})", kinds.join(", ")),
            None => format!("the kinds: {}", kinds.join(", ")),
        };
        return Err(Diagnostic::error(
            CONFIG_FILE,
            format!("search.include: `{unknown}` is not a kind of page"),
        )
        .at(line_of_key(text, "include").unwrap_or(1))
        .help(help));
    }
    Ok(())
}

/// Parses the text of `site.toml`.
pub fn parse_config(text: &str) -> Result<Config, Diagnostic> {
    toml::from_str::<Config>(text).map_err(|error| describe_toml_error(text, &error))
}

fn describe_toml_error(text: &str, error: &toml::de::Error) -> Diagnostic {
    let message = error.message().trim().to_string();
    let mut diagnostic = Diagnostic::error(CONFIG_FILE, &message);
    if let Some(span) = error.span() {
        let (line, column) = line_column(text, span.start);
        diagnostic = diagnostic.at_column(line, column);
    }
    if let Some((unknown, expected)) = parse_unknown_field(&message) {
        diagnostic.message = format!("unknown key `{unknown}`");
        let known: Vec<&str> = expected.iter().map(String::as_str).collect();
        diagnostic.help = Some(match nearest(&unknown, known.iter().copied()) {
            Some(key) => format!(
                "did you mean `{key}`? (valid keys here: {})",
                known.join(", ")
            ),
            None => format!("remove it; valid keys here: {}", known.join(", ")),
        });
    } else if message.starts_with("missing field") {
        diagnostic.help =
            Some("add it to site.toml (see the README's configuration reference)".into());
    } else {
        diagnostic.help = Some("fix the value (see the README's configuration reference)".into());
    }
    diagnostic
}

/// Reads serde's "unknown field `x`, expected one of `a`, `b`" message.
fn parse_unknown_field(message: &str) -> Option<(String, Vec<String>)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (name, rest) = rest.split_once('`')?;
    let expected = rest
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    Some((name.to_string(), expected))
}

/// 1-based line and column of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, column)
}

/// 1-based line where `key = …` or `key: …` is written, if it is.
pub fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            let line = line.trim_start();
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(['=', ':']))
        })
        .map(|index| index + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_what_is_not_written() {
        let config = parse_config("title = \"T\"\nbase_url = \"https://e.org/\"\n").unwrap();
        assert_eq!(config.journeys.days_per_week, 7);
        assert_eq!(config.worksheets.paper, Paper::A4);
        assert_eq!(config.related.count, 3);
        assert_eq!(config.build.output_dir, PathBuf::from("public"));
    }

    #[test]
    fn unknown_key_names_line_and_nearest_key() {
        let error =
            parse_config("title = \"T\"\nbase_url = \"https://e.org/\"\n[related]\ncuont = 2\n")
                .unwrap_err();
        assert_eq!(
            error.to_string(),
            "error: site.toml:4:1: unknown key `cuont` — did you mean `count`? (valid keys here: count)"
        );
    }

    #[test]
    fn wrong_type_names_line() {
        let error = parse_config(
            "title = \"T\"\nbase_url = \"https://e.org/\"\n[journeys]\ndays_per_week = \"seven\"\n",
        )
        .unwrap_err();
        assert_eq!(error.line, Some(4));
        assert!(error.message.contains("invalid type"), "{}", error.message);
    }

    #[test]
    fn base_url_keeps_sub_path() {
        let base = BaseUrl::parse("https://example.org/guide").unwrap();
        assert_eq!(base.path, "/guide/");
        assert_eq!(base.link("guides/trust/"), "/guide/guides/trust/");
        assert_eq!(base.absolute("/"), "https://example.org/guide/");
        assert!(BaseUrl::parse("example.org").is_err());
        assert_eq!(
            BaseUrl::parse("http://localhost:8080/ä ö").unwrap().path,
            "/%C3%A4%20%C3%B6/"
        );
    }
}
