#!/usr/bin/env bash
# Katana load harness and microbenchmark runner: what `./katana bench [--quick]` runs.
#
# Starts the example server on each Katana backend and, as peers, Netty 4.2's native epoll, io_uring and NIO
# transports and nginx (one worker), every server pinned to core 0 and every load generator to
# core 1. Measures keep-alive, pipelined, connection-churn and concurrency-sweep throughput, latency
# at 8 connections and server CPU per request, each the median of several runs with its spread; then
# (full run only) the JMH microbenchmarks with -prof gc. Writes the tables and a chart into
# docs/BENCHMARKS.md ("Load and microbenchmarks") and keeps raw output in benchmarks/target/bench/.
#
#   benchmarks/bench.sh [--quick] [--load-only | --jmh-only] [--servers a,b,...] [--no-doc] [--no-build]
#   benchmarks/bench.sh --tls [options of benchmarks/tls-race.sh]   the HTTPS race instead (tls-race.sh --help)
#
#   --quick      about a minute: fewer scenarios, 1 s runs, no JMH
#   --load-only  skip JMH;  --jmh-only  skip the load runs
#   --servers    a subset of: katana-epoll-ffm katana-io_uring katana-nio netty-epoll netty-io_uring netty-nio nginx
#   --no-doc     print the report but leave docs/BENCHMARKS.md alone
#   --no-build   use the jars as they are, even if sources are newer
#
# Installs wrk, ab (apache2-utils) and nginx with apt-get when they are missing (needs root), and
# builds the jars it needs when they are missing or older than the sources.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MODE=full
RUN_LOAD=yes
RUN_JMH=yes
WRITE_DOC=yes
BUILD=yes
ALL_SERVERS="katana-epoll-ffm katana-io_uring katana-nio netty-epoll netty-io_uring netty-nio nginx"
SERVERS=$ALL_SERVERS

usage() { sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

if [ "${1-}" = --tls ]; then
  shift
  exec "$ROOT/benchmarks/tls-race.sh" "$@"
fi

while [ $# -gt 0 ]; do
  case $1 in
    --quick) MODE=quick ;;
    --load-only) RUN_JMH=no ;;
    --jmh-only) RUN_LOAD=no ;;
    --no-doc) WRITE_DOC=no ;;
    --no-build) BUILD=no ;;
    --servers) shift; SERVERS=$(echo "${1:?--servers needs a list}" | tr ',' ' ') ;;
    --servers=*) SERVERS=$(echo "${1#--servers=}" | tr ',' ' ') ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
[ "$MODE" = quick ] && RUN_JMH=no
for s in $SERVERS; do
  case " $ALL_SERVERS " in *" $s "*) ;; *) echo "bench: unknown server '$s' (one of: $ALL_SERVERS)" >&2; exit 2 ;; esac
done

# ---- settings -----------------------------------------------------------------------------------
if [ "$MODE" = quick ]; then
  RUNS=3; SECONDS_PER_RUN=1; WARMUP_SECONDS=3; WARMUP_CONNECTIONS=10000
  KEEPALIVE_CONNECTIONS="8"; SWEEP_ONLY_CONNECTIONS=""
  CHURN_CONNECTIONS="8"; CHURN_REQUESTS=5000
else
  RUNS=3; SECONDS_PER_RUN=3; WARMUP_SECONDS=5; WARMUP_CONNECTIONS=30000
  KEEPALIVE_CONNECTIONS="8 64 256 1024"; SWEEP_ONLY_CONNECTIONS="32 128 10000"
  CHURN_CONNECTIONS="8 128"; CHURN_REQUESTS=20000
fi
PIPELINE_DEPTH=16
PIPELINE_CONNECTIONS=256
SERVER_CORE=0
CLIENT_CORE=1
WRK_TIMEOUT=10s
FIRST_PORT=${KATANA_BENCH_PORT:-28600} # servers take the first free ports from here
JAVA_SERVER_OPTS=(-Xms256m -Xmx512m)
NETTY_VERSION=4.2.18.Final

log() { printf 'bench: %s\n' "$*" >&2; }

# ---- tools --------------------------------------------------------------------------------------
KATANA_ROOT=$ROOT
. "$ROOT/scripts/katana-env.sh"
katana_find_jdk
JAVA="$JAVA_HOME/bin/java"


