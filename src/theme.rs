//! The theme's files, one at a time from three layers: the site's own
//! `templates/` and `static/`, then `themes/<theme>/` when that folder
//! exists, then the `default` theme built into hearth (embedded from this
//! repository's `themes/default/` by `build.rs`).

use crate::config::SiteConfig;
use crate::diagnostics::{display_path, nearest, Diagnostic, Diagnostics};
use crate::files;
use anyhow::Result;
use std::path::{Path, PathBuf};

/// The name of the theme hearth has built in.
pub const BUILTIN_NAME: &str = "default";

/// Every file of the built-in theme: (path under `themes/default/`,
/// contents), sorted by path.
pub const BUILTIN: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/builtin_theme.rs"));

/// Where a template or static file comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A file of the site (`templates/day.html`, `themes/x/static/a.css`),
    /// from the site root.
    File(PathBuf),
    /// The built-in theme's file at this path under `themes/default/`.
    BuiltIn(&'static str),
}

impl Origin {
    /// How messages name it: the path, or `day.html of the built-in theme`.
    pub fn describe(&self) -> String {
        match self {
            Origin::File(path) => display_path(path),
            Origin::BuiltIn(path) => format!("{path} of the built-in theme"),
        }
    }

    /// The path diagnostics carry: the site file, or where ejecting the
    /// built-in theme would put it.
    pub fn path(&self) -> PathBuf {
        match self {
            Origin::File(path) => path.clone(),
            Origin::BuiltIn(path) => Path::new("themes").join(BUILTIN_NAME).join(path),
        }
    }

    pub fn is_builtin(&self) -> bool {
        matches!(self, Origin::BuiltIn(_))
    }
}

/// One template, by its Tera name (`day.html`, `partials/nav.html`).
#[derive(Debug, Clone)]
pub struct TemplateSource {
    pub name: String,
    pub origin: Origin,
    pub text: String,
}

/// The folder of the site's theme, when the site has one. A theme other
/// than the built-in one must have its folder.
pub fn theme_dir(config: &SiteConfig) -> Result<Option<PathBuf>, Diagnostic> {
    let dir = config.theme_dir();
    if dir.is_dir() {
        return Ok(Some(dir));
    }
    if config.config.theme == BUILTIN_NAME {
        return Ok(None);
    }
    let known = installed_themes(&config.root);
    let mut help = format!(
        "remove `theme` from site.toml to use the built-in theme, or add the folder themes/{}/",
        config.config.theme
    );
    if let Some(close) = nearest(&config.config.theme, known.iter().map(String::as_str)) {
        help = format!("did you mean `{close}`? ") + &help;
    }
    Err(Diagnostic::error(
        crate::config::CONFIG_FILE,
        format!(
            "theme = \"{}\": there is no folder themes/{}/",
            config.config.theme, config.config.theme
        ),
    )
    .at(theme_line(config))
    .help(help))
}

/// The folder names under `themes/`.
fn installed_themes(root: &Path) -> Vec<String> {
    let entries = std::fs::read_dir(root.join("themes")).into_iter().flatten();
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names.push(BUILTIN_NAME.to_string());
    names
}

/// Every template, the site's `templates/` over the theme folder's over
/// the built-in ones, sorted by name.
pub fn template_sources(config: &SiteConfig) -> Result<Vec<TemplateSource>, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let theme = match theme_dir(config) {
        Ok(theme) => theme,
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            return Err(diagnostics);
        }
    };
    let mut sources: std::collections::BTreeMap<String, TemplateSource> = builtin_templates()
        .map(|(name, path, text)| {
            let source = TemplateSource {
                name: name.to_string(),
                origin: Origin::BuiltIn(path),
                text,
            };
            (name.to_string(), source)
        })
        .collect();
    let dirs = theme
        .map(|dir| dir.join("templates"))
        .into_iter()
        .chain([config.root.join("templates")]);
    for dir in dirs {
        for (name, path) in template_files(&dir) {
            let origin = Origin::File(relative(config, &path));
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    let source = TemplateSource {
                        name: name.clone(),
                        origin,
                        text,
                    };
                    sources.insert(name, source);
                }
                Err(error) => diagnostics.push(Diagnostic::error(
                    origin.path(),
                    format!("cannot read: {error}"),
                )),
            }
        }
    }
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    Ok(sources.into_values().collect())
}

