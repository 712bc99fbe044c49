//! What a workspace is made of: where the shared projects live, the versions it
//! pins, and the facts fastgen reads back from it on later runs.

use serde::{Deserialize, Serialize};

use super::options::{
    Architecture, Auth, ComputeType, IacProvider, IntegrationPattern, PackageManager,
};

/// The file whose presence marks a workspace root.
pub const MARKER: &str = "nx.json";

/// The Nx release new workspaces pin.
pub const NX_VERSION: &str = "~24.0.6";

/// The infrastructure project: the CDK app or the Terraform root module; its Nx project is `infra`.
pub const INFRA_ROOT: &str = "packages/infra";

/// The shared CDK constructs project.
pub const CONSTRUCTS_ROOT: &str = "packages/common/constructs";

/// The shared Terraform modules project.
pub const TERRAFORM_ROOT: &str = "packages/common/terraform";

/// The name fastgen records as `[tool.fastgen].generator` of an API project.
pub const GENERATOR: &str = "py#fast-api";

/// The dev server port of the first API; each further API takes the next one.
pub const FIRST_PORT: u16 = 8000;

/// A workspace to create: its name and the defaults it records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceSpec {
    /// The workspace's name: the npm scope and the uv root project's name.
    pub name: String,
    /// The Node package manager.
    pub package_manager: PackageManager,
    /// The default `iacProvider` of `py#fast-api` (CDK or Terraform).
    pub iac: IacProvider,
    /// Whether `@fastgen/nx` is a dev dependency, for `nx g @fastgen/nx:…`.
    pub nx_plugin: bool,
}

impl WorkspaceSpec {
    /// A workspace named after its directory (`My Demo` → `my-demo`).
    pub fn for_directory(
        dir_name: &str,
        package_manager: PackageManager,
        iac: IacProvider,
    ) -> Self {
        let name = heck::ToKebabCase::to_kebab_case(dir_name);
        WorkspaceSpec {
            name: if name.is_empty() {
                "workspace".into()
            } else {
                name
            },
            package_manager,
            iac,
            nx_plugin: false,
        }
    }
}

/// The `[tool.fastgen]` table of an API project's `pyproject.toml`: the answers
/// it was generated with, so a re-run can check it is asked the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct FastgenRecord {
    /// Always [`GENERATOR`].
    pub generator: String,
    /// The compute type.
    pub compute_type: ComputeType,
    /// The auth.
    pub auth: Auth,
    /// The infrastructure-as-code provider.
    pub iac: IacProvider,
    /// The Lambda function's instruction set (x86_64 in records older than the option).
    #[serde(default)]
    pub architecture: Architecture,
    /// How routes map to functions; absent in records older than the option, which
    /// used the IaC provider's default.
    #[serde(default)]
    pub integration_pattern: Option<IntegrationPattern>,
    /// Whether API Gateway streams the REST API's responses (absent: it does not).
    #[serde(default)]
    pub streaming: bool,
    /// The dev server port.
    pub port: u16,
}

/// Which kind of infrastructure project `packages/infra` is, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InfraApp {
    /// There is no infrastructure project yet.
    Missing,
    /// A CDK app (`cdk.json`).
    Cdk,
    /// A Terraform root module (`src/main.tf`).
    Terraform,
}

/// An API project of the workspace that fastgen generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingApi {
    /// Its directory relative to the workspace root.
    pub root: String,
    /// Its Nx project name, from `project.json`.
    pub name: Option<String>,
    /// What it was generated with; `None` for a member fastgen did not generate.
    pub record: Option<FastgenRecord>,
}

/// What fastgen reads from a workspace before it plans anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// The package manager recorded in `nx.json`, else shown by its lock file, else npm.
    pub package_manager: PackageManager,
    /// The npm scope, from the root `package.json`'s name (`demo` for `@demo/source`).
    pub scope: String,
    /// The `py#fast-api` IaC default recorded in `nx.json`.
    pub default_iac: Option<IacProvider>,
    /// What `packages/infra` holds.
    pub infra: InfraApp,
    /// The members of the uv workspace.
    pub apis: Vec<ExistingApi>,
}

impl Facts {
    /// The facts of a workspace that does not exist yet, as `fastgen new` will write it.
    pub fn new_workspace(scope: &str, package_manager: PackageManager, iac: IacProvider) -> Facts {
        Facts {
            package_manager,
            scope: scope.to_string(),
            default_iac: Some(iac),
            infra: InfraApp::Missing,
            apis: Vec::new(),
        }
    }

    /// The first port after every port the workspace's APIs use.
    pub fn next_port(&self) -> u16 {
        self.apis
            .iter()
            .filter_map(|api| api.record.as_ref())
            .map(|record| record.port.saturating_add(1))
            .fold(FIRST_PORT, u16::max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_workspace_is_named_after_its_directory() {
        let spec = WorkspaceSpec::for_directory("My Demo", PackageManager::Npm, IacProvider::Cdk);
        assert_eq!(spec.name, "my-demo");
        assert_eq!(
            WorkspaceSpec::for_directory("..", PackageManager::Npm, IacProvider::Cdk).name,
            "workspace"
        );
    }
}
