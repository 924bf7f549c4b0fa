-- GET /api/v1/claims/{id} for ids drawn uniformly from 1..BENCH_MAX_ID, a seed per thread.
local max_id = tonumber(os.getenv("BENCH_MAX_ID"))
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  math.randomseed(os.time() * 100 + thread_number)
end

function request()
  return wrk.format("GET", "/api/v1/claims/" .. math.random(1, max_id))
end
