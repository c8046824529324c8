//! `hearth check`

use crate::build::check;
use crate::diagnostics::Severity;
use std::path::Path;

pub fn run(root: &Path) -> i32 {
    crate::timings::start_from_env();
    let diagnostics = check(root);
    eprint!("{}", crate::timings::report());
    super::print_diagnostics(&diagnostics);
    let errors = diagnostics.error_count();
    let notes = diagnostics.count(Severity::Note);
    if errors == 0 {
        println!(
            "hearth check: no problems found ({notes} note{})",
            super::build::plural(notes)
        );
        0
    } else {
        println!(
            "hearth check: {errors} problem{} found ({notes} note{})",
            super::build::plural(errors),
            super::build::plural(notes)
        );
        1
    }
}
