//! Makes the sample pictures in `data/handwriting/`: digits drawn with a simulated pen
//! (jittered strokes, slant, ink colour, paper grain, JPEG compression) and digits set in
//! DejaVu Sans (the font dlfs-plot embeds), for notebooks/04_extra_own_handwriting.ipynb.
//!
//! ```sh
//! cargo run -p dlfs-data --features handwriting --example make_handwriting_samples
//! ```
//!
//! Every picture comes from a fixed seed, so running it again writes the same bytes (a test
//! checks the committed files against this program).

use std::f32::consts::PI;
use std::path::{Path, PathBuf};

use ab_glyph::{Font, FontRef, PxScale};
use dlfs::rand::Rng;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{ExtendedColorType, ImageEncoder};

/// DejaVu Sans, Bitstream Vera license: crates/dlfs-plot/fonts/LICENSE-DejaVu.txt.
static DEJAVU_SANS: &[u8] = include_bytes!("../../dlfs-plot/fonts/DejaVuSans.ttf");

type Rgb = [f32; 3];

/// How a pen-drawn sample looks.
struct Pen {
    digit: u8,
    size: (usize, usize),
    /// The digit's box: left, top, width, height, in pixels.
    frame: (f32, f32, f32, f32),
    slant: f32,
    width: f32,
    ink: Rgb,
    paper: Rgb,
    /// Transparent background (the ink's opacity is the alpha channel).
    transparent: bool,
    /// Standard deviation of the paper's grain, on the 0..255 scale.
    grain: f32,
    /// How much darker the far corner is than the near one (uneven light).
    shade: f32,
    jitter: f32,
    encoding: Encoding,
    seed: u64,
}

#[derive(Clone, Copy)]
enum Encoding {
    Jpeg(u8),
    PngGray,
    PngRgb,
    PngRgba,
}

/// The strokes of a digit in a unit box (x right, y down), as polylines.
fn strokes(digit: u8) -> Vec<Vec<(f32, f32)>> {
    let arc = |cx: f32, cy: f32, rx: f32, ry: f32, from: f32, to: f32| -> Vec<(f32, f32)> {
        (0..=24)
            .map(|i| {
                let a = (from + (to - from) * i as f32 / 24.0) * PI / 180.0;
                (cx + rx * a.cos(), cy + ry * a.sin())
            })
            .collect()
    };
    let join = |mut a: Vec<(f32, f32)>, b: &[(f32, f32)]| {
        a.extend_from_slice(b);
        a
    };
    match digit {
        0 => vec![arc(0.5, 0.5, 0.36, 0.48, -90.0, 275.0)],
        1 => vec![vec![(0.3, 0.2), (0.58, 0.0), (0.55, 1.0)]],
        2 => vec![join(
            arc(0.5, 0.28, 0.36, 0.28, 190.0, 380.0),
            &[(0.1, 1.0), (0.92, 0.98)],
        )],
        3 => vec![
            arc(0.45, 0.25, 0.38, 0.25, 200.0, 450.0),
            arc(0.45, 0.73, 0.42, 0.27, -90.0, 160.0),
        ],
        4 => vec![
            vec![(0.62, 0.0), (0.05, 0.68), (0.95, 0.68)],
            vec![(0.66, 0.2), (0.66, 1.0)],
        ],
        5 => vec![join(
            vec![(0.88, 0.0), (0.25, 0.0), (0.18, 0.42)],
            &arc(0.48, 0.68, 0.4, 0.31, 235.0, 500.0),
        )],
        6 => vec![join(
            arc(0.55, 0.55, 0.45, 0.55, 280.0, 180.0),
            &arc(0.52, 0.72, 0.38, 0.28, 180.0, -180.0),
        )],
        7 => vec![vec![(0.05, 0.02), (0.95, 0.0), (0.4, 1.0)]],
        8 => vec![
            arc(0.5, 0.24, 0.3, 0.24, 90.0, 450.0),
            arc(0.5, 0.73, 0.38, 0.27, -90.0, 270.0),
        ],
        _ => vec![join(
            arc(0.45, 0.3, 0.38, 0.3, 0.0, 360.0),
            &[(0.83, 0.3), (0.8, 1.0)],
        )],
    }
}

