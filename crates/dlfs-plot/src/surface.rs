//! [`SurfacePlot`]: a function of two variables as a 3-D surface.

use plotters::prelude::*;

use crate::axes::{round, text_at, Frame};
use crate::builders;
use crate::canvas::{Area, DrawResult};
use crate::chart::Chart;
use crate::theme;
use crate::ticks::{auto_range, short_number};

/// The surface `z = f(x0, x1)` over a grid, in 3-D perspective, coloured by height:
/// book figure 4-8 (`f(x0, x1) = x0² + x1²`, section 4.3.3).
///
/// The plane's axes are the x axis (`x0`) and the y axis (`x1`); their ranges default to
/// -3..3 and set with [`x_range`](SurfacePlot::x_range) / [`y_range`](SurfacePlot::y_range);
/// the height axis fits the values. `f` is called on a grid of
/// (`resolution` + 1)² points; points where it is not finite are left out.
///
/// ```
/// use dlfs_plot::{Chart, SurfacePlot};
///
/// // Book 4.3.3, figure 4-8: function_2.
/// let fig = SurfacePlot::new(|x0, x1| x0 * x0 + x1 * x1).render();
/// assert_eq!((fig.width(), fig.height()), (480, 400));
/// ```
pub struct SurfacePlot<'a> {
    frame: Frame,
    f: Box<dyn Fn(f64, f64) -> f64 + 'a>,
    z_label: String,
    resolution: usize,
    view: (f64, f64),
}

impl std::fmt::Debug for SurfacePlot<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SurfacePlot")
            .field("resolution", &self.resolution)
            .field("view", &self.view)
            .field("size", &self.frame.size)
            .finish_non_exhaustive()
    }
}

impl<'a> SurfacePlot<'a> {
    /// The surface of `f(x0, x1)`; 480x400 pixels, axes named x0, x1 and f(x0, x1).
    ///
    /// ```
    /// use dlfs_plot::{Chart, SurfacePlot};
    ///
    /// let bowl = SurfacePlot::new(|x0, x1| x0 * x0 + x1 * x1).render();
    /// let saddle = SurfacePlot::new(|x0, x1| x0 * x0 - x1 * x1).render();
    /// assert_ne!(bowl.png_bytes(), saddle.png_bytes());
    /// ```
    pub fn new(f: impl Fn(f64, f64) -> f64 + 'a) -> Self {
        SurfacePlot {
            frame: Frame::new((480, 400), Some("x0"), Some("x1")),
            f: Box::new(f),
            z_label: "f(x0, x1)".to_string(),
            resolution: 24,
            view: (0.6, 0.45),
        }
    }

    /// Sets the name of the height axis (default "f(x0, x1)").
    ///
    /// ```
    /// use dlfs_plot::{Chart, SurfacePlot};
    ///
    /// let a = SurfacePlot::new(|x0, x1| x0 * x1).render();
    /// let b = SurfacePlot::new(|x0, x1| x0 * x1).z_label("loss").render();
    /// assert_ne!(a.png_bytes(), b.png_bytes());
    /// ```
    pub fn z_label(mut self, label: impl Into<String>) -> Self {
        self.z_label = label.into();
        self
    }

    /// Sets the number of grid cells along each plane axis (default 24, at least 2).
    ///
    /// ```
    /// use dlfs_plot::{Chart, SurfacePlot};
    ///
    /// let coarse = SurfacePlot::new(|x0, x1| x0 * x0 + x1 * x1).resolution(8).render();
    /// let fine = SurfacePlot::new(|x0, x1| x0 * x0 + x1 * x1).resolution(40).render();
    /// assert_ne!(coarse.png_bytes(), fine.png_bytes());
    /// ```
    pub fn resolution(mut self, cells: usize) -> Self {
        self.resolution = cells.max(2);
        self
    }

    /// Sets the viewing angles in radians: `yaw` turns the plane about the vertical axis
    /// (default 0.6), `pitch` tilts it toward the viewer (default 0.45).
    ///
    /// ```
    /// use dlfs_plot::{Chart, SurfacePlot};
    ///
    /// let a = SurfacePlot::new(|x0, x1| x0 * x0 + x1 * x1).render();
    /// let b = SurfacePlot::new(|x0, x1| x0 * x0 + x1 * x1).view(1.2, 0.3).render();
    /// assert_ne!(a.png_bytes(), b.png_bytes());
    /// ```
    pub fn view(mut self, yaw: f64, pitch: f64) -> Self {
        self.view = (yaw, pitch);
        self
    }
}

builders::title_and_size!(
    SurfacePlot<'_>,
    "SurfacePlot::new(|x0, x1| x0 * x0 + x1 * x1)",
    "480x400"
);
builders::axis_methods!(
    SurfacePlot<'_>,
    "SurfacePlot::new(|x0, x1| x0 * x0 + x1 * x1)",
    "\"x0\"",
    "\"x1\""
);

