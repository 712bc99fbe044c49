//! Auth iam as API Gateway checks it: a request's Signature Version 4 is recomputed with
//! the secret of the access key it names, from the local AWS credentials, and the caller
//! it proves becomes the event's identity.

use std::collections::HashMap;
use std::path::PathBuf;

use hmac::{Hmac, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::PayloadVersion;
use super::event::Request;
use super::response::Response;

/// How far a request's time may be from the gateway's, as AWS allows.
const MAX_SKEW_SECONDS: i64 = 5 * 60;

/// Everything but RFC 3986's unreserved characters is percent-encoded in a canonical
/// request.
const ENCODED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// The same, keeping a path's slashes.
const ENCODED_PATH: &AsciiSet = &ENCODED.remove(b'/');

/// A secret access key the gateway knows, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// The secret access key.
    pub secret: String,
    /// The session token that goes with temporary credentials.
    pub session_token: Option<String>,
    /// The profile that holds it (`default`), or `environment`.
    pub source: String,
    /// The account the profile names with `aws_account_id`, if it does.
    pub account_id: Option<String>,
}

/// The access keys requests may be signed with, by access key id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keys(HashMap<String, Key>);

impl Keys {
    /// The keys of the usual AWS environment variables and of every profile with static
    /// keys in the shared credentials and config files.
    pub fn load() -> Keys {
        let mut keys = Keys::default();
        let home = std::env::var_os("HOME").map(PathBuf::from);
        let file = |variable: &str, default: &str| {
            std::env::var_os(variable)
                .map(PathBuf::from)
                .or_else(|| home.as_ref().map(|home| home.join(".aws").join(default)))
        };
        for path in [
            file("AWS_CONFIG_FILE", "config"),
            file("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
        ]
        .into_iter()
        .flatten()
        {
            if let Ok(text) = std::fs::read_to_string(&path) {
                keys.add_profiles(&text);
            }
        }
        let variable = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
        if let (Some(id), Some(secret)) = (
            variable("AWS_ACCESS_KEY_ID"),
            variable("AWS_SECRET_ACCESS_KEY"),
        ) {
            keys.0.insert(
                id,
                Key {
                    secret,
                    session_token: variable("AWS_SESSION_TOKEN"),
                    source: "environment".into(),
                    account_id: variable("AWS_ACCOUNT_ID"),
                },
            );
        }
        keys
    }

    /// Adds the profiles with static keys of an AWS config or credentials file.
    pub fn add_profiles(&mut self, text: &str) {
        let mut sections: Vec<(String, HashMap<String, String>)> = Vec::new();
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                let name = name.trim();
                let name = name.strip_prefix("profile ").unwrap_or(name).trim();
                sections.push((name.to_string(), HashMap::new()));
            } else if let (Some((key, value)), Some((_, section))) =
                (line.split_once('='), sections.last_mut())
            {
                section.insert(key.trim().to_lowercase(), value.trim().to_string());
            }
        }
        for (name, section) in sections {
            let (Some(id), Some(secret)) = (
                section.get("aws_access_key_id"),
                section.get("aws_secret_access_key"),
            ) else {
                continue;
            };
            self.0.insert(
                id.clone(),
                Key {
                    secret: secret.clone(),
                    session_token: section.get("aws_session_token").cloned(),
                    source: name,
                    account_id: section.get("aws_account_id").cloned(),
                },
            );
        }
    }

    /// Whether no key is known, so that no request can pass.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The caller a valid signature proves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The access key id it signed with.
    pub access_key: String,
    /// Its account: the profile's `aws_account_id`, or the API's account.
    pub account_id: String,
    /// Its ARN. Without calling STS the gateway cannot know it: it names the source of the
    /// key (`arn:aws:iam::123456789012:user/default`).
    pub user_arn: String,
}

