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

# 2. The Rust kernel for Jupyter: evcxr_jupyter 0.22.0, built with two changes to its evcxr, in
#    tools/kernel/evcxr-jupyter/: primer.patch (rust-analyzer reads a `:dep`'s crates ahead, on a
#    thread of its own, so the first `let` cell after it waits about a second instead of four)
#    and stderr.patch (what a cell writes to stderr at its end, a panic's message included,
#    reaches the notebook before the cell is reported done).
#    It is installed into the user's cache folder under a hash of what it is built from, so a
#    second clone, or CI, finds it built; the build folder is kept beside it.
KERNEL_SRC=tools/kernel/evcxr-jupyter
KERNEL_PATCHES=(primer.patch stderr.patch)  # applied in this order
KERNEL_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/dlfs-rs/kernel"
kernel_hash=$(cd "$KERNEL_SRC" && cat Cargo.toml Cargo.lock src/main.rs "${KERNEL_PATCHES[@]}" \
    | sha256sum | cut -c1-16)
KERNEL_ROOT="$KERNEL_CACHE/$EVCXR_VERSION-$kernel_hash"
EVCXR="$KERNEL_ROOT/bin/evcxr_jupyter"
# evcxr 0.22.0's package, as Cargo.lock of evcxr_jupyter 0.22.0 names it.
EVCXR_SHA256=ee69caeeefc311959b85962458e370d8eccb165123edbc5270134aaee6d7ed80
if [ ! -x "$EVCXR" ]; then
    step "Building the Rust Jupyter kernel (evcxr_jupyter $EVCXR_VERSION, $KERNEL_SRC) from source."
    echo "    This happens once and takes about 9 minutes on 2 cores; later runs skip it."
    mkdir -p "$KERNEL_CACHE"
    crate="$KERNEL_CACHE/evcxr-$EVCXR_VERSION.crate"
    if [ "$(sha256sum "$crate" 2>/dev/null | cut -d' ' -f1)" != "$EVCXR_SHA256" ]; then
        # cargo's own download cache first, then crates.io.
        cached=$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/evcxr-$EVCXR_VERSION.crate 2>/dev/null | head -1 || true)
        if [ -n "$cached" ]; then
            cp "$cached" "$crate.part"
        else
            need curl "Install curl, or fetch evcxr-$EVCXR_VERSION.crate from crates.io into $KERNEL_CACHE/."
            url="https://static.crates.io/crates/evcxr/evcxr-$EVCXR_VERSION.crate"
            curl --fail --silent --show-error --location --retry 3 -o "$crate.part" "$url" || {
                rm -f "$crate.part"
                printf 'error: could not download %s\n       (put the file in %s/ to build without a connection)\n' \
                    "$url" "$KERNEL_CACHE" >&2
                exit 1
            }
        fi
        got=$(sha256sum "$crate.part" | cut -d' ' -f1)
        if [ "$got" != "$EVCXR_SHA256" ]; then
            rm -f "$crate.part"
            printf 'error: evcxr-%s.crate has sha256 %s, not %s\n' "$EVCXR_VERSION" "$got" "$EVCXR_SHA256" >&2
            exit 1
        fi
        mv "$crate.part" "$crate"
    fi
    rm -rf "$KERNEL_SRC/evcxr"
    mkdir "$KERNEL_SRC/evcxr"
    tar -xzf "$crate" -C "$KERNEL_SRC/evcxr" --strip-components=1
    for change in "${KERNEL_PATCHES[@]}"; do
        if command -v patch >/dev/null 2>&1; then
            patch --quiet --forward -p1 -d "$KERNEL_SRC/evcxr" < "$KERNEL_SRC/$change"
        else
            need git "Install 'patch' or 'git': the kernel's changes to evcxr are applied with one of them."
            git apply -p1 --directory="$KERNEL_SRC/evcxr" "$KERNEL_SRC/$change"
        fi
    done
    # (on PATH only to spare the note that the folder is not on PATH)
    PATH="$KERNEL_ROOT/bin:$PATH" cargo install --locked --path "$KERNEL_SRC" --root "$KERNEL_ROOT" \
        --target-dir "$KERNEL_CACHE/target"
fi
ok "evcxr_jupyter $EVCXR_VERSION with ${KERNEL_PATCHES[*]} ($EVCXR)"

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
if ! .venv/bin/python tools/kernel/install.py --name "$kernel_name" --evcxr "$EVCXR" --check; then
    step "Registering the Rust kernel with Jupyter (kernelspec '$kernel_name')"
    .venv/bin/python tools/kernel/install.py --name "$kernel_name" --evcxr "$EVCXR"
    # Kernels built from earlier versions of tools/kernel/evcxr-jupyter/ (about 35 MB each)
    # that no kernelspec runs any more, now that this one is registered; the build folder
    # beside them is kept.
    .venv/bin/python tools/kernel/install.py --prune "$KERNEL_CACHE" --evcxr "$EVCXR"
fi
ok "kernel '$kernel_name' registered (evcxr_jupyter through tools/kernel/evcxr-kernel)"

# 5. Compile the crates the notebooks use once, so the first notebook starts quickly.
stamp=target/.notebook-deps-warm
mkdir -p target
want=$(cat Cargo.lock crates/*/Cargo.toml tools/kernel/evcxr-kernel | sha256sum | cut -d' ' -f1)-$EVCXR_VERSION-$kernel_hash
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
