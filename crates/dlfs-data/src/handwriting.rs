//! Your own handwriting: a picture of one digit, turned into an MNIST-style 784-vector.
//!
//! The networks of chapters 3 and 4 only know MNIST: white strokes on a black 28x28 field,
//! the digit scaled to fit a 20x20 box and placed by its centre of mass. [`load_digit`] takes
//! a PNG or JPEG of one digit (a photo, a scan, a drawing) through the same steps MNIST's
//! makers took, and keeps every intermediate picture in [`DigitSteps`] so they can be looked
//! at (notebooks/04_extra_own_handwriting.ipynb shows them as a row of images):
//!
//! 1. `gray`: grayscale, 0 black to 1 white (Rec. 601 luma of the sRGB values, as PIL's
//!    `convert("L")`); transparent pixels are laid on paper first (see below);
//! 2. `inverted`: dark ink on a light background is inverted, so ink is bright on black as in
//!    MNIST; the background level becomes exactly 0 and the ink level 1 (the paper's grain
//!    and a grey ink are levelled out);
//! 3. `cropped`: the bounding box of the ink;
//! 4. `scaled`: scaled so that the longer side is 20 pixels, keeping the aspect ratio, by
//!    averaging each output pixel over the area it covers (no aliasing, however large the
//!    photo);
//! 5. `centered`: placed in a 28x28 field so that its centre of mass is at the field's
//!    centre;
//! 6. `vector`: divided by its largest value (the darkest ink becomes 1.0, as
//!    `load_mnist(normalize=True)` divides by 255) and flattened row by row into 784 values.
//!
//! ```
//! use dlfs_data::preprocess_digit;
//! use dlfs_data::ndarray::Array2;
//! # fn main() -> Result<(), dlfs_data::HandwritingError> {
//! // A photo-like picture: a dark bar (a "1") on light paper, 60 rows by 40 columns
//! let gray = Array2::from_shape_fn((60, 40), |(r, c)| {
//!     if (10..50).contains(&r) && (18..22).contains(&c) { 0.1 } else { 0.9 }
//! });
//! let steps = preprocess_digit(&gray)?;
//! assert!(steps.light_background); // so it was inverted
//! assert_eq!(steps.cropped.dim(), (40, 4)); // the bar's bounding box
//! assert_eq!(steps.scaled.dim(), (20, 2)); // the longer side is 20 pixels
//! assert_eq!(steps.vector.len(), 784);
//! # Ok(())
//! # }
//! ```
//!
//! # What goes wrong, and what the errors say
//!
//! Every problem is a [`HandwritingError`]: a file that is corrupt or truncated, a format
//! other than PNG or JPEG (only these two decoders are compiled: `image` with
//! `default-features = false, features = ["png", "jpeg"]`), a page with no ink on it, a
//! picture larger than the limits below. Nothing in a file can make this module panic or
//! allocate more than the limits allow.
//!
//! - files of at most [`MAX_FILE_BYTES`] (64 MiB);
//! - pictures of at most [`MAX_SIDE`] pixels (8192) on each side, checked from the header
//!   before any pixel is decoded; `image`'s [`Limits`] are set to the same sides and to
//!   [`MAX_ALLOC`] (256 MiB) of decoder memory;
//! - ink is found only when it differs from the background by at least [`MIN_CONTRAST`]
//!   (0.2 of the range from black to white); a blank page is [`HandwritingError::NoInk`],
//!   never a vector of NaN.
//!
//! # Transparent pictures
//!
//! Drawing programs often save strokes on a transparent background, and the colour under a
//! transparent pixel means nothing. Transparent pixels are therefore composited onto paper
//! that contrasts with the strokes: onto white when the opaque pixels are dark on average
//! (black ink on a transparent sheet), onto black when they are light (white chalk on a
//! transparent sheet, as dark-mode drawing apps save it). Either way the digit survives; a
//! picture with no opaque pixel at all has no ink.
//!
//! # What it does not do
//!
//! It expects one digit, filling a good part of the picture, on an evenly lit background:
//! crop a photo to the digit first. A shadow, a ruled line or a second digit is ink to it
//! and ends up in the bounding box. A speck of a single pixel is taken for noise.

use std::fmt;
use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::{Path, PathBuf};

use dlfs::ndarray::{s, Array1, Array2};
use image::imageops::FilterType;
use image::{DynamicImage, ImageBuffer, ImageDecoder, ImageError, ImageFormat, ImageReader};
use image::{Limits, Luma};

