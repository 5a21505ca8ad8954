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
python=python3
"$python" -c "import torch" 2>/dev/null || python=/opt/torch/.venv/bin/python3
libtorch=$("$python" -c "import os, torch; print(os.path.join(os.path.dirname(torch.__file__), 'lib'))")
# The benchmark program loads LibTorch through the loader's path (the Trainer relaunches itself with it; this one does not).
nvidia=$(find "$(dirname "$libtorch")/../nvidia" -maxdepth 2 -name lib -type d 2>/dev/null | tr '\n' ':')
LD_LIBRARY_PATH="$libtorch:$nvidia${LD_LIBRARY_PATH:-}" "$pack/GreenTrain.Benchmarks" sweeps --device cuda --libtorch "$libtorch" \
  --fashion "$data/fashion-mnist" --reports "$out/sweep-reports" --output "$out/sweeps-cuda.json" "$@" 2>&1 | tee "$out/sweeps-cuda.log"