/// A value of the paper's grain: roughly normal with standard deviation `sd`.
fn grain<R: Rng>(rng: &mut R, sd: f32) -> f32 {
    let sum: f32 = (0..4).map(|_| rng.random::<f32>()).sum();
    (sum - 2.0) * sd * 3.0f32.sqrt()
}

/// Distance from `p` to the segment `a`-`b`.
fn distance(p: (f32, f32), a: (f32, f32), b: (f32, f32)) -> f32 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (qx, qy) = (a.0 + t * dx - p.0, a.1 + t * dy - p.1);
    (qx * qx + qy * qy).sqrt()
}

/// Ink coverage 0..=1 per pixel of a pen-drawn digit.
fn draw_pen<R: Rng>(pen: &Pen, rng: &mut R) -> Vec<f32> {
    let (w, h) = pen.size;
    let (left, top, bw, bh) = pen.frame;
    let mut coverage = vec![0.0f32; w * h];
    // One smooth wobble per stroke plus a small jitter per point: a hand, not a plotter.
    for stroke in strokes(pen.digit) {
        let (ax, ay, phase) = (
            grain(rng, pen.jitter),
            grain(rng, pen.jitter),
            rng.random::<f32>() * 2.0 * PI,
        );
        let points: Vec<(f32, f32)> = stroke
            .iter()
            .enumerate()
            .map(|(i, &(x, y))| {
                let wobble = (i as f32 * 0.4 + phase).sin();
                let x = x + ax * wobble + grain(rng, pen.jitter * 0.2);
                let y = y + ay * wobble + grain(rng, pen.jitter * 0.2);
                let x = x + pen.slant * (1.0 - y);
                (left + x * bw, top + y * bh)
            })
            .collect();
        let r = pen.width / 2.0;
        for seg in points.windows(2) {
            let (a, b) = (seg[0], seg[1]);
            let x0 = (a.0.min(b.0) - r - 1.0).floor().max(0.0) as usize;
            let x1 = ((a.0.max(b.0) + r + 2.0).ceil().max(0.0) as usize).min(w);
            let y0 = (a.1.min(b.1) - r - 1.0).floor().max(0.0) as usize;
            let y1 = ((a.1.max(b.1) + r + 2.0).ceil().max(0.0) as usize).min(h);
            for y in y0..y1 {
                for x in x0..x1 {
                    let d = distance((x as f32 + 0.5, y as f32 + 0.5), a, b);
                    let c = (r + 0.5 - d).clamp(0.0, 1.0);
                    let cell = &mut coverage[y * w + x];
                    *cell = cell.max(c);
                }
            }
        }
    }
    coverage
}

/// A glyph of DejaVu Sans as coverage, `size` pixels tall, centred in `w` x `h`, sheared by
/// `slant` and thickened by `bold` pixels.
fn draw_font(ch: char, (w, h): (usize, usize), size: f32, slant: f32, bold: usize) -> Vec<f32> {
    let font = FontRef::try_from_slice(DEJAVU_SANS).expect("the embedded font parses");
    let glyph = font
        .glyph_id(ch)
        .with_scale_and_position(PxScale::from(size), ab_glyph::point(0.0, 0.0));
    let outline = font.outline_glyph(glyph).expect("digits have outlines");
    let bounds = outline.px_bounds();
    let (gw, gh) = (bounds.width(), bounds.height());
    let (ox, oy) = ((w as f32 - gw) / 2.0, (h as f32 - gh) / 2.0);
    let mut upright = vec![0.0f32; w * h];
    outline.draw(|x, y, c| {
        let (x, y) = (x as i64 + ox as i64, y as i64 + oy as i64);
        if (0..w as i64).contains(&x) && (0..h as i64).contains(&y) {
            upright[y as usize * w + x as usize] = c;
        }
    });
    let mut sheared = vec![0.0f32; w * h];
    for y in 0..h {
        let shift = slant * (h as f32 / 2.0 - y as f32);
        for x in 0..w {
            let sx = x as f32 - shift;
            let (i, f) = (sx.floor(), sx - sx.floor());
            let at = |i: f32| {
                if i >= 0.0 && (i as usize) < w {
                    upright[y * w + i as usize]
                } else {
                    0.0
                }
            };
            sheared[y * w + x] = at(i) * (1.0 - f) + at(i + 1.0) * f;
        }
    }
    // Thicker strokes: the largest coverage within a disc of radius `bold`.
    let b = bold as i64;
    let mut coverage = sheared.clone();
    for y in 0..h as i64 {
        for x in 0..w as i64 {
            for dy in -b..=b {
                for dx in -b..=b {
                    let (yy, xx) = (y + dy, x + dx);
                    if dx * dx + dy * dy <= b * b
                        && (0..h as i64).contains(&yy)
                        && (0..w as i64).contains(&xx)
                    {
                        let c = &mut coverage[(y * w as i64 + x) as usize];
                        *c = c.max(sheared[(yy * w as i64 + xx) as usize]);
                    }
                }
            }
        }
    }
    coverage
}

