//! What `serve` adds to the HTML it sends (never to `build` output): the
//! live-reload script, and, after a failed rebuild, an overlay with the
//! errors and the source lines around them.

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::markdown::escape_html;
use std::path::Path;

/// Where pages listen for rebuilds (Server-Sent Events).
pub const EVENTS_PATH: &str = "/__hearth/events";

/// How many errors the overlay shows (the terminal has them all).
const OVERLAY_ERRORS: usize = 10;

/// Source lines shown before and after an error's line.
const CONTEXT_LINES: usize = 2;

/// The live-reload script. It names its page to the event stream (a
/// rebuild writes the open pages first and tells them at once), reloads
/// the page when a rebuild rendered it (or rendered anything, on a 404
/// page, or when the error state changed) unless it was told already,
/// swaps stylesheets when only CSS changed, and reloads when it reconnects
/// to a server whose build differs from the one it was served from.
const RELOAD_SCRIPT: &str = r#"(() => {
  const here = location.pathname.replace(/index\.html$/, "");
  const events = new EventSource("__EVENTS__?page=" + encodeURIComponent(here));
  const changes = (event) => JSON.parse(event.data);
  events.addEventListener("hello", (event) => {
    const hello = changes(event);
    if (hello.build !== BUILD && !(hello.fresh || []).includes(BUILD)) location.reload();
  });
  events.addEventListener("reload", (event) => {
    const change = changes(event);
    if ((change.except || []).includes(here)) return;
    if (change.all || NOT_FOUND || change.pages.includes(here)) location.reload();
  });
  events.addEventListener("css", () => {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set("hearth", Date.now());
      link.href = url.href;
    }
  });
})();"#;

/// The `<script>` (and overlay, if any) put before `</body>`.
///
/// `build` names the build the page comes from; `not_found` is true for
/// the 404 page, which reloads on any rebuild (the page may now exist).
pub fn injection(build: &str, not_found: bool, overlay: Option<&str>) -> String {
    let script = RELOAD_SCRIPT
        .replace("__EVENTS__", EVENTS_PATH)
        .replace("BUILD", &format!("\"{}\"", escape_js(build)))
        .replace("NOT_FOUND", if not_found { "true" } else { "false" });
    format!(
        "{}<script data-hearth-live-reload>{script}</script>\n",
        overlay.unwrap_or("")
    )
}

/// Inserts `injected` before the last `</body>` of `html` (at the end if
/// there is none).
pub fn inject(html: &str, injected: &str) -> String {
    let at = html
        .to_ascii_lowercase()
        .rfind("</body>")
        .unwrap_or(html.len());
    let mut page = String::with_capacity(html.len() + injected.len());
    page.push_str(&html[..at]);
    page.push_str(injected);
    page.push_str(&html[at..]);
    page
}

fn escape_js(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

/// The error overlay for a failed rebuild: each error's place, message,
/// help and source lines, all HTML-escaped.
pub fn error_overlay(root: &Path, diagnostics: &Diagnostics) -> String {
    let errors: Vec<&Diagnostic> = diagnostics
        .sorted()
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    let mut html = String::from(concat!(
        "<div id=\"hearth-overlay\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;",
        "overflow:auto;margin:0;padding:2rem;background:rgba(24,20,18,.94);color:#f5efe9;",
        "font:15px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-align:left\">\n",
        "<p style=\"margin:0 0 1rem;font-size:1.2rem;font-weight:bold\">",
        "hearth: the last change did not build</p>\n",
        "<p style=\"margin:0 0 1.5rem\">The page underneath is the last good build. ",
        "Fix the error and save: this page reloads by itself.</p>\n",
    ));
    for diagnostic in errors.iter().take(OVERLAY_ERRORS) {
        html.push_str(&describe_error(root, diagnostic));
    }
    if errors.len() > OVERLAY_ERRORS {
        html.push_str(&format!(
            "<p>… and {} more errors (see the terminal).</p>\n",
            errors.len() - OVERLAY_ERRORS
        ));
    }
    html.push_str(concat!(
        "<button type=\"button\" onclick=\"this.parentNode.remove()\" ",
        "style=\"font:inherit;padding:.3rem 1rem;cursor:pointer\">Hide</button>\n</div>\n"
    ));
    html
}

fn describe_error(root: &Path, diagnostic: &Diagnostic) -> String {
    let mut html = format!(
        "<section style=\"margin:0 0 1.5rem\">\n<p style=\"margin:0\"><strong style=\"color:#ff9b8a\">error</strong>: <strong>{}</strong></p>\n<p style=\"margin:0\">{}</p>\n",
        escape_html(&diagnostic.location()),
        escape_html(&diagnostic.message),
    );
    if let Some(help) = &diagnostic.help {
        html.push_str(&format!(
            "<p style=\"margin:0;color:#c9bdb3\">help: {}</p>\n",
            escape_html(help)
        ));
    }
    let snippet = diagnostic.excerpt.as_deref().cloned().or_else(|| {
        diagnostic
            .line
            .and_then(|line| source_lines(root, &diagnostic.file, line))
    });
    if let Some(snippet) = snippet {
        html.push_str(&format!(
            "<pre style=\"margin:.5rem 0 0;padding:.75rem;background:#000;color:#eee;overflow:auto\">{}</pre>\n",
            escape_html(&snippet)
        ));
    }
    html.push_str("</section>\n");
    html
}

/// The lines around `line` of `file` (from the site root), numbered, the
/// error line marked with `>`.
pub fn source_lines(root: &Path, file: &Path, line: usize) -> Option<String> {
    let text = std::fs::read_to_string(root.join(file)).ok()?;
    let lines: Vec<&str> = text.lines().collect();
    if line == 0 || line > lines.len() + 1 {
        return None;
    }
    let first = line.saturating_sub(CONTEXT_LINES).max(1);
    let last = (line + CONTEXT_LINES).min(lines.len());
    let width = last.to_string().len();
    let mut snippet = String::new();
    for number in first..=last {
        let marker = if number == line { '>' } else { ' ' };
        snippet.push_str(&format!(
            "{marker} {number:>width$} | {}\n",
            lines[number - 1]
        ));
    }
    Some(snippet)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_the_last_body_end() {
        let page = inject("<html><body><p>x</p></BODY></html>", "<script></script>");
        assert_eq!(page, "<html><body><p>x</p><script></script></BODY></html>");
        assert_eq!(inject("<p>x</p>", "<s>"), "<p>x</p><s>");
    }

    #[test]
    fn overlay_escapes_messages_and_shows_source_lines() {
        let site = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(site.path().join("content")).unwrap();
        std::fs::write(
            site.path().join("content/a.md"),
            "---\ntitle: <b>\ntopics: x\n---\nbody\n",
        )
        .unwrap();
        let mut diagnostics = Diagnostics::default();
        diagnostics.push(
            Diagnostic::error("content/a.md", "topics: expected a list, found <script>")
                .at(3)
                .help("write `topics: [a, b]`"),
        );
        let html = error_overlay(site.path(), &diagnostics);
        assert!(html.contains("content/a.md:3"), "{html}");
        assert!(html.contains("found &lt;script&gt;"), "{html}");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&gt; 3 | topics: x"), "{html}");
        assert!(html.contains("  2 | title: &lt;b&gt;"), "{html}");
    }
}
