//! The MNIST loader: the book's `load_mnist` (book 3.6.1, `dataset/mnist.py`).
//! See the crate docs for why the fields are [`Images`] and [`Labels`].

use crate::idx;
use dlfs::ndarray::{Array1, Array2, Array3, Array4, ArrayViewD};
use sha2::{Digest, Sha256};
use std::ffi::OsStr;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The environment variable that points the loader at a data folder.
///
/// It may name the folder that *contains* `mnist/` (like this repository's `data/`), or the
/// folder holding the four MNIST files itself. See [`mnist_dir`].
///
/// ```
/// assert_eq!(dlfs_data::DATA_DIR_ENV, "DLFS_DATA_DIR");
/// ```
pub const DATA_DIR_ENV: &str = "DLFS_DATA_DIR";

/// The four MNIST files by their usual names (without `.gz`), with the SHA-256 of their
/// decompressed bytes, copied from `data/mnist/SHA256SUMS.raw`.
///
/// ```
/// let (name, sha) = dlfs_data::MNIST_FILES[0];
/// assert_eq!(name, "train-images-idx3-ubyte");
/// assert_eq!(sha.len(), 64);
/// ```
pub const MNIST_FILES: [(&str, &str); 4] = [
    (
        TRAIN_IMAGES,
        "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    ),
    (
        TRAIN_LABELS,
        "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    ),
    (
        TEST_IMAGES,
        "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    ),
    (
        TEST_LABELS,
        "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    ),
];

const TRAIN_IMAGES: &str = "train-images-idx3-ubyte";
const TRAIN_LABELS: &str = "train-labels-idx1-ubyte";
const TEST_IMAGES: &str = "t10k-images-idx3-ubyte";
const TEST_LABELS: &str = "t10k-labels-idx1-ubyte";

const RESTORE: &str = "restore it with `git checkout -- data/mnist/`";

/// Everything that can go wrong while finding, reading and checking the MNIST files, or
/// when asking a loaded [`Images`]/[`Labels`] for a form the options did not produce.
///
/// Each message names the file, what was expected and what was found, and how to fix it.
///
/// ```
/// use std::path::Path;
/// use dlfs_data::{idx, MnistError};
/// let err = idx::parse_labels(&[0, 0, 8, 3, 0, 0, 0, 0], Path::new("t10k-labels-idx1-ubyte"))
///     .unwrap_err();
/// assert!(matches!(err, MnistError::BadMagic { expected: 2049, found: 2051, .. }));
/// assert!(err.to_string().starts_with("t10k-labels-idx1-ubyte: wrong magic number"));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MnistError {
    /// No `data/mnist/` folder was found.
    #[error(
        "no MNIST folder found (looked in: {}); run from inside the repository, \
         or set DLFS_DATA_DIR to the folder that contains mnist/",
        searched.join(", ")
    )]
    DataDirNotFound {
        /// The places that were looked at.
        searched: Vec<String>,
    },
    /// `DLFS_DATA_DIR` is set but holds neither `mnist/` nor the MNIST files.
    #[error(
        "DLFS_DATA_DIR is {} but neither it nor its mnist/ subfolder holds \
         train-images-idx3-ubyte(.gz); point it at the folder that contains mnist/, or unset it",
        dir.display()
    )]
    BadDataDirEnv {
        /// The value of the variable.
        dir: PathBuf,
    },
    /// Neither `NAME.gz` nor `NAME` exists.
    #[error("{}: file not found (nor {} without .gz); {RESTORE}", path.display(), path.with_extension("").display())]
    MissingFile {
        /// The `.gz` path that was looked for.
        path: PathBuf,
    },
    /// A download failed (cargo feature `download`).
    #[cfg(feature = "download")]
    #[error("downloading {url} failed: {reason}; the files in data/mnist/ were left as they were")]
    Download {
        /// The address asked for.
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// The file could not be read (or, when downloading, written).
    #[error("{}: cannot read or write the file: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The file (or what it decompresses to) is larger than any MNIST file.
    #[error(
        "{}: more than {} bytes (decompressed), larger than any MNIST file; {RESTORE}",
        path.display(),
        idx::MAX_FILE_BYTES
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
    },
    /// The file has no bytes.
    #[error("{}: the file is empty; {RESTORE}", path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The `.gz` file is not valid gzip (corrupt, cut short, or not gzip at all).
    #[error("{}: not valid gzip data ({source}); {RESTORE}", path.display())]
    Gzip {
        /// The file.
        path: PathBuf,
        /// What the decompressor reported.
        #[source]
        source: std::io::Error,
    },
    /// The first four bytes are not the IDX magic number expected for this file.
    #[error(
        "{}: wrong magic number at offset 0: expected {expected} ({}), found {found}; \
         is this the right file? {RESTORE}",
        path.display(),
        if *expected == idx::IMAGES_MAGIC { "an images file" } else { "a labels file" }
    )]
    BadMagic {
        /// The file.
        path: PathBuf,
        /// 2051 for images, 2049 for labels.
        expected: u32,
        /// The big-endian `u32` at offset 0.
        found: u32,
    },
    /// The header says images are not 28x28.
    #[error("{}: the header (offsets 8 and 12) says {rows}x{cols} images, expected 28x28; {RESTORE}", path.display())]
    BadDims {
        /// The file.
        path: PathBuf,
        /// Rows, offset 8.
        rows: u32,
        /// Columns, offset 12.
        cols: u32,
    },
    /// The file is shorter than its header says.
    #[error(
        "{}: truncated: {what} need {expected} bytes but the (decompressed) file has {found}; {RESTORE}",
        path.display()
    )]
    Truncated {
        /// The file.
        path: PathBuf,
        /// What the missing bytes were to hold.
        what: String,
        /// Bytes the header implies.
        expected: u64,
        /// Bytes present.
        found: u64,
    },
    /// The file is longer than its header says.
    #[error(
        "{}: {found} bytes but the header accounts for {expected}: {} unexpected trailing bytes; {RESTORE}",
        path.display(),
        found - expected
    )]
    TrailingBytes {
        /// The file.
        path: PathBuf,
        /// Bytes the header implies.
        expected: u64,
        /// Bytes present.
        found: u64,
    },
    /// A label is not a digit 0-9.
    #[error("{}: label {value} of sample {index} (offset {offset}) is not a digit 0-9; {RESTORE}", path.display())]
    BadLabel {
        /// The file.
        path: PathBuf,
        /// Index of the sample.
        index: usize,
        /// Byte offset in the decompressed file.
        offset: u64,
        /// The value found.
        value: u8,
    },
    /// The images file and its labels file disagree on the number of samples.
    #[error(
        "{} holds {images} images but {} holds {labels} labels; the files do not belong together, {RESTORE}",
        images_path.display(),
        labels_path.display()
    )]
    CountMismatch {
        /// The images file.
        images_path: PathBuf,
        /// Its count (offset 4).
        images: usize,
        /// The labels file.
        labels_path: PathBuf,
        /// Its count (offset 4).
        labels: usize,
    },
    /// The decompressed bytes are well-formed IDX but not the pinned MNIST data.
    #[error(
        "{}: SHA-256 of the decompressed data is {found}, expected {expected} (data/mnist/SHA256SUMS.raw): \
         the file is damaged or is not the MNIST file; {RESTORE}",
        path.display()
    )]
    Checksum {
        /// The file.
        path: PathBuf,
        /// The pinned hash.
        expected: &'static str,
        /// The hash of what was read.
        found: String,
    },
    /// A loaded [`Images`] or [`Labels`] was asked for a form its options did not produce.
    #[error("asked for {what}, but these were loaded with shape {found:?}; {fix}")]
    WrongLayout {
        /// What was asked for.
        what: &'static str,
        /// The shape actually held.
        found: Vec<usize>,
        /// Which option to change.
        fix: &'static str,
    },
}

