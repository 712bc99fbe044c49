//! The generators: each turns a validated spec into a [`Plan`](crate::plan::Plan),
//! applies it to a [`Tree`](crate::tree::Tree), merges its entries into the
//! workspace's shared files, and says what to install. None touches the disk.

pub mod fast_api;
pub mod new;
pub mod ts_infra;

use crate::model::{Choose, PackageManager};

/// A command to run in the workspace root once the files are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Install {
    /// The program, looked up on `PATH`.
    pub program: String,
    /// Its arguments.
    pub args: Vec<String>,
    /// What to run instead when `program` is not on `PATH`.
    pub fallback: Option<Box<Install>>,
    /// How to get `program` when it is missing and there is no fallback.
    pub hint: Option<&'static str>,
}

/// How to get uv on a machine that lacks it, from PyPI alone.
pub const UV_HINT: &str = "install uv from PyPI: python3 -m venv ~/.local/uv && ~/.local/uv/bin/pip install uv && export PATH=\"$HOME/.local/uv/bin:$PATH\" (or see https://docs.astral.sh/uv/getting-started/installation/)";

impl Install {
    /// A command from its words.
    pub fn new(program: &str, args: &[&str]) -> Install {
        Install {
            program: program.to_string(),
            args: args.iter().map(|a| a.to_string()).collect(),
            fallback: None,
            hint: None,
        }
    }

    /// The command that installs the workspace's Node packages: the package
    /// manager itself, or where it is not on `PATH`, its pinned release through
    /// `npx` (which every Node install has).
    pub fn node_packages(pm: PackageManager) -> Install {
        let mut install = Install::new(pm.key(), pm.install_args());
        if let Some(package) = pm.npx_package() {
            let mut npx = Install::new("npx", &["--yes", "--package", package, "--", pm.key()]);
            npx.args
                .extend(pm.install_args().iter().map(|a| a.to_string()));
            install.fallback = Some(Box::new(npx));
        }
        install
    }

    /// The command that installs every Python project of the workspace.
    pub fn uv_sync() -> Install {
        Install {
            hint: Some(UV_HINT),
            ..Install::new("uv", &["sync", "--all-packages"])
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

impl Outcome {
    /// Adds `other`'s installs that this outcome lacks, and takes its next steps.
    pub fn then(mut self, other: Outcome) -> Outcome {
        for install in other.installs {
            if !self.installs.contains(&install) {
                self.installs.push(install);
            }
        }
        self.next_steps = other.next_steps;
        self
    }
}
