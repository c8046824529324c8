//! `hearth import`: the four plain-text seed articles, Read-more checks
//! against the site, dates and topics, overwrite rules, bad files, dry runs.

use crate::support::{main_of, repo_root, SiteTest};
use std::path::PathBuf;

/// The shared seed articles, when this checkout has them beside it (or
/// `HEARTH_SEEDS` names their folder).
fn seeds() -> Option<PathBuf> {
    let dir = std::env::var_os("HEARTH_SEEDS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/seeds"));
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("import seed test skipped: {} not found", dir.display());
        None
    }
}

/// What a seed must give: file, title, description, `##` headings, `###`
/// sub-headings, list items, Read-more lines.
const SEEDS: &[(&str, &str, &str, usize, usize, usize, usize)] = &[
    (
        "000_394d882480623b9d.txt",
        "Intimacy and Connection: Cultivating a Deeper Bond with Your Partner",
        "Cultivating a Deeper Bond in Relationships",
        9,
        0,
        0,
        0,
    ),
    (
        "001_b5a796d00a1e8603.txt",
        "Deepening Intimacy: A Path to Stronger Bonds and Lasting Love",
        "How do I define intimacy, and what steps can I take to deepen it with my partner?",
        2,
        0,
        13,
        0,
    ),
    (
        "003_931765402212d521.txt",
        "The Power of Intimacy: Cultivating Emotional Connection in Relationships",
        "Intimacy is a crucial aspect of any relationship.",
        4,
        5,
        5,
        0,
    ),
    (
        "004_5725171ad3e88d82.txt",
        "Why intimacy matters in a relationship",
        "Imagine a couple curled up together on a quiet evening.",
        5,
        21,
        4,
        4,
    ),
];

/// Runs `hearth import <args…>` (it takes no `--root`).
fn import(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_hearth"))
        .arg("import")
        .args(args)
        .output()
        .unwrap()
}

/// The text of an imported file with Markdown markers and escapes removed:
/// its title, then its description and body, so that a first sentence moved
/// to the description reads on into the rest of its paragraph.
fn visible_text(markdown: &str) -> String {
    let front: serde_yaml::Value =
        serde_yaml::from_str(markdown.split("---\n").nth(1).unwrap()).unwrap();
    let body = markdown.splitn(3, "---\n").nth(2).unwrap();
    let body: Vec<String> = body
        .lines()
        .map(|line| {
            let line = line.trim_start().trim_start_matches('#').trim_start();
            let line = line.strip_prefix("- ").unwrap_or(line);
            line.replace('\\', "")
        })
        .collect();
    format!(
        "{}\n{} {}",
        front["title"].as_str().unwrap(),
        front["description"].as_str().unwrap_or(""),
        body.join("\n").trim_start()
    )
}

