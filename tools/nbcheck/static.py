"""The committed notebook files: their outputs, that no code cell reads outside the
repository, their metadata, and the README's pictures in docs/img/."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from .outputs import pictures, problems_in_outputs
from .repo import DOCS_IMG, KERNEL, NOTEBOOKS, ROOT, as_text, code_cells, inside
from .rust import DEP_PATH, rust_pieces, split_cell

LOCAL_PATH = re.compile(r"(/home/|/root/|/Users/|/work/|[A-Za-z]:\\\\)")


def path_problem(text: str, folder: Path) -> str | None:
    """Why the string `text`, used as a path by a notebook in `folder`, points outside the
    repository (None if it does not)."""
    t = text.strip()
    if re.match(r"(?:/[A-Za-z0-9._~-]|~[/\\]|[A-Za-z]:[/\\]|\\\\)", t):
        return "an absolute path"
    parts = [p for p in re.split(r"[/\\]+", t) if p]
    if "shared" in parts:
        return "a path into shared/"
    if ".." in parts:
        resolved = Path(os.path.normpath(folder / t.replace("\\", "/")))
        if not inside(resolved, ROOT):
            return "a path leaving the repository"
    return None


def outside_paths(nb, name: str, folder: Path) -> list[str]:
    """Code cells that name a file or folder outside the repository: an absolute path, a
    `..` that climbs above the repository (resolved from the notebook's folder, as the kernel
    does), or anything under a shared/ folder."""
    problems = []
    for i, cell in enumerate(code_cells(nb)):
        where = f"{name}: code cell {i + 1}"
        source = as_text(cell.get("source"))
        commands, rust = split_cell(source)
        found = []
        for command in commands:
            found += [(m, "a `:dep` path") for m in DEP_PATH.findall(command)]
        found += [(content, "a string") for kind, _, content in rust_pieces(rust)
                  if kind == "string"]
        for text, what in found:
            why = path_problem(text, folder)
            if why:
                problems.append(f"{where}: {what} is {why}: {text!r} (a notebook may read only "
                                "files inside the repository)")
        m = LOCAL_PATH.search(source)
        if m and not problems:
            problems.append(f"{where}: names a local path ({m.group(0)}...)")
    return problems


def problems_in_file(nb, name: str, folder: Path = NOTEBOOKS) -> list[str]:
    """What is wrong with a committed notebook file; `folder` is where it lives, from which
    its relative paths are resolved."""
    problems = problems_in_outputs(nb, name)
    problems += outside_paths(nb, name, folder)
    spec = nb.get("metadata", {}).get("kernelspec", {})
    if spec.get("name") != KERNEL:
        problems.append(f"{name}: kernelspec is {spec.get('name')!r}, expected {KERNEL!r}")
    if LOCAL_PATH.search(json.dumps(nb.get("metadata", {}))):
        problems.append(f"{name}: notebook metadata contains a local path")
    for i, cell in enumerate(code_cells(nb)):
        if cell.get("execution_count") is None and as_text(cell.get("source")).strip():
            problems.append(f"{name}: code cell {i + 1} was never executed")
        if LOCAL_PATH.search(json.dumps(cell.get("metadata", {}))):
            problems.append(f"{name}: code cell {i + 1} metadata contains a local path")
    return problems


def gallery_problems(gallery, write: bool = False) -> list[str]:
    """Whether docs/img/ holds the pictures `gallery` names, as (notebook, which of its
    pictures counting from 1, file in docs/img/); with `write`, puts them there."""
    import nbformat

    problems = []
    for name, k, file in gallery:
        path = NOTEBOOKS / name
        if not path.exists():
            problems.append(f"gallery: {name} does not exist")
            continue
        pngs = pictures(nbformat.read(path, as_version=4))
        if len(pngs) < k:
            problems.append(f"gallery: {name} has {len(pngs)} pictures, "
                            f"the README wants number {k}")
            continue
        target = DOCS_IMG / file
        if write:
            DOCS_IMG.mkdir(parents=True, exist_ok=True)
            target.write_bytes(pngs[k - 1])
        elif not target.exists() or target.read_bytes() != pngs[k - 1]:
            problems.append(f"gallery: docs/img/{file} is not picture {k} of {name}; "
                            "run `python tools/nb.py gallery`")
    return problems
