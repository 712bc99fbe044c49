//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod stream;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Output};

use serde_json::Value;

use assert_cmd::Command;

/// Runs the fastgen binary in `dir` with no terminal attached.
pub fn fastgen(dir: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("fastgen")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// Adds the API `name` to the workspace `ws` (`fastgen g py#fast-api <name> <extra>
/// --skip-install`), which must succeed.
pub fn add_api(ws: &Path, name: &str, extra: &[&str]) {
    let mut args = vec!["g", "py#fast-api", name];
    args.extend_from_slice(extra);
    args.push("--skip-install");
    let output = fastgen(ws, &args);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Builds the CDK constructs and app of `ws` and synthesizes it (each API's metadata must
/// be generated first); returns the template's path and the template.
pub fn build_and_synth(ws: &Path) -> (PathBuf, Value) {
    run_target(ws, "packages/common/constructs", "build");
    run_target(ws, "packages/infra", "compile");
    run_target(ws, "packages/infra", "synth");
    let path = ws.join("dist/packages/infra/cdk.out/demo-infra.template.json");
    let template = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    (path, template)
}

/// Runs the fastgen binary in `dir` with extra environment variables.
pub fn fastgen_with_env(dir: &Path, args: &[&str], env: &[(String, String)]) -> Output {
    Command::cargo_bin("fastgen")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .envs(env.iter().map(|(k, v)| (k, v)))
        .output()
        .unwrap()
}

/// A temp dir holding `demo/`, a workspace with `MyApi` generated with `extra` options.
pub fn workspace_with_api(extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let new = fastgen(dir.path(), &["new", "demo", "--skip-install"]);
    assert!(
        new.status.success(),
        "{}",
        String::from_utf8_lossy(&new.stderr)
    );
    let ws = dir.path().join("demo");
    let mut args = vec!["g", "py#fast-api", "MyApi", "--skip-install"];
    args.extend_from_slice(extra);
    let generate = fastgen(&ws, &args);
    assert!(
        generate.status.success(),
        "{}",
        String::from_utf8_lossy(&generate.stderr)
    );
    (dir, ws)
}

/// Every file below `root` with its bytes and mode, keyed by relative path.
pub fn snapshot_dir(root: &Path) -> BTreeMap<String, (Vec<u8>, u32)> {
    let mut files = BTreeMap::new();
    collect(root, root, &mut files);
    files
}

fn collect(root: &Path, dir: &Path, files: &mut BTreeMap<String, (Vec<u8>, u32)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(root, &path, files);
        } else {
            let relative = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(relative, (fs::read(&path).unwrap(), mode(&path)));
        }
    }
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode()
}

#[cfg(not(unix))]
fn mode(_path: &Path) -> u32 {
    0
}

/// Runs `program` in `dir`, failing the test with its output when it fails.
pub fn run(dir: &Path, program: &str, args: &[&str], env: &[(String, String)]) -> String {
    let output = Process::new(program)
        .args(args)
        .current_dir(dir)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .output()
        .unwrap_or_else(|err| {
            panic!("cannot run {program}: {err}: run the tests through scripts/test.sh, which installs it")
        });
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    // The cause is usually at the end of stderr, and a long log may be cut in the
    // middle where it is shown: give the end first.
    assert!(
        output.status.success(),
        "`{program} {}` failed in {} ({}); the end of its stderr:\n{}\n\n\
         its whole stdout:\n{stdout}\n\nits whole stderr:\n{stderr}",
        args.join(" "),
        dir.display(),
        output.status,
        last_lines(&stderr, 30),
    );
    stdout
}

/// The last `n` lines of `text`.
fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Runs a target of the project's `project.json` the way `nx:run-commands` does,
/// without Nx: each command through the shell, in the target's `cwd`, with its `env`
/// and the workspace's `node_modules/.bin` on `PATH`.
pub fn run_target(ws: &Path, project_root: &str, target: &str) -> String {
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
    let mut env: Vec<(String, String)> = options["env"]
        .as_object()
        .map(|env| {
            env.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                .collect()
        })
        .unwrap_or_default();
    let path = std::env::var("PATH").unwrap_or_default();
    let bin = ws.join("node_modules/.bin");
    env.push(("PATH".into(), format!("{}:{path}", bin.display())));
    env.push(("CDK_DISABLE_VERSION_CHECK".into(), "1".into()));
    commands
        .iter()
        .map(|command| run(&cwd, "sh", &["-c", command], &env))
        .collect()
}

/// The Python 3.12 interpreter the tests use (scripts/test.sh sets `UV_PYTHON`).
pub fn python312() -> PathBuf {
    let python = std::env::var("UV_PYTHON").unwrap_or_else(|_| "python3.12".into());
    let version = Process::new(&python)
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

/// A realistic API Gateway event for `GET /echo?message=hi`: REST (v1) or HTTP (v2), with
/// API Gateway's request id `e2e-api-request-id` and a client's `x-correlation-id`.
pub fn echo_event(compute_type: &str) -> Value {
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
                "domainPrefix": "abc123", "requestId": "e2e-api-request-id", "routeKey": "$default", "stage": "$default",
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
                "httpMethod": "GET", "path": "/prod/echo", "protocol": "HTTP/1.1", "requestId": "e2e-api-request-id",
                "stage": "prod", "requestTimeEpoch": 1_795_550_400_000_i64,
                "identity": {"sourceIp": "203.0.113.7", "userAgent": "e2e"}
            },
            "body": null,
            "isBase64Encoded": false
        })
    }
}

