#!/usr/bin/env python3
"""Checks an Open Inference Protocol binary response (JSON header, then raw outputs) and prints
"<N> labels, first label L, radius R". The header's length is the JSON object's: the response
carries it in Inference-Header-Content-Length, which curl -o drops, so it is found by parsing.
Usage: check-oip-binary.py RESPONSE_FILE EXPECTED_N"""
import json, struct, sys

body = open(sys.argv[1], "rb").read()
expected = int(sys.argv[2])
header, length = json.JSONDecoder().raw_decode(body.decode("latin-1"))
offset = length
outputs = {}
for o in header["outputs"]:
    size = o["parameters"]["binary_data_size"]
    outputs[o["name"]] = body[offset:offset + size]
    offset += size
assert offset == len(body), f"binary section {len(body) - length} bytes, outputs declare {offset - length}"
labels = struct.unpack(f"<{len(outputs['label']) // 8}q", outputs["label"])
radii = struct.unpack(f"<{len(outputs['certified_radius']) // 8}d", outputs["certified_radius"])
assert len(labels) == expected == len(radii), (len(labels), len(radii), expected)
print(f"{len(labels)} labels, first label {labels[0]}, radius {radii[0]:.4f}")
