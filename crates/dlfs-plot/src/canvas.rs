//! [`Canvas`]: the anti-aliasing plotters backend every chart draws on.

use std::convert::Infallible;

use plotters::coord::Shift;
use plotters::drawing::{DrawingArea, DrawingAreaErrorKind};
use plotters::element::{Drawable, PointCollection};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontTransform,
};

use crate::raster::{self, Mask};
use crate::text;

/// An 8-bit RGB picture that plotters draws on, with anti-aliased lines, circles,
/// polygons and text (text laid out with the embedded fonts' advances and kerning).
///
/// Every [`Chart`](crate::Chart) draws into a drawing area on a `Canvas`
/// ([`Area`]); [`Chart::render`](crate::Chart::render) makes one on a white buffer.
/// Make one yourself only to draw a chart into a buffer of your own.
///
/// Integer coordinates are pixels: `(x, y)` is the pixel whose centre is at
/// `(x + 0.5, y + 0.5)`, so lines one pixel wide at integer coordinates stay sharp.
///
/// ```
/// use dlfs_plot::Canvas;
/// use dlfs_plot::plotters::prelude::*;
///
/// let mut rgb = vec![255u8; 40 * 30 * 3];
/// {
///     let area = Canvas::with_buffer(&mut rgb, (40, 30)).into_drawing_area();
///     area.draw(&PathElement::new(vec![(2, 2), (37, 27)], BLACK.stroke_width(2))).unwrap();
/// }
/// // A slanted line leaves grey, partly covered pixels at its edges.
/// assert!(rgb.iter().any(|&c| c > 0 && c < 255));
/// ```
pub struct Canvas<'a> {
    rgb: &'a mut [u8],
    size: (u32, u32),
}

impl std::fmt::Debug for Canvas<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Canvas {{ size: {:?} }}", self.size)
    }
}

/// The pixel area a [`Chart`](crate::Chart) draws into: a plotters drawing area on a
/// [`Canvas`].
///
/// Only needed to implement [`Chart`](crate::Chart) for a chart kind of your own.
///
/// ```
/// use dlfs_plot::{Area, Chart, DrawResult, Figure};
/// use dlfs_plot::plotters::prelude::*;
///
/// struct RedBox;
/// impl Chart for RedBox {
///     fn dimensions(&self) -> (u32, u32) {
///         (40, 30)
///     }
///     fn draw(&self, area: &Area<'_>) -> DrawResult {
///         area.fill(&RED)
///     }
/// }
/// let fig: Figure = RedBox.render();
/// assert_eq!((fig.width(), fig.height()), (40, 30));
/// ```
pub type Area<'a> = DrawingArea<Canvas<'a>, Shift>;

/// What [`Chart::draw`](crate::Chart::draw) returns: plotters' result for a [`Canvas`],
/// which itself never fails.
pub type DrawResult = Result<(), DrawError>;

/// plotters' error for a [`Canvas`].
pub(crate) type DrawError = DrawingAreaErrorKind<Infallible>;

type BackendResult = Result<(), DrawingErrorKind<Infallible>>;

impl<'a> Canvas<'a> {
    /// A canvas over `rgb`, 3 bytes (red, green, blue) per pixel, row by row.
    ///
    /// # Panics
    ///
    /// If `rgb` does not hold exactly `3 * width * height` bytes; the message gives both.
    ///
    /// ```
    /// use dlfs_plot::Canvas;
    ///
    /// let mut rgb = vec![0u8; 4 * 2 * 3];
    /// let canvas = Canvas::with_buffer(&mut rgb, (4, 2));
    /// assert_eq!(format!("{canvas:?}"), "Canvas { size: (4, 2) }");
    /// ```
    pub fn with_buffer(rgb: &'a mut [u8], (width, height): (u32, u32)) -> Self {
        let expected = 3 * width as usize * height as usize;
        assert_eq!(
            rgb.len(),
            expected,
            "Canvas::with_buffer: {width}x{height} pixels need {expected} bytes, got {}",
            rgb.len()
        );
        Canvas {
            rgb,
            size: (width, height),
        }
    }

    fn blend(&mut self, x: i32, y: i32, (r, g, b): (u8, u8, u8), a: f32) {
        if a <= 0.0 || x < 0 || y < 0 || x >= self.size.0 as i32 || y >= self.size.1 as i32 {
            return;
        }
        let i = 3 * (y as usize * self.size.0 as usize + x as usize);
        let a = a.min(1.0);
        for (k, c) in [r, g, b].into_iter().enumerate() {
            let old = f32::from(self.rgb[i + k]);
            self.rgb[i + k] = (old + (f32::from(c) - old) * a).round() as u8;
        }
    }

