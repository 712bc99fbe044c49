//! Case conversions of a project name and the checks that keep names and
//! directories usable.

use heck::{ToKebabCase, ToSnakeCase, ToUpperCamelCase};
use thiserror::Error;

/// Everything that can be wrong with a name or a directory.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum NameError {
    /// The name is empty or only punctuation.
    #[error("the name is empty: pass a name such as `my-api`")]
    Empty,
    /// The name has characters that cannot appear in an identifier.
    #[error(
        "`{0}` has characters that cannot be part of a Python module name: use letters, digits, `-`, `_` or spaces"
    )]
    BadCharacters(String),
    /// The module name is not a Python identifier.
    #[error(
        "`{0}` is not a valid Python module name: use lowercase letters, digits and `_`, starting with a letter"
    )]
    NotIdentifier(String),
    /// The module name is a Python keyword.
    #[error("`{0}` is a Python keyword: choose another name or pass --module-name")]
    Keyword(String),
    /// The module name would shadow a module the app imports.
    #[error(
        "`{0}` would shadow the `{0}` module that Python or the app imports: choose another name or pass --module-name"
    )]
    Shadows(String),
    /// The directory is absolute.
    #[error(
        "the directory `{0}` is absolute: pass a path relative to the workspace root, such as `packages`"
    )]
    AbsoluteDirectory(String),
    /// The directory climbs out of the workspace.
    #[error("the directory `{0}` leaves the workspace: pass a path inside it, such as `packages`")]
    EscapingDirectory(String),
}

/// The spellings of one project name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    /// `MyApi`: TypeScript classes, Powertools service and namespace.
    pub class_name: String,
    /// `my-api`: file names of infrastructure code, the Python distribution name.
    pub kebab: String,
    /// `my_api`: the Python module, the project directory and the Nx project.
    pub snake: String,
}

impl Names {
    /// Derives every spelling from a name as the user typed it (`MyApi`, `my-api`, `my api`).
    pub fn parse(raw: &str) -> Result<Names, NameError> {
        let trimmed = raw.trim();
        if trimmed
            .chars()
            .any(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ' ' | '.')))
        {
            return Err(NameError::BadCharacters(trimmed.to_string()));
        }
        let snake = trimmed.to_snake_case();
        if snake.is_empty() {
            return Err(NameError::Empty);
        }
        Ok(Names {
            class_name: trimmed.to_upper_camel_case(),
            kebab: trimmed.to_kebab_case(),
            snake,
        })
    }
}

/// Python keywords and soft keywords that cannot, or should not, name a module.
const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "case", "class",
    "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if",
    "import", "in", "is", "lambda", "match", "nonlocal", "not", "or", "pass", "raise", "return",
    "try", "type", "while", "with", "yield",
];

/// Modules the generated project imports, or folders it holds, besides the standard library.
const APP_MODULES: &[&str] = &[
    "anyio",
    "aws_lambda_powertools",
    "aws_xray_sdk",
    "boto3",
    "botocore",
    "fastapi",
    "h11",
    "httpx",
    "mangum",
    "pydantic",
    "pydantic_core",
    "pytest",
    "ruff",
    "scripts",
    "starlette",
    "tests",
    "typing_extensions",
    "uvicorn",
];

/// The standard library of Python 3.12 (`sys.stdlib_module_names`) plus `test`.
const STDLIB: &[&str] = &[
    "abc",
    "aifc",
    "antigravity",
    "argparse",
    "array",
    "ast",
    "asyncio",
    "atexit",
    "audioop",
    "base64",
    "bdb",
    "binascii",
    "bisect",
    "builtins",
    "bz2",
    "cProfile",
    "calendar",
    "cgi",
    "cgitb",
    "chunk",
    "cmath",
    "cmd",
    "code",
    "codecs",
    "codeop",
    "collections",
    "colorsys",
    "compileall",
    "concurrent",
    "configparser",
    "contextlib",
    "contextvars",
    "copy",
    "copyreg",
    "crypt",
    "csv",
    "ctypes",
    "curses",
    "dataclasses",
    "datetime",
    "dbm",
    "decimal",
    "difflib",
    "dis",
    "doctest",
    "email",
    "encodings",
    "ensurepip",
    "enum",
    "errno",
    "faulthandler",
    "fcntl",
    "filecmp",
    "fileinput",
    "fnmatch",
    "fractions",
    "ftplib",
    "functools",
    "gc",
    "genericpath",
    "getopt",
    "getpass",
    "gettext",
    "glob",
    "graphlib",
    "grp",
    "gzip",
    "hashlib",
    "heapq",
    "hmac",
    "html",
    "http",
    "idlelib",
    "imaplib",
    "imghdr",
    "importlib",
    "inspect",
    "io",
    "ipaddress",
    "itertools",
    "json",
    "keyword",
    "lib2to3",
    "linecache",
    "locale",
    "logging",
    "lzma",
    "mailbox",
    "mailcap",
    "marshal",
    "math",
    "mimetypes",
    "mmap",
    "modulefinder",
    "msilib",
    "msvcrt",
    "multiprocessing",
    "netrc",
    "nis",
    "nntplib",
    "nt",
    "ntpath",
    "nturl2path",
    "numbers",
    "opcode",
    "operator",
    "optparse",
    "os",
    "ossaudiodev",
    "pathlib",
    "pdb",
    "pickle",
    "pickletools",
    "pipes",
    "pkgutil",
    "platform",
    "plistlib",
    "poplib",
    "posix",
    "posixpath",
    "pprint",
    "profile",
    "pstats",
    "pty",
    "pwd",
    "py_compile",
    "pyclbr",
    "pydoc",
    "pydoc_data",
    "pyexpat",
    "queue",
    "quopri",
    "random",
    "re",
    "readline",
    "reprlib",
    "resource",
    "rlcompleter",
    "runpy",
    "sched",
    "secrets",
    "select",
    "selectors",
    "shelve",
    "shlex",
    "shutil",
    "signal",
    "site",
    "smtplib",
    "sndhdr",
    "socket",
    "socketserver",
    "spwd",
    "sqlite3",
    "sre_compile",
    "sre_constants",
    "sre_parse",
    "ssl",
    "stat",
    "statistics",
    "string",
    "stringprep",
    "struct",
    "subprocess",
    "sunau",
    "symtable",
    "sys",
    "sysconfig",
    "syslog",
    "tabnanny",
    "tarfile",
    "telnetlib",
    "tempfile",
    "termios",
    "test",
    "textwrap",
    "this",
    "threading",
    "time",
    "timeit",
    "tkinter",
    "token",
    "tokenize",
    "tomllib",
    "trace",
    "traceback",
    "tracemalloc",
    "tty",
    "turtle",
    "turtledemo",
    "types",
    "typing",
    "unicodedata",
    "unittest",
    "urllib",
    "uu",
    "uuid",
    "venv",
    "warnings",
    "wave",
    "weakref",
    "webbrowser",
    "winreg",
    "winsound",
    "wsgiref",
    "xdrlib",
    "xml",
    "xmlrpc",
    "zipapp",
    "zipfile",
    "zipimport",
    "zlib",
    "zoneinfo",
];

