-- wrk script: POST /open311/v2/requests.json (Open311 GeoReport v2, form-encoded) with the key
-- in the environment (bench/open311.sh sets O311_KEY).
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
require "status"

wrk.method = "POST"
wrk.path   = "/open311/v2/requests.json"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body   = "api_key=" .. os.getenv("O311_KEY")
          .. "&service_code=FEN_YOL_CUKUR&lat=41.2867&long=36.33"
          .. "&description=Sokakta+b%C3%BCy%C3%BCk+%C3%A7ukur+var%2C+ara%C3%A7lar+zarar+g%C3%B6r%C3%BCyor"
          .. "&media_url=https%3A%2F%2Fimg.example.com%2Fcukur.jpg"

local req
setup = bench_setup
done  = bench_done
function init(args) req = wrk.format() end
function request()
   sent = sent + 1
   return req
end
response = bench_response