/// (Tera name, path under the theme, text) of each built-in template.
fn builtin_templates() -> impl Iterator<Item = (&'static str, &'static str, String)> {
    BUILTIN.iter().filter_map(|(path, contents)| {
        let name = path.strip_prefix("templates/")?;
        is_template(Path::new(name))
            .then(|| (name, *path, String::from_utf8_lossy(contents).into_owned()))
    })
}

fn is_template(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext == "html" || ext == "xml")
}

/// `name → path` of every template file under `dir`, names with `/`.
fn template_files(dir: &Path) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file() && is_template(entry.path()))
        .filter_map(|entry| {
            let name = display_path(entry.path().strip_prefix(dir).ok()?);
            Some((name, entry.path().to_path_buf()))
        })
        .collect()
}

/// Warnings for what the theme folders hold but hearth does not use: a
/// symbolic link, a FIFO or device in the site's or the theme folder's
/// `templates/` and `static/`. Links are never followed, so nothing
/// outside the site is read or published through one. Hidden entries are
/// left out silently, as they are from the output.
pub fn skipped_theme_files(config: &SiteConfig) -> Vec<Diagnostic> {
    let mut dirs = vec![config.root.clone()];
    if let Ok(Some(theme)) = theme_dir(config) {
        dirs.push(theme);
    }
    let mut warnings = Vec::new();
    for base in dirs {
        for (folder, use_of_it) in [("templates", "read"), ("static", "copied")] {
            let dir = base.join(folder);
            if !dir.is_dir() {
                continue;
            }
            let walker = walkdir::WalkDir::new(&dir)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|entry| {
                    entry.depth() == 0 || !entry.file_name().to_string_lossy().starts_with('.')
                });
            for entry in walker.filter_map(Result::ok) {
                let kind = entry.file_type();
                let (problem, help) = if kind.is_symlink() {
                    let target = std::fs::read_link(entry.path())
                        .map(|target| format!(" to {}", target.display()))
                        .unwrap_or_default();
                    (
                        format!("not {use_of_it}: it is a symbolic link{target}; hearth follows no links in {folder}/, so nothing outside the site is published through one"),
                        "copy the file here instead of linking it",
                    )
                } else if !kind.is_file() && !kind.is_dir() {
                    (
                        format!(
                            "not {use_of_it}: it is not a regular file (a FIFO, socket or device)"
                        ),
                        "remove it; hearth uses only regular files",
                    )
                } else {
                    continue;
                };
                warnings
                    .push(Diagnostic::warning(relative(config, entry.path()), problem).help(help));
            }
        }
    }
    warnings
}

fn relative(config: &SiteConfig, path: &Path) -> PathBuf {
    path.strip_prefix(&config.root)
        .unwrap_or(path)
        .to_path_buf()
}

/// One layer of static files; later layers win file by file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaticLayer {
    BuiltIn,
    Dir(PathBuf),
}

/// The static layers of a site, lowest first: built-in, the theme
/// folder's `static/`, the site's `static/`.
pub fn static_layers(config: &SiteConfig) -> Vec<StaticLayer> {
    let mut layers = vec![StaticLayer::BuiltIn];
    if let Ok(Some(dir)) = theme_dir(config) {
        layers.push(StaticLayer::Dir(dir.join("static")));
    }
    layers.push(StaticLayer::Dir(config.root.join("static")));
    layers
}

/// The built-in static files: (path from the output root, contents).
pub fn builtin_static() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    BUILTIN
        .iter()
        .filter_map(|(path, contents)| Some((path.strip_prefix("static/")?, *contents)))
}

