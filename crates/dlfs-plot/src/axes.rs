//! Axes: the frame settings every chart with axes shares, and the plotting rectangle
//! with its ticks, tick labels and axis names.

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::canvas::{Area, Canvas, DrawError, DrawResult};
use crate::clip::{clip_polylines, inside};
use crate::theme::{font, AXIS, GRID, LABEL_SIZE, TICK_SIZE, TITLE_SIZE};
use crate::ticks::{nice_ticks, pick_range, Ticks};

/// Settings every chart with axes shares; the builder methods of each chart set them.
#[derive(Clone, Debug)]
pub(crate) struct Frame {
    pub title: Option<String>,
    pub x_label: Option<String>,
    pub y_label: Option<String>,
    pub x_range: Option<(f64, f64)>,
    pub y_range: Option<(f64, f64)>,
    pub size: (u32, u32),
    /// Whether the size was set by the user (some charts grow with content otherwise).
    pub sized: bool,
}

impl Frame {
    pub fn new(size: (u32, u32), x_label: Option<&str>, y_label: Option<&str>) -> Self {
        Frame {
            title: None,
            x_label: x_label.map(str::to_string),
            y_label: y_label.map(str::to_string),
            x_range: None,
            y_range: None,
            size,
            sized: false,
        }
    }

    /// The user's x and y ranges where usable; `default` for either one otherwise.
    pub fn ranges_or(&self, default: (f64, f64)) -> ((f64, f64), (f64, f64)) {
        (
            pick_range(self.x_range, || default),
            pick_range(self.y_range, || default),
        )
    }
}

/// Tick marks of one axis: where, and what they say.
#[derive(Clone, Debug)]
pub(crate) enum TickMarks {
    /// Round numbers chosen for the range.
    Auto,
    /// Given positions and labels (a bar chart's classes).
    Fixed(Vec<(f64, String)>),
}

type Coord2d = Cartesian2d<RangedCoordf64, RangedCoordf64>;
type Chart2d<'a, 'b> = ChartContext<'a, Canvas<'b>, Coord2d>;

/// Axes ready to draw on: room for caption, tick labels and axis names laid out in `area`.
pub(crate) struct Axes<'a, 'b> {
    chart: Chart2d<'a, 'b>,
    pub x: (f64, f64),
    pub y: (f64, f64),
    x_ticks: Vec<(f64, String)>,
    y_ticks: Vec<(f64, String)>,
    /// Left edge of the whole chart area, in absolute pixels.
    left: i32,
    /// The whole chart area in absolute pixels: ticks and names lie outside the plot.
    root: Area<'b>,
}

fn tick_list(ticks: Ticks) -> Vec<(f64, String)> {
    ticks.values.iter().map(|&v| (v, ticks.label(v))).collect()
}

/// Lays out axes for the data ranges `x` and `y` in `area` with round-number ticks.
pub(crate) fn axes<'a, 'b>(
    area: &'a Area<'b>,
    frame: &Frame,
    x: (f64, f64),
    y: (f64, f64),
) -> Result<Axes<'a, 'b>, DrawError> {
    axes_with(area, frame, x, y, TickMarks::Auto)
}

/// Lays out axes as [`axes`] does, with the given x ticks; call [`Axes::mesh`] to draw
/// grid, ticks and labels (after a background fill, if any).
pub(crate) fn axes_with<'a, 'b>(
    area: &'a Area<'b>,
    frame: &Frame,
    x: (f64, f64),
    y: (f64, f64),
    x_marks: TickMarks,
) -> Result<Axes<'a, 'b>, DrawError> {
    let (w, h) = area.dim_in_pixel();
    let x_ticks = match x_marks {
        TickMarks::Auto => tick_list(nice_ticks(x.0, x.1, (w as usize / 65).clamp(3, 10))),
        TickMarks::Fixed(t) => t,
    };
    let y_ticks = tick_list(nice_ticks(y.0, y.1, (h as usize / 42).clamp(3, 10)));
    let tick_font = font(TICK_SIZE);
    let widest = y_ticks
        .iter()
        .map(|(_, label)| area.estimate_text_size(label, &tick_font))
        .try_fold(0u32, |m, s| s.map(|(tw, _)| m.max(tw)))?;
    let mut builder = ChartBuilder::on(area);
    builder
        .margin_top(if frame.title.is_some() { 4 } else { 12 })
        .margin_right(18)
        .margin_left(6)
        .margin_bottom(6)
        .x_label_area_size(if frame.x_label.is_some() { 44 } else { 24 })
        .y_label_area_size(widest + if frame.y_label.is_some() { 30 } else { 10 });
    if let Some(t) = &frame.title {
        builder.caption(t, font(TITLE_SIZE));
    }
    let chart = builder.build_cartesian_2d(x.0..x.1, y.0..y.1)?;
    Ok(Axes {
        chart,
        x,
        y,
        x_ticks,
        y_ticks,
        left: area.get_base_pixel().0,
        root: area.use_screen_coord(),
    })
}

