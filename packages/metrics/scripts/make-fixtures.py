#!/usr/bin/env python3
"""Writes the scikit-learn reference fixtures that @mnist/metrics is tested against.

Run from packages/metrics with a Python that has scikit-learn: `pnpm fixtures` (the `python3` on PATH), or
`python3 scripts/make-fixtures.py`. Get scikit-learn with `apt-get install python3-sklearn` (Debian) or
`python3 -m pip install scikit-learn`. CI does not run this; the JSON it writes is committed. Output is deterministic for a given scikit-learn/NumPy.

Every case is evaluated with labels=range(k), which is how @mnist/metrics defines its classes: all of
0..k-1 are listed, even a class that occurs in neither input.
"""

import json
import os
import sys
import warnings

try:
    import numpy as np
    import sklearn
    from sklearn.exceptions import UndefinedMetricWarning
    from sklearn.metrics import (
        accuracy_score,
        classification_report,
        confusion_matrix,
        log_loss,
        precision_recall_fscore_support,
        top_k_accuracy_score,
    )
except ImportError as error:
    sys.exit(
        f"{error}. This script needs scikit-learn and NumPy in the Python that runs it ({sys.executable}): "
        "on Debian `apt-get install python3-sklearn`, elsewhere `python3 -m pip install scikit-learn`; "
        "or run it with a Python that has them."
    )

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, "..", "test", "fixtures")

DIGIT_NAMES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
# Mixed widths: one name longer than "weighted avg" widens the first column; the cat is an astral
# character (one code point, two UTF-16 units) to check padding counts code points like Python.
ODD_NAMES = ["cat", "dog", "a rather long class name", "\U0001F408 cat", "é", "x"]


def names_for(k):
    if k == 10:
        return DIGIT_NAMES
    return (ODD_NAMES * 2)[:k]


def noisy_predictions(rng, y_true, k, accuracy):
    """Each prediction is right with probability `accuracy`, otherwise a uniformly random class."""
    wrong = rng.randint(0, k, size=len(y_true))
    keep = rng.random_sample(len(y_true)) < accuracy
    return np.where(keep, y_true, wrong)


def label_cases():
    rng = np.random.RandomState(20240503)
    cases = []

    def add(name, k, y_true, y_pred, zero_division=0, report_options=None):
        cases.append(
            dict(
                name=name,
                k=k,
                y_true=np.asarray(y_true, dtype=np.int64),
                y_pred=np.asarray(y_pred, dtype=np.int64),
                zero_division=zero_division,
                report_options=report_options,
            )
        )

    # Random cases with 2, 3 and 10 classes.
    for k, n, accuracy in [(2, 50, 0.7), (2, 1000, 0.85), (3, 200, 0.6), (3, 31, 0.5), (10, 1000, 0.9), (10, 5000, 0.97)]:
        y_true = rng.randint(0, k, size=n)
        add(f"random k={k} n={n}", k, y_true, noisy_predictions(rng, y_true, k, accuracy))

    # Few samples over many classes: classes go missing from the truth, the predictions or both.
    for seed_case in range(4):
        y_true = rng.randint(0, 10, size=12)
        add(f"sparse k=10 n=12 #{seed_case}", 10, y_true, noisy_predictions(rng, y_true, 10, 0.5))

    # A class that is never predicted (precision 0/0), and one that never occurs (recall 0/0).
    y_true = rng.randint(0, 4, size=80)
    y_pred = noisy_predictions(rng, y_true, 4, 0.7)
    y_pred[y_pred == 3] = 1
    add("class 3 never predicted", 4, y_true, y_pred)
    add("class 3 never predicted, zero_division=1", 4, y_true, y_pred, zero_division=1)

    y_true = rng.randint(0, 4, size=80)
    y_true[y_true == 2] = 0
    y_pred = noisy_predictions(rng, y_true, 4, 0.6)
    add("class 2 never in truth", 4, y_true, y_pred)
    add("class 2 never in truth, zero_division=1", 4, y_true, y_pred, zero_division=1)

    # A class absent from both inputs: scikit-learn then prints "micro avg" instead of "accuracy".
    y_true = rng.randint(0, 4, size=60)
    add("class 4 absent from both", 5, y_true, noisy_predictions(rng, y_true, 4, 0.75))
    add(
        "class 4 absent from both, zero_division=1",
        5,
        y_true,
        noisy_predictions(rng, y_true, 4, 0.75),
        zero_division=1,
    )

    # Heavy imbalance: 95% of one class, a few rare classes, one rare class always missed.
    probabilities = np.array([0.95] + [0.05 / 9] * 9)
    y_true = rng.choice(10, size=3000, p=probabilities)
    y_pred = noisy_predictions(rng, y_true, 10, 0.92)
    y_pred[y_true == 7] = 0
    add("heavy imbalance k=10", 10, y_true, y_pred)
    y_true = np.array([0] * 997 + [1] * 3)
    y_pred = np.array([0] * 1000)
    add("heavy imbalance k=2, minority never predicted", 2, y_true, y_pred)

    # Exact ties for rounding: precision 1/8, recall 3/8 etc. Python rounds 0.125 to "0.12", 0.375 to
    # "0.38" (half to even on the exact binary value), digits=0 rounds 0.5 to "0".
    y_true = [0] * 8 + [1] * 8 + [2] * 8
    y_pred = [0] + [1] * 7 + [1] * 3 + [2] * 5 + [2] * 4 + [0] * 4
    add("rounding ties", 3, y_true, y_pred, report_options=[dict(digits=0), dict(digits=1), dict(digits=2), dict(digits=3)])

    add("all correct", 3, [0, 1, 2, 2, 1, 0], [0, 1, 2, 2, 1, 0])
    add("all wrong", 3, [0, 1, 2, 2, 1, 0], [1, 2, 0, 0, 2, 1])
    add("single sample", 2, [1], [1])
    add("single class k=1", 1, [0, 0, 0], [0, 0, 0])
    return cases