#[test]
fn imports_the_four_seed_articles_into_a_site_that_builds() {
    let Some(seeds) = seeds() else { return };
    let site = SiteTest::fixture("import/site");
    let files: Vec<String> = SEEDS
        .iter()
        .map(|s| seeds.join(s.0).to_string_lossy().into_owned())
        .collect();
    let into = site.root().join("content/guides");
    let mut args: Vec<&str> = files.iter().map(String::as_str).collect();
    args.extend([
        "--into",
        into.to_str().unwrap(),
        "--topics",
        "Intimacy,Connection",
    ]);
    let output = import(&args);
    let report = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{report}{stderr}");
    for (file, title, description, headings, subheadings, items, read_more) in SEEDS {
        let line = report
            .lines()
            .find(|l| l.contains(file))
            .unwrap_or_else(|| panic!("no report for {file}:\n{report}"));
        let expected = format!(
            "headings: {headings}, sub-headings: {subheadings}, lists: {}, list items: {items}, read-more: {read_more}",
            if *items == 0 { 0 } else { 1 + usize::from(*file == "001_b5a796d00a1e8603.txt") }
        );
        assert!(
            line.ends_with(&expected),
            "{file}: {line}\nexpected …{expected}"
        );
        let written = line
            .split("wrote ")
            .nth(1)
            .unwrap()
            .split(" — ")
            .next()
            .unwrap();
        let markdown = std::fs::read_to_string(written).unwrap();
        let front: serde_yaml::Value =
            serde_yaml::from_str(markdown.split("---\n").nth(1).unwrap()).unwrap();
        assert_eq!(front["title"].as_str(), Some(*title), "{file}");
        assert_eq!(front["description"].as_str(), Some(*description), "{file}");
        assert!(front["date"].as_str().is_some(), "{file}: no date");
        assert_eq!(front["topics"][1].as_str(), Some("Connection"));
        let body = markdown.splitn(3, "---\n").nth(2).unwrap();
        assert!(!body.contains(description), "{file}: description repeated");
        for heading in body.lines().filter(|l| l.starts_with('#')) {
            assert!(!heading.ends_with(':'), "{file}: {heading}");
            assert_ne!(heading.trim_start_matches('#').trim(), *title);
        }
        let text = visible_text(&markdown);
        let source = std::fs::read_to_string(seeds.join(file)).unwrap();
        for input in source.lines().map(str::trim).filter(|l| !l.is_empty()) {
            // Bullet markers become Markdown's `-`; colons leave headings.
            let input = input.trim_start_matches(['•', ' ']);
            let input = input.strip_prefix("- ").unwrap_or(input);
            let input = if input.len() < 60 {
                input.trim_end_matches(':')
            } else {
                input
            };
            assert!(
                text.contains(input),
                "{file}: line lost or changed:\n{input}"
            );
        }
    }
    // 004's four Read-more lines name articles that were not imported.
    for line in [5, 18, 43, 64] {
        let place = format!("004_5725171ad3e88d82.txt:{line}: Read more: no guide titled");
        assert!(stderr.contains(&place), "{place}\n{stderr}");
    }
    let build = site.hearth(&["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(build.stdout.contains("4 warnings"), "{}", build.stdout);
    let guide = "content/guides/why-intimacy-matters-in-a-relationship.md";
    let kept: String = std::fs::read_to_string(site.root().join(guide))
        .unwrap()
        .lines()
        .filter(|line| !line.starts_with("Read more: "))
        .map(|line| format!("{line}\n"))
        .collect();
    site.write(guide, &kept);
    let strict = site.hearth(&["build", "--strict"]);
    assert_eq!(strict.code, 0, "{}{}", strict.stdout, strict.stderr);
}

/// A small site's worth of articles in our own words: one Read-more line
/// names a guide of the site, one names the other imported article, one
/// names nothing.
const ARTICLE: &str = "Building Trust Slowly\n\nTrust grows in small steps. Nobody \
    hands it over all at once.\n\nSmall Promises Kept\n\nSay what you will do, then do it.\n\
    Read more: Keeping Promises\nRead more: Saying Sorry Well\n\nWhen Trust Slips:\n\nName it \
    early and kindly.\nRead more: A Guide Nobody Wrote\n";
const SECOND: &str = "Saying Sorry Well\n\nA good apology names what happened. It does not \
    explain it away.\n\nWhy Trust Needs Repair\n\nEvery couple slips. Repair is what counts.\n";

#[test]
fn unmatched_read_more_is_a_warning_at_its_source_line_and_the_site_builds_strict_once_resolved() {
    let site = SiteTest::fixture("import/site");
    site.write("notes/trust.txt", ARTICLE);
    site.write("notes/sorry.txt", SECOND);
    let into = site.root().join("content/guides");
    let notes = site.root().join("notes");
    let output = import(&[
        notes.join("trust.txt").to_str().unwrap(),
        notes.join("sorry.txt").to_str().unwrap(),
        "--into",
        into.to_str().unwrap(),
        "--date",
        "2026-03-01",
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("Read more")).collect();
    assert_eq!(warnings.len(), 1, "{stderr}");
    let guide_file = site.root().join("content/guides/building-trust-slowly.md");
    let guide = std::fs::read_to_string(&guide_file).unwrap();
    let guide_line = guide
        .lines()
        .position(|line| line == "Read more: A Guide Nobody Wrote")
        .unwrap()
        + 1;
    let expected = format!(
        "warning: {}:14: Read more: no guide titled \"A Guide Nobody Wrote\" (line {guide_line} of {})",
        notes.join("trust.txt").display(),
        into.join("building-trust-slowly.md").display()
    );
    assert!(
        warnings[0].starts_with(&expected),
        "{}\n{expected}",
        warnings[0]
    );

    assert!(guide.contains("\ndate: 2026-03-01\n"), "{guide}");
    assert!(guide.contains("\ntopics: [\"Trust\"]\n"), "{guide}");
    assert!(guide.contains("\n## When Trust Slips\n"), "{guide}");

    let strict = site.hearth(&["build", "--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stdout);
    assert!(
        strict.stderr.contains("A Guide Nobody Wrote"),
        "{}",
        strict.stderr
    );
    site.write(
        "content/guides/building-trust-slowly.md",
        &guide.replace(
            "Read more: A Guide Nobody Wrote",
            "Read more: Keeping Promises",
        ),
    );
    let strict = site.hearth(&["build", "--strict"]);
    assert_eq!(strict.code, 0, "{}{}", strict.stdout, strict.stderr);

    let page = site.read("guides/building-trust-slowly/index.html");
    let main = main_of(&page);
    assert!(main.contains("<h1>Building Trust Slowly</h1>"), "{main}");
    assert!(
        main.contains("<p class=\"lead\">Trust grows in small steps.</p>"),
        "{main}"
    );
    assert_eq!(
        main.matches("Trust grows in small steps.").count(),
        1,
        "{main}"
    );
    assert!(main.contains("Nobody hands it over all at once."), "{main}");
    let related = main
        .split("id=\"related_guides_title\"")
        .nth(1)
        .unwrap_or_default();
    assert!(
        related.contains("Keeping Promises"),
        "related guides: {main}"
    );
}

#[test]
fn regression_import_of_a_fifo_is_an_error_not_a_hang() {
    let site = SiteTest::fixture("import/site");
    let fifo = site.root().join("pipe.txt");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|status| status.success()) {
        println!("skipped: mkfifo is not available");
        return;
    }
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_hearth"))
        .arg("import")
        .arg(&fifo)
        .arg("--into")
        .arg(site.root().join("content/guides"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(20) {
            child.kill().unwrap();
            panic!("hearth import waited on the FIFO");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("pipe.txt: this is a named pipe (FIFO), which is not a regular file"),
        "{stderr}"
    );
}

#[test]
fn never_overwrites_without_force() {
    let site = SiteTest::fixture("journey-folder");
    site.write("notes/trust.txt", "Trust Between Us\n\nTrust is a habit.\n");
    site.write(
        "content/guides/trust-between-us.md",
        "---\ntitle: Mine\n---\n",
    );
    let into = site.root().join("content/guides");
    let source = site.root().join("notes/trust.txt");
    let run = |force: bool| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_hearth"));
        command.arg("import").arg(&source).arg("--into").arg(&into);
        if force {
            command.arg("--force");
        }
        command.output().unwrap()
    };
    let refused = run(false);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("--force"),
        "says how to overwrite"
    );
    assert_eq!(
        std::fs::read_to_string(into.join("trust-between-us.md")).unwrap(),
        "---\ntitle: Mine\n---\n"
    );
    assert!(run(true).status.success());
    assert!(std::fs::read_to_string(into.join("trust-between-us.md"))
        .unwrap()
        .contains("title: \"Trust Between Us\""));
}

#[test]
fn a_bad_file_does_not_stop_the_others() {
    let site = SiteTest::fixture("journey-folder");
    site.write("notes/empty.txt", "");
    site.write("notes/good.txt", "Good Habits\n\nSmall habits add up.\n");
    std::fs::write(site.root().join("notes/binary.txt"), [0u8, 159, 146, 150]).unwrap();
    let into = site.root().join("imported");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_hearth"))
        .arg("import")
        .args(["empty.txt", "binary.txt", "good.txt"].map(|f| site.root().join("notes").join(f)))
        .arg("--into")
        .arg(&into)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("empty.txt: ") && stderr.contains("binary.txt: "),
        "{stderr}"
    );
    let written: Vec<_> = std::fs::read_dir(&into)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(written, ["good-habits.md"]);
}

#[test]
fn dry_run_prints_and_writes_nothing() {
    let site = SiteTest::fixture("journey-folder");
    site.write(
        "notes/good.txt",
        "Good Habits\n\nSmall habits add up.\n\nRead more: Calm Together\n",
    );
    let into = site.root().join("imported");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_hearth"))
        .arg("import")
        .arg(site.root().join("notes/good.txt"))
        .arg("--into")
        .arg(&into)
        .arg("--dry-run")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success());
    assert!(
        stdout.contains("title: \"Good Habits\"") && stdout.contains("Read more: Calm Together"),
        "{stdout}"
    );
    assert!(!into.exists(), "nothing written");
}
