//! Numerical differentiation and gradient descent (book 4.3 and 4.4).

use ndarray::{Array, Array1, Array2, ArrayBase, Data, Dimension};
use std::fmt;

/// The step the book uses for numerical differentiation, `h = 1e-4` (book 4.3.1).
///
/// Much smaller steps hurt: with `h = 1e-50`, `x + h == x` in `f64` and the difference is 0.
///
/// ```
/// // Book 4.3.1-4.3.2: the derivative of 0.01x² + 0.1x at x = 5 is 0.2
/// let f = |x: f64| 0.01 * x * x + 0.1 * x;
/// let h = 1e-50; // the book's first, "too small" step
/// assert_eq!((f(5.0 + h) - f(5.0)) / h, 0.0);
/// let h = dlfs::H;
/// assert!(((f(5.0 + h) - f(5.0 - h)) / (2.0 * h) - 0.1999999999990898).abs() < 1e-12);
/// ```
pub const H: f64 = 1e-4;

/// The derivative of `f` at `x` by the central difference (f(x+h) − f(x−h)) / 2h with
/// h = 1e-4 (book 4.3.1, `numerical_diff`).
///
/// Note the parentheses: `(fxh1 - fxh2) / 2*h` divides by 2 and then *multiplies* by h.
///
/// ```
/// // Book 4.3.2: f(x) = 0.01x² + 0.1x has derivative 0.2 at x = 5
/// let f = |x: f64| 0.01 * x.powi(2) + 0.1 * x;
/// assert!((dlfs::numerical_diff(f, 5.0) - 0.1999999999990898).abs() < 1e-12);
/// ```
pub fn numerical_diff(f: impl Fn(f64) -> f64, x: f64) -> f64 {
    (f(x + H) - f(x - H)) / (2.0 * H)
}

/// Puts the original value back into element `i` of the state when dropped, also while a
/// panic unwinds out of the loss function.
struct Restore<'a, T: ?Sized, F: Fn(&mut T, usize) -> &mut f64> {
    state: &'a mut T,
    slot: &'a F,
    i: usize,
    original: f64,
}

impl<T: ?Sized, F: Fn(&mut T, usize) -> &mut f64> Restore<'_, T, F> {
    fn set(&mut self, value: f64) {
        *(self.slot)(self.state, self.i) = value;
    }
}

impl<T: ?Sized, F: Fn(&mut T, usize) -> &mut f64> Drop for Restore<'_, T, F> {
    fn drop(&mut self) {
        self.set(self.original);
    }
}

/// The central difference (f(w+h) − f(w−h)) / 2h for each of the `len` elements that `slot`
/// reaches inside `state`, perturbing one element at a time in place.
fn central_differences<T: ?Sized, F: Fn(&mut T, usize) -> &mut f64>(
    state: &mut T,
    len: usize,
    slot: F,
    mut eval: impl FnMut(&T) -> f64,
) -> Vec<f64> {
    let mut grad = Vec::with_capacity(len);
    for i in 0..len {
        let original = *slot(state, i);
        let mut guard = Restore {
            state: &mut *state,
            slot: &slot,
            i,
            original,
        };
        guard.set(original + H);
        let fxh1 = eval(guard.state);
        guard.set(original - H);
        let fxh2 = eval(guard.state);
        drop(guard); // restores x[i]
        grad.push((fxh1 - fxh2) / (2.0 * H));
    }
    grad
}

