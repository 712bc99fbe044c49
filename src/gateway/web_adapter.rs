//! The streaming APIs (a Function URL, a REST API with `--streaming`): the app runs under
//! uvicorn as the Lambda Web Adapter runs it (`web_adapter.py`), and each request goes to
//! it over HTTP with the headers the adapter adds, its response read as it streams.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::ChildStdin;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result};

use super::event::Request;
use super::worker::{KillOnDrop, Started};

/// The stand-in's script, run with `python -c`.
const SCRIPT: &str = include_str!("web_adapter.py");

/// The app under uvicorn, stopped when the last request holding it ends.
pub struct WebAdapter {
    _child: KillOnDrop,
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
            _child: started.child,
            _stdin: started.stdin,
            port,
        })
    }

    /// Sends `request` to the app at `path` (with its query string) and the adapter's
    /// `headers`, as the Lambda Web Adapter does, and returns the response once its head
    /// has come. Reading it fails once the invocation's `deadline` has passed, as Lambda
    /// ends a function that runs over its timeout.
    pub fn forward(
        app: &Arc<WebAdapter>,
        request: &Request,
        (path, headers): (&str, &[(&str, String)]),
        deadline: Instant,
    ) -> std::io::Result<Streamed> {
        let mut stream = UntilDeadline {
            stream: TcpStream::connect(("127.0.0.1", app.port))?,
            deadline,
        };
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

/// A connection to the app that reads until a deadline, then fails with `TimedOut`.
struct UntilDeadline {
    stream: TcpStream,
    deadline: Instant,
}

impl Read for UntilDeadline {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(std::io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        self.stream.read(buffer).map_err(|err| match err.kind() {
            // A read that waited out the timeout.
            std::io::ErrorKind::WouldBlock => std::io::ErrorKind::TimedOut.into(),
            _ => err,
        })
    }
}

impl Write for UntilDeadline {
    fn write(&mut self, buffer: &[u8]) -> std::io::Result<usize> {
        self.stream.write(buffer)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.stream.flush()
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;
    use std::time::Duration;

    #[test]
    fn a_response_is_read_until_the_deadline_and_no_longer() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let app = std::thread::spawn(move || {
            let (mut connection, _) = listener.accept().unwrap();
            connection.write_all(b"first").unwrap();
            // Then nothing, for longer than the deadline allows.
            std::thread::sleep(Duration::from_secs(1));
        });
        let mut stream = UntilDeadline {
            stream: TcpStream::connect(("127.0.0.1", port)).unwrap(),
            deadline: Instant::now() + Duration::from_millis(300),
        };
        let mut buffer = [0; 16];
        assert_eq!(stream.read(&mut buffer).unwrap(), 5);
        let started = Instant::now();
        let err = stream.read(&mut buffer).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::TimedOut);
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
        app.join().unwrap();
    }
}
