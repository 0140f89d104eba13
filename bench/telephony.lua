-- wrk script: POST /api/v1/telephony/events as the exchange does, each call as three events
-- (offered, answered by "agent", ended) in order, in requests of args[1] events (1, or a
-- batch {"events":[...]}), with the telephony token args[2]. Call ids are unique per thread
-- and run, so every event is new (no duplicates).
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
require "status"

setup = bench_setup
done  = bench_done

local batch, token, prefix, n = 1, "", "", 0
local types = { "offered", "answered", "ended" }
local base = os.time() - 7200

function init(args)
   batch = tonumber(args[1] or "1")
   token = args[2] or ""
   prefix = string.format("wrk%s-%d-%d-", tostring(tid), batch, os.time())
end

function request()
   sent = sent + 1
   local parts = {}
   for i = 1, batch do
      local k = n
      n = n + 1
      local t = types[k % 3 + 1]
      local extra = (t == "answered") and ',"agent":"agent"' or ""
      parts[i] = string.format(
         '{"call_id":"%s%d","type":"%s","at":"%s","line":"153","queue":"genel"%s}',
         prefix, math.floor(k / 3), t, os.date("!%Y-%m-%dT%H:%M:%SZ", base + (k % 3) * 20), extra)
   end
   local body = batch == 1 and parts[1] or ('{"events":[' .. table.concat(parts, ",") .. ']}')
   return wrk.format("POST", "/api/v1/telephony/events",
                     { ["Content-Type"] = "application/json",
                       ["Authorization"] = "Bearer " .. token }, body)
end

response = bench_response
