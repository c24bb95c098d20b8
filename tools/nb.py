#!/usr/bin/env python3
"""Run, check and regenerate the Rust notebooks in notebooks/.

    python tools/nb.py check   [NOTEBOOK ...]  execute each notebook in a fresh evcxr kernel and
                                               fail on errors, panics, missing pictures, raw
                                               display markup, or outputs that differ from the
                                               committed ones
    python tools/nb.py write   [NOTEBOOK ...]  execute and save the outputs into the notebooks
    python tools/nb.py static  [NOTEBOOK ...]  check only the committed files (no kernel)
    python tools/nb.py warm                    compile the crates the notebooks use, once, so the
                                               first notebook a learner opens starts quickly
    python tools/nb.py gallery                 copy the README's pictures (GALLERY below) out of
                                               the executed notebooks into docs/img/

Without NOTEBOOK arguments every notebooks/*.ipynb is used. Cell times of each run are
written to target/notebook-times.json and summarised on stdout.

Outputs that measure wall-clock time cannot repeat exactly. A notebook marks such a line
with the stopwatch sign (the TIMING_MARK below); on those lines numbers are ignored when
comparing. Nothing else is masked.
"""

from __future__ import annotations

import argparse
import base64
import copy
import datetime as dt
import json
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
KERNEL = "rust"
TIMING_MARK = "\u23f1"  # ⏱
CELL_TIMEOUT = int(os.environ.get("NB_CELL_TIMEOUT", "900"))  # a cold `:dep` compiles crates

# The README's pictures: (notebook, which of its pictures counting from 1, file in docs/img/).
# `static` fails when a file differs from the notebook's picture, so they cannot go stale.
GALLERY = [
    ("02_perceptron.ipynb", 4, "perceptron.png"),
    ("03_2_activation_functions.ipynb", 7, "activations.png"),
    ("03_6_mnist.ipynb", 3, "misclassified.png"),
    ("04_4_gradient.ipynb", 2, "gradient_descent.png"),
    ("04_5_learning_algorithm.ipynb", 1, "training.png"),
]
DOCS_IMG = ROOT / "docs" / "img"

PANIC = re.compile(r"panicked at")
RAW_MARKUP = re.compile(r"EVCXR_BEGIN_CONTENT|EVCXR_END_CONTENT")
# Debug text of a figure type where a picture belongs (evcxr falls back to Debug silently).
FIGURE_DEBUG = re.compile(
    r"^\s*(Figure|LinePlot|Subplots|DecisionRegions|Surface3d|Quiver|ContourPath|DigitImage|"
    r"DigitGrid|Heatmap|Panels)\s*[{(]",
    re.M,
)
LOCAL_PATH = re.compile(r"(/home/|/root/|/Users/|/work/|[A-Za-z]:\\\\)")
NUMBER = re.compile(r"\d+(?:\.\d+)?(?:e-?\d+)?")


# ---------------------------------------------------------------- reading outputs


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else (value or "")


def normalize_outputs(outputs: list) -> list:
    """Outputs in comparable form: consecutive streams merged, timing lines masked."""
    result: list = []
    for out in outputs:
        kind = out.get("output_type")
        if kind == "stream":
            text = _text(out.get("text"))
            if result and result[-1][0] == "stream" and result[-1][1] == out.get("name"):
                result[-1] = ("stream", out.get("name"), result[-1][2] + text)
            else:
                result.append(("stream", out.get("name"), text))
        elif kind in ("execute_result", "display_data"):
            data = out.get("data", {})
            png = data.get("image/png")
            result.append(
                (
                    "data",
                    _text(data.get("text/plain")),
                    _text(png).replace("\n", "") if png else None,
                    sorted(k for k in data if k not in ("text/plain", "image/png")),
                )
            )
        elif kind == "error":
            result.append(("error", out.get("ename"), out.get("evalue")))
    return [_mask(item) for item in result]


def _mask(item):
    if item[0] != "stream":
        return item
    lines = [
        NUMBER.sub("#", line) if TIMING_MARK in line else line
        for line in item[2].splitlines(keepends=True)
    ]
    return ("stream", item[1], "".join(lines))


def code_cells(nb) -> list:
    return [c for c in nb.get("cells", []) if c.get("cell_type") == "code"]


# ---------------------------------------------------------------- checks


