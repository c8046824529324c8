//! Regression tests for issue 10's reproductions: inputs that aborted
//! hearth, damaged the output without a word, or were skipped silently.
//! Each test is named after the reproduction it guards.

use crate::support::{Run, SiteTest};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The hardening fixture, built once so a later failed build can be
/// compared with it.
fn built_site() -> SiteTest {
    let site = SiteTest::fixture("hardening");
    site.build(&[]);
    site
}

/// Every file under `dir` with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let bytes = std::fs::read(e.path()).unwrap();
            (e.path().strip_prefix(dir).unwrap().to_path_buf(), bytes)
        })
        .collect()
}

/// Runs `hearth build`, expects it to fail with `expected` in its output,
/// and the previous output to be byte-identical.
fn assert_build_fails(site: &SiteTest, expected: &str) -> Run {
    let before = snapshot(&site.root().join("public"));
    let run = site.hearth(&["build"]);
    let output = format!("{}{}", run.stdout, run.stderr);
    assert_eq!(run.code, 1, "{output}");
    assert!(
        output.contains(expected),
        "expected {expected:?} in:\n{output}"
    );
    assert_eq!(
        snapshot(&site.root().join("public")),
        before,
        "a failed build changed the output"
    );
    run
}

/// Runs `hearth check` and expects it to fail with `expected`.
fn assert_check_fails(site: &SiteTest, expected: &str) {
    let run = site.hearth(&["check"]);
    let output = format!("{}{}", run.stdout, run.stderr);
    assert_eq!(run.code, 1, "{output}");
    assert!(
        output.contains(expected),
        "expected {expected:?} in:\n{output}"
    );
}

const GUIDE: &str = "---\ntitle: A Guide\n---\n\nText.\n";

#[test]
fn template_including_itself_is_an_error_naming_it() {
    let site = built_site();
    site.write("templates/page.html", "<p>\n{% include \"page.html\" %}\n");
    let expected = "templates/page.html:2: template recursion: page.html includes page.html";
    assert_build_fails(&site, expected);
    assert_check_fails(&site, expected);
}

#[test]
fn include_cycle_a_b_is_an_error_naming_both() {
    let site = built_site();
    site.write("templates/a.html", "{% include \"b.html\" %}")
        .write("templates/b.html", "{% include \"a.html\" %}")
        .write("templates/page.html", "{% include \"a.html\" %}");
    assert_build_fails(
        &site,
        "templates/a.html:1: template recursion: a.html includes b.html, which includes a.html",
    );
}

#[test]
fn macro_calling_itself_is_an_error() {
    let site = built_site();
    site.write(
        "templates/loop.html",
        "{% macro again() %}\n{{ self::again() }}\n{% endmacro again %}",
    )
    .write(
        "templates/page.html",
        "{% import \"loop.html\" as l %}{{ l::again() }}",
    );
    assert_build_fails(
        &site,
        "templates/loop.html:2: template recursion: macro `again` of loop.html calls macro `again` of loop.html",
    );
}

#[test]
fn day_4294967295_in_a_journey_without_a_plan_is_an_error_with_the_limit() {
    let site = built_site();
    site.write(
        "content/journeys/long/journey.md",
        "---\ntitle: Long\n---\n\nIntro.\n",
    )
    .write(
        "content/journeys/long/day-01.md",
        "---\ntitle: Far\nday: 4294967295\n---\n\nText.\n",
    );
    assert_build_fails(
        &site,
        "content/journeys/long/day-01.md:3: day 4294967295 is out of range: it must be between 1 and 3650",
    );
}

#[test]
fn day_1000000_inline_is_an_error_not_142945_pages() {
    let site = built_site();
    site.write(
        "content/journeys/long.md",
        "---\ntitle: Long\n---\n\nIntro.\n\n## Day 1000000: Far\n\nText.\n",
    );
    assert_build_fails(
        &site,
        "content/journeys/long.md:7: day 1000000 is out of range: it must be between 1 and 3650",
    );
}

