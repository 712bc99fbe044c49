//! The gateway's HTTP side: each request goes through API Gateway's own checks, to the
//! Lambda handler in the worker and back, with an access line per request; a change to
//! the app's code restarts the worker.

use std::io::{IsTerminal, Read, Write};
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Result, anyhow};
use serde_json::json;

use super::PayloadVersion;
use super::authorizer::{self, Decision};
use super::cognito::{self, UserPool};
use super::event::{self, Context};
use super::response::Response;
use super::routes::Routes;
use super::sigv4;
use super::web_adapter::{Streamed, WebAdapter};
use super::worker::{Outcome, Standby, Started, Worker};

/// The Lambda authorizer's timeout as generated: the caller waits for it.
const AUTHORIZER_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest request payload API Gateway accepts.
const MAX_PAYLOAD: usize = 10 * 1024 * 1024;
/// How many receiving threads should wait idle: more end once they are done (threads
/// finishing together may leave a few more).
const SPARE_RECEIVERS: usize = 4;

/// One API served by the gateway.
#[derive(Debug, Clone)]
pub struct Api {
    /// The API's class name (`MyApi`), for the terminal.
    pub name: String,
    /// Its Python module.
    pub module: String,
    /// Its project directory.
    pub project_dir: PathBuf,
    /// The project directories of its code, whose Python files a change to reloads it: its
    /// own and those of the workspace libraries it depends on.
    pub watched: Vec<PathBuf>,
    /// The Python of the workspace's environment.
    pub python: PathBuf,
    /// The payload its functions get.
    pub version: PayloadVersion,
    /// Its stage: a REST API's URLs start with it; an HTTP API's `$default` has no prefix.
    pub stage: String,
    /// Its function's name, as deployed.
    pub function_name: String,
    /// The function's environment (Powertools' settings), as deployed.
    pub env: Vec<(String, String)>,
    /// How it checks its callers.
    pub guard: Guard,
    /// Its app runs under uvicorn behind the Lambda Web Adapter, which streams responses
    /// (a Function URL, a REST API with `--streaming`), rather than behind Mangum.
    pub web_adapter: bool,
    /// It is a Function URL: no stage, no routes, every request goes to the function.
    pub function_url: bool,
    /// The function's timeout, as generated: an invocation, streamed or not, ends there.
    pub timeout: Duration,
}

/// How an API checks its callers, as the generated infrastructure deploys it.
#[derive(Debug, Clone)]
pub enum Guard {
    /// Auth none: every request passes.
    None,
    /// Auth iam: each request's SigV4 signature, checked with these keys.
    Iam(sigv4::Keys),
    /// Auth cognito: each request's token, checked with this user pool's key.
    Cognito(Arc<UserPool>),
    /// Auth custom: the Lambda authorizer `<module>/authorizer.py` decides (its function's
    /// name, as deployed).
    Custom(String),
}

/// What runs an API's code.
enum App {
    /// The Lambda handler, in a worker.
    Handler(Worker),
    /// The app under uvicorn, as the Lambda Web Adapter runs it.
    WebAdapter(Arc<WebAdapter>),
}

/// What the gateway sends back: a whole response, or one that streams from the app.
enum Reply {
    Whole(Response),
    Streaming(Streamed),
}

impl From<Response> for Reply {
    fn from(response: Response) -> Reply {
        Reply::Whole(response)
    }
}

/// The app, the routes of its OpenAPI spec, and the Lambda authorizer's worker with its
/// cache of answers.
struct Backend {
    app: App,
    routes: Routes,
    authorizer: Option<Worker>,
    answers: authorizer::Cache,
    libraries: Libraries,
    /// A worker timed out or died: the reload thread starts a new backend, as Lambda
    /// starts a new sandbox.
    broken: bool,
}

/// An API's processes started ahead of its next reload (see [`Standby`]).
#[derive(Default)]
struct Standbys {
    app: Option<Standby>,
    authorizer: Option<Standby>,
}

