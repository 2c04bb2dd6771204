//! Learning needs in the demo, seeded after the courses: people ask for what they need to
//! learn, others vote (over weeks, so demand differs and old votes fade), follow and
//! volunteer; coaches explore, close, decline, merge a duplicate, link the demo course that
//! answers a need, and assign an expert whose draft course is on its way. A need in every
//! state, so the board, a need's record and the expert suggestions have something to show.
//!
//! Like the courses, everything goes through the use cases with the clock set back, in time
//! order across all needs, so each need's record reads as it happened.

use std::collections::HashMap;

use time::{Duration, OffsetDateTime};

use super::feedback::{People, course_ids, id_of};
use super::{DemoCourse, at, engineering, sales};
use crate::needs::asking::NeedInput;
use crate::{App, AppError, AppResult};

/// A need as someone asks for it.
struct DemoNeed {
    /// How the beats below name it.
    key: &'static str,
    /// Email local part of the asker.
    asker: &'static str,
    /// When it was asked.
    asked: Ago,
    title: &'static str,
    problem: &'static str,
    topic: &'static str,
    urgency: &'static str,
    /// One per line.
    questions: &'static str,
    /// Audience groups by name; empty means the asker's own groups.
    audiences: &'static [&'static str],
}

/// Days and hours before now.
#[derive(Debug, Clone, Copy)]
struct Ago(i64, i64);

impl Ago {
    fn before(self, now: OffsetDateTime) -> OffsetDateTime {
        now - Duration::days(self.0) - Duration::hours(self.1)
    }
}

