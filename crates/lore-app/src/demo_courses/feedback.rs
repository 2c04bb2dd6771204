//! Feedback on the demo courses, seeded after their stories are played: reactions of every
//! kind (most positive, some flagging an outdated step or asking a question, answered, fixed,
//! set aside or still open), discussions with accepted answers and one nobody answered yet,
//! and suggested edits accepted and published, declined, or waiting. So the feedback pages
//! and the "needs attention" list have something true to say.
//!
//! Like the courses, everything goes through the use cases with the clock set back: reactions
//! come after the person started the course, resolutions after the reaction, and a suggestion
//! accepted into a new version is published a few days ago, after every learner enrolled.

use std::collections::HashMap;

use lore_domain::reactions::{ReactionKind, Resolution};
use lore_store::{EnrolmentRow, StepRow};
use time::{Duration, OffsetDateTime};

use super::{
    COURSES, Cast, DemoCourse, Seeded, Stage, at, company, customer_success, engineering, sales,
    take, title, took,
};
use crate::demo::DOMAIN;
use crate::discussions::NewThreadInput;
use crate::{App, AppError, AppResult, Caller};

/// Someone who read a step or two of a course after its learners, so that enough people have
/// seen a few courses for them to show a reaction score.
struct Reader {
    course: &'static DemoCourse,
    who: &'static str,
    /// Days before now; after the course's newest version, so they take it.
    days: i64,
    /// Steps read; few enough that nobody sits a practice quiz.
    steps: usize,
}

const READERS: &[Reader] = &[
    Reader {
        course: &engineering::ON_CALL,
        who: "mateo.garcia",
        days: 9,
        steps: 1,
    },
    Reader {
        course: &engineering::ON_CALL,
        who: "zoe.williams",
        days: 6,
        steps: 2,
    },
    Reader {
        course: &engineering::ON_CALL,
        who: "samuel.adeyemi",
        days: 4,
        steps: 1,
    },
    Reader {
        course: &customer_success::PRODUCT_ONBOARDING,
        who: "ethan.walker",
        days: 40,
        steps: 2,
    },
    Reader {
        course: &customer_success::PRODUCT_ONBOARDING,
        who: "sofia.rossi",
        days: 18,
        steps: 1,
    },
    Reader {
        course: &customer_success::PRODUCT_ONBOARDING,
        who: "elena.novak",
        days: 12,
        steps: 2,
    },
    Reader {
        course: &sales::OBJECTIONS,
        who: "isabel.fernandez",
        days: 17,
        steps: 3,
    },
    Reader {
        course: &sales::OBJECTIONS,
        who: "noah.fischer",
        days: 14,
        steps: 2,
    },
    Reader {
        course: &sales::OBJECTIONS,
        who: "leila.ahmadi",
        days: 11,
        steps: 1,
    },
    Reader {
        course: &sales::OBJECTIONS,
        who: "nadia.petrova",
        days: 9,
        steps: 2,
    },
];

/// A hand-written reaction on a step of the version the person takes.
struct Said {
    course: &'static DemoCourse,
    who: &'static str,
    /// The step's title in that version (they have seen it).
    step: &'static str,
    kind: ReactionKind,
    comment: &'static str,
    /// Hours after they started the course.
    hours: i64,
    then: Then,
}

/// What an author did with a negative reaction.
enum Then {
    Open,
    /// Answered by `by`, `hours` after the reaction.
    Answered {
        by: &'static str,
        hours: i64,
        text: &'static str,
    },
    Dismissed {
        by: &'static str,
        hours: i64,
        reason: &'static str,
    },
    /// Marked fixed in this (already published) version, an hour after it was published.
    FixedIn {
        by: &'static str,
        version: i32,
    },
}

