//! Live-preview latency on the benchmark corpus: `cargo bench --bench serve`.
//!
//! Generates the corpus of `benches/gen_corpus.py` (`--guides 4000
//! --journeys 150`: 9,400 Markdown files, about 16,000 pages; its
//! `hearth/` folder is the site, with the built-in theme) under `/dev/shm`,
//! and adds the built-in `base.html` as the site's own `templates/base.html`
//! (the same bytes, so the same pages) for the template edits. Then:
//! - **cold build**: `hearth build` into an empty folder, `HEARTH_BENCH_RUNS`
//!   times (the first is a warm-up, not counted); wall time and peak RSS
//!   (`ru_maxrss` from `wait4(2)`) of each build process;
//! - **serve ready**: the release `hearth serve --port 0` as a child
//!   process, from spawn to its "serving … at" line (printed once the
//!   first build is written and the port is open);
//! - **save to served**: with the event stream open as the reload script
//!   of the page an author would be looking at has it (`?page=`: the day,
//!   the guide, `/guides/`), each edit is saved as editors do (a temporary
//!   file renamed over the old one) and timed until the `reload` event that
//!   page's script acts on, which comes after the page is written (a
//!   rebuild that renders other pages too writes the open page first and
//!   tells it at once); the watcher's quiet wait is included. Then, outside the
//!   timing, the page that must show the edit is fetched and checked, so a
//!   fast wrong answer fails the bench. Beside it, the time until the
//!   rebuild line, when every page is written;
//! - **serve memory**: the serve process's peak RSS (`VmHWM`) at the end,
//!   against a cold build's.
//!
//! Edits, `HEARTH_BENCH_EDITS` (default 7) of each, one every 300 ms: a
//! day's body; a guide's title (seen on the guide, its list page and the
//! pages with its card); a new guide dated newest (seen on `/guides/`);
//! deleting those guides; renaming a guide file (a new URL); a guide's
//! topics; `templates/base.html` (every page).
//!
//! Settings (environment): `HEARTH_BENCH_GUIDES=4000`,
//! `HEARTH_BENCH_JOURNEYS=150`, `HEARTH_BENCH_EDITS=7`, `HEARTH_BENCH_RUNS=3`,
//! `HEARTH_BENCH_DIR` (default `/dev/shm`, else the temp dir),
//! `HEARTH_BENCH_KEEP=1` to keep the corpus. Everything goes in a
//! `hearth-serve-bench-<pid>` folder there.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{exit, Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::time::{Duration, Instant};

const HEARTH: &str = env!("CARGO_BIN_EXE_hearth");
const PAUSE: Duration = Duration::from_millis(300);
const WAIT: Duration = Duration::from_secs(60);

