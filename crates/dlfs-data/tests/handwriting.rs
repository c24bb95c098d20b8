//! The own-handwriting loader: each preprocessing step on synthetic pictures whose right
//! answer follows from geometry, every kind of bad input, and the committed samples.

use approx::assert_abs_diff_eq;
use dlfs_data::handwriting::{MAX_FILE_BYTES, MAX_SIDE};
use dlfs_data::ndarray::Array2;
use dlfs_data::{decode_digit, load_digit, preprocess_digit, DigitSteps, HandwritingError};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{ExtendedColorType, ImageEncoder};

#[path = "../examples/make_handwriting_samples.rs"]
mod make_handwriting_samples;

/// A `rows` x `cols` picture of `paper` with `ink` inside the rectangle given by row and
/// column ranges.
fn rectangle(
    (rows, cols): (usize, usize),
    r: std::ops::Range<usize>,
    c: std::ops::Range<usize>,
    paper: f32,
    ink: f32,
) -> Array2<f32> {
    Array2::from_shape_fn((rows, cols), |(y, x)| {
        if r.contains(&y) && c.contains(&x) {
            ink
        } else {
            paper
        }
    })
}

/// Centre of mass (row, column) of the 784-vector, pixel i covering [i, i + 1).
fn centre_of_mass(steps: &DigitSteps) -> (f64, f64) {
    let (mut m, mut cy, mut cx) = (0.0, 0.0, 0.0);
    for (i, &v) in steps.vector.iter().enumerate() {
        m += v;
        cy += v * ((i / 28) as f64 + 0.5);
        cx += v * ((i % 28) as f64 + 0.5);
    }
    (cy / m, cx / m)
}

fn png(width: u32, height: u32, color: ExtendedColorType, pixels: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::new();
    PngEncoder::new(&mut bytes)
        .write_image(pixels, width, height, color)
        .unwrap();
    bytes
}

/// A 60x60 RGB picture: a dark 20x30 bar on light paper.
fn bar_rgb() -> Vec<u8> {
    (0..60 * 60)
        .flat_map(|i| {
            let (y, x) = (i / 60, i % 60);
            if (15..45).contains(&y) && (20..40).contains(&x) {
                [10, 10, 10]
            } else {
                [240, 240, 240]
            }
        })
        .collect()
}

#[test]
fn filled_square_lands_with_its_centre_of_mass_at_14_14() {
    // An off-centre square: the crop removes the offset, the centring puts it in the middle.
    let gray = rectangle((100, 100), 10..50, 55..95, 1.0, 0.0);
    let steps = preprocess_digit(&gray).unwrap();
    assert_eq!(steps.cropped.dim(), (40, 40));
    assert_eq!(steps.scaled.dim(), (20, 20));
    let (cy, cx) = centre_of_mass(&steps);
    assert_abs_diff_eq!(cy, 14.0, epsilon = 0.5);
    assert_abs_diff_eq!(cx, 14.0, epsilon = 0.5);
    // A uniform square stays uniform: 400 pixels of 1.0, the rest 0.
    assert_eq!(steps.vector.iter().filter(|&&v| v == 1.0).count(), 400);
    assert_eq!(
        steps.vector.iter().filter(|&&v| v == 0.0).count(),
        784 - 400
    );
}

#[test]
fn longer_side_becomes_20_pixels_and_the_aspect_ratio_is_kept() {
    // 90 tall, 30 wide: 20 x (30 * 20 / 90 = 6.67, rounded 7)
    let tall = preprocess_digit(&rectangle((200, 150), 40..130, 60..90, 1.0, 0.0)).unwrap();
    assert_eq!(tall.cropped.dim(), (90, 30));
    assert_eq!(tall.scaled.dim(), (20, 7));
    // 25 tall, 100 wide: (25 * 20 / 100 = 5) x 20
    let wide = preprocess_digit(&rectangle((120, 160), 50..75, 30..130, 0.0, 1.0)).unwrap();
    assert_eq!(wide.scaled.dim(), (5, 20));
    // Smaller than the box: 10 x 5 is scaled up to 20 x 10
    let small = preprocess_digit(&rectangle((16, 16), 3..13, 5..10, 1.0, 0.0)).unwrap();
    assert_eq!(small.scaled.dim(), (20, 10));
}

