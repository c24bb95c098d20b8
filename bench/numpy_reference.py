"""The book's algorithms in NumPy, on the same workloads as `timings` (src/bin/timings.rs).

Written for this comparison from the book's published code (common/functions.py,
common/gradient.py, ch04/two_layer_net.py, ch04/train_neuralnet.py, dataset/mnist.py), run
with a single BLAS thread. Prints one JSON object per line, like `timings`.

    python bench/numpy_reference.py [--quick]   (--quick skips the 30 s numerical gradient)
"""

import os

for var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[var] = "1"

import gzip  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "data" / "mnist"


# ---- dataset/mnist.py: read the gzip'd IDX files, normalize, one-hot
def _load_img(name):
    with gzip.open(DATA / name, "rb") as f:
        return np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784)


def _load_label(name):
    with gzip.open(DATA / name, "rb") as f:
        return np.frombuffer(f.read(), np.uint8, offset=8)


def _change_one_hot_label(x):
    t = np.zeros((x.size, 10))
    for idx, row in enumerate(t):
        row[x[idx]] = 1
    return t


def load_mnist(normalize=True, one_hot_label=False):
    x_train = _load_img("train-images-idx3-ubyte.gz")
    t_train = _load_label("train-labels-idx1-ubyte.gz")
    x_test = _load_img("t10k-images-idx3-ubyte.gz")
    t_test = _load_label("t10k-labels-idx1-ubyte.gz")
    if normalize:
        x_train = x_train.astype(np.float64) / 255.0
        x_test = x_test.astype(np.float64) / 255.0
    if one_hot_label:
        t_train = _change_one_hot_label(t_train)
        t_test = _change_one_hot_label(t_test)
    return (x_train, t_train), (x_test, t_test)


# ---- common/functions.py
def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_grad(x):
    return (1.0 - sigmoid(x)) * sigmoid(x)


def softmax(x):
    x = x - np.max(x, axis=-1, keepdims=True)
    return np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)


def cross_entropy_error(y, t):
    if y.ndim == 1:
        t = t.reshape(1, t.size)
        y = y.reshape(1, y.size)
    if t.size == y.size:
        t = t.argmax(axis=1)
    batch_size = y.shape[0]
    return -np.sum(np.log(y[np.arange(batch_size), t] + 1e-7)) / batch_size


# ---- common/gradient.py
def numerical_gradient(f, x):
    h = 1e-4
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        idx = it.multi_index
        tmp_val = x[idx]
        x[idx] = float(tmp_val) + h
        fxh1 = f(x)
        x[idx] = tmp_val - h
        fxh2 = f(x)
        grad[idx] = (fxh1 - fxh2) / (2 * h)
        x[idx] = tmp_val
        it.iternext()
    return grad


# ---- ch04/two_layer_net.py
class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01, rng=None):
        rng = rng or np.random.default_rng(0)
        self.params = {
            "W1": weight_init_std * rng.standard_normal((input_size, hidden_size)),
            "b1": np.zeros(hidden_size),
            "W2": weight_init_std * rng.standard_normal((hidden_size, output_size)),
            "b2": np.zeros(output_size),
        }

    def predict(self, x):
        W1, W2 = self.params["W1"], self.params["W2"]
        b1, b2 = self.params["b1"], self.params["b2"]
        a1 = np.dot(x, W1) + b1
        z1 = sigmoid(a1)
        a2 = np.dot(z1, W2) + b2
        return softmax(a2)

    def loss(self, x, t):
        return cross_entropy_error(self.predict(x), t)

    def accuracy(self, x, t):
        y = np.argmax(self.predict(x), axis=1)
        t = np.argmax(t, axis=1)
        return np.sum(y == t) / float(x.shape[0])

    def numerical_gradient(self, x, t):
        loss_W = lambda W: self.loss(x, t)  # noqa: E731
        return {k: numerical_gradient(loss_W, self.params[k]) for k in ("W1", "b1", "W2", "b2")}

    def gradient(self, x, t):
        W1, W2 = self.params["W1"], self.params["W2"]
        b1, b2 = self.params["b1"], self.params["b2"]
        batch_num = x.shape[0]
        a1 = np.dot(x, W1) + b1
        z1 = sigmoid(a1)
        a2 = np.dot(z1, W2) + b2
        y = softmax(a2)
        dy = (y - t) / batch_num
        grads = {"W2": np.dot(z1.T, dy), "b2": np.sum(dy, axis=0)}
        da1 = np.dot(dy, W2.T)
        dz1 = sigmoid_grad(a1) * da1
        grads["W1"] = np.dot(x.T, dz1)
        grads["b1"] = np.sum(dz1, axis=0)
        return grads


