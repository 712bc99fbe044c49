//! Streaming APIs (`--compute-type function-url`): the generated app really streams when
//! `run.sh` serves the built bundle under uvicorn, keeps its observability promises
//! without Mangum (correlation id from the Lambda Web Adapter's `x-amzn-lambda-context`,
//! EMF metrics flushed per request, cold start once), and its CDK construct synthesizes
//! a streaming Function URL with the adapter layer that passes the generated checkov
//! target. Run through `scripts/test.sh`.

mod common;

use std::fs;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use common::stream::{epoch, epoch_seconds, get};
use common::{
    assert_cfn_lint_clean, cdk_checkov_skips, link_node_modules, python312, run,
    run_checkov_target, run_target, workspace_with_api,
};
use serde_json::Value;

const ROOT: &str = "packages/my_api";
const CONSTRUCTS: &str = "packages/common/constructs";
const INFRA: &str = "packages/infra";

/// A function-url workspace with its Python dependencies installed and its bundle built.
fn built_workspace(auth: &str) -> (tempfile::TempDir, PathBuf) {
    let (dir, ws) = workspace_with_api(&["--compute-type", "function-url", "--auth", auth]);
    run(&ws, "uv", &["sync", "--all-packages"], &[]);
    run_target(&ws, ROOT, "bundle");
    (dir, ws)
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path)
        .unwrap_or_else(|err| panic!("{}: {err}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

// ---------------------------------------------------------------------------
// The app: run.sh + uvicorn from the bundle, read with a plain HTTP/1.1 client
// ---------------------------------------------------------------------------

/// The uvicorn server started by `run.sh`; killed when dropped, even on a failed assert.
struct Server {
    child: Child,
    port: u16,
    stdout: PathBuf,
}

impl Server {
    fn start(bundle: &Path, scratch: &Path) -> Server {
        // run.sh runs the `python3` on PATH, as in Lambda: make it Python 3.12.
        let bin = scratch.join("bin");
        fs::create_dir_all(&bin).unwrap();
        std::os::unix::fs::symlink(python312(), bin.join("python3")).unwrap();
        let path = format!(
            "{}:{}",
            bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let stdout = scratch.join("stdout.log");
        let stderr = scratch.join("stderr.log");
        // Started from elsewhere: run.sh must find the bundle by itself.
        let child = Command::new(bundle.join("run.sh"))
            .current_dir(scratch)
            .env("PATH", path)
            .env("PORT", port.to_string())
            .env_remove("PYTHONPATH")
            .env_remove("VIRTUAL_ENV")
            .env("POWERTOOLS_TRACE_DISABLED", "true")
            .stdout(Stdio::from(fs::File::create(&stdout).unwrap()))
            .stderr(Stdio::from(fs::File::create(&stderr).unwrap()))
            .spawn()
            .expect("run.sh is executable");
        let mut server = Server {
            child,
            port,
            stdout,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(status) = server.child.try_wait().unwrap() {
                panic!(
                    "run.sh exited ({status}) before listening:\n{}",
                    fs::read_to_string(&stderr).unwrap_or_default()
                );
            }
            assert!(
                Instant::now() < deadline,
                "uvicorn did not listen on {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    /// What the app has written to stdout so far: JSON log lines and EMF documents.
    fn output(&self) -> Vec<Value> {
        fs::read_to_string(&self.stdout)
            .unwrap()
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| {
                serde_json::from_str(line)
                    .unwrap_or_else(|err| panic!("stdout line is not JSON ({err}): {line}"))
            })
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `x-amzn-lambda-context` header the Lambda Web Adapter adds to each invocation.
fn lambda_context(request_id: &str) -> String {
    serde_json::json!({
        "request_id": request_id,
        "deadline": 1_795_550_430_000_u64,
        "invoked_function_arn": "arn:aws:lambda:us-east-1:123456789012:function:my-api-handler",
        "xray_trace_id": "Root=1-67748f00-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1",
        "client_context": null,
        "identity": null,
        "env_config": {
            "function_name": "my-api-handler",
            "memory": 512,
            "version": "$LATEST",
            "log_stream": "2026/11/24/[$LATEST]0123456789abcdef",
            "log_group": "/aws/lambda/my-api-handler"
        }
    })
    .to_string()
}

/// The `Request completed` log lines: one per request.
fn request_lines(output: &[Value]) -> Vec<&Value> {
    output
        .iter()
        .filter(|doc| doc["message"] == "Request completed")
        .collect()
}

fn metric_docs<'a>(output: &'a [Value], name: &str) -> Vec<&'a Value> {
    output
        .iter()
        .filter(|doc| doc.get("_aws").is_some() && doc.get(name).is_some())
        .collect()
}

#[test]
fn the_bundle_streams_under_uvicorn_through_run_sh() {
    let (dir, ws) = built_workspace("iam");

    // The project's own checks pass, with nothing skipped.
    run_target(&ws, ROOT, "lint");
    let tests = run_target(&ws, ROOT, "test");
    assert!(tests.contains(" passed"), "{tests}");
    assert!(
        !tests.contains(" skipped"),
        "no generated test may skip: {tests}"
    );
    run_target(&ws, ROOT, "openapi");
    let spec: Value = serde_json::from_str(
        &fs::read_to_string(ws.join("dist/packages/my_api/openapi/openapi.json")).unwrap(),
    )
    .unwrap();
    let stream = &spec["paths"]["/stream"]["get"];
    assert_eq!(stream["x-streaming"], true);
    assert_eq!(
        stream["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Chunk",
        "the chunk type is documented"
    );

    // run.sh is executable in the project and in the bundle, next to uvicorn; no Mangum.
    let bundle = ws.join("dist/packages/my_api/bundle");
    assert_eq!(mode(&ws.join(ROOT).join("run.sh")), 0o755);
    assert_eq!(mode(&bundle.join("run.sh")), 0o755);
    assert!(bundle.join("uvicorn").is_dir(), "uvicorn is bundled");
    assert!(
        !bundle.join("mangum").exists(),
        "no Mangum behind a Function URL"
    );
    assert!(!bundle.join("pytest").exists(), "no dev dependencies");

    let scratch = dir.path().join("server");
    let server = Server::start(&bundle, &scratch);

    // Streaming: the first chunk arrives before the last one is even produced.
    let response = get(
        server.port,
        "/stream?count=5&interval=0.3",
        &[("x-amzn-lambda-context", &lambda_context("stream-1"))],
    );
    assert_eq!(response.status, 200, "{}", response.body());
    assert!(
        response
            .header("content-type")
            .is_some_and(|t| t.starts_with("application/jsonl")),
        "{:?}",
        response.headers
    );
    assert_eq!(response.header("transfer-encoding"), Some("chunked"));
    assert_eq!(response.header("x-correlation-id"), Some("stream-1"));
    let chunks: Vec<(Value, Instant, SystemTime)> = response
        .lines
        .iter()
        .map(|(line, at, wall)| {
            let chunk: Value = serde_json::from_str(line)
                .unwrap_or_else(|err| panic!("not a JSON line ({err}): {line:?}"));
            (chunk, *at, *wall)
        })
        .collect();
    assert_eq!(chunks.len(), 5, "{}", response.body());
    for (i, (chunk, _, _)) in chunks.iter().enumerate() {
        let object = chunk.as_object().unwrap();
        assert_eq!(
            object.len(),
            2,
            "a Chunk has message and timestamp: {chunk}"
        );
        assert_eq!(chunk["message"], format!("This is chunk {i}"));
        epoch_seconds(chunk["timestamp"].as_str().unwrap());
    }
    let (_, first_at, first_wall) = &chunks[0];
    let (last, last_at, _) = &chunks[4];
    let last_produced = epoch_seconds(last["timestamp"].as_str().unwrap());
    assert!(
        epoch(*first_wall) < last_produced,
        "the first chunk arrived ({}) before the last was produced ({last_produced})",
        epoch(*first_wall)
    );
    let spread = last_at.duration_since(*first_at);
    assert!(
        spread > Duration::from_millis(800),
        "chunks arrive as they are produced, 0.3 s apart: first to last took {spread:?}"
    );
    // Its metrics were written before the response ended.
    let docs = server.output();
    let stream_docs: Vec<_> = metric_docs(&docs, "RequestCount")
        .into_iter()
        .filter(|d| d["route"] == "GET /stream")
        .collect();
    assert_eq!(stream_docs.len(), 1, "{docs:?}");
    // So was its request log line, written once the last chunk was: its latency is the stream's.
    let stream_lines = request_lines(&docs);
    assert_eq!(stream_lines.len(), 1, "{docs:?}");
    let line = stream_lines[0];
    assert_eq!(line["level"], "INFO", "{line}");
    assert_eq!(line["http_method"], "GET", "{line}");
    assert_eq!(line["path"], "/stream", "{line}");
    assert_eq!(line["route"], "/stream", "{line}");
    assert_eq!(line["status_code"], 200, "{line}");
    assert_eq!(line["correlation_id"], "stream-1", "{line}");
    assert_eq!(line["function_request_id"], "stream-1", "{line}");
    assert_eq!(line["cold_start"], true, "{line}");
    let latency = line["latency_ms"]
        .as_f64()
        .unwrap_or_else(|| panic!("{line}"));
    assert!(latency >= 1200.0, "4 intervals of 0.3 s: {line}");

    // The other routes, as Lambda invocations forwarded by the adapter.
    let item = get(
        server.port,
        "/items/3",
        &[("x-amzn-lambda-context", &lambda_context("abc"))],
    );
    assert_eq!(item.status, 200, "{}", item.body());
    assert_eq!(item.header("x-correlation-id"), Some("abc"));
    let body: Value = serde_json::from_str(&item.body()).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"name": "Item 3", "description": null})
    );

    let echo = get(
        server.port,
        "/echo?message=hi",
        &[
            ("x-amzn-lambda-context", &lambda_context("def")),
            ("x-correlation-id", "from-client"),
        ],
    );
    assert_eq!(echo.status, 200);
    assert_eq!(
        echo.header("x-correlation-id"),
        Some("def"),
        "the Lambda request id, not the client's id"
    );
    let body: Value = serde_json::from_str(&echo.body()).unwrap();
    assert_eq!(body, serde_json::json!({"message": "hi"}));

    let invalid = get(
        server.port,
        "/items/abc",
        &[("x-amzn-lambda-context", &lambda_context("ghi"))],
    );
    assert_eq!(invalid.status, 422);
    assert_eq!(invalid.header("x-correlation-id"), Some("ghi"));

    // Read while the server still runs: nothing waits for a shutdown to be written.
    let output = server.output();
    let logs: Vec<&Value> = output.iter().filter(|d| d.get("_aws").is_none()).collect();
    let fetching: Vec<&&Value> = logs
        .iter()
        .filter(|l| l["message"] == "Fetching item")
        .collect();
    assert_eq!(fetching.len(), 1, "{logs:?}");
    let log = fetching[0];
    assert_eq!(log["level"], "INFO");
    assert_eq!(log["correlation_id"], "abc");
    assert_eq!(log["function_request_id"], "abc");
    assert_eq!(log["function_name"], "my-api-handler");
    assert_eq!(log["route"], "/items/{item_id}");
    assert_eq!(log["cold_start"], false, "the stream was the cold start");

    let cold_starts = metric_docs(&output, "ColdStart");
    assert_eq!(
        cold_starts.len(),
        1,
        "one cold start per process: {output:?}"
    );
    assert_eq!(cold_starts[0]["function_name"], "my-api-handler");
    assert_eq!(cold_starts[0]["service"], "MyApi");

    let requests = metric_docs(&output, "RequestCount");
    let routes: Vec<&str> = requests
        .iter()
        .map(|d| d["route"].as_str().unwrap())
        .collect();
    assert_eq!(
        routes,
        [
            "GET /stream",
            "GET /items/{item_id}",
            "GET /echo",
            "GET /items/{item_id}"
        ],
        "one EMF document per request, in order"
    );
    for doc in &requests {
        assert_eq!(doc["RequestCount"], serde_json::json!([1.0]), "{doc}");
        let directive = &doc["_aws"]["CloudWatchMetrics"][0];
        assert_eq!(directive["Namespace"], "MyApi");
        assert_eq!(doc["service"], "MyApi");
    }
    assert_eq!(requests[1]["ItemViewed"], serde_json::json!([1.0]));
    assert_eq!(requests[3]["Success"], serde_json::json!([0.0]), "422");
    assert_eq!(requests[3]["Failure"], serde_json::json!([0.0]), "422");

    // One request log line per request, in order, with the invocation's Lambda context.
    let lines: Vec<(&str, &str, i64, &str, bool)> = request_lines(&output)
        .iter()
        .map(|l| {
            assert!(l["latency_ms"].is_f64(), "{l}");
            assert_eq!(l["function_name"], "my-api-handler", "{l}");
            (
                l["path"].as_str().unwrap(),
                l["route"].as_str().unwrap(),
                l["status_code"].as_i64().unwrap(),
                l["correlation_id"].as_str().unwrap(),
                l["cold_start"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            ("/stream", "/stream", 200, "stream-1", true),
            ("/items/3", "/items/{item_id}", 200, "abc", false),
            ("/echo", "/echo", 200, "def", false),
            ("/items/abc", "/items/{item_id}", 422, "ghi", false),
        ]
    );
    // The client's own id is logged apart, on its request only.
    let client_ids: Vec<&Value> = request_lines(&output)
        .iter()
        .map(|l| &l["client_correlation_id"])
        .collect();
    assert_eq!(
        client_ids,
        [
            &Value::Null,
            &Value::Null,
            &"from-client".into(),
            &Value::Null
        ]
    );

    // A request without the adapter's header is no invocation: no cold start, no flush.
    let local = get(server.port, "/echo", &[]);
    assert_eq!(local.status, 200);
    assert!(uuid_like(local.header("x-correlation-id").unwrap()));
    let output = server.output();
    assert_eq!(metric_docs(&output, "RequestCount").len(), 4);
    let last = *request_lines(&output).last().unwrap();
    assert_eq!(last["path"], "/echo", "{last}");
    assert!(last.get("function_request_id").is_none(), "{last}");
    drop(server);
}

fn uuid_like(text: &str) -> bool {
    text.len() == 36 && text.chars().filter(|&c| c == '-').count() == 4
}

// ---------------------------------------------------------------------------
// CDK: tsc, cdk synth, the synthesized template, cfn-lint, checkov, grantInvokeAccess
// ---------------------------------------------------------------------------

fn resources<'a>(template: &'a Value, kind: &str) -> Vec<(&'a String, &'a Value)> {
    template["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, r)| r["Type"] == kind)
        .collect()
}

fn check_cdk(auth: &str) {
    let (_dir, ws) = built_workspace(auth);
    link_node_modules(&ws, "node-streaming");

    let constructs = ws.join(CONSTRUCTS);
    assert!(
        !constructs.join("src/core/api").join("rest-api.ts").exists()
            && !constructs.join("src/core/api").join("http-api.ts").exists(),
        "no API Gateway construct for a Function URL"
    );
    let index = fs::read_to_string(constructs.join("src/app/apis/index.ts")).unwrap();
    assert!(index.contains("export * from './my-api.js';"), "{index}");
    let stack = fs::read_to_string(ws.join(INFRA).join("src/stacks/application-stack.ts")).unwrap();
    assert!(stack.contains("new MyApi(this, 'MyApi');"), "{stack}");

    // The seed's usage compiles, with and without props, and so does a grant.
    fs::write(
        ws.join(INFRA).join("src/function-url-examples.ts"),
        format!(
            "import {{ App, Duration, Stack }} from 'aws-cdk-lib';\n\
             {}import {{ MyApi }} from ':demo/common-constructs';\n\n\
             const app = new App({{ outdir: 'cdk.out.examples' }});\n\
             const stack = new Stack(app, 'Example');\n\
             const api = new MyApi(stack, 'MyApi');\n\
             new MyApi(stack, 'Tuned', {{\n  allowedOrigins: ['https://example.com'],\n  functionProps: {{ memorySize: 1024, timeout: Duration.minutes(5) }},\n}});\n\
             const url: string = api.url;\n\
             api.handler.addEnvironment('URL_LENGTH', `${{url.length}}`);\n\
             {}\
             app.synth();\n",
            if auth == "iam" {
                "import { AccountRootPrincipal, Role } from 'aws-cdk-lib/aws-iam';\n"
            } else {
                ""
            },
            if auth == "iam" {
                "const caller = new Role(stack, 'Caller', { assumedBy: new AccountRootPrincipal() });\napi.grantInvokeAccess(caller);\n"
            } else {
                ""
            }
        ),
    )
    .unwrap();
    let (template_path, template) = common::build_and_synth(&ws);
    let functions = resources(&template, "AWS::Lambda::Function");
    assert_eq!(functions.len(), 1, "one function serves every route");
    let (function_id, function) = functions[0];
    let props = &function["Properties"];
    assert_eq!(props["Runtime"], "python3.12");
    assert_eq!(props["Handler"], "run.sh");
    assert_eq!(props["TracingConfig"]["Mode"], "Active");
    let env = &props["Environment"]["Variables"];
    assert_eq!(env["AWS_LAMBDA_EXEC_WRAPPER"], "/opt/bootstrap");
    assert_eq!(env["AWS_LWA_INVOKE_MODE"], "response_stream");
    assert_eq!(env["PORT"], "8000");
    assert_eq!(env["POWERTOOLS_SERVICE_NAME"], "MyApi");
    assert_eq!(env["POWERTOOLS_METRICS_NAMESPACE"], "MyApi");
    assert_eq!(env["POWERTOOLS_TRACER_CAPTURE_RESPONSE"], "false");
    if auth == "iam" {
        assert!(props["ReservedConcurrentExecutions"].is_null(), "{props}");
    } else {
        assert_eq!(
            props["ReservedConcurrentExecutions"], 10,
            "a public URL bounds what anyone can make the function run"
        );
    }
    let layers = props["Layers"].to_string();
    assert!(
        layers.contains("arn:aws:lambda:")
            && layers.contains(":753240598075:layer:LambdaAdapterLayerX86:24"),
        "the Lambda Web Adapter layer of the stack's region: {layers}"
    );
    let log_group = props["LoggingConfig"]["LogGroup"]["Ref"]
        .as_str()
        .unwrap_or_else(|| panic!("a log group of its own: {props}"));
    assert!(
        template["Resources"][log_group]["Properties"]["RetentionInDays"].is_number(),
        "with a retention period"
    );

    let urls = resources(&template, "AWS::Lambda::Url");
    assert_eq!(urls.len(), 1);
    let url = &urls[0].1["Properties"];
    assert_eq!(url["InvokeMode"], "RESPONSE_STREAM");
    assert_eq!(
        url["AuthType"],
        if auth == "iam" { "AWS_IAM" } else { "NONE" }
    );
    assert_eq!(
        url["TargetFunctionArn"]["Fn::GetAtt"][0].as_str(),
        Some(function_id.as_str())
    );
    assert_eq!(url["Cors"]["AllowOrigins"], serde_json::json!(["*"]));
    assert!(
        url["Cors"]["ExposeHeaders"]
            .to_string()
            .contains("x-correlation-id")
    );
    assert!(resources(&template, "AWS::ApiGateway::RestApi").is_empty());
    assert!(resources(&template, "AWS::ApiGatewayV2::Api").is_empty());

    let public: Vec<&Value> = resources(&template, "AWS::Lambda::Permission")
        .into_iter()
        .map(|(_, p)| &p["Properties"])
        .filter(|p| p["Principal"] == "*")
        .collect();
    if auth == "iam" {
        assert!(public.is_empty(), "IAM: nothing public: {public:?}");
    } else {
        let actions: Vec<&str> = public
            .iter()
            .map(|p| p["Action"].as_str().unwrap())
            .collect();
        assert!(
            actions.contains(&"lambda:InvokeFunctionUrl")
                && actions.contains(&"lambda:InvokeFunction"),
            "a public URL needs both permissions: {public:?}"
        );
    }

    let outputs = template["Outputs"].as_object().unwrap();
    assert!(
        outputs.keys().any(|k| k.contains("MyApiUrl")),
        "the URL is an output: {outputs:?}"
    );
    let runtime_config = outputs["RuntimeConfig"]["Value"].to_string();
    assert!(runtime_config.contains("MyApi"), "{runtime_config}");

    assert_cfn_lint_clean(&ws, &template_path);

    // The generated checkov target passes; the public URL is skipped with auth None only.
    let summary = run_checkov_target(&ws);
    let skipped = cdk_checkov_skips(&template);
    assert_eq!(
        skipped.iter().any(|id| id == "CKV_AWS_258"),
        auth == "none",
        "CKV_AWS_258 (a URL without auth) is skipped with auth None only: {skipped:?}"
    );
    eprintln!("checkov function-url/{auth}: {summary}; skipped on resources: {skipped:?}");

    // The examples synthesize; with IAM, grantInvokeAccess is scoped to this function URL.
    let infra = ws.join(INFRA);
    run(
        &infra,
        ws.join("node_modules/.bin/tsx").to_str().unwrap(),
        &["src/function-url-examples.ts"],
        &[],
    );
    let example: Value = serde_json::from_str(
        &fs::read_to_string(infra.join("cdk.out.examples/Example.template.json")).unwrap(),
    )
    .unwrap();
    let tuned = resources(&example, "AWS::Lambda::Function")
        .into_iter()
        .find(|(id, _)| id.starts_with("Tuned"))
        .unwrap()
        .1;
    assert_eq!(tuned["Properties"]["MemorySize"], 1024);
    assert_eq!(tuned["Properties"]["Timeout"], 300);
    assert_eq!(
        tuned["Properties"]["Environment"]["Variables"]["AWS_LWA_INVOKE_MODE"], "response_stream",
        "overrides keep the adapter's settings"
    );
    if auth == "iam" {
        let function_id = resources(&example, "AWS::Lambda::Function")
            .into_iter()
            .find(|(id, _)| id.starts_with("MyApi"))
            .unwrap()
            .0
            .clone();
        let statements: Vec<&Value> = resources(&example, "AWS::IAM::Policy")
            .into_iter()
            .flat_map(|(_, p)| {
                p["Properties"]["PolicyDocument"]["Statement"]
                    .as_array()
                    .unwrap()
            })
            .collect();
        let function_arn = serde_json::json!({"Fn::GetAtt": [function_id, "Arn"]});
        let url_invoke: Vec<&&Value> = statements
            .iter()
            .filter(|s| s["Action"] == "lambda:InvokeFunctionUrl")
            .collect();
        assert_eq!(url_invoke.len(), 1, "{statements:?}");
        assert_eq!(url_invoke[0]["Effect"], "Allow");
        assert_eq!(
            url_invoke[0]["Resource"], function_arn,
            "only this function"
        );
        assert_eq!(
            url_invoke[0]["Condition"],
            serde_json::json!({"StringEquals": {"lambda:FunctionUrlAuthType": "AWS_IAM"}})
        );
        let invoke: Vec<&&Value> = statements
            .iter()
            .filter(|s| s["Action"] == "lambda:InvokeFunction")
            .collect();
        assert_eq!(invoke.len(), 1, "{statements:?}");
        assert_eq!(invoke[0]["Resource"], function_arn);
        let via_url = &invoke[0]["Condition"]["Bool"]["lambda:InvokedViaFunctionUrl"];
        assert!(
            *via_url == serde_json::json!(true) || *via_url == serde_json::json!("true"),
            "direct invocation stays denied: {}",
            invoke[0]
        );
    }
}

#[test]
fn cdk_function_url_with_iam() {
    check_cdk("iam");
}

#[test]
fn cdk_function_url_with_no_auth() {
    check_cdk("none");
}

/// `--streaming` on a REST API behind Cognito: the bundle streams under `run.sh` as the
/// Function URL's does, with API Gateway's request id (from the adapter's
/// `x-amzn-request-context`) as the correlation id, and the CDK construct synthesizes
/// streaming integrations (Lambda's response-streaming invocations) behind the Cognito
/// authorizer, to functions running the Lambda Web Adapter.
#[test]
fn rest_streaming_with_cognito() {
    let (dir, ws) =
        workspace_with_api(&["--compute-type", "rest", "--auth", "cognito", "--streaming"]);
    run(&ws, "uv", &["sync", "--all-packages"], &[]);
    run_target(&ws, ROOT, "lint");
    let tests = run_target(&ws, ROOT, "test");
    assert!(
        tests.contains(" passed") && !tests.contains(" skipped"),
        "{tests}"
    );
    run_target(&ws, ROOT, "bundle");
    let bundle = ws.join("dist/packages/my_api/bundle");
    assert_eq!(mode(&bundle.join("run.sh")), 0o755);
    assert!(bundle.join("uvicorn").is_dir() && !bundle.join("mangum").exists());

    let server = Server::start(&bundle, &dir.path().join("server"));
    let request_context = serde_json::json!({
        "requestId": "api-request-1",
        "stage": "prod",
        "resourcePath": "/stream",
        "httpMethod": "GET",
    })
    .to_string();
    let response = get(
        server.port,
        "/stream?count=5&interval=0.3",
        &[
            ("x-amzn-lambda-context", &lambda_context("lambda-request-1")),
            ("x-amzn-request-context", &request_context),
        ],
    );
    assert_eq!(response.status, 200, "{}", response.body());
    assert_eq!(response.header("x-correlation-id"), Some("api-request-1"));
    let chunks: Vec<(Value, Instant, SystemTime)> = response
        .lines
        .iter()
        .map(|(line, at, wall)| (serde_json::from_str(line).unwrap(), *at, *wall))
        .collect();
    assert_eq!(chunks.len(), 5, "{}", response.body());
    let last_produced = epoch_seconds(chunks[4].0["timestamp"].as_str().unwrap());
    assert!(
        epoch(chunks[0].2) < last_produced,
        "the first chunk arrived before the last was produced"
    );
    assert!(chunks[4].1.duration_since(chunks[0].1) > Duration::from_millis(800));
    let docs = server.output();
    let lines = request_lines(&docs);
    assert_eq!(lines.len(), 1, "{docs:?}");
    assert_eq!(lines[0]["correlation_id"], "api-request-1", "{}", lines[0]);
    assert_eq!(
        lines[0]["function_request_id"], "lambda-request-1",
        "{}",
        lines[0]
    );
    drop(server);

    link_node_modules(&ws, "node-streaming");
    run_target(&ws, ROOT, "openapi");
    run_target(&ws, CONSTRUCTS, "generate:my-api-metadata");
    let (template_path, template) = common::build_and_synth(&ws);
    // The properties of each resource of a type that `keep` keeps.
    let properties = |kind, keep: fn(&Value) -> bool| -> Vec<&Value> {
        resources(&template, kind)
            .into_iter()
            .map(|(_, resource)| &resource["Properties"])
            .filter(|props| keep(props))
            .collect()
    };
    let functions = properties("AWS::Lambda::Function", |f| f["Handler"] != "index.handler");
    assert_eq!(functions.len(), 4, "one function per operation");
    for props in functions {
        assert_eq!(props["Handler"], "run.sh");
        let env = &props["Environment"]["Variables"];
        assert_eq!(env["AWS_LAMBDA_EXEC_WRAPPER"], "/opt/bootstrap");
        assert_eq!(env["AWS_LWA_INVOKE_MODE"], "response_stream");
        assert!(
            props["Layers"]
                .to_string()
                .contains(":753240598075:layer:LambdaAdapterLayerX86:24"),
            "{props}"
        );
        assert!(props["Timeout"].as_u64().unwrap() < 29, "{props}");
    }
    let operations = properties("AWS::ApiGateway::Method", |m| m["HttpMethod"] != "OPTIONS");
    assert_eq!(operations.len(), 4, "a method per operation");
    for method in operations {
        assert_eq!(
            method["AuthorizationType"], "COGNITO_USER_POOLS",
            "{method}"
        );
        let integration = &method["Integration"];
        assert_eq!(integration["ResponseTransferMode"], "STREAM", "{method}");
        let uri = integration["Uri"].to_string();
        assert!(
            uri.contains("2021-11-15/functions/")
                && uri.contains("/response-streaming-invocations"),
            "the response-streaming invocation: {uri}"
        );
    }
    assert_cfn_lint_clean(&ws, &template_path);
    let summary = run_checkov_target(&ws);
    eprintln!("checkov rest streaming/cognito: {summary}");
}