#[test]
fn week_and_days_per_week_beyond_their_limits() {
    let site = built_site();
    site.write(
        "content/journeys/long/journey.md",
        "---\ntitle: Long\ndays_per_week: 40\n---\n\nIntro.\n",
    );
    assert_build_fails(
        &site,
        "content/journeys/long/journey.md:3: days_per_week 40 is out of range: it must be between 1 and 31",
    );
    site.write(
        "content/journeys/long/journey.md",
        "---\ntitle: Long\n---\n\n## Your Journey Plan\n\n### Week 9999: Far\n",
    );
    assert_build_fails(
        &site,
        "content/journeys/long/journey.md:7: week 9999 is out of range: it must be between 1 and 520",
    );
    site.write(
        "content/journeys/long/journey.md",
        "---\ntitle: Long\ndays_per_week: 1\n---\n\n## Day 600: Late\n\nText.\n",
    );
    assert_build_fails(
        &site,
        "content/journeys/long/journey.md:6: day 600 falls in week 600, out of range: weeks must be between 1 and 520",
    );
}

#[test]
fn related_count_10000000000_is_an_error_with_the_limit() {
    let site = built_site();
    site.write(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://hearth.test/\"\n\n[related]\ncount = 10000000000\n",
    );
    assert_build_fails(
        &site,
        "site.toml:5: related.count = 10000000000: it must be between 0 and 50",
    );
}

#[test]
fn empty_slug_does_not_replace_the_guide_list() {
    let site = built_site();
    site.write(
        "content/guides/empty.md",
        "---\ntitle: Empty\nslug: \"\"\n---\n\nText.\n",
    );
    assert_build_fails(
        &site,
        "content/guides/empty.md:3: slug: `` has no letter or digit",
    );
    assert!(site.read("guides/index.html").contains("Kind Words"));
}

#[test]
fn file_named_bang_bang_bang_md_is_an_error_naming_it() {
    let site = built_site();
    site.write("content/guides/!!!.md", GUIDE);
    assert_build_fails(
        &site,
        "content/guides/!!!.md:1: the file name has no letter or digit",
    );
}

#[test]
fn slug_of_only_dots_on_a_page_names_the_source_in_build_and_check() {
    for slug in [".", "..", "...", "./.."] {
        let site = built_site();
        site.write(
            "content/dots.md",
            &format!("---\ntitle: Dots\nslug: \"{slug}\"\n---\n\nText.\n"),
        );
        let expected = format!("content/dots.md:3: slug: `{slug}` has no letter or digit");
        assert_build_fails(&site, &expected);
        assert_check_fails(&site, &expected);
    }
}

#[test]
fn journey_folder_named_only_punctuation_is_an_error() {
    let site = built_site();
    site.write(
        "content/journeys/___/journey.md",
        "---\ntitle: Nameless\n---\n\nIntro.\n",
    );
    assert_build_fails(
        &site,
        "content/journeys/___/journey.md:1: the file name has no letter or digit",
    );
}

/// The `output_dir` values `build` refuses; `check` must refuse each too.
pub const REFUSED_OUTPUT_DIRS: &[&str] = &[
    "",
    ".",
    "./",
    "..",
    "../..",
    "/",
    "content",
    "content/guides",
    "templates",
    "static",
    "themes",
    "themes/default/static",
    "site.toml",
    "site.toml/public",
    "content/about.md",
    "mine",
];

#[test]
fn check_refuses_every_output_dir_build_refuses() {
    for output in REFUSED_OUTPUT_DIRS {
        let site = built_site();
        site.write("mine/notes.txt", "my own notes")
            .write("static/logo.txt", "logo")
            .write("templates/extra.html", "x");
        site.write(
            "site.toml",
            &format!(
                "title = \"T\"\nbase_url = \"https://hearth.test/\"\n[build]\noutput_dir = {output:?}\n"
            ),
        );
        let before = snapshot(site.root());
        let build = site.hearth(&["build"]);
        assert_eq!(
            build.code, 1,
            "build {output:?}: {}{}",
            build.stdout, build.stderr
        );
        assert!(
            build.stderr.contains("refusing to use"),
            "{output:?}: {}",
            build.stderr
        );
        let check = site.hearth(&["check"]);
        assert_eq!(check.code, 1, "check {output:?} passed: {}", check.stdout);
        assert!(
            check.stderr.contains("refusing to use"),
            "{output:?}: {}",
            check.stderr
        );
        assert_eq!(snapshot(site.root()), before, "{output:?} changed the site");
    }
}

