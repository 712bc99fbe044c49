#!/usr/bin/env bash
# Whole-process figures of the generator: wall time and peak memory of
#   fastgen new <tmp> --skip-install && cd <tmp> && fastgen g py#fast-api MyApi --skip-install
# in a fresh directory every run. See bench/README.md.
#
# Environment:
#   RUNS=30           timed runs (at least 20)
#   RSS_RUNS=10       runs measured for peak RSS
#   FASTGEN_BIN=path  use this binary instead of building the release one
#   NO_INSTALL=1      never apt-get install hyperfine/time (fall back to a plain loop / Python)
set -euo pipefail

RUNS=${RUNS:-30}
RSS_RUNS=${RSS_RUNS:-10}
(( RUNS >= 20 )) || { echo "RUNS must be at least 20" >&2; exit 2; }

# Targets, and the upstream reference recorded once (not measured here):
# Node `nx g @aws/nx-plugin:py#fast-api --dry-run`.
TARGET_MS=20
TARGET_MIB=20
REF_MS=3800
REF_MIB=207

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fastgen-bench-gen.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

say() { printf '%s\n' "$*" >&2; }

# --- tools -------------------------------------------------------------------------------
PY=$(command -v python3 || command -v python || true)
[[ -n $PY ]] || { say "python3 is needed to compute the statistics"; exit 1; }

apt_install() { # apt_install <package>: only as root, with apt-get, and unless NO_INSTALL=1
    [[ ${NO_INSTALL:-0} != 1 && $(id -u) == 0 ]] && command -v apt-get >/dev/null || return 1
    say "installing the Debian package '$1' (missing; set NO_INSTALL=1 to skip)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1"; } >/dev/null 2>&1
}
command -v hyperfine >/dev/null || apt_install hyperfine || true
[[ -x /usr/bin/time ]] || apt_install time || true

