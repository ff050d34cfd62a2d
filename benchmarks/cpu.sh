#!/usr/bin/env bash
# Server CPU per request (keep-alive) or per connection (churn), user and kernel time apart, and
# the reactor thread's Java heap allocation per request, for several variants of the example server
# measured side by side in one run.
#
# Each variant is `serve` on one reactor pinned to core 0 with its own JVM options; the load
# generator runs on core 1. Runs are interleaved (run 1 of every variant at every connection count,
# then run 2, ...) so that a change in the machine's load falls on all of them; the summary gives
# the median run of each. User time is the server's own code; kernel time is mostly loopback TCP,
# the same for every server, so read user time to compare what our code costs.
# Allocation: the reactor thread's allocated bytes (`jcmd PID Thread.print -e`, its "allocated="
# figure) read just before and just after the measured load, outside the CPU window (jcmd costs the
# server CPU), divided by the requests wrk completed. The JVM prints the figure rounded down to whole
# K past 100 KiB and to whole M past 100 MiB: the resolution is 1 KiB / requests, or 1 MiB / requests
# once the thread has allocated 100 MiB since it started.
# Below 16 B (the smallest object) it means no allocation per request: what is left is periodic work
# (the Date header each second, tasks from other threads). A JFR recording among a variant's options
# turns on the HTTP layer's slow-request event, which allocates per request. nginx's column is `-`.
#
# Usage: benchmarks/cpu.sh [--scenario keep-alive|churn|file] [--connections "8 64 256"] [--duration S]
#        [--warmup S] [--runs N] [--backend NAME] [--variant 'LABEL=JVM OPTIONS']... [--serve-args "..."]
#        [--pipeline DEPTH] [--jar PATH]
# Each measurement follows a warm-up at the same load (--warmup, 5 s, as two loads of half that, so
# that connections have closed and opened once): until the JIT has compiled the hot paths, and the
# paths of a connection's end and start, its threads' CPU counts as the server's.
#   keep-alive  wrk -t1 -cN /plaintext;  churn  wrk -t1 -cN -H 'Connection: close' /plaintext
#   file        wrk -t1 -cN /files/file-1m.bin: a 1 MiB file of random bytes, served by Katana with
#               serve --static (the zero-copy path) and by nginx with sendfile on; one request is 1 MiB,
#               so requests/s is MiB/s and CPU per request is CPU per MiB
#   --pipeline 16   writes 16 requests back to back per connection (keep-alive and file only)
#   --variant 'default=' --variant 'level=-Dkatana.epoll.trigger=level'   compares two JVM settings
#   --variant 'io_uring=-Dkatana.reactor=io_uring' --variant 'nio=-Dkatana.reactor=nio'   compares
#               backends: a variant that sets -Dkatana.reactor runs on that backend, not on --backend
#   --variant 'nginx=@nginx'   nginx with one worker on core 0, the peer to read user CPU against
#   --variant 'nopush=@nginx:tcp_nopush on;'   nginx with extra directives for /files/
#   --jar PATH   measures another build of the example server (default: this checkout's, rebuilt if stale)
# Installs wrk with apt-get when missing.
set -euo pipefail

SCENARIO=keep-alive
CONNECTIONS="8 64 256"
DURATION=6
WARMUP=5
RUNS=3
DEPTH=1
BACKEND=epoll-ffm
SERVE_ARGS=""
VARIANTS=()
PORT=18190
JAR=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --scenario) SCENARIO=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --backend) BACKEND=$2; shift 2 ;;
    --variant) VARIANTS+=("$2"); shift 2 ;;
    --serve-args) SERVE_ARGS=$2; shift 2 ;;
    --pipeline) DEPTH=$2; shift 2 ;;
    --jar) JAR=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
    *) echo "cpu.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ ${#VARIANTS[@]} -gt 0 ]] || VARIANTS=("default=")
case $SCENARIO in keep-alive|churn|file) ;; *) echo "cpu.sh: --scenario is keep-alive, churn or file" >&2; exit 2 ;; esac
[[ $DEPTH == 1 || $SCENARIO != churn ]] || { echo "cpu.sh: --pipeline needs keep-alive connections, not churn" >&2; exit 2; }

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
KATANA_ROOT=$ROOT
. scripts/katana-env.sh
. benchmarks/cpu-ticks.sh
. benchmarks/nginx-conf.sh
katana_find_jdk
katana_need wrk wrk
katana_need taskset util-linux
if [[ -z $JAR ]]; then
  JAR=examples/target/katana-examples.jar
  katana_build "$JAR" examples
fi
[[ -f $JAR ]] || { echo "cpu.sh: no such jar: $JAR" >&2; exit 2; }
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

