//! NumPy's `.npy` array format, for `f4`/`f8` arrays: just what weight files need.
//!
//! A `.npy` file is the magic `\x93NUMPY`, a version, a header length, a Python dict
//! literal such as `{'descr': '<f4', 'fortran_order': False, 'shape': (784, 50), }`, and the
//! raw values.

use crate::error::{fail, Malformed};
use dlfs::ndarray::{ArrayD, IxDyn, ShapeBuilder};

/// What is left of a limit on the bytes of `f64` arrays one file may produce; every
/// array is paid for before it is allocated.
pub(crate) struct Budget {
    left: u64,
    limit: u64,
}

impl Budget {
    pub fn new(limit: u64) -> Budget {
        Budget { left: limit, limit }
    }

    /// Pays for `values` `f64` values of `what`, or says why not.
    pub fn spend(&mut self, values: usize, what: &str) -> Result<(), String> {
        let bytes = (values as u64).saturating_mul(8);
        if bytes > self.left {
            return Err(format!(
                "{what} needs {bytes} bytes as f64 values, more than the {} bytes left of the \
                 limit of {} bytes for all arrays of one file (dlfs_data::MAX_WEIGHT_BYTES)",
                self.left, self.limit
            ));
        }
        self.left -= bytes;
        Ok(())
    }
}

/// The number of elements of an array of this shape.
pub(crate) fn element_count(shape: &[usize]) -> Result<usize, String> {
    shape
        .iter()
        .try_fold(1usize, |n, &d| n.checked_mul(d))
        .ok_or_else(|| format!("shape {shape:?} is too large"))
}

/// A floating-point element type as numpy spells it (`<f4`, `>f8`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Float {
    pub size: usize,
    pub big_endian: bool,
}

impl Float {
    /// Parses `f4`/`f8` (with `kind` like `"f4"`) and a byte-order character.
    pub fn parse(kind: &str, order: char) -> Result<Float, String> {
        let size = match kind {
            "f4" | "float32" => 4,
            "f8" | "float64" => 8,
            _ => {
                return Err(format!(
                    "element type `{order}{kind}` is not supported: only float32 (`<f4`) and \
                     float64 (`<f8`) arrays can be read"
                ))
            }
        };
        let big_endian = match order {
            '<' => false,
            '>' => true,
            '=' | '|' => cfg!(target_endian = "big"),
            _ => return Err(format!("unknown byte order `{order}` in element type")),
        };
        Ok(Float { size, big_endian })
    }
}

/// Turns raw element bytes into an array of the given shape, converting to `f64` (exact for
/// `f4`) and to the usual row-major (C) layout. The error says what is wrong.
pub(crate) fn floats_to_array(
    raw: &[u8],
    float: Float,
    shape: &[usize],
    fortran_order: bool,
) -> Result<ArrayD<f64>, String> {
    let count = element_count(shape)?;
    let needed = count
        .checked_mul(float.size)
        .ok_or_else(|| format!("shape {shape:?} is too large"))?;
    if raw.len() < needed {
        return Err(format!(
            "truncated data: shape {shape:?} of {}-byte floats needs {needed} bytes, found {}",
            float.size,
            raw.len()
        ));
    }
    if raw.len() > needed {
        return Err(format!(
            "{} unexpected bytes after the {needed} bytes of data for shape {shape:?}",
            raw.len() - needed
        ));
    }
    let values: Vec<f64> = match (float.size, float.big_endian) {
        (4, false) => raw
            .chunks_exact(4)
            .map(|c| f64::from(f32::from_le_bytes([c[0], c[1], c[2], c[3]])))
            .collect(),
        (4, true) => raw
            .chunks_exact(4)
            .map(|c| f64::from(f32::from_be_bytes([c[0], c[1], c[2], c[3]])))
            .collect(),
        (_, big) => raw
            .chunks_exact(8)
            .map(|c| {
                let b = [c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]];
                if big {
                    f64::from_be_bytes(b)
                } else {
                    f64::from_le_bytes(b)
                }
            })
            .collect(),
    };
    if fortran_order {
        let f = ArrayD::from_shape_vec(IxDyn(shape).f(), values).map_err(|e| e.to_string())?;
        Ok(f.as_standard_layout().into_owned())
    } else {
        ArrayD::from_shape_vec(IxDyn(shape), values).map_err(|e| e.to_string())
    }
}

/// The value of one key of the header dict.
enum Literal {
    Str(String),
    Bool(bool),
    Tuple(Vec<usize>),
}

struct HeaderParser<'a> {
    bytes: &'a [u8],
    pos: usize,
    base: usize,
}

