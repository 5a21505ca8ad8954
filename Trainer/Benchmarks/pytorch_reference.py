#!/usr/bin/env python3
"""PyTorch eager reference for GreenTrain's benchmark (BenchCommand.cs / BenchCases.cs).

Same workloads, batch sizes, data placement and training recipe as the TorchSharp side:
  * cnn-fashion: 2 stages of (3x3 conv, batch norm, ReLU, 2x2 max pool), 32 then 64 channels, dropout 0.1,
    linear classifier; Fashion-MNIST kept whole on the GPU as uint8, normalised per batch; batch 256.
  * gpt-text: nanoGPT-style GPT (6 layers, 6 heads, width 384, context 256, no linear biases,
    scaled_dot_product_attention, GELU MLP), the fortunes text as UTF-8 bytes on the GPU; batch 64.
  * AdamW (PyTorch's default CUDA implementation), weight decay 0.05 on matrices only, warm-up + cosine,
    global-norm clipping at 1.0; the loss is read back every 10 steps, as GreenTrain's loop does.
Settings: fp32 (TF32 off), tf32, bf16 (autocast). Energy from NVML's total energy counter via ctypes
(read only). Writes OUT/bench-pytorch.json in the same shape as bench-greentrain.json.
Usage: python3 pytorch_reference.py --out DIR [--fashion DIR] [--text PATH] [--quick]
"""
import argparse
import ctypes
import gzip
import json
import math
import os
import struct
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Nvml:
    def __init__(self):
        self.lib = ctypes.CDLL("libnvidia-ml.so.1")
        assert self.lib.nvmlInit_v2() == 0
        self.handle = ctypes.c_void_p()
        assert self.lib.nvmlDeviceGetHandleByIndex_v2(0, ctypes.byref(self.handle)) == 0
        self.joules()

    def joules(self):
        mj = ctypes.c_ulonglong()
        assert self.lib.nvmlDeviceGetTotalEnergyConsumption(self.handle, ctypes.byref(mj)) == 0
        return mj.value / 1000.0


def try_nvml():
    try:
        return Nvml()
    except (OSError, AssertionError):
        return None


def read_idx(path):
    with gzip.open(path, "rb") as f:
        _, _, kind, dims = f.read(4)
        shape = struct.unpack(">" + "i" * dims, f.read(4 * dims))
        return torch.frombuffer(bytearray(f.read()), dtype=torch.uint8).reshape(shape)


def read_text(path):
    """A file, or every regular non-binary file of a folder in name order joined by newlines (as TextCorpusData)."""
    if os.path.isfile(path):
        return open(path, "rb").read()
    parts = []
    for name in sorted(os.listdir(path)):
        full = os.path.join(path, name)
        if os.path.islink(full) or not os.path.isfile(full):
            continue
        data = open(full, "rb").read()
        if b"\0" in data:
            continue
        parts.append(data.decode("utf-8", errors="replace").encode("utf-8") + b"\n")
    return b"".join(parts)


class SmallCnn(nn.Module):
    def __init__(self, width=32, depth=2, classes=10, dropout=0.1, side=28):
        super().__init__()
        layers, channels = [], 1
        for i in range(depth):
            out = width << i
            layers += [nn.Conv2d(channels, out, 3, padding=1, bias=False), nn.BatchNorm2d(out), nn.ReLU(), nn.MaxPool2d(2)]
            channels, side = out, side // 2
        layers += [nn.Flatten(), nn.Dropout(dropout), nn.Linear(channels * side * side, classes)]
        self.layers = nn.Sequential(*layers)

    def forward(self, x):
        return self.layers(x)


