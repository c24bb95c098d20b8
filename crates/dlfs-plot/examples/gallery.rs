//! Writes one PNG per figure kind of dlfs-plot, retelling the book's figures, into the
//! directory given as the first argument (default `docs/img`):
//!
//! ```text
//! cargo run --release -p dlfs-plot --example gallery -- docs/img
//! ```
//!
//! The MNIST figures read `data/mnist/*.gz` of this repository and train a small softmax
//! regression on them here (so the losses, accuracies and predictions shown are real);
//! without those files they are skipped.

mod common;

use std::error::Error;
use std::io::Read;
use std::path::Path;

use dlfs_plot::{
    BarPlot, Chart, ContourPlot, Digit, DigitGrid, GatePlot, Heatmap, LinePlot, PixelScale,
    QuiverPlot, Subplots, SurfacePlot,
};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

fn main() -> Result<()> {
    let dir = common::out_dir("docs/img")?;
    let save = |name: &str, chart: &dyn Chart| common::save(&dir, name, chart);

    // Chapter 2: perceptrons.
    let or = GatePlot::new([0, 1, 1, 1])
        .linear(1.0, 1.0, -0.5)
        .title("OR: -0.5 + x1 + x2 > 0");
    save("fig2-6_or_perceptron.png", &or)?;
    save(
        "fig2-7_xor_points.png",
        &GatePlot::new([0, 1, 1, 0]).title("XOR"),
    )?;
    let step = |v: f64| v > 0.0;
    let xor = move |x1: f64, x2: f64| {
        let s1 = step(-0.5 * x1 - 0.5 * x2 + 0.7); // NAND
        let s2 = step(0.5 * x1 + 0.5 * x2 - 0.2); // OR
        step(0.5 * f64::from(u8::from(s1)) + 0.5 * f64::from(u8::from(s2)) - 0.7)
        // AND
    };
    let xor_plot = GatePlot::new([0, 1, 1, 0])
        .region(xor)
        .title("XOR = AND(NAND, OR)");
    save("fig2-8_xor_region.png", &xor_plot)?;
    let and = GatePlot::new([0, 0, 0, 1])
        .linear(0.5, 0.5, -0.7)
        .title("AND");
    let nand = GatePlot::new([1, 1, 1, 0])
        .linear(-0.5, -0.5, 0.7)
        .title("NAND");
    let or = GatePlot::new([0, 1, 1, 1])
        .linear(0.5, 0.5, -0.2)
        .title("OR");
    save(
        "gates_subplots.png",
        &Subplots::row(&[&and, &nand, &or]).size(960, 340),
    )?;

    // Chapter 3: activation functions on the book's np.arange(-5.0, 5.0, 0.1).
    let x: Vec<f64> = (0..100).map(|i| -5.0 + 0.1 * i as f64).collect();
    let step_y: Vec<f64> = x.iter().map(|&v| f64::from(u8::from(v > 0.0))).collect();
    let sigmoid_y: Vec<f64> = x.iter().map(|&v| 1.0 / (1.0 + (-v).exp())).collect();
    let relu_y: Vec<f64> = x.iter().map(|&v| v.max(0.0)).collect();
    let step_plot = LinePlot::new()
        .line(&x, &step_y)
        .y_range(-0.1, 1.1)
        .title("step function");
    save("fig3-6_step_function.png", &step_plot)?;
    let sigmoid_plot = LinePlot::new()
        .line(&x, &sigmoid_y)
        .y_range(-0.1, 1.1)
        .title("sigmoid");
    save("fig3-7_sigmoid.png", &sigmoid_plot)?;
    let compare = LinePlot::new()
        .line(&x, &sigmoid_y)
        .label("sigmoid")
        .line(&x, &step_y)
        .label("step function")
        .dashed()
        .y_range(-0.1, 1.1)
        .x_label("x")
        .y_label("y");
    save("fig3-8_sigmoid_and_step.png", &compare)?;
    let relu_plot = LinePlot::new()
        .line(&x, &relu_y)
        .y_range(-1.0, 5.5)
        .title("ReLU");
    save("fig3-9_relu.png", &relu_plot)?;
    let activations = Subplots::row(&[&step_plot, &sigmoid_plot, &relu_plot])
        .title("Activation functions")
        .size(960, 300);
    save("activations_subplots.png", &activations)?;

    // Chapter 4: numerical differentiation and gradients.
    let function_1 = |x: f64| 0.01 * x * x + 0.1 * x;
    let numerical_diff = |f: &dyn Fn(f64) -> f64, x: f64| {
        let h = 1e-4;
        (f(x + h) - f(x - h)) / (2.0 * h)
    };
    let x: Vec<f64> = (0..200).map(|i| 0.1 * i as f64).collect();
    let y: Vec<f64> = x.iter().map(|&v| function_1(v)).collect();
    save(
        "fig4-6_function_1.png",
        &LinePlot::new().line(&x, &y).x_label("x").y_label("f(x)"),
    )?;
    let tangent_plot = |at: f64| {
        let d = numerical_diff(&function_1, at);
        let tangent: Vec<f64> = x.iter().map(|&v| d * (v - at) + function_1(at)).collect();
        LinePlot::new()
            .line(&x, &y)
            .label("f(x)")
            .line(&x, &tangent)
            .label(format!("tangent at x = {at}"))
            .dashed()
            .x_label("x")
            .y_label("f(x)")
    };
    let (t5, t10) = (tangent_plot(5.0), tangent_plot(10.0));
    save(
        "fig4-7_tangents.png",
        &Subplots::row(&[&t5, &t10]).size(960, 320),
    )?;
    let function_2 = |x0: f64, x1: f64| x0 * x0 + x1 * x1;
    save("fig4-8_surface.png", &SurfacePlot::new(function_2))?;
    let minus_grad = |x0: f64, x1: f64| (-2.0 * x0, -2.0 * x1);
    save(
        "fig4-9_gradient_field.png",
        &QuiverPlot::new(minus_grad).step(0.25),
    )?;
    let descent = |lr: f64, steps: usize| {
        let (mut xs, mut ys) = (vec![-3.0], vec![4.0]);
        for _ in 0..steps {
            let (x0, x1) = (xs[xs.len() - 1], ys[ys.len() - 1]);
            let (g0, g1) = minus_grad(x0, x1);
            xs.push(x0 + lr * g0);
            ys.push(x1 + lr * g1);
        }
        (xs, ys)
    };
    let (xs, ys) = descent(0.1, 20);
    let contour = ContourPlot::new(function_2)
        .path(&xs, &ys)
        .label("lr = 0.1, 20 steps")
        .x_range(-3.5, 3.5)
        .y_range(-4.5, 4.5)
        .size(380, 460);
    save("fig4-10_gradient_descent.png", &contour)?;
    // Several runs overlaid: f(x) along gradient descent for a sweep of learning rates.
    let sweep = [0.01, 0.05, 0.2, 0.5, 1.01]
        .into_iter()
        .fold(LinePlot::new(), |plot, lr| {
            let (xs, ys) = descent(lr, 30);
            let f: Vec<f64> = xs
                .iter()
                .zip(&ys)
                .map(|(&a, &b)| function_2(a, b))
                .collect();
            plot.line(0..f.len(), f).label(format!("lr = {lr}"))
        })
        .y_range(0.0, 30.0)
        .x_label("step")
        .y_label("f(x0, x1)")
        .title("learning-rate sweep");
    save("lr_sweep.png", &sweep)?;
    // Chinese text: the CJK font fills in what DejaVu Sans lacks.
    let (xs, ys) = descent(0.1, 20);
    let f: Vec<f64> = xs
        .iter()
        .zip(&ys)
        .map(|(&a, &b)| function_2(a, b))
        .collect();
    save(
        "cjk_title.png",
        &LinePlot::new()
            .line(0..f.len(), f)
            .label("学习率 lr = 0.1")
            .markers()
            .title("损失函数与学习率")
            .x_label("步数 (step)")
            .y_label("损失 (loss)"),
    )?;

    // MNIST: a digit, a trained model's predictions, loss and accuracy curves.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/mnist");
    match load(&root) {
        Ok(mnist) => mnist_figures(&mnist, &save)?,
        Err(e) => eprintln!("skipping the MNIST figures: {e}"),
    }
    Ok(())
}

