//! The command line: arguments, prompts, the change list and installs.

use std::env;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::{Command as Process, ExitCode, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::parser::ValueSource;
use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use serde_json::{Map, Value, json};

use crate::generators::fast_api::{self, Auth, ComputeType, FastApiOptions, IacProvider};
use crate::generators::ts_infra;
use crate::generators::workspace::{self, PackageManager, WorkspaceOptions};
use crate::generators::{Install, Outcome};
use crate::tree::Tree;

/// Scaffolds serverless FastAPI APIs on AWS (Lambda + API Gateway) in an Nx-compatible monorepo.
#[derive(Debug, Parser)]
#[command(name = "fastgen", version, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a workspace: an Nx monorepo that is also a uv workspace.
    New(NewArgs),
    /// Run a generator in the current workspace.
    #[command(visible_alias = "g")]
    Generate(GenerateArgs),
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

/// Flags every generator takes.
#[derive(Debug, Clone, Args)]
struct CommonArgs {
    /// Print the changes and write nothing.
    #[arg(long, alias = "dryRun")]
    dry_run: bool,
    /// Write the files but install nothing (no `uv sync`, no package manager install).
    #[arg(long, alias = "skipInstall")]
    skip_install: bool,
    /// Never prompt: a missing required option is an error.
    #[arg(long, alias = "noInteractive")]
    no_interactive: bool,
    /// Answer yes to questions, such as creating a workspace when there is none.
    #[arg(long, short = 'y')]
    yes: bool,
}

#[derive(Debug, Args)]
struct NewArgs {
    /// The directory to create the workspace in.
    dir: PathBuf,
    /// The Node package manager of the workspace.
    #[arg(
        long,
        alias = "packageManager",
        alias = "pm",
        value_enum,
        ignore_case = true,
        default_value_t
    )]
    package_manager: PackageManager,
    /// The default infrastructure-as-code provider of the workspace's APIs.
    #[arg(
        long,
        alias = "iacProvider",
        value_enum,
        ignore_case = true,
        default_value_t
    )]
    iac: IacProvider,
    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Debug, Args)]
struct GenerateArgs {
    #[command(subcommand)]
    generator: Generator,
}

#[derive(Debug, Subcommand)]
enum Generator {
    /// A FastAPI project for AWS Lambda with Powertools observability, tests and OpenAPI.
    #[command(name = "py#fast-api", alias = "py-fast-api", alias = "fast-api")]
    FastApi(FastApiArgs),
    /// A CDK app (packages/infra) whose stack deploys the workspace's APIs.
    #[command(name = "ts#infra", alias = "ts-infra", alias = "infra")]
    TsInfra(TsInfraArgs),
}

#[derive(Debug, Args)]
struct TsInfraArgs {
    #[command(flatten)]
    common: CommonArgs,
}

/// `--infra`, the newer upstream spelling that sets the compute type and the IaC at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Infra {
    /// API Gateway REST API + Lambda.
    RestLambda,
    /// API Gateway HTTP API + Lambda.
    HttpLambda,
    /// Lambda Function URL with response streaming.
    FunctionUrl,
    /// No infrastructure code.
    None,
}

#[derive(Debug, Args)]
struct FastApiArgs {
    /// Name of the API project to generate (`MyApi`, `my-api`, `my api`).
    #[arg(value_name = "NAME")]
    positional_name: Option<String>,
    /// Name of the API project to generate (instead of the positional NAME).
    #[arg(long = "name", conflicts_with = "positional_name")]
    name: Option<String>,
    /// The type of compute that deploys the API.
    #[arg(
        long,
        alias = "computeType",
        value_enum,
        ignore_case = true,
        default_value_t
    )]
    compute_type: ComputeType,
    /// How callers authenticate with the API.
    #[arg(long, value_enum, ignore_case = true, default_value_t)]
    auth: Auth,
    /// The directory to store the project in, relative to the workspace root.
    #[arg(long, default_value = "packages")]
    directory: String,
    /// The project's folder under --directory (default: the module name).
    #[arg(long, alias = "subDirectory")]
    sub_directory: Option<String>,
    /// The infrastructure-as-code provider.
    #[arg(
        long,
        alias = "iacProvider",
        alias = "iac",
        value_enum,
        ignore_case = true,
        default_value_t
    )]
    iac_provider: IacProvider,
    /// The Python module name (default: the snake_case name).
    #[arg(long, alias = "moduleName")]
    module_name: Option<String>,
    /// Compute type and IaC in one (newer upstream spelling); `none` generates no infrastructure.
    #[arg(long, value_enum, ignore_case = true, conflicts_with = "compute_type")]
    infra: Option<Infra>,
    #[command(flatten)]
    common: CommonArgs,
}

