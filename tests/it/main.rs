//! The integration tests: one binary, a module per feature.

mod support;

mod author_traps;
mod bad_inputs;

mod browser;
mod build;
mod contents;
mod hardening;
mod import;
mod incremental;
mod links;
mod loose_ends;
mod pagination;
mod progress;
mod search;
mod serve;
mod serve_http;
mod theme;
mod unchanged_builds;
mod worksheets;