    /// Paints `color` through the coverage of `mask`.
    pub(crate) fn paint(&mut self, mask: Option<Mask>, color: BackendColor) {
        let Some(m) = mask else { return };
        let alpha = color.alpha as f32;
        for j in 0..m.h {
            for i in 0..m.w {
                let c = m.cov[j * m.w + i];
                if c > 0.0 {
                    self.blend(m.x0 + i as i32, m.y0 + j as i32, color.rgb, c * alpha);
                }
            }
        }
    }

    /// A line through points in fractional pixel coordinates, solid or dashed
    /// (`Some((on, off))` in pixels).
    pub(crate) fn stroke(
        &mut self,
        points: &[(f64, f64)],
        width: f64,
        dash: Option<(f64, f64)>,
        color: BackendColor,
    ) {
        match dash {
            None => self.paint(raster::stroke(points, width, self.size), color),
            Some((on, off)) => {
                // One coverage for all dashes, so that round ends do not overlap darker.
                let pieces = raster::dashes(points, on, off);
                let mut all: Option<Mask> = None;
                if let Some(whole) = raster::stroke(points, width, self.size) {
                    let mut acc = Mask {
                        cov: vec![0.0; whole.cov.len()],
                        ..whole
                    };
                    for piece in pieces {
                        if let Some(m) = raster::stroke(&piece, width, self.size) {
                            merge_max(&mut acc, &m);
                        }
                    }
                    all = Some(acc);
                }
                self.paint(all, color);
            }
        }
    }

    /// The filled inside of closed polygons in fractional pixel coordinates.
    pub(crate) fn fill(&mut self, rings: &[Vec<(f64, f64)>], color: BackendColor) {
        self.paint(raster::fill(rings, self.size), color);
    }

    /// A filled disc in fractional pixel coordinates.
    pub(crate) fn disc(&mut self, c: (f64, f64), r: f64, color: BackendColor) {
        self.paint(raster::disc(c, r, self.size), color);
    }

    /// A circle drawn as a ring `width` pixels wide, in fractional pixel coordinates.
    pub(crate) fn ring(&mut self, c: (f64, f64), r: f64, width: f64, color: BackendColor) {
        self.paint(raster::ring(c, r, width, self.size), color);
    }
}

/// Adds `m` into `acc` (which covers at least the pixels of `m`) by taking the larger
/// coverage per pixel.
fn merge_max(acc: &mut Mask, m: &Mask) {
    for j in 0..m.h {
        let y = m.y0 + j as i32 - acc.y0;
        if y < 0 || y >= acc.h as i32 {
            continue;
        }
        for i in 0..m.w {
            let x = m.x0 + i as i32 - acc.x0;
            if x >= 0 && x < acc.w as i32 {
                let cell = &mut acc.cov[y as usize * acc.w + x as usize];
                *cell = cell.max(m.cov[j * m.w + i]);
            }
        }
    }
}

/// The centre of pixel `p`.
fn centre(p: BackendCoord) -> (f64, f64) {
    (f64::from(p.0) + 0.5, f64::from(p.1) + 0.5)
}

