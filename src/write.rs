//! Stage 5: rendered [`Output`]s and static files → the output folder.
//! Everything is written to a staging folder beside the output and swapped
//! in at the end, so a failed build leaves the previous output as it was.

use crate::diagnostics::{display_path, Diagnostic};
use crate::files;
use crate::render::Output;
use crate::theme::StaticLayer;
use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Written into every output folder; hearth only replaces folders that
/// have it (or are empty), so it never deletes what it did not create.
pub const MARKER_FILE: &str = ".hearth-output";

/// Refuses an output folder whose replacement would destroy the site: the
/// site root, a folder of the site's sources, a parent of the site, `/`;
/// and an existing folder hearth did not make.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let root = absolute(root);
    let output = absolute(output);
    let shown = display_path(&output);
    let refuse = |why: &str| {
        Err(Diagnostic::error(
            crate::config::CONFIG_FILE,
            format!("refusing to use {shown} as the output folder: {why}"),
        )
        .help("choose a folder of its own, e.g. `--output public` (set [build] output_dir in site.toml)"))
    };
    if output == root {
        return refuse("it is the site folder itself");
    }
    if output.exists() && !output.is_dir() {
        return refuse("it is a file, not a folder");
    }
    if let Some(file) = output
        .ancestors()
        .skip(1)
        .find(|a| a.exists() && !a.is_dir())
    {
        let file = display_path(file);
        return refuse(&format!("{file} is a file, so no folder can be made in it"));
    }
    if root.starts_with(&output) {
        return refuse("it contains the site folder");
    }
    for source in ["content", "templates", "themes", "static"] {
        if output.starts_with(root.join(source)) {
            return refuse(&format!("it is inside the site's {source}/ folder"));
        }
    }
    if output.is_dir() && !output.join(MARKER_FILE).exists() && !is_empty_dir(&output) {
        return refuse("it already holds files hearth did not write (no .hearth-output marker)");
    }
    Ok(())
}

/// `path` made absolute and tidied (`.`/`..` removed) without touching the
/// disk, symlinks of existing parents resolved.
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut clean = PathBuf::new();
    for component in joined.components() {
        match component {
            std::path::Component::ParentDir => {
                clean.pop();
            }
            std::path::Component::CurDir => {}
            other => clean.push(other),
        }
    }
    // Resolve symlinks in the part that exists, keep the rest as written.
    let mut existing = clean.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => return clean,
        }
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    resolved
}

fn is_empty_dir(path: &Path) -> bool {
    std::fs::read_dir(path)
        .map(|mut entries| entries.next().is_none())
        .unwrap_or(false)
}

/// Writes `outputs` and copies the `statics` layers (later ones win) into
/// a staging folder, then swaps it in as `output`. Returns the number of
/// files written.
pub fn write_site(output: &Path, outputs: &[Output], statics: &[StaticLayer]) -> Result<usize> {
    let output = absolute(output);
    let staging = sibling(&output, "staging")?;
    if staging.exists() {
        files::remove_dir_all(&staging)?;
    }
    files::create_dir_all(&staging)?;
    let result = fill_staging(&staging, outputs, statics).and_then(|count| {
        swap_into_place(&staging, &output)?;
        Ok(count)
    });
    if result.is_err() && staging.exists() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn fill_staging(staging: &Path, outputs: &[Output], statics: &[StaticLayer]) -> Result<usize> {
    for layer in statics {
        layer.copy_all(staging)?;
    }
    // Layers replace each other's files: count what the folder holds.
    let count = walkdir::WalkDir::new(staging)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .count();
    outputs
        .par_iter()
        .try_for_each(|output| write_output(staging, output))?;
    files::write(
        &staging.join(MARKER_FILE),
        "This folder is written by hearth and replaced on every build.\n",
    )?;
    Ok(count + outputs.len())
}

/// Writes one output file under `dir`, making its folders.
pub fn write_output(dir: &Path, output: &Output) -> Result<()> {
    if output
        .path
        .split('/')
        .any(|part| part == ".." || part.is_empty() && output.path.starts_with('/'))
    {
        bail!(
            "refusing to write outside the output folder: {}",
            output.path
        );
    }
    let path = dir.join(&output.path);
    if let Some(parent) = path.parent() {
        files::create_dir_all(parent)?;
    }
    files::write(&path, &output.contents)
}

/// Copies a static folder into `dest`; returns the number of files.
pub fn copy_static(dir: &Path, dest: &Path) -> Result<usize> {
    if !dir.is_dir() {
        return Ok(0);
    }
    let mut count = 0;
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        if relative
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        {
            continue;
        }
        let target = dest.join(relative);
        if entry.file_type().is_dir() {
            files::create_dir_all(&target)?;
        } else if entry.file_type().is_file() {
            files::copy(entry.path(), &target)?;
            count += 1;
        }
    }
    Ok(count)
}

