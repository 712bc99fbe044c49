//! The Lambda proxy events API Gateway sends the function for an HTTP request: a REST
//! API's (payload format 1.0) and an HTTP API's (2.0), built on `aws_lambda_events`'
//! types and serialized as API Gateway writes them.

use std::collections::HashMap;

use aws_lambda_events::apigw::{
    ApiGatewayProxyRequest, ApiGatewayProxyRequestContext, ApiGatewayRequestIdentity,
    ApiGatewayV2httpRequest, ApiGatewayV2httpRequestContext,
    ApiGatewayV2httpRequestContextHttpDescription,
};
use aws_lambda_events::query_map::QueryMap;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use http::{HeaderMap, HeaderName, HeaderValue, Method};
use serde_json::Value;

/// An HTTP request as it reaches API Gateway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The method (`GET`).
    pub method: String,
    /// The path, percent-encoded as sent, without the query string (`/items/3`).
    pub path: String,
    /// The query string as sent, without the `?` (`a=1&a=2`).
    pub query: String,
    /// The headers in the order they came, names as sent.
    pub headers: Vec<(String, String)>,
    /// The body's bytes.
    pub body: Vec<u8>,
    /// The caller's IP address.
    pub source_ip: String,
}

impl Request {
    /// The value of the first header called `name` (in any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The route of the API that matched a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// The resource path with its parameters (`/items/{item_id}`, `/{proxy+}`).
    pub resource: String,
    /// The values of the resource's path parameters, decoded.
    pub path_parameters: Vec<(String, String)>,
}

/// What API Gateway knows of the API and of this request, apart from the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// The API's id (the first label of its domain name).
    pub api_id: String,
    /// The account that owns the API.
    pub account_id: String,
    /// The region the API is in.
    pub region: String,
    /// The stage (`prod`; an HTTP API's `$default`).
    pub stage: String,
    /// API Gateway's id of the request.
    pub request_id: String,
    /// When the request came, in milliseconds since the epoch.
    pub time_epoch_ms: i64,
}

impl Context {
    /// The API's default domain name (`<api_id>.execute-api.<region>.amazonaws.com`).
    pub fn domain_name(&self) -> String {
        format!("{}.execute-api.{}.amazonaws.com", self.api_id, self.region)
    }

    /// The request time as API Gateway writes it: `04/Mar/2020:19:15:17 +0000`.
    pub fn request_time(&self) -> String {
        let time = jiff::Timestamp::from_millisecond(self.time_epoch_ms)
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        time.strftime("%d/%b/%Y:%H:%M:%S +0000").to_string()
    }
}

/// The REST API (payload 1.0) event for `request`, matched by `route`.
pub fn rest_event(request: &Request, route: &Route, context: &Context) -> Value {
    let query = QueryMap::from(query_pairs(&request.query));
    // A REST API's single-value maps hold the last value of a repeated key.
    let single_query = QueryMap::from(last_values(query_pairs(&request.query)));
    let stage_path = format!("/{}{}", context.stage, request.path);
    let user_agent = request.header("user-agent").map(str::to_string);
    // The types are non-exhaustive: built field by field from their defaults.
    let mut identity = ApiGatewayRequestIdentity::default();
    identity.source_ip = Some(request.source_ip.clone());
    identity.user_agent = user_agent;
    let mut request_context = ApiGatewayProxyRequestContext::default();
    request_context.account_id = Some(context.account_id.clone());
    request_context.resource_id = Some(resource_id(&route.resource));
    request_context.stage = Some(context.stage.clone());
    request_context.domain_name = Some(context.domain_name());
    request_context.domain_prefix = Some(context.api_id.clone());
    request_context.request_id = Some(context.request_id.clone());
    request_context.protocol = Some("HTTP/1.1".into());
    request_context.identity = identity;
    request_context.resource_path = Some(route.resource.clone());
    request_context.path = Some(stage_path);
    request_context.http_method = method(&request.method);
    request_context.request_time = Some(context.request_time());
    request_context.request_time_epoch = context.time_epoch_ms;
    request_context.apiid = Some(context.api_id.clone());
    let mut event = ApiGatewayProxyRequest::default();
    event.resource = Some(route.resource.clone());
    event.path = Some(request.path.clone());
    event.http_method = method(&request.method);
    event.query_string_parameters = single_query;
    event.multi_value_query_string_parameters = query;
    event.path_parameters = route.path_parameters.iter().cloned().collect();
    event.request_context = request_context;
    let mut value = serde_json::to_value(&event).expect("an event serializes");
    // A REST API keeps header names as sent (a HeaderMap would lowercase them).
    let (headers, multi_value_headers) = rest_headers(&request.headers);
    value["headers"] = headers;
    value["multiValueHeaders"] = multi_value_headers;
    value["requestContext"]["identity"]["principalOrgId"] = Value::Null;
    let (body, is_base64_encoded) = rest_body(&request.body);
    value["body"] = body;
    value["isBase64Encoded"] = Value::Bool(is_base64_encoded);
    value["requestContext"]["extendedRequestId"] = Value::String(context.request_id.clone());
    // API Gateway sends null, not an empty object, for a map it has nothing for.
    for key in [
        "queryStringParameters",
        "multiValueQueryStringParameters",
        "pathParameters",
        "stageVariables",
    ] {
        if value[key].as_object().is_some_and(|map| map.is_empty()) {
            value[key] = Value::Null;
        }
    }
    value
}

