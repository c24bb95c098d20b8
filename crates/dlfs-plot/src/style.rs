//! Shared look and layout: colours, fonts, ticks, axes, clipping, legends.

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::chart::{ensure_fonts, Area, DrawError, DrawResult, FONT};

/// matplotlib's "tab10" colours, so several runs drawn together stay distinguishable.
pub(crate) const PALETTE: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];

pub(crate) const TEXT: RGBColor = RGBColor(34, 34, 34);
pub(crate) const AXIS: RGBColor = RGBColor(80, 80, 80);
pub(crate) const GRID: RGBColor = RGBColor(228, 228, 228);
pub(crate) const WRONG: RGBColor = RGBColor(214, 39, 40);

pub(crate) const TITLE_SIZE: f64 = 16.0;
pub(crate) const LABEL_SIZE: f64 = 14.0;
pub(crate) const TICK_SIZE: f64 = 12.0;
pub(crate) const LEGEND_SIZE: f64 = 12.0;
pub(crate) const SUPTITLE_HEIGHT: u32 = 30;

/// The embedded font at `size` pixels, in the text colour.
pub(crate) fn font(size: f64) -> TextStyle<'static> {
    TextStyle::from((FONT, size).into_font()).color(&TEXT)
}

/// Text anchored at its centre.
pub(crate) fn centered(style: TextStyle<'static>) -> TextStyle<'static> {
    style.pos(Pos::new(HPos::Center, VPos::Center))
}

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
}

/// A usable axis range: finite, increasing, not empty. `None` if `lo`/`hi` are not finite.
pub(crate) fn clean_range((lo, hi): (f64, f64)) -> Option<(f64, f64)> {
    if !lo.is_finite() || !hi.is_finite() {
        return None;
    }
    let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
    if hi - lo > 1e-12 * lo.abs().max(hi.abs()).max(1e-300) {
        Some((lo, hi))
    } else {
        let pad = if lo == 0.0 { 0.5 } else { 0.5 * lo.abs() };
        Some((lo - pad, hi + pad))
    }
}

/// The range of the finite values, widened by `margin` of its span on each side
/// (matplotlib's default margin is 5%); `(0, 1)` if there is no finite value.
pub(crate) fn auto_range(values: impl IntoIterator<Item = f64>, margin: f64) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.into_iter().filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    match clean_range((lo, hi)) {
        Some((lo, hi)) => {
            let pad = (hi - lo) * margin;
            (lo - pad, hi + pad)
        }
        None => (0.0, 1.0),
    }
}

/// The user's range if usable, otherwise `auto`.
pub(crate) fn pick_range(
    user: Option<(f64, f64)>,
    auto: impl FnOnce() -> (f64, f64),
) -> (f64, f64) {
    user.and_then(clean_range).unwrap_or_else(auto)
}

/// Tick positions on an axis and how to write them.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Ticks {
    pub values: Vec<f64>,
    decimals: usize,
    /// Mantissa decimals when the labels are written as powers of ten.
    sci_digits: Option<usize>,
}

impl Ticks {
    /// A tick label: fixed decimals, or powers of ten for very small or large steps
    /// ("2.0e-11", "1.5e6").
    pub fn label(&self, v: f64) -> String {
        match self.sci_digits {
            Some(_) if v == 0.0 => "0".to_string(),
            Some(digits) => format!("{v:.digits$e}"),
            None => format_tick(v, self.decimals),
        }
    }
}

/// Round tick positions inside `[lo, hi]`: the smallest step of 1, 2, 2.5 or 5 times a
/// power of ten that gives at most `max_ticks` ticks, and the number of decimals that
/// shows them exactly.
pub(crate) fn nice_ticks(lo: f64, hi: f64, max_ticks: usize) -> Ticks {
    let max_ticks = max_ticks.max(2);
    let count = |step: f64| ((hi / step + 1e-9).floor() - (lo / step - 1e-9).ceil() + 1.0) as usize;
    let mut exp = ((hi - lo) / max_ticks as f64).log10().floor() as i32 - 1;
    let step = 'search: loop {
        for mult in [1.0, 2.0, 2.5, 5.0] {
            let step = mult * 10f64.powi(exp);
            if count(step) <= max_ticks {
                break 'search step;
            }
        }
        exp += 1;
    };
    let decimals = (0..12)
        .find(|&d| {
            let scaled = step * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() < 1e-6 * scaled
        })
        .unwrap_or(12);
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    let values: Vec<f64> = (first..=last).map(|k| k as f64 * step).collect();
    let largest = values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let sci_digits = (decimals > 5 || step >= 1e5)
        .then(|| (largest.log10().floor() - step.log10().floor()).clamp(0.0, 3.0) as usize);
    Ticks {
        values,
        decimals,
        sci_digits,
    }
}