/// The libraries an API's processes imported, which their standbys import in advance.
#[derive(Debug, Clone, Default)]
struct Libraries {
    app: serde_json::Value,
    authorizer: serde_json::Value,
}

/// What a process of an API runs: the script after the prologue, its arguments and
/// environment.
struct Launch {
    script: &'static str,
    args: Vec<String>,
    env: Vec<(String, String)>,
}

impl Launch {
    /// The API's app: its handler in a worker, or the app under uvicorn.
    fn app(api: &Api) -> Launch {
        let main = format!("{}.main", api.module);
        let (script, args) = if api.web_adapter {
            WebAdapter::command(&main)
        } else {
            Worker::command(&main, "handler")
        };
        Launch {
            script,
            args,
            env: api.env.clone(),
        }
    }

    /// The API's Lambda authorizer (its function's name, as deployed).
    fn authorizer(api: &Api, name: &str) -> Launch {
        let module = format!("{}.authorizer", api.module);
        let (script, args) = Worker::command(&module, "handler");
        Launch {
            script,
            args,
            // Its own settings, as deployed: not the app's.
            env: vec![
                ("AWS_LAMBDA_FUNCTION_NAME".to_string(), name.to_string()),
                ("POWERTOOLS_LOG_LEVEL".into(), "INFO".into()),
            ],
        }
    }

    /// Starts the process, or activates its standby, and waits until it is ready.
    fn start(&self, api: &Api, standby: Option<Standby>) -> Result<Started> {
        match standby {
            Some(standby) => standby.activate(),
            None => {
                let args: Vec<&str> = self.args.iter().map(String::as_str).collect();
                Started::spawn(&api.python, &api.project_dir, self.script, &args, &self.env)
            }
        }
    }

    /// Starts the process ahead of need, with `libraries` imported.
    fn standby(&self, api: &Api, libraries: &serde_json::Value) -> Option<Standby> {
        let args: Vec<&str> = self.args.iter().map(String::as_str).collect();
        let (python, dir) = (&api.python, &api.project_dir);
        Started::standby(python, dir, self.script, &args, &self.env, libraries)
            .map_err(|err| eprintln!("{}: {err:#}", api.name))
            .ok()
    }
}

impl Standbys {
    /// Standbys for each process of `api`.
    fn start(api: &Api, libraries: &Libraries) -> Standbys {
        Standbys {
            app: Launch::app(api).standby(api, &libraries.app),
            authorizer: match &api.guard {
                Guard::Custom(name) => {
                    Launch::authorizer(api, name).standby(api, &libraries.authorizer)
                }
                _ => None,
            },
        }
    }
}

impl Backend {
    /// Starts `api`'s processes, from their standbys where there are.
    fn start(api: &Api, standbys: Standbys) -> Result<Backend> {
        let started = Launch::app(api).start(api, standbys.app)?;
        let mut libraries = Libraries {
            app: started.ready["libraries"].clone(),
            ..Libraries::default()
        };
        let routes = Routes::from_openapi(&started.ready["openapi"]);
        let app = if api.web_adapter {
            App::WebAdapter(Arc::new(WebAdapter::new(started)?))
        } else {
            App::Handler(Worker::new(started))
        };
        let authorizer = match &api.guard {
            Guard::Custom(name) => {
                let started = Launch::authorizer(api, name).start(api, standbys.authorizer)?;
                libraries.authorizer = started.ready["libraries"].clone();
                Some(Worker::new(started))
            }
            _ => None,
        };
        Ok(Backend {
            app,
            routes,
            authorizer,
            answers: authorizer::Cache::default(),
            libraries,
            broken: false,
        })
    }
}

