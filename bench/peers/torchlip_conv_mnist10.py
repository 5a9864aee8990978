#!/usr/bin/env python3
"""deel-torchlip peer: a multiclass convolutional 1-Lipschitz network on MNIST (10 digits).

The run LipService's `train --preset mnist10-conv` is compared with (see side-by-side-conv.sh):

  input 1x28x28, pixels/255 (no normalisation)
  --arch spectral (default; LipService's default mnist10-conv):
    for c in --channels (default 32,64):
      SpectralConv2d(in, c, 3, padding="same", zeros, bias) -> GroupSort2 -> ScaledL2NormPool2d(2)
  --arch ortho-shapes (the shapes of LipService's `--architecture ortho-conv`):
    for c in --channels (e.g. 16,32), in = 1 then 2 * the previous c:
      SpectralConv2d(in, c, 3, padding=1, padding_mode="circular", bias) -> GroupSort2
      -> SpectralConv2d(c, 2c, 2, stride=2, padding=0, bias) -> GroupSort2    (halves height and width)
  Flatten -> for h in --hidden (default 256): SpectralLinear(h) -> GroupSort2
          -> SpectralLinear(10)            (a jointly 1-Lipschitz head: one spectral layer, 10 outputs)
  Adam(--lr), --batch-size, shuffled, --epochs.

About ortho-shapes. deel-torchlip 1.0.5 has no orthogonal convolution (no BCOP, Cayley, SOC, ...):
LipService's ortho-conv uses a BCOP 3x3 kernel (an orthogonal operator) and a 2x2/stride-2
convolution whose reshaped kernel (2c, 4c) is row-orthonormal. This peer trains the SAME SHAPES with
torchlip's spectral layers, i.e. what a torchlip user would build for that network; the layers are
1-Lipschitz but, unlike BCOP, the 3x3 one is not gradient-norm preserving:
  * 3x3: SpectralConv2d = power iteration + Bjorck on the reshaped kernel (c, in*9), then times
    torchlip's coverage coefficient 1/sqrt(ceil(3/1)*ceil(3/1)) = 1/3 (lconv_norm; it is computed
    without the input shape, so the same for every padding mode). Circular padding is supported:
    torchlip's PadConv2d passes padding_mode="circular" to torch.nn.Conv2d (its docstring lists
    zeros, reflect, replicate, symmetric, circular), and vanilla_export keeps it.
  * 2x2/stride 2: SpectralConv2d accepts stride=2 (only FrobeniusConv2d refuses strides). Its
    coverage coefficient is 1/sqrt(ceil(2/2)*ceil(2/2)) = 1: the patches are disjoint, so there is
    no down-scaling and the layer is exactly as Lipschitz as its reshaped kernel (2c, 4c), which
    Bjorck drives to orthonormal rows: the same constraint as LipService's OrthoDownsample2D (only
    the parametrisation differs: power iteration + Bjorck iterations in every training forward).
    torchlip's InvertibleDownSampling (downsampling.py) is a parameter-free PixelUnshuffle (c -> 4c);
    followed by a 1x1 SpectralConv2d 4c -> 2c it would be the same operator, so the single strided
    convolution is used instead (one layer, fewer copies).

Loss (--loss):
  hkr  deel.torchlip.HKRMulticlassLoss. --alpha and --margin are given in the deel-lip / LipService
       convention  L = alpha * H_m - KR  (alpha >= 0, H_m the one-vs-all hinge with the FULL margin m:
       mean_i (1/C) [(C-1) relu(m - f_y) + sum_{k!=y} relu(m + f_k)],  KR = mean_k [mean f_k|y=k - mean f_k|y!=k]).
       torchlip 1.0.5 (functional.hkr_multiclass_loss) computes instead
           L_t = a * H'_{m'} - (1 - a) * KR,   a in [0, 1],
       with H'_{m'} the same hinge but relu(m'/2 -/+ f) (HALF the margin it is given), and it silently
       replaces an a > 1 by a/(1+a) (with a warning). Dividing L by (1 + alpha):
           alpha * H_m - KR = (1 + alpha) * L_t   with  a = alpha / (1 + alpha),  m' = 2 m,
       exactly (same KR, same (C-1) re-weighting, same 1/C mean). So this script passes
       HKRMulticlassLoss(alpha=alpha/(1+alpha), min_margin=2*margin): the gradients are the deel-lip
       ones divided by (1 + alpha), which Adam does not see (it is scale invariant up to its epsilon).
       The reported losses are multiplied back by (1 + alpha) so they read as LipService's; the run
       checks the identity once on real outputs ("loss_crosscheck" in the JSON).
  tau  deel.torchlip.TauCrossEntropyLoss(tau): cross_entropy(tau * f, y) / tau (labels as indices).
  offset  LipService's offset-cce (Prach et al. 2023; MulticlassLosses.OffsetCrossEntropy), written
       here in plain torch (torchlip has no such loss): T * cross_entropy((f - mu * onehot(y)) / T, y),
       mean over the batch, with mu = --margin (>= 0) and T = 1 / --tau (--tau 4 is T = 0.25).

Evaluation after each epoch, on the 10,000 test images (not counted in the epoch's training time):
clean accuracy and certified accuracy at eps = 0.3, 1.0, 1.58: the fraction of samples whose
signed radius (f_y - max_{k!=y} f_k) / (sqrt(2) * L) is > eps (strict), with L = 1. L = 1 is
torchlip's NOMINAL constant (each SpectralConv2d/SpectralLinear is reparametrised to a spectral
norm of about 1 by power iteration + Bjorck; the conv's coverage factor is the worst-case
1/sqrt(kh*kw)); it is not a measured bound. sqrt(2) because the 10 outputs are jointly 1-Lipschitz.
torchlip's eval mode reads the Bjorck-projected weights cached by the last TRAINING forward, i.e.
computed before the last optimizer step; that is what a torchlip user gets after model.eval(), and
it is the default here. --refresh-eval runs one no-grad train-mode forward first (outside the timing).

Data: the four MNIST IDX .gz files read with numpy (--data-dir, default ../shared/data/mnist from
the repository root). deel.torchlip must be importable (PYTHONPATH=../shared/peers/deel-torchlip).
--limit N (smoke checks only) trains on the first N training images and evaluates on the first 1,000
test images.
The last line printed is one JSON object with every figure of the run.
"""
import argparse
import gzip
import json
import math
import os
import platform
import struct
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "data", "mnist"))
EPSILONS = [0.3, 1.0, 1.58]
CLASSES = 10
EVAL_BATCH = 1000


