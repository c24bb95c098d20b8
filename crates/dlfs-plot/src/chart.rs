//! The [`Chart`] trait and the [`Number`] input trait.

use std::io;
use std::path::Path;

use plotters::drawing::IntoDrawingArea;

use crate::canvas::{Area, Canvas, DrawResult};
use crate::figure::Figure;

/// A picture that can draw itself into a pixel [`Area`]: every chart kind of this crate
/// ([`LinePlot`](crate::LinePlot), [`GatePlot`](crate::GatePlot), ...), and
/// [`Subplots`](crate::Subplots), which lays several charts out in one picture.
///
/// Build a chart with its builder methods, then [`render`](Chart::render) it to a
/// [`Figure`] (PNG bytes), [`save`](Chart::save) it, or let a notebook cell end with it
/// to see it (the [`evcxr_display`](Chart::evcxr_display) method).
///
/// ```
/// use dlfs_plot::{Chart, LinePlot};
///
/// let x: Vec<f64> = (0..=10).map(|i| i as f64).collect();
/// let plot = LinePlot::new().line(&x, x.iter().map(|v| v * v)).size(300, 200);
/// assert_eq!(plot.dimensions(), (300, 200));
/// let fig = plot.render();
/// assert_eq!((fig.width(), fig.height()), (300, 200));
/// ```
pub trait Chart {
    /// Width and height in pixels of the picture when the chart is rendered alone.
    ///
    /// Inside [`Subplots`](crate::Subplots) a chart draws into the cell it gets instead.
    ///
    /// ```
    /// use dlfs_plot::{Chart, LinePlot};
    ///
    /// assert_eq!(LinePlot::new().dimensions(), (480, 320));
    /// ```
    fn dimensions(&self) -> (u32, u32);

    /// Draws the chart into `area`, using all of it (the area need not have the size
    /// [`dimensions`](Chart::dimensions) returns).
    ///
    /// ```
    /// use dlfs_plot::{Canvas, Chart, LinePlot};
    /// use dlfs_plot::plotters::prelude::*;
    ///
    /// let plot = LinePlot::new().line([0.0, 1.0], [0.0, 1.0]);
    /// let mut rgb = vec![255u8; 200 * 100 * 3];
    /// let area = Canvas::with_buffer(&mut rgb, (200, 100)).into_drawing_area();
    /// plot.draw(&area).unwrap();
    /// drop(area);
    /// assert!(rgb.iter().any(|&c| c != 255));
    /// ```
    fn draw(&self, area: &Area<'_>) -> DrawResult;

    /// Draws the chart on a white canvas of size [`dimensions`](Chart::dimensions) and
    /// encodes it as PNG.
    ///
    /// # Panics
    ///
    /// If plotters reports a drawing error (it does not for the charts of this crate).
    ///
    /// ```
    /// use dlfs_plot::{Chart, LinePlot};
    ///
    /// let fig = LinePlot::new().line([0.0, 1.0], [1.0, 0.0]).render();
    /// assert_eq!(&fig.png_bytes()[1..4], b"PNG");
    /// ```
    fn render(&self) -> Figure {
        let (w, h) = self.dimensions();
        let (w, h) = (w.max(1), h.max(1));
        let mut rgb = vec![255u8; w as usize * h as usize * 3];
        {
            let area = Canvas::with_buffer(&mut rgb, (w, h)).into_drawing_area();
            let drawn = self.draw(&area).and_then(|()| area.present());
            if let Err(e) = drawn {
                panic!("dlfs-plot: drawing a {w}x{h} chart failed: {e}");
            }
        }
        Figure::from_rgb(w, h, &rgb)
    }

    /// Shows the chart in the notebook now, even when the cell does not end with it.
    ///
    /// Only one picture survives per notebook cell: a later one replaces an earlier one, so
    /// put several charts side by side with [`Subplots`](crate::Subplots).
    /// Outside a notebook this prints the PNG as base64 text.
    ///
    /// ```no_run
    /// use dlfs_plot::{Chart, LinePlot};
    ///
    /// LinePlot::new().line([0.0, 1.0], [0.0, 1.0]).show();
    /// ```
    fn show(&self) {
        self.render().show();
    }

    /// Renders the chart and writes it to `path` as a PNG file.
    ///
    /// # Errors
    ///
    /// The I/O error of creating or writing the file.
    ///
    /// ```
    /// use dlfs_plot::{Chart, LinePlot};
    ///
    /// let path = std::env::temp_dir().join("dlfs_plot_chart_save.png");
    /// LinePlot::new().line([0.0, 1.0], [0.0, 1.0]).save(&path)?;
    /// assert!(std::fs::read(&path)?.starts_with(b"\x89PNG"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    fn save(&self, path: impl AsRef<Path>) -> io::Result<()>
    where
        Self: Sized,
    {
        self.render().save(path)
    }

    /// Shows the chart inline in an evcxr notebook; the same as [`show`](Chart::show).
    ///
    /// Every chart type also has this method as an inherent method, which is what evcxr
    /// calls when a cell ends with the chart.
    ///
    /// ```no_run
    /// use dlfs_plot::{Chart, LinePlot};
    ///
    /// let plot: Box<dyn Chart> = Box::new(LinePlot::new().line([0.0, 1.0], [0.0, 1.0]));
    /// plot.evcxr_display();
    /// ```
    fn evcxr_display(&self) {
        self.render().evcxr_display();
    }
}

/// A number a chart accepts as data: `f64`, `f32`, any integer, or a reference to one.
///
/// Chart inputs are `impl IntoIterator<Item = impl Number>`, so slices, arrays, `Vec`s,
/// ndarray's `Array1`/`ArrayView1` (by reference), ranges such as `0..n` and iterators
/// all work.
///
/// ```
/// use dlfs_plot::Number;
/// use dlfs_plot::ndarray::array;
///
/// fn total(values: impl IntoIterator<Item = impl Number>) -> f64 {
///     values.into_iter().map(Number::to_f64).sum()
/// }
/// assert_eq!(total([1.5, 2.5]), 4.0);
/// assert_eq!(total(&vec![1u8, 2, 3]), 6.0);
/// assert_eq!(total(&array![0.5, 0.25]), 0.75);
/// assert_eq!(total(0..4usize), 6.0);
/// ```
pub trait Number: Copy {
    /// The value as `f64`.
    ///
    /// ```
    /// use dlfs_plot::Number;
    ///
    /// assert_eq!(255u8.to_f64(), 255.0);
    /// assert_eq!((&0.5f32).to_f64(), 0.5);
    /// ```
    fn to_f64(self) -> f64;
}

macro_rules! impl_number {
    ($($t:ty),*) => {$(
        impl Number for $t {
            fn to_f64(self) -> f64 {
                self as f64
            }
        }
        impl Number for &$t {
            fn to_f64(self) -> f64 {
                *self as f64
            }
        }
    )*};
}
impl_number!(f64, f32, i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

/// Collects chart input into `f64`s.
pub(crate) fn collect(values: impl IntoIterator<Item = impl Number>) -> Vec<f64> {
    values.into_iter().map(Number::to_f64).collect()
}
