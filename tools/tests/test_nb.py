"""Tests of the notebook checker (tools/nb.py and its modules in tools/nbcheck/): each kind of
failure is caught.

The first group feeds hand-made notebooks to the checks; the second runs small notebooks in
the real Rust kernel, because that kernel reports a panic as ordinary output, not as an error.
"""

import base64
import os
import shutil
import struct
import tempfile
import unittest
import zlib
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

import nb
from nbcheck import compare, editions, execute, figures, outputs, repo, rust, static

TINY_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg=="
)


def notebook(*cells):
    book = new_notebook()
    book.metadata["kernelspec"] = {"name": "rust", "display_name": "Rust", "language": "rust"}
    for i, (source, outs) in enumerate(cells):
        cell = new_code_cell(source, outputs=outs, execution_count=i + 1)
        book.cells.append(cell)
    return book


def stream(text, name="stdout"):
    return new_output("stream", name=name, text=text)


def picture(png=TINY_PNG):
    return new_output("display_data", data={"image/png": base64.b64encode(png).decode()})


class CheckerTest(unittest.TestCase):
    def assertOneProblem(self, problems, *texts):
        """`problems` is one problem, and it says each of `texts`."""
        self.assertEqual(len(problems), 1, problems)
        for text in texts:
            self.assertIn(text, problems[0])


class ChecksOnHandMadeNotebooks(CheckerTest):
    def test_a_clean_notebook_has_no_problems(self):
        book = notebook(("1 + 1", [stream("2\n")]), ("plot", [picture()]))
        self.assertEqual(static.problems_in_file(book, "ok.ipynb"), [])

    def test_an_error_output_is_a_problem(self):
        err = new_output("error", ename="Error", evalue="mismatched types", traceback=[])
        book = notebook(("let x: u8 = 1.0;", [err]), ("plot", [picture()]))
        self.assertOneProblem(outputs.problems_in_outputs(book, "e.ipynb"),
                              "code cell 1: error output Error: mismatched types")

    def test_a_panic_in_a_stream_is_a_problem(self):
        text = "thread '<unnamed>' panicked at src/lib.rs:3:1:\nboom\n"
        book = notebook(("panic!()", [stream(text, "stderr")]), ("plot", [picture()]))
        self.assertOneProblem(outputs.problems_in_outputs(book, "p.ipynb"), "a panic")

    def test_raw_display_markup_and_figure_debug_text_are_problems(self):
        raw = stream("EVCXR_BEGIN_CONTENT image/png\niVBOR\nEVCXR_END_CONTENT\n")
        debug = new_output("execute_result", data={"text/plain": "Figure { width: 480, height: 320 }"},
                           execution_count=2)
        book = notebook(("a", [raw]), ("b", [debug]), ("c", [picture()]))
        problems = outputs.problems_in_outputs(book, "m.ipynb")
        self.assertEqual(len(problems), 2)
        self.assertIn("raw display markup", problems[0])
        self.assertIn("Debug text of the figure type Figure instead of a picture", problems[1])

    def test_a_notebook_without_any_picture_is_a_problem(self):
        book = notebook(("1", [stream("1\n")]))
        self.assertIn("no image/png output at all", outputs.problems_in_outputs(book, "n.ipynb")[0])

    def test_unexecuted_cells_and_local_paths_are_problems(self):
        book = notebook(("plot", [picture()]))
        book.cells.append(new_code_cell("1 + 1"))
        book.metadata["language_info"] = {"name": "Rust", "path": "/home/me/x"}
        problems = static.problems_in_file(book, "u.ipynb")
        self.assertTrue(any("never executed" in p for p in problems))
        self.assertTrue(any("local path" in p for p in problems))

    def test_stale_text_output_is_a_difference(self):
        committed = notebook(("6 * 7", [stream("41\n")]), ("plot", [picture()]))
        executed = notebook(("6 * 7", [stream("42\n")]), ("plot", [picture()]))
        self.assertOneProblem(compare.differences(committed, executed, "s.ipynb"),
                              "code cell 1: outputs differ", "committed: [stdout] 41",
                              "new run:   [stdout] 42")

    def test_a_missing_picture_is_a_difference(self):
        committed = notebook(("plot", [picture()]))
        executed = notebook(("plot", [stream("Figure\n")]))
        problems = compare.differences(committed, executed, "f.ipynb")
        self.assertEqual(problems, ["f.ipynb: code cell 1: the committed picture is missing from the new run"])

    def test_a_changed_picture_is_a_difference(self):
        other = TINY_PNG[:-12] + struct.pack(">I", zlib.crc32(b"x")) + TINY_PNG[-8:]
        committed = notebook(("plot", [picture()]))
        executed = notebook(("plot", [picture(other)]))
        self.assertEqual(len(compare.differences(committed, executed, "c.ipynb")), 1)

    def test_numbers_differ_freely_only_on_timing_lines(self):
        mark = compare.TIMING_MARK
        committed = notebook(("t", [stream(f"{mark} took 1.25 s (300x faster)\nloss 0.5\n")]))
        executed = notebook(("t", [stream(f"{mark} took 0.97 s (412x faster)\nloss 0.5\n")]))
        self.assertEqual(compare.differences(committed, executed, "t.ipynb"), [])
        executed = notebook(("t", [stream(f"{mark} took 0.97 s (412x faster)\nloss 0.6\n")]))
        self.assertEqual(len(compare.differences(committed, executed, "t.ipynb")), 1)

    def test_streams_split_differently_compare_equal(self):
        committed = notebook(("p", [stream("a\nb\n")]))
        executed = notebook(("p", [stream("a\n"), stream("b\n")]))
        self.assertEqual(compare.differences(committed, executed, "x.ipynb"), [])


