//! Weight files: numpy's `.npz`, the book's pickled `sample_weight.pkl`, and the bridge to
//! `dlfs`'s [`LayeredNet`] (book 3.6.2, `init_network` in `ch03/neuralnet_mnist.py`).
//!
//! A [`WeightFile`] is a named, ordered set of `f64` arrays, the Rust form of the book's
//! `network` dict (`network['W1']`, `network['b1']`, ...). It is read from and written to
//! `.npz`, read from the book's pickle, and turned into a network by
//! [`WeightFile::to_layered_net`] or in one step by [`load_network`].
//!
//! Every reader here keeps to [`MAX_WEIGHT_BYTES`] (and the pickle reader also to
//! [`MAX_PICKLE_OPCODES`](crate::MAX_PICKLE_OPCODES)), and runs in time linear in the file.

use crate::error::{Malformed, WeightsError};
use crate::read::{self, ReadError};
use crate::{npy, pickle, zip};
use dlfs::ndarray::{Array, Array1, Array2, ArrayD, Dimension, Ix1, Ix2};
use dlfs::{LayeredNet, OutputLayer};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The limit of every weight reader (128 MiB = 134 217 728 bytes): a weight file on disk
/// may have at most this many bytes, its arrays may hold at most this many bytes as `f64`
/// values (16 777 216 values; an array listed under several names counts once per name),
/// and the entries of a `.npz` may inflate to at most this many bytes in all. A file that
/// would need more is refused with an error before the memory is taken, so reading one
/// never needs much more than three times this limit (the file, one inflated entry, the
/// arrays). The book's `sample_weight.pkl` holds 183 KB of arrays.
///
/// ```
/// assert_eq!(dlfs_data::MAX_WEIGHT_BYTES, 128 << 20);
/// ```
pub const MAX_WEIGHT_BYTES: u64 = 128 << 20;

const IN_MEMORY: &str = "(weights in memory)";

/// A named, ordered set of `f64` arrays: the book's `network` dict of numpy arrays.
///
/// Names keep the order they were inserted (or stored in the file); inserting an existing
/// name replaces its array in place.
///
/// ```
/// use dlfs::ndarray::array;
/// use dlfs_data::WeightFile;
/// let mut network = WeightFile::new();
/// network.insert("W1", array![[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]]);
/// network.insert("b1", array![0.1, 0.2, 0.3]);
/// assert_eq!(network.names().collect::<Vec<_>>(), ["W1", "b1"]);
/// assert_eq!(network.get("b1").unwrap().shape(), &[3]);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WeightFile {
    arrays: Vec<(String, ArrayD<f64>)>,
    /// Position of each name in `arrays`.
    index: HashMap<String, usize>,
    origin: Option<PathBuf>,
}

impl WeightFile {
    /// An empty set.
    ///
    /// ```
    /// assert!(dlfs_data::WeightFile::new().is_empty());
    /// ```
    pub fn new() -> Self {
        WeightFile::default()
    }

    /// Adds an array of any dimension under `name`, returning the array it replaces.
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// let mut w = dlfs_data::WeightFile::new();
    /// assert!(w.insert("b1", array![0.1, 0.2]).is_none());
    /// assert!(w.insert("b1", array![0.3, 0.4]).is_some());
    /// assert_eq!(w.len(), 1);
    /// ```
    pub fn insert<D: Dimension>(
        &mut self,
        name: impl Into<String>,
        array: Array<f64, D>,
    ) -> Option<ArrayD<f64>> {
        let name = name.into();
        let array = array.into_dyn();
        match self.index.get(&name) {
            Some(&i) => Some(std::mem::replace(&mut self.arrays[i].1, array)),
            None => {
                self.index.insert(name.clone(), self.arrays.len());
                self.arrays.push((name, array));
                None
            }
        }
    }

    fn with_origin(path: &Path) -> Self {
        WeightFile {
            origin: Some(path.into()),
            ..WeightFile::default()
        }
    }

    /// The array named `name`, if any.
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// let mut w = dlfs_data::WeightFile::new();
    /// w.insert("W1", array![[1.0, 2.0]]);
    /// assert_eq!(w.get("W1").unwrap().shape(), &[1, 2]);
    /// assert!(w.get("W9").is_none());
    /// ```
    pub fn get(&self, name: &str) -> Option<&ArrayD<f64>> {
        self.index.get(name).map(|&i| &self.arrays[i].1)
    }

