//! Shape mismatches panic with a message naming the function and both shapes.

use dlfs::ndarray::{array, Array1, Array2};
use dlfs::*;

#[test]
#[should_panic(
    expected = "cross_entropy_error: y has shape [2, 3] but the one-hot t has shape [2, 4]"
)]
fn cross_entropy_names_both_shapes() {
    cross_entropy_error(&Array2::<f64>::zeros((2, 3)), &Array2::<f64>::zeros((2, 4)));
}

#[test]
#[should_panic(
    expected = "cross_entropy_error: y has shape [2, 3] (2 samples) but t holds 3 labels"
)]
fn cross_entropy_names_label_count() {
    cross_entropy_error(&Array2::<f64>::zeros((2, 3)), &[0, 1, 2]);
}

#[test]
#[should_panic(
    expected = "cross_entropy_error: label 5 at position 1 is out of range for y of shape [2, 3]"
)]
fn cross_entropy_names_bad_label() {
    cross_entropy_error(&Array2::<f64>::zeros((2, 3)), &[0, 5]);
}

#[test]
#[should_panic(expected = "mean_squared_error: y has shape [3] but t has shape [2]")]
fn mean_squared_error_names_both_shapes() {
    mean_squared_error(&array![1.0, 2.0, 3.0], &array![1.0, 2.0]);
}

#[test]
#[should_panic(expected = "TwoLayerNet::predict: x has shape [1, 3] but W1 has shape [784, 50]")]
fn two_layer_net_names_both_shapes() {
    let net = TwoLayerNet::new(784, 50, 10, 0.01, &mut seeded_rng(0));
    net.predict(&array![[1.0, 2.0, 3.0]]);
}

#[test]
#[should_panic(expected = "LayeredNet::predict: x has shape [1, 3] but W1 has shape [2, 3]")]
fn layered_net_names_both_shapes() {
    init_network().predict(&array![[1.0, 2.0, 3.0]]);
}

#[test]
#[should_panic(expected = "LayeredNet::new: W2 has shape [4, 2] but W1 has shape [2, 3]")]
fn layered_net_new_names_mismatched_layers() {
    LayeredNet::new(
        vec![
            (Array2::zeros((2, 3)), array![0.0, 0.0, 0.0]),
            (Array2::zeros((4, 2)), array![0.0, 0.0]),
        ],
        OutputLayer::Identity,
    );
}

#[test]
#[should_panic(expected = "SimpleNet::predict: x has shape [3] but W has shape [2, 3]")]
fn simple_net_names_both_shapes() {
    SimpleNet::new(&mut seeded_rng(0)).predict(&array![1.0, 2.0, 3.0]);
}

#[test]
#[should_panic(expected = "softmax: input is zero-dimensional")]
fn softmax_rejects_a_scalar_array() {
    softmax(&dlfs::ndarray::arr0(1.0));
}

#[test]
#[should_panic(expected = "sum_squared_error: y has shape [3] but t has shape [2]")]
fn sum_squared_error_names_itself() {
    sum_squared_error(&array![1.0, 2.0, 3.0], &array![1.0, 2.0]);
}

#[test]
#[should_panic(
    expected = "cross_entropy_error: y has shape [0, 10]; an empty batch has no mean loss"
)]
fn cross_entropy_of_an_empty_batch_is_refused() {
    cross_entropy_error(
        &Array2::<f64>::zeros((0, 10)),
        &Array2::<f64>::zeros((0, 10)),
    );
}

#[test]
#[should_panic(expected = "cross_entropy_error: y has shape [2, 0]; an empty batch has no mean")]
fn cross_entropy_of_no_classes_is_refused() {
    cross_entropy_error(&Array2::<f64>::zeros((2, 0)), &Array2::<f64>::zeros((2, 0)));
}

#[test]
#[should_panic(expected = "TwoLayerNet::new: sizes [4, 0, 3] must all be at least 1")]
fn a_two_layer_net_without_hidden_units_is_refused() {
    TwoLayerNet::new(4, 0, 3, 0.01, &mut seeded_rng(0));
}

#[test]
#[should_panic(
    expected = "LayeredNet::new: W1 has shape [784, 0]; a layer needs at least one input and one unit"
)]
fn a_layered_net_with_a_zero_width_layer_is_refused() {
    LayeredNet::new(
        vec![
            (Array2::zeros((784, 0)), Array1::zeros(0)),
            (Array2::zeros((0, 10)), Array1::zeros(10)),
        ],
        OutputLayer::Softmax,
    );
}

#[test]
#[should_panic(
    expected = "LayeredNet::update: W1 has shape [2, 3] but its gradient has shape [1, 3]"
)]
fn layered_net_update_refuses_a_gradient_it_would_broadcast() {
    let mut net = LayeredNet::random(&[2, 3, 2], 1.0, &mut seeded_rng(0));
    let mut grads = net.gradient(&array![[1.0, 0.5]], &[0]);
    grads.layers[0].w = Array2::zeros((1, 3));
    net.update(&grads, 0.1);
}

#[test]
fn layered_net_update_checks_every_shape_before_changing_anything() {
    let mut net = LayeredNet::random(&[2, 3, 2], 1.0, &mut seeded_rng(0));
    let before = net.clone();
    let mut grads = net.gradient(&array![[1.0, 0.5]], &[0]);
    grads.layers[1].b = Array1::zeros(5);
    let message =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| net.update(&grads, 0.1)))
            .expect_err("a wrong shape panics")
            .downcast::<String>()
            .expect("a formatted message");
    assert_eq!(
        *message,
        "LayeredNet::update: b2 has shape [2] but its gradient has shape [5]"
    );
    assert_eq!(net, before);
}

#[test]
#[should_panic(expected = "LayeredNet::update: 1 gradients for 2 layers")]
fn layered_net_update_counts_the_layers() {
    let mut net = LayeredNet::random(&[2, 3, 2], 1.0, &mut seeded_rng(0));
    let mut grads = net.gradient(&array![[1.0, 0.5]], &[0]);
    grads.layers.pop();
    net.update(&grads, 0.1);
}

#[test]
#[should_panic(
    expected = "TwoLayerNet::update: W2 has shape [3, 2] but its gradient has shape [1, 2]"
)]
fn two_layer_net_update_names_the_parameter_and_both_shapes() {
    let mut net = TwoLayerNet::new(2, 3, 2, 1.0, &mut seeded_rng(0));
    let grads = net.gradient(&array![[1.0, 0.5]], &[0]);
    let grads = Gradients {
        w2: Array2::zeros((1, 2)),
        ..grads
    };
    net.update(&grads, 0.1);
}
