//! `hearth new DIR`: a small working site, with the default theme copied
//! in so it can be changed.

use crate::files;
use std::path::Path;

/// The default theme, built into the binary.
const THEME: &[(&str, &str)] = &[
    (
        "themes/default/templates/404.html",
        include_str!("../../themes/default/templates/404.html"),
    ),
    (
        "themes/default/templates/base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "themes/default/templates/day.html",
        include_str!("../../themes/default/templates/day.html"),
    ),
    (
        "themes/default/templates/guide.html",
        include_str!("../../themes/default/templates/guide.html"),
    ),
    (
        "themes/default/templates/guide_list.html",
        include_str!("../../themes/default/templates/guide_list.html"),
    ),
    (
        "themes/default/templates/home.html",
        include_str!("../../themes/default/templates/home.html"),
    ),
    (
        "themes/default/templates/journey.html",
        include_str!("../../themes/default/templates/journey.html"),
    ),
    (
        "themes/default/templates/journey_list.html",
        include_str!("../../themes/default/templates/journey_list.html"),
    ),
    (
        "themes/default/templates/macros.html",
        include_str!("../../themes/default/templates/macros.html"),
    ),
    (
        "themes/default/templates/page.html",
        include_str!("../../themes/default/templates/page.html"),
    ),
    (
        "themes/default/templates/topic.html",
        include_str!("../../themes/default/templates/topic.html"),
    ),
    (
        "themes/default/templates/topic_list.html",
        include_str!("../../themes/default/templates/topic_list.html"),
    ),
    (
        "themes/default/templates/week.html",
        include_str!("../../themes/default/templates/week.html"),
    ),
    (
        "themes/default/templates/worksheet.html",
        include_str!("../../themes/default/templates/worksheet.html"),
    ),
    (
        "themes/default/templates/worksheet_base.html",
        include_str!("../../themes/default/templates/worksheet_base.html"),
    ),
    (
        "themes/default/templates/worksheet_bundle.html",
        include_str!("../../themes/default/templates/worksheet_bundle.html"),
    ),
    (
        "themes/default/templates/worksheet_macros.html",
        include_str!("../../themes/default/templates/worksheet_macros.html"),
    ),
    (
        "themes/default/static/style.css",
        include_str!("../../themes/default/static/style.css"),
    ),
    (
        "themes/default/static/worksheet.css",
        include_str!("../../themes/default/static/worksheet.css"),
    ),
    (
        "themes/default/static/favicon.svg",
        include_str!("../../themes/default/static/favicon.svg"),
    ),
    (
        "themes/default/static/print.js",
        include_str!("../../themes/default/static/print.js"),
    ),
];

const SITE_TOML: &str = r#"title = "Our Guides"
base_url = "https://example.org/"
description = "Guides and journeys for couples."
language = "en"
theme = "default"

[build]
output_dir = "public"

[journeys]
days_per_week = 7

[worksheets]
paper = "A4"
"#;

const HOME: &str = "---\ntitle: Our Guides\ndescription: Guides and journeys for couples.\n---\n\nWelcome. Start with a journey, or read a guide.\n";

const GUIDE_LISTENING: &str = r#"---
title: "Listening Well"
description: "Hearing your partner out before you answer."
date: 2026-01-10
topics: [Listening]
category: Communication
---

Listening is the first gift in any conversation.

## Why it helps

When you feel heard, you relax, and the talk can go somewhere.

Read more: Saying Thank You

## Practical exercises

Take five minutes each, then swap.

- "What I heard you say was..."
- "The part that mattered most to you seemed to be..."

1. What made it easy or hard to listen?
"#;

const GUIDE_THANKS: &str = r#"---
title: "Saying Thank You"
description: "Small thanks, said often, keep a couple close."
date: 2026-01-20
topics: [Gratitude]
category: Connection
---

Thanks said out loud are noticed; thanks only thought are not.

## Start small

Name one thing a day your partner did, and why it mattered.

Read more: Listening Well
"#;

const JOURNEY: &str = r#"---
title: "First Steps"
duration: 1 week
category: Connection
sequence: 1
description: "A short first journey to try the format."
topics: [Listening]
---

Two short days to begin with.

## Day 1: Showing Up

### Today's Learning

Being there, phone away, is where closeness starts.

### Today's Activity

Sit together for ten minutes and take turns:

- "Today I noticed..."
- "Something I'd like us to do this week is..."

### Reflection Questions

1. When did you feel most present today?

## Day 2: Asking Again

### Today's Learning

A second question shows you care about the first answer.

### Today's Activity

- "Tell me more about..."

### Reflection Questions

1. What did you learn by asking twice?

## Your Journey Plan

### Week 1: Beginnings
- Show up
- Listen
"#;

/// Writes a new site into `dir`, which must not exist or be empty.
pub fn run(dir: &Path) -> i32 {
    match create_site(dir) {
        Ok(()) => {
            println!("hearth: created a site in {}", dir.display());
            println!("next: cd {} && hearth serve", dir.display());
            0
        }
        Err(error) => {
            eprintln!(
                "error: {}: {} — choose a new or empty folder",
                dir.display(),
                crate::render::error_chain(error.as_ref())
            );
            1
        }
    }
}

fn create_site(dir: &Path) -> anyhow::Result<()> {
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
        anyhow::bail!("the folder is not empty");
    }
    let files_to_write = [
        ("site.toml", SITE_TOML),
        ("content/_index.md", HOME),
        ("content/guides/listening-well.md", GUIDE_LISTENING),
        ("content/guides/saying-thank-you.md", GUIDE_THANKS),
        ("content/journeys/first-steps.md", JOURNEY),
        ("static/.gitkeep", ""),
    ];
    for (path, text) in files_to_write.iter().chain(THEME.iter()) {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            files::create_dir_all(parent)?;
        }
        files::write(&target, text)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A theme file missing from [`THEME`] would be missing from every new
    /// site (the worksheet templates once nearly were).
    #[test]
    fn embedded_theme_has_every_file_of_the_default_theme() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut on_disk: Vec<String> = walkdir::WalkDir::new(root.join("themes/default"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_file())
            .map(|entry| {
                let relative = entry.path().strip_prefix(root).unwrap();
                crate::diagnostics::display_path(relative)
            })
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = THEME.iter().map(|(path, _)| path.to_string()).collect();
        embedded.sort();
        assert_eq!(embedded, on_disk);
    }
}
