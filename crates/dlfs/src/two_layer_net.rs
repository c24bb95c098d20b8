//! The book's `TwoLayerNet` (book 4.5.1, `ch04/two_layer_net.py`; backprop gradient from
//! book 5.7). The fast numerical gradient and the chunked accuracy live in `fast.rs`, a file
//! a reader may skip.

use crate::functions::{cross_entropy_error, sigmoid, softmax, Targets};
use crate::gradient::{numerical_gradient_of, Gradients};
use crate::kernels::{add_row, Input};
use ndarray::{Array1, Array2, ArrayBase, Axis, Data, Ix2, Zip};
use rand::Rng;

/// A two-layer network: affine, sigmoid, affine, softmax (book 4.5.1, `TwoLayerNet`).
///
/// The book keeps the parameters in a dict, `params['W1']` and so on; here they are the
/// fields `w1`, `b1`, `w2`, `b2`.
///
/// ```
/// let net = dlfs::TwoLayerNet::new(784, 100, 10, 0.01, &mut dlfs::seeded_rng(0));
/// assert_eq!(net.w1.shape(), &[784, 100]); // book: net.params['W1'].shape is (784, 100)
/// assert_eq!(net.b2.shape(), &[10]); // book: net.params['b2'].shape is (10,)
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct TwoLayerNet {
    /// First-layer weights, (input_size, hidden_size): the book's `params['W1']`.
    pub w1: Array2<f64>,
    /// First-layer biases, (hidden_size,): the book's `params['b1']`.
    pub b1: Array1<f64>,
    /// Second-layer weights, (hidden_size, output_size): the book's `params['W2']`.
    pub w2: Array2<f64>,
    /// Second-layer biases, (output_size,): the book's `params['b2']`.
    pub b2: Array1<f64>,
}

/// The values of a forward pass that the backward pass and `fast.rs` need.
pub(crate) struct Forward {
    pub(crate) a1: Array2<f64>,
    pub(crate) z1: Array2<f64>,
    pub(crate) a2: Array2<f64>,
    pub(crate) y: Array2<f64>,
}

impl TwoLayerNet {
    /// A network with weights drawn from a normal distribution with standard deviation
    /// `weight_init_std` and zero biases (book 4.5.1; the book's default `weight_init_std` is
    /// 0.01).
    ///
    /// # Panics
    /// If a size is 0.
    pub fn new<R: Rng + ?Sized>(
        input_size: usize,
        hidden_size: usize,
        output_size: usize,
        weight_init_std: f64,
        rng: &mut R,
    ) -> Self {
        let sizes = [input_size, hidden_size, output_size];
        assert!(
            !sizes.contains(&0),
            "TwoLayerNet::new: sizes {sizes:?} must all be at least 1"
        );
        TwoLayerNet {
            w1: crate::randn(rng, (input_size, hidden_size)) * weight_init_std,
            b1: Array1::zeros(hidden_size),
            w2: crate::randn(rng, (hidden_size, output_size)) * weight_init_std,
            b2: Array1::zeros(output_size),
        }
    }

    /// Class probabilities for a batch, one row per sample (book: `predict`).
    ///
    /// # Panics
    /// If `x` does not have `input_size` columns; the message names both shapes.
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// let mut net = dlfs::TwoLayerNet::new(2, 3, 4, 0.01, &mut dlfs::seeded_rng(0));
    /// net.w2.fill(0.0); // no second-layer weights: every class gets 1/4
    /// assert_eq!(net.predict(&array![[1.0, 2.0]]), array![[0.25, 0.25, 0.25, 0.25]]);
    /// ```
    pub fn predict<S: Data<Elem = f64>>(&self, x: &ArrayBase<S, Ix2>) -> Array2<f64> {
        self.forward("predict", &Input::of(x)).y
    }

    /// The forward pass, `x`'s nonzero entries found once (MNIST rows are mostly zeros).
    pub(crate) fn forward(&self, function: &str, x: &Input) -> Forward {
        assert_eq!(
            x.shape()[1],
            self.w1.nrows(),
            "TwoLayerNet::{function}: x has shape {:?} but W1 has shape {:?}",
            x.shape(),
            self.w1.shape()
        );
        let mut a1 = x.dot(&self.w1); // a1 = np.dot(x, W1) + b1
        add_row(&mut a1, self.b1.view());
        let z1 = sigmoid(&a1);
        let mut a2 = z1.dot(&self.w2); // a2 = np.dot(z1, W2) + b2
        add_row(&mut a2, self.b2.view());
        let y = softmax(&a2);
        Forward { a1, z1, a2, y }
    }

