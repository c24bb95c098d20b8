//! Forward passes of layered networks (book 3.4 and 3.6).
//!
//! [`init_network`] and [`forward`] are the book's three-layer example with its fixed
//! weights (book 3.4.3). [`LayeredNet`] is the same idea for any number of layers: sigmoid
//! hidden layers and an identity or softmax output, enough to hold the book's pretrained
//! 784-50-100-10 MNIST network (book 3.6.2) and to train one like it.

use crate::functions::{as_batch, sigmoid, softmax_in_place, Targets};
use crate::kernels::{add_row, Input};
use ndarray::{array, Array1, Array2, ArrayBase, Axis, Data, Ix1, Ix2};
use rand::Rng;

/// The activation of the output layer (book 3.5).
///
/// ```
/// assert_eq!(dlfs::init_network().output, dlfs::OutputLayer::Identity);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputLayer {
    /// `identity_function`: for regression, and the book's 3.4 example.
    Identity,
    /// `softmax`: for classification; outputs are probabilities.
    Softmax,
}

/// One affine layer: `x · w + b`. The book's `W1`, `b1` are `layers[0].w`, `layers[0].b`.
///
/// ```
/// let network = dlfs::init_network();
/// assert_eq!(network.layers[0].b.to_vec(), vec![0.1, 0.2, 0.3]); // the book's b1
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Layer {
    /// Weights, shape (inputs, outputs).
    pub w: Array2<f64>,
    /// Biases, one per output.
    pub b: Array1<f64>,
}

/// A fully connected network: sigmoid after every hidden layer, then an [`OutputLayer`].
///
/// The book keeps its weights in a dict, `network['W1']`, `network['b1']`, ...; here
/// `network.layers[0].w`, `network.layers[0].b`, ...
///
/// ```
/// use dlfs::ndarray::array;
/// let network = dlfs::init_network(); // the book's 2-3-2-2 example
/// let y = network.predict_one(&array![1.0, 0.5]);
/// assert!((y[0] - 0.3168270764110298).abs() < 1e-12);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct LayeredNet {
    /// The layers, input side first.
    pub layers: Vec<Layer>,
    /// The activation of the last layer.
    pub output: OutputLayer,
}

impl LayeredNet {
    /// A network from `(W, b)` pairs, input side first.
    ///
    /// # Panics
    /// If there are no layers, if a layer has no inputs or no units, if a bias does not have
    /// one entry per column of its weights, or if a layer's input size is not the previous
    /// layer's output size. The message names the layers and their shapes. (Loading weights from a file checks this and returns an
    /// error instead: see `dlfs_data::load_network`.)
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// use dlfs::{LayeredNet, OutputLayer};
    /// let net = LayeredNet::new(vec![(array![[1.0], [1.0]], array![0.0])], OutputLayer::Identity);
    /// assert_eq!(net.predict_one(&array![2.0, 3.0]), array![5.0]);
    /// ```
    pub fn new(layers: Vec<(Array2<f64>, Array1<f64>)>, output: OutputLayer) -> Self {
        assert!(
            !layers.is_empty(),
            "LayeredNet::new: a network needs at least one layer"
        );
        for (k, (w, b)) in layers.iter().enumerate() {
            assert!(
                w.nrows() > 0 && w.ncols() > 0,
                "LayeredNet::new: W{} has shape {:?}; a layer needs at least one input and one \
                 unit",
                k + 1,
                w.shape()
            );
            assert_eq!(
                w.ncols(),
                b.len(),
                "LayeredNet::new: layer {}: W{} has shape {:?} but b{} has shape {:?}",
                k + 1,
                k + 1,
                w.shape(),
                k + 1,
                b.shape()
            );
            if k > 0 {
                let prev = &layers[k - 1].0;
                assert_eq!(
                    prev.ncols(),
                    w.nrows(),
                    "LayeredNet::new: W{} has shape {:?} but W{} has shape {:?}; \
                     its rows must equal the previous layer's columns",
                    k + 1,
                    w.shape(),
                    k,
                    prev.shape()
                );
            }
        }
        let layers = layers.into_iter().map(|(w, b)| Layer { w, b }).collect();
        LayeredNet { layers, output }
    }