impl Caller {
    /// The caller as a REST API's `requestContext.identity` names it (merged into the
    /// identity that has the source IP and user agent).
    pub fn add_to_rest_identity(&self, identity: &mut Value) {
        identity["accessKey"] = json!(self.access_key);
        identity["accountId"] = json!(self.account_id);
        identity["caller"] = json!(self.access_key);
        identity["user"] = json!(self.access_key);
        identity["userArn"] = json!(self.user_arn);
    }

    /// The caller as an HTTP API's `requestContext.authorizer` names it.
    pub fn http_authorizer(&self) -> Value {
        json!({
            "iam": {
                "accessKey": self.access_key,
                "accountId": self.account_id,
                "callerId": self.access_key,
                "cognitoIdentity": null,
                "principalOrgId": null,
                "userArn": self.user_arn,
                "userId": self.access_key,
            }
        })
    }
}

/// Why API Gateway refuses a request's signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// It has no `Authorization` header.
    Unsigned,
    /// The header is not a SigV4 authorization, or lacks a part.
    Malformed(String),
    /// The access key or session token is not one the gateway knows.
    UnknownKey,
    /// The signature was made for another service or region, or another day.
    WrongScope(String),
    /// The signing time is too far from now.
    Expired(String),
    /// The signature is not the one the gateway computed.
    Mismatch {
        /// The canonical request the gateway signed.
        canonical_request: String,
        /// The string it signed.
        string_to_sign: String,
    },
}

impl Refusal {
    /// API Gateway's answer: a REST API's 403 with the reason, an HTTP API's bare 403.
    pub fn response(&self, version: PayloadVersion) -> Response {
        let message = match (version, self) {
            (PayloadVersion::V2, _) => "Forbidden".to_string(),
            (PayloadVersion::V1, Refusal::Unsigned) => "Missing Authentication Token".into(),
            (PayloadVersion::V1, Refusal::Malformed(why)) => why.clone(),
            (PayloadVersion::V1, Refusal::UnknownKey) => {
                "The security token included in the request is invalid.".into()
            }
            (PayloadVersion::V1, Refusal::WrongScope(why) | Refusal::Expired(why)) => why.clone(),
            (
                PayloadVersion::V1,
                Refusal::Mismatch {
                    canonical_request,
                    string_to_sign,
                },
            ) => format!(
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n'{canonical_request}'\n\nThe String-to-Sign should have been\n'{string_to_sign}'\n"
            ),
        };
        Response::gateway_error(403, &message)
    }

    /// The decision in a word or two, for the access line.
    pub fn summary(&self) -> &'static str {
        match self {
            Refusal::Unsigned => "unsigned",
            Refusal::Malformed(_) => "malformed signature",
            Refusal::UnknownKey => "unknown key",
            Refusal::WrongScope(_) => "wrong scope",
            Refusal::Expired(_) => "signature expired",
            Refusal::Mismatch { .. } => "signature mismatch",
        }
    }
}

/// The parts of a SigV4 `Authorization` header.
struct Authorization<'a> {
    access_key: &'a str,
    scope: &'a str,
    date: &'a str,
    region: &'a str,
    service: &'a str,
    signed_headers: Vec<&'a str>,
    signature: &'a str,
}

fn parse_authorization(header: &str) -> Result<Authorization<'_>, Refusal> {
    let Some(parts) = header.strip_prefix("AWS4-HMAC-SHA256 ") else {
        return Err(Refusal::Malformed(format!(
            "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization={header}"
        )));
    };
    let mut fields = HashMap::new();
    for part in parts.split(',') {
        if let Some((name, value)) = part.trim().split_once('=') {
            fields.insert(name, value);
        }
    }
    let missing: Vec<String> = ["Credential", "Signature", "SignedHeaders"]
        .into_iter()
        .filter(|name| !fields.contains_key(name))
        .map(|name| format!("Authorization header requires '{name}' parameter."))
        .collect();
    if !missing.is_empty() {
        return Err(Refusal::Malformed(format!(
            "{} Authorization={header}",
            missing.join(" ")
        )));
    }
    let credential = fields["Credential"];
    let Some((access_key, scope)) = credential.split_once('/') else {
        return Err(Refusal::Malformed(format!(
            "Credential should have at least 5 slash-separated parts, not 1: {credential}"
        )));
    };
    let scope_parts: Vec<&str> = scope.split('/').collect();
    let [date, region, service, "aws4_request"] = scope_parts[..] else {
        return Err(Refusal::Malformed(format!(
            "Credential should be scoped with a valid terminator: 'aws4_request', not '{scope}'."
        )));
    };
    Ok(Authorization {
        access_key,
        scope,
        date,
        region,
        service,
        signed_headers: fields["SignedHeaders"].split(';').collect(),
        signature: fields["Signature"],
    })
}

