//! The CDK side of the workspace's shared files: the Node packages the
//! constructs need, their TypeScript path alias, and each API's metadata target.
//! The CDK templates themselves are rows of [`crate::plan`].

use anyhow::Result;
use serde_json::json;

use crate::edit::json::JsonFile;
use crate::model::ApiSpec;
use crate::model::workspace::CONSTRUCTS_ROOT;
use crate::tree::Tree;

/// The Node packages a CDK workspace needs, at the versions fastgen is tested with.
const DEV_DEPENDENCIES: &[(&str, &str)] = &[
    ("@types/node", "^22.20.5"),
    ("aws-cdk", "^2.1148.1"),
    ("aws-cdk-lib", "^2.276.0"),
    ("constructs", "^10.8.1"),
    ("tsx", "^4.23.15"),
    ("typescript", "^7.0.2"),
];

/// Adds the constructs project's Node packages and its `:<scope>/common-constructs` alias.
pub fn merge_constructs(tree: &mut Tree, scope: &str) -> Result<()> {
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
    tsconfig.write(tree)
}

/// Adds the `generate:<kebab>-metadata` target to the constructs project.
pub fn add_metadata_target(tree: &mut Tree, spec: &ApiSpec) -> Result<()> {
    let mut constructs = JsonFile::require(
        tree,
        &format!("{CONSTRUCTS_ROOT}/project.json"),
        "restore it, or delete the constructs folder to have it generated again",
    )?;
    constructs
        .object(&["targets"])?
        .entry(format!("generate:{}-metadata", spec.names.kebab))
        .or_insert_with(|| metadata_target(spec));
    constructs.write(tree)
}

/// The Nx target that writes `src/generated/<kebab>/metadata.gen.ts` from the API's spec.
fn metadata_target(spec: &ApiSpec) -> serde_json::Value {
    let kebab = &spec.names.kebab;
    let openapi = format!("dist/{}/openapi/openapi.json", spec.root);
    json!({
        "executor": "nx:run-commands",
        "cache": true,
        "dependsOn": [{ "projects": [spec.module], "target": "openapi" }],
        "inputs": [
            format!("{{workspaceRoot}}/{openapi}"),
            "{projectRoot}/scripts/generate-metadata.mjs"
        ],
        "outputs": [format!("{{projectRoot}}/src/generated/{kebab}")],
        "options": {
            "command": format!(
                "node {CONSTRUCTS_ROOT}/scripts/generate-metadata.mjs {openapi} {CONSTRUCTS_ROOT}/src/generated/{kebab}/metadata.gen.ts"
            )
        }
    })
}
