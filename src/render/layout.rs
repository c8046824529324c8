//! The parts of the built-in page layout (`base.html`) that do not depend
//! on the page — the feed and style links, the site header with its
//! navigation, the footer — rendered once for each `meta.section` of a
//! render instead of once for every page.
//!
//! The built-in `base.html` marks those parts with `{# shared … #}` and
//! `{# end shared #}` (comments: they render to nothing). When a site uses
//! that text unchanged, [`SharedLayout::split`] loads each part as a
//! template of its own and `base.html` as the layout with each part
//! replaced by a context key that holds its HTML. A part sees only `site`
//! and `meta.section`; [`Parts`] renders it the first time a page of a
//! section asks for it. A site with its own `base.html` renders it whole
//! for every page, as Tera always does.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use tera::{Context, Tera};

const OPEN: &str = "{# shared";
const CLOSE: &str = "{# end shared #}";

/// The layout with its shared parts cut out, ready to be loaded into Tera.
#[derive(Debug, PartialEq, Eq)]
pub struct SharedLayout {
    /// `base.html`, each part replaced by `{{ <key> | safe }}`.
    pub layout: String,
    /// Each part's template name and text, in order; its HTML goes into
    /// the page context under [`part_key`] of its index.
    pub parts: Vec<(String, String)>,
}

/// The context key of the `index`th part's HTML.
pub fn part_key(index: usize) -> String {
    format!("__hearth_layout_{index}")
}

impl SharedLayout {
    /// Cuts the marked parts out of `text`; `None` when it has none or its
    /// marks do not pair up.
    pub fn split(text: &str) -> Option<SharedLayout> {
        let mut layout = String::with_capacity(text.len());
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find(OPEN) {
            let after_open = open + rest[open..].find("#}")? + 2;
            let close = after_open + rest[after_open..].find(CLOSE)?;
            let part = &rest[after_open..close];
            if part.contains(OPEN) {
                return None;
            }
            layout.push_str(&rest[..open]);
            layout.push_str(&format!("{{{{ {} | safe }}}}", part_key(parts.len())));
            parts.push((
                format!("__hearth__/layout-{}.html", parts.len()),
                part.to_string(),
            ));
            rest = &rest[close + CLOSE.len()..];
        }
        if rest.contains(CLOSE) || parts.is_empty() {
            return None;
        }
        layout.push_str(rest);
        Some(SharedLayout { layout, parts })
    }
}

/// The rendered parts of a render, by `meta.section`.
pub struct Parts<'a> {
    tera: &'a Tera,
    names: &'a [String],
    /// The `site` key; `meta`, with only its `section`, is added per
    /// section.
    site: Context,
    rendered: RwLock<HashMap<String, Arc<[String]>>>,
}

impl<'a> Parts<'a> {
    /// `site` holds the `site` key; `names` are the parts' templates.
    pub fn new(tera: &'a Tera, names: &'a [String], site: Context) -> Parts<'a> {
        Parts {
            tera,
            names,
            site,
            rendered: RwLock::new(HashMap::new()),
        }
    }

    /// Puts the parts' HTML for the page's `meta.section` into `context`.
    pub fn insert_into(&self, context: &mut Context) -> tera::Result<()> {
        let section = context
            .get("meta")
            .and_then(|meta| meta.get("section"))
            .and_then(|section| section.as_str())
            .unwrap_or_default()
            .to_string();
        let parts = self.for_section(&section)?;
        for (index, html) in parts.iter().enumerate() {
            context.insert(part_key(index), html.as_str());
        }
        Ok(())
    }

    fn for_section(&self, section: &str) -> tera::Result<Arc<[String]>> {
        let known = self.rendered.read().unwrap_or_else(|p| p.into_inner());
        if let Some(parts) = known.get(section) {
            return Ok(parts.clone());
        }
        drop(known);
        let mut context = self.site.clone();
        context.insert("meta", &SectionOnly { section });
        let parts: Arc<[String]> = self
            .names
            .iter()
            .map(|name| self.tera.render(name, &context))
            .collect::<tera::Result<Vec<String>>>()?
            .into();
        self.rendered
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(section.to_string(), parts.clone());
        Ok(parts)
    }
}

/// The `meta` key a shared part sees.
#[derive(serde::Serialize)]
struct SectionOnly<'s> {
    section: &'s str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marked_parts_become_keys() {
        let split = SharedLayout::split(
            "<head>{# shared: note #}<link>{{ a }}{# end shared #}<b>{% block x %}{% endblock x %}{# shared #}<f>{# end shared #}</b>",
        )
        .unwrap();
        assert_eq!(
            split.layout,
            "<head>{{ __hearth_layout_0 | safe }}<b>{% block x %}{% endblock x %}{{ __hearth_layout_1 | safe }}</b>"
        );
        assert_eq!(
            split.parts,
            vec![
                (
                    "__hearth__/layout-0.html".to_string(),
                    "<link>{{ a }}".to_string()
                ),
                ("__hearth__/layout-1.html".to_string(), "<f>".to_string()),
            ]
        );
    }

    #[test]
    fn unpaired_marks_share_nothing() {
        assert_eq!(SharedLayout::split("<p>no marks</p>"), None);
        assert_eq!(SharedLayout::split("{# shared #}<p>"), None);
        assert_eq!(SharedLayout::split("<p>{# end shared #}"), None);
        assert_eq!(
            SharedLayout::split("{# shared #}{# shared #}<p>{# end shared #}"),
            None
        );
    }

    #[test]
    fn the_builtin_layout_has_shared_parts() {
        let (_, text) = crate::theme::BUILTIN
            .iter()
            .find(|(file, _)| *file == "templates/base.html")
            .unwrap();
        let split = SharedLayout::split(std::str::from_utf8(text).unwrap()).unwrap();
        assert_eq!(split.parts.len(), 3);
        assert!(split.parts[1].1.contains("site-header"));
    }
}
