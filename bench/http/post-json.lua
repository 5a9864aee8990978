-- wrk -t2 -c32 -d15s --latency -s post-json.lua http://127.0.0.1:5090/predict -- single.json
-- POSTs a fixed JSON body read from the file given after "--" (or $BODY; default single.json next to this script).
local path

function init(args)
  path = args[1] or os.getenv("BODY") or "single.json"
  local f = assert(io.open(path, "rb"), "cannot open body file " .. path)
  wrk.body = f:read("*a")
  f:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end
