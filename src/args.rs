//! The command line's grammar (clap derive). Parsing ends here: what the user
//! typed becomes plain inputs that [`crate::settings`] resolves.

use std::path::PathBuf;

use clap::parser::ValueSource;
use clap::{ArgMatches, Args, Parser, Subcommand, ValueEnum};

use crate::model::{
    Architecture, Auth, ComputeType, DEFAULT_MEMORY_SIZE, IacProvider, IntegrationPattern,
    PackageManager,
};

/// Scaffolds serverless FastAPI APIs on AWS (Lambda + API Gateway) in an Nx-compatible monorepo.
#[derive(Debug, Parser)]
#[command(name = "fastgen", version, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a workspace: an Nx monorepo that is also a uv workspace.
    New(NewArgs),
    /// Run a generator in the current workspace.
    #[command(visible_alias = "g")]
    Generate(GenerateArgs),
    /// Serve the workspace's APIs through a local API Gateway in front of their real
    /// Lambda handlers (the events, errors and routes of API Gateway; reload on change).
    Dev(DevArgs),
    /// List the generators with their options and defaults.
    List {
        /// Print each generator's options as JSON Schema.
        #[arg(long)]
        json: bool,
    },
    /// Print a shell completion script.
    Completions {
        /// The shell to complete in.
        shell: clap_complete::Shell,
    },
}

/// `fastgen dev`.
#[derive(Debug, Clone, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct DevArgs {
    /// What else to do than serve.
    #[command(subcommand)]
    pub command: Option<DevCommand>,
    /// The API project to serve (its Nx project name, `my_api`); every API when absent,
    /// each on its dev server's port plus 1000.
    pub project: Option<String>,
    /// The port to serve one API on.
    #[arg(long)]
    pub port: Option<u16>,
    /// For APIs with auth cognito, accept tokens of this real user pool (its id,
    /// `us-east-1_AbCdEf`, or its issuer URL) instead of the local one's.
    #[arg(long, requires = "client_id")]
    pub user_pool: Option<String>,
    /// The user pool's app client the tokens must be for (with --user-pool).
    #[arg(long, requires = "user_pool")]
    pub client_id: Option<String>,
}

/// What `fastgen dev` does besides serving.
#[derive(Debug, Clone, Subcommand)]
pub enum DevCommand {
    /// Print a token of the local Cognito user pool, which `fastgen dev` accepts for
    /// APIs with auth cognito: an ID token, or an access token with --scope or --access.
    Token(TokenArgs),
}

/// `fastgen dev token`.
#[derive(Debug, Clone, Args)]
pub struct TokenArgs {
    /// The user's id (the `sub` claim).
    #[arg(long, default_value = "local-user")]
    pub sub: String,
    /// The user's name (`cognito:username`); the `sub` when absent.
    #[arg(long)]
    pub username: Option<String>,
    /// The user's email (ID tokens only).
    #[arg(long)]
    pub email: Option<String>,
    /// The user's groups (`cognito:groups`), comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub groups: Vec<String>,
    /// The scopes of an access token, comma- or space-separated: mints an access token.
    #[arg(long, value_delimiter = ',')]
    pub scope: Vec<String>,
    /// Mint an access token rather than an ID token.
    #[arg(long)]
    pub access: bool,
    /// How long the token is valid, in seconds.
    #[arg(long, default_value_t = 3600, allow_negative_numbers = true)]
    pub expires_in: i64,
}

/// Flags every generator takes.
#[derive(Debug, Clone, Args)]
pub struct CommonArgs {
    /// Print the changes and write nothing.
    #[arg(long, alias = "dryRun")]
    pub dry_run: bool,
    /// Write the files but install nothing (no `uv sync`, no package manager install).
    #[arg(long, alias = "skipInstall")]
    pub skip_install: bool,
    /// Never prompt: a missing required option is an error.
    #[arg(long, alias = "noInteractive")]
    pub no_interactive: bool,
    /// Answer yes to questions, such as creating a workspace when there is none.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// How to print the change list: `text` (CREATE/UPDATE lines) or `json` (each
    /// change with its content and mode, for tools such as the Nx plugin).
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}

/// How a generator prints its change list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OutputFormat {
    /// CREATE/UPDATE lines, then the next steps.
    #[default]
    Text,
    /// One JSON document: the changes with their content, the installs, the next steps.
    Json,
}

/// `fastgen new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The directory to create the workspace in.
    pub dir: PathBuf,
    /// The Node package manager of the workspace.
    #[arg(
        long,
        alias = "packageManager",
        alias = "pm",
        value_enum,
        ignore_case = true,
        default_value_t
    )]
    pub package_manager: PackageManager,
    /// The default infrastructure-as-code provider of the workspace's APIs.
    #[arg(
        long,
        alias = "iacProvider",
        value_enum,
        ignore_case = true,
        default_value_t
    )]
    pub iac: IacProvider,
    /// Add fastgen's Nx plugin (`@fastgen/nx`, at this fastgen's version) as a dev
    /// dependency, so `nx g @fastgen/nx:py#fast-api` and Nx Console's forms work.
    #[arg(long, alias = "nxPlugin")]
    pub nx_plugin: bool,
    /// Flags every generator takes.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `fastgen generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// The generator to run.
    #[command(subcommand)]
    pub generator: Generator,
}