/// The first images and labels of the MNIST training and test sets, pixels in 0..=1.
struct Mnist {
    train_x: Vec<Vec<f64>>,
    train_t: Vec<usize>,
    test_x: Vec<Vec<f64>>,
    test_t: Vec<usize>,
}

/// Reads the first `n` records of a gzipped IDX file after its `header` bytes.
fn read_idx(path: &Path, header: usize, record: usize, n: usize) -> Result<Vec<u8>> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut bytes = vec![0u8; header + record * n];
    flate2::read::GzDecoder::new(file)
        .read_exact(&mut bytes)
        .map_err(|e| format!("{}: expected {} bytes: {e}", path.display(), bytes.len()))?;
    Ok(bytes.split_off(header))
}

fn load(root: &Path) -> Result<Mnist> {
    let images = |name: &str, n: usize| -> Result<Vec<Vec<f64>>> {
        let bytes = read_idx(&root.join(name), 16, 784, n)?;
        Ok(bytes
            .chunks(784)
            .map(|c| c.iter().map(|&p| f64::from(p) / 255.0).collect())
            .collect())
    };
    let labels = |name: &str, n: usize| -> Result<Vec<usize>> {
        Ok(read_idx(&root.join(name), 8, 1, n)?
            .into_iter()
            .map(usize::from)
            .collect())
    };
    Ok(Mnist {
        train_x: images("train-images-idx3-ubyte.gz", 10_000)?,
        train_t: labels("train-labels-idx1-ubyte.gz", 10_000)?,
        test_x: images("t10k-images-idx3-ubyte.gz", 2_000)?,
        test_t: labels("t10k-labels-idx1-ubyte.gz", 2_000)?,
    })
}

