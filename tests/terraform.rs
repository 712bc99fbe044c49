//! Terraform: generate workspaces with `--iac terraform` and prove the modules are
//! right without a cloud account and without downloading a provider:
//!
//! 1. `terraform fmt -check` passes (Terraform must be on `PATH`: the test fails,
//!    never skips, when it is not);
//! 2. every `.tf` file parses with hcl-rs and with python-hcl2, and both parsers
//!    see the same blocks;
//! 3. every reference resolves inside its module (`var.`, `local.`, `module.M.O`,
//!    `data.T.N`, `T.N`, also inside string templates), every variable and local
//!    is used, every `module` call passes only declared variables and every
//!    required one, and the app modules have the outputs the seed reads; the
//!    seed's own example usages (`tests/fixtures/terraform/seed-usage.tf`) are
//!    checked the same way against the generated module;
//! 4. every resource, data source and provider block uses only arguments and
//!    nested blocks of the AWS provider's schema, and sets every required one
//!    (the schema is the jsii assembly of the `@cdktf/provider-aws` npm package);
//! 5. the generated `checkov` target of `packages/infra` passes (it scans the root
//!    module and `packages/common/terraform`), and every `checkov:skip` gives a reason;
//! 6. (one REST and one HTTP combination) the Lambda bundle that `archive_file`
//!    points at is built, zipped the way `archive_file` zips it, and the handler
//!    named by `aws_lambda_function` answers an API Gateway event from the zip;
//!    (Function URL with IAM) `run.sh`, the handler the Lambda Web Adapter executes,
//!    is in the zip with an executable mode and serves the app, streaming included.
//!
//! Checks 2 to 4 are the Terraform validator in `tests/terraform_check/`; this file
//! holds the tests and what they assert.
//!
//! Part of the end-to-end tier (the `e2e` feature): run with
//! `bash scripts/test.sh --test terraform` (it passes `--features e2e`, puts uv on
//! `PATH` and picks Python 3.12).

mod common;
mod terraform_check;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{
    call_bundled_handler, fastgen, run, run_checkov_target, run_target, terraform_checkov_skips,
    workspace_with_api,
};
use serde_json::Value;
use terraform_check::{
    Module, ModuleLoader, check_python_hcl2, check_references, check_schema, label, modules_under,
    normalize, resolve_path, satisfies, string_attr,
};

const COMMON_TERRAFORM: &str = "packages/common/terraform";
const INFRA: &str = "packages/infra";
/// The root module: the module calls of every API of the workspace.
const INFRA_ROOT: &str = "packages/infra/src";
/// Where the seed's example usages are put: next to the root module, so that their
/// module sources are the seed's own relative paths.
const SEED_USAGE: &str = "packages/infra/seed-usage";

/// Outputs of the app module that the seed reads or lists.
const SEED_OUTPUTS: &[&str] = &[
    "stage_invoke_url",
    "api_url",
    "api_id",
    "api_arn",
    "api_execution_arn",
    "lambda_function_name",
    "lambda_function_arn",
    "lambda_execution_role_arn",
    "lambda_execution_role_name",
];

/// Outputs of the Function URL app module: what the root module and the callers read
/// (`api_url` as for the API Gateway modules; `invoke_policy_arn` with IAM auth too).
const FUNCTION_URL_OUTPUTS: &[&str] = &[
    "function_url",
    "api_url",
    "lambda_function_name",
    "lambda_function_arn",
    "lambda_execution_role_arn",
    "lambda_execution_role_name",
];

// ---------------------------------------------------------------------------
// The combinations
// ---------------------------------------------------------------------------

/// One generated API of a workspace.
struct Api {
    /// The kebab-case name: the app module's directory and the Lambda's bundle project.
    kebab: &'static str,
    /// The Python module (and project directory under `packages/`).
    module: &'static str,
    compute_type: &'static str,
}

impl Api {
    const fn new(kebab: &'static str, module: &'static str, compute_type: &'static str) -> Api {
        Api {
            kebab,
            module,
            compute_type,
        }
    }
}

/// Generates `MyApi` with Terraform and runs every check; `bundle` also builds,
/// zips and calls the Lambda bundle.
/// A workspace with one Terraform API, `MyApi`, installed.
fn terraform_workspace(compute_type: &str, auth: &str) -> (tempfile::TempDir, PathBuf) {
    workspace_with_api(&[
        "--iac",
        "terraform",
        "--compute-type",
        compute_type,
        "--auth",
        auth,
    ])
}

fn check_combination(compute_type: &'static str, auth: &str, bundle: bool) {
    let (_dir, ws) = terraform_workspace(compute_type, auth);
    let apis = [Api {
        kebab: "my-api",
        module: "my_api",
        compute_type,
    }];
    check_workspace(&ws, &apis, auth, &format!("{compute_type}/{auth}"));
    if bundle && compute_type == "function-url" {
        check_web_adapter_bundle(&ws, &apis[0]);
    } else if bundle {
        check_bundle(&ws, &apis[0]);
    }
}

#[test]
fn rest_iam() {
    check_combination("rest", "iam", true);
}

#[test]
fn rest_cognito() {
    check_combination("rest", "cognito", false);
}

#[test]
fn rest_none() {
    check_combination("rest", "none", false);
}

/// A Lambda authorizer, on a REST API and on an HTTP API with one function per operation.
#[test]
fn rest_custom() {
    check_combination("rest", "custom", false);
}

#[test]
fn http_custom_isolated() {
    let (_dir, ws) = workspace_with_api(&[
        "--iac",
        "terraform",
        "--compute-type",
        "http",
        "--auth",
        "custom",
        "--integration-pattern",
        "isolated",
    ]);
    let apis = [Api::new("my-api", "my_api", "http")];
    check_workspace(&ws, &apis, "custom", "http/custom isolated");
    for (kind, core) in [("aws_apigatewayv2_authorizer", "http-api")] {
        let module = Module::load(&ws.join(COMMON_TERRAFORM).join("src/core/api").join(core));
        let text: String = module
            .blocks()
            .filter(|(_, b)| {
                b.identifier() == "resource" && label(b, 0) == kind && label(b, 1) == "custom"
            })
            .map(|(_, b)| hcl::to_string(b).unwrap())
            .collect();
        for want in [
            "authorizer_type = \"REQUEST\"",
            "authorizer_payload_format_version = \"2.0\"",
            "enable_simple_responses = true",
        ] {
            assert!(text.contains(want), "{core}: {want} in {text}");
        }
    }
}

#[test]
fn http_iam() {
    check_combination("http", "iam", false);
}

#[test]
fn http_cognito() {
    check_combination("http", "cognito", false);
}

#[test]
fn http_none() {
    check_combination("http", "none", true);
}

/// Streaming through a Lambda Function URL and the Lambda Web Adapter, IAM auth; the
/// bundle is zipped like `archive_file` and `run.sh` serves the app from it.
#[test]
fn function_url_iam() {
    check_combination("function-url", "iam", true);
}

#[test]
fn function_url_none() {
    check_combination("function-url", "none", false);
}

/// `--streaming` on REST, behind Cognito, shared and isolated: the functions run the app
/// behind the Lambda Web Adapter, every integration streams through Lambda's
/// response-streaming invocations, the workspace passes every check, and the bundle
/// Terraform zips serves a stream under `run.sh`.
#[test]
fn rest_streaming() {
    let streaming = ["--iac", "terraform", "--auth", "cognito", "--streaming"];
    let (_dir, ws) = workspace_with_api(&streaming);
    common::add_api(
        &ws,
        "Iso",
        &[&streaming[..], &["--integration-pattern", "isolated"]].concat(),
    );
    let apis = [
        Api::new("my-api", "my_api", "rest"),
        Api::new("iso", "iso", "rest"),
    ];
    check_workspace(&ws, &apis, "cognito", "rest streaming");
    check_web_adapter_bundle(&ws, &apis[0]);

    // The core module rewrites each invoke ARN to the response-streaming invocation.
    let routes = eval_app_locals(&ws, &apis[0], "local.routes");
    let planned = plan_core_modules(
        &ws,
        &[CoreCall {
            name: "streamed",
            kind: "rest",
            routes: &routes,
            extra: "  response_transfer_mode = \"STREAM\"\n",
        }],
    );
    let uris: Vec<&str> = planned
        .iter()
        .filter(|(address, _)| {
            address.starts_with("module.streamed.aws_api_gateway_integration.lambda_integration")
        })
        .map(|(_, after)| after["uri"].as_str().unwrap())
        .collect();
    let streaming_uri = invoke_arn("app")
        .replace("/2015-03-31/", "/2021-11-15/")
        .replace("/invocations", "/response-streaming-invocations");
    assert_eq!(
        uris,
        [streaming_uri.as_str(); 2],
        "ANY / and ANY /{{proxy+}}"
    );
}

