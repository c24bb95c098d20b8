//! Every chart kind renders a PNG of the requested size that shows something, changes
//! with its data, comes out byte-identical when rendered twice and stays small.

mod common;

use base64::Engine as _;
use common::{decode, Decoded};
use dlfs_plot::ndarray::Array2;
use dlfs_plot::{
    BarPlot, Chart, ContourPlot, Digit, DigitGrid, Figure, GatePlot, Heatmap, LinePlot, PixelScale,
    QuiverPlot, Subplots, SurfacePlot,
};

/// Checks the common promises for a chart built by `make(variant)`: variant 0 and 1
/// differ only in their data.
fn check_kind<C: Chart>(name: &str, make: impl Fn(usize) -> C, size: (u32, u32)) {
    let fig = make(0).render();
    let img = decode(&fig);
    assert_eq!(
        (img.width as u32, img.height as u32),
        size,
        "{name}: decoded size"
    );
    assert_eq!((fig.width(), fig.height()), size, "{name}: reported size");
    let first = img.pixel(0, 0);
    let colours = img.rgb.chunks(3).filter(|p| *p != first).count();
    assert!(
        colours > 100,
        "{name}: only {colours} pixels differ from the corner"
    );
    assert_eq!(fig, make(0).render(), "{name}: two renders differ");
    assert_ne!(
        fig.png_bytes(),
        make(1).render().png_bytes(),
        "{name}: other data gave the same picture"
    );
    // The bar for a notebook: 100 KiB per picture at most.
    assert!(
        fig.png_bytes().len() <= 100 * 1024,
        "{name}: {} bytes of PNG",
        fig.png_bytes().len()
    );
}

fn arange(start: f64, stop: f64, step: f64) -> Vec<f64> {
    let n = ((stop - start) / step).ceil() as usize;
    (0..n).map(|i| start + step * i as f64).collect()
}

#[test]
fn line_plot_of_sigmoid_and_step() {
    let x = arange(-5.0, 5.0, 0.1);
    check_kind(
        "LinePlot",
        |v| {
            let shift = v as f64;
            LinePlot::new()
                .line(&x, x.iter().map(|&a| 1.0 / (1.0 + (-(a - shift)).exp())))
                .label("sigmoid")
                .line(&x, x.iter().map(|&a| f64::from(u8::from(a > shift))))
                .label("step")
                .dashed()
                .x_label("x")
                .y_label("y")
                .y_range(-0.1, 1.1)
        },
        (480, 320),
    );
}

#[test]
fn line_plot_with_markers_and_many_runs() {
    check_kind(
        "LinePlot sweep",
        |v| {
            (1..=6).fold(LinePlot::new().size(400, 300), |p, k| {
                let ys: Vec<f64> = (0..20).map(|i| (k + v) as f64 / (1.0 + i as f64)).collect();
                p.line(0..20, &ys).label(format!("run {k}")).markers()
            })
        },
        (400, 300),
    );
}

#[test]
fn infinite_points_are_skipped_like_nan() {
    let with_inf = LinePlot::new()
        .line([0.0, 1.0, 2.0, 3.0], [1.0, f64::INFINITY, 3.0, 2.0])
        .render();
    let with_nan = LinePlot::new()
        .line([0.0, 1.0, 2.0, 3.0], [1.0, f64::NAN, 3.0, 2.0])
        .render();
    assert_eq!(with_inf, with_nan);
}

#[test]
fn all_nan_data_still_draws_the_axes() {
    let fig = LinePlot::new()
        .line([f64::NAN, f64::NAN], [f64::NAN, 1.0])
        .render();
    let img = decode(&fig);
    assert!(img.rgb.iter().any(|&c| c < 128), "no axes drawn");
}

#[test]
fn points_outside_the_range_are_cut_off() {
    // The same line once within the range and once running far outside it: the visible
    // part is the same, so is the picture.
    let inside = LinePlot::new()
        .line([0.0, 1.0], [0.0, 1.0])
        .x_range(0.0, 1.0)
        .y_range(0.0, 1.0)
        .render();
    let beyond = LinePlot::new()
        .line([-1.0, 0.0, 1.0, 5.0], [-1.0, 0.0, 1.0, 5.0])
        .x_range(0.0, 1.0)
        .y_range(0.0, 1.0)
        .render();
    assert_eq!(inside, beyond);
}