const SAID: &[Said] = &[
    // On-call: two outdated flags fixed by later versions, two still open, questions.
    Said {
        course: &engineering::ON_CALL,
        who: "jonas.lindqvist",
        step: "Minute 0 to 2: acknowledge the page",
        kind: ReactionKind::Outdated,
        comment: "We don't name incident channels by hand any more: the incident bot creates them with `/incident declare`.",
        hours: 2,
        then: Then::FixedIn {
            by: "tomas.herrera",
            version: 2,
        },
    },
    Said {
        course: &engineering::ON_CALL,
        who: "fatima.zahra",
        step: "Minute 2 to 5: assess impact and set a severity",
        kind: ReactionKind::Outdated,
        comment: "Nothing in the table fits problems customers can't see yet: last night's failed backup wasn't even a SEV3, but it had to be fixed before morning.",
        hours: 3,
        then: Then::FixedIn {
            by: "priya.raman",
            version: 3,
        },
    },
    Said {
        course: &engineering::ON_CALL,
        who: "kwame.mensah",
        step: "Minute 5 to 15: stabilise first, fix later",
        kind: ReactionKind::Outdated,
        comment: "`deployctl history` is gone since the move to Argo CD; `argocd app history checkout` shows the same list.",
        hours: 1,
        then: Then::Open,
    },
    Said {
        course: &engineering::ON_CALL,
        who: "elena.novak",
        step: "Communicate while you work",
        kind: ReactionKind::Outdated,
        comment: "#status-internal was archived last month: Customer Success follows #incident-updates now, and the bot posts there.",
        hours: 2,
        then: Then::Open,
    },
    Said {
        course: &engineering::ON_CALL,
        who: "daniel.kowalski",
        step: "Minute 0 to 2: acknowledge and declare",
        kind: ReactionKind::Question,
        comment: "If the page resolves itself before I acknowledge it, do I still declare an incident?",
        hours: 1,
        then: Then::Open,
    },
    Said {
        course: &engineering::ON_CALL,
        who: "mei.chen",
        step: "Minute 2 to 5: assess impact and set a severity",
        kind: ReactionKind::Question,
        comment: "Who is incident commander for a SEV1 at night, when the engineering manager is asleep?",
        hours: 1,
        then: Then::Answered {
            by: "priya.raman",
            hours: 5,
            text: "You are, until someone takes over: the primary on-call commands by default. A SEV1 pages the manager, who joins and decides whether to hand command to someone else.",
        },
    },
    Said {
        course: &engineering::ON_CALL,
        who: "yusuf.demir",
        step: "Before your shift starts",
        kind: ReactionKind::Unclear,
        comment: "Which laptop is \"the laptop you will actually carry\"? I have a work laptop and a locked-down travel one.",
        hours: 1,
        then: Then::Answered {
            by: "tomas.herrera",
            hours: 20,
            text: "The one you would grab when the page wakes you. If that is the travel laptop, test kubectl and deployctl on it too.",
        },
    },
    Said {
        course: &engineering::ON_CALL,
        who: "fatima.zahra",
        step: "Minute 0 to 2: acknowledge and declare",
        kind: ReactionKind::Useful,
        comment: "This saved me on my first shift: I declared with the bot before I even opened a terminal.",
        hours: 4,
        then: Then::Open,
    },
    Said {
        course: &engineering::ON_CALL,
        who: "elena.novak",
        step: "Handing over at the end of your shift",
        kind: ReactionKind::Liked,
        comment: "The hand-over template is pinned in #on-call now. Thank you!",
        hours: 3,
        then: Then::Open,
    },
    // SOC 2: an unclear step explained, an outdated flag set aside, an open question.
    Said {
        course: &company::SOC2_BASICS,
        who: "grace.kim",
        step: "Access: least privilege, reviewed",
        kind: ReactionKind::Unclear,
        comment: "All the examples are about production systems. What does least privilege mean for someone in Sales who only uses the CRM?",
        hours: 1,
        then: Then::Answered {
            by: "amara.okafor",
            hours: 30,
            text: "The same idea, smaller: only the two Sales ops people are CRM admins, and exports go through them. If you need a report, ask them rather than for admin rights.",
        },
    },
    Said {
        course: &company::SOC2_BASICS,
        who: "ethan.walker",
        step: "Customer data: where it may live",
        kind: ReactionKind::Outdated,
        comment: "Isn't Google Drive allowed now? Half of Sales keeps customer exports there.",
        hours: 2,
        then: Then::Dismissed {
            by: "amara.okafor",
            hours: 26,
            reason: "The step is right: personal and link-shared Drive folders are still not allowed. The Security-managed shared drive is the approved, access-controlled storage. I'll ask Sales ops to move those exports.",
        },
    },
    Said {
        course: &company::SOC2_BASICS,
        who: "mateo.garcia",
        step: "The controls you touch every day",
        kind: ReactionKind::Question,
        comment: "Does the screen-lock rule apply to my own phone if I read work email on it?",
        hours: 1,
        then: Then::Open,
    },
    Said {
        course: &company::SOC2_BASICS,
        who: "chloe.martin",
        step: "Phishing: how to spot it",
        kind: ReactionKind::Learned,
        comment: "I had no idea the display name can say anything. I checked the address on three emails this morning.",
        hours: 2,
        then: Then::Open,
    },
    // Product onboarding: an open "not clear", an answered question.
    Said {
        course: &customer_success::PRODUCT_ONBOARDING,
        who: "leila.ahmadi",
        step: "Writing your first course",
        kind: ReactionKind::Unclear,
        comment: "It says \"a group where authoring is open\" but not how I find out whether mine is.",
        hours: 1,
        then: Then::Open,
    },
    Said {
        course: &customer_success::PRODUCT_ONBOARDING,
        who: "kwame.mensah",
        step: "Reactions, questions and needs",
        kind: ReactionKind::Question,
        comment: "Does the author see who reacted, or are reactions anonymous?",
        hours: 1,
        then: Then::Answered {
            by: "samuel.adeyemi",
            hours: 6,
            text: "The course's authors and coaches see your name, so they can follow up with you; other learners only see the counts.",
        },
    },
    Said {
        course: &customer_success::PRODUCT_ONBOARDING,
        who: "isabel.fernandez",
        step: "Taking a course",
        kind: ReactionKind::Useful,
        comment: "I send this step to every new customer admin.",
        hours: 1,
        then: Then::Open,
    },
    Said {
        course: &customer_success::ESCALATIONS,
        who: "noah.fischer",
        step: "Bringing in Engineering",
        kind: ReactionKind::Question,
        comment: "What if on-call says it isn't an incident, but the customer is still blocked?",
        hours: 2,
        then: Then::Open,
    },
    Said {
        course: &engineering::ROTATING_SECRETS,
        who: "yusuf.demir",
        step: "Rotating a database password, step by step",
        kind: ReactionKind::Outdated,
        comment: "#platform-changes was merged into #platform in the spring; rotations are logged there now.",
        hours: 2,
        then: Then::Open,
    },
    Said {
        course: &engineering::CODE_REVIEW,
        who: "kwame.mensah",
        step: "Authors: make your change easy to review",
        kind: ReactionKind::Unclear,
        comment: "Does \"under 50 lines\" count tests and generated files?",
        hours: 1,
        then: Then::Answered {
            by: "priya.raman",
            hours: 22,
            text: "Tests count, generated files don't: mark them as generated in .gitattributes and the review tool folds them away.",
        },
    },
    Said {
        course: &engineering::POSTMORTEMS,
        who: "priya.raman",
        step: "Action items that actually get done",
        kind: ReactionKind::Useful,
        comment: "Two action items with owners beat our usual list of twelve.",
        hours: 3,
        then: Then::Open,
    },
    Said {
        course: &sales::OBJECTIONS,
        who: "grace.kim",
        step: "The LAER loop",
        kind: ReactionKind::Unclear,
        comment: "Explore says to ask before answering, but the price step answers straight away. Which one do I follow?",
        hours: 1,
        then: Then::Answered {
            by: "hannah.schmidt",
            hours: 8,
            text: "Both: the price step starts after you explored. We'll make that clearer in the next version.",
        },
    },
    Said {
        course: &sales::OBJECTIONS,
        who: "aiko.tanaka",
        step: "“It's too expensive”",
        kind: ReactionKind::Question,
        comment: "Can we offer the annual-payment discount on the first call, or only after the pilot?",
        hours: 1,
        then: Then::Answered {
            by: "rafael.souza",
            hours: 8,
            text: "Only after the pilot, once they have seen the value. On the first call, explore what \"expensive\" means instead.",
        },
    },
    Said {
        course: &sales::OBJECTIONS,
        who: "ethan.walker",
        step: "“It's too expensive”",
        kind: ReactionKind::Liked,
        comment: "Asking \"compared to what?\" turned my last price objection into a conversation about their LMS renewal.",
        hours: 2,
        then: Then::Open,
    },
    Said {
        course: &sales::FEEDBACK,
        who: "omar.haddad",
        step: "Situation, behaviour, impact",
        kind: ReactionKind::Unclear,
        comment: "The example of an impact sounds like a judgement to me. How is it different from \"you were rude\"?",
        hours: 1,
        then: Then::Open,
    },
    Said {
        course: &sales::FEEDBACK,
        who: "lukas.becker",
        step: "Situation, behaviour, impact",
        kind: ReactionKind::Learned,
        comment: "SBI made my last review conversation much calmer.",
        hours: 2,
        then: Then::Open,
    },
];

