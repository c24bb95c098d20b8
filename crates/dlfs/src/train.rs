//! Mini-batch training of a [`TwoLayerNet`] (book 4.5.2 and 4.5.3, `train_neuralnet.py`).

use crate::batch::SeededRng;
use crate::fast::Batch;
use crate::functions::{cross_entropy_error, Targets};
use crate::gradient::Gradients;
use crate::kernels::Rows;
use crate::two_layer_net::TwoLayerNet;
use ndarray::{Array2, ArrayView1, ArrayView2};
use std::fmt;

/// How each training step computes the gradient.
///
/// ```
/// use dlfs::ndarray::array;
/// use dlfs::{train, GradientMethod, TrainConfig, TrainData};
/// let (x, t) = (array![[1.0, 0.0], [0.0, 1.0]], vec![0usize, 1]);
/// let data = TrainData::new(&x, &t, &x, &t);
/// let backprop = TrainConfig {
///     iters_num: 5, batch_size: 2, hidden_size: 3, output_size: 2, weight_init_std: 1.0,
///     verbose: false, ..Default::default()
/// };
/// let numerical = TrainConfig { gradient: GradientMethod::NumericalFast, ..backprop.clone() };
/// let (a, b) = (train(&data, &backprop).unwrap(), train(&data, &numerical).unwrap());
/// // the same descent, up to the 1e-7 inside the log that only the numerical one sees
/// for (a, b) in a.train_loss_list.iter().zip(&b.train_loss_list) {
///     assert!((a - b).abs() < 1e-5, "{a} {b}");
/// }
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GradientMethod {
    /// Backpropagation, [`TwoLayerNet::gradient`] (book 5; what `train_neuralnet.py` uses).
    #[default]
    Backprop,
    /// The book-style numerical gradient, [`TwoLayerNet::numerical_gradient`]: about a
    /// minute per step on MNIST; only for tiny networks.
    Numerical,
    /// The same central differences, fast: [`TwoLayerNet::numerical_gradient_fast`].
    NumericalFast,
}

/// Hyperparameters of a training run, with the book's values as defaults
/// (`train_neuralnet.py`: 10000 iterations, batches of 100, learning rate 0.1, 50 hidden
/// units, 10 classes, weights drawn with standard deviation 0.01).
///
/// ```
/// let config = dlfs::TrainConfig { iters_num: 600, learning_rate: 0.5, ..Default::default() };
/// assert_eq!(config.batch_size, 100);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct TrainConfig {
    /// Number of gradient steps (book: `iters_num`).
    pub iters_num: usize,
    /// Samples per mini-batch (book: `batch_size`).
    pub batch_size: usize,
    /// Step size (book: `learning_rate`).
    pub learning_rate: f64,
    /// Units in the hidden layer (book: `hidden_size`).
    pub hidden_size: usize,
    /// Number of classes, the units of the output layer (book: `output_size`, 10 for
    /// MNIST). Every label must be below it, and one-hot targets need this many columns.
    pub output_size: usize,
    /// Standard deviation of the initial weights (book: `weight_init_std`).
    pub weight_init_std: f64,
    /// Seed of the generator that draws the initial weights and the mini-batches.
    pub seed: u64,
    /// How the gradient is computed.
    pub gradient: GradientMethod,
    /// Evaluate accuracy every this many iterations; `None` means once per epoch,
    /// `max(train_size / batch_size, 1)` iterations (book: `iter_per_epoch`).
    pub evaluate_every: Option<usize>,
    /// Print `train acc, test acc | ...` at each evaluation, as the book does.
    pub verbose: bool,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            iters_num: 10000,
            batch_size: 100,
            learning_rate: 0.1,
            hidden_size: 50,
            output_size: 10,
            weight_init_std: 0.01,
            seed: 0,
            gradient: GradientMethod::Backprop,
            evaluate_every: None,
            verbose: true,
        }
    }
}