/// Serves `api` on `127.0.0.1:port` until the process ends, or an error stops the server
/// taking requests.
pub fn serve(api: Api, port: u16) -> Result<()> {
    let backend = Arc::new(Mutex::new(Backend::start(&api, Standbys::default())?));
    let server = tiny_http::Server::http(("127.0.0.1", port))
        .map_err(|err| anyhow!("cannot listen on 127.0.0.1:{port}: {err}"))?;
    let prefix = match api.version {
        PayloadVersion::V1 => format!("/{}/", api.stage),
        PayloadVersion::V2 => "/".into(),
    };
    eprintln!("{}: http://127.0.0.1:{port}{prefix}", api.name);
    let api = Arc::new(api);
    {
        let (api, backend) = (Arc::clone(&api), Arc::clone(&backend));
        std::thread::spawn(move || reload_on_change(api, &backend));
    }
    let receivers = Arc::new(Receivers {
        server,
        api,
        backend,
        idle: AtomicUsize::new(0),
        failure: Mutex::new(None),
    });
    receive(&receivers, true).map_err(|err| {
        let name = &receivers.api.name;
        anyhow!("{name} stopped taking requests: {err}")
    })
}

/// What the threads that receive an API's requests share.
struct Receivers {
    server: tiny_http::Server,
    api: Arc<Api>,
    backend: Arc<Mutex<Backend>>,
    /// How many of them wait for a request.
    idle: AtomicUsize,
    /// The error that stopped the server taking requests, for the lasting thread to end with.
    failure: Mutex<Option<std::io::Error>>,
}

/// Receives requests and answers each in the thread that took it, which saves a
/// thread hand-off per request. A thread that takes the last idle place starts another
/// receiver, so a long request (a stream) never holds others back; once done, a thread
/// that is not `lasting` ends if enough others wait. The lasting thread returns when the
/// server can take no more requests (tiny_http stops accepting after an error).
fn receive(shared: &Arc<Receivers>, lasting: bool) -> std::io::Result<()> {
    loop {
        shared.idle.fetch_add(1, Ordering::SeqCst);
        let received = shared.server.recv();
        if shared.idle.fetch_sub(1, Ordering::SeqCst) == 1 && received.is_ok() {
            let shared = Arc::clone(shared);
            std::thread::spawn(move || receive(&shared, false));
        }
        let request = match received {
            Ok(request) => request,
            Err(err) => {
                // The first error is the cause; the others are the unblocking that passes
                // it on, a thread at a time, until the lasting thread has it.
                let mut failure = shared.failure.lock().unwrap_or_else(|p| p.into_inner());
                let cause = failure.take().unwrap_or(err);
                if lasting {
                    return Err(cause);
                }
                *failure = Some(cause);
                shared.server.unblock();
                return Ok(());
            }
        };
        answer(&shared.api, &shared.backend, request);
        if !lasting && shared.idle.load(Ordering::SeqCst) >= SPARE_RECEIVERS {
            return Ok(());
        }
    }
}

/// Answers one request and writes its access line.
fn answer(api: &Api, backend: &Mutex<Backend>, mut request: tiny_http::Request) {
    let started = Instant::now();
    let method = request.method().as_str().to_string();
    let url = request.url().to_string();
    let mut decision = None;
    // A bug in answering one request must not stop the gateway; the worker may hold an
    // answer nobody read, so the next request gets a fresh one.
    let handled = std::panic::catch_unwind(AssertUnwindSafe(|| {
        handle(api, backend, &mut request, &mut decision)
    }));
    let reply = handled.unwrap_or_else(|_| {
        eprintln!(
            "{}: {method} {url} failed in the gateway (see the panic above)",
            api.name
        );
        lock(backend).broken = true;
        Response::integration_failed(api.version).into()
    });
    let status = match &reply {
        Reply::Whole(response) => response.status,
        Reply::Streaming(streamed) => streamed.status,
    };
    log_access(
        &method,
        &url,
        status,
        started.elapsed(),
        decision.as_deref(),
    );
    let sent = match reply {
        Reply::Whole(response) => respond(request, response),
        Reply::Streaming(streamed) => stream(request, streamed),
    };
    if sent.is_err_and(|err| err.kind() == std::io::ErrorKind::TimedOut) {
        let timeout = api.timeout;
        eprintln!(
            "{}: the function ran over its {timeout:?} timeout: its response was cut",
            api.name
        );
    }
}

