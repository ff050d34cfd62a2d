#!/usr/bin/env bash
# The TLS race (issue 17, item 6): what `./katana bench --tls` runs.
#
# Five HTTPS servers answering the same /plaintext route and a 1 MiB file, one reactor/worker/event
# loop each, pinned to core 0, with the same certificate (EC P-256 by default, or RSA 2048 with
# --cert rsa; chain of leaf and test CA) and TLS 1.3 with TLS_AES_256_GCM_SHA384 and X25519 (checked
# per server with openssl s_client before measuring):
#   katana-jdk       katana serve --tls-engine jdk     (SSLEngine)
#   katana-openssl   katana serve --tls-engine openssl (libssl.so.3 through FFM), when the engine exists
#   nginx            one worker, ssl_session_cache and tickets (nginx-conf.sh)
#   netty-jdk        Netty 4.2 epoll, SslHandler with the JDK provider
#   netty-openssl    Netty 4.2 epoll, SslHandler with netty-tcnative-boringssl-static (BoringSSL)
# Load runs on core 1. Scenarios:
#   full       full handshakes/s: CLIENTS x `openssl s_time -new -www /plaintext` (a fresh connection,
#              handshake and one HTTP/1.0 request per connection, no resumption)
#   resumed    the same with -reuse: every connection resumes the first one's session (TLS 1.3 ticket)
#   full12, resumed12  the same two with TLS 1.2 (ECDHE, AES-256-GCM): a TLS 1.2 resumption (ticket or
#              session id) has no key exchange, where TLS 1.3's (psk_dhe_ke) keeps the X25519 one
#   keepalive  wrk -t1 -c64 https://.../plaintext: server CPU per request, user and kernel apart
#   bulk       wrk -t1 -c8 https://.../files/file-1m.bin: MiB/s and server CPU per MiB
# Server CPU is utime/stime from /proc/PID/stat (nginx: master and worker) around each run. On two
# cores the clients' own handshake work (OpenSSL 3.0) can cap the rate before a fast server is busy:
# the table shows how busy core 1 was, and server CPU per handshake is the figure to compare then.
# Each run is RUNS times, servers taking turns within a run, after a warm-up at the same load; the
# summary gives medians and ratios against nginx of the same run, and the raw rows stay in
# benchmarks/target/tls-race/.
#
#   benchmarks/tls-race.sh [--scenarios full,resumed,keepalive,bulk] [--servers a,b,...] [--runs 3]
#                          [--seconds 5] [--warmup 3] [--clients 4] [--cert ec|rsa] [--no-build]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SCENARIOS="full resumed full12 resumed12 keepalive bulk"
ALL_SERVERS="katana-jdk katana-openssl nginx netty-jdk netty-openssl"
SERVERS=$ALL_SERVERS
RUNS=3
SECONDS_PER_RUN=5
WARMUP=3
CLIENTS=4
CERT=ec
BUILD=yes
KEEPALIVE_CONNECTIONS=64
BULK_CONNECTIONS=8
CIPHER=TLS_AES_256_GCM_SHA384
FIRST_PORT=${KATANA_BENCH_PORT:-28700}

while [ $# -gt 0 ]; do
  case $1 in
    --scenarios) SCENARIOS=$(tr ',' ' ' <<<"$2"); shift ;;
    --servers) SERVERS=$(tr ',' ' ' <<<"$2"); shift ;;
    --runs) RUNS=$2; shift ;;
    --seconds) SECONDS_PER_RUN=$2; shift ;;
    --warmup) WARMUP=$2; shift ;;
    --clients) CLIENTS=$2; shift ;;
    --cert) CERT=$2; shift ;;
    --no-build) BUILD=no ;;
    -h|--help) sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
    *) echo "tls-race: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
case $CERT in ec|rsa) ;; *) echo "tls-race: --cert is ec or rsa" >&2; exit 2 ;; esac
# TLS 1.2's suite for the same AEAD, authenticated with the certificate's key type
CIPHER12=ECDHE-$([ "$CERT" = ec ] && echo ECDSA || echo RSA)-AES256-GCM-SHA384
for s in $SERVERS; do
  case " $ALL_SERVERS " in *" $s "*) ;; *) echo "tls-race: unknown server '$s' (one of: $ALL_SERVERS)" >&2; exit 2 ;; esac
done
for s in $SCENARIOS; do
  case $s in full|resumed|full12|resumed12|keepalive|bulk) ;; *) echo "tls-race: unknown scenario '$s'" >&2; exit 2 ;; esac
done

