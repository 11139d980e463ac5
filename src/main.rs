//! `i797`: parse the command line, run, turn the outcome into an exit code.

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

fn main() -> ExitCode {
    i797::logging::init();
    report_panics_briefly();
    let mut command = i797::cli::Cli::command();
    // `--version` names the engines and hashes the model files: done only when asked.
    if std::env::args_os().skip(1).any(|arg| arg == "--version") {
        let long: &'static str = i797::version::long_version().leak();
        command = command.long_version(long);
    }
    let cli = i797::cli::Cli::from_arg_matches(&command.get_matches())
        .unwrap_or_else(|error| error.exit());
    match i797::commands::run(cli) {
        Ok(code) => code.into(),
        Err(error) => {
            eprintln!("i797: error: {error:#}");
            i797::exit_status::ExitStatus::Fatal.into()
        }
    }
}

/// A panic inside a decoder is caught at its page or file and becomes that file's `error` row;
/// the user needs one line saying so, not a backtrace mixed into the progress.
fn report_panics_briefly() {
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()));
        // Through the logger: above the progress bar, never on its line.
        log::error!(
            "internal error{}: {} (caught: the file being read gets an error row)",
            at.unwrap_or_default(),
            i797::sanitize::for_terminal(&what)
        );
    }));
}
