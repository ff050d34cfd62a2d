#!/usr/bin/env bash
# Issue 5, item 2: 10,000 concurrent keep-alive connections with 0 errors, and the heap + native cost
# of one idle connection (jcmd: class histogram after a full GC, NMT "Other" for direct buffers and
# native segments), per backend. Then wrk keeps 10,000 connections busy for 20 s against the server.
#   scripts/many-connections.sh [connections, default 10000]
. "$(dirname "$0")/lib.sh"
need_tools wrk
raise_fd_limit
N=${1:-10000}
port=31081
for backend in $BACKENDS; do
  drill ManyConnectionsDrill "$backend" "$N" 3
  serve $port --backend "$backend"
  out=$(wrk -t2 -c"$N" -d20s --timeout 10s "http://127.0.0.1:$port/plaintext" 2>&1)
  stop_server
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  errors=$(echo "$out" | awk '/Socket errors/ {print $0}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  echo "wrk $backend: $N connections for 20 s: $requests requests, socket errors: ${errors:-none}, non-2xx: ${non2xx:-0}"
done