/// The generators `fastgen generate` runs.
#[derive(Debug, Subcommand)]
pub enum Generator {
    /// A FastAPI project for AWS Lambda with Powertools observability, tests and OpenAPI.
    #[command(name = "py#fast-api", alias = "py-fast-api", alias = "fast-api")]
    FastApi(FastApiArgs),
    /// A Python API project: `py#fast-api` under upstream's newer name, with its framework.
    #[command(name = "py#api", alias = "py-api")]
    Api(ApiArgs),
    /// A CDK app (packages/infra) whose stack deploys the workspace's APIs.
    #[command(name = "ts#infra", alias = "ts-infra", alias = "infra")]
    TsInfra(TsInfraArgs),
}

/// `fastgen g py#api`: the options of `py#fast-api` and the framework.
#[derive(Debug, Args)]
pub struct ApiArgs {
    /// The framework of the API.
    #[arg(long, value_enum, ignore_case = true, default_value_t)]
    pub framework: Framework,
    /// The options of `py#fast-api`.
    #[command(flatten)]
    pub api: FastApiArgs,
}

/// The frameworks `py#api` generates; FastAPI is the only one so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum Framework {
    /// FastAPI, run on Lambda through Mangum or the Lambda Web Adapter.
    #[default]
    #[value(name = "fastapi")]
    FastApi,
}

/// `--iac-provider`: a provider, or the workspace's default (upstream's `inherit`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum IacChoice {
    /// The workspace's default IaC, recorded in nx.json (CDK where none is).
    #[default]
    #[value(name = "inherit")]
    Inherit,
    /// AWS CDK constructs in TypeScript.
    #[value(name = "CDK")]
    Cdk,
    /// Terraform modules.
    #[value(name = "Terraform", alias = "tf")]
    Terraform,
    /// No infrastructure code.
    #[value(name = "None")]
    None,
}

impl IacChoice {
    /// The provider chosen, or `None` to inherit the workspace's.
    pub fn provider(self) -> Option<IacProvider> {
        match self {
            IacChoice::Inherit => None,
            IacChoice::Cdk => Some(IacProvider::Cdk),
            IacChoice::Terraform => Some(IacProvider::Terraform),
            IacChoice::None => Some(IacProvider::None),
        }
    }
}

/// `fastgen g ts#infra`.
#[derive(Debug, Args)]
pub struct TsInfraArgs {
    /// Flags every generator takes.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `--infra`, the newer upstream spelling that sets the compute type and the IaC at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Infra {
    /// API Gateway REST API + Lambda.
    RestLambda,
    /// API Gateway HTTP API + Lambda.
    HttpLambda,
    /// Lambda Function URL with response streaming.
    FunctionUrl,
    /// No infrastructure code.
    None,
}

/// `fastgen g py#fast-api`.
#[derive(Debug, Args)]
pub struct FastApiArgs {
    /// Name of the API project to generate (`MyApi`, `my-api`, `my api`).
    #[arg(value_name = "NAME")]
    pub positional_name: Option<String>,
    /// Name of the API project to generate (instead of the positional NAME).
    #[arg(long = "name", conflicts_with = "positional_name")]
    pub name: Option<String>,
    /// The type of compute that deploys the API.
    #[arg(
        long,
        alias = "computeType",
        value_enum,
        ignore_case = true,
        default_value_t
    )]
    pub compute_type: ComputeType,
    /// How callers authenticate with the API.
    #[arg(long, value_enum, ignore_case = true, default_value_t)]
    pub auth: Auth,
    /// The directory to store the project in, relative to the workspace root.
    #[arg(long, default_value = "packages")]
    pub directory: String,
    /// The project's folder under --directory (default: the module name).
    #[arg(long, alias = "subDirectory")]
    pub sub_directory: Option<String>,
    /// The infrastructure-as-code provider (`inherit`: the workspace's, in nx.json).
    #[arg(
        long,
        alias = "iacProvider",
        alias = "iac",
        value_enum,
        ignore_case = true,
        default_value_t
    )]
    pub iac_provider: IacChoice,
    /// The Python module name (default: the snake_case name).
    #[arg(long, alias = "moduleName")]
    pub module_name: Option<String>,
    /// How routes map to Lambda functions: one per operation (isolated) or one router for
    /// all (shared); the default is isolated for CDK, shared for Terraform.
    #[arg(long, alias = "integrationPattern", value_enum, ignore_case = true)]
    pub integration_pattern: Option<IntegrationPattern>,
    /// Compute type and IaC in one (newer upstream spelling); `none` generates no infrastructure.
    #[arg(long, value_enum, ignore_case = true, conflicts_with = "compute_type")]
    pub infra: Option<Infra>,
    /// The instruction set of the Lambda function: its bundle's wheels follow it.
    #[arg(long, value_enum, ignore_case = true, default_value_t)]
    pub architecture: Architecture,
    /// The Lambda function's memory in MB (128 to 10240); its CPU share grows with it.
    #[arg(
        long,
        alias = "memorySize",
        default_value_t = DEFAULT_MEMORY_SIZE,
        value_parser = clap::value_parser!(u32).range(128..=10240)
    )]
    pub memory_size: u32,
    /// Lambda SnapStart: API Gateway or the Function URL invokes a published version
    /// (through the `live` alias), restored from a snapshot taken after its init.
    #[arg(long, alias = "snapStart")]
    pub snap_start: bool,
    /// REST APIs: API Gateway streams each response as the app writes it (the app runs
    /// under uvicorn through the Lambda Web Adapter); `--streaming=false` to say no.
    #[arg(
        long,
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true",
        default_value_t = false
    )]
    pub streaming: bool,
    /// Flags every generator takes.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// What the user typed for `py#fast-api`: `None` where an option was left to
