//! insta snapshots of generated files: they guard the text; the end-to-end
//! tests prove that it works.

mod common;

use common::{snapshot_dir, workspace_with_api};

/// Snapshots every file of a workspace with `MyApi` generated with `options`,
/// or only the files whose path ends with one of `only` when it is not empty.
fn snapshot_workspace(label: &str, options: &[&str], only: &[&str]) {
    let (_dir, ws) = workspace_with_api(options);
    for (path, (bytes, _mode)) in snapshot_dir(&ws) {
        if !only.is_empty() && !only.iter().any(|suffix| path.ends_with(suffix)) {
            continue;
        }
        let name = format!("{label}__{}", path.replace(['/', '.'], "_"));
        insta::assert_snapshot!(name, String::from_utf8(bytes).unwrap());
    }
}

#[test]
fn rest_iam_cdk_workspace() {
    snapshot_workspace("rest_iam_cdk", &[], &[]);
}

#[test]
fn http_none_terraform_differences() {
    snapshot_workspace(
        "http_none_terraform",
        &[
            "--compute-type",
            "http",
            "--auth",
            "none",
            "--iac",
            "terraform",
        ],
        &[
            "my_api/init.py",
            "my_api/README.md",
            "my_api/pyproject.toml",
            "tests/conftest.py",
        ],
    );
}

#[test]
fn rest_cognito_terraform_infrastructure() {
    snapshot_workspace(
        "rest_cognito_terraform",
        &["--auth", "cognito", "--iac", "terraform"],
        &[".tf", "terraform/project.json", "infra/project.json"],
    );
}

#[test]
fn function_url_iam_cdk_differences() {
    snapshot_workspace(
        "function_url_iam_cdk",
        &["--compute-type", "function-url"],
        &[
            "my_api/run.sh",
            "my_api/init.py",
            "my_api/main.py",
            "my_api/pyproject.toml",
            "scripts/bundle.py",
            "apis/my-api.ts",
            "application-stack.ts",
        ],
    );
}
