//! Terraform: generate workspaces with `--iac terraform` and prove the modules are
//! right without a cloud account and without downloading a provider:
//!
//! 1. `terraform fmt -check` passes (Terraform must be on `PATH`: the test fails,
//!    never skips, when it is not);
//! 2. every `.tf` file parses with hcl-rs and with python-hcl2, and both parsers
//!    see the same blocks;
//! 3. every reference resolves inside its module (`var.`, `local.`, `module.M.O`,
//!    `data.T.N`, `T.N`, also inside string templates), every variable and local
//!    is used, every `module` call passes only declared variables and every
//!    required one, and the app modules have the outputs the seed reads; the
//!    seed's own example usages (`tests/fixtures/terraform/seed-usage.tf`) are
//!    checked the same way against the generated module;
//! 4. every resource, data source and provider block uses only arguments and
//!    nested blocks of the AWS provider's schema, and sets every required one
//!    (the schema is the jsii assembly of the `@cdktf/provider-aws` npm package);
//! 5. checkov finds nothing but the failures accepted below;
//! 6. (one REST and one HTTP combination) the Lambda bundle that `archive_file`
//!    points at is built, zipped the way `archive_file` zips it, and the handler
//!    named by `aws_lambda_function` answers an API Gateway event from the zip;
//!    (Function URL with IAM) `run.sh`, the handler the Lambda Web Adapter executes,
//!    is in the zip with an executable mode and serves the app, streaming included.
//!
//! Run with `bash scripts/test.sh --test terraform` (it puts uv on `PATH` and picks
//! Python 3.12).

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

use common::{
    call_bundled_handler, checkov, fastgen, run, run_status, run_target, workspace_with_api,
};
use hcl::expr::{Expression, ObjectKey, TemplateExpr, TraversalOperator};
use hcl::structure::{Block, BlockLabel, Body};
use hcl::template::{Directive, Element, Template};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Failed checkov checks we leave, each for a reason.
const ACCEPTED_CHECKOV_FAILURES: &[(&str, &str)] = &[
    (
        "CKV_AWS_115",
        "Lambda concurrency limit: the user's capacity decision",
    ),
    (
        "CKV_AWS_116",
        "Lambda dead-letter queue: meaningless for synchronous API calls",
    ),
    (
        "CKV_AWS_117",
        "Lambda in a VPC: opt-in through vpc_subnet_ids / vpc_security_group_ids",
    ),
    (
        "CKV_AWS_173",
        "environment variables with a customer KMS key: they hold no secrets",
    ),
    (
        "CKV_AWS_158",
        "log groups with a customer KMS key: needs a key the user owns",
    ),
    (
        "CKV_AWS_272",
        "Lambda code signing: needs a signing profile the user owns",
    ),
    (
        "CKV_AWS_120",
        "REST stage caching: the wrong default for a dynamic API",
    ),
    (
        "CKV_AWS_59",
        "methods without authorization: only with auth None, by choice",
    ),
    (
        "CKV_AWS_309",
        "HTTP API routes without authorization: only with auth None, by choice",
    ),
    (
        "CKV_AWS_225",
        "REST method caching: the wrong default for a dynamic API",
    ),
    (
        "CKV_AWS_338",
        "log retention under a year: 30 days is a cost default; log_retention_in_days sets it",
    ),
    (
        "CKV2_AWS_51",
        "client certificates: they authenticate API Gateway to HTTP backends, not to Lambda",
    ),
    (
        "CKV2_AWS_29",
        "WAF: needs a web ACL the user owns (aws_wafv2_web_acl_association on the stage)",
    ),
    (
        "CKV2_AWS_53",
        "request validation: FastAPI validates requests behind the proxy route",
    ),
    (
        "CKV2_AWS_75",
        "Function URL CORS open to any origin: the default of cors_allow_origins, as for the API Gateway modules; users set their origins",
    ),
];

const COMMON_TERRAFORM: &str = "packages/common/terraform";
const INFRA: &str = "packages/infra";
/// The root module: the module calls of every API of the workspace.
const INFRA_ROOT: &str = "packages/infra/src";
/// Where the seed's example usages are put: next to the root module, so that their
/// module sources are the seed's own relative paths.
const SEED_USAGE: &str = "packages/infra/seed-usage";

/// Outputs of the app module that the seed reads or lists.
const SEED_OUTPUTS: &[&str] = &[
    "stage_invoke_url",
    "api_url",
    "api_id",
    "api_arn",
    "api_execution_arn",
    "lambda_function_name",
    "lambda_function_arn",
    "lambda_execution_role_arn",
    "lambda_execution_role_name",
];

/// Outputs of the Function URL app module: what the root module and the callers read
/// (`api_url` as for the API Gateway modules; `invoke_policy_arn` with IAM auth too).
const FUNCTION_URL_OUTPUTS: &[&str] = &[
    "function_url",
    "api_url",
    "lambda_function_name",
    "lambda_function_arn",
    "lambda_execution_role_arn",
    "lambda_execution_role_name",
];

/// The npm package whose jsii assembly holds the AWS provider's schema.
const PROVIDER_AWS_PACKAGE: &str = "@cdktf/provider-aws";
/// Its versions we check against, each with the `hashicorp/aws` version it was
/// generated from: the modules are checked against every one that their
/// `required_providers` constraint admits (the oldest 5.x near the usual lower
/// bound, and a recent 6.x).
const PROVIDER_AWS_SCHEMAS: &[(&str, &str)] = &[("19.12.0", "5.43.0"), ("21.22.1", "6.25.0")];

// ---------------------------------------------------------------------------
// The combinations
// ---------------------------------------------------------------------------

/// One generated API of a workspace.
struct Api {
    /// The kebab-case name: the app module's directory and the Lambda's bundle project.
    kebab: &'static str,
    /// The Python module (and project directory under `packages/`).
    module: &'static str,
    compute_type: &'static str,
}

/// Generates `MyApi` with Terraform and runs every check; `bundle` also builds,
/// zips and calls the Lambda bundle.
fn check_combination(compute_type: &'static str, auth: &str, bundle: bool) {
    let (_dir, ws) = workspace_with_api(&[
        "--iac",
        "terraform",
        "--compute-type",
        compute_type,
        "--auth",
        auth,
    ]);
    let apis = [Api {
        kebab: "my-api",
        module: "my_api",
        compute_type,
    }];
    check_workspace(&ws, &apis, auth, &format!("{compute_type}/{auth}"));
    if bundle && compute_type == "function-url" {
        check_function_url_bundle(&ws, &apis[0]);
    } else if bundle {
        check_bundle(&ws, &apis[0]);
    }
}

