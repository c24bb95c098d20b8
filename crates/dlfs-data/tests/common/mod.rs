//! Builders of hostile (and harmless) pickles, zip archives and gzip files, written
//! independently of the crate's own readers and writers. Shared by tests/hostile.rs,
//! benches/hostile.rs and examples/hostile_inputs.rs.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// A protocol 2 pickle, written opcode by opcode.
pub struct Pickle(pub Vec<u8>);

impl Default for Pickle {
    fn default() -> Self {
        Pickle(b"\x80\x02".to_vec())
    }
}

impl Pickle {
    /// Raw opcodes.
    pub fn op(&mut self, ops: &[u8]) -> &mut Self {
        self.0.extend_from_slice(ops);
        self
    }

    /// BINUNICODE: a str.
    pub fn str(&mut self, s: &str) -> &mut Self {
        self.0.push(b'X');
        self.0.extend_from_slice(&(s.len() as u32).to_le_bytes());
        self.op(s.as_bytes())
    }

    /// BININT: a 4-byte signed int.
    pub fn int(&mut self, n: i32) -> &mut Self {
        self.0.push(b'J');
        self.op(&n.to_le_bytes())
    }

    /// LONG_BINPUT: store the top of the stack in the memo under `key`.
    pub fn put(&mut self, key: u32) -> &mut Self {
        self.0.push(b'r');
        self.op(&key.to_le_bytes())
    }

    /// LONG_BINGET: push the memo's value under `key`.
    pub fn get(&mut self, key: u32) -> &mut Self {
        self.0.push(b'j');
        self.op(&key.to_le_bytes())
    }

    /// A little-endian `f8` array of shape `(values.len(),)`, built the way numpy's protocol
    /// 5 pickles are: `_frombuffer(bytes, dtype('f8'), shape, 'C')`.
    pub fn f8_array(&mut self, values: &[f64]) -> &mut Self {
        let data: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        self.op(b"cnumpy.core.numeric\n_frombuffer\n(");
        self.0.push(b'B');
        self.0.extend_from_slice(&(data.len() as u32).to_le_bytes());
        self.op(&data);
        self.op(b"cnumpy\ndtype\n").str("f8").op(b"\x89\x88\x87R");
        // dtype state: (3, '<', None, None, None, -1, -1, 0)
        self.op(b"(K\x03")
            .str("<")
            .op(b"NNN")
            .int(-1)
            .int(-1)
            .op(b"K\x00tb");
        self.int(values.len() as i32).op(b"\x85").str("C").op(b"tR")
    }

    /// STOP, and the bytes.
    pub fn stop(&mut self) -> Vec<u8> {
        self.op(b".");
        std::mem::take(&mut self.0)
    }
}

/// A pickled dict `{names[0]: a, names[1]: a, ...}` in which one array `a` of `values`
/// is stored once and fetched from the memo for every further name.
pub fn shared_array_pickle(names: usize, values: &[f64]) -> Vec<u8> {
    let mut p = Pickle::default();
    p.op(b"}(").str("a0").f8_array(values).put(0);
    for k in 1..names {
        p.str(&format!("a{k}")).get(0);
    }
    p.op(b"u").stop()
}

/// One entry of a zip archive as its central directory describes it.
#[derive(Clone)]
pub struct CentralEntry {
    pub name: String,
    /// 0 stored, 8 deflate.
    pub method: u16,
    pub crc: u32,
    pub packed: u64,
    /// Declared uncompressed size; 0xFFFFFFFF or more is written as a zip64 extra field.
    pub size: u64,
    /// Offset of the local header it points at.
    pub local: u32,
}

/// A zip archive: local entries first, then any central directory, however wrong.
#[derive(Default)]
pub struct Zip {
    pub out: Vec<u8>,
    pub central: Vec<CentralEntry>,
}

impl Zip {
    /// Writes a local header and its (already compressed) data; returns the header's offset
    /// and a central entry describing it truthfully.
    pub fn local(&mut self, name: &str, method: u16, packed: &[u8], plain: &[u8]) -> CentralEntry {
        let offset = self.out.len() as u32;
        self.out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        for x in [20u16, 0, method, 0, 0x21] {
            self.out.extend_from_slice(&x.to_le_bytes());
        }
        let crc = crc32(plain);
        for x in [crc, packed.len() as u32, plain.len() as u32] {
            self.out.extend_from_slice(&x.to_le_bytes());
        }
        self.out
            .extend_from_slice(&(name.len() as u16).to_le_bytes());
        self.out.extend_from_slice(&0u16.to_le_bytes());
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(packed);
        CentralEntry {
            name: name.into(),
            method,
            crc,
            packed: packed.len() as u64,
            size: plain.len() as u64,
            local: offset,
        }
    }

    /// A stored entry, listed in the directory.
    pub fn stored(&mut self, name: &str, data: &[u8]) {
        let entry = self.local(name, 0, data, data);
        self.central.push(entry);
    }

