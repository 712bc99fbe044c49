//! End-to-end: generate workspaces and run the generated projects' own targets
//! with the real tools (uv, ruff, pytest, openapi-spec-validator, Python 3.12,
//! and once Nx itself). `scripts/test.sh` installs uv and picks the Python.

mod common;

use std::fs;
use std::path::Path;

use common::{
    assert_cfn_lint_clean, call_bundled_handler, cdk_checkov_skips, check_bundle_bytecode,
    check_bytecode_headers, link_node_modules, run, run_checkov_target, run_target,
    workspace_with_api,
};
use serde_json::Value;

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
    check_bundle_bytecode(&bundle, "my_api");
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
        Some("e2e-api-request-id"),
        "the correlation id is API Gateway's request id, not the client's: {response}"
    );

    check_cdk(&ws, compute_type, auth);
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
fn rest_custom() {
    check_combination("rest", "custom");
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

#[test]
fn http_custom() {
    check_combination("http", "custom");
}

// ---------------------------------------------------------------------------
// CDK: metadata, tsc, cdk synth, the synthesized template, cfn-lint, the checkov target
// ---------------------------------------------------------------------------

const CONSTRUCTS: &str = "packages/common/constructs";
const INFRA: &str = "packages/infra";

/// The resources of a template whose `Type` is `kind`.
fn resources<'a>(template: &'a Value, kind: &str) -> Vec<&'a Value> {
    template["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["Type"] == kind)
        .collect()
}

