#!/usr/bin/env bash
# Server CPU per request (keep-alive) or per connection (churn), user and kernel time apart, for
# several variants of the example server measured side by side in one run.
#
# Each variant is `serve` on one reactor pinned to core 0 with its own JVM options; the load
# generator runs on core 1. Runs are interleaved (run 1 of every variant at every connection count,
# then run 2, ...) so that a change in the machine's load falls on all of them; the summary gives
# the median run of each. User time is the server's own code; kernel time is mostly loopback TCP,
# the same for every server, so read user time to compare what our code costs.
#
# Usage: benchmarks/cpu.sh [--scenario keep-alive|churn|file] [--connections "8 64 256"] [--duration S]
#        [--warmup S] [--runs N] [--backend NAME] [--variant 'LABEL=JVM OPTIONS']... [--serve-args "..."] [--jar PATH]
# Each measurement follows a warm-up at the same load (--warmup, 5 s): until the JIT has compiled the
# hot paths its threads' CPU counts as the server's.
#   keep-alive  wrk -t1 -cN /plaintext;  churn  wrk -t1 -cN -H 'Connection: close' /plaintext
#   file        wrk -t1 -cN /files/file-1m.bin: a 1 MiB file of random bytes, served by Katana with
#               serve --static (the zero-copy path) and by nginx with sendfile on; one request is 1 MiB,
#               so requests/s is MiB/s and CPU per request is CPU per MiB
#   --variant 'default=' --variant 'level=-Dkatana.epoll.trigger=level'   compares two JVM settings
#   --variant 'nginx=@nginx'   nginx with one worker on core 0, the peer to read user CPU against
#   --jar PATH   measures another build of the example server (default: this checkout's, rebuilt if stale)
# Installs wrk with apt-get when missing.
set -euo pipefail

SCENARIO=keep-alive
CONNECTIONS="8 64 256"
DURATION=6
WARMUP=5
RUNS=3
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
    --jar) JAR=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
    *) echo "cpu.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ ${#VARIANTS[@]} -gt 0 ]] || VARIANTS=("default=")
case $SCENARIO in keep-alive|churn|file) ;; *) echo "cpu.sh: --scenario is keep-alive, churn or file" >&2; exit 2 ;; esac

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

start_server() { # JVM options, or @nginx
  if [[ $1 == @nginx ]]; then
    katana_need nginx nginx-light
    write_nginx_conf "$WORK/nginx" "$PORT" "$FILES"
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
  # shellcheck disable=SC2086 # option lists
  taskset -c 0 "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xms256m -Xmx512m $1 -jar "$JAR" \
    serve --host 127.0.0.1 --port "$PORT" --backend "$BACKEND" --threads 1 $SERVE_ARGS >"$WORK/server.log" 2>&1 &
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
  taskset -c 1 wrk -t1 -c"$1" -d"$2"s --latency "${extra[@]}" "http://127.0.0.1:$PORT$TARGET" >"$WORK/wrk.txt" 2>&1 || true
  awk '/requests in/ {n = $1} /^ +99% / {p99 = $2} END {printf "%d %s\n", n, p99}' "$WORK/wrk.txt"
}

echo "cpu.sh: $JAR; $SCENARIO on $BACKEND, 1 reactor on core 0, wrk -t1 on core 1, ${DURATION}s x $RUNS runs, connections: $CONNECTIONS"
for run in $(seq 1 "$RUNS"); do
  for variant in "${VARIANTS[@]}"; do
    label=${variant%%=*}
    start_server "${variant#*=}"
    for c in $CONNECTIONS; do
      load "$c" "$WARMUP" >/dev/null # warm-up: the JIT's compile threads would count as the server's CPU
      before=$(cpu_ticks_split "$SERVER_PID")
      read -r units p99 <<<"$(load "$c" "$DURATION")"
      after=$(cpu_ticks_split "$SERVER_PID")
      user=$(( ${after% *} - ${before% *} )); kernel=$(( ${after#* } - ${before#* } ))
      awk -v l="$label" -v c="$c" -v r="$run" -v n="$units" -v u="$user" -v k="$kernel" -v hz="$CLK_TCK" -v d="$DURATION" -v p="$p99" \
        'BEGIN { if (n == 0) n = 1; printf "%s %s %s %.2f %.2f %.2f %.0f %s\n", l, c, r, (u + k) / hz * 1e6 / n, u / hz * 1e6 / n, k / hz * 1e6 / n, n / d, p }' \
        | tee -a "$WORK/results" | awk '{printf "  %-12s c=%-5s run %s: %s us (user %s, kernel %s) at %s/s, p99 %s\n", $1, $2, $3, $4, $5, $6, $7, $8}'
    done
    stop_server
  done
done

unit=request; [[ $SCENARIO == churn ]] && unit=connection
[[ $SCENARIO == file ]] && unit="request (1 MiB)"
echo
echo "median of $RUNS runs, server CPU per $unit in microseconds (user + kernel), rate, p99:"
printf "%-12s %6s %22s %10s %10s\n" variant conns "cpu us (user/kernel)" "$unit/s" p99
for variant in "${VARIANTS[@]}"; do
  label=${variant%%=*}
  for c in $CONNECTIONS; do
    awk -v l="$label" -v c="$c" '$1 == l && $2 == c' "$WORK/results" | sort -k4,4g | awk '
      { line[NR] = $0 } END { if (NR == 0) exit; split(line[int((NR + 1) / 2)], m, " ");
        printf "%-12s %6s %8.2f (%.2f / %.2f) %10s %10s\n", m[1], m[2], m[4], m[5], m[6], m[7], m[8] }'
  done
done
