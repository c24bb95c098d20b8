//! The MNIST loaders: the book's `load_mnist` (book 3.6.1, `dataset/mnist.py`), and
//! [`load_mnist_raw`] for the bytes as stored. See the crate docs for why the fields are
//! [`Images`] and [`Labels`].

use crate::data_dir::mnist_dir;
use crate::error::MnistError;
use crate::forms::{to_images, to_labels, Images, Labels, MnistOptions};
use crate::idx::IMAGE_SIDE;
use crate::mnist_file::{read_checked, Checked, MnistFile};
use dlfs::ndarray::{Array1, Array3};
use std::path::Path;

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

/// The book's `load_mnist`: the MNIST data set from the repository's `data/mnist/`, checked
/// and converted as `options` ask (book 3.6.1).
///
/// The folder is found by [`mnist_dir`]; use [`load_mnist_from`] to name it. Loading all of
/// it takes a few tenths of a second in a release build.
///
/// Nothing is converted before every check has passed, and no file is read past the size
/// of the MNIST file it stands for ([`MnistFile::decompressed_bytes`]; a compressed file on
/// disk may have at most [`MAX_FILE_BYTES`](crate::idx::MAX_FILE_BYTES)), so a damaged or
/// hostile file costs at most as much memory as the real data set.
///
/// # Errors
/// Any [`MnistError`] about finding, reading or checking the files; never a panic. The
/// checks run in this order, and the first failure is reported: each file's size, gzip and
/// IDX structure (magic, dimensions, length, labels 0-9), then that images and labels
/// agree in number, then the SHA-256 of each file.
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
    let [train_x, train_t, test_x, test_t] = read_all(dir.as_ref())?;
    Ok(Mnist {
        x_train: to_images(train_x.data(), train_x.count, options),
        t_train: to_labels(train_t.data(), options),
        x_test: to_images(test_x.data(), test_x.count, options),
        t_test: to_labels(test_t.data(), options),
    })
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
    let [train_x, train_t, test_x, test_t] = read_all(dir.as_ref())?;
    let images = |f: Checked| {
        let shape = (f.count, IMAGE_SIDE, IMAGE_SIDE);
        Array3::from_shape_vec(shape, f.into_data()).expect("length checked")
    };
    let labels = |f: Checked| Array1::from(f.into_data());
    Ok(MnistRaw {
        x_train: images(train_x),
        t_train: labels(train_t),
        x_test: images(test_x),
        t_test: labels(test_t),
    })
}

/// Reads and checks the four files, in the book's order, and compares counts and hashes.
fn read_all(dir: &Path) -> Result<[Checked; 4], MnistError> {
    use MnistFile::{TestImages, TestLabels, TrainImages, TrainLabels};
    // The training images are 6/7 of the work: one thread reads them while another reads
    // the other three files.
    let (train_x, rest) = rayon::join(
        || read_checked(dir, TrainImages),
        || [TrainLabels, TestImages, TestLabels].map(|file| read_checked(dir, file)),
    );
    let [train_t, test_x, test_t] = rest;
    let files = [train_x?, train_t?, test_x?, test_t?];
    check_pair(&files[0], &files[1])?;
    check_pair(&files[2], &files[3])?;
    for file in &files {
        file.verify()?;
    }
    Ok(files)
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