fn main() {
    let guides = env_number("HEARTH_BENCH_GUIDES", 4_000);
    let journeys = env_number("HEARTH_BENCH_JOURNEYS", 150);
    let edits = env_number("HEARTH_BENCH_EDITS", 7);
    let runs = env_number("HEARTH_BENCH_RUNS", 3).max(2);
    println!("load average at the start: {}", load_average());
    let folder = bench_dir().join(format!("hearth-serve-bench-{}", std::process::id()));
    let site = generate(&folder, guides, journeys);
    println!(
        "corpus: {guides} guides, {journeys} journeys in {}",
        site.display()
    );

    let builds: Vec<(Duration, u64)> = (0..runs)
        .map(|_| cold_build(&site, &folder.join("out")))
        .skip(1)
        .collect();
    let build_wall = median(&builds.iter().map(|b| secs(b.0)).collect::<Vec<_>>());
    let build_rss = builds.iter().map(|b| b.1).max().unwrap_or(0);
    println!(
        "cold build: median {build_wall:.2} s of {} runs, peak RSS {} MiB",
        builds.len(),
        build_rss / 1024
    );

    let mut serve = Serve::start(&site);
    println!(
        "serve ready: {:.2} s; RSS {} MiB after the first build",
        secs(serve.ready),
        serve.memory("VmRSS") / 1024
    );
    let mut rows = Vec::new();
    let day = site.join("content/journeys/journey-000/day-10.md");
    rows.push(serve.measure(
        "day body",
        edits,
        |_| "/journeys/journey-000/day-10/".into(),
        |i| {
            let text = read(&day);
            save(
                &day,
                &format!("{text}\nA sentence saved while benchmarking, {i}.\n"),
            );
            Check::Shows(
                "/journeys/journey-000/day-10/".into(),
                format!("benchmarking, {i}."),
            )
        },
    ));
    let guide = site.join("content/guides/guide-02000.md");
    rows.push(serve.measure(
        "guide title",
        edits,
        |_| "/guides/guide-02000/".into(),
        |i| {
            save(
                &guide,
                &set_key(&read(&guide), "title", &format!("\"Retitled {i}\"")),
            );
            Check::Shows("/guides/guide-02000/".into(), format!("Retitled {i}"))
        },
    ));
    let new_guide = |i: usize| site.join(format!("content/guides/bench-new-{i}.md"));
    rows.push(serve.measure("new guide", edits, |_| "/guides/".into(), |i| {
        save(
            &new_guide(i),
            &format!("---\ntitle: \"Newest {i}\"\ndescription: \"Added while serving.\"\ndate: 2099-01-{:02}\ntopics: [topic-01]\n---\nA new guide.\n", 1 + i % 28),
        );
        Check::Shows("/guides/".into(), format!("Newest {i}"))
    }));
    rows.push(serve.measure(
        "delete guide",
        edits,
        |_| "/guides/".into(),
        |i| {
            remove(&new_guide(i));
            Check::Gone(format!("/guides/bench-new-{i}/"))
        },
    ));
    let names = ["guide-01000", "renamed-01000"];
    let viewing = |i: usize| format!("/guides/{}/", names[i % 2]);
    rows.push(serve.measure("rename guide", edits, viewing, |i| {
        let (from, to) = (names[i % 2], names[(i + 1) % 2]);
        let guides = site.join("content/guides");
        rename(
            &guides.join(format!("{from}.md")),
            &guides.join(format!("{to}.md")),
        );
        Check::Shows(format!("/guides/{to}/"), "Guide 1000:".into())
    }));
    let tagged = site.join("content/guides/guide-03000.md");
    rows.push(serve.measure(
        "topic change",
        edits,
        |_| "/guides/guide-03000/".into(),
        |i| {
            let topic = format!("topic-{:02}", 30 + i % 10);
            save(
                &tagged,
                &set_key(&read(&tagged), "topics", &format!("[{topic}]")),
            );
            Check::Shows("/guides/guide-03000/".into(), format!("/topics/{topic}/"))
        },
    ));
    let base = site.join("templates/base.html");
    let base_text = read(&base);
    rows.push(serve.measure(
        "template edit (base.html)",
        edits,
        |_| "/guides/guide-00001/".into(),
        |i| {
            save(&base, &format!("{base_text}<!-- edit {i} -->\n"));
            Check::Shows("/guides/guide-00001/".into(), format!("<!-- edit {i} -->"))
        },
    ));
    let peak = serve.memory("VmHWM");
    serve.stop();
    println!("load average at the end: {}", load_average());

    println!();
    println!("| edit | save to served: median | min | max | every page written: median | pages rendered |");
    println!("|---|---|---|---|---|---|");
    for row in &rows {
        row.print();
    }
    println!(
        "| `serve` ready | {:.2} s | | | | {:.2} × the cold build ({build_wall:.2} s) |",
        secs(serve.ready),
        secs(serve.ready) / build_wall
    );
    println!(
        "| `serve` peak memory | {} MiB | | | | {:.2} × the cold build ({} MiB) |",
        peak / 1024,
        peak as f64 / build_rss.max(1) as f64,
        build_rss / 1024
    );
    let template = rows.last().map_or(0.0, Row::median_ms) / 1000.0;
    println!(
        "\ntemplate edit: {:.0}% of a cold build",
        template / build_wall * 100.0
    );
    if std::env::var_os("HEARTH_BENCH_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&folder);
    }
}