#[test]
fn scaling_averages_over_the_area_each_pixel_covers() {
    // Ink 40x40; its left 10 columns full, the other 30 at half strength. Halving the size,
    // each output pixel averages 2x2 input pixels: 5 full columns, then 15 at half.
    let gray = Array2::from_shape_fn((60, 60), |(y, x)| {
        let inside = (10..50).contains(&y) && (10..50).contains(&x);
        match (inside, x < 20) {
            (false, _) => 1.0,
            (true, true) => 0.0,
            (true, false) => 0.5,
        }
    });
    let steps = preprocess_digit(&gray).unwrap();
    assert_eq!(steps.scaled.dim(), (20, 20));
    // After levelling, background 1.0 -> 0 and ink 0.0 -> 1; the 0.5 grey is halfway in
    // contrast, and the floor at 0.3 of the contrast maps it to (0.5 - 0.3) / 0.7.
    let half = (0.5 - 0.3) / 0.7;
    for r in 0..20 {
        for c in 0..20 {
            let expected = if c < 5 { 1.0 } else { half };
            assert_abs_diff_eq!(steps.scaled[[r, c]], expected, epsilon = 1e-5);
        }
    }
}

#[test]
fn a_checkerboard_shrunk_by_two_is_uniform_grey() {
    // A 40x40 checkerboard in 2x2 blocks of two dark and two light pixels: averaged to
    // 20x20, every pixel is exactly half ink. Sampling instead of averaging would give a
    // pattern of 0 and 1 (aliasing).
    let gray = Array2::from_shape_fn((60, 60), |(y, x)| {
        let inside = (10..50).contains(&y) && (10..50).contains(&x);
        if inside && (x + y) % 2 == 0 {
            0.0
        } else {
            1.0
        }
    });
    let steps = preprocess_digit(&gray).unwrap();
    assert_eq!(steps.cropped.dim(), (40, 40));
    assert_eq!(steps.scaled.dim(), (20, 20));
    for &v in &steps.scaled {
        assert_abs_diff_eq!(v, 0.5, epsilon = 1e-6);
    }
}

#[test]
fn dark_ink_on_light_paper_is_inverted_and_light_ink_on_dark_is_not() {
    let dark_on_light = preprocess_digit(&rectangle((50, 50), 10..40, 20..30, 0.9, 0.1)).unwrap();
    let light_on_dark = preprocess_digit(&rectangle((50, 50), 10..40, 20..30, 0.1, 0.9)).unwrap();
    assert!(dark_on_light.light_background);
    assert!(!light_on_dark.light_background);
    // Either way the ink ends up 1, the background 0, in the same places.
    for steps in [&dark_on_light, &light_on_dark] {
        assert_eq!(steps.inverted[[25, 25]], 1.0);
        assert_eq!(steps.inverted[[5, 5]], 0.0);
    }
    assert_eq!(dark_on_light.vector, light_on_dark.vector);
}

#[test]
fn paper_grain_and_a_lone_speck_do_not_move_the_bounding_box() {
    // Grain of +-0.05 on the paper, a one-pixel speck far from the digit.
    let mut gray = rectangle((100, 100), 30..70, 40..60, 0.85, 0.15);
    for ((y, x), v) in gray.indexed_iter_mut() {
        *v += ((y * 7 + x * 13) % 11) as f32 / 100.0 - 0.05;
    }
    gray[[3, 95]] = 0.0;
    let steps = preprocess_digit(&gray).unwrap();
    assert_eq!(steps.cropped.dim(), (40, 20));
}