/// Runs hearth with a time limit: a FIFO must never block a build.
fn hearth_within(site: &SiteTest, args: &[&str], limit: Duration) -> Run {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_hearth"))
        .args(args)
        .arg("--root")
        .arg(site.root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            child.kill().unwrap();
            panic!("hearth {args:?} blocked for more than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[cfg(unix)]
#[test]
fn files_skipped_without_a_word_are_each_named_in_a_warning() {
    use std::os::unix::ffi::OsStrExt;
    let site = built_site();
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.md");
    std::fs::write(
        &secret,
        "---\ntitle: SECRET OUTSIDE\n---\n\nSECRET OUTSIDE\n",
    )
    .unwrap();
    let guides = site.root().join("content/guides");
    std::os::unix::fs::symlink(&secret, guides.join("leak.md")).unwrap();
    std::os::unix::fs::symlink(guides.join("kind-words.md"), guides.join("twin.md")).unwrap();
    std::os::unix::fs::symlink(guides.join("gone.md"), guides.join("dangling.md")).unwrap();
    std::os::unix::fs::symlink(outside.path(), guides.join("elsewhere")).unwrap();
    let non_utf8 = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
    std::fs::write(guides.join(non_utf8), GUIDE).unwrap();
    make_fifo(&guides.join("pipe.md"));
    std::fs::create_dir_all(guides.join("folder.md")).unwrap();

    let run = hearth_within(&site, &["build"], Duration::from_secs(20));
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_warns(
        &run,
        &[
            "warning: content/guides/leak.md: not read: it is a symbolic link to",
            "warning: content/guides/twin.md: not read: it is a symbolic link to",
            "warning: content/guides/dangling.md: not read: it is a dangling symbolic link",
            "warning: content/guides/elsewhere: not read: it is a symbolic link to a folder",
            "warning: content/guides/caf\u{fffd}.md: not read: its name is not valid UTF-8",
            "warning: content/guides/pipe.md: not read: it is not a regular file",
            "warning: content/guides/folder.md: this folder is named like a Markdown file",
        ],
    );
    assert!(run.stdout.contains("7 warnings"), "{}", run.stdout);
    assert_no_page_shows(&site, "SECRET OUTSIDE");
    let check = hearth_within(&site, &["check"], Duration::from_secs(20));
    assert_eq!(check.code, 1, "{}", check.stdout);
    assert!(check.stderr.contains("pipe.md"), "{}", check.stderr);
}

#[cfg(unix)]
#[test]
fn symlinks_and_fifos_in_static_and_templates_are_named_in_a_warning_and_never_published() {
    let site = built_site();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "SECRET OUTSIDE").unwrap();
    std::fs::write(
        outside.path().join("page.html"),
        "{% extends \"base.html\" %}{% block content %}SECRET OUTSIDE{% endblock %}",
    )
    .unwrap();
    let static_dir = site.root().join("static");
    let templates = site.root().join("templates");
    std::fs::create_dir_all(&static_dir).unwrap();
    std::fs::create_dir_all(&templates).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        static_dir.join("leak.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), static_dir.join("elsewhere")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("page.html"),
        templates.join("page.html"),
    )
    .unwrap();
    make_fifo(&static_dir.join("pipe.css"));

    let run = hearth_within(&site, &["build"], Duration::from_secs(20));
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_warns(
        &run,
        &[
            "warning: static/leak.txt: not copied: it is a symbolic link to",
            "warning: static/elsewhere: not copied: it is a symbolic link to",
            "warning: static/pipe.css: not copied: it is not a regular file",
            "warning: templates/page.html: not read: it is a symbolic link to",
        ],
    );
    assert!(!site.exists("leak.txt") && !site.exists("elsewhere/secret.txt"));
    assert_no_page_shows(&site, "SECRET OUTSIDE");
    let check = hearth_within(&site, &["check"], Duration::from_secs(20));
    assert!(
        check.stderr.contains("static/leak.txt: not copied"),
        "{}",
        check.stderr
    );
}

/// Fails unless `run` printed each of `warnings` (a start of its line).
fn assert_warns(run: &Run, warnings: &[&str]) {
    for warning in warnings {
        assert!(
            run.stderr.contains(warning),
            "missing {warning:?} in:\n{}",
            run.stderr
        );
    }
}

/// Fails if any built page of `site` contains `text`.
fn assert_no_page_shows(site: &SiteTest, text: &str) {
    for page in site.html_files() {
        assert!(!site.read(&page).contains(text), "{page} leaked {text:?}");
    }
}

#[cfg(unix)]
fn make_fifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

/// `hearth build` with extra environment variables (the swap's test hooks).
fn build_with_env(site: &SiteTest, env: &[(&str, &str)]) -> std::process::ExitStatus {
    std::process::Command::new(env!("CARGO_BIN_EXE_hearth"))
        .args(["build", "--root"])
        .arg(site.root())
        .envs(env.iter().copied())
        .stderr(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap()
}

/// The names in the site folder that start with `.public`, but for the
/// records a finished build leaves (`.public.hearth-pages`).
fn leftovers(site: &SiteTest) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".public") && name != ".public.hearth-pages")
        .collect();
    names.sort();
    names
}

