//! [`QuiverPlot`]: a vector field as arrows, e.g. the negative gradient.

use plotters::prelude::*;

use crate::axes::{axes, Frame};
use crate::builders;
use crate::canvas::{paint, Area, DrawResult, Shape};
use crate::chart::Chart;

/// Arrows `(u, v) = field(x0, x1)` at the points of a grid (matplotlib's `quiver`):
/// book figure 4-9, the negative gradient of `x0² + x1²`, which points toward the minimum
/// and grows with the distance from it.
///
/// Arrows start at the grid points. Their lengths are proportional to `|(u, v)|`, scaled
/// so that the longest one spans 0.9 grid steps. The x and y ranges default to -2..2 with
/// grid steps of 0.25, as in the book; vectors that are not finite are skipped.
///
/// ```
/// use dlfs_plot::{Chart, QuiverPlot};
///
/// use dlfs_plot::ndarray::{array, Array1};
///
/// // Book 4.4, figure 4-9: -grad f for f(x0, x1) = x0² + x1², by numerical_gradient.
/// let function_2 = |x: &Array1<f64>| x[0] * x[0] + x[1] * x[1];
/// let fig = QuiverPlot::new(|x0, x1| {
///     let grad = dlfs::numerical_gradient(function_2, &mut array![x0, x1]);
///     (-grad[0], -grad[1])
/// })
/// .render();
/// assert_eq!((fig.width(), fig.height()), (420, 420));
/// ```
pub struct QuiverPlot<'a> {
    frame: Frame,
    field: Box<dyn Fn(f64, f64) -> (f64, f64) + 'a>,
    step: Option<f64>,
}

impl std::fmt::Debug for QuiverPlot<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QuiverPlot")
            .field("step", &self.step)
            .field("size", &self.frame.size)
            .finish_non_exhaustive()
    }
}

const ARROW: RGBColor = RGBColor(85, 85, 85);

impl<'a> QuiverPlot<'a> {
    /// Arrows of `field(x0, x1) = (u, v)`; 420x420 pixels, axes named x0 and x1.
    ///
    /// ```
    /// use dlfs_plot::{Chart, QuiverPlot};
    ///
    /// let inward = QuiverPlot::new(|x0, x1| (-x0, -x1)).render();
    /// let swirl = QuiverPlot::new(|x0, x1| (-x1, x0)).render();
    /// assert_ne!(inward.png_bytes(), swirl.png_bytes());
    /// ```
    pub fn new(field: impl Fn(f64, f64) -> (f64, f64) + 'a) -> Self {
        QuiverPlot {
            frame: Frame::new((420, 420), Some("x0"), Some("x1")),
            field: Box::new(field),
            step: None,
        }
    }

    /// Sets the spacing of the grid points in data units (book: `np.arange(-2, 2.5,
    /// 0.25)`, step 0.25). Default: a sixteenth of the wider range. Non-positive or
    /// non-finite steps are ignored.
    ///
    /// ```
    /// use dlfs_plot::{Chart, QuiverPlot};
    ///
    /// let dense = QuiverPlot::new(|x0, x1| (-x0, -x1)).step(0.25).render();
    /// let sparse = QuiverPlot::new(|x0, x1| (-x0, -x1)).step(0.5).render();
    /// assert_ne!(dense.png_bytes(), sparse.png_bytes());
    /// ```
    pub fn step(mut self, step: f64) -> Self {
        self.step = (step.is_finite() && step > 0.0).then_some(step);
        self
    }
}

builders::title_and_size!(
    QuiverPlot<'_>,
    "QuiverPlot::new(|x0, x1| (-2.0 * x0, -2.0 * x1))",
    "420x420"
);
builders::axis_methods!(
    QuiverPlot<'_>,
    "QuiverPlot::new(|x0, x1| (-2.0 * x0, -2.0 * x1))",
    "\"x0\"",
    "\"x1\""
);

/// Grid points from `lo` in steps of `step`, up to `hi`.
fn grid(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    let n = ((hi - lo) / step + 1e-9).floor() as usize;
    (0..=n.min(400)).map(|k| lo + k as f64 * step).collect()
}

impl Chart for QuiverPlot<'_> {
    fn dimensions(&self) -> (u32, u32) {
        self.frame.size
    }

    fn draw(&self, area: &Area<'_>) -> DrawResult {
        let (x, y) = self.frame.ranges_or((-2.0, 2.0));
        let step = self.step.unwrap_or(((x.1 - x.0).max(y.1 - y.0)) / 16.0);
        let mut ax = axes(area, &self.frame, x, y)?;
        ax.mesh(&self.frame, true)?;
        let mut arrows = Vec::new();
        for &gy in &grid(y.0, y.1, step) {
            for &gx in &grid(x.0, x.1, step) {
                let (u, v) = (self.field)(gx, gy);
                if u.is_finite() && v.is_finite() {
                    arrows.push(((gx, gy), (u, v)));
                }
            }
        }
        let longest = arrows
            .iter()
            .map(|(_, (u, v))| u.hypot(*v))
            .fold(0.0f64, f64::max);
        if longest == 0.0 {
            return Ok(());
        }
        let scale = 0.9 * step / longest;
        let screen = ax.screen();
        for ((gx, gy), (u, v)) in arrows {
            let tail = ax.px((gx, gy));
            let tip = ax.px((gx + u * scale, gy + v * scale));
            let (dx, dy) = (tip.0 - tail.0, tip.1 - tail.1);
            let len = dx.hypot(dy);
            let (x0, y0, x1, y1) = ax.rect();
            let outside =
                tip.0 < x0 as f64 || tip.0 > x1 as f64 || tip.1 < y0 as f64 || tip.1 > y1 as f64;
            if len < 0.5 || outside {
                continue;
            }
            // Head: at most 40% of the arrow, at most 8 px long; as wide as 60% of its length.
            let head = (0.4 * len).min(8.0);
            let (ux, uy) = (dx / len, dy / len);
            let base = (tip.0 - ux * head, tip.1 - uy * head);
            let half = 0.3 * head;
            let left = (base.0 - uy * half, base.1 + ux * half);
            let right = (base.0 + uy * half, base.1 - ux * half);
            let shaft = Shape::Line {
                points: vec![tail, base],
                width: 1.2,
                dash: None,
            };
            paint(&screen, shaft, ARROW)?;
            paint(&screen, Shape::Fill(vec![vec![tip, left, right]]), ARROW)?;
        }
        Ok(())
    }
}
