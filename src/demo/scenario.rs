//! The demo's story, as plain data: a config repo's history (five commits by three people over
//! three days) and what each cluster runs, including the out-of-band changes an SRE meets on
//! a normal day. `demo::run` turns it into a real Git repo and real sandbox clusters.

/// The incident: a commit that ships an image tag the registry does not have.
pub const BAD_IMAGE: &str = "ghcr.io/example/payments-api:2.4.0";
/// The cluster whose delivery pipeline deploys `main` on every push (the others wait for a
/// sync): the bad commit reaches it by itself.
pub const CD_CLUSTER: &str = "prod-eu";

/// Apps and the clusters they target, as `sextant.yaml` says.
pub const APPS_FILE: &str = "\
# Apps of the demo platform: each renders a plain YAML directory onto its clusters.
apps:
  - name: guestbook
    path: apps/guestbook
    namespace: guestbook
    clusters: [staging, prod-eu, prod-us]
  - name: payments
    path: apps/payments
    namespace: payments
    clusters: [staging, prod-eu, prod-us]
  - name: redis
    path: apps/redis
    namespace: cache
    clusters: [prod-eu, prod-us]
";

/// The sandbox clusters, in the order they are started.
pub const CLUSTERS: [&str; 3] = ["staging", "prod-eu", "prod-us"];
/// The cluster `--outage-after` takes off the network.
pub const OUTAGE_CLUSTER: &str = "prod-us";

/// What varies between commits.
#[derive(Debug, Clone, Copy)]
struct Knobs {
    guestbook_replicas: u32,
    guestbook_image: &'static str,
    redis_memory: &'static str,
    payments_image: &'static str,
}

/// One commit of the history.
pub struct Step {
    pub message: &'static str,
    pub author: (&'static str, &'static str),
    /// How long before now it was committed.
    pub age_secs: i64,
    knobs: Knobs,
}

const ADA: (&str, &str) = ("Ada Lovelace", "ada@example.com");
const GRACE: (&str, &str) = ("Grace Hopper", "grace@example.com");
const LINUS: (&str, &str) = ("Linus Torvalds", "linus@example.com");

/// The history, oldest first. The last step is the branch tip.
pub fn history() -> Vec<Step> {
    let first = Knobs {
        guestbook_replicas: 2,
        guestbook_image: "nginx:1.25",
        redis_memory: "256Mi",
        payments_image: "ghcr.io/example/payments-api:2.2.0",
    };
    let redis = Knobs {
        redis_memory: "512Mi",
        ..first
    };
    let payments = Knobs {
        payments_image: "ghcr.io/example/payments-api:2.3.0",
        ..redis
    };
    let ui = Knobs {
        guestbook_image: "nginx:1.27",
        ..payments
    };
    let launch = Knobs {
        guestbook_replicas: 3,
        ..ui
    };
    vec![
        step("platform: guestbook, payments and redis", ADA, 3 * 86_400, first),
        step(
            "redis: 512Mi memory limit after the OOM kills",
            GRACE,
            86_400,
            redis,
        ),
        step(
            "payments: api 2.3.0 (idempotent refunds)",
            LINUS,
            5 * 3600,
            payments,
        ),
        step("guestbook: ui on nginx 1.27", ADA, 2 * 3600, ui),
        step("guestbook: 3 replicas for launch day", GRACE, 40 * 60, launch),
    ]
}

/// The commit that starts the incident, on top of [`history`]: payments' api 2.4.0, whose
/// image the registry lacks, so the Pods never start where it is deployed.
pub fn bad_commit() -> Step {
    let mut knobs = history().pop().map(|s| s.knobs).expect("a history");
    knobs.payments_image = BAD_IMAGE;
    step("payments: api 2.4.0 (batch refunds)", LINUS, 0, knobs)
}

fn step(message: &'static str, author: (&'static str, &'static str), age_secs: i64, knobs: Knobs) -> Step {
    Step {
        message,
        author,
        age_secs,
        knobs,
    }
}

impl Step {
    /// Every file of the repo at this commit: (path, contents).
    pub fn files(&self) -> Vec<(&'static str, String)> {
        let k = self.knobs;
        vec![
            ("sextant.yaml", APPS_FILE.to_string()),
            ("apps/guestbook/namespace.yaml", namespace("guestbook")),
            ("apps/guestbook/deployment.yaml", guestbook_deployment(k)),
            (
                "apps/guestbook/service.yaml",
                service("guestbook", "guestbook-ui", 80),
            ),
            ("apps/guestbook/configmap.yaml", GUESTBOOK_SETTINGS.to_string()),
            ("apps/payments/namespace.yaml", namespace("payments")),
            ("apps/payments/deployment.yaml", payments_deployment(k)),
            (
                "apps/payments/service.yaml",
                service("payments", "payments-api", 8080),
            ),
            ("apps/payments/secret.yaml", PAYMENTS_SECRET.to_string()),
            ("apps/redis/namespace.yaml", namespace("cache")),
            ("apps/redis/deployment.yaml", redis_deployment(k)),
            ("apps/redis/service.yaml", service("cache", "redis", 6379)),
            // Apps Argo CD and Flux deploy (see `demo::operators`), not sextant.yaml.
            ("apps/catalog/namespace.yaml", namespace("catalog")),
            (
                "apps/catalog/deployment.yaml",
                web_deployment("catalog", "catalog-api", 2),
            ),
            (
                "apps/search/deployment.yaml",
                web_deployment("search", "search-api", 1),
            ),
        ]
    }
}