log() { printf 'tls-race: %s\n' "$*" >&2; }

KATANA_ROOT=$ROOT
. "$ROOT/scripts/katana-env.sh"
. "$ROOT/benchmarks/cpu-ticks.sh"
. "$ROOT/benchmarks/nginx-conf.sh"
katana_find_jdk
JAVA="$JAVA_HOME/bin/java"
katana_need wrk wrk
katana_need openssl openssl
katana_need curl curl
katana_need taskset util-linux
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || katana_need nginx nginx-light
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

EXAMPLES_JAR="$ROOT/examples/target/katana-examples.jar"
BENCH_JAR="$ROOT/benchmarks/target/katana-benchmarks.jar"
for jar in "$EXAMPLES_JAR" "$BENCH_JAR"; do
  if [ "$BUILD" = yes ] || [ ! -f "$jar" ]; then
    katana_build "$jar" examples benchmarks
  fi
done

CERTS="$ROOT/conformance-tests/src/main/resources/io/katana/conformance/tls"
CHAIN="$CERTS/server-$CERT.pem"
KEY="$CERTS/server-$CERT-key.pem"
OUT="$ROOT/benchmarks/target/tls-race/$(date -u +%Y%m%dT%H%M%SZ)-$CERT"
WORK=$(mktemp -d /tmp/katana-tls-race.XXXXXX)
mkdir -p "$OUT" "$WORK/files"
head -c 1048576 /dev/urandom >"$WORK/files/file-1m.bin"
chmod 755 "$WORK" "$WORK/files"; chmod 644 "$WORK/files/file-1m.bin" # nginx's worker runs as nobody
RESULTS="$OUT/results.tsv"
: >"$RESULTS"
hard=$(ulimit -Hn); [ "$hard" = unlimited ] && hard=20000
ulimit -n "$hard" 2>/dev/null || true

declare -A PID PORT
cleanup() {
  for s in "${!PID[@]}"; do
    kill -TERM "${PID[$s]}" 2>/dev/null || true
    wait "${PID[$s]}" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

server_command() { # server port: the command, one word per line
  local katana=(taskset -c 0 "$JAVA" -Xms256m -Xmx512m --enable-native-access=ALL-UNNAMED -jar "$EXAMPLES_JAR"
                serve --backend epoll-ffm --threads 1 --port "$2" --tls-cert "$CHAIN" --tls-key "$KEY" --static "$WORK/files")
  local netty=(taskset -c 0 "$JAVA" -Xms256m -Xmx512m --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED
               -Dio.netty.leakDetection.level=disabled -cp "$BENCH_JAR" io.katana.benchmarks.peer.NettyPlaintextServer
               --transport epoll --threads 1 --port "$2" --tls-cert "$CHAIN" --tls-key "$KEY" --files "$WORK/files")
  case $1 in
    katana-*) printf '%s\n' "${katana[@]}" --tls-engine "${1#katana-}" ;;
    netty-*) printf '%s\n' "${netty[@]}" --tls-provider "${1#netty-}" ;;
    nginx) printf '%s\n' taskset -c 0 "$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" ;;
  esac
}

start_server() { # server port; false (with the reason logged) when it does not come up
  local name=$1 port=$2
  [ "$name" = nginx ] && write_nginx_conf "$WORK/nginx" "$port" "$WORK/files" "$CHAIN" "$KEY"
  mapfile -t cmd < <(server_command "$name" "$port")
  "${cmd[@]}" >"$OUT/$name.log" 2>&1 &
  local pid=$! tries=0
  until [ "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$CERTS/ca.pem" "https://localhost:$port/plaintext")" = 200 ]; do
    if ! kill -0 "$pid" 2>/dev/null || [ $tries -ge 300 ]; then
      log "$name skipped: $(grep -v '^\s*at ' "$OUT/$name.log" | grep -E -i 'unavailable|error|exception' | head -n 1 | cut -c1-200)"
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
      return 1
    fi
    tries=$((tries + 1)); sleep 0.1
  done
  local negotiated
  negotiated=$(openssl s_client -connect "127.0.0.1:$port" -servername localhost -brief </dev/null 2>&1 |
    sed -n 's/^Protocol version: //p; s/^Ciphersuite: //p; s/^Peer Temp Key: //p' | paste -sd ' ')
  log "$name up (pid $pid, port $port): $negotiated"
  echo "$name	$negotiated" >>"$OUT/negotiated.tsv"
  PID[$name]=$pid; PORT[$name]=$port
}

