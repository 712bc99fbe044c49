//! The npm packages that `scripts/package.sh` builds, installed from their tarballs into
//! a workspace with no fastgen on PATH: `@fastgen/nx` lists its generators, plans through
//! `nx g --dry-run` without writing, writes the same files as the CLI for the same
//! options, reports fastgen's own error for a bad name, changes nothing when re-run, and
//! installs what it wrote so that `nx run-many -t build` passes.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::{fastgen, run, snapshot_dir};

/// The workspace's own files: everything but installed packages and caches.
fn sources(ws: &Path) -> BTreeMap<String, (Vec<u8>, u32)> {
    let mut files = BTreeMap::new();
    for entry in fs::read_dir(ws).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if matches!(name.as_str(), "node_modules" | ".nx" | ".venv" | "dist") {
            continue;
        }
        if path.is_dir() {
            for (key, value) in snapshot_dir(&path) {
                files.insert(format!("{name}/{key}"), value);
            }
        } else {
            files.insert(name, (fs::read(&path).unwrap(), 0));
        }
    }
    files
}

/// Runs `npx nx <args>` in `ws` without the Nx daemon; returns its exit code and output.
fn nx(ws: &Path, args: &[&str]) -> (i32, String) {
    let output = std::process::Command::new("npx")
        .arg("nx")
        .args(args)
        .current_dir(ws)
        .env("NX_DAEMON", "false")
        .env("NX_NO_CLOUD", "true")
        .env("NO_COLOR", "1")
        .env("FORCE_COLOR", "0")
        .output()
        .unwrap();
    common::status_and_text(&output)
}