use crate::error::error_with_source;

/// The largest file [`load_digit`] reads: 64 MiB.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The largest width and height a picture may have: 8192 pixels (a 48-megapixel photo is
/// 8000x6000).
pub const MAX_SIDE: u32 = 8192;

/// The most memory the decoder may allocate for one picture: 256 MiB (an 8000x6000 RGB
/// photo needs 144 MiB).
pub const MAX_ALLOC: u64 = 256 * 1024 * 1024;

/// How much brighter than the background (after inversion, on the scale 0 black to 1
/// white) the ink must be for a picture to count as having any: 0.2.
pub const MIN_CONTRAST: f32 = 0.2;

/// Pixels fainter than this fraction of the way from background to ink are background
/// (paper grain, JPEG noise): 0.3.
const INK_THRESHOLD: f32 = 0.3;

/// The box the digit is scaled into, and the field it is placed in (MNIST's 20 and 28).
const BOX: usize = 20;
const FIELD: usize = 28;

/// What can go wrong turning a picture into a digit vector.
#[derive(Debug)]
#[non_exhaustive]
pub enum HandwritingError {
    /// The file could not be opened or read.
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// The file is larger than [`MAX_FILE_BYTES`].
    FileTooLarge {
        /// The file (or "image bytes").
        what: String,
        /// Its size in bytes.
        size: u64,
        /// [`MAX_FILE_BYTES`].
        limit: u64,
    },
    /// The content is not a PNG or JPEG picture.
    Unsupported {
        /// The file (or "image bytes").
        what: String,
        /// What it looks like instead, e.g. "a Gif picture" or "unknown content starting 25 50".
        found: String,
    },
    /// The PNG or JPEG is damaged or cut short.
    Corrupt {
        /// The file (or "image bytes").
        what: String,
        /// "PNG" or "JPEG".
        format: &'static str,
        /// What the decoder found wrong.
        detail: String,
    },
    /// The picture is larger than [`MAX_SIDE`] on a side, or needs more than [`MAX_ALLOC`]
    /// bytes to decode.
    TooLarge {
        /// The file (or "image bytes").
        what: String,
        /// The size found and the limit it exceeds.
        detail: String,
    },
    /// No ink: every pixel is within [`MIN_CONTRAST`] of the background.
    NoInk {
        /// The file (or "image bytes", or "grayscale image").
        what: String,
        /// How far the strongest ink is from the background, 0..=1.
        contrast: f32,
    },
    /// A pixel of a grayscale image given to [`preprocess_digit`] is not in 0..=1.
    BadPixel {
        /// Its row.
        row: usize,
        /// Its column.
        col: usize,
        /// Its value.
        value: f32,
    },
}

impl fmt::Display for HandwritingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HandwritingError::Io { path, source } => {
                write!(f, "cannot read {}: {source}", path.display())
            }
            HandwritingError::FileTooLarge { what, size, limit } => write!(
                f,
                "{what}: {size} bytes, more than the {limit} bytes a digit picture may have"
            ),
            HandwritingError::Unsupported { what, found } => {
                write!(f, "{what}: {found}; expected a PNG or JPEG picture")
            }
            HandwritingError::Corrupt {
                what,
                format,
                detail,
            } => write!(f, "{what}: corrupt or truncated {format} file: {detail}"),
            HandwritingError::TooLarge { what, detail } => write!(
                f,
                "{what}: {detail}; scale the picture down (a digit needs only a few hundred pixels)"
            ),
            HandwritingError::NoInk { what, contrast } => write!(
                f,
                "{what}: no ink found: the darkest and lightest parts differ by {contrast:.3} \
                 (at least {MIN_CONTRAST} is needed); is the page blank?"
            ),
            HandwritingError::BadPixel { row, col, value } => write!(
                f,
                "grayscale image: pixel at row {row}, column {col} is {value}, expected 0..=1"
            ),
        }
    }
}

error_with_source!(HandwritingError: Io);

