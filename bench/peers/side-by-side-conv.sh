#!/usr/bin/env bash
# Side by side, in one run on this machine: the multiclass convolutional 1-Lipschitz network on MNIST
# (10 digits; LipService's mnist10-conv: SpectralConv2D 1→16 + L2-norm pooling + SpectralDense 256 + 10
# outputs, GroupSort2, HKR α = 50, m = 0.5) trained for N epochs by deel-torchlip 1.0.5
# (bench/peers/torchlip_conv_mnist10.py) and then by LipService, both on one thread.
#
#   bench/peers/side-by-side-conv.sh [N]        N epochs each (default 2)
#   ARCH=ortho bench/peers/side-by-side-conv.sh [N]
#
# ARCH=ortho compares LipService's orthogonal network instead (issue 20): ours runs
#   train --preset mnist10-conv --architecture ortho-conv --channels 16,32 --hidden 256 --loss offset-cce
#         --min-margin 3 --tau 4 --batch-size 256 --device cpu
# (per channel entry c: BCOP 3x3 circular conv → GroupSort2 → 2x2/stride-2 orthogonal conv to 2c → GroupSort2;
# dense 256 → GroupSort2; 10 outputs), and torchlip the same shapes with its spectral layers (it has no
# orthogonal convolution): --arch ortho-shapes --channels 16,32 --hidden 256 --loss offset --margin 3 --tau 4
# --batch-size 256 (see the script's docstring). Overridable there, for both sides at once: CHANNELS (16,32),
# HIDDEN (256), LOSS (offset | tau | hkr: LipService's offset-cce | tau-cce | hkr), MARGIN (3: offset-cce's μ,
# or hkr's m), TAU (4: τ = 1/T), ALPHA (50, hkr only), BATCH (256). Unset ARCH (or ARCH=spectral) is the
# default run below, unchanged.
#
# Run from anywhere after `dotnet build -c Release`; paths are taken from the repository root, with
# deel-torchlip and MNIST from ../shared (shared/peers/deel-torchlip, shared/data/mnist).
# Environment: LIPSERVICE_DLL (default src/LipService.Api/bin/Release/net10.0/LipService.Api.dll),
# TORCHLIP_ARGS (extra options for the torchlip script, e.g. "--seed 1"), OURS_ARGS (extra options for
# LipService's train command), SKIP_OURS=1 (torchlip only), ARCH and the variables above.
# Needs Debian's python3-torch and python3-numpy (installed with apt-get when missing) and OpenBLAS from
# libopenblas0-pthread, extracted into a temporary folder and used with one thread, as shared/peers/side-by-side.
# Prints each side's seconds per epoch, the ratio torchlip / LipService, and both test accuracies.
# The machine is shared and noisy: compare only within one run, and repeat a run before believing a ratio.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"
N=${1:-2}
PEERS=$(cd "$ROOT/../shared/peers" && pwd)
MNIST=../shared/data/mnist
DLL=${LIPSERVICE_DLL:-src/LipService.Api/bin/Release/net10.0/LipService.Api.dll}
PY=/usr/bin/python3
# The two sides' options. Default (ARCH unset or spectral): today's run, mnist10-conv's own settings
# (its cosine schedule changes no step's cost).
case "${ARCH:-spectral}" in
  spectral)
    PEER_OPTS=(--channels 16 --hidden 256 --alpha 50 --margin 0.5)
    OURS_OPTS=() ;;
  ortho)
    CHANNELS=${CHANNELS:-16,32} HIDDEN=${HIDDEN:-256} LOSS=${LOSS:-offset} MARGIN=${MARGIN:-3} TAU=${TAU:-4}
    ALPHA=${ALPHA:-50} BATCH=${BATCH:-256}
    case "$LOSS" in
      offset) PEER_LOSS=(--loss offset --margin "$MARGIN" --tau "$TAU"); OURS_LOSS=(--loss offset-cce --min-margin "$MARGIN" --tau "$TAU") ;;
      tau)    PEER_LOSS=(--loss tau --tau "$TAU"); OURS_LOSS=(--loss tau-cce --tau "$TAU") ;;
      hkr)    PEER_LOSS=(--loss hkr --alpha "$ALPHA" --margin "$MARGIN"); OURS_LOSS=(--loss hkr --alpha "$ALPHA" --min-margin "$MARGIN") ;;
      *) echo "LOSS must be offset, tau or hkr (got '$LOSS')" >&2; exit 2 ;;
    esac
    PEER_OPTS=(--arch ortho-shapes --channels "$CHANNELS" --hidden "$HIDDEN" "${PEER_LOSS[@]}" --batch-size "$BATCH")
    OURS_OPTS=(--architecture ortho-conv --channels "$CHANNELS" --hidden "$HIDDEN" "${OURS_LOSS[@]}" --batch-size "$BATCH" --device cpu) ;;
  *) echo "ARCH must be spectral or ortho (got '$ARCH')" >&2; exit 2 ;;