/// The event a Function URL sends for `request`: an HTTP API's (payload 2.0), without
/// routes of its own, on the function's URL.
pub fn function_url_event(request: &Request, context: &Context) -> Value {
    let route = Route {
        resource: "$default".into(),
        path_parameters: Vec::new(),
    };
    let mut event = http_event(request, &route, context);
    let domain = format!("{}.lambda-url.{}.on.aws", context.api_id, context.region);
    event["routeKey"] = Value::from("$default");
    event["requestContext"]["routeKey"] = Value::from("$default");
    event["requestContext"]["domainName"] = Value::from(domain);
    if let Some(map) = event.as_object_mut() {
        map.remove("pathParameters");
        map.remove("stageVariables");
    }
    event
}

/// The HTTP API (payload 2.0) event for `request`, matched by `route`.
pub fn http_event(request: &Request, route: &Route, context: &Context) -> Value {
    let route_key = format!("{} {}", request.method, route.resource);
    let mut cookies = Vec::new();
    let mut headers = HeaderMap::new();
    // An HTTP API joins a repeated header's values with commas and passes cookies apart.
    let mut joined: Vec<(String, String)> = Vec::new();
    for (name, value) in &request.headers {
        let name = name.to_ascii_lowercase();
        if name == "cookie" {
            cookies.extend(value.split(';').map(|c| c.trim().to_string()));
            continue;
        }
        match joined.iter_mut().find(|(n, _)| *n == name) {
            Some((_, existing)) => {
                existing.push(',');
                existing.push_str(value);
            }
            None => joined.push((name, value.clone())),
        }
    }
    for (name, value) in joined {
        insert_header(&mut headers, &name, &value);
    }
    let query = QueryMap::from(query_pairs(&request.query));
    let mut http = ApiGatewayV2httpRequestContextHttpDescription::default();
    http.method = method(&request.method);
    http.path = Some(request.path.clone());
    http.protocol = Some("HTTP/1.1".into());
    http.source_ip = Some(request.source_ip.clone());
    http.user_agent = request.header("user-agent").map(str::to_string);
    let mut request_context = ApiGatewayV2httpRequestContext::default();
    request_context.route_key = Some(route_key.clone());
    request_context.account_id = Some(context.account_id.clone());
    request_context.stage = Some(context.stage.clone());
    request_context.request_id = Some(context.request_id.clone());
    request_context.apiid = Some(context.api_id.clone());
    request_context.domain_name = Some(context.domain_name());
    request_context.domain_prefix = Some(context.api_id.clone());
    request_context.time = Some(context.request_time());
    request_context.time_epoch = context.time_epoch_ms;
    request_context.http = http;
    let mut event = ApiGatewayV2httpRequest::default();
    event.version = Some("2.0".into());
    event.route_key = Some(route_key);
    event.raw_path = Some(request.path.clone());
    event.raw_query_string = Some(request.query.clone());
    event.cookies = (!cookies.is_empty()).then_some(cookies);
    event.headers = headers;
    event.query_string_parameters = query;
    event.path_parameters = route.path_parameters.iter().cloned().collect();
    event.request_context = request_context;
    let mut value = serde_json::to_value(&event).expect("an event serializes");
    let map = value.as_object_mut().expect("an event is an object");
    // The type also serves Lambda authorizers: their fields are not in a proxy event.
    for key in [
        "type",
        "methodArn",
        "httpMethod",
        "identitySource",
        "authorizationToken",
        "resource",
    ] {
        map.remove(key);
    }
    // An HTTP API leaves out what it has nothing for.
    for key in ["queryStringParameters", "pathParameters", "stageVariables"] {
        if map
            .get(key)
            .and_then(Value::as_object)
            .is_some_and(|m| m.is_empty())
        {
            map.remove(key);
        }
    }
    let mut is_base64_encoded = false;
    if !request.body.is_empty() {
        let (body, base64) = http_body(request);
        map.insert("body".into(), body);
        is_base64_encoded = base64;
    }
    map.insert("isBase64Encoded".into(), Value::Bool(is_base64_encoded));
    value
}

