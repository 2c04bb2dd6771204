//! A large organisation's data for load tests (`lore demo --size medium|large`): a group
//! tree, tens of thousands of people, thousands of courses and millions of events with the
//! shapes real use has (a few courses taken by many, most by few; learners dropping off along
//! the steps; attempts, reactions, discussions, needs with votes).
//!
//! Rows go in through the store's bulk writer (`Store::bulk_insert`), many per statement and
//! many statements per transaction, not through the use cases: those write one action per
//! unit of work and would take hours. What the use cases keep in step (enrolments and step
//! progress with the events, course health, the search indexes) is written or recounted here
//! to the same result; see docs/decisions/0017. The data is the same for the same `Scale` and
//! `seed`; times are relative to `App::now()`.

mod activity;
mod catalogue;
mod loader;
mod needs;
mod organisation;
mod words;

use std::sync::Arc;

use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::demo::DemoSignIn;
use crate::{App, AppError, AppResult};
use loader::Loader;

/// How much to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale {
    pub people: usize,
    pub groups: usize,
    pub courses: usize,
    /// Rows in `events`, exactly.
    pub events: u64,
    pub needs: usize,
    /// The random generator's seed: the same scale and seed give the same data.
    pub seed: u64,
}

impl Scale {
    /// 50,000 people, ~500 groups, 2,000 courses, 10 million events.
    pub const LARGE: Scale = Scale {
        people: 50_000,
        groups: 500,
        courses: 2_000,
        events: 10_000_000,
        needs: 2_000,
        seed: 2026,
    };
    /// About a tenth of [`Scale::LARGE`].
    pub const MEDIUM: Scale = Scale {
        people: 5_000,
        groups: 60,
        courses: 200,
        events: 1_000_000,
        needs: 200,
        seed: 2026,
    };
}

/// Told how far the generation is, phase by phase (the command line draws a progress bar).
pub trait Progress: Send + Sync {
    /// A new phase of `total` units begins.
    fn phase(&self, name: &str, total: u64);
    /// `n` more units of the current phase are done.
    fn advance(&self, n: u64);
}

/// Progress nobody watches.
pub struct Silent;

impl Progress for Silent {
    fn phase(&self, _: &str, _: u64) {}
    fn advance(&self, _: u64) {}
}

/// Fill an empty database with an organisation of `scale`. Refuses a database that already
/// has people, groups or courses, before writing anything. Returns the sign-ins to print.
pub async fn generate(
    app: &App,
    scale: Scale,
    progress: Arc<dyn Progress>,
) -> AppResult<Vec<DemoSignIn>> {
    if !app.store.is_empty().await? {
        return Err(AppError::invalid(
            "database",
            "The database is not empty; a generated dataset only goes into an empty one.",
        ));
    }
    let mut rng = StdRng::seed_from_u64(scale.seed);
    let now = app.now();
    let mut loader = Loader::begin(&app.store, progress.clone()).await?;
    let hash = crate::secrets::hash_password(crate::demo::DEMO_PASSWORD.to_owned()).await?;
    progress.phase("people and groups", scale.people as u64);
    let org = organisation::generate(&mut loader, &mut rng, &scale, &hash, now).await?;
    progress.phase("courses", scale.courses as u64);
    let courses = catalogue::generate(&mut loader, &mut rng, &scale, &org, now).await?;
    let mut budget = scale.events.saturating_sub(courses.published_events);
    progress.phase("needs", scale.needs as u64);
    budget -= needs::generate(&mut loader, &mut rng, &scale, &org, budget, now).await?;
    progress.phase("events", budget);
    activity::generate(&mut loader, &mut rng, &org, &courses, budget, now).await?;
    loader.finish().await?;

    progress.phase(
        "search index, course health and activity",
        scale.courses as u64 + 1,
    );
    for course in &courses.courses {
        app.reindex_course(course.id).await?;
        progress.advance(1);
    }
    needs::index(app).await?;
    app.fill_course_health().await?;
    progress.phase("analytics rollups", 1);
    // The events were written in bulk, not through `append_event`: compute the rollups
    // from them once, as the migrations do for a database from before.
    app.store.rebuild_funnel().await?;
    // The dashboards' activity rollup, from the events written in bulk (no append_event),
    // before the statistics are gathered.
    app.store.rebuild_activity().await?;
    app.store.finish_bulk_load().await?;
    progress.advance(1);
    Ok(org.sign_ins)
}
