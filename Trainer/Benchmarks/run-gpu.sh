#!/usr/bin/env bash
# Runs on the GPU machine, from the repository root, after publish-gpu.sh and stage-data.sh here:
# unpacks the Trainer, runs GreenTrain's benchmark and the PyTorch reference on the same GPU one after
# the other, and writes both JSON files, the logs and benchmarks.md (the comparison) into $OUT.
# Usage: OUT=/some/dir bash Trainer/Benchmarks/run-gpu.sh [--quick]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${OUT:?set OUT to the folder for results}
mkdir -p "$out"
. "$(dirname "${BASH_SOURCE[0]}")/gpu-env.sh"
data="$root/.pack/data"
work=$(mktemp -d)
tar -C "$work" -xJf "$root/.pack/greentrain-trainer.tar.xz"
nvidia-smi --query-gpu=name,power.draw,temperature.gpu,clocks.sm --format=csv > "$out/gpu-before.csv" 2>&1 || true
"$work/trainer/GreenTrain.Trainer" bench --out "$out" --device cuda --libtorch "$libtorch" \
  --fashion "$data/fashion-mnist" --text "$data/fortunes" "$@" 2>&1 | tee "$out/greentrain.log"
"$python" "$root/Trainer/Benchmarks/pytorch_reference.py" --out "$out" --fashion "$data/fashion-mnist" --text "$data/fortunes" "$@" 2>&1 | tee "$out/pytorch.log"
"$python" "$root/Trainer/Benchmarks/compare.py" "$out" | tee "$out/benchmarks.md"
