//! Text: the embedded fonts, and lines of text laid out and drawn with ab_glyph.
//!
//! Latin text is set in DejaVu Sans; any character DejaVu lacks is taken from the
//! embedded subset of Noto Sans CJK SC (Chinese and Japanese), glyph by glyph. Glyphs
//! are placed at their advance widths plus the font's kerning, at fractional pixel
//! positions, and drawn with anti-aliasing.

use std::sync::OnceLock;

use ab_glyph::{point, Font, FontRef, GlyphId, PxScale, ScaleFont};

/// DejaVu Sans (Bitstream Vera license, `fonts/LICENSE-DejaVu.txt`).
static DEJAVU_SANS: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");

/// A subset of Noto Sans CJK SC (SIL Open Font License, `fonts/LICENSE-NotoSansCJK.txt`),
/// made by `fonts/make_cjk_subset.py`.
static NOTO_SANS_CJK: &[u8] = include_bytes!("../fonts/NotoSansCJK-subset.otf");

/// Which embedded font a glyph comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Face {
    /// DejaVu Sans.
    Latin,
    /// Noto Sans CJK SC (subset).
    Cjk,
}

struct Fonts {
    latin: FontRef<'static>,
    cjk: FontRef<'static>,
}

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| Fonts {
        latin: FontRef::try_from_slice(DEJAVU_SANS).expect("embedded DejaVu Sans parses"),
        cjk: FontRef::try_from_slice(NOTO_SANS_CJK).expect("embedded Noto Sans CJK parses"),
    })
}

fn font(face: Face) -> &'static FontRef<'static> {
    match face {
        Face::Latin => &fonts().latin,
        Face::Cjk => &fonts().cjk,
    }
}

/// The font and glyph that draw `c`: DejaVu's if it has one, else the CJK font's, else
/// DejaVu's missing-glyph box (glyph 0).
pub(crate) fn glyph_for(c: char) -> (Face, GlyphId) {
    let latin = fonts().latin.glyph_id(c);
    if latin.0 != 0 {
        return (Face::Latin, latin);
    }
    let cjk = fonts().cjk.glyph_id(c);
    if cjk.0 != 0 {
        (Face::Cjk, cjk)
    } else {
        (Face::Latin, latin)
    }
}

/// One glyph of a laid-out line: its font, id and pen position in pixels from the start.
#[derive(Clone, Debug)]
pub(crate) struct Placed {
    pub face: Face,
    pub id: GlyphId,
    pub x: f32,
}

/// A line of text laid out at a font size: glyphs, width, and the height of the line box
/// (DejaVu's ascent to descent, which is the size) with the baseline `ascent` below its top.
#[derive(Clone, Debug)]
pub(crate) struct Line {
    pub glyphs: Vec<Placed>,
    pub width: f32,
    pub height: f32,
    pub ascent: f32,
    /// Pixels per font unit of DejaVu; the CJK font is scaled to the same em size.
    em: f32,
}

/// Lays `text` out on one line at `size` pixels (the height from DejaVu's ascent to its
/// descent, as plotters and ab_glyph measure font sizes). Control characters are skipped.
pub(crate) fn layout(text: &str, size: f64) -> Line {
    let size = if size.is_finite() && size > 0.0 {
        size as f32
    } else {
        1.0
    };
    let latin = fonts().latin.as_scaled(PxScale::from(size));
    let em = size / fonts().latin.height_unscaled();
    let mut glyphs = Vec::new();
    let mut x = 0.0f32;
    let mut previous: Option<(Face, GlyphId)> = None;
    for c in text.chars().filter(|c| !c.is_control()) {
        let (face, id) = glyph_for(c);
        let f = font(face);
        let per_unit = match face {
            Face::Latin => em,
            Face::Cjk => {
                em * fonts().latin.units_per_em().unwrap_or(2048.0)
                    / f.units_per_em().unwrap_or(1000.0)
            }
        };
        if let Some((pf, pid)) = previous {
            if pf == face {
                x += f.kern_unscaled(pid, id) * per_unit;
            }
        }
        glyphs.push(Placed { face, id, x });
        x += f.h_advance_unscaled(id) * per_unit;
        previous = Some((face, id));
    }
    Line {
        glyphs,
        width: x,
        height: size,
        ascent: latin.ascent(),
        em,
    }
}

