//! Paginated lists (`[pagination] per_page`), the bounded home page, and
//! the sitemap listing every page of every list.

use crate::support::{hrefs, main_of, SiteTest};
use std::collections::{BTreeSet, VecDeque};

/// The fixture has 7 guides and 7 journeys tagged "Home", 2 items a page.
fn built() -> SiteTest {
    let site = SiteTest::fixture("pagination");
    site.build(&[]);
    site
}

fn titles(html: &str) -> Vec<&str> {
    main_of(html)
        .split("class=\"card-title\"><a href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('>').nth(1)?.split('<').next())
        .collect()
}

#[test]
fn the_guide_list_is_cut_into_pages_at_stable_urls() {
    let site = built();
    assert_eq!(
        titles(&site.read("guides/index.html")),
        ["Gardens", "Fences"]
    );
    assert_eq!(
        titles(&site.read("guides/page/2/index.html")),
        ["Evenings", "Doors"]
    );
    assert_eq!(titles(&site.read("guides/page/4/index.html")), ["Apples"]);
    assert!(!site.exists("guides/page/5/index.html"));
    assert!(
        !site.exists("guides/page/1/index.html"),
        "page 1 is /guides/"
    );
}

#[test]
fn a_list_page_links_prev_next_and_numbers_and_says_which_page_it_is() {
    let site = built();
    let page = site.read("guides/page/2/index.html");
    assert!(
        page.contains("<title>Guides — Page 2 of 4 · Paged</title>"),
        "{page}"
    );
    assert!(page.contains("<link rel=\"prev\" href=\"/guides/\">"));
    assert!(page.contains("<link rel=\"next\" href=\"/guides/page/3/\">"));
    assert!(page.contains("<link rel=\"canonical\" href=\"https://example.org/guides/page/2/\">"));
    let main = main_of(&page);
    assert!(main.contains("rel=\"prev\" href=\"/guides/\""), "{main}");
    assert!(main.contains("rel=\"next\" href=\"/guides/page/3/\""));
    assert!(main.contains("href=\"/guides/page/2/\" aria-current=\"page\""));
    assert!(main.contains("href=\"/guides/page/4/\""));
    assert!(
        main.contains("7 guides, newest first. Page 2 of 4."),
        "{main}"
    );
    let first = site.read("guides/index.html");
    assert!(!first.contains("rel=\"prev\""));
    assert!(first.contains("<title>Guides · Paged</title>"));
    let last = site.read("guides/page/4/index.html");
    assert!(!last.contains("rel=\"next\""));
}

#[test]
fn topic_pages_and_the_journey_list_are_paginated_too() {
    let site = built();
    // 7 journeys, then 7 guides, 2 a page: guides start on page 4.
    let page = site.read("topics/home/page/4/index.html");
    assert!(page.contains("Topic: Home — Page 4 of 7"), "{page}");
    assert_eq!(titles(&page), ["Around Walk", "Gardens"]);
    assert!(main_of(&page).contains("7 guides tagged “Home”"));
    assert!(site.exists("topics/home/page/7/index.html"));
    assert!(!site.exists("topics/home/page/8/index.html"));
    let journeys = site.read("journeys/page/4/index.html");
    assert_eq!(titles(&journeys), ["Around Walk"]);
}

#[test]
fn the_home_page_shows_a_few_of_each_list_and_links_all_of_them() {
    let site = built();
    let home = main_of(&site.read("index.html")).to_string();
    assert!(home.contains("All 7 journeys"), "{home}");
    assert!(home.contains("All 7 guides"));
    assert!(
        !home.contains("Around Walk"),
        "the 7th journey is not on the home page"
    );
    assert!(home.contains("Down Walk"), "the 6th is");
    assert!(
        !home.contains(">Apples<"),
        "the oldest guide is not on the home page"
    );
}

/// Regression: the home page sorted its topics by byte order ("Zest"
/// before "apple"), the topic index by name regardless of case.
#[test]
fn home_topics_are_in_the_order_of_the_topic_index_whatever_their_case() {
    let site = SiteTest::fixture("pagination");
    for (slug, topic) in [("lower", "apple care"), ("upper", "Zest")] {
        site.write(
            &format!("content/guides/{slug}.md"),
            &format!(
                "---\ntitle: About {slug}\ndate: 2024-01-01\ntopics: [{topic}]\n---\n\nText.\n"
            ),
        );
    }
    site.build(&[]);
    // Home: `<a class="chip" href="…">Name <span…`; the index:
    // `<span class="topic-name">Name</span>`.
    let names = |html: &str, before: &str, after: char| -> Vec<String> {
        html.split(before)
            .skip(1)
            .filter_map(|rest| {
                let rest = rest.split_once('>')?.1;
                Some(rest.split(after).next()?.trim().to_string())
            })
            .collect()
    };
    let home = names(
        main_of(&site.read("index.html")),
        "class=\"chip\" href=",
        '<',
    );
    let index = names(
        main_of(&site.read("topics/index.html")),
        "class=\"topic-name\"",
        '<',
    );
    assert!(home.contains(&"Zest".to_string()), "{home:?}");
    assert!(home.contains(&"apple care".to_string()), "{home:?}");
    let in_index_order: Vec<String> = index
        .into_iter()
        .filter(|name| home.contains(name))
        .collect();
    assert_eq!(home, in_index_order);
}

#[test]
fn the_sitemap_lists_every_page_of_every_list_and_the_feed_is_unchanged() {
    let site = built();
    let sitemap = site.read("sitemap.xml");
    for path in [
        "guides/page/4/",
        "journeys/page/2/",
        "topics/home/page/7/",
        "guides/",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>https://example.org/{path}</loc>")),
            "{path}"
        );
    }
    assert!(!sitemap.contains("guides/page/5/"));
    let feed = site.read("atom.xml");
    assert_eq!(
        feed.matches("<entry>").count(),
        7,
        "every guide, not a page of them"
    );
}

#[test]
fn every_page_is_reachable_by_links_from_the_home_page() {
    let site = built();
    let mut seen = BTreeSet::from(["index.html".to_string()]);
    let mut queue = VecDeque::from(["index.html".to_string()]);
    while let Some(file) = queue.pop_front() {
        for href in hrefs(&site.read(&file)) {
            let Some(path) = href.strip_prefix('/') else {
                continue;
            };
            let path = path.split('#').next().unwrap();
            let target = if path.is_empty() || path.ends_with('/') {
                format!("{path}index.html")
            } else {
                continue;
            };
            if site.exists(&target) && seen.insert(target.clone()) {
                queue.push_back(target);
            }
        }
    }
    let missing: Vec<String> = site
        .html_files()
        .into_iter()
        .filter(|file| file != "404.html" && !seen.contains(file))
        .collect();
    assert!(missing.is_empty(), "not reachable from /: {missing:?}");
}

#[test]
fn per_page_0_is_an_error_naming_the_line() {
    let site = SiteTest::fixture("invalid/pagination-zero");
    let run = site.hearth(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("site.toml:5: pagination.per_page = 0: it must be between 1 and 1000"),
        "{}",
        run.stderr
    );
}