#[test]
fn rest_iam() {
    check_combination("rest", "iam", true);
}

#[test]
fn rest_cognito() {
    check_combination("rest", "cognito", false);
}

#[test]
fn rest_none() {
    check_combination("rest", "none", false);
}

#[test]
fn http_iam() {
    check_combination("http", "iam", false);
}

#[test]
fn http_cognito() {
    check_combination("http", "cognito", false);
}

#[test]
fn http_none() {
    check_combination("http", "none", true);
}

/// Streaming through a Lambda Function URL and the Lambda Web Adapter, IAM auth; the
/// bundle is zipped like `archive_file` and `run.sh` serves the app from it.
#[test]
fn function_url_iam() {
    check_combination("function-url", "iam", true);
}

#[test]
fn function_url_none() {
    check_combination("function-url", "none", false);
}

/// A workspace with two APIs of different kinds: `MyApi` (REST) and `Orders` (HTTP).
#[test]
fn two_apis() {
    let (_dir, ws) = workspace_with_api(&[
        "--iac",
        "terraform",
        "--compute-type",
        "rest",
        "--auth",
        "iam",
    ]);
    let generate = fastgen(
        &ws,
        &[
            "g",
            "py#fast-api",
            "Orders",
            "--iac",
            "terraform",
            "--compute-type",
            "http",
            "--auth",
            "cognito",
            "--skip-install",
        ],
    );
    assert!(
        generate.status.success(),
        "{}",
        String::from_utf8_lossy(&generate.stderr)
    );
    let apis = [
        Api {
            kebab: "my-api",
            module: "my_api",
            compute_type: "rest",
        },
        Api {
            kebab: "orders",
            module: "orders",
            compute_type: "http",
        },
    ];
    check_workspace(&ws, &apis, "iam", "two APIs");
}

/// The checks find the defects planted in `tests/fixtures/terraform/broken`, and
/// nothing else.
#[test]
fn the_checks_find_known_defects() {
    let module = Module::load(&fixtures().join("broken"));
    let mut defects = check_references(&module, &mut ModuleLoader::default());
    defects.extend(check_schema(&module));
    let expected = [
        "locals: var.missing is not declared",
        "variable \"unused\" is declared but never used",
        "aws_iam_role.missing is not a declared resource",
        "var.tags_typo is not declared",
        "\"fn\": each.* without for_each",
        "data.aws_iam_policy_document.nope is not declared",
        "./child has no variable \"extra\"",
        "required variable \"needed\" is not passed",
        "module.child.nothing: ./child has no output \"nothing\"",
        "\"assume\" > statement > principals: missing required argument \"identifiers\"",
        "\"fn\": unknown argument \"memory\"",
        "\"fn\": \"tracing_config\" is a block, not an argument",
        "\"fn\" > vpc_config: unknown argument \"bogus\"",
        "\"fn\" > vpc_config: missing required argument \"security_group_ids\"",
    ];
    let missed: Vec<&&str> = expected
        .iter()
        .filter(|e| !defects.iter().any(|d| d.contains(**e)))
        .collect();
    assert!(
        missed.is_empty(),
        "not found: {missed:#?}\nin: {defects:#?}"
    );
    assert_eq!(defects.len(), expected.len(), "{defects:#?}");
}

/// The seed's usages themselves use only what the AWS provider has.
#[test]
fn seed_usage_fixture_fits_the_aws_schema() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("main.tf"), seed_usage("http", "cognito")).unwrap();
    let defects = check_schema(&Module::load(dir.path()));
    assert!(defects.is_empty(), "{defects:#?}");
}

/// Terraform version constraints, as `required_providers` writes them.
#[test]
fn version_constraints() {
    assert!(satisfies(">= 5.40.0", "6.25.0"));
    assert!(!satisfies(">= 5.40.0", "5.39.9"));
    assert!(satisfies(">= 5.40, < 7.0", "6.25.0"));
    assert!(!satisfies(">= 5.40, < 6.0", "6.25.0"));
    assert!(satisfies("~> 5.40", "5.43.0"));
    assert!(!satisfies("~> 5.40", "6.0.0"));
    assert!(!satisfies("~> 5.40.1", "5.41.0"));
    assert!(satisfies("6.25.0", "6.25.0"));
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/terraform")
}

/// Every check but the bundle, on a generated workspace; `auth` is `MyApi`'s.
fn check_workspace(ws: &Path, apis: &[Api], auth: &str, label: &str) {
    check_layout(ws, apis);
    check_fmt(ws);

    place_seed_usage(ws, apis[0].compute_type, auth);
    // packages/infra holds the seed's usages too (SEED_USAGE).
    let dirs = [COMMON_TERRAFORM, INFRA];
    let modules: Vec<Module> = dirs
        .iter()
        .flat_map(|dir| modules_under(&ws.join(dir)))
        .collect();
    check_python_hcl2(&modules);

    let mut defects = Vec::new();
    let mut loader = ModuleLoader::default();
    for module in &modules {
        defects.extend(check_references(module, &mut loader));
        defects.extend(check_schema(module));
    }
    for api in apis {
        let app = ws
            .join(COMMON_TERRAFORM)
            .join("src/app/apis")
            .join(api.kebab);
        let outputs = &loader.declarations(&app).outputs;
        let mut expected = match api.compute_type {
            "function-url" => FUNCTION_URL_OUTPUTS.to_vec(),
            _ => SEED_OUTPUTS.to_vec(),
        };
        // `auth` is the first API's.
        if api.compute_type == "function-url" && auth == "iam" && std::ptr::eq(api, &apis[0]) {
            expected.push("invoke_policy_arn");
        }
        for output in expected {
            if !outputs.contains(output) {
                defects.push(format!(
                    "{}: no output \"{output}\" (the seed reads it)",
                    rel(ws, &app)
                ));
            }
        }
    }
    assert!(
        defects.is_empty(),
        "{label}: {} defects in the generated Terraform:\n{}",
        defects.len(),
        defects.join("\n")
    );

    fs::remove_dir_all(ws.join(SEED_USAGE)).unwrap();
    for dir in [COMMON_TERRAFORM, INFRA] {
        check_checkov(ws, dir, label);
    }
}