core_busy() { # "busy0 idle0 busy1 idle1" in jiffies, from /proc/stat
  awk '/^cpu0 /{b0 = $2+$3+$4+$7+$8; i0 = $5+$6} /^cpu1 /{b1 = $2+$3+$4+$7+$8; i1 = $5+$6} END {print b0, i0, b1, i1}' /proc/stat
}

record() { # server scenario run ops seconds before after busy_before busy_after errors
  local user=$(( ${7% *} - ${6% *} )) kernel=$(( ${7#* } - ${6#* } ))
  read -r b0 i0 b1 i1 <<<"$8"; read -r a0 j0 a1 j1 <<<"$9"
  awk -v s="$1" -v sc="$2" -v r="$3" -v n="$4" -v d="$5" -v u="$user" -v k="$kernel" -v hz="$CLK_TCK" -v e="${10}" \
      -v c0="$(( (a0 - b0) * 100 / (a0 - b0 + j0 - i0 + 1) ))" -v c1="$(( (a1 - b1) * 100 / (a1 - b1 + j1 - i1 + 1) ))" \
    'BEGIN { if (n < 1) n = 1; printf "%s\t%s\t%s\t%.1f\t%.1f\t%.1f\t%d\t%d\t%d\n", s, sc, r, n / d, u * 1e6 / hz / n, k * 1e6 / hz / n, c0, c1, e }' \
    | tee -a "$RESULTS" | awk -F'\t' '{ printf "tls-race:   %-15s %-9s run %s: %10.1f/s  server CPU %8.1f us (user %.1f, kernel %.1f)  core0 %s%% core1 %s%%  errors %s\n", $1, $2, $3, $4, $5 + $6, $5, $6, $7, $8, $9 }' >&2
}

handshakes() { # server mode(new|reuse) seconds [protocol options]: "connections seconds" from CLIENTS s_time processes
  local i start end server=$1 mode=$2 time=$3
  shift 3
  start=$(date +%s.%N)
  for i in $(seq 1 "$CLIENTS"); do
    taskset -c 1 openssl s_time -connect "127.0.0.1:${PORT[$server]}" "-$mode" -time "$time" "$@" \
      -www /plaintext >"$WORK/s_time.$i" 2>&1 &
  done
  wait # called in $(...): a subshell whose only children are these clients
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" '/connections in .* real seconds/ { n += $1 } END { printf "%d %.3f\n", n, e - s }' "$WORK"/s_time.*
  rm -f "$WORK"/s_time.*
}

wrk_run() { # server path connections seconds: "requests seconds errors"
  local line
  line=$(taskset -c 1 wrk -t1 -c"$3" -d"$4s" --timeout 10s -s "$ROOT/benchmarks/wrk/report.lua" \
    "https://127.0.0.1:${PORT[$1]}$2" 2>&1 | grep '^KATANA_WRK' || true)
  [ -n "$line" ] || { echo "0 $4 1"; return; }
  awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
         printf "%d %.3f %d\n", v["requests"], v["duration_us"] / 1e6, v["connect"] + v["read"] + v["write"] + v["status"] + v["timeout"] }' <<<"$line"
}

measure() { # server scenario run seconds
  local before after busy_before busy_after n d e=0
  kill -0 "${PID[$1]}" 2>/dev/null || { log "$1 died; see ${OUT#"$ROOT"/}/$1.log"; return; }
  busy_before=$(core_busy); before=$(cpu_ticks_split "${PID[$1]}")
  case $2 in
    full) read -r n d <<<"$(handshakes "$1" new "$4" -tls1_3 -ciphersuites "$CIPHER")" ;;
    resumed) read -r n d <<<"$(handshakes "$1" reuse "$4" -tls1_3 -ciphersuites "$CIPHER")" ;;
    full12) read -r n d <<<"$(handshakes "$1" new "$4" -tls1_2 -cipher "$CIPHER12")" ;;
    resumed12) read -r n d <<<"$(handshakes "$1" reuse "$4" -tls1_2 -cipher "$CIPHER12")" ;;
    keepalive) read -r n d e <<<"$(wrk_run "$1" /plaintext "$KEEPALIVE_CONNECTIONS" "$4")" ;;
    bulk) read -r n d e <<<"$(wrk_run "$1" /files/file-1m.bin "$BULK_CONNECTIONS" "$4")" ;;
  esac
  after=$(cpu_ticks_split "${PID[$1]}"); busy_after=$(core_busy)
  [ "$3" = warmup ] || record "$1" "$2" "$3" "$n" "$d" "$before" "$after" "$busy_before" "$busy_after" "$e"
}

