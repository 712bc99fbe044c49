//! End-to-end: generate workspaces and run the generated projects' own targets
//! with the real tools (uv, ruff, pytest, openapi-spec-validator, Python 3.12,
//! and once Nx itself). `scripts/test.sh` installs uv and picks the Python.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::workspace_with_api;
use serde_json::Value;

/// Runs `program` in `dir`, failing the test with its output when it fails.
fn run(dir: &Path, program: &str, args: &[&str], env: &[(String, String)]) -> String {
    let output = Command::new(program)
        .args(args)
        .current_dir(dir)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .output()
        .unwrap_or_else(|err| {
            panic!("cannot run {program}: {err}: run the tests through scripts/test.sh, which installs it")
        });
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "`{program} {}` failed in {}:\n{stdout}\n{}",
        args.join(" "),
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// Runs a target of the project's `project.json` the way `nx:run-commands` does,
/// without Nx: each command through the shell, in the target's `cwd`, with its `env`.
fn run_target(ws: &Path, project_root: &str, target: &str) -> String {
    let project: Value = serde_json::from_str(
        &fs::read_to_string(ws.join(project_root).join("project.json")).unwrap(),
    )
    .unwrap();
    let options = &project["targets"][target]["options"];
    assert_eq!(
        project["targets"][target]["executor"], "nx:run-commands",
        "{target}"
    );
    let commands: Vec<String> = match (&options["command"], &options["commands"]) {
        (Value::String(command), _) => vec![command.clone()],
        (_, Value::Array(commands)) => commands
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect(),
        _ => panic!("target {target} has no command"),
    };
    let cwd = ws.join(options["cwd"].as_str().unwrap_or(""));
    let env: Vec<(String, String)> = options["env"]
        .as_object()
        .map(|env| {
            env.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                .collect()
        })
        .unwrap_or_default();
    commands
        .iter()
        .map(|command| run(&cwd, "sh", &["-c", command], &env))
        .collect()
}

/// The Python 3.12 interpreter the tests use (scripts/test.sh sets `UV_PYTHON`).
fn python312() -> PathBuf {
    let python = std::env::var("UV_PYTHON").unwrap_or_else(|_| "python3.12".into());
    let version = Command::new(&python)
        .args(["-c", "import sys; print(sys.version_info[:2])"])
        .output();
    match version {
        Ok(out) if String::from_utf8_lossy(&out.stdout).trim() == "(3, 12)" => {
            PathBuf::from(python)
        }
        _ => panic!(
            "no Python 3.12 at `{python}`: run the tests through scripts/test.sh, or set UV_PYTHON"
        ),
    }
}

/// A realistic API Gateway event for `GET /echo?message=hi`: REST (v1) or HTTP (v2).
fn echo_event(compute_type: &str) -> Value {
    let headers = serde_json::json!({
        "accept": "application/json",
        "host": "abc123.execute-api.us-east-1.amazonaws.com",
        "x-correlation-id": "e2e-correlation-id",
    });
    if compute_type == "http" {
        serde_json::json!({
            "version": "2.0",
            "routeKey": "$default",
            "rawPath": "/echo",
            "rawQueryString": "message=hi",
            "headers": headers,
            "queryStringParameters": {"message": "hi"},
            "requestContext": {
                "accountId": "123456789012", "apiId": "abc123", "domainName": "abc123.execute-api.us-east-1.amazonaws.com",
                "domainPrefix": "abc123", "requestId": "e2e-request-id", "routeKey": "$default", "stage": "$default",
                "time": "24/Nov/2026:20:00:00 +0000", "timeEpoch": 1_795_550_400_000_i64,
                "http": {"method": "GET", "path": "/echo", "protocol": "HTTP/1.1", "sourceIp": "203.0.113.7", "userAgent": "e2e"}
            },
            "isBase64Encoded": false
        })
    } else {
        serde_json::json!({
            "resource": "/{proxy+}",
            "path": "/echo",
            "httpMethod": "GET",
            "headers": headers,
            "multiValueHeaders": {},
            "queryStringParameters": {"message": "hi"},
            "multiValueQueryStringParameters": {"message": ["hi"]},
            "pathParameters": {"proxy": "echo"},
            "stageVariables": null,
            "requestContext": {
                "accountId": "123456789012", "apiId": "abc123", "resourceId": "xyz", "resourcePath": "/{proxy+}",
                "httpMethod": "GET", "path": "/prod/echo", "protocol": "HTTP/1.1", "requestId": "e2e-request-id",
                "stage": "prod", "requestTimeEpoch": 1_795_550_400_000_i64,
                "identity": {"sourceIp": "203.0.113.7", "userAgent": "e2e"}
            },
            "body": null,
            "isBase64Encoded": false
        })
    }
}

/// Imports the handler from the bundle alone (no site-packages) and calls it.
fn call_bundled_handler(bundle: &Path, module: &str, compute_type: &str) -> Value {
    let script = format!(
        r#"
import json, sys
sys.path.insert(0, ".")
from {module}.main import handler

class Context:
    function_name = "e2e"
    function_version = "$LATEST"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:e2e"
    aws_request_id = "e2e-request-id"
    def get_remaining_time_in_millis(self):
        return 30000

response = handler(json.loads(sys.argv[1]), Context())
print("RESPONSE " + json.dumps(response))
"#
    );
    let event = echo_event(compute_type).to_string();
    let env = vec![
        ("POWERTOOLS_TRACE_DISABLED".to_string(), "true".to_string()),
        ("AWS_REGION".to_string(), "us-east-1".to_string()),
    ];
    let stdout = run(
        bundle,
        python312().to_str().unwrap(),
        &["-I", "-S", "-c", &script, &event],
        &env,
    );
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("RESPONSE "))
        .unwrap_or_else(|| panic!("no response printed:\n{stdout}"));
    serde_json::from_str(line).unwrap()
}

