//! The events of `fastgen dev`'s gateway have the structure and types of the sample events
//! of Powertools for AWS Lambda (`tests/fixtures/events`, written by AWS, not by us),
//! key for key, for the same request: repeated query keys and headers, cookies and a body.

use std::fs;
use std::path::Path;

use fastgen::gateway::event::{Context, Request, Route, http_event, rest_event};
use serde_json::Value;

fn sample(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/events")
        .join(name);
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

fn context(stage: &str) -> Context {
    Context {
        api_id: "id".into(),
        account_id: "123456789012".into(),
        region: "us-east-1".into(),
        stage: stage.into(),
        request_id: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef".into(),
        time_epoch_ms: 1_583_349_317_135,
    }
}

/// The samples' request: `method /my/path` with a repeated query key and a repeated
/// header, then `headers`, and `body`.
fn sample_request(method: &str, headers: &[(&str, &str)], body: &[u8]) -> Request {
    let mut all = vec![
        ("Header1".to_string(), "value1".to_string()),
        ("Header2".into(), "value1".into()),
        ("Header2".into(), "value2".into()),
    ];
    all.extend(headers.iter().map(|(n, v)| (n.to_string(), v.to_string())));
    Request {
        method: method.into(),
        path: "/my/path".into(),
        query: "parameter1=value1&parameter1=value2&parameter2=value".into(),
        headers: all,
        body: body.to_vec(),
        source_ip: "192.168.0.1".into(),
    }
}

/// The JSON type of a value, by name.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Where `actual` differs from `expected` in its keys or their types, below `at`; the
/// keys in `only_in_sample` are the sample's and need no counterpart.
fn differences(expected: &Value, actual: &Value, at: &str, only_in_sample: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    match (expected, actual) {
        (Value::Object(want), Value::Object(got)) => {
            for (key, value) in want {
                let path = format!("{at}.{key}");
                if only_in_sample.contains(&path.as_str()) {
                    continue;
                }
                match got.get(key) {
                    None => out.push(format!("{path}: missing")),
                    Some(found) => out.extend(differences(value, found, &path, only_in_sample)),
                }
            }
            for key in got.keys().filter(|key| !want.contains_key(*key)) {
                out.push(format!("{at}.{key}: not in the sample"));
            }
        }
        (Value::Array(want), Value::Array(got)) => {
            if let (Some(want), Some(got)) = (want.first(), got.first()) {
                out.extend(differences(want, got, &format!("{at}[0]"), only_in_sample));
            }
        }
        _ if kind(expected) != kind(actual) => {
            out.push(format!(
                "{at}: {} in the sample, {} here",
                kind(expected),
                kind(actual)
            ));
        }
        _ => {}
    }
    out
}

#[test]
fn a_rest_event_has_the_shape_of_api_gateways() {
    let request = sample_request(
        "GET",
        &[
            ("Origin", "https://aws.amazon.com"),
            ("User-Agent", "user-agent"),
        ],
        b"Hello from Lambda!",
    );
    let route = Route {
        resource: "/my/path".into(),
        path_parameters: vec![],
    };
    let event = rest_event(&request, &route, &context("prod"));
    let only_in_sample = [
        // The sample's `version` is not in API Gateway's REST events.
        ".version",
        // Mutual TLS only.
        ".requestContext.identity.clientCert",
        // With an authorizer only: `fastgen dev` adds what the API's auth gives.
        ".requestContext.authorizer",
    ];
    let mut found = differences(
        &sample("apiGatewayProxyEvent.json"),
        &event,
        "",
        &only_in_sample,
    );
    // Where the sample is not what API Gateway sends today: it has API key fields in the
    // identity, an extended request id, a user agent header, and a resource id (a string).
    found.retain(|d| {
        !matches!(
            d.as_str(),
            ".requestContext.identity.apiKey: not in the sample"
                | ".requestContext.identity.apiKeyId: not in the sample"
                | ".requestContext.extendedRequestId: not in the sample"
                | ".headers.User-Agent: not in the sample"
                | ".multiValueHeaders.User-Agent: not in the sample"
                | ".requestContext.resourceId: null in the sample, string here"
        )
    });
    assert!(found.is_empty(), "{found:#?}\n{event:#}");

    assert_eq!(
        event["multiValueHeaders"]["Header2"],
        serde_json::json!(["value1", "value2"])
    );
    assert_eq!(
        event["headers"]["Header2"], "value2",
        "the last value of a repeated header"
    );
    assert_eq!(
        event["multiValueQueryStringParameters"]["parameter1"],
        serde_json::json!(["value1", "value2"])
    );
    assert_eq!(event["queryStringParameters"]["parameter1"], "value2");
    assert_eq!(
        event["requestContext"]["path"], "/prod/my/path",
        "the stage prefix"
    );
    assert_eq!(
        event["requestContext"]["requestTime"],
        "04/Mar/2020:19:15:17 +0000"
    );
    assert_eq!(event["body"], "Hello from Lambda!");
    assert_eq!(event["isBase64Encoded"], false);
}

#[test]
fn an_http_api_event_has_the_shape_of_api_gateways() {
    let request = sample_request(
        "POST",
        &[
            ("Cookie", "cookie1; cookie2"),
            ("Content-Type", "application/json"),
            ("User-Agent", "agent"),
        ],
        br#"{"message": "hello world", "username": "tom"}"#,
    );
    let route = Route {
        resource: "/my/{parameter1}".into(),
        path_parameters: vec![("parameter1".into(), "path".into())],
    };
    let event = http_event(&request, &route, &context("$default"));
    let only_in_sample = [
        // Mutual TLS only.
        ".requestContext.authentication",
        // With an authorizer only: `fastgen dev` adds what the API's auth gives.
        ".requestContext.authorizer",
        // Stage variables only where the stage defines some.
        ".stageVariables",
    ];
    // An HTTP API lowercases header names (payload 2.0); the sample's are capitalized.
    let mut expected = sample("apiGatewayProxyV2Event.json");
    let headers = expected["headers"].as_object().unwrap().clone();
    expected["headers"] = headers
        .into_iter()
        .map(|(name, value)| (name.to_lowercase(), value))
        .collect();
    let mut found = differences(&expected, &event, "", &only_in_sample);
    // Headers this request has and the sample's does not.
    found.retain(|d| {
        !matches!(
            d.as_str(),
            ".headers.content-type: not in the sample" | ".headers.user-agent: not in the sample"
        )
    });
    assert!(found.is_empty(), "{found:#?}\n{event:#}");

    assert_eq!(
        event["headers"]["header2"], "value1,value2",
        "joined with commas"
    );
    assert!(event["headers"].get("cookie").is_none(), "cookies go apart");
    assert_eq!(event["cookies"], serde_json::json!(["cookie1", "cookie2"]));
    assert_eq!(
        event["queryStringParameters"]["parameter1"],
        "value1,value2"
    );
    assert_eq!(event["rawQueryString"], request.query);
    assert_eq!(event["routeKey"], "POST /my/{parameter1}");
    assert_eq!(event["pathParameters"]["parameter1"], "path");
    assert_eq!(event["isBase64Encoded"], false);
}

#[test]
fn binary_bodies_are_base64_encoded() {
    let request = Request {
        method: "POST".into(),
        path: "/upload".into(),
        query: String::new(),
        headers: vec![("content-type".into(), "application/octet-stream".into())],
        body: vec![0xff, 0x00, 0x10],
        source_ip: "127.0.0.1".into(),
    };
    let route = Route {
        resource: "/upload".into(),
        path_parameters: vec![],
    };
    for event in [
        rest_event(&request, &route, &context("prod")),
        http_event(&request, &route, &context("$default")),
    ] {
        assert_eq!(event["body"], "/wAQ", "{event:#}");
        assert_eq!(event["isBase64Encoded"], true);
    }
}
