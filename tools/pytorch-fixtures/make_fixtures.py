#!/usr/bin/env python3
"""Writes the PyTorch parity fixtures of tests/Backprop.Training.Tests/Fixtures/PyTorch (GitHub issue #14).

For every model: <name>.onnx (torch.onnx.export), <name>.safetensors (the state_dict, written here byte by byte as
the safetensors format lays it out) and <name>.json (the architecture, the dtype, fixed input rows and PyTorch's
outputs for them, every number written so that it parses back to exactly the same float or double). Also a few ONNX
files with operators the library does not have, for the importer's bad-input tests.

Deterministic: fixed seeds, fixed data, one thread, deterministic algorithms; two runs write the same bytes.
Run it from anywhere with a Python that has PyTorch (no onnx or safetensors package is needed):

    python3 tools/pytorch-fixtures/make_fixtures.py [--out DIR] [--iris PATH]
"""

import argparse
import copy
import csv
import io
import json
import math
import os
import struct
import sys
import warnings

import torch
from torch import nn

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DEFAULT_OUT = os.path.join(REPO, "tests", "Backprop.Training.Tests", "Fixtures", "PyTorch")
DEFAULT_IRIS = os.path.normpath(os.path.join(REPO, "..", "shared", "data", "iris.csv"))

# PyTorch's Softplus is linear above z = 20 (its `threshold`), the library's is exact everywhere; and the
# activation fixtures are meant to exercise the curved part of every activation. Every fixture keeps |z| below this.
MAX_ABS_Z = 15.0


# --------------------------------------------------------------------------------------------------------------------
# Writing files

def write_bytes(path, data):
    with open(path, "wb") as f:
        f.write(data)


def safetensors_bytes(state_dict):
    """The safetensors layout: u64 LE header length, JSON header padded with spaces to a multiple of 8, the data."""
    dtypes = {torch.float32: "F32", torch.float64: "F64"}
    header = {"__metadata__": {"format": "pt"}}
    chunks = []
    offset = 0
    for name, tensor in state_dict.items():
        tensor = tensor.detach().contiguous().cpu()
        data = tensor.numpy().astype({torch.float32: "<f4", torch.float64: "<f8"}[tensor.dtype]).tobytes()
        header[name] = {"dtype": dtypes[tensor.dtype], "shape": list(tensor.shape),
                        "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


def number(x):
    """A Python float of a float32 or float64 value (exact), checked to be finite; json writes its repr."""
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"non-finite value {x}")
    return x


def rows(tensor):
    return [[number(v) for v in row] for row in tensor.tolist()]


def onnx_export(model, example, path, **options):
    kwargs = dict(input_names=["input"], output_names=["output"],
                  dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}},
                  opset_version=13, do_constant_folding=True)
    kwargs.update(options)
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, example, buffer, **kwargs)
    write_bytes(path, buffer.getvalue())
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------------------------------
# A minimal protobuf reader, enough to list an ONNX graph's nodes, inputs, outputs and initializers (there is no
# onnx package here). Field numbers from onnx.proto: ModelProto.graph = 7, .opset_import = 8; GraphProto.node = 1,
# .initializer = 5, .input = 11, .output = 12; NodeProto.input = 1, .output = 2, .op_type = 4, .attribute = 5;
# AttributeProto.name = 1, .f = 2, .i = 3, .ints = 8; TensorProto.dims = 1, .data_type = 2, .name = 8;
# ValueInfoProto.name = 1; OperatorSetIdProto.domain = 1, .version = 2.

def _varint(data, i):
    value, shift = 0, 0
    while True:
        b = data[i]
        i += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return value, i


def _fields(data):
    i = 0
    while i < len(data):
        key, i = _varint(data, i)
        number_, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(data, i)
        elif wire == 1:
            value, i = data[i:i + 8], i + 8
        elif wire == 2:
            length, i = _varint(data, i)
            value, i = data[i:i + length], i + length
        elif wire == 5:
            value, i = data[i:i + 4], i + 4
        else:
            raise ValueError(f"wire type {wire}")
        yield number_, wire, value


