//! Anti-aliased coverage: how much of each pixel a shape covers, from 0 to 1.
//!
//! Pixel `(i, j)` is the unit square from `(i, j)` to `(i + 1, j + 1)`, its centre at
//! `(i + 0.5, j + 0.5)`. Lines, discs and rings take their coverage from the distance of
//! each pixel centre to the shape (a one-pixel box filter across the edge); polygons take
//! the exact area inside the pixel, from ab_glyph's outline rasterizer (the one that draws
//! the glyphs).

use ab_glyph_rasterizer::{point, Rasterizer};

/// Coverage of the pixels of a rectangle `x0..x0 + w`, `y0..y0 + h` of the canvas.
pub(crate) struct Mask {
    pub x0: i32,
    pub y0: i32,
    pub w: usize,
    pub h: usize,
    pub cov: Vec<f32>,
}

impl Mask {
    /// An empty mask over the pixels touched by the box `lo..hi`, clipped to `size`.
    fn over(lo: (f64, f64), hi: (f64, f64), size: (u32, u32)) -> Mask {
        let clamp = |v: f64, max: u32| (v.max(0.0).min(f64::from(max))) as i32;
        let (x0, y0) = (clamp(lo.0.floor(), size.0), clamp(lo.1.floor(), size.1));
        let (x1, y1) = (clamp(hi.0.ceil(), size.0), clamp(hi.1.ceil(), size.1));
        let (w, h) = ((x1 - x0).max(0) as usize, (y1 - y0).max(0) as usize);
        Mask {
            x0,
            y0,
            w,
            h,
            cov: vec![0.0; w * h],
        }
    }

    fn is_empty(&self) -> bool {
        self.w == 0 || self.h == 0
    }
}

fn bounds(points: impl IntoIterator<Item = (f64, f64)>, pad: f64) -> ((f64, f64), (f64, f64)) {
    let mut lo = (f64::INFINITY, f64::INFINITY);
    let mut hi = (f64::NEG_INFINITY, f64::NEG_INFINITY);
    for (x, y) in points {
        lo = (lo.0.min(x), lo.1.min(y));
        hi = (hi.0.max(x), hi.1.max(y));
    }
    ((lo.0 - pad, lo.1 - pad), (hi.0 + pad, hi.1 + pad))
}

/// The pixel box filter across an edge at signed distance `d` (positive inside).
fn edge(d: f64) -> f32 {
    (d + 0.5).clamp(0.0, 1.0) as f32
}

fn all_finite(points: &[(f64, f64)]) -> bool {
    points.iter().all(|p| p.0.is_finite() && p.1.is_finite())
}

