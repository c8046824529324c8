//! `hearth serve`: a server on a free port of 127.0.0.1, run in-process on
//! a copy of `tests/fixtures/serve`, edited the way editors save (write a
//! temporary file, rename it over). Every wait is bounded.

use crate::support::SiteTest;
use hearth::serve::{rebuild_message, RebuildReport, Server, SERVE_DIR};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::mpsc::Receiver;
use std::time::Duration;

/// The longest any test waits for a rebuild or an event.
const WAIT: Duration = Duration::from_secs(10);

const DAY_2: &str = "content/journeys/calm/day-02.md";

/// A served copy of the fixture, its rebuild reports and an open event
/// stream.
struct Preview {
    site: SiteTest,
    server: Server,
    reports: Receiver<RebuildReport>,
    events: EventStream,
}

impl Preview {
    fn start() -> Preview {
        let site = SiteTest::fixture("serve");
        let server = site.serve();
        let first = server.first_report();
        assert!(!first.failed(), "{}", first.diagnostics.report());
        let reports = server.subscribe_reports();
        let events = EventStream::open(server.address());
        Preview {
            site,
            server,
            reports,
            events,
        }
    }

    fn save(&self, path: &str, text: &str) {
        save(self.site.root(), path, text);
    }

    fn edit(&self, path: &str, change: impl FnOnce(String) -> String) {
        let text = std::fs::read_to_string(self.site.root().join(path)).unwrap();
        self.save(path, &change(text));
    }

    /// The report of the next rebuild.
    fn next_report(&self) -> RebuildReport {
        self.reports
            .recv_timeout(WAIT)
            .expect("a rebuild within the time limit")
    }

    /// The next rebuild, which must succeed.
    fn rebuilt(&self) -> RebuildReport {
        let report = self.next_report();
        assert!(!report.failed(), "{}", report.diagnostics.report());
        report
    }

    fn get(&self, path: &str) -> Reply {
        request(self.server.address(), "GET", path, &self.host())
    }

    fn host(&self) -> String {
        self.server.address().to_string()
    }

    fn served_file(&self, path: &str) -> std::path::PathBuf {
        self.site.root().join(SERVE_DIR).join(path)
    }
}

/// Saves a file of a site as editors do: a temporary file renamed over the
/// old one, so the watcher never sees it half written.
fn save(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    let temporary = path.with_file_name(format!(
        ".{}.saving",
        path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&temporary, text).unwrap();
    std::fs::rename(&temporary, &path).unwrap();
}

/// A Server-Sent Events client on a raw socket.
struct EventStream {
    lines: BufReader<TcpStream>,
    /// The data of its `hello`.
    hello: serde_json::Value,
}

/// One event: its name and data.
#[derive(Debug)]
struct Event {
    name: String,
    data: serde_json::Value,
}

impl EventStream {
    fn open(address: SocketAddr) -> EventStream {
        EventStream::open_at(address, "/__hearth/events")
    }

    /// The stream the reload script of the page at `page` opens.
    fn open_for(address: SocketAddr, page: &str) -> EventStream {
        EventStream::open_at(address, &format!("/__hearth/events?page={page}"))
    }

    fn open_at(address: SocketAddr, url: &str) -> EventStream {
        let mut stream = TcpStream::connect(address).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        write!(
            stream,
            "GET {url} HTTP/1.1\r\nHost: {address}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut events = EventStream {
            lines: BufReader::new(stream),
            hello: serde_json::Value::Null,
        };
        let mut status = String::new();
        events.lines.read_line(&mut status).unwrap();
        assert!(status.starts_with("HTTP/1.1 200"), "{status}");
        let hello = events.next();
        assert_eq!(hello.name, "hello");
        events.hello = hello.data;
        events
    }

    /// The next event (comments and `retry:` lines skipped).
    fn next(&mut self) -> Event {
        let (mut name, mut data) = (String::new(), String::new());
        loop {
            let mut line = String::new();
            let read = self.lines.read_line(&mut line).expect("an event in time");
            assert!(read > 0, "the event stream ended");
            let line = line.trim_end();
            if let Some(value) = line.strip_prefix("event: ") {
                name = value.to_string();
            } else if let Some(value) = line.strip_prefix("data: ") {
                data = value.to_string();
            } else if line.is_empty() && !name.is_empty() {
                return Event {
                    name,
                    data: serde_json::from_str(&data).unwrap(),
                };
            }
        }
    }
}

/// An HTTP response.
#[derive(Debug)]
struct Reply {
    status: u16,
    head: String,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then_some(value.trim())
        })
    }
}

