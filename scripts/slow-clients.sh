#!/usr/bin/env bash
# Issue 5, item 1: slow clients. For each backend: slowhttptest in slow-headers (-H), slow-body (-B)
# and slow-read (-X) modes, 500 connections each, against `katana serve --header-timeout 5
# --idle-timeout 5`; then the Java drill (slow headers, body and read at once, a probe every 100 ms).
# Prints, per mode: whether the CSV's "Service Available" column ever dropped to 0, and the most
# connections slowhttptest held open at once (the server cuts them, so it stays far below 500).
#   scripts/slow-clients.sh [seconds per mode, default 60]
. "$(dirname "$0")/lib.sh"
need_tools slowhttptest
raise_fd_limit
SECONDS_PER_MODE=${1:-60}
port=31080
for backend in $BACKENDS; do
  serve $port --backend "$backend" --header-timeout 5 --idle-timeout 5
  for mode in H B X; do
    csv="$RESULTS/slowhttptest-$backend-$mode"
    case $mode in
      H|B) extra=(-i 10 -s 8192) ;;        # a fragment every 10 s: longer than the 5 s timeouts
      X) extra=(-k 10 -n 5 -w 1 -y 64 -z 32 -u "http://127.0.0.1:$port/chunked?kb=1024") ;;
    esac
    slowhttptest -"$mode" -c 500 -r 200 -l "$SECONDS_PER_MODE" -p 3 -g -o "$csv" \
      -u "http://127.0.0.1:$port/" "${extra[@]}" >"$csv.out" 2>&1 || true
    ended=$(sed 's/\x1b\[[0-9;]*m//g' "$csv.out" | grep -E 'Test ended|Exit status' | tr '\n' ' ')
    echo "slowhttptest $backend -$mode: $ended"
    python3 - "$backend" "$mode" "$csv.csv" <<'PY'
import csv, sys
backend, mode, path = sys.argv[1:4]
rows = list(csv.DictReader(open(path)))
down = [r["Seconds"] for r in rows if int(r["Service Available"]) == 0]
most = max((int(r["Connected"]) for r in rows), default=0)
closed = max((int(r["Closed"]) for r in rows), default=0)
print(f"slowhttptest {backend} -{mode}: {len(rows)} s sampled, service available throughout: "
      f"{'yes' if not down else 'NO (down at ' + ','.join(down) + ' s)'}; at most {most} attackers connected "
      f"at once, {closed} closed by the end")
PY
  done
  stop_server
  drill SlowClientsDrill "$backend" 500 30 5 5
done
