//! Placement of the edge labels: beside their edge near the arrowhead, clear of each
//! other and of the nodes.

use super::geom::unit;
use super::layout::{EdgeLine, Layout};

/// A weight label waiting for its place.
pub(super) struct PendingLabel {
    pub text: String,
    pub size: (f64, f64),
    pub from: (f64, f64),
    pub tip: (f64, f64),
}

/// Chooses a centre for each label near the arrowhead of its edge: beside the edge, on
/// the outside of the fan of edges that meet at the target, or on the edge itself (over
/// a white box) where beside it another edge would lie as close. Moves it along the edge
/// where it would cover another label or a node or leave the picture.
pub(super) fn place_labels(
    labels: &[PendingLabel],
    layout: &Layout,
    (w, h): (f64, f64),
) -> Vec<(f64, f64)> {
    let mut placed: Vec<(f64, f64, f64, f64)> = Vec::new();
    let mut centres = Vec::new();
    let overlap = |a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)| {
        let x = (a.2.min(b.2) - a.0.max(b.0)).max(0.0);
        let y = (a.3.min(b.3) - a.1.max(b.1)).max(0.0);
        x * y
    };
    for label in labels {
        let (lw, lh) = label.size;
        let (ux, uy) = unit((label.tip.0 - label.from.0, label.tip.1 - label.from.1));
        let len = (label.tip.0 - label.from.0).hypot(label.tip.1 - label.from.1);
        // Above an edge that goes down (or level), below one that goes up.
        let first_side = if uy < -0.05 { -1.0 } else { 1.0 };
        // Only what lies near the edge can touch its label's candidate spots.
        let reach = lw + lh + 20.0;
        let region = (
            label.from.0.min(label.tip.0) - reach,
            label.from.1.min(label.tip.1) - reach,
            label.from.0.max(label.tip.0) + reach,
            label.from.1.max(label.tip.1) + reach,
        );
        let near = |b: (f64, f64, f64, f64)| {
            b.0 <= region.2 && b.2 >= region.0 && b.1 <= region.3 && b.3 >= region.1
        };
        let near_placed: Vec<_> = placed.iter().copied().filter(|b| near(*b)).collect();
        let near_nodes: Vec<_> = layout
            .nodes
            .iter()
            .map(|n| {
                (
                    n.center.0 - n.half.0 - 1.0,
                    n.center.1 - n.half.1 - 1.0,
                    n.center.0 + n.half.0 + 1.0,
                    n.center.1 + n.half.1 + 1.0,
                )
            })
            .filter(|b| near(*b))
            .collect();
        let near_edges: Vec<&EdgeLine> = layout
            .edges
            .iter()
            .filter(|e| !(e.from == label.from && e.tip == label.tip))
            .filter(|e| {
                near((
                    e.from.0.min(e.tip.0),
                    e.from.1.min(e.tip.1),
                    e.from.0.max(e.tip.0),
                    e.from.1.max(e.tip.1),
                ))
            })
            .collect();
        let mut best = (f64::INFINITY, (0.0, 0.0));
        let fractions = [
            0.7, 0.65, 0.75, 0.6, 0.8, 0.55, 0.5, 0.45, 0.4, 0.35, 0.3, 0.25, 0.2,
        ];
        // (side, extra distance from the line, cost of the choice)
        let sides = [
            (first_side, 0.0, 0.0),
            (0.0, 0.0, 5.0),
            (-first_side, 0.0, 8.0),
            (first_side, 0.6 * lh, 9.0),
            (-first_side, 0.6 * lh, 12.0),
        ];
        for (rank, &f) in fractions.iter().enumerate() {
            for (side, extra, side_cost) in sides {
                // Distance back from the tip, at least clear of the arrowhead.
                let back = (len * (1.0 - f)).max(lw * 0.5 + 12.0).min(len * 0.9);
                let p = (label.tip.0 - ux * back, label.tip.1 - uy * back);
                // The normal (uy, -ux) points to screen-up for an edge going right.
                let (nx, ny) = (uy * side, -ux * side);
                let clear = 0.5 * (lw * nx.abs() + lh * ny.abs()) + 1.5 + extra;
                let c = (p.0 + nx * clear, p.1 + ny * clear);
                let bbox = (
                    c.0 - lw / 2.0,
                    c.1 - lh / 2.0,
                    c.0 + lw / 2.0,
                    c.1 + lh / 2.0,
                );
                let mut cost = rank as f64 * 1.5 + side_cost;
                if bbox.0 < 1.0 || bbox.1 < layout.title_height - 4.0 || bbox.2 > w - 1.0 {
                    cost += 10_000.0;
                }
                if bbox.3 > h - 1.0 || bbox.3 > layout.caption_top + 2.0 {
                    cost += 10_000.0;
                }
                for other in near_placed.iter().chain(&near_nodes) {
                    // Any overlap costs more than any number of nearby edges.
                    let area = overlap(bbox, *other);
                    if area > 0.0 {
                        cost += 1000.0 + 100.0 * area;
                    }
                }
                let own = seg_dist(c, label.from, label.tip);
                for e in &near_edges {
                    if crosses(e, bbox) {
                        cost += 6.0;
                    }
                    // A label nearer another edge than its own reads as that edge's.
                    if seg_dist(c, e.from, e.tip) < own + 3.0 {
                        cost += 25.0;
                    }
                }
                if cost < best.0 {
                    best = (cost, c);
                }
            }
        }
        let c = best.1;
        placed.push((
            c.0 - lw / 2.0,
            c.1 - lh / 2.0,
            c.0 + lw / 2.0,
            c.1 + lh / 2.0,
        ));
        centres.push(c);
    }
    centres
}

/// Distance from `p` to the segment `a`-`b`.
pub(super) fn seg_dist(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (vx, vy) = (b.0 - a.0, b.1 - a.1);
    let len2 = (vx * vx + vy * vy).max(1e-9);
    let t = (((p.0 - a.0) * vx + (p.1 - a.1) * vy) / len2).clamp(0.0, 1.0);
    (p.0 - a.0 - t * vx).hypot(p.1 - a.1 - t * vy)
}

/// Whether an edge passes through a box (Liang-Barsky clipping).
fn crosses(e: &EdgeLine, (x0, y0, x1, y1): (f64, f64, f64, f64)) -> bool {
    let (p, q) = (e.from, e.tip);
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (d, dist) in [
        (-dx, p.0 - x0),
        (dx, x1 - p.0),
        (-dy, p.1 - y0),
        (dy, y1 - p.1),
    ] {
        if d == 0.0 {
            if dist < 0.0 {
                return false;
            }
        } else if d < 0.0 {
            t0 = t0.max(dist / d);
        } else {
            t1 = t1.min(dist / d);
        }
    }
    t0 <= t1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagram::layout::EdgeKey;

    #[test]
    fn crossing_test_clips_a_segment_to_a_box() {
        let e = EdgeLine {
            key: EdgeKey {
                layer: 0,
                from: None,
                to: 0,
            },
            from: (0.0, 0.0),
            tip: (10.0, 0.0),
            highlighted: false,
        };
        assert!(crosses(&e, (4.0, -1.0, 6.0, 1.0)));
        assert!(!crosses(&e, (4.0, 2.0, 6.0, 3.0)));
        assert!(!crosses(&e, (11.0, -1.0, 12.0, 1.0)));
        assert!(crosses(&e, (-1.0, -1.0, 0.5, 1.0)));
    }
}