/// The gradient of `f` at `x`, one central difference per element (book 4.4,
/// `numerical_gradient`), for arrays of any dimension.
///
/// Like the book's version it changes `x[i]` to `x[i] + h` and `x[i] - h` in place and calls
/// `f(&x)` each time, then puts the element back. It always puts it back: also when `f`
/// panics, so the notebook variable you passed survives a panicking cell unchanged.
///
/// ```
/// use dlfs::ndarray::array;
/// use approx::assert_abs_diff_eq;
/// // Book 4.4: the gradient of x0² + x1² at (3, 4) is (6, 8)
/// let function_2 = |x: &dlfs::ndarray::Array1<f64>| x[0] * x[0] + x[1] * x[1];
/// let mut x = array![3.0, 4.0];
/// let grad = dlfs::numerical_gradient(function_2, &mut x);
/// assert_abs_diff_eq!(grad, array![6.0, 8.0], epsilon = 1e-6);
/// assert_eq!(x, array![3.0, 4.0]); // x is exactly as it was
/// ```
pub fn numerical_gradient<D: Dimension>(
    f: impl FnMut(&Array<f64, D>) -> f64,
    x: &mut Array<f64, D>,
) -> Array<f64, D> {
    if x.as_slice_memory_order().is_none() {
        *x = x.as_standard_layout().into_owned();
    }
    let mut grad = x.mapv(|_| 0.0); // same memory order as x
    let len = x.len();
    let values = central_differences(
        x,
        len,
        |x, i| &mut x.as_slice_memory_order_mut().expect("contiguous")[i],
        f,
    );
    grad.as_slice_memory_order_mut()
        .expect("contiguous")
        .copy_from_slice(&values);
    grad
}

/// The numerical gradient of a loss with respect to one parameter array that lives inside
/// `state`, e.g. a weight matrix of a network.
///
/// The book writes `numerical_gradient(lambda W: net.loss(x, t), net.W)`: the lambda ignores
/// its argument and reads the weights from `net`, which the perturbation changed in place. In
/// Rust a closure cannot borrow `net` while `net.w` is borrowed mutably, so this function
/// takes the network itself, a function that picks the parameter, and the loss:
///
/// ```
/// use dlfs::ndarray::array;
/// use dlfs::SimpleNet;
/// let mut net = SimpleNet::from_weights(array![[0.47355232, 0.9977393, 0.84668094],
///                                               [0.85557411, 0.03563661, 0.69422093]]);
/// let x = array![0.6, 0.9];
/// let t = array![0.0, 0.0, 1.0];
/// let dw = dlfs::numerical_gradient_of(&mut net, |net| &mut net.w, |net| net.loss(&x, &t));
/// // Book 4.4.2 prints dW[0] = [0.21924763, 0.14356247, -0.36281009]
/// assert!((dw[[0, 0]] - 0.21924763).abs() < 1e-6);
/// ```
///
/// As with [`numerical_gradient`], every element is restored, also when `loss` panics.
pub fn numerical_gradient_of<T, D: Dimension + 'static>(
    state: &mut T,
    param: impl Fn(&mut T) -> &mut Array<f64, D>,
    loss: impl FnMut(&T) -> f64,
) -> Array<f64, D> {
    let p = param(state);
    if p.as_slice_memory_order().is_none() {
        *p = p.as_standard_layout().into_owned();
    }
    let mut grad = p.mapv(|_| 0.0);
    let len = p.len();
    let values = central_differences(
        state,
        len,
        |s, i| &mut param(s).as_slice_memory_order_mut().expect("contiguous")[i],
        loss,
    );
    grad.as_slice_memory_order_mut()
        .expect("contiguous")
        .copy_from_slice(&values);
    grad
}

/// Gradient descent: `step_num` steps of x ← x − lr · ∇f(x), starting from `init_x`
/// (book 4.4.1, `gradient_descent`).
///
/// Returns the end point and the path: row `k` of the path is where step `k` started, so it
/// holds `step_num` rows, from `init_x` up to the point before the last step (the book's
/// `x_history` in `gradient_method.py`).
///
/// ```
/// use dlfs::ndarray::array;
/// let function_2 = |x: &dlfs::ndarray::Array1<f64>| x[0] * x[0] + x[1] * x[1];
/// let (x, x_history) = dlfs::gradient_descent(function_2, array![-3.0, 4.0], 0.1, 100);
/// // Book 4.4.1 prints [-6.11110793e-10,  8.14814391e-10]
/// assert!((x[0] - -6.111107928998789e-10).abs() < 1e-15);
/// assert_eq!(x_history.shape(), &[100, 2]);
/// ```
pub fn gradient_descent(
    mut f: impl FnMut(&Array1<f64>) -> f64,
    init_x: Array1<f64>,
    lr: f64,
    step_num: usize,
) -> (Array1<f64>, Array2<f64>) {
    let mut x = init_x;
    let mut x_history = Array2::zeros((step_num, x.len()));
    for i in 0..step_num {
        x_history.row_mut(i).assign(&x);
        let grad = numerical_gradient(&mut f, &mut x);
        x.scaled_add(-lr, &grad);
    }
    (x, x_history)
}

