//! A virtual file tree over a workspace directory.
//!
//! Generators read through the tree and write into it; nothing touches the disk
//! until [`Tree::commit`], which writes every staged file atomically (a temporary
//! file renamed over the target). A generator that fails simply drops its tree.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};

/// What a staged write does to the file on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// The file does not exist yet.
    Create,
    /// The file exists and its content changes.
    Update,
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ChangeKind::Create => "CREATE",
            ChangeKind::Update => "UPDATE",
        })
    }
}

/// One staged file: its new content and whether it is executable.
#[derive(Debug, Clone)]
struct Staged {
    kind: ChangeKind,
    content: Vec<u8>,
    executable: bool,
}

/// One entry of the change list that [`Tree::changes`] returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Create or update.
    pub kind: ChangeKind,
    /// The path relative to the tree's root, with `/` separators.
    pub path: String,
}

/// One staged file as [`Tree::staged_files`] lists it.
#[derive(Debug, Clone, Copy)]
pub struct StagedFile<'a> {
    /// Create or update.
    pub kind: ChangeKind,
    /// The path relative to the tree's root, with `/` separators.
    pub path: &'a str,
    /// The content the commit writes.
    pub content: &'a [u8],
    /// Whether the commit makes the file executable (mode 0755, else 0644).
    pub executable: bool,
}

/// A staged view of the files below `root`.
#[derive(Debug)]
pub struct Tree {
    root: PathBuf,
    staged: BTreeMap<String, Staged>,
}

impl Tree {
    /// Opens a tree over `root`, which need not exist yet.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Tree {
            root: root.into(),
            staged: BTreeMap::new(),
        }
    }

    /// The directory this tree writes into.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Reads a file: the staged content if there is one, else the disk's.
    pub fn read(&self, path: &str) -> Result<Option<Vec<u8>>> {
        let path = normalize(path)?;
        if let Some(staged) = self.staged.get(&path) {
            return Ok(Some(staged.content.clone()));
        }
        read_disk(&self.root.join(&path))
    }

    /// Reads a UTF-8 text file, or `None` when it does not exist.
    pub fn read_to_string(&self, path: &str) -> Result<Option<String>> {
        match self.read(path)? {
            Some(bytes) => String::from_utf8(bytes)
                .map(Some)
                .with_context(|| format!("{path} is not valid UTF-8")),
            None => Ok(None),
        }
    }

    /// Whether a file exists, staged or on disk.
    pub fn exists(&self, path: &str) -> Result<bool> {
        let path = normalize(path)?;
        Ok(self.staged.contains_key(&path) || self.root.join(&path).is_file())
    }

    /// Whether anything (file or directory) exists at `path` on disk or is staged below it.
    pub fn is_occupied(&self, path: &str) -> Result<bool> {
        let path = normalize(path)?;
        let prefix = format!("{path}/");
        Ok(self.root.join(&path).exists()
            || self
                .staged
                .keys()
                .any(|p| *p == path || p.starts_with(&prefix)))
    }

    /// Stages `content` at `path`; writing what the disk already holds stages nothing.
    pub fn write(&mut self, path: &str, content: impl Into<Vec<u8>>) -> Result<()> {
        self.stage(path, content.into(), false)
    }

    /// Stages an executable file (mode 0755 on Unix).
    pub fn write_executable(&mut self, path: &str, content: impl Into<Vec<u8>>) -> Result<()> {
        self.stage(path, content.into(), true)
    }

    /// Stages `content` only if no file exists at `path`; returns whether it did.
    ///
    /// This is how files the user owns (their routes, tests, README) are written:
    /// created once, never overwritten.
    pub fn write_if_absent(&mut self, path: &str, content: impl Into<Vec<u8>>) -> Result<bool> {
        if self.exists(path)? {
            return Ok(false);
        }
        self.write(path, content)?;
        Ok(true)
    }

    /// Like [`Tree::write_if_absent`], for an executable file.
    pub fn write_executable_if_absent(
        &mut self,
        path: &str,
        content: impl Into<Vec<u8>>,
    ) -> Result<bool> {
        if self.exists(path)? {
            return Ok(false);
        }
        self.write_executable(path, content)?;
        Ok(true)
    }

    fn stage(&mut self, path: &str, content: Vec<u8>, executable: bool) -> Result<()> {
        let path = normalize(path)?;
        let on_disk = self.root.join(&path);
        if on_disk.is_dir() {
            bail!("cannot write {path}: a directory is in the way");
        }
        let kind = match read_disk(&on_disk)? {
            None => ChangeKind::Create,
            Some(current) if current == content && is_executable(&on_disk) == executable => {
                self.staged.remove(&path);
                return Ok(());
            }
            Some(_) => ChangeKind::Update,
        };
        self.staged.insert(
            path,
            Staged {
                kind,
                content,
                executable,
            },
        );
        Ok(())
    }

    /// The staged files with their content and mode, sorted by path.
    pub fn staged_files(&self) -> impl Iterator<Item = StagedFile<'_>> {
        self.staged.iter().map(|(path, staged)| StagedFile {
            kind: staged.kind,
            path,
            content: &staged.content,
            executable: staged.executable,
        })
    }

    /// The staged changes, sorted by path.
    pub fn changes(&self) -> Vec<Change> {
        self.staged
            .iter()
            .map(|(path, staged)| Change {
                kind: staged.kind,
                path: path.clone(),
            })
            .collect()
    }

    /// Writes every staged file to disk, each atomically, and returns the change list.
    pub fn commit(self) -> Result<Vec<Change>> {
        let changes = self.changes();
        for (path, staged) in &self.staged {
            let target = self.root.join(path);
            write_atomic(&target, &staged.content, staged.executable)
                .with_context(|| format!("failed to write {}", target.display()))?;
        }
        Ok(changes)
    }
}

