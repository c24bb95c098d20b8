//! Random numbers and mini-batches (book 4.2.3).
//!
//! The book draws with NumPy's global random state (`np.random.randn`,
//! `np.random.choice`). Here every draw takes an explicit, seeded generator instead, so a
//! notebook cell prints the same numbers each time it is re-run.

use ndarray::{Array, Array2, Dimension, ShapeBuilder};
use rand::{Rng, SeedableRng};
use rand_distr::StandardNormal;

use crate::chacha::ChaCha8;

/// The random number generator used throughout the crate: ChaCha8, seeded.
///
/// Its output for a given seed is fixed, on every platform, which is what makes notebook
/// outputs reproducible: it is the stream of `rand_chacha`'s `ChaCha8Rng` 0.9, word for word
/// (the crate writes ChaCha8 out in a private module; a test compares the two). It is a type
/// of this crate (not an alias) so that a notebook can keep it in a variable between cells:
/// the kernel must be able to name the type of every variable it keeps.
///
/// ```
/// use dlfs::rand::Rng;
/// let mut rng: dlfs::SeededRng = dlfs::seeded_rng(7);
/// let x: f64 = rng.random();
/// assert!((0.0..1.0).contains(&x));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct SeededRng(ChaCha8);

impl std::fmt::Debug for SeededRng {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SeededRng { .. }")
    }
}

impl rand::RngCore for SeededRng {
    fn next_u32(&mut self) -> u32 {
        self.0.next_u32()
    }

    fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    fn fill_bytes(&mut self, dst: &mut [u8]) {
        self.0.fill_bytes(dst)
    }
}

impl SeedableRng for SeededRng {
    type Seed = [u8; 32];

    fn from_seed(seed: Self::Seed) -> Self {
        SeededRng(ChaCha8::from_seed(seed))
    }
}

/// A generator seeded with `seed`: the counterpart of the book's `np.random.seed(seed)`.
///
/// ```
/// use dlfs::rand::Rng;
/// let mut a = dlfs::seeded_rng(42);
/// let mut b = dlfs::seeded_rng(42);
/// assert_eq!(a.random::<u64>(), b.random::<u64>());
/// ```
pub fn seeded_rng(seed: u64) -> SeededRng {
    SeededRng::seed_from_u64(seed)
}

/// An array of the given shape filled with standard normal samples: the book's
/// `np.random.randn(*shape)`.
///
/// ```
/// let mut rng = dlfs::seeded_rng(0);
/// let w = dlfs::randn(&mut rng, (2, 3));
/// assert_eq!(w.shape(), &[2, 3]);
/// ```
pub fn randn<Sh, D, R>(rng: &mut R, shape: Sh) -> Array<f64, D>
where
    Sh: ShapeBuilder<Dim = D>,
    D: Dimension,
    R: Rng + ?Sized,
{
    Array::from_shape_simple_fn(shape, || rng.sample(StandardNormal))
}

/// `size` indices drawn uniformly from `0..n` **with replacement**: the book's
/// `np.random.choice(train_size, batch_size)` that picks a mini-batch (book 4.2.3).
///
/// Because it draws with replacement, a batch can hold the same sample twice, as in the book.
///
/// # Panics
/// If `n == 0` and `size > 0` (there is nothing to choose from).
///
/// ```
/// let mut rng = dlfs::seeded_rng(1);
/// let batch_mask = dlfs::random_choice(&mut rng, 60000, 10);
/// assert_eq!(batch_mask.len(), 10);
/// assert!(batch_mask.iter().all(|&i| i < 60000));
/// ```
pub fn random_choice<R: Rng + ?Sized>(rng: &mut R, n: usize, size: usize) -> Vec<usize> {
    assert!(
        n > 0 || size == 0,
        "random_choice: cannot choose {size} indices from an empty range 0..0"
    );
    (0..size).map(|_| rng.random_range(0..n)).collect()
}

/// One-hot encoding of labels: row `i` is all zeros except a 1 at column `labels[i]`
/// (the book's `one_hot_label=True`, book 3.6.1).
///
/// # Panics
/// If a label is not below `classes`; the message names the label and its position.
///
/// ```
/// let t = dlfs::one_hot(&[2, 0], 3);
/// assert_eq!(t, dlfs::ndarray::array![[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]);
/// ```
pub fn one_hot(labels: &[usize], classes: usize) -> Array2<f64> {
    let mut t = Array2::zeros((labels.len(), classes));
    for (i, &label) in labels.iter().enumerate() {
        assert!(
            label < classes,
            "one_hot: label {label} at position {i} is not below the number of classes {classes}"
        );
        t[[i, label]] = 1.0;
    }
    t
}
