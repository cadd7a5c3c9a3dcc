//! An app's health from its objects', as Argo CD 3.4 aggregates them.

use crate::gitops::health::{Health, Health::*, Member, aggregate};

fn member(kind: &'static str, name: &'static str, health: Health, message: &'static str) -> Member<'static> {
    Member {
        group: if kind == "Application" {
            "argoproj.io"
        } else {
            "apps"
        },
        kind,
        name,
        live: health != Missing,
        health,
        counts_as: None,
        message,
    }
}

/// The app's health and its culprit's description, for `members`.
fn verdict(members: Vec<Member<'static>>) -> (Health, Option<String>) {
    let app = aggregate(members);
    (
        app.status,
        app.culprit.map(|c| format!("{}: {}", c.health, c.describe())),
    )
}

#[test]
fn the_worst_health_wins_in_argo_cd_order() {
    let rows: [(&[Health], Health); 8] = [
        (&[], Healthy),
        (&[Healthy, Healthy], Healthy),
        (&[Healthy, Suspended], Suspended),
        (&[Suspended, Progressing], Progressing),
        (&[Progressing, Degraded, Healthy], Degraded),
        (&[Degraded, Unknown], Unknown),
        (&[Unknown, Degraded, Progressing], Unknown),
        (&[Suspended, Healthy, Progressing, Suspended], Progressing),
    ];
    for (healths, want) in rows {
        let members = healths
            .iter()
            .map(|h| member("Deployment", "web", *h, ""))
            .collect();
        assert_eq!(verdict(members).0, want, "{healths:?}");
    }
}

#[test]
fn the_first_object_with_the_worst_health_is_named_with_why() {
    let members = vec![
        member("Service", "web", Healthy, ""),
        member(
            "Deployment",
            "web",
            Degraded,
            "0/3 replicas available (ProgressDeadlineExceeded)",
        ),
        member("Deployment", "worker", Progressing, "1 of 2 replicas updated"),
        member("StatefulSet", "db", Degraded, "not ready"),
    ];
    assert_eq!(
        verdict(members),
        (
            Degraded,
            Some(
                "Degraded: Deployment/web: 0/3 replicas available (ProgressDeadlineExceeded) (+1 more)"
                    .into()
            )
        )
    );
}

#[test]
fn a_healthy_app_names_no_culprit() {
    let members = vec![
        member("Service", "web", Healthy, ""),
        member("Deployment", "web", Healthy, "3/3"),
    ];
    assert_eq!(verdict(members), (Healthy, None));
}

#[test]
fn missing_objects_count_only_when_none_is_live() {
    // One missing among live ones: its sync status says Missing; health is the live ones'.
    let some = vec![
        member("Deployment", "web", Healthy, ""),
        member("ConfigMap", "flags", Missing, ""),
    ];
    assert_eq!(verdict(some), (Healthy, None));
    let progressing = vec![
        member("ConfigMap", "flags", Missing, ""),
        member("Deployment", "web", Progressing, "1 of 3 replicas updated"),
    ];
    assert_eq!(verdict(progressing).0, Progressing);
    // Nothing live at all (before the first sync): the app is Missing.
    let none = vec![
        member("Deployment", "web", Missing, ""),
        member("Service", "web", Missing, ""),
    ];
    assert_eq!(
        verdict(none),
        (
            Missing,
            Some("Missing: Deployment/web: not on the cluster (+1 more)".into())
        )
    );
}

#[test]
fn a_child_application_missing_or_unknown_does_not_count() {
    let members = vec![
        member("Deployment", "web", Healthy, ""),
        Member {
            live: true,
            ..member("Application", "child", Unknown, "")
        },
    ];
    assert_eq!(verdict(members).0, Healthy);
    let degraded = vec![
        member("Deployment", "web", Healthy, ""),
        member("Application", "child", Degraded, "x"),
    ];
    assert_eq!(verdict(degraded).0, Degraded);
}

#[test]
fn objects_count_as_their_aggregate_health() {
    let suspended_job = Member {
        counts_as: Some(Healthy),
        ..member("Job", "backfill", Suspended, "job suspended")
    };
    let members = vec![member("Deployment", "web", Healthy, ""), suspended_job];
    assert_eq!(verdict(members), (Healthy, None));
    let ignored = Member {
        counts_as: Some(Healthy),
        ..member("Deployment", "legacy", Degraded, "x")
    };
    assert_eq!(
        verdict(vec![ignored, member("Deployment", "web", Progressing, "")]).0,
        Progressing
    );
}
