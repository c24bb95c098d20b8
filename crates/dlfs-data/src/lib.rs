pub use dlfs::ndarray;
