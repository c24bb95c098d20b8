//! The forms [`load_mnist`](crate::load_mnist) returns the data in, chosen by the book's
//! keyword arguments ([`MnistOptions`]): [`Images`] (flat rows or `(1, 28, 28)` images) and
//! [`Labels`] (digits or one-hot rows), with accessors that name the form expected.

use crate::error::MnistError;
use crate::idx::{IMAGE_SIDE, PIXELS};
use dlfs::ndarray::{Array1, Array2, Array4, ArrayViewD};
use rayon::prelude::*;

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

/// Images as [`load_mnist`](crate::load_mnist) returns them: flat rows or `(1, 28, 28)` images, by
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

/// A form one may ask for: what it is, and which option gives it.
struct Form {
    what: &'static str,
    fix: &'static str,
}

const FLAT: Form = Form {
    what: "flat (N, 784) images",
    fix: "load with `flatten: true` (the default) for (N, 784) rows, or use `image()`",
};
const IMAGE: Form = Form {
    what: "(N, 1, 28, 28) images",
    fix: "load with `flatten: false` for (N, 1, 28, 28) images, or use `flat()`",
};
const DIGITS: Form = Form {
    what: "digit labels",
    fix: "load with `one_hot_label: false` (the default) for digit labels, or use `one_hot()`",
};
const ONE_HOT: Form = Form {
    what: "one-hot labels",
    fix: "load with `one_hot_label: true` for one-hot rows, or use `digits()`",
};

fn wrong(asked: Form, shape: &[usize]) -> MnistError {
    MnistError::WrongLayout {
        what: asked.what,
        found: shape.to_vec(),
        fix: asked.fix,
    }
}

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
            other => Err(other.wrong(FLAT)),
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
            other => Err(other.wrong(FLAT)),
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
            other => Err(other.wrong(IMAGE)),
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
            other => Err(other.wrong(IMAGE)),
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

    fn wrong(&self, asked: Form) -> MnistError {
        wrong(asked, self.view().shape())
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

/// Labels as [`load_mnist`](crate::load_mnist) returns them: digits or one-hot rows, by
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
            other => Err(other.wrong(DIGITS)),
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
            other => Err(other.wrong(DIGITS)),
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
            other => Err(other.wrong(ONE_HOT)),
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
            other => Err(other.wrong(ONE_HOT)),
        }
    }

    /// The digit of sample `n`, whichever the form (for one-hot rows, the position of the
    /// largest entry, the book's `np.argmax(t)`).
    ///
    /// # Panics
    /// If `n` is out of range, or one-hot rows have no columns.
    ///
    /// ```
    /// let t = dlfs_data::Labels::OneHot(dlfs::one_hot(&[7, 2], 10));
    /// assert_eq!(t.label(0), 7);
    /// ```
    pub fn label(&self, n: usize) -> usize {
        match self {
            Labels::Digits(t) => t[n],
            Labels::OneHot(t) => dlfs::argmax(&t.row(n)),
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

    fn wrong(&self, asked: Form) -> MnistError {
        match self {
            Labels::Digits(t) => wrong(asked, t.shape()),
            Labels::OneHot(t) => wrong(asked, t.shape()),
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

/// Images of `count` x 784 raw pixels in the form `options` ask for.
pub(crate) fn to_images(pixels: &[u8], count: usize, options: MnistOptions) -> Images {
    // A table of the 256 possible values: `p / 255.0` exactly as the book's `x / 255.0`,
    // without a division per pixel.
    let table: [f64; 256] = std::array::from_fn(|p| {
        if options.normalize {
            p as f64 / 255.0
        } else {
            p as f64
        }
    });
    // Zeroed memory from the allocator is mapped lazily, so each chunk is first touched
    // (and paid for) by the thread that fills it.
    let mut values = vec![0.0; pixels.len()];
    const CHUNK: usize = 1000 * PIXELS;
    values
        .par_chunks_mut(CHUNK)
        .zip(pixels.par_chunks(CHUNK))
        .for_each(|(to, from)| {
            for (x, &p) in to.iter_mut().zip(from) {
                *x = table[usize::from(p)];
            }
        });
    let side = IMAGE_SIDE;
    if options.flatten {
        Images::Flat(Array2::from_shape_vec((count, PIXELS), values).expect("length checked"))
    } else {
        let shape = (count, 1, side, side);
        Images::Image(Array4::from_shape_vec(shape, values).expect("length checked"))
    }
}

/// Labels (digits 0-9, checked) in the form `options` ask for.
pub(crate) fn to_labels(labels: &[u8], options: MnistOptions) -> Labels {
    if options.one_hot_label {
        let mut t = Array2::zeros((labels.len(), 10));
        for (mut row, &label) in t.rows_mut().into_iter().zip(labels) {
            row[usize::from(label)] = 1.0;
        }
        Labels::OneHot(t)
    } else {
        Labels::Digits(labels.iter().map(|&l| usize::from(l)).collect())
    }
}
