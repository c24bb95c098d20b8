//! Drawing primitives of the diagram: discs, circles, ellipses and arrows in fractional
//! pixel coordinates, anti-aliased by the canvas, and text centred on a point.

use std::f64::consts::TAU;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::geom::unit;
use crate::canvas::{paint, Area, DrawResult, Shape};
use crate::theme;

/// A filled disc of radius `r` around `c`.
pub(super) fn disc(area: &Area<'_>, c: (f64, f64), r: f64, color: RGBColor) -> DrawResult {
    paint(area, Shape::Disc(c, r), color)
}

/// A circle of radius `r` around `c`: `fill` inside, then an outline `width` pixels wide
/// in `line`.
pub(super) fn circle(
    area: &Area<'_>,
    c: (f64, f64),
    r: f64,
    width: f64,
    fill: RGBColor,
    line: RGBColor,
) -> DrawResult {
    disc(area, c, r, fill)?;
    paint(area, Shape::Ring(c, r, width), line)
}

/// An ellipse with half axes `(rx, ry)` around `c`: `fill` inside, then an outline
/// `width` pixels wide in `line`.
pub(super) fn ellipse(
    area: &Area<'_>,
    c: (f64, f64),
    (rx, ry): (f64, f64),
    width: f64,
    fill: RGBColor,
    line: RGBColor,
) -> DrawResult {
    // A corner per pixel of the outline: the straight pieces stay far below a pixel.
    let n = (std::f64::consts::PI * (rx + ry)).ceil().max(16.0) as usize;
    let outline: Vec<(f64, f64)> = (0..=n)
        .map(|k| {
            let t = TAU * k as f64 / n as f64;
            (c.0 + rx * t.cos(), c.1 + ry * t.sin())
        })
        .collect();
    paint(area, Shape::Fill(vec![outline[..n].to_vec()]), fill)?;
    paint(
        area,
        Shape::Line {
            points: outline,
            width,
            dash: None,
        },
        line,
    )
}

/// A straight arrow from `a` with its tip at `tip`.
pub(super) fn arrow(
    area: &Area<'_>,
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
    let shaft = Shape::Line {
        points: vec![a, neck],
        width,
        dash: None,
    };
    paint(area, shaft, color)?;
    // (ux, uy) rotated by +90 degrees on screen is (-uy, ux).
    let p1 = (base.0 - uy * half, base.1 + ux * half);
    let p2 = (base.0 + uy * half, base.1 - ux * half);
    paint(area, Shape::Fill(vec![vec![tip, p1, p2]]), color)
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
