//! Every value of the book's chapters 2-4 that needs no MNIST, with the expected numbers
//! and tolerances taken from the table of values the book prints (book_values.md).
#![allow(clippy::excessive_precision)] // the digits are the ones the book prints

use approx::assert_abs_diff_eq;
use dlfs::ndarray::{array, Array1};
use dlfs::*;

const INPUTS: [(f64, f64); 4] = [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)];

fn truth_table(gate: fn(f64, f64) -> u8) -> Vec<u8> {
    INPUTS.iter().map(|&(a, b)| gate(a, b)).collect()
}

#[test]
fn gates_give_the_books_truth_tables_0001_1110_0111_0110() {
    assert_eq!(truth_table(and_gate), [0, 0, 0, 1]);
    assert_eq!(truth_table(nand_gate), [1, 1, 1, 0]);
    assert_eq!(truth_table(or_gate), [0, 1, 1, 1]);
    assert_eq!(truth_table(xor_gate), [0, 1, 1, 0]);
}

#[test]
fn gates_use_the_books_weights_and_biases() {
    assert_eq!(Perceptron::AND, Perceptron::new([0.5, 0.5], -0.7));
    assert_eq!(Perceptron::NAND, Perceptron::new([-0.5, -0.5], 0.7));
    assert_eq!(Perceptron::OR, Perceptron::new([0.5, 0.5], -0.2));
}

#[test]
fn sigmoid_of_minus1_1_2_is_0_269_0_731_0_881() {
    let y = sigmoid(&array![-1.0, 1.0, 2.0]);
    assert_abs_diff_eq!(
        y,
        array![0.26894142, 0.73105858, 0.88079708],
        epsilon = 1e-8
    );
}

#[test]
fn plot_grid_arange_minus5_5_step_0_1_has_100_points() {
    // np.arange(-5, 5, 0.1): start + k * step while below the stop
    let n = (0..)
        .map(|k| -5.0 + k as f64 * 0.1)
        .take_while(|&x| x < 5.0)
        .count();
    assert_eq!(n, 100);
    assert_eq!(Array1::range(-5.0, 5.0, 0.1).len(), 100);
}

#[test]
fn three_layer_forward_of_1_0_5_is_0_3168_0_6963() {
    let network = init_network();
    let y = forward(&network, &array![1.0, 0.5]);
    assert_abs_diff_eq!(
        y,
        array![0.3168270764110298, 0.6962790898619668],
        epsilon = 1e-12
    );
}

#[test]
fn softmax_of_0_3_2_9_4_0_is_0_018_0_245_0_737() {
    let y = softmax(&array![0.3, 2.9, 4.0]);
    assert_abs_diff_eq!(
        y,
        array![0.01821127, 0.24519181, 0.73659691],
        epsilon = 1e-8
    );
}

#[test]
fn naive_softmax_of_1010_1000_990_is_nan_and_stable_softmax_is_not() {
    let a = array![1010.0, 1000.0, 990.0];
    assert!(softmax_naive(&a).iter().all(|v| v.is_nan()));
    let y = softmax(&a);
    let expected = [9.99954600e-01, 4.53978686e-05, 2.06106005e-09];
    for (got, want) in y.iter().zip(expected) {
        assert!(((got - want) / want).abs() < 1e-8, "{got} vs {want}");
    }
}

fn t_two() -> Array1<f64> {
    array![0., 0., 1., 0., 0., 0., 0., 0., 0., 0.]
}

fn y_bets_on_2() -> Array1<f64> {
    array![0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]
}

fn y_bets_on_7() -> Array1<f64> {
    array![0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0]
}

#[test]
fn sum_of_squares_error_is_0_0975_and_0_5975() {
    assert_abs_diff_eq!(
        mean_squared_error(&y_bets_on_2(), &t_two()),
        0.0975,
        epsilon = 1e-12
    );
    assert_abs_diff_eq!(
        mean_squared_error(&y_bets_on_7(), &t_two()),
        0.5975,
        epsilon = 1e-12
    );
    assert_abs_diff_eq!(
        sum_squared_error(&y_bets_on_7(), &t_two()),
        0.5975,
        epsilon = 1e-12
    );
}

#[test]
fn cross_entropy_is_0_5108_and_2_3026() {
    let e1 = cross_entropy_error(&y_bets_on_2(), &t_two());
    let e2 = cross_entropy_error(&y_bets_on_7(), &t_two());
    assert_abs_diff_eq!(e1, 0.510825457099338, epsilon = 1e-12);
    assert_abs_diff_eq!(e2, 2.302584092994546, epsilon = 1e-12);
}

