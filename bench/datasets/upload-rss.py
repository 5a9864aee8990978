#!/usr/bin/env python3
"""Memory of a large dataset upload: streams SIZE_MB (default 200 MB) to POST /datasets of a freshly
started LipService and samples the server's resident set (VmRSS) every 20 ms while it receives, parses
and stores it. Prints the RSS before, the peak during and the growth, the upload's time and the answer,
with the CPU model.

FORMAT=idx (default): an IDX images + labels pair generated as it is sent (never whole in this process
either): 64×64 grayscale images of blurred random blobs (they compress about as real photos of objects
do, so the gzip of the store's chunks costs what it would), labels cycling over 10 classes.
FORMAT=zip: a zip of 10 class folders of 64×64 grayscale PNGs of noise (≈ 4.2 KB each, so that 200 MB
is ≈ 48,000 images to decode), written to DATA_DIR first and streamed from there.

  python3 bench/datasets/upload-rss.py            # FORMAT=idx SIZE_MB=200 PORT=5097 DATA_DIR=/tmp/lipservice-upload-rss
Builds nothing: run `dotnet build src/LipService.Api -c Release` first.
"""
import http.client, json, os, random, shutil, struct, subprocess, sys, threading, time, urllib.request, zipfile, zlib

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DLL = os.path.join(ROOT, "src/LipService.Api/bin/Release/net10.0/LipService.Api.dll")
PORT = int(os.environ.get("PORT", "5097"))
DATA_DIR = os.environ.get("DATA_DIR", "/tmp/lipservice-upload-rss")
SIZE_MB = float(os.environ.get("SIZE_MB", "200"))
FORMAT = os.environ.get("FORMAT", "idx")
SIDE = 64
COUNT = int(SIZE_MB * 1e6 / (SIDE * SIDE))
BOUNDARY = "lipservice-upload-rss-boundary"


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def cpu_model():
    with open("/proc/cpuinfo") as info:
        lines = info.read().splitlines()
    model = next((l.split(":", 1)[1].strip() for l in lines if l.startswith("model name")), "?")
    flags = next((l.split(":", 1)[1].split() for l in lines if l.startswith("flags")), [])
    simd = [f for f in ("avx2", "avx512f", "fma") if f in flags]
    return f"{model}, {os.cpu_count()} CPUs, {' '.join(simd)}"


def blob_images(count, seed=7):
    """A few hundred distinct blurred-blob images, cycled: generating 50,000 in Python would take longer than the upload."""
    rng = random.Random(seed)
    distinct = []
    for _ in range(256):
        img = bytearray(SIDE * SIDE)
        for _ in range(6):
            cx, cy, r, v = rng.randrange(SIDE), rng.randrange(SIDE), rng.randrange(4, 16), rng.randrange(80, 256)
            for y in range(max(0, cy - r), min(SIDE, cy + r)):
                for x in range(max(0, cx - r), min(SIDE, cx + r)):
                    if (x - cx) ** 2 + (y - cy) ** 2 < r * r:
                        img[y * SIDE + x] = min(255, img[y * SIDE + x] + v)
        for i in range(0, len(img), 97):
            img[i] ^= rng.randrange(16)
        distinct.append(bytes(img))
    return distinct


def parts(count):
    images_head = struct.pack(">IIII", 0x803, count, SIDE, SIDE)
    labels_head = struct.pack(">II", 0x801, count)
    def part_head(name, filename):
        return (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n"
                "Content-Type: application/octet-stream\r\n\r\n").encode()
    return images_head, labels_head, part_head("file", "big-images.idx"), part_head("labels", "big-labels.idx"), f"\r\n--{BOUNDARY}--\r\n".encode()


def body(count, distinct):
    images_head, labels_head, file_head, labels_part, end = parts(count)
    yield file_head + images_head
    batch = []
    for i in range(count):
        batch.append(distinct[i % len(distinct)])
        if len(batch) == 256:
            yield b"".join(batch)
            batch = []
    if batch:
        yield b"".join(batch)
    yield b"\r\n" + labels_part + labels_head + bytes(i % 10 for i in range(count)) + end


