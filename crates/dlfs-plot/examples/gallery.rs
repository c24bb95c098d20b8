use dlfs_plot::*;
fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or("/tmp/plotscratch".into()));
    let x: Vec<f64> = (-50..50).map(|i| i as f64 * 0.1).collect();
    let sig: Vec<f64> = x.iter().map(|&v| 1.0 / (1.0 + (-v).exp())).collect();
    let step: Vec<f64> = x.iter().map(|&v| if v > 0.0 { 1.0 } else { 0.0 }).collect();
    let p = LinePlot::new().line(&x, &sig).label("sigmoid").line(&x, &step).label("step function").dashed().y_range(-0.1, 1.1).title("Figure 3-8").x_label("x").y_label("y");
    p.save(dir.join("line.png")).unwrap();
    let g1 = GatePlot::new([0, 1, 1, 1]).linear(1.0, 1.0, -0.5).title("OR");
    let g2 = GatePlot::new([0, 1, 1, 0]).title("XOR");
    let step = |v: f64| v > 0.0;
    let g3 = GatePlot::new([0, 1, 1, 0]).region(move |x1, x2| step(-0.5*x1-0.5*x2+0.7) && step(0.5*x1+0.5*x2-0.2)).title("XOR = AND(NAND, OR)");
    let f = Subplots::row(&[&g1, &g2, &g3]).render();
    println!("{f:?}");
    f.save(dir.join("gates.png")).unwrap();
    let s = SurfacePlot::new(|a, b| a * a + b * b).render();
    println!("{s:?}");
    s.save(dir.join("surface.png")).unwrap();
}
fn _x() {}
