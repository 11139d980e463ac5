//! Running the binary as a child whose own peak memory is measured (`wait4`), so that tests
//! running side by side do not see each other's children.

use std::io::Read;
use std::process::{Command, Stdio};

/// What a measured run gave.
#[derive(Debug)]
pub struct Measured {
    /// The exit code; `None` when a signal ended the child.
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: String,
    /// Peak resident memory of the child, in bytes.
    pub peak_bytes: u64,
}

/// Runs `command` to its end and measures it.
// The child is reaped by `wait4` (which measures it), not by `Child::wait`.
#[allow(clippy::zombie_processes)]
pub fn run_measured(mut command: Command) -> Measured {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the command starts");
    let mut out = child.stdout.take().expect("piped");
    let mut err = child.stderr.take().expect("piped");
    let stdout = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        out.read_to_end(&mut bytes).expect("stdout reads");
        bytes
    });
    let stderr = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        err.read_to_end(&mut bytes).expect("stderr reads");
        String::from_utf8_lossy(&bytes).into_owned()
    });
    let (code, peak_bytes) = wait_measuring(child.id());
    Measured {
        code,
        stdout: stdout.join().expect("reader"),
        stderr: stderr.join().expect("reader"),
        peak_bytes,
    }
}

/// Waits for the child `pid` and returns its exit code and peak resident memory.
pub fn wait_measuring(pid: u32) -> (Option<i32>, u64) {
    let mut status = 0;
    // SAFETY: a zeroed rusage is valid; wait4 fills it and `status` for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let reaped = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid as libc::pid_t, "wait4 reaps the child");
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    // Linux reports ru_maxrss in KiB.
    (code, usage.ru_maxrss as u64 * 1024)
}
