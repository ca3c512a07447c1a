-- wrk script for bench/writes.py: every request a valid write with its own Idempotency-Key.
--   wrk -t2 -c64 -d10s -s bench/writes.lua http://127.0.0.1:8001 -- model <token> <run-id>
--   kind: model (POST /models) or kien_nghi (POST /kien-nghi)
-- done() prints one JSON line: requests, duration, errors and the latency percentiles (µs).

local threads = {}
local counter = 0

function setup(thread)
   table.insert(threads, thread)
   thread:set("tid", #threads)
end

function init(args)
   kind = args[1] or "model"
   token = args[2] or ""
   run = args[3] or "run"
end

local function body_of(key)
   if kind == "kien_nghi" then
      return "/kien-nghi", string.format(
         '{"source":"citizen_reception","unit_code":"00004","category":"land",' ..
         '"content":"Đề nghị giải quyết tranh chấp ranh giới đất %s","received_on":"2024-05-02"}',
         key)
   end
   return "/models", string.format(
      '{"title":"Dân vận khéo %s","unit_code":"00004","body":"Hội LHPN","sector":"state",' ..
      '"fields":["economy"],"year":2021,"registered_on":"2021-03-01"}', key)
end

function request()
   counter = counter + 1
   local key = string.format("%s-%d-%d", run, tid, counter)
   local path, body = body_of(key)
   local headers = {
      ["Authorization"] = "Bearer " .. token,
      ["Content-Type"] = "application/json",
      ["Idempotency-Key"] = key,
   }
   return wrk.format("POST", path, headers, body)
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      '{"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,' ..
      '"status":%d,"timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f}\n',
      summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
      e.status, e.timeout, latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency.max, latency.mean))
end
