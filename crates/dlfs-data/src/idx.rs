//! The IDX file format of MNIST, checked byte by byte (book 3.6.1).
//!
//! An IDX file is a big-endian header followed by raw `u8` data:
//!
//! | offset | images file (`*-images-idx3-ubyte`) | labels file (`*-labels-idx1-ubyte`) |
//! |---|---|---|
//! | 0 | magic 2051 (`0x00000803`) | magic 2049 (`0x00000801`) |
//! | 4 | number of images `n` | number of labels `n` |
//! | 8 | rows (28) | labels, one byte each (0-9) |
//! | 12 | columns (28) | |
//! | 16 | pixels, `n * 28 * 28` bytes, row by row | |
//!
//! These functions take the bytes of one (already decompressed) file and the path it came
//! from (used only in error messages). They never panic: every problem is a [`MnistError`]
//! saying what was found where. [`crate::load_mnist`] uses them; they are public so that a
//! reader (or a test) can feed bytes directly.
//!
//! ```
//! use std::path::Path;
//! use dlfs_data::idx;
//! // Two 28x28 images, all black.
//! let mut bytes = vec![0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28];
//! bytes.resize(16 + 2 * 784, 0);
//! let images = idx::parse_images(&bytes, Path::new("two.idx")).unwrap();
//! assert_eq!(images.shape(), &[2, 28, 28]);
//! ```

use crate::error::MnistError;
use dlfs::ndarray::{Array1, Array3};
use std::io::Read;
use std::path::Path;

/// Magic number of an IDX images file (unsigned bytes, 3 dimensions).
///
/// ```
/// assert_eq!(dlfs_data::idx::IMAGES_MAGIC, 0x0803);
/// ```
pub const IMAGES_MAGIC: u32 = 2051;

/// Magic number of an IDX labels file (unsigned bytes, 1 dimension).
///
/// ```
/// assert_eq!(dlfs_data::idx::LABELS_MAGIC, 0x0801);
/// ```
pub const LABELS_MAGIC: u32 = 2049;

/// Rows and columns of one MNIST image.
///
/// ```
/// assert_eq!(dlfs_data::idx::IMAGE_SIDE * dlfs_data::idx::IMAGE_SIDE, 784);
/// ```
pub const IMAGE_SIDE: usize = 28;

/// The most bytes [`gunzip`] returns, and the most bytes a compressed MNIST file on disk may
/// have (64 MiB; the largest file, `train-images-idx3-ubyte`, has 47 040 016 bytes
/// decompressed and 9 912 422 compressed). Decompression stops one byte past the limit, so
/// larger input is refused before it fills memory; [`crate::load_mnist`] stops even earlier,
/// one byte past the size of the MNIST file it reads (see
/// [`MnistFile::decompressed_bytes`](crate::MnistFile::decompressed_bytes)).
///
/// ```
/// assert!(dlfs_data::idx::MAX_FILE_BYTES > 16 + 60000 * 784);
/// ```
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// Bytes of an images file's header: magic, count, rows, columns.
///
/// ```
/// assert_eq!(dlfs_data::idx::IMAGES_HEADER, 16);
/// ```
pub const IMAGES_HEADER: usize = 16;

/// Bytes of a labels file's header: magic, count.
///
/// ```
/// assert_eq!(dlfs_data::idx::LABELS_HEADER, 8);
/// ```
pub const LABELS_HEADER: usize = 8;

/// Pixels of one image, 28 x 28 (the book's 784).
///
/// ```
/// assert_eq!(dlfs_data::idx::PIXELS, 784);
/// ```
pub const PIXELS: usize = IMAGE_SIDE * IMAGE_SIDE;

fn be_u32(bytes: &[u8], offset: usize) -> u32 {
    u32::from_be_bytes([
        bytes[offset],
        bytes[offset + 1],
        bytes[offset + 2],
        bytes[offset + 3],
    ])
}