/// The projects and modules the generator promises, and the root module's calls.
fn check_layout(ws: &Path, apis: &[Api]) {
    for project in [COMMON_TERRAFORM, INFRA] {
        let project_json: Value = serde_json::from_str(
            &fs::read_to_string(ws.join(project).join("project.json"))
                .unwrap_or_else(|e| panic!("{project}/project.json: {e}")),
        )
        .unwrap();
        for target in ["fmt", "validate"] {
            assert!(
                project_json["targets"][target].is_object(),
                "{project}/project.json has no `{target}` target"
            );
        }
    }
    let infra = Module::load(&ws.join(INFRA_ROOT));
    for api in apis {
        let mut dirs = vec![format!("src/app/apis/{}", api.kebab)];
        match api.compute_type {
            "rest" => dirs.push("src/core/api/rest-api".into()),
            "http" => dirs.push("src/core/api/http-api".into()),
            // A Function URL needs no API Gateway: the app module is all there is.
            _ => {}
        }
        for dir in dirs {
            for file in ["main.tf", "variables.tf", "outputs.tf", "versions.tf"] {
                let path = ws.join(COMMON_TERRAFORM).join(&dir).join(file);
                assert!(path.is_file(), "missing {}", rel(ws, &path));
            }
        }
        let call = infra
            .blocks()
            .find(|(_, b)| b.identifier() == "module" && label(b, 0) == api.module)
            .unwrap_or_else(|| panic!("{INFRA_ROOT} has no `module \"{}\"`", api.module));
        assert_eq!(
            string_attr(call.1.body(), "source").as_deref(),
            Some(format!("../../common/terraform/src/app/apis/{}", api.kebab).as_str()),
            "{INFRA_ROOT}: module \"{}\" source",
            api.module
        );
    }
}

// ---------------------------------------------------------------------------
// 1. terraform fmt
// ---------------------------------------------------------------------------

/// The Terraform CLI, or a failure that says how to get it.
fn terraform() -> &'static str {
    static FOUND: OnceLock<()> = OnceLock::new();
    FOUND.get_or_init(|| {
        let version = Command::new("terraform").arg("version").output();
        match version {
            Ok(out) if out.status.success() => {}
            other => panic!(
                "terraform is not on PATH ({other:?}): install Terraform 1.5 or newer to run the Terraform tests"
            ),
        }
    });
    "terraform"
}

/// `terraform fmt -check -recursive -diff` on both Terraform projects, directly and
/// through their `fmt` targets.
fn check_fmt(ws: &Path) {
    for dir in [COMMON_TERRAFORM, INFRA] {
        run(
            ws,
            terraform(),
            &["fmt", "-check", "-recursive", "-diff", dir],
            &[],
        );
        run_target(ws, dir, "fmt");
    }
}

// ---------------------------------------------------------------------------
// 2. Parsing: hcl-rs and python-hcl2
// ---------------------------------------------------------------------------

/// A Terraform module: the `.tf` files of one directory, parsed by hcl-rs.
struct Module {
    dir: PathBuf,
    files: Vec<(PathBuf, Body)>,
}

impl Module {
    /// Parses every `.tf` file of `dir`, failing the test on a parse error.
    fn load(dir: &Path) -> Module {
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
    fn blocks(&self) -> impl Iterator<Item = (&Path, &Block)> {
        self.files
            .iter()
            .flat_map(|(path, body)| body.blocks().map(move |b| (path.as_path(), b)))
    }
}

/// Every directory below `root` (itself included) that holds `.tf` files.
fn modules_under(root: &Path) -> Vec<Module> {
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

/// The string value of a block label.
fn label(block: &Block, index: usize) -> &str {
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

/// Parses every file with python-hcl2 too, and checks it sees the same top-level blocks.
fn check_python_hcl2(modules: &[Module]) {
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

// ---------------------------------------------------------------------------
// 3. References, module calls and outputs
// ---------------------------------------------------------------------------

/// What one module declares.
#[derive(Default)]
struct Declarations {
    /// Variable name → whether it has a default.
    variables: BTreeMap<String, bool>,
    locals: BTreeSet<String>,
    outputs: BTreeSet<String>,
    resources: BTreeSet<(String, String)>,
    data: BTreeSet<(String, String)>,
    /// Module call name → its `source`.
    modules: BTreeMap<String, String>,
}

impl Declarations {
    fn of(module: &Module) -> Declarations {
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
struct ModuleLoader {
    cache: HashMap<PathBuf, Declarations>,
}

impl ModuleLoader {
    fn declarations(&mut self, dir: &Path) -> &Declarations {
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

/// Checks every reference of `module`, its module calls, and that every variable
/// and local is used.
fn check_references(module: &Module, loader: &mut ModuleLoader) -> Vec<String> {
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

/// The value of an attribute that is a plain string.
fn string_attr(body: &Body, key: &str) -> Option<String> {
    body.attributes()
        .find(|a| a.key.as_str() == key)
        .and_then(|a| match &a.expr {
            Expression::String(s) => Some(s.clone()),
            Expression::TemplateExpr(t) => Some(t.to_string()),
            _ => None,
        })
}

/// Renders the seed's example usages next to the root module.
fn place_seed_usage(ws: &Path, compute_type: &str, auth: &str) {
    let dir = ws.join(SEED_USAGE);
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("main.tf"), seed_usage(compute_type, auth)).unwrap();
}

/// `tests/fixtures/terraform/seed-usage.tf.jinja` for `MyApi` with these options; for
/// a Function URL, [`FUNCTION_URL_USAGE`].
fn seed_usage(compute_type: &str, auth: &str) -> String {
    if compute_type == "function-url" {
        let mut env = minijinja::Environment::new();
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_keep_trailing_newline(true);
        return env
            .render_str(FUNCTION_URL_USAGE, minijinja::context! { auth })
            .unwrap();
    }
    let template = fs::read_to_string(fixtures().join("seed-usage.tf.jinja")).unwrap();
    let mut env = minijinja::Environment::new();
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_keep_trailing_newline(true);
    env.render_str(&template, minijinja::context! { compute_type, auth })
        .unwrap()
}

/// The seed's usages of the app module ("FastAPI のデプロイ", "CORS カスタマイズ例",
/// "統合へのアクセス", "デフォルトオプションのカスタマイズ", "アクセス権付与") and what its
/// streaming example outputs and publishes, for the Function URL module of `MyApi`.
const FUNCTION_URL_USAGE: &str = r#"variable "environment" {
  type    = string
  default = "dev"
}

locals {
  common_tags = {
    Project     = "demo"
    Environment = var.environment
  }
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "private_a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_security_group" "lambda_sg" {
  vpc_id = aws_vpc.main.id
}

resource "aws_iam_role" "authenticated_user_role" {
  name = "AuthenticatedUserRole"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Action    = "sts:AssumeRoleWithWebIdentity"
        Principal = { Federated = "cognito-identity.amazonaws.com" }
      }
    ]
  })
}

# FastAPI のデプロイ
module "my_api" {
  source = "../../common/terraform/src/app/apis/my-api"

  env = {
    ENVIRONMENT = var.environment
    LOG_LEVEL   = "INFO"
  }

  additional_iam_policy_statements = [
    # 追加権限
  ]

  tags = local.common_tags
}

# ストリーミング: the URL, as the seed's example outputs it
output "my_api_url" {
  description = "URL for the streaming FastAPI Lambda Function"
  value       = module.my_api.function_url
}

# CORS カスタマイズ例, deployed a second time under other names
module "my_api_cors" {
  source = "../../common/terraform/src/app/apis/my-api"

  name                          = "my-api-cors"
  runtime_config_parameter_name = "/runtime-config/apis/MyApiCors"
  cors_allow_origins            = ["https://myapp.com", "https://staging.myapp.com"]
  cors_allow_methods            = ["GET", "POST", "PUT", "DELETE"]
  cors_allow_headers = [
    "authorization",
    "content-type",
    "x-custom-header"
  ]

  tags = local.common_tags
}

# 統合へのアクセス: more permissions for the Lambda function
resource "aws_iam_role_policy" "additional_permissions" {
  name = "additional-api-permissions"
  role = module.my_api.lambda_execution_role_name

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject"]
        Resource = "arn:aws:s3:::my-bucket/*"
      }
    ]
  })
}

