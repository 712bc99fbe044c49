//! Edits of JSON files (`package.json`, `project.json`, `tsconfig.base.json`)
//! that keep their key order.

use anyhow::{Context, Result, bail};
use serde_json::{Map, Value};

use crate::tree::Tree;

/// A JSON file holding an object, parsed for editing.
#[derive(Debug)]
pub struct JsonFile {
    path: String,
    value: Map<String, Value>,
}

impl JsonFile {
    /// Reads and parses `path`, or `None` when it does not exist; malformed JSON is an error.
    pub fn read(tree: &Tree, path: &str) -> Result<Option<JsonFile>> {
        let Some(text) = tree.read_to_string(path)? else {
            return Ok(None);
        };
        let value: Value = serde_json::from_str(&text).map_err(|err| {
            anyhow::anyhow!("{path} is not valid JSON ({err}): fix it and run again")
        })?;
        match value {
            Value::Object(value) => Ok(Some(JsonFile {
                path: path.to_string(),
                value,
            })),
            _ => bail!("{path} must hold a JSON object: fix it and run again"),
        }
    }

    /// Reads `path`, which must exist; `missing` says how to get it.
    pub fn require(tree: &Tree, path: &str, missing: &str) -> Result<JsonFile> {
        Self::read(tree, path)?.with_context(|| format!("{path} is missing: {missing}"))
    }

    /// The string at the top-level `key`, if there is one.
    pub fn string(&self, key: &str) -> Option<&str> {
        self.value.get(key).and_then(Value::as_str)
    }

    /// The object at `keys`, created (empty) where it is missing.
    pub fn object(&mut self, keys: &[&str]) -> Result<&mut Map<String, Value>> {
        let mut object = &mut self.value;
        for key in keys {
            object = object
                .entry(key.to_string())
                .or_insert_with(|| Value::Object(Map::new()))
                .as_object_mut()
                .with_context(|| format!("{}: `{key}` must be an object", self.path))?;
        }
        Ok(object)
    }

    /// Appends `item` to the array at `key` unless it is there already.
    pub fn push_unique(&mut self, key: &str, item: Value) -> Result<()> {
        let array = self
            .value
            .entry(key.to_string())
            .or_insert_with(|| Value::Array(Vec::new()))
            .as_array_mut()
            .with_context(|| format!("{}: `{key}` must be an array", self.path))?;
        if !array.contains(&item) {
            array.push(item);
        }
        Ok(())
    }

    /// Adds `name` to `devDependencies` unless it is already a dependency of any kind.
    pub fn ensure_dev_dependency(&mut self, name: &str, version: &str) -> Result<()> {
        let present = ["dependencies", "devDependencies"].iter().any(|section| {
            self.value
                .get(*section)
                .and_then(Value::as_object)
                .is_some_and(|deps| deps.contains_key(name))
        });
        if !present {
            let deps = self.object(&["devDependencies"])?;
            deps.insert(name.to_string(), Value::String(version.to_string()));
            deps.sort_keys();
        }
        Ok(())
    }

    /// Stages the file, formatted as prettier would; unchanged content stages nothing.
    ///
    /// Prettier prints `package.json` like `JSON.stringify` (every array expanded)
    /// and other JSON files with short arrays of plain values on one line.
    pub fn write(&self, tree: &mut Tree) -> Result<()> {
        let value = Value::Object(self.value.clone());
        let mut text = if self.path.ends_with("package.json") {
            serde_json::to_string_pretty(&value)?
        } else {
            let mut text = String::new();
            format_value(&value, 0, &mut text);
            text
        };
        text.push('\n');
        tree.write(&self.path, text)
    }
}

/// The width within which an array of plain values stays on one line.
const LINE_WIDTH: usize = 80;

