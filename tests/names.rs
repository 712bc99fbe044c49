//! Names users type: short, spaced, kebab, long and with digits. Every API of
//! the corpus lives in one CDK workspace (and a subset in a Terraform one with a
//! Function URL API), and the generated code must pass its own lint and format
//! checks, its generated tests, synth and the checkov gate.

mod common;

use std::path::Path;

use common::{fastgen, link_node_modules, run, run_checkov_target, run_target};

/// A name, the project it becomes, and the options it is generated with.
struct Api {
    name: &'static str,
    module: &'static str,
    kebab: &'static str,
    options: &'static [&'static str],
}

const CORPUS: &[Api] = &[
    Api {
        name: "A",
        module: "a",
        kebab: "a",
        options: &[],
    },
    Api {
        name: "Order Service",
        module: "order_service",
        kebab: "order-service",
        options: &["--compute-type", "http", "--auth", "cognito"],
    },
    Api {
        name: "inventory-management-api",
        module: "inventory_management_api",
        kebab: "inventory-management-api",
        options: &["--compute-type", "function-url", "--auth", "none"],
    },
    Api {
        name: "CustomerAccountsReportingServiceApi",
        module: "customer_accounts_reporting_service_api",
        kebab: "customer-accounts-reporting-service-api",
        options: &["--auth", "cognito"],
    },
    Api {
        name: "api2",
        module: "api2",
        kebab: "api2",
        options: &["--compute-type", "http", "--auth", "none"],
    },
    Api {
        name: "X1",
        module: "x1",
        kebab: "x1",
        options: &["--compute-type", "function-url", "--auth", "iam"],
    },
    // 60 characters: every name-dependent line at its longest.
    Api {
        name: "Quarterly Customer Accounts Receivable Reporting Service Api",
        module: "quarterly_customer_accounts_receivable_reporting_service_api",
        kebab: "quarterly-customer-accounts-receivable-reporting-service-api",
        options: &["--compute-type", "http", "--auth", "iam"],
    },
];

/// A workspace (`--iac <iac>`) with every API of `apis` generated in it.
fn workspace(iac: &str, apis: &[&Api]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let new = fastgen(
        dir.path(),
        &[
            "new",
            "demo",
            "--package-manager",
            "npm",
            "--iac",
            iac,
            "--skip-install",
        ],
    );
    assert!(
        new.status.success(),
        "{}",
        String::from_utf8_lossy(&new.stderr)
    );
    let ws = dir.path().join("demo");
    for api in apis {
        let mut args = vec!["g", "py#fast-api", "--name", api.name, "--skip-install"];
        args.extend_from_slice(api.options);
        let out = fastgen(&ws, &args);
        assert!(
            out.status.success(),
            "{}: {}",
            api.name,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    (dir, ws)
}

/// Each API project's lint (ruff check + format check) and generated tests.
fn lint_and_test(ws: &Path, apis: &[&Api]) {
    run(ws, "uv", &["sync", "--all-packages"], &[]);
    for api in apis {
        let root = format!("packages/{}", api.module);
        run_target(ws, &root, "lint");
        let tests = run_target(ws, &root, "test");
        assert!(tests.contains(" passed"), "{}: {tests}", api.name);
    }
}

#[test]
fn every_name_in_one_cdk_workspace() {
    let apis: Vec<&Api> = CORPUS.iter().collect();
    let (_dir, ws) = workspace("cdk", &apis);
    lint_and_test(&ws, &apis);

    link_node_modules(&ws, "node-names");
    let prettier = ws.join("node_modules/.bin/prettier");
    run(
        &ws,
        prettier.to_str().unwrap(),
        &["--check", "**/*.{ts,mjs,json}"],
        &[],
    );

    let constructs = "packages/common/constructs";
    for api in &apis {
        let root = format!("packages/{}", api.module);
        run_target(&ws, &root, "openapi");
        run_target(&ws, &root, "bundle");
        if !api.options.contains(&"function-url") {
            run_target(&ws, constructs, &format!("generate:{}-metadata", api.kebab));
        }
    }
    run_target(&ws, constructs, "build");
    run_target(&ws, "packages/infra", "compile");
    run_target(&ws, "packages/infra", "synth");
    run_checkov_target(&ws);
    assert!(
        ws.join("dist/packages/infra/cdk.out/demo-infra.template.json")
            .is_file()
    );
}

#[test]
fn names_in_a_terraform_workspace() {
    let apis: Vec<&Api> = [1, 2, 3, 6].iter().map(|i| &CORPUS[*i]).collect();
    let (_dir, ws) = workspace("terraform", &apis);
    lint_and_test(&ws, &apis);
    run(
        &ws,
        "terraform",
        &["fmt", "-check", "-recursive", "-diff"],
        &[],
    );
    run_checkov_target(&ws);
}