/// Sends one request with the path exactly as given (no normalization).
fn request(address: SocketAddr, method: &str, path: &str, host: &str) -> Reply {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {head}"));
    Reply {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

fn sorted(paths: &[&str]) -> Vec<String> {
    let mut paths: Vec<String> = paths.iter().map(|p| p.to_string()).collect();
    paths.sort();
    paths
}

#[test]
fn a_saved_day_reloads_its_page_with_the_new_text() {
    let mut preview = Preview::start();
    let before = preview.get("/journeys/calm/day-2/");
    assert_eq!(before.status, 200);
    assert!(before.body.contains("Day 2 text"));
    assert!(before.body.contains("data-hearth-live-reload"));

    preview.edit(DAY_2, |text| text.replace("Day 2 text", "Day 2, rewritten"));
    let event = preview.events.next();
    assert_eq!(event.name, "reload");
    assert_eq!(event.data["all"], false);
    // The edit is in Today's Learning, which no worksheet shows: the
    // worksheets' texts are the same, so only the day page reloads.
    assert_eq!(
        event.data["pages"],
        serde_json::json!(["/journeys/calm/day-2/"])
    );

    let after = preview.get("/journeys/calm/day-2/");
    assert!(after.body.contains("Day 2, rewritten"), "{}", after.body);
    assert!(!after.body.contains("hearth-overlay"));
}

#[test]
fn a_day_text_edit_renders_that_day_and_its_worksheets_only() {
    let preview = Preview::start();
    preview.edit(DAY_2, |text| text + "\nOne more sentence.\n");
    assert_eq!(
        preview.rebuilt().rendered,
        [
            "journeys/calm/day-2/index.html",
            "journeys/calm/day-2/worksheet/index.html",
            "journeys/calm/week-1/worksheets/index.html",
            "journeys/calm/worksheets/index.html",
        ]
    );
}

#[test]
fn a_day_title_edit_renders_the_pages_that_show_the_title() {
    let preview = Preview::start();
    preview.edit(DAY_2, |text| {
        text.replace("Quiet Mornings", "Slow Mornings")
    });
    assert_eq!(
        preview.rebuilt().rendered,
        sorted(&[
            // The day and its worksheets, its neighbours' previous/next
            // links, its week and journey, the topic pages listing it, the
            // guide whose "Referenced by" names it, and the home page and
            // journey list, whose journey cards carry day links.
            "index.html",
            "journeys/index.html",
            "journeys/calm/day-2/index.html",
            "journeys/calm/day-2/worksheet/index.html",
            "journeys/calm/week-1/worksheets/index.html",
            "journeys/calm/worksheets/index.html",
            "journeys/calm/day-1/index.html",
            "journeys/calm/day-3/index.html",
            "journeys/calm/week-1/index.html",
            "journeys/calm/index.html",
            "topics/calm/index.html",
            "topics/trust/index.html",
            "guides/trust/index.html",
        ])
    );
    assert!(preview
        .get("/journeys/calm/day-3/")
        .body
        .contains("Slow Mornings"));
}

#[test]
fn a_guide_text_edit_renders_that_guide_only() {
    let preview = Preview::start();
    preview.edit("content/guides/listening.md", |text| {
        text + "\nA second paragraph.\n"
    });
    assert_eq!(preview.rebuilt().rendered, ["guides/listening/index.html"]);
}

#[test]
fn a_guide_description_edit_renders_the_pages_that_list_or_link_it() {
    let preview = Preview::start();
    preview.edit("content/guides/listening.md", |text| {
        text.replace("Hear before you answer.", "Hear first.")
    });
    assert_eq!(
        preview.rebuilt().rendered,
        sorted(&[
            "guides/listening/index.html",
            // Lists with its card.
            "index.html",
            "guides/index.html",
            "topics/listening/index.html",
            "topics/trust/index.html",
            // Its Read-more card and related card on trust; related on day 2.
            "guides/trust/index.html",
            "journeys/calm/day-2/index.html",
            // Its summary in the feed (the sitemap has no descriptions).
            "atom.xml",
        ])
    );
}

#[test]
fn a_template_edit_renders_the_pages_that_use_it() {
    let preview = Preview::start();
    preview.edit("themes/default/templates/day.html", |text| {
        text.replace(
            "{% block content %}",
            "{% block content %}<p>day template edited</p>",
        )
    });
    let days: Vec<String> = (1..=6)
        .map(|d| format!("journeys/calm/day-{d}/index.html"))
        .collect();
    assert_eq!(preview.rebuilt().rendered, days);
    assert!(preview
        .get("/journeys/calm/day-4/")
        .body
        .contains("day template edited"));

    // macros.html is imported by most page templates, not by page.html,
    // topic_list.html or 404.html.
    preview.edit("themes/default/templates/macros.html", |text| text + "\n");
    let rendered = preview.rebuilt().rendered;
    for page in [
        "guides/trust/index.html",
        "journeys/calm/week-2/index.html",
        "index.html",
    ] {
        assert!(rendered.iter().any(|p| p == page), "{page} in {rendered:?}");
    }
    for page in [
        "about/index.html",
        "topics/index.html",
        "404.html",
        "sitemap.xml",
    ] {
        assert!(
            !rendered.iter().any(|p| p == page),
            "{page} in {rendered:?}"
        );
    }

    // The worksheet pages' own base template: worksheets only.
    preview.edit("themes/default/templates/worksheet_base.html", |text| {
        text + "\n"
    });
    let rendered = preview.rebuilt().rendered;
    let worksheets: Vec<&String> = preview
        .server
        .first_report()
        .rendered
        .iter()
        .filter(|p| p.contains("/worksheet"))
        .collect();
    assert!(worksheets.len() >= 9, "{worksheets:?}");
    assert_eq!(rendered.iter().collect::<Vec<_>>(), worksheets);
}

#[test]
fn new_and_deleted_guides_add_and_remove_their_pages() {
    let preview = Preview::start();
    preview.save(
        "content/guides/patience.md",
        "---\ntitle: Patience\ndate: 2026-02-01\ntopics: [Calm]\n---\nWait a little.\n",
    );
    let report = preview.rebuilt();
    for page in [
        "guides/patience/index.html",
        "guides/index.html",
        "index.html",
        "topics/calm/index.html",
        "sitemap.xml",
    ] {
        assert!(
            report.rendered.iter().any(|p| p == page),
            "{page} in {:?}",
            report.rendered
        );
    }
    assert_eq!(preview.get("/guides/patience/").status, 200);

    std::fs::remove_file(preview.site.root().join("content/guides/patience.md")).unwrap();
    let report = preview.rebuilt();
    assert_eq!(report.removed, ["guides/patience/index.html"]);
    assert!(report.rendered.iter().any(|p| p == "sitemap.xml"));
    assert!(!preview.served_file("guides/patience").exists());
    assert_eq!(preview.get("/guides/patience/").status, 404);
}

#[test]
fn a_stylesheet_change_is_copied_and_swapped_without_a_reload() {
    let mut preview = Preview::start();
    preview.save("static/extra.css", "body { margin: 1rem; }\n");
    let report = preview.rebuilt();
    assert_eq!(report.copied, ["extra.css"]);
    assert!(report.rendered.is_empty());
    assert_eq!(preview.events.next().name, "css");
    let css = preview.get("/extra.css");
    assert_eq!(css.body, "body { margin: 1rem; }\n");
    assert_eq!(css.header("Content-Type"), Some("text/css; charset=utf-8"));
}

#[test]
fn a_broken_save_shows_the_error_over_the_last_good_page_until_fixed() {
    let mut preview = Preview::start();
    preview.edit(DAY_2, |text| {
        text.replace(
            "topics: [Calm, Trust]",
            "topics: {<script>alert(1)</script>: 1}",
        )
    });
    let report = preview.next_report();
    assert!(report.failed());
    assert!(report.rendered.is_empty());
    let event = preview.events.next();
    assert_eq!(
        (event.name.as_str(), &event.data["all"]),
        ("reload", &serde_json::json!(true))
    );

    let page = preview.get("/journeys/calm/day-2/");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Day 2 text"),
        "the last good page is served"
    );
    assert!(page.body.contains("id=\"hearth-overlay\""));
    assert!(
        page.body.contains("content/journeys/calm/day-02.md:4"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("&gt; 4 | topics: {&lt;script&gt;alert(1)&lt;/script&gt;: 1}"),
        "source lines, escaped"
    );
    assert!(!page.body.contains("<script>alert(1)"));
    assert!(
        preview.get("/").body.contains("hearth-overlay"),
        "every page shows it"
    );

    preview.edit(DAY_2, |text| {
        text.replace(
            "topics: {<script>alert(1)</script>: 1}",
            "topics: [Calm, Trust]",
        )
        .replace("Day 2 text", "Day 2, fixed")
    });
    preview.rebuilt();
    let event = preview.events.next();
    assert_eq!(
        (event.name.as_str(), &event.data["all"]),
        ("reload", &serde_json::json!(true))
    );
    let page = preview.get("/journeys/calm/day-2/");
    assert!(page.body.contains("Day 2, fixed"));
    assert!(!page.body.contains("hearth-overlay"));
}

#[test]
fn paths_out_of_the_output_get_404() {
    let preview = Preview::start();
    for path in [
        "/../site.toml",
        "/%2e%2e/site.toml",
        "/%2E%2e/site.toml",
        "/..%2fsite.toml",
        "/..%5csite.toml",
        "/..\\site.toml",
        "/guides/../../site.toml",
        "/%00",
        "//etc/passwd",
        "/C:/Windows/win.ini",
    ] {
        assert_eq!(preview.get(path).status, 404, "{path}");
    }
    #[cfg(unix)]
    {
        let secret = preview.site.root().join("secret.txt");
        std::fs::write(&secret, "secret").unwrap();
        std::os::unix::fs::symlink(&secret, preview.served_file("leak.txt")).unwrap();
        assert_eq!(preview.get("/leak.txt").status, 404);
    }
}

#[test]
fn unexpected_hosts_get_403_and_other_methods_405() {
    let preview = Preview::start();
    let address = preview.server.address();
    let port = address.port();
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}")] {
        assert_eq!(request(address, "GET", "/", &host).status, 200, "{host}");
    }
    for host in [
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        "127.0.0.1:1".to_string(),
    ] {
        assert_eq!(request(address, "GET", "/", &host).status, 403, "{host}");
    }
    let post = request(address, "POST", "/", &preview.host());
    assert_eq!(post.status, 405);
    assert_eq!(post.header("Allow"), Some("GET, HEAD"));
    let head = request(address, "HEAD", "/", &preview.host());
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
}