#[test]
#[should_panic(expected = "LinePlot::line: xs has 3 values but ys has 2")]
fn line_with_mismatched_lengths_panics_with_both_lengths() {
    let _ = LinePlot::new().line([0.0, 1.0, 2.0], [0.0, 1.0]);
}

#[test]
#[should_panic(expected = "LinePlot::label: no series yet")]
fn label_before_any_series_panics() {
    let _ = LinePlot::new().label("loss");
}

#[test]
fn gate_plots_of_the_book() {
    let gates = [
        ([0, 0, 0, 1], (0.5, 0.5, -0.7)),  // AND
        ([1, 1, 1, 0], (-0.5, -0.5, 0.7)), // NAND
    ];
    check_kind(
        "GatePlot linear",
        |v| {
            let (outputs, (w1, w2, b)) = gates[v];
            GatePlot::new(outputs).linear(w1, w2, b)
        },
        (360, 360),
    );
    check_kind(
        "GatePlot points",
        |v| GatePlot::new(if v == 0 { [0, 1, 1, 0] } else { [0, 1, 1, 1] }),
        (360, 360),
    );
    check_kind(
        "GatePlot region",
        |v| {
            let step = |a: f64| a > 0.0;
            GatePlot::new([0, 1, 1, 0]).region(move |x1, x2| {
                let (s1, s2) = (
                    step(-0.5 * x1 - 0.5 * x2 + 0.7),
                    step(0.5 * x1 + 0.5 * x2 - 0.2),
                );
                if v == 0 {
                    s1 && s2
                } else {
                    s1 || s2
                }
            })
        },
        (360, 360),
    );
}

#[test]
fn gate_regions_are_grey_for_output_0_and_white_for_output_1() {
    let grey = [200, 200, 200];
    let count = |fig: &Figure, colour: [u8; 3]| {
        let img = decode(fig);
        (0..img.height)
            .flat_map(|y| (0..img.width).map(move |x| (x, y)))
            .filter(|&(x, y)| img.pixel(x, y) == colour)
            .count()
    };
    // Output 1 everywhere: (almost) no grey; output 0 everywhere: a large grey square.
    let all_one = GatePlot::new([1, 1, 1, 1]).region(|_, _| true).render();
    let all_zero = GatePlot::new([0, 0, 0, 0]).region(|_, _| false).render();
    assert!(
        count(&all_one, grey) < 100,
        "{} grey pixels",
        count(&all_one, grey)
    );
    assert!(
        count(&all_zero, grey) > 250 * 250,
        "{} grey pixels",
        count(&all_zero, grey)
    );
}

#[test]
fn surface_of_function_2() {
    check_kind(
        "SurfacePlot",
        |v| SurfacePlot::new(move |x0, x1| x0 * x0 + (1 + v) as f64 * x1 * x1),
        (480, 400),
    );
}

#[test]
fn surface_skips_points_where_f_is_not_finite() {
    let fig = SurfacePlot::new(|x0, x1| if x0 > 0.0 { f64::NAN } else { x0 + x1 }).render();
    assert_eq!(decode(&fig).width, 480);
}

#[test]
fn quiver_of_the_negative_gradient() {
    check_kind(
        "QuiverPlot",
        |v| QuiverPlot::new(move |x0, x1| (-2.0 * x0, -2.0 * x1 * (1 + v) as f64)).step(0.25),
        (420, 420),
    );
}

#[test]
fn contour_with_gradient_descent_path() {
    let path = |lr: f64| {
        let (mut xs, mut ys) = (vec![-3.0], vec![4.0]);
        for _ in 0..20 {
            let (x0, x1) = (xs[xs.len() - 1], ys[ys.len() - 1]);
            xs.push(x0 - lr * 2.0 * x0);
            ys.push(x1 - lr * 2.0 * x1);
        }
        (xs, ys)
    };
    check_kind(
        "ContourPlot",
        |v| {
            let (xs, ys) = path(if v == 0 { 0.1 } else { 0.05 });
            ContourPlot::new(|x0, x1| x0 * x0 + x1 * x1)
                .path(&xs, &ys)
                .label("lr")
        },
        (420, 420),
    );
}