def _packed_or_single(wire, value):
    if wire == 0:
        return [value]
    out, i = [], 0
    while i < len(value):
        v, i = _varint(value, i)
        out.append(v)
    return out


def _tensor_values(data):
    """The values of a small TensorProto (a Constant's): raw_data = 9, float_data = 4, int64_data = 7,
    double_data = 10; data_type = 2 (1 float, 7 int64, 9 bool, 11 double)."""
    fields = list(_fields(data))
    dtype = next((v for n, _, v in fields if n == 2), None)
    raw = next((v for n, _, v in fields if n == 9), None)
    formats = {1: "f", 7: "q", 9: "?", 11: "d"}
    if raw is not None and dtype in formats:
        values = list(struct.unpack("<" + formats[dtype] * (len(raw) // struct.calcsize(formats[dtype])), raw))
    elif any(n == 4 for n, _, _ in fields):
        values = [struct.unpack("<f", v[i:i + 4])[0] for n, _, v in fields if n == 4 for i in range(0, len(v), 4)]
    elif any(n == 10 for n, _, _ in fields):
        values = [struct.unpack("<d", v[i:i + 8])[0] for n, _, v in fields if n == 10 for i in range(0, len(v), 8)]
    else:
        return "tensor"
    return values[0] if len(values) == 1 else values


def onnx_summary(data):
    graph = None
    opsets = []
    for number_, _, value in _fields(data):
        if number_ == 7:
            graph = value
        elif number_ == 8:
            fields = {n: v for n, _, v in _fields(value)}
            opsets.append((fields.get(1, b"").decode(), fields.get(2)))
    nodes, inputs, outputs, initializers = [], [], [], []
    for number_, _, value in _fields(graph):
        if number_ == 1:
            node = {"inputs": [], "outputs": [], "attributes": {}}
            for n, w, v in _fields(value):
                if n == 1:
                    node["inputs"].append(v.decode())
                elif n == 2:
                    node["outputs"].append(v.decode())
                elif n == 4:
                    node["op_type"] = v.decode()
                elif n == 5:
                    name, attr = None, None
                    for an, aw, av in _fields(v):
                        if an == 1:
                            name = av.decode()
                        elif an == 2:
                            attr = struct.unpack("<f", av)[0]
                        elif an == 3:
                            attr = av - (1 << 64) if av >= 1 << 63 else av
                        elif an == 5:
                            attr = _tensor_values(av)
                        elif an == 8:
                            attr = (attr or []) + _packed_or_single(aw, av)
                    node["attributes"][name] = attr
            nodes.append(node)
        elif number_ == 5:
            dims, name, dtype = [], None, None
            for n, w, v in _fields(value):
                if n == 1:
                    dims += _packed_or_single(w, v)
                elif n == 2:
                    dtype = v
                elif n == 8:
                    name = v.decode()
            initializers.append((name, {1: "float", 11: "double", 7: "int64", 9: "bool"}.get(dtype, dtype), dims))
        elif number_ in (11, 12):
            name = next(v.decode() for n, _, v in _fields(value) if n == 1)
            (inputs if number_ == 11 else outputs).append(name)
    return {"opsets": opsets, "nodes": nodes, "inputs": inputs, "outputs": outputs, "initializers": initializers}


def describe_onnx(name, data):
    s = onnx_summary(data)
    ops = [n["op_type"] for n in s["nodes"]]
    print(f"  {name}.onnx: {len(data)} bytes, opset {s['opsets']}, ops {ops}")
    for n in s["nodes"]:
        attrs = {k: (float(f"{v:.8g}") if isinstance(v, float) else v) for k, v in n["attributes"].items()}
        print(f"    {n['op_type']}({', '.join(n['inputs'])}) -> {', '.join(n['outputs'])} {attrs if attrs else ''}")
    print(f"    graph inputs {s['inputs']}, outputs {s['outputs']}, initializers "
          + ", ".join(f"{n}:{t}{d}" for n, t, d in s["initializers"]))
    return ops


# --------------------------------------------------------------------------------------------------------------------
# Models

def sequential(sizes, activations, dtype):
    """nn.Sequential(Linear, act, Linear, act, ...): module 2k is layer k's Linear, module 2k+1 its activation."""
    layers = []
    for k, act in enumerate(activations):
        layers.append(nn.Linear(sizes[k], sizes[k + 1], dtype=dtype))
        layers.append(act)
    return nn.Sequential(*layers)


def pre_activations(model, x):
    """z of every Linear for the rows x."""
    zs = []
    with torch.no_grad():
        for module in model:
            x = module(x)
            if isinstance(module, nn.Linear):
                zs.append(x)
    return zs


DTYPE_NAMES = {torch.float32: "float32", torch.float64: "float64"}


def write_model(out, name, model, inputs, architecture, summary):
    """<name>.onnx, .safetensors and .json, from a model in eval mode and its fixed input rows (in its dtype)."""
    model.eval()
    dtype = next(model.parameters()).dtype
    assert inputs.dtype == dtype
    with torch.no_grad():
        outputs = model(inputs)
    assert outputs.dtype == dtype
    zs = pre_activations(model, inputs)
    max_z = max(float(z.abs().max()) for z in zs)
    if max_z >= MAX_ABS_Z:
        raise ValueError(f"{name}: |z| reaches {max_z}, over {MAX_ABS_Z}")

    state = model.state_dict()
    write_bytes(os.path.join(out, name + ".safetensors"), safetensors_bytes(state))
    onnx = onnx_export(model, inputs[:1], os.path.join(out, name + ".onnx"))
    document = {
        "architecture": architecture,
        "dtype": DTYPE_NAMES[dtype],
        "torch": torch.__version__,
        "tensors": {k: list(v.shape) for k, v in state.items()},
        "inputs": rows(inputs),
        "outputs": rows(outputs),
    }
    # json writes a float as its repr, the shortest text that parses back to the same double; one row a line.
    lines = []
    for key, value in document.items():
        if key in ("inputs", "outputs"):
            text = "[\n" + ",\n".join("    " + json.dumps(row) for row in value) + "\n  ]"
        else:
            text = json.dumps(value)
        lines.append(f"  {json.dumps(key)}: {text}")
    with open(os.path.join(out, name + ".json"), "w", encoding="utf-8", newline="\n") as f:
        f.write("{\n" + ",\n".join(lines) + "\n}\n")
    with open(os.path.join(out, name + ".json"), encoding="utf-8") as f:
        assert json.load(f) == document

    print(f"{name}: {architecture}; {DTYPE_NAMES[dtype]}; {inputs.shape[0]} rows; "
          f"z in [{min(float(z.min()) for z in zs):.3f}, {max(float(z.max()) for z in zs):.3f}]")
    ops = describe_onnx(name, onnx)
    summary.append((name, DTYPE_NAMES[dtype], ops))


def load_iris(path):
    species = {"setosa": 0, "versicolor": 1, "virginica": 2}
    features, labels = [], []
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        assert header[-1] == "species", header
        for row in reader:
            if row:
                features.append([float(v) for v in row[:4]])
                labels.append(species[row[4]])
    return torch.tensor(features, dtype=torch.float64), torch.tensor(labels)


def make_iris(out, iris_path, summary):
    x64, y = load_iris(iris_path)
    x = x64.float()
    torch.manual_seed(14)
    model = sequential([4, 8, 3], [nn.Tanh(), nn.Softmax(dim=-1)], torch.float32)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.02)
    logits = model[:3]  # the Linear, Tanh, Linear before the softmax: cross-entropy from the logits
    for _ in range(400):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(logits(x), y)
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        accuracy = float((model(x).argmax(dim=1) == y).float().mean())
    print(f"iris: trained 400 Adam steps, cross-entropy {float(loss):.4f}, training accuracy {accuracy:.3f}")

    rows_ = list(range(0, 150, 12)) + [149]  # 13 flowers of all three species
    architecture = "Input(4) -> Linear(4, 8), Tanh -> Linear(8, 3), Softmax(dim=-1); trained on Iris, cross-entropy"
    write_model(out, "iris", model, x[rows_], architecture, summary)
    double = copy.deepcopy(model).double()
    write_model(out, "iris_double", double, x64[rows_], architecture + "; the float model converted with .double()",
                summary)


def make_regression(out, summary):
    torch.manual_seed(7)
    model = sequential([2, 16, 16, 1], [nn.Tanh(), nn.Tanh(), nn.Identity()], torch.float64)
    g = torch.Generator().manual_seed(70)
    x = torch.rand(256, 2, generator=g, dtype=torch.float64) * 4 - 2
    t = (torch.sin(x[:, 0]) * torch.cos(x[:, 1])).unsqueeze(1)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(500):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), t)
        loss.backward()
        optimizer.step()
    print(f"regression: trained 500 Adam steps on sin(x)cos(y), [-2, 2]^2, mean squared error {float(loss):.2e}")

    inputs = torch.rand(12, 2, generator=g, dtype=torch.float64) * 4 - 2
    architecture = ("Input(2) -> Linear(2, 16), Tanh -> Linear(16, 16), Tanh -> Linear(16, 1), Identity; "
                    "fitted to sin(x)*cos(y) on [-2, 2]^2, mean squared error")
    write_model(out, "regression", model, inputs, architecture, summary)
    single = copy.deepcopy(model).float()
    write_model(out, "regression_float", single, inputs.float(),
                architecture + "; the double model converted with .float()", summary)


