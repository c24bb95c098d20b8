//! PNG decoding shared by the integration tests.

use dlfs_plot::Figure;

/// A decoded PNG: width, height and RGB bytes.
pub struct Decoded {
    pub width: usize,
    pub height: usize,
    pub rgb: Vec<u8>,
}

impl Decoded {
    pub fn pixel(&self, x: usize, y: usize) -> [u8; 3] {
        let i = 3 * (y * self.width + x);
        [self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]]
    }
}

/// Decodes the figure's PNG, which must be 8-bit RGB.
pub fn decode(fig: &Figure) -> Decoded {
    let decoder = png::Decoder::new(fig.png_bytes());
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("PNG pixel data");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    buf.truncate(info.buffer_size());
    Decoded {
        width: info.width as usize,
        height: info.height as usize,
        rgb: buf,
    }
}