/// How far apart two gradients of the same parameters are: for each named parameter the
/// largest and the mean absolute difference, and the largest relative difference
/// |a − b| / max(|a| + |b|, 1e-12).
///
/// Use it to check a backprop gradient against the numerical one (book 5.7.3, and 4.5 in the
/// notebooks). It prints as a small table.
///
/// ```
/// use dlfs::ndarray::array;
/// let a = array![1.0, 2.0];
/// let b = array![1.0, 2.0 + 1e-9];
/// let check = dlfs::GradientCheck::new().param("W", &a, &b);
/// assert!(check.max_abs_diff() < 1.1e-9);
/// println!("{check}");
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GradientCheck {
    /// One row per parameter: (name, max abs diff, mean abs diff, max relative diff).
    pub rows: Vec<(String, f64, f64, f64)>,
}

impl GradientCheck {
    /// An empty check; add parameters with [`GradientCheck::param`].
    ///
    /// ```
    /// assert!(dlfs::GradientCheck::new().rows.is_empty());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Compares gradient `a` with gradient `b` of the parameter `name`.
    ///
    /// # Panics
    /// If the two arrays have different shapes; the message names the parameter and both
    /// shapes.
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// let check = dlfs::GradientCheck::new().param("b1", &array![0.5], &array![0.25]);
    /// assert_eq!(check.rows[0].1, 0.25);
    /// ```
    pub fn param<S1, S2, D>(
        mut self,
        name: &str,
        a: &ArrayBase<S1, D>,
        b: &ArrayBase<S2, D>,
    ) -> Self
    where
        S1: Data<Elem = f64>,
        S2: Data<Elem = f64>,
        D: Dimension,
    {
        assert_eq!(
            a.shape(),
            b.shape(),
            "GradientCheck::param: {name}: the first gradient has shape {:?}, the second {:?}",
            a.shape(),
            b.shape()
        );
        let (mut max_abs, mut sum_abs, mut max_rel) = (0.0f64, 0.0, 0.0f64);
        for (&a, &b) in a.iter().zip(b.iter()) {
            let d = (a - b).abs();
            max_abs = max_abs.max(d);
            sum_abs += d;
            max_rel = max_rel.max(d / (a.abs() + b.abs()).max(1e-12));
        }
        let mean_abs = if a.is_empty() {
            0.0
        } else {
            sum_abs / a.len() as f64
        };
        self.rows
            .push((name.to_string(), max_abs, mean_abs, max_rel));
        self
    }

    /// The largest absolute difference over all parameters.
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// let c = dlfs::GradientCheck::new().param("W", &array![1.0], &array![3.0]);
    /// assert_eq!(c.max_abs_diff(), 2.0);
    /// ```
    pub fn max_abs_diff(&self) -> f64 {
        self.rows.iter().map(|r| r.1).fold(0.0, f64::max)
    }
}

impl fmt::Display for GradientCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "param   max abs diff   mean abs diff   max relative diff"
        )?;
        for (name, max_abs, mean_abs, max_rel) in &self.rows {
            writeln!(
                f,
                "{name:<6}  {max_abs:>12.3e}   {mean_abs:>13.3e}   {max_rel:>17.3e}"
            )?;
        }
        Ok(())
    }
}

/// Gradients of the loss with respect to each parameter of a [`crate::TwoLayerNet`]; the book's
/// `grads` dict (`grads['W1']` is `grads.w1`).
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
    /// Compares these gradients with `other`, parameter by parameter (book 5.7.3; see
    /// [`crate::GradientCheck`]); prints as a table.
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// let mut net = dlfs::TwoLayerNet::new(3, 4, 2, 1.0, &mut dlfs::seeded_rng(1));
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
