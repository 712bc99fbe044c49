//! CDK infrastructure of an API (`iacProvider=CDK`): the shared constructs
//! project, the core construct of the API's compute type, the API's own
//! construct, and the Nx target that turns its OpenAPI spec into metadata.

use anyhow::{Result, bail};
use minijinja::context;
use serde_json::json;

use super::fast_api::{Auth, ComputeType, Key, Project};
use super::ts_infra;
use crate::render;
use crate::tree::Tree;
use crate::workspace::{self, json::JsonFile};

/// Where the shared constructs project lives.
pub const CONSTRUCTS_ROOT: &str = "packages/common/constructs";

/// The Node packages a CDK workspace needs, at the versions fastgen is tested with.
const DEV_DEPENDENCIES: &[(&str, &str)] = &[
    ("@types/node", "^22.20.5"),
    ("aws-cdk", "^2.1148.1"),
    ("aws-cdk-lib", "^2.276.0"),
    ("constructs", "^10.8.1"),
    ("tsx", "^4.23.15"),
    ("typescript", "^7.0.2"),
];

/// Stages the constructs project, once, with its entries in the workspace's shared files.
pub fn ensure_constructs_project(tree: &mut Tree, scope: &str) -> Result<()> {
    render::render_dir(tree, "cdk-constructs", CONSTRUCTS_ROOT, &context! { scope })?;

    let mut package_json = JsonFile::require(
        tree,
        "package.json",
        "run `fastgen new` to create a workspace",
    )?;
    for (name, version) in DEV_DEPENDENCIES {
        package_json.ensure_dev_dependency(name, version)?;
    }
    package_json.write(tree)?;

    let mut tsconfig = JsonFile::require(
        tree,
        "tsconfig.base.json",
        "run `fastgen new` to create a workspace",
    )?;
    tsconfig
        .object(&["compilerOptions", "paths"])?
        .entry(format!(":{scope}/common-constructs"))
        .or_insert_with(|| json!([format!("./{CONSTRUCTS_ROOT}/src/index.ts")]));
    tsconfig.write(tree)?;

    workspace::ensure_lines(
        tree,
        ".gitignore",
        &[&format!("{CONSTRUCTS_ROOT}/src/generated/")],
    )
}

/// Stages the CDK construct of one API, its metadata target, and its place in the CDK app.
///
/// Returns a note for the user when the CDK app's stack could not be edited.
pub fn add_api(
    tree: &mut Tree,
    project: &Project,
    compute_type: ComputeType,
    auth: Auth,
) -> Result<Option<String>> {
    if tree.exists(&format!("{}/src/main.tf", ts_infra::INFRA_ROOT))? {
        bail!(
            "{} is a Terraform root module, so this workspace deploys with Terraform: run again with --iac terraform, or --iac none",
            ts_infra::INFRA_ROOT
        );
    }
    let scope = workspace::scope(tree)?;
    ensure_constructs_project(tree, &scope)?;

    let ctx = project.infra_context(&scope, compute_type, auth);
    if compute_type == ComputeType::FunctionUrl {
        // A Function URL construct stands alone: no core API construct, no metadata.
        render::render_dir(tree, "cdk-function-url", CONSTRUCTS_ROOT, &ctx)?;
    } else {
        let core = compute_type.key();
        render::render_dir(tree, &format!("cdk-{core}"), CONSTRUCTS_ROOT, &ctx)?;
        workspace::ensure_lines(
            tree,
            &format!("{CONSTRUCTS_ROOT}/src/core/index.ts"),
            &[&format!("export * from './api/{core}-api.js';")],
        )?;
        render::render_dir(tree, "cdk-api", CONSTRUCTS_ROOT, &ctx)?;
        add_metadata_target(tree, project)?;
    }
    workspace::ensure_lines(
        tree,
        &format!("{CONSTRUCTS_ROOT}/src/app/apis/index.ts"),
        &[&format!("export * from './{}.js';", project.names.kebab)],
    )?;

    ts_infra::ensure(tree, &scope)?;
    ts_infra::add_api(tree, &scope, project, compute_type, auth)
}

/// Adds the `generate:<kebab>-metadata` target to the constructs project.
fn add_metadata_target(tree: &mut Tree, project: &Project) -> Result<()> {
    let mut constructs = JsonFile::require(
        tree,
        &format!("{CONSTRUCTS_ROOT}/project.json"),
        "restore it, or delete the constructs folder to have it generated again",
    )?;
    constructs
        .object(&["targets"])?
        .entry(format!("generate:{}-metadata", project.names.kebab))
        .or_insert_with(|| metadata_target(project));
    constructs.write(tree)
}

/// The Nx target that writes `src/generated/<kebab>/metadata.gen.ts` from the API's spec.
fn metadata_target(project: &Project) -> serde_json::Value {
    let kebab = &project.names.kebab;
    let spec = format!("dist/{}/openapi/openapi.json", project.root);
    json!({
        "executor": "nx:run-commands",
        "cache": true,
        "dependsOn": [{ "projects": [project.module], "target": "openapi" }],
        "inputs": [
            format!("{{workspaceRoot}}/{spec}"),
            "{projectRoot}/scripts/generate-metadata.mjs"
        ],
        "outputs": [format!("{{projectRoot}}/src/generated/{kebab}")],
        "options": {
            "command": format!(
                "node {CONSTRUCTS_ROOT}/scripts/generate-metadata.mjs {spec} {CONSTRUCTS_ROOT}/src/generated/{kebab}/metadata.gen.ts"
            )
        }
    })
}