/// An API that uses another package of the uv workspace ships it in its bundle (exported
/// from the lock, not as an editable path that would break the install) and imports it.
#[test]
fn a_workspace_library_is_bundled() {
    let (_dir, ws) = terraform_workspace("rest", "none");
    let lib = ws.join("packages/shared_lib");
    fs::create_dir_all(lib.join("shared_lib")).unwrap();
    fs::write(
        lib.join("pyproject.toml"),
        "[project]\nname = \"shared-lib\"\nversion = \"0.1.0\"\nrequires-python = \">=3.12\"\n\n\
         [build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
    )
    .unwrap();
    fs::write(lib.join("shared_lib/__init__.py"), "GREETING = \"hi\"\n").unwrap();
    let root = ws.join("pyproject.toml");
    let manifest = fs::read_to_string(&root).unwrap();
    assert!(manifest.contains("members = ["), "{manifest}");
    fs::write(
        &root,
        manifest.replacen(
            "members = [",
            "members = [\n    \"packages/shared_lib\",",
            1,
        ),
    )
    .unwrap();
    run(
        &ws.join("packages/my_api"),
        "uv",
        &["add", "shared-lib"],
        &[],
    );
    let main = ws.join("packages/my_api/my_api/main.py");
    let source = fs::read_to_string(&main).unwrap();
    fs::write(&main, format!("import shared_lib  # noqa: F401\n{source}")).unwrap();

    let api = Api::new("my-api", "my_api", "rest");
    check_bundle(&ws, &api);
    assert!(
        ws.join("dist/packages/my_api/bundle/shared_lib/__init__.py")
            .is_file(),
        "the bundle holds the workspace library"
    );
}

/// A workspace with two APIs of different kinds: `MyApi` (REST) and `Orders` (HTTP).
#[test]
fn two_apis() {
    let (_dir, ws) = terraform_workspace("rest", "iam");
    let generate = fastgen(
        &ws,
        &[
            "g",
            "py#fast-api",
            "Orders",
            "--iac",
            "terraform",
            "--compute-type",
            "http",
            "--auth",
            "cognito",
            "--skip-install",
        ],
    );
    assert!(
        generate.status.success(),
        "{}",
        String::from_utf8_lossy(&generate.stderr)
    );
    let apis = [
        Api::new("my-api", "my_api", "rest"),
        Api::new("orders", "orders", "http"),
    ];
    check_workspace(&ws, &apis, "iam", "two APIs");
}

/// `MyApi` (REST) and `Streamy` (a Function URL).
fn rest_and_function_url() -> [Api; 2] {
    [
        Api::new("my-api", "my_api", "rest"),
        Api::new("streamy", "streamy", "function-url"),
    ]
}

