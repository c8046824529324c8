//! Which other templates a template names in its `extends`, `import` and
//! `include` tags: how `serve` tells which pages a template change touches.

/// The template names in the `{% extends %}`, `{% import %}` and
/// `{% include %}` tags of a Tera template, in order.
pub fn template_references(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for tag in tags(text).filter(|tag| tag.statement) {
        if matches!(tag.keyword(), "extends" | "import" | "include") {
            names.extend(quoted_strings(tag.after_keyword()));
        }
    }
    names
}

/// A `{% statement %}` or `{{ expression }}` of a template, its delimiters
/// and whitespace markers (`-`, `+`) cut off.
#[derive(Debug, Clone, Copy)]
pub struct TemplateTag<'a> {
    pub statement: bool,
    pub body: &'a str,
    /// Byte offset of the tag in the template.
    pub offset: usize,
}

impl<'a> TemplateTag<'a> {
    /// The first word of a statement: `include`, `macro`, `endmacro`…
    pub fn keyword(&self) -> &'a str {
        let end = self
            .body
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(self.body.len());
        &self.body[..end]
    }

    pub fn after_keyword(&self) -> &'a str {
        &self.body[self.keyword().len()..]
    }
}

/// The statements and expressions of a template, in order; comments and
/// the inside of `{% raw %}` blocks are skipped.
pub fn tags(text: &str) -> impl Iterator<Item = TemplateTag<'_>> {
    let mut position = 0;
    let mut in_raw = false;
    std::iter::from_fn(move || loop {
        let start = position + text[position..].find('{')?;
        let opener = text.get(start..start + 2).unwrap_or("");
        let closer = match opener {
            "{%" => "%}",
            "{{" => "}}",
            "{#" => "#}",
            _ => {
                position = start + 1;
                continue;
            }
        };
        let inner_start = start + 2;
        let inner_end = text[inner_start..]
            .find(closer)
            .map_or(text.len(), |end| inner_start + end);
        position = (inner_end + 2).min(text.len());
        if opener == "{#" {
            continue;
        }
        let tag = TemplateTag {
            statement: opener == "{%",
            body: text[inner_start..inner_end]
                .trim_matches(|c: char| c == '-' || c == '+' || c.is_whitespace()),
            offset: start,
        };
        match (tag.statement, tag.keyword()) {
            (true, "raw") => in_raw = true,
            (true, "endraw") => in_raw = false,
            _ if in_raw => {}
            _ => return Some(tag),
        }
    })
}

/// The string literals of a tag: `"a.html"`, or `["a.html", 'b.html']`.
pub fn quoted_strings(text: &str) -> Vec<String> {
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
