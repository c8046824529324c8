//! Cross-links: Read more, `@/` links and anchors, related guides,
//! backlinks, topics, and `hearth check`.

use crate::support::{main_of, SiteTest};
use hearth::diagnostics::Diagnostics;

/// The Read-more cards of a page, as (href, title).
fn cards(html: &str) -> Vec<(String, String)> {
    html.split("<a class=\"read-more-card\" href=\"")
        .skip(1)
        .map(|rest| {
            let href = rest.split('"').next().unwrap().to_string();
            let title = rest
                .split("<strong class=\"read-more-title\">")
                .nth(1)
                .and_then(|t| t.split("</strong>").next())
                .unwrap()
                .to_string();
            (href, title)
        })
        .collect()
}

#[test]
fn read_more_resolves_by_title_quotes_slug_and_link() {
    let site = SiteTest::fixture("links");
    let run = site.build(&[]);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let source = site.read("guides/source/index.html");
    assert_eq!(
        cards(&source),
        [
            (
                "/guides/trust/".to_string(),
                "How to Build Trust in a Relationship".to_string()
            ),
            (
                "/guides/thanks/".to_string(),
                "Saying “Thank You” Often".to_string()
            ),
            (
                "/guides/listening-well/".to_string(),
                "Active Listening".to_string()
            ),
            (
                "/guides/listening-well/".to_string(),
                "Active Listening".to_string()
            ),
        ]
    );
    assert!(
        source.contains("Trust grows from small promises kept."),
        "card shows the description"
    );
    assert!(
        source.contains("<p>Read more: <a href=\"https://example.com/\">elsewhere</a></p>"),
        "an outside link stays a paragraph"
    );
}

#[test]
fn internal_links_and_anchors_resolve_to_page_urls() {
    let site = SiteTest::fixture("links");
    site.build(&["--base-url", "https://hearth.test/sub/"]);
    let source = site.read("guides/source/index.html");
    assert!(
        source.contains("href=\"/sub/guides/trust/#keeping-small-promises\""),
        "{}",
        main_of(&source)
    );
    assert!(source.contains("href=\"/sub/journeys/path/day-2/#today-s-activity\""));
    let day = site.read("journeys/path/day-2/index.html");
    assert_eq!(
        cards(&day),
        [(
            "/sub/guides/listening-well/".to_string(),
            "Active Listening".to_string()
        )]
    );
}

#[test]
fn backlinks_list_every_guide_and_day_that_links_here() {
    let site = SiteTest::fixture("links");
    site.build(&[]);
    let listening = site.read("guides/listening-well/index.html");
    let referenced = listening
        .split("Referenced by")
        .nth(1)
        .expect("has a Referenced by list");
    assert!(
        referenced.contains("href=\"/guides/source/\""),
        "the guide that links it"
    );
    assert!(
        referenced.contains("href=\"/journeys/path/day-2/\""),
        "the day that links it"
    );
    let source = site.read("guides/source/index.html");
    assert!(
        !source.contains("Referenced by"),
        "nothing links the source guide"
    );
}

#[test]
fn unmatched_read_more_is_a_warning_in_build_and_left_out_of_the_page() {
    let site = SiteTest::fixture("invalid/broken-links");
    site.write("content/guides/trust-again.md", "---\ntitle: Other\n---\n");
    let source = std::fs::read_to_string(site.root().join("content/guides/source.md")).unwrap();
    let links = source.lines().last().unwrap();
    site.write(
        "content/guides/source.md",
        &source.replace(links, "No links here."),
    );
    let run = site.hearth(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("warning: content/guides/source.md:5: Read more: no guide titled \"How to Build Trsut in a Relationship\" — did you mean \"How to Build Trust\"?"),
        "{}",
        run.stderr
    );
    let html = site.read("guides/source/index.html");
    assert!(
        !html.contains("Trsut") && !html.contains("read-more-unresolved"),
        "readers never see an unmatched Read-more line: {}",
        crate::support::main_of(&html)
    );
    let strict = site.hearth(&["build", "--strict"]);
    assert_eq!(strict.code, 1, "--strict turns the warnings into errors");
}

