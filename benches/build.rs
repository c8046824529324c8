//! Whole-build benchmark: `cargo bench --bench build`.
//!
//! Generates synthetic sites with `examples/gen_corpus.rs` (compiled in
//! here, see the `#[path]` below) of about 1,000 and 10,000 built pages, half
//! guide pages and half journey pages, under `/dev/shm` so the disk does not
//! dominate, then runs the release `hearth build --root <corpus> --output
//! <out>` several times each and prints wall time, pages per second, CPU
//! time and peak RSS.
//!
//! Method:
//! - Each build is its own process, reaped with `wait4(2)`, whose `rusage`
//!   is that one child's: `ru_maxrss` is its peak resident set (VmHWM), and
//!   `ru_utime + ru_stime` its CPU time. Wall time is spawn to reap.
//! - The first run of each size is a warm-up and is not counted; every
//!   later run replaces the previous output (hearth's staging + swap +
//!   delete of the old tree is part of the time, as in real use).
//! - The page model (pages per guide, per journey, fixed) is measured on
//!   three small probe sites first, so "1,000 pages" stays ~1,000 built
//!   pages when the build starts making more pages per journey (worksheets).
//!
//! Settings (environment): `HEARTH_BENCH_PAGES=1000,10000`,
//! `HEARTH_BENCH_RUNS=7` (including the warm-up), `HEARTH_BENCH_DIR` (default
//! `/dev/shm`, else the temp dir), `HEARTH_BENCH_KEEP=1` to keep the corpora
//! and outputs. A failed build prints hearth's output and exits 1.

#[path = "../examples/gen_corpus.rs"]
#[allow(dead_code)]
mod gen_corpus;

use gen_corpus::{PageModel, Shape};
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{exit, Command, Stdio};
use std::time::{Duration, Instant};

const HEARTH: &str = env!("CARGO_BIN_EXE_hearth");
const SEED: u64 = 42;
const TARGET_SECONDS: f64 = 1.5;
const TARGET_MIB: f64 = 500.0;

/// One finished build.
#[derive(Debug, Clone)]
struct Run {
    wall: Duration,
    cpu: Duration,
    max_rss_kib: u64,
    pages: usize,
    warnings: usize,
}

fn main() {
    let sizes: Vec<usize> = env_or("HEARTH_BENCH_PAGES", "1000,10000")
        .split(',')
        .map(|s| {
            s.trim()
                .parse()
                .unwrap_or_else(|_| fail(&format!("HEARTH_BENCH_PAGES: not a number: {s}")))
        })
        .collect();
    let runs: usize = env_or("HEARTH_BENCH_RUNS", "7")
        .parse()
        .unwrap_or_else(|_| fail("HEARTH_BENCH_RUNS: not a number"));
    if runs < 2 {
        fail("HEARTH_BENCH_RUNS must be at least 2 (one warm-up, one timed)");
    }
    let keep = std::env::var_os("HEARTH_BENCH_KEEP").is_some_and(|v| v != "0");
    let base = bench_dir();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));

    println!("hearth build benchmark");
    println!("  binary:  {HEARTH}");
    println!("  folder:  {} ({})", base.display(), fs_type(&base));
    println!(
        "  cpus:    {}",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!(
        "  runs:    {} per size, the first a discarded warm-up",
        runs
    );
    println!("  rss:     ru_maxrss of each build process, from wait4(2)");

    // The page model, measured.
    let model = calibrate(&base, repo);
    println!(
        "  model:   pages = {:.0} + {:.3} x guides + {:.1} x journeys (measured on probe sites)",
        model.fixed, model.per_guide, model.per_journey
    );
    println!();

    let mut rows = Vec::new();
    for &size in &sizes {
        let shape = model.shape_for(size);
        let label = label(size);
        let corpus = base.join(format!("hearth-bench-corpus-{label}"));
        let output = base.join(format!("hearth-bench-out-{label}"));
        let started = Instant::now();
        let stats = gen_corpus::generate(&corpus, shape, SEED, repo).unwrap_or_else(|e| {
            fail(&format!(
                "cannot write the corpus {}: {e}",
                corpus.display()
            ))
        });
        println!(
            "corpus {label}: {} guides ({} with a Practical exercises section, {} words/guide), \
             {} journeys x {} days; {} source files, {:.1} MB; generated in {:.2} s",
            shape.guides,
            stats.guides_with_exercises,
            stats.guide_words / shape.guides.max(1) as u64,
            shape.journeys,
            gen_corpus::DAYS,
            stats.files,
            stats.bytes as f64 / 1e6,
            started.elapsed().as_secs_f64()
        );
        remove_output(&output);
        let mut timed = Vec::new();
        for i in 0..runs {
            let run = build(&corpus, &output, &base);
            if i > 0 {
                timed.push(run);
            }
        }
        let split = page_split(&output);
        println!(
            "  built pages: {} = {} guide + {} journey (overview/week/day/…) + {} topic + {} other; {} warnings",
            timed[0].pages, split.guides, split.journeys, split.topics, split.other, timed[0].warnings
        );
        if timed[0].warnings > 0 {
            println!("  note: the generated site should build without warnings; see hearth's output above");
        }
        rows.push((label, shape, timed));
        if !keep {
            let _ = fs::remove_dir_all(&output);
            let _ = fs::remove_dir_all(&corpus);
        }
    }

    println!();
    println!(
        "{:>7} {:>7} {:>6} {:>9} {:>17} {:>10} {:>8} {:>11}",
        "corpus", "pages", "guides", "journeys", "wall median", "min / max", "pages/s", "peak RSS"
    );
    let mut missed = Vec::new();
    for (label, shape, timed) in &rows {
        let walls: Vec<f64> = timed.iter().map(|r| r.wall.as_secs_f64()).collect();
        let cpus: Vec<f64> = timed.iter().map(|r| r.cpu.as_secs_f64()).collect();
        let rss: Vec<f64> = timed
            .iter()
            .map(|r| r.max_rss_kib as f64 / 1024.0)
            .collect();
        let pages = timed[0].pages;
        let median_wall = median(&walls);
        let max_rss = rss.iter().cloned().fold(0.0, f64::max);
        println!(
            "{:>7} {:>7} {:>6} {:>9} {:>8.3} s (cpu {:.2}) {:>4.2}/{:.2} {:>8.0} {:>7.0} MiB",
            label,
            pages,
            shape.guides,
            shape.journeys,
            median_wall,
            median(&cpus),
            min(&walls),
            walls.iter().cloned().fold(0.0, f64::max),
            pages as f64 / median_wall,
            max_rss,
        );
        if pages >= 9_000 {
            if median_wall > TARGET_SECONDS {
                missed.push(format!(
                    "{label}: median {median_wall:.2} s > {TARGET_SECONDS} s"
                ));
            }
            if max_rss > TARGET_MIB {
                missed.push(format!(
                    "{label}: peak RSS {max_rss:.0} MiB > {TARGET_MIB} MiB"
                ));
            }
        }
    }
    println!("(wall: spawn to exit; cpu: user+sys median; peak RSS: max over the timed runs)");
    if rows.iter().any(|(_, _, t)| t[0].pages >= 9_000) {
        if missed.is_empty() {
            println!("target (10k pages < {TARGET_SECONDS} s, < {TARGET_MIB} MiB): met");
        } else {
            println!(
                "target (10k pages < {TARGET_SECONDS} s, < {TARGET_MIB} MiB): MISSED: {}",
                missed.join("; ")
            );
        }
    }
}

