//! Downloads MNIST again into the data folder (or the folder given), from the mirror the
//! book's own code uses, and keeps the files only if they pass every check.
//!
//!     cargo run -p dlfs-data --features download --example download_mnist [DIR]

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = match std::env::args().nth(1) {
        Some(dir) => std::path::PathBuf::from(dir),
        None => dlfs_data::mnist_dir()?,
    };
    dlfs_data::download_mnist(&dir)?;
    println!("MNIST downloaded and checked in {}", dir.display());
    Ok(())
}
