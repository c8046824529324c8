//! Writes a synthetic hearth site for benchmarks: N guides and M five-week
//! journeys (35 days each) in the format of SPEC.md "A site folder".
//!
//! ```text
//! cargo run --release --example gen_corpus -- --pages 10000 --out /dev/shm/hearth-corpus-10k
//! ```
//!
//! `--pages P` picks N and M so that `hearth build` reports about P pages,
//! half of them guide pages and half journey pages (overview + weeks +
//! days and their worksheets). The page model is
//! `pages = fixed + per_guide * N + per_journey * M`; its defaults match the
//! build at the time of writing (82 pages per journey: 1 overview, 5 weeks,
//! 35 days, 35 day worksheets, 5 week and 1 journey worksheet bundles; 4/3
//! per guide, as every third guide has a worksheet) and can be overridden
//! (`--per-journey`, `--per-guide`, `--fixed`), or N and M given directly
//! (`--guides`, `--journeys`).
//! `benches/build.rs` measures the model on small probe sites instead of
//! trusting these defaults.
//!
//! The text is generated from the word lists and sentence templates below
//! with a seeded PRNG: the same arguments always give the same files.
//!
//! This file is also compiled into `benches/build.rs` (`#[path]`), so it
//! uses only the standard library.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Written into every generated site; a folder is only replaced if it has it.
pub const MARKER: &str = ".hearth-corpus";

pub const DAYS: u32 = 35;
pub const WEEKS: u32 = 5;

/// How many built pages a site of N guides and M journeys gives.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageModel {
    /// Home, lists, topic pages, the plain page, 404, …
    pub fixed: f64,
    pub per_guide: f64,
    pub per_journey: f64,
}

impl PageModel {
    /// The build as of this file: home, 3 lists, 40 topics, about and 404
    /// fixed; a page per guide plus a worksheet for every third; per
    /// journey 1 overview + 5 weeks + 35 days + 35 day worksheets + 5 week
    /// bundles + 1 journey bundle.
    pub const DEFAULT: PageModel = PageModel {
        fixed: 46.0,
        per_guide: 4.0 / 3.0,
        per_journey: 82.0,
    };

    /// Guides and journeys for about `pages` built pages, half of them
    /// journey pages.
    pub fn shape_for(&self, pages: usize) -> Shape {
        let pages = pages as f64;
        let journeys = ((pages / 2.0) / self.per_journey).round().max(1.0);
        let guides = ((pages - self.fixed - journeys * self.per_journey) / self.per_guide)
            .round()
            .max(TOPICS.len() as f64);
        Shape {
            guides: guides as usize,
            journeys: journeys as usize,
        }
    }

    pub fn predict(&self, shape: Shape) -> f64 {
        self.fixed + self.per_guide * shape.guides as f64 + self.per_journey * shape.journeys as f64
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    pub guides: usize,
    pub journeys: usize,
}

/// What [`generate`] wrote.
#[derive(Debug, Default, Clone, Copy)]
pub struct Stats {
    pub files: usize,
    pub bytes: u64,
    pub guide_words: u64,
    pub guides_with_exercises: usize,
}

// ---------------------------------------------------------------- PRNG

/// splitmix64: tiny, fast, good enough for text.
#[derive(Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// In `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next_u64() % (hi - lo + 1) as u64) as usize
    }
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next_u64() % items.len() as u64) as usize]
    }
    /// `count` different items (at most `items.len()`).
    pub fn pick_distinct<'a>(&mut self, items: &[&'a str], count: usize) -> Vec<&'a str> {
        let mut pool = items.to_vec();
        (0..count.min(pool.len()))
            .map(|_| pool.swap_remove((self.next_u64() % pool.len() as u64) as usize))
            .collect()
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
}

// ---------------------------------------------------------------- word lists

