//! Activation and loss functions: the book's `common/functions.py`
//! (book 3.2, 3.5 and 4.2).
//!
//! All functions take any `ndarray` array of `f64` by reference and return a new array of the
//! same shape, like NumPy's element-wise functions do.

use ndarray::{Array, ArrayBase, ArrayView1, ArrayView2, Axis, Data, Dimension, Ix1, Ix2};

/// The step function: 1 where `x > 0`, else 0 (book 3.2.2, `step_function`).
///
/// The book returns an integer array (`astype(np.int)`, which newer NumPy rejects; write
/// `astype(int)`); here the result is `f64`, ready to plot.
///
/// ```
/// use dlfs::ndarray::array;
/// assert_eq!(dlfs::step_function(&array![-1.0, 1.0, 2.0]), array![0.0, 1.0, 1.0]);
/// ```
pub fn step_function<S, D>(x: &ArrayBase<S, D>) -> Array<f64, D>
where
    S: Data<Elem = f64>,
    D: Dimension,
{
    x.mapv(|v| if v > 0.0 { 1.0 } else { 0.0 })
}

/// The sigmoid function 1 / (1 + exp(-x)) (book 3.2.4, `sigmoid`).
///
/// ```
/// use dlfs::ndarray::array;
/// use approx::assert_abs_diff_eq;
/// // Book 3.2.4 prints [0.26894142, 0.73105858, 0.88079708]
/// let y = dlfs::sigmoid(&array![-1.0, 1.0, 2.0]);
/// assert_abs_diff_eq!(y, array![0.26894142, 0.73105858, 0.88079708], epsilon = 1e-8);
/// ```
pub fn sigmoid<S, D>(x: &ArrayBase<S, D>) -> Array<f64, D>
where
    S: Data<Elem = f64>,
    D: Dimension,
{
    x.mapv(sigmoid_scalar)
}

#[inline]
pub(crate) fn sigmoid_scalar(v: f64) -> f64 {
    1.0 / (1.0 + (-v).exp())
}

/// The derivative of the sigmoid, (1 - sigmoid(x)) * sigmoid(x) (`sigmoid_grad` in the book's
/// `common/functions.py`, used by the backprop gradient of [`crate::TwoLayerNet`]).
///
/// ```
/// use dlfs::ndarray::array;
/// // sigmoid'(0) = 0.5 * 0.5
/// assert_eq!(dlfs::sigmoid_grad(&array![0.0]), array![0.25]);
/// ```
pub fn sigmoid_grad<S, D>(x: &ArrayBase<S, D>) -> Array<f64, D>
where
    S: Data<Elem = f64>,
    D: Dimension,
{
    x.mapv(|v| {
        let s = sigmoid_scalar(v);
        (1.0 - s) * s
    })
}

/// The ReLU function max(0, x) (book 3.2.7, `relu`).
///
/// ```
/// use dlfs::ndarray::array;
/// assert_eq!(dlfs::relu(&array![-2.0, 0.0, 3.0]), array![0.0, 0.0, 3.0]);
/// ```
pub fn relu<S, D>(x: &ArrayBase<S, D>) -> Array<f64, D>
where
    S: Data<Elem = f64>,
    D: Dimension,
{
    x.mapv(|v| v.max(0.0))
}

/// The identity function, the output layer of a regression network (book 3.4.2,
/// `identity_function`).
///
/// ```
/// use dlfs::ndarray::array;
/// assert_eq!(dlfs::identity_function(&array![0.3, 0.7]), array![0.3, 0.7]);
/// ```
pub fn identity_function<S, D>(x: &ArrayBase<S, D>) -> Array<f64, D>
where
    S: Data<Elem = f64>,
    D: Dimension,
{
    x.to_owned()
}

/// Softmax along the last axis, safe from overflow (book 3.5.2, `softmax`).
///
/// A 1-D array is one sample; a 2-D array is a batch with one sample per row, and each row
/// is normalised on its own (the book's batch version in `common/functions.py`). The largest
/// value of each row is subtracted before `exp`, which changes nothing mathematically but
/// keeps `exp` from overflowing to infinity (compare [`softmax_naive`]).
///
/// # Panics
/// If `x` is zero-dimensional.
///
/// ```
/// use dlfs::ndarray::array;
/// use approx::assert_abs_diff_eq;
/// // Book 3.5.1: softmax([0.3, 2.9, 4.0]) = [0.01821127, 0.24519181, 0.73659691]
/// let y = dlfs::softmax(&array![0.3, 2.9, 4.0]);
/// assert_abs_diff_eq!(y, array![0.01821127, 0.24519181, 0.73659691], epsilon = 1e-8);
/// // Book 3.5.2: large inputs no longer overflow
/// let y = dlfs::softmax(&array![1010.0, 1000.0, 990.0]);
/// assert!((y[0] - 9.99954600e-01).abs() < 1e-9);
/// ```
pub fn softmax<S, D>(x: &ArrayBase<S, D>) -> Array<f64, D>
where
    S: Data<Elem = f64>,
    D: Dimension,
{
    assert!(
        x.ndim() > 0,
        "softmax: input is zero-dimensional (shape [])"
    );
    let mut y = x.to_owned();
    let last = Axis(y.ndim() - 1);
    for lane in y.lanes_mut(last) {
        softmax_in_place(lane);
    }
    y
}

