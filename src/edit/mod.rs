//! Edits of files that several generators or the user share: `package.json`
//! and other JSON files, `pyproject.toml`, line sets such as `.gitignore` and
//! barrel files, and blocks inserted into the user's own files. Every edit
//! keeps the user's formatting and key order, and goes through the
//! [`Tree`](crate::tree::Tree).

pub mod insert;
pub mod json;
pub mod pyproject;

use anyhow::Result;

use crate::tree::Tree;

/// Appends each of `lines` that the line-set file `path` (`.gitignore`, a
/// barrel `index.ts`) lacks, creating the file if needed.
pub fn ensure_lines(tree: &mut Tree, path: &str, lines: &[String]) -> Result<()> {
    let mut content = tree.read_to_string(path)?.unwrap_or_default();
    let missing: Vec<&String> = lines
        .iter()
        .filter(|line| !content.lines().any(|l| l.trim() == line.as_str()))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ensure_lines_appends_only_what_is_missing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".gitignore"), "node_modules\ndist").unwrap();
        let mut tree = Tree::new(dir.path());
        let lines = ["dist".to_string(), ".venv".to_string()];
        ensure_lines(&mut tree, ".gitignore", &lines).unwrap();
        assert_eq!(
            tree.read_to_string(".gitignore").unwrap().unwrap(),
            "node_modules\ndist\n.venv\n"
        );
        ensure_lines(&mut tree, ".gitignore", &lines).unwrap();
        assert_eq!(tree.changes().len(), 1);
    }
}