#[test]
fn a_digit_near_the_edge_of_its_box_stays_inside_the_field() {
    // An L shape whose mass sits in its left column: centring by mass alone would push
    // the right end of the foot past column 28.
    let mut gray = Array2::from_elem((40, 40), 1.0f32);
    for y in 0..40 {
        for x in 0..6 {
            gray[[y, x]] = 0.0;
        }
    }
    for x in 0..40 {
        gray[[39, x]] = 0.0;
    }
    let steps = preprocess_digit(&gray).unwrap();
    let mass: f32 = steps.scaled.sum();
    assert_abs_diff_eq!(steps.centered.sum(), mass, epsilon = 1e-3);
}

#[test]
fn blank_page_is_an_error_not_nan() {
    for paper in [0.0, 0.5, 1.0] {
        let err = preprocess_digit(&Array2::from_elem((40, 30), paper)).unwrap_err();
        assert!(matches!(err, HandwritingError::NoInk { .. }), "{err}");
        assert!(err.to_string().contains("no ink"), "{err}");
    }
    // Faint grain alone is not ink either.
    let grain = Array2::from_shape_fn((64, 64), |(y, x)| {
        0.9 + ((y * 31 + x * 17) % 7) as f32 / 70.0
    });
    assert!(matches!(
        preprocess_digit(&grain),
        Err(HandwritingError::NoInk { .. })
    ));
    // A blank white PNG through the whole path.
    let white = png(32, 32, ExtendedColorType::L8, &[255; 32 * 32]);
    assert!(matches!(
        decode_digit(&white),
        Err(HandwritingError::NoInk { .. })
    ));
    // No pixels at all.
    let empty = preprocess_digit(&Array2::zeros((0, 5))).unwrap_err();
    assert!(matches!(empty, HandwritingError::NoInk { .. }));
}

#[test]
fn values_outside_0_1_are_an_error() {
    let mut gray = rectangle((20, 20), 5..15, 5..15, 1.0, 0.0);
    gray[[3, 4]] = f32::NAN;
    let err = preprocess_digit(&gray).unwrap_err();
    assert!(
        matches!(err, HandwritingError::BadPixel { row: 3, col: 4, .. }),
        "{err}"
    );
    gray[[3, 4]] = 255.0;
    assert!(preprocess_digit(&gray).is_err());
}

#[test]
fn png_and_jpeg_of_the_same_digit_agree() {
    let rgb = bar_rgb();
    let from_png = decode_digit(&png(60, 60, ExtendedColorType::Rgb8, &rgb)).unwrap();
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, 90)
        .write_image(&rgb, 60, 60, ExtendedColorType::Rgb8)
        .unwrap();
    let from_jpeg = decode_digit(&jpeg).unwrap();
    assert_eq!(from_png.cropped.dim(), (30, 20));
    assert_eq!(from_png.gray.dim(), (60, 60));
    // The gray of RGB (240, 240, 240) is 240/255
    assert_abs_diff_eq!(from_png.gray[[0, 0]], 240.0 / 255.0, epsilon = 1e-6);
    // JPEG's ringing may move an edge by a pixel; the digit's place and weight stay (each
    // centre of mass within half a pixel of 14, the whole-pixel shift rounding either way).
    for steps in [&from_png, &from_jpeg] {
        let (y, x) = centre_of_mass(steps);
        assert_abs_diff_eq!(y, 14.0, epsilon = 0.5);
        assert_abs_diff_eq!(x, 14.0, epsilon = 0.5);
    }
    let (png_ink, jpeg_ink) = (from_png.vector.sum(), from_jpeg.vector.sum());
    assert!(
        (png_ink - jpeg_ink).abs() < 0.1 * png_ink,
        "ink {png_ink} vs {jpeg_ink}"
    );
}

#[test]
fn grayscale_uses_rec_601_luma() {
    // Pure green paper is 0.587 gray, pure blue ink 0.114.
    let rgb: Vec<u8> = (0..40 * 40)
        .flat_map(|i| {
            if (10..30).contains(&(i / 40)) && (15..25).contains(&(i % 40)) {
                [0, 0, 255]
            } else {
                [0, 255, 0]
            }
        })
        .collect();
    let steps = decode_digit(&png(40, 40, ExtendedColorType::Rgb8, &rgb)).unwrap();
    assert_abs_diff_eq!(steps.gray[[0, 0]], 0.587, epsilon = 1e-6);
    assert_abs_diff_eq!(steps.gray[[20, 20]], 0.114, epsilon = 1e-6);
    assert!(steps.light_background);
}