/// The book's keyword arguments of `load_mnist`, with the book's defaults.
///
/// | book | here | default |
/// |---|---|---|
/// | `normalize=True` | `normalize: true`: pixels as `f64` in [0, 1] (`x / 255.0`), else 0.0..=255.0 | `true` |
/// | `flatten=True` | `flatten: true`: each image a row of 784, else `(1, 28, 28)` | `true` |
/// | `one_hot_label=False` | `one_hot_label: true`: labels as `(N, 10)` one-hot rows, else digits | `false` |
///
/// ```
/// use dlfs_data::MnistOptions;
/// // Book 4.5: load_mnist(normalize=True, one_hot_label=True)
/// let options = MnistOptions { one_hot_label: true, ..Default::default() };
/// assert!(options.normalize && options.flatten && options.one_hot_label);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MnistOptions {
    /// Scale pixels to [0, 1] (book: `normalize`).
    pub normalize: bool,
    /// One row of 784 per image instead of `(1, 28, 28)` (book: `flatten`).
    pub flatten: bool,
    /// Labels as one-hot rows instead of digits (book: `one_hot_label`).
    pub one_hot_label: bool,
}

impl Default for MnistOptions {
    /// The book's defaults: `normalize: true, flatten: true, one_hot_label: false`.
    ///
    /// ```
    /// let o = dlfs_data::MnistOptions::default();
    /// assert_eq!((o.normalize, o.flatten, o.one_hot_label), (true, true, false));
    /// ```
    fn default() -> Self {
        MnistOptions {
            normalize: true,
            flatten: true,
            one_hot_label: false,
        }
    }
}

