//! The PyPI wheel that `scripts/package.sh` builds: installed with pip into a fresh
//! virtual environment and run there, and run with `uvx --from <wheel>`, with no other
//! fastgen on PATH.

mod common;

use std::fs;
use std::path::Path;

use common::run;

#[test]
fn the_wheel_installs_with_pip_and_runs_with_uvx() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    run(repo, "bash", &["scripts/package.sh"], &[]);
    let wheel = fs::read_dir(repo.join("dist/pkg"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.extension().is_some_and(|ext| ext == "whl"))
        .expect("scripts/package.sh builds a wheel into dist/pkg");
    let name = wheel.file_name().unwrap().to_str().unwrap();
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        name.starts_with(&format!("fastgen-{version}-py3-none-")),
        "binary-only, with Cargo.toml's version: {name}"
    );

    let dir = tempfile::tempdir().unwrap();
    let venv = dir.path().join("venv");
    run(
        dir.path(),
        "python3",
        &["-m", "venv", venv.to_str().unwrap()],
        &[],
    );
    let pip = venv.join("bin/pip");
    run(
        dir.path(),
        pip.to_str().unwrap(),
        &["install", "--quiet", "--no-index", wheel.to_str().unwrap()],
        &[],
    );
    let fastgen = venv.join("bin/fastgen");
    let shown = run(dir.path(), fastgen.to_str().unwrap(), &["--version"], &[]);
    assert_eq!(shown.trim(), format!("fastgen {version}"));
    // The templates travel inside the binary.
    run(
        dir.path(),
        fastgen.to_str().unwrap(),
        &["new", "demo", "--skip-install"],
        &[],
    );
    assert!(dir.path().join("demo/nx.json").is_file());

    let shown = run(
        dir.path(),
        "uv",
        &[
            "tool",
            "run",
            "--from",
            wheel.to_str().unwrap(),
            "fastgen",
            "--version",
        ],
        &[],
    );
    assert_eq!(shown.trim(), format!("fastgen {version}"));
}
