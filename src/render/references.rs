//! Which other templates a template names in its `extends`, `import` and
//! `include` tags: how `serve` tells which pages a template change touches.

/// The template names in the `{% extends %}`, `{% import %}` and
/// `{% include %}` tags of a Tera template, in order.
pub fn template_references(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{%") {
        let after = &rest[start + 2..];
        let end = after.find("%}").unwrap_or(after.len());
        let tag = after[..end].trim_start_matches(['-', '+']).trim_start();
        let keyword_end = tag
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(tag.len());
        if matches!(&tag[..keyword_end], "extends" | "import" | "include") {
            names.extend(quoted_strings(&tag[keyword_end..]));
        }
        rest = &after[end..];
    }
    names
}

/// The string literals of a tag: `"a.html"`, or `["a.html", 'b.html']`.
fn quoted_strings(text: &str) -> Vec<String> {
    let mut strings = Vec::new();
    let mut chars = text.char_indices();
    while let Some((start, quote)) = chars.next() {
        if !matches!(quote, '"' | '\'' | '`') {
            continue;
        }
        let Some((end, _)) = chars.by_ref().find(|&(_, c)| c == quote) else {
            break;
        };
        strings.push(text[start + 1..end].to_string());
    }
    strings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_extends_import_and_include() {
        let template = r#"{% extends "base.html" %}
{%- import 'macros.html' as m -%}
{% block content %}{{ "not/a/template.html" }}
{% include ["cards/a.html", "cards/b.html"] ignore missing %}
{% if x %}{% include "footer.html" %}{% endif %}{% endblock content %}"#;
        assert_eq!(
            template_references(template),
            [
                "base.html",
                "macros.html",
                "cards/a.html",
                "cards/b.html",
                "footer.html"
            ]
        );
    }
}
