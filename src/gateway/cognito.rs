//! Auth cognito as API Gateway checks it: against a local user pool, whose ID and access
//! tokens `fastgen dev token` mints (the gateway serves its JWKS), or against a real
//! user pool's JWKS; the tokens' claims reach the function where API Gateway puts them.

use std::io::ErrorKind;
use std::path::Path;
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey};
use rsa::traits::PublicKeyParts;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::PayloadVersion;
use super::response::Response;

/// The local user pool's issuer (`iss`). Not a URL to fetch: each API's gateway serves
/// the pool's JWKS at [`JWKS_PATH`].
pub const ISSUER: &str = "http://localhost/fastgen-dev-user-pool";
/// Its app client's id: the audience the generated APIs accept.
pub const CLIENT_ID: &str = "fastgen-dev-client";
/// Where a workspace keeps the pool's private key (the folder ignores itself in git).
const KEY_FILE: &str = ".fastgen/dev-user-pool.pem";
/// How long a real pool's keys are kept before a token signed with a key they do not
/// have makes the gateway fetch them again (the pool has rotated its keys).
const REFRESH_AFTER: Duration = Duration::from_secs(60);
/// Where the gateway serves the pool's public keys.
pub const JWKS_PATH: &str = "/.well-known/jwks.json";

/// What a minted token says about its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRequest {
    /// The user's id (`sub`).
    pub sub: String,
    /// The user's name (`cognito:username` / `username`).
    pub username: String,
    /// The user's email, in ID tokens.
    pub email: Option<String>,
    /// The user's groups (`cognito:groups`).
    pub groups: Vec<String>,
    /// The scopes of an access token (`scope`).
    pub scopes: Vec<String>,
    /// An access token rather than an ID token.
    pub access: bool,
    /// How long the token is valid, in seconds.
    pub expires_in: i64,
}

/// A user pool whose tokens the gateway accepts: its issuer, the app client the APIs
/// accept tokens for, its public keys, and for the local pool its signing key.
pub struct UserPool {
    issuer: String,
    client_id: String,
    jwks: RwLock<JwkSet>,
    /// The local pool's signing key and its id.
    signing: Option<(EncodingKey, String)>,
    /// Where a real pool's keys come from.
    remote: Option<Remote>,
}

/// A real pool's JWKS URL, and when its keys were last fetched.
struct Remote {
    url: String,
    fetched: Mutex<Instant>,
    refresh_after: Duration,
}

impl std::fmt::Debug for UserPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserPool")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .finish()
    }
}

impl UserPool {
    /// The pool of the workspace at `root`, whose key is made on first use.
    pub fn open(root: &Path) -> Result<UserPool> {
        let path = root.join(KEY_FILE);
        let pem = match std::fs::read_to_string(&path) {
            Ok(pem) => pem,
            Err(err) if err.kind() == ErrorKind::NotFound => create_key(&path)?,
            Err(err) => return Err(err).with_context(|| format!("cannot read {KEY_FILE}")),
        };
        let key = rsa::RsaPrivateKey::from_pkcs1_pem(&pem)
            .with_context(|| format!("{KEY_FILE} is not an RSA key: delete it to make another"))?;
        let kid = hex::encode(&Sha256::digest(key.n().to_bytes_be())[..8]);
        let der = key.to_pkcs1_der().context("cannot encode the key")?;
        let signing = EncodingKey::from_rsa_der(der.as_bytes());
        let public = key.to_public_key();
        let jwks = json!({"keys": [{
            "alg": "RS256",
            "e": URL_SAFE_NO_PAD.encode(public.e().to_bytes_be()),
            "kid": kid,
            "kty": "RSA",
            "n": URL_SAFE_NO_PAD.encode(public.n().to_bytes_be()),
            "use": "sig",
        }]});
        Ok(UserPool {
            issuer: ISSUER.into(),
            client_id: CLIENT_ID.into(),
            jwks: RwLock::new(serde_json::from_value(jwks).expect("a JWKS")),
            signing: Some((signing, kid)),
            remote: None,
        })
    }

