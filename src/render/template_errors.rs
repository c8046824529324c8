//! Tera's errors → [`Diagnostic`]s as good as content errors: the template
//! file (or the built-in theme's), line and column, the source line, and a
//! "did you mean" from the keys of the context. Tera gives no line for a
//! render error, so the expression is found in the template's source.

use crate::diagnostics::{nearest, Diagnostic};
use crate::render::error_chain;
use crate::theme::{Origin, TemplateSource};
use std::collections::HashMap;
use std::path::PathBuf;

/// The templates' sources by name, for finding where an error is.
pub type Sources = HashMap<String, TemplateSource>;

/// Where a diagnostic about `source` points, and a line that names a
/// built-in template as such.
fn place(source: Option<&TemplateSource>, name: &str) -> (PathBuf, Option<String>) {
    match source.map(|source| &source.origin) {
        Some(Origin::File(path)) => (path.clone(), None),
        Some(Origin::BuiltIn(path)) => (
            PathBuf::from(format!("(built-in theme) {path}")),
            Some(format!(
                "it is in the built-in theme: `hearth theme eject {name}` copies it to templates/{name} to change it"
            )),
        ),
        None => (PathBuf::from("templates").join(name), None),
    }
}

/// A render error of `template` (the page's template; the error may be in
/// one it extends or includes), with `context` the page's context.
pub fn render_error(
    error: &tera::Error,
    template: &str,
    sources: &Sources,
    context: &tera::Context,
) -> Diagnostic {
    let chain = error_chain(error);
    let Some((expression, culprit)) = missing_variable(&chain) else {
        let (culprit, line) = locate_error(&chain, template, sources);
        let (file, builtin) = place(sources.get(culprit), culprit);
        let mut diagnostic = Diagnostic::error(file, format!("cannot render: {chain}"));
        if let Some((line, column, text)) = line {
            diagnostic = diagnostic.at_column(line, column);
            diagnostic.excerpt = Some(Box::new(excerpt(line, column, text)));
        }
        return diagnostic.help(builtin.unwrap_or_else(|| {
            "fix the template (see the README's template reference)".to_string()
        }));
    };
    let culprit = culprit.unwrap_or(template);
    let source = sources.get(culprit);
    let (file, builtin) = place(source, culprit);
    let mut message = format!("{expression}: no such key");
    if let Some(close) = suggest(&expression, context) {
        message.push_str(&format!(" — did you mean {close}?"));
    }
    let mut diagnostic = Diagnostic::error(file, message);
    if let Some((line, column, text)) = source.and_then(|s| find_expression(&s.text, &expression)) {
        diagnostic = diagnostic.at_column(line, column);
        diagnostic.excerpt = Some(Box::new(excerpt(line, column, text)));
    }
    diagnostic.help(builtin.unwrap_or_else(|| {
        format!("every key of {culprit}'s context is listed in the README's template reference")
    }))
}

/// The template and line of a render error that is not a missing key (an
/// unknown filter, an include of a missing file, a loop over a number):
/// Tera's ` --> line:col` when it gives one, else the first line of the page's
/// template, or of a template it uses, that holds a name the error quotes.
fn locate_error<'s>(
    chain: &str,
    template: &'s str,
    sources: &'s Sources,
) -> (&'s str, Option<(usize, usize, &'s str)>) {
    let text = |name: &str| sources.get(name).map(|source| source.text.as_str());
    let position = chain.lines().find_map(|line| {
        let (line, column) = line.split("--> ").nth(1)?.split_once(':')?;
        Some((
            line.trim().parse::<usize>().ok()?,
            column.trim().parse::<usize>().ok()?,
        ))
    });
    if let (Some((line, column)), Some(source)) = (position, text(template)) {
        if let Some(found) = source.lines().nth(line.saturating_sub(1)) {
            return (template, Some((line, column.max(1), found)));
        }
    }
    let quoted = quoted_names(chain);
    let mut names: Vec<&String> = sources
        .keys()
        .filter(|name| name.as_str() != template)
        .collect();
    names.sort();
    let candidates = std::iter::once(template).chain(names.into_iter().map(String::as_str));
    for name in candidates {
        let Some(source) = text(name) else { continue };
        for wanted in quoted.iter().filter(|quoted| quoted.as_str() != name) {
            for (index, line) in source.lines().enumerate() {
                if let Some(at) = line.find(wanted.as_str()) {
                    if inside_tag(source, line, at) {
                        let column = line[..at].chars().count() + 1;
                        let (key, _) = sources.get_key_value(name).expect("a known template");
                        return (key.as_str(), Some((index + 1, column, line)));
                    }
                }
            }
        }
    }
    let first_tag = text(template).and_then(|source| {
        source.lines().enumerate().find_map(|(index, line)| {
            let at = line.find("{%").or_else(|| line.find("{{"))?;
            Some((index + 1, line[..at].chars().count() + 1, line))
        })
    });
    (template, first_tag)
}

