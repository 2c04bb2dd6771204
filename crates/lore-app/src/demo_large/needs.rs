//! Learning needs: asked by people for their division (or the company), voted for by others
//! in it, a few very popular and most with a handful of votes; each with its events.

use rand::Rng;
use rand::seq::{IndexedRandom, index};
use time::{Duration, OffsetDateTime};

use super::loader::{Buffer, Loader, at};
use super::organisation::Org;
use super::{Scale, words};
use crate::{App, AppResult};

const URGENCIES: &[&str] = &["low", "normal", "normal", "high", "critical"];

/// Writes the needs and returns how many events that took (at most `budget`).
pub(super) async fn generate(
    loader: &mut Loader,
    rng: &mut impl Rng,
    scale: &Scale,
    org: &Org,
    budget: u64,
    now: OffsetDateTime,
) -> AppResult<u64> {
    let mut needs = Buffer::new(
        "needs",
        &[
            "id",
            "title",
            "problem",
            "topic",
            "urgency",
            "questions",
            "status",
            "created_by",
            "created_at",
            "updated_at",
        ],
    );
    let mut audiences = Buffer::new("need_audiences", &["id", "need_id", "group_id"]);
    let mut votes = Buffer::new("need_votes", &["id", "need_id", "user_id", "created_at"]);
    let mut followers = Buffer::new(
        "need_followers",
        &["id", "need_id", "user_id", "created_at"],
    );
    let mut events = Buffer::new(
        "events",
        &["id", "user_id", "verb", "need_id", "occurred_at"],
    );
    // Needs take at most a tenth of the events.
    let allowance = budget / 10;
    let mut left = allowance;
    let mut vote_id = 1_i64;
    for n in 0..scale.needs {
        if left == 0 {
            break;
        }
        let id = n as i64 + 1;
        let d = rng.random_range(0..org.divisions.len());
        let people = &org.people_by_division[d];
        let company_wide = rng.random_bool(0.2);
        let Some(&asker) = people.choose(rng) else {
            continue;
        };
        let topic = words::TOPICS[rng.random_range(0..words::TOPICS.len())];
        let asked = now - Duration::days(rng.random_range(1..170));
        let questions = format!("[\"Where do I start with {}?\"]", topic.to_lowercase());
        needs.push([
            id.into(),
            format!("A course on {} for our team", topic.to_lowercase()).into(),
            words::paragraph(3, rng).into(),
            topic.to_lowercase().into(),
            URGENCIES[rng.random_range(0..URGENCIES.len())].into(),
            questions.into(),
            "open".into(),
            asker.into(),
            at(asked),
            at(asked),
        ]);
        let group = if company_wide {
            org.root
        } else {
            org.divisions[d]
        };
        audiences.push([id.into(), id.into(), group.into()]);
        events.push(need_event(
            loader.event_id(),
            asker,
            "asked-need",
            id,
            asked,
        ));
        left -= 1;
        // Votes: Zipf-like by the need's number, capped by the people who see it.
        let wanted = (1.0 + 300.0 / ((n + 1) as f64).powf(0.9) * rng.random::<f64>()) as usize;
        let count = wanted.min(people.len()).min(left as usize);
        let mut voters: Vec<i64> = index::sample(rng, people.len(), count)
            .into_iter()
            .map(|i| people[i])
            .filter(|&u| u != asker)
            .collect();
        voters.insert(0, asker);
        for (k, &voter) in voters.iter().enumerate() {
            let when = if k == 0 {
                asked
            } else {
                let span = (now - asked).whole_minutes().max(2);
                asked + Duration::minutes(rng.random_range(1..span))
            };
            votes.push([vote_id.into(), id.into(), voter.into(), at(when)]);
            if k == 0 || rng.random_bool(0.3) {
                followers.push([vote_id.into(), id.into(), voter.into(), at(when)]);
            }
            vote_id += 1;
            if k > 0 && left > 0 {
                events.push(need_event(loader.event_id(), voter, "voted-need", id, when));
                left -= 1;
            }
        }
        loader
            .flush_in_order(
                &mut [
                    &mut needs,
                    &mut audiences,
                    &mut votes,
                    &mut followers,
                    &mut events,
                ],
                false,
            )
            .await?;
        loader.advance(1);
    }
    loader
        .flush_in_order(
            &mut [
                &mut needs,
                &mut audiences,
                &mut votes,
                &mut followers,
                &mut events,
            ],
            true,
        )
        .await?;
    Ok(allowance - left)
}

/// Put every need into the search index, as asking one does.
pub(super) async fn index(app: &App) -> AppResult<()> {
    for need in app.store.all_needs().await? {
        let questions: Vec<String> = serde_json::from_str(&need.questions).unwrap_or_default();
        app.store
            .index_need(need.id, &need.title, &need.problem, &questions.join("\n"))
            .await?;
    }
    Ok(())
}

/// A row of the events buffer for a need: asked or voted, by whom, when.
fn need_event(
    id: i64,
    user: i64,
    verb: &str,
    need: i64,
    when: OffsetDateTime,
) -> [lore_store::Value; 5] {
    [
        id.into(),
        user.into(),
        verb.into(),
        Some(need).into(),
        at(when),
    ]
}