/// A tick label: fixed decimals, no "-0".
pub(crate) fn format_tick(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// A number with as few decimals as it needs (at most 4): "3", "-0.5", "0.125".
pub(crate) fn short_number(v: &f64) -> String {
    let s = format_tick(*v, 4);
    match s.contains('.') {
        true => s.trim_end_matches('0').trim_end_matches('.').to_string(),
        false => s,
    }
}

pub(crate) type Coord2d = Cartesian2d<RangedCoordf64, RangedCoordf64>;
pub(crate) type Chart2d<'a, 'b> = ChartContext<'a, BitMapBackend<'b>, Coord2d>;

/// Axes ready to draw on: room for caption, tick labels and axis names laid out in `area`.
pub(crate) struct Axes<'a, 'b> {
    pub chart: Chart2d<'a, 'b>,
    pub x: (f64, f64),
    pub y: (f64, f64),
    x_ticks: Ticks,
    y_ticks: Ticks,
    /// Left edge of the whole chart area, in absolute pixels.
    left: i32,
    /// The whole chart area in absolute pixels: ticks and names lie outside the plot.
    root: Area<'b>,
}

/// Lays out axes for the data ranges `x` and `y` in `area`; call [`Axes::mesh`] to draw
/// grid, ticks and labels (after a background fill, if any).
pub(crate) fn axes<'a, 'b>(
    area: &'a Area<'b>,
    frame: &Frame,
    x: (f64, f64),
    y: (f64, f64),
) -> Result<Axes<'a, 'b>, DrawError> {
    ensure_fonts();
    let (w, h) = area.dim_in_pixel();
    let x_ticks = nice_ticks(x.0, x.1, (w as usize / 65).clamp(3, 10));
    let y_ticks = nice_ticks(y.0, y.1, (h as usize / 42).clamp(3, 10));
    let tick_font = font(TICK_SIZE);
    let widest = y_ticks
        .values
        .iter()
        .map(|&v| area.estimate_text_size(&y_ticks.label(v), &tick_font))
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
        for &v in &self.x_ticks.values {
            let px = self.px((v, self.y.0)).0.round() as i32;
            if grid {
                screen.draw(&PathElement::new(vec![(px, y0), (px, b)], GRID))?;
            }
            screen.draw(&PathElement::new(vec![(px, b), (px, b + 4)], AXIS))?;
            text_at(&screen, &self.x_ticks.label(v), &below, (px, b + 7))?;
        }
        for &v in &self.y_ticks.values {
            let py = self.px((self.x.0, v)).1.round() as i32;
            if grid {
                screen.draw(&PathElement::new(vec![(x0, py), (r, py)], GRID))?;
            }
            screen.draw(&PathElement::new(vec![(x0 - 4, py), (x0, py)], AXIS))?;
            text_at(&screen, &self.y_ticks.label(v), &left, (x0 - 7, py))?;
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

    /// Data coordinates to absolute pixel coordinates (fractional).
    pub fn px(&self, (x, y): (f64, f64)) -> (f64, f64) {
        let (px, py) = self.chart.plotting_area().get_pixel_range();
        let fx = (x - self.x.0) / (self.x.1 - self.x.0);
        let fy = (y - self.y.0) / (self.y.1 - self.y.0);
        (
            px.start as f64 + fx * (px.end - 1 - px.start) as f64,
            (py.end - 1) as f64 - fy * (py.end - 1 - py.start) as f64,
        )
    }

    /// Absolute pixel coordinates (fractional) back to data coordinates.
    pub fn data(&self, (px_x, px_y): (f64, f64)) -> (f64, f64) {
        let (px, py) = self.chart.plotting_area().get_pixel_range();
        let fx = (px_x - px.start as f64) / (px.end - 1 - px.start) as f64;
        let fy = ((py.end - 1) as f64 - px_y) / (py.end - 1 - py.start) as f64;
        (
            self.x.0 + fx * (self.x.1 - self.x.0),
            self.y.0 + fy * (self.y.1 - self.y.0),
        )
    }

    /// The plotting rectangle as a drawing area in absolute pixels; points outside the
    /// rectangle are moved onto its edge.
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
    pub fn polylines(&self, xs: &[f64], ys: &[f64]) -> Vec<Vec<(i32, i32)>> {
        clip_polylines(xs, ys, self.x, self.y)
            .into_iter()
            .map(|line| line.into_iter().map(|p| round(self.px(p))).collect())
            .collect()
    }

    /// Finite points inside the axes, in pixels.
    pub fn inside_points(&self, xs: &[f64], ys: &[f64]) -> Vec<(i32, i32)> {
        xs.iter()
            .zip(ys)
            .filter(|(x, y)| inside((**x, **y), self.x, self.y))
            .map(|(&x, &y)| round(self.px((x, y))))
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

fn inside((x, y): (f64, f64), xr: (f64, f64), yr: (f64, f64)) -> bool {
    x.is_finite() && y.is_finite() && x >= xr.0 && x <= xr.1 && y >= yr.0 && y <= yr.1
}

/// Liang-Barsky: the part of segment `p`-`q` inside the rectangle, if any.
fn clip_segment(
    p: (f64, f64),
    q: (f64, f64),
    xr: (f64, f64),
    yr: (f64, f64),
) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (d, dist) in [
        (-dx, p.0 - xr.0),
        (dx, xr.1 - p.0),
        (-dy, p.1 - yr.0),
        (dy, yr.1 - p.1),
    ] {
        if d == 0.0 {
            if dist < 0.0 {
                return None;
            }
        } else {
            let t = dist / d;
            if d < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    (t0 <= t1).then_some((
        (p.0 + t0 * dx, p.1 + t0 * dy),
        (p.0 + t1 * dx, p.1 + t1 * dy),
    ))
}

/// Data polylines clipped to the rectangle, broken at non-finite points.
pub(crate) fn clip_polylines(
    xs: &[f64],
    ys: &[f64],
    xr: (f64, f64),
    yr: (f64, f64),
) -> Vec<Vec<(f64, f64)>> {
    let mut lines: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    let finite = |p: (f64, f64)| p.0.is_finite() && p.1.is_finite();
    let points: Vec<(f64, f64)> = xs.iter().copied().zip(ys.iter().copied()).collect();
    for pair in points.windows(2) {
        let (p, q) = (pair[0], pair[1]);
        let clipped = if finite(p) && finite(q) {
            clip_segment(p, q, xr, yr)
        } else {
            None
        };
        match clipped {
            Some((a, b)) => {
                if current.last() != Some(&a) {
                    if current.len() > 1 {
                        lines.push(std::mem::take(&mut current));
                    }
                    current.clear();
                    current.push(a);
                }
                current.push(b);
            }
            None => {
                if current.len() > 1 {
                    lines.push(std::mem::take(&mut current));
                }
                current.clear();
            }
        }
    }
    if current.len() > 1 {
        lines.push(current);
    }
    lines
}

/// Marker shapes, cycled through by series index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
}

impl Marker {
    pub fn nth(i: usize) -> Self {
        [
            Marker::Circle,
            Marker::Square,
            Marker::Triangle,
            Marker::Diamond,
        ][i % 4]
    }

    /// Draws the marker centred at pixel `c` with half-size `r`.
    pub fn draw(self, area: &Area<'_>, c: (i32, i32), r: i32, style: ShapeStyle) -> DrawResult {
        let (x, y) = c;
        let outline = |pts: Vec<(i32, i32)>| -> DrawResult {
            if style.filled {
                area.draw(&Polygon::new(pts, style))
            } else {
                let mut closed = pts.clone();
                closed.push(pts[0]);
                area.draw(&PathElement::new(closed, style))
            }
        };
        match self {
            Marker::Circle => area.draw(&Circle::new(c, r, style)),
            Marker::Square => {
                let r = r * 9 / 10;
                outline(vec![
                    (x - r, y - r),
                    (x + r, y - r),
                    (x + r, y + r),
                    (x - r, y + r),
                ])
            }
            Marker::Triangle => {
                let r = r * 6 / 5;
                let h = r * 866 / 1000;
                outline(vec![(x, y - r), (x + h, y + r / 2), (x - h, y + r / 2)])
            }
            Marker::Diamond => {
                let r = r * 6 / 5;
                outline(vec![(x, y - r), (x + r, y), (x, y + r), (x - r, y)])
            }
        }
    }
}

/// One row of a legend.
pub(crate) struct LegendEntry {
    pub label: String,
    pub color: RGBColor,
    /// `Some(dashed)` to show a line sample.
    pub line: Option<bool>,
    /// A marker and whether it is filled.
    pub marker: Option<(Marker, bool)>,
}

/// Draws a line (solid or dashed) through pixel points.
pub(crate) fn draw_line(
    area: &Area<'_>,
    pts: &[(i32, i32)],
    style: ShapeStyle,
    dashed: bool,
) -> DrawResult {
    if pts.len() < 2 {
        return Ok(());
    }
    if dashed {
        area.draw(&plotters::element::DashedPathElement::new(
            pts.iter().copied(),
            6,
            4,
            style,
        ))
    } else {
        // Segment by segment: plotters fills a wide zig-zag path as one polygon, which
        // leaves holes where the path crosses itself (noisy loss curves).
        for pair in pts.windows(2) {
            if pair[0] != pair[1] {
                area.draw(&PathElement::new(pair.to_vec(), style))?;
            }
        }
        Ok(())
    }
}

/// Points along pixel polylines, a few pixels apart: what a legend should not cover.
pub(crate) fn sample_polyline(pts: &[(i32, i32)], out: &mut Vec<(i32, i32)>) {
    for pair in pts.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let len = ((b.0 - a.0).abs()).max((b.1 - a.1).abs()).max(1);
        let n = (len / 3).max(1);
        for k in 0..=n {
            out.push((a.0 + (b.0 - a.0) * k / n, a.1 + (b.1 - a.1) * k / n));
        }
    }
    if pts.len() == 1 {
        out.push(pts[0]);
    }
}

/// Draws the legend inside the plotting rectangle at the place (of nine: corners, edge
/// centres, centre) that covers the fewest of `obstacles` (pixel points), like matplotlib's
/// `loc="best"`.
pub(crate) fn draw_legend(
    screen: &Area<'_>,
    rect: (i32, i32, i32, i32),
    entries: &[LegendEntry],
    obstacles: &[(i32, i32)],
) -> DrawResult {
    if entries.is_empty() {
        return Ok(());
    }
    let text = font(LEGEND_SIZE);
    let mut text_w = 0;
    for e in entries {
        text_w = text_w.max(screen.estimate_text_size(&e.label, &text)?.0 as i32);
    }
    let (pad, swatch, row) = (6, 26, 18);
    let w = pad + swatch + 6 + text_w + pad;
    let h = pad + row * entries.len() as i32 + pad - 4;
    let (x0, y0, x1, y1) = rect;
    let inset = 8;
    let xs = [x1 - inset - w, x0 + inset, (x0 + x1 - w) / 2];
    let ys = [y0 + inset, y1 - inset - h, (y0 + y1 - h) / 2];
    // Preference order when several places are equally free: corners first.
    let order = [
        (0, 0),
        (1, 0),
        (0, 1),
        (1, 1),
        (2, 0),
        (2, 1),
        (0, 2),
        (1, 2),
        (2, 2),
    ];
    let mut best = (usize::MAX, (xs[0], ys[0]));
    for (i, j) in order {
        let (lx, ly) = (xs[i], ys[j]);
        let covered = obstacles
            .iter()
            .filter(|&&(px, py)| {
                px >= lx - 2 && px <= lx + w + 2 && py >= ly - 2 && py <= ly + h + 2
            })
            .count();
        if covered < best.0 {
            best = (covered, (lx, ly));
        }
    }
    let (lx, ly) = best.1;
    screen.draw(&Rectangle::new(
        [(lx, ly), (lx + w, ly + h)],
        WHITE.mix(0.88).filled(),
    ))?;
    screen.draw(&Rectangle::new(
        [(lx, ly), (lx + w, ly + h)],
        RGBColor(190, 190, 190),
    ))?;
    for (k, e) in entries.iter().enumerate() {
        let cy = ly + pad + row * k as i32 + row / 2 - 2;
        let sx = lx + pad;
        if let Some(dashed) = e.line {
            draw_line(
                screen,
                &[(sx, cy), (sx + swatch, cy)],
                e.color.stroke_width(2),
                dashed,
            )?;
        }
        if let Some((m, filled)) = e.marker {
            let style = if filled {
                e.color.filled()
            } else {
                e.color.stroke_width(2)
            };
            m.draw(screen, (sx + swatch / 2, cy), 4, style)?;
        }
        let anchored = text.pos(Pos::new(HPos::Left, VPos::Center));
        text_at(screen, &e.label, &anchored, (sx + swatch + 6, cy))?;
    }
    Ok(())
}

fn lerp_colors(stops: &[(u8, u8, u8)], t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let pos = t * (stops.len() - 1) as f64;
    let i = (pos.floor() as usize).min(stops.len() - 2);
    let f = pos - i as f64;
    let (a, b) = (stops[i], stops[i + 1]);
    let mix = |x: u8, y: u8| (x as f64 + (y as f64 - x as f64) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// matplotlib's "viridis" colour map (dark blue at 0, yellow at 1), from nine samples.
pub(crate) fn viridis(t: f64) -> RGBColor {
    const STOPS: [(u8, u8, u8); 9] = [
        (68, 1, 84),
        (71, 44, 122),
        (59, 81, 139),
        (44, 113, 142),
        (33, 144, 141),
        (39, 173, 129),
        (92, 200, 99),
        (170, 220, 50),
        (253, 231, 37),
    ];
    lerp_colors(&STOPS, t)
}

/// matplotlib's "RdBu_r" (blue at 0, white at 0.5, red at 1), from nine samples.
pub(crate) fn diverging(t: f64) -> RGBColor {
    const STOPS: [(u8, u8, u8); 9] = [
        (33, 102, 172),
        (67, 147, 195),
        (146, 197, 222),
        (209, 229, 240),
        (247, 247, 247),
        (253, 219, 199),
        (244, 165, 130),
        (214, 96, 77),
        (178, 24, 43),
    ];
    lerp_colors(&STOPS, t)
}

/// Builder methods shared by all charts: `title` and `size`.
macro_rules! title_and_size {
    ($ty:ty, $ctor:literal, $default:literal) => {
        impl $ty {
            #[doc = concat!(
                "Sets the title drawn above the chart.\n\n",
                "```\nuse dlfs_plot::*;\n\n",
                "let plain = ", $ctor, ".render();\n",
                "let titled = ", $ctor, ".title(\"Figure\").render();\n",
                "assert_ne!(plain.png_bytes(), titled.png_bytes());\n```"
            )]
            pub fn title(mut self, title: impl Into<String>) -> Self {
                self.frame.title = Some(title.into());
                self
            }

            #[doc = concat!(
                "Sets the size in pixels of the picture when rendered alone (default ",
                $default, ").\n\n",
                "```\nuse dlfs_plot::*;\n\n",
                "let fig = ", $ctor, ".size(400, 300).render();\n",
                "assert_eq!((fig.width(), fig.height()), (400, 300));\n```"
            )]
            pub fn size(mut self, width: u32, height: u32) -> Self {
                self.frame.size = (width, height);
                self.frame.sized = true;
                self
            }

            #[doc = concat!(
                "Shows the chart inline in an evcxr notebook (renders it, then prints the ",
                "PNG in evcxr's protocol); evcxr calls this when a cell ends with the chart.\n\n",
                "```no_run\nuse dlfs_plot::*;\n\n", $ctor, ".evcxr_display();\n```"
            )]
            pub fn evcxr_display(&self) {
                $crate::Chart::evcxr_display(self);
            }
        }
    };
}