def read_idx_gz(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    z1, z2, code, ndim = struct.unpack(">BBBB", raw[:4])
    if z1 or z2 or code != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * ndim, raw[4 : 4 + 4 * ndim])
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if data.size != int(np.prod(dims)):
        raise ValueError(f"{path}: expected {dims} values, found {data.size}")
    return data.reshape(dims)


def load_split(data_dir, prefix):
    x = read_idx_gz(os.path.join(data_dir, f"{prefix}-images-idx3-ubyte.gz"))
    y = read_idx_gz(os.path.join(data_dir, f"{prefix}-labels-idx1-ubyte.gz"))
    x = torch.from_numpy(x.astype(np.float32) / 255.0).reshape(-1, 1, 28, 28).contiguous()
    return x, torch.from_numpy(y.astype(np.int64))


def int_list(text):
    return [int(v) for v in text.split(",") if v.strip()]


def build_model(channels, hidden, arch="spectral"):
    from deel import torchlip

    layers, in_ch, side = [], 1, 28
    for c in channels:
        if arch == "ortho-shapes":
            layers += [
                torchlip.SpectralConv2d(in_ch, c, kernel_size=3, padding=1, padding_mode="circular", bias=True),
                torchlip.GroupSort2(),
                # coverage coefficient 1 (stride = kernel size: disjoint patches), see the docstring
                torchlip.SpectralConv2d(c, 2 * c, kernel_size=2, stride=2, padding=0, bias=True),
                torchlip.GroupSort2(),
            ]
            in_ch, side = 2 * c, side // 2
        else:
            layers += [
                torchlip.SpectralConv2d(in_ch, c, kernel_size=3, padding="same", padding_mode="zeros", bias=True),
                torchlip.GroupSort2(),
                torchlip.ScaledL2NormPool2d(kernel_size=2),
            ]
            in_ch, side = c, side // 2
    layers.append(torch.nn.Flatten())
    width = in_ch * side * side
    for h in hidden:
        layers += [torchlip.SpectralLinear(width, h), torchlip.GroupSort2()]
        width = h
    layers.append(torchlip.SpectralLinear(width, CLASSES))
    return torchlip.Sequential(*layers)


def offset_cross_entropy(f, y, offset, temperature):
    """LipService's offset-cce: T * CE((f - mu * onehot(y)) / T, y), mean over the batch."""
    shifted = f - offset * torch.nn.functional.one_hot(y, f.shape[1]).to(f.dtype)
    return torch.nn.functional.cross_entropy(shifted / temperature, y) * temperature


