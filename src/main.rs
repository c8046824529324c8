//! The `hearth` command: parses arguments and hands each command to
//! `hearth::cmd`.

use clap::Parser;
use hearth::cmd::{self, Cli, Command};

/// mimalloc instead of the system allocator: a build makes and frees
/// millions of small strings and template values on every core, and
/// glibc's malloc spent about a quarter of the build's instructions on it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = Cli::parse();
    if matches!(cli.command, Command::Serve { .. })
        && std::env::var_os("MIMALLOC_PURGE_DELAY").is_none()
    {
        keep_freed_memory();
    }
    std::process::exit(cmd::run(cli));
}

/// `mi_option_purge_delay` of mimalloc.h (v2 and v3), in milliseconds; -1
/// is never. libmimalloc-sys names the options around it but not it.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Tells mimalloc to keep the memory a program frees instead of giving it
/// back to the system a second later: each rebuild of `serve` frees and
/// makes again a resolved site of the same size, and on the benchmark
/// corpus the memory given back and faulted in again was ~2,000 page faults
/// per day edit (some of them 2 MiB pages the kernel zeroes) and about 9% of
/// a rebuild's CPU time. The cost is a higher peak: 1.70 → 1.90 × a cold
/// build's on the corpus. `build` keeps the default (at 100k sources it was
/// slower this way). A `MIMALLOC_PURGE_DELAY` in the environment is left to
/// say otherwise.
fn keep_freed_memory() {
    // SAFETY: sets one of mimalloc's options; any value is allowed, and
    // the allocator reads it at each purge.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn serve_keeps_freed_memory_by_the_purge_delay_option() {
        // SAFETY: reads an option.
        let get = || unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) };
        // 1,000 ms is the purge delay's default (mimalloc v3), and no option
        // beside it has it.
        assert_eq!(get(), 1000);
        super::keep_freed_memory();
        assert_eq!(get(), -1);
    }

    #[test]
    fn cli_is_well_formed() {
        hearth::cmd::Cli::command().debug_assert();
    }
}