/// A discussion on a course (or one of its steps, by its title in the newest version).
struct Discussion {
    course: &'static DemoCourse,
    step: Option<&'static str>,
    by: &'static str,
    /// Days before now.
    days: i64,
    title: &'static str,
    body: &'static str,
    replies: &'static [Reply],
    /// The reply accepted as the answer, and who accepts it (the asker or an author).
    accepted: Option<(usize, &'static str)>,
}

struct Reply {
    by: &'static str,
    /// Hours after the discussion started.
    hours: i64,
    body: &'static str,
}

const DISCUSSIONS: &[Discussion] = &[
    Discussion {
        course: &engineering::ON_CALL,
        step: Some("Minute 5 to 15: stabilise first, fix later"),
        by: "mei.chen",
        days: 60,
        title: "Roll back or turn off the flag first?",
        body: "A release went out 40 minutes ago **and** a feature flag was switched on 10 minutes ago. The errors started somewhere in between. Which do I undo first?",
        replies: &[
            Reply {
                by: "jonas.lindqvist",
                hours: 3,
                body: "I'd flip the flag first: it's instant and doesn't redeploy anything.",
            },
            Reply {
                by: "tomas.herrera",
                hours: 20,
                body: "Flag first: it is the quickest lever and the most recent change. If the errors don't drop within two or three minutes, roll back the release too. Post each step in the channel before you do it, as the step says.",
            },
        ],
        accepted: Some((1, "mei.chen")),
    },
    Discussion {
        course: &engineering::ON_CALL,
        step: None,
        by: "kwame.mensah",
        days: 6,
        title: "Where can I practise declaring an incident?",
        body: "I'd rather not use the incident bot for the first time during a real SEV2. Is there a channel to try it?",
        replies: &[
            Reply {
                by: "priya.raman",
                hours: 3,
                body: "Yes: @tomas.herrera@demo.lore.example set up a sandbox for the bot last quarter. Tomás, can you share it here?",
            },
            Reply {
                by: "tomas.herrera",
                hours: 5,
                body: "`#inc-sandbox`: anything declared there with `/incident declare --drill` is marked as a drill and pages nobody. Try the whole flow, updates included.",
            },
        ],
        accepted: Some((1, "kwame.mensah")),
    },
    Discussion {
        course: &customer_success::PRODUCT_ONBOARDING,
        step: None,
        by: "leila.ahmadi",
        days: 12,
        title: "Can an assignment be paused while I'm on holiday?",
        body: "This course fell due while I was away for two weeks, and now it shows as overdue. Can a due date be paused, or should I ask my coach to move it?",
        replies: &[],
        accepted: None,
    },
    Discussion {
        course: &engineering::ROTATING_SECRETS,
        step: Some("The overlap pattern"),
        by: "daniel.kowalski",
        days: 17,
        title: "How long is the overlap for a service that restarts weekly?",
        body: "Our reporting service only restarts on Sunday nights. Do I keep both secrets valid for a whole week?",
        replies: &[
            Reply {
                by: "arjun.patel",
                hours: 6,
                body: "Don't wait for Sunday: restart it on purpose after switching, as in step 4 of the database procedure. The overlap only has to cover the rollout; then verify and revoke.",
            },
            Reply {
                by: "daniel.kowalski",
                hours: 8,
                body: "Makes sense, thanks. I'll restart it and check the pods first.",
            },
        ],
        accepted: Some((0, "daniel.kowalski")),
    },
    Discussion {
        course: &sales::DISCOVERY,
        step: None,
        by: "ethan.walker",
        days: 18,
        title: "Do we record discovery calls?",
        body: "Do we record discovery calls, and if so, where do the recordings go?",
        replies: &[
            Reply {
                by: "chloe.martin",
                hours: 2,
                body: "I ask at the start and most people say yes. I attach the recording to the opportunity.",
            },
            Reply {
                by: "rafael.souza",
                hours: 4,
                body: "Ask first, always, and say why: so you can listen instead of typing. Keep recordings in the CRM only; they are customer data (see the SOC 2 course).",
            },
        ],
        accepted: Some((1, "rafael.souza")),
    },
];

/// A suggested edit: a passage of a step (in the version the proposer takes) rewritten.
struct Proposal {
    course: &'static DemoCourse,
    who: &'static str,
    step: &'static str,
    find: &'static str,
    replace: &'static str,
    reason: &'static str,
    /// Hours after the proposer started the course.
    hours: i64,
    decision: Decision,
}

enum Decision {
    Open,
    /// Accepted `days` before now and published an hour later with this note.
    Accept {
        by: &'static str,
        days: i64,
        note: &'static str,
    },
    Decline {
        by: &'static str,
        days: i64,
        reason: &'static str,
    },
}

const PROPOSALS: &[Proposal] = &[
    Proposal {
        course: &sales::DISCOVERY,
        who: "aiko.tanaka",
        step: "Quantify the pain",
        find: "Use their lowest estimates.",
        replace: "Use their lowest estimates, and say that you do: \"Let's take your most careful number.\"",
        reason: "Buyers trust the maths more when they hear you choose the low number; it worked on my last three calls.",
        hours: 30,
        decision: Decision::Accept {
            by: "rafael.souza",
            days: 3,
            note: "Quantify the pain: say out loud that you use the buyer's lowest estimate.",
        },
    },
    Proposal {
        course: &engineering::CODE_REVIEW,
        who: "elena.novak",
        step: "Turnaround time and disagreements",
        find: "**Small changes (under 50 lines) on the same day.**",
        replace: "**Small changes (under 50 lines) within two hours.**",
        reason: "A three-line fix that waits until the evening blocks the whole deploy train; in Platform we already answer small ones within two hours.",
        hours: 48,
        decision: Decision::Decline {
            by: "priya.raman",
            days: 46,
            reason: "Same day is the team agreement in the engineering handbook, and two hours would have everyone watching notifications all day. Bring it to the engineering guild; if the norm changes, so will this step.",
        },
    },
    Proposal {
        course: &engineering::ON_CALL,
        who: "kwame.mensah",
        step: "Before your shift starts",
        find: "- [ ] Your phone gets a test page from the paging tool, loud enough to wake you.",
        replace: "- [ ] Your phone gets a test page from the paging tool, loud enough to wake you, and Do Not Disturb lets the paging app through.",
        reason: "My phone silenced the test page at night: Do Not Disturb blocks the paging app unless you allow it.",
        hours: 3,
        decision: Decision::Open,
    },
    Proposal {
        course: &customer_success::PRODUCT_ONBOARDING,
        who: "zoe.williams",
        step: "Taking a course",
        find: "Mark a step done when you have read it.",
        replace: "Mark a step done when you have read it; the next one opens by itself.",
        reason: "Two people on my team thought they had to go back to the course page after each step.",
        hours: 5,
        decision: Decision::Open,
    },
];

/// Kinds of the positive reactions most learners leave, in turn.
const POSITIVE: [ReactionKind; 3] = [
    ReactionKind::Useful,
    ReactionKind::Learned,
    ReactionKind::Liked,
];

/// The demo people by email local part and by id, looked up as needed.
#[derive(Default)]
pub(super) struct People {
    by_id: HashMap<i64, Caller>,
}

impl People {
    pub(super) async fn get(&mut self, app: &App, local: &str) -> AppResult<Caller> {
        let email = format!("{local}@{DOMAIN}");
        let user = app
            .store
            .user_by_email(&email)
            .await?
            .ok_or_else(|| AppError::Internal(format!("the demo person {email} is missing")))?;
        self.by_id(app, user.id).await
    }

