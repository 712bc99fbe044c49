//! The streaming APIs (a Function URL, a REST API with `--streaming`): the app runs under
//! uvicorn as the Lambda Web Adapter runs it (`web_adapter.py`), and each request goes to
//! it over HTTP with the headers the adapter adds, its response read as it streams.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, ChildStdin};
use std::sync::Arc;

use anyhow::{Context, Result};

use super::event::Request;
use super::worker::Started;

/// The stand-in's script, run with `python -c`.
const SCRIPT: &str = include_str!("web_adapter.py");

/// The app under uvicorn, stopped when the last request holding it ends.
pub struct WebAdapter {
    child: Child,
    /// Held open: the app exits when it closes, even if the gateway is killed.
    _stdin: ChildStdin,
    port: u16,
}

/// A response as it streams from the app: its status and headers, and the body still to
/// be read.
pub struct Streamed {
    /// The status code.
    pub status: u16,
    /// The headers, without those that framed it between the app and the gateway.
    pub headers: Vec<(String, String)>,
    /// The body, read as the app writes it.
    pub body: Box<dyn Read + Send>,
    /// The app, kept running until the body is read even if a reload replaces it.
    _app: Arc<WebAdapter>,
}

impl WebAdapter {
    /// The script (after the prologue) and arguments that serve `module` (`my_api.main`)
    /// under uvicorn.
    pub fn command(module: &str) -> (&'static str, Vec<String>) {
        (SCRIPT, vec![module.to_string()])
    }

    /// The app of a process started with [`WebAdapter::command`], ready and listening.
    pub fn new(started: Started) -> Result<WebAdapter> {
        let port = started.ready["port"]
            .as_u64()
            .and_then(|port| u16::try_from(port).ok())
            .context("the app under uvicorn named no port")?;
        Ok(WebAdapter {
            child: started.child,
            _stdin: started.stdin,
            port,
        })
    }

    /// Sends `request` to the app at `path` (with its query string) and the adapter's
    /// `headers`, as the Lambda Web Adapter does, and returns the response once its head
    /// has come.
    pub fn forward(
        app: &Arc<WebAdapter>,
        request: &Request,
        path: &str,
        headers: &[(&str, String)],
    ) -> std::io::Result<Streamed> {
        let mut stream = TcpStream::connect(("127.0.0.1", app.port))?;
        let target = if request.query.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{}", request.query)
        };
        // One request per connection: the app ends the body by closing it.
        let mut head = format!("{} {target} HTTP/1.0\r\n", request.method);
        for (name, value) in &request.headers {
            if !is_framing(name) {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
        }
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("content-length: {}\r\n\r\n", request.body.len()));
        stream.write_all(head.as_bytes())?;
        stream.write_all(&request.body)?;
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        // Informational answers (`100 Continue`) may come first: skip each with its head.
        let status = loop {
            line.clear();
            reader.read_line(&mut line)?;
            let status: u16 = line
                .split_whitespace()
                .nth(1)
                .and_then(|code| code.parse().ok())
                .ok_or_else(|| std::io::Error::other(format!("not an HTTP response: {line:?}")))?;
            if status >= 200 {
                break status;
            }
            loop {
                line.clear();
                if reader.read_line(&mut line)? == 0 || line.trim_end().is_empty() {
                    break;
                }
            }
        };
        let mut headers = Vec::new();
        let mut chunked = false;
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 || line.trim_end().is_empty() {
                break;
            }
            let Some((name, value)) = line.trim_end().split_once(':') else {
                continue;
            };
            let (name, value) = (name.trim(), value.trim());
            if name.eq_ignore_ascii_case("transfer-encoding") {
                chunked = value.eq_ignore_ascii_case("chunked");
            } else if !is_framing(name) {
                headers.push((name.to_string(), value.to_string()));
            }
        }
        // uvicorn may frame a stream in chunks even for HTTP/1.0: the gateway frames its own.
        let body: Box<dyn Read + Send> = if chunked {
            Box::new(chunked_transfer::Decoder::new(reader))
        } else {
            Box::new(reader)
        };
        Ok(Streamed {
            status,
            headers,
            body,
            _app: Arc::clone(app),
        })
    }
}

impl Drop for WebAdapter {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether a header belongs to one connection, not to the request or response it
/// carries: the gateway has read the request's body and frames its own responses.
fn is_framing(name: &str) -> bool {
    [
        "connection",
        "content-length",
        "transfer-encoding",
        "keep-alive",
        "expect",
        "te",
        "upgrade",
    ]
    .iter()
    .any(|framing| name.eq_ignore_ascii_case(framing))
}
