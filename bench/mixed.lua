-- wrk script: a mixed read/write load at a fixed rate (bench/mixed.sh; issue 12 "Measure").
-- wrk has no -R (wrk2 is not in Debian): the rate comes from delay(), which wrk calls before
-- every request: each wrk thread hands out send slots every THREADS/RATE seconds on the
-- monotonic clock (LuaJIT ffi clock_gettime) and delays each request to its slot, so the load
-- is open-loop as long as a connection is free (enough connections: -c). If the server falls
-- behind, every connection waits on an answer and the achieved rate drops below the target:
-- bench/mixed.sh prints the achieved rate next to the target.
--   mix per 20 requests: 4 creates, 8 gets of a random id, 4 full-text searches, 4 lists
-- Arguments (after --): RATE THREADS MAX_ID
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
require "status"
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } alo_timespec;
int clock_gettime(int clk, alo_timespec *ts);
]]
local ts = ffi.new("alo_timespec")
local function now_ms()
   ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
   return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

setup = bench_setup
done  = bench_done
response = bench_response

local interval, max_id, t0, slots, n = 1, 1000, nil, 0, 0
local searches = { "%C3%A7ukur", "su", "%C3%A7%C3%B6p", "asfalt", "kaldr%C4%B1m" }
local lists = { "/api/v1/applications?limit=50", "/api/v1/applications?status=new&limit=50",
                "/api/v1/applications?sort=due&limit=50", "/api/v1/applications?limit=20&status=forwarded" }
local texts = { "Sokakta büyük çukur var, araçlar zarar görüyor",
                "Çöp konteyneri üç gündür boşaltılmadı, koku var",
                "Mahallede su kesintisi ne zaman bitecek",
                "Parktaki aydınlatma direği yanmıyor" }

local post_headers

function init(args)
   post_headers = { ["Content-Type"] = "application/json" }
   for k, v in pairs(wrk.headers) do post_headers[k] = v end -- the -H Cookie
   local rate, threads = tonumber(args[1] or "2000"), tonumber(args[2] or "2")
   max_id = tonumber(args[3] or "1000")
   interval = threads * 1000 / rate -- ms between this thread's requests
   math.randomseed(tonumber(tid or 1) * 7919 + os.time())
end

function delay()
   local now = now_ms()
   if not t0 then t0 = now end
   slots = slots + 1
   local at = t0 + slots * interval
   return at > now and math.floor(at - now) or 0
end

function request()
   sent = sent + 1
   n = n + 1
   local k = n % 20
   if k < 4 then
      local body = string.format('{"channel":"phone_153","text":"%s (%d-%d)","category":"FEN_YOL_CUKUR"}',
                                 texts[(n % #texts) + 1], tid or 0, n)
      return wrk.format("POST", "/api/v1/applications", post_headers, body)
   elseif k < 12 then
      return wrk.format("GET", "/api/v1/applications/" .. math.random(1, max_id))
   elseif k < 16 then
      return wrk.format("GET", "/api/v1/applications?q=" .. searches[(n % #searches) + 1] .. "&limit=50")
   else
      return wrk.format("GET", lists[(n % #lists) + 1])
   end
end
