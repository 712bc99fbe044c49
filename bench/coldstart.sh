#!/usr/bin/env bash
# A simulated Lambda cold start of the generated API, in one run: a fresh Python 3.12
# process imports the handler from a read-only copy of the Lambda bundle and serves its
# first invocation (`GET /echo`, an API Gateway REST event), with Lambda's environment set
# so that Powertools traces as it does in Lambda, and boto3 from a separate directory as
# the Lambda runtime provides it. The bundle as built (with its bytecode) runs against the
# same bundle without bytecode, alternating; prints the medians, their ratio and the zipped
# sizes. See bench/README.md.
#
# Environment:
#   UV_PYTHON=path    the Python 3.12 uv uses (with pyenv, found from `pyenv prefix 3.12`)
#   FASTGEN_BIN=path  use this binary instead of building the release one
#   RUNS=10           cold starts of each bundle (at least 5)
#   API_ARGS=...      extra `fastgen g py#fast-api` options (e.g. "--compute-type http")
#   MEMORY_SIZES="512 1024 1769"  also time the bundle as built with the CPU share Lambda
#                     gives each memory size (1769 MB = one vCPU), through a cgroup v1 CPU
#                     quota: needs root and /sys/fs/cgroup/cpu; MEMORY_SIZES= leaves it out
#   KEEP=1            keep the temporary workspace (its path is printed)
set -euo pipefail

RUNS=${RUNS:-10}
(( RUNS >= 5 )) || { echo "RUNS must be at least 5" >&2; exit 2; }
TARGET_RATIO=0.4          # as built / without bytecode, at most
REF_UPSTREAM_MS=482       # @aws/nx-plugin 0.64.1's bundle, precompiled by hand (recorded once)

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fastgen-bench-coldstart.XXXXXX")
cleanup() {
    local status=$?
    chmod -R u+w "$WORK" 2>/dev/null || true
    if [[ ${KEEP:-0} == 1 ]]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM


# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

if [[ -z ${FASTGEN_BIN:-} ]]; then
    say "building fastgen (release)"
    (cd "$ROOT" && cargo build --release --quiet)
    FASTGEN_BIN=$ROOT/target/release/fastgen
fi
FASTGEN_BIN=$(realpath "$FASTGEN_BIN")
WS=$WORK/demo
say "generating a workspace in $WS"
"$FASTGEN_BIN" new "$WS" --skip-install >/dev/null
# shellcheck disable=SC2086 # API_ARGS holds several options
(cd "$WS" && "$FASTGEN_BIN" g py#fast-api MyApi --skip-install ${API_ARGS:-} >/dev/null)
say "uv sync and the bundle target"
(cd "$WS" && uv sync --all-packages --quiet)
(cd "$WS/packages/my_api" && uv run --quiet python scripts/bundle.py "$WORK/built" >/dev/null)
PY=$WS/.venv/bin/python
"$PY" -c 'import sys; assert sys.version_info[:2] == (3, 12), sys.version' ||
    die "the workspace's Python is not 3.12 (set UV_PYTHON)"

say "the same bundle without bytecode, and boto3 as the runtime provides it"
cp -a "$WORK/built" "$WORK/source-only"
find "$WORK/source-only" -name __pycache__ -type d -prune -exec rm -rf {} +
uv pip install --quiet --target "$WORK/runtime" --python "$PY" boto3
"$PY" -m compileall -q -j 0 --invalidation-mode unchecked-hash "$WORK/runtime" >/dev/null
chmod -R a-w "$WORK/built" "$WORK/source-only" "$WORK/runtime"

# One cold start: import and the first invocation, timed inside a fresh process.
cat >"$WORK/coldstart.py" <<'EOF'
import json, sys, time

started = time.perf_counter()
from my_api.main import handler

event = {
    "resource": "/{proxy+}", "path": "/echo", "httpMethod": "GET",
    "headers": {"host": "abc123.execute-api.us-east-1.amazonaws.com"},
    "multiValueHeaders": {"host": ["abc123.execute-api.us-east-1.amazonaws.com"]},
    "queryStringParameters": {"message": "hi"},
    "multiValueQueryStringParameters": {"message": ["hi"]},
    "pathParameters": {"proxy": "echo"}, "stageVariables": None, "body": None,
    "isBase64Encoded": False,
    "requestContext": {
        "accountId": "123456789012", "apiId": "abc123", "resourcePath": "/{proxy+}",
        "httpMethod": "GET", "path": "/prod/echo", "stage": "prod", "requestId": "bench",
        "identity": {"sourceIp": "203.0.113.7"}, "requestTimeEpoch": 1795550400000,
    },
}


class Context:
    function_name = "my-api-handler"
    function_version = "$LATEST"
    memory_limit_in_mb = 1024
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:my-api-handler"
    aws_request_id = "bench-request"

    def get_remaining_time_in_millis(self):
        return 28000


response = handler(event, Context())
elapsed_ms = (time.perf_counter() - started) * 1000
assert response["statusCode"] == 200, response
print(f"MS {elapsed_ms:.1f}")
EOF

coldstart() { # coldstart <bundle dir> [cgroup]: prints the milliseconds of one cold start
    local cgroup=${2:-}
    (cd "$1" && if [[ -n $cgroup ]]; then echo $BASHPID >"$cgroup/cgroup.procs"; fi &&
        exec env -i PATH=/usr/bin:/bin HOME="$WORK" LANG=C.UTF-8 \
        AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 \
        AWS_LAMBDA_FUNCTION_NAME=my-api-handler AWS_LAMBDA_FUNCTION_MEMORY_SIZE=1024 \
        AWS_EXECUTION_ENV=AWS_Lambda_python3.12 LAMBDA_TASK_ROOT="$1" \
        _X_AMZN_TRACE_ID="Root=1-67748f00-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1" \
        AWS_XRAY_CONTEXT_MISSING=IGNORE_ERROR PYTHONDONTWRITEBYTECODE=1 \
        PYTHONPATH="$1:$WORK/runtime" \
        "$PY" -S "$WORK/coldstart.py" 2>/dev/null | sed -n 's/^MS //p')
}

say "$RUNS cold starts of each bundle, alternating"
: >"$WORK/built.txt"
: >"$WORK/source-only.txt"
for ((i = 0; i < RUNS; i++)); do
    for variant in built source-only; do
        ms=$(coldstart "$WORK/$variant")
        [[ -n $ms ]] || die "the $variant bundle failed to serve GET /echo"
        echo "$ms" >>"$WORK/$variant.txt"
    done
done

# The CPU share Lambda gives a memory size, as a CFS quota.
MEMORY_SIZES=${MEMORY_SIZES-512 1024 1769}
: >"$WORK/memory.txt"
if [[ -n $MEMORY_SIZES ]]; then
    [[ $(id -u) == 0 && -w /sys/fs/cgroup/cpu ]] ||
        die "MEMORY_SIZES needs root and a writable /sys/fs/cgroup/cpu (cgroup v1); set MEMORY_SIZES= to leave it out"
    for mb in $MEMORY_SIZES; do
        cgroup=/sys/fs/cgroup/cpu/fastgen-bench-$$-$mb
        mkdir "$cgroup"
        echo 100000 >"$cgroup/cpu.cfs_period_us"
        echo $((100000 * mb / 1769)) >"$cgroup/cpu.cfs_quota_us"
        say "$RUNS cold starts with the CPU of $mb MB"
        for ((i = 0; i < RUNS; i++)); do
            ms=$(coldstart "$WORK/built" "$cgroup")
            [[ -n $ms ]] || die "the bundle failed to serve GET /echo with the CPU of $mb MB"
            echo "$mb $ms" >>"$WORK/memory.txt"
        done
        rmdir "$cgroup"
    done
fi

"$PY" - "$WORK" "$RUNS" "$TARGET_RATIO" "$REF_UPSTREAM_MS" <<'EOF'
import os, statistics, sys, zipfile

work, runs, target, upstream = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])


