-- wrk script: each request asks for a path picked at random from the file named after `--`
-- (one path per line), so the server sees thousands of distinct pages, not one.
local paths = {}
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function init(args)
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  math.randomseed(os.time() * 100 + id)
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
