//! hearth: a static site generator for relationship guides and multi-week
//! journeys.
//!
//! The build is a pipeline of stages, each a module with its own types:
//!
//! ```text
//! config  ->  load  ->  resolve  ->  render  ->  write
//! site.toml   files,    ids, URLs,   Markdown    staging dir,
//!             front     weeks, days, + Tera      swapped into
//!             matter    cross-links              the output
//! ```
//!
//! [`build`] runs them in order; `check` runs all but `write`, and `serve`
//! re-runs them for what a change touched.

pub mod build;
pub mod cmd;
pub mod config;
pub mod diagnostics;
pub mod files;
pub mod hash;
pub mod import;
pub mod limits;
pub mod load;
pub mod markdown;
pub mod render;
pub mod resolve;
pub mod serve;
pub mod slug;
pub mod theme;
pub mod timings;
pub mod write;