    /// The array named `name` as a matrix (the book's `network['W1']`).
    ///
    /// # Errors
    /// [`WeightsError::MissingKey`] or [`WeightsError::WrongRank`], naming the file.
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// let mut w = dlfs_data::WeightFile::new();
    /// w.insert("W1", array![[1.0, 2.0]]);
    /// assert_eq!(w.matrix("W1").unwrap(), array![[1.0, 2.0]]);
    /// ```
    pub fn matrix(&self, name: &str) -> Result<Array2<f64>, WeightsError> {
        self.typed::<Ix2>(name, "a matrix (2 dimensions)")
    }

    /// The array named `name` as a vector (the book's `network['b1']`).
    ///
    /// # Errors
    /// [`WeightsError::MissingKey`] or [`WeightsError::WrongRank`], naming the file.
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// let mut w = dlfs_data::WeightFile::new();
    /// w.insert("b1", array![[1.0, 2.0]]);
    /// let err = w.vector("b1").unwrap_err();
    /// assert!(err.to_string().contains("`b1` has shape [1, 2], expected a vector"));
    /// ```
    pub fn vector(&self, name: &str) -> Result<Array1<f64>, WeightsError> {
        self.typed::<Ix1>(name, "a vector (1 dimension)")
    }

    fn typed<D: Dimension>(
        &self,
        name: &str,
        expected: &'static str,
    ) -> Result<Array<f64, D>, WeightsError> {
        let a = self.get(name).ok_or_else(|| WeightsError::MissingKey {
            path: self.origin_path(),
            key: name.into(),
            found: self.names().map(str::to_string).collect(),
        })?;
        a.clone()
            .into_dimensionality::<D>()
            .map_err(|_| WeightsError::WrongRank {
                path: self.origin_path(),
                key: name.into(),
                shape: a.shape().to_vec(),
                expected,
            })
    }

