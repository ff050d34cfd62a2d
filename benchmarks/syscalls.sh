#!/usr/bin/env bash
# The syscall budget of a Katana backend (epoll-ffm by default): system calls per request under
# keep-alive, pipelined (depth 16) and connection-churn load.
#
# Starts `katana-examples.jar serve` with one reactor pinned to core 0, loads it with wrk pinned to
# core 1, and counts system calls with perf's syscall tracepoints, twice: on the reactor thread
# alone (the budget: what the event loop itself asks of the kernel) and on the whole process (GC,
# JIT and the Date-header timer included). Prints `syscalls/request: X` per scenario, churn counted
# per connection (wrk sends `Connection: close`, the server answers and closes, wrk reconnects).
#
# Usage: benchmarks/syscalls.sh [--backend NAME] [--port P] [--duration SECONDS] [--connections N]
#        [--java-opts "..."]   e.g. --java-opts "-Dkatana.epoll.trigger=level" to compare trigger modes
# Needs root for perf (or perf_event_paranoid <= 1); installs wrk and perf with apt-get when missing.
set -euo pipefail

BACKEND=epoll-ffm
PORT=18080
DURATION=10
CONNECTIONS=256
DEPTH=16
JAVA_OPTS_EXTRA=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --backend) BACKEND=$2; shift 2 ;;
        --port) PORT=$2; shift 2 ;;
        --duration) DURATION=$2; shift 2 ;;
        --connections) CONNECTIONS=$2; shift 2 ;;
        --java-opts) JAVA_OPTS_EXTRA=$2; shift 2 ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        *) echo "syscalls.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
WORK=$(mktemp -d /tmp/katana-syscalls.XXXXXX)
SERVER_PID=""
cleanup() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# ---- tools -------------------------------------------------------------------------------------
apt_updated=no
need() { # need COMMAND PACKAGE
    command -v "$1" >/dev/null 2>&1 && return 0
    if [[ $apt_updated == no ]]; then
        apt-get update -qq
        apt_updated=yes
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}
need wrk wrk
need perf linux-perf
need taskset util-linux

JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
JAR=examples/target/katana-examples.jar
if [[ ! -f $JAR ]]; then
    echo "building $JAR"
    flock /tmp/katana-mvn.lock ./mvnw -B -q -pl examples -am package -DskipTests
fi
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# ---- server ------------------------------------------------------------------------------------
# shellcheck disable=SC2086 # JAVA_OPTS_EXTRA is a list of options
taskset -c 0 "$JAVA" --enable-native-access=ALL-UNNAMED $JAVA_OPTS_EXTRA -jar "$JAR" \
    serve --backend "$BACKEND" --threads 1 --port "$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
    grep -q "reactor" "$WORK/server.log" 2>/dev/null && break # the whole "serving ... with 1 reactor" line
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
    sleep 0.1
done
grep -q "on $BACKEND" "$WORK/server.log" || { echo "server did not start on $BACKEND:" >&2; cat "$WORK/server.log" >&2; exit 1; }
REACTOR_TID=""
for task in /proc/"$SERVER_PID"/task/*; do
    if [[ $(cat "$task/comm") == katana-reactor* ]]; then REACTOR_TID=${task##*/}; fi
done
[[ -n $REACTOR_TID ]] || { echo "no reactor thread found in process $SERVER_PID" >&2; exit 1; }
URL="http://127.0.0.1:$PORT/"

cat >"$WORK/pipeline.lua" <<'LUA'
-- wrk: send DEPTH requests back to back on each connection, read DEPTH responses.
init = function(args)
    local depth = tonumber(args[1]) or 16
    local batch = {}
    for i = 1, depth do batch[i] = wrk.format("GET", "/") end
    pipelined = table.concat(batch)
end
request = function() return pipelined end
LUA

EVENTS="raw_syscalls:sys_enter"
for call in read write writev sendto recvfrom epoll_wait epoll_pwait epoll_ctl accept4 close shutdown futex; do
    EVENTS="$EVENTS,syscalls:sys_enter_$call"
done

# Warm the JIT so the figures describe steady state.
taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d5s "$URL" >/dev/null
taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d3s -H "Connection: close" "$URL" >/dev/null

# count NAME WRK-ARGS...: runs wrk (the arguments end with the URL) under perf and prints the figures.
count() {
    local name=$1; shift
    perf stat -x, -e "$EVENTS" -t "$REACTOR_TID" -o "$WORK/thread.csv" &
    local perf_thread=$!
    perf stat -x, -e raw_syscalls:sys_enter -p "$SERVER_PID" -o "$WORK/process.csv" &
    local perf_process=$!
    sleep 0.5 # perf attaches
    taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" "$@" >"$WORK/wrk.txt"
    kill -INT "$perf_thread" "$perf_process"
    wait "$perf_thread" "$perf_process" || true
    local requests
    requests=$(awk '/requests in/ {print $1}' "$WORK/wrk.txt")
    local rate
    rate=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt")
    awk -F, -v name="$name" -v requests="$requests" -v rate="$rate" -v process_file="$WORK/process.csv" '
        BEGIN {
            while ((getline line < process_file) > 0) {
                split(line, f, ",")
                if (f[3] == "raw_syscalls:sys_enter") process_total = f[1]
            }
        }
        /^[0-9]/ {
            event = $3; sub(/^syscalls:sys_enter_/, "", event)
            if ($3 == "raw_syscalls:sys_enter") total = $1
            else if ($1 > 0) breakdown = breakdown sprintf(" %s=%.3f", event, $1 / requests)
        }
        END {
            unit = (name == "churn") ? "connection" : "request"
            printf "== %s: %d %ss (%s/s)\n", name, requests, unit, rate
            printf "syscalls/request: %.3f   (reactor thread; per %s)\n", total / requests, unit
            printf "  per %s on the reactor thread:%s\n", unit, breakdown
            printf "  whole process, all threads: %.3f per %s\n", process_total / requests, unit
        }' "$WORK/thread.csv"
}

echo "backend $BACKEND, 1 reactor on core 0, wrk -t1 -c$CONNECTIONS on core 1, ${DURATION}s per scenario"
[[ -n $JAVA_OPTS_EXTRA ]] && echo "server JVM options: $JAVA_OPTS_EXTRA"
count keep-alive "$URL"
count "pipelined-depth-$DEPTH" -s "$WORK/pipeline.lua" "$URL" -- "$DEPTH"
count churn -H "Connection: close" "$URL"
