//! The `hearth` command: parses arguments and hands each command to
//! `hearth::cmd`.

use clap::Parser;
use hearth::cmd::{self, Cli};

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
