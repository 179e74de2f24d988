#!/usr/bin/env python3
"""PyTorch on the networks and operations of benchmarks/Backprop.Benchmarks, for the peer columns (issues #5, #13).

Setup (Debian 12; the distribution's CPU build of PyTorch, no pip):
    apt-get update && apt-get install -y python3-torch
Run (the system interpreter, which is the one that has the package):
    /usr/bin/python3 benchmarks/peers/pytorch_mlp.py --data DIR [--json PATH] [--repeats N] [--networks NAME ...] [--check-only]
DIR holds one NETWORK.bin per network, written by the benchmark program (its PeerData.cs says the format): the
generated network's parameters, the benchmark's rows and targets, and the generated network's outputs, loss and
parameters after a training step and a batch step. `dotnet run -c Release --project benchmarks/Backprop.Benchmarks
-- --pytorch ...` writes them into its results folder and runs this script on them; `-- --verify` runs it with
--check-only. Before timing a network the script checks, on the same weights: Forward of the 256 rows (softmax
applied where the network has it) against the generated network's outputs, and one TrainStep and one TrainBatch
(at the checks' learning rate, from the same start) against its loss and parameters, to a relative 1e-4; a failed
check exits with status 2. --check-only stops there.

It prints a Markdown table. --json PATH also writes the medians as
    {"torch": "2.x", "threads": 1, "repeats": 7,
     "results": [{"network": "4-8-3", "operation": "TrainStep", "ns": 69709.1}, ...]}
with the network and operation names of the .NET benchmarks (Shape.cs; Forward, ForwardBatch256, TrainStep,
TrainBatch32), ns per call (ForwardBatch256's call is 256 rows). --networks measures only the named networks
(default: every file in DIR); --repeats sets the number of repeats (default 7; 1 for a quick check whose figures
are not to be read). Without torch the script prints how to install it and exits with status 3.

Same networks as Networks.cs (float32), built from the file: nn.Linear per layer with the file's W and b, then
nn.Sigmoid, nn.Tanh or nn.ReLU; a softmax output layer is folded into the loss (log_softmax), as the generated
code computes it from the logits, and applied explicitly in Forward. Same operations: Forward of one row and of 256
rows (torch.no_grad(), softmax included), TrainStep (per-sample SGD: forward, loss, backward, update) and
TrainBatch of 32 rows (mean loss, one update), at the benchmark's learning rate. Losses exactly as Backprop defines
them: Σ(t − y)², and −Σ t·log softmax(z). One thread (torch.set_num_threads(1)), like the .NET rows. Each figure is
the median over the repeats (7 by default) of the mean time per call over enough calls to last about 0.2 s, after
a warm-up.
"""

import argparse
import json
import os
import statistics
import struct
import sys
import time

MISSING_TORCH_EXIT_CODE = 3

try:
    import torch
except ImportError:
    print(f"pytorch_mlp.py: {sys.executable} has no torch module; install it with: apt-get install -y python3-torch",
          file=sys.stderr)
    sys.exit(MISSING_TORCH_EXIT_CODE)

torch.set_num_threads(1)

ACTIVATIONS = {0: None, 1: "sigmoid", 2: "tanh", 3: "relu", 4: "softmax"}
CHECK_FAILED_EXIT_CODE = 2


