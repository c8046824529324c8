//! `hearth build`: pages, journeys and weeks, URLs, escaping, and errors
//! that leave the previous output alone.

use crate::support::{hrefs, main_of, SiteTest};

#[test]
fn both_journey_forms_give_the_same_week_and_day_pages() {
    let folder = SiteTest::fixture("journey-folder");
    let single = SiteTest::fixture("journey-single");
    folder.build(&[]);
    single.build(&[]);
    let pages = [
        "journeys/calm/index.html",
        "journeys/calm/week-1/index.html",
        "journeys/calm/week-2/index.html",
        "journeys/calm/day-1/index.html",
        "journeys/calm/day-2/index.html",
        "journeys/calm/day-3/index.html",
        "journeys/calm/day-4/index.html",
    ];
    for page in pages {
        assert_eq!(
            main_of(&folder.read(page)),
            main_of(&single.read(page)),
            "{page} differs"
        );
    }
    let week = single.read("journeys/calm/week-2/index.html");
    assert!(week.contains("Going On"), "theme shown");
    assert!(week.contains("Keep going"), "focus point shown");
    assert!(
        week.contains("Day 3") && week.contains("Day 4"),
        "the week's days listed"
    );
    assert!(
        !main_of(&week).contains("Second Steps"),
        "a day of week 1 is not listed on week 2"
    );
}

#[test]
fn prev_and_next_day_cross_week_boundaries() {
    let site = SiteTest::fixture("journey-folder");
    site.build(&[]);
    let day2 = site.read("journeys/calm/day-2/index.html");
    let day3 = site.read("journeys/calm/day-3/index.html");
    // Day 2 ends week 1 (two days a week); its next day opens week 2.
    assert!(
        day2.contains("rel=\"next\" href=\"/journeys/calm/day-3/\""),
        "{}",
        main_of(&day2)
    );
    assert!(
        day3.contains("rel=\"prev\" href=\"/journeys/calm/day-2/\""),
        "{}",
        main_of(&day3)
    );
    assert!(
        day3.contains("href=\"/journeys/calm/week-2/\""),
        "breadcrumb names week 2"
    );
    let week1 = site.read("journeys/calm/week-1/index.html");
    assert!(week1.contains("rel=\"next\" href=\"/journeys/calm/week-2/\""));
    assert!(
        !week1.contains("rel=\"prev\""),
        "week 1 has no previous week"
    );
}

#[test]
fn days_per_week_maps_days_to_derived_weeks() {
    let site = SiteTest::fixture("days-per-week");
    site.build(&[]);
    // days_per_week: 3 → days 1-3 in week 1, 4-6 in week 2; day 7 says week: 2.
    let week2 = main_of(&site.read("journeys/steady/week-2/index.html")).to_string();
    for day in ["Step 4", "Step 5", "Step 6", "Step 7"] {
        assert!(week2.contains(day), "{day} in week 2");
    }
    assert!(!week2.contains("Step 3"));
    assert!(
        !site.exists("journeys/steady/week-3/index.html"),
        "day 7 moved to week 2, so no week 3"
    );
    let day4 = site.read("journeys/steady/day-4/index.html");
    assert!(day4.contains("href=\"/journeys/steady/week-2/\""));
}

#[test]
fn example_site_builds_every_page_without_warnings() {
    let site = SiteTest::example();
    let run = site.build(&[]);
    assert!(run.stderr.is_empty(), "warnings: {}", run.stderr);
    assert!(run.stdout.contains("0 warnings"), "{}", run.stdout);
    for page in [
        "index.html",
        "404.html",
        "guides/index.html",
        "guides/building-trust/index.html",
        "journeys/index.html",
        "journeys/deepening-intimacy/index.html",
        "journeys/deepening-intimacy/week-5/index.html",
        "journeys/deepening-intimacy/day-1/index.html",
        "journeys/a-week-of-gratitude/day-7/index.html",
        "topics/index.html",
        "topics/trust/index.html",
        "about/index.html",
        "sitemap.xml",
        "atom.xml",
        "robots.txt",
        "style.css",
    ] {
        assert!(site.exists(page), "{page} is written");
    }
    assert!(
        !site.exists("guides/starting-hard-conversations/index.html"),
        "drafts are left out"
    );
}