def problems_in_outputs(nb, name: str) -> list[str]:
    """What is wrong with a notebook's outputs, judged on their own."""
    problems = []
    pngs = 0
    for i, cell in enumerate(code_cells(nb)):
        where = f"{name}: code cell {i + 1}"
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "error":
                problems.append(f"{where}: error output {out.get('ename')}: {out.get('evalue')}")
            texts = [_text(out.get("text"))]
            data = out.get("data", {})
            texts.append(_text(data.get("text/plain")))
            joined = "\n".join(texts)
            if PANIC.search(joined):
                first = next(l for l in joined.splitlines() if PANIC.search(l))
                problems.append(f"{where}: a panic: {first.strip()}")
            if RAW_MARKUP.search(joined):
                problems.append(f"{where}: raw display markup instead of a picture")
            if FIGURE_DEBUG.search(joined):
                problems.append(f"{where}: Debug text of a figure instead of a picture")
            if "text/html" in data and "image/png" not in data:
                problems.append(f"{where}: an HTML-only output (GitHub strips it); emit image/png")
            if "image/png" in data:
                pngs += 1
                raw = base64.b64decode(_text(data["image/png"]))
                if not raw.startswith(b"\x89PNG\r\n\x1a\n"):
                    problems.append(f"{where}: image/png output is not a PNG")
    if code_cells(nb) and pngs == 0:
        problems.append(f"{name}: no image/png output at all")
    return problems


def problems_in_file(nb, name: str) -> list[str]:
    """What is wrong with a committed notebook file."""
    problems = problems_in_outputs(nb, name)
    spec = nb.get("metadata", {}).get("kernelspec", {})
    if spec.get("name") != KERNEL:
        problems.append(f"{name}: kernelspec is {spec.get('name')!r}, expected {KERNEL!r}")
    if LOCAL_PATH.search(json.dumps(nb.get("metadata", {}))):
        problems.append(f"{name}: notebook metadata contains a local path")
    for i, cell in enumerate(code_cells(nb)):
        if cell.get("execution_count") is None and _text(cell.get("source")).strip():
            problems.append(f"{name}: code cell {i + 1} was never executed")
        if LOCAL_PATH.search(json.dumps(cell.get("metadata", {}))):
            problems.append(f"{name}: code cell {i + 1} metadata contains a local path")
    return problems


def differences(committed, executed, name: str) -> list[str]:
    """Where a fresh execution differs from the committed outputs."""
    old, new = code_cells(committed), code_cells(executed)
    if len(old) != len(new):
        return [f"{name}: {len(old)} code cells committed but {len(new)} executed"]
    problems = []
    for i, (a, b) in enumerate(zip(old, new)):
        oa, ob = normalize_outputs(a.get("outputs", [])), normalize_outputs(b.get("outputs", []))
        if oa == ob:
            continue
        where = f"{name}: code cell {i + 1}"
        a_png = sum(1 for o in oa if o[0] == "data" and o[2])
        b_png = sum(1 for o in ob if o[0] == "data" and o[2])
        if a_png > b_png:
            problems.append(f"{where}: the committed picture is missing from the new run")
        elif a_png < b_png:
            problems.append(f"{where}: the new run shows a picture the committed notebook lacks")
        else:
            problems.append(f"{where}: outputs differ from the committed ones (stale?)\n"
                            + _first_difference(oa, ob))
    return problems


def _first_difference(oa, ob) -> str:
    def flat(outs):
        lines = []
        for o in outs:
            if o[0] == "stream":
                lines += [f"[{o[1]}] {l}" for l in o[2].splitlines()]
            elif o[0] == "data":
                lines += [f"[result] {l}" for l in o[1].splitlines()]
                if o[2]:
                    lines.append(f"[image/png sha-ish {hash(o[2]) & 0xFFFFFFFF:08x}]")
            else:
                lines.append(f"[error] {o[1]}: {o[2]}")
        return lines

    la, lb = flat(oa), flat(ob)
    for k in range(max(len(la), len(lb))):
        x = la[k] if k < len(la) else "<nothing>"
        y = lb[k] if k < len(lb) else "<nothing>"
        if x != y:
            return f"      committed: {x[:200]}\n      new run:   {y[:200]}"
    return "      (outputs differ in kind or order)"


# ---------------------------------------------------------------- execution


def execute(path: Path, record_timing: bool = True):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name=KERNEL,
        timeout=CELL_TIMEOUT,
        startup_timeout=120,
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=record_timing,
        allow_errors=True,
    )
    started = time.monotonic()
    client.execute()
    return nb, time.monotonic() - started


def cell_seconds(nb) -> list[float]:
    times = []
    for cell in code_cells(nb):
        ex = cell.get("metadata", {}).get("execution", {})
        try:
            a = dt.datetime.fromisoformat(ex["iopub.execute_input"].replace("Z", "+00:00"))
            b = dt.datetime.fromisoformat(ex["shell.execute_reply"].replace("Z", "+00:00"))
            times.append((b - a).total_seconds())
        except (KeyError, ValueError):
            times.append(float("nan"))
    return times


def strip_for_commit(nb):
    """Drops what changes from run to run and is not output: timing metadata."""
    for cell in nb.get("cells", []):
        cell.get("metadata", {}).pop("execution", None)
    return nb


