//! Service defaults and allocation: ClusterIP (kept across updates), NodePorts (kept per
//! port, only reserved outside dry-run), port protocol and targetPort, traffic policies.

use super::{Ctx, ensure_obj, set};
use serde_json::{Map, Value, json};

pub fn defaults(o: &mut Map<String, Value>, ctx: &mut Ctx) {
    let old_spec = ctx.old.and_then(|o| o.get("spec")).cloned().unwrap_or(json!({}));
    let spec = ensure_obj(o, "spec");
    set(spec, "type", json!("ClusterIP"));
    let kind = spec
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("ClusterIP")
        .to_string();
    let node_ports = kind == "NodePort" || kind == "LoadBalancer";
    if let Some(Value::Array(ports)) = spec.get_mut("ports") {
        for p in ports.iter_mut().filter_map(Value::as_object_mut) {
            set(p, "protocol", json!("TCP"));
            if let Some(port) = p.get("port").cloned() {
                set(p, "targetPort", port);
            }
            if node_ports && p.get("nodePort").is_none_or(Value::is_null) {
                let port = match previous_node_port(&old_spec, p) {
                    Some(np) => np,
                    None => json!(ctx.store.allocate_node_port(!ctx.dry_run)),
                };
                p.insert("nodePort".into(), port);
            }
        }
    }
    set(spec, "sessionAffinity", json!("None"));
    if kind != "ExternalName" {
        if spec.get("clusterIP").is_none_or(|v| v.is_null() || v == "") {
            let ip = match old_spec.get("clusterIP") {
                Some(ip) if !ip.is_null() => ip.clone(),
                _ => json!(ctx.store.allocate_ip()),
            };
            spec.insert("clusterIP".into(), ip);
        }
        let ip = spec.get("clusterIP").cloned().unwrap_or(json!(""));
        set(spec, "clusterIPs", json!([ip]));
        set(spec, "ipFamilies", json!(["IPv4"]));
        set(spec, "ipFamilyPolicy", json!("SingleStack"));
        set(spec, "internalTrafficPolicy", json!("Cluster"));
    }
    if node_ports {
        set(spec, "externalTrafficPolicy", json!("Cluster"));
    }
}

/// The nodePort an earlier version gave the same (port, protocol).
fn previous_node_port(old_spec: &Value, port: &Map<String, Value>) -> Option<Value> {
    let protocol = port.get("protocol").cloned().unwrap_or(json!("TCP"));
    old_spec["ports"].as_array()?.iter().find_map(|p| {
        let same = p.get("port") == port.get("port")
            && p.get("protocol").cloned().unwrap_or(json!("TCP")) == protocol;
        if same {
            p.get("nodePort").filter(|v| !v.is_null()).cloned()
        } else {
            None
        }
    })
}