pub const TOPICS: &[&str] = &[
    "Trust",
    "Communication",
    "Listening",
    "Gratitude",
    "Intimacy",
    "Vulnerability",
    "Conflict",
    "Repair",
    "Affection",
    "Quality Time",
    "Rituals",
    "Boundaries",
    "Money",
    "Parenting",
    "Household",
    "Stress",
    "Work and Home",
    "Friendship",
    "Play",
    "Humour",
    "Forgiveness",
    "Apology",
    "Empathy",
    "Respect",
    "Curiosity",
    "Emotional Safety",
    "Shared Goals",
    "Dreams",
    "Family",
    "In-Laws",
    "Long Distance",
    "Rest",
    "Health",
    "Change",
    "Decisions",
    "Celebration",
    "Touch",
    "Attention",
    "Kindness",
    "Patience",
];

const CATEGORIES: &[&str] = &[
    "Foundations",
    "Communication",
    "Connection",
    "Everyday Life",
    "Growth",
];

const TITLE_PATTERNS: &[(&str, &str)] = &[
    ("A Gentle Start With ", ""),
    ("Making Room for ", ""),
    ("", " in Everyday Life"),
    ("What ", " Looks Like Up Close"),
    ("Small Steps Towards ", ""),
    ("When ", " Feels Hard"),
    ("Talking About ", ""),
    ("", " After a Long Day"),
    ("Rebuilding ", " Together"),
    ("Keeping ", " Alive"),
    ("Honest Questions About ", ""),
    ("Noticing ", " in Small Moments"),
    ("", " for Busy Couples"),
    ("Why ", " Matters More Than You Think"),
    ("Finding Your Way Back to ", ""),
    ("", " Without Keeping Score"),
    ("Learning ", " From Each Other"),
    ("Simple Habits of ", ""),
    ("The Quiet Side of ", ""),
    ("Planning Ahead for ", ""),
];

const TITLE_QUALIFIERS: &[&str] = &[
    "",
    " at Home",
    " in the First Year",
    " When Life Gets Loud",
    " on Weekends",
    " Across a Distance",
    " After Children Arrive",
    " in a New Home",
    " During Hard Seasons",
    " Over Dinner",
    " in Midlife",
    " Before Bed",
    " on Holidays",
    " With Less Time",
    " in Later Life",
];

const OPENERS: &[&str] = &[
    "Most couples",
    "Many partners",
    "Two people who share a home",
    "Even close pairs",
    "Couples who have been together for years",
    "New partners",
    "Busy parents",
    "People in long relationships",
    "Partners who work different hours",
    "Most of us",
];

const ACTIONS: &[&str] = &[
    "putting the phone face down",
    "asking one more question",
    "saying thank you out loud",
    "sitting down together for ten minutes",
    "naming what you feel",
    "keeping a small promise",
    "slowing the conversation down",
    "taking a short walk side by side",
    "checking in before bed",
    "admitting a mistake early",
    "making the first cup of tea",
    "leaving a note on the table",
    "planning one free evening",
    "holding hands on the sofa",
    "repeating back what you heard",
    "pausing before you reply",
    "laughing at the same old joke",
    "sharing the worst part of the day",
    "offering help before being asked",
    "turning towards a small bid for attention",
];

const FEELINGS: &[&str] = &[
    "seen",
    "relieved",
    "tired",
    "hopeful",
    "restless",
    "calm",
    "close",
    "uncertain",
    "appreciated",
    "overlooked",
    "safe",
    "curious",
    "tender",
    "stretched",
    "lighter",
];

const MOMENTS: &[&str] = &[
    "after work",
    "on a slow Sunday morning",
    "in the car",
    "while cooking dinner",
    "just before sleep",
    "on a long walk",
    "over breakfast",
    "during a busy week",
    "after an argument",
    "on a quiet evening",
    "at the end of a holiday",
    "in the school run",
];

const ADVERBS: &[&str] = &[
    "gently",
    "steadily",
    "quietly",
    "deliberately",
    "patiently",
    "warmly",
    "honestly",
    "slowly",
    "regularly",
    "openly",
];