/// Writes the corpus into `folder` and returns its site folder.
fn generate(folder: &Path, guides: usize, journeys: usize) -> PathBuf {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let status = Command::new("python3")
        .arg(repo.join("benches/gen_corpus.py"))
        .arg(folder)
        .args(["--guides", &guides.to_string()])
        .args(["--journeys", &journeys.to_string()])
        .stdout(Stdio::null())
        .status()
        .unwrap_or_else(|error| fail(&format!("cannot run python3: {error}")));
    if !status.success() {
        fail("benches/gen_corpus.py failed");
    }
    let site = folder.join("hearth");
    let templates = site.join("templates");
    std::fs::create_dir_all(&templates).unwrap_or_else(|e| fail(&e.to_string()));
    std::fs::copy(
        repo.join("themes/default/templates/base.html"),
        templates.join("base.html"),
    )
    .unwrap_or_else(|e| fail(&format!("cannot copy base.html: {e}")));
    site
}

/// One cold `hearth build`: wall time and peak RSS in KiB.
fn cold_build(site: &Path, output: &Path) -> (Duration, u64) {
    let _ = std::fs::remove_dir_all(output);
    let started = Instant::now();
    // Reaped by `reap` (wait4), which clippy cannot see.
    #[allow(clippy::zombie_processes)]
    let child = Command::new(HEARTH)
        .arg("build")
        .arg("--root")
        .arg(site)
        .arg("--output")
        .arg(output)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|error| fail(&format!("cannot run hearth: {error}")));
    let (status, max_rss_kib) = reap(&child);
    let wall = started.elapsed();
    if !status {
        fail("the cold build failed");
    }
    (wall, max_rss_kib)
}

/// Waits for `child`: whether it exited with 0, and its peak RSS (KiB).
fn reap(child: &Child) -> (bool, u64) {
    let mut status = 0;
    // SAFETY: rusage is plain old data that wait4 fills in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: a pid of our own child, pointers to live locals.
    let reaped = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    if reaped < 0 {
        fail(&format!("wait4: {}", std::io::Error::last_os_error()));
    }
    let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    (ok, usage.ru_maxrss as u64)
}

/// A `hearth serve` child process with its event stream open.
struct Serve {
    child: Child,
    address: SocketAddr,
    ready: Duration,
    /// The event stream, opened as the reload script opens it for the
    /// page `viewing`.
    events: BufReader<TcpStream>,
    viewing: String,
    /// Lines of its terminal output, each with when it came.
    lines: Receiver<(Instant, String)>,
}

/// What the served site must show after an edit.
enum Check {
    /// The page at this URL path contains this text.
    Shows(String, String),
    /// The URL path answers 404.
    Gone(String),
}

