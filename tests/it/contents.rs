//! Tables of contents and reading times on guides, days and cards.

use crate::support::{main_of, SiteTest};

/// The `<nav class="toc">` of a page, if it has one.
fn toc_of(html: &str) -> Option<&str> {
    let start = html.find("<nav class=\"toc\"")?;
    let end = start + html[start..].find("</nav>")?;
    Some(&html[start..end])
}

#[test]
fn a_guide_with_three_sections_has_a_table_of_contents_linking_each_heading() {
    let site = SiteTest::fixture("long-pages");
    site.build(&[]);
    let page = site.read("guides/listening/index.html");
    let toc = toc_of(&page).expect("the long guide has a table of contents");
    for (id, title) in [
        ("why-attention-matters", "Why attention matters"),
        ("noticing-bids", "Noticing bids"),
        ("how-to-practise", "How to practise"),
        ("when-it-goes-wrong", "When it goes wrong"),
    ] {
        assert!(
            toc.contains(&format!("<a href=\"#{id}\">{title}</a>")),
            "{id} in {toc}"
        );
        assert!(
            page.contains(&format!("id=\"{id}\"")),
            "the heading has id {id}"
        );
    }
    // The `###` is nested under its `##`.
    let nested = toc.find("<ol>").expect("a nested list");
    let nested = &toc[nested..nested + toc[nested..].find("</ol>").unwrap()];
    assert!(nested.contains("#noticing-bids"), "{nested}");
    assert!(!nested.contains("#how-to-practise"), "{nested}");
    assert!(toc.contains("aria-labelledby=\"toc_title\""), "{toc}");
}

#[test]
fn a_guide_with_two_sections_has_no_table_of_contents() {
    let site = SiteTest::fixture("long-pages");
    site.build(&[]);
    assert_eq!(toc_of(&site.read("guides/short/index.html")), None);
}

#[test]
fn a_day_with_three_parts_lists_them_and_a_day_with_two_does_not() {
    let site = SiteTest::fixture("long-pages");
    site.build(&[]);
    let day = site.read("journeys/steady/day-1/index.html");
    let toc = toc_of(&day).expect("day 1 has three parts");
    for id in [
        "today-s-learning",
        "today-s-activity",
        "reflection-questions",
    ] {
        assert!(toc.contains(&format!("href=\"#{id}\"")), "{id} in {toc}");
    }
    assert_eq!(toc_of(&site.read("journeys/steady/day-2/index.html")), None);
}

#[test]
fn reading_time_is_words_at_230_a_minute_on_pages_and_cards() {
    let site = SiteTest::fixture("long-pages");
    site.build(&[]);
    // 467 words: just over two minutes' worth, so 3.
    assert!(main_of(&site.read("guides/listening/index.html")).contains("3 min read"));
    assert!(main_of(&site.read("guides/short/index.html")).contains("1 min read"));
    assert!(main_of(&site.read("journeys/steady/day-1/index.html")).contains("1 min read"));
    let list = site.read("guides/index.html");
    let card = &list[list.find("Listening Every Day").unwrap()..];
    let card = &card[..card.find("</article>").unwrap()];
    assert!(card.contains("3 min read"), "{card}");
}
