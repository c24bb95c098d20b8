//! Tests of the layout and the label placement of whole diagrams.

use super::labels::{place_labels, PendingLabel};
use super::layout::Layout;
use super::NetworkDiagram;

/// The label boxes of every labelled edge, as placed in a picture of `w` x `h`, with
/// labels the size of "w₁₂⁽¹⁾" at 17 px.
fn placed_boxes(d: &NetworkDiagram, (w, h): (f64, f64)) -> (Layout, Vec<(f64, f64, f64, f64)>) {
    let layout = d.layout(w, h, (0.0, 0.0));
    let size = (44.0, 20.0);
    let pending: Vec<PendingLabel> = layout
        .edges
        .iter()
        .filter_map(|e| {
            d.label_of(e.key).map(|text| PendingLabel {
                text,
                size,
                from: e.from,
                tip: e.tip,
            })
        })
        .collect();
    let boxes = place_labels(&pending, &layout, (w, h))
        .into_iter()
        .map(|c| {
            let (w, h) = size;
            (c.0 - w / 2.0, c.1 - h / 2.0, c.0 + w / 2.0, c.1 + h / 2.0)
        })
        .collect();
    (layout, boxes)
}

fn overlaps(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

#[test]
fn weight_labels_neither_pile_up_nor_cover_nodes() {
    let small = (480.0, 320.0);
    let cases = [
        (
            NetworkDiagram::new(&[2, 3, 2, 2])
                .bias(true)
                .weight_labels(true)
                .highlight_into(1, 0)
                .only_highlighted(true),
            small,
        ),
        (
            NetworkDiagram::new(&[2, 3, 2, 2])
                .bias(true)
                .weight_labels(true)
                .highlight_into(2, 1)
                .highlight_into(3, 0),
            small,
        ),
        (
            NetworkDiagram::new(&[2, 2, 1])
                .bias(true)
                .weight_labels(true),
            small,
        ),
        (
            NetworkDiagram::new(&[2, 1]).bias(true).weight_labels(true),
            small,
        ),
        (
            NetworkDiagram::new(&[2, 3]).bias(true).weight_labels(true),
            small,
        ),
        (NetworkDiagram::new(&[4, 4, 4]).weight_labels(true), small),
        // All 23 labels of the 2-3-2-2 network with bias need a larger picture.
        (
            NetworkDiagram::new(&[2, 3, 2, 2])
                .bias(true)
                .weight_labels(true),
            (640.0, 400.0),
        ),
    ];
    for (k, (d, size)) in cases.iter().enumerate() {
        let (layout, boxes) = placed_boxes(d, *size);
        assert!(!boxes.is_empty());
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                assert!(
                    !overlaps(*a, *b),
                    "case {k}: labels {a:?} and {b:?} overlap"
                );
            }
            for n in &layout.nodes {
                let nb = (
                    n.center.0 - n.half.0,
                    n.center.1 - n.half.1,
                    n.center.0 + n.half.0,
                    n.center.1 + n.half.1,
                );
                assert!(!overlaps(*a, nb), "case {k}: label {a:?} covers a node");
            }
            assert!(a.0 >= 0.0 && a.2 <= size.0 && a.1 >= 0.0 && a.3 <= size.1);
        }
    }
}

#[test]
fn node_count_is_the_sum_of_sizes_plus_bias_nodes() {
    let d = NetworkDiagram::new(&[2, 3, 2, 2]).bias(true);
    let layout = d.layout(480.0, 320.0, (0.0, 0.0));
    // 9 nodes and a bias node atop each of the 3 layers before the output layer.
    assert_eq!(layout.nodes.len(), 9 + 3);
    assert_eq!(layout.nodes.iter().filter(|n| n.index.is_none()).count(), 3);
    // Every node of one layer to every node of the next, bias included.
    assert_eq!(layout.edges.len(), 3 * 3 + 4 * 2 + 3 * 2);
    assert!(layout.ellipses.is_empty());
}

#[test]
fn only_highlighted_keeps_the_edges_into_one_node() {
    let d = NetworkDiagram::new(&[2, 3, 2, 2])
        .bias(true)
        .highlight_into(1, 0)
        .only_highlighted(true);
    let layout = d.layout(480.0, 320.0, (0.0, 0.0));
    let keys: Vec<_> = layout
        .edges
        .iter()
        .map(|e| (e.key.from, e.key.to))
        .collect();
    assert_eq!(keys, vec![(None, 0), (Some(0), 0), (Some(1), 0)]);
    assert!(layout
        .edges
        .iter()
        .all(|e| e.highlighted && e.key.layer == 0));
}

#[test]
fn large_layers_show_four_nodes_and_an_ellipsis() {
    let layout = NetworkDiagram::new(&[784, 50, 10]).layout(480.0, 320.0, (40.0, 40.0));
    assert_eq!(layout.nodes.len(), 12);
    assert_eq!(layout.ellipses.len(), 3);
    let last: Vec<_> = layout.nodes.iter().filter(|n| n.layer == 0).collect();
    assert_eq!(last[3].index, Some(783));
    assert_eq!(layout.edges.len(), 2 * 4 * 4);
}

#[test]
fn nodes_lie_inside_the_picture_and_apart() {
    for sizes in [&[2, 1][..], &[2, 3, 2, 2], &[5, 5, 5], &[784, 50, 10], &[1]] {
        for (act, bias) in [(false, false), (true, true)] {
            let mut d = NetworkDiagram::new(sizes).bias(bias).title("t");
            if act && sizes.len() > 1 {
                d = d.activation(1, "h()");
            }
            let (w, h) = (480.0, 320.0);
            let l = d.layout(w, h, (30.0, 30.0));
            for n in &l.nodes {
                let (x, y) = n.center;
                assert!(x - n.half.0 >= 0.0 && x + n.half.0 <= w, "{sizes:?}: x {x}");
                assert!(y - n.half.1 >= l.title_height - 1.0, "{sizes:?}: top {y}");
                assert!(y + n.half.1 <= l.caption_top + 1.0, "{sizes:?}: bottom {y}");
            }
            for (i, a) in l.nodes.iter().enumerate() {
                for b in &l.nodes[i + 1..] {
                    let apart = (a.center.0 - b.center.0).abs() > a.half.0 + b.half.0
                        || (a.center.1 - b.center.1).abs() > a.half.1 + b.half.1;
                    assert!(apart, "{sizes:?} {act}: nodes overlap");
                }
            }
        }
    }
}