    /// A real user pool, named by its id (`us-east-1_AbCdEf`) or issuer URL, whose tokens
    /// for the app client `client_id` the gateway accepts: its JWKS is fetched now, and
    /// again when a token names a key it does not have.
    pub fn remote(pool: &str, client_id: &str) -> Result<UserPool> {
        let issuer = if pool.starts_with("https://") || pool.starts_with("http://") {
            pool.trim_end_matches('/').to_string()
        } else {
            let region = pool
                .split_once('_')
                .map(|(region, _)| region)
                .with_context(|| {
                    format!("{pool} is not a user pool id (<region>_<id>) or an issuer URL")
                })?;
            format!("https://cognito-idp.{region}.amazonaws.com/{pool}")
        };
        let url = format!("{issuer}{JWKS_PATH}");
        Ok(UserPool {
            issuer,
            client_id: client_id.into(),
            jwks: RwLock::new(fetch(&url)?),
            signing: None,
            remote: Some(Remote {
                url,
                fetched: Mutex::new(Instant::now()),
                refresh_after: REFRESH_AFTER,
            }),
        })
    }

    /// The key `kid` of the pool. For a real pool, a key it does not have makes it fetch
    /// the pool's keys again, at most once per [`REFRESH_AFTER`].
    fn key(&self, kid: &str) -> Option<Jwk> {
        let find = || read(&self.jwks).find(kid).cloned();
        if let Some(jwk) = find() {
            return Some(jwk);
        }
        let remote = self.remote.as_ref()?;
        // One fetch at a time: a thread that waited for another's looks again first.
        let mut fetched = remote.fetched.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(jwk) = find() {
            return Some(jwk);
        }
        if fetched.elapsed() < remote.refresh_after {
            return None;
        }
        *fetched = Instant::now();
        match fetch(&remote.url) {
            Ok(jwks) => *self.jwks.write().unwrap_or_else(|p| p.into_inner()) = jwks,
            Err(err) => eprintln!("warning: {err:#}"),
        }
        find()
    }

    /// A token of the local pool for `request`, issued at `now` (seconds since the epoch).
    pub fn mint(&self, request: &TokenRequest, now: i64) -> Result<String> {
        let (key, kid) = self
            .signing
            .as_ref()
            .context("only the local user pool mints tokens")?;
        let mut claims = Map::new();
        let mut put = |name: &str, value: Value| {
            claims.insert(name.to_string(), value);
        };
        put("sub", json!(request.sub));
        if !request.groups.is_empty() {
            put("cognito:groups", json!(request.groups));
        }
        put("iss", json!(self.issuer));
        if request.access {
            put("client_id", json!(self.client_id));
            put("token_use", json!("access"));
            put("scope", json!(request.scopes.join(" ")));
            put("username", json!(request.username));
        } else {
            put("cognito:username", json!(request.username));
            put("aud", json!(self.client_id));
            put("token_use", json!("id"));
            if let Some(email) = &request.email {
                put("email", json!(email));
                put("email_verified", json!(true));
            }
        }
        put("auth_time", json!(now));
        put("iat", json!(now));
        put("exp", json!(now + request.expires_in));
        put("jti", json!(uuid::Uuid::new_v4().to_string()));
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(kid.clone());
        jsonwebtoken::encode(&header, &claims, key).context("cannot sign the token")
    }

    /// The pool's public keys as a JWKS document.
    pub fn jwks(&self) -> Value {
        serde_json::to_value(&*read(&self.jwks)).expect("a JWKS serializes")
    }

    /// Checks the token of an `Authorization` header as the generated authorizer does
    /// (a REST API's takes ID tokens, an HTTP API's JWT authorizer either kind for the
    /// pool's client), at `now`; returns the event's `requestContext.authorizer`.
    pub fn verify(
        &self,
        authorization: Option<&str>,
        version: PayloadVersion,
        now: i64,
    ) -> Result<Value, Refusal> {
        let token = authorization.ok_or(Refusal::NoToken)?;
        let token = token
            .strip_prefix("Bearer ")
            .or_else(|| token.strip_prefix("bearer "))
            .unwrap_or(token)
            .trim();
        let header = jsonwebtoken::decode_header(token).map_err(|_| Refusal::Invalid)?;
        let jwk = header
            .kid
            .as_deref()
            .and_then(|kid| self.key(kid))
            .ok_or(Refusal::Invalid)?;
        let key = DecodingKey::from_jwk(&jwk).map_err(|_| Refusal::Invalid)?;
        // Cognito signs with RS256 only: a token naming another algorithm is refused.
        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_issuer(&[&self.issuer]);
        validation.validate_aud = false;
        // Expiry is checked below against `now`, without leeway.
        validation.validate_exp = false;
        validation.set_required_spec_claims(&["exp", "iss"]);
        let claims = jsonwebtoken::decode::<Map<String, Value>>(token, &key, &validation)
            .map_err(|_| Refusal::Invalid)?
            .claims;
        if claims["exp"].as_i64().is_none_or(|exp| exp <= now) {
            return Err(Refusal::Expired);
        }
        let for_client = |claim: &str| claims.get(claim).is_some_and(|c| *c == *self.client_id);
        let token_use = claims.get("token_use").and_then(Value::as_str);
        let accepted = match version {
            PayloadVersion::V1 => token_use == Some("id") && for_client("aud"),
            // An HTTP API's JWT authorizer checks `aud`, or `client_id` when there is none.
            PayloadVersion::V2 => match claims.contains_key("aud") {
                true => for_client("aud"),
                false => for_client("client_id"),
            },
        };
        if !accepted {
            return Err(Refusal::WrongAudience);
        }
        Ok(authorizer(version, &claims))
    }
}