/// Checks that `module` can be the generated Python package's import name.
pub fn validate_module_name(module: &str) -> Result<(), NameError> {
    let mut chars = module.chars();
    let starts_well = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_');
    if !starts_well || !chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
        return Err(NameError::NotIdentifier(module.to_string()));
    }
    if KEYWORDS.contains(&module) {
        return Err(NameError::Keyword(module.to_string()));
    }
    if STDLIB.contains(&module) || APP_MODULES.contains(&module) {
        return Err(NameError::Shadows(module.to_string()));
    }
    Ok(())
}

/// Checks a directory relative to the workspace root and returns it in `a/b` form
/// (empty for the root itself).
pub fn normalize_directory(directory: &str) -> Result<String, NameError> {
    let trimmed = directory.trim();
    if trimmed.starts_with('/') || trimmed.starts_with('\\') || trimmed.get(1..2) == Some(":") {
        return Err(NameError::AbsoluteDirectory(trimmed.to_string()));
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in trimmed.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(NameError::EscapingDirectory(trimmed.to_string()));
                }
            }
            part => parts.push(part),
        }
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_a_name_gives_the_same_names() {
        for raw in ["MyApi", "my-api", "my_api", "my api", " My Api ", "myApi"] {
            let names = Names::parse(raw).unwrap();
            assert_eq!(names.class_name, "MyApi", "{raw}");
            assert_eq!(names.kebab, "my-api", "{raw}");
            assert_eq!(names.snake, "my_api", "{raw}");
        }
    }

    #[test]
    fn acronyms_and_digits_convert_sensibly() {
        let names = Names::parse("OrderAPI2").unwrap();
        assert_eq!(names.snake, "order_api2");
        assert_eq!(names.kebab, "order-api2");
        assert_eq!(names.class_name, "OrderApi2");
    }

    #[test]
    fn bad_names_are_refused() {
        assert_eq!(Names::parse(""), Err(NameError::Empty));
        assert_eq!(Names::parse(" - _ "), Err(NameError::Empty));
        assert!(matches!(
            Names::parse("my/api"),
            Err(NameError::BadCharacters(_))
        ));
        assert!(matches!(
            Names::parse("café"),
            Err(NameError::BadCharacters(_))
        ));
    }

    #[test]
    fn module_names_are_checked() {
        assert!(validate_module_name("my_api").is_ok());
        assert!(validate_module_name("_private2").is_ok());
        assert!(matches!(
            validate_module_name("1api"),
            Err(NameError::NotIdentifier(_))
        ));
        assert!(matches!(
            validate_module_name("my-api"),
            Err(NameError::NotIdentifier(_))
        ));
        assert!(matches!(
            validate_module_name("MyApi"),
            Err(NameError::NotIdentifier(_))
        ));
        assert!(matches!(
            validate_module_name("class"),
            Err(NameError::Keyword(_))
        ));
        for shadow in ["json", "test", "fastapi", "pydantic", "typing", "tests"] {
            assert_eq!(
                validate_module_name(shadow),
                Err(NameError::Shadows(shadow.into()))
            );
        }
    }

    #[test]
    fn directories_stay_inside_the_workspace() {
        assert_eq!(normalize_directory("packages").unwrap(), "packages");
        assert_eq!(normalize_directory("./apps//api/").unwrap(), "apps/api");
        assert_eq!(normalize_directory("a/../b").unwrap(), "b");
        assert_eq!(normalize_directory(".").unwrap(), "");
        assert!(matches!(
            normalize_directory("/abs"),
            Err(NameError::AbsoluteDirectory(_))
        ));
        assert!(matches!(
            normalize_directory("C:\\x"),
            Err(NameError::AbsoluteDirectory(_))
        ));
        assert!(matches!(
            normalize_directory("../out"),
            Err(NameError::EscapingDirectory(_))
        ));
        assert!(matches!(
            normalize_directory("a/../../out"),
            Err(NameError::EscapingDirectory(_))
        ));
    }
}