/// Training and test data for [`train`] and [`Trainer::new`], borrowed: images one per row,
/// targets as labels or one-hot rows.
///
/// ```
/// use dlfs::ndarray::array;
/// let x = array![[0.0, 1.0], [1.0, 0.0]];
/// let t = vec![1usize, 0];
/// let data = dlfs::TrainData::new(&x, &t, &x, &t);
/// assert_eq!(data.x_train.nrows(), 2);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct TrainData<'a> {
    /// Training inputs, one sample per row (book: `x_train`).
    pub x_train: ArrayView2<'a, f64>,
    /// Training targets (book: `t_train`).
    pub t_train: Targets<'a>,
    /// Test inputs (book: `x_test`).
    pub x_test: ArrayView2<'a, f64>,
    /// Test targets (book: `t_test`).
    pub t_test: Targets<'a>,
}

impl<'a> TrainData<'a> {
    /// Bundles the four arrays; the targets may be label vectors or one-hot matrices.
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// let x = array![[0.5, 0.5]];
    /// let t = array![[0.0, 1.0]];
    /// let data = dlfs::TrainData::new(&x, &t, &x, &t);
    /// assert_eq!(data.t_test.label(0), 1);
    /// ```
    pub fn new(
        x_train: &'a ndarray::Array2<f64>,
        t_train: impl Into<Targets<'a>>,
        x_test: &'a ndarray::Array2<f64>,
        t_test: impl Into<Targets<'a>>,
    ) -> Self {
        TrainData {
            x_train: x_train.view(),
            t_train: t_train.into(),
            x_test: x_test.view(),
            t_test: t_test.into(),
        }
    }
}

/// What a training run recorded, with the book's list names.
///
/// ```
/// use dlfs::ndarray::array;
/// let x = array![[1.0, 0.0], [0.0, 1.0]];
/// let t = vec![0usize, 1];
/// let config = dlfs::TrainConfig {
///     iters_num: 10, batch_size: 2, output_size: 2, verbose: false, ..Default::default()
/// };
/// let history = dlfs::train(&dlfs::TrainData::new(&x, &t, &x, &t), &config).unwrap();
/// assert_eq!(history.train_loss_list.len(), 10);
/// // 2 samples in batches of 2: every iteration is an epoch, and each is evaluated
/// assert_eq!(history.evaluated_at, (0..10).collect::<Vec<_>>());
/// assert_eq!(history.test_acc_list.len(), 10);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct TrainHistory {
    /// The trained network.
    pub network: TwoLayerNet,
    /// Mini-batch loss after each iteration (book: `train_loss_list`).
    pub train_loss_list: Vec<f64>,
    /// Accuracy on the whole training set at each evaluation (book: `train_acc_list`).
    pub train_acc_list: Vec<f64>,
    /// Accuracy on the test set at each evaluation (book: `test_acc_list`).
    pub test_acc_list: Vec<f64>,
    /// The iteration (0-based) at which each evaluation was made.
    pub evaluated_at: Vec<usize>,
}

/// Why training stopped without a result.
///
/// ```
/// use dlfs::ndarray::array;
/// let x = array![[1.0, 0.0]];
/// let t = vec![0usize];
/// let config = dlfs::TrainConfig { batch_size: 0, ..Default::default() };
/// let err = dlfs::train(&dlfs::TrainData::new(&x, &t, &x, &t), &config).unwrap_err();
/// assert_eq!(err.to_string(), "invalid training setup: batch_size is 0; it must be at least 1");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum TrainError {
    /// A hyperparameter or the data cannot work; the message says which and why.
    InvalidConfig(String),
    /// The loss became NaN or infinite, or has averaged more than three times its value
    /// before training over the last 50 iterations: the learning rate is too large. The
    /// history up to that point is kept, nothing is lost.
    Diverged {
        /// The iteration (0-based) at which the loss gave out.
        iteration: usize,
        /// The loss value seen there (the average over the last 50 iterations, or the NaN or
        /// infinite value).
        loss: f64,
        /// The loss of the first mini-batch before any step.
        initial_loss: f64,
        /// The learning rate of the run.
        learning_rate: f64,
        /// Everything recorded before the divergence, network included.
        history: Box<TrainHistory>,
    },
}

