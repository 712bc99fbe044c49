//! Evaluating the path expressions of a module, as Terraform would.

use std::path::{Path, PathBuf};

use hcl::expr::{Expression, TraversalOperator};
use hcl::structure::Body;
use hcl::template::{Element, Template};

use super::{Module, label, string_attr};

/// Resolves a path argument of the app module the way Terraform would when it is
/// called from the root module: `${path.module}`, `${path.root}`, `${path.cwd}`,
/// `${local.x}`, and `${var.x}` with the value the root module passes or the default.
/// `root` is the root module's directory (Terraform's working directory).
pub fn resolve_path(root: &Path, app: &Module, body: &Body, key: &str) -> PathBuf {
    let attr = body
        .attributes()
        .find(|a| a.key.as_str() == key)
        .unwrap_or_else(|| panic!("archive_file has no {key}"));
    PathBuf::from(evaluate_string(app, &attr.expr, root))
}

/// The string an expression evaluates to in `app`, called from the root module in `root`.
fn evaluate_string(app: &Module, expr: &Expression, root: &Path) -> String {
    match expr {
        Expression::String(s) => s.clone(),
        Expression::TemplateExpr(t) => {
            let template = Template::from_expr(t).unwrap();
            template
                .elements()
                .iter()
                .map(|e| match e {
                    Element::Literal(l) => l.clone(),
                    Element::Interpolation(i) => evaluate_string(app, &i.expr, root),
                    Element::Directive(_) => panic!("a directive in a path: {t}"),
                })
                .collect()
        }
        Expression::Traversal(t) => {
            let Expression::Variable(v) = &t.expr else {
                panic!("cannot evaluate {expr}")
            };
            let attr = match t.operators.first() {
                Some(TraversalOperator::GetAttr(a)) => a.to_string(),
                _ => panic!("cannot evaluate {expr}"),
            };
            match (v.as_str(), attr.as_str()) {
                ("path", "module") => app.dir.to_string_lossy().into_owned(),
                ("path", "root") | ("path", "cwd") => root.to_string_lossy().into_owned(),
                ("var", name) => variable_value(app, name, root),
                ("local", name) => {
                    let value = app
                        .blocks()
                        .filter(|(_, b)| b.identifier() == "locals")
                        .find_map(|(_, b)| b.body().attributes().find(|a| a.key.as_str() == name))
                        .unwrap_or_else(|| panic!("no local.{name}"));
                    evaluate_string(app, &value.expr, root)
                }
                _ => panic!("cannot evaluate {expr}"),
            }
        }
        Expression::FuncCall(call) if call.name.name.as_str() == "abspath" => {
            evaluate_string(app, &call.args[0], root)
        }
        _ => panic!("cannot evaluate {expr}"),
    }
}

/// The value of the app module's variable: what the root module passes, else its default.
fn variable_value(app: &Module, name: &str, root: &Path) -> String {
    let infra = Module::load(root);
    for (_, block) in infra.blocks() {
        if block.identifier() != "module" {
            continue;
        }
        let source = string_attr(block.body(), "source").unwrap_or_default();
        if normalize(&root.join(&source)) != normalize(&app.dir) {
            continue;
        }
        if let Some(attr) = block.body().attributes().find(|a| a.key.as_str() == name) {
            // Evaluated in the root module: path.module is packages/infra.
            let root_module = Module {
                dir: root.to_path_buf(),
                files: Vec::new(),
            };
            return evaluate_string(&root_module, &attr.expr, root);
        }
    }
    for (_, block) in app.blocks() {
        if block.identifier() == "variable"
            && label(block, 0) == name
            && let Some(attr) = block
                .body()
                .attributes()
                .find(|a| a.key.as_str() == "default")
        {
            return evaluate_string(app, &attr.expr, root);
        }
    }
    panic!("var.{name} has no value")
}

/// A path with `.` and `..` resolved lexically (the directories may not exist yet).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
