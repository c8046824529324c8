//! The built-in theme: a site with only `site.toml` and `content/` builds,
//! serves and prints; the site's `templates/` and `static/` and a theme
//! folder win file by file; `hearth theme eject` copies the theme out.

use crate::support::{main_of, repo_root, SiteTest};
use hearth::serve::SERVE_DIR;
use std::time::Duration;

const GUIDE: &str = "guides/kind-words/index.html";

#[test]
fn a_site_with_only_config_and_content_builds_with_the_builtin_theme() {
    let site = SiteTest::bare("builtin-theme");
    assert!(!site.root().join("themes").exists());
    let run = site.build(&[]);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let guide = site.read(GUIDE);
    assert!(guide.contains("<link rel=\"stylesheet\" href=\"/style.css\">"));
    assert!(main_of(&guide).contains("Tell your partner one thing"));
    for file in ["style.css", "worksheet.css", "print.js", "favicon.svg"] {
        let built_in = std::fs::read(repo_root().join("themes/default/static").join(file)).unwrap();
        assert_eq!(
            std::fs::read(site.root().join("public").join(file)).unwrap(),
            built_in,
            "{file} is the built-in one"
        );
    }
    let worksheet = site.read("journeys/slow-start/day-1/worksheet/index.html");
    assert!(worksheet.contains("worksheet.css") && worksheet.contains("print.js"));
    assert!(site.exists("journeys/slow-start/day-2/index.html"));
}

#[test]
fn a_site_template_overrides_only_that_builtin_template() {
    let site = SiteTest::bare("builtin-theme");
    site.write(
        "templates/guide.html",
        "{% extends \"base.html\" %}{% block content %}<main id=\"main\">Own guide page: {{ guide.title }}</main>{% endblock content %}",
    );
    site.write("static/style.css", "body { color: black; }");
    site.build(&[]);
    let guide = site.read(GUIDE);
    assert!(guide.contains("Own guide page: Kind Words"), "{guide}");
    assert!(
        guide.contains("<link rel=\"stylesheet\""),
        "base.html still comes from the built-in theme"
    );
    assert!(site
        .read("journeys/slow-start/index.html")
        .contains("Slow Start"));
    assert_eq!(site.read("style.css"), "body { color: black; }");
    assert!(
        site.exists("worksheet.css"),
        "the other static files stay built in"
    );
}

#[test]
fn a_theme_folder_overrides_file_by_file_and_the_site_overrides_it() {
    let site = SiteTest::bare("builtin-theme");
    site.write(
        "themes/default/templates/guide.html",
        "{% extends \"base.html\" %}{% block content %}<main>Theme guide</main>{% endblock content %}",
    );
    site.write(
        "themes/default/templates/journey.html",
        "{% extends \"base.html\" %}{% block content %}<main>Theme journey</main>{% endblock content %}",
    );
    site.write(
        "templates/journey.html",
        "{% extends \"base.html\" %}{% block content %}<main>Site journey</main>{% endblock content %}",
    );
    site.build(&[]);
    assert!(site.read(GUIDE).contains("Theme guide"));
    assert!(site
        .read("journeys/slow-start/index.html")
        .contains("Site journey"));
    assert!(site
        .read("journeys/slow-start/day-1/index.html")
        .contains("Sitting Together"));
}

