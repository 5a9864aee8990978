#!/usr/bin/env python3
"""Prints the Markdown summary of a bench/http/run.sh results directory.  Usage: report.py RESULTS_DIR"""
import json, os, re, sys

R = sys.argv[1]
RUNS = [  # name, description, digits per request, unit
    ("a-single", "single-digit JSON, no job", 1, None),
    ("b-batch256", "256-digit JSON, no job", 256, "digits/s"),
    ("c-png", "PNG upload (1 image), no job", 1, "images/s"),
    ("d-single-training", "single-digit JSON, training job running", 1, None),
    ("e-oip-binary256", "256 digits, OIP v2 binary tensor data, no job", 256, "digits/s"),
    ("f-oip-json256", "256 digits, OIP v2 JSON tensor, no job", 256, "digits/s"),
]

def ms(v, unit):
    return float(v) * {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}[unit]

def parse_wrk(text):
    r = {}
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    r["rps"] = float(m.group(1)) if m else None
    for p in ("50", "90", "99"):
        m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
        r["p" + p] = ms(*m.groups()) if m else None
    m = re.search(r"(\d+) requests in ([\d.]+\w+)", text)
    r["requests"] = int(m.group(1)) if m else None
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    r["non2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    r["sockerr"] = sum(map(int, m.groups())) if m else 0
    return r

def load_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None

def kv(path):
    d = {}
    if os.path.exists(path):
        for line in open(path):
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                d[k] = v
    return d

meta = kv(os.path.join(R, "meta.txt"))
print(f"## LipService HTTP benchmark ({meta.get('date', '?')})\n")
print(f"`wrk -t2 -c32 -d{meta.get('duration', '15s')} --latency`, server and wrk on the same "
      f"{meta.get('cpus', '?')}-core machine, {meta.get('commit', '?')}, Release build.\n")
print("| run | req/s | p50 ms | p90 ms | p99 ms | non-2xx | socket err | throughput | CPU server / wrk / other (% of 1 core) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
for name, desc, per, unit in RUNS:
    path = os.path.join(R, name + ".wrk.txt")
    if not os.path.exists(path):
        print(f"| {desc} | (not run) |||||||")
        continue
    w = parse_wrk(open(path).read())
    cpu = load_json(os.path.join(R, name + ".cpu.json")) or {}
    f = lambda x, fmt="{:.2f}": "?" if x is None else fmt.format(x)
    thr = f"{w['rps'] * per:,.0f} {unit}" if unit and w["rps"] else ""
    cpus = f"{cpu.get('server_pct', '?')} / {cpu.get('wrk_pct', '?')} / {cpu.get('others_pct', '?')}"
    print(f"| {desc} | {f(w['rps'], '{:,.0f}')} | {f(w['p50'])} | {f(w['p90'])} | {f(w['p99'])} | "
          f"{w['non2xx']} | {w['sockerr']} | {thr} | {cpus} |")

print()
checks = kv(os.path.join(R, "checks.txt"))
for k, v in checks.items():
    print(f"- {k}: {v}")

print("\n### Time from POST /jobs to first SSE `event: epoch`\n")
sse = os.path.join(R, "sse.jsonl")
if os.path.exists(sse):
    for i, line in enumerate(open(sse)):
        d = json.loads(line)
        label = "cold (first job after start; includes loading MNIST)" if d.get("cold") else f"warm #{i}"
        print(f"- {label}: {d['first_epoch_s']} s (POST answered in {d['post_s'] * 1000:.0f} ms), job {d['job']}")

print("\n### Server memory (RSS)\n")
rss = kv(os.path.join(R, "rss.txt"))
for k in ("after_start", "before_runs", "after_runs", "peak_VmHWM"):
    if k in rss:
        print(f"- {k}: {int(rss[k]) / 1024:,.0f} MiB")

others = []
for name, desc, _, _ in RUNS:
    cpu = load_json(os.path.join(R, name + ".cpu.json")) or {}
    if cpu.get("others_pct", 0) > 15:
        top = "; ".join(f"{o['pct']}% {o['cmd'][:60]}" for o in cpu.get("top_others", [])[:2])
        others.append(f"- {desc}: other processes used {cpu['others_pct']}% of a core ({top})")
if others:
    print("\n### Warning: the machine was not quiet\n")
    print("\n".join(others))
