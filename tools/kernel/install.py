#!/usr/bin/env python3
"""Registers the Rust kernel with Jupyter: evcxr_jupyter started through tools/kernel/evcxr-kernel.

    python tools/kernel/install.py [--name rust] [--evcxr PATH] [--kernels-dir DIR] [--check]

The kernelspec folder (<Jupyter data dir>/kernels/<name>/) gets evcxr's own files (logos,
kernel.js, version.txt: evcxr_jupyter writes them into a temporary folder, never over an
installed kernelspec), a copy of the launcher, and a kernel.json that runs

    <python3> {resource_dir}/evcxr-kernel <evcxr_jupyter> --control_file {connection_file}

Nothing is written when the kernelspec is already this one, for this evcxr_jupyter binary.
--check only says whether it is (exit 0) or not (exit 1).

    python tools/kernel/install.py --prune CACHE --evcxr PATH

removes the kernels tools/setup.sh built into CACHE from earlier versions of its sources,
except the one at PATH and any a registered kernelspec runs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
LAUNCHER = HERE / "evcxr-kernel"


def default_evcxr() -> str:
    """The evcxr_jupyter that kernelspec "rust" runs (tools/setup.sh builds it into the cache
    folder and registers it), else the one on PATH or in cargo's bin folder."""
    try:
        argv = json.loads((default_kernels_dir() / "rust" / "kernel.json").read_text())["argv"]
        if argv[1].endswith("/evcxr-kernel") and os.access(argv[2], os.X_OK):
            return argv[2]
    except (ImportError, OSError, ValueError, KeyError, IndexError, TypeError):
        pass
    found = shutil.which("evcxr_jupyter")
    if found:
        return found
    cargo_home = os.environ.get("CARGO_HOME") or os.path.join(os.path.expanduser("~"), ".cargo")
    return os.path.join(cargo_home, "bin", "evcxr_jupyter")


def default_kernels_dir() -> Path:
    from jupyter_core.paths import jupyter_data_dir

    return Path(jupyter_data_dir()) / "kernels"


def binary_stamp(path: str) -> str:
    st = os.stat(path)
    return f"{os.path.realpath(path)} {st.st_size} {st.st_mtime_ns}"


def python_for_launcher() -> str:
    # The launcher needs only the standard library: use the interpreter the virtual
    # environment was made from, so the kernelspec keeps working if .venv is rebuilt.
    return getattr(sys, "_base_executable", None) or sys.executable


def wanted_kernel_json(evcxr: str, name: str) -> dict:
    return {
        "argv": [python_for_launcher(), "{resource_dir}/evcxr-kernel", os.path.realpath(evcxr),
                 "--control_file", "{connection_file}"],
        "display_name": "Rust" if name == "rust" else f"Rust ({name})",
        "language": "rust",
        "interrupt_mode": "message",
        "metadata": {"dlfs-rs": {"launcher": "build slots", "evcxr": binary_stamp(evcxr)}},
    }


def up_to_date(spec_dir: Path, evcxr: str) -> bool:
    name = spec_dir.name
    try:
        current = json.loads((spec_dir / "kernel.json").read_text())
        same_launcher = (spec_dir / "evcxr-kernel").read_bytes() == LAUNCHER.read_bytes()
    except (OSError, ValueError):
        return False
    return (same_launcher and current == wanted_kernel_json(evcxr, name)
            and (spec_dir / "version.txt").is_file())


def evcxr_resources(evcxr: str, into: Path) -> None:
    """evcxr_jupyter's kernelspec files, written by `evcxr_jupyter --install` elsewhere."""
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, JUPYTER_PATH=tmp)
        subprocess.run([evcxr, "--install"], env=env, check=True, stdout=subprocess.DEVNULL)
        made = Path(tmp) / "kernels" / "rust"
        for item in made.iterdir():
            if item.name != "kernel.json" and item.is_file():
                shutil.copyfile(item, into / item.name)


