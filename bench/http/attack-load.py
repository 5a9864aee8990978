#!/usr/bin/env python3
"""/predict latency while N concurrent /attack clients and a training job run (issue 18, item 5).

Starts the real executable on 127.0.0.1 (fresh data folder, rate limiter off), trains the
notebook model, starts a long training job (checked running in every phase, cancelled at the end),
then for each N in ATTACKS: N client threads post 1,000-step attacks back to back (a 429 is
counted, and the client waits its Retry-After as a well-behaved client would), and PREDICTORS
threads post one-digit JSON /predict requests with THINK_MS between them for DURATION seconds.
Prints a Markdown table: /predict p50/p99/max, attacks answered and refused, and the CPU share
other processes took during the window (the machine may be shared), with the CPU model and flags.

Usage: attack-load.py DLL MNIST_DIR [extra server args...]
Environment: PORT (5091), ATTACKS ("0,5,20"), DURATION (20), PREDICTORS (2), THINK_MS (5),
STEPS (1000), DATA_DIR (/tmp/lipservice-attack-load; emptied first).
Standard library only.
"""
import gzip, http.client, json, os, shutil, struct, subprocess, sys, threading, time

PORT = int(os.environ.get("PORT", "5091"))
ATTACKS = [int(n) for n in os.environ.get("ATTACKS", "0,5,20").split(",")]
DURATION = float(os.environ.get("DURATION", "20"))
PREDICTORS = int(os.environ.get("PREDICTORS", "2"))
THINK = float(os.environ.get("THINK_MS", "5")) / 1000
STEPS = int(os.environ.get("STEPS", "1000"))
DATA_DIR = os.environ.get("DATA_DIR", "/tmp/lipservice-attack-load")
HZ = os.sysconf("SC_CLK_TCK")


def digit(mnist):
    with gzip.open(os.path.join(mnist, "t10k-images-idx3-ubyte.gz"), "rb") as f:
        magic, n, rows, cols = struct.unpack(">IIII", f.read(16))
        assert magic == 2051
        data = f.read(784)
    return [round(b / 255, 6) for b in data]


def request(conn, method, path, body=None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    return response.status, response.getheader("Retry-After"), response.read()


def connect():
    return http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)


def cpu_ticks(pid=None):
    """Busy ticks of the machine (all cores) or of one process."""
    if pid is None:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        return sum(v) - v[3] - v[4]
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, int(round(p / 100 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


class Attackers:
    def __init__(self, count, body):
        self.stop = threading.Event()
        self.answered = self.refused = 0
        self.other = {}
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.run, args=(body,), daemon=True) for _ in range(count)]
        for t in self.threads:
            t.start()

    def run(self, body):
        conn = connect()
        while not self.stop.is_set():
            status, retry, _ = request(conn, "POST", "/attack", body)
            with self.lock:
                if status == 200:
                    self.answered += 1
                elif status == 429:
                    self.refused += 1
                else:
                    self.other[status] = self.other.get(status, 0) + 1
            if status == 429:
                self.stop.wait(float(retry or 1))

    def close(self):
        self.stop.set()
        for t in self.threads:
            t.join()


