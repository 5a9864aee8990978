#!/usr/bin/env python3
"""Issue 18's reliability run: many seeded convolutional jobs through a real service.

Starts the Release build of LipService on 127.0.0.1 with a fresh data folder, submits ROUNDS rounds
of the jobs {"classes": [1, 7, 3], "architecture": "conv", "channels": [8], "hidden": [], "epochs": 1,
"batchSize": 64, "seed": S} for S in 1..SEEDS, waits for each round, and during the last BUSY_ROUNDS
rounds keeps /predict and /attack busy from other threads (other work in the same process). Then
it reports every job's status (with the error of any that did not succeed) and whether each seed's
runs left byte-identical weights (GET /models/{id}/weights, TorchSharp format). Exit status 1 when
any job did not succeed or any seed's weights differ.

Usage: python3 bench/reliability/conv-jobs.py [--seeds 50] [--rounds 4] [--busy-rounds 2] [--port 5093]
Needs: dotnet build -c Release first; MNIST in ../shared/data/mnist (or --mnist).
"""
import argparse, hashlib, json, os, platform, shutil, subprocess, sys, tempfile, threading, time, urllib.error, urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
SPEC = {"classes": [1, 7, 3], "architecture": "conv", "channels": [8], "hidden": [], "epochs": 1, "batchSize": 64}


def request(base, method, path, body=None, timeout=60):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def cpu_description():
    model, flags = "?", []
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name") and model == "?":
                model = line.split(":", 1)[1].strip()
            if line.startswith("flags") and not flags:
                flags = [x for x in line.split(":", 1)[1].split() if x.startswith(("avx", "fma"))]
    return f"{os.cpu_count()} × {model}; {' '.join(flags)}"


def wait_for_jobs(base, ids, timeout_s):
    deadline, ended = time.time() + timeout_s, {}
    while len(ended) < len(ids):
        if time.time() > deadline:
            raise SystemExit(f"{len(ids) - len(ended)} jobs still running after {timeout_s} s")
        for i in ids:
            if i in ended:
                continue
            status, body = request(base, "GET", f"/jobs/{i}")
            job = json.loads(body)
            if job["status"] in ("succeeded", "failed", "cancelled"):
                ended[i] = job
        time.sleep(0.5)
    return ended


def busy(base, stop, counts):
    """/predict and /attack on the first model until stopped: serving work beside the trainings."""
    image = [((i * 37) % 255) / 255.0 for i in range(784)]
    while not stop.is_set():
        s1, _ = request(base, "POST", "/predict", {"images": [image] * 16})
        s2, _ = request(base, "POST", "/attack", {"image": image, "steps": 200})
        counts[s1] = counts.get(s1, 0) + 1
        counts[s2] = counts.get(s2, 0) + 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--busy-rounds", type=int, default=2)
    parser.add_argument("--port", type=int, default=5093)
    parser.add_argument("--mnist", default=os.path.join(ROOT, "..", "shared", "data", "mnist"))
    args = parser.parse_args()

    dll = os.path.join(ROOT, "src", "LipService.Api", "bin", "Release", "net10.0", "LipService.Api.dll")
    if not os.path.exists(dll):
        raise SystemExit("build first: dotnet build -c Release")
    data = tempfile.mkdtemp(prefix="lipservice-conv-jobs-")
    base = f"http://127.0.0.1:{args.port}"
    log = open(os.path.join(data, "service.log"), "w")
    server = subprocess.Popen(["dotnet", dll, "--urls", base, "--Data:Directory", data,
                               "--Mnist:Directory", os.path.abspath(args.mnist), "--Mnist:Download", "false"], stdout=log, stderr=subprocess.STDOUT)
    started = time.time()
    try:
        for _ in range(120):
            try:
                if request(base, "GET", "/health/ready", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        else:
            raise SystemExit(f"the service did not become ready; see {data}/service.log")
        results, busy_counts = [], {}
        for round_ in range(1, args.rounds + 1):
            stop, worker = threading.Event(), None
            if round_ > args.rounds - args.busy_rounds:
                worker = threading.Thread(target=busy, args=(base, stop, busy_counts), daemon=True)
                worker.start()
            ids = {}
            for seed in range(1, args.seeds + 1):
                status, body = request(base, "POST", "/jobs", dict(SPEC, seed=seed))
                if status != 202:
                    raise SystemExit(f"POST /jobs answered {status}: {body[:300]!r}")
                ids[json.loads(body)["id"]] = seed
            t0 = time.time()
            ended = wait_for_jobs(base, list(ids), timeout_s=60 * args.seeds)
            stop.set()
            if worker:
                worker.join()
            for job_id, job in ended.items():
                digest = None
                if job["status"] == "succeeded":
                    status, weights = request(base, "GET", f"/models/{job['modelId']}/weights")
                    digest = hashlib.sha256(weights).hexdigest()[:16] if status == 200 else f"weights {status}"
                results.append({"round": round_, "seed": ids[job_id], "status": job["status"], "error": job.get("error"), "weights": digest})
            ok = sum(1 for j in ended.values() if j["status"] == "succeeded")
            print(f"round {round_}{' (with /predict and /attack running)' if worker else ''}: {ok}/{len(ended)} succeeded in {time.time() - t0:.0f} s", flush=True)
    finally:
        server.terminate()
        server.wait(30)
        log.close()

    failed = [r for r in results if r["status"] != "succeeded"]
    by_seed = {}
    for r in results:
        by_seed.setdefault(r["seed"], set()).add(r["weights"])
    differing = sorted(s for s, w in by_seed.items() if len(w) > 1)
    print()
    print(f"Machine: {cpu_description()}; {platform.platform()}")
    env = {k: os.environ[k] for k in ("DOTNET_EnableAVX512F", "ATEN_CPU_CAPABILITY") if k in os.environ}
    print(f"Environment: {env or 'default'}; commit {subprocess.run(['git', '-C', ROOT, 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True).stdout.strip()}")
    print(f"{len(results)} jobs ({args.seeds} seeds × {args.rounds} rounds, the last {args.busy_rounds} beside /predict and /attack: {dict(sorted(busy_counts.items()))} answers): "
          f"{len(results) - len(failed)} succeeded, {len(failed)} did not; seeds whose runs differ: {len(differing)} of {len(by_seed)}; {time.time() - started:.0f} s in all")
    for r in failed:
        print(f"  seed {r['seed']} round {r['round']}: {r['status']}: {r['error']}")
    for s in differing:
        print(f"  seed {s}: weights {sorted(by_seed[s], key=str)}")
    if not failed and not differing:
        shutil.rmtree(data, ignore_errors=True)
    else:
        print(f"service log kept in {data}/service.log")
    return 1 if failed or differing else 0


if __name__ == "__main__":
    sys.exit(main())
