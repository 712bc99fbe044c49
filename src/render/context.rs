//! The typed contexts templates are rendered with. Field names are the names
//! templates use; option values are [`Choice`]s, so a template can only test
//! the flags a value has.

use serde::Serialize;

use super::Choice;
use crate::model::workspace::NX_VERSION;
use crate::model::{ApiSpec, Choose, Facts, WorkspaceSpec};

/// The context of every template of one API: its Python project, its
/// infrastructure and the blocks it adds to the infrastructure app.
#[derive(Debug, Clone, Serialize)]
pub struct ApiContext {
    /// The workspace's npm scope (`demo`).
    pub scope: String,
    /// `MyApi`.
    pub class_name: String,
    /// `my-api`.
    pub kebab: String,
    /// `my_api`: the Python module and Nx project.
    pub module: String,
    /// The default base name of the API's Terraform resources: the kebab name,
    /// cut to the 32 characters that IAM name prefixes leave room for.
    pub resource_name: String,
    /// `my-api`: the Python distribution.
    pub package: String,
    /// `packages/my_api`.
    pub project_root: String,
    /// The path from the project back to the workspace root (`../..`).
    pub offset: String,
    /// The dev server's port.
    pub port: u16,
    /// The compute type.
    pub compute_type: Choice,
    /// The auth.
    pub auth: Choice,
    /// The infrastructure-as-code provider.
    pub iac: Choice,
    /// How to invoke Nx (`pnpm nx`).
    pub nx: &'static str,
}

impl ApiContext {
    /// The context of `spec` in a workspace with `facts`, served on `port`.
    pub fn new(spec: &ApiSpec, facts: &Facts, port: u16) -> ApiContext {
        ApiContext {
            scope: facts.scope.clone(),
            class_name: spec.names.class_name.clone(),
            kebab: spec.names.kebab.clone(),
            module: spec.module.clone(),
            resource_name: resource_name(&spec.names.kebab),
            package: spec.package(),
            project_root: spec.root.clone(),
            offset: spec.offset(),
            port,
            compute_type: Choice::of(spec.compute_type),
            auth: Choice::of(spec.auth),
            iac: Choice::of(spec.iac),
            nx: facts.package_manager.nx(),
        }
    }
}

/// `kebab` cut to at most 32 characters, not ending in a dash.
fn resource_name(kebab: &str) -> String {
    let cut: String = kebab.chars().take(32).collect();
    cut.trim_end_matches('-').to_string()
}

/// The context of the workspace's own files (`fastgen new`).
#[derive(Debug, Clone, Serialize)]
pub struct WorkspaceContext {
    /// The workspace's name: the npm scope and the uv root project's name.
    pub name: String,
    /// The Node package manager.
    pub package_manager: Choice,
    /// How to invoke Nx.
    pub nx: &'static str,
    /// The Nx version range the workspace pins.
    pub nx_version: &'static str,
    /// The command that installs the Node packages.
    pub install: String,
    /// The package manager release `package.json` pins (`pnpm@12.21.0`), if any.
    pub pinned: Option<&'static str>,
    /// The `py#fast-api` IaC default.
    pub iac: Choice,
}

impl WorkspaceContext {
    /// The context of a new workspace.
    pub fn new(spec: &WorkspaceSpec) -> WorkspaceContext {
        let pm = spec.package_manager;
        WorkspaceContext {
            name: spec.name.clone(),
            package_manager: Choice::of(pm),
            nx: pm.nx(),
            nx_version: NX_VERSION,
            install: format!("{} install", pm.key()),
            pinned: pm.pinned(),
            iac: Choice::of(spec.iac),
        }
    }
}

/// The context of the CDK projects when no API is being added (`ts#infra`).
#[derive(Debug, Clone, Serialize)]
pub struct ScopeContext {
    /// The workspace's npm scope.
    pub scope: String,
}

#[cfg(test)]
mod tests {
    #[test]
    fn resource_names_fit_iam_name_prefixes() {
        assert_eq!(super::resource_name("my-api"), "my-api");
        assert_eq!(
            super::resource_name("customer-accounts-reporting-service-api"),
            "customer-accounts-reporting-serv"
        );
        assert_eq!(
            super::resource_name("abcdefghij-abcdefghij-abcdefghij-x"),
            "abcdefghij-abcdefghij-abcdefghij"
        );
        assert_eq!(
            super::resource_name("abcdefghij-abcdefghij-abcdefghi-x"),
            "abcdefghij-abcdefghij-abcdefghi"
        );
    }
}
