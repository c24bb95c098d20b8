"""The Chinese edition (notebooks/zh/) kept in step with the English one: the same code
cells in the same order, equal once comments and the contents of string and char literals
are masked and `:dep` paths resolved."""

from __future__ import annotations

import os
from pathlib import Path

from .repo import NOTEBOOKS, ROOT, ZH, as_text, code_cells, inside
from .rust import DEP_PATH, mask_rust, split_cell


def comparable_code(source: str, folder: Path) -> list[str]:
    """A code cell as the sync check compares it: comments and the contents of string and
    char literals masked, `:dep` paths resolved from the notebook's folder."""
    commands, rust = split_cell(source)
    norm = []
    for command in commands:
        def resolve(m):
            target = Path(os.path.normpath(folder / m.group(1)))
            shown = (target.relative_to(ROOT).as_posix() if inside(target, ROOT)
                     else str(target))
            return f'path = "<repo>/{shown}"'
        norm.append(DEP_PATH.sub(resolve, command))
    return norm + mask_rust(rust).splitlines()


def twin_problems(en, zh, en_name: str, zh_name: str, en_folder: Path, zh_folder: Path):
    """Where a notebook and its twin in the other edition differ in code."""
    a, b = code_cells(en), code_cells(zh)
    if len(a) != len(b):
        return [f"{zh_name}: {len(b)} code cells, but {en_name} has {len(a)}; the editions must "
                "have the same code cells in the same order"]
    problems = []
    for i, (x, y) in enumerate(zip(a, b)):
        ca = comparable_code(as_text(x.get("source")), en_folder)
        cb = comparable_code(as_text(y.get("source")), zh_folder)
        if ca == cb:
            continue
        k = next((k for k in range(max(len(ca), len(cb)))
                  if (ca[k] if k < len(ca) else None) != (cb[k] if k < len(cb) else None)))
        problems.append(
            f"{zh_name}: code cell {i + 1} differs from {en_name}'s in more than comments and "
            f"strings\n      {en_name}: {(ca[k] if k < len(ca) else '<nothing>')[:160]}\n"
            f"      {zh_name}: {(cb[k] if k < len(cb) else '<nothing>')[:160]}")
    return problems


def edition_problems(en_dir: Path = NOTEBOOKS, zh_dir: Path = ZH,
                     pending: frozenset[str] = frozenset()) -> list[str]:
    """The Chinese edition against the English one, notebook by notebook (nothing to check
    while notebooks/zh/ does not exist). English notebooks named in `pending` (ZH_PENDING,
    in tools/nb.py) may lack a twin for now; one that has a twin must leave the list."""
    import nbformat

    if not zh_dir.is_dir():
        return []
    en_names = {p.name for p in en_dir.glob("*.ipynb")}
    zh_names = {p.name for p in zh_dir.glob("*.ipynb")}
    problems = [f"zh/{n}: no English notebook of this name in notebooks/"
                for n in sorted(zh_names - en_names)]
    problems += [f"{n}: its Chinese twin zh/{n} is missing" for n in sorted(en_names - zh_names)
                 if n not in pending]
    problems += [f"zh/{n} exists: take {n} off ZH_PENDING in tools/nb.py"
                 for n in sorted(pending & zh_names)]
    for n in sorted(en_names & zh_names):
        problems += twin_problems(nbformat.read(en_dir / n, as_version=4),
                                  nbformat.read(zh_dir / n, as_version=4),
                                  n, f"zh/{n}", en_dir, zh_dir)
    return problems