/// Builds `corpus` into `output` once; exits 1 if hearth fails.
fn build(corpus: &Path, output: &Path, base: &Path) -> Run {
    let stdout_path = base.join("hearth-bench.stdout");
    let stderr_path = base.join("hearth-bench.stderr");
    let stdout = File::create(&stdout_path)
        .unwrap_or_else(|e| fail(&format!("{}: {e}", stdout_path.display())));
    let stderr = File::create(&stderr_path)
        .unwrap_or_else(|e| fail(&format!("{}: {e}", stderr_path.display())));
    let started = Instant::now();
    let child = Command::new(HEARTH)
        .arg("build")
        .arg("--root")
        .arg(corpus)
        .arg("--output")
        .arg(output)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr)
        .spawn()
        .unwrap_or_else(|e| fail(&format!("cannot run {HEARTH}: {e}")));
    let (status, usage) = wait4(child.id() as libc::pid_t);
    let wall = started.elapsed();
    drop(child); // already reaped; dropping a Child does not wait

    let out = fs::read_to_string(&stdout_path).unwrap_or_default();
    let err = fs::read_to_string(&stderr_path).unwrap_or_default();
    let exited_ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    let summary = out
        .lines()
        .chain(err.lines())
        .find(|l| l.contains(" pages (") && l.contains("wrote"));
    let parsed = summary.and_then(parse_summary);
    let Some((pages, warnings)) = parsed.filter(|_| exited_ok) else {
        eprintln!(
            "hearth build --root {} --output {} failed ({}):",
            corpus.display(),
            output.display(),
            describe(status)
        );
        eprintln!("--- stdout ---\n{}", tail(&out, 60));
        eprintln!("--- stderr ---\n{}", tail(&err, 60));
        eprintln!("(the corpus is kept at {})", corpus.display());
        exit(1);
    };
    if warnings > 0 {
        eprintln!(
            "hearth warnings for {}:\n{}",
            corpus.display(),
            tail(&err, 20)
        );
    }
    Run {
        wall,
        cpu: timeval(usage.ru_utime) + timeval(usage.ru_stime),
        max_rss_kib: usage.ru_maxrss as u64,
        pages,
        warnings,
    }
}

/// `hearth: wrote 1000 pages (1004 files) to …, 0 warnings, 0.25 s`
fn parse_summary(line: &str) -> Option<(usize, usize)> {
    let after = |key: &str| -> Option<usize> {
        let words: Vec<&str> = line.split_whitespace().collect();
        let i = words
            .iter()
            .position(|w| w.trim_end_matches(',').starts_with(key))?;
        words.get(i.checked_sub(1)?)?.parse().ok()
    };
    let pages = line
        .split("wrote ")
        .nth(1)?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    Some((pages, after("warning").unwrap_or(0)))
}