/// Images as [`load_mnist`] returns them: flat rows or `(1, 28, 28)` images, by
/// [`MnistOptions::flatten`].
///
/// ```
/// use dlfs::ndarray::Array2;
/// use dlfs_data::Images;
/// // What load_mnist gives with `flatten: true`, here for 3 blank images
/// let x = Images::Flat(Array2::zeros((3, 784)));
/// assert_eq!(x.flat().unwrap().shape(), &[3, 784]);
/// assert!(x.image().is_err()); // not loaded with `flatten: false`
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum Images {
    /// `flatten: true`: shape `(N, 784)`, one image per row (book: `x_train`, `(60000, 784)`).
    Flat(Array2<f64>),
    /// `flatten: false`: shape `(N, 1, 28, 28)`, channel first (book: `(60000, 1, 28, 28)`).
    Image(Array4<f64>),
}

const FLAT_FIX: &str =
    "load with `flatten: true` (the default) for (N, 784) rows, or use `image()`";
const IMAGE_FIX: &str = "load with `flatten: false` for (N, 1, 28, 28) images, or use `flat()`";
const DIGITS_FIX: &str =
    "load with `one_hot_label: false` (the default) for digit labels, or use `one_hot()`";
const ONE_HOT_FIX: &str = "load with `one_hot_label: true` for one-hot rows, or use `digits()`";

impl Images {
    /// The `(N, 784)` rows.
    ///
    /// # Errors
    /// [`MnistError::WrongLayout`] if loaded with `flatten: false`.
    ///
    /// ```
    /// use dlfs::ndarray::Array2;
    /// let x = dlfs_data::Images::Flat(Array2::zeros((2, 784)));
    /// assert_eq!(x.flat().unwrap().row(1).len(), 784);
    /// ```
    pub fn flat(&self) -> Result<&Array2<f64>, MnistError> {
        match self {
            Images::Flat(x) => Ok(x),
            Images::Image(x) => Err(wrong("flat (N, 784) images", x.shape(), FLAT_FIX)),
        }
    }

    /// The `(N, 784)` rows, owned (to keep in a notebook variable).
    ///
    /// # Errors
    /// [`MnistError::WrongLayout`] if loaded with `flatten: false`.
    ///
    /// ```
    /// use dlfs::ndarray::Array4;
    /// let x = dlfs_data::Images::Image(Array4::zeros((2, 1, 28, 28)));
    /// let err = x.into_flat().unwrap_err();
    /// assert!(err.to_string().contains("shape [2, 1, 28, 28]; load with `flatten: true`"));
    /// ```
    pub fn into_flat(self) -> Result<Array2<f64>, MnistError> {
        match self {
            Images::Flat(x) => Ok(x),
            Images::Image(x) => Err(wrong("flat (N, 784) images", x.shape(), FLAT_FIX)),
        }
    }

    /// The `(N, 1, 28, 28)` images.
    ///
    /// # Errors
    /// [`MnistError::WrongLayout`] if loaded with `flatten: true` (the default).
    ///
    /// ```
    /// use dlfs::ndarray::Array4;
    /// let x = dlfs_data::Images::Image(Array4::zeros((2, 1, 28, 28)));
    /// assert_eq!(x.image().unwrap().shape(), &[2, 1, 28, 28]);
    /// ```
    pub fn image(&self) -> Result<&Array4<f64>, MnistError> {
        match self {
            Images::Image(x) => Ok(x),
            Images::Flat(x) => Err(wrong("(N, 1, 28, 28) images", x.shape(), IMAGE_FIX)),
        }
    }

    /// The `(N, 1, 28, 28)` images, owned.
    ///
    /// # Errors
    /// [`MnistError::WrongLayout`] if loaded with `flatten: true` (the default).
    ///
    /// ```
    /// use dlfs::ndarray::Array4;
    /// let x = dlfs_data::Images::Image(Array4::zeros((2, 1, 28, 28)));
    /// assert_eq!(x.into_image().unwrap().len(), 2 * 784);
    /// ```
    pub fn into_image(self) -> Result<Array4<f64>, MnistError> {
        match self {
            Images::Image(x) => Ok(x),
            Images::Flat(x) => Err(wrong("(N, 1, 28, 28) images", x.shape(), IMAGE_FIX)),
        }
    }

