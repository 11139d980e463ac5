//! Running the binary as a child whose own peak memory is measured (`wait4`), so that tests
//! running side by side do not see each other's children, and which is killed past a time limit.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// What a child process did: its exit code, peak resident memory, time and output (its
/// standard output and error together; a scan writes its rows to a file).
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub peak_bytes: u64,
    pub elapsed: Duration,
    pub output: String,
}

/// Runs `command` to its end (killing it past `limit`, which fails the test), and measures its
/// own peak memory with `wait4`: other tests' children do not mix in.
pub fn measured(mut command: Command, limit: Duration, output_file: &Path) -> Run {
    let stderr = std::fs::File::create(output_file).unwrap();
    // Reaped by `wait4` below, which gives its resource usage too; `Child::wait` would not.
    #[allow(clippy::zombie_processes)]
    let child = command
        .stdout(stderr.try_clone().unwrap())
        .stderr(stderr)
        .spawn()
        .expect("child starts");
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    let start = Instant::now();
    let (status, usage) = loop {
        let mut status = 0;
        // SAFETY: wait4 writes the status and the zeroed rusage it is given, nothing else; the
        // pid is our own child, not yet reaped (std's `Child` is never waited on).
        let (reaped, usage) = unsafe {
            let mut usage: libc::rusage = std::mem::zeroed();
            let reaped = libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage);
            (reaped, usage)
        };
        assert!(reaped >= 0, "wait4 failed");
        if reaped == pid {
            break (status, usage);
        }
        if start.elapsed() > limit {
            // SAFETY: the child is not reaped yet, so the pid is still ours.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
                libc::waitpid(pid, &mut status, 0);
            }
            panic!("the child did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    Run {
        code,
        peak_bytes: u64::try_from(usage.ru_maxrss).unwrap() * 1024, // kilobytes on Linux
        elapsed: start.elapsed(),
        output: std::fs::read_to_string(output_file).unwrap_or_default(),
    }
}