/// Coverage of a laid-out line drawn with its top left corner at `(0, 0)` and its start
/// shifted right by `dx` (0..1, the fractional part of the pen position on the canvas).
pub(crate) struct Bitmap {
    pub w: usize,
    pub h: usize,
    pub cov: Vec<f32>,
}

impl Line {
    /// Draws the glyphs into a coverage bitmap of `ceil(width + dx) + 1` by `ceil(height)`
    /// (+1 for glyphs that reach past their advance or below the descent).
    pub fn draw(&self, dx: f32) -> Bitmap {
        let w = (self.width + dx).ceil() as usize + 2;
        let h = self.height.ceil() as usize + 2;
        let mut cov = vec![0.0f32; w * h];
        for g in &self.glyphs {
            let f = font(g.face);
            let scale = match g.face {
                Face::Latin => PxScale::from(self.height),
                Face::Cjk => {
                    // The same em size as DejaVu: PxScale is the ascent-to-descent height.
                    let em_px = self.em * fonts().latin.units_per_em().unwrap_or(2048.0);
                    PxScale::from(em_px * f.height_unscaled() / f.units_per_em().unwrap_or(1000.0))
                }
            };
            let glyph =
                g.id.with_scale_and_position(scale, point(dx + g.x, self.ascent));
            if let Some(outlined) = f.outline_glyph(glyph) {
                let b = outlined.px_bounds();
                outlined.draw(|gx, gy, c| {
                    let x = b.min.x as i64 + i64::from(gx);
                    let y = b.min.y as i64 + i64::from(gy);
                    if x >= 0 && y >= 0 && (x as usize) < w && (y as usize) < h {
                        let cell = &mut cov[y as usize * w + x as usize];
                        *cell = (*cell + c).min(1.0);
                    }
                });
            }
        }
        Bitmap { w, h, cov }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kerning_pulls_av_together() {
        // DejaVu's kern table moves "V" toward "A": "AV" is narrower than "A" + "V".
        let pair = layout("AV", 16.0).width;
        let apart = layout("A", 16.0).width + layout("V", 16.0).width;
        assert!(pair < apart - 0.5, "AV {pair} vs A + V {apart}");
    }

    #[test]
    fn advances_are_fractional() {
        let line = layout("fig 2-6: OR, one line", 16.0);
        assert!(line.glyphs.iter().any(|g| g.x.fract() != 0.0));
    }

    #[test]
    fn chinese_comes_from_the_cjk_font() {
        assert_eq!(glyph_for('a').0, Face::Latin);
        for c in "损失函数与学习率".chars() {
            let (face, id) = glyph_for(c);
            assert_eq!(face, Face::Cjk, "{c}");
            assert_ne!(id.0, 0, "{c} is the missing-glyph box");
        }
        // Japanese kana and Joyo kanji are in the subset too.
        for c in "ゼロから作る損失関数".chars() {
            assert_ne!(glyph_for(c).1 .0, 0, "{c} is the missing-glyph box");
        }
        // A character in neither font: DejaVu's missing-glyph box.
        assert_eq!(glyph_for('\u{10FFFD}'), (Face::Latin, GlyphId(0)));
        // GB2312's level 2 too, where the book's 交叉熵误差 (cross entropy error) is
        for c in "交叉熵误差阈值陷阱".chars() {
            assert_ne!(glyph_for(c).1 .0, 0, "{c} is the missing-glyph box");
        }
    }

    #[test]
    fn every_chinese_character_of_the_chinese_notebooks_has_a_glyph() {
        // what a reader of the Chinese edition may copy into a plot's labels
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../notebooks/zh");
        let mut checked = 0;
        for entry in std::fs::read_dir(&dir).expect("notebooks/zh beside the crates") {
            let path = entry.expect("a directory entry").path();
            if path.extension().is_none_or(|e| e != "ipynb") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("a notebook in UTF-8");
            let ideographs = text
                .chars()
                .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c));
            for c in ideographs {
                assert_ne!(
                    glyph_for(c).1 .0,
                    0,
                    "{c} in {} has no glyph",
                    path.display()
                );
                checked += 1;
            }
        }
        assert!(
            checked > 10_000,
            "only {checked} Chinese characters found in {dir:?}"
        );
    }
}