/// 50x50 RGBA pixels: a 30x8 bar of opaque `colour`, and fully transparent pixels of the
/// same colour everywhere else.
fn transparent_bar(colour: [u8; 3]) -> Vec<u8> {
    (0..50 * 50)
        .flat_map(|i| {
            let ink = (10..40).contains(&(i / 50)) && (20..28).contains(&(i % 50));
            [colour[0], colour[1], colour[2], if ink { 255 } else { 0 }]
        })
        .collect()
}

#[test]
fn transparent_png_with_dark_ink_is_laid_on_white() {
    // Black strokes, fully transparent elsewhere; the colour under the transparent pixels
    // is black too (as many drawing programs save it), and must not count.
    let rgba = transparent_bar([0, 0, 0]);
    let steps = decode_digit(&png(50, 50, ExtendedColorType::Rgba8, &rgba)).unwrap();
    assert_eq!(steps.gray[[0, 0]], 1.0);
    assert_eq!(steps.gray[[20, 22]], 0.0);
    assert!(steps.light_background);
    assert_eq!(steps.cropped.dim(), (30, 8));
}

#[test]
fn transparent_png_with_white_ink_is_laid_on_black() {
    // White strokes on transparent white: laid on white they would vanish.
    let rgba = transparent_bar([255, 255, 255]);
    let steps = decode_digit(&png(50, 50, ExtendedColorType::Rgba8, &rgba)).unwrap();
    assert_eq!(steps.gray[[0, 0]], 0.0);
    assert!(!steps.light_background);
    assert_eq!(steps.cropped.dim(), (30, 8));
    // Gray with alpha (LA8) works the same way.
    let la: Vec<u8> = rgba.chunks(4).flat_map(|p| [p[0], p[3]]).collect();
    let steps = decode_digit(&png(50, 50, ExtendedColorType::La8, &la)).unwrap();
    assert_eq!(steps.cropped.dim(), (30, 8));
}

#[test]
fn fully_transparent_png_has_no_ink() {
    let rgba = vec![0u8; 20 * 20 * 4];
    let err = decode_digit(&png(20, 20, ExtendedColorType::Rgba8, &rgba)).unwrap_err();
    assert!(matches!(err, HandwritingError::NoInk { .. }), "{err}");
}

#[test]
fn truncated_png_is_a_corrupt_file_error() {
    let whole = png(60, 60, ExtendedColorType::Rgb8, &bar_rgb());
    for keep in [9, 40, whole.len() / 2, whole.len() - 13] {
        let err = decode_digit(&whole[..keep]).unwrap_err();
        assert!(
            matches!(err, HandwritingError::Corrupt { format: "PNG", .. }),
            "{keep}: {err}"
        );
        assert!(
            err.to_string().contains("corrupt or truncated PNG"),
            "{err}"
        );
    }
}

#[test]
fn png_with_a_damaged_byte_is_a_corrupt_file_error() {
    let mut bytes = png(60, 60, ExtendedColorType::Rgb8, &bar_rgb());
    let n = bytes.len();
    bytes[n / 2] ^= 0xFF; // inside the image data: its checksum no longer matches
    let err = decode_digit(&bytes).unwrap_err();
    assert!(matches!(err, HandwritingError::Corrupt { .. }), "{err}");
}

#[test]
fn truncated_jpeg_is_a_corrupt_file_error() {
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, 85)
        .write_image(&bar_rgb(), 60, 60, ExtendedColorType::Rgb8)
        .unwrap();
    assert!(decode_digit(&jpeg).is_ok());
    for keep in [3, 100, jpeg.len() / 2, jpeg.len() - 1] {
        let err = decode_digit(&jpeg[..keep]).unwrap_err();
        assert!(
            matches!(err, HandwritingError::Corrupt { format: "JPEG", .. }),
            "{keep}: {err}"
        );
    }
}