def layered_predict(layers, x):
    for k, (W, b) in enumerate(layers):
        x = np.dot(x, W) + b
        x = sigmoid(x) if k < len(layers) - 1 else softmax(x)
    return x


def median_seconds(runs, f):
    f()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return sorted(times)[runs // 2]


def report(workload, runs, seconds):
    print(json.dumps({"workload": workload, "seconds": seconds, "runs": runs}), flush=True)


def main():
    quick = "--quick" in sys.argv
    rng = np.random.default_rng(0)
    report("mnist_load", 5, median_seconds(5, lambda: load_mnist(normalize=True)))
    (x_train, t_train), (x_test, t_test) = load_mnist(normalize=True, one_hot_label=True)

    sizes = [784, 50, 100, 10]
    layers = [(0.1 * rng.standard_normal((a, b)), np.zeros(b)) for a, b in zip(sizes, sizes[1:])]

    def ch3_batch_inference():  # book 3.6.3
        accuracy_cnt = 0
        for i in range(0, len(x_test), 100):
            y_batch = layered_predict(layers, x_test[i:i + 100])
            p = np.argmax(y_batch, axis=1)
            accuracy_cnt += np.sum(p == np.argmax(t_test[i:i + 100], axis=1))
        return accuracy_cnt / len(x_test)

    report("ch3_batch_inference", 20, median_seconds(20, ch3_batch_inference))

    net = TwoLayerNet(784, 50, 10, rng=rng)
    mask = rng.choice(60000, 100)
    x_batch, t_batch = x_train[mask], t_train[mask]
    report("backprop_gradient", 200, median_seconds(200, lambda: net.gradient(x_batch, t_batch)))

    train_loss_list = []

    def sgd_iteration():  # ch04/train_neuralnet.py, one pass of the loop body
        batch_mask = np.random.choice(60000, 100)
        x_b, t_b = x_train[batch_mask], t_train[batch_mask]
        grad = net.gradient(x_b, t_b)
        for key in ("W1", "b1", "W2", "b2"):
            net.params[key] -= 0.1 * grad[key]
        train_loss_list.append(net.loss(x_b, t_b))

    report("sgd_iteration", 1000, median_seconds(1000, sgd_iteration))

    def ch4_training():  # ch04/train_neuralnet.py
        network = TwoLayerNet(784, 50, 10, rng=np.random.default_rng(1))
        iters_num, batch_size, learning_rate = 10000, 100, 0.1
        train_loss_list, train_acc_list, test_acc_list = [], [], []
        iter_per_epoch = max(60000 / batch_size, 1)
        for i in range(iters_num):
            batch_mask = np.random.choice(60000, batch_size)
            x_b, t_b = x_train[batch_mask], t_train[batch_mask]
            grad = network.gradient(x_b, t_b)
            for key in ("W1", "b1", "W2", "b2"):
                network.params[key] -= learning_rate * grad[key]
            train_loss_list.append(network.loss(x_b, t_b))
            if i % iter_per_epoch == 0:
                train_acc_list.append(network.accuracy(x_train, t_train))
                test_acc_list.append(network.accuracy(x_test, t_test))
        return test_acc_list[-1]

    start = time.perf_counter()
    ch4_training()
    report("ch4_training", 1, time.perf_counter() - start)

    if not quick:
        start = time.perf_counter()
        net.numerical_gradient(x_batch, t_batch)
        report("numerical_gradient_book", 1, time.perf_counter() - start)


if __name__ == "__main__":
    main()