def times(variant):
    return [float(line) for line in open(os.path.join(work, f"{variant}.txt"))]


def zipped_mb(variant):
    path = os.path.join(work, f"{variant}.zip")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        root = os.path.join(work, variant)
        for folder, _, files in os.walk(root):
            for name in files:
                full = os.path.join(folder, name)
                archive.write(full, os.path.relpath(full, root))
    return os.path.getsize(path) / 1e6


built, source = times("built"), times("source-only")
b, s = statistics.median(built), statistics.median(source)
print(f"cold start (import + first GET /echo), median of {runs}:")
print(f"  bundle as built (bytecode)   {b:8.1f} ms   (min {min(built):.1f}, max {max(built):.1f})")
print(f"  same bundle without bytecode {s:8.1f} ms   (min {min(source):.1f}, max {max(source):.1f})")
print(f"  ratio as built / without     {b / s:8.3f}     (target <= {target})")
print(f"  upstream precompiled (recorded, not measured here) {upstream:.0f} ms: "
      f"{'below' if b < upstream else 'ABOVE'} it")
print(f"zipped: as built {zipped_mb('built'):.2f} MB, without bytecode {zipped_mb('source-only'):.2f} MB")

by_memory = {}
for line in open(os.path.join(work, "memory.txt")):
    mb, ms = line.split()
    by_memory.setdefault(int(mb), []).append(float(ms))
if by_memory:
    print("bundle as built with Lambda's CPU share of a memory size (1769 MB = 1 vCPU):")
    for mb, values in sorted(by_memory.items()):
        median = statistics.median(values)
        # What the cold start costs, in GB-seconds, at this memory size.
        print(f"  {mb:5d} MB  {median:8.1f} ms   {mb / 1024 * median / 1000:.3f} GB-s")

EOF
