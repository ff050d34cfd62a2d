#!/usr/bin/env bash
# The io_uring floor beside Katana: io_uring_enter (all system calls) per keep-alive request on the
# serving thread of a minimal C io_uring server (benchmarks/uring-floor/floor.c) and of Katana's
# backends, in one run, so that a syscall budget is judged against what this machine and load
# generator allow any io_uring server, not against a figure taken elsewhere.
#
# Each server runs pinned to core 0, wrk -t1 -c CONNECTIONS on core 1; after a warm-up, RUNS
# interleaved runs of DURATION seconds each (run 1 of every server, then run 2, ...). Per run: system
# calls of the serving thread (perf's raw_syscalls tracepoint), the thread's CPU per request and how
# busy it was (utime + stime from /proc), the whole process's CPU per request (SQPOLL's kernel thread
# and the JVM's other threads included), req/s and p99. The summary gives each server's medians.
#
# Servers: floor (C, sends with completions), floor-skip (C, inline sends that skip their completion,
# as Katana's io_uring backend), floor-sqpoll (C, IORING_SETUP_SQPOLL: a kernel thread submits and
# spins while busy), katana-BACKEND (the example server with --backend BACKEND, --threads 1).
#
# Usage: benchmarks/uring-floor.sh [--servers a,b,...] [--connections N] [--duration S] [--runs N]
#        [--port P] [--jar PATH]
# Needs gcc, liburing-dev, wrk and perf (installed with apt-get when missing) and root for perf (or
# perf_event_paranoid <= 1).
set -euo pipefail

SERVERS=floor,floor-skip,floor-sqpoll,katana-io_uring,katana-epoll-ffm
CONNECTIONS=256
DURATION=6
RUNS=3
PORT=18097
JAR=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --servers) SERVERS=$2; shift 2 ;;
        --connections) CONNECTIONS=$2; shift 2 ;;
        --duration) DURATION=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --port) PORT=$2; shift 2 ;;
        --jar) JAR=$2; shift 2 ;;
        -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
        *) echo "uring-floor.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
. "$ROOT/benchmarks/cpu-ticks.sh"
WORK=$(mktemp -d /tmp/katana-uring-floor.XXXXXX)
SERVER_PID=""
stop_server() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}
trap 'stop_server; rm -rf "$WORK"' EXIT

KATANA_ROOT=$(pwd)
. scripts/katana-env.sh
katana_need wrk wrk
katana_need perf linux-perf
katana_need taskset util-linux
katana_need gcc gcc
[[ -f /usr/include/liburing.h ]] || { apt-get update -qq >/dev/null && apt-get install -y -qq liburing-dev >/dev/null; }
gcc -O2 -Wall -o "$WORK/floor" benchmarks/uring-floor/floor.c -luring
if [[ ,$SERVERS, == *,katana-* ]]; then
    katana_find_jdk
    if [[ -z $JAR ]]; then
        JAR=examples/target/katana-examples.jar
        katana_build "$JAR" examples
    fi
    [[ -f $JAR ]] || { echo "uring-floor.sh: no such jar: $JAR" >&2; exit 2; }
fi
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
URL="http://127.0.0.1:$PORT/plaintext"

# start SERVER: starts it on core 0 and sets SERVER_PID and SERVING_TID (the thread that serves).
start() {
    case "$1" in
        floor) taskset -c 0 "$WORK/floor" "$PORT" & ;;
        floor-skip) taskset -c 0 "$WORK/floor" "$PORT" skip & ;;
        floor-sqpoll) taskset -c 0 "$WORK/floor" "$PORT" sqpoll & ;;
        katana-*) taskset -c 0 "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$JAR" \
            serve --backend "${1#katana-}" --threads 1 --port "$PORT" >"$WORK/server.log" 2>&1 & ;;
        *) echo "uring-floor.sh: unknown server $1" >&2; exit 2 ;;
    esac
    SERVER_PID=$!
    for _ in $(seq 1 100); do
        curl -s -o /dev/null "$URL" && break
        kill -0 "$SERVER_PID" 2>/dev/null || { echo "$1 did not start" >&2; cat "$WORK/server.log" >&2 2>/dev/null; exit 1; }
        sleep 0.1
    done
    SERVING_TID=$SERVER_PID
    if [[ $1 == katana-* ]]; then
        for task in /proc/"$SERVER_PID"/task/*; do
            if [[ $(cat "$task/comm") == katana-reactor* ]]; then SERVING_TID=${task##*/}; fi
        done
    fi
}

