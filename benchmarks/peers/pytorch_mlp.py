#!/usr/bin/env python3
"""PyTorch on the networks and operations of benchmarks/Backprop.Benchmarks, for issue #5's peer row.

Setup (Debian 12; the distribution's CPU build of PyTorch, no pip):
    apt-get update && apt-get install -y python3-torch
Run (the system interpreter, which is the one that has the package):
    /usr/bin/python3 benchmarks/peers/pytorch_mlp.py [--json PATH] [--repeats N] [--networks NAME ...]
It prints a Markdown table. --json PATH also writes the medians as
    {"torch": "2.x", "threads": 1, "repeats": 7,
     "results": [{"network": "4-8-3", "operation": "TrainStep", "ns": 69709.1}, ...]}
with the network and operation names of the .NET benchmarks (Shape.cs; Forward, TrainStep, TrainBatch32),
which is what `dotnet run -c Release --project benchmarks/Backprop.Benchmarks -- --pytorch ...` reads to put
PyTorch in its ratio table. --networks measures only the named networks (default: all); --repeats sets the
number of repeats (default 7; 1 for a quick check whose figures are not to be read). Without torch the script
prints how to install it and exits with status 3.

Same networks as Networks.cs (float32): 2-3-1 sigmoid/sigmoid with sum-squared error; 4-8-3 tanh/softmax,
16-16-16-4, 64-32-10 and 784-128-10 ReLU/softmax with cross-entropy. Same operations: Forward of one row
(no autograd), TrainStep (per-sample SGD: forward, loss, backward, update) and TrainBatch of 32 rows
(mean loss, one update). Losses exactly as Backprop defines them: Σ(t − y)², and −Σ t·log softmax(z).
One thread (torch.set_num_threads(1)), like the .NET rows. Each figure is the median over the repeats
(7 by default) of the mean time per call over enough calls to last about 0.2 s, after a warm-up.
"""

import argparse
import json
import statistics
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
torch.manual_seed(1)

NETWORKS = [
    ("2-3-1", [2, 3, 1], ["sigmoid", "sigmoid"], "sse"),
    ("4-8-3", [4, 8, 3], ["tanh", "softmax"], "ce"),
    ("16-16-16-4", [16, 16, 16, 4], ["relu", "relu", "softmax"], "ce"),
    ("64-32-10", [64, 32, 10], ["relu", "softmax"], "ce"),
    ("784-128-10", [784, 128, 10], ["relu", "softmax"], "ce"),
]
LEARNING_RATE = 1e-4
BATCH = 32


def build(sizes, activations):
    layers = []
    for (fan_in, fan_out), activation in zip(zip(sizes, sizes[1:]), activations):
        layers.append(torch.nn.Linear(fan_in, fan_out))
        if activation == "sigmoid":
            layers.append(torch.nn.Sigmoid())
        elif activation == "tanh":
            layers.append(torch.nn.Tanh())
        elif activation == "relu":
            layers.append(torch.nn.ReLU())
        # softmax is folded into the loss (log_softmax), as the generated code computes it from the logits
    return torch.nn.Sequential(*layers)


def loss_of(kind, output, target):
    if kind == "sse":
        return ((target - output) ** 2).sum(dim=-1)
    return -(target * torch.log_softmax(output, dim=-1)).sum(dim=-1)


def data(sizes, kind, rows):
    inputs = torch.rand(rows, sizes[0]) * 2 - 1
    if kind == "sse":
        targets = torch.rand(rows, sizes[-1])
    else:
        targets = torch.nn.functional.one_hot(torch.randint(sizes[-1], (rows,)), sizes[-1]).float()
    return inputs, targets


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
    parser.add_argument("--json", metavar="PATH", help="also write the medians to PATH as JSON")
    parser.add_argument("--repeats", type=int, default=7, metavar="N",
                        help="repeats per figure, whose median is reported (default 7)")
    parser.add_argument("--networks", nargs="+", metavar="NAME", choices=[name for name, *_ in NETWORKS],
                        help="measure only these networks (default: all)")
    arguments = parser.parse_args()
    if arguments.repeats < 1:
        parser.error("--repeats must be at least 1")
    return arguments


def measure(sizes, activations, kind, repeats):
    """Yields (operation, seconds per call) for Forward, TrainStep and TrainBatch32 of one network."""
    model = build(sizes, activations)
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    row_input, row_target = data(sizes, kind, 1)
    batch_inputs, batch_targets = data(sizes, kind, BATCH)

    def forward():
        with torch.no_grad():
            output = model(row_input)
            if kind == "ce":
                torch.softmax(output, dim=-1)

    def train_step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_of(kind, model(row_input), row_target).sum()
        loss.backward()
        optimizer.step()

    def train_batch():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_of(kind, model(batch_inputs), batch_targets).mean()
        loss.backward()
        optimizer.step()

    for operation, action in (("Forward", forward), ("TrainStep", train_step), (f"TrainBatch{BATCH}", train_batch)):
        yield operation, time_per_call(action, repeats)


def main():
    arguments = parse_arguments()
    threads = torch.get_num_threads()
    print(f"PyTorch {torch.__version__}, {threads} thread, median of {arguments.repeats} repeat(s)")
    print()
    print("| Network | Operation | PyTorch |")
    print("|---|---|--:|")
    results = []
    for name, sizes, activations, kind in NETWORKS:
        if arguments.networks and name not in arguments.networks:
            continue
        for operation, seconds in measure(sizes, activations, kind, arguments.repeats):
            print(f"| {name} | {operation} | {seconds * 1e9:,.0f} ns |", flush=True)
            results.append({"network": name, "operation": operation, "ns": round(seconds * 1e9, 1)})

    if arguments.json:
        document = {"torch": torch.__version__, "threads": threads, "repeats": arguments.repeats, "results": results}
        with open(arguments.json, "w", encoding="utf-8") as file:
            json.dump(document, file, indent=2)
            file.write("\n")
        print(f"\nWritten to {arguments.json}")


if __name__ == "__main__":
    main()
