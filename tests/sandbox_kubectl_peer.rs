//! The real kubectl, of several minor versions, against the sandbox where kubectl saw it
//! differ from a real kube-apiserver: taking objects over from client-side apply, strategic
//! merge patch directives, the `kubernetes` Service, OpenAPI documents (explain, validation),
//! ReplicaSets' Pods and `describe`, and `kubectl proxy`.

mod common;

#[path = "sandbox_kubectl_peer/csa.rs"]
mod csa;
#[path = "sandbox_kubectl_peer/openapi.rs"]
mod openapi;
#[path = "sandbox_kubectl_peer/proxy.rs"]
mod proxy;
#[path = "sandbox_kubectl_peer/smp.rs"]
mod smp;
#[path = "sandbox_kubectl_peer/support.rs"]
mod support;
#[path = "sandbox_kubectl_peer/system.rs"]
mod system;
#[path = "sandbox_kubectl_peer/workloads.rs"]
mod workloads;
