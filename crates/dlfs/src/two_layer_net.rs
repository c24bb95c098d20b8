//! The book's `TwoLayerNet` (book 4.5.1; backprop gradient from book 5.7).

use crate::functions::{argmax_view, sigmoid, sigmoid_scalar, Targets, DELTA};
use crate::gradient::H;
use crate::kernels::{add_row, affine, softmax_rows, sum_rows, with_input, Input};
use crate::network::{accuracy, softmax_cross_entropy_backward};
use ndarray::{Array1, Array2, ArrayBase, ArrayView2, Data, Ix2, Zip};
use rand::Rng;
use rayon::prelude::*;

/// A two-layer network: affine, sigmoid, affine, softmax (book 4.5.1, `TwoLayerNet`).
///
/// The book keeps the parameters in a dict, `params['W1']` and so on; here they are the
/// fields `w1`, `b1`, `w2`, `b2`.
///
/// ```
/// use dlfs::TwoLayerNet;
/// let mut rng = dlfs::seeded_rng(0);
/// let net = TwoLayerNet::new(784, 100, 10, 0.01, &mut rng);
/// assert_eq!(net.w1.shape(), &[784, 100]); // book: net.params['W1'].shape
/// assert_eq!(net.b2.shape(), &[10]);
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

/// Gradients of the loss with respect to each parameter of a [`TwoLayerNet`]; the book's
/// `grads` dict (`grads['W1']` is `grads.w1`).
///
/// ```
/// use dlfs::ndarray::array;
/// let net = dlfs::TwoLayerNet::new(2, 3, 2, 0.1, &mut dlfs::seeded_rng(0));
/// let grads = net.gradient(&array![[1.0, 2.0]], &[0]);
/// assert_eq!(grads.w1.shape(), net.w1.shape());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Gradients {
    /// ∂L/∂W1
    pub w1: Array2<f64>,
    /// ∂L/∂b1
    pub b1: Array1<f64>,
    /// ∂L/∂W2
    pub w2: Array2<f64>,
    /// ∂L/∂b2
    pub b2: Array1<f64>,
}

impl Gradients {
    /// Compares these gradients with `other`, parameter by parameter (see
    /// [`crate::GradientCheck`]); prints as a table.
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// let mut rng = dlfs::seeded_rng(1);
    /// let mut net = dlfs::TwoLayerNet::new(3, 4, 2, 1.0, &mut rng);
    /// let (x, t) = (array![[0.5, -1.0, 2.0]], [1usize]);
    /// let check = net.numerical_gradient(&x, &t).compare(&net.gradient(&x, &t));
    /// assert!(check.max_abs_diff() < 1e-6);
    /// ```
    pub fn compare(&self, other: &Gradients) -> crate::GradientCheck {
        crate::GradientCheck::new()
            .param("W1", &self.w1, &other.w1)
            .param("b1", &self.b1, &other.b1)
            .param("W2", &self.w2, &other.w2)
            .param("b2", &self.b2, &other.b2)
    }
}

/// Intermediate values of a forward pass, kept for the backward pass.
struct Forward {
    a1: Array2<f64>,
    z1: Array2<f64>,
    y: Array2<f64>,
}

/// Rows that [`TwoLayerNet::accuracy`] puts through the network at once.
const ACCURACY_CHUNK: usize = 1024;

impl TwoLayerNet {
    /// A network with weights drawn from a normal distribution with standard deviation
    /// `weight_init_std` and zero biases (book 4.5.1; the book's default `weight_init_std` is
    /// 0.01).
    ///
    /// ```
    /// let net = dlfs::TwoLayerNet::new(2, 3, 2, 0.01, &mut dlfs::seeded_rng(0));
    /// assert_eq!(net.b1, dlfs::ndarray::Array1::<f64>::zeros(3));
    /// ```
    pub fn new<R: Rng + ?Sized>(
        input_size: usize,
        hidden_size: usize,
        output_size: usize,
        weight_init_std: f64,
        rng: &mut R,
    ) -> Self {
        let w1 = crate::randn(rng, (input_size, hidden_size)) * weight_init_std;
        let w2 = crate::randn(rng, (hidden_size, output_size)) * weight_init_std;
        TwoLayerNet {
            w1,
            b1: Array1::zeros(hidden_size),
            w2,
            b2: Array1::zeros(output_size),
        }
    }