thread_ticks() { # pid tid: "TOTAL USER KERNEL" clock ticks of one thread
    local stat
    stat=$(cat "/proc/$1/task/$2/stat")
    stat=${stat##*) }
    # shellcheck disable=SC2086 # split the fields
    set -- $stat
    echo $((${12} + ${13})) "${12}" "${13}"
}

# measure SERVER RUN: appends "server run syscalls/req req/s thread-us user-us kernel-us busy% process-us p99"
measure() {
    start "$1"
    taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d5s "$URL" >/dev/null # warm-up (the JIT, the kernel's caches)
    perf stat -x, -e raw_syscalls:sys_enter -t "$SERVING_TID" -o "$WORK/perf.csv" &
    local perf=$!
    sleep 0.5 # perf attaches
    local t0 u0 k0 t1 u1 k1 p0 p1 start end
    read -r t0 u0 k0 < <(thread_ticks "$SERVER_PID" "$SERVING_TID")
    p0=$(cpu_ticks "$SERVER_PID")
    start=$(date +%s%N)
    taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$URL" >"$WORK/wrk.txt"
    end=$(date +%s%N)
    read -r t1 u1 k1 < <(thread_ticks "$SERVER_PID" "$SERVING_TID")
    p1=$(cpu_ticks "$SERVER_PID")
    kill -INT "$perf"
    wait "$perf" || true
    stop_server
    awk -F, -v server="$1" -v run="$2" -v hz="$CLK_TCK" -v t=$((t1 - t0)) -v u=$((u1 - u0)) -v k=$((k1 - k0)) \
        -v p=$((p1 - p0)) -v ns=$((end - start)) -v wrk="$WORK/wrk.txt" '
        function micros(v) { # wrk prints 987.00us, 2.05ms, 1.02s
            if (v ~ /us$/) return v + 0
            if (v ~ /ms$/) return v * 1000
            return v * 1e6
        }
        BEGIN {
            while ((getline line < wrk) > 0) {
                if (line ~ /requests in/) { split(line, f, " "); n = f[1] }
                if (line ~ /^ +99% /) { split(line, f, " "); p99 = micros(f[2]) }
                if (line ~ /Socket errors|Non-2xx/) errors = 1
            }
        }
        /raw_syscalls:sys_enter/ { calls = $1 }
        END {
            if (n == 0) { printf "%s %d - - - - - - - -\n", server, run; exit }
            printf "%s %d %.3f %.0f %.2f %.2f %.2f %.0f %.2f %.0f%s\n", server, run, calls / n, n / (ns / 1e9),
                t / hz * 1e6 / n, u / hz * 1e6 / n, k / hz * 1e6 / n, t / hz / (ns / 1e9) * 100,
                p / hz * 1e6 / n, p99, errors ? "(errors!)" : ""
        }' "$WORK/perf.csv" | tee -a "$WORK/results" | awk '{
            printf "  %-16s run %s: %s syscalls/request, %s req/s, serving thread %s us/request (user %s, kernel %s, busy %s %%), process %s us/request, p99 %s us\n",
                $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 }'
}

echo "uring-floor: wrk -t1 -c$CONNECTIONS -d${DURATION}s, $RUNS interleaved runs; $(uname -r), load average $(cut -d' ' -f1-3 /proc/loadavg)"
for run in $(seq 1 "$RUNS"); do
    for server in ${SERVERS//,/ }; do
        measure "$server" "$run"
    done
done

echo
echo "Medians (syscalls per request of the serving thread; CPU in us per request):"
printf "| %-16s | %9s | %9s | %12s | %12s | %9s | %9s |\n" server "syscalls" "req/s" "thread CPU" "process CPU" "busy %" "p99 us"
printf "|%s|%s|%s|%s|%s|%s|%s|\n" ------------------ ----------: ----------: --------------: --------------: ----------: ----------:
for server in ${SERVERS//,/ }; do
    median() { awk -v s="$server" -v c="$1" '$1 == s && $3 != "-" {print $c}' "$WORK/results" | sort -g | awk '{v[NR] = $1} END {print NR ? v[int((NR + 1) / 2)] : "-"}'; }
    printf "| %-16s | %9s | %9s | %12s | %12s | %9s | %9s |\n" "$server" "$(median 3)" "$(median 4)" "$(median 5)" "$(median 9)" "$(median 8)" "$(median 10)"
done
