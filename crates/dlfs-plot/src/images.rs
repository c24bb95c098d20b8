//! [`Digit`], [`DigitGrid`] and [`Heatmap`]: pictures made of pixel values.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::axes::{text_at, Frame};
use crate::builders;
use crate::canvas::{Area, DrawError, DrawResult};
use crate::chart::{collect, Chart, Number};
use crate::theme;
use crate::ticks::{clean_range, short_number};

const CAPTION_SIZE: f64 = 11.0;
const TITLE_ROW: u32 = 26;

/// What pixel value is drawn white: the scale of the pixels given to [`Digit`] and
/// [`DigitGrid`]. Values below 0 are drawn black, above the top of the scale white.
///
/// ```
/// use dlfs_plot::{Chart, Digit, PixelScale};
///
/// // load_mnist with normalize: true gives 0.0..=1.0; with normalize: false, 0..=255.
/// let normalized = Digit::new(vec![0.5; 784], PixelScale::ZeroToOne).render();
/// let raw = Digit::new(vec![127.5; 784], PixelScale::ZeroTo255).render();
/// assert_eq!(normalized, raw);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PixelScale {
    /// 0.0 is black and 1.0 white: MNIST loaded with `normalize: true` (book 3.6.1).
    ZeroToOne,
    /// 0 is black and 255 white: MNIST loaded with `normalize: false`, or `u8` pixels.
    ZeroTo255,
}

impl PixelScale {
    fn white(self) -> f64 {
        match self {
            PixelScale::ZeroToOne => 1.0,
            PixelScale::ZeroTo255 => 255.0,
        }
    }
}

/// Pixel values as grey levels in 0..=1; non-finite values are drawn black.
fn grey_levels(values: Vec<f64>, scale: PixelScale) -> Vec<f64> {
    let white = scale.white();
    values
        .into_iter()
        .map(|v| {
            if v.is_finite() {
                (v / white).clamp(0.0, 1.0)
            } else {
                0.0
            }
        })
        .collect()
}

/// The side of a square image of `n` pixels.
fn square_side(what: &str, n: usize) -> usize {
    let side = (n as f64).sqrt().round() as usize;
    assert!(
        side > 0 && side * side == n,
        "{what}: expected the pixels of a square image (784 for 28x28 MNIST), found {n} values"
    );
    side
}

/// Draws a square grey image (0 black, 1 white, as the book's `img_show`) with its top
/// left corner at `(x, y)`, `size` pixels wide.
fn draw_grey(
    area: &Area<'_>,
    grey: &[f64],
    side: usize,
    (x, y): (i32, i32),
    size: i32,
) -> DrawResult {
    for r in 0..side {
        for c in 0..side {
            let edge = |k: usize| k as i32 * size / side as i32;
            let level = (grey[r * side + c] * 255.0).round() as u8;
            area.draw(&Rectangle::new(
                [
                    (x + edge(c), y + edge(r)),
                    (x + edge(c + 1), y + edge(r + 1)),
                ],
                RGBColor(level, level, level).filled(),
            ))?;
        }
    }
    Ok(())
}

/// Draws `title` centred in a row at the top of `area`; returns the rest of the area.
fn title_row<'b>(area: &Area<'b>, title: &Option<String>) -> Result<Area<'b>, DrawError> {
    match title {
        Some(t) => {
            let (w, _) = area.dim_in_pixel();
            let style = theme::centered(theme::font(theme::TITLE_SIZE - 2.0));
            area.draw_text(t, &style, (w as i32 / 2, TITLE_ROW as i32 / 2))?;
            Ok(area.margin(TITLE_ROW, 0, 0, 0))
        }
        None => Ok(area.clone()),
    }
}

/// One handwritten digit (or any square grey image), black background and white strokes,
/// as the book shows `x_train[0]` with `img_show` (book 3.6.1).
///
/// Pixels come row by row: 784 of them for a 28x28 MNIST image, on the [`PixelScale`]
/// given: 0..=1 for `normalize: true`, 0..=255 for `normalize: false` or `u8` pixels.
///
/// ```
/// use dlfs_plot::{Chart, Digit, PixelScale};
///
/// let mut pixels = vec![0u8; 784];
/// for r in 4..24 {
///     pixels[r * 28 + 14] = 255; // a "1"
/// }
/// let fig = Digit::new(&pixels, PixelScale::ZeroTo255).title("label 1").render();
/// assert_eq!((fig.width(), fig.height()), (168, 168 + 26));
/// ```
#[derive(Clone, Debug)]
pub struct Digit {
    frame: Frame,
    grey: Vec<f64>,
    side: usize,
}

