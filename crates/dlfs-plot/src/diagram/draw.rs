//! Drawing primitives of the diagram: anti-aliased discs, rings, ellipses and arrows, and
//! text centred on a point.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::geom::{seg_dist, unit};
use crate::canvas::{Area, DrawResult};
use crate::theme;

fn clamp01(v: f64) -> f64 {
    v.clamp(0.0, 1.0)
}

/// Anti-aliased shapes drawn pixel by pixel into the chart's area: each pixel gets the
/// shape's colour with the fraction of the pixel the shape covers as alpha.
pub(super) struct Pen<'a, 'b> {
    pub area: &'a Area<'b>,
    pub w: i32,
    pub h: i32,
}

impl Pen<'_, '_> {
    /// Paints `color` over the pixels of the box `(x0, y0, x1, y1)` with the coverage
    /// `f(x, y)` gives at each pixel centre.
    fn cover(
        &self,
        bbox: (f64, f64, f64, f64),
        color: RGBColor,
        f: impl Fn(f64, f64) -> f64,
    ) -> DrawResult {
        self.cover_rows(bbox, |_| (bbox.0, bbox.2), color, f)
    }

    /// [`cover`](Pen::cover) visiting in each row only the columns `row(y)` gives (a
    /// long diagonal line touches few pixels of its bounding box).
    fn cover_rows(
        &self,
        (_, y0, _, y1): (f64, f64, f64, f64),
        row: impl Fn(f64) -> (f64, f64),
        color: RGBColor,
        f: impl Fn(f64, f64) -> f64,
    ) -> DrawResult {
        let ya = (y0.floor() as i32 - 1).max(0);
        let yb = (y1.ceil() as i32 + 1).min(self.h - 1);
        for y in ya..=yb {
            let cy = f64::from(y) + 0.5;
            let (x0, x1) = row(cy);
            let xa = (x0.floor() as i32 - 1).max(0);
            let xb = (x1.ceil() as i32 + 1).min(self.w - 1);
            for x in xa..=xb {
                let c = f(f64::from(x) + 0.5, cy);
                if c >= 1.0 {
                    self.area.draw_pixel((x, y), &color)?;
                } else if c > 0.01 {
                    self.area.draw_pixel((x, y), &color.mix(c))?;
                }
            }
        }
        Ok(())
    }

    pub(super) fn disk(&self, c: (f64, f64), r: f64, color: RGBColor) -> DrawResult {
        let bbox = (c.0 - r, c.1 - r, c.0 + r, c.1 + r);
        self.cover(bbox, color, |x, y| {
            clamp01(r + 0.5 - (x - c.0).hypot(y - c.1))
        })
    }

    pub(super) fn ring(&self, c: (f64, f64), r: f64, width: f64, color: RGBColor) -> DrawResult {
        let o = r + width;
        let bbox = (c.0 - o, c.1 - o, c.0 + o, c.1 + o);
        self.cover(bbox, color, |x, y| {
            clamp01(width / 2.0 + 0.5 - ((x - c.0).hypot(y - c.1) - r).abs())
        })
    }

    /// Distance-based ellipse: `fill` inside, then an outline of `width`.
    pub(super) fn ellipse(
        &self,
        c: (f64, f64),
        (rx, ry): (f64, f64),
        width: f64,
        fill: RGBColor,
        line: RGBColor,
    ) -> DrawResult {
        // Signed distance to the ellipse, to first order: F / |grad F|.
        let dist = move |x: f64, y: f64| {
            let (dx, dy) = (x - c.0, y - c.1);
            let f = (dx / rx).powi(2) + (dy / ry).powi(2) - 1.0;
            let g = (2.0 * dx / (rx * rx)).hypot(2.0 * dy / (ry * ry)).max(1e-9);
            f / g
        };
        let bbox = (
            c.0 - rx - width,
            c.1 - ry - width,
            c.0 + rx + width,
            c.1 + ry + width,
        );
        self.cover(bbox, fill, |x, y| clamp01(0.5 - dist(x, y)))?;
        self.cover(bbox, line, |x, y| {
            clamp01(width / 2.0 + 0.5 - dist(x, y).abs())
        })
    }

