//! Apps, rendering, drift (normalize, compare, attribute), sync plans, health.
pub mod cli;
pub mod drift;
pub mod health;
pub mod secret;
pub mod tracking;
