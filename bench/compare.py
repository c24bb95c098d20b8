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


def lines(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def read(path):
    return {d["workload"]: d["seconds"] for d in lines(path) if "workload" in d}


def floor(rust_path):
    """The floor of one SGD iteration: its multiply-adds at this core's best rate."""
    found = [d for d in lines(rust_path) if d.get("floor") == "sgd_iteration"]
    if not found:
        return
    d = found[0]
    measured = d["sgd_iteration_cpu_seconds"]
    print()
    print("Floor of one SGD iteration (784-50-10, batch 100: two forward passes, one backward,")
    print("the update), one thread, by thread CPU time. Multiply-adds: "
          f"{d['multiply_adds_dense']:,} dense, {d['multiply_adds_nonzero']:,} on the nonzero "
          f"pixels ({d['nonzero_per_batch']:.0f} of 78,400 per batch; W1 updated on the "
          f"{d['touched_per_batch']:.0f} of 784 pixels nonzero in the batch); exponentials "
          "and everything else not counted.")
    print()
    print(f"Measured: one SGD iteration takes {fmt(measured)} of CPU time (best of 50 runs "
          "of 20 iterations; the rates are best of runs too).")
    print()
    print("| multiply-add rate of this core | rate | floor, dense | floor, nonzero | "
          "sgd_iteration / floor (nonzero) |")
    print("|---|---:|---:|---:|---:|")
    bits = d["vector_bits"]
    rows = [
        (f"separate multiply and add, {bits}-bit vectors: **the floor** (the kernels' "
         "arithmetic, bit-for-bit the portable code, at the widest vectors this core has)",
         "rate_separate"),
        (f"fused (FMA), {bits}-bit, for reference only: it rounds differently, so the "
         "kernels cannot use it", "rate_fused")]
    if bits != 256:
        rows.append(("separate, 256-bit (AVX2), for reference: the width the kernels use",
                     "rate_separate_256"))
    for name, key in rows:
        rate = d.get(key)
        if rate is None:
            continue
        dense, sparse = d["multiply_adds_dense"] / rate, d["multiply_adds_nonzero"] / rate
        print(f"| {name} | {rate / 1e9:.3g} G/s | {fmt(dense)} | {fmt(sparse)} | "
              f"{measured / sparse:.3g}x |")


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
    floor(rust_path)


if __name__ == "__main__":
    main(*sys.argv[1:3])
