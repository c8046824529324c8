//! Readers never see authoring loose ends: unmatched Read-more lines are
//! left out of the built page (and marked in the preview), pages speak to
//! readers ("2 weeks", not "1 of 14 days written"), topic counts match the
//! topic page, and the build warns about what would ship by mistake.

use crate::support::{main_of, SiteTest};
use hearth::serve::SERVE_DIR;

const GUIDE: &str = "guides/small-gestures/index.html";
const JOURNEY: &str = "journeys/gentle-weeks/index.html";

#[test]
fn an_unmatched_read_more_is_left_out_of_the_built_page() {
    let site = SiteTest::bare("loose-ends");
    let run = site.build(&[]);
    assert!(
        run.stderr.contains("warning: content/guides/small-gestures.md:10: Read more: no guide titled \"A Guide Nobody Wrote\""),
        "{}",
        run.stderr
    );
    let page = site.read(GUIDE);
    assert!(!page.contains("Nobody Wrote"), "{}", main_of(&page));
    assert!(!page.contains("read-more-unresolved"));
    assert!(main_of(&page).contains("Thank your partner"));
}

#[test]
fn the_preview_marks_an_unmatched_read_more_for_the_author() {
    let site = SiteTest::bare("loose-ends");
    let server = site.serve();
    assert!(!server.first_report().failed());
    let page = std::fs::read_to_string(site.root().join(SERVE_DIR).join(GUIDE)).unwrap();
    assert!(
        page.contains("<p class=\"read-more read-more-unresolved\"><strong>Preview only, left out of the built site (no guide matches):</strong> Read more: A Guide Nobody Wrote</p>"),
        "{}",
        main_of(&page)
    );
}

#[test]
fn public_pages_use_reader_language() {
    let site = SiteTest::bare("loose-ends");
    site.build(&[]);
    let journey = main_of(&site.read(JOURNEY)).to_string();
    assert!(!journey.contains("written"), "{journey}");
    assert!(!journey.contains("1 of "), "{journey}");
    assert!(
        journey.contains("Coming soon"),
        "a planned week with no days yet"
    );
    for page in ["journeys/index.html", "index.html"] {
        let html = site.read(page);
        let card = main_of(&html)
            .split("card-meta")
            .nth(1)
            .and_then(|rest| rest.split("</p>").next())
            .unwrap_or_else(|| panic!("{page} has a journey card"));
        assert_eq!(
            card.matches("week").count(),
            1,
            "{page}: length once: {card}"
        );
        assert!(!card.contains("written"), "{page}: {card}");
    }
}

#[test]
fn a_topic_count_is_what_the_topic_page_lists() {
    let site = SiteTest::bare("loose-ends");
    site.build(&[]);
    let index = site.read("topics/index.html");
    assert!(
        index.contains("<span class=\"topic-name\">Kindness</span> <span class=\"topic-count\">2<"),
        "{}",
        main_of(&index)
    );
    let topic = main_of(&site.read("topics/kindness/index.html")).to_string();
    assert!(
        topic.contains("1 journey and 1 guide tagged “Kindness”."),
        "{topic}"
    );
    assert!(
        topic.contains("href=\"/journeys/gentle-weeks/\""),
        "{topic}"
    );
    assert!(
        topic.contains("href=\"/guides/small-gestures/\""),
        "{topic}"
    );
}

#[test]
fn a_placeholder_base_url_is_a_warning_naming_its_line() {
    let site = SiteTest::bare("loose-ends");
    site.write(
        "site.toml",
        "title = \"Loose Ends\"\nbase_url = \"https://www.example.com/guides/\"\n",
    );
    let run = site.build(&[]);
    assert!(
        run.stderr.contains("warning: site.toml:2: base_url `https://www.example.com/guides/` is a placeholder: canonical links, the sitemap, the feed and every worksheet footer would carry it"),
        "{}",
        run.stderr
    );
    let published = site.build(&["--base-url", "https://loose-ends.test/"]);
    assert!(
        !published.stderr.contains("placeholder"),
        "{}",
        published.stderr
    );
}

#[test]
fn a_broken_internal_link_is_an_error_in_build() {
    let site = SiteTest::bare("loose-ends");
    site.write(
        "content/about.md",
        "---\ntitle: About\n---\n\nSee [the guide](@/guides/small-gestrues.md).\n",
    );
    let run = site.hearth(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("error: content/about.md:5:5: broken link `@/guides/small-gestrues.md`: no such content file — did you mean `@/guides/small-gestures.md`?"),
        "{}",
        run.stderr
    );
    assert!(!site.exists("index.html"), "nothing is written");
}
