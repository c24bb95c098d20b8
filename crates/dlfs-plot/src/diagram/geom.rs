//! Plane geometry shared by the layout, the label placement and the drawing.

/// `(x, y)` scaled to length 1 (a zero vector stays near zero).
pub(super) fn unit((x, y): (f64, f64)) -> (f64, f64) {
    let len = x.hypot(y).max(1e-9);
    (x / len, y / len)
}

/// Distance from `p` to the segment `a`-`b`.
pub(super) fn seg_dist(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (vx, vy) = (b.0 - a.0, b.1 - a.1);
    let len2 = (vx * vx + vy * vy).max(1e-9);
    let t = (((p.0 - a.0) * vx + (p.1 - a.1) * vy) / len2).clamp(0.0, 1.0);
    (p.0 - a.0 - t * vx).hypot(p.1 - a.1 - t * vy)
}