/// its default, so resolution can tell a default from a choice.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FastApiInput {
    /// The API name, positional or `--name`.
    pub name: Option<String>,
    /// `--compute-type`.
    pub compute_type: Option<ComputeType>,
    /// `--auth`.
    pub auth: Option<Auth>,
    /// `--directory`.
    pub directory: Option<String>,
    /// `--sub-directory`.
    pub sub_directory: Option<String>,
    /// `--iac-provider` (or `--iac`).
    pub iac: Option<IacProvider>,
    /// `--iac-provider inherit`, typed: the workspace's default, without asking.
    pub inherit_iac: bool,
    /// `--module-name`.
    pub module_name: Option<String>,
    /// `--integration-pattern`.
    pub integration_pattern: Option<IntegrationPattern>,
    /// `--infra`.
    pub infra: Option<Infra>,
    /// `--architecture`.
    pub architecture: Option<Architecture>,
    /// `--memory-size`.
    pub memory_size: Option<u32>,
    /// `--snap-start`.
    pub snap_start: bool,
    /// `--streaming`.
    pub streaming: bool,
}

impl FastApiArgs {
    /// The options the user typed, given the subcommand's matches (which know
    /// whether a value came from the command line or from its default).
    pub fn input(self, matches: &ArgMatches) -> FastApiInput {
        let typed = |id: &str| matches.value_source(id) == Some(ValueSource::CommandLine);
        FastApiInput {
            name: self.name.or(self.positional_name),
            compute_type: typed("compute_type").then_some(self.compute_type),
            auth: typed("auth").then_some(self.auth),
            directory: typed("directory").then_some(self.directory),
            sub_directory: self.sub_directory,
            iac: self.iac_provider.provider(),
            inherit_iac: typed("iac_provider") && self.iac_provider == IacChoice::Inherit,
            module_name: self.module_name,
            integration_pattern: self.integration_pattern,
            infra: self.infra,
            architecture: typed("architecture").then_some(self.architecture),
            memory_size: typed("memory_size").then_some(self.memory_size),
            snap_start: self.snap_start,
            streaming: self.streaming,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{CommandFactory, FromArgMatches};

    fn input(args: &[&str]) -> FastApiInput {
        let mut full = vec!["fastgen", "g", "py#fast-api"];
        full.extend_from_slice(args);
        let matches = Cli::command().try_get_matches_from(full).unwrap();
        let sub = matches
            .subcommand_matches("generate")
            .and_then(|m| m.subcommand_matches("py#fast-api"))
            .unwrap();
        let cli = Cli::from_arg_matches(&matches).unwrap();
        let Command::Generate(GenerateArgs {
            generator: Generator::FastApi(args),
        }) = cli.command
        else {
            unreachable!()
        };
        args.input(sub)
    }

    #[test]
    fn defaults_are_told_apart_from_typed_values() {
        assert_eq!(input(&["MyApi"]).auth, None);
        assert_eq!(input(&["MyApi"]).compute_type, None);
        let typed = input(&[
            "--name",
            "MyApi",
            "--auth",
            "iam",
            "--computeType",
            "rest",
            "--iac",
            "tf",
            "--directory",
            "packages",
        ]);
        assert_eq!(typed.name.as_deref(), Some("MyApi"));
        assert_eq!(typed.auth, Some(Auth::Iam));
        assert_eq!(typed.compute_type, Some(ComputeType::Rest));
        assert_eq!(typed.iac, Some(IacProvider::Terraform));
        assert_eq!(typed.directory.as_deref(), Some("packages"));
        assert_eq!(input(&["MyApi"]).iac, None);
        assert_eq!(input(&["MyApi", "--iac", "inherit"]).iac, None);
    }
}
