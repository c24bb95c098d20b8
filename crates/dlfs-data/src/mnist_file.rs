//! The four MNIST files ([`MnistFile`]: name, size, SHA-256), and the one path that reads
//! and checks each of them for both loaders.

use crate::error::MnistError;
use crate::idx;
use crate::read::{self, ReadError};
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// One of the four MNIST files, with what is known of it before it is read: its name, its
/// number of samples, its size once decompressed, and the SHA-256 of those bytes (copied
/// from `data/mnist/SHA256SUMS.raw`).
///
/// ```
/// use dlfs_data::MnistFile;
/// let file = MnistFile::TrainImages;
/// assert_eq!(file.name(), "train-images-idx3-ubyte");
/// assert_eq!((file.samples(), file.decompressed_bytes()), (60000, 16 + 60000 * 784));
/// assert_eq!(MnistFile::ALL.map(MnistFile::is_images), [true, false, true, false]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MnistFile {
    /// `train-images-idx3-ubyte`: 60000 images (the book's `x_train`).
    TrainImages,
    /// `train-labels-idx1-ubyte`: their labels (`t_train`).
    TrainLabels,
    /// `t10k-images-idx3-ubyte`: 10000 images (`x_test`).
    TestImages,
    /// `t10k-labels-idx1-ubyte`: their labels (`t_test`).
    TestLabels,
}

impl MnistFile {
    /// The four files, in the book's order `x_train, t_train, x_test, t_test`.
    ///
    /// ```
    /// assert_eq!(dlfs_data::MnistFile::ALL[3].name(), "t10k-labels-idx1-ubyte");
    /// ```
    pub const ALL: [MnistFile; 4] = [
        MnistFile::TrainImages,
        MnistFile::TrainLabels,
        MnistFile::TestImages,
        MnistFile::TestLabels,
    ];

    /// The file's usual name, without `.gz`.
    ///
    /// ```
    /// assert_eq!(dlfs_data::MnistFile::TestImages.name(), "t10k-images-idx3-ubyte");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            MnistFile::TrainImages => "train-images-idx3-ubyte",
            MnistFile::TrainLabels => "train-labels-idx1-ubyte",
            MnistFile::TestImages => "t10k-images-idx3-ubyte",
            MnistFile::TestLabels => "t10k-labels-idx1-ubyte",
        }
    }

    /// The SHA-256 of the decompressed file, as lowercase hex.
    ///
    /// ```
    /// let sha = dlfs_data::MnistFile::TrainLabels.sha256();
    /// assert!(sha.starts_with("65a50cbb") && sha.len() == 64);
    /// ```
    pub const fn sha256(self) -> &'static str {
        match self {
            MnistFile::TrainImages => {
                "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"
            }
            MnistFile::TrainLabels => {
                "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"
            }
            MnistFile::TestImages => {
                "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"
            }
            MnistFile::TestLabels => {
                "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"
            }
        }
    }

    /// True for the two images files, false for the labels files.
    ///
    /// ```
    /// assert!(!dlfs_data::MnistFile::TestLabels.is_images());
    /// ```
    pub const fn is_images(self) -> bool {
        matches!(self, MnistFile::TrainImages | MnistFile::TestImages)
    }

    /// Number of samples: 60000 in the training files, 10000 in the test files.
    ///
    /// ```
    /// assert_eq!(dlfs_data::MnistFile::TestLabels.samples(), 10000);
    /// ```
    pub const fn samples(self) -> usize {
        match self {
            MnistFile::TrainImages | MnistFile::TrainLabels => 60000,
            MnistFile::TestImages | MnistFile::TestLabels => 10000,
        }
    }

    /// Size of the decompressed file in bytes: header plus one byte per pixel or label. The
    /// loaders stop reading one byte past it ([`MnistError::TooLarge`]).
    ///
    /// ```
    /// assert_eq!(dlfs_data::MnistFile::TestLabels.decompressed_bytes(), 8 + 10000);
    /// ```
    pub const fn decompressed_bytes(self) -> u64 {
        let (header, per_sample) = if self.is_images() {
            (idx::IMAGES_HEADER, idx::PIXELS)
        } else {
            (idx::LABELS_HEADER, 1)
        };
        (header + self.samples() * per_sample) as u64
    }

    /// Bytes of the header, before the pixels or labels.
    pub(crate) const fn header_bytes(self) -> usize {
        if self.is_images() {
            idx::IMAGES_HEADER
        } else {
            idx::LABELS_HEADER
        }
    }
}

