-- The requests of one benchmark endpoint for wrk, prepared by run.py in BENCH_WRK_SPEC:
--   return { threads = T, requests = { {method=, path=, headers={}, body=, seq_body=, group=}, … } }
-- Each wrk thread takes the visitors (groups) whose number modulo T is its own, so one
-- visitor's autosaves all come from one thread with a growing sequence number (a stale replay
-- would be cheaper than a real save). `seq_body` is a format with one %d for that number.
-- At the end one line "BENCH {json}" gives the counts and the latency percentiles.

local spec = dofile(os.getenv("BENCH_WRK_SPEC"))
local count = 0

function setup(thread)
   thread:set("tid", count)
   count = count + 1
end

local mine, next_one, seq = {}, 0, 0

function init(args)
   local id = tid or 0
   for _, r in ipairs(spec.requests) do
      if (r.group or 0) % spec.threads == id then
         table.insert(mine, r)
      end
   end
   if #mine == 0 then
      mine = spec.requests
   end
   for _, r in ipairs(mine) do
      if not r.seq_body then
         r.raw = wrk.format(r.method, r.path, r.headers, r.body)
      end
   end
end

function request()
   next_one = next_one % #mine + 1
   local r = mine[next_one]
   if r.raw then
      return r.raw
   end
   seq = seq + 1
   return wrk.format(r.method, r.path, r.headers, string.format(r.seq_body, seq))
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      'BENCH {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, '
         .. '"write": %d, "status": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, '
         .. '"p99_us": %d, "max_us": %d}\n',
      summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
      e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
      latency.max))
end