/// Checks `request`'s signature against `keys` for `service` (`execute-api`, or `lambda`
/// for a Function URL) in `region`, at `now`.
pub fn verify(
    keys: &Keys,
    request: &Request,
    (service, region): (&str, &str),
    now: jiff::Timestamp,
) -> Result<Caller, Refusal> {
    let header = |name: &str| request.header(name);
    let Some(authorization) = header("authorization") else {
        return Err(Refusal::Unsigned);
    };
    let auth = parse_authorization(authorization)?;
    let Some(key) = keys.0.get(auth.access_key) else {
        return Err(Refusal::UnknownKey);
    };
    if key.session_token.as_deref() != header("x-amz-security-token") {
        return Err(Refusal::UnknownKey);
    }
    if auth.service != service {
        return Err(Refusal::WrongScope(format!(
            "Credential should be scoped to correct service: '{service}'. "
        )));
    }
    if auth.region != region {
        return Err(Refusal::WrongScope(format!(
            "Credential should be scoped to a valid region, not '{}'. ",
            auth.region
        )));
    }
    let Some(amz_date) = header("x-amz-date") else {
        return Err(Refusal::Malformed(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
                .into(),
        ));
    };
    let signed_at = jiff::civil::DateTime::strptime("%Y%m%dT%H%M%SZ", amz_date)
        .ok()
        .and_then(|time| time.to_zoned(jiff::tz::TimeZone::UTC).ok())
        .map(|time| time.timestamp());
    let Some(signed_at) = signed_at else {
        return Err(Refusal::Malformed(format!(
            "Date must be in ISO-8601 'basic format'. Got '{amz_date}'."
        )));
    };
    if !amz_date.starts_with(auth.date) {
        return Err(Refusal::WrongScope(format!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{}' != '{}', from '{amz_date}'.",
            auth.date,
            &amz_date[..8.min(amz_date.len())]
        )));
    }
    let skew = (now.as_second() - signed_at.as_second()).abs();
    if skew > MAX_SKEW_SECONDS {
        let basic = |time: jiff::Timestamp| time.strftime("%Y%m%dT%H%M%SZ").to_string();
        return Err(Refusal::Expired(format!(
            "Signature expired: {amz_date} is now earlier than {} ({} - 5 min.)",
            basic(now - jiff::SignedDuration::from_secs(MAX_SKEW_SECONDS)),
            basic(now)
        )));
    }
    let canonical_request = canonical_request(request, &auth.signed_headers);
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{}\n{}",
        auth.scope,
        hex::encode(Sha256::digest(canonical_request.as_bytes()))
    );
    let mut signing_key = format!("AWS4{}", key.secret).into_bytes();
    for part in [auth.date, auth.region, auth.service, "aws4_request"] {
        signing_key = hmac(&signing_key, part.as_bytes());
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(&signing_key).expect("any key length");
    mac.update(string_to_sign.as_bytes());
    let matches = hex::decode(auth.signature).is_ok_and(|given| mac.verify_slice(&given).is_ok());
    if !matches {
        return Err(Refusal::Mismatch {
            canonical_request,
            string_to_sign,
        });
    }
    let account_id = key
        .account_id
        .clone()
        .unwrap_or_else(|| super::ACCOUNT_ID.to_string());
    Ok(Caller {
        access_key: auth.access_key.to_string(),
        user_arn: format!("arn:aws:iam::{account_id}:user/{}", key.source),
        account_id,
    })
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// The canonical request of SigV4, for the headers the client signed.
fn canonical_request(request: &Request, signed_headers: &[&str]) -> String {
    let path = utf8_percent_encode(&normalize_path(&request.path), ENCODED_PATH).to_string();
    let decode = |text: &str| percent_decode_str(text).decode_utf8_lossy().into_owned();
    let mut query: Vec<(String, String)> = request
        .query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (
                utf8_percent_encode(&decode(name), ENCODED).to_string(),
                utf8_percent_encode(&decode(value), ENCODED).to_string(),
            )
        })
        .collect();
    query.sort();
    let query: Vec<String> = query
        .into_iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    let mut headers = String::new();
    for name in signed_headers {
        let values: Vec<String> = request
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        headers.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    // The body as received: a claimed `x-amz-content-sha256` (or `UNSIGNED-PAYLOAD`) that
    // is not its hash makes the signature fail, as API Gateway's does.
    let payload = hex::encode(Sha256::digest(&request.body));
    format!(
        "{}\n{path}\n{}\n{headers}\n{}\n{payload}",
        request.method,
        query.join("&"),
        signed_headers.join(";")
    )
}