if [ "$RUN_LOAD" = yes ]; then
  katana_need wrk wrk
  katana_need ab apache2-utils
  if [ "${SERVERS#*nginx}" != "$SERVERS" ] && [ ! -x /usr/sbin/nginx ]; then
    katana_need nginx nginx-light || katana_need nginx nginx
  fi
  katana_need taskset util-linux
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

# ---- build --------------------------------------------------------------------------------------
EXAMPLES_JAR="$ROOT/examples/target/katana-examples.jar"
BENCH_JAR="$ROOT/benchmarks/target/katana-benchmarks.jar"
for jar in "$EXAMPLES_JAR" "$BENCH_JAR"; do # --no-build: only what is missing
  if [ "$BUILD" = yes ] || [ ! -f "$jar" ]; then
    katana_build "$jar" examples benchmarks
  fi
done

OUT="$ROOT/benchmarks/target/bench/$(date -u +%Y%m%dT%H%M%SZ)-$MODE"
WORK=$(mktemp -d /tmp/katana-bench.XXXXXX)
mkdir -p "$OUT"
RESULTS="$OUT/results.tsv"
META="$OUT/meta.properties"
COMMANDS="$OUT/commands.txt"
SKIPPED="$OUT/skipped.tsv"
: >"$RESULTS"; : >"$COMMANDS"; : >"$SKIPPED"
LUA="$ROOT/benchmarks/wrk/report.lua"
REPORT=("$JAVA" -cp "$BENCH_JAR" io.katana.benchmarks.load.BenchReport)

declare -A PID PORT
cleanup() {
  for s in "${!PID[@]}"; do stop_server "$s"; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- servers ------------------------------------------------------------------------------------
. "$ROOT/benchmarks/nginx-conf.sh"

server_command() { # server port: prints the command, one word per line
  case $1 in
    katana-*) printf '%s\n' taskset -c "$SERVER_CORE" "$JAVA" "${JAVA_SERVER_OPTS[@]}" --enable-native-access=ALL-UNNAMED \
                -jar "$EXAMPLES_JAR" serve --backend "${1#katana-}" --threads 1 --port "$2" ;;
    netty-*) printf '%s\n' taskset -c "$SERVER_CORE" "$JAVA" "${JAVA_SERVER_OPTS[@]}" --sun-misc-unsafe-memory-access=allow \
                --enable-native-access=ALL-UNNAMED -Dio.netty.leakDetection.level=disabled -cp "$BENCH_JAR" \
                io.katana.benchmarks.peer.NettyPlaintextServer --transport "${1#netty-}" --threads 1 --port "$2" ;;
    nginx) printf '%s\n' taskset -c "$SERVER_CORE" "$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" ;;
  esac
}

port_in_use() { # port: something accepts connections on 127.0.0.1:port
  { exec 8<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  exec 8>&- 8<&-
}

free_port() { # first: the first port from there on that nothing listens on
  local port=$1
  while port_in_use "$port"; do port=$((port + 1)); done
  echo "$port"
}

answers_200() { # port: one GET /plaintext answered with a 200 status line
  local line=""
  { exec 9<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' >&9
  IFS= read -r -t 2 line <&9 || true
  exec 9>&- 9<&-
  case $line in "HTTP/1."[01]" 200"*) return 0 ;; *) return 1 ;; esac
}

start_server() { # server port; on failure records the reason in $SKIPPED
  local name=$1 port=$2 logfile="$OUT/$1.log" reason
  [ "$name" = nginx ] && write_nginx_conf "$WORK/nginx" "$port"
  mapfile -t cmd < <(server_command "$name" "$port")
  "${cmd[@]}" >"$logfile" 2>&1 &
  local pid=$!
  local tries=0
  until answers_200 "$port"; do
    if ! kill -0 "$pid" 2>/dev/null || [ $tries -ge 300 ]; then
      reason=$(grep -v '^\s*at ' "$logfile" | grep -E -i 'unavailable|error|exception|not ' | head -n 1 | cut -c1-200)
      [ -n "$reason" ] || reason=$(tail -n 1 "$logfile" | cut -c1-200)
      [ -n "$reason" ] || reason="did not answer GET /plaintext within 30 s"
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
      printf '%s\t%s\n' "$name" "$reason" >>"$SKIPPED"
      log "$name skipped: $reason"
      return 1
    fi
    tries=$((tries + 1)); sleep 0.1
  done
  sleep 0.3
  if ! kill -0 "$pid" 2>/dev/null; then # something else answered on the port, and ours gave up
    printf '%s\t%s\n' "$name" "exited at start: $(grep -v '^\s*at ' "$logfile" | tail -n 1 | cut -c1-200)" >>"$SKIPPED"
    log "$name exited at start; see ${logfile#"$ROOT"/}"
    return 1
  fi
  PID[$name]=$pid; PORT[$name]=$port
  log "$name up (pid $pid, port $port)"
}