/// `public` → `.public.hearth-<what>` beside it.
fn sibling(output: &Path, what: &str) -> Result<PathBuf> {
    let name = output
        .file_name()
        .with_context(|| format!("the output folder {} has no name", output.display()))?;
    let parent = output.parent().unwrap_or(Path::new("."));
    Ok(parent.join(format!(".{}.hearth-{what}", name.to_string_lossy())))
}

/// Moves the old output aside, the staging folder in, then deletes the old.
fn swap_into_place(staging: &Path, output: &Path) -> Result<()> {
    if let Some(parent) = output.parent() {
        files::create_dir_all(parent)?;
    }
    if !output.exists() {
        return files::rename(staging, output);
    }
    let old = sibling(output, "old")?;
    if old.exists() {
        files::remove_dir_all(&old)?;
    }
    files::rename(output, &old)?;
    if let Err(error) = files::rename(staging, output) {
        let _ = std::fs::rename(&old, output);
        return Err(error);
    }
    remove_tree(&old)
}

/// Deletes a folder of many files on all cores (a large site's previous
/// output has thousands).
fn remove_tree(dir: &Path) -> Result<()> {
    let files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| !entry.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.par_iter().try_for_each(|file| {
        std::fs::remove_file(file).with_context(|| format!("cannot remove {}", file.display()))
    })?;
    files::remove_dir_all(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_outputs_that_would_destroy_the_site() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        for bad in [
            root.to_path_buf(),
            root.join("content"),
            root.join("content/guides/x"),
            root.parent().unwrap().to_path_buf(),
            PathBuf::from("/"),
        ] {
            assert!(check_output_dir(root, &bad).is_err(), "{}", bad.display());
        }
        assert!(check_output_dir(root, &root.join("public")).is_ok());
    }

    #[test]
    fn refuses_a_file() {
        let site = tempfile::tempdir().unwrap();
        let config = site.path().join("site.toml");
        std::fs::write(&config, "title = \"T\"").unwrap();
        let error = check_output_dir(site.path(), &config).unwrap_err();
        assert!(error.message.contains("it is a file"), "{}", error.message);
    }

    #[test]
    fn refuses_a_full_folder_it_did_not_write() {
        let site = tempfile::tempdir().unwrap();
        let docs = site.path().join("docs");
        std::fs::create_dir_all(&docs).unwrap();
        std::fs::write(docs.join("notes.txt"), "mine").unwrap();
        let error = check_output_dir(site.path(), &docs).unwrap_err();
        assert!(
            error.message.contains("hearth did not write"),
            "{}",
            error.message
        );
    }

    #[test]
    fn swaps_in_a_new_output_and_removes_the_old() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        let page = |text: &str| Output {
            path: "a/index.html".into(),
            contents: text.into(),
        };
        write_site(&out, &[page("one")], &[]).unwrap();
        write_site(&out, &[page("two")], &[]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "two"
        );
        assert!(out.join(MARKER_FILE).exists());
        let leftovers: Vec<_> = std::fs::read_dir(site.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, ["public"]);
    }
}