/// A pool's keys, fetched from its JWKS `url`.
fn fetch(url: &str) -> Result<JwkSet> {
    ureq::get(url)
        .timeout(Duration::from_secs(10))
        .call()
        .with_context(|| format!("cannot fetch the user pool's keys from {url}"))?
        .into_json()
        .with_context(|| format!("{url} is not a JWKS"))
}

/// The pool's keys, even if a thread panicked while it replaced them.
fn read(jwks: &RwLock<JwkSet>) -> std::sync::RwLockReadGuard<'_, JwkSet> {
    jwks.read().unwrap_or_else(|p| p.into_inner())
}

/// Makes the pool's key at `path`, unless another process just did: the first key
/// written wins, and its PEM is returned.
fn create_key(path: &Path) -> Result<String> {
    let dir = path.parent().expect("the key file is in a folder");
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        std::fs::write(&ignore, "# fastgen dev's local state: not for git.\n*\n")
            .with_context(|| format!("cannot write {}", ignore.display()))?;
    }
    let key = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048)
        .context("cannot make an RSA key")?;
    let pem = key
        .to_pkcs1_pem(rsa::pkcs8::LineEnding::LF)
        .context("cannot encode the key")?;
    let staged = dir.join(format!(".dev-user-pool.{}.pem", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    // A private key: readable by its owner only.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(&staged)
        .and_then(|mut file| std::io::Write::write_all(&mut file, pem.as_bytes()))
        .with_context(|| format!("cannot write {}", staged.display()))?;
    // A hard link appears whole, and fails if the key exists already.
    let linked = std::fs::hard_link(&staged, path);
    let _ = std::fs::remove_file(&staged);
    match linked {
        Ok(()) => Ok(pem.to_string()),
        Err(err) if err.kind() == ErrorKind::AlreadyExists => {
            std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
        }
        Err(err) => Err(err).with_context(|| format!("cannot write {}", path.display())),
    }
}

/// The claims as API Gateway hands them to the function, every value a string: a REST
/// API's `claims` (lists joined by commas, times as dates), an HTTP API's `jwt` (lists
/// as `[a b]`, with the access token's `scopes`).
fn authorizer(version: PayloadVersion, claims: &Map<String, Value>) -> Value {
    let mut strings = Map::new();
    for (name, value) in claims {
        let text = match (version, value) {
            (_, Value::String(text)) => text.clone(),
            (PayloadVersion::V1, Value::Number(time)) if matches!(name.as_str(), "exp" | "iat") => {
                let seconds = time.as_i64().unwrap_or_default();
                jiff::Timestamp::from_second(seconds)
                    .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
                    .strftime("%a %b %d %H:%M:%S UTC %Y")
                    .to_string()
            }
            (PayloadVersion::V1, Value::Array(items)) => {
                items.iter().map(plain).collect::<Vec<_>>().join(",")
            }
            (PayloadVersion::V2, Value::Array(items)) => {
                format!(
                    "[{}]",
                    items.iter().map(plain).collect::<Vec<_>>().join(" ")
                )
            }
            (_, other) => plain(other),
        };
        strings.insert(name.clone(), Value::String(text));
    }
    match version {
        PayloadVersion::V1 => json!({ "claims": strings }),
        PayloadVersion::V2 => {
            let scopes = claims
                .get("scope")
                .and_then(Value::as_str)
                .filter(|scope| !scope.is_empty())
                .map(|scope| json!(scope.split(' ').collect::<Vec<_>>()))
                .unwrap_or(Value::Null);
            json!({ "jwt": { "claims": strings, "scopes": scopes } })
        }
    }
}

/// A JSON value as text: a string's own text, anything else as JSON.
fn plain(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Why API Gateway refuses a request's token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// There is no `Authorization` header.
    NoToken,
    /// The token is not one of the pool's (malformed, another issuer or key, bad signature).
    Invalid,
    /// The token has expired.
    Expired,
    /// The token is not for the API's client, or of a kind it does not take.
    WrongAudience,
}

impl Refusal {
    /// API Gateway's answer: a 401, which for an expired token says so (a REST API's
    /// message, an HTTP API's `www-authenticate` header).
    pub fn response(self, version: PayloadVersion) -> Response {
        match (self, version) {
            (Refusal::Expired, PayloadVersion::V1) => {
                Response::gateway_error(401, "The incoming token has expired")
            }
            (Refusal::Expired, PayloadVersion::V2) => {
                let mut response = Response::gateway_error(401, "Unauthorized");
                response.headers.push((
                    "www-authenticate".into(),
                    r#"Bearer scope="" error="invalid_token" error_description="the token has expired""#
                        .into(),
                ));
                response
            }
            _ => Response::gateway_error(401, "Unauthorized"),
        }
    }

    /// The decision in a word or two, for the access line.
    pub fn summary(self) -> &'static str {
        match self {
            Refusal::NoToken => "no token",
            Refusal::Invalid => "invalid token",
            Refusal::Expired => "token expired",
            Refusal::WrongAudience => "wrong token",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_700_000_000;

    fn request(access: bool) -> TokenRequest {
        TokenRequest {
            sub: "user-1".into(),
            username: "alice".into(),
            email: Some("alice@example.com".into()),
            groups: vec!["admin".into(), "staff".into()],
            scopes: if access {
                vec!["items/read".into(), "items/write".into()]
            } else {
                vec![]
            },
            access,
            expires_in: 3600,
        }
    }

    #[test]
    fn tokens_pass_and_their_claims_land_where_api_gateway_puts_them() {
        let dir = tempfile::tempdir().unwrap();
        let pool = UserPool::open(dir.path()).unwrap();
        let id = pool.mint(&request(false), NOW).unwrap();

        let rest = pool
            .verify(Some(&id), PayloadVersion::V1, NOW + 10)
            .unwrap();
        let claims = &rest["claims"];
        assert_eq!(claims["sub"], "user-1");
        assert_eq!(claims["cognito:groups"], "admin,staff");
        assert_eq!(claims["email_verified"], "true");
        assert_eq!(claims["exp"], "Tue Nov 14 23:13:20 UTC 2023");
        assert_eq!(claims["auth_time"], "1700000000");

        let http = pool
            .verify(Some(&format!("Bearer {id}")), PayloadVersion::V2, NOW + 10)
            .unwrap();
        assert_eq!(http["jwt"]["claims"]["cognito:groups"], "[admin staff]");
        assert_eq!(http["jwt"]["claims"]["exp"], "1700003600");
        assert_eq!(http["jwt"]["scopes"], Value::Null);

        let access = pool.mint(&request(true), NOW).unwrap();
        let http = pool
            .verify(Some(&access), PayloadVersion::V2, NOW + 10)
            .unwrap();
        assert_eq!(http["jwt"]["scopes"], json!(["items/read", "items/write"]));
        assert_eq!(
            pool.verify(Some(&access), PayloadVersion::V1, NOW + 10),
            Err(Refusal::WrongAudience),
            "a REST API's Cognito authorizer takes ID tokens"
        );
    }

    #[test]
    fn expired_foreign_and_missing_tokens_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let pool = UserPool::open(dir.path()).unwrap();
        let id = pool.mint(&request(false), NOW).unwrap();
        assert_eq!(
            pool.verify(Some(&id), PayloadVersion::V2, NOW + 3600),
            Err(Refusal::Expired)
        );
        assert_eq!(
            pool.verify(None, PayloadVersion::V1, NOW),
            Err(Refusal::NoToken)
        );
        assert_eq!(
            pool.verify(Some("not-a-jwt"), PayloadVersion::V1, NOW),
            Err(Refusal::Invalid)
        );
        // Another workspace's pool signs with another key.
        let other = tempfile::tempdir().unwrap();
        let foreign = UserPool::open(other.path())
            .unwrap()
            .mint(&request(false), NOW)
            .unwrap();
        assert_eq!(
            pool.verify(Some(&foreign), PayloadVersion::V1, NOW),
            Err(Refusal::Invalid)
        );
        // Another user's claims under this token's signature.
        let mut mallory = request(false);
        mallory.sub = "user-2".into();
        let other_claims = pool.mint(&mallory, NOW).unwrap();
        let (signed, _) = other_claims.rsplit_once('.').unwrap();
        let (_, signature) = id.rsplit_once('.').unwrap();
        let tampered = format!("{signed}.{signature}");
        assert_eq!(
            pool.verify(Some(&tampered), PayloadVersion::V1, NOW),
            Err(Refusal::Invalid)
        );
        let expired = Refusal::Expired.response(PayloadVersion::V1);
        assert_eq!(
            (expired.status, expired.body),
            (
                401,
                br#"{"message":"The incoming token has expired"}"#.to_vec()
            )
        );
        let expired = Refusal::Expired.response(PayloadVersion::V2);
        assert!(
            expired
                .headers
                .iter()
                .any(|(name, value)| name == "www-authenticate"
                    && value.contains("the token has expired"))
        );
    }

    #[test]
    fn the_key_is_made_once_and_kept_out_of_git() {
        let dir = tempfile::tempdir().unwrap();
        let first = UserPool::open(dir.path()).unwrap();
        let again = UserPool::open(dir.path()).unwrap();
        assert_eq!(first.jwks(), again.jwks());
        assert_eq!(first.jwks()["keys"][0]["alg"], "RS256");
        let ignore = std::fs::read_to_string(dir.path().join(".fastgen/.gitignore")).unwrap();
        assert!(ignore.lines().any(|line| line == "*"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let key = std::fs::metadata(dir.path().join(KEY_FILE)).unwrap();
            assert_eq!(
                key.permissions().mode() & 0o777,
                0o600,
                "the key is private"
            );
        }
    }

    #[test]
    fn a_real_pool_fetches_its_keys_again_when_a_token_names_a_new_one() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicUsize, Ordering};

        let (old_dir, new_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let (old, mut new) = (
            UserPool::open(old_dir.path()).unwrap(),
            UserPool::open(new_dir.path()).unwrap(),
        );
        // The pool serves the old key, then both once it has rotated.
        let served = Arc::new(Mutex::new(old.jwks()));
        let fetches = Arc::new(AtomicUsize::new(0));
        let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
        let issuer = format!("http://{}/us-east-1_Pool", server.server_addr());
        {
            let (served, fetches) = (Arc::clone(&served), Arc::clone(&fetches));
            std::thread::spawn(move || {
                for request in server.incoming_requests() {
                    fetches.fetch_add(1, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(200));
                    let body = served.lock().unwrap().to_string();
                    let _ = request.respond(tiny_http::Response::from_string(body));
                }
            });
        }
        let mut pool = UserPool::remote(&issuer, CLIENT_ID).unwrap();
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
        new.issuer = issuer.clone();
        let token = new.mint(&request(false), NOW).unwrap();

        // Within a minute of the last fetch, an unknown key is refused without a fetch.
        assert_eq!(
            pool.verify(Some(&token), PayloadVersion::V1, NOW + 10),
            Err(Refusal::Invalid)
        );
        assert_eq!(fetches.load(Ordering::SeqCst), 1);

        let mut keys = old.jwks();
        keys["keys"]
            .as_array_mut()
            .unwrap()
            .push(new.jwks()["keys"][0].clone());
        *served.lock().unwrap() = keys;
        // A minute on, requests with the new key at once: one fetch (a slow one), and each
        // of them passes, those that waited for it included.
        *pool.remote.as_ref().unwrap().fetched.lock().unwrap() -= Duration::from_secs(61);
        std::thread::scope(|threads| {
            for _ in 0..4 {
                threads.spawn(|| {
                    let authorizer = pool
                        .verify(Some(&token), PayloadVersion::V1, NOW + 10)
                        .unwrap();
                    assert_eq!(authorizer["claims"]["sub"], "user-1");
                });
            }
        });
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
        pool.remote.as_mut().unwrap().refresh_after = Duration::ZERO;
        // A key it has needs no fetch.
        pool.verify(Some(&token), PayloadVersion::V1, NOW + 10)
            .unwrap();
        assert_eq!(fetches.load(Ordering::SeqCst), 2);

        // A fetch that fails keeps the keys the pool had.
        *served.lock().unwrap() = json!("not a JWKS");
        let other_dir = tempfile::tempdir().unwrap();
        let mut other = UserPool::open(other_dir.path()).unwrap();
        other.issuer = issuer;
        let unknown = other.mint(&request(false), NOW).unwrap();
        assert_eq!(
            pool.verify(Some(&unknown), PayloadVersion::V1, NOW + 10),
            Err(Refusal::Invalid)
        );
        assert_eq!(fetches.load(Ordering::SeqCst), 3);
        pool.verify(Some(&token), PayloadVersion::V1, NOW + 10)
            .unwrap();
    }
}