#[test]
fn serves_folders_content_types_and_the_404_page() {
    let preview = Preview::start();
    let home = preview.get("/");
    assert_eq!(
        home.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    let port = preview.server.address().port();
    assert!(
        home.body
            .contains(&format!("href=\"http://127.0.0.1:{port}/\"")),
        "links use the local address"
    );
    let folder = preview.get("/guides/trust");
    assert_eq!(folder.status, 302);
    assert_eq!(folder.header("Location"), Some("/guides/trust/"));
    assert_eq!(
        preview.get("/atom.xml").header("Content-Type"),
        Some("application/atom+xml")
    );
    let missing = preview.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("Page not found"),
        "the site's 404 page"
    );
    assert!(missing.body.contains("data-hearth-live-reload"));
}

#[test]
fn the_preview_never_touches_public_and_build_output_has_no_script() {
    let preview = Preview::start();
    assert!(!preview.site.root().join("public").exists());
    assert!(preview.served_file("index.html").is_file());
    let on_disk = std::fs::read_to_string(preview.served_file("index.html")).unwrap();
    assert!(
        !on_disk.contains("__hearth"),
        "the script is added when served"
    );

    preview.site.build(&[]);
    for page in preview.site.html_files() {
        assert!(!preview.site.read(&page).contains("__hearth"), "{page}");
    }
}

