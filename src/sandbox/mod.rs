//! The in-process Kubernetes API server used by tests, `sextant sandbox` and the demo.
pub mod cli;