class Network:
    """One file of PeerData.cs's format."""

    def __init__(self, path):
        with open(path, "rb") as file:
            self.data = file.read()
        self.offset = 0
        if self.data[:8] != b"BPPEER01":
            raise ValueError(f"{path} is not a BPPEER01 file")
        self.offset = 8
        layers = self.ints(1)[0]
        self.sizes = self.ints(layers + 1)
        self.activations = [ACTIVATIONS[code] for code in self.ints(layers)]
        self.kind = "sse" if self.ints(1)[0] == 0 else "ce"
        self.forward_rows, self.batch_rows = self.ints(2)
        self.learning_rate, self.check_rate = self.floats(2).tolist()
        count = sum(n * (m + 1) for m, n in zip(self.sizes, self.sizes[1:]))
        inputs, outputs = self.sizes[0], self.sizes[-1]
        self.parameters = self.floats(count)
        self.inputs = self.floats(self.forward_rows * inputs).reshape(self.forward_rows, inputs)
        self.targets = self.floats(self.batch_rows * outputs).reshape(self.batch_rows, outputs)
        self.outputs = self.floats(self.forward_rows * outputs).reshape(self.forward_rows, outputs)
        self.step_loss = self.floats(1)[0].item()
        self.step_parameters = self.floats(count)
        self.batch_loss = self.floats(1)[0].item()
        self.batch_parameters = self.floats(count)
        self.name = "-".join(str(size) for size in self.sizes)

    def ints(self, count):
        values = struct.unpack_from(f"<{count}i", self.data, self.offset)
        self.offset += 4 * count
        return list(values)

    def floats(self, count):
        values = torch.tensor(struct.unpack_from(f"<{count}f", self.data, self.offset), dtype=torch.float32)
        self.offset += 4 * count
        return values


def build(network):
    layers = []
    for fan_in, fan_out, activation in zip(network.sizes, network.sizes[1:], network.activations):
        layers.append(torch.nn.Linear(fan_in, fan_out))
        if activation == "sigmoid":
            layers.append(torch.nn.Sigmoid())
        elif activation == "tanh":
            layers.append(torch.nn.Tanh())
        elif activation == "relu":
            layers.append(torch.nn.ReLU())
        # softmax is folded into the loss (log_softmax), as the generated code computes it from the logits
    return torch.nn.Sequential(*layers)


def set_parameters(model, values):
    """Copies the generated layout (per layer: W row-major, neurons × inputs, then b) into the model."""
    offset = 0
    with torch.no_grad():
        for layer in (module for module in model if isinstance(module, torch.nn.Linear)):
            for tensor in (layer.weight, layer.bias):
                tensor.copy_(values[offset:offset + tensor.numel()].reshape(tensor.shape))
                offset += tensor.numel()


def get_parameters(model):
    return torch.cat([tensor.detach().reshape(-1) for layer in model if isinstance(layer, torch.nn.Linear)
                      for tensor in (layer.weight, layer.bias)])


def compare(network, what, expected, actual):
    """Relative 1e-4 (absolute below 1), as the .NET side's checks."""
    expected, actual = torch.as_tensor(expected).reshape(-1), torch.as_tensor(actual).reshape(-1)
    tolerance = 1e-4 * torch.clamp(expected.abs(), min=1.0)
    bad = ~((expected - actual).abs() <= tolerance)
    if bad.any():
        index = int(bad.nonzero()[0])
        print(f"pytorch_mlp.py: {network.name} {what}: [{index}] is {actual[index].item():.9g}, "
              f"the generated network's is {expected[index].item():.9g}", file=sys.stderr)
        sys.exit(CHECK_FAILED_EXIT_CODE)


def check(network, model, forward_batch):
    """The forward pass, a training step and a batch step against the generated network's; leaves the start weights."""
    compare(network, "Forward of the 256 rows", network.outputs, forward_batch(network.inputs))
    for what, rows, expected_loss, expected_parameters in (
            ("TrainStep", 1, network.step_loss, network.step_parameters),
            ("TrainBatch", network.batch_rows, network.batch_loss, network.batch_parameters)):
        set_parameters(model, network.parameters)
        optimizer = torch.optim.SGD(model.parameters(), lr=network.check_rate)
        optimizer.zero_grad(set_to_none=True)
        loss = loss_of(network.kind, model(network.inputs[:rows]), network.targets[:rows]).mean()
        loss.backward()
        optimizer.step()
        compare(network, f"{what} loss", [expected_loss], [loss.item()])
        compare(network, f"parameters after {what}", expected_parameters, get_parameters(model))
    set_parameters(model, network.parameters)


def loss_of(kind, output, target):
    if kind == "sse":
        return ((target - output) ** 2).sum(dim=-1)
    return -(target * torch.log_softmax(output, dim=-1)).sum(dim=-1)


