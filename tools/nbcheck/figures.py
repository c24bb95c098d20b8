"""The figure types of dlfs-plot, read from its source, and their Debug text.

evcxr shows a value through its `evcxr_display` method and, when that does not resolve,
falls back to its Debug text without a word. The figure types are read from dlfs-plot's
source (figure_type_names), so new ones are known at once.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from .repo import PLOT_SRC
from .rust import mask_rust

DEBUG_SHAPE = re.compile(r"\s*([A-Z][A-Za-z0-9_]*)\s*(?:\{|\()")


@functools.lru_cache(maxsize=8)
def figure_type_names(src: Path = PLOT_SRC) -> frozenset[str]:
    """Every type dlfs-plot makes public: its `pub struct`/`pub enum` items and the CamelCase
    names of its `pub use` lines, read from the crate's source."""
    names: set[str] = set()
    for file in sorted(src.rglob("*.rs")):
        text = mask_rust(file.read_text(encoding="utf-8"), keep_lines=True)
        names.update(re.findall(r"\bpub\s+(?:struct|enum)\s+([A-Z]\w*)", text))
        for items in re.findall(r"\bpub\s+use\s+([^;]+);", text):
            # `a::{B, C as D}` names B and D
            for item in re.split(r"[{},]", items):
                last = re.split(r"\s+as\s+|::", item.strip())[-1].strip()
                if re.fullmatch(r"[A-Z]\w*", last):
                    names.add(last)
    return frozenset(names)


def debug_text_of(text: str, names) -> str | None:
    """The type whose Debug text `text` is, as a whole, when that type is one of `names`
    (or of any name, when `names` is None)."""
    m = DEBUG_SHAPE.match(text)
    if not m or not text.rstrip().endswith(("}", ")")):
        return None
    return m.group(1) if names is None or m.group(1) in names else None


def debug_lines_of(text: str, names) -> str | None:
    """A type of `names` printed with `{:?}` or `{:#?}` on a line of its own in a stream."""
    for line in text.splitlines():
        m = re.match(r"\s*([A-Z]\w*)(?: \{ (?:[a-z_]\w*: |\.\. \})| \{$|\()", line)
        if m and m.group(1) in names:
            return m.group(1)
    return None
