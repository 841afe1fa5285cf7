//! The subcommands: each loads its source, does its work with the library, and prints.

pub mod assignments;
pub mod audit;
pub mod diff;
pub mod export;
pub mod source;

use std::io::Write;

/// A failure to report on one line, with its exit status: 2 for bad input, 1 otherwise.
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn input(message: impl Into<String>) -> Self {
        Self {
            code: 2,
            message: message.into(),
        }
    }

    pub fn runtime(message: impl Into<String>) -> Self {
        Self {
            code: 1,
            message: message.into(),
        }
    }
}

/// Writes to stdout. A reader that went away (`idc audit | head`) is not an error.
pub fn print(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::runtime(format!("cannot write to stdout: {e}"))),
    }
}

/// Formatting into memory fails only on a serializer bug; say so rather than panic.
pub fn rendered(result: std::io::Result<String>) -> Result<String, Failure> {
    result.map_err(|e| Failure::runtime(format!("cannot format the output: {e}")))
}
