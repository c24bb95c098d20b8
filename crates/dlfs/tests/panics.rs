//! Shape mismatches panic with a message naming the function and both shapes.

use dlfs::ndarray::{array, Array2};
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
