//! Finding the MNIST folder without the reader naming a path ([`mnist_dir`]).

use crate::error::MnistError;
use crate::mnist_file::MnistFile;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// The environment variable that points the loader at a data folder.
///
/// It may name the folder that *contains* `mnist/` (like this repository's `data/`), or the
/// folder holding the four MNIST files itself. See [`mnist_dir`].
///
/// ```
/// assert_eq!(dlfs_data::DATA_DIR_ENV, "DLFS_DATA_DIR");
/// ```
pub const DATA_DIR_ENV: &str = "DLFS_DATA_DIR";

/// Finds the folder holding the MNIST files, without the reader naming a path.
///
/// In this order:
/// 1. [`DATA_DIR_ENV`] (`DLFS_DATA_DIR`), if set: its `mnist/` subfolder if that exists, else
///    the folder itself if it holds `train-images-idx3-ubyte(.gz)`, else an error (a set but
///    wrong variable is never silently ignored);
/// 2. `data/mnist/` in the current directory or the nearest parent that has one (a notebook
///    runs in `notebooks/`, a test in `crates/dlfs-data/`);
/// 3. `data/mnist/` of the repository this crate was compiled from.
///
/// # Errors
/// [`MnistError::BadDataDirEnv`] or [`MnistError::DataDirNotFound`].
///
/// ```
/// # fn main() -> Result<(), dlfs_data::MnistError> {
/// let dir = dlfs_data::mnist_dir()?;
/// assert!(dir.ends_with("mnist"));
/// # Ok(())
/// # }
/// ```
pub fn mnist_dir() -> Result<PathBuf, MnistError> {
    let env = std::env::var_os(DATA_DIR_ENV);
    let cwd = std::env::current_dir().ok();
    let compiled = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/mnist");
    find_mnist_dir(env.as_deref(), cwd.as_deref(), &compiled)
}

pub(crate) fn find_mnist_dir(
    env: Option<&OsStr>,
    cwd: Option<&Path>,
    compiled: &Path,
) -> Result<PathBuf, MnistError> {
    if let Some(dir) = env.filter(|d| !d.is_empty()) {
        let dir = PathBuf::from(dir);
        let sub = dir.join("mnist");
        if sub.is_dir() {
            return Ok(sub);
        }
        let images = dir.join(MnistFile::TrainImages.name());
        if images.with_extension("gz").is_file() || images.is_file() {
            return Ok(dir);
        }
        return Err(MnistError::BadDataDirEnv { dir });
    }
    let mut searched = Vec::new();
    if let Some(cwd) = cwd {
        for dir in cwd.ancestors() {
            let candidate = dir.join("data").join("mnist");
            if candidate.is_dir() {
                return Ok(candidate);
            }
        }
        searched.push(format!("data/mnist/ in {} and its parents", cwd.display()));
    }
    if compiled.is_dir() {
        return Ok(compiled.to_path_buf());
    }
    searched.push(compiled.display().to_string());
    Err(MnistError::DataDirNotFound { searched })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_but_wrong_data_dir_variable_is_an_error_not_ignored() {
        let nowhere = Path::new("/definitely/not/here");
        let err = find_mnist_dir(Some(OsStr::new("/definitely/not/here")), None, nowhere);
        assert!(
            matches!(err, Err(MnistError::BadDataDirEnv { .. })),
            "{err:?}"
        );
    }

    #[test]
    fn data_dir_variable_may_name_the_parent_or_the_mnist_folder() {
        let repo_data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
        let nowhere = Path::new("/definitely/not/here");
        let via_parent = find_mnist_dir(Some(repo_data.as_os_str()), None, nowhere).unwrap();
        let mnist = repo_data.join("mnist");
        let via_itself = find_mnist_dir(Some(mnist.as_os_str()), None, nowhere).unwrap();
        assert_eq!(via_parent, mnist);
        assert_eq!(via_itself, mnist);
    }

    #[test]
    fn walks_up_from_the_current_directory() {
        let notebooks = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../notebooks/deeper");
        let nowhere = Path::new("/definitely/not/here");
        let found = find_mnist_dir(None, Some(&notebooks), nowhere).unwrap();
        assert!(found.ends_with("data/mnist"), "{}", found.display());
        assert!(found.join("train-images-idx3-ubyte.gz").is_file());
    }

    #[test]
    fn nothing_found_lists_where_it_looked() {
        let err = find_mnist_dir(None, Some(Path::new("/")), Path::new("/not/here")).unwrap_err();
        let message = err.to_string();
        assert!(message.contains("/not/here"), "{message}");
        assert!(message.contains("DLFS_DATA_DIR"), "{message}");
    }
}