/// Checks that `bytes` start with an IDX header of `header` bytes and this `magic`, and
/// returns the count at offset 4. `kind` names the file in messages.
fn check_header(
    bytes: &[u8],
    path: &Path,
    magic: u32,
    header: usize,
    kind: &'static str,
) -> Result<u32, MnistError> {
    if bytes.is_empty() {
        return Err(MnistError::Empty { path: path.into() });
    }
    // The magic first: a wrong file is better named as such than as a short one.
    if bytes.len() >= 4 && be_u32(bytes, 0) != magic {
        return Err(MnistError::BadMagic {
            path: path.into(),
            expected: magic,
            kind,
            found: be_u32(bytes, 0),
        });
    }
    if bytes.len() < header {
        return Err(MnistError::Truncated {
            path: path.into(),
            what: format!("the {header}-byte header of {kind}"),
            expected: header as u64,
            found: bytes.len() as u64,
        });
    }
    Ok(be_u32(bytes, 4))
}

/// Checks the header and length of an images file and returns the number of images.
/// The pixels are `bytes[16..]`.
pub(crate) fn check_images(bytes: &[u8], path: &Path) -> Result<usize, MnistError> {
    let count = check_header(bytes, path, IMAGES_MAGIC, IMAGES_HEADER, "an images file")?;
    let (rows, cols) = (be_u32(bytes, 8), be_u32(bytes, 12));
    if rows as usize != IMAGE_SIDE || cols as usize != IMAGE_SIDE {
        return Err(MnistError::BadDims {
            path: path.into(),
            rows,
            cols,
        });
    }
    let expected = IMAGES_HEADER as u64 + u64::from(count) * PIXELS as u64;
    check_length(bytes, path, expected, || {
        format!("{count} images of 28x28 (count at offset 4)")
    })?;
    Ok(count as usize)
}

/// Checks the header, length and values of a labels file and returns the number of labels.
/// The labels are `bytes[8..]`.
pub(crate) fn check_labels(bytes: &[u8], path: &Path) -> Result<usize, MnistError> {
    let count = check_header(bytes, path, LABELS_MAGIC, LABELS_HEADER, "a labels file")?;
    let expected = LABELS_HEADER as u64 + u64::from(count);
    check_length(bytes, path, expected, || {
        format!("{count} labels (count at offset 4)")
    })?;
    if let Some(index) = bytes[LABELS_HEADER..].iter().position(|&label| label > 9) {
        return Err(MnistError::BadLabel {
            path: path.into(),
            index,
            offset: (LABELS_HEADER + index) as u64,
            value: bytes[LABELS_HEADER + index],
        });
    }
    Ok(count as usize)
}

fn check_length(
    bytes: &[u8],
    path: &Path,
    expected: u64,
    what: impl FnOnce() -> String,
) -> Result<(), MnistError> {
    let found = bytes.len() as u64;
    if found < expected {
        Err(MnistError::Truncated {
            path: path.into(),
            what: what(),
            expected,
            found,
        })
    } else if found > expected {
        Err(MnistError::TrailingBytes {
            path: path.into(),
            expected,
            found,
        })
    } else {
        Ok(())
    }
}

/// Parses an IDX images file: the images as an `(n, 28, 28)` array of raw pixel values 0-255.
///
/// # Errors
/// [`MnistError::Empty`], [`MnistError::Truncated`] (header, or fewer pixels than the count
/// at offset 4 promises), [`MnistError::BadMagic`] (not 2051), [`MnistError::BadDims`] (not
/// 28x28), [`MnistError::TrailingBytes`]. `path` only names the file in the message.
///
/// ```
/// use std::path::Path;
/// use dlfs_data::{idx, MnistError};
/// let header_only = [0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28];
/// let err = idx::parse_images(&header_only, Path::new("x.idx")).unwrap_err();
/// assert!(matches!(err, MnistError::Truncated { expected: 800, found: 16, .. }));
/// ```
pub fn parse_images(bytes: &[u8], path: &Path) -> Result<Array3<u8>, MnistError> {
    let count = check_images(bytes, path)?;
    let pixels = bytes[IMAGES_HEADER..].to_vec();
    Ok(
        Array3::from_shape_vec((count, IMAGE_SIDE, IMAGE_SIDE), pixels)
            .expect("length checked against the header"),
    )
}

