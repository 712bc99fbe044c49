//! Blocks that generators add once to files the user owns and edits: the CDK
//! stack and the Terraform root module. Each block goes above a marker line; a
//! key (a fragment the user is unlikely to edit) shows that it was added before.

use anyhow::Result;

use crate::tree::Tree;

/// The blocks one API adds to user-owned files, applied all together or not at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Insertion {
    /// What is added, for the note when it cannot be: `MyApi`, `module "my_api"`.
    pub what: String,
    /// The file whose text shows the insertion was made.
    pub key_path: String,
    /// A fragment of a line of `key_path` that shows the insertion was made.
    pub key: String,
    /// Names to import, when the file is TypeScript.
    pub imports: Option<Imports>,
    /// The rendered blocks.
    pub blocks: Vec<Block>,
}

/// Names merged into a file's single `import { … } from '<module>';` statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imports {
    /// The file.
    pub path: String,
    /// The module imported from.
    pub module: String,
    /// The names to import.
    pub names: Vec<String>,
    /// The line above which a new import statement goes.
    pub marker: &'static str,
}

/// A block of text to put above the line holding `marker` in `path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The file.
    pub path: String,
    /// The marker line's text (or a fragment of it).
    pub marker: &'static str,
    /// The block, ending with a newline; a blank line follows it.
    pub text: String,
}

/// Applies `insertion` unless its key is present. Returns a note for the user
/// when a file or marker is missing, in which case nothing is written.
pub fn apply(tree: &mut Tree, insertion: &Insertion) -> Result<Option<String>> {
    let what = &insertion.what;
    let Some(keyed) = tree.read_to_string(&insertion.key_path)? else {
        return Ok(Some(format!(
            "{} is missing, so {what} was not added to it: add it yourself",
            insertion.key_path
        )));
    };
    if keyed.contains(&insertion.key) {
        return Ok(None);
    }
    // Edit copies of the files first, so a missing marker leaves every file alone.
    let mut edited: Vec<(String, String)> = Vec::new();
    let missing = |path: &str, marker: &str| {
        Some(format!(
            "{path} has no `{marker}` line, so {what} was not added to it: add it yourself"
        ))
    };
    if let Some(imports) = &insertion.imports {
        let text = text_of(tree, &imports.path, &edited)?;
        let names: Vec<&str> = imports.names.iter().map(String::as_str).collect();
        let Some(text) = import_names(&text, &imports.module, &names, imports.marker) else {
            return Ok(missing(&imports.path, imports.marker));
        };
        set(&mut edited, &imports.path, text);
    }
    for block in &insertion.blocks {
        let text = text_of(tree, &block.path, &edited)?;
        let Some(text) = insert_above(&text, block.marker, &block.text) else {
            return Ok(missing(&block.path, block.marker));
        };
        set(&mut edited, &block.path, text);
    }
    for (path, text) in edited {
        tree.write(&path, text)?;
    }
    Ok(None)
}

/// The text of `path` as edited so far, else as the tree holds it.
fn text_of(tree: &Tree, path: &str, edited: &[(String, String)]) -> Result<String> {
    if let Some((_, text)) = edited.iter().find(|(p, _)| p == path) {
        return Ok(text.clone());
    }
    Ok(tree.read_to_string(path)?.unwrap_or_default())
}

/// Records the edited text of `path`.
fn set(edited: &mut Vec<(String, String)>, path: &str, text: String) {
    match edited.iter_mut().find(|(p, _)| p == path) {
        Some(entry) => entry.1 = text,
        None => edited.push((path.to_string(), text)),
    }
}

/// Inserts `block` and a blank line above the line holding `marker`, unless `text` has it.
fn insert_above(text: &str, marker: &str, block: &str) -> Option<String> {
    let at = text.find(marker)?;
    if text.contains(block) {
        return Some(text.to_string());
    }
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    Some(format!(
        "{}{block}\n{}",
        &text[..line_start],
        &text[line_start..]
    ))
}

