#!/usr/bin/env python3
"""Summarises cnn-target-torchsharp.json and cnn-target-pytorch.json (bench-cnn, cnn_target.py) as Markdown:
mean steps, seconds and joules to 91% per framework and setting over the seeds, and GreenTrain's best mean energy
against PyTorch's best. Usage: python3 compare_cnn.py DIR"""
import json
import os
import statistics
import sys


def main(folder):
    rows = json.load(open(os.path.join(folder, "cnn-target-torchsharp.json"))) + json.load(open(os.path.join(folder, "cnn-target-pytorch.json")))
    groups = {}
    for r in rows:
        groups.setdefault((r["framework"], r["setting"]), []).append(r)
    print("| framework | setting | runs reaching 91% | mean steps | mean seconds | mean joules | joules per seed |")
    print("| --- | --- | ---: | ---: | ---: | ---: | --- |")
    means = {}
    for (framework, setting), runs in groups.items():
        joules = [r["joules"] for r in runs]
        means[(framework, setting)] = statistics.mean(joules)
        print(f"| {framework} | {setting} | {sum(r['reached'] for r in runs)}/{len(runs)} | {statistics.mean(r['steps'] for r in runs):.0f} "
              f"| {statistics.mean(r['seconds'] for r in runs):.2f} | {means[(framework, setting)]:.0f} | {', '.join(f'{j:.0f}' for j in joules)} |")
    ours = min((v, k) for k, v in means.items() if k[0] == "torchsharp")
    theirs = min((v, k) for k, v in means.items() if k[0] != "torchsharp")
    print(f"\nGreenTrain's best ({ours[1][1]}) {ours[0]:.0f} J against PyTorch's best ({theirs[1][0]} {theirs[1][1]}) {theirs[0]:.0f} J: {ours[0] / theirs[0]:.2f}x")


if __name__ == "__main__":
    main(sys.argv[1])
