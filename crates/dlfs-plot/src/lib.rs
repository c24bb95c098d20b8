//! # dlfs-plot: the figures of *Deep Learning from Scratch*, chapters 2-4, as PNG
//!
//! The math lives in the `dlfs` crate, which knows nothing about pictures; this crate
//! turns numbers into small PNG images. In an evcxr Jupyter notebook a cell that ends
//! with a chart shows it inline; anywhere else [`Chart::save`] writes the same picture
//! to a file.
//!
//! ```
//! use dlfs_plot::ndarray::Array1;
//! use dlfs_plot::{Chart, LinePlot};
//!
//! // Book 3.2.4, figure 3-7: the sigmoid function.
//! let x = Array1::range(-5.0, 5.0, 0.1); // np.arange(-5.0, 5.0, 0.1)
//! let y = dlfs::sigmoid(&x);
//! let plot = LinePlot::new().line(&x, &y).y_range(-0.1, 1.1);
//! // In a notebook, end the cell with `plot` to see it. Here: render and check.
//! let fig = plot.render();
//! assert_eq!((fig.width(), fig.height()), (480, 320));
//! assert!(fig.png_bytes().len() < 60_000);
//! ```
//!
//! ## How it fits together
//!
//! - Each chart kind is a builder: `Kind::new(data)`, then options, all taking and
//!   returning the chart by value. Every kind has `title`, `size` and
//!   `evcxr_display`; those with axes also `x_label`, `y_label`, `x_range`, `y_range`.
//! - Every kind implements [`Chart`]: [`render`](Chart::render) draws it into a
//!   [`Figure`] (the PNG bytes and the size), [`save`](Chart::save) writes the PNG,
//!   [`show`](Chart::show) displays it in the notebook from the middle of a cell.
//! - A notebook cell keeps only its last picture, so charts to compare go side by side
//!   into one picture with [`Subplots`].
//! - Data goes in as anything that iterates over numbers ([`Number`]): slices, arrays,
//!   `Vec`s, ndarray's `Array1` by reference, ranges such as `0..n`, iterators.
//!   Functions of two variables go in as closures `|x0, x1| ...`.
//!
//! ## Which chart for which figure of the book
//!
//! | book | figure | call |
//! |---|---|---|
//! | 2.1-3.4 | 2-1, 2-13, 3-1 to 3-3, 3-17 to 3-20 network diagrams | `NetworkDiagram::new(&[2, 3, 2, 2]).bias(true).highlight_into(1, 0)` |
//! | 2.3-2.4 | 2-6 perceptron of OR, regions and line | `GatePlot::new([0, 1, 1, 1]).linear(1.0, 1.0, -0.5)` |
//! | 2.4.2 | 2-7 outputs of XOR | `GatePlot::new([0, 1, 1, 0])` |
//! | 2.4.3, 2.5 | 2-8 XOR's curved region | `GatePlot::new([0, 1, 1, 0]).region(\|x1, x2\| xor_gate(x1, x2) == 1)` |
//! | 3.2.3 | 3-6 step function | `LinePlot::new().line(&x, &y).y_range(-0.1, 1.1)` |
//! | 3.2.4 | 3-7 sigmoid | the same with the sigmoid's `y` |
//! | 3.2.5 | 3-8 sigmoid and step | `.line(&x, &y1).line(&x, &y2).dashed()` |
//! | 3.2.7 | 3-9 ReLU | `LinePlot::new().line(&x, &y)` |
//! | 3.6.1 | an MNIST digit (`img_show`) | `Digit::new(&x_train.row(0), PixelScale::ZeroToOne)` |
//! | 3.6.2 | digits with label and prediction | `DigitGrid::new(PixelScale::ZeroToOne).prediction(&x, t, y)` |
//! | 3.6.2 | class probabilities of one digit | `BarPlot::new(&y).highlight(t)` |
//! | 4.3.2 | 4-6 `function_1` | `LinePlot::new().line(&x, &y).x_label("x").y_label("f(x)")` |
//! | 4.3.2 | 4-7 tangent lines | `.line(&x, &y).line(&x, &tangent)`, two plots in a `Subplots::row` |
//! | 4.3.3 | 4-8 `function_2` in 3-D | `SurfacePlot::new(\|x0, x1\| x0 * x0 + x1 * x1)` |
//! | 4.4 | 4-9 negative gradient | `QuiverPlot::new(\|x0, x1\| (-2.0 * x0, -2.0 * x1))` |
//! | 4.4.1 | 4-10 gradient descent steps | `ContourPlot::new(f).path(&x_history.column(0), &x_history.column(1))` |
//! | 4.5.2 | 4-11 loss per iteration | `LinePlot::new().line(0..losses.len(), &losses)` |
//! | 4.5.3 | 4-12 train and test accuracy | `.line(..).label("train acc").line(..).label("test acc").dashed()` |
//! | 4.5 | a weight as an image | `Heatmap::new(&w1.column(0), 28)` |
//!
//! ## Drawing: anti-aliased, with real text layout
//!
//! Charts lay out their axes with plotters and draw on [`Canvas`], this crate's own
//! plotters backend: lines, markers, polygons and fills are anti-aliased (coverage per
//! pixel, from the distance to a line or from ab_glyph's exact-area outline rasterizer),
//! and text is set with ab_glyph from the fonts' advance widths and kerning at
//! fractional pixel positions. Every chart kind, and any [`Chart`] of your own that
//! draws on the [`Area`] it is given, gets the same rendering.
//!
//! Text is drawn in DejaVu Sans (`fonts/DejaVuSans.ttf`, Bitstream Vera license in
//! `fonts/LICENSE-DejaVu.txt`); characters it lacks come from a subset of Noto Sans CJK
//! SC (`fonts/NotoSansCJK-subset.otf`, SIL Open Font License in
//! `fonts/LICENSE-NotoSansCJK.txt`, made by `fonts/make_cjk_subset.py`): all of GB2312
//! (the 6,763 simplified characters of both levels), JIS X 0208 level 1 kanji, kana and
//! CJK punctuation, so titles, axis names and legends can be Chinese or Japanese.
//!
//! ## Choices that keep the notebook's wait short
//!
//! A notebook kernel compiles every dependency again, so this crate keeps its
//! dependencies few: plotters without any backend or font feature (its layout and
//! elements only, with its colour maps), ab_glyph (which also rasterizes the shapes),
//! `image` for PNG encoding (only its `png` feature, and the version dlfs-data uses, so
//! the kernel compiles it once) and `base64`. Nothing uses fontconfig or FreeType.
//!
//! Pictures are small (default panels of 480x320 pixels, most PNGs 5-30 KB) so that a
//! notebook with many figures stays light on GitHub, and deterministic: the same data
//! gives the same bytes, so re-running a notebook does not change its committed outputs.
#![warn(missing_docs)]

