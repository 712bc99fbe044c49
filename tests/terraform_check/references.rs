//! References, module calls and outputs: every name a module uses is declared,
//! every declared variable and local is used, and every `module` call fits the
//! module it calls.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use hcl::expr::{Expression, ObjectKey, TemplateExpr, TraversalOperator};
use hcl::structure::{Block, Body};
use hcl::template::{Directive, Element, Template};

use super::{Module, body_attr_names, label, place, shown, string_attr};

/// What one module declares.
#[derive(Default)]
pub struct Declarations {
    /// Variable name → whether it has a default.
    pub variables: BTreeMap<String, bool>,
    /// The names of its locals.
    pub locals: BTreeSet<String>,
    /// The names of its outputs.
    pub outputs: BTreeSet<String>,
    /// Its resources, as (type, name).
    pub resources: BTreeSet<(String, String)>,
    /// Its data sources, as (type, name).
    pub data: BTreeSet<(String, String)>,
    /// Module call name → its `source`.
    pub modules: BTreeMap<String, String>,
}

impl Declarations {
    /// The declarations of `module`.
    pub fn of(module: &Module) -> Declarations {
        let mut d = Declarations::default();
        for (_, block) in module.blocks() {
            let body = block.body();
            match block.identifier() {
                "variable" => {
                    let has_default = body.attributes().any(|a| a.key.as_str() == "default");
                    d.variables.insert(label(block, 0).into(), has_default);
                }
                "locals" => d.locals.extend(body_attr_names(body).map(String::from)),
                "output" => {
                    d.outputs.insert(label(block, 0).into());
                }
                "resource" => {
                    d.resources
                        .insert((label(block, 0).into(), label(block, 1).into()));
                }
                "data" => {
                    d.data
                        .insert((label(block, 0).into(), label(block, 1).into()));
                }
                "module" => {
                    d.modules.insert(
                        label(block, 0).into(),
                        string_attr(body, "source").unwrap_or_default(),
                    );
                }
                _ => {}
            }
        }
        d
    }
}

/// Loads the declarations of called modules once each.
#[derive(Default)]
pub struct ModuleLoader {
    cache: HashMap<PathBuf, Declarations>,
}

impl ModuleLoader {
    /// The declarations of the module in `dir`, parsed on first use.
    pub fn declarations(&mut self, dir: &Path) -> &Declarations {
        let key = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        self.cache
            .entry(key.clone())
            .or_insert_with(|| Declarations::of(&Module::load(&key)))
    }
}

/// A reference found in an expression: its root name and the attribute names after it.
struct Reference {
    root: String,
    attrs: Vec<String>,
    /// `file: block address`, for messages.
    place: String,
}

/// Collects the references of expressions, leaving out names bound by `for` expressions,
/// template `for` directives and `dynamic` block iterators.
struct Collector {
    place: String,
    bound: Vec<String>,
    found: Vec<Reference>,
}

impl Collector {
    fn expr(&mut self, expr: &Expression) {
        match expr {
            Expression::Variable(v) => self.reference(v.as_str(), &[]),
            Expression::Traversal(t) => {
                match &t.expr {
                    Expression::Variable(v) => self.reference(v.as_str(), &t.operators),
                    other => self.expr(other),
                }
                for op in &t.operators {
                    if let TraversalOperator::Index(index) = op {
                        self.expr(index);
                    }
                }
            }
            Expression::TemplateExpr(t) => self.template_expr(t),
            Expression::Array(items) => items.iter().for_each(|e| self.expr(e)),
            Expression::Object(object) => {
                for (key, value) in object {
                    if let ObjectKey::Expression(key) = key {
                        self.expr(key);
                    }
                    self.expr(value);
                }
            }
            Expression::FuncCall(call) => call.args.iter().for_each(|e| self.expr(e)),
            Expression::Parenthesis(inner) => self.expr(inner),
            Expression::Conditional(c) => {
                self.expr(&c.cond_expr);
                self.expr(&c.true_expr);
                self.expr(&c.false_expr);
            }
            Expression::Operation(op) => match op.as_ref() {
                hcl::expr::Operation::Unary(u) => self.expr(&u.expr),
                hcl::expr::Operation::Binary(b) => {
                    self.expr(&b.lhs_expr);
                    self.expr(&b.rhs_expr);
                }
            },
            Expression::ForExpr(f) => {
                self.expr(&f.collection_expr);
                let names: Vec<String> = f
                    .key_var
                    .iter()
                    .chain(std::iter::once(&f.value_var))
                    .map(|i| i.to_string())
                    .collect();
                self.with_bound(names, |c| {
                    if let Some(key) = &f.key_expr {
                        c.expr(key);
                    }
                    c.expr(&f.value_expr);
                    if let Some(cond) = &f.cond_expr {
                        c.expr(cond);
                    }
                });
            }
            _ => {}
        }
    }

