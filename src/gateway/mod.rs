//! `fastgen dev`: a local API Gateway in front of each API's real Lambda handler. It
//! builds the event API Gateway would send ([`event`]), calls the handler in a
//! long-lived Python worker ([`worker`]), and answers as API Gateway would
//! ([`response`]), on the routes of the app's OpenAPI spec ([`routes`], [`server`]).

pub mod authorizer;
pub mod cognito;
pub mod event;
pub mod response;
pub mod routes;
pub mod server;
pub mod sigv4;
pub mod web_adapter;
pub mod worker;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Result, bail};

use self::cognito::UserPool;
use self::server::Guard;
use crate::edit::pyproject;
use crate::facts;
use crate::model::{Auth, ComputeType, Names};
use crate::tree::Tree;

/// The account the local APIs belong to, as API Gateway names it in events and ARNs.
pub const ACCOUNT_ID: &str = "123456789012";

/// The Lambda proxy payload an API sends its functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadVersion {
    /// A REST API's (1.0).
    V1,
    /// An HTTP API's (2.0).
    V2,
}

/// The APIs of the workspace at `root` that `fastgen dev` serves: `project` alone, or
/// every API; each on `port` (one API) or on its dev port plus 1000. APIs with auth
/// cognito take tokens of `user_pool` (a real pool's id or issuer, and the app client)
/// or of the workspace's local pool.
pub fn apis(
    root: &Path,
    project: Option<&str>,
    port: Option<u16>,
    user_pool: Option<(&str, &str)>,
) -> Result<Vec<(server::Api, u16)>> {
    let facts = facts::read(&Tree::new(root))?;
    let python = root.join(if cfg!(windows) {
        ".venv/Scripts/python.exe"
    } else {
        ".venv/bin/python"
    });
    if !python.is_file() {
        bail!(
            "the workspace has no Python environment ({}): run `uv sync --all-packages` first",
            python.display()
        );
    }
    let members: Vec<&str> = facts.apis.iter().map(|api| api.root.as_str()).collect();
    let mut chosen = Vec::new();
    for api in &facts.apis {
        let (Some(name), Some(record)) = (&api.name, &api.record) else {
            continue;
        };
        if project.is_some_and(|wanted| wanted != name) {
            continue;
        }
        let names = Names::parse(name).ok();
        let class_name = names
            .as_ref()
            .map_or_else(|| name.clone(), |n| n.class_name.clone());
        let kebab = names.map_or_else(|| name.replace('_', "-"), |n| n.kebab);
        let function_name = format!("{kebab}-handler");
        let function_url = record.compute_type == ComputeType::FunctionUrl;
        let (version, stage) = match record.compute_type {
            ComputeType::Rest => (PayloadVersion::V1, "prod"),
            _ => (PayloadVersion::V2, "$default"),
        };
        let env = vec![
            (
                "AWS_LAMBDA_FUNCTION_NAME".to_string(),
                function_name.clone(),
            ),
            ("POWERTOOLS_SERVICE_NAME".into(), class_name.clone()),
            ("POWERTOOLS_METRICS_NAMESPACE".into(), class_name.clone()),
            ("POWERTOOLS_LOG_LEVEL".into(), "INFO".into()),
            ("POWERTOOLS_TRACER_CAPTURE_RESPONSE".into(), "false".into()),
            // CORS for every origin, as the generated infrastructure sets it by default.
            ("ALLOWED_ORIGINS".into(), "*".into()),
            // There is no X-Ray daemon to send traces to.
            ("POWERTOOLS_TRACE_DISABLED".into(), "true".into()),
        ];
        let api = server::Api {
            name: class_name,
            module: name.clone(),
            project_dir: root.join(&api.root),
            watched: watched(root, &members, &api.root),
            python: python.clone(),
            version,
            stage: stage.into(),
            function_name,
            env,
            guard: match record.auth {
                Auth::None => Guard::None,
                Auth::Iam => Guard::Iam(iam_keys()),
                Auth::Cognito => Guard::Cognito(Arc::new(match user_pool {
                    Some((pool, client_id)) => UserPool::remote(pool, client_id)?,
                    None => UserPool::open(root)?,
                })),
                Auth::Custom => Guard::Custom(format!("{kebab}-authorizer")),
            },
            web_adapter: function_url || record.streaming,
            function_url,
            // As generated: a Function URL's 30 s; below API Gateway's 29 s behind it.
            timeout: Duration::from_secs(if function_url { 30 } else { 28 }),
        };
        chosen.push((api, record.port.saturating_add(1000)));
    }
    match (project, chosen.len(), port) {
        (Some(project), 0, _) => bail!("no API named {project} in this workspace"),
        (None, 0, _) => {
            bail!("this workspace has no API yet: add one with `fastgen g py#fast-api`")
        }
        (_, 1, Some(port)) => chosen[0].1 = port,
        (_, _, Some(_)) => {
            bail!("--port serves one API: name it (fastgen dev <project> --port <n>)")
        }
        _ => {}
    }
    Ok(chosen)
}

