//! The `hearth` command: parses arguments and hands each command to
//! `hearth::cmd`.

use clap::Parser;
use hearth::cmd::{self, Cli};

/// mimalloc instead of the system allocator: a build makes and frees
/// millions of small strings and template values on every core, and
/// glibc's malloc spent about a quarter of the build's instructions on it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = Cli::parse();
    std::process::exit(cmd::run(cli));
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        hearth::cmd::Cli::command().debug_assert();
    }
}
