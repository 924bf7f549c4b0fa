-- GET a path drawn uniformly from the file BENCH_PATHS (one path a line), a seed per thread.
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
  paths[#paths + 1] = line
end
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  math.randomseed(os.time() * 100 + thread_number)
end

function request()
  return wrk.format("GET", paths[math.random(1, #paths)])
end
