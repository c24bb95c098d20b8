#!/usr/bin/env python3
"""Run, check and regenerate the Rust notebooks in notebooks/.

    python tools/nb.py check   [NOTEBOOK ...]  execute each notebook in a fresh evcxr kernel and
                                               fail on errors, panics, missing pictures, raw
                                               display markup, or outputs that differ from the
                                               committed ones
    python tools/nb.py write   [NOTEBOOK ...]  execute and save the outputs into the notebooks
    python tools/nb.py static  [NOTEBOOK ...]  check only the committed files (no kernel): their
                                               outputs, that no code cell reads outside the
                                               repository, and (without NOTEBOOK) that the two
                                               editions agree and docs/img/ is up to date
    python tools/nb.py sync                    only the check that notebooks/zh/ (the Chinese
                                               edition) has the same code as notebooks/
    python tools/nb.py warm                    compile the crates the notebooks use, once, so the
                                               first notebook a learner opens starts quickly
    python tools/nb.py gallery                 copy the README's pictures (GALLERY below) out of
                                               the executed notebooks into docs/img/

Without NOTEBOOK arguments every notebooks/*.ipynb and notebooks/zh/*.ipynb is used. Cell
times of each run are written to target/notebook-times.json and summarised on stdout.

A notebook is executed in a copy of the repository's working files (MIRROR_ITEMS) kept in
the user's cache folder, not in the repository itself, so it cannot read anything next to
the repository by accident; its outputs are compared with, or written to, the real file.
The kernel is the kernelspec `rust` (tools/kernel/evcxr-kernel), or the one DLFS_KERNEL names.

Outputs that measure wall-clock time cannot repeat exactly. A notebook marks such a line
with the stopwatch sign (the TIMING_MARK below); on those lines numbers are ignored when
comparing. Nothing else is masked.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from nbcheck.compare import differences
from nbcheck.editions import edition_problems
from nbcheck.execute import (cell_seconds, describe_kernel, execute, prepare_mirror,
                             strip_for_commit, warm)
from nbcheck.outputs import problems_in_outputs
from nbcheck.repo import NOTEBOOKS, ROOT, ZH, inside
from nbcheck.static import gallery_problems, problems_in_file

# English notebooks whose Chinese twin is not written yet. Every other notebook must have one,
# and a notebook leaves this list when its twin is added.
ZH_PENDING: frozenset[str] = frozenset()

# The README's pictures: (notebook, which of its pictures counting from 1, file in docs/img/).
# `static` fails when a file differs from the notebook's picture, so they cannot go stale.
GALLERY = [
    ("02_perceptron.ipynb", 4, "perceptron.png"),
    ("03_2_activation_functions.ipynb", 7, "activations.png"),
    ("03_6_mnist.ipynb", 3, "misclassified.png"),
    ("04_4_gradient.ipynb", 2, "gradient_descent.png"),
    ("04_5_learning_algorithm.ipynb", 1, "training.png"),
]


def notebook_paths(args: list[str]) -> list[Path]:
    if args:
        return [Path(a).resolve() for a in args]
    return sorted(NOTEBOOKS.glob("*.ipynb")) + sorted(ZH.glob("*.ipynb"))


def display_name(path: Path) -> str:
    """zh/02_perceptron.ipynb for the Chinese edition, 02_perceptron.ipynb for the English."""
    return path.relative_to(NOTEBOOKS).as_posix() if inside(path, NOTEBOOKS) else path.name


def report_times(timings: dict) -> None:
    out = ROOT / "target" / "notebook-times.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(timings, indent=1))
    print("\nCell times (seconds):")
    for name, t in timings.items():
        cells = t["cells"]
        slowest = max(range(len(cells)), key=lambda k: cells[k] if cells[k] == cells[k] else -1)
        print(f"  {name}: total {t['total']:.1f} s, first cell {cells[0]:.1f} s, "
              f"slowest cell {slowest + 1} ({cells[slowest]:.1f} s)")
    print(f"  (written to {out.relative_to(ROOT)})")


def run_one(command: str, path: Path, committed, name: str, mirror, timings: dict) -> list[str]:
    """Executes one notebook for `check` or `write` and returns its problems; `check` compares
    with the committed outputs, `write` saves the outputs when there are no problems."""
    import nbformat

    print(f"executing {name} ...", flush=True)
    executed, seconds = execute(path, mirror=mirror)
    timings[name] = {"total": seconds, "cells": cell_seconds(executed)}
    print(f"  done in {seconds:.1f} s", flush=True)
    found = problems_in_outputs(executed, name)
    if command == "check":
        found += differences(committed, executed, name)
        if found:
            # The kernel can, rarely, lose the tail of a cell's output when it goes
            # idle (evcxr issue 353). A real problem shows again in a fresh run.
            print("  problems found; executing once more to rule out a kernel hiccup:")
            for p in found:
                # whole, with the first differing lines, so that a hiccup can be told apart
                print("    " + p.replace("\n", "\n    "))
            executed, seconds = execute(path, mirror=mirror)
            timings[name] = {"total": seconds, "cells": cell_seconds(executed)}
            found = (problems_in_outputs(executed, name)
                     + differences(committed, executed, name))
    elif not found:
        nbformat.write(strip_for_commit(executed), path)
        print(f"  outputs written to {path.relative_to(ROOT)}")
    for p in found:
        print("  PROBLEM", p, flush=True)
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["check", "write", "static", "sync", "warm", "gallery"])
    parser.add_argument("notebooks", nargs="*")
    args = parser.parse_args(argv)
    import nbformat

    if args.command == "warm":
        return warm()
    if args.command == "gallery":
        problems = gallery_problems(GALLERY, write=True)
        print("\n".join(problems) or f"wrote {len(GALLERY)} pictures to docs/img/")
        return 1 if problems else 0
    if args.command == "sync":
        problems = edition_problems(pending=ZH_PENDING)
        print("\n".join(problems) or ("zh: the code of notebooks/zh/ matches notebooks/"
                                      if ZH.is_dir() else "zh: no notebooks/zh/ yet"))
        return 1 if problems else 0
    paths = notebook_paths(args.notebooks)
    if not paths:
        print("no notebooks found", file=sys.stderr)
        return 1
    problems: list[str] = []
    failed: set[str] = set()
    timings = {}
    mirror = None
    if args.command in ("check", "write"):
        print(describe_kernel())
        if any(inside(p, ROOT) for p in paths):
            mirror = prepare_mirror()
            print(f"executing in a copy of the repository's files: {mirror}")
    for path in paths:
        name = display_name(path)
        committed = nbformat.read(path, as_version=4)
        if args.command == "static":
            found = problems_in_file(committed, name, path.parent)
            if len(committed.cells) and not found:
                print(f"  {name}: ok")
        else:
            found = run_one(args.command, path, committed, name, mirror, timings)
        if found:
            failed.add(name)
        problems += found
    if args.command == "static" and not args.notebooks:
        for extra in (edition_problems(pending=ZH_PENDING), gallery_problems(GALLERY)):
            problems += extra
            failed.update(p.split(":")[0] for p in extra)
    if timings:
        report_times(timings)
    if problems:
        print(f"\n{len(problems)} problem(s) in the notebooks:", file=sys.stderr)
        for p in problems:
            print(" -", p, file=sys.stderr)
        if args.command == "check":
            print("If a notebook changed on purpose, regenerate its outputs with `make outputs`.",
                  file=sys.stderr)
    passed = len([p for p in paths if display_name(p) not in failed])
    print(f"\nnotebooks: {passed} passed, {len(paths) - passed} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