WORK=$(mktemp -d /tmp/katana-cpu.XXXXXX)
SERVER_PID=""
stop_server() {
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
trap 'stop_server; rm -rf "$WORK"' EXIT
TARGET=/plaintext
FILES=""
if [[ $SCENARIO == file ]]; then
  FILES=$WORK/files
  mkdir -p "$FILES"
  head -c 1048576 /dev/urandom >"$FILES/file-1m.bin"
  chmod 755 "$WORK" "$FILES" # nginx's worker runs as nobody: it must reach the file
  chmod 644 "$FILES/file-1m.bin"
  TARGET=/files/file-1m.bin
  SERVE_ARGS="$SERVE_ARGS --static $FILES"
fi

check_target() { # the measured URL must answer 200, or the run measures error pages
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT$TARGET")
  [[ $code == 200 ]] || { echo "cpu.sh: $TARGET answered $code, not 200" >&2; stop_server; exit 1; }
}

# The threads that serve: the reactor threads of Katana, nginx's worker process (one thread). The
# JIT's compiler threads are reported apart: until C2 has settled they cost more than the reactor.
NGINX_PEER=false
loop_ticks() {
  if $NGINX_PEER; then cpu_ticks_split "$SERVER_PID"; else cpu_ticks_threads "$SERVER_PID" '^katana-reactor'; fi
}
jit_ticks() {
  if $NGINX_PEER; then echo "0 0"; else cpu_ticks_threads "$SERVER_PID" '^C[12] CompilerThre'; fi
}
reactor_allocated() { # the reactor thread's allocated bytes so far; nginx: -
  if $NGINX_PEER; then echo -; return; fi
  taskset -c 1 "$JAVA_HOME/bin/jcmd" "$SERVER_PID" Thread.print -e | awk '
    /^"katana-reactor/ && match($0, /allocated=[0-9]+[KMG]?/) {
      v = substr($0, RSTART + 10, RLENGTH - 10); unit = substr(v, length(v))
      scale = unit == "K" ? 1024 : unit == "M" ? 1048576 : unit == "G" ? 1073741824 : 1
      if (scale > 1) v = substr(v, 1, length(v) - 1)
      print v * scale; exit }'
}

start_server() { # JVM options, or @nginx
  NGINX_PEER=false
  if [[ $1 == @nginx* ]]; then
    NGINX_PEER=true
    katana_need nginx nginx-light
    local directives=""
    [[ $1 == @nginx:* ]] && directives=${1#@nginx:}
    write_nginx_conf "$WORK/nginx" "$PORT" "$FILES" "" "" "$directives"
    taskset -c 0 "$(command -v nginx || echo /usr/sbin/nginx)" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" \
      -e "$WORK/nginx/error.log" >"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 100); do
      if curl -s -o /dev/null "http://127.0.0.1:$PORT/plaintext"; then
        check_target
        return 0
      fi
      sleep 0.1
    done
    echo "cpu.sh: nginx did not start" >&2; cat "$WORK/server.log" "$WORK/nginx/error.log" >&2; exit 1
  fi
  local backend=(--backend "$BACKEND")
  [[ $1 == *-Dkatana.reactor=* ]] && backend=() # --backend would win over the variant's choice
  # shellcheck disable=SC2086 # option lists
  taskset -c 0 "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xms256m -Xmx512m $1 -jar "$JAR" \
    serve --host 127.0.0.1 --port "$PORT" "${backend[@]}" --threads 1 $SERVE_ARGS >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    if grep -q "katana: serving" "$WORK/server.log"; then
      check_target
      return 0
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "cpu.sh: the server did not start" >&2; exit 1
}

load() { # connections duration
  local extra=()
  [[ $SCENARIO == churn ]] && extra=(-H "Connection: close")
  ((DEPTH > 1)) && extra=(-s benchmarks/wrk/report.lua)
  # `times` in the subshell gives the CPU its one child, wrk, used: on loopback the kernel's TCP work
  # falls on the sender or on the receiver depending on who holds the socket when a segment arrives,
  # so the server's kernel time alone moves with the load generator's timing; their sum does not.
  ( WRK_PIPELINE=$DEPTH taskset -c 1 wrk -t1 -c"$1" -d"$2"s --latency "${extra[@]}" "http://127.0.0.1:$PORT$TARGET" >"$WORK/wrk.txt" 2>&1 || true
    times >"$WORK/wrk-times.txt" ) # its second line: the children's user and system time
  # wrk times no latency for a scripted batch of pipelined requests: its p99 then reads 0.00us
  awk -v depth="$DEPTH" '/requests in/ {n = $1} /^ +99% / {p99 = depth > 1 ? "-" : $2} END {printf "%d %s ", n, p99}' "$WORK/wrk.txt"
  tail -n 1 "$WORK/wrk-times.txt" | sed 's/m/ /g; s/s//g' | awk '{ printf "%.6f\n", $1 * 60 + $2 + $3 * 60 + $4 }'
}

