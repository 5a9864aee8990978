#!/usr/bin/env python3
"""Writes the /predict request bodies used by bench/http/run.sh, from real MNIST test digits.

  single.json    {"images": [[784 numbers]]}          one digit (first test digit labelled 0)
  batch256.json  {"images": [[784 numbers], x256]}    256 digits
  png.body       multipart/form-data, one part "files" holding a 28x28 grayscale PNG of that digit
                 (boundary: BOUNDARY below; post-png.lua sends the same one)
  oip256.json    Open Inference Protocol v2 JSON: input FP32 [256, 784], the same 256 digits, flat data
  oip256.bin     the same request with the binary tensor data extension: a JSON header, then the
                 256 x 784 little-endian FP32 pixels; all three outputs asked as binary.
                 oip256.bin.header holds the header's length (Inference-Header-Content-Length)

Pixels are byte/255 written with 6 significant digits. Standard library only (gzip, zlib, struct).
Usage: make-bodies.py [MNIST_DIR] [OUT_DIR]
"""
import gzip, json, os, struct, sys, zlib

BOUNDARY = "----LipServiceBenchBoundary7MA4YWxkTrZu0gW"
SINGLE_CLASS = 0
MNIST = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "data", "mnist")
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.abspath(__file__))

def read_images(path, count):
    with gzip.open(path, "rb") as f:
        magic, n, rows, cols = struct.unpack(">IIII", f.read(16))
        assert magic == 2051 and rows == 28 and cols == 28, (magic, rows, cols)
        count = min(count, n)
        data = f.read(count * 784)
    return [data[i * 784:(i + 1) * 784] for i in range(count)]

def read_labels(path, count):
    with gzip.open(path, "rb") as f:
        magic, n = struct.unpack(">II", f.read(8))
        assert magic == 2049, magic
        return list(f.read(min(count, n)))

def images_json(digits):
    # Compact, numbers like 0.329412; zero pixels written as 0.
    rows = ["[" + ",".join("%.6g" % (b / 255.0) if b else "0" for b in d) + "]" for d in digits]
    return '{"images":[' + ",".join(rows) + "]}"

def oip_json(digits):
    data = ",".join("%.6g" % (b / 255.0) if b else "0" for d in digits for b in d)
    return ('{"inputs":[{"name":"input","datatype":"FP32","shape":[%d,784],"data":[%s]}]}' % (len(digits), data))

def oip_binary(digits):
    """(body, header length): the JSON header, then the raw FP32 tensor (binary_data_size bytes)."""
    raw = struct.pack("<%df" % (len(digits) * 784), *(b / 255.0 for d in digits for b in d))
    outputs = ",".join('{"name":"%s","parameters":{"binary_data":true}}' % n for n in ("scores", "label", "certified_radius"))
    header = ('{"inputs":[{"name":"input","datatype":"FP32","shape":[%d,784],"parameters":{"binary_data_size":%d}}],"outputs":[%s]}'
              % (len(digits), len(raw), outputs)).encode()
    return header + raw, len(header)

def png_gray(pixels, w=28, h=28):
    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + bytes(pixels[y * w:(y + 1) * w]) for y in range(h))  # filter 0 per row
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)  # 8-bit grayscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")

def main():
    digits = read_images(os.path.join(MNIST, "t10k-images-idx3-ubyte.gz"), 256)
    labels = read_labels(os.path.join(MNIST, "t10k-labels-idx1-ubyte.gz"), 256)
    # The single digit (JSON and PNG) is the first test digit of class SINGLE_CLASS (0, the default
    # job's positive class), so the answer is meaningful; the batch is the first 256 test digits.
    one = labels.index(SINGLE_CLASS)
    os.makedirs(OUT, exist_ok=True)
    for name, ds in (("single.json", [digits[one]]), ("batch256.json", digits)):
        text = images_json(ds)
        json.loads(text)  # sanity
        with open(os.path.join(OUT, name), "w") as f:
            f.write(text)
    with open(os.path.join(OUT, "oip256.json"), "w") as f:
        f.write(oip_json(digits))
    body, header = oip_binary(digits)
    with open(os.path.join(OUT, "oip256.bin"), "wb") as f:
        f.write(body)
    with open(os.path.join(OUT, "oip256.bin.header"), "w") as f:
        f.write(str(header))
    png = png_gray(digits[one])
    with open(os.path.join(OUT, "digit0.png"), "wb") as f:
        f.write(png)
    body = (f"--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="files"; filename="digit0.png"\r\n'
            "Content-Type: image/png\r\n\r\n").encode() + png + f"\r\n--{BOUNDARY}--\r\n".encode()
    with open(os.path.join(OUT, "png.body"), "wb") as f:
        f.write(body)
    print(f"single digit: test index {one}, label {labels[one]}")
    for name in ("single.json", "batch256.json", "digit0.png", "png.body", "oip256.json", "oip256.bin"):
        print(f"{name}: {os.path.getsize(os.path.join(OUT, name))} bytes")

if __name__ == "__main__":
    main()
