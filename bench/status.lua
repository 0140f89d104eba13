-- Shared by bench/*.lua: counts responses by status class per wrk thread and
-- prints one machine-readable line at the end, so bench/run.sh can check
-- correctness without trusting wrk's "Non-2xx or 3xx" line (which counts 3xx
-- as success).  Also counts requests sent, so the caller knows how many were
-- still in flight when wrk stopped (those may have been committed server-side
-- but never counted by wrk).
--
-- Output line:  BENCH_STATUS sent=N ok2xx=N c3xx=N c4xx=N c5xx=N
local threads = {}
local counter = 0

function bench_setup(thread)
   counter = counter + 1
   thread:set("tid", counter)
   table.insert(threads, thread)
end

sent, ok2xx, c3xx, c4xx, c5xx = 0, 0, 0, 0, 0

function bench_response(status, headers, body)
   if status >= 200 and status < 300 then ok2xx = ok2xx + 1
   elseif status < 400 then c3xx = c3xx + 1
   elseif status < 500 then c4xx = c4xx + 1
   else c5xx = c5xx + 1 end
end

function bench_done(summary, latency, requests)
   local t = {sent = 0, ok2xx = 0, c3xx = 0, c4xx = 0, c5xx = 0}
   for _, thread in ipairs(threads) do
      for k, _ in pairs(t) do t[k] = t[k] + thread:get(k) end
   end
   io.write(string.format("BENCH_STATUS sent=%d ok2xx=%d c3xx=%d c4xx=%d c5xx=%d\n",
                          t.sent, t.ok2xx, t.c3xx, t.c4xx, t.c5xx))
end
