//! LoadBalancer Services and Ingresses: healthy once the load balancer has an address.

use super::fields::Obj;
use super::{Rule, healthy, progressing};
use serde_json::Value;

pub fn service(o: Obj) -> Rule {
    let kind = o.text("/spec/type")?;
    if kind != "LoadBalancer" {
        return Ok(healthy(""));
    }
    Ok(match address(o)? {
        Some(at) => healthy(format!("load balancer at {at}")),
        None => progressing("waiting for a load balancer address"),
    })
}

pub fn ingress(o: Obj) -> Rule {
    Ok(match address(o)? {
        Some(at) => healthy(format!("address {at}")),
        None => progressing("waiting for an address"),
    })
}

/// The first address in `status.loadBalancer.ingress` (an IP or a host name); `Some("")`
/// for an entry that names neither, `None` for none.
fn address(o: Obj) -> super::fields::Read<Option<String>> {
    let list = o.list("/status/loadBalancer/ingress")?;
    Ok(list.first().map(|entry| {
        ["ip", "hostname"]
            .iter()
            .find_map(|k| entry.get(*k).and_then(Value::as_str))
            .unwrap_or_default()
            .to_string()
    }))
}