/// Builder methods shared by the charts with axes: axis names and ranges.
macro_rules! axis_methods {
    ($ty:ty, $ctor:literal, $xdefault:literal, $ydefault:literal) => {
        impl $ty {
            #[doc = concat!(
                "Sets the name written under the x axis (default ", $xdefault, ").\n\n",
                "```\nuse dlfs_plot::*;\n\n",
                "let a = ", $ctor, ".x_label(\"x\").render();\n",
                "let b = ", $ctor, ".x_label(\"input\").render();\n",
                "assert_ne!(a.png_bytes(), b.png_bytes());\n```"
            )]
            pub fn x_label(mut self, label: impl Into<String>) -> Self {
                self.frame.x_label = Some(label.into());
                self
            }

            #[doc = concat!(
                "Sets the name written beside the y axis (default ", $ydefault, ").\n\n",
                "```\nuse dlfs_plot::*;\n\n",
                "let a = ", $ctor, ".y_label(\"y\").render();\n",
                "let b = ", $ctor, ".y_label(\"output\").render();\n",
                "assert_ne!(a.png_bytes(), b.png_bytes());\n```"
            )]
            pub fn y_label(mut self, label: impl Into<String>) -> Self {
                self.frame.y_label = Some(label.into());
                self
            }

            #[doc = concat!(
                "Sets the shown x range `min..max` (book: `plt.xlim`). A reversed range is ",
                "put in order; a non-finite one is ignored.\n\n",
                "```\nuse dlfs_plot::*;\n\n",
                "let a = ", $ctor, ".x_range(-1.0, 1.0).render();\n",
                "let b = ", $ctor, ".x_range(-2.0, 2.0).render();\n",
                "assert_ne!(a.png_bytes(), b.png_bytes());\n```"
            )]
            pub fn x_range(mut self, min: f64, max: f64) -> Self {
                self.frame.x_range = Some((min, max));
                self
            }

            #[doc = concat!(
                "Sets the shown y range `min..max` (book: `plt.ylim`). A reversed range is ",
                "put in order; a non-finite one is ignored.\n\n",
                "```\nuse dlfs_plot::*;\n\n",
                "let a = ", $ctor, ".y_range(-1.0, 1.0).render();\n",
                "let b = ", $ctor, ".y_range(-2.0, 2.0).render();\n",
                "assert_ne!(a.png_bytes(), b.png_bytes());\n```"
            )]
            pub fn y_range(mut self, min: f64, max: f64) -> Self {
                self.frame.y_range = Some((min, max));
                self
            }
        }
    };
}