#[test]
fn ambiguous_read_more_lists_the_candidates() {
    let site = SiteTest::fixture("invalid/broken-links");
    let run = site.hearth(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("error: content/guides/source.md:7: Read more: \"How to Build Trust\" matches 2 guides: content/guides/trust-again.md, content/guides/trust.md"),
        "{}",
        run.stderr
    );
}

#[test]
fn check_lists_every_problem_with_suggestions_and_exits_1() {
    let site = SiteTest::fixture("invalid/broken-links");
    let run = site.hearth(&["check"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(
        "check_broken_links",
        format!("{}{}", run.stderr, run.stdout)
    );
    assert!(!site.root().join("public").exists(), "check writes nothing");
}

#[test]
fn check_on_the_example_site_finds_no_problem() {
    let site = SiteTest::example();
    let run = site.hearth(&["check"]);
    assert_eq!(run.code, 0, "{}{}", run.stderr, run.stdout);
    assert_eq!(
        run.stdout.trim(),
        "hearth check: no problems found (0 notes)"
    );
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn topic_names_that_slug_alike_are_an_error() {
    let site = SiteTest::fixture("invalid/topic-collision");
    let run = site.hearth(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("error: content/guides/b.md:3: topics: \"Self Care\" and \"Self-Care\" (content/guides/a.md) make the same topic URL /topics/self-care/ — spell the topic \"Self-Care\" everywhere"),
        "{}",
        run.stderr
    );
}

#[test]
fn topic_pages_list_everything_tagged_with_counts() {
    let site = SiteTest::fixture("links");
    site.build(&[]);
    let index = site.read("topics/index.html");
    assert!(
        index.contains("href=\"/topics/trust/\""),
        "{}",
        main_of(&index)
    );
    let trust = site.read("topics/trust/index.html");
    assert!(
        trust.contains("href=\"/guides/trust/\"") && trust.contains("href=\"/guides/source/\"")
    );
    let guide = site.read("guides/trust/index.html");
    assert!(
        guide.contains("href=\"/topics/trust/\""),
        "topic chip on the guide"
    );
}

fn related_titles(slug: &str, count: Option<usize>) -> Vec<String> {
    let site = SiteTest::fixture("related");
    if let Some(count) = count {
        site.write(
            "site.toml",
            &format!("title = \"Related\"\nbase_url = \"https://hearth.test/\"\n\n[related]\ncount = {count}\n"),
        );
    }
    let mut diagnostics = Diagnostics::default();
    let checked = hearth::build::load_and_resolve(site.root(), None, false, &mut diagnostics)
        .expect("resolves");
    assert!(!diagnostics.has_errors(), "{}", diagnostics.report());
    let guides = &checked.site.guides;
    let guide = guides.iter().find(|g| g.slug == slug).unwrap();
    guide
        .related
        .iter()
        .map(|&r| guides[r].source.front.title.clone())
        .collect()
}

#[test]
fn related_ranks_shared_topics_then_category_then_recency() {
    assert_eq!(
        related_titles("subject", None),
        [
            "Shares Both",
            "Shares One Same Category",
            "Shares One Newer"
        ]
    );
}

#[test]
fn related_fills_with_same_category_and_never_lists_itself() {
    let titles = related_titles("subject", Some(10));
    assert_eq!(
        titles,
        [
            "Shares Both",
            "Shares One Same Category",
            "Shares One Newer",
            "Shares One Older",
            "Same Category Only"
        ]
    );
    assert!(!titles.contains(&"Subject".to_string()));
    assert!(
        !titles.contains(&"Nothing Shared".to_string()),
        "no topic or category in common"
    );
}

#[test]
fn check_reports_missing_parts_and_planned_weeks_without_days() {
    let site = SiteTest::fixture("journey-folder");
    std::fs::remove_file(site.root().join("content/journeys/calm/day-03.md")).unwrap();
    std::fs::remove_file(site.root().join("content/journeys/calm/day-04.md")).unwrap();
    site.write(
        "content/journeys/calm/day-02.md",
        "---\nday: 2\ntitle: Short\n---\n\n### Today's Learning\n\nText.\n\n### Today's Activity\n\nDo.\n",
    );
    let build = site.hearth(&["build"]);
    assert_eq!(build.code, 0, "a missing part is only a warning in build");
    assert!(build.stderr.contains("warning: content/journeys/calm/day-02.md:1: day 2 has no \"Reflection Questions\" part — add a `### Reflection Questions` section to the day"), "{}", build.stderr);
    assert!(!build.stderr.contains("note:"), "build does not show notes");
    let week2 = site.read("journeys/calm/week-2/index.html");
    assert!(
        week2.contains("Keep going"),
        "an empty planned week still shows its focus points"
    );
    assert!(
        week2.contains("Days for this week are coming soon."),
        "and says its days are coming"
    );
    let check = site.hearth(&["check"]);
    assert_eq!(check.code, 1);
    assert!(
        check.stderr.contains(
            "error: content/journeys/calm/day-02.md:1: day 2 has no \"Reflection Questions\" part"
        ),
        "{}",
        check.stderr
    );
    assert!(
        check.stderr.contains(
            "note: content/journeys/calm/journey.md: week 2 (\"Going On\") has no days yet"
        ),
        "{}",
        check.stderr
    );
    assert!(
        check.stdout.contains("1 problem found (1 note)"),
        "{}",
        check.stdout
    );
}

#[test]
fn links_to_drafts_and_to_the_page_itself_are_warnings() {
    let site = SiteTest::fixture("links");
    site.write(
        "content/guides/later.md",
        "---\ntitle: Later\ndraft: true\n---\n",
    )
    .write(
        "content/guides/self.md",
        "---\ntitle: Myself\n---\n\nRead more: Myself\n\nSee [later](@/guides/later.md).\n",
    );
    let run = site.build(&[]);
    assert!(
        run.stderr
            .contains("warning: content/guides/self.md:5: Read more: points at this guide itself"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("warning: content/guides/self.md:7:5: link `@/guides/later.md` points at a draft, which this build leaves out — publish it"),
        "{}",
        run.stderr
    );
    assert!(
        cards(&site.read("guides/self/index.html")).is_empty(),
        "no card to itself"
    );
}

/// Days are ranked once per topics and journey category (regression
/// guard for that sharing): two days of journeys in one category with the
/// same topics get the same list, a day of another category its own.
#[test]
fn days_with_the_same_topics_rank_by_their_own_journeys_category() {
    let site = SiteTest::fixture("related");
    for (slug, category) in [("home-a", "Home"), ("other-a", "Other"), ("home-b", "Home")] {
        site.write(
            &format!("content/journeys/{slug}/journey.md"),
            &format!("---\ntitle: \"{slug}\"\ncategory: {category}\n---\n\nA journey.\n"),
        );
        site.write(
            &format!("content/journeys/{slug}/day-01.md"),
            "---\nday: 1\ntitle: \"One\"\ntopics: [Alpha]\n---\n\n### Today's Activity\n\nTalk.\n",
        );
    }
    let mut diagnostics = Diagnostics::default();
    let checked = hearth::build::load_and_resolve(site.root(), None, false, &mut diagnostics)
        .expect("resolves");
    assert!(!diagnostics.has_errors(), "{}", diagnostics.report());
    let site = &checked.site;
    let related = |slug: &str| -> Vec<String> {
        let journey = site.journeys.iter().find(|j| j.slug == slug).unwrap();
        journey.days[0]
            .related
            .iter()
            .map(|&g| site.guides[g].source.front.title.clone())
            .collect()
    };
    assert_eq!(
        related("home-a"),
        ["Subject", "Shares One Same Category", "Shares One Older"]
    );
    assert_eq!(related("home-b"), related("home-a"));
    assert_eq!(
        related("other-a"),
        ["Shares One Older", "Shares Both", "Subject"]
    );
}
