//! `fastgen new`: an Nx-compatible monorepo that is also a uv workspace.

use std::path::Path;

use anyhow::{Result, bail};

use super::{Install, Outcome};
use crate::model::WorkspaceSpec;
use crate::model::workspace::MARKER;
use crate::plan;
use crate::render::WorkspaceContext;
use crate::tree::Tree;

/// Refuses a target that is a file, or a folder with files that is not a workspace.
pub fn check_target(dir: &Path) -> Result<()> {
    if dir.is_file() {
        bail!(
            "{} is a file: pass a directory for the new workspace",
            dir.display()
        );
    }
    let is_workspace = dir.join(MARKER).is_file();
    if dir.is_dir() && !is_workspace && dir.read_dir()?.next().is_some() {
        bail!(
            "{} is not empty and is not a workspace: pass a new or empty directory",
            dir.display()
        );
    }
    Ok(())
}

/// Stages a new workspace at the tree's root. Files that exist already are kept.
pub fn generate(tree: &mut Tree, spec: &WorkspaceSpec) -> Result<Outcome> {
    plan::workspace(spec).apply(tree, &WorkspaceContext::new(spec))?;
    Ok(Outcome {
        installs: vec![
            Install::node_packages(spec.package_manager),
            Install::uv_sync(),
        ],
        next_steps: vec!["Add an API: fastgen g py#fast-api MyApi".to_string()],
    })
}
