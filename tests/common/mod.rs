//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// Runs the fastgen binary in `dir` with no terminal attached.
pub fn fastgen(dir: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("fastgen")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// A temp dir holding `demo/`, a workspace with `MyApi` generated with `extra` options.
pub fn workspace_with_api(extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let new = fastgen(dir.path(), &["new", "demo", "--skip-install"]);
    assert!(
        new.status.success(),
        "{}",
        String::from_utf8_lossy(&new.stderr)
    );
    let ws = dir.path().join("demo");
    let mut args = vec!["g", "py#fast-api", "MyApi", "--skip-install"];
    args.extend_from_slice(extra);
    let generate = fastgen(&ws, &args);
    assert!(
        generate.status.success(),
        "{}",
        String::from_utf8_lossy(&generate.stderr)
    );
    (dir, ws)
}

/// Every file below `root` with its bytes and mode, keyed by relative path.
pub fn snapshot_dir(root: &Path) -> BTreeMap<String, (Vec<u8>, u32)> {
    let mut files = BTreeMap::new();
    collect(root, root, &mut files);
    files
}

fn collect(root: &Path, dir: &Path, files: &mut BTreeMap<String, (Vec<u8>, u32)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(root, &path, files);
        } else {
            let relative = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(relative, (fs::read(&path).unwrap(), mode(&path)));
        }
    }
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode()
}

#[cfg(not(unix))]
fn mode(_path: &Path) -> u32 {
    0
}
