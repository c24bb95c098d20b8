//! The book's `simpleNet` (book 4.4.2): one 2×3 weight matrix, softmax, cross entropy.

use crate::functions::{cross_entropy_error, softmax, Targets};
use ndarray::{Array1, Array2, ArrayBase, Data, Ix1};
use rand::Rng;

/// The book's `simpleNet` (book 4.4.2), a network with just one weight matrix `W` of shape
/// (2, 3) and no bias, used to show the gradient of a loss with respect to weights.
///
/// The field [`SimpleNet::w`] is the book's `W`; the book's `net.W` is `net.w`.
///
/// ```
/// use dlfs::ndarray::array;
/// use dlfs::SimpleNet;
/// let mut net = SimpleNet::from_weights(array![[0.47355232, 0.9977393, 0.84668094],
///                                               [0.85557411, 0.03563661, 0.69422093]]);
/// let x = array![0.6, 0.9];
/// let p = net.predict(&x);
/// assert!((p[0] - 1.05414809).abs() < 1e-6); // book: [1.05414809 0.63071653 1.1328074]
/// let t = array![0.0, 0.0, 1.0];
/// assert!((net.loss(&x, &t) - 0.92806853663411326).abs() < 1e-6);
/// let dw = net.numerical_gradient(&x, &t);
/// assert!((dw[[1, 2]] - -0.54421514).abs() < 1e-6);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct SimpleNet {
    /// The weights, shape (2, 3): the book's `W`.
    pub w: Array2<f64>,
}

impl SimpleNet {
    /// A network with weights drawn from a standard normal distribution: the book's
    /// `np.random.randn(2, 3)`.
    ///
    /// ```
    /// let net = dlfs::SimpleNet::new(&mut dlfs::seeded_rng(0));
    /// assert_eq!(net.w.shape(), &[2, 3]);
    /// ```
    pub fn new<R: Rng + ?Sized>(rng: &mut R) -> Self {
        SimpleNet {
            w: crate::randn(rng, (2, 3)),
        }
    }

    /// A network with the given weights, e.g. the ones the book prints.
    ///
    /// # Panics
    /// If `w` is not 2 × 3; the message names its shape.
    ///
    /// ```
    /// let net = dlfs::SimpleNet::from_weights(dlfs::ndarray::Array2::zeros((2, 3)));
    /// assert_eq!(net.w.sum(), 0.0);
    /// ```
    pub fn from_weights(w: Array2<f64>) -> Self {
        assert_eq!(
            w.shape(),
            &[2, 3],
            "SimpleNet::from_weights: W must have shape [2, 3], got {:?}",
            w.shape()
        );
        SimpleNet { w }
    }

    /// `x · W` (book: `predict`).
    ///
    /// # Panics
    /// If `x` does not have 2 entries.
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// let net = dlfs::SimpleNet::from_weights(array![[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]);
    /// assert_eq!(net.predict(&array![2.0, 3.0]), array![2.0, 3.0, 0.0]);
    /// ```
    pub fn predict<S: Data<Elem = f64>>(&self, x: &ArrayBase<S, Ix1>) -> Array1<f64> {
        assert_eq!(
            x.len(),
            self.w.nrows(),
            "SimpleNet::predict: x has shape {:?} but W has shape {:?}",
            x.shape(),
            self.w.shape()
        );
        x.dot(&self.w)
    }

    /// Cross entropy error of `softmax(predict(x))` against `t` (book: `loss`).
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// let net = dlfs::SimpleNet::from_weights(dlfs::ndarray::Array2::zeros((2, 3)));
    /// // all scores equal: each class gets probability 1/3
    /// let loss = net.loss(&array![1.0, 1.0], &[0]);
    /// assert!((loss - 3f64.ln()).abs() < 1e-6);
    /// ```
    pub fn loss<'t, S: Data<Elem = f64>>(
        &self,
        x: &ArrayBase<S, Ix1>,
        t: impl Into<Targets<'t>>,
    ) -> f64 {
        let z = self.predict(x);
        let y = softmax(&z);
        cross_entropy_error(&y, t)
    }

    /// The numerical gradient of the loss with respect to `W` (book 4.4.2:
    /// `numerical_gradient(f, net.W)` with `f = lambda w: net.loss(x, t)`).
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// let mut net = dlfs::SimpleNet::new(&mut dlfs::seeded_rng(3));
    /// let dw = net.numerical_gradient(&array![0.6, 0.9], &[2]);
    /// // the gradient of a softmax row sums to zero across classes
    /// assert!(dw.row(0).sum().abs() < 1e-8);
    /// ```
    pub fn numerical_gradient<'t, S: Data<Elem = f64>>(
        &mut self,
        x: &ArrayBase<S, Ix1>,
        t: impl Into<Targets<'t>>,
    ) -> Array2<f64> {
        let t = t.into();
        crate::numerical_gradient_of(self, |net| &mut net.w, |net| net.loss(x, t))
    }
}
