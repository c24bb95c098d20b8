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
import base64
import datetime as dt
import functools
import hashlib
import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
ZH = NOTEBOOKS / "zh"  # the Chinese edition: same file names, same code cells
# English notebooks whose Chinese twin is not written yet. Every other notebook must have one,
# and a notebook leaves this list when its twin is added.
ZH_PENDING: frozenset[str] = frozenset()
KERNEL = "rust"  # the kernelspec every committed notebook names
# The kernelspec that executes them (the same one, unless a test of a new launcher says so).
RUN_KERNEL = os.environ.get("DLFS_KERNEL") or KERNEL
PLOT_SRC = ROOT / "crates" / "dlfs-plot" / "src"
# What a notebook may see when executed: the files `:dep` paths, the workspace manifest and
# the data search need. Not target/, .venv/, .git/ (nor anything beside the repository).
MIRROR_ITEMS = ("Cargo.toml", "Cargo.lock", "crates", "bench", "data", "notebooks")
MIRROR_SKIP = {"target", ".git", ".venv", "node_modules", "__pycache__", ".ipynb_checkpoints"}
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
# Debug text where a picture belongs: evcxr shows a value through its `evcxr_display` method
# and, when that does not resolve, falls back to its Debug text without a word. The figure
# types are read from dlfs-plot's source (figure_type_names), so new ones are known at once.
DEBUG_SHAPE = re.compile(r"\s*([A-Z][A-Za-z0-9_]*)\s*(?:\{|\()")
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


# ---------------------------------------------------------------- reading Rust code cells


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


_RAW_STRING = re.compile(r'(?:b|c)?r(#*)"')
_PLAIN_STRING = re.compile(r'(?:b|c)?"')
_CHAR = re.compile(r"""b?'(?:\\(?:x[0-9a-fA-F]{2}|u\{[0-9a-fA-F_]{1,6}\}|[nrt\\0'"])|[^\\'\n\r])'""")


def rust_pieces(code: str):
    """Splits Rust source into ("code" | "comment" | "string" | "char", text, content) pieces;
    content is what is between a literal's quotes (raw strings included), else the text."""
    pieces = []
    i, start, n = 0, 0, len(code)

    def emit(kind, j, content=None):
        nonlocal start
        if i > start:
            pieces.append(("code", code[start:i], code[start:i]))
        pieces.append((kind, code[i:j], code[i:j] if content is None else content))
        start = j

    while i < n:
        after_ident = i > 0 and (code[i - 1].isalnum() or code[i - 1] == "_")
        if code.startswith("//", i):
            j = code.find("\n", i)
            j = n if j < 0 else j
            emit("comment", j)
            i = j
        elif code.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if code.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif code.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            emit("comment", j)
            i = j
        elif not after_ident and (m := _RAW_STRING.match(code, i)):
            close = '"' + m.group(1)
            end = code.find(close, m.end())
            j = n if end < 0 else end + len(close)
            emit("string", j, code[m.end(): n if end < 0 else end])
            i = j
        elif (code[i] == '"' or not after_ident) and (m := _PLAIN_STRING.match(code, i)):
            j = m.end()
            while j < n and code[j] != '"':
                j += 2 if code[j] == "\\" else 1
            emit("string", min(j + 1, n), code[m.end(): min(j, n)])
            i = min(j + 1, n)
        elif code[i] in "'b" and (code[i] == "'" or not after_ident) and (m := _CHAR.match(code, i)):
            emit("char", m.end())
            i = m.end()
        else:
            i += 1
    if n > start:
        pieces.append(("code", code[start:], code[start:]))
    return pieces


def mask_rust(code: str, keep_lines: bool = False) -> str:
    """The code with comments removed and every string and char literal replaced by an empty
    one. Trailing spaces are dropped and, unless keep_lines, so are the lines left empty."""
    out = []
    for kind, text, _ in rust_pieces(code):
        if kind == "code":
            out.append(text)
        elif kind == "comment":
            out.append("\n" * text.count("\n") if keep_lines else " ")
        elif kind == "string":
            out.append('""' + ("\n" * text.count("\n") if keep_lines else ""))
        else:
            out.append("' '")
    lines = [line.rstrip() for line in "".join(out).splitlines()]
    return "\n".join(lines if keep_lines else [line for line in lines if line])


def _is_command(line: str) -> bool:
    stripped = line.lstrip()
    return stripped.startswith(":") and not stripped.startswith("::")


def split_cell(source: str) -> tuple[list[str], str]:
    """An evcxr cell's `:command` lines, and its Rust code (command lines left blank)."""
    lines = source.splitlines()
    commands = [line.strip() for line in lines if _is_command(line)]
    rust = "\n".join("" if _is_command(line) else line for line in lines)
    return commands, rust


