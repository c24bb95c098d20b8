//! Plane geometry shared by the layout, the label placement and the drawing.

/// `(x, y)` scaled to length 1 (a zero vector stays near zero).
pub(super) fn unit((x, y): (f64, f64)) -> (f64, f64) {
    let len = x.hypot(y).max(1e-9);
    (x / len, y / len)
}
