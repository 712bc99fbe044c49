//! The layering of `src/`: no module imports, directly or through others, a
//! module that imports it back, except a child using its ancestors.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// `src/a/b.rs` and `src/a/b/mod.rs` are module `a::b`; `src/lib.rs` is the root.
fn module_of(relative: &str) -> String {
    let trimmed = relative
        .trim_end_matches(".rs")
        .trim_end_matches("/mod")
        .replace('/', "::");
    if trimmed == "lib" || trimmed == "main" {
        String::new()
    } else {
        trimmed
    }
}

fn collect(dir: &Path, root: &Path, out: &mut BTreeMap<String, String>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path
                .strip_prefix(root)
                .unwrap()
                .to_str()
                .unwrap()
                .replace('\\', "/");
            out.insert(module_of(&relative), fs::read_to_string(&path).unwrap());
        }
    }
}

/// The modules each module names through `crate::…` or `super::…` paths
/// (outside its tests and comments), resolved to the longest known module.
fn edges(sources: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let modules: BTreeSet<&String> = sources.keys().collect();
    let mut graph = BTreeMap::new();
    for (module, text) in sources {
        // Code only: not the tests, and not comments (a doc link is no import).
        let code: String = text
            .split("#[cfg(test)]")
            .next()
            .unwrap()
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let code = code.as_str();
        let mut targets = BTreeSet::new();
        for (prefix, base) in [("crate::", String::new()), ("super::", parent(module))] {
            for (at, _) in code.match_indices(prefix) {
                let path: String = code[at + prefix.len()..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                    .collect();
                let mut target = String::new();
                let mut candidate = base.clone();
                for segment in path.split("::").filter(|s| !s.is_empty()) {
                    candidate = if candidate.is_empty() {
                        segment.to_string()
                    } else {
                        format!("{candidate}::{segment}")
                    };
                    if modules.contains(&candidate) {
                        target = candidate.clone();
                    }
                }
                if target.is_empty() {
                    target = base.clone();
                }
                if &target != module {
                    targets.insert(target);
                }
            }
        }
        graph.insert(module.clone(), targets);
    }
    graph
}

fn parent(module: &str) -> String {
    module
        .rsplit_once("::")
        .map(|(p, _)| p.to_string())
        .unwrap_or_default()
}

/// Whether `ancestor` is `module` or one of its ancestors (the crate root included).
fn is_ancestor(ancestor: &str, module: &str) -> bool {
    ancestor.is_empty() || module == ancestor || module.starts_with(&format!("{ancestor}::"))
}

#[test]
fn no_module_imports_in_a_circle() {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src"));
    let mut sources = BTreeMap::new();
    collect(root, root, &mut sources);
    let graph = edges(&sources);
    assert!(
        graph["generators::fast_api"].contains("plan"),
        "the parser sees `use crate::plan`"
    );

    // A child using its ancestors (re-exports, shared types) is allowed.
    let graph: BTreeMap<&String, Vec<&String>> = graph
        .iter()
        .map(|(m, targets)| (m, targets.iter().filter(|t| !is_ancestor(t, m)).collect()))
        .collect();
    let mut cycles = Vec::new();
    for start in graph.keys() {
        // Depth-first search for a path back to `start`.
        let mut stack = vec![(*start, vec![*start])];
        let mut seen = BTreeSet::new();
        while let Some((node, path)) = stack.pop() {
            for next in graph.get(node).into_iter().flatten() {
                if next == start {
                    let mut cycle: Vec<&str> = path.iter().map(|m| m.as_str()).collect();
                    cycle.push(next);
                    cycles.push(cycle.join(" -> "));
                } else if seen.insert(*next) {
                    let mut longer = path.clone();
                    longer.push(next);
                    stack.push((next, longer));
                }
            }
        }
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}