/// Line, column and text of the tag an inheritance error is about: the
/// `extends` tag when the error is about inheritance, else the first tag.
fn find_tag<'t>(text: &'t str, chain: &str) -> Option<(usize, usize, &'t str)> {
    let keyword = if chain.contains("nherit") || chain.contains("extend") {
        "extends"
    } else {
        "{%"
    };
    text.lines().enumerate().find_map(|(index, line)| {
        let at = line.find(keyword)?;
        Some((index + 1, line[..at].chars().count() + 1, line))
    })
}

/// The names an error message quotes, in `backticks` or 'single quotes'.
fn quoted_names(chain: &str) -> Vec<String> {
    ['`', '\'', '"']
        .into_iter()
        .flat_map(|quote| chain.split(quote).skip(1).step_by(2))
        .filter(|inside| !inside.is_empty() && inside.len() < 100)
        .filter(|inside| !inside.contains(char::is_whitespace))
        .map(str::to_string)
        .collect()
}

/// `journey.titel` and the template Tera was rendering, from
/// "Variable `journey.titel` not found in context while rendering 'day.html'".
fn missing_variable(chain: &str) -> Option<(String, Option<&str>)> {
    let rest = chain.split("Variable `").nth(1)?;
    let (expression, rest) = rest.split_once("` not found in context")?;
    let culprit = rest
        .strip_prefix(" while rendering '")
        .and_then(|rest| rest.split('\'').next());
    Some((expression.to_string(), culprit))
}

/// The nearest key of the object the expression's parent names in the
/// context (`journey.titel` → a key of `journey`), or of the context itself.
fn suggest(expression: &str, context: &tera::Context) -> Option<String> {
    let (parent, key) = match expression.rsplit_once('.') {
        Some((parent, key)) => (Some(parent), key),
        None => (None, expression),
    };
    let root = context.clone().into_json();
    let object = match parent {
        None => root.as_object()?.clone(),
        Some(parent) => {
            let mut value = &root;
            for part in parent.split('.') {
                value = match value {
                    serde_json::Value::Object(map) => map.get(part)?,
                    serde_json::Value::Array(items) => items.get(part.parse::<usize>().ok()?)?,
                    _ => return None,
                };
            }
            value.as_object()?.clone()
        }
    };
    nearest(key, object.keys().map(String::as_str)).map(str::to_string)
}

/// Line, column (from 1) and text of the first use of `expression` inside
/// a `{{ }}` or `{% %}` tag.
fn find_expression<'t>(text: &'t str, expression: &str) -> Option<(usize, usize, &'t str)> {
    for (index, line) in text.lines().enumerate() {
        let mut from = 0;
        while let Some(found) = line[from..].find(expression) {
            let at = from + found;
            let after = line[at + expression.len()..].chars().next();
            let before = line[..at].chars().next_back();
            let whole = !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
                && !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.');
            if whole && inside_tag(text, line, at) {
                return Some((index + 1, line[..at].chars().count() + 1, line));
            }
            from = at + expression.len();
        }
    }
    None
}

/// Whether position `at` of `line` is after an opening `{{`/`{%` on that
/// line that is not closed before it (tags spanning lines are rare in
/// hearth's templates; those count as outside).
fn inside_tag(_text: &str, line: &str, at: usize) -> bool {
    let before = &line[..at];
    let opened = before.rfind("{{").max(before.rfind("{%"));
    let closed = before.rfind("}}").max(before.rfind("%}"));
    match (opened, closed) {
        (Some(open), Some(close)) => open > close,
        (Some(_), None) => true,
        _ => false,
    }
}

/// `  7 | <h1>{{ journey.titel }}</h1>` and a caret under the column.
fn excerpt(line: usize, column: usize, text: &str) -> String {
    let number = line.to_string();
    format!(
        "{number} | {text}\n{} | {}^",
        " ".repeat(number.len()),
        " ".repeat(column - 1)
    )
}