def debug_output(text):
    return new_output("execute_result", data={"text/plain": text}, execution_count=1)


class DebugTextOfFigures(CheckerTest):
    """evcxr shows a figure's Debug text, silently, when its evcxr_display does not resolve."""

    # The figure types the notebooks use today; all must be among the names read from source.
    CURRENT = ["GatePlot", "SurfacePlot", "QuiverPlot", "ContourPlot", "Digit", "DigitGrid",
               "Heatmap", "LinePlot", "Subplots", "Figure"]

    def caught(self, text, names=None):
        book = notebook(("fig", [debug_output(text)]), ("plot", [picture()]))
        return [p for p in outputs.problems_in_outputs(book, "d.ipynb", names) if "Debug text" in p]

    def test_the_names_are_read_from_dlfs_plots_source(self):
        names = figures.figure_type_names()
        for name in self.CURRENT:
            self.assertIn(name, names)

    def test_debug_text_of_every_figure_type_in_the_source_is_caught(self):
        names = figures.figure_type_names()
        self.assertGreaterEqual(len(names), len(self.CURRENT))
        for name in sorted(names):
            for text in (f"{name} {{ size: (480, 320), title: None }}", f"{name}(480, 320)",
                         f"{name} {{\n    size: (\n        480,\n    ),\n}}",
                         f"{name} {{ .. }}"):
                with self.subTest(text=text):
                    self.assertOneProblem(self.caught(text),
                                          f"figure type {name} instead of a picture")

    def test_types_added_to_the_source_are_known_without_changing_the_checker(self):
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp)
            (src / "bar.rs").write_text("/// A bar chart.\npub struct BarPlot {\n    bars: Vec<f64>,\n}\n"
                                        "// pub struct NotInTheCrate;\n"
                                        'const S: &str = "pub struct NorThis";\n')
            (src / "diagram").mkdir()
            (src / "diagram" / "mod.rs").write_text("pub struct NetworkDiagram<'a> { l: &'a [usize] }\n"
                                                    "pub(crate) struct Private;\n")
            (src / "lib.rs").write_text("mod bar;\npub use bar::BarPlot;\n"
                                        "pub use extra::{Synthetic3d, other::Plain as RenamedPlot};\n"
                                        "pub use plotters;\n")
            names = figures.figure_type_names(src)
            self.assertEqual(names, {"BarPlot", "NetworkDiagram", "Synthetic3d", "RenamedPlot"})
            for name in sorted(names):
                self.assertEqual(len(self.caught(f"{name} {{ size: (640, 480) }}", names)), 1, name)
            self.assertEqual(self.caught("Private { x: 1 }", names), [])

    def test_debug_text_printed_in_a_stream_is_caught(self):
        book = notebook(("p", [stream("SurfacePlot { size: (480, 320) }\n")]), ("q", [picture()]))
        problems = outputs.problems_in_outputs(book, "s.ipynb")
        self.assertTrue(any("figure type SurfacePlot" in p for p in problems), problems)

    def test_other_values_and_prose_that_names_a_figure_pass(self):
        for text in ("Perceptron { w: [0.5, 0.5], b: -0.7 }", "Some(3)", "[1.0, 2.0]",
                     "Figure (a) shows the step function", "Digit 7 is drawn below"):
            with self.subTest(text=text):
                self.assertEqual(self.caught(text), [])
        book = notebook(("p", [stream("Figure (a) above, Digit (7) below\n")]), ("q", [picture()]))
        self.assertEqual(outputs.problems_in_outputs(book, "s.ipynb"), [])

    def test_any_debug_text_where_the_committed_notebook_has_a_picture_is_named(self):
        committed = notebook(("plot", [picture()]))
        executed = notebook(("plot", [debug_output("SomethingNew { series: 3 }")]))
        problems = compare.differences(committed, executed, "n.ipynb")
        self.assertEqual(len(problems), 1, problems)
        self.assertIn("Debug text of SomethingNew where the committed notebook shows a picture",
                      problems[0])


