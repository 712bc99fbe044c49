//! The command line over real directories: change lists, idempotency, dry runs,
//! user-owned files, and a table of bad invocations that must change nothing.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::{fastgen, snapshot_dir, workspace_with_api};

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn new_and_generate_print_an_nx_style_change_list() {
    let dir = tempfile::tempdir().unwrap();
    let new = fastgen(dir.path(), &["new", "demo", "--skip-install"]);
    assert!(new.status.success(), "{}", stderr(&new));
    insta::assert_snapshot!("new_output", stdout(&new));

    let generate = fastgen(
        &dir.path().join("demo"),
        &["g", "py#fast-api", "MyApi", "--skip-install"],
    );
    assert!(generate.status.success(), "{}", stderr(&generate));
    insta::assert_snapshot!("generate_output", stdout(&generate));
}

#[test]
fn running_again_with_the_same_options_changes_nothing() {
    let (_dir, ws) = workspace_with_api(&["--compute-type", "http", "--auth", "cognito"]);
    let before = snapshot_dir(&ws);
    let again = fastgen(
        &ws,
        &[
            "g",
            "py#fast-api",
            "my api",
            "--computeType",
            "ServerlessApiGatewayHttpApi",
            "--auth",
            "COGNITO",
            "--skip-install",
        ],
    );
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(
        stdout(&again),
        "No changes: everything is already up to date.\n"
    );
    assert_eq!(snapshot_dir(&ws), before);

    let new_again = fastgen(ws.parent().unwrap(), &["new", "demo", "--skip-install"]);
    assert!(new_again.status.success(), "{}", stderr(&new_again));
    assert!(
        stdout(&new_again).starts_with("No changes"),
        "{}",
        stdout(&new_again)
    );
    assert_eq!(snapshot_dir(&ws), before);
}

#[test]
fn a_construct_call_broken_over_lines_is_recognised_once_edited() {
    let dir = tempfile::tempdir().unwrap();
    let new = fastgen(dir.path(), &["new", "demo", "--skip-install"]);
    assert!(new.status.success(), "{}", stderr(&new));
    let ws = dir.path().join("demo");
    let name = "CustomerAccountsReportingServiceApi";
    let args = ["g", "py#fast-api", name, "--skip-install"];
    let first = fastgen(&ws, &args);
    assert!(first.status.success(), "{}", stderr(&first));

    // The call is too long for one line: its arguments are broken as prettier breaks them.
    let stack_path = ws.join("packages/infra/src/stacks/application-stack.ts");
    let stack = fs::read_to_string(&stack_path).unwrap();
    let call = format!(
        "    const customerAccountsReportingServiceApi =\n      new {name}(\n        this,\n        '{name}',\n        {{\n"
    );
    assert!(stack.contains(&call), "{stack}");
    let edited = stack.replace(&call, &format!("{call}          description: 'mine',\n"));
    fs::write(&stack_path, &edited).unwrap();

    let again = fastgen(&ws, &args);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(fs::read_to_string(&stack_path).unwrap(), edited);
}