fn digit_pixels(v: usize) -> Vec<u8> {
    // A vertical bar at column 10 + v.
    (0..784)
        .map(|i| {
            if i % 28 == 10 + v && (4..24).contains(&(i / 28)) {
                255
            } else {
                0
            }
        })
        .collect()
}

#[test]
fn digit_from_u8_pixels() {
    check_kind(
        "Digit",
        |v| Digit::new(digit_pixels(v), PixelScale::ZeroTo255),
        (168, 168),
    );
}

#[test]
fn digit_scale_is_the_one_given_not_guessed() {
    let bytes = digit_pixels(3);
    let normalized: Vec<f64> = bytes.iter().map(|&p| f64::from(p) / 255.0).collect();
    let a = Digit::new(&bytes, PixelScale::ZeroTo255).render();
    assert_eq!(a, Digit::new(&normalized, PixelScale::ZeroToOne).render());
    // 0..1 data read as 0..255 is nearly black: at most grey level 1 of 255.
    let dark = decode(&Digit::new(&normalized, PixelScale::ZeroTo255).render());
    assert!(dark.rgb.iter().all(|&c| c <= 1));
}

#[test]
fn digit_is_white_on_black_in_the_right_place() {
    // Only pixel (row 0, column 27) is lit: the top-right 6x6 block of a 168x168 picture.
    let mut pixels = vec![0.0; 784];
    pixels[27] = 1.0;
    let img = decode(&Digit::new(&pixels, PixelScale::ZeroToOne).render());
    assert_eq!(img.pixel(165, 2), [255, 255, 255]);
    assert_eq!(img.pixel(2, 2), [0, 0, 0]);
    assert_eq!(img.pixel(165, 10), [0, 0, 0]);
}

#[test]
#[should_panic(
    expected = "Digit::new: expected the pixels of a square image (784 for 28x28 MNIST), found 783 values"
)]
fn digit_of_783_pixels_panics_with_the_count() {
    let _ = Digit::new(vec![0.0; 783], PixelScale::ZeroToOne);
}

#[test]
fn digit_grid_with_predictions() {
    check_kind(
        "DigitGrid",
        |v| {
            (0..12).fold(DigitGrid::new(PixelScale::ZeroTo255).cols(6), |g, k| {
                g.prediction(digit_pixels(k % 5), k % 10, (k + v * (k % 3)) % 10)
            })
        },
        (600, 236),
    );
}

#[test]
fn wrong_predictions_are_marked_red() {
    let red_pixels = |fig: &Figure| {
        decode(fig)
            .rgb
            .chunks(3)
            .filter(|p| p[0] > 150 && p[1] < 90 && p[2] < 90)
            .count()
    };
    let grid = || DigitGrid::new(PixelScale::ZeroTo255);
    let right = grid().prediction(digit_pixels(0), 7, 7).render();
    let wrong = grid().prediction(digit_pixels(0), 7, 2).render();
    assert_eq!(red_pixels(&right), 0);
    assert!(
        red_pixels(&wrong) > 100,
        "{} red pixels",
        red_pixels(&wrong)
    );
}

#[test]
fn heatmap_of_a_weight_matrix() {
    check_kind(
        "Heatmap",
        |v| {
            let w = Array2::from_shape_fn((28, 28), |(r, c)| {
                (r as f64 - c as f64 * (1 + v) as f64) / 28.0
            });
            Heatmap::new(&w, 28).title("W1[:, 0]")
        },
        (400, 360),
    );
}

#[test]
fn subplots_size_is_the_sum_of_the_panels() {
    let a = LinePlot::new().line([0.0, 1.0], [0.0, 1.0]);
    let b = GatePlot::new([0, 0, 0, 1]).linear(0.5, 0.5, -0.7);
    let c = Digit::new(digit_pixels(0), PixelScale::ZeroTo255);
    // Cells take the largest panel: 480 wide (LinePlot), 360 high (GatePlot).
    let row = Subplots::row(&[&a, &b, &c]).render();
    assert_eq!((decode(&row).width, decode(&row).height), (3 * 480, 360));
    let grid = Subplots::grid(2, &[&a, &b, &c]).render();
    assert_eq!(
        (decode(&grid).width, decode(&grid).height),
        (2 * 480, 2 * 360)
    );
    let titled = Subplots::grid(2, &[&a, &b, &c]).title("three").render();
    assert_eq!(decode(&titled).height, 2 * 360 + 30);
    let sized = Subplots::grid(2, &[&a, &b, &c]).size(700, 500).render();
    assert_eq!((decode(&sized).width, decode(&sized).height), (700, 500));
    assert_eq!(
        sized,
        Subplots::grid(2, &[&a, &b, &c]).size(700, 500).render()
    );
}

