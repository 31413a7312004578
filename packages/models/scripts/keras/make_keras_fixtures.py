#!/usr/bin/env python3
"""Keras 3 fixtures for @mnist/models' `.keras` reader and writer (test/fixtures/keras/).

Python is needed only to regenerate these files: the tests read what this script wrote and never run Python.
Keras 3 on TensorFlow (the versions used are recorded in figures.json). Run everything with one command from the
repository root (it runs the three steps below in order):

    MNIST_DATA_DIR=/path/to/mnist pnpm --filter @mnist/models keras:fixtures

Steps, each runnable alone:

  python3 make_keras_fixtures.py make  [--data DIR] [--out DIR]
      (a) Builds and trains, seeded, the Keras tutorial's `simple` (Dense(10, sigmoid)) and `mlp`
      (Dense(100, relu) ×2, Dense(10, sigmoid)) for one epoch on the 60,000 training images, keras.io's
      "Simple MNIST convnet" for one epoch on the first 10,000, functional-API versions of `simple` and the
      convnet, the tensorflow.org beginner model with a softmax output (input 28×28, Flatten), and a small
      model with every other layer kind the reader converts; all compiled as the tutorial compiles (Adam,
      sparse_categorical_crossentropy, metrics ["accuracy"]). Saves each with `model.save("from-keras/NAME.keras")`
      and records, after loading the saved file back with `keras.saving.load_model`, Keras's `evaluate` loss and
      accuracy on the 10,000 test images (pixels ÷255; flat 784 for the dense models) in figures.json
      ("fromKeras"). Before saving, each trained model is compiled again with a fresh Adam so that the file does
      not carry the optimizer's moments (three times the weights): the fixtures stay small (< 1 MB together).
      Also writes files the reader must refuse (a Lambda layer, a custom registered layer, logits without an
      activation), a Keras 3 `model.to_json()` config, and `simple` as the tensorflowjs converter lays out a
      Keras 2 model (model.json with a `model_config` and a `group1-shard1of1.bin`).

  node --import tsx --conditions=@mnist/source export-keras-fixtures.ts
      Our side: writes to-keras/*.keras from @mnist/models (pretrained models and a seeded createModel + train).

  python3 make_keras_fixtures.py check [--data DIR] [--out DIR]
      (b) Loads every to-keras/*.keras that our library wrote with `keras.saving.load_model` (safe_mode on),
      records any warning Keras gives, checks that it is compiled with Adam at the recipe's learning rate,
      sparse_categorical_crossentropy and the accuracy metric, evaluates it on the 10,000 test images and
      records Keras's figures in figures.json ("toKeras").

DIR defaults: --data from MNIST_DATA_DIR (the four original .gz files, or the same files uncompressed; nothing is
downloaded), --out the package's test/fixtures/keras folder. Loss figures are Keras 3 on TensorFlow's: for a
sigmoid or softmax output its sparse_categorical_crossentropy is a softmax cross-entropy of the output layer's
pre-activation logits.
"""

import argparse
import gzip
import json
import os
import platform
import struct
import sys
import warnings
import zipfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.normpath(os.path.join(HERE, "..", "..", "test", "fixtures", "keras"))
FIGURES = "figures.json"
SEED = 42
TUTORIAL_LR = 0.001


