//! Data for *Deep Learning from Scratch* in Rust: the MNIST data set and the book's
//! pretrained weights, read offline and checked.
//!
//! - [`load_mnist`] is the book's `load_mnist` (book 3.6.1): the four MNIST files committed
//!   in this repository's `data/mnist/`, checked (IDX structure, label range, and SHA-256 of
//!   every file) and converted as [`MnistOptions`] asks, in a few tenths of a second.
//! - [`read_npz`]/[`write_npz`] read and write numpy `.npz` files; [`read_pickle_weights`]
//!   reads the book's `sample_weight.pkl` without running Python (or any code in it).
//! - [`load_network`] turns a weight file with arrays `W1, b1, W2, b2, ...` into `dlfs`'s
//!   [`LayeredNet`](dlfs::LayeredNet), the book's `init_network()` of
//!   `ch03/neuralnet_mnist.py` (book 3.6.2).
//! - With the feature `handwriting`, `load_digit` reads a photo of your own handwritten digit
//!   (PNG or JPEG) and turns it into an MNIST-style 784-vector, step by step (module
//!   `handwriting`; the notebook `04_extra_own_handwriting` turns it on in its `:dep` line).
//!
//! Every problem with a file on disk is an error value ([`MnistError`], [`WeightsError`])
//! naming the file, what was expected, what was found, and where; nothing read from disk
//! can make this crate panic. Every reader states its limits, checks them before it takes
//! the memory, and runs in time linear in its input: an MNIST file is never read past its
//! real size ([`MnistFile::decompressed_bytes`]), a weight file never past
//! [`MAX_WEIGHT_BYTES`] (and a pickle never runs more than [`MAX_PICKLE_OPCODES`]).
//!
//! ```
//! use dlfs_data::{load_mnist, MnistOptions};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // Book 3.6.1: (x_train, t_train), (x_test, t_test) = load_mnist(flatten=True, normalize=False)
//! let mnist = load_mnist(MnistOptions { normalize: false, ..Default::default() })?;
//! let x_train = mnist.x_train.flat()?; // an Array2<f64>, one image per row
//! let t_train = mnist.t_train.digits()?; // an Array1<usize>
//! println!("{:?} {:?}", x_train.shape(), t_train.shape()); // [60000, 784] [60000]
//! assert_eq!(t_train[0], 5);
//!
//! // The first image as 28x28 pixels, as the book's img.reshape(28, 28)
//! let img = x_train.row(0).into_shape_with_order((28, 28))?;
//! assert_eq!(img.shape(), &[28, 28]);
//! # Ok(())
//! # }
//! ```
//!
//! | book (Python) | this crate (Rust) |
//! |---|---|
//! | `load_mnist(normalize=True, flatten=True, one_hot_label=False)` | `load_mnist(MnistOptions::default())` |
//! | `load_mnist(one_hot_label=True)` | `load_mnist(MnistOptions { one_hot_label: true, ..Default::default() })` |
//! | `x_train` (`(60000, 784)`) | `mnist.x_train.flat()?` (`&Array2<f64>`) |
//! | `t_train` (labels) | `mnist.t_train.digits()?` (`&Array1<usize>`) |
//! | `t_train` (one-hot) | `mnist.t_train.one_hot()?` (`&Array2<f64>`) |
//! | `pickle.load(open("sample_weight.pkl", "rb"))` | `read_pickle_weights("sample_weight.pkl")?` |
//! | `network['W1']` | `weights.matrix("W1")?` |
//! | `np.savez("w.npz", **params)` / `np.load("w.npz")` | `write_npz("w.npz", &weights)?` / `read_npz("w.npz")?` |
//!
//! # Why `x_test` is an [`Images`] and not an `Array2`
//!
//! The book's `load_mnist` returns arrays whose *shape* depends on its keyword arguments:
//! `flatten=True` gives `(N, 784)` rows, `flatten=False` gives `(N, 1, 28, 28)` images;
//! `one_hot_label=False` gives digit labels, `True` gives `(N, 10)` one-hot rows. In Rust an
//! array of another rank is another type, so the fields of [`Mnist`] are two small enums,
//! [`Images`] and [`Labels`], and the accessors name the form you expect:
//! [`Images::flat`] returns `&Array2<f64>`, [`Labels::digits`] returns `&Array1<usize>`,
//! [`Labels::one_hot`] returns `&Array2<f64>`, and `into_*` versions return owned arrays to
//! keep in a notebook variable. Asking for a form the options did not produce is a
//! [`MnistError::WrongLayout`] that says which option to change, never a panic or a silent
//! reshape. `&Labels` also converts into `dlfs`'s [`Targets`](dlfs::Targets), so
//! `net.accuracy(x, &mnist.t_test)` works for either form, and [`Mnist::train_data`] hands
//! all four arrays to `dlfs::train`.
//!
//! The data folder is found without naming it: see [`mnist_dir`] (the `DLFS_DATA_DIR`
//! environment variable, else `data/mnist/` in the current folder or a parent, else the
//! repository this crate was built from). Attribution of the MNIST files is in
//! `data/mnist/README.md`.
#![warn(missing_docs)]

mod data_dir;
#[cfg(feature = "download")]
mod download;
mod error;
mod forms;
#[cfg(feature = "handwriting")]
pub mod handwriting;
pub mod idx;
mod mnist;
mod mnist_file;
mod npy;
mod pickle;
mod pickle_value;
mod read;
mod weights;
mod zip;

pub use data_dir::{mnist_dir, DATA_DIR_ENV};
pub use dlfs::ndarray;
#[cfg(feature = "download")]
pub use download::{download_mnist, download_mnist_from, MIRROR};
pub use error::{MnistError, WeightsError};
pub use forms::{Images, Labels, MnistOptions};
#[cfg(feature = "handwriting")]
pub use handwriting::{decode_digit, load_digit, preprocess_digit, DigitSteps, HandwritingError};
pub use mnist::{
    load_mnist, load_mnist_from, load_mnist_raw, load_mnist_raw_from, Mnist, MnistRaw,
};
pub use mnist_file::MnistFile;
pub use pickle::MAX_PICKLE_OPCODES;
pub use weights::{
    load_network, parse_npz, parse_pickle_weights, read_npy, read_npz, read_pickle_weights,
    read_weights, write_npy, write_npz, WeightFile, MAX_WEIGHT_BYTES,
};