impl Digit {
    /// A digit from its pixels, row by row (784 for MNIST), on the scale `scale`;
    /// 168x168 pixels, plus 26 for a title (book: `img_show(img)`).
    ///
    /// # Panics
    ///
    /// If the number of pixels is not a square number; the message gives the count.
    ///
    /// ```
    /// use dlfs_plot::{Chart, Digit, PixelScale};
    ///
    /// // One white pixel in the middle of row 14 of 28.
    /// let dot = Digit::new((0..784).map(|i| u8::from(i == 14 * 28 + 14)), PixelScale::ZeroToOne);
    /// assert_eq!(dot.dimensions(), (168, 168));
    /// ```
    pub fn new(pixels: impl IntoIterator<Item = impl Number>, scale: PixelScale) -> Self {
        let grey = grey_levels(collect(pixels), scale);
        let side = square_side("Digit::new", grey.len());
        Digit {
            frame: Frame::new((168, 168), None, None),
            grey,
            side,
        }
    }
}

builders::title_and_size!(
    Digit,
    "Digit::new(vec![0.5; 784], PixelScale::ZeroToOne)",
    "168x168, plus 26 for a title"
);

impl Chart for Digit {
    fn dimensions(&self) -> (u32, u32) {
        match (self.frame.sized, &self.frame.title) {
            (false, Some(_)) => (self.frame.size.0, self.frame.size.1 + TITLE_ROW),
            _ => self.frame.size,
        }
    }

    fn draw(&self, area: &Area<'_>) -> DrawResult {
        let body = title_row(area, &self.frame.title)?;
        let (w, h) = body.dim_in_pixel();
        let size = (w.min(h) as i32).max(1);
        let origin = ((w as i32 - size) / 2, (h as i32 - size) / 2);
        let base = body.get_base_pixel();
        draw_grey(
            &body.use_screen_coord(),
            &self.grey,
            self.side,
            (base.0 + origin.0, base.1 + origin.1),
            size,
        )
    }
}

/// Many digits in a grid, each with a caption; digits whose label and prediction differ
/// get a red caption and frame. Used to look at the test images a network gets wrong
/// (book 3.6.2).
///
/// ```
/// use dlfs_plot::{Chart, DigitGrid, PixelScale};
///
/// let blank = vec![0.0; 784];
/// let fig = DigitGrid::new(PixelScale::ZeroToOne)
///     .prediction(&blank, 7, 7)
///     .prediction(&blank, 2, 1)
///     .digit(&blank, "any caption")
///     .render();
/// assert_eq!((fig.width(), fig.height()), (3 * 100, 118));
/// ```
#[derive(Clone, Debug)]
pub struct DigitGrid {
    frame: Frame,
    scale: PixelScale,
    cols: usize,
    items: Vec<Tile>,
}

#[derive(Clone, Debug)]
struct Tile {
    grey: Vec<f64>,
    side: usize,
    caption: String,
    wrong: bool,
}

const CELL: (u32, u32) = (100, 118);

impl DigitGrid {
    /// An empty grid for digits on the scale `scale`, 10 per row; each cell is 100x118
    /// pixels.
    ///
    /// ```
    /// use dlfs_plot::{Chart, DigitGrid, PixelScale};
    ///
    /// let digits = vec![vec![0.0; 784]; 12];
    /// let grid = digits.iter().fold(DigitGrid::new(PixelScale::ZeroToOne), |g, d| g.digit(d, "?"));
    /// assert_eq!(grid.dimensions(), (10 * 100, 2 * 118));
    /// ```
    pub fn new(scale: PixelScale) -> Self {
        DigitGrid {
            frame: Frame::new(CELL, None, None),
            scale,
            cols: 10,
            items: Vec::new(),
        }
    }

    /// Sets the number of digits per row (default 10, at least 1).
    ///
    /// ```
    /// use dlfs_plot::{Chart, DigitGrid, PixelScale};
    ///
    /// let digits = vec![vec![0.0; 784]; 12];
    /// let grid = digits.iter().fold(DigitGrid::new(PixelScale::ZeroToOne).cols(4), |g, d| g.digit(d, "?"));
    /// assert_eq!(grid.dimensions(), (4 * 100, 3 * 118));
    /// ```
    pub fn cols(mut self, cols: usize) -> Self {
        self.cols = cols.max(1);
        self
    }

    fn push(mut self, what: &str, pixels: Vec<f64>, caption: String, wrong: bool) -> Self {
        let grey = grey_levels(pixels, self.scale);
        let side = square_side(what, grey.len());
        self.items.push(Tile {
            grey,
            side,
            caption,
            wrong,
        });
        self
    }