    fn check_input(&self, function: &str, shape: [usize; 2]) {
        assert_eq!(
            shape[1],
            self.w1.nrows(),
            "TwoLayerNet::{function}: x has shape {:?} but W1 has shape {:?}",
            shape,
            self.w1.shape()
        );
    }

    fn forward(&self, function: &str, x: ArrayView2<f64>) -> Forward {
        with_input(x, |x| self.forward_input(function, x))
    }

    /// The forward pass of a dense or sparse input.
    fn forward_input(&self, function: &str, x: Input) -> Forward {
        self.check_input(function, x.shape());
        let mut a1 = x.dot(self.w1.view());
        add_row(&mut a1, self.b1.view());
        let z1 = sigmoid(&a1);
        let mut y = affine(z1.view(), self.w2.view(), self.b2.view());
        softmax_rows(&mut y);
        Forward { a1, z1, y }
    }

    /// Class probabilities for a batch, one row per sample (book: `predict`).
    ///
    /// # Panics
    /// If `x` does not have `input_size` columns; the message names both shapes.
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// let net = dlfs::TwoLayerNet::new(2, 3, 4, 0.01, &mut dlfs::seeded_rng(0));
    /// let y = net.predict(&array![[1.0, 2.0]]);
    /// assert!((y.sum() - 1.0).abs() < 1e-12);
    /// ```
    pub fn predict<S: Data<Elem = f64>>(&self, x: &ArrayBase<S, Ix2>) -> Array2<f64> {
        self.forward("predict", x.view()).y
    }