/// Parses an IDX labels file: one digit 0-9 per image.
///
/// # Errors
/// [`MnistError::Empty`], [`MnistError::Truncated`], [`MnistError::BadMagic`] (not 2049),
/// [`MnistError::TrailingBytes`], [`MnistError::BadLabel`] (a value above 9).
///
/// ```
/// use std::path::Path;
/// use dlfs_data::{idx, MnistError};
/// let labels = idx::parse_labels(&[0, 0, 8, 1, 0, 0, 0, 2, 7, 2], Path::new("t.idx")).unwrap();
/// assert_eq!(labels.to_vec(), vec![7, 2]);
/// let err = idx::parse_labels(&[0, 0, 8, 1, 0, 0, 0, 1, 12], Path::new("t.idx")).unwrap_err();
/// assert!(matches!(err, MnistError::BadLabel { value: 12, offset: 8, .. }));
/// ```
pub fn parse_labels(bytes: &[u8], path: &Path) -> Result<Array1<u8>, MnistError> {
    check_labels(bytes, path)?;
    Ok(Array1::from(bytes[LABELS_HEADER..].to_vec()))
}

/// Decompresses gzip data (one or more gzip members, as `gzip` writes them).
///
/// # Errors
/// [`MnistError::Empty`] for no bytes, [`MnistError::Gzip`] for anything that is not
/// complete, valid gzip (bad header, corrupt deflate data, CRC mismatch, cut short),
/// [`MnistError::TooLarge`] if it decompresses to more than [`MAX_FILE_BYTES`].
///
/// ```
/// use std::path::Path;
/// use dlfs_data::{idx, MnistError};
/// let err = idx::gunzip(b"not gzip at all", Path::new("x.gz")).unwrap_err();
/// assert!(matches!(err, MnistError::Gzip { .. }));
/// ```
pub fn gunzip(bytes: &[u8], path: &Path) -> Result<Vec<u8>, MnistError> {
    gunzip_capped(bytes, path, MAX_FILE_BYTES, |_| {})
}

/// [`gunzip`] that refuses more than `limit` decompressed bytes ([`MnistError::TooLarge`]),
/// reading at most one byte past it. Each decompressed chunk is handed to `seen` (on
/// another thread, while the next chunk is decompressed), so a hash costs no extra time.
pub(crate) fn gunzip_capped(
    bytes: &[u8],
    path: &Path,
    limit: u64,
    mut seen: impl FnMut(&[u8]) + Send,
) -> Result<Vec<u8>, MnistError> {
    const CHUNK: usize = 1 << 20;
    if bytes.is_empty() {
        return Err(MnistError::Empty { path: path.into() });
    }
    // The gzip trailer stores the decompressed size mod 2^32: a good capacity hint, capped
    // by the limit and by what deflate can make of this many bytes (at most 1032 to 1).
    let hint = if bytes.len() >= 4 {
        let t = &bytes[bytes.len() - 4..];
        u64::from(u32::from_le_bytes([t[0], t[1], t[2], t[3]]))
            .min(limit)
            .min((bytes.len() as u64).saturating_mul(1032))
    } else {
        0
    };
    let mut out = Vec::with_capacity(hint as usize + CHUNK);
    let mut decoder = flate2::bufread::MultiGzDecoder::new(bytes).take(limit.saturating_add(1));
    let (mut filled, mut shown) = (0, 0);
    loop {
        out.resize(filled + CHUNK, 0);
        let (done, rest) = out.split_at_mut(filled);
        let (read, ()) = rayon::join(|| fill(&mut decoder, rest), || seen(&done[shown..]));
        shown = filled;
        filled += read.map_err(|source| MnistError::Gzip {
            path: path.into(),
            source,
        })?;
        if filled as u64 > limit {
            return Err(MnistError::TooLarge {
                path: path.into(),
                limit,
            });
        }
        if filled < out.len() {
            break;
        }
    }
    out.truncate(filled);
    seen(&out[shown..]);
    Ok(out)
}

/// Reads until `buf` is full or the input ends; returns the bytes read.
fn fill(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match reader.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}