/// The project directories whose Python files hold the code of `member`'s app: its own,
/// and every workspace library it depends on, directly or through another (which
/// `uv sync` installs editable, so a reload imports them afresh). A dependency comes from
/// the workspace as `[tool.uv.sources]` says: the member's own, over the root's.
fn watched(root: &Path, members: &[&str], member: &str) -> Vec<PathBuf> {
    let tree = Tree::new(root);
    let read = |path: &str| pyproject::read(&tree, path).ok().flatten();
    let manifest = |member: &str| read(&format!("{member}/pyproject.toml"));
    let by_name: BTreeMap<String, &str> = members
        .iter()
        .filter_map(|&m| Some((pyproject::project_name(&manifest(m)?)?, m)))
        .collect();
    let root_sources = read("pyproject.toml")
        .map(|doc| pyproject::sources(&doc))
        .unwrap_or_default();
    let mut dirs = vec![root.join(member)];
    let mut seen = BTreeSet::from([member]);
    let mut pending = vec![member];
    while let Some(current) = pending.pop() {
        let Some(doc) = manifest(current) else {
            continue;
        };
        let mut from_workspace: BTreeMap<String, bool> = root_sources.iter().cloned().collect();
        from_workspace.extend(pyproject::sources(&doc));
        for name in pyproject::dependencies(&doc) {
            if from_workspace.get(&name) == Some(&true)
                && let Some(&library) = by_name.get(&name)
                && seen.insert(library)
            {
                dirs.push(root.join(library));
                pending.push(library);
            }
        }
    }
    dirs
}

/// The AWS credentials requests to an auth iam API may be signed with; a warning when
/// there are none, since every request will then be refused.
fn iam_keys() -> sigv4::Keys {
    let keys = sigv4::Keys::load();
    if keys.is_empty() {
        eprintln!(
            "warning: no AWS credentials (AWS_ACCESS_KEY_ID or a profile with static keys): every request to an auth iam API will be refused"
        );
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, path: &str, text: &str) {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn an_api_watches_the_workspace_libraries_it_depends_on() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        // core comes from the workspace by the root's sources, the others by their own.
        write(
            root,
            "pyproject.toml",
            "[tool.uv.sources]\ncore = { workspace = true }\nunused = { workspace = true }\n",
        );
        write(
            root,
            "packages/my_api/pyproject.toml",
            r#"[project]
name = "my-api"
dependencies = ["fastapi", "shared-lib>=0.1"]

[tool.uv.sources]
shared-lib = { workspace = true }
"#,
        );
        write(
            root,
            "packages/shared_lib/pyproject.toml",
            r#"[project]
name = "Shared_Lib"
dependencies = ["core", "pinned"]

[tool.uv.sources]
pinned = { path = "../pinned" }
"#,
        );
        write(
            root,
            "packages/core/pyproject.toml",
            r#"[project]
name = "core"
dependencies = ["shared-lib"]

[tool.uv.sources]
shared-lib = { workspace = true }
"#,
        );
        // Members the API does not depend on, or not from the workspace.
        for name in ["unused", "pinned"] {
            write(
                root,
                &format!("packages/{name}/pyproject.toml"),
                &format!("[project]\nname = \"{name}\"\n"),
            );
        }
        let members = [
            "packages/my_api",
            "packages/shared_lib",
            "packages/core",
            "packages/unused",
            "packages/pinned",
        ];
        assert_eq!(
            watched(root, &members, "packages/my_api"),
            [
                root.join("packages/my_api"),
                root.join("packages/shared_lib"),
                root.join("packages/core"),
            ]
        );
    }
}
