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
        let handle = scope.spawn(move || {
            let mut last = None;
            while !done_ref.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(100));
                let now = sampler.latest();
                if let Some(p) = now.clone().filter(|_| now != last) {
                    report(p);
                    last = now;
                }
            }
            last
        });
        let out = work(tracker.clone());
        done.store(true, Ordering::Relaxed);
        // The final state, so a bar ends at its true count rather than the last sample.
        let last = handle.join().ok().flatten();
        if let Some(p) = tracker.latest().filter(|p| Some(p) != last.as_ref()) {
            report(p);
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_the_final_state_of_the_latest_task() {
        let seen = Mutex::new(Vec::new());
        with_progress("cloning", &|p| seen.lock().unwrap().push(p), |mut root| {
            let mut objects = root.add_child("receiving objects");
            objects.init(Some(10), None);
            objects.inc_by(4);
            objects.counter().fetch_add(6, Ordering::Relaxed);
        });
        let seen = seen.into_inner().unwrap();
        let last = seen.last().expect("at least one report");
        assert_eq!(
            last,
            &TransferProgress {
                phase: "receiving objects".into(),
                done: 10,
                total: Some(10)
            }
        );
    }
}