class Block(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.attention_norm = nn.LayerNorm(width)
        self.qkv = nn.Linear(width, 3 * width, bias=False)
        self.projection = nn.Linear(width, width, bias=False)
        self.mlp_norm = nn.LayerNorm(width)
        self.expand = nn.Linear(width, 4 * width, bias=False)
        self.mlp_projection = nn.Linear(4 * width, width, bias=False)

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.qkv(self.attention_norm(x)).view(b, t, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(b, t, c)
        x = x + self.projection(y)
        return x + self.mlp_projection(F.gelu(self.expand(self.mlp_norm(x))))


class Gpt(nn.Module):
    def __init__(self, vocabulary, context, width, layers, heads):
        super().__init__()
        self.token_embedding = nn.Embedding(vocabulary, width)
        self.position_embedding = nn.Embedding(context, width)
        self.blocks = nn.ModuleList(Block(width, heads) for _ in range(layers))
        self.final_norm = nn.LayerNorm(width)
        self.head = nn.Linear(width, vocabulary, bias=False)
        for name, p in self.named_parameters():
            if p.dim() >= 2:
                std = 0.02 / math.sqrt(2 * layers) if name.endswith("projection.weight") else 0.02
                nn.init.normal_(p, 0.0, std)

    def forward(self, tokens):
        x = self.token_embedding(tokens) + self.position_embedding(torch.arange(tokens.shape[1], device=tokens.device))
        for block in self.blocks:
            x = block(x)
        return self.head(self.final_norm(x))


def learning_rate(step, total, peak, warmup, floor_fraction=0.05):
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = min(max((step - warmup) / max(1, total - warmup), 0.0), 1.0)
    floor = peak * floor_fraction
    return floor + 0.5 * (1 + math.cos(math.pi * progress)) * (peak - floor)


def optimizer_for(model, lr, fused=False):
    """fused=False is PyTorch's default CUDA AdamW (foreach); fused=True its single-kernel AdamW."""
    decay = [p for p in model.parameters() if p.dim() >= 2]
    other = [p for p in model.parameters() if p.dim() < 2]
    return torch.optim.AdamW([{"params": decay, "weight_decay": 0.05}, {"params": other, "weight_decay": 0.0}], lr=lr, eps=1e-8, fused=fused)


def set_tf32(on):
    torch.backends.cuda.matmul.allow_tf32 = on
    torch.backends.cudnn.allow_tf32 = on


class ImageData:
    def __init__(self, folder, device):
        images = read_idx(os.path.join(folder, "train-images-idx3-ubyte.gz"))
        self.train_x = images.unsqueeze(1).to(device)
        self.train_y = read_idx(os.path.join(folder, "train-labels-idx1-ubyte.gz")).long().to(device)
        self.test_x = read_idx(os.path.join(folder, "t10k-images-idx3-ubyte.gz")).unsqueeze(1).to(device)
        self.test_y = read_idx(os.path.join(folder, "t10k-labels-idx1-ubyte.gz")).long().to(device)
        scaled = images.float() / 255
        self.mean, self.std = scaled.mean().item(), scaled.std().item()

    def inputs(self, raw):
        return (raw.float() / 255 - self.mean) / self.std


def train(model, data_next, steps, warmup_lr, peak_lr, setting, on_step=None, fused=False):
    """The loop both frameworks run: schedule, forward (bf16 autocast when asked), backward, clip, step, zero."""
    optimizer = optimizer_for(model, peak_lr, fused)
    model.train()
    running = torch.zeros((), device="cuda")
    for step in range(steps):
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(step, steps, peak_lr, warmup_lr)
        if on_step and on_step("start", step):
            return
        x, y = data_next()
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=setting == "bf16"):
            logits = model(x)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]).float(), y.reshape(-1))
        loss.backward()
        running += loss.detach()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        if (step + 1) % 10 == 0 or step + 1 == steps:
            running.item()
            running.zero_()
        if on_step and on_step("end", step + 1):
            return


def measure(name, make_model, data_next, steps, warmup, setting, batch, tokens_per_example, nvml, peak_lr, warmup_lr):
    set_tf32(setting == "tf32")
    torch.manual_seed(1337)
    model = make_model().cuda()
    window = {}

    def on_step(kind, step):
        if kind == "start" and step == warmup:
            torch.cuda.synchronize()
            window["j0"] = nvml.joules() if nvml else None
            window["t0"] = time.perf_counter()
        if kind == "end" and step == steps:
            torch.cuda.synchronize()
            window["seconds"] = time.perf_counter() - window["t0"]
            window["joules"] = nvml.joules() - window["j0"] if nvml else None
        return False

    train(model, data_next, steps, warmup_lr, peak_lr, setting, on_step)
    measured = steps - warmup
    examples = measured * batch
    seconds, joules = window["seconds"], window["joules"]
    return {
        "framework": "pytorch", "model": name, "setting": setting, "batch": batch, "tokensPerExample": tokens_per_example,
        "steps": measured, "seconds": seconds, "samplesPerSecond": examples / seconds,
        "tokensPerSecond": examples * tokens_per_example / seconds, "joules": joules,
        "joulesPerStep": joules / measured if joules is not None else None,
        "joulesPerToken": joules / (examples * tokens_per_example) if joules is not None else None,
        "msPerStep": 1000 * seconds / measured,
    }


def accuracy(model, data, setting):
    model.eval()
    correct = torch.zeros((), dtype=torch.long, device="cuda")
    with torch.no_grad(), torch.autocast("cuda", dtype=torch.bfloat16, enabled=setting == "bf16"):
        for start in range(0, data.test_x.shape[0], 512):
            logits = model(data.inputs(data.test_x[start:start + 512]))
            correct += (logits.argmax(1) == data.test_y[start:start + 512]).sum()
    model.train()
    return correct.item() / data.test_x.shape[0]


