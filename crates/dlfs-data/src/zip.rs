//! The part of the zip format that `.npz` files use: reading stored and deflated entries
//! (with zip64 sizes, as numpy writes them), and writing stored entries.

use std::borrow::Cow;
use std::io::Read;

/// A problem in the archive: byte offset in the file, and what.
#[derive(Debug)]
pub(crate) struct ZipError {
    pub offset: u64,
    pub reason: String,
}

fn fail<T>(offset: u64, reason: impl Into<String>) -> Result<T, ZipError> {
    Err(ZipError {
        offset,
        reason: reason.into(),
    })
}

const LOCAL: u32 = 0x0403_4b50;
const CENTRAL: u32 = 0x0201_4b50;
const END: u32 = 0x0605_4b50;
const END64: u32 = 0x0606_4b50;
const END64_LOCATOR: u32 = 0x0706_4b50;

/// Little-endian reads that report where the archive ended too soon.
struct Bytes<'a>(&'a [u8]);

impl<'a> Bytes<'a> {
    fn slice(&self, at: u64, len: u64, what: &str) -> Result<&'a [u8], ZipError> {
        let end = at.checked_add(len);
        match end {
            Some(end) if end <= self.0.len() as u64 => Ok(&self.0[at as usize..end as usize]),
            _ => fail(
                at,
                format!(
                    "truncated: {what} needs {len} bytes here but the file has {}",
                    self.0.len()
                ),
            ),
        }
    }
    fn u16(&self, at: u64, what: &str) -> Result<u16, ZipError> {
        let b = self.slice(at, 2, what)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&self, at: u64, what: &str) -> Result<u32, ZipError> {
        let b = self.slice(at, 4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn u64(&self, at: u64, what: &str) -> Result<u64, ZipError> {
        let b = self.slice(at, 8, what)?;
        Ok(u64::from_le_bytes([
            b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
        ]))
    }
}

/// One file of the archive, decompressed and CRC-checked.
pub(crate) struct Entry<'a> {
    pub name: String,
    /// Where the entry's data starts in the archive.
    pub data_offset: u64,
    pub data: Cow<'a, [u8]>,
}

