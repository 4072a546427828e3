-- wrk script: POST /api/v1/readings with JSON-array batches of unique readings.
-- Each request: BATCH readings for BATCH different sensors out of SENSORS, each with a fresh readingId,
-- so every reading is new (no duplicates) and must be journaled before the 202.
-- Usage: SENSORS_TOKEN=<token> wrk -t2 -c16 -d30s -s docs/bench/batch.lua http://127.0.0.1:8080 -- 500 10000
-- Every request carries 'Authorization: Bearer $SENSORS_TOKEN' (a device token whose scope prefixes
-- the sensor ids, 'bench-', or an operator/admin token); a 401 or 403 stops wrk at once.
local counter = 0
local batch, sensors
local thread_id = 0
local threads = {}
local token = os.getenv("SENSORS_TOKEN")
local headers = {["Content-Type"] = "application/json"}
if token and token ~= "" then headers["Authorization"] = "Bearer " .. token end

local run = tostring(os.time())

function setup(thread)
  thread:set("tid", run .. "." .. thread_id)
  thread_id = thread_id + 1
  table.insert(threads, thread)
end

function init(args)
  batch = tonumber(args[1] or "500")
  sensors = tonumber(args[2] or "10000")
  accepted = 0
  non202 = 0
end

function request()
  counter = counter + 1
  local items = {}
  local base = (counter * batch) % sensors
  for i = 1, batch do
    local s = (base + i) % sensors
    items[i] = string.format('{"sensorId":"bench-%d","readingId":"t%s-%d-%d","value":%d.5}', s, tid, counter, i, i)
  end
  return wrk.format("POST", "/api/v1/readings", headers,
    "[" .. table.concat(items, ",") .. "]")
end

function response(status, headers, body)
  if status == 401 or status == 403 then
    io.stderr:write(string.format("stopped: the node answered %d (%s): %s\n", status,
      token and "token refused: check SENSORS_TOKEN, its role and scope" or "set SENSORS_TOKEN", body))
    wrk.thread:stop()
  end
  if status == 202 then
    accepted = accepted + tonumber(string.match(body, '"accepted":(%d+)'))
  else
    non202 = non202 + 1
  end
end

function done(summary, latency, requests)
  local total, bad = 0, 0
  for _, t in ipairs(threads) do
    total = total + t:get("accepted")
    bad = bad + t:get("non202")
  end
  local secs = summary.duration / 1e6
  io.write(string.format("acknowledged readings: %d in %.1f s = %.0f readings/s; non-202 responses: %d\n",
    total, secs, total / secs, bad))
  io.write(string.format("request latency p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
