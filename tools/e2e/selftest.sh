#!/usr/bin/env bash
# Shows that run.sh can fail, and fails for the right reason: it must pass the fixture that
# draws a PNG, and fail (exit 1, with the matching message) on a compile error and on a panic.
# Usage: tools/e2e/selftest.sh   (about 1-2 minutes; logs in tools/e2e/out/selftest-*.log)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$here/out"
passed=0
failed=0

# expect STATUS NOTEBOOK MESSAGE: run.sh on NOTEBOOK exits with STATUS and prints MESSAGE.
expect() {
    local want="$1" notebook="$2" message="$3"
    local name="${notebook%.ipynb}"
    local out="$here/out/selftest-$name.log"
    local got=0
    "$here/run.sh" "$here/$notebook" "$here/out/selftest-$name.png" >"$out" 2>&1 || got=$?
    if [[ "$got" -eq "$want" ]] && grep -qF -- "$message" "$out"; then
        printf 'ok      %s: exit %s, "%s"\n' "$notebook" "$got" "$message"
        passed=$((passed + 1))
    else
        printf 'FAILED  %s: wanted exit %s and "%s", got exit %s; log: %s\n' \
            "$notebook" "$want" "$message" "$got" "$out"
        failed=$((failed + 1))
    fi
}

expect 0 fixture.ipynb "1 PNG plot(s) visible (cell 2: 96x64)"
expect 1 fixture_error.ipynb "error output shown in cell 3: [E0308] Error: mismatched types"
expect 1 fixture_panic.ipynb "panic shown in cell 3: thread"

echo "$passed passed, $failed failed"
[[ "$failed" -eq 0 ]]
