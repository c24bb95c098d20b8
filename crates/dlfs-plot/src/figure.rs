//! [`Figure`] (a rendered PNG) and [`Subplots`] (several charts in one picture).

use std::fmt;
use std::io::{self, Write};
use std::path::Path;

use base64::Engine as _;
use plotters::prelude::*;

use crate::chart::{ensure_fonts, Area, Chart, DrawResult};
use crate::style;

/// A rendered picture: PNG bytes and the size in pixels.
///
/// Made by [`Chart::render`]. A notebook cell that ends with a `Figure` shows it
/// (through [`evcxr_display`](Figure::evcxr_display)); [`save`](Figure::save) writes the
/// same bytes to a file. Rendering the same data twice gives identical bytes.
///
/// ```
/// use dlfs_plot::{Chart, LinePlot};
///
/// let fig = LinePlot::new().line([0.0, 1.0, 2.0], [0.0, 1.0, 4.0]).render();
/// assert_eq!((fig.width(), fig.height()), (480, 320));
/// assert!(fig.png_bytes().len() < 60_000);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Figure {
    png: Vec<u8>,
    width: u32,
    height: u32,
}

impl fmt::Debug for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Figure {{ width: {}, height: {}, png: {} bytes }}",
            self.width,
            self.height,
            self.png.len()
        )
    }
}

impl Figure {
    /// Width in pixels.
    ///
    /// ```
    /// use dlfs_plot::{Chart, LinePlot};
    ///
    /// assert_eq!(LinePlot::new().size(300, 200).render().width(), 300);
    /// ```
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    ///
    /// ```
    /// use dlfs_plot::{Chart, LinePlot};
    ///
    /// assert_eq!(LinePlot::new().size(300, 200).render().height(), 200);
    /// ```
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The PNG file's bytes (8-bit RGB).
    ///
    /// ```
    /// use dlfs_plot::{Chart, LinePlot};
    ///
    /// let fig = LinePlot::new().render();
    /// assert!(fig.png_bytes().starts_with(b"\x89PNG\r\n\x1a\n"));
    /// ```
    pub fn png_bytes(&self) -> &[u8] {
        &self.png
    }

    /// Writes the PNG to `path`.
    ///
    /// # Errors
    ///
    /// The I/O error of creating or writing the file.
    ///
    /// ```
    /// use dlfs_plot::{Chart, LinePlot};
    ///
    /// let fig = LinePlot::new().line([0.0, 1.0], [0.0, 1.0]).render();
    /// let path = std::env::temp_dir().join("dlfs_plot_figure_save.png");
    /// fig.save(&path)?;
    /// assert_eq!(std::fs::read(&path)?, fig.png_bytes());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn save(&self, path: impl AsRef<Path>) -> io::Result<()> {
        std::fs::write(path, &self.png)
    }

    /// Writes the picture in evcxr's display protocol to `out`:
    /// `EVCXR_BEGIN_CONTENT image/png`, the PNG in base64 on one line, `EVCXR_END_CONTENT`.
    ///
    /// # Errors
    ///
    /// The I/O error of writing to `out`.
    ///
    /// ```
    /// use dlfs_plot::{Chart, LinePlot};
    ///
    /// let mut out = Vec::new();
    /// LinePlot::new().render().write_evcxr(&mut out)?;
    /// let text = String::from_utf8(out).unwrap();
    /// assert!(text.starts_with("EVCXR_BEGIN_CONTENT image/png\niVBORw0KGgo"));
    /// assert!(text.ends_with("\nEVCXR_END_CONTENT\n"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn write_evcxr(&self, out: &mut impl Write) -> io::Result<()> {
        let encoded = base64::engine::general_purpose::STANDARD.encode(&self.png);
        write!(
            out,
            "EVCXR_BEGIN_CONTENT image/png\n{encoded}\nEVCXR_END_CONTENT\n"
        )?;
        out.flush()
    }

    /// Shows the picture in the notebook now (prints it to stdout in evcxr's protocol).
    ///
    /// Only one picture survives per notebook cell: a later one replaces an earlier one.
    /// Outside a notebook this prints the PNG as base64 text.
    ///
    /// ```no_run
    /// use dlfs_plot::{Chart, LinePlot};
    ///
    /// LinePlot::new().line([0.0, 1.0], [0.0, 1.0]).render().show();
    /// ```
    pub fn show(&self) {
        // Nothing useful can be done if stdout is closed; the notebook shows nothing then.
        let _ = self.write_evcxr(&mut io::stdout().lock());
    }

    /// Shows the picture inline in an evcxr notebook; evcxr calls this when a cell ends
    /// with a `Figure`. The same as [`show`](Figure::show).
    ///
    /// ```no_run
    /// use dlfs_plot::{Chart, LinePlot};
    ///
    /// LinePlot::new().line([0.0, 1.0], [0.0, 1.0]).render().evcxr_display();
    /// ```
    pub fn evcxr_display(&self) {
        self.show();
    }
}

/// Draws `chart` on a white canvas of its own size and encodes the pixels as PNG.
pub(crate) fn render<C: Chart + ?Sized>(chart: &C) -> Figure {
    ensure_fonts();
    let (w, h) = chart.dimensions();
    let (w, h) = (w.max(1), h.max(1));
    let mut rgb = vec![255u8; w as usize * h as usize * 3];
    {
        let area = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        let drawn = chart.draw(&area).and_then(|()| area.present());
        if let Err(e) = drawn {
            panic!("dlfs-plot: drawing a {w}x{h} chart failed: {e}");
        }
    }
    Figure {
        png: encode_png(w, h, &rgb),
        width: w,
        height: h,
    }
}

/// Encodes 8-bit RGB pixels as PNG with the `png` crate.
fn encode_png(width: u32, height: u32, rgb: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Best);
    encoder.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
    // Writing into a Vec cannot fail, and the header matches the buffer by construction.
    let mut writer = encoder
        .write_header()
        .expect("png header for an in-memory buffer");
    writer
        .write_image_data(rgb)
        .expect("png data of the size given in the header");
    writer.finish().expect("png end for an in-memory buffer");
    out
}

/// Several charts side by side in one picture, like matplotlib's `subplots`.
///
/// A notebook cell shows only its last picture, so charts meant to be compared go into
/// one `Subplots`. It borrows the charts: build it in the cell that shows it. Cells are filled row by row; every cell has the same size: by default
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
            style::SUPTITLE_HEIGHT
        } else {
            0
        };
        (cell.0 * cols, cell.1 * self.rows() as u32 + title)
    }

    fn draw(&self, area: &Area<'_>) -> DrawResult {
        ensure_fonts();
        let body = match &self.title {
            Some(t) => {
                let (w, _) = area.dim_in_pixel();
                let text = style::font(style::TITLE_SIZE + 1.0).pos(
                    plotters::style::text_anchor::Pos::new(
                        plotters::style::text_anchor::HPos::Center,
                        plotters::style::text_anchor::VPos::Center,
                    ),
                );
                area.draw_text(t, &text, (w as i32 / 2, style::SUPTITLE_HEIGHT as i32 / 2))?;
                area.margin(style::SUPTITLE_HEIGHT, 0, 0, 0)
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