#[test]
fn subplots_of_ten_panels_stay_small() {
    let x = arange(-5.0, 5.0, 0.1);
    let plots: Vec<LinePlot> = (0..10)
        .map(|k| LinePlot::new().line(&x, x.iter().map(|v| (v * k as f64 / 5.0).sin())))
        .collect();
    let refs: Vec<&dyn Chart> = plots.iter().map(|p| p as &dyn Chart).collect();
    let fig = Subplots::grid(5, &refs).size(1200, 480).render();
    assert!(
        fig.png_bytes().len() < 150_000,
        "{} bytes",
        fig.png_bytes().len()
    );
}

#[test]
fn evcxr_output_has_the_exact_protocol_framing() {
    let fig = LinePlot::new().line([0.0, 1.0], [1.0, 0.0]).render();
    let mut out = Vec::new();
    fig.write_evcxr(&mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.split('\n').collect();
    assert_eq!(lines.len(), 4, "three lines and a final newline");
    assert_eq!(lines[0], "EVCXR_BEGIN_CONTENT image/png");
    assert_eq!(lines[2], "EVCXR_END_CONTENT");
    assert_eq!(lines[3], "");
    let png = base64::engine::general_purpose::STANDARD
        .decode(lines[1])
        .unwrap();
    assert_eq!(png, fig.png_bytes());
}

#[test]
fn saved_file_holds_the_png_bytes() {
    let fig = QuiverPlot::new(|x0, x1| (-x0, -x1)).render();
    let path = std::env::temp_dir().join(format!("dlfs_plot_test_{}.png", std::process::id()));
    fig.save(&path).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), fig.png_bytes());
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn saving_into_a_missing_directory_is_an_error() {
    let fig = LinePlot::new().render();
    let err = fig
        .save("/nonexistent-dir-for-dlfs-plot/figure.png")
        .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
}

#[test]
fn titles_are_drawn_with_the_embedded_font() {
    // Text pixels above the plot's box (its top line is the first long grey row) appear
    // only when there is a title.
    let dark_rows_above_box = |fig: &Figure| {
        let img = decode(fig);
        let dark = |x, y| img.pixel(x, y)[0] < 100;
        let top = (0..img.height)
            .find(|&y| (0..img.width).filter(|&x| dark(x, y)).count() > 200)
            .expect("the plot's box");
        (0..top)
            .filter(|&y| (0..img.width).any(|x| dark(x, y)))
            .count()
    };
    let plain = LinePlot::new().line([0.0, 1.0], [0.0, 1.0]).render();
    let titled = LinePlot::new()
        .line([0.0, 1.0], [0.0, 1.0])
        .title("Loss")
        .render();
    assert_eq!(dark_rows_above_box(&plain), 0);
    assert!(
        dark_rows_above_box(&titled) > 6,
        "{}",
        dark_rows_above_box(&titled)
    );
}

/// The distinct colours of pixels that lie between white and `color` (blends of the two,
/// within 3 levels per channel of the straight line between them), `color` excluded.
fn blended_tints(img: &Decoded, color: [u8; 3]) -> usize {
    let mut tints = std::collections::BTreeSet::new();
    for p in img.rgb.chunks(3) {
        let p = [p[0], p[1], p[2]];
        if p == color || p == [255, 255, 255] {
            continue;
        }
        // How far from white toward `color`, judged by the channel that changes most.
        let t = f64::from(255 - p[2].min(p[0]).min(p[1]))
            / f64::from(255 - color[0].min(color[1]).min(color[2]));
        let on_line = (0..3).all(|k| {
            let expected = 255.0 - t * (255.0 - f64::from(color[k]));
            (f64::from(p[k]) - expected).abs() <= 3.0
        });
        if on_line && t > 0.0 && t < 1.0 {
            tints.insert(p);
        }
    }
    tints.len()
}