/// `--integration-pattern`: `MyApi` (REST) in the shared pattern, `Iso` (REST) and `Hiso`
/// (HTTP, SnapStart) isolated. The workspace passes every check; Terraform evaluates the
/// isolated modules' operations from the apps' OpenAPI specs; and `terraform plan` of the
/// core modules with those routes builds the REST resource tree, a method and an
/// integration per operation, and the HTTP routes.
#[test]
fn integration_patterns() {
    let (_dir, ws) = terraform_workspace("rest", "iam");
    let isolated = ["--iac", "terraform", "--integration-pattern", "isolated"];
    common::add_api(&ws, "Iso", &isolated);
    let http = ["--compute-type", "http", "--snap-start"];
    common::add_api(&ws, "Hiso", &[&isolated[..], &http[..]].concat());
    let apis = [
        Api::new("my-api", "my_api", "rest"),
        Api::new("iso", "iso", "rest"),
        Api::new("hiso", "hiso", "http"),
    ];
    check_workspace(&ws, &apis, "iam", "integration patterns");

    // A `{name:path}` parameter becomes a greedy route of its own function; a trailing
    // slash goes, as API Gateway matches paths without it.
    let main_py = ws.join("packages/iso/iso/main.py");
    let mut main = fs::read_to_string(&main_py).unwrap();
    main.push_str(
        "\n\n@app.get(\"/files/{file_path:path}\")\ndef read_file(file_path: str) -> dict[str, str]:\n    return {\"file_path\": file_path}\n",
    );
    main.push_str("\n\n@app.get(\"/users/\")\ndef list_users() -> list[str]:\n    return []\n");
    fs::write(&main_py, main).unwrap();
    let operations = eval_app_locals(&ws, &apis[1], "local.operations");
    assert_eq!(
        operations,
        serde_json::json!({
            "get_item": { "route_key": "GET /items/{item_id}", "route_arn": "GET/items/*" },
            "create_item": { "route_key": "POST /items", "route_arn": "POST/items" },
            "echo": { "route_key": "GET /echo", "route_arn": "GET/echo" },
            "stream": { "route_key": "GET /stream", "route_arn": "GET/stream" },
            "read_file": { "route_key": "GET /files/{file_path+}", "route_arn": "GET/files/*" },
            "list_users": { "route_key": "GET /users", "route_arn": "GET/users" },
        })
    );
    let names = eval_app_locals(&ws, &apis[1], "local.function_names");
    assert_eq!(names["get_item"], "iso-dev-get-item");
    let shared = eval_app_locals(&ws, &apis[0], "local.routes");
    assert_eq!(
        shared,
        serde_json::json!({ "ANY /": "app", "ANY /{proxy+}": "app" })
    );
    let rest_routes = eval_app_locals(&ws, &apis[1], "local.routes");
    let http_routes = eval_app_locals(&ws, &apis[2], "local.routes");

    let call = |name, kind, routes| CoreCall {
        name,
        kind,
        routes,
        extra: "",
    };
    let planned = plan_core_modules(
        &ws,
        &[
            call("shared", "rest", &shared),
            call("iso", "rest", &rest_routes),
            call("hiso", "http", &http_routes),
        ],
    );
    let of = |prefix: &str| -> Vec<&str> {
        planned
            .keys()
            .filter_map(|address| address.strip_prefix(prefix))
            .collect()
    };
    assert_eq!(
        of("module.iso.aws_api_gateway_resource.depth_1"),
        [
            r#"["/echo"]"#,
            r#"["/files"]"#,
            r#"["/items"]"#,
            r#"["/stream"]"#,
            r#"["/users"]"#
        ]
    );
    assert_eq!(
        of("module.iso.aws_api_gateway_resource.depth_2"),
        [r#"["/files/{file_path+}"]"#, r#"["/items/{item_id}"]"#]
    );
    assert!(of("module.iso.aws_api_gateway_resource.depth_3").is_empty());
    let routes = [
        r#"["GET /echo"]"#,
        r#"["GET /items/{item_id}"]"#,
        r#"["GET /stream"]"#,
        r#"["POST /items"]"#,
    ];
    let with_files = [
        &routes[..1],
        &[r#"["GET /files/{file_path+}"]"#],
        &routes[1..3],
        &[r#"["GET /users"]"#],
        &routes[3..],
    ]
    .concat();
    assert_eq!(of("module.iso.aws_api_gateway_method.app"), with_files);
    assert_eq!(
        of("module.iso.aws_api_gateway_integration.lambda_integration"),
        with_files
    );
    assert_eq!(
        of("module.iso.aws_api_gateway_method.cors_preflight").len(),
        8,
        "a preflight on / and on each of the seven resources"
    );
    assert_eq!(
        of("module.shared.aws_api_gateway_resource.depth_1"),
        [r#"["/{proxy+}"]"#]
    );
    assert_eq!(
        of("module.shared.aws_api_gateway_method.app"),
        [r#"["ANY /"]"#, r#"["ANY /{proxy+}"]"#]
    );
    assert_eq!(of("module.hiso.aws_apigatewayv2_route.app"), routes);
    assert_eq!(
        of("module.hiso.aws_apigatewayv2_integration.lambda_integration"),
        [
            r#"["create_item"]"#,
            r#"["echo"]"#,
            r#"["get_item"]"#,
            r#"["stream"]"#
        ]
    );
}

/// A call of a core API module in [`plan_core_modules`].
struct CoreCall<'a> {
    /// The module call's name.
    name: &'a str,
    /// `rest` or `http`.
    kind: &'a str,
    /// The `routes` (route key to integration id), as the app module computes them.
    routes: &'a Value,
    /// More arguments, as HCL lines (`response_transfer_mode = "STREAM"`).
    extra: &'a str,
}

/// The planned resources of [`plan_core_modules`]: each one's planned attributes by address.
type Planned = BTreeMap<String, Value>;

/// Plans the core API modules of `ws`, one module call per [`CoreCall`] (each integration
/// invoking a function named after its id), with the AWS provider (from `TF_PLUGIN_DIR`,
/// which `scripts/test.sh` finds, or downloaded) and placeholder credentials: nothing is
/// refreshed or read from AWS. Returns the resources the plan creates.
///
/// The offline provider may be older than the modules' lower bounds (5.100 here, while
/// the REST module needs 6.25 for `response_transfer_mode`): then the plan runs on a copy
/// of the modules without the arguments that provider lacks; `check_schema` checks those
/// against the schemas that have them.
fn plan_core_modules(ws: &Path, calls: &[CoreCall]) -> Planned {
    let dir = tempfile::tempdir().unwrap();
    let core = dir.path().join("core");
    copy_dir(&ws.join(COMMON_TERRAFORM).join("src/core/api"), &core);
    if let Some(version) = offline_aws_provider().filter(|v| !satisfies(">= 6.25.0", v)) {
        let rest = core.join("rest-api");
        let main = fs::read_to_string(rest.join("main.tf")).unwrap();
        let kept: Vec<&str> = main
            .lines()
            .filter(|line| !line.trim_start().starts_with("response_transfer_mode "))
            .collect();
        assert!(
            kept.len() < main.lines().count(),
            "the REST module sets response_transfer_mode"
        );
        fs::write(rest.join("main.tf"), kept.join("\n") + "\n").unwrap();
        let versions = fs::read_to_string(rest.join("versions.tf")).unwrap();
        fs::write(
            rest.join("versions.tf"),
            versions.replace(">= 6.25.0", &format!(">= {version}")),
        )
        .unwrap();
    }
    let mut root = String::from(
        r#"terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

provider "aws" {
  region                      = "eu-west-1"
  access_key                  = "plan-only"
  secret_key                  = "plan-only"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}
"#,
    );
    for call in calls {
        let integrations: serde_json::Map<String, Value> = call
            .routes
            .as_object()
            .unwrap()
            .values()
            .map(|id| {
                let id = id.as_str().unwrap();
                (id.to_string(), Value::String(invoke_arn(id)))
            })
            .collect();
        let quoted = |json: String| serde_json::to_string(&json).unwrap();
        root.push_str(&format!(
            "\nmodule \"{}\" {{\n  source       = \"./core/{}-api\"\n  name         = \"{}\"\n  integrations = jsondecode({})\n  routes       = jsondecode({})\n  auth_type    = \"IAM\"\n{}}}\n",
            call.name,
            call.kind,
            call.name,
            quoted(Value::Object(integrations).to_string()),
            quoted(call.routes.to_string()),
            call.extra,
        ));
    }
    fs::write(dir.path().join("main.tf"), root).unwrap();
    let mut init = vec!["init", "-backend=false", "-input=false", "-no-color"];
    let plugin_dir = std::env::var("TF_PLUGIN_DIR").map(|dir| format!("-plugin-dir={dir}"));
    if let Ok(flag) = &plugin_dir {
        init.push(flag);
    }
    run(dir.path(), terraform(), &init, &[]);
    run(
        dir.path(),
        terraform(),
        &[
            "plan",
            "-refresh=false",
            "-input=false",
            "-no-color",
            "-out=tfplan",
        ],
        &[],
    );
    let shown = run(dir.path(), terraform(), &["show", "-json", "tfplan"], &[]);
    let plan: Value = serde_json::from_str(&shown).unwrap();
    plan["resource_changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|change| change["change"]["actions"] == serde_json::json!(["create"]))
        .map(|change| {
            let address = change["address"].as_str().unwrap().to_string();
            (address, change["change"]["after"].clone())
        })
        .collect()
}

/// The invoke ARN of the function `name`, as `aws_lambda_function.invoke_arn` gives it.
fn invoke_arn(name: &str) -> String {
    format!(
        "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:{name}/invocations"
    )
}

/// The version of the AWS provider in `TF_PLUGIN_DIR` (a filesystem mirror), if one is set.
fn offline_aws_provider() -> Option<String> {
    let mirror = PathBuf::from(std::env::var("TF_PLUGIN_DIR").ok()?)
        .join("registry.terraform.io/hashicorp/aws");
    let mut versions: Vec<String> = fs::read_dir(&mirror)
        .ok()?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .collect();
    versions.sort();
    versions.pop()
}

/// Copies the files below `from` to `to`.
fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).unwrap();
        }
    }
}

/// `--architecture arm64`: both functions run on arm64, the streaming one with the arm64
/// Lambda Web Adapter, and the workspace passes every check.
#[test]
fn arm64() {
    let (_dir, ws) = workspace_with_api(&["--iac", "terraform", "--architecture", "arm64"]);
    let streamy = ["--iac", "terraform", "--compute-type", "function-url"];
    common::add_api(
        &ws,
        "Streamy",
        &[&streamy[..], &["--architecture", "arm64"]].concat(),
    );
    let apis = rest_and_function_url();
    check_workspace(&ws, &apis, "iam", "arm64");
    for api in &apis {
        let app = ws
            .join(COMMON_TERRAFORM)
            .join("src/app/apis")
            .join(api.kebab);
        let text: String = Module::load(&app)
            .files
            .iter()
            .map(|(path, _)| fs::read_to_string(path).unwrap())
            .collect();
        assert!(
            text.contains(r#"architectures                  = ["arm64"]"#),
            "{}",
            api.kebab
        );
        if api.compute_type == "function-url" {
            assert!(
                text.contains("layer:LambdaAdapterLayerArm64:") && !text.contains("X86"),
                "the arm64 Lambda Web Adapter"
            );
        }
    }
}

/// `--snap-start`: each function publishes versions with SnapStart, and API Gateway, the
/// Function URL and their permissions go through the `live` alias; the workspace passes
/// every check.
#[test]
fn snap_start() {
    let (_dir, ws) = workspace_with_api(&["--iac", "terraform", "--auth", "none", "--snap-start"]);
    let streamy = ["--iac", "terraform", "--compute-type", "function-url"];
    common::add_api(
        &ws,
        "Streamy",
        &[&streamy[..], &["--auth", "none", "--snap-start"]].concat(),
    );
    let apis = rest_and_function_url();
    check_workspace(&ws, &apis, "none", "SnapStart");
    for api in &apis {
        let app = Module::load(
            &ws.join(COMMON_TERRAFORM)
                .join("src/app/apis")
                .join(api.kebab),
        );
        let find = |ty: &str| -> Vec<&hcl::Block> {
            app.blocks()
                .filter(|(_, b)| b.identifier() == "resource" && label(b, 0) == ty)
                .map(|(_, b)| b)
                .collect()
        };
        let [function] = find("aws_lambda_function")[..] else {
            panic!("{}: one function", api.kebab)
        };
        let text = hcl::to_string(function).unwrap();
        assert!(text.contains("publish = true"), "{}: {text}", api.kebab);
        let snap = function
            .body()
            .blocks()
            .find(|b| b.identifier() == "snap_start")
            .and_then(|b| string_attr(b.body(), "apply_on"));
        assert_eq!(snap.as_deref(), Some("PublishedVersions"), "{}", api.kebab);
        assert_eq!(
            find("aws_lambda_alias").len(),
            1,
            "{}: the live alias",
            api.kebab
        );
        let mut invokers = find("aws_lambda_permission");
        invokers.extend(find("aws_lambda_function_url"));
        assert!(!invokers.is_empty());
        for invoker in invokers {
            let qualifier = invoker
                .body()
                .attributes()
                .find(|a| a.key.as_str() == "qualifier")
                .map(|a| a.expr.to_string());
            assert_eq!(
                qualifier.as_deref(),
                Some("aws_lambda_alias.live.name"),
                "{}: {} \"{}\" invokes the alias",
                api.kebab,
                label(invoker, 0),
                label(invoker, 1)
            );
        }
        if api.compute_type == "rest" {
            let core = app
                .blocks()
                .find(|(_, b)| b.identifier() == "module")
                .map(|(_, b)| b)
                .unwrap();
            let integrations = core
                .body()
                .attributes()
                .find(|a| a.key.as_str() == "integrations")
                .map(|a| a.expr.to_string());
            assert!(
                integrations.is_some_and(|i| i.contains("aws_lambda_alias.live.invoke_arn")),
                "API Gateway invokes the alias"
            );
        }
    }
}

/// The checks find the defects planted in `tests/fixtures/terraform/broken`, and
/// nothing else.
#[test]
fn the_checks_find_known_defects() {
    let module = Module::load(&fixtures().join("broken"));
    let mut defects = check_references(&module, &mut ModuleLoader::default());
    defects.extend(check_schema(&module));
    let expected = [
        "locals: var.missing is not declared",
        "variable \"unused\" is declared but never used",
        "aws_iam_role.missing is not a declared resource",
        "var.tags_typo is not declared",
        "\"fn\": each.* without for_each",
        "data.aws_iam_policy_document.nope is not declared",
        "./child has no variable \"extra\"",
        "required variable \"needed\" is not passed",
        "module.child.nothing: ./child has no output \"nothing\"",
        "\"assume\" > statement > principals: missing required argument \"identifiers\"",
        "\"fn\": unknown argument \"memory\"",
        "\"fn\": \"tracing_config\" is a block, not an argument",
        "\"fn\" > vpc_config: unknown argument \"bogus\"",
        "\"fn\" > vpc_config: missing required argument \"security_group_ids\"",
        "terraform_data has no argument \"triggers\"",
    ];
    let missed: Vec<&&str> = expected
        .iter()
        .filter(|e| !defects.iter().any(|d| d.contains(**e)))
        .collect();
    assert!(
        missed.is_empty(),
        "not found: {missed:#?}\nin: {defects:#?}"
    );
    // A schema defect is reported once per provider version the fixture admits.
    let distinct: std::collections::BTreeSet<&str> = defects
        .iter()
        .map(|d| d.split(" (aws ").next().unwrap())
        .collect();
    assert_eq!(distinct.len(), expected.len(), "{defects:#?}");
}

/// The seed's usages themselves use only what the AWS provider has.
#[test]
fn seed_usage_fixture_fits_the_aws_schema() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("main.tf"),
        seed_usage("http", "cognito", false),
    )
    .unwrap();
    let defects = check_schema(&Module::load(dir.path()));
    assert!(defects.is_empty(), "{defects:#?}");
}

