#!/usr/bin/env bash
# Publishes the Trainer (and the benchmark program beside it) self-contained for linux-x64 WITHOUT libtorch-cpu (GreenTrainExternalLibTorch=true),
# for a GPU machine whose LibTorch comes from its PyTorch install (see docs/GPU notes), and packs it into
# .pack/greentrain-trainer.tar.xz (git-ignored) so it can travel with the working tree.
# Usage: bash Trainer/Benchmarks/publish-gpu.sh        (from the repository root)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
pack="$root/.pack"
rm -rf "$pack/trainer" "$pack/artifacts"
mkdir -p "$pack"
# A separate artifacts path keeps this restore (without libtorch-cpu) away from the normal obj/ folders.
dotnet publish "$root/Trainer/GreenTrain.Trainer.csproj" -c Release -r linux-x64 --self-contained \
  -p:GreenTrainExternalLibTorch=true -p:InvariantGlobalization=true -p:DebugType=none \
  --artifacts-path "$pack/artifacts" -o "$pack/trainer"
# The benchmark program (methods, dedup, resume, cross-device verbs) into the same folder: it shares the runtime and
# every dependency with the Trainer, so the pack grows by its own small assemblies only.
dotnet publish "$root/tests/GreenTrain.Benchmarks/GreenTrain.Benchmarks.csproj" -c Release -r linux-x64 --self-contained \
  -p:GreenTrainExternalLibTorch=true -p:InvariantGlobalization=true -p:DebugType=none \
  --artifacts-path "$pack/artifacts" -o "$pack/trainer"
# The examples travel beside the app.
cp -r "$root/Trainer/examples" "$pack/trainer/"
# xz: gzip gave 50 MB, xz about 37 MB.
tar -C "$pack" -cf - trainer | xz -6 -T0 > "$pack/greentrain-trainer.tar.xz"
rm -rf "$pack/artifacts" "$pack/trainer"
size=$(du -m "$pack/greentrain-trainer.tar.xz" | cut -f1)
echo "packed $pack/greentrain-trainer.tar.xz (${size} MB)"
if [[ $size -ge 40 ]]; then echo "warning: the pack is ${size} MB; the working tree that travels must stay under 64 MiB" >&2; fi
