//! [`ContourPlot`]: contour lines of a function of two variables, with descent paths.

use std::collections::HashMap;

use plotters::prelude::*;

use crate::axes::{axes, text_at, Frame};
use crate::builders;
use crate::canvas::{Area, DrawResult};
use crate::chart::{collect, Chart, Number};
use crate::legend::{draw_legend, LegendEntry};
use crate::marks::{draw_line, sample_polyline, Marker};
use crate::theme::{self, PALETTE};
use crate::ticks::{auto_range, nice_ticks, short_number};

/// Contour lines (level sets) of `f(x0, x1)`, each labelled with its value, with
/// optional paths drawn over them as points joined by lines: book figure 4-10, the steps
/// of gradient descent on `x0² + x1²` from (-3, 4) (section 4.4.1).
///
/// The lines are found by marching squares on a grid of (`resolution` + 1)² samples of
/// `f`. Levels default to about eight round values between the smallest and largest
/// sample; [`levels`](ContourPlot::levels) sets them. The x and y ranges default to
/// -4.5..4.5.
///
/// ```
/// use dlfs_plot::{Chart, ContourPlot};
///
/// use dlfs_plot::ndarray::{array, Array1};
///
/// // Book 4.4.1, figure 4-10: gradient descent from (-3, 4), lr = 0.1, 20 steps.
/// let function_2 = |x: &Array1<f64>| x[0] * x[0] + x[1] * x[1];
/// let (_, x_history) = dlfs::gradient_descent(function_2, array![-3.0, 4.0], 0.1, 20);
/// let fig = ContourPlot::new(|x0, x1| x0 * x0 + x1 * x1)
///     .path(&x_history.column(0), &x_history.column(1))
///     .render();
/// assert_eq!((fig.width(), fig.height()), (420, 420));
/// ```
pub struct ContourPlot<'a> {
    frame: Frame,
    f: Box<dyn Fn(f64, f64) -> f64 + 'a>,
    levels: Option<Vec<f64>>,
    paths: Vec<Path>,
    resolution: usize,
}

impl std::fmt::Debug for ContourPlot<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContourPlot")
            .field("levels", &self.levels)
            .field("paths", &self.paths.len())
            .field("size", &self.frame.size)
            .finish_non_exhaustive()
    }
}

struct Path {
    xs: Vec<f64>,
    ys: Vec<f64>,
    label: Option<String>,
}

/// Path colours: red first, to stand out from the contour colours.
const PATH_COLORS: [usize; 5] = [3, 1, 6, 5, 7];

impl<'a> ContourPlot<'a> {
    /// Contour lines of `f(x0, x1)`; 420x420 pixels, axes named x0 and x1.
    ///
    /// ```
    /// use dlfs_plot::{Chart, ContourPlot};
    ///
    /// let round = ContourPlot::new(|x0, x1| x0 * x0 + x1 * x1).render();
    /// let flat = ContourPlot::new(|x0, x1| x0 * x0 + 4.0 * x1 * x1).render();
    /// assert_ne!(round.png_bytes(), flat.png_bytes());
    /// ```
    pub fn new(f: impl Fn(f64, f64) -> f64 + 'a) -> Self {
        ContourPlot {
            frame: Frame::new((420, 420), Some("x0"), Some("x1")),
            f: Box::new(f),
            levels: None,
            paths: Vec::new(),
            resolution: 100,
        }
    }

    /// Sets the values at which contour lines are drawn.
    ///
    /// ```
    /// use dlfs_plot::{Chart, ContourPlot};
    ///
    /// let auto = ContourPlot::new(|x0, x1| x0 * x0 + x1 * x1).render();
    /// let squares = ContourPlot::new(|x0, x1| x0 * x0 + x1 * x1).levels([1.0, 4.0, 9.0, 16.0]).render();
    /// assert_ne!(auto.png_bytes(), squares.png_bytes());
    /// ```
    pub fn levels(mut self, levels: impl IntoIterator<Item = impl Number>) -> Self {
        self.levels = Some(collect(levels));
        self
    }

    /// Sets the number of grid cells along each axis used to trace the lines (default
    /// 100, at least 2).
    ///
    /// ```
    /// use dlfs_plot::{Chart, ContourPlot};
    ///
    /// let coarse = ContourPlot::new(|x0, x1| x0 * x0 + x1 * x1).resolution(6).render();
    /// let fine = ContourPlot::new(|x0, x1| x0 * x0 + x1 * x1).resolution(100).render();
    /// assert_ne!(coarse.png_bytes(), fine.png_bytes());
    /// ```
    pub fn resolution(mut self, cells: usize) -> Self {
        self.resolution = cells.max(2);
        self
    }