def time_to_target(data, setting, nvml, steps, evaluate_every, target=0.91, batch=256, seed=1337, fused=False):
    set_tf32(setting == "tf32")
    torch.manual_seed(seed)
    model = SmallCnn().cuda()
    generator = torch.Generator(device="cuda").manual_seed(seed)
    sampler = Sampler(data.train_x.shape[0], batch, generator)
    state = {"reached": False, "accuracy": None, "steps": steps}

    def next_batch():
        idx = sampler.next()
        return data.inputs(data.train_x[idx]), data.train_y[idx]

    def on_step(kind, step):
        if kind == "end" and (step % evaluate_every == 0 or step == steps):
            state["accuracy"] = accuracy(model, data, setting)
            if state["accuracy"] >= target:
                state["reached"], state["steps"] = True, step
                return True
        return False

    torch.cuda.synchronize()
    j0 = nvml.joules() if nvml else None
    t0 = time.perf_counter()
    train(model, next_batch, steps, 100, 2e-3, setting, on_step, fused)
    torch.cuda.synchronize()
    seconds = time.perf_counter() - t0
    return {"framework": "pytorch-fused" if fused else "pytorch", "model": "cnn-fashion", "setting": setting, "seed": seed, "target": target, "reached": state["reached"],
            "steps": state["steps"], "seconds": seconds, "joules": nvml.joules() - j0 if nvml else None, "accuracy": state["accuracy"]}


class Sampler:
    """A fresh permutation per epoch on the GPU, full batches only (as GreenTrain's BatchSampler)."""

    def __init__(self, count, batch, generator):
        self.count, self.batch, self.generator, self.position, self.order = count, batch, generator, count, None

    def next(self):
        if self.position + self.batch > self.count:
            self.order = torch.randperm(self.count, device="cuda", generator=self.generator)
            self.position = 0
        idx = self.order[self.position:self.position + self.batch]
        self.position += self.batch
        return idx


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--fashion", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--text", default="/usr/share/games/fortunes")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    nvml = try_nvml()
    generator = torch.Generator(device="cuda").manual_seed(1337)

    images = ImageData(args.fashion, "cuda")
    tokens = torch.tensor(list(read_text(args.text)), dtype=torch.long, device="cuda")
    train_tokens = tokens[: int(tokens.numel() * 0.9)]
    context, gpt_batch = (64, 8) if args.quick else (256, 64)
    windows = (train_tokens.numel() - 1) // context
    offsets = torch.arange(context + 1, device="cuda")
    cnn_batch = 64 if args.quick else 256
    cnn_sampler = Sampler(images.train_x.shape[0], cnn_batch, generator)
    gpt_sampler = Sampler(windows, gpt_batch, generator)

    def cnn_next():
        idx = cnn_sampler.next()
        return images.inputs(images.train_x[idx]), images.train_y[idx]

    def gpt_next():
        window = train_tokens[(gpt_sampler.next() * context).unsqueeze(1) + offsets]
        return window[:, :-1].contiguous(), window[:, 1:].contiguous()

    gpt_shape = dict(width=64, layers=2, heads=2) if args.quick else dict(width=384, layers=6, heads=6)
    throughput = []
    for setting in ["fp32", "tf32", "bf16"]:
        throughput.append(measure("cnn-fashion", SmallCnn, cnn_next, 12 if args.quick else 220, 2 if args.quick else 20, setting, cnn_batch, 1, nvml, 2e-3, 100))
        throughput.append(measure("gpt-text", lambda: Gpt(256, context, **gpt_shape), gpt_next, 6 if args.quick else 120, 2 if args.quick else 20, setting, gpt_batch, context, nvml, 1e-3, 10))
        for r in throughput[-2:]:
            print(f"{r['model']} {r['setting']}: {r['samplesPerSecond']:.0f} samples/s, {r['msPerStep']:.2f} ms/step, {r['joulesPerStep']} J/step", flush=True)
    targets = [time_to_target(images, s, nvml, 40 if args.quick else 2110, 20 if args.quick else 100) for s in ["tf32", "bf16"]]
    for r in targets:
        print(f"cnn-fashion {r['setting']} to 91%: reached {r['reached']} in {r['seconds']:.1f} s, {r['steps']} steps, {r['joules']} J", flush=True)
    report = {"framework": "pytorch", "device": torch.cuda.get_device_name(0), "energySource": "nvml" if nvml else None,
              "throughput": throughput, "timeToTarget": targets}
    with open(os.path.join(args.out, "bench-pytorch.json"), "w") as f:
        json.dump(report, f, indent=2)


if __name__ == "__main__":
    main()
