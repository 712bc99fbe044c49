//! Terraform infrastructure of an API (`iacProvider=Terraform`): the shared
//! modules project, the core module of the API's compute type, the API's own
//! module, and the root module (`packages/infra`) that deploys every API.

use anyhow::{Result, bail};

use super::fast_api::{Auth, ComputeType, Key, Project};
use super::ts_infra::INFRA_ROOT;
use crate::render;
use crate::tree::Tree;
use crate::workspace::{self, insert_above};

/// Where the shared Terraform modules live.
pub const TERRAFORM_ROOT: &str = "packages/common/terraform";

/// The marker lines of the root module above which each API's blocks go.
const APIS_MARKER: &str = "# fastgen:apis";
const OUTPUTS_MARKER: &str = "# fastgen:outputs";

/// Stages the Terraform modules of one API and its place in the root module.
///
/// Returns a note for the user when the root module could not be edited.
pub fn add_api(
    tree: &mut Tree,
    project: &Project,
    compute_type: ComputeType,
    auth: Auth,
) -> Result<Option<String>> {
    if tree.exists(&format!("{INFRA_ROOT}/cdk.json"))? {
        bail!(
            "{INFRA_ROOT} is a CDK app, so this workspace deploys with CDK: run again with --iac cdk, or --iac none"
        );
    }
    let scope = workspace::scope(tree)?;
    let ctx = project.infra_context(&scope, compute_type, auth);
    render::render_dir(tree, "terraform-common", TERRAFORM_ROOT, &ctx)?;
    if compute_type == ComputeType::FunctionUrl {
        render::render_dir(tree, "terraform-function-url", TERRAFORM_ROOT, &ctx)?;
    } else {
        render::render_dir(
            tree,
            &format!("terraform-{}", compute_type.key()),
            TERRAFORM_ROOT,
            &ctx,
        )?;
        render::render_dir(tree, "terraform-api", TERRAFORM_ROOT, &ctx)?;
    }

    if !tree.exists(&format!("{INFRA_ROOT}/project.json"))? {
        render::render_dir(tree, "terraform-infra", INFRA_ROOT, &ctx)?;
    }
    if auth == Auth::Cognito {
        render::render_dir(tree, "terraform-infra-cognito", INFRA_ROOT, &ctx)?;
    }
    if compute_type == ComputeType::Rest {
        render::render_dir(tree, "terraform-infra-rest", INFRA_ROOT, &ctx)?;
    }

    workspace::add_implicit_dependency(tree, INFRA_ROOT, &project.module)?;

    let main = format!("{INFRA_ROOT}/src/main.tf");
    let outputs = format!("{INFRA_ROOT}/src/outputs.tf");
    let main_text = tree.read_to_string(&main)?.unwrap_or_default();
    if main_text.contains(&format!("module \"{}\" {{", project.module)) {
        return Ok(None);
    }
    let outputs_text = tree.read_to_string(&outputs)?.unwrap_or_default();
    let snippet = if compute_type == ComputeType::FunctionUrl {
        "function-url"
    } else {
        "api"
    };
    let blocks = render::render_file(&format!("terraform-snippets/infra-{snippet}-main.tf"), &ctx)?;
    let output_blocks = render::render_file(
        &format!("terraform-snippets/infra-{snippet}-outputs.tf"),
        &ctx,
    )?;
    match (
        insert_above(
            &main_text,
            APIS_MARKER,
            &[format!("{}\n", blocks.trim_end())],
        ),
        insert_above(
            &outputs_text,
            OUTPUTS_MARKER,
            &[format!("{}\n", output_blocks.trim_end())],
        ),
    ) {
        (Some(main_text), Some(outputs_text)) => {
            tree.write(&main, main_text)?;
            tree.write(&outputs, outputs_text)?;
            Ok(None)
        }
        _ => Ok(Some(format!(
            "{main} or {outputs} has lost its `{APIS_MARKER}` / `{OUTPUTS_MARKER}` line, so module \"{}\" was not added: add it yourself",
            project.module
        ))),
    }
}