/// Terraform version constraints, as `required_providers` writes them.
#[test]
fn version_constraints() {
    assert!(satisfies(">= 5.40.0", "6.25.0"));
    assert!(!satisfies(">= 5.40.0", "5.39.9"));
    assert!(satisfies(">= 5.40, < 7.0", "6.25.0"));
    assert!(!satisfies(">= 5.40, < 6.0", "6.25.0"));
    assert!(satisfies("~> 5.40", "5.43.0"));
    assert!(!satisfies("~> 5.40", "6.0.0"));
    assert!(!satisfies("~> 5.40.1", "5.41.0"));
    assert!(satisfies("6.25.0", "6.25.0"));
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/terraform")
}

/// Every check but the bundle, on a generated workspace; `auth` is `MyApi`'s.
fn check_workspace(ws: &Path, apis: &[Api], auth: &str, label: &str) {
    check_layout(ws, apis);
    check_fmt(ws);

    place_seed_usage(ws, apis[0].compute_type, auth, is_isolated(ws, &apis[0]));
    // packages/infra holds the seed's usages too (SEED_USAGE).
    let dirs = [COMMON_TERRAFORM, INFRA];
    let modules: Vec<Module> = dirs
        .iter()
        .flat_map(|dir| modules_under(&ws.join(dir)))
        .collect();
    check_python_hcl2(&modules);

    let mut defects = Vec::new();
    let mut loader = ModuleLoader::default();
    for module in &modules {
        defects.extend(check_references(module, &mut loader));
        defects.extend(check_schema(module));
    }
    for api in apis {
        let app = ws
            .join(COMMON_TERRAFORM)
            .join("src/app/apis")
            .join(api.kebab);
        let outputs = &loader.declarations(&app).outputs;
        let mut expected = match api.compute_type {
            "function-url" => FUNCTION_URL_OUTPUTS.to_vec(),
            _ => SEED_OUTPUTS.to_vec(),
        };
        if is_isolated(ws, api) {
            // One function per operation: their names and ARNs by operation.
            for single in ["lambda_function_name", "lambda_function_arn"] {
                expected.retain(|output| *output != single);
            }
            expected.extend(["lambda_function_names", "lambda_function_arns"]);
        }
        // `auth` is the first API's.
        if api.compute_type == "function-url" && auth == "iam" && std::ptr::eq(api, &apis[0]) {
            expected.push("invoke_policy_arn");
        }
        for output in expected {
            if !outputs.contains(output) {
                defects.push(format!(
                    "{}: no output \"{output}\" (the seed reads it)",
                    rel(ws, &app)
                ));
            }
        }
    }
    for api in apis {
        defects.extend(check_function_settings(ws, api, auth));
    }
    for api in apis.iter().filter(|api| api.compute_type == "http") {
        defects.extend(check_http_routes(ws, api));
    }
    for api in apis.iter().filter(|api| api.compute_type != "function-url") {
        defects.extend(check_access_log_format(ws, api.compute_type));
    }
    if auth == "cognito" {
        defects.extend(check_user_pool(ws));
    }
    if apis.iter().any(|api| api.compute_type == "rest") {
        defects.extend(check_cloudwatch_role(ws));
    }
    defects.extend(check_environment_in_names(&modules));
    assert!(
        defects.is_empty(),
        "{label}: {} defects in the generated Terraform:\n{}",
        defects.len(),
        defects.join("\n")
    );

    fs::remove_dir_all(ws.join(SEED_USAGE)).unwrap();
    check_checkov(ws, apis, auth, label);
}

/// The Lambda function settings that only show once deployed: a timeout below API
/// Gateway's integration timeout, responses kept out of X-Ray traces, a reserved
/// concurrency bounding a public Function URL, and logs on the function's group only.
fn check_function_settings(ws: &Path, api: &Api, auth: &str) -> Vec<String> {
    let app = Module::load(
        &ws.join(COMMON_TERRAFORM)
            .join("src/app/apis")
            .join(api.kebab),
    );
    let default_of = |name: &str| {
        app.blocks()
            .find(|(_, b)| b.identifier() == "variable" && label(b, 0) == name)
            .and_then(|(_, b)| b.body().attributes().find(|a| a.key.as_str() == "default"))
            .map(|a| a.expr.to_string())
    };
    let mut defects = Vec::new();
    let timeout = default_of("timeout").unwrap_or_default();
    let reserved = default_of("reserved_concurrent_executions").unwrap_or_default();
    if api.compute_type == "function-url" {
        let want = if auth == "none" { "10" } else { "-1" };
        if reserved != want {
            defects.push(format!(
                "{}: reserved_concurrent_executions defaults to {reserved}, not {want}",
                api.kebab
            ));
        }
    } else if timeout.parse::<u32>().map_or(true, |t| t >= 29) {
        defects.push(format!(
            "{}: the timeout ({timeout}) is not below API Gateway's 29 s",
            api.kebab
        ));
    }
    let capture = app.files.iter().any(|(path, _)| {
        fs::read_to_string(path).unwrap().lines().any(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            words == ["POWERTOOLS_TRACER_CAPTURE_RESPONSE", "=", "\"false\""]
        })
    });
    if !capture {
        defects.push(format!(
            "{}: POWERTOOLS_TRACER_CAPTURE_RESPONSE is not \"false\"",
            api.kebab
        ));
    }
    defects.extend(check_log_permissions(&app, api.kebab));
    defects
}