/// A REST API's `headers` (the last value of a repeated header) and `multiValueHeaders`,
/// names as sent.
fn rest_headers(pairs: &[(String, String)]) -> (Value, Value) {
    let mut single = serde_json::Map::new();
    let mut multi = serde_json::Map::new();
    for (name, value) in pairs {
        single.insert(name.clone(), Value::String(value.clone()));
        let values = multi
            .entry(name.clone())
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(values) = values {
            values.push(Value::String(value.clone()));
        }
    }
    (Value::Object(single), Value::Object(multi))
}

fn insert_header(headers: &mut HeaderMap, name: &str, value: &str) {
    if let (Ok(name), Ok(value)) = (
        HeaderName::from_bytes(name.as_bytes()),
        HeaderValue::from_str(value),
    ) {
        headers.insert(name, value);
    }
}

fn method(name: &str) -> Method {
    Method::from_bytes(name.as_bytes()).unwrap_or(Method::GET)
}

/// The decoded pairs of a query string, by key, values in order.
fn query_pairs(query: &str) -> HashMap<String, Vec<String>> {
    let mut pairs: HashMap<String, Vec<String>> = HashMap::new();
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        pairs
            .entry(key.into_owned())
            .or_default()
            .push(value.into_owned());
    }
    pairs
}

fn last_values(pairs: HashMap<String, Vec<String>>) -> HashMap<String, Vec<String>> {
    pairs
        .into_iter()
        .map(|(key, mut values)| {
            let last = values.pop().unwrap_or_default();
            (key, vec![last])
        })
        .collect()
}

/// A stable id for a resource path, as API Gateway gives each resource one.
fn resource_id(resource: &str) -> String {
    let hash = resource.bytes().fold(0xcbf29ce484222325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    });
    format!("{:06x}", hash & 0xff_ffff)
}

/// A REST API passes a body as text; one that is not UTF-8 goes base64-encoded (as with
/// binary media types).
fn rest_body(body: &[u8]) -> (Value, bool) {
    if body.is_empty() {
        return (Value::Null, false);
    }
    match std::str::from_utf8(body) {
        Ok(text) => (Value::String(text.into()), false),
        Err(_) => (Value::String(STANDARD.encode(body)), true),
    }
}

/// An HTTP API passes a text body (by its content type) as it is and base64-encodes the rest.
fn http_body(request: &Request) -> (Value, bool) {
    let body = &request.body;
    let content_type = request.header("content-type").unwrap_or_default();
    let text_like = content_type.starts_with("text/")
        || ["json", "xml", "javascript", "x-www-form-urlencoded"]
            .iter()
            .any(|kind| content_type.contains(kind));
    match std::str::from_utf8(body) {
        Ok(text) if text_like => (Value::String(text.into()), false),
        _ => (Value::String(STANDARD.encode(body)), true),
    }
}