impl fmt::Display for TrainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrainError::InvalidConfig(why) => write!(f, "invalid training setup: {why}"),
            TrainError::Diverged {
                iteration,
                loss,
                initial_loss,
                learning_rate,
                ..
            } => {
                if loss.is_finite() {
                    write!(
                        f,
                        "training diverged at iteration {iteration}: the loss has averaged \
                         {loss:.4} over the last {WINDOW} iterations, more than {GROWTH} times \
                         its value before training ({initial_loss:.4}), with learning_rate = \
                         {learning_rate:?}"
                    )?;
                } else {
                    write!(
                        f,
                        "training diverged at iteration {iteration}: the loss is {loss} with \
                         learning_rate = {learning_rate:?}"
                    )?;
                }
                write!(
                    f,
                    "; try a smaller learning rate (e.g. {:?}). The history up to here is kept \
                     in the error.",
                    learning_rate / 10.0
                )
            }
        }
    }
}

impl std::error::Error for TrainError {}

/// Iterations over which the loss is averaged to decide whether training diverged.
const WINDOW: usize = 50;

/// How many times its value before training the averaged loss may reach before training
/// counts as diverged. The cross entropy is capped at −log(1e-7) ≈ 16.1 by the book's `1e-7`, so a
/// learning rate far too large shows as a loss stuck well above where it started (about
/// 14.5 for MNIST, whose first loss is about ln 10 ≈ 2.3), rarely as NaN.
const GROWTH: f64 = 3.0;

/// Trains a fresh [`TwoLayerNet`] with mini-batch SGD (book 4.5.2 and 4.5.3).
///
/// Each iteration draws `batch_size` samples with replacement, computes the gradient, steps
/// every parameter by `-learning_rate` times its gradient and records the batch loss. Once per
/// epoch (or every `evaluate_every` iterations), starting at iteration 0, it measures the
/// accuracy on the whole training and test sets, as the book's loop does, printing
/// `train acc, test acc | 0.0993, 0.1032` when `verbose`.
///
/// # Errors
/// [`TrainError::InvalidConfig`] for a zero batch size, iteration count, hidden or output
/// size, `evaluate_every: Some(0)`, a learning rate that is not a positive number, data whose
/// sizes do not match, inputs without columns, a NaN or infinite input or target, or a label
/// not below `output_size`;
/// [`TrainError::Diverged`] when the loss becomes NaN or infinite, or averages more than
/// three times its value before training over the last 50 iterations (the steps overshoot and the
/// network ends up sure of wrong answers).
///
/// ```
/// use dlfs::ndarray::array;
/// // Two points, two classes: learnable in a few hundred steps.
/// let x = array![[1.0, 0.0], [0.0, 1.0]];
/// let t = vec![0usize, 1];
/// let data = dlfs::TrainData::new(&x, &t, &x, &t);
/// let config = dlfs::TrainConfig {
///     iters_num: 300, batch_size: 2, learning_rate: 1.0, hidden_size: 4, output_size: 2,
///     weight_init_std: 1.0, verbose: false, ..Default::default()
/// };
/// let history = dlfs::train(&data, &config).unwrap();
/// assert_eq!(history.train_loss_list.len(), 300);
/// assert_eq!(history.network.accuracy(&x, &t), 1.0);
/// ```
pub fn train(data: &TrainData, config: &TrainConfig) -> Result<TrainHistory, TrainError> {
    if config.iters_num == 0 {
        return Err(TrainError::InvalidConfig(
            "iters_num is 0; it must be at least 1".into(),
        ));
    }
    let mut trainer = Trainer::new(data, config)?;
    for i in 0..config.iters_num {
        trainer.step()?;
        if i % trainer.evaluate_every == 0 {
            trainer.evaluate();
        }
    }
    Ok(trainer.into_history())
}

