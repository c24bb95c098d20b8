//! [`Subplots`]: several charts in one picture.

use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::canvas::{Area, DrawResult};
use crate::chart::Chart;
use crate::theme;

/// Several charts side by side in one picture, like matplotlib's `subplots`.
///
/// A notebook cell shows only its last picture, so charts meant to be compared go into
/// one `Subplots`. It borrows the charts: build it in the cell that shows it.
/// Cells are filled row by row; every cell has the same size: by default
/// the largest [`dimensions`](Chart::dimensions) among the charts, so the picture grows
/// with the number of charts; [`size`](Subplots::size) fixes the overall size instead.
///
/// ```
/// use dlfs_plot::{Chart, GatePlot, LinePlot, Subplots};
///
/// let and = GatePlot::new([0, 0, 0, 1]).linear(0.5, 0.5, -0.7).title("AND");
/// let or = GatePlot::new([0, 1, 1, 1]).linear(0.5, 0.5, -0.2).title("OR");
/// let fig = Subplots::row(&[&and, &or]).render();
/// assert_eq!((fig.width(), fig.height()), (2 * 360, 360));
///
/// let line = LinePlot::new().line([0.0, 1.0], [0.0, 1.0]);
/// let fig = Subplots::grid(2, &[&and, &or, &line]).size(800, 600).render();
/// assert_eq!((fig.width(), fig.height()), (800, 600));
/// ```
pub struct Subplots<'a> {
    cols: usize,
    charts: Vec<&'a dyn Chart>,
    title: Option<String>,
    size: Option<(u32, u32)>,
}

impl std::fmt::Debug for Subplots<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subplots")
            .field("cols", &self.cols)
            .field("charts", &self.charts.len())
            .field("title", &self.title)
            .field("size", &self.size)
            .finish()
    }
}

impl<'a> Subplots<'a> {
    /// Lays `charts` out in rows of `cols` cells (`cols` of 0 counts as 1).
    ///
    /// ```
    /// use dlfs_plot::{Chart, LinePlot, Subplots};
    ///
    /// let a = LinePlot::new().line([0.0, 1.0], [0.0, 1.0]);
    /// let b = LinePlot::new().line([0.0, 1.0], [1.0, 0.0]);
    /// let c = LinePlot::new().line([0.0, 1.0], [0.5, 0.5]);
    /// let fig = Subplots::grid(2, &[&a, &b, &c]).render();
    /// assert_eq!((fig.width(), fig.height()), (2 * 480, 2 * 320));
    /// ```
    pub fn grid(cols: usize, charts: &[&'a dyn Chart]) -> Self {
        Subplots {
            cols: cols.max(1),
            charts: charts.to_vec(),
            title: None,
            size: None,
        }
    }

    /// Lays `charts` out in one row.
    ///
    /// ```
    /// use dlfs_plot::{Chart, LinePlot, Subplots};
    ///
    /// let a = LinePlot::new().line([0.0, 1.0], [0.0, 1.0]);
    /// let b = LinePlot::new().line([0.0, 1.0], [1.0, 0.0]);
    /// let fig = Subplots::row(&[&a, &b]).render();
    /// assert_eq!((fig.width(), fig.height()), (960, 320));
    /// ```
    pub fn row(charts: &[&'a dyn Chart]) -> Self {
        Self::grid(charts.len(), charts)
    }

    /// Sets a title above all cells.
    ///
    /// ```
    /// use dlfs_plot::{Chart, LinePlot, Subplots};
    ///
    /// let a = LinePlot::new().line([0.0, 1.0], [0.0, 1.0]);
    /// let plain = Subplots::row(&[&a]).render();
    /// let titled = Subplots::row(&[&a]).title("Activation functions").render();
    /// assert!(titled.height() > plain.height());
    /// ```
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// Sets the overall picture size in pixels; the cells share it evenly.
    ///
    /// ```
    /// use dlfs_plot::{Chart, LinePlot, Subplots};
    ///
    /// let a = LinePlot::new().line([0.0, 1.0], [0.0, 1.0]);
    /// let b = LinePlot::new().line([0.0, 1.0], [1.0, 0.0]);
    /// let fig = Subplots::row(&[&a, &b]).size(640, 240).render();
    /// assert_eq!((fig.width(), fig.height()), (640, 240));
    /// ```
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.size = Some((width, height));
        self
    }

    fn rows(&self) -> usize {
        self.charts.len().div_ceil(self.cols).max(1)
    }

    /// Shows the grid inline in an evcxr notebook (renders it, then prints the PNG in
    /// evcxr's protocol); evcxr calls this when a cell ends with a `Subplots`.
    ///
    /// ```no_run
    /// use dlfs_plot::{LinePlot, Subplots};
    ///
    /// let a = LinePlot::new().line([0.0, 1.0], [0.0, 1.0]);
    /// Subplots::row(&[&a]).evcxr_display();
    /// ```
    pub fn evcxr_display(&self) {
        Chart::evcxr_display(self);
    }
}

impl Chart for Subplots<'_> {
    fn dimensions(&self) -> (u32, u32) {
        if let Some(size) = self.size {
            return size;
        }
        let cell = self.charts.iter().fold((0, 0), |(w, h), c| {
            let (cw, ch) = c.dimensions();
            (w.max(cw), h.max(ch))
        });
        let cols = self.cols.min(self.charts.len()).max(1) as u32;
        let title = if self.title.is_some() {
            theme::SUPTITLE_HEIGHT
        } else {
            0
        };
        (cell.0 * cols, cell.1 * self.rows() as u32 + title)
    }

    fn draw(&self, area: &Area<'_>) -> DrawResult {
        let body = match &self.title {
            Some(t) => {
                let (w, _) = area.dim_in_pixel();
                let text =
                    theme::font(theme::TITLE_SIZE + 1.0).pos(Pos::new(HPos::Center, VPos::Center));
                area.draw_text(t, &text, (w as i32 / 2, theme::SUPTITLE_HEIGHT as i32 / 2))?;
                area.margin(theme::SUPTITLE_HEIGHT, 0, 0, 0)
            }
            None => area.clone(),
        };
        let cols = self.cols.min(self.charts.len()).max(1);
        let cells = body.split_evenly((self.rows(), cols));
        for (chart, cell) in self.charts.iter().zip(&cells) {
            chart.draw(cell)?;
        }
        Ok(())
    }
}
