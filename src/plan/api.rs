//! The tables of the plan: which folders, lines, insertions and merges each
//! generator's options choose.

use serde_json::{Value, json};

use super::{Folder, Insertion, Lines, Merge, Ownership, Part, Plan, STACK, Snippet};
use crate::edit::insert;
use crate::model::workspace::{CONSTRUCTS_ROOT, INFRA_ROOT, NX_VERSION, TERRAFORM_ROOT};
use crate::model::{
    ApiSpec, Auth, Choose, ComputeType, Facts, IacProvider, PackageManager, WorkspaceSpec,
};

/// The Node packages a CDK workspace needs, at the versions fastgen is tested with.
const CDK_DEV_DEPENDENCIES: &[(&str, &str)] = &[
    ("@types/node", "^22.20.5"),
    ("aws-cdk", "^2.1148.1"),
    ("aws-cdk-lib", "^2.276.0"),
    ("constructs", "^10.8.1"),
    ("tsx", "^4.23.15"),
    ("typescript", "^7.0.2"),
];

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
        when: |s| !s.web_adapter(),
    },
    Row {
        folder: Folder::PyFastApiLwa,
        dest: Dest::Project,
        ownership: Ownership::EachFile,
        when: |s| s.web_adapter(),
    },
    Row {
        folder: Folder::PyFastApiAuthorizer,
        dest: Dest::Project,
        ownership: Ownership::EachFile,
        when: |s| s.auth == Auth::Custom,
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
        folder: Folder::TerraformApiStreaming,
        dest: Dest::Terraform,
        ownership: Ownership::EachFile,
        when: |s| terraform(s) && s.streaming,
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

/// aws-cdk-lib bundles `@aws/cloudformation-validate`, a release the npm
/// registry does not serve. npm and pnpm install the bundled copy; Yarn and Bun
/// resolve it from the registry, so they are pointed at a release it serves.
/// Node still loads the bundled copy where the package manager keeps it, and
/// aws-cdk-lib loads the package only for its opt-in `CloudFormationValidatePlugin`.
const CDK_UNBUNDLED: &[(&str, &str)] = &[("@aws/cloudformation-validate", "1.9.0-beta")];

/// The plan of `py#fast-api` for `spec` in a workspace with `facts`.
pub fn api(spec: &ApiSpec, facts: &Facts) -> Plan {
    let scope = facts.scope.as_str();
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
                // `new MyApi(` whether the call fits on one line or prettier breaks
                // its arguments (a long name): the layout depends on the name.
                key: format!("new {class}("),
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
    let mut merges = vec![
        Merge::UvMember(spec.root.clone()),
        Merge::DevDependencies(vec![("nx", NX_VERSION)]),
    ];
    if spec.iac == IacProvider::Cdk {
        merges.extend(constructs_merges(scope, facts.package_manager));
        if spec.compute_type.is_api_gateway() {
            merges.push(Merge::NxTarget {
                project: CONSTRUCTS_ROOT.into(),
                name: format!("generate:{kebab}-metadata"),
                target: metadata_target(spec),
            });
        }
    }
    if spec.iac != IacProvider::None {
        merges.push(Merge::ImplicitDependency {
            project: INFRA_ROOT.into(),
            on: spec.module.clone(),
        });
    }
    Plan {
        parts,
        lines,
        insertions,
        merges,
    }
}

/// The constructs project's Node packages and its `:<scope>/common-constructs` alias.
fn constructs_merges(scope: &str, pm: PackageManager) -> Vec<Merge> {
    let mut merges = vec![
        Merge::DevDependencies(CDK_DEV_DEPENDENCIES.to_vec()),
        Merge::TsPath {
            alias: format!(":{scope}/common-constructs"),
            target: format!("./{CONSTRUCTS_ROOT}/src/index.ts"),
        },
    ];
    let key = match pm {
        PackageManager::Yarn => Some("resolutions"),
        PackageManager::Bun => Some("overrides"),
        PackageManager::Pnpm | PackageManager::Npm => None,
    };
    if let Some(key) = key {
        merges.push(Merge::PackageJsonEntries {
            key,
            entries: CDK_UNBUNDLED.to_vec(),
        });
    }
    merges
}

/// The Nx target that writes `src/generated/<kebab>/metadata.gen.ts` from the API's spec.
fn metadata_target(spec: &ApiSpec) -> Value {
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

/// The plan of `ts#infra`: the CDK app and the constructs project it imports.
pub fn ts_infra(facts: &Facts) -> Plan {
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
        merges: constructs_merges(&facts.scope, facts.package_manager),
    }
}

/// The plan of `fastgen new`.
pub fn workspace(spec: &WorkspaceSpec) -> Plan {
    let mut parts = vec![Part {
        folder: Folder::Workspace,
        dest: String::new(),
        ownership: Ownership::EachFile,
    }];
    let folder = match spec.package_manager {
        PackageManager::Pnpm => Some(Folder::WorkspacePnpm),
        PackageManager::Yarn => Some(Folder::WorkspaceYarn),
        PackageManager::Npm | PackageManager::Bun => None,
    };
    if let Some(folder) = folder {
        parts.push(Part {
            folder,
            dest: String::new(),
            ownership: Ownership::EachFile,
        });
    }
    let mut lines = Vec::new();
    if spec.package_manager == PackageManager::Yarn {
        lines.push(Lines {
            path: ".gitignore".into(),
            lines: vec![".yarn/".into()],
        });
    }
    Plan {
        parts,
        lines,
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
