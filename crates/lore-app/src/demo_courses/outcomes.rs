//! The demo's business outcome: Hannah (Sales coach) tracks "Deals closed per week" for
//! Sales, links the objections and discovery courses, and imports sixteen weeks of values for
//! the Sales people, through the same use cases a coach would call. Everyone closes a steady
//! number of deals of their own, a little more in the weeks after they completed one of the
//! courses, so the report has figures on both sides (seven people completed, six did not).

use std::collections::HashMap;

use lore_domain::outcome::MetricDraft;
use lore_domain::path::ItemRef;
use time::{Duration, OffsetDateTime};

use super::feedback::{People, course_ids, id_of};
use super::{at, sales};
use crate::outcomes::ValuesInput;
use crate::{App, AppError, AppResult};

/// Who has values: the Sales and Enterprise Sales people who sell.
const SELLERS: &[&str] = &[
    "chloe.martin",
    "ethan.walker",
    "aiko.tanaka",
    "omar.haddad",
    "grace.kim",
    "liam.obrien",
    "ingrid.johansson",
    "marcus.johnson",
    "rafael.souza",
    "ana.sousa",
    "ben.carter",
    "dara.singh",
    "felix.moreau",
];

/// Weeks of values, up to the last whole week before now.
const WEEKS: i64 = 16;

pub(super) async fn seed(app: &App, now: OffsetDateTime) -> AppResult<()> {
    let mut people = People::default();
    let hannah = people.get(app, "hannah.schmidt").await?;
    let sales_group = app
        .store
        .all_groups()
        .await?
        .into_iter()
        .find(|g| g.name == "Sales")
        .ok_or_else(|| AppError::Internal("the demo group Sales is missing".to_owned()))?;
    let ids = course_ids(app).await?;
    let courses = [
        id_of(&ids, &sales::OBJECTIONS)?,
        id_of(&ids, &sales::DISCOVERY)?,
    ];

    let then = at(app, now - Duration::days(2));
    let metric = then
        .create_outcome_metric(
            &hannah,
            sales_group.id,
            MetricDraft::parse(
                "Deals closed per week",
                "deals",
                "Closed-won deals per person and ISO week, exported from the CRM every Monday.",
                "week",
                true,
                None,
            )?,
        )
        .await?;
    for course in courses {
        then.link_outcome(&hannah, metric.id, ItemRef::course(course))
            .await?;
    }

    // Each seller's completion of a linked course, if any.
    let mut sellers = Vec::with_capacity(SELLERS.len());
    for local in SELLERS {
        sellers.push((*local, people.get(app, local).await?.id.0));
    }
    let user_ids: Vec<i64> = sellers.iter().map(|(_, id)| *id).collect();
    let mut completed: HashMap<i64, OffsetDateTime> = HashMap::new();
    for e in app.store.enrolments_for(&user_ids, &courses).await? {
        if let Some(done) = e.completed_at {
            let first = completed.entry(e.user_id).or_insert(done);
            *first = (*first).min(done);
        }
    }

    let mut csv = String::from("email,period,value\n");
    let this_week = now.date() - Duration::days(i64::from(now.weekday().number_days_from_monday()));
    for (local, id) in &sellers {
        let base = 3 + salt(local, 0) % 3;
        for w in 1..=WEEKS {
            let monday = this_week - Duration::weeks(w);
            let (year, week, _) = monday.to_iso_week_date();
            let after = completed.get(id).is_some_and(|done| monday > done.date());
            let noise = salt(local, w as u64) % 3;
            let deals = base + noise + if after { 2 } else { 0 } - 1;
            csv.push_str(&format!(
                "{local}@{},{year}-W{week:02},{deals}\n",
                crate::demo::DOMAIN
            ));
        }
    }
    at(app, now)
        .import_outcome_values(&hannah, metric.id, ValuesInput::Csv(csv.as_bytes()), false)
        .await?;
    Ok(())
}

/// A steady, made-up number per person and week.
fn salt(who: &str, n: u64) -> u64 {
    who.bytes()
        .fold(n.wrapping_mul(7919), |h, b| {
            h.wrapping_mul(31).wrapping_add(u64::from(b))
        })
        .wrapping_mul(2654435761)
        >> 7
}