    /// Cross entropy error of the prediction (book: `loss`). `t` holds one-hot rows or
    /// label indices (see [`Targets`]).
    ///
    /// # Panics
    /// On shape mismatches; the message names both shapes.
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// let mut net = dlfs::TwoLayerNet::new(2, 3, 10, 0.01, &mut dlfs::seeded_rng(0));
    /// net.w2.fill(0.0);
    /// // no second-layer weights: every class gets 1/10, so the loss is -log(0.1 + 1e-7)
    /// assert!((net.loss(&array![[1.0, 2.0]], &[7]) - -(0.1f64 + 1e-7).ln()).abs() < 1e-15);
    /// ```
    pub fn loss<'t, S: Data<Elem = f64>>(
        &self,
        x: &ArrayBase<S, Ix2>,
        t: impl Into<Targets<'t>>,
    ) -> f64 {
        crate::cross_entropy_error(&self.predict(x), t)
    }

    /// The fraction of samples classified correctly (book: `accuracy`).
    ///
    /// # Panics
    /// On shape mismatches; the message names both shapes.
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// let net = dlfs::TwoLayerNet::new(2, 3, 2, 0.01, &mut dlfs::seeded_rng(0));
    /// let acc = net.accuracy(&array![[1.0, 2.0], [3.0, 4.0]], &[0, 1]);
    /// assert!(acc == 0.0 || acc == 0.5 || acc == 1.0);
    /// ```
    pub fn accuracy<'t, S: Data<Elem = f64>>(
        &self,
        x: &ArrayBase<S, Ix2>,
        t: impl Into<Targets<'t>>,
    ) -> f64 {
        with_input(x.view(), |x| self.accuracy_with(x, t.into()))
    }

    /// [`TwoLayerNet::loss`] of a dense or sparse input.
    pub(crate) fn loss_with(&self, x: Input, t: Targets) -> f64 {
        crate::cross_entropy_error(&self.forward_input("loss", x).y, t)
    }

    /// [`TwoLayerNet::accuracy`] of a dense or sparse input. A large input goes through the
    /// network in chunks of rows, on all of rayon's threads: each chunk's hidden layer stays
    /// in cache, and no activations of the whole set are ever held at once.
    pub(crate) fn accuracy_with(&self, x: Input, t: Targets) -> f64 {
        const FUNCTION: &str = "TwoLayerNet::accuracy";
        let n = x.shape()[0];
        if n <= ACCURACY_CHUNK {
            return accuracy(&self.forward_input("accuracy", x).y, t, FUNCTION);
        }
        self.check_input("accuracy", x.shape());
        t.check(FUNCTION, &[n, self.b2.len()]);
        let correct: usize = (0..n.div_ceil(ACCURACY_CHUNK))
            .into_par_iter()
            .map(|chunk| {
                let rows = chunk * ACCURACY_CHUNK..((chunk + 1) * ACCURACY_CHUNK).min(n);
                let y = self.forward_input("accuracy", x.slice(rows.clone())).y;
                y.rows()
                    .into_iter()
                    .zip(rows)
                    .filter(|(row, r)| argmax_view(row.view()) == t.label(*r))
                    .count()
            })
            .sum();
        correct as f64 / n as f64
    }

    /// The gradient by numerical differentiation, written as the book writes it (book 4.5.1,
    /// `numerical_gradient`): for every parameter, two complete forward passes at w + h and
    /// w − h. Slow on purpose: it is what the book teaches; see
    /// [`TwoLayerNet::numerical_gradient_fast`] for the same numbers quickly.
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// let mut net = dlfs::TwoLayerNet::new(2, 3, 2, 1.0, &mut dlfs::seeded_rng(0));
    /// let grads = net.numerical_gradient(&array![[1.0, 2.0]], &[1]);
    /// assert_eq!(grads.w1.shape(), &[2, 3]);
    /// ```
    pub fn numerical_gradient<'t, S: Data<Elem = f64>>(
        &mut self,
        x: &ArrayBase<S, Ix2>,
        t: impl Into<Targets<'t>>,
    ) -> Gradients {
        let t = t.into();
        let loss_w = |net: &TwoLayerNet| net.loss(x, t);
        Gradients {
            w1: crate::numerical_gradient_of(self, |n| &mut n.w1, loss_w),
            b1: crate::numerical_gradient_of(self, |n| &mut n.b1, loss_w),
            w2: crate::numerical_gradient_of(self, |n| &mut n.w2, loss_w),
            b2: crate::numerical_gradient_of(self, |n| &mut n.b2, loss_w),
        }
    }

    /// The same central differences (f(w+h) − f(w−h)) / 2h as
    /// [`TwoLayerNet::numerical_gradient`], for every parameter, computed hundreds of times
    /// faster by recomputing only what one changed weight affects.
    ///
    /// Changing `W1[i][j]` changes only hidden unit `j`, and only for the samples whose input
    /// `i` is not zero (most MNIST pixels are zero). So instead of a whole forward pass per
    /// perturbation, this recomputes one hidden activation and one softmax row per affected
    /// sample, and adds up how each sample's loss changes. `b1`, `W2` and `b2` are treated the
    /// same way. Parameters are split across threads. The result agrees with the book-style
    /// version to about 1e-11 (both carry rounding noise of that size from f(w+h) − f(w−h)).
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// let mut net = dlfs::TwoLayerNet::new(3, 4, 2, 1.0, &mut dlfs::seeded_rng(0));
    /// let (x, t) = (array![[0.0, 1.0, 2.0], [0.5, 0.0, 0.0]], [1usize, 0]);
    /// let fast = net.numerical_gradient_fast(&x, &t);
    /// let slow = net.numerical_gradient(&x, &t);
    /// assert!(fast.compare(&slow).max_abs_diff() < 1e-9);
    /// ```
    pub fn numerical_gradient_fast<'t, S: Data<Elem = f64>>(
        &self,
        x: &ArrayBase<S, Ix2>,
        t: impl Into<Targets<'t>>,
    ) -> Gradients {
        let x = x.view();
        let fwd = self.forward("numerical_gradient_fast", x);
        let t = t.into();
        t.check("TwoLayerNet::numerical_gradient_fast", fwd.y.shape());
        let a2 = affine(fwd.z1.view(), self.w2.view(), self.b2.view());
        let fast = FastLoss {
            a1: &fwd.a1,
            z1: &fwd.z1,
            a2: &a2,
            w2: &self.w2,
            t,
        };
        let n = x.nrows();
        let scale = 1.0 / (n as f64 * 2.0 * H);
        let (hidden, out) = (self.w2.nrows(), self.w2.ncols());

        // W1[i][j] + h changes sample s's hidden pre-activation a1[s][j] by h * x[s][i]: only
        // samples whose input i is not zero are affected, and samples with the same pixel
        // value at several inputs see the same change, so it is computed once per value.
        let groups: Vec<Vec<(f64, Vec<usize>)>> = x
            .rows()
            .into_iter()
            .map(|row| {
                let mut nonzero: Vec<(f64, usize)> = row
                    .iter()
                    .enumerate()
                    .filter(|(_, &v)| v != 0.0)
                    .map(|(i, &v)| (v, i))
                    .collect();
                nonzero.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                let mut groups: Vec<(f64, Vec<usize>)> = Vec::new();
                for (v, i) in nonzero {
                    match groups.last_mut() {
                        Some((last, cols)) if last.to_bits() == v.to_bits() => cols.push(i),
                        _ => groups.push((v, vec![i])),
                    }
                }
                groups
            })
            .collect();

        // One column of W1's gradient per hidden unit, the units spread over threads.
        let inputs = self.w1.nrows();
        let columns: Vec<Vec<f64>> = (0..hidden)
            .into_par_iter()
            .map(|j| {
                let (mut plus, mut minus) = (vec![0.0; out], vec![0.0; out]);
                let mut column = vec![0.0; inputs];
                for (s, sample) in groups.iter().enumerate() {
                    for (v, cols) in sample {
                        let diff = fast.hidden_diff(s, j, H * v, &mut plus, &mut minus);
                        for &i in cols {
                            column[i] += diff;
                        }
                    }
                }
                column
            })
            .collect();
        let w1 = Array2::from_shape_fn((inputs, hidden), |(i, j)| columns[j][i] * scale);

        let (mut plus, mut minus) = (vec![0.0; out], vec![0.0; out]);
        let b1 = Array1::from_shape_fn(hidden, |j| {
            let diff: f64 = (0..n)
                .map(|s| fast.hidden_diff(s, j, H, &mut plus, &mut minus))
                .sum();
            diff * scale
        });
        let w2 = Array2::from_shape_fn((hidden, out), |(j, k)| {
            let diff: f64 = (0..n)
                .map(|s| fast.output_diff(s, k, H * fast.z1[[s, j]], &mut plus, &mut minus))
                .sum();
            diff * scale
        });
        let b2 = Array1::from_shape_fn(out, |k| {
            let diff: f64 = (0..n)
                .map(|s| fast.output_diff(s, k, H, &mut plus, &mut minus))
                .sum();
            diff * scale
        });
        Gradients { w1, b1, w2, b2 }
    }

    /// The gradient by backpropagation (book 5.7.2, `TwoLayerNet.gradient`): the same
    /// numbers as the numerical gradient, in the time of about two forward passes.
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// let net = dlfs::TwoLayerNet::new(2, 3, 2, 1.0, &mut dlfs::seeded_rng(0));
    /// let grads = net.gradient(&array![[1.0, 2.0]], &[1]);
    /// // softmax-with-loss gradients of the output biases sum to zero
    /// assert!(grads.b2.sum().abs() < 1e-12);
    /// ```
    pub fn gradient<'t, S: Data<Elem = f64>>(
        &self,
        x: &ArrayBase<S, Ix2>,
        t: impl Into<Targets<'t>>,
    ) -> Gradients {
        // MNIST rows are mostly zeros: found once, used in both products below
        with_input(x.view(), |x| self.gradient_with(x, t.into()))
    }

    /// [`TwoLayerNet::gradient`] of a dense or sparse input.
    pub(crate) fn gradient_with(&self, x: Input, t: Targets) -> Gradients {
        let Forward { a1: _, z1, y } = self.forward_input("gradient", x);
        t.check("TwoLayerNet::gradient", y.shape());
        let dy = softmax_cross_entropy_backward(&y, t);
        let w2 = z1.t().dot(&dy);
        let b2 = sum_rows(&dy);
        let mut dz1 = dy.dot(&self.w2.t()); // da1
        Zip::from(&mut dz1)
            .and(&z1)
            .for_each(|d, &s| *d *= (1.0 - s) * s); // sigmoid_grad(a1)
        let w1 = x.dot_tn(dz1.view());
        let b1 = sum_rows(&dz1);
        Gradients { w1, b1, w2, b2 }
    }

    /// One step of gradient descent: every parameter moves by `-lr` times its gradient
    /// (book 4.5.2: `network.params[key] -= learning_rate * grad[key]`).
    ///
    /// # Panics
    /// If a gradient's shape differs from its parameter's.
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
            ("W2", self.w2.shape(), grads.w2.shape()),
        ] {
            assert_eq!(
                p, g,
                "TwoLayerNet::update: {name} has shape {p:?} but its gradient {g:?}"
            );
        }
        for (name, p, g) in [
            ("b1", self.b1.shape(), grads.b1.shape()),
            ("b2", self.b2.shape(), grads.b2.shape()),
        ] {
            assert_eq!(
                p, g,
                "TwoLayerNet::update: {name} has shape {p:?} but its gradient {g:?}"
            );
        }
        self.w1.scaled_add(-lr, &grads.w1);
        self.b1.scaled_add(-lr, &grads.b1);
        self.w2.scaled_add(-lr, &grads.w2);
        self.b2.scaled_add(-lr, &grads.b2);
    }
}

