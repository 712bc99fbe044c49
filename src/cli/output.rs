//! The end of every run: the CREATE/UPDATE change list, the commit, the
//! installs (with a spinner), and the next steps.

use std::env;
use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::process::{Command as Process, ExitCode, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use base64::Engine;
use serde_json::{Value, json};

use crate::args::{CommonArgs, OutputFormat};
use crate::generators::{Install, Outcome};
use crate::tree::{ChangeKind, Tree};

/// Prints the change list, commits it unless `--dry-run`, then installs.
pub fn finish(tree: Tree, outcome: Outcome, common: &CommonArgs, prefix: &str) -> Result<ExitCode> {
    if common.format == OutputFormat::Json {
        println!("{}", plan_json(&tree, &outcome, common, prefix));
        if common.dry_run {
            return Ok(ExitCode::SUCCESS);
        }
        let root = tree.root().to_path_buf();
        if !tree.commit()?.is_empty() && !common.skip_install {
            for install in &outcome.installs {
                run_install(&root, install)?;
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
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

/// The plan as one JSON document (`--format json`): every change with its path (under
/// `prefix`), kind (`create`, `update`), mode and content (UTF-8 text, else base64), the
/// installs a real run makes (none with `--skip-install`, see [`install_json`]) and the
/// next steps.
fn plan_json(tree: &Tree, outcome: &Outcome, common: &CommonArgs, prefix: &str) -> Value {
    let changes: Vec<Value> = tree
        .staged_files()
        .map(|file| {
            let path = if prefix.is_empty() {
                file.path.to_string()
            } else {
                format!("{}/{}", prefix.trim_end_matches('/'), file.path)
            };
            let (encoding, content) = match std::str::from_utf8(file.content) {
                Ok(text) => ("utf-8", text.to_string()),
                Err(_) => (
                    "base64",
                    base64::engine::general_purpose::STANDARD.encode(file.content),
                ),
            };
            json!({
                "path": path,
                "kind": match file.kind {
                    ChangeKind::Create => "create",
                    ChangeKind::Update => "update",
                },
                "mode": if file.executable { "0755" } else { "0644" },
                "encoding": encoding,
                "content": content,
            })
        })
        .collect();
    let installs: Vec<Value> = if common.skip_install {
        Vec::new()
    } else {
        outcome.installs.iter().map(install_json).collect()
    };
    json!({
        "dryRun": common.dry_run,
        "changes": changes,
        "installs": installs,
        "nextSteps": outcome.next_steps,
    })
}

/// One install as JSON: the command line to show, its words to spawn without a shell,
/// what to run when its program is missing, and how to get that program otherwise.
fn install_json(install: &Install) -> Value {
    json!({
        "command": install.display(),
        "argv": std::iter::once(&install.program).chain(&install.args).collect::<Vec<_>>(),
        "fallback": install.fallback.as_deref().map(install_json),
        "hint": install.hint,
    })
}

/// Runs one install command in `root` with a spinner; its output is shown only
/// on failure. A program missing from `PATH` runs its fallback, or fails with a hint.
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
            if let Some(fallback) = &install.fallback {
                eprintln!(
                    "`{}` is not on PATH: running `{}` instead",
                    install.program,
                    fallback.display()
                );
                run_install(root, fallback)?;
                eprintln!(
                    "hint: get {0} with `corepack enable {0}` or `npm install --global {0}`; until then run Nx as `npx nx`",
                    install.program
                );
                return Ok(());
            }
            let hint = install
                .hint
                .map(|hint| format!("\nhint: {hint}"))
                .unwrap_or_default();
            bail!(
                "`{}` is not installed or not on PATH{hint}",
                install.program
            )
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
