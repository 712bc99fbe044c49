//! The API that one `py#fast-api` run generates: the options as resolved, and
//! the validated spec that every later step reads.

use anyhow::{Result, bail};

use super::names::{Names, normalize_directory, validate_module_name};
use super::options::{
    Architecture, Auth, ComputeType, DEFAULT_MEMORY_SIZE, IacProvider, IntegrationPattern,
};

/// The options of `py#fast-api` once defaults are applied and prompts answered,
/// not yet checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiRequest {
    /// The API's name as typed: `MyApi`, `my-api`, `my api`.
    pub name: String,
    /// How the API is exposed.
    pub compute_type: ComputeType,
    /// How callers authenticate.
    pub auth: Auth,
    /// The parent directory of the project, relative to the workspace root.
    pub directory: String,
    /// The project's folder under `directory`; the module name when absent.
    pub sub_directory: Option<String>,
    /// The infrastructure-as-code provider.
    pub iac: IacProvider,
    /// The Python module name; the snake_case name when absent.
    pub module_name: Option<String>,
    /// Routes to functions; the IaC provider's default when absent.
    pub integration_pattern: Option<IntegrationPattern>,
    /// The instruction set of the Lambda function.
    pub architecture: Architecture,
    /// The Lambda function's memory in MB.
    pub memory_size: u32,
    /// Whether the function runs with Lambda SnapStart.
    pub snap_start: bool,
    /// Whether API Gateway streams the responses (REST only; a Function URL always does).
    pub streaming: bool,
}

impl Default for ApiRequest {
    fn default() -> Self {
        ApiRequest {
            name: String::new(),
            compute_type: ComputeType::default(),
            auth: Auth::default(),
            directory: "packages".into(),
            sub_directory: None,
            iac: IacProvider::default(),
            module_name: None,
            integration_pattern: None,
            architecture: Architecture::default(),
            memory_size: DEFAULT_MEMORY_SIZE,
            snap_start: false,
            streaming: false,
        }
    }
}

/// A validated API: its names, where it lives, and the option values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiSpec {
    /// The name's spellings.
    pub names: Names,
    /// The Python module, which is also the Nx project's name.
    pub module: String,
    /// The project's directory relative to the workspace root.
    pub root: String,
    /// How the API is exposed.
    pub compute_type: ComputeType,
    /// How callers authenticate.
    pub auth: Auth,
    /// The infrastructure-as-code provider.
    pub iac: IacProvider,
    /// How API Gateway's routes map to functions (shared for a Function URL: it has one).
    pub integration_pattern: IntegrationPattern,
    /// The instruction set of the Lambda function.
    pub architecture: Architecture,
    /// The Lambda function's memory in MB.
    pub memory_size: u32,
    /// Whether the function runs with Lambda SnapStart.
    pub snap_start: bool,
    /// Whether API Gateway streams the REST API's responses (false for the other
    /// compute types: an HTTP API cannot, a Function URL always does).
    pub streaming: bool,
}

impl ApiSpec {
    /// Checks the request's names, directories and option pairing.
    pub fn new(request: &ApiRequest) -> Result<ApiSpec> {
        if request.compute_type == ComputeType::FunctionUrl
            && matches!(request.auth, Auth::Cognito | Auth::Custom)
        {
            bail!(
                "a Lambda Function URL has no {} authorizer: use --auth iam or --auth none with it, or keep {} with --compute-type rest or http",
                if request.auth == Auth::Cognito {
                    "Cognito"
                } else {
                    "Lambda"
                },
                request.auth
            );
        }
        if request.streaming && request.compute_type == ComputeType::Http {
            bail!(
                "an HTTP API cannot stream responses: use --compute-type rest (API Gateway streams REST responses) or --compute-type function-url, or drop --streaming"
            );
        }
        let integration_pattern = match (request.compute_type, request.integration_pattern) {
            (ComputeType::FunctionUrl, Some(pattern)) => bail!(
                "--integration-pattern {pattern} maps API Gateway routes to functions, and a Lambda Function URL has no routes: drop it, or use --compute-type rest or http"
            ),
            (_, Some(pattern)) => pattern,
            (compute_type, None) => IntegrationPattern::default_for(compute_type, request.iac),
        };
        let names = Names::parse(&request.name)?;
        let module = match &request.module_name {
            Some(module) => module.trim().to_string(),
            None => names.snake.clone(),
        };
        validate_module_name(&module)?;
        let directory = normalize_directory(&request.directory)?;
        let folder = match &request.sub_directory {
            Some(sub) => {
                let sub = normalize_directory(sub)?;
                if sub.is_empty() {
                    bail!("--sub-directory is empty: pass a folder name such as `{module}`");
                }
                sub
            }
            None => module.clone(),
        };
        let root = if directory.is_empty() {
            folder
        } else {
            format!("{directory}/{folder}")
        };
        Ok(ApiSpec {
            names,
            module,
            root,
            compute_type: request.compute_type,
            auth: request.auth,
            iac: request.iac,
            integration_pattern,
            architecture: request.architecture,
            memory_size: request.memory_size,
            snap_start: request.snap_start,
            streaming: request.streaming && request.compute_type == ComputeType::Rest,
        })
    }