    async fn by_id(&mut self, app: &App, id: i64) -> AppResult<Caller> {
        if let Some(c) = self.by_id.get(&id) {
            return Ok(c.clone());
        }
        let caller = app
            .caller(id)
            .await?
            .ok_or_else(|| AppError::Internal(format!("the demo person {id} is inactive")))?;
        self.by_id.insert(id, caller.clone());
        Ok(caller)
    }
}

/// The demo courses' ids, by folder: each is the course whose version 1 has its title.
pub(super) async fn course_ids(app: &App) -> AppResult<HashMap<&'static str, i64>> {
    let mut titles = HashMap::new();
    for demo in COURSES {
        titles.insert(title(&demo.versions()?).to_owned(), demo.folder);
    }
    let mut ids = HashMap::new();
    for course in app.store.courses(true).await? {
        let versions = app.store.versions_of(course.id).await?;
        if let Some(folder) = versions.first().and_then(|v| titles.get(&v.title)) {
            ids.insert(*folder, course.id);
        }
    }
    Ok(ids)
}

pub(super) fn id_of(ids: &HashMap<&'static str, i64>, course: &DemoCourse) -> AppResult<i64> {
    ids.get(course.folder).copied().ok_or_else(|| {
        AppError::Internal(format!("the demo course {:?} is missing", course.folder))
    })
}

