//! The drift core: pure functions from desired, live and (when the server allowed it) the
//! server-side apply dry-run result to a per-object verdict with per-field attribution.
//! No IO happens here; the engine fetches, this module decides.
//!
//! - [`compare_preview`]: drift = normalize(dry-run) != normalize(live); the diff is live -> dry-run.
//! - [`compare_local`]: the same verdict predicted without the server (dry-run forbidden,
//!   or the fast path over the watch cache), by simulating the apply locally.
//! - [`compare_rejected`]: the dry-run was refused (422 …): the local verdict plus the reason.
//! - [`missing`], [`extra`], [`ObjectDrift::unknown`] for the other states.
//!
//! Both paths end the same way: live and the "after" object (dry-run, or the simulated
//! apply) are normalized, masked if a Secret, diffed with list-maps matched by key, and
//! every differing path is attributed from live's managedFields. Fields other managers set
//! that desired never mentions are listed apart as unmanaged changes, and changes to
//! immutable fields are flagged as needing a replace. [`diff_text_preview`] /
//! [`diff_text_local`] give the two YAML texts and where each change sits in them.
//!
//! Secret values never leave this module: see [`crate::gitops::secret`].

mod annotate;
mod attribution;
mod describe;
mod diff;
mod immutable;
mod lists;
mod normalize;
pub use crate::kube::quantity;
mod simulate;
mod summary;
mod text;
mod types;

pub use annotate::LineNote;
pub use attribution::{CONTROLLERS, age_text, parse_rfc3339};
pub use diff::path_text;
pub use normalize::{NOISE_ANNOTATIONS, decode_base64, is_secret, normalize, prepare_desired};
pub use summary::{AppSummary, SyncCounts, summarize};
pub use text::{ChangeAnchor, DiffText, diff_text_local, diff_text_preview, one_side_text};
pub use types::{
    ApplyRejection, Change, ChangeOp, CompareMethod, CompareOptions, DriftError, FIELD_MANAGER, ObjectDrift,
    ObjectRef, Owner, SyncState, UnmanagedChange,
};

use crate::gitops::secret;
use crate::kube::fieldset::{FieldSet, ManagedEntry, Schema, managed_entries};
use serde_json::Value;

/// Preview path: `live` against `dry_run`, the response of a force SSA dry-run of `desired`.
/// Errs with [`DriftError::StalePreview`] when the dry-run was computed against another
/// resourceVersion than `live` (live changed in between: compare again).
pub fn compare_preview(
    desired: &Value,
    live: &Value,
    dry_run: &Value,
    opts: &CompareOptions,
) -> Result<ObjectDrift, DriftError> {
    let ctx = Context::new(desired, live, opts)?;
    let rv = |o: &Value| {
        o.pointer("/metadata/resourceVersion")
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    if let (Some(live), Some(dry_run)) = (rv(live), rv(dry_run))
        && live != dry_run
    {
        return Err(DriftError::StalePreview { live, dry_run });
    }
    let after = normalize(dry_run);
    Ok(ctx.verdict(after, CompareMethod::Preview))
}

/// Local path: predict what a force SSA apply of `desired` would change on `live`.
pub fn compare_local(
    desired: &Value,
    live: &Value,
    opts: &CompareOptions,
) -> Result<ObjectDrift, DriftError> {
    let ctx = Context::new(desired, live, opts)?;
    let after = ctx.simulated();
    Ok(ctx.verdict(after, CompareMethod::Local))
}

/// The dry-run of `desired` was refused: report the local verdict and why it cannot apply.
/// For Secrets the server's message is withheld (it may quote the values).
pub fn compare_rejected(
    desired: &Value,
    live: &Value,
    mut rejection: ApplyRejection,
    opts: &CompareOptions,
) -> Result<ObjectDrift, DriftError> {
    let mut out = compare_local(desired, live, opts)?;
    rejection.message = if out.object.is_secret() {
        "the server refused the Secret; its message is withheld because it may contain values".into()
    } else {
        first_line(&rejection.message)
    };
    if out.state == SyncState::Synced {
        out.state = SyncState::OutOfSync;
    }
    out.rejection = Some(rejection);
    Ok(out)
}

/// Desired has no live counterpart.
pub fn missing(desired: &Value) -> Result<ObjectDrift, DriftError> {
    Ok(ObjectDrift::bare(
        ObjectRef::from_object(desired)?,
        SyncState::Missing,
    ))
}

/// Live is tracked as the app's but no longer desired: a prune candidate.
pub fn extra(live: &Value) -> Result<ObjectDrift, DriftError> {
    Ok(ObjectDrift::bare(ObjectRef::from_object(live)?, SyncState::Extra))
}

fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or_default();
    match line.char_indices().nth(240) {
        Some((i, _)) => format!("{}…", &line[..i]),
        None => line.to_string(),
    }
}

