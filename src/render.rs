//! Templates embedded from `templates/` and rendered into a [`Tree`].
//!
//! Each folder under `templates/` is laid out like the files it produces. Every
//! file is a minijinja template; a path segment `__name__` is replaced by the
//! context value `name` (so `__module__/init.py` becomes `my_api/init.py`).

use anyhow::{Context, Result};
use include_dir::{Dir, File, include_dir};
use minijinja::{Environment, UndefinedBehavior, Value};

use crate::tree::Tree;

static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// Renders every file of the template folder `name` into `tree` below `dest`.
///
/// Rendered files are the user's from the moment they exist: each is created
/// only where no file stands yet, so a re-run never overwrites an edit. Files
/// that several generators share are merged by `crate::workspace` instead.
/// Shell scripts (`*.sh`) are made executable.
pub fn render_dir(tree: &mut Tree, name: &str, dest: &str, context: &Value) -> Result<()> {
    let dir = TEMPLATES
        .get_dir(name)
        .with_context(|| format!("no template folder `{name}`"))?;
    let env = environment();
    let mut files = Vec::new();
    collect_files(dir, &mut files);
    for file in files {
        let relative = file
            .path()
            .strip_prefix(name)
            .expect("template files live below their folder")
            .to_str()
            .expect("template paths are UTF-8");
        let relative = substitute_path(relative, context);
        let source = file
            .contents_utf8()
            .with_context(|| format!("template {} is not UTF-8", file.path().display()))?;
        let rendered = env
            .render_str(source, context)
            .with_context(|| format!("failed to render template {}", file.path().display()))?;
        let path = if dest.is_empty() {
            relative.clone()
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

/// Renders one template file, for files that generators assemble themselves.
pub fn render_file(path: &str, context: &Value) -> Result<String> {
    let file = TEMPLATES
        .get_file(path)
        .with_context(|| format!("no template `{path}`"))?;
    let source = file.contents_utf8().context("template is not UTF-8")?;
    environment()
        .render_str(source, context)
        .with_context(|| format!("failed to render template {path}"))
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_keep_trailing_newline(true);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env
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
fn substitute_path(path: &str, context: &Value) -> String {
    let mut parts = Vec::new();
    for part in path.split(['/', '\\']) {
        let substituted = part.strip_prefix("__").and_then(|rest| {
            let (key, tail) = rest.split_once("__")?;
            let value = context.get_attr(key).ok().filter(|v| !v.is_undefined())?;
            Some(format!("{value}{tail}"))
        });
        parts.push(substituted.unwrap_or_else(|| part.to_string()));
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use minijinja::context;

    #[test]
    fn path_segments_are_substituted_but_dunder_files_are_kept() {
        let ctx = context! { module => "my_api", kebab => "my-api" };
        assert_eq!(
            substitute_path("__module__/init.py", &ctx),
            "my_api/init.py"
        );
        assert_eq!(
            substitute_path("__module__/__init__.py", &ctx),
            "my_api/__init__.py"
        );
        assert_eq!(
            substitute_path("src/apis/__kebab__.ts", &ctx),
            "src/apis/my-api.ts"
        );
        assert_eq!(substitute_path("__missing__/x", &ctx), "__missing__/x");
    }
}
