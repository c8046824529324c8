//! Printable worksheets: which pages exist, what a sheet holds (answer
//! space per prompt), bundles in day order, paper size, and the links to
//! them. The printed result is checked by `tests/browser/run.sh`.

use crate::support::{hrefs, main_of, SiteTest};

const DAY_1: &str = "journeys/closer/day-1/worksheet/index.html";
const WEEK_1: &str = "journeys/closer/week-1/worksheets/index.html";
const JOURNEY: &str = "journeys/closer/worksheets/index.html";

fn built() -> SiteTest {
    let site = SiteTest::fixture("worksheets/site");
    site.build(&[]);
    site
}

/// The prompts of a page, each from its `<div class="prompt …">` to the
/// next one (or the end), with the kind: `stem` or `question`.
fn prompts(html: &str) -> Vec<(&str, &str)> {
    html.split("<div class=\"prompt prompt-")
        .skip(1)
        .map(|piece| piece.split_once('"').expect("class attribute ends"))
        .collect()
}

/// Levels of the `<h1>`…`<h6>` of some HTML, in order.
fn heading_levels(html: &str) -> Vec<u32> {
    html.match_indices("<h")
        .filter_map(|(at, _)| {
            let mut rest = html[at + 2..].chars();
            let level = rest.next()?.to_digit(10)?;
            matches!(rest.next(), Some('>' | ' ')).then_some(level)
        })
        .filter(|level| (1..=6).contains(level))
        .collect()
}

fn assert_headings_in_order(page: &str, html: &str) {
    let levels = heading_levels(main_of(html));
    assert_eq!(
        levels.first(),
        Some(&1),
        "{page}: starts with <h1>: {levels:?}"
    );
    for pair in levels.windows(2) {
        assert!(
            pair[1] <= pair[0] + 1,
            "{page}: heading skips a level: {levels:?}"
        );
    }
}

#[test]
fn day_worksheet_has_both_partners_for_every_stem_and_lines_for_every_question() {
    let site = built();
    let html = site.read(DAY_1);
    let main = main_of(&html);
    let found = prompts(main);
    let kinds: Vec<&str> = found.iter().map(|(kind, _)| *kind).collect();
    assert_eq!(kinds, ["stem", "stem", "question", "question"], "{main}");
    for (kind, block) in &found {
        let block = block.split("</div>\n    </div>").next().unwrap_or(block);
        let lines = block.matches("class=\"answer-line\"").count();
        if *kind == "stem" {
            assert!(block.contains(">Partner A</p>"), "{block}");
            assert!(block.contains(">Partner B</p>"), "{block}");
            assert!(lines >= 4, "two lines per partner at least: {block}");
        } else {
            assert!(lines >= 3, "ruled lines under a question: {block}");
        }
    }
    for text in [
        "“I feel closest to you when…”",
        "“Something I rarely say is…”",
        "What surprised you today?",
        "What would you like to try again?",
    ] {
        assert!(main.contains(text), "prompt `{text}` missing:\n{main}");
    }
}

#[test]
fn plain_instructions_stay_text_and_other_parts_stay_off() {
    let site = built();
    let main = site.read(DAY_1);
    let main = main_of(&main);
    assert!(main.contains("<p>Sit facing each other.</p>"), "{main}");
    assert!(main.contains("<li>Put your phones away.</li>"), "{main}");
    assert!(
        main.contains("<p>Thank each other afterwards.</p>"),
        "{main}"
    );
    for (_, block) in prompts(main) {
        let prompt = block.split("</p>").next().unwrap();
        assert!(
            !prompt.contains("phones") && !prompt.contains("Sit facing"),
            "an instruction became a prompt: {prompt}"
        );
    }
    assert!(
        !main.contains("Not on the worksheet"),
        "Today's Learning is not a worksheet section"
    );
}

