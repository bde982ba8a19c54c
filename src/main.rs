//! The `provaudit` binary: everything lives in the library so tests and benches drive
//! exactly the code users run.

fn main() -> std::process::ExitCode {
    provaudit::cli::main()
}
