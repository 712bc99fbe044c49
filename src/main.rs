use std::process::ExitCode;

fn main() -> ExitCode {
    fastgen::cli::main()
}
