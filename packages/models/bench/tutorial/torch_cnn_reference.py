#!/usr/bin/env python3
"""A cnn recipe in PyTorch: the reference that `pnpm bench:tutorial` races our cnn training against.

The architecture comes in as the same layer list @mnist/models builds its cnn from (`--layers`, JSON: conv2d
entries with filters, kernelSize, strides and 'same' or 'valid' padding, each followed by relu; one flatten; a
final dense softmax), so the two sides cannot drift apart. The bench passes `COMPACT_CNN_LAYERS` (the race the
performance issue set) and `CNN_LAYERS` (the shipped cnn). Same data (the MNIST .gz files, pixels / 255), same
recipe (Adam with the given rate decayed by `--decay` every epoch, eps 1e-7, `--batch-size`, Keras's sparse categorical
cross-entropy on the softmax outputs, every training image shifted at random by up to `--max-shift` px in x and y
with zero fill), reshuffled every epoch. Prints one JSON object on stdout: seconds per epoch, training samples
per second, test accuracy.

TensorFlow's "same" padding for an even-sized input and stride 2 puts the extra row/column at the bottom/right;
PyTorch's symmetric padding would shift the grid, so the input is padded explicitly (F.pad) as TF does.

Usage:
  python3 torch_cnn_reference.py DATA_DIR --layers '[{"kind":"conv2d","filters":32,"kernelSize":5,"strides":2,
      "padding":"same"},{"kind":"flatten"},{"kind":"dense","units":10,"activation":"softmax"}]'
      [--epochs 12] [--batch-size 64] [--learning-rate 0.002] [--decay 0.75] [--max-shift 2] [--limit N]
      [--threads 2] [--seed 1]

DATA_DIR holds the four original MNIST .gz files (or the same files uncompressed). Exit code 3 means torch
is not importable; exit code 2 (argparse's) a layer list this script would not build exactly as given.
"""

import argparse
import json
import os
import platform
import sys
import time

from keras_reference import load_split  # the same IDX reader as the tutorial reference


