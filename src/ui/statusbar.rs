//! The bottom line: key hints for what is on screen, the notice, and the mark.

use super::theme::Theme;
use super::widgets::hint;
use crate::app::action::Action;
use crate::app::cockpit::CockpitView;
use crate::app::cockpit_revert::Stage as PublishStage;
use crate::app::cockpit_sync::SyncStage;
use crate::app::state::{Pane, State, View};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let actions: &[(Action, &str)] = match state.views.last() {
        _ if state.commits_typing() => &[(Action::Open, "keep filter"), (Action::Back, "clear")],
        None if state.focus == Pane::Commits => &[
            (Action::Open, "open"),
            (Action::Filter, "filter"),
            (Action::Branches, "branch"),
            (Action::Mark, "mark"),
            (Action::Compare, "compare"),
            (Action::Tree, "tree"),
            (Action::Preview, "preview sync"),
            (Action::Revert, "revert"),
            (Action::PullRequest, "pr"),
        ],
        None if state.cockpit.is_active()
            && state.focus == Pane::Apps
            && super::operator::any_operator(&state.cockpit) =>
        {
            &[
                (Action::NextPane, "pane"),
                (Action::Open, "open"),
                (Action::Sync, "sync"),
                (Action::Operator, "operator"),
                (Action::Matrix, "matrix"),
            ]
        }
        None if state.cockpit.is_active() && state.focus == Pane::Apps => &[
            (Action::NextPane, "pane"),
            (Action::Open, "open"),
            (Action::Sync, "sync"),
            (Action::Rollback, "rollback"),
            (Action::Matrix, "matrix"),
        ],
        None if state.cockpit.is_active() && super::operator::any_operator(&state.cockpit) => &[
            (Action::NextPane, "pane"),
            (Action::Open, "open"),
            (Action::Matrix, "matrix"),
            (Action::Operator, "operator"),
        ],
        None if state.cockpit.is_active() => &[
            (Action::NextPane, "pane"),
            (Action::Open, "open"),
            (Action::Matrix, "matrix"),
        ],
        None => &[(Action::NextPane, "pane"), (Action::Branches, "branch")],
        Some(View::Detail(_)) => &[
            (Action::Open, "diff"),
            (Action::Tree, "tree"),
            (Action::Revert, "revert"),
            (Action::Back, "back"),
        ],
        Some(View::Diff(..)) => &[
            (Action::NextHunk, "next hunk"),
            (Action::PrevHunk, "prev"),
            (Action::NextFile, "next file"),
            (Action::ToggleSplit, "split"),
            (Action::Expand, "unfold"),
            (Action::Back, "back"),
        ],
        Some(View::Tree(_)) => &[(Action::Open, "view file / fold dir"), (Action::Back, "back")],
        Some(View::File(_)) => &[(Action::Back, "back")],
        Some(View::Cockpit(CockpitView::Matrix { .. })) => &[
            (Action::Open, "open app"),
            (Action::Sync, "sync"),
            (Action::Rollback, "rollback"),
            (Action::Filter, "filter"),
            (Action::Back, "back"),
        ],
        Some(View::Cockpit(CockpitView::AppDetail { .. })) => &[
            (Action::Open, "object diff"),
            (Action::Compare, "app diff"),
            (Action::Sync, "sync"),
            (Action::Rollback, "rollback"),
            (Action::Refresh, "events"),
            (Action::Filter, "filter"),
            (Action::Back, "back"),
        ],
        Some(View::Cockpit(CockpitView::DriftDiff(d))) if d.sync_target.is_some() => &[
            (Action::NextHunk, "next hunk"),
            (Action::ToggleSplit, "split"),
            (Action::Sync, "sync this"),
            (Action::Back, "back"),
        ],
        Some(View::Cockpit(CockpitView::DriftDiff(_))) => &[
            (Action::NextHunk, "next hunk"),
            (Action::PrevHunk, "prev"),
            (Action::ToggleSplit, "split"),
            (Action::Expand, "unfold"),
            (Action::Back, "back"),
        ],
        Some(View::Cockpit(CockpitView::Operator(_))) => &[
            (Action::Open, "choose / write"),
            (Action::Up, "up"),
            (Action::Down, "down"),
            (Action::Back, "back"),
        ],
        Some(View::Cockpit(CockpitView::PickCluster { .. })) => &[
            (Action::Open, "preview on this cluster"),
            (Action::Back, "cancel"),
        ],
        Some(View::Cockpit(CockpitView::Sync(s))) => match &s.stage {
            SyncStage::Review => &[
                (Action::Open, "sync"),
                (Action::Compare, "diff"),
                (Action::Filter, "filter"),
                (Action::Back, "cancel"),
            ],
            SyncStage::Running { .. } => &[(Action::Back, "stop new writes")],
            SyncStage::Done(_) => &[(Action::Back, "back")],
            // The question on screen names its keys.
            SyncStage::ConfirmPrune | SyncStage::TypeName { .. } => &[],
        },
        Some(View::Cockpit(CockpitView::Audit { .. })) => &[(Action::Back, "back")],
        Some(View::Cockpit(CockpitView::Publish(p))) => match &p.stage {
            PublishStage::AskMainline { .. } => &[(Action::Open, "pick"), (Action::Back, "cancel")],
            PublishStage::Planning => &[(Action::Back, "cancel")],
            PublishStage::Review => &[
                (Action::Confirm, "go ahead"),
                (Action::Open, "file diff"),
                (Action::Back, "cancel"),
            ],
            PublishStage::Running { .. } => &[],
            PublishStage::Done => &[(Action::OpenLink, "open in browser"), (Action::Back, "back")],
        },
        Some(View::Cockpit(CockpitView::Rollback(_))) => &[
            (Action::Open, "preview"),
            (Action::PullRequest, "revert PR"),
            (Action::Sync, "sync now (pins)"),
            (Action::Back, "back"),
        ],
        Some(View::Cockpit(CockpitView::Preview(_))) => &[
            (Action::Open, "diff"),
            (Action::Compare, "app diff"),
            (Action::Refresh, "ask again"),
            (Action::Filter, "filter"),
            (Action::Back, "back"),
        ],
    };
    let mut spans: Vec<Span> = vec![Span::raw(" ")];
    spans.extend(hint(state.keymap.hint(Action::Help), "help", theme));
    spans.extend(hint(state.keymap.hint(Action::Palette), "command", theme));
    for (action, label) in actions {
        spans.extend(hint(state.keymap.hint(*action), label, theme));
    }
    if let Some(notice) = &state.notice {
        spans.push(Span::styled(format!("│ {notice}"), theme.warning()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(theme.status()), area);
}