def length(count):
    images_head, labels_head, file_head, labels_part, end = parts(count)
    return len(file_head) + len(images_head) + count * SIDE * SIDE + 2 + len(labels_part) + len(labels_head) + count + len(end)


def png(pixels):
    """A grayscale PNG of SIDE×SIDE bytes, written by hand (no imaging library in Debian's python3 here)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\0" + pixels[y * SIDE:(y + 1) * SIDE] for y in range(SIDE))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", SIDE, SIDE, 8, 0, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(rows, 1)) + chunk(b"IEND", b"")


def write_zip(path, megabytes, seed=7):
    rng = random.Random(seed)
    images = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        while os.path.getsize(path) < megabytes * 1e6:
            archive.writestr(f"class{images % 10}/{images:06d}.png", png(rng.randbytes(SIDE * SIDE)))
            images += 1
    return images


def send(chunks, total):
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=600)
    connection.putrequest("POST", "/datasets")
    connection.putheader("Content-Type", f"multipart/form-data; boundary={BOUNDARY}")
    connection.putheader("Content-Length", str(total))
    connection.endheaders()
    for chunk in chunks:
        connection.send(chunk)
    response = connection.getresponse()
    return response.status, json.loads(response.read() or b"{}")


def upload(count, distinct):
    return send(body(count, distinct), length(count))


def upload_file(path):
    head = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{os.path.basename(path)}\"\r\n"
            "Content-Type: application/zip\r\n\r\n").encode()
    end = f"\r\n--{BOUNDARY}--\r\n".encode()
    def chunks():
        yield head
        with open(path, "rb") as f:
            while block := f.read(1 << 20):
                yield block
        yield end
    return send(chunks(), len(head) + os.path.getsize(path) + len(end))


def main():
    if not os.path.exists(DLL):
        sys.exit(f"{DLL} is missing: run `dotnet build src/LipService.Api -c Release` first.")
    if DATA_DIR.startswith("/tmp/") and os.path.isdir(DATA_DIR):
        shutil.rmtree(DATA_DIR)
    os.makedirs(DATA_DIR, exist_ok=True)
    log = open(os.path.join(DATA_DIR, "server.log"), "w")
    server = subprocess.Popen(["dotnet", DLL, "--urls", f"http://127.0.0.1:{PORT}", "--Data:Directory", DATA_DIR, "--Mnist:Download", "false"],
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/health/live", timeout=1)
                break
            except Exception:
                time.sleep(0.1)
        distinct = blob_images(COUNT)
        # A small upload first, so that what the first one loads (JIT, SQLite, gzip) is in the baseline.
        status, _ = upload(1000, distinct)
        assert status in (200, 201), status
        time.sleep(2)
        before = rss_kib(server.pid)
        peak, stop = [before], threading.Event()
        def sample():
            while not stop.is_set():
                peak[0] = max(peak[0], rss_kib(server.pid))
                time.sleep(0.02)
        sampler = threading.Thread(target=sample)
        sampler.start()
        if FORMAT == "zip":
            zip_path = os.path.join(DATA_DIR, "noise.zip")
            images = write_zip(zip_path, SIZE_MB)
            total = os.path.getsize(zip_path)
        else:
            images, total = COUNT, length(COUNT)
        started = time.time()
        status, answer = upload_file(zip_path) if FORMAT == "zip" else upload(COUNT, distinct)
        seconds = time.time() - started
        stop.set()
        sampler.join()
        after = rss_kib(server.pid)
        print(f"CPU: {cpu_model()}")
        print(f"upload ({FORMAT}): {images:,} images of {SIDE}×{SIDE} = {total / 1e6:.1f} MB, answered {status} in {seconds:.1f} s "
              f"({total / 1e6 / seconds:.0f} MB/s); stored {answer.get('storedBytes', 0) / 1e6:.1f} MB, "
              f"{answer.get('trainCount')} train + {answer.get('validationCount')} validation")
        print(f"server RSS: before {before / 1024:.1f} MiB, peak during {peak[0] / 1024:.1f} MiB, after {after / 1024:.1f} MiB; "
              f"growth {(peak[0] - before) / 1024:.1f} MiB")
        if status not in (200, 201):
            print(json.dumps(answer)[:500])
            return 1
        return 0
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
