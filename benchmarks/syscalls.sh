#!/usr/bin/env bash
# The syscall budget of a Katana backend (epoll-ffm by default): system calls per request under
# keep-alive, pipelined (depth 16) and connection-churn load.
#
# Starts `katana-examples.jar serve` with one reactor pinned to core 0, loads it from core 1, and
# counts system calls with perf's syscall tracepoints, twice: on the reactor thread alone (the
# budget: what the event loop itself asks of the kernel) and on the whole process (GC, JIT and the
# Date-header timer included), and the server's CPU time per request from /proc/PID/stat (perf's
# tracing included, so compare it only within this script). Scenarios, each counted per request,
# churn per connection:
#   keep-alive   wrk -t1 -c CONNECTIONS
#   pipelined    wrk -t1 -c CONNECTIONS, 16 requests written back to back per connection
#   churn-wrk    wrk -t1 -c CONNECTIONS -H "Connection: close" (the server answers and closes,
#                wrk reconnects)
#   churn-ab     ab -n AB_REQUESTS -c AB_CONCURRENCY without -k (as the benchmark suite runs churn)
# Every scenario runs RUNS times, interleaved (run 1 of each, then run 2 of each, ...), so that a
# change in the machine's load falls on all of them; the summary gives each scenario's median run
# as `syscalls/request: X`, with latency from the load generator beside it.
#
# Usage: benchmarks/syscalls.sh [--backend NAME] [--port P] [--duration SECONDS] [--connections N]
#        [--ab-requests N] [--ab-concurrency N] [--runs N] [--scenarios a,b,...] [--jar PATH]
#        [--java-opts "..."] [--serve-args "..."]
#   --java-opts "-Dkatana.epoll.trigger=level"   compares trigger modes
#   --jar PATH                                   measures another build of the example server
#   --serve-args "--defer-accept 0"              without TCP_DEFER_ACCEPT (serve's default is 1 s)
# Needs root for perf (or perf_event_paranoid <= 1); installs wrk, ab and perf with apt-get when
# missing.
set -euo pipefail

BACKEND=epoll-ffm
PORT=18080
DURATION=10
CONNECTIONS=256
AB_REQUESTS=20000
AB_CONCURRENCY=128
RUNS=3
SCENARIOS=keep-alive,pipelined,churn-wrk,churn-ab
JAR=""
DEPTH=16
JAVA_OPTS_EXTRA=""
SERVE_ARGS=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --backend) BACKEND=$2; shift 2 ;;
        --port) PORT=$2; shift 2 ;;
        --duration) DURATION=$2; shift 2 ;;
        --connections) CONNECTIONS=$2; shift 2 ;;
        --ab-requests) AB_REQUESTS=$2; shift 2 ;;
        --ab-concurrency) AB_CONCURRENCY=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --scenarios) SCENARIOS=$2; shift 2 ;;
        --jar) JAR=$2; shift 2 ;;
        --java-opts) JAVA_OPTS_EXTRA=$2; shift 2 ;;
        --serve-args) SERVE_ARGS=$2; shift 2 ;;
        -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
        *) echo "syscalls.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
done
for scenario in ${SCENARIOS//,/ }; do
    case "$scenario" in
        keep-alive|pipelined|churn-wrk|churn-ab) ;;
        *) echo "syscalls.sh: unknown scenario $scenario (keep-alive, pipelined, churn-wrk, churn-ab)" >&2; exit 2 ;;
    esac
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
. "$ROOT/benchmarks/cpu-ticks.sh"
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
KATANA_ROOT=$(pwd)
. scripts/katana-env.sh
katana_find_jdk
katana_need wrk wrk
katana_need ab apache2-utils
katana_need perf linux-perf
katana_need taskset util-linux

JAVA=$JAVA_HOME/bin/java
if [[ -z $JAR ]]; then
    JAR=examples/target/katana-examples.jar
    katana_build "$JAR" examples
