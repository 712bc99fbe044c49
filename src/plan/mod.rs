//! The plan: everything one generator run does to the workspace. Which
//! template folders it renders and where, which lines it adds to shared line
//! sets, which blocks it inserts into files the user owns, and which entries it
//! merges into shared JSON and TOML files. The tables that choose them by
//! option are in [`api`]; a test checks that every template folder is
//! reachable from them.

mod api;

pub use api::{api, ts_infra, workspace};

use std::fmt;

use anyhow::{Context, Result};
use serde::Serialize;
use serde_json::Value;

use crate::edit::{self, insert, json::JsonFile, pyproject};
use crate::render;
use crate::tree::Tree;

/// A template folder under `templates/`, laid out like the files it produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Folder {
    /// The workspace's root files.
    Workspace,
    /// `pnpm-workspace.yaml`, for pnpm workspaces.
    WorkspacePnpm,
    /// `.yarnrc.yml`, for Yarn workspaces.
    WorkspaceYarn,
    /// The API's Python project, for every compute type.
    PyFastApi,
    /// The Python project's Mangum runtime adapter (API Gateway).
    PyFastApiMangum,
    /// The Python project's Lambda Web Adapter runtime (Function URL).
    PyFastApiLwa,
    /// The Python project's Lambda authorizer (Custom auth).
    PyFastApiAuthorizer,
    /// The shared CDK constructs project.
    CdkConstructs,
    /// The CDK core construct of REST APIs.
    CdkRest,
    /// The CDK core construct of HTTP APIs.
    CdkHttp,
    /// The CDK construct of one API Gateway API.
    CdkApi,
    /// The CDK construct of one Function URL API.
    CdkFunctionUrl,
    /// The CDK app (`ts#infra`).
    TsInfra,
    /// The shared Terraform modules project.
    TerraformCommon,
    /// The Terraform core module of REST APIs.
    TerraformRest,
    /// The Terraform core module of HTTP APIs.
    TerraformHttp,
    /// The Terraform module of one API Gateway API.
    TerraformApi,
    /// The Lambda Web Adapter's layer of a streaming REST API's Terraform module.
    TerraformApiStreaming,
    /// The Terraform module of one Function URL API.
    TerraformFunctionUrl,
    /// The Terraform root module.
    TerraformInfra,
    /// The root module's account-wide API Gateway settings (REST APIs).
    TerraformInfraRest,
    /// The root module's Cognito user pool (Cognito auth).
    TerraformInfraCognito,
}

impl Folder {
    /// Every folder, in table order.
    pub const ALL: &'static [Folder] = &[
        Folder::Workspace,
        Folder::WorkspacePnpm,
        Folder::WorkspaceYarn,
        Folder::PyFastApi,
        Folder::PyFastApiMangum,
        Folder::PyFastApiLwa,
        Folder::PyFastApiAuthorizer,
        Folder::CdkConstructs,
        Folder::CdkRest,
        Folder::CdkHttp,
        Folder::CdkApi,
        Folder::CdkFunctionUrl,
        Folder::TsInfra,
        Folder::TerraformCommon,
        Folder::TerraformRest,
        Folder::TerraformHttp,
        Folder::TerraformApi,
        Folder::TerraformApiStreaming,
        Folder::TerraformFunctionUrl,
        Folder::TerraformInfra,
        Folder::TerraformInfraRest,
        Folder::TerraformInfraCognito,
    ];

    /// The folder's name under `templates/`.
    pub fn name(self) -> &'static str {
        match self {
            Folder::Workspace => "workspace",
            Folder::WorkspacePnpm => "workspace-pnpm",
            Folder::WorkspaceYarn => "workspace-yarn",
            Folder::PyFastApi => "py-fast-api",
            Folder::PyFastApiMangum => "py-fast-api-mangum",
            Folder::PyFastApiLwa => "py-fast-api-lwa",
            Folder::PyFastApiAuthorizer => "py-fast-api-authorizer",
            Folder::CdkConstructs => "cdk-constructs",
            Folder::CdkRest => "cdk-rest",
            Folder::CdkHttp => "cdk-http",
            Folder::CdkApi => "cdk-api",
            Folder::CdkFunctionUrl => "cdk-function-url",
            Folder::TsInfra => "ts-infra",
            Folder::TerraformCommon => "terraform-common",
            Folder::TerraformRest => "terraform-rest",
            Folder::TerraformHttp => "terraform-http",
            Folder::TerraformApi => "terraform-api",
            Folder::TerraformApiStreaming => "terraform-api-streaming",
            Folder::TerraformFunctionUrl => "terraform-function-url",
            Folder::TerraformInfra => "terraform-infra",
            Folder::TerraformInfraRest => "terraform-infra-rest",
            Folder::TerraformInfraCognito => "terraform-infra-cognito",
        }
    }
}