/// Something that happens to a need after it was asked.
enum Act {
    Vote(&'static str),
    Follow(&'static str),
    Volunteer(&'static str),
    /// A coach moves it; a reason where one is owed.
    Status {
        by: &'static str,
        to: &'static str,
        reason: &'static str,
    },
    /// A coach links the published demo course that answers it.
    Answer {
        by: &'static str,
        course: &'static DemoCourse,
    },
    /// A coach asks someone to write the course; they get a draft.
    Assign {
        by: &'static str,
        expert: &'static str,
    },
    /// A coach folds it into the need with this key.
    MergeInto {
        by: &'static str,
        into: &'static str,
    },
}

struct Beat {
    need: &'static str,
    when: Ago,
    act: Act,
}

const fn beat(need: &'static str, when: Ago, act: Act) -> Beat {
    Beat { need, when, act }
}

const NEEDS: &[DemoNeed] = &[
    DemoNeed {
        key: "postgres",
        asker: "mei.chen",
        asked: Ago(21, 3),
        title: "Finding and fixing slow PostgreSQL queries",
        problem: "Every few weeks a page times out because of a query that was fast in development. We guess at indexes, and a wrong one slowed down writes on the orders table last month.",
        topic: "Databases",
        urgency: "high",
        questions: "How do I read an EXPLAIN ANALYZE plan?\nWhen does an index help, and when does it hurt?\nHow do I find the slowest queries in production?\nHow do I test a migration's speed before it ships?",
        audiences: &["Engineering"],
    },
    DemoNeed {
        key: "query-plans",
        asker: "sofia.rossi",
        asked: Ago(12, 5),
        title: "Reading Postgres query plans",
        problem: "I can run EXPLAIN but I don't know what a sequential scan costs or why the planner ignores my index.",
        topic: "Databases",
        urgency: "normal",
        questions: "Why does the planner ignore my index?\nWhat do the cost numbers mean?",
        audiences: &["Engineering"],
    },
    DemoNeed {
        key: "kubernetes",
        asker: "daniel.kowalski",
        asked: Ago(45, 2),
        title: "Kubernetes basics for application developers",
        problem: "Since the move to the new cluster, only the Platform Team can tell why a deploy is stuck. The rest of us wait for them or copy manifests we don't understand.",
        topic: "Platform",
        urgency: "high",
        questions: "How do I deploy a service to our cluster?\nWhere do secrets and configuration come from?\nHow do I read the logs of a pod and restart it?\nWhat do I check when a deploy is stuck?",
        audiences: &["Engineering"],
    },
    DemoNeed {
        key: "rotate-keys",
        asker: "kwame.mensah",
        asked: Ago(52, 6),
        title: "Rotating API keys and database passwords",
        problem: "The payment provider's key is three years old and nobody knows which services would break if we changed it.",
        topic: "Security",
        urgency: "high",
        questions: "How often should we rotate which secrets?\nHow do we rotate without an outage?\nWhat do we do when a secret leaks?",
        audiences: &["Engineering"],
    },
    DemoNeed {
        key: "vpn",
        asker: "fatima.zahra",
        asked: Ago(64, 1),
        title: "Setting up the VPN on Linux laptops",
        problem: "The VPN guide only covers macOS and Windows; on Ubuntu the client connects but DNS does not resolve internal names.",
        topic: "IT",
        urgency: "normal",
        questions: "Which client and settings do we use on Linux?\nHow do I make internal names resolve?",
        audiences: &["Engineering"],
    },
    DemoNeed {
        key: "adrs",
        asker: "priya.raman",
        asked: Ago(3, 4),
        title: "Writing architecture decision records people read",
        problem: "We argue about the same choices twice because nobody wrote down why we made them the first time.",
        topic: "Engineering practice",
        urgency: "normal",
        questions: "What belongs in a decision record?\nWhen is a decision worth a record?",
        audiences: &["Engineering"],
    },
    DemoNeed {
        key: "procurement",
        asker: "ethan.walker",
        asked: Ago(10, 2),
        title: "Negotiating price with procurement teams",
        problem: "Deals that the champion loves stall for weeks once procurement joins, and we give discounts we did not need to give.",
        topic: "Sales",
        urgency: "high",
        questions: "What does procurement actually get measured on?\nWhen should we trade rather than discount?\nHow do we keep the champion involved?",
        audiences: &["Sales"],
    },
    DemoNeed {
        key: "questionnaires",
        asker: "ingrid.johansson",
        asked: Ago(70, 3),
        title: "Answering security questionnaires from enterprise buyers",
        problem: "Each questionnaire takes a week of chasing engineers, and we answer the same 300 questions differently every time.",
        topic: "Sales",
        urgency: "high",
        questions: "Where do the approved answers live?\nWhich questions must go to the security team?",
        audiences: &["Sales"],
    },
    DemoNeed {
        key: "rust",
        asker: "liam.obrien",
        asked: Ago(40, 5),
        title: "Rust for the whole sales team",
        problem: "Prospects ask whether our agent is written in Rust; it would be good to understand what that means.",
        topic: "Engineering practice",
        urgency: "low",
        questions: "What is Rust, and why do engineers like it?",
        audiences: &["Sales"],
    },
    DemoNeed {
        key: "incident-reviews",
        asker: "noah.fischer",
        asked: Ago(28, 2),
        title: "Running incident reviews with customers in the room",
        problem: "After an outage, big customers ask to join the postmortem. We don't know what to share, who leads, or how to keep it blameless with them listening.",
        topic: "Incidents",
        urgency: "normal",
        questions: "What do we share with a customer after an incident, and when?\nWho leads the review when a customer attends?\nHow do we stay blameless in front of customers?",
        audiences: &["Customer Success"],
    },
    DemoNeed {
        key: "help-centre",
        asker: "isabel.fernandez",
        asked: Ago(150, 4),
        title: "Writing help-centre articles customers actually read",
        problem: "Customers open tickets for things the help centre explains, because the articles are long and start with background instead of the answer.",
        topic: "Writing",
        urgency: "low",
        questions: "How long should an article be?\nHow do we know which articles nobody finds?",
        audiences: &["Customer Success"],
    },
    DemoNeed {
        key: "sla",
        asker: "mateo.garcia",
        asked: Ago(6, 1),
        title: "Explaining our SLA and uptime credits to customers",
        problem: "Customers ask for credits after every blip, and Sales, Support and Engineering each explain the SLA differently.",
        topic: "Customers",
        urgency: "high",
        questions: "What exactly does our SLA promise?\nWhen is a customer owed a credit, and how is it calculated?\nWho approves a credit?",
        audiences: &["Acme"],
    },
];

const BEATS: &[Beat] = &[
    // Slow queries: wanted across Engineering; a duplicate is merged in; Tomás offers to help.
    beat("postgres", Ago(19, 6), Act::Vote("jonas.lindqvist")),
    beat("postgres", Ago(15, 2), Act::Vote("fatima.zahra")),
    beat("query-plans", Ago(11, 1), Act::Vote("fatima.zahra")),
    beat("query-plans", Ago(10, 3), Act::Vote("yusuf.demir")),
    beat("postgres", Ago(10, 1), Act::Follow("priya.raman")),
    beat("postgres", Ago(9, 4), Act::Vote("daniel.kowalski")),
    beat(
        "query-plans",
        Ago(8, 2),
        Act::MergeInto {
            by: "lukas.becker",
            into: "postgres",
        },
    ),
    beat("postgres", Ago(6, 5), Act::Volunteer("tomas.herrera")),
    beat("postgres", Ago(4, 2), Act::Vote("elena.novak")),
    beat("postgres", Ago(2, 3), Act::Vote("kwame.mensah")),
    // Kubernetes: many votes, explored, then the Platform Team's Arjun is writing the course.
    beat("kubernetes", Ago(44, 1), Act::Vote("mei.chen")),
    beat("kubernetes", Ago(40, 6), Act::Vote("jonas.lindqvist")),
    beat("kubernetes", Ago(38, 2), Act::Vote("fatima.zahra")),
    beat("kubernetes", Ago(33, 4), Act::Vote("sofia.rossi")),
    beat("kubernetes", Ago(30, 3), Act::Vote("kwame.mensah")),
    beat("kubernetes", Ago(27, 5), Act::Vote("elena.novak")),
    beat("kubernetes", Ago(24, 2), Act::Volunteer("yusuf.demir")),
    beat(
        "kubernetes",
        Ago(22, 1),
        Act::Status {
            by: "lukas.becker",
            to: "exploring",
            reason: "Asking the Platform Team who could write this.",
        },
    ),
    beat(
        "kubernetes",
        Ago(14, 3),
        Act::Assign {
            by: "lukas.becker",
            expert: "arjun.patel",
        },
    ),
    beat("kubernetes", Ago(5, 2), Act::Vote("priya.raman")),
    // Secrets: answered by the Platform Team's course once it was published.
    beat("rotate-keys", Ago(50, 2), Act::Vote("jonas.lindqvist")),
    beat("rotate-keys", Ago(47, 4), Act::Vote("elena.novak")),
    beat("rotate-keys", Ago(41, 1), Act::Vote("daniel.kowalski")),
    beat(
        "rotate-keys",
        Ago(29, 2),
        Act::Answer {
            by: "lukas.becker",
            course: &engineering::ROTATING_SECRETS,
        },
    ),
    // The VPN: closed, the intranet answers it.
    beat("vpn", Ago(63, 2), Act::Vote("sofia.rossi")),
    beat(
        "vpn",
        Ago(58, 3),
        Act::Status {
            by: "lukas.becker",
            to: "closed",
            reason: "IT added Linux steps to the VPN page on the intranet; that answers it without a course.",
        },
    ),
    // Decision records: asked this week.
    beat("adrs", Ago(2, 1), Act::Vote("tomas.herrera")),
    // Procurement: fresh and urgent in Sales.
    beat("procurement", Ago(9, 3), Act::Vote("grace.kim")),
    beat("procurement", Ago(8, 2), Act::Follow("rafael.souza")),
    beat("procurement", Ago(7, 5), Act::Vote("omar.haddad")),
    beat("procurement", Ago(5, 1), Act::Vote("ingrid.johansson")),
    beat("procurement", Ago(3, 4), Act::Vote("liam.obrien")),
    // Questionnaires: answered by Marcus's course.
    beat("questionnaires", Ago(66, 2), Act::Vote("chloe.martin")),
    beat("questionnaires", Ago(60, 5), Act::Vote("aiko.tanaka")),
    beat("questionnaires", Ago(52, 1), Act::Vote("omar.haddad")),
    beat(
        "questionnaires",
        Ago(39, 3),
        Act::Answer {
            by: "hannah.schmidt",
            course: &sales::SECURITY_QUESTIONNAIRES,
        },
    ),
    // Rust for Sales: declined, with where to look instead.
    beat(
        "rust",
        Ago(36, 2),
        Act::Status {
            by: "hannah.schmidt",
            to: "declined",
            reason: "Nobody in Sales writes code, so a Rust course would not help with deals. For technical questions from buyers, bring a sales engineer; “Discovery calls that uncover real pain” covers how.",
        },
    ),
    // Incident reviews with customers: Customer Success explores it.
    beat("incident-reviews", Ago(26, 3), Act::Vote("zoe.williams")),
    beat("incident-reviews", Ago(21, 1), Act::Vote("leila.ahmadi")),
    beat(
        "incident-reviews",
        Ago(16, 2),
        Act::Status {
            by: "nadia.petrova",
            to: "exploring",
            reason: "Checking with Tomás whether the postmortem course could get a step on customer-facing reviews.",
        },
    ),
    beat("incident-reviews", Ago(12, 4), Act::Vote("mateo.garcia")),
    // Help-centre articles: wanted long ago; the votes have faded.
    beat("help-centre", Ago(140, 2), Act::Vote("leila.ahmadi")),
    beat("help-centre", Ago(120, 5), Act::Vote("mateo.garcia")),
    beat("help-centre", Ago(100, 1), Act::Vote("zoe.williams")),
    // The SLA: for the whole company, and this week.
    beat("sla", Ago(5, 3), Act::Vote("ethan.walker")),
    beat("sla", Ago(4, 2), Act::Vote("leila.ahmadi")),
    beat("sla", Ago(4, 1), Act::Vote("omar.haddad")),
    beat("sla", Ago(3, 5), Act::Follow("amara.okafor")),
    beat("sla", Ago(2, 2), Act::Vote("jonas.lindqvist")),
    beat("sla", Ago(1, 4), Act::Vote("noah.fischer")),
];

/// Ask for the demo's needs and play what happened to them, unless there are needs already.
pub(super) async fn seed(app: &App, now: OffsetDateTime) -> AppResult<()> {
    if !app.store.all_needs().await?.is_empty() {
        return Ok(());
    }
    let courses = course_ids(app).await?;
    let groups: HashMap<String, i64> = app
        .store
        .all_groups()
        .await?
        .into_iter()
        .map(|g| (g.name, g.id))
        .collect();
    let mut people = People::default();
    let mut history: Vec<(OffsetDateTime, Option<&Beat>, &DemoNeed)> = Vec::new();
    for need in NEEDS {
        history.push((need.asked.before(now), None, need));
    }
    for b in BEATS {
        let need = NEEDS
            .iter()
            .find(|n| n.key == b.need)
            .ok_or_else(|| AppError::Internal(format!("no demo need {:?}", b.need)))?;
        history.push((b.when.before(now), Some(b), need));
    }
    history.sort_by_key(|(when, _, _)| *when);
    let mut ids: HashMap<&'static str, i64> = HashMap::new();
    let id_of_need = |ids: &HashMap<&'static str, i64>, key: &str| {
        ids.get(key).copied().ok_or_else(|| {
            AppError::Internal(format!("the demo need {key:?} is used before it is asked"))
        })
    };
    for (when, beat, need) in history {
        let then = at(app, when);
        let Some(beat) = beat else {
            let audiences = need
                .audiences
                .iter()
                .map(|name| {
                    groups.get(*name).copied().ok_or_else(|| {
                        AppError::Internal(format!("the demo group {name} is missing"))
                    })
                })
                .collect::<AppResult<Vec<i64>>>()?;
            let asker = people.get(app, need.asker).await?;
            let id = then
                .ask_need(
                    &asker,
                    NeedInput {
                        title: need.title,
                        problem: need.problem,
                        topic: need.topic,
                        urgency: need.urgency,
                        questions: need.questions,
                        audiences,
                    },
                )
                .await?;
            ids.insert(need.key, id);
            continue;
        };
        let id = id_of_need(&ids, need.key)?;
        match &beat.act {
            Act::Vote(who) => then.vote_need(&people.get(app, who).await?, id).await?,
            Act::Follow(who) => {
                then.follow_need(&people.get(app, who).await?, id, true)
                    .await?
            }
            Act::Volunteer(who) => {
                then.volunteer_for_need(&people.get(app, who).await?, id)
                    .await?
            }
            Act::Status { by, to, reason } => {
                then.set_need_status(&people.get(app, by).await?, id, to, reason)
                    .await?;
            }
            Act::Answer { by, course } => {
                let course = id_of(&courses, course)?;
                then.link_course_to_need(&people.get(app, by).await?, id, course)
                    .await?
            }
            Act::Assign { by, expert } => {
                let expert = people.get(app, expert).await?;
                then.assign_expert(&people.get(app, by).await?, id, expert.id.0)
                    .await?;
            }
            Act::MergeInto { by, into } => {
                let into = id_of_need(&ids, into)?;
                then.merge_need(&people.get(app, by).await?, id, into)
                    .await?;
            }
        }
    }
    tracing::info!(needs = NEEDS.len(), "demo learning needs ready");
    Ok(())
}

/// What the demo's needs must show; called by the demo test after seeding.
#[cfg(test)]
pub(super) async fn assert_needs_in_every_state(app: &App, lukas: &crate::Caller) {
    use lore_domain::need::{ExpertState, NeedStatus};

    use crate::needs::{BoardQuery, BoardSort};

    let now = app.now();
    let needs = app.store.all_needs().await.expect("needs");
    assert_eq!(needs.len(), NEEDS.len(), "seeding twice asks once");
    for status in NeedStatus::ALL {
        assert!(
            needs.iter().any(|n| n.status == status),
            "a need is {}",
            status.as_str()
        );
    }
    let by_key = |key: &str| {
        let title = NEEDS.iter().find(|n| n.key == key).expect("key").title;
        needs.iter().find(|n| n.title == title).expect("asked")
    };
    for n in &needs {
        assert!(n.created_at <= now && n.updated_at <= now);
        for e in app.store.need_events(n.id).await.expect("events") {
            assert!(e.created_at >= n.created_at && e.created_at <= now, "{e:?}");
        }
    }
    let merged = by_key("query-plans");
    assert_eq!(merged.merged_into, Some(by_key("postgres").id));
    assert!(by_key("rust").decline_reason.is_some());

    // The expert's draft is outlined from the questions; the answered needs have courses.
    let kubernetes = by_key("kubernetes");
    assert_eq!(kubernetes.status, NeedStatus::InProgress);
    let experts = app
        .store
        .need_experts(kubernetes.id)
        .await
        .expect("experts");
    let assigned = experts
        .iter()
        .find(|e| e.state == ExpertState::Assigned)
        .expect("an assigned expert");
    assert!(experts.iter().any(|e| e.state == ExpertState::Volunteer));
    let draft = assigned.course_id.expect("a draft course");
    let course = app
        .store
        .course(draft)
        .await
        .expect("course")
        .expect("draft");
    assert!(course.latest_version.is_none(), "not published yet");
    let versions = app.store.versions_of(draft).await.expect("versions");
    assert_eq!(versions.len(), 1);
    let steps = app.store.steps_of(versions[0].id).await.expect("steps");
    assert_eq!(steps.len(), 5, "why, and four questions");
    for key in ["rotate-keys", "questionnaires"] {
        let n = by_key(key);
        assert_eq!(n.status, NeedStatus::Answered);
        assert_eq!(
            app.store
                .need_courses(Some(&[n.id]))
                .await
                .expect("courses")
                .len(),
            1
        );
    }

    // The board: live needs with different demand, most first; lead times where answered.
    let board = app
        .needs_board(
            lukas,
            &BoardQuery {
                sort: BoardSort::Demand,
                ..BoardQuery::default()
            },
        )
        .await
        .expect("board");
    let demand: Vec<i64> = board.needs.iter().map(|n| n.demand).collect();
    assert!(board.needs.len() >= 4, "{demand:?}");
    assert!(demand.windows(2).all(|w| w[0] >= w[1]), "{demand:?}");
    let mut distinct = demand.clone();
    distinct.dedup();
    assert!(distinct.len() >= 4, "demand differs: {demand:?}");
    assert!(board.needs.iter().all(|n| n.status.takes_votes()));
    assert!(
        board
            .lead_times
            .iter()
            .any(|l| l.group == "Acme/Engineering" && l.median_days.is_some()),
        "{:?}",
        board.lead_times
    );
    let postgres = board
        .needs
        .iter()
        .find(|n| n.title == by_key("postgres").title)
        .expect("slow queries on the board");
    assert_eq!(postgres.votes, 8, "its own six and the duplicate's two");

    // No demo course is about PostgreSQL, so Tomás is suggested for slow queries because he
    // volunteered, and for nothing his other courses happen to say; Arjun is the Kubernetes
    // need's assigned expert, with his draft.
    let tomas = app
        .suggest_experts(lukas, by_key("postgres").id)
        .await
        .expect("suggestions")
        .into_iter()
        .find(|s| s.name == "Tomás Herrera")
        .expect("the volunteer is suggested");
    assert!(tomas.volunteered && !tomas.assigned, "{tomas:?}");
    assert_eq!(tomas.reasons, vec!["Volunteered".to_owned()], "{tomas:?}");
    let arjun = app
        .need_view(lukas, kubernetes.id)
        .await
        .expect("the Kubernetes need")
        .experts
        .into_iter()
        .find(|e| e.name == "Arjun Patel")
        .expect("the assigned expert is listed");
    assert_eq!(arjun.state, ExpertState::Assigned);
    assert!(arjun.course_id.is_some(), "with his draft");
}