# deel-lip / LipService convention, written out (for the cross-check only).
def deel_hkr(f, y, alpha, margin):
    pos = torch.nn.functional.one_hot(y, f.shape[1]).to(f.dtype)
    neg = 1.0 - pos
    kr = ((f * pos).sum(0) / pos.sum(0) - (f * neg).sum(0) / neg.sum(0)).mean()
    sign = 2.0 * pos - 1.0
    hinge = (torch.relu(margin - sign * f) * (pos * (f.shape[1] - 1) + neg)).mean(1).mean()
    return alpha * hinge - kr


def make_loss(args):
    from deel import torchlip

    if args.loss == "hkr":
        a = args.alpha / (1.0 + args.alpha)
        fn = torchlip.HKRMulticlassLoss(alpha=a, min_margin=2.0 * args.margin)
        scale = 1.0 + args.alpha

        def loss(f, y):  # HKRMulticlassLoss wants one-hot targets
            return fn(f, torch.nn.functional.one_hot(y, CLASSES).to(f.dtype))

        return loss, scale, {"loss": "hkr", "alpha": args.alpha, "margin": args.margin,
                             "torchlip_alpha": a, "torchlip_min_margin": 2.0 * args.margin,
                             "reported_loss_scale": scale}
    if args.loss == "offset":
        temperature = 1.0 / args.tau
        return (lambda f, y: offset_cross_entropy(f, y, args.margin, temperature)), 1.0, \
            {"loss": "offset", "margin": args.margin, "tau": args.tau, "temperature": temperature}
    fn = torchlip.TauCrossEntropyLoss(tau=args.tau)
    return (lambda f, y: fn(f, y)), 1.0, {"loss": "tau", "tau": args.tau}


