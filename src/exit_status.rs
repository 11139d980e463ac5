//! The process's exit status, as the README's table documents it: one type every command returns,
//! mapped to the exit code only in `main`.

/// The process exit code, as documented in the README.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// Every file was read.
    Success = 0,
    /// Some files (or pages) could not be read; the output still lists every file.
    SomeFilesFailed = 1,
    /// The run could not proceed: bad arguments, output not writable, no OCR language data.
    Fatal = 2,
    /// Stopped by Ctrl-C (128 + SIGINT, as shells report it); the output holds whole files.
    Interrupted = 130,
}

impl From<ExitStatus> for std::process::ExitCode {
    fn from(status: ExitStatus) -> Self {
        std::process::ExitCode::from(status as u8)
    }
}