#[test]
fn every_page_is_reachable_by_links_from_the_home_page() {
    let site = SiteTest::example();
    site.build(&[]);
    let mut seen = std::collections::BTreeSet::from(["index.html".to_string()]);
    let mut queue = vec!["index.html".to_string()];
    while let Some(page) = queue.pop() {
        for href in hrefs(&site.read(&page)) {
            let Some(path) = href.strip_prefix('/') else {
                continue;
            };
            let path = path.split('#').next().unwrap();
            if !(path.is_empty() || path.ends_with('/')) {
                continue;
            }
            let file = format!("{path}index.html");
            assert!(site.exists(&file), "{page} links to missing {href}");
            if seen.insert(file.clone()) {
                queue.push(file);
            }
        }
    }
    let unreachable: Vec<String> = site
        .html_files()
        .into_iter()
        .filter(|f| f != "404.html" && !seen.contains(f))
        .collect();
    assert!(
        unreachable.is_empty(),
        "not linked from anywhere: {unreachable:?}"
    );
}

#[test]
fn sub_path_base_url_leaves_no_root_relative_link() {
    let site = SiteTest::example();
    site.build(&["--base-url", "https://hearth.test/guide/"]);
    let mut checked = 0;
    for file in site.html_files() {
        let html = site.read(&file);
        for href in hrefs(&html) {
            if href.starts_with('/') {
                assert!(
                    href.starts_with("/guide/"),
                    "{file}: {href} ignores the sub-path"
                );
            }
            checked += 1;
        }
        assert!(
            html.contains("href=\"https://hearth.test/guide/"),
            "{file}: canonical under the sub-path"
        );
    }
    assert!(checked > 500, "checked {checked} links");
    assert!(site
        .read("sitemap.xml")
        .contains("<loc>https://hearth.test/guide/guides/building-trust/</loc>"));
    assert!(site
        .read("robots.txt")
        .contains("Sitemap: https://hearth.test/guide/sitemap.xml"));
}

#[test]
fn front_matter_values_are_html_escaped() {
    let site = SiteTest::fixture("escaping");
    site.build(&[]);
    for page in [
        "guides/tricky/index.html",
        "guides/index.html",
        "index.html",
        "topics/i-topic-i/index.html",
    ] {
        let html = site.read(page);
        assert!(
            !html.contains("<script>alert"),
            "{page} has a raw script tag"
        );
        assert!(!html.contains("<img src=x"), "{page} has a raw img tag");
        assert!(!html.contains("<i>Topic</i>"), "{page} has a raw topic tag");
    }
    let guide = site.read("guides/tricky/index.html");
    assert!(
        guide
            .contains("<h1>&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; &amp; Friends</h1>"),
        "{}",
        main_of(&guide)
    );
    assert!(
        guide.contains("content=\"Says &quot;hi&quot; &lt;b&gt;loudly&lt;/b&gt;\""),
        "meta description escaped"
    );
    let feed = site.read("atom.xml");
    assert!(feed.contains("<title>&lt;script&gt;"), "feed escaped");
}

/// Builds an invalid fixture over a previous good output and checks the
/// error text, the exit code, and that the old output is untouched.
fn assert_build_fails(fixture: &str, expected: &str) {
    let site = SiteTest::fixture(&format!("invalid/{fixture}"));
    site.write("public/.hearth-output", "")
        .write("public/index.html", "previous build");
    let run = site.hearth(&["build"]);
    assert_eq!(run.code, 1, "exit code; stderr: {}", run.stderr);
    assert!(
        run.stderr.contains(expected),
        "expected\n  {expected}\nin\n{}",
        run.stderr
    );
    assert!(run.stderr.contains("the previous output is unchanged"));
    assert_eq!(
        site.read("index.html"),
        "previous build",
        "previous output kept"
    );
}

#[test]
fn bad_yaml_names_file_and_line() {
    assert_build_fails(
        "bad-yaml",
        "error: content/guides/broken.md:4:12: the `[` opened on line 3 is not closed (did not find expected ',' or ']', while parsing a flow sequence) — close it with `]` at the end of line 3",
    );
}