/// What the fast numerical gradient needs from one forward pass.
struct FastLoss<'a, 't> {
    a1: &'a Array2<f64>,
    z1: &'a Array2<f64>,
    a2: &'a Array2<f64>,
    w2: &'a Array2<f64>,
    t: Targets<'t>,
}

impl FastLoss<'_, '_> {
    /// L(a1[s][j] + da) − L(a1[s][j] − da) for sample `s`: its loss with hidden unit `j`'s
    /// pre-activation moved up and down by `da`.
    fn hidden_diff(&self, s: usize, j: usize, da: f64, plus: &mut [f64], minus: &mut [f64]) -> f64 {
        let (a1, z1) = (self.a1[[s, j]], self.z1[[s, j]]);
        let dz_plus = sigmoid_scalar(a1 + da) - z1;
        let dz_minus = sigmoid_scalar(a1 - da) - z1;
        for (((p, m), &a), &w) in plus
            .iter_mut()
            .zip(minus.iter_mut())
            .zip(self.a2.row(s))
            .zip(self.w2.row(j))
        {
            *p = a + dz_plus * w;
            *m = a + dz_minus * w;
        }
        self.loss_diff(s, plus, minus)
    }

    /// L(a2[s][k] + da) − L(a2[s][k] − da) for sample `s`.
    fn output_diff(&self, s: usize, k: usize, da: f64, plus: &mut [f64], minus: &mut [f64]) -> f64 {
        for ((p, m), &a) in plus.iter_mut().zip(minus.iter_mut()).zip(self.a2.row(s)) {
            *p = a;
            *m = a;
        }
        plus[k] += da;
        minus[k] -= da;
        self.loss_diff(s, plus, minus)
    }