/// A parse error of the templates: the file of the template it names, the
/// line and column Tera gives, its message, and its own source excerpt.
pub fn parse_error(error: &tera::Error, sources: &Sources) -> Diagnostic {
    let chain = error_chain(error);
    let name = chain
        .split("Failed to parse '")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .or_else(|| {
            sources
                .keys()
                .map(String::as_str)
                .find(|name| chain.contains(&format!("'{name}'")))
        });
    let (file, builtin) = match name {
        Some(name) => place(sources.get(name), name),
        None => (PathBuf::from("templates"), None),
    };
    let position = chain.lines().find_map(|line| {
        let (line, column) = line.split("--> ").nth(1)?.split_once(':')?;
        Some((
            line.trim().parse::<usize>().ok()?,
            column.trim().parse::<usize>().ok()?,
        ))
    });
    let expected: Vec<&str> = chain
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("= "))
        .collect();
    let excerpt: Vec<&str> = chain
        .lines()
        .skip_while(|line| !line.contains("--> "))
        .skip(1)
        .take_while(|line| !line.trim_start().starts_with("= "))
        .filter(|line| line.trim() != "|")
        .collect();
    let message = match expected.as_slice() {
        [] => format!(
            "template syntax error: {}",
            chain.lines().next().unwrap_or(&chain)
        ),
        lines => format!("template syntax error: {}", lines.join("; ")),
    };
    let mut diagnostic = Diagnostic::error(file, message);
    if let Some((line, column)) = position {
        diagnostic = diagnostic.at_column(line, column);
    } else if let Some((line, column, text)) = name
        .and_then(|name| sources.get(name))
        .and_then(|source| find_tag(&source.text, &chain))
    {
        // Tera gives no position for inheritance errors: point at the tag.
        diagnostic = diagnostic.at_column(line, column);
        diagnostic.excerpt = Some(Box::new(self::excerpt(line, column, text)));
    }
    if !excerpt.is_empty() {
        diagnostic.excerpt = Some(Box::new(excerpt.join("\n")));
    }
    diagnostic
        .help(builtin.unwrap_or_else(|| "fix the template syntax (Tera, like Jinja2)".to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_builtin_template_is_named_as_such() {
        let source = TemplateSource {
            name: "day.html".into(),
            origin: Origin::BuiltIn("templates/day.html"),
            text: String::new(),
        };
        let (file, help) = place(Some(&source), "day.html");
        assert_eq!(file, PathBuf::from("(built-in theme) templates/day.html"));
        assert!(help.unwrap().contains("hearth theme eject day.html"));
    }

    #[test]
    fn reads_the_missing_variable_and_its_template() {
        assert_eq!(
            missing_variable("Failed to render 'day.html': Variable `journey.titel` not found in context while rendering 'day.html'"),
            Some(("journey.titel".to_string(), Some("day.html")))
        );
        assert_eq!(missing_variable("Filter call 'x' failed"), None);
    }

    #[test]
    fn finds_the_expression_inside_a_tag_only() {
        let text = "<p>journey.titel</p>\n<h1>{{ journey.titel }}</h1>\n";
        assert_eq!(
            find_expression(text, "journey.titel"),
            Some((2, 8, "<h1>{{ journey.titel }}</h1>"))
        );
        assert_eq!(
            find_expression("{{ my_journey.titel }}", "journey.titel"),
            None
        );
    }

    #[test]
    fn suggests_from_the_keys_of_the_parent_object() {
        let mut context = tera::Context::new();
        context.insert("journey", &serde_json::json!({"title": "T", "url": "/"}));
        assert_eq!(suggest("journey.titel", &context).as_deref(), Some("title"));
        assert_eq!(suggest("jorney", &context).as_deref(), Some("journey"));
        assert_eq!(suggest("week.titel", &context), None);
    }

    #[test]
    fn regression_render_errors_other_than_a_missing_key_name_their_line() {
        let mut sources = Sources::new();
        for (name, text) in [
            (
                "page.html",
                "<main>\n{% include \"part.html\" %}\n</main>\n",
            ),
            ("part.html", "<p>\n{{ page.title | shout }}\n</p>\n"),
        ] {
            let source = TemplateSource {
                name: name.into(),
                origin: Origin::File(PathBuf::from("templates").join(name)),
                text: text.into(),
            };
            sources.insert(name.to_string(), source);
        }
        let chain = "Failed to render 'page.html': Filter `shout` not found";
        let (file, place) = locate_error(chain, "page.html", &sources);
        assert_eq!(file, "part.html");
        assert_eq!(place, Some((2, 17, "{{ page.title | shout }}")));
        let chain = "Failed to render 'page.html': Template 'part.html' not found";
        assert_eq!(
            locate_error(chain, "page.html", &sources).1.map(|p| p.0),
            Some(2)
        );
    }
}
