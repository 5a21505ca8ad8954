#!/usr/bin/env bash
# Runs on the GPU machine: the MoE benchmark (a mixture-of-experts GPT beside dense GPTs of equal active and equal
# total parameters) with --device cuda, from the pack publish-gpu.sh made (the benchmark program travels beside the
# Trainer). PACK names the unpacked folder (default .pack/unpacked/trainer), DATA the staged data (stage-data.sh).
# Usage: OUT=/some/dir bash Trainer/Benchmarks/run-moe-gpu.sh [benchmark options, e.g. --steps 2000 --top-k 2]
set -euo pipefail
out=${OUT:?set OUT to the folder for results}
pack=${PACK:-.pack/unpacked/trainer}
data=${DATA:-.pack/data}
name=${NAME:-moe-cuda}
mkdir -p "$out"
. "$(dirname "${BASH_SOURCE[0]}")/gpu-env.sh"
LD_LIBRARY_PATH="$torch_library_path" "$pack/GreenTrain.Benchmarks" moe --device cuda --libtorch "$libtorch" \
  --text "$data/fortunes" --output "$out/$name.json" "$@" 2>&1 | tee "$out/$name.log"
