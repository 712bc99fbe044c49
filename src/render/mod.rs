//! Templates embedded from `templates/` and rendered into a [`Tree`].
//!
//! Each folder under `templates/` is laid out like the files it produces. Every
//! file is a minijinja template, and every template can include or import the
//! shared parts under `templates/_partials/` by path. A path segment `__name__`
//! is replaced by the context value `name` (so `__module__/init.py` becomes
//! `my_api/init.py`).

use std::fmt;
use std::sync::{Arc, OnceLock};

use anyhow::{Context, Result};
use include_dir::{Dir, File, include_dir};
use minijinja::value::{Enumerator, Object, ObjectRepr};
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};
use serde::Serialize;

use crate::model::Choose;
use crate::tree::Tree;

pub mod context;

pub use context::{ApiContext, ScopeContext, WorkspaceContext};

static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// The names of the template folders that `templates/` holds, for tests that
/// check every folder is used.
pub fn folder_names() -> Vec<&'static str> {
    TEMPLATES
        .dirs()
        .filter_map(|dir| dir.path().to_str())
        .collect()
}

/// Renders every file of the template folder `name` into `tree` below `dest`.
///
/// Rendered files are the user's from the moment they exist: each is created
/// only where no file stands yet, so a re-run never overwrites an edit. Files
/// that several generators share are merged by [`crate::edit`] instead.
/// [`crate::plan`] decides which folders a run renders.
/// Shell scripts (`*.sh`) are made executable.
pub fn render_dir(tree: &mut Tree, name: &str, dest: &str, context: &impl Serialize) -> Result<()> {
    let dir = TEMPLATES
        .get_dir(name)
        .with_context(|| format!("no template folder `{name}`"))?;
    let context = Value::from_serialize(context);
    let mut files = Vec::new();
    collect_files(dir, &mut files);
    for file in files {
        let template = file.path().to_str().expect("template paths are UTF-8");
        let relative = template
            .strip_prefix(name)
            .and_then(|rest| rest.strip_prefix('/'))
            .expect("template files live below their folder");
        let relative = substitute_path(relative, &context)?;
        let rendered = render_value(template, &context)?;
        let path = if dest.is_empty() {
            relative
        } else {
            format!("{dest}/{relative}")
        };
        if path.ends_with(".sh") {
            tree.write_executable_if_absent(&path, rendered)?;
        } else {
            tree.write_if_absent(&path, rendered)?;
        }
    }
    Ok(())
}

/// Renders one template file, for blocks that generators insert into other files.
pub fn render_file(path: &str, context: &impl Serialize) -> Result<String> {
    render_value(path, &Value::from_serialize(context))
}

fn render_value(path: &str, context: &Value) -> Result<String> {
    let template = environment()
        .get_template(path)
        .with_context(|| format!("failed to load template {path}"))?;
    template
        .render(context)
        .with_context(|| format!("failed to render template {path}"))
}

/// The one environment: strict about undefined values, loading templates by path.
fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_keep_trailing_newline(true);
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        // Templates write source code, not HTML: nothing is escaped, whatever the extension.
        env.set_auto_escape_callback(|_| AutoEscape::None);
        // `{% if line is fitting(80) %}`: whether generated code fits in `width`
        // columns, so a template can lay out a line the way its formatter
        // (prettier, ruff) would for a name of any length.
        env.add_test("fitting", |line: &str, width: usize| {
            line.chars().count() <= width
        });
        env.set_loader(|path| {
            Ok(TEMPLATES
                .get_file(path)
                .and_then(File::contents_utf8)
                .map(str::to_string))
        });
        env
    })
}

fn collect_files<'a>(dir: &'a Dir<'a>, out: &mut Vec<&'a File<'a>>) {
    out.extend(dir.files());
    for sub in dir.dirs() {
        collect_files(sub, out);
    }
}

/// Replaces a `__key__` at the start of a path segment by the context's `key`
/// (`__kebab__.ts` becomes `my-api.ts`); names the context lacks, such as
/// `__init__.py`, are kept as they are.
fn substitute_path(path: &str, context: &Value) -> Result<String> {
    let mut parts = Vec::new();
    for part in path.split(['/', '\\']) {
        let substituted = part.strip_prefix("__").and_then(|rest| {
            let (key, tail) = rest.split_once("__")?;
            let value = context.get_attr(key).ok().filter(|v| !v.is_undefined())?;
            Some(format!("{value}{tail}"))
        });
        parts.push(substituted.unwrap_or_else(|| part.to_string()));
    }
    Ok(parts.join("/"))
}

/// An option value as templates see it: it prints as its file spelling
/// (`{{ compute_type }}` → `rest`) and answers one flag per variant
/// (`{% if compute_type.function_url %}`). A misspelt flag is an undefined
/// value, which the strict environment turns into an error.
#[derive(Debug, Clone, Copy)]
pub struct Choice {
    key: &'static str,
    flag: &'static str,
    flags: &'static [&'static str],
}

impl Choice {
    /// The template value of an option.
    pub fn of<T: Choose>(value: T) -> Choice {
        Choice {
            key: value.key(),
            flag: value.flag(),
            flags: T::FLAGS,
        }
    }
}

impl Object for Choice {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Plain
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let name = key.as_str()?;
        self.flags
            .contains(&name)
            .then(|| Value::from(name == self.flag))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(self.flags)
    }

    fn render(self: &Arc<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key)
    }
}

impl Serialize for Choice {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Value::from_object(*self).serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Auth, ComputeType};
    use minijinja::context;

    #[test]
    fn path_segments_are_substituted_but_dunder_files_are_kept() {
        let ctx = context! { module => "my_api", kebab => "my-api" };
        let sub = |path| substitute_path(path, &ctx).unwrap();
        assert_eq!(sub("__module__/init.py"), "my_api/init.py");
        assert_eq!(sub("__module__/__init__.py"), "my_api/__init__.py");
        assert_eq!(sub("src/apis/__kebab__.ts"), "src/apis/my-api.ts");
        assert_eq!(sub("__missing__/x"), "__missing__/x");
    }

    fn render(source: &str, ctx: Value) -> Result<String, minijinja::Error> {
        let mut env = environment().clone();
        env.add_template_owned("test", source.to_string())?;
        env.get_template("test")?.render(ctx)
    }

    #[test]
    fn a_choice_prints_its_key_and_answers_its_flags() {
        let ctx = context! {
            compute_type => Choice::of(ComputeType::FunctionUrl),
            auth => Choice::of(Auth::Iam),
        };
        assert_eq!(
            render(
                "{{ compute_type }} {{ auth | upper }} {{ compute_type.function_url }} {{ compute_type.rest }}",
                ctx.clone()
            )
            .unwrap(),
            "function-url IAM True False"
        );
        let misspelt =
            render("{% if compute_type.functionurl %}x{% endif %}", ctx.clone()).unwrap_err();
        assert_eq!(misspelt.kind(), minijinja::ErrorKind::UndefinedError);
    }

    #[test]
    fn a_line_is_fitting_when_it_has_at_most_width_characters() {
        let source = "{{ ('x' * 80) is fitting(80) }} {{ ('x' * 81) is fitting(80) }}";
        assert_eq!(render(source, context! {}).unwrap(), "True False");
    }
}
