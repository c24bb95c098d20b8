"""Draws six of the book's figures twice, with matplotlib as the book's scripts do and
with dlfs-plot, and puts them side by side into one sheet (default docs/img/comparison.png).

The matplotlib half follows the book's scripts in oreilly-japan/deep-learning-from-scratch
(named per figure below): the same data, the same plt calls, matplotlib's default style,
at 4.8 x 3.2 inches and 100 dpi, the crate's default 480 x 320 pixels (4.2 x 4.2 inches
for the quiver plot, as the crate's 420 x 420). The dlfs-plot half is
crates/dlfs-plot/examples/book_figures.rs.

    python3 -m venv /tmp/compare && /tmp/compare/bin/pip install -r tools/requirements-compare.txt
    /tmp/compare/bin/python tools/compare_figures.py [docs/img/comparison.png]
"""

import pathlib
import subprocess
import sys
import tempfile

import matplotlib

matplotlib.use("Agg")
import matplotlib.image as mpimg  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def step_function(x):
    return np.array(x > 0, dtype=int)


def numerical_gradient(f, x):
    """The book's central difference for each coordinate (ch04/gradient_2d.py)."""
    h = 1e-4
    grad = np.zeros_like(x)
    for idx in range(x.size):
        tmp = x[idx]
        x[idx] = tmp + h
        fxh1 = f(x)
        x[idx] = tmp - h
        fxh2 = f(x)
        grad[idx] = (fxh1 - fxh2) / (2 * h)
        x[idx] = tmp
    return grad


def function_2(x):
    return x[0] ** 2 + x[1] ** 2


def fig3_7():  # ch03/sigmoid.py
    x = np.arange(-5.0, 5.0, 0.1)
    plt.plot(x, sigmoid(x))
    plt.ylim(-0.1, 1.1)


def fig3_8():  # ch03/sig_step_compare.py
    x = np.arange(-5.0, 5.0, 0.1)
    plt.plot(x, sigmoid(x))
    plt.plot(x, step_function(x), "k--")
    plt.ylim(-0.1, 1.1)


def fig3_9():  # ch03/relu.py
    x = np.arange(-5.0, 5.0, 0.1)
    plt.plot(x, np.maximum(0, x))
    plt.ylim(-1.0, 5.5)


def fig4_7():  # ch04/gradient_1d.py
    def function_1(x):
        return 0.01 * x**2 + 0.1 * x

    h = 1e-4
    d = (function_1(5 + h) - function_1(5 - h)) / (2 * h)
    x = np.arange(0.0, 20.0, 0.1)
    plt.xlabel("x")
    plt.ylabel("f(x)")
    plt.plot(x, function_1(x))
    plt.plot(x, d * x + function_1(5) - d * 5)


def fig4_9():  # ch04/gradient_2d.py
    x0 = np.arange(-2, 2.5, 0.25)
    x1 = np.arange(-2, 2.5, 0.25)
    X, Y = np.meshgrid(x0, x1)
    X, Y = X.flatten(), Y.flatten()
    grad = np.array([numerical_gradient(function_2, np.array([a, b])) for a, b in zip(X, Y)]).T
    plt.quiver(X, Y, -grad[0], -grad[1], angles="xy", color="#666666")
    plt.xlim([-2, 2])
    plt.ylim([-2, 2])
    plt.xlabel("x0")
    plt.ylabel("x1")
    plt.grid()


def fig4_10():  # ch04/gradient_method.py
    x = np.array([-3.0, 4.0])
    history = []
    for _ in range(20):
        history.append(x.copy())
        x -= 0.1 * numerical_gradient(function_2, x)
    history = np.array(history)
    plt.plot([-5, 5], [0, 0], "--b")
    plt.plot([0, 0], [-5, 5], "--b")
    plt.plot(history[:, 0], history[:, 1], "o")
    plt.xlim(-3.5, 3.5)
    plt.ylim(-4.5, 4.5)
    plt.xlabel("X0")
    plt.ylabel("X1")


FIGURES = [
    ("fig3-7", "Figure 3-7: sigmoid", fig3_7, (4.8, 3.2)),
    ("fig3-8", "Figure 3-8: sigmoid and step function", fig3_8, (4.8, 3.2)),
    ("fig3-9", "Figure 3-9: ReLU", fig3_9, (4.8, 3.2)),
    ("fig4-7", "Figure 4-7: tangent of function_1 at x = 5", fig4_7, (4.8, 3.2)),
    ("fig4-9", "Figure 4-9: negative gradient of function_2", fig4_9, (4.2, 4.2)),
    ("fig4-10", "Figure 4-10: gradient descent, lr = 0.1", fig4_10, (4.8, 3.2)),
]


def main():
    out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs/img/comparison.png"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        subprocess.run(
            ["cargo", "run", "--quiet", "--release", "-p", "dlfs-plot",
             "--example", "book_figures", "--", str(tmp / "rust")],
            cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
        )
        for name, _, draw, size in FIGURES:
            plt.figure(figsize=size, dpi=100)
            draw()
            plt.savefig(tmp / f"{name}-mpl.png", dpi=100)
            plt.close()
        # One row per figure: matplotlib left, dlfs-plot right, at their own pixel size.
        heights = [mpimg.imread(tmp / "rust" / f"{n}.png").shape[0] for n, *_ in FIGURES]
        title_h = 30
        sheet_h = sum(heights) + title_h * len(FIGURES) + 40
        fig = plt.figure(figsize=(9.8, sheet_h / 100), dpi=100)
        fig.text(0.25, 1 - 20 / sheet_h, "matplotlib (the book's code)", ha="center",
                 va="center", fontsize=13, weight="bold")
        fig.text(0.75, 1 - 20 / sheet_h, "dlfs-plot", ha="center", va="center",
                 fontsize=13, weight="bold")
        top = 40
        for (name, caption, _, _), h in zip(FIGURES, heights):
            fig.text(0.5, 1 - (top + title_h / 2) / sheet_h, caption, ha="center",
                     va="center", fontsize=11)
            top += title_h
            for col, path in enumerate([tmp / f"{name}-mpl.png", tmp / "rust" / f"{name}.png"]):
                img = mpimg.imread(path)
                ih, iw = img.shape[:2]
                left = col * 490 + (490 - iw) / 2
                ax = fig.add_axes([left / 980, 1 - (top + ih) / sheet_h, iw / 980, ih / sheet_h])
                ax.imshow(img, interpolation="none")
                ax.set_axis_off()
            top += h
        out.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(out, dpi=100, metadata={"Software": None})
        print(out)


if __name__ == "__main__":
    main()