    /// A view of whichever form is held, with its shape as loaded.
    ///
    /// ```
    /// use dlfs::ndarray::Array2;
    /// let x = dlfs_data::Images::Flat(Array2::zeros((2, 784)));
    /// assert_eq!(x.view().shape(), &[2, 784]);
    /// ```
    pub fn view(&self) -> ArrayViewD<'_, f64> {
        match self {
            Images::Flat(x) => x.view().into_dyn(),
            Images::Image(x) => x.view().into_dyn(),
        }
    }

    /// Number of images.
    ///
    /// ```
    /// use dlfs::ndarray::Array4;
    /// assert_eq!(dlfs_data::Images::Image(Array4::zeros((5, 1, 28, 28))).len(), 5);
    /// ```
    pub fn len(&self) -> usize {
        match self {
            Images::Flat(x) => x.nrows(),
            Images::Image(x) => x.shape()[0],
        }
    }

    /// True when there are no images.
    ///
    /// ```
    /// use dlfs::ndarray::Array2;
    /// assert!(dlfs_data::Images::Flat(Array2::zeros((0, 784))).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Labels as [`load_mnist`] returns them: digits or one-hot rows, by
/// [`MnistOptions::one_hot_label`].
///
/// `&Labels` converts into [`dlfs::Targets`], so either form can be handed to `dlfs`'s
/// losses and accuracies as it is.
///
/// ```
/// use dlfs::ndarray::array;
/// use dlfs_data::Labels;
/// // The first three test labels of MNIST, in both forms
/// let digits = Labels::Digits(array![7, 2, 1]);
/// let one_hot = Labels::OneHot(dlfs::one_hot(&[7, 2, 1], 10));
/// assert_eq!(digits.digits().unwrap()[0], 7);
/// assert_eq!(one_hot.one_hot().unwrap().shape(), &[3, 10]);
/// assert_eq!((digits.label(1), one_hot.label(1)), (2, 2));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum Labels {
    /// `one_hot_label: false`: one digit 0-9 per image, usable as an index.
    Digits(Array1<usize>),
    /// `one_hot_label: true`: shape `(N, 10)`, 1.0 at the digit, 0.0 elsewhere.
    OneHot(Array2<f64>),
}

impl Labels {
    /// The digits, one per image.
    ///
    /// # Errors
    /// [`MnistError::WrongLayout`] if loaded with `one_hot_label: true`.
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// let t = dlfs_data::Labels::Digits(array![7, 2, 1]);
    /// assert_eq!(t.digits().unwrap()[2], 1);
    /// ```
    pub fn digits(&self) -> Result<&Array1<usize>, MnistError> {
        match self {
            Labels::Digits(t) => Ok(t),
            Labels::OneHot(t) => Err(wrong("digit labels", t.shape(), DIGITS_FIX)),
        }
    }

    /// The digits, owned.
    ///
    /// # Errors
    /// [`MnistError::WrongLayout`] if loaded with `one_hot_label: true`.
    ///
    /// ```
    /// let t = dlfs_data::Labels::OneHot(dlfs::one_hot(&[7, 2], 10));
    /// let err = t.into_digits().unwrap_err();
    /// assert!(err.to_string().contains("load with `one_hot_label: false`"));
    /// ```
    pub fn into_digits(self) -> Result<Array1<usize>, MnistError> {
        match self {
            Labels::Digits(t) => Ok(t),
            Labels::OneHot(t) => Err(wrong("digit labels", t.shape(), DIGITS_FIX)),
        }
    }

    /// The `(N, 10)` one-hot rows.
    ///
    /// # Errors
    /// [`MnistError::WrongLayout`] if loaded with `one_hot_label: false` (the default).
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// let t = dlfs_data::Labels::Digits(array![7, 2]);
    /// let err = t.one_hot().unwrap_err();
    /// assert!(err.to_string().contains("load with `one_hot_label: true`"));
    /// ```
    pub fn one_hot(&self) -> Result<&Array2<f64>, MnistError> {
        match self {
            Labels::OneHot(t) => Ok(t),
            Labels::Digits(t) => Err(wrong("one-hot labels", t.shape(), ONE_HOT_FIX)),
        }
    }

    /// The `(N, 10)` one-hot rows, owned.
    ///
    /// # Errors
    /// [`MnistError::WrongLayout`] if loaded with `one_hot_label: false` (the default).
    ///
    /// ```
    /// let t = dlfs_data::Labels::OneHot(dlfs::one_hot(&[7, 2], 10));
    /// let t = t.into_one_hot().unwrap();
    /// assert_eq!(t[[0, 7]], 1.0);
    /// ```
    pub fn into_one_hot(self) -> Result<Array2<f64>, MnistError> {
        match self {
            Labels::OneHot(t) => Ok(t),
            Labels::Digits(t) => Err(wrong("one-hot labels", t.shape(), ONE_HOT_FIX)),
        }
    }

    /// The digit of sample `n`, whichever the form (for one-hot rows, the position of the
    /// largest entry, the book's `np.argmax(t)`).
    ///
    /// # Panics
    /// If `n` is out of range.
    ///
    /// ```
    /// let t = dlfs_data::Labels::OneHot(dlfs::one_hot(&[7, 2], 10));
    /// assert_eq!(t.label(0), 7);
    /// ```
    pub fn label(&self, n: usize) -> usize {
        match self {
            Labels::Digits(t) => t[n],
            Labels::OneHot(t) => {
                let row = t.row(n);
                let mut best = 0;
                for (k, &v) in row.iter().enumerate() {
                    if v > row[best] {
                        best = k;
                    }
                }
                best
            }
        }
    }