class PathsOutsideTheRepository(CheckerTest):
    """No notebook may read anything outside the repository."""

    def problems(self, source, folder=repo.NOTEBOOKS):
        book = notebook((source, [picture()]))
        return static.outside_paths(book, "x.ipynb", folder)

    def test_the_book_weights_beside_the_repository_are_rejected(self):
        # What notebooks/03_6_mnist.ipynb once did.
        source = ('let book_weights = std::path::Path::new("../../shared/data/book_sample_weight.pkl");\n'
                  "if book_weights.exists() {\n    let net = load_network(book_weights)?;\n}\n")
        self.assertOneProblem(self.problems(source),
                              "code cell 1: a string is a path into shared/")

    def test_absolute_paths_are_rejected(self):
        for path in ("/work/shared/data/mnist", "/home/me/weights.npz", "/tmp/x.npz",
                     "/root/.cache/w.pkl", "~/data.npz", "C:\\\\data\\\\w.npz"):
            with self.subTest(path=path):
                self.assertOneProblem(self.problems(f'let w = load_network("{path}")?;'),
                                      "an absolute path")

    def test_climbing_above_the_repository_is_rejected(self):
        self.assertOneProblem(self.problems('let p = Path::new("../../weights.npz");'),
                              "a path leaving the repository")
        zh = repo.NOTEBOOKS / "zh"
        self.assertEqual(self.problems('let p = Path::new("../../data/weights/w.npz");', zh), [])
        self.assertEqual(len(self.problems('let p = Path::new("../../../w.npz");', zh)), 1)

    def test_raw_strings_and_dep_paths_are_checked(self):
        self.assertEqual(len(self.problems('let p = r#"../shared/w.pkl"#;')), 1)
        self.assertOneProblem(self.problems(':dep other = { path = "../../other/crate" }'),
                              "a `:dep` path is a path leaving the repository")

    def test_a_local_path_in_a_comment_is_rejected(self):
        self.assertOneProblem(self.problems("let x = 1; // copied from /home/me/notes"),
                              "names a local path")

    def test_paths_inside_the_repository_and_other_strings_pass(self):
        source = (':cache 1000\n:dep dlfs = { path = "../crates/dlfs" }\n'
                  'let net = load_network("../data/weights/sample_weight.npz")?;\n'
                  'println!("{}/{} correct, 1/2 = {}", a, b, 0.5);\n'
                  'println!("load_network(\\"path/to/sample_weight.pkl\\")?");\n'
                  "let r = 0..10; let c = '/';\n")
        self.assertEqual(self.problems(source), [])

    def test_the_committed_notebooks_are_checked(self):
        book = notebook(('let w = "/work/shared/data/w.pkl";', [picture()]))
        problems = static.problems_in_file(book, "f.ipynb")
        self.assertTrue(any("an absolute path" in p for p in problems), problems)


