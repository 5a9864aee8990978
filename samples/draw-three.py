#!/usr/bin/env python3
"""Draws digit-3.png: a "3" as a person would draw it (two arcs, black pen on white, 112×112).

Not taken from MNIST: it shows a multiclass model reading a digit it never saw. Usage, from the
repository root: python3 samples/draw-three.py. Standard library only; the output is deterministic.
"""
import math, os, struct, zlib

SIDE, PEN = 112, 9.0  # canvas side and pen width in pixels
points = []


def arc(cx, cy, r, start, end, steps=80):
    """Points along a circle's arc, angles in degrees, y pointing down as on a screen."""
    for i in range(steps + 1):
        t = math.radians(start + (end - start) * i / steps)
        points.append((cx + r * math.cos(t), cy + r * math.sin(t)))


arc(54, 35, 19, -160, 100)  # upper bowl: from its left end over the top, round to the middle
arc(54, 75, 22, -100, 160)  # lower bowl: from the middle round the right to its bottom-left end


def inked(x, y):
    return min((x - px) ** 2 + (y - py) ** 2 for px, py in points) <= (PEN / 2) ** 2


# 3×3 samples per pixel for anti-aliased edges; 255 = white paper.
rows = []
for y in range(SIDE):
    row = bytes(255 - round(255 * sum(inked(x + (i + 0.5) / 3, y + (j + 0.5) / 3) for i in range(3) for j in range(3)) / 9) for x in range(SIDE))
    rows.append(b"\0" + row)


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", SIDE, SIDE, 8, 0, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b"")
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "digit-3.png"), "wb") as f:
    f.write(png)