#[test]
fn serve_clears_the_serve_folder_an_earlier_one_was_stopped_from_removing() {
    let site = SiteTest::fixture("serve");
    let leftover = site.root().join(format!(".{SERVE_DIR}.hearth-removing-1"));
    std::fs::create_dir_all(leftover.join("guides/old")).unwrap();
    std::fs::write(leftover.join(hearth::write::MARKER_FILE), "").unwrap();
    std::fs::write(leftover.join("guides/old/index.html"), "old").unwrap();
    let server = site.serve();
    let deadline = std::time::Instant::now() + WAIT;
    while leftover.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!leftover.exists(), "the stopped removal is finished");
    assert!(site.root().join(SERVE_DIR).join("index.html").is_file());
    server.stop();
}

#[test]
fn a_taken_port_moves_to_the_next_one() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let site = SiteTest::fixture("serve");
    let server = site.serve_on(port);
    assert!(server.address().port() > port);
    assert_eq!(
        request(server.address(), "GET", "/", &server.address().to_string()).status,
        200
    );
}

#[test]
fn the_command_serves_until_stopped() {
    let site = SiteTest::fixture("serve");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_hearth"))
        .args(["serve", "--port", "0", "--root"])
        .arg(site.root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = sender.send(line);
    });
    let line = receiver.recv_timeout(WAIT);
    let reply = line.as_ref().ok().and_then(|line| {
        let url = line.split(" at ").nth(1)?.split_whitespace().next()?;
        let address: SocketAddr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .ok()?;
        Some(request(address, "GET", "/guides/", &address.to_string()))
    });
    child.kill().unwrap();
    child.wait().unwrap();
    let reply = reply.unwrap_or_else(|| panic!("no address in {line:?}"));
    assert_eq!(reply.status, 200);
    assert!(reply.body.contains("Building Trust"));
    assert!(Path::new(site.root())
        .join(SERVE_DIR)
        .join(".gitignore")
        .is_file());
}

/// After each edit, the preview folder holds exactly what a full build
/// with the same base URL writes: no page the planner missed is stale.
#[test]
fn every_rebuild_matches_a_full_build() {
    let preview = Preview::start();
    type Edit = fn(&Preview);
    let steps: &[(&str, Edit)] = &[
        ("day text", |p| {
            p.edit(DAY_2, |t| t.replace("Day 2 text", "Day 2 words"))
        }),
        ("day title", |p| {
            p.edit(DAY_2, |t| t.replace("Quiet Mornings", "Still Mornings"))
        }),
        ("guide description", |p| {
            p.edit("content/guides/listening.md", |t| {
                t.replace("Hear before", "Listen before")
            })
        }),
        ("Read-more target", |p| {
            p.edit("content/guides/trust.md", |t| {
                t.replace("Read more: Listening Well", "Read more: Saying Thanks")
            })
        }),
        ("day topics", |p| {
            p.edit("content/journeys/calm/day-04.md", |t| {
                t.replace("topics: [Calm]", "topics: [Calm, Gratitude]")
            })
        }),
        ("guide date", |p| {
            p.edit("content/guides/gratitude.md", |t| {
                t.replace("2026-01-01", "2026-03-01")
            })
        }),
        ("new guide", |p| {
            p.save(
                "content/guides/patience.md",
                "---\ntitle: Patience\ndate: 2026-02-01\ntopics: [Calm, Trust]\n---\nWait a little.\n\nRead more: Building Trust\n",
            )
        }),
        ("deleted guide", |p| {
            std::fs::remove_file(p.site.root().join("content/guides/gratitude.md")).unwrap()
        }),
        ("day moved to another week", |p| {
            p.edit("content/journeys/calm/day-03.md", |t| {
                t.replace("day: 3\n", "day: 3\nweek: 2\n")
            })
        }),
        ("week theme", |p| {
            p.edit("content/journeys/calm/journey.md", |t| {
                t.replace("Staying Calm", "Keeping Calm")
                    + "\n### Week 3: Carrying On\n- Keeping going\n"
            })
        }),
        ("new day", |p| {
            let text =
                std::fs::read_to_string(p.site.root().join("content/journeys/calm/day-05.md"))
                    .unwrap();
            p.save(
                "content/journeys/calm/day-07.md",
                &text.replace("day: 5", "day: 7").replace("week: 2\n", ""),
            )
        }),
        ("heading anchor", |p| {
            p.edit("content/guides/listening.md", |t| {
                t + "\n## Pausing\n\nA pause helps.\n"
            })
        }),
        ("internal link", |p| {
            p.edit("content/guides/patience.md", |t| {
                t + "\nSee [pausing](@/guides/listening.md#pausing).\n"
            })
        }),
        ("day loses its worksheet", |p| {
            p.edit("content/journeys/calm/day-06.md", |t| {
                t.replace("### Today's Activity", "### Today's Story")
                    .replace("### Reflection Questions", "### Notes")
            })
        }),
        ("guide gains a worksheet", |p| {
            p.edit("content/guides/listening.md", |t| {
                t + "\n## Practical exercises\n\n1. Listen for one minute without answering.\n"
            })
        }),
        ("page title", |p| {
            p.edit("content/about.md", |t| {
                t.replace("title: About", "title: About us")
            })
        }),
        ("home text", |p| {
            p.edit("content/_index.md", |t| {
                t.replace("Welcome home.", "Welcome in.")
            })
        }),
        ("journey folder renamed", |p| {
            let journeys = p.site.root().join("content/journeys");
            std::fs::rename(journeys.join("calm"), journeys.join("serene")).unwrap()
        }),
        ("day in the renamed folder", |p| {
            p.edit("content/journeys/serene/day-01.md", |t| {
                t.replace("Day 1 text", "Day one text")
            })
        }),
        ("base template", |p| {
            p.edit("themes/default/templates/base.html", |t| {
                t.replace("<main", "<main data-edited")
            })
        }),
        ("site.toml", |p| {
            p.edit("site.toml", |t| t.replace("Serve Test", "Serve Test Site"))
        }),
    ];
    for (step, edit) in steps {
        edit(&preview);
        let report = preview.rebuilt();
        assert!(report.touched_output(), "{step}: nothing rendered");
        assert_same_files(&preview, &report, step);
    }
}

