//! A Terraform validator for the generated modules, without a cloud account and
//! without downloading a provider (used by `tests/terraform.rs`):
//!
//! - [`Module`] parses the `.tf` files of a directory with hcl-rs, and
//!   [`check_python_hcl2`] checks python-hcl2 sees the same blocks;
//! - [`check_references`] resolves every reference inside its module (`var.`,
//!   `local.`, `module.M.O`, `data.T.N`, `T.N`, also inside string templates),
//!   reports unused variables and locals, and checks every `module` call against
//!   the called module's variables;
//! - [`check_schema`] checks every resource, data source and provider block
//!   against the AWS provider's schema (the jsii assembly of `@cdktf/provider-aws`,
//!   fetched with `npm pack`), for every provider version the module admits;
//! - [`resolve_path`] evaluates a path argument the way Terraform would.
//!
//! [`check_references`] and [`check_schema`] return their defects as messages
//! (`file: block: problem`) rather than failing, so that a test can report them
//! all at once, and so that `the_checks_find_known_defects` can prove they find
//! planted defects; the other functions fail the test on what they cannot handle.

mod eval;
mod references;
mod schema;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use hcl::expr::Expression;
use hcl::structure::{Block, BlockLabel, Body};

use crate::common::run;

pub use eval::{normalize, resolve_path};
pub use references::{ModuleLoader, check_references};
pub use schema::{check_schema, satisfies};

/// A Terraform module: the `.tf` files of one directory, parsed by hcl-rs.
pub struct Module {
    /// The module's directory.
    pub dir: PathBuf,
    /// Each `.tf` file of the directory, sorted by path, with its parsed body.
    pub files: Vec<(PathBuf, Body)>,
}

impl Module {
    /// Parses every `.tf` file of `dir`, failing the test on a parse error.
    pub fn load(dir: &Path) -> Module {
        let mut paths: Vec<PathBuf> = fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "tf"))
            .collect();
        paths.sort();
        let files = paths
            .into_iter()
            .map(|path| {
                let text = fs::read_to_string(&path).unwrap();
                let body = hcl::parse(&text)
                    .unwrap_or_else(|e| panic!("hcl-rs cannot parse {}: {e}", path.display()));
                (path, body)
            })
            .collect();
        Module {
            dir: dir.to_path_buf(),
            files,
        }
    }

    /// Every top-level block with the file it is in.
    pub fn blocks(&self) -> impl Iterator<Item = (&Path, &Block)> {
        self.files
            .iter()
            .flat_map(|(path, body)| body.blocks().map(move |b| (path.as_path(), b)))
    }
}

/// Every directory below `root` (itself included) that holds `.tf` files.
pub fn modules_under(root: &Path) -> Vec<Module> {
    let mut modules = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let mut has_tf = false;
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy();
            if path.is_dir() && !name.starts_with('.') && name != "node_modules" {
                dirs.push(path);
            } else if name.ends_with(".tf") {
                has_tf = true;
            }
        }
        if has_tf {
            modules.push(Module::load(&dir));
        }
    }
    modules.sort_by(|a, b| a.dir.cmp(&b.dir));
    modules
}

/// The string value of a block's label at `index` (`""` when it has none).
pub fn label(block: &Block, index: usize) -> &str {
    match block.labels().get(index) {
        Some(BlockLabel::String(s)) => s,
        Some(BlockLabel::Identifier(i)) => i.as_str(),
        None => "",
    }
}

/// The top-level addresses of a body, in the form the python-hcl2 script prints.
fn addresses(body: &Body) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for block in body.blocks() {
        let kind = block.identifier();
        match kind {
            "locals" => out.extend(body_attr_names(block.body()).map(|n| format!("local.{n}"))),
            "terraform" => {
                out.insert("terraform".into());
            }
            _ => {
                let labels: Vec<&str> =
                    (0..block.labels().len()).map(|i| label(block, i)).collect();
                out.insert(format!("{kind}.{}", labels.join(".")));
            }
        }
    }
    out
}

fn body_attr_names(body: &Body) -> impl Iterator<Item = &str> {
    body.attributes().map(|a| a.key.as_str())
}

/// Parses every file with python-hcl2 too (through `uv run`), and checks it sees
/// the same top-level blocks as hcl-rs; fails the test when they disagree.
pub fn check_python_hcl2(modules: &[Module]) {
    const SCRIPT: &str = r#"
import json, sys
import hcl2

def unquote(s):
    return s[1:-1] if s.startswith('"') and s.endswith('"') else s

result = {}
for path in sys.argv[1:]:
    with open(path) as f:
        try:
            doc = hcl2.load(f)
        except Exception as err:
            print(f"PARSE ERROR {path}: {err}", file=sys.stderr)
            sys.exit(1)
    def names(d):
        # python-hcl2 adds keys such as __is_block__ and __comments__
        return [k for k in d if not k.startswith("__")]
    found = []
    for kind in names(doc):
        for block in doc[kind]:
            if kind == "locals":
                found += ["local." + k for k in names(block)]
            elif kind == "terraform":
                found.append("terraform")
            elif kind in ("resource", "data"):
                for t in names(block):
                    for n in names(block[t]):
                        found.append(f"{kind}.{unquote(t)}.{unquote(n)}")
            else:
                for n in names(block):
                    found.append(f"{kind}.{unquote(n)}")
    result[path] = sorted(found)
print(json.dumps(result))
"#;
    let paths: Vec<String> = modules
        .iter()
        .flat_map(|m| {
            m.files
                .iter()
                .map(|(p, _)| p.to_string_lossy().into_owned())
        })
        .collect();
    let mut args = vec![
        "run",
        "--no-project",
        "--with",
        "python-hcl2>=8,<9",
        "python",
        "-c",
        SCRIPT,
    ];
    args.extend(paths.iter().map(String::as_str));
    let out = run(Path::new("/"), "uv", &args, &[]);
    let seen: BTreeMap<String, BTreeSet<String>> = serde_json::from_str(&out).unwrap();
    for module in modules {
        for (path, body) in &module.files {
            let ours = addresses(body);
            let theirs = &seen[&*path.to_string_lossy()];
            assert_eq!(
                &ours,
                theirs,
                "hcl-rs and python-hcl2 disagree on the blocks of {}",
                path.display()
            );
        }
    }
}

/// `file: kind "label" "label"`, for messages.
fn place(module: &Module, path: &Path, block: &Block) -> String {
    let labels: Vec<String> = (0..block.labels().len())
        .map(|i| format!("\"{}\"", label(block, i)))
        .collect();
    let address = std::iter::once(block.identifier().to_string())
        .chain(labels)
        .collect::<Vec<_>>()
        .join(" ");
    format!(
        "{}/{}: {address}",
        shown(&module.dir),
        path.file_name().unwrap().to_string_lossy(),
    )
}

/// A path from its `packages/` component on, for messages.
fn shown(dir: &Path) -> String {
    let parts: Vec<_> = dir.components().collect();
    let start = parts
        .iter()
        .position(|c| c.as_os_str() == "packages")
        .unwrap_or(0);
    parts[start..]
        .iter()
        .collect::<PathBuf>()
        .display()
        .to_string()
}

/// The value of an attribute that is a plain string (or a template, as written).
pub fn string_attr(body: &Body, key: &str) -> Option<String> {
    body.attributes()
        .find(|a| a.key.as_str() == key)
        .and_then(|a| match &a.expr {
            Expression::String(s) => Some(s.clone()),
            Expression::TemplateExpr(t) => Some(t.to_string()),
            _ => None,
        })
}