    /// The loss of sample `s` with output scores `plus` minus its loss with scores `minus`.
    fn loss_diff(&self, s: usize, plus: &mut [f64], minus: &mut [f64]) -> f64 {
        match self.t {
            // −log(p₊ + 1e-7) + log(p₋ + 1e-7), as one logarithm of a ratio near 1
            Targets::Labels(t) => {
                let c = t[s];
                ((softmax_at(minus, c) + DELTA) / (softmax_at(plus, c) + DELTA)).ln()
            }
            Targets::OneHot(_) => self.row_loss(s, plus) - self.row_loss(s, minus),
        }
    }

    /// −Σ t·log(softmax(scores) + 1e-7) for sample `s`.
    fn row_loss(&self, s: usize, scores: &mut [f64]) -> f64 {
        let c = scores.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v));
        let mut sum = 0.0;
        for v in scores.iter_mut() {
            *v = (*v - c).exp();
            sum += *v;
        }
        match self.t {
            Targets::Labels(t) => -(scores[t[s]] / sum + DELTA).ln(),
            Targets::OneHot(t) => -t
                .row(s)
                .iter()
                .zip(scores.iter())
                .map(|(&t, &e)| {
                    if t == 0.0 {
                        0.0
                    } else {
                        t * (e / sum + DELTA).ln()
                    }
                })
                .sum::<f64>(),
        }
    }
}

/// softmax(scores)[c], with the overflow guard.
fn softmax_at(scores: &[f64], c: usize) -> f64 {
    let max = scores.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v));
    let sum: f64 = scores.iter().map(|&v| (v - max).exp()).sum();
    (scores[c] - max).exp() / sum
}
