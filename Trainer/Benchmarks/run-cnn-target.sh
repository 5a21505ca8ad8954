#!/usr/bin/env bash
# Runs on the GPU machine: energy to 91% Fashion-MNIST test accuracy, GreenTrain (`bench-cnn`) then PyTorch
# (cnn_target.py: default and fused AdamW) on the same GPU, one after the other, and the summary (compare_cnn.py).
# TRAINER names the unpacked GreenTrain.Trainer (publish-gpu.sh's pack); DATA the staged data (stage-data.sh).
# Usage: OUT=/some/dir TRAINER=.../GreenTrain.Trainer DATA=.pack/data bash Trainer/Benchmarks/run-cnn-target.sh [--seeds 3]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${OUT:?set OUT to the folder for results}
trainer=$(realpath "${TRAINER:?set TRAINER to the unpacked GreenTrain.Trainer}")
data=$(cd "${DATA:?set DATA to the staged data folder}" && pwd)
mkdir -p "$out"
. "$(dirname "${BASH_SOURCE[0]}")/gpu-env.sh"
"$trainer" bench-cnn --out "$out" --device cuda --libtorch "$libtorch" --fashion "$data/fashion-mnist" "$@" 2>&1 | tee "$out/cnn-torchsharp.log"
(cd "$here" && "$python" cnn_target.py --out "$out" --fashion "$data/fashion-mnist" "$@") 2>&1 | tee "$out/cnn-pytorch.log"
"$python" "$here/compare_cnn.py" "$out" | tee "$out/cnn-target.md"
