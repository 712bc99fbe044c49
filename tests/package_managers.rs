//! The paths users take: pnpm (the default), npm, Yarn and Bun at their latest
//! releases, each installed by the test into a temp prefix, then `fastgen new`,
//! `fastgen g py#fast-api`, `nx run-many -t build` and `nx run infra:synth`; and
//! the README's first command on a fresh machine's PATH, with no uv and no pnpm.

mod common;

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

use common::{fastgen_with_env, run};

/// The environment every run gets: a build server's (`CI=true`, where pnpm and
/// Yarn refuse to change a lockfile unless told to), no Nx daemon, cloud or
/// cache, no CDK nag.
fn nx_env() -> Vec<(String, String)> {
    [
        ("CI", "true"),
        ("NX_DAEMON", "false"),
        ("NX_NO_CLOUD", "true"),
        ("NX_SKIP_NX_CACHE", "true"),
        ("CDK_DISABLE_VERSION_CHECK", "1"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// `PATH` without the directories that hold any of `programs`.
fn path_without(programs: &[&str]) -> String {
    let path = env::var("PATH").unwrap_or_default();
    env::split_paths(&path)
        .filter(|dir| !programs.iter().any(|p| dir.join(p).exists()))
        .map(|dir| dir.display().to_string())
        .collect::<Vec<_>>()
        .join(":")
}

/// Installs `package` at its latest release into `prefix` with npm; returns its `.bin`.
fn install_latest(prefix: &Path, package: &str) -> PathBuf {
    run(
        Path::new("."),
        "npm",
        &[
            "install",
            "--no-audit",
            "--no-fund",
            "--prefix",
            prefix.to_str().unwrap(),
            &format!("{package}@latest"),
        ],
        &[],
    );
    prefix.join("node_modules/.bin")
}

/// Builds and synthesizes a workspace generated and installed with `pm`, the
/// package manager's latest release first on a `PATH` that has no other.
fn build_with(pm: &str, package: &str) {
    let tools = tempfile::tempdir().unwrap();
    let bin = install_latest(tools.path(), package);
    let path = format!(
        "{}:{}",
        bin.display(),
        path_without(&["pnpm", "yarn", "bun"])
    );
    let mut env = nx_env();
    env.push(("PATH".into(), path));
    if pm == "pnpm" {
        // A pnpm newer than the workspace's pin switches to the pinned release, and to
        // do so resolves that release's binary for every platform. This machine's
        // registry serves only some platforms' older binaries, so the switch fails
        // here (it works against the public registry): let the latest pnpm install.
        env.push((
            "npm_config_manage_package_manager_versions".into(),
            "false".into(),
        ));
    }

    let dir = tempfile::tempdir().unwrap();
    let out = fastgen_with_env(dir.path(), &["new", "demo", "--package-manager", pm], &env);
    assert!(
        out.status.success(),
        "{pm}: new: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ws = dir.path().join("demo");
    let out = fastgen_with_env(&ws, &["g", "py#fast-api", "MyApi"], &env);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{pm}: g: {stderr}");
    assert!(
        !stderr.contains("is not on PATH"),
        "{pm} was found: {stderr}"
    );

    let built = run(
        &ws,
        "npx",
        &["nx", "run-many", "-t", "build", "--outputStyle=static"],
        &env,
    );
    for task in ["my_api:build", "common-constructs:build", "infra:build"] {
        assert!(built.contains(task), "{pm}: nx ran {task}:\n{built}");
    }
    run(
        &ws,
        "npx",
        &["nx", "run", "infra:synth", "--outputStyle=static"],
        &env,
    );
    assert!(
        ws.join("dist/packages/infra/cdk.out/demo-infra.template.json")
            .is_file(),
        "{pm}: synth wrote the template"
    );
}

#[test]
fn pnpm_the_default() {
    build_with("pnpm", "pnpm");
}

#[test]
fn npm() {
    build_with("npm", "npm");
}

#[test]
fn yarn() {
    build_with("yarn", "@yarnpkg/cli-dist");
}

#[test]
fn bun() {
    build_with("bun", "bun");
}

/// The README's first command, as a user on a fresh machine runs it: no uv and
/// no pnpm on `PATH`, only what Node and Python bring. It installs fastgen with
/// `cargo install` from this checkout, generates `demo` and builds it.
#[test]
fn the_readme_command_on_a_fresh_machine() {
    let readme = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme
        .split("## Generate a working workspace")
        .nth(1)
        .expect("the README has its Generate section");
    let command = section
        .split("```sh\n")
        .nth(1)
        .and_then(|block| block.split("\n```").next())
        .expect("the section opens with a sh block");
    assert!(
        command.contains("cargo install --locked --path ."),
        "{command}"
    );
    let command = command.replace(
        "--path .",
        &format!("--path {}", env!("CARGO_MANIFEST_DIR")),
    );

    let home = tempfile::tempdir().unwrap();
    let cargo_root = home.path().join("cargo");
    let path = format!(
        "{}:{}",
        cargo_root.join("bin").display(),
        path_without(&["uv", "pnpm", "yarn", "bun"])
    );
    let mut env = nx_env();
    env.extend([
        ("PATH".to_string(), path),
        ("HOME".to_string(), home.path().display().to_string()),
        (
            "CARGO_INSTALL_ROOT".to_string(),
            cargo_root.display().to_string(),
        ),
        // Keep the real caches: the point is the PATH, not a cold download.
        (
            "CARGO_TARGET_DIR".to_string(),
            concat!(env!("CARGO_TARGET_TMPDIR"), "/readme-install").to_string(),
        ),
        ("CARGO_HOME".to_string(), cargo_home()),
        (
            "RUSTUP_HOME".to_string(),
            home_dir(".rustup", "RUSTUP_HOME"),
        ),
        ("PYENV_ROOT".to_string(), home_dir(".pyenv", "PYENV_ROOT")),
        ("npm_config_cache".to_string(), npm_cache()),
        ("UV_CACHE_DIR".to_string(), uv_cache()),
        // pnpm's store and metadata cache, and pip's cache, live under these (so would
        // uv's own Pythons, which the tests never download): a warm cache, a fresh PATH.
        (
            "XDG_DATA_HOME".to_string(),
            home_dir(".local/share", "XDG_DATA_HOME"),
        ),
        (
            "XDG_CACHE_HOME".to_string(),
            home_dir(".cache", "XDG_CACHE_HOME"),
        ),
    ]);
    let work = tempfile::tempdir().unwrap();
    let out = run(
        work.path(),
        "sh",
        &["-c", &format!("set -e\n{command}")],
        &env,
    );
    assert!(out.contains("my_api:build"), "nx built the API:\n{out}");
    assert!(
        work.path()
            .join("demo/dist/packages/my_api/bundle")
            .is_dir()
    );
}

/// `$var`, else `~/<folder>` of the real home.
fn home_dir(folder: &str, var: &str) -> String {
    env::var(var).unwrap_or_else(|_| format!("{}/{folder}", env::var("HOME").unwrap()))
}

fn cargo_home() -> String {
    env::var("CARGO_HOME").unwrap_or_else(|_| format!("{}/.cargo", env::var("HOME").unwrap()))
}

fn npm_cache() -> String {
    format!("{}/.npm", env::var("HOME").unwrap())
}

fn uv_cache() -> String {
    env::var("UV_CACHE_DIR").unwrap_or_else(|_| format!("{}/.cache/uv", env::var("HOME").unwrap()))
}