echo "cpu.sh: $JAR; $SCENARIO on $BACKEND (unless a variant sets -Dkatana.reactor), depth $DEPTH, 1 reactor on core 0, wrk -t1 on core 1, ${DURATION}s x $RUNS runs, connections: $CONNECTIONS"
for run in $(seq 1 "$RUNS"); do
  for variant in "${VARIANTS[@]}"; do
    label=${variant%%=*}
    start_server "${variant#*=}"
    for c in $CONNECTIONS; do
      # Warm-up in two loads, so that the connections closing at the end of one load and opening for
      # the next have run before the measurement: a steady load never takes those branches, and C2,
      # meeting them, drops about 15 hot methods (uncommon traps) and compiles them again over the
      # following ~10 s, which landed in the measured load when the warm-up was a single one.
      load "$c" $(( (WARMUP + 1) / 2 )) >/dev/null
      load "$c" $(( WARMUP / 2 > 0 ? WARMUP / 2 : 1 )) >/dev/null
      # jcmd's reads frame the CPU window rather than fall in it: each costs the server a safepoint
      # and its attach listener's work. The allocation window is wider by moments the reactor idles.
      alloc_before=$(reactor_allocated)
      before=$(cpu_ticks_split "$SERVER_PID"); before_loop=$(loop_ticks); before_jit=$(jit_ticks)
      read -r units p99 client <<<"$(load "$c" "$DURATION")"
      after=$(cpu_ticks_split "$SERVER_PID"); after_loop=$(loop_ticks); after_jit=$(jit_ticks)
      alloc_after=$(reactor_allocated)
      [[ -n $alloc_before && -n $alloc_after ]] || { echo "cpu.sh: jcmd gave no allocation for the reactor thread" >&2; exit 1; }
      user=$(( ${after% *} - ${before% *} )); kernel=$(( ${after#* } - ${before#* } ))
      loop_user=$(( ${after_loop% *} - ${before_loop% *} )); loop_kernel=$(( ${after_loop#* } - ${before_loop#* } ))
      jit=$(( ${after_jit% *} + ${after_jit#* } - ${before_jit% *} - ${before_jit#* } ))
      awk -v l="$label" -v c="$c" -v r="$run" -v n="$units" -v u="$user" -v k="$kernel" -v hz="$CLK_TCK" -v d="$DURATION" -v p="$p99" \
        -v lu="$loop_user" -v lk="$loop_kernel" -v j="$jit" -v w="$client" -v ab="$alloc_before" -v aa="$alloc_after" \
        'BEGIN { if (n == 0) n = 1; f = 1e6 / hz / n; a = ab == "-" ? "-" : sprintf("%.2f", (aa - ab) / n);
                 printf "%s %s %s %.2f %.2f %.2f %.0f %s %.2f %.2f %.2f %.2f %.2f %.2f %s\n", l, c, r, (u + k) * f, u * f, k * f, n / d, p,
                        (lu + lk) * f, lu * f, lk * f, j * f, w * 1e6 / n, (u + k) * f + w * 1e6 / n, a }' \
        | tee -a "$WORK/results" \
        | awk '{printf "  %-12s c=%-5s run %s: %s us (user %s, kernel %s) at %s/s, p99 %s; loop %s (%s / %s), jit %s, wrk %s, both %s; alloc %s\n",
                $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15 == "-" ? "-" : $15 " B"}'
    done
    stop_server
  done
done

unit=request; [[ $SCENARIO == churn ]] && unit=connection
[[ $SCENARIO == file ]] && unit="request (1 MiB)"
echo
echo "median of $RUNS runs (each column's own median), server CPU per $unit in microseconds:"
echo "  process = the whole server process (user / kernel), JIT threads included; loop = its reactor"
echo "  threads only (nginx: its worker); jit = the C1/C2 compiler threads (in process);"
echo "  wrk = the load generator's own CPU (user + kernel), which shares the loopback TCP work with the server;"
echo "  both = process + wrk; alloc = the reactor thread's allocated bytes per $unit (nginx: -)"
printf "%-12s %6s %24s %24s %8s %9s %9s %8s %10s %10s\n" variant conns "process (user/kernel)" "loop (user/kernel)" jit wrk both alloc "$unit/s" p99
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }
for variant in "${VARIANTS[@]}"; do
  label=${variant%%=*}
  for c in $CONNECTIONS; do
    rows=$(awk -v l="$label" -v c="$c" '$1 == l && $2 == c' "$WORK/results")
    [[ -n $rows ]] || continue
    col() { awk -v i="$1" '{ print $i }' <<<"$rows" | median; }
    printf "%-12s %6s %8.2f (%6.2f / %6.2f) %8.2f (%6.2f / %6.2f) %8.2f %9.2f %9.2f %8s %10s %10s\n" "$label" "$c" \
      "$(col 4)" "$(col 5)" "$(col 6)" "$(col 9)" "$(col 10)" "$(col 11)" "$(col 12)" "$(col 13)" "$(col 14)" "$(col 15)" "$(col 7)" "$(col 8)"
  done
done