    /// Adds a path: the points `(xs[i], ys[i])` joined in order (book: the `x_history` of
    /// `gradient_descent`, `plt.plot(x_history[:,0], x_history[:,1], 'o')`). Paths get
    /// distinct colours; non-finite points are skipped.
    ///
    /// # Panics
    ///
    /// If `xs` and `ys` have different lengths; the message gives both.
    ///
    /// ```
    /// use dlfs_plot::{Chart, ContourPlot};
    ///
    /// let plain = ContourPlot::new(|x0, x1| x0 * x0 + x1 * x1).render();
    /// let path = ContourPlot::new(|x0, x1| x0 * x0 + x1 * x1)
    ///     .path([-3.0, -2.4, -1.92], [4.0, 3.2, 2.56])
    ///     .render();
    /// assert_ne!(plain.png_bytes(), path.png_bytes());
    /// ```
    pub fn path(
        mut self,
        xs: impl IntoIterator<Item = impl Number>,
        ys: impl IntoIterator<Item = impl Number>,
    ) -> Self {
        let (xs, ys) = (collect(xs), collect(ys));
        assert_eq!(
            xs.len(),
            ys.len(),
            "ContourPlot::path: xs has {} values but ys has {}",
            xs.len(),
            ys.len()
        );
        self.paths.push(Path {
            xs,
            ys,
            label: None,
        });
        self
    }

    /// Names the path added last; named paths are listed in a legend.
    ///
    /// # Panics
    ///
    /// If no path was added yet.
    ///
    /// ```
    /// use dlfs_plot::{Chart, ContourPlot};
    ///
    /// let fig = ContourPlot::new(|x0, x1| x0 * x0 + x1 * x1)
    ///     .path([-3.0, -2.4, -1.92], [4.0, 3.2, 2.56]).label("lr = 0.1")
    ///     .path([-3.0, -0.0, 0.0], [4.0, 0.0, 0.0]).label("lr = 0.5")
    ///     .render();
    /// assert_eq!(fig.width(), 420);
    /// ```
    pub fn label(mut self, label: impl Into<String>) -> Self {
        match self.paths.last_mut() {
            Some(p) => p.label = Some(label.into()),
            None => panic!("ContourPlot::label: no path yet; add one with path() first"),
        }
        self
    }
}

builders::title_and_size!(
    ContourPlot<'_>,
    "ContourPlot::new(|x0, x1| x0 * x0 + x1 * x1)",
    "420x420"
);
builders::axis_methods!(
    ContourPlot<'_>,
    "ContourPlot::new(|x0, x1| x0 * x0 + x1 * x1)",
    "\"x0\"",
    "\"x1\""
);

/// Samples of f on a regular grid: `z[j * nx + i] = f(x_i, y_j)`.
pub(crate) struct Grid {
    pub nx: usize,
    pub ny: usize,
    pub x: (f64, f64),
    pub y: (f64, f64),
    pub z: Vec<f64>,
}

impl Grid {
    fn xy(&self, i: usize, j: usize) -> (f64, f64) {
        (
            self.x.0 + (self.x.1 - self.x.0) * i as f64 / (self.nx - 1) as f64,
            self.y.0 + (self.y.1 - self.y.0) * j as f64 / (self.ny - 1) as f64,
        )
    }

    fn z(&self, i: usize, j: usize) -> f64 {
        self.z[j * self.nx + i]
    }

