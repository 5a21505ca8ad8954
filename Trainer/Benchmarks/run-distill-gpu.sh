#!/usr/bin/env bash
# Runs on the GPU machine: the distillation benchmark with --device cuda from the pack publish-gpu.sh made (unpacked
# here once; a warm machine keeps it), data from stage-data.sh. The pack and Fashion-MNIST together exceed what one
# call carries, so each workload may come in its own call.
# Usage: OUT=/some/dir NAME=distill-cuda-gpt bash Trainer/Benchmarks/run-distill-gpu.sh --workloads gpt [options]
set -euo pipefail
out=${OUT:?set OUT to the folder for results}
name=${NAME:-distill-cuda}
data=${DATA:-.pack/data}
if [ ! -x .pack/unpacked/trainer/GreenTrain.Benchmarks ]; then mkdir -p .pack/unpacked && tar -C .pack/unpacked -xJf .pack/greentrain-trainer.tar.xz; fi
. "$(dirname "${BASH_SOURCE[0]}")/gpu-env.sh"
LD_LIBRARY_PATH="$torch_library_path" .pack/unpacked/trainer/GreenTrain.Benchmarks distill --device cuda --libtorch "$libtorch" \
  --text "$data/fortunes" --fashion "$data/fashion-mnist" --output "$out/$name.json" "$@" 2>&1 | tee "$out/$name.log"
