#!/usr/bin/env python3
"""CPU used per process over a time window, from /proc (so a benchmark can tell whether other work
shared the cores with it).
  cpu-watch.py SECONDS SERVER_PID [OUT_JSON]
      prints one JSON line: server %, wrk %, everything else % (100 % = one core; from /proc/stat,
      so short-lived processes count too), the busiest other processes, and whole-machine busy %
      (of all cores, irq/softirq included).
  cpu-watch.py --wait-quiet MAX_PCT MAX_WAIT_S SERVER_PID
      samples 2 s windows until processes other than the server (and wrk) use at most MAX_PCT
      of a core, or MAX_WAIT_S passes; prints the last window; exit 0 if quiet, 1 if not."""
import json, os, sys, time

HZ = os.sysconf("SC_CLK_TCK")
NCPU = os.cpu_count()

def snapshot():
    procs = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                s = f.read()
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        rest = s[s.rindex(")") + 2:].split()
        procs[int(pid)] = (int(rest[11]) + int(rest[12]), cmd or s[s.index("(") + 1:s.rindex(")")])
    with open("/proc/stat") as f:
        cpu = [int(x) for x in f.readline().split()[1:]]
    return procs, cpu

def measure(secs, server, interval=1.0):
    # Sample every `interval` s and keep, per process, the first and last ticks seen, so processes
    # that start or exit inside the window (wrk, compilers) are counted up to their last sample.
    me = os.getpid()
    p0, c0 = snapshot()
    first = {pid: t for pid, (t, _) in p0.items()}
    last = dict(p0)
    c1 = c0
    t0 = time.monotonic()
    end = t0 + secs
    while True:
        left = end - time.monotonic()
        if left <= 0:
            break
        time.sleep(min(interval, left))
        p, c1 = snapshot()
        for pid, v in p.items():
            first.setdefault(pid, 0)  # started inside the window
            last[pid] = v
    dt = time.monotonic() - t0
    server_pct = wrk_pct = other_pct = 0.0
    others = []
    for pid, (ticks, cmd) in last.items():
        used = ticks - first.get(pid, 0)
        pct = 100.0 * used / HZ / dt
        if pid == server:
            server_pct += pct
        elif cmd.startswith("wrk") or cmd.split(" ")[0].endswith("/wrk"):
            wrk_pct += pct
        elif pid != me and pct > 0:
            other_pct += pct
            others.append((pct, pid, cmd[:120]))
    others.sort(reverse=True)
    me_pct = 100.0 * (last.get(me, (0, ""))[0] - first.get(me, 0)) / HZ / dt
    d = [b - a for a, b in zip(c0, c1)]  # user nice system idle iowait irq softirq steal ...
    total = max(1, sum(d[:8]))
    busy = 100.0 * (total - d[3] - d[4]) / total
    # Everything else, in % of one core: CPU time spent in processes (user+nice+system) that is not the
    # server's, wrk's or this script's. Unlike the per-process list it includes short-lived processes
    # that came and went between samples; it leaves out irq/softirq (loopback TCP is charged there).
    proc_time = 100.0 * NCPU * (d[0] + d[1] + d[2]) / total
    residual = max(other_pct, proc_time - server_pct - wrk_pct - me_pct)
    res = {"seconds": round(dt, 2), "server_pct": round(server_pct), "wrk_pct": round(wrk_pct),
           "others_pct": round(residual), "machine_busy_pct": round(busy),
           "top_others": [{"pct": round(p), "pid": pid, "cmd": c} for p, pid, c in others[:4] if p >= 1]}
    return res

def main():
    if sys.argv[1] == "--wait-quiet":
        max_pct, max_wait, server = float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
        t0 = time.monotonic()
        while True:
            res = measure(2, server, interval=0.5)
            if res["others_pct"] <= max_pct or time.monotonic() - t0 >= max_wait:
                res["waited_s"] = round(time.monotonic() - t0, 1)
                print(json.dumps(res))
                sys.exit(0 if res["others_pct"] <= max_pct else 1)
    secs, server = float(sys.argv[1]), int(sys.argv[2])
    out = sys.argv[3] if len(sys.argv) > 3 else None
    res = measure(secs, server)
    line = json.dumps(res)
    print(line)
    if out:
        with open(out, "w") as f:
            f.write(line + "\n")

if __name__ == "__main__":
    main()
