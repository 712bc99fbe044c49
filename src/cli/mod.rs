//! The command line, kept thin: parse, resolve, generate, print, commit, install.

mod list;
mod output;
mod prompt;

use std::env;
use std::io;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{ArgMatches, CommandFactory, FromArgMatches};

use crate::args::{
    ApiArgs, Cli, Command, DevArgs, DevCommand, FastApiArgs, GenerateArgs, Generator, NewArgs,
    TokenArgs, TsInfraArgs,
};
use crate::facts;
use crate::gateway;
use crate::generators::{Outcome, fast_api, new, ts_infra};
use crate::model::ApiSpec;
use crate::settings::{self, FastApiSettings};
use crate::tree::Tree;

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
        Command::New(args) => new_workspace(args),
        Command::Generate(GenerateArgs {
            generator: Generator::FastApi(args),
        })
        | Command::Generate(GenerateArgs {
            generator: Generator::Api(ApiArgs { api: args, .. }),
        }) => {
            let (_, sub) = matches
                .subcommand_matches("generate")
                .and_then(ArgMatches::subcommand)
                .expect("clap matched this subcommand");
            fast_api(args, sub)
        }
        Command::Generate(GenerateArgs {
            generator: Generator::TsInfra(args),
        }) => ts_infra(args),
        Command::Dev(args) => dev(args),
        Command::List { json } => {
            list::print(json);
            Ok(ExitCode::SUCCESS)
        }
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "fastgen", &mut io::stdout());
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn new_workspace(args: NewArgs) -> Result<ExitCode> {
    let dir = &args.dir;
    new::check_target(dir)?;
    let spec = settings::new_workspace(
        &directory_name(dir)?,
        args.package_manager,
        args.iac,
        args.nx_plugin,
    )?;
    let mut tree = Tree::new(dir);
    let outcome = new::generate(&mut tree, &spec)?;
    output::finish(tree, outcome, &args.common, &dir.display().to_string())
}

fn fast_api(args: FastApiArgs, matches: &ArgMatches) -> Result<ExitCode> {
    let common = args.common.clone();
    let cwd = env::current_dir().context("cannot read the current directory")?;
    let root = facts::find_root(&cwd);
    let mut tree = Tree::new(root.as_deref().unwrap_or(&cwd));
    let workspace = match &root {
        Some(_) => Some(facts::read(&tree)?),
        None => None,
    };
    let mut prompter = prompt::Terminal::new(common.no_interactive);
    let settings = FastApiSettings::resolve(
        args.input(matches),
        common.yes,
        &cwd,
        workspace.as_ref(),
        &mut prompter,
    )?;

    let mut outcome = Outcome::default();
    if let Some(spec) = &settings.new_workspace {
        outcome = new::generate(&mut tree, spec)?;
    }
    let facts = match workspace {
        Some(facts) => facts,
        None => facts::read(&tree)?,
    };
    let spec = ApiSpec::new(&settings.request)?;
    let outcome = outcome.then(fast_api::generate(&mut tree, &facts, &spec)?);
    output::finish(tree, outcome, &common, "")
}

fn ts_infra(args: TsInfraArgs) -> Result<ExitCode> {
    let root = workspace_root("run `fastgen new <dir>` first")?;
    let mut tree = Tree::new(&root);
    let facts = facts::read(&tree)?;
    let outcome = ts_infra::generate(&mut tree, &facts)?;
    output::finish(tree, outcome, &args.common, "")
}

fn dev(args: DevArgs) -> Result<ExitCode> {
    let root = workspace_root("run fastgen dev in one")?;
    if let Some(DevCommand::Token(token)) = args.command {
        return dev_token(&root, token);
    }
    let user_pool = args.user_pool.as_deref().zip(args.client_id.as_deref());
    let apis = gateway::apis(&root, args.project.as_deref(), args.port, user_pool)?;
    // The first API that stops, however it stops, stops them all.
    let (stopped, first) = std::sync::mpsc::channel();
    for (api, port) in apis {
        let stopped = stopped.clone();
        std::thread::spawn(move || {
            let outcome = std::panic::catch_unwind(|| gateway::server::serve(api, port));
            let _ = stopped.send(outcome);
        });
    }
    match first.recv() {
        Ok(Ok(outcome)) => outcome.map(|()| ExitCode::SUCCESS),
        _ => Err(anyhow::anyhow!("a gateway thread panicked")),
    }
}

/// Prints a token of the workspace's local user pool.
fn dev_token(root: &Path, args: TokenArgs) -> Result<ExitCode> {
    let scopes: Vec<String> = args
        .scope
        .iter()
        .flat_map(|scope| scope.split_whitespace())
        .map(str::to_string)
        .collect();
    let request = gateway::cognito::TokenRequest {
        username: args.username.unwrap_or_else(|| args.sub.clone()),
        sub: args.sub,
        email: args.email,
        groups: args.groups,
        access: args.access || !scopes.is_empty(),
        scopes,
        expires_in: args.expires_in,
    };
    let pool = gateway::cognito::UserPool::open(root)?;
    let now = jiff::Timestamp::now().as_second();
    println!("{}", pool.mint(&request, now)?);
    Ok(ExitCode::SUCCESS)
}

/// The workspace around the current directory; outside one, an error that ends with `hint`.
fn workspace_root(hint: &str) -> Result<std::path::PathBuf> {
    let cwd = env::current_dir().context("cannot read the current directory")?;
    match facts::find_root(&cwd) {
        Some(root) => Ok(root),
        None => anyhow::bail!(
            "not inside a workspace (no nx.json in {} or above): {hint}",
            cwd.display()
        ),
    }
}

/// The last component of `dir`, made absolute: what a new workspace is named after.
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
