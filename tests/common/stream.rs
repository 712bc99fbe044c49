//! A client for streamed HTTP responses: each line of a body with the moment it arrived,
//! to show that a response streams.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// A response, with each line of its body and the moment it arrived.
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// Each line of the body (with its line break), with when it arrived.
    pub lines: Vec<(String, Instant, SystemTime)>,
}

impl Response {
    /// The value of the header `name`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The whole body.
    pub fn body(&self) -> String {
        self.lines
            .iter()
            .map(|(line, _, _)| line.as_str())
            .collect()
    }
}

/// `GET path` over HTTP/1.1, reading the body as it arrives (chunked or not).
pub fn get(port: u16, path: &str, headers: &[(&str, &str)]) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut request =
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).unwrap();

    let mut reader = BufReader::new(stream);
    let mut status_line = String::new();
    reader.read_line(&mut status_line).unwrap();
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line: {status_line:?}"));
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').unwrap();
        headers.push((name.trim().to_lowercase(), value.trim().to_string()));
    }
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));

    let mut lines = Vec::new();
    let mut pending = Vec::new();
    let mut take = |data: &[u8], pending: &mut Vec<u8>| {
        let (arrived, wall) = (Instant::now(), SystemTime::now());
        pending.extend_from_slice(data);
        while let Some(end) = pending.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = pending.drain(..=end).collect();
            lines.push((String::from_utf8(line).unwrap(), arrived, wall));
        }
    };
    if chunked {
        loop {
            let mut size_line = String::new();
            reader.read_line(&mut size_line).unwrap();
            let size = usize::from_str_radix(size_line.trim().split(';').next().unwrap(), 16)
                .unwrap_or_else(|_| panic!("bad chunk size line: {size_line:?}"));
            if size == 0 {
                break;
            }
            let mut data = vec![0; size + 2];
            reader.read_exact(&mut data).unwrap();
            take(&data[..size], &mut pending);
        }
    } else {
        let mut data = Vec::new();
        reader.read_to_end(&mut data).unwrap();
        take(&data, &mut pending);
    }
    if !pending.is_empty() {
        let (arrived, wall) = (Instant::now(), SystemTime::now());
        lines.push((String::from_utf8(pending).unwrap(), arrived, wall));
    }
    Response {
        status,
        headers,
        lines,
    }
}

/// Seconds since the epoch of an RFC 3339 timestamp (`2026-11-24T21:05:32.656746Z`).
pub fn epoch_seconds(timestamp: &str) -> f64 {
    let time: jiff::Timestamp = timestamp
        .parse()
        .unwrap_or_else(|err| panic!("not a timestamp ({err}): {timestamp}"));
    time.as_nanosecond() as f64 / 1e9
}

/// Seconds since the epoch of `time`.
pub fn epoch(time: SystemTime) -> f64 {
    time.duration_since(UNIX_EPOCH).unwrap().as_secs_f64()
}
