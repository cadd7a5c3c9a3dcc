//! The event loop: terminal events and worker messages, drained, then one draw.
//!
//! `update` (pure) turns each [`Msg`] into state changes and [`Effect`]s; the `engine` module
//! runs effects on workers (git in `spawn_blocking`) and sends results back as messages;
//! `ui::draw` renders the state. Nothing here draws per message: a batch is drawn once.

pub mod action;
pub mod change_text;
pub mod cockpit;
pub mod cockpit_diff;
pub mod cockpit_distance;
pub mod cockpit_engine;
pub mod cockpit_events;
pub mod cockpit_filter;
pub mod cockpit_health;
pub mod cockpit_keys;
pub mod cockpit_operator;
pub mod cockpit_preview;
pub mod cockpit_revert;
pub mod cockpit_rollback;
pub mod cockpit_sync;
pub mod engine;
pub mod engine_actions;
pub mod keymap;
mod launch;
pub mod line_edit;
pub mod list_filter;
pub mod msg;
pub mod nav;
pub mod palette;
pub mod publish_data;
pub mod setup;
pub mod state;
pub mod state_diff;
pub mod state_git;
pub mod terminal;
pub mod update;
pub mod update_keys;
pub mod update_views;

pub use launch::Launch;

use crate::logging::Dirs;
use crate::ui::theme::Theme;
use futures::StreamExt;
use msg::{Effect, Msg};
use ratatui::crossterm::event::{Event, EventStream};
use state::State;
use tokio::sync::mpsc;

/// Run the TUI until the user quits or a signal arrives. Returns the exit code.
pub fn run(global: &Launch, dirs: &Dirs) -> color_eyre::Result<i32> {
    let setup = setup::Setup::load(global, dirs)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| color_eyre::eyre::eyre!("cannot start the async runtime: {e}"))?;
    let code = runtime.block_on(event_loop(setup, dirs.clone(), global.clone()));
    // Watchers and blocking workers may still be mid-request; quitting must not wait on them.
    runtime.shutdown_timeout(std::time::Duration::from_millis(300));
    code
}

async fn event_loop(setup: setup::Setup, dirs: Dirs, global: Launch) -> color_eyre::Result<i32> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sighup = signal(SignalKind::hangup())?;
    let (mut terminal, _guard) = terminal::enter()?;
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    // The live engine starts once the first repo has opened (a URL is cloned by then).
    let mut commands = None;
    let engine_tx = tx.clone();
    let repos = setup.repos.clone();
    let actions = engine_actions::ActionsContext {
        gate: crate::gate::Gate::new(setup.user.gate_rules(global.readonly)),
        user: setup.user.clone(),
        contexts: global.contexts.clone(),
        audit: Some(crate::gitops::audit::AuditLog::in_dir(&dirs.data)),
    };
    let mut engine = engine::Engine::new(tx, dirs.clone(), actions);
    let mut theme = setup.theme;
    let mut state = State::new(&setup.repos, &theme.name, setup.keymap);
    let size = terminal.size()?;
    state.size = (size.width, size.height);
    state.now = now();
    let colors = setup.colors;
    let no_color = setup.no_color;
    tokio::task::spawn_blocking(crate::ui::theme_syntax::Syntax::warm_up);
    for effect in update::start(&state) {
        engine.run(effect);
    }
    terminal.draw(|f| crate::ui::draw(f, &state, &theme))?;
    let mut events = EventStream::new();
    // Relative times ("5m") age even when nothing happens.
    let mut clock = tokio::time::interval(std::time::Duration::from_secs(30));
    clock.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        let mut tick = false;
        let first = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(ev)) => to_msg(ev),
                Some(Err(e)) => return Err(color_eyre::eyre::eyre!("reading the terminal: {e}")),
                None => break,
            },
            Some(m) = rx.recv() => Some(m),
            _ = sigterm.recv() => { tracing::info!("SIGTERM: restoring the terminal"); break }
            _ = sighup.recv() => break,
            _ = tokio::signal::ctrl_c() => break,
            _ = clock.tick() => { tick = true; None }
        };
        let mut batch: Vec<Msg> = first.into_iter().collect();
        // Drain what the workers already queued so a burst costs one draw. (Terminal events
        // are not drained with `now_or_never`: crossterm's EventStream would lose its waker.)
        while let Ok(m) = rx.try_recv() {
            batch.push(m);
        }
        if batch.is_empty() && !tick {
            continue;
        }
        state.now = now();
        for m in batch {
            if commands.is_none()
                && let Msg::RepoOpened {
                    repo: 0,
                    result: Ok(_),
                } = &m
                && let Some(config) = cockpit_engine::config(&global, &dirs, &repos)
            {
                commands = Some(cockpit_engine::spawn(config, engine_tx.clone()));
            }
            for effect in update::update(&mut state, m) {
                match effect {
                    Effect::SetTheme(name) => match setup::theme(&name, &colors, no_color) {
                        Ok(t) => {
                            state.theme = t.name.clone();
                            state.notice = Some(format!("theme {}", t.name));
                            theme = t;
                        }
                        Err(e) => state.notice = Some(e.to_string()),
                    },
                    Effect::Engine(command) => {
                        if let Err(e) = cockpit_engine::forward(commands.as_ref(), command) {
                            state.notice = Some(e);
                        }
                    }
                    other => engine.run(other),
                }
            }
        }
        if state.quit {
            break;
        }
        terminal.draw(|f| crate::ui::draw(f, &state, &theme))?;
    }
    drop(terminal);
    terminal::restore();
    Ok(0)
}

fn to_msg(ev: Event) -> Option<Msg> {
    match ev {
        Event::Key(k) => Some(Msg::Key(k)),
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        Event::Paste(s) => Some(Msg::Paste(s)),
        _ => None,
    }
}

fn now() -> i64 {
    crate::time::now_secs()
}

/// Used by tests and benches: the theme for `name` without the user's config.
pub fn builtin_theme(name: &str) -> Theme {
    Theme::builtin(name).unwrap_or_else(|_| Theme::no_color(name))
}
