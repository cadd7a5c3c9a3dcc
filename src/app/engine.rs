//! Runs effects on workers and sends the results back as messages.
use super::msg::{Effect, Msg};
use crate::logging::Dirs;
use tokio::sync::mpsc::UnboundedSender;

pub struct Engine {
    tx: UnboundedSender<Msg>,
    _dirs: Dirs,
}

impl Engine {
    pub fn new(tx: UnboundedSender<Msg>, dirs: Dirs) -> Engine {
        Engine { tx, _dirs: dirs }
    }

    pub fn run(&mut self, effect: Effect) {
        if let Effect::OpenRepo { repo, .. } = effect {
            let _ = self.tx.send(Msg::RepoOpened {
                repo,
                result: Err("git engine not merged yet".into()),
            });
        }
    }
}