#[test]
fn an_unknown_theme_without_a_folder_is_an_error_naming_site_toml() {
    let site = SiteTest::bare("builtin-theme");
    let config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write("site.toml", &format!("theme = \"defualt\"\n{config}"));
    let run = site.hearth(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "error: site.toml:1: theme = \"defualt\": there is no folder themes/defualt/ — did you mean `default`?"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn eject_writes_the_whole_theme_and_the_site_still_builds() {
    let site = SiteTest::bare("builtin-theme");
    let run = site.hearth(&["theme", "eject"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let theme = repo_root().join("themes/default");
    for entry in walkdir::WalkDir::new(&theme)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(&theme).unwrap();
            let ejected = site.root().join("themes/default").join(relative);
            assert_eq!(
                std::fs::read(&ejected).unwrap_or_default(),
                std::fs::read(entry.path()).unwrap(),
                "{}",
                relative.display()
            );
        }
    }
    assert!(run
        .stdout
        .contains("wrote themes/default/templates/day.html"));
    let again = site.hearth(&["theme", "eject"]);
    assert_eq!(again.code, 1, "never replaces edited files silently");
    assert!(again.stderr.contains("add --force"), "{}", again.stderr);
    site.build(&[]);
    assert!(site.read(GUIDE).contains("Kind Words"));
}

#[test]
fn eject_of_one_file_puts_it_where_it_overrides() {
    let site = SiteTest::bare("builtin-theme");
    let run = site.hearth(&["theme", "eject", "day.html", "static/style.css"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(site.root().join("templates/day.html")).unwrap(),
        std::fs::read_to_string(repo_root().join("themes/default/templates/day.html")).unwrap()
    );
    assert!(site.root().join("static/style.css").is_file());
    let list = site.hearth(&["theme", "list"]);
    assert!(
        list.stdout
            .lines()
            .any(|line| line.starts_with("templates/day.html")
                && line.ends_with(" templates/day.html")),
        "{}",
        list.stdout
    );
    assert!(
        list.stdout
            .lines()
            .any(|line| line.starts_with("templates/week.html") && line.ends_with(" built in")),
        "{}",
        list.stdout
    );
    let typo = site.hearth(&["theme", "eject", "dya.html"]);
    assert_eq!(typo.code, 1);
    assert!(
        typo.stderr.contains("did you mean `day.html`?"),
        "{}",
        typo.stderr
    );
}

#[test]
fn new_writes_a_site_without_a_theme_folder_and_a_gitignore() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("fresh");
    let created = std::process::Command::new(env!("CARGO_BIN_EXE_hearth"))
        .arg("new")
        .arg(&dir)
        .output()
        .unwrap();
    assert!(created.status.success());
    assert!(String::from_utf8_lossy(&created.stdout).contains("hearth theme eject"));
    assert!(!dir.join("themes").exists(), "the theme is built in");
    let ignored = std::fs::read_to_string(dir.join(".gitignore")).unwrap();
    let lines: Vec<&str> = ignored.lines().collect();
    assert_eq!(
        lines,
        [
            "/public/",
            "/.public.hearth-*",
            &format!("/{SERVE_DIR}/"),
            &format!("/.{SERVE_DIR}.hearth-*")
        ]
    );
}

/// Waits for the served file to satisfy `test`, up to a bound.
fn wait_for(path: &std::path::Path, test: impl Fn(&str) -> bool) -> String {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if test(&text) || std::time::Instant::now() > deadline {
            return text;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serve_uses_the_builtin_theme_and_watches_an_override() {
    let site = SiteTest::bare("builtin-theme");
    let server = site.serve();
    assert!(!server.first_report().failed());
    let served = site.root().join(SERVE_DIR).join(GUIDE);
    assert!(std::fs::read_to_string(&served)
        .unwrap()
        .contains("Kind Words"));
    assert!(site.root().join(SERVE_DIR).join("style.css").is_file());
    // A first templates/ folder, made with its file in one go (as eject does).
    let run = site.hearth(&["theme", "eject", "guide.html"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let override_path = site.root().join("templates/guide.html");
    let text = std::fs::read_to_string(&override_path).unwrap();
    std::fs::write(
        &override_path,
        text.replace("{% block content %}", "{% block content %}OVERRIDE-MARK"),
    )
    .unwrap();
    let page = wait_for(&served, |page| page.contains("OVERRIDE-MARK"));
    assert!(page.contains("OVERRIDE-MARK"), "the override is rendered");
    std::fs::remove_file(&override_path).unwrap();
    // Pages are written in place: wait for the whole page, not a half-written one.
    let built_in = |page: &str| !page.contains("OVERRIDE-MARK") && page.contains("</html>");
    let page = wait_for(&served, built_in);
    assert!(built_in(&page), "removing it brings back the built-in one");
    assert!(page.contains("Kind Words"));
    drop(server);
}

#[test]
fn a_misspelt_key_is_one_error_with_its_line_and_a_suggestion() {
    let site = SiteTest::bare("builtin-theme");
    site.hearth(&["theme", "eject", "day.html"]);
    let day = std::fs::read_to_string(site.root().join("templates/day.html")).unwrap();
    site.write(
        "templates/day.html",
        &day.replace("journey.title", "journey.titel"),
    );
    let run = site.hearth(&["build"]);
    assert_eq!(run.code, 1);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(
        errors.len(),
        1,
        "one per template and problem: {}",
        run.stderr
    );
    let line = day
        .lines()
        .position(|l| l.contains("journey.title"))
        .unwrap()
        + 1;
    assert!(
        errors[0].starts_with(&format!("error: templates/day.html:{line}:")),
        "{}",
        errors[0]
    );
    assert!(
        errors[0].contains("journey.titel: no such key — did you mean title? (and 1 other page)"),
        "{}",
        errors[0]
    );
    assert!(
        run.stderr.contains("journey.titel }}"),
        "the source line: {}",
        run.stderr
    );
}

#[test]
fn a_template_syntax_error_keeps_its_line_and_excerpt() {
    let site = SiteTest::bare("builtin-theme");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<main>{{ page.title | }}</main>\n{% endblock content %}\n",
    );
    let run = site.hearth(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("error: templates/page.html:3:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("template syntax error: expected"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("\n    3 | <main>{{ page.title | }}</main>"),
        "the excerpt, on its own lines: {}",
        run.stderr
    );
}

/// The built-in `base.html` renders its page-independent parts once per
/// section (`src/render/layout.rs`); a site's own copy of the same text is
/// rendered whole for every page. Both must write the same pages.
#[test]
fn the_shared_layout_parts_make_the_pages_a_whole_layout_makes() {
    let shared = SiteTest::example();
    shared.build(&[]);
    let whole = SiteTest::example();
    let builtin =
        std::fs::read_to_string(repo_root().join("themes/default/templates/base.html")).unwrap();
    // A comment renders to nothing, but the text is no longer the built-in one.
    whole.write("templates/base.html", &format!("{builtin}{{# own copy #}}"));
    whole.build(&[]);
    let pages = shared.html_files();
    assert!(pages.len() > 20, "{pages:?}");
    assert_eq!(pages.len(), whole.html_files().len());
    for page in pages {
        assert_eq!(shared.read(&page), whole.read(&page), "{page}");
    }
}
