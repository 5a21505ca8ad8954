"""What a PyTorch user does with a GreenTrain model folder, using only torch and the standard library.

usage: python3 pytorch_user.py MODEL_DIR TEST_DATA.pt
  MODEL_DIR      a `train --out` folder: model.json, model.pt (state_dict), model.safetensors
  TEST_DATA.pt   a torch.save'd dict {"x": float inputs, "y": int64 labels}

Builds the module that model.json describes, loads model.pt with load_state_dict(strict=True), and separately
reads model.safetensors by its published layout (8-byte little-endian header length, JSON header, raw bytes),
then prints one JSON line with the test accuracy of each and the largest weight difference between the files.
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


def build(architecture):
    if architecture["format"] != "greentrain-model/1":
        raise SystemExit(f"unknown model format {architecture['format']}")
    if architecture["kind"] != "mlp":
        raise SystemExit(f"this script rebuilds the mlp only, not {architecture['kind']}")
    inputs = 1
    for size in architecture["inputShape"]:
        inputs *= size
    return Mlp(inputs, architecture["width"], architecture["depth"], architecture["classes"], architecture["dropout"])


def read_safetensors(path):
    dtypes = {"F32": torch.float32, "F64": torch.float64, "F16": torch.float16, "BF16": torch.bfloat16, "I64": torch.int64, "I32": torch.int32}
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


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        return (model(x).argmax(dim=1) == y).double().mean().item()


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
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