#[cfg(any(target_os = "linux", target_os = "android"))]
#[test]
fn kill_between_the_two_renames_of_the_swap_leaves_public_in_place() {
    let site = built_site();
    site.write(
        "content/guides/new.md",
        "---\ntitle: Newly Added\n---\n\nText.\n",
    );
    let status = build_with_env(&site, &[("HEARTH_TEST_ABORT_AT", "after-exchange")]);
    assert!(!status.success(), "the build was to be killed");
    // The exchange happened in one step: public/ is the new output.
    assert!(site.read("guides/index.html").contains("Newly Added"));
    assert_eq!(leftovers(&site), [".public.hearth-staging"]);
    site.build(&[]);
    assert_eq!(leftovers(&site), Vec::<String>::new());
    assert!(site.read("guides/new/index.html").contains("Newly Added"));
}

#[test]
fn kill_between_the_renames_of_the_fallback_swap_is_repaired_by_the_next_build() {
    let site = built_site();
    let before = snapshot(&site.root().join("public"));
    // A change, so the build has something to swap in.
    site.write(
        "content/guides/new.md",
        "---\ntitle: Newly Added\n---\n\nText.\n",
    );
    let status = build_with_env(
        &site,
        &[
            ("HEARTH_TEST_NO_EXCHANGE", "1"),
            ("HEARTH_TEST_ABORT_AT", "between-renames"),
        ],
    );
    assert!(!status.success(), "the build was to be killed");
    assert!(!site.root().join("public").exists());
    assert_eq!(
        leftovers(&site),
        [".public.hearth-old", ".public.hearth-staging"]
    );
    // A build that then fails still puts the old output back first.
    site.write("content/guides/broken.md", "no front matter\n");
    assert_eq!(site.hearth(&["build"]).code, 1);
    assert_eq!(snapshot(&site.root().join("public")), before);
    std::fs::remove_file(site.root().join("content/guides/broken.md")).unwrap();
    std::fs::remove_file(site.root().join("content/guides/new.md")).unwrap();
    site.build(&[]);
    assert_eq!(leftovers(&site), Vec::<String>::new());
    assert_eq!(snapshot(&site.root().join("public")), before);
}

#[test]
fn user_folders_named_like_the_swap_leftovers_are_never_deleted() {
    for name in [".public.hearth-staging", ".public.hearth-old"] {
        let site = built_site();
        site.write(&format!("{name}/mine.txt"), "my notes");
        let run = site.hearth(&["build"]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(run.stderr.contains("is in the way"), "{}", run.stderr);
        let kept = std::fs::read_to_string(site.root().join(name).join("mine.txt")).unwrap();
        assert_eq!(kept, "my notes");
    }
}