#[test]
fn wrong_type_names_the_key() {
    assert_build_fails(
        "wrong-type",
        "error: content/guides/trust.md:3:9: topics: expected a list of names or one name, found a mapping",
    );
}

#[test]
fn missing_title_is_an_error() {
    assert_build_fails(
        "missing-title",
        "error: content/guides/untitled.md:1: missing field `title` — add `title: …` to the front matter",
    );
}

#[test]
fn duplicate_day_names_both_places() {
    assert_build_fails(
        "duplicate-day",
        "error: content/journeys/twice/day-01.md:1: day 1 is defined twice — it is also defined at content/journeys/twice/journey.md:5",
    );
}

#[test]
fn day_outside_the_plan_is_an_error() {
    assert_build_fails(
        "day-outside-plan",
        "error: content/journeys/short.md:19: day 8 is in week 2, which the journey plan does not have",
    );
}

#[test]
fn unknown_config_key_suggests_the_nearest() {
    assert_build_fails(
        "unknown-config-key",
        "error: site.toml:6:1: unknown key `papr_size` — did you mean `paper`?",
    );
}

#[test]
fn output_dir_that_is_the_site_root_is_refused() {
    let site = SiteTest::fixture("invalid/output-is-root");
    let run = site.hearth(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("it is the site folder itself"),
        "{}",
        run.stderr
    );
    assert!(
        site.root().join("content/guides/fine.md").exists(),
        "nothing deleted"
    );
    assert!(site.root().join("site.toml").exists(), "nothing deleted");
}

