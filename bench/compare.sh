#!/usr/bin/env bash
# Runs the Rust workloads (release build) and the book's NumPy code on the same workloads,
# one after the other in the same run, and prints a table of times and ratios.
#   bench/compare.sh [--quick]    (--quick skips the book-style numerical gradients, ~45 s)
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/bench-compare
mkdir -p "$out"
cargo build --release --quiet -p dlfs-bench --bin timings
echo "Rust workloads..." >&2
cargo run --release --quiet -p dlfs-bench --bin timings -- "$@" | tee "$out/rust.jsonl" >&2
echo "NumPy workloads (single BLAS thread)..." >&2
.venv/bin/python bench/numpy_reference.py "$@" | tee "$out/numpy.jsonl" >&2
echo >&2
.venv/bin/python bench/compare.py "$out/rust.jsonl" "$out/numpy.jsonl" | tee "$out/table.md"
echo "(machine: $(nproc) cores; $(date -u +%Y-%m-%d))"
