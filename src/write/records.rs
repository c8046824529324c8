//! What a build wrote, kept beside the output (`.public.hearth-pages`) so
//! the next build can leave a page alone without rendering it: each page's
//! fingerprint ([`crate::render::dependencies`]) and the size, modification
//! time and inode its file had when the build ended.
//!
//! A page is left alone only when its fingerprint is the recorded one, the
//! file in the output is still the recorded file (same size, time and
//! inode: an edit by hand, or a file put back by another build, shows), and
//! the records were made by this very hearth executable. Anything else —
//! no records, records of another executable, an unreadable line — only
//! means more pages are rendered and compared as in a first build.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The first line of the records file; a file without it is not hearth's
/// and is neither read nor replaced.
const HEADER: &str = "hearth page records 1";

/// One page as the previous build left it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Record {
    fingerprint: u64,
    file: FileStamp,
}

/// What tells one file from another without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileStamp {
    len: u64,
    modified_ns: i128,
    inode: u64,
}

impl FileStamp {
    fn of(path: &Path) -> Option<FileStamp> {
        let meta = std::fs::symlink_metadata(path).ok()?;
        if !meta.is_file() {
            return None;
        }
        let modified = meta.modified().ok()?;
        let modified_ns = match modified.duration_since(std::time::UNIX_EPOCH) {
            Ok(after) => after.as_nanos() as i128,
            Err(before) => -(before.duration().as_nanos() as i128),
        };
        Some(FileStamp {
            len: meta.len(),
            modified_ns,
            inode: inode(&meta),
        })
    }
}

#[cfg(unix)]
fn inode(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(meta)
}

#[cfg(not(unix))]
fn inode(_: &std::fs::Metadata) -> u64 {
    0
}

/// The records of the previous build of one output folder.
#[derive(Debug, Default)]
pub struct PageRecords {
    output: PathBuf,
    pages: HashMap<String, Record>,
}

impl PageRecords {
    /// The records beside `output`, if this executable made them (else
    /// none).
    pub fn read(output: &Path) -> PageRecords {
        let mut records = PageRecords {
            output: output.to_path_buf(),
            pages: HashMap::new(),
        };
        let (Some(file), Some(made_by)) = (records_file(output), executable_id()) else {
            return records;
        };
        let Ok(text) = std::fs::read_to_string(file) else {
            return records;
        };
        let mut lines = text.lines();
        if lines.next() != Some(HEADER) || lines.next() != Some(made_by.as_str()) {
            return records;
        }
        records.pages = lines.filter_map(parse_line).collect();
        records
    }

    /// Whether the page at `path` (from the output root) is, in the
    /// output, what a page with `fingerprint` renders to.
    pub fn unchanged(&self, path: &str, fingerprint: u64) -> bool {
        self.pages.get(path).is_some_and(|record| {
            record.fingerprint == fingerprint
                && FileStamp::of(&self.output.join(path)) == Some(record.file)
        })
    }

    /// The recorded files that `is_member` picks, when they are one whole
    /// set of files made together from `fingerprint` and the output still
    /// has each as recorded: then the set need not be made again. Each
    /// member is recorded with [`set_member_fingerprint`], which mixes in
    /// how many members the set has, so a set recorded short (a file that
    /// could not be recorded) is not taken for the whole.
    pub fn unchanged_set(
        &self,
        is_member: impl Fn(&str) -> bool,
        fingerprint: u64,
    ) -> Option<Vec<String>> {
        let members: Vec<&String> = self.pages.keys().filter(|path| is_member(path)).collect();
        if members.is_empty() {
            return None;
        }
        let each = set_member_fingerprint(fingerprint, members.len());
        members
            .iter()
            .all(|path| self.unchanged(path, each))
            .then(|| members.into_iter().cloned().collect())
    }

    /// Records `pages` (output path, fingerprint) as the output now has
    /// them. Best effort: records that cannot be written only make the next
    /// build render everything.
    pub fn write(output: &Path, pages: &[(String, u64)]) {
        use rayon::prelude::*;
        let (Some(file), Some(made_by)) = (records_file(output), executable_id()) else {
            return;
        };
        if let Ok(existing) = std::fs::read_to_string(&file) {
            if !existing.starts_with(HEADER) {
                return;
            }
        } else if std::fs::symlink_metadata(&file).is_ok() {
            return;
        }
        let lines: Vec<String> = pages
            .par_iter()
            .filter(|(path, _)| !path.contains(['\n', '\t']))
            .filter_map(|(path, fingerprint)| {
                let stamp = FileStamp::of(&output.join(path))?;
                Some(format!(
                    "{fingerprint:016x}\t{}\t{}\t{}\t{path}\n",
                    stamp.len, stamp.modified_ns, stamp.inode
                ))
            })
            .collect();
        let mut text = String::with_capacity(64 + lines.iter().map(String::len).sum::<usize>());
        text.push_str(HEADER);
        text.push('\n');
        text.push_str(&made_by);
        text.push('\n');
        for line in lines {
            text.push_str(&line);
        }
        let partial = file.with_extension("partial");
        if std::fs::write(&partial, text).is_err() || std::fs::rename(&partial, &file).is_err() {
            let _ = std::fs::remove_file(&partial);
        }
    }
}