impl std::fmt::Display for MnistFile {
    /// The file's name.
    ///
    /// ```
    /// assert_eq!(dlfs_data::MnistFile::TrainImages.to_string(), "train-images-idx3-ubyte");
    /// ```
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One decompressed file whose IDX structure is valid; its hash is compared by `verify`.
pub(crate) struct Checked {
    pub file: MnistFile,
    pub path: PathBuf,
    /// The whole decompressed file, header included.
    pub bytes: Vec<u8>,
    /// Images or labels, as the header says.
    pub count: usize,
    sha: [u8; 32],
}

impl Checked {
    /// The pixels or labels after the header.
    pub fn data(&self) -> &[u8] {
        &self.bytes[self.file.header_bytes()..]
    }

    /// The decompressed bytes without the header, as an owned vector.
    pub fn into_data(mut self) -> Vec<u8> {
        self.bytes.drain(..self.file.header_bytes());
        self.bytes
    }

    /// Compares the SHA-256 with the pinned one.
    pub fn verify(&self) -> Result<(), MnistError> {
        let mut found = String::with_capacity(64);
        for b in self.sha {
            let _ = write!(found, "{b:02x}");
        }
        if found == self.file.sha256() {
            Ok(())
        } else {
            Err(MnistError::Checksum {
                path: self.path.clone(),
                expected: self.file.sha256(),
                found,
            })
        }
    }
}

/// Reads `dir/NAME.gz` (or `dir/NAME` uncompressed), decompresses at most one byte past
/// the file's expected size, checks its IDX structure and computes its SHA-256.
pub(crate) fn read_checked(dir: &Path, file: MnistFile) -> Result<Checked, MnistError> {
    let mut hasher = Sha256::new();
    let (path, bytes) = read_decompressed(dir, file, &mut hasher)?;
    let count = if file.is_images() {
        idx::check_images(&bytes, &path)?
    } else {
        idx::check_labels(&bytes, &path)?
    };
    let sha = hasher.finalize().into();
    Ok(Checked {
        file,
        path,
        bytes,
        count,
        sha,
    })
}

/// The decompressed bytes, fed to `hasher` too.
fn read_decompressed(
    dir: &Path,
    file: MnistFile,
    hasher: &mut Sha256,
) -> Result<(PathBuf, Vec<u8>), MnistError> {
    let gz = dir.join(format!("{}.gz", file.name()));
    let plain = dir.join(file.name());
    let limit = file.decompressed_bytes();
    // The .gz is used if anything at all is at its path, so that a directory or broken
    // link there is reported, not passed over.
    match read::read_capped(&gz, idx::MAX_FILE_BYTES) {
        Ok(compressed) => {
            let bytes = idx::gunzip_capped(&compressed, &gz, limit, |d| hasher.update(d))?;
            Ok((gz, bytes))
        }
        Err(ReadError::Missing) => match read::read_capped(&plain, limit) {
            Ok(bytes) => {
                hasher.update(&bytes);
                Ok((plain, bytes))
            }
            Err(ReadError::Missing) => Err(MnistError::MissingFile { path: gz }),
            Err(e) => Err(read_error(plain, e, limit)),
        },
        Err(e) => Err(read_error(gz, e, idx::MAX_FILE_BYTES)),
    }
}

fn read_error(path: PathBuf, e: ReadError, limit: u64) -> MnistError {
    match e {
        ReadError::Missing => MnistError::MissingFile { path },
        ReadError::NotAFile(found) => MnistError::NotAFile { path, found },
        ReadError::TooLarge => MnistError::TooLarge { path, limit },
        ReadError::Io(source) => MnistError::Io { path, source },
    }
}