    fn template_expr(&mut self, t: &TemplateExpr) {
        let template = Template::from_expr(t)
            .unwrap_or_else(|e| panic!("{}: bad template {t}: {e}", self.place));
        self.template(&template);
    }

    fn template(&mut self, template: &Template) {
        for element in template.elements() {
            match element {
                Element::Literal(_) => {}
                Element::Interpolation(i) => self.expr(&i.expr),
                Element::Directive(d) => match d.as_ref() {
                    Directive::If(d) => {
                        self.expr(&d.cond_expr);
                        self.template(&d.true_template);
                        if let Some(f) = &d.false_template {
                            self.template(f);
                        }
                    }
                    Directive::For(d) => {
                        self.expr(&d.collection_expr);
                        let names: Vec<String> = d
                            .key_var
                            .iter()
                            .chain(std::iter::once(&d.value_var))
                            .map(|i| i.to_string())
                            .collect();
                        self.with_bound(names, |c| c.template(&d.template));
                    }
                },
            }
        }
    }

    fn with_bound(&mut self, names: Vec<String>, f: impl FnOnce(&mut Self)) {
        let before = self.bound.len();
        self.bound.extend(names);
        f(self);
        self.bound.truncate(before);
    }

    fn reference(&mut self, root: &str, ops: &[TraversalOperator]) {
        if self.bound.iter().any(|b| b == root) {
            return;
        }
        let attrs = ops
            .iter()
            .map_while(|op| match op {
                TraversalOperator::GetAttr(name) => Some(name.to_string()),
                _ => None,
            })
            .collect();
        self.found.push(Reference {
            root: root.into(),
            attrs,
            place: self.place.clone(),
        });
    }

    /// The references of a resource, data, provider or nested block body: nested
    /// `dynamic` blocks bind their iterator; `lifecycle` holds attribute names.
    fn body(&mut self, body: &Body) {
        for attr in body.attributes() {
            self.expr(&attr.expr);
        }
        for block in body.blocks() {
            match block.identifier() {
                "lifecycle" => {
                    for attr in block.body().attributes() {
                        if attr.key.as_str() != "ignore_changes" {
                            self.expr(&attr.expr);
                        }
                    }
                    for inner in block.body().blocks() {
                        self.body(inner.body());
                    }
                }
                "dynamic" => {
                    let mut iterator = label(block, 0).to_string();
                    for attr in block.body().attributes() {
                        match attr.key.as_str() {
                            "iterator" => {
                                if let Expression::Variable(v) = &attr.expr {
                                    iterator = v.to_string();
                                }
                            }
                            _ => self.expr(&attr.expr),
                        }
                    }
                    for content in block.body().blocks() {
                        self.with_bound(vec![iterator.clone()], |c| c.body(content.body()));
                    }
                }
                _ => self.body(block.body()),
            }
        }
    }
}