#[test]
fn the_nx_plugin_drives_fastgen() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    run(repo, "bash", &["scripts/package.sh"], &[]);
    let tarballs: Vec<PathBuf> = fs::read_dir(repo.join("dist/pkg"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "tgz"))
        .collect();
    assert_eq!(
        tarballs.len(),
        3,
        "@fastgen/cli, its linux-x64-gnu package, @fastgen/nx"
    );

    let dir = tempfile::tempdir().unwrap();
    let created = fastgen(
        dir.path(),
        &[
            "new",
            "demo",
            "--package-manager",
            "npm",
            "--nx-plugin",
            "--skip-install",
        ],
    );
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let ws = dir.path().join("demo");
    // `--nx-plugin` depends on @fastgen/nx at fastgen's version; until it is published,
    // the tarballs stand in for the registry.
    let package: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(ws.join("package.json")).unwrap()).unwrap();
    assert_eq!(
        package["devDependencies"]["@fastgen/nx"],
        env!("CARGO_PKG_VERSION")
    );
    let mut install = vec!["install", "--save-dev", "--no-audit", "--no-fund"];
    install.extend(tarballs.iter().map(|t| t.to_str().unwrap()));
    run(&ws, "npm", &install, &[]);

    // The schemas are fastgen's own options: every option, type, choice and default.
    let list = fastgen(dir.path(), &["list", "--json"]);
    let options: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    for (generator, file) in [
        ("py#api", "py-api"),
        ("py#fast-api", "py-fast-api"),
        ("ts#infra", "ts-infra"),
    ] {
        let path = ws.join(format!("node_modules/@fastgen/nx/schemas/{file}.json"));
        let schema: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        let ours = options[generator]["properties"].as_object().unwrap();
        let theirs = schema["properties"].as_object().unwrap();
        for (key, option) in ours {
            for field in ["type", "enum"] {
                assert_eq!(
                    theirs[key].get(field),
                    option.get(field),
                    "{generator} {key} {field}"
                );
            }
            // fastgen resolves the defaults (some from the workspace): the form names them.
            assert!(theirs[key].get("default").is_none(), "{generator} {key}");
            let description = theirs[key]["description"].as_str().unwrap();
            assert!(
                description.starts_with(option["description"].as_str().unwrap()),
                "{generator} {key}: {description}"
            );
            if let Some(default) = option.get("default").filter(|d| **d != false) {
                let shown = default.as_str().map_or(default.to_string(), String::from);
                assert!(
                    description.ends_with(&format!("(default: {shown})")),
                    "{generator} {key}: {description}"
                );
            }
        }
        let extra: Vec<&String> = theirs.keys().filter(|k| !ours.contains_key(*k)).collect();
        assert_eq!(extra, ["skipInstall"], "{generator}");
    }
    let api =
        fs::read_to_string(ws.join("node_modules/@fastgen/nx/schemas/py-fast-api.json")).unwrap();
    let api: serde_json::Value = serde_json::from_str(&api).unwrap();
    assert_eq!(api["properties"]["name"]["$default"]["$source"], "argv");
    assert!(api["properties"]["name"]["x-prompt"].is_string());
    assert_eq!(api["properties"]["computeType"]["x-priority"], "important");

    let (code, listed) = nx(&ws, &["list", "@fastgen/nx"]);
    assert_eq!(code, 0, "{listed}");
    assert!(
        ["py#api", "py#fast-api", "ts#infra"]
            .iter()
            .all(|generator| listed.contains(generator)),
        "{listed}"
    );

    let generate = [
        "g",
        "@fastgen/nx:py#fast-api",
        "MyApi",
        "--auth",
        "Cognito",
        "--no-interactive",
    ];
    let before = sources(&ws);
    let (code, planned) = nx(&ws, &[&generate[..], &["--dry-run"]].concat());
    assert_eq!(code, 0, "{planned}");
    assert!(
        planned.contains("CREATE packages/my_api/my_api/main.py"),
        "{planned}"
    );
    assert!(planned.contains("UPDATE pyproject.toml"), "{planned}");
    assert_eq!(sources(&ws), before, "nx g --dry-run writes nothing");

    // The same options through the CLI, in a copy of the workspace, by the shim.
    let copy = dir.path().join("copy");
    run(
        dir.path(),
        "cp",
        &["-a", ws.to_str().unwrap(), copy.to_str().unwrap()],
        &[],
    );
    let shim = copy.join("node_modules/@fastgen/cli/bin/fastgen.js");
    run(
        &copy,
        "node",
        &[
            shim.to_str().unwrap(),
            "g",
            "py#fast-api",
            "MyApi",
            "--auth",
            "Cognito",
            "--no-interactive",
            "--skip-install",
        ],
        &[],
    );
    let (code, written) = nx(&ws, &[&generate[..], &["--skipInstall"]].concat());
    assert_eq!(code, 0, "{written}");
    let (through_nx, through_cli) = (sources(&ws), sources(&copy));
    assert!(through_nx.contains_key("packages/my_api/my_api/main.py"));
    let differing: Vec<&String> = through_nx
        .keys()
        .chain(through_cli.keys())
        .filter(|key| through_nx.get(*key) != through_cli.get(*key))
        .collect();
    assert!(
        differing.is_empty(),
        "nx g and fastgen g differ in {differing:?}"
    );

    let after = sources(&ws);
    let (code, again) = nx(&ws, &[&generate[..], &["--skipInstall"]].concat());
    assert_eq!(code, 0, "{again}");
    assert_eq!(sources(&ws), after, "a re-run changes nothing");

    let (code, refused) = nx(
        &ws,
        &["g", "@fastgen/nx:py#fast-api", "my/api", "--no-interactive"],
    );
    assert_ne!(code, 0);
    assert!(
        refused.contains("cannot be part of a Python module name"),
        "fastgen's own message: {refused}"
    );
    assert_eq!(sources(&ws), after, "a refused run changes nothing");

    // A run without --skipInstall installs in Nx's callback, without a shell: uv sync here
    // (package.json is unchanged). npm install is the user's step that --skipInstall left.
    let (code, installed) = nx(
        &ws,
        &[
            "g",
            "@fastgen/nx:py#api",
            "Orders",
            "--framework",
            "fastapi",
            "--iac",
            "inherit",
            "--no-interactive",
        ],
    );
    assert_eq!(code, 0, "{installed}");
    assert!(
        ws.join(".venv/lib").is_dir()
            && fs::read_to_string(ws.join("uv.lock"))
                .unwrap()
                .contains("name = \"orders\""),
        "uv sync ran: {installed}"
    );
    run(&ws, "npm", &["install", "--no-audit", "--no-fund"], &[]);
    // my_api, orders, common-constructs and infra (whose build synthesizes and scans).
    let (code, built) = nx(&ws, &["run-many", "-t", "build", "--output-style=stream"]);
    assert_eq!(code, 0, "{built}");
    assert!(
        built.contains("Successfully ran target build for 4 projects"),
        "{built}"
    );
}
