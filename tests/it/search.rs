//! The search page, the header's search box and the index files under
//! `search/` (stems, folded words, shards, documents, topics and journeys).

use crate::support::SiteTest;

fn built(args: &[&str]) -> SiteTest {
    let site = SiteTest::fixture("search");
    site.build(args);
    site
}

fn json(site: &SiteTest, path: &str) -> serde_json::Value {
    serde_json::from_str(&site.read(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every document record of the index, in document order.
fn records(site: &SiteTest) -> Vec<serde_json::Value> {
    let meta = json(site, "search/meta.json");
    let (docs, chunk) = (
        meta["docs"].as_u64().unwrap(),
        meta["chunk"].as_u64().unwrap(),
    );
    (0..docs.div_ceil(chunk))
        .flat_map(|n| {
            json(site, &format!("search/docs/{n}.json"))
                .as_array()
                .unwrap()
                .clone()
        })
        .collect()
}

#[test]
fn reply_and_replying_are_one_stem_in_the_re_shard() {
    let site = built(&[]);
    let terms = json(&site, "search/terms/re.json");
    let words = terms["repli"]["w"].as_array().expect("the stem `repli`");
    let words: Vec<&str> = words.iter().map(|w| w.as_str().unwrap()).collect();
    assert_eq!(words, ["replies", "reply", "replying"]);
    // "Replies" is in a guide's title, "reply" in a day's title.
    assert!(terms["repli"]["t"].as_str().unwrap().starts_with('L'));
}

#[test]
fn accents_are_folded_so_cafe_finds_cafe() {
    let site = built(&[]);
    let terms = json(&site, "search/terms/ca.json");
    assert!(terms.get("cafe").is_some(), "{terms}");
    assert!(!site.read("search/terms/ca.json").contains("café"));
}

#[test]
fn documents_are_guides_pages_then_each_journeys_weeks_with_their_days() {
    let site = built(&[]);
    let kinds: Vec<(String, String, String)> = records(&site)
        .iter()
        .map(|r| {
            (
                r[0].as_str().unwrap().to_string(),
                r[2].as_str().unwrap().to_string(),
                r[3].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let titles: Vec<&str> = kinds.iter().map(|k| k.0.as_str()).collect();
    assert_eq!(&titles[..2], ["Kind Replies", "A Café Morning"]);
    assert_eq!(
        &titles[3..],
        [
            "About Us",
            "Week 1: Starting",
            "Day 1: First Reply",
            "Week 2: Going On",
            "Day 2: Quiet Evening"
        ]
    );
    assert_eq!(
        kinds[5],
        (
            "Day 1: First Reply".into(),
            "day".into(),
            "Calm Week › Week 1".into()
        )
    );
    let meta = json(&site, "search/meta.json");
    let journey = &meta["journeys"][0];
    assert_eq!(journey["title"], "Calm Week");
    assert_eq!(
        (journey["start"].as_u64(), journey["end"].as_u64()),
        (Some(4), Some(8))
    );
    assert_eq!(journey["weeks"], serde_json::json!([[1, 4, 6], [2, 6, 8]]));
    assert_eq!(meta["topics"], serde_json::json!(["Rituals", "Talking"]));
}

#[test]
fn the_search_page_and_header_box_point_under_the_base_path() {
    let site = built(&["--base-url", "https://example.org/sub/"]);
    let page = site.read("search/index.html");
    assert!(page.contains("action=\"/sub/search/\""), "{page}");
    assert!(page.contains("data-index=\"/sub/search/\""));
    assert!(page.contains("src=\"/sub/search.js\""));
    assert!(site.exists("search.js"), "the theme's script is copied");
    let home = site.read("index.html");
    assert!(home.contains(
        "<form class=\"site-search\" role=\"search\" action=\"/sub/search/\" method=\"get\">"
    ));
    let urls: Vec<String> = records(&site)
        .iter()
        .map(|r| r[1].as_str().unwrap().to_string())
        .collect();
    assert!(urls.iter().all(|u| u.starts_with("/sub/")), "{urls:?}");
    // Without JavaScript the page is the topic index.
    assert!(page.contains("href=\"/sub/topics/talking/\""));
}

#[test]
fn markup_in_a_title_stays_text_in_the_index() {
    let site = built(&[]);
    let docs = site.read("search/docs/0.json");
    assert!(
        docs.contains(r#""Quotes \"><img src=x onerror=alert(1)> and <b>tags</b>""#),
        "{docs}"
    );
}

#[test]
fn search_can_be_turned_off() {
    let site = SiteTest::fixture("search");
    let config = site.root().join("site.toml");
    let text = std::fs::read_to_string(&config).unwrap() + "\n[search]\nenabled = false\n";
    site.write("site.toml", &text);
    site.build(&[]);
    assert!(!site.exists("search/index.html"));
    assert!(!site.exists("search/meta.json"));
    assert!(!site.read("index.html").contains("site-search"));
}

#[test]
fn include_chooses_the_kinds_indexed_and_body_false_keeps_titles_only() {
    let site = SiteTest::fixture("search");
    let config = site.root().join("site.toml");
    let text = std::fs::read_to_string(&config).unwrap()
        + "\n[search]\ninclude = [\"guides\"]\nbody = false\n";
    site.write("site.toml", &text);
    site.build(&[]);
    assert_eq!(json(&site, "search/meta.json")["docs"], 3);
    assert!(
        json(&site, "search/terms/ca.json").get("cafe").is_some(),
        "a title word"
    );
    assert!(
        !site.exists("search/terms/br.json"),
        "`breakfast` is only in a description"
    );
}

#[test]
fn an_unknown_kind_in_include_is_an_error_with_the_nearest() {
    let site = SiteTest::fixture("invalid/search-include");
    let run = site.hearth(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "site.toml:5: search.include: `dayz` is not a kind of page — did you mean `days`?"
        ),
        "{}",
        run.stderr
    );
}

/// The entry of `stem` in the served index's `shard`, if there is one.
fn served_term(output: &std::path::Path, shard: &str, stem: &str) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(output.join(format!("search/terms/{shard}.json"))).ok()?;
    let terms: serde_json::Value = serde_json::from_str(&text).unwrap();
    terms.get(stem).cloned()
}

#[test]
fn serve_brings_the_index_up_to_date_after_an_edit() {
    let site = SiteTest::fixture("search");
    let server = site.serve();
    let reports = server.subscribe_reports();
    let output = server.output_dir().to_path_buf();
    assert!(
        served_term(&output, "ca", "cafe").is_some(),
        "the first build writes the index"
    );
    assert!(served_term(&output, "pi", "picnic").is_none());
    let guide = site.root().join("content/guides/cafe.md");
    let text = std::fs::read_to_string(&guide).unwrap();
    std::fs::write(&guide, text.replace("A Café Morning", "A Café Picnic")).unwrap();
    let report = reports
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("a rebuild");
    assert!(!report.failed(), "{}", report.diagnostics.report());
    assert!(
        report
            .rendered
            .iter()
            .all(|path| !path.starts_with("search/terms/")),
        "index files are not rendered with the pages: {:?}",
        report.rendered
    );
    server.wait_for_search_index();
    let picnic = served_term(&output, "pi", "picnic").expect("the new title word is indexed");
    assert!(picnic["t"].as_str().unwrap().starts_with('L'), "{picnic}");
    let docs = std::fs::read_to_string(output.join("search/docs/0.json")).unwrap();
    assert!(docs.contains("A Café Picnic"), "{docs}");
    server.stop();
}

const SHADOW_WARNING: &str = "warning: static/search/meta.json: /search/meta.json is part of the search index hearth writes, so this file is not copied";

/// Static files under `search/` for the shadow tests: two at index paths
/// (one the index writes, one in its folder it does not), one beside it.
fn with_static_files_at_index_paths(site: &SiteTest) {
    site.write("static/search/meta.json", "mine")
        .write("static/search/terms/zz.json", "{\"zzz\": 1}")
        .write("static/search/notes.txt", "notes");
}

/// Regression: a file in `static/` at a search index path was silently
/// replaced by the index in `build`, never named by `check`, and under
/// `serve` a static copy made before the index was written could replace it.
#[test]
fn a_static_file_at_a_search_index_path_is_warned_about_and_the_index_wins() {
    let site = SiteTest::fixture("search");
    with_static_files_at_index_paths(&site);
    let run = site.build(&[]);
    assert!(run.stderr.contains(SHADOW_WARNING), "{}", run.stderr);
    assert!(
        run.stderr.contains("warning: static/search/terms/zz.json: /search/terms/zz.json is part of the search index"),
        "{}",
        run.stderr
    );
    assert!(json(&site, "search/meta.json")["docs"].as_u64().unwrap() > 0);
    assert!(
        !site.exists("search/terms/zz.json"),
        "the index's folder holds only the index"
    );
    assert_eq!(
        site.read("search/notes.txt"),
        "notes",
        "other static files are copied"
    );

    // `check` is strict: the same message, as an error.
    let check = site.hearth(&["check"]);
    let message = SHADOW_WARNING.trim_start_matches("warning: ");
    assert!(check.stderr.contains(message), "{}", check.stderr);
}

#[test]
fn serve_warns_about_a_static_file_at_a_search_index_path_and_never_copies_it() {
    let site = SiteTest::fixture("search");
    with_static_files_at_index_paths(&site);
    let server = site.serve();
    let first = server.first_report().diagnostics.report();
    assert!(
        first.contains("static/search/meta.json: /search/meta.json is part of the search index"),
        "{first}"
    );
    let reports = server.subscribe_reports();
    let output = server.output_dir().to_path_buf();
    let read = |path: &str| std::fs::read_to_string(output.join(path)).unwrap_or_default();
    server.wait_for_search_index();
    assert!(read("search/meta.json").starts_with('{'));
    // Saved again while serving: still not copied, still named; the file
    // beside them is.
    site.write("static/search/meta.json", "mine, again")
        .write("static/search/terms/zz.json", "{\"zzz\": 2}")
        .write("static/search/notes.txt", "notes, again");
    let report = reports
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("a rebuild");
    assert!(!report.failed(), "{}", report.diagnostics.report());
    server.wait_for_search_index();
    assert!(
        read("search/meta.json").starts_with('{'),
        "{}",
        read("search/meta.json")
    );
    assert!(!output.join("search/terms/zz.json").exists());
    assert_eq!(report.copied, ["search/notes.txt"]);
    assert_eq!(read("search/notes.txt"), "notes, again");
    server.stop();
}