mod axes;
mod bar;
mod builders;
mod canvas;
mod chart;
mod clip;
mod contour;
mod diagram;
mod figure;
mod gate;
mod images;
mod legend;
mod line;
mod marks;
mod quiver;
mod raster;
mod subplots;
mod surface;
mod text;
mod theme;
mod ticks;

pub use bar::BarPlot;
pub use canvas::{Area, Canvas, DrawResult};
pub use chart::{Chart, Number};
pub use contour::ContourPlot;
pub use diagram::NetworkDiagram;
pub use figure::Figure;
pub use gate::GatePlot;
pub use images::{Digit, DigitGrid, Heatmap, PixelScale};
pub use line::LinePlot;
pub use quiver::QuiverPlot;
pub use subplots::Subplots;
pub use surface::SurfacePlot;

/// The `ndarray` of the `dlfs` crate, re-exported so that chart inputs and the math
/// agree on one version.
///
/// ```
/// use dlfs_plot::ndarray::array;
/// use dlfs_plot::{Chart, LinePlot};
///
/// let x = array![0.0, 1.0, 2.0];
/// let y = x.mapv(|v: f64| v * v);
/// assert_eq!(LinePlot::new().line(&x, &y).render().width(), 480);
/// ```
pub use dlfs::ndarray;

/// The plotters crate this one draws with, for implementing [`Chart`] for a chart kind
/// of your own.
///
/// ```
/// use dlfs_plot::plotters::prelude::*;
///
/// let style = RGBColor(31, 119, 180).stroke_width(2);
/// assert_eq!(style.stroke_width, 2);
/// ```
pub use plotters;