fi
[[ -f $JAR ]] || { echo "syscalls.sh: no such jar: $JAR" >&2; exit 2; }
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# ---- server ------------------------------------------------------------------------------------
# shellcheck disable=SC2086 # JAVA_OPTS_EXTRA is a list of options
taskset -c 0 "$JAVA" --enable-native-access=ALL-UNNAMED $JAVA_OPTS_EXTRA -jar "$JAR" \
    serve --backend "$BACKEND" --threads 1 --port "$PORT" $SERVE_ARGS >"$WORK/server.log" 2>&1 &
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
URL="http://127.0.0.1:$PORT/plaintext"

cat >"$WORK/pipeline.lua" <<'LUA'
-- wrk: send DEPTH requests back to back on each connection, read DEPTH responses.
init = function(args)
    local depth = tonumber(args[1]) or 16
    local batch = {}
    for i = 1, depth do batch[i] = wrk.format("GET", "/plaintext") end
    pipelined = table.concat(batch)
end
request = function() return pipelined end
LUA

EVENTS="raw_syscalls:sys_enter"
for call in read write writev sendto recvfrom epoll_wait epoll_pwait epoll_ctl accept4 close shutdown futex io_uring_enter getpeername getsockname setsockopt; do
    EVENTS="$EVENTS,syscalls:sys_enter_$call"
done

# Warm the JIT so the figures describe steady state.
taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d5s "$URL" >/dev/null
taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d3s -H "Connection: close" "$URL" >/dev/null
if [[ ,$SCENARIOS, == *,churn-ab,* ]]; then
    taskset -c 1 ab -q -r -s 10 -n 10000 -c "$AB_CONCURRENCY" "$URL" >/dev/null 2>&1 || true
fi

# load SCENARIO: runs the scenario's load generator on core 1 into $WORK/load.txt and prints
# "UNITS RATE LATENCY-SUMMARY ERRORS" (latency summary without spaces).
load() {
    case "$1" in
        keep-alive) taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$URL" >"$WORK/load.txt" ;;
        pipelined) taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$WORK/pipeline.lua" "$URL" -- "$DEPTH" >"$WORK/load.txt" ;;
        churn-wrk) taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Connection: close" "$URL" >"$WORK/load.txt" ;;
        churn-ab) timeout 300 taskset -c 1 ab -q -r -s 10 -n "$AB_REQUESTS" -c "$AB_CONCURRENCY" "$URL" >"$WORK/load.txt" 2>&1 || true ;;
    esac
    if [[ $1 == churn-ab ]]; then
        awk '/^Complete requests:/ {n = $3} /^Failed requests:/ {e = $3} /^Requests per second:/ {r = $4}
             /^ +50%/ {p50 = $2} /^ +99%/ {p99 = $2} /^ +100%/ {max = $2}
             END {printf "%d %s p50=%sms,p99=%sms,max=%sms %d\n", n, r, p50, p99, max, e}' "$WORK/load.txt"
    else
        awk '/requests in/ {n = $1} /Requests\/sec/ {r = $2} /^ +Latency +[0-9]/ {max = $4}
             /^ +50% / {p50 = $2} /^ +99% / {p99 = $2}
             /Socket errors/ {gsub(/,/, ""); e += $4 + $6 + $8 + $10} /Non-2xx/ {e += $NF}
             END {printf "%d %s p50=%s,p99=%s,max=%s %d\n", n, r, p50, p99, max, e}' "$WORK/load.txt"
    fi
}