def read_idx(folder, name, magic):
    path = os.path.join(folder, name)
    if os.path.exists(path):
        with gzip.open(path, "rb") as f:
            data = f.read()
    elif os.path.exists(path[: -len(".gz")]):
        with open(path[: -len(".gz")], "rb") as f:
            data = f.read()
    else:
        raise SystemExit(f"{path} not found: pass --data DIR or set MNIST_DATA_DIR to the MNIST files")
    (found,) = struct.unpack(">I", data[:4])
    if found != magic:
        raise SystemExit(f"{path}: IDX magic {found}, expected {magic}")
    rank = magic & 0xFF
    dims = struct.unpack(">" + "I" * rank, data[4 : 4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def load_mnist(folder):
    """(x_train, y_train), (x_test, y_test): images 28×28 as float32 ÷255, labels int64."""
    splits = []
    for images, labels in (
        ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
        ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
    ):
        x = read_idx(folder, images, 2051).astype(np.float32) / 255.0
        y = read_idx(folder, labels, 2049).astype(np.int64)
        splits.append((x, y))
    return splits


def shaped(x, kind):
    """The images as a model of this input kind takes them."""
    if kind == "flat":
        return x.reshape(len(x), 784)
    if kind == "image":
        return x.reshape(len(x), 28, 28, 1)
    return x  # "28x28": as the tensorflow.org beginner tutorial feeds them


def versions():
    import keras
    import tensorflow as tf

    return {
        "keras": keras.__version__,
        "tensorflow": tf.__version__,
        "backend": keras.backend.backend(),
        "python": platform.python_version(),
    }


def compile_as_tutorial(keras, model, learning_rate=TUTORIAL_LR):
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )


def keras_models(keras):
    """name -> (build, input kind, training images, batch size)."""
    L = keras.layers

    def simple():
        return keras.Sequential([keras.Input((784,)), L.Dense(10, activation="sigmoid")], name="simple")

    def mlp():
        return keras.Sequential(
            [
                keras.Input((784,)),
                L.Dense(100, activation="relu"),
                L.Dense(100, activation="relu"),
                L.Dense(10, activation="sigmoid"),
            ],
            name="mlp",
        )

    def convnet_layers():
        # keras.io, "Simple MNIST convnet".
        return [
            L.Conv2D(32, kernel_size=(3, 3), activation="relu"),
            L.MaxPooling2D(pool_size=(2, 2)),
            L.Conv2D(64, kernel_size=(3, 3), activation="relu"),
            L.MaxPooling2D(pool_size=(2, 2)),
            L.Flatten(),
            L.Dropout(0.5),
            L.Dense(10, activation="softmax"),
        ]

    def convnet():
        return keras.Sequential([keras.Input((28, 28, 1)), *convnet_layers()], name="convnet")

    def simple_functional():
        inputs = keras.Input((784,), name="pixels")
        outputs = L.Dense(10, activation="sigmoid", name="digits")(inputs)
        return keras.Model(inputs, outputs, name="simple_functional")

    def convnet_functional():
        x = inputs = keras.Input((28, 28, 1))
        for layer in convnet_layers():
            x = layer(x)
        return keras.Model(inputs, x, name="convnet_functional")

    def beginner():
        # tensorflow.org's beginner quickstart with a softmax output (it feeds 28×28 images to a Flatten), its
        # hidden layer narrowed from 128 to 32 units to keep the fixture small.
        return keras.Sequential(
            [
                keras.Input((28, 28)),
                L.Flatten(),
                L.Dense(32, activation="relu"),
                L.Dropout(0.2),
                L.Dense(10, activation="softmax"),
            ],
            name="beginner",
        )

    def layer_kinds():
        # Every other layer kind and activation the reader converts, in one small network.
        return keras.Sequential(
            [
                keras.Input((784,)),
                L.Reshape((28, 28, 1)),
                L.ZeroPadding2D(1),
                L.Conv2D(8, 3, strides=2, use_bias=False),
                L.BatchNormalization(),
                L.ReLU(),
                L.AveragePooling2D(2),
                L.Conv2D(12, 3, padding="same", activation="tanh"),
                L.MaxPooling2D(2, strides=1),
                L.Conv2D(12, 1, activation="elu"),
                L.GlobalAveragePooling2D(),
                L.Dense(16, activation="selu"),
                L.Dense(16, activation="softplus"),
                L.Dense(16, activation="softsign"),
                L.Dense(16, activation="relu6"),
                L.Dense(16),
                L.Activation("sigmoid"),
                L.Dropout(0.1),
                L.Dense(10),
                L.Softmax(),
            ],
            name="layer_kinds",
        )

    def layer_kinds_pooled():
        # GlobalMaxPooling2D on an image input.
        return keras.Sequential(
            [keras.Input((28, 28, 1)), L.Conv2D(16, 5, strides=2, activation="relu"), L.GlobalMaxPooling2D(),
             L.Dense(10, activation="softmax")],
            name="global_max",
        )

    return {
        "simple": (simple, "flat", 60000, 32),
        "mlp": (mlp, "flat", 60000, 32),
        "convnet": (convnet, "image", 10000, 128),
        "simple_functional": (simple_functional, "flat", 60000, 32),
        "convnet_functional": (convnet_functional, "image", 10000, 128),
        "beginner": (beginner, "28x28", 60000, 32),
        "layer_kinds": (layer_kinds, "flat", 60000, 32),
        "global_max": (layer_kinds_pooled, "image", 60000, 32),
    }


def evaluate(model, x, y, kind):
    result = model.evaluate(shaped(x, kind), y, batch_size=500, verbose=0, return_dict=True)
    accuracy = float(result["accuracy"])
    return {
        "loss": float(result["loss"]),
        "accuracy": accuracy,
        "correct": int(round(accuracy * len(y))),
        "count": int(len(y)),
    }


def write_json(path, value):
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "w") as f:
        json.dump(value, f, indent=2, sort_keys=True)
        f.write("\n")
    os.replace(temporary, path)