#[test]
fn worksheet_has_header_name_date_line_footer_and_print_button() {
    let site = built();
    let html = site.read(DAY_1);
    let main = main_of(&html);
    assert!(
        main.contains("Closer &amp; Kinder"),
        "journey title, escaped"
    );
    assert!(
        main.contains("Week 1: Starting Out"),
        "week number and theme"
    );
    assert!(main.contains(">Day 1: Saying Thanks</h1>"), "{main}");
    assert!(main.contains(">Names</span>") && main.contains(">Date</span>"));
    assert!(main.contains(
        "<span class=\"worksheet-site\">Worksheet Fixture</span> <span aria-hidden=\"true\">·</span> <span class=\"worksheet-url\">https://hearth.test/journeys/closer/day-1/worksheet/</span>"
    ), "footer with site title and page URL: {main}");
    assert!(
        main.contains("<button type=\"button\" class=\"button print-button\" hidden>"),
        "the Print button waits for its script: {main}"
    );
    assert!(html.contains("<script src=\"/print.js\" defer></script>"));
    assert!(site.read("print.js").contains("window.print()"));
    assert!(html.contains("href=\"/worksheet.css\""));
    assert!(site.read("worksheet.css").contains("@media print"));
    assert_headings_in_order(DAY_1, &html);
}

/// Day 2's activity has a paragraph that is one quoted stem, and one that
/// only contains a quotation; its questions end with a stray `"`.
#[test]
fn quoted_paragraph_is_a_stem_and_a_stray_quote_keeps_a_question() {
    let site = built();
    let html = site.read("journeys/closer/day-2/worksheet/index.html");
    let main = main_of(&html);
    let found = prompts(main);
    let kinds: Vec<&str> = found.iter().map(|(kind, _)| *kind).collect();
    assert_eq!(
        kinds,
        ["stem", "stem", "stem", "question", "question"],
        "{main}"
    );
    let stem = found[0].1;
    assert!(
        stem.contains("“Tell me one thing you noticed today…”")
            && stem.contains(">Partner A</p>")
            && stem.contains(">Partner B</p>"),
        "{stem}"
    );
    assert!(main.contains("<p>Say “thank you” often.</p>"), "{main}");
    let question = found[4].1;
    assert!(
        question.contains("Why does it matter?“")
            && question.matches("class=\"answer-line\"").count() >= 3,
        "{question}"
    );
}

#[test]
fn prompt_text_is_escaped() {
    let site = built();
    let html = site.read("journeys/closer/day-2/worksheet/index.html");
    assert!(html.contains("“I &lt;3 it when you…”"), "{html}");
    assert!(!html.contains("<3"));
}

#[test]
fn week_bundle_has_one_worksheet_per_day_in_order() {
    let site = built();
    let html = site.read(WEEK_1);
    let main = main_of(&html);
    let sheets: Vec<&str> = main.split("<article class=\"worksheet ").skip(1).collect();
    assert_eq!(sheets.len(), 2, "{main}");
    assert!(
        main.find("id=\"week-1\"") < main.find("<article"),
        "the week's divider comes first: {main}"
    );
    assert!(
        sheets[0].contains(">Day 1: Saying Thanks</h2>"),
        "{}",
        sheets[0]
    );
    assert!(
        sheets[1].contains(">Day 2: Listening</h2>"),
        "{}",
        sheets[1]
    );
    assert!(
        sheets[1].contains("https://hearth.test/journeys/closer/day-2/worksheet/"),
        "each sheet's footer has its own URL"
    );
    assert_eq!(prompts(sheets[0]).len(), 4);
    assert_eq!(prompts(sheets[1]).len(), 5);
    assert!(
        main.contains("id=\"day-1-today-s-activity\"")
            && main.contains("id=\"day-2-today-s-activity\""),
        "section ids are unique in a bundle"
    );
    assert_headings_in_order(WEEK_1, &html);
}

#[test]
fn bundles_and_day_worksheets_exist_only_with_worksheet_sections() {
    let site = built();
    assert!(site.exists("journeys/closer/day-2/worksheet/index.html"));
    assert!(
        !site.exists("journeys/closer/day-3/worksheet/index.html"),
        "day 3 has no activity or questions"
    );
    assert!(
        !site.exists("journeys/closer/week-2/worksheets/index.html"),
        "week 2 has no day with a worksheet"
    );
    let journey = site.read(JOURNEY);
    let main = main_of(&journey);
    assert_eq!(main.matches("<article class=\"worksheet ").count(), 2);
    let first = main
        .find(">Day 1: Saying Thanks<")
        .expect("day 1 in the bundle");
    let second = main
        .find(">Day 2: Listening<")
        .expect("day 2 in the bundle");
    assert!(first < second, "days in order");
    assert_headings_in_order(JOURNEY, &journey);
}