/// A training run one iteration at a time: what [`train`] does, for a loop of your own
/// (to print, plot or stop when you like).
///
/// The trainer keeps its own copy of what it needs from the data (the nonzero entries of the
/// inputs, found once in [`Trainer::new`], and the targets), so it borrows nothing: a
/// notebook can make it in one cell and call [`Trainer::step`] in later ones. Every
/// mini-batch and every evaluation reuses those entries instead of scanning its images again
/// (MNIST pixels are mostly zero). Inputs that are mostly nonzero are copied whole.
///
/// ```
/// use dlfs::ndarray::array;
/// let x = array![[1.0, 0.0], [0.0, 1.0]];
/// let t = vec![0usize, 1];
/// let config = dlfs::TrainConfig {
///     batch_size: 2, learning_rate: 1.0, hidden_size: 4, output_size: 2, weight_init_std: 1.0,
///     verbose: false, ..Default::default()
/// };
/// let mut trainer = dlfs::Trainer::new(&dlfs::TrainData::new(&x, &t, &x, &t), &config).unwrap();
/// let first = trainer.step().unwrap();
/// for _ in 0..299 {
///     trainer.step().unwrap();
/// }
/// assert!(trainer.history().train_loss_list[299] < first);
/// let (train_acc, test_acc) = trainer.evaluate();
/// assert_eq!((train_acc, test_acc), (1.0, 1.0));
/// // the same seed gives the same run as `train`
/// let config = dlfs::TrainConfig { iters_num: 300, evaluate_every: Some(1000), ..config };
/// let history = dlfs::train(&dlfs::TrainData::new(&x, &t, &x, &t), &config).unwrap();
/// assert_eq!(history.network, trainer.history().network);
/// ```
#[derive(Clone, Debug)]
pub struct Trainer {
    x_train: Rows,
    t_train: OwnedTargets,
    x_test: Rows,
    t_test: OwnedTargets,
    config: TrainConfig,
    rng: SeededRng,
    /// Iterations between evaluations in [`train`].
    evaluate_every: usize,
    /// The loss of the first mini-batch before any step.
    initial_loss: f64,
    history: TrainHistory,
    /// The mini-batch's nonzero entries, column by column, and its hidden values (buffers
    /// kept between steps).
    batch: Batch,
}

impl Trainer {
    /// A fresh [`TwoLayerNet`] drawn from `config.seed`, ready to train on `data`.
    ///
    /// # Errors
    /// [`TrainError::InvalidConfig`], as [`train`] (`iters_num` is not used here: the
    /// trainer runs as many steps as you make).
    pub fn new(data: &TrainData, config: &TrainConfig) -> Result<Self, TrainError> {
        validate(data, config)?;
        let mut rng = crate::seeded_rng(config.seed);
        let network = TwoLayerNet::new(
            data.x_train.ncols(),
            config.hidden_size,
            config.output_size,
            config.weight_init_std,
            &mut rng,
        );
        let train_size = data.x_train.nrows();
        Ok(Trainer {
            x_train: Rows::of(data.x_train),
            t_train: OwnedTargets::of(data.t_train),
            x_test: Rows::of(data.x_test),
            t_test: OwnedTargets::of(data.t_test),
            config: config.clone(),
            rng,
            evaluate_every: config
                .evaluate_every
                .unwrap_or((train_size / config.batch_size).max(1)),
            initial_loss: f64::NAN,
            history: TrainHistory {
                network,
                train_loss_list: Vec::with_capacity(config.iters_num),
                train_acc_list: Vec::new(),
                test_acc_list: Vec::new(),
                evaluated_at: Vec::new(),
            },
            batch: Batch::default(),
        })
    }

