//! [`GatePlot`]: the four inputs of a logic gate and how a perceptron splits the plane.

use plotters::prelude::*;

use crate::axes::{axes, Frame};
use crate::builders;
use crate::canvas::{paint, Area, DrawResult, Shape};
use crate::chart::{Chart, Number};
use crate::contour::Grid;
use crate::legend::{draw_legend, LegendEntry};
use crate::marks::{draw_line, sample_polyline, Marker};

/// The four inputs (0,0), (1,0), (0,1), (1,1) of a logic gate marked by output (circle
/// for 0, triangle for 1), optionally over the regions where a classifier outputs 0 (grey)
/// and 1 (white), with the boundary between them: book figures 2-6 to 2-8.
///
/// - [`linear`](GatePlot::linear): a perceptron `w1*x1 + w2*x2 + b > 0` (a straight
///   boundary, figure 2-6);
/// - [`region`](GatePlot::region): any classifier `Fn(x1, x2) -> bool`, e.g. XOR built
///   from stacked gates (a curved or broken boundary, figure 2-8);
/// - neither: only the four points (figure 2-7).
///
/// The axes are named x1 and x2 and span -0.5..1.5 unless set.
///
/// ```
/// use dlfs_plot::{Chart, GatePlot};
///
/// // Book 2.4.1, figure 2-6: OR with w = (1, 1), b = -0.5.
/// let fig = GatePlot::new([0, 1, 1, 1]).linear(1.0, 1.0, -0.5).render();
/// assert_eq!((fig.width(), fig.height()), (360, 360));
/// ```
pub struct GatePlot<'a> {
    frame: Frame,
    outputs: [bool; 4],
    region: Region<'a>,
}

impl std::fmt::Debug for GatePlot<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let region = match self.region {
            Region::None => "none".to_string(),
            Region::Linear { w1, w2, b } => format!("{w1}*x1 + {w2}*x2 + {b} > 0"),
            Region::Classifier(_) => "classifier".to_string(),
        };
        f.debug_struct("GatePlot")
            .field("outputs", &self.outputs.map(u8::from))
            .field("region", &region)
            .field("size", &self.frame.size)
            .finish()
    }
}

enum Region<'a> {
    None,
    Linear { w1: f64, w2: f64, b: f64 },
    Classifier(Box<dyn Fn(f64, f64) -> bool + 'a>),
}

/// The gate inputs in the book's order.
const INPUTS: [(f64, f64); 4] = [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)];

const REGION_0: RGBColor = RGBColor(200, 200, 200);
const REGION_1: RGBColor = RGBColor(255, 255, 255);
const BOUNDARY: RGBColor = RGBColor(60, 60, 60);
const OUT_0: RGBColor = RGBColor(31, 119, 180);
const OUT_1: RGBColor = RGBColor(214, 39, 40);

impl<'a> GatePlot<'a> {
    /// The four inputs (0,0), (1,0), (0,1), (1,1) — the book's order — with the gate's
    /// outputs for them (0 or 1; any number type, above 0.5 counts as 1), no regions yet.
    ///
    /// ```
    /// use dlfs_plot::{Chart, GatePlot};
    ///
    /// // Book 2.4.2, figure 2-7: XOR's outputs cannot be split by one straight line.
    /// let fig = GatePlot::new([0, 1, 1, 0]).title("XOR").render();
    /// assert_eq!(fig.width(), 360);
    /// ```
    pub fn new<T: Number>(outputs: [T; 4]) -> Self {
        GatePlot {
            frame: Frame::new((360, 360), Some("x1"), Some("x2")),
            outputs: outputs.map(|v| v.to_f64() > 0.5),
            region: Region::None,
        }
    }

    /// Shades the regions of the perceptron `y = 1 if w1*x1 + w2*x2 + b > 0 else 0`
    /// (book 2.3, equation 2.2) and draws its boundary line `w1*x1 + w2*x2 + b = 0`.
    ///
    /// ```
    /// use dlfs_plot::{Chart, GatePlot};
    ///
    /// use dlfs::Perceptron;
    ///
    /// // Book 2.3.3: AND with w = (0.5, 0.5), b = -0.7, and OR with b = -0.2.
    /// let inputs = [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)];
    /// let plot = |p: Perceptron| {
    ///     let outputs = inputs.map(|(x1, x2)| p.output(x1, x2));
    ///     GatePlot::new(outputs).linear(p.w[0], p.w[1], p.b).render()
    /// };
    /// assert_ne!(plot(Perceptron::AND).png_bytes(), plot(Perceptron::OR).png_bytes());
    /// ```
    pub fn linear(mut self, w1: f64, w2: f64, b: f64) -> Self {
        self.region = Region::Linear { w1, w2, b };
        self
    }

