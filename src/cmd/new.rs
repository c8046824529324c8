//! `hearth new DIR`: a small working site that uses the built-in theme
//! (`hearth theme eject` copies it out for editing).

use crate::files;
use std::path::Path;

const SITE_TOML: &str = r#"title = "Our Guides"
# The address the site is published at: canonical links, the sitemap, the
# feed and worksheet footers carry it. Replace it before publishing.
base_url = "https://example.org/"
description = "Guides and journeys for couples."
language = "en"

[build]
output_dir = "public"

[journeys]
days_per_week = 7

[worksheets]
paper = "A4"
"#;

/// `.gitignore`: the output folder, what a build keeps beside it (its
/// page records, a build in progress), serve's preview folder and an old
/// one being removed are made from the sources.
fn gitignore() -> String {
    let serve = crate::serve::SERVE_DIR;
    format!("/public/\n/.public.hearth-*\n/{serve}/\n/.{serve}.hearth-*\n")
}

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
            println!("(the theme is built in; `hearth theme eject` copies it out to change it)");
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
    ];
    for (path, text) in files_to_write {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            files::create_dir_all(parent)?;
        }
        files::write(&target, text)?;
    }
    files::write(&dir.join(".gitignore"), gitignore())
}
