//! Sextant: a terminal cockpit for GitOps on Kubernetes.
//!
//! The engine (`git`, `kube`, `gitops`, `gate`, `forge`, `sandbox`) knows nothing of the UI;
//! the UI (`ui`, driven by `app`) knows nothing of IO.

pub mod app;
pub mod cmd;
pub mod config;
pub mod demo;
pub mod diff;
pub mod forge;
pub mod gate;
pub mod git;
pub mod gitops;
pub mod kube;
pub mod logging;
pub mod sandbox;
pub mod time;
pub mod ui;
pub mod yaml;

/// Install the one rustls crypto provider used by kube, the sandbox and gix's HTTP
/// transport. Mixing providers panics, so this runs before any TLS is set up.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
}

// The sandbox and the engine allocate many small JSON values across threads; mimalloc
// measurably beats glibc's allocator there (see benches/sandbox.rs). Built without its
// transparent-huge-page advice (`no_thp`): with it, every touched 2 MiB region became resident
// and the engine watching 10,000 objects peaked near 110 MB instead of 80 (benches/drift.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