/// What each of the `members` files made together from `fingerprint` is
/// recorded with ([`PageRecords::unchanged_set`]).
pub fn set_member_fingerprint(fingerprint: u64, members: usize) -> u64 {
    crate::hash::hash_pair(fingerprint, members as u64)
}

/// `public` → `.public.hearth-pages` beside it.
fn records_file(output: &Path) -> Option<PathBuf> {
    super::sibling(output, "pages").ok()
}

/// The running executable, by path, size and modification time: records
/// of another build of hearth are not trusted (its pages may differ).
fn executable_id() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let stamp = FileStamp::of(&exe.canonicalize().ok()?)?;
    Some(format!(
        "{} {} {} {} {}",
        env!("CARGO_PKG_VERSION"),
        exe.display(),
        stamp.len,
        stamp.modified_ns,
        stamp.inode
    ))
}

fn parse_line(line: &str) -> Option<(String, Record)> {
    let mut fields = line.splitn(5, '\t');
    let fingerprint = u64::from_str_radix(fields.next()?, 16).ok()?;
    let len = fields.next()?.parse().ok()?;
    let modified_ns = fields.next()?.parse().ok()?;
    let inode = fields.next()?.parse().ok()?;
    let path = fields.next()?.to_string();
    Some((
        path,
        Record {
            fingerprint,
            file: FileStamp {
                len,
                modified_ns,
                inode,
            },
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_unchanged_only_with_its_fingerprint_and_its_very_file() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        std::fs::create_dir_all(output.join("a")).unwrap();
        std::fs::write(output.join("a/index.html"), "one").unwrap();
        std::fs::write(output.join("b.html"), "two").unwrap();
        PageRecords::write(&output, &[("a/index.html".into(), 7), ("b.html".into(), 8)]);
        let records = PageRecords::read(&output);
        assert!(records.unchanged("a/index.html", 7));
        assert!(!records.unchanged("a/index.html", 9), "another fingerprint");
        assert!(!records.unchanged("c.html", 7), "never recorded");
        // Edited in place to the same length: the time tells.
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(output.join("b.html"))
            .unwrap();
        std::io::Write::write_all(&mut &file, b"TWO").unwrap();
        file.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(86_400))
            .unwrap();
        drop(file);
        let records = PageRecords::read(&output);
        assert!(
            !records.unchanged("b.html", 8),
            "an edited file is not trusted"
        );
        // Replaced by a file of another size.
        std::fs::write(output.join("a/index.html"), "longer").unwrap();
        assert!(!records.unchanged("a/index.html", 7));
    }

    #[test]
    fn a_set_of_files_is_unchanged_only_whole_with_its_fingerprint_and_files() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        std::fs::create_dir_all(output.join("set")).unwrap();
        for name in ["a", "b", "c"] {
            std::fs::write(output.join("set").join(name), name).unwrap();
        }
        std::fs::write(output.join("page.html"), "page").unwrap();
        let in_set = |path: &str| path.starts_with("set/");
        let each = set_member_fingerprint(5, 3);
        let mut pages: Vec<(String, u64)> = ["set/a", "set/b", "set/c"]
            .into_iter()
            .map(|path| (path.to_string(), each))
            .collect();
        pages.push(("page.html".into(), 1));
        PageRecords::write(&output, &pages);
        let mut kept = PageRecords::read(&output).unchanged_set(in_set, 5).unwrap();
        kept.sort();
        assert_eq!(kept, ["set/a", "set/b", "set/c"]);
        assert_eq!(PageRecords::read(&output).unchanged_set(in_set, 6), None);
        // Recorded one short, as when a file could not be recorded.
        PageRecords::write(&output, &pages[1..]);
        assert_eq!(PageRecords::read(&output).unchanged_set(in_set, 5), None);
        PageRecords::write(&output, &pages);
        std::fs::write(output.join("set/b"), "changed").unwrap();
        assert_eq!(PageRecords::read(&output).unchanged_set(in_set, 5), None);
        assert_eq!(PageRecords::read(&output).unchanged_set(|_| false, 5), None);
    }

    #[test]
    fn a_file_of_that_name_that_hearth_did_not_write_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let file = dir.path().join(".public.hearth-pages");
        std::fs::write(&file, "mine").unwrap();
        PageRecords::write(&output, &[]);
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
        assert!(PageRecords::read(&output).pages.is_empty());
    }
}
