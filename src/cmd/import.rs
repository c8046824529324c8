//! `hearth import`

use crate::import::{import_files, ImportOptions};
use std::path::PathBuf;

pub fn run(files: &[PathBuf], options: ImportOptions) -> i32 {
    let failed = import_files(
        files,
        &options,
        &mut std::io::stdout(),
        &mut std::io::stderr(),
    );
    i32::from(failed > 0)
}
