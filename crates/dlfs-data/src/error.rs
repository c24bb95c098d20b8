//! The crate's error types, in a file that uses nothing else of the crate: [`MnistError`]
//! for the MNIST files, [`WeightsError`] for weight files, and `Malformed`, the
//! offset-and-reason error that the three byte readers (zip, npy, pickle) share and that
//! [`WeightsError`] later completes with the file's path.

use std::fmt;
use std::path::PathBuf;

const RESTORE: &str = "restore it with `git checkout -- data/mnist/`";

/// `impl std::error::Error for $ty`, whose `source` is the `source` field of the variants
/// named (an I/O error underneath) and `None` for the others.
macro_rules! error_with_source {
    ($ty:ident: $($variant:ident),+) => {
        impl std::error::Error for $ty {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    $($ty::$variant { source, .. })|+ => Some(source),
                    _ => None,
                }
            }
        }
    };
}
#[cfg(feature = "handwriting")]
pub(crate) use error_with_source;

/// Everything that can go wrong while finding, reading and checking the MNIST files, or
/// when asking a loaded [`Images`](crate::Images)/[`Labels`](crate::Labels) for a form the
/// options did not produce.
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
#[derive(Debug)]
#[non_exhaustive]
pub enum MnistError {
    /// No `data/mnist/` folder was found.
    DataDirNotFound {
        /// The places that were looked at.
        searched: Vec<String>,
    },
    /// `DLFS_DATA_DIR` is set but holds neither `mnist/` nor the MNIST files.
    BadDataDirEnv {
        /// The value of the variable.
        dir: PathBuf,
    },
    /// Neither `NAME.gz` nor `NAME` exists.
    MissingFile {
        /// The `.gz` path that was looked for.
        path: PathBuf,
    },
    /// Something other than a regular file stands where an MNIST file belongs.
    NotAFile {
        /// The path.
        path: PathBuf,
        /// What is there: `"a directory"`, `"a symbolic link to nothing"`, ...
        found: &'static str,
    },
    /// A download failed (cargo feature `download`).
    #[cfg(feature = "download")]
    Download {
        /// The address asked for.
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// The file could not be read (or, when downloading, written).
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error, e.g. a loop of symbolic links.
        source: std::io::Error,
    },
    /// The file, or what it decompresses to, is larger than the MNIST file it stands for.
    /// Reading stops at the limit: nothing larger is ever held in memory.
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The most bytes it may have: the size of the MNIST file once decompressed, or
        /// [`MAX_FILE_BYTES`](crate::idx::MAX_FILE_BYTES) for a file on disk.
        limit: u64,
    },
    /// The file has no bytes.
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The `.gz` file is not valid gzip (corrupt, cut short, or not gzip at all).
    Gzip {
        /// The file.
        path: PathBuf,
        /// What the decompressor reported.
        source: std::io::Error,
    },
    /// The first four bytes are not the IDX magic number expected for this file.
    BadMagic {
        /// The file.
        path: PathBuf,
        /// 2051 for images, 2049 for labels.
        expected: u32,
        /// `"an images file"` or `"a labels file"`.
        kind: &'static str,
        /// The big-endian `u32` at offset 0.
        found: u32,
    },
    /// The header says images are not 28x28.
    BadDims {
        /// The file.
        path: PathBuf,
        /// Rows, offset 8.
        rows: u32,
        /// Columns, offset 12.
        cols: u32,
    },
    /// The file is shorter than its header says.
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
    TrailingBytes {
        /// The file.
        path: PathBuf,
        /// Bytes the header implies.
        expected: u64,
        /// Bytes present.
        found: u64,
    },
    /// A label is not a digit 0-9.
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
    Checksum {
        /// The file.
        path: PathBuf,
        /// The pinned hash.
        expected: &'static str,
        /// The hash of what was read.
        found: String,
    },
    /// A loaded [`Images`](crate::Images) or [`Labels`](crate::Labels) was asked for a form
    /// its options did not produce.
    WrongLayout {
        /// What was asked for.
        what: &'static str,
        /// The shape actually held.
        found: Vec<usize>,
        /// Which option to change.
        fix: &'static str,
    },
}