/// The execution role writes logs to the function's own log group only: no managed
/// policy with `logs:*` on every group, and an inline policy on that group's streams.
fn check_log_permissions(app: &Module, api: &str) -> Vec<String> {
    let mut defects = Vec::new();
    for (_, block) in app.blocks() {
        let text = hcl::to_string(block).unwrap();
        for broad in [
            "AWSLambdaBasicExecutionRole",
            "AWSLambdaVPCAccessExecutionRole",
        ] {
            if text.contains(broad) {
                defects.push(format!(
                    "{api}: {} \"{}\" grants {broad} (logs on every log group)",
                    label(block, 0),
                    label(block, 1)
                ));
            }
        }
    }
    let logs = app.blocks().find(|(_, b)| {
        b.identifier() == "resource"
            && label(b, 0) == "aws_iam_role_policy"
            && label(b, 1) == "lambda_logs"
    });
    let scoped = logs.is_some_and(|(_, b)| {
        let policy = hcl::to_string(b).unwrap();
        (policy.contains("${aws_cloudwatch_log_group.lambda_logs.arn}:*")
            || policy.contains(
                "[for group in aws_cloudwatch_log_group.lambda_logs : \"${group.arn}:*\"]",
            ))
            && policy.contains("logs:PutLogEvents")
            && !policy.contains("logs:*")
    });
    if !scoped {
        defects.push(format!(
            "{api}: no policy limits the function's logs to aws_cloudwatch_log_group.lambda_logs"
        ));
    }
    defects
}

/// The root module's Cognito user pool holds the users: protected from deletion by
/// Cognito and by Terraform, with case-insensitive emails.
fn check_user_pool(ws: &Path) -> Vec<String> {
    let root = Module::load(&ws.join(INFRA_ROOT));
    let Some((_, pool)) = root
        .blocks()
        .find(|(_, b)| b.identifier() == "resource" && label(b, 0) == "aws_cognito_user_pool")
    else {
        return vec!["infra: no aws_cognito_user_pool".into()];
    };
    let body = pool.body();
    let attr = |body: &hcl::Body, key: &str| {
        body.attributes()
            .find(|a| a.key.as_str() == key)
            .map(|a| a.expr.to_string())
    };
    let nested = |name: &str, key: &str| {
        body.blocks()
            .find(|b| b.identifier() == name)
            .and_then(|b| attr(b.body(), key))
    };
    let mut defects = Vec::new();
    for (found, want, what) in [
        (
            attr(body, "deletion_protection"),
            "\"ACTIVE\"",
            "deletion_protection",
        ),
        (
            nested("lifecycle", "prevent_destroy"),
            "true",
            "lifecycle.prevent_destroy",
        ),
        (
            nested("username_configuration", "case_sensitive"),
            "false",
            "username_configuration.case_sensitive",
        ),
    ] {
        if found.as_deref() != Some(want) {
            defects.push(format!("infra: user pool {what} is {found:?}, not {want}"));
        }
    }
    defects
}

/// Resource types whose names are unique in an account (and region), with the arguments
/// that name them.
const UNIQUELY_NAMED: &[(&str, &[&str])] = &[
    ("aws_lambda_function", &["function_name"]),
    ("aws_iam_role", &["name", "name_prefix"]),
    ("aws_iam_policy", &["name", "name_prefix"]),
    ("aws_cloudwatch_log_group", &["name"]),
    ("aws_ssm_parameter", &["name"]),
    ("aws_cognito_user_pool", &["name"]),
];

/// Two environments of the workspace can share an account and region: the root module
/// names each API after the environment, and every uniquely named resource takes its
/// name from the API's name (a module) or from the environment (the root module).
fn check_environment_in_names(modules: &[Module]) -> Vec<String> {
    let mut defects = Vec::new();
    // The seed's own usages (SEED_USAGE) call the modules as its guide does.
    for module in modules.iter().filter(|m| !m.dir.ends_with(SEED_USAGE)) {
        let root = module.dir.ends_with(INFRA_ROOT);
        for (path, block) in module.blocks() {
            let named: &[&str] = match (block.identifier(), label(block, 0)) {
                ("module", _) if root => &["name"],
                ("resource", ty) => UNIQUELY_NAMED
                    .iter()
                    .find(|(t, _)| *t == ty)
                    .map_or(&[], |(_, args)| args),
                _ => &[],
            };
            let is_call = block.identifier() == "module";
            if root && is_call && !block.body().attributes().any(|a| a.key.as_str() == "name") {
                defects.push(format!(
                    "{}: module \"{}\" is not given a name with the environment",
                    path.display(),
                    label(block, 0)
                ));
            }
            for attr in block.body().attributes() {
                if !named.contains(&attr.key.as_str()) {
                    continue;
                }
                let expr = attr.expr.to_string();
                let from = if root {
                    ["var.environment"].as_slice()
                } else {
                    &[
                        "var.name",
                        "local.function_name",
                        "aws_",
                        "var.runtime_config_parameter_name",
                    ]
                };
                if !from.iter().any(|f| expr.contains(f)) {
                    defects.push(format!(
                        "{}: {} \"{}\": {} = {expr} is the same in every environment",
                        path.display(),
                        block.identifier(),
                        label(block, if is_call { 0 } else { 1 }),
                        attr.key
                    ));
                }
            }
        }
    }
    defects
}

/// API Gateway's account-wide CloudWatch role stays out of Terraform's state, so a destroy
/// cannot remove it: no resource sets or owns it, and the first apply runs the script
/// that sets it only where the account has none (tested in tests/e2e.rs).
fn check_cloudwatch_role(ws: &Path) -> Vec<String> {
    let root = Module::load(&ws.join(INFRA_ROOT));
    let mut defects = Vec::new();
    for (_, block) in root.blocks().filter(|(_, b)| b.identifier() == "resource") {
        let ty = label(block, 0);
        let text = hcl::to_string(block).unwrap();
        if ty == "aws_api_gateway_account"
            || (ty == "aws_iam_role" && text.contains("apigateway.amazonaws.com"))
        {
            defects.push(format!(
                "infra: {ty}.{} owns the account-wide setting",
                label(block, 1)
            ));
        }
    }
    let Some((_, setter)) = root.blocks().find(|(_, b)| {
        b.identifier() == "resource"
            && label(b, 0) == "terraform_data"
            && label(b, 1) == "api_gateway_account"
    }) else {
        return [
            defects,
            vec!["infra: no terraform_data.api_gateway_account".into()],
        ]
        .concat();
    };
    let command = setter
        .body()
        .blocks()
        .find(|b| b.identifier() == "provisioner" && label(b, 0) == "local-exec")
        .and_then(|p| string_attr(p.body(), "command"))
        .unwrap_or_default();
    if !command.contains("python ../scripts/api_gateway_account.py")
        || !ws
            .join(INFRA)
            .join("scripts/api_gateway_account.py")
            .is_file()
    {
        defects.push(format!(
            "infra: the role is not set by the script: {command:?}"
        ));
    }
    defects
}