/// Reads every entry of a zip archive, in central-directory order.
pub(crate) fn read_entries(file: &[u8]) -> Result<Vec<Entry<'_>>, ZipError> {
    let b = Bytes(file);
    if file.is_empty() {
        return fail(0, "the file is empty");
    }
    if file.len() < 22 {
        return fail(
            0,
            format!("{} bytes is too short for a zip archive", file.len()),
        );
    }
    // The end-of-central-directory record is the last 22 bytes plus a comment of up to 64 KiB.
    let lowest = file.len().saturating_sub(22 + 0xFFFF);
    let Some(end) = (lowest..=file.len() - 22)
        .rev()
        .find(|&i| file[i..i + 4] == END.to_le_bytes())
    else {
        return fail(
            file.len() as u64,
            "no end-of-central-directory record: this is not a zip (.npz) archive, or it was cut short",
        );
    };
    let end = end as u64;
    let mut count = u64::from(b.u16(end + 10, "the end record")?);
    let mut dir_size = u64::from(b.u32(end + 12, "the end record")?);
    let mut dir_start = u64::from(b.u32(end + 16, "the end record")?);
    if count == 0xFFFF || dir_size == 0xFFFF_FFFF || dir_start == 0xFFFF_FFFF {
        // Zip64: the real numbers are in a zip64 end record found through its locator.
        let Some(locator) = end.checked_sub(20) else {
            return fail(end, "zip64 end-of-central-directory locator missing");
        };
        if b.u32(locator, "the zip64 locator")? != END64_LOCATOR {
            return fail(locator, "zip64 end-of-central-directory locator missing");
        }
        let end64 = b.u64(locator + 8, "the zip64 locator")?;
        if b.u32(end64, "the zip64 end record")? != END64 {
            return fail(end64, "bad zip64 end-of-central-directory record signature");
        }
        count = b.u64(end64 + 32, "the zip64 end record")?;
        dir_size = b.u64(end64 + 40, "the zip64 end record")?;
        dir_start = b.u64(end64 + 48, "the zip64 end record")?;
    }
    b.slice(dir_start, dir_size, "the central directory")?;
    let mut entries = Vec::new();
    let mut at = dir_start;
    for _ in 0..count {
        if b.u32(at, "a central directory entry")? != CENTRAL {
            return fail(at, "bad central directory entry signature");
        }
        let flags = b.u16(at + 8, "a central directory entry")?;
        let method = b.u16(at + 10, "a central directory entry")?;
        let crc = b.u32(at + 16, "a central directory entry")?;
        let mut packed = u64::from(b.u32(at + 20, "a central directory entry")?);
        let mut size = u64::from(b.u32(at + 24, "a central directory entry")?);
        let name_len = u64::from(b.u16(at + 28, "a central directory entry")?);
        let extra_len = u64::from(b.u16(at + 30, "a central directory entry")?);
        let comment_len = u64::from(b.u16(at + 32, "a central directory entry")?);
        let mut local = u64::from(b.u32(at + 42, "a central directory entry")?);
        let name_bytes = b.slice(at + 46, name_len, "an entry name")?;
        let name = String::from_utf8_lossy(name_bytes).into_owned();
        // Zip64 extra field (id 1): the 64-bit values of whichever fields were 0xFFFFFFFF.
        let extra = b.slice(at + 46 + name_len, extra_len, "an entry's extra field")?;
        let mut e = 0usize;
        while e + 4 <= extra.len() {
            let id = u16::from_le_bytes([extra[e], extra[e + 1]]);
            let len = usize::from(u16::from_le_bytes([extra[e + 2], extra[e + 3]]));
            let field = &extra[(e + 4).min(extra.len())..(e + 4 + len).min(extra.len())];
            if id == 1 {
                let mut values = field
                    .chunks_exact(8)
                    .map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]));
                for slot in [&mut size, &mut packed, &mut local] {
                    if *slot == 0xFFFF_FFFF {
                        match values.next() {
                            Some(v) => *slot = v,
                            None => {
                                return fail(
                                    at,
                                    format!("entry `{name}`: zip64 extra field too short"),
                                )
                            }
                        }
                    }
                }
            }
            e += 4 + len;
        }
        if flags & 1 != 0 {
            return fail(at, format!("entry `{name}` is encrypted"));
        }
        if b.u32(local, "a local file header")? != LOCAL {
            return fail(
                local,
                format!("entry `{name}`: bad local file header signature"),
            );
        }
        let local_name = u64::from(b.u16(local + 26, "a local file header")?);
        let local_extra = u64::from(b.u16(local + 28, "a local file header")?);
        let data_offset = local + 30 + local_name + local_extra;
        let raw = b.slice(data_offset, packed, &format!("the data of entry `{name}`"))?;
        let data = match method {
            0 => {
                if packed != size {
                    return fail(at, format!("stored entry `{name}`: sizes differ ({packed} vs {size})"));
                }
                Cow::Borrowed(raw)
            }
            8 => {
                let mut out = Vec::with_capacity(size.min(1 << 26) as usize);
                // Read one byte past the promised size to notice a lying header.
                flate2::read::DeflateDecoder::new(raw)
                    .take(size.saturating_add(1))
                    .read_to_end(&mut out)
                    .map_err(|e| ZipError {
                        offset: data_offset,
                        reason: format!("entry `{name}`: corrupt deflate data ({e})"),
                    })?;
                if out.len() as u64 != size {
                    return fail(
                        data_offset,
                        format!(
                            "entry `{name}`: decompresses to {}{} bytes, the directory says {size}",
                            out.len(),
                            if out.len() as u64 > size { " or more" } else { "" }
                        ),
                    );
                }
                Cow::Owned(out)
            }
            m => {
                return fail(
                    at,
                    format!("entry `{name}`: compression method {m} is not supported (only stored and deflate)"),
                )
            }
        };
        let mut hasher = flate2::Crc::new();
        hasher.update(&data);
        if hasher.sum() != crc {
            return fail(
                data_offset,
                format!(
                    "entry `{name}`: CRC-32 mismatch (directory says {crc:08x}, data has {:08x}): the file is damaged",
                    hasher.sum()
                ),
            );
        }
        entries.push(Entry {
            name,
            data_offset,
            data,
        });
        at += 46 + name_len + extra_len + comment_len;
    }
    Ok(entries)
}

