#!/usr/bin/env bash
# The generated FastAPI app against a bare FastAPI app with the same routes, in one run:
# throughput (uvicorn + wrk) on an async and a sync route, with the generated app's request
# log line on (INFO, its default) and off (WARNING), the same three servers' instructions per
# request (valgrind's callgrind: a figure the machine's load does not move), import time, and
# the size of the Lambda bundle. See bench/README.md.
#
# Environment:
#   UV_PYTHON=path    the Python uv uses (honoured; with pyenv, found from `pyenv prefix 3.12`)
#   FASTGEN_BIN=path  use this binary instead of building the release one
#   DURATION=10       seconds of each wrk run        ROUNDS=2   rounds (order alternates)
#   WARMUP=2          seconds of warm-up per server  IMPORT_RUNS=15  fresh imports per module
#   INSTR_WARMUP=200  requests before counting       INSTR_REQUESTS=500  requests counted
#   SKIP_HTTP=1 / SKIP_INSTRUCTIONS=1 / SKIP_IMPORT=1 / SKIP_BUNDLE=1   leave a part out
#   SERVE_ENV=1       also serve the generated app with the env of its `serve` target
#                     (Powertools metrics/tracing disabled): a diagnostic, not the figure
#   KEEP=1            keep the temporary workspace (its path is printed)
#   NO_INSTALL=1      never apt-get install wrk
set -euo pipefail

DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
ROUNDS=${ROUNDS:-2}
IMPORT_RUNS=${IMPORT_RUNS:-15}
INSTR_WARMUP=${INSTR_WARMUP:-200}
INSTR_REQUESTS=${INSTR_REQUESTS:-500}
(( IMPORT_RUNS >= 10 )) || { echo "IMPORT_RUNS must be at least 10" >&2; exit 2; }

