//! [`LinePlot`]: curves y = f(x), loss and accuracy per step, several runs overlaid.

use crate::axes::{axes, Frame};
use crate::builders;
use crate::canvas::{Area, DrawResult};
use crate::chart::{collect, Chart, Number};
use crate::legend::{draw_legend, LegendEntry};
use crate::marks::{draw_line, sample_polyline, Marker};
use crate::theme::PALETTE;
use crate::ticks::{auto_range, pick_range};

/// One or more series `(xs, ys)` drawn as lines and/or markers, like `plt.plot`.
///
/// Used for the activation functions (book figures 3-6 to 3-9), a function with its
/// tangent line (figures 4-6, 4-7), the loss per iteration (figure 4-11), train and test
/// accuracy per epoch (figure 4-12) and hyperparameter sweeps (one series per run).
///
/// Add a series with [`line`](LinePlot::line) or [`points`](LinePlot::points); the
/// series options [`label`](LinePlot::label), [`dashed`](LinePlot::dashed) and
/// [`markers`](LinePlot::markers) apply to the series added last. Series get distinct
/// colours in order (matplotlib's "tab10"). Labelled series are listed in a legend, placed
/// where it covers the fewest data points. Ranges fit the data unless set. Points with a
/// NaN or infinite coordinate are skipped and break the line.
///
/// ```
/// use dlfs_plot::{Chart, LinePlot};
///
/// use dlfs_plot::ndarray::Array1;
///
/// // Book 3.2.5, figure 3-8: sigmoid and step function.
/// let x = Array1::range(-5.0, 5.0, 0.1); // np.arange(-5.0, 5.0, 0.1)
/// let fig = LinePlot::new()
///     .line(&x, &dlfs::sigmoid(&x)).label("sigmoid")
///     .line(&x, &dlfs::step_function(&x)).label("step function").dashed()
///     .y_range(-0.1, 1.1)
///     .render();
/// assert_eq!((fig.width(), fig.height()), (480, 320));
/// ```
#[derive(Clone, Debug)]
pub struct LinePlot {
    frame: Frame,
    series: Vec<Series>,
}

#[derive(Clone, Debug)]
struct Series {
    xs: Vec<f64>,
    ys: Vec<f64>,
    label: Option<String>,
    line: bool,
    dashed: bool,
    markers: bool,
}

impl Default for LinePlot {
    fn default() -> Self {
        Self::new()
    }
}

impl LinePlot {
    /// An empty plot of 480x320 pixels, no axis names, ranges fitted to the data.
    ///
    /// ```
    /// use dlfs_plot::{Chart, LinePlot};
    ///
    /// assert_eq!(LinePlot::new().dimensions(), (480, 320));
    /// ```
    pub fn new() -> Self {
        LinePlot {
            frame: Frame::new((480, 320), None, None),
            series: Vec::new(),
        }
    }

    fn push(mut self, what: &str, xs: Vec<f64>, ys: Vec<f64>, line: bool) -> Self {
        assert_eq!(
            xs.len(),
            ys.len(),
            "LinePlot::{what}: xs has {} values but ys has {}",
            xs.len(),
            ys.len()
        );
        self.series.push(Series {
            xs,
            ys,
            label: None,
            line,
            dashed: false,
            markers: false,
        });
        self
    }

    /// Adds a series drawn as a solid line through `(xs[i], ys[i])` (book: `plt.plot(x, y)`).
    ///
    /// # Panics
    ///
    /// If `xs` and `ys` have different lengths; the message gives both.
    ///
    /// ```
    /// use dlfs_plot::{Chart, LinePlot};
    ///
    /// // Book 3.2.7, figure 3-9: ReLU.
    /// let x = dlfs_plot::ndarray::Array1::range(-5.0, 5.0, 0.1);
    /// let fig = LinePlot::new().line(&x, &dlfs::relu(&x)).render();
    /// assert_eq!(fig.width(), 480);
    /// ```
    pub fn line(
        self,
        xs: impl IntoIterator<Item = impl Number>,
        ys: impl IntoIterator<Item = impl Number>,
    ) -> Self {
        self.push("line", collect(xs), collect(ys), true)
    }

    /// Adds a series drawn as markers only, no line (book: `plt.plot(x, y, 'o')`).
    ///
    /// # Panics
    ///
    /// If `xs` and `ys` have different lengths; the message gives both.
    ///
    /// ```
    /// use dlfs_plot::{Chart, LinePlot};
    ///
    /// let fig = LinePlot::new().points([0.0, 1.0, 2.0], [1.0, 0.5, 0.25]).render();
    /// assert_eq!(fig.height(), 320);
    /// ```
    pub fn points(
        self,
        xs: impl IntoIterator<Item = impl Number>,
        ys: impl IntoIterator<Item = impl Number>,
    ) -> Self {
        self.push("points", collect(xs), collect(ys), false)
    }