impl fmt::Display for MnistError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MnistError::DataDirNotFound { searched } => write!(
                f,
                "no MNIST folder found (looked in: {}); run from inside the repository, \
                 or set DLFS_DATA_DIR to the folder that contains mnist/",
                searched.join(", ")
            ),
            MnistError::BadDataDirEnv { dir } => write!(
                f,
                "DLFS_DATA_DIR is {} but neither it nor its mnist/ subfolder holds \
                 train-images-idx3-ubyte(.gz); point it at the folder that contains mnist/, or unset it",
                dir.display()
            ),
            MnistError::MissingFile { path } => write!(
                f,
                "{}: file not found (nor {} without .gz); {RESTORE}",
                path.display(),
                path.with_extension("").display()
            ),
            MnistError::NotAFile { path, found } => write!(
                f,
                "{}: expected an MNIST file, found {found}; {RESTORE}",
                path.display()
            ),
            #[cfg(feature = "download")]
            MnistError::Download { url, reason } => write!(
                f,
                "downloading {url} failed: {reason}; the files in data/mnist/ were left as they were"
            ),
            MnistError::Io { path, source } => write!(
                f,
                "{}: cannot read or write the file: {source}",
                path.display()
            ),
            MnistError::TooLarge { path, limit } => write!(
                f,
                "{}: more than {limit} bytes (read or decompressed), more than this MNIST file holds; \
                 {RESTORE}",
                path.display()
            ),
            MnistError::Empty { path } => write!(
                f,
                "{}: the file is empty; {RESTORE}",
                path.display()
            ),
            MnistError::Gzip { path, source } => write!(
                f,
                "{}: not valid gzip data ({source}); {RESTORE}",
                path.display()
            ),
            MnistError::BadMagic { path, expected, kind, found } => write!(
                f,
                "{}: wrong magic number at offset 0: expected {expected} ({kind}), found {found}; \
                 is this the right file? {RESTORE}",
                path.display()
            ),
            MnistError::BadDims { path, rows, cols } => write!(
                f,
                "{}: the header (offsets 8 and 12) says {rows}x{cols} images, expected 28x28; {RESTORE}",
                path.display()
            ),
            MnistError::Truncated { path, what, expected, found } => write!(
                f,
                "{}: truncated: {what} need {expected} bytes but the (decompressed) file has {found}; {RESTORE}",
                path.display()
            ),
            MnistError::TrailingBytes { path, expected, found } => write!(
                f,
                "{}: {found} bytes but the header accounts for {expected}: {} unexpected trailing bytes; {RESTORE}",
                path.display(),
                found - expected
            ),
            MnistError::BadLabel { path, index, offset, value } => write!(
                f,
                "{}: label {value} of sample {index} (offset {offset}) is not a digit 0-9; {RESTORE}",
                path.display()
            ),
            MnistError::CountMismatch { images_path, images, labels_path, labels } => write!(
                f,
                "{} holds {images} images but {} holds {labels} labels; the files do not belong together, {RESTORE}",
                images_path.display(),
                labels_path.display()
            ),
            MnistError::Checksum { path, expected, found } => write!(
                f,
                "{}: SHA-256 of the decompressed data is {found}, expected {expected} (data/mnist/SHA256SUMS.raw): \
                 the file is damaged or is not the MNIST file; {RESTORE}",
                path.display()
            ),
            MnistError::WrongLayout { what, found, fix } => write!(
                f,
                "asked for {what}, but these were loaded with shape {found:?}; {fix}"
            ),
        }
    }
}

error_with_source!(MnistError: Io, Gzip);

