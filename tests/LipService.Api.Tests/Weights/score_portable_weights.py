"""Scores MNIST digits with a LipService model downloaded as a PyTorch state dict (.pt) and as
safetensors, using only Debian's python3-torch and python3-numpy.

usage: score_portable_weights.py MODEL.pt MODEL.safetensors PIXELS.json
PIXELS.json is {"images": [[784 floats in [0, 1]], ...]}. Prints one JSON object: the scores of
each file ({"pt": [[...]], "safetensors": [[...]]}) and the safetensors metadata.

LipServiceNetwork is the module definition README.md shows ("Use it from Python").
"""
import collections
import json
import struct
import sys

import numpy as np
import torch
from torch import nn


class GroupSort2(nn.Module):
    """Sorts adjacent pairs ascending: features (0,1), (2,3), ... of a dense layer; channels at
    each pixel after a convolution."""

    def forward(self, x):
        if x.dim() > 2:
            n, c = x.shape[0], x.shape[1]
            return x.reshape(n, c // 2, 2, -1).sort(dim=2).values.reshape(x.shape)
        return x.reshape(-1, 2).sort(dim=-1).values.reshape(x.shape)


class ScaledL2NormPool2d(nn.Module):
    """sqrt(sum of squares over each 2x2 window + 1e-12), windows not overlapping."""

    def forward(self, x):
        return (nn.functional.avg_pool2d(x * x, 2, 2) * 4 + 1e-12).sqrt()


class LipServiceNetwork(nn.Module):
    """conv (3x3, zero "same" padding) -> GroupSort2 -> pooling, repeated; or ortho-conv (3x3,
    circular padding) -> GroupSort2 -> 2x2 stride-2 conv to twice the channels -> GroupSort2,
    repeated, after a 2x2 stride-2 conv of the image to 4 channels -> GroupSort2 for
    ortho-conv-unshuffle; flatten; dense -> GroupSort2, repeated; output. Module names match the
    state dict (layers.stem.weight, layers.conv0.weight, layers.down0.weight, layers.dense0.weight, ...)."""

    def __init__(self, spec, classes):
        super().__init__()
        outputs = 1 if len(classes) == 2 else len(classes)
        architecture = spec.get("architecture", "dense")
        convolutional = architecture in ("conv", "ortho-conv", "ortho-conv-unshuffle")
        modules, width, side, channels = [], 28 * 28, 28, 1
        if architecture == "ortho-conv-unshuffle":
            modules += [("stem", nn.Conv2d(1, 4, 2, stride=2)), ("stem_act", GroupSort2())]
            side, channels = 14, 4
        for i, c in enumerate((spec.get("channels") or []) if convolutional else []):
            if architecture in ("ortho-conv", "ortho-conv-unshuffle"):
                modules += [(f"conv{i}", nn.Conv2d(channels, c, 3, padding=1, padding_mode="circular")),
                            (f"conv{i}_act", GroupSort2()),
                            (f"down{i}", nn.Conv2d(c, 2 * c, 2, stride=2)), (f"down{i}_act", GroupSort2())]
                c *= 2
            else:
                modules += [(f"conv{i}", nn.Conv2d(channels, c, 3, padding=1)),
                            (f"conv{i}_act", GroupSort2()), (f"pool{i}", ScaledL2NormPool2d())]
            channels, side = c, side // 2
        if convolutional:
            width = channels * side * side
        modules.append(("flatten", nn.Flatten()))
        for i, h in enumerate(spec.get("hidden") or []):
            modules += [(f"dense{i}", nn.Linear(width, h)), (f"act{i}", GroupSort2())]
            width = h
        # The two-class output (FrobeniusDense) has no bias; a multiclass head has one.
        modules.append(("output", nn.Linear(width, outputs, bias=outputs > 1)))
        self.convolutional = convolutional
        self.layers = nn.Sequential(collections.OrderedDict(modules))

    def forward(self, x):
        x = x.reshape(x.shape[0], 1, 28, 28) if self.convolutional else x.reshape(x.shape[0], -1)
        return self.layers(x)


def read_safetensors(path):
    """The safetensors layout read by hand (Debian 12 has no python3-safetensors), checking what
    the reference reader checks: F32 only, offsets contiguous from 0 and covering the buffer."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    assert n % 8 == 0, f"header length {n} is not padded to a multiple of 8"
    header = json.loads(data[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__")
    buffer = data[8 + n:]
    tensors, end = {}, 0
    for name, entry in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0]):
        begin, stop = entry["data_offsets"]
        assert entry["dtype"] == "F32", entry
        assert begin == end, f"{name} starts at {begin}, not {end}"
        assert stop - begin == 4 * int(np.prod(entry["shape"])), f"{name} size"
        values = np.frombuffer(buffer[begin:stop], dtype="<f4").reshape(entry["shape"])
        tensors[name] = torch.from_numpy(values.copy())
        end = stop
    assert end == len(buffer), f"buffer has {len(buffer)} bytes, tensors cover {end}"
    return tensors, metadata


def scores(state_dict, spec, classes, pixels):
    network = LipServiceNetwork(spec, classes)
    network.load_state_dict(state_dict)  # strict: every name and shape must match
    network.eval()
    with torch.no_grad():
        return network(pixels).tolist()


def main(pt_path, safetensors_path, pixels_path):
    tensors, metadata = read_safetensors(safetensors_path)
    spec = json.loads(metadata["lipservice.spec"])
    classes = json.loads(metadata["lipservice.classes"])
    with open(pixels_path) as f:
        pixels = torch.tensor(json.load(f)["images"], dtype=torch.float32)
    state_dict = torch.load(pt_path, map_location="cpu", weights_only=True)
    print(json.dumps({
        "pt": scores(state_dict, spec, classes, pixels),
        "safetensors": scores(tensors, spec, classes, pixels),
        "ptKeys": list(state_dict.keys()),
        "metadata": metadata,
    }))


if __name__ == "__main__":
    main(*sys.argv[1:4])
