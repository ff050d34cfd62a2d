#!/usr/bin/env bash
# Java heap allocation per request of the example server's reactor thread, for several backends
# side by side: the "no allocation per request on the hot path" check of a real server under load.
#
# Each backend runs `serve --threads 1` pinned to core 0 (no JFR: a recording turns on the HTTP
# layer's slow-request event, which allocates per request while enabled), the load generator on
# core 1. After a warm-up at the same load, the reactor thread's allocated bytes are read before and
# after the measured run (`jcmd PID Thread.print -e`, its "allocated=" figure; the JVM prints it
# rounded to K or M, which bounds the resolution at about 1 MiB / requests), divided by the requests
# wrk completed. Runs are interleaved (run 1 of every backend, then run 2, ...); the summary gives
# each backend's median run. A figure well below 16 B (the smallest object) means no allocation per
# request: what is left is periodic work (the Date header each second, tasks from other threads).
#
# Usage: benchmarks/alloc.sh [--backends "io_uring epoll-ffm nio"] [--connections N] [--duration S]
#        [--warmup S] [--runs N] [--pipeline DEPTH] [--jar PATH]
#   --pipeline 16   writes 16 requests back to back per connection (wrk with a Lua script)
# Installs wrk with apt-get when missing.
set -euo pipefail

BACKENDS="io_uring epoll-ffm nio"
CONNECTIONS=256
DURATION=8
WARMUP=5
RUNS=3
DEPTH=1
JAR=""
PORT=18195
while [[ $# -gt 0 ]]; do
  case $1 in
    --backends) BACKENDS=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --pipeline) DEPTH=$2; shift 2 ;;
    --jar) JAR=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
    *) echo "alloc.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
KATANA_ROOT=$ROOT
. scripts/katana-env.sh
katana_find_jdk
katana_need wrk wrk
katana_need taskset util-linux
if [[ -z $JAR ]]; then
  JAR=examples/target/katana-examples.jar
  katana_build "$JAR" examples
fi
[[ -f $JAR ]] || { echo "alloc.sh: no such jar: $JAR" >&2; exit 2; }
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

WORK=$(mktemp -d /tmp/katana-alloc.XXXXXX)
SERVER_PID=""
stop_server() {
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
trap 'stop_server; rm -rf "$WORK"' EXIT
URL=http://127.0.0.1:$PORT/plaintext
WRK_ARGS=()
if ((DEPTH > 1)); then
  cat >"$WORK/pipeline.lua" <<'LUA'
init = function(args)
    local batch = {}
    for i = 1, tonumber(args[1]) do batch[i] = wrk.format("GET", "/plaintext") end
    pipelined = table.concat(batch)
end
request = function() return pipelined end
LUA
  WRK_ARGS=(-s "$WORK/pipeline.lua")
fi
load() { # seconds: wrk's completed requests
  local extra=()
  ((DEPTH > 1)) && extra=(-- "$DEPTH")
  taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"$1s" "${WRK_ARGS[@]}" "$URL" "${extra[@]}" >"$WORK/wrk.txt"
  awk '/requests in/ {print $1}' "$WORK/wrk.txt"
}
reactor_allocated() { # the reactor thread's allocated bytes so far
  "$JAVA_HOME/bin/jcmd" "$SERVER_PID" Thread.print -e | awk '
    /^"katana-reactor/ && match($0, /allocated=[0-9]+[KMG]?/) {
      v = substr($0, RSTART + 10, RLENGTH - 10); unit = substr(v, length(v))
      scale = unit == "K" ? 1024 : unit == "M" ? 1048576 : unit == "G" ? 1073741824 : 1
      if (scale > 1) v = substr(v, 1, length(v) - 1)
      print v * scale; exit }'
}

echo "backend run requests reactor_bytes bytes_per_request" >"$WORK/results.txt"
for run in $(seq 1 "$RUNS"); do
  for backend in $BACKENDS; do
    taskset -c 0 "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$JAR" \
      serve --backend "$backend" --threads 1 --port "$PORT" >"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 100); do
      grep -q "reactor" "$WORK/server.log" 2>/dev/null && break
      kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
      sleep 0.1
    done
    grep -q "on $backend" "$WORK/server.log" || { echo "alloc.sh: server did not start on $backend" >&2; cat "$WORK/server.log" >&2; exit 1; }
    load "$WARMUP" >/dev/null
    before=$(reactor_allocated)
    requests=$(load "$DURATION")
    after=$(reactor_allocated)
    stop_server
    awk -v b="$backend" -v r="$run" -v n="$requests" -v d="$((after - before))" \
      'BEGIN {printf "%s %d %d %d %.2f\n", b, r, n, d, d / n}' | tee -a "$WORK/results.txt"
  done
done

echo
echo "median run per backend (wrk -t1 -c$CONNECTIONS, depth $DEPTH, $RUNS runs of ${DURATION}s):"
for backend in $BACKENDS; do
  awk -v b="$backend" '$1 == b {print $5, $3}' "$WORK/results.txt" | sort -g |
    awk -v b="$backend" '{v[NR] = $1; n[NR] = $2; all = all (NR > 1 ? ", " : "") $1}
      END {m = int((NR + 1) / 2); printf "  %-10s %s B/request on the reactor thread (runs %s; %d requests in the median run)\n", b, v[m], all, n[m]}'
done