/// `body` with `find` replaced, if `find` occurs exactly once.
fn patched(body: &str, find: &str, replace: &str) -> Option<String> {
    (body.matches(find).count() == 1).then(|| body.replacen(find, replace, 1))
}

/// The person's enrolment and the steps of the version they take.
async fn taking(
    app: &App,
    course_id: i64,
    who: &Caller,
) -> AppResult<(EnrolmentRow, Vec<StepRow>)> {
    let enrolment = app
        .store
        .enrolment(who.id.0, course_id)
        .await?
        .ok_or_else(|| AppError::Internal(format!("{} takes no course {course_id}", who.email)))?;
    let version = app
        .store
        .version(course_id, enrolment.version_number)
        .await?
        .ok_or(AppError::NotFound("That course"))?;
    let steps = app.store.steps_of(version.id).await?;
    Ok((enrolment, steps))
}

fn step_titled<'a>(steps: &'a [StepRow], title: &str) -> AppResult<&'a StepRow> {
    steps
        .iter()
        .find(|s| s.title == title)
        .ok_or_else(|| AppError::Internal(format!("a demo feedback names the step {title:?}")))
}

fn started(enrolment: &EnrolmentRow) -> AppResult<OffsetDateTime> {
    enrolment
        .started_at
        .ok_or_else(|| AppError::Internal("a demo reaction before the course started".to_owned()))
}

