//! Reading and editing the files a workspace shares: `package.json`,
//! `pyproject.toml` and `.gitignore`. Every edit keeps the user's formatting and
//! key order, and goes through the [`Tree`](crate::tree::Tree).

pub mod json;
pub mod pyproject;

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::tree::Tree;

/// The file whose presence marks a workspace root.
pub const MARKER: &str = "nx.json";

/// Finds the workspace that contains `start`: the nearest ancestor holding `nx.json`.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(MARKER).is_file())
        .map(Path::to_path_buf)
}

/// Appends each of `lines` that `.gitignore`-style file `path` lacks.
pub fn ensure_lines(tree: &mut Tree, path: &str, lines: &[&str]) -> Result<()> {
    let mut content = tree.read_to_string(path)?.unwrap_or_default();
    let missing: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|line| !content.lines().any(|l| l.trim() == *line))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    if !content.is_empty() && !content.ends_with('\n') {
        content.push('\n');
    }
    for line in missing {
        content.push_str(line);
        content.push('\n');
    }
    tree.write(path, content)
}

/// Inserts each of `blocks` not yet in `text` above the line holding `marker`.
pub fn insert_above(text: &str, marker: &str, blocks: &[impl AsRef<str>]) -> Option<String> {
    let at = text.find(marker)?;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let mut inserted = String::new();
    for block in blocks {
        let block = block.as_ref();
        if !text.contains(block) {
            inserted.push_str(block);
            inserted.push('\n');
        }
    }
    Some(format!(
        "{}{inserted}{}",
        &text[..line_start],
        &text[line_start..]
    ))
}

/// Makes the Nx project at `project_root` depend on the project `name`.
pub fn add_implicit_dependency(tree: &mut Tree, project_root: &str, name: &str) -> Result<()> {
    let mut project = json::JsonFile::require(
        tree,
        &format!("{project_root}/project.json"),
        &format!("restore it, or delete {project_root} to have it generated again"),
    )?;
    project.push_unique(
        "implicitDependencies",
        serde_json::Value::String(name.to_string()),
    )?;
    project.write(tree)
}

/// The npm scope of the workspace: `demo` for a root package named `@demo/source`.
pub fn scope(tree: &Tree) -> Result<String> {
    let package_json = json::JsonFile::require(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ensure_lines_appends_only_what_is_missing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".gitignore"), "node_modules\ndist").unwrap();
        let mut tree = Tree::new(dir.path());
        ensure_lines(&mut tree, ".gitignore", &["dist", ".venv"]).unwrap();
        assert_eq!(
            tree.read_to_string(".gitignore").unwrap().unwrap(),
            "node_modules\ndist\n.venv\n"
        );
        ensure_lines(&mut tree, ".gitignore", &["dist", ".venv"]).unwrap();
        assert_eq!(tree.changes().len(), 1);
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
    fn blocks_go_above_the_marker_once() {
        let text = "a\n  // fastgen:apis here\nb\n";
        let once = insert_above(text, "// fastgen:apis", &["  x();"]).unwrap();
        assert_eq!(once, "a\n  x();\n  // fastgen:apis here\nb\n");
        assert_eq!(
            insert_above(&once, "// fastgen:apis", &["  x();"]).unwrap(),
            once
        );
        assert_eq!(insert_above(text, "// fastgen:imports", &["y"]), None);
    }
    #[test]
    fn the_scope_comes_from_the_root_package_name() {
        let dir = tempfile::tempdir().unwrap();
        let mut tree = Tree::new(dir.path());
        tree.write("package.json", r#"{"name": "@demo/source"}"#)
            .unwrap();
        assert_eq!(scope(&tree).unwrap(), "demo");
        tree.write("package.json", r#"{"name": "My Shop"}"#)
            .unwrap();
        assert_eq!(scope(&tree).unwrap(), "my-shop");
    }
}