#[test]
fn other_formats_are_unsupported() {
    let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;";
    let err = decode_digit(gif).unwrap_err();
    assert!(matches!(err, HandwritingError::Unsupported { .. }), "{err}");
    assert!(err.to_string().contains("Gif"), "{err}");
    let bmp = b"BM\x3a\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00";
    assert!(matches!(
        decode_digit(bmp),
        Err(HandwritingError::Unsupported { .. })
    ));
    let text = b"%PDF-1.7 not a picture";
    let err = decode_digit(text).unwrap_err();
    assert!(
        err.to_string()
            .contains("unknown content starting 25 50 44 46"),
        "{err}"
    );
    assert!(decode_digit(b"")
        .unwrap_err()
        .to_string()
        .contains("an empty file"));
}

#[test]
fn huge_picture_is_refused_from_its_header() {
    // A valid PNG header claiming 20000 x 20000 pixels, and nothing behind it: the size is
    // refused before any pixel memory is allocated.
    let mut bytes = png(1, 1, ExtendedColorType::L8, &[0]);
    bytes[16..20].copy_from_slice(&20_000u32.to_be_bytes());
    bytes[20..24].copy_from_slice(&20_000u32.to_be_bytes());
    // Fix the header chunk's CRC so the decoder gets as far as the size.
    let crc = crc32(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.to_be_bytes());
    let err = decode_digit(&bytes).unwrap_err();
    assert!(matches!(err, HandwritingError::TooLarge { .. }), "{err}");
    assert!(err.to_string().contains(&MAX_SIDE.to_string()), "{err}");
    // One side over the limit is enough.
    let wide = png(
        MAX_SIDE + 1,
        1,
        ExtendedColorType::L8,
        &vec![255; MAX_SIDE as usize + 1],
    );
    assert!(matches!(
        decode_digit(&wide),
        Err(HandwritingError::TooLarge { .. })
    ));
}

#[test]
fn huge_file_is_refused_before_reading() {
    let dir = std::env::temp_dir().join(format!("dlfs-handwriting-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("huge.png");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(MAX_FILE_BYTES + 1).unwrap(); // sparse: no disk used
    let err = load_digit(&path).unwrap_err();
    assert!(
        matches!(err, HandwritingError::FileTooLarge { .. }),
        "{err}"
    );
    let missing = load_digit(dir.join("missing.png")).unwrap_err();
    assert!(matches!(missing, HandwritingError::Io { .. }));
    assert!(missing.to_string().contains("missing.png"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// CRC-32 as PNG uses it (ISO 3309), bit by bit.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn crc32_of_iend_is_the_known_value() {
    // Every PNG ends with the chunk IEND, whose CRC is AE 42 60 82.
    assert_eq!(crc32(b"IEND"), 0xAE42_6082);
}

#[test]
fn committed_samples_are_what_the_program_makes() {
    let dir = make_handwriting_samples::samples_dir();
    let samples = make_handwriting_samples::samples();
    assert!(samples.len() >= 10);
    for (name, bytes) in samples {
        let committed = std::fs::read(dir.join(name)).unwrap_or_else(|e| {
            panic!("{name}: {e}; run the make_handwriting_samples example (feature handwriting)")
        });
        assert!(
            committed == bytes,
            "{name} differs from what make_handwriting_samples makes"
        );
        let steps = load_digit(dir.join(name)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(steps.vector.len(), 784);
        assert!(steps.vector.iter().all(|v| (0.0..=1.0).contains(v)));
        assert_eq!(steps.vector.iter().copied().fold(0.0, f64::max), 1.0);
        // Dark-on-light samples are inverted; chalk and white-on-transparent are not.
        let light = !(name.starts_with("chalk") || name.contains("white"));
        assert_eq!(steps.light_background, light, "{name}");
        // The centre of mass lands in the middle of the field.
        let (cy, cx) = centre_of_mass(&steps);
        assert!(
            (cy - 14.0).abs() < 1.5 && (cx - 14.0).abs() < 1.5,
            "{name}: ({cy}, {cx})"
        );
    }
}
