//! Edits of the workspace's `package.json` that keep its key order.

use anyhow::{Context, Result, bail};
use serde_json::{Map, Value};

use crate::tree::Tree;

const PATH: &str = "package.json";

/// The workspace's `package.json`, parsed.
#[derive(Debug)]
pub struct PackageJson {
    value: Map<String, Value>,
}

impl PackageJson {
    /// Reads and parses `package.json`; a missing or malformed file is an error.
    pub fn read(tree: &Tree) -> Result<PackageJson> {
        let text = tree
            .read_to_string(PATH)?
            .context("package.json is missing: run `fastgen new` to create a workspace")?;
        let value: Value = serde_json::from_str(&text).map_err(|err| {
            anyhow::anyhow!("package.json is not valid JSON ({err}): fix it and run again")
        })?;
        match value {
            Value::Object(value) => Ok(PackageJson { value }),
            _ => bail!("package.json must hold a JSON object: fix it and run again"),
        }
    }

    /// Adds `name` to `devDependencies` unless it is already a dependency of any kind.
    pub fn ensure_dev_dependency(&mut self, name: &str, version: &str) {
        let present = ["dependencies", "devDependencies"].iter().any(|section| {
            self.value
                .get(*section)
                .and_then(Value::as_object)
                .is_some_and(|deps| deps.contains_key(name))
        });
        if present {
            return;
        }
        let deps = self
            .value
            .entry("devDependencies")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(deps) = deps {
            deps.insert(name.to_string(), Value::String(version.to_string()));
            deps.sort_keys();
        }
    }

    /// Stages the file; unchanged content stages nothing.
    pub fn write(&self, tree: &mut Tree) -> Result<()> {
        let mut text = serde_json::to_string_pretty(&self.value)?;
        text.push('\n');
        tree.write(PATH, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_a_missing_dev_dependency_and_keeps_key_order() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(PATH),
            "{\n  \"name\": \"x\",\n  \"private\": true,\n  \"devDependencies\": {\n    \"typescript\": \"5\"\n  }\n}\n",
        )
        .unwrap();
        let mut tree = Tree::new(dir.path());
        let mut pkg = PackageJson::read(&tree).unwrap();
        pkg.ensure_dev_dependency("typescript", "6");
        pkg.write(&mut tree).unwrap();
        assert!(
            tree.changes().is_empty(),
            "an existing dependency is kept as it is"
        );
        pkg.ensure_dev_dependency("nx", "1.0.0");
        pkg.write(&mut tree).unwrap();
        let text = tree.read_to_string(PATH).unwrap().unwrap();
        assert_eq!(
            text,
            "{\n  \"name\": \"x\",\n  \"private\": true,\n  \"devDependencies\": {\n    \"nx\": \"1.0.0\",\n    \"typescript\": \"5\"\n  }\n}\n"
        );
    }

    #[test]
    fn malformed_json_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(PATH), "{ \"name\": ").unwrap();
        let err = PackageJson::read(&Tree::new(dir.path())).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("package.json is not valid JSON"),
            "{err}"
        );
    }
}
