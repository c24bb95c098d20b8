//! `NetworkDiagram` draws what its sizes say: one circle per node (bias nodes shaded),
//! a highlighted path that stands out, an ellipsis for large layers; it is deterministic
//! and refuses a network without nodes.

mod common;

use std::time::Instant;

use common::{decode, Decoded};
use dlfs_plot::{Chart, Figure, NetworkDiagram};

/// A connected region: pixel count, bounding box width and height, centre of the box.
type Region = (usize, usize, usize, (usize, usize));

/// Connected regions (4-neighbours) of pixels for which `inside` holds.
fn regions(img: &Decoded, inside: impl Fn([u8; 3]) -> bool) -> Vec<Region> {
    let (w, h) = (img.width, img.height);
    let mut seen = vec![false; w * h];
    let mut out = Vec::new();
    for start in 0..w * h {
        if seen[start] || !inside(img.pixel(start % w, start / w)) {
            continue;
        }
        seen[start] = true;
        let mut stack = vec![start];
        let (mut count, mut x0, mut x1, mut y0, mut y1) = (0, w, 0, h, 0);
        while let Some(p) = stack.pop() {
            let (x, y) = (p % w, p / w);
            count += 1;
            (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
            let mut visit = |q: usize| {
                if !seen[q] && inside(img.pixel(q % w, q / w)) {
                    seen[q] = true;
                    stack.push(q);
                }
            };
            if x > 0 {
                visit(p - 1);
            }
            if x + 1 < w {
                visit(p + 1);
            }
            if y > 0 {
                visit(p - w);
            }
            if y + 1 < h {
                visit(p + w);
            }
        }
        out.push((
            count,
            x1 - x0 + 1,
            y1 - y0 + 1,
            ((x0 + x1) / 2, (y0 + y1) / 2),
        ));
    }
    out
}

/// Regions shaped like a filled circle of diameter at least `min_d`: a square bounding
/// box that the region fills to about pi/4.
fn disks(regions: &[Region], min_d: usize) -> usize {
    regions
        .iter()
        .filter(|&&(n, bw, bh, _)| {
            let fill = n as f64 / (bw * bh) as f64;
            bw >= min_d && bw.abs_diff(bh) <= 2 && (0.70..=0.86).contains(&fill)
        })
        .count()
}

fn white(p: [u8; 3]) -> bool {
    p.iter().all(|&c| c >= 250)
}

/// The shade of the bias nodes, with some room for smoothing.
fn bias_grey(p: [u8; 3]) -> bool {
    p.iter().all(|&c| (200..=220).contains(&c))
}

fn dark(p: [u8; 3]) -> bool {
    p.iter().map(|&c| u32::from(c)).sum::<u32>() < 3 * 110
}

#[test]
fn circles_are_the_nodes_plus_one_bias_node_per_layer_but_the_last() {
    let img = decode(&NetworkDiagram::new(&[2, 3, 2, 2]).bias(true).render());
    let whites = regions(&img, white);
    // The network's 2 + 3 + 2 + 2 nodes are white disks inside their outlines.
    assert_eq!(disks(&whites, 20), 9);
    // Layers 0, 1 and 2 each carry a grey bias node.
    assert_eq!(disks(&regions(&img, bias_grey), 20), 3);

    let plain = decode(&NetworkDiagram::new(&[2, 3, 2, 2]).render());
    assert_eq!(disks(&regions(&plain, white), 20), 9);
    assert_eq!(disks(&regions(&plain, bias_grey), 20), 0);
}

#[test]
fn a_perceptron_has_three_circles() {
    let fig = NetworkDiagram::new(&[2, 1])
        .node_labels(0, ["x₁", "x₂"])
        .node_labels(1, ["y"])
        .edge_label(0, 0, 0, "w₁")
        .edge_label(0, 1, 0, "w₂")
        .render();
    let img = decode(&fig);
    assert_eq!((img.width, img.height), (480, 320));
    assert_eq!(disks(&regions(&img, white), 20), 3);
}

/// Dark pixels in the upper and the lower half of the picture.
fn dark_halves(img: &Decoded) -> (usize, usize) {
    let mut halves = (0, 0);
    for y in 0..img.height {
        for x in 0..img.width {
            if dark(img.pixel(x, y)) {
                if y < img.height / 2 {
                    halves.0 += 1;
                } else if y >= img.height - img.height / 2 {
                    halves.1 += 1;
                }
            }
        }
    }
    halves
}

#[test]
fn a_highlighted_edge_is_darker_than_a_plain_one() {
    // One input node between two output nodes: the picture is symmetric top to bottom
    // until one of the two edges is highlighted.
    let plain = decode(&NetworkDiagram::new(&[1, 2]).size(300, 200).render());
    let top = decode(
        &NetworkDiagram::new(&[1, 2])
            .size(300, 200)
            .highlight_into(1, 0)
            .render(),
    );
    let bottom = decode(
        &NetworkDiagram::new(&[1, 2])
            .size(300, 200)
            .highlight_into(1, 1)
            .render(),
    );
    let (p_up, p_down) = dark_halves(&plain);
    assert!(
        p_up.abs_diff(p_down) * 50 < p_up,
        "plain: {p_up} vs {p_down}"
    );
    let (t_up, t_down) = dark_halves(&top);
    let (b_up, b_down) = dark_halves(&bottom);
    // The highlighted edge gains dark pixels, the other one (now light grey) loses them.
    assert!(
        t_up > p_up && t_down < p_down,
        "top: {t_up}/{t_down}, plain {p_up}/{p_down}"
    );
    assert!(b_down > p_down && b_up < p_up, "bottom: {b_up}/{b_down}");
    assert!(
        t_up.abs_diff(b_down) * 20 < t_up,
        "mirror: {t_up} vs {b_down}"
    );
}

#[test]
fn only_highlighted_leaves_the_other_edges_out() {
    let grey = NetworkDiagram::new(&[2, 3, 2, 2])
        .bias(true)
        .highlight_into(1, 0);
    let only = grey.clone().only_highlighted(true);
    let ink = |fig: &Figure| decode(fig).rgb.chunks(3).filter(|p| p[0] < 250).count();
    let (with_grey, without) = (ink(&grey.render()), ink(&only.render()));
    assert!(without < with_grey, "{without} inked pixels vs {with_grey}");
    // Without any edge at all there is less ink still.
    let none = NetworkDiagram::new(&[2, 3, 2, 2])
        .bias(true)
        .only_highlighted(true);
    assert!(ink(&none.render()) < without);
}

/// Vertical ellipses: three small filled round blobs standing free on white, one above
/// the other.
fn ellipses(img: &Decoded) -> usize {
    let dots: Vec<(usize, usize)> = regions(img, |p| !white(p))
        .into_iter()
        .filter(|&(n, bw, bh, _)| {
            (3..=8).contains(&bw) && bw.abs_diff(bh) <= 1 && n as f64 >= 0.6 * (bw * bh) as f64
        })
        .map(|(_, _, _, c)| c)
        .collect();
    let mut columns: Vec<Vec<usize>> = Vec::new();
    let mut xs: Vec<usize> = Vec::new();
    for (x, y) in dots {
        match xs.iter().position(|&cx| cx.abs_diff(x) <= 1) {
            Some(i) => columns[i].push(y),
            None => {
                xs.push(x);
                columns.push(vec![y]);
            }
        }
    }
    columns
        .into_iter()
        .filter(|ys| {
            let mut ys = ys.clone();
            ys.sort();
            // Evenly spaced and close together.
            ys.len() == 3 && (ys[1] - ys[0]).abs_diff(ys[2] - ys[1]) <= 1 && ys[2] - ys[0] < 40
        })
        .count()
}

#[test]
fn a_mnist_sized_network_draws_an_ellipsis_per_layer_and_renders_quickly() {
    let start = Instant::now();
    let fig = NetworkDiagram::new(&[784, 50, 10])
        .node_labels(0, (1..=784).map(|i| format!("x{i}")))
        .render();
    let took = start.elapsed();
    // Loose bound: the machine running the tests may be busy; a 480x320 picture of
    // 12 circles and 32 edges takes milliseconds.
    assert!(took.as_secs_f64() < 5.0, "rendering took {took:?}");
    assert_eq!(fig.width(), 480);
    // Without labels, which would break up the white inside the circles:
    let img = decode(&NetworkDiagram::new(&[784, 50, 10]).render());
    // Four circles per layer (three from the top and the last).
    assert_eq!(disks(&regions(&img, white), 20), 12);
    // Each layer has its ellipsis: three small round dots, touching nothing else.
    assert_eq!(ellipses(&img), 3);
    // A small network has no ellipsis.
    let small = decode(&NetworkDiagram::new(&[5, 4, 3]).render());
    assert_eq!(disks(&regions(&small, white), 20), 12);
    assert_eq!(ellipses(&small), 0);
}

#[test]
fn every_option_changes_the_picture_and_rendering_is_deterministic() {
    let base = || NetworkDiagram::new(&[2, 3, 2, 2]).bias(true);
    let variants = [
        base(),
        base().title("Figure 3-17"),
        base().layer_names(["input layer", "layer 1", "layer 2", "output layer"]),
        base().node_labels(0, ["x₁", "x₂"]),
        base().weight_labels(true),
        base().edge_label(0, 0, 0, "w"),
        base().bias_label(0, 0, "b"),
        base().highlight_into(1, 0),
        base().highlight_into(1, 0).only_highlighted(true),
        base().activation(1, "h()"),
        base().size(400, 300),
    ];
    let figs: Vec<Figure> = variants.iter().map(Chart::render).collect();
    for (i, fig) in figs.iter().enumerate() {
        assert_eq!(
            *fig,
            variants[i].render(),
            "variant {i}: two renders differ"
        );
        for (j, other) in figs.iter().enumerate().take(i) {
            assert_ne!(fig.png_bytes(), other.png_bytes(), "variants {j} and {i}");
        }
        assert!(fig.png_bytes().len() < 60_000, "variant {i} is large");
    }
}

#[test]
fn weight_labels_follow_the_highlight() {
    // With a highlight only its edges are labelled, so labelling changes fewer pixels than
    // labelling all 17 edges does.
    let changed = |a: NetworkDiagram, b: NetworkDiagram| {
        let (a, b) = (decode(&a.render()).rgb, decode(&b.render()).rgb);
        a.chunks(3).zip(b.chunks(3)).filter(|(p, q)| p != q).count()
    };
    let base = || NetworkDiagram::new(&[2, 3, 2]).bias(true);
    let all = changed(base().weight_labels(true), base());
    let path = changed(
        base().highlight_into(1, 0).weight_labels(true),
        base().highlight_into(1, 0),
    );
    assert!(
        path > 0 && path * 3 < all,
        "path labels change {path} pixels, all labels {all}"
    );
}

#[test]
fn draws_into_a_small_subplot_cell() {
    let a = NetworkDiagram::new(&[2, 1]).weight_labels(true);
    let b = NetworkDiagram::new(&[2, 3, 2, 2])
        .bias(true)
        .activation(3, "σ()");
    let fig = dlfs_plot::Subplots::row(&[&a, &b]).size(300, 100).render();
    assert_eq!((fig.width(), fig.height()), (300, 100));
}

#[test]
#[should_panic(expected = "NetworkDiagram::new: no layers")]
fn no_layers_panics() {
    NetworkDiagram::new(&[]);
}

#[test]
#[should_panic(expected = "NetworkDiagram::new: layer 1 has size 0")]
fn an_empty_layer_panics_naming_it() {
    NetworkDiagram::new(&[2, 0, 1]);
}

#[test]
#[should_panic(expected = "NetworkDiagram::node_labels: 3 labels for the 2 nodes of layer 0")]
fn too_many_node_labels_panic() {
    NetworkDiagram::new(&[2, 1]).node_labels(0, ["a", "b", "c"]);
}

#[test]
#[should_panic(expected = "NetworkDiagram::highlight_into: layer 1 has 1 nodes")]
fn highlighting_a_missing_node_panics() {
    NetworkDiagram::new(&[2, 1]).highlight_into(1, 1);
}

#[test]
#[should_panic(expected = "NetworkDiagram::edge_label: layer 1 is the output layer")]
fn an_edge_out_of_the_output_layer_panics() {
    NetworkDiagram::new(&[2, 1]).edge_label(1, 0, 0, "w");
}

#[test]
#[should_panic(expected = "NetworkDiagram::activation: layer 0 is the input layer")]
fn an_activation_on_the_input_layer_panics() {
    NetworkDiagram::new(&[2, 1]).activation(0, "h()");
}

#[test]
fn the_font_has_every_glyph_of_the_books_notation() {
    // A character the font lacks is drawn as the font's "missing glyph" box, the same
    // for every missing character: compare with one from the private use area.
    let draw = |label: &str| NetworkDiagram::new(&[1]).node_labels(0, [label]).render();
    let missing = draw("\u{E000}");
    assert_eq!(
        draw("\u{E001}"),
        missing,
        "missing glyphs should look alike"
    );
    for c in "₀₁₂₃₄₅₆₇₈₉⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾σ".chars() {
        let fig = draw(&c.to_string());
        assert_ne!(fig.png_bytes(), missing.png_bytes(), "no glyph for {c:?}");
    }
}

#[test]
fn tiny_pictures_and_many_layers_still_render() {
    let deep = vec![3; 20];
    let charts = [
        NetworkDiagram::new(&[2, 3, 2, 2])
            .bias(true)
            .weight_labels(true)
            .size(1, 1),
        NetworkDiagram::new(&[2, 3, 2, 2])
            .activation(1, "h()")
            .title("t")
            .size(30, 12),
        NetworkDiagram::new(&deep).bias(true).weight_labels(true),
        NetworkDiagram::new(&[usize::MAX, 1]).layer_names(["huge"]),
    ];
    for chart in &charts {
        let fig = chart.render();
        assert_eq!((fig.width(), fig.height()), chart.dimensions());
    }
}
