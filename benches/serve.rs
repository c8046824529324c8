//! Live-preview latency: `cargo bench --bench serve`.
//!
//! Generates a synthetic site of about 10,000 built pages with
//! `examples/gen_corpus.rs` (compiled in here, see the `#[path]` below)
//! under `/dev/shm`, starts `hearth serve` in-process on a free port of
//! 127.0.0.1, opens its event stream as a browser would, and times saves:
//! from saving the file (writing a temporary file and renaming it over the
//! old one, as editors do) to receiving the `reload` event, which comes
//! after the changed pages are written. That includes the watcher's debounce
//! (25 ms), re-reading the file, re-resolving the whole site, working out
//! the touched pages, rendering and writing them.
//!
//! Four kinds of save, 20 of each, one every 150 ms:
//! - a day's text: its page only, patched into the site in place;
//! - a day's title: the site is resolved again; its page, neighbours,
//!   week, journey and topic pages are rendered;
//! - a guide's text: its page only, patched in place;
//! - a guide's description: resolved again; every page with its card is
//!   rendered (guide list, home, topic pages, related lists, feed).
//!
//! Settings (environment): `HEARTH_BENCH_PAGES=10000`,
//! `HEARTH_BENCH_EDITS=20`, `HEARTH_BENCH_DIR` (default `/dev/shm`, else the
//! temp dir), `HEARTH_BENCH_KEEP=1` to keep the corpus.

#[path = "../examples/gen_corpus.rs"]
#[allow(dead_code)]
mod gen_corpus;

use hearth::serve::{RebuildReport, ServeOptions, Server};
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::exit;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

const SEED: u64 = 42;
const TARGET_MS: f64 = 100.0;
const PAUSE: Duration = Duration::from_millis(150);
const WAIT: Duration = Duration::from_secs(10);

fn main() {
    let pages: usize = env_number("HEARTH_BENCH_PAGES", 10_000);
    let edits: usize = env_number("HEARTH_BENCH_EDITS", 20);
    let base = std::env::var_os("HEARTH_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let shm = PathBuf::from("/dev/shm");
            if shm.is_dir() {
                shm
            } else {
                std::env::temp_dir()
            }
        });
    let root = base.join(format!("hearth-serve-bench-{pages}"));
    let shape = gen_corpus::PageModel::DEFAULT.shape_for(pages);
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let _ = std::fs::remove_dir_all(root.join(hearth::serve::SERVE_DIR));
    if let Err(error) = gen_corpus::generate(&root, shape, SEED, &repo) {
        fail(&format!("cannot generate {}: {error}", root.display()));
    }
    println!(
        "corpus: {} guides, {} journeys in {}",
        shape.guides,
        shape.journeys,
        root.display()
    );

    let started = Instant::now();
    let server = Server::start(&ServeOptions {
        root: root.clone(),
        interface: [127, 0, 0, 1].into(),
        port: 0,
        drafts: false,
        quiet: true,
    })
    .unwrap_or_else(|error| fail(&format!("serve did not start: {error:#}")));
    let first = server.first_report();
    if first.failed() {
        fail(&format!(
            "the corpus does not build:\n{}",
            first.diagnostics.report()
        ));
    }
    let html_pages = first
        .rendered
        .iter()
        .filter(|p| p.ends_with(".html"))
        .count();
    println!(
        "first build: {html_pages} HTML pages in {:.2} s (server up after {:.2} s)",
        first.elapsed.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );

    let mut events = EventStream::open(server.address());
    let reports = server.subscribe_reports();
    let journey = gen_corpus::journey_slug(0);
    let day = root.join(format!("content/journeys/{journey}/day-10.md"));
    let guide = root.join(format!(
        "content/guides/{}.md",
        gen_corpus::guide_slug(shape.guides / 2)
    ));
    let results = [
        measure(
            "day text",
            &day,
            edits,
            append_paragraph,
            &mut events,
            &reports,
        ),
        measure("day title", &day, edits, retitle_day, &mut events, &reports),
        measure(
            "guide text",
            &guide,
            edits,
            append_paragraph,
            &mut events,
            &reports,
        ),
        measure(
            "guide desc.",
            &guide,
            edits,
            redescribe,
            &mut events,
            &reports,
        ),
    ];
    println!();
    for result in &results {
        result.print();
    }
    server.stop();
    if std::env::var_os("HEARTH_BENCH_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&root);
    }
    let day_text = &results[0];
    if day_text.median_ms() > TARGET_MS {
        println!(
            "\nmedian day edit {:.1} ms is over the {TARGET_MS} ms target",
            day_text.median_ms()
        );
    }
}

/// The timings of one kind of save.
struct Result {
    name: &'static str,
    latencies: Vec<Duration>,
    rebuilds: Vec<Duration>,
    rendered: Vec<usize>,
}

impl Result {
    fn median_ms(&self) -> f64 {
        percentile(&self.latencies, 50)
    }