/// Sends a whole response.
fn respond(request: tiny_http::Request, response: Response) -> std::io::Result<()> {
    let mut reply = tiny_http::Response::from_data(response.body).with_status_code(response.status);
    for (name, value) in &response.headers {
        if let Ok(header) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            reply.add_header(header);
        }
    }
    request.respond(reply)
}

/// Sends a response as it streams from the app: each piece as it comes, in chunks, with
/// the connection closed at its end. An HTTP/1.0 client, which cannot take chunks, gets
/// the whole body once it has come; a response that has no body gets none.
fn stream(request: tiny_http::Request, mut streamed: Streamed) -> std::io::Result<()> {
    if *request.http_version() < tiny_http::HTTPVersion(1, 1) {
        let mut body = Vec::new();
        streamed.body.read_to_end(&mut body)?;
        let response = Response {
            status: streamed.status,
            headers: std::mem::take(&mut streamed.headers),
            body,
        };
        return respond(request, response);
    }
    let bodiless =
        request.method() == &tiny_http::Method::Head || matches!(streamed.status, 204 | 304);
    let reason = http::StatusCode::from_u16(streamed.status)
        .ok()
        .and_then(|status| status.canonical_reason())
        .unwrap_or("");
    let mut head = format!("HTTP/1.1 {} {reason}\r\n", streamed.status);
    for (name, value) in &streamed.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !bodiless {
        head.push_str("transfer-encoding: chunked\r\n");
    }
    head.push_str("connection: close\r\n\r\n");
    // The raw connection: tiny_http would buffer the chunks. Dropping it closes it.
    let mut writer = request.into_writer();
    writer.write_all(head.as_bytes())?;
    writer.flush()?;
    if bodiless {
        return Ok(());
    }
    let mut buffer = [0; 16 * 1024];
    loop {
        let read = streamed.body.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        write!(writer, "{read:x}\r\n")?;
        writer.write_all(&buffer[..read])?;
        writer.write_all(b"\r\n")?;
        writer.flush()?;
    }
    writer.write_all(b"0\r\n\r\n")?;
    writer.flush()
}

