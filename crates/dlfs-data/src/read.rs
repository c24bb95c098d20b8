//! Reading a whole file with a size limit, telling a missing file apart from a directory
//! or a broken link in its place. The MNIST and weight readers turn [`ReadError`] into
//! their own error, with the path.

use std::io::Read;
use std::path::Path;

pub(crate) enum ReadError {
    /// Nothing at all is at the path.
    Missing,
    /// Something other than a regular file is there.
    NotAFile(&'static str),
    /// The file has more bytes than the limit; it was not read past it.
    TooLarge,
    /// Any other failure, e.g. a loop of symbolic links, or no permission.
    Io(std::io::Error),
}

/// Whether a regular file is at `path`. A directory, device or broken link is
/// [`ReadError::NotAFile`], a loop of links the system's own [`ReadError::Io`].
pub(crate) fn check_is_file(path: &Path) -> Result<u64, ReadError> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => Ok(m.len()),
        Ok(m) if m.is_dir() => Err(ReadError::NotAFile("a directory")),
        Ok(_) => Err(ReadError::NotAFile(
            "something that is not a regular file (a device, pipe or socket)",
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if std::fs::symlink_metadata(path).is_ok() {
                Err(ReadError::NotAFile("a symbolic link to nothing"))
            } else {
                Err(ReadError::Missing)
            }
        }
        Err(e) => Err(ReadError::Io(e)),
    }
}

/// The bytes of the regular file at `path`, refused with [`ReadError::TooLarge`] if it has
/// more than `limit` bytes. At most `limit + 1` bytes are ever read, even if the file
/// grows while it is read.
pub(crate) fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let len = check_is_file(path)?;
    if len > limit {
        return Err(ReadError::TooLarge);
    }
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge);
    }
    Ok(bytes)
}