def same_padding(size, kernel, stride):
    """TensorFlow's 'same' padding (before, after) for one axis."""
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def run(data, specs, recipe, seed, threads, limit):
    import torch  # noqa: PLC0415 (imported late: an absent torch is reported, not crashed on)
    import torch.nn.functional as F  # noqa: PLC0415, N812

    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    (x_train, y_train), (x_test, y_test) = data
    if limit:
        x_train, y_train = x_train[:limit], y_train[:limit]
    x_train = torch.from_numpy(x_train).reshape(-1, 1, 28, 28)
    y_train = torch.from_numpy(y_train)
    x_test = torch.from_numpy(x_test).reshape(-1, 1, 28, 28)
    y_test = torch.from_numpy(y_test)
    eps = 1e-7

    class Cnn(torch.nn.Module):
        """The layer list, built in order; the 'same' paddings are worked out once for a 28x28 input."""

        def __init__(self):
            super().__init__()
            self.steps = []  # ("conv", index, (left, right, top, bottom) or None) | ("flatten",) | ("dense", index)
            self.layers = torch.nn.ModuleList()
            size, channels, features = 28, 1, None
            for spec in specs:
                if spec["kind"] == "conv2d":
                    kernel, stride = spec["kernelSize"], spec["strides"]
                    if spec["padding"] == "same":
                        before, after = same_padding(size, kernel, stride)
                        pad = (before, after, before, after)
                        size = -(-size // stride)
                    else:
                        pad = None
                        size = (size - kernel) // stride + 1
                    self.layers.append(torch.nn.Conv2d(channels, spec["filters"], kernel, stride=stride))
                    channels = spec["filters"]
                    self.steps.append(("conv", len(self.layers) - 1, pad))
                elif spec["kind"] == "flatten":
                    features = size * size * channels
                    self.steps.append(("flatten",))
                else:
                    self.layers.append(torch.nn.Linear(features, spec["units"]))
                    features = spec["units"]
                    self.steps.append(("dense", len(self.layers) - 1, spec["activation"]))
            for layer in self.layers:
                torch.nn.init.xavier_uniform_(layer.weight)
                torch.nn.init.zeros_(layer.bias)

        def forward(self, x):
            for step in self.steps:
                if step[0] == "conv":
                    _, index, pad = step
                    x = F.relu(self.layers[index](x if pad is None else F.pad(x, pad)))
                elif step[0] == "flatten":
                    # TensorFlow's channels-last order, so the dense weights mean the same thing.
                    x = x.permute(0, 2, 3, 1).reshape(x.shape[0], -1)
                else:
                    _, index, activation = step
                    x = self.layers[index](x)
                    x = F.softmax(x, dim=1) if activation == "softmax" else F.relu(x)
            return x

    def sparse_ce(probabilities, labels):
        p = probabilities.clamp(eps, 1 - eps)
        p = p / p.sum(dim=1, keepdim=True)
        return -torch.log(p.gather(1, labels[:, None])).mean()

    def shifted(batch, max_shift):
        # Each image moved by its own random (dx, dy) in [-max_shift, max_shift], zero fill: pad once, crop per image.
        n = batch.shape[0]
        padded = F.pad(batch, (max_shift,) * 4)
        offsets = torch.randint(0, 2 * max_shift + 1, (n, 2))
        rows = torch.arange(28)
        ys = (offsets[:, 0:1] + rows)[:, :, None].expand(n, 28, 28)
        xs = (offsets[:, 1:2] + rows)[:, None, :].expand(n, 28, 28)
        return padded[torch.arange(n)[:, None, None], 0, ys, xs].unsqueeze(1)

    model = Cnn()
    optimiser = torch.optim.Adam(model.parameters(), lr=recipe["learningRate"], eps=eps)
    schedule = torch.optim.lr_scheduler.ExponentialLR(optimiser, gamma=recipe["decay"])
    batch_size, max_shift = recipe["batchSize"], recipe["maxShift"]
    seconds, losses, accuracies = [], [], []
    for _ in range(recipe["epochs"]):
        start = time.perf_counter()
        order = torch.randperm(len(x_train))
        loss_sum, correct = 0.0, 0
        model.train()
        for i in range(0, len(order), batch_size):
            batch = order[i : i + batch_size]
            xb, yb = (shifted(x_train[batch], max_shift) if max_shift else x_train[batch]), y_train[batch]
            optimiser.zero_grad(set_to_none=True)
            out = model(xb)
            loss = sparse_ce(out, yb)
            loss.backward()
            optimiser.step()
            with torch.no_grad():
                loss_sum += loss.detach() * len(batch)
                correct += (out.argmax(1) == yb).sum()
        schedule.step()
        seconds.append(time.perf_counter() - start)
        losses.append(float(loss_sum) / len(order))
        accuracies.append(float(correct) / len(order))
    start = time.perf_counter()
    with torch.no_grad():
        model.eval()
        out = torch.cat([model(x_test[i : i + 1000]) for i in range(0, len(x_test), 1000)])
        test_loss = float(sparse_ce(out, y_test))
        test_accuracy = float((out.argmax(1) == y_test).float().mean())
    evaluate_seconds = time.perf_counter() - start
    total = sum(seconds)
    return {
        "framework": "torch",
        "version": torch.__version__,
        "threads": torch.get_num_threads(),
        "model": "cnn",
        "parameters": sum(p.numel() for p in model.parameters()),
        "epochSeconds": [round(s, 4) for s in seconds],
        "secondsPerEpoch": round(total / len(seconds), 4),
        "trainSeconds": round(total, 4),
        "samplesPerSecond": round(len(x_train) * len(seconds) / total, 1),
        "trainLoss": [round(v, 5) for v in losses],
        "trainAccuracy": [round(v, 5) for v in accuracies],
        "testLoss": round(test_loss, 5),
        "testAccuracy": round(test_accuracy, 5),
        "evaluateSeconds": round(evaluate_seconds, 4),
    }


def layer_list(text):
    """The --layers JSON, checked so that what is built is what was asked for: conv2d layers (filters,
    kernelSize, strides as whole numbers >= 1, padding 'same' or 'valid', each followed by relu, every feature map
    at least 1x1 on a 28x28 input), one flatten, then dense layers (units >= 1, relu) ending in a softmax."""

    def whole(spec, key):
        value = spec.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise argparse.ArgumentTypeError(f"{spec.get('kind')} layer: {key} must be a whole number >= 1, got {value!r}")
        return value

    try:
        specs = json.loads(text)
    except json.JSONDecodeError as error:
        raise argparse.ArgumentTypeError(f"not JSON: {error}") from error
    if not isinstance(specs, list) or not all(isinstance(spec, dict) for spec in specs):
        raise argparse.ArgumentTypeError("expected a JSON list of layer objects")
    kinds = [spec.get("kind") for spec in specs]
    if kinds.count("flatten") != 1:
        raise argparse.ArgumentTypeError("expected conv2d layers, one flatten, then dense layers")
    flatten = kinds.index("flatten")
    if any(kind != "conv2d" for kind in kinds[:flatten]) or any(kind != "dense" for kind in kinds[flatten + 1 :]):
        raise argparse.ArgumentTypeError("expected conv2d layers, one flatten, then dense layers")
    size = 28
    for spec in specs[:flatten]:
        kernel, stride = whole(spec, "kernelSize"), whole(spec, "strides")
        whole(spec, "filters")
        if spec.get("padding") == "same":
            size = -(-size // stride)
        elif spec.get("padding") == "valid":
            size = (size - kernel) // stride + 1
        else:
            raise argparse.ArgumentTypeError(f"conv2d layer: padding must be 'same' or 'valid', got {spec.get('padding')!r}")
        if size < 1:
            raise argparse.ArgumentTypeError(f"conv2d layer with kernel {kernel}: the feature map shrinks below 1x1")
    dense = specs[flatten + 1 :]
    if not dense:
        raise argparse.ArgumentTypeError("expected at least one dense layer after flatten")
    for k, spec in enumerate(dense):
        whole(spec, "units")
        wanted = "softmax" if k == len(dense) - 1 else "relu"
        if spec.get("activation") != wanted:
            raise argparse.ArgumentTypeError(f"dense layer {k + 1}: activation must be {wanted}, got {spec.get('activation')!r}")
    return specs


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data_dir")
    parser.add_argument("--layers", type=layer_list, required=True, help="the cnn's layer list as JSON")
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--learning-rate", type=float, default=0.002)
    parser.add_argument("--decay", type=float, default=0.75, help="learning-rate factor after every epoch")
    parser.add_argument("--max-shift", type=int, default=2, help="random shift in px, x and y (0: none)")
    parser.add_argument("--limit", type=int, default=0, help="train on the first N images only")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    try:
        __import__("torch")
    except ImportError as error:
        print(json.dumps({"framework": "torch", "available": False, "error": str(error)}))
        sys.exit(3)
    start = time.perf_counter()
    data = (load_split(args.data_dir, "train"), load_split(args.data_dir, "test"))
    load_seconds = time.perf_counter() - start
    recipe = {
        "epochs": args.epochs,
        "batchSize": args.batch_size,
        "learningRate": args.learning_rate,
        "decay": args.decay,
        "maxShift": args.max_shift,
    }
    report = run(data, args.layers, recipe, args.seed, args.threads, args.limit)
    report.update({
        "available": True,
        "python": platform.python_version(),
        "cpuCount": os.cpu_count(),
        **recipe,
        "loadSeconds": round(load_seconds, 4),
    })
    print(json.dumps(report))


if __name__ == "__main__":
    main()