/// Seed the feedback; called once, after every course's story.
pub(super) async fn seed(app: &App, now: OffsetDateTime) -> AppResult<()> {
    let ids = course_ids(app).await?;
    let mut people = People {
        by_id: HashMap::new(),
    };
    read(app, &ids, &mut people, now).await?;
    praise(app, &ids, &mut people, now).await?;
    say(app, &ids, &mut people, now).await?;
    discuss(app, &ids, &mut people).await?;
    propose(app, &ids, &mut people, now).await?;
    Ok(())
}

/// The readers open a few steps, after the newest version of their course.
async fn read(
    app: &App,
    ids: &HashMap<&'static str, i64>,
    people: &mut People,
    now: OffsetDateTime,
) -> AppResult<()> {
    let mut cast = Cast {
        people: HashMap::new(),
    };
    for r in READERS {
        cast.people.insert(r.who, people.get(app, r.who).await?);
    }
    for (i, r) in READERS.iter().enumerate() {
        let learner = took(r.who, r.days, Stage::Steps(r.steps));
        let from = now - Duration::days(r.days) + Duration::minutes(200 + i as i64 * 37);
        let versions = r.course.versions()?;
        let course = Seeded {
            id: id_of(ids, r.course)?,
            story: r.course,
            versions: &versions,
        };
        take(app, &cast, &course, &learner, from, now).await?;
    }
    Ok(())
}

