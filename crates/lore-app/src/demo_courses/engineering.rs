//! Engineering's demo courses: on-call, postmortems, code review, rotating secrets (the
//! Platform Team's), and 1:1s, written in German by a coach.

use super::Stage::{Completed, Enrolled, Steps, Viewed};
use super::{DemoCourse, Edit, Evaluation, Mode, Revision, Step, ask, assigned, took};

pub(super) const ON_CALL: DemoCourse = DemoCourse {
    title: "On-call runbook: the first 15 minutes",
    owner: "priya.raman",
    group: "Engineering",
    coauthors: &["tomas.herrera"],
    audiences: &["Customer Success"],
    summary: "What to do from the moment the pager goes off until the bleeding stops: acknowledge, set a severity, stabilise before you fix, and keep everyone informed. For everyone on the engineering rota, and useful for support.",
    language: "en",
    tags: "on-call, incidents, reliability, runbook",
    minutes: 15,
    published: 75,
    steps: &[
        Step {
            title: "Before your shift starts",
            body: ON_CALL_BEFORE,
        },
        Step {
            title: "Minute 0 to 2: acknowledge the page",
            body: ON_CALL_ACKNOWLEDGE,
        },
        Step {
            title: "Minute 2 to 5: assess impact and set a severity",
            body: ON_CALL_SEVERITY,
        },
        Step {
            title: "Minute 5 to 15: stabilise first, fix later",
            body: ON_CALL_STABILISE,
        },
        Step {
            title: "Communicate while you work",
            body: ON_CALL_COMMUNICATE,
        },
    ],
    revisions: &[
        Revision {
            published: 45,
            by: "tomas.herrera",
            note: "Incidents are now declared with the incident bot, which creates the channel and copies updates to #status-internal.",
            minutes: None,
            edits: &[
                Edit::Retitle {
                    step: 2,
                    title: "Minute 0 to 2: acknowledge and declare",
                },
                Edit::Patch {
                    step: 2,
                    find: "**Open an incident channel.** Name it `#inc-<date>-<short-name>`, for example `#inc-0114-checkout-errors`, and post the alert link as the first message.",
                    replace: "**Declare the incident.** Type `/incident declare` in `#on-call`; the incident bot creates the channel, posts the alert link and starts the timeline for you.",
                },
                Edit::Patch {
                    step: 5,
                    find: "Post this in the incident channel and copy it to `#status-internal`:",
                    replace: "Post it with `/incident update` in the incident channel; the bot copies it to `#status-internal` and to the timeline:",
                },
            ],
        },
        Revision {
            published: 10,
            by: "priya.raman",
            note: "New step on handing over at the end of a shift, and a SEV4 for problems customers cannot see yet.",
            minutes: Some(20),
            edits: &[
                Edit::Patch {
                    step: 3,
                    find: "| SEV3 | A minor feature is broken, or one customer is affected, with a workaround | Only you | When it changes |",
                    replace: "| SEV3 | A minor feature is broken, or one customer is affected, with a workaround | Only you | When it changes |\n| SEV4 | Nothing customers can see yet: a failing backup, a certificate expiring within a week | Only you | In the ticket |",
                },
                Edit::Insert {
                    at: 6,
                    step: Step {
                        title: "Handing over at the end of your shift",
                        body: ON_CALL_HANDOVER,
                    },
                },
            ],
        },
    ],
    learners: &[
        took("mei.chen", 70, Completed),
        took("jonas.lindqvist", 62, Completed),
        took("fatima.zahra", 30, Completed),
        took("noah.fischer", 25, Steps(2)),
        took("sofia.rossi", 20, Enrolled),
        took("isabel.fernandez", 15, Viewed),
        assigned("daniel.kowalski", 9, Steps(1), "lukas.becker", -2),
        took("elena.novak", 8, Completed),
        took("kwame.mensah", 7, Completed),
        assigned("yusuf.demir", 5, Steps(3), "lukas.becker", 6),
        took("leila.ahmadi", 3, Enrolled),
    ],
    evaluation: Some(&ON_CALL_EXAM),
};

pub(super) const POSTMORTEMS: DemoCourse = DemoCourse {
    title: "Writing a good incident postmortem",
    owner: "tomas.herrera",
    group: "Engineering",
    coauthors: &[],
    audiences: &["Customer Success"],
    summary: "Blameless but specific: how to build the timeline, find contributing factors instead of a single root cause, and write action items that actually get done.",
    language: "en",
    tags: "incidents, postmortem, writing, reliability",
    minutes: 20,
    published: 50,
    steps: &[
        Step {
            title: "Blameless means specific",
            body: POSTMORTEM_BLAMELESS,
        },
        Step {
            title: "A structure that works",
            body: POSTMORTEM_STRUCTURE,
        },
        Step {
            title: "The timeline: facts with timestamps",
            body: POSTMORTEM_TIMELINE,
        },
        Step {
            title: "Contributing factors, not a root cause",
            body: POSTMORTEM_FACTORS,
        },
        Step {
            title: "Action items that actually get done",
            body: POSTMORTEM_ACTIONS,
        },
    ],
    revisions: &[],
    learners: &[
        took("mei.chen", 45, Completed),
        took("priya.raman", 40, Completed),
        took("noah.fischer", 33, Completed),
        took("fatima.zahra", 19, Steps(3)),
        took("sofia.rossi", 12, Steps(2)),
        took("kwame.mensah", 6, Enrolled),
        took("leila.ahmadi", 4, Viewed),
        took("jonas.lindqvist", 2, Steps(1)),
    ],
    evaluation: Some(&POSTMORTEM_QUIZ),
};

