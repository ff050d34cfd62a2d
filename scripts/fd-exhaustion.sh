#!/usr/bin/env bash
# Issue 5, item 3: the server under `ulimit -n 256` gets 1,000 connection attempts (each sends a request
# and stays), is kept out of descriptors for 30 s (CPU measured, failure reports counted: at most one
# per 10 s), then the flood closes and the server must serve again.
#   scripts/fd-exhaustion.sh [seconds out of descriptors, default 30]
. "$(dirname "$0")/lib.sh"
raise_fd_limit
for backend in $BACKENDS; do
  drill FdExhaustionDrill "$backend" 256 1000 "${1:-30}"
done
