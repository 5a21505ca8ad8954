"""What a PyTorch user does with a GreenTrain model folder, using only torch and the standard library.

usage: python3 pytorch_user.py MODEL_DIR TEST_DATA.pt
  MODEL_DIR      a `train --out` folder: model.json, model.pt (state_dict), model.safetensors
  TEST_DATA.pt   a torch.save'd dict {"x": float inputs, "y": int64 labels}

Builds the module that model.json describes (mlp or cnn), loads model.pt with load_state_dict(strict=True), and
separately reads model.safetensors by its published layout (8-byte little-endian header length, JSON header, raw
bytes), then prints one JSON line with the test accuracy of each and the largest weight difference between the files.
For each export model.json lists (int8-per-channel, sparse-bitmask), it decodes the weights by the documented naming
(docs/model-files.md), loads them into the same module, and adds that export's test accuracy.
"""
import json
import struct
import sys
from collections import OrderedDict

import torch
from torch import nn


class Mlp(nn.Module):
    """GreenTrain's MLP (Trainer/Models/Mlp.cs): flatten, depth x (linear, relu, dropout), classifier."""

    def __init__(self, inputs, width, depth, classes, dropout):
        super().__init__()
        modules = OrderedDict(flatten=nn.Flatten())
        fan_in = inputs
        for i in range(depth):
            modules[f"linear{i}"] = nn.Linear(fan_in, width)
            modules[f"relu{i}"] = nn.ReLU()
            if dropout > 0:
                modules[f"dropout{i}"] = nn.Dropout(dropout)
            fan_in = width
        modules["classifier"] = nn.Linear(fan_in, classes)
        self.layers = nn.Sequential(modules)

    def forward(self, x):
        return self.layers(x)


class SmallCnn(nn.Module):
    """GreenTrain's CNN (Trainer/Models/SmallCnn.cs): depth x (3x3 conv without bias, batch norm, relu, 2x2 max pool), channels
    doubling from width, then flatten, dropout and a linear classifier."""

    def __init__(self, shape, width, depth, classes, dropout):
        super().__init__()
        channels, height, side = shape
        modules = OrderedDict()
        for i in range(depth):
            out = width << i
            modules[f"conv{i}"] = nn.Conv2d(channels, out, 3, padding=1, bias=False)
            modules[f"norm{i}"] = nn.BatchNorm2d(out)
            modules[f"relu{i}"] = nn.ReLU()
            modules[f"pool{i}"] = nn.MaxPool2d(2)
            channels, height, side = out, height // 2, side // 2
        modules["flatten"] = nn.Flatten()
        if dropout > 0:
            modules["dropout"] = nn.Dropout(dropout)
        modules["classifier"] = nn.Linear(channels * height * side, classes)
        self.layers = nn.Sequential(modules)

    def forward(self, x):
        return self.layers(x)