ACTIVATIONS = [
    ("identity", "Identity", nn.Identity),
    ("sigmoid", "Sigmoid", nn.Sigmoid),
    ("tanh", "Tanh", nn.Tanh),
    ("relu", "ReLU", nn.ReLU),
    ("leakyrelu", "LeakyReLU (negative_slope 0.01)", nn.LeakyReLU),
    ("gelu", "GELU (approximate='none')", nn.GELU),
    ("silu", "SiLU", nn.SiLU),
    ("elu", "ELU (alpha 1)", nn.ELU),
    ("softplus", "Softplus (beta 1, threshold 20)", nn.Softplus),
]


def make_activations(out, summary):
    for seed, (key, label, module) in enumerate(ACTIVATIONS, start=100):
        torch.manual_seed(seed)
        # Default nn.Linear initialisation, U(-1/sqrt(3), 1/sqrt(3)): with inputs in [-3, 3], z spans both signs
        # and a few units, the curved part of every activation.
        model = sequential([3, 5, 2], [module(), nn.Identity()], torch.float64)
        g = torch.Generator().manual_seed(seed)
        inputs = torch.rand(12, 3, generator=g, dtype=torch.float64) * 6 - 3
        z = pre_activations(model, inputs)[0]
        assert float(z.min()) < 0 < float(z.max()), key
        architecture = f"Input(3) -> Linear(3, 5), {label} -> Linear(5, 2), Identity; random initialisation"
        float_model = copy.deepcopy(model).float()
        write_model(out, f"act_{key}_float", float_model, inputs.float(),
                    architecture + "; the double model converted with .float()", summary)
        write_model(out, f"act_{key}_double", model, inputs, architecture, summary)


