//! The legend, placed where it covers the least data (matplotlib's `loc="best"`).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::axes::text_at;
use crate::canvas::{Area, DrawResult};
use crate::marks::{draw_line, Marker};
use crate::theme::{font, LEGEND_SIZE};

/// One row of a legend.
pub(crate) struct LegendEntry {
    pub label: String,
    pub color: RGBColor,
    /// `Some(dashed)` to show a line sample.
    pub line: Option<bool>,
    /// A marker and whether it is filled.
    pub marker: Option<(Marker, bool)>,
}

/// Where a legend of `w` x `h` goes inside `rect`: of matplotlib's nine places (corners,
/// edge centres, centre), the one that covers the fewest `obstacles` (pixel points),
/// trying them in matplotlib's order (upper right first) and keeping the first of equals.
/// A place in the middle of an edge or of the plot must cover clearly less (a quarter
/// less) than the best corner to win: a legend reads best in a corner.
pub(crate) fn best_place(
    rect: (i32, i32, i32, i32),
    (w, h): (i32, i32),
    obstacles: &[(i32, i32)],
) -> (i32, i32) {
    let (x0, y0, x1, y1) = rect;
    let inset = 8;
    let (left, right, mid_x) = (x0 + inset, x1 - inset - w, (x0 + x1 - w) / 2);
    let (top, bottom, mid_y) = (y0 + inset, y1 - inset - h, (y0 + y1 - h) / 2);
    // matplotlib's order: upper right, upper left, lower left, lower right, right,
    // center left, center right, lower center, upper center, center.
    let places = [
        (right, top, true),
        (left, top, true),
        (left, bottom, true),
        (right, bottom, true),
        (right, mid_y, false),
        (left, mid_y, false),
        (mid_x, bottom, false),
        (mid_x, top, false),
        (mid_x, mid_y, false),
    ];
    let covered = |(lx, ly): (i32, i32)| {
        obstacles
            .iter()
            .filter(|&&(px, py)| {
                px >= lx - 2 && px <= lx + w + 2 && py >= ly - 2 && py <= ly + h + 2
            })
            .count()
    };
    let mut best_corner = (usize::MAX, (right, top));
    let mut best_other = (usize::MAX, (right, mid_y));
    for (x, y, corner) in places {
        let n = covered((x, y));
        let best = if corner {
            &mut best_corner
        } else {
            &mut best_other
        };
        if n < best.0 {
            *best = (n, (x, y));
        }
    }
    if (best_other.0 as f64) < 0.75 * best_corner.0 as f64 {
        best_other.1
    } else {
        best_corner.1
    }
}

/// Draws the legend inside the plotting rectangle at [`best_place`].
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
    let (lx, ly) = best_place(rect, (w, h), obstacles);
    screen.draw(&Rectangle::new(
        [(lx, ly), (lx + w, ly + h)],
        WHITE.mix(0.8).filled(),
    ))?;
    screen.draw(&Rectangle::new(
        [(lx, ly), (lx + w, ly + h)],
        RGBColor(204, 204, 204),
    ))?;
    for (k, e) in entries.iter().enumerate() {
        let cy = f64::from(ly + pad + row * k as i32 + row / 2 - 2) + 0.5;
        let sx = f64::from(lx + pad);
        if let Some(dashed) = e.line {
            draw_line(
                screen,
                &[(sx, cy), (sx + f64::from(swatch), cy)],
                e.color,
                2.0,
                dashed,
            )?;
        }
        if let Some((m, filled)) = e.marker {
            let outline = (!filled).then_some(1.5);
            m.draw(
                screen,
                (sx + f64::from(swatch) / 2.0, cy),
                4.0,
                e.color,
                outline,
            )?;
        }
        let anchored = text.pos(Pos::new(HPos::Left, VPos::Center));
        text_at(
            screen,
            &e.label,
            &anchored,
            (lx + pad + swatch + 6, cy as i32),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_plot_puts_the_legend_upper_right() {
        assert_eq!(best_place((0, 0, 400, 300), (80, 40), &[]), (312, 8));
    }

    #[test]
    fn data_in_the_upper_right_moves_the_legend_to_a_free_corner() {
        let data: Vec<(i32, i32)> = (300..400).flat_map(|x| [(x, 20), (x, 280)]).collect();
        assert_eq!(best_place((0, 0, 400, 300), (80, 40), &data), (8, 8));
    }
}
