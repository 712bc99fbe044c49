//! The end of every run: the CREATE/UPDATE change list, the commit, the
//! installs (with a spinner), and the next steps.

use std::env;
use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::process::{Command as Process, ExitCode, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::args::CommonArgs;
use crate::generators::{Install, Outcome};
use crate::tree::Tree;

/// Prints the change list, commits it unless `--dry-run`, then installs.
pub fn finish(tree: Tree, outcome: Outcome, common: &CommonArgs, prefix: &str) -> Result<ExitCode> {
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
