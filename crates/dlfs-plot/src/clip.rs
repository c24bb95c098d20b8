//! Cutting data lines at the edges of the axes.

pub(crate) fn inside((x, y): (f64, f64), xr: (f64, f64), yr: (f64, f64)) -> bool {
    x.is_finite() && y.is_finite() && x >= xr.0 && x <= xr.1 && y >= yr.0 && y <= yr.1
}

/// Liang-Barsky: the part of segment `p`-`q` inside the rectangle, if any.
fn clip_segment(
    p: (f64, f64),
    q: (f64, f64),
    xr: (f64, f64),
    yr: (f64, f64),
) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (d, dist) in [
        (-dx, p.0 - xr.0),
        (dx, xr.1 - p.0),
        (-dy, p.1 - yr.0),
        (dy, yr.1 - p.1),
    ] {
        if d == 0.0 {
            if dist < 0.0 {
                return None;
            }
        } else {
            let t = dist / d;
            if d < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    (t0 <= t1).then_some((
        (p.0 + t0 * dx, p.1 + t0 * dy),
        (p.0 + t1 * dx, p.1 + t1 * dy),
    ))
}

/// Data polylines clipped to the rectangle, broken at non-finite points.
pub(crate) fn clip_polylines(
    xs: &[f64],
    ys: &[f64],
    xr: (f64, f64),
    yr: (f64, f64),
) -> Vec<Vec<(f64, f64)>> {
    let mut lines: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    let finite = |p: (f64, f64)| p.0.is_finite() && p.1.is_finite();
    let points: Vec<(f64, f64)> = xs.iter().copied().zip(ys.iter().copied()).collect();
    for pair in points.windows(2) {
        let (p, q) = (pair[0], pair[1]);
        let clipped = if finite(p) && finite(q) {
            clip_segment(p, q, xr, yr)
        } else {
            None
        };
        match clipped {
            Some((a, b)) => {
                if current.last() != Some(&a) {
                    if current.len() > 1 {
                        lines.push(std::mem::take(&mut current));
                    }
                    current.clear();
                    current.push(a);
                }
                current.push(b);
            }
            None => {
                if current.len() > 1 {
                    lines.push(std::mem::take(&mut current));
                }
                current.clear();
            }
        }
    }
    if current.len() > 1 {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipping_cuts_a_line_at_the_box() {
        let lines = clip_polylines(&[-1.0, 0.5, 2.0], &[0.5, 0.5, 0.5], (0.0, 1.0), (0.0, 1.0));
        assert_eq!(lines, vec![vec![(0.0, 0.5), (0.5, 0.5), (1.0, 0.5)]]);
    }

    #[test]
    fn nan_breaks_a_line_in_two() {
        let xs = [0.0, 0.1, 0.2, 0.3, 0.4];
        let ys = [0.0, 0.1, f64::NAN, 0.3, 0.4];
        let lines = clip_polylines(&xs, &ys, (0.0, 1.0), (0.0, 1.0));
        assert_eq!(
            lines,
            vec![vec![(0.0, 0.0), (0.1, 0.1)], vec![(0.3, 0.3), (0.4, 0.4)]]
        );
    }
}