/// A picture of a digit and every step that turned it into an MNIST-style vector; see the
/// [module documentation](self) for the steps. Pictures are `(rows, columns)` arrays, 0 black
/// to 1 white.
#[derive(Clone, Debug)]
pub struct DigitSteps {
    /// Step 1: the picture in grayscale, full size, as it came (ink dark if it was dark).
    pub gray: Array2<f32>,
    /// Whether the background was light (dark ink on paper), so step 2 inverted the picture.
    pub light_background: bool,
    /// Step 2: ink bright on a black background, background exactly 0, ink up to 1.
    pub inverted: Array2<f32>,
    /// Step 3: cropped to the bounding box of the ink.
    pub cropped: Array2<f32>,
    /// Step 4: scaled so that the longer side is 20 pixels.
    pub scaled: Array2<f32>,
    /// Step 5: placed in a 28x28 field, centre of mass at the centre.
    pub centered: Array2<f32>,
    /// Step 6: `centered` divided by its largest value, row by row: 784 values in 0..=1, the
    /// input the networks of chapters 3 and 4 expect.
    pub vector: Array1<f64>,
}

impl DigitSteps {
    /// The six steps as square pictures for display, each with a short title: the large
    /// ones averaged down to at most `side` pixels, the narrow ones padded with their
    /// background. Each goes straight into dlfs-plot's
    /// `Digit::new(&pixels, PixelScale::ZeroToOne)`.
    ///
    /// ```
    /// use dlfs_data::preprocess_digit;
    /// use dlfs_data::ndarray::Array2;
    /// # fn main() -> Result<(), dlfs_data::HandwritingError> {
    /// let gray = Array2::from_shape_fn((300, 200), |(r, c)| {
    ///     if (50..250).contains(&r) && (90..110).contains(&c) { 0.0 } else { 1.0 }
    /// });
    /// let panels = preprocess_digit(&gray)?.panels(100);
    /// assert_eq!(panels.len(), 6);
    /// assert_eq!(panels[0].1.dim(), (100, 100)); // 300x200, averaged down and padded
    /// assert_eq!(panels[5].1.dim(), (28, 28));
    /// # Ok(())
    /// # }
    /// ```
    pub fn panels(&self, side: usize) -> Vec<(&'static str, Array2<f32>)> {
        let side = side.max(1);
        let paper = if self.light_background { 1.0 } else { 0.0 };
        let vector =
            Array2::from_shape_fn((FIELD, FIELD), |(r, c)| self.vector[r * FIELD + c] as f32);
        vec![
            ("1 gray", square_preview(&self.gray, side, paper)),
            ("2 inverted", square_preview(&self.inverted, side, 0.0)),
            ("3 cropped", square_preview(&self.cropped, side, 0.0)),
            ("4 scaled", square_preview(&self.scaled, side, 0.0)),
            ("5 centered", square_preview(&self.centered, side, 0.0)),
            ("6 vector", vector),
        ]
    }
}

/// Reads a PNG or JPEG of one digit and turns it into an MNIST-style vector, keeping every
/// step (see the [module documentation](self)). The format is told from the content, not the
/// file name.
///
/// # Errors
///
/// A [`HandwritingError`] when the file cannot be read, is larger than the limits, is not a
/// PNG or JPEG, is corrupt or truncated, or has no ink on it.
///
/// ```
/// # fn main() -> Result<(), dlfs_data::HandwritingError> {
/// # let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
/// # std::env::set_current_dir(dir).unwrap();
/// let steps = dlfs_data::load_digit("data/handwriting/pen_3.jpg")?;
/// assert_eq!(steps.vector.len(), 784);
/// assert!(steps.light_background); // blue ink on paper
/// # Ok(())
/// # }
/// ```
pub fn load_digit(path: impl AsRef<Path>) -> Result<DigitSteps, HandwritingError> {
    let path = path.as_ref();
    let io_error = |source| HandwritingError::Io {
        path: path.to_path_buf(),
        source,
    };
    let what = path.display().to_string();
    let file = File::open(path).map_err(io_error)?;
    let size = file.metadata().map_err(io_error)?.len();
    check_file_size(&what, size)?;
    let mut bytes = Vec::with_capacity(size as usize);
    // The file may grow between the size check and the read: read no more than the limit.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    check_file_size(&what, bytes.len() as u64)?;
    decode(&bytes, what)
}

/// [`load_digit`] for a picture already in memory (errors name it "image bytes").
///
/// # Errors
///
/// As [`load_digit`], except for reading a file.
///
/// ```
/// let err = dlfs_data::decode_digit(b"GIF89a...").unwrap_err();
/// assert!(err.to_string().contains("expected a PNG or JPEG"));
/// ```
pub fn decode_digit(bytes: &[u8]) -> Result<DigitSteps, HandwritingError> {
    let what = "image bytes".to_string();
    check_file_size(&what, bytes.len() as u64)?;
    decode(bytes, what)
}

