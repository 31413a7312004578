#!/usr/bin/env python3
"""Writes the NumPy reference fixtures that @mnist/metrics' calibration functions are tested against.

Run from packages/metrics with a Python that has NumPy (`pnpm fixtures:calibration`). CI does not run this;
the JSON it writes is committed. Output is deterministic for a given NumPy.

The reference is the standard equal-width-bin definition of Guo et al., "On Calibration of Modern Neural
Networks" (2017), as their published evaluation code computes it: confidence = max probability, prediction =
argmax, bins (lower, upper] with edges np.linspace(0, 1, M + 1) (the first bin also takes 0), ECE = sum over bins
of |accuracy - mean confidence| * (bin count / n), MCE = the largest gap over non-empty bins.
"""

import json
import os
import sys

try:
    import numpy as np
except ImportError as error:
    sys.exit(f"{error}. This script needs NumPy (pip install numpy).")

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "test", "fixtures", "numpy-calibration.json")


def reference(probabilities, y_true, n_bins):
    confidences = probabilities.max(axis=1)
    predictions = probabilities.argmax(axis=1)
    correct = predictions == y_true
    edges = np.linspace(0, 1, n_bins + 1)
    bins = []
    ece = 0.0
    mce = 0.0
    for b in range(n_bins):
        lower, upper = edges[b], edges[b + 1]
        in_bin = (confidences > lower) & (confidences <= upper)
        if b == 0:
            in_bin |= confidences == 0
        count = int(in_bin.sum())
        if count > 0:
            confidence = float(confidences[in_bin].mean())
            accuracy = float(correct[in_bin].mean())
            gap = abs(accuracy - confidence)
            ece += gap * (count / len(y_true))
            mce = max(mce, gap)
            bins.append(dict(count=count, confidence=confidence, accuracy=accuracy))
        else:
            bins.append(dict(count=0, confidence=None, accuracy=None))
    return dict(
        bins=n_bins,
        ece=float(ece),
        mce=float(mce),
        accuracy=float(correct.mean()),
        confidence=float(confidences.mean()),
        perBin=bins,
        edges=[float(e) for e in edges],
    )


def softmax(logits):
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def cases():
    rng = np.random.RandomState(20261126)
    out = []

    def add(name, probabilities, y_true):
        out.append((name, np.asarray(probabilities, dtype=np.float64), np.asarray(y_true, dtype=np.int64)))

    # A trained-classifier-like model: right most of the time, sharper logits than it should have.
    for k, n, sharpness in [(10, 600, 3.0), (10, 800, 1.0), (3, 500, 2.0), (2, 400, 1.5)]:
        y = rng.randint(0, k, size=n)
        logits = rng.normal(size=(n, k))
        logits[np.arange(n), y] += 2.0
        add(f"softmax k={k} n={n} sharpness={sharpness}", softmax(logits * sharpness), y)
    # Confidences exactly on bin edges (0.5, 0.7, 0.8, 1.0) and ties between classes.
    add(
        "edges and ties",
        [
            [0.5, 0.5, 0.0],
            [0.7, 0.2, 0.1],
            [0.2, 0.7, 0.1],
            [0.8, 0.1, 0.1],
            [1.0, 0.0, 0.0],
            [0.0, 0.0, 1.0],
            [0.4, 0.3, 0.3],
            [1 / 3, 1 / 3, 1 / 3],
        ],
        [1, 0, 0, 0, 0, 2, 1, 2],
    )
    # Rows that do not sum to 1 (independent sigmoid outputs), read as given.
    sig = 1 / (1 + np.exp(-rng.normal(size=(200, 10)) * 3))
    add("sigmoid outputs as given", sig, rng.randint(0, 10, size=200))
    return out


def main():
    fixtures = []
    for name, probabilities, y_true in cases():
        results = [reference(probabilities, y_true, m) for m in (1, 10, 15, 20)]
        fixtures.append(
            dict(name=name, probabilities=probabilities.tolist(), yTrue=y_true.tolist(), results=results)
        )
    with open(OUT, "w") as f:
        json.dump(dict(versions=dict(numpy=np.__version__), cases=fixtures), f)
        f.write("\n")
    print(f"wrote {len(fixtures)} cases to {os.path.relpath(OUT)}")


if __name__ == "__main__":
    main()
