//! What people do in the courses: enrolments and step progress with their events, attempts
//! at evaluations, reactions and discussions. Per course the number of learners follows its
//! popularity; each learner drops off along the steps with a chance the course sets.

use std::collections::HashSet;

use lore_store::Value;
use rand::Rng;
use rand::seq::{IndexedRandom, index};
use time::{Duration, OffsetDateTime};

use lore_domain::question::Answer;
use lore_domain::scoring;

use super::catalogue::{Catalogue, Course, Evaluation, Version};
use super::loader::{Buffer, Loader, at};
use super::organisation::Org;
use super::words;
use crate::AppResult;
use crate::evaluations::attempts::QuestionResult;

/// Events one enrolment makes on average, for sizing the learners per course.
const EVENTS_PER_ENROLMENT: f64 = 14.0;

const EVENT_COLUMNS: &[&str] = &[
    "id",
    "user_id",
    "verb",
    "course_id",
    "version_number",
    "step_key",
    "attempt_id",
    "registration",
    "group_id",
    "data",
    "occurred_at",
];

/// Ids of the rows this phase numbers itself.
#[derive(Default)]
struct Ids {
    enrolment: i64,
    progress: i64,
    attempt: i64,
    reaction: i64,
    thread: i64,
    post: i64,
}

impl Ids {
    fn next(counter: &mut i64) -> i64 {
        *counter += 1;
        *counter
    }
}

struct Buffers {
    events: Buffer,
    enrolments: Buffer,
    progress: Buffer,
    attempts: Buffer,
    reactions: Buffer,
    threads: Buffer,
    posts: Buffer,
}

impl Buffers {
    fn new() -> Self {
        Self {
            events: Buffer::new("events", EVENT_COLUMNS).counted(),
            enrolments: Buffer::new(
                "enrolments",
                &[
                    "id",
                    "user_id",
                    "course_id",
                    "version_number",
                    "source",
                    "assigned_by",
                    "due_at",
                    "created_at",
                    "started_at",
                    "completed_at",
                    "last_step_key",
                    "registration",
                ],
            ),
            progress: Buffer::new(
                "step_progress",
                &[
                    "id",
                    "enrolment_id",
                    "step_key",
                    "first_viewed_at",
                    "completed_at",
                    "seconds_spent",
                ],
            ),
            attempts: Buffer::new(
                "attempts",
                &[
                    "id",
                    "user_id",
                    "course_id",
                    "version_number",
                    "mode",
                    "seed",
                    "started_at",
                    "submitted_at",
                    "answers",
                    "results",
                    "score",
                    "max_score",
                    "passed",
                ],
            ),
            reactions: Buffer::new(
                "reactions",
                &[
                    "id",
                    "course_id",
                    "version_number",
                    "step_key",
                    "user_id",
                    "kind",
                    "comment",
                    "created_at",
                    "status",
                ],
            ),
            threads: Buffer::new(
                "threads",
                &[
                    "id",
                    "course_id",
                    "step_key",
                    "title",
                    "created_by",
                    "created_at",
                    "last_post_at",
                    "reply_count",
                ],
            ),
            posts: Buffer::new(
                "posts",
                &["id", "thread_id", "author_id", "body", "created_at"],
            ),
        }
    }

    /// Write the buffers, parents before the rows that refer to them.
    async fn flush(&mut self, loader: &mut Loader, all: bool) -> AppResult<()> {
        loader
            .flush_in_order(
                &mut [
                    &mut self.enrolments,
                    &mut self.progress,
                    &mut self.attempts,
                    &mut self.reactions,
                    &mut self.threads,
                    &mut self.posts,
                    &mut self.events,
                ],
                all,
            )
            .await?;
        Ok(())
    }
}

/// One person's time in one course, built whole before it is written (so a course that
/// would overrun the events asked for is left out entirely).
#[derive(Default)]
struct Enrolment {
    events: Vec<[Value; 11]>,
    progress: Vec<[Value; 6]>,
    attempts: Vec<[Value; 13]>,
    reactions: Vec<[Value; 9]>,
    threads: Vec<[Value; 8]>,
    posts: Vec<[Value; 5]>,
}