def install(name: str, evcxr: str, kernels_dir: Path) -> Path:
    spec_dir = kernels_dir / name
    spec_dir.mkdir(parents=True, exist_ok=True)
    evcxr_resources(evcxr, spec_dir)
    shutil.copyfile(LAUNCHER, spec_dir / "evcxr-kernel")
    os.chmod(spec_dir / "evcxr-kernel", 0o755)
    tmp = spec_dir / "kernel.json.new"
    tmp.write_text(json.dumps(wanted_kernel_json(evcxr, name), indent=1) + "\n")
    tmp.replace(spec_dir / "kernel.json")
    return spec_dir


KERNEL_BUILD = re.compile(r"\d+\.\d+\.\d+-[0-9a-f]{16}")


def kernels_in_use(kernels_dirs: list[Path] | None = None) -> set[str]:
    """Every argument of every registered kernelspec's argv (kernel.json), in `kernels_dirs`
    or, by default, in all of Jupyter's kernel folders."""
    from jupyter_client.kernelspec import KernelSpecManager

    manager = KernelSpecManager(**({"kernel_dirs": [str(d) for d in kernels_dirs]}
                                   if kernels_dirs is not None else {}))
    used = set()
    for spec_dir in manager.find_kernel_specs().values():
        try:
            used.update(json.loads((Path(spec_dir) / "kernel.json").read_text())["argv"])
        except (OSError, ValueError, KeyError, TypeError):
            continue  # a broken kernelspec runs nothing
    return used


def prune(cache: Path, keep: Path, kernels_dirs: list[Path] | None = None) -> list[Path]:
    """Removes the kernels in `cache` that tools/setup.sh built from earlier versions of
    tools/kernel/evcxr-jupyter/ (folders <version>-<16 hex digits> holding
    bin/evcxr_jupyter), except `keep` and any that a registered kernelspec runs. Returns
    the folders removed."""
    used = {os.path.realpath(a) for a in kernels_in_use(kernels_dirs)}
    removed = []
    for folder in sorted(cache.iterdir()) if cache.is_dir() else []:
        binary = folder / "bin" / "evcxr_jupyter"
        if (not KERNEL_BUILD.fullmatch(folder.name) or folder.resolve() == keep.resolve()
                or not binary.is_file() or os.path.realpath(binary) in used):
            continue
        shutil.rmtree(folder)
        removed.append(folder)
    return removed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--name", default="rust")
    parser.add_argument("--evcxr", default=None, help="evcxr_jupyter to run (default: the one kernelspec rust runs, else on PATH)")
    parser.add_argument("--kernels-dir", type=Path, default=None)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--prune", type=Path, default=None, metavar="CACHE",
                        help="remove the kernels in CACHE (tools/setup.sh's kernel folder) that "
                             "neither --evcxr nor a registered kernelspec runs, and stop")
    args = parser.parse_args(argv)
    if args.prune is not None:
        if args.evcxr is None:
            parser.error("--prune needs --evcxr, the kernel to keep")
        keep = Path(args.evcxr).resolve().parent.parent
        for folder in prune(args.prune, keep, [args.kernels_dir] if args.kernels_dir else None):
            print(f"    removed an earlier build of the kernel: {folder}")
        return 0
    evcxr = args.evcxr or default_evcxr()
    if not os.access(evcxr, os.X_OK):
        print(f"error: {evcxr} is not an executable; tools/setup.sh builds the kernel and "
              "passes it with --evcxr", file=sys.stderr)
        return 1
    kernels_dir = args.kernels_dir or default_kernels_dir()
    spec_dir = kernels_dir / args.name
    if up_to_date(spec_dir, evcxr):
        return 0
    if args.check:
        return 1
    install(args.name, evcxr, kernels_dir)
    print(f"    registered kernel {args.name!r} in {spec_dir} (evcxr_jupyter through "
          "tools/kernel/evcxr-kernel)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
