//! `fastgen dev` in front of the generated apps' real Lambda handlers: REST and HTTP API
//! events through Mangum and back, API Gateway's own answers (unknown routes, CORS
//! preflight), and a reload with no request failing. Run through `scripts/test.sh`.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use common::{add_api, run, workspace_with_api};
use serde_json::Value;

/// A project's `gateway` target (`fastgen dev <project>`) running in a workspace, with
/// the fastgen under test first on `PATH`; stopped when dropped.
struct Gateway(Child);

impl Gateway {
    fn start(ws: &Path, project: &str) -> Gateway {
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
            .args(["-c", &format!("exec {command}")])
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

#[test]
fn the_gateway_serves_rest_and_http_apis_through_their_lambda_handlers() {
    let (_dir, ws) = workspace_with_api(&["--compute-type", "rest", "--auth", "none"]);
    add_api(&ws, "Hapi", &["--compute-type", "http", "--auth", "none"]);
    run(&ws, "uv", &["sync", "--all-packages"], &[]);
    let _rest_gateway = Gateway::start(&ws, "my_api");
    let _http_gateway = Gateway::start(&ws, "hapi");
    // Each API on its dev server's port plus 1000: my_api serves on 8000, hapi on 8001.
    let (rest, http) = (9000, 9001);
    wait_for(rest);
    wait_for(http);

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