esac
WORK=$(mktemp -d /tmp/side-by-side-conv.XXXX)
trap 'rm -rf "$WORK/openblas" "$WORK"/*.deb' EXIT   # the logs stay in $WORK

need() { $PY -c "import $1" 2>/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $2 >/dev/null; }; }
openblas() {
  OB=$WORK/openblas/usr/lib/x86_64-linux-gnu/openblas-pthread
  (cd "$WORK" && apt-get download libopenblas0-pthread >/dev/null 2>&1 && dpkg-deb -x libopenblas0-pthread_*.deb "$WORK/openblas")
}
peer() { env PYTHONPATH="$PEERS/deel-torchlip" LD_LIBRARY_PATH="$OB" OPENBLAS_NUM_THREADS=1 $PY "$@"; }

# ---------------------------------------------------------------------------------------------------
# ours: LipService's side. Prints ONE line "SECONDS_PER_EPOCH VAL_ACC KIND" where KIND is `train` (the
# seconds exclude the per-epoch test evaluation) or `epoch` (they include it, as Keras' and today's
# ConsoleProgress "Ns" do), or returns non-zero. >>> Adjust the command and the parsing here. <<<
# The parsing is loose: per-epoch lines are those with a time ("12.34s", "12.34 s", "train 12.3s",
# "train_s": 12.3, ...); the accuracy is the last "val...acc...: 0.97" (or "... 97.1%") seen. Without any
# per-epoch time it falls back to wall time / N (which then includes start-up and data loading).
# ---------------------------------------------------------------------------------------------------
ours() {
  local log=$WORK/ours.log t0 t1
  t0=$(date +%s.%N)
  # shellcheck disable=SC2086  # OURS_ARGS: words, as TORCHLIP_ARGS
  if ! dotnet "$DLL" train --preset mnist10-conv ${OURS_OPTS[@]+"${OURS_OPTS[@]}"} --epochs "$N" --threads 1 --mnist "$MNIST" --download false ${OURS_ARGS:-} >"$log" 2>&1; then
    echo "LipService train failed (log $log):" >&2; tail -n 15 "$log" >&2; return 1
  fi
  t1=$(date +%s.%N)
  $PY - "$log" "$N" "$t0" "$t1" <<'PY'
import re, sys
log, n, t0, t1 = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
num = r"([0-9]+(?:\.[0-9]+)?)"
# "train_s": 12.3 / train_seconds=12.3 / train time: 12.3   or   train 12.3s / training: 12300 ms
train_keyed = re.compile(r"train(?:ing)?[_ ]?(?:s|sec|seconds|time)\"?\s*[:=]\s*" + num, re.I)
train_unit = re.compile(r"train(?:ing)?\s*[:=]?\s*" + num + r"\s*(ms|s)\b(?!/)", re.I)
time_unit = re.compile(num + r"\s*(ms|s)\b(?!/)")
acc_re = re.compile(r"val(?:idation)?[_ ]?\w*?acc\w*\"?\s*[:=]?\s*" + num + r"\s*(%?)", re.I)
train_times, epoch_times, acc = [], [], None
seconds = lambda m: float(m.group(1)) / (1000.0 if len(m.groups()) > 1 and (m.group(2) or "").lower() == "ms" else 1.0)
for line in open(log, errors="replace"):
    m = acc_re.search(line)
    if m:
        acc = float(m.group(1)) / (100.0 if m.group(2) == "%" or float(m.group(1)) > 1 else 1.0)
    if not re.search(r"epoch|\d+/\d+", line, re.I):
        continue
    m = train_keyed.search(line) or train_unit.search(line)
    if m:
        train_times.append(seconds(m))
        continue
    m = time_unit.search(line)
    if m:
        epoch_times.append(seconds(m))
if train_times:
    print(sum(train_times) / len(train_times), acc if acc is not None else "nan", "train")
elif epoch_times:
    print(sum(epoch_times) / len(epoch_times), acc if acc is not None else "nan", "epoch")
else:
    print((t1 - t0) / n, acc if acc is not None else "nan", "wall")
PY
}