stop_server() { # server
  local pid=${PID[$1]:-}
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  unset "PID[$1]"
}

. "$ROOT/benchmarks/cpu-ticks.sh"

# ---- load generators ----------------------------------------------------------------------------
record() { # server scenario run rps errors cpu_us_per_request p50 p99 p999 requests [user_us_per_request]
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "${@:1:10}" "${11:-0}" >>"$RESULTS"
}

per_request() { # "user kernel" before, after, requests, total|user: CPU microseconds per request
  local user=$(( ${2% *} - ${1% *} )) kernel=$(( ${2#* } - ${1#* } ))
  local ticks=$user
  [ "$4" = user ] || ticks=$((user + kernel))
  awk -v t="$ticks" -v r="$3" -v hz="$CLK_TCK" 'BEGIN { printf "%.3f", (r > 0 ? t * 1e6 / hz / r : 0) }'
}

server_alive() { # server scenario run: false, with the run recorded as failed, once the server has died
  kill -0 "${PID[$1]}" 2>/dev/null && return 0
  if ! grep -q "^$1	" "$SKIPPED"; then
    printf '%s\t%s\n' "$1" "died during the run: $(grep -v '^\s*at ' "$OUT/$1.log" | tail -n 1 | cut -c1-200)" >>"$SKIPPED"
    log "$1 died; see ${OUT#"$ROOT"/}/$1.log"
  fi
  record "$1" "$2" "$3" 0 -1 0 0 0 0 0
  return 1
}

field() { # name text: the value of name=value in text
  sed -n "s/.*[ ]$1=\([0-9]*\).*/\1/p" <<<"$2" | head -n 1
}

run_wrk() { # server scenario run connections depth seconds
  local server=$1 scenario=$2 run=$3 connections=$4 depth=$5 seconds=$6
  server_alive "$server" "$scenario" "$run" || return 0
  local pid=${PID[$server]} port=${PORT[$server]} before after out line
  before=$(cpu_ticks_split "$pid")
  out=$(WRK_PIPELINE=$depth timeout $((seconds + 120)) taskset -c "$CLIENT_CORE" wrk -t1 -c"$connections" -d"${seconds}s" \
        --timeout "$WRK_TIMEOUT" -s "$LUA" "http://127.0.0.1:$port/plaintext" 2>&1) || true
  after=$(cpu_ticks_split "$pid")
  line=$(grep '^KATANA_WRK' <<<"$out" || true)
  if [ -z "$line" ]; then
    log "$server $scenario run $run: wrk gave no summary: $(tail -n 2 <<<"$out" | tr '\n' ' ')"
    record "$server" "$scenario" "$run" 0 -1 0 0 0 0 0
    return
  fi
  local requests duration errors
  requests=$(field requests "$line"); duration=$(field duration_us "$line")
  errors=$(( $(field connect "$line") + $(field read "$line") + $(field write "$line") + $(field status "$line") + $(field timeout "$line") ))
  record "$server" "$scenario" "$run" \
    "$(awk -v r="$requests" -v d="$duration" 'BEGIN { printf "%.1f", (d > 0 ? r * 1e6 / d : 0) }')" "$errors" \
    "$(per_request "$before" "$after" "$requests" total)" \
    "$(field p50_us "$line")" "$(field p99_us "$line")" "$(field p999_us "$line")" "$requests" \
    "$(per_request "$before" "$after" "$requests" user)"
}

run_ab() { # server scenario run connections requests
  local server=$1 scenario=$2 run=$3 connections=$4 total=$5
  server_alive "$server" "$scenario" "$run" || return 0
  local pid=${PID[$server]} port=${PORT[$server]} before after out complete failed non2xx rps
  before=$(cpu_ticks_split "$pid")
  out=$(timeout 180 taskset -c "$CLIENT_CORE" ab -q -r -s 10 -n "$total" -c "$connections" "http://127.0.0.1:$port/plaintext" 2>&1) || true
  after=$(cpu_ticks_split "$pid")
  complete=$(sed -n 's/^Complete requests: *\([0-9]*\).*/\1/p' <<<"$out"); complete=${complete:-0}
  failed=$(sed -n 's/^Failed requests: *\([0-9]*\).*/\1/p' <<<"$out"); failed=${failed:-0}
  non2xx=$(sed -n 's/^Non-2xx responses: *\([0-9]*\).*/\1/p' <<<"$out"); non2xx=${non2xx:-0}
  rps=$(sed -n 's/^Requests per second: *\([0-9.]*\).*/\1/p' <<<"$out"); rps=${rps:-0}
  if [ "$complete" -eq 0 ]; then
    log "$server $scenario run $run: ab completed nothing: $(tail -n 2 <<<"$out" | tr '\n' ' ')"
  fi
  local errors=$((failed + non2xx + total - complete))
  local good=$((complete - failed - non2xx))
  record "$server" "$scenario" "$run" "$rps" "$errors" \
    "$(per_request "$before" "$after" "$good" total)" 0 0 0 "$complete" "$(per_request "$before" "$after" "$good" user)"
}

# ---- the run ------------------------------------------------------------------------------------
machine_facts() {
  {
    echo "mode=$MODE"
    echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "nproc=$(nproc)"
    echo "kernel=$(uname -sr)"
    echo "cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
    echo "jdk=$("$JAVA" -version 2>&1 | sed -n 2p)"
    echo "commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
    echo "netty=$NETTY_VERSION"
    if [ "$RUN_LOAD" = yes ]; then
      echo "wrk=$(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2)"
      echo "ab=$(ab -V 2>&1 | head -n 1 | sed 's/This is //; s/, Version/ version/; s/ <.*//')"
      echo "nginx=$("$NGINX" -v 2>&1 | sed 's/.*version: //')"
    fi
    echo "runs=$RUNS"
    echo "seconds_per_run=$SECONDS_PER_RUN"
    echo "ulimit_n=$(ulimit -n)"
  } >"$META"
}

commands_used() {
  {
    echo "# servers (each pinned to core $SERVER_CORE; PORT differs per server)"
    for s in $SERVERS; do
      echo "$(server_command "$s" PORT | tr '\n' ' ' | sed "s#$ROOT/##g; s#$WORK#\$TMP#g; s#$JAVA_HOME#\$JAVA_HOME#g")"
    done
    echo "# nginx.conf: daemon off; worker_processes 1; events { worker_connections 16384; } http { access_log off;"
    echo "#   keepalive_requests 100000000; server { listen 127.0.0.1:PORT backlog=4096;"
    echo "#   location /plaintext { default_type text/plain; return 200 \"Hello, World!\"; } } }"
    echo "# load (pinned to core $CLIENT_CORE); CPU = utime+stime from /proc/PID/stat (and its children) around each run"
    echo "taskset -c $CLIENT_CORE wrk -t1 -c{$(echo "$KEEPALIVE_CONNECTIONS $SWEEP_ONLY_CONNECTIONS" | xargs | tr ' ' ',')} -d${SECONDS_PER_RUN}s --timeout $WRK_TIMEOUT -s benchmarks/wrk/report.lua http://127.0.0.1:PORT/plaintext"
    echo "WRK_PIPELINE=$PIPELINE_DEPTH taskset -c $CLIENT_CORE wrk -t1 -c$PIPELINE_CONNECTIONS -d${SECONDS_PER_RUN}s --timeout $WRK_TIMEOUT -s benchmarks/wrk/report.lua http://127.0.0.1:PORT/plaintext"
    echo "taskset -c $CLIENT_CORE ab -q -r -s 10 -n $CHURN_REQUESTS -c {$(echo "$CHURN_CONNECTIONS" | tr ' ' ',')} http://127.0.0.1:PORT/plaintext"
    echo "# warm-up before measuring: wrk -c 64 for ${WARMUP_SECONDS}s and ab -n $WARMUP_CONNECTIONS -c 8 on each server"
  } >"$COMMANDS"
}

measure_load() {
  local hard
  hard=$(ulimit -Hn)
  if [ "$hard" = unlimited ] || [ "$hard" -gt 20000 ]; then hard=20000; fi
  ulimit -n "$hard" 2>/dev/null || log "could not raise ulimit -n to $hard"
  log "ulimit -n $(ulimit -n)"

  local port=$FIRST_PORT s
  for s in $SERVERS; do
    port=$(free_port "$port")
    start_server "$s" "$port" || true
    port=$((port + 1))
  done
  [ ${#PID[@]} -gt 0 ] || { log "no server came up"; return 1; }
  local live=""
  for s in $SERVERS; do [ -n "${PID[$s]:-}" ] && live="$live $s"; done

  # The churn warm-up must be long: accept and close paths that only churn runs are compiled by the
  # JIT during the first churn run otherwise, and its compile threads count as the server's CPU (a
  # 2,000-connection warm-up left the first churn run at 7x the user CPU of the later ones).
  log "warming up:$live"
  for s in $live; do
    taskset -c "$CLIENT_CORE" wrk -t1 -c64 -d"${WARMUP_SECONDS}s" "http://127.0.0.1:${PORT[$s]}/plaintext" >/dev/null 2>&1 || true
    timeout 60 taskset -c "$CLIENT_CORE" ab -q -r -s 10 -n "$WARMUP_CONNECTIONS" -c 8 "http://127.0.0.1:${PORT[$s]}/plaintext" >/dev/null 2>&1 || true
  done

  # Servers take turns within each run, so that a change in the machine's background load lands on
  # all of them rather than on one.
  local c run
  for c in $KEEPALIVE_CONNECTIONS $SWEEP_ONLY_CONNECTIONS; do
    for run in $(seq 1 "$RUNS"); do
      for s in $live; do log "keepalive-c$c run $run $s"; run_wrk "$s" "keepalive-c$c" "$run" "$c" 1 "$SECONDS_PER_RUN"; done
    done
  done
  for run in $(seq 1 "$RUNS"); do
    for s in $live; do
      log "pipelined-c$PIPELINE_CONNECTIONS run $run $s"
      run_wrk "$s" "pipelined-c$PIPELINE_CONNECTIONS" "$run" "$PIPELINE_CONNECTIONS" "$PIPELINE_DEPTH" "$SECONDS_PER_RUN"
    done
  done
  for c in $CHURN_CONNECTIONS; do
    for run in $(seq 1 "$RUNS"); do
      for s in $live; do log "churn-c$c run $run $s"; run_ab "$s" "churn-c$c" "$run" "$c" "$CHURN_REQUESTS"; done
    done
  done
  for s in $live; do stop_server "$s"; done
}

run_jmh() {
  local backends="nio,epoll-ffm"
  if grep -q '^katana-epoll-ffm' "$SKIPPED" 2>/dev/null || ! "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$EXAMPLES_JAR" backends 2>/dev/null \
      | grep -Eq '^epoll-ffm +[0-9]+ +available'; then
    backends=nio
    grep -q '^katana-epoll-ffm' "$SKIPPED" 2>/dev/null || printf 'katana-epoll-ffm\t%s\n' "not available to JMH" >>"$SKIPPED"
  fi
  local args=(-wi 2 -w 1s -i 3 -r 1s -f 1 -prof gc -p "backend=$backends" -rf csv -rff "$OUT/jmh.csv")
  echo "java -jar benchmarks/target/katana-benchmarks.jar ${args[*]//$OUT\//}" >>"$COMMANDS"
  log "JMH: ${args[*]}"
  # JMH's forks pin nothing: a microbenchmark may use both cores.
  "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$BENCH_JAR" "${args[@]}" >"$OUT/jmh.log" 2>&1 || log "JMH failed: see $OUT/jmh.log"
  # One line per benchmark and parameter set that failed: its name, parameters and the exception.
  awk '/^# Benchmark: /{ bench = $3 } /^# Parameters: /{ sub(/^# Parameters: /, ""); params = $0 }
       /<failure>/{ failed = 1; next }
       failed && NF { print bench " " params ": " $0; failed = 0 }' "$OUT/jmh.log" | sort -u >"$OUT/jmh-failures.txt"
  [ -s "$OUT/jmh-failures.txt" ] && { log "JMH failures:"; cat "$OUT/jmh-failures.txt" >&2; }
  return 0
}

machine_facts
echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$META"
START=$(date +%s)
if [ "$RUN_LOAD" = yes ]; then
  commands_used
  measure_load
fi
[ "$RUN_JMH" = yes ] && run_jmh
echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$META"
echo "elapsed_seconds=$(( $(date +%s) - START ))" >>"$META"

doc_args=()
[ "$WRITE_DOC" = yes ] && doc_args=(--doc "$ROOT/docs/BENCHMARKS.md")
"${REPORT[@]}" --dir "$OUT" "${doc_args[@]}" --root "$ROOT"
log "raw results in ${OUT#"$ROOT"/}"
