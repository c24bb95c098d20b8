//! Marks drawn at data positions: lines, solid or dashed, and markers.

use plotters::prelude::*;

use crate::canvas::{paint, Area, DrawResult, Shape};

/// Marker shapes, cycled through by series index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
}

impl Marker {
    pub fn nth(i: usize) -> Self {
        [
            Marker::Circle,
            Marker::Square,
            Marker::Triangle,
            Marker::Diamond,
        ][i % 4]
    }

    /// The corners at circumradius 1 (y down), and the inradius: how far an edge is
    /// from the centre, which says how far corners move when an outline is widened.
    fn corners(self) -> (Vec<(f64, f64)>, f64) {
        let h = 3f64.sqrt() / 2.0;
        match self {
            Marker::Circle => (Vec::new(), 1.0),
            Marker::Square => {
                let s = std::f64::consts::FRAC_1_SQRT_2;
                (vec![(-s, -s), (s, -s), (s, s), (-s, s)], s)
            }
            // Pointing up; shifted down so that it looks centred, as matplotlib's "^".
            Marker::Triangle => (vec![(0.0, -1.0), (h, 0.5), (-h, 0.5)], 0.5),
            Marker::Diamond => (
                vec![(0.0, -1.0), (1.0, 0.0), (0.0, 1.0), (-1.0, 0.0)],
                std::f64::consts::FRAC_1_SQRT_2,
            ),
        }
    }

    /// Draws the marker centred at pixel position `c` (fractional) with radius `r`:
    /// filled, or as an outline `outline` pixels wide with sharp corners.
    pub fn draw(
        self,
        area: &Area<'_>,
        c: (f64, f64),
        r: f64,
        color: RGBColor,
        outline: Option<f64>,
    ) -> DrawResult {
        // Equal areas: a square of "radius" r looks larger than a circle of radius r.
        let r = match self {
            Marker::Circle => r,
            Marker::Square => r * 1.1,
            Marker::Triangle => r * 1.3,
            Marker::Diamond => r * 1.2,
        };
        let shape = match (self, outline) {
            (Marker::Circle, None) => Shape::Disc(c, r),
            (Marker::Circle, Some(w)) => Shape::Ring(c, r, w),
            (m, width) => {
                let (corners, inradius) = m.corners();
                let ring = |radius: f64, reverse: bool| {
                    let mut pts: Vec<(f64, f64)> = corners
                        .iter()
                        .map(|&(x, y)| (c.0 + radius * x, c.1 + radius * y))
                        .collect();
                    if reverse {
                        pts.reverse();
                    }
                    pts
                };
                match width {
                    None => Shape::Fill(vec![ring(r, false)]),
                    Some(w) => {
                        let grow = w / 2.0 / inradius;
                        Shape::Fill(vec![ring(r + grow, false), ring((r - grow).max(0.0), true)])
                    }
                }
            }
        };
        paint(area, shape, color)
    }
}

/// matplotlib's dash pattern for `linestyle="--"`: 3.7 on and 1.6 off, times the width.
pub(crate) fn dash_for(width: f64) -> (f64, f64) {
    (3.7 * width.max(1.0), 1.6 * width.max(1.0))
}

/// Draws a line (solid or dashed) through pixel points (fractional).
pub(crate) fn draw_line(
    area: &Area<'_>,
    pts: &[(f64, f64)],
    color: RGBColor,
    width: f64,
    dashed: bool,
) -> DrawResult {
    if pts.len() < 2 {
        return Ok(());
    }
    let shape = Shape::Line {
        points: pts.to_vec(),
        width,
        dash: dashed.then(|| dash_for(width)),
    };
    paint(area, shape, color)
}

/// Points along pixel polylines, a few pixels apart: what a legend should not cover.
pub(crate) fn sample_polyline(pts: &[(f64, f64)], out: &mut Vec<(i32, i32)>) {
    for pair in pts.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let len = (b.0 - a.0).abs().max((b.1 - a.1).abs());
        let n = ((len / 3.0).ceil() as usize).clamp(1, 10_000);
        for k in 0..=n {
            let t = k as f64 / n as f64;
            out.push((
                (a.0 + (b.0 - a.0) * t).round() as i32,
                (a.1 + (b.1 - a.1) * t).round() as i32,
            ));
        }
    }
    if pts.len() == 1 {
        out.push((pts[0].0.round() as i32, pts[0].1.round() as i32));
    }
}