/// Steps 2 to 6 for a grayscale picture already in memory: `(rows, columns)`, 0 black to 1
/// white; dark ink on light paper and light ink on a dark background both work. Step 1 is
/// the picture itself.
///
/// # Errors
///
/// [`HandwritingError::BadPixel`] for a value outside 0..=1 (or NaN),
/// [`HandwritingError::NoInk`] for a picture without ink (an empty one included).
///
/// ```
/// use dlfs_data::{preprocess_digit, HandwritingError};
/// use dlfs_data::ndarray::Array2;
///
/// let blank = Array2::from_elem((50, 50), 0.95);
/// let err = preprocess_digit(&blank).unwrap_err();
/// assert!(matches!(err, HandwritingError::NoInk { .. }));
/// ```
pub fn preprocess_digit(gray: &Array2<f32>) -> Result<DigitSteps, HandwritingError> {
    for ((row, col), &value) in gray.indexed_iter() {
        if !(0.0..=1.0).contains(&value) {
            return Err(HandwritingError::BadPixel { row, col, value });
        }
    }
    steps(gray.clone(), "grayscale image".to_string())
}

fn check_file_size(what: &str, size: u64) -> Result<(), HandwritingError> {
    if size > MAX_FILE_BYTES {
        return Err(HandwritingError::FileTooLarge {
            what: what.to_string(),
            size,
            limit: MAX_FILE_BYTES,
        });
    }
    Ok(())
}

fn decode(bytes: &[u8], what: String) -> Result<DigitSteps, HandwritingError> {
    let (format, name) = match image::guess_format(bytes) {
        Ok(ImageFormat::Png) => (ImageFormat::Png, "PNG"),
        Ok(ImageFormat::Jpeg) => (ImageFormat::Jpeg, "JPEG"),
        Ok(other) => {
            return Err(HandwritingError::Unsupported {
                what,
                found: format!("a {other:?} picture"),
            })
        }
        Err(_) => {
            let found = if bytes.is_empty() {
                "an empty file".to_string()
            } else {
                let start: Vec<String> = bytes.iter().take(8).map(|b| format!("{b:02x}")).collect();
                format!("unknown content starting {}", start.join(" "))
            };
            return Err(HandwritingError::Unsupported { what, found });
        }
    };
    let corrupt = |detail: String| HandwritingError::Corrupt {
        what: what.clone(),
        format: name,
        detail,
    };
    // A JPEG decoder fills in what is missing from a cut-off file; the end-of-image marker
    // tells a whole file from a truncated one.
    if format == ImageFormat::Jpeg && !bytes.ends_with(&[0xFF, 0xD9]) {
        return Err(corrupt(
            "the file does not end with the end-of-image marker FF D9".to_string(),
        ));
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    let image_error = |e: ImageError| match e {
        ImageError::Limits(e) => HandwritingError::TooLarge {
            what: what.clone(),
            detail: format!(
                "{e} (at most {MAX_SIDE}x{MAX_SIDE} pixels and {} MiB)",
                MAX_ALLOC >> 20
            ),
        },
        ImageError::Unsupported(e) => corrupt(format!("unsupported variant: {e}")),
        ImageError::IoError(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
            corrupt("the file ends too early".to_string())
        }
        other => corrupt(other.to_string()),
    };
    let decoder = reader.into_decoder().map_err(image_error)?;
    let (width, height) = decoder.dimensions();
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(HandwritingError::TooLarge {
            what,
            detail: format!("{width}x{height} pixels, more than {MAX_SIDE} on a side"),
        });
    }
    if decoder.total_bytes() > MAX_ALLOC {
        return Err(HandwritingError::TooLarge {
            what,
            detail: format!(
                "{width}x{height} pixels need {} MiB to decode, more than {} MiB",
                decoder.total_bytes() >> 20,
                MAX_ALLOC >> 20
            ),
        });
    }
    if width == 0 || height == 0 {
        return Err(corrupt(format!("{width}x{height} pixels")));
    }
    let picture = DynamicImage::from_decoder(decoder).map_err(image_error)?;
    let gray = grayscale(picture);
    steps(gray, what)
}