    fn segment(&self, a: (f64, f64), b: (f64, f64), width: f64, color: RGBColor) -> DrawResult {
        let o = width + 1.0;
        let bbox = (
            a.0.min(b.0) - o,
            a.1.min(b.1) - o,
            a.0.max(b.0) + o,
            a.1.max(b.1) + o,
        );
        let (vx, vy) = (b.0 - a.0, b.1 - a.1);
        let len = vx.hypot(vy);
        // Within distance `o` of the line: a band `o * len / |vy|` wide in each row.
        let row = |y: f64| {
            if vy.abs() * 4.0 < len {
                (bbox.0, bbox.2)
            } else {
                let x = a.0 + (y - a.1) * vx / vy;
                let half = o * len / vy.abs();
                ((x - half).max(bbox.0), (x + half).min(bbox.2))
            }
        };
        self.cover_rows(bbox, row, color, |x, y| {
            clamp01(width / 2.0 + 0.5 - seg_dist((x, y), a, b))
        })
    }

    /// A filled convex polygon, corners in clockwise screen order.
    fn convex(&self, pts: &[(f64, f64)], color: RGBColor) -> DrawResult {
        let xs = pts.iter().map(|p| p.0);
        let ys = pts.iter().map(|p| p.1);
        let bbox = (
            xs.clone().fold(f64::INFINITY, f64::min),
            ys.clone().fold(f64::INFINITY, f64::min),
            xs.fold(f64::NEG_INFINITY, f64::max),
            ys.fold(f64::NEG_INFINITY, f64::max),
        );
        self.cover(bbox, color, |x, y| {
            let mut d = f64::NEG_INFINITY;
            for k in 0..pts.len() {
                let (p, q) = (pts[k], pts[(k + 1) % pts.len()]);
                let (ex, ey) = unit((q.0 - p.0, q.1 - p.1));
                // Outward normal of a clockwise (on screen) polygon.
                let (nx, ny) = (ey, -ex);
                d = d.max((x - p.0) * nx + (y - p.1) * ny);
            }
            clamp01(0.5 - d)
        })
    }

    /// A straight arrow from `a` with its tip at `tip`.
    pub(super) fn arrow(
        &self,
        a: (f64, f64),
        tip: (f64, f64),
        width: f64,
        color: RGBColor,
    ) -> DrawResult {
        let (ux, uy) = unit((tip.0 - a.0, tip.1 - a.1));
        let len = (tip.0 - a.0).hypot(tip.1 - a.1);
        let head = (5.0 + 2.0 * width).min(len * 0.5);
        let half = head * 0.42;
        let base = (tip.0 - ux * head, tip.1 - uy * head);
        let neck = (tip.0 - ux * head * 0.6, tip.1 - uy * head * 0.6);
        self.segment(a, neck, width, color)?;
        // (ux, uy) rotated by +90 degrees on screen is (-uy, ux).
        let p1 = (base.0 - uy * half, base.1 + ux * half);
        let p2 = (base.0 + uy * half, base.1 - ux * half);
        self.convex(&[tip, p1, p2], color)
    }
}

/// The font at `size` pixels, made smaller (down to 7) until `text` is at most `max_w`
/// wide.
pub(super) fn fitted(
    area: &Area<'_>,
    text: &str,
    size: f64,
    max_w: f64,
) -> Result<TextStyle<'static>, crate::canvas::DrawError> {
    let mut size = size;
    loop {
        let style = theme::font(size);
        let (tw, _) = area.estimate_text_size(text, &style)?;
        if f64::from(tw) <= max_w || size <= 7.0 {
            return Ok(style);
        }
        size -= 1.0;
    }
}

/// Draws `text` centred at `c`.
pub(super) fn text_at(
    area: &Area<'_>,
    text: &str,
    style: TextStyle<'_>,
    c: (f64, f64),
) -> DrawResult {
    // plotters centres the font's whole line box, descender room included, which sets
    // letters and digits about an eighth of the size too high in a circle.
    let drop = 0.12 * style.font.get_size();
    let centred = style.pos(Pos::new(HPos::Center, VPos::Center));
    area.draw(&Text::new(
        text.to_string(),
        (c.0.round() as i32, (c.1 + drop).round() as i32),
        centred,
    ))
}