    /// A network of the given layer sizes with random weights: each `W` drawn from a normal
    /// distribution with standard deviation `weight_init_std`, each `b` zero (as the book's
    /// `TwoLayerNet.__init__`). A softmax output.
    ///
    /// # Panics
    /// If fewer than two sizes are given.
    ///
    /// ```
    /// let mut rng = dlfs::seeded_rng(0);
    /// let net = dlfs::LayeredNet::random(&[784, 50, 100, 10], 0.01, &mut rng);
    /// assert_eq!(net.layers[1].w.shape(), &[50, 100]);
    /// ```
    pub fn random<R: Rng + ?Sized>(sizes: &[usize], weight_init_std: f64, rng: &mut R) -> Self {
        assert!(
            sizes.len() >= 2,
            "LayeredNet::random: need at least an input and an output size, got {sizes:?}"
        );
        let layers = sizes
            .windows(2)
            .map(|io| {
                let w = crate::randn(rng, (io[0], io[1])) * weight_init_std;
                (w, Array1::zeros(io[1]))
            })
            .collect();
        LayeredNet::new(layers, OutputLayer::Softmax)
    }

    /// Number of inputs the network takes.
    ///
    /// ```
    /// assert_eq!(dlfs::init_network().input_size(), 2);
    /// ```
    pub fn input_size(&self) -> usize {
        self.layers[0].w.nrows()
    }

    /// Forward pass of a batch, one sample per row (book 3.6.3, `predict` on a batch).
    ///
    /// # Panics
    /// If `x` does not have one column per network input; the message names both shapes.
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// let network = dlfs::init_network();
    /// let y = network.predict(&array![[1.0, 0.5], [1.0, 0.5]]);
    /// assert_eq!(y.shape(), &[2, 2]);
    /// ```
    pub fn predict<S: Data<Elem = f64>>(&self, x: &ArrayBase<S, Ix2>) -> Array2<f64> {
        self.forward_all(&Input::of(x))
            .pop()
            .expect("at least one layer")
    }

    /// Forward pass of one sample (book 3.4.3 `forward`, 3.6.2 `predict`).
    ///
    /// # Panics
    /// If `x` does not have one entry per network input; the message names both shapes.
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// let y = dlfs::init_network().predict_one(&array![1.0, 0.5]);
    /// assert!((y[1] - 0.6962790898619668).abs() < 1e-12);
    /// ```
    pub fn predict_one<S: Data<Elem = f64>>(&self, x: &ArrayBase<S, Ix1>) -> Array1<f64> {
        let batch = x.view().insert_axis(Axis(0));
        self.predict(&batch).index_axis_move(Axis(0), 0)
    }

    /// The outputs of every layer, after its activation; the last one is the prediction.
    /// Only the input `x` may be sparse; the hidden activations are dense.
    fn forward_all(&self, x: &Input) -> Vec<Array2<f64>> {
        assert_eq!(
            x.shape()[1],
            self.input_size(),
            "LayeredNet::predict: x has shape {:?} but W1 has shape {:?}",
            x.shape(),
            self.layers[0].w.shape()
        );
        let mut outputs: Vec<Array2<f64>> = Vec::with_capacity(self.layers.len());
        let last = self.layers.len() - 1;
        for (k, layer) in self.layers.iter().enumerate() {
            let mut a = match outputs.last() {
                None => x.dot(&layer.w),
                Some(z) => z.dot(&layer.w),
            };
            add_row(&mut a, layer.b.view());
            if k < last {
                a = sigmoid(&a);
            } else if self.output == OutputLayer::Softmax {
                a.rows_mut().into_iter().for_each(softmax_in_place);
            }
            outputs.push(a);
        }
        outputs
    }