DEP_PATH = re.compile(r'\bpath\s*=\s*"([^"]*)"')


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False


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
        if not _inside(resolved, ROOT):
            return "a path leaving the repository"
    return None


def outside_paths(nb, name: str, folder: Path) -> list[str]:
    """Code cells that name a file or folder outside the repository: an absolute path, a
    `..` that climbs above the repository (resolved from the notebook's folder, as the kernel
    does), or anything under a shared/ folder."""
    problems = []
    for i, cell in enumerate(code_cells(nb)):
        where = f"{name}: code cell {i + 1}"
        source = _text(cell.get("source"))
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


def comparable_code(source: str, folder: Path) -> list[str]:
    """A code cell as the sync check compares it: comments and the contents of string and
    char literals masked, `:dep` paths resolved from the notebook's folder."""
    commands, rust = split_cell(source)
    norm = []
    for command in commands:
        def resolve(m):
            target = Path(os.path.normpath(folder / m.group(1)))
            shown = target.relative_to(ROOT).as_posix() if _inside(target, ROOT) else str(target)
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
        ca = comparable_code(_text(x.get("source")), en_folder)
        cb = comparable_code(_text(y.get("source")), zh_folder)
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
    while notebooks/zh/ does not exist). English notebooks named in `pending` (ZH_PENDING)
    may lack a twin for now; one that has a twin must leave the list."""
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
            texts = [_text(out.get("text"))]
            data = out.get("data", {})
            texts.append(_text(data.get("text/plain")))
            joined = "\n".join(texts)
            if PANIC.search(joined):
                first = next(l for l in joined.splitlines() if PANIC.search(l))
                problems.append(f"{where}: a panic: {first.strip()}")
            if RAW_MARKUP.search(joined):
                problems.append(f"{where}: raw display markup instead of a picture")
            shown = (debug_text_of(_text(data.get("text/plain")), figures)
                     or debug_lines_of(joined, figures))
            if shown:
                problems.append(f"{where}: Debug text of the figure type {shown} instead of a "
                                "picture (its evcxr_display method did not run)")
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


# ---------------------------------------------------------------- execution


def mirror_dir() -> Path:
    """Where notebooks are executed: a copy of the repository's working files in the user's
    cache, one per repository path, kept between runs (so builds of unchanged crates are
    reused) and far from the repository's parent folder."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    digest = hashlib.sha256(str(ROOT).encode()).hexdigest()[:16]
    return cache / "dlfs-rs" / "nb-mirror" / digest


def sync_tree(src: Path, dst: Path, items=MIRROR_ITEMS, skip=MIRROR_SKIP) -> int:
    """Makes dst/ hold exactly the files of `items` under src/ (folders without `skip`),
    copying only files whose size or modification time differ and keeping the times, so
    cargo sees unchanged sources as unchanged. Returns how many files were copied."""
    copied = 0
    wanted: set[Path] = set()

    def copy(a: Path, b: Path):
        nonlocal copied
        wanted.add(b)
        sa = a.stat()
        try:
            sb = b.stat()
            if sb.st_size == sa.st_size and sb.st_mtime_ns == sa.st_mtime_ns:
                return
        except FileNotFoundError:
            pass
        b.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(a, b)
        copied += 1

    for item in items:
        a = src / item
        if a.is_file():
            copy(a, dst / item)
        elif a.is_dir():
            for folder, dirs, files in os.walk(a):
                dirs[:] = sorted(d for d in dirs if d not in skip)
                rel = Path(folder).relative_to(src)
                wanted.add(dst / rel)
                for f in files:
                    copy(Path(folder) / f, dst / rel / f)
    if dst.is_dir():
        for folder, dirs, files in os.walk(dst, topdown=False):
            here = Path(folder)
            for f in files:
                if here / f not in wanted:
                    (here / f).unlink()
            for d in dirs:
                if here / d not in wanted and not any((here / d).iterdir()):
                    (here / d).rmdir()
    return copied