#[test]
fn every_error_of_a_build_is_reported() {
    let site = SiteTest::fixture("invalid/wrong-type");
    site.write(
        "content/guides/second.md",
        "---\ndescription: no title\n---\n",
    )
    .write(
        "content/guides/third.md",
        "---\ntitle: Fine\ndate: 14/03/2026\n---\n",
    );
    let run = site.hearth(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("trust.md:3:9"), "{}", run.stderr);
    assert!(
        run.stderr.contains("second.md:1: missing field `title`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("third.md:3: date: `14/03/2026` is not a date"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("build failed with 3 errors"),
        "{}",
        run.stderr
    );
}

#[test]
fn usage_errors_exit_with_code_2() {
    let site = SiteTest::fixture("escaping");
    let run = site.hearth(&["build", "--no-such-flag"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn build_ends_with_one_summary_line() {
    let site = SiteTest::fixture("journey-folder");
    let run = site.build(&[]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stdout);
    assert!(lines[0].starts_with("hearth: wrote "), "{}", lines[0]);
    assert!(
        lines[0].contains(" pages ") && lines[0].contains("0 warnings") && lines[0].ends_with(" s"),
        "{}",
        lines[0]
    );
}

#[test]
fn new_scaffolds_a_site_that_builds_and_checks_clean() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("my-site");
    let created = std::process::Command::new(env!("CARGO_BIN_EXE_hearth"))
        .arg("new")
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    // The placeholder base_url is the one thing to change before publishing.
    let placeholder = std::process::Command::new(env!("CARGO_BIN_EXE_hearth"))
        .args(["build", "--root"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(placeholder.status.success());
    assert_eq!(
        String::from_utf8_lossy(&placeholder.stderr),
        "warning: site.toml:4: base_url `https://example.org/` is a placeholder: canonical links, the sitemap, the feed and every worksheet footer would carry it — set base_url to the address the site will be published at (or build with --base-url)\n"
    );
    let config = std::fs::read_to_string(dir.join("site.toml")).unwrap();
    std::fs::write(
        dir.join("site.toml"),
        config.replace("https://example.org/", "https://our-guides.test/"),
    )
    .unwrap();
    for args in [vec!["check"], vec!["build"]] {
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_hearth"))
            .args(&args)
            .arg("--root")
            .arg(&dir)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        assert!(
            run.stderr.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
    }
    assert!(dir
        .join("public/journeys/first-steps/day-2/index.html")
        .exists());
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_hearth"))
        .arg("new")
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(
        again.status.code(),
        Some(1),
        "refuses a folder that is not empty"
    );
}

#[test]
fn a_draft_folder_journey_is_left_out_with_its_day_files() {
    let site = SiteTest::fixture("journey-folder");
    let journey =
        std::fs::read_to_string(site.root().join("content/journeys/calm/journey.md")).unwrap();
    site.write(
        "content/journeys/calm/journey.md",
        &journey.replacen("title:", "draft: true\ntitle:", 1),
    );
    let run = site.build(&[]);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert!(!site.exists("journeys/calm/index.html"));
    site.build(&["--drafts"]);
    assert!(
        site.exists("journeys/calm/day-3/index.html"),
        "--drafts builds it with its days"
    );
}

#[test]
fn a_stray_file_in_a_journey_folder_is_a_warning() {
    let site = SiteTest::fixture("journey-folder");
    site.write("content/journeys/calm/Day5.md", "---\nday: 5\n---\n");
    let run = site.build(&[]);
    assert!(
        run.stderr.contains("warning: content/journeys/calm/Day5.md: this file is not read: a journey folder holds journey.md and day-NN.md files — name a day's file day-NN.md"),
        "{}",
        run.stderr
    );
}

#[test]
fn aliases_redirect_and_never_replace_a_page() {
    let site = SiteTest::fixture("escaping");
    site.write(
        "content/guides/kind.md",
        "---\ntitle: Kind Words\ntopics: [Care]\naliases: [\"/old/kind/\", \"/old/kind.html\"]\n---\n\nText.\n",
    );
    site.build(&[]);
    let redirect = site.read("old/kind/index.html");
    assert!(redirect
        .contains("http-equiv=\"refresh\" content=\"0; url=https://hearth.test/guides/kind/\""));
    assert!(site
        .read("old/kind.html")
        .contains("url=https://hearth.test/guides/kind/"));

    site.write(
        "content/guides/kind.md",
        "---\ntitle: Kind Words\ntopics: [Care]\naliases: [\"/topics/care/\"]\n---\n\nText.\n",
    );
    let run = site.hearth(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("error: content/guides/kind.md:4: aliases: `/topics/care/` is the URL of a page of the site"),
        "{}",
        run.stderr
    );
    for bad in ["http://evil.com/", "/robots.txt", "/x\\\"><b>/"] {
        site.write(
            "content/guides/kind.md",
            &format!("---\ntitle: Kind Words\naliases: [\"{bad}\"]\n---\n"),
        );
        let run = site.hearth(&["build"]);
        assert_eq!(run.code, 1, "{bad}");
        assert!(
            run.stderr.contains("is not a page path of this site"),
            "{bad}: {}",
            run.stderr
        );
    }
}

#[test]
fn content_heading_ids_never_clash_with_the_theme() {
    let site = SiteTest::fixture("escaping");
    site.write(
        "content/guides/ids.md",
        "---\ntitle: Ids\ntopics: [\"<i>Topic</i>\"]\n---\n\n## Main\n\n## Main content\n\n## Related guides title\n\nRead more: tricky\n",
    );
    site.build(&[]);
    let html = site.read("guides/ids/index.html");
    let ids: Vec<&str> = html
        .split(" id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "duplicate ids: {ids:?}");
    assert!(html.contains("href=\"#main_content\""), "skip link target");
}

#[test]
fn sitemap_urls_are_percent_encoded() {
    let site = SiteTest::fixture("escaping");
    site.write(
        "content/guides/ecoute.md",
        "---\ntitle: Écoute\ntopics: [Écoute]\n---\n",
    );
    site.build(&[]);
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://hearth.test/topics/%C3%A9coute/</loc>"),
        "{sitemap}"
    );
    assert!(sitemap.is_ascii());
}

#[test]
fn a_static_file_a_page_replaces_is_a_warning() {
    let site = SiteTest::fixture("escaping");
    site.write("static/guides/tricky/index.html", "mine")
        .write("static/logo.txt", "logo");
    let run = site.build(&[]);
    assert!(
        run.stderr.contains("warning: static/guides/tricky/index.html: hearth writes /guides/tricky/index.html itself, so this file is not copied"),
        "{}",
        run.stderr
    );
    assert_ne!(site.read("guides/tricky/index.html"), "mine");
    assert_eq!(
        site.read("logo.txt"),
        "logo",
        "other static files are copied"
    );
}