/// Most learners who opened a course leave a positive reaction on its first step, and those
/// who finished one on its last step too.
async fn praise(
    app: &App,
    ids: &HashMap<&'static str, i64>,
    people: &mut People,
    now: OffsetDateTime,
) -> AppResult<()> {
    for course in COURSES {
        let id = id_of(ids, course)?;
        let mut enrolments = app.store.enrolments_in(id).await?;
        enrolments.sort_by_key(|e| e.id);
        let started = enrolments.into_iter().filter(|e| e.started_at.is_some());
        for (i, e) in started.enumerate() {
            // Not everybody reacts.
            if i % 4 == 3 {
                continue;
            }
            let who = people.by_id(app, e.user_id).await?;
            let (e, steps) = taking(app, id, &who).await?;
            let says_so = |kind: ReactionKind| {
                SAID.iter().any(|s| {
                    s.course.folder == course.folder
                        && s.kind == kind
                        && who.email == format!("{}@{DOMAIN}", s.who)
                })
            };
            let first = (POSITIVE[i % 3], steps.first(), e.started_at);
            let last = (
                POSITIVE[(i + 1) % 3],
                steps.last(),
                e.completed_at.map(|t| t - Duration::minutes(2)),
            );
            for (kind, step, when) in [first, last] {
                let (Some(step), Some(when)) = (step, when) else {
                    continue;
                };
                if says_so(kind) {
                    continue;
                }
                let when = (when + Duration::minutes(3)).min(now - Duration::minutes(5));
                at(app, when)
                    .react(&who, id, &step.step_key, kind.as_str(), "")
                    .await?;
            }
        }
    }
    Ok(())
}

/// The hand-written reactions, and what the authors did about them.
async fn say(
    app: &App,
    ids: &HashMap<&'static str, i64>,
    people: &mut People,
    now: OffsetDateTime,
) -> AppResult<()> {
    let latest = now - Duration::minutes(10);
    for s in SAID {
        let id = id_of(ids, s.course)?;
        let who = people.get(app, s.who).await?;
        let (enrolment, steps) = taking(app, id, &who).await?;
        let step = step_titled(&steps, s.step)?;
        let when = (started(&enrolment)? + Duration::hours(s.hours)).min(latest);
        let row = at(app, when)
            .react(&who, id, &step.step_key, s.kind.as_str(), s.comment)
            .await?;
        let (by, resolved, resolution) = match &s.then {
            Then::Open => continue,
            Then::Answered { by, hours, text } => (
                by,
                when + Duration::hours(*hours),
                Resolution::Answered((*text).to_owned()),
            ),
            Then::Dismissed { by, hours, reason } => (
                by,
                when + Duration::hours(*hours),
                Resolution::Dismissed((*reason).to_owned()),
            ),
            Then::FixedIn { by, version } => {
                let published = app
                    .store
                    .version(id, *version)
                    .await?
                    .and_then(|v| v.published_at)
                    .ok_or_else(|| {
                        AppError::Internal(format!("{} has no version {version}", s.course.folder))
                    })?;
                (
                    by,
                    published + Duration::hours(1),
                    Resolution::Fixed(*version),
                )
            }
        };
        let author = people.get(app, by).await?;
        at(app, resolved.min(latest))
            .resolve_reaction(&author, id, row.id, resolution)
            .await?;
    }
    Ok(())
}