# count SCENARIO RUN: loads the server under perf and appends one line to $WORK/results:
# scenario run per-unit(reactor) per-unit(process) units rate latency errors breakdown cpu-us-per-unit
count() {
    local scenario=$1 run=$2
    perf stat -x, -e "$EVENTS" -t "$REACTOR_TID" -o "$WORK/thread.csv" &
    local perf_thread=$!
    perf stat -x, -e raw_syscalls:sys_enter -p "$SERVER_PID" -o "$WORK/process.csv" &
    local perf_process=$!
    sleep 0.5 # perf attaches
    local figures cpu_before cpu_after
    cpu_before=$(cpu_ticks "$SERVER_PID")
    figures=$(load "$scenario")
    cpu_after=$(cpu_ticks "$SERVER_PID")
    kill -INT "$perf_thread" "$perf_process"
    wait "$perf_thread" "$perf_process" || true
    awk -F, -v scenario="$scenario" -v run="$run" -v figures="$figures" -v process_file="$WORK/process.csv" \
        -v cpu_ticks=$((cpu_after - cpu_before)) -v hz="$CLK_TCK" '
        BEGIN {
            split(figures, l, " ")
            units = l[1]
            while ((getline line < process_file) > 0) {
                split(line, f, ",")
                if (f[3] == "raw_syscalls:sys_enter") process_total = f[1]
            }
        }
        /^[0-9]/ {
            event = $3; sub(/^syscalls:sys_enter_/, "", event)
            if ($3 == "raw_syscalls:sys_enter") total = $1
            else if ($1 / units >= 0.0005) breakdown = breakdown sprintf("%s%s=%.3f", breakdown == "" ? "" : ",", event, $1 / units)
        }
        END {
            if (units == 0) { printf "%s %d - - 0 - - - - -\n", scenario, run; exit }
            if (breakdown == "") breakdown = "-"
            printf "%s %d %.3f %.3f %s %s %s %s %s %.2f\n", scenario, run, total / units, process_total / units,
                units, l[2], l[3], l[4], breakdown, cpu_ticks / hz * 1e6 / units
        }' "$WORK/thread.csv" | tee -a "$WORK/results" | awk '{
            unit = ($1 ~ /^churn/) ? "connection" : "request"
            printf "  %-10s run %s: %.3f syscalls/%s (whole process %.3f), %s %ss at %s/s, server CPU %s us/%s, latency %s, errors %s; %s\n",
                $1, $2, $3, unit, $4, $5, unit, $6, $10, unit, $7, $8, $9 }'
}

describe() {
    case "$1" in
        keep-alive) echo "wrk -t1 -c$CONNECTIONS -d${DURATION}s" ;;
        pipelined) echo "wrk -t1 -c$CONNECTIONS -d${DURATION}s, depth $DEPTH" ;;
        churn-wrk) echo "wrk -t1 -c$CONNECTIONS -d${DURATION}s -H 'Connection: close'" ;;
        churn-ab) echo "ab -n $AB_REQUESTS -c $AB_CONCURRENCY" ;;
    esac
}

echo "backend $BACKEND, 1 reactor on core 0, load generator on core 1; $RUNS run(s) per scenario; $JAR"
[[ -n $JAVA_OPTS_EXTRA ]] && echo "server JVM options: $JAVA_OPTS_EXTRA"
for run in $(seq 1 "$RUNS"); do
    for scenario in ${SCENARIOS//,/ }; do
        count "$scenario" "$run"
    done
done

echo
echo "median of $RUNS run(s) per scenario (reactor thread; churn per connection):"
for scenario in ${SCENARIOS//,/ }; do
    echo "== $scenario: $(describe "$scenario")"
    awk -v s="$scenario" '$1 == s && $3 != "-"' "$WORK/results" | sort -k3,3g | awk '
        { line[NR] = $0; value[NR] = $3 }
        END {
            if (NR == 0) { print "  no completed run"; exit }
            split(line[int((NR + 1) / 2)], m, " ")
            all = ""; for (i = 1; i <= NR; i++) all = all (i > 1 ? ", " : "") value[i]
            unit = (m[1] ~ /^churn/) ? "connection" : "request"
            printf "syscalls/request: %s   (per %s; runs: %s)\n", m[3], unit, all
            printf "  breakdown: %s\n", m[9]
            printf "  whole process: %s; %s %ss at %s/s; server CPU %s us/%s; latency %s; errors %s\n", m[4], m[5], unit, m[6], m[10], unit, m[7], m[8]
        }'
done