    /// Adds a digit with a caption under it.
    ///
    /// # Panics
    ///
    /// If the number of pixels is not a square number; the message gives the count.
    ///
    /// ```
    /// use dlfs_plot::{Chart, DigitGrid, PixelScale};
    ///
    /// let grid = DigitGrid::new(PixelScale::ZeroTo255).digit(vec![0u8; 784], "label 5");
    /// assert_eq!(grid.dimensions(), (100, 118));
    /// ```
    pub fn digit(
        self,
        pixels: impl IntoIterator<Item = impl Number>,
        caption: impl Into<String>,
    ) -> Self {
        self.push("DigitGrid::digit", collect(pixels), caption.into(), false)
    }

    /// Adds a digit captioned with its true label `t` and the network's prediction `y`
    /// ("label 7 / pred 2"), in red with a red frame when they differ.
    ///
    /// # Panics
    ///
    /// If the number of pixels is not a square number; the message gives the count.
    ///
    /// ```
    /// use dlfs_plot::{Chart, DigitGrid, PixelScale};
    ///
    /// let grid = DigitGrid::new(PixelScale::ZeroToOne)
    ///     .prediction(vec![0.0; 784], 7, 7)
    ///     .prediction(vec![0.0; 784], 7, 1);
    /// assert_eq!(grid.dimensions(), (200, 118));
    /// ```
    pub fn prediction(
        self,
        pixels: impl IntoIterator<Item = impl Number>,
        t: impl Number,
        y: impl Number,
    ) -> Self {
        let (t, y) = (t.to_f64(), y.to_f64());
        let caption = format!("label {} / pred {}", short_number(&t), short_number(&y));
        self.push("DigitGrid::prediction", collect(pixels), caption, t != y)
    }

    fn grid_shape(&self) -> (usize, usize) {
        let cols = self.cols.min(self.items.len()).max(1);
        (cols, self.items.len().div_ceil(cols).max(1))
    }
}

builders::title_and_size!(
    DigitGrid,
    "DigitGrid::new(PixelScale::ZeroToOne).prediction(vec![0.0; 784], 3, 8)",
    "100x118 per digit, plus 26 for a title"
);

impl Chart for DigitGrid {
    fn dimensions(&self) -> (u32, u32) {
        if self.frame.sized {
            return self.frame.size;
        }
        let (cols, rows) = self.grid_shape();
        let title = if self.frame.title.is_some() {
            TITLE_ROW
        } else {
            0
        };
        (CELL.0 * cols as u32, CELL.1 * rows as u32 + title)
    }

    fn draw(&self, area: &Area<'_>) -> DrawResult {
        let body = title_row(area, &self.frame.title)?;
        let (cols, rows) = self.grid_shape();
        let screen = body.use_screen_coord();
        let caption_h = 18;
        for (tile, cell) in self.items.iter().zip(body.split_evenly((rows, cols))) {
            let (w, h) = cell.dim_in_pixel();
            let (x0, y0) = cell.get_base_pixel();
            let size = ((w as i32 - 16).min(h as i32 - caption_h - 12)).max(1);
            let left = x0 + (w as i32 - size) / 2;
            let top = y0 + 6;
            draw_grey(&screen, &tile.grey, tile.side, (left, top), size)?;
            let color = if tile.wrong {
                theme::WRONG
            } else {
                theme::TEXT
            };
            if tile.wrong {
                screen.draw(&Rectangle::new(
                    [(left - 3, top - 3), (left + size + 2, top + size + 2)],
                    theme::WRONG.stroke_width(2),
                ))?;
            }
            let caption = theme::font(CAPTION_SIZE)
                .color(&color)
                .pos(Pos::new(HPos::Center, VPos::Center));
            let pos = (x0 + w as i32 / 2, top + size + 4 + caption_h / 2);
            text_at(&screen, &tile.caption, &caption, pos)?;
        }
        Ok(())
    }
}

/// A matrix as coloured cells with a colour bar: values below zero blue, zero white,
/// above zero red (symmetric scale), or, when no value is negative, dark blue (smallest)
/// to yellow (largest). Used to look at weights, e.g. a column of the trained `W1`
/// reshaped to 28x28 (book 4.5).
///
/// Values come row by row, `width` per row; non-finite values are drawn grey.
///
/// ```
/// use dlfs_plot::{Chart, Heatmap};
/// use dlfs_plot::ndarray::Array2;
///
/// let w = Array2::from_shape_fn((28, 28), |(r, c)| (r as f64 - c as f64) / 28.0);
/// let fig = Heatmap::new(&w, w.ncols()).title("W1[:, 0]").render();
/// assert_eq!((fig.width(), fig.height()), (400, 360));
/// ```
#[derive(Clone, Debug)]
pub struct Heatmap {
    frame: Frame,
    values: Vec<f64>,
    width: usize,
}