    /// The fraction of samples whose largest output is the true class (book 3.6.2,
    /// `accuracy_cnt / len(x)`). `t` holds labels or one-hot rows (see [`Targets`]).
    ///
    /// # Panics
    /// If `t` does not hold one target per row of `x`.
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// let net = dlfs::init_network();
    /// // The book's example net prefers output 1 for this input
    /// assert_eq!(net.accuracy(&array![[1.0, 0.5]], &[1]), 1.0);
    /// ```
    pub fn accuracy<'t, S: Data<Elem = f64>>(
        &self,
        x: &ArrayBase<S, Ix2>,
        t: impl Into<Targets<'t>>,
    ) -> f64 {
        accuracy(&self.predict(x), t.into(), "LayeredNet::accuracy")
    }

    /// Cross entropy loss of the batch (softmax output), as [`crate::cross_entropy_error`].
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// use dlfs::ndarray::{Array1, Array2};
    /// use dlfs::{LayeredNet, OutputLayer};
    /// // all-zero weights: both classes get probability 0.5, so the loss is -log(0.5 + 1e-7)
    /// let net = LayeredNet::new(
    ///     vec![(Array2::zeros((2, 3)), Array1::zeros(3)), (Array2::zeros((3, 2)), Array1::zeros(2))],
    ///     OutputLayer::Softmax,
    /// );
    /// let loss = net.loss(&array![[1.0, 0.5]], &[0]);
    /// assert!((loss - -(0.5f64 + 1e-7).ln()).abs() < 1e-15);
    /// ```
    pub fn loss<'t, S: Data<Elem = f64>>(
        &self,
        x: &ArrayBase<S, Ix2>,
        t: impl Into<Targets<'t>>,
    ) -> f64 {
        crate::cross_entropy_error(&self.predict(x), t)
    }

    /// The gradient of [`LayeredNet::loss`] by backpropagation (book 5.7, generalised from
    /// `TwoLayerNet.gradient`): `grads.layers[k]` holds ∂L/∂W and ∂L/∂b of `layers[k]`.
    ///
    /// # Panics
    /// If the output layer is not softmax, or on shape mismatches as in [`LayeredNet::predict`].
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// let mut net = dlfs::LayeredNet::random(&[2, 3, 2], 1.0, &mut dlfs::seeded_rng(0));
    /// let (x, t) = (array![[1.0, 0.5]], [0]);
    /// let grads = net.gradient(&x, &t);
    /// // softmax-with-loss gradients of the output biases sum to zero
    /// assert!(grads.layers[1].b.sum().abs() < 1e-12);
    /// let before = net.loss(&x, &t);
    /// net.update(&grads, 0.1);
    /// assert!(net.loss(&x, &t) < before);
    /// ```
    pub fn gradient<'t, S: Data<Elem = f64>>(
        &self,
        x: &ArrayBase<S, Ix2>,
        t: impl Into<Targets<'t>>,
    ) -> LayeredGradients {
        assert_eq!(
            self.output,
            OutputLayer::Softmax,
            "LayeredNet::gradient: backprop is implemented for a softmax output with cross entropy"
        );
        let x = Input::of(x);
        let outputs = self.forward_all(&x);
        let y = outputs.last().expect("at least one layer");
        let t = t.into();
        t.check("LayeredNet::gradient", y.shape());
        let mut dz = softmax_cross_entropy_backward(y, t);
        let mut layers = Vec::with_capacity(self.layers.len());
        for k in (0..self.layers.len()).rev() {
            let w = match k {
                0 => x.t_dot(&dz),
                _ => outputs[k - 1].t().dot(&dz),
            };
            layers.push(Layer {
                w,
                b: dz.sum_axis(Axis(0)),
            });
            if k > 0 {
                // through the affine layer, then the sigmoid: s' = s (1 - s)
                let da = dz.dot(&self.layers[k].w.t());
                let s = &outputs[k - 1];
                dz = da * &s.mapv(|s| s * (1.0 - s));
            }
        }
        layers.reverse();
        LayeredGradients { layers }
    }

    /// One step of gradient descent: `W -= lr * dW`, `b -= lr * db` for every layer (book
    /// 4.5.2, as [`crate::TwoLayerNet::update`]); see [`LayeredNet::gradient`] for an example.
    ///
    /// # Panics
    /// If `grads` does not match the layers in number and shapes; the message names the
    /// parameter and both shapes. Nothing is changed then.
    pub fn update(&mut self, grads: &LayeredGradients, lr: f64) {
        let f = "LayeredNet::update";
        assert_eq!(
            grads.layers.len(),
            self.layers.len(),
            "{f}: {} gradients for {} layers",
            grads.layers.len(),
            self.layers.len()
        );
        for (k, (layer, g)) in self.layers.iter().zip(&grads.layers).enumerate() {
            check_gradient_shape(f, &format!("W{}", k + 1), layer.w.shape(), g.w.shape());
            check_gradient_shape(f, &format!("b{}", k + 1), layer.b.shape(), g.b.shape());
        }
        for (layer, g) in self.layers.iter_mut().zip(&grads.layers) {
            layer.w.scaled_add(-lr, &g.w);
            layer.b.scaled_add(-lr, &g.b);
        }
    }
}

/// Gradients of the loss with respect to each layer of a [`LayeredNet`]: `layers[k].w` is
/// ∂L/∂W(k+1) and `layers[k].b` is ∂L/∂b(k+1), the book's `grads['W1']`, ... as for
/// [`crate::Gradients`] of a `TwoLayerNet`.
#[derive(Clone, Debug, PartialEq)]
pub struct LayeredGradients {
    /// One (∂L/∂W, ∂L/∂b) pair per layer, input side first.
    pub layers: Vec<Layer>,
}