    /// One iteration of the book's loop: draws `batch_size` samples with replacement,
    /// computes the gradient, steps every parameter by `-learning_rate` times its gradient,
    /// and records and returns the batch's loss after the step.
    ///
    /// # Errors
    /// [`TrainError::Diverged`], as [`train`]; the error holds a copy of the history.
    pub fn step(&mut self) -> Result<f64, TrainError> {
        self.step_with(true)
    }

    /// [`Trainer::step`]; `columns` chooses the step on the batch's columns (for the backprop
    /// gradient on mostly-zero inputs) over the general one where it applies. Both give the
    /// same results, bit for bit (the tests run both).
    fn step_with(&mut self, columns: bool) -> Result<f64, TrainError> {
        let config = &self.config;
        let i = self.history.train_loss_list.len();
        let batch_mask = crate::random_choice(&mut self.rng, self.t_train.len(), config.batch_size);
        let t_batch = self.t_train.select(&batch_mask);
        let t_batch = t_batch.targets();
        let net = &mut self.history.network;
        // The batch's images, pixel by pixel, from the nonzero entries found once, where the
        // step on them applies.
        let on_columns = match &self.x_train {
            Rows::Sparse(x) if columns && config.gradient == GradientMethod::Backprop => {
                self.batch.gather(x, &batch_mask);
                self.batch.fits(net)
            }
            _ => false,
        };
        let loss = if on_columns {
            let x_batch = &mut self.batch;
            if i == 0 {
                self.initial_loss = cross_entropy_error(&x_batch.forward(net).1, t_batch);
            }
            crate::fast::sgd_step(net, x_batch, t_batch, config.learning_rate);
            cross_entropy_error(&x_batch.forward(net).1, t_batch)
        } else {
            // The batch's images: gathered from the nonzero entries found once, or copied.
            let x_rows = self.x_train.gather(&batch_mask);
            let x_batch = x_rows.input();
            let loss =
                |net: &TwoLayerNet| cross_entropy_error(&net.forward("loss", &x_batch).y, t_batch);
            if i == 0 {
                self.initial_loss = loss(net);
            }
            let grad: Gradients = match config.gradient {
                GradientMethod::Backprop => net.backward(&x_batch, t_batch),
                GradientMethod::Numerical => net.numerical_gradient(&x_rows.to_dense(), t_batch),
                GradientMethod::NumericalFast => {
                    net.numerical_gradient_fast(&x_rows.to_dense(), t_batch)
                }
            };
            net.update(&grad, config.learning_rate);
            loss(net)
        };
        self.history.train_loss_list.push(loss);
        let losses = &self.history.train_loss_list;
        let recent = (losses.len() >= WINDOW)
            .then(|| losses[losses.len() - WINDOW..].iter().sum::<f64>() / WINDOW as f64);
        let diverged = match recent {
            _ if !loss.is_finite() => Some(loss),
            Some(mean) if mean > GROWTH * self.initial_loss => Some(mean),
            _ => None,
        };
        match diverged {
            Some(loss) => Err(TrainError::Diverged {
                iteration: i,
                loss,
                initial_loss: self.initial_loss,
                learning_rate: config.learning_rate,
                history: Box::new(self.history.clone()),
            }),
            None => Ok(loss),
        }
    }

    /// Measures the accuracy on the whole training and test sets, records both with the
    /// iteration they were taken after (the last one done; 0 before the first step), prints
    /// `train acc, test acc | 0.0993, 0.1032` when `verbose`, and returns them.
    pub fn evaluate(&mut self) -> (f64, f64) {
        let net = &self.history.network;
        let train_acc = crate::fast::accuracy(net, &self.x_train.input(), self.t_train.targets());
        let test_acc = crate::fast::accuracy(net, &self.x_test.input(), self.t_test.targets());
        if self.config.verbose {
            println!("train acc, test acc | {train_acc:.4}, {test_acc:.4}");
        }
        let history = &mut self.history;
        history.train_acc_list.push(train_acc);
        history.test_acc_list.push(test_acc);
        history
            .evaluated_at
            .push(history.train_loss_list.len().saturating_sub(1));
        (train_acc, test_acc)
    }

