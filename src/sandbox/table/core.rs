//! Printers of the core kinds, after the real server's columns.

use super::printers::Printer;
use super::{AGE, Column, NAME, age, col, joined};
use serde_json::{Value, json};

fn name(o: &Value) -> Value {
    o["metadata"]["name"].clone()
}

fn count(v: &Value) -> usize {
    v.as_object().map_or(0, |m| m.len())
}

fn or_none(v: &Value) -> Value {
    match v.as_str() {
        Some(s) if !s.is_empty() => json!(s),
        _ => json!("<none>"),
    }
}

/// `k=v,k2=v2` of a string map, or `<none>`.
pub fn labels(v: &Value) -> Value {
    joined(
        v.as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default())),
    )
}

pub const CONFIG_MAP: Printer = Printer {
    columns: &[
        NAME,
        col(
            "Data",
            "string",
            0,
            "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.",
        ),
        AGE,
    ],
    cells: |o| {
        vec![
            name(o),
            json!(count(&o["data"]) + count(&o["binaryData"])),
            age(o),
        ]
    },
};

pub const SECRET: Printer = Printer {
    columns: &[
        NAME,
        col(
            "Type",
            "string",
            0,
            "Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types",
        ),
        col(
            "Data",
            "string",
            0,
            "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4",
        ),
        AGE,
    ],
    cells: |o| vec![name(o), o["type"].clone(), json!(count(&o["data"])), age(o)],
};

fn service_ports(o: &Value) -> Value {
    let ports = o["spec"]["ports"].as_array().into_iter().flatten().map(|p| {
        let proto = p["protocol"].as_str().unwrap_or("TCP");
        match p["nodePort"].as_i64() {
            Some(np) => format!("{}:{np}/{proto}", p["port"]),
            None => format!("{}/{proto}", p["port"]),
        }
    });
    joined(ports)
}

fn external_ip(o: &Value) -> Value {
    let spec = &o["spec"];
    let mut ips: Vec<String> = spec["externalIPs"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i.as_str().map(str::to_string))
        .collect();
    match spec["type"].as_str() {
        Some("ExternalName") => return or_none(&spec["externalName"]),
        Some("LoadBalancer") => {
            ips.extend(
                o["status"]["loadBalancer"]["ingress"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|i| i["ip"].as_str().or(i["hostname"].as_str()).map(str::to_string)),
            );
            if ips.is_empty() {
                return json!("<pending>");
            }
        }
        _ => {}
    }
    joined(ips)
}

pub const SERVICE: Printer = Printer {
    columns: &[
        NAME,
        col(
            "Type",
            "string",
            0,
            "type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer.",
        ),
        col(
            "Cluster-IP",
            "string",
            0,
            "clusterIP is the IP address of the service and is usually assigned randomly.",
        ),
        col(
            "External-IP",
            "string",
            0,
            "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.",
        ),
        col(
            "Port(s)",
            "string",
            0,
            "The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies",
        ),
        AGE,
        col(
            "Selector",
            "string",
            1,
            "Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/",
        ),
    ],
    cells: |o| {
        let ip = match o["spec"]["clusterIP"].as_str() {
            Some(ip) if !ip.is_empty() => json!(ip),
            _ => json!("<none>"),
        };
        vec![
            name(o),
            o["spec"]["type"].clone(),
            ip,
            external_ip(o),
            service_ports(o),
            age(o),
            labels(&o["spec"]["selector"]),
        ]
    },
};

