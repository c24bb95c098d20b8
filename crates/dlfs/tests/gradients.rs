//! Numerical and backprop gradients agree; the numerical gradient leaves its input as it
//! found it, even when the function panics.

use dlfs::ndarray::{array, Array1, Array2};
use dlfs::*;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// A batch whose inputs are about 60% zeros, like MNIST pixels, with random labels.
fn batch(
    rng: &mut SeededRng,
    n: usize,
    inputs: usize,
    classes: usize,
) -> (Array2<f64>, Vec<usize>) {
    use dlfs::rand::Rng;
    let x = Array2::from_shape_simple_fn((n, inputs), || {
        if rng.random_bool(0.6) {
            0.0
        } else {
            rng.random_range(0.0..1.0)
        }
    });
    let t = (0..n).map(|_| rng.random_range(0..classes)).collect();
    (x, t)
}

// The numerical gradient differentiates the book's loss -log(y + 1e-7), backprop the exact
// -log(y): they differ by a relative 1e-7 / y. Batches of several samples and probabilities
// that are not tiny keep that well below the 1e-6 bar, as on MNIST.
#[test]
fn backprop_matches_numerical_gradient_on_networks_of_several_shapes() {
    let mut rng = seeded_rng(7);
    for &(inputs, hidden, classes, n, std) in &[
        (2, 3, 2, 10, 1.0),
        (5, 4, 3, 7, 0.5),
        (20, 10, 10, 16, 0.1),
        (64, 30, 10, 32, 0.01),
    ] {
        let mut net = TwoLayerNet::new(inputs, hidden, classes, std, &mut rng);
        // random nonzero biases, so that their gradients are tested too
        net.b1 = randn(&mut rng, hidden) * 0.1;
        net.b2 = randn(&mut rng, classes) * 0.1;
        let (x, t) = batch(&mut rng, n, inputs, classes);
        let backprop = net.gradient(&x, &t);
        let numerical = net.numerical_gradient(&x, &t);
        let check = numerical.compare(&backprop);
        assert!(
            check.max_abs_diff() < 1e-6,
            "shape {inputs}-{hidden}-{classes}, batch {n}:\n{check}"
        );
        // one-hot targets give the same gradient as labels
        let t1 = one_hot(&t, classes);
        assert!(net.gradient(&x, &t1).compare(&backprop).max_abs_diff() < 1e-15);
    }
}

#[test]
fn fast_numerical_gradient_matches_the_book_style_one() {
    let mut rng = seeded_rng(11);
    for &(inputs, hidden, classes, n) in &[(3, 2, 2, 4), (30, 12, 10, 20), (100, 20, 10, 50)] {
        let mut net = TwoLayerNet::new(inputs, hidden, classes, 0.5, &mut rng);
        net.b1 = randn(&mut rng, hidden) * 0.1;
        let (x, t) = batch(&mut rng, n, inputs, classes);
        let fast = net.numerical_gradient_fast(&x, &t);
        let slow = net.numerical_gradient(&x, &t);
        let check = fast.compare(&slow);
        assert!(check.max_abs_diff() < 1e-9, "{check}");
        let t1 = one_hot(&t, classes);
        assert!(
            net.numerical_gradient_fast(&x, &t1)
                .compare(&fast)
                .max_abs_diff()
                < 1e-12
        );
    }
}

#[test]
fn layered_net_backprop_matches_numerical_gradient() {
    let mut rng = seeded_rng(3);
    let net = LayeredNet::random(&[6, 5, 4, 3], 0.8, &mut rng);
    let (x, t) = batch(&mut rng, 9, 6, 3);
    let grads = net.gradient(&x, &t);
    for (k, Layer { w: gw, b: gb }) in grads.layers.iter().enumerate() {
        let mut state = net.clone();
        let dw = numerical_gradient_of(&mut state, |n| &mut n.layers[k].w, |n| n.loss(&x, &t));
        let db = numerical_gradient_of(&mut state, |n| &mut n.layers[k].b, |n| n.loss(&x, &t));
        let check = GradientCheck::new().param("W", &dw, gw).param("b", &db, gb);
        assert!(check.max_abs_diff() < 1e-6, "layer {k}:\n{check}");
        assert_eq!(state, net);
    }
}

#[test]
fn numerical_gradient_restores_its_input_when_the_function_panics() {
    let original = array![[1.0, 2.0], [3.0, 4.0]];
    let mut x = original.clone();
    let mut calls = 0;
    let result = catch_unwind(AssertUnwindSafe(|| {
        numerical_gradient(
            |x: &Array2<f64>| {
                calls += 1;
                if calls == 4 {
                    // panics while x[0][1] is perturbed to 2 - h
                    assert_eq!(x[[0, 1]], 2.0 - 1e-4);
                    panic!("loss function failed");
                }
                x.sum()
            },
            &mut x,
        )
    }));
    assert!(result.is_err());
    assert_eq!(x, original);
}

#[test]
fn numerical_gradient_of_restores_the_network_when_the_loss_panics() {
    let mut net = TwoLayerNet::new(3, 2, 2, 1.0, &mut seeded_rng(0));
    let before = net.clone();
    let mut calls = 0;
    let result = catch_unwind(AssertUnwindSafe(|| {
        numerical_gradient_of(
            &mut net,
            |n| &mut n.w1,
            |n| {
                calls += 1;
                if calls == 3 {
                    panic!("boom");
                }
                n.w1.sum()
            },
        )
    }));
    assert!(result.is_err());
    assert_eq!(net, before);
}

#[test]
fn numerical_gradient_works_on_fortran_order_and_3d_arrays() {
    let f = |x: &dlfs::ndarray::Array3<f64>| x.iter().map(|v| v * v * v).sum::<f64>();
    let mut x =
        dlfs::ndarray::Array3::from_shape_fn((2, 3, 4), |(a, b, c)| (a + b + c) as f64 * 0.5);
    let grad = numerical_gradient(f, &mut x);
    // d/dx x^3 = 3x^2, central difference error is h^2 = 1e-8
    for (g, v) in grad.iter().zip(x.iter()) {
        assert!((g - 3.0 * v * v).abs() < 1e-6);
    }
    let mut xf = array![[1.0, 2.0], [3.0, 4.0]].reversed_axes(); // Fortran order
    let before = xf.clone();
    let g = numerical_gradient(|x: &Array2<f64>| x[[0, 1]] * 10.0, &mut xf);
    assert!((g[[0, 1]] - 10.0).abs() < 1e-9 && g[[1, 0]].abs() < 1e-12);
    assert_eq!(xf, before);
}

#[test]
fn gradient_descent_with_too_large_or_too_small_learning_rates() {
    let function_2 = |x: &Array1<f64>| x.iter().map(|v| v * v).sum::<f64>();
    // Book 4.4.1: lr = 10 diverges to huge values, lr = 1e-10 barely moves.
    // Independent math: each step multiplies x by (1 - 2 lr).
    let (big, _) = gradient_descent(function_2, array![-3.0, 4.0], 10.0, 100);
    assert!(big[0].abs() > 1e10);
    let (small, _) = gradient_descent(function_2, array![-3.0, 4.0], 1e-10, 100);
    let factor = (1.0 - 2e-10f64).powi(100);
    assert!((small[0] - -3.0 * factor).abs() < 1e-9);
}