def make_sigmoid_output(out, summary):
    torch.manual_seed(300)
    model = sequential([3, 4, 1], [nn.ReLU(), nn.Sigmoid()], torch.float64)
    g = torch.Generator().manual_seed(300)
    x = torch.rand(128, 3, generator=g, dtype=torch.float64) * 6 - 3
    t = (x[:, 0] + x[:, 1] > x[:, 2]).to(torch.float64).unsqueeze(1)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    logits = model[:3]
    for _ in range(100):  # a short fit, so that the outputs stay spread over (0, 1) rather than saturate
        optimizer.zero_grad()
        loss = nn.functional.binary_cross_entropy_with_logits(logits(x), t)
        loss.backward()
        optimizer.step()
    print(f"sigmoid_output: trained 100 Adam steps on x0 + x1 > x2, binary cross-entropy {float(loss):.4f}")
    inputs = torch.rand(12, 3, generator=g, dtype=torch.float64) * 6 - 3
    architecture = ("Input(3) -> Linear(3, 4), ReLU -> Linear(4, 1), Sigmoid; "
                    "trained on x0 + x1 > x2 with binary cross-entropy")
    write_model(out, "sigmoid_output_float", copy.deepcopy(model).float(), inputs.float(),
                architecture + "; the double model converted with .float()", summary)
    write_model(out, "sigmoid_output_double", model, inputs, architecture, summary)


