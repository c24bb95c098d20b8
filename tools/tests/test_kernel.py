"""Tests of the kernel launcher (tools/kernel/evcxr-kernel) and its registration.

The first group starts the launcher with a stand-in for evcxr_jupyter (a shell script that
reports its EVCXR_TMPDIR and waits), so the slot rules are checked in milliseconds. The second
runs real evcxr kernels through the launcher: two at once, and one after a killed one.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
LAUNCHER = HERE.parent / "kernel" / "evcxr-kernel"
sys.path.insert(0, str(HERE.parent / "kernel"))
import install  # noqa: E402  (tools/kernel/install.py)


def load_launcher():
    """The launcher as a module (its file has no .py suffix)."""
    from importlib.machinery import SourceFileLoader
    from importlib.util import module_from_spec, spec_from_loader

    loader = SourceFileLoader("evcxr_kernel", str(LAUNCHER))
    module = module_from_spec(spec_from_loader("evcxr_kernel", loader))
    loader.exec_module(module)
    return module

FAKE_KERNEL = """#!/bin/sh
printf '%s\\n' "${EVCXR_TMPDIR:-<none>}" > "$1"
exec sleep 60
"""


class SlotsWithAStandInKernel(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.tmp)
        self.fake = self.tmp / "fake-kernel"
        self.fake.write_text(FAKE_KERNEL)
        self.fake.chmod(0o755)
        self.env = dict(os.environ, XDG_CACHE_HOME=str(self.tmp / "cache"), DLFS_KERNEL_SLOTS="2",
                        EVCXR_TMPDIR="/somewhere/else")
        self.procs = []
        self.addCleanup(self.stop_all)

    def stop_all(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
            p.wait()
            p.stderr.close()

    def start(self):
        """Starts a kernel through the launcher; returns (process, its build directory)."""
        report = self.tmp / f"report-{len(self.procs)}"
        p = subprocess.Popen([sys.executable, str(LAUNCHER), str(self.fake), str(report)],
                             env=self.env, stderr=subprocess.PIPE, text=True)
        self.procs.append(p)
        for _ in range(200):
            if report.exists() and report.read_text().endswith("\n"):
                return p, report.read_text().strip()
            time.sleep(0.02)
        self.fail(f"the stand-in kernel did not start: {p.stderr.read() if p.poll() else ''}")

    def slot(self, n):
        return str(self.tmp / "cache" / "dlfs-rs" / "kernel-slots" / str(n) / "build")

    def test_kernels_running_at_once_get_different_slots_then_a_fresh_directory(self):
        (_, a), (_, b), (third, c) = self.start(), self.start(), self.start()
        self.assertEqual((a, b), (self.slot(0), self.slot(1)))
        # All slots taken: no EVCXR_TMPDIR, so evcxr makes a temporary directory of its own
        # (the one set in the environment is not passed on either).
        self.assertEqual(c, "<none>")
        third.kill()
        third.wait()
        self.assertIn("all 2 build slots", third.stderr.read())

    def test_the_slot_of_a_killed_kernel_is_free_again(self):
        (first, a), (_, b) = self.start(), self.start()
        self.assertEqual(a, self.slot(0))
        first.send_signal(signal.SIGKILL)
        first.wait()
        _, again = self.start()
        self.assertEqual(again, self.slot(0))
        self.assertNotEqual(again, b)

    def test_the_lock_is_held_by_the_kernel_process_itself(self):
        p, _ = self.start()
        lock = Path(self.slot(0)).parent / "lock"
        # flock(1) cannot take the lock while the kernel runs, and can once it is gone.
        if not shutil.which("flock"):
            self.skipTest("flock(1) not installed")
        busy = subprocess.run(["flock", "-n", str(lock), "true"])
        self.assertNotEqual(busy.returncode, 0)
        self.assertIn(f"pid {p.pid}", lock.read_text())
        p.terminate()
        p.wait()
        self.assertEqual(subprocess.run(["flock", "-n", str(lock), "true"]).returncode, 0)

    def test_slots_can_be_turned_off(self):
        self.env["DLFS_KERNEL_SLOTS"] = "0"
        _, where = self.start()
        self.assertEqual(where, "<none>")

    def test_a_missing_kernel_binary_is_a_clear_error(self):
        r = subprocess.run([sys.executable, str(LAUNCHER), str(self.tmp / "no-such-kernel")],
                           env=self.env, capture_output=True, text=True)
        self.assertEqual(r.returncode, 1)
        self.assertIn("cannot start", r.stderr)
        self.assertIn("tools/setup.sh", r.stderr)


REPORT_SOURCES = """#!/bin/sh
printf '%s\\n' "${RUST_SRC_PATH:-<none>}" > "$1"
"""


class StandardLibraryView(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.tmp)
        self.launcher = load_launcher()
        self.library = self.tmp / "library"
        for part in ("core", "alloc", "std", "stdarch", "portable-simd", "coretests"):
            (self.library / part / "src").mkdir(parents=True)
            (self.library / part / "src" / "lib.rs").write_text(f"// {part}\n")
        (self.library / "Cargo.toml").write_text("[workspace]\n")

    def test_the_view_links_all_but_stdarch_simd_and_tests(self):
        view = self.launcher.library_view(self.library, self.tmp / "views")
        self.assertEqual(sorted(os.listdir(view)), ["Cargo.toml", "alloc", "core", "std"])
        for entry in os.listdir(view):
            self.assertTrue((view / entry).is_symlink())
            self.assertEqual(os.path.realpath(view / entry), os.path.realpath(self.library / entry))
        # core's `#[path = "../../stdarch/..."]`, taken as rust-analyzer takes it (by the
        # path's text, not through the link), leads nowhere inside the view.
        self.assertFalse(os.path.exists(os.path.normpath(view / "core" / "src" / ".." / ".."
                                                         / "stdarch")))

    def test_the_view_is_made_once_and_anew_for_another_library(self):
        views = self.tmp / "views"
        first = self.launcher.library_view(self.library, views)
        stamp = first.stat().st_ino
        self.assertEqual(self.launcher.library_view(self.library, views), first)
        self.assertEqual(first.stat().st_ino, stamp)
        (self.library / "test").mkdir()  # a new toolchain with another list of crates
        second = self.launcher.library_view(self.library, views)
        self.assertNotEqual(second, first)
        self.assertIn("test", os.listdir(second))
        self.assertEqual(sorted(p.name for p in views.iterdir()), sorted([first.name, second.name]))

    def test_a_library_without_core_gets_no_view(self):
        shutil.rmtree(self.library / "core")
        self.assertIsNone(self.launcher.library_view(self.library, self.tmp / "views"))
        self.assertIsNone(self.launcher.library_view(self.tmp / "missing", self.tmp / "views"))

    def sources_seen_by_kernel(self, **env):
        fake = self.tmp / "report-kernel"
        fake.write_text(REPORT_SOURCES)
        fake.chmod(0o755)
        report = self.tmp / "sources"
        env = dict(os.environ, XDG_CACHE_HOME=str(self.tmp / "cache"), DLFS_KERNEL_SLOTS="0",
                   **env)
        for name in ("RUST_SRC_PATH", "DLFS_KERNEL_FULL_STD"):
            if env.get(name) is None:
                env.pop(name, None)
        subprocess.run([sys.executable, str(LAUNCHER), str(fake), str(report)], env=env,
                       check=True, timeout=60)
        return report.read_text().strip()

    def test_the_kernel_gets_the_view_unless_told_otherwise(self):
        if not shutil.which("rustc"):
            self.skipTest("rustc is not installed")
        seen = Path(self.sources_seen_by_kernel(RUST_SRC_PATH=None, DLFS_KERNEL_FULL_STD=None))
        self.assertEqual(seen.parent, self.tmp / "cache" / "dlfs-rs" / "rust-src")
        self.assertTrue((seen / "core" / "src" / "lib.rs").is_file())
        self.assertFalse((seen / "stdarch").exists())
        self.assertEqual(self.sources_seen_by_kernel(RUST_SRC_PATH="/my/rust/library"),
                         "/my/rust/library")
        self.assertEqual(self.sources_seen_by_kernel(RUST_SRC_PATH=None, DLFS_KERNEL_FULL_STD="1"),
                         "<none>")


EVCXR = install.default_evcxr()


@unittest.skipUnless(os.access(EVCXR, os.X_OK), "evcxr_jupyter is not installed (run tools/setup.sh)")
class SlotsWithRealKernels(unittest.TestCase):
    """Real evcxr kernels through the launcher, with slots in a temporary cache folder.

    The folder is made in the home folder, as ~/.cache is: there (unlike in /tmp) the cells
    load only because the launcher puts Rust's library folder on the library search path."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(dir=Path.home(), prefix=".dlfs-launcher-test-"))
        cls.kernels = cls.tmp / "kernels"
        install.install("rust-launcher-test", EVCXR, cls.kernels)
        cls.env = dict(os.environ, XDG_CACHE_HOME=str(cls.tmp / "cache"), DLFS_KERNEL_SLOTS="2")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def start(self):
        from jupyter_client import KernelManager
        from jupyter_client.kernelspec import KernelSpecManager

        km = KernelManager(kernel_name="rust-launcher-test",
                           kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(self.kernels)]))
        km.start_kernel(env=self.env, cwd=str(self.tmp))
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=120)
        self.addCleanup(self.stop, km, kc)
        return km, kc

    @staticmethod
    def stop(km, kc):
        kc.stop_channels()
        if km.is_alive():
            km.shutdown_kernel(now=True)

    @staticmethod
    def run_cell(kc, code):
        out = []

        def keep(msg):
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                out.append(f"ERROR {msg['content']['ename']}: {msg['content']['evalue']}")

        reply = kc.execute_interactive(code, timeout=300, output_hook=keep)
        return reply["content"]["status"], "".join(out)

    @staticmethod
    def cell(expr):
        return 'println!("{} {}", std::env::var("EVCXR_TMPDIR").unwrap_or_default(), ' + expr + ");"

    def test_two_kernels_at_once_build_in_different_slots_and_both_work(self):
        (_, a), (_, b) = self.start(), self.start()
        ra = self.run_cell(a, self.cell("6 * 7"))
        rb = self.run_cell(b, self.cell("6 * 8"))
        slots = self.tmp / "cache" / "dlfs-rs" / "kernel-slots"
        self.assertEqual(ra, ("ok", f"{slots / '0' / 'build'} 42\n"))
        self.assertEqual(rb, ("ok", f"{slots / '1' / 'build'} 48\n"))
        # Both keep working side by side, each with its own state.
        self.run_cell(a, "let v: i64 = 1;")
        self.run_cell(b, "let v: i64 = 2;")
        self.assertEqual(self.run_cell(a, 'println!("{}", v);'), ("ok", "1\n"))
        self.assertEqual(self.run_cell(b, 'println!("{}", v);'), ("ok", "2\n"))

    def test_variables_of_standard_library_types_are_kept_with_the_view(self):
        _, kc = self.start()
        status, out = self.run_cell(
            kc, 'let v = vec![1.5f64, 2.5]; let s = String::from("ab"); '
                "let m = std::collections::HashMap::from([(1u8, 2u8)]); "
                'let p = std::env::var("RUST_SRC_PATH").unwrap_or_default();')
        self.assertEqual(status, "ok", out)
        status, out = self.run_cell(kc, 'println!("{} {} {} {}", v[1], s, m[&1], p);')
        self.assertEqual(status, "ok", out)
        words = out.split()
        self.assertEqual(words[:3], ["2.5", "ab", "2"])
        self.assertIn(f"{self.tmp / 'cache' / 'dlfs-rs' / 'rust-src'}", words[3])

    def test_the_kernel_primes_its_analysis_on_a_thread_and_infers_the_same_types(self):
        # A small crate of our own, so that the `:dep` builds in seconds.
        crate = self.tmp / "tiny"
        (crate / "src").mkdir(parents=True, exist_ok=True)
        (crate / "Cargo.toml").write_text(
            '[package]\nname = "tiny"\nversion = "0.1.0"\nedition = "2021"\n')
        (crate / "src" / "lib.rs").write_text(
            "#[derive(Clone, Debug, PartialEq)]\npub struct Meters(pub f64);\n"
            "impl Meters { pub fn double(&self) -> Meters { Meters(2.0 * self.0) } }\n"
            "impl std::ops::Add for Meters {\n    type Output = Meters;\n"
            "    fn add(self, o: Meters) -> Meters { Meters(self.0 + o.0) }\n}\n")
        km, kc = self.start()
        # Watch the kernel's threads by name while it starts, loads the crate and analyses.
        seen, stop = set(), threading.Event()

        def watch():
            tasks = Path(f"/proc/{km.provisioner.pid}/task")
            while not stop.is_set():
                for comm in tasks.glob("*/comm"):
                    try:
                        seen.add(comm.read_text().strip())
                    except OSError:
                        pass
                time.sleep(0.005)

        watcher = threading.Thread(target=watch)
        watcher.start()
        try:
            status, out = self.run_cell(kc, f':dep tiny = {{ path = "{crate}" }}')
            self.assertEqual(status, "ok", out)
            status, out = self.run_cell(kc, "let m = tiny::Meters(1.5).double() + tiny::Meters(1.0);")
            self.assertEqual(status, "ok", out)
        finally:
            stop.set()
            watcher.join()
        self.assertIn("evcxr-primer", seen)
        self.assertEqual(self.run_cell(kc, 'println!("{:?}", m);'), ("ok", "Meters(4.0)\n"))

    def test_what_a_cell_writes_to_stderr_at_its_end_comes_before_the_cell_is_done(self):
        # The output of a cell is what arrives before its "idle" status, for JupyterLab as for
        # execute_interactive. As released, evcxr sent about half of the stderr lines written
        # at a cell's end after that (measured: 34 cells of 60, and the message of 13 panics of
        # 20), so a learner saw nothing of a panic.
        _, kc = self.start()
        for r in range(10):
            status, out = self.run_cell(kc, f'println!("out {r}"); eprintln!("err {r}");')
            self.assertEqual(status, "ok", out)
            self.assertEqual(sorted(out.splitlines()), [f"err {r}", f"out {r}"])
            status, out = self.run_cell(kc, f"let v = vec![0u8; {r}]; v[{r} + 0];")
            self.assertIn(f"index out of bounds: the len is {r} but the index is {r}", out)

    def test_a_killed_kernels_slot_is_reused_by_the_next_kernel(self):
        km, kc = self.start()
        _, first = self.run_cell(kc, self.cell("1"))
        # SIGKILL to the kernel process alone, as the out-of-memory killer would send it:
        # nothing is cleaned up, and evcxr's own child process is left to notice by itself.
        os.kill(km.provisioner.pid, signal.SIGKILL)
        kc.stop_channels()
        deadline = time.time() + 20
        while km.is_alive() and time.time() < deadline:
            time.sleep(0.1)
        self.assertFalse(km.is_alive())
        _, kc2 = self.start()
        status, second = self.run_cell(kc2, self.cell("2"))
        self.assertEqual(status, "ok", second)
        self.assertEqual(second.split()[0], first.split()[0])
        self.assertTrue(second.split()[0].endswith("kernel-slots/0/build"), second)