/// Who acts, where, in which enrolment: the columns every event of an enrolment shares.
struct Context<'a> {
    user: i64,
    course: &'a Course,
    version: &'a Version,
    registration: String,
}

impl Context<'_> {
    fn event(
        &self,
        e: &mut Enrolment,
        verb: &str,
        step_key: Option<String>,
        attempt: Option<i64>,
        data: Option<String>,
        when: OffsetDateTime,
    ) {
        e.events.push([
            Value::from(0_i64), // numbered when written
            self.user.into(),
            verb.into(),
            Some(self.course.id).into(),
            Some(self.version.number).into(),
            step_key.into(),
            attempt.into(),
            Some(self.registration.clone()).into(),
            Some(self.course.group_id).into(),
            data.into(),
            at(when),
        ]);
    }
}

pub(super) async fn generate(
    loader: &mut Loader,
    rng: &mut impl Rng,
    org: &Org,
    catalogue: &Catalogue,
    budget: u64,
    now: OffsetDateTime,
) -> AppResult<()> {
    let dropped = loader.store()?.drop_secondary_indexes("events").await?;
    let everyone: Vec<i64> = (0..org.person_count()).map(|i| i as i64 + 2).collect();
    let population = |c: &Course| -> &[i64] {
        match c.division {
            Some(d) => &org.people_by_division[d],
            None => &everyone,
        }
    };
    let learners = learners_per_course(catalogue, budget, |c| population(c).len());
    let mut ids = Ids::default();
    let mut bufs = Buffers::new();
    let mut left = budget;
    let mut enrolled: HashSet<(i64, i64)> = HashSet::new();
    let earliest = now - Duration::days(180);
    'courses: for (course, &count) in catalogue.courses.iter().zip(&learners) {
        let people = population(course);
        let keep_going = rng.random_range(0.75..0.97);
        let mut recent: Vec<i64> = Vec::new();
        for i in index::sample(rng, people.len(), count.min(people.len())) {
            let user = people[i];
            let first = course.versions[0].published_at.max(earliest);
            let span = (now - Duration::days(2) - first).whole_minutes().max(1);
            let start = first + Duration::minutes(rng.random_range(0..span));
            let version = course
                .versions
                .iter()
                .rev()
                .find(|v| v.published_at <= start)
                .unwrap_or(&course.versions[0]);
            let cx = Context {
                user,
                course,
                version,
                registration: uuid(rng),
            };
            let mut e = Enrolment::default();
            let enrolment_id = Ids::next(&mut ids.enrolment);
            let row = take_course(
                &cx,
                &mut e,
                &mut ids,
                rng,
                org,
                enrolment_id,
                start,
                keep_going,
                &recent,
                now,
            );
            if e.events.len() as u64 > left {
                break 'courses;
            }
            left -= e.events.len() as u64;
            enrolled.insert((user, course.id));
            bufs.enrolments.push(row);
            for mut ev in e.events {
                ev[0] = loader.event_id().into();
                bufs.events.push(ev);
            }
            e.progress.into_iter().for_each(|r| bufs.progress.push(r));
            e.attempts.into_iter().for_each(|r| bufs.attempts.push(r));
            e.reactions.into_iter().for_each(|r| bufs.reactions.push(r));
            e.threads.into_iter().for_each(|r| bufs.threads.push(r));
            e.posts.into_iter().for_each(|r| bufs.posts.push(r));
            if recent.len() < 50 {
                recent.push(user);
            }
            bufs.flush(loader, false).await?;
        }
    }
    // What is left of the events: people looking at a course page without starting it.
    while left > 0 {
        let course = &catalogue.courses[rng.random_range(0..catalogue.courses.len())];
        let Some(&user) = population(course).choose(rng) else {
            continue;
        };
        if enrolled.contains(&(user, course.id)) {
            continue;
        }
        let when = now - Duration::minutes(rng.random_range(60..180 * 24 * 60));
        let version = course
            .versions
            .iter()
            .rev()
            .find(|v| v.published_at <= when)
            .unwrap_or(&course.versions[0]);
        bufs.events.push([
            loader.event_id().into(),
            user.into(),
            "viewed-course".into(),
            Some(course.id).into(),
            Some(version.number).into(),
            Option::<String>::None.into(),
            Option::<i64>::None.into(),
            Option::<String>::None.into(),
            Some(course.group_id).into(),
            Option::<String>::None.into(),
            at(when),
        ]);
        left -= 1;
        loader.maybe_flush(&mut bufs.events).await?;
    }
    bufs.flush(loader, true).await?;
    loader.store()?.restore_indexes(&dropped).await?;
    Ok(())
}