impl HeaderParser<'_> {
    fn err<T>(&self, reason: impl Into<String>) -> Result<T, Malformed> {
        fail((self.base + self.pos) as u64, reason)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn expect(&mut self, c: u8) -> Result<(), Malformed> {
        self.skip_ws();
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            self.err(format!(
                "header: expected `{}`, found {}",
                c as char,
                self.describe()
            ))
        }
    }

    /// Skips a `,`, or stops before `close`; anything else is an error.
    fn separator(&mut self, close: u8, within: &str) -> Result<(), Malformed> {
        self.skip_ws();
        match self.peek() {
            Some(b',') => {
                self.pos += 1;
                Ok(())
            }
            Some(c) if c == close => Ok(()),
            _ => self.err(format!(
                "header: expected `,` or `{}` {within}, found {}",
                close as char,
                self.describe()
            )),
        }
    }

    fn describe(&self) -> String {
        match self.peek() {
            Some(c) if c.is_ascii_graphic() => format!("`{}`", c as char),
            Some(c) => format!("byte 0x{c:02x}"),
            None => "the end of the header".into(),
        }
    }

    fn string(&mut self) -> Result<String, Malformed> {
        self.skip_ws();
        let quote = match self.peek() {
            Some(q @ (b'\'' | b'"')) => q,
            _ => {
                return self.err(format!(
                    "header: expected a quoted string, found {}",
                    self.describe()
                ))
            }
        };
        self.pos += 1;
        let start = self.pos;
        while let Some(c) = self.peek() {
            if c == quote {
                let s = String::from_utf8_lossy(&self.bytes[start..self.pos]).into_owned();
                self.pos += 1;
                return Ok(s);
            }
            self.pos += 1;
        }
        self.err("header: unterminated string")
    }

    fn literal(&mut self) -> Result<Literal, Malformed> {
        self.skip_ws();
        let rest = &self.bytes[self.pos..];
        if rest.starts_with(b"True") {
            self.pos += 4;
            Ok(Literal::Bool(true))
        } else if rest.starts_with(b"False") {
            self.pos += 5;
            Ok(Literal::Bool(false))
        } else if matches!(self.peek(), Some(b'\'' | b'"')) {
            Ok(Literal::Str(self.string()?))
        } else if self.peek() == Some(b'(') {
            self.pos += 1;
            let mut dims = Vec::new();
            loop {
                self.skip_ws();
                match self.peek() {
                    Some(b')') => {
                        self.pos += 1;
                        return Ok(Literal::Tuple(dims));
                    }
                    Some(b'0'..=b'9') => {
                        let start = self.pos;
                        while matches!(self.peek(), Some(b'0'..=b'9')) {
                            self.pos += 1;
                        }
                        let digits =
                            std::str::from_utf8(&self.bytes[start..self.pos]).unwrap_or("");
                        let Ok(d) = digits.parse::<usize>() else {
                            return fail(
                                (self.base + start) as u64,
                                format!("header: dimension {digits} is too large"),
                            );
                        };
                        dims.push(d);
                        // Python 2 wrote long integers as `784L`.
                        if self.peek() == Some(b'L') {
                            self.pos += 1;
                        }
                        self.separator(b')', "in the shape")?;
                    }
                    _ => {
                        return self.err(format!(
                            "header: expected a dimension in the shape, found {}",
                            self.describe()
                        ))
                    }
                }
            }
        } else if self.peek() == Some(b'[') {
            self.err(
                "header: structured (record) arrays are not supported, only plain float arrays",
            )
        } else {
            self.err(format!("header: unexpected {}", self.describe()))
        }
    }
}

/// Reads `.npy` data into an `f64` array in C order, paying for it from `budget` before
/// it is allocated.
pub(crate) fn decode(bytes: &[u8], budget: &mut Budget) -> Result<ArrayD<f64>, Malformed> {
    const MAGIC: &[u8] = b"\x93NUMPY";
    if bytes.len() < 10 || &bytes[..6] != MAGIC {
        return fail(
            0u64,
            "not .npy data: it does not start with the magic `\\x93NUMPY`",
        );
    }
    let (header_start, header_len) = match bytes[6] {
        1 => (10, usize::from(u16::from_le_bytes([bytes[8], bytes[9]]))),
        2 | 3 if bytes.len() >= 12 => (
            12,
            u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
        ),
        v => {
            return fail(
                6u64,
                format!("unsupported .npy format version {v}.{}", bytes[7]),
            )
        }
    };
    let data_start = header_start + header_len;
    if bytes.len() < data_start {
        return fail(
            8u64,
            format!(
                "truncated: the header length says the data starts at byte {data_start}, but there are only {} bytes",
                bytes.len()
            ),
        );
    }
    let mut p = HeaderParser {
        bytes: &bytes[header_start..data_start],
        pos: 0,
        base: header_start,
    };
    p.expect(b'{')?;
    let (mut descr, mut fortran, mut shape) = (None, None, None);
    loop {
        p.skip_ws();
        if p.peek() == Some(b'}') {
            break;
        }
        let key_at = p.base + p.pos;
        let key = p.string()?;
        p.expect(b':')?;
        p.skip_ws();
        let value_at = p.base + p.pos;
        let value = p.literal()?;
        match (key.as_str(), value) {
            ("descr", Literal::Str(s)) => descr = Some((s, value_at)),
            ("fortran_order", Literal::Bool(b)) => fortran = Some(b),
            ("shape", Literal::Tuple(t)) => shape = Some(t),
            ("descr" | "fortran_order" | "shape", _) => {
                return fail(
                    value_at as u64,
                    format!("header: wrong kind of value for `{key}`"),
                )
            }
            _ => return fail(key_at as u64, format!("header: unexpected key `{key}`")),
        }
        p.separator(b'}', "in the dict")?;
    }
    let missing = |k: &str| Malformed {
        offset: header_start as u64,
        reason: format!("header: the key `{k}` is missing"),
    };
    let (descr, descr_at) = descr.ok_or_else(|| missing("descr"))?;
    let fortran = fortran.ok_or_else(|| missing("fortran_order"))?;
    let shape = shape.ok_or_else(|| missing("shape"))?;
    let mut chars = descr.chars();
    let order = chars.next().unwrap_or(' ');
    let float = Float::parse(chars.as_str(), order).map_err(|reason| Malformed {
        offset: descr_at as u64,
        reason,
    })?;
    let at_data = |reason| Malformed {
        offset: data_start as u64,
        reason,
    };
    let count = element_count(&shape).map_err(at_data)?;
    budget
        .spend(count, &format!("an array of shape {shape:?}"))
        .map_err(at_data)?;
    floats_to_array(&bytes[data_start..], float, &shape, fortran).map_err(at_data)
}

