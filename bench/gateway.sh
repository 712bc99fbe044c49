#!/usr/bin/env bash
# fastgen dev against the app served directly, in one run: requests per second on the same
# route (GET /echo), one connection at a time (a Lambda sandbox serves one request at a time),
# through the local API Gateway (event, Mangum, Powertools' Lambda decorators, response) and
# through uvicorn alone. The issue's goal: the gateway at half of uvicorn or more, the price
# of the exact Lambda path. See bench/README.md.
#
# Environment:
#   UV_PYTHON=path    the Python uv uses (honoured; with pyenv, found from `pyenv prefix 3.12`)
#   FASTGEN_BIN=path  use this binary instead of building the release one
#   DURATION=10       seconds of each wrk run        ROUNDS=2   rounds (order alternates)
#   KEEP=1            keep the temporary workspace (its path is printed)
set -euo pipefail

DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-2}
TARGET_RATIO=0.5
SERVE_PORT=18000
GATEWAY_PORT=19000

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fastgen-bench-gateway.XXXXXX")
PIDS=()
cleanup() {
    local status=$?
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [[ ${KEEP:-0} == 1 ]]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"
command -v wrk >/dev/null || die "wrk is missing (apt-get install wrk)"
command -v curl >/dev/null || die "curl is missing"

if [[ -z ${FASTGEN_BIN:-} ]]; then
    say "building fastgen (release)"
    (cd "$ROOT" && cargo build --release --quiet)
    FASTGEN_BIN=$ROOT/target/release/fastgen
fi
WS=$WORK/demo
say "generating a workspace with a REST API (auth none) in $WS"
"$FASTGEN_BIN" new "$WS" --skip-install >/dev/null
(cd "$WS" && "$FASTGEN_BIN" g py#fast-api MyApi --auth none --skip-install >/dev/null)
(cd "$WS" && uv sync --all-packages --quiet)

wait_for() { # wait_for <url>
    for _ in $(seq 1 300); do
        curl -fs "$1" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    die "nothing answers $1"
}

say "uvicorn on the app, port $SERVE_PORT"
(cd "$WS/packages/my_api" && exec "$WS/.venv/bin/python" -m uvicorn my_api.main:app \
    --port "$SERVE_PORT" --no-access-log --log-level warning >/dev/null 2>&1) &
PIDS+=($!)
say "fastgen dev, port $GATEWAY_PORT"
(cd "$WS" && exec "$FASTGEN_BIN" dev my_api --port "$GATEWAY_PORT" >/dev/null 2>&1) &
PIDS+=($!)
SERVE_URL="http://127.0.0.1:$SERVE_PORT/echo?message=hi"
GATEWAY_URL="http://127.0.0.1:$GATEWAY_PORT/prod/echo?message=hi"
wait_for "$SERVE_URL"
wait_for "$GATEWAY_URL"
[[ $(curl -fs "$GATEWAY_URL") == '{"message":"hi"}' ]] || die "the gateway does not echo"

rps() { # rps <url>: requests per second of one wrk run on one connection
    wrk -t1 -c1 -d"${DURATION}s" "$1" | awk '/^Requests\/sec:/ {print $2}'
}
declare -a serve gateway
for round in $(seq 1 "$ROUNDS"); do
    if (( round % 2 )); then
        serve+=("$(rps "$SERVE_URL")"); gateway+=("$(rps "$GATEWAY_URL")")
    else
        gateway+=("$(rps "$GATEWAY_URL")"); serve+=("$(rps "$SERVE_URL")")
    fi
    say "round $round: uvicorn ${serve[-1]} req/s, gateway ${gateway[-1]} req/s"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
S=$(median "${serve[@]}")
G=$(median "${gateway[@]}")
RATIO=$(awk -v g="$G" -v s="$S" 'BEGIN {printf "%.2f", g / s}')
echo "GET /echo, one connection, median of $ROUNDS rounds of ${DURATION}s:"
echo "  uvicorn (the app alone)   $S req/s"
echo "  fastgen dev (the Lambda path) $G req/s"
echo "  ratio gateway/uvicorn     $RATIO (goal: at least $TARGET_RATIO)"