    /// Number of labels.
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// assert_eq!(dlfs_data::Labels::Digits(array![7, 2, 1]).len(), 3);
    /// ```
    pub fn len(&self) -> usize {
        match self {
            Labels::Digits(t) => t.len(),
            Labels::OneHot(t) => t.nrows(),
        }
    }

    /// True when there are no labels.
    ///
    /// ```
    /// use dlfs::ndarray::Array1;
    /// assert!(dlfs_data::Labels::Digits(Array1::zeros(0)).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<'a> From<&'a Labels> for dlfs::Targets<'a> {
    /// Digits become [`dlfs::Targets::Labels`], one-hot rows [`dlfs::Targets::OneHot`].
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// let t = dlfs_data::Labels::Digits(array![7, 2, 1]);
    /// let targets = dlfs::Targets::from(&t);
    /// assert_eq!((targets.len(), targets.label(0)), (3, 7));
    /// ```
    fn from(labels: &'a Labels) -> Self {
        match labels {
            Labels::Digits(t) => dlfs::Targets::Labels(t.view()),
            Labels::OneHot(t) => dlfs::Targets::OneHot(t.view()),
        }
    }
}

fn wrong(what: &'static str, shape: &[usize], fix: &'static str) -> MnistError {
    MnistError::WrongLayout {
        what,
        found: shape.to_vec(),
        fix,
    }
}

/// The MNIST data set as the book's `load_mnist` returns it:
/// `(x_train, t_train), (x_test, t_test)`.
///
/// ```
/// # fn main() -> Result<(), dlfs_data::MnistError> {
/// let mnist = dlfs_data::load_mnist(Default::default())?;
/// assert_eq!(mnist.x_train.len(), 60000);
/// assert_eq!(mnist.t_train.label(0), 5); // book 3.6.1: the first training image is a 5
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Mnist {
    /// 60000 training images.
    pub x_train: Images,
    /// Their labels.
    pub t_train: Labels,
    /// 10000 test images.
    pub x_test: Images,
    /// Their labels.
    pub t_test: Labels,
}

impl Mnist {
    /// The four arrays as `dlfs`'s [`TrainData`](dlfs::TrainData) for [`dlfs::train()`]
    /// (book 4.5).
    ///
    /// # Errors
    /// [`MnistError::WrongLayout`] if loaded with `flatten: false`.
    ///
    /// ```
    /// use dlfs::ndarray::{array, Array2};
    /// use dlfs_data::{Images, Labels, Mnist};
    /// // A two-image stand-in for load_mnist(one_hot_label=True)
    /// let mnist = Mnist {
    ///     x_train: Images::Flat(Array2::zeros((2, 784))),
    ///     t_train: Labels::OneHot(dlfs::one_hot(&[5, 0], 10)),
    ///     x_test: Images::Flat(Array2::zeros((1, 784))),
    ///     t_test: Labels::Digits(array![7]),
    /// };
    /// let data = mnist.train_data().unwrap();
    /// assert_eq!((data.x_train.nrows(), data.t_test.label(0)), (2, 7));
    /// ```
    pub fn train_data(&self) -> Result<dlfs::TrainData<'_>, MnistError> {
        Ok(dlfs::TrainData::new(
            self.x_train.flat()?,
            &self.t_train,
            self.x_test.flat()?,
            &self.t_test,
        ))
    }
}

/// The MNIST files as stored: `u8` pixels and `u8` labels, no conversion.
///
/// ```
/// # fn main() -> Result<(), dlfs_data::MnistError> {
/// let raw = dlfs_data::load_mnist_raw()?;
/// assert_eq!(raw.x_train.shape(), &[60000, 28, 28]);
/// assert_eq!(raw.t_test[0], 7);
/// // The book's img.reshape(28, 28) is raw.x_train.index_axis(Axis(0), 0)
/// let img = raw.x_train.index_axis(dlfs::ndarray::Axis(0), 0);
/// assert_eq!(img.shape(), &[28, 28]);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct MnistRaw {
    /// Training images, `(60000, 28, 28)`, 0 = background, 255 = ink.
    pub x_train: Array3<u8>,
    /// Training labels, digits 0-9.
    pub t_train: Array1<u8>,
    /// Test images, `(10000, 28, 28)`.
    pub x_test: Array3<u8>,
    /// Test labels.
    pub t_test: Array1<u8>,
}

