#!/usr/bin/env bash
# Runs on the GPU machine after publish-gpu.sh and stage-data.sh here: GreenTrain's `bench-gpt` (as built,
# then with .NET's GC given a larger gen0 budget, since every TorchSharp op allocates a finalizable Tensor)
# and gpt_profile.py (PyTorch eager, eager with fused AdamW, torch.compile) on the same GPU, one after the other.
# Usage: OUT=/some/dir bash Trainer/Benchmarks/run-gpt-profile.sh [--batches 32,64,128]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${OUT:?set OUT to the folder for results}
mkdir -p "$out"
. "$(dirname "${BASH_SOURCE[0]}")/gpu-env.sh"
work=$(mktemp -d)
tar -C "$work" -xJf "$root/.pack/greentrain-trainer.tar.xz"
text="$root/.pack/data/fortunes"
"$work/trainer/GreenTrain.Trainer" bench-gpt --out "$out/as-built" --device cuda --libtorch "$libtorch" --text "$text" "$@" 2>&1 | tee "$out/torchsharp.log"
DOTNET_GCgen0size=0x10000000 "$work/trainer/GreenTrain.Trainer" bench-gpt --out "$out/gen0-256mb" --device cuda --libtorch "$libtorch" --text "$text" "$@" 2>&1 | tee "$out/torchsharp-gen0.log"
(cd "$root/Trainer/Benchmarks" && "$python" gpt_profile.py --out "$out" --text "$text" "$@") 2>&1 | tee "$out/pytorch.log"
