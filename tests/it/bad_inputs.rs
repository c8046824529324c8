//! Hundreds of bad site inputs, generated from tables, and a property test
//! of random front matter, Markdown, configuration and file trees. For
//! every input: no panic or abort, an error naming the file (and the line,
//! for a file the user writes) or a clean build, and after a failed build
//! the previous output byte-identical.
//!
//! The builds run in-process (the library's `build`) so a few hundred take
//! seconds. `cargo test` runs 200-odd table cases and 32 random sites;
//! `cargo test --test it bad_inputs:: -- --ignored` runs the whole table
//! (536 cases) and 300 random sites, which takes minutes.

use crate::hardening::snapshot;
use crate::support::{copy_dir, fixtures, repo_root};
use hearth::build::{build, BuildOptions};
use hearth::diagnostics::Diagnostics;
use hearth::load::{DAY_KEYS, GUIDE_KEYS, JOURNEY_KEYS};
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// One bad input: files to write over the hardening fixture.
#[derive(Debug, Clone)]
struct Case {
    name: String,
    files: Vec<(String, Vec<u8>)>,
}

impl Case {
    fn new(name: impl Into<String>, path: &str, text: impl Into<Vec<u8>>) -> Case {
        Case {
            name: name.into(),
            files: vec![(path.to_string(), text.into())],
        }
    }
}

/// The fixture with its theme, built once; every case starts from a copy.
fn base_site() -> &'static Path {
    static BASE: OnceLock<tempfile::TempDir> = OnceLock::new();
    BASE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixtures().join("hardening"), dir.path());
        copy_dir(
            &repo_root().join("themes/default"),
            &dir.path().join("themes/default"),
        );
        let built = build(&options(dir.path()));
        assert!(built.is_ok(), "{}", built.unwrap_err().report());
        dir
    })
    .path()
}

fn options(root: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        ..BuildOptions::default()
    }
}

/// Builds the case's site and checks the invariants; the problem, if any.
fn run_case(case: &Case) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(base_site(), dir.path());
    let root = dir.path();
    for (path, bytes) in &case.files {
        let file = root.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, bytes).unwrap();
    }
    let before = snapshot(&root.join("public"));
    let result = std::panic::catch_unwind(|| build(&options(root)))
        .map_err(|_| format!("{}: hearth panicked", case.name))?;
    let Err(diagnostics) = result else {
        return Ok(());
    };
    if snapshot(&root.join("public")) != before {
        return Err(format!("{}: a failed build changed the output", case.name));
    }
    check_errors_name_their_place(case, &diagnostics)
}

/// Every error names a file; an error about a file the case wrote (a
/// content file, a template, site.toml) names its line too.
fn check_errors_name_their_place(case: &Case, diagnostics: &Diagnostics) -> Result<(), String> {
    let errors: Vec<_> = diagnostics.iter().filter(|d| d.is_error()).collect();
    if errors.is_empty() {
        return Err(format!("{}: failed without an error", case.name));
    }
    for error in errors {
        if error.file.as_os_str().is_empty() {
            return Err(format!("{}: error without a file: {error}", case.name));
        }
        let written = case
            .files
            .iter()
            .any(|(path, _)| Path::new(path) == error.file);
        let whole_file =
            error.message.contains("valid UTF-8") || error.message.starts_with("refusing to use");
        if written && error.line.is_none() && !whole_file {
            return Err(format!("{}: error without a line: {error}", case.name));
        }
    }
    Ok(())
}

fn guide(front: &str, body: &str) -> String {
    format!("---\n{front}\n---\n\n{body}\n")
}

/// Values of every YAML type, and the ones that broke hearth before.
const VALUES: &[&str] = &[
    "\"\"",
    "\"...\"",
    "\".\"",
    "\"..\"",
    "\"!!!\"",
    "[]",
    "[a, [b, [c]]]",
    "{a: 1}",
    "~",
    "-1",
    "0",
    "4294967295",
    "99999999999999999999999",
    "1.5e308",
    "true",
    "2026-02-30",
    "\"<script>alert(1)</script>\"",
    "\"a\\nb\\u0000c\"",
    "&a [*a, *a]",
    "!!binary aGVsbG8=",
];