/// Finds the folder holding the MNIST files, without the reader naming a path.
///
/// In this order:
/// 1. [`DATA_DIR_ENV`] (`DLFS_DATA_DIR`), if set: its `mnist/` subfolder if that exists, else
///    the folder itself if it holds `train-images-idx3-ubyte(.gz)`, else an error (a set but
///    wrong variable is never silently ignored);
/// 2. `data/mnist/` in the current directory or the nearest parent that has one (a notebook
///    runs in `notebooks/`, a test in `crates/dlfs-data/`);
/// 3. `data/mnist/` of the repository this crate was compiled from.
///
/// # Errors
/// [`MnistError::BadDataDirEnv`] or [`MnistError::DataDirNotFound`].
///
/// ```
/// # fn main() -> Result<(), dlfs_data::MnistError> {
/// let dir = dlfs_data::mnist_dir()?;
/// assert!(dir.ends_with("mnist"));
/// # Ok(())
/// # }
/// ```
pub fn mnist_dir() -> Result<PathBuf, MnistError> {
    let env = std::env::var_os(DATA_DIR_ENV);
    let cwd = std::env::current_dir().ok();
    let compiled = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/mnist");
    find_mnist_dir(env.as_deref(), cwd.as_deref(), &compiled)
}

pub(crate) fn find_mnist_dir(
    env: Option<&OsStr>,
    cwd: Option<&Path>,
    compiled: &Path,
) -> Result<PathBuf, MnistError> {
    if let Some(dir) = env.filter(|d| !d.is_empty()) {
        let dir = PathBuf::from(dir);
        let sub = dir.join("mnist");
        if sub.is_dir() {
            return Ok(sub);
        }
        let images = dir.join(TRAIN_IMAGES);
        if images.with_extension("gz").is_file() || images.is_file() {
            return Ok(dir);
        }
        return Err(MnistError::BadDataDirEnv { dir });
    }
    let mut searched = Vec::new();
    if let Some(cwd) = cwd {
        for dir in cwd.ancestors() {
            let candidate = dir.join("data").join("mnist");
            if candidate.is_dir() {
                return Ok(candidate);
            }
        }
        searched.push(format!("data/mnist/ in {} and its parents", cwd.display()));
    }
    if compiled.is_dir() {
        return Ok(compiled.to_path_buf());
    }
    searched.push(compiled.display().to_string());
    Err(MnistError::DataDirNotFound { searched })
}

/// The book's `load_mnist`: the MNIST data set from the repository's `data/mnist/`, checked
/// and converted as `options` ask (book 3.6.1).
///
/// The folder is found by [`mnist_dir`]; use [`load_mnist_from`] to name it. Loading all of
/// it takes a few tenths of a second in a release build.
///
/// # Errors
/// Any [`MnistError`] about finding, reading or checking the files; never a panic. The
/// checks run in this order, and the first failure is reported: each file's gzip and IDX
/// structure (magic, dimensions, length, labels 0-9), then that images and labels agree in
/// number, then the SHA-256 of each file.
///
/// ```
/// # fn main() -> Result<(), dlfs_data::MnistError> {
/// use dlfs_data::{load_mnist, MnistOptions};
/// // Book 3.6.1: load_mnist(flatten=True, normalize=False)
/// let mnist = load_mnist(MnistOptions { normalize: false, ..Default::default() })?;
/// let x_train = mnist.x_train.flat()?;
/// assert_eq!(x_train.shape(), &[60000, 784]);
/// assert_eq!(x_train.fold(0.0_f64, |m, &v| m.max(v)), 255.0);
/// # Ok(())
/// # }
/// ```
pub fn load_mnist(options: MnistOptions) -> Result<Mnist, MnistError> {
    load_mnist_from(mnist_dir()?, options)
}