    /// The names, in order.
    ///
    /// ```
    /// let w = dlfs_data::WeightFile::new();
    /// assert_eq!(w.names().count(), 0);
    /// ```
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.arrays.iter().map(|(n, _)| n.as_str())
    }

    /// `(name, array)` pairs, in order.
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// let mut w = dlfs_data::WeightFile::new();
    /// w.insert("b1", array![1.0, 2.0]);
    /// let total: f64 = w.iter().map(|(_, a)| a.sum()).sum();
    /// assert_eq!(total, 3.0);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ArrayD<f64>)> {
        self.arrays.iter().map(|(n, a)| (n.as_str(), a))
    }

    /// Number of arrays.
    ///
    /// ```
    /// assert_eq!(dlfs_data::WeightFile::new().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.arrays.len()
    }

    /// True when there are no arrays.
    ///
    /// ```
    /// assert!(dlfs_data::WeightFile::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.arrays.is_empty()
    }

    /// The file these arrays were read from, if any (used in error messages).
    ///
    /// ```
    /// assert!(dlfs_data::WeightFile::new().origin().is_none());
    /// ```
    pub fn origin(&self) -> Option<&Path> {
        self.origin.as_deref()
    }

    fn origin_path(&self) -> PathBuf {
        self.origin
            .clone()
            .unwrap_or_else(|| PathBuf::from(IN_MEMORY))
    }

    /// A network from arrays named `W1, b1, W2, b2, ...` (the book's `init_network`
    /// dict), with sigmoid hidden layers and the given output layer.
    ///
    /// # Errors
    /// [`WeightsError::MissingKey`] if there is no `W1`, a `b<k>` is missing, or the chain
    /// `W1, W2, ...` stops at `W<k>` while a later layer's array is there,
    /// [`WeightsError::UnexpectedKey`] for any other name, [`WeightsError::WrongRank`] if a
    /// `W` is not a matrix or a `b` not a vector, and [`WeightsError::LayerShapes`] if a `b`
    /// does not match its `W`'s columns or a `W`'s rows do not match the previous `W`'s
    /// columns. Each names the keys and shapes.
    ///
    /// ```
    /// use dlfs::ndarray::array;
    /// use dlfs::OutputLayer;
    /// use dlfs_data::WeightFile;
    /// // The book's 3.4.3 init_network()
    /// let mut network = WeightFile::new();
    /// network.insert("W1", array![[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]]);
    /// network.insert("b1", array![0.1, 0.2, 0.3]);
    /// network.insert("W2", array![[0.1, 0.4], [0.2, 0.5], [0.3, 0.6]]);
    /// network.insert("b2", array![0.1, 0.2]);
    /// network.insert("W3", array![[0.1, 0.3], [0.2, 0.4]]);
    /// network.insert("b3", array![0.1, 0.2]);
    /// let net = network.to_layered_net(OutputLayer::Identity).unwrap();
    /// let y = net.predict_one(&array![1.0, 0.5]);
    /// assert!((y[0] - 0.3168270764110298).abs() < 1e-12);
    /// assert!((y[1] - 0.6962790898619668).abs() < 1e-12);
    /// ```
    pub fn to_layered_net(&self, output: OutputLayer) -> Result<LayeredNet, WeightsError> {
        let path = self.origin_path();
        let mut layers: Vec<(Array2<f64>, Array1<f64>)> = Vec::new();
        let mut k = 1;
        while self.get(&format!("W{k}")).is_some() || k == 1 {
            let (wk, bk) = (format!("W{k}"), format!("b{k}"));
            let w = self.matrix(&wk)?;
            let b = self.vector(&bk)?;
            let broken = if w.is_empty() {
                Some("a layer needs at least one input and one unit")
            } else if b.len() != w.ncols() {
                Some("a bias needs one entry per column of its weights")
            } else {
                None
            };
            if let Some(reason) = broken {
                return Err(WeightsError::LayerShapes {
                    path,
                    key_a: wk,
                    shape_a: w.shape().into(),
                    key_b: bk,
                    shape_b: b.shape().into(),
                    reason,
                });
            }
            if let Some((prev, _)) = layers.last() {
                if prev.ncols() != w.nrows() {
                    return Err(WeightsError::LayerShapes {
                        path,
                        key_a: format!("W{}", k - 1),
                        shape_a: prev.shape().into(),
                        key_b: wk,
                        shape_b: w.shape().into(),
                        reason: "a layer's rows must equal the previous layer's columns",
                    });
                }
            }
            layers.push((w, b));
            k += 1;
        }
        let n = layers.len();
        // The layer number of `W<k>`/`b<k>` written the usual way (`W01` is not).
        let layer_of = |name: &str| {
            let index = name.get(1..).and_then(|s| s.parse::<usize>().ok());
            let layer_name = matches!(name.as_bytes().first(), Some(b'W' | b'b'));
            index.filter(|i| layer_name && name[1..] == i.to_string())
        };
        // A layer array beyond the chain (`b3` or `W4` with no `W3`) means `W<n+1>` is
        // missing, not that the other array is extra.
        if self
            .names()
            .any(|name| layer_of(name).is_some_and(|i| i > n))
        {
            return Err(WeightsError::MissingKey {
                path,
                key: format!("W{}", n + 1),
                found: self.names().map(str::to_string).collect(),
            });
        }
        if let Some(extra) = self
            .names()
            .find(|name| layer_of(name).is_none_or(|i| i == 0))
        {
            return Err(WeightsError::UnexpectedKey {
                path,
                key: extra.into(),
            });
        }
        Ok(LayeredNet::new(layers, output))
    }
}

