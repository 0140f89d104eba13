-- wrk script: full-text list query, GET /api/v1/applications?q=çukur&limit=50
-- (Turkish FTS5 tokenizer path; the query is the URL-encoded "çukur").
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
require "status"

local req

setup = bench_setup
done  = bench_done

function init(args)
   req = wrk.format("GET", "/api/v1/applications?q=%C3%A7ukur&limit=50")
end

function request()
   sent = sent + 1
   return req
end

response = bench_response