impl Chart for SurfacePlot<'_> {
    fn dimensions(&self) -> (u32, u32) {
        self.frame.size
    }

    fn draw(&self, area: &Area<'_>) -> DrawResult {
        let (x, y) = self.frame.ranges_or((-3.0, 3.0));
        let n = self.resolution;
        let at = |(lo, hi): (f64, f64), i: usize| lo + (hi - lo) * i as f64 / n as f64;
        let mut z = vec![f64::NAN; (n + 1) * (n + 1)];
        for j in 0..=n {
            for i in 0..=n {
                z[j * (n + 1) + i] = (self.f)(at(x, i), at(y, j));
            }
        }
        let zr = auto_range(z.iter().copied(), 0.0);
        let mut builder = ChartBuilder::on(area);
        builder
            .margin(10)
            .margin_top(if self.frame.title.is_some() { 4 } else { 10 });
        if let Some(t) = &self.frame.title {
            builder.caption(t, theme::font(theme::TITLE_SIZE));
        }
        // plotters' 3-D y axis is the vertical one: (x0, f, x1).
        let mut chart = builder.build_cartesian_3d(x.0..x.1, zr.0..zr.1, y.0..y.1)?;
        let (yaw, pitch) = self.view;
        chart.with_projection(|mut p| {
            p.yaw = yaw;
            p.pitch = pitch;
            p.scale = 0.72;
            p.into_matrix()
        });
        chart
            .configure_axes()
            .label_style(theme::font(11.0))
            .axis_panel_style(RGBColor(246, 246, 246).filled())
            .bold_grid_style(theme::GRID)
            .light_grid_style(TRANSPARENT)
            .max_light_lines(1)
            .tick_size(4)
            .x_formatter(&short_number)
            .y_formatter(&short_number)
            .z_formatter(&short_number)
            .draw()?;
        // Painter's algorithm: quads sorted far to near.
        let mut quads = Vec::with_capacity(n * n);
        for j in 0..n {
            for i in 0..n {
                let corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)]
                    .map(|(a, b)| (at(x, a), z[b * (n + 1) + a], at(y, b)));
                if corners.iter().any(|c| !c.1.is_finite()) {
                    continue;
                }
                let mean =
                    |k: fn(&(f64, f64, f64)) -> f64| corners.iter().map(k).sum::<f64>() / 4.0;
                let (cx, cz, cy) = (mean(|c| c.0), mean(|c| c.1), mean(|c| c.2));
                let depth = chart.as_coord_spec().projected_depth(&cx, &cz, &cy);
                quads.push((depth, (i, j), corners, cz));
            }
        }
        quads.sort_unstable_by_key(|q| std::cmp::Reverse(q.0));
        let span = zr.1 - zr.0;
        // A wire every second grid line, like matplotlib's strides: every line would
        // cost about a third of the PNG's size.
        let wire = BLACK.mix(0.3);
        for (_, (i, j), corners, mean) in &quads {
            let color = theme::viridis((mean - zr.0) / span);
            chart.draw_series(std::iter::once(Polygon::new(
                corners.to_vec(),
                color.filled(),
            )))?;
            // The same colour around the quad: anti-aliased neighbours would otherwise
            // let the background show through along their shared edge.
            let mut outline = corners.to_vec();
            outline.push(corners[0]);
            chart.draw_series(std::iter::once(PathElement::new(outline, color)))?;
            let mut edges = Vec::new();
            if j % 2 == 0 {
                edges.push([corners[0], corners[1]]);
            }
            if (j + 1) % 2 == 0 || j + 1 == n {
                edges.push([corners[3], corners[2]]);
            }
            if i % 2 == 0 {
                edges.push([corners[0], corners[3]]);
            }
            if (i + 1) % 2 == 0 || i + 1 == n {
                edges.push([corners[1], corners[2]]);
            }
            chart.draw_series(
                edges
                    .into_iter()
                    .map(|e| PathElement::new(e.to_vec(), wire)),
            )?;
        }
        // Axis names: beside the middle of the nearer bottom edge of each plane axis,
        // pushed away from the centre of the box, past the tick labels.
        let spec = chart.as_coord_spec();
        let px = |p: (f64, f64, f64)| {
            let (a, b) = spec.translate(&p);
            (a as f64, b as f64)
        };
        let (xm, ym) = ((x.0 + x.1) / 2.0, (y.0 + y.1) / 2.0);
        let centre = px((xm, zr.0, ym));
        let lower = |a: (f64, f64, f64), b: (f64, f64, f64)| if px(a).1 >= px(b).1 { a } else { b };
        let x_edge = lower((xm, zr.0, y.0), (xm, zr.0, y.1));
        let y_edge = lower((x.0, zr.0, ym), (x.1, zr.0, ym));
        let label_style = theme::centered(theme::font(theme::LABEL_SIZE));
        let screen = area.use_screen_coord();
        for (name, edge) in [(&self.frame.x_label, x_edge), (&self.frame.y_label, y_edge)] {
            if let Some(name) = name {
                let (ex, ey) = px(edge);
                let (dx, dy) = (ex - centre.0, ey - centre.1);
                let len = (dx * dx + dy * dy).sqrt().max(1.0);
                let pos = (ex + 44.0 * dx / len, ey + 44.0 * dy / len);
                text_at(&screen, name, &label_style, round(pos))?;
            }
        }
        // The height axis carries its ticks on the left: its name goes left of them.
        let left = [(x.0, y.0), (x.0, y.1), (x.1, y.0), (x.1, y.1)]
            .into_iter()
            .map(|(a, b)| px((a, (zr.0 + zr.1) / 2.0, b)))
            .fold((f64::INFINITY, 0.0), |m, p| if p.0 < m.0 { p } else { m });
        let rotated = label_style.transform(FontTransform::Rotate270);
        text_at(
            &screen,
            &self.z_label,
            &rotated,
            round((left.0 - 48.0, left.1)),
        )?;
        Ok(())
    }
}