#[test]
fn pages_link_to_their_worksheets_only_when_they_exist() {
    let site = built();
    let links = |page: &str| -> Vec<String> {
        hrefs(&site.read(page))
            .into_iter()
            .map(String::from)
            .collect()
    };
    let has = |page: &str, target: &str| links(page).iter().any(|href| href == target);
    assert!(has(
        "journeys/closer/day-1/index.html",
        "/journeys/closer/day-1/worksheet/"
    ));
    assert!(has(
        "journeys/closer/week-1/index.html",
        "/journeys/closer/week-1/worksheets/"
    ));
    assert!(has(
        "journeys/closer/index.html",
        "/journeys/closer/worksheets/"
    ));
    assert!(has(
        "guides/with-exercises/index.html",
        "/guides/with-exercises/worksheet/"
    ));
    for (page, absent) in [
        ("journeys/closer/day-3/index.html", "worksheet"),
        ("journeys/closer/week-2/index.html", "worksheets"),
        ("guides/without-exercises/index.html", "worksheet"),
    ] {
        assert!(
            !links(page).iter().any(|href| href.contains(absent)),
            "{page} links to a worksheet that does not exist"
        );
    }
}

#[test]
fn guide_worksheet_exists_only_for_guides_with_the_section() {
    let site = built();
    let html = site.read("guides/with-exercises/worksheet/index.html");
    let main = main_of(&html);
    assert!(main.contains(">Guide With Exercises</h1>"), "{main}");
    assert!(main.contains(">Practical exercises</h2>"), "{main}");
    assert!(!main.contains("More text."), "other sections stay off");
    let kinds: Vec<&str> = prompts(main).iter().map(|(kind, _)| *kind).collect();
    assert_eq!(kinds, ["stem", "question"]);
    assert!(!site.exists("guides/without-exercises/worksheet/index.html"));
    assert_headings_in_order("guide worksheet", &html);
}

#[test]
fn paper_size_comes_from_site_toml() {
    let site = built();
    assert!(site.read(DAY_1).contains("@page { size: a4; }"));
    assert!(site.read(WEEK_1).contains("@page { size: a4; }"));

    let letter = SiteTest::fixture("worksheets/site");
    letter.write(
        "site.toml",
        "title = \"Worksheet Fixture\"\nbase_url = \"https://hearth.test/\"\n\n[journeys]\ndays_per_week = 2\n\n[worksheets]\npaper = \"Letter\"\n",
    );
    letter.build(&[]);
    for page in [DAY_1, WEEK_1, JOURNEY] {
        let html = letter.read(page);
        assert!(html.contains("@page { size: letter; }"), "{page}");
        assert!(html.contains("Letter paper"), "{page} tells the paper");
    }
}

#[test]
fn worksheet_sections_follow_site_toml() {
    let site = SiteTest::fixture("worksheets/site");
    site.write(
        "site.toml",
        "title = \"Worksheet Fixture\"\nbase_url = \"https://hearth.test/\"\n\n[journeys]\ndays_per_week = 2\n\n[worksheets]\nsections = [\"today's learning\"]\nguide_sections = []\n",
    );
    site.build(&[]);
    let main = site.read(DAY_1);
    assert!(
        main.contains("Not on the worksheet"),
        "matched ignoring case"
    );
    assert!(!main.contains("What surprised you today?"));
    assert!(
        site.exists("journeys/closer/day-3/worksheet/index.html"),
        "day 3 has a learning part"
    );
    assert!(!site.exists("journeys/closer/day-2/worksheet/index.html"));
    assert!(!site.exists("guides/with-exercises/worksheet/index.html"));
}

// ---- the workbook: cover, contents, dividers, running heads ----

const STEADY: &str = "journeys/steady/worksheets/index.html";

fn workbook() -> SiteTest {
    let site = SiteTest::fixture("worksheets/workbook");
    site.build(&[]);
    site
}

