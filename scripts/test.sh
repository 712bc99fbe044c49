#!/usr/bin/env bash
# Runs every test of fastgen: unit tests, CLI tests and the end-to-end runs that
# build, lint, test and bundle generated workspaces with the real tools (the
# `e2e` cargo feature; plain `cargo test` leaves them out). Arguments go to
# `cargo test`, e.g. `bash scripts/test.sh --test terraform`.
#
# It installs what those runs need by itself: uv (from PyPI, into .tools/) and,
# inside the tests, the generated workspaces' Python and Node packages. It needs
# the Rust toolchain, Python 3 with venv, Node 20 + npm, and a Python 3.12 that
# uv can use (set UV_PYTHON to choose one).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

UV_VERSION=0.13.9
tools="$PWD/.tools"

if [ ! -x "$tools/venv/bin/uv" ] || [ "$("$tools/venv/bin/uv" --version | cut -d' ' -f2)" != "$UV_VERSION" ]; then
  echo "Installing uv $UV_VERSION into .tools/ ..."
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi
export PATH="$tools/venv/bin:$PATH"

# Never let uv download an interpreter: the tests use one installed here.
export UV_PYTHON_DOWNLOADS=never
if [ -z "${UV_PYTHON:-}" ]; then
  # pyenv's shims hide its interpreters from uv's discovery: ask pyenv directly.
  if command -v pyenv >/dev/null 2>&1; then
    version=$(pyenv versions --bare 2>/dev/null | grep -E '^3\.12(\.[0-9]+)?$' | tail -n 1 || true)
    if [ -n "$version" ]; then
      UV_PYTHON="$(pyenv prefix "$version")/bin/python3"
    fi
  fi
  if [ -z "${UV_PYTHON:-}" ]; then
    # pyenv installed but not on PATH: look in its versions folder.
    for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.12*/bin/python3; do
      if [ -x "$candidate" ]; then UV_PYTHON=$candidate; fi
    done
  fi
  if [ -z "${UV_PYTHON:-}" ]; then
    UV_PYTHON=$(uv python find 3.12 2>/dev/null || true)
  fi
fi
if [ -z "${UV_PYTHON:-}" ] || ! "$UV_PYTHON" -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null; then
  echo "error: no Python 3.12 found: install one, or set UV_PYTHON to its path" >&2
  exit 1
fi
export UV_PYTHON
for tool in node npm; do
  command -v "$tool" >/dev/null 2>&1 || { echo "error: $tool is not on PATH: install Node.js 20 or newer" >&2; exit 1; }
done
# The Terraform tests plan modules with the AWS provider. Where `terraform init` cannot
# download it, a local plugin directory (a filesystem mirror) stands in: found here once,
# unless TF_PLUGIN_DIR names one. Without either, init downloads the provider.
if [ -z "${TF_PLUGIN_DIR:-}" ]; then
  provider=$(find / -xdev \( -path /proc -o -path /sys -o -path /tmp -o -path "$HOME" -o -path "$PWD" \) -prune \
    -o -path '*/registry.terraform.io/hashicorp/aws/*' -name 'terraform-provider-aws_*' -print 2>/dev/null | head -n 1)
  if [ -n "$provider" ]; then
    export TF_PLUGIN_DIR="${provider%%/registry.terraform.io/*}"
  fi
fi

echo "uv $(uv --version | cut -d' ' -f2), Python $("$UV_PYTHON" -c 'import platform; print(platform.python_version())'), Node $(node --version)"

cargo test --locked --no-fail-fast --features e2e "$@"
