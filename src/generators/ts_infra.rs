//! `ts#infra`: the CDK app (`packages/infra`) whose stack deploys the
//! workspace's APIs. `py#fast-api` plans the same folders when a CDK API needs an app.

use anyhow::Result;

use super::{Install, Outcome};
use crate::model::Facts;
use crate::plan;
use crate::render::ScopeContext;
use crate::tree::Tree;

/// Stages the CDK app and the constructs project it imports. Existing files are kept.
pub fn generate(tree: &mut Tree, facts: &Facts) -> Result<Outcome> {
    let context = ScopeContext {
        scope: facts.scope.clone(),
    };
    plan::ts_infra(facts).apply(tree, &context)?;
    let mut installs = Vec::new();
    if tree.changes().iter().any(|c| c.path == "package.json") {
        installs.push(Install::node_packages(facts.package_manager));
    }
    Ok(Outcome {
        installs,
        next_steps: vec![format!(
            "Synthesize the app: {} run infra:synth",
            facts.package_manager.nx()
        )],
    })
}
