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
python=python3
"$python" -c "import torch" 2>/dev/null || python=/opt/torch/.venv/bin/python3
libtorch=$("$python" -c "import os, torch; print(os.path.join(os.path.dirname(torch.__file__), 'lib'))")
nvidia=$(find "$(dirname "$libtorch")/../nvidia" -maxdepth 2 -name lib -type d 2>/dev/null | tr '\n' ':')
LD_LIBRARY_PATH="$libtorch:$nvidia${LD_LIBRARY_PATH:-}" "$pack/GreenTrain.Benchmarks" moe --device cuda --libtorch "$libtorch" \
  --text "$data/fortunes" --output "$out/$name.json" "$@" 2>&1 | tee "$out/$name.log"
