#!/usr/bin/env bash
# Builds fastgen's packages into dist/pkg/, for this machine's platform: the PyPI wheel
# of the binary (maturin, `bindings = "bin"`) and the npm tarballs (`npm pack`):
# @fastgen/cli (the shim), its platform package (@fastgen/cli-linux-x64-gnu here) and
# @fastgen/nx (the Nx plugin, its schemas made from `fastgen list --json`). The other
# platforms' packages come from .github/workflows/release.yml. Needs the Rust toolchain,
# Python 3 with venv, Node and npm; installs maturin from PyPI into .tools/ by itself.
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

cargo build --release --locked --quiet
version=$(cargo metadata --no-deps --format-version 1 |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["packages"][0]["version"])')
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
node npm/stage.js "$version" target/release/fastgen "$staging"
for package in "$staging"/*/; do
  (cd "$out" && npm pack --silent "$package" >/dev/null)
done
ls -l "$out"
