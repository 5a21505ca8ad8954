#!/usr/bin/env bash
# Runs on the GPU machine: the training-methods benchmark (dense beside pruning, 2:4, QAT and post-training int8)
# with --device cuda, from the pack publish-gpu.sh made (the benchmark program travels beside the Trainer).
# PACK names the unpacked folder (default .pack/unpacked/trainer), DATA the staged data (stage-data.sh).
# Usage: OUT=/some/dir bash Trainer/Benchmarks/run-methods-gpu.sh [benchmark options, e.g. --workloads cnn --cnn-steps 2000]
set -euo pipefail
out=${OUT:?set OUT to the folder for results}
pack=${PACK:-.pack/unpacked/trainer}
data=${DATA:-.pack/data}
mkdir -p "$out"
. "$(dirname "${BASH_SOURCE[0]}")/gpu-env.sh"
LD_LIBRARY_PATH="$torch_library_path" "$pack/GreenTrain.Benchmarks" methods --device cuda --libtorch "$libtorch" \
  --fashion "$data/fashion-mnist" --text "$data/fortunes" --output "$out/methods-cuda.json" "$@" 2>&1 | tee "$out/methods-cuda.log"