/// The stage's access log lines carry the ids the app logs: `requestId` (its
/// `correlation_id`) and `functionRequestId` (its `function_request_id`).
fn check_access_log_format(ws: &Path, compute_type: &str) -> Vec<String> {
    let dir = format!("src/core/api/{compute_type}-api");
    let core = Module::load(&ws.join(COMMON_TERRAFORM).join(&dir));
    let stage = core.blocks().find(|(_, b)| {
        b.identifier() == "resource"
            && matches!(
                label(b, 0),
                "aws_api_gateway_stage" | "aws_apigatewayv2_stage"
            )
    });
    let settings = stage.and_then(|(_, b)| {
        b.body()
            .blocks()
            .find(|s| s.identifier() == "access_log_settings")
            .map(|s| hcl::to_string(s.body()).unwrap())
    });
    let settings = settings.unwrap_or_default();
    let mut defects = Vec::new();
    for field in [
        r#"requestId = "$context.requestId""#,
        r#"functionRequestId = "$context.integration.requestId""#,
    ] {
        let compact: String = settings.split_whitespace().collect::<Vec<_>>().join(" ");
        if !compact.contains(field) {
            defects.push(format!("{dir}: the access log format has no {field}"));
        }
    }
    defects
}

/// The routes of an HTTP API, as Terraform evaluates the app module's `local.routes`:
/// never ANY or OPTIONS (API Gateway answers a CORS preflight only when no route matches
/// it); every method on / and /{proxy+} in the shared pattern, the app's operations in
/// the isolated one.
fn check_http_routes(ws: &Path, api: &Api) -> Vec<String> {
    let routes = eval_app_locals(ws, api, "local.routes");
    let keys: Vec<String> = routes.as_object().unwrap().keys().cloned().collect();
    let mut defects = Vec::new();
    for key in &keys {
        let method = key.split(' ').next().unwrap_or_default();
        if method == "ANY" || method == "OPTIONS" {
            defects.push(format!(
                "{}: route \"{key}\" takes the CORS preflight through the authorizer",
                api.kebab
            ));
        }
    }
    let mut expected = Vec::new();
    if is_isolated(ws, api) {
        expected.extend(
            [
                "GET /items/{item_id}",
                "POST /items",
                "GET /echo",
                "GET /stream",
            ]
            .map(String::from),
        );
    } else {
        for method in ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] {
            for path in ["/", "/{proxy+}"] {
                expected.push(format!("{method} {path}"));
            }
        }
    }
    for key in &expected {
        if !keys.contains(key) {
            defects.push(format!("{}: no route \"{key}\"", api.kebab));
        }
    }
    if keys.len() != expected.len() {
        defects.push(format!("{}: routes {keys:?}, not {expected:?}", api.kebab));
    }
    defects
}

/// Whether `api` was generated with `--integration-pattern isolated` (its record says).
fn is_isolated(ws: &Path, api: &Api) -> bool {
    let pyproject =
        fs::read_to_string(ws.join("packages").join(api.module).join("pyproject.toml")).unwrap();
    pyproject.contains("integration-pattern = \"isolated\"")
}

/// Evaluates `expression` over the `locals` block of `api`'s app module with `terraform
/// console` (no provider needed): the block is copied alone, with the workspace root
/// made absolute and `var.name` set. An isolated API reads its OpenAPI spec, so this
/// writes it first.
fn eval_app_locals(ws: &Path, api: &Api, expression: &str) -> Value {
    if is_isolated(ws, api) {
        run_target(ws, &format!("packages/{}", api.module), "openapi");
    }
    let main = fs::read_to_string(
        ws.join(COMMON_TERRAFORM)
            .join("src/app/apis")
            .join(api.kebab)
            .join("main.tf"),
    )
    .unwrap();
    let start = main.find("\nlocals {\n").expect("a locals block") + 1;
    let end = start
        + main[start..]
            .find("\n}\n")
            .expect("the end of the locals block")
        + 3;
    let root = ws.canonicalize().unwrap();
    let locals = main[start..end].replace(
        "\"${path.module}/../../../../../../..\"",
        &format!("\"{}\"", root.display()),
    );
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("main.tf"),
        format!(
            "{locals}\nvariable \"name\" {{\n  default = \"{}-dev\"\n}}\n",
            api.kebab
        ),
    )
    .unwrap();
    let mut console = Command::new(terraform())
        .arg("console")
        .current_dir(dir.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    writeln!(console.stdin.take().unwrap(), "jsonencode({expression})").unwrap();
    let output = console.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "terraform console: {expression}:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let quoted: String = serde_json::from_str(stdout.trim()).unwrap();
    serde_json::from_str(&quoted).unwrap()
}

/// The projects and modules the generator promises, and the root module's calls.
fn check_layout(ws: &Path, apis: &[Api]) {
    for project in [COMMON_TERRAFORM, INFRA] {
        let project_json: Value = serde_json::from_str(
            &fs::read_to_string(ws.join(project).join("project.json"))
                .unwrap_or_else(|e| panic!("{project}/project.json: {e}")),
        )
        .unwrap();
        for target in ["fmt", "validate"] {
            assert!(
                project_json["targets"][target].is_object(),
                "{project}/project.json has no `{target}` target"
            );
        }
        if project == INFRA {
            // `build` runs the checks that need no `terraform init`.
            assert_eq!(
                project_json["targets"]["build"]["dependsOn"],
                serde_json::json!(["fmt", { "dependencies": true, "target": "fmt" }, "checkov"]),
                "{project}/project.json: build"
            );
        }
    }
    let infra = Module::load(&ws.join(INFRA_ROOT));
    for api in apis {
        let mut dirs = vec![format!("src/app/apis/{}", api.kebab)];
        match api.compute_type {
            "rest" => dirs.push("src/core/api/rest-api".into()),
            "http" => dirs.push("src/core/api/http-api".into()),
            // A Function URL needs no API Gateway: the app module is all there is.
            _ => {}
        }
        for dir in dirs {
            for file in ["main.tf", "variables.tf", "outputs.tf", "versions.tf"] {
                let path = ws.join(COMMON_TERRAFORM).join(&dir).join(file);
                assert!(path.is_file(), "missing {}", rel(ws, &path));
            }
        }
        let call = infra
            .blocks()
            .find(|(_, b)| b.identifier() == "module" && label(b, 0) == api.module)
            .unwrap_or_else(|| panic!("{INFRA_ROOT} has no `module \"{}\"`", api.module));
        assert_eq!(
            string_attr(call.1.body(), "source").as_deref(),
            Some(format!("../../common/terraform/src/app/apis/{}", api.kebab).as_str()),
            "{INFRA_ROOT}: module \"{}\" source",
            api.module
        );
    }
}

// ---------------------------------------------------------------------------
// 1. terraform fmt
// ---------------------------------------------------------------------------

/// The Terraform CLI, or a failure that says how to get it.
fn terraform() -> &'static str {
    static FOUND: OnceLock<()> = OnceLock::new();
    FOUND.get_or_init(|| {
        let version = Command::new("terraform").arg("version").output();
        match version {
            Ok(out) if out.status.success() => {}
            other => panic!(
                "terraform is not on PATH ({other:?}): install Terraform 1.5 or newer to run the Terraform tests"
            ),
        }
    });
    "terraform"
}

/// `terraform fmt -check -recursive -diff` on both Terraform projects, directly and
/// through their `fmt` targets.
fn check_fmt(ws: &Path) {
    for dir in [COMMON_TERRAFORM, INFRA] {
        run(
            ws,
            terraform(),
            &["fmt", "-check", "-recursive", "-diff", dir],
            &[],
        );
        run_target(ws, dir, "fmt");
    }
}

// ---------------------------------------------------------------------------
// The seed's example usages
// ---------------------------------------------------------------------------

/// Renders the seed's example usages next to the root module.
fn place_seed_usage(ws: &Path, compute_type: &str, auth: &str, isolated: bool) {
    let dir = ws.join(SEED_USAGE);
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("main.tf"),
        seed_usage(compute_type, auth, isolated),
    )
    .unwrap();
}

/// `tests/fixtures/terraform/seed-usage.tf.jinja` for `MyApi` with these options; for
/// a Function URL, [`FUNCTION_URL_USAGE`].
fn seed_usage(compute_type: &str, auth: &str, isolated: bool) -> String {
    if compute_type == "function-url" {
        let mut env = minijinja::Environment::new();
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_keep_trailing_newline(true);
        return env
            .render_str(FUNCTION_URL_USAGE, minijinja::context! { auth })
            .unwrap();
    }
    let template = fs::read_to_string(fixtures().join("seed-usage.tf.jinja")).unwrap();
    let mut env = minijinja::Environment::new();
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_keep_trailing_newline(true);
    env.render_str(
        &template,
        minijinja::context! { compute_type, auth, isolated },
    )
    .unwrap()
}

