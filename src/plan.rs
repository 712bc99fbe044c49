//! The plan: which template folders a run renders and where, which lines it
//! adds to shared line sets, and which blocks it inserts into files the user
//! owns. Each generator's choices are one table below; a test renders every
//! combination and checks that every template folder is reachable from them.

use std::fmt;

use anyhow::Result;
use serde::Serialize;

use crate::edit::{self, insert};
use crate::model::workspace::{CONSTRUCTS_ROOT, INFRA_ROOT, TERRAFORM_ROOT};
use crate::model::{ApiSpec, Auth, ComputeType, IacProvider, PackageManager, WorkspaceSpec};
use crate::render;
use crate::tree::Tree;

/// A template folder under `templates/`, laid out like the files it produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Folder {
    /// The workspace's root files.
    Workspace,
    /// `pnpm-workspace.yaml`, for pnpm workspaces.
    WorkspacePnpm,
    /// The API's Python project, for every compute type.
    PyFastApi,
    /// The Python project's Mangum runtime adapter (API Gateway).
    PyFastApiMangum,
    /// The Python project's Lambda Web Adapter runtime (Function URL).
    PyFastApiLwa,
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
        Folder::PyFastApi,
        Folder::PyFastApiMangum,
        Folder::PyFastApiLwa,
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
            Folder::PyFastApi => "py-fast-api",
            Folder::PyFastApiMangum => "py-fast-api-mangum",
            Folder::PyFastApiLwa => "py-fast-api-lwa",
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

/// What one generator run renders and edits, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// Template folders, rendered first.
    pub parts: Vec<Part>,
    /// Lines added to line sets, after the parts that create those files.
    pub lines: Vec<Lines>,
    /// Blocks inserted into user-owned files, last.
    pub insertions: Vec<Insertion>,
}

/// Where a folder of the API table lands.
#[derive(Debug, Clone, Copy)]
enum Dest {
    Project,
    Constructs,
    Infra,
    Terraform,
}

/// A row of the API table: a folder, where it goes, and when.
struct Row {
    folder: Folder,
    dest: Dest,
    ownership: Ownership,
    when: fn(&ApiSpec) -> bool,
}

fn cdk(spec: &ApiSpec) -> bool {
    spec.iac == IacProvider::Cdk
}

fn terraform(spec: &ApiSpec) -> bool {
    spec.iac == IacProvider::Terraform
}

/// The folders of `py#fast-api`, by compute type, IaC provider and auth.
const API_TABLE: &[Row] = &[
    Row {
        folder: Folder::PyFastApi,
        dest: Dest::Project,
        ownership: Ownership::EachFile,
        when: |_| true,
    },
    Row {
        folder: Folder::PyFastApiMangum,
        dest: Dest::Project,
        ownership: Ownership::EachFile,
        when: |_| false, // MERGE: |s| s.compute_type.is_api_gateway()
    },
    Row {
        folder: Folder::PyFastApiLwa,
        dest: Dest::Project,
        ownership: Ownership::EachFile,
        when: |s| s.compute_type == ComputeType::FunctionUrl,
    },
    Row {
        folder: Folder::CdkConstructs,
        dest: Dest::Constructs,
        ownership: Ownership::EachFile,
        when: cdk,
    },
    Row {
        folder: Folder::CdkRest,
        dest: Dest::Constructs,
        ownership: Ownership::EachFile,
        when: |s| cdk(s) && s.compute_type == ComputeType::Rest,
    },
    Row {
        folder: Folder::CdkHttp,
        dest: Dest::Constructs,
        ownership: Ownership::EachFile,
        when: |s| cdk(s) && s.compute_type == ComputeType::Http,
    },
    Row {
        folder: Folder::CdkApi,
        dest: Dest::Constructs,
        ownership: Ownership::EachFile,
        when: |s| cdk(s) && s.compute_type.is_api_gateway(),
    },
    Row {
        folder: Folder::CdkFunctionUrl,
        dest: Dest::Constructs,
        ownership: Ownership::EachFile,
        when: |s| cdk(s) && s.compute_type == ComputeType::FunctionUrl,
    },
    Row {
        folder: Folder::TsInfra,
        dest: Dest::Infra,
        ownership: Ownership::Project,
        when: cdk,
    },
    Row {
        folder: Folder::TerraformCommon,
        dest: Dest::Terraform,
        ownership: Ownership::EachFile,
        when: terraform,
    },
    Row {
        folder: Folder::TerraformRest,
        dest: Dest::Terraform,
        ownership: Ownership::EachFile,
        when: |s| terraform(s) && s.compute_type == ComputeType::Rest,
    },
    Row {
        folder: Folder::TerraformHttp,
        dest: Dest::Terraform,
        ownership: Ownership::EachFile,
        when: |s| terraform(s) && s.compute_type == ComputeType::Http,
    },
    Row {
        folder: Folder::TerraformApi,
        dest: Dest::Terraform,
        ownership: Ownership::EachFile,
        when: |s| terraform(s) && s.compute_type.is_api_gateway(),
    },
    Row {
        folder: Folder::TerraformFunctionUrl,
        dest: Dest::Terraform,
        ownership: Ownership::EachFile,
        when: |s| terraform(s) && s.compute_type == ComputeType::FunctionUrl,
    },
    Row {
        folder: Folder::TerraformInfra,
        dest: Dest::Infra,
        ownership: Ownership::Project,
        when: terraform,
    },
    Row {
        folder: Folder::TerraformInfraCognito,
        dest: Dest::Infra,
        ownership: Ownership::EachFile,
        when: |s| terraform(s) && s.auth == Auth::Cognito,
    },
    Row {
        folder: Folder::TerraformInfraRest,
        dest: Dest::Infra,
        ownership: Ownership::EachFile,
        when: |s| terraform(s) && s.compute_type == ComputeType::Rest,
    },
];