/// Generates one combination and runs the project's lint, test, openapi and bundle targets.
fn check_combination(compute_type: &str, auth: &str) {
    let (_dir, ws) = workspace_with_api(&["--compute-type", compute_type, "--auth", auth]);
    let root = "packages/my_api";
    run(&ws, "uv", &["sync", "--all-packages"], &[]);

    run_target(&ws, root, "lint");
    let tests = run_target(&ws, root, "test");
    assert!(tests.contains(" passed"), "{tests}");
    assert!(
        !tests.contains(" skipped"),
        "no generated test may skip: {tests}"
    );

    run_target(&ws, root, "openapi");
    let spec_path = ws.join("dist/packages/my_api/openapi/openapi.json");
    run(
        &ws,
        "uv",
        &[
            "tool",
            "run",
            "--from",
            "openapi-spec-validator",
            "openapi-spec-validator",
            spec_path.to_str().unwrap(),
        ],
        &[],
    );
    let spec: Value = serde_json::from_str(&fs::read_to_string(&spec_path).unwrap()).unwrap();
    assert_eq!(spec["info"]["title"], "MyApi");
    assert_eq!(spec["paths"]["/echo"]["get"]["operationId"], "echo");
    assert_eq!(spec["paths"]["/stream"]["get"]["x-streaming"], true);

    run_target(&ws, root, "bundle");
    let bundle = ws.join("dist/packages/my_api/bundle");
    assert!(bundle.join("my_api/main.py").is_file());
    assert!(
        !bundle.join("pytest").exists() && !bundle.join("ruff").exists(),
        "no dev dependencies in the bundle"
    );
    let response = call_bundled_handler(&bundle, "my_api", compute_type);
    assert_eq!(response["statusCode"], 200, "{response}");
    let body: Value = serde_json::from_str(response["body"].as_str().unwrap()).unwrap();
    assert_eq!(body, serde_json::json!({"message": "hi"}), "{response}");
    let headers = response["headers"].as_object().unwrap();
    let correlation = headers
        .get("x-correlation-id")
        .or_else(|| response["multiValueHeaders"]["x-correlation-id"].get(0));
    assert_eq!(
        correlation.and_then(Value::as_str),
        Some("e2e-correlation-id"),
        "{response}"
    );
}

#[test]
fn rest_iam() {
    check_combination("rest", "iam");
}

#[test]
fn rest_cognito() {
    check_combination("rest", "cognito");
}

#[test]
fn rest_none() {
    check_combination("rest", "none");
}

#[test]
fn http_iam() {
    check_combination("http", "iam");
}

#[test]
fn http_cognito() {
    check_combination("http", "cognito");
}

#[test]
fn http_none() {
    check_combination("http", "none");
}

/// Nx itself, installed from npm, builds the project with its dependsOn graph.
#[test]
fn nx_builds_the_project() {
    let dir = tempfile::tempdir().unwrap();
    let new = common::fastgen(
        dir.path(),
        &["new", "demo", "--package-manager", "npm", "--skip-install"],
    );
    assert!(new.status.success());
    let ws = dir.path().join("demo");
    let generate = common::fastgen(&ws, &["g", "py#fast-api", "MyApi", "--skip-install"]);
    assert!(generate.status.success());
    run(&ws, "npm", &["install", "--no-audit", "--no-fund"], &[]);
    run(&ws, "uv", &["sync", "--all-packages"], &[]);
    let env = vec![
        ("NX_DAEMON".to_string(), "false".to_string()),
        ("NX_NO_CLOUD".to_string(), "true".to_string()),
        ("NX_SKIP_NX_CACHE".to_string(), "true".to_string()),
    ];
    let out = run(
        &ws,
        "npx",
        &["nx", "run", "my_api:build", "--outputStyle=static"],
        &env,
    );
    for target in [
        "my_api:lint",
        "my_api:test",
        "my_api:openapi",
        "my_api:bundle",
    ] {
        assert!(out.contains(target), "nx ran {target}:\n{out}");
    }
    assert!(
        ws.join("dist/packages/my_api/openapi/openapi.json")
            .is_file()
    );
    assert!(
        ws.join("dist/packages/my_api/bundle/my_api/main.py")
            .is_file()
    );
}