/// Softmax of one sample, in place: the body of [`softmax`].
pub(crate) fn softmax_in_place(mut lane: ndarray::ArrayViewMut1<f64>) {
    let sum = exp_shifted(lane.view_mut());
    lane.mapv_inplace(|v| v / sum);
}

/// Replaces each score `a` by `exp(a - max)` and returns their sum: softmax up to the last
/// division, which the fast numerical gradient makes for one class only.
pub(crate) fn exp_shifted(mut lane: ndarray::ArrayViewMut1<f64>) -> f64 {
    let c = lane.fold(f64::NEG_INFINITY, |m, &v| m.max(v)); // overflow guard
    lane.mapv_inplace(|v| (v - c).exp());
    lane.sum()
}

/// Softmax exactly as first written in book 3.5.1, without the overflow guard:
/// `exp(a) / sum(exp(a))`.
///
/// Kept to show why [`softmax`] subtracts the maximum: `exp(1010.0)` is infinite in `f64`, and
/// infinity divided by infinity is NaN.
///
/// ```
/// use dlfs::ndarray::array;
/// // Book 3.5.2 prints [nan, nan, nan]
/// let y = dlfs::softmax_naive(&array![1010.0, 1000.0, 990.0]);
/// assert!(y.iter().all(|v| v.is_nan()));
/// ```
pub fn softmax_naive<S, D>(x: &ArrayBase<S, D>) -> Array<f64, D>
where
    S: Data<Elem = f64>,
    D: Dimension,
{
    let exp_a = x.mapv(f64::exp);
    let sum_exp_a = exp_a.sum();
    exp_a / sum_exp_a
}

/// Sum of squared errors, 0.5 · Σ (y − t)² (book 4.2.1).
///
/// The book calls this function `mean_squared_error` although it takes no mean; the same
/// function is also available under that name, [`mean_squared_error`].
///
/// # Panics
/// If `y` and `t` have different shapes; the message names both.
///
/// ```
/// use dlfs::ndarray::array;
/// let t = array![0., 0., 1., 0., 0., 0., 0., 0., 0., 0.];
/// let y = array![0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0];
/// assert!((dlfs::sum_squared_error(&y, &t) - 0.0975).abs() < 1e-12);
/// ```
pub fn sum_squared_error<S1, S2, D>(y: &ArrayBase<S1, D>, t: &ArrayBase<S2, D>) -> f64
where
    S1: Data<Elem = f64>,
    S2: Data<Elem = f64>,
    D: Dimension,
{
    half_sum_of_squares("sum_squared_error", y, t)
}

fn half_sum_of_squares<S1, S2, D>(function: &str, y: &ArrayBase<S1, D>, t: &ArrayBase<S2, D>) -> f64
where
    S1: Data<Elem = f64>,
    S2: Data<Elem = f64>,
    D: Dimension,
{
    assert_eq!(
        y.shape(),
        t.shape(),
        "{function}: y has shape {:?} but t has shape {:?}",
        y.shape(),
        t.shape()
    );
    0.5 * y.iter().zip(t).map(|(y, t)| (y - t) * (y - t)).sum::<f64>()
}

/// The book's `mean_squared_error`: 0.5 · Σ (y − t)² (book 4.2.1). Same as
/// [`sum_squared_error`].
///
/// # Panics
/// If `y` and `t` have different shapes; the message names both.
///
/// ```
/// use dlfs::ndarray::array;
/// let t = array![0., 0., 1., 0., 0., 0., 0., 0., 0., 0.];
/// // Book 4.2.1, example 2: the network bets on "7" (0.6 at index 7) -> 0.5975
/// let y = array![0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0];
/// assert!((dlfs::mean_squared_error(&y, &t) - 0.5975).abs() < 1e-12);
/// ```
pub fn mean_squared_error<S1, S2, D>(y: &ArrayBase<S1, D>, t: &ArrayBase<S2, D>) -> f64
where
    S1: Data<Elem = f64>,
    S2: Data<Elem = f64>,
    D: Dimension,
{
    half_sum_of_squares("mean_squared_error", y, t)
}

