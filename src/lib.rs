//! idc: a terminal UI for the administrators of AWS IAM Identity Center.
//!
//! Data flows one way: terminal events and worker messages go into `app::App::update`, which
//! changes state and returns effects; the worker runs effects against a `backend::Backend` on
//! tokio tasks and reports back with messages. The UI never awaits the network.

pub mod app;
pub mod audit;
pub mod backend;
pub mod cli;
pub mod clock;
pub mod model;
pub mod plan;
pub mod report;
pub mod runtime;
pub mod tui;
pub mod ui;
pub mod worker;
