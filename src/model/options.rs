//! The option values of the generators, each spelt three ways: its name on the
//! command line (the seed's spelling, with short aliases), its key in files
//! (`[tool.fastgen]`, template output) and its flag in templates.

use std::fmt;

use clap::ValueEnum;
use serde::{Deserialize, Serialize};

/// An option value with a closed set of variants, as files and templates spell it.
pub trait Choose: Copy + 'static {
    /// Every variant's flag, the name templates test (`function_url`).
    const FLAGS: &'static [&'static str];

    /// The spelling in files: `rest`, `function-url`, `iam`, `cdk`, …
    fn key(&self) -> &'static str;

    /// The template flag of this variant, one of [`Choose::FLAGS`].
    fn flag(&self) -> &'static str {
        Self::FLAGS[self.index()]
    }

    /// The position of this variant in [`Choose::FLAGS`].
    fn index(&self) -> usize;
}

/// How the API is exposed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum, Serialize, Deserialize)]
pub enum ComputeType {
    /// API Gateway REST API in front of Lambda (payload format 1.0).
    #[default]
    #[value(
        name = "ServerlessApiGatewayRestApi",
        alias = "rest",
        alias = "rest-api"
    )]
    #[serde(rename = "rest")]
    Rest,
    /// API Gateway HTTP API in front of Lambda (payload format 2.0).
    #[value(
        name = "ServerlessApiGatewayHttpApi",
        alias = "http",
        alias = "http-api"
    )]
    #[serde(rename = "http")]
    Http,
    /// A Lambda Function URL that streams responses, through the Lambda Web Adapter.
    #[value(
        name = "ServerlessLambdaFunctionUrl",
        alias = "function-url",
        alias = "url"
    )]
    #[serde(rename = "function-url")]
    FunctionUrl,
}

impl ComputeType {
    /// Whether API Gateway (REST or HTTP) fronts the function; a Function URL does not.
    pub fn is_api_gateway(self) -> bool {
        self != ComputeType::FunctionUrl
    }
}

impl Choose for ComputeType {
    const FLAGS: &'static [&'static str] = &["rest", "http", "function_url"];

    fn key(&self) -> &'static str {
        ["rest", "http", "function-url"][self.index()]
    }

    fn index(&self) -> usize {
        *self as usize
    }
}

/// How callers authenticate with the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Auth {
    /// AWS IAM (SigV4-signed requests).
    #[default]
    #[value(name = "IAM")]
    Iam,
    /// Amazon Cognito user pool tokens.
    #[value(name = "Cognito")]
    Cognito,
    /// A Lambda authorizer of the app's own (`<module>/authorizer.py`), given each request.
    #[value(name = "Custom")]
    Custom,
    /// No authentication.
    #[value(name = "None")]
    None,
}

/// Which infrastructure-as-code the API's deployment is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IacProvider {
    /// AWS CDK constructs in TypeScript.
    #[default]
    #[value(name = "CDK")]
    Cdk,
    /// Terraform modules.
    #[value(name = "Terraform", alias = "tf")]
    Terraform,
    /// No infrastructure code.
    #[value(name = "None")]
    None,
}

/// The Lambda function's memory in MB when `--memory-size` is not given: the cold start
/// is CPU-bound, and Lambda's CPU share grows with memory (see bench/coldstart.sh).
pub const DEFAULT_MEMORY_SIZE: u32 = 1024;

/// The instruction set the Lambda function runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Architecture {
    /// x86_64 (Intel and AMD), Lambda's default.
    #[default]
    #[value(name = "x86_64", alias = "x86-64", alias = "amd64")]
    X86_64,
    /// arm64 (AWS Graviton), about 20% cheaper per GB-second.
    #[value(name = "arm64", alias = "aarch64")]
    Arm64,
}

impl Architecture {
    /// The platform whose binary wheels the bundle installs (`uv pip --python-platform`).
    pub fn python_platform(self) -> &'static str {
        ["x86_64-manylinux2014", "aarch64-manylinux2014"][self.index()]
    }
}

/// How API Gateway's routes map to Lambda functions (upstream's `integrationPattern`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IntegrationPattern {
    /// One Lambda function per operation, each running the whole app, so that each can
    /// get its own permissions, memory and alarms.
    #[value(name = "isolated")]
    Isolated,
    /// One router Lambda function for every operation: FastAPI routes each request.
    #[value(name = "shared")]
    Shared,
}

impl IntegrationPattern {
    /// The pattern of an API when none is chosen: isolated for CDK, shared (the router) for
    /// Terraform, as upstream does; a Function URL's one function is shared by definition.
    pub fn default_for(compute_type: ComputeType, iac: IacProvider) -> IntegrationPattern {
        match (compute_type, iac) {
            (ComputeType::FunctionUrl, _) | (_, IacProvider::Terraform) => {
                IntegrationPattern::Shared
            }
            _ => IntegrationPattern::Isolated,
        }
    }
}