    fn print(&self) {
        println!(
            "{:<12} save → reload event: median {:6.1} ms, min {:6.1}, p90 {:6.1}, max {:6.1} | rebuild itself: median {:5.1} ms | pages rendered: {}",
            self.name,
            self.median_ms(),
            percentile(&self.latencies, 0),
            percentile(&self.latencies, 90),
            percentile(&self.latencies, 100),
            percentile(&self.rebuilds, 50),
            summarize(&self.rendered),
        );
    }
}

/// Saves `file` `edits` times (each time changed by `edit`) and times each
/// save to its reload event.
fn measure(
    name: &'static str,
    file: &Path,
    edits: usize,
    edit: fn(&str, usize) -> String,
    events: &mut EventStream,
    reports: &Receiver<RebuildReport>,
) -> Result {
    let original = std::fs::read_to_string(file)
        .unwrap_or_else(|error| fail(&format!("{}: {error}", file.display())));
    let mut result = Result {
        name,
        latencies: Vec::new(),
        rebuilds: Vec::new(),
        rendered: Vec::new(),
    };
    for i in 0..edits {
        let text = edit(&original, i);
        let saved = Instant::now();
        save(file, &text);
        events.wait_for("reload");
        result.latencies.push(saved.elapsed());
        let report = reports
            .recv_timeout(WAIT)
            .unwrap_or_else(|_| fail("no rebuild report"));
        if report.failed() {
            fail(&format!(
                "the edit did not build:\n{}",
                report.diagnostics.report()
            ));
        }
        result.rebuilds.push(report.elapsed);
        result.rendered.push(report.rendered.len());
        std::thread::sleep(PAUSE);
    }
    save(file, &original);
    events.wait_for("reload");
    let _ = reports.recv_timeout(WAIT);
    std::thread::sleep(PAUSE);
    result
}

/// Saves as editors do: a temporary file renamed over the old one.
fn save(file: &Path, text: &str) {
    let name = file.file_name().unwrap_or_default().to_string_lossy();
    let temporary = file.with_file_name(format!(".{name}.saving"));
    std::fs::write(&temporary, text)
        .and_then(|()| std::fs::rename(&temporary, file))
        .unwrap_or_else(|error| fail(&format!("{}: {error}", file.display())));
}

fn append_paragraph(original: &str, i: usize) -> String {
    format!("{original}\nA new sentence written while benchmarking, number {i}.\n")
}

fn retitle_day(original: &str, i: usize) -> String {
    replace_key(original, "title", &format!("Retitled day {i}"))
}

fn redescribe(original: &str, i: usize) -> String {
    replace_key(
        original,
        "description",
        &format!("Described again, {i} times."),
    )
}

/// The front matter line `key: …` given a new value.
fn replace_key(original: &str, key: &str, value: &str) -> String {
    let mut lines: Vec<String> = original.lines().map(str::to_string).collect();
    let prefix = format!("{key}:");
    match lines.iter_mut().find(|line| line.starts_with(&prefix)) {
        Some(line) => *line = format!("{key}: \"{value}\""),
        None => fail(&format!("no `{key}:` line in the file")),
    }
    lines.join("\n") + "\n"
}

/// A Server-Sent Events client on a raw socket.
struct EventStream {
    lines: BufReader<TcpStream>,
}

impl EventStream {
    fn open(address: SocketAddr) -> EventStream {
        let mut stream = TcpStream::connect(address).unwrap_or_else(|e| fail(&e.to_string()));
        stream.set_read_timeout(Some(WAIT)).unwrap();
        write!(
            stream,
            "GET /__hearth/events HTTP/1.1\r\nHost: {address}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut events = EventStream {
            lines: BufReader::new(stream),
        };
        events.wait_for("hello");
        events
    }

    /// Reads events until one named `name`.
    fn wait_for(&mut self, name: &str) {
        let mut event = String::new();
        loop {
            let mut line = String::new();
            match self.lines.read_line(&mut line) {
                Ok(0) | Err(_) => fail(&format!("the event stream ended before a {name} event")),
                Ok(_) => {}
            }
            let line = line.trim_end();
            if let Some(found) = line.strip_prefix("event: ") {
                event = found.to_string();
            } else if line.is_empty() && event == name {
                return;
            } else if line.is_empty() {
                event.clear();
            }
        }
    }
}

fn percentile(values: &[Duration], percent: usize) -> f64 {
    let mut sorted: Vec<f64> = values.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
    sorted.sort_by(f64::total_cmp);
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[(sorted.len() - 1) * percent / 100]
}

fn summarize(counts: &[usize]) -> String {
    let min = counts.iter().min().copied().unwrap_or(0);
    let max = counts.iter().max().copied().unwrap_or(0);
    if min == max {
        format!("{min}")
    } else {
        format!("{min}–{max}")
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