fn check_cdk(ws: &Path, compute_type: &str, auth: &str) {
    link_node_modules(ws, "node");
    // Every TypeScript and JSON file is formatted as the workspace's prettier formats it.
    let prettier = ws.join("node_modules/.bin/prettier");
    run(
        ws,
        prettier.to_str().unwrap(),
        &["--check", "**/*.{ts,mjs,json}"],
        &[],
    );
    run_target(ws, CONSTRUCTS, "generate:my-api-metadata");
    let metadata = fs::read_to_string(
        ws.join(CONSTRUCTS)
            .join("src/generated/my-api/metadata.gen.ts"),
    )
    .unwrap();
    for operation in ["getItem", "createItem", "echo", "stream"] {
        assert!(metadata.contains(operation), "{operation} in:\n{metadata}");
    }
    run_target(ws, CONSTRUCTS, "build");

    // The seed's examples compile against the generated constructs.
    let env = minijinja::Environment::new();
    let fixture = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cdk/seed-examples.ts.jinja"),
    )
    .unwrap();
    let mut env = env;
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_keep_trailing_newline(true);
    let examples = env
        .render_str(
            &fixture,
            minijinja::context! {
                scope => "demo", class_name => "MyApi", kebab => "my-api", module => "my_api",
                project_root => "packages/my_api", compute_type, auth,
            },
        )
        .unwrap();
    fs::write(ws.join(INFRA).join("src/seed-examples.ts"), examples).unwrap();
    // The stack keeps the construct in a const, as its comment tells the user to use it.
    let stack_path = ws.join(INFRA).join("src/stacks/application-stack.ts");
    let stack = fs::read_to_string(&stack_path).unwrap();
    let using = stack
        .replacen(
            "import ",
            "import { AccountRootPrincipal, Role } from 'aws-cdk-lib/aws-iam';\nimport ",
            1,
        )
        .replacen(
            "    // fastgen:apis",
            "    myApi.grantInvokeAccess(new Role(this, 'Caller', { assumedBy: new AccountRootPrincipal() }));\n    // fastgen:apis",
            1,
        );
    fs::write(&stack_path, using).unwrap();
    run_target(ws, INFRA, "compile");
    fs::write(&stack_path, stack).unwrap();

    run_target(ws, INFRA, "synth");
    let template: Value = serde_json::from_str(
        &fs::read_to_string(ws.join("dist/packages/infra/cdk.out/demo-infra.template.json"))
            .unwrap(),
    )
    .unwrap();

    // The copy of the bundle CDK stages (and zips when it deploys) keeps its bytecode.
    let staged = fs::read_dir(ws.join("dist/packages/infra/cdk.out"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|dir| dir.join("my_api/main.py").is_file())
        .expect("a staged asset holds the bundle");
    check_bundle_bytecode(&staged, "my_api");

    let functions: Vec<&Value> = resources(&template, "AWS::Lambda::Function")
        .into_iter()
        .filter(|f| {
            !matches!(
                f["Properties"]["Handler"].as_str(),
                Some("index.handler" | "my_api.authorizer.handler")
            )
        })
        .collect();
    assert_eq!(functions.len(), 4, "one function per operation");
    for function in &functions {
        let props = &function["Properties"];
        assert_eq!(props["Runtime"], "python3.12");
        assert_eq!(props["Handler"], "my_api.main.handler");
        assert_eq!(props["TracingConfig"]["Mode"], "Active");
        let env = &props["Environment"]["Variables"];
        assert_eq!(env["POWERTOOLS_SERVICE_NAME"], "MyApi");
        assert_eq!(
            env["POWERTOOLS_TRACER_CAPTURE_RESPONSE"], "false",
            "responses are not copied into traces"
        );
        assert!(
            props["Timeout"].as_u64().unwrap() < 29,
            "the function gives up before API Gateway's 29 s integration timeout: {}",
            props["Timeout"]
        );
    }
    let log_groups = resources(&template, "AWS::Logs::LogGroup");
    assert!(
        log_groups.len() >= 4,
        "a log group per function and for access logs"
    );
    assert!(
        log_groups
            .iter()
            .all(|g| g["Properties"]["RetentionInDays"].is_number())
    );

    check_log_permissions(&template);

    if compute_type == "rest" {
        let apis = resources(&template, "AWS::ApiGateway::RestApi");
        assert_eq!(apis.len(), 1);
        assert_eq!(
            apis[0]["Properties"]["SecurityPolicy"], "SecurityPolicy_TLS13_1_2_2021_06",
            "TLS 1.2 or later: {}",
            apis[0]
        );
        assert_eq!(apis[0]["Properties"]["EndpointAccessMode"], "STRICT");
        let methods = resources(&template, "AWS::ApiGateway::Method");
        let expected = match auth {
            "iam" => "AWS_IAM",
            "cognito" => "COGNITO_USER_POOLS",
            "custom" => "CUSTOM",
            _ => "NONE",
        };
        let (preflight, operations): (Vec<&Value>, Vec<&Value>) = methods
            .iter()
            .partition(|m| m["Properties"]["HttpMethod"] == "OPTIONS");
        assert_eq!(operations.len(), 4, "a method per operation");
        assert!(!preflight.is_empty(), "CORS preflight methods");
        for method in operations {
            assert_eq!(
                method["Properties"]["AuthorizationType"], expected,
                "{method}"
            );
        }
        let stages = resources(&template, "AWS::ApiGateway::Stage");
        assert_eq!(stages[0]["Properties"]["TracingEnabled"], true);
        let settings = stages[0]["Properties"]["MethodSettings"].to_string();
        assert!(
            settings.contains(r#""LoggingLevel":"ERROR""#)
                && settings.contains(r#""DataTraceEnabled":false"#),
            "execution logs of errors, without bodies: {settings}"
        );
        check_access_log_format(&stages[0]["Properties"]["AccessLogSetting"]["Format"], true);
        check_cloudwatch_role(&template);
    } else {
        let apis = resources(&template, "AWS::ApiGatewayV2::Api");
        assert_eq!(apis.len(), 1);
        assert_eq!(apis[0]["Properties"]["ProtocolType"], "HTTP");
        assert!(
            apis[0]["Properties"]["CorsConfiguration"].is_object(),
            "CORS"
        );
        let expected = match auth {
            "iam" => "AWS_IAM",
            "cognito" => "JWT",
            "custom" => "CUSTOM",
            _ => "NONE",
        };
        let routes = resources(&template, "AWS::ApiGatewayV2::Route");
        assert_eq!(routes.len(), 4, "a route per operation");
        for route in routes {
            assert_eq!(
                route["Properties"]["AuthorizationType"], expected,
                "{route}"
            );
        }
        let stages = resources(&template, "AWS::ApiGatewayV2::Stage");
        check_access_log_format(
            &stages[0]["Properties"]["AccessLogSettings"]["Format"],
            false,
        );
    }

    if auth == "cognito" {
        check_user_identity(&template);
    }
    if auth == "custom" {
        check_lambda_authorizer(&template, compute_type);
    }

    let template_path = ws.join("dist/packages/infra/cdk.out/demo-infra.template.json");
    assert_cfn_lint_clean(ws, &template_path);

    // The generated checkov target passes: what it accepts is skipped with a reason, on
    // the resource (template metadata) or for every Lambda function (its config file).
    check_build_runs_checkov(ws);
    let summary = run_checkov_target(ws);
    let skipped = cdk_checkov_skips(&template);
    let public_methods = compute_type == "rest" && auth == "none";
    assert_eq!(
        skipped.iter().any(|id| id == "CKV_AWS_59"),
        public_methods,
        "CKV_AWS_59 (methods without auth) is skipped with auth None only: {skipped:?}"
    );
    eprintln!("checkov {compute_type}/{auth}: {summary}; skipped on resources: {skipped:?}");
    run_target(ws, INFRA, "build");

    if auth == "iam" {
        check_grant_invoke_access(ws, compute_type);
    }
}

/// The custom auth's Lambda authorizer: the generated `authorizer.py` from the API's bundle,
/// a REQUEST authorizer of the payload its code parses (REST 1.0 with an IAM policy, HTTP
/// 2.0 with simple responses) on the Authorization header, cached five minutes, that every
/// method or route uses, and that API Gateway may invoke.
fn check_lambda_authorizer(template: &Value, compute_type: &str) {
    let all = template["Resources"].as_object().unwrap();
    let [(function_id, function)] = &all
        .iter()
        .filter(|(_, r)| r["Properties"]["Handler"] == "my_api.authorizer.handler")
        .collect::<Vec<_>>()[..]
    else {
        panic!("one authorizer function");
    };
    assert_eq!(function["Type"], "AWS::Lambda::Function");
    assert_eq!(function["Properties"]["Runtime"], "python3.12");
    assert_eq!(function["Properties"]["Timeout"], 10);
    assert_eq!(
        function["Properties"]["Environment"]["Variables"],
        serde_json::json!({"POWERTOOLS_LOG_LEVEL": "INFO"}),
        "the authorizer's own settings, none of the app's"
    );
    let refers = |value: &Value, id: &str| value.to_string().contains(&format!("\"{id}\""));
    let kind = if compute_type == "rest" {
        "AWS::ApiGateway::Authorizer"
    } else {
        "AWS::ApiGatewayV2::Authorizer"
    };
    let [(authorizer_id, authorizer)] = &all
        .iter()
        .filter(|(_, r)| r["Type"] == kind)
        .collect::<Vec<_>>()[..]
    else {
        panic!("one {kind}");
    };
    let props = &authorizer["Properties"];
    if compute_type == "rest" {
        assert_eq!(props["Type"], "REQUEST", "{props}");
        assert_eq!(
            props["IdentitySource"],
            "method.request.header.Authorization"
        );
        assert_eq!(props["AuthorizerResultTtlInSeconds"], 300);
        assert!(refers(&props["AuthorizerUri"], function_id), "{props}");
    } else {
        assert_eq!(props["AuthorizerType"], "REQUEST", "{props}");
        assert_eq!(props["AuthorizerPayloadFormatVersion"], "2.0");
        assert_eq!(props["EnableSimpleResponses"], true);
        assert_eq!(
            props["IdentitySource"],
            serde_json::json!(["$request.header.Authorization"])
        );
        assert_eq!(props["AuthorizerResultTtlInSeconds"], 300);
        assert!(refers(&props["AuthorizerUri"], function_id), "{props}");
    }
    let (users, kind_of_user) = if compute_type == "rest" {
        ("AWS::ApiGateway::Method", "AuthorizerId")
    } else {
        ("AWS::ApiGatewayV2::Route", "AuthorizerId")
    };
    for (id, user) in all.iter().filter(|(_, r)| r["Type"] == users) {
        let props = &user["Properties"];
        if props["AuthorizationType"] == "CUSTOM" {
            assert!(refers(&props[kind_of_user], authorizer_id), "{id}: {props}");
        } else {
            assert_eq!(
                props["HttpMethod"], "OPTIONS",
                "{id} is a preflight: {props}"
            );
        }
    }
    let invokable = all.iter().any(|(_, r)| {
        r["Type"] == "AWS::Lambda::Permission"
            && r["Properties"]["Principal"] == "apigateway.amazonaws.com"
            && refers(&r["Properties"]["FunctionName"], function_id)
    });
    assert!(invokable, "API Gateway may invoke the authorizer");
}

/// The Cognito user pool and client work as generated: no OAuth defaults (implicit and
/// code flows to https://example.com), case-insensitive emails kept until a change is
/// verified, the pool retained, and both ids in the stack outputs and `RuntimeConfig`.
fn check_user_identity(template: &Value) {
    let pools = resources(template, "AWS::Cognito::UserPool");
    assert_eq!(pools.len(), 1);
    let pool = pools[0];
    assert_eq!(pool["DeletionPolicy"], "Retain", "{pool}");
    let props = &pool["Properties"];
    assert_eq!(
        props["UsernameConfiguration"]["CaseSensitive"], false,
        "{props}"
    );
    assert_eq!(
        props["UserAttributeUpdateSettings"]["AttributesRequireVerificationBeforeUpdate"],
        serde_json::json!(["email"])
    );
    let clients = resources(template, "AWS::Cognito::UserPoolClient");
    assert_eq!(clients.len(), 1);
    let client = &clients[0]["Properties"];
    assert!(
        client["AllowedOAuthFlows"].is_null() && client["CallbackURLs"].is_null(),
        "no OAuth unless asked for: {client}"
    );
    assert_ne!(client["AllowedOAuthFlowsUserPoolClient"], true, "{client}");

    let outputs = template["Outputs"].as_object().unwrap();
    let output_refs: Vec<String> = outputs.values().map(|o| o["Value"].to_string()).collect();
    for kind in ["AWS::Cognito::UserPool", "AWS::Cognito::UserPoolClient"] {
        let id = template["Resources"]
            .as_object()
            .unwrap()
            .iter()
            .find(|(_, r)| r["Type"] == kind)
            .map(|(id, _)| id.clone())
            .unwrap();
        assert!(
            output_refs
                .iter()
                .any(|v| v == &format!("{{\"Ref\":\"{id}\"}}")),
            "a stack output holds the {kind} id: {outputs:?}"
        );
    }
    let runtime_config = outputs
        .iter()
        .find(|(key, _)| key.starts_with("RuntimeConfig"))
        .map(|(_, o)| o["Value"].to_string())
        .unwrap();
    assert!(
        runtime_config.contains("userPoolId") && runtime_config.contains("userPoolClientId"),
        "RuntimeConfig carries the Cognito ids: {runtime_config}"
    );
}

/// Access log lines are JSON and carry the ids the app logs (`requestId` is its
/// `correlation_id`, `functionRequestId` its `function_request_id`), and for a REST API
/// the X-Ray trace id.
fn check_access_log_format(format: &Value, rest: bool) {
    let fields: Value = serde_json::from_str(format.as_str().unwrap_or_default())
        .unwrap_or_else(|err| panic!("access logs are JSON lines ({err}): {format}"));
    assert_eq!(fields["requestId"], "$context.requestId", "{fields}");
    assert_eq!(
        fields["functionRequestId"], "$context.integration.requestId",
        "{fields}"
    );
    if rest {
        assert_eq!(fields["xrayTraceId"], "$context.xrayTraceId", "{fields}");
    }
}

/// Every function's role writes logs to the function's own log group only: no
/// AWSLambdaBasicExecutionRole (`logs:*` on every group), and a policy of that role
/// allows writing to that group.
fn check_log_permissions(template: &Value) {
    let all = template["Resources"].as_object().unwrap();
    for role in resources(template, "AWS::IAM::Role") {
        let managed = role["Properties"]["ManagedPolicyArns"].to_string();
        assert!(
            !managed.contains("AWSLambdaBasicExecutionRole")
                && !managed.contains("AWSLambdaVPCAccessExecutionRole"),
            "a role may write to every log group: {role}"
        );
    }
    let statements = |role_id: &str| -> Vec<&Value> {
        resources(template, "AWS::IAM::Policy")
            .into_iter()
            .filter(|p| {
                p["Properties"]["Roles"]
                    .to_string()
                    .contains(&format!("\"{role_id}\""))
            })
            .flat_map(|p| {
                p["Properties"]["PolicyDocument"]["Statement"]
                    .as_array()
                    .unwrap()
            })
            .collect()
    };
    for (id, function) in all
        .iter()
        .filter(|(_, r)| r["Type"] == "AWS::Lambda::Function")
    {
        let props = &function["Properties"];
        let role = props["Role"]["Fn::GetAtt"][0].as_str().unwrap();
        let log_group = props["LoggingConfig"]["LogGroup"]["Ref"]
            .as_str()
            .unwrap_or_else(|| panic!("{id} logs to a log group of the stack: {props}"));
        let writes_own_group = statements(role).iter().any(|s| {
            s["Action"].to_string().contains("logs:PutLogEvents")
                && s["Resource"]["Fn::GetAtt"][0] == log_group
        });
        assert!(
            writes_own_group,
            "{id}'s role {role} can write to {log_group}"
        );
        for statement in statements(role) {
            if statement["Action"].to_string().contains("logs:") {
                assert!(
                    statement["Resource"]["Fn::GetAtt"][0] == log_group,
                    "{id} writes logs beyond its group: {statement}"
                );
            }
        }
    }
}

/// API Gateway's account-wide CloudWatch role is set by a custom resource that keeps an
/// existing role, not by an `AWS::ApiGateway::Account` the stack would own, and the
/// stage is deployed after it.
fn check_cloudwatch_role(template: &Value) {
    assert!(
        resources(template, "AWS::ApiGateway::Account").is_empty(),
        "no stack owns the account-wide setting"
    );
    for role in resources(template, "AWS::IAM::Role") {
        let trust = role["Properties"]["AssumeRolePolicyDocument"].to_string();
        assert!(
            !trust.contains("apigateway.amazonaws.com"),
            "the stack owns no API Gateway role that deleting it would remove: {role}"
        );
    }
    let ids = |kind: &str| ids_of(template, kind);
    let [setting] = &ids("Custom::ApiGatewayCloudWatchRole")[..] else {
        panic!("one custom resource sets the role")
    };
    let token = &template["Resources"][setting]["Properties"]["ServiceToken"]["Fn::GetAtt"][0];
    let handler = &template["Resources"][token.as_str().unwrap()]["Properties"];
    assert_eq!(handler["Handler"], "index.handler");
    assert_eq!(handler["Runtime"], "python3.12");
    let [stage] = &ids("AWS::ApiGateway::Stage")[..] else {
        panic!("one stage")
    };
    let depends_on = template["Resources"][stage]["DependsOn"].to_string();
    assert!(
        depends_on.contains(&format!("\"{setting}\"")),
        "the stage waits for the role: {depends_on}"
    );
    // The handler creates and passes only its own role.
    for policy in resources(template, "AWS::IAM::Policy") {
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
            .as_array()
            .unwrap()
        {
            let actions = statement["Action"].to_string();
            if actions.contains("iam:CreateRole") || actions.contains("iam:PassRole") {
                assert!(
                    statement["Resource"]
                        .to_string()
                        .contains(":role/ApiGatewayCloudWatchLogsRole"),
                    "{statement}"
                );
            }
        }
    }
}

/// The infra project's `build` runs the checkov target, which scans what `synth` wrote.
fn check_build_runs_checkov(ws: &Path) {
    let project: Value =
        serde_json::from_str(&fs::read_to_string(ws.join(INFRA).join("project.json")).unwrap())
            .unwrap();
    let targets = &project["targets"];
    assert_eq!(
        targets["build"]["dependsOn"],
        serde_json::json!(["compile", "synth", "checkov"])
    );
    assert_eq!(
        targets["checkov"]["dependsOn"],
        serde_json::json!(["synth"])
    );
    assert_eq!(targets["synth"]["dependsOn"][0], "compile");
}

/// Synthesizes the seed's `ExampleStack` and checks that `grantInvokeAccess` grants
/// `execute-api:Invoke` on this API only.
fn check_grant_invoke_access(ws: &Path, compute_type: &str) {
    let infra = ws.join(INFRA);
    fs::write(
        infra.join("src/synth-examples.ts"),
        "import { App } from 'aws-cdk-lib';\nimport { ExampleStack } from './seed-examples.js';\n\nconst app = new App({ outdir: 'cdk.out.examples' });\nnew ExampleStack(app, 'Example');\napp.synth();\n",
    )
    .unwrap();
    run(
        &infra,
        ws.join("node_modules/.bin/tsx").to_str().unwrap(),
        &["src/synth-examples.ts"],
        &[],
    );
    let template: Value = serde_json::from_str(
        &fs::read_to_string(infra.join("cdk.out.examples/Example.template.json")).unwrap(),
    )
    .unwrap();
    let api_id = template["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, r)| {
            r["Type"]
                == if compute_type == "rest" {
                    "AWS::ApiGateway::RestApi"
                } else {
                    "AWS::ApiGatewayV2::Api"
                }
        })
        .map(|(id, _)| id.clone())
        .unwrap();
    let statements: Vec<&Value> = resources(&template, "AWS::IAM::Policy")
        .into_iter()
        .flat_map(|p| {
            p["Properties"]["PolicyDocument"]["Statement"]
                .as_array()
                .unwrap()
        })
        .filter(|s| s["Action"] == "execute-api:Invoke")
        .collect();
    assert_eq!(statements.len(), 1, "one execute-api:Invoke statement");
    let resource = statements[0]["Resource"].to_string();
    assert!(
        resource.contains(&format!("\"Ref\":\"{api_id}\"")),
        "scoped to the API: {resource}"
    );
    assert!(!resource.contains("\"*\""), "not every API: {resource}");
}

/// Nx itself, installed from npm, runs the graph of a workspace with two APIs (REST
/// and HTTP): `infra:build` builds the openapi specs, the metadata, the constructs
/// and the bundles, then compiles, synthesizes and runs checkov on the templates;
/// `my_api:build` runs lint, test, openapi and bundle.
#[test]
fn nx_builds_and_synthesizes_the_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let new = common::fastgen(
        dir.path(),
        &["new", "demo", "--package-manager", "npm", "--skip-install"],
    );
    assert!(new.status.success());
    let ws = dir.path().join("demo");
    for api in [
        &["g", "py#fast-api", "MyApi", "--skip-install"][..],
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
    ] {
        let generate = common::fastgen(&ws, api);
        assert!(
            generate.status.success(),
            "{}",
            String::from_utf8_lossy(&generate.stderr)
        );
    }
    run(&ws, "npm", &["install", "--no-audit", "--no-fund"], &[]);
    run(&ws, "uv", &["sync", "--all-packages"], &[]);
    let env = vec![
        ("NX_DAEMON".to_string(), "false".to_string()),
        ("NX_NO_CLOUD".to_string(), "true".to_string()),
        ("NX_SKIP_NX_CACHE".to_string(), "true".to_string()),
        ("CDK_DISABLE_VERSION_CHECK".to_string(), "1".to_string()),
    ];
    let out = run(
        &ws,
        "npx",
        &["nx", "run", "infra:build", "--outputStyle=static"],
        &env,
    );
    for task in [
        "my_api:openapi",
        "common-constructs:\"generate:my-api-metadata\"",
        "common-constructs:build",
        "my_api:bundle",
        "infra:compile",
        "infra:synth",
        "infra:checkov",
        "infra:build",
    ] {
        assert!(out.contains(task), "nx ran {task}:\n{out}");
    }
    let template: Value = serde_json::from_str(
        &fs::read_to_string(ws.join("dist/packages/infra/cdk.out/demo-infra.template.json"))
            .unwrap(),
    )
    .unwrap();
    let api_functions = resources(&template, "AWS::Lambda::Function")
        .into_iter()
        .filter(|f| f["Properties"]["Handler"] != "index.handler")
        .count();
    assert_eq!(
        api_functions, 8,
        "4 operations × 2 APIs (and the CloudWatch role's custom resource)"
    );
    assert_eq!(resources(&template, "AWS::ApiGateway::RestApi").len(), 1);
    assert_eq!(resources(&template, "AWS::ApiGatewayV2::Api").len(), 1);
    assert_eq!(resources(&template, "AWS::Cognito::UserPool").len(), 1);

    let out = run(
        &ws,
        "npx",
        &["nx", "run", "my_api:build", "--outputStyle=static"],
        &env,
    );
    for task in [
        "my_api:lint",
        "my_api:test",
        "my_api:openapi",
        "my_api:bundle",
    ] {
        assert!(out.contains(task), "nx ran {task}:\n{out}");
    }
}