/// A line `width` pixels wide through `points`, with round joins and ends. Lines thinner
/// than a pixel are drawn one pixel wide and as much fainter, as matplotlib does.
pub(crate) fn stroke(points: &[(f64, f64)], width: f64, size: (u32, u32)) -> Option<Mask> {
    if points.is_empty() || !all_finite(points) || width.is_nan() || width <= 0.0 {
        return None;
    }
    let (half, faint) = if width < 1.0 {
        (0.5, width as f32)
    } else {
        (width / 2.0, 1.0)
    };
    let reach = half + 1.0;
    let (lo, hi) = bounds(points.iter().copied(), reach);
    let mut mask = Mask::over(lo, hi, size);
    if mask.is_empty() {
        return None;
    }
    let segments: Vec<((f64, f64), (f64, f64))> = if points.len() == 1 {
        vec![(points[0], points[0])]
    } else {
        points.windows(2).map(|p| (p[0], p[1])).collect()
    };
    for (a, b) in segments {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let len2 = dx * dx + dy * dy;
        let top = (a.1.min(b.1) - reach).floor() as i32;
        let bottom = (a.1.max(b.1) + reach).ceil() as i32;
        for j in top.max(mask.y0)..bottom.min(mask.y0 + mask.h as i32) {
            let cy = f64::from(j) + 0.5;
            // The part of the segment within `reach` of this row, widened by `reach`.
            let (mut xl, mut xr) = (a.0.min(b.0), a.0.max(b.0));
            if dy.abs() > 1e-12 {
                let t0 = ((cy - reach - a.1) / dy).clamp(0.0, 1.0);
                let t1 = ((cy + reach - a.1) / dy).clamp(0.0, 1.0);
                let (x0, x1) = (a.0 + t0 * dx, a.0 + t1 * dx);
                xl = x0.min(x1);
                xr = x0.max(x1);
            }
            let left = (xl - reach).floor() as i32;
            let right = (xr + reach).ceil() as i32;
            let row = (j - mask.y0) as usize * mask.w;
            for i in left.max(mask.x0)..right.min(mask.x0 + mask.w as i32) {
                let cx = f64::from(i) + 0.5;
                let t = if len2 > 0.0 {
                    (((cx - a.0) * dx + (cy - a.1) * dy) / len2).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                let d = (cx - a.0 - t * dx).hypot(cy - a.1 - t * dy);
                let c = edge(half - d) * faint;
                let cell = &mut mask.cov[row + (i - mask.x0) as usize];
                *cell = cell.max(c);
            }
        }
    }
    Some(mask)
}

/// Splits a polyline into dashes of `on` pixels with gaps of `off` pixels.
pub(crate) fn dashes(points: &[(f64, f64)], on: f64, off: f64) -> Vec<Vec<(f64, f64)>> {
    let mut out = Vec::new();
    if on.is_nan() || off.is_nan() || on <= 0.0 || off < 0.0 {
        return out;
    }
    let mut current: Vec<(f64, f64)> = Vec::new();
    let (mut drawing, mut left) = (true, on);
    if let Some(&p) = points.first() {
        current.push(p);
    }
    for pair in points.windows(2) {
        let (mut a, b) = (pair[0], pair[1]);
        let mut len = (b.0 - a.0).hypot(b.1 - a.1);
        while len > left {
            let t = left / len;
            let p = (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1));
            if drawing {
                current.push(p);
                out.push(std::mem::take(&mut current));
            } else {
                current = vec![p];
            }
            drawing = !drawing;
            len -= left;
            left = if drawing { on } else { off };
            a = p;
        }
        left -= len;
        if drawing {
            current.push(b);
        }
    }
    if drawing && current.len() > 1 {
        out.push(current);
    }
    out
}

/// The filled inside of closed polygons (each ring joined back to its start). Rings of
/// opposite orientation cut holes; rings of the same orientation add up.
pub(crate) fn fill(rings: &[Vec<(f64, f64)>], size: (u32, u32)) -> Option<Mask> {
    if rings.iter().all(|r| r.len() < 3) || !rings.iter().all(|r| all_finite(r)) {
        return None;
    }
    let (lo, hi) = bounds(rings.iter().flatten().copied(), 0.0);
    let mut mask = Mask::over(lo, hi, size);
    if mask.is_empty() {
        return None;
    }
    let mut raster = Rasterizer::new(mask.w, mask.h);
    let (ox, oy) = (f64::from(mask.x0), f64::from(mask.y0));
    let (mw, mh) = (mask.w as f64, mask.h as f64);
    for ring in rings.iter().filter(|r| r.len() >= 3) {
        let local: Vec<(f64, f64)> = ring.iter().map(|p| (p.0 - ox, p.1 - oy)).collect();
        let clipped = clip_ring(&local, (mw, mh));
        for k in 0..clipped.len() {
            let (p, q) = (clipped[k], clipped[(k + 1) % clipped.len()]);
            raster.draw_line(point(p.0 as f32, p.1 as f32), point(q.0 as f32, q.1 as f32));
        }
    }
    raster.for_each_pixel(|i, c| mask.cov[i] = c.min(1.0));
    Some(mask)
}

