//! The HTTP response API Gateway makes of a Lambda proxy integration's answer: a REST
//! API's (payload 1.0) or an HTTP API's (2.0), and API Gateway's own error responses.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use super::PayloadVersion;

/// An HTTP response, as the gateway writes it to the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The headers, in order; a name may repeat (`set-cookie`).
    pub headers: Vec<(String, String)>,
    /// The body's bytes.
    pub body: Vec<u8>,
}

impl Response {
    /// One of API Gateway's own JSON error responses: `{"message": "..."}`.
    pub fn gateway_error(status: u16, message: &str) -> Response {
        Response::json(status, serde_json::json!({ "message": message }))
    }

    /// A JSON response of API Gateway's own.
    pub fn json(status: u16, body: Value) -> Response {
        Response {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
        }
    }

    /// What API Gateway answers when the function fails, times out or answers in a shape
    /// it cannot use: a REST API's 502, an HTTP API's 500.
    pub fn integration_failed(version: PayloadVersion) -> Response {
        match version {
            PayloadVersion::V1 => Response::gateway_error(502, "Internal server error"),
            PayloadVersion::V2 => Response::gateway_error(500, "Internal Server Error"),
        }
    }

    /// What API Gateway answers when the Lambda authorizer fails: a 500.
    pub fn authorizer_failed(version: PayloadVersion) -> Response {
        match version {
            PayloadVersion::V1 => Response::json(500, serde_json::json!({ "message": null })),
            PayloadVersion::V2 => Response::gateway_error(500, "Internal Server Error"),
        }
    }
}

/// The response for the function's `answer` to an event of `version`.
pub fn from_lambda(version: PayloadVersion, answer: &Value) -> Response {
    match version {
        PayloadVersion::V1 => from_v1(answer),
        PayloadVersion::V2 => from_v2(answer),
    }
    .unwrap_or_else(|| Response::integration_failed(version))
}

/// A REST API takes `statusCode`, `headers` and `multiValueHeaders` (merged: a name in
/// both takes the multi-value list), `body` and `isBase64Encoded`, and nothing else.
fn from_v1(answer: &Value) -> Option<Response> {
    let object = answer.as_object()?;
    let status = status_code(object.get("statusCode")?)?;
    let mut headers = Vec::new();
    let multi = object.get("multiValueHeaders").and_then(Value::as_object);
    if let Some(single) = object.get("headers").and_then(Value::as_object) {
        for (name, value) in single {
            if !multi.is_some_and(|m| m.contains_key(name)) {
                headers.push((name.clone(), scalar(value)?));
            }
        }
    }
    for (name, values) in multi.into_iter().flatten() {
        for value in values.as_array()? {
            headers.push((name.clone(), scalar(value)?));
        }
    }
    Some(Response {
        status,
        headers,
        body: body(object)?,
    })
}

/// An HTTP API takes the same fields, with `cookies` for `set-cookie`, and treats an
/// answer without `statusCode` as a 200 JSON body of the whole answer.
fn from_v2(answer: &Value) -> Option<Response> {
    let Some(object) = answer.as_object().filter(|o| o.contains_key("statusCode")) else {
        return Some(Response {
            status: 200,
            headers: vec![("content-type".into(), "application/json".into())],
            body: answer.to_string().into_bytes(),
        });
    };
    let status = status_code(&object["statusCode"])?;
    let mut headers = Vec::new();
    if let Some(single) = object.get("headers").and_then(Value::as_object) {
        for (name, value) in single {
            headers.push((name.clone(), scalar(value)?));
        }
    }
    for cookie in object
        .get("cookies")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        headers.push(("set-cookie".into(), scalar(cookie)?));
    }
    Some(Response {
        status,
        headers,
        body: body(object)?,
    })
}

fn status_code(value: &Value) -> Option<u16> {
    let code = value.as_u64()?;
    (100..=599).contains(&code).then_some(code as u16)
}

/// A header value: a string, or a number or boolean written as text.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(_) | Value::Bool(_) => Some(value.to_string()),
        _ => None,
    }
}

/// The body: text, or base64 decoded when `isBase64Encoded`.
fn body(object: &serde_json::Map<String, Value>) -> Option<Vec<u8>> {
    let text = match object.get("body") {
        None | Some(Value::Null) => return Some(Vec::new()),
        Some(Value::String(text)) => text,
        Some(_) => return None,
    };
    if object.get("isBase64Encoded") == Some(&Value::Bool(true)) {
        STANDARD.decode(text).ok()
    } else {
        Some(text.clone().into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_rest_answer_merges_its_headers_and_decodes_its_body() {
        let answer = json!({
            "statusCode": 201,
            "headers": {"content-type": "text/plain", "x-one": "1"},
            "multiValueHeaders": {"x-one": ["a", "b"], "set-cookie": ["s=1", "t=2"]},
            "body": "aGk=",
            "isBase64Encoded": true,
        });
        let response = from_lambda(PayloadVersion::V1, &answer);
        assert_eq!(response.status, 201);
        assert_eq!(response.body, b"hi");
        let headers: Vec<(&str, &str)> = response
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            headers,
            [
                ("content-type", "text/plain"),
                ("x-one", "a"),
                ("x-one", "b"),
                ("set-cookie", "s=1"),
                ("set-cookie", "t=2"),
            ]
        );
    }

    #[test]
    fn an_http_api_answer_sets_its_cookies_and_a_bare_answer_is_json() {
        let answer = json!({"statusCode": 200, "cookies": ["a=1"], "body": "ok"});
        let response = from_lambda(PayloadVersion::V2, &answer);
        assert_eq!(
            response.headers,
            [("set-cookie".to_string(), "a=1".to_string())]
        );
        assert_eq!(response.body, b"ok");

        let bare = from_lambda(PayloadVersion::V2, &json!({"message": "hi"}));
        assert_eq!(
            (bare.status, bare.body),
            (200, br#"{"message":"hi"}"#.to_vec())
        );
    }

    #[test]
    fn an_answer_api_gateway_cannot_use_fails_the_integration() {
        for answer in [
            json!("text"),
            json!({"statusCode": "200"}),
            json!({"statusCode": 700}),
        ] {
            let response = from_lambda(PayloadVersion::V1, &answer);
            assert_eq!(response.status, 502, "{answer}");
            assert_eq!(response.body, br#"{"message":"Internal server error"}"#);
        }
        let response = from_lambda(PayloadVersion::V2, &json!({"statusCode": 200, "body": 7}));
        assert_eq!(response.status, 500);
    }
}
