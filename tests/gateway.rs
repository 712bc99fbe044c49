//! `fastgen dev` in front of the generated apps' real Lambda handlers: REST and HTTP API
//! events through Mangum and back, API Gateway's own answers (unknown routes, CORS
//! preflight), and a reload with no request failing. Run through `scripts/test.sh`.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use common::{add_api, run, workspace_with_api};
use serde_json::Value;

/// A project's `gateway` target (`fastgen dev <project>`) running in a workspace on
/// `port` (passed on as Nx passes a target's extra arguments), with the fastgen under
/// test first on `PATH`; stopped when dropped.
struct Gateway(Child);

impl Gateway {
    fn start(ws: &Path, project: &str, port: u16) -> Gateway {
        let project_json: Value = serde_json::from_str(
            &std::fs::read_to_string(ws.join("packages").join(project).join("project.json"))
                .unwrap(),
        )
        .unwrap();
        let command = project_json["targets"]["gateway"]["options"]["command"]
            .as_str()
            .unwrap_or_else(|| panic!("{project} has a gateway target"));
        assert_eq!(command, format!("fastgen dev {project}"));
        let fastgen = Command::cargo_bin("fastgen").unwrap();
        let bin = Path::new(fastgen.get_program())
            .parent()
            .unwrap()
            .to_path_buf();
        let path = format!(
            "{}:{}",
            bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        // `exec`: the target's command is the child, so that dropping it stops the gateway.
        let child = Command::new("sh")
            .args(["-c", &format!("exec {command} --port {port}")])
            .current_dir(ws)
            .env("PATH", path)
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        Gateway(child)
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
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
/// by `prepare`, installed, and each served by its gateway target, on `ports`.
fn serve_two_apis(
    auth: &str,
    ports: (u16, u16),
    prepare: impl Fn(&Path),
) -> (tempfile::TempDir, PathBuf, [Gateway; 2]) {
    let (dir, ws) = workspace_with_api(&["--compute-type", "rest", "--auth", auth]);
    add_api(&ws, "Hapi", &["--compute-type", "http", "--auth", auth]);
    prepare(&ws);
    run(&ws, "uv", &["sync", "--all-packages"], &[]);
    let gateways = [
        Gateway::start(&ws, "my_api", ports.0),
        Gateway::start(&ws, "hapi", ports.1),
    ];
    wait_for(ports.0);
    wait_for(ports.1);
    (dir, ws, gateways)
}

#[test]
fn the_gateway_serves_rest_and_http_apis_through_their_lambda_handlers() {
    let (rest, http) = (9100, 9101);
    let (_dir, ws, _gateways) = serve_two_apis("none", (rest, http), |_| {});

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

    // Reload: a changed route is served by a new worker, and no request fails meanwhile.
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
            edited.elapsed() < Duration::from_secs(30),
            "no reload 30 s after the edit"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!(
        "the edit was served {:?} after it was saved",
        edited.elapsed()
    );
}

/// Rewrites `file` of the Python package `module` of `ws` with `edit`, which must change it.
fn edit_module(ws: &Path, module: &str, file: &str, edit: impl Fn(String) -> String) {
    let path = ws.join("packages").join(module).join(module).join(file);
    let source = std::fs::read_to_string(&path).unwrap();
    let edited = edit(source.clone());
    assert_ne!(source, edited, "{file} of {module} is as generated");
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

#[test]
fn a_custom_authorizer_decides_as_api_gateway_lets_it() {
    let (rest, http) = (9110, 9111);
    // A route that answers with what the authorizer gave the function.
    let add_whoami = |ws: &Path| {
        for module in ["my_api", "hapi"] {
            edit_module(ws, module, "main.py", |main| {
                main + "\n\nfrom fastapi import Request as _Request  # noqa: E402\n\n\n@app.get(\"/whoami\")\ndef whoami(request: _Request) -> dict:\n    return request.scope[\"aws.event\"][\"requestContext\"][\"authorizer\"]\n"
            });
        }
    };
    let (_dir, ws, _gateways) = serve_two_apis("custom", (rest, http), add_whoami);
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
        allowed.json(),
        serde_json::json!({"principalId": "user-1", "tenant": "acme", "admin": "false", "integrationLatency": 0})
    );
    let allowed = await_change(http, "/whoami", &token, &forbidden.body);
    assert_eq!(allowed.status, 200, "{}", allowed.body);
    assert_eq!(
        allowed.json(),
        serde_json::json!({"lambda": {"tenant": "acme", "admin": false}})
    );
}
