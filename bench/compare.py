"""Reads the JSON lines of `timings` (Rust) and `numpy_reference.py` and prints a Markdown
table of times and ratios, Rust time / NumPy time, from one run of both."""

import json
import sys

NAMES = {
    "mnist_load": "load MNIST (normalized f64)",
    "ch3_batch_inference": "ch. 3 inference, 10000 test images in batches of 100",
    "backprop_gradient": "backprop gradient, 784-50-10, batch 100",
    "sgd_iteration": "one SGD iteration, batch 100",
    "ch4_training": "ch. 4 training, 10000 iterations + 17 evaluations",
    "numerical_gradient_book": "numerical gradient, batch 100, book-style",
    "numerical_gradient_fast": "numerical gradient, batch 100, fast (Rust) vs book-style (NumPy)",
}


def read(path):
    with open(path) as f:
        return {d["workload"]: d["seconds"] for d in map(json.loads, filter(str.strip, f))}


def fmt(s):
    return f"{s * 1e3:.3g} ms" if s < 1 else f"{s:.3g} s"


def main(rust_path, numpy_path):
    rust, numpy = read(rust_path), read(numpy_path)
    print("| workload | Rust (dlfs) | NumPy (book) | Rust / NumPy |")
    print("|---|---:|---:|---:|")
    for key, name in NAMES.items():
        r = rust.get(key)
        n = numpy.get("numerical_gradient_book" if key == "numerical_gradient_fast" else key)
        if r is None or n is None:
            continue
        print(f"| {name} | {fmt(r)} | {fmt(n)} | {r / n:.3g}x |")


if __name__ == "__main__":
    main(*sys.argv[1:3])