    /// Cross entropy error of the prediction (book: `loss`); `t` holds one-hot rows or
    /// labels (see [`Targets`]). With every class at 1/10 it is −log(0.1 + 1e-7):
    ///
    /// ```
    /// let mut net = dlfs::TwoLayerNet::new(2, 3, 10, 0.01, &mut dlfs::seeded_rng(0));
    /// net.w2.fill(0.0);
    /// let loss = net.loss(&dlfs::ndarray::array![[1.0, 2.0]], &[7]);
    /// assert!((loss - -(0.1f64 + 1e-7).ln()).abs() < 1e-15);
    /// ```
    ///
    /// # Panics
    /// On shape mismatches, and for an empty batch; the message names the shapes.
    pub fn loss<'t, S: Data<Elem = f64>>(
        &self,
        x: &ArrayBase<S, Ix2>,
        t: impl Into<Targets<'t>>,
    ) -> f64 {
        cross_entropy_error(&self.predict(x), t)
    }

    /// The fraction of samples classified correctly (book: `accuracy`). A large `x` goes
    /// through the network a chunk of rows at a time, on all threads.
    ///
    /// # Panics
    /// On shape mismatches; the message names both shapes.
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// let mut net = dlfs::TwoLayerNet::new(2, 3, 2, 0.01, &mut dlfs::seeded_rng(0));
    /// net.w2.fill(0.0);
    /// net.b2 = array![0.0, 1.0]; // every sample is put in class 1
    /// assert_eq!(net.accuracy(&array![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], &[0, 1, 1]), 2.0 / 3.0);
    /// ```
    pub fn accuracy<'t, S: Data<Elem = f64>>(
        &self,
        x: &ArrayBase<S, Ix2>,
        t: impl Into<Targets<'t>>,
    ) -> f64 {
        crate::fast::accuracy(self, &Input::of(x), t.into())
    }

    /// The gradient by numerical differentiation, as the book writes it (book 4.5.1,
    /// `numerical_gradient`): for every parameter, two complete forward passes at w + h and
    /// w − h. Slow on purpose; [`TwoLayerNet::numerical_gradient_fast`] gives the same
    /// numbers quickly.
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// let mut net = dlfs::TwoLayerNet::new(2, 3, 2, 1.0, &mut dlfs::seeded_rng(0));
    /// let grads = net.numerical_gradient(&array![[1.0, 2.0]], &[1]);
    /// // softmax-with-loss gradients of the output biases sum to zero
    /// assert!(grads.b2.sum().abs() < 1e-9);
    /// ```
    pub fn numerical_gradient<'t, S: Data<Elem = f64>>(
        &mut self,
        x: &ArrayBase<S, Ix2>,
        t: impl Into<Targets<'t>>,
    ) -> Gradients {
        let t = t.into();
        let loss_w = |net: &TwoLayerNet| net.loss(x, t);
        Gradients {
            w1: numerical_gradient_of(self, |n| &mut n.w1, loss_w),
            b1: numerical_gradient_of(self, |n| &mut n.b1, loss_w),
            w2: numerical_gradient_of(self, |n| &mut n.w2, loss_w),
            b2: numerical_gradient_of(self, |n| &mut n.b2, loss_w),
        }
    }

    /// The gradient by backpropagation (book 5.7.2, `TwoLayerNet.gradient`): the same
    /// numbers as the numerical gradient, in the time of about two forward passes.
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// let net = dlfs::TwoLayerNet::new(2, 3, 2, 1.0, &mut dlfs::seeded_rng(0));
    /// let grads = net.gradient(&array![[1.0, 2.0]], &[1]);
    /// assert!(grads.b2.sum().abs() < 1e-12); // as for the numerical gradient
    /// ```
    pub fn gradient<'t, S: Data<Elem = f64>>(
        &self,
        x: &ArrayBase<S, Ix2>,
        t: impl Into<Targets<'t>>,
    ) -> Gradients {
        self.backward(&Input::of(x), t.into())
    }

    /// Forward, then backward through each layer (the body of [`TwoLayerNet::gradient`]).
    pub(crate) fn backward(&self, x: &Input, t: Targets) -> Gradients {
        let Forward { z1, y, .. } = self.forward("gradient", x);
        t.check("TwoLayerNet::gradient", y.shape());
        let dy = crate::network::softmax_cross_entropy_backward(&y, t); // (y - t) / batch_num
        let w2 = z1.t().dot(&dy);
        let b2 = dy.sum_axis(Axis(0));
        let mut dz1 = dy.dot(&self.w2.t()); // da1
        Zip::from(&mut dz1)
            .and(&z1)
            .for_each(|d, &s| *d *= (1.0 - s) * s); // sigmoid_grad(a1) * da1, as z1 = sigmoid(a1)
        let w1 = x.t_dot(&dz1);
        let b1 = dz1.sum_axis(Axis(0));
        Gradients { w1, b1, w2, b2 }
    }

    /// One step of gradient descent: every parameter moves by `-lr` times its gradient
    /// (book 4.5.2: `network.params[key] -= learning_rate * grad[key]`).
    ///
    /// # Panics
    /// If a gradient's shape differs from its parameter's; the message names both.
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// let mut net = dlfs::TwoLayerNet::new(2, 3, 2, 1.0, &mut dlfs::seeded_rng(0));
    /// let (x, t) = (array![[1.0, 2.0]], [1usize]);
    /// let before = net.loss(&x, &t);
    /// let grads = net.gradient(&x, &t);
    /// net.update(&grads, 0.1);
    /// assert!(net.loss(&x, &t) < before);
    /// ```
    pub fn update(&mut self, grads: &Gradients, lr: f64) {
        for (name, p, g) in [
            ("W1", self.w1.shape(), grads.w1.shape()),
            ("b1", self.b1.shape(), grads.b1.shape()),
            ("W2", self.w2.shape(), grads.w2.shape()),
            ("b2", self.b2.shape(), grads.b2.shape()),
        ] {
            crate::network::check_gradient_shape("TwoLayerNet::update", name, p, g);
        }
        self.w1.scaled_add(-lr, &grads.w1);
        self.b1.scaled_add(-lr, &grads.b1);
        self.w2.scaled_add(-lr, &grads.w2);
        self.b2.scaled_add(-lr, &grads.b2);
    }
}