const NOUNS: &[&str] = &[
    "habit",
    "conversation",
    "routine",
    "signal",
    "moment",
    "promise",
    "question",
    "gesture",
    "pattern",
    "choice",
    "ritual",
    "story",
];

const PARTNERS: &[&str] = &["your partner", "the other person"];

/// Sentence templates. `{T}` topic (lower case), `{A}` action, `{F}`
/// feeling, `{M}` moment, `{O}` opener, `{D}` adverb, `{N}` noun, `{P}`
/// partner.
const SENTENCES: &[&str] = &[
    "{O} find that {T} grows when {A} becomes a {N} rather than an event.",
    "It is easy to forget how much {T} depends on the small things, like {A}.",
    "{O} say they feel most {F} {M}, when nobody is in a hurry.",
    "If {P} feels {F}, try {A} before you look for a bigger fix.",
    "A single {N} will not change everything, but repeated {D} it changes a lot.",
    "{T} is less about grand gestures and more about {A}.",
    "Notice what happens {M}: that is often where {T} is won or lost.",
    "When {P} is {F}, the kindest {N} is often the smallest one.",
    "There is no perfect script here; {A} is simply a good place to begin.",
    "{O} worry that talking about {T} will start an argument, yet it usually does the opposite.",
    "Try {A} {M} this week and see what shifts between you.",
    "The aim is not to get it right every time but to keep {A} {D}.",
    "Over a few weeks, a {N} like this tends to make {P} feel more {F}.",
    "It helps to agree in advance what {T} means for the two of you.",
    "Some days you will forget, and that is fine; pick it up again {M}.",
    "{O} notice that {T} slips first when life gets crowded.",
    "Ask {P} what would help, and listen to the answer {D}.",
    "Small acts, such as {A}, tell {P} that they matter.",
    "You do not need to feel {F} to start; the feeling often follows the {N}.",
    "Keep the tone light, keep the time short, and come back to it {M}.",
    "A {N} that feels awkward at first usually becomes easier with practice.",
    "If you get stuck, return to the basics: {A} and listening {D}.",
    "{T} rarely fixes itself, but it responds quickly to attention.",
    "Think of {T} as something you tend, not something you either have or lack.",
];

const SECTION_HEADINGS: &[&str] = &[
    "What {T} is made of",
    "Why {T} slips",
    "Everyday habits that help",
    "A closer look",
    "Where to begin",
    "When it feels hard",
    "Common traps",
    "Making it last",
    "Talking it through",
    "Small daily steps",
    "What gets in the way",
    "Signs it is working",
];

const STEMS: &[&str] = &[
    "I feel {F} when you...",
    "One thing I would like us to try is...",
    "A moment this week when I felt close to you was...",
    "I find it hard to talk about {T} when...",
    "Something you do that helps me is...",
    "I would feel more {F} if we...",
    "The part of {T} that matters most to me is...",
    "When I am tired, I need...",
    "A small thing I could do for you is...",
    "I remember a time when we...",
];

const QUESTIONS: &[&str] = &[
    "What helped you feel {F} this week?",
    "Which part of {T} comes easily to you, and which feels harder?",
    "What is one small {N} you could try tomorrow?",
    "How did it feel to hear your partner's answers?",
    "When do you tend to drift apart, and what brings you back?",
    "What would you like to be different in a month's time?",
    "Which of today's ideas surprised you?",
    "What gets in the way of {A} for you?",
    "How could you make {T} easier on a busy day?",
];

const DAY_TITLE_PATTERNS: &[&str] = &[
    "Noticing {T}",
    "A Small Step Towards {T}",
    "Talking About {T}",
    "{T} in Daily Life",
    "What {T} Means to You",
    "Practising {T}",
    "When {T} Is Hard",
    "Celebrating {T}",
    "Questions About {T}",
    "Making Space for {T}",
];

const WEEK_THEMES: &[&str] = &[
    "Foundations",
    "Understanding Each Other",
    "Daily Practice",
    "Going Deeper",
    "Integration",
    "Safety and Trust",
    "Shared Meaning",
    "Looking Ahead",
];