pub(crate) use axis_methods;
pub(crate) use title_and_size;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_of_minus_five_to_five_are_steps_of_two() {
        let t = nice_ticks(-5.5, 5.5, 6);
        assert_eq!(t.values, vec![-4.0, -2.0, 0.0, 2.0, 4.0]);
        assert_eq!(t.label(-4.0), "-4");
    }

    #[test]
    fn ticks_of_unit_range_have_one_decimal() {
        let t = nice_ticks(-0.1, 1.1, 7);
        assert_eq!(t.values.len(), 6);
        assert_eq!(t.label(t.values[0]), "0.0");
        assert_eq!(t.label(t.values[5]), "1.0");
        assert_eq!(format_tick(-0.0001, 1), "0.0");
    }

    #[test]
    fn ticks_of_a_quarter_step_have_two_decimals() {
        let t = nice_ticks(0.0, 1.0, 5);
        assert_eq!(t.values, vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(t.label(0.75), "0.75");
    }

    #[test]
    fn tiny_and_huge_ticks_use_powers_of_ten() {
        let tiny = nice_ticks(0.0, 1e-10, 6);
        assert_eq!(tiny.label(tiny.values[1]), "2.0e-11");
        assert_eq!(tiny.label(tiny.values[5]), "1.0e-10");
        assert_eq!(tiny.label(0.0), "0");
        let huge = nice_ticks(0.0, 3e6, 7);
        assert_eq!(huge.label(huge.values[3]), "1.5e6");
        assert_eq!(huge.label(huge.values[1]), "5.0e5");
    }

    #[test]
    fn clipping_cuts_a_line_at_the_box() {
        let lines = clip_polylines(&[-1.0, 0.5, 2.0], &[0.5, 0.5, 0.5], (0.0, 1.0), (0.0, 1.0));
        assert_eq!(lines, vec![vec![(0.0, 0.5), (0.5, 0.5), (1.0, 0.5)]]);
    }

    #[test]
    fn nan_breaks_a_line_in_two() {
        let xs = [0.0, 0.1, 0.2, 0.3, 0.4];
        let ys = [0.0, 0.1, f64::NAN, 0.3, 0.4];
        let lines = clip_polylines(&xs, &ys, (0.0, 1.0), (0.0, 1.0));
        assert_eq!(
            lines,
            vec![vec![(0.0, 0.0), (0.1, 0.1)], vec![(0.3, 0.3), (0.4, 0.4)]]
        );
    }

    #[test]
    fn auto_range_ignores_infinities_and_pads_five_percent() {
        let (lo, hi) = auto_range([0.0, f64::INFINITY, 10.0, f64::NAN], 0.05);
        assert!((lo + 0.5).abs() < 1e-12 && (hi - 10.5).abs() < 1e-12);
        assert_eq!(auto_range([f64::NAN], 0.05), (0.0, 1.0));
    }
}
