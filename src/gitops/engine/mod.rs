//! The live drift engine: renders every app at a revision, watches its clusters, and
//! streams [`EngineEvent`]s with per-(app, cluster) reports. It never draws.

pub mod compare;
pub mod report;

pub use report::{AppReport, Counts, EngineEvent, ObjectReport, SyncStatus, VerdictPath};
