//! Apps, rendering, drift (normalize, compare, attribute), sync plans, health.
pub mod actions;
pub mod apps;
pub mod audit;
pub mod drift;
pub mod engine;
pub mod health;
pub mod operators;
pub mod render;
pub mod render_tools;
pub mod secret;
pub mod sync;
pub mod tracking;
pub mod words;
