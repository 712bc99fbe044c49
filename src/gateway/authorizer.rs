//! Lambda REQUEST authorizers as API Gateway calls them: the event (a REST API's, or an
//! HTTP API's payload 2.0), the decision it takes from the answer (a REST API's IAM
//! policy, an HTTP API's simple response), and its cache of answers per identity.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::PayloadVersion;
use super::event::Context;
use super::response::Response;

/// How long answers are cached per `Authorization` header, as generated (five minutes).
pub const RESULT_TTL: Duration = Duration::from_secs(300);

/// What the authorizer's answer means for a request.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Let it through, with this `requestContext.authorizer`.
    Allow(Value),
    /// Answer it with this response.
    Deny(Response),
}

/// The ARN of the method a request invokes, as the authorizer's policy names it.
pub fn method_arn(context: &Context, method: &str, path: &str) -> String {
    format!(
        "arn:aws:execute-api:{}:{}:{}/{}/{method}{path}",
        context.region, context.account_id, context.api_id, context.stage
    )
}

/// The REQUEST authorizer event for a request whose proxy event is `proxy`, with
/// `identity` (the `Authorization` header) and the method's ARN.
pub fn request_event(version: PayloadVersion, proxy: &Value, identity: &str, arn: &str) -> Value {
    let mut event = proxy.clone();
    let map = event.as_object_mut().expect("an event is an object");
    map.remove("body");
    map.remove("isBase64Encoded");
    map.insert("type".into(), json!("REQUEST"));
    match version {
        PayloadVersion::V1 => {
            map.insert("methodArn".into(), json!(arn));
        }
        PayloadVersion::V2 => {
            map.insert("routeArn".into(), json!(arn));
            map.insert("identitySource".into(), json!([identity]));
        }
    }
    event
}

/// What API Gateway does with the authorizer's `answer` for the method `arn`.
pub fn decide(version: PayloadVersion, answer: &Value, arn: &str) -> Decision {
    match version {
        PayloadVersion::V1 => decide_by_policy(answer, arn),
        PayloadVersion::V2 => match answer["isAuthorized"].as_bool() {
            Some(true) => Decision::Allow(
                json!({ "lambda": answer.get("context").cloned().unwrap_or(json!({})) }),
            ),
            Some(false) => Decision::Deny(Response::gateway_error(403, "Forbidden")),
            None => Decision::Deny(Response::authorizer_failed(PayloadVersion::V2)),
        },
    }
}

/// A REST API allows a request when a statement of the policy allows `execute-api:Invoke`
/// on its method and none denies it; the context's values reach the function as strings.
fn decide_by_policy(answer: &Value, arn: &str) -> Decision {
    let (Some(principal), Some(statements)) = (
        answer["principalId"].as_str(),
        answer["policyDocument"]["Statement"].as_array(),
    ) else {
        return Decision::Deny(Response::authorizer_failed(PayloadVersion::V1));
    };
    let applies = |statement: &Value| {
        let listed = |field: &str, wanted: &dyn Fn(&str) -> bool| match &statement[field] {
            Value::String(one) => wanted(one),
            Value::Array(many) => many.iter().filter_map(Value::as_str).any(wanted),
            _ => false,
        };
        listed("Action", &|action| {
            matches!(action, "execute-api:Invoke" | "execute-api:*" | "*")
        }) && listed("Resource", &|resource| wildcard(resource, arn))
    };
    let effect = |name: &str| statements.iter().any(|s| s["Effect"] == name && applies(s));
    if effect("Deny") {
        let message = "User is not authorized to access this resource with an explicit deny";
        return Decision::Deny(Response::json(403, json!({ "Message": message })));
    }
    if !effect("Allow") {
        let message = "User is not authorized to access this resource";
        return Decision::Deny(Response::json(403, json!({ "Message": message })));
    }
    let mut authorizer = serde_json::Map::new();
    for (key, value) in answer["context"].as_object().into_iter().flatten() {
        let text = match value {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        authorizer.insert(key.clone(), Value::String(text));
    }
    authorizer.insert("principalId".into(), json!(principal));
    authorizer.insert("integrationLatency".into(), json!(0));
    Decision::Allow(Value::Object(authorizer))
}

/// Whether `arn` matches an IAM resource pattern (`*` any run of characters, `?` one).
fn wildcard(pattern: &str, arn: &str) -> bool {
    wildmatch::WildMatch::new(pattern).matches(arn)
}

/// The authorizer's answers by identity, each kept for [`RESULT_TTL`].
#[derive(Debug, Default)]
pub struct Cache(HashMap<String, (Instant, Value)>);

impl Cache {
    /// The answer cached for `identity`, if it is still fresh.
    pub fn get(&self, identity: &str) -> Option<&Value> {
        self.0
            .get(identity)
            .filter(|(at, _)| at.elapsed() < RESULT_TTL)
            .map(|(_, answer)| answer)
    }

    /// Keeps `answer` for `identity`.
    pub fn put(&mut self, identity: &str, answer: Value) {
        self.0
            .insert(identity.to_string(), (Instant::now(), answer));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARN: &str = "arn:aws:execute-api:us-east-1:123456789012:local/prod/GET/items/3";

    fn policy(effect: &str, resource: &str) -> Value {
        json!({
            "principalId": "user-1",
            "policyDocument": {
                "Version": "2012-10-17",
                "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": [resource]}],
            },
            "context": {"tenant": "acme", "admin": false},
        })
    }

    #[test]
    fn a_rest_policy_allows_what_it_names_and_its_context_reaches_the_function() {
        let every = "arn:aws:execute-api:us-east-1:123456789012:local/prod/*/*";
        let Decision::Allow(authorizer) = decide(PayloadVersion::V1, &policy("Allow", every), ARN)
        else {
            panic!("allowed");
        };
        assert_eq!(authorizer["principalId"], "user-1");
        assert_eq!(authorizer["tenant"], "acme");
        assert_eq!(
            authorizer["admin"], "false",
            "context values reach a REST API's function as strings"
        );

        let other = "arn:aws:execute-api:us-east-1:123456789012:local/prod/POST/*";
        let Decision::Deny(denied) = decide(PayloadVersion::V1, &policy("Allow", other), ARN)
        else {
            panic!("denied");
        };
        assert_eq!(denied.status, 403);
        let Decision::Deny(explicit) = decide(PayloadVersion::V1, &policy("Deny", every), ARN)
        else {
            panic!("denied");
        };
        assert!(
            String::from_utf8(explicit.body)
                .unwrap()
                .contains("explicit deny")
        );
    }

    #[test]
    fn an_http_api_takes_a_simple_response() {
        let allowed = json!({"isAuthorized": true, "context": {"tenant": "acme"}});
        assert_eq!(
            decide(PayloadVersion::V2, &allowed, ARN),
            Decision::Allow(json!({"lambda": {"tenant": "acme"}}))
        );
        let Decision::Deny(denied) =
            decide(PayloadVersion::V2, &json!({"isAuthorized": false}), ARN)
        else {
            panic!("denied");
        };
        assert_eq!(
            (denied.status, denied.body),
            (403, br#"{"message":"Forbidden"}"#.to_vec())
        );
    }

    #[test]
    fn wildcards_match_as_iam_matches_them() {
        assert!(wildcard("arn:*:GET/items/*", "arn:x:GET/items/3"));
        assert!(wildcard("arn:?:GET/*", "arn:x:GET/items/3"));
        assert!(!wildcard("arn:*:POST/*", "arn:x:GET/items/3"));
        assert!(wildcard("*", ""));
    }
}