/// Turns a relative path into the tree's canonical form, refusing paths that
/// are absolute or climb out of the tree.
fn normalize(path: &str) -> Result<String> {
    let mut parts: Vec<&str> = Vec::new();
    for component in Path::new(path).components() {
        match component {
            Component::Normal(part) => match part.to_str() {
                Some(part) => parts.push(part),
                None => bail!("{path} is not valid UTF-8"),
            },
            Component::CurDir => {}
            Component::ParentDir => {
                if parts.pop().is_none() {
                    bail!("{path} leaves the workspace");
                }
            }
            Component::RootDir | Component::Prefix(_) => bail!("{path} is absolute"),
        }
    }
    if parts.is_empty() {
        bail!("empty path");
    }
    Ok(parts.join("/"))
}

fn read_disk(path: &Path) -> Result<Option<Vec<u8>>> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(err) if path.is_dir() => Err(err).context(format!("{} is a directory", path.display())),
        Err(err) => Err(err).with_context(|| format!("failed to read {}", path.display())),
    }
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(_path: &Path) -> bool {
    false
}

/// Writes `content` to a temporary file beside `target` and renames it into place.
fn write_atomic(target: &Path, content: &[u8], executable: bool) -> io::Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("file");
    let temp = dir.join(format!(".{name}.fastgen-{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&temp)?;
        file.write_all(content)?;
        set_mode(&temp, executable)?;
        fs::rename(&temp, target)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

#[cfg(unix)]
fn set_mode(path: &Path, executable: bool) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = if executable { 0o755 } else { 0o644 };
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _executable: bool) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_see_staged_writes_and_nothing_reaches_disk_before_commit() {
        let dir = tempfile::tempdir().unwrap();
        let mut tree = Tree::new(dir.path());
        tree.write("a/b.txt", "hello").unwrap();
        assert_eq!(
            tree.read_to_string("a/b.txt").unwrap().as_deref(),
            Some("hello")
        );
        assert!(!dir.path().join("a").exists());
        let changes = tree.commit().unwrap();
        assert_eq!(
            changes,
            vec![Change {
                kind: ChangeKind::Create,
                path: "a/b.txt".into()
            }]
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("a/b.txt")).unwrap(),
            "hello"
        );
    }

    #[test]
    fn writing_what_is_on_disk_stages_nothing_and_a_change_is_an_update() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("f"), "same").unwrap();
        let mut tree = Tree::new(dir.path());
        tree.write("f", "same").unwrap();
        assert!(tree.changes().is_empty());
        tree.write("f", "other").unwrap();
        assert_eq!(tree.changes()[0].kind, ChangeKind::Update);
        tree.write("f", "same").unwrap();
        assert!(
            tree.changes().is_empty(),
            "writing the disk's content back unstages"
        );
    }

    #[test]
    fn write_if_absent_keeps_existing_files() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("main.py"), "mine").unwrap();
        let mut tree = Tree::new(dir.path());
        assert!(!tree.write_if_absent("main.py", "generated").unwrap());
        assert!(tree.write_if_absent("other.py", "generated").unwrap());
        assert!(!tree.write_if_absent("other.py", "again").unwrap());
        assert_eq!(
            tree.read_to_string("other.py").unwrap().as_deref(),
            Some("generated")
        );
        tree.commit().unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join("main.py")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn paths_outside_the_tree_are_refused() {
        let mut tree = Tree::new("/nonexistent");
        assert!(tree.write("../x", "").is_err());
        assert!(tree.write("/etc/passwd", "").is_err());
        assert!(tree.write("a/../../x", "").is_err());
        assert!(tree.write("a/./b/../c", "").is_ok());
        assert_eq!(tree.changes()[0].path, "a/c");
    }

    #[cfg(unix)]
    #[test]
    fn executables_get_mode_0755() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mut tree = Tree::new(dir.path());
        tree.write_executable("run.sh", "#!/bin/sh\n").unwrap();
        tree.commit().unwrap();
        let mode = fs::metadata(dir.path().join("run.sh"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o755);
    }

    #[test]
    fn dropping_a_tree_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        {
            let mut tree = Tree::new(dir.path());
            tree.write("x", "y").unwrap();
        }
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