@torch.no_grad()
def evaluate(model, x, y):
    model.eval()
    f = torch.cat([model(x[k : k + EVAL_BATCH]) for k in range(0, x.shape[0], EVAL_BATCH)])
    own = f.gather(1, y[:, None]).squeeze(1)
    others = f.scatter(1, y[:, None], float("-inf")).max(1).values
    radius = (own - others) / (math.sqrt(2.0) * 1.0)  # L = 1, torchlip's nominal constant
    out = {"val_acc": float((f.argmax(1) == y).float().mean())}
    out["certified_acc"] = {str(e): float((radius > e).float().mean()) for e in EPSILONS}
    return f, out


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--channels", type=int_list, default=[32, 64], help="conv widths, e.g. 32,64")
    p.add_argument("--hidden", type=int_list, default=[256], help="dense widths before the 10 outputs, e.g. 256")
    p.add_argument("--arch", choices=["spectral", "ortho-shapes"], default="spectral",
                   help="spectral: conv 3x3 + L2-norm pooling (mnist10-conv); ortho-shapes: the shapes of "
                        "LipService's ortho-conv (circular 3x3 conv, 2x2 stride-2 conv to 2c) with torchlip's "
                        "spectral layers")
    p.add_argument("--loss", choices=["hkr", "tau", "offset"], default="hkr")
    p.add_argument("--alpha", type=float, default=10.0, help="deel-lip/LipService alpha >= 0 (alpha*hinge - KR)")
    p.add_argument("--margin", type=float, default=1.0,
                   help="hkr: deel-lip/LipService full margin m; offset: the offset mu (LipService's --min-margin)")
    p.add_argument("--tau", type=float, default=10.0, help="tau: tau; offset: 1/T (LipService's --tau)")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    p.add_argument("--data-dir", default=DEFAULT_DATA)
    p.add_argument("--limit", type=int, default=0,
                   help="smoke checks: train on the first N images and test on the first 1000 (0: all)")
    p.add_argument("--refresh-eval", action="store_true",
                   help="before each evaluation, one no-grad train-mode forward, so eval uses the current "
                        "weights (torchlip's eval mode reuses the Bjorck weights of the last training "
                        "forward, i.e. from before the last optimizer step)")
    args = p.parse_args()
    if args.alpha < 0:
        p.error("--alpha must be >= 0 (deel-lip convention)")
    if args.loss == "offset" and not (args.margin >= 0 and math.isfinite(args.margin)):
        p.error("--margin (the offset mu) must be a finite number >= 0")
    if args.loss in ("tau", "offset") and not (args.tau > 0 and math.isfinite(args.tau)):
        p.error("--tau must be a positive finite number")
    if args.limit < 0:
        p.error("--limit must be >= 0")

    t_start = time.perf_counter()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    from deel import torchlip

    x_train, y_train = load_split(args.data_dir, "train")
    x_test, y_test = load_split(args.data_dir, "t10k")
    if args.limit:
        x_train, y_train = x_train[: args.limit], y_train[: args.limit]
        x_test, y_test = x_test[:EVAL_BATCH], y_test[:EVAL_BATCH]
    model = build_model(args.channels, args.hidden, args.arch)
    n_params = sum(p.numel() for p in model.parameters())
    loss_fn, scale, loss_info = make_loss(args)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    shuffle = torch.Generator().manual_seed(args.seed)
    print(f"[torchlip_conv] train {len(y_train)}, test {len(y_test)}; arch {args.arch}, channels {args.channels}, hidden "
          f"{args.hidden}, {n_params} parameters; {loss_info}; torch {torch.__version__}, "
          f"threads {torch.get_num_threads()}, torchlip {torchlip.__version__}", flush=True)

    crosscheck = None
    if args.loss == "hkr":
        model.train()  # train mode: the normalised weights are computed (eval reads a cache)
        with torch.no_grad():
            f0, y0 = model(x_train[:512]), y_train[:512]
            ours, theirs = float(deel_hkr(f0, y0, args.alpha, args.margin)), float(scale * loss_fn(f0, y0))
        crosscheck = {"deel_lip_form": ours, "torchlip_times_1_plus_alpha": theirs, "abs_diff": abs(ours - theirs)}

    n, bs = x_train.shape[0], args.batch_size
    history = []
    for epoch in range(1, args.epochs + 1):
        t0 = time.perf_counter()
        model.train()
        perm = torch.randperm(n, generator=shuffle)
        loss_sum, correct, steps = 0.0, 0, 0
        for s in range(0, n, bs):
            idx = perm[s : s + bs]
            xb, yb = x_train[idx], y_train[idx]
            optimizer.zero_grad(set_to_none=True)
            f = model(xb)
            loss = loss_fn(f, yb)
            loss.backward()
            optimizer.step()
            loss_sum += float(loss) * scale
            correct += int((f.detach().argmax(1) == yb).sum())
            steps += 1
        train_s = time.perf_counter() - t0
        if args.refresh_eval:  # one train-mode forward recomputes the Bjorck-projected weights
            model.train()
            with torch.no_grad():
                model(x_train[:1])
        _, val = evaluate(model, x_test, y_test)
        eval_s = time.perf_counter() - t0 - train_s
        row = {"epoch": epoch, "loss": loss_sum / steps, "acc": correct / n, **val,
               "train_s": train_s, "eval_s": eval_s, "epoch_s": train_s + eval_s}
        history.append(row)
        cert = " ".join(f"cert@{e}: {v:.4f}" for e, v in val["certified_acc"].items())
        print(f"[torchlip_conv] epoch {epoch}/{args.epochs} {steps} steps - loss: {row['loss']:.4f} - "
              f"acc: {row['acc']:.4f} - val_acc: {val['val_acc']:.4f} - {cert} - train {train_s:.2f}s "
              f"({train_s / steps * 1000:.1f} ms/step), eval {eval_s:.2f}s", flush=True)

    # The exported plain-torch model (Conv2d / LPPool2d / Linear; GroupSort2 stays torchlip's).
    exported = model.vanilla_export().eval()
    with torch.no_grad():
        xs = x_test[:EVAL_BATCH]
        model.eval()
        export_diff = float((exported(xs) - model(xs)).abs().max())

    final = history[-1] if history else {}
    print(json.dumps({
        "name": "torchlip_conv_mnist10",
        "torch": torch.__version__,
        "torchlip": torchlip.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "threads": torch.get_num_threads(),
        "seed": args.seed,
        "architecture": {"arch": args.arch, "channels": args.channels, "hidden": args.hidden, "kernel": 3,
                         **({"padding": "1, circular", "downsampling": "SpectralConv2d(c, 2c, 2, stride=2), coefficient 1"}
                            if args.arch == "ortho-shapes" else {"padding": "same", "pool": "ScaledL2NormPool2d(2)"}),
                         "activation": "GroupSort2", "head": "SpectralLinear(10)", "n_params": int(n_params)},
        "limit": args.limit,
        "hyper": {**loss_info, "lr": args.lr, "batch_size": args.batch_size, "epochs": args.epochs,
                  "refresh_eval": args.refresh_eval},
        "lipschitz_constant": "nominal L = 1 (torchlip's; not measured), radius (top1 - top2)/(sqrt(2) L)",
        "loss_crosscheck": crosscheck,
        "history": history,
        "epoch_train_s": [h["train_s"] for h in history],
        "epoch_s": [h["epoch_s"] for h in history],  # training + the test-set evaluation (Keras' epoch time)
        "total_train_s": sum(h["train_s"] for h in history),
        "final": {k: final.get(k) for k in ("loss", "acc", "val_acc", "certified_acc")},
        "export_max_abs_diff": export_diff,
        "wall_s": time.perf_counter() - t_start,
    }), flush=True)


if __name__ == "__main__":
    main()