/// Imports the handler from the bundle alone (no site-packages) and calls it.
pub fn call_bundled_handler(bundle: &Path, module: &str, compute_type: &str) -> Value {
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

/// Runs a command and returns its exit code and stdout, whatever the code.
pub fn run_status(dir: &Path, program: &str, args: &[&str]) -> (i32, String) {
    let output = Process::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    status_and_text(&output)
}

/// A finished process's exit code (-1 when killed) and its stdout followed by its stderr.
pub fn status_and_text(output: &Output) -> (i32, String) {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

/// Links `ws/node_modules` to one `npm install` of the workspace's devDependencies,
/// made once per test binary in `target/tmp/<folder>`.
pub fn link_node_modules(ws: &Path, folder: &str) {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    let modules = DIR.get_or_init(|| {
        let package: Value =
            serde_json::from_str(&fs::read_to_string(ws.join("package.json")).unwrap()).unwrap();
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(folder);
        fs::create_dir_all(&dir).unwrap();
        let manifest = serde_json::json!({
            "name": format!("fastgen-tests-{folder}"),
            "private": true,
            "devDependencies": package["devDependencies"],
        });
        fs::write(dir.join("package.json"), manifest.to_string()).unwrap();
        run(&dir, "npm", &["install", "--no-audit", "--no-fund"], &[]);
        dir.join("node_modules")
    });
    std::os::unix::fs::symlink(modules, ws.join("node_modules")).unwrap();
}

/// Runs cfn-lint on a CloudFormation template and fails on any error; warnings and
/// notes (exit code bits 4 and 8), such as those CDK's own constructs raise, pass.
pub fn assert_cfn_lint_clean(dir: &Path, template: &Path) {
    let (code, out) = run_status(
        dir,
        "uv",
        &["tool", "run", "cfn-lint", template.to_str().unwrap()],
    );
    assert_eq!(code & 2, 0, "cfn-lint found errors:\n{out}");
    assert_eq!(
        code & !(2 | 4 | 8),
        0,
        "cfn-lint failed to run ({code}):\n{out}"
    );
}

/// Runs the generated `checkov` target of `packages/infra` (the command of its
/// `project.json`, with the config file it names), which fails on any failed check;
/// returns the summary of the JSON report the config file asks for.
pub fn run_checkov_target(ws: &Path) -> String {
    run_target(ws, "packages/infra", "checkov");
    let path = ws.join("dist/packages/infra/checkov/checkov_report.json");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the checkov target wrote no report at {}: {e}",
            path.display()
        )
    });
    let reports = match serde_json::from_str::<Value>(&text).unwrap() {
        Value::Array(reports) => reports,
        report => vec![report],
    };
    let count = |key: &str| -> u64 {
        reports
            .iter()
            .map(|r| r["summary"][key].as_u64().unwrap_or(0))
            .sum()
    };
    assert_eq!(count("failed"), 0, "checkov failed checks:\n{text}");
    assert_eq!(
        count("parsing_errors"),
        0,
        "checkov could not parse:\n{text}"
    );
    assert!(count("passed") > 0, "checkov checked nothing:\n{text}");
    format!(
        "{} passed, {} skipped with a reason, 0 failed",
        count("passed"),
        count("skipped")
    )
}

/// Every checkov skip in a synthesized CloudFormation template (`Metadata.checkov.skip`,
/// which `skipCheckov` writes) names a check and gives a reason; returns the skipped ids.
pub fn cdk_checkov_skips(template: &Value) -> Vec<String> {
    let mut ids = Vec::new();
    for (name, resource) in template["Resources"].as_object().unwrap() {
        let Some(skips) = resource["Metadata"]["checkov"].get("skip") else {
            continue;
        };
        for skip in skips.as_array().unwrap() {
            let id = skip["id"].as_str().unwrap_or_default();
            let comment = skip["comment"].as_str().unwrap_or_default();
            assert!(
                id.starts_with("CKV") && comment.trim().len() > 20,
                "{name}: a checkov skip needs a check id and a reason: {skip}"
            );
            ids.push(id.to_string());
        }
    }
    ids
}

