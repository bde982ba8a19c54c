//! Writing results to stdout.
//!
//! A reader that stops early (`provaudit diff … | head`) closes the pipe: that is its
//! choice, not a failure, so it is neither reported nor allowed to change the exit
//! status (the command's own status stands, as README says). Rust ignores SIGPIPE,
//! so a closed pipe arrives here as a `BrokenPipe` error instead of killing us.

use std::io::{self, Write};

/// Runs `write` on stdout and reports a write error, other than a closed pipe, as
/// "cannot print WHAT". Returns whether a real error happened.
pub fn emit(what: &str, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> bool {
    let mut out = io::stdout().lock();
    let result = write(&mut out).and_then(|()| out.flush());
    failed(what, result)
}

/// Reports `result`'s error unless it is a closed pipe; returns whether one was
/// reported.
pub fn failed(what: &str, result: io::Result<()>) -> bool {
    match result {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            eprintln!("provaudit: cannot print {what}: {e}");
            true
        }
        _ => false,
    }
}

/// Prints each path on its own line (the files a verb wrote).
pub fn paths<P: AsRef<std::path::Path>>(paths: &[P]) -> bool {
    emit("the written files", |w| {
        for path in paths {
            writeln!(w, "{}", path.as_ref().display())?;
        }
        Ok(())
    })
}

/// `value` as pretty JSON and a newline.
pub fn json(what: &str, value: &impl serde::Serialize) -> bool {
    emit(what, |w| {
        serde_json::to_writer_pretty(&mut *w, value)?;
        writeln!(w)
    })
}