/// Writes an array as `.npy` version 1.0 data: `<f8`, C order, header padded to 64 bytes.
pub(crate) fn encode(array: &ArrayD<f64>) -> Vec<u8> {
    let dims: Vec<String> = array.shape().iter().map(|d| d.to_string()).collect();
    let shape = match dims.len() {
        1 => format!("({},)", dims[0]),
        _ => format!("({})", dims.join(", ")),
    };
    let mut header = format!("{{'descr': '<f8', 'fortran_order': False, 'shape': {shape}, }}");
    // Pad with spaces and end with a newline so the data starts on a 64-byte boundary.
    let total = 10 + header.len() + 1;
    header.push_str(&" ".repeat((64 - total % 64) % 64));
    header.push('\n');
    let mut out = Vec::with_capacity(10 + header.len() + 8 * array.len());
    out.extend_from_slice(b"\x93NUMPY\x01\x00");
    let len = header.len();
    if let Ok(len) = u16::try_from(len) {
        out.extend_from_slice(&len.to_le_bytes());
    } else {
        // A header this long needs format 2.0 (4-byte length); only for absurd ranks.
        out[6] = 2;
        out.extend_from_slice(&(len as u32).to_le_bytes());
    }
    out.extend_from_slice(header.as_bytes());
    for &v in array.iter() {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use dlfs::ndarray::{array, Array2};

    #[test]
    fn round_trip_keeps_shape_and_values() {
        let a = array![[1.0, -2.5], [3.25, 1e-300]].into_dyn();
        let bytes = encode(&a);
        assert_eq!((bytes.len() - 8 * 4) % 64, 0);
        assert_eq!(decode(&bytes, &mut Budget::new(32)).unwrap(), a);
        let err = decode(&bytes, &mut Budget::new(31)).unwrap_err();
        assert!(err.reason.contains("needs 32 bytes"), "{}", err.reason);
    }

    #[test]
    fn version_2_header_and_python2_long_dims_are_read() {
        let header = b"{'descr': '<f8', 'fortran_order': False, 'shape': (2L,), }\n";
        let mut bytes = b"\x93NUMPY\x02\x00".to_vec();
        bytes.extend_from_slice(&(header.len() as u32).to_le_bytes());
        bytes.extend_from_slice(header);
        bytes.extend_from_slice(&1.5f64.to_le_bytes());
        bytes.extend_from_slice(&(-2.0f64).to_le_bytes());
        let a = decode(&bytes, &mut Budget::new(16)).unwrap();
        assert_eq!(a, array![1.5, -2.0].into_dyn());
    }

    #[test]
    fn fortran_order_is_transposed_into_place() {
        // Column-major storage of [[1, 2, 3], [4, 5, 6]] is 1 4 2 5 3 6.
        let raw: Vec<u8> = [1.0f32, 4.0, 2.0, 5.0, 3.0, 6.0]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        let float = Float::parse("f4", '<').unwrap();
        let a = floats_to_array(&raw, float, &[2, 3], true).unwrap();
        let expected: Array2<f64> = array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]];
        assert_eq!(a, expected.into_dyn());
        assert!(a.is_standard_layout());
    }

    #[test]
    fn big_endian_and_scalars_are_read() {
        let float = Float::parse("f8", '>').unwrap();
        let a = floats_to_array(&0.75f64.to_be_bytes(), float, &[], false).unwrap();
        assert_eq!(a.shape(), &[] as &[usize]);
        assert_eq!(a.iter().next(), Some(&0.75));
    }
}