# Targets, and the upstream bundle recorded once (not measured here).
TARGET_RPS_RATIO=0.90      # generated (INFO) / bare requests per second, each route, at least
TARGET_IMPORT_RATIO=1.3    # generated / bare import time, at most
REF_BUNDLE_MB=47           # @aws/nx-plugin py#fast-api bundle, unzipped
REF_ZIP_MB=22              # … zipped; the target is a third of it

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fastgen-bench-app.XXXXXX")
SERVER_PID=
cleanup() {
    local status=$?
    if [[ -n $SERVER_PID ]]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [[ ${KEEP:-0} == 1 ]]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

RESULTS=$WORK/results.txt   # "key value" lines for the summary
: >"$RESULTS"
result() { echo "$1 $2" >>"$RESULTS"; }

# --- tools -------------------------------------------------------------------------------
if ! command -v wrk >/dev/null && [[ -z ${SKIP_HTTP:-} ]]; then
    if [[ ${NO_INSTALL:-0} != 1 && $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        say "installing the Debian package 'wrk' (missing; set NO_INSTALL=1 to skip)"
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; } >/dev/null 2>&1
    fi
    command -v wrk >/dev/null || die "wrk is missing (apt-get install wrk), or set SKIP_HTTP=1"
fi
if ! command -v valgrind >/dev/null && [[ -z ${SKIP_INSTRUCTIONS:-} ]]; then
    if [[ ${NO_INSTALL:-0} != 1 && $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        say "installing the Debian package 'valgrind' (missing; set NO_INSTALL=1 to skip)"
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind; } >/dev/null 2>&1
    fi
    command -v valgrind >/dev/null || die "valgrind is missing (apt-get install valgrind), or set SKIP_INSTRUCTIONS=1"
fi
command -v curl >/dev/null || die "curl is missing"

say "uv: $UV_REAL ($(uv --version)); UV_PYTHON=${UV_PYTHON:-(unset: uv discovery)}"

# --- workspace ---------------------------------------------------------------------------
if [[ -z ${FASTGEN_BIN:-} ]]; then
    say "building fastgen (release)"
    (cd "$ROOT" && cargo build --release --quiet)
    FASTGEN_BIN=$(cd "$ROOT" && cargo metadata --no-deps --format-version 1 |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/fastgen
fi
FASTGEN_BIN=$(realpath "$FASTGEN_BIN")
WS=$WORK/demo
say "generating a workspace in $WS"
"$FASTGEN_BIN" new "$WS" --skip-install >/dev/null
(cd "$WS" && "$FASTGEN_BIN" g py#fast-api MyApi --skip-install >/dev/null)
PROJECT=packages/my_api
[[ -f $WS/$PROJECT/my_api/main.py ]] || die "no $PROJECT/my_api/main.py after generation"
say "uv sync --all-packages"
(cd "$WS" && uv sync --all-packages --quiet)
PY=$WS/.venv/bin/python
[[ -x $PY ]] || die "no virtual environment at $WS/.venv"
"$PY" -c 'import uvicorn' 2>/dev/null || die "uvicorn is not in the workspace's venv (dev group)"

# Nx target options, read from project.json when the project has one.
nx_target() { # nx_target <target>: prints "cwd<TAB>command" lines, tokens substituted
    "$PY" - "$WS" "$PROJECT" "$1" <<'EOF'
import json, os, sys
ws, root, target = sys.argv[1:4]
path = os.path.join(ws, root, "project.json")
if not os.path.exists(path):
    sys.exit(0)
t = json.load(open(path)).get("targets", {}).get(target)
if not t:
    sys.exit(0)
o = t.get("options", {})
cmds = o.get("commands") or ([o["command"]] if "command" in o else [])
cwd = o.get("cwd", "")
def sub(s):
    return (s.replace("{projectRoot}", root).replace("{workspaceRoot}", ws)
             .replace("{projectName}", "my_api"))
for c in cmds:
    c = c["command"] if isinstance(c, dict) else c
    print(f"{sub(cwd)}\t{sub(c)}")
env = o.get("env") or {}
for k, v in env.items():
    print(f"#env\t{k}={v}")
EOF
}

SERVE=$(nx_target serve)
if [[ -n $SERVE ]]; then
    say "the project's serve target (for reference):"; printf '    %s\n' "$SERVE" >&2
else
    say "project.json has no serve target yet"
fi

# --- the bare app ------------------------------------------------------------------------
# The generated main.py's async route, GET /echo?message= -> Echo{message}, and a sync (def)
# one, GET /echo-sync, which FastAPI runs in its thread pool. The sync route is not in the
# template: it is appended, identically, to the bare app and, for the throughput runs only
# (import time and bundle see the generated file as it is), to the generated main.py.
SYNC_ROUTE='

@app.get("/echo-sync")
def echo_sync(message: str = "") -> Echo:
    return Echo(message=message)'
mkdir -p "$WORK/bare"
cat >"$WORK/bare/bare_app.py" <<'EOF'
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Echo(BaseModel):
    message: str


@app.get("/echo")
async def echo(message: str = "") -> Echo:
    return Echo(message=message)
EOF
printf '%s\n' "$SYNC_ROUTE" >>"$WORK/bare/bare_app.py"
MAIN=$WS/$PROJECT/my_api/main.py
grep -q 'async def echo(message: str = "") -> Echo' "$MAIN" ||
    say "WARNING: the generated /echo route no longer reads 'async def echo(message: str = \"\") -> Echo'; update the bare app"
grep -q '^class Echo(BaseModel):' "$MAIN" || die "the generated main.py has no Echo model for /echo-sync"
if grep -q '/echo-sync' "$MAIN"; then die "the generated main.py already has /echo-sync"; fi

# --- throughput --------------------------------------------------------------------------
# The generated app runs with its default environment, as deployed: nothing Powertools-related
# is set, so metrics are on (EMF on stdout, batched per route). Its `serve` target sets
# POWERTOOLS_METRICS_DISABLED=true and POWERTOOLS_TRACE_DISABLED=true, a local-dev choice
# this benchmark does not copy (SERVE_ENV=1 measures it as a diagnostic). Tracing is off
# anyway outside Lambda by the template's own rule (_tracing.tracing_enabled() needs
# LAMBDA_TASK_ROOT), so no X-Ray daemon is contacted; the script greps the log to check.
# At that default level (INFO) it writes one JSON line per request ("Request completed"); a
# third server runs it with POWERTOOLS_LOG_LEVEL=WARNING, which turns that line off, so that
# the line's cost per request is measured in the same run: 1e6/req/s is the server's time per
# request (a single worker, saturated), and the line costs the difference between the two.
unset POWERTOOLS_TRACE_DISABLED POWERTOOLS_METRICS_DISABLED POWERTOOLS_DEV POWERTOOLS_LOG_LEVEL \
      AWS_LAMBDA_LOG_LEVEL LAMBDA_TASK_ROOT AWS_LAMBDA_FUNCTION_NAME ALLOWED_ORIGINS 2>/dev/null || true

ROUTES=(async sync)   # measured on every server, in this order
declare -A ROUTE_PATH=([async]=/echo [sync]=/echo-sync)
SERVER_ENV=()   # extra VAR=value for the server (the WARNING run, SERVE_ENV=1)
SERVE_VARS=()
while IFS=$'\t' read -r tag kv; do
    [[ $tag == '#env' ]] && SERVE_VARS+=("$kv")
done <<<"$SERVE"

CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # utime + stime of a process

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_server() { # start_server <label> <app> [app-dir]; sets SERVER_PID, PORT, LOG
    local label=$1 app=$2 appdir=${3:-}
    PORT=$(free_port)
    LOG=$WORK/server-$label.log
    local args=("$app" --host 127.0.0.1 --port "$PORT" --workers 1 --no-access-log)
    [[ -n $appdir ]] && args+=(--app-dir "$appdir")
    (cd "$WS" && exec env "${SERVER_ENV[@]}" "$PY" -m uvicorn "${args[@]}") >"$LOG" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 100); do
        if curl -fs -o /dev/null "http://127.0.0.1:$PORT/echo?message=hi"; then return 0; fi
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$LOG" >&2; die "$label server exited"; }
        sleep 0.1
    done
    cat "$LOG" >&2; die "$label server did not answer within 10 s"
}

stop_server() {
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
}

bench_server() { # bench_server <label> <app> [app-dir]; sets RPS[route] (runs in this shell, so the trap sees the server)
    local label=$1 route url body
    start_server "$@"
    for route in "${ROUTES[@]}"; do
        url="http://127.0.0.1:$PORT${ROUTE_PATH[$route]}?message=hi"
        body=$(curl -fs "$url")
        [[ $body == '{"message":"hi"}' ]] || { stop_server; die "$label answered $body on ${ROUTE_PATH[$route]}"; }
        timeout $((WARMUP + 30)) wrk -t2 -c32 -d"${WARMUP}s" "$url" >/dev/null
        if pgrep -x wrk >/dev/null; then   # our warm-up wrk has ended: this is someone else's
            say "WARNING: another wrk is running on this machine; figures of this run are contended"
            result contended 1
        fi
        local before cpu_before; before=$(wc -l <"$LOG"); cpu_before=$(cpu_ticks "$SERVER_PID")
        local out; out=$(timeout $((DURATION + 30)) wrk -t2 -c32 -d"${DURATION}s" --latency "$url")
        local after cpu_after; after=$(wc -l <"$LOG"); cpu_after=$(cpu_ticks "$SERVER_PID")
        echo "$out" >"$WORK/wrk-$label-$route-$ROUND.txt"
        if grep -q 'Non-2xx\|Socket errors' <<<"$out"; then
            say "WARNING ($label, $route): $(grep 'Non-2xx\|Socket errors' <<<"$out" | tr -s ' ')"
        fi
        local rps p50 p99 requests lines=$((after - before))
        rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
        p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
        p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
        requests=$(awk '/requests in/ {print $1}' <<<"$out")
        [[ -n $rps && -n $requests ]] || { stop_server; die "no Requests/sec in wrk's output for $label ($route)"; }
        # The server's CPU time per request (user + system): unlike req/s, it hardly moves
        # when other work on the machine takes the CPU away from the server now and then.
        local cpu_us; cpu_us=$(awk -v t=$((cpu_after - cpu_before)) -v hz="$CLK_TCK" -v n="$requests" \
            'BEGIN {printf "%.1f", t / hz * 1e6 / n}')
        say "$label $route round $ROUND: $rps req/s (p50 $p50, p99 $p99), $cpu_us us CPU/request; $requests requests, server wrote $lines lines"
        # The generated app at INFO logs a line per request (wrk's last requests may be cut off).
        if [[ $label == generated && -n $requests ]] && (( lines < requests * 9 / 10 )); then
            say "WARNING: generated ($route) wrote $lines lines for $requests requests: is the request log line on?"
        fi
        if [[ $label == generated-warning ]] && (( lines > requests / 10 )); then
            say "WARNING: generated-warning ($route) wrote $lines lines for $requests requests: is the request log line off?"
        fi
        RPS[$route]=$rps
        CPU_US[$route]=$cpu_us
    done
    stop_server
}

declare -A RPS CPU_US
bench_generated() { bench_server generated my_api.main:app; }
bench_bare() { bench_server bare bare_app:app "$WORK/bare"; }
bench_generated_warning() {
    SERVER_ENV=(POWERTOOLS_LOG_LEVEL=WARNING)
    bench_server generated-warning my_api.main:app
    SERVER_ENV=()
}
record_rps() {
    local route
    for route in "${ROUTES[@]}"; do
        result "rps_$1_$route" "${RPS[$route]}"; result "cpu_us_$1_$route" "${CPU_US[$route]}"
    done
}

if [[ -z ${SKIP_HTTP:-} ]]; then
    cp "$MAIN" "$WORK/main.py.orig"
    printf '%s\n' "$SYNC_ROUTE" >>"$MAIN"   # restored below, before import times and the bundle
    for ROUND in $(seq 1 "$ROUNDS"); do
        # Alternate the order (ABC, CBA, ...) so drift on the machine hits the apps alike.
        if (( ROUND % 2 == 1 )); then order=(generated bare generated_warning); else order=(generated_warning bare generated); fi
        for who in "${order[@]}"; do "bench_$who"; record_rps "$who"; done
        if [[ ${SERVE_ENV:-0} == 1 && ${#SERVE_VARS[@]} -gt 0 ]]; then
            SERVER_ENV=("${SERVE_VARS[@]}")
            bench_server generated-serve-env my_api.main:app
            SERVER_ENV=()
            record_rps generated_serve_env
        fi
    done
    cp "$WORK/main.py.orig" "$MAIN"
    # What the generated app printed in its last run (at INFO): request lines, EMF documents.
    glog=$WORK/server-generated.log
    emf=$(grep -c '"_aws"' "$glog" || true)
    request_lines=$(grep -c '"message":"Request completed"' "$glog" || true)
    other=$(grep -vc '"_aws"\|"message":"Request completed"\|^INFO:' "$glog" || true)
    say "generated app's last run: $request_lines request lines, $emf EMF documents, $other other non-uvicorn lines"
    say "a request line: $(grep -m1 '"message":"Request completed"' "$glog" || echo '(none)')"
    if grep -qi 'xray\|x-ray\|daemon' "$glog"; then
        say "NOTE: the generated app mentions X-Ray/daemon in its output:"; grep -i 'xray\|x-ray\|daemon' "$glog" | head -3 >&2
    fi
    result emf_documents_last_run "$emf"
fi

# --- instructions per request ------------------------------------------------------------
# req/s and CPU time move with whatever else the machine runs; instruction counts do not.
# Each of the three servers runs once more under valgrind's callgrind. For each route:
# INSTR_WARMUP requests, the counters zeroed, INSTR_REQUESTS requests one after another on
# one keep-alive connection, the counters dumped. The dump's total over the requests is the
# server process's instructions per request, uvicorn and the thread pool included.
send_requests() { # send_requests <port> <path> <n>: n GETs in a row, each must answer 200
    "$PY" - "$@" <<'EOF'
import http.client
import sys

port, path, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
for _ in range(n):
    connection.request("GET", f"{path}?message=hi")
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        sys.exit(f"{path} answered {response.status}")
EOF
}

count_instructions() { # count_instructions <label> <app> [app-dir]; records instr_<label>_<route>
    local label=$1 app=$2 appdir=${3:-} route summary
    local out=$WORK/callgrind-$label
    PORT=$(free_port)
    local args=("$app" --host 127.0.0.1 --port "$PORT" --workers 1 --no-access-log)
    [[ -n $appdir ]] && args+=(--app-dir "$appdir")
    (cd "$WS" && exec env "${SERVER_ENV[@]}" valgrind --tool=callgrind --callgrind-out-file="$out" \
        "$PY" -m uvicorn "${args[@]}") >"$WORK/server-callgrind-$label.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 600); do   # the imports take a minute or two under valgrind
        if curl -fs -o /dev/null "http://127.0.0.1:$PORT/echo?message=hi"; then break; fi
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server-callgrind-$label.log" >&2; die "$label server exited under valgrind"; }
        sleep 0.5
    done
    for route in "${ROUTES[@]}"; do
        send_requests "$PORT" "${ROUTE_PATH[$route]}" "$INSTR_WARMUP"
        callgrind_control --zero "$SERVER_PID" >/dev/null 2>&1 || die "callgrind_control could not reach $label"
        send_requests "$PORT" "${ROUTE_PATH[$route]}" "$INSTR_REQUESTS"
        callgrind_control --dump="$route" "$SERVER_PID" >/dev/null 2>&1 || die "callgrind_control could not reach $label"
        summary=$(awk '/^summary:/ {print $2; exit}' "$(ls -t "$out".* | head -1)")
        [[ -n $summary ]] || { stop_server; die "no callgrind summary for $label ($route)"; }
        result "instr_${label//-/_}_$route" "$(( summary / INSTR_REQUESTS ))"
        say "$label $route: $(( summary / INSTR_REQUESTS )) instructions/request"
    done
    stop_server
}

if [[ -z ${SKIP_INSTRUCTIONS:-} ]]; then
    say "instructions per request under callgrind ($INSTR_REQUESTS requests per route after $INSTR_WARMUP)"
    cp "$MAIN" "$WORK/main.py.orig"
    printf '%s\n' "$SYNC_ROUTE" >>"$MAIN"
    count_instructions generated my_api.main:app
    SERVER_ENV=(POWERTOOLS_LOG_LEVEL=WARNING)
    count_instructions generated-warning my_api.main:app
    SERVER_ENV=()
    count_instructions bare bare_app:app "$WORK/bare"
    cp "$WORK/main.py.orig" "$MAIN"
fi

# --- import time -------------------------------------------------------------------------
# Fresh interpreter per run, same venv and cwd; only the import itself is timed, so the
# interpreter's own start-up does not dilute the ratio (whole-process times are shown too).
# Two settings:
#   cached: .pyc files written by a first, untimed run (a developer machine, a warm venv);
#   nopyc:  every module compiled from source each time, as in a bundle shipped without
#           bytecode into Lambda's read-only /var/task (PYTHONPYCACHEPREFIX to an empty,
#           unwritable-by-policy dir + PYTHONDONTWRITEBYTECODE).
# PYTHONDONTWRITEBYTECODE is dropped for the cached setting: some environments set it.
import_times() { # import_times <module> <cached|nopyc> <runs>: prints "<import s> <process s>" per run
    local i t0 t1 imp envs=(-u PYTHONDONTWRITEBYTECODE -u PYTHONPYCACHEPREFIX)
    [[ $2 == nopyc ]] && envs+=(PYTHONDONTWRITEBYTECODE=1 PYTHONPYCACHEPREFIX="$WORK/no-pycache")
    for i in $(seq 0 "$3"); do
        t0=$(date +%s%N)
        imp=$(cd "$WS" && env "${envs[@]}" "$PY" -c "import time; t=time.perf_counter(); import $1; print(time.perf_counter()-t)")
        t1=$(date +%s%N)
        if (( i == 0 )); then continue; fi   # untimed: writes the .pyc files (cached)
        echo "$imp $(( t1 - t0 ))e-9"
    done
}
median_col() { # median_col <column> < lines
    python3 -c 'import statistics,sys; c=int(sys.argv[1]); print(statistics.median(float(l.split()[c]) for l in sys.stdin if l.strip()))' "$1"
}

if [[ -z ${SKIP_IMPORT:-} ]]; then
    half=$(( (IMPORT_RUNS + 1) / 2 ))
    for mode in cached nopyc; do
        say "import time ($mode): $((2 * half)) fresh interpreters per module, interleaved"
        : >"$WORK/imp-gen-$mode.txt"; : >"$WORK/imp-bare-$mode.txt"
        for _ in 1 2; do   # interleave the two modules so drift hits both alike
            import_times my_api.main "$mode" "$half" >>"$WORK/imp-gen-$mode.txt"
            import_times fastapi "$mode" "$half" >>"$WORK/imp-bare-$mode.txt"
        done
        for who in gen bare; do
            result "import_${who}_${mode}_ms" "$(median_col 0 <"$WORK/imp-$who-$mode.txt" | awk '{print $1*1000}')"
            result "process_${who}_${mode}_ms" "$(median_col 1 <"$WORK/imp-$who-$mode.txt" | awk '{print $1*1000}')"
        done
    done
    # Where the extra time goes: self time of what my_api.main imports on top of fastapi,
    # by top-level package (-X importtime, one run).
    (cd "$WS" && env -u PYTHONDONTWRITEBYTECODE "$PY" -X importtime -c 'import fastapi; import my_api.main' 2>"$WORK/importtime.txt")
    say "what my_api.main imports on top of fastapi (-X importtime, one run, self time by package):"
    python3 - "$WORK/importtime.txt" >&2 <<'EOF'
import sys
from collections import Counter
by_package, after_fastapi = Counter(), False
for line in open(sys.argv[1]):
    parts = line.rstrip("\n").split("|")
    if len(parts) != 3 or "self [us]" in parts[0]:
        continue
    self_us, name = int(parts[0].split(":")[1]), parts[2]
    depth = (len(name) - 1 - len(name.lstrip())) // 2
    if not after_fastapi:
        after_fastapi = depth == 0 and name.strip() == "fastapi"
        continue
    by_package[name.strip().split(".")[0]] += self_us
total = sum(by_package.values())
print(f"    {total / 1000:7.1f} ms in all")
for package, us in by_package.most_common(8):
    print(f"    {us / 1000:7.1f} ms  {package}")
EOF
fi

# --- bundle ------------------------------------------------------------------------------
if [[ -z ${SKIP_BUNDLE:-} ]]; then
    BUNDLE_DIR=$WS/dist/$PROJECT/bundle
    BUNDLE=$(nx_target bundle | grep -v '^#env' || true)
    if [[ -n $BUNDLE ]]; then
        BUNDLE_SOURCE="project.json targets.bundle"
    else
        # Until the template has a project.json: the upstream plugin's bundle steps.
        BUNDLE_SOURCE="FALLBACK (no targets.bundle in project.json): upstream's uv export + uv pip install --target"
        BUNDLE=$(printf '%s\t%s\n' "" "uv export --frozen --no-dev --no-editable --package my-api -o dist/$PROJECT/bundle/requirements.txt && uv pip install -n --no-installer-metadata --no-compile-bytecode --python-platform x86_64-manylinux2014 --python-version 3.12 --target dist/$PROJECT/bundle -r dist/$PROJECT/bundle/requirements.txt")
    fi
    say "bundle: $BUNDLE_SOURCE"
    rm -rf "$BUNDLE_DIR"
    while IFS=$'\t' read -r cwd cmd; do
        say "  (cd ${cwd:-.}) $cmd"
        (cd "$WS/$cwd" && timeout 600 bash -c "$cmd") </dev/null >"$WORK/bundle.log" 2>&1 ||
            { cat "$WORK/bundle.log" >&2; die "the bundle command failed"; }
    done <<<"$BUNDLE"
    [[ -d $BUNDLE_DIR ]] || die "the bundle command did not create dist/$PROJECT/bundle"
    python3 - "$BUNDLE_DIR" "$WORK/bundle.zip" >>"$RESULTS" <<'EOF'
import os, sys, zipfile
src, dst = sys.argv[1:3]
total = 0
with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames.sort()
        for f in sorted(filenames):
            p = os.path.join(dirpath, f)
            total += os.path.getsize(p)
            z.write(p, os.path.relpath(p, src))
print("bundle_mb", total / 1e6)
print("zip_mb", os.path.getsize(dst) / 1e6)
EOF
    say "largest top-level entries of the bundle:"
    (cd "$BUNDLE_DIR" && du -s --block-size=1K -- * .[!.]* 2>/dev/null | sort -rn | head -8 |
        awk '{printf "    %8.1f MB  %s\n", $1*1024/1e6, $2}') >&2 || true
    BUNDLE_SOURCE_LINE=$BUNDLE_SOURCE
fi

# --- summary -----------------------------------------------------------------------------
python3 - "$RESULTS" "$TARGET_RPS_RATIO" "$TARGET_IMPORT_RATIO" "$REF_BUNDLE_MB" "$REF_ZIP_MB" \
    "$DURATION" "${BUNDLE_SOURCE_LINE:-}" <<'EOF'
import statistics, sys
from collections import defaultdict
r = defaultdict(list)
for line in open(sys.argv[1]):
    k, v = line.split()
    r[k].append(float(v))
t_rps, t_imp, ref_mb, ref_zip = map(float, sys.argv[2:6])
duration, bundle_source = sys.argv[6], sys.argv[7]
ok = lambda b: "PASS" if b else "FAIL"
rows = []
routes = [route for route in ("async", "sync") if r[f"rps_generated_{route}"] or r[f"instr_generated_{route}"]]
fmt = lambda xs: " / ".join(f"{x:.0f}" for x in xs)
fmt3 = lambda xs: " / ".join(f"{x:.3f}" for x in xs)
for route in routes:
    path = {"async": "GET /echo, async def", "sync": "GET /echo-sync, def"}[route]
    rows.append((f"[{route}] {path}", "", ""))
    gen = r[f"rps_generated_{route}"]
    if gen:
        bare, warn = (r[f"rps_{who}_{route}"] for who in ("bare", "generated_warning"))
        ratios = [g / b for g, b in zip(gen, bare)]
        med = statistics.median(ratios)
        # 1e6 / req/s: the server's time per request (one saturated worker), in µs.
        line_cost = [1e6 / g - 1e6 / w for g, w in zip(gen, warn)]
        overhead = [1e6 / g - 1e6 / b for g, b in zip(gen, bare)]
        cpu_gen, cpu_bare, cpu_warn = (r[f"cpu_us_{who}_{route}"] for who in ("generated", "bare", "generated_warning"))
        cpu_line = [g - w for g, w in zip(cpu_gen, cpu_warn)]
        rows += [
            ("  req/s generated, INFO (per round)", fmt(gen), "the default: a log line per request"),
            ("  req/s generated, WARNING (per round)", fmt(warn), "the request log line off"),
            ("  req/s bare FastAPI (per round)", fmt(bare), ""),
            ("  ratio generated (INFO)/bare (per round)", fmt3(ratios), ""),
            ("  ratio generated (INFO)/bare, median", f"{med:.3f}", f">= {t_rps:g}: {ok(med >= t_rps)}"),
            ("  ratio generated (WARNING)/bare, median",
             f"{statistics.median(w / b for w, b in zip(warn, bare)):.3f}", "for reference"),
            ("  request log line, us/request (median)", f"{statistics.median(line_cost):.1f}",
             "1e6/req/s at INFO - at WARNING: " + " / ".join(f"{x:.1f}" for x in line_cost)),
            ("  generated - bare, us/request (median)", f"{statistics.median(overhead):.1f}",
             "1e6/req/s generated (INFO) - bare"),
            ("  server CPU us/request: INFO / WARNING / bare", " / ".join(
                f"{statistics.median(xs):.1f}" for xs in (cpu_gen, cpu_warn, cpu_bare)),
             f"medians; bare/INFO {statistics.median(b / g for b, g in zip(cpu_bare, cpu_gen)):.3f}"),
            ("  request log line, CPU us/request (median)", f"{statistics.median(cpu_line):.1f}",
             "CPU/request at INFO - at WARNING: " + " / ".join(f"{x:.1f}" for x in cpu_line)),
        ]
    if r[f"instr_generated_{route}"]:
        ig, iw, ib = (r[f"instr_{who}_{route}"][0] for who in ("generated", "generated_warning", "bare"))
        rows += [
            ("  instructions/request: INFO / WARNING / bare", f"{ig:.0f} / {iw:.0f} / {ib:.0f}",
             "callgrind, the server process"),
            ("  ratio by instructions, bare/generated (INFO)", f"{ib / ig:.3f}",
             f">= {t_rps:g}: {ok(ib / ig >= t_rps)}; WARNING: {ib / iw:.3f}"),
            ("  request log line, instructions/request", f"{ig - iw:.0f}", "INFO - WARNING"),
        ]
    if r[f"rps_generated_serve_env_{route}"]:
        serve = r[f"rps_generated_serve_env_{route}"]
        ratios = [g / b for g, b in zip(serve, bare)]
        rows.append(("  diagnostic: with serve target's env", fmt(serve),
                     f"ratio {statistics.median(ratios):.3f} (metrics+tracing off)"))
for mode, label in (("cached", ".pyc cached"), ("nopyc", "no .pyc, as a bundle without bytecode")):
    if not r[f"import_gen_{mode}_ms"]:
        continue
    g, b = r[f"import_gen_{mode}_ms"][0], r[f"import_bare_{mode}_ms"][0]
    pg, pb = r[f"process_gen_{mode}_ms"][0], r[f"process_bare_{mode}_ms"][0]
    target = f"<= {t_imp:g}: {ok(g / b <= t_imp)}" if mode == "cached" else "for reference"
    rows += [
        (f"import my_api.main / fastapi, {label} (ms)", f"{g:.1f} / {b:.1f}", ""),
        (f"  import ratio generated/bare ({mode})", f"{g / b:.3f}", target),
        (f"  whole process incl. interpreter ({mode}, ms)", f"{pg:.1f} / {pb:.1f} ({pg / pb:.3f})", "for reference"),
    ]
if r["bundle_mb"]:
    mb, z = r["bundle_mb"][0], r["zip_mb"][0]
    rows += [
        ("bundle unzipped (MB)", f"{mb:.2f}", f"{mb / ref_mb:.3f} of upstream's {ref_mb:g} MB"),
        ("bundle zipped, deflate (MB)", f"{z:.2f}",
         f"{z / ref_zip:.3f} of upstream's {ref_zip:g} MB; <= 1/3: {ok(z <= ref_zip / 3)}"),
    ]
w = max(len(k) for k, _, _ in rows) if rows else 0
print()
print(f"Generated app vs bare FastAPI (uvicorn 1 worker, wrk -t2 -c32 -d{duration}s, same venv)")
if r["rps_bare_async"]:
    print(f"  {len(r['rps_bare_async'])} round(s); a figure per round is one wrk run, each app on a fresh server")
for k, v, note in rows:
    print(f"  {k:<{w}}  {v:<24} {note}")
if r["contended"]:
    print(f"  WARNING: another wrk ran during {len(r['contended'])} measurement(s): throughput is contended")
if bundle_source:
    print(f"  bundle built by: {bundle_source}")
print("  upstream bundle sizes are a recorded reference, not measured here")
EOF
