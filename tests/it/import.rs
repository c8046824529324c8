//! `hearth import`: the four plain-text seed articles, overwrite rules,
//! bad files, dry runs.

use crate::support::{repo_root, SiteTest};
use std::path::PathBuf;

/// The shared seed articles, when this checkout has them beside it.
fn seeds() -> Option<PathBuf> {
    let dir = repo_root().join("../shared/seeds");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("import seed test skipped: {} not found", dir.display());
        None
    }
}

/// What a seed must give: file, title, `##` headings, `###` sub-headings,
/// list items, Read-more lines.
const SEEDS: &[(&str, &str, usize, usize, usize, usize)] = &[
    (
        "000_394d882480623b9d.txt",
        "Intimacy and Connection: Cultivating a Deeper Bond with Your Partner",
        10,
        0,
        0,
        0,
    ),
    (
        "001_b5a796d00a1e8603.txt",
        "How do I define intimacy, and what steps can I take to deepen it with my partner?",
        3,
        0,
        13,
        0,
    ),
    (
        "003_931765402212d521.txt",
        "The Power of Intimacy: Cultivating Emotional Connection in Relationships",
        4,
        5,
        5,
        0,
    ),
    (
        "004_5725171ad3e88d82.txt",
        "Why intimacy matters in a relationship",
        6,
        21,
        4,
        4,
    ),
];

/// The text of an imported file (the title is in its front matter) with
/// Markdown markers and escapes removed, one line per source line.
fn visible_text(markdown: &str) -> String {
    markdown
        .lines()
        .map(|line| {
            let line = line.trim_start().trim_start_matches('#').trim_start();
            let line = line.strip_prefix("- ").unwrap_or(line);
            line.replace('\\', "")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn imports_the_four_seed_articles_into_a_site_that_builds() {
    let Some(seeds) = seeds() else { return };
    let site = SiteTest::fixture("journey-folder");
    let files: Vec<String> = SEEDS
        .iter()
        .map(|s| seeds.join(s.0).to_string_lossy().into_owned())
        .collect();
    let mut args = vec!["import"];
    args.extend(files.iter().map(String::as_str));
    let into = site.root().join("content/guides");
    args.extend([
        "--into",
        into.to_str().unwrap(),
        "--topics",
        "Intimacy,Connection",
    ]);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_hearth"))
        .args(&args)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for (file, title, headings, subheadings, items, read_more) in SEEDS {
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
        assert_eq!(front["topics"][1].as_str(), Some("Connection"));
        let text = visible_text(&markdown);
        let source = std::fs::read_to_string(seeds.join(file)).unwrap();
        for input in source.lines().map(str::trim).filter(|l| !l.is_empty()) {
            // Bullet markers become Markdown's `-`; the text after them stays.
            let input = input.trim_start_matches(['•', ' ']);
            let input = input.strip_prefix("- ").unwrap_or(input);
            assert!(
                text.contains(input),
                "{file}: line lost or changed:\n{input}"
            );
        }
    }
    let build = site.hearth(&["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(!build.stderr.contains("error"), "{}", build.stderr);
    assert!(
        build.stdout.contains("4 warnings"),
        "the four Read-more lines of seed 004 point at articles not imported: {}",
        build.stdout
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
