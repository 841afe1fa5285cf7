//! Background work: loading the directory with progress, reporting back over messages.

pub mod apply;
pub mod loader;
mod progress;

pub use progress::{LoadEvent, LoadProgress, LoadSummary, Stage};
