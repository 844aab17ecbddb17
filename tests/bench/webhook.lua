-- wrk script: POSTs the same 1 KiB JSON webhook with Digest and Signature headers, as the
-- provider sends it. The body and headers are built once (wrk.format), so wrk measures the server.
local items = {}
for i = 1, 12 do
  items[#items + 1] = string.format('{"participant":"p-%03d","joinedAt":"2026-12-03T10:%02d:00Z","seconds":%d}', i, i, 60 * i)
end
local body = '{"id":"c-81","expert":"e-7","status":"completed","totalParticipantSeconds":3723,"participants":[' ..
  table.concat(items, ",") .. ']}'
while #body < 1024 do body = body .. " " end
body = body:sub(1, 1024)
if os.getenv("WEBHOOK_BODY_OUT") then
  local f = io.open(os.getenv("WEBHOOK_BODY_OUT"), "wb"); f:write(body); f:close()
end

wrk.method = "POST"
wrk.path = "/webhooks/skillspring"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Date"] = "Thu, 03 Dec 2026 10:00:00 GMT"
-- The Digest matches the body (run.sh computes it with openssl and passes WEBHOOK_DIGEST), as a
-- real delivery's does; the signature is not valid for any key: this group measures capture and
-- storage, the verify group measures verification.
wrk.headers["Digest"] = "SHA-256=" .. (os.getenv("WEBHOOK_DIGEST") or "X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=")
wrk.headers["Authorization"] = 'Signature keyId="k1",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="' ..
  string.rep("A", 342) .. '=="'

function done(summary, latency, requests)
  io.write(string.format("RESULT rps=%.1f p50_us=%d p99_us=%d requests=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50), latency:percentile(99),
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