/// The Node package manager a workspace uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PackageManager {
    /// pnpm, with a `pnpm-workspace.yaml`.
    #[default]
    Pnpm,
    /// npm workspaces.
    Npm,
    /// Yarn workspaces.
    Yarn,
    /// Bun workspaces.
    Bun,
}

impl PackageManager {
    /// How the workspace's README and next steps invoke Nx.
    pub fn nx(self) -> &'static str {
        ["pnpm nx", "npx nx", "yarn nx", "bunx nx"][self.index()]
    }

    /// The words after the program that install a workspace's packages and
    /// update its lockfile. pnpm and Yarn refuse to touch the lockfile when
    /// they detect CI, yet a generator has just changed `package.json`.
    pub fn install_args(self) -> &'static [&'static str] {
        match self {
            PackageManager::Pnpm => &["install", "--no-frozen-lockfile"],
            PackageManager::Yarn => &["install", "--no-immutable"],
            PackageManager::Npm | PackageManager::Bun => &["install"],
        }
    }

    /// The release a workspace pins in `package.json`'s `packageManager` field
    /// (read by corepack and by the package managers themselves); npm is left
    /// to the one that comes with Node.
    pub fn pinned(self) -> Option<&'static str> {
        match self {
            PackageManager::Pnpm => Some("pnpm@12.21.0"),
            PackageManager::Npm => None,
            PackageManager::Yarn => Some("yarn@4.18.1"),
            PackageManager::Bun => Some("bun@1.4.5"),
        }
    }

    /// The npm package that runs the pinned release through `npx` where the
    /// package manager is not installed.
    pub fn npx_package(self) -> Option<&'static str> {
        match self {
            PackageManager::Pnpm => Some("pnpm@12.21.0"),
            PackageManager::Npm => None,
            PackageManager::Yarn => Some("@yarnpkg/cli-dist@4.18.1"),
            PackageManager::Bun => Some("bun@1.4.5"),
        }
    }
}

/// `Choose` for an enum whose variants are spelt the same in files and in
/// templates: its flags, in declaration order.
macro_rules! choose_by_flag {
    ($($ty:ty => [$($flag:literal),*]),*) => {$(
        impl Choose for $ty {
            const FLAGS: &'static [&'static str] = &[$($flag),*];

            fn key(&self) -> &'static str {
                Self::FLAGS[self.index()]
            }

            fn index(&self) -> usize {
                *self as usize
            }
        }
    )*};
}
choose_by_flag!(
    Auth => ["iam", "cognito", "custom", "none"],
    Architecture => ["x86_64", "arm64"],
    IntegrationPattern => ["isolated", "shared"],
    IacProvider => ["cdk", "terraform", "none"],
    PackageManager => ["pnpm", "npm", "yarn", "bun"]
);

macro_rules! display_as_value_name {
    ($($ty:ty),*) => {$(
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.to_possible_value().expect("no skipped variants").get_name())
            }
        }
    )*};
}
display_as_value_name!(
    ComputeType,
    Auth,
    IacProvider,
    Architecture,
    IntegrationPattern,
    PackageManager
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_spellings_are_accepted_case_insensitively() {
        for (raw, want) in [
            ("ServerlessApiGatewayHttpApi", ComputeType::Http),
            ("serverlessapigatewayrestapi", ComputeType::Rest),
            ("HTTP", ComputeType::Http),
            ("rest", ComputeType::Rest),
        ] {
            assert_eq!(ComputeType::from_str(raw, true).unwrap(), want, "{raw}");
        }
        assert_eq!(Auth::from_str("iam", true).unwrap(), Auth::Iam);
        assert_eq!(Auth::from_str("COGNITO", true).unwrap(), Auth::Cognito);
        assert_eq!(
            IacProvider::from_str("tf", true).unwrap(),
            IacProvider::Terraform
        );
        assert_eq!(IacProvider::Cdk.to_string(), "CDK");
    }

    #[test]
    fn keys_flags_and_serde_agree() {
        fn check<T: Choose + ValueEnum + Serialize>() {
            for value in T::value_variants() {
                let json = serde_json::to_value(value).unwrap();
                assert_eq!(json, value.key(), "serde spells {} as its key", value.key());
                assert_eq!(value.flag(), value.key().replace('-', "_"));
            }
            assert_eq!(T::value_variants().len(), T::FLAGS.len());
        }
        check::<ComputeType>();
        check::<Auth>();
        check::<IacProvider>();
        check::<Architecture>();
        check::<IntegrationPattern>();
        check::<PackageManager>();
    }
}
