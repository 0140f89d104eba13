-- wrk script: read one application by id (GET /api/v1/applications/{id}),
-- id uniformly random in 1..N where N is the first script argument
-- (wrk ... -s bench/get.lua URL -- N).  Each wrk thread has its own Lua state,
-- seeded with its thread number so threads do not replay the same ids.
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
require "status"

local n = 100000

setup = bench_setup
done  = bench_done

function init(args)
   n = tonumber(args[1]) or n
   math.randomseed(os.time() + 7919 * (tid or 0))
end

function request()
   sent = sent + 1
   return wrk.format("GET", "/api/v1/applications/" .. math.random(1, n))
end

response = bench_response