need torch python3-torch; need numpy python3-numpy; openblas
echo "machine: $(lscpu | sed -n 's/^Model name: *//p') x $(nproc) cores; $N epoch(s) each; ARCH=${ARCH:-spectral}" >&2
echo "torchlip: ${PEER_OPTS[*]} ${TORCHLIP_ARGS:-}; LipService: --preset mnist10-conv ${OURS_OPTS[*]+${OURS_OPTS[*]}} ${OURS_ARGS:-}" >&2

# The same network and loss on both sides (PEER_OPTS / OURS_OPTS above).
peer "$HERE/torchlip_conv_mnist10.py" --epochs "$N" --threads 1 --data-dir "$MNIST" "${PEER_OPTS[@]}" ${TORCHLIP_ARGS:-} >"$WORK/torchlip.log" 2>&1 \
  || { echo "torchlip run failed (log $WORK/torchlip.log):" >&2; tail -n 15 "$WORK/torchlip.log" >&2; exit 1; }
theirs=$(tail -n 1 "$WORK/torchlip.log" | $PY -c "
import sys, json; d = json.load(sys.stdin); t, e = d['epoch_train_s'], d['epoch_s']
print(sum(t) / len(t), sum(e) / len(e), d['final']['val_acc'], ' '.join(f'{k}:{v:.4f}' for k, v in d['final']['certified_acc'].items()))")

if [ "${SKIP_OURS:-0}" = 1 ]; then
  ours_line="nan nan skipped"
elif [ ! -f "$DLL" ]; then
  echo "no $DLL: build first (dotnet build -c Release); showing torchlip only" >&2; ours_line="nan nan missing"
else
  ours_line=$(ours) || ours_line="nan nan failed"
fi

$PY - "$theirs" "$ours_line" <<'PY'
import math, sys
t_train, t_epoch, t_acc, t_cert = sys.argv[1].split(" ", 3)
t_train, t_epoch, t_acc = float(t_train), float(t_epoch), float(t_acc)
o_s, o_acc, kind = sys.argv[2].split()
o_s, o_acc = float(o_s), float(o_acc)
print(f"deel-torchlip: {t_train:.2f} s/epoch training only, {t_epoch:.2f} s/epoch with the test evaluation; "
      f"val acc {t_acc:.4f}; certified (L=1, sqrt2) {t_cert}")
if math.isnan(o_s):
    print(f"LipService: {kind}")
    sys.exit(0)
acc = "n/a" if math.isnan(o_acc) else f"{o_acc:.4f}"
what = {"train": "training only", "epoch": "with the test evaluation", "wall": "wall time / N, start-up included"}[kind]
print(f"LipService: {o_s:.2f} s/epoch ({what}); val acc {acc}")
ref = t_train if kind == "train" else t_epoch
print(f"ratio deel-torchlip / LipService ({'training only' if kind == 'train' else 'epoch with evaluation'}): {ref / o_s:.2f}x")
PY
