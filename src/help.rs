//! The shell completions and manual page, made from the one command-line definition in `cli.rs`
//! (its examples and exit codes, shown after `--help`, are in `cli/examples.rs`).
//!
//! Must not: define arguments (that is `cli.rs`) or run anything.

use std::io::Write;

use clap::CommandFactory;

use crate::cli::Cli;

/// Writes the completion script for `shell` to `out`.
pub fn completions(shell: clap_complete::Shell, out: &mut impl Write) -> std::io::Result<()> {
    let mut command = Cli::command();
    // Made in memory first: the generator panics on a failed write (a closed pipe).
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "i797", &mut script);
    closed_pipe_is_fine(out.write_all(&script))
}

/// Writes the manual page (roff) of `i797`, or of one of its commands, to `out`.
pub fn manual(command: Option<&str>, out: &mut impl Write) -> anyhow::Result<()> {
    let main = Cli::command();
    let page = match command {
        None => main,
        Some(name) => {
            let sub = main
                .find_subcommand(name)
                .ok_or_else(|| anyhow::anyhow!("i797 has no command `{name}`"))?;
            // The page is printed once and the process ends: leaking its title is free.
            let title: &'static str = format!("i797-{name}").leak();
            sub.clone()
                .name(title)
                .display_name(title)
                .version(env!("CARGO_PKG_VERSION"))
        }
    };
    let mut roff = Vec::new();
    clap_mangen::Man::new(page).render(&mut roff)?;
    closed_pipe_is_fine(out.write_all(&roff))?;
    Ok(())
}

/// `i797 man | head` closes the pipe early; as for `cat`, that is not an error.
pub fn closed_pipe_is_fine(written: std::io::Result<()>) -> std::io::Result<()> {
    match written {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
