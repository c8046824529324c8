//! `serve`'s incremental rebuilds against full builds: a seeded random
//! walk of edits to a small site, and after every step the serve folder
//! must hold byte for byte what `hearth build` writes, with the same
//! warnings (or both must fail).
//!
//! The walk drives serve's [`Workspace`] directly with the changes the
//! watcher would classify, so it needs no timing. `HEARTH_SOAK_STEPS=N`
//! runs a longer walk (`HEARTH_SOAK_SEED` picks the seed), e.g.
//! `HEARTH_SOAK_STEPS=5000 cargo test --test it incremental::soak -- --ignored`.

use crate::support::SiteTest;
use hearth::build::{build, BuildOptions};
use hearth::serve::watch::classify_all;
use hearth::serve::{RebuildReport, Settings, Workspace};
use std::path::{Path, PathBuf};

const BASE_URL: &str = "http://127.0.0.1:9/";

#[test]
fn random_edits_match_a_full_build() {
    walk(0x5eed_1234, 300);
}

/// A long walk: `HEARTH_SOAK_STEPS` steps (default 3000).
#[test]
#[ignore = "soak: run with --ignored, HEARTH_SOAK_STEPS=N"]
fn soak() {
    let steps = std::env::var("HEARTH_SOAK_STEPS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3000);
    let seed = std::env::var("HEARTH_SOAK_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(7);
    walk(seed, steps);
}

fn walk(seed: u64, steps: usize) {
    let site = SiteTest::fixture("serve");
    let root = site.root().to_path_buf();
    write(&root, "content/journeys/solo.md", SOLO_JOURNEY);
    write(
        &root,
        "content/journeys/duo.md",
        &SOLO_JOURNEY
            .replace("Solo Steps", "Duo Steps")
            .replace("sequence: 2", "sequence: 3"),
    );
    add_paginated_lists(&root);
    let output = root.join(".hearth-serve");
    let (mut workspace, _) = checked_workspace(&root, &output);
    for paginated in ["guides/page/4/", "journeys/page/2/", "topics/trust/page/2/"] {
        assert!(
            output.join(paginated).join("index.html").is_file(),
            "{paginated}"
        );
    }
    let mut random = Random(seed);
    let mut log = Vec::new();
    for step in 0..steps {
        let (what, touched) = edit(&root, &mut random, step);
        log.push(what.clone());
        let changes = classify_all(&root, touched.iter().map(|p| root.join(p)));
        let report = workspace.rebuild(&changes);
        workspace.search_index().wait();
        let context = || format!("seed {seed:#x}, step {step}: {}", log.join(" / "));
        if let Some(report) = &report {
            assert!(
                report.unrecorded.is_empty(),
                "{}: these pages changed, but no fact they read did: {:?}",
                context(),
                report.unrecorded
            );
        }
        compare(&root, &output, report.as_ref(), &context);
    }
}

/// A change to one file: `from` replaced by `to` in its text, or, with
/// `from` empty, the file written as `to`.
struct Change {
    path: &'static str,
    from: &'static str,
    to: &'static str,
}

fn change(path: &'static str, from: &'static str, to: &'static str) -> Change {
    Change { path, from, to }
}

/// Serves the serve fixture (after `setup`), applies `changes` as one
/// save, and checks what serve's recorded reads found: no page whose
/// fingerprint changed was missed, fewer pages than the site has were
/// fingerprinted again (the facts narrowed it down), each of `pages`
/// (output path, text it must show) was rendered again, and the serve
/// folder is what a full build writes.
fn one_change(setup: &[Change], changes: &[Change], pages: &[(&str, &str)]) {
    let site = SiteTest::fixture("serve");
    let root = site.root().to_path_buf();
    let apply = |changes: &[Change]| -> Vec<PathBuf> {
        for change in changes {
            let text = if change.from.is_empty() {
                change.to.to_string()
            } else {
                let text = read(&root, Path::new(change.path));
                assert!(
                    text.contains(change.from),
                    "{} has {:?}",
                    change.path,
                    change.from
                );
                text.replacen(change.from, change.to, 1)
            };
            write(&root, change.path, &text);
        }
        changes.iter().map(|c| PathBuf::from(c.path)).collect()
    };
    apply(setup);
    let output = root.join(".hearth-serve");
    let (mut workspace, first) = checked_workspace(&root, &output);
    let touched = apply(changes);
    let report = workspace
        .rebuild(&classify_all(&root, touched.iter().map(|p| root.join(p))))
        .expect("the change is seen");
    workspace.search_index().wait();
    assert!(!report.failed(), "{}", report.diagnostics.report());
    assert!(
        report.unrecorded.is_empty(),
        "changed, but no fact they read did: {:?}",
        report.unrecorded
    );
    assert!(
        report.looked_at < first.looked_at,
        "{} of {} pages fingerprinted again",
        report.looked_at,
        first.looked_at
    );
    for (page, shows) in pages {
        assert!(
            report.rendered.iter().any(|rendered| rendered == page),
            "{page} is not rendered again: {:?}",
            report.rendered
        );
        let html = std::fs::read_to_string(output.join(page)).unwrap();
        assert!(
            html.contains(shows),
            "{page} does not show {shows:?}:\n{html}"
        );
    }
    compare(&root, &output, Some(&report), &|| "one change".to_string());
}

#[test]
fn a_guide_title_reaches_the_lists_topics_and_cards_that_show_it() {
    one_change(
        &[],
        &[change(
            "content/guides/gratitude.md",
            "title: Saying Thanks",
            "title: Thanks Said",
        )],
        &[
            ("guides/index.html", "Thanks Said"),
            ("topics/gratitude/index.html", "Thanks Said"),
            ("guides/gratitude/index.html", "Thanks Said"),
        ],
    );
}

#[test]
fn a_day_title_reaches_its_journey_its_neighbours_and_its_topics() {
    one_change(
        &[],
        &[change(
            "content/journeys/calm/day-02.md",
            "title: Quiet Mornings",
            "title: Still Mornings",
        )],
        &[
            ("journeys/calm/index.html", "Still Mornings"),
            ("journeys/calm/day-3/index.html", "Still Mornings"),
            ("topics/trust/index.html", "Still Mornings"),
        ],
    );
}

/// Regression: a journey's layout fact held the hash of every day file,
/// so a day body edit fingerprinted every page that shows the journey
/// (its days, weeks, cards, topic pages) again. Now the pages that show
/// the day's text read its file: the day, its worksheet, its week's and
/// its journey's worksheet bundles, and the sitemap and feed (which read
/// everything).
#[test]
fn a_day_body_edit_fingerprints_only_the_pages_that_show_that_day() {
    let site = SiteTest::fixture("serve");
    let root = site.root().to_path_buf();
    let output = root.join(".hearth-serve");
    let (mut workspace, _) = checked_workspace(&root, &output);
    let day = "content/journeys/calm/day-03.md";
    let text = read(&root, Path::new(day));
    write(
        &root,
        day,
        &text.replacen("calm grows with practice", "calm grows with patience", 1),
    );
    let report = workspace
        .rebuild(&classify_all(&root, [root.join(day)]))
        .expect("the change is seen");
    workspace.search_index().wait();
    assert!(!report.failed(), "{}", report.diagnostics.report());
    assert!(report.unrecorded.is_empty(), "{:?}", report.unrecorded);
    assert_eq!(report.looked_at, 6, "rendered: {:?}", report.rendered);
    let html = std::fs::read_to_string(output.join("journeys/calm/day-3/index.html")).unwrap();
    assert!(html.contains("calm grows with patience"));
    compare(&root, &output, Some(&report), &|| {
        "a day body edit".to_string()
    });
}

#[test]
fn a_topic_change_reaches_the_related_guides_of_others() {
    one_change(
        &[],
        &[change(
            "content/guides/listening.md",
            "topics: [Listening, Trust]",
            "topics: [Gratitude]",
        )],
        &[
            ("guides/gratitude/index.html", "/guides/listening/"),
            ("topics/gratitude/index.html", "Listening Well"),
        ],
    );
}

#[test]
fn a_new_link_reaches_the_backlinks_of_its_target() {
    one_change(
        &[],
        &[change(
            "content/guides/listening.md",
            "Listening starts with a pause.",
            "Listening starts with a pause, and [thanks](@/guides/gratitude.md).",
        )],
        &[("guides/gratitude/index.html", "/guides/listening/")],
    );
}

#[test]
fn a_renamed_heading_is_the_anchor_links_reach_at_once() {
    // The heading ids of a page are kept between rebuilds by what they are
    // collected from; the renamed heading must replace the old one.
    one_change(
        &[
            change(
                "content/guides/gratitude.md",
                "Gratitude is a habit.",
                "Gratitude is a habit.\n\n## Small Thanks\n\nEvery day.",
            ),
            change(
                "content/guides/listening.md",
                "Listening starts with a pause.",
                "Listening starts with [thanks](@/guides/gratitude.md#small-thanks).",
            ),
        ],
        &[
            change(
                "content/guides/gratitude.md",
                "## Small Thanks",
                "## Big Thanks",
            ),
            change(
                "content/guides/listening.md",
                "#small-thanks",
                "#big-thanks",
            ),
        ],
        &[("guides/listening/index.html", "gratitude/#big-thanks")],
    );
}

#[test]
fn a_title_that_now_matches_a_read_more_line_reaches_the_text_with_it() {
    // `trust.md` asks for a guide nobody has written yet; it is shown as
    // unresolved until `gratitude.md` takes that title.
    one_change(
        &[change(
            "content/guides/trust.md",
            "Read more: Listening Well",
            "Read more: Listening Well\n\nRead more: Thanks Said",
        )],
        &[change(
            "content/guides/gratitude.md",
            "title: Saying Thanks",
            "title: Thanks Said",
        )],
        &[("guides/trust/index.html", "/guides/gratitude/")],
    );
}

#[test]
fn a_topic_spelled_anew_reaches_every_link_to_it() {
    one_change(
        &[],
        &[change(
            "content/guides/gratitude.md",
            "topics: [Gratitude]",
            "topics: [GRATITUDE]",
        )],
        &[
            ("guides/gratitude/index.html", "GRATITUDE"),
            ("topics/index.html", "GRATITUDE"),
            ("topics/gratitude/index.html", "GRATITUDE"),
        ],
    );
}

#[test]
fn a_guide_leaving_a_topic_leaves_its_page() {
    one_change(
        &[],
        &[change(
            "content/guides/listening.md",
            "topics: [Listening, Trust]",
            "topics: [Listening]",
        )],
        &[("topics/trust/index.html", "Building Trust")],
    );
}

#[test]
fn a_new_guide_reaches_the_guide_list_and_the_home_page() {
    one_change(
        &[],
        &[change(
            "content/guides/newest.md",
            "",
            "---\ntitle: Newest Of All\ndescription: Just written.\ndate: 2027-01-01\n---\nNew words.\n",
        )],
        &[
            ("guides/index.html", "Newest Of All"),
            ("index.html", "Newest Of All"),
            ("sitemap.xml", "/guides/newest/</loc><lastmod>2027-01-01<"),
        ],
    );
}

#[test]
fn a_new_journey_reaches_the_journey_list() {
    one_change(
        &[],
        &[change("content/journeys/solo.md", "", SOLO_JOURNEY)],
        &[
            ("journeys/index.html", "Solo Steps"),
            ("index.html", "Solo Steps"),
        ],
    );
}

#[test]
fn a_new_topic_reaches_the_topic_index() {
    one_change(
        &[],
        &[change(
            "content/guides/gratitude.md",
            "topics: [Gratitude]",
            "topics: [Gratitude, Wonder]",
        )],
        &[
            ("topics/index.html", "Wonder"),
            ("topics/wonder/index.html", "Saying Thanks"),
        ],
    );
}

#[test]
fn a_renamed_guide_reaches_the_redirect_of_its_old_url() {
    one_change(
        &[change(
            "content/guides/gratitude.md",
            "topics: [Gratitude]",
            "topics: [Gratitude]\naliases: [/old/thanks/]",
        )],
        &[change(
            "content/guides/gratitude.md",
            "date: 2026-01-01",
            "date: 2026-01-01\nslug: thanks",
        )],
        &[("old/thanks/index.html", "/guides/thanks/")],
    );
}

#[test]
fn the_sitemap_is_looked_at_after_every_change() {
    one_change(
        &[],
        &[change(
            "content/guides/gratitude.md",
            "date: 2026-01-01",
            "date: 2026-02-01",
        )],
        &[("sitemap.xml", "2026-02-01"), ("atom.xml", "2026-02-01")],
    );
}

/// Enough guides, and a `per_page` small enough, that the guide list,
/// the journey list and the topic pages each take several pages: adding,
/// deleting and re-dating guides moves cards across pages.
/// A serve workspace over `root` that checks its recorded reads, and the
/// report of its first full build (which must succeed).
fn checked_workspace(root: &Path, output: &Path) -> (Workspace, RebuildReport) {
    let mut workspace = Workspace::new(Settings {
        root: root.to_path_buf(),
        output: output.to_path_buf(),
        base_url: BASE_URL.into(),
        drafts: false,
    });
    workspace.check_reads(true);
    let first = workspace.build_all();
    assert!(!first.failed(), "{}", first.diagnostics.report());
    (workspace, first)
}

fn add_paginated_lists(root: &Path) {
    let config = read(root, Path::new("site.toml"));
    write(
        root,
        "site.toml",
        &format!("{config}\n[pagination]\nper_page = 2\n"),
    );
    for (n, topics) in [
        "[Trust]",
        "[Calm, Trust]",
        "[Listening]",
        "[Trust, Gratitude]",
        "[]",
    ]
    .iter()
    .enumerate()
    {
        write(
            root,
            format!("content/guides/extra-{n}.md"),
            &format!("---\ntitle: Extra Guide {n}\ndescription: More {n}.\ndate: 2026-03-{:02}\ntopics: {topics}\n---\nExtra words {n}.\n", 1 + n * 5),
        );
    }
}

/// The serve folder against a fresh build of the site.
fn compare(
    root: &Path,
    served: &Path,
    report: Option<&hearth::serve::RebuildReport>,
    context: &dyn Fn() -> String,
) {
    let built = tempfile::tempdir().unwrap();
    let output = built.path().join("out");
    let result = build(&BuildOptions {
        root: root.to_path_buf(),
        output: Some(output.clone()),
        base_url: Some(BASE_URL.into()),
        drafts: false,
        strict: false,
    });
    let built_report = match result {
        Ok(built_report) => built_report,
        Err(diagnostics) => {
            // Both fail; the serve folder keeps its last good pages.
            let report = report.unwrap_or_else(|| panic!("{}: serve saw no change", context()));
            assert!(
                report.failed(),
                "{}: build failed but serve did not:\n{}",
                context(),
                diagnostics.report()
            );
            return;
        }
    };
    if let Some(report) = report {
        assert!(
            !report.failed(),
            "{}: serve failed but build did not:\n{}",
            context(),
            report.diagnostics.report()
        );
        assert_eq!(
            report.diagnostics.report(),
            built_report.diagnostics.report(),
            "{}: the warnings",
            context()
        );
    }
    let (served_files, built_files) = (files(served), files(&output));
    let names = |files: &[(String, Vec<u8>)]| -> Vec<String> {
        files.iter().map(|(name, _)| name.clone()).collect()
    };
    assert_eq!(
        names(&served_files),
        names(&built_files),
        "{}: the same files",
        context()
    );
    for ((name, served), (_, built)) in served_files.iter().zip(&built_files) {
        let served = match std::str::from_utf8(served) {
            Ok(text) => crate::support::without_preview_marks(text).into_bytes(),
            Err(_) => served.clone(),
        };
        assert!(
            &served == built,
            "{}: {name} differs:\n{}\n---- a full build writes ----\n{}",
            context(),
            String::from_utf8_lossy(&served),
            String::from_utf8_lossy(built)
        );
    }
}

/// Every file under `root` but hidden ones, by path, with its bytes.
fn files(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let name = e
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (name, std::fs::read(e.path()).unwrap())
        })
        .filter(|(name, _)| !name.split('/').any(|part| part.starts_with('.')))
        .collect();
    files.sort();
    files
}

