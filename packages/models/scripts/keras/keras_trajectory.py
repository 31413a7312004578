#!/usr/bin/env python3
"""Keras's own training trajectory of the tutorial's models: the fixture of test/keras-parity.test.ts.

From one set of initial weights (saved as `<model>-initial.keras`), each model is trained the tutorial's way
(Adam 0.001, sparse categorical cross-entropy, batch 32, 5 epochs, pixels / 255 flattened to 784) with
`shuffle=False` on the first N training images, and evaluated on the 10,000 test images, twice:
  - by Keras 3 on TensorFlow, whose loss is a softmax cross-entropy over the output layer's logits
    (the `logits` form, @mnist/models' default), and
  - by Keras 3 on JAX, whose loss normalises the outputs (the `probabilities` form).
`trajectory.json` records both runs: the test loss and accuracy of the initial weights, per-epoch loss and
accuracy, test loss and accuracy after training, and the versions.
The TypeScript test loads the same initial `.keras` files, trains with `shuffle: false` in each form and compares;
it needs no Python.

Usage (from the repository root; Python with keras, tensorflow-cpu, jax and numpy):
  python3 packages/models/scripts/keras/keras_trajectory.py DATA_DIR [--train 10000] [--seed 7]
          [--out packages/models/test/fixtures/keras-parity]

DATA_DIR holds the four original MNIST .gz files (or the same files uncompressed). Each backend runs in a
child process of this script, since Keras picks its backend once, at import.
"""

import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bench", "tutorial"))
from keras_reference import load_split  # noqa: E402 (the bench's reader of the IDX files, shared)

MODELS = ("simple", "mlp")
BACKENDS = ("tensorflow", "jax")


def build(keras, name):
    """The tutorial's models, exactly."""
    if name == "simple":
        layers = [keras.layers.Dense(10, activation="sigmoid", name="output")]
    else:
        layers = [
            keras.layers.Dense(100, activation="relu", name="hidden1"),
            keras.layers.Dense(100, activation="relu", name="hidden2"),
            keras.layers.Dense(10, activation="sigmoid", name="output"),
        ]
    return keras.Sequential([keras.Input(shape=(784,)), *layers], name=name)


def compile_tutorial(keras, model):
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.001),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )


def run_backend(args):
    """In a child process with KERAS_BACKEND set: train each model from its initial file, print JSON."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras  # noqa: PLC0415

    (x_train, y_train) = load_split(args.data_dir, "train")
    (x_test, y_test) = load_split(args.data_dir, "test")
    x_train, y_train = x_train[: args.train], y_train[: args.train]
    keras.utils.set_random_seed(args.seed)
    result = {"backend": keras.backend.backend(), "keras": keras.__version__, "models": {}}
    for name in MODELS:
        initial = os.path.join(args.out, f"{name}-initial.keras")
        if not os.path.exists(initial):
            model = build(keras, name)
            compile_tutorial(keras, model)
            model.save(initial)
        model = keras.saving.load_model(initial, compile=False)
        compile_tutorial(keras, model)
        initial_loss, initial_accuracy = model.evaluate(x_test, y_test, batch_size=1000, verbose=0)
        history = model.fit(x_train, y_train, batch_size=32, epochs=5, shuffle=False, verbose=0)
        test_loss, test_accuracy = model.evaluate(x_test, y_test, batch_size=1000, verbose=0)
        result["models"][name] = {
            "epochs": [
                {"epoch": i + 1, "loss": float(loss), "accuracy": float(accuracy)}
                for i, (loss, accuracy) in enumerate(
                    zip(history.history["loss"], history.history["accuracy"], strict=True)
                )
            ],
            "testLoss": float(test_loss),
            "testAccuracy": float(test_accuracy),
            "initialTestLoss": float(initial_loss),
            "initialTestAccuracy": float(initial_accuracy),
        }
    if result["backend"] == "tensorflow":
        import tensorflow as tf  # noqa: PLC0415

        result["tensorflow"] = tf.__version__
    else:
        import jax  # noqa: PLC0415

        result["jax"] = jax.__version__
    print(json.dumps(result))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data_dir")
    parser.add_argument("--train", type=int, default=10000, help="train on the first N training images")
    parser.add_argument("--seed", type=int, default=7, help="seed of the initial weights")
    parser.add_argument("--out", default=os.path.join(HERE, "..", "..", "test", "fixtures", "keras-parity"))
    parser.add_argument("--backend", choices=BACKENDS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not 1 <= args.train <= 60000:
        raise SystemExit("--train must be a whole number from 1 to 60000")
    args.out = os.path.abspath(args.out)
    if args.backend is not None:
        return run_backend(args)

    os.makedirs(args.out, exist_ok=True)
    runs = {}
    # TensorFlow first: it writes the initial files the JAX run then starts from.
    for backend in BACKENDS:
        child = subprocess.run(
            [sys.executable, __file__, args.data_dir, "--train", str(args.train), "--seed", str(args.seed),
             "--out", args.out, "--backend", backend],
            env={**os.environ, "KERAS_BACKEND": backend},
            check=True,
            capture_output=True,
            text=True,
        )
        runs[backend] = json.loads(child.stdout.strip().splitlines()[-1])
        print(f"{backend}: " + ", ".join(
            f"{name} test accuracy {run['testAccuracy']:.4f} loss {run['testLoss']:.4f}"
            for name, run in runs[backend]["models"].items()
        ), file=sys.stderr)
    fixture = {
        "script": "packages/models/scripts/keras/keras_trajectory.py",
        "trainImages": args.train,
        "seed": args.seed,
        "recipe": {"optimizer": "adam", "learningRate": 0.001, "batchSize": 32, "epochs": 5, "shuffle": False},
        # The form of sparse categorical cross-entropy each Keras backend computes (see src/loss.ts).
        "runs": {"logits": runs["tensorflow"], "probabilities": runs["jax"]},
    }
    path = os.path.join(args.out, "trajectory.json")
    with open(path + ".tmp", "w") as f:
        json.dump(fixture, f, indent=2)
        f.write("\n")
    os.replace(path + ".tmp", path)
    print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