/// A FastAPI `{name:path}` parameter becomes API Gateway's greedy `{name+}` in
/// the CDK routes of REST and HTTP APIs, and the handler receives the whole path.
#[test]
fn path_parameters_become_greedy_routes() {
    for compute_type in ["rest", "http"] {
        let (_dir, ws) = workspace_with_api(&["--compute-type", compute_type, "--auth", "none"]);
        let main_py = ws.join("packages/my_api/my_api/main.py");
        let mut main = fs::read_to_string(&main_py).unwrap();
        main.push_str(
            "\n\n@app.get(\"/files/{file_path:path}\")\ndef read_file(file_path: str) -> dict[str, str]:\n    return {\"file_path\": file_path}\n",
        );
        fs::write(&main_py, main).unwrap();
        run(&ws, "uv", &["sync", "--all-packages"], &[]);
        run_target(&ws, "packages/my_api", "openapi");
        let spec: Value = serde_json::from_str(
            &fs::read_to_string(ws.join("dist/packages/my_api/openapi/openapi.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(
            spec["paths"]["/files/{file_path}"]["get"]["x-api-gateway-path"],
            "/files/{file_path+}"
        );
        assert!(
            spec["paths"]["/echo"]["get"]
                .get("x-api-gateway-path")
                .is_none()
        );

        link_node_modules(&ws, "node");
        run_target(
            &ws,
            "packages/common/constructs",
            "generate:my-api-metadata",
        );
        let metadata = fs::read_to_string(
            ws.join("packages/common/constructs/src/generated/my-api/metadata.gen.ts"),
        )
        .unwrap();
        assert!(
            metadata.contains("path: '/files/{file_path+}'"),
            "{metadata}"
        );
        run_target(&ws, "packages/my_api", "bundle");
        run_target(&ws, "packages/infra", "synth");
        let template: Value = serde_json::from_str(
            &fs::read_to_string(ws.join("dist/packages/infra/cdk.out/demo-infra.template.json"))
                .unwrap(),
        )
        .unwrap();
        if compute_type == "rest" {
            let parts: Vec<&str> = resources(&template, "AWS::ApiGateway::Resource")
                .iter()
                .filter_map(|r| r["Properties"]["PathPart"].as_str())
                .collect();
            assert!(parts.contains(&"{file_path+}"), "{parts:?}");
        } else {
            let routes: Vec<&str> = resources(&template, "AWS::ApiGatewayV2::Route")
                .iter()
                .filter_map(|r| r["Properties"]["RouteKey"].as_str())
                .collect();
            assert!(routes.contains(&"GET /files/{file_path+}"), "{routes:?}");
        }
    }
}

/// An API generated without infrastructure gets it on a re-run with
/// `--infra rest-lambda`, and the workspace then synthesizes.
#[test]
fn infrastructure_added_later_synthesizes() {
    let (_dir, ws) = workspace_with_api(&["--infra", "none"]);
    assert!(!ws.join("packages/infra").exists());
    let upgrade = common::fastgen(
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
    assert!(
        upgrade.status.success(),
        "{}",
        String::from_utf8_lossy(&upgrade.stderr)
    );
    run(&ws, "uv", &["sync", "--all-packages"], &[]);
    link_node_modules(&ws, "node");
    run_target(&ws, "packages/my_api", "openapi");
    run_target(&ws, "packages/my_api", "bundle");
    run_target(&ws, CONSTRUCTS, "generate:my-api-metadata");
    run_target(&ws, CONSTRUCTS, "build");
    run_target(&ws, INFRA, "compile");
    run_target(&ws, INFRA, "synth");
    let template: Value = serde_json::from_str(
        &fs::read_to_string(ws.join("dist/packages/infra/cdk.out/demo-infra.template.json"))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(resources(&template, "AWS::ApiGateway::RestApi").len(), 1);
    let functions = resources(&template, "AWS::Lambda::Function");
    assert_eq!(
        functions
            .iter()
            .filter(|f| f["Properties"]["Handler"] == "my_api.main.handler")
            .count(),
        4,
        "one per operation"
    );
}

/// The scripts that set API Gateway's CloudWatch role (the CDK custom resource's handler
/// and the Terraform root's script) keep a role the account uses, set one only where
/// none lives, and leave it when a stack is deleted: run against a fake account.
#[test]
fn the_cloudwatch_role_is_set_only_where_missing() {
    let (_cdk_dir, cdk) = workspace_with_api(&[]);
    let (_tf_dir, tf) = workspace_with_api(&["--iac-provider", "terraform"]);
    let harness = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/python/api_gateway_account_test.py");
    let handler = cdk
        .join(CONSTRUCTS)
        .join("src/core/api/api-gateway-account/index.py");
    let script = tf.join(INFRA).join("scripts/api_gateway_account.py");
    let (handler, script) = (handler.to_str().unwrap(), script.to_str().unwrap());
    // Linted and formatted as the API project lints its own code.
    let config = cdk.join("packages/my_api/pyproject.toml");
    for command in [&["check"][..], &["format", "--check"]] {
        let mut args = vec!["run", "--no-project", "--with", "ruff", "ruff"];
        args.extend_from_slice(command);
        args.extend(["--config", config.to_str().unwrap(), handler, script]);
        run(&cdk, "uv", &args, &[]);
    }
    let harness = harness.to_str().unwrap();
    run(
        &cdk,
        "uv",
        &["run", "--no-project", "python", harness, handler, script],
        &[],
    );
}

/// `--architecture arm64`: every Python function of the synthesized template runs on arm64,
/// the streaming API with the arm64 Lambda Web Adapter, and the bundles carry aarch64
/// wheels (with their bytecode).
#[test]
fn arm64_functions_and_wheels() {
    let (_dir, ws) = workspace_with_api(&["--architecture", "arm64"]);
    common::add_api(
        &ws,
        "Streamy",
        &["--compute-type", "function-url", "--architecture", "arm64"],
    );
    run(&ws, "uv", &["sync", "--all-packages"], &[]);
    link_node_modules(&ws, "node");
    for module in ["my_api", "streamy"] {
        let root = format!("packages/{module}");
        run_target(&ws, &root, "openapi");
        run_target(&ws, &root, "bundle");
        let bundle = ws.join("dist").join(&root).join("bundle");
        let core = fs::read_dir(bundle.join("pydantic_core"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .find(|name| name.ends_with(".so"))
            .expect("pydantic_core's extension module");
        assert!(core.contains("aarch64"), "{module}: {core}");
        check_bytecode_headers(&bundle);
    }
    run_target(&ws, CONSTRUCTS, "generate:my-api-metadata");
    let (template_path, template) = common::build_and_synth(&ws);
    let python: Vec<&Value> = resources(&template, "AWS::Lambda::Function")
        .into_iter()
        .filter(|f| {
            f["Properties"]["Runtime"]
                .as_str()
                .is_some_and(|r| r.starts_with("python"))
        })
        .collect();
    assert!(
        python.len() >= 6,
        "4 REST operations, the stream, the custom resource"
    );
    for function in python {
        assert_eq!(
            function["Properties"]["Architectures"],
            serde_json::json!(["arm64"]),
            "{function}"
        );
    }
    let text = template.to_string();
    assert!(
        text.contains("layer:LambdaAdapterLayerArm64:") && !text.contains("LambdaAdapterLayerX86"),
        "the arm64 Lambda Web Adapter"
    );
    assert_cfn_lint_clean(&ws, &template_path);
}

/// The logical ids of a template's resources of `kind`.
fn ids_of(template: &Value, kind: &str) -> Vec<String> {
    template["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, r)| r["Type"] == kind)
        .map(|(id, _)| id.clone())
        .collect()
}

/// The Lambda functions that run an API (not CDK's custom-resource handlers).
fn api_function_ids(template: &Value) -> Vec<String> {
    ids_of(template, "AWS::Lambda::Function")
        .into_iter()
        .filter(|id| template["Resources"][id]["Properties"]["Handler"] != "index.handler")
        .collect()
}

/// `--snap-start`: every API function publishes SnapStart versions, and API Gateway (REST
/// and HTTP) and the Function URL invoke them through the `live` alias, with their
/// permissions on it; cfn-lint and the checkov gate pass.
#[test]
fn snap_start_invokes_the_live_alias() {
    let (_dir, ws) = workspace_with_api(&["--snap-start"]);
    common::add_api(&ws, "Hapi", &["--compute-type", "http", "--snap-start"]);
    let streamy = [
        "--compute-type",
        "function-url",
        "--auth",
        "none",
        "--snap-start",
    ];
    common::add_api(&ws, "Streamy", &streamy);
    run(&ws, "uv", &["sync", "--all-packages"], &[]);
    link_node_modules(&ws, "node");
    for module in ["my_api", "hapi", "streamy"] {
        let root = format!("packages/{module}");
        run_target(&ws, &root, "openapi");
        run_target(&ws, &root, "bundle");
    }
    for kebab in ["my-api", "hapi"] {
        run_target(&ws, CONSTRUCTS, &format!("generate:{kebab}-metadata"));
    }
    let (template_path, template) = common::build_and_synth(&ws);
    let all = template["Resources"].as_object().unwrap();
    let ids = |kind: &str| ids_of(&template, kind);
    let api_functions = api_function_ids(&template);
    assert_eq!(
        api_functions.len(),
        4 + 4 + 1,
        "REST and HTTP per operation, the stream"
    );
    for id in &api_functions {
        assert_eq!(
            all[id]["Properties"]["SnapStart"],
            serde_json::json!({"ApplyOn": "PublishedVersions"}),
            "{id}"
        );
    }
    let aliases = ids("AWS::Lambda::Alias");
    assert_eq!(aliases.len(), api_functions.len(), "an alias per function");
    let via_alias = |value: &Value| {
        aliases
            .iter()
            .any(|alias| value.to_string().contains(&format!("\"{alias}\"")))
    };
    for id in ids("AWS::ApiGateway::Method") {
        let integration = &all[&id]["Properties"]["Integration"];
        if integration["Type"] == "AWS_PROXY" {
            assert!(
                via_alias(&integration["Uri"]),
                "{id} invokes an alias: {integration}"
            );
        }
    }
    for id in ids("AWS::ApiGatewayV2::Integration") {
        let uri = &all[&id]["Properties"]["IntegrationUri"];
        assert!(via_alias(uri), "{id} invokes an alias: {uri}");
    }
    for id in ids("AWS::Lambda::Url") {
        let url = &all[&id]["Properties"];
        assert_eq!(url["Qualifier"], "live", "{id} is the alias's URL: {url}");
    }
    for id in ids("AWS::Lambda::Permission") {
        let function = &all[&id]["Properties"]["FunctionName"];
        assert!(
            via_alias(function),
            "{id} permits invoking an alias: {function}"
        );
    }
    assert_cfn_lint_clean(&ws, &template_path);
    run_checkov_target(&ws);
}

/// `--integration-pattern shared`: one router function per API that every method (REST)
/// and route (HTTP) invokes, with few permissions however many operations there are;
/// cfn-lint and the checkov gate pass.
#[test]
fn the_shared_pattern_routes_every_operation_to_one_function() {
    let (_dir, ws) = workspace_with_api(&["--integration-pattern", "shared"]);
    let http = ["--compute-type", "http", "--integration-pattern", "shared"];
    common::add_api(&ws, "Hapi", &http);
    run(&ws, "uv", &["sync", "--all-packages"], &[]);
    link_node_modules(&ws, "node");
    for (module, kebab) in [("my_api", "my-api"), ("hapi", "hapi")] {
        let root = format!("packages/{module}");
        run_target(&ws, &root, "openapi");
        run_target(&ws, &root, "bundle");
        run_target(&ws, CONSTRUCTS, &format!("generate:{kebab}-metadata"));
    }
    let prettier = ws.join("node_modules/.bin/prettier");
    let apis = format!("{CONSTRUCTS}/src/app/apis");
    run(&ws, prettier.to_str().unwrap(), &["--check", &apis], &[]);
    let (template_path, template) = common::build_and_synth(&ws);
    let all = template["Resources"].as_object().unwrap();
    let ids = |kind: &str| ids_of(&template, kind);
    let functions = api_function_ids(&template);
    assert_eq!(functions.len(), 2, "one router per API: {functions:?}");
    let router = |handler: &str| {
        functions
            .iter()
            .find(|id| all[*id]["Properties"]["Handler"] == handler)
            .unwrap_or_else(|| panic!("a function runs {handler}"))
            .clone()
    };
    let (rest_router, http_router) = (router("my_api.main.handler"), router("hapi.main.handler"));
    let invokes =
        |value: &Value, function: &str| value.to_string().contains(&format!("\"{function}\""));
    let methods: Vec<String> = ids("AWS::ApiGateway::Method")
        .into_iter()
        .filter(|id| all[id]["Properties"]["Integration"]["Type"] == "AWS_PROXY")
        .collect();
    assert_eq!(methods.len(), 4, "a method per operation: {methods:?}");
    for id in &methods {
        let uri = &all[id]["Properties"]["Integration"]["Uri"];
        assert!(invokes(uri, &rest_router), "{id} invokes the router: {uri}");
    }
    let routes = ids("AWS::ApiGatewayV2::Route");
    assert_eq!(routes.len(), 4, "a route per operation: {routes:?}");
    let integrations = ids("AWS::ApiGatewayV2::Integration");
    assert_eq!(integrations.len(), 1, "every route shares one integration");
    let uri = &all[&integrations[0]]["Properties"]["IntegrationUri"];
    assert!(invokes(uri, &http_router), "{uri}");
    for id in &routes {
        let target = &all[id]["Properties"]["Target"];
        assert!(invokes(target, &integrations[0]), "{id}: {target}");
    }
    // However many operations, the router's resource policy holds one permission per API.
    for router in [&rest_router, &http_router] {
        let permissions: Vec<String> = ids("AWS::Lambda::Permission")
            .into_iter()
            .filter(|id| invokes(&all[id]["Properties"]["FunctionName"], router))
            .collect();
        assert_eq!(permissions.len(), 1, "{router}: {permissions:?}");
    }
    assert_cfn_lint_clean(&ws, &template_path);
    run_checkov_target(&ws);
}