def read_figures(out):
    path = os.path.join(out, FIGURES)
    if os.path.exists(path):
        with open(path) as f:
            return json.load(f)
    return {}


def make(data, out):
    import keras
    import tensorflow as tf

    tf.config.experimental.enable_op_determinism()
    (x_train, y_train), (x_test, y_test) = data
    folder = os.path.join(out, "from-keras")
    os.makedirs(folder, exist_ok=True)
    figures = {}
    for name, (build, kind, count, batch) in keras_models(keras).items():
        keras.utils.set_random_seed(SEED)
        model = build()
        compile_as_tutorial(keras, model)
        model.fit(shaped(x_train[:count], kind), y_train[:count], epochs=1, batch_size=batch, shuffle=True,
                  verbose=0)
        compile_as_tutorial(keras, model)  # a fresh Adam: no moments in the file
        path = os.path.join(folder, f"{name}.keras")
        model.save(path)
        loaded = keras.saving.load_model(path)
        figures[name] = {"file": f"from-keras/{name}.keras", "input": kind, "epochs": 1, "trainImages": count,
                         "batchSize": batch, **evaluate(loaded, x_test, y_test, kind)}
        print(name, figures[name], file=sys.stderr)

    refused = os.path.join(out, "refused")
    os.makedirs(refused, exist_ok=True)
    L = keras.layers
    keras.utils.set_random_seed(SEED)
    # Compiled from text so that its bytecode names no file of this machine.
    doubling = eval(compile("lambda x: x * 2.0", "<fixture>", "eval"))  # noqa: S307 (a constant string)
    lam = keras.Sequential([keras.Input((28, 28, 1)), L.Lambda(doubling), L.GlobalAveragePooling2D(),
                            L.Dense(10, activation="softmax")], name="with_lambda")
    lam.save(os.path.join(refused, "lambda.keras"))

    @keras.saving.register_keras_serializable(package="Fixture")
    class Doubling(keras.layers.Layer):
        def call(self, x):
            return x * 2.0

    custom = keras.Sequential([keras.Input((28, 28, 1)), Doubling(), L.GlobalAveragePooling2D(),
                               L.Dense(10, activation="softmax")], name="with_custom_layer")
    custom.save(os.path.join(refused, "custom-layer.keras"))
    # tensorflow.org's beginner quickstart as written: its last Dense gives logits (no activation).
    logits = keras.Sequential([keras.Input((28, 28)), L.Flatten(), L.Dense(10)], name="logits")
    compile_as_tutorial(keras, logits)
    logits.save(os.path.join(refused, "logits.keras"))

    # A Keras 3 model.to_json() string on its own (no weights), and the `simple` model's weights in Keras's
    # get_weights() order as float32 little-endian bytes.
    simple = keras.saving.load_model(os.path.join(folder, "simple.keras"))
    with open(os.path.join(out, "simple.to_json.json"), "w") as f:
        f.write(simple.to_json())
    with open(os.path.join(out, "simple.get_weights.bin"), "wb") as f:
        for w in simple.get_weights():
            f.write(np.asarray(w, dtype="<f4").tobytes())
    write_converter_layout(simple, os.path.join(out, "tfjs-converter"))

    result = read_figures(out)
    result.update({"versions": versions(), "seed": SEED, "fromKeras": figures})
    write_json(os.path.join(out, FIGURES), result)


