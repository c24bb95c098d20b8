//! Trains the book's chapter 3 network (784-50-100-10, sigmoid hidden layers, softmax output)
//! on MNIST and writes its weights to `data/weights/sample_weight.npz`, the project's own
//! counterpart of the book's `sample_weight.pkl` (which the book ships without the code
//! that made it). Seeded: the same program writes the same file, byte for byte.
//!
//!     cargo run --release -p dlfs-data --example train_sample_weight [OUT.npz]
//!
//! Keys W1 b1 W2 b2 W3 b3 as in the book's file; `numpy.load` reads it.

use dlfs::ndarray::{Array1, Axis};
use dlfs::{randn, random_choice, seeded_rng, LayeredNet, OutputLayer};
use dlfs_data::{load_mnist, mnist_dir, write_npz, MnistOptions, WeightFile};
use std::error::Error;
use std::path::PathBuf;

const SIZES: [usize; 4] = [784, 50, 100, 10];
const SEED: u64 = 2016;
const EPOCHS: usize = 20;
const BATCH_SIZE: usize = 100;
const LEARNING_RATE: f64 = 0.5;

fn main() -> Result<(), Box<dyn Error>> {
    let out = match std::env::args().nth(1) {
        Some(path) => PathBuf::from(path),
        None => match mnist_dir()?.parent() {
            Some(data) => data.join("weights/sample_weight.npz"),
            None => return Err("the MNIST folder has no parent folder for weights/".into()),
        },
    };
    let mnist = load_mnist(MnistOptions::default())?;
    let (x_train, t_train) = (mnist.x_train.flat()?, mnist.t_train.digits()?);
    let (x_test, t_test) = (mnist.x_test.flat()?, mnist.t_test.digits()?);
    let t_train = t_train.as_slice().expect("contiguous labels");

    // Weights drawn with standard deviation 1/sqrt(inputs) ("Xavier", book 6.2.2): with the
    // book's 0.01 a three-layer sigmoid network learns very slowly.
    let mut rng = seeded_rng(SEED);
    let layers = SIZES
        .windows(2)
        .map(|io| {
            (
                randn(&mut rng, (io[0], io[1])) / (io[0] as f64).sqrt(),
                Array1::zeros(io[1]),
            )
        })
        .collect();
    let mut network = LayeredNet::new(layers, OutputLayer::Softmax);

    let iters_per_epoch = x_train.nrows() / BATCH_SIZE;
    for epoch in 1..=EPOCHS {
        for _ in 0..iters_per_epoch {
            let batch_mask = random_choice(&mut rng, x_train.nrows(), BATCH_SIZE);
            let x_batch = x_train.select(Axis(0), &batch_mask);
            let t_batch: Vec<usize> = batch_mask.iter().map(|&i| t_train[i]).collect();
            let grads = network.gradient(&x_batch, &t_batch);
            network.update(&grads, LEARNING_RATE);
        }
        println!(
            "epoch {epoch:2}: test accuracy {:.4}",
            network.accuracy(x_test, t_test)
        );
    }
    let accuracy = network.accuracy(x_test, t_test);
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    write_npz(&out, &WeightFile::from(&network))?;
    println!(
        "test accuracy {accuracy:.4}; weights written to {}",
        out.display()
    );
    Ok(())
}