/// Front matter that is not YAML, or not front matter.
const BROKEN_FILES: &[&str] = &[
    "",
    "---",
    "---\n",
    "---\ntitle: Open\n",
    "no front matter at all",
    "---\ntitle: \"unclosed\n---\n",
    "---\n\ttitle: Tab\n---\n",
    "---\ntitle: A\ntitle: B\n---\n",
    "---\n: no key\n---\n",
    "---\n- a list\n- not a map\n---\n",
    "---\ntitle: [unclosed\n---\n",
    "---\ntitle: {a: \n---\n",
    "\u{feff}---\ntitle: BOM\n---\n",
    "---\r\ntitle: CRLF\r\n---\r\n\r\nText.\r\n",
    "---\ntitle: A\n---\n---\ntitle: B\n---\n",
    "---\nx: &a [*a]\n---\n",
    "---\ntitle: !!python/object:os.system ls\n---\n",
    "---\ntitle: ok\n...\n",
];

const MARKDOWN: &[&str] = &[
    "Read more: Nothing Like This",
    "Read more: [x](@/guides/missing.md)",
    "Read more: ",
    "[broken](@/guides/kind-words.md#no-such-anchor)",
    "[broken](@/../../etc/passwd)",
    "[broken](@/)",
    "<script>alert(1)</script>",
    "## \n\n### \n",
    "## Day 0: Zero",
    "## Day 4294967296: Too Big",
    "## Your Journey Plan\n\n### Week 0: Zero",
    "## Your Journey Plan\n\n### Week 99999: Far",
    "| a | b |\n|---|---|\n| 1 |",
    "[^note]\n\n[^note]: one\n[^note]: two",
];

/// Markdown that once made parsers slow or deep.
fn pathological_markdown() -> Vec<String> {
    vec![
        "[".repeat(20_000),
        ">".repeat(20_000),
        "*".repeat(20_000),
        "- ".repeat(5_000),
        "`".repeat(20_000),
        "<div>".repeat(5_000),
        "[a](".repeat(5_000),
        "**a".repeat(5_000),
        format!("{}x{}", "(".repeat(5_000), ")".repeat(5_000)),
    ]
}

const CONFIG_LINES: &[&str] = &[
    "title = 1",
    "base_url = \"example.org\"",
    "base_url = \"https://\"",
    "base_url = \"https://e.org/?q\"",
    "base_url = \"javascript:alert(1)\"",
    "theme = \"missing\"",
    "theme = \"../../\"",
    "language = 7",
    "unknown = 1",
    "[build]\noutput_dir = 5",
    "[build]\ndrafts = \"yes\"",
    "[journeys]\ndays_per_week = 0",
    "[journeys]\ndays_per_week = 32",
    "[journeys]\ndays_per_week = -1",
    "[journeys]\ndays_per_week = 99999999999",
    "[journeys]\nrequired_parts = \"x\"",
    "[worksheets]\npaper = \"A3\"",
    "[worksheets]\nsections = [1]",
    "[related]\ncount = 51",
    "[related]\ncount = 10000000000",
    "[related]\ncount = -3",
    "[related]\ncoutn = 3",
    "title = \"unclosed",
    "[[related]]",
    "[build]\n[build]",
];

const TEMPLATES: &[(&str, &str)] = &[
    ("page.html", "{% if %}"),
    ("page.html", "{{ page.title | no_such_filter }}"),
    ("page.html", "{% include \"page.html\" %}"),
    ("page.html", "{% include \"missing.html\" %}"),
    ("page.html", "{% extends \"page.html\" %}"),
    ("page.html", "{% extends \"missing.html\" %}"),
    ("page.html", "{{ nope.nothing }}"),
    ("page.html", "{% for x in 5 %}{% endfor %}"),
    (
        "page.html",
        "{% macro m() %}{{ self::m() }}{% endmacro %}{{ self::m() }}",
    ),
    ("page.html", "{% import \"page.html\" as p %}"),
    ("guide.html", "{{ guide.title | safe }}{% block x %}"),
    ("base.html", "{% include \"guide.html\" %}"),
    ("base.html", "{{ 1 / 0 }}"),
    ("404.html", "{% raw %}"),
];