/// What API Gateway answers `request`; `decision` says what its auth decided.
fn handle(
    api: &Api,
    backend: &Mutex<Backend>,
    request: &mut tiny_http::Request,
    decision: &mut Option<String>,
) -> Reply {
    let mut body = Vec::new();
    let read = request
        .as_reader()
        .take(MAX_PAYLOAD as u64 + 1)
        .read_to_end(&mut body);
    if read.is_err() || body.len() > MAX_PAYLOAD {
        return Response::gateway_error(413, "Request Too Long").into();
    }
    let (path, query) = match request.url().split_once('?') {
        Some((path, query)) => (path.to_string(), query.to_string()),
        None => (request.url().to_string(), String::new()),
    };
    if let Guard::Cognito(pool) = &api.guard
        && path == cognito::JWKS_PATH
    {
        return Response::json(200, pool.jwks()).into();
    }
    let signed_path = path.clone();
    let missing_route = || match api.version {
        PayloadVersion::V1 => Response::gateway_error(403, "Missing Authentication Token"),
        PayloadVersion::V2 => Response::gateway_error(404, "Not Found"),
    };
    // A REST API's URLs start with its stage; the event's path is the rest.
    let path = match api.version {
        PayloadVersion::V1 => match path.strip_prefix(&format!("/{}", api.stage)) {
            Some(rest) if rest.is_empty() || rest.starts_with('/') => {
                if rest.is_empty() {
                    "/".to_string()
                } else {
                    rest.to_string()
                }
            }
            _ => return missing_route().into(),
        },
        PayloadVersion::V2 => path,
    };
    let method = request.method().as_str().to_uppercase();
    if method == "OPTIONS" {
        return cors_preflight(request).into();
    }
    let incoming = event::Request {
        method: method.clone(),
        path: path.clone(),
        query,
        headers: request
            .headers()
            .iter()
            .map(|h| (h.field.as_str().to_string(), h.value.as_str().to_string()))
            .collect(),
        body,
        source_ip: request
            .remote_addr()
            .map_or_else(|| "127.0.0.1".into(), |addr| addr.ip().to_string()),
    };
    // Checked before the backend is locked: a real pool's keys may be fetched over HTTPS.
    let cognito = match &api.guard {
        Guard::Cognito(pool) => {
            let now = jiff::Timestamp::now().as_second();
            Some(pool.verify(incoming.header("authorization"), api.version, now))
        }
        _ => None,
    };
    let mut state = lock(backend);
    // A Function URL has no routes: every request goes to the function.
    let route = if api.function_url {
        None
    } else {
        match state.routes.find(&method, &path) {
            Some(route) => Some(route),
            None => return missing_route().into(),
        }
    };
    let request_id = uuid::Uuid::new_v4().to_string();
    let context = Context {
        api_id: "local".into(),
        account_id: super::ACCOUNT_ID.into(),
        region: std::env::var("AWS_REGION").unwrap_or_else(|_| "us-east-1".into()),
        stage: api.stage.clone(),
        request_id: request_id.clone(),
        time_epoch_ms: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64),
    };
    let mut event = match (&route, api.version) {
        (None, _) => event::function_url_event(&incoming, &context),
        (Some(route), PayloadVersion::V1) => event::rest_event(&incoming, route, &context),
        (Some(route), PayloadVersion::V2) => event::http_event(&incoming, route, &context),
    };
    let Backend {
        app,
        authorizer,
        answers,
        broken,
        ..
    } = &mut *state;
    let mut deny = |why: &str, response: Response| {
        *decision = Some(format!("denied: {why}"));
        response
    };
    match &api.guard {
        Guard::None => {}
        Guard::Iam(keys) => {
            // The signature covers the path as sent, stage included.
            let signed = event::Request {
                path: signed_path,
                ..incoming.clone()
            };
            let service = if api.function_url {
                "lambda"
            } else {
                "execute-api"
            };
            let scope = (service, context.region.as_str());
            match sigv4::verify(keys, &signed, scope, jiff::Timestamp::now()) {
                Ok(caller) => {
                    *decision = Some(format!("iam {}", caller.access_key));
                    match api.version {
                        PayloadVersion::V1 => {
                            caller.add_to_rest_identity(&mut event["requestContext"]["identity"])
                        }
                        PayloadVersion::V2 => {
                            event["requestContext"]["authorizer"] = caller.http_authorizer();
                        }
                    }
                }
                Err(refusal) => {
                    // A Function URL says no its own way, whatever the reason.
                    let response = if api.function_url {
                        Response::json(403, json!({ "Message": "Forbidden" }))
                    } else {
                        refusal.response(api.version)
                    };
                    return deny(refusal.summary(), response).into();
                }
            }
        }
        Guard::Cognito(_) => match cognito.expect("a Cognito API's token is checked above") {
            Ok(granted) => {
                let claims = match api.version {
                    PayloadVersion::V1 => &granted["claims"],
                    PayloadVersion::V2 => &granted["jwt"]["claims"],
                };
                *decision = Some(format!("cognito {}", claims["sub"].as_str().unwrap_or("?")));
                event["requestContext"]["authorizer"] = granted;
            }
            Err(refusal) => {
                return deny(refusal.summary(), refusal.response(api.version)).into();
            }
        },
        Guard::Custom(name) => match authorize(
            api,
            (
                authorizer
                    .as_mut()
                    .expect("auth custom starts its authorizer"),
                name,
            ),
            answers,
            &incoming,
            &event,
            &context,
        ) {
            Ok(Decision::Allow(granted)) => {
                let principal = granted["principalId"].as_str().unwrap_or("allowed");
                *decision = Some(format!("custom {principal}"));
                event["requestContext"]["authorizer"] = granted;
            }
            Ok(Decision::Deny(response)) => {
                return deny("the authorizer's answer", response).into();
            }
            Err(failure) => {
                eprintln!("{}: the Lambda authorizer failed: {failure:?}", api.name);
                *broken = matches!(failure, Outcome::TimedOut | Outcome::Died);
                return deny(
                    "the authorizer failed",
                    Response::authorizer_failed(api.version),
                )
                .into();
            }
        },
    }
    let lambda = lambda_context(&context, &api.function_name, api.timeout);
    // The request id the caller sees: API Gateway's, or a Function URL's (Lambda's).
    let seen_id = if api.function_url {
        lambda["aws_request_id"].clone()
    } else {
        json!(request_id)
    };
    let seen_id = (
        "x-amzn-requestid".to_string(),
        seen_id.as_str().unwrap_or("").to_string(),
    );
    let worker = match app {
        App::Handler(worker) => worker,
        App::WebAdapter(adapter) => {
            // The app serves requests side by side: no need to hold the backend.
            let adapter = Arc::clone(adapter);
            drop(state);
            return match web_adapter_request(&adapter, &incoming, &event, (&lambda, api.timeout)) {
                Ok(mut streamed) => {
                    streamed.headers.push(seen_id);
                    Reply::Streaming(streamed)
                }
                Err(err) => {
                    eprintln!("{}: the app under uvicorn failed: {err}", api.name);
                    // A new sandbox, unless a reload has already replaced this one.
                    let mut state = lock(backend);
                    if matches!(&state.app, App::WebAdapter(current) if Arc::ptr_eq(current, &adapter))
                    {
                        state.broken = true;
                    }
                    Response::integration_failed(api.version).into()
                }
            };
        }
    };
    let mut response = match worker.invoke(&event, &lambda, api.timeout) {
        Outcome::Answer(answer) => super::response::from_lambda(api.version, &answer),
        failure => {
            eprintln!("{}: the handler failed: {failure:?}", api.name);
            *broken = matches!(failure, Outcome::TimedOut | Outcome::Died);
            Response::integration_failed(api.version)
        }
    };
    response.headers.push(seen_id);
    response.into()
}