    /// The network being trained.
    pub fn network(&self) -> &TwoLayerNet {
        &self.history.network
    }

    /// What has been recorded so far.
    pub fn history(&self) -> &TrainHistory {
        &self.history
    }

    /// Ends the run, keeping what it recorded.
    pub fn into_history(self) -> TrainHistory {
        self.history
    }
}

/// Checks the setup: every way a setting or the data could make training fail or mislead.
fn validate(data: &TrainData, config: &TrainConfig) -> Result<(), TrainError> {
    let bad = |why: String| Err(TrainError::InvalidConfig(why));
    for (name, value) in [
        ("batch_size", config.batch_size),
        ("hidden_size", config.hidden_size),
        ("output_size", config.output_size),
    ] {
        if value == 0 {
            return bad(format!("{name} is 0; it must be at least 1"));
        }
    }
    if config.evaluate_every == Some(0) {
        return bad(
            "evaluate_every is Some(0); it must be at least 1, or None for once per \
                    epoch"
                .into(),
        );
    }
    if !(config.learning_rate > 0.0 && config.learning_rate.is_finite()) {
        return bad(format!(
            "learning_rate is {}; it must be a positive, finite number",
            config.learning_rate
        ));
    }
    if data.x_train.nrows() == 0 {
        return bad("x_train has no rows".into());
    }
    let classes = config.output_size;
    for (name, x, t) in [
        ("train", &data.x_train, &data.t_train),
        ("test", &data.x_test, &data.t_test),
    ] {
        if x.ncols() == 0 {
            return bad(format!(
                "x_{name} has shape {:?}: samples of no inputs",
                x.shape()
            ));
        }
        if x.ncols() != data.x_train.ncols() {
            return bad(format!(
                "x_train has shape {:?} but x_test has shape {:?}; they need the same columns",
                data.x_train.shape(),
                data.x_test.shape()
            ));
        }
        if x.nrows() != t.len() {
            return bad(format!(
                "x_{name} has {} rows but t_{name} holds {} targets",
                x.nrows(),
                t.len()
            ));
        }
        if let Some((r, c)) = non_finite(x) {
            return bad(format!(
                "x_{name}[{r}][{c}] is {}; the inputs must be finite numbers",
                x[[r, c]]
            ));
        }
        match t {
            Targets::OneHot(t) if t.ncols() != classes => {
                return bad(format!(
                    "t_{name} has shape {:?} but output_size is {classes}; one-hot targets \
                     need one column per class",
                    t.shape()
                ));
            }
            Targets::OneHot(t) => {
                if let Some((r, c)) = non_finite(t) {
                    return bad(format!(
                        "t_{name}[{r}][{c}] is {}; the targets must be finite numbers",
                        t[[r, c]]
                    ));
                }
            }
            Targets::Labels(t) => {
                if let Some((i, label)) = t.iter().enumerate().find(|(_, &l)| l >= classes) {
                    return bad(format!(
                        "t_{name}[{i}] is {label}, not below output_size = {classes} (labels \
                         are 0..{classes})"
                    ));
                }
            }
        }
    }
    Ok(())
}

/// The first entry of `x` that is NaN or infinite, as (row, column).
fn non_finite(x: &ArrayView2<f64>) -> Option<(usize, usize)> {
    let k = x.iter().position(|v| !v.is_finite())?;
    Some((k / x.ncols(), k % x.ncols()))
}

/// Targets, owned: what a [`Trainer`] keeps of the data's targets, and a mini-batch's.
#[derive(Clone, Debug)]
enum OwnedTargets {
    OneHot(Array2<f64>),
    Labels(Vec<usize>),
}

impl OwnedTargets {
    fn of(t: Targets) -> Self {
        match t {
            Targets::OneHot(t) => OwnedTargets::OneHot(t.to_owned()),
            Targets::Labels(t) => OwnedTargets::Labels(t.to_vec()),
        }
    }

