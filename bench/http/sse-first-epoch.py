#!/usr/bin/env python3
"""Time from POST /jobs to the first SSE `event: epoch` line on GET /jobs/{id}/metrics.

Starts the clock just before the POST, opens `curl -N -H 'Accept: text/event-stream' .../metrics`
as soon as the POST answers, and stops at the first line starting with "event: epoch".
Prints one JSON object per line: {"job": id, "post_s": ..., "first_epoch_s": ...}; then waits
for the job to finish (unless --no-wait) so the next repetition starts on an idle server.
Usage: sse-first-epoch.py [--base URL] [--repeat N] [--body JSON] [--timeout S] [--no-wait]
"""
import argparse, json, subprocess, sys, time, urllib.request

p = argparse.ArgumentParser()
p.add_argument("--base", default="http://127.0.0.1:5090")
p.add_argument("--repeat", type=int, default=3)
p.add_argument("--body", default='{"epochs":10,"seed":42}')
p.add_argument("--timeout", type=float, default=120)
p.add_argument("--no-wait", action="store_true")
a = p.parse_args()

def get_job(jid):
    with urllib.request.urlopen(f"{a.base}/jobs/{jid}", timeout=10) as r:
        return json.load(r)

for _ in range(a.repeat):
    t0 = time.monotonic()
    req = urllib.request.Request(f"{a.base}/jobs", data=a.body.encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        jid = json.load(r)["id"]
    t_post = time.monotonic() - t0
    curl = subprocess.Popen(["curl", "-sN", "-H", "Accept: text/event-stream", f"{a.base}/jobs/{jid}/metrics"],
                            stdout=subprocess.PIPE, bufsize=0)
    first = None
    try:
        deadline = t0 + a.timeout
        for line in iter(curl.stdout.readline, b""):
            if line.startswith(b"event: epoch"):
                first = time.monotonic() - t0
                break
            if time.monotonic() > deadline:
                break
    finally:
        curl.kill()
        curl.wait()
    print(json.dumps({"job": jid, "post_s": round(t_post, 4), "first_epoch_s": None if first is None else round(first, 3)}), flush=True)
    if not a.no_wait:
        while True:
            st = get_job(jid)["status"]
            if st not in ("queued", "running"):
                break
            if time.monotonic() - t0 > a.timeout:
                print(f"job {jid} still {st} after {a.timeout} s", file=sys.stderr)
                break
            time.sleep(0.25)
        if st != "succeeded":
            print(f"job {jid} ended {st}", file=sys.stderr)