/// The tables above turned into cases. Every front matter key is tried
/// with every value when `all`; else with every third (each value still
/// with some keys), which keeps `cargo test` quick.
fn cases(all: bool) -> Vec<Case> {
    let mut cases = Vec::new();
    let kinds = [
        // (kind, file, its keys, the required key, the body)
        (
            "guide",
            "content/guides/bad.md",
            GUIDE_KEYS,
            "title: Bad Value",
            "Text.",
        ),
        (
            "journey",
            "content/journeys/bad/journey.md",
            JOURNEY_KEYS,
            "title: Bad Journey",
            "Intro.\n\n## Day 1: One\n\n### Today's Learning\n\nx",
        ),
        (
            "day file",
            "content/journeys/calm/day-02.md",
            DAY_KEYS,
            "day: 2",
            "### Today's Learning\n\nx",
        ),
    ];
    for (kind, path, keys, required, body) in kinds {
        let required_key = required.split(':').next().unwrap();
        for (k, key) in keys.iter().enumerate() {
            let tried = VALUES
                .iter()
                .enumerate()
                .filter(|(index, _)| all || (index + k) % 3 == 0);
            for (index, value) in tried {
                let front = if *key == required_key {
                    format!("{key}: {value}")
                } else {
                    format!("{required}\n{key}: {value}")
                };
                cases.push(Case::new(
                    format!("{kind} {key} value {index}"),
                    path,
                    guide(&front, body),
                ));
            }
        }
    }
    for (index, text) in BROKEN_FILES.iter().enumerate() {
        for path in [
            "content/guides/broken.md",
            "content/journeys/calm/journey.md",
        ] {
            cases.push(Case::new(
                format!("broken file {index} at {path}"),
                path,
                *text,
            ));
        }
    }
    for (index, text) in MARKDOWN.iter().enumerate() {
        cases.push(Case::new(
            format!("markdown {index} in a guide"),
            "content/guides/odd.md",
            guide("title: Odd Markdown", text),
        ));
        cases.push(Case::new(
            format!("markdown {index} in a journey"),
            "content/journeys/odd.md",
            guide("title: Odd Journey", text),
        ));
    }
    for (index, text) in pathological_markdown().into_iter().enumerate() {
        cases.push(Case::new(
            format!("pathological markdown {index}"),
            "content/guides/deep.md",
            guide("title: Deep", &text),
        ));
    }
    for (index, line) in CONFIG_LINES.iter().enumerate() {
        let text = if line.starts_with("title") || line.starts_with("base_url") {
            let key = line.split(' ').next().unwrap();
            let mut config = String::new();
            for base in ["title = \"T\"", "base_url = \"https://example.org/\""] {
                if !base.starts_with(key) {
                    config.push_str(base);
                    config.push('\n');
                }
            }
            format!("{config}{line}\n")
        } else {
            format!("title = \"T\"\nbase_url = \"https://example.org/\"\n{line}\n")
        };
        cases.push(Case::new(format!("config {index}"), "site.toml", text));
    }
    for output in crate::hardening::REFUSED_OUTPUT_DIRS {
        cases.push(Case::new(
            format!("output_dir {output:?}"),
            "site.toml",
            format!(
                "title = \"T\"\nbase_url = \"https://example.org/\"\n[build]\noutput_dir = {output:?}\n"
            ),
        ));
    }
    for (index, (name, text)) in TEMPLATES.iter().enumerate() {
        cases.push(Case::new(
            format!("template {index} ({name})"),
            &format!("templates/{name}"),
            *text,
        ));
    }
    cases.push(Case::new(
        "non-UTF-8 content",
        "content/guides/latin1.md",
        b"---\ntitle: caf\xe9\n---\n".to_vec(),
    ));
    cases.push(Case::new(
        "non-UTF-8 template",
        "templates/page.html",
        b"<p>\xff</p>".to_vec(),
    ));
    cases.push(Case::new(
        "YAML bomb",
        "content/guides/bomb.md",
        guide(
            "title: Bomb\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]",
            "x",
        ),
    ));
    cases.push(Case::new(
        "deep YAML",
        "content/guides/deep-yaml.md",
        guide(&format!("title: Deep\nx: {}", "[".repeat(10_000)), "x"),
    ));
    cases.push(Case::new(
        "day file without a journey",
        "content/journeys/orphan/day-01.md",
        guide("day: 1", "x"),
    ));
    cases.push(Case {
        name: "slug colliding with another guide".into(),
        files: vec![(
            "content/guides/twin.md".into(),
            guide("title: Twin\nslug: kind-words", "x").into(),
        )],
    });
    cases.push(Case::new(
        "page slug taken by the guide list",
        "content/guides.md",
        guide("title: Guides", "x"),
    ));
    cases.push(Case::new(
        "alias onto the guide list",
        "content/guides/alias.md",
        guide("title: Alias\naliases: [\"/guides/\"]", "x"),
    ));
    cases
}