/// How many learners each course gets so the events come to about `budget`: its popularity's
/// share, at most four in five of the people who see it; what the cap takes from the popular
/// courses goes to the others.
fn learners_per_course(
    catalogue: &Catalogue,
    budget: u64,
    population: impl Fn(&Course) -> usize,
) -> Vec<usize> {
    let wanted = budget as f64 / EVENTS_PER_ENROLMENT * 1.1;
    let caps: Vec<f64> = catalogue
        .courses
        .iter()
        .map(|c| population(c) as f64 * 0.8)
        .collect();
    let mut factor = wanted;
    let mut counts = vec![0.0; caps.len()];
    for _ in 0..4 {
        for (i, c) in catalogue.courses.iter().enumerate() {
            counts[i] = (c.popularity * factor).min(caps[i]);
        }
        let got: f64 = counts.iter().sum();
        if got <= 0.0 || got >= wanted * 0.99 {
            break;
        }
        factor *= wanted / got;
    }
    counts
        .into_iter()
        .map(|n| n.round().max(1.0) as usize)
        .collect()
}

/// Walk one learner through the course from `start`, filling `e`; returns the enrolment row.
#[expect(
    clippy::too_many_arguments,
    reason = "the walk's inputs, each used once"
)]
fn take_course(
    cx: &Context<'_>,
    e: &mut Enrolment,
    ids: &mut Ids,
    rng: &mut impl Rng,
    org: &Org,
    enrolment_id: i64,
    start: OffsetDateTime,
    keep_going: f64,
    classmates: &[i64],
    now: OffsetDateTime,
) -> [Value; 12] {
    let limit = now - Duration::minutes(1);
    let mut t = start;
    cx.event(e, "viewed-course", None, None, None, t);
    t += Duration::seconds(rng.random_range(5..120));
    let assigned_by = rng
        .random_bool(0.1)
        .then(|| org.coaches.choose(rng).copied())
        .flatten();
    match assigned_by {
        Some(coach) => cx.event(
            e,
            "assigned",
            None,
            None,
            Some(format!("{{\"by\":{coach}}}")),
            t,
        ),
        None => cx.event(e, "enrolled", None, None, None, t),
    }
    let enrolled_at = t;
    let (mut started_at, mut completed_at, mut last_step) = (None, None, None);
    if rng.random_bool(0.85) {
        t += Duration::seconds(rng.random_range(2..30));
        started_at = Some(t);
        cx.event(e, "started", None, None, None, t);
        let steps = &cx.version.steps;
        let mut done = 0;
        for step in steps {
            if rng.random_bool(0.15) {
                t += Duration::hours(rng.random_range(2..72));
            }
            if t > limit {
                break;
            }
            cx.event(e, "viewed-step", Some(step.key.clone()), None, None, t);
            last_step = Some(step.key.clone());
            let finishes = rng.random_bool(keep_going);
            let seconds = rng.random_range(20..900_i64);
            let completed = (finishes && t + Duration::seconds(seconds) < limit)
                .then(|| t + Duration::seconds(seconds));
            e.progress.push([
                Ids::next(&mut ids.progress).into(),
                enrolment_id.into(),
                step.key.clone().into(),
                at(t),
                completed.into(),
                (if completed.is_some() { seconds } else { 0 }).into(),
            ]);
            let Some(done_at) = completed else { break };
            if let Some(q) = &step.question {
                let points = if rng.random_bool(0.75) { 1 } else { 0 };
                let data = format!(
                    "{{\"step\":\"{}\",\"points\":{points}.0,\"max\":1.0}}",
                    step.key
                );
                cx.event(
                    e,
                    "answered",
                    Some(q.clone()),
                    None,
                    Some(data),
                    done_at - Duration::seconds(5),
                );
            }
            t = done_at;
            cx.event(
                e,
                "completed-step",
                Some(step.key.clone()),
                None,
                Some(format!("{{\"seconds\":{seconds}}}")),
                t,
            );
            done += 1;
            if rng.random_bool(0.04) {
                react(cx, e, ids, rng, &step.key, t);
            }
            if rng.random_bool(0.005) {
                discuss(cx, e, ids, rng, &step.key, classmates, t, limit);
            }
        }
        if done == steps.len() {
            let passed = match &cx.course.evaluation {
                Some(ev) => evaluate(cx, e, ids, rng, ev, &mut t, limit),
                None => true,
            };
            let required = cx.course.evaluation.as_ref().is_some_and(|ev| ev.exam);
            if (passed || !required) && t < limit {
                t += Duration::seconds(1);
                completed_at = Some(t);
                cx.event(e, "completed-course", None, None, None, t);
            }
        }
    }
    [
        enrolment_id.into(),
        cx.user.into(),
        cx.course.id.into(),
        cx.version.number.into(),
        (if assigned_by.is_some() {
            "assigned"
        } else {
            "self"
        })
        .into(),
        assigned_by.into(),
        assigned_by.map(|_| enrolled_at + Duration::days(30)).into(),
        at(start),
        started_at.into(),
        completed_at.into(),
        last_step.into(),
        Some(cx.registration.clone()).into(),
    ]
}

