-- Rotates over the paths listed (one per line) in the file named by WRK_PATHS and
-- prints the run's figures as one JSON line.
local paths = {}
local counter = 0

function init(args)
  local file = io.open(os.getenv("WRK_PATHS"), "r")
  for line in file:lines() do paths[#paths + 1] = line end
  file:close()
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p95_ms": %.2f, "max_ms": %.2f, ' ..
    '"errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.status + e.timeout))
end