const FOCUS_POINTS: &[&str] = &[
    "Build {T} together",
    "Notice small signals",
    "Share feelings openly",
    "Practise listening",
    "Create a daily ritual",
    "Talk about {T}",
    "Ask better questions",
    "Repair quickly",
    "Celebrate progress",
    "Plan the weeks ahead",
    "Name what you need",
];

// ---------------------------------------------------------------- text

fn fill(template: &str, rng: &mut Rng, topic: &str) -> String {
    let mut out = String::with_capacity(template.len() + 40);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let key = &rest[start + 1..start + 2];
        rest = &rest[start + 3..];
        match key {
            "T" => out.push_str(&topic.to_lowercase()),
            "A" => out.push_str(rng.pick(ACTIONS)),
            "F" => out.push_str(rng.pick(FEELINGS)),
            "M" => out.push_str(rng.pick(MOMENTS)),
            "O" => out.push_str(rng.pick(OPENERS)),
            "D" => out.push_str(rng.pick(ADVERBS)),
            "N" => out.push_str(rng.pick(NOUNS)),
            "P" => out.push_str(rng.pick(PARTNERS)),
            _ => unreachable!("unknown slot {key}"),
        }
    }
    out.push_str(rest);
    capitalize(out)
}

fn capitalize(mut text: String) -> String {
    if let Some(first) = text.get(..1) {
        let upper = first.to_uppercase();
        text.replace_range(..1, &upper);
    }
    text
}

/// `lo..=hi` sentences; with a chance of `bold` percent, one of them is
/// **bold**.
fn paragraph(rng: &mut Rng, topic: &str, lo: usize, hi: usize, bold: u64) -> String {
    let count = rng.range(lo, hi);
    let mut sentences: Vec<String> = (0..count)
        .map(|_| fill(rng.pick(SENTENCES), rng, topic))
        .collect();
    if rng.chance(bold) {
        let i = rng.range(0, sentences.len() - 1);
        sentences[i] = format!("**{}**", sentences[i]);
    }
    sentences.join(" ")
}

fn title_case(text: &str) -> String {
    capitalize(text.to_string())
}

/// Unique guide titles: (topic, pattern, qualifier) differ for every index
/// below 12,000; past that, or if two normalize the same, a part number.
pub fn guide_titles(count: usize) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut titles = Vec::with_capacity(count);
    for i in 0..count {
        let topic = TOPICS[i % TOPICS.len()];
        let (before, after) = TITLE_PATTERNS[(i / TOPICS.len()) % TITLE_PATTERNS.len()];
        let qualifier =
            TITLE_QUALIFIERS[(i / (TOPICS.len() * TITLE_PATTERNS.len())) % TITLE_QUALIFIERS.len()];
        let mut title = format!("{before}{topic}{after}{qualifier}");
        let round = i / (TOPICS.len() * TITLE_PATTERNS.len() * TITLE_QUALIFIERS.len());
        if round > 0 {
            write!(title, ", Part {}", round + 1).unwrap();
        }
        let mut n = 2;
        while !seen.insert(normalize(&title)) {
            title = format!("{title} ({n})");
            n += 1;
        }
        titles.push(title);
    }
    titles
}

/// What Read-more matching compares: letters and digits, lower case.
fn normalize(title: &str) -> String {
    title
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

pub fn guide_slug(i: usize) -> String {
    format!("g-{:05}", i + 1)
}

pub fn journey_slug(j: usize) -> String {
    format!("j-{:03}", j + 1)
}

/// Guides `i % 3 == 0` have a `## Practical exercises` section (kept
/// deterministic by index so page counts scale linearly with N).
pub fn has_exercises(i: usize) -> bool {
    i % 3 == 0
}

fn guide_topics(i: usize, rng: &mut Rng) -> Vec<&'static str> {
    let mut topics = vec![TOPICS[i % TOPICS.len()]];
    for _ in 0..rng.range(0, 2) {
        let t = rng.pick(TOPICS);
        if !topics.contains(&t) {
            topics.push(t);
        }
    }
    topics
}

