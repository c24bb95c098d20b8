//! What the examples that write a directory of PNGs share.

use std::error::Error;
use std::path::{Path, PathBuf};

use dlfs_plot::Chart;

/// The directory given as the first argument (`default` without one), created if missing.
pub fn out_dir(default: &str) -> Result<PathBuf, Box<dyn Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| default.into()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Renders `chart` into `dir/name` and prints the path, the size and the PNG's length.
pub fn save(dir: &Path, name: &str, chart: &dyn Chart) -> Result<(), Box<dyn Error>> {
    let fig = chart.render();
    let path = dir.join(name);
    fig.save(&path)?;
    println!(
        "{}: {}x{}, {} bytes",
        path.display(),
        fig.width(),
        fig.height(),
        fig.png_bytes().len()
    );
    Ok(())
}