/// Attempts at the final evaluation until passed (or out of attempts, or time); returns
/// whether the last one passed.
fn evaluate(
    cx: &Context<'_>,
    e: &mut Enrolment,
    ids: &mut Ids,
    rng: &mut impl Rng,
    evaluation: &Evaluation,
    t: &mut OffsetDateTime,
    limit: OffsetDateTime,
) -> bool {
    let question = super::catalogue::question();
    let tries = if evaluation.exam {
        3
    } else {
        rng.random_range(1..=2)
    };
    let skill = rng.random_range(0.4..0.95);
    for _ in 0..tries {
        let started = *t + Duration::minutes(rng.random_range(1..60));
        let submitted = started + Duration::minutes(rng.random_range(2..15));
        if submitted > limit {
            return false;
        }
        let id = Ids::next(&mut ids.attempt);
        cx.event(e, "started-attempt", None, Some(id), None, started);
        let mut answers = serde_json::Map::new();
        let mut results = Vec::new();
        let mut score = 0.0;
        for key in &evaluation.questions {
            let right = rng.random_bool(skill);
            let answer = Answer::Choices(vec![if right { "a" } else { "b" }.to_owned()]);
            let s = scoring::score(&question, &answer);
            score += s.points;
            e.events.push([
                Value::from(0_i64),
                cx.user.into(),
                "answered".into(),
                Some(cx.course.id).into(),
                Some(cx.version.number).into(),
                Some(key.clone()).into(),
                Some(id).into(),
                Some(cx.registration.clone()).into(),
                Some(cx.course.group_id).into(),
                Some(format!(
                    "{{\"points\":{:.1},\"max\":{:.1}}}",
                    s.points, s.max
                ))
                .into(),
                at(started + Duration::minutes(1)),
            ]);
            answers.insert(
                key.clone(),
                serde_json::to_value(&answer).unwrap_or_default(),
            );
            results.push(QuestionResult {
                key: key.clone(),
                explanation: question.explanation.clone(),
                question: question.clone(),
                score: s,
            });
        }
        let max = evaluation.questions.len() as f64;
        let passed = score / max * 100.0 >= 80.0;
        let results = serde_json::to_string(&results).unwrap_or_default();
        e.attempts.push([
            id.into(),
            cx.user.into(),
            cx.course.id.into(),
            cx.version.number.into(),
            (if evaluation.exam { "exam" } else { "practice" }).into(),
            rng.random_range(0..i64::MAX).into(),
            at(started),
            Some(submitted).into(),
            serde_json::Value::Object(answers).to_string().into(),
            Some(results).into(),
            Some(score).into(),
            Some(max).into(),
            Some(passed).into(),
        ]);
        let data = format!("{{\"score\":{score:.1},\"max\":{max:.1},\"passed\":{passed}}}");
        cx.event(
            e,
            "submitted-attempt",
            None,
            Some(id),
            Some(data),
            submitted,
        );
        *t = submitted;
        if passed {
            return true;
        }
    }
    false
}

