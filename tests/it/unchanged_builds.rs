//! Builds over a previous output: pages whose fingerprint and file are the
//! ones the previous build recorded (`.public.hearth-pages`) are not
//! rendered, and the output is still exactly what a fresh build makes.

use crate::hardening::snapshot;
use crate::support::{copy_dir, SiteTest};
use std::path::Path;

/// The files of the site's output that differ from a fresh build of the
/// same sources in another folder (or are only in one of the two).
fn differences_from_a_fresh_build(site: &SiteTest) -> Vec<std::path::PathBuf> {
    let built = snapshot(&site.root().join("public"));
    let fresh = fresh_build(site);
    let paths: std::collections::BTreeSet<_> = built.keys().chain(fresh.keys()).collect();
    paths
        .into_iter()
        .filter(|path| built.get(*path) != fresh.get(*path))
        .cloned()
        .collect()
}

/// The output of a fresh build of the same site, in another folder.
fn fresh_build(site: &SiteTest) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    let copy = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(site.root()).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "public" || name.to_string_lossy().starts_with(".public") {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &copy.path().join(&name));
        } else {
            std::fs::copy(entry.path(), copy.path().join(&name)).unwrap();
        }
    }
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_hearth"))
        .args(["build", "--root"])
        .arg(copy.path())
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    snapshot(&copy.path().join("public"))
}

fn inode(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).unwrap().ino()
}

/// `N pages not re-rendered` from a build's summary line (0 if absent).
fn not_rerendered(stdout: &str) -> usize {
    stdout
        .split_once(" pages not re-rendered")
        .map_or(0, |(before, _)| {
            before.rsplit(' ').next().unwrap().parse().unwrap()
        })
}

/// The number of HTML pages a build's summary line says it wrote.
fn pages(stdout: &str) -> usize {
    let after = stdout.split("wrote ").nth(1).unwrap();
    after.split(' ').next().unwrap().parse().unwrap()
}

#[test]
fn a_build_with_nothing_changed_renders_no_page_and_leaves_every_file() {
    let site = SiteTest::example();
    let first = site.build(&[]);
    assert_eq!(not_rerendered(&first.stdout), 0, "{}", first.stdout);
    let page = site.root().join("public/guides/building-trust/index.html");
    let before = inode(&page);
    let again = site.build(&[]);
    assert_eq!(
        not_rerendered(&again.stdout),
        pages(&again.stdout),
        "{}",
        again.stdout
    );
    assert_eq!(inode(&page), before);
    assert_eq!(
        differences_from_a_fresh_build(&site),
        Vec::<std::path::PathBuf>::new()
    );
}

#[test]
fn an_output_file_changed_by_hand_is_rendered_again_and_put_right() {
    let site = SiteTest::example();
    site.build(&[]);
    let page = site.root().join("public/guides/building-trust/index.html");
    let original = std::fs::read(&page).unwrap();
    // Same length, other bytes: only the file's time and inode can tell.
    let mut edited = original.clone();
    edited[0] = b'X';
    std::fs::write(&page, &edited).unwrap();
    std::fs::remove_file(site.root().join("public/guides/index.html")).unwrap();
    site.build(&[]);
    assert_eq!(std::fs::read(&page).unwrap(), original);
    assert!(site.exists("guides/index.html"));
    assert_eq!(
        differences_from_a_fresh_build(&site),
        Vec::<std::path::PathBuf>::new()
    );
}

#[test]
fn a_search_index_file_changed_or_removed_by_hand_is_made_again() {
    let site = SiteTest::example();
    site.build(&[]);
    let meta = site.root().join("public/search/meta.json");
    let mut edited = std::fs::read(&meta).unwrap();
    edited[1] = b'X';
    std::fs::write(&meta, &edited).unwrap();
    std::fs::remove_file(site.root().join("public/search/docs/0.json")).unwrap();
    site.build(&[]);
    assert!(site.exists("search/docs/0.json"));
    assert_eq!(
        differences_from_a_fresh_build(&site),
        Vec::<std::path::PathBuf>::new()
    );
}

