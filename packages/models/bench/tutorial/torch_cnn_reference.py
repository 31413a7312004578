#!/usr/bin/env python3
"""The compact `cnn` recipe in PyTorch: the reference that `pnpm bench:tutorial` compares our cnn training against.

Same architecture as @mnist/models' compact cnn (`COMPACT_CNN_LAYERS`: conv 5x5/32 stride 2 same, conv 3x3/64 stride 2 same,
conv 3x3/64 stride 1 valid, all relu; flatten; dense 10 softmax), same data (the MNIST .gz files,
pixels / 255), same recipe (Adam with lr 0.002 decayed x0.75 every epoch, eps 1e-7, batch 64, Keras's sparse
categorical cross-entropy on the softmax outputs, every training image shifted at random by up to 2 px in x
and y with zero fill), reshuffled every epoch. Prints one JSON object on stdout: seconds per epoch, training
samples per second, test accuracy.

TensorFlow's "same" padding for an even-sized input and stride 2 puts the extra row/column at the bottom/right;
PyTorch's symmetric padding would shift the grid, so the input is padded explicitly (F.pad) as TF does.

Usage:
  python3 torch_cnn_reference.py DATA_DIR [--epochs 12] [--batch-size 64] [--limit N] [--threads 2] [--seed 1]

DATA_DIR holds the four original MNIST .gz files (or the same files uncompressed). Exit code 3 means torch
is not importable.
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


def run(data, epochs, batch_size, seed, threads, limit):
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
        def __init__(self):
            super().__init__()
            self.conv1 = torch.nn.Conv2d(1, 32, 5, stride=2)
            self.conv2 = torch.nn.Conv2d(32, 64, 3, stride=2)
            self.conv3 = torch.nn.Conv2d(64, 64, 3, stride=1)
            self.output = torch.nn.Linear(1600, 10)
            for layer in (self.conv1, self.conv2, self.conv3, self.output):
                torch.nn.init.xavier_uniform_(layer.weight)
                torch.nn.init.zeros_(layer.bias)

        def forward(self, x):
            top, bottom = same_padding(28, 5, 2)
            x = F.relu(self.conv1(F.pad(x, (top, bottom, top, bottom))))
            top, bottom = same_padding(14, 3, 2)
            x = F.relu(self.conv2(F.pad(x, (top, bottom, top, bottom))))
            x = F.relu(self.conv3(x))
            # Flatten in TensorFlow's channels-last order so the dense weights mean the same thing.
            x = x.permute(0, 2, 3, 1).reshape(x.shape[0], -1)
            return F.softmax(self.output(x), dim=1)

    def sparse_ce(probabilities, labels):
        p = probabilities.clamp(eps, 1 - eps)
        p = p / p.sum(dim=1, keepdim=True)
        return -torch.log(p.gather(1, labels[:, None])).mean()

    def shifted(batch, max_shift=2):
        # Each image moved by its own random (dx, dy) in [-2, 2], zero fill: pad once, crop per image.
        n = batch.shape[0]
        padded = F.pad(batch, (max_shift,) * 4)
        offsets = torch.randint(0, 2 * max_shift + 1, (n, 2))
        rows = torch.arange(28)
        ys = (offsets[:, 0:1] + rows)[:, :, None].expand(n, 28, 28)
        xs = (offsets[:, 1:2] + rows)[:, None, :].expand(n, 28, 28)
        return padded[torch.arange(n)[:, None, None], 0, ys, xs].unsqueeze(1)

    model = Cnn()
    optimiser = torch.optim.Adam(model.parameters(), lr=0.002, eps=eps)
    schedule = torch.optim.lr_scheduler.ExponentialLR(optimiser, gamma=0.75)
    seconds, losses, accuracies = [], [], []
    for _ in range(epochs):
        start = time.perf_counter()
        order = torch.randperm(len(x_train))
        loss_sum, correct = 0.0, 0
        model.train()
        for i in range(0, len(order), batch_size):
            batch = order[i : i + batch_size]
            xb, yb = shifted(x_train[batch]), y_train[batch]
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


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data_dir")
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--batch-size", type=int, default=64)
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
    report = run(data, args.epochs, args.batch_size, args.seed, args.threads, args.limit)
    report.update({
        "available": True,
        "python": platform.python_version(),
        "cpuCount": os.cpu_count(),
        "epochs": args.epochs,
        "batchSize": args.batch_size,
        "loadSeconds": round(load_seconds, 4),
    })
    print(json.dumps(report))


if __name__ == "__main__":
    main()