/// Compares the preview folder, and the warnings of the rebuild's report,
/// with a fresh `hearth build` of the site.
fn assert_same_files(preview: &Preview, report: &RebuildReport, step: &str) {
    preview.server.wait_for_search_index();
    let built = tempfile::tempdir().unwrap();
    let output = built.path().join("out");
    let run = build_preview_site(preview, &output);
    assert_eq!(run.code, 0, "{step}: {}", run.stderr);
    assert_eq!(
        warning_lines(&report.diagnostics.report()),
        warning_lines(&run.stderr),
        "{step}: the warnings a full build prints"
    );
    let served = preview.site.root().join(SERVE_DIR);
    let files = |root: &Path| -> Vec<String> {
        let mut files: Vec<String> = walkdir::WalkDir::new(root)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .filter(|path| !path.starts_with('.'))
            .collect();
        files.sort();
        files
    };
    assert_eq!(files(&served), files(&output), "{step}: the same files");
    for file in files(&output) {
        let expected = std::fs::read_to_string(output.join(&file)).unwrap();
        let actual = crate::support::without_preview_marks(
            &std::fs::read_to_string(served.join(&file)).unwrap(),
        );
        assert!(
            actual == expected,
            "{step}: {file} is stale:\n{actual}\n---- a full build writes ----\n{expected}"
        );
    }
}

/// `hearth build` of the served site, with the preview's base URL, into
/// `output`.
fn build_preview_site(preview: &Preview, output: &Path) -> crate::support::Run {
    let url = preview.server.url();
    preview.site.hearth(&[
        "build",
        "--base-url",
        &url,
        "--output",
        output.to_str().unwrap(),
    ])
}

/// The `warning: …` lines of some output.
fn warning_lines(output: &str) -> Vec<&str> {
    output
        .lines()
        .filter(|line| line.starts_with("warning: "))
        .collect()
}

/// A change can cause warnings in files it did not touch (a renamed guide
/// leaves other files' Read-more lines unmatched): the rebuild reports
/// them as `build` does, and the terminal shows the new ones. A quick text
/// edit keeps the warnings that still apply, at their new lines.
#[test]
fn a_rebuild_reports_the_warnings_a_build_prints() {
    let preview = Preview::start();
    let first = preview.server.first_report();
    assert_eq!(
        first.diagnostics.warning_count(),
        0,
        "{}",
        first.diagnostics.report()
    );
    let unmatched =
        "warning: content/guides/trust.md:9: Read more: no guide titled \"Listening Well\"";
    let check = |report: &RebuildReport, previous: &RebuildReport, expected: &[&str]| {
        let built = tempfile::tempdir().unwrap();
        let run = build_preview_site(&preview, &built.path().join("out"));
        let printed = warning_lines(&run.stderr);
        let reported = report.diagnostics.report();
        assert_eq!(warning_lines(&reported), printed, "as `build` prints them");
        let starts: Vec<&str> = printed
            .iter()
            .map(|line| &line[..line.find(" — ").unwrap_or(line.len())])
            .collect();
        assert_eq!(starts, expected);
        rebuild_message(report, &previous.diagnostics)
    };

    // The title the Read-more line of trust.md names changes: the warning
    // is in trust.md, which did not change.
    preview.edit("content/guides/listening.md", |t| {
        t.replace("title: Listening Well", "title: Listening Closely")
    });
    let renamed = preview.rebuilt();
    let message = check(&renamed, first, &[unmatched]);
    assert!(
        message.contains(&format!(
            "{unmatched} — did you mean \"Listening Closely\"?"
        )),
        "{message}"
    );
    assert!(message.contains("(1 warning: 1 new)"), "{message}");

    // A text edit above the Read-more line: the quick path moves the
    // warning to the line's new place; trust.md changed, so it shows.
    preview.edit("content/guides/trust.md", |t| {
        t.replace("kept.\n\n", "kept.\n\nKeep them small.\n\n")
    });
    let moved = preview.rebuilt();
    assert_eq!(
        moved.rendered,
        ["guides/trust/index.html"],
        "the quick path"
    );
    let moved_line =
        "warning: content/guides/trust.md:11: Read more: no guide titled \"Listening Well\"";
    let message = check(&moved, &renamed, &[moved_line]);
    assert!(message.contains(moved_line), "{message}");
    assert!(
        !message.contains("warnings") && !message.contains("1 warning"),
        "a warning that only moved did not change: {message}"
    );

    // A text edit elsewhere keeps the warning in the report, and the
    // terminal does not repeat it.
    preview.edit("content/guides/listening.md", |t| {
        t + "\nA second paragraph.\n"
    });
    let elsewhere = preview.rebuilt();
    assert_eq!(elsewhere.rendered, ["guides/listening/index.html"]);
    let message = check(&elsewhere, &moved, &[moved_line]);
    assert!(
        !message.contains("warning"),
        "unchanged warnings are not repeated, nor counted: {message}"
    );

    // A template edit keeps it too.
    preview.edit("themes/default/templates/day.html", |t| t + "\n");
    let template = preview.rebuilt();
    check(&template, &elsewhere, &[moved_line]);

    // Fixed: no warning left.
    preview.edit("content/guides/trust.md", |t| {
        t.replace("Read more: Listening Well", "Read more: Listening Closely")
    });
    let fixed = preview.rebuilt();
    let message = check(&fixed, &template, &[]);
    assert!(!message.contains("warning:"), "{message}");
    assert!(message.contains("(0 warnings: 1 fixed)"), "{message}");
}