fn check_cases(cases: &[Case]) {
    use rayon::prelude::*;
    let problems: Vec<String> = cases.par_iter().filter_map(|c| run_case(c).err()).collect();
    assert!(
        problems.is_empty(),
        "{} of {} cases broke an invariant:\n{}",
        problems.len(),
        cases.len(),
        problems.join("\n")
    );
}

#[test]
fn over_two_hundred_bad_inputs_fail_cleanly_or_build() {
    let cases = cases(false);
    assert!(cases.len() >= 200, "only {} cases", cases.len());
    check_cases(&cases);
}

/// Every key with every value: `cargo test --test it bad_inputs:: -- --ignored`.
#[test]
#[ignore = "slow: 536 inputs, several minutes on a busy machine"]
fn every_front_matter_key_with_every_bad_value() {
    check_cases(&cases(true));
}

/// Random YAML values, of every shape front matter takes and some it
/// does not.
fn yaml_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 .!?'-]{0,30}".prop_map(|s| format!("{s:?}")),
        any::<i64>().prop_map(|n| n.to_string()),
        (0u32..5000).prop_map(|n| n.to_string()),
        any::<bool>().prop_map(|b| b.to_string()),
        prop::collection::vec("[a-zA-Z ]{0,12}", 0..4).prop_map(|v| format!("{v:?}")),
        Just("~".to_string()),
        Just("{a: [1, {b: 2}]}".to_string()),
        "\\PC{0,20}".prop_map(|s| format!("{s:?}")),
    ]
}

fn front_matter(keys: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::collection::vec((prop::sample::select(keys), yaml_value()), 0..6).prop_map(|pairs| {
        pairs
            .into_iter()
            .map(|(key, value)| format!("{key}: {value}\n"))
            .collect()
    })
}

fn markdown() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-zA-Z ,.]{0,40}",
        (0u32..6000).prop_map(|n| format!("## Day {n}: Title")),
        (0u32..700).prop_map(|n| format!("### Week {n}: Theme")),
        Just("## Your Journey Plan".to_string()),
        Just("### Today's Learning".to_string()),
        Just("Read more: Kind Words at the End of the Day".to_string()),
        "Read more: [a-z ]{0,20}",
        "\\[[a-z]{0,8}\\]\\(@/guides/[a-z-]{0,12}\\.md(#[a-z]{0,6})?\\)",
        "[-*>#`|\\[\\]()!_~]{0,30}",
        "\\PC{0,30}",
    ];
    prop::collection::vec(piece, 0..12).prop_map(|pieces| pieces.join("\n\n"))
}

