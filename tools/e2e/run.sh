#!/usr/bin/env bash
# End-to-end check of a notebook as a reader sees it: JupyterLab on 127.0.0.1, the notebook
# opened in headless Chromium, Run -> Run All Cells, then a PNG plot must be visible and no
# cell may show an error or a `panicked at` message. See tools/e2e/README.md.
#
# Usage: tools/e2e/run.sh [NOTEBOOK] [SCREENSHOT]
#   NOTEBOOK    a path to an .ipynb anywhere in the repo, or a file name under notebooks/
#               (default: 03_2_activation_functions.ipynb)
#   SCREENSHOT  where to save the PNG screenshot (default: tools/e2e/out/screenshot.png)
# Environment:
#   JUPYTER_BIN      jupyter to run (default: <repo>/.venv/bin/jupyter)
#   CHROMIUM_BIN     browser to drive (default: /usr/bin/chromium)
#   E2E_TIMEOUT      seconds allowed for Run All Cells to finish (default: 600)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
notebook_arg="${1:-03_2_activation_functions.ipynb}"
screenshot="$(realpath -m "${2:-$here/out/screenshot.png}")"
jupyter_bin="${JUPYTER_BIN:-$repo/.venv/bin/jupyter}"
chromium_bin="${CHROMIUM_BIN:-/usr/bin/chromium}"
timeout_s="${E2E_TIMEOUT:-600}"

say() { printf 'e2e: %s\n' "$*"; }
# Exit status: 0 passed, 1 the notebook failed a check, 2 the check could not run.
die() { printf 'e2e: FAIL: %s\n' "$*" >&2; exit 2; }
now_ms() { date +%s%3N; }

# --- which notebook ------------------------------------------------------------------------
notebook=""
for candidate in "$notebook_arg" "$repo/notebooks/$notebook_arg" "$repo/$notebook_arg"; do
    if [[ -f "$candidate" ]]; then
        notebook="$(realpath "$candidate")"
        break
    fi