    /// Shades the regions where `classifier(x1, x2)` is `false` (grey) and `true` (white)
    /// and outlines the boundary; the classifier is called once per pixel.
    ///
    /// ```
    /// use dlfs_plot::{Chart, GatePlot};
    ///
    /// // Book 2.5.2, figure 2-8: XOR = AND(NAND, OR), a two-layer perceptron, splits the
    /// // plane with two lines.
    /// let fig = GatePlot::new([0, 1, 1, 0])
    ///     .region(|x1, x2| dlfs::xor_gate(x1, x2) == 1)
    ///     .render();
    /// assert_eq!(fig.height(), 360);
    /// ```
    pub fn region(mut self, classifier: impl Fn(f64, f64) -> bool + 'a) -> Self {
        self.region = Region::Classifier(Box::new(classifier));
        self
    }
}

builders::title_and_size!(
    GatePlot<'_>,
    "GatePlot::new([0, 0, 0, 1]).linear(0.5, 0.5, -0.7)",
    "360x360"
);
builders::axis_methods!(
    GatePlot<'_>,
    "GatePlot::new([0, 0, 0, 1]).linear(0.5, 0.5, -0.7)",
    "\"x1\"",
    "\"x2\""
);

impl Chart for GatePlot<'_> {
    fn dimensions(&self) -> (u32, u32) {
        self.frame.size
    }

    fn draw(&self, area: &Area<'_>) -> DrawResult {
        let (x, y) = self.frame.ranges_or((-0.5, 1.5));
        let mut ax = axes(area, &self.frame, x, y)?;
        let screen = ax.screen();
        let linear = |x1: f64, x2: f64| match self.region {
            Region::Linear { w1, w2, b } => w1 * x1 + w2 * x2 + b > 0.0,
            _ => false,
        };
        let classify: Option<&dyn Fn(f64, f64) -> bool> = match &self.region {
            Region::None => None,
            Region::Linear { .. } => Some(&linear),
            Region::Classifier(f) => Some(f.as_ref()),
        };
        // What the legend should not cover: the boundary and the four points.
        let mut obstacles = Vec::new();
        if let Some(f) = classify {
            self.draw_regions(&ax, &screen, f, &mut obstacles)?;
        }
        if let Region::Linear { w1, w2, b } = self.region {
            // The boundary line, from its intersections with the plot's box.
            let (xs, ys) = if w2.abs() >= w1.abs() && w2 != 0.0 {
                (
                    vec![x.0, x.1],
                    vec![-(w1 * x.0 + b) / w2, -(w1 * x.1 + b) / w2],
                )
            } else if w1 != 0.0 {
                (
                    vec![-(w2 * y.0 + b) / w1, -(w2 * y.1 + b) / w1],
                    vec![y.0, y.1],
                )
            } else {
                (vec![], vec![])
            };
            for pl in ax.polylines(&xs, &ys) {
                draw_line(&screen, &pl, BOUNDARY, 2.0, false)?;
                sample_polyline(&pl, &mut obstacles);
            }
        }
        ax.mesh(&self.frame, classify.is_none())?;
        for ((x1, x2), &out) in INPUTS.iter().zip(&self.outputs) {
            if !(x.0..=x.1).contains(x1) || !(y.0..=y.1).contains(x2) {
                continue;
            }
            let p = ax.px((*x1, *x2));
            let (m, color) = if out {
                (Marker::Triangle, OUT_1)
            } else {
                (Marker::Circle, OUT_0)
            };
            m.draw(&screen, p, 8.0, color, Some(2.5))?;
            // Points weigh more than a stretch of boundary; these cover the marker.
            let p = crate::axes::round(p);
            for dx in [-9, 0, 9] {
                for dy in [-9, 0, 9] {
                    obstacles.extend(std::iter::repeat_n((p.0 + dx, p.1 + dy), 10));
                }
            }
        }
        let entry = |label: &str, m, color| LegendEntry {
            label: label.to_string(),
            color,
            line: None,
            marker: Some((m, false)),
        };
        let legend = [
            entry("output 0", Marker::Circle, OUT_0),
            entry("output 1", Marker::Triangle, OUT_1),
        ];
        draw_legend(&screen, ax.rect(), &legend, &obstacles)
    }
}