#[test]
fn batch_cross_entropy_averages_the_two_book_examples_in_both_forms() {
    // Independent math: the mean of the two single-sample values above.
    let expected = (0.510825457099338 + 2.302584092994546) / 2.0;
    let mut y = dlfs::ndarray::Array2::zeros((2, 10));
    y.row_mut(0).assign(&y_bets_on_2());
    y.row_mut(1).assign(&y_bets_on_7());
    let t = one_hot(&[2, 2], 10);
    assert_abs_diff_eq!(cross_entropy_error(&y, &t), expected, epsilon = 1e-12);
    assert_abs_diff_eq!(cross_entropy_error(&y, &[2, 2]), expected, epsilon = 1e-12);
}

/// `numerical_diff(f, x)` is the value the book prints, within `epsilon`.
fn assert_book_diff(f: impl Fn(f64) -> f64, x: f64, book: f64, epsilon: f64) {
    assert_abs_diff_eq!(numerical_diff(f, x), book, epsilon = epsilon);
}

#[test]
fn numerical_diff_of_0_01x2_plus_0_1x_is_0_2_and_0_3() {
    let function_1 = |x: f64| 0.01 * x.powi(2) + 0.1 * x; // the book: 0.01*x**2 + 0.1*x
    assert_book_diff(function_1, 5.0, 0.1999999999990898, 1e-12);
    assert_book_diff(function_1, 10.0, 0.2999999999986347, 1e-12);
}

#[test]
fn partial_derivatives_of_x0_2_plus_x1_2_at_3_4_are_6_and_8() {
    let function_tmp1 = |x0: f64| x0 * x0 + 4.0 * 4.0;
    let function_tmp2 = |x1: f64| 3.0 * 3.0 + x1 * x1;
    assert_book_diff(function_tmp1, 3.0, 6.00000000000378, 1e-10);
    assert_book_diff(function_tmp2, 4.0, 7.999999999999119, 1e-10);
}

fn function_2(x: &Array1<f64>) -> f64 {
    x.iter().map(|v| v * v).sum()
}

#[test]
fn numerical_gradient_of_x0_2_plus_x1_2_at_three_points() {
    for (point, expected) in [
        (array![3.0, 4.0], array![6.0, 8.0]),
        (array![0.0, 2.0], array![0.0, 4.0]),
        (array![3.0, 0.0], array![6.0, 0.0]),
    ] {
        let mut x = point.clone();
        let grad = numerical_gradient(function_2, &mut x);
        assert_abs_diff_eq!(grad, expected, epsilon = 1e-6);
        assert_eq!(x, point);
    }
}

#[test]
fn gradient_descent_from_minus3_4_reaches_the_books_point() {
    let (x, history) = gradient_descent(function_2, array![-3.0, 4.0], 0.1, 100);
    assert_abs_diff_eq!(x[0], -6.111107928998789e-10, epsilon = 1e-15);
    assert_abs_diff_eq!(x[1], 8.148143905314271e-10, epsilon = 1e-15);
    assert_eq!(history.row(0), array![-3.0, 4.0]);
    assert_eq!(history.nrows(), 100);
}

fn book_simple_net() -> SimpleNet {
    SimpleNet::from_weights(array![
        [0.47355232, 0.9977393, 0.84668094],
        [0.85557411, 0.03563661, 0.69422093]
    ])
}

#[test]
fn simple_net_predicts_loss_and_gradient_as_the_book() {
    let mut net = book_simple_net();
    let x = array![0.6, 0.9];
    let t = array![0.0, 0.0, 1.0];
    assert_abs_diff_eq!(
        net.predict(&x),
        array![1.05414809, 0.63071653, 1.1328074],
        epsilon = 1e-6
    );
    assert_abs_diff_eq!(net.loss(&x, &t), 0.92806853663411326, epsilon = 1e-6);
    let dw = net.numerical_gradient(&x, &t);
    let expected = array![
        [0.21924763, 0.14356247, -0.36281009],
        [0.32887144, 0.2153437, -0.54421514]
    ];
    assert_abs_diff_eq!(dw, expected, epsilon = 1e-6);
    assert_eq!(
        net,
        book_simple_net(),
        "the weights are restored after the gradient"
    );
}
