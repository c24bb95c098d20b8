#!/usr/bin/env bash
# Every test of the project: formatting, lints, crate and doc tests, the notebook checker's
# own tests, and every notebook executed in a fresh Rust kernel and compared with its
# committed outputs. Installs what is missing first (tools/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
started=$(date +%s)
step() { printf '\n==> [%4ss] %s\n' "$(( $(date +%s) - started ))" "$*"; }

step "Setting up (skips what is done)"
tools/setup.sh

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "cargo clippy and tests of the optional MNIST download (feature 'download')"
cargo clippy -p dlfs-data --features download --all-targets --quiet -- -D warnings
cargo test -p dlfs-data --features download --test download

step "cargo doc (every public item documented, no broken links)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet

step "cargo test (unit, integration and doc tests)"
cargo test --workspace

step "The notebook checker's own tests"
.venv/bin/python -m unittest discover -s tools/tests -t tools -v

step "Notebooks: the committed files"
.venv/bin/python tools/nb.py static

step "Notebooks: executed in fresh kernels and compared with the committed outputs"
.venv/bin/python tools/nb.py check

step "All tests passed in $(( $(date +%s) - started )) s"