pub(super) const CODE_REVIEW: DemoCourse = DemoCourse {
    title: "Code review etiquette",
    owner: "priya.raman",
    group: "Engineering",
    coauthors: &[],
    audiences: &[],
    summary: "What we review for, how authors make a change easy to review, how reviewers make their comments clear, and how we keep reviews fast and disagreements friendly.",
    language: "en",
    tags: "code review, collaboration, engineering",
    minutes: 15,
    published: 100,
    steps: &[
        Step {
            title: "What review is for",
            body: REVIEW_PURPOSE,
        },
        Step {
            title: "Authors: make your change easy to review",
            body: REVIEW_AUTHORS,
        },
        Step {
            title: "Reviewers: be clear about what matters",
            body: REVIEW_REVIEWERS,
        },
        Step {
            title: "Turnaround time and disagreements",
            body: REVIEW_TURNAROUND,
        },
    ],
    revisions: &[],
    learners: &[
        took("mei.chen", 95, Completed),
        took("jonas.lindqvist", 90, Completed),
        took("daniel.kowalski", 64, Completed),
        took("elena.novak", 50, Completed),
        took("sofia.rossi", 30, Steps(2)),
        took("kwame.mensah", 14, Steps(1)),
        took("yusuf.demir", 9, Enrolled),
        took("fatima.zahra", 3, Viewed),
    ],
    evaluation: Some(&REVIEW_QUIZ),
};

pub(super) const ROTATING_SECRETS: DemoCourse = DemoCourse {
    title: "Rotating secrets safely",
    owner: "arjun.patel",
    group: "Platform Team",
    coauthors: &["priya.raman"],
    audiences: &["Engineering"],
    summary: "How often we rotate which secrets, the overlap pattern that avoids outages, a database password rotation step by step, and what to do in the first hour after a secret leaks.",
    language: "en",
    tags: "security, secrets, platform, operations",
    minutes: 25,
    published: 30,
    steps: &[
        Step {
            title: "Why we rotate, and how often",
            body: SECRETS_WHY,
        },
        Step {
            title: "The overlap pattern",
            body: SECRETS_OVERLAP,
        },
        Step {
            title: "Rotating a database password, step by step",
            body: SECRETS_DATABASE,
        },
        Step {
            title: "Verify, then revoke",
            body: SECRETS_REVOKE,
        },
        Step {
            title: "When a secret leaks",
            body: SECRETS_LEAK,
        },
    ],
    revisions: &[],
    learners: &[
        took("elena.novak", 28, Completed),
        took("yusuf.demir", 26, Steps(4)),
        took("tomas.herrera", 20, Completed),
        took("daniel.kowalski", 18, Steps(2)),
        took("mei.chen", 12, Enrolled),
        assigned("jonas.lindqvist", 8, Enrolled, "lukas.becker", 14),
        assigned("sofia.rossi", 8, Steps(1), "lukas.becker", 3),
        took("kwame.mensah", 5, Viewed),
    ],
    evaluation: Some(&SECRETS_EXAM),
};

pub(super) const ONE_ON_ONES: DemoCourse = DemoCourse {
    title: "Gute 1:1-Gespräche führen",
    owner: "lukas.becker",
    group: "Engineering",
    coauthors: &[],
    audiences: &["Acme"],
    summary: "Wofür ein 1:1 da ist, wie eine gemeinsame Agenda hilft, welche Fragen Gespräche öffnen und was danach passieren muss. Für alle, die ein Team führen oder bald führen werden.",
    language: "de",
    tags: "führung, 1:1, feedback, management",
    minutes: 15,
    published: 25,
    steps: &[
        Step {
            title: "Wofür ein 1:1 da ist",
            body: ONE_ON_ONE_PURPOSE,
        },
        Step {
            title: "Vorbereitung mit gemeinsamer Agenda",
            body: ONE_ON_ONE_AGENDA,
        },
        Step {
            title: "Fragen, die Gespräche öffnen",
            body: ONE_ON_ONE_QUESTIONS,
        },
        Step {
            title: "Nach dem Gespräch",
            body: ONE_ON_ONE_AFTER,
        },
    ],
    revisions: &[],
    learners: &[
        took("hannah.schmidt", 22, Completed),
        took("daniel.kowalski", 19, Completed),
        took("jonas.lindqvist", 10, Steps(2)),
        took("nadia.petrova", 6, Enrolled),
        took("kwame.mensah", 3, Viewed),
    ],
    evaluation: Some(&ONE_ON_ONE_QUIZ),
};

const ON_CALL_BEFORE: &str = r#"Most lost on-call minutes are lost before the page arrives: a laptop that cannot reach the VPN, an expired token, a dashboard nobody bookmarked. Spend ten minutes at the start of each shift so that the first fifteen minutes of an incident go to the incident.

### Checklist

- [ ] Your phone gets a test page from the paging tool, loud enough to wake you.
- [ ] You can sign in to the VPN, the cloud console and the production Kubernetes context.
- [ ] `kubectl` and `deployctl` work from the laptop you will actually carry.
- [ ] The service dashboards and the status page admin are bookmarked.
- [ ] You know who the secondary on-call is this week, and they know you.
- [ ] You have read the hand-over note from the previous shift.