impl LayeredGradients {
    /// Compares these gradients with `other`, parameter by parameter (see
    /// [`crate::GradientCheck`]).
    ///
    /// # Panics
    /// If the two have different numbers of layers or shapes.
    pub fn compare(&self, other: &LayeredGradients) -> crate::GradientCheck {
        assert_eq!(
            self.layers.len(),
            other.layers.len(),
            "LayeredGradients::compare: {} layers against {}",
            self.layers.len(),
            other.layers.len()
        );
        let mut check = crate::GradientCheck::new();
        for (k, (a, b)) in self.layers.iter().zip(&other.layers).enumerate() {
            check = check.param(&format!("W{}", k + 1), &a.w, &b.w);
            check = check.param(&format!("b{}", k + 1), &a.b, &b.b);
        }
        check
    }
}

/// Panics unless a gradient has its parameter's shape, naming the function, the parameter
/// and both shapes. (`scaled_add` would broadcast a (1, n) gradient silently.)
pub(crate) fn check_gradient_shape(function: &str, name: &str, param: &[usize], grad: &[usize]) {
    assert!(
        param == grad,
        "{function}: {name} has shape {param:?} but its gradient has shape {grad:?}"
    );
}

/// (y − t) / batch_size: the gradient of softmax followed by cross entropy with respect to
/// the softmax input (book 5.6.3).
pub(crate) fn softmax_cross_entropy_backward(y: &Array2<f64>, t: Targets) -> Array2<f64> {
    let batch_size = y.nrows() as f64;
    let mut dy = y.clone();
    match t {
        Targets::OneHot(t) => dy -= &t,
        Targets::Labels(t) => {
            for (n, &label) in t.iter().enumerate() {
                dy[[n, label]] -= 1.0;
            }
        }
    }
    dy / batch_size
}

/// Fraction of rows of `y` whose argmax is the target class.
pub(crate) fn accuracy(y: &Array2<f64>, t: Targets, function: &str) -> f64 {
    t.check(function, y.shape());
    if y.nrows() == 0 {
        return 0.0;
    }
    let correct = y
        .rows()
        .into_iter()
        .enumerate()
        .filter(|(n, row)| crate::functions::argmax_view(row.view()) == t.label(*n))
        .count();
    correct as f64 / y.nrows() as f64
}

/// The book's three-layer example network with its fixed weights (book 3.4.3,
/// `init_network`): 2 inputs, hidden layers of 3 and 2 units, 2 identity outputs.
///
/// ```
/// let network = dlfs::init_network();
/// assert_eq!(network.layers[0].w[[0, 1]], 0.3); // the book's W1[0][1]
/// ```
pub fn init_network() -> LayeredNet {
    LayeredNet::new(
        vec![
            (
                array![[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]],
                array![0.1, 0.2, 0.3],
            ),
            (array![[0.1, 0.4], [0.2, 0.5], [0.3, 0.6]], array![0.1, 0.2]),
            (array![[0.1, 0.3], [0.2, 0.4]], array![0.1, 0.2]),
        ],
        OutputLayer::Identity,
    )
}

/// The book's `forward(network, x)` (book 3.4.3): `network.predict` for one sample (1-D `x`)
/// or a batch (2-D `x`), returned with the same number of dimensions as `x`.
///
/// # Panics
/// If `x` is not 1-D or 2-D, or its size does not match the network's input.
///
/// ```
/// use dlfs::ndarray::array;
/// let network = dlfs::init_network();
/// let y = dlfs::forward(&network, &array![1.0, 0.5]);
/// // Book 3.4.3 prints [0.31682708 0.69627909]
/// assert!((y[0] - 0.3168270764110298).abs() < 1e-12);
/// assert!((y[1] - 0.6962790898619668).abs() < 1e-12);
/// ```
pub fn forward<S, D>(network: &LayeredNet, x: &ArrayBase<S, D>) -> ndarray::Array<f64, D>
where
    S: Data<Elem = f64>,
    D: ndarray::Dimension,
{
    let y = network.predict(&as_batch("forward", x));
    if x.ndim() == 1 {
        y.index_axis_move(Axis(0), 0)
            .into_dimensionality::<D>()
            .expect("1-D in, 1-D out")
    } else {
        y.into_dimensionality::<D>().expect("2-D in, 2-D out")
    }
}