fn yaml_list(items: &[&str]) -> String {
    format!("[{}]", items.join(", "))
}

fn guide(i: usize, titles: &[String], seed: u64) -> String {
    let mut rng = Rng::new(seed.wrapping_mul(31).wrapping_add(i as u64));
    let topics = guide_topics(i, &mut rng);
    let topic = topics[0];
    let year = 2015 + rng.range(0, 10);
    let date = format!("{year}-{:02}-{:02}", rng.range(1, 12), rng.range(1, 28));
    let n = titles.len();
    let other = |rng: &mut Rng| {
        let mut j = rng.range(0, n - 1);
        if j == i {
            j = (j + 1) % n;
        }
        j
    };

    let mut s = String::with_capacity(6000);
    s.push_str("---\n");
    writeln!(s, "title: \"{}\"", titles[i]).unwrap();
    writeln!(
        s,
        "description: \"{}\"",
        fill(
            "Practical ideas for {T}: small habits, honest talk and a few things to try this week.",
            &mut rng,
            topic
        )
    )
    .unwrap();
    writeln!(s, "date: {date}").unwrap();
    writeln!(s, "topics: {}", yaml_list(&topics)).unwrap();
    writeln!(s, "category: {}", rng.pick(CATEGORIES)).unwrap();
    s.push_str("author: \"Hearth Bench\"\n---\n\n");

    s.push_str(&paragraph(&mut rng, topic, 4, 6, 0));
    s.push_str("\n\n");

    let sections = rng.range(3, 5);
    let read_more_count = rng.range(1, 2);
    let mut read_more_after: Vec<usize> = (0..read_more_count)
        .map(|_| rng.range(0, sections - 1))
        .collect();
    read_more_after.sort();
    let link_in = if rng.chance(30) {
        Some(rng.range(0, sections - 1))
    } else {
        None
    };
    let list_in = rng.range(0, sections - 1);
    let ordered_in = (list_in + 1) % sections;
    let first_heading = rng.range(0, SECTION_HEADINGS.len() - 1);
    for k in 0..sections {
        let heading = SECTION_HEADINGS[(first_heading + k * 5) % SECTION_HEADINGS.len()];
        writeln!(s, "## {}\n", title_case(&fill(heading, &mut rng, topic))).unwrap();
        s.push_str(&paragraph(&mut rng, topic, 3, 4, 50));
        s.push_str("\n\n");
        if k == list_in {
            s.push_str(&fill(
                "A few things that tend to help with {T}:",
                &mut rng,
                topic,
            ));
            s.push_str("\n\n");
            let count = rng.range(4, 6);
            for action in rng.pick_distinct(ACTIONS, count) {
                let lead = capitalize(action.to_string());
                writeln!(
                    s,
                    "- **{lead}.** {}",
                    fill(rng.pick(SENTENCES), &mut rng, topic)
                )
                .unwrap();
            }
            s.push('\n');
        } else if k == ordered_in {
            for step in 1..=rng.range(3, 5) {
                writeln!(s, "{step}. {}", fill(rng.pick(SENTENCES), &mut rng, topic)).unwrap();
            }
            s.push('\n');
        }
        s.push_str(&paragraph(&mut rng, topic, 2, 4, 0));
        if link_in == Some(k) {
            let j = other(&mut rng);
            write!(
                s,
                " Our guide on [{}](@/guides/{}.md) goes further.",
                titles[j].to_lowercase(),
                guide_slug(j)
            )
            .unwrap();
        }
        s.push_str("\n\n");
        for _ in read_more_after.iter().filter(|&&after| after == k) {
            writeln!(s, "Read more: {}\n", titles[other(&mut rng)]).unwrap();
        }
    }

    if has_exercises(i) {
        s.push_str("## Practical exercises\n\n");
        s.push_str(&fill(
            "Set aside twenty minutes {M}. Take turns completing these sentences while the other listens without interrupting:",
            &mut rng,
            topic,
        ));
        s.push_str("\n\n");
        let count = rng.range(3, 4);
        for stem in rng.pick_distinct(STEMS, count) {
            writeln!(s, "- \"{}\"", fill(stem, &mut rng, topic)).unwrap();
        }
        s.push_str("\nWhen you have both had a turn, talk through these questions:\n\n");
        for (q, question) in rng.pick_distinct(QUESTIONS, 3).into_iter().enumerate() {
            writeln!(s, "{}. {}", q + 1, fill(question, &mut rng, topic)).unwrap();
        }
        s.push('\n');
    }
    s.push_str(&paragraph(&mut rng, topic, 2, 3, 0));
    s.push('\n');
    s
}

