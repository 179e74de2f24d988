#!/usr/bin/env python3
"""PyTorch on the networks and operations of benchmarks/Backprop.Benchmarks, for issue #5's peer row.

Setup (Debian 12; the distribution's CPU build of PyTorch, no pip):
    apt-get update && apt-get install -y python3-torch
Run (the system interpreter, which is the one that has the package):
    /usr/bin/python3 benchmarks/peers/pytorch_mlp.py

Same networks as Networks.cs (float32): 2-3-1 sigmoid/sigmoid with sum-squared error; 4-8-3 tanh/softmax,
16-16-16-4, 64-32-10 and 784-128-10 ReLU/softmax with cross-entropy. Same operations: Forward of one row
(no autograd), TrainStep (per-sample SGD: forward, loss, backward, update) and TrainBatch of 32 rows
(mean loss, one update). Losses exactly as Backprop defines them: Σ(t − y)², and −Σ t·log softmax(z).
One thread (torch.set_num_threads(1)), like the .NET rows. Each figure is the median over 7 repeats
of the mean time per call over enough calls to last about 0.2 s, after a warm-up.
"""

import statistics
import time

import torch

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


def time_per_call(action):
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
    for _ in range(7):
        start = time.perf_counter()
        for _ in range(calls):
            action()
        samples.append((time.perf_counter() - start) / calls)
    return statistics.median(samples)


def main():
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} thread")
    print()
    print("| Network | Operation | PyTorch |")
    print("|---|---|--:|")
    for name, sizes, activations, kind in NETWORKS:
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

        for operation, action in (("Forward", forward), ("TrainStep", train_step), ("TrainBatch32", train_batch)):
            seconds = time_per_call(action)
            print(f"| {name} | {operation} | {seconds * 1e9:,.0f} ns |", flush=True)


if __name__ == "__main__":
    main()
