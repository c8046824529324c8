//! The integration tests: one binary, a module per feature.

mod support;

mod author_traps;
mod browser;
mod build;
mod contents;
mod hardening;
mod import;
mod links;
mod loose_ends;
mod pagination;
mod progress;
mod serve;
mod theme;
mod worksheets;