/// Everything both paths share: identities, schema, managedFields, normalized live.
struct Context<'a> {
    object: ObjectRef,
    desired: &'a Value,
    prepared: Value,
    live: Value,
    raw_live: &'a Value,
    entries: Vec<ManagedEntry>,
    error: Option<String>,
    lists: lists::ListSchema,
    field_manager: &'a str,
}

impl<'a> Context<'a> {
    fn new(desired: &'a Value, live: &'a Value, opts: &'a CompareOptions) -> Result<Context<'a>, DriftError> {
        let want = ObjectRef::from_object(desired)?;
        let object = ObjectRef::from_object(live)?;
        let same = want.group == object.group
            && want.kind == object.kind
            && want.name == object.name
            && (want.namespace.is_none() || want.namespace == object.namespace);
        if !same {
            return Err(DriftError::Mismatch {
                desired: want.to_string(),
                live: object.to_string(),
            });
        }
        let (entries, errors) = managed_entries(live);
        let error = (!errors.is_empty()).then(|| {
            let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
            format!("attribution is partial: {}", list.join("; "))
        });
        let schema = Schema::for_api_version(&object.api_version());
        Ok(Context {
            lists: lists::ListSchema::new(schema, &entries),
            object,
            desired,
            prepared: prepare_desired(desired),
            live: normalize(live),
            raw_live: live,
            entries,
            error,
            field_manager: &opts.field_manager,
        })
    }

    fn simulated(&self) -> Value {
        simulate::simulate_apply(
            &self.prepared,
            self.desired,
            &self.live,
            &self.entries,
            self.field_manager,
            &self.lists,
        )
    }

    /// The fields desired mentions, as written and as the server reads it.
    fn wanted(&self) -> FieldSet {
        self.lists
            .fields_of(self.desired)
            .union(&self.lists.fields_of(&self.prepared))
    }

    fn verdict(&self, mut after: Value, method: CompareMethod) -> ObjectDrift {
        let mut before = self.live.clone();
        if self.object.is_secret() {
            secret::mask_pair(&mut before, &mut after);
        }
        let changes: Vec<Change> = diff::diff(&before, &after, &self.lists)
            .into_iter()
            .map(|c| Change {
                path_text: path_text(&c.path),
                owners: attribution::owners(&self.entries, &c.path, self.field_manager),
                path: c.path,
                op: c.op,
                live: c.before,
                desired: c.after,
            })
            .collect();
        let mut unmanaged =
            attribution::unmanaged_changes(&self.entries, &self.wanted(), self.raw_live, self.field_manager);
        if self.object.is_secret() {
            for u in &mut unmanaged {
                let top = match u.path.0.first() {
                    Some(crate::kube::fieldset::PathElement::Field(f)) => Some(f.as_str()),
                    _ => None,
                };
                u.value = u.value.as_ref().map(|v| secret::mask_value_at(top, v));
            }
        }
        let needs_replace =
            immutable::replace_reasons(&self.object.group, &self.object.kind, self.raw_live, &changes);
        ObjectDrift {
            object: self.object.clone(),
            state: if changes.is_empty() {
                SyncState::Synced
            } else {
                SyncState::OutOfSync
            },
            method,
            changes,
            unmanaged,
            rejection: None,
            needs_replace,
            error: self.error.clone(),
        }
    }
}

#[cfg(test)]
mod tests;