impl From<&LayeredNet> for WeightFile {
    /// The network's weights under the book's names `W1, b1, W2, b2, ...`, ready for
    /// [`write_npz`].
    ///
    /// ```
    /// let net = dlfs::init_network();
    /// let w = dlfs_data::WeightFile::from(&net);
    /// assert_eq!(w.names().collect::<Vec<_>>(), ["W1", "b1", "W2", "b2", "W3", "b3"]);
    /// ```
    fn from(net: &LayeredNet) -> Self {
        let mut file = WeightFile::new();
        for (k, layer) in net.layers.iter().enumerate() {
            file.insert(format!("W{}", k + 1), layer.w.clone());
            file.insert(format!("b{}", k + 1), layer.b.clone());
        }
        file
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), WeightsError> {
    std::fs::write(path, bytes).map_err(|source| WeightsError::Io {
        path: path.into(),
        action: "write",
        source,
    })
}

/// The bytes of a weight file, refused if it has more than [`MAX_WEIGHT_BYTES`].
fn read_file(path: &Path) -> Result<Vec<u8>, WeightsError> {
    read::read_capped(path, MAX_WEIGHT_BYTES).map_err(|e| match e {
        ReadError::Missing => WeightsError::Io {
            path: path.into(),
            action: "read",
            source: std::io::ErrorKind::NotFound.into(),
        },
        ReadError::NotAFile(found) => WeightsError::NotAFile {
            path: path.into(),
            found,
        },
        ReadError::TooLarge => WeightsError::TooLarge {
            path: path.into(),
            limit: MAX_WEIGHT_BYTES,
        },
        ReadError::Io(source) => WeightsError::Io {
            path: path.into(),
            action: "read",
            source,
        },
    })
}

/// Reads a `.npz` file (`numpy.savez` or `numpy.savez_compressed`): every `NAME.npy` entry
/// becomes the array `NAME`, in the archive's order.
///
/// Reads `f4` and `f8` arrays of any shape, either byte order, C or Fortran order; values
/// become `f64` (exactly, for `f4`) in C order.
///
/// # Limits
/// [`MAX_WEIGHT_BYTES`] for the file, for the uncompressed entries together (checked
/// against the sizes the archive declares before anything is inflated, and again while
/// inflating, which stops one byte past an entry's declared size), and for the arrays as
/// `f64` values. Entries that share bytes (several directory entries for one local
/// header) are refused. Time is linear in the number of entries.
///
/// # Errors
/// [`WeightsError::Io`], [`WeightsError::NotAFile`], [`WeightsError::TooLarge`],
/// [`WeightsError::Zip`] (with the byte offset in the file, also for a broken limit), or
/// [`WeightsError::Npy`] (with the entry and the offset in its `.npy` data).
///
/// ```
/// use dlfs::ndarray::array;
/// let path = std::env::temp_dir().join("dlfs_data_doc_read_npz.npz");
/// let mut w = dlfs_data::WeightFile::new();
/// w.insert("W1", array![[1.0, 2.0], [3.0, 4.0]]);
/// dlfs_data::write_npz(&path, &w).unwrap();
/// let back = dlfs_data::read_npz(&path).unwrap();
/// assert_eq!(back.get("W1"), w.get("W1"));
/// # std::fs::remove_file(&path).ok();
/// ```
pub fn read_npz(path: impl AsRef<Path>) -> Result<WeightFile, WeightsError> {
    let path = path.as_ref();
    parse_npz(&read_file(path)?, path)
}

/// [`read_npz`] from bytes in memory; `path` only names them in error messages.
///
/// # Errors
/// As [`read_npz`], less [`WeightsError::Io`].
///
/// ```
/// use std::path::Path;
/// use dlfs_data::{parse_npz, WeightsError};
/// let err = parse_npz(b"PK\x03\x04 this is not a whole zip", Path::new("w.npz")).unwrap_err();
/// assert!(matches!(err, WeightsError::Zip { .. }));
/// ```
pub fn parse_npz(bytes: &[u8], path: &Path) -> Result<WeightFile, WeightsError> {
    let zip_error = |e: Malformed| WeightsError::Zip {
        path: path.into(),
        offset: e.offset,
        reason: e.reason,
    };
    let entries = zip::read_directory(bytes, MAX_WEIGHT_BYTES).map_err(zip_error)?;
    let mut file = WeightFile::with_origin(path);
    let mut budget = npy::Budget::new(MAX_WEIGHT_BYTES);
    for entry in entries {
        let name = entry.name.strip_suffix(".npy").unwrap_or(&entry.name);
        if file.index.contains_key(name) {
            return Err(WeightsError::Zip {
                path: path.into(),
                offset: entry.data_offset,
                reason: format!("the name `{name}` appears twice"),
            });
        }
        // One entry at a time: its inflated bytes are dropped once its array is made.
        let data = entry.data(bytes).map_err(zip_error)?;
        let array = npy::decode(&data, &mut budget).map_err(|e| npy_error(path, &entry.name, e))?;
        file.insert(name, array);
    }
    Ok(file)
}

fn npy_error(path: &Path, entry: &str, e: Malformed) -> WeightsError {
    WeightsError::Npy {
        path: path.into(),
        entry: entry.into(),
        offset: e.offset,
        reason: e.reason,
    }
}

/// Writes the arrays as a `.npz` file that `numpy.load` reads: one stored (uncompressed)
/// `NAME.npy` entry per array, `<f8`, C order, in the set's order.
///
/// # Errors
/// [`WeightsError::Io`] if the file cannot be written, [`WeightsError::Unwritable`] for
/// archives over 4 GiB.
///
/// ```
/// let path = std::env::temp_dir().join("dlfs_data_doc_write_npz.npz");
/// let w = dlfs_data::WeightFile::from(&dlfs::init_network());
/// dlfs_data::write_npz(&path, &w).unwrap();
/// assert_eq!(dlfs_data::read_npz(&path).unwrap().len(), 6);
/// # std::fs::remove_file(&path).ok();
/// ```
pub fn write_npz(path: impl AsRef<Path>, weights: &WeightFile) -> Result<(), WeightsError> {
    let path = path.as_ref();
    let entries: Vec<(String, Vec<u8>)> = weights
        .iter()
        .map(|(name, a)| (format!("{name}.npy"), npy::encode(a)))
        .collect();
    let bytes = zip::write_stored(&entries).map_err(|reason| WeightsError::Unwritable {
        path: path.into(),
        reason,
    })?;
    write_file(path, &bytes)
}

/// Reads one `.npy` file (`numpy.save`) of `f4`/`f8` values.
///
/// # Limits
/// [`MAX_WEIGHT_BYTES`] for the file and for the array as `f64` values.
///
/// # Errors
/// [`WeightsError::Io`], [`WeightsError::NotAFile`], [`WeightsError::TooLarge`] or
/// [`WeightsError::Npy`].
///
/// ```
/// use dlfs::ndarray::array;
/// let path = std::env::temp_dir().join("dlfs_data_doc_read_npy.npy");
/// dlfs_data::write_npy(&path, &array![1.0, 2.0].into_dyn()).unwrap();
/// assert_eq!(dlfs_data::read_npy(&path).unwrap(), array![1.0, 2.0].into_dyn());
/// # std::fs::remove_file(&path).ok();
/// ```
pub fn read_npy(path: impl AsRef<Path>) -> Result<ArrayD<f64>, WeightsError> {
    let path = path.as_ref();
    let mut budget = npy::Budget::new(MAX_WEIGHT_BYTES);
    npy::decode(&read_file(path)?, &mut budget).map_err(|e| npy_error(path, "", e))
}

/// Writes one array as a `.npy` file (`<f8`, C order) that `numpy.load` reads.
///
/// # Errors
/// [`WeightsError::Io`].
///
/// ```
/// use dlfs::ndarray::array;
/// let path = std::env::temp_dir().join("dlfs_data_doc_write_npy.npy");
/// dlfs_data::write_npy(&path, &array![[1.0], [2.0]].into_dyn()).unwrap();
/// assert_eq!(dlfs_data::read_npy(&path).unwrap().shape(), &[2, 1]);
/// # std::fs::remove_file(&path).ok();
/// ```
pub fn write_npy(path: impl AsRef<Path>, array: &ArrayD<f64>) -> Result<(), WeightsError> {
    let path = path.as_ref();
    write_file(path, &npy::encode(array))
}

/// Reads the book's `sample_weight.pkl`: a pickled dict of numpy `f4`/`f8` arrays
/// (protocol 2 to 5, C or Fortran order), without running any Python.
///
/// Only numpy's array-rebuilding globals are accepted; a pickle asking for anything else is
/// refused with [`WeightsError::ForbiddenGlobal`], never executed.
///
/// # Limits
/// [`MAX_WEIGHT_BYTES`] for the file and for the arrays as `f64` values (an array the
/// pickle lists under several names is copied, and counted, once per name), and
/// [`MAX_PICKLE_OPCODES`](crate::MAX_PICKLE_OPCODES) opcodes. Nesting depth is not
/// limited: nested values are dropped without recursion. Time is linear in the file.
///
/// # Errors
/// [`WeightsError::Io`], [`WeightsError::NotAFile`], [`WeightsError::TooLarge`],
/// [`WeightsError::Pickle`] (also for a broken limit) or [`WeightsError::ForbiddenGlobal`],
/// with the byte offset of the offending opcode.
///
/// ```
/// use dlfs_data::{parse_pickle_weights, WeightsError};
/// // pickle.dumps(os.system) -- refused, not run
/// let evil = b"\x80\x03cposix\nsystem\nq\x00.";
/// let err = parse_pickle_weights(evil, "evil.pkl".as_ref()).unwrap_err();
/// assert!(matches!(err, WeightsError::ForbiddenGlobal { offset: 2, .. }));
/// ```
pub fn read_pickle_weights(path: impl AsRef<Path>) -> Result<WeightFile, WeightsError> {
    let path = path.as_ref();
    parse_pickle_weights(&read_file(path)?, path)
}

/// [`read_pickle_weights`] from bytes in memory; `path` only names them in error messages.
///
/// # Errors
/// As [`read_pickle_weights`], less [`WeightsError::Io`].
///
/// ```
/// use std::path::Path;
/// // pickle.dumps({}, protocol=2): an empty dict
/// let w = dlfs_data::parse_pickle_weights(b"\x80\x02}q\x00.", Path::new("empty.pkl")).unwrap();
/// assert!(w.is_empty());
/// ```
pub fn parse_pickle_weights(bytes: &[u8], path: &Path) -> Result<WeightFile, WeightsError> {
    let arrays = pickle::read_arrays(bytes, MAX_WEIGHT_BYTES).map_err(|e| match e {
        pickle::PickleError::Invalid(Malformed { offset, reason }) => WeightsError::Pickle {
            path: path.into(),
            offset,
            reason,
        },
        pickle::PickleError::Forbidden {
            offset,
            module,
            name,
        } => WeightsError::ForbiddenGlobal {
            path: path.into(),
            offset,
            module,
            name,
        },
    })?;
    let mut file = WeightFile::with_origin(path);
    for (name, array) in arrays {
        file.insert(name, array);
    }
    Ok(file)
}

/// Reads a weight file by its extension: `.npz` with [`read_npz`], `.pkl` with
/// [`read_pickle_weights`].
///
/// # Errors
/// [`WeightsError::UnknownExtension`], or those of the reader.
///
/// ```
/// let err = dlfs_data::read_weights("weights.h5").unwrap_err();
/// assert!(matches!(err, dlfs_data::WeightsError::UnknownExtension { .. }));
/// ```
pub fn read_weights(path: impl AsRef<Path>) -> Result<WeightFile, WeightsError> {
    let path = path.as_ref();
    match path.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("npz") => read_npz(path),
        Some(e) if e.eq_ignore_ascii_case("pkl") || e.eq_ignore_ascii_case("pickle") => {
            read_pickle_weights(path)
        }
        _ => Err(WeightsError::UnknownExtension { path: path.into() }),
    }
}

/// The book's `init_network()` of `neuralnet_mnist.py`: a [`LayeredNet`] with a softmax
/// output from a weight file with arrays `W1, b1, W2, b2, ...` (`.npz` or the book's
/// `.pkl`, by extension).
///
/// # Errors
/// Those of [`read_weights`] and [`WeightFile::to_layered_net`].
///
/// ```
/// let path = std::env::temp_dir().join("dlfs_data_doc_load_network.npz");
/// let mut rng = dlfs::seeded_rng(0);
/// let net = dlfs::LayeredNet::random(&[784, 50, 100, 10], 0.01, &mut rng);
/// dlfs_data::write_npz(&path, &dlfs_data::WeightFile::from(&net)).unwrap();
/// let back = dlfs_data::load_network(&path).unwrap();
/// assert_eq!(back, net);
/// # std::fs::remove_file(&path).ok();
/// ```
pub fn load_network(path: impl AsRef<Path>) -> Result<LayeredNet, WeightsError> {
    read_weights(path)?.to_layered_net(OutputLayer::Softmax)
}