/// The four `###` parts of a day.
fn day_parts(s: &mut String, rng: &mut Rng, topic: &str) {
    s.push_str("### Today's Learning\n\n");
    for _ in 0..3 {
        s.push_str(&paragraph(rng, topic, 3, 5, 40));
        s.push_str("\n\n");
    }
    s.push_str("### Why This Matters For Your Relationship\n\n");
    for _ in 0..rng.range(1, 2) {
        s.push_str(&paragraph(rng, topic, 3, 4, 0));
        s.push_str("\n\n");
    }
    s.push_str("### Today's Activity\n\n");
    s.push_str(&fill(
        "Find half an hour {M} when you will not be interrupted, and leave your phones in another room.",
        rng,
        topic,
    ));
    s.push_str("\n\nTake turns completing these sentences:\n");
    for stem in rng.pick_distinct(STEMS, 4) {
        writeln!(s, "- \"{}\"", fill(stem, rng, topic)).unwrap();
    }
    s.push('\n');
    s.push_str(&paragraph(rng, topic, 2, 2, 0));
    s.push_str("\n\n### Reflection Questions\n\n");
    let count = rng.range(3, 4);
    for (q, question) in rng.pick_distinct(QUESTIONS, count).into_iter().enumerate() {
        writeln!(s, "{}. {}", q + 1, fill(question, rng, topic)).unwrap();
    }
}

fn day_title(rng: &mut Rng, topic: &str) -> String {
    let pattern = rng.pick(DAY_TITLE_PATTERNS);
    pattern.replace("{T}", topic)
}