impl Serve {
    fn start(site: &Path) -> Serve {
        let started = Instant::now();
        let mut command = Command::new(HEARTH);
        command
            .arg("serve")
            .arg("--root")
            .arg(site)
            .args(["--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        // SAFETY: prctl is async-signal-safe. The server ends with the
        // bench, however the bench ends.
        unsafe {
            command.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
                Ok(())
            });
        }
        let mut child = command
            .spawn()
            .unwrap_or_else(|error| fail(&format!("cannot run hearth serve: {error}")));
        let (send, lines) = channel();
        let stdout = child.stdout.take().expect("piped");
        let stderr = child.stderr.take().expect("piped");
        forward_lines(stdout, send.clone());
        forward_lines(stderr, send);
        let serving = loop {
            let (_, line) = lines
                .recv_timeout(WAIT)
                .unwrap_or_else(|_| fail("hearth serve did not start"));
            if line.contains(": serving ") {
                break line;
            }
        };
        let ready = started.elapsed();
        let address = serving
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|address| address.parse().ok())
            .unwrap_or_else(|| fail(&format!("no address in: {serving}")));
        let viewing = "/".to_string();
        Serve {
            child,
            address,
            ready,
            events: open_events(address, &viewing),
            viewing,
            lines,
        }
    }

    /// Opens the event stream for `page`, as the reload script of that
    /// page does, unless it is open already.
    fn view(&mut self, page: &str) {
        if self.viewing != page {
            self.events = open_events(self.address, page);
            self.viewing = page.to_string();
        }
    }

    /// Makes `edits` edits, each with the page `viewing(i)` open, timed
    /// from its save to the reload event that page acts on, then checked.
    fn measure(
        &mut self,
        name: &'static str,
        edits: usize,
        viewing: impl Fn(usize) -> String,
        edit: impl Fn(usize) -> Check,
    ) -> Row {
        let mut row = Row {
            name,
            latencies: Vec::new(),
            finished: Vec::new(),
            rendered: Vec::new(),
        };
        for i in 0..edits {
            self.view(&viewing(i));
            std::thread::sleep(PAUSE);
            while self.lines.try_recv().is_ok() {}
            let saved = Instant::now();
            let check = edit(i);
            self.wait_for_reload();
            row.latencies.push(saved.elapsed());
            let (finished, rendered) = self.rendered_count();
            row.finished.push(finished.saturating_duration_since(saved));
            row.rendered.push(rendered);
            self.check(name, &check);
        }
        eprintln!(
            "{name}: done ({:.0} ms median; peak RSS so far {} MiB)",
            row.median_ms(),
            self.memory("VmHWM") / 1024
        );
        row
    }

    /// When the rebuild line serve prints came (every page written), and
    /// its page count.
    fn rendered_count(&self) -> (Instant, usize) {
        loop {
            let (when, line) = self
                .lines
                .recv_timeout(WAIT)
                .unwrap_or_else(|_| fail("no rebuild line from serve"));
            if let Some(rest) = line.split(": rendered ").nth(1) {
                let count = rest
                    .split(',')
                    .next()
                    .and_then(|n| n.trim().parse().ok())
                    .unwrap_or(0);
                return (when, count);
            }
            if line.contains("did not build") {
                fail(&format!("the edit did not build: {line}"));
            }
        }
    }

    fn check(&self, name: &str, check: &Check) {
        match check {
            Check::Shows(path, text) => {
                let (status, body) = get(self.address, path);
                if status != 200 || !body.contains(text.as_str()) {
                    fail(&format!("{name}: {path} ({status}) does not show {text:?}"));
                }
            }
            Check::Gone(path) => {
                let (status, _) = get(self.address, path);
                if status != 404 {
                    fail(&format!("{name}: {path} answers {status}, not 404"));
                }
            }
        }
    }

    /// Waits for a `reload` event that the reload script of the page
    /// viewed would act on: one naming it, or every page, and not saying
    /// that it was told already.
    fn wait_for_reload(&mut self) {
        let here = self.viewing.clone();
        wait_for_event(&mut self.events, "reload", |data| {
            let change: serde_json::Value = serde_json::from_str(data).unwrap_or_default();
            let names = |key: &str| {
                change[key]
                    .as_array()
                    .is_some_and(|pages| pages.iter().any(|page| page == here.as_str()))
            };
            !names("except") && (change["all"] == true || names("pages"))
        });
    }

    /// A `/proc/<pid>/status` figure in KiB (`VmRSS`, `VmHWM`).
    fn memory(&self, key: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|line| line.strip_prefix(key)?.strip_prefix(':'))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends each line of `from` to `to` with when it came, from a thread of
/// its own.
fn forward_lines(from: impl Read + Send + 'static, to: Sender<(Instant, String)>) {
    std::thread::spawn(move || {
        for line in BufReader::new(from).lines().map_while(Result::ok) {
            if to.send((Instant::now(), line)).is_err() {
                return;
            }
        }
    });
}

/// The event stream as the reload script of `page` opens it, after its
/// `hello`.
fn open_events(address: SocketAddr, page: &str) -> BufReader<TcpStream> {
    let mut stream = TcpStream::connect(address).unwrap_or_else(|e| fail(&e.to_string()));
    stream.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        stream,
        "GET /__hearth/events?page={page} HTTP/1.1\r\nHost: {address}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let mut events = BufReader::new(stream);
    wait_for_event(&mut events, "hello", |_| true);
    events
}

/// Reads `events` up to the end of an event called `name` whose data
/// `wanted` accepts.
fn wait_for_event(events: &mut BufReader<TcpStream>, name: &str, wanted: impl Fn(&str) -> bool) {
    let (mut event, mut data) = (String::new(), String::new());
    loop {
        let mut line = String::new();
        match events.read_line(&mut line) {
            Ok(0) | Err(_) => fail(&format!("the event stream ended before a {name} event")),
            Ok(_) => {}
        }
        let line = line.trim_end();
        if let Some(found) = line.strip_prefix("event: ") {
            event = found.to_string();
        } else if let Some(found) = line.strip_prefix("data: ") {
            data = found.to_string();
        } else if line.is_empty() {
            if event == name && wanted(&data) {
                return;
            }
            event.clear();
            data.clear();
        }
    }
}