impl<'b> Axes<'_, 'b> {
    /// Draws the grid (if `grid`), the box around the plotting area, ticks, tick labels
    /// and axis names.
    pub fn mesh(&mut self, frame: &Frame, grid: bool) -> DrawResult {
        let screen = self.root.clone();
        let (x0, y0, x1, y1) = self.rect();
        let (r, b) = (x1 - 1, y1 - 1);
        let tick_font = font(TICK_SIZE);
        let below = tick_font.pos(Pos::new(HPos::Center, VPos::Top));
        let left = tick_font.pos(Pos::new(HPos::Right, VPos::Center));
        for (v, label) in &self.x_ticks {
            let px = self.px((*v, self.y.0)).0.round() as i32;
            if grid {
                screen.draw(&PathElement::new(vec![(px, y0), (px, b)], GRID))?;
            }
            screen.draw(&PathElement::new(vec![(px, b), (px, b + 4)], AXIS))?;
            text_at(&screen, label, &below, (px, b + 7))?;
        }
        for (v, label) in &self.y_ticks {
            let py = self.px((self.x.0, *v)).1.round() as i32;
            if grid {
                screen.draw(&PathElement::new(vec![(x0, py), (r, py)], GRID))?;
            }
            screen.draw(&PathElement::new(vec![(x0 - 4, py), (x0, py)], AXIS))?;
            text_at(&screen, label, &left, (x0 - 7, py))?;
        }
        screen.draw(&Rectangle::new([(x0, y0), (r, b)], AXIS))?;
        let label_font = font(LABEL_SIZE);
        if let Some(l) = &frame.x_label {
            let style = label_font.pos(Pos::new(HPos::Center, VPos::Bottom));
            text_at(&screen, l, &style, ((x0 + r) / 2, b + 40))?;
        }
        if let Some(l) = &frame.y_label {
            let style = label_font
                .transform(FontTransform::Rotate270)
                .pos(Pos::new(HPos::Center, VPos::Top));
            text_at(&screen, l, &style, (self.left + 4, (y0 + b) / 2))?;
        }
        Ok(())
    }

    /// Data coordinates to absolute pixel coordinates (fractional; pixel `(i, j)` spans
    /// `i..i + 1`, `j..j + 1`, so the edges of the range fall on the box line's centre).
    pub fn px(&self, (x, y): (f64, f64)) -> (f64, f64) {
        let (px, py) = self.chart.plotting_area().get_pixel_range();
        let fx = (x - self.x.0) / (self.x.1 - self.x.0);
        let fy = (y - self.y.0) / (self.y.1 - self.y.0);
        (
            px.start as f64 + 0.5 + fx * (px.end - 1 - px.start) as f64,
            (py.end - 1) as f64 + 0.5 - fy * (py.end - 1 - py.start) as f64,
        )
    }

    /// Absolute pixel coordinates (fractional) back to data coordinates.
    pub fn data(&self, (px_x, px_y): (f64, f64)) -> (f64, f64) {
        let (px, py) = self.chart.plotting_area().get_pixel_range();
        let fx = (px_x - 0.5 - px.start as f64) / (px.end - 1 - px.start) as f64;
        let fy = ((py.end - 1) as f64 + 0.5 - px_y) / (py.end - 1 - py.start) as f64;
        (
            self.x.0 + fx * (self.x.1 - self.x.0),
            self.y.0 + fy * (self.y.1 - self.y.0),
        )
    }

    /// The whole canvas as a drawing area in absolute pixels.
    pub fn screen(&self) -> Area<'b> {
        self.chart.plotting_area().use_screen_coord()
    }

    /// The plotting rectangle in absolute pixels: x0, y0, x1, y1 (exclusive).
    pub fn rect(&self) -> (i32, i32, i32, i32) {
        let (px, py) = self.chart.plotting_area().get_pixel_range();
        (px.start, py.start, px.end, py.end)
    }

    /// Points `(xs[i], ys[i])` as pixel polylines clipped to the axes: non-finite points
    /// break a line, parts outside the ranges are cut off.
    pub fn polylines(&self, xs: &[f64], ys: &[f64]) -> Vec<Vec<(f64, f64)>> {
        clip_polylines(xs, ys, self.x, self.y)
            .into_iter()
            .map(|line| line.into_iter().map(|p| self.px(p)).collect())
            .collect()
    }

    /// Finite points inside the axes, in pixels.
    pub fn inside_points(&self, xs: &[f64], ys: &[f64]) -> Vec<(f64, f64)> {
        xs.iter()
            .zip(ys)
            .filter(|(x, y)| inside((**x, **y), self.x, self.y))
            .map(|(&x, &y)| self.px((x, y)))
            .collect()
    }
}

/// Draws `text` at absolute pixel `pos` (`DrawingArea::draw_text` is relative to the area).
pub(crate) fn text_at(
    screen: &Area<'_>,
    text: &str,
    style: &TextStyle<'_>,
    pos: (i32, i32),
) -> DrawResult {
    screen.draw(&Text::new(text, pos, style.clone()))
}

pub(crate) fn round((x, y): (f64, f64)) -> (i32, i32) {
    (x.round() as i32, y.round() as i32)
}
