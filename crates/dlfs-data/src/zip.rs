//! The part of the zip format that `.npz` files use: reading stored and deflated entries
//! (with zip64 sizes, as numpy writes them), and writing stored entries.
//!
//! Reading is in two steps, so that nothing is inflated before the whole directory has
//! been checked: [`read_directory`] lists the entries and refuses archives whose entries
//! overlap (several directory entries for one local header is the classic zip bomb) or
//! declare more uncompressed bytes in total than the caller's limit; [`Entry::data`] then
//! inflates one entry, stopping one byte past its declared size.

use crate::error::{fail, Malformed};
use std::borrow::Cow;
use std::io::Read;

const LOCAL: u32 = 0x0403_4b50;
const CENTRAL: u32 = 0x0201_4b50;
const END: u32 = 0x0605_4b50;
const END64: u32 = 0x0606_4b50;
const END64_LOCATOR: u32 = 0x0706_4b50;
/// Bytes of a central directory entry before its name.
const CENTRAL_FIXED: u64 = 46;

/// Little-endian reads that report where the archive ended too soon.
struct Bytes<'a>(&'a [u8]);

impl<'a> Bytes<'a> {
    fn slice(&self, at: u64, len: u64, what: &str) -> Result<&'a [u8], Malformed> {
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
    fn u16(&self, at: u64, what: &str) -> Result<u16, Malformed> {
        let b = self.slice(at, 2, what)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&self, at: u64, what: &str) -> Result<u32, Malformed> {
        let b = self.slice(at, 4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn u64(&self, at: u64, what: &str) -> Result<u64, Malformed> {
        let b = self.slice(at, 8, what)?;
        Ok(u64::from_le_bytes([
            b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
        ]))
    }
}

/// One file of the archive as its central directory entry describes it.
pub(crate) struct Entry {
    pub name: String,
    /// Offset of its central directory entry, for messages.
    at: u64,
    /// Offset of its local header.
    local: u64,
    /// Where the entry's data starts in the archive.
    pub data_offset: u64,
    method: u16,
    crc: u32,
    packed: u64,
    size: u64,
}

/// Where the end-of-central-directory record says the directory is: entries, size, start.
fn find_directory(b: &Bytes<'_>) -> Result<(u64, u64, u64), Malformed> {
    let file = b.0;
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
    let count = u64::from(b.u16(end + 10, "the end record")?);
    let dir_size = u64::from(b.u32(end + 12, "the end record")?);
    let dir_start = u64::from(b.u32(end + 16, "the end record")?);
    if count != 0xFFFF && dir_size != 0xFFFF_FFFF && dir_start != 0xFFFF_FFFF {
        return Ok((count, dir_size, dir_start));
    }
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
    Ok((
        b.u64(end64 + 32, "the zip64 end record")?,
        b.u64(end64 + 40, "the zip64 end record")?,
        b.u64(end64 + 48, "the zip64 end record")?,
    ))
}

/// Lists the entries of a zip archive, in central-directory order, after checking that no
/// two of them share bytes and that their declared sizes add up to at most `limit`.
pub(crate) fn read_directory(file: &[u8], limit: u64) -> Result<Vec<Entry>, Malformed> {
    let b = Bytes(file);
    let (count, dir_size, dir_start) = find_directory(&b)?;
    b.slice(dir_start, dir_size, "the central directory")?;
    if count > dir_size / CENTRAL_FIXED {
        return fail(
            dir_start,
            format!(
                "the end record promises {count} entries, more than the {dir_size}-byte \
                 central directory can hold"
            ),
        );
    }
    let mut entries = Vec::with_capacity(count as usize);
    let mut total = 0u64;
    let mut at = dir_start;
    for _ in 0..count {
        let (entry, next) = read_central_entry(&b, at)?;
        total = total.saturating_add(entry.size);
        if total > limit {
            return fail(
                at,
                format!(
                    "entry `{}` brings the uncompressed size of the entries to {total} bytes \
                     or more, over the limit of {limit} bytes (dlfs_data::MAX_WEIGHT_BYTES)",
                    entry.name
                ),
            );
        }
        entries.push(entry);
        at = next;
    }
    check_no_overlap(&entries)?;
    Ok(entries)
}

/// One central directory entry at `at`, and the offset of the next.
fn read_central_entry(b: &Bytes<'_>, at: u64) -> Result<(Entry, u64), Malformed> {
    const WHAT: &str = "a central directory entry";
    if b.u32(at, WHAT)? != CENTRAL {
        return fail(at, "bad central directory entry signature");
    }
    let flags = b.u16(at + 8, WHAT)?;
    let method = b.u16(at + 10, WHAT)?;
    let crc = b.u32(at + 16, WHAT)?;
    let mut packed = u64::from(b.u32(at + 20, WHAT)?);
    let mut size = u64::from(b.u32(at + 24, WHAT)?);
    let name_len = u64::from(b.u16(at + 28, WHAT)?);
    let extra_len = u64::from(b.u16(at + 30, WHAT)?);
    let comment_len = u64::from(b.u16(at + 32, WHAT)?);
    let mut local = u64::from(b.u32(at + 42, WHAT)?);
    let name_bytes = b.slice(at + CENTRAL_FIXED, name_len, "an entry name")?;
    let name = String::from_utf8_lossy(name_bytes).into_owned();
    // Zip64 extra field (id 1): the 64-bit values of whichever fields were 0xFFFFFFFF.
    let extra = b.slice(
        at + CENTRAL_FIXED + name_len,
        extra_len,
        "an entry's extra field",
    )?;
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
                    let Some(v) = values.next() else {
                        return fail(at, format!("entry `{name}`: zip64 extra field too short"));
                    };
                    *slot = v;
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
    b.slice(data_offset, packed, &format!("the data of entry `{name}`"))?;
    if method == 0 && packed != size {
        return fail(
            at,
            format!("stored entry `{name}`: sizes differ ({packed} vs {size})"),
        );
    }
    let entry = Entry {
        name,
        at,
        local,
        data_offset,
        method,
        crc,
        packed,
        size,
    };
    Ok((
        entry,
        at + CENTRAL_FIXED + name_len + extra_len + comment_len,
    ))
}

/// Refuses entries whose bytes (local header to end of data) overlap: in a real archive
/// each entry has its own.
fn check_no_overlap(entries: &[Entry]) -> Result<(), Malformed> {
    let mut spans: Vec<(u64, u64, &str)> = entries
        .iter()
        .map(|e| (e.local, e.data_offset + e.packed, e.name.as_str()))
        .collect();
    spans.sort_unstable();
    for pair in spans.windows(2) {
        let ((_, end, first), (start, _, second)) = (pair[0], pair[1]);
        if start < end {
            return fail(
                start,
                format!(
                    "entries `{first}` and `{second}` overlap (both use the bytes at {start}): \
                     each entry of a real archive has bytes of its own"
                ),
            );
        }
    }
    Ok(())
}

impl Entry {
    /// The entry's bytes, inflated if need be, CRC-checked. Inflating stops one byte past
    /// the declared size, and memory is reserved only for what the compressed bytes can
    /// make, so a lying size costs nothing.
    pub fn data<'a>(&self, file: &'a [u8]) -> Result<Cow<'a, [u8]>, Malformed> {
        let (name, size) = (&self.name, self.size);
        let raw = Bytes(file).slice(self.data_offset, self.packed, "entry data")?;
        let data = match self.method {
            0 => Cow::Borrowed(raw),
            8 => {
                // Deflate makes at most 1032 bytes of one (a 258-byte match in 2 bits).
                let most = self.packed.saturating_mul(1032).saturating_add(258);
                let mut out = Vec::with_capacity(size.min(most) as usize);
                // Read one byte past the promised size to notice a lying header.
                flate2::read::DeflateDecoder::new(raw)
                    .take(size.saturating_add(1))
                    .read_to_end(&mut out)
                    .map_err(|e| Malformed {
                        offset: self.data_offset,
                        reason: format!("entry `{name}`: corrupt deflate data ({e})"),
                    })?;
                if out.len() as u64 != size {
                    let more = if out.len() as u64 > size { " or more" } else { "" };
                    return fail(
                        self.data_offset,
                        format!(
                            "entry `{name}`: decompresses to {}{more} bytes, the directory says {size}",
                            out.len()
                        ),
                    );
                }
                Cow::Owned(out)
            }
            m => {
                return fail(
                    self.at,
                    format!("entry `{name}`: compression method {m} is not supported (only stored and deflate)"),
                )
            }
        };
        let mut hasher = flate2::Crc::new();
        hasher.update(&data);
        if hasher.sum() != self.crc {
            return fail(
                self.data_offset,
                format!(
                    "entry `{name}`: CRC-32 mismatch (directory says {:08x}, data has {:08x}): the file is damaged",
                    self.crc,
                    hasher.sum()
                ),
            );
        }
        Ok(data)
    }
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
        let back = read_directory(&zip, 5).unwrap();
        assert_eq!(back.len(), 2);
        let data = |k: usize| back[k].data(&zip).unwrap();
        assert_eq!((back[0].name.as_str(), &*data(0)), ("a.npy", &b"hello"[..]));
        assert_eq!((back[1].name.as_str(), &*data(1)), ("b.npy", &b""[..]));
        assert!(
            read_directory(&zip, 4).is_err(),
            "5 bytes in all, over a limit of 4"
        );
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
        let entries = read_directory(&zip, 5).unwrap();
        let err = entries[0].data(&zip).err().unwrap();
        assert!(err.reason.contains("CRC-32"), "{}", err.reason);
        assert_eq!(err.offset, 31);
    }
}
