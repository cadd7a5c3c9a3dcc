//! Apps, rendering, drift (normalize, compare, attribute), sync plans, health.
pub mod cli;