/// Every `checkov:skip=` comment in the `.tf` files below `dir` names a check and gives a
/// reason (`# checkov:skip=CKV_AWS_59: why`); returns the skipped ids.
pub fn terraform_checkov_skips(dir: &Path) -> Vec<String> {
    let mut ids = Vec::new();
    for (path, (bytes, _)) in snapshot_dir(dir) {
        if !path.ends_with(".tf") {
            continue;
        }
        for line in String::from_utf8(bytes).unwrap().lines() {
            let Some((_, skip)) = line.split_once("checkov:skip=") else {
                continue;
            };
            let (id, reason) = skip.split_once(':').unwrap_or((skip, ""));
            assert!(
                id.starts_with("CKV") && reason.trim().len() > 20,
                "{path}: a checkov skip needs a check id and a reason: {line}"
            );
            ids.push(id.to_string());
        }
    }
    ids
}

/// Checks that `bundle` (a bundle directory, or a zip of one extracted) ships bytecode that
/// Lambda can use: every `.py` has a cpython-312 `.pyc` marked hash-based (PEP 552), and
/// importing `<module>.main` from the directory made read-only, as `/var/task` is, loads
/// every module of the bundle from its `.pyc` and writes nothing.
pub fn check_bundle_bytecode(bundle: &Path, module: &str) {
    check_bytecode_headers(bundle);
    check_imports_use_bytecode(bundle, module);
}

/// Checks that every `.py` under `bundle` has a cpython-312 `.pyc` marked hash-based: what
/// can be checked of a bundle built for another architecture than this machine's.
pub fn check_bytecode_headers(bundle: &Path) {
    const HEADERS: &str = r#"
import importlib.util, os
count, bad = 0, []
for root, dirs, files in os.walk("."):
    dirs[:] = [d for d in dirs if d != "__pycache__"]
    for name in (f for f in files if f.endswith(".py")):
        count += 1
        source = os.path.join(root, name)
        try:
            with open(importlib.util.cache_from_source(source), "rb") as pyc:
                header = pyc.read(8)
        except FileNotFoundError:
            bad.append(f"{source}: no cpython-312 .pyc")
            continue
        if header[:4] != importlib.util.MAGIC_NUMBER:
            bad.append(f"{source}: not Python 3.12 bytecode")
        elif not int.from_bytes(header[4:8], "little") & 1:
            bad.append(f"{source}: timestamp-based bytecode")
print(count, *bad, sep="\n")
"#;
    let python = python312();
    let python = python.to_str().unwrap();
    let report = run(bundle, python, &["-I", "-S", "-c", HEADERS], &[]);
    let mut lines = report.lines();
    let count: usize = lines.next().unwrap().parse().unwrap();
    let bad: Vec<&str> = lines.collect();
    assert!(
        count > 100,
        "the bundle holds the app and its dependencies: {count} files"
    );
    assert!(
        bad.is_empty(),
        "{} of {count} modules:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

/// Imports `<module>.main` from `bundle` made read-only, and checks that every module of
/// the bundle came from its `.pyc` and that nothing was written.
fn check_imports_use_bytecode(bundle: &Path, module: &str) {
    let python = python312();
    let python = python.to_str().unwrap();
    let files_before = files_under(bundle);
    run(bundle, "chmod", &["-R", "a-w", "."], &[]);
    let import = format!(
        "import sys; sys.path.insert(0, {:?}); import {module}.main",
        bundle.to_str().unwrap()
    );
    let output = Process::new(python)
        .args(["-I", "-S", "-v", "-c", &import])
        .current_dir(bundle)
        .env("AWS_REGION", "us-east-1")
        .env_remove("PYTHONDONTWRITEBYTECODE")
        .output()
        .unwrap();
    run(bundle, "chmod", &["-R", "u+w", "."], &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let prefix = format!("# code object from {}", bundle.to_str().unwrap());
    let compiled: Vec<&str> = stderr.lines().filter(|l| l.starts_with(&prefix)).collect();
    let loaded = stderr
        .lines()
        .filter(|l| l.starts_with("# code object from '") && l.contains(".pyc'"))
        .count();
    assert!(
        compiled.is_empty(),
        "modules compiled from source at import:\n{}",
        compiled.join("\n")
    );
    assert!(
        loaded > 100,
        "{loaded} modules loaded from bytecode:\n{stderr}"
    );
    assert_eq!(
        files_under(bundle),
        files_before,
        "the import wrote nothing"
    );
}

/// Every file under `dir`, relative to it, sorted.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    files.sort();
    files
}