/// The plan of `py#fast-api` for `spec` in a workspace whose npm scope is `scope`.
pub fn api(spec: &ApiSpec, scope: &str) -> Plan {
    let parts = API_TABLE
        .iter()
        .filter(|row| (row.when)(spec))
        .map(|row| Part {
            folder: row.folder,
            dest: match row.dest {
                Dest::Project => spec.root.clone(),
                Dest::Constructs => CONSTRUCTS_ROOT.to_string(),
                Dest::Infra => INFRA_ROOT.to_string(),
                Dest::Terraform => TERRAFORM_ROOT.to_string(),
            },
            ownership: row.ownership,
        })
        .collect();
    let mut lines = vec![Lines {
        path: ".gitignore".into(),
        lines: vec!["node_modules/".into(), ".venv/".into(), "dist/".into()],
    }];
    let mut insertions = Vec::new();
    let kebab = &spec.names.kebab;
    let class = &spec.names.class_name;
    match spec.iac {
        IacProvider::Cdk => {
            lines.push(constructs_gitignore());
            if spec.compute_type.is_api_gateway() {
                lines.push(Lines {
                    path: format!("{CONSTRUCTS_ROOT}/src/core/index.ts"),
                    lines: vec![format!(
                        "export * from './api/{}-api.js';",
                        spec.compute_type.key()
                    )],
                });
            }
            lines.push(Lines {
                path: format!("{CONSTRUCTS_ROOT}/src/app/apis/index.ts"),
                lines: vec![format!("export * from './{kebab}.js';")],
            });
            let mut names = vec![class.clone()];
            if spec.auth == Auth::Cognito {
                names.push("UserIdentity".into());
            }
            insertions.push(Insertion {
                what: class.clone(),
                key_path: STACK.into(),
                key: format!("new {class}(this, '{class}'"),
                imports: Some(insert::Imports {
                    path: STACK.into(),
                    module: format!(":{scope}/common-constructs"),
                    names,
                    marker: "// fastgen:imports",
                }),
                snippets: vec![Snippet {
                    path: STACK.into(),
                    marker: "// fastgen:apis",
                    template: "cdk-snippets/stack-api.ts",
                }],
            });
        }
        IacProvider::Terraform => {
            let (main, outputs) = if spec.compute_type.is_api_gateway() {
                (
                    "terraform-snippets/infra-api-main.tf",
                    "terraform-snippets/infra-api-outputs.tf",
                )
            } else {
                (
                    "terraform-snippets/infra-function-url-main.tf",
                    "terraform-snippets/infra-function-url-outputs.tf",
                )
            };
            let main_tf = format!("{INFRA_ROOT}/src/main.tf");
            insertions.push(Insertion {
                what: format!("module \"{}\"", spec.module),
                key: format!("module \"{}\" {{", spec.module),
                key_path: main_tf.clone(),
                imports: None,
                snippets: vec![
                    Snippet {
                        path: main_tf,
                        marker: "# fastgen:apis",
                        template: main,
                    },
                    Snippet {
                        path: format!("{INFRA_ROOT}/src/outputs.tf"),
                        marker: "# fastgen:outputs",
                        template: outputs,
                    },
                ],
            });
        }
        IacProvider::None => {}
    }
    Plan {
        parts,
        lines,
        insertions,
    }
}

use crate::model::Choose;

/// The plan of `ts#infra`: the CDK app and the constructs project it imports.
pub fn ts_infra() -> Plan {
    Plan {
        parts: vec![
            Part {
                folder: Folder::CdkConstructs,
                dest: CONSTRUCTS_ROOT.into(),
                ownership: Ownership::EachFile,
            },
            Part {
                folder: Folder::TsInfra,
                dest: INFRA_ROOT.into(),
                ownership: Ownership::EachFile,
            },
        ],
        lines: vec![constructs_gitignore()],
        insertions: Vec::new(),
    }
}

/// The plan of `fastgen new`.
pub fn workspace(spec: &WorkspaceSpec) -> Plan {
    let mut parts = vec![Part {
        folder: Folder::Workspace,
        dest: String::new(),
        ownership: Ownership::EachFile,
    }];
    if spec.package_manager == PackageManager::Pnpm {
        parts.push(Part {
            folder: Folder::WorkspacePnpm,
            dest: String::new(),
            ownership: Ownership::EachFile,
        });
    }
    Plan {
        parts,
        ..Plan::default()
    }
}

/// The metadata the constructs project generates at build time stays out of git.
fn constructs_gitignore() -> Lines {
    Lines {
        path: ".gitignore".into(),
        lines: vec![format!("{CONSTRUCTS_ROOT}/src/generated/")],
    }
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
        Ok(notes)
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
        Ok(())
    }
}