/// `path` without empty, `.` and `..` segments (a trailing slash kept), as signers
/// normalize it.
fn normalize_path(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let mut normalized = format!("/{}", segments.join("/"));
    if path.ends_with('/') && normalized != "/" {
        normalized.push('/');
    }
    normalized
}

#[cfg(test)]
mod tests {
    use super::*;

    /// AWS's documented example key (it signs nothing real).
    const ID: &str = "AKIDEXAMPLE";
    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    fn keys() -> Keys {
        let mut keys = Keys::default();
        keys.add_profiles(&format!(
            "[default]\naws_access_key_id = {ID}\naws_secret_access_key = {SECRET}\n\n[profile other]\nregion = eu-west-1\n"
        ));
        keys
    }

    /// The "get-vanilla" request of AWS's SigV4 test suite, with its signature.
    fn vanilla(signature: &str) -> Request {
        Request {
            method: "GET".into(),
            path: "/".into(),
            query: String::new(),
            headers: vec![
                ("Host".into(), "example.amazonaws.com".into()),
                ("X-Amz-Date".into(), "20150830T123600Z".into()),
                (
                    "Authorization".into(),
                    format!(
                        "AWS4-HMAC-SHA256 Credential={ID}/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature={signature}"
                    ),
                ),
            ],
            body: Vec::new(),
            source_ip: "127.0.0.1".into(),
        }
    }