#[test]
fn fig_3_7_sigmoid_curve_is_anti_aliased_with_40_or_more_tints() {
    // Book 3.2.4: x = np.arange(-5.0, 5.0, 0.1), plt.ylim(-0.1, 1.1), tab10 blue.
    let x = arange(-5.0, 5.0, 0.1);
    let y: Vec<f64> = x.iter().map(|&a| 1.0 / (1.0 + (-a).exp())).collect();
    let fig = LinePlot::new().line(&x, &y).y_range(-0.1, 1.1).render();
    let tints = blended_tints(&decode(&fig), [31, 119, 180]);
    assert!(tints >= 40, "{tints} tints of the curve's blue");
}

#[test]
fn chinese_title_has_a_glyph_for_every_character() {
    // Each character drawn alone as a title must leave ink, and a different ink from the
    // others: the missing-glyph box would look the same for all of them.
    let title = "损失函数与学习率";
    let ink = |t: &str| {
        let img = decode(&LinePlot::new().size(200, 120).title(t).render());
        // The title row lies above the plot box, which starts below y = 24.
        let rows: Vec<u8> = (0..24 * img.width).map(|i| img.rgb[3 * i]).collect();
        rows
    };
    let blank = ink(" ");
    let mut seen: Vec<Vec<u8>> = Vec::new();
    for c in title.chars() {
        let drawn = ink(&c.to_string());
        let dark = drawn.iter().zip(&blank).filter(|(a, b)| a < b).count();
        assert!(dark > 15, "{c}: {dark} pixels of ink");
        assert!(
            !seen.contains(&drawn),
            "{c} looks like an earlier character"
        );
        seen.push(drawn);
    }
    // And the whole title in one line: wider than any one of its characters.
    let whole = ink(title);
    let dark = whole.iter().zip(&blank).filter(|(a, b)| a < b).count();
    assert!(dark > 8 * 15, "{dark}");
}

#[test]
fn bar_plot_of_class_probabilities() {
    check_kind(
        "BarPlot",
        |v| {
            let mut p = [0.02; 10];
            p[3 + v] = 0.82;
            BarPlot::new(p)
                .highlight(3)
                .x_label("class")
                .y_label("probability")
        },
        (480, 320),
    );
}

#[test]
fn highlighted_bar_is_orange_and_the_others_blue() {
    let count =
        |fig: &Figure, color: [u8; 3]| decode(fig).rgb.chunks(3).filter(|p| *p == color).count();
    let values = [0.5, 1.0, 0.5];
    let plain = BarPlot::new(values).render();
    let marked = BarPlot::new(values).highlight(1).render();
    let (blue, orange) = ([31, 119, 180], [255, 127, 14]);
    assert_eq!(count(&plain, orange), 0);
    // The middle bar is as tall as the other two together: about half the blue turns orange.
    let moved = count(&marked, orange) as f64 / count(&plain, blue) as f64;
    assert!((0.4..0.6).contains(&moved), "{moved}");
}

#[test]
fn without_a_y_range_a_steep_curve_is_not_cut_off() {
    // Like lr = 10 in a learning-rate sweep: one run far above the others.
    let steps: Vec<f64> = (0..20).map(f64::from).collect();
    let calm: Vec<f64> = steps.iter().map(|s| 2.0 / (1.0 + s)).collect();
    let wild: Vec<f64> = steps.iter().map(|s| 2.0 + s * s).collect();
    let fig = LinePlot::new()
        .line(&steps, &calm)
        .line(&steps, &wild)
        .render();
    let img = decode(&fig);
    let orange = |p: [u8; 3]| p == [255, 127, 14];
    // The curve's highest point (2 + 19^2 at the last step) is drawn: orange pixels in
    // the top tenth of the picture.
    let top = (0..img.height / 10)
        .flat_map(|y| (0..img.width).map(move |x| (x, y)))
        .filter(|&(x, y)| orange(img.pixel(x, y)))
        .count();
    assert!(top > 0);
}
