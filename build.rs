//! Embeds `themes/default/` into the binary: every file under it becomes an
//! entry of `BUILTIN_THEME` (see `src/theme.rs`), so a file added to the
//! theme is built in with no change to the code.

use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let theme = root.join("themes/default");
    // A folder: cargo re-runs this script when any file under it changes.
    println!("cargo:rerun-if-changed=themes/default");
    let mut files = Vec::new();
    collect_files(&theme, &mut files);
    files.sort();
    let mut code = String::from("&[\n");
    for file in &files {
        let relative = file
            .strip_prefix(&theme)
            .expect("under the theme")
            .to_string_lossy()
            .replace('\\', "/");
        code.push_str(&format!(
            "    ({relative:?}, include_bytes!({:?})),\n",
            file.display().to_string()
        ));
    }
    code.push_str("]\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo"));
    std::fs::write(out.join("builtin_theme.rs"), code).expect("OUT_DIR is writable");
}

/// Every file under `dir`, hidden ones (`.DS_Store`, editor swap files) left out.
fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display()));
    for entry in entries {
        let entry = entry.expect("a readable folder entry");
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            collect_files(&path, files);
        } else {
            files.push(path);
        }
    }
}