# デフォルトオプションのカスタマイズ: the VPC variables
module "my_api_vpc" {
  source = "../../common/terraform/src/app/apis/my-api"

  name                          = "my-api-vpc"
  runtime_config_parameter_name = "/runtime-config/apis/MyApiVpc"
  vpc_subnet_ids                = [aws_subnet.private_a.id]
  vpc_security_group_ids        = [aws_security_group.lambda_sg.id]
  web_adapter_layer_arn         = "arn:aws:lambda:eu-west-1:753240598075:layer:LambdaAdapterLayerX86:25"

  tags = local.common_tags
}
{% if auth == "iam" %}

# アクセス権付与 (IAM): the module's lambda:InvokeFunctionUrl policy
resource "aws_iam_role_policy_attachment" "api_invoke_access" {
  role       = aws_iam_role.authenticated_user_role.name
  policy_arn = module.my_api.invoke_policy_arn
}
{% endif %}

# 主要出力
output "lambda_function_name" {
  value = module.my_api.lambda_function_name
}

output "lambda_function_arn" {
  value = module.my_api.lambda_function_arn
}

output "lambda_execution_role_arn" {
  value = module.my_api.lambda_execution_role_arn
}

output "api_url" {
  value = module.my_api.api_url
}
"#;

// ---------------------------------------------------------------------------
// 4. The AWS provider's schema
// ---------------------------------------------------------------------------

/// Arguments and nested blocks of one configuration type, by Terraform name.
type Arguments = BTreeMap<String, Argument>;
/// Configuration types by jsii fqn.
type Schema = HashMap<String, Arguments>;

#[derive(Serialize, Deserialize, Clone)]
struct Argument {
    required: bool,
    /// The type of the nested block, when this is a block.
    block: Option<String>,
}

/// The AWS provider's configuration types (jsii fqn → arguments), from the jsii
/// assembly of `@cdktf/provider-aws` at `package_version`, downloaded once and
/// distilled into a cache under the target directory.
fn aws_schema(package_version: &str) -> &'static Schema {
    static SCHEMAS: Mutex<BTreeMap<String, &'static Schema>> = Mutex::new(BTreeMap::new());
    let mut schemas = SCHEMAS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(schema) = schemas.get(package_version) {
        return schema;
    }
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("provider-aws-{package_version}"));
    let distilled = dir.join("schema.json");
    if !distilled.is_file() {
        if dir.exists() {
            fs::remove_dir_all(&dir).unwrap();
        }
        fs::create_dir_all(&dir).unwrap();
        let assembly = fetch_assembly(&dir, package_version);
        let schema = distill(&assembly);
        let tmp = dir.join("schema.json.tmp");
        fs::write(&tmp, serde_json::to_vec(&schema).unwrap()).unwrap();
        fs::rename(tmp, &distilled).unwrap();
        fs::remove_dir_all(assembly.parent().unwrap()).unwrap();
    }
    let schema: &'static Schema = Box::leak(Box::new(
        serde_json::from_slice(&fs::read(distilled).unwrap()).unwrap(),
    ));
    schemas.insert(package_version.to_string(), schema);
    schema
}

