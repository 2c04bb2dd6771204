//! What operators watch of this process besides the job queue (`jobs`): the database
//! pool and the statements run. Read when asked (a `/metrics` scrape), without a statement.

pub use lore_store::PoolFigures;

use crate::App;

impl App {
    /// The database pool now: connections open, idle, in use, and the most it opens.
    /// `None` when the store is not a pool (inside a unit of work).
    pub fn pool_figures(&self) -> Option<PoolFigures> {
        self.store.pool_figures()
    }
}

/// Every database statement this process has run since it started, on every store.
pub fn statements_run() -> u64 {
    lore_store::statements_run()
}