class Registration(unittest.TestCase):
    def test_the_kernelspec_runs_the_launcher_and_is_written_once(self):
        if not os.access(EVCXR, os.X_OK):
            self.skipTest("evcxr_jupyter is not installed")
        with tempfile.TemporaryDirectory() as tmp:
            kernels = Path(tmp) / "kernels"
            self.assertEqual(install.main(["--name", "t", "--kernels-dir", str(kernels), "--check"]), 1)
            self.assertEqual(install.main(["--name", "t", "--kernels-dir", str(kernels)]), 0)
            spec = json.loads((kernels / "t" / "kernel.json").read_text())
            self.assertEqual(spec["argv"][1:3], ["{resource_dir}/evcxr-kernel", os.path.realpath(EVCXR)])
            self.assertEqual(spec["argv"][3:], ["--control_file", "{connection_file}"])
            self.assertTrue((kernels / "t" / "version.txt").is_file())
            self.assertEqual((kernels / "t" / "evcxr-kernel").read_bytes(), LAUNCHER.read_bytes())
            self.assertEqual(install.main(["--name", "t", "--kernels-dir", str(kernels), "--check"]), 0)


class Pruning(unittest.TestCase):
    def test_only_unused_earlier_builds_are_removed(self):
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            cache, kernels = tmp / "kernel", tmp / "kernels"

            def build(name):
                binary = cache / name / "bin" / "evcxr_jupyter"
                binary.parent.mkdir(parents=True)
                binary.write_text("#!/bin/sh\n")
                return binary

            current = build("0.22.0-" + "a" * 16)
            old = build("0.22.0-" + "b" * 16)
            registered = build("0.21.1-" + "c" * 16)
            not_a_build = build("mine")
            (cache / "target").mkdir()  # the kept build folder
            (cache / "evcxr-0.22.0.crate").write_text("")
            spec = kernels / "other"
            spec.mkdir(parents=True)
            (spec / "kernel.json").write_text(json.dumps(
                {"argv": ["python3", "{resource_dir}/evcxr-kernel", str(registered)],
                 "display_name": "Rust", "language": "rust"}))
            broken = kernels / "broken"
            broken.mkdir()
            (broken / "kernel.json").write_text("{not json")
            removed = install.prune(cache, current.parent.parent, [kernels])
            self.assertEqual(removed, [old.parent.parent])
            self.assertFalse(old.exists())
            for kept in (current, registered, not_a_build):
                self.assertTrue(kept.is_file(), kept)
            self.assertTrue((cache / "target").is_dir())
            self.assertTrue((cache / "evcxr-0.22.0.crate").is_file())
            # the command line does the same, and a second run finds nothing to remove
            self.assertEqual(install.main(["--prune", str(cache), "--evcxr", str(current),
                                           "--kernels-dir", str(kernels)]), 0)
            self.assertEqual(install.prune(cache, current.parent.parent, [kernels]), [])


if __name__ == "__main__":
    unittest.main()