/// `npm pack`s the provider package into `dir` and extracts only its jsii assembly
/// (the package is 37 MB packed, its assembly 130 MB; the rest is compiled JS).
fn fetch_assembly(dir: &Path, package_version: &str) -> PathBuf {
    let spec = format!("{PROVIDER_AWS_PACKAGE}@{package_version}");
    run(dir, "npm", &["pack", &spec, "--silent"], &[]);
    let tarball = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(".tgz"))
        .expect("npm pack wrote no tarball");
    let tar = tarball.to_str().unwrap();
    // A large assembly may be a redirect to a gzip-compressed `.jsii.gz`.
    let (_, listing) = run_status(dir, "tar", &["tzf", tar]);
    let members: Vec<&str> = ["package/.jsii", "package/.jsii.gz"]
        .into_iter()
        .filter(|m| listing.lines().any(|l| l == *m))
        .collect();
    let mut args = vec!["xzf", tar];
    args.extend(&members);
    run(dir, "tar", &args, &[]);
    fs::remove_file(&tarball).unwrap();
    let jsii = dir.join("package/.jsii");
    let head: Value = serde_json::from_slice(&fs::read(&jsii).unwrap()).unwrap_or(Value::Null);
    if head["schema"] == "jsii/file-redirect" {
        let gz = dir.join("package").join(head["filename"].as_str().unwrap());
        let out = Command::new("gzip")
            .args(["-dc", gz.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(out.status.success(), "gzip -dc {}", gz.display());
        fs::write(&jsii, out.stdout).unwrap();
        fs::remove_file(gz).unwrap();
    }
    jsii
}

#[derive(Deserialize)]
struct JsiiAssembly {
    types: HashMap<String, JsiiType>,
}

#[derive(Deserialize)]
struct JsiiType {
    #[serde(default)]
    datatype: bool,
    #[serde(default)]
    properties: Vec<JsiiProperty>,
}

#[derive(Deserialize)]
struct JsiiProperty {
    name: String,
    #[serde(default)]
    optional: bool,
    #[serde(rename = "type")]
    ty: Value,
    #[serde(default)]
    docs: HashMap<String, Value>,
}

/// Keeps the data types (configs and nested blocks) of the assembly, with each
/// property under its Terraform name. The name comes from the docs link
/// (`…/docs/resources/lambda_function#function_name LambdaFunction#function_name}`),
/// else from snake-casing the camelCase name.
fn distill(assembly: &Path) -> HashMap<String, Arguments> {
    let assembly: JsiiAssembly = serde_json::from_slice(&fs::read(assembly).unwrap()).unwrap();
    let datatypes: BTreeSet<&String> = assembly
        .types
        .iter()
        .filter(|(_, t)| t.datatype)
        .map(|(fqn, _)| fqn)
        .collect();
    assembly
        .types
        .iter()
        .filter(|(_, t)| t.datatype)
        .map(|(fqn, t)| {
            let args = t
                .properties
                .iter()
                .map(|p| {
                    let name = terraform_name(p);
                    let block = struct_type(&p.ty).filter(|f| datatypes.contains(f));
                    (
                        name,
                        Argument {
                            required: !p.optional,
                            block,
                        },
                    )
                })
                .collect();
            (fqn.clone(), args)
        })
        .collect()
}

fn terraform_name(p: &JsiiProperty) -> String {
    for key in ["summary", "remarks"] {
        let Some(doc) = p.docs.get(key).and_then(Value::as_str) else {
            continue;
        };
        // "{@link https://…#function_name LambdaFunction#function_name}"
        if let Some(start) = doc.find("{@link ") {
            let link = &doc[start..];
            if let Some(end) = link.find('}')
                && let Some(hash) = link[..end].rfind('#')
            {
                let name = &link[hash + 1..end];
                if !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                {
                    return name.to_string();
                }
            }
        }
    }
    let mut out = String::new();
    for c in p.name.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The fqn of the struct a property holds (directly, in a list, or in a union
/// with `IResolvable`).
fn struct_type(ty: &Value) -> Option<String> {
    if let Some(fqn) = ty["fqn"].as_str() {
        return fqn
            .starts_with(PROVIDER_AWS_PACKAGE)
            .then(|| fqn.to_string());
    }
    if let Some(types) = ty["union"]["types"].as_array() {
        return types.iter().find_map(struct_type);
    }
    if ty["collection"]["kind"] == "array" {
        return struct_type(&ty["collection"]["elementtype"]);
    }
    None
}

fn pascal(snake: &str) -> String {
    snake
        .split('_')
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn camel(snake: &str) -> String {
    let p = pascal(snake);
    let mut chars = p.chars();
    chars
        .next()
        .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// The jsii config type of a resource, data source or provider block:
/// `aws_lambda_function` → `lambdaFunction.LambdaFunctionConfig`,
/// `data aws_iam_policy_document` → `dataAwsIamPolicyDocument.DataAwsIamPolicyDocumentConfig`.
fn config_fqn(kind: &str, ty: &str) -> Option<String> {
    let name = match kind {
        "resource" => ty.strip_prefix("aws_")?.to_string(),
        "data" => {
            ty.strip_prefix("aws_")?;
            format!("data_{ty}")
        }
        "provider" if ty == "aws" => {
            return Some(format!("{PROVIDER_AWS_PACKAGE}.provider.AwsProviderConfig"));
        }
        _ => return None,
    };
    Some(format!(
        "{PROVIDER_AWS_PACKAGE}.{}.{}Config",
        camel(&name),
        pascal(&name)
    ))
}

/// The `archive_file` data source of the `hashicorp/archive` provider, by hand:
/// (argument, required).
const ARCHIVE_FILE: &[(&str, bool)] = &[
    ("type", true),
    ("output_path", true),
    ("source_dir", false),
    ("source_file", false),
    ("source_content", false),
    ("source_content_filename", false),
    ("excludes", false),
    ("exclude_symlink_directories", false),
    ("output_file_mode", false),
];

/// Meta-arguments Terraform itself handles, for resources and data sources.
const META_ARGUMENTS: &[&str] = &["count", "for_each", "depends_on", "provider"];
const META_BLOCKS: &[&str] = &["lifecycle", "provisioner", "connection"];

/// Checks every resource, data source and provider block of `module` against the
/// schema of every AWS provider version the module admits.
fn check_schema(module: &Module) -> Vec<String> {
    let constraints = aws_constraints(module);
    let mut defects = Vec::new();
    let mut checked = 0;
    for (package_version, aws_version) in PROVIDER_AWS_SCHEMAS {
        if constraints.iter().all(|c| satisfies(c, aws_version)) {
            checked += 1;
            let schema = aws_schema(package_version);
            defects.extend(
                check_schema_with(module, schema)
                    .into_iter()
                    .map(|d| format!("{d} (aws {aws_version})")),
            );
        }
    }
    if checked == 0 {
        defects.push(format!(
            "{}: the aws provider constraints {constraints:?} admit none of {PROVIDER_AWS_SCHEMAS:?}",
            shown(&module.dir)
        ));
    }
    defects
}

/// The `required_providers.aws.version` constraints of a module.
fn aws_constraints(module: &Module) -> Vec<String> {
    let mut out = Vec::new();
    for (_, block) in module
        .blocks()
        .filter(|(_, b)| b.identifier() == "terraform")
    {
        for providers in block
            .body()
            .blocks()
            .filter(|b| b.identifier() == "required_providers")
        {
            for attr in providers
                .body()
                .attributes()
                .filter(|a| a.key.as_str() == "aws")
            {
                if let Expression::Object(object) = &attr.expr {
                    for (key, value) in object {
                        let key = match key {
                            ObjectKey::Identifier(i) => i.to_string(),
                            ObjectKey::Expression(Expression::String(s)) => s.clone(),
                            _ => continue,
                        };
                        if key == "version"
                            && let Expression::String(v) = value
                        {
                            out.push(v.clone());
                        }
                    }
                }
            }
        }
    }
    out
}

/// Whether `version` meets a Terraform version constraint (`>= 5.40.0, < 7.0`, `~> 5.0`).
fn satisfies(constraint: &str, version: &str) -> bool {
    fn parse(v: &str) -> Vec<u64> {
        v.trim()
            .split('.')
            .map(|p| p.parse().unwrap_or(0))
            .collect()
    }
    fn cmp(a: &[u64], b: &[u64]) -> std::cmp::Ordering {
        let n = a.len().max(b.len());
        let at = |v: &[u64], i| v.get(i).copied().unwrap_or(0);
        (0..n)
            .map(|i| at(a, i).cmp(&at(b, i)))
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    }
    let v = parse(version);
    constraint.split(',').all(|part| {
        let part = part.trim();
        let (op, rest) = ["~>", ">=", "<=", "!=", ">", "<", "="]
            .iter()
            .find_map(|op| part.strip_prefix(op).map(|r| (*op, r)))
            .unwrap_or(("=", part));
        let bound = parse(rest);
        let order = cmp(&v, &bound);
        match op {
            ">=" => order.is_ge(),
            "<=" => order.is_le(),
            ">" => order.is_gt(),
            "<" => order.is_lt(),
            "!=" => order.is_ne(),
            "~>" => {
                // ~> 5.40 allows 5.x from 5.40; ~> 5.40.1 allows 5.40.x from 5.40.1.
                let keep = bound.len().saturating_sub(1).max(1);
                order.is_ge() && v[..keep.min(v.len())] == bound[..keep]
            }
            _ => order.is_eq(),
        }
    })
}

/// Checks every resource, data source and provider block of `module` against one schema.
fn check_schema_with(module: &Module, schema: &Schema) -> Vec<String> {
    let mut defects = Vec::new();
    for (path, block) in module.blocks() {
        let kind = block.identifier();
        if !matches!(kind, "resource" | "data" | "provider") {
            continue;
        }
        let ty = label(block, 0);
        let where_ = place(module, path, block);
        if kind == "data" && ty == "archive_file" {
            for attr in block.body().attributes() {
                let key = attr.key.as_str();
                if !ARCHIVE_FILE.iter().any(|(a, _)| *a == key) && !META_ARGUMENTS.contains(&key) {
                    defects.push(format!("{where_}: archive_file has no argument \"{key}\""));
                }
            }
            for (name, required) in ARCHIVE_FILE {
                if *required && !block.body().attributes().any(|a| a.key.as_str() == *name) {
                    defects.push(format!("{where_}: missing required argument \"{name}\""));
                }
            }
            continue;
        }
        let Some(fqn) = config_fqn(kind, ty) else {
            defects.push(format!(
                "{where_}: no schema for {kind} type \"{ty}\" (teach tests/terraform.rs its provider)"
            ));
            continue;
        };
        if !schema.contains_key(&fqn) {
            defects.push(format!("{where_}: {ty} is not in the AWS provider ({fqn})"));
            continue;
        }
        check_block_body(
            schema,
            block.body(),
            &fqn,
            kind != "provider",
            &where_,
            &mut defects,
        );
    }
    defects
}

/// Checks a body's arguments and nested blocks against the config type `fqn`.
fn check_block_body(
    schema: &Schema,
    body: &Body,
    fqn: &str,
    top: bool,
    where_: &str,
    defects: &mut Vec<String>,
) {
    let arguments = &schema[fqn];
    let mut present = BTreeSet::new();
    for attr in body.attributes() {
        let key = attr.key.as_str();
        if top && META_ARGUMENTS.contains(&key) {
            continue;
        }
        present.insert(key.to_string());
        match arguments.get(key) {
            None => defects.push(format!("{where_}: unknown argument \"{key}\"")),
            Some(Argument { block: Some(_), .. }) => {
                defects.push(format!("{where_}: \"{key}\" is a block, not an argument"))
            }
            Some(_) => {}
        }
    }
    for block in body.blocks() {
        let name = block.identifier();
        if top && META_BLOCKS.contains(&name) {
            continue;
        }
        let (name, inner) = if name == "dynamic" {
            let content = block.body().blocks().find(|b| b.identifier() == "content");
            match content {
                Some(content) => (label(block, 0), content.body()),
                None => {
                    defects.push(format!(
                        "{where_}: dynamic \"{}\" has no content",
                        label(block, 0)
                    ));
                    continue;
                }
            }
        } else {
            (name, block.body())
        };
        present.insert(name.to_string());
        let at = format!("{where_} > {name}");
        match arguments.get(name) {
            None => defects.push(format!("{where_}: unknown block \"{name}\"")),
            Some(Argument { block: None, .. }) => {
                defects.push(format!("{where_}: \"{name}\" is an argument, not a block"))
            }
            Some(Argument {
                block: Some(nested),
                ..
            }) => check_block_body(schema, inner, nested, false, &at, defects),
        }
    }
    for (name, arg) in arguments {
        if arg.required && !present.contains(name) {
            defects.push(format!("{where_}: missing required argument \"{name}\""));
        }
    }
}

// ---------------------------------------------------------------------------
// 5. checkov
// ---------------------------------------------------------------------------

/// Runs checkov on one Terraform project; every failed check must be accepted.
fn check_checkov(ws: &Path, dir: &str, label: &str) {
    let (failures, passed) = checkov(ws, &["-d", dir, "--framework", "terraform"]);
    let failed: Vec<String> = failures
        .iter()
        .map(|f| format!("{} ({})", f.id, f.place))
        .collect();
    let unexpected: Vec<&String> = failed
        .iter()
        .filter(|f| {
            let id = f.split(' ').next().unwrap();
            !ACCEPTED_CHECKOV_FAILURES.iter().any(|(a, _)| *a == id)
        })
        .collect();
    let mut ids: Vec<&str> = failed
        .iter()
        .map(|f| f.split(' ').next().unwrap())
        .collect();
    ids.sort();
    ids.dedup();
    eprintln!(
        "checkov {label} {dir}: {passed} passed, {} failed ({} not accepted): {ids:?}",
        failed.len(),
        unexpected.len()
    );
    assert!(
        unexpected.is_empty(),
        "{label} {dir}: checkov failures to fix:\n{}",
        unexpected
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

// ---------------------------------------------------------------------------
// 6. The Lambda bundle, zipped like archive_file
// ---------------------------------------------------------------------------

/// Builds the bundle, zips the directory `archive_file` names, and calls the handler
/// that `aws_lambda_function` names from the extracted zip.
fn check_bundle(ws: &Path, api: &Api) {
    run(ws, "uv", &["sync", "--all-packages"], &[]);
    run_target(ws, &format!("packages/{}", api.module), "bundle");

    let app_dir = ws
        .join(COMMON_TERRAFORM)
        .join("src/app/apis")
        .join(api.kebab);
    let app = Module::load(&app_dir);
    let archive = app
        .blocks()
        .find(|(_, b)| b.identifier() == "data" && label(b, 0) == "archive_file")
        .map(|(_, b)| b)
        .expect("the app module has a data \"archive_file\"");
    let source_dir = resolve_path(ws, &app, archive.body(), "source_dir");
    let output_path = resolve_path(ws, &app, archive.body(), "output_path");
    let bundle = ws.join("dist/packages").join(api.module).join("bundle");
    assert_eq!(
        normalize(&source_dir),
        normalize(&bundle),
        "archive_file.source_dir must be the bundle target's output"
    );
    assert!(
        !normalize(&output_path).starts_with(normalize(&source_dir)),
        "archive_file.output_path {} is inside source_dir: the zip would zip itself",
        output_path.display()
    );
    assert!(
        normalize(&output_path).starts_with(normalize(&ws.join("dist"))),
        "archive_file.output_path {} is not under dist/ (git-ignored build output)",
        output_path.display()
    );

    let lambda = app
        .blocks()
        .find(|(_, b)| b.identifier() == "resource" && label(b, 0) == "aws_lambda_function")
        .map(|(_, b)| b)
        .expect("the app module has an aws_lambda_function");
    assert_eq!(
        string_attr(lambda.body(), "runtime").as_deref(),
        Some("python3.12")
    );
    let handler = string_attr(lambda.body(), "handler").expect("a literal handler");
    assert_eq!(handler, format!("{}.main.handler", api.module));

    let zip_dir = tempfile::tempdir().unwrap();
    let zip = zip_dir.path().join("lambda.zip");
    let extracted = zip_dir.path().join("extracted");
    let names = zip_like_archive_file(&source_dir, &zip, &extracted);
    let main = format!("{}/main.py", api.module);
    assert!(names.contains(&main), "the zip holds {main}");

    let response = call_bundled_handler(&extracted, api.module, api.compute_type);
    assert_eq!(response["statusCode"], 200, "{response}");
    let body: Value = serde_json::from_str(response["body"].as_str().unwrap()).unwrap();
    assert_eq!(body, serde_json::json!({"message": "hi"}), "{response}");
}

/// Builds the bundle of a Function URL API, zips the directory `archive_file` names with
/// its `output_file_mode`, and starts the handler the Lambda Web Adapter executes
/// (`run.sh` from the extracted zip, as `/var/task/run.sh` in Lambda) with the port the
/// module sets: the app answers over HTTP and streams.
fn check_function_url_bundle(ws: &Path, api: &Api) {
    run(ws, "uv", &["sync", "--all-packages"], &[]);
    run_target(ws, &format!("packages/{}", api.module), "bundle");

    let app_dir = ws
        .join(COMMON_TERRAFORM)
        .join("src/app/apis")
        .join(api.kebab);
    let app = Module::load(&app_dir);
    let archive = app
        .blocks()
        .find(|(_, b)| b.identifier() == "data" && label(b, 0) == "archive_file")
        .map(|(_, b)| b)
        .expect("the app module has a data \"archive_file\"");
    let source_dir = resolve_path(ws, &app, archive.body(), "source_dir");
    let bundle = ws.join("dist/packages").join(api.module).join("bundle");
    assert_eq!(
        normalize(&source_dir),
        normalize(&bundle),
        "archive_file.source_dir must be the bundle target's output"
    );
    let mode = string_attr(archive.body(), "output_file_mode").expect(
        "archive_file sets output_file_mode (else the zip depends on the checkout's modes)",
    );

    let lambda = app
        .blocks()
        .find(|(_, b)| b.identifier() == "resource" && label(b, 0) == "aws_lambda_function")
        .map(|(_, b)| b)
        .expect("the app module has an aws_lambda_function");
    assert_eq!(
        string_attr(lambda.body(), "runtime").as_deref(),
        Some("python3.12")
    );
    let handler = string_attr(lambda.body(), "handler").expect("a literal handler");
    assert_eq!(handler, "run.sh");
    // The adapter's settings, whatever `terraform fmt` aligns.
    let main_tf = fs::read_to_string(app_dir.join("main.tf")).unwrap();
    let main_tf = main_tf.split_whitespace().collect::<Vec<_>>().join(" ");
    for setting in [
        "AWS_LAMBDA_EXEC_WRAPPER = \"/opt/bootstrap\"",
        "AWS_LWA_INVOKE_MODE = \"response_stream\"",
        "PORT = \"8000\"",
        "invoke_mode = \"RESPONSE_STREAM\"",
        ":753240598075:layer:LambdaAdapterLayerX86:24",
    ] {
        assert!(main_tf.contains(setting), "main.tf lacks {setting}");
    }

    let zip_dir = tempfile::tempdir().unwrap();
    let zip = zip_dir.path().join("lambda.zip");
    let extracted = zip_dir.path().join("extracted");
    let members = zip_with_mode(&source_dir, &zip, &extracted, &mode);
    assert_eq!(
        members.get("run.sh").copied(),
        Some(0o755),
        "run.sh must be at the root of the zip and executable: the adapter executes it"
    );
    let main = format!("{}/main.py", api.module);
    assert!(members.contains_key(&main), "the zip holds {main}");

    let server = FunctionUrlApp::start(&extracted);
    let echo = server.get("/echo?message=hi");
    assert!(echo.starts_with("HTTP/1.1 200"), "{echo}");
    let body = echo.split("\r\n\r\n").nth(1).unwrap_or_default();
    let body: Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {echo}"));
    assert_eq!(body, serde_json::json!({"message": "hi"}), "{echo}");

    let stream = server.get("/stream?count=3&interval=0");
    assert!(stream.starts_with("HTTP/1.1 200"), "{stream}");
    let body = stream.split("\r\n\r\n").nth(1).unwrap_or_default();
    let chunks: Vec<Value> = body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {stream}")))
        .collect();
    assert_eq!(chunks.len(), 3, "{stream}");
    assert_eq!(chunks[2]["message"], "This is chunk 2", "{stream}");
}

/// The app served by `run.sh` from an extracted bundle, as the Lambda Web Adapter starts
/// it: `PORT` set, the bundle read-only in spirit, `python3` on `PATH` being Python 3.12.
struct FunctionUrlApp {
    child: std::process::Child,
    port: u16,
    _bin: tempfile::TempDir,
}

impl FunctionUrlApp {
    fn start(bundle: &Path) -> FunctionUrlApp {
        // `python3` on PATH is the Lambda runtime's interpreter: here, the tests' 3.12.
        let python = run(
            Path::new("/"),
            common::python312().to_str().unwrap(),
            &["-c", "import sys; print(sys.executable)"],
            &[],
        );
        let bin = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(python.trim(), bin.path().join("python3")).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let path = format!(
            "{}:{}",
            bin.path().display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let child = Command::new(bundle.join("run.sh"))
            .current_dir(bundle)
            .env("PATH", path)
            .env("PORT", port.to_string())
            .env("POWERTOOLS_TRACE_DISABLED", "true")
            .env("AWS_REGION", "us-east-1")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot execute run.sh: {e}"));
        let mut app = FunctionUrlApp {
            child,
            port,
            _bin: bin,
        };
        // The adapter waits for the app the same way: until the port answers.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(status) = app.child.try_wait().unwrap() {
                panic!("run.sh exited with {status} before serving");
            }
            assert!(
                std::time::Instant::now() < deadline,
                "run.sh did not serve on port {port} within 30 s"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        app
    }

    /// The raw HTTP/1.1 response to `GET path`, without chunked encoding (HTTP/1.0 request).
    fn get(&self, path: &str) -> String {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(30)))
            .unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.0\r\nHost: localhost\r\nx-correlation-id: e2e\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
    }
}

impl Drop for FunctionUrlApp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Zips `source` as `archive_file` does with `output_file_mode` (every file, relative
/// paths, deflate, that mode), then extracts it with the modes; returns each member's mode.
fn zip_with_mode(
    source: &Path,
    zip: &Path,
    extract_to: &Path,
    mode: &str,
) -> BTreeMap<String, u32> {
    const SCRIPT: &str = r#"
import os, stat, sys, zipfile
src, out, dest, mode = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4], 8)
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for root, dirs, files in os.walk(src):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            info = zipfile.ZipInfo(os.path.relpath(path, src).replace(os.sep, "/"))
            info.external_attr = (stat.S_IFREG | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as f:
                z.writestr(info, f.read())
with zipfile.ZipFile(out) as z:
    for info in z.infolist():
        z.extract(info, dest)
        member_mode = (info.external_attr >> 16) & 0o7777
        os.chmod(os.path.join(dest, info.filename), member_mode)
        print(f"{member_mode:o} {info.filename}")
"#;
    let out = run(
        Path::new("/"),
        common::python312().to_str().unwrap(),
        &[
            "-c",
            SCRIPT,
            source.to_str().unwrap(),
            zip.to_str().unwrap(),
            extract_to.to_str().unwrap(),
            mode,
        ],
        &[],
    );
    out.lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(mode, name)| (name.to_string(), u32::from_str_radix(mode, 8).unwrap()))
        .collect()
}

/// Zips `source` as `archive_file` does (every file, relative paths, deflate), then
/// extracts it; returns the member names.
fn zip_like_archive_file(source: &Path, zip: &Path, extract_to: &Path) -> Vec<String> {
    const SCRIPT: &str = r#"
import os, sys, zipfile
src, out, dest = sys.argv[1:4]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for root, dirs, files in os.walk(src):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            z.write(path, os.path.relpath(path, src).replace(os.sep, "/"))
with zipfile.ZipFile(out) as z:
    z.extractall(dest)
    print("\n".join(z.namelist()))
"#;
    let out = run(
        Path::new("/"),
        common::python312().to_str().unwrap(),
        &[
            "-c",
            SCRIPT,
            source.to_str().unwrap(),
            zip.to_str().unwrap(),
            extract_to.to_str().unwrap(),
        ],
        &[],
    );
    out.lines().map(String::from).collect()
}

/// Resolves a path argument of the app module the way Terraform would when it is
/// called from the root module: `${path.module}`, `${path.root}`, `${path.cwd}`,
/// `${local.x}`, and `${var.x}` with the value the root module passes or the default.
fn resolve_path(ws: &Path, app: &Module, body: &Body, key: &str) -> PathBuf {
    let attr = body
        .attributes()
        .find(|a| a.key.as_str() == key)
        .unwrap_or_else(|| panic!("archive_file has no {key}"));
    let root = ws.join(INFRA_ROOT);
    PathBuf::from(evaluate_string(ws, app, &attr.expr, &root))
}

fn evaluate_string(ws: &Path, app: &Module, expr: &Expression, root: &Path) -> String {
    match expr {
        Expression::String(s) => s.clone(),
        Expression::TemplateExpr(t) => {
            let template = Template::from_expr(t).unwrap();
            template
                .elements()
                .iter()
                .map(|e| match e {
                    Element::Literal(l) => l.clone(),
                    Element::Interpolation(i) => evaluate_string(ws, app, &i.expr, root),
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
                ("var", name) => variable_value(ws, app, name, root),
                ("local", name) => {
                    let value = app
                        .blocks()
                        .filter(|(_, b)| b.identifier() == "locals")
                        .find_map(|(_, b)| b.body().attributes().find(|a| a.key.as_str() == name))
                        .unwrap_or_else(|| panic!("no local.{name}"));
                    evaluate_string(ws, app, &value.expr, root)
                }
                _ => panic!("cannot evaluate {expr}"),
            }
        }
        Expression::FuncCall(call) if call.name.name.as_str() == "abspath" => {
            evaluate_string(ws, app, &call.args[0], root)
        }
        _ => panic!("cannot evaluate {expr}"),
    }
}

/// The value of the app module's variable: what `packages/infra` passes, else its default.
fn variable_value(ws: &Path, app: &Module, name: &str, root: &Path) -> String {
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
            return evaluate_string(ws, &root_module, &attr.expr, root);
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
            return evaluate_string(ws, app, &attr.expr, root);
        }
    }
    panic!("var.{name} has no value")
}

/// A path with `.` and `..` resolved lexically (the directories may not exist yet).
fn normalize(path: &Path) -> PathBuf {
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

/// `path` relative to the workspace, for messages.
fn rel(ws: &Path, path: &Path) -> String {
    path.strip_prefix(ws)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}
