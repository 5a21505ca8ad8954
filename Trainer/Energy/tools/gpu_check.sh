#!/usr/bin/env bash
# The GPU agreement check and the meter's overhead on the GPU machine, in one go (its time is scarce).
# usage: gpu_check.sh BENCH_DIR OUT_DIR
#   BENCH_DIR: a self-contained publish of Trainer/Energy/Bench (see docs/telemetry.md)
#   OUT_DIR:   where python_nvml.csv, run/energy.jsonl, nvml_agreement.csv and overhead/ go
# Reads NVML only: no power limit, clock or other device setting is changed.
set -euo pipefail
bench="$1"; out="$2"; here="$(cd "$(dirname "$0")" && pwd)"
python="${PYTHON:-python3}"
[ -x /opt/torch/.venv/bin/python3 ] && python="${PYTHON:-/opt/torch/.venv/bin/python3}"
mkdir -p "$out"
nvidia-smi --query-gpu=name,driver_version,power.draw --format=csv > "$out/gpu.csv" 2>&1 || true

# The independent reader samples the counter every 20 ms for 80 s and keeps the GPU busy meanwhile.
"$python" "$here/nvml_read.py" --seconds 80 --interval 0.02 --load --out "$out/python_nvml.csv" &
reader=$!
sleep 8 # torch start-up and the first samples, so every window lies inside the samples
"$bench/GreenTrain.Energy.Bench" gpu-check --windows 6 --seconds 10 --out "$out/run" | tee "$out/gpu_check.log"
wait "$reader"
"$python" "$here/compare_nvml.py" --windows "$out/run/energy.jsonl" --samples "$out/python_nvml.csv" \
    --out "$out/nvml_agreement.csv" | tee "$out/nvml_agreement.log"
agreement=${PIPESTATUS[0]}

"$bench/GreenTrain.Energy.Bench" overhead --out "$out/overhead" | tee "$out/overhead.log"
exit "$agreement"
