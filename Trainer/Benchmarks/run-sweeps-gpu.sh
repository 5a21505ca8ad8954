#!/usr/bin/env bash
# Runs on the GPU machine: the sweeps benchmark (grid beside successive halving, ASHA and Hyperband, issue 17) with
# --device cuda, so every trial trains on the GPU and its energy comes from NVML, from the pack publish-gpu.sh made
# (the benchmark program travels beside the Trainer).
# PACK names the unpacked folder (default .pack/unpacked/trainer), DATA the staged data (stage-data.sh).
# Usage: OUT=/some/dir bash Trainer/Benchmarks/run-sweeps-gpu.sh [benchmark options, e.g. --workloads cnn --seeds 3 --cnn-steps 81]
set -euo pipefail
out=${OUT:?set OUT to the folder for results}
pack=${PACK:-.pack/unpacked/trainer}
data=${DATA:-.pack/data}
mkdir -p "$out"
. "$(dirname "${BASH_SOURCE[0]}")/gpu-env.sh"
LD_LIBRARY_PATH="$torch_library_path" "$pack/GreenTrain.Benchmarks" sweeps --device cuda --libtorch "$libtorch" \
  --fashion "$data/fashion-mnist" --reports "$out/sweep-reports" --output "$out/sweeps-cuda.json" "$@" 2>&1 | tee "$out/sweeps-cuda.log"