    /// Where the level crosses grid edge `id` (even: from (i,j) to (i+1,j); odd: to (i,j+1)).
    fn crossing(&self, id: usize, level: f64) -> (f64, f64) {
        let (cell, vertical) = (id / 2, id % 2 == 1);
        let (i, j) = (cell % self.nx, cell / self.nx);
        let (i2, j2) = if vertical { (i, j + 1) } else { (i + 1, j) };
        let (za, zb) = (self.z(i, j), self.z(i2, j2));
        let t = ((level - za) / (zb - za)).clamp(0.0, 1.0);
        let (a, b) = (self.xy(i, j), self.xy(i2, j2));
        (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1))
    }

    /// Contour lines at `level` by marching squares, joined into polylines.
    pub fn contour(&self, level: f64) -> Vec<Vec<(f64, f64)>> {
        let h = |i: usize, j: usize| 2 * (j * self.nx + i);
        let v = |i: usize, j: usize| 2 * (j * self.nx + i) + 1;
        let mut segments: Vec<(usize, usize)> = Vec::new();
        for j in 0..self.ny - 1 {
            for i in 0..self.nx - 1 {
                let c = [
                    self.z(i, j),
                    self.z(i + 1, j),
                    self.z(i + 1, j + 1),
                    self.z(i, j + 1),
                ];
                if c.iter().any(|z| !z.is_finite()) {
                    continue;
                }
                let (bottom, right, top, left) = (h(i, j), v(i + 1, j), h(i, j + 1), v(i, j));
                let case = c
                    .iter()
                    .enumerate()
                    .fold(0, |k, (n, &z)| k | (usize::from(z > level) << n));
                let centre_above = c.iter().sum::<f64>() / 4.0 > level;
                let pairs: &[(usize, usize)] = match case {
                    1 | 14 => &[(bottom, left)],
                    2 | 13 => &[(bottom, right)],
                    3 | 12 => &[(left, right)],
                    4 | 11 => &[(right, top)],
                    6 | 9 => &[(bottom, top)],
                    7 | 8 => &[(left, top)],
                    // Saddles: the centre decides which corners are joined.
                    5 if centre_above => &[(bottom, right), (top, left)],
                    5 => &[(bottom, left), (right, top)],
                    10 if centre_above => &[(bottom, left), (right, top)],
                    10 => &[(bottom, right), (top, left)],
                    _ => &[],
                };
                segments.extend_from_slice(pairs);
            }
        }
        // Join segments sharing a grid edge into polylines.
        let mut at_edge: HashMap<usize, Vec<usize>> = HashMap::new();
        for (k, &(a, b)) in segments.iter().enumerate() {
            at_edge.entry(a).or_default().push(k);
            at_edge.entry(b).or_default().push(k);
        }
        let mut used = vec![false; segments.len()];
        let mut lines = Vec::new();
        for start in 0..segments.len() {
            if used[start] {
                continue;
            }
            used[start] = true;
            let (a, b) = segments[start];
            let mut chain = std::collections::VecDeque::from([a, b]);
            for forward in [true, false] {
                loop {
                    let end = if forward {
                        chain[chain.len() - 1]
                    } else {
                        chain[0]
                    };
                    let next = at_edge[&end].iter().copied().find(|&k| !used[k]);
                    let Some(k) = next else { break };
                    used[k] = true;
                    let (p, q) = segments[k];
                    let other = if p == end { q } else { p };
                    if forward {
                        chain.push_back(other);
                    } else {
                        chain.push_front(other);
                    }
                }
            }
            lines.push(
                chain
                    .into_iter()
                    .map(|id| self.crossing(id, level))
                    .collect(),
            );
        }
        lines
    }
}