/// Template folders that hold snippets for [`Insertion`]s rather than files.
pub const SNIPPET_FOLDERS: &[&str] = &["cdk-snippets", "terraform-snippets"];

/// The CDK app's stack, which instantiates every API.
pub const STACK: &str = "packages/infra/src/stacks/application-stack.ts";

/// Whether a folder's files are rendered one by one or as one project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ownership {
    /// Each file is created where none stands, then it is the user's: a re-run
    /// recreates a deleted file but never overwrites one.
    EachFile,
    /// The folder is a project rendered only while its `project.json` is
    /// absent; after that every file is the user's, deleted ones included.
    Project,
}

/// One template folder rendered below a destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The template folder.
    pub folder: Folder,
    /// Where its files land, relative to the workspace root.
    pub dest: String,
    /// How the files are created.
    pub ownership: Ownership,
}

/// Lines added to a line-set file (`.gitignore`, a barrel `index.ts`), each once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lines {
    /// The file.
    pub path: String,
    /// The lines it must hold.
    pub lines: Vec<String>,
}

/// A snippet template inserted above a marker line of a user-owned file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The file.
    pub path: String,
    /// The marker line above which the block goes.
    pub marker: &'static str,
    /// The snippet template, by its path under `templates/`.
    pub template: &'static str,
}

/// Blocks one API adds to user-owned files, once and as a whole
/// (see [`insert::Insertion`], which this becomes once rendered).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Insertion {
    /// What is added, for the note when it cannot be.
    pub what: String,
    /// The file whose text shows the insertion was made.
    pub key_path: String,
    /// The fragment that shows it.
    pub key: String,
    /// Names to import into a TypeScript file.
    pub imports: Option<insert::Imports>,
    /// The snippets.
    pub snippets: Vec<Snippet>,
}

/// An entry merged into a JSON or TOML file that generators share; the rest
/// of the file, its formatting and key order are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Merge {
    /// A member of the uv workspace (`[tool.uv.workspace].members`).
    UvMember(String),
    /// Root `package.json` `devDependencies`, each unless it is a dependency already.
    DevDependencies(Vec<(&'static str, &'static str)>),
    /// Entries of a top-level object of the root `package.json` (`resolutions`,
    /// `overrides`), each unless present.
    PackageJsonEntries {
        /// The top-level key.
        key: &'static str,
        /// The entries.
        entries: Vec<(&'static str, &'static str)>,
    },
    /// An entry of `compilerOptions.paths` in `tsconfig.base.json`, unless present.
    TsPath {
        /// The import alias.
        alias: String,
        /// The file it points to.
        target: String,
    },
    /// A target of the Nx project at `project`, unless it has one by that name.
    NxTarget {
        /// The project's root.
        project: String,
        /// The target's name.
        name: String,
        /// The target.
        target: Value,
    },
    /// An implicit dependency of the Nx project at `project` on the project `on`.
    ImplicitDependency {
        /// The dependent project's root.
        project: String,
        /// The Nx name of the project it depends on.
        on: String,
    },
}

/// What one generator run renders and edits, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// Template folders, rendered first.
    pub parts: Vec<Part>,
    /// Lines added to line sets, after the parts that create those files.
    pub lines: Vec<Lines>,
    /// Blocks inserted into user-owned files.
    pub insertions: Vec<Insertion>,
    /// Entries merged into shared JSON and TOML files, last.
    pub merges: Vec<Merge>,
}

impl Plan {
    /// Renders the plan into `tree` with `context`; returns a note for each
    /// insertion that a user-owned file could not take.
    pub fn apply(&self, tree: &mut Tree, context: &impl Serialize) -> Result<Vec<String>> {
        for part in &self.parts {
            if part.ownership == Ownership::Project
                && tree.exists(&format!("{}/project.json", part.dest))?
            {
                continue;
            }
            render::render_dir(tree, part.folder.name(), &part.dest, context)?;
        }
        for lines in &self.lines {
            edit::ensure_lines(tree, &lines.path, &lines.lines)?;
        }
        let mut notes = Vec::new();
        for insertion in &self.insertions {
            let mut blocks = Vec::new();
            for snippet in &insertion.snippets {
                let text = render::render_file(snippet.template, context)?;
                blocks.push(insert::Block {
                    path: snippet.path.clone(),
                    marker: snippet.marker,
                    text: format!("{}\n", text.trim_end()),
                });
            }
            let rendered = insert::Insertion {
                what: insertion.what.clone(),
                key_path: insertion.key_path.clone(),
                key: insertion.key.clone(),
                imports: insertion.imports.clone(),
                blocks,
            };
            notes.extend(insert::apply(tree, &rendered)?);
        }
        for merge in &self.merges {
            merge.apply(tree)?;
        }
        Ok(notes)
    }
}

