//! The AWS provider's schema: every resource, data source and provider block
//! uses only arguments and nested blocks the provider has, and sets every
//! required one. The schema is distilled from the jsii assembly of the
//! `@cdktf/provider-aws` npm package and cached under the target directory.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use hcl::expr::{Expression, ObjectKey};
use hcl::structure::Body;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Module, label, place, shown};
use crate::common::{run, run_status};

/// The npm package whose jsii assembly holds the AWS provider's schema.
pub const PROVIDER_AWS_PACKAGE: &str = "@cdktf/provider-aws";
/// Its versions we check against, each with the `hashicorp/aws` version it was
/// generated from: the modules are checked against every one that their
/// `required_providers` constraint admits (the oldest 5.x near the usual lower
/// bound, and a recent 6.x). The last row is 6.25's assembly plus
/// [`PROVIDER_AWS_ADDITIONS`] up to 6.29: the cdktf provider packages stopped at 6.25.
pub const PROVIDER_AWS_SCHEMAS: &[(&str, &str)] = &[
    ("19.12.0", "5.43.0"),
    ("21.22.1", "6.25.0"),
    ("21.22.1", "6.29.0"),
];

/// Arguments the AWS provider gained after the newest assembly (6.25), from its
/// changelog: (the version that added it, resource type, argument).
pub const PROVIDER_AWS_ADDITIONS: &[(&str, &str, &str)] = &[
    // hashicorp/terraform-provider-aws#44858: the lambda:InvokedViaFunctionUrl condition.
    (
        "6.29.0",
        "aws_lambda_permission",
        "invoked_via_function_url",
    ),
];

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

/// The arguments of `terraform_data`, built into Terraform (required or not).
const TERRAFORM_DATA: &[(&str, bool)] = &[("input", false), ("triggers_replace", false)];

/// Arguments of a type checked by hand: (argument, required).
type HandArguments = &'static [(&'static str, bool)];

/// The types outside the AWS provider that the modules use: (block kind, type, arguments).
const OTHER_PROVIDERS: &[(&str, &str, HandArguments)] = &[
    ("data", "archive_file", ARCHIVE_FILE),
    ("resource", "terraform_data", TERRAFORM_DATA),
];

/// Meta-arguments Terraform itself handles, for resources and data sources.
const META_ARGUMENTS: &[&str] = &["count", "for_each", "depends_on", "provider"];
const META_BLOCKS: &[&str] = &["lifecycle", "provisioner", "connection"];

/// Checks every resource, data source and provider block of `module` against the
/// schema of every AWS provider version the module admits ([`PROVIDER_AWS_SCHEMAS`]);
/// returns the defects found, each naming the provider version.
pub fn check_schema(module: &Module) -> Vec<String> {
    let constraints = aws_constraints(module);
    let mut defects = Vec::new();
    let mut checked = 0;
    for (package_version, aws_version) in PROVIDER_AWS_SCHEMAS {
        if constraints.iter().all(|c| satisfies(c, aws_version)) {
            checked += 1;
            let schema = with_additions(aws_schema(package_version), aws_version);
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

/// `schema` with the [`PROVIDER_AWS_ADDITIONS`] made up to `aws_version`, newer than the
/// schema's own 6.25 (optional arguments, none a block).
fn with_additions(schema: &'static Schema, aws_version: &str) -> &'static Schema {
    let additions: Vec<_> = PROVIDER_AWS_ADDITIONS
        .iter()
        .filter(|(since, _, _)| satisfies(&format!("<= {aws_version}"), since))
        .filter(|(since, _, _)| !satisfies("<= 6.25.0", since))
        .collect();
    if additions.is_empty() {
        return schema;
    }
    static EXTENDED: Mutex<BTreeMap<String, &'static Schema>> = Mutex::new(BTreeMap::new());
    let mut extended = EXTENDED.lock().unwrap_or_else(|e| e.into_inner());
    extended.entry(aws_version.to_string()).or_insert_with(|| {
        let mut schema = schema.clone();
        for (_, ty, argument) in additions {
            let fqn = config_fqn("resource", ty).unwrap();
            schema
                .get_mut(&fqn)
                .unwrap_or_else(|| panic!("{fqn}"))
                .insert(
                    argument.to_string(),
                    Argument {
                        required: false,
                        block: None,
                    },
                );
        }
        Box::leak(Box::new(schema))
    })
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
pub fn satisfies(constraint: &str, version: &str) -> bool {
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
        if let Some((_, _, arguments)) = OTHER_PROVIDERS
            .iter()
            .find(|(k, t, _)| *k == kind && *t == ty)
        {
            for attr in block.body().attributes() {
                let key = attr.key.as_str();
                if !arguments.iter().any(|(a, _)| *a == key) && !META_ARGUMENTS.contains(&key) {
                    defects.push(format!("{where_}: {ty} has no argument \"{key}\""));
                }
            }
            for (name, required) in *arguments {
                if *required && !block.body().attributes().any(|a| a.key.as_str() == *name) {
                    defects.push(format!("{where_}: missing required argument \"{name}\""));
                }
            }
            continue;
        }
        let Some(fqn) = config_fqn(kind, ty) else {
            defects.push(format!(
                "{where_}: no schema for {kind} type \"{ty}\" (teach tests/terraform_check/schema.rs its provider)"
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