fn journey_files(j: usize, seed: u64) -> Vec<(String, String)> {
    let mut rng = Rng::new(seed.wrapping_mul(7919).wrapping_add(1_000_003 + j as u64));
    let topic = TOPICS[j % TOPICS.len()];
    let second = TOPICS[(j * 7 + 3) % TOPICS.len()];
    let topics: Vec<&str> = if second == topic {
        vec![topic]
    } else {
        vec![topic, second]
    };
    let title = match j / TOPICS.len() {
        0 => format!("Five Weeks of {topic}"),
        1 => format!("A Journey Into {topic}"),
        2 => format!("Growing {topic} Together"),
        3 => format!("The {topic} Path"),
        n => format!("Five Weeks of {topic}, Round {}", n - 2),
    };

    let mut s = String::with_capacity(8000);
    s.push_str("---\n");
    writeln!(s, "title: \"{title}\"").unwrap();
    s.push_str("duration: 5 weeks\n");
    writeln!(s, "category: {}", rng.pick(CATEGORIES)).unwrap();
    writeln!(s, "sequence: {}", j + 1).unwrap();
    writeln!(
        s,
        "description: \"{}\"",
        fill("A five-week path of short daily lessons on {T}, with a conversation to have together each day.", &mut rng, topic)
    )
    .unwrap();
    writeln!(s, "topics: {}", yaml_list(&topics)).unwrap();
    s.push_str("---\n\n");
    for _ in 0..2 {
        s.push_str(&paragraph(&mut rng, topic, 4, 5, 0));
        s.push_str("\n\n");
    }
    s.push_str("## What This Journey Covers\n\n");
    s.push_str(&paragraph(&mut rng, topic, 2, 2, 0));
    s.push_str("\n\n");
    for point in rng.pick_distinct(FOCUS_POINTS, 5) {
        writeln!(s, "- {}", title_case(&fill(point, &mut rng, topic))).unwrap();
    }
    s.push('\n');

    writeln!(s, "## Day 1: {}\n", day_title(&mut rng, topic)).unwrap();
    day_parts(&mut s, &mut rng, topic);
    s.push('\n');

    s.push_str("## Your Journey Plan\n\n");
    let first_theme = rng.range(0, WEEK_THEMES.len() - 1);
    for w in 0..WEEKS as usize {
        writeln!(
            s,
            "### Week {}: {}",
            w + 1,
            WEEK_THEMES[(first_theme + w) % WEEK_THEMES.len()]
        )
        .unwrap();
        let count = rng.range(4, 5);
        for point in rng.pick_distinct(FOCUS_POINTS, count) {
            writeln!(s, "- {}", title_case(&fill(point, &mut rng, topic))).unwrap();
        }
        s.push('\n');
    }
    s.push_str("## How Each Day Works\n\n");
    s.push_str(&paragraph(&mut rng, topic, 3, 3, 0));
    s.push_str("\n\n- A short lesson to read together\n- A few words on why it matters\n- A conversation with sentence starters\n- Questions to think over afterwards\n");

    let mut files = vec![("journey.md".to_string(), s)];
    for day in 2..=DAYS {
        let day_topic = if rng.chance(70) { topic } else { second };
        let mut d = String::with_capacity(4000);
        writeln!(
            d,
            "---\nday: {day}\ntitle: \"{}\"",
            day_title(&mut rng, day_topic)
        )
        .unwrap();
        writeln!(d, "topics: {}\n---\n", yaml_list(&[day_topic])).unwrap();
        day_parts(&mut d, &mut rng, day_topic);
        files.push((format!("day-{day:02}.md"), d));
    }
    files
}

// ---------------------------------------------------------------- the site