impl StaticLayer {
    /// Copies the layer into `dest`.
    pub fn copy_all(&self, dest: &Path) -> Result<()> {
        match self {
            StaticLayer::Dir(dir) => crate::write::copy_static(dir, dest).map(|_| ()),
            StaticLayer::BuiltIn => builtin_static()
                .try_for_each(|(path, contents)| write_file(&dest.join(path), contents)),
        }
    }

    /// Whether the layer has `path` (a file or a folder).
    pub fn has(&self, path: &Path) -> bool {
        match self {
            StaticLayer::Dir(dir) => dir.join(path).exists(),
            StaticLayer::BuiltIn => {
                let wanted = display_path(path);
                builtin_static().any(|(file, _)| {
                    file == wanted
                        || file
                            .strip_prefix(wanted.as_str())
                            .is_some_and(|rest| rest.starts_with('/'))
                })
            }
        }
    }

    /// Copies `path` (a file, or a folder's files) of the layer to `target`.
    pub fn copy_path(&self, path: &Path, target: &Path) -> Result<()> {
        match self {
            StaticLayer::Dir(dir) => {
                let source = dir.join(path);
                if source.is_dir() {
                    crate::write::copy_static(&source, target)?;
                } else {
                    if let Some(parent) = target.parent() {
                        files::create_dir_all(parent)?;
                    }
                    files::copy(&source, target)?;
                }
            }
            StaticLayer::BuiltIn => {
                let wanted = display_path(path);
                for (file, contents) in builtin_static() {
                    if file == wanted {
                        write_file(target, contents)?;
                    } else if let Some(rest) = file
                        .strip_prefix(wanted.as_str())
                        .and_then(|rest| rest.strip_prefix('/'))
                    {
                        write_file(&target.join(rest), contents)?;
                    }
                }
            }
        }
        Ok(())
    }
}

fn write_file(path: &Path, contents: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        files::create_dir_all(parent)?;
    }
    files::write(path, contents)
}

/// What `eject` wrote.
#[derive(Debug, Default)]
pub struct Ejected {
    /// Paths from the site root.
    pub written: Vec<String>,
}

/// Copies built-in theme files into the site: with no `wanted` files,
/// the whole theme into `themes/default/`; otherwise each named file
/// (`day.html`, `templates/day.html`, `static/style.css`) into the site's
/// own `templates/` or `static/`, where it overrides the built-in one.
/// Refuses to replace an existing file unless `force`.
pub fn eject(root: &Path, wanted: &[String], force: bool) -> Result<Ejected> {
    let targets: Vec<(&'static str, &'static [u8], PathBuf)> = if wanted.is_empty() {
        BUILTIN
            .iter()
            .map(|(path, contents)| {
                let target = Path::new("themes").join(BUILTIN_NAME).join(path);
                (*path, *contents, target)
            })
            .collect()
    } else {
        wanted
            .iter()
            .map(|name| {
                find_builtin(name).map(|(path, contents)| (path, contents, PathBuf::from(path)))
            })
            .collect::<Result<_>>()?
    };
    if !force {
        let existing: Vec<String> = targets
            .iter()
            .filter(|(_, _, target)| root.join(target).exists())
            .map(|(_, _, target)| display_path(target))
            .collect();
        if !existing.is_empty() {
            anyhow::bail!(
                "{} already exist{} (add --force to replace {})",
                existing.join(", "),
                if existing.len() == 1 { "s" } else { "" },
                if existing.len() == 1 { "it" } else { "them" }
            );
        }
    }
    let mut ejected = Ejected::default();
    for (_, contents, target) in targets {
        write_file(&root.join(&target), contents)?;
        ejected.written.push(display_path(&target));
    }
    Ok(ejected)
}