/// The discussions, their replies and accepted answers.
async fn discuss(
    app: &App,
    ids: &HashMap<&'static str, i64>,
    people: &mut People,
) -> AppResult<()> {
    let now = app.now();
    for d in DISCUSSIONS {
        let id = id_of(ids, d.course)?;
        let asker = people.get(app, d.by).await?;
        let step_key = match d.step {
            Some(title) => {
                let latest = app
                    .store
                    .courses(true)
                    .await?
                    .into_iter()
                    .find(|c| c.id == id)
                    .and_then(|c| c.latest_version)
                    .ok_or(AppError::NotFound("That course"))?;
                let version = app
                    .store
                    .version(id, latest)
                    .await?
                    .ok_or(AppError::NotFound("That course"))?;
                let steps = app.store.steps_of(version.id).await?;
                Some(step_titled(&steps, title)?.step_key.clone())
            }
            None => None,
        };
        let opened = now - Duration::days(d.days) + Duration::hours(2);
        let (thread, _) = at(app, opened)
            .start_thread(
                &asker,
                id,
                NewThreadInput {
                    title: d.title,
                    body: d.body,
                    step_key: step_key.as_deref(),
                },
            )
            .await?;
        let mut posts = Vec::new();
        for r in d.replies {
            let who = people.get(app, r.by).await?;
            let post = at(app, opened + Duration::hours(r.hours))
                .reply(&who, id, thread.id, r.body)
                .await?;
            posts.push((post.id, opened + Duration::hours(r.hours)));
        }
        if let Some((n, by)) = d.accepted {
            let (post, when) = posts.get(n).copied().ok_or_else(|| {
                AppError::Internal(format!(
                    "the demo discussion {:?} has no reply {n}",
                    d.title
                ))
            })?;
            let who = people.get(app, by).await?;
            at(app, when + Duration::hours(1))
                .accept_answer(&who, id, thread.id, Some(post))
                .await?;
        }
    }
    Ok(())
}

/// The suggested edits and their decisions; an accepted one is published.
async fn propose(
    app: &App,
    ids: &HashMap<&'static str, i64>,
    people: &mut People,
    now: OffsetDateTime,
) -> AppResult<()> {
    for p in PROPOSALS {
        let id = id_of(ids, p.course)?;
        let who = people.get(app, p.who).await?;
        let (enrolment, steps) = taking(app, id, &who).await?;
        let step = step_titled(&steps, p.step)?;
        let body = patched(&step.body, p.find, p.replace).ok_or_else(|| {
            AppError::Internal(format!("a demo suggestion does not fit {:?}", p.step))
        })?;
        let when = started(&enrolment)? + Duration::hours(p.hours);
        let row = at(app, when)
            .propose_edit(&who, id, &step.step_key, &body, p.reason)
            .await?;
        match &p.decision {
            Decision::Open => {}
            Decision::Accept { by, days, note } => {
                let author = people.get(app, by).await?;
                let decided = now - Duration::days(*days);
                at(app, decided)
                    .accept_edit(&author, id, row.id, None)
                    .await?;
                at(app, decided + Duration::hours(1))
                    .publish(&author, id, note)
                    .await?;
            }
            Decision::Decline { by, days, reason } => {
                let author = people.get(app, by).await?;
                at(app, now - Duration::days(*days))
                    .decline_edit(&author, id, row.id, reason)
                    .await?;
            }
        }
    }
    Ok(())
}
