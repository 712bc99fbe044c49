//! `fastgen new`: an Nx-compatible monorepo that is also a uv workspace.

use anyhow::Result;
use clap::ValueEnum;
use heck::ToKebabCase;
use minijinja::context;
use serde_json::Value;

use super::{Install, Outcome};
use crate::model::IacProvider;
use crate::render::{self, Choice};
use crate::tree::Tree;

/// The Nx release new workspaces pin.
pub const NX_VERSION: &str = "~24.0.6";

pub use crate::model::PackageManager;

impl PackageManager {
    /// The command that installs the workspace's Node packages.
    pub fn install(self) -> Install {
        Install::new(&self.to_string(), &["install"])
    }

    /// The package manager a workspace records in `nx.json` (`cli.packageManager`),
    /// else the one its lock file shows, else npm.
    pub fn detect(tree: &Tree) -> Result<PackageManager> {
        if let Some(text) = tree.read_to_string("nx.json")? {
            let recorded = serde_json::from_str::<Value>(&text)
                .ok()
                .and_then(|nx| {
                    nx.pointer("/cli/packageManager")?
                        .as_str()
                        .map(str::to_string)
                })
                .and_then(|pm| PackageManager::from_str(&pm, true).ok());
            if let Some(pm) = recorded {
                return Ok(pm);
            }
        }
        let by_lock_file = [
            ("pnpm-lock.yaml", PackageManager::Pnpm),
            ("pnpm-workspace.yaml", PackageManager::Pnpm),
            ("yarn.lock", PackageManager::Yarn),
            ("bun.lock", PackageManager::Bun),
            ("bun.lockb", PackageManager::Bun),
        ];
        for (file, pm) in by_lock_file {
            if tree.exists(file)? {
                return Ok(pm);
            }
        }
        Ok(PackageManager::Npm)
    }
}

/// Options of `fastgen new`.
#[derive(Debug, Clone)]
pub struct WorkspaceOptions {
    /// The workspace's name: the npm scope and the uv root project's name.
    pub name: String,
    /// The Node package manager.
    pub package_manager: PackageManager,
    /// The default `iacProvider` of `py#fast-api` in this workspace (`cdk` or `terraform`).
    pub iac: IacProvider,
}

impl WorkspaceOptions {
    /// Options for a workspace named after its directory.
    pub fn for_directory(
        dir_name: &str,
        package_manager: PackageManager,
        iac: IacProvider,
    ) -> Self {
        let name = dir_name.to_kebab_case();
        WorkspaceOptions {
            name: if name.is_empty() {
                "workspace".into()
            } else {
                name
            },
            package_manager,
            iac,
        }
    }
}

/// Stages a new workspace at the tree's root. Files that exist already are kept.
pub fn generate(tree: &mut Tree, options: &WorkspaceOptions) -> Result<Outcome> {
    let pm = options.package_manager;
    let ctx = context! {
        name => options.name,
        package_manager => pm.to_string(),
        nx => pm.nx(),
        nx_version => NX_VERSION,
        install => pm.install().display(),
        iac => Choice::of(options.iac),
    };
    render::render_dir(tree, "workspace", "", &ctx)?;
    if pm == PackageManager::Pnpm {
        render::render_dir(tree, "workspace-pnpm", "", &ctx)?;
    }
    Ok(Outcome {
        installs: vec![pm.install(), uv_sync()],
        next_steps: vec!["Add an API: fastgen g py#fast-api MyApi".to_string()],
    })
}

/// The command that installs every Python project of the workspace.
pub fn uv_sync() -> Install {
    Install::new("uv", &["sync", "--all-packages"])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_the_recorded_package_manager() {
        let dir = tempfile::tempdir().unwrap();
        let mut tree = Tree::new(dir.path());
        assert_eq!(PackageManager::detect(&tree).unwrap(), PackageManager::Npm);
        tree.write("yarn.lock", "").unwrap();
        assert_eq!(PackageManager::detect(&tree).unwrap(), PackageManager::Yarn);
        tree.write("nx.json", r#"{"cli": {"packageManager": "bun"}}"#)
            .unwrap();
        assert_eq!(PackageManager::detect(&tree).unwrap(), PackageManager::Bun);
    }

    #[test]
    fn a_workspace_is_named_after_its_directory() {
        let options =
            WorkspaceOptions::for_directory("My Demo", PackageManager::Npm, IacProvider::Cdk);
        assert_eq!(options.name, "my-demo");
    }
}