#[test]
fn a_broken_template_or_config_shows_the_error_until_fixed() {
    let preview = Preview::start();
    preview.edit("themes/default/templates/day.html", |t| {
        t.replace("{% block content %}", "{% block content %}{{ oops(")
    });
    let report = preview.next_report();
    assert!(report.failed());
    let page = preview.get("/journeys/calm/day-1/");
    assert!(page.body.contains("hearth-overlay"));
    assert!(
        page.body.contains("themes/default/templates/day.html"),
        "{}",
        page.body
    );
    preview.edit("themes/default/templates/day.html", |t| {
        t.replace("{{ oops(", "<p>repaired</p>")
    });
    assert_eq!(preview.rebuilt().rendered.len(), 6, "the day pages");
    assert!(preview
        .get("/journeys/calm/day-1/")
        .body
        .contains("repaired"));

    preview.edit("site.toml", |t| t + "\nunknown_key = 1\n");
    assert!(preview.next_report().failed());
    let page = preview.get("/guides/trust/");
    assert!(page.body.contains("Building Trust"), "the last good page");
    assert!(page.body.contains("unknown_key"), "{}", page.body);
    preview.edit("site.toml", |t| t.replace("\nunknown_key = 1\n", ""));
    assert!(preview.rebuilt().full);
    assert!(!preview
        .get("/guides/trust/")
        .body
        .contains("hearth-overlay"));
}

#[test]
fn a_site_that_does_not_build_at_first_still_serves_its_errors() {
    let site = SiteTest::fixture("serve");
    site.write(DAY_2, "---\nday: two\n---\nText.\n");
    // A site that fails still starts.
    let server = site.serve();
    assert!(server.first_report().failed());
    let reports = server.subscribe_reports();
    let host = server.address().to_string();
    let page = request(server.address(), "GET", "/", &host);
    assert_eq!(page.status, 404);
    assert!(page.body.contains("hearth-overlay"));
    assert!(
        page.body.contains("content/journeys/calm/day-02.md:2"),
        "{}",
        page.body
    );

    save(site.root(), DAY_2, "---\nday: 2\ntitle: Back\n---\nText.\n");
    let report = reports.recv_timeout(WAIT).expect("a rebuild");
    assert!(!report.failed(), "{}", report.diagnostics.report());
    let page = request(server.address(), "GET", "/journeys/calm/day-2/", &host);
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("hearth-overlay"));
}

/// `ln -s /outside/secret static/leak.txt` while serving: `build` never
/// copies a symbolic link, so the preview must not serve one either.
#[test]
fn a_symlink_added_to_static_while_serving_is_not_served() {
    let preview = Preview::start();
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret");
    std::fs::write(&secret, "the secret").unwrap();
    std::os::unix::fs::symlink(&secret, preview.site.root().join("static/leak.txt")).unwrap();
    std::os::unix::fs::symlink(outside.path(), preview.site.root().join("static/outside")).unwrap();
    // A change to wait for, after the links (which may come as a rebuild
    // of their own: it reports the new warnings).
    preview.save("static/extra.css", "body { margin: 2rem; }\n");
    let report = loop {
        let report = preview.rebuilt();
        if !report.copied.is_empty() {
            break report;
        }
    };
    assert_eq!(report.copied, ["extra.css"]);
    // Named in a warning, as `build` names it.
    let warnings = report.diagnostics.report();
    for link in ["static/leak.txt", "static/outside"] {
        assert!(
            warnings.contains(&format!(
                "warning: {link}: not copied: it is a symbolic link"
            )),
            "{warnings}"
        );
    }
    for path in ["/leak.txt", "/outside/secret"] {
        let reply = preview.get(path);
        assert_eq!(reply.status, 404, "{path}");
        assert!(!reply.body.contains("the secret"));
    }
    assert!(!preview.served_file("leak.txt").exists());
}