def predict_window(body, seconds):
    latencies, errors = [], []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def run():
        conn = connect()
        while time.monotonic() < deadline:
            start = time.perf_counter()
            status, _, _ = request(conn, "POST", "/predict", body)
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                (latencies if status == 200 else errors).append(elapsed if status == 200 else status)
            time.sleep(THINK)

    threads = [threading.Thread(target=run) for _ in range(PREDICTORS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(latencies), errors


def main():
    dll, mnist, extra = sys.argv[1], sys.argv[2], sys.argv[3:]
    if DATA_DIR.startswith("/tmp/") and os.path.isdir(DATA_DIR):
        shutil.rmtree(DATA_DIR)
    os.makedirs(DATA_DIR, exist_ok=True)
    log = open(os.path.join(DATA_DIR, "server.log"), "w")
    server = subprocess.Popen(["dotnet", dll, "--urls", f"http://127.0.0.1:{PORT}", "--Data:Directory", DATA_DIR,
                               "--Mnist:Directory", mnist, "--Mnist:Download", "false",
                               "--Serving:PredictPermitsPerSecond", "0", *extra], stdout=log, stderr=subprocess.STDOUT)
    job_id = None
    try:
        for _ in range(240):
            try:
                if request(connect(), "GET", "/health/ready")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        conn = connect()
        status, _, created = request(conn, "POST", "/jobs", json.dumps({"epochs": 3, "seed": 1}))
        assert status == 202, created
        job = json.loads(created)["id"]
        while json.loads(request(conn, "GET", f"/jobs/{job}")[2])["status"] not in ("succeeded", "failed", "cancelled"):
            time.sleep(0.5)
        model = json.loads(request(conn, "GET", f"/jobs/{job}")[2])
        assert model["status"] == "succeeded", model
        pixels = digit(mnist)
        predict_body = json.dumps({"images": [pixels]})
        attack_body = json.dumps({"image": pixels, "steps": STEPS})
        # A job that outlasts every phase: serving competes with training throughout.
        status, _, created = request(conn, "POST", "/jobs", json.dumps({"epochs": 1000, "seed": 2}))
        job_id = json.loads(created)["id"]
        while json.loads(request(conn, "GET", f"/jobs/{job_id}")[2])["status"] != "running":
            time.sleep(0.2)
        predict_window(predict_body, 2)  # warm-up, not reported

        rows = []
        for n in ATTACKS:
            attackers = Attackers(n, attack_body)
            time.sleep(2)
            machine0, server0, self0, t0 = cpu_ticks(), cpu_ticks(server.pid), cpu_ticks(os.getpid()), time.monotonic()
            latencies, errors = predict_window(predict_body, DURATION)
            machine1, server1, self1, t1 = cpu_ticks(), cpu_ticks(server.pid), cpu_ticks(os.getpid()), time.monotonic()
            training = json.loads(request(conn, "GET", f"/jobs/{job_id}")[2])["status"]
            attackers.close()
            others = 100 * ((machine1 - machine0) - (server1 - server0) - (self1 - self0)) / HZ / (t1 - t0)
            rows.append((n, len(latencies) / (t1 - t0), percentile(latencies, 50), percentile(latencies, 99), latencies[-1] if latencies else float("nan"),
                         len(errors), attackers.answered, attackers.refused, attackers.other, training, others, 100 * (server1 - server0) / HZ / (t1 - t0)))
            print(f"N={n}: p50 {rows[-1][2]:.1f} ms, p99 {rows[-1][3]:.1f} ms, max {rows[-1][4]:.1f} ms", file=sys.stderr, flush=True)

        cpu = {}
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                cpu.setdefault(key.strip(), value.strip())
        flags = [f for f in cpu.get("flags", "").split() if f.startswith(("avx", "fma", "sse4"))]
        print(f"CPU: {cpu.get('model name')}, {os.cpu_count()} cores; flags: {' '.join(flags)}")
        print(f"Settings: {DURATION:.0f} s per row, {PREDICTORS} /predict clients (one digit, JSON, {THINK * 1000:.0f} ms between requests), "
              f"attacks of {STEPS} steps, a 1000-epoch training job running; server args: {' '.join(extra) or '(defaults)'}\n")
        print("| attack clients | /predict req/s | p50 ms | p99 ms | max ms | /predict errors | attacks answered | attacks 429 | other answers | training | server CPU % | other processes CPU % |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|")
        for r in rows:
            print(f"| {r[0]} | {r[1]:.0f} | {r[2]:.1f} | {r[3]:.1f} | {r[4]:.1f} | {r[5]} | {r[6]} | {r[7]} | {', '.join(f'{k}: {v}' for k, v in sorted(r[8].items())) or 0} | {r[9]} | {r[11]:.0f} | {r[10]:.0f} |")
    finally:
        if job_id:
            try:
                request(connect(), "DELETE", f"/jobs/{job_id}")
            except OSError:
                pass
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
