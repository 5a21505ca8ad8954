#!/usr/bin/env python3
"""Puts bench-greentrain.json and bench-pytorch.json side by side as a Markdown table (stdout).
Usage: python3 compare.py DIR"""
import json
import os
import sys


def load(folder, name):
    with open(os.path.join(folder, name)) as f:
        return json.load(f)


def fmt(value, spec):
    return "n/a" if value is None else format(value, spec)


def main(folder):
    ours, theirs = load(folder, "bench-greentrain.json"), load(folder, "bench-pytorch.json")
    print(f"GreenTrain (TorchSharp): {ours['device']}; PyTorch: {theirs['device']}; energy: {ours.get('energySource')} / {theirs.get('energySource')}\n")
    print("| model | setting | TorchSharp tokens/s | PyTorch tokens/s | ratio | TorchSharp J/token | PyTorch J/token | energy ratio |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    best = {}
    for r in theirs["throughput"]:
        best[r["model"]] = max(best.get(r["model"], 0), r["tokensPerSecond"])
    for o in ours["throughput"]:
        p = next(r for r in theirs["throughput"] if r["model"] == o["model"] and r["setting"] == o["setting"])
        energy = o["joulesPerToken"] / p["joulesPerToken"] if o.get("joulesPerToken") and p.get("joulesPerToken") else None
        print(f"| {o['model']} | {o['setting']} | {o['tokensPerSecond']:,.0f} | {p['tokensPerSecond']:,.0f} | {o['tokensPerSecond'] / p['tokensPerSecond']:.2f} "
              f"| {fmt(o.get('joulesPerToken'), '.3g')} | {fmt(p.get('joulesPerToken'), '.3g')} | {fmt(energy, '.2f')} |")
    print("\nAgainst PyTorch's best setting per model:\n")
    for model, rate in best.items():
        ours_best = max(r["tokensPerSecond"] for r in ours["throughput"] if r["model"] == model)
        print(f"- {model}: TorchSharp best {ours_best:,.0f} vs PyTorch best {rate:,.0f} tokens/s = {ours_best / rate:.2f}x")
    gpt = {r["setting"]: r["tokensPerSecond"] for r in ours["throughput"] if r["model"] == "gpt-text"}
    if "bf16" in gpt and "fp32" in gpt:
        print(f"- gpt-text bf16 / fp32 (TF32 off), TorchSharp: {gpt['bf16'] / gpt['fp32']:.2f}x")
    print("\n| time to 91% test accuracy (cnn-fashion) | setting | reached | steps | seconds | joules |")
    print("| --- | --- | --- | ---: | ---: | ---: |")
    for r in ours["timeToTarget"] + theirs["timeToTarget"]:
        print(f"| {r['framework']} | {r['setting']} | {r['reached']} | {r['steps']} | {r['seconds']:.1f} | {fmt(r.get('joules'), '.0f')} |")


if __name__ == "__main__":
    main(sys.argv[1])
