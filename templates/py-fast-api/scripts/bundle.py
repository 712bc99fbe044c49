"""Build the AWS Lambda bundle of {{ class_name }}.

The bundle is the project's locked runtime dependencies, installed as binary wheels for the
Lambda Python 3.12 runtime on {{ architecture }}, plus the app's own package{% if web_adapter %} and ``run.sh``, the Lambda
handler that starts uvicorn for the Lambda Web Adapter{% endif %}, with the bytecode of every
module. It goes into the directory given as argv[1] and is rebuilt from scratch on every run.
boto3, botocore and s3transfer (and whatever only they need) are left out because the Lambda
Python runtime already provides them.

Usage (from the project directory): uv run python scripts/bundle.py <bundle-dir>
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
WORKSPACE_DIR = (PROJECT_DIR / "{{ offset }}").resolve()
MODULE = "{{ module }}"
{% if web_adapter %}
# The Lambda handler: the Lambda Web Adapter runs it to start the app (mode 0755).
ENTRY_POINT = "run.sh"
{% endif %}
PYTHON_PLATFORM = "{{ python_platform }}"
PYTHON_VERSION = "3.12"
# Provided by the Lambda Python runtime; pruned together with their own dependencies.
PROVIDED_BY_RUNTIME = ("boto3", "botocore", "s3transfer")


def run(*args: str) -> None:
    print("+", " ".join(args), flush=True)
    subprocess.run(args, cwd=PROJECT_DIR, check=True)


def take_workspace_members(requirements: Path) -> list[str]:
    """Take the workspace's packages (lines that are paths, relative to the workspace root)
    out of ``requirements`` and return their absolute paths."""
    lines = requirements.read_text(encoding="utf-8").splitlines(keepends=True)
    members = [line for line in lines if line.startswith(("./", "../"))]
    requirements.write_text("".join(line for line in lines if line not in members), "utf-8")
    return [str(WORKSPACE_DIR / line.strip()) for line in members]


def compile_bytecode(bundle: Path, uv: str) -> None:
    """Compile every module of the bundle for Python 3.12, next to its source.

    Lambda's /var/task is read-only, so a bundle without bytecode compiles every module it
    imports on every cold start. The files are hash-based (PEP 552), so the timestamps a zip
    tool rewrites leave them valid, and unchecked: the bundle is never edited in place.
    """
    if sys.version_info[:2] == (3, 12):
        python = [sys.executable]
    else:
        python = [uv, "run", "--no-project", "--python", PYTHON_VERSION, "python"]
    run(
        *python, "-m", "compileall", "-q", "-j", "0",
        "--invalidation-mode", "unchecked-hash", str(bundle),
    )  # fmt: skip


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(f"usage: {argv[0]} <bundle-dir>", file=sys.stderr)
        return 2
    bundle = Path(argv[1]).resolve()
    uv = os.environ.get("UV") or shutil.which("uv") or "uv"

    shutil.rmtree(bundle, ignore_errors=True)
    bundle.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        requirements = Path(tmp) / "requirements.txt"
        prune = [arg for package in PROVIDED_BY_RUNTIME for arg in ("--prune", package)]
        # Exactly what uv.lock says (--locked fails rather than relock), with the packages of
        # this uv workspace that the app uses as plain paths (--no-editable).
        run(
            uv, "export", "--quiet", "--locked", "--no-dev", "--no-emit-project",
            "--no-editable", *prune, "--output-file", str(requirements),
        )  # fmt: skip
        members = take_workspace_members(requirements)
        run(
            uv, "pip", "install", "--quiet", "--no-deps", "--only-binary", ":all:",
            "--python-platform", PYTHON_PLATFORM, "--python-version", PYTHON_VERSION,
            "--target", str(bundle), "-r", str(requirements),
        )  # fmt: skip
        if members:
            # Your own packages, built from their source (their dependencies are above).
            run(
                uv, "pip", "install", "--quiet", "--no-deps",
                "--python-platform", PYTHON_PLATFORM, "--python-version", PYTHON_VERSION,
                "--target", str(bundle), *members,
            )  # fmt: skip
    shutil.copytree(
        PROJECT_DIR / MODULE,
        bundle / MODULE,
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
{% if web_adapter %}
    shutil.copyfile(PROJECT_DIR / ENTRY_POINT, bundle / ENTRY_POINT)
    (bundle / ENTRY_POINT).chmod(0o755)  # whatever mode the checkout gave it
{% endif %}
    compile_bytecode(bundle, uv)
    print(f"Bundled {MODULE} into {bundle}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
