//! Option resolution, uv's pattern: what the user typed, the workspace's facts
//! and the answers to prompts become the generators' inputs. Nothing here reads
//! the disk; questions go through a [`Prompter`], so every rule is unit-tested
//! without a terminal.

use std::fmt::Display;
use std::path::Path;

use anyhow::{Result, bail};
use clap::ValueEnum;

use crate::args::{FastApiInput, Infra};
use crate::model::{
    ApiRequest, ComputeType, DEFAULT_MEMORY_SIZE, Facts, IacProvider, PackageManager, WorkspaceSpec,
};

/// Asks the user for what they did not pass.
pub trait Prompter {
    /// Whether questions can be asked at all (a terminal, and no `--no-interactive`).
    fn interactive(&self) -> bool;
    /// Asks for a line of text.
    fn text(&mut self, question: &str, placeholder: &str) -> Result<String>;
    /// Asks to pick one of `choices`, starting at `default`; returns its index.
    fn select(&mut self, question: &str, choices: &[String], default: usize) -> Result<usize>;
    /// Asks a yes/no question whose default is yes.
    fn confirm(&mut self, question: &str) -> Result<bool>;
}

/// The prompter of a run that may not ask anything.
#[derive(Debug, Default)]
pub struct NoPrompts;

impl Prompter for NoPrompts {
    fn interactive(&self) -> bool {
        false
    }

    fn text(&mut self, question: &str, _: &str) -> Result<String> {
        bail!("cannot ask `{question}` without a terminal")
    }

    fn select(&mut self, question: &str, _: &[String], _: usize) -> Result<usize> {
        bail!("cannot ask `{question}` without a terminal")
    }

    fn confirm(&mut self, question: &str) -> Result<bool> {
        bail!("cannot ask `{question}` without a terminal")
    }
}

/// The resolved settings of one `py#fast-api` run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FastApiSettings {
    /// The API to generate, not yet validated.
    pub request: ApiRequest,
    /// The workspace to create first, when the run is outside one.
    pub new_workspace: Option<WorkspaceSpec>,
}

impl FastApiSettings {
    /// Resolves `input` in `cwd`, inside the workspace whose facts are given
    /// (`None` outside any); `yes` answers yes to creating a workspace.
    pub fn resolve(
        input: FastApiInput,
        yes: bool,
        cwd: &Path,
        workspace: Option<&Facts>,
        prompter: &mut dyn Prompter,
    ) -> Result<FastApiSettings> {
        let interactive = prompter.interactive();
        let create = workspace.is_none()
            && (yes
                || (interactive
                    && prompter.confirm(&format!(
                        "No workspace here (no nx.json in {} or above). Create one in it?",
                        cwd.display()
                    ))?));
        if workspace.is_none() && !create {
            bail!(
                "not inside a workspace (no nx.json in {} or above): run `fastgen new <dir>` first, or pass --yes to create one here",
                cwd.display()
            );
        }

        let name = match input.name {
            Some(name) => name,
            None if interactive => {
                prompter.text("What name would you like to use for the API?", "MyApi")?
            }
            None => bail!("the API name is missing: pass it, as in `fastgen g py#fast-api MyApi`"),
        };
        // `--infra` sets the compute type, or with `none` the IaC provider.
        let mut compute_type = input.compute_type;
        let mut iac = input.iac;
        match input.infra {
            Some(Infra::RestLambda) => compute_type = Some(ComputeType::Rest),
            Some(Infra::HttpLambda) => compute_type = Some(ComputeType::Http),
            Some(Infra::FunctionUrl) => compute_type = Some(ComputeType::FunctionUrl),
            Some(Infra::None) => iac = Some(IacProvider::None),
            None => {}
        }
        let iac_default = workspace
            .and_then(|facts| facts.default_iac)
            .unwrap_or_default();
        let ask = interactive && input.infra.is_none();
        let compute_type = match compute_type {
            Some(value) => value,
            None if ask => choose(
                prompter,
                "Which compute type should deploy the API?",
                ComputeType::default(),
            )?,
            None => ComputeType::default(),
        };
        let auth = match input.auth {
            Some(value) => value,
            None if interactive => choose(
                prompter,
                "How should callers authenticate?",
                Default::default(),
            )?,
            None => Default::default(),
        };
        let iac = match iac {
            Some(value) => value,
            None if ask && !input.inherit_iac => choose(
                prompter,
                "Which infrastructure-as-code provider?",
                iac_default,
            )?,
            None => iac_default,
        };

        let new_workspace = create.then(|| {
            let dir_name = cwd
                .file_name()
                .and_then(|name| name.to_str())
                .unwrap_or("workspace");
            let workspace_iac = if iac == IacProvider::None {
                IacProvider::Cdk
            } else {
                iac
            };
            WorkspaceSpec::for_directory(dir_name, PackageManager::default(), workspace_iac)
        });
        Ok(FastApiSettings {
            request: ApiRequest {
                name,
                compute_type,
                auth,
                directory: input
                    .directory
                    .unwrap_or_else(|| ApiRequest::default().directory),
                sub_directory: input.sub_directory,
                iac,
                module_name: input.module_name,
                integration_pattern: input.integration_pattern,
                architecture: input.architecture.unwrap_or_default(),
                memory_size: input.memory_size.unwrap_or(DEFAULT_MEMORY_SIZE),
                snap_start: input.snap_start,
                streaming: input.streaming,
            },
            new_workspace,
        })
    }
}