/// A built-in file by its path under the theme, or a template's name.
fn find_builtin(name: &str) -> Result<(&'static str, &'static [u8])> {
    let name = name.trim_start_matches("./");
    let exact = BUILTIN.iter().find(|(path, _)| {
        *path == name
            || path.strip_prefix("templates/") == Some(name)
            || path.strip_prefix("static/") == Some(name)
    });
    if let Some((path, contents)) = exact {
        return Ok((path, contents));
    }
    let mut message = format!("the built-in theme has no file `{name}`");
    let candidates = BUILTIN.iter().flat_map(|(path, _)| {
        let short = path.split_once('/').map_or(*path, |(_, rest)| rest);
        [*path, short]
    });
    if let Some(close) = nearest(name, candidates) {
        message.push_str(&format!(" — did you mean `{close}`?"));
    }
    message.push_str(" (`hearth theme list` shows them)");
    anyhow::bail!(message)
}

/// Where each theme file of the site comes from: (path as used, origin),
/// sorted by path (`templates/day.html`, `static/style.css`).
pub fn list_files(config: &SiteConfig) -> Result<Vec<(String, Origin)>, Diagnostics> {
    let mut listed: Vec<(String, Origin)> = template_sources(config)?
        .into_iter()
        .map(|source| (format!("templates/{}", source.name), source.origin))
        .collect();
    let mut statics: std::collections::BTreeMap<String, Origin> = std::collections::BTreeMap::new();
    for layer in static_layers(config) {
        match layer {
            StaticLayer::BuiltIn => {
                for (path, _) in builtin_static() {
                    statics.insert(path.to_string(), Origin::BuiltIn(builtin_path(path)));
                }
            }
            StaticLayer::Dir(dir) => {
                for entry in walkdir::WalkDir::new(&dir)
                    .into_iter()
                    .filter_map(Result::ok)
                    .filter(|entry| entry.file_type().is_file())
                {
                    let Ok(inside) = entry.path().strip_prefix(&dir) else {
                        continue;
                    };
                    if display_path(inside)
                        .split('/')
                        .any(|part| part.starts_with('.'))
                    {
                        continue;
                    }
                    statics.insert(
                        display_path(inside),
                        Origin::File(relative(config, entry.path())),
                    );
                }
            }
        }
    }
    listed.extend(
        statics
            .into_iter()
            .map(|(path, origin)| (format!("static/{path}"), origin)),
    );
    Ok(listed)
}

/// The full built-in path of a static file (`style.css` → `static/style.css`).
fn builtin_path(static_path: &str) -> &'static str {
    BUILTIN
        .iter()
        .map(|(path, _)| *path)
        .find(|path| path.strip_prefix("static/") == Some(static_path))
        .expect("a built-in static file")
}

/// The line of `theme = …` in `site.toml` (1 if it cannot be read).
fn theme_line(config: &SiteConfig) -> usize {
    std::fs::read_to_string(config.root.join(crate::config::CONFIG_FILE))
        .ok()
        .and_then(|text| crate::config::line_of_key(&text, "theme"))
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file of `themes/default/` is built in, so a file added there
    /// needs no change to the code.
    #[test]
    fn builtin_theme_has_every_file_of_the_default_theme() {
        let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let mut on_disk: Vec<String> = walkdir::WalkDir::new(&theme)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_file())
            .map(|entry| display_path(entry.path().strip_prefix(&theme).unwrap()))
            .filter(|path| !path.split('/').any(|part| part.starts_with('.')))
            .collect();
        on_disk.sort();
        let embedded: Vec<&str> = BUILTIN.iter().map(|(path, _)| *path).collect();
        assert_eq!(embedded, on_disk);
        for (path, contents) in BUILTIN {
            assert_eq!(
                *contents,
                std::fs::read(theme.join(path)).unwrap().as_slice(),
                "{path}"
            );
        }
    }

    #[test]
    fn finds_builtin_files_by_name_or_path() {
        assert_eq!(find_builtin("day.html").unwrap().0, "templates/day.html");
        assert_eq!(
            find_builtin("templates/day.html").unwrap().0,
            "templates/day.html"
        );
        assert_eq!(find_builtin("style.css").unwrap().0, "static/style.css");
        let error = find_builtin("dya.html").unwrap_err().to_string();
        assert!(error.contains("did you mean `day.html`"), "{error}");
    }
}
