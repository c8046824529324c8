//! Traps a new author falls into, each met with a plain answer: one topic
//! written without brackets, `paper = "letter"`, an unclosed `[`, a day
//! file beside a single-file journey, one bad key in a journey.md.

use crate::support::SiteTest;

#[test]
fn one_topic_without_brackets_is_a_list_of_one() {
    let site = SiteTest::bare("builtin-theme");
    site.write(
        "content/guides/kind-words.md",
        "---\ntitle: Kind Words\ndate: 2026-02-01\ntopics: Gratitude\n---\n\nSay thanks.\n",
    );
    site.build(&[]);
    assert!(site.exists("topics/gratitude/index.html"));
    assert!(site
        .read("guides/kind-words/index.html")
        .contains("href=\"/topics/gratitude/\""));
}

#[test]
fn paper_names_are_not_case_sensitive() {
    let site = SiteTest::bare("builtin-theme");
    let config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write(
        "site.toml",
        &format!("{config}\n[worksheets]\npaper = \"letter\"\n"),
    );
    site.build(&[]);
    let sheet = site.read("journeys/slow-start/day-1/worksheet/index.html");
    assert!(sheet.contains("@page { size: letter; }"), "{sheet}");
    site.write(
        "site.toml",
        &format!("{config}\n[worksheets]\npaper = \"legal\"\n"),
    );
    let run = site.hearth(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("site.toml:6:9: paper `legal`: expected \"A4\" or \"Letter\""),
        "{}",
        run.stderr
    );
}

#[test]
fn an_unclosed_bracket_names_the_line_where_it_opened() {
    let site = SiteTest::bare("builtin-theme");
    site.write(
        "content/guides/kind-words.md",
        "---\ntitle: Kind Words\ntopics: [Kindness, Care\ndate: 2026-02-01\n---\n\nText.\n",
    );
    let run = site.hearth(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("error: content/guides/kind-words.md:4:"),
        "where YAML noticed it: {}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("the `[` opened on line 3 is not closed"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_day_file_beside_a_single_file_journey_says_to_make_a_folder() {
    let site = SiteTest::bare("builtin-theme");
    site.write(
        "content/journeys/day-03.md",
        "---\nday: 3\ntitle: Third\n---\n\n### Today's Learning\n\nMore.\n",
    );
    let run = site.hearth(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("error: content/journeys/day-03.md:1: a day file must be in its journey's folder, not directly in content/journeys/ — move content/journeys/slow-start.md to content/journeys/slow-start/journey.md and put day-03.md beside it in content/journeys/slow-start/"),
        "{}",
        run.stderr
    );
}

#[test]
fn one_bad_key_in_journey_md_is_one_error_not_one_per_day_file() {
    let site = SiteTest::fixture("journey-folder");
    let journey =
        std::fs::read_to_string(site.root().join("content/journeys/calm/journey.md")).unwrap();
    site.write(
        "content/journeys/calm/journey.md",
        &journey.replacen("title:", "sequence: first\ntitle:", 1),
    );
    let run = site.hearth(&["build"]);
    assert_eq!(run.code, 1);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|line| line.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0].starts_with("error: content/journeys/calm/journey.md:2:11: sequence: expected a whole number, found a string \"first\""),
        "{}",
        errors[0]
    );
}
