//! Printers of the workload kinds (apps, batch, autoscaling, policy) and
//! ReplicationControllers, after the real server's columns (Deployment's as recorded).

use super::printers::Printer;
use super::{AGE, NAME, age, col};
use serde_json::{Value, json};

fn name(o: &Value) -> Value {
    o["metadata"]["name"].clone()
}

fn int(v: &Value) -> i64 {
    v.as_i64().unwrap_or(0)
}

/// `metav1.FormatLabelSelector`: `app=web,tier in (a,b)`, or `<none>`.
pub fn selector(sel: &Value) -> Value {
    let mut parts: Vec<(String, String)> = sel["matchLabels"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), format!("{k}={}", v.as_str().unwrap_or_default())))
        .collect();
    for e in sel["matchExpressions"].as_array().into_iter().flatten() {
        let key = e["key"].as_str().unwrap_or_default().to_string();
        let values: Vec<&str> = e["values"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let text = match e["operator"].as_str().unwrap_or_default() {
            "In" => format!("{key} in ({})", values.join(",")),
            "NotIn" => format!("{key} notin ({})", values.join(",")),
            "Exists" => key.clone(),
            "DoesNotExist" => format!("!{key}"),
            op => format!("{key} {op}"),
        };
        parts.push((key, text));
    }
    parts.sort();
    if parts.is_empty() {
        return json!("<none>");
    }
    json!(parts.into_iter().map(|(_, t)| t).collect::<Vec<_>>().join(","))
}

