-- wrk -t2 -c32 -d15s --latency -s post-png.lua http://127.0.0.1:5090/predict -- png.body
-- POSTs a fixed multipart/form-data body (one PNG in a part named "files"), written by make-bodies.py.
-- The boundary must match make-bodies.py's BOUNDARY.
local boundary = "----LipServiceBenchBoundary7MA4YWxkTrZu0gW"

function init(args)
  local path = args[1] or os.getenv("BODY") or "png.body"
  local f = assert(io.open(path, "rb"), "cannot open body file " .. path)
  wrk.body = f:read("*a")
  f:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
end