/// Writes the site into `out` (replacing it if it holds [`MARKER`], refusing
/// otherwise). `repo` is the hearth checkout whose `site.toml` and
/// `themes/default` are copied.
pub fn generate(out: &Path, shape: Shape, seed: u64, repo: &Path) -> io::Result<Stats> {
    if out.exists() {
        let empty = fs::read_dir(out)?.next().is_none();
        if !empty && !out.join(MARKER).exists() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{} exists and was not written by gen_corpus ({MARKER} missing); not touching it", out.display()),
            ));
        }
        fs::remove_dir_all(out)?;
    }
    let mut stats = Stats::default();
    fs::create_dir_all(out)?;
    copy_dir(
        &repo.join("themes/default"),
        &out.join("themes/default"),
        &mut |bytes| {
            stats.files += 1;
            stats.bytes += bytes;
        },
    )?;
    let mut write = |path: PathBuf, text: &str| -> io::Result<()> {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, text)?;
        stats.files += 1;
        stats.bytes += text.len() as u64;
        Ok(())
    };
    write(
        out.join(MARKER),
        "Synthetic hearth site written by examples/gen_corpus.rs.\n",
    )?;

    // site.toml: the repo's keys, base_url pinned.
    let config = fs::read_to_string(repo.join("site.toml"))?;
    let config: String = config
        .lines()
        .map(|line| {
            if line.trim_start().starts_with("base_url") {
                "base_url = \"https://hearth.test/\"".to_string()
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    write(out.join("site.toml"), &(config + "\n"))?;

    let content = out.join("content");
    write(
        content.join("_index.md"),
        &format!(
            "---\ntitle: \"Hearth\"\ndescription: \"A synthetic site of {} guides and {} journeys for benchmarking hearth.\"\n---\n\n{}\n\n{}\n",
            shape.guides,
            shape.journeys,
            paragraph(&mut Rng::new(seed), "closeness", 5, 5, 0),
            paragraph(&mut Rng::new(seed + 1), "connection", 4, 4, 0)
        ),
    )?;
    write(
        content.join("about.md"),
        &format!(
            "---\ntitle: \"About\"\ndescription: \"About this site.\"\n---\n\n{}\n",
            paragraph(&mut Rng::new(seed + 2), "kindness", 6, 6, 0)
        ),
    )?;

    let titles = guide_titles(shape.guides);
    let mut guide_words = 0;
    let mut with_exercises = 0;
    for i in 0..shape.guides {
        let text = guide(i, &titles, seed);
        guide_words += text.split_whitespace().count() as u64;
        with_exercises += has_exercises(i) as usize;
        write(
            content.join("guides").join(format!("{}.md", guide_slug(i))),
            &text,
        )?;
    }
    for j in 0..shape.journeys {
        let dir = content.join("journeys").join(journey_slug(j));
        for (name, text) in journey_files(j, seed) {
            write(dir.join(name), &text)?;
        }
    }
    stats.guide_words = guide_words;
    stats.guides_with_exercises = with_exercises;
    Ok(stats)
}

fn copy_dir(from: &Path, to: &Path, count: &mut dyn FnMut(u64)) -> io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target, count)?;
        } else {
            count(fs::copy(entry.path(), &target)?);
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- CLI

const USAGE: &str = "usage: gen_corpus --out DIR (--pages P | --guides N --journeys M)
                  [--per-guide F] [--per-journey F] [--fixed F] [--seed S] [--repo DIR]";

fn main() {
    let mut args = std::env::args().skip(1);
    let mut out = None;
    let mut pages = None;
    let mut guides = None;
    let mut journeys = None;
    let mut model = PageModel::DEFAULT;
    let mut seed = 42u64;
    let mut repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let fail = |message: String| -> ! {
        eprintln!("gen_corpus: {message}\n{USAGE}");
        std::process::exit(2)
    };
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .unwrap_or_else(|| fail(format!("{arg} needs a value")))
        };
        let number = |v: String| -> f64 {
            v.parse()
                .unwrap_or_else(|_| fail(format!("not a number: {v}")))
        };
        match arg.as_str() {
            "--out" => out = Some(PathBuf::from(value())),
            "--pages" => pages = Some(number(value()) as usize),
            "--guides" => guides = Some(number(value()) as usize),
            "--journeys" => journeys = Some(number(value()) as usize),
            "--per-guide" => model.per_guide = number(value()),
            "--per-journey" => model.per_journey = number(value()),
            "--fixed" => model.fixed = number(value()),
            "--seed" => seed = number(value()) as u64,
            "--repo" => repo = PathBuf::from(value()),
            "-h" | "--help" => {
                println!("{USAGE}");
                return;
            }
            other => fail(format!("unknown argument {other}")),
        }
    }
    let out = out.unwrap_or_else(|| fail("--out is required".into()));
    let shape = match (pages, guides, journeys) {
        (_, Some(guides), Some(journeys)) => Shape { guides, journeys },
        (Some(pages), None, None) => model.shape_for(pages),
        _ => fail("give --pages, or both --guides and --journeys".into()),
    };
    let started = std::time::Instant::now();
    match generate(&out, shape, seed, &repo) {
        Ok(stats) => println!(
            "gen_corpus: {} guides ({} with exercises, {} words/guide avg), {} journeys x {DAYS} days; \
             {} files, {:.1} MB in {}; expected ~{:.0} pages; {:.2} s",
            shape.guides,
            stats.guides_with_exercises,
            stats.guide_words / shape.guides.max(1) as u64,
            shape.journeys,
            stats.files,
            stats.bytes as f64 / 1e6,
            out.display(),
            model.predict(shape),
            started.elapsed().as_secs_f64()
        ),
        Err(error) => {
            eprintln!("gen_corpus: {}: {error}", out.display());
            std::process::exit(1);
        }
    }
}
