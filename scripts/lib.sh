# Shared by the reliability scripts (issue 5); sourced, not run. Sets up the JDK, builds the launcher
# jar and the drills (examples' test classes) when missing or older than the sources, and offers:
#   drill CLASS ARGS...    run io.katana.examples.reliability.CLASS on the drills' class path
#   need_tools PKG...      apt-get install what is missing (apt-get update once per run)
#   serve PORT ARGS...     start `katana serve` on 127.0.0.1:PORT in the background; sets SERVER_PID
#   stop_server            SIGTERM the server started by serve, and wait for it
#   raise_fd_limit         soft `ulimit -n` up to the hard limit (20000 here; root cannot go beyond)
# BACKENDS (default "nio epoll-ffm io_uring") selects the backends; RESULTS (default target/reliability) keeps logs.
set -euo pipefail

# The scripts take numbers only, in the order their header gives; anything else (an option such as
# --backend, a typo) gets that header and the way to choose backends, not a drill's stack trace.
katana_usage() {
  sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"
  echo "Backends: BACKENDS=\"nio epoll-ffm io_uring\" (the default) or just some of them, as an environment variable."
}
for katana_arg in "$@"; do
  case $katana_arg in
    -h|--help) katana_usage; exit 0 ;;
    ''|*[!0-9]*) { echo "$(basename "$0"): '$katana_arg' is not a number."; katana_usage; } >&2; exit 2 ;;
  esac
done

KATANA_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$KATANA_ROOT"
. "$KATANA_ROOT/scripts/katana-env.sh"
katana_find_jdk
JAVA="$JAVA_HOME/bin/java"
BACKENDS=${BACKENDS:-"nio epoll-ffm io_uring"}
RESULTS=${RESULTS:-"$KATANA_ROOT/target/reliability"}
mkdir -p "$RESULTS"
JAR="$KATANA_ROOT/examples/target/katana-examples.jar"
DRILLS="$KATANA_ROOT/examples/target/test-classes"

# The drills are examples' test classes: rebuild when they are missing too.
[ -d "$DRILLS/io/katana/examples/reliability" ] || rm -f "$JAR"
katana_build "$JAR" examples

drill() {
  local class=$1
  shift
  "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$DRILLS:$JAR" "io.katana.examples.reliability.$class" "$@"
}

need_tools() { # PACKAGE...: each package's command is its name
  local pkg
  for pkg in "$@"; do
    katana_need "$pkg" "$pkg"
  done
}

raise_fd_limit() {
  ulimit -n "$(ulimit -Hn)"
}

SERVER_PID=""
serve() {
  local port=$1
  shift
  local log="$RESULTS/server-$port.log"
  "$JAVA" --enable-native-access=ALL-UNNAMED ${KATANA_JAVA_OPTS-} -jar "$JAR" serve --host 127.0.0.1 --port "$port" "$@" \
    >"$log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    if grep -q "katana: serving" "$log" 2>/dev/null; then
      return 0
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "reliability: the server did not start:" >&2
      cat "$log" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "reliability: the server did not start within 30 s" >&2
  return 1
}

stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
trap stop_server EXIT