/// Runs the command line and returns the process's exit code.
pub fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(err) => err.exit(),
    };
    match run(cli, &matches) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli, matches: &ArgMatches) -> Result<ExitCode> {
    match cli.command {
        Command::New(args) => new(args),
        Command::Generate(GenerateArgs {
            generator: Generator::FastApi(args),
        }) => {
            let sub = matches
                .subcommand_matches("generate")
                .and_then(|m| m.subcommand_matches("py#fast-api"))
                .expect("clap matched this subcommand");
            fast_api(args, sub)
        }
        Command::Generate(GenerateArgs {
            generator: Generator::TsInfra(args),
        }) => ts_infra(args),
        Command::List { json } => {
            list(json);
            Ok(ExitCode::SUCCESS)
        }
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "fastgen", &mut io::stdout());
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn new(args: NewArgs) -> Result<ExitCode> {
    let dir = &args.dir;
    if dir.is_file() {
        bail!(
            "{} is a file: pass a directory for the new workspace",
            dir.display()
        );
    }
    let is_workspace = dir.join(crate::workspace::MARKER).is_file();
    if dir.is_dir() && !is_workspace && dir.read_dir()?.next().is_some() {
        bail!(
            "{} is not empty and is not a workspace: pass a new or empty directory",
            dir.display()
        );
    }
    let mut tree = Tree::new(dir);
    let options = WorkspaceOptions::for_directory(
        &directory_name(dir)?,
        args.package_manager,
        workspace_iac(args.iac)?,
    );
    let outcome = workspace::generate(&mut tree, &options)?;
    finish(tree, outcome, &args.common, &dir.display().to_string())
}

fn fast_api(args: FastApiArgs, matches: &ArgMatches) -> Result<ExitCode> {
    let interactive =
        !args.common.no_interactive && io::stdin().is_terminal() && io::stderr().is_terminal();
    let given = |id: &str| matches.value_source(id) == Some(ValueSource::CommandLine);
    let cwd = env::current_dir().context("cannot read the current directory")?;

    let (root, new_workspace) = match crate::workspace::find_root(&cwd) {
        Some(root) => (root, false),
        None => {
            let create = args.common.yes
                || (interactive
                    && confirm(&format!(
                        "No workspace here (no nx.json in {} or above). Create one in it?",
                        cwd.display()
                    ))?);
            if !create {
                bail!(
                    "not inside a workspace (no nx.json in {} or above): run `fastgen new <dir>` first, or pass --yes to create one here",
                    cwd.display()
                );
            }
            (cwd.clone(), true)
        }
    };
    let mut tree = Tree::new(&root);

    let name = match args.name.or(args.positional_name) {
        Some(name) => name,
        None if interactive => inquire::Text::new("What name would you like to use for the API?")
            .with_placeholder("MyApi")
            .prompt()?,
        None => bail!("the API name is missing: pass it, as in `fastgen g py#fast-api MyApi`"),
    };
    let (mut compute_type, mut iac) = (args.compute_type, args.iac_provider);
    match args.infra {
        Some(Infra::RestLambda) => compute_type = ComputeType::Rest,
        Some(Infra::HttpLambda) => compute_type = ComputeType::Http,
        Some(Infra::FunctionUrl) => compute_type = ComputeType::FunctionUrl,
        Some(Infra::None) => iac = IacProvider::None,
        None => {}
    }
    let infra_given = args.infra.is_some();
    if !given("iac_provider") && args.infra != Some(Infra::None) {
        iac = workspace_default_iac(&tree)?.unwrap_or(iac);
    }
    let mut auth = args.auth;
    if interactive {
        if !given("compute_type") && !infra_given {
            compute_type = select("Which compute type should deploy the API?", compute_type)?;
        }
        if !given("auth") {
            auth = select("How should callers authenticate?", auth)?;
        }
        if !given("iac_provider") && !infra_given {
            iac = select("Which infrastructure-as-code provider?", iac)?;
        }
    }

    let options = FastApiOptions {
        name,
        compute_type,
        auth,
        directory: args.directory,
        sub_directory: args.sub_directory,
        iac,
        module_name: args.module_name,
    };
    let mut outcome = Outcome::default();
    if new_workspace {
        let workspace_options = WorkspaceOptions::for_directory(
            &directory_name(&root)?,
            PackageManager::default(),
            workspace_iac(iac).unwrap_or(IacProvider::Cdk),
        );
        outcome = workspace::generate(&mut tree, &workspace_options)?;
    }
    let api = fast_api::generate(&mut tree, &options)?;
    for install in api.installs {
        if !outcome.installs.contains(&install) {
            outcome.installs.push(install);
        }
    }
    outcome.next_steps = api.next_steps;
    finish(tree, outcome, &args.common, "")
}

fn ts_infra(args: TsInfraArgs) -> Result<ExitCode> {
    let cwd = env::current_dir().context("cannot read the current directory")?;
    let Some(root) = crate::workspace::find_root(&cwd) else {
        bail!(
            "not inside a workspace (no nx.json in {} or above): run `fastgen new <dir>` first",
            cwd.display()
        );
    };
    let mut tree = Tree::new(&root);
    let outcome = ts_infra::generate(&mut tree)?;
    finish(tree, outcome, &args.common, "")
}

/// Prints the change list, commits it unless `--dry-run`, then installs.
fn finish(tree: Tree, outcome: Outcome, common: &CommonArgs, prefix: &str) -> Result<ExitCode> {
    let root = tree.root().to_path_buf();
    let changes = tree.changes();
    let mut out = io::stdout().lock();
    let color = io::stdout().is_terminal() && env::var_os("NO_COLOR").is_none();
    for change in &changes {
        let path = if prefix.is_empty() {
            change.path.clone()
        } else {
            format!("{}/{}", prefix.trim_end_matches('/'), change.path)
        };
        if color {
            writeln!(out, "\x1b[32m{}\x1b[0m {path}", change.kind)?;
        } else {
            writeln!(out, "{} {path}", change.kind)?;
        }
    }
    if changes.is_empty() {
        writeln!(out, "No changes: everything is already up to date.")?;
    }
    if common.dry_run {
        writeln!(out, "\nNOTE: --dry-run: no changes were made.")?;
        return Ok(ExitCode::SUCCESS);
    }
    drop(out);
    tree.commit()?;

    if !common.skip_install && !changes.is_empty() {
        for install in &outcome.installs {
            if let Err(err) = run_install(&root, install) {
                eprintln!("error: {err:#}");
                eprintln!(
                    "The files are written. Retry the install with: cd {} && {}",
                    root.display(),
                    outcome
                        .installs
                        .iter()
                        .map(Install::display)
                        .collect::<Vec<_>>()
                        .join(" && ")
                );
                return Ok(ExitCode::FAILURE);
            }
        }
    }
    if !changes.is_empty() && !outcome.next_steps.is_empty() {
        println!("\nNext steps:");
        for step in &outcome.next_steps {
            println!("  {step}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs one install command in `root` with a spinner; its output is shown only on failure.
fn run_install(root: &Path, install: &Install) -> Result<()> {
    let spinner = indicatif::ProgressBar::new_spinner();
    spinner.set_message(format!("Running {}", install.display()));
    spinner.enable_steady_tick(Duration::from_millis(100));
    let output = Process::new(&install.program)
        .args(&install.args)
        .current_dir(root)
        .stdin(Stdio::null())
        .output();
    spinner.finish_and_clear();
    let output = match output {
        Ok(output) => output,
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            bail!("`{}` is not installed or not on PATH", install.program)
        }
        Err(err) => return Err(err).with_context(|| format!("cannot run {}", install.display())),
    };
    if !output.status.success() {
        io::stderr().write_all(&output.stderr)?;
        bail!("{} failed ({})", install.display(), output.status);
    }
    eprintln!("✔ {}", install.display());
    Ok(())
}

/// The `py#fast-api` IaC default recorded in the workspace's `nx.json`.
fn workspace_default_iac(tree: &Tree) -> Result<Option<IacProvider>> {
    let Some(text) = tree.read_to_string("nx.json")? else {
        return Ok(None);
    };
    let nx: Value = serde_json::from_str(&text).map_err(|err| {
        anyhow::anyhow!("nx.json is not valid JSON ({err}): fix it and run again")
    })?;
    Ok(nx
        .pointer("/generators/fastgen/py#fast-api/iacProvider")
        .and_then(Value::as_str)
        .and_then(|v| IacProvider::from_str(v, true).ok()))
}

fn directory_name(dir: &Path) -> Result<String> {
    let absolute = if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        env::current_dir()?.join(dir)
    };
    Ok(absolute
        .components()
        .next_back()
        .and_then(|c| c.as_os_str().to_str())
        .unwrap_or("workspace")
        .to_string())
}

fn confirm(question: &str) -> Result<bool> {
    Ok(inquire::Confirm::new(question)
        .with_default(true)
        .prompt()?)
}

fn select<T: ValueEnum + Copy + PartialEq + std::fmt::Display>(
    question: &str,
    default: T,
) -> Result<T> {
    let variants = T::value_variants();
    let start = variants.iter().position(|v| *v == default).unwrap_or(0);
    Ok(inquire::Select::new(question, variants.to_vec())
        .with_starting_cursor(start)
        .prompt()?)
}

/// The IaC default a new workspace records; `None` cannot be one.
fn workspace_iac(iac: IacProvider) -> Result<IacProvider> {
    match iac {
        IacProvider::None => {
            bail!("a workspace needs an IaC default: pass --iac cdk or --iac terraform")
        }
        other => Ok(other),
    }
}

/// Prints every generator with its options, as text or as JSON Schema.
fn list(json: bool) {
    let cli = Cli::command();
    let generate = cli.find_subcommand("generate").expect("generate exists");
    if json {
        let mut schemas = Map::new();
        for generator in generate.get_subcommands() {
            schemas.insert(generator.get_name().to_string(), schema(generator));
        }
        println!(
            "{}",
            serde_json::to_string_pretty(&Value::Object(schemas)).expect("valid JSON")
        );
        return;
    }
    for generator in generate.get_subcommands() {
        println!(
            "{}  {}",
            generator.get_name(),
            generator
                .get_about()
                .map(|a| a.to_string())
                .unwrap_or_default()
        );
        for arg in options_of(generator) {
            let long = arg.get_long().expect("options are long flags");
            let mut line = format!("  --{long:<16} {}", help_of(arg));
            if long == "name" {
                line.push_str(" (required)");
            }
            if let Some(default) = arg.get_default_values().first() {
                line.push_str(&format!(" [default: {}]", default.to_string_lossy()));
            }
            let values: Vec<String> = arg
                .get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| v.get_name().to_string())
                .collect();
            if !values.is_empty() {
                line.push_str(&format!(" [values: {}]", values.join(", ")));
            }
            println!("{line}");
        }
    }
}

/// The options a generator documents: its long flags, without the common ones.
fn options_of(generator: &clap::Command) -> impl Iterator<Item = &clap::Arg> {
    generator.get_arguments().filter(|arg| {
        arg.get_long().is_some_and(|long| {
            !matches!(
                long,
                "dry-run" | "skip-install" | "no-interactive" | "yes" | "help"
            )
        })
    })
}

fn help_of(arg: &clap::Arg) -> String {
    arg.get_help().map(|h| h.to_string()).unwrap_or_default()
}

/// A JSON Schema of a generator's options, with the seed's camelCase names.
fn schema(generator: &clap::Command) -> Value {
    let mut properties = Map::new();
    for arg in options_of(generator) {
        let long = arg.get_long().expect("options are long flags");
        let mut property = json!({ "type": "string", "description": help_of(arg) });
        let values: Vec<String> = arg
            .get_possible_values()
            .iter()
            .map(|v| v.get_name().to_string())
            .collect();
        if !values.is_empty() {
            property["enum"] = json!(values);
        }
        if let Some(default) = arg.get_default_values().first() {
            property["default"] = json!(default.to_string_lossy());
        }
        properties.insert(heck::ToLowerCamelCase::to_lower_camel_case(long), property);
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": generator.get_name(),
        "description": generator.get_about().map(|a| a.to_string()).unwrap_or_default(),
        "type": "object",
        "properties": properties,
        "required": ["name"],
    })
}
