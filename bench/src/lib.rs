//! The workloads measured against the book's NumPy code (`bench/numpy_reference.py` runs the
//! same ones): shared by the criterion benches and the `timings` program that
//! `bench/compare.sh` runs side by side with NumPy.

use dlfs::ndarray::{Array2, Axis};
use dlfs::{random_choice, seeded_rng, LayeredNet, TrainConfig, Trainer, TwoLayerNet};
use dlfs_data::{load_mnist, Mnist, MnistOptions};

/// MNIST as the book's chapter 4 loads it (normalized, flat, one-hot labels), and a batch.
pub struct Workloads {
    /// The data set.
    pub mnist: Mnist,
    /// A 784-50-100-10 network like the book's `sample_weight.pkl` (random weights: the
    /// time of a forward pass does not depend on the values).
    pub ch3_net: LayeredNet,
    /// The book's `TwoLayerNet(784, 50, 10)`.
    pub net: TwoLayerNet,
    /// A mini-batch of 100 training images.
    pub x_batch: Array2<f64>,
    /// Its one-hot labels.
    pub t_batch: Array2<f64>,
}

impl Workloads {
    /// Loads MNIST and builds the networks.
    ///
    /// # Panics
    /// If MNIST cannot be loaded (the message says why).
    pub fn new() -> Self {
        let mnist = load_mnist(MnistOptions {
            one_hot_label: true,
            ..Default::default()
        })
        .unwrap_or_else(|e| panic!("{e}"));
        let mut rng = seeded_rng(0);
        let ch3_net = LayeredNet::random(&[784, 50, 100, 10], 0.1, &mut rng);
        let net = TwoLayerNet::new(784, 50, 10, 0.01, &mut rng);
        let mask = random_choice(&mut rng, 60000, 100);
        let x_batch = mnist.x_train.flat().expect("flat").select(Axis(0), &mask);
        let t_batch = mnist
            .t_train
            .one_hot()
            .expect("one-hot")
            .select(Axis(0), &mask);
        Workloads {
            mnist,
            ch3_net,
            net,
            x_batch,
            t_batch,
        }
    }

    /// Chapter 3: the whole test set through the 784-50-100-10 network in batches of 100,
    /// counting correct answers (book 3.6.3). Returns the accuracy.
    pub fn ch3_batch_inference(&self) -> f64 {
        let x = self.mnist.x_test.flat().expect("flat");
        let t = self.mnist.t_test.one_hot().expect("one-hot");
        let mut correct = 0.0;
        for (xb, tb) in x
            .axis_chunks_iter(Axis(0), 100)
            .zip(t.axis_chunks_iter(Axis(0), 100))
        {
            correct += self.ch3_net.accuracy(&xb, &tb) * xb.nrows() as f64;
        }
        correct / x.nrows() as f64
    }

    /// The book's training loop (`train_neuralnet.py`, 784-50-10, batches of 100), ready
    /// for [`Trainer::step`]: one SGD iteration is one pass of the loop body (draw a batch,
    /// backprop gradient, update, batch loss), as `train` runs it.
    pub fn trainer(&self) -> Trainer {
        let config = TrainConfig {
            verbose: false,
            ..Default::default()
        };
        Trainer::new(&self.mnist.train_data().expect("flat"), &config)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// The whole chapter 4 training: 10000 iterations, accuracy on both sets every epoch.
    pub fn ch4_training(&self) -> f64 {
        let config = TrainConfig {
            verbose: false,
            ..Default::default()
        };
        let history = dlfs::train(&self.mnist.train_data().expect("flat"), &config)
            .unwrap_or_else(|e| panic!("{e}"));
        *history.test_acc_list.last().expect("evaluated")
    }
}

impl Default for Workloads {
    fn default() -> Self {
        Self::new()
    }
}
