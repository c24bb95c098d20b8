"""Tests of the notebook checker (tools/nb.py): each kind of failure is caught.

The first group feeds hand-made notebooks to the checks; the second runs small notebooks in
the real Rust kernel, because that kernel reports a panic as ordinary output, not as an error.
"""

import base64
import shutil
import struct
import tempfile
import unittest
import zlib
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

import nb

TINY_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg=="
)


def notebook(*cells):
    book = new_notebook()
    book.metadata["kernelspec"] = {"name": "rust", "display_name": "Rust", "language": "rust"}
    for i, (source, outputs) in enumerate(cells):
        cell = new_code_cell(source, outputs=outputs, execution_count=i + 1)
        book.cells.append(cell)
    return book


def stream(text, name="stdout"):
    return new_output("stream", name=name, text=text)


def picture(png=TINY_PNG):
    return new_output("display_data", data={"image/png": base64.b64encode(png).decode()})


class ChecksOnHandMadeNotebooks(unittest.TestCase):
    def test_a_clean_notebook_has_no_problems(self):
        book = notebook(("1 + 1", [stream("2\n")]), ("plot", [picture()]))
        self.assertEqual(nb.problems_in_file(book, "ok.ipynb"), [])

    def test_an_error_output_is_a_problem(self):
        err = new_output("error", ename="Error", evalue="mismatched types", traceback=[])
        book = notebook(("let x: u8 = 1.0;", [err]), ("plot", [picture()]))
        problems = nb.problems_in_outputs(book, "e.ipynb")
        self.assertEqual(len(problems), 1)
        self.assertIn("code cell 1: error output Error: mismatched types", problems[0])

    def test_a_panic_in_a_stream_is_a_problem(self):
        text = "thread '<unnamed>' panicked at src/lib.rs:3:1:\nboom\n"
        book = notebook(("panic!()", [stream(text, "stderr")]), ("plot", [picture()]))
        problems = nb.problems_in_outputs(book, "p.ipynb")
        self.assertEqual(len(problems), 1)
        self.assertIn("a panic", problems[0])

    def test_raw_display_markup_and_figure_debug_text_are_problems(self):
        raw = stream("EVCXR_BEGIN_CONTENT image/png\niVBOR\nEVCXR_END_CONTENT\n")
        debug = new_output("execute_result", data={"text/plain": "Figure { width: 480, height: 320 }"},
                           execution_count=2)
        book = notebook(("a", [raw]), ("b", [debug]), ("c", [picture()]))
        problems = nb.problems_in_outputs(book, "m.ipynb")
        self.assertEqual(len(problems), 2)
        self.assertIn("raw display markup", problems[0])
        self.assertIn("Debug text of a figure", problems[1])

    def test_a_notebook_without_any_picture_is_a_problem(self):
        book = notebook(("1", [stream("1\n")]))
        self.assertIn("no image/png output at all", nb.problems_in_outputs(book, "n.ipynb")[0])

    def test_unexecuted_cells_and_local_paths_are_problems(self):
        book = notebook(("plot", [picture()]))
        book.cells.append(new_code_cell("1 + 1"))
        book.metadata["language_info"] = {"name": "Rust", "path": "/home/me/x"}
        problems = nb.problems_in_file(book, "u.ipynb")
        self.assertTrue(any("never executed" in p for p in problems))
        self.assertTrue(any("local path" in p for p in problems))

    def test_stale_text_output_is_a_difference(self):
        committed = notebook(("6 * 7", [stream("41\n")]), ("plot", [picture()]))
        executed = notebook(("6 * 7", [stream("42\n")]), ("plot", [picture()]))
        problems = nb.differences(committed, executed, "s.ipynb")
        self.assertEqual(len(problems), 1)
        self.assertIn("code cell 1: outputs differ", problems[0])
        self.assertIn("committed: [stdout] 41", problems[0])
        self.assertIn("new run:   [stdout] 42", problems[0])

    def test_a_missing_picture_is_a_difference(self):
        committed = notebook(("plot", [picture()]))
        executed = notebook(("plot", [stream("Figure\n")]))
        problems = nb.differences(committed, executed, "f.ipynb")
        self.assertEqual(problems, ["f.ipynb: code cell 1: the committed picture is missing from the new run"])

    def test_a_changed_picture_is_a_difference(self):
        other = TINY_PNG[:-12] + struct.pack(">I", zlib.crc32(b"x")) + TINY_PNG[-8:]
        committed = notebook(("plot", [picture()]))
        executed = notebook(("plot", [picture(other)]))
        self.assertEqual(len(nb.differences(committed, executed, "c.ipynb")), 1)

    def test_numbers_differ_freely_only_on_timing_lines(self):
        mark = nb.TIMING_MARK
        committed = notebook(("t", [stream(f"{mark} took 1.25 s (300x faster)\nloss 0.5\n")]))
        executed = notebook(("t", [stream(f"{mark} took 0.97 s (412x faster)\nloss 0.5\n")]))
        self.assertEqual(nb.differences(committed, executed, "t.ipynb"), [])
        executed = notebook(("t", [stream(f"{mark} took 0.97 s (412x faster)\nloss 0.6\n")]))
        self.assertEqual(len(nb.differences(committed, executed, "t.ipynb")), 1)

    def test_streams_split_differently_compare_equal(self):
        committed = notebook(("p", [stream("a\nb\n")]))
        executed = notebook(("p", [stream("a\n"), stream("b\n")]))
        self.assertEqual(nb.differences(committed, executed, "x.ipynb"), [])


def have_rust_kernel():
    try:
        from jupyter_client.kernelspec import KernelSpecManager

        KernelSpecManager().get_kernel_spec(nb.KERNEL)
        return True
    except Exception:
        return False


@unittest.skipUnless(have_rust_kernel(), "the Rust kernel is not installed (run tools/setup.sh)")
class ChecksInTheRealKernel(unittest.TestCase):
    """Small notebooks without crates, run by evcxr: seconds, not minutes."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp())
        png64 = base64.b64encode(TINY_PNG).decode()
        cls.committed = notebook(
            ('println!("{}", 6 * 7);', [stream("41\n")]),
            ('println!("EVCXR_BEGIN_CONTENT image/png\\n{}\\nEVCXR_END_CONTENT", "' + png64 + '");',
             [picture()]),
            ('let v: Vec<i32> = vec![];\nprintln!("{}", v[3]);', []),
            ('println!("{}", "no picture here");', [picture()]),
        )
        path = cls.tmp / "fixture.ipynb"
        nbformat.write(cls.committed, path)
        cls.executed, _ = nb.execute(path)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_the_kernel_shows_a_printed_png_as_a_picture(self):
        outputs = nb.code_cells(self.executed)[1]["outputs"]
        self.assertTrue(any("image/png" in o.get("data", {}) for o in outputs), outputs)

    def test_a_panicking_cell_is_caught_although_the_kernel_reports_no_error(self):
        outputs = nb.code_cells(self.executed)[2]["outputs"]
        self.assertFalse(any(o["output_type"] == "error" for o in outputs))
        problems = nb.problems_in_outputs(self.executed, "fixture.ipynb")
        self.assertTrue(any("code cell 3: a panic" in p for p in problems), problems)

    def test_stale_output_and_a_missing_picture_are_caught(self):
        problems = nb.differences(self.committed, self.executed, "fixture.ipynb")
        self.assertTrue(any("code cell 1: outputs differ" in p for p in problems), problems)
        self.assertTrue(any("code cell 4: the committed picture is missing" in p for p in problems), problems)
        self.assertFalse(any("code cell 2" in p for p in problems), problems)


if __name__ == "__main__":
    unittest.main()