/// Sutherland-Hodgman: the part of a closed ring inside `0..w` x `0..h`, as a closed ring.
fn clip_ring(ring: &[(f64, f64)], (w, h): (f64, f64)) -> Vec<(f64, f64)> {
    let mut pts = ring.to_vec();
    // Each edge of the box: the axis (0 for x), where it is, and which side is inside.
    let edges = [(0, 0.0, true), (0, w, false), (1, 0.0, true), (1, h, false)];
    for (axis, at, above) in edges {
        let coord = |p: &(f64, f64)| if axis == 0 { p.0 } else { p.1 };
        let inside = |p: &(f64, f64)| {
            if above {
                coord(p) >= at
            } else {
                coord(p) <= at
            }
        };
        let input = std::mem::take(&mut pts);
        for k in 0..input.len() {
            let (p, q) = (input[k], input[(k + 1) % input.len()]);
            let (pin, qin) = (inside(&p), inside(&q));
            if pin {
                pts.push(p);
            }
            if pin != qin {
                let t = (at - coord(&p)) / (coord(&q) - coord(&p));
                pts.push((p.0 + t * (q.0 - p.0), p.1 + t * (q.1 - p.1)));
            }
        }
        if pts.is_empty() {
            break;
        }
    }
    pts
}

/// A filled disc of radius `r` around `c`.
pub(crate) fn disc(c: (f64, f64), r: f64, size: (u32, u32)) -> Option<Mask> {
    radial(c, r + 1.0, size, |d| edge(r - d))
}

/// A circle of radius `r` around `c`, drawn as a ring `width` pixels wide.
pub(crate) fn ring(c: (f64, f64), r: f64, width: f64, size: (u32, u32)) -> Option<Mask> {
    let half = width / 2.0;
    radial(c, r + half + 1.0, size, |d| edge(half - (d - r).abs()))
}

fn radial(c: (f64, f64), reach: f64, size: (u32, u32), f: impl Fn(f64) -> f32) -> Option<Mask> {
    if !(c.0.is_finite() && c.1.is_finite() && reach.is_finite() && reach > 0.0) {
        return None;
    }
    let mut mask = Mask::over((c.0 - reach, c.1 - reach), (c.0 + reach, c.1 + reach), size);
    if mask.is_empty() {
        return None;
    }
    for j in 0..mask.h {
        for i in 0..mask.w {
            let cx = f64::from(mask.x0) + i as f64 + 0.5;
            let cy = f64::from(mask.y0) + j as f64 + 0.5;
            mask.cov[j * mask.w + i] = f((cx - c.0).hypot(cy - c.1));
        }
    }
    Some(mask)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn total(m: &Mask) -> f64 {
        m.cov.iter().map(|&c| f64::from(c)).sum()
    }

    #[test]
    fn a_horizontal_line_covers_its_length_times_its_width() {
        // 20 px long, 2 px wide, round ends: 40 + pi px^2.
        let m = stroke(&[(10.0, 10.0), (30.0, 10.0)], 2.0, (64, 64)).unwrap();
        let expected = 40.0 + std::f64::consts::PI;
        assert!((total(&m) - expected).abs() < 1.5, "{}", total(&m));
    }

    #[test]
    fn a_triangle_covers_its_area() {
        let m = fill(&[vec![(2.0, 2.0), (22.0, 2.0), (2.0, 12.0)]], (32, 32)).unwrap();
        assert!((total(&m) - 100.0).abs() < 0.01, "{}", total(&m));
    }

    #[test]
    fn a_hole_of_opposite_orientation_is_cut_out() {
        let outer = vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)];
        let inner = vec![(2.0, 2.0), (2.0, 8.0), (8.0, 8.0), (8.0, 2.0)];
        let m = fill(&[outer, inner], (16, 16)).unwrap();
        assert!((total(&m) - 64.0).abs() < 0.01, "{}", total(&m));
    }

    #[test]
    fn a_disc_covers_pi_r_squared() {
        let m = disc((16.0, 16.0), 6.0, (32, 32)).unwrap();
        assert!((total(&m) - std::f64::consts::PI * 36.0).abs() < 1.0);
    }

    #[test]
    fn dashes_alternate_on_and_off() {
        let d = dashes(&[(0.0, 0.0), (20.0, 0.0)], 6.0, 4.0);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0], vec![(0.0, 0.0), (6.0, 0.0)]);
        assert_eq!(d[1], vec![(10.0, 0.0), (16.0, 0.0)]);
    }

    #[test]
    fn shapes_off_the_canvas_give_nothing() {
        assert!(stroke(&[(-50.0, -50.0), (-40.0, -50.0)], 2.0, (10, 10)).is_none());
        assert!(disc((100.0, 100.0), 3.0, (10, 10)).is_none());
    }
}
