"""A notebook's outputs judged on their own: error outputs, panics (which the evcxr kernel
reports as ordinary output), raw display markup, the Debug text of a figure where its
picture belongs, HTML-only outputs, and pictures that are missing or not PNG."""

from __future__ import annotations

import base64
import re

from .figures import debug_lines_of, debug_text_of, figure_type_names
from .repo import as_text, code_cells

PANIC = re.compile(r"panicked at")
RAW_MARKUP = re.compile(r"EVCXR_BEGIN_CONTENT|EVCXR_END_CONTENT")


# ---------------------------------------------------------------- checks


def problems_in_outputs(nb, name: str, figure_types=None) -> list[str]:
    """What is wrong with a notebook's outputs, judged on their own. `figure_types`: the
    names whose Debug text must not stand where a picture belongs (default: dlfs-plot's)."""
    figures = figure_type_names() if figure_types is None else figure_types
    problems = []
    pngs = 0
    for i, cell in enumerate(code_cells(nb)):
        where = f"{name}: code cell {i + 1}"
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "error":
                problems.append(f"{where}: error output {out.get('ename')}: {out.get('evalue')}")
            texts = [as_text(out.get("text"))]
            data = out.get("data", {})
            texts.append(as_text(data.get("text/plain")))
            joined = "\n".join(texts)
            if PANIC.search(joined):
                first = next(l for l in joined.splitlines() if PANIC.search(l))
                problems.append(f"{where}: a panic: {first.strip()}")
            if RAW_MARKUP.search(joined):
                problems.append(f"{where}: raw display markup instead of a picture")
            shown = (debug_text_of(as_text(data.get("text/plain")), figures)
                     or debug_lines_of(joined, figures))
            if shown:
                problems.append(f"{where}: Debug text of the figure type {shown} instead of a "
                                "picture (its evcxr_display method did not run)")
            if "text/html" in data and "image/png" not in data:
                problems.append(f"{where}: an HTML-only output (GitHub strips it); emit image/png")
            if "image/png" in data:
                pngs += 1
                raw = base64.b64decode(as_text(data["image/png"]))
                if not raw.startswith(b"\x89PNG\r\n\x1a\n"):
                    problems.append(f"{where}: image/png output is not a PNG")
    if code_cells(nb) and pngs == 0:
        problems.append(f"{name}: no image/png output at all")
    return problems


def pictures(nb) -> list[bytes]:
    """The notebook's PNG outputs, in order."""
    found = []
    for cell in code_cells(nb):
        for out in cell.get("outputs", []):
            png = out.get("data", {}).get("image/png")
            if png:
                found.append(base64.b64decode(as_text(png)))
    return found
