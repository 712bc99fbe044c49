# Sourced by the benchmarks (after they set WORK): say/die, then uv first on PATH (through
# $WORK/bin) and the Python it uses. uv is resolved once here: a pyenv shim would pick its
# Python from the workspace's .python-version and fail there.

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

UV_REAL=$(command -v uv || true)
if [[ $UV_REAL == */shims/* ]] && command -v pyenv >/dev/null; then UV_REAL=$(pyenv which uv); fi
[[ -n $UV_REAL ]] || die "uv is missing (pip install uv)"
mkdir -p "$WORK/bin"
ln -s "$UV_REAL" "$WORK/bin/uv"
export PATH="$WORK/bin:$PATH"
export UV_PYTHON_DOWNLOADS=never
if [[ -z ${UV_PYTHON:-} ]] && command -v pyenv >/dev/null; then
    if prefix=$(pyenv prefix 3.12 2>/dev/null); then export UV_PYTHON=$prefix/bin/python3; fi
fi
