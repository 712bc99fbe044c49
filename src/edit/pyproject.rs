//! Edits of `pyproject.toml` files that keep their formatting: the uv workspace
//! root's member list, and the `[tool.fastgen]` table fastgen leaves in each
//! project it generates.

use anyhow::{Context, Result};
use toml_edit::{Array, DocumentMut, Item, Table, Value};

use crate::model::workspace::GENERATOR;
use crate::model::{ApiSpec, Choose, FastgenRecord};
use crate::tree::Tree;

/// Reads and parses a `pyproject.toml`, or `None` when it does not exist.
pub fn read(tree: &Tree, path: &str) -> Result<Option<DocumentMut>> {
    let Some(text) = tree.read_to_string(path)? else {
        return Ok(None);
    };
    let doc = text.parse::<DocumentMut>().map_err(|err| {
        let line = err
            .span()
            .map_or(1, |span| text[..span.start].matches('\n').count() + 1);
        let message = err
            .message()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        anyhow::anyhow!("{path} is not valid TOML (line {line}: {message}): fix it and run again")
    })?;
    Ok(Some(doc))
}

/// The members listed in `[tool.uv.workspace]` of the root document.
pub fn members(root: &DocumentMut) -> Vec<String> {
    root.get("tool")
        .and_then(|tool| tool.get("uv"))
        .and_then(|uv| uv.get("workspace"))
        .and_then(|ws| ws.get("members"))
        .and_then(Item::as_array)
        .map(|members| {
            members
                .iter()
                .filter_map(|m| m.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Adds `member` to the root's `[tool.uv.workspace].members`, creating the table if needed.
pub fn add_member(root: &mut DocumentMut, member: &str) -> Result<()> {
    let workspace = table_path(root.as_table_mut(), &["tool", "uv", "workspace"])?;
    let members = workspace
        .entry("members")
        .or_insert_with(|| Item::Value(Value::Array(Array::new())))
        .as_array_mut()
        .context("pyproject.toml: [tool.uv.workspace].members must be an array")?;
    if members.iter().any(|m| m.as_str() == Some(member)) {
        return Ok(());
    }
    members.push(member);
    // One member per line reads best once there are several.
    for value in members.iter_mut() {
        value.decor_mut().set_prefix("\n    ");
    }
    members.set_trailing("\n");
    members.set_trailing_comma(true);
    Ok(())
}

/// The `[tool.fastgen]` record of an API project, or `None` when fastgen did not
/// generate it; a record fastgen wrote that no longer parses is an error.
pub fn record(doc: &DocumentMut) -> Result<Option<FastgenRecord>> {
    let Some(table) = doc
        .get("tool")
        .and_then(|tool| tool.get("fastgen"))
        .and_then(Item::as_table)
    else {
        return Ok(None);
    };
    if table.get("generator").and_then(Item::as_str) != Some(GENERATOR) {
        return Ok(None);
    }
    let record = toml_edit::de::from_str(&table.to_string()).map_err(|err| {
        let message = err
            .message()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        anyhow::anyhow!("[tool.fastgen] is not as fastgen wrote it ({message}): restore it")
    })?;
    Ok(Some(record))
}

/// The project's `[project].name`, normalized as Python package names compare
/// (`Shared_Lib` and `shared-lib` are one name).
pub fn project_name(doc: &DocumentMut) -> Option<String> {
    let name = doc.get("project")?.get("name")?.as_str()?;
    Some(normalized(name))
}

/// The packages the project depends on (`[project].dependencies` and its optional
/// dependencies), by normalized name.
pub fn dependencies(doc: &DocumentMut) -> Vec<String> {
    let Some(project) = doc.get("project") else {
        return Vec::new();
    };
    let optional = project
        .get("optional-dependencies")
        .and_then(Item::as_table_like)
        .into_iter()
        .flat_map(|extras| extras.iter().map(|(_, list)| list));
    std::iter::once(project.get("dependencies"))
        .flatten()
        .chain(optional)
        .filter_map(Item::as_array)
        .flat_map(Array::iter)
        .filter_map(Value::as_str)
        .map(|requirement| {
            let requirement = requirement.trim_start();
            let end = requirement
                .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
                .unwrap_or(requirement.len());
            normalized(&requirement[..end])
        })
        .collect()
}

/// The entries of the project's `[tool.uv.sources]`, by normalized name, each saying
/// whether the package comes from the workspace (`workspace = true`, in a list of
/// sources in any of them).
pub fn sources(doc: &DocumentMut) -> Vec<(String, bool)> {
    let Some(sources) = doc
        .get("tool")
        .and_then(|tool| tool.get("uv"))
        .and_then(|uv| uv.get("sources"))
        .and_then(Item::as_table_like)
    else {
        return Vec::new();
    };
    let is_workspace = |entry: Option<&Item>| entry.and_then(Item::as_bool) == Some(true);
    let workspace = |source: &Item| {
        if let Some(list) = source.as_array() {
            list.iter().any(|entry| {
                entry
                    .as_inline_table()
                    .and_then(|entry| entry.get("workspace"))
                    .and_then(Value::as_bool)
                    == Some(true)
            })
        } else if let Some(tables) = source.as_array_of_tables() {
            tables
                .iter()
                .any(|entry| is_workspace(entry.get("workspace")))
        } else {
            is_workspace(source.get("workspace"))
        }
    };
    sources
        .iter()
        .map(|(name, source)| (normalized(name), workspace(source)))
        .collect()
}

/// A Python package name as PEP 503 compares them: lower case, each run of `-`, `_`
/// and `.` one `-`.
fn normalized(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// Records the infrastructure an API gets in its `[tool.fastgen]` table: the provider
/// and, behind API Gateway, the integration pattern; the rest is kept.
pub fn set_record_infrastructure(doc: &mut DocumentMut, spec: &ApiSpec) {
    let record = &mut doc["tool"]["fastgen"];
    record["iac"] = toml_edit::value(spec.iac.key());
    if spec.compute_type.is_api_gateway() {
        record["integration-pattern"] = toml_edit::value(spec.integration_pattern.key());
    }
}

/// Walks down `keys`, creating implicit tables as needed, and returns the last table.
fn table_path<'a>(mut table: &'a mut Table, keys: &[&str]) -> Result<&'a mut Table> {
    for key in keys {
        let item = table.entry(key).or_insert_with(|| {
            let mut t = Table::new();
            t.set_implicit(true);
            Item::Table(t)
        });
        table = item
            .as_table_mut()
            .with_context(|| format!("pyproject.toml: `{key}` must be a table"))?;
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_members_once_and_keeps_comments() {
        let mut doc: DocumentMut =
            "# root\n[project]\nname = \"demo\"  # keep\n\n[tool.uv.workspace]\nmembers = []\n"
                .parse()
                .unwrap();
        add_member(&mut doc, "packages/a").unwrap();
        add_member(&mut doc, "packages/b").unwrap();
        add_member(&mut doc, "packages/a").unwrap();
        assert_eq!(members(&doc), ["packages/a", "packages/b"]);
        assert_eq!(
            doc.to_string(),
            "# root\n[project]\nname = \"demo\"  # keep\n\n[tool.uv.workspace]\nmembers = [\n    \"packages/a\",\n    \"packages/b\",\n]\n"
        );
    }

    #[test]
    fn creates_the_workspace_table_when_missing() {
        let mut doc: DocumentMut = "[project]\nname = \"demo\"\n".parse().unwrap();
        add_member(&mut doc, "packages/a").unwrap();
        assert_eq!(members(&doc), ["packages/a"]);
        assert!(doc.to_string().contains("[tool.uv.workspace]"));
    }

    #[test]
    fn reads_the_fastgen_record() {
        let doc: DocumentMut = "[tool.fastgen]\ngenerator = \"py#fast-api\"\ncompute-type = \"function-url\"\nauth = \"iam\"\niac = \"cdk\"\nport = 8001\n"
            .parse()
            .unwrap();
        let record = record(&doc).unwrap().unwrap();
        assert_eq!(record.compute_type, crate::model::ComputeType::FunctionUrl);
        assert_eq!(record.port, 8001);
        let foreign: DocumentMut = "[tool.other]\nx = 1\n".parse().unwrap();
        assert_eq!(super::record(&foreign).unwrap(), None);
        let broken: DocumentMut = "[tool.fastgen]\ngenerator = \"py#fast-api\"\nport = \"x\"\n"
            .parse()
            .unwrap();
        assert!(
            super::record(&broken)
                .unwrap_err()
                .to_string()
                .contains("[tool.fastgen] is not as fastgen wrote it")
        );
    }

    #[test]
    fn reads_the_dependencies_sources_and_name() {
        let doc: DocumentMut = r#"[project]
name = "My_Api"
dependencies = ["fastapi>=0.115", " Shared_Lib", "a.b[extra] ; python_version >= '3.12'"]

[project.optional-dependencies]
cli = ["typer==0.12"]

[tool.uv.sources]
Shared_Lib = { workspace = true }
other = { path = "../other" }
"a.b" = [{ workspace = true, marker = "sys_platform == 'linux'" }, { path = "../ab" }]

[[tool.uv.sources.c]]
path = "../c"
marker = "sys_platform == 'win32'"

[[tool.uv.sources.c]]
workspace = true
"#
        .parse()
        .unwrap();
        assert_eq!(project_name(&doc).as_deref(), Some("my-api"));
        assert_eq!(
            dependencies(&doc),
            ["fastapi", "shared-lib", "a-b", "typer"]
        );
        assert_eq!(
            sources(&doc),
            [
                ("shared-lib".to_string(), true),
                ("other".to_string(), false),
                ("a-b".to_string(), true),
                ("c".to_string(), true)
            ]
        );
        let bare: DocumentMut = "[project]\nname = \"x\"\n".parse().unwrap();
        assert!(sources(&bare).is_empty() && dependencies(&bare).is_empty());
    }
}