    /// Whether the app runs under uvicorn behind the Lambda Web Adapter, which streams
    /// its responses (a Function URL, or a streaming REST API), rather than behind
    /// Mangum's Lambda handler.
    pub fn web_adapter(&self) -> bool {
        self.compute_type == ComputeType::FunctionUrl || self.streaming
    }

    /// The Python distribution name: the module with dashes (`my-api`).
    pub fn package(&self) -> String {
        self.module.replace('_', "-")
    }

    /// The relative path from the project back to the workspace root (`../..`).
    pub fn offset(&self) -> String {
        vec![".."; self.root.split('/').count()].join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(name: &str) -> ApiRequest {
        ApiRequest {
            name: name.into(),
            ..ApiRequest::default()
        }
    }

    #[test]
    fn the_project_lives_under_directory_in_a_folder_named_after_the_module() {
        let spec = ApiSpec::new(&request("My API")).unwrap();
        assert_eq!(spec.module, "my_api");
        assert_eq!(spec.root, "packages/my_api");
        assert_eq!(spec.names.class_name, "MyApi");
        assert_eq!(spec.offset(), "../..");

        let custom = ApiRequest {
            module_name: Some("orders".into()),
            directory: "./apps/".into(),
            sub_directory: Some("orders-api".into()),
            ..request("MyApi")
        };
        let spec = ApiSpec::new(&custom).unwrap();
        assert_eq!(
            (spec.module.as_str(), spec.root.as_str()),
            ("orders", "apps/orders-api")
        );
    }

    #[test]
    fn a_function_url_cannot_take_cognito() {
        let err = ApiSpec::new(&ApiRequest {
            compute_type: ComputeType::FunctionUrl,
            auth: Auth::Cognito,
            ..request("MyApi")
        })
        .unwrap_err();
        assert!(err.to_string().contains("has no Cognito authorizer"));
    }

    #[test]
    fn streaming_is_for_rest_apis_and_a_function_url_always_streams() {
        let spec = |compute_type| {
            ApiSpec::new(&ApiRequest {
                compute_type,
                streaming: true,
                ..request("MyApi")
            })
        };
        let rest = spec(ComputeType::Rest).unwrap();
        assert!(rest.streaming && rest.web_adapter());
        let url = spec(ComputeType::FunctionUrl).unwrap();
        assert!(!url.streaming && url.web_adapter());
        let err = spec(ComputeType::Http).unwrap_err().to_string();
        assert!(err.contains("HTTP API cannot stream"), "{err}");
        assert!(
            err.contains("--compute-type rest") && err.contains("function-url"),
            "{err}"
        );
        assert!(!ApiSpec::new(&request("MyApi")).unwrap().web_adapter());
    }

    #[test]
    fn the_integration_pattern_defaults_by_iac_and_a_function_url_has_none() {
        let pattern = |iac, integration_pattern| {
            ApiSpec::new(&ApiRequest {
                iac,
                integration_pattern,
                ..request("MyApi")
            })
            .unwrap()
            .integration_pattern
        };
        assert_eq!(
            pattern(IacProvider::Cdk, None),
            IntegrationPattern::Isolated
        );
        assert_eq!(
            pattern(IacProvider::Terraform, None),
            IntegrationPattern::Shared
        );
        assert_eq!(
            pattern(IacProvider::Cdk, Some(IntegrationPattern::Shared)),
            IntegrationPattern::Shared
        );
        assert_eq!(
            pattern(IacProvider::Terraform, Some(IntegrationPattern::Isolated)),
            IntegrationPattern::Isolated
        );
        let err = ApiSpec::new(&ApiRequest {
            compute_type: ComputeType::FunctionUrl,
            integration_pattern: Some(IntegrationPattern::Shared),
            ..request("MyApi")
        })
        .unwrap_err();
        assert!(err.to_string().contains("has no routes"), "{err}");
    }
}
