//! temp
#![warn(missing_docs)]

mod chart;
mod figure;
mod gate;
mod line;
mod style;
mod surface;

pub use chart::{Area, Chart, DrawResult, Number};
pub use dlfs::ndarray;
pub use figure::{Figure, Subplots};
pub use gate::GatePlot;
pub use line::LinePlot;
pub use plotters;
pub use surface::SurfacePlot;
