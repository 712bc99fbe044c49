//! `py#fast-api`: a FastAPI project for AWS Lambda, a member of the uv workspace.

use anyhow::{Context, Result, bail};
use minijinja::context;
use serde_json::Value;

use super::Outcome;
use super::workspace::{NX_VERSION, PackageManager, uv_sync};
use super::{cdk, terraform};
use crate::names::{Names, normalize_directory, validate_module_name};
use crate::render::{self, Choice};
use crate::tree::Tree;
use crate::workspace::{self, json::JsonFile, pyproject};

/// The name fastgen records in `[tool.fastgen].generator`.
pub const GENERATOR: &str = "py#fast-api";

/// The dev server port of the first API; each further API takes the next one.
const FIRST_PORT: u16 = 8000;

pub use crate::model::{Auth, Choose as Key, ComputeType, IacProvider};

/// Options of `py#fast-api`, resolved (defaults applied, prompts answered).
#[derive(Debug, Clone)]
pub struct FastApiOptions {
    /// The API's name as typed: `MyApi`, `my-api`, `my api`.
    pub name: String,
    /// REST or HTTP API.
    pub compute_type: ComputeType,
    /// The API's authentication.
    pub auth: Auth,
    /// The parent directory of the project, relative to the workspace root.
    pub directory: String,
    /// The project's folder under `directory`; the module name when absent.
    pub sub_directory: Option<String>,
    /// The infrastructure-as-code provider.
    pub iac: IacProvider,
    /// The Python module name; the snake_case name when absent.
    pub module_name: Option<String>,
}

/// Everything derived from the options that the templates need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    /// The name's spellings.
    pub names: Names,
    /// The Python module, which is also the Nx project's name.
    pub module: String,
    /// The project's directory relative to the workspace root.
    pub root: String,
}

impl Project {
    /// The template context of the API's infrastructure files (CDK or Terraform).
    pub fn infra_context(
        &self,
        scope: &str,
        compute_type: ComputeType,
        auth: Auth,
    ) -> minijinja::Value {
        context! {
            scope,
            class_name => self.names.class_name,
            kebab => self.names.kebab,
            module => self.module,
            project_root => self.root,
            compute_type => Choice::of(compute_type),
            auth => Choice::of(auth),
        }
    }
}

impl FastApiOptions {
    /// Checks the names and directories and derives the project's layout.
    pub fn project(&self) -> Result<Project> {
        if self.compute_type == ComputeType::FunctionUrl && self.auth == Auth::Cognito {
            bail!(
                "a Lambda Function URL has no Cognito authorizer: use --auth iam or --auth none with it, or keep Cognito with --compute-type rest or http"
            );
        }
        let names = Names::parse(&self.name)?;
        let module = match &self.module_name {
            Some(module) => module.trim().to_string(),
            None => names.snake.clone(),
        };
        validate_module_name(&module)?;
        let directory = normalize_directory(&self.directory)?;
        let folder = match &self.sub_directory {
            Some(sub) => {
                let sub = normalize_directory(sub)?;
                if sub.is_empty() {
                    bail!("--sub-directory is empty: pass a folder name such as `{module}`");
                }
                sub
            }
            None => module.clone(),
        };
        let root = if directory.is_empty() {
            folder
        } else {
            format!("{directory}/{folder}")
        };
        Ok(Project {
            names,
            module,
            root,
        })
    }
}

/// Stages the API project and its entries in the workspace's shared files.
pub fn generate(tree: &mut Tree, options: &FastApiOptions) -> Result<Outcome> {
    let project = options.project()?;
    let mut package_json = JsonFile::require(
        tree,
        "package.json",
        "run `fastgen new` to create a workspace",
    )?;
    let mut root = pyproject::read(tree, "pyproject.toml")?.context(
        "pyproject.toml is missing at the workspace root: run `fastgen new .` to add it",
    )?;
    let members = pyproject::members(&root);
    check_name_is_free(tree, &members, &project)?;
    let port = match existing_port(tree, &project, options)? {
        Some(port) => port,
        None => next_port(tree, &members)?,
    };

    let pm = PackageManager::detect(tree)?;
    let depth = project.root.split('/').count();
    let ctx = context! {
        class_name => project.names.class_name,
        kebab => project.names.kebab,
        module => project.module,
        package => project.module.replace('_', "-"),
        project_root => project.root,
        offset => vec![".."; depth].join("/"),
        port => port,
        compute_type => Choice::of(options.compute_type),
        auth => Choice::of(options.auth),
        iac => Choice::of(options.iac),
        nx => pm.nx(),
    };
    render::render_dir(tree, "py-fast-api", &project.root, &ctx)?;
    if options.compute_type == ComputeType::FunctionUrl {
        // Lambda Web Adapter runs the app with uvicorn through run.sh.
        render::render_dir(tree, "py-fast-api-lwa", &project.root, &ctx)?;
    } else {
        // API Gateway events reach the app through Mangum.
        render::render_dir(tree, "py-fast-api-mangum", &project.root, &ctx)?;
    }

    pyproject::add_member(&mut root, &project.root)?;
    tree.write("pyproject.toml", root.to_string())?;
    workspace::ensure_lines(tree, ".gitignore", &["node_modules/", ".venv/", "dist/"])?;
    package_json.ensure_dev_dependency("nx", NX_VERSION)?;
    package_json.write(tree)?;

    let mut notes = Vec::new();
    match options.iac {
        IacProvider::Cdk => notes.extend(cdk::add_api(
            tree,
            &project,
            options.compute_type,
            options.auth,
        )?),
        IacProvider::Terraform => notes.extend(terraform::add_api(
            tree,
            &project,
            options.compute_type,
            options.auth,
        )?),
        IacProvider::None => {}
    }

    let mut installs = vec![uv_sync()];
    if tree.changes().iter().any(|c| c.path == "package.json") {
        installs.insert(0, pm.install());
    }
    let nx = pm.nx();
    let module = &project.module;
    let mut next_steps = notes;
    next_steps.push(format!(
        "Add your routes to {}/{module}/main.py",
        project.root
    ));
    next_steps.push(format!(
        "Serve it locally:  {nx} run {module}:serve  (http://localhost:{port}/docs)"
    ));
    next_steps.push(format!("Lint, test, bundle: {nx} run {module}:build"));
    match options.iac {
        IacProvider::Cdk => {
            next_steps.push(format!("Synthesize the CDK app: {nx} run infra:synth"))
        }
        IacProvider::Terraform => {
            next_steps.push(format!("Plan the deployment: {nx} run infra:plan"))
        }
        IacProvider::None => {}
    }
    Ok(Outcome {
        installs,
        next_steps,
    })
}

