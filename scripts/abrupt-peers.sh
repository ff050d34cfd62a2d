#!/usr/bin/env bash
# Issue 5, item 4: 100,000 abrupt peers per backend (resets mid-request, mid-pipelined-batch and
# mid-large-chunked-response, half-close after a request, clients vanishing mid-head or mid-body, and
# connect-and-leave), after a warm-up of 20,000: descriptors and native memory back at the baseline.
#   scripts/abrupt-peers.sh [connections, default 100000]
. "$(dirname "$0")/lib.sh"
raise_fd_limit
for backend in $BACKENDS; do
  drill AbruptPeersDrill "$backend" "${1:-100000}"
done