fn config() -> impl Strategy<Value = String> {
    (
        prop::option::of(0u32..40),
        prop::option::of(0usize..60),
        prop::option::of(prop::sample::select(&["A4", "Letter", "A3"][..])),
        prop::option::of(prop::sample::select(
            &["public", ".", "..", "content", "out/site", ""][..],
        )),
    )
        .prop_map(|(days, related, paper, output)| {
            let mut text = "title = \"T\"\nbase_url = \"https://example.org/\"\n".to_string();
            if let Some(output) = output {
                text.push_str(&format!("[build]\noutput_dir = {output:?}\n"));
            }
            if let Some(days) = days {
                text.push_str(&format!("[journeys]\ndays_per_week = {days}\n"));
            }
            if let Some(paper) = paper {
                text.push_str(&format!("[worksheets]\npaper = {paper:?}\n"));
            }
            if let Some(related) = related {
                text.push_str(&format!("[related]\ncount = {related}\n"));
            }
            text
        })
}

/// A file of the content tree: where it goes and its text.
fn content_file() -> impl Strategy<Value = (String, String)> {
    let name = "[a-z0-9!._ -]{0,10}";
    prop_oneof![
        (
            name,
            front_matter(&[
                "title",
                "description",
                "date",
                "topics",
                "slug",
                "draft",
                "aliases",
                "weight"
            ]),
            markdown()
        )
            .prop_map(|(n, f, m)| (
                format!("content/guides/{n}.md"),
                format!("---\n{f}---\n\n{m}\n")
            )),
        (
            name,
            front_matter(&["title", "days_per_week", "sequence", "topics"]),
            markdown()
        )
            .prop_map(|(n, f, m)| (
                format!("content/journeys/{n}/journey.md"),
                format!("---\n{f}---\n\n{m}\n")
            )),
        (
            (0u32..40),
            front_matter(&["day", "week", "title", "topics"]),
            markdown()
        )
            .prop_map(|(d, f, m)| (
                format!("content/journeys/calm/day-{d:02}.md"),
                format!("---\n{f}---\n\n{m}\n")
            )),
        (
            name,
            front_matter(&["title", "slug", "description"]),
            markdown()
        )
            .prop_map(|(n, f, m)| (format!("content/{n}.md"), format!("---\n{f}---\n\n{m}\n"))),
    ]
}

fn site() -> impl Strategy<Value = Case> {
    (
        prop::option::of(config()),
        prop::collection::vec(content_file(), 1..6),
    )
        .prop_map(|(config, files)| {
            let mut case = Case {
                name: "random site".into(),
                files: files
                    .into_iter()
                    .map(|(path, text)| (path, text.into_bytes()))
                    .collect(),
            };
            if let Some(config) = config {
                case.files.push(("site.toml".into(), config.into_bytes()));
            }
            case.name = format!(
                "random site with {}",
                case.files
                    .iter()
                    .map(|(p, _)| p.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            case
        })
}

/// Writing `x/.md` or `content/guides/.md` would fail in the file system,
/// not in hearth: such paths are left out.
fn writable(case: &Case) -> bool {
    case.files.iter().all(|(path, _)| {
        !PathBuf::from(path)
            .components()
            .any(|c| c.as_os_str() == "..")
    })
}

fn random_sites(cases: u32) {
    let config = ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(case in site().prop_filter("writable", writable))| {
        if let Err(problem) = run_case(&case) {
            let files: Vec<String> = case
                .files
                .iter()
                .map(|(p, t)| format!("--- {p}\n{}", String::from_utf8_lossy(t)))
                .collect();
            prop_assert!(false, "{problem}\n{}", files.join("\n"));
        }
    });
}

#[test]
fn random_sites_fail_cleanly_or_build() {
    random_sites(32);
}

/// The long run: `cargo test --test it bad_inputs:: -- --ignored`.
#[test]
#[ignore = "slow: 300 random sites, minutes"]
fn many_random_sites_fail_cleanly_or_build() {
    random_sites(300);
}