/// `mkdir templates && echo '{% if %}' > templates/page.html` while
/// serving: the new folder is watched, the broken template shows its
/// error, and fixing it renders the pages again.
#[test]
fn a_templates_folder_made_while_serving_is_watched() {
    let preview = Preview::start();
    assert!(!preview.site.root().join("templates").exists());
    let templates = preview.site.root().join("templates");
    std::fs::create_dir(&templates).unwrap();
    // Saved as editors save (a write is seen half done: an empty
    // template that renders the page blank, which made this test flaky).
    preview.save("templates/page.html", "{% if %}");
    // The empty folder may come as a rebuild of its own (which changes
    // nothing): wait for the broken template.
    let report = loop {
        let report = preview.next_report();
        if report.failed() {
            break report;
        }
        assert!(report.rendered.is_empty(), "{:?}", report.rendered);
    };
    assert!(
        report.diagnostics.report().contains("templates/page.html"),
        "{}",
        report.diagnostics.report()
    );
    assert!(preview.get("/about/").body.contains("hearth-overlay"));

    preview.save(
        "templates/page.html",
        "<!doctype html><html lang=\"en\"><head><title>{{ page.title }}</title></head><body><main>own {{ page.title }}</main></body></html>",
    );
    // The folder and the file may come as two rebuilds: wait for the fix.
    let report = loop {
        let report = preview.next_report();
        if !report.failed() {
            break report;
        }
    };
    assert!(report.rendered.contains(&"about/index.html".to_string()));
    let page = preview.get("/about/");
    assert!(page.body.contains("own About"), "{}", page.body);
    assert!(!page.body.contains("hearth-overlay"));
}

/// A `static/` folder made while serving (after the old one was removed)
/// is watched and copied.
#[test]
fn a_static_folder_made_while_serving_is_watched() {
    let preview = Preview::start();
    let folder = preview.site.root().join("static");
    std::fs::remove_dir_all(&folder).unwrap();
    let report = preview.rebuilt();
    assert_eq!(report.copied, ["extra.css"]);
    assert_eq!(preview.get("/extra.css").status, 404);

    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("fresh.css"), "p { color: teal; }\n").unwrap();
    let mut copied = Vec::new();
    while preview.get("/fresh.css").status != 200 {
        copied.extend(preview.rebuilt().copied);
    }
    assert_eq!(preview.get("/fresh.css").body, "p { color: teal; }\n");
}

/// `touch` (or a save with the same bytes) changes nothing: no rebuild,
/// no reload. Contents are compared, not modification times.
#[test]
fn touch_with_no_content_change_does_not_rebuild_or_reload() {
    let mut preview = Preview::start();
    let root = preview.site.root().to_path_buf();
    let later = std::time::SystemTime::now() + Duration::from_secs(60);
    for path in [
        DAY_2,
        "content/guides/trust.md",
        "themes/default/templates/base.html",
        "static/extra.css",
        "site.toml",
    ] {
        let file = std::fs::File::options()
            .append(true)
            .open(root.join(path))
            .unwrap();
        file.set_modified(later).unwrap();
    }
    preview.edit("content/guides/trust.md", |t| t); // the same bytes
    std::thread::sleep(Duration::from_millis(300));
    // The first rebuild after all that is this edit's.
    preview.edit("content/about.md", |t| t + "\nMore about us.\n");
    // It may come in one batch with the touches; they render nothing.
    let report = preview.rebuilt();
    assert_eq!(report.rendered, ["about/index.html"]);
    assert!(report.copied.is_empty() && report.removed.is_empty());
    let event = preview.events.next();
    assert_eq!(event.name, "reload");
    assert_eq!(event.data["pages"], serde_json::json!(["/about/"]));
}

/// The fixture with 40 more guides and the built-in `base.html` as its own,
/// so that a `base.html` edit renders more pages than are written in one go.
fn large_site() -> SiteTest {
    let site = SiteTest::fixture("serve");
    for i in 0..40 {
        site.write(
            &format!("content/guides/extra-{i:02}.md"),
            &format!("---\ntitle: \"Extra guide {i}\"\ndate: 2024-02-{:02}\n---\nA guide to fill the site.\n", 1 + i % 28),
        );
    }
    let base = crate::support::repo_root().join("themes/default/templates/base.html");
    site.write(
        "templates/base.html",
        &std::fs::read_to_string(base).unwrap(),
    );
    site
}

#[test]
fn a_large_rebuild_writes_the_open_page_first_and_tells_it_once() {
    let site = large_site();
    let server = site.serve();
    assert!(!server.first_report().failed());
    let reports = server.subscribe_reports();
    let mut viewer = EventStream::open_for(server.address(), "/guides/extra-07/");
    let mut other = EventStream::open(server.address());
    let base = std::fs::read_to_string(site.root().join("templates/base.html")).unwrap();
    save(
        site.root(),
        "templates/base.html",
        &format!("{base}<!-- edited -->\n"),
    );
    let report = reports.recv_timeout(WAIT).expect("a rebuild");
    assert!(!report.failed(), "{}", report.diagnostics.report());
    assert!(report.rendered.len() > 32, "{}", report.rendered.len());
    assert_eq!(report.announced, ["guides/extra-07/index.html"]);
    assert!(report.announced_after.unwrap() <= report.elapsed);
    assert!(rebuild_message(&report, &Default::default()).contains("(the open page in "));

    // The open page is told first, and not again by the event for the rest.
    let first = viewer.next();
    assert_eq!(first.name, "reload");
    assert_eq!(
        first.data["pages"],
        serde_json::json!(["/guides/extra-07/"])
    );
    let rest = viewer.next();
    assert_eq!(rest.name, "reload");
    assert_eq!(
        rest.data["except"],
        serde_json::json!(["/guides/extra-07/"])
    );
    let pages = rest.data["pages"].as_array().unwrap();
    assert!(!pages.contains(&serde_json::json!("/guides/extra-07/")));
    assert!(pages.contains(&serde_json::json!("/guides/extra-08/")));
    // A stream that names no page gets the same two events.
    assert_eq!(other.next().data, first.data);
    assert_eq!(other.next().data, rest.data);
    for page in ["/guides/extra-07/", "/guides/extra-08/", "/"] {
        let reply = request(server.address(), "GET", page, &server.address().to_string());
        assert!(reply.body.contains("<!-- edited -->"), "{page}");
    }
    // Regression (a page told first reloaded twice when it connected
    // after the rest was written): the build it was told at is as new for
    // it, and for it alone.
    let told = EventStream::open_for(server.address(), "/guides/extra-07/").hello;
    let fresh = told["fresh"].as_array().unwrap();
    assert_eq!(fresh.len(), 1, "{told}");
    assert_ne!(fresh[0], told["build"]);
    let untold = EventStream::open_for(server.address(), "/guides/extra-08/").hello;
    assert_eq!(untold["fresh"], serde_json::json!([]));
    assert_eq!(untold["build"], told["build"]);
}

