-- wrk script of the Katana load harness (benchmarks/bench.sh).
-- Prints wrk's summary as one machine-readable line, including p99.9, which `wrk --latency` does not.
-- With WRK_PIPELINE=N (N > 1) in the environment, each write carries N requests: HTTP/1.1
-- pipelining of depth N, the TechEmpower plaintext shape.

local depth = tonumber(os.getenv("WRK_PIPELINE") or "1") or 1

if depth > 1 then
  local batch

  init = function(args)
    local requests = {}
    for i = 1, depth do
      requests[i] = wrk.format(nil, wrk.path)
    end
    batch = table.concat(requests)
  end

  request = function()
    return batch
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "KATANA_WRK requests=%d duration_us=%d connect=%d read=%d write=%d status=%d timeout=%d p50_us=%d p99_us=%d p999_us=%d\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9)))
end
