use dlfs_plot::plotters::prelude::*;
use dlfs_plot::plotters::style::text_anchor::{HPos, Pos, VPos};
fn main() {
    static F: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
    let _ = dlfs_plot::plotters::style::register_font("sans-serif", FontStyle::Normal, F);
    for (name, v) in [("top", VPos::Top), ("center", VPos::Center), ("bottom", VPos::Bottom)] {
        for text in ["x", "Hy0"] {
            let mut buf = vec![255u8; 200 * 100 * 3];
            {
                let area = BitMapBackend::with_buffer(&mut buf, (200, 100)).into_drawing_area();
                let st = TextStyle::from(("sans-serif", 14.0).into_font()).pos(Pos::new(HPos::Left, v));
                area.draw(&Text::new(text, (50, 50), st)).unwrap();
            }
            let (mut y0, mut y1) = (1000, 0);
            for y in 0..100 { for x in 0..200 { if buf[(y*200+x)*3] < 128 { y0 = y0.min(y); y1 = y1.max(y); } } }
            println!("{name} {text}: ink rows {y0}..={y1} (anchor y=50)");
        }
    }
}
#[allow(dead_code)]
fn unused() {}
