//! A site in a temporary folder, built with the real `hearth` binary, and
//! helpers to look at the part of a page that matters.

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixtures() -> PathBuf {
    repo_root().join("tests/fixtures")
}

/// A site copied into a temporary folder, with the repository's default
/// theme unless the site brings its own.
pub struct SiteTest {
    dir: tempfile::TempDir,
}

/// What a `hearth` run printed and returned.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl SiteTest {
    /// `hearth serve` of this site on a free port of 127.0.0.1, quiet,
    /// drafts left out, in this process. Panics if it does not start.
    pub fn serve(&self) -> hearth::serve::Server {
        self.serve_on(0)
    }

    /// [`SiteTest::serve`] on `port` (the next free one if it is taken).
    pub fn serve_on(&self, port: u16) -> hearth::serve::Server {
        hearth::serve::Server::start(&hearth::serve::ServeOptions {
            root: self.root().to_path_buf(),
            interface: [127, 0, 0, 1].into(),
            port,
            drafts: false,
            quiet: true,
        })
        .expect("the server starts")
    }

    /// Copies `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> SiteTest {
        let test = SiteTest::empty();
        copy_dir(&fixtures().join(name), test.root());
        test.add_theme();
        test
    }

    /// Copies `tests/fixtures/<name>` as it is: a site without a theme
    /// folder uses the built-in theme.
    pub fn bare(name: &str) -> SiteTest {
        let test = SiteTest::empty();
        copy_dir(&fixtures().join(name), test.root());
        test
    }

    /// The repository's example site (site.toml and content/).
    pub fn example() -> SiteTest {
        let test = SiteTest::empty();
        std::fs::copy(repo_root().join("site.toml"), test.root().join("site.toml")).unwrap();
        copy_dir(&repo_root().join("content"), &test.root().join("content"));
        test.add_theme();
        test
    }

    fn empty() -> SiteTest {
        SiteTest {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn add_theme(&self) {
        let theme = self.root().join("themes/default");
        if !theme.exists() {
            copy_dir(&repo_root().join("themes/default"), &theme);
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes (or replaces) a file of the site.
    pub fn write(&self, path: &str, text: &str) -> &Self {
        let path = self.root().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    /// Runs `hearth <args…> --root <site>`.
    pub fn hearth(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_hearth"))
            .args(args)
            .arg("--root")
            .arg(self.root())
            .output()
            .expect("hearth runs");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// `hearth build`, which must succeed.
    pub fn build(&self, args: &[&str]) -> Run {
        let run = self.hearth(&[&["build"], args].concat());
        assert_eq!(run.code, 0, "build failed:\n{}{}", run.stdout, run.stderr);
        run
    }

    /// A file of the output (`public/<path>`).
    pub fn read(&self, path: &str) -> String {
        let file = self.root().join("public").join(path);
        std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
    }

    pub fn exists(&self, path: &str) -> bool {
        self.root().join("public").join(path).exists()
    }

    /// Every HTML file of the output, relative to it.
    pub fn html_files(&self) -> Vec<String> {
        let out = self.root().join("public");
        walkdir::WalkDir::new(&out)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
            .map(|e| {
                e.path()
                    .strip_prefix(&out)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect()
    }
}

/// The `<main>` element of a page: what a page shows, without the chrome.
pub fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("page has <main>");
    let end = html.rfind("</main>").expect("page has </main>");
    &html[start..end]
}

/// Every `href="…"` value of a page.
pub fn hrefs(html: &str) -> Vec<&str> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A served page without what only the preview shows: the marked
/// placeholders of unmatched Read-more lines, which `build` leaves out.
pub fn without_preview_marks(page: &str) -> String {
    const MARK: &str = "<p class=\"read-more read-more-unresolved\">";
    let mut rest = page;
    let mut kept = String::with_capacity(page.len());
    while let Some(start) = rest.find(MARK) {
        kept.push_str(&rest[..start]);
        let end = rest[start..]
            .find("</p>\n")
            .map_or(rest.len(), |end| start + end + 5);
        rest = &rest[end..];
    }
    kept.push_str(rest);
    kept
}