/// Everything that can go wrong reading or writing a weight file or building a network
/// from it. Messages name the file and, where it applies, the byte offset.
///
/// ```
/// use dlfs_data::{read_npz, WeightsError};
/// let err = read_npz("no/such/weights.npz").unwrap_err();
/// assert!(matches!(err, WeightsError::Io { .. }));
/// assert!(err.to_string().starts_with("no/such/weights.npz: cannot read"));
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum WeightsError {
    /// The file could not be read or written.
    Io {
        /// The file.
        path: PathBuf,
        /// `"read"` or `"write"`.
        action: &'static str,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Something other than a regular file stands where the weight file belongs.
    NotAFile {
        /// The path.
        path: PathBuf,
        /// What is there: `"a directory"`, `"a symbolic link to nothing"`, ...
        found: &'static str,
    },
    /// The file on disk is larger than [`MAX_WEIGHT_BYTES`](crate::MAX_WEIGHT_BYTES); it is
    /// not read.
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The limit.
        limit: u64,
    },
    /// The extension is neither `.npz` nor `.pkl`.
    UnknownExtension {
        /// The file.
        path: PathBuf,
    },
    /// The `.npz` archive itself is malformed, or breaks one of the reader's limits.
    Zip {
        /// The file.
        path: PathBuf,
        /// Byte offset in the file.
        offset: u64,
        /// What is wrong.
        reason: String,
    },
    /// An array inside the file is malformed, of an unsupported kind, or over the limit.
    Npy {
        /// The file.
        path: PathBuf,
        /// The archive entry (e.g. `W1.npy`); empty for a plain `.npy` file.
        entry: String,
        /// Byte offset within the `.npy` data (for a stored `.npz` entry, add the entry's
        /// data offset to get the file offset).
        offset: u64,
        /// What is wrong.
        reason: String,
    },
    /// The pickle is malformed, holds something other than a dict of float arrays, or
    /// breaks one of the reader's limits.
    Pickle {
        /// The file.
        path: PathBuf,
        /// Byte offset of the pickle opcode.
        offset: u64,
        /// What is wrong.
        reason: String,
    },
    /// The pickle asks for a Python global other than numpy's array builders.
    ForbiddenGlobal {
        /// The file.
        path: PathBuf,
        /// Byte offset of the opcode.
        offset: u64,
        /// The module asked for.
        module: String,
        /// The name asked for.
        name: String,
    },
    /// A network file lacks an array.
    MissingKey {
        /// The file.
        path: PathBuf,
        /// The missing name.
        key: String,
        /// The names present.
        found: Vec<String>,
    },
    /// A network file has an array that is not `W<k>` or `b<k>` of its layers.
    UnexpectedKey {
        /// The file.
        path: PathBuf,
        /// The extra name.
        key: String,
    },
    /// An array has the wrong number of dimensions.
    WrongRank {
        /// The file.
        path: PathBuf,
        /// The array.
        key: String,
        /// Its shape.
        shape: Vec<usize>,
        /// What was expected.
        expected: &'static str,
    },
    /// Two arrays of a network do not fit together.
    LayerShapes {
        /// The file.
        path: PathBuf,
        /// The first array.
        key_a: String,
        /// Its shape.
        shape_a: Box<[usize]>,
        /// The second array.
        key_b: String,
        /// Its shape.
        shape_b: Box<[usize]>,
        /// The rule they break.
        reason: &'static str,
    },
    /// The arrays cannot be written in this format.
    Unwritable {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
}

impl fmt::Display for WeightsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Every message starts with the file.
        let path = match self {
            WeightsError::Io { path, .. }
            | WeightsError::NotAFile { path, .. }
            | WeightsError::TooLarge { path, .. }
            | WeightsError::UnknownExtension { path, .. }
            | WeightsError::Zip { path, .. }
            | WeightsError::Npy { path, .. }
            | WeightsError::Pickle { path, .. }
            | WeightsError::ForbiddenGlobal { path, .. }
            | WeightsError::MissingKey { path, .. }
            | WeightsError::UnexpectedKey { path, .. }
            | WeightsError::WrongRank { path, .. }
            | WeightsError::LayerShapes { path, .. }
            | WeightsError::Unwritable { path, .. } => path,
        };
        write!(f, "{}: ", path.display())?;
        match self {
            WeightsError::Io { action, source, .. } => write!(
                f,
                "cannot {action} the file: {source}"
            ),
            WeightsError::NotAFile { found, .. } => write!(
                f,
                "expected a weight file, found {found}"
            ),
            WeightsError::TooLarge { limit, .. } => write!(
                f,
                "the file has more than {limit} bytes, the most a weight file may have \
                 (dlfs_data::MAX_WEIGHT_BYTES)"
            ),
            WeightsError::UnknownExtension { .. } => write!(
                f,
                "unknown kind of weight file: expected a .npz (numpy.savez) or .pkl (the book's \
                 pickle) extension"
            ),
            WeightsError::Zip { offset, reason, .. } => write!(
                f,
                "byte {offset}: not a valid .npz (zip) archive: {reason}"
            ),
            WeightsError::Npy { entry, offset, reason, .. } => write!(
                f,
                "{}byte {offset} of the .npy data: {reason}",
                entry_prefix(entry)
            ),
            WeightsError::Pickle { offset, reason, .. } => write!(
                f,
                "byte {offset}: {reason}"
            ),
            WeightsError::ForbiddenGlobal { offset, module, name, .. } => write!(
                f,
                "byte {offset}: the pickle asks for `{module}.{name}`, which is refused: only numpy \
                 arrays are read from pickles, and no code in a pickle is ever run"
            ),
            WeightsError::MissingKey { key, found, .. } => write!(
                f,
                "no array named `{key}` (the file has: {})",
                found.join(", ")
            ),
            WeightsError::UnexpectedKey { key, .. } => write!(
                f,
                "unexpected array `{key}`: a layered network file holds exactly W1, b1, W2, b2, ..."
            ),
            WeightsError::WrongRank { key, shape, expected, .. } => write!(
                f,
                "`{key}` has shape {shape:?}, expected {expected}"
            ),
            WeightsError::LayerShapes { key_a, shape_a, key_b, shape_b, reason, .. } => write!(
                f,
                "`{key_a}` has shape {shape_a:?} but `{key_b}` has shape {shape_b:?}: {reason}"
            ),
            WeightsError::Unwritable { reason, .. } => write!(
                f,
                "cannot write: {reason}"
            ),
        }
    }
}

