-- wrk script for the `paced` workload: the same request rate offered to every server, so their latencies compare at
-- the same load (the h1 workload runs each server flat out, where each is measured at its own rate).
-- Usage: wrk -t1 -c64 -s paced.lua URL -- RATE   (requests per second over all connections)
-- Each request takes the next free send slot, slots 1/RATE apart; while a connection's slot lies ahead it waits.
-- wrk's timers have millisecond resolution and round down, so a request may leave up to 1 ms before its slot; the
-- slots still bound the long-run rate to RATE. A server too slow for RATE shows a lower req/s, and the latency of its
-- requests counts from when they were sent (as with wrk's own figures, not from their slot).
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock, bench_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("bench_timespec")
local interval = 1 / 20000
local next_slot = nil

local function now()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9
end

function init(args)
  if args[1] then interval = 1 / tonumber(args[1]) end
end

function delay()
  local t = now()
  if next_slot == nil or next_slot < t then next_slot = t end
  local wait_ms = (next_slot - t) * 1000
  next_slot = next_slot + interval
  return wait_ms
end

function done(summary, latency, requests)
  -- wrk's --latency table stops at p99; the tail beyond it is where servers differ at moderate load.
  io.write(string.format("paced: p99.9 %.3fms max %.3fms\n", latency:percentile(99.9) / 1000, latency.max / 1000))
end
