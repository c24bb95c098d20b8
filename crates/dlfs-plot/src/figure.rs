//! [`Figure`]: a rendered picture as PNG bytes.

use std::fmt;
use std::io::{self, Write};
use std::path::Path;

use base64::Engine as _;

/// A rendered picture: PNG bytes and the size in pixels.
///
/// Made by [`Chart::render`](crate::Chart::render). A notebook cell that ends with a `Figure` shows it
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
    /// Encodes 8-bit RGB pixels, row by row, as a PNG of `width` x `height`.
    pub(crate) fn from_rgb(width: u32, height: u32, rgb: &[u8]) -> Figure {
        Figure {
            png: encode_png(width, height, rgb),
            width,
            height,
        }
    }

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

/// Encodes 8-bit RGB pixels as PNG, compressed as tightly as the `png` crate can (the
/// pictures are committed in notebooks): best compression, adaptive filters.
fn encode_png(width: u32, height: u32, rgb: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Best);
    encoder.set_filter(png::FilterType::Sub);
    encoder.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
    // Writing into a Vec cannot fail, and the size matches the buffer by construction.
    encoder
        .write_header()
        .and_then(|mut writer| writer.write_image_data(rgb))
        .expect("png of an in-memory buffer");
    out
}