error_with_source!(WeightsError: Io);

fn entry_prefix(entry: &str) -> String {
    if entry.is_empty() {
        String::new()
    } else {
        format!("entry `{entry}`, ")
    }
}

/// A problem in a file's bytes, found by one of the byte readers (zip, npy, pickle): the
/// byte offset and what is wrong. The caller adds the path.
#[derive(Debug)]
pub(crate) struct Malformed {
    pub offset: u64,
    pub reason: String,
}

impl Malformed {
    pub fn at(offset: u64, reason: impl Into<String>) -> Malformed {
        Malformed {
            offset,
            reason: reason.into(),
        }
    }
}

/// `Err(Malformed { offset, reason })`, as whichever error type the reader returns.
pub(crate) fn fail<T, E: From<Malformed>>(offset: u64, reason: impl Into<String>) -> Result<T, E> {
    Err(E::from(Malformed::at(offset, reason)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error;
    use std::io;

    fn io_error() -> io::Error {
        io::Error::new(io::ErrorKind::PermissionDenied, "denied by the test")
    }

    #[test]
    fn the_underlying_error_is_the_source_and_is_named_in_the_message() {
        let errs: [Box<dyn Error>; 3] = [
            Box::new(MnistError::Io {
                path: "a.gz".into(),
                source: io_error(),
            }),
            Box::new(MnistError::Gzip {
                path: "a.gz".into(),
                source: io_error(),
            }),
            Box::new(WeightsError::Io {
                path: "w.npz".into(),
                action: "read",
                source: io_error(),
            }),
        ];
        for err in &errs {
            let source = err.source().expect("an I/O error keeps its source");
            assert_eq!(source.to_string(), "denied by the test");
            assert!(err.to_string().contains("denied by the test"), "{err}");
        }
    }

    #[test]
    fn errors_found_in_the_bytes_have_no_source() {
        let err = WeightsError::Zip {
            path: "w.npz".into(),
            offset: 7,
            reason: "bad".into(),
        };
        assert!(err.source().is_none());
        assert_eq!(
            err.to_string(),
            "w.npz: byte 7: not a valid .npz (zip) archive: bad"
        );
        let err = MnistError::Empty {
            path: "t10k-labels-idx1-ubyte".into(),
        };
        assert!(err.source().is_none());
        assert_eq!(
            err.to_string(),
            "t10k-labels-idx1-ubyte: the file is empty; restore it with `git checkout -- data/mnist/`"
        );
    }
}