#[test]
fn dry_run_prints_the_plan_and_writes_nothing() {
    let (_dir, ws) = workspace_with_api(&[]);
    let before = snapshot_dir(&ws);
    let output = fastgen(&ws, &["g", "py#fast-api", "Orders", "--dry-run"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(
        out.contains("CREATE packages/orders/orders/main.py\n"),
        "{out}"
    );
    assert!(out.contains("UPDATE pyproject.toml\n"), "{out}");
    assert!(out.contains("no changes were made"), "{out}");
    assert_eq!(snapshot_dir(&ws), before);
}

/// `--dry-run --format json` prints the plan as one JSON document (what the Nx plugin
/// applies to its tree) and writes nothing; the run without `--dry-run` writes exactly
/// those files, with those contents and modes.
#[test]
fn the_json_plan_is_what_a_run_writes() {
    let (_dir, ws) = workspace_with_api(&[]);
    let before = snapshot_dir(&ws);
    let args = [
        "g",
        "py#fast-api",
        "Orders",
        "--compute-type",
        "function-url",
    ];
    let plan = fastgen(
        &ws,
        &[&args[..], &["--dry-run", "--format", "json"]].concat(),
    );
    assert!(plan.status.success(), "{}", stderr(&plan));
    assert_eq!(snapshot_dir(&ws), before, "a dry run writes nothing");
    let plan: serde_json::Value = serde_json::from_str(&stdout(&plan)).unwrap();
    assert_eq!(plan["dryRun"], true);
    assert_eq!(
        plan["installs"],
        serde_json::json!([{
            "command": "uv sync --all-packages",
            "argv": ["uv", "sync", "--all-packages"],
            "fallback": null,
            "hint": fastgen::generators::UV_HINT,
        }])
    );

    let text = fastgen(&ws, &[&args[..], &["--dry-run"]].concat());
    let listed: Vec<String> = stdout(&text)
        .lines()
        .filter_map(|line| line.split_once(' '))
        .filter(|(kind, _)| matches!(*kind, "CREATE" | "UPDATE"))
        .map(|(kind, path)| format!("{} {path}", kind.to_lowercase()))
        .collect();
    let changes = plan["changes"].as_array().unwrap();
    let planned: Vec<String> = changes
        .iter()
        .map(|c| {
            format!(
                "{} {}",
                c["kind"].as_str().unwrap(),
                c["path"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(planned, listed, "the same changes as the text list");

    let run = fastgen(&ws, &[&args[..], &["--skip-install"]].concat());
    assert!(run.status.success(), "{}", stderr(&run));
    for change in changes {
        let path = change["path"].as_str().unwrap();
        assert_eq!(change["encoding"], "utf-8", "{path}");
        let written = fs::read_to_string(ws.join(path)).unwrap();
        assert_eq!(written, change["content"].as_str().unwrap(), "{path}");
        let mode = fs::metadata(ws.join(path)).unwrap().permissions().mode() & 0o777;
        assert_eq!(
            format!("{mode:04o}"),
            change["mode"].as_str().unwrap(),
            "{path}"
        );
    }
    assert!(
        changes
            .iter()
            .any(|c| c["path"] == "packages/orders/run.sh" && c["mode"] == "0755"),
        "run.sh is executable"
    );
}

/// `py#api` is `py#fast-api` under upstream's newer name: the same plan for the same options.
#[test]
fn py_api_plans_what_py_fast_api_plans() {
    let (_dir, ws) = workspace_with_api(&[]);
    let options = ["Orders", "--auth", "cognito", "--iac", "inherit"];
    let plan = |generator: &[&str]| {
        let args = [
            &["g"],
            generator,
            &options[..],
            &["--dry-run", "--format", "json"],
        ]
        .concat();
        let output = fastgen(&ws, &args);
        assert!(output.status.success(), "{}", stderr(&output));
        serde_json::from_slice::<serde_json::Value>(&output.stdout).unwrap()
    };
    let fast_api = plan(&["py#fast-api"]);
    assert!(fast_api["changes"].as_array().unwrap().len() > 10);
    assert_eq!(plan(&["py#api", "--framework", "fastapi"]), fast_api);
    assert_eq!(plan(&["py#api"]), fast_api);

    let output = fastgen(
        &ws,
        &[&["g", "py#api"], &options[..], &["--framework", "flask"]].concat(),
    );
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("invalid value 'flask' for '--framework"),
        "{}",
        stderr(&output)
    );
}

/// An error in JSON mode is the one-line message on stderr; stdout stays empty.
#[test]
fn a_json_plan_error_is_the_message_alone() {
    let (_dir, ws) = workspace_with_api(&[]);
    let before = snapshot_dir(&ws);
    let output = fastgen(
        &ws,
        &[
            "g",
            "py#fast-api",
            "my/api",
            "--dry-run",
            "--format",
            "json",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "");
    assert!(
        stderr(&output).contains("cannot be part of a Python module name"),
        "{}",
        stderr(&output)
    );
    assert_eq!(snapshot_dir(&ws), before);
}

#[test]
fn a_second_api_gets_its_own_port_and_leaves_the_first_alone() {
    let (_dir, ws) = workspace_with_api(&[]);
    let first = snapshot_dir(&ws.join("packages/my_api"));
    let output = fastgen(
        &ws,
        &[
            "g",
            "py#fast-api",
            "orders-api",
            "--auth",
            "none",
            "--skip-install",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(snapshot_dir(&ws.join("packages/my_api")), first);

    let second = fs::read_to_string(ws.join("packages/orders_api/pyproject.toml")).unwrap();
    assert!(second.contains("port = 8001"), "{second}");
    let project = fs::read_to_string(ws.join("packages/orders_api/project.json")).unwrap();
    assert!(
        project.contains("8001"),
        "the serve target uses the new port"
    );
    let root = fs::read_to_string(ws.join("pyproject.toml")).unwrap();
    assert!(
        root.contains("\"packages/my_api\",\n    \"packages/orders_api\",\n"),
        "{root}"
    );
}

#[test]
fn files_the_user_owns_are_never_overwritten() {
    let (_dir, ws) = workspace_with_api(&[]);
    let main = ws.join("packages/my_api/my_api/main.py");
    fs::write(&main, "# my routes\n").unwrap();
    fs::remove_file(ws.join("packages/my_api/README.md")).unwrap();
    let output = fastgen(&ws, &["g", "py#fast-api", "MyApi", "--skip-install"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&output).lines().next(),
        Some("CREATE packages/my_api/README.md")
    );
    assert_eq!(fs::read_to_string(&main).unwrap(), "# my routes\n");
}

/// `--nx-plugin` makes `@fastgen/nx` a dev dependency and the README's route; without
/// it, nothing of fastgen is in the workspace, which installs with no fastgen package.
#[test]
fn new_adds_the_nx_plugin_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    for (name, flags) in [("plain", &[][..]), ("plugged", &["--nx-plugin"][..])] {
        let args = [
            &["new", name, "--package-manager", "npm", "--skip-install"],
            flags,
        ]
        .concat();
        let output = fastgen(dir.path(), &args);
        assert!(output.status.success(), "{}", stderr(&output));
    }
    let read =
        |name: &str, file: &str| fs::read_to_string(dir.path().join(name).join(file)).unwrap();
    let package: serde_json::Value =
        serde_json::from_str(&read("plugged", "package.json")).unwrap();
    assert_eq!(
        package["devDependencies"]["@fastgen/nx"],
        env!("CARGO_PKG_VERSION")
    );
    assert!(read("plugged", "README.md").contains("npx nx g @fastgen/nx:py#fast-api MyApi"));
    assert!(!read("plain", "package.json").contains("fastgen"));
    assert!(!read("plain", "README.md").contains("@fastgen/nx"));
}

#[test]
fn generate_outside_a_workspace_offers_to_create_one() {
    let dir = tempfile::tempdir().unwrap();
    let refused = fastgen(dir.path(), &["g", "py#fast-api", "MyApi", "--skip-install"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("not inside a workspace"),
        "{}",
        stderr(&refused)
    );
    assert!(snapshot_dir(dir.path()).is_empty());

    let created = fastgen(
        dir.path(),
        &["g", "py#fast-api", "MyApi", "--yes", "--skip-install"],
    );
    assert!(created.status.success(), "{}", stderr(&created));
    for file in [
        "nx.json",
        "package.json",
        "pyproject.toml",
        "packages/my_api/my_api/main.py",
    ] {
        assert!(dir.path().join(file).is_file(), "{file}");
    }
}

#[test]
fn infra_and_iac_aliases_are_recorded() {
    let (_dir, ws) = workspace_with_api(&["--infra", "http-lambda", "--iac", "terraform"]);
    let pyproject = fs::read_to_string(ws.join("packages/my_api/pyproject.toml")).unwrap();
    assert!(pyproject.contains("compute-type = \"http\""), "{pyproject}");
    assert!(pyproject.contains("iac = \"terraform\""), "{pyproject}");

    let (_dir, ws) = workspace_with_api(&["--infra", "none"]);
    let pyproject = fs::read_to_string(ws.join("packages/my_api/pyproject.toml")).unwrap();
    assert!(pyproject.contains("iac = \"none\""), "{pyproject}");
}

#[test]
fn the_workspace_iac_default_applies_when_no_iac_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let new = fastgen(
        dir.path(),
        &[
            "new",
            "tf",
            "--iac",
            "Terraform",
            "--package-manager",
            "npm",
            "--skip-install",
        ],
    );
    assert!(new.status.success(), "{}", stderr(&new));
    let ws = dir.path().join("tf");
    assert!(!ws.join("pnpm-workspace.yaml").exists());
    let output = fastgen(&ws, &["g", "py#fast-api", "MyApi", "--skip-install"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("npx nx run my_api:serve"),
        "{}",
        stdout(&output)
    );
    let pyproject = fs::read_to_string(ws.join("packages/my_api/pyproject.toml")).unwrap();
    assert!(pyproject.contains("iac = \"terraform\""), "{pyproject}");
}

#[test]
fn list_prints_every_option_as_text_and_json_schema() {
    let dir = tempfile::tempdir().unwrap();
    let text = fastgen(dir.path(), &["list"]);
    insta::assert_snapshot!("list_output", stdout(&text));

    let json = fastgen(dir.path(), &["list", "--json"]);
    let schema: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let api = &schema["py#fast-api"];
    assert_eq!(api["type"], "object");
    assert_eq!(api["required"], serde_json::json!(["name"]));
    assert_eq!(
        api["properties"]["computeType"]["default"],
        "ServerlessApiGatewayRestApi"
    );
    assert_eq!(
        api["properties"]["auth"]["enum"],
        serde_json::json!(["IAM", "Cognito", "Custom", "None"])
    );
    assert_eq!(api["properties"]["directory"]["default"], "packages");
    assert!(api["properties"]["moduleName"].is_object());
    // Typed as a form (Nx Console's) needs them: a number, a checkbox, a choice.
    assert_eq!(
        api["properties"]["memorySize"],
        serde_json::json!({
            "type": "integer",
            "description": "The Lambda function's memory in MB (128 to 10240); its CPU share grows with it",
            "default": 1024,
        })
    );
    assert_eq!(api["properties"]["snapStart"]["type"], "boolean");
    assert_eq!(api["properties"]["snapStart"]["default"], false);
    assert!(api["properties"]["snapStart"].get("enum").is_none());
    assert_eq!(
        api["properties"]["architecture"]["enum"],
        serde_json::json!(["x86_64", "arm64"])
    );
    // Output flags every generator takes are no options of a generator.
    assert!(api["properties"].get("format").is_none());
    // ts#infra has no name option, so nothing is required of it.
    assert_eq!(schema["ts#infra"]["required"], serde_json::json!([]));
}

#[test]
fn completions_are_printed_for_each_shell() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish"] {
        let output = fastgen(dir.path(), &["completions", shell]);
        assert!(output.status.success());
        assert!(stdout(&output).contains("compute-type"), "{shell}");
    }
}

/// How a bad invocation's workspace is prepared before it runs.
enum Setup {
    /// A workspace with `MyApi` generated with the defaults.
    Workspace,
    /// The same, with a file overwritten.
    Write(&'static str, &'static str),
    /// A plain directory with nothing in it.
    Empty,
}

#[test]
fn bad_input_gets_a_clear_error_and_changes_nothing() {
    use Setup::*;
    let cases: &[(&str, Setup, &[&str], i32, &str)] = &[
        (
            "empty name",
            Workspace,
            &["g", "py#fast-api", ""],
            1,
            "the name is empty",
        ),
        (
            "punctuation only",
            Workspace,
            &["g", "py#fast-api", "--", "-_-"],
            1,
            "the name is empty",
        ),
        (
            "memory below Lambda's minimum",
            Workspace,
            &["g", "py#fast-api", "Orders", "--memory-size", "64"],
            2,
            "64 is not in 128..=10240",
        ),
        (
            "architecture Lambda does not have",
            Workspace,
            &["g", "py#fast-api", "Orders", "--architecture", "riscv"],
            2,
            "invalid value 'riscv' for '--architecture",
        ),
        (
            "another architecture than the existing API's",
            Workspace,
            &["g", "py#fast-api", "MyApi", "--architecture", "arm64"],
            1,
            "was generated with architecture `x86_64`, not `arm64`",
        ),
        (
            "function URL with a Lambda authorizer",
            Workspace,
            &[
                "g",
                "py#fast-api",
                "Orders",
                "--compute-type",
                "function-url",
                "--auth",
                "custom",
            ],
            1,
            "a Lambda Function URL has no Lambda authorizer",
        ),
        (
            "an integration pattern for a Function URL",
            Workspace,
            &[
                "g",
                "py#fast-api",
                "Orders",
                "--compute-type",
                "function-url",
                "--integration-pattern",
                "shared",
            ],
            1,
            "a Lambda Function URL has no routes",
        ),
        (
            "an integration pattern upstream does not have",
            Workspace,
            &[
                "g",
                "py#fast-api",
                "Orders",
                "--integration-pattern",
                "per-route",
            ],
            2,
            "invalid value 'per-route' for '--integration-pattern",
        ),
        (
            "another integration pattern than the existing API's",
            Workspace,
            &[
                "g",
                "py#fast-api",
                "MyApi",
                "--integration-pattern",
                "shared",
            ],
            1,
            "was generated with integration-pattern `isolated`, not `shared`",
        ),
        (
            "streaming with an HTTP API",
            Workspace,
            &[
                "g",
                "py#fast-api",
                "Orders",
                "--compute-type",
                "http",
                "--streaming",
            ],
            1,
            "an HTTP API cannot stream responses: use --compute-type rest (API Gateway streams REST responses) or --compute-type function-url",
        ),
        (
            "streaming for an existing API that does not stream",
            Workspace,
            &["g", "py#fast-api", "MyApi", "--streaming"],
            1,
            "was generated with streaming `false`, not `true`: run again with --streaming=false",
        ),
        (
            "a streaming value that is not a boolean",
            Workspace,
            &["g", "py#fast-api", "Orders", "--streaming=yes"],
            2,
            "invalid value 'yes' for '--streaming",
        ),
        (
            "slash in name",
            Workspace,
            &["g", "py#fast-api", "my/api"],
            1,
            "cannot be part of a Python module name",
        ),
        (
            "non-ASCII name",
            Workspace,
            &["g", "py#fast-api", "café"],
            1,
            "cannot be part of a Python module name",
        ),
        (
            "leading digit",
            Workspace,
            &["g", "py#fast-api", "1api"],
            1,
            "`1api` is not a valid Python module name",
        ),
        (
            "keyword",
            Workspace,
            &["g", "py#fast-api", "class"],
            1,
            "`class` is a Python keyword",
        ),
        (
            "shadows fastapi",
            Workspace,
            &["g", "py#fast-api", "fastapi"],
            1,
            "would shadow the `fastapi` module",
        ),
        (
            "shadows pydantic",
            Workspace,
            &["g", "py#fast-api", "pydantic"],
            1,
            "would shadow the `pydantic` module",
        ),
        (
            "shadows json",
            Workspace,
            &["g", "py#fast-api", "json"],
            1,
            "would shadow the `json` module",
        ),
        (
            "shadows test",
            Workspace,
            &["g", "py#fast-api", "test"],
            1,
            "would shadow the `test` module",
        ),
        (
            "kebab module name",
            Workspace,
            &["g", "py#fast-api", "Other", "--module-name", "other-api"],
            1,
            "`other-api` is not a valid Python module name",
        ),
        (
            "keyword module name",
            Workspace,
            &["g", "py#fast-api", "Other", "--moduleName", "import"],
            1,
            "`import` is a Python keyword",
        ),
        (
            "absolute directory",
            Workspace,
            &["g", "py#fast-api", "Other", "--directory", "/tmp/apis"],
            1,
            "is absolute",
        ),
        (
            "escaping directory",
            Workspace,
            &["g", "py#fast-api", "Other", "--directory", "../outside"],
            1,
            "leaves the workspace",
        ),
        (
            "escaping sub-directory",
            Workspace,
            &["g", "py#fast-api", "Other", "--subDirectory", "../../x"],
            1,
            "leaves the workspace",
        ),
        (
            "other auth",
            Workspace,
            &["g", "py#fast-api", "MyApi", "--auth", "none"],
            1,
            "was generated with auth `iam`, not `none`: run again with --auth iam",
        ),
        (
            "other compute type",
            Workspace,
            &["g", "py#fast-api", "MyApi", "--compute-type", "http"],
            1,
            "was generated with compute-type `rest`, not `http`",
        ),
        (
            "other iac",
            Workspace,
            &["g", "py#fast-api", "my-api", "--iac", "terraform"],
            1,
            "was generated with iac `cdk`, not `terraform`",
        ),
        (
            "project name taken",
            Workspace,
            &[
                "g",
                "py#fast-api",
                "Other",
                "--module-name",
                "my_api",
                "--sub-directory",
                "other",
            ],
            1,
            "a project named `my_api` already exists at packages/my_api",
        ),
        (
            "folder not ours",
            Write("packages/orders/notes.txt", "mine"),
            &["g", "py#fast-api", "Orders"],
            1,
            "packages/orders already exists and was not generated by fastgen",
        ),
        (
            "malformed package.json",
            Write("package.json", "{ \"name\": "),
            &["g", "py#fast-api", "Orders"],
            1,
            "package.json is not valid JSON",
        ),
        (
            "package.json not an object",
            Write("package.json", "[]"),
            &["g", "py#fast-api", "Orders"],
            1,
            "package.json must hold a JSON object",
        ),
        (
            "malformed pyproject.toml",
            Write("pyproject.toml", "[project\nname = 1"),
            &["g", "py#fast-api", "Orders"],
            1,
            "pyproject.toml is not valid TOML",
        ),
        (
            "unknown compute type",
            Workspace,
            &["g", "py#fast-api", "Orders", "--compute-type", "graphql"],
            2,
            "invalid value 'graphql'",
        ),
        (
            "unknown auth",
            Workspace,
            &["g", "py#fast-api", "Orders", "--auth", "oauth"],
            2,
            "invalid value 'oauth'",
        ),
        (
            "infra and compute type",
            Workspace,
            &[
                "g",
                "py#fast-api",
                "Orders",
                "--infra",
                "rest-lambda",
                "--compute-type",
                "http",
            ],
            2,
            "cannot be used with",
        ),
        (
            "missing name",
            Workspace,
            &["g", "py#fast-api", "--no-interactive"],
            1,
            "the API name is missing",
        ),
        (
            "outside a workspace",
            Empty,
            &["g", "py#fast-api", "Orders"],
            1,
            "not inside a workspace",
        ),
        (
            "new into a busy folder",
            Write("notes.txt", "x"),
            &["new", "packages"],
            1,
            "is not empty and is not a workspace",
        ),
        (
            "new with no IaC",
            Empty,
            &["new", "demo", "--iac", "none"],
            1,
            "a workspace needs an IaC default",
        ),
        (
            "function URL with Cognito",
            Workspace,
            &[
                "g",
                "py#fast-api",
                "Orders",
                "--compute-type",
                "function-url",
                "--auth",
                "cognito",
            ],
            1,
            "a Lambda Function URL has no Cognito authorizer: use --auth iam or --auth none",
        ),
        (
            "API Gateway to function URL",
            Workspace,
            &["g", "py#fast-api", "MyApi", "--infra", "function-url"],
            1,
            "was generated with compute-type `rest`, not `function-url`: run again with --compute-type rest",
        ),
    ];
    assert!(cases.len() >= 20);
    for (what, setup, args, code, message) in cases {
        let (_dir, ws) = match setup {
            Empty => {
                let dir = tempfile::tempdir().unwrap();
                let path = dir.path().to_path_buf();
                (dir, path)
            }
            Workspace => workspace_with_api(&[]),
            Write(path, content) => {
                let (dir, ws) = workspace_with_api(&[]);
                let file = ws.join(path);
                fs::create_dir_all(file.parent().unwrap()).unwrap();
                fs::write(file, content).unwrap();
                (dir, ws)
            }
        };
        let before = snapshot_dir(&ws);
        let mut full: Vec<&str> = args.to_vec();
        full.insert(2.min(full.len()), "--skip-install");
        let output = fastgen(&ws, &full);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(*code), "{what}: {err}");
        assert!(
            err.contains(message),
            "{what}: expected `{message}` in: {err}"
        );
        if *code == 1 {
            assert_eq!(err.lines().count(), 1, "{what}: one line: {err}");
        }
        assert_eq!(snapshot_dir(&ws), before, "{what}: the tree changed");
        assert!(
            !Path::new(&ws)
                .join("packages/orders")
                .join("pyproject.toml")
                .exists()
        );
    }
}

#[test]
fn a_failed_install_keeps_the_files_and_says_how_to_retry() {
    let (_dir, ws) = workspace_with_api(&[]);
    let empty_path = tempfile::tempdir().unwrap();
    let output = assert_cmd::Command::cargo_bin("fastgen")
        .unwrap()
        .current_dir(&ws)
        .args(["g", "py#fast-api", "Orders"])
        .env("PATH", empty_path.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("`uv` is not installed or not on PATH"),
        "{err}"
    );
    assert!(err.contains("Retry the install with: cd "), "{err}");
    assert!(err.contains("uv sync --all-packages"), "{err}");
    assert!(ws.join("packages/orders/orders/main.py").is_file());
}

#[test]
fn a_second_cdk_api_adds_its_exports_and_construct_without_disturbing_the_first() {
    let (_dir, ws) = workspace_with_api(&[]);
    let first = ws.join("packages/common/constructs/src/app/apis/my-api.ts");
    let before = fs::read(&first).unwrap();
    let output = fastgen(
        &ws,
        &[
            "g",
            "py#fast-api",
            "Orders",
            "--compute-type",
            "http",
            "--auth",
            "cognito",
            "--skip-install",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(fs::read(&first).unwrap(), before);

    let exports =
        fs::read_to_string(ws.join("packages/common/constructs/src/app/apis/index.ts")).unwrap();
    assert!(
        exports.ends_with("export * from './my-api.js';\nexport * from './orders.js';\n"),
        "{exports}"
    );
    let core = fs::read_to_string(ws.join("packages/common/constructs/src/core/index.ts")).unwrap();
    assert!(
        core.contains("export * from './api/rest-api.js';\nexport * from './api/http-api.js';\n"),
        "{core}"
    );
    let stack =
        fs::read_to_string(ws.join("packages/infra/src/stacks/application-stack.ts")).unwrap();
    assert!(
        stack.contains("import { MyApi, Orders, UserIdentity } from ':demo/common-constructs';\n"),
        "{stack}"
    );
    // Each construct is kept in a const, for `myApi.grantInvokeAccess(...)` and the like.
    assert!(
        stack.contains("const myApi = new MyApi(this, 'MyApi'"),
        "{stack}"
    );
    assert!(
        stack.contains("const orders = new Orders(this, 'Orders'"),
        "{stack}"
    );
    assert!(
        stack.contains("      identity: UserIdentity.ensure(this),\n"),
        "{stack}"
    );
    let project = fs::read_to_string(ws.join("packages/common/constructs/project.json")).unwrap();
    assert!(
        project.contains("\"generate:my-api-metadata\"")
            && project.contains("\"generate:orders-metadata\"")
    );
    let infra = fs::read_to_string(ws.join("packages/infra/project.json")).unwrap();
    assert!(
        infra.contains("\"implicitDependencies\": [\"common-constructs\", \"my_api\", \"orders\"]"),
        "{infra}"
    );
}

#[test]
fn ts_infra_creates_the_cdk_app_once() {
    let dir = tempfile::tempdir().unwrap();
    assert!(
        fastgen(dir.path(), &["new", "demo", "--skip-install"])
            .status
            .success()
    );
    let ws = dir.path().join("demo");
    let output = fastgen(&ws, &["g", "ts#infra", "--skip-install"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    for file in [
        "CREATE packages/infra/cdk.json",
        "CREATE packages/infra/src/main.ts",
        "CREATE packages/common/constructs/src/index.ts",
        "UPDATE package.json",
        "UPDATE tsconfig.base.json",
    ] {
        assert!(out.contains(file), "{file} in:\n{out}");
    }
    let again = fastgen(&ws, &["g", "ts#infra", "--skip-install"]);
    assert!(
        stdout(&again).starts_with("No changes"),
        "{}",
        stdout(&again)
    );
}

#[test]
fn an_api_without_infrastructure_adds_no_cdk() {
    let (_dir, ws) = workspace_with_api(&["--infra", "none"]);
    assert!(!ws.join("packages/common").exists());
    assert!(!ws.join("packages/infra").exists());
    let package = fs::read_to_string(ws.join("package.json")).unwrap();
    assert!(!package.contains("aws-cdk-lib"), "{package}");
}

#[test]
fn switching_a_function_url_api_to_api_gateway_is_refused() {
    let (_dir, ws) = workspace_with_api(&["--compute-type", "function-url", "--auth", "none"]);
    let before = snapshot_dir(&ws);
    let output = fastgen(
        &ws,
        &[
            "g",
            "py#fast-api",
            "MyApi",
            "--compute-type",
            "rest",
            "--auth",
            "none",
            "--skip-install",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("was generated with compute-type `function-url`, not `rest`: run again with --compute-type function-url"),
        "{}",
        stderr(&output)
    );
    assert_eq!(snapshot_dir(&ws), before);
}

#[test]
fn an_api_without_infrastructure_can_get_it_later_but_not_lose_it() {
    let (_dir, ws) = workspace_with_api(&["--infra", "none"]);
    let main_py = ws.join("packages/my_api/my_api/main.py");
    fs::write(&main_py, "# my routes\n").unwrap();

    let upgrade = fastgen(
        &ws,
        &[
            "g",
            "py#fast-api",
            "MyApi",
            "--infra",
            "rest-lambda",
            "--skip-install",
        ],
    );
    assert!(upgrade.status.success(), "{}", stderr(&upgrade));
    let out = stdout(&upgrade);
    assert!(
        out.contains("CREATE packages/common/constructs/src/app/apis/my-api.ts"),
        "{out}"
    );
    assert!(
        out.contains("UPDATE packages/my_api/pyproject.toml"),
        "{out}"
    );
    assert!(
        !out.contains("CREATE packages/my_api/") && !out.contains("UPDATE packages/my_api/my_api/"),
        "the app is not recreated: {out}"
    );
    assert_eq!(fs::read_to_string(&main_py).unwrap(), "# my routes\n");
    let pyproject = fs::read_to_string(ws.join("packages/my_api/pyproject.toml")).unwrap();
    assert!(pyproject.contains("iac = \"cdk\""), "{pyproject}");
    let stack =
        fs::read_to_string(ws.join("packages/infra/src/stacks/application-stack.ts")).unwrap();
    assert!(stack.contains("new MyApi(this, 'MyApi'"), "{stack}");

    let again = fastgen(&ws, &["g", "py#fast-api", "MyApi", "--skip-install"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(stdout(&again).contains("No changes"), "{}", stdout(&again));

    let before = snapshot_dir(&ws);
    let downgrade = fastgen(
        &ws,
        &[
            "g",
            "py#fast-api",
            "MyApi",
            "--infra",
            "none",
            "--skip-install",
        ],
    );
    assert_eq!(downgrade.status.code(), Some(1));
    assert!(
        stderr(&downgrade).contains("was generated with iac `cdk`, not `none`"),
        "{}",
        stderr(&downgrade)
    );
    assert_eq!(snapshot_dir(&ws), before);
}

#[test]
fn dev_token_mints_tokens_of_the_workspace_pool_and_refuses_outside_one() {
    let outside = tempfile::tempdir().unwrap();
    let refused = fastgen(outside.path(), &["dev", "token"]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("not inside a workspace"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 0);

    let (_dir, ws) = workspace_with_api(&["--compute-type", "http", "--auth", "cognito"]);
    let bad = fastgen(&ws, &["dev", "token", "--expires-in", "soon"]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("--expires-in"), "{}", stderr(&bad));
    assert!(!ws.join(".fastgen").exists(), "a bad call makes no key");

    let minted = fastgen(
        &ws,
        &["dev", "token", "--sub", "user-1", "--scope", "a b,c"],
    );
    assert!(minted.status.success(), "{}", stderr(&minted));
    let token = stdout(&minted);
    let parts: Vec<&str> = token.trim().split('.').collect();
    assert_eq!(parts.len(), 3, "a JWT: {token}");
    let payload = base64_url_decode(parts[1]);
    let claims: serde_json::Value = serde_json::from_slice(&payload).unwrap();
    assert_eq!(claims["sub"], "user-1");
    assert_eq!(claims["token_use"], "access");
    assert_eq!(claims["scope"], "a b c");
    let ignore = fs::read_to_string(ws.join(".fastgen/.gitignore")).unwrap();
    assert!(
        ignore.lines().any(|line| line == "*"),
        "the key stays out of git"
    );
}

/// Decodes unpadded base64url, as JWTs encode their parts.
fn base64_url_decode(text: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text)
        .unwrap()
}
