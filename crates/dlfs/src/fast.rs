//! The speed behind [`TwoLayerNet`]: the accuracy of a large set in chunks on all threads,
//! [`TwoLayerNet::numerical_gradient_fast`], and the training step on a mini-batch's
//! columns. A reader of the book may skip this file; the results are those of the book's
//! formulas.

use crate::functions::{argmax_view, cross_entropy_error, exp_shifted, sigmoid_scalar, Targets};
use crate::functions::{softmax, softmax_in_place, DELTA};
use crate::gradient::Gradients;
use crate::gradient::H;
use crate::kernels::{add_row, padded, Columns, Input, SparseRows};
use crate::network::softmax_cross_entropy_backward;
use crate::two_layer_net::{Forward, TwoLayerNet};
use ndarray::ShapeBuilder;
use ndarray::{Array1, Array2, ArrayBase, ArrayView1, ArrayView2, ArrayViewMut1, Axis, Data, Ix2};
use rayon::prelude::*;

/// Rows that [`accuracy`] puts through the network at once.
const ACCURACY_CHUNK: usize = 1024;

/// [`TwoLayerNet::accuracy`]. A large input goes through the network in chunks of rows, on
/// all of rayon's threads: each chunk's hidden layer stays in cache, and no activations of
/// the whole set are ever held at once.
pub(crate) fn accuracy(net: &TwoLayerNet, x: &Input, t: Targets) -> f64 {
    const FUNCTION: &str = "TwoLayerNet::accuracy";
    let n = x.nrows();
    if n <= ACCURACY_CHUNK {
        return crate::network::accuracy(&net.forward("accuracy", x).y, t, FUNCTION);
    }
    t.check(FUNCTION, &[n, net.b2.len()]);
    let correct: usize = (0..n.div_ceil(ACCURACY_CHUNK))
        .into_par_iter()
        .map(|chunk| {
            let rows = chunk * ACCURACY_CHUNK..((chunk + 1) * ACCURACY_CHUNK).min(n);
            let y = net.forward("accuracy", &x.slice(rows.clone())).y;
            y.rows()
                .into_iter()
                .zip(rows)
                .filter(|(row, r)| argmax_view(row.view()) == t.label(*r))
                .count()
        })
        .sum();
    correct as f64 / n as f64
}

/// A mini-batch for [`sgd_step`]: its nonzero entries row by row and column by column, and
/// the hidden layer's gradient, in buffers kept from one step to the next.
#[derive(Clone, Debug, Default)]
pub(crate) struct Batch {
    /// The batch's nonzero inputs, sample by sample.
    rows: SparseRows,
    /// The same, pixel by pixel.
    columns: Columns,
    /// dz1 of the last backward pass, its rows [`padded`] to whole vectors.
    dz1: Vec<f64>,
}

impl Batch {
    /// The rows `batch` of `x` (a mini-batch), in place of the batch held before.
    pub(crate) fn gather(&mut self, x: &SparseRows, batch: &[usize]) {
        x.gather_into(batch, &mut self.rows);
        self.columns.gather(&self.rows);
    }

    /// Whether [`sgd_step`] and [`Batch::forward`] can run `net` on this batch: W1 is
    /// row-major and has a row per input column.
    pub(crate) fn fits(&self, net: &TwoLayerNet) -> bool {
        net.w1.is_standard_layout()
            && net.w1.nrows() == self.columns.cols()
            && net.b1.len() == net.w1.ncols()
    }

    /// The forward pass of `net` on this batch: the `z1` and `y` of
    /// [`TwoLayerNet::forward`], bit for bit, with the bias and the sigmoid applied in one
    /// pass over `a1` (each element is `sigmoid(a1 + b1)`, as `add_row` and `sigmoid` make
    /// it) instead of two.
    ///
    /// # Panics
    /// If [`Batch::fits`] is false.
    pub(crate) fn forward(&self, net: &TwoLayerNet) -> (Array2<f64>, Array2<f64>) {
        assert!(self.fits(net), "Batch::forward: W1 does not fit the batch");
        let w1 = net.w1.as_slice().expect("standard layout");
        let mut z1 = self.rows.batch_dot(w1, net.w1.ncols()); // a1 = np.dot(x, W1)
        let b1 = net.b1.to_vec();
        for mut row in z1.rows_mut() {
            for (z, &b) in row.iter_mut().zip(&b1) {
                *z = sigmoid_scalar(*z + b); // z1 = sigmoid(a1 + b1)
            }
        }
        let mut a2 = z1.dot(&net.w2); // a2 = np.dot(z1, W2) + b2
        add_row(&mut a2, net.b2.view());
        let y = softmax(&a2);
        (z1, y)
    }
}