{
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "commit=$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD || echo ' (with uncommitted changes)')"
  echo "cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), $(nproc) cores, $(uname -r)"
  echo "jdk=$("$JAVA" -version 2>&1 | sed -n 2p)"
  echo "openssl=$(openssl version)"
  echo "nginx=$("$NGINX" -v 2>&1 | sed 's/.*version: //')"
  echo "certificate=$CERT ($(openssl x509 -in "$CHAIN" -noout -text | grep -m1 -E 'Public Key Algorithm|Public-Key' | xargs))"
  echo "runs=$RUNS seconds=$SECONDS_PER_RUN warmup=$WARMUP clients=$CLIENTS"
} >"$OUT/meta.txt"

port=$FIRST_PORT
for s in $SERVERS; do
  while { exec 8<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; do exec 8>&- 8<&-; port=$((port + 1)); done
  start_server "$s" "$port" || true
  port=$((port + 1))
done
live=""
for s in $SERVERS; do [ -n "${PID[$s]:-}" ] && live="$live $s"; done
[ -n "$live" ] || { log "no server came up"; exit 1; }

for scenario in $SCENARIOS; do
  for s in $live; do log "$scenario warm-up $s"; measure "$s" "$scenario" warmup "$WARMUP"; done
  for run in $(seq 1 "$RUNS"); do
    for s in $live; do measure "$s" "$scenario" "$run" "$SECONDS_PER_RUN"; done
  done
done

# ---- summary: medians per server and scenario, ratios against nginx ----------------------------
summary() {
  awk -F'\t' -v servers="$live" -v scenarios="$SCENARIOS" '
    { key = $1 SUBSEP $2; n[key]++; rate[key, n[key]] = $4; user[key, n[key]] = $5; kern[key, n[key]] = $6; c1[key, n[key]] = $8 }
    function median(arr, key, count,   i, j, t, v) {
      for (i = 1; i <= count; i++) v[i] = arr[key, i]
      for (i = 1; i <= count; i++) for (j = i + 1; j <= count; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      return count % 2 ? v[(count + 1) / 2] : (v[count / 2] + v[count / 2 + 1]) / 2
    }
    function cpu(key,   i, t, v, count) {
      count = n[key]
      for (i = 1; i <= count; i++) t[i] = user[key, i] + kern[key, i]
      for (i = 1; i <= count; i++) v[key, i] = t[i]
      return median(v, key, count)
    }
    END {
      split(servers, S, " "); split(scenarios, C, " ")
      unit["full"] = unit["resumed"] = unit["full12"] = unit["resumed12"] = "handshakes/s"
      unit["keepalive"] = "requests/s"; unit["bulk"] = "MiB/s"
      per["full"] = per["resumed"] = per["full12"] = per["resumed12"] = "handshake"; per["keepalive"] = "request"; per["bulk"] = "MiB"
      for (c = 1; c in C; c++) {
        sc = C[c]
        printf "\n%s (median of runs): %s, server CPU per %s in us (user / kernel), client core busy\n\n", sc, unit[sc], per[sc]
        printf "| server | %s | vs nginx | CPU us/%s (user / kernel) | vs nginx | handshakes or requests per server core-second | client core |\n", unit[sc], per[sc]
        printf "|---|---:|---:|---:|---:|---:|---:|\n"
        ng = "nginx" SUBSEP sc
        ngRate = (ng in n) ? median(rate, ng, n[ng]) : 0; ngCpu = (ng in n) ? cpu(ng) : 0
        for (i = 1; i in S; i++) {
          key = S[i] SUBSEP sc
          if (!(key in n)) continue
          r = median(rate, key, n[key]); t = cpu(key)
          rateRatio = "-"; if (ngRate > 0) rateRatio = sprintf("%.2fx", r / ngRate)
          cpuRatio = "-"; if (ngCpu > 0) cpuRatio = sprintf("%.2fx", t / ngCpu)
          capacity = 0; if (t > 0) capacity = 1e6 / t
          printf "| %s | %.1f | %s | %.1f (%.1f / %.1f) | %s | %.0f | %d%% |\n", S[i], r, rateRatio, t,
            median(user, key, n[key]), median(kern, key, n[key]), cpuRatio, capacity, median(c1, key, n[key])
        }
      }
    }' "$RESULTS"
}
summary | tee "$OUT/summary.md"
log "raw rows in ${RESULTS#"$ROOT"/}; servers negotiated: ${OUT#"$ROOT"/}/negotiated.tsv"
