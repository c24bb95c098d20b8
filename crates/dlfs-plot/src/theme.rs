//! The look shared by all charts: colours, font sizes and colour maps.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

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

/// Text at `size` pixels in the text colour. The canvas sets every family in the
/// embedded fonts, so the family name is only a label.
pub(crate) fn font(size: f64) -> TextStyle<'static> {
    TextStyle::from(("sans-serif", size).into_font()).color(&TEXT)
}

/// Text anchored at its centre.
pub(crate) fn centered(style: TextStyle<'static>) -> TextStyle<'static> {
    style.pos(Pos::new(HPos::Center, VPos::Center))
}

/// matplotlib's "viridis" colour map (dark blue at 0, yellow at 1), as plotters has it.
pub(crate) fn viridis(t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    ViridisRGB::get_color(t)
}

/// matplotlib's "RdBu_r" (blue at 0, white at 0.5, red at 1), from nine samples; plotters
/// has no diverging colour map.
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
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let pos = t * (STOPS.len() - 1) as f64;
    let i = (pos.floor() as usize).min(STOPS.len() - 2);
    let f = pos - i as f64;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}
