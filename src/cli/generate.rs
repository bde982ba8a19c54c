//! `provaudit completions SHELL` and `provaudit man`: generated from the same clap
//! definitions that parse the arguments, so they never fall out of step with them.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory};

use super::{Cli, exit, output};

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for; install the output where that shell looks, e.g.
    /// `provaudit completions bash > /etc/bash_completion.d/provaudit`.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write one page per command (provaudit.1, provaudit-scan.1, ...) into DIR
    /// instead of printing provaudit(1) on stdout.
    #[arg(long, short, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

pub fn run_completions(args: &CompletionsArgs) -> ExitCode {
    // Rendered in memory: clap_complete panics on a write error, and a closed pipe
    // is one (see `output`).
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "provaudit", &mut script);
    output::emit("the completions", |w| w.write_all(&script));
    ExitCode::from(exit::OK)
}

pub fn run_man(args: &ManArgs) -> ExitCode {
    let command = Cli::command();
    match &args.out {
        None => {
            output::emit("the manual page", |w| {
                clap_mangen::Man::new(command).render(w)
            });
            ExitCode::from(exit::OK)
        }
        Some(dir) => {
            let written = std::fs::create_dir_all(dir)
                .and_then(|()| clap_mangen::generate_to(command, dir))
                .and_then(|()| pages(dir));
            match written {
                Ok(pages) => {
                    output::paths(&pages);
                    ExitCode::from(exit::OK)
                }
                Err(e) => {
                    eprintln!(
                        "provaudit: cannot write the manual pages to {}: {e}",
                        dir.display()
                    );
                    ExitCode::from(exit::USAGE)
                }
            }
        }
    }
}

/// The pages in `dir`, sorted, to print what was written.
fn pages(dir: &std::path::Path) -> std::io::Result<Vec<PathBuf>> {
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name.starts_with("provaudit") && name.ends_with(".1") {
            pages.push(path);
        }
    }
    pages.sort();
    Ok(pages)
}
