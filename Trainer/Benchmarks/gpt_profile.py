#!/usr/bin/env python3
"""PyTorch peer of GreenTrain's `bench-gpt` (GptProfileCommand.cs): the benchmark's GPT in bf16 autocast at several
batch sizes, over the same loop as pytorch_reference.py (AdamW, warm-up + cosine, clipping at 1.0, loss read back
every 10 steps). For each batch: tokens/s and J/token over a warm window, MFU against 989 TFLOP/s (dense bf16 peak
of H100/H200 SXM, NVIDIA datasheet), host time per step (clock read before the closing synchronise) and phase
times (synchronised at forward+loss, backward, rest). Variants: eager with PyTorch's default AdamW (foreach),
eager with fused AdamW, and torch.compile (the stretch target). Writes OUT/gpt-profile-pytorch.json.
Usage: python3 gpt_profile.py --out DIR [--text PATH] [--batches 32,64,128] [--steps 220] [--variants eager,fused,compile]
"""
import argparse
import json
import math
import os
import time

import torch
import torch.nn.functional as F

from pytorch_reference import Gpt, learning_rate, read_text, try_nvml

PEAK = 989e12


def forward_flops_per_example(vocabulary, context, width, layers):
    # As Gpt.cs: 2 FLOPs per matrix weight per token plus attention's QK^T and AV (PaLM, appendix B).
    matrix_weights = 12.0 * layers * width * width + width * vocabulary
    return context * (2 * matrix_weights + 4.0 * layers * context * width)


def run(variant, batch, steps, warmup, data_next, nvml, mode, shape):
    torch.manual_seed(1337)
    model = Gpt(256, **shape).cuda()
    decay = [p for p in model.parameters() if p.dim() >= 2]
    other = [p for p in model.parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05}, {"params": other, "weight_decay": 0.0}],
                                  lr=1e-3, eps=1e-8, fused=variant in ("fused", "compile"))
    forward = torch.compile(model) if variant == "compile" else model
    running = torch.zeros((), device="cuda")
    sums = {"host": 0.0, "wall": 0.0, "forward": 0.0, "backward": 0.0, "rest": 0.0, "steps": 0}
    window = {}
    log_every = 10 if mode == "window" else 10**9
    for step in range(steps):
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(step, steps, 1e-3, 10)
        timed = step >= warmup
        if timed and mode != "window" or (mode == "window" and step == warmup):
            torch.cuda.synchronize()
            t0 = time.perf_counter()
            if mode == "window":
                window["t0"], window["j0"] = t0, nvml.joules() if nvml else None
        x, y = data_next(batch)
        with torch.autocast("cuda", dtype=torch.bfloat16):
            logits = forward(x)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]).float(), y.reshape(-1))
        if timed and mode == "phases":
            torch.cuda.synchronize(); t1 = time.perf_counter(); sums["forward"] += t1 - t0
        loss.backward()
        if timed and mode == "phases":
            torch.cuda.synchronize(); t2 = time.perf_counter(); sums["backward"] += t2 - t1
        running += loss.detach()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        if (step + 1) % log_every == 0 or step + 1 == steps:
            running.item()
            running.zero_()
        if timed and mode != "window":
            host = time.perf_counter()
            torch.cuda.synchronize()
            end = time.perf_counter()
            sums["host"] += host - t0
            sums["wall"] += end - t0
            if mode == "phases":
                sums["rest"] += end - t2
            sums["steps"] += 1
    if mode == "window":
        torch.cuda.synchronize()
        window["seconds"] = time.perf_counter() - window["t0"]
        window["joules"] = nvml.joules() - window["j0"] if nvml else None
        window["steps"] = steps - warmup
        return window
    return sums


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--text", default="/usr/share/games/fortunes")
    parser.add_argument("--batches", default="32,64,128")
    parser.add_argument("--steps", type=int, default=220)
    parser.add_argument("--variants", default="eager,fused,compile")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    nvml = try_nvml()
    shape = dict(context=256, width=384, layers=6, heads=6)
    context = shape["context"]
    tokens = torch.tensor(list(read_text(args.text)), dtype=torch.long, device="cuda")
    train_tokens = tokens[: int(tokens.numel() * 0.9)]
    windows = (train_tokens.numel() - 1) // context
    offsets = torch.arange(context + 1, device="cuda")
    generator = torch.Generator(device="cuda").manual_seed(1337)
    state = {"order": None, "position": windows}

    def data_next(batch):
        if state["position"] + batch > windows:
            state["order"], state["position"] = torch.randperm(windows, device="cuda", generator=generator), 0
        idx = state["order"][state["position"]:state["position"] + batch]
        state["position"] += batch
        window = train_tokens[(idx * context).unsqueeze(1) + offsets]
        return window[:, :-1].contiguous(), window[:, 1:].contiguous()

    flops = forward_flops_per_example(256, context, shape["width"], shape["layers"])
    results = []
    for variant in args.variants.split(","):
        for batch in [int(b) for b in args.batches.split(",")]:
            w = run(variant, batch, args.steps, 20, data_next, nvml, "window", shape)
            h = run(variant, batch, 60, 20, data_next, nvml, "host", shape)
            p = run(variant, batch, 60, 20, data_next, nvml, "phases", shape)
            examples = w["steps"] * batch
            r = {"framework": f"pytorch-{variant}", "batch": batch, "steps": w["steps"],
                 "tokensPerSecond": examples * context / w["seconds"], "msPerStep": 1000 * w["seconds"] / w["steps"],
                 "joulesPerToken": w["joules"] / (examples * context) if w["joules"] is not None else None,
                 "mfu": 3 * flops * examples / w["seconds"] / PEAK,
                 "hostMsPerStep": 1000 * h["host"] / h["steps"], "wallMsPerStep": 1000 * h["wall"] / h["steps"],
                 "forwardMs": 1000 * p["forward"] / p["steps"], "backwardMs": 1000 * p["backward"] / p["steps"],
                 "restMs": 1000 * p["rest"] / p["steps"]}
            results.append(r)
            print(f"{r['framework']} batch {batch}: {r['tokensPerSecond']:,.0f} tokens/s, {r['msPerStep']:.2f} ms/step, "
                  f"MFU {r['mfu']:.1%}, host {r['hostMsPerStep']:.2f} of {r['wallMsPerStep']:.2f} ms, "
                  f"fwd {r['forwardMs']:.2f} bwd {r['backwardMs']:.2f} rest {r['restMs']:.2f}, J/token {r['joulesPerToken']}", flush=True)
    with open(os.path.join(args.out, "gpt-profile-pytorch.json"), "w") as f:
        json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