/// Lays ink of `coverage` on paper and encodes the picture.
fn finish<R: Rng>(pen: &Pen, coverage: &[f32], rng: &mut R) -> Vec<u8> {
    let (w, h) = pen.size;
    let mut rgba = Vec::with_capacity(w * h * 4);
    for (i, &c) in coverage.iter().enumerate() {
        let (x, y) = ((i % w) as f32 / w as f32, (i / w) as f32 / h as f32);
        let light = 1.0 - pen.shade * (x + y) / 2.0;
        let noise = grain(rng, pen.grain);
        for k in 0..3 {
            let v = if pen.transparent {
                pen.ink[k]
            } else {
                pen.paper[k] * light * (1.0 - c) + pen.ink[k] * c + noise
            };
            rgba.push(v.round().clamp(0.0, 255.0) as u8);
        }
        rgba.push((c * 255.0).round() as u8);
    }
    let mut bytes = Vec::new();
    let (w32, h32) = (w as u32, h as u32);
    let rgb: Vec<u8> = rgba.chunks(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
    match pen.encoding {
        Encoding::Jpeg(quality) => JpegEncoder::new_with_quality(&mut bytes, quality).write_image(
            &rgb,
            w32,
            h32,
            ExtendedColorType::Rgb8,
        ),
        Encoding::PngRgb => {
            PngEncoder::new(&mut bytes).write_image(&rgb, w32, h32, ExtendedColorType::Rgb8)
        }
        Encoding::PngGray => {
            let gray: Vec<u8> = rgba.chunks(4).map(|p| p[1]).collect();
            PngEncoder::new(&mut bytes).write_image(&gray, w32, h32, ExtendedColorType::L8)
        }
        Encoding::PngRgba => {
            PngEncoder::new(&mut bytes).write_image(&rgba, w32, h32, ExtendedColorType::Rgba8)
        }
    }
    .expect("encoding into memory succeeds");
    bytes
}

const WHITE: Rgb = [250.0, 250.0, 248.0];

fn pen(digit: u8, seed: u64) -> Pen {
    Pen {
        digit,
        size: (160, 160),
        frame: (45.0, 25.0, 70.0, 110.0),
        slant: 0.0,
        width: 6.0,
        ink: [20.0, 20.0, 25.0],
        paper: WHITE,
        transparent: false,
        grain: 3.0,
        shade: 0.0,
        jitter: 0.04,
        encoding: Encoding::Jpeg(80),
        seed,
    }
}

/// Every sample: file name and bytes.
pub fn samples() -> Vec<(&'static str, Vec<u8>)> {
    let pens = [
        (
            "pen_3.jpg",
            Pen {
                size: (150, 190),
                frame: (35.0, 30.0, 75.0, 125.0),
                slant: 0.12,
                width: 5.0,
                ink: [25.0, 45.0, 140.0],
                paper: [246.0, 240.0, 224.0],
                grain: 4.0,
                shade: 0.12,
                ..pen(3, 1)
            },
        ),
        (
            "pencil_7.jpg",
            Pen {
                size: (200, 200),
                frame: (55.0, 35.0, 85.0, 130.0),
                slant: -0.08,
                width: 6.0,
                ink: [95.0, 95.0, 100.0],
                grain: 6.0,
                encoding: Encoding::Jpeg(70),
                ..pen(7, 2)
            },
        ),
        (
            "marker_2.png",
            Pen {
                size: (180, 160),
                frame: (45.0, 20.0, 85.0, 115.0),
                width: 15.0,
                grain: 0.0,
                encoding: Encoding::PngGray,
                ..pen(2, 3)
            },
        ),
        (
            "chalk_5.jpg",
            Pen {
                size: (170, 170),
                frame: (50.0, 25.0, 70.0, 115.0),
                slant: 0.1,
                width: 9.0,
                ink: [232.0, 236.0, 228.0],
                paper: [40.0, 72.0, 52.0],
                grain: 7.0,
                encoding: Encoding::Jpeg(75),
                ..pen(5, 4)
            },
        ),
        (
            "sticky_8.jpg",
            Pen {
                size: (120, 120),
                frame: (35.0, 12.0, 50.0, 95.0),
                slant: 0.2,
                width: 5.0,
                ink: [185.0, 30.0, 35.0],
                paper: [252.0, 240.0, 150.0],
                grain: 3.0,
                ..pen(8, 5)
            },
        ),
        (
            "tiny_4.png",
            Pen {
                size: (24, 28),
                frame: (5.0, 6.0, 13.0, 16.0),
                width: 2.0,
                grain: 0.0,
                jitter: 0.02,
                encoding: Encoding::PngRgb,
                ..pen(4, 6)
            },
        ),
        (
            "photo_0.jpg",
            Pen {
                size: (320, 220),
                frame: (170.0, 40.0, 90.0, 140.0),
                slant: 0.05,
                width: 9.0,
                ink: [30.0, 30.0, 40.0],
                paper: [225.0, 222.0, 215.0],
                grain: 5.0,
                shade: 0.3,
                encoding: Encoding::Jpeg(65),
                ..pen(0, 7)
            },
        ),
        (
            "thin_1.jpg",
            Pen {
                size: (140, 200),
                frame: (40.0, 25.0, 50.0, 150.0),
                slant: 0.25,
                width: 3.0,
                ..pen(1, 8)
            },
        ),
        (
            "tablet_6.png",
            Pen {
                width: 8.0,
                transparent: true,
                grain: 0.0,
                encoding: Encoding::PngRgba,
                ..pen(6, 9)
            },
        ),
        (
            "tablet_white_9.png",
            Pen {
                width: 8.0,
                ink: [255.0, 255.0, 255.0],
                transparent: true,
                grain: 0.0,
                encoding: Encoding::PngRgba,
                ..pen(9, 10)
            },
        ),
    ];
    let mut out: Vec<(&'static str, Vec<u8>)> = pens
        .iter()
        .map(|(name, pen)| {
            let mut rng = dlfs::seeded_rng(pen.seed);
            let coverage = draw_pen(pen, &mut rng);
            (*name, finish(pen, &coverage, &mut rng))
        })
        .collect();
    // Printed digits: (name, digit, size, slant, bold, encoding)
    let printed = [
        (
            "font_sans_4.png",
            '4',
            (100, 120),
            0.0,
            0,
            Encoding::PngGray,
        ),
        (
            "font_oblique_7.png",
            '7',
            (100, 120),
            0.2,
            0,
            Encoding::PngGray,
        ),
        (
            "font_bold_1.png",
            '1',
            (100, 120),
            0.0,
            3,
            Encoding::PngGray,
        ),
        (
            "font_sans_2.jpg",
            '2',
            (90, 110),
            0.0,
            1,
            Encoding::Jpeg(80),
        ),
    ];
    for (i, (name, ch, size, slant, bold, encoding)) in printed.into_iter().enumerate() {
        let coverage = draw_font(ch, size, size.1 as f32 * 0.8, slant, bold);
        let pen = Pen {
            size,
            grain: 2.0,
            encoding,
            ..pen(0, 100 + i as u64)
        };
        let mut rng = dlfs::seeded_rng(pen.seed);
        out.push((name, finish(&pen, &coverage, &mut rng)));
    }
    out
}

/// `data/handwriting/` of this repository.
pub fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/handwriting")
}

#[allow(dead_code)]
fn main() -> std::io::Result<()> {
    let dir = samples_dir();
    std::fs::create_dir_all(&dir)?;
    for (name, bytes) in samples() {
        std::fs::write(dir.join(name), &bytes)?;
        println!("{name}: {} bytes", bytes.len());
    }
    Ok(())
}