const KINDS: &[(&str, u32)] = &[
    ("useful", 35),
    ("learned", 25),
    ("liked", 20),
    ("outdated", 7),
    ("question", 8),
    ("unclear", 5),
];

fn react(
    cx: &Context<'_>,
    e: &mut Enrolment,
    ids: &mut Ids,
    rng: &mut impl Rng,
    step: &str,
    t: OffsetDateTime,
) {
    let mut roll = rng.random_range(0..100);
    let kind = KINDS
        .iter()
        .find(|(_, w)| {
            let hit = roll < *w;
            roll = roll.saturating_sub(*w);
            hit
        })
        .map_or("useful", |(k, _)| k);
    let negative = matches!(kind, "outdated" | "question" | "unclear");
    let id = Ids::next(&mut ids.reaction);
    e.reactions.push([
        id.into(),
        cx.course.id.into(),
        cx.version.number.into(),
        step.into(),
        cx.user.into(),
        kind.into(),
        negative.then(|| words::paragraph(1, rng)).into(),
        at(t),
        negative.then_some("open").map(str::to_owned).into(),
    ]);
    cx.event(
        e,
        "reacted",
        Some(step.to_owned()),
        None,
        Some(format!("{{\"kind\":\"{kind}\",\"reaction\":{id}}}")),
        t,
    );
}

#[expect(clippy::too_many_arguments, reason = "a thread's few inputs")]
fn discuss(
    cx: &Context<'_>,
    e: &mut Enrolment,
    ids: &mut Ids,
    rng: &mut impl Rng,
    step: &str,
    classmates: &[i64],
    t: OffsetDateTime,
    limit: OffsetDateTime,
) {
    let thread = Ids::next(&mut ids.thread);
    let mut last = t;
    e.posts.push([
        Ids::next(&mut ids.post).into(),
        thread.into(),
        cx.user.into(),
        words::paragraph(2, rng).into(),
        at(t),
    ]);
    let replies = rng.random_range(0..5.min(classmates.len() + 1));
    let mut written = 0_i32;
    for _ in 0..replies {
        let when = last + Duration::hours(rng.random_range(1..48));
        let Some(&who) = classmates.choose(rng) else {
            break;
        };
        if when > limit {
            break;
        }
        e.posts.push([
            Ids::next(&mut ids.post).into(),
            thread.into(),
            who.into(),
            words::paragraph(2, rng).into(),
            at(when),
        ]);
        last = when;
        written += 1;
    }
    e.threads.push([
        thread.into(),
        cx.course.id.into(),
        Some(step.to_owned()).into(),
        format!(
            "How does this apply to {}?",
            words::TOPICS[rng.random_range(0..words::TOPICS.len())].to_lowercase()
        )
        .into(),
        cx.user.into(),
        at(t),
        at(last),
        written.into(),
    ]);
}

/// A version 4 UUID from the seeded generator, for an enrolment's registration.
fn uuid(rng: &mut impl Rng) -> String {
    let a: u64 = rng.random();
    let b: u64 = rng.random();
    let a = (a & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_4000;
    let b = (b & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xffff,
        b >> 48,
        b & 0xffff_ffff_ffff
    )
}