/// The seed's usages of the app module ("FastAPI のデプロイ", "CORS カスタマイズ例",
/// "統合へのアクセス", "デフォルトオプションのカスタマイズ", "アクセス権付与") and what its
/// streaming example outputs and publishes, for the Function URL module of `MyApi`.
const FUNCTION_URL_USAGE: &str = r#"variable "environment" {
  type    = string
  default = "dev"
}

locals {
  common_tags = {
    Project     = "demo"
    Environment = var.environment
  }
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "private_a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_security_group" "lambda_sg" {
  vpc_id = aws_vpc.main.id
}

resource "aws_iam_role" "authenticated_user_role" {
  name = "AuthenticatedUserRole"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Action    = "sts:AssumeRoleWithWebIdentity"
        Principal = { Federated = "cognito-identity.amazonaws.com" }
      }
    ]
  })
}

# FastAPI のデプロイ
module "my_api" {
  source = "../../common/terraform/src/app/apis/my-api"

  env = {
    ENVIRONMENT = var.environment
    LOG_LEVEL   = "INFO"
  }

  additional_iam_policy_statements = [
    # 追加権限
  ]

  tags = local.common_tags
}

# ストリーミング: the URL, as the seed's example outputs it
output "my_api_url" {
  description = "URL for the streaming FastAPI Lambda Function"
  value       = module.my_api.function_url
}

# CORS カスタマイズ例, deployed a second time under other names
module "my_api_cors" {
  source = "../../common/terraform/src/app/apis/my-api"

  name                          = "my-api-cors"
  runtime_config_parameter_name = "/runtime-config/apis/MyApiCors"
  cors_allow_origins            = ["https://myapp.com", "https://staging.myapp.com"]
  cors_allow_methods            = ["GET", "POST", "PUT", "DELETE"]
  cors_allow_headers = [
    "authorization",
    "content-type",
    "x-custom-header"
  ]

  tags = local.common_tags
}

# 統合へのアクセス: more permissions for the Lambda function
resource "aws_iam_role_policy" "additional_permissions" {
  name = "additional-api-permissions"
  role = module.my_api.lambda_execution_role_name

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject"]
        Resource = "arn:aws:s3:::my-bucket/*"
      }
    ]
  })
}

# デフォルトオプションのカスタマイズ: the VPC variables
module "my_api_vpc" {
  source = "../../common/terraform/src/app/apis/my-api"

  name                          = "my-api-vpc"
  runtime_config_parameter_name = "/runtime-config/apis/MyApiVpc"
  vpc_subnet_ids                = [aws_subnet.private_a.id]
  vpc_security_group_ids        = [aws_security_group.lambda_sg.id]
  web_adapter_layer_arn         = "arn:aws:lambda:eu-west-1:753240598075:layer:LambdaAdapterLayerX86:25"

  tags = local.common_tags
}
{% if auth == "iam" %}

# アクセス権付与 (IAM): the module's lambda:InvokeFunctionUrl policy
resource "aws_iam_role_policy_attachment" "api_invoke_access" {
  role       = aws_iam_role.authenticated_user_role.name
  policy_arn = module.my_api.invoke_policy_arn
}
{% endif %}

# 主要出力
output "lambda_function_name" {
  value = module.my_api.lambda_function_name
}

output "lambda_function_arn" {
  value = module.my_api.lambda_function_arn
}

output "lambda_execution_role_arn" {
  value = module.my_api.lambda_execution_role_arn
}

output "api_url" {
  value = module.my_api.api_url
}
"#;

// ---------------------------------------------------------------------------
// 5. checkov
// ---------------------------------------------------------------------------

/// Runs the generated `checkov` target and `build`, which depends on it; every skip in the
/// modules gives a reason, and the public Function URL's is there with auth None only.
fn check_checkov(ws: &Path, apis: &[Api], auth: &str, label: &str) {
    let mut skipped = Vec::new();
    for dir in [COMMON_TERRAFORM, INFRA] {
        skipped.extend(terraform_checkov_skips(&ws.join(dir)));
    }
    assert_eq!(
        skipped.iter().any(|id| id == "CKV_AWS_258"),
        apis.iter().any(|api| api.compute_type == "function-url") && auth == "none",
        "{label}: CKV_AWS_258 (a URL without auth) is skipped with auth None only: {skipped:?}"
    );
    let summary = run_checkov_target(ws);
    run_target(ws, INFRA, "build");
    skipped.sort();
    skipped.dedup();
    eprintln!("checkov {label}: {summary}; skipped in the modules: {skipped:?}");
}

// ---------------------------------------------------------------------------
// 6. The Lambda bundle, zipped like archive_file
// ---------------------------------------------------------------------------

/// Builds the bundle, zips the directory `archive_file` names, and calls the handler
/// that `aws_lambda_function` names from the extracted zip.
fn check_bundle(ws: &Path, api: &Api) {
    run(ws, "uv", &["sync", "--all-packages"], &[]);
    run_target(ws, &format!("packages/{}", api.module), "bundle");

    let app_dir = ws
        .join(COMMON_TERRAFORM)
        .join("src/app/apis")
        .join(api.kebab);
    let app = Module::load(&app_dir);
    let archive = app
        .blocks()
        .find(|(_, b)| b.identifier() == "data" && label(b, 0) == "archive_file")
        .map(|(_, b)| b)
        .expect("the app module has a data \"archive_file\"");
    let source_dir = resolve_path(&ws.join(INFRA_ROOT), &app, archive.body(), "source_dir");
    let output_path = resolve_path(&ws.join(INFRA_ROOT), &app, archive.body(), "output_path");
    let bundle = ws.join("dist/packages").join(api.module).join("bundle");
    assert_eq!(
        normalize(&source_dir),
        normalize(&bundle),
        "archive_file.source_dir must be the bundle target's output"
    );
    assert!(
        !normalize(&output_path).starts_with(normalize(&source_dir)),
        "archive_file.output_path {} is inside source_dir: the zip would zip itself",
        output_path.display()
    );
    assert!(
        normalize(&output_path).starts_with(normalize(&ws.join("dist"))),
        "archive_file.output_path {} is not under dist/ (git-ignored build output)",
        output_path.display()
    );

    let lambda = app
        .blocks()
        .find(|(_, b)| b.identifier() == "resource" && label(b, 0) == "aws_lambda_function")
        .map(|(_, b)| b)
        .expect("the app module has an aws_lambda_function");
    assert_eq!(
        string_attr(lambda.body(), "runtime").as_deref(),
        Some("python3.12")
    );
    let handler = string_attr(lambda.body(), "handler").expect("a literal handler");
    assert_eq!(handler, format!("{}.main.handler", api.module));

    let zip_dir = tempfile::tempdir().unwrap();
    let zip = zip_dir.path().join("lambda.zip");
    let extracted = zip_dir.path().join("extracted");
    let names = zip_like_archive_file(&source_dir, &zip, &extracted);
    let main = format!("{}/main.py", api.module);
    assert!(names.contains(&main), "the zip holds {main}");

    let response = call_bundled_handler(&extracted, api.module, api.compute_type);
    assert_eq!(response["statusCode"], 200, "{response}");
    let body: Value = serde_json::from_str(response["body"].as_str().unwrap()).unwrap();
    assert_eq!(body, serde_json::json!({"message": "hi"}), "{response}");
    // The bytecode is still valid in the zip Terraform deploys.
    common::check_bundle_bytecode(&extracted, api.module);
}

