use dlfs_plot::{Chart, GatePlot, LinePlot, Subplots};
fn main() {
    let outputs = |f: fn(f64, f64) -> u8| {
        [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)].map(|(a, b)| f(a, b))
    };
    let or = |a: f64, b: f64| u8::from(a + b - 0.5 > 0.0);
    let xor = |a: f64, b: f64| u8::from((a > 0.5) != (b > 0.5));
    let or_line = GatePlot::new(outputs(or))
        .linear(1.0, 1.0, -0.5)
        .title("fig 2-6: OR, one line");
    let xor_points = GatePlot::new(outputs(xor)).title("fig 2-7: XOR");
    let xor_curve = GatePlot::new(outputs(xor))
        .region(|x1, x2| {
            let (u, v) = (x1 - x2, x1 + x2 - 1.0);
            (u / 1.5).powi(2) + (v / 0.6).powi(2) < 1.0
        })
        .title("fig 2-8: XOR, a curve");
    Subplots::row(&[&or_line, &xor_points, &xor_curve])
        .size(960, 330)
        .save("/tmp/s1.png")
        .unwrap();
    let (mut loss, mut acc) = (LinePlot::new(), LinePlot::new());
    for (k, lr) in [0.01, 0.1, 1.0, 10.0].iter().enumerate() {
        let xs: Vec<f64> = (1..=2000).map(|i| i as f64 / 600.0).collect();
        let ys: Vec<f64> = xs
            .iter()
            .enumerate()
            .map(|(i, &e)| {
                if k == 3 {
                    2.3 + 0.8 * ((i as f64) * 0.37).sin().abs() + e
                } else {
                    2.3 * (-e * lr * 3.0).exp() + 0.3 + 0.02 * ((i as f64) * 0.7).sin()
                }
            })
            .collect();
        loss = loss.line(&xs, &ys).label(format!("lr = {lr}"));
        let ep: Vec<f64> = (0..=4).map(|e| e as f64 * 0.8).collect();
        let a: Vec<f64> = ep
            .iter()
            .map(|&e| {
                if k == 3 {
                    0.1
                } else {
                    0.95 - 0.85 * (-e * lr * 4.0).exp()
                }
            })
            .collect();
        acc = acc.line(&ep, &a).label(format!("lr = {lr}")).markers();
    }
    let loss = loss.x_label("epochs").y_label("loss (moving average)");
    let acc = acc
        .x_label("epochs")
        .y_label("test accuracy")
        .y_range(0.0, 1.0);
    let f = Subplots::row(&[&loss, &acc])
        .title("learning rate")
        .size(960, 340)
        .render();
    println!("{}", f.png_bytes().len());
    f.save("/tmp/s2.png").unwrap();
}
