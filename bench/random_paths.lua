-- wrk script: each request asks for a path picked at random from the file named after `--`
-- (one path per line), so the server sees thousands of distinct pages, not one. With a second
-- argument "seq" the threads walk the list in order instead (to fill a cache with all of it).
local paths = {}
local threads = 0
local sequential = false
local next_index = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
  thread:set("threads", 0)
end

function init(args)
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  sequential = args[2] == "seq"
  next_index = id
  math.randomseed(os.time() * 100 + id)
end

function request()
  if sequential then
    local path = paths[((next_index - 1) % #paths) + 1]
    next_index = next_index + 2 -- wrk -t2: thread 1 takes the odd lines, thread 2 the even ones
    return wrk.format("GET", path)
  end
  return wrk.format("GET", paths[math.random(#paths)])
end