/// Supervised targets `t`, in either of the book's two forms.
///
/// The book's `cross_entropy_error` accepts one-hot rows (`one_hot_label=True`) or label
/// indices (`one_hot_label=False`) and tells them apart by size. In Rust the form is a type:
/// anything that converts into `Targets` can be passed as `t`:
///
/// | you pass | form |
/// |---|---|
/// | `&Array1<f64>` | one sample, one-hot (book 4.2.2) |
/// | `&Array2<f64>` | a batch, one one-hot row per sample |
/// | `&Array1<usize>`, `&ArrayView1<usize>`, `&[usize]`, `&Vec<usize>` | a batch of label indices |
///
/// ```
/// use dlfs::ndarray::array;
/// use dlfs::Targets;
/// let onehot = array![[0.0, 1.0], [1.0, 0.0]];
/// let t = Targets::from(&onehot);
/// assert_eq!((t.len(), t.label(0)), (2, 1));
/// let labels = vec![1usize, 0];
/// assert_eq!(Targets::from(&labels).label(1), 0);
/// ```
#[derive(Clone, Copy, Debug)]
pub enum Targets<'a> {
    /// One row per sample; for one-hot rows, 1 at the true class and 0 elsewhere.
    OneHot(ArrayView2<'a, f64>),
    /// One label index per sample.
    Labels(ArrayView1<'a, usize>),
}

impl<'a> Targets<'a> {
    /// Number of samples.
    ///
    /// ```
    /// assert_eq!(dlfs::Targets::from(&[3usize, 1, 4][..]).len(), 3);
    /// ```
    pub fn len(&self) -> usize {
        match self {
            Targets::OneHot(t) => t.nrows(),
            Targets::Labels(t) => t.len(),
        }
    }

    /// True when there are no samples.
    ///
    /// ```
    /// assert!(dlfs::Targets::from(&[][..]).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The class of sample `n`: its label, or the index of the largest entry of its one-hot
    /// row (the book's `np.argmax(t, axis=1)`).
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// let t = array![0.0, 0.0, 1.0];
    /// assert_eq!(dlfs::Targets::from(&t).label(0), 2);
    /// ```
    pub fn label(&self, n: usize) -> usize {
        match self {
            Targets::OneHot(t) => argmax_view(t.row(n)),
            Targets::Labels(t) => t[n],
        }
    }

    /// Panics unless there is one target per row of `y` and, for one-hot rows, as many
    /// columns as `y`, or for labels, every label below `y`'s column count.
    pub(crate) fn check(&self, function: &str, y_shape: &[usize]) {
        let (rows, cols) = (y_shape[0], y_shape[1]);
        match self {
            Targets::OneHot(t) => assert_eq!(
                t.shape(),
                y_shape,
                "{function}: y has shape {y_shape:?} but the one-hot t has shape {:?}",
                t.shape()
            ),
            Targets::Labels(t) => {
                assert_eq!(
                    t.len(),
                    rows,
                    "{function}: y has shape {y_shape:?} ({rows} samples) but t holds {} labels",
                    t.len()
                );
                if let Some((i, &bad)) = t.iter().enumerate().find(|(_, &l)| l >= cols) {
                    panic!(
                        "{function}: label {bad} at position {i} is out of range for y of shape \
                         {y_shape:?} ({cols} classes)"
                    );
                }
            }
        }
    }
}

impl<'a, S: Data<Elem = f64>> From<&'a ArrayBase<S, Ix2>> for Targets<'a> {
    fn from(t: &'a ArrayBase<S, Ix2>) -> Self {
        Targets::OneHot(t.view())
    }
}

impl<'a> From<&'a ndarray::Array1<f64>> for Targets<'a> {
    fn from(t: &'a ndarray::Array1<f64>) -> Self {
        Targets::OneHot(t.view().insert_axis(Axis(0)))
    }
}

impl<'a> From<&'a ArrayView1<'_, f64>> for Targets<'a> {
    fn from(t: &'a ArrayView1<'_, f64>) -> Self {
        Targets::OneHot(t.view().insert_axis(Axis(0)))
    }
}

impl<'a> From<&'a [usize]> for Targets<'a> {
    fn from(t: &'a [usize]) -> Self {
        Targets::Labels(ArrayView1::from(t))
    }
}

impl<'a> From<&'a Vec<usize>> for Targets<'a> {
    fn from(t: &'a Vec<usize>) -> Self {
        Targets::Labels(ArrayView1::from(t.as_slice()))
    }
}

