//! # dlfs — the math of *Deep Learning from Scratch*, chapters 2–4, in Rust
//!
//! This crate holds every function and network of the book's chapters on perceptrons,
//! neural networks and how networks learn (Koki Saito, *Deep Learning from Scratch*;
//! 深度学习入门：基于Python的理论与实现; ゼロから作るDeep Learning), so that the notebooks
//! in `notebooks/` can first write each idea out the way the book does and then lean on the
//! crate item that does the same thing.
//!
//! | book chapter | module | what is in it |
//! |---|---|---|
//! | 2 perceptrons | [`gates`] | `AND`, `NAND`, `OR`, `XOR` and a general [`gates::Perceptron`] |
//! | 3.2, 3.5 activations and output layers | [`functions`] | [`step_function`], [`sigmoid`], [`relu`], [`identity_function`], [`softmax`] |
//! | 3.4, 3.6 forward pass | [`network`] | the book's `init_network` / `forward` and a layered sigmoid network |
//! | 4.2 loss functions | [`functions`] | [`mean_squared_error`], [`cross_entropy_error`] |
//! | 4.2.3 mini-batches | [`batch`] | [`random_choice`], [`one_hot`] |
//! | 4.3–4.4 gradients | [`gradient`] | [`numerical_diff`], [`numerical_gradient`], [`gradient_descent`] |
//! | 4.4.2 `simpleNet` | [`simple_net`] | [`SimpleNet`] |
//! | 4.5 learning algorithm | [`two_layer_net`], [`mod@train`] | [`TwoLayerNet`], [`train()`], [`Trainer`] |
//!
//! Everything is `f64`, arrays are [`ndarray`] arrays (re-exported, so notebooks never depend
//! on `ndarray` themselves and never meet two versions of it), and everything random takes a
//! seeded RNG from [`seeded_rng`], so a re-run prints the same numbers.
//!
//! ```
//! use dlfs::ndarray::array;
//! use dlfs::{sigmoid, softmax};
//!
//! // Book 3.2.4: sigmoid(np.array([-1.0, 1.0, 2.0]))
//! let y = sigmoid(&array![-1.0, 1.0, 2.0]);
//! assert!((y[0] - 0.26894142).abs() < 1e-8);
//!
//! // Book 3.5.1: softmax(np.array([0.3, 2.9, 4.0]))
//! let y = softmax(&array![0.3, 2.9, 4.0]);
//! assert!((y[2] - 0.73659691).abs() < 1e-8);
//! ```
//!
//! Names follow the book. Where Rust's case rules force a change it is said once in the item's
//! docs: `AND` is [`and_gate`], `simpleNet` is [`SimpleNet`], `params['W1']` is the field `w1`.
#![warn(missing_docs)]

pub use ndarray;
pub use rand;

pub mod batch;
mod chacha;
mod fast;
pub mod functions;
pub mod gates;
pub mod gradient;
mod kernels;
pub mod network;
pub mod simple_net;
pub mod train;
pub mod two_layer_net;

pub use batch::{one_hot, randn, random_choice, seeded_rng, SeededRng};
pub use functions::{
    argmax, cross_entropy_error, identity_function, mean_squared_error, relu, sigmoid,
    sigmoid_grad, softmax, softmax_naive, step_function, sum_squared_error, Targets,
};
pub use gates::{and_gate, nand_gate, or_gate, xor_gate, Perceptron};
pub use gradient::{
    gradient_descent, numerical_diff, numerical_gradient, numerical_gradient_of, GradientCheck,
    Gradients, H,
};
pub use network::{forward, init_network, Layer, LayeredGradients, LayeredNet, OutputLayer};
pub use simple_net::SimpleNet;
pub use train::{train, GradientMethod, TrainConfig, TrainData, TrainError, TrainHistory, Trainer};
pub use two_layer_net::TwoLayerNet;

/// Everything a notebook usually needs, in one `use dlfs::prelude::*;`.
///
/// ```
/// use dlfs::prelude::*;
/// // Book 3.6.2: the class a network predicts is the argmax of its softmax output
/// let y: Array1<f64> = softmax(&array![0.3, 2.9, 4.0]);
/// assert_eq!(argmax(&y), 2);
/// ```
pub mod prelude {
    pub use crate::ndarray::{array, s, Array, Array1, Array2, ArrayView1, ArrayView2, Axis};
    pub use crate::rand::Rng;
    pub use crate::*;
}
