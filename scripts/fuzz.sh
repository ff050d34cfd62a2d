#!/usr/bin/env bash
# Issue 5, item 7: coverage-guided fuzzing with Jazzer (JAZZER_FUZZ=1) of the request parser with the
# chunked decoder (RequestParserFuzzTest) and of the chunked decoder alone (ChunkedDecoderFuzzTest),
# 5 minutes each (the maxDuration of each @FuzzTest), seeded from testdata/http-cases. A crash fails
# the run and is written to http/src/test/resources/io/katana/http/fuzz/<Test>Inputs/<method>/, where
# `mvn verify` replays it from then on: commit it with the fix. The corpus grown here is kept in
# http/.cifuzz-corpus (not committed) and reused by the next run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mkdir -p target/reliability
status=0
for test in RequestParserFuzzTest ChunkedDecoderFuzzTest; do
  log="target/reliability/fuzz-$test.log"
  if JAZZER_FUZZ=1 ./mvnw -B -pl http -am test -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1; then
    verdict="no crash"
  else
    verdict="FAILED (see $log)"
    status=1
  fi
  last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
  echo "fuzz $test: $verdict; libFuzzer's last status: ${last:-none}"
done
exit $status
