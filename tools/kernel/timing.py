#!/usr/bin/env python3
"""Times the first cells of a notebook in fresh kernels, as a learner's restart meets them.

    python tools/kernel/timing.py [--kernel rust] [--starts 2] [--cells 2] [--no-slots]
                                  [--show-output] [--cell CODE ...] NOTEBOOK

Starts a kernel in the notebook's folder, runs its first --cells code cells (or the --cell
codes given, in order), shuts it down, and does that --starts times. For every cell it prints
the wall time and the CPU time of the kernel process itself (evcxr, with rust-analyzer built
in, which infers the types of variables kept between cells) and of the processes it waited
for (cargo, rustc, the linker), read from /proc (Linux).

--show-output also prints what each cell prints (a cell's own timing, for instance).

--no-slots starts the kernel with DLFS_KERNEL_SLOTS=0: evcxr builds in a fresh temporary
folder, as the bare evcxr_jupyter does.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def cpu(pid: int) -> tuple[float, float]:
    """(own user+sys, waited-for children's user+sys) CPU seconds of a process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
    return (utime + stime) / TICK, (cutime + cstime) / TICK


def run(kc, code: str) -> tuple[str, str]:
    out = []

    def keep(msg):
        kind = msg["msg_type"]
        if kind == "stream":
            out.append(msg["content"]["text"])
        elif kind == "error":
            out.append(f"ERROR {msg['content']['ename']}: {msg['content']['evalue']}")

    reply = kc.execute_interactive(code, timeout=900, output_hook=keep)
    return reply["content"]["status"], "".join(out)


def main(argv=None) -> int:
    import nbformat
    from jupyter_client import KernelManager

    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("notebook", type=Path)
    p.add_argument("--kernel", default=os.environ.get("DLFS_KERNEL") or "rust")
    p.add_argument("--starts", type=int, default=2)
    p.add_argument("--cells", type=int, default=2)
    p.add_argument("--cell", action="append", help="code to run instead of the notebook's cells")
    p.add_argument("--no-slots", action="store_true")
    p.add_argument("--show-output", action="store_true")
    args = p.parse_args(argv)

    book = nbformat.read(args.notebook, as_version=4)
    cells = args.cell or [
        "".join(c.source) for c in book.cells if c.cell_type == "code"
    ][: args.cells]
    env = dict(os.environ)
    env.pop("DLFS_DATA_DIR", None)
    if args.no_slots:
        env["DLFS_KERNEL_SLOTS"] = "0"
    for start in range(1, args.starts + 1):
        km = KernelManager(kernel_name=args.kernel)
        km.start_kernel(env=env, cwd=str(args.notebook.resolve().parent))
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=120)
        pid = km.provisioner.pid
        print(f"kernel start {start} ({args.kernel}{', no slots' if args.no_slots else ''}):")
        for k, code in enumerate(cells, 1):
            own0, kids0 = cpu(pid)
            t0 = time.monotonic()
            status, out = run(kc, code)
            wall = time.monotonic() - t0
            own1, kids1 = cpu(pid)
            first = code.strip().splitlines()[0][:60]
            print(f"  cell {k}: {wall:6.2f} s wall, CPU {own1 - own0:6.2f} s in the kernel "
                  f"(rust-analyzer, evcxr), {kids1 - kids0:6.2f} s in cargo/rustc  [{first}]")
            if (status != "ok" or args.show_output) and out.strip():
                print("    " + out.strip().replace("\n", "\n    "))
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