/// Checks every reference of `module`, its module calls, and that every variable
/// and local is used; returns the defects found.
pub fn check_references(module: &Module, loader: &mut ModuleLoader) -> Vec<String> {
    let decl = Declarations::of(module);
    let mut defects = Vec::new();
    let mut found = Vec::new();
    for (path, block) in module.blocks() {
        let mut c = Collector {
            place: place(module, path, block),
            bound: Vec::new(),
            found: Vec::new(),
        };
        let body = block.body();
        let meta = |name: &str| body.attributes().any(|a| a.key.as_str() == name);
        match block.identifier() {
            "terraform" | "moved" | "import" | "removed" => {}
            "variable" => {
                for attr in body.attributes() {
                    if attr.key.as_str() != "type" {
                        c.expr(&attr.expr);
                    }
                }
                for inner in body.blocks() {
                    c.body(inner.body());
                }
            }
            "module" => {
                for attr in body.attributes() {
                    if !matches!(attr.key.as_str(), "source" | "version" | "providers") {
                        c.expr(&attr.expr);
                    }
                }
                defects.extend(check_module_call(module, block, &c.place, loader));
            }
            _ => c.body(body),
        }
        for r in &c.found {
            match r.root.as_str() {
                "each" if !meta("for_each") => {
                    defects.push(format!("{}: each.* without for_each", r.place));
                }
                "count" if !meta("count") => {
                    defects.push(format!("{}: count.* without count", r.place));
                }
                _ => {}
            }
        }
        found.extend(c.found);
    }

    let mut used_vars = BTreeSet::new();
    let mut used_locals = BTreeSet::new();
    for r in &found {
        let first = r.attrs.first().map(String::as_str).unwrap_or("");
        let second = r.attrs.get(1).map(String::as_str);
        let problem = match r.root.as_str() {
            "var" => {
                used_vars.insert(first.to_string());
                (!decl.variables.contains_key(first))
                    .then(|| format!("var.{first} is not declared"))
            }
            "local" => {
                used_locals.insert(first.to_string());
                (!decl.locals.contains(first)).then(|| format!("local.{first} is not declared"))
            }
            "module" => match decl.modules.get(first) {
                None => Some(format!("module.{first} is not declared")),
                Some(source) => second.and_then(|output| {
                    let dir = module.dir.join(source);
                    if !dir.is_dir() {
                        return None; // reported by check_module_call
                    }
                    let outputs = &loader.declarations(&dir).outputs;
                    (!outputs.contains(output)).then(|| {
                        format!("module.{first}.{output}: {source} has no output \"{output}\"")
                    })
                }),
            },
            "data" => {
                let key = (first.to_string(), second.unwrap_or("").to_string());
                (!decl.data.contains(&key))
                    .then(|| format!("data.{}.{} is not declared", key.0, key.1))
            }
            "path" | "terraform" | "each" | "count" | "self" => None,
            resource_type => {
                let key = (resource_type.to_string(), first.to_string());
                (!decl.resources.contains(&key))
                    .then(|| format!("{resource_type}.{first} is not a declared resource"))
            }
        };
        if let Some(problem) = problem {
            defects.push(format!("{}: {problem}", r.place));
        }
    }
    let dir = shown(&module.dir);
    for name in decl.variables.keys() {
        if !used_vars.contains(name) {
            defects.push(format!(
                "{dir}: variable \"{name}\" is declared but never used"
            ));
        }
    }
    for name in &decl.locals {
        if !used_locals.contains(name) {
            defects.push(format!("{dir}: local.{name} is declared but never used"));
        }
    }
    defects
}

/// A `module` call passes only variables its source declares, and every one without a default.
fn check_module_call(
    module: &Module,
    call: &Block,
    place: &str,
    loader: &mut ModuleLoader,
) -> Vec<String> {
    let Some(source) = string_attr(call.body(), "source") else {
        return vec![format!("{place}: no literal source")];
    };
    if !source.starts_with("./") && !source.starts_with("../") {
        return vec![format!("{place}: source {source} is not a local module")];
    }
    let dir = module.dir.join(&source);
    if !dir.is_dir() {
        return vec![format!("{place}: source {source} does not exist")];
    }
    let variables = &loader.declarations(&dir).variables;
    let mut defects = Vec::new();
    let passed: BTreeSet<&str> = call
        .body()
        .attributes()
        .map(|a| a.key.as_str())
        .filter(|k| {
            !matches!(
                *k,
                "source" | "version" | "providers" | "count" | "for_each" | "depends_on"
            )
        })
        .collect();
    for name in &passed {
        if !variables.contains_key(*name) {
            defects.push(format!("{place}: {source} has no variable \"{name}\""));
        }
    }
    for (name, has_default) in variables {
        if !has_default && !passed.contains(name.as_str()) {
            defects.push(format!(
                "{place}: required variable \"{name}\" is not passed"
            ));
        }
    }
    defects
}
