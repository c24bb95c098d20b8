//! Draws six of the book's figures with dlfs-plot, the same data and ranges as the
//! book's own scripts, into the directory given as the first argument; used by
//! `tools/compare_figures.py`, which draws them with matplotlib beside these:
//!
//! ```text
//! cargo run --release -p dlfs-plot --example book_figures -- /tmp/figures
//! ```

use std::error::Error;
use std::path::PathBuf;

use dlfs::ndarray::{array, Array1};
use dlfs_plot::{Chart, LinePlot, QuiverPlot};

fn main() -> Result<(), Box<dyn Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "figures".into()));
    std::fs::create_dir_all(&dir)?;
    let save = |name: &str, chart: &dyn Chart| -> Result<(), Box<dyn Error>> {
        let path = dir.join(name);
        chart.render().save(&path)?;
        println!("{}", path.display());
        Ok(())
    };
    let x = Array1::range(-5.0, 5.0, 0.1); // np.arange(-5.0, 5.0, 0.1)

    // Figure 3-7 (ch03/sigmoid.py).
    let sigmoid = dlfs::sigmoid(&x);
    save(
        "fig3-7.png",
        &LinePlot::new().line(&x, &sigmoid).y_range(-0.1, 1.1),
    )?;

    // Figure 3-8 (ch03/sig_step_compare.py).
    let step = dlfs::step_function(&x);
    save(
        "fig3-8.png",
        &LinePlot::new()
            .line(&x, &sigmoid)
            .line(&x, &step)
            .dashed()
            .y_range(-0.1, 1.1),
    )?;

    // Figure 3-9 (ch03/relu.py).
    save(
        "fig3-9.png",
        &LinePlot::new().line(&x, dlfs::relu(&x)).y_range(-1.0, 5.5),
    )?;

    // Figure 4-7 (ch04/gradient_1d.py): function_1 and its tangent at x = 5.
    let function_1 = |x: f64| 0.01 * x * x + 0.1 * x;
    let x1 = Array1::range(0.0, 20.0, 0.1);
    let d = dlfs::numerical_diff(function_1, 5.0);
    let tangent = x1.mapv(|t| d * t + function_1(5.0) - d * 5.0);
    save(
        "fig4-7.png",
        &LinePlot::new()
            .line(&x1, x1.mapv(function_1))
            .line(&x1, &tangent)
            .x_label("x")
            .y_label("f(x)"),
    )?;

    // Figure 4-9 (ch04/gradient_2d.py): the negative gradient of function_2.
    let function_2 = |x: &Array1<f64>| x[0] * x[0] + x[1] * x[1];
    save(
        "fig4-9.png",
        &QuiverPlot::new(|x0, x1| {
            let grad = dlfs::numerical_gradient(function_2, &mut array![x0, x1]);
            (-grad[0], -grad[1])
        })
        .step(0.25)
        .x_label("x0")
        .y_label("x1"),
    )?;

    // Figure 4-10 (ch04/gradient_method.py): 20 steps of gradient descent, lr = 0.1.
    let (_, history) = dlfs::gradient_descent(function_2, array![-3.0, 4.0], 0.1, 20);
    save(
        "fig4-10.png",
        &LinePlot::new()
            .line([-5.0, 5.0], [0.0, 0.0])
            .dashed()
            .line([0.0, 0.0], [-5.0, 5.0])
            .dashed()
            .points(history.column(0), history.column(1))
            .x_range(-3.5, 3.5)
            .y_range(-4.5, 4.5)
            .x_label("X0")
            .y_label("X1"),
    )?;
    Ok(())
}
