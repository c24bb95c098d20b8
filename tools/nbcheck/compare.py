"""Outputs of a fresh run compared with the committed ones.

Outputs that measure wall-clock time cannot repeat exactly. A notebook marks such a line
with the stopwatch sign (TIMING_MARK); on those lines numbers are ignored when comparing.
Nothing else is masked.
"""

from __future__ import annotations

import re

from .figures import debug_text_of
from .repo import as_text, code_cells

TIMING_MARK = "\u23f1"  # ⏱
NUMBER = re.compile(r"\d+(?:\.\d+)?(?:e-?\d+)?")


def normalize_outputs(outputs: list) -> list:
    """Outputs in comparable form: consecutive streams merged, timing lines masked."""
    result: list = []
    for out in outputs:
        kind = out.get("output_type")
        if kind == "stream":
            text = as_text(out.get("text"))
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
                    as_text(data.get("text/plain")),
                    as_text(png).replace("\n", "") if png else None,
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
            debug = next((t for o in ob if o[0] == "data" and not o[2]
                          for t in [debug_text_of(o[1], None)] if t), None)
            if debug:
                problems.append(f"{where}: Debug text of {debug} where the committed notebook "
                                "shows a picture (its evcxr_display method did not run)")
            else:
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
