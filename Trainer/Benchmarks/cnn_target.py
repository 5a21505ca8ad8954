#!/usr/bin/env python3
"""PyTorch peer of GreenTrain's `bench-cnn` (CnnTargetCommand.cs): energy and time for the benchmark CNN to reach
91% Fashion-MNIST test accuracy, over several seeds, in tf32 and bf16 autocast, with PyTorch's default AdamW
(foreach) and with its fused AdamW, evaluating the test set every --eval-every steps (the same loop and recipe as
pytorch_reference.py's time_to_target). Writes OUT/cnn-target-pytorch.json.
Usage: python3 cnn_target.py --out DIR [--fashion DIR] [--seeds 3] [--eval-every 50]
"""
import argparse
import json
import os

from pytorch_reference import ImageData, time_to_target, try_nvml


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--fashion", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--eval-every", type=int, default=50)
    parser.add_argument("--steps", type=int, default=2110)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    nvml = try_nvml()
    data = ImageData(args.fashion, "cuda")
    time_to_target(data, "tf32", nvml, 50, 50)  # warm-up: cuDNN's algorithm search and the CUDA context, not timed
    rows = []
    for fused in (False, True):
        for setting in ("tf32", "bf16"):
            for seed in range(1, args.seeds + 1):
                r = time_to_target(data, setting, nvml, args.steps, args.eval_every, seed=seed, fused=fused)
                rows.append(r)
                print(f"{r['framework']} {setting} seed {seed}: reached {r['reached']} at step {r['steps']} in {r['seconds']:.2f} s, {r['joules']} J", flush=True)
    with open(os.path.join(args.out, "cnn-target-pytorch.json"), "w") as f:
        json.dump(rows, f, indent=2)


if __name__ == "__main__":
    main()