/// The URL the demo repo's `origin` names, and the operators' objects too, so Sextant
/// knows it is the repo they deploy from.
pub const REPO_URL: &str = "https://git.example.com/platform/platform-config.git";
/// The host of [`REPO_URL`]: a forge that does not exist (the demo's pull requests are opened
/// by hand, and its pushes go to a local bare repository).
pub const FORGE_HOST: &str = "git.example.com";
/// The cluster whose Argo CD deploys `catalog`, and the one whose Flux deploys `search`.
pub const ARGO_CLUSTER: &str = "prod-eu";
pub const FLUX_CLUSTER: &str = "staging";

fn web_deployment(ns: &str, name: &str, replicas: u32) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {ns}
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
    spec:
      containers:
        - name: api
          image: nginx:1.27
"
    )
}

/// Which commit (index into [`history`]) each (cluster, app) runs; the rest run the tip.
/// prod-eu has not received the newest guestbook change yet.
pub fn deployed_step(cluster: &str, app: &str, tip: usize) -> usize {
    match (cluster, app) {
        ("prod-eu", "guestbook") => tip - 1,
        _ => tip,
    }
}

fn namespace(name: &str) -> String {
    format!("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n")
}

fn service(ns: &str, name: &str, port: u16) -> String {
    format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n  \
         selector:\n    app: {name}\n  ports:\n    - port: {port}\n      targetPort: {port}\n"
    )
}

fn guestbook_deployment(k: Knobs) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: guestbook-ui
  namespace: guestbook
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: guestbook-ui
  template:
    metadata:
      labels:
        app: guestbook-ui
    spec:
      containers:
        - name: ui
          image: {image}
          ports:
            - containerPort: 80
          envFrom:
            - configMapRef:
                name: guestbook-settings
",
        replicas = k.guestbook_replicas,
        image = k.guestbook_image
    )
}

fn payments_deployment(k: Knobs) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: payments-api
  namespace: payments
spec:
  replicas: 2
  selector:
    matchLabels:
      app: payments-api
  template:
    metadata:
      labels:
        app: payments-api
    spec:
      containers:
        - name: api
          image: {image}
          ports:
            - containerPort: 8080
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: payments-db
                  key: password
",
        image = k.payments_image
    )
}

fn redis_deployment(k: Knobs) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: redis
  namespace: cache
spec:
  replicas: 1
  selector:
    matchLabels:
      app: redis
  template:
    metadata:
      labels:
        app: redis
    spec:
      containers:
        - name: redis
          image: redis:7.2
          ports:
            - containerPort: 6379
          resources:
            limits:
              memory: {memory}
            requests:
              cpu: 100m
              memory: 128Mi
",
        memory = k.redis_memory
    )
}

const GUESTBOOK_SETTINGS: &str = "apiVersion: v1
kind: ConfigMap
metadata:
  name: guestbook-settings
  namespace: guestbook
data:
  GUESTBOOK_TITLE: Sextant demo guestbook
  GUESTBOOK_THEME: light
";

/// A demo credential (not a secret anywhere): shows that values are masked.
const PAYMENTS_SECRET: &str = "apiVersion: v1
kind: Secret
metadata:
  name: payments-db
  namespace: payments
type: Opaque
stringData:
  password: demo-only-password
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_parses_and_the_tip_differs_from_its_parent_in_guestbook_only() {
        let h = history();
        for s in &h {
            for (path, text) in s.files() {
                let docs = crate::yaml::from_str::<serde_json::Value>(&text);
                assert!(docs.is_ok(), "{path}: {docs:?}");
            }
        }
        // The files two steps' contents differ in.
        let changed = |a: &Step, b: &Step| -> Vec<&'static str> {
            a.files()
                .into_iter()
                .zip(b.files())
                .filter(|(x, y)| x.1 != y.1)
                .map(|(x, _)| x.0)
                .collect()
        };
        let (prev, tip, bad_step) = (&h[h.len() - 2], &h[h.len() - 1], bad_commit());
        assert_eq!(changed(prev, tip), ["apps/guestbook/deployment.yaml"]);
        assert_eq!(changed(tip, &bad_step), ["apps/payments/deployment.yaml"]);
        let bad = bad_step.files();
        assert!(bad[6].1.contains(BAD_IMAGE), "{}", bad[6].1);
        assert_eq!(deployed_step("prod-eu", "guestbook", 4), 3);
        assert_eq!(deployed_step("prod-us", "guestbook", 4), 4);
    }
}
