//! The routes of an API, from its app's OpenAPI spec as the generated infrastructure
//! deploys them, and the route API Gateway picks for a request.

use serde_json::Value;

use super::event;

/// The methods the generated infrastructure routes (OPTIONS is CORS preflight's).
const METHODS: [&str; 6] = ["get", "head", "post", "put", "patch", "delete"];

/// One route: a method on a resource path (`GET /items/{item_id}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiRoute {
    /// The method, upper case.
    pub method: String,
    /// The resource path, without a trailing slash; `{name+}` is greedy.
    pub resource: String,
}

/// The routes of one API.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Routes(pub Vec<ApiRoute>);

impl Routes {
    /// The operations of an OpenAPI spec, each at its `x-api-gateway-path` when it has
    /// one (a FastAPI `{name:path}` is API Gateway's greedy `{name+}`).
    pub fn from_openapi(spec: &Value) -> Routes {
        let mut routes = Vec::new();
        for (path, item) in spec["paths"].as_object().into_iter().flatten() {
            for (method, operation) in item.as_object().into_iter().flatten() {
                if !METHODS.contains(&method.as_str()) {
                    continue;
                }
                let path = operation["x-api-gateway-path"].as_str().unwrap_or(path);
                routes.push(ApiRoute {
                    method: method.to_uppercase(),
                    resource: format!("/{}", path.trim_matches('/')),
                });
            }
        }
        Routes(routes)
    }

    /// The route API Gateway picks for `method path`: the one whose literal segments
    /// match most, a greedy parameter last; `None` when no route matches.
    pub fn find(&self, method: &str, path: &str) -> Option<event::Route> {
        let segments: Vec<&str> = path
            .trim_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        self.0
            .iter()
            .filter(|route| route.method.eq_ignore_ascii_case(method))
            .filter_map(|route| {
                let (score, parameters) = matches(&route.resource, &segments)?;
                Some((score, route, parameters))
            })
            .max_by_key(|(score, _, _)| *score)
            .map(|(_, route, path_parameters)| event::Route {
                resource: route.resource.clone(),
                path_parameters,
            })
    }

    /// Whether the API has no routes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// How specifically a route matches: its literal segments, then 0 for a greedy parameter
/// and 1 without one.
type Specificity = (usize, usize);

/// How specifically `resource` matches `segments`, and its path parameters, decoded;
/// `None` when it does not match.
fn matches(resource: &str, segments: &[&str]) -> Option<(Specificity, Vec<(String, String)>)> {
    let parts: Vec<&str> = resource
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let mut parameters = Vec::new();
    let mut literals = 0;
    for (index, part) in parts.iter().enumerate() {
        if let Some(name) = part.strip_prefix('{').and_then(|p| p.strip_suffix("+}")) {
            let rest = segments.get(index..).filter(|rest| !rest.is_empty())?;
            parameters.push((name.to_string(), decode(&rest.join("/"))));
            return Some(((literals, 0), parameters));
        }
        let segment = segments.get(index)?;
        if let Some(name) = part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            parameters.push((name.to_string(), decode(segment)));
        } else if part == segment {
            literals += 1;
        } else {
            return None;
        }
    }
    (parts.len() == segments.len()).then_some(((literals, 1), parameters))
}

fn decode(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn routes() -> Routes {
        Routes::from_openapi(&json!({
            "paths": {
                "/items/{item_id}": {"get": {}, "options": {}},
                "/items/latest": {"get": {}},
                "/items/": {"post": {}},
                "/files/{file_path}": {"get": {"x-api-gateway-path": "/files/{file_path+}"}},
                "/": {"get": {}},
            }
        }))
    }

    #[test]
    fn operations_become_routes_without_trailing_slashes_and_with_greedy_paths() {
        let resources: Vec<String> = routes()
            .0
            .iter()
            .map(|r| format!("{} {}", r.method, r.resource))
            .collect();
        assert_eq!(
            resources,
            [
                "GET /items/{item_id}",
                "GET /items/latest",
                "POST /items",
                "GET /files/{file_path+}",
                "GET /"
            ]
        );
    }

    #[test]
    fn the_most_specific_route_wins_and_parameters_are_decoded() {
        let routes = routes();
        let found = routes.find("GET", "/items/latest").unwrap();
        assert_eq!(found.resource, "/items/latest");
        let found = routes.find("GET", "/items/a%20b").unwrap();
        assert_eq!(found.resource, "/items/{item_id}");
        assert_eq!(found.path_parameters, [("item_id".into(), "a b".into())]);
        let found = routes.find("GET", "/files/a/b/c.txt").unwrap();
        assert_eq!(
            found.path_parameters,
            [("file_path".into(), "a/b/c.txt".into())]
        );
        assert_eq!(routes.find("GET", "/").unwrap().resource, "/");
        assert_eq!(routes.find("POST", "/items/").unwrap().resource, "/items");
    }

    #[test]
    fn nothing_matches_an_unknown_path_or_method() {
        let routes = routes();
        assert!(routes.find("GET", "/nope").is_none());
        assert!(routes.find("DELETE", "/items/3").is_none());
        assert!(
            routes.find("GET", "/files").is_none(),
            "a greedy parameter takes one segment or more"
        );
    }
}
