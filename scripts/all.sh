#!/usr/bin/env bash
# Every reliability script of issue 5 in turn, each one's output kept in target/reliability/NAME.log.
# About 40 minutes on 2 cores.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$here/../target/reliability"
status=0
for name in slow-clients many-connections fd-exhaustion abrupt-peers connection-limit graceful-shutdown soak fuzz; do
  echo "== $name"
  "$here/$name.sh" 2>&1 | tee "$here/../target/reliability/$name.log" || status=1
done
exit $status