impl DrawingBackend for Canvas<'_> {
    type ErrorType = Infallible;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> BackendResult {
        Ok(())
    }

    fn present(&mut self) -> BackendResult {
        Ok(())
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> BackendResult {
        self.blend(point.0, point.1, color.rgb, color.alpha as f32);
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> BackendResult {
        let width = f64::from(style.stroke_width().max(1));
        self.stroke(&[centre(from), centre(to)], width, None, style.color());
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> BackendResult {
        let (l, t) = (
            upper_left.0.min(bottom_right.0),
            upper_left.1.min(bottom_right.1),
        );
        let (r, b) = (
            upper_left.0.max(bottom_right.0),
            upper_left.1.max(bottom_right.1),
        );
        if fill {
            // Both corners included, as plotters' bitmap backend does.
            let (l, t, r, b) = (
                f64::from(l),
                f64::from(t),
                f64::from(r + 1),
                f64::from(b + 1),
            );
            self.fill(&[vec![(l, t), (r, t), (r, b), (l, b)]], style.color());
        } else {
            let corners = [(l, t), (r, t), (r, b), (l, b), (l, t)].map(centre);
            let width = f64::from(style.stroke_width().max(1));
            self.stroke(&corners, width, None, style.color());
        }
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> BackendResult {
        let points: Vec<(f64, f64)> = path.into_iter().map(centre).collect();
        let width = f64::from(style.stroke_width().max(1));
        self.stroke(&points, width, None, style.color());
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> BackendResult {
        let (c, r) = (centre(center), f64::from(radius));
        if fill {
            self.disc(c, r, style.color());
        } else {
            let width = f64::from(style.stroke_width().max(1));
            self.ring(c, r, width, style.color());
        }
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> BackendResult {
        let ring: Vec<(f64, f64)> = vert.into_iter().map(centre).collect();
        self.fill(&[ring], style.color());
        Ok(())
    }

    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        pos: BackendCoord,
    ) -> BackendResult {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let line = text::layout(text, style.size());
        let anchor = style.anchor();
        let dx = match anchor.h_pos {
            HPos::Left => 0.0,
            HPos::Center => -line.width / 2.0,
            HPos::Right => -line.width,
        };
        let dy = match anchor.v_pos {
            VPos::Top => 0.0,
            VPos::Center => -line.height / 2.0,
            VPos::Bottom => -line.height,
        };
        let transform = style.transform();
        // Unrotated text keeps its fractional start; the line box top is put on a whole
        // pixel so that the baseline is the same for every string of one size.
        let rotated = !matches!(transform, FontTransform::None);
        let (ox, oy) = match transform {
            FontTransform::None => (pos.0 as f32 + dx, (pos.1 as f32 + dy).round()),
            _ => (dx.round(), dy.round()),
        };
        let start = ox.floor();
        let bitmap = line.draw(ox - start);
        for j in 0..bitmap.h {
            for i in 0..bitmap.w {
                let c = bitmap.cov[j * bitmap.w + i];
                if c <= 0.0 {
                    continue;
                }
                let (tx, ty) = (start as i32 + i as i32, oy as i32 + j as i32);
                let (x, y) = if rotated {
                    let (rx, ry) = transform.transform(tx, ty);
                    (pos.0 + rx, pos.1 + ry)
                } else {
                    (tx, ty)
                };
                self.blend(x, y, color.rgb, c * color.alpha as f32);
            }
        }
        Ok(())
    }

    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<Infallible>> {
        let line = text::layout(text, style.size());
        Ok((line.width.ceil() as u32, line.height.ceil() as u32))
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        (iw, ih): (u32, u32),
        src: &[u8],
    ) -> BackendResult {
        for dy in 0..ih as usize {
            for dx in 0..iw as usize {
                let k = 3 * (dy * iw as usize + dx);
                if let Some(p) = src.get(k..k + 3) {
                    let (x, y) = (pos.0 + dx as i32, pos.1 + dy as i32);
                    self.blend(x, y, (p[0], p[1], p[2]), 1.0);
                }
            }
        }
        Ok(())
    }
}

/// A shape in fractional pixel coordinates relative to the drawing area it is drawn on,
/// drawn with [`Canvas`]'s anti-aliasing by [`paint`]. Charts of this crate use it for curves, markers
/// and fills, whose positions should not be rounded to whole pixels first.
#[derive(Clone, Debug)]
pub(crate) enum Shape {
    Line {
        points: Vec<(f64, f64)>,
        width: f64,
        dash: Option<(f64, f64)>,
    },
    Fill(Vec<Vec<(f64, f64)>>),
    Disc((f64, f64), f64),
    Ring((f64, f64), f64, f64),
}

/// Draws `shape` (coordinates relative to `area`, as plotters' own elements on it) in
/// `color` on `area`.
pub(crate) fn paint(
    area: &Area<'_>,
    shape: Shape,
    color: impl plotters::style::Color,
) -> DrawResult {
    let offset = area.map_coordinate(&(0, 0));
    let (bx, by) = area.get_base_pixel();
    let painted = Painted {
        shape,
        color: color.to_backend_color(),
        offset: (f64::from(offset.0), f64::from(offset.1)),
        // plotters clamps element points into the area; this one lands on its corner.
        anchor: [(bx - offset.0, by - offset.1)],
    };
    area.draw(&painted)
}

/// A [`Shape`] in a colour with the offset of its area on the canvas: a plotters element.
struct Painted {
    shape: Shape,
    color: BackendColor,
    offset: (f64, f64),
    anchor: [BackendCoord; 1],
}

impl<'a> PointCollection<'a, BackendCoord> for &'a Painted {
    type Point = &'a BackendCoord;
    type IntoIter = &'a [BackendCoord];
    fn point_iter(self) -> &'a [BackendCoord] {
        &self.anchor
    }
}

impl Drawable<Canvas<'_>> for Painted {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        _: I,
        canvas: &mut Canvas<'_>,
        _: (u32, u32),
    ) -> BackendResult {
        let (ox, oy) = self.offset;
        let shift = |p: &(f64, f64)| (p.0 + ox, p.1 + oy);
        match &self.shape {
            Shape::Line {
                points,
                width,
                dash,
            } => {
                let pts: Vec<(f64, f64)> = points.iter().map(shift).collect();
                canvas.stroke(&pts, *width, *dash, self.color);
            }
            Shape::Fill(rings) => {
                let rings: Vec<Vec<(f64, f64)>> = rings
                    .iter()
                    .map(|r| r.iter().map(shift).collect())
                    .collect();
                canvas.fill(&rings, self.color);
            }
            Shape::Disc(c, r) => canvas.disc(shift(c), *r, self.color),
            Shape::Ring(c, r, w) => canvas.ring(shift(c), *r, *w, self.color),
        }
        Ok(())
    }
}
