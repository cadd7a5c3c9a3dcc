//! A `gix` progress sink that records each task's counters, and a sampler that turns them into
//! [`TransferProgress`] reports about ten times a second (never per object, which would flood a UI).

use super::types::TransferProgress;
use gix::progress::prodash::messages::MessageLevel;
use gix::progress::{Count, Id, NestedProgress, Progress, StepShared, UNKNOWN, Unit};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const NO_MAX: usize = usize::MAX;

struct Task {
    name: Mutex<String>,
    step: StepShared,
    max: AtomicUsize,
}

/// One node of the progress tree; children register themselves with the shared list.
#[derive(Clone)]
pub(crate) struct Tracker {
    tasks: Arc<Mutex<Vec<Arc<Task>>>>,
    me: Arc<Task>,
}

impl Tracker {
    pub(crate) fn new(name: &str) -> Tracker {
        let me = Arc::new(Task {
            name: Mutex::new(name.into()),
            step: Default::default(),
            max: NO_MAX.into(),
        });
        Tracker {
            tasks: Arc::new(Mutex::new(vec![me.clone()])),
            me,
        }
    }

    /// The most recently started task that has counted anything.
    fn latest(&self) -> Option<TransferProgress> {
        let tasks = self.tasks.lock().ok()?;
        tasks
            .iter()
            .rev()
            .find(|t| t.step.load(Ordering::Relaxed) > 0)
            .map(|t| {
                let max = t.max.load(Ordering::Relaxed);
                TransferProgress {
                    phase: t.name.lock().map(|n| n.clone()).unwrap_or_default(),
                    done: t.step.load(Ordering::Relaxed),
                    total: (max != NO_MAX).then_some(max),
                }
            })
    }
}

impl Count for Tracker {
    fn set(&self, step: usize) {
        self.me.step.store(step, Ordering::Relaxed);
    }
    fn step(&self) -> usize {
        self.me.step.load(Ordering::Relaxed)
    }
    fn inc_by(&self, step: usize) {
        self.me.step.fetch_add(step, Ordering::Relaxed);
    }
    fn counter(&self) -> StepShared {
        self.me.step.clone()
    }
}

impl Progress for Tracker {
    fn init(&mut self, max: Option<usize>, _unit: Option<Unit>) {
        self.me.max.store(max.unwrap_or(NO_MAX), Ordering::Relaxed);
        self.me.step.store(0, Ordering::Relaxed);
    }
    fn set_max(&mut self, max: Option<usize>) -> Option<usize> {
        let prev = self.me.max.swap(max.unwrap_or(NO_MAX), Ordering::Relaxed);
        (prev != NO_MAX).then_some(prev)
    }
    fn max(&self) -> Option<usize> {
        let max = self.me.max.load(Ordering::Relaxed);
        (max != NO_MAX).then_some(max)
    }
    fn set_name(&mut self, name: String) {
        if let Ok(mut n) = self.me.name.lock() {
            *n = name;
        }
    }
    fn name(&self) -> Option<String> {
        self.me.name.lock().ok().map(|n| n.clone())
    }
    fn id(&self) -> Id {
        UNKNOWN
    }
    fn message(&self, _level: MessageLevel, message: String) {
        tracing::debug!(target: "sextant::git", "{message}");
    }
}

impl NestedProgress for Tracker {
    type SubProgress = Tracker;
    fn add_child(&mut self, name: impl Into<String>) -> Tracker {
        let me = Arc::new(Task {
            name: Mutex::new(name.into()),
            step: Default::default(),
            max: NO_MAX.into(),
        });
        if let Ok(mut tasks) = self.tasks.lock() {
            tasks.push(me.clone());
        }
        Tracker {
            tasks: self.tasks.clone(),
            me,
        }
    }
    fn add_child_with_id(&mut self, name: impl Into<String>, _id: Id) -> Tracker {
        self.add_child(name)
    }
}

/// Run `work` with a fresh tracker while a sampler reports its progress through `report`.
pub(crate) fn with_progress<T>(
    name: &str,
    report: &(dyn Fn(TransferProgress) + Sync),
    work: impl FnOnce(Tracker) -> T,
) -> T {
    let tracker = Tracker::new(name);
    let done = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let sampler = tracker.clone();
        let done_ref = &done;
        scope.spawn(move || {
            let mut last = None;
            while !done_ref.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(100));
                let now = sampler.latest();
                if now.is_some() && now != last {
                    if let Some(p) = now.clone() {
                        report(p);
                    }
                    last = now;
                }
            }
        });
        let out = work(tracker);
        done.store(true, Ordering::Relaxed);
        out
    })
}