#[test]
fn a_rebuild_of_the_open_page_alone_tells_it_once() {
    let site = large_site();
    let server = site.serve();
    let reports = server.subscribe_reports();
    let mut viewer = EventStream::open_for(server.address(), "/guides/extra-07/");
    for (page, from, to) in [
        ("07", "to fill the site", "to fill it up"),
        ("08", "A guide", "One guide"),
    ] {
        let path = format!("content/guides/extra-{page}.md");
        let text = std::fs::read_to_string(site.root().join(&path)).unwrap();
        save(site.root(), &path, &text.replace(from, to));
        let report = reports.recv_timeout(WAIT).expect("a rebuild");
        assert_eq!(report.rendered, [format!("guides/extra-{page}/index.html")]);
    }
    // One event for the open page, written first; none for the rest of
    // that rebuild, which changed nothing else; then the next rebuild's.
    let event = viewer.next();
    assert_eq!(
        event.data["pages"],
        serde_json::json!(["/guides/extra-07/"])
    );
    let event = viewer.next();
    assert_eq!(
        event.data["pages"],
        serde_json::json!(["/guides/extra-08/"])
    );
    assert_eq!(event.data["except"], serde_json::json!([]));
}

#[test]
fn a_day_edit_writes_the_open_day_before_its_worksheets() {
    let mut preview = Preview::start();
    let mut viewer = EventStream::open_for(preview.server.address(), "/journeys/calm/day-2/");
    preview.edit(DAY_2, |text| text.replace("five minutes", "ten minutes"));
    let report = preview.rebuilt();
    assert_eq!(
        report.announced,
        ["journeys/calm/day-2/index.html"],
        "{:?}",
        report.rendered
    );
    assert!(report.rendered.len() > 1, "{:?}", report.rendered);
    let first = viewer.next();
    assert_eq!(
        first.data["pages"],
        serde_json::json!(["/journeys/calm/day-2/"])
    );
    assert_eq!(
        viewer.next().data["except"],
        serde_json::json!(["/journeys/calm/day-2/"])
    );
    // The stream that names no page hears both.
    assert_eq!(preview.events.next().data, first.data);
    assert!(preview
        .get("/journeys/calm/day-2/")
        .body
        .contains("ten minutes"));
}

#[test]
fn the_open_page_is_in_place_before_the_rest_is_rendered() {
    use hearth::serve::workspace::Viewers;
    use std::cell::RefCell;

    /// Reads two served files when told the open page is written.
    struct Looking {
        output: std::path::PathBuf,
        seen: RefCell<Vec<(String, bool, bool)>>,
    }
    impl Viewers for Looking {
        fn viewed(&self) -> Vec<String> {
            vec![
                "guides/extra-07/index.html".into(),
                "no/such/page.html".into(),
            ]
        }
        fn written_first(&self, pages: &[String]) {
            let edited = |page: &str| {
                std::fs::read_to_string(self.output.join(page))
                    .unwrap()
                    .contains("<!-- edited -->")
            };
            self.seen.borrow_mut().push((
                pages.join(","),
                edited("guides/extra-07/index.html"),
                edited("guides/extra-08/index.html"),
            ));
        }
    }

    let site = large_site();
    let output = site.root().join(SERVE_DIR);
    let mut workspace = hearth::serve::Workspace::new(hearth::serve::Settings {
        root: site.root().to_path_buf(),
        output: output.clone(),
        base_url: "http://127.0.0.1:1111".into(),
        drafts: false,
    });
    assert!(!workspace.build_all().failed());
    let base = std::fs::read_to_string(site.root().join("templates/base.html")).unwrap();
    site.write("templates/base.html", &format!("{base}<!-- edited -->\n"));
    let looking = Looking {
        output: output.clone(),
        seen: RefCell::default(),
    };
    let changes =
        hearth::serve::watch::classify_all(site.root(), [site.root().join("templates/base.html")]);
    let report = workspace.rebuild_for(&changes, &looking).unwrap();
    assert!(!report.failed(), "{}", report.diagnostics.report());
    assert_eq!(
        looking.seen.into_inner(),
        [("guides/extra-07/index.html".to_string(), true, false)]
    );
    let rest = std::fs::read_to_string(output.join("guides/extra-08/index.html")).unwrap();
    assert!(rest.contains("<!-- edited -->"));
}