/// Reaps `pid` and returns its wait status and its own resource usage.
fn wait4(pid: libc::pid_t) -> (libc::c_int, libc::rusage) {
    let mut status = 0;
    // SAFETY: rusage is plain old data; wait4 fills it in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: valid pointers to locals; `pid` is our own child.
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            return (status, usage);
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            fail(&format!("wait4({pid}): {error}"));
        }
    }
}

fn timeval(t: libc::timeval) -> Duration {
    Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
}

fn describe(status: libc::c_int) -> String {
    if libc::WIFEXITED(status) {
        format!("exit code {}", libc::WEXITSTATUS(status))
    } else if libc::WIFSIGNALED(status) {
        format!("killed by signal {}", libc::WTERMSIG(status))
    } else {
        format!("wait status {status}")
    }
}

/// Measures pages per guide, per journey and fixed on three small sites.
fn calibrate(base: &Path, repo: &Path) -> PageModel {
    // Guide counts are multiples of 3 (every third guide has exercises) and
    // of the 40 topics (every topic appears), so the counts are linear.
    let probe = |name: &str, guides: usize, journeys: usize| -> f64 {
        let corpus = base.join(format!("hearth-bench-probe-{name}"));
        let output = base.join(format!("hearth-bench-probe-{name}-out"));
        gen_corpus::generate(&corpus, Shape { guides, journeys }, SEED, repo)
            .unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", corpus.display())));
        remove_output(&output);
        let run = build(&corpus, &output, base);
        let _ = fs::remove_dir_all(&output);
        let _ = fs::remove_dir_all(&corpus);
        run.pages as f64
    };
    let a = probe("a", 120, 0);
    let b = probe("b", 240, 0);
    let c = probe("c", 120, 2);
    let per_guide = (b - a) / 120.0;
    PageModel {
        fixed: a - 120.0 * per_guide,
        per_guide,
        per_journey: (c - a) / 2.0,
    }
}

struct Split {
    guides: usize,
    journeys: usize,
    topics: usize,
    other: usize,
}

/// Counts the built HTML pages by top-level folder.
fn page_split(output: &Path) -> Split {
    fn count(dir: &Path) -> usize {
        let Ok(entries) = fs::read_dir(dir) else {
            return 0;
        };
        entries
            .flatten()
            .map(|e| match e.file_type() {
                Ok(t) if t.is_dir() => count(&e.path()),
                Ok(t) if t.is_file() && e.path().extension().is_some_and(|x| x == "html") => 1,
                _ => 0,
            })
            .sum()
    }
    let guides = count(&output.join("guides"));
    let journeys = count(&output.join("journeys"));
    let topics = count(&output.join("topics"));
    Split {
        guides,
        journeys,
        topics,
        other: count(output) - guides - journeys - topics,
    }
}

/// Removes an earlier output, but only one hearth wrote.
fn remove_output(output: &Path) {
    if output.join(".hearth-output").exists() {
        fs::remove_dir_all(output)
            .unwrap_or_else(|e| fail(&format!("cannot remove {}: {e}", output.display())));
    }
}

fn bench_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("HEARTH_BENCH_DIR") {
        return PathBuf::from(dir);
    }
    let shm = Path::new("/dev/shm");
    let probe = shm.join(format!("hearth-bench-{}", std::process::id()));
    if shm.is_dir() && fs::write(&probe, "").is_ok() {
        let _ = fs::remove_file(&probe);
        return shm.to_path_buf();
    }
    let tmp = std::env::temp_dir();
    println!(
        "NOTE: /dev/shm is missing or not writable; using {} instead, so the figures include disk time",
        tmp.display()
    );
    tmp
}

/// The file system type of the mount holding `path` (from /proc/mounts).
fn fs_type(path: &Path) -> String {
    let Ok(mounts) = fs::read_to_string("/proc/mounts") else {
        return "unknown fs".into();
    };
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    mounts
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let _device = fields.next()?;
            let point = fields.next()?;
            let kind = fields.next()?;
            path.starts_with(point)
                .then(|| (point.len(), kind.to_string()))
        })
        .max_by_key(|(len, _)| *len)
        .map_or("unknown fs".into(), |(_, kind)| kind)
}

fn label(pages: usize) -> String {
    if pages >= 1000 && pages % 1000 == 0 {
        format!("{}k", pages / 1000)
    } else {
        pages.to_string()
    }
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(|a, b| a.total_cmp(b));
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

fn min(values: &[f64]) -> f64 {
    values.iter().cloned().fold(f64::INFINITY, f64::min)
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

fn env_or(key: &str, default: &str) -> String {
    std::env::var(key).unwrap_or_else(|_| default.to_string())
}

fn fail(message: &str) -> ! {
    eprintln!("bench build: {message}");
    exit(1)
}