def write_converter_layout(model, folder):
    """`simple` as tensorflowjs_converter --input_format keras writes a Keras 2 model: a model.json whose
    modelTopology wraps the Keras 2 `model_config` (batch_input_shape, dtype strings, Keras 2.13+ "module" keys) and
    a weightsManifest pointing at group1-shard1of1.bin. The converter is not installable here, so the layout is
    written from its documented format with the Keras model's own weights."""
    os.makedirs(folder, exist_ok=True)
    dense = model.layers[0]
    kernel, bias = (np.asarray(w, dtype="<f4") for w in dense.get_weights())

    def initializer(name):
        return {"module": "keras.initializers", "class_name": name, "config": {"seed": None},
                "registered_name": None}

    topology = {
        "keras_version": "2.15.0",
        "backend": "tensorflow",
        "model_config": {
            "class_name": "Sequential",
            "config": {
                "name": "sequential",
                "layers": [
                    {"module": "keras.layers", "class_name": "InputLayer", "registered_name": None,
                     "config": {"batch_input_shape": [None, 784], "dtype": "float32", "sparse": False,
                                "ragged": False, "name": "dense_input"}},
                    {"module": "keras.layers", "class_name": "Dense", "registered_name": None,
                     "build_config": {"input_shape": [None, 784]},
                     "config": {"name": "dense", "trainable": True, "dtype": "float32", "units": 10,
                                "activation": "sigmoid", "use_bias": True,
                                "kernel_initializer": initializer("GlorotUniform"),
                                "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros",
                                                     "config": {}, "registered_name": None},
                                "kernel_regularizer": None, "bias_regularizer": None,
                                "activity_regularizer": None, "kernel_constraint": None,
                                "bias_constraint": None}},
                ],
            },
        },
        "training_config": {"loss": "sparse_categorical_crossentropy", "metrics": [["accuracy"]],
                            "weighted_metrics": None, "loss_weights": None,
                            "optimizer_config": {"class_name": "Custom>Adam",
                                                 "config": {"name": "Adam", "learning_rate": TUTORIAL_LR}}},
    }
    model_json = {
        "format": "layers-model",
        "generatedBy": "keras v2.15.0",
        "convertedBy": "TensorFlow.js Converter v4.22.0",
        "modelTopology": topology,
        "weightsManifest": [{"paths": ["group1-shard1of1.bin"], "weights": [
            {"name": "dense/kernel", "shape": list(kernel.shape), "dtype": "float32"},
            {"name": "dense/bias", "shape": list(bias.shape), "dtype": "float32"},
        ]}],
    }
    with open(os.path.join(folder, "model.json"), "w") as f:
        json.dump(model_json, f)
    with open(os.path.join(folder, "group1-shard1of1.bin"), "wb") as f:
        f.write(kernel.tobytes() + bias.tobytes())


def check(data, out):
    import keras

    (_, _), (x_test, y_test) = data
    folder = os.path.join(out, "to-keras")
    names = sorted(n for n in os.listdir(folder) if n.endswith(".keras"))
    if not names:
        raise SystemExit(f"no .keras files in {folder}: run export-keras-fixtures.ts first")
    figures = {}
    for name in names:
        path = os.path.join(folder, name)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model = keras.saving.load_model(path)  # safe_mode=True, compile=True
        said = [f"{w.category.__name__}: {w.message}" for w in caught]
        config = model.get_compile_config() or {}
        optimizer = model.optimizer
        shape = tuple(model.inputs[0].shape[1:])
        kind = {(784,): "flat", (28, 28, 1): "image"}.get(shape)
        if kind is None:
            raise SystemExit(f"{name}: unexpected input shape {shape}")
        with zipfile.ZipFile(path) as archive:
            metadata = json.loads(archive.read("metadata.json"))
        key = name[: -len(".keras")]
        figures[key] = {
            "file": f"to-keras/{name}",
            "warnings": said,
            "compiled": bool(model.compiled),
            "optimizer": type(optimizer).__name__,
            "learningRate": float(optimizer.learning_rate),
            "loss": config.get("loss"),
            "metrics": config.get("metrics"),
            "input": kind,
            "mnistMetadata": metadata.get("mnist"),
            "evaluate": evaluate(model, x_test, y_test, kind),
        }
        print(key, figures[key], file=sys.stderr)
    result = read_figures(out)
    result.update({"versions": versions(), "toKeras": figures})
    write_json(os.path.join(out, FIGURES), result)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=["make", "check"])
    parser.add_argument("--data", default=os.environ.get("MNIST_DATA_DIR"))
    parser.add_argument("--out", default=DEFAULT_OUT)
    args = parser.parse_args()
    if not args.data:
        raise SystemExit("Where is MNIST? Pass --data DIR or set MNIST_DATA_DIR (the four IDX files).")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    data = load_mnist(args.data)
    (make if args.step == "make" else check)(data, args.out)


if __name__ == "__main__":
    main()