    /// The archive: the central directory of `self.central` and the end record.
    pub fn finish(mut self) -> Vec<u8> {
        let start = self.out.len() as u32;
        let mut dir = Vec::new();
        for e in &self.central {
            let zip64 = e.size >= 0xFFFF_FFFF;
            let size32 = if zip64 { 0xFFFF_FFFF } else { e.size as u32 };
            dir.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
            for x in [45u16, 45, 0, e.method, 0, 0x21] {
                dir.extend_from_slice(&x.to_le_bytes());
            }
            for x in [e.crc, e.packed as u32, size32] {
                dir.extend_from_slice(&x.to_le_bytes());
            }
            let extra_len: u16 = if zip64 { 12 } else { 0 };
            for x in [e.name.len() as u16, extra_len, 0, 0, 0] {
                dir.extend_from_slice(&x.to_le_bytes());
            }
            dir.extend_from_slice(&0u32.to_le_bytes()); // external attributes
            dir.extend_from_slice(&e.local.to_le_bytes());
            dir.extend_from_slice(e.name.as_bytes());
            if zip64 {
                dir.extend_from_slice(&1u16.to_le_bytes());
                dir.extend_from_slice(&8u16.to_le_bytes());
                dir.extend_from_slice(&e.size.to_le_bytes());
            }
        }
        self.out.extend_from_slice(&dir);
        self.out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        self.out.extend_from_slice(&[0; 4]);
        let n = self.central.len() as u16;
        self.out.extend_from_slice(&n.to_le_bytes());
        self.out.extend_from_slice(&n.to_le_bytes());
        self.out
            .extend_from_slice(&(dir.len() as u32).to_le_bytes());
        self.out.extend_from_slice(&start.to_le_bytes());
        self.out.extend_from_slice(&0u16.to_le_bytes());
        self.out
    }
}

pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = flate2::Crc::new();
    crc.update(data);
    crc.sum()
}

/// An archive with one deflated entry of `zeros` zero bytes and `names` directory entries
/// that all point at it.
pub fn overlapping_bomb(zeros: u64, names: usize) -> Vec<u8> {
    let mut zip = Zip::default();
    let mut entry = zip.local("a.npy", 8, &deflated_zeros(zeros), &[]);
    entry.size = zeros;
    for k in 0..names {
        let name = format!("a{k}.npy");
        zip.central.push(CentralEntry {
            name,
            ..entry.clone()
        });
    }
    zip.finish()
}

/// Raw deflate of `n` zero bytes, streamed: the zeros are never all in memory.
pub fn deflated_zeros(n: u64) -> Vec<u8> {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::copy(&mut std::io::repeat(0).take(n), &mut e).unwrap();
    e.finish().unwrap()
}

/// gzip of `head` followed by `zeros` zero bytes, streamed.
pub fn gzip_then_zeros(head: &[u8], zeros: u64) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(head).unwrap();
    std::io::copy(&mut std::io::repeat(0).take(zeros), &mut e).unwrap();
    e.finish().unwrap()
}

/// The `.npy` header of a little-endian `f8` vector of `n` values.
pub fn npy_f8_header(n: usize) -> Vec<u8> {
    let header = format!("{{'descr': '<f8', 'fortran_order': False, 'shape': ({n},), }}\n");
    let mut b = b"\x93NUMPY\x01\x00".to_vec();
    b.extend_from_slice(&(header.len() as u16).to_le_bytes());
    b.extend_from_slice(header.as_bytes());
    b
}

/// `.npy` data of a little-endian `f8` vector.
pub fn npy_f8(values: &[f64]) -> Vec<u8> {
    let mut b = npy_f8_header(values.len());
    b.extend(values.iter().flat_map(|v| v.to_le_bytes()));
    b
}

/// A stored npz of `n` one-value arrays named `a0, a1, ...`, the last one named `last`.
pub fn many_entry_npz(n: usize, last: &str) -> Vec<u8> {
    let mut zip = Zip::default();
    for k in 0..n {
        let name = if k + 1 == n {
            format!("{last}.npy")
        } else {
            format!("a{k}.npy")
        };
        zip.stored(&name, &npy_f8(&[k as f64]));
    }
    zip.finish()
}

/// A pickled dict of `n` one-value arrays `{'a0': [0.0], 'a1': [1.0], ...}`.
pub fn many_key_pickle(n: usize) -> Vec<u8> {
    let mut p = Pickle::default();
    p.op(b"}(");
    for k in 0..n {
        p.str(&format!("a{k}")).f8_array(&[k as f64]);
    }
    p.op(b"u").stop()
}

/// A file of tests/fixtures/ (written by numpy itself: tests/fixtures/make_fixtures.py).
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The book's weight file, or `None` (saying so) when this checkout has no shared/ beside it.
pub fn book_file(ext: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(format!("book_sample_weight.{ext}"));
    if path.is_file() {
        Some(path)
    } else {
        println!("skipped: {} not found", path.display());
        None
    }
}
