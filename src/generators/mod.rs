//! The generators: each validates its options, then stages its files in a
//! [`Tree`](crate::tree::Tree). None of them touches the disk.

pub mod cdk;
pub mod fast_api;
pub mod terraform;
pub mod ts_infra;
pub mod workspace;

/// A command to run in the workspace root once the files are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Install {
    /// The program, looked up on `PATH`.
    pub program: String,
    /// Its arguments.
    pub args: Vec<String>,
}

impl Install {
    /// A command from its words.
    pub fn new(program: &str, args: &[&str]) -> Install {
        Install {
            program: program.to_string(),
            args: args.iter().map(|a| a.to_string()).collect(),
        }
    }

    /// The command as a user would type it.
    pub fn display(&self) -> String {
        std::iter::once(self.program.as_str())
            .chain(self.args.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// What a generator hands back besides its staged files.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Commands that install what the new files need, in order.
    pub installs: Vec<Install>,
    /// Lines telling the user what to do next.
    pub next_steps: Vec<String>,
}