/// What to tell a user whose workspace lacks a file fastgen created.
const RUN_NEW: &str = "run `fastgen new` to create a workspace";

impl Merge {
    fn apply(&self, tree: &mut Tree) -> Result<()> {
        match self {
            Merge::UvMember(member) => {
                let mut root = pyproject::read(tree, "pyproject.toml")?.context(
                    "pyproject.toml is missing at the workspace root: run `fastgen new .` to add it",
                )?;
                pyproject::add_member(&mut root, member)?;
                tree.write("pyproject.toml", root.to_string())
            }
            Merge::DevDependencies(packages) => {
                let mut package_json = JsonFile::require(tree, "package.json", RUN_NEW)?;
                for (name, version) in packages {
                    package_json.ensure_dev_dependency(name, version)?;
                }
                package_json.write(tree)
            }
            Merge::PackageJsonEntries { key, entries } => {
                let mut package_json = JsonFile::require(tree, "package.json", RUN_NEW)?;
                let object = package_json.object(&[key])?;
                for (name, value) in entries {
                    object
                        .entry(name.to_string())
                        .or_insert_with(|| Value::String(value.to_string()));
                }
                package_json.write(tree)
            }
            Merge::TsPath { alias, target } => {
                let mut tsconfig = JsonFile::require(tree, "tsconfig.base.json", RUN_NEW)?;
                tsconfig
                    .object(&["compilerOptions", "paths"])?
                    .entry(alias.clone())
                    .or_insert_with(|| serde_json::json!([target]));
                tsconfig.write(tree)
            }
            Merge::NxTarget {
                project,
                name,
                target,
            } => {
                let mut project_json = JsonFile::require(
                    tree,
                    &format!("{project}/project.json"),
                    &format!("restore it, or delete {project} to have it generated again"),
                )?;
                project_json
                    .object(&["targets"])?
                    .entry(name.clone())
                    .or_insert_with(|| target.clone());
                project_json.write(tree)
            }
            Merge::ImplicitDependency { project, on } => {
                edit::add_implicit_dependency(tree, project, on)
            }
        }
    }
}

/// The plan as a table, one row per step, for snapshots and `--explain`-style reading.
impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for part in &self.parts {
            let how = match part.ownership {
                Ownership::EachFile => "create each file once",
                Ownership::Project => "create the project once",
            };
            let dest = if part.dest.is_empty() {
                "."
            } else {
                &part.dest
            };
            writeln!(f, "render  {:<24} -> {dest}  ({how})", part.folder.name())?;
        }
        for lines in &self.lines {
            writeln!(f, "lines   {}: {}", lines.path, lines.lines.join(" | "))?;
        }
        for insertion in &self.insertions {
            writeln!(
                f,
                "insert  {} unless {} has `{}`",
                insertion.what, insertion.key_path, insertion.key
            )?;
            if let Some(imports) = &insertion.imports {
                writeln!(
                    f,
                    "          import {{ {} }} from '{}' into {}",
                    imports.names.join(", "),
                    imports.module,
                    imports.path
                )?;
            }
            for snippet in &insertion.snippets {
                writeln!(
                    f,
                    "          {} above `{}` in {}",
                    snippet.template, snippet.marker, snippet.path
                )?;
            }
        }
        for merge in &self.merges {
            match merge {
                Merge::UvMember(member) => {
                    writeln!(f, "merge   pyproject.toml: uv member {member}")?
                }
                Merge::DevDependencies(packages) => {
                    let list: Vec<String> =
                        packages.iter().map(|(n, v)| format!("{n}@{v}")).collect();
                    writeln!(
                        f,
                        "merge   package.json: devDependencies {}",
                        list.join(", ")
                    )?
                }
                Merge::PackageJsonEntries { key, entries } => {
                    let list: Vec<String> =
                        entries.iter().map(|(n, v)| format!("{n}@{v}")).collect();
                    writeln!(f, "merge   package.json: {key} {}", list.join(", "))?
                }
                Merge::TsPath { alias, target } => {
                    writeln!(f, "merge   tsconfig.base.json: path {alias} -> {target}")?
                }
                Merge::NxTarget { project, name, .. } => {
                    writeln!(f, "merge   {project}/project.json: target {name}")?
                }
                Merge::ImplicitDependency { project, on } => writeln!(
                    f,
                    "merge   {project}/project.json: implicit dependency on {on}"
                )?,
            }
        }
        Ok(())
    }
}