def evaluate_labels(case):
    k, y_true, y_pred, zd = case["k"], case["y_true"], case["y_pred"], case["zero_division"]
    labels = list(range(k))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        p, r, f, s = precision_recall_fscore_support(
            y_true, y_pred, labels=labels, average=None, zero_division=zd
        )
        averages = {}
        for average in ("macro", "weighted"):
            ap, ar, af, _ = precision_recall_fscore_support(
                y_true, y_pred, labels=labels, average=average, zero_division=zd
            )
            averages[average] = dict(precision=float(ap), recall=float(ar), f1=float(af))
        options = case["report_options"] or [
            dict(digits=2),
            dict(digits=4, target_names=names_for(k)),
            dict(digits=15),
        ]
        reports = []
        for option in options:
            text = classification_report(
                y_true,
                y_pred,
                labels=labels,
                digits=option["digits"],
                target_names=option.get("target_names"),
                zero_division=zd,
            )
            reports.append(dict(digits=option["digits"], targetNames=option.get("target_names"), text=text))
    return dict(
        name=case["name"],
        numClasses=k,
        zeroDivision=zd,
        yTrue=y_true.tolist(),
        yPred=y_pred.tolist(),
        counts=confusion_matrix(y_true, y_pred, labels=labels).tolist(),
        normalized={
            mode: confusion_matrix(y_true, y_pred, labels=labels, normalize=mode).tolist()
            for mode in ("true", "pred", "all")
        },
        accuracy=float(accuracy_score(y_true, y_pred)),
        precision=p.tolist(),
        recall=r.tolist(),
        f1=f.tolist(),
        support=s.tolist(),
        macroAvg=averages["macro"],
        weightedAvg=averages["weighted"],
        reports=reports,
    )


def probability_cases():
    """Each score set is stored once with the results of several settings."""
    rng = np.random.RandomState(7)
    top_k, losses = [], []
    for k, n in [(3, 60), (10, 150)]:
        y_true = rng.randint(0, k, size=n)
        scores = rng.dirichlet(np.ones(k), size=n)
        # Rounded scores create ties, which scikit-learn breaks by ranking the higher class first.
        tied = np.round(scores, 1)
        for name, values in [("dirichlet", scores), ("rounded to 0.1 (ties)", tied)]:
            results = []
            for top in sorted({1, 2, k - 1, k}):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", UndefinedMetricWarning)
                    value = top_k_accuracy_score(y_true, values, k=top, labels=list(range(k)))
                results.append(dict(k=top, value=float(value)))
            top_k.append(
                dict(name=f"{name} k={k} n={n}", numClasses=k, yTrue=y_true.tolist(), scores=values.tolist(), results=results)
            )

    for k, n in [(2, 40), (3, 60), (10, 100)]:
        y_true = rng.randint(0, k, size=n)
        softmax_like = rng.dirichlet(np.ones(k) * 0.5, size=n)
        # One-hot rows, some of them wrong: exact 0 and 1 must be clipped, not give infinity.
        hard = np.eye(k)[np.where(rng.random_sample(n) < 0.8, y_true, rng.randint(0, k, size=n))]
        # Independent sigmoid outputs (rows do not sum to 1), as a Dense(10, sigmoid) model gives.
        sigmoid_like = rng.random_sample((n, k))
        for name, values in [("softmax-like", softmax_like), ("one-hot with mistakes", hard), ("sigmoid rows", sigmoid_like)]:
            results = []
            for eps, normalize in [("auto", True), (1e-7, True), ("auto", False)]:
                value = log_loss(y_true, values, eps=eps, normalize=normalize, labels=list(range(k)))
                results.append(
                    dict(eps=None if eps == "auto" else eps, reduction="mean" if normalize else "sum", value=float(value))
                )
            losses.append(
                dict(
                    name=f"{name} k={k} n={n}",
                    numClasses=k,
                    yTrue=y_true.tolist(),
                    probabilities=values.tolist(),
                    results=results,
                )
            )
    return top_k, losses


def viridis_table():
    """matplotlib's 256-entry viridis in 0..255 channels, to bound the error of our 9-anchor ramp."""
    try:
        from matplotlib import cm
    except ImportError:
        return None
    return [[round(channel * 255) for channel in cm.viridis(i)[:3]] for i in range(256)]


def write_json(name, data):
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, name)
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
        handle.write("\n")
    os.replace(temporary, path)
    print(f"wrote {os.path.relpath(path)}")


def main():
    versions = dict(sklearn=sklearn.__version__, numpy=np.__version__)
    write_json("sklearn-labels.json", dict(versions=versions, cases=[evaluate_labels(c) for c in label_cases()]))
    top_k, losses = probability_cases()
    write_json("sklearn-probabilities.json", dict(versions=versions, topK=top_k, logLoss=losses))
    table = viridis_table()
    if table is not None:
        write_json("matplotlib-viridis.json", dict(colors=table))


if __name__ == "__main__":
    main()
