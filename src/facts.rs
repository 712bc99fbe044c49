//! Reads a workspace's [`Facts`]: the package manager, npm scope, IaC default,
//! the infrastructure project's kind, and what each API project records.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::ValueEnum;
use serde_json::Value;

use crate::edit::{json::JsonFile, pyproject};
use crate::model::workspace::{INFRA_ROOT, MARKER};
use crate::model::{ExistingApi, Facts, IacProvider, InfraApp, PackageManager};
use crate::tree::Tree;

/// Finds the workspace that contains `start`: the nearest ancestor holding `nx.json`.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(MARKER).is_file())
        .map(Path::to_path_buf)
}

/// Reads the facts of the workspace at the tree's root.
pub fn read(tree: &Tree) -> Result<Facts> {
    let nx = read_nx_json(tree)?;
    let recorded = |pointer: &str| {
        nx.as_ref()
            .and_then(|nx| nx.pointer(pointer)?.as_str().map(str::to_string))
    };
    let package_manager = match recorded("/cli/packageManager")
        .and_then(|pm| PackageManager::from_str(&pm, true).ok())
    {
        Some(pm) => pm,
        None => package_manager_by_lock_file(tree)?,
    };
    let default_iac = recorded("/generators/fastgen/py#fast-api/iacProvider")
        .and_then(|iac| IacProvider::from_str(&iac, true).ok());
    let infra = if tree.exists(&format!("{INFRA_ROOT}/cdk.json"))? {
        InfraApp::Cdk
    } else if tree.exists(&format!("{INFRA_ROOT}/src/main.tf"))? {
        InfraApp::Terraform
    } else {
        InfraApp::Missing
    };
    Ok(Facts {
        package_manager,
        scope: scope(tree)?,
        default_iac,
        infra,
        apis: apis(tree)?,
    })
}

fn read_nx_json(tree: &Tree) -> Result<Option<Value>> {
    let Some(text) = tree.read_to_string(MARKER)? else {
        return Ok(None);
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|err| anyhow::anyhow!("nx.json is not valid JSON ({err}): fix it and run again"))
}

/// The package manager a workspace's lock file (or pnpm's workspace file) shows, else npm.
fn package_manager_by_lock_file(tree: &Tree) -> Result<PackageManager> {
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

/// The npm scope of the workspace: `demo` for a root package named `@demo/source`.
fn scope(tree: &Tree) -> Result<String> {
    let package_json = JsonFile::require(
        tree,
        "package.json",
        "run `fastgen new` to create a workspace",
    )?;
    let name = package_json.string("name").unwrap_or("workspace");
    let scope = match name.strip_prefix('@') {
        Some(scoped) => scoped.split('/').next().unwrap_or(scoped),
        None => name,
    };
    Ok(heck::ToKebabCase::to_kebab_case(scope))
}

/// Every member of the uv workspace, with its Nx name and its fastgen record.
fn apis(tree: &Tree) -> Result<Vec<ExistingApi>> {
    let Some(root) = pyproject::read(tree, "pyproject.toml")? else {
        return Ok(Vec::new());
    };
    let mut apis = Vec::new();
    for member in pyproject::members(&root) {
        let record = match pyproject::read(tree, &format!("{member}/pyproject.toml"))? {
            Some(doc) => {
                pyproject::record(&doc).with_context(|| format!("{member}/pyproject.toml"))?
            }
            None => None,
        };
        let name = tree
            .read_to_string(&format!("{member}/project.json"))?
            .and_then(|text| serde_json::from_str::<Value>(&text).ok())
            .and_then(|project| project.get("name")?.as_str().map(str::to_string));
        apis.push(ExistingApi {
            root: member,
            name,
            record,
        });
    }
    Ok(apis)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree_with(files: &[(&str, &str)]) -> (tempfile::TempDir, Tree) {
        let dir = tempfile::tempdir().unwrap();
        let mut tree = Tree::new(dir.path());
        for (path, content) in files {
            tree.write(path, *content).unwrap();
        }
        (dir, tree)
    }

    #[test]
    fn detects_the_recorded_package_manager() {
        let (_dir, mut tree) = tree_with(&[("package.json", "{}")]);
        assert_eq!(read(&tree).unwrap().package_manager, PackageManager::Npm);
        tree.write("yarn.lock", "").unwrap();
        assert_eq!(read(&tree).unwrap().package_manager, PackageManager::Yarn);
        tree.write("nx.json", r#"{"cli": {"packageManager": "bun"}}"#)
            .unwrap();
        assert_eq!(read(&tree).unwrap().package_manager, PackageManager::Bun);
    }

    #[test]
    fn the_root_is_the_nearest_ancestor_with_nx_json() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("packages/api");
        std::fs::create_dir_all(&nested).unwrap();
        assert_eq!(find_root(&nested), None);
        std::fs::write(dir.path().join("nx.json"), "{}").unwrap();
        assert_eq!(find_root(&nested).as_deref(), Some(dir.path()));
    }

    #[test]
    fn the_scope_comes_from_the_root_package_name() {
        let (_dir, mut tree) = tree_with(&[("package.json", r#"{"name": "@demo/source"}"#)]);
        assert_eq!(read(&tree).unwrap().scope, "demo");
        tree.write("package.json", r#"{"name": "My Shop"}"#)
            .unwrap();
        assert_eq!(read(&tree).unwrap().scope, "my-shop");
    }

    #[test]
    fn records_and_ports_are_read_from_each_member() {
        let (_dir, tree) = tree_with(&[
            ("package.json", "{}"),
            (
                "nx.json",
                r#"{"generators": {"fastgen": {"py#fast-api": {"iacProvider": "terraform"}}}}"#,
            ),
            (
                "pyproject.toml",
                "[tool.uv.workspace]\nmembers = [\"packages/a\", \"packages/lib\"]\n",
            ),
            (
                "packages/a/pyproject.toml",
                "[tool.fastgen]\ngenerator = \"py#fast-api\"\ncompute-type = \"http\"\nauth = \"none\"\niac = \"terraform\"\nport = 8003\n",
            ),
            ("packages/a/project.json", r#"{"name": "a"}"#),
            ("packages/lib/pyproject.toml", "[project]\nname = \"lib\"\n"),
        ]);
        let facts = read(&tree).unwrap();
        assert_eq!(facts.default_iac, Some(IacProvider::Terraform));
        assert_eq!(facts.apis.len(), 2);
        assert_eq!(facts.apis[0].name.as_deref(), Some("a"));
        assert_eq!(facts.apis[0].record.as_ref().unwrap().port, 8003);
        assert_eq!(facts.apis[1].record, None);
        assert_eq!(facts.next_port(), 8004);
    }
}