    fn last(&mut self, what: &str) -> &mut Series {
        match self.series.last_mut() {
            Some(s) => s,
            None => {
                panic!("LinePlot::{what}: no series yet; add one with line() or points() first")
            }
        }
    }

    /// Names the series added last; named series are listed in the legend
    /// (book: `label="sigmoid"` and `plt.legend()`).
    ///
    /// # Panics
    ///
    /// If no series was added yet.
    ///
    /// ```
    /// use dlfs_plot::{Chart, LinePlot};
    ///
    /// // Book 4.5.3, figure 4-12.
    /// let train = [0.10, 0.78, 0.88, 0.90, 0.91];
    /// let test = [0.10, 0.79, 0.88, 0.90, 0.91];
    /// let fig = LinePlot::new()
    ///     .line(0..5, train).label("train acc").markers()
    ///     .line(0..5, test).label("test acc").markers().dashed()
    ///     .x_label("epochs").y_label("accuracy").y_range(0.0, 1.0)
    ///     .render();
    /// assert_eq!(fig.width(), 480);
    /// ```
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.last("label").label = Some(label.into());
        self
    }

    /// Draws the series added last with a dashed line (book: `linestyle="--"`).
    ///
    /// # Panics
    ///
    /// If no series was added yet.
    ///
    /// ```
    /// use dlfs_plot::{Chart, LinePlot};
    ///
    /// let solid = LinePlot::new().line([0.0, 1.0], [0.0, 1.0]).render();
    /// let dashed = LinePlot::new().line([0.0, 1.0], [0.0, 1.0]).dashed().render();
    /// assert_ne!(solid.png_bytes(), dashed.png_bytes());
    /// ```
    pub fn dashed(mut self) -> Self {
        self.last("dashed").dashed = true;
        self
    }

    /// Marks each point of the series added last (book: `marker="o"`); series get circle,
    /// square, triangle and diamond markers in turn.
    ///
    /// # Panics
    ///
    /// If no series was added yet.
    ///
    /// ```
    /// use dlfs_plot::{Chart, LinePlot};
    ///
    /// let plain = LinePlot::new().line([0.0, 1.0], [0.0, 1.0]).render();
    /// let marked = LinePlot::new().line([0.0, 1.0], [0.0, 1.0]).markers().render();
    /// assert_ne!(plain.png_bytes(), marked.png_bytes());
    /// ```
    pub fn markers(mut self) -> Self {
        self.last("markers").markers = true;
        self
    }
}

builders::title_and_size!(
    LinePlot,
    "LinePlot::new().line([0.0, 1.0, 2.0], [0.0, 1.0, 4.0])",
    "480x320"
);
builders::axis_methods!(
    LinePlot,
    "LinePlot::new().line([0.0, 1.0, 2.0], [0.0, 1.0, 4.0])",
    "none",
    "none"
);

impl Chart for LinePlot {
    fn dimensions(&self) -> (u32, u32) {
        self.frame.size
    }

    fn draw(&self, area: &Area<'_>) -> DrawResult {
        let all = |f: fn(&Series) -> &Vec<f64>| {
            self.series
                .iter()
                .flat_map(move |s| f(s).iter().copied())
                .collect::<Vec<_>>()
        };
        let x = pick_range(self.frame.x_range, || auto_range(all(|s| &s.xs), 0.05));
        let y = pick_range(self.frame.y_range, || auto_range(all(|s| &s.ys), 0.05));
        let mut ax = axes(area, &self.frame, x, y)?;
        ax.mesh(&self.frame, true)?;
        let screen = ax.screen();
        let mut obstacles = Vec::new();
        let mut legend = Vec::new();
        for (i, s) in self.series.iter().enumerate() {
            let color = PALETTE[i % PALETTE.len()];
            if s.line {
                let lines = ax.polylines(&s.xs, &s.ys);
                // A jagged series (a loss per iteration) reads better with a thin line:
                // its path is much longer than the plot is wide.
                let length: f64 = lines
                    .iter()
                    .flat_map(|pl| pl.windows(2))
                    .map(|p| (p[1].0 - p[0].0).hypot(p[1].1 - p[0].1))
                    .sum();
                let jagged = length > 4.0 * f64::from(ax.rect().2 - ax.rect().0);
                let width = if jagged { 1.0 } else { 2.0 };
                for pl in lines {
                    draw_line(&screen, &pl, color, width, s.dashed)?;
                    sample_polyline(&pl, &mut obstacles);
                }
            }
            let marker = (s.markers || !s.line).then(|| Marker::nth(i));
            if let Some(m) = marker {
                for p in ax.inside_points(&s.xs, &s.ys) {
                    m.draw(&screen, p, 4.0, color, None)?;
                    obstacles.push(crate::axes::round(p));
                }
            }
            if let Some(label) = &s.label {
                legend.push(LegendEntry {
                    label: label.clone(),
                    color,
                    line: s.line.then_some(s.dashed),
                    marker: marker.map(|m| (m, true)),
                });
            }
        }
        draw_legend(&screen, ax.rect(), &legend, &obstacles)
    }
}