    #[test]
    fn the_canonical_request_and_signature_are_those_of_aws_test_suite() {
        let request = vanilla("");
        let canonical = canonical_request(&request, &["host", "x-amz-date"]);
        assert_eq!(
            canonical,
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        // The suite signs for the service "service".
        let signed = vanilla("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
        let at = "2015-08-30T12:36:00Z".parse().unwrap();
        let caller = verify(&keys(), &signed, ("service", "us-east-1"), at).unwrap();
        assert_eq!(caller.access_key, ID);
    }

    #[test]
    fn query_strings_are_sorted_and_encoded() {
        let mut request = vanilla("");
        request.query = "b=2&a=%7Ex%20y&a=1".into();
        let canonical = canonical_request(&request, &["host"]);
        assert_eq!(canonical.lines().nth(2), Some("a=1&a=~x%20y&b=2"));
        request.path = "/items/a%20b/..//c/".into();
        let canonical = canonical_request(&request, &["host"]);
        assert_eq!(canonical.lines().nth(1), Some("/items/c/"));
        // The path as sent, encoded again (what botocore signs for execute-api).
        request.path = "/items/a%20b".into();
        let canonical = canonical_request(&request, &["host"]);
        assert_eq!(canonical.lines().nth(1), Some("/items/a%2520b"));
    }

    #[test]
    fn requests_are_refused_as_api_gateway_refuses_them() {
        let signed_at = "2015-08-30T12:36:00Z".parse().unwrap();
        let request = vanilla("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
        // Signed for the service "service", not execute-api.
        assert!(matches!(
            verify(&keys(), &request, ("execute-api", "us-east-1"), signed_at),
            Err(Refusal::WrongScope(_))
        ));
        let mut unsigned = request.clone();
        unsigned.headers.pop();
        assert_eq!(
            verify(&keys(), &unsigned, ("execute-api", "us-east-1"), signed_at),
            Err(Refusal::Unsigned)
        );
        assert_eq!(
            Refusal::Unsigned.response(PayloadVersion::V1).body,
            br#"{"message":"Missing Authentication Token"}"#
        );
        assert_eq!(
            Refusal::UnknownKey.response(PayloadVersion::V2).body,
            br#"{"message":"Forbidden"}"#
        );
        assert_eq!(
            verify(
                &Keys::default(),
                &request,
                ("execute-api", "us-east-1"),
                signed_at
            ),
            Err(Refusal::UnknownKey)
        );
    }

    #[test]
    fn a_request_signed_for_execute_api_passes_until_it_expires() {
        let mut request = vanilla("");
        let scope = "20150830/us-east-1/execute-api/aws4_request";
        let canonical = canonical_request(&request, &["host", "x-amz-date"]);
        let mut key = format!("AWS4{SECRET}").into_bytes();
        for part in scope.split('/') {
            key = hmac(&key, part.as_bytes());
        }
        let string_to_sign = format!(
            "AWS4-HMAC-SHA256\n20150830T123600Z\n{scope}\n{}",
            hex::encode(Sha256::digest(canonical.as_bytes()))
        );
        let signature = hex::encode(hmac(&key, string_to_sign.as_bytes()));
        request.headers[2].1 = format!(
            "AWS4-HMAC-SHA256 Credential={ID}/{scope}, SignedHeaders=host;x-amz-date, Signature={signature}"
        );
        let soon = "2015-08-30T12:40:00Z".parse().unwrap();
        let caller = verify(&keys(), &request, ("execute-api", "us-east-1"), soon).unwrap();
        assert_eq!(caller.access_key, ID);
        assert_eq!(caller.user_arn, "arn:aws:iam::123456789012:user/default");
        let late = "2015-08-30T12:42:00Z".parse().unwrap();
        assert!(matches!(
            verify(&keys(), &request, ("execute-api", "us-east-1"), late),
            Err(Refusal::Expired(_))
        ));
        assert!(matches!(
            verify(&keys(), &request, ("execute-api", "eu-west-1"), soon),
            Err(Refusal::WrongScope(_))
        ));
        let mut tampered = request.clone();
        tampered.path = "/other".into();
        assert!(matches!(
            verify(&keys(), &tampered, ("execute-api", "us-east-1"), soon),
            Err(Refusal::Mismatch { .. })
        ));
        // The body is signed: another body, or a claimed hash that is not its own, fails.
        let mut other_body = request.clone();
        other_body.body = b"{}".to_vec();
        other_body
            .headers
            .push(("X-Amz-Content-Sha256".into(), "UNSIGNED-PAYLOAD".into()));
        assert!(matches!(
            verify(&keys(), &other_body, ("execute-api", "us-east-1"), soon),
            Err(Refusal::Mismatch { .. })
        ));
        // A session token the key does not have is not the key's.
        let mut with_token = request.clone();
        with_token
            .headers
            .push(("X-Amz-Security-Token".into(), "token".into()));
        assert_eq!(
            verify(&keys(), &with_token, ("execute-api", "us-east-1"), soon),
            Err(Refusal::UnknownKey)
        );
    }
}