/// What an edit is, and how to make it.
type Edit<'a> = (&'static str, Box<dyn Fn(&SiteTest) + 'a>);

#[test]
fn edits_between_builds_give_the_output_of_a_fresh_build() {
    let site = SiteTest::example();
    site.build(&[]);
    let trust = "content/guides/building-trust.md";
    let text = std::fs::read_to_string(site.root().join(trust)).unwrap();
    let edits: [Edit<'_>; 6] = [
        (
            "a guide's title, shown on lists, topics and related cards",
            Box::new(|site: &SiteTest| {
                site.write(
                    trust,
                    &text.replace("How to Build Trust in a Relationship", "Trust, Rebuilt"),
                );
            }),
        ),
        (
            "a guide's body",
            Box::new(|site: &SiteTest| {
                site.write(trust, &format!("{text}\nOne more closing line.\n"));
            }),
        ),
        (
            "a template",
            Box::new(|site: &SiteTest| {
                let base = site.root().join("themes/default/templates/base.html");
                let html = std::fs::read_to_string(&base).unwrap();
                site.write(
                    "themes/default/templates/base.html",
                    &html.replace("Skip to main content", "Skip to the content"),
                );
            }),
        ),
        (
            "site.toml",
            Box::new(|site: &SiteTest| {
                let config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
                site.write(
                    "site.toml",
                    &config.replace("title = \"Hearth Guides\"", "title = \"Hearth Notes\""),
                );
            }),
        ),
        (
            // Regression: worksheet fingerprints did not include how
            // questions get their writing space, so this left stale sheets.
            "worksheets.question_space",
            Box::new(|site: &SiteTest| {
                let config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
                site.write(
                    "site.toml",
                    &config.replace(
                        "[worksheets]\n",
                        "[worksheets]\nquestion_space = \"shared\"\n",
                    ),
                );
            }),
        ),
        (
            "a removed guide",
            Box::new(|site: &SiteTest| {
                std::fs::remove_file(site.root().join(trust)).unwrap();
            }),
        ),
    ];
    for (what, edit) in &edits {
        edit(&site);
        let run = site.hearth(&["build"]);
        if run.code != 0 {
            panic!("{what}: {}{}", run.stdout, run.stderr);
        }
        assert_eq!(
            differences_from_a_fresh_build(&site),
            Vec::<std::path::PathBuf>::new(),
            "after {what}"
        );
    }
}

/// Regression: with fingerprints made from bytes that keep no kinds
/// (postcard), a front-matter value changed to another kind with the same
/// bytes — `mood: ""` to `mood: false`, both a zero byte — left the page
/// as it was, though the template shows `false` now.
#[test]
fn a_front_matter_value_changed_to_another_kind_renders_the_page_again() {
    let site = SiteTest::example();
    let template = "themes/default/templates/guide.html";
    let html = std::fs::read_to_string(site.root().join(template)).unwrap();
    site.write(
        template,
        &html.replace(
            "<h1>{{ guide.title }}</h1>",
            "<h1>{{ guide.title }}</h1><p class=\"mood\">mood: {{ guide.extra.mood | default(value=\"none\") }}</p>",
        ),
    );
    let trust = "content/guides/building-trust.md";
    let text = std::fs::read_to_string(site.root().join(trust)).unwrap();
    let with_mood = |mood: &str| text.replacen("---\n", &format!("---\nmood: {mood}\n"), 1);
    site.write(trust, &with_mood("\"\""));
    site.build(&[]);
    let page = "guides/building-trust/index.html";
    assert!(
        site.read(page).contains("mood: </p>"),
        "{}",
        site.read(page)
    );
    for (mood, shown) in [("false", "mood: false</p>"), ("[]", "mood: []</p>")] {
        site.write(trust, &with_mood(mood));
        site.build(&[]);
        assert!(site.read(page).contains(shown), "mood: {mood}");
        assert_eq!(
            differences_from_a_fresh_build(&site),
            Vec::<std::path::PathBuf>::new(),
            "after mood: {mood}"
        );
    }
}
