//! Printers of kinds of the smaller API groups: networking (Ingress, NetworkPolicy), RBAC
//! bindings, scheduling (PriorityClass) and coordination (Lease).

use super::printers::Printer;
use super::{AGE, NAME, age, col};
use serde_json::{Value, json};

fn name(o: &Value) -> Value {
    o["metadata"]["name"].clone()
}

pub const INGRESS: Printer = Printer {
    columns: &[
        NAME,
        col("Class", "string", 0, "The name of the IngressClass resource."),
        col(
            "Hosts",
            "string",
            0,
            "Hosts that incoming requests are matched against before the ingress rule",
        ),
        col(
            "Address",
            "string",
            0,
            "Address is a list containing ingress points for the load-balancer",
        ),
        col("Ports", "string", 0, "Ports of TLS configurations that open"),
        AGE,
    ],
    cells: |o| {
        let hosts = o["spec"]["rules"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| r["host"].as_str().unwrap_or("*").to_string());
        let hosts: Vec<String> = hosts.collect();
        let hosts = if hosts.is_empty() {
            json!("*")
        } else {
            json!(hosts.join(","))
        };
        let ports = if o["spec"]["tls"].as_array().is_some_and(|t| !t.is_empty()) {
            "80, 443"
        } else {
            "80"
        };
        let address = o["status"]["loadBalancer"]["ingress"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|i| i["ip"].as_str().or(i["hostname"].as_str()).map(str::to_string));
        let address: Vec<String> = address.collect();
        vec![
            name(o),
            json!(o["spec"]["ingressClassName"].as_str().unwrap_or("<none>")),
            hosts,
            json!(address.join(",")),
            json!(ports),
            age(o),
        ]
    },
};

pub const NETWORK_POLICY: Printer = Printer {
    columns: &[
        NAME,
        col(
            "Pod-Selector",
            "string",
            0,
            "Selects the pods to which this NetworkPolicy object applies.",
        ),
        AGE,
    ],
    cells: |o| {
        let sel = &o["spec"]["podSelector"];
        let mut parts: Vec<String> = sel["matchLabels"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
            .collect();
        for e in sel["matchExpressions"].as_array().into_iter().flatten() {
            parts.push(format!(
                "{} {}",
                e["key"].as_str().unwrap_or_default(),
                e["operator"].as_str().unwrap_or_default().to_lowercase()
            ));
        }
        let text = if parts.is_empty() {
            "<none>".to_string()
        } else {
            parts.join(",")
        };
        vec![name(o), json!(text), age(o)]
    },
};

fn subjects(o: &Value, kind: &str) -> Value {
    let names = o["subjects"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|s| s["kind"] == kind)
        .map(|s| match (kind, s["namespace"].as_str()) {
            ("ServiceAccount", Some(ns)) => format!("{ns}/{}", s["name"].as_str().unwrap_or_default()),
            _ => s["name"].as_str().unwrap_or_default().to_string(),
        });
    json!(names.collect::<Vec<_>>().join(", "))
}

pub const ROLE_BINDING: Printer = Printer {
    columns: &[
        NAME,
        col(
            "Role",
            "string",
            0,
            "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.",
        ),
        AGE,
        col("Users", "string", 1, "Users in the binding"),
        col("Groups", "string", 1, "Groups in the binding"),
        col("ServiceAccounts", "string", 1, "ServiceAccounts in the binding"),
    ],
    cells: |o| {
        let role = format!(
            "{}/{}",
            o["roleRef"]["kind"].as_str().unwrap_or_default(),
            o["roleRef"]["name"].as_str().unwrap_or_default()
        );
        vec![
            name(o),
            json!(role),
            age(o),
            subjects(o, "User"),
            subjects(o, "Group"),
            subjects(o, "ServiceAccount"),
        ]
    },
};

pub const PRIORITY_CLASS: Printer = Printer {
    columns: &[
        NAME,
        col(
            "Value",
            "integer",
            0,
            "The value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.",
        ),
        col(
            "Global-Default",
            "boolean",
            0,
            "globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class.",
        ),
        AGE,
    ],
    cells: |o| {
        vec![
            name(o),
            json!(o["value"].as_i64().unwrap_or(0)),
            json!(o["globalDefault"].as_bool().unwrap_or(false)),
            age(o),
        ]
    },
};

pub const LEASE: Printer = Printer {
    columns: &[NAME, col("Holder", "string", 0, "The holder of the lease"), AGE],
    cells: |o| {
        vec![
            name(o),
            json!(o["spec"]["holderIdentity"].as_str().unwrap_or_default()),
            age(o),
        ]
    },
};