done
[[ -n "$notebook" ]] || die "notebook not found: '$notebook_arg' (looked at it as given, under $repo/notebooks/ and under $repo/)"
[[ "$notebook" == "$repo"/* ]] || die "notebook must be inside the repo $repo, got $notebook"
[[ "$notebook" == *.ipynb ]] || die "not a notebook (.ipynb): $notebook"
notebook_dir="$(dirname "$notebook")"
notebook_name="$(basename "$notebook")"

# --- install what is missing, skip what is present -----------------------------------------
if [[ ! -x "$chromium_bin" ]]; then
    if [[ "$chromium_bin" != /usr/bin/chromium ]]; then
        die "CHROMIUM_BIN=$chromium_bin is not an executable"
    fi
    if [[ "$(id -u)" -ne 0 ]]; then
        die "Chromium is missing; install it with: sudo apt-get update && sudo apt-get install -y chromium"
    fi
    say "installing Debian's chromium (apt-get update; apt-get install -y chromium)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium >/dev/null
    [[ -x "$chromium_bin" ]] || die "apt-get installed chromium but $chromium_bin is still missing"
fi

command -v node >/dev/null || die "node is missing (Debian: apt-get install -y nodejs npm)"
pinned="$(node -p "require('$here/package.json').dependencies['playwright-core']")"
installed="$(node -p "try { require('$here/node_modules/playwright-core/package.json').version } catch (e) { '' }")"
if [[ "$installed" != "$pinned" ]]; then
    command -v npm >/dev/null || die "npm is missing (Debian: apt-get install -y npm)"
    say "installing playwright-core $pinned (npm ci in tools/e2e; it downloads no browser)"
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

[[ -x "$jupyter_bin" ]] || die "jupyter not found at $jupyter_bin; create the virtualenv with:
    python3 -m venv $repo/.venv && $repo/.venv/bin/pip install -r $repo/requirements.txt
or point JUPYTER_BIN at a jupyter that has JupyterLab"

# evcxr runs cargo and rustc, so the kernel needs them on PATH.
if [[ -d "$HOME/.cargo/bin" && ":$PATH:" != *":$HOME/.cargo/bin:"* ]]; then
    export PATH="$HOME/.cargo/bin:$PATH"
fi
has_rust_kernel() {
    "$jupyter_bin" kernelspec list --json | node -e \
        'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.exit("rust" in JSON.parse(s).kernelspecs?0:1))'
}
if ! has_rust_kernel; then
    die "the Rust kernel is not registered with Jupyter; run tools/setup.sh (it builds and registers it)"
fi

# --- start JupyterLab on loopback, then drive the browser ----------------------------------
work="$(mktemp -d "${TMPDIR:-/tmp}/dlfs-e2e.XXXXXX")"
server_pid=""
driver_pid=""
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [[ $status -ge 128 ]]; then
        printf 'e2e: interrupted; stopping the browser and the server\n' >&2
    fi
    if [[ -n "$driver_pid" ]] && kill -0 "$driver_pid" 2>/dev/null; then
        kill -TERM "$driver_pid" 2>/dev/null || true
        wait "$driver_pid" 2>/dev/null || true
    fi
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        # Remember the kernels the server started, in case it cannot stop them itself.
        local kids
        kids="$(pgrep -P "$server_pid" || true)"
        kill -TERM "$server_pid" 2>/dev/null || true
        for _ in $(seq 1 100); do
            kill -0 "$server_pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
        for kid in $kids; do
            kill -KILL "$kid" 2>/dev/null || true
        done
    fi
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
token="$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"

# Nothing may be written next to the notebook: a fresh settings dir turns autosave off (so no
# outputs are saved into it) and checkpoints go to the temporary dir, not .ipynb_checkpoints/.
settings="$work/lab-settings"
mkdir -p "$settings/@jupyterlab/docmanager-extension" "$work/lab-workspaces" "$work/runtime" "$work/browser-profile"
echo '{ "autosave": false }' >"$settings/@jupyterlab/docmanager-extension/plugin.jupyterlab-settings"

mkdir -p "$(dirname "$screenshot")"
log="${screenshot%.*}-jupyter.log"
notebook_sum_before="$(sha256sum "$notebook" | cut -d' ' -f1)"

say "notebook:  ${notebook#"$repo"/}"
say "server:    $("$jupyter_bin" lab --version 2>/dev/null | tail -n1 | sed 's/^/JupyterLab /') on http://127.0.0.1:$port (root $notebook_dir)"
say "browser:   $("$chromium_bin" --version 2>/dev/null || echo "$chromium_bin")"
root_flag=()
[[ "$(id -u)" -ne 0 ]] || root_flag=(--allow-root) # containers and CI machines run as root
t0_ms="$(now_ms)"
# The token goes through the environment, not the command line, so `ps` does not show it.
JUPYTER_TOKEN="$token" JUPYTER_RUNTIME_DIR="$work/runtime" \
    "$jupyter_bin" lab \
    --no-browser "${root_flag[@]}" \
    --ServerApp.ip=127.0.0.1 \
    --ServerApp.port="$port" \
    --ServerApp.port_retries=0 \
    --ServerApp.root_dir="$notebook_dir" \
    --FileCheckpoints.checkpoint_dir="$work/checkpoints" \
    --LabApp.user_settings_dir="$settings" \
    --LabApp.workspaces_dir="$work/lab-workspaces" \
    --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate \
    --LabApp.extension_manager=readonly \
    --LabApp.expose_app_in_browser=True \
    >"$log" 2>&1 &
server_pid=$!

set +e
E2E_T0_MS="$t0_ms" \
E2E_PORT="$port" \
E2E_TOKEN="$token" \
E2E_NOTEBOOK="$notebook_name" \
E2E_SCREENSHOT="$screenshot" \
E2E_CHROMIUM="$chromium_bin" \
E2E_PROFILE="$work/browser-profile" \
E2E_SERVER_PID="$server_pid" \
E2E_TIMEOUT="$timeout_s" \
    node "$here/check.mjs" &
driver_pid=$!
wait "$driver_pid"
driver_status=$?
driver_pid=""
set -e

notebook_sum_after="$(sha256sum "$notebook" | cut -d' ' -f1)"
if [[ "$notebook_sum_before" != "$notebook_sum_after" ]]; then
    if grep -q 'Saving file at' "$log"; then
        die "JupyterLab saved the notebook during the check (it should only be read): $notebook"
    fi
    die "the notebook file changed during the check, but not through JupyterLab (edited elsewhere at the same time?): $notebook"
fi
if [[ "$driver_status" -ne 0 ]]; then
    if [[ "$driver_status" -ne 1 ]]; then
        say "server log: $log (last lines below)" >&2
        tail -n 25 "$log" | sed 's/token=[0-9a-f]*/token=.../g' >&2
    fi
    printf 'e2e: FAIL: end-to-end check of %s (see above; screenshot: %s)\n' "${notebook#"$repo"/}" "$screenshot" >&2
    exit "$driver_status"
fi
say "PASS"
