#!/usr/bin/env python3
"""Regenerates digit-0.png and predict.json from MNIST test image 3 (the test set's first 0).

Usage, from the repository root: python3 samples/make-samples.py [MNIST_DIR]  (default ../shared/data/mnist)
Standard library only. SampleFilesTests checks that the committed files still decode to that digit.
"""
import gzip, json, os, struct, sys, zlib

INDEX, SCALE = 3, 4  # MNIST t10k image 3 is a 0; drawn 4× (112×112) as black ink on white paper
here = os.path.dirname(os.path.abspath(__file__))
mnist = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "shared", "data", "mnist")

with gzip.open(os.path.join(mnist, "t10k-images-idx3-ubyte.gz")) as f:
    magic, count, rows, cols = struct.unpack(">IIII", f.read(16))
    assert (magic, rows, cols) == (2051, 28, 28), "not MNIST images"
    f.seek(16 + INDEX * 784)
    digit = f.read(784)
with gzip.open(os.path.join(mnist, "t10k-labels-idx1-ubyte.gz")) as f:
    f.seek(8 + INDEX)
    assert f.read(1)[0] == 0, "image 3 should be a 0"

# PNG, 8-bit grayscale, each MNIST pixel a SCALE×SCALE block of 255 - ink (a user's drawing, not MNIST's white on black).
side = 28 * SCALE
raw = b"".join(b"\0" + bytes(255 - digit[(y // SCALE) * 28 + x // SCALE] for x in range(side)) for y in range(side))
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
with open(os.path.join(here, "digit-0.png"), "wb") as f:
    f.write(png)

# The same digit as the JSON body of POST /predict: MNIST's own pixels scaled to [0, 1].
pixels = [0 if p == 0 else 1 if p == 255 else round(p / 255, 4) for p in digit]
with open(os.path.join(here, "predict.json"), "w") as f:
    f.write(json.dumps({"images": [pixels]}, separators=(",", ":")) + "\n")