/// The timings of one kind of edit.
struct Row {
    name: &'static str,
    /// From the save to the reload event of the page open.
    latencies: Vec<Duration>,
    /// From the save to the end of the rebuild (every page written).
    finished: Vec<Duration>,
    rendered: Vec<usize>,
}

impl Row {
    fn median_ms(&self) -> f64 {
        median(
            &self
                .latencies
                .iter()
                .map(|d| secs(*d) * 1000.0)
                .collect::<Vec<_>>(),
        )
    }

    fn print(&self) {
        let ms: Vec<f64> = self.latencies.iter().map(|d| secs(*d) * 1000.0).collect();
        let (min, max) = (
            ms.iter().copied().fold(f64::INFINITY, f64::min),
            ms.iter().copied().fold(0.0, f64::max),
        );
        let (fewest, most) = (
            self.rendered.iter().min().copied().unwrap_or(0),
            self.rendered.iter().max().copied().unwrap_or(0),
        );
        let pages = if fewest == most {
            fewest.to_string()
        } else {
            format!("{fewest}–{most}")
        };
        let finished: Vec<f64> = self.finished.iter().map(|d| secs(*d) * 1000.0).collect();
        println!(
            "| {} | {:.0} ms | {min:.0} ms | {max:.0} ms | {:.0} ms | {pages} |",
            self.name,
            self.median_ms(),
            median(&finished)
        );
    }
}

/// `GET path` on a connection of its own: the status and the body.
fn get(address: SocketAddr, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).unwrap_or_else(|e| fail(&e.to_string()));
    stream.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut reply = String::new();
    let _ = stream.read_to_string(&mut reply);
    let status = reply
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let body = reply
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, body)| body.to_string());
    (status, body)
}

fn read(file: &Path) -> String {
    std::fs::read_to_string(file)
        .unwrap_or_else(|error| fail(&format!("{}: {error}", file.display())))
}

/// Saves as editors do: a temporary file renamed over the old one.
fn save(file: &Path, text: &str) {
    let name = file.file_name().unwrap_or_default().to_string_lossy();
    let temporary = file.with_file_name(format!(".{name}.saving"));
    std::fs::write(&temporary, text)
        .and_then(|()| std::fs::rename(&temporary, file))
        .unwrap_or_else(|error| fail(&format!("{}: {error}", file.display())));
}

fn remove(file: &Path) {
    std::fs::remove_file(file)
        .unwrap_or_else(|error| fail(&format!("{}: {error}", file.display())));
}

fn rename(from: &Path, to: &Path) {
    std::fs::rename(from, to).unwrap_or_else(|error| fail(&format!("{}: {error}", from.display())));
}

/// `key: value` in the front matter, in place of the old line.
fn set_key(text: &str, key: &str, value: &str) -> String {
    let prefix = format!("{key}:");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    match lines.iter_mut().find(|line| line.starts_with(&prefix)) {
        Some(line) => *line = format!("{key}: {value}"),
        None => fail(&format!("no `{key}:` line")),
    }
    lines.join("\n") + "\n"
}

/// The machine's 1, 5 and 15-minute load averages (it may be shared).
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split(' ')
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

fn bench_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("HEARTH_BENCH_DIR") {
        return PathBuf::from(dir);
    }
    let shm = PathBuf::from("/dev/shm");
    if shm.is_dir() {
        shm
    } else {
        std::env::temp_dir()
    }
}

fn secs(duration: Duration) -> f64 {
    duration.as_secs_f64()
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

fn env_number(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(value) => value
            .trim()
            .parse()
            .unwrap_or_else(|_| fail(&format!("{name}: not a number: {value}"))),
        Err(_) => default,
    }
}

fn fail(message: &str) -> ! {
    eprintln!("serve bench: {message}");
    exit(1)
}