/// The Containers and Images cells of a pod template.
fn containers(template: &Value) -> [Value; 2] {
    let cs = template["spec"]["containers"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let field = |k: &str| {
        json!(
            cs.iter()
                .map(|c| c[k].as_str().unwrap_or_default())
                .collect::<Vec<_>>()
                .join(",")
        )
    };
    [field("name"), field("image")]
}

const CONTAINERS_DESCRIPTION: &str = "Names of each container in the template.";
const IMAGES_DESCRIPTION: &str = "Images referenced by each container in the template.";

pub const DEPLOYMENT: Printer = Printer {
    columns: &[
        NAME,
        col("Ready", "string", 0, "Number of the pod with ready state"),
        col(
            "Up-to-date",
            "string",
            0,
            "Total number of non-terminated pods targeted by this deployment that have the desired template spec.",
        ),
        col(
            "Available",
            "string",
            0,
            "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.",
        ),
        AGE,
        col("Containers", "string", 1, CONTAINERS_DESCRIPTION),
        col("Images", "string", 1, IMAGES_DESCRIPTION),
        col(
            "Selector",
            "string",
            1,
            "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.",
        ),
    ],
    cells: |o| {
        let s = &o["status"];
        let [c, i] = containers(&o["spec"]["template"]);
        vec![
            name(o),
            json!(format!(
                "{}/{}",
                int(&s["readyReplicas"]),
                int(&o["spec"]["replicas"])
            )),
            json!(int(&s["updatedReplicas"])),
            json!(int(&s["availableReplicas"])),
            age(o),
            c,
            i,
            selector(&o["spec"]["selector"]),
        ]
    },
};

fn replicas_cells(o: &Value, sel: Value) -> Vec<Value> {
    let s = &o["status"];
    let [c, i] = containers(&o["spec"]["template"]);
    vec![
        name(o),
        json!(int(&o["spec"]["replicas"])),
        json!(int(&s["replicas"])),
        json!(int(&s["readyReplicas"])),
        age(o),
        c,
        i,
        sel,
    ]
}

pub const REPLICA_SET: Printer = Printer {
    columns: &[
        NAME,
        col(
            "Desired",
            "integer",
            0,
            "Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1.",
        ),
        col(
            "Current",
            "integer",
            0,
            "Replicas is the most recently observed number of replicas.",
        ),
        col(
            "Ready",
            "integer",
            0,
            "readyReplicas is the number of pods targeted by this ReplicaSet with a Ready Condition.",
        ),
        AGE,
        col("Containers", "string", 1, CONTAINERS_DESCRIPTION),
        col("Images", "string", 1, IMAGES_DESCRIPTION),
        col(
            "Selector",
            "string",
            1,
            "Selector is a label query over pods that should match the replica count.",
        ),
    ],
    cells: |o| replicas_cells(o, selector(&o["spec"]["selector"])),
};

pub const REPLICATION_CONTROLLER: Printer = Printer {
    columns: REPLICA_SET.columns,
    cells: |o| replicas_cells(o, super::core::labels(&o["spec"]["selector"])),
};

pub const STATEFUL_SET: Printer = Printer {
    columns: &[
        NAME,
        col("Ready", "string", 0, "Number of the pod with ready state"),
        AGE,
        col("Containers", "string", 1, CONTAINERS_DESCRIPTION),
        col("Images", "string", 1, IMAGES_DESCRIPTION),
    ],
    cells: |o| {
        let [c, i] = containers(&o["spec"]["template"]);
        let ready = format!(
            "{}/{}",
            int(&o["status"]["readyReplicas"]),
            int(&o["spec"]["replicas"])
        );
        vec![name(o), json!(ready), age(o), c, i]
    },
};

pub const DAEMON_SET: Printer = Printer {
    columns: &[
        NAME,
        col(
            "Desired",
            "integer",
            0,
            "The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).",
        ),
        col(
            "Current",
            "integer",
            0,
            "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.",
        ),
        col(
            "Ready",
            "integer",
            0,
            "numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.",
        ),
        col(
            "Up-to-date",
            "integer",
            0,
            "The total number of nodes that are running updated daemon pod",
        ),
        col(
            "Available",
            "integer",
            0,
            "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)",
        ),
        col(
            "Node Selector",
            "string",
            0,
            "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node.",
        ),
        AGE,
        col("Containers", "string", 1, CONTAINERS_DESCRIPTION),
        col("Images", "string", 1, IMAGES_DESCRIPTION),
        col(
            "Selector",
            "string",
            1,
            "A label query over pods that are managed by the daemon set. Must match in order to be controlled.",
        ),
    ],
    cells: |o| {
        let s = &o["status"];
        let [c, i] = containers(&o["spec"]["template"]);
        vec![
            name(o),
            json!(int(&s["desiredNumberScheduled"])),
            json!(int(&s["currentNumberScheduled"])),
            json!(int(&s["numberReady"])),
            json!(int(&s["updatedNumberScheduled"])),
            json!(int(&s["numberAvailable"])),
            super::core::labels(&o["spec"]["template"]["spec"]["nodeSelector"]),
            age(o),
            c,
            i,
            selector(&o["spec"]["selector"]),
        ]
    },
};

pub const JOB: Printer = Printer {
    columns: &[
        NAME,
        col(
            "Completions",
            "string",
            0,
            "The desired number of successfully finished pods the job should be run with.",
        ),
        col("Duration", "string", 0, "Time required to complete the job."),
        AGE,
        col("Containers", "string", 1, CONTAINERS_DESCRIPTION),
        col("Images", "string", 1, IMAGES_DESCRIPTION),
        col(
            "Selector",
            "string",
            1,
            "A label query over pods that should match the pod count.",
        ),
    ],
    cells: |o| {
        let [c, i] = containers(&o["spec"]["template"]);
        let completions = match o["spec"]["completions"].as_i64() {
            Some(n) => format!("{}/{n}", int(&o["status"]["succeeded"])),
            None => format!(
                "{}/1 of {}",
                int(&o["status"]["succeeded"]),
                int(&o["spec"]["parallelism"]).max(1)
            ),
        };
        let start = o["status"]["startTime"]
            .as_str()
            .and_then(crate::sandbox::clock::parse);
        let end = o["status"]["completionTime"]
            .as_str()
            .and_then(crate::sandbox::clock::parse)
            .unwrap_or_else(crate::sandbox::clock::unix_now);
        let duration = start.map_or(String::new(), |s| super::human_duration(end - s));
        vec![
            name(o),
            json!(completions),
            json!(duration),
            age(o),
            c,
            i,
            selector(&o["spec"]["selector"]),
        ]
    },
};

pub const CRON_JOB: Printer = Printer {
    columns: &[
        NAME,
        col(
            "Schedule",
            "string",
            0,
            "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.",
        ),
        col(
            "Timezone",
            "string",
            0,
            "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.",
        ),
        col(
            "Suspend",
            "boolean",
            0,
            "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.",
        ),
        col(
            "Active",
            "integer",
            0,
            "A list of pointers to currently running jobs.",
        ),
        col(
            "Last Schedule",
            "string",
            0,
            "Information when was the last time the job was successfully scheduled.",
        ),
        AGE,
        col("Containers", "string", 1, CONTAINERS_DESCRIPTION),
        col("Images", "string", 1, IMAGES_DESCRIPTION),
        col(
            "Selector",
            "string",
            1,
            "A label query over pods that should match the pod count.",
        ),
    ],
    cells: |o| {
        let template = &o["spec"]["jobTemplate"]["spec"]["template"];
        let [c, i] = containers(template);
        let last = match &o["status"]["lastScheduleTime"] {
            Value::String(_) => {
                let mut v = o.clone();
                v["metadata"]["creationTimestamp"] = o["status"]["lastScheduleTime"].clone();
                age(&v)
            }
            _ => json!("<none>"),
        };
        vec![
            name(o),
            o["spec"]["schedule"].clone(),
            json!(o["spec"]["timeZone"].as_str().unwrap_or("<none>")),
            json!(o["spec"]["suspend"].as_bool().unwrap_or(false)),
            json!(o["status"]["active"].as_array().map_or(0, Vec::len)),
            last,
            age(o),
            c,
            i,
            selector(&o["spec"]["jobTemplate"]["spec"]["selector"]),
        ]
    },
};

fn hpa_targets(o: &Value) -> String {
    let metrics = o["spec"]["metrics"].as_array().cloned().unwrap_or_default();
    if metrics.is_empty() {
        return "<none>".into();
    }
    let parts: Vec<String> = metrics
        .iter()
        .map(|m| {
            let t = match m["type"].as_str().unwrap_or_default() {
                "Resource" => &m["resource"]["target"],
                "ContainerResource" => &m["containerResource"]["target"],
                "Pods" => &m["pods"]["target"],
                "Object" => &m["object"]["target"],
                _ => &m["external"]["target"],
            };
            let want = match (t["averageUtilization"].as_i64(), &t["averageValue"], &t["value"]) {
                (Some(u), _, _) => format!("{u}%"),
                (None, Value::String(v), _) | (None, _, Value::String(v)) => v.clone(),
                _ => "<unknown>".into(),
            };
            format!("<unknown>/{want}")
        })
        .collect();
    parts.join(", ")
}

pub const HPA: Printer = Printer {
    columns: &[
        NAME,
        col(
            "Reference",
            "string",
            0,
            "reference to scaled resource; horizontal pod autoscaler will learn the current resource consumption and will set the desired number of pods by using its Scale subresource.",
        ),
        col(
            "Targets",
            "string",
            0,
            "metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).",
        ),
        col(
            "MinPods",
            "string",
            0,
            "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.",
        ),
        col(
            "MaxPods",
            "integer",
            0,
            "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas.",
        ),
        col(
            "Replicas",
            "integer",
            0,
            "currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.",
        ),
        AGE,
    ],
    cells: |o| {
        let r = &o["spec"]["scaleTargetRef"];
        let reference = format!(
            "{}/{}",
            r["kind"].as_str().unwrap_or_default(),
            r["name"].as_str().unwrap_or_default()
        );
        let min = o["spec"]["minReplicas"]
            .as_i64()
            .map_or("<unset>".to_string(), |m| m.to_string());
        vec![
            name(o),
            json!(reference),
            json!(hpa_targets(o)),
            json!(min),
            json!(int(&o["spec"]["maxReplicas"])),
            json!(int(&o["status"]["currentReplicas"])),
            age(o),
        ]
    },
};

pub const PDB: Printer = Printer {
    columns: &[
        NAME,
        col(
            "Min Available",
            "string",
            0,
            "The minimum number of pods that must be available simultaneously.  This can be either an integer or a string specifying a percentage, e.g. \"28%\".",
        ),
        col(
            "Max Unavailable",
            "string",
            0,
            "The maximum number of pods that may be unavailable simultaneously.  This can be either an integer or a string specifying a percentage, e.g. \"28%\".",
        ),
        col(
            "Allowed Disruptions",
            "integer",
            0,
            "Calculated number of pods that may be disrupted at this time.",
        ),
        AGE,
    ],
    cells: |o| {
        let text = |v: &Value| match v {
            Value::Number(n) => json!(n.to_string()),
            Value::String(s) => json!(s),
            _ => json!("N/A"),
        };
        vec![
            name(o),
            text(&o["spec"]["minAvailable"]),
            text(&o["spec"]["maxUnavailable"]),
            json!(int(&o["status"]["disruptionsAllowed"])),
            age(o),
        ]
    },
};