def time_per_call(action, repeats):
    for _ in range(200):
        action()
    calls = 1
    while True:
        start = time.perf_counter()
        for _ in range(calls):
            action()
        elapsed = time.perf_counter() - start
        if elapsed > 0.2:
            break
        calls *= 2
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            action()
        samples.append((time.perf_counter() - start) / calls)
    return statistics.median(samples)


def parse_arguments():
    parser = argparse.ArgumentParser(description="Times PyTorch on the networks of benchmarks/Backprop.Benchmarks.")
    parser.add_argument("--data", metavar="DIR", required=True,
                        help="the folder of NETWORK.bin files written by the benchmark program")
    parser.add_argument("--json", metavar="PATH", help="also write the medians to PATH as JSON")
    parser.add_argument("--repeats", type=int, default=7, metavar="N",
                        help="repeats per figure, whose median is reported (default 7)")
    parser.add_argument("--networks", nargs="+", metavar="NAME", help="measure only these networks (default: all in DIR)")
    parser.add_argument("--check-only", action="store_true", help="check the outputs, time nothing")
    arguments = parser.parse_args()
    if arguments.repeats < 1:
        parser.error("--repeats must be at least 1")
    return arguments


def measure(network, repeats, check_only):
    """Checks the network, then yields (operation, seconds per call) for Forward, ForwardBatch256, TrainStep and TrainBatch32."""
    model = build(network)
    set_parameters(model, network.parameters)
    row_input, row_target = network.inputs[:1], network.targets[:1]
    batch_inputs, batch_targets = network.inputs[:network.batch_rows], network.targets

    def forward_rows(inputs):
        with torch.no_grad():
            output = model(inputs)
            if network.kind == "ce":
                output = torch.softmax(output, dim=-1)
            return output

    check(network, model, forward_rows)
    if check_only:
        return
    optimizer = torch.optim.SGD(model.parameters(), lr=network.learning_rate)

    def forward():
        forward_rows(row_input)

    def forward_batch():
        forward_rows(network.inputs)

    def train_step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_of(network.kind, model(row_input), row_target).sum()
        loss.backward()
        optimizer.step()

    def train_batch():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_of(network.kind, model(batch_inputs), batch_targets).mean()
        loss.backward()
        optimizer.step()

    for operation, action in (("Forward", forward), (f"ForwardBatch{network.forward_rows}", forward_batch),
                              ("TrainStep", train_step), (f"TrainBatch{network.batch_rows}", train_batch)):
        yield operation, time_per_call(action, repeats)


def main():
    arguments = parse_arguments()
    networks = [Network(os.path.join(arguments.data, name)) for name in sorted(os.listdir(arguments.data))
                if name.endswith(".bin")]
    networks.sort(key=lambda network: sum(a * b for a, b in zip(network.sizes, network.sizes[1:])))
    if arguments.networks:
        networks = [network for network in networks if network.name in arguments.networks]
    if arguments.check_only:
        for network in networks:
            for _ in measure(network, arguments.repeats, True):
                pass
            print(f"{network.name}: PyTorch {torch.__version__} agrees with the generated network "
                  "(Forward of 256 rows, TrainStep, TrainBatch).")
        return
    threads = torch.get_num_threads()
    print(f"PyTorch {torch.__version__}, {threads} thread, median of {arguments.repeats} repeat(s)")
    print()
    print("| Network | Operation | PyTorch |")
    print("|---|---|--:|")
    results = []
    for network in networks:
        for operation, seconds in measure(network, arguments.repeats, False):
            print(f"| {network.name} | {operation} | {seconds * 1e9:,.0f} ns |", flush=True)
            results.append({"network": network.name, "operation": operation, "ns": round(seconds * 1e9, 1)})

    if arguments.json:
        document = {"torch": torch.__version__, "threads": threads, "repeats": arguments.repeats, "results": results}
        with open(arguments.json, "w", encoding="utf-8") as file:
            json.dump(document, file, indent=2)
            file.write("\n")
        print(f"\nWritten to {arguments.json}")


if __name__ == "__main__":
    main()
