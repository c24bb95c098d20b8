//! temp
#![warn(missing_docs)]

mod chart;
mod figure;
mod line;
mod style;

pub use chart::{Area, Chart, DrawResult, Number};
pub use dlfs::ndarray;
pub use figure::{Figure, Subplots};
pub use line::LinePlot;
pub use plotters;