/// Refuses a module name that another project of the workspace already uses.
fn check_name_is_free(tree: &Tree, members: &[String], project: &Project) -> Result<()> {
    for member in members.iter().filter(|m| **m != project.root) {
        let Some(text) = tree.read_to_string(&format!("{member}/project.json"))? else {
            continue;
        };
        let name = serde_json::from_str::<Value>(&text)
            .ok()
            .and_then(|v| v.get("name")?.as_str().map(str::to_string));
        if name.as_deref() == Some(project.module.as_str()) {
            bail!(
                "a project named `{}` already exists at {member}: pass another name or --module-name",
                project.module
            );
        }
    }
    Ok(())
}

/// For a project fastgen generated before, checks that the options match and
/// returns its port; `None` when the project is new.
fn existing_port(tree: &Tree, project: &Project, options: &FastApiOptions) -> Result<Option<u16>> {
    let path = format!("{}/pyproject.toml", project.root);
    let Some(doc) = pyproject::read(tree, &path)? else {
        if tree.is_occupied(&project.root)? {
            bail!(
                "{} already exists and was not generated by fastgen: choose another name or --directory",
                project.root
            );
        }
        return Ok(None);
    };
    if pyproject::fastgen_setting(&doc, "generator").as_deref() != Some(GENERATOR) {
        bail!(
            "{} already holds a Python project that fastgen did not generate: choose another name or --directory",
            project.root
        );
    }
    let wanted = [
        ("compute-type", options.compute_type.key(), "--compute-type"),
        ("auth", options.auth.key(), "--auth"),
        ("iac", options.iac.key(), "--iac-provider"),
    ];
    for (key, value, flag) in wanted {
        let recorded = pyproject::fastgen_setting(&doc, key).unwrap_or_default();
        if recorded != value {
            bail!(
                "{} was generated with {key} `{recorded}`, not `{value}`: run again with {flag} {recorded}, or choose another name",
                project.root
            );
        }
    }
    let port = pyproject::fastgen_setting(&doc, "port")
        .and_then(|p| p.parse().ok())
        .with_context(|| format!("{path}: [tool.fastgen].port is missing or not a port number"))?;
    Ok(Some(port))
}

/// The first port after every port the workspace's APIs already use.
fn next_port(tree: &Tree, members: &[String]) -> Result<u16> {
    let mut port = FIRST_PORT;
    for member in members {
        if let Some(doc) = pyproject::read(tree, &format!("{member}/pyproject.toml"))? {
            let used = pyproject::fastgen_setting(&doc, "port").and_then(|p| p.parse::<u16>().ok());
            if let Some(used) = used {
                port = port.max(used + 1);
            }
        }
    }
    Ok(port)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(name: &str) -> FastApiOptions {
        FastApiOptions {
            name: name.into(),
            compute_type: ComputeType::Rest,
            auth: Auth::Iam,
            directory: "packages".into(),
            sub_directory: None,
            iac: IacProvider::Cdk,
            module_name: None,
        }
    }

    #[test]
    fn the_project_lives_under_directory_in_a_folder_named_after_the_module() {
        let project = options("My API").project().unwrap();
        assert_eq!(project.module, "my_api");
        assert_eq!(project.root, "packages/my_api");
        assert_eq!(project.names.class_name, "MyApi");

        let mut custom = options("MyApi");
        custom.module_name = Some("orders".into());
        custom.directory = "./apps/".into();
        custom.sub_directory = Some("orders-api".into());
        let project = custom.project().unwrap();
        assert_eq!(
            (project.module.as_str(), project.root.as_str()),
            ("orders", "apps/orders-api")
        );
    }
}
