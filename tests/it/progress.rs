//! Reader progress markup: the day toggle, the overview's and week pages'
//! summaries, the home page's "Continue" list, each carrying the site's
//! base path and the journey's and day's ids (escaped), all hidden until
//! the theme's progress.js runs, and absent from worksheets. What the
//! script does with it is checked in a browser by
//! `tests/browser/progress.mjs`.

use crate::support::{main_of, SiteTest};

const JOURNEY: &str = "journeys/café-calme/";
/// The fixture's `base_url` path, as HTML writes it.
const BASE: &str = "/our&amp;site/";
const SCOPE: &str = "data-progress-base=\"/our&amp;site/\" data-progress-journey=\"café-calme\"";

/// The fixture with the built-in theme.
fn built() -> SiteTest {
    let site = SiteTest::bare("progress");
    site.build(&[]);
    site
}

/// The HTML left when every `<tag …hidden>…</tag>` is cut out (tags of
/// the same name are not nested in the parts this is used on).
fn without_hidden(html: &str, tag: &str) -> String {
    let open = format!("<{tag} ");
    let close = format!("</{tag}>");
    let mut rest = html;
    let mut kept = String::new();
    while let Some(at) = rest.find(&open) {
        let tag_end = at + rest[at..].find('>').expect("tag ends");
        if rest[at..tag_end]
            .split_whitespace()
            .any(|word| word == "hidden")
        {
            kept.push_str(&rest[..at]);
            let end = tag_end + rest[tag_end..].find(&close).expect("element closes");
            rest = &rest[end + close.len()..];
        } else {
            kept.push_str(&rest[..=tag_end]);
            rest = &rest[tag_end + 1..];
        }
    }
    kept.push_str(rest);
    kept
}

/// What a reader without JavaScript gets: the page with the hidden
/// progress parts cut out.
fn visible_without_script(html: &str) -> String {
    ["section", "div", "li", "p", "span"]
        .iter()
        .fold(main_of(html).to_string(), |html, tag| {
            without_hidden(&html, tag)
        })
}

fn assert_no_controls(page: &str, html: &str) {
    let visible = visible_without_script(html);
    for control in [
        "<button",
        "<textarea",
        "<input",
        "data-progress-count",
        "data-progress-mark",
    ] {
        assert!(
            !visible.contains(control),
            "{page}: `{control}` shows without JavaScript:\n{visible}"
        );
    }
}

#[test]
fn day_page_has_a_hidden_toggle_with_its_ids() {
    let site = built();
    let html = site.read(&format!("{JOURNEY}day-3/index.html"));
    assert!(
        html.contains(&format!(
            "<script src=\"{BASE}progress.js\" defer></script>"
        )),
        "{html}"
    );
    let main = main_of(&html);
    assert!(
        main.contains(&format!("<article class=\"article day\" {SCOPE}>")),
        "{main}"
    );
    assert!(
        main.contains("<div class=\"done-panel\" data-progress-ui hidden>\n  <button type=\"button\" class=\"done-toggle\" aria-pressed=\"false\" data-progress-toggle=\"3\">"),
        "{main}"
    );
    assert!(main.contains("<span>Mark this day done</span>"));
    assert!(main.contains("role=\"status\" data-progress-status"));
    assert_no_controls("day 3", &html);
    assert!(visible_without_script(&html).contains("Take a walk."));
}

