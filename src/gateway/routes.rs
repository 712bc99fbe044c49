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
            .max_by(|(a, _, _), (b, _, _)| a.cmp(b))
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

/// How specifically a route matches, segment by segment: a literal (2) over a parameter
/// (1) over a greedy parameter (0), compared from the first segment on, as API Gateway
/// prefers a literal where two routes first differ.
type Specificity = Vec<u8>;

/// How specifically `resource` matches `segments`, and its path parameters, decoded;
/// `None` when it does not match.
fn matches(resource: &str, segments: &[&str]) -> Option<(Specificity, Vec<(String, String)>)> {
    let parts: Vec<&str> = resource
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let mut parameters = Vec::new();
    let mut ranks = Vec::new();
    for (index, part) in parts.iter().enumerate() {
        if let Some(name) = part.strip_prefix('{').and_then(|p| p.strip_suffix("+}")) {
            let rest = segments.get(index..).filter(|rest| !rest.is_empty())?;
            parameters.push((name.to_string(), decode(&rest.join("/"))));
            ranks.push(0);
            return Some((ranks, parameters));
        }
        let segment = segments.get(index)?;
        if let Some(name) = part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            parameters.push((name.to_string(), decode(segment)));
            ranks.push(1);
        } else if part == segment {
            ranks.push(2);
        } else {
            return None;
        }
    }
    (parts.len() == segments.len()).then_some((ranks, parameters))
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
    fn a_literal_wins_where_two_routes_first_differ_whatever_their_order() {
        for paths in [
            json!({"/items/{id}/x": {"get": {}}, "/items/latest/{p}": {"get": {}}}),
            json!({"/items/latest/{p}": {"get": {}}, "/items/{id}/x": {"get": {}}}),
        ] {
            let routes = Routes::from_openapi(&json!({ "paths": paths }));
            let found = routes.find("GET", "/items/latest/x").unwrap();
            assert_eq!(found.resource, "/items/latest/{p}");
        }
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
