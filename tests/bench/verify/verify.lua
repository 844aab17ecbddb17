-- wrk script for the verification benchmark: POSTs the correctly signed 1 KiB JSON webhook made
-- by sign-request.js (request.lua, named by HOOKSCOPE_BENCH_REQUEST). The request is built once,
-- so wrk measures the server.
local request = dofile(os.getenv("HOOKSCOPE_BENCH_REQUEST"))
wrk.method = request.method
wrk.path = request.path
wrk.body = request.body
for name, value in pairs(request.headers) do
  wrk.headers[name] = value
end

function done(summary, latency, requests)
  io.write(string.format("RESULT rps=%.1f p50_us=%d p99_us=%d requests=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50), latency:percentile(99),
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