impl GatePlot<'_> {
    /// Shades the plot grey where `f` is false and white where it is true, with
    /// anti-aliased edges (pixels on an edge are sampled 4x4 times), and outlines curved
    /// boundaries traced by marching squares, which go to `obstacles`.
    fn draw_regions(
        &self,
        ax: &crate::axes::Axes<'_, '_>,
        screen: &Area<'_>,
        f: &dyn Fn(f64, f64) -> bool,
        obstacles: &mut Vec<(i32, i32)>,
    ) -> DrawResult {
        let (x0, y0, x1, y1) = ax.rect();
        let (w, h) = ((x1 - x0) as usize, (y1 - y0) as usize);
        let at = |px: f64, py: f64| {
            let (dx, dy) = ax.data((f64::from(x0) + px, f64::from(y0) + py));
            f(dx, dy)
        };
        let mut class = vec![false; w * h];
        for j in 0..h {
            for i in 0..w {
                class[j * w + i] = at(i as f64 + 0.5, j as f64 + 0.5);
            }
        }
        let differs = |i: usize, j: usize| {
            let c = class[j * w + i];
            (i > 0 && class[j * w + i - 1] != c)
                || (i + 1 < w && class[j * w + i + 1] != c)
                || (j > 0 && class[(j - 1) * w + i] != c)
                || (j + 1 < h && class[(j + 1) * w + i] != c)
        };
        let mix = |t: f64| {
            let m = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
            RGBColor(
                m(REGION_0.0, REGION_1.0),
                m(REGION_0.1, REGION_1.1),
                m(REGION_0.2, REGION_1.2),
            )
        };
        for j in 0..h {
            for i in 0..w {
                let share = if differs(i, j) {
                    let mut n = 0;
                    for sy in 0..4 {
                        for sx in 0..4 {
                            let (px, py) = (
                                i as f64 + (sx as f64 + 0.5) / 4.0,
                                j as f64 + (sy as f64 + 0.5) / 4.0,
                            );
                            n += usize::from(at(px, py));
                        }
                    }
                    n as f64 / 16.0
                } else if class[j * w + i] {
                    1.0
                } else {
                    0.0
                };
                let p = (x0 + i as i32, y0 + j as i32);
                screen.draw_pixel(p, &mix(share))?;
            }
        }
        if matches!(self.region, Region::Linear { .. }) {
            return Ok(());
        }
        let grid = Grid {
            nx: w,
            ny: h,
            x: (f64::from(x0) + 0.5, f64::from(x1) - 0.5),
            y: (f64::from(y0) + 0.5, f64::from(y1) - 0.5),
            z: class.iter().map(|&c| f64::from(u8::from(c))).collect(),
        };
        for line in grid.contour(0.5) {
            let line = smooth(&line);
            let shape = Shape::Line {
                points: line.clone(),
                width: 1.5,
                dash: None,
            };
            paint(screen, shape, BOUNDARY)?;
            sample_polyline(&line, obstacles);
        }
        Ok(())
    }
}

/// A traced boundary with its pixel steps smoothed: each inner point moved to a weighted
/// mean with its neighbours (1, 2, 1), twice; the ends of an open line stay in place.
fn smooth(line: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let closed = line.len() > 3 && line.first() == line.last();
    let mut pts: Vec<(f64, f64)> = if closed {
        line[..line.len() - 1].to_vec()
    } else {
        line.to_vec()
    };
    let n = pts.len();
    if n < 3 {
        return line.to_vec();
    }
    for _ in 0..2 {
        let old = pts.clone();
        for (k, p) in pts.iter_mut().enumerate() {
            let (prev, next) = match (closed, k) {
                (true, _) => (old[(k + n - 1) % n], old[(k + 1) % n]),
                (false, 0) => continue,
                (false, k) if k == n - 1 => continue,
                (false, k) => (old[k - 1], old[k + 1]),
            };
            *p = (
                (prev.0 + 2.0 * old[k].0 + next.0) / 4.0,
                (prev.1 + 2.0 * old[k].1 + next.1) / 4.0,
            );
        }
    }
    if closed {
        pts.push(pts[0]);
    }
    pts
}
