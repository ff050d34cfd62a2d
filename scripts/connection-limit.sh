#!/usr/bin/env bash
# Issue 5, item 5: `katana serve --max-connections 1000`: 1,000 keep-alive clients admitted and served,
# 500 more refused cleanly, the admitted ones still served, newcomers admitted once some leave.
#   scripts/connection-limit.sh [limit, default 1000] [extra, default 500]
. "$(dirname "$0")/lib.sh"
raise_fd_limit
for backend in $BACKENDS; do
  drill ConnectionLimitDrill "$backend" "${1:-1000}" "${2:-500}"
done