/// Step 1: luma of each pixel, transparent pixels composited onto contrasting paper.
fn grayscale(picture: DynamicImage) -> Array2<f32> {
    let (width, height) = (picture.width() as usize, picture.height() as usize);
    // (luma, alpha) per pixel, both 0..=1
    let pixels: Vec<(f32, f32)> = match picture {
        DynamicImage::ImageLuma8(b) => b.pixels().map(|p| (f32::from(p[0]) / 255.0, 1.0)).collect(),
        DynamicImage::ImageLumaA8(b) => b
            .pixels()
            .map(|p| (f32::from(p[0]) / 255.0, f32::from(p[1]) / 255.0))
            .collect(),
        DynamicImage::ImageRgb8(b) => b
            .pixels()
            .map(|p| (luma([p[0], p[1], p[2]].map(f32::from)) / 255.0, 1.0))
            .collect(),
        DynamicImage::ImageRgba8(b) => b
            .pixels()
            .map(|p| {
                let l = luma([p[0], p[1], p[2]].map(f32::from)) / 255.0;
                (l, f32::from(p[3]) / 255.0)
            })
            .collect(),
        // 16-bit and float pictures (rare for a digit) go through 16-bit RGBA.
        other => other
            .to_rgba16()
            .pixels()
            .map(|p| {
                let l = luma([p[0], p[1], p[2]].map(f32::from)) / 65535.0;
                (l, f32::from(p[3]) / 65535.0)
            })
            .collect(),
    };
    let paper = if pixels.iter().any(|&(_, a)| a < 1.0) {
        let opaque: f64 = pixels.iter().map(|&(_, a)| f64::from(a)).sum();
        let ink: f64 = pixels.iter().map(|&(l, a)| f64::from(l * a)).sum();
        // Dark strokes go on white paper, light strokes on black; nothing opaque: white.
        if opaque > 0.0 && ink / opaque >= 0.5 {
            0.0
        } else {
            1.0
        }
    } else {
        1.0
    };
    let values = pixels
        .into_iter()
        .map(|(l, a)| (a * l + (1.0 - a) * paper).clamp(0.0, 1.0))
        .collect();
    Array2::from_shape_vec((height, width), values).expect("one value per pixel")
}

/// ITU-R BT.601 luma, the weights PIL's `convert("L")` uses.
fn luma([r, g, b]: [f32; 3]) -> f32 {
    0.299 * r + 0.587 * g + 0.114 * b
}

/// Steps 2 to 6.
fn steps(gray: Array2<f32>, what: String) -> Result<DigitSteps, HandwritingError> {
    if gray.is_empty() {
        return Err(HandwritingError::NoInk {
            what,
            contrast: 0.0,
        });
    }
    // Step 2. The background is the most common level, so the median; the ink is the
    // extreme farther from it.
    let median = median(&gray);
    let (min, max) = gray
        .iter()
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    let light_background = median - min > max - median;
    let oriented = if light_background {
        gray.mapv(|v| 1.0 - v)
    } else {
        gray.clone()
    };
    let (background, ink) = if light_background {
        (1.0 - median, 1.0 - min)
    } else {
        (median, max)
    };
    let contrast = ink - background;
    if contrast < MIN_CONTRAST {
        return Err(HandwritingError::NoInk { what, contrast });
    }
    let floor = background + INK_THRESHOLD * contrast;
    let mut inverted = oriented.mapv(|v| ((v - floor) / (ink - floor)).clamp(0.0, 1.0));
    clear_specks(&mut inverted);

    // Step 3
    let Some((top, left, bottom, right)) = ink_box(&inverted) else {
        return Err(HandwritingError::NoInk { what, contrast });
    };
    let cropped = inverted.slice(s![top..=bottom, left..=right]).to_owned();

    // Step 4
    let (h, w) = cropped.dim();
    let longer = h.max(w);
    let fit = |n: usize| ((n * BOX) as f64 / longer as f64).round().max(1.0) as usize;
    let scaled = resize(&cropped, fit(h), fit(w));

    // Step 5: shift by whole pixels (a second resampling would blur the strokes), and never
    // so far that ink leaves the field.
    let (sh, sw) = scaled.dim();
    let mass: f64 = scaled.iter().map(|&v| f64::from(v)).sum();
    let (mut cy, mut cx) = (0.0, 0.0);
    for ((r, c), &v) in scaled.indexed_iter() {
        cy += (r as f64 + 0.5) * f64::from(v);
        cx += (c as f64 + 0.5) * f64::from(v);
    }
    let half = FIELD as f64 / 2.0;
    let offset = |centre: f64, size: usize| {
        ((half - centre / mass).round().max(0.0) as usize).min(FIELD - size)
    };
    let (top, left) = (offset(cy, sh), offset(cx, sw));
    let mut centered = Array2::zeros((FIELD, FIELD));
    centered
        .slice_mut(s![top..top + sh, left..left + sw])
        .assign(&scaled);

    // Step 6
    let peak = centered.iter().copied().fold(0.0f32, f32::max);
    let vector = centered.iter().map(|&v| f64::from(v / peak)).collect();
    Ok(DigitSteps {
        gray,
        light_background,
        inverted,
        cropped,
        scaled,
        centered,
        vector,
    })
}

