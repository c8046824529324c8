//! `hearth build`

use crate::build::{build, BuildOptions};

pub fn run(options: BuildOptions) -> i32 {
    crate::timings::start_from_env();
    let built = build(&options);
    eprint!("{}", crate::timings::report());
    match built {
        Ok(report) => {
            super::print_diagnostics(&report.diagnostics);
            println!("{}", report.summary());
            0
        }
        Err(diagnostics) => {
            super::print_diagnostics(&diagnostics);
            eprintln!(
                "hearth: build failed with {} error{} and {} warning{}; the previous output is unchanged",
                diagnostics.error_count(),
                plural(diagnostics.error_count()),
                diagnostics.warning_count(),
                plural(diagnostics.warning_count())
            );
            1
        }
    }
}

pub(crate) fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}