/// [`load_mnist`] from a given folder holding the four files (`NAME.gz`, or `NAME`
/// uncompressed).
///
/// # Errors
/// Any [`MnistError`] about reading or checking the files.
///
/// ```
/// let err = dlfs_data::load_mnist_from("no/such/folder", Default::default()).unwrap_err();
/// assert!(matches!(err, dlfs_data::MnistError::MissingFile { .. }));
/// assert!(err.to_string().starts_with("no/such/folder/train-images-idx3-ubyte.gz: file not found"));
/// ```
pub fn load_mnist_from(dir: impl AsRef<Path>, options: MnistOptions) -> Result<Mnist, MnistError> {
    let dir = dir.as_ref();
    let images = |file: Result<Checked, MnistError>| {
        file.map(|f| {
            let x = to_images(&f.bytes[16..], f.count, options, false);
            (f, x)
        })
    };
    let labels = |file: Result<Checked, MnistError>| {
        file.map(|f| {
            let t = to_labels(&f.bytes[8..], options);
            (f, t)
        })
    };
    // The training images are 6/7 of the work. A second thread decompresses them while
    // this one does the other three files; then both convert half of them each.
    let (train_x, train_t, test_x, test_t) = std::thread::scope(|s| {
        let train_x = s.spawn(|| read_decompressed(dir, 0));
        let test_x = images(read_checked(dir, 2));
        let train_t = labels(read_checked(dir, 1));
        let test_t = labels(read_checked(dir, 3));
        let train_x = join(train_x).and_then(|(path, bytes)| {
            let count = idx::check_images(&bytes, &path)?;
            let (sha, x) = std::thread::scope(|s| {
                let sha = s.spawn(|| Sha256::digest(&bytes).into());
                let x = to_images(&bytes[16..], count, options, true);
                (join(sha), x)
            });
            let (name, expected_sha) = MNIST_FILES[0];
            debug_assert_eq!(name, TRAIN_IMAGES);
            let file = Checked {
                path,
                bytes,
                count,
                expected_sha,
                sha,
            };
            Ok((file, x))
        });
        (train_x, train_t, test_x, test_t)
    });
    let (train_x, train_t, test_x, test_t) = (train_x?, train_t?, test_x?, test_t?);
    check_pair(&train_x.0, &train_t.0)?;
    check_pair(&test_x.0, &test_t.0)?;
    for file in [&train_x.0, &train_t.0, &test_x.0, &test_t.0] {
        file.verify()?;
    }
    Ok(Mnist {
        x_train: train_x.1,
        t_train: train_t.1,
        x_test: test_x.1,
        t_test: test_t.1,
    })
}

/// Joins a scoped thread, passing on its panic (there are none to pass on: the work in
/// these threads does not panic on any input).
fn join<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e))
}

/// The MNIST files as raw `u8` arrays, checked like [`load_mnist`] but not converted.
///
/// # Errors
/// Any [`MnistError`] about finding, reading or checking the files.
///
/// ```
/// let raw = dlfs_data::load_mnist_raw_from("no/such/folder").unwrap_err();
/// assert!(raw.to_string().contains("restore it with `git checkout -- data/mnist/`"));
/// ```
pub fn load_mnist_raw() -> Result<MnistRaw, MnistError> {
    load_mnist_raw_from(mnist_dir()?)
}

/// [`load_mnist_raw`] from a given folder.
///
/// # Errors
/// Any [`MnistError`] about reading or checking the files.
///
/// ```no_run
/// # fn main() -> Result<(), dlfs_data::MnistError> {
/// let raw = dlfs_data::load_mnist_raw_from("/path/to/mnist")?;
/// assert_eq!(raw.x_test.shape(), &[10000, 28, 28]);
/// # Ok(())
/// # }
/// ```
pub fn load_mnist_raw_from(dir: impl AsRef<Path>) -> Result<MnistRaw, MnistError> {
    let dir = dir.as_ref();
    let (train_x, rest) = std::thread::scope(|s| {
        let train_x = s.spawn(|| read_checked(dir, 0));
        let rest = [1, 2, 3].map(|k| read_checked(dir, k));
        (join(train_x), rest)
    });
    let [train_t, test_x, test_t] = rest;
    let (train_x, train_t, test_x, test_t) = (train_x?, train_t?, test_x?, test_t?);
    check_pair(&train_x, &train_t)?;
    check_pair(&test_x, &test_t)?;
    for file in [&train_x, &train_t, &test_x, &test_t] {
        file.verify()?;
    }
    let images = |mut f: Checked| {
        f.bytes.drain(..16);
        Array3::from_shape_vec((f.count, 28, 28), f.bytes).expect("length checked")
    };
    let labels = |mut f: Checked| {
        f.bytes.drain(..8);
        Array1::from(f.bytes)
    };
    Ok(MnistRaw {
        x_train: images(train_x),
        t_train: labels(train_t),
        x_test: images(test_x),
        t_test: labels(test_t),
    })
}

/// One decompressed file whose IDX structure is valid; its hash is checked by `verify`.
struct Checked {
    path: PathBuf,
    bytes: Vec<u8>,
    count: usize,
    expected_sha: &'static str,
    sha: [u8; 32],
}

impl Checked {
    fn verify(&self) -> Result<(), MnistError> {
        let mut found = String::with_capacity(64);
        for b in self.sha {
            let _ = write!(found, "{b:02x}");
        }
        if found == self.expected_sha {
            Ok(())
        } else {
            Err(MnistError::Checksum {
                path: self.path.clone(),
                expected: self.expected_sha,
                found,
            })
        }
    }
}

