#!/usr/bin/env bash
# Builds fastgen's packages into dist/pkg/: the PyPI wheel of the binary (maturin,
# `bindings = "bin"`), for this machine's platform. Needs the Rust toolchain and
# Python 3 with venv; installs maturin from PyPI into .tools/ by itself.
#
# Usage: bash scripts/package.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

MATURIN_VERSION=1.16.0
tools="$PWD/.tools/package-venv"
out="$PWD/dist/pkg"

if [ ! -x "$tools/bin/maturin" ] || [ "$("$tools/bin/maturin" --version | cut -d' ' -f2)" != "$MATURIN_VERSION" ]; then
  echo "Installing maturin $MATURIN_VERSION into .tools/ ..."
  python3 -m venv "$tools"
  "$tools/bin/python" -m pip install --quiet --disable-pip-version-check "maturin==$MATURIN_VERSION"
fi

rm -rf "$out"
mkdir -p "$out"
"$tools/bin/maturin" build --release --quiet --out "$out"
ls -l "$out"