/// Sends a request to the app under uvicorn as the Lambda Web Adapter does: at the
/// event's path, with API Gateway's (or the Function URL's) request context and the
/// Lambda context in the headers the adapter adds.
fn web_adapter_request(
    adapter: &Arc<WebAdapter>,
    incoming: &event::Request,
    event: &serde_json::Value,
    (lambda, timeout): (&serde_json::Value, Duration),
) -> std::io::Result<Streamed> {
    let deadline = SystemTime::now() + timeout;
    let deadline_ms = deadline
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let function_name = lambda["function_name"].as_str().unwrap_or_default();
    let lambda_context = json!({
        "request_id": lambda["aws_request_id"],
        "deadline": deadline_ms,
        "invoked_function_arn": lambda["invoked_function_arn"],
        "xray_trace_id": null,
        "client_context": null,
        "identity": null,
        "env_config": {
            "function_name": function_name,
            "memory": lambda["memory_limit_in_mb"],
            "version": "$LATEST",
            "log_stream": "fastgen-dev",
            "log_group": format!("/aws/lambda/{function_name}"),
        },
    });
    let path = event["rawPath"]
        .as_str()
        .or_else(|| event["path"].as_str())
        .unwrap_or("/");
    let headers = [
        (
            "x-amzn-request-context",
            event["requestContext"].to_string(),
        ),
        ("x-amzn-lambda-context", lambda_context.to_string()),
    ];
    WebAdapter::forward(
        adapter,
        incoming,
        (path, &headers),
        Instant::now() + timeout,
    )
}

