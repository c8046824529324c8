//! `hearth theme eject` and `hearth theme list`.

use super::ThemeAction;
use crate::config::{load_config, CONFIG_FILE};
use crate::theme::{eject, list_files, Origin};
use std::path::Path;

pub fn run(action: ThemeAction) -> i32 {
    match action {
        ThemeAction::Eject { files, root, force } => run_eject(&root, &files, force),
        ThemeAction::List { root } => run_list(&root),
    }
}

fn run_eject(root: &Path, files: &[String], force: bool) -> i32 {
    if !root.join(CONFIG_FILE).is_file() {
        eprintln!(
            "error: {}: no {CONFIG_FILE} here — run it in a site folder or pass --root",
            root.display()
        );
        return 1;
    }
    match eject(root, files, force) {
        Ok(ejected) => {
            for path in &ejected.written {
                println!("wrote {path}");
            }
            if files.is_empty() {
                println!(
                    "hearth: copied the built-in theme to themes/default/; its files now win over the built-in ones"
                );
            } else {
                println!("hearth: these files now win over the built-in ones");
            }
            0
        }
        Err(error) => {
            eprintln!("error: {error}");
            1
        }
    }
}

fn run_list(root: &Path) -> i32 {
    let listed = load_config(root, None)
        .map_err(|diagnostic| {
            let mut diagnostics = crate::diagnostics::Diagnostics::default();
            diagnostics.push(diagnostic);
            diagnostics
        })
        .and_then(|config| list_files(&config));
    match listed {
        Ok(files) => {
            let width = files.iter().map(|(path, _)| path.len()).max().unwrap_or(0);
            for (path, origin) in files {
                let from = match origin {
                    Origin::File(file) => crate::diagnostics::display_path(&file),
                    Origin::BuiltIn(_) => "built in".to_string(),
                };
                println!("{path:width$}  {from}");
            }
            0
        }
        Err(diagnostics) => {
            super::print_diagnostics(&diagnostics);
            1
        }
    }
}
