"""Notebooks executed in a fresh kernel, in a mirror of the repository.

A notebook is executed in a copy of the repository's working files (MIRROR_ITEMS) kept in
the user's cache folder, not in the repository itself, so it cannot read anything next to
the repository by accident. The kernel is the kernelspec `rust` (tools/kernel/evcxr-kernel),
or the one DLFS_KERNEL names.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sys
import time
from pathlib import Path

from .outputs import problems_in_outputs
from .repo import NOTEBOOKS, ROOT, RUN_KERNEL, as_text, code_cells, inside

# What a notebook may see when executed: the files `:dep` paths, the workspace manifest and
# the data search need. Not target/, .venv/, .git/ (nor anything beside the repository).
MIRROR_ITEMS = ("Cargo.toml", "Cargo.lock", "crates", "bench", "data", "notebooks")
MIRROR_SKIP = {"target", ".git", ".venv", "node_modules", "__pycache__", ".ipynb_checkpoints"}
CELL_TIMEOUT = int(os.environ.get("NB_CELL_TIMEOUT", "900"))  # a cold `:dep` compiles crates


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
    if inside(mirror, ROOT.parent):
        raise SystemExit(f"error: the notebooks' mirror {mirror} would be inside "
                         f"{ROOT.parent}, beside the repository; set XDG_CACHE_HOME to a "
                         "folder elsewhere")
    mirror.mkdir(parents=True, exist_ok=True)
    import fcntl

    # Two runs of tools/nb.py on one repository (make test and make outputs) sync one at a time.
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
    if inside(path, ROOT):
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


def warm() -> int:
    """Runs the `:dep` cells of every notebook in one kernel so evcxr caches the builds."""
    import nbformat
    from nbclient import NotebookClient

    seen, cells = set(), []
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        for cell in code_cells(nbformat.read(path, as_version=4)):
            for line in as_text(cell.get("source")).splitlines():
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