def pictures(nb) -> list[bytes]:
    """The notebook's PNG outputs, in order."""
    found = []
    for cell in code_cells(nb):
        for out in cell.get("outputs", []):
            png = out.get("data", {}).get("image/png")
            if png:
                found.append(base64.b64decode(_text(png)))
    return found


def gallery_problems(write: bool = False) -> list[str]:
    import nbformat

    problems = []
    for name, k, file in GALLERY:
        path = NOTEBOOKS / name
        if not path.exists():
            problems.append(f"gallery: {name} does not exist")
            continue
        pngs = pictures(nbformat.read(path, as_version=4))
        if len(pngs) < k:
            problems.append(f"gallery: {name} has {len(pngs)} pictures, the README wants number {k}")
            continue
        target = DOCS_IMG / file
        if write:
            DOCS_IMG.mkdir(parents=True, exist_ok=True)
            target.write_bytes(pngs[k - 1])
        elif not target.exists() or target.read_bytes() != pngs[k - 1]:
            problems.append(f"gallery: docs/img/{file} is not picture {k} of {name}; "
                            "run `python tools/nb.py gallery`")
    return problems


def notebook_paths(args: list[str]) -> list[Path]:
    if args:
        return [Path(a).resolve() for a in args]
    return sorted(NOTEBOOKS.glob("*.ipynb"))


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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["check", "write", "static", "warm", "gallery"])
    parser.add_argument("notebooks", nargs="*")
    args = parser.parse_args(argv)
    import nbformat

    if args.command == "warm":
        return warm()
    if args.command == "gallery":
        problems = gallery_problems(write=True)
        print("\n".join(problems) or f"wrote {len(GALLERY)} pictures to docs/img/")
        return 1 if problems else 0
    paths = notebook_paths(args.notebooks)
    if not paths:
        print("no notebooks found", file=sys.stderr)
        return 1
    problems: list[str] = []
    timings = {}
    for path in paths:
        name = path.name
        committed = nbformat.read(path, as_version=4)
        if args.command == "static":
            found = problems_in_file(committed, name)
            if len(committed.cells) and not found:
                print(f"  {name}: ok")
            problems += found
            continue
        print(f"executing {name} ...", flush=True)
        executed, seconds = execute(path)
        timings[name] = {"total": seconds, "cells": cell_seconds(executed)}
        print(f"  done in {seconds:.1f} s", flush=True)
        found = problems_in_outputs(executed, name)
        if args.command == "check":
            found += differences(committed, executed, name)
            if found:
                # The kernel can, rarely, lose the tail of a cell's output when it goes idle
                # (evcxr issue 353). A real problem shows again in a second, fresh run.
                print("  problems found; executing once more to rule out a kernel hiccup:")
                for p in found:
                    print("   ", p.splitlines()[0])
                executed, seconds = execute(path)
                timings[name] = {"total": seconds, "cells": cell_seconds(executed)}
                found = problems_in_outputs(executed, name) + differences(committed, executed, name)
        else:
            if not found:
                nbformat.write(strip_for_commit(executed), path)
                print(f"  outputs written to {path.relative_to(ROOT)}")
        problems += found
        for p in found:
            print("  PROBLEM", p, flush=True)
    if args.command == "static" and not args.notebooks:
        problems += gallery_problems()
    if timings:
        report_times(timings)
    if problems:
        print(f"\n{len(problems)} problem(s) in the notebooks:", file=sys.stderr)
        for p in problems:
            print(" -", p, file=sys.stderr)
        if args.command == "check":
            print("If a notebook changed on purpose, regenerate its outputs with `make outputs`.",
                  file=sys.stderr)
        return 1
    print(f"\nnotebooks: {len(paths)} passed, 0 failed")
    return 0


def warm() -> int:
    """Runs the `:dep` cells of every notebook in one kernel so evcxr caches the builds."""
    import nbformat
    from nbclient import NotebookClient

    seen, cells = set(), []
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        for cell in code_cells(nbformat.read(path, as_version=4)):
            for line in _text(cell.get("source")).splitlines():
                if line.startswith(":") and line not in seen:
                    seen.add(line)
                    cells.append(line)
    if not cells:
        return 0
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("\n".join(cells))]
    nb.metadata["kernelspec"] = {"name": KERNEL, "display_name": "Rust", "language": "rust"}
    print("Compiling the notebooks' crates once in the Rust kernel (about a minute the first "
          "time; later kernels reuse the build cache):")
    for line in cells:
        print("   ", line)
    started = time.monotonic()
    client = NotebookClient(nb, kernel_name=KERNEL, timeout=CELL_TIMEOUT, startup_timeout=120,
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()
    problems = problems_in_outputs(nb, "warm-up")
    problems = [p for p in problems if "no image/png" not in p]
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    print(f"  done in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
