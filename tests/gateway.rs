//! `fastgen dev` in front of the generated apps' real Lambda handlers: REST and HTTP API
//! events through Mangum and back, API Gateway's own answers (unknown routes, CORS
//! preflight), reloads with no request failing (on an edit of the app, and of a workspace
//! library it depends on), and each auth as deployed (IAM signatures by botocore, Cognito
//! tokens of the local pool, the custom authorizer).
//! Run through `scripts/test.sh`.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use common::{add_api, run, stream, workspace_with_api};
use serde_json::Value;

/// A project's `gateway` target (`fastgen dev <project>`) running in a workspace on
/// `port` (passed on as Nx passes a target's extra arguments), with the fastgen under
/// test first on `PATH` and `env` added; stopped when dropped. Its output is passed on,
/// and kept.
struct Gateway {
    child: Child,
    output: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Gateway {
    fn start(ws: &Path, project: &str, port: u16, env: &[(&str, &str)]) -> Gateway {
        Gateway::start_with(ws, project, port, env, "")
    }

    /// [`Gateway::start`], with `more` added to the target's command line.
    fn start_with(
        ws: &Path,
        project: &str,
        port: u16,
        env: &[(&str, &str)],
        more: &str,
    ) -> Gateway {
        let project_json: Value = serde_json::from_str(
            &std::fs::read_to_string(ws.join("packages").join(project).join("project.json"))
                .unwrap(),
        )
        .unwrap();
        let command = project_json["targets"]["gateway"]["options"]["command"]
            .as_str()
            .unwrap_or_else(|| panic!("{project} has a gateway target"));
        assert_eq!(command, format!("fastgen dev {project}"));
        let path = format!(
            "{}:{}",
            fastgen_dir().display(),
            std::env::var("PATH").unwrap_or_default()
        );
        // `exec`: the target's command is the child, so that dropping it stops the gateway.
        let mut child = Command::new("sh")
            .args(["-c", &format!("exec {command} --port {port} {more}")])
            .current_dir(ws)
            .env("PATH", path)
            .env("NO_COLOR", "1")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let output = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let kept = std::sync::Arc::clone(&output);
        std::thread::spawn(move || {
            for line in
                std::io::BufRead::lines(std::io::BufReader::new(stderr)).map_while(Result::ok)
            {
                eprintln!("{line}");
                kept.lock().unwrap().push(line);
            }
        });
        Gateway { child, output }
    }

    /// Waits until the gateway has written `line`.
    fn wait_for_line(&self, line: &str) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !self.output.lock().unwrap().iter().any(|l| l == line) {
            assert!(Instant::now() < deadline, "no {line:?} after 60 s");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// The folder of the fastgen binary under test.
fn fastgen_dir() -> PathBuf {
    let fastgen = Command::cargo_bin("fastgen").unwrap();
    Path::new(fastgen.get_program())
        .parent()
        .unwrap()
        .to_path_buf()
}

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A response: status, headers (lower-case names) and body.
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Response {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Sends one HTTP/1.0 request and reads the whole response.
fn send(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(40)))
        .unwrap();
    let mut request = format!("{method} {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    stream.write_all(request.as_bytes()).unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {raw:?}"));
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_lowercase(), v.trim().to_string()))
        .collect();
    Response {
        status,
        headers,
        body: body.to_string(),
    }
}

