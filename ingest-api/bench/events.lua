-- wrk script of the ingest benchmark: POSTs /v1/events with BENCH_BATCH events per request
-- (1: one JSON object; more: a JSON array), ~190-byte events over 1,000 customers, each with an id
-- unique across threads and runs (so that none is answered "duplicate").
-- Prints one machine-readable line: RESULT <requests/s> <events/s> <p50 ms> <p99 ms> <non-2xx> <errors>.

local batch = tonumber(os.getenv("BENCH_BATCH") or "1")
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY")
wrk.headers["Content-Type"] = "application/json"

local threads = {}
local next_thread = 0

function setup(thread)
  next_thread = next_thread + 1
  thread:set("thread_id", next_thread)
  table.insert(threads, thread)
end

function init(args)
  prefix = "w" .. os.time() .. "-" .. thread_id .. "-"
  counter = 0
end

local function event()
  counter = counter + 1
  return '{"id":"' .. prefix .. counter .. '","customer":"cus_' .. (counter % 1000)
    .. '","feature":"ai_call","quantity":"1.5","properties":{"model":"small","region":"eu-west-1"}}'
end

function request()
  if batch == 1 then
    return wrk.format(nil, nil, nil, event())
  end
  local parts = {}
  for i = 1, batch do
    parts[i] = event()
  end
  return wrk.format(nil, nil, nil, "[" .. table.concat(parts, ",") .. "]")
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local non2xx = summary.errors.status
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  local ok = summary.requests - non2xx
  io.write(string.format("RESULT %.0f %.0f %.2f %.2f %d %d\n",
    summary.requests / seconds, ok * batch / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, non2xx, errors))
end