impl Chart for ContourPlot<'_> {
    fn dimensions(&self) -> (u32, u32) {
        self.frame.size
    }

    fn draw(&self, area: &Area<'_>) -> DrawResult {
        let (x, y) = self.frame.ranges_or((-4.5, 4.5));
        let n = self.resolution + 1;
        let mut grid = Grid {
            nx: n,
            ny: n,
            x,
            y,
            z: Vec::with_capacity(n * n),
        };
        for j in 0..n {
            for i in 0..n {
                let (px, py) = grid.xy(i, j);
                grid.z.push((self.f)(px, py));
            }
        }
        let levels = match &self.levels {
            Some(l) => l.iter().copied().filter(|v| v.is_finite()).collect(),
            None => {
                let (lo, hi) = auto_range(grid.z.iter().copied(), 0.0);
                nice_ticks(lo, hi, 9)
                    .values
                    .into_iter()
                    .filter(|&t| t > lo + 1e-9 * (hi - lo) && t < hi - 1e-9 * (hi - lo))
                    .collect::<Vec<f64>>()
            }
        };
        let mut ax = axes(area, &self.frame, x, y)?;
        ax.mesh(&self.frame, false)?;
        let screen = ax.screen();
        let (rx0, ry0, rx1, ry1) = ax.rect();
        let label_font = theme::centered(theme::font(11.0));
        let mut labels = Vec::new();
        for (k, &level) in levels.iter().enumerate() {
            let t = if levels.len() > 1 {
                k as f64 / (levels.len() - 1) as f64
            } else {
                0.5
            };
            let color = theme::viridis(0.85 * t);
            let lines = grid.contour(level);
            let mut best: Option<(f64, (i32, i32))> = None;
            for line in &lines {
                let xs: Vec<f64> = line.iter().map(|p| p.0).collect();
                let ys: Vec<f64> = line.iter().map(|p| p.1).collect();
                for pl in ax.polylines(&xs, &ys) {
                    draw_line(&screen, &pl, color, 1.5, false)?;
                    // Label where the line is furthest up and right, clear of the box.
                    for &(px, py) in &pl {
                        let (px, py) = (px as i32, py as i32);
                        let clear =
                            px > rx0 + 16 && px < rx1 - 16 && py > ry0 + 10 && py < ry1 - 10;
                        let score = (px - py) as f64;
                        if clear && best.is_none_or(|(s, _)| score > s) {
                            best = Some((score, (px, py)));
                        }
                    }
                }
            }
            if let Some((_, pos)) = best {
                labels.push((short_number(&level), pos, color));
            }
        }
        for (text, pos, color) in &labels {
            let (w, h) = screen.estimate_text_size(text, &label_font)?;
            let (w, h) = (w as i32 / 2 + 2, h as i32 / 2 + 1);
            screen.draw(&Rectangle::new(
                [(pos.0 - w, pos.1 - h), (pos.0 + w, pos.1 + h)],
                WHITE.filled(),
            ))?;
            text_at(&screen, text, &label_font.color(color), *pos)?;
        }
        let mut obstacles = Vec::new();
        let mut legend = Vec::new();
        for (k, p) in self.paths.iter().enumerate() {
            let color = PALETTE[PATH_COLORS[k % PATH_COLORS.len()]];
            for pl in ax.polylines(&p.xs, &p.ys) {
                draw_line(&screen, &pl, color, 2.0, false)?;
                sample_polyline(&pl, &mut obstacles);
            }
            for q in ax.inside_points(&p.xs, &p.ys) {
                Marker::Circle.draw(&screen, q, 3.0, color, None)?;
                obstacles.push(crate::axes::round(q));
            }
            if let Some(label) = &p.label {
                legend.push(LegendEntry {
                    label: label.clone(),
                    color,
                    line: Some(false),
                    marker: Some((Marker::Circle, true)),
                });
            }
        }
        draw_legend(&screen, ax.rect(), &legend, &obstacles)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sampled(f: impl Fn(f64, f64) -> f64, n: usize, lo: f64, hi: f64) -> Grid {
        let mut grid = Grid {
            nx: n,
            ny: n,
            x: (lo, hi),
            y: (lo, hi),
            z: Vec::new(),
        };
        for j in 0..n {
            for i in 0..n {
                let (x, y) = grid.xy(i, j);
                grid.z.push(f(x, y));
            }
        }
        grid
    }

    #[test]
    fn level_4_of_x0_squared_plus_x1_squared_is_one_closed_circle_of_radius_2() {
        let grid = sampled(|x, y| x * x + y * y, 81, -4.0, 4.0);
        let lines = grid.contour(4.0);
        assert_eq!(lines.len(), 1);
        let circle = &lines[0];
        assert_eq!(circle.first(), circle.last(), "closed");
        // Linear interpolation on a grid of step 0.1 stays within 0.01 of the circle.
        for &(x, y) in circle {
            assert!(
                (x.hypot(y) - 2.0).abs() < 0.01,
                "({x}, {y}) is off the circle"
            );
        }
        // One crossing per grid edge the circle passes: about 4 * 2r / 0.1 = 160 of them.
        assert!(
            (150..=170).contains(&circle.len()),
            "{} points",
            circle.len()
        );
    }

    #[test]
    fn levels_outside_the_values_give_no_lines() {
        let grid = sampled(|x, y| x * x + y * y, 21, -1.0, 1.0);
        assert!(grid.contour(-1.0).is_empty());
        assert!(grid.contour(3.0).is_empty());
    }

    #[test]
    fn a_straight_level_set_is_one_open_line_across_the_grid() {
        // x0 + x1 = 0.05 crosses the square [-1, 1]^2 from edge to edge.
        let grid = sampled(|x, y| x + y, 21, -1.0, 1.0);
        let lines = grid.contour(0.05);
        assert_eq!(lines.len(), 1);
        let line = &lines[0];
        assert_ne!(line.first(), line.last());
        for &(x, y) in line {
            assert!((x + y - 0.05).abs() < 1e-12);
        }
    }

    #[test]
    fn cells_with_nan_are_left_out() {
        let grid = sampled(
            |x, y| if x > 0.0 { f64::NAN } else { x * x + y * y },
            41,
            -2.0,
            2.0,
        );
        for line in grid.contour(1.0) {
            assert!(line.iter().all(|&(x, _)| x <= 0.0));
        }
    }
}