/// Formats `value` the way prettier formats JSON: two-space indents, objects
/// one key a line, and arrays of plain values on one line when they fit.
fn format_value(value: &Value, indent: usize, out: &mut String) {
    let pad = "  ".repeat(indent + 1);
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push_str("{\n");
            for (i, (key, item)) in map.iter().enumerate() {
                out.push_str(&pad);
                out.push_str(&Value::String(key.clone()).to_string());
                out.push_str(": ");
                format_value(item, indent + 1, out);
                out.push_str(if i + 1 < map.len() { ",\n" } else { "\n" });
            }
            out.push_str(&"  ".repeat(indent));
            out.push('}');
        }
        Value::Array(items) if !items.is_empty() => {
            let plain = items.iter().all(|v| !v.is_object() && !v.is_array());
            let inline = format!(
                "[{}]",
                items
                    .iter()
                    .map(Value::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let column = out.len() - out.rfind('\n').map_or(0, |i| i + 1);
            if plain && column + inline.len() < LINE_WIDTH {
                out.push_str(&inline);
                return;
            }
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad);
                format_value(item, indent + 1, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&"  ".repeat(indent));
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATH: &str = "package.json";

    #[test]
    fn adds_a_missing_dev_dependency_and_keeps_key_order() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(PATH),
            "{\n  \"name\": \"x\",\n  \"private\": true,\n  \"devDependencies\": {\n    \"typescript\": \"5\"\n  }\n}\n",
        )
        .unwrap();
        let mut tree = Tree::new(dir.path());
        let mut pkg = JsonFile::require(&tree, PATH, "run fastgen new").unwrap();
        pkg.ensure_dev_dependency("typescript", "6").unwrap();
        pkg.write(&mut tree).unwrap();
        assert!(
            tree.changes().is_empty(),
            "an existing dependency is kept as it is"
        );
        pkg.ensure_dev_dependency("nx", "1.0.0").unwrap();
        pkg.write(&mut tree).unwrap();
        let text = tree.read_to_string(PATH).unwrap().unwrap();
        assert_eq!(
            text,
            "{\n  \"name\": \"x\",\n  \"private\": true,\n  \"devDependencies\": {\n    \"nx\": \"1.0.0\",\n    \"typescript\": \"5\"\n  }\n}\n"
        );
    }

    #[test]
    fn nested_objects_and_arrays_are_created_once() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("p.json"), "{\"name\": \"infra\"}").unwrap();
        let tree = Tree::new(dir.path());
        let mut file = JsonFile::require(&tree, "p.json", "").unwrap();
        file.object(&["compilerOptions", "paths"])
            .unwrap()
            .insert("a".into(), Value::Null);
        file.push_unique("implicitDependencies", "my_api".into())
            .unwrap();
        file.push_unique("implicitDependencies", "my_api".into())
            .unwrap();
        assert_eq!(
            Value::Object(file.value.clone()),
            serde_json::json!({"name": "infra", "compilerOptions": {"paths": {"a": null}}, "implicitDependencies": ["my_api"]})
        );
        assert!(file.object(&["name"]).is_err(), "a string is not an object");
    }

    #[test]
    fn formats_like_prettier() {
        let value = serde_json::json!({
            "lib": ["ES2022"],
            "empty": {},
            "none": [],
            "targets": {"build": {"dependsOn": [{"target": "x"}], "n": 1}},
            "long": ["aaaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "cccccccccccccccccccccc"]
        });
        let mut out = String::new();
        format_value(&value, 0, &mut out);
        assert_eq!(
            out,
            r#"{
  "lib": ["ES2022"],
  "empty": {},
  "none": [],
  "targets": {
    "build": {
      "dependsOn": [
        {
          "target": "x"
        }
      ],
      "n": 1
    }
  },
  "long": [
    "aaaaaaaaaaaaaaaaaaaaaaaaa",
    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
    "cccccccccccccccccccccc"
  ]
}"#
        );
    }

    #[test]
    fn malformed_json_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(PATH), "{ \"name\": ").unwrap();
        let err = JsonFile::read(&Tree::new(dir.path()), PATH).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("package.json is not valid JSON"),
            "{err}"
        );
    }
}
