//! The typed contexts templates are rendered with. Field names are the names
//! templates use; option values are [`Choice`]s, so a template can only test
//! the flags a value has.

use heck::ToLowerCamelCase;
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
    /// `myApi`: the variable that holds the API's construct in the CDK stack.
    pub stack_variable: String,
    /// `my_api`: the Python module and Nx project.
    pub module: String,
    /// The default base name of the API's Terraform resources: the kebab name,
    /// cut to the 32 characters that IAM name prefixes leave room for.
    pub resource_name: String,
    /// The API's part of the base name the root module gives it, followed there by
    /// `-<environment>`: at most 20 characters (see [`api_name_part`]).
    pub api_name_part: String,
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
    /// Whether the app runs under uvicorn behind the Lambda Web Adapter (`run.sh`), which
    /// streams its responses, rather than behind Mangum's Lambda handler.
    pub web_adapter: bool,
    /// Whether API Gateway streams the REST API's responses (`--streaming`).
    pub streaming: bool,
    /// The auth.
    pub auth: Choice,
    /// The infrastructure-as-code provider.
    pub iac: Choice,
    /// How routes map to functions (`isolated`, `shared`).
    pub integration_pattern: Choice,
    /// The Lambda function's instruction set (`x86_64`, `arm64`).
    pub architecture: Choice,
    /// The platform of the bundle's binary wheels (`x86_64-manylinux2014`).
    pub python_platform: &'static str,
    /// The Lambda function's memory in MB.
    pub memory_size: u32,
    /// Whether the function runs with Lambda SnapStart (behind its `live` alias).
    pub snap_start: bool,
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
            stack_variable: stack_variable(&spec.names.class_name),
            module: spec.module.clone(),
            resource_name: resource_name(&spec.names.kebab),
            api_name_part: api_name_part(&spec.names.kebab),
            package: spec.package(),
            project_root: spec.root.clone(),
            offset: spec.offset(),
            port,
            compute_type: Choice::of(spec.compute_type),
            web_adapter: spec.web_adapter(),
            streaming: spec.streaming,
            auth: Choice::of(spec.auth),
            iac: Choice::of(spec.iac),
            integration_pattern: Choice::of(spec.integration_pattern),
            architecture: Choice::of(spec.architecture),
            python_platform: spec.architecture.python_platform(),
            memory_size: spec.memory_size,
            snap_start: spec.snap_start,
            nx: facts.package_manager.nx(),
        }
    }
}

/// Words a variable of the stack's constructor cannot be: JavaScript's reserved words
/// (ES modules are strict code) and the constructor's parameters.
const TS_RESERVED: &[&str] = &[
    "arguments",
    "await",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "enum",
    "eval",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "id",
    "if",
    "implements",
    "import",
    "in",
    "instanceof",
    "interface",
    "let",
    "new",
    "null",
    "package",
    "private",
    "props",
    "protected",
    "public",
    "return",
    "scope",
    "static",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "with",
    "yield",
];

/// `class_name` with a lower-case first letter (`MyApi` is `myApi`), and `Api` after a
/// reserved word (`Delete` is `deleteApi`).
fn stack_variable(class_name: &str) -> String {
    let camel = class_name.to_lower_camel_case();
    if TS_RESERVED.contains(&camel.as_str()) {
        format!("{camel}Api")
    } else {
        camel
    }
}

/// `kebab` cut to at most 32 characters, not ending in a dash.
fn resource_name(kebab: &str) -> String {
    let cut: String = kebab.chars().take(32).collect();
    cut.trim_end_matches('-').to_string()
}

/// `kebab` when it has at most 20 characters, otherwise its first 15 (without a trailing
/// dash) and 4 hex digits of its FNV-1a hash: names stay distinct, and with a dash and
/// an environment of up to 16 characters they fit the 37 an IAM name prefix leaves.
fn api_name_part(kebab: &str) -> String {
    if kebab.chars().count() <= 20 {
        return kebab.to_string();
    }
    let hash = kebab.bytes().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    });
    let head: String = kebab.chars().take(15).collect();
    format!("{}-{:04x}", head.trim_end_matches('-'), hash >> 16)
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
    /// The `@fastgen/nx` version the workspace depends on, if it does.
    pub nx_plugin: Option<&'static str>,
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
            nx_plugin: spec.nx_plugin.then_some(env!("CARGO_PKG_VERSION")),
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
    fn stack_variables_are_valid_identifiers() {
        assert_eq!(super::stack_variable("MyApi"), "myApi");
        assert_eq!(super::stack_variable("Delete"), "deleteApi");
        assert_eq!(super::stack_variable("Props"), "propsApi");
        assert_eq!(super::stack_variable("Orders2"), "orders2");
    }

    #[test]
    fn api_name_parts_are_short_and_distinct() {
        assert_eq!(super::api_name_part("my-api"), "my-api");
        assert_eq!(
            super::api_name_part("abcdefghij-abcdefghi"),
            "abcdefghij-abcdefghi"
        );
        let one = super::api_name_part("customer-accounts-reporting-api");
        let two = super::api_name_part("customer-accounts-billing-api");
        assert!(one.starts_with("customer-accoun-"), "{one}");
        assert_ne!(one, two);
        for part in [&one, &two] {
            assert_eq!(part.len(), 20, "{part}");
        }
        assert_eq!(
            super::api_name_part("abcdefghijklmn-opqrstuvwxyz"),
            format!(
                "abcdefghijklmn-{}",
                &super::api_name_part("abcdefghijklmn-opqrstuvwxyz")[15..]
            )
        );
    }

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