#[test]
fn overview_lists_each_day_and_hides_its_tools() {
    let site = built();
    let html = site.read(&format!("{JOURNEY}index.html"));
    let main = main_of(&html);
    assert!(
        main.contains(&format!("<article class=\"journey\" {SCOPE}>")),
        "{main}"
    );
    let days: Vec<&str> = main
        .split("<li data-progress-day=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
        .collect();
    assert_eq!(days, ["1", "3"], "every written day, in order");
    for day in ["1", "3"] {
        let item = main
            .split(&format!("<li data-progress-day=\"{day}\">"))
            .nth(1)
            .and_then(|rest| rest.split("</li>").next())
            .unwrap();
        assert!(
            item.contains(&format!("href=\"{BASE}{JOURNEY}day-{day}/\"")),
            "{item}"
        );
        assert!(item.contains("data-progress-mark hidden"), "{item}");
    }
    assert!(
        main.contains("<span data-progress-count>0</span> of 2 days</strong> done</p>"),
        "{main}"
    );
    for control in [
        "data-progress-reset",
        "data-progress-undo hidden",
        "data-progress-code",
        "data-progress-paste",
        "data-progress-import",
        "data-progress-file",
    ] {
        assert!(main.contains(control), "overview has {control}");
    }
    assert!(main.contains("<section class=\"done-journey\" aria-labelledby=\"progress_title\" data-progress-ui hidden>"));
    assert_no_controls("overview", &html);
}

#[test]
fn week_page_counts_its_own_days() {
    let site = built();
    let html = site.read(&format!("{JOURNEY}week-2/index.html"));
    let main = main_of(&html);
    assert!(
        main.contains(&format!("<article class=\"week\" {SCOPE}>")),
        "{main}"
    );
    assert!(
        main.contains("<span data-progress-count>0</span> of 1 day</strong> done this week</p>"),
        "{main}"
    );
    assert!(main.contains("<li data-progress-day=\"3\">"));
    assert!(
        !main.contains("<li data-progress-day=\"1\">"),
        "week 2 lists only its day"
    );
    assert!(html.contains("progress.js"));
    assert_no_controls("week 2", &html);
}

#[test]
fn home_continue_list_names_each_journey_escaped() {
    let site = built();
    let html = site.read("index.html");
    let main = main_of(&html);
    assert!(main.contains("data-progress-group hidden>"), "{main}");
    assert!(
        main.contains(&format!(
            "<li {SCOPE} data-progress-when=\"in-progress\" hidden>"
        )),
        "{main}"
    );
    assert!(
        main.contains("Continue <span class=\"done-continue-journey\">Calm &quot;&lt;Together&gt;&quot; &amp; Kind</span> — Day <span data-progress-next></span>"),
        "{main}"
    );
    assert!(main.contains(&format!(
        "<li data-progress-day=\"3\"><a href=\"{BASE}{JOURNEY}day-3/\">Day 3</a></li>"
    )));
    assert!(
        main.contains("data-progress-journey=\"second\""),
        "the second journey has its own entry"
    );
    assert!(!visible_without_script(&html).contains("Continue"));
}

#[test]
fn worksheets_and_other_pages_have_no_progress() {
    let site = built();
    for page in [
        format!("{JOURNEY}day-1/worksheet/index.html"),
        format!("{JOURNEY}week-1/worksheets/index.html"),
        format!("{JOURNEY}worksheets/index.html"),
        "journeys/index.html".to_string(),
        "topics/index.html".to_string(),
    ] {
        let html = site.read(&page);
        assert!(
            !html.contains("data-progress"),
            "{page} has progress markup"
        );
        assert!(!html.contains("progress.js"), "{page} loads progress.js");
    }
    let script = site.read("progress.js");
    // The built-in theme's script, as the theme folder has it.
    let theme = std::fs::read_to_string(
        crate::support::repo_root().join("themes/default/static/progress.js"),
    )
    .unwrap();
    assert_eq!(script, theme, "the theme's script is copied as it is");
}

#[test]
fn a_site_can_override_the_progress_partial() {
    let site = SiteTest::bare("progress");
    let partial = std::fs::read_to_string(
        crate::support::repo_root().join("themes/default/templates/progress.html"),
    )
    .unwrap();
    site.write(
        "templates/progress.html",
        &partial.replace("Mark this day done", "We did this one"),
    );
    site.build(&[]);
    let html = site.read(&format!("{JOURNEY}day-1/index.html"));
    assert!(html.contains("<span>We did this one</span>"), "{html}");
}