/// The workspace `fastgen new` creates in the directory named `dir_name`.
pub fn new_workspace(
    dir_name: &str,
    package_manager: PackageManager,
    iac: IacProvider,
    nx_plugin: bool,
) -> Result<WorkspaceSpec> {
    if iac == IacProvider::None {
        bail!("a workspace needs an IaC default: pass --iac cdk or --iac terraform");
    }
    Ok(WorkspaceSpec {
        nx_plugin,
        ..WorkspaceSpec::for_directory(dir_name, package_manager, iac)
    })
}

/// Asks to pick a value of `T`, starting at `default`.
fn choose<T: ValueEnum + Display + Copy + PartialEq>(
    prompter: &mut dyn Prompter,
    question: &str,
    default: T,
) -> Result<T> {
    let variants = T::value_variants();
    let labels: Vec<String> = variants.iter().map(T::to_string).collect();
    let start = variants.iter().position(|v| *v == default).unwrap_or(0);
    Ok(variants[prompter.select(question, &labels, start)?])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Auth, InfraApp};

    /// Answers questions from a script and records them.
    #[derive(Default)]
    struct Script {
        answers: Vec<&'static str>,
        asked: Vec<String>,
    }

    impl Prompter for Script {
        fn interactive(&self) -> bool {
            true
        }
        fn text(&mut self, question: &str, _: &str) -> Result<String> {
            self.asked.push(question.into());
            Ok(self.answers.remove(0).into())
        }
        fn select(&mut self, question: &str, choices: &[String], default: usize) -> Result<usize> {
            self.asked.push(question.into());
            let answer = self.answers.remove(0);
            Ok(if answer.is_empty() {
                default
            } else {
                choices.iter().position(|c| c == answer).unwrap()
            })
        }
        fn confirm(&mut self, question: &str) -> Result<bool> {
            self.asked.push(question.into());
            Ok(self.answers.remove(0) == "y")
        }
    }

    fn facts(default_iac: Option<IacProvider>) -> Facts {
        Facts {
            package_manager: PackageManager::Npm,
            scope: "demo".into(),
            default_iac,
            infra: InfraApp::Missing,
            apis: Vec::new(),
        }
    }

    fn resolve(
        input: FastApiInput,
        facts: Option<&Facts>,
        prompter: &mut dyn Prompter,
    ) -> Result<FastApiSettings> {
        FastApiSettings::resolve(input, false, Path::new("/work/shop"), facts, prompter)
    }

    fn named(name: &str) -> FastApiInput {
        FastApiInput {
            name: Some(name.into()),
            ..FastApiInput::default()
        }
    }

    #[test]
    fn defaults_apply_without_a_terminal() {
        let settings = resolve(named("Orders"), Some(&facts(None)), &mut NoPrompts).unwrap();
        assert_eq!(
            settings.request,
            ApiRequest {
                name: "Orders".into(),
                ..ApiRequest::default()
            }
        );
        assert_eq!(settings.new_workspace, None);
    }

    #[test]
    fn an_inherited_iac_is_not_asked_for() {
        let terraform = facts(Some(IacProvider::Terraform));
        let mut script = Script {
            answers: vec!["", ""],
            ..Script::default()
        };
        let inherit = FastApiInput {
            inherit_iac: true,
            ..named("Orders")
        };
        let settings = resolve(inherit, Some(&terraform), &mut script).unwrap();
        assert_eq!(settings.request.iac, IacProvider::Terraform);
        assert_eq!(
            script.asked.len(),
            2,
            "compute type and auth only: {:?}",
            script.asked
        );
    }

    #[test]
    fn the_workspace_iac_default_applies_unless_an_iac_is_typed() {
        let terraform = facts(Some(IacProvider::Terraform));
        let settings = resolve(named("Orders"), Some(&terraform), &mut NoPrompts).unwrap();
        assert_eq!(settings.request.iac, IacProvider::Terraform);
        let typed = FastApiInput {
            iac: Some(IacProvider::Cdk),
            ..named("Orders")
        };
        assert_eq!(
            resolve(typed, Some(&terraform), &mut NoPrompts)
                .unwrap()
                .request
                .iac,
            IacProvider::Cdk
        );
        let none = FastApiInput {
            infra: Some(Infra::None),
            ..named("Orders")
        };
        assert_eq!(
            resolve(none, Some(&terraform), &mut NoPrompts)
                .unwrap()
                .request
                .iac,
            IacProvider::None
        );
    }

    #[test]
    fn infra_sets_the_compute_type() {
        let input = FastApiInput {
            infra: Some(Infra::FunctionUrl),
            ..named("Orders")
        };
        let settings = resolve(input, Some(&facts(None)), &mut NoPrompts).unwrap();
        assert_eq!(settings.request.compute_type, ComputeType::FunctionUrl);
        assert_eq!(settings.request.iac, IacProvider::Cdk);
    }

    #[test]
    fn a_terminal_is_asked_for_what_was_not_typed() {
        let mut script = Script {
            answers: vec!["Billing", "ServerlessApiGatewayHttpApi", "", ""],
            ..Script::default()
        };
        let input = FastApiInput::default();
        let settings = resolve(
            input,
            Some(&facts(Some(IacProvider::Terraform))),
            &mut script,
        )
        .unwrap();
        assert_eq!(
            script.asked,
            [
                "What name would you like to use for the API?",
                "Which compute type should deploy the API?",
                "How should callers authenticate?",
                "Which infrastructure-as-code provider?",
            ]
        );
        assert_eq!(settings.request.name, "Billing");
        assert_eq!(settings.request.compute_type, ComputeType::Http);
        assert_eq!(settings.request.auth, Auth::Iam);
        assert_eq!(
            settings.request.iac,
            IacProvider::Terraform,
            "the workspace default is preselected"
        );

        let mut script = Script::default();
        let typed = FastApiInput {
            auth: Some(Auth::None),
            infra: Some(Infra::RestLambda),
            ..named("Orders")
        };
        resolve(typed, Some(&facts(None)), &mut script).unwrap();
        assert!(script.asked.is_empty(), "{:?}", script.asked);
    }

    #[test]
    fn outside_a_workspace_one_is_created_only_when_agreed() {
        let err = resolve(named("Orders"), None, &mut NoPrompts).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("not inside a workspace (no nx.json in /work/shop or above)")
        );

        let mut refuse = Script {
            answers: vec!["n"],
            ..Script::default()
        };
        assert!(resolve(named("Orders"), None, &mut refuse).is_err());

        let mut agree = Script {
            answers: vec!["y", "", ""],
            ..Script::default()
        };
        let input = FastApiInput {
            infra: Some(Infra::None),
            ..named("Orders")
        };
        let settings = resolve(input, None, &mut agree).unwrap();
        let workspace = settings.new_workspace.unwrap();
        assert_eq!(
            (workspace.name.as_str(), workspace.iac),
            ("shop", IacProvider::Cdk)
        );
        assert_eq!(workspace.package_manager, PackageManager::Pnpm);

        let yes = FastApiSettings::resolve(
            FastApiInput {
                iac: Some(IacProvider::Terraform),
                ..named("Orders")
            },
            true,
            Path::new("/work/shop"),
            None,
            &mut NoPrompts,
        )
        .unwrap();
        assert_eq!(yes.new_workspace.unwrap().iac, IacProvider::Terraform);
    }

    #[test]
    fn a_missing_name_without_a_terminal_is_an_error() {
        let err = resolve(FastApiInput::default(), Some(&facts(None)), &mut NoPrompts).unwrap_err();
        assert!(err.to_string().starts_with("the API name is missing"));
    }

    #[test]
    fn a_workspace_needs_an_iac_default() {
        assert!(new_workspace("demo", PackageManager::Npm, IacProvider::None, false).is_err());
        assert_eq!(
            new_workspace("demo", PackageManager::Npm, IacProvider::Terraform, false)
                .unwrap()
                .iac,
            IacProvider::Terraform
        );
    }
}