/// The Lambda context of an invocation of `function_name`, which may run `timeout`.
fn lambda_context(context: &Context, function_name: &str, timeout: Duration) -> serde_json::Value {
    json!({
        "function_name": function_name,
        "invoked_function_arn": format!(
            "arn:aws:lambda:{}:{}:function:{function_name}",
            context.region, context.account_id
        ),
        "memory_limit_in_mb": 1024,
        "aws_request_id": uuid::Uuid::new_v4().to_string(),
        "timeout_ms": timeout.as_millis() as u64,
    })
}

/// Asks the Lambda authorizer about a request (or takes its cached answer for the same
/// `Authorization` header) and decides as API Gateway does; no header is a 401 without
/// calling it, as the authorizer's identity source says.
fn authorize(
    api: &Api,
    (worker, function_name): (&mut Worker, &str),
    answers: &mut authorizer::Cache,
    request: &event::Request,
    event: &serde_json::Value,
    context: &Context,
) -> Result<Decision, Outcome> {
    let Some(identity) = request.header("authorization").map(str::to_string) else {
        return Ok(Decision::Deny(Response::gateway_error(401, "Unauthorized")));
    };
    let arn = authorizer::method_arn(context, &request.method, &request.path);
    let answer = match answers.get(&identity) {
        Some(answer) => answer.clone(),
        None => {
            let call = authorizer::request_event(api.version, event, &identity, &arn);
            let lambda_context = lambda_context(context, function_name, AUTHORIZER_TIMEOUT);
            match worker.invoke(&call, &lambda_context, AUTHORIZER_TIMEOUT) {
                Outcome::Answer(answer) => {
                    answers.put(&identity, answer.clone());
                    answer
                }
                failure => return Err(failure),
            }
        }
    };
    Ok(authorizer::decide(api.version, &answer, &arn))
}

/// API Gateway answers CORS preflight itself, as the generated infrastructure configures
/// it (every origin, method and the app's headers, until you name your origins).
fn cors_preflight(request: &tiny_http::Request) -> Response {
    let asked = |name: &'static str| {
        request
            .headers()
            .iter()
            .find(|h| h.field.equiv(name))
            .map(|h| h.value.as_str().to_string())
    };
    let mut headers = vec![
        ("access-control-allow-origin".into(), "*".into()),
        (
            "access-control-allow-methods".into(),
            "GET,HEAD,POST,PUT,PATCH,DELETE,OPTIONS".into(),
        ),
        ("access-control-max-age".into(), "86400".into()),
    ];
    if let Some(wanted) = asked("access-control-request-headers") {
        headers.push(("access-control-allow-headers".into(), wanted));
    }
    Response {
        status: 204,
        headers,
        body: Vec::new(),
    }
}

/// Starts a new backend when a file of the app changes, or when a worker timed out or
/// died; it is swapped in once ready, and requests in flight hold the old one, so they
/// finish on it first.
fn reload_on_change(api: Arc<Api>, backend: &Mutex<Backend>) {
    let mut last = newest_change(&api.watched);
    // The standbys of the next reload, made in the background: a change that comes first
    // starts its processes afresh.
    let standbys = Arc::new(Mutex::new(Standbys::default()));
    let prepare = |libraries: Libraries| {
        let (api, standbys) = (Arc::clone(&api), Arc::clone(&standbys));
        std::thread::spawn(move || {
            let ready = Standbys::start(&api, &libraries);
            if ready.app.is_some() {
                eprintln!("{}: ready to reload", api.name);
            }
            *standbys.lock().unwrap_or_else(|p| p.into_inner()) = ready;
        });
    };
    prepare(lock(backend).libraries.clone());
    loop {
        std::thread::sleep(Duration::from_millis(100));
        let now = newest_change(&api.watched);
        let broken = lock(backend).broken;
        if now == last && !broken {
            continue;
        }
        last = now;
        let started = Instant::now();
        let ready = std::mem::take(&mut *standbys.lock().unwrap_or_else(|p| p.into_inner()));
        match Backend::start(&api, ready) {
            Ok(fresh) => {
                let libraries = fresh.libraries.clone();
                *lock(backend) = fresh;
                eprintln!("{}: reloaded in {:.1?}", api.name, started.elapsed());
                prepare(libraries);
            }
            Err(err) => {
                eprintln!("{}: not reloaded: {err:#}", api.name);
                prepare(lock(backend).libraries.clone());
            }
        }
    }
}