impl<'a, const N: usize> From<&'a [usize; N]> for Targets<'a> {
    fn from(t: &'a [usize; N]) -> Self {
        Targets::Labels(ArrayView1::from(&t[..]))
    }
}

/// An array of labels, also a strided one (every other label of `t`, kept as an owned
/// array: `t.slice_move(s![..;2])`).
impl<'a> From<&'a ndarray::Array1<usize>> for Targets<'a> {
    fn from(t: &'a ndarray::Array1<usize>) -> Self {
        Targets::Labels(t.view())
    }
}

impl<'a> From<&'a ArrayView1<'_, usize>> for Targets<'a> {
    fn from(t: &'a ArrayView1<'_, usize>) -> Self {
        Targets::Labels(t.view())
    }
}

/// Index of the largest entry, the first one on ties: the book's `np.argmax(y)`, which turns
/// a network's output into its predicted class (book 3.6.2).
///
/// # Panics
/// If `row` is empty.
///
/// ```
/// use dlfs::ndarray::array;
/// assert_eq!(dlfs::argmax(&array![0.1, 0.7, 0.2]), 1);
/// ```
pub fn argmax<S: Data<Elem = f64>>(row: &ArrayBase<S, Ix1>) -> usize {
    assert!(!row.is_empty(), "argmax: the array is empty");
    argmax_view(row.view())
}

pub(crate) fn argmax_view(row: ArrayView1<f64>) -> usize {
    let mut best = 0;
    for (i, &v) in row.iter().enumerate() {
        if v > row[best] {
            best = i;
        }
    }
    best
}

/// Views `y` as a batch: a 1-D array becomes one row.
pub(crate) fn as_batch<'a, S, D>(function: &str, y: &'a ArrayBase<S, D>) -> ArrayView2<'a, f64>
where
    S: Data<Elem = f64>,
    D: Dimension,
{
    match y.ndim() {
        1 => y
            .view()
            .into_dimensionality::<Ix1>()
            .expect("ndim checked")
            .insert_axis(Axis(0)),
        2 => y.view().into_dimensionality::<Ix2>().expect("ndim checked"),
        _ => panic!(
            "{function}: y must be 1-D (one sample) or 2-D (a batch), but has shape {:?}",
            y.shape()
        ),
    }
}

/// The small constant the book adds inside `log` so that `log(0)` never gives `-inf`.
pub(crate) const DELTA: f64 = 1e-7;

/// Cross entropy error −Σ t·log(y + 1e-7), averaged over the batch (book 4.2.2 and 4.2.4,
/// `cross_entropy_error`).
///
/// `y` is one sample (1-D) or a batch (2-D, a row per sample). `t` is anything that converts
/// into [`Targets`]: one-hot rows or label indices, as in the book's batch version. The
/// `1e-7` keeps `log(0)` from being `-inf` when the network gives a probability of exactly 0.
///
/// # Panics
/// If `y` is not 1-D or 2-D, if the batch is empty (no samples, or no classes: the mean of
/// nothing is not a loss), if `t` does not have one target per sample (and, when one-hot,
/// the shape of `y`), or if a label is not a valid column of `y`. The message names the
/// function and the shapes.
///
/// ```
/// use dlfs::ndarray::array;
/// let y = array![0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0];
/// let t = array![0., 0., 1., 0., 0., 0., 0., 0., 0., 0.];
/// // Book 4.2.2 prints 0.510825457099338
/// assert!((dlfs::cross_entropy_error(&y, &t) - 0.510825457099338).abs() < 1e-12);
/// // The same sample with its label index instead of a one-hot row
/// assert!((dlfs::cross_entropy_error(&y, &[2]) - 0.510825457099338).abs() < 1e-12);
/// ```
pub fn cross_entropy_error<'t, S, D>(y: &ArrayBase<S, D>, t: impl Into<Targets<'t>>) -> f64
where
    S: Data<Elem = f64>,
    D: Dimension,
{
    let y = as_batch("cross_entropy_error", y);
    assert!(
        y.nrows() > 0 && y.ncols() > 0,
        "cross_entropy_error: y has shape {:?}; an empty batch has no mean loss",
        y.shape()
    );
    let t = t.into();
    t.check("cross_entropy_error", y.shape());
    let batch_size = y.nrows();
    let total: f64 = match t {
        Targets::OneHot(t) => y
            .iter()
            .zip(t.iter())
            .map(|(&y, &t)| if t == 0.0 { 0.0 } else { t * (y + DELTA).ln() })
            .sum(),
        Targets::Labels(t) => t
            .iter()
            .enumerate()
            .map(|(n, &label)| (y[[n, label]] + DELTA).ln())
            .sum(),
    };
    -total / batch_size as f64
}