fn read_decompressed(dir: &Path, k: usize) -> Result<(PathBuf, Vec<u8>), MnistError> {
    let name = MNIST_FILES[k].0;
    let gz = dir.join(format!("{name}.gz"));
    let plain = dir.join(name);
    let read = |path: &Path| {
        std::fs::read(path).map_err(|source| MnistError::Io {
            path: path.into(),
            source,
        })
    };
    if gz.is_file() {
        let compressed = read(&gz)?;
        let bytes = idx::gunzip(&compressed, &gz)?;
        Ok((gz, bytes))
    } else if plain.is_file() {
        let size = std::fs::metadata(&plain).map_or(0, |m| m.len());
        if size > idx::MAX_FILE_BYTES {
            return Err(MnistError::TooLarge { path: plain });
        }
        let bytes = read(&plain)?;
        Ok((plain, bytes))
    } else {
        Err(MnistError::MissingFile { path: gz })
    }
}

fn read_checked(dir: &Path, k: usize) -> Result<Checked, MnistError> {
    let (name, expected_sha) = MNIST_FILES[k];
    let (path, bytes) = read_decompressed(dir, k)?;
    let count = if name.contains("images") {
        idx::check_images(&bytes, &path)?
    } else {
        idx::check_labels(&bytes, &path)?
    };
    let sha = Sha256::digest(&bytes).into();
    Ok(Checked {
        path,
        bytes,
        count,
        expected_sha,
        sha,
    })
}

fn check_pair(images: &Checked, labels: &Checked) -> Result<(), MnistError> {
    if images.count == labels.count {
        Ok(())
    } else {
        Err(MnistError::CountMismatch {
            images_path: images.path.clone(),
            images: images.count,
            labels_path: labels.path.clone(),
            labels: labels.count,
        })
    }
}

fn to_images(pixels: &[u8], count: usize, options: MnistOptions, parallel: bool) -> Images {
    // A table of the 256 possible values: `p / 255.0` exactly as the book's `x / 255.0`,
    // without a division per pixel.
    let table: [f64; 256] = std::array::from_fn(|p| {
        if options.normalize {
            p as f64 / 255.0
        } else {
            p as f64
        }
    });
    let convert = |from: &[u8], to: &mut [f64]| {
        for (x, &p) in to.iter_mut().zip(from) {
            *x = table[usize::from(p)];
        }
    };
    // Zeroed memory from the allocator is mapped lazily, so the two halves are first
    // touched (and paid for) by the thread that fills them.
    let mut values = vec![0.0; pixels.len()];
    if parallel {
        let mid = count / 2 * 784;
        let (from_a, from_b) = pixels.split_at(mid);
        let (to_a, to_b) = values.split_at_mut(mid);
        std::thread::scope(|s| {
            s.spawn(|| convert(from_b, to_b));
            convert(from_a, to_a);
        });
    } else {
        convert(pixels, &mut values);
    }
    if options.flatten {
        Images::Flat(Array2::from_shape_vec((count, 784), values).expect("length checked"))
    } else {
        Images::Image(Array4::from_shape_vec((count, 1, 28, 28), values).expect("length checked"))
    }
}

fn to_labels(labels: &[u8], options: MnistOptions) -> Labels {
    if options.one_hot_label {
        let mut t = Array2::zeros((labels.len(), 10));
        for (mut row, &label) in t.rows_mut().into_iter().zip(labels) {
            row[label as usize] = 1.0;
        }
        Labels::OneHot(t)
    } else {
        Labels::Digits(labels.iter().map(|&l| l as usize).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_but_wrong_data_dir_variable_is_an_error_not_ignored() {
        let nowhere = Path::new("/definitely/not/here");
        let err = find_mnist_dir(Some(OsStr::new("/definitely/not/here")), None, nowhere);
        assert!(
            matches!(err, Err(MnistError::BadDataDirEnv { .. })),
            "{err:?}"
        );
    }

    #[test]
    fn data_dir_variable_may_name_the_parent_or_the_mnist_folder() {
        let repo_data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
        let nowhere = Path::new("/definitely/not/here");
        let via_parent = find_mnist_dir(Some(repo_data.as_os_str()), None, nowhere).unwrap();
        let mnist = repo_data.join("mnist");
        let via_itself = find_mnist_dir(Some(mnist.as_os_str()), None, nowhere).unwrap();
        assert_eq!(via_parent, mnist);
        assert_eq!(via_itself, mnist);
    }

    #[test]
    fn walks_up_from_the_current_directory() {
        let notebooks = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../notebooks/deeper");
        let nowhere = Path::new("/definitely/not/here");
        let found = find_mnist_dir(None, Some(&notebooks), nowhere).unwrap();
        assert!(found.ends_with("data/mnist"), "{}", found.display());
        assert!(found.join("train-images-idx3-ubyte.gz").is_file());
    }

    #[test]
    fn nothing_found_lists_where_it_looked() {
        let err = find_mnist_dir(None, Some(Path::new("/")), Path::new("/not/here")).unwrap_err();
        let message = err.to_string();
        assert!(message.contains("/not/here"), "{message}");
        assert!(message.contains("DLFS_DATA_DIR"), "{message}");
    }
}
