//! `/metrics`: the API server's Prometheus text exposition, reduced to the stable gauge of
//! stored objects per resource (`kubectl proxy` users and its tests read it), for admins only.

use super::store::Store;
use std::fmt::Write;

pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

pub fn text(store: &Store) -> String {
    let mut out = String::from(
        "# HELP apiserver_storage_objects [STABLE] Number of stored objects at the time of last check split by kind.\n# TYPE apiserver_storage_objects gauge\n",
    );
    for (group, resource, n) in store.counts() {
        let name = if group.is_empty() {
            resource
        } else {
            format!("{resource}.{group}")
        };
        let _ = writeln!(out, "apiserver_storage_objects{{resource=\"{name}\"}} {n}");
    }
    out
}