/// One step of gradient descent with the backprop gradient of the batch `x` (what
/// `Trainer::step` runs on a mostly-zero data set): [`TwoLayerNet::backward`] followed by
/// [`TwoLayerNet::update`] with `lr`, bit for bit, with the products with `x` made on its
/// columns. W1's gradient is never stored: each of its rows goes into W1 as soon as it is
/// summed ([`Columns::t_dot_update`]), and the rows of pixels that are zero in the whole
/// batch, whose gradient is exactly zero, are left as they are.
///
/// # Panics
/// If [`Batch::fits`] is false, or on shape mismatches with `t`, as
/// [`TwoLayerNet::gradient`].
pub(crate) fn sgd_step(net: &mut TwoLayerNet, x: &mut Batch, t: Targets, lr: f64) {
    let (z1, y) = x.forward(net);
    t.check("TwoLayerNet::gradient", y.shape());
    let (n, hidden) = (x.columns.rows(), net.w1.ncols());
    let dy = softmax_cross_entropy_backward(&y, t); // (y - t) / batch_num
    let w2 = z1.t().dot(&dy);
    let b2 = dy.sum_axis(Axis(0));
    let da1 = dy.dot(&net.w2.t());
    // dz1 = sigmoid_grad(a1) * da1, as z1 = sigmoid(a1), into rows of whole vectors
    let stride = padded(hidden);
    x.dz1.resize(n * stride, 0.0);
    for ((d, da), z) in x
        .dz1
        .chunks_exact_mut(stride.max(1))
        .zip(da1.rows())
        .zip(z1.rows())
    {
        for ((d, &da), &s) in d.iter_mut().zip(&da).zip(&z) {
            *d = da * ((1.0 - s) * s);
        }
    }
    let dz1 = ArrayView2::from_shape((n, hidden).strides((stride, 1)), &x.dz1[..])
        .expect("rows in the buffer");
    let b1 = dz1.sum_axis(Axis(0));
    let w1 = net.w1.as_slice_mut().expect("standard layout");
    // W1 -= lr * np.dot(x.T, dz1)
    x.columns.t_dot_update(&x.dz1, hidden, -lr, w1);
    net.b1.scaled_add(-lr, &b1);
    net.w2.scaled_add(-lr, &w2);
    net.b2.scaled_add(-lr, &b2);
}

impl TwoLayerNet {
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
    /// # Panics
    /// On shape mismatches, as [`TwoLayerNet::gradient`].
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
        let fwd = self.forward("numerical_gradient_fast", &Input::of(x));
        let t = t.into();
        t.check("TwoLayerNet::numerical_gradient_fast", fwd.y.shape());
        let fast = FastLoss {
            fwd: &fwd,
            w2: &self.w2,
            t,
        };
        let n = x.nrows();
        let scale = 1.0 / (n as f64 * 2.0 * H);
        let (hidden, out) = (self.w2.nrows(), self.w2.ncols());
        let groups = value_groups(x);

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
                .map(|s| fast.output_diff(s, k, H * fwd.z1[[s, j]], &mut plus, &mut minus))
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
}

/// For each sample, its nonzero inputs grouped by value: (value, the inputs that hold it).
///
/// `W1[i][j] + h` changes sample s's hidden pre-activation `a1[s][j]` by `h * x[s][i]`: only
/// samples whose input `i` is not zero are affected, and inputs of the same value see the
/// same change, so it is computed once per value.
fn value_groups<S: Data<Elem = f64>>(x: &ArrayBase<S, Ix2>) -> Vec<Vec<(f64, Vec<usize>)>> {
    x.rows()
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
        .collect()
}

/// What the fast numerical gradient needs from one forward pass.
struct FastLoss<'a, 't> {
    fwd: &'a Forward,
    w2: &'a Array2<f64>,
    t: Targets<'t>,
}

impl FastLoss<'_, '_> {
    /// L(a1[s][j] + da) − L(a1[s][j] − da) for sample `s`: its loss with hidden unit `j`'s
    /// pre-activation moved up and down by `da`.
    fn hidden_diff(&self, s: usize, j: usize, da: f64, plus: &mut [f64], minus: &mut [f64]) -> f64 {
        let (a1, z1) = (self.fwd.a1[[s, j]], self.fwd.z1[[s, j]]);
        let dz_plus = sigmoid_scalar(a1 + da) - z1;
        let dz_minus = sigmoid_scalar(a1 - da) - z1;
        for (((p, m), &a), &w) in plus
            .iter_mut()
            .zip(minus.iter_mut())
            .zip(self.fwd.a2.row(s))
            .zip(self.w2.row(j))
        {
            *p = a + dz_plus * w;
            *m = a + dz_minus * w;
        }
        self.loss_diff(s, plus, minus)
    }

    /// L(a2[s][k] + da) − L(a2[s][k] − da) for sample `s`.
    fn output_diff(&self, s: usize, k: usize, da: f64, plus: &mut [f64], minus: &mut [f64]) -> f64 {
        for ((p, m), &a) in plus
            .iter_mut()
            .zip(minus.iter_mut())
            .zip(self.fwd.a2.row(s))
        {
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
                let sum_plus = exp_shifted(ArrayViewMut1::from(&mut *plus));
                let sum_minus = exp_shifted(ArrayViewMut1::from(&mut *minus));
                let (p_plus, p_minus) = (plus[c] / sum_plus, minus[c] / sum_minus);
                ((p_minus + DELTA) / (p_plus + DELTA)).ln()
            }
            Targets::OneHot(t) => {
                let t = t.row(s);
                let loss = |scores: &mut [f64]| {
                    softmax_in_place(ArrayViewMut1::from(&mut *scores));
                    cross_entropy_error(&ArrayView1::from(&*scores), &t)
                };
                loss(plus) - loss(minus)
            }
        }
    }
}
