//! Which command runs: `scan`, `watch`, `merge`, `find`, `store`, `schema`, `completions`, `man`,
//! each handed its arguments. Nothing else: the commands live in their own modules.

use std::io::Write;

use crate::cli::{Cli, Command};
use crate::config::ScanConfig;
use crate::exit_status::ExitStatus;
use crate::run::{find, scan};

/// Runs the command `cli` names; its exit status, or the error that stopped it.
pub fn run(cli: Cli) -> anyhow::Result<ExitStatus> {
    match cli.command {
        Command::Scan(args) => {
            crate::logging::set_level(crate::logging::level_for(args.quiet, args.verbose));
            let config = ScanConfig::from_args(&args, |name| std::env::var(name).ok())?;
            scan(&config)
        }
        Command::Merge(args) => {
            crate::merge::merge(
                &args.output,
                &args.shards,
                args.format,
                args.cases.as_deref(),
            )?;
            Ok(ExitStatus::Success)
        }
        Command::Find(args) => find(&args),
        Command::Watch(args) => {
            let level = crate::logging::level_for(args.scan.quiet, args.scan.verbose);
            crate::logging::set_level(level);
            crate::watch::watch(&args)
        }
        Command::Store(command) => crate::store::command(&command),
        Command::Schema => {
            let mut stdout = std::io::stdout().lock();
            serde_json::to_writer_pretty(&mut stdout, &crate::output::json::json_schema())?;
            writeln!(stdout)?;
            Ok(ExitStatus::Success)
        }
        Command::Completions { shell } => {
            crate::help::completions(shell, &mut std::io::stdout().lock())?;
            Ok(ExitStatus::Success)
        }
        Command::Man { command } => {
            crate::help::manual(command.as_deref(), &mut std::io::stdout().lock())?;
            Ok(ExitStatus::Success)
        }
    }
}
