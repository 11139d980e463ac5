//! `i797`: parse the command line, run, turn the outcome into an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = i797::cli::Cli::parse();
    match i797::run::run_cli(cli) {
        Ok(code) => code.into(),
        Err(error) => {
            eprintln!("i797: error: {error:#}");
            i797::pipeline::ExitStatus::Fatal.into()
        }
    }
}
