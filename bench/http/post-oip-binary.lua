-- wrk -t2 -c32 -d15s --latency -s post-oip-binary.lua http://127.0.0.1:5090/v2/models/<model>/infer -- oip256.bin
-- POSTs an Open Inference Protocol request in the binary tensor data extension: the body file given
-- after "--" (default oip256.bin next to this script) is a JSON header then raw tensor bytes; the
-- header's length is read from "<body>.header" (written by make-bodies.py).
function init(args)
  local path = args[1] or "oip256.bin"
  local f = assert(io.open(path, "rb"), "cannot open body file " .. path)
  wrk.body = f:read("*a")
  f:close()
  local h = assert(io.open(path .. ".header", "rb"), "cannot open " .. path .. ".header")
  local length = assert(tonumber(h:read("*a")), "no header length in " .. path .. ".header")
  h:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/octet-stream"
  wrk.headers["Inference-Header-Content-Length"] = tostring(length)
end