/// Builds the bundle of an API behind the Lambda Web Adapter (a Function URL, or a
/// streaming REST API), zips the directory `archive_file` names with
/// its `output_file_mode`, and starts the handler the Lambda Web Adapter executes
/// (`run.sh` from the extracted zip, as `/var/task/run.sh` in Lambda) with the port the
/// module sets: the app answers over HTTP and streams.
fn check_web_adapter_bundle(ws: &Path, api: &Api) {
    run(ws, "uv", &["sync", "--all-packages"], &[]);
    run_target(ws, &format!("packages/{}", api.module), "bundle");

    let app_dir = ws
        .join(COMMON_TERRAFORM)
        .join("src/app/apis")
        .join(api.kebab);
    let app = Module::load(&app_dir);
    let archive = app
        .blocks()
        .find(|(_, b)| b.identifier() == "data" && label(b, 0) == "archive_file")
        .map(|(_, b)| b)
        .expect("the app module has a data \"archive_file\"");
    let source_dir = resolve_path(&ws.join(INFRA_ROOT), &app, archive.body(), "source_dir");
    let bundle = ws.join("dist/packages").join(api.module).join("bundle");
    assert_eq!(
        normalize(&source_dir),
        normalize(&bundle),
        "archive_file.source_dir must be the bundle target's output"
    );
    let mode = string_attr(archive.body(), "output_file_mode").expect(
        "archive_file sets output_file_mode (else the zip depends on the checkout's modes)",
    );

    let lambda = app
        .blocks()
        .find(|(_, b)| b.identifier() == "resource" && label(b, 0) == "aws_lambda_function")
        .map(|(_, b)| b)
        .expect("the app module has an aws_lambda_function");
    assert_eq!(
        string_attr(lambda.body(), "runtime").as_deref(),
        Some("python3.12")
    );
    let handler = string_attr(lambda.body(), "handler").expect("a literal handler");
    assert_eq!(handler, "run.sh");
    // The adapter's settings, whatever `terraform fmt` aligns, in the module's files.
    let text: String = app
        .files
        .iter()
        .map(|(path, _)| fs::read_to_string(path).unwrap())
        .collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut settings = vec![
        "AWS_LAMBDA_EXEC_WRAPPER = \"/opt/bootstrap\"",
        "AWS_LWA_INVOKE_MODE = \"response_stream\"",
        "PORT = \"8000\"",
        "layers = [local.web_adapter_layer_arn]",
        ":753240598075:layer:LambdaAdapterLayerX86:24",
    ];
    settings.push(match api.compute_type {
        "function-url" => "invoke_mode = \"RESPONSE_STREAM\"",
        _ => "response_transfer_mode = \"STREAM\"",
    });
    for setting in settings {
        assert!(text.contains(setting), "{}: no {setting}", api.kebab);
    }

    let zip_dir = tempfile::tempdir().unwrap();
    let zip = zip_dir.path().join("lambda.zip");
    let extracted = zip_dir.path().join("extracted");
    let members = zip_with_mode(&source_dir, &zip, &extracted, &mode);
    assert_eq!(
        members.get("run.sh").copied(),
        Some(0o755),
        "run.sh must be at the root of the zip and executable: the adapter executes it"
    );
    let main = format!("{}/main.py", api.module);
    assert!(members.contains_key(&main), "the zip holds {main}");

    let server = FunctionUrlApp::start(&extracted);
    let echo = server.get("/echo?message=hi");
    assert!(echo.starts_with("HTTP/1.1 200"), "{echo}");
    let body = echo.split("\r\n\r\n").nth(1).unwrap_or_default();
    let body: Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {echo}"));
    assert_eq!(body, serde_json::json!({"message": "hi"}), "{echo}");

    let stream = server.get("/stream?count=3&interval=0");
    assert!(stream.starts_with("HTTP/1.1 200"), "{stream}");
    let body = stream.split("\r\n\r\n").nth(1).unwrap_or_default();
    let chunks: Vec<Value> = body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {stream}")))
        .collect();
    assert_eq!(chunks.len(), 3, "{stream}");
    assert_eq!(chunks[2]["message"], "This is chunk 2", "{stream}");
    drop(server);
    common::check_bundle_bytecode(&extracted, api.module);
}

/// The app served by `run.sh` from an extracted bundle, as the Lambda Web Adapter starts
/// it: `PORT` set, the bundle read-only in spirit, `python3` on `PATH` being Python 3.12.
struct FunctionUrlApp {
    child: std::process::Child,
    port: u16,
    _bin: tempfile::TempDir,
}

impl FunctionUrlApp {
    fn start(bundle: &Path) -> FunctionUrlApp {
        // `python3` on PATH is the Lambda runtime's interpreter: here, the tests' 3.12.
        let python = run(
            Path::new("/"),
            common::python312().to_str().unwrap(),
            &["-c", "import sys; print(sys.executable)"],
            &[],
        );
        let bin = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(python.trim(), bin.path().join("python3")).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let path = format!(
            "{}:{}",
            bin.path().display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let child = Command::new(bundle.join("run.sh"))
            .current_dir(bundle)
            .env("PATH", path)
            .env("PORT", port.to_string())
            .env("POWERTOOLS_TRACE_DISABLED", "true")
            .env("AWS_REGION", "us-east-1")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot execute run.sh: {e}"));
        let mut app = FunctionUrlApp {
            child,
            port,
            _bin: bin,
        };
        // The adapter waits for the app the same way: until the port answers.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(status) = app.child.try_wait().unwrap() {
                panic!("run.sh exited with {status} before serving");
            }
            assert!(
                std::time::Instant::now() < deadline,
                "run.sh did not serve on port {port} within 30 s"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        app
    }

    /// The raw HTTP/1.1 response to `GET path`, without chunked encoding (HTTP/1.0 request).
    fn get(&self, path: &str) -> String {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(30)))
            .unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.0\r\nHost: localhost\r\nx-correlation-id: e2e\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
    }
}

impl Drop for FunctionUrlApp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Zips `source` as `archive_file` does with `output_file_mode` (every file, relative
/// paths, deflate, that mode), then extracts it with the modes; returns each member's mode.
fn zip_with_mode(
    source: &Path,
    zip: &Path,
    extract_to: &Path,
    mode: &str,
) -> BTreeMap<String, u32> {
    const SCRIPT: &str = r#"
import os, stat, sys, zipfile
src, out, dest, mode = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4], 8)
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for root, dirs, files in os.walk(src):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            info = zipfile.ZipInfo(os.path.relpath(path, src).replace(os.sep, "/"))
            info.external_attr = (stat.S_IFREG | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as f:
                z.writestr(info, f.read())
with zipfile.ZipFile(out) as z:
    for info in z.infolist():
        z.extract(info, dest)
        member_mode = (info.external_attr >> 16) & 0o7777
        os.chmod(os.path.join(dest, info.filename), member_mode)
        print(f"{member_mode:o} {info.filename}")
"#;
    let out = run(
        Path::new("/"),
        common::python312().to_str().unwrap(),
        &[
            "-c",
            SCRIPT,
            source.to_str().unwrap(),
            zip.to_str().unwrap(),
            extract_to.to_str().unwrap(),
            mode,
        ],
        &[],
    );
    out.lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(mode, name)| (name.to_string(), u32::from_str_radix(mode, 8).unwrap()))
        .collect()
}

/// Zips `source` as `archive_file` does (every file, relative paths, deflate), then
/// extracts it; returns the member names.
fn zip_like_archive_file(source: &Path, zip: &Path, extract_to: &Path) -> Vec<String> {
    const SCRIPT: &str = r#"
import os, sys, zipfile
src, out, dest = sys.argv[1:4]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for root, dirs, files in os.walk(src):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            z.write(path, os.path.relpath(path, src).replace(os.sep, "/"))
with zipfile.ZipFile(out) as z:
    z.extractall(dest)
    print("\n".join(z.namelist()))
"#;
    let out = run(
        Path::new("/"),
        common::python312().to_str().unwrap(),
        &[
            "-c",
            SCRIPT,
            source.to_str().unwrap(),
            zip.to_str().unwrap(),
            extract_to.to_str().unwrap(),
        ],
        &[],
    );
    out.lines().map(String::from).collect()
}

/// `path` relative to the workspace, for messages.
fn rel(ws: &Path, path: &Path) -> String {
    path.strip_prefix(ws)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}