impl Heatmap {
    /// A heatmap of `values` given row by row, `width` values per row; 400x360 pixels.
    ///
    /// # Panics
    ///
    /// If `width` is 0 or does not divide the number of values; the message gives both.
    ///
    /// ```
    /// use dlfs_plot::{Chart, Heatmap};
    ///
    /// // A 2x2 matrix.
    /// let fig = Heatmap::new([1.0, -1.0, 0.5, 0.0], 2).render();
    /// assert_eq!(fig.width(), 400);
    /// ```
    pub fn new(values: impl IntoIterator<Item = impl Number>, width: usize) -> Self {
        let values = collect(values);
        assert!(
            width > 0 && values.len() % width == 0,
            "Heatmap::new: {} values do not fill rows of width {width}",
            values.len()
        );
        Heatmap {
            frame: Frame::new((400, 360), None, None),
            values,
            width,
        }
    }
}

builders::title_and_size!(
    Heatmap,
    "Heatmap::new([0.5, -0.25, 0.0, 1.0], 2)",
    "400x360"
);

impl Chart for Heatmap {
    fn dimensions(&self) -> (u32, u32) {
        self.frame.size
    }

    fn draw(&self, area: &Area<'_>) -> DrawResult {
        let body = title_row(area, &self.frame.title)?;
        let (w, h) = body.dim_in_pixel();
        let (x0, y0) = body.get_base_pixel();
        let screen = body.use_screen_coord();
        let rows = self.values.len() / self.width;
        let finite = || self.values.iter().copied().filter(|v| v.is_finite());
        let lo = finite().fold(f64::INFINITY, f64::min);
        let hi = finite().fold(f64::NEG_INFINITY, f64::max);
        let (lo, hi, diverging) = if !lo.is_finite() {
            (0.0, 1.0, false)
        } else if lo < 0.0 {
            let m = lo.abs().max(hi.abs());
            (-m, m, true)
        } else {
            let (lo, hi) = clean_range((lo, hi)).unwrap_or((0.0, 1.0));
            (lo, hi, false)
        };
        let colormap = |t: f64| {
            if diverging {
                theme::diverging(t)
            } else {
                theme::viridis(t)
            }
        };
        let color = |v: f64| {
            if v.is_finite() {
                colormap((v - lo) / (hi - lo))
            } else {
                RGBColor(160, 160, 160)
            }
        };
        // Matrix on the left with square cells, colour bar and its labels on the right.
        let bar_w = 70;
        let pad = 8;
        let avail = (
            (w as i32 - bar_w - 2 * pad).max(1),
            (h as i32 - 2 * pad).max(1),
        );
        let cell = (avail.0 as f64 / self.width as f64).min(avail.1 as f64 / rows.max(1) as f64);
        let (mw, mh) = (cell * self.width as f64, cell * rows as f64);
        let left = x0 + pad + ((avail.0 as f64 - mw) / 2.0) as i32;
        let top = y0 + pad + ((avail.1 as f64 - mh) / 2.0) as i32;
        for r in 0..rows {
            for c in 0..self.width {
                let at = |k: usize, o: i32| o + (k as f64 * cell).round() as i32;
                screen.draw(&Rectangle::new(
                    [(at(c, left), at(r, top)), (at(c + 1, left), at(r + 1, top))],
                    color(self.values[r * self.width + c]).filled(),
                ))?;
            }
        }
        screen.draw(&Rectangle::new(
            [
                (left - 1, top - 1),
                (left + mw.round() as i32, top + mh.round() as i32),
            ],
            RGBColor(190, 190, 190),
        ))?;
        let bx = left + mw.round() as i32 + 12;
        let (by0, by1) = (top, top + mh.round() as i32);
        let span = (by1 - by0).max(1);
        for k in 0..span {
            let t = 1.0 - k as f64 / (span - 1).max(1) as f64;
            screen.draw(&Rectangle::new(
                [(bx, by0 + k), (bx + 12, by0 + k + 1)],
                colormap(t).filled(),
            ))?;
        }
        screen.draw(&Rectangle::new([(bx, by0), (bx + 12, by1)], theme::AXIS))?;
        let tick = theme::font(theme::TICK_SIZE).pos(Pos::new(HPos::Left, VPos::Center));
        let mut marks = vec![(hi, by0), (lo, by1)];
        if diverging {
            marks.push((0.0, (by0 + by1) / 2));
        }
        for (v, y) in marks {
            screen.draw(&PathElement::new(
                vec![(bx + 12, y), (bx + 15, y)],
                theme::AXIS,
            ))?;
            text_at(&screen, &format_value(v), &tick, (bx + 18, y))?;
        }
        Ok(())
    }
}

/// A colour bar label: up to 3 significant digits.
fn format_value(v: f64) -> String {
    if v == 0.0 {
        return "0".to_string();
    }
    let decimals = (2 - v.abs().log10().floor() as i32).clamp(0, 6) as usize;
    crate::ticks::format_tick(v, decimals)
}
