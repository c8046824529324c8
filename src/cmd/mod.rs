//! The commands of the `hearth` binary. Each returns its exit code:
//! 0 ok, 1 content or configuration errors (2, usage errors, is clap's).

mod build;
mod check;
mod import;
mod new;
mod serve;
mod theme;

use clap::{Parser, Subcommand};
use std::net::IpAddr;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "hearth",
    version,
    about = "Static sites for relationship guides and multi-week journeys"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a working site (configuration, a guide, a journey, the theme)
    New {
        /// Folder to create
        dir: PathBuf,
    },
    /// Build the site into the output folder
    Build {
        /// Site folder (with site.toml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder (default: [build] output_dir, `public`)
        #[arg(long)]
        output: Option<PathBuf>,
        /// Base URL to build for, overriding site.toml
        #[arg(long)]
        base_url: Option<String>,
        /// Include pages marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Treat warnings (unmatched Read more, broken links, missing lesson parts) as errors
        #[arg(long)]
        strict: bool,
    },
    /// Serve a live preview that rebuilds and reloads on every save
    Serve {
        /// Site folder (with site.toml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Address to listen on; other machines can connect unless it is a loopback address
        #[arg(long, default_value = "127.0.0.1")]
        interface: IpAddr,
        /// Port to listen on (the next free one if it is taken; 0 for any)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Open the preview in a browser
        #[arg(long)]
        open: bool,
        /// Include pages marked `draft: true`
        #[arg(long)]
        drafts: bool,
    },
    /// Check everything a build checks, strictly, and write nothing
    Check {
        /// Site folder (with site.toml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Show or copy out the theme's files (templates and static files)
    Theme {
        #[command(subcommand)]
        action: ThemeAction,
    },
    /// Turn plain-text articles into guides
    Import {
        /// Plain-text (or Markdown) files to import
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Folder to write the guides to, e.g. content/guides
        #[arg(long)]
        into: PathBuf,
        /// Topics to give every imported guide, comma-separated
        #[arg(long, value_delimiter = ',')]
        topics: Vec<String>,
        /// Title to use when importing one file that has no title line
        #[arg(long)]
        title: Option<String>,
        /// Date to give the guides, YYYY-MM-DD (default: today)
        #[arg(long)]
        date: Option<String>,
        /// Overwrite existing files
        #[arg(long)]
        force: bool,
        /// Print the result instead of writing it
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ThemeAction {
    /// Copy the built-in theme into themes/default/, or the named files
    /// (e.g. `day.html`, `static/style.css`) into the site's templates/ or static/
    Eject {
        /// Files to copy; none copies the whole theme
        files: Vec<String>,
        /// Site folder (with site.toml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Replace files that already exist
        #[arg(long)]
        force: bool,
    },
    /// List every template and static file and where it comes from
    List {
        /// Site folder (with site.toml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

/// Runs a command and returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::New { dir } => new::run(&dir),
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            strict,
        } => build::run(hearth_build::BuildOptions {
            root,
            output,
            base_url,
            drafts,
            strict,
        }),
        Command::Serve {
            root,
            interface,
            port,
            open,
            drafts,
        } => serve::run(
            crate::serve::ServeOptions {
                root,
                interface,
                port,
                drafts,
                quiet: false,
            },
            open,
        ),
        Command::Check { root } => check::run(&root),
        Command::Theme { action } => theme::run(action),
        Command::Import {
            files,
            into,
            topics,
            title,
            date,
            force,
            dry_run,
        } => import::run(
            &files,
            crate::import::ImportOptions {
                into,
                topics: topics
                    .into_iter()
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty())
                    .collect(),
                title,
                date,
                force,
                dry_run,
            },
        ),
    }
}

use crate::build as hearth_build;

/// Prints diagnostics to stderr, then a count line.
pub(crate) fn print_diagnostics(diagnostics: &crate::diagnostics::Diagnostics) {
    eprint!("{}", diagnostics.report());
}
