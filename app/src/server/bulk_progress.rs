//! How far the lists' bulk actions running now have got: the browser names its action with a key
//! and asks, while the action runs, how many of its items are done ("2,500 of 10,000"). Kept in
//! memory: a count matters only while its request runs, and goes with it.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use crate::domain::AcademyId;
use crate::model::bulk::BulkCount;

/// The counts of the bulk actions running now, by academy and key.
#[derive(Clone, Default)]
pub struct BulkProgress(Arc<Mutex<HashMap<(AcademyId, String), BulkCount>>>);

impl BulkProgress {
    /// Starts counting `total` items of the action `key`; the count goes when the ticket does.
    pub fn start(&self, academy_id: AcademyId, key: &str, total: usize) -> Ticket {
        let key = (academy_id, key.to_string());
        self.counts()
            .insert(key.clone(), BulkCount { done: 0, total });
        Ticket {
            registry: self.clone(),
            key,
        }
    }

    /// How far the action `key` of the academy has got; `None` before it starts and after it ends.
    pub fn of(&self, academy_id: AcademyId, key: &str) -> Option<BulkCount> {
        self.counts().get(&(academy_id, key.to_string())).copied()
    }

    fn counts(&self) -> std::sync::MutexGuard<'_, HashMap<(AcademyId, String), BulkCount>> {
        // A panic while holding the lock leaves only counts behind: keep using them.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// One running action's count.
pub struct Ticket {
    registry: BulkProgress,
    key: (AcademyId, String),
}

impl Ticket {
    /// `n` more items are done.
    pub fn advance(&self, n: usize) {
        if let Some(c) = self.registry.counts().get_mut(&self.key) {
            c.done = (c.done + n).min(c.total);
        }
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        self.registry.counts().remove(&self.key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_lives_as_long_as_its_ticket_and_only_for_its_academy() {
        let progress = BulkProgress::default();
        assert_eq!(progress.of(AcademyId::new(1), "k"), None);
        let ticket = progress.start(AcademyId::new(1), "k", 1_200);
        ticket.advance(500);
        ticket.advance(500);
        assert_eq!(
            progress.of(AcademyId::new(1), "k"),
            Some(BulkCount {
                done: 1_000,
                total: 1_200
            })
        );
        assert_eq!(
            progress.of(AcademyId::new(2), "k"),
            None,
            "another academy's key is not seen"
        );
        ticket.advance(500);
        assert_eq!(
            progress.of(AcademyId::new(1), "k").unwrap().done,
            1_200,
            "never past the total"
        );
        drop(ticket);
        assert_eq!(progress.of(AcademyId::new(1), "k"), None);
    }
}