/// The median of all values (the upper one of an even count; linear time on average).
fn median(values: &Array2<f32>) -> f32 {
    let mut all: Vec<f32> = values.iter().copied().collect();
    let mid = all.len() / 2;
    *all.select_nth_unstable_by(mid, f32::total_cmp).1
}

/// Clears ink pixels none of whose eight neighbours has ink: single specks of noise.
fn clear_specks(image: &mut Array2<f32>) {
    let (h, w) = image.dim();
    let lonely: Vec<(usize, usize)> = image
        .indexed_iter()
        .filter(|&(_, &v)| v > 0.0)
        .filter(|&((r, c), _)| {
            let rows = r.saturating_sub(1)..=(r + 1).min(h - 1);
            !rows.into_iter().any(|rr| {
                (c.saturating_sub(1)..=(c + 1).min(w - 1))
                    .any(|cc| (rr, cc) != (r, c) && image[[rr, cc]] > 0.0)
            })
        })
        .map(|(i, _)| i)
        .collect();
    for i in lonely {
        image[i] = 0.0;
    }
}

/// The bounding box (top, left, bottom, right; inclusive) of the pixels above 0.
fn ink_box(image: &Array2<f32>) -> Option<(usize, usize, usize, usize)> {
    image
        .indexed_iter()
        .filter(|&(_, &v)| v > 0.0)
        .fold(None, |acc, ((r, c), _)| match acc {
            None => Some((r, c, r, c)),
            Some((t, l, b, rt)) => Some((t.min(r), l.min(c), b.max(r), rt.max(c))),
        })
}

/// Resizes to `rows` x `cols`: smaller by area averaging along each axis, larger by
/// bilinear interpolation (`image`'s triangle filter).
fn resize(image: &Array2<f32>, rows: usize, cols: usize) -> Array2<f32> {
    let (h, w) = image.dim();
    if rows <= h && cols <= w {
        let narrowed = area_average(&image.view().reversed_axes().to_owned(), cols);
        area_average(&narrowed.reversed_axes(), rows)
    } else {
        let buffer: ImageBuffer<Luma<f32>, Vec<f32>> =
            ImageBuffer::from_fn(w as u32, h as u32, |x, y| {
                Luma([image[[y as usize, x as usize]]])
            });
        let resized =
            image::imageops::resize(&buffer, cols as u32, rows as u32, FilterType::Triangle);
        Array2::from_shape_fn((rows, cols), |(r, c)| {
            resized.get_pixel(c as u32, r as u32)[0].clamp(0.0, 1.0)
        })
    }
}

/// Shrinks the rows axis (axis 0) to `out` rows, each the mean of the input rows it covers,
/// partly covered rows weighted by the part covered.
fn area_average(image: &Array2<f32>, out: usize) -> Array2<f32> {
    let (h, w) = image.dim();
    let scale = h as f64 / out as f64;
    let mut result = Array2::zeros((out, w));
    for o in 0..out {
        let (start, end) = (o as f64 * scale, (o + 1) as f64 * scale);
        let mut row = result.row_mut(o);
        let first = start.floor() as usize;
        let last = (end.ceil() as usize).min(h);
        for i in first..last {
            let weight = ((i + 1) as f64).min(end) - (i as f64).max(start);
            if weight > 0.0 {
                row.scaled_add((weight / scale) as f32, &image.row(i));
            }
        }
    }
    result
}

/// A picture averaged down to at most `side` pixels on its longer side and padded with
/// `fill` to a square.
fn square_preview(image: &Array2<f32>, side: usize, fill: f32) -> Array2<f32> {
    let (h, w) = image.dim();
    let longer = h.max(w).max(1);
    let small = if longer > side {
        let fit = |n: usize| ((n * side) as f64 / longer as f64).round().max(1.0) as usize;
        resize(image, fit(h), fit(w))
    } else {
        image.clone()
    };
    let (sh, sw) = small.dim();
    let n = sh.max(sw);
    let mut square = Array2::from_elem((n, n), fill);
    let (top, left) = ((n - sh) / 2, (n - sw) / 2);
    square
        .slice_mut(s![top..top + sh, left..left + sw])
        .assign(&small);
    square
}
