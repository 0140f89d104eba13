-- wrk script: create an application (POST /api/v1/applications).
-- The session cookie comes from run.sh as  -H "Cookie: alo153_session=..."
-- (wrk puts -H headers into wrk.headers, which wrk.format uses).
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
require "status"

wrk.method = "POST"
wrk.path   = "/api/v1/applications"
wrk.headers["Content-Type"] = "application/json"
wrk.body   = '{"channel":"phone_153",'
          .. '"text":"Sokakta büyük çukur var, araçlar zarar görüyor",'
          .. '"category":"FEN_YOL_CUKUR","district_id":1}'

local req

setup = bench_setup
done  = bench_done

function init(args)
   req = wrk.format()
end

function request()
   sent = sent + 1
   return req
end

response = bench_response