/// The backend, even if a thread panicked holding it (its state stays usable).
fn lock(backend: &Mutex<Backend>) -> std::sync::MutexGuard<'_, Backend> {
    backend
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The latest modification time of the Python files of the project directories `dirs`,
/// leaving out hidden folders (a virtual environment) and `__pycache__`, and at a
/// project's top its tests and build output.
fn newest_change(dirs: &[PathBuf]) -> Option<SystemTime> {
    const NOT_CODE: [&str; 4] = ["tests", "node_modules", "dist", "build"];
    let mut newest = None;
    let mut pending: Vec<(PathBuf, bool)> = dirs.iter().map(|dir| (dir.clone(), true)).collect();
    while let Some((dir, top)) = pending.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if path.is_dir() {
                let skipped = name.starts_with('.')
                    || name == "__pycache__"
                    || (top && NOT_CODE.contains(&name.as_ref()));
                if !skipped {
                    pending.push((path, false));
                }
            } else if path.extension().is_some_and(|e| e == "py") {
                let modified = entry.metadata().and_then(|m| m.modified()).ok();
                newest = newest.max(modified);
            }
        }
    }
    newest
}

/// One access line per request on stderr, with the auth decision, coloured by status on
/// a terminal; a streamed response's time is the time to its head.
fn log_access(method: &str, url: &str, status: u16, took: Duration, decision: Option<&str>) {
    static COLOUR: OnceLock<bool> = OnceLock::new();
    let colour = *COLOUR
        .get_or_init(|| std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none());
    let millis = took.as_secs_f64() * 1000.0;
    let auth = decision.map(|d| format!(" ({d})")).unwrap_or_default();
    let status = if colour {
        let code = match status {
            200..=399 => "32",
            400..=499 => "33",
            _ => "31",
        };
        format!("\x1b[{code}m{status}\x1b[0m")
    } else {
        status.to_string()
    };
    // One write: stderr is unbuffered, and eprintln! writes each piece on its own.
    let line = format!("{method} {url} {status} {millis:.0}ms{auth}\n");
    let _ = std::io::stderr().write_all(line.as_bytes());
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn the_newest_change_counts_code_but_not_tests_or_hidden_folders() {
        let dir = tempfile::tempdir().unwrap();
        let (app, library) = (dir.path().join("app"), dir.path().join("lib"));
        let folders = [
            app.join("tests"),
            app.join("app/build"),
            app.join("app/__pycache__"),
            app.join("dist"),
            library.join("lib"),
            library.join(".venv"),
        ];
        for folder in folders {
            std::fs::create_dir_all(folder).unwrap();
        }
        let file = |path: &Path, seconds: u64| {
            std::fs::write(path, "").unwrap();
            let time = UNIX_EPOCH + Duration::from_secs(seconds);
            std::fs::File::options()
                .write(true)
                .open(path)
                .unwrap()
                .set_modified(time)
                .unwrap();
        };
        file(&app.join("app/main.py"), 100);
        file(&library.join("lib/__init__.py"), 200);
        // Not code: the project's tests and build output, caches, a virtual environment.
        file(&app.join("tests/test_api.py"), 300);
        file(&app.join("dist/bundle.py"), 310);
        file(&app.join("app/__pycache__/main.py"), 320);
        file(&library.join(".venv/site.py"), 400);
        file(&library.join("lib/notes.txt"), 500);
        let dirs = [app.clone(), library];
        assert_eq!(
            newest_change(&dirs),
            Some(UNIX_EPOCH + Duration::from_secs(200))
        );
        // A package's own folder named like build output is code.
        file(&app.join("app/build/steps.py"), 600);
        assert_eq!(
            newest_change(&dirs),
            Some(UNIX_EPOCH + Duration::from_secs(600))
        );
    }
}