def prepare_mirror() -> Path:
    mirror = mirror_dir()
    if _inside(mirror, ROOT.parent):
        raise SystemExit(f"error: the notebooks' mirror {mirror} would be inside {ROOT.parent}, "
                         "beside the repository; set XDG_CACHE_HOME to a folder elsewhere")
    mirror.mkdir(parents=True, exist_ok=True)
    import fcntl

    # Two runs of nb.py on one repository (make test and make outputs) sync one at a time.
    with open(mirror.with_name(mirror.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        sync_tree(ROOT, mirror)
    return mirror


def kernel_env() -> dict:
    """The kernel's environment: a learner's, without the data-folder override."""
    env = dict(os.environ)
    env.pop("DLFS_DATA_DIR", None)
    return env


def execute(path: Path, record_timing: bool = True, mirror: Path | None = None, book=None):
    """Executes the notebook at `path` (or `book`, as if it were there) in a fresh kernel.
    Inside the repository it runs in the mirror (prepared here unless given), elsewhere in its
    own folder."""
    import nbformat
    from nbclient import NotebookClient

    nb = book if book is not None else nbformat.read(path, as_version=4)
    folder = path.parent
    if _inside(path, ROOT):
        folder = (mirror or prepare_mirror()) / path.parent.relative_to(ROOT)
    client = NotebookClient(
        nb,
        kernel_name=RUN_KERNEL,
        timeout=CELL_TIMEOUT,
        startup_timeout=120,
        resources={"metadata": {"path": str(folder)}},
        record_timing=record_timing,
        allow_errors=True,
    )
    started = time.monotonic()
    client.execute(env=kernel_env())
    return nb, time.monotonic() - started


def describe_kernel() -> str:
    """One line on the kernelspec that executes the notebooks."""
    try:
        from jupyter_client.kernelspec import KernelSpecManager

        spec = KernelSpecManager().get_kernel_spec(RUN_KERNEL)
    except Exception as err:  # noqa: BLE001 (any failure to find it is reported the same way)
        return f"kernel {RUN_KERNEL!r}: not found ({err}); run tools/setup.sh"
    if any(a.endswith("/evcxr-kernel") for a in spec.argv):
        return (f"kernel {RUN_KERNEL!r}: evcxr_jupyter through tools/kernel/evcxr-kernel "
                "(a build slot per kernel, kept between kernels)")
    return (f"kernel {RUN_KERNEL!r}: {spec.argv[0]} started directly (no build slots; "
            "tools/setup.sh registers the launcher)")


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
    return sorted(NOTEBOOKS.glob("*.ipynb")) + sorted(ZH.glob("*.ipynb"))


def display_name(path: Path) -> str:
    """zh/02_perceptron.ipynb for the Chinese edition, 02_perceptron.ipynb for the English."""
    return path.relative_to(NOTEBOOKS).as_posix() if _inside(path, NOTEBOOKS) else path.name


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
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["check", "write", "static", "sync", "warm", "gallery"])
    parser.add_argument("notebooks", nargs="*")
    args = parser.parse_args(argv)
    import nbformat

    if args.command == "warm":
        return warm()
    if args.command == "gallery":
        problems = gallery_problems(write=True)
        print("\n".join(problems) or f"wrote {len(GALLERY)} pictures to docs/img/")
        return 1 if problems else 0
    if args.command == "sync":
        problems = edition_problems(pending=ZH_PENDING)
        print("\n".join(problems) or (f"zh: the code of notebooks/zh/ matches notebooks/"
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
        if any(_inside(p, ROOT) for p in paths):
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
            print(f"executing {name} ...", flush=True)
            executed, seconds = execute(path, mirror=mirror)
            timings[name] = {"total": seconds, "cells": cell_seconds(executed)}
            print(f"  done in {seconds:.1f} s", flush=True)
            found = problems_in_outputs(executed, name)
            if args.command == "check":
                found += differences(committed, executed, name)
                if found:
                    # The kernel can, rarely, lose the tail of a cell's output when it goes
                    # idle (evcxr issue 353). A real problem shows again in a fresh run.
                    print("  problems found; executing once more to rule out a kernel hiccup:")
                    for p in found:
                        print("   ", p.splitlines()[0])
                    executed, seconds = execute(path, mirror=mirror)
                    timings[name] = {"total": seconds, "cells": cell_seconds(executed)}
                    found = (problems_in_outputs(executed, name)
                             + differences(committed, executed, name))
            elif not found:
                nbformat.write(strip_for_commit(executed), path)
                print(f"  outputs written to {path.relative_to(ROOT)}")
            for p in found:
                print("  PROBLEM", p, flush=True)
        if found:
            failed.add(name)
        problems += found
    if args.command == "static" and not args.notebooks:
        for extra in (edition_problems(pending=ZH_PENDING), gallery_problems()):
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
    nb.metadata["kernelspec"] = {"name": RUN_KERNEL, "display_name": "Rust", "language": "rust"}
    print("Compiling the notebooks' crates once in the Rust kernel (about a minute the first "
          "time; later kernels reuse the build cache):")
    for line in cells:
        print("   ", line)
    started = time.monotonic()
    client = NotebookClient(nb, kernel_name=RUN_KERNEL, timeout=CELL_TIMEOUT, startup_timeout=120,
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
