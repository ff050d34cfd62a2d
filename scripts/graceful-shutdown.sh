#!/usr/bin/env bash
# Issue 5, item 6: SIGTERM under load (64 clients: 512 KiB and 64 KiB streamed bodies, 400 ms late
# answers, small ones; every body checked) after 20 s; drain limit 10 s.
#   scripts/graceful-shutdown.sh [clients, default 64] [seconds of load, default 20] [drain, default 10]
. "$(dirname "$0")/lib.sh"
raise_fd_limit
for backend in $BACKENDS; do
  drill GracefulShutdownDrill "$backend" "${1:-64}" "${2:-20}" "${3:-10}"
done
