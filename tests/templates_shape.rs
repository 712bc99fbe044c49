//! The shape of `templates/`: each template keeps its variants few enough to read
//! (at most 8 `if`/`elif` tags; more means a partial or a table is due), and no
//! module of the generated Python app grows past 250 lines.

use std::fs;
use std::path::{Path, PathBuf};

const MAX_BRANCHES: usize = 8;
const MAX_APP_MODULE_LINES: usize = 250;

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn templates() -> (PathBuf, Vec<PathBuf>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut files = Vec::new();
    files_under(&root, &mut files);
    files.sort();
    (root, files)
}

/// The `{% if %}` and `{% elif %}` tags of a template (`{%-` included).
fn branches(text: &str) -> usize {
    text.match_indices("{%")
        .filter(|(at, _)| {
            let tag = text[at + 2..].trim_start_matches('-').trim_start();
            tag.starts_with("if ") || tag.starts_with("elif ")
        })
        .count()
}

/// The files whose `measure` is over `limit`, as `path (measure)` relative to `root`.
fn over_limit(
    root: &Path,
    files: &[&PathBuf],
    limit: usize,
    measure: impl Fn(&str) -> usize,
) -> Vec<String> {
    files
        .iter()
        .filter_map(|path| {
            let value = measure(&fs::read_to_string(path).ok()?);
            (value > limit)
                .then(|| format!("{} ({value})", path.strip_prefix(root).unwrap().display()))
        })
        .collect()
}

#[test]
fn branch_counting_sees_every_tag_form() {
    assert_eq!(
        branches("{% if a %}x{%- elif b %}y{% else %}z{% endif %}{%-if c %}"),
        3
    );
    assert_eq!(branches("{{ a if b else c }}{% for x in y if x %}"), 0);
}

#[test]
fn no_template_has_more_than_eight_branches() {
    let (root, files) = templates();
    let files: Vec<&PathBuf> = files.iter().collect();
    let over = over_limit(&root, &files, MAX_BRANCHES, branches);
    assert!(
        over.is_empty(),
        "templates with more than {MAX_BRANCHES} if/elif tags: {over:?}"
    );
}

#[test]
fn no_generated_app_module_is_over_250_lines() {
    let (root, files) = templates();
    let modules: Vec<&PathBuf> = files
        .iter()
        .filter(|path| {
            path.extension().is_some_and(|e| e == "py")
                && path.components().any(|c| c.as_os_str() == "__module__")
        })
        .collect();
    assert!(modules.len() >= 8, "found the app modules: {modules:?}");
    let over = over_limit(&root, &modules, MAX_APP_MODULE_LINES, |text| {
        text.lines().count()
    });
    assert!(
        over.is_empty(),
        "app modules over {MAX_APP_MODULE_LINES} lines: {over:?}"
    );
}