/// Waits until something answers on `port`.
fn wait_for(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "nothing listens on {port} after 60 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A workspace with a REST API (`my_api`) and an HTTP API (`hapi`) with `auth`, changed
/// by `prepare`, installed, and each served by its gateway target, on `ports`, with `env`.
fn serve_two_apis(
    auth: &str,
    ports: (u16, u16),
    prepare: impl Fn(&Path),
    env: &[(&str, &str)],
) -> (tempfile::TempDir, PathBuf, [Gateway; 2]) {
    let (dir, ws) = workspace_with_api(&["--compute-type", "rest", "--auth", auth]);
    add_api(&ws, "Hapi", &["--compute-type", "http", "--auth", auth]);
    prepare(&ws);
    run(&ws, "uv", &["sync", "--all-packages"], &[]);
    let gateways = [
        Gateway::start(&ws, "my_api", ports.0, env),
        Gateway::start(&ws, "hapi", ports.1, env),
    ];
    wait_for(ports.0);
    wait_for(ports.1);
    (dir, ws, gateways)
}

#[test]
fn the_gateway_serves_rest_and_http_apis_through_their_lambda_handlers() {
    let (rest, http) = (9100, 9101);
    let (_dir, ws, gateways) = serve_two_apis("none", (rest, http), add_library, &[]);

    // REST (payload 1.0): under the stage, through Mangum, API Gateway's request id back.
    let item = send(rest, "GET", "/prod/items/3", &[], "");
    assert_eq!(item.status, 200, "{}", item.body);
    assert_eq!(
        item.json(),
        serde_json::json!({"name": "Item 3", "description": null})
    );
    assert!(
        item.header("x-correlation-id")
            .is_some_and(|id| id.len() == 36)
    );
    let echo = send(rest, "GET", "/prod/echo?message=a&message=hi", &[], "");
    assert_eq!(
        echo.json()["message"],
        "hi",
        "the last value of a repeated key"
    );
    let created = send(
        rest,
        "POST",
        "/prod/items",
        &[("Content-Type", "application/json")],
        r#"{"name": "pen"}"#,
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let invalid = send(rest, "GET", "/prod/items/x", &[], "");
    assert_eq!(
        invalid.status, 422,
        "the app's validation: {}",
        invalid.body
    );
    let refused = send(rest, "GET", "/prod/items/-1", &[], "");
    assert_eq!(
        refused.status, 400,
        "the route's own error: {}",
        refused.body
    );
    // Payload limits: API Gateway takes 10 MB, but Lambda's invocation takes 6 MB.
    let big = format!(r#"{{"name": "{}"}}"#, "x".repeat(7 * 1024 * 1024));
    let json = [("Content-Type", "application/json")];
    let over_lambda = send(rest, "POST", "/prod/items", &json, &big);
    assert_eq!(
        (over_lambda.status, over_lambda.json()),
        (502, serde_json::json!({"message": "Internal server error"}))
    );
    let huge = "x".repeat(10 * 1024 * 1024 + 1024);
    assert_eq!(send(rest, "POST", "/prod/items", &json, &huge).status, 413);
    for unknown in ["/prod/nope", "/items/3", "/dev/items/3"] {
        let missing = send(rest, "GET", unknown, &[], "");
        assert_eq!(missing.status, 403, "{unknown}");
        assert_eq!(
            missing.json(),
            serde_json::json!({"message": "Missing Authentication Token"})
        );
    }
    let preflight = send(
        rest,
        "OPTIONS",
        "/prod/items",
        &[
            ("Origin", "https://app.example.com"),
            ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "content-type"),
        ],
        "",
    );
    assert_eq!(preflight.status, 204);
    assert_eq!(preflight.header("access-control-allow-origin"), Some("*"));

    // HTTP API (payload 2.0): no stage prefix, repeated keys joined, Not Found.
    let echo = send(http, "GET", "/echo?message=hi", &[], "");
    assert_eq!(echo.status, 200, "{}", echo.body);
    assert_eq!(echo.json(), serde_json::json!({"message": "hi"}));
    let missing = send(http, "GET", "/nope", &[], "");
    assert_eq!(
        (missing.status, missing.json()),
        (404, serde_json::json!({"message": "Not Found"}))
    );

    // Reload: a changed route is served by a new worker within 2 s, and no request fails
    // meanwhile. The gateway prepares each reload in the background once it has loaded
    // the app (a standby with the libraries imported): the edit comes once it has.
    gateways[1].wait_for_line("Hapi: ready to reload");
    let main_py = ws.join("packages/hapi/hapi/main.py");
    let source = std::fs::read_to_string(&main_py).unwrap();
    let changed = source.replace(
        "return Echo(message=message)",
        "return Echo(message=message.upper())",
    );
    assert_ne!(source, changed, "the echo route is as generated");
    std::fs::write(&main_py, changed).unwrap();
    let edited = Instant::now();
    loop {
        let echo = send(http, "GET", "/echo?message=hi", &[], "");
        assert_eq!(echo.status, 200, "during the reload: {}", echo.body);
        if echo.json()["message"] == "HI" {
            break;
        }
        assert!(
            edited.elapsed() < Duration::from_secs(2),
            "no reload 2 s after the edit"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!(
        "the edit was served {:?} after it was saved",
        edited.elapsed()
    );

    // A change to a workspace library the API depends on reloads it too.
    let greeting = send(http, "GET", "/greeting", &[], "");
    assert_eq!(greeting.json(), serde_json::json!({"greeting": "hello"}));
    let library = ws.join("packages/shared_lib/shared_lib/__init__.py");
    std::fs::write(&library, "GREETING = \"hello again\"\n").unwrap();
    let greeting = await_change(http, "/greeting", &[], &greeting.body);
    assert_eq!(
        greeting.json(),
        serde_json::json!({"greeting": "hello again"})
    );
}

/// Adds a workspace library, `shared-lib`, that `hapi` depends on (from the workspace, as
/// the root's `[tool.uv.sources]` says) and serves at `/greeting`.
fn add_library(ws: &Path) {
    let lib = ws.join("packages/shared_lib");
    std::fs::create_dir_all(lib.join("shared_lib")).unwrap();
    std::fs::write(
        lib.join("pyproject.toml"),
        "[project]\nname = \"shared-lib\"\nversion = \"0.1.0\"\nrequires-python = \">=3.12\"\n\n\
         [build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
    )
    .unwrap();
    std::fs::write(lib.join("shared_lib/__init__.py"), "GREETING = \"hello\"\n").unwrap();
    edit_file(ws, "pyproject.toml", |text| {
        text.replacen(
            "members = [",
            "members = [\n    \"packages/shared_lib\",",
            1,
        ) + "\n[tool.uv.sources]\nshared-lib = { workspace = true }\n"
    });
    edit_file(ws, "packages/hapi/pyproject.toml", |text| {
        text.replacen(
            "dependencies = [",
            "dependencies = [\n    \"shared-lib\",",
            1,
        )
    });
    edit_module(ws, "hapi", "main.py", |text| {
        text + "\n\nimport shared_lib  # noqa: E402\n\n\n@app.get(\"/greeting\")\n\
                def greeting() -> dict[str, str]:\n    return {\"greeting\": shared_lib.GREETING}\n"
    });
}

/// Rewrites `file` of the Python package `module` of `ws` with `edit`, which must change it.
fn edit_module(ws: &Path, module: &str, file: &str, edit: impl Fn(String) -> String) {
    edit_file(ws, &format!("packages/{module}/{module}/{file}"), edit);
}

/// Rewrites the file at `path` in `ws` with `edit`, which must change it.
fn edit_file(ws: &Path, path: &str, edit: impl Fn(String) -> String) {
    let path = ws.join(path);
    let source = std::fs::read_to_string(&path).unwrap();
    let edited = edit(source.clone());
    assert_ne!(source, edited, "{} is as generated", path.display());
    std::fs::write(&path, edited).unwrap();
}

/// Sends requests to `port` until the body of `GET path` (with `headers`) is no longer
/// `before`, failing on any error status meanwhile; returns the new response.
fn await_change(port: u16, path: &str, headers: &[(&str, &str)], before: &str) -> Response {
    let edited = Instant::now();
    loop {
        let response = send(port, "GET", path, headers, "");
        if response.body != before {
            return response;
        }
        assert!(
            edited.elapsed() < Duration::from_secs(30),
            "no reload 30 s after the edit"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Adds a route `/whoami` to both APIs of `ws` that answers with the `requestContext` of
/// the event its function got, where API Gateway puts what auth found out.
fn add_whoami(ws: &Path) {
    for module in ["my_api", "hapi"] {
        add_whoami_to(ws, module);
    }
}

/// Adds the route `/whoami` of [`add_whoami`] to the API `module` of `ws`.
fn add_whoami_to(ws: &Path, module: &str) {
    edit_module(ws, module, "main.py", |main| {
        main + "\n\nfrom fastapi import Request as _Request  # noqa: E402\n\n\n@app.get(\"/whoami\")\ndef whoami(request: _Request) -> dict:\n    return request.scope[\"aws.event\"][\"requestContext\"]\n"
    });
}

#[test]
fn a_custom_authorizer_decides_as_api_gateway_lets_it() {
    let (rest, http) = (9110, 9111);
    let (_dir, ws, _gateways) = serve_two_apis("custom", (rest, http), add_whoami, &[]);
    let token = [("Authorization", "Bearer a-token")];

    // No Authorization header: API Gateway's 401, without calling the authorizer.
    for (port, path) in [(rest, "/prod/whoami"), (http, "/whoami")] {
        let response = send(port, "GET", path, &[], "");
        assert_eq!(response.status, 401, "{path}: {}", response.body);
        assert_eq!(
            response.json(),
            serde_json::json!({"message": "Unauthorized"})
        );
    }
    // The generated authorizer denies every request until its check is written.
    let denied = send(rest, "GET", "/prod/whoami", &token, "");
    assert_eq!(denied.status, 403, "{}", denied.body);
    assert_eq!(
        denied.json(),
        serde_json::json!({"Message": "User is not authorized to access this resource with an explicit deny"})
    );
    let forbidden = send(http, "GET", "/whoami", &token, "");
    assert_eq!(
        (forbidden.status, forbidden.json()),
        (403, serde_json::json!({"message": "Forbidden"}))
    );

    // Its check, written: the caller and its context reach the route, as deployed.
    for module in ["my_api", "hapi"] {
        edit_module(&ws, module, "authorizer.py", |source| {
            source.replace(
                "    return None\n",
                "    return Caller(principal_id=\"user-1\", context={\"tenant\": \"acme\", \"admin\": False})\n",
            )
        });
    }
    let allowed = await_change(rest, "/prod/whoami", &token, &denied.body);
    assert_eq!(allowed.status, 200, "{}", allowed.body);
    assert_eq!(
        allowed.json()["authorizer"],
        serde_json::json!({"principalId": "user-1", "tenant": "acme", "admin": "false", "integrationLatency": 0})
    );
    let allowed = await_change(http, "/whoami", &token, &forbidden.body);
    assert_eq!(allowed.status, 200, "{}", allowed.body);
    assert_eq!(
        allowed.json()["authorizer"],
        serde_json::json!({"lambda": {"tenant": "acme", "admin": false}})
    );
}

/// Signs requests with botocore, as the AWS SDKs sign them, sends them and prints each
/// answer's status, headers and body as JSON:
/// `sign.py <service> <secret> <method> <url> [<body>]`.
const SIGN_PY: &str = r#"
import json
import sys
import urllib.error
import urllib.request

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

service, secret, method, url, *body = sys.argv[1:]
data = body[0].encode() if body else None
headers = {"Content-Type": "application/json"} if body else {}
request = AWSRequest(method=method, url=url, data=data, headers=headers)
SigV4Auth(Credentials("AKIDFASTGENTEST", secret), service, "us-east-1").add_auth(request)
prepared = request.prepare()
sent = urllib.request.Request(
    prepared.url, data=prepared.body, headers=dict(prepared.headers), method=method
)
try:
    with urllib.request.urlopen(sent) as response:
        answer = response
        body = response.read().decode()
except urllib.error.HTTPError as error:
    answer = error
    body = error.read().decode()
headers = [[name.lower(), value] for name, value in answer.headers.items()]
print(json.dumps({"status": answer.status, "headers": headers, "body": body}))
"#;

/// The secret of the access key the IAM test's gateway knows.
const SECRET: &str = "fastgen/test/secret/key";

/// A request for `execute-api` signed by botocore with `secret`.
fn signed(ws: &Path, secret: &str, method: &str, url: &str, body: Option<&str>) -> Response {
    signed_for(ws, "execute-api", secret, method, url, body)
}

/// A request for `service` signed by botocore with `secret`.
fn signed_for(
    ws: &Path,
    service: &str,
    secret: &str,
    method: &str,
    url: &str,
    body: Option<&str>,
) -> Response {
    let script = ws.join("sign.py");
    std::fs::write(&script, SIGN_PY).unwrap();
    let mut args = vec![
        "run",
        "--no-project",
        "--with",
        "botocore",
        "python",
        "sign.py",
        service,
        secret,
        method,
        url,
    ];
    args.extend(body);
    let out: Value = serde_json::from_str(&run(ws, "uv", &args, &[])).unwrap();
    Response {
        status: out["status"].as_u64().unwrap() as u16,
        headers: serde_json::from_value(out["headers"].clone()).unwrap(),
        body: out["body"].as_str().unwrap().to_string(),
    }
}

#[test]
fn iam_requests_are_verified_by_their_signature() {
    let (rest, http) = (9120, 9121);
    // The gateway's only credentials; no profile of this machine counts.
    let env = [
        ("AWS_ACCESS_KEY_ID", "AKIDFASTGENTEST"),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
        ("AWS_ACCOUNT_ID", "111122223333"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_CONFIG_FILE", "/nonexistent"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent"),
    ];
    let (_dir, ws, _gateways) = serve_two_apis("iam", (rest, http), add_whoami, &env);

    // REST: the caller's identity in `requestContext.identity`.
    let url = format!("http://127.0.0.1:{rest}/prod/whoami?b=2&a=1");
    let allowed = signed(&ws, SECRET, "GET", &url, None);
    assert_eq!(allowed.status, 200, "{}", allowed.body);
    let identity = &allowed.json()["identity"];
    assert_eq!(identity["accessKey"], "AKIDFASTGENTEST");
    assert_eq!(identity["accountId"], "111122223333");
    assert_eq!(
        identity["userArn"],
        "arn:aws:iam::111122223333:user/environment"
    );
    let items = format!("http://127.0.0.1:{rest}/prod/items");
    let created = signed(&ws, SECRET, "POST", &items, Some(r#"{"name": "pen"}"#));
    assert_eq!(
        created.status, 201,
        "the body is signed too: {}",
        created.body
    );
    let wrong = signed(&ws, "another-secret", "GET", &url, None);
    assert_eq!(wrong.status, 403);
    assert!(
        wrong.json()["message"]
            .as_str()
            .unwrap()
            .starts_with("The request signature we calculated does not match"),
        "{}",
        wrong.body
    );
    let unsigned = send(rest, "GET", "/prod/whoami", &[], "");
    assert_eq!(
        (unsigned.status, unsigned.json()),
        (
            403,
            serde_json::json!({"message": "Missing Authentication Token"})
        )
    );

    // HTTP API: the caller in `requestContext.authorizer.iam`.
    let url = format!("http://127.0.0.1:{http}/whoami");
    let allowed = signed(&ws, SECRET, "GET", &url, None);
    assert_eq!(allowed.status, 200, "{}", allowed.body);
    let iam = &allowed.json()["authorizer"]["iam"];
    assert_eq!(iam["accessKey"], "AKIDFASTGENTEST");
    assert_eq!(iam["accountId"], "111122223333");
    for refused in [
        signed(&ws, "another-secret", "GET", &url, None),
        send(http, "GET", "/whoami", &[], ""),
    ] {
        assert_eq!(
            (refused.status, refused.json()),
            (403, serde_json::json!({"message": "Forbidden"}))
        );
    }
}

/// `GET path` on `port` with `token` in the `Authorization` header.
fn with_token(port: u16, path: &str, token: &str) -> Response {
    send(port, "GET", path, &[("Authorization", token)], "")
}

/// A token of the workspace's local user pool, from `fastgen dev token <args>`.
fn token(ws: &Path, args: &[&str]) -> String {
    let fastgen = fastgen_dir().join("fastgen");
    let mut all = vec!["dev", "token"];
    all.extend(args);
    run(ws, fastgen.to_str().unwrap(), &all, &[])
        .trim()
        .to_string()
}

#[test]
fn cognito_tokens_are_verified_and_their_claims_reach_the_route() {
    let (rest, http) = (9130, 9131);
    let (_dir, ws, _gateways) = serve_two_apis("cognito", (rest, http), add_whoami, &[]);
    let id = token(&ws, &["--sub", "user-1", "--groups", "admin,staff"]);
    let expired = token(&ws, &["--sub", "user-1", "--expires-in", "-10"]);
    let access = token(&ws, &["--sub", "user-1", "--scope", "items/read"]);

    // REST: ID tokens, their claims as strings in `authorizer.claims`.
    let allowed = send(rest, "GET", "/prod/whoami", &[("Authorization", &id)], "");
    assert_eq!(allowed.status, 200, "{}", allowed.body);
    let claims = &allowed.json()["authorizer"]["claims"];
    assert_eq!(claims["sub"], "user-1");
    assert_eq!(claims["token_use"], "id");
    assert_eq!(claims["cognito:groups"], "admin,staff");
    for refused in [access.as_str(), "not-a-token"] {
        let response = with_token(rest, "/prod/whoami", refused);
        assert_eq!(
            (response.status, response.json()),
            (401, serde_json::json!({"message": "Unauthorized"}))
        );
    }
    let response = with_token(rest, "/prod/whoami", &expired);
    assert_eq!(
        (response.status, response.json()),
        (
            401,
            serde_json::json!({"message": "The incoming token has expired"})
        )
    );
    assert_eq!(send(rest, "GET", "/prod/whoami", &[], "").status, 401);

    // HTTP API: either kind, in `authorizer.jwt` with the access token's scopes.
    let bearer = format!("Bearer {access}");
    let allowed = send(http, "GET", "/whoami", &[("Authorization", &bearer)], "");
    assert_eq!(allowed.status, 200, "{}", allowed.body);
    let jwt = &allowed.json()["authorizer"]["jwt"];
    assert_eq!(jwt["claims"]["sub"], "user-1");
    assert_eq!(jwt["claims"]["token_use"], "access");
    assert_eq!(jwt["scopes"], serde_json::json!(["items/read"]));
    let allowed = send(http, "GET", "/whoami", &[("Authorization", &id)], "");
    assert_eq!(
        allowed.json()["authorizer"]["jwt"]["claims"]["cognito:groups"],
        "[admin staff]"
    );
    let response = with_token(http, "/whoami", &expired);
    assert_eq!(response.status, 401, "{}", response.body);
    assert!(
        response
            .header("www-authenticate")
            .is_some_and(|value| value.contains("the token has expired")),
        "{:?}",
        response.headers
    );

    // The pool's public key, for clients that check tokens themselves.
    let jwks = send(http, "GET", "/.well-known/jwks.json", &[], "").json();
    assert_eq!(jwks["keys"][0]["alg"], "RS256");
}

#[test]
fn streaming_apis_stream_through_the_web_adapter_as_deployed() {
    let (rest, url) = (9140, 9141);
    let (_dir, ws) =
        workspace_with_api(&["--compute-type", "rest", "--streaming", "--auth", "none"]);
    add_api(
        &ws,
        "Furl",
        &["--compute-type", "function-url", "--auth", "iam"],
    );
    // A route that answers with the request context the adapter passed in its header.
    edit_module(&ws, "furl", "main.py", |main| {
        main + "\n\nimport json as _json  # noqa: E402\n\nfrom fastapi import Request as _Request  # noqa: E402\n\n\n@app.get(\"/whoami\")\ndef whoami(request: _Request) -> dict:\n    return _json.loads(request.headers[\"x-amzn-request-context\"])\n"
    });
    run(&ws, "uv", &["sync", "--all-packages"], &[]);
    let env = [
        ("AWS_ACCESS_KEY_ID", "AKIDFASTGENTEST"),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
        ("AWS_REGION", "us-east-1"),
        ("AWS_CONFIG_FILE", "/nonexistent"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent"),
    ];
    let _gateways = [
        Gateway::start(&ws, "my_api", rest, &env),
        Gateway::start(&ws, "furl", url, &env),
    ];
    wait_for(rest);
    wait_for(url);

    // REST with --streaming: the first chunk arrives before the last is produced.
    let streamed = stream::get(rest, "/prod/stream?count=5&interval=0.3", &[]);
    assert_eq!(streamed.status, 200);
    assert_eq!(streamed.header("transfer-encoding"), Some("chunked"));
    assert_eq!(streamed.lines.len(), 5, "{:?}", streamed.lines);
    let chunk = |i: usize| -> Value { serde_json::from_str(&streamed.lines[i].0).unwrap() };
    assert_eq!(chunk(0)["message"], "This is chunk 0");
    let last_produced = stream::epoch_seconds(chunk(4)["timestamp"].as_str().unwrap());
    let first_arrived = stream::epoch(streamed.lines[0].2);
    assert!(
        first_arrived < last_produced,
        "the first chunk arrived ({first_arrived}) before the last was produced ({last_produced})"
    );
    let spread = streamed.lines[4].1.duration_since(streamed.lines[0].1);
    assert!(
        spread > Duration::from_millis(800),
        "chunks arrive as they are produced, 0.3 s apart: {spread:?}"
    );
    // The app's correlation id is API Gateway's request id, from the adapter's header.
    assert!(streamed.header("x-amzn-requestid").is_some());
    assert_eq!(
        streamed.header("x-correlation-id"),
        streamed.header("x-amzn-requestid")
    );
    let item = send(rest, "GET", "/prod/items/3", &[], "");
    assert_eq!(item.status, 200, "{}", item.body);
    assert_eq!(item.json()["name"], "Item 3");
    let missing = send(rest, "GET", "/prod/nope", &[], "");
    assert_eq!(
        missing.status, 403,
        "API Gateway's routes: {}",
        missing.body
    );

    // A Function URL with auth iam: SigV4 for `lambda`, every path to the function.
    let whoami = format!("http://127.0.0.1:{url}/whoami");
    let allowed = signed_for(&ws, "lambda", SECRET, "GET", &whoami, None);
    assert_eq!(allowed.status, 200, "{}", allowed.body);
    let context = allowed.json();
    assert_eq!(context["authorizer"]["iam"]["accessKey"], "AKIDFASTGENTEST");
    assert_eq!(context["routeKey"], "$default");
    assert!(allowed.header("x-amzn-requestid").is_some());
    assert_eq!(
        allowed.header("x-correlation-id"),
        allowed.header("x-amzn-requestid"),
        "a Function URL's correlation id is the Lambda request id"
    );
    let for_api_gateway = signed_for(&ws, "execute-api", SECRET, "GET", &whoami, None);
    assert_eq!(for_api_gateway.status, 403, "signed for another service");
    let unsigned = send(url, "GET", "/whoami", &[], "");
    assert_eq!(
        (unsigned.status, unsigned.json()),
        (403, serde_json::json!({"Message": "Forbidden"}))
    );
    let nope = format!("http://127.0.0.1:{url}/nope");
    let not_found = signed_for(&ws, "lambda", SECRET, "GET", &nope, None);
    assert_eq!(
        not_found.status, 404,
        "the app's own 404: {}",
        not_found.body
    );
}

/// A stand-in for a real Cognito user pool, with PyJWT: it prints tokens it signed for the
/// app client `real-client` (and one for another client, one expired) as a JSON line,
/// then serves its JWKS where Cognito does, under its issuer: `pool.py <port>`.
const POOL_PY: &str = r#"
import http.server
import json
import os
import sys
import threading
import time

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

port = int(sys.argv[1])
issuer = f"http://127.0.0.1:{port}/us-east-1_TestPool"
key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
jwk.update(kid="real-key-1", alg="RS256", use="sig")
now = int(time.time())


def token(client: str, expires: int) -> str:
    claims = {"sub": "real-user", "iss": issuer, "aud": client, "token_use": "id",
              "cognito:username": "real", "iat": now, "exp": now + expires}
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "real-key-1"})


tokens = {"id": token("real-client", 600), "other": token("other-client", 600),
          "expired": token("real-client", -60)}


class Keys(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path != "/us-east-1_TestPool/.well-known/jwks.json":
            self.send_error(404)
            return
        body = json.dumps({"keys": [jwk]}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


# Stop when the test does, however it stops: it holds this process's stdin.
threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
server = http.server.HTTPServer(("127.0.0.1", port), Keys)
print(json.dumps({"issuer": issuer, **tokens}), flush=True)
server.serve_forever()
"#;

#[test]
fn tokens_of_a_real_user_pool_are_checked_against_its_jwks() {
    let (rest, pool_port) = (9150, 9159);
    let (_dir, ws) = workspace_with_api(&["--compute-type", "rest", "--auth", "cognito"]);
    add_whoami_to(&ws, "my_api");
    run(&ws, "uv", &["sync", "--all-packages"], &[]);
    std::fs::write(ws.join("pool.py"), POOL_PY).unwrap();
    let mut pool = Command::new("uv")
        .args([
            "run",
            "--no-project",
            "--with",
            "pyjwt[crypto]",
            "python",
            "pool.py",
        ])
        .arg(pool_port.to_string())
        .current_dir(&ws)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(pool.stdout.take().unwrap()),
        &mut first,
    )
    .unwrap();
    let tokens: Value = serde_json::from_str(&first).unwrap_or_else(|e| panic!("{e}: {first:?}"));
    let issuer = tokens["issuer"].as_str().unwrap();
    let _gateway = Gateway::start_with(
        &ws,
        "my_api",
        rest,
        &[],
        &format!("--user-pool {issuer} --client-id real-client"),
    );
    wait_for(rest);
    let local = token(&ws, &["--sub", "local-user"]);

    let allowed = send(
        rest,
        "GET",
        "/prod/whoami",
        &[("Authorization", tokens["id"].as_str().unwrap())],
        "",
    );
    assert_eq!(allowed.status, 200, "{}", allowed.body);
    let claims = &allowed.json()["authorizer"]["claims"];
    assert_eq!(claims["sub"], "real-user");
    assert_eq!(claims["iss"], issuer);
    for refused in [
        tokens["other"].as_str().unwrap(),
        tokens["expired"].as_str().unwrap(),
        local.as_str(),
    ] {
        let response = with_token(rest, "/prod/whoami", refused);
        assert_eq!(response.status, 401, "{}", response.body);
    }
    let _ = pool.kill();
    let _ = pool.wait();
}