/// Softmax regression y = softmax(x W + b), the one-layer cousin of the book's TwoLayerNet.
struct Softmax {
    w: Vec<f64>, // 784 x 10, row-major
    b: [f64; 10],
}

impl Softmax {
    fn predict(&self, x: &[f64]) -> [f64; 10] {
        let mut a = self.b;
        for (i, &xi) in x.iter().enumerate().filter(|(_, v)| **v != 0.0) {
            for (k, ak) in a.iter_mut().enumerate() {
                *ak += xi * self.w[i * 10 + k];
            }
        }
        let max = a.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let exp = a.map(|v| (v - max).exp());
        let sum: f64 = exp.iter().sum();
        exp.map(|v| v / sum)
    }

    fn argmax(&self, x: &[f64]) -> usize {
        let y = self.predict(x);
        (0..10).fold(0, |best, k| if y[k] > y[best] { k } else { best })
    }

    fn accuracy(&self, x: &[Vec<f64>], t: &[usize]) -> f64 {
        let right = x
            .iter()
            .zip(t)
            .filter(|(x, &t)| self.argmax(x) == t)
            .count();
        right as f64 / x.len() as f64
    }
}

fn mnist_figures(m: &Mnist, save: &dyn Fn(&str, &dyn Chart) -> Result<()>) -> Result<()> {
    save(
        "mnist_digit.png",
        &Digit::new(&m.train_x[0], PixelScale::ZeroToOne)
            .title(format!("x_train[0], label {}", m.train_t[0])),
    )?;

    // Mini-batch SGD with a fixed linear congruential sequence, so reruns match.
    let (batch_size, iters_num, lr) = (100, 1000, 0.5);
    let iter_per_epoch = m.train_x.len() / batch_size;
    let mut net = Softmax {
        w: vec![0.0; 7840],
        b: [0.0; 10],
    };
    let mut seed: u64 = 42;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    let (mut losses, mut train_acc, mut test_acc) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..iters_num {
        let mut grad_w = vec![0.0; 7840];
        let mut grad_b = [0.0; 10];
        let mut loss = 0.0;
        for _ in 0..batch_size {
            let n = next() % m.train_x.len();
            let (x, t) = (&m.train_x[n], m.train_t[n]);
            let mut y = net.predict(x);
            loss -= (y[t] + 1e-7).ln();
            y[t] -= 1.0;
            for (j, &xj) in x.iter().enumerate().filter(|(_, v)| **v != 0.0) {
                for k in 0..10 {
                    grad_w[j * 10 + k] += xj * y[k];
                }
            }
            for k in 0..10 {
                grad_b[k] += y[k];
            }
        }
        let scale = lr / batch_size as f64;
        net.w
            .iter_mut()
            .zip(&grad_w)
            .for_each(|(w, g)| *w -= scale * g);
        net.b
            .iter_mut()
            .zip(&grad_b)
            .for_each(|(b, g)| *b -= scale * g);
        losses.push(loss / batch_size as f64);
        if i % iter_per_epoch == 0 {
            train_acc.push(net.accuracy(&m.train_x[..2000], &m.train_t[..2000]));
            test_acc.push(net.accuracy(&m.test_x, &m.test_t));
        }
    }
    save(
        "fig4-11_loss.png",
        &LinePlot::new()
            .line(0..losses.len(), &losses)
            .x_label("iteration")
            .y_label("loss")
            .title("softmax regression, batch 100, lr 0.5"),
    )?;
    save(
        "fig4-12_accuracy.png",
        &LinePlot::new()
            .line(0..train_acc.len(), &train_acc)
            .label("train acc")
            .markers()
            .line(0..test_acc.len(), &test_acc)
            .label("test acc")
            .markers()
            .dashed()
            .x_label("epochs")
            .y_label("accuracy")
            .y_range(0.0, 1.0),
    )?;
    let grid = m
        .test_x
        .iter()
        .zip(&m.test_t)
        .take(30)
        .fold(DigitGrid::new(PixelScale::ZeroToOne), |g, (x, &t)| {
            g.prediction(x, t, net.argmax(x))
        })
        .title("test images: label / prediction of the softmax regression");
    save("mnist_predictions.png", &grid)?;
    let y = net.predict(&m.test_x[0]);
    save(
        "mnist_probabilities.png",
        &BarPlot::new(y)
            .highlight(m.test_t[0])
            .title(format!(
                "softmax output for x_test[0] (label {})",
                m.test_t[0]
            ))
            .x_label("class")
            .y_label("probability"),
    )?;
    let w0: Vec<f64> = (0..784).map(|j| net.w[j * 10]).collect();
    save(
        "weights_heatmap.png",
        &Heatmap::new(&w0, 28).title("weights of class 0 (column 0 of W)"),
    )?;
    Ok(())
}
