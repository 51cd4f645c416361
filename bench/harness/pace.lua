-- wrk script for bench/run --fixed-rate: every connection waits a think time before each request, so that
-- connections / (think time + latency) is the target rate (bench.py calibrates the think time per target).
-- wrk 4.1 has no rate option and takes delay() in whole milliseconds: a fractional think time is kept on average
-- by returning its floor or ceiling at random. Usage: wrk ... -s pace.lua URL -- THINK_MS
-- Latency is timed from each request's send, as wrk always does: no coordinated-omission correction.
local think = 0

init = function(args)
  think = tonumber(args[1]) or 0
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

delay = function()
  local base = math.floor(think)
  if math.random() < think - base then
    return base + 1
  end
  return base
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,' ..
    '"p999_us":%d,"max_us":%d,"mean_us":%.1f,"connect_errors":%d,"read_errors":%d,"write_errors":%d,' ..
    '"status_errors":%d,"timeouts":%d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
end