class TheTwoEditionsStayInStep(CheckerTest):
    """notebooks/zh/ has the same code cells as notebooks/, apart from comments and strings."""

    EN = [
        ':cache 1000\n:dep dlfs = { path = "../crates/dlfs" }',
        "use dlfs::prelude::*;\nlet mut rng = seeded_rng(0); // the book's np.random",
        '/* the step function */\nlet label = r#"step "h(x)""#;\nlet c = \'x\';\n'
        'println!("{label}: {}", step(&x)); // prints the array',
    ]
    ZH = [
        ':cache 1000\n:dep dlfs = { path = "../../crates/dlfs" }',
        "use dlfs::prelude::*;\nlet mut rng = seeded_rng(0); // 书中的 np.random\n// 固定种子",
        '/* 阶跃函数 */\nlet label = r#"阶跃函数 "h(x)""#;\nlet c = \'中\';\n'
        'println!("{label}：{}", step(&x)); // 打印数组',
    ]

    def editions(self, en, zh):
        tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, tmp)
        (tmp / "zh").mkdir()
        nbformat.write(notebook(*[(c, []) for c in en]), tmp / "02_perceptron.ipynb")
        nbformat.write(notebook(*[(c, []) for c in zh]), tmp / "zh" / "02_perceptron.ipynb")
        return editions.edition_problems(tmp, tmp / "zh")

    def test_translated_comments_and_strings_pass(self):
        self.assertEqual(self.editions(self.EN, self.ZH), [])

    def test_a_code_cell_changed_in_one_edition_alone_fails(self):
        for k, (old, new) in enumerate([("seeded_rng(0)", "seeded_rng(1)"), ("step(&x)", "sigmoid(&x)")]):
            zh = list(self.ZH)
            zh[k + 1] = zh[k + 1].replace(old, new)
            with self.subTest(change=new):
                self.assertOneProblem(self.editions(self.EN, zh),
                                      f"zh/02_perceptron.ipynb: code cell {k + 2} differs", new)

    def test_a_dep_path_to_another_crate_fails(self):
        zh = list(self.ZH)
        zh[0] = zh[0].replace("../../crates/dlfs", "../crates/dlfs")
        self.assertOneProblem(self.editions(self.EN, zh), "code cell 1 differs")

    def test_a_code_cell_more_or_in_another_order_fails(self):
        self.assertOneProblem(self.editions(self.EN, self.ZH + ["let extra = 1;"]),
                              "4 code cells, but 02_perceptron.ipynb has 3")
        swapped = [self.ZH[0], self.ZH[2], self.ZH[1]]
        self.assertEqual(len(self.editions(self.EN, swapped)), 2)

    def test_a_notebook_without_its_twin_fails(self):
        tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, tmp)
        (tmp / "zh").mkdir()
        nbformat.write(notebook(("1", [])), tmp / "02_perceptron.ipynb")
        nbformat.write(notebook(("1", [])), tmp / "zh" / "03_extra.ipynb")
        problems = editions.edition_problems(tmp, tmp / "zh")
        self.assertEqual(len(problems), 2, problems)
        self.assertIn("zh/03_extra.ipynb: no English notebook", problems[0])
        self.assertIn("02_perceptron.ipynb: its Chinese twin", problems[1])

    def test_a_pending_notebook_may_lack_its_twin_until_it_has_one(self):
        tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, tmp)
        (tmp / "zh").mkdir()
        nbformat.write(notebook(("1", [])), tmp / "02_perceptron.ipynb")
        nbformat.write(notebook(("1", [])), tmp / "04_5.ipynb")
        nbformat.write(notebook(("1", [])), tmp / "zh" / "02_perceptron.ipynb")
        pending = frozenset({"04_5.ipynb"})
        self.assertEqual(editions.edition_problems(tmp, tmp / "zh", pending), [])
        self.assertEqual(len(editions.edition_problems(tmp, tmp / "zh")), 1)
        nbformat.write(notebook(("1", [])), tmp / "zh" / "04_5.ipynb")
        self.assertOneProblem(editions.edition_problems(tmp, tmp / "zh", pending),
                              "take 04_5.ipynb off ZH_PENDING")

    def test_no_chinese_edition_yet_is_no_problem(self):
        self.assertEqual(editions.edition_problems(Path(tempfile.gettempdir()), Path("/nonexistent/zh")), [])


