//! The plan table: a snapshot of what each option combination renders and
//! edits, and checks that every template folder is reachable and none orphaned.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use fastgen::model::{
    ApiRequest, ApiSpec, Auth, ComputeType, Facts, IacProvider, PackageManager, WorkspaceSpec,
};
use fastgen::plan::{self, Folder, Plan, SNIPPET_FOLDERS};

/// Every valid compute type × auth × IaC combination, as a spec for `MyApi`.
fn every_spec() -> Vec<ApiSpec> {
    let mut specs = Vec::new();
    for compute_type in [
        ComputeType::Rest,
        ComputeType::Http,
        ComputeType::FunctionUrl,
    ] {
        for auth in [Auth::Iam, Auth::Cognito, Auth::Custom, Auth::None] {
            for iac in [IacProvider::Cdk, IacProvider::Terraform, IacProvider::None] {
                for streaming in [false, true] {
                    let request = ApiRequest {
                        name: "MyApi".into(),
                        compute_type,
                        auth,
                        iac,
                        streaming,
                        ..ApiRequest::default()
                    };
                    match ApiSpec::new(&request) {
                        // `--streaming` changes nothing for a Function URL: it always streams.
                        Ok(spec) if streaming && !spec.streaming => {}
                        Ok(spec) => specs.push(spec),
                        Err(_) => {}
                    }
                }
            }
        }
    }
    specs
}

/// A workspace named `demo` that uses `pm`.
fn facts(pm: PackageManager) -> Facts {
    Facts::new_workspace("demo", pm, IacProvider::Cdk)
}

fn every_plan() -> Vec<(String, Plan)> {
    let mut plans: Vec<(String, Plan)> = every_spec()
        .into_iter()
        .map(|spec| {
            let streaming = if spec.streaming { " streaming" } else { "" };
            let label = format!(
                "py#fast-api {}{streaming} {} {}",
                spec.compute_type, spec.auth, spec.iac
            );
            (label, plan::api(&spec, &facts(PackageManager::Pnpm)))
        })
        .collect();
    let rest_cdk = &every_spec()[0];
    for pm in [PackageManager::Yarn, PackageManager::Bun] {
        plans.push((
            format!("py#fast-api with {pm}"),
            plan::api(rest_cdk, &facts(pm)),
        ));
    }
    plans.push((
        "ts#infra".into(),
        plan::ts_infra(&facts(PackageManager::Npm)),
    ));
    for pm in [
        PackageManager::Pnpm,
        PackageManager::Npm,
        PackageManager::Yarn,
        PackageManager::Bun,
    ] {
        let spec = WorkspaceSpec::for_directory("demo", pm, IacProvider::Cdk);
        plans.push((
            format!("new --package-manager {pm}"),
            plan::workspace(&spec),
        ));
    }
    plans
}

#[test]
fn the_plan_of_every_combination() {
    assert_eq!(every_spec().len(), 42);
    let text: String = every_plan()
        .iter()
        .map(|(label, plan)| format!("## {label}\n{plan}\n"))
        .collect();
    insta::assert_snapshot!("plans", text);
}

fn templates() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/templates"))
}

#[test]
fn every_template_folder_is_planned_and_none_is_orphaned() {
    let on_disk: BTreeSet<String> = fs::read_dir(templates())
        .unwrap()
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().into_string().unwrap())
        .filter(|name| !name.starts_with('_') && !SNIPPET_FOLDERS.contains(&name.as_str()))
        .collect();
    let known: BTreeSet<String> = Folder::ALL.iter().map(|f| f.name().to_string()).collect();
    assert_eq!(on_disk, known, "template folders vs plan::Folder");

    let planned: BTreeSet<Folder> = every_plan()
        .iter()
        .flat_map(|(_, plan)| plan.parts.iter().map(|part| part.folder))
        .collect();
    let unplanned: Vec<&Folder> = Folder::ALL
        .iter()
        .filter(|f| !planned.contains(f))
        .collect();
    assert!(unplanned.is_empty(), "never planned: {unplanned:?}");

    let mut snippets_on_disk = BTreeSet::new();
    for folder in SNIPPET_FOLDERS {
        for entry in fs::read_dir(templates().join(folder)).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            snippets_on_disk.insert(format!("{folder}/{name}"));
        }
    }
    let planned_snippets: BTreeSet<String> = every_plan()
        .iter()
        .flat_map(|(_, plan)| plan.insertions.iter())
        .flat_map(|insertion| insertion.snippets.iter())
        .map(|snippet| snippet.template.to_string())
        .collect();
    assert_eq!(
        snippets_on_disk, planned_snippets,
        "snippet templates vs plans"
    );
}

/// Files each folder renders, relative to the folder.
fn files_of(folder: &Path, prefix: &str, out: &mut Vec<String>) {
    for entry in fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap();
        let relative = format!("{prefix}{name}");
        if path.is_dir() {
            files_of(&path, &format!("{relative}/"), out);
        } else {
            out.push(relative);
        }
    }
}

#[test]
fn no_two_parts_of_a_plan_write_the_same_file() {
    for (label, plan) in every_plan() {
        let mut seen = BTreeSet::new();
        for part in &plan.parts {
            let mut files = Vec::new();
            files_of(&templates().join(part.folder.name()), "", &mut files);
            for file in files {
                let path = format!("{}/{file}", part.dest);
                assert!(
                    seen.insert(path.clone()),
                    "{label}: {path} comes from two folders"
                );
            }
        }
    }
}

#[test]
fn templates_test_choices_by_their_flags_never_by_string() {
    let mut all = Vec::new();
    files_of(templates(), "", &mut all);
    let compared = regex_free_find(&all);
    assert!(
        compared.is_empty(),
        "compare a choice by its flag instead: {compared:?}"
    );
}

/// Template lines that compare an option value with `==`/`!=` (silently false for a choice).
fn regex_free_find(files: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for file in files {
        let text = fs::read_to_string(templates().join(file)).unwrap();
        for (number, line) in text.lines().enumerate() {
            for choice in ["compute_type", "auth", "iac", "package_manager"] {
                for op in ["==", "!="] {
                    if line.contains(&format!("{choice} {op}"))
                        || line.contains(&format!("{choice}{op}"))
                    {
                        found.push(format!("{file}:{}", number + 1));
                    }
                }
            }
        }
    }
    found
}
