#!/usr/bin/env bash
# Sets up everything the notebooks need, then (with --lab) opens JupyterLab on notebooks/.
# Safe to run again: every step checks first and is skipped when already done.
#
#   tools/setup.sh          set up only (used by `make test` and CI)
#   tools/setup.sh --lab    set up, then start JupyterLab (`make lab`)
set -euo pipefail
cd "$(dirname "$0")/.."

EVCXR_VERSION=0.22.0
PYTHON=${PYTHON:-python3}
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$CARGO_BIN:$PATH"

step() { printf '\n==> %s\n' "$*"; }
ok() { printf '    ok: %s\n' "$*"; }
need() {
    command -v "$1" >/dev/null 2>&1 || { printf 'error: %s not found. %s\n' "$1" "$2" >&2; exit 1; }
}

need cargo "Install Rust with rustup (https://rustup.rs): the notebooks are Rust."
need "$PYTHON" "Install Python 3.9 or newer: JupyterLab runs on Python."

# 1. Python: JupyterLab and the notebook runner, pinned in requirements.txt.
if [ ! -x .venv/bin/python ]; then
    step "Creating the Python virtual environment .venv/"
    "$PYTHON" -m venv .venv
fi
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ "$(cat .venv/.requirements.sha256 2>/dev/null || true)" != "$want" ]; then
    step "Installing JupyterLab, nbclient and NumPy into .venv/ (requirements.txt)"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
    echo "$want" > .venv/.requirements.sha256
fi
ok "Python packages ($(.venv/bin/jupyter lab --version 2>/dev/null | sed 's/^/JupyterLab /'))"

# 2. The Rust kernel for Jupyter, evcxr_jupyter, at a pinned version.
if ! cargo install --list | grep -q "^evcxr_jupyter v$EVCXR_VERSION:"; then
    step "Building the Rust Jupyter kernel evcxr_jupyter $EVCXR_VERSION from source."
    echo "    This happens once and takes about 9 minutes on 2 cores; later runs skip it."
    cargo install --locked evcxr_jupyter --version "$EVCXR_VERSION"
fi
ok "evcxr_jupyter $EVCXR_VERSION"

# 3. Rust sources, for completions in the notebook (optional: needs rustup and its server).
if command -v rustup >/dev/null 2>&1; then
    if ! rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
        step "Adding rust-src (code completion in the notebooks)"
        rustup component add rust-src || echo "    warning: could not add rust-src; completions will be limited"
    fi
    ok "rust-src"
fi

# 4. Register the kernel with Jupyter: kernelspec "rust" runs evcxr_jupyter through
#    tools/kernel/evcxr-kernel, which gives each running kernel a build folder of its own that
#    is kept for the next kernel (a restarted notebook rebuilds only what changed).
#    DLFS_KERNEL names another kernelspec (for trying a changed launcher beside "rust").
kernel_name=${DLFS_KERNEL:-rust}
if ! .venv/bin/python tools/kernel/install.py --name "$kernel_name" --check; then
    step "Registering the Rust kernel with Jupyter (kernelspec '$kernel_name')"
    .venv/bin/python tools/kernel/install.py --name "$kernel_name"
fi
ok "kernel '$kernel_name' registered (evcxr_jupyter through tools/kernel/evcxr-kernel)"

# 5. Compile the crates the notebooks use once, so the first notebook starts quickly.
stamp=target/.notebook-deps-warm
mkdir -p target
want=$(cat Cargo.lock crates/*/Cargo.toml tools/kernel/evcxr-kernel | sha256sum | cut -d' ' -f1)-$EVCXR_VERSION
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
    step "Pre-building the notebooks' dependencies in the Rust kernel"
    .venv/bin/python tools/nb.py warm
    echo "$want" > "$stamp"
fi
ok "notebook dependencies built"

if [ "${1:-}" = "--lab" ]; then
    step "Starting JupyterLab on notebooks/ (stop it with Ctrl-C)"
    exec .venv/bin/jupyter lab --ServerApp.root_dir=notebooks
fi