def make_unsupported(out, summary):
    """ONNX files with operators the library has no counterpart for."""
    example = torch.zeros(1, 4)

    # Dropout: an eval-mode export drops it from the graph, so export in training mode, without constant folding.
    torch.manual_seed(400)
    model = nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Dropout(p=0.5), nn.Linear(6, 3))
    model.train()
    data = onnx_export(model, example, os.path.join(out, "unsupported_dropout.onnx"),
                       training=torch.onnx.TrainingMode.TRAINING, do_constant_folding=False)
    print("unsupported_dropout: Linear(4, 6), ReLU, Dropout(0.5), Linear(6, 3); exported in training mode")
    summary.append(("unsupported_dropout", "float32", describe_onnx("unsupported_dropout", data)))

    # BatchNorm1d after a Linear: an eval-mode export keeps a BatchNormalization node (PyTorch folds batch norm only
    # into a preceding convolution), with the running statistics as initializers.
    torch.manual_seed(401)
    model = nn.Sequential(nn.Linear(4, 6), nn.BatchNorm1d(6), nn.ReLU(), nn.Linear(6, 3))
    with torch.no_grad():
        model[1].running_mean.uniform_(-0.5, 0.5)
        model[1].running_var.uniform_(0.5, 2.0)
    model.eval()
    data = onnx_export(model, example, os.path.join(out, "unsupported_batchnorm.onnx"))
    print("unsupported_batchnorm: Linear(4, 6), BatchNorm1d(6), ReLU, Linear(6, 3); eval mode")
    summary.append(("unsupported_batchnorm", "float32", describe_onnx("unsupported_batchnorm", data)))

    # Conv1d on a one-channel sequence of 8, then a dense layer.
    torch.manual_seed(402)
    model = nn.Sequential(nn.Conv1d(1, 2, kernel_size=3), nn.ReLU(), nn.Flatten(), nn.Linear(12, 3))
    model.eval()
    data = onnx_export(model, torch.zeros(1, 1, 8), os.path.join(out, "unsupported_conv.onnx"))
    print("unsupported_conv: Conv1d(1, 2, 3), ReLU, Flatten, Linear(12, 3); input [batch, 1, 8]")
    summary.append(("unsupported_conv", "float32", describe_onnx("unsupported_conv", data)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help="output directory (default: %(default)s)")
    parser.add_argument("--iris", default=DEFAULT_IRIS, help="Iris CSV (default: %(default)s)")
    args = parser.parse_args()

    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    os.makedirs(args.out, exist_ok=True)
    print(f"torch {torch.__version__}, Python {sys.version.split()[0]}; writing {args.out}")

    summary = []
    make_iris(args.out, args.iris, summary)
    make_regression(args.out, summary)
    make_activations(args.out, summary)
    make_sigmoid_output(args.out, summary)
    make_unsupported(args.out, summary)

    print("\nSummary (model, dtype, ONNX op types):")
    for name, dtype, ops in summary:
        print(f"  {name:24} {dtype:8} {' '.join(ops)}")
    total = sum(os.path.getsize(os.path.join(args.out, f)) for f in os.listdir(args.out))
    print(f"{len(os.listdir(args.out))} files, {total} bytes in all")


if __name__ == "__main__":
    main()
