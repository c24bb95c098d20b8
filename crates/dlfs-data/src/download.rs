//! Downloading MNIST again (cargo feature `download`), for readers who deleted or replaced
//! the committed files in `data/mnist/`.

use crate::error::MnistError;
use crate::mnist::load_mnist_raw_from;
use crate::mnist_file::MnistFile;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The mirror the book's current `dataset/mnist.py` downloads from (the original site began
/// answering 403).
pub const MIRROR: &str = "https://ossci-datasets.s3.amazonaws.com/mnist/";

/// The largest file accepted from the network: the training images are about 9.9 MB.
const MAX_DOWNLOAD: u64 = 64 * 1024 * 1024;

/// Downloads the four MNIST files from [`MIRROR`] into `dir` (e.g. `data/mnist/`).
///
/// See [`download_mnist_from`].
///
/// # Errors
/// As [`download_mnist_from`].
///
/// ```no_run
/// // Restores data/mnist/ after the files were deleted or damaged.
/// dlfs_data::download_mnist("data/mnist")?;
/// # Ok::<(), dlfs_data::MnistError>(())
/// ```
pub fn download_mnist(dir: impl AsRef<Path>) -> Result<(), MnistError> {
    download_mnist_from(MIRROR, dir)
}

/// Downloads `<base_url><name>.gz` for the four MNIST files into `dir`, printing a progress
/// line per tenth of each file, and keeps them only if they pass every check
/// [`load_mnist`](crate::load_mnist) makes (IDX structure, counts, and the pinned SHA-256 of
/// the decompressed bytes).
///
/// The files are first written to `dir/.download/`; the files already in `dir` are replaced
/// only after all four new ones have passed, so a failed or interrupted download loses
/// nothing.
///
/// # Errors
/// [`MnistError::Download`] when a request fails or a file is too large, [`MnistError::Io`]
/// when writing fails, and the check's own error (for example [`MnistError::Checksum`]) when
/// a downloaded file is not the expected one.
///
/// ```no_run
/// dlfs_data::download_mnist_from("http://127.0.0.1:8000/", "data/mnist")?;
/// # Ok::<(), dlfs_data::MnistError>(())
/// ```
pub fn download_mnist_from(base_url: &str, dir: impl AsRef<Path>) -> Result<(), MnistError> {
    let dir = dir.as_ref();
    let staging = dir.join(".download");
    fs::create_dir_all(&staging).map_err(|e| io_error(&staging, e))?;
    let result = fetch_all(base_url, &staging).and_then(|()| load_mnist_raw_from(&staging));
    if let Err(e) = result {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    for file in MnistFile::ALL {
        let name = file.name();
        let file = format!("{name}.gz");
        let target = dir.join(&file);
        fs::rename(staging.join(&file), &target).map_err(|e| io_error(&target, e))?;
        // an uncompressed copy of the same name would be read instead of the new file
        let _ = fs::remove_file(dir.join(name));
    }
    fs::remove_dir_all(&staging).map_err(|e| io_error(&staging, e))?;
    Ok(())
}

fn fetch_all(base_url: &str, staging: &Path) -> Result<(), MnistError> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(600)))
        .build()
        .into();
    for file in MnistFile::ALL {
        let name = file.name();
        let url = format!("{base_url}{name}.gz");
        fetch(&agent, &url, &staging.join(format!("{name}.gz")))?;
    }
    Ok(())
}

fn fetch(agent: &ureq::Agent, url: &str, path: &Path) -> Result<(), MnistError> {
    let failed = |reason: String| MnistError::Download {
        url: url.to_string(),
        reason,
    };
    let mut response = agent.get(url).call().map_err(|e| failed(e.to_string()))?;
    let total: Option<u64> = response
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    if total.is_some_and(|t| t > MAX_DOWNLOAD) {
        return Err(failed(format!(
            "the server announces {} bytes, more than MNIST",
            total.unwrap_or(0)
        )));
    }
    let mut reader = response
        .body_mut()
        .with_config()
        .limit(MAX_DOWNLOAD)
        .reader();
    let mut out = fs::File::create(path).map_err(|e| io_error(path, e))?;
    let mut buf = vec![0u8; 64 * 1024];
    let (mut done, mut shown) = (0u64, 0u64);
    eprintln!("downloading {url}");
    loop {
        let n = reader.read(&mut buf).map_err(|e| failed(e.to_string()))?;
        if n == 0 {
            break;
        }
        out.write_all(&buf[..n]).map_err(|e| io_error(path, e))?;
        done += n as u64;
        if let Some(total) = total.filter(|&t| t > 0) {
            let tenth = done * 10 / total;
            if tenth > shown {
                shown = tenth;
                let bar: String = (0..10).map(|k| if k < tenth { '#' } else { '.' }).collect();
                eprintln!(
                    "  [{bar}] {:>3}% of {:.1} MB",
                    tenth * 10,
                    total as f64 / 1e6
                );
            }
        }
    }
    if total.is_none() {
        eprintln!("  {:.1} MB", done as f64 / 1e6);
    }
    out.flush().map_err(|e| io_error(path, e))
}

fn io_error(path: &Path, source: std::io::Error) -> MnistError {
    MnistError::Io {
        path: PathBuf::from(path),
        source,
    }
}
