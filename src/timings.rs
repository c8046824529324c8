//! Where a build's time goes: with `HEARTH_TIMINGS=1` in the environment,
//! `hearth build` and `hearth check` print the wall time of each stage to
//! stderr when they end, and the time spent in each page template (summed
//! over the threads that render). Stages mark their end with [`mark`]; without the
//! variable that is one relaxed atomic load.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

static ENABLED: AtomicBool = AtomicBool::new(false);
static STAGES: Mutex<Option<Stages>> = Mutex::new(None);

struct Stages {
    started: Instant,
    last: Instant,
    done: Vec<(&'static str, Duration)>,
    /// Template name → (pages, summed time of their Tera renders, on all
    /// threads).
    templates: std::collections::BTreeMap<String, (usize, Duration)>,
}

/// Starts timing when `HEARTH_TIMINGS` is set (to anything but `0`).
pub fn start_from_env() {
    let wanted = std::env::var_os("HEARTH_TIMINGS").is_some_and(|value| value != "0");
    if !wanted {
        return;
    }
    let now = Instant::now();
    *lock() = Some(Stages {
        started: now,
        last: now,
        done: Vec::new(),
        templates: Default::default(),
    });
    ENABLED.store(true, Ordering::Relaxed);
}

/// Ends the stage called `name`: the time since the previous mark.
pub fn mark(name: &'static str) {
    if !ENABLED.load(Ordering::Relaxed) {
        return;
    }
    if let Some(stages) = lock().as_mut() {
        let now = Instant::now();
        stages.done.push((name, now - stages.last));
        stages.last = now;
    }
}

/// Runs `render` (one page's template) and adds its time to `template`'s.
pub fn template<T>(template: &str, render: impl FnOnce() -> T) -> T {
    if !ENABLED.load(Ordering::Relaxed) {
        return render();
    }
    let started = Instant::now();
    let result = render();
    let took = started.elapsed();
    if let Some(stages) = lock().as_mut() {
        let entry = stages.templates.entry(template.to_string()).or_default();
        entry.0 += 1;
        entry.1 += took;
    }
    result
}

/// The stages so far, one line each (empty when timing is off).
pub fn report() -> String {
    let Some(stages) = lock().take() else {
        return String::new();
    };
    let mut text = String::new();
    for (name, took) in &stages.done {
        text.push_str(&format!(
            "hearth: {name:<16} {:>8.1} ms\n",
            took.as_secs_f64() * 1e3
        ));
    }
    text.push_str(&format!(
        "hearth: {:<16} {:>8.1} ms\n",
        "total",
        stages.started.elapsed().as_secs_f64() * 1e3
    ));
    for (name, (pages, took)) in &stages.templates {
        text.push_str(&format!(
            "hearth: template {name:<22} {pages:>6} pages {:>8.1} ms (CPU)\n",
            took.as_secs_f64() * 1e3
        ));
    }
    text
}

fn lock() -> std::sync::MutexGuard<'static, Option<Stages>> {
    STAGES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