/// A small seeded generator (xorshift64*), so a failing walk repeats.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        let mut x = self.0.max(1);
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        (!items.is_empty()).then(|| &items[self.below(items.len())])
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const TOPICS: &[&str] = &["Calm", "Trust", "Gratitude", "Listening", "Patience"];

const SOLO_JOURNEY: &str = "---\ntitle: Solo Steps\nduration: 1 week\nsequence: 2\ndescription: One file, every day inside.\ntopics: [Patience]\n---\nAll in one file.\n\n## Day 1: Begin\n### Today's Learning\nStart small.\n\n### Today's Activity\nWrite one line.\n\n## Day 2: Continue\n### Today's Learning\nKeep going. Read more: Building Trust\n\n### Reflection Questions\n- What helped?\n\n## Your Journey Plan\n\n### Week 1: First Steps\n- Starting\n";

/// Applies one random edit; returns what it did and the paths it touched
/// (from the site root), as the watcher would report them.
fn edit(root: &Path, random: &mut Random, step: usize) -> (String, Vec<PathBuf>) {
    let guides = markdown_files(root, "content/guides");
    let days = markdown_files(root, "content/journeys")
        .into_iter()
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("day-"))
        .collect::<Vec<_>>();
    let journeys = journey_files(root);
    let pages: Vec<PathBuf> = markdown_files(root, "content")
        .into_iter()
        .filter(|p| p.parent() == Some(Path::new("content")) && !p.ends_with("_index.md"))
        .collect();
    let kind = random.below(30);
    let n = step;
    let topic_list = |random: &mut Random| {
        let mut chosen: Vec<&str> = TOPICS
            .iter()
            .copied()
            .filter(|_| random.chance(35))
            .collect();
        chosen.dedup();
        format!("[{}]", chosen.join(", "))
    };
    let pick = |random: &mut Random, files: &[PathBuf]| random.pick(files).cloned();
    macro_rules! on {
        ($files:expr, $what:expr, |$path:ident, $text:ident| $body:expr) => {{
            match pick(random, &$files) {
                Some($path) => {
                    let $text = read(root, &$path);
                    let new: String = $body;
                    write(root, &$path, &new);
                    (format!("{} {}", $what, $path.display()), vec![$path])
                }
                None => (format!("{} (none)", $what), Vec::new()),
            }
        }};
    }
    match kind {
        0 => on!(guides, "guide body", |path, text| format!(
            "{text}\nMore words {n}.\n"
        )),
        1 => on!(guides, "guide title", |path, text| set_key(
            &text,
            "title",
            &format!("Guide {n}")
        )),
        2 => {
            let topics = topic_list(random);
            on!(guides, "guide topics", |path, text| set_key(
                &text, "topics", &topics
            ))
        }
        3 => {
            let date = format!(
                "2026-{:02}-{:02}",
                1 + random.below(12),
                1 + random.below(28)
            );
            on!(guides, "guide date", |path, text| set_key(
                &text, "date", &date
            ))
        }
        4 => on!(guides, "guide slug", |path, text| set_key(
            &text,
            "slug",
            &format!("slug-{n}")
        )),
        5 => {
            let draft = if random.chance(50) { "true" } else { "false" };
            on!(guides, "guide draft", |path, text| set_key(
                &text, "draft", draft
            ))
        }
        6 => {
            let target = guides
                .iter()
                .map(|g| title_of(&read(root, g)))
                .collect::<Vec<_>>();
            let read_more = random.pick(&target).cloned().unwrap_or_default();
            let link = pick(random, &guides)
                .map(|g| {
                    format!(
                        "See [this](@/{}).\n",
                        g.strip_prefix("content").unwrap().display()
                    )
                })
                .unwrap_or_default();
            let path = PathBuf::from(format!("content/guides/new-{n}.md"));
            let topics = topic_list(random);
            write(
                root,
                &path,
                &format!("---\ntitle: New {n}\ndescription: Fresh {n}.\ndate: 2026-02-{:02}\ntopics: {topics}\n---\nNew text.\n\n{link}\nRead more: {read_more}\n", 1 + n % 28),
            );
            (format!("new guide {}", path.display()), vec![path])
        }
        7 => delete(root, pick(random, &guides), "delete guide"),
        8 => rename(
            root,
            pick(random, &guides),
            |name| format!("moved-{n}-{name}"),
            "rename guide",
        ),
        9 => {
            // The worksheet case: a `##` exercises section, or `###`.
            let level = if random.chance(50) { "##" } else { "###" };
            on!(guides, "guide exercises", |path, text| {
                let text = text
                    .replace("\n## Practical exercises\n", "\n")
                    .replace("\n### Practical exercises\n", "\n");
                format!("{text}\n{level} Practical exercises\n\n1. Listen for one minute.\n")
            })
        }
        10 => on!(days, "day body", |path, text| text.replacen(
            "### Today's Learning\n",
            &format!("### Today's Learning\nNote {n}.\n"),
            1
        )),
        11 => on!(days, "day title", |path, text| set_key(
            &text,
            "title",
            &format!("Day title {n}")
        )),
        12 => {
            let topics = topic_list(random);
            on!(days, "day topics", |path, text| set_key(
                &text, "topics", &topics
            ))
        }
        13 => {
            let week = 1 + random.below(2);
            on!(days, "day week", |path, text| set_key(
                &text,
                "week",
                &week.to_string()
            ))
        }
        14 => {
            let folder = pick(
                random,
                &journeys
                    .iter()
                    .filter(|j| j.ends_with("journey.md"))
                    .cloned()
                    .collect::<Vec<_>>(),
            );
            match folder {
                Some(index) => {
                    let number = 7 + random.below(8);
                    let path = index.with_file_name(format!("day-{number:02}.md"));
                    write(root, &path, &format!("---\nday: {number}\ntitle: Extra {n}\ntopics: [Calm]\n---\n### Today's Learning\nExtra day {n}.\n\n### Today's Activity\nBreathe.\n\n### Reflection Questions\n- How was it?\n"));
                    (format!("new day {}", path.display()), vec![path])
                }
                None => ("new day (no folder journey)".into(), Vec::new()),
            }
        }
        15 => delete(root, pick(random, &days), "delete day"),
        16 => rename(
            root,
            pick(random, &days),
            |name| name.replace("day-", "day-1"),
            "rename day file",
        ),
        17 => on!(journeys, "journey title", |path, text| set_key(
            &text,
            "title",
            &format!("Journey {n}")
        )),
        18 => on!(journeys, "week theme", |path, text| {
            match text.find("### Week 1: ") {
                Some(at) => {
                    let end = at + text[at..].find('\n').unwrap_or(text.len() - at);
                    format!("{}### Week 1: Theme {n}{}", &text[..at], &text[end..])
                }
                None => text,
            }
        }),
        19 => on!(
            journeys
                .iter()
                .filter(|j| !j.ends_with("journey.md"))
                .cloned()
                .collect::<Vec<_>>(),
            "inline day",
            |path, text| {
                if random.chance(50) {
                    text.replacen("Start small.", &format!("Start small {n}."), 1)
                } else {
                    text.replacen("## Your Journey Plan", &format!("## Day {}: Inline {n}\n### Today's Learning\nMore.\n\n## Your Journey Plan", 3 + n % 4), 1)
                }
            }
        ),
        20 => {
            let folders = journeys
                .iter()
                .filter(|j| j.ends_with("journey.md"))
                .filter_map(|j| j.parent().map(Path::to_path_buf))
                .collect::<Vec<_>>();
            match pick(random, &folders) {
                Some(folder) => {
                    let to = folder.with_file_name(format!("path-{n}"));
                    std::fs::rename(root.join(&folder), root.join(&to)).unwrap();
                    (
                        format!("rename journey folder {}", folder.display()),
                        vec![folder, to],
                    )
                }
                None => ("rename journey folder (none)".into(), Vec::new()),
            }
        }
        21 => on!(pages, "page title", |path, text| set_key(
            &text,
            "title",
            &format!("Page {n}")
        )),
        22 => {
            if random.chance(50) || pages.is_empty() {
                let path = PathBuf::from(format!("content/page-{n}.md"));
                write(root, &path, &format!("---\ntitle: Page {n}\n---\nA page, see [listening](@/guides/listening.md).\n"));
                (format!("new page {}", path.display()), vec![path])
            } else {
                delete(root, pick(random, &pages), "delete page")
            }
        }
        23 => {
            let path = PathBuf::from("content/_index.md");
            let text = read(root, &path);
            write(root, &path, &format!("{text}\nHome {n}.\n"));
            ("home text".into(), vec![path])
        }
        24 => {
            let path = PathBuf::from("templates/page.html");
            if random.chance(30) && root.join(&path).exists() {
                delete(root, Some(path), "delete page template")
            } else {
                write(root, &path, &format!("<!doctype html>\n<html lang=\"en\"><head><title>{{{{ page.title }}}}</title></head>\n<body><main><h1>{{{{ page.title }}}}</h1>{{{{ page.content | safe }}}}<p>v{n}</p></main></body></html>\n"));
                ("page template".into(), vec![path])
            }
        }
        25 => {
            let path = PathBuf::from("themes/default/templates/base.html");
            if root.join(&path).exists() {
                let text = read(root, &path);
                write(root, &path, &format!("{text}<!-- {n} -->\n"));
                ("theme base template".into(), vec![path])
            } else {
                ("theme base template (none)".into(), Vec::new())
            }
        }
        26 => {
            let choices = [
                "static/extra.css",
                "static/notes/readme.txt",
                "static/guides/index.html",
            ];
            let path = PathBuf::from(*random.pick(&choices).unwrap());
            if random.chance(30) && root.join(&path).exists() {
                delete(root, Some(path), "delete static file")
            } else {
                write(root, &path, &format!("static {n}\n"));
                (format!("static file {}", path.display()), vec![path])
            }
        }
        27 => {
            let path = PathBuf::from("static/link.txt");
            let _ = std::fs::remove_file(root.join(&path));
            std::os::unix::fs::symlink(root.join("site.toml"), root.join(&path)).unwrap();
            ("static symlink".into(), vec![path])
        }
        28 => {
            let path = PathBuf::from("site.toml");
            let text = read(root, &path);
            let title = format!("title = \"Serve Test {n}\"");
            let text = text
                .lines()
                .map(|line| {
                    if line.starts_with("title = ") {
                        title.as_str()
                    } else {
                        line
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
                + "\n";
            // Sometimes a new page size too, which re-cuts every list.
            let (text, what) = if random.chance(30) {
                let per_page = format!("per_page = {}", 1 + random.below(4));
                let text = text
                    .lines()
                    .map(|line| {
                        if line.starts_with("per_page = ") {
                            per_page.as_str()
                        } else {
                            line
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
                    + "\n";
                (text, "site.toml title and page size")
            } else {
                (text, "site.toml title")
            };
            write(root, &path, &text);
            (what.into(), vec![path])
        }
        _ => {
            // Saved with the same bytes: nothing may change.
            match pick(random, &guides) {
                Some(path) => {
                    let text = read(root, &path);
                    write(root, &path, &text);
                    (format!("same bytes {}", path.display()), vec![path])
                }
                None => ("same bytes (none)".into(), Vec::new()),
            }
        }
    }
}

fn read(root: &Path, path: &Path) -> String {
    std::fs::read_to_string(root.join(path)).unwrap()
}

fn write(root: &Path, path: impl AsRef<Path>, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn delete(root: &Path, path: Option<PathBuf>, what: &str) -> (String, Vec<PathBuf>) {
    match path {
        Some(path) => {
            std::fs::remove_file(root.join(&path)).unwrap();
            (format!("{what} {}", path.display()), vec![path])
        }
        None => (format!("{what} (none)"), Vec::new()),
    }
}

fn rename(
    root: &Path,
    path: Option<PathBuf>,
    name: impl Fn(&str) -> String,
    what: &str,
) -> (String, Vec<PathBuf>) {
    match path {
        Some(path) => {
            let file = path.file_name().unwrap().to_string_lossy().to_string();
            let to = path.with_file_name(name(&file));
            if root.join(&to).exists() {
                return (format!("{what} (taken)"), Vec::new());
            }
            std::fs::rename(root.join(&path), root.join(&to)).unwrap();
            (format!("{what} {}", path.display()), vec![path, to])
        }
        None => (format!("{what} (none)"), Vec::new()),
    }
}

/// Sets `key: value` in a file's front matter (adding the key if absent).
fn set_key(text: &str, key: &str, value: &str) -> String {
    let Some(rest) = text.strip_prefix("---\n") else {
        return text.to_string();
    };
    let Some(end) = rest.find("\n---\n") else {
        return text.to_string();
    };
    let (front, body) = (&rest[..end], &rest[end..]);
    let prefix = format!("{key}:");
    let mut lines: Vec<String> = front
        .lines()
        .filter(|line| !line.starts_with(&prefix))
        .map(str::to_string)
        .collect();
    lines.push(format!("{key}: {value}"));
    format!("---\n{}{body}", lines.join("\n"))
}

fn title_of(text: &str) -> String {
    text.lines()
        .find_map(|line| line.strip_prefix("title: "))
        .unwrap_or("")
        .to_string()
}

/// Markdown files under `dir` (from the site root), sorted.
fn markdown_files(root: &Path, dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root.join(dir))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.path().strip_prefix(root).unwrap().to_path_buf())
        .collect();
    files.sort();
    files
}

/// `journey.md` files and single-file journeys.
fn journey_files(root: &Path) -> Vec<PathBuf> {
    markdown_files(root, "content/journeys")
        .into_iter()
        .filter(|p| p.ends_with("journey.md") || p.parent() == Some(Path::new("content/journeys")))
        .collect()
}