    fn len(&self) -> usize {
        self.targets().len()
    }

    fn targets(&self) -> Targets<'_> {
        match self {
            OwnedTargets::OneHot(t) => Targets::OneHot(t.view()),
            OwnedTargets::Labels(t) => Targets::Labels(ArrayView1::from(t.as_slice())),
        }
    }

    /// The targets of the samples `mask`, in that order.
    fn select(&self, mask: &[usize]) -> Self {
        match self {
            // row by row (ndarray's `select` took 4% of a training step for 100 rows of 10)
            OwnedTargets::OneHot(t) => {
                let mut rows = Vec::with_capacity(mask.len() * t.ncols());
                for &i in mask {
                    rows.extend(t.row(i).iter());
                }
                OwnedTargets::OneHot(
                    Array2::from_shape_vec((mask.len(), t.ncols()), rows).expect("rows of t"),
                )
            }
            OwnedTargets::Labels(t) => OwnedTargets::Labels(mask.iter().map(|&i| t[i]).collect()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    /// `n` images of `side`×`side` pixels, MNIST-like: zero outside a disc in the middle,
    /// about half of the pixels inside it nonzero.
    fn sparse_images(n: usize, side: usize, seed: u64) -> Array2<f64> {
        let mut rng = crate::seeded_rng(seed);
        let c = (side as f64 - 1.0) / 2.0;
        Array2::from_shape_fn((n, side * side), |(_, p)| {
            let (y, x) = ((p / side) as f64 - c, (p % side) as f64 - c);
            if (x * x + y * y).sqrt() < c * 0.7 && rng.random_bool(0.5) {
                rng.random_range(1..=255) as f64 / 255.0
            } else {
                0.0
            }
        })
    }

    /// The bits of every parameter of `net`.
    fn bits(net: &TwoLayerNet) -> Vec<u64> {
        let TwoLayerNet { w1, b1, w2, b2 } = net;
        let all = w1.iter().chain(b1).chain(w2).chain(b2);
        all.map(|v| v.to_bits()).collect()
    }

    #[test]
    fn steps_on_columns_are_the_general_steps_bit_for_bit() {
        // odd sizes (hidden layers not a multiple of 4 wide, a batch of 1), labels and
        // one-hot targets, and a learning rate large enough to move every weight a lot
        let x = sparse_images(300, 12, 7);
        let labels: Vec<usize> = (0..300).map(|k| (k * 7) % 10).collect();
        let one_hot = crate::one_hot(&labels, 10);
        for (batch_size, hidden_size, learning_rate) in
            [(100, 50, 0.1), (1, 5, 0.5), (7, 13, 2.0), (32, 1, 0.1)]
        {
            for data in [
                TrainData::new(&x, &labels, &x, &labels),
                TrainData::new(&x, &one_hot, &x, &one_hot),
            ] {
                let config = TrainConfig {
                    batch_size,
                    hidden_size,
                    learning_rate,
                    weight_init_std: 0.5,
                    verbose: false,
                    ..Default::default()
                };
                let mut general = Trainer::new(&data, &config).expect("valid");
                let mut columns = Trainer::new(&data, &config).expect("valid");
                assert!(matches!(columns.x_train, Rows::Sparse(_)));
                for i in 0..40 {
                    let a = general.step_with(false).expect("no divergence");
                    let b = columns.step_with(true).expect("no divergence");
                    assert_eq!(a.to_bits(), b.to_bits(), "loss at step {i}, {config:?}");
                    assert_eq!(bits(general.network()), bits(columns.network()), "step {i}");
                }
                assert_eq!(
                    general.initial_loss.to_bits(),
                    columns.initial_loss.to_bits()
                );
                // and `step` is the step on columns
                let mut stepped = Trainer::new(&data, &config).expect("valid");
                for _ in 0..40 {
                    stepped.step().expect("no divergence");
                }
                assert_eq!(bits(stepped.network()), bits(columns.network()));
            }
        }
    }
}
