//! `ts#infra`: the CDK app (`packages/infra`) whose stack deploys the
//! workspace's APIs. `py#fast-api` runs it when a CDK API needs an app.

use anyhow::Result;
use minijinja::context;

use super::Outcome;
use super::cdk::ensure_constructs_project;
use super::fast_api::{Auth, ComputeType, Project};
use super::workspace::PackageManager;
use crate::render;
use crate::tree::Tree;
use crate::workspace::insert_above;

/// Where the CDK app lives; its Nx project is named `infra`.
pub const INFRA_ROOT: &str = "packages/infra";

/// The stack file that instantiates the APIs.
const STACK: &str = "packages/infra/src/stacks/application-stack.ts";

/// The marker lines in the stack above which each API's import and construct go.
const IMPORTS_MARKER: &str = "// fastgen:imports";
const APIS_MARKER: &str = "// fastgen:apis";

/// Stages the CDK app (and the constructs project it imports). Existing files are kept.
pub fn generate(tree: &mut Tree) -> Result<Outcome> {
    let scope = crate::workspace::scope(tree)?;
    ensure_constructs_project(tree, &scope)?;
    render::render_dir(tree, "ts-infra", INFRA_ROOT, &context! { scope })?;
    let pm = PackageManager::detect(tree)?;
    let mut installs = Vec::new();
    if tree.changes().iter().any(|c| c.path == "package.json") {
        installs.push(pm.install());
    }
    Ok(Outcome {
        installs,
        next_steps: vec![format!("Synthesize the app: {} run infra:synth", pm.nx())],
    })
}

/// Stages the CDK app unless the workspace has one already.
pub fn ensure(tree: &mut Tree, scope: &str) -> Result<()> {
    if tree.exists(&format!("{INFRA_ROOT}/project.json"))? {
        return Ok(());
    }
    render::render_dir(tree, "ts-infra", INFRA_ROOT, &context! { scope })
}

/// Adds an API to the app: a dependency of its Nx project and a construct in its stack.
///
/// Returns a note when the stack has lost its marker lines and so was left alone.
pub fn add_api(
    tree: &mut Tree,
    scope: &str,
    project: &Project,
    compute_type: ComputeType,
    auth: Auth,
) -> Result<Option<String>> {
    crate::workspace::add_implicit_dependency(tree, INFRA_ROOT, &project.module)?;

    let class = &project.names.class_name;
    let Some(stack) = tree.read_to_string(STACK)? else {
        return Ok(Some(format!(
            "{STACK} is missing: instantiate {class} in your own stack"
        )));
    };
    let mut imports = vec![class.as_str()];
    if auth == Auth::Cognito {
        imports.push("UserIdentity");
    }
    let mut construct = String::new();
    if auth == Auth::Iam {
        construct.push_str(
            "    // IAM auth: allow callers with `grantInvokeAccess`, e.g. `api.grantInvokeAccess(role)`.\n",
        );
    }
    if compute_type == ComputeType::FunctionUrl {
        // A Function URL construct has no integrations to choose.
        construct.push_str(&format!("    new {class}(this, '{class}');\n"));
    } else {
        construct.push_str(&format!(
            "    new {class}(this, '{class}', {{\n      integrations: {class}.defaultIntegrations(this).build(),\n"
        ));
        if auth == Auth::Cognito {
            construct.push_str("      identity: UserIdentity.ensure(this),\n");
        }
        construct.push_str("    });\n");
    }

    if stack.contains(&format!("new {class}(this, '{class}'")) {
        return Ok(None);
    }
    let edited = import_names(&stack, &format!(":{scope}/common-constructs"), &imports)
        .and_then(|stack| insert_above(&stack, APIS_MARKER, &[construct]));
    let Some(edited) = edited else {
        return Ok(Some(format!(
            "{STACK} has no `{IMPORTS_MARKER}` and `{APIS_MARKER}` lines, so {class} was not added to it: instantiate it yourself"
        )));
    };
    tree.write(STACK, edited)?;
    Ok(None)
}

/// Adds `names` to the `import { … } from '<module>';` statement of `text`, or
/// inserts that statement above the imports marker when there is none.
fn import_names(text: &str, module: &str, names: &[&str]) -> Option<String> {
    let tail = format!("}} from '{module}';");
    let existing = text.find(&tail).and_then(|end| {
        let start = text[..end].rfind("import {")?;
        Some((start, end + tail.len()))
    });
    let mut all: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    if let Some((start, end)) = existing {
        let listed = &text[start + "import {".len()..end - tail.len()];
        all.extend(
            listed
                .split(',')
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(String::from),
        );
    }
    all.sort_by_key(|name| name.to_lowercase());
    all.dedup();
    let one_line = format!("import {{ {} }} from '{module}';", all.join(", "));
    let statement = if one_line.len() <= 80 {
        one_line
    } else {
        let lines: String = all.iter().map(|name| format!("  {name},\n")).collect();
        format!("import {{\n{lines}}} from '{module}';")
    };
    match existing {
        Some((start, end)) => Some(format!("{}{statement}{}", &text[..start], &text[end..])),
        None => insert_above(text, IMPORTS_MARKER, &[statement]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_from_the_constructs_are_merged_into_one_statement() {
        let text = "import { Stack } from 'aws-cdk-lib';\n// fastgen:imports\n";
        let first = import_names(text, ":demo/common-constructs", &["MyApi"]).unwrap();
        assert_eq!(
            first,
            "import { Stack } from 'aws-cdk-lib';\nimport { MyApi } from ':demo/common-constructs';\n// fastgen:imports\n"
        );
        let second = import_names(
            &first,
            ":demo/common-constructs",
            &["Orders", "UserIdentity"],
        )
        .unwrap();
        assert!(
            second.contains(
                "import { MyApi, Orders, UserIdentity } from ':demo/common-constructs';\n"
            )
        );
        let long = import_names(
            &second,
            ":demo/common-constructs",
            &["InventoryManagementApi"],
        )
        .unwrap();
        assert!(long.contains(
            "import {\n  InventoryManagementApi,\n  MyApi,\n  Orders,\n  UserIdentity,\n} from ':demo/common-constructs';\n"
        ));
        assert_eq!(
            import_names(&long, ":demo/common-constructs", &["MyApi"]).unwrap(),
            long
        );
    }
}