### Know your limits

If you will be out of reach for more than 15 minutes (a flight, a doctor's appointment), swap that window with the secondary **before** it starts and say so in `#on-call`. Nobody minds a swap; everybody minds a page that goes unanswered.
"#;

const ON_CALL_ACKNOWLEDGE: &str = r#"Acknowledge the page within two minutes, even before you know what is wrong. Acknowledging stops the escalation to the secondary and tells everyone that a human is looking.

### Then, in this order

1. **Open an incident channel.** Name it `#inc-<date>-<short-name>`, for example `#inc-0114-checkout-errors`, and post the alert link as the first message.
2. **Read the whole alert.** Which service, which region, since when, and which threshold fired. The alert's description links to the runbook page for that alert: open it.
3. **Check whether it is already known.** Look at the status page and the deploy log. A release in the last hour is the most common cause of a new page.

### What not to do yet

Don't start debugging in a terminal before the channel exists. If you find the cause in five minutes, great, but the people who join later need the trail: what you saw, what you tried, what changed.

> If the page is clearly a false alarm, still acknowledge it, say so in `#on-call`, and open a ticket to fix the alert. A noisy alert is a bug.
"#;

const ON_CALL_SEVERITY: &str = r#"The severity decides who else gets woken up and how often you update people, so pick one early. You can change it later; picking none is worse than picking the wrong one.

| Severity | What it looks like | Who joins | Updates |
|---|---|---|---|
| SEV1 | Customers cannot sign in, pay, or reach their data; data loss or a breach is possible | Incident commander, secondary, engineering manager | Every 15 minutes |
| SEV2 | A core feature is broken or badly degraded for many customers | Secondary on-call | Every 30 minutes |
| SEV3 | A minor feature is broken, or one customer is affected, with a workaround | Only you | When it changes |

### Three questions to answer

- **Who is affected?** All customers, one region, one plan, one tenant?
- **Since when?** The graph usually tells you more precisely than the alert.
- **Is it getting worse?** A flat error rate buys you time; a climbing one does not.

Write the answers in the incident channel as one short message. If you are torn between two severities, choose the higher one: downgrading is cheap.
"#;

const ON_CALL_STABILISE: &str = r#"Your goal in the first quarter of an hour is to stop the damage, not to understand it. A rollback you explain later beats a fix you are still writing at minute forty.

### Reach for the reversible levers first

1. **Roll back the last deploy** if it landed shortly before the problem started.
2. **Turn off the feature flag** of anything launched today.
3. **Scale out** if the service is saturated rather than broken.
4. **Fail over** to the other region, but only if the service's runbook says so.

```sh
# What changed recently?
deployctl history checkout --since 2h

# Roll back to the previous release
deployctl rollback checkout --to previous --reason "checkout errors"

# Is it recovering?
kubectl -n checkout get pods --watch
```

### Say what you are doing before you do it

Post one line in the channel before each action: "rolling back checkout to the previous release". When two people are working, this is how you avoid both restarting the same database. If nothing has worked after fifteen minutes, raise the severity and page the secondary: asking for help early is part of the job.
"#;

const ON_CALL_COMMUNICATE: &str = r#"People outside the incident channel only know what you tell them. A short, regular update keeps support from guessing and keeps managers from interrupting you.

### The update template

Post this in the incident channel and copy it to `#status-internal`:

```text
[SEV2] Checkout errors - update 2
Impact: about 8% of checkout attempts fail in the EU since 14:05 UTC.
Doing: rolled back checkout to the previous release at 14:18;
       error rate falling.
Next: confirm recovery, then find out why the release failed.
Next update: 14:45 UTC, or sooner if anything changes.
```

### Who to tell

- **Customer Success** reads `#status-internal` and decides what to tell customers. For SEV1 and SEV2, ask them to post on the public status page.
- **Your manager**, for SEV1, with a direct message: they field the questions from above so you don't have to.

When the impact is over, post a last update that says so, with the time, and say whether a postmortem will follow. It always does for SEV1 and SEV2.
"#;

const ON_CALL_HANDOVER: &str = r#"Incidents don't end when your shift does. A clean hand-over means the next person starts at minute twenty of the incident, not at minute zero.

### Write the hand-over note

Post it in `#on-call` and link it from every open incident channel:

```text
Hand-over from Priya to Tomás, Friday 18:00 UTC
Open: inc-checkout-errors (SEV3 now, monitoring; rollback holds)
Watch: disk on db-eu-2 at 81%, growing 2% a day (OPS-412)
Silenced: queue-lag-billing until Monday 09:00 (known, OPS-409)
Nothing else paged.
```

### Then talk for five minutes

Have a short call or a chat thread, not just the note: the next on-call asks questions, and you answer them while you still remember. Agree who now owns each open incident, and change the incident commander in the bot if it was you.

### And rest

If you were paged at night, take the next morning off and tell your manager. It is policy, not a favour.
"#;

const POSTMORTEM_BLAMELESS: &str = r#"A postmortem exists so that the same incident doesn't happen twice. It is not a trial, and it is not a status report. "Blameless" doesn't mean vague: it means we describe what people did and why it made sense to them at the time, in enough detail that the system can be changed.

### Compare

| Blaming | Vague | Blameless and specific |
|---|---|---|
| "Jonas deployed a broken config." | "A config issue occurred." | "The config change passed review and CI. CI does not load the EU configs, so the typo in the EU file was not caught." |

The third version points at something we can fix: CI. The first points at a person, and the next person will simply try to be more careful, which doesn't scale.

### Who writes it

The incident commander owns the document and writes the first draft within two working days, while memories are fresh. Everyone involved reviews it. Anyone may comment, and comments ask questions rather than assign fault.
"#;

const POSTMORTEM_STRUCTURE: &str = r#"Use the same structure every time, so readers know where to look. The template lives in the engineering wiki; this is its outline.

```markdown
# Postmortem: <short title> (SEV<n>, <date>)

## Summary
Two or three sentences: what broke, for whom, for how long.

## Impact
Customers affected, duration, money or data lost, tickets.

## Timeline
Facts with UTC timestamps, from the first signal to all clear.

## Contributing factors
What made this possible, and what made it worse or longer.

## What went well
Detection, tooling, people: keep doing these.

## Action items
An owner, a ticket and a due date for each.
```

### Keep it short

A good postmortem for a SEV2 is one or two pages. Link to graphs and chat logs instead of pasting them in. If the summary needs more than three sentences, you have not understood the incident yet. That is fine, but say so, and keep digging before the review meeting.
"#;

const POSTMORTEM_TIMELINE: &str = r#"The timeline is the backbone of the document. Everything else, the contributing factors and the action items, should trace back to a line in it.

### How to build it

1. Export the incident channel: the incident bot keeps every message with its timestamp.
2. Add what the channel doesn't show: when the alert *should* have fired, when the faulty change was merged, when a customer first wrote in.
3. Write each line as a fact, in UTC, in the past tense.

```text
13:52  Release 412 of checkout deployed to the EU.
14:05  Error rate on /pay rises from 0.2% to 8%.
14:11  Alert checkout-5xx fires; Priya acknowledges at 14:12.
14:18  Priya rolls checkout back to release 411.
14:26  Error rate back to normal. SEV2 closed at 14:40.
```

### Mind the gaps

The interesting parts are often the gaps. Between 14:05 and 14:11, six minutes passed before anyone knew. Why six and not one? Gaps like that often become your best action items.
"#;

const POSTMORTEM_FACTORS: &str = r#"Complex systems rarely fail for one reason. Asking "what was the root cause?" pushes a team to stop at the first plausible answer, which is usually the last thing a human touched. Ask instead: what made this possible, and what made it worse?

### Three kinds of factors

- **Triggers**: the change or event that started it, such as a release, a traffic spike or an expired certificate.
- **Conditions**: what was already true that let the trigger do harm, such as no canary in the EU, retries that multiply load, or a missing alert.
- **Amplifiers**: what made the impact bigger or longer, such as a confusing dashboard, a runbook pointing at a retired tool, or the only expert being on holiday.

### Use "five whys" with care

Five whys is a good way to move from the trigger to the conditions, but follow more than one branch: each answer usually has two or three causes. Stop when you reach something the team can change, not when you reach a person.

A good contributing factors section often has four to eight entries. If yours has one, look again.
"#;

const POSTMORTEM_ACTIONS: &str = r#"A postmortem without finished action items is a story, not an improvement. Most teams write too many action items and finish too few. Aim for a small number that would have prevented or shortened this incident, each with an owner.

| Good action item | Why it works |
|---|---|
| Load the EU configs in CI (OPS-431), owner Tomás, due in two weeks | Specific, owned, small enough to finish |
| Alert on checkout 5xx after 1 minute, not 5 (OPS-432) | Closes a gap the timeline showed |
| Fix the rollback command in the checkout runbook (OPS-433) | Removes an amplifier |
| "Be more careful with configs" | Weak: nobody can tell when it is done |
| "Rewrite the deploy pipeline" | Weak: too big, it will sit in the backlog for a year |

### Follow up

Action items go into the owning team's backlog with the label `postmortem`. The engineering manager goes through the open `postmortem` tickets every two weeks. A postmortem is done when its action items are done, not when the document is published.
"#;

const REVIEW_PURPOSE: &str = r#"We review code for three reasons, in this order:

1. **Shared understanding.** After the review, at least two people know how this part of the system works and why it changed. That is what lets you go on holiday.
2. **Catching problems** that tests don't: a confusing name, a migration that only works on one database, a query that is fine today and slow with a million rows.
3. **Consistency** with how we build things here, so the codebase stays readable for the next person.

Review is **not** the place to redesign a feature that was already agreed, to enforce personal taste, or to prove who knows more. If a design question comes up that is bigger than the pull request, take it to a short call or a design doc, and let the pull request go ahead or wait, explicitly.

### Everything else is automated

Formatting, lint warnings and test runs belong to CI. If you find yourself commenting on indentation or the order of imports, the fix is a lint rule, not a comment. People spend their attention on what machines cannot see.
"#;

const REVIEW_AUTHORS: &str = r#"The fastest way to get a good review is to send something a reviewer can understand in one sitting.

### Keep it small

Aim for fewer than 400 changed lines. Split mechanical changes (renames, moves) from changes in behaviour; a reviewer can approve a pure rename in a minute.

### Write a description that answers the obvious questions

```markdown
## Why
Checkout retries failed payments up to 5 times; card networks
flag that as abuse.

## What
- Retry at most twice, with backoff (payments/retry.rs)
- New metric payments_retry_total

## How to test
cargo test -p payments retry_

## Risk
Low: behind the flag payments.limited_retries, off by default.
```

### Review your own diff first

Read your pull request in the review tool before you ask anyone else. You will catch the debug print, the commented-out block and the file you didn't mean to commit. Then ask one or two reviewers by name: "anyone" means no one.
"#;

const REVIEW_REVIEWERS: &str = r#"Every comment costs the author time, so make each one easy to act on. Label your comments so the author knows which ones block the merge.

| Prefix | Meaning | Must the author act? |
|---|---|---|
| `blocking:` | A bug, a security issue, data loss, a broken contract | Yes, before merging |
| `question:` | You don't understand something; the answer may lead to a change | Answer it |
| `suggestion:` | A better way, in your opinion | Their call |
| `nit:` | Small and cosmetic | Optional, no reply needed |
| `praise:` | Something done well | Enjoy it |

### Talk about the code, not the person

Write "this function returns before the lock is released" rather than "you forgot to release the lock". Ask rather than tell when you are not sure: "what happens here if the list is empty?" often gets a better answer than "this crashes on an empty list", and you might be wrong.

### Approve with comments

If all that is left are suggestions and nits, approve. Trust your colleague to handle them; another round trip for a typo costs a day.
"#;

const REVIEW_TURNAROUND: &str = r#"A pull request waiting for review is work that is done but delivers nothing. Slow reviews also push people to send bigger pull requests, which are then even slower to review.

### What we expect

- **A first response within one working day.** A first response can be "I'll review this tomorrow morning".
- **Small changes (under 50 lines) on the same day.**
- **Re-reviews** after the author addressed your comments come before new reviews.

### When you disagree

1. Say once, clearly, why you think it matters. Link to a doc, a past incident or a benchmark if you can.
2. If you still disagree after one exchange, move to a call. Written threads about disagreements get longer and colder.
3. If the call doesn't settle it, the author decides on suggestions. For `blocking:` issues, ask the tech lead of the area to decide, and record the decision in the pull request.

Nobody wins a review. The goal is a codebase the whole team can still work in next year.
"#;

const SECRETS_WHY: &str = r#"A secret that never changes is a secret that has, sooner or later, been copied somewhere it should not be: a laptop, a CI log, a former contractor's notes. Rotating limits how long a leaked secret stays useful.

| Secret | Where it lives | Rotation | Who rotates |
|---|---|---|---|
| Database passwords | Vault, `database/` engine | Every 90 days | Platform Team |
| Third-party API keys | Vault, `kv/third-party/` | Every 180 days, and when someone with access leaves | The owning team |
| TLS certificates | cert-manager | Automatic, 30 days before expiry | Nobody, if it works |
| Signing keys (tokens, webhooks) | Vault, `transit/` | Yearly, with overlap | Platform Team |
| Cloud keys for services | Nowhere: use workload identity | Not applicable | Not applicable |

### Long-lived cloud keys are a smell

If a service still uses a static cloud access key, the fix is not to rotate it faster. Move the service to workload identity and the key disappears. Ask in `#platform` for help; it usually takes an afternoon.
"#;

const SECRETS_OVERLAP: &str = r#"The classic rotation outage goes like this: someone changes the password, and every running instance that still holds the old one fails at once. Avoid it by making sure that, for a while, both the old and the new secret work.

### Four phases

1. **Add** a second, new credential next to the old one. Both are valid.
2. **Roll out** the new credential to every consumer: update Vault, then restart or reload the services so they pick it up.
3. **Verify** that nothing uses the old credential any more (the next step shows how).
4. **Revoke** the old credential.

Most systems support this. Databases allow two users (`billing_blue`, `billing_green`); API providers let you hold two keys; signing keys are published as a key set with two entries.

### When a system cannot hold two secrets

Some vendors allow only one API key. Then schedule the change for a quiet hour, announce it in `#platform`, and update Vault and restart the consumers in the same minute. Note which vendors work like this in the service's runbook, so nobody finds out during an incident.
"#;

const SECRETS_DATABASE: &str = r#"This is the procedure for a PostgreSQL database used by one service. We alternate between two database users, so the old user keeps working until the very end.

```sh
# 1. Which user is live, blue or green?
vault kv get -field=username kv/services/billing/db

# 2. Set a new password on the idle user (say green)
vault write -f database/rotate-role/billing-green

# 3. Point the service at the idle user
vault kv patch kv/services/billing/db username=billing_green

# 4. Restart so that every pod reads the new credential
kubectl -n billing rollout restart deploy/billing
kubectl -n billing rollout status deploy/billing
```

Watch the service's dashboard for errors during the rollout. If errors rise, patch the username back to the previous user and restart again: the old user still works, which is the whole point of the overlap.

Record the rotation in `#platform-changes` with the service name and the time. The next rotation of this service uses the other user.
"#;

const SECRETS_REVOKE: &str = r#"Revoking too early causes outages; never revoking leaves the old secret valid forever. Verification is the step people skip, so make it concrete.

### How to know the old secret is unused

- **Databases:** count the active connections per user with `SELECT usename, count(*) FROM pg_stat_activity GROUP BY usename;`. The old user should stay at zero for at least one full working day, nightly jobs included.
- **API keys:** most providers show when each key was last used. Wait until that is older than your slowest batch job.
- **Signing keys:** keep the old public key in the key set until every token signed with it has expired.

### Then revoke

Lock the old database user (`ALTER ROLE billing_blue NOLOGIN;`), delete the old API key at the provider, or remove the old key from the key set. Don't drop database users outright: a locked user can be unlocked in seconds if something was missed.

Finally, search the code and the CI settings for the old secret's *name*. A leftover reference is tomorrow's confusing error.
"#;

const SECRETS_LEAK: &str = r#"A leaked secret is an incident, whatever the odds that someone will use it. Pushed to a public repository, pasted in a public channel, shown in a screen share that was recorded: treat them all the same way.

### Do this now, in this order

1. **Declare an incident** with `/incident declare` in `#on-call`: SEV2, or SEV1 if you know it was used.
2. **Rotate immediately**, skipping the overlap if you must. A short outage is better than a valid leaked key.
3. **Check for use.** Read the audit logs of the system the secret opens, from the time of the leak to the rotation.
4. **Remove the copy**: delete the message, rewrite the commit. Assume it was already read; removing it only limits further copies.

### Don't hide it

Nobody gets in trouble for reporting a leak, their own included. Everybody gets in trouble for a leak that was noticed and not reported. Security would much rather rotate ten keys for nothing than miss one.
"#;

const ONE_ON_ONE_PURPOSE: &str = r#"Ein 1:1 ist die Zeit deiner Mitarbeiterin oder deines Mitarbeiters, nicht deine. Es ist kein Status-Meeting: Den Stand der Tickets siehst du im Board. Im 1:1 geht es um das, was sonst keinen Platz hat.

### Worum es gehen sollte

- **Wie es der Person geht**: Arbeitslast, Energie, Zusammenarbeit im Team.
- **Hindernisse**, die sie nicht allein aus dem Weg räumen kann.
- **Entwicklung**: Was möchte sie lernen, wo will sie in einem Jahr stehen?
- **Feedback in beide Richtungen**, zeitnah und konkret.

### Rhythmus

Wir empfehlen 30 Minuten pro Woche, mindestens aber alle zwei Wochen. Verschiebe ein 1:1 lieber, als es ausfallen zu lassen, und sag es nicht ab, nur weil „gerade nichts anliegt“. Gerade die ruhigen Gespräche bringen oft die Themen hervor, die sonst erst in der Kündigung auftauchen.

Ein gutes Zeichen: Die andere Person redet mehr als du.
"#;

const ONE_ON_ONE_AGENDA: &str = r#"Führt pro 1:1 eine gemeinsame Notiz, die ihr beide bearbeiten könnt. Die Person, mit der du sprichst, trägt ihre Themen zuerst ein; deine kommen danach.

```text
1:1 Lukas / Mei, Donnerstag
Mei:
- Einarbeitung von Kwame: wie viel Zeit darf ich investieren?
- Vortrag für die Konferenz im Frühjahr einreichen?
Lukas:
- Feedback zur Postmortem-Runde letzte Woche
Vereinbart:
- Lukas klärt das Konferenzbudget bis Montag
- Mei blockt 4 Stunden pro Woche für Kwames Einarbeitung
```

### Fünf Minuten vorher

Lies die Notiz vom letzten Mal. Was wurde vereinbart, und was ist daraus geworden? Nichts untergräbt Vertrauen so schnell wie Zusagen, die im nächsten Gespräch niemand mehr erwähnt.

Schließe Chat und E-Mail. Wenn ihr euch remote trefft: Kamera an, wenn es für beide passt, und kein zweiter Bildschirm.
"#;

const ONE_ON_ONE_QUESTIONS: &str = r#"Geschlossene Fragen („Läuft alles?“) bekommen geschlossene Antworten („Ja.“). Offene Fragen geben Raum. Halte dir ein paar bereit, falls die Agenda einmal leer ist.

| Statt … | … frag lieber |
|---|---|
| Läuft alles? | Was hat dich diese Woche am meisten Energie gekostet? |
| Brauchst du etwas? | Was würde dir die Arbeit im nächsten Monat leichter machen? |
| Bist du zufrieden im Team? | Mit wem arbeitest du gerade am liebsten zusammen, und warum? |
| Hast du Feedback für mich? | Was sollte ich als Führungskraft weniger tun? |
| Alles klar mit dem Projekt? | Wo bist du dir bei dem Projekt am unsichersten? |

### Zuhören

Nach einer offenen Frage: schweigen. Zähle innerlich bis fünf, bevor du weiterredest. Die erste Antwort ist oft die höfliche, die zweite die ehrliche.

Frag bei Problemen zuerst: „Soll ich etwas tun, oder möchtest du es erst einmal loswerden?“ Nicht jedes Thema braucht eine Lösung von dir.
"#;

const ONE_ON_ONE_AFTER: &str = r#"Ein 1:1 ist nur so gut wie das, was danach passiert.

### Direkt im Anschluss

- Haltet Vereinbarungen in der gemeinsamen Notiz fest, mit Namen und Datum.
- Erledige deine eigenen Zusagen zuerst. Wenn du etwas nicht schaffst, sag es vor dem nächsten 1:1, nicht erst darin.
- Vertrauliches bleibt vertraulich. Musst du etwas weitergeben, etwa an HR, sag der Person vorher, was und an wen.

### Alle paar Monate

Nimm dir ein 1:1 für den Rückblick: Was haben wir in den letzten drei Monaten besprochen? Welche Themen kommen immer wieder? Wiederkehrende Themen sind Signale. Eine Arbeitslast, die jede Woche „gerade etwas hoch“ ist, ist einfach hoch.

### Wenn es schwierig wird

Bei Konflikten, gesundheitlichen Themen oder Leistungsproblemen hol dir früh Unterstützung von HR oder deiner eigenen Führungskraft. Du musst das nicht allein lösen, und die Person hat ein Recht darauf, dass es gut gemacht wird.
"#;

/// Everyone passes it before joining the rota: two attempts, fifteen minutes.
const ON_CALL_EXAM: Evaluation = Evaluation {
    mode: Mode::Exam {
        max_attempts: Some(2),
        time_limit_minutes: Some(15),
    },
    pass_mark: 80,
    shuffle: true,
    required_for_completion: false,
    questions: &[
        ask(ON_CALL_Q_ACK, 40, &["5", "15", "5"]),
        ask(ON_CALL_Q_SEVERITY, 55, &["b"]),
        ask(ON_CALL_Q_ROLLBACK, 35, &[]),
        ask(ON_CALL_Q_UPDATES, 65, &["p1 p2", "p2 p3"]),
        ask(ON_CALL_Q_CHANNEL, 60, &["#on-call", "#incidents"]),
    ],
};

const ON_CALL_Q_ACK: &str = r"::Acknowledge::Within how many minutes do you acknowledge a page, even before you know what is wrong?
{#2
####Two minutes. Acknowledging stops the escalation to the secondary and tells everyone that a human is looking.
}";

const ON_CALL_Q_SEVERITY: &str = r"::Severity::Customers in the EU cannot sign in; the rest of the world is fine. Which severity do you set?
{
=SEV1 #Right: customers cannot sign in, so it is a SEV1 even if only one region is affected.
~SEV2 #Signing in is not just a degraded feature: customers who cannot sign in cannot reach their data.
~SEV3 #SEV3 is for a minor feature or one customer with a workaround.
####When torn between two severities, choose the higher one: downgrading is cheap.
}";

const ON_CALL_Q_ROLLBACK: &str = r"::Stabilise first::Find the cause before you roll back, or you lose the evidence.
{F#No: stop the damage first. A rollback you explain later beats a fix you are still writing at minute forty.#Right: stabilise first, understand later.
####In the first fifteen minutes, reach for the reversible levers: roll back, turn off the flag, scale out.
}";

const ON_CALL_Q_UPDATES: &str = r"::Updates::Match each severity to how often you post an update.
{
=SEV1 -> Every 15 minutes
=SEV2 -> Every 30 minutes
=SEV3 -> When it changes
####A short, regular update keeps support from guessing and managers from interrupting you.
}";

const ON_CALL_Q_CHANNEL: &str = r"::Where updates go::Customer Success reads every incident update in one channel. Which one?
{
=\#status-internal
=status-internal
####Customer Success reads \#status-internal and decides what to tell customers.
}";

/// A practice quiz at the end of the course.
const POSTMORTEM_QUIZ: Evaluation = Evaluation {
    mode: Mode::Practice,
    pass_mark: 70,
    shuffle: false,
    required_for_completion: false,
    questions: &[
        ask(POSTMORTEM_Q_WHO, 65, &["b", "c", "b"]),
        ask(POSTMORTEM_Q_DAYS, 65, &["5", "1"]),
        ask(POSTMORTEM_Q_FACTORS, 70, &["p2 p3", "p1 p3"]),
        ask(POSTMORTEM_Q_ROOT, 60, &[]),
    ],
};

const POSTMORTEM_Q_WHO: &str = r"::Who writes it::Who writes the first draft of a postmortem?
{
=The incident commander #Right: they own the document; everyone involved reviews it.
~The engineer whose change triggered the incident #That would make it a trial. The incident commander writes it.
~The engineering manager #The manager follows up on the action items; the incident commander writes the draft.
~Whoever has time #Then nobody does. The incident commander owns the document.
####The incident commander owns the document and writes the first draft while memories are fresh.
}";

const POSTMORTEM_Q_DAYS: &str = r"::First draft::Within how many working days is the first draft written?
{#2
####Within two working days, while memories are fresh.
}";

const POSTMORTEM_Q_FACTORS: &str = r"::Kinds of factors::Match each contributing factor to its kind.
{
=Trigger -> A release with a typo in the EU config
=Condition -> CI does not load the EU configs
=Amplifier -> The runbook points at a retired tool
####Triggers start it, conditions let the trigger do harm, amplifiers make it bigger or longer.
}";

const POSTMORTEM_Q_ROOT: &str = r"::Root cause::A good contributing factors section names the single root cause of the incident.
{F#Complex systems rarely fail for one reason; a single root cause usually means stopping at the last thing a human touched.#Right: look for triggers, conditions and amplifiers.
####A good contributing factors section often has four to eight entries.
}";

/// A practice quiz at the end of the course.
const REVIEW_QUIZ: Evaluation = Evaluation {
    mode: Mode::Practice,
    pass_mark: 70,
    shuffle: false,
    required_for_completion: false,
    questions: &[
        ask(REVIEW_Q_WHY, 60, &["b", "b", "c"]),
        // Two numbers in the course, and most remember the bigger one: too hard.
        ask(REVIEW_Q_SMALL, 100, &["400", "100", "400"]),
        ask(REVIEW_Q_PREFIXES, 50, &["p3 p4", "p2 p3"]),
        ask(REVIEW_Q_APPROVE, 30, &[]),
        ask(REVIEW_Q_LINT, 45, &["the reviewer", "the author"]),
    ],
};

const REVIEW_Q_WHY: &str = r"::Why review::What is the first reason we review code?
{
=Shared understanding #Right: afterwards at least two people know how it works and why it changed.
~Catching problems that tests don't #That is the second reason.
~Consistency with how we build things here #That is the third reason.
~Checking the formatting #No: formatting belongs to CI.
####Shared understanding, catching problems tests miss, consistency: in that order. Shared understanding is what lets you go on holiday.
}";

const REVIEW_Q_SMALL: &str = r"::Small changes::Small changes get their review the same day. Under how many changed lines is a change small?
{#50
####Under 50 lines: same day. The 400 lines in the course are the most a pull request should have, not what counts as small.
}";

const REVIEW_Q_PREFIXES: &str = r"::Comment prefixes::Match each comment prefix to what the author must do.
{
=blocking -> Act on it before merging
=question -> Answer it
=suggestion -> Their call
=nit -> Nothing, no reply needed
####Labelled comments tell the author which ones block the merge.
}";

const REVIEW_Q_APPROVE: &str = r"::Approve with comments::If all that is left are suggestions and nits, approve the pull request.
{T#Approve: another round trip for a typo costs a day.#Right: trust your colleague to handle them.
####Approve with comments, and trust your colleague.
}";

const REVIEW_Q_LINT: &str = r"::Formatting::Indentation and the order of imports: who should catch them, instead of a review comment?
{
=CI
=the CI
=a lint rule
=the linter
####Formatting, lint warnings and test runs belong to CI. If you comment on indentation, the fix is a lint rule.
}";

/// Production secrets: an exam, retaken until passed.
const SECRETS_EXAM: Evaluation = Evaluation {
    mode: Mode::Exam {
        max_attempts: None,
        time_limit_minutes: None,
    },
    pass_mark: 75,
    shuffle: false,
    required_for_completion: false,
    questions: &[
        ask(SECRETS_Q_BEFORE_REVOKE, 50, &["b", "c"]),
        ask(SECRETS_Q_DAYS, 55, &["30", "180"]),
        ask(SECRETS_Q_DROP, 45, &[]),
        ask(SECRETS_Q_LEAK, 60, &["/incident open", "@here"]),
    ],
};

const SECRETS_Q_BEFORE_REVOKE: &str = r"::Before revoking::In the overlap pattern, what comes right before revoking the old credential?
{
=Verify that nothing uses it any more #Right: the step people skip, and the one that prevents the outage.
~Roll out the new credential #That comes before verifying.
~Add a second credential #That is the first phase.
~Announce it in \#platform #Only needed when a system cannot hold two secrets.
####Add, roll out, verify, revoke.
}";

const SECRETS_Q_DAYS: &str = r"::Database passwords::Every how many days are database passwords rotated?
{#90
####Every 90 days, by the Platform Team. Third-party API keys every 180 days.
}";

const SECRETS_Q_DROP: &str = r"::The old user::Once the new database user works, drop the old one.
{F#Lock it instead, after a full working day at zero connections: a locked user can be unlocked in seconds.#Right: verify, then lock it.
####ALTER ROLE … NOLOGIN, not DROP: a locked user can be unlocked if something was missed.
}";

const SECRETS_Q_LEAK: &str = r"::A leak::A secret leaked. What do you type in \#on-call first?
{
=/incident declare
####Declare an incident (SEV2, or SEV1 if it was used), then rotate immediately.
}";

/// Eine kurze Übung zum Schluss.
const ONE_ON_ONE_QUIZ: Evaluation = Evaluation {
    mode: Mode::Practice,
    pass_mark: 70,
    shuffle: false,
    required_for_completion: false,
    questions: &[
        ask(ONE_ON_ONE_Q_STATUS, 45, &[]),
        ask(ONE_ON_ONE_Q_AGENDA, 55, &["b", "c"]),
        ask(ONE_ON_ONE_Q_MINUTES, 50, &["60", "15"]),
    ],
};

const ONE_ON_ONE_Q_STATUS: &str = r"::Kein Status-Meeting::Ein 1:1 ist vor allem ein Status-Meeting über die Tickets.
{F#Den Stand der Tickets siehst du im Board. Im 1:1 geht es um das, was sonst keinen Platz hat.#Richtig.
####Wie es der Person geht, Hindernisse, Entwicklung und Feedback in beide Richtungen.
}";

const ONE_ON_ONE_Q_AGENDA: &str = r"::Die Agenda::Wer trägt die Themen zuerst in die gemeinsame Notiz ein?
{
=Die Person, mit der du sprichst #Richtig: Es ist ihre Zeit.
~Du als Führungskraft #Deine Themen kommen danach.
~Wer zuerst daran denkt #Die Reihenfolge ist fest: zuerst die andere Person.
####Die Person, mit der du sprichst, trägt ihre Themen zuerst ein; deine kommen danach.
}";

const ONE_ON_ONE_Q_MINUTES: &str = r"::Rhythmus::Wie viele Minuten pro Woche empfehlen wir für ein 1:1?
{#30
####30 Minuten pro Woche, mindestens aber alle zwei Wochen.
}";
