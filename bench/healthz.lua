-- wrk script: GET /healthz, the ceiling of the HTTP stack (no database, no session), to
-- compare the other runs against within the same run.
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
require "status"

setup = bench_setup
done  = bench_done

function request()
   sent = sent + 1
   return wrk.format("GET", "/healthz")
end

response = bench_response