/// Adds `names` to the `import { … } from '<module>';` statement of `text`, or
/// inserts that statement above the marker when there is none. Names are kept
/// sorted; the statement breaks over lines as prettier does past 80 columns.
fn import_names(text: &str, module: &str, names: &[&str], marker: &str) -> Option<String> {
    let tail = format!("}} from '{module}';");
    let existing = text.find(&tail).and_then(|end| {
        let start = text[..end].rfind("import {")?;
        Some((start, end + tail.len()))
    });
    let mut all: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    if let Some((start, end)) = existing {
        let listed = &text[start + "import {".len()..end - tail.len()];
        all.extend(
            listed
                .split(',')
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(String::from),
        );
    }
    all.sort_by_key(|name| name.to_lowercase());
    all.dedup();
    let one_line = format!("import {{ {} }} from '{module}';", all.join(", "));
    let statement = if one_line.len() <= 80 {
        one_line
    } else {
        let lines: String = all.iter().map(|name| format!("  {name},\n")).collect();
        format!("import {{\n{lines}}} from '{module}';")
    };
    match existing {
        Some((start, end)) => Some(format!("{}{statement}{}", &text[..start], &text[end..])),
        None => {
            let at = text.find(marker)?;
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            Some(format!(
                "{}{statement}\n{}",
                &text[..line_start],
                &text[line_start..]
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MARKER: &str = "// fastgen:imports";

    #[test]
    fn imports_from_the_constructs_are_merged_into_one_statement() {
        let text = "import { Stack } from 'aws-cdk-lib';\n// fastgen:imports\n";
        let module = ":demo/common-constructs";
        let first = import_names(text, module, &["MyApi"], MARKER).unwrap();
        assert_eq!(
            first,
            "import { Stack } from 'aws-cdk-lib';\nimport { MyApi } from ':demo/common-constructs';\n// fastgen:imports\n"
        );
        let second = import_names(&first, module, &["Orders", "UserIdentity"], MARKER).unwrap();
        assert!(
            second.contains(
                "import { MyApi, Orders, UserIdentity } from ':demo/common-constructs';\n"
            )
        );
        let long = import_names(&second, module, &["InventoryManagementApi"], MARKER).unwrap();
        assert!(long.contains(
            "import {\n  InventoryManagementApi,\n  MyApi,\n  Orders,\n  UserIdentity,\n} from ':demo/common-constructs';\n"
        ));
        assert_eq!(
            import_names(&long, module, &["MyApi"], MARKER).unwrap(),
            long
        );
    }

    #[test]
    fn blocks_go_above_the_marker_once() {
        let text = "a\n  // fastgen:apis here\nb\n";
        let once = insert_above(text, "// fastgen:apis", "  x();").unwrap();
        assert_eq!(once, "a\n  x();\n  // fastgen:apis here\nb\n");
        assert_eq!(
            insert_above(&once, "// fastgen:apis", "  x();").unwrap(),
            once
        );
        assert_eq!(insert_above(text, "// fastgen:imports", "y"), None);
    }

    fn insertion() -> Insertion {
        Insertion {
            what: "MyApi".into(),
            key_path: "stack.ts".into(),
            key: "new MyApi(".into(),
            imports: Some(Imports {
                path: "stack.ts".into(),
                module: "./apis".into(),
                names: vec!["MyApi".into()],
                marker: MARKER,
            }),
            blocks: vec![Block {
                path: "stack.ts".into(),
                marker: "// fastgen:apis",
                text: "new MyApi();\n".into(),
            }],
        }
    }

    #[test]
    fn an_insertion_is_made_once_and_only_as_a_whole() {
        let dir = tempfile::tempdir().unwrap();
        let mut tree = Tree::new(dir.path());
        assert!(
            apply(&mut tree, &insertion())
                .unwrap()
                .unwrap()
                .contains("stack.ts is missing")
        );

        tree.write("stack.ts", "// fastgen:imports\n// fastgen:apis\n")
            .unwrap();
        assert_eq!(apply(&mut tree, &insertion()).unwrap(), None);
        let once = tree.read_to_string("stack.ts").unwrap().unwrap();
        assert_eq!(
            once,
            "import { MyApi } from './apis';\n// fastgen:imports\nnew MyApi();\n\n// fastgen:apis\n"
        );
        assert_eq!(apply(&mut tree, &insertion()).unwrap(), None);
        assert_eq!(tree.read_to_string("stack.ts").unwrap().unwrap(), once);

        tree.write("stack.ts", "// fastgen:imports\n").unwrap();
        let note = apply(&mut tree, &insertion()).unwrap().unwrap();
        assert!(
            note.contains("has no `// fastgen:apis` line, so MyApi was not added"),
            "{note}"
        );
        assert_eq!(
            tree.read_to_string("stack.ts").unwrap().unwrap(),
            "// fastgen:imports\n"
        );
    }
}