class GptBlock(nn.Module):
    """GreenTrain's transformer block (Trainer/Models/GptBlock.cs): pre-norm causal self-attention and a GELU MLP, no biases."""

    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.attentionNorm = nn.LayerNorm(width)
        self.qkv = nn.Linear(width, 3 * width, bias=False)
        self.projection = nn.Linear(width, width, bias=False)
        self.mlpNorm = nn.LayerNorm(width)
        self.expand = nn.Linear(width, 4 * width, bias=False)
        self.mlp_projection = nn.Linear(4 * width, width, bias=False)

    def forward(self, x):
        batch, time, width = x.shape
        q, k, v = self.qkv(self.attentionNorm(x)).view(batch, time, 3, self.heads, width // self.heads).permute(2, 0, 3, 1, 4)
        # Causal attention written out (Debian 12's torch 1.13 has no scaled_dot_product_attention): softmax(q k^T / sqrt(d)) v.
        scores = (q @ k.transpose(-2, -1)) / (q.shape[-1] ** 0.5)
        scores = scores.masked_fill(torch.ones(time, time, dtype=torch.bool).triu(1), float("-inf"))
        attended = scores.softmax(dim=-1) @ v
        x = x + self.projection(attended.transpose(1, 2).reshape(batch, time, width))
        return x + self.mlp_projection(nn.functional.gelu(self.expand(self.mlpNorm(x))))


class Gpt(nn.Module):
    """GreenTrain's GPT (Trainer/Models/Gpt.cs): token and position embeddings, blocks, final norm, a head without bias."""

    def __init__(self, vocabulary, context, width, layers, heads):
        super().__init__()
        self.tokenEmbedding = nn.Embedding(vocabulary, width)
        self.positionEmbedding = nn.Embedding(context, width)
        self.blocks = nn.ModuleList([GptBlock(width, heads) for _ in range(layers)])
        self.finalNorm = nn.LayerNorm(width)
        self.head = nn.Linear(width, vocabulary, bias=False)

    def forward(self, tokens):
        x = self.tokenEmbedding(tokens) + self.positionEmbedding(torch.arange(tokens.shape[1]))
        for block in self.blocks:
            x = block(x)
        return self.head(self.finalNorm(x))


def build(architecture):
    if architecture["format"] != "greentrain-model/1":
        raise SystemExit(f"unknown model format {architecture['format']}")
    if architecture["kind"] == "gpt":
        return Gpt(architecture["classes"], architecture["contextLength"], architecture["width"], architecture["depth"], architecture["heads"])
    if architecture["kind"] == "cnn":
        return SmallCnn(architecture["inputShape"], architecture["width"], architecture["depth"], architecture["classes"], architecture["dropout"])
    if architecture["kind"] != "mlp":
        raise SystemExit(f"this script rebuilds the mlp and cnn only, not {architecture['kind']}")
    inputs = 1
    for size in architecture["inputShape"]:
        inputs *= size
    return Mlp(inputs, architecture["width"], architecture["depth"], architecture["classes"], architecture["dropout"])


def read_safetensors(path):
    dtypes = {"F32": torch.float32, "F64": torch.float64, "F16": torch.float16, "BF16": torch.bfloat16, "I64": torch.int64, "I32": torch.int32,
              "I8": torch.int8, "U8": torch.uint8, "BOOL": torch.bool}
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        raw = bytearray(data[start:end])
        tensors[name] = torch.frombuffer(raw, dtype=dtypes[entry["dtype"]]).reshape(entry["shape"]).clone()
    return tensors


def decode(architecture, export, tensors):
    """The fp32 state_dict an export stands for, and the input grids of the layers whose inputs int8 inference quantises."""
    state = dict(tensors)
    grids = {}
    for weight in export["encodedWeights"]:
        layer = weight[: -len(".weight")]
        if export["encoding"] == "int8-per-channel":
            q = state.pop(weight)
            scale = state.pop(weight + "_scale")
            state[weight] = q.float() * scale.view(-1, *([1] * (q.dim() - 1)))
            if layer + ".input_scale" in state:
                bits = export.get("activationBits") or 8  # model.json names the width; files before it was stored are int8
                grids[layer] = (state.pop(layer + ".input_scale"), state.pop(layer + ".input_zero_point"), bits)
        elif export["encoding"] == "sparse-bitmask":
            mask = state.pop(weight + "_mask")
            values = state.pop(weight + "_values")
            shape = architecture["tensors"][weight]
            count = 1
            for size in shape:
                count *= size
            bits = ((mask.unsqueeze(1) >> torch.arange(8, dtype=torch.uint8)) & 1).flatten()[:count].bool()
            dense = torch.zeros(count)
            dense[bits] = values
            state[weight] = dense.reshape(shape)
        else:
            raise SystemExit(f"unknown encoding {export['encoding']}")
    return state, grids


def quantise_input(scale, zero_point, bits):
    """x on the b-bit grid of its range: clamp, round to the grid, back to fp32 (GreenTrain's FakeQuantizeActivations)."""
    lowest, highest = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1

    def hook(module, args):
        x = args[0]
        low = (-zero_point + lowest) * scale
        high = (-zero_point + highest) * scale
        q = (torch.maximum(torch.minimum(x, high), low) / scale).round() + zero_point
        return ((q.clamp(lowest, highest) - zero_point) * scale,)
    return hook


def score_export(folder, architecture, export, data):
    from_pt = torch.load(f"{folder}/{export['stateDict']}")
    from_st = read_safetensors(f"{folder}/{export['safetensors']}")
    same = from_pt.keys() == from_st.keys() and all(torch.equal(from_pt[k], from_st[k]) for k in from_pt)
    state, grids = decode(architecture, export, from_pt)
    model = build(architecture)
    model.load_state_dict(state, strict=True)
    for name, module in model.named_modules():
        if name in grids:
            module.register_forward_pre_hook(quantise_input(*grids[name]))
    encoded = [from_pt[w] if w in from_pt else from_pt[w + "_values"] for w in export["encodedWeights"]]
    kept = sum((t != 0).sum().item() for t in encoded)
    total = 0
    for w in export["encodedWeights"]:
        count = 1
        for size in architecture["tensors"][w]:
            count *= size
        total += count
    return {"accuracy": accuracy(model, data["x"], data["y"]), "files_agree": same, "weight_density": kept / total,
            "dtypes": sorted({str(from_pt[k].dtype) for k in from_pt})}


def loss(model, x, y):
    """Mean cross-entropy per target token, as GreenTrain's evaluator sums and divides."""
    model.eval()
    with torch.no_grad():
        logits = model(x)
        return (nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), reduction="sum").double() / y.numel()).item()


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        logits = model(x)
        return (logits.reshape(-1, logits.shape[-1]).argmax(dim=1) == y.reshape(-1)).double().mean().item()


def main(folder, test_data):
    with open(f"{folder}/model.json") as f:
        architecture = json.load(f)
    data = torch.load(test_data)
    from_pt = build(architecture)
    from_pt.load_state_dict(torch.load(f"{folder}/model.pt"), strict=True)
    from_safetensors = build(architecture)
    from_safetensors.load_state_dict(read_safetensors(f"{folder}/model.safetensors"), strict=True)
    difference = max((a - b).abs().max().item() for a, b in zip(from_pt.state_dict().values(), from_safetensors.state_dict().values()))
    print(json.dumps({
        "examples": int(data["y"].shape[0]),
        "state_dict_accuracy": accuracy(from_pt, data["x"], data["y"]),
        "safetensors_accuracy": accuracy(from_safetensors, data["x"], data["y"]),
        "max_weight_difference": difference,
        "state_dict_loss": loss(from_pt, data["x"], data["y"]),
        "exports": {e["encoding"]: score_export(folder, architecture, e, data) for e in architecture.get("exports") or []},
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