/// Writes a zip archive of stored (uncompressed) entries with correct CRC-32s, dated
/// 1980-01-01 so the same arrays always give the same bytes.
pub(crate) fn write_stored(entries: &[(String, Vec<u8>)]) -> Result<Vec<u8>, String> {
    const DOS_DATE_1980_01_01: u16 = (1 << 5) | 1;
    let total: usize = entries
        .iter()
        .map(|(n, d)| 76 + 2 * n.len() + d.len())
        .sum();
    let mut out = Vec::with_capacity(total + 22);
    let mut directory = Vec::new();
    for (name, data) in entries {
        let offset = u32::try_from(out.len())
            .map_err(|_| "the archive would exceed 4 GiB, which this writer does not support")?;
        let size = u32::try_from(data.len()).map_err(|_| {
            format!("entry `{name}` exceeds 4 GiB, which this writer does not support")
        })?;
        let name_len =
            u16::try_from(name.len()).map_err(|_| format!("entry name `{name}` is too long"))?;
        let mut hasher = flate2::Crc::new();
        hasher.update(data);
        let crc = hasher.sum();
        // Bit 11: the name is UTF-8.
        let flags: u16 = if name.is_ascii() { 0 } else { 1 << 11 };
        let common = |v: &mut Vec<u8>| {
            v.extend_from_slice(&20u16.to_le_bytes()); // version needed: 2.0
            v.extend_from_slice(&flags.to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes()); // stored
            v.extend_from_slice(&0u16.to_le_bytes()); // time 00:00
            v.extend_from_slice(&DOS_DATE_1980_01_01.to_le_bytes());
            v.extend_from_slice(&crc.to_le_bytes());
            v.extend_from_slice(&size.to_le_bytes());
            v.extend_from_slice(&size.to_le_bytes());
            v.extend_from_slice(&name_len.to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes()); // extra field length
        };
        out.extend_from_slice(&LOCAL.to_le_bytes());
        common(&mut out);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);

        directory.extend_from_slice(&CENTRAL.to_le_bytes());
        directory.extend_from_slice(&20u16.to_le_bytes()); // version made by
        common(&mut directory);
        directory.extend_from_slice(&0u16.to_le_bytes()); // comment length
        directory.extend_from_slice(&0u16.to_le_bytes()); // disk
        directory.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
        directory.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        directory.extend_from_slice(&offset.to_le_bytes());
        directory.extend_from_slice(name.as_bytes());
    }
    let dir_start = u32::try_from(out.len())
        .map_err(|_| "the archive would exceed 4 GiB, which this writer does not support")?;
    let count = u16::try_from(entries.len()).map_err(|_| "more than 65535 entries")?;
    out.extend_from_slice(&directory);
    out.extend_from_slice(&END.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // this disk
    out.extend_from_slice(&0u16.to_le_bytes()); // disk with the directory
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&(directory.len() as u32).to_le_bytes());
    out.extend_from_slice(&dir_start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // comment length
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_archive_reads_back() {
        let entries = vec![
            ("a.npy".to_string(), b"hello".to_vec()),
            ("b.npy".to_string(), Vec::new()),
        ];
        let zip = write_stored(&entries).unwrap();
        let back = read_entries(&zip).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(
            (back[0].name.as_str(), &*back[0].data),
            ("a.npy", &b"hello"[..])
        );
        assert_eq!((back[1].name.as_str(), &*back[1].data), ("b.npy", &b""[..]));
    }

    #[test]
    fn crc_of_known_string_matches_the_standard_check_value() {
        // CRC-32 of "123456789" is 0xCBF43926 (the check value of the standard).
        let mut hasher = flate2::Crc::new();
        hasher.update(b"123456789");
        assert_eq!(hasher.sum(), 0xCBF4_3926);
    }

    #[test]
    fn flipped_data_byte_is_a_crc_error() {
        let mut zip = write_stored(&[("a".to_string(), b"hello".to_vec())]).unwrap();
        zip[31] ^= 1; // first data byte: 30-byte header + 1-byte name
        let err = read_entries(&zip).err().unwrap();
        assert!(err.reason.contains("CRC-32"), "{}", err.reason);
        assert_eq!(err.offset, 31);
    }
}
