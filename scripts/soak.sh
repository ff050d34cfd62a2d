#!/usr/bin/env bash
# Issue 5, item 8: 5 minutes of mixed load per backend (keep-alive, pipelined, churn, malformed, slow,
# streamed); every answer checked; RSS and descriptors sampled.
#   scripts/soak.sh [seconds, default 300]
. "$(dirname "$0")/lib.sh"
raise_fd_limit
for backend in $BACKENDS; do
  drill SoakDrill "$backend" "${1:-300}"
done
