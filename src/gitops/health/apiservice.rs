//! APIServices (aggregated APIs, such as metrics-server's) by their `Available` condition.
//! As in Argo CD, an unavailable one is Progressing: the aggregator keeps retrying it.

use super::fields::{Obj, find};
use super::{Rule, healthy, progressing};

pub fn apiservice(o: Obj) -> Rule {
    let conds = o.conditions()?;
    Ok(match find(&conds, "Available") {
        Some(c) if c.is_true() => healthy(c.why()),
        Some(c) => progressing(format!("not available: {}", c.why())),
        None => progressing("waiting to be processed"),
    })
}
