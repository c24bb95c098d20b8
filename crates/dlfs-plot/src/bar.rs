//! [`BarPlot`]: one bar per class, e.g. a network's output probabilities.

use crate::axes::{axes_with, Frame, TickMarks};
use crate::builders;
use crate::canvas::{paint, Area, DrawResult, Shape};
use crate::chart::{collect, Chart, Number};
use crate::theme::PALETTE;
use crate::ticks::{clean_range, pick_range};

/// One bar per value at x = 0, 1, ..., n - 1, with a tick and label under each (book:
/// `plt.bar(range(10), y)`): the ten class probabilities of a digit (book 3.6), or the
/// outputs of softmax (book 3.5.2).
///
/// The y range starts at 0 (or below it for negative values) and fits the bars unless
/// set; [`highlight`](BarPlot::highlight) colours one bar, e.g. the true label, and
/// [`tick_labels`](BarPlot::tick_labels) names the classes. Bars of non-finite values
/// are left out.
///
/// ```
/// use dlfs_plot::{BarPlot, Chart};
/// use dlfs_plot::ndarray::array;
///
/// // Book 3.5.2: softmax of a = [0.3, 2.9, 4.0] is [0.018, 0.245, 0.737].
/// let y = dlfs::softmax(&array![0.3, 2.9, 4.0]);
/// let plot = BarPlot::new(&y).highlight(2).y_label("probability");
/// assert_eq!(plot.dimensions(), (480, 320));
/// ```
#[derive(Clone, Debug)]
pub struct BarPlot {
    frame: Frame,
    values: Vec<f64>,
    highlight: Option<usize>,
    tick_labels: Option<Vec<String>>,
}

/// Width of a bar in class units, as matplotlib's default.
const BAR_WIDTH: f64 = 0.8;

impl BarPlot {
    /// Bars of `values` at x = 0, 1, ..., n - 1; 480x320 pixels.
    ///
    /// ```
    /// use dlfs_plot::{BarPlot, Chart};
    ///
    /// let plot = BarPlot::new([0.1, 0.7, 0.2]).x_label("class").y_label("probability");
    /// assert_eq!(plot.dimensions(), (480, 320));
    /// ```
    pub fn new(values: impl IntoIterator<Item = impl Number>) -> Self {
        BarPlot {
            frame: Frame::new((480, 320), None, None),
            values: collect(values),
            highlight: None,
            tick_labels: None,
        }
    }

    /// Draws bar `index` in a second colour (orange), the others in blue; an index past
    /// the last bar highlights nothing.
    ///
    /// ```
    /// use dlfs_plot::{BarPlot, Chart};
    ///
    /// // The prediction for a digit whose label is 7.
    /// let fig = BarPlot::new([0.0, 0.0, 0.1, 0.0, 0.0, 0.0, 0.0, 0.8, 0.0, 0.1])
    ///     .highlight(7)
    ///     .render();
    /// assert_eq!(fig.height(), 320);
    /// ```
    pub fn highlight(mut self, index: usize) -> Self {
        self.highlight = Some(index);
        self
    }

    /// Writes `labels` under the bars instead of their indices 0, 1, ...; bars past the
    /// last label keep their index.
    ///
    /// ```
    /// use dlfs_plot::{BarPlot, Chart};
    ///
    /// let plot = BarPlot::new([0.6, 0.3, 0.1]).tick_labels(["cat", "dog", "bird"]);
    /// assert_eq!(plot.dimensions(), (480, 320));
    /// ```
    pub fn tick_labels(mut self, labels: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.tick_labels = Some(labels.into_iter().map(Into::into).collect());
        self
    }
}

builders::title_and_size!(BarPlot, "BarPlot::new([0.1, 0.7, 0.2])", "480x320");
builders::axis_methods!(BarPlot, "BarPlot::new([0.1, 0.7, 0.2])", "none", "none");

impl BarPlot {
    /// The y range when none is set: from 0 (or the lowest value) to the highest value,
    /// 5% beyond the bars' ends but not beyond 0, as matplotlib does.
    fn auto_y(&self) -> (f64, f64) {
        let finite = self.values.iter().copied().filter(|v| v.is_finite());
        let lo = finite.clone().fold(0.0f64, f64::min);
        let hi = finite.fold(0.0f64, f64::max);
        let (lo, hi) = clean_range((lo, hi)).unwrap_or((0.0, 1.0));
        let pad = 0.05 * (hi - lo);
        (
            if lo < 0.0 { lo - pad } else { lo },
            if hi > 0.0 { hi + pad } else { hi },
        )
    }
}

impl Chart for BarPlot {
    fn dimensions(&self) -> (u32, u32) {
        self.frame.size
    }

    fn draw(&self, area: &Area<'_>) -> DrawResult {
        let n = self.values.len().max(1) as f64;
        // The bars span -0.4..n - 0.6; 5% of that on each side, as matplotlib does.
        let span = n - 1.0 + BAR_WIDTH;
        let x = pick_range(self.frame.x_range, || {
            (
                -BAR_WIDTH / 2.0 - 0.05 * span,
                n - 1.0 + BAR_WIDTH / 2.0 + 0.05 * span,
            )
        });
        let y = pick_range(self.frame.y_range, || self.auto_y());
        let labels = self.tick_labels.as_deref().unwrap_or(&[]);
        let ticks = (0..self.values.len())
            .filter(|&k| (x.0..=x.1).contains(&(k as f64)))
            .map(|k| {
                (
                    k as f64,
                    labels.get(k).cloned().unwrap_or_else(|| k.to_string()),
                )
            })
            .collect();
        let mut ax = axes_with(area, &self.frame, x, y, TickMarks::Fixed(ticks))?;
        ax.mesh(&self.frame, false)?;
        let screen = ax.screen();
        let clamp = |v: f64, (lo, hi): (f64, f64)| v.clamp(lo, hi);
        for (k, &v) in self.values.iter().enumerate() {
            let (left, right) = (k as f64 - BAR_WIDTH / 2.0, k as f64 + BAR_WIDTH / 2.0);
            if !v.is_finite() || right < x.0 || left > x.1 {
                continue;
            }
            let (l, r) = (clamp(left, x), clamp(right, x));
            let (b, t) = (clamp(0.0, y), clamp(v, y));
            let corners = [(l, b), (r, b), (r, t), (l, t)].map(|p| ax.px(p));
            let color = if self.highlight == Some(k) {
                PALETTE[1]
            } else {
                PALETTE[0]
            };
            paint(&screen, Shape::Fill(vec![corners.to_vec()]), color)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probabilities_get_a_range_from_zero_to_five_percent_above_the_largest() {
        let (lo, hi) = BarPlot::new([0.1, 0.8, 0.1]).auto_y();
        assert_eq!(lo, 0.0);
        assert!((hi - 0.84).abs() < 1e-12);
    }

    #[test]
    fn negative_values_extend_the_range_below_zero() {
        let (lo, hi) = BarPlot::new([-1.0, 2.0]).auto_y();
        assert!((lo + 1.15).abs() < 1e-12 && (hi - 2.15).abs() < 1e-12);
    }
}