fn pod_status(o: &Value) -> String {
    if o["metadata"]["deletionTimestamp"].is_string() {
        return "Terminating".into();
    }
    let statuses = o["status"]["containerStatuses"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let waiting = statuses.iter().find_map(|c| {
        let st = &c["state"];
        st["waiting"]["reason"]
            .as_str()
            .or(st["terminated"]["reason"].as_str())
    });
    waiting
        .or(o["status"]["reason"].as_str())
        .or(o["status"]["phase"].as_str())
        .unwrap_or("Pending")
        .to_string()
}

pub const POD: Printer = Printer {
    columns: &[
        NAME,
        col(
            "Ready",
            "string",
            0,
            "The aggregate readiness state of this pod for accepting traffic.",
        ),
        col(
            "Status",
            "string",
            0,
            "The aggregate status of the containers in this pod.",
        ),
        col(
            "Restarts",
            "string",
            0,
            "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.",
        ),
        AGE,
        col(
            "IP",
            "string",
            1,
            "podIP is the IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.",
        ),
        col(
            "Node",
            "string",
            1,
            "NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName.",
        ),
        col(
            "Nominated Node",
            "string",
            1,
            "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.",
        ),
        col(
            "Readiness Gates",
            "string",
            1,
            "If specified, all readiness gates will be evaluated for pod readiness.",
        ),
    ],
    cells: |o| {
        let statuses = o["status"]["containerStatuses"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let total = o["spec"]["containers"].as_array().map_or(0, Vec::len);
        let ready = statuses.iter().filter(|c| c["ready"] == true).count();
        let restarts: i64 = statuses.iter().filter_map(|c| c["restartCount"].as_i64()).sum();
        let gates = o["spec"]["readinessGates"].as_array().map_or(0, Vec::len);
        let gates = if gates == 0 {
            json!("<none>")
        } else {
            json!(format!("0/{gates}"))
        };
        vec![
            name(o),
            json!(format!("{ready}/{total}")),
            json!(pod_status(o)),
            json!(restarts.to_string()),
            age(o),
            or_none(&o["status"]["podIP"]),
            or_none(&o["spec"]["nodeName"]),
            or_none(&o["status"]["nominatedNodeName"]),
            gates,
        ]
    },
};

pub const NAMESPACE: Printer = Printer {
    columns: &[
        NAME,
        col("Status", "string", 0, "The status of the namespace"),
        AGE,
    ],
    cells: |o| vec![name(o), o["status"]["phase"].clone(), age(o)],
};

pub const SERVICE_ACCOUNT: Printer = Printer {
    columns: &[
        NAME,
        col(
            "Secrets",
            "string",
            0,
            "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.",
        ),
        AGE,
    ],
    cells: |o| {
        vec![
            name(o),
            json!(o["secrets"].as_array().map_or(0, Vec::len)),
            age(o),
        ]
    },
};

pub const ENDPOINTS: Printer = Printer {
    columns: &[
        NAME,
        col(
            "Endpoints",
            "string",
            0,
            "Endpoints is the list of endpoints mapped to the service.",
        ),
        AGE,
    ],
    cells: |o| {
        let mut out = Vec::new();
        for s in o["subsets"].as_array().into_iter().flatten() {
            for a in s["addresses"].as_array().into_iter().flatten() {
                for p in s["ports"].as_array().into_iter().flatten() {
                    out.push(format!("{}:{}", a["ip"].as_str().unwrap_or_default(), p["port"]));
                }
            }
        }
        vec![name(o), joined(out), age(o)]
    },
};

pub const PVC: Printer = Printer {
    columns: &[
        NAME,
        col(
            "Status",
            "string",
            0,
            "phase represents the current phase of PersistentVolumeClaim.",
        ),
        col(
            "Volume",
            "string",
            0,
            "volumeName is the binding reference to the PersistentVolume backing this claim.",
        ),
        col(
            "Capacity",
            "string",
            0,
            "capacity represents the actual resources of the underlying volume.",
        ),
        col(
            "Access Modes",
            "string",
            0,
            "accessModes contains the desired access modes the volume should have.",
        ),
        col(
            "StorageClass",
            "string",
            0,
            "storageClassName is the name of the StorageClass required by the claim.",
        ),
        AGE,
        col(
            "VolumeMode",
            "string",
            1,
            "volumeMode defines what type of volume is required by the claim.",
        ),
    ],
    cells: |o| {
        let modes = o["status"]["accessModes"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|m| {
                match m.as_str().unwrap_or_default() {
                    "ReadWriteOnce" => "RWO",
                    "ReadOnlyMany" => "ROX",
                    "ReadWriteMany" => "RWX",
                    "ReadWriteOncePod" => "RWOP",
                    other => other,
                }
                .to_string()
            });
        let modes: Vec<String> = modes.collect();
        let storage = o["status"]["capacity"]["storage"].as_str().unwrap_or_default();
        vec![
            name(o),
            o["status"]["phase"].clone(),
            json!(o["spec"]["volumeName"].as_str().unwrap_or_default()),
            json!(storage),
            json!(modes.join(",")),
            json!(o["spec"]["storageClassName"].as_str().unwrap_or_default()),
            age(o),
            json!(o["spec"]["volumeMode"].as_str().unwrap_or("<unset>")),
        ]
    },
};

pub const EVENT: Printer = Printer {
    columns: &[
        col(
            "Last Seen",
            "string",
            0,
            "The time at which the most recent occurrence of this event was recorded.",
        ),
        col(
            "Type",
            "string",
            0,
            "Type of this event (Normal, Warning), new types could be added in the future.",
        ),
        col(
            "Reason",
            "string",
            0,
            "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
        ),
        col("Object", "string", 0, "The object that this event is about."),
        col(
            "Subobject",
            "string",
            1,
            "The subobject of the object this event is about.",
        ),
        col(
            "Source",
            "string",
            1,
            "The component reporting this event. Should be a short machine understandable string.",
        ),
        col(
            "Message",
            "string",
            0,
            "A human-readable description of the status of this operation.",
        ),
        col(
            "First Seen",
            "string",
            1,
            "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)",
        ),
        col(
            "Count",
            "string",
            1,
            "The number of times this event has occurred.",
        ),
        Column {
            format: "name",
            ..col("Name", "string", 1, super::NAME_DESCRIPTION)
        },
    ],
    cells: |o| {
        let since = |ts: &Value| {
            let mut v = o.clone();
            v["metadata"]["creationTimestamp"] = ts.clone();
            age(&v)
        };
        let last = if o["lastTimestamp"].is_string() {
            &o["lastTimestamp"]
        } else {
            &o["eventTime"]
        };
        let first = if o["firstTimestamp"].is_string() {
            &o["firstTimestamp"]
        } else {
            &o["eventTime"]
        };
        let io = &o["involvedObject"];
        let object = format!(
            "{}/{}",
            io["kind"].as_str().unwrap_or_default().to_lowercase(),
            io["name"].as_str().unwrap_or_default()
        );
        vec![
            since(last),
            o["type"].clone(),
            o["reason"].clone(),
            json!(object),
            json!(io["fieldPath"].as_str().unwrap_or_default()),
            json!(
                o["source"]["component"]
                    .as_str()
                    .or(o["reportingComponent"].as_str())
                    .unwrap_or_default()
            ),
            json!(o["message"].as_str().unwrap_or_default().trim()),
            since(first),
            json!(o["count"].as_i64().unwrap_or(1)),
            name(o),
        ]
    },
};