# --- build -------------------------------------------------------------------------------
if [[ -z ${FASTGEN_BIN:-} ]]; then
    say "building fastgen (release)…"
    (cd "$ROOT" && cargo build --release --quiet)
    TARGET_DIR=$(cd "$ROOT" && cargo metadata --no-deps --format-version 1 |
        "$PY" -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
    FASTGEN_BIN=$TARGET_DIR/release/fastgen
fi
FASTGEN_BIN=$(realpath "$FASTGEN_BIN")
[[ -x $FASTGEN_BIN ]] || { say "no fastgen binary at $FASTGEN_BIN"; exit 1; }
export FASTGEN_BIN

D=$WORK/ws
# The measured command; $FASTGEN_BIN and $D are expanded by the shell that runs it.
CMD='"$FASTGEN_BIN" new "$D" --skip-install >/dev/null && cd "$D" && "$FASTGEN_BIN" g py#fast-api MyApi --skip-install >/dev/null'
export D

# Sanity check: the command works and generates the API.
rm -rf "$D"; bash -c "$CMD"
[[ -f $D/packages/my_api/my_api/main.py ]] || { say "generation did not produce packages/my_api"; exit 1; }

# --- wall time ---------------------------------------------------------------------------
TIMES=$WORK/times.txt   # one wall time per line, in seconds
if command -v hyperfine >/dev/null; then
    METHOD="hyperfine ($RUNS runs, 3 warm-up, fresh dir via --prepare)"
    hyperfine --style basic --warmup 3 --runs "$RUNS" \
        --prepare "rm -rf '$D'" --export-json "$WORK/hf.json" "$CMD" >&2
    "$PY" -c 'import json,sys; [print(t) for t in json.load(open(sys.argv[1]))["results"][0]["times"]]' \
        "$WORK/hf.json" >"$TIMES"
else
    METHOD="bash loop with date +%s%N ($RUNS runs, 3 warm-up; includes one bash start-up)"
    for i in $(seq 1 $((RUNS + 3))); do
        rm -rf "$D"
        t0=$(date +%s%N); bash -c "$CMD"; t1=$(date +%s%N)
        if (( i > 3 )); then echo "$(( t1 - t0 ))e-9" >>"$TIMES"; fi
    done
fi

# --- peak memory -------------------------------------------------------------------------
# Peak RSS of each of the two processes (they run one after the other, so the figure for
# the whole command is the larger of the two), the maximum over RSS_RUNS runs.
RSS=$WORK/rss.txt       # "new <KiB>" / "g <KiB>" lines
if [[ -x /usr/bin/time ]]; then
    RSS_METHOD="/usr/bin/time -f %M"
    for _ in $(seq 1 "$RSS_RUNS"); do
        rm -rf "$D"
        /usr/bin/time -f 'new %M' -a -o "$RSS" "$FASTGEN_BIN" new "$D" --skip-install >/dev/null
        (cd "$D" && /usr/bin/time -f 'g %M' -a -o "$RSS" "$FASTGEN_BIN" g py#fast-api MyApi --skip-install >/dev/null)
    done
else
    # An upper bound: a child's ru_maxrss includes its parent's RSS at the time it was
    # spawned, so /bin/true spawned the same way is printed as the floor. Install `time`
    # (Debian) for the real figure.
    RSS_METHOD="os.posix_spawn + os.wait4 ru_maxrss via Python: UPPER BOUND, /usr/bin/time missing"
    for _ in $(seq 1 "$RSS_RUNS"); do
        rm -rf "$D"
        "$PY" - "$FASTGEN_BIN" "$D" >>"$RSS" <<'EOF'
import os, sys
fastgen, d = sys.argv[1], sys.argv[2]
def peak_kib(argv, cwd):
    os.chdir(cwd)
    null = os.open(os.devnull, os.O_WRONLY)
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, null, 1)])
    _, status, usage = os.wait4(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{argv} failed")
    return usage.ru_maxrss
print("new", peak_kib([fastgen, "new", d, "--skip-install"], os.getcwd()))
print("g", peak_kib([fastgen, "g", "py#fast-api", "MyApi", "--skip-install"], d))
print("floor", peak_kib(["/bin/true"], d))
EOF
    done
fi

# --- report ------------------------------------------------------------------------------
"$PY" - "$TIMES" "$RSS" "$METHOD" "$RSS_METHOD" "$TARGET_MS" "$TARGET_MIB" "$REF_MS" "$REF_MIB" <<'EOF'
import statistics, sys
times_f, rss_f, method, rss_method = sys.argv[1:5]
target_ms, target_mib, ref_ms, ref_mib = map(float, sys.argv[5:9])
times = sorted(float(line) * 1000 for line in open(times_f) if line.strip())
rss = {}
for line in open(rss_f):
    step, kib = line.split()
    rss[step] = max(rss.get(step, 0), int(kib))
floor = rss.pop("floor", None)
median = statistics.median(times)
peak = max(rss.values()) / 1024
ok = lambda b: "PASS" if b else "FAIL"
print()
print("fastgen new + g py#fast-api MyApi (whole processes, fresh directory each run)")
print(f"  wall time: {method}")
print(f"    median {median:8.2f} ms   min {times[0]:.2f}   max {times[-1]:.2f}   n={len(times)}"
      f"   target < {target_ms:g} ms: {ok(median < target_ms)}")
print(f"  peak RSS: {rss_method}")
print(f"    max    {peak:8.2f} MiB  (new {rss['new']/1024:.2f} MiB, g {rss['g']/1024:.2f} MiB)"
      f"   target < {target_mib:g} MiB: {ok(peak < target_mib)}")
if floor is not None:
    print(f"    (/bin/true spawned the same way peaks at {floor/1024:.2f} MiB: the floor of this method)")
print()
print(f"Recorded upstream reference, NOT measured here: Node `nx g @aws/nx-plugin:py#fast-api"
      f" --dry-run`, median {ref_ms/1000:g} s, {ref_mib:g} MiB")
print(f"  time:   reference / fastgen = {ref_ms/median:8.1f}x   (fastgen takes {100*median/ref_ms:.2f}% of it)")
print(f"  memory: reference / fastgen = {ref_mib/peak:8.1f}x   (fastgen uses {100*peak/ref_mib:.2f}% of it)")
EOF