/// Where `needle` first appears in `haystack`, or a failure naming it.
fn position(haystack: &str, needle: &str) -> usize {
    haystack
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` missing:\n{haystack}"))
}

#[test]
fn journey_bundle_is_a_workbook_cover_contents_dividers_then_days() {
    let site = workbook();
    let html = site.read(STEADY);
    let main = main_of(&html);
    let order = [
        "id=\"cover\"",
        "id=\"contents\"",
        "id=\"week-1\"",
        "id=\"day-1\"",
        "id=\"day-2\"",
        "id=\"week-2\"",
        "id=\"day-3\"",
    ]
    .map(|id| position(main, id));
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    let cover = &main[order[0]..order[1]];
    for text in [
        "<h1>Steady &lt;Together&gt;</h1>",
        "Two short weeks of small habits",
        "2 weeks · 3 worksheets",
        "Workbook Fixture",
    ] {
        assert!(cover.contains(text), "cover lacks `{text}`: {cover}");
    }
    let contents = &main[order[1]..order[2]];
    for text in [
        ">Week 1: Slowing Down</a>",
        ">Day 1: A Short Start</a>",
        ">Day 2: Many Questions</a>",
        ">Week 2: Keeping It Going</a>",
        ">Day 3: A New Week</a>",
    ] {
        assert!(
            contents.contains(text),
            "contents lack `{text}`: {contents}"
        );
    }
    let divider = &main[order[2]..order[3]];
    assert!(divider.contains("<h2 id=\"week-1-title\">Week 1: Slowing Down</h2>"));
    assert!(
        divider.contains("<li>Make time for each other</li>")
            && divider.contains("<li>Notice small things</li>")
    );
    assert!(
        main.contains(">Day 1: A Short Start</h3>"),
        "days under their week"
    );
    assert_headings_in_order(STEADY, &html);
}

#[test]
fn week_bundle_opens_with_its_divider_and_has_no_cover() {
    let site = workbook();
    let html = site.read("journeys/steady/week-2/worksheets/index.html");
    let main = main_of(&html);
    assert!(!main.contains("id=\"cover\"") && !main.contains("id=\"contents\""));
    assert!(position(main, "id=\"week-2\"") < position(main, "id=\"day-3\""));
    assert!(main.contains("<h1 id=\"week-2-title\">Week 2: Keeping It Going</h1>"));
    assert!(main.contains("<li>Repeat what worked</li>"));
    assert_headings_in_order("week 2 bundle", &html);
}

#[test]
fn every_printed_page_gets_a_running_header_and_a_numbered_footer() {
    let site = workbook();
    let html = site.read(STEADY);
    for rule in [
        "@page { @bottom-left { content: \"Workbook Fixture\"; } @bottom-right { content: \"Page \" counter(page) \" of \" counter(pages); } }",
        "@page cover { @top-left { content: none; } @bottom-left { content: none; } @bottom-right { content: none; } }",
        "#cover { page: cover; }",
        "@page contents { @top-left { content: none; } }",
        // `<`, `>` and `·` escaped: nothing can end the string or the style.
        "@page week-1 { @top-left { content: \"Steady \\3c Together\\3e  \\b7  Week 1: Slowing Down\"; } }",
        "#week-1 { page: week-1; }",
        "@page day-2 { @top-left { content: \"Steady \\3c Together\\3e  \\b7  Week 1 \\b7  Day 2: Many Questions\"; } }",
        "#day-2 { page: day-2; }",
    ] {
        assert!(html.contains(rule), "missing `{rule}`");
    }
    let day = site.read("journeys/steady/day-1/worksheet/index.html");
    assert!(day.contains("@page day-1 { @top-left { content: \"Steady \\3c Together\\3e  \\b7  Week 1 \\b7  Day 1: A Short Start\"; } }"));
    let guide = site.read("guides/small-habits/worksheet/index.html");
    assert!(guide.contains(
        "@page guide { @top-left { content: \"Guide worksheet \\b7  Small Habits\"; } }"
    ));
}

#[test]
fn questions_get_a_space_per_partner_unless_site_toml_shares_it() {
    let site = built();
    let html = site.read(DAY_1);
    let questions: Vec<&str> = prompts(main_of(&html))
        .into_iter()
        .filter(|(kind, _)| *kind == "question")
        .map(|(_, block)| block)
        .collect();
    assert_eq!(questions.len(), 2);
    for block in &questions {
        assert!(
            block.contains(">Partner A</p>") && block.contains(">Partner B</p>"),
            "{block}"
        );
        assert!(
            block.matches("class=\"answer-line\"").count() >= 6,
            "3 lines each at least: {block}"
        );
    }

    let shared = SiteTest::fixture("worksheets/site");
    shared.write(
        "site.toml",
        "title = \"Worksheet Fixture\"\nbase_url = \"https://hearth.test/\"\n\n[journeys]\ndays_per_week = 2\n\n[worksheets]\nquestion_space = \"shared\"\n",
    );
    shared.build(&[]);
    let html = shared.read(DAY_1);
    for (kind, block) in prompts(main_of(&html)) {
        let partners = block.contains(">Partner A</p>");
        assert_eq!(partners, kind == "stem", "{kind}: {block}");
    }
}

#[test]
fn unknown_question_space_is_an_error_naming_the_line() {
    let site = SiteTest::fixture("invalid/question-space");
    let run = site.hearth(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "error: site.toml:6:18: unknown variant `both`, expected `partners` or `shared`"
        ),
        "{}",
        run.stderr
    );
}

/// The shape of seed 004's "Practical exercises to try together": a
/// bullet list of `Name: what to do` items, neither stems nor questions.
#[test]
fn every_item_of_a_guide_exercise_list_gets_writing_space() {
    let site = workbook();
    let html = site.read("guides/small-habits/worksheet/index.html");
    let main = main_of(&html);
    let exercises: Vec<&str> = prompts(main)
        .into_iter()
        .filter(|(kind, _)| *kind == "exercise")
        .map(|(_, block)| block)
        .collect();
    assert_eq!(exercises.len(), 4, "{main}");
    for (block, name) in exercises.iter().zip([
        "Morning coffee",
        "Ten-second hug",
        "Kind notes",
        "Replay the day",
    ]) {
        assert!(block.contains(&format!("<p>{name}:")), "{block}");
        assert!(block.contains("Notes: how it went"), "{block}");
        assert!(
            block.matches("class=\"answer-line\"").count() >= 3,
            "{block}"
        );
    }
    assert!(main.contains("<p>Pick one of these for the coming week:</p>"));
}

/// Lines of each prompt of a sheet, in order.
fn answer_lines(html: &str) -> Vec<usize> {
    prompts(main_of(html))
        .into_iter()
        .map(|(_, block)| block.matches("class=\"answer-line\"").count())
        .collect()
}

#[test]
fn answer_space_grows_to_use_the_page() {
    let site = workbook();
    // Day 1: a stem and a question. Alone on a page they get far more
    // than the three lines each they start with.
    let lines = answer_lines(&site.read("journeys/steady/day-1/worksheet/index.html"));
    assert_eq!(lines.len(), 2);
    assert!(lines.iter().all(|&n| n >= 2 * 8), "{lines:?}");
    // On Letter, a shorter page, they get fewer.
    let letter = SiteTest::fixture("worksheets/workbook");
    letter.write(
        "site.toml",
        "title = \"Workbook Fixture\"\nbase_url = \"https://hearth.test/\"\n[journeys]\ndays_per_week = 2\nrequired_parts = []\n[worksheets]\npaper = \"Letter\"\n",
    );
    letter.build(&[]);
    let on_letter = answer_lines(&letter.read("journeys/steady/day-1/worksheet/index.html"));
    assert!(on_letter[0] < lines[0], "{on_letter:?} vs {lines:?}");
}

#[test]
fn a_long_day_fills_its_last_page_and_keeps_three_lines_each() {
    let site = workbook();
    let html = site.read("journeys/steady/day-2/worksheet/index.html");
    let lines = answer_lines(&html);
    assert_eq!(lines.len(), 8);
    assert!(
        lines.iter().all(|&n| n >= 6),
        "three per partner: {lines:?}"
    );
    assert!(lines[7] > 6, "the last page's questions grow: {lines:?}");
}

#[test]
fn worksheets_say_how_to_save_a_pdf_through_the_print_dialog() {
    let site = workbook();
    for page in [
        "journeys/steady/day-1/worksheet/index.html",
        STEADY,
        "guides/small-habits/worksheet/index.html",
    ] {
        let html = site.read(page);
        let main = main_of(&html);
        assert!(
            main.contains("choose <strong>Save as PDF</strong>"),
            "{page}"
        );
        assert!(main.contains("print dialog"), "{page}");
        assert!(main.contains("there is nothing to download"), "{page}");
    }
}

/// Every worksheet page of the output: path and text.
fn worksheet_pages(site: &SiteTest) -> Vec<(String, String)> {
    site.html_files()
        .into_iter()
        .filter(|path| path.contains("worksheet"))
        .map(|path| {
            let text = site.read(&path);
            (path, text)
        })
        .collect()
}

/// A day's sheet is rendered once with marked heading levels and placed
/// on its own page and in its week's and journey's bundles; with a
/// `worksheet_macros.html` of the site's own (here the built-in text and
/// a comment) every page renders it through the macro. Both give the
/// same pages, headings of every depth included, and a day whose Markdown
/// has a tag that reads as a mark (`<h104>`) is not shared.
#[test]
fn a_sheet_rendered_once_is_the_sheet_the_macro_renders_on_every_page() {
    let site = built();
    site.write(
        "content/journeys/deep.md",
        "---\ntitle: \"Deep\"\n---\n\nHeadings at every depth.\n\n## Day 1: Depths\n\n### Today's Activity\n\nSit down.\n\n#### Step one\n\nTalk.\n\n##### Smaller\n\n###### Smallest\n\n- \"I hope we...\"\n\n### Reflection Questions\n\n1. What did you notice?\n\n## Day 2: Raw\n\n### Today's Activity\n\n<h104>raw heading</h104>\n\n#### Step\n\n1. Why?\n\n## Day 3: Third\n\n### Reflection Questions\n\n#### Part\n\n1. What next?\n",
    );
    site.build(&[]);
    let shared = worksheet_pages(&site);
    assert!(
        shared.len() >= 8,
        "{:?}",
        shared.iter().map(|(p, _)| p).collect::<Vec<_>>()
    );
    let day_1 = &shared
        .iter()
        .find(|(path, _)| path == "journeys/deep/day-1/worksheet/index.html")
        .expect("the day's worksheet")
        .1;
    assert!(day_1.contains("<h3>Step one</h3>"), "{day_1}");
    assert!(day_1.contains("<h5>Smallest</h5>"), "{day_1}");
    assert!(!day_1.contains("<h10"), "{day_1}");
    let journey = site.read("journeys/deep/worksheets/index.html");
    assert!(journey.contains("<h5>Step one</h5>"), "{journey}");
    assert!(journey.contains("<h104>raw heading</h104>"), "{journey}");

    let macros = "themes/default/templates/worksheet_macros.html";
    let text = std::fs::read_to_string(site.root().join(macros)).unwrap();
    site.write(macros, &format!("{text}{{# the site's own copy #}}"));
    site.build(&[]);
    let through_the_macro = worksheet_pages(&site);
    assert_eq!(shared.len(), through_the_macro.len());
    for ((path, once), (_, each)) in shared.iter().zip(&through_the_macro) {
        assert!(once == each, "{path} differs:\n{once}\n----\n{each}");
    }
}

/// Regression: a day part's `######` heading was written as `<h7>` in the
/// journey's workbook (two levels below the day's own sheet), which is not
/// HTML. Every page keeps it at `<h6>`, the deepest level there is.
#[test]
fn the_deepest_markdown_heading_is_never_written_as_h7() {
    let site = built();
    site.write(
        "content/journeys/deep.md",
        "---\ntitle: \"Deep\"\n---\n\nA journey with deep headings.\n\n## Day 1: Depths\n\n### Today's Activity\n\nTake a walk.\n\n##### Smaller\n\n###### Smallest\n\n1. What did you see?\n",
    );
    site.build(&[]);
    for (path, html) in worksheet_pages(&site) {
        assert!(!html.contains("<h7"), "{path} has an <h7>:\n{html}");
    }
    let journey = site.read("journeys/deep/worksheets/index.html");
    assert!(journey.contains("<h6>Smaller</h6>"), "{journey}");
    assert!(journey.contains("<h6>Smallest</h6>"), "{journey}");
    let day = site.read("journeys/deep/day-1/worksheet/index.html");
    assert!(day.contains("<h4>Smaller</h4>"), "{day}");
    assert!(day.contains("<h5>Smallest</h5>"), "{day}");
}
