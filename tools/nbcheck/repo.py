"""Where things are, and the helpers every module reads notebooks with."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
NOTEBOOKS = ROOT / "notebooks"
ZH = NOTEBOOKS / "zh"  # the Chinese edition: same file names, same code cells
KERNEL = "rust"  # the kernelspec every committed notebook names
# The kernelspec that executes them (the same one, unless a test of a new launcher says so).
RUN_KERNEL = os.environ.get("DLFS_KERNEL") or KERNEL
PLOT_SRC = ROOT / "crates" / "dlfs-plot" / "src"
DOCS_IMG = ROOT / "docs" / "img"


def as_text(value) -> str:
    """A notebook's text field, stored as one string or as a list of lines."""
    return "".join(value) if isinstance(value, list) else (value or "")


def code_cells(nb) -> list:
    return [c for c in nb.get("cells", []) if c.get("cell_type") == "code"]


def inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False