class TheMirrorTheNotebooksRunIn(unittest.TestCase):
    def test_it_copies_changed_files_only_keeps_times_and_drops_the_rest(self):
        tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, tmp)
        src, dst = tmp / "repo", tmp / "mirror"
        for f in ("crates/a/src/lib.rs", "crates/a/target/debug/big", "data/x.bin",
                  "notebooks/n.ipynb", ".git/HEAD", "secret.txt", "Cargo.toml"):
            (src / f).parent.mkdir(parents=True, exist_ok=True)
            (src / f).write_text(f)
        items = ("Cargo.toml", "crates", "data", "notebooks")
        self.assertEqual(execute.sync_tree(src, dst, items), 4)
        self.assertTrue((dst / "crates/a/src/lib.rs").is_file())
        self.assertFalse((dst / "crates/a/target").exists())
        self.assertFalse((dst / ".git").exists() or (dst / "secret.txt").exists())
        lib = src / "crates/a/src/lib.rs"
        self.assertEqual((dst / "crates/a/src/lib.rs").stat().st_mtime_ns, lib.stat().st_mtime_ns)
        self.assertEqual(execute.sync_tree(src, dst, items), 0)
        lib.write_text("changed")
        (src / "data/x.bin").unlink()
        (dst / "notebooks/stray.ipynb").write_text("{}")
        self.assertEqual(execute.sync_tree(src, dst, items), 1)
        self.assertEqual((dst / "crates/a/src/lib.rs").read_text(), "changed")
        self.assertFalse((dst / "data/x.bin").exists() or (dst / "notebooks/stray.ipynb").exists())

    def test_it_lies_outside_the_repositorys_parent_folder(self):
        mirror = execute.mirror_dir()
        self.assertFalse(repo.inside(mirror, repo.ROOT.parent), mirror)
        for item in execute.MIRROR_ITEMS:
            self.assertTrue((repo.ROOT / item).exists(), item)

    def test_every_dep_path_of_the_notebooks_lies_in_the_mirror(self):
        for path in nb.notebook_paths([]):
            book = nbformat.read(path, as_version=4)
            for cell in repo.code_cells(book):
                commands, _ = rust.split_cell(repo.as_text(cell.get("source")))
                for dep in (d for c in commands for d in rust.DEP_PATH.findall(c)):
                    target = (path.parent / dep).resolve().relative_to(repo.ROOT)
                    self.assertIn(target.parts[0], execute.MIRROR_ITEMS, f"{path.name}: {dep}")


def have_rust_kernel():
    try:
        from jupyter_client.kernelspec import KernelSpecManager

        KernelSpecManager().get_kernel_spec(repo.RUN_KERNEL)
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
        cls.executed, _ = execute.execute(path)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_the_kernel_shows_a_printed_png_as_a_picture(self):
        outs = repo.code_cells(self.executed)[1]["outputs"]
        self.assertTrue(any("image/png" in o.get("data", {}) for o in outs), outs)

    def test_a_panicking_cell_is_caught_although_the_kernel_reports_no_error(self):
        outs = repo.code_cells(self.executed)[2]["outputs"]
        self.assertFalse(any(o["output_type"] == "error" for o in outs))
        problems = outputs.problems_in_outputs(self.executed, "fixture.ipynb")
        self.assertTrue(any("code cell 3: a panic" in p for p in problems), problems)

    def test_stale_output_and_a_missing_picture_are_caught(self):
        problems = compare.differences(self.committed, self.executed, "fixture.ipynb")
        self.assertTrue(any("code cell 1: outputs differ" in p for p in problems), problems)
        self.assertTrue(any("code cell 4: the committed picture is missing" in p for p in problems), problems)
        self.assertFalse(any("code cell 2" in p for p in problems), problems)



@unittest.skipUnless(have_rust_kernel(), "the Rust kernel is not installed (run tools/setup.sh)")
class NotebooksRunInTheMirror(unittest.TestCase):
    """A notebook of the repository runs in the mirror, where nothing beside the repository
    can be seen, without DLFS_DATA_DIR, and with the data found by the usual search."""

    def test_what_a_notebook_sees(self):
        probe = notebook((
            'let cwd = std::env::current_dir().unwrap();\n'
            'println!("cwd {}", cwd.display());\n'
            'println!("DLFS_DATA_DIR {:?}", std::env::var("DLFS_DATA_DIR").ok());\n'
            'println!("mnist {}", std::path::Path::new("../data/mnist/train-images-idx3-ubyte.gz").is_file());\n'
            'println!("parent {}", std::fs::canonicalize("../..").unwrap().display());\n', []))
        old = os.environ.get("DLFS_DATA_DIR")
        os.environ["DLFS_DATA_DIR"] = "/nonexistent/data"
        try:
            executed, _ = execute.execute(repo.NOTEBOOKS / "probe.ipynb", book=probe)
        finally:
            if old is None:
                del os.environ["DLFS_DATA_DIR"]
            else:
                os.environ["DLFS_DATA_DIR"] = old
        text = "".join(repo.as_text(o.get("text")) for o in repo.code_cells(executed)[0]["outputs"])
        mirror = execute.mirror_dir()
        self.assertIn(f"cwd {mirror / 'notebooks'}\n", text)
        self.assertIn("DLFS_DATA_DIR None\n", text)
        self.assertIn("mnist true\n", text)
        parent = Path(text.split("parent ")[1].strip())
        self.assertEqual(parent, mirror.parent)
        self.assertNotEqual(parent, repo.ROOT.parent)
        self.assertFalse((parent / "shared").exists())


if __name__ == "__main__":
    unittest.main()
