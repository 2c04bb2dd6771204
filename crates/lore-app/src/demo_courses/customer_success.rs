//! Customer Success's demo courses: the product tour everyone takes, and escalations.

use super::Stage::{Completed, Enrolled, Steps, Viewed};
use super::{DemoCourse, Evaluation, Mode, Step, ask, assigned, took};

pub(super) const PRODUCT_ONBOARDING: DemoCourse = DemoCourse {
    title: "Product onboarding: Lore in 20 minutes",
    owner: "samuel.adeyemi",
    group: "Customer Success",
    coauthors: &[],
    audiences: &["Acme"],
    summary: "A guided tour of the product we sell and use every day: taking a course, writing one, how learners talk back, and what coaches see. For every new joiner, whatever their team.",
    language: "en",
    tags: "product, onboarding, lore",
    minutes: 20,
    published: 110,
    steps: &[
        Step {
            title: "What Lore is for",
            body: ONBOARDING_WHAT,
        },
        Step {
            title: "Taking a course",
            body: ONBOARDING_TAKING,
        },
        Step {
            title: "Writing your first course",
            body: ONBOARDING_WRITING,
        },
        Step {
            title: "Reactions, questions and needs",
            body: ONBOARDING_REACTIONS,
        },
        Step {
            title: "For coaches: assignments and progress",
            body: ONBOARDING_COACHES,
        },
    ],
    revisions: &[],
    learners: &[
        took("isabel.fernandez", 105, Completed),
        took("noah.fischer", 98, Completed),
        took("mateo.garcia", 70, Completed),
        took("grace.kim", 65, Completed),
        took("kwame.mensah", 58, Completed),
        took("chloe.martin", 24, Steps(1)),
        assigned("leila.ahmadi", 14, Steps(2), "nadia.petrova", -6),
        assigned("zoe.williams", 8, Steps(4), "nadia.petrova", 2),
        took("yusuf.demir", 7, Enrolled),
        took("aiko.tanaka", 3, Viewed),
    ],
    evaluation: Some(&ONBOARDING_QUIZ),
};

pub(super) const ESCALATIONS: DemoCourse = DemoCourse {
    title: "Customer escalations without drama",
    owner: "nadia.petrova",
    group: "Customer Success",
    coauthors: &["samuel.adeyemi"],
    audiences: &["Engineering", "Sales"],
    summary: "How we recognise an escalation, write the first reply, bring in Engineering with the facts they need, and close the loop so the customer trusts us more afterwards, not less.",
    language: "en",
    tags: "customer success, escalations, communication",
    minutes: 15,
    published: 35,
    steps: &[
        Step {
            title: "What counts as an escalation",
            body: ESCALATIONS_LEVELS,
        },
        Step {
            title: "The first reply",
            body: ESCALATIONS_FIRST_REPLY,
        },
        Step {
            title: "Bringing in Engineering",
            body: ESCALATIONS_ENGINEERING,
        },
        Step {
            title: "Closing the loop",
            body: ESCALATIONS_CLOSING,
        },
    ],
    revisions: &[],
    learners: &[
        took("isabel.fernandez", 33, Completed),
        took("zoe.williams", 28, Completed),
        took("jonas.lindqvist", 24, Completed),
        took("leila.ahmadi", 20, Completed),
        took("noah.fischer", 11, Steps(2)),
        assigned("mateo.garcia", 9, Enrolled, "nadia.petrova", 9),
        took("omar.haddad", 6, Enrolled),
        took("fatima.zahra", 3, Viewed),
    ],
    evaluation: Some(&ESCALATIONS_QUIZ),
};

const ONBOARDING_WHAT: &str = r#"Lore is a learning platform where anyone in a company can write a course, and everyone can make it better. It is what our customers buy, and it is what you are using right now.

### The idea in three sentences

1. Knowledge lives with the people doing the work, so they should be able to write it down quickly, without waiting for an instructional designer.
2. Learners react to each step (useful, unclear, outdated) and ask questions, so weak content becomes visible and gets fixed.
3. Coaches see who learned what and whether it changed outcomes, and the learning record flows into the tools the company already runs.

### Who buys it

Our typical customer is a software or services company with 200 to 5,000 employees that has outgrown a wiki for onboarding and compliance training but doesn't want a heavyweight LMS. The buyer is usually the head of people, an engineering leader, or a security team that needs proof of training for an audit.

In the next steps you will take the tour from three angles: learner, author and coach.
"#;

const ONBOARDING_TAKING: &str = r#"Everything starts from the catalogue. It shows the courses meant for your groups, and search finds courses by title, summary, topics and text.

### The player

Open a course and press **Start**. The player shows one step at a time, with your progress at the top. Mark a step done when you have read it. Lore remembers where you left off, on any device, so you can stop in the middle and continue tomorrow.

### Versions

Courses change. When an author publishes a new version, you keep the version you started, so your progress is never lost. If you already completed the course, you get a "What changed" link that highlights exactly which steps were added or rewritten, word by word, so you don't have to take the whole course again.

### My learning

**My learning** sorts your courses into three lists:

| List | What is in it |
|---|---|
| Assigned | Courses a coach asked you to take, soonest due date first |
| In progress | Courses you started yourself |
| Completed | Everything you finished, with "What changed" where it applies |
"#;

const ONBOARDING_WRITING: &str = r#"Anyone in a group where authoring is open can write a course. Press **New course**, give it a title and write the first step. That is a course.

### Good first courses are small

Pick something people ask you about again and again: setting up the development environment, preparing a quote, handling a refund. Three to six short steps, each answering one question, beat one long page.

### The editor

- Steps are written in Markdown: headings, lists, tables, code blocks and links.
- Add topics so people find the course, and an estimated time so they can plan.
- Choose the **audience**: your own group sees the course automatically; add the other groups that need it.
- Invite **co-authors** to write with you. Lore warns you if someone else saved the same step while you were editing it.

### Publishing

When you press **Publish**, the draft becomes a version that never changes. To improve the course later, edit it and publish again with a short change note ("Updated the pricing table for the new plans"). Learners who finished the old version see what changed.
"#;

const ONBOARDING_REACTIONS: &str = r#"Courses get better because learners talk back. Every step has a row of reactions:

| Reaction | What it tells the author |
|---|---|
| Useful, Learned something, Liked it | Keep this |
| Unclear | Rewrite this part |
| Outdated | This no longer matches how we work |
| Question | Opens a thread on the step |

Authors see reactions per step, so they can fix the one unclear paragraph instead of guessing.

### Suggested edits

Spotted a mistake? Suggest an edit right on the step. The author accepts or declines it, and an accepted edit goes into the next version with your name on it.

### Needs

If the course you need doesn't exist, post a **need**: "How do we handle GDPR deletion requests?" Colleagues vote on it and experts volunteer. When someone writes a course that answers the need, everyone who voted or followed it hears about it.

When you show Lore to a customer, this is often the moment it clicks: the content is never finished, and that is the point.
"#;

const ONBOARDING_COACHES: &str = r#"Coaches help a group learn what it needs. In Lore, a coach is anyone with the coach role in a group, and the role reaches every group below it too.

### Assign with a due date

From a course page, choose **Assign**, pick people from the groups you coach, and set a due date. The course appears at the top of their **My learning** under Assigned, and overdue courses are flagged for both of you.

### Watch progress

The course's progress view shows each person's status: not started, in progress with the share done, or completed with the date. For a group you see the funnel: how many people viewed the course, enrolled, started and completed, and where they dropped out.

### Use it kindly

Progress data is there to help people, not to police them. If someone is overdue, ask whether the deadline is realistic or something is in the way. If everyone stops at the same step, the step is probably the problem: tell the author.

That is the tour. Try it now: open **My learning** and see which courses are waiting for you.
"#;

const ESCALATIONS_LEVELS: &str = r#"An escalation is a customer issue that needs more than the normal support process: more urgency, more seniority, or another team. Knowing the level avoids both panic and neglect.

| Level | Examples | Who leads | First reply within |
|---|---|---|---|
| 1 | A bug blocks one customer's important task; a frustrated admin | The account's customer success manager (CSM) | 4 working hours |
| 2 | A bug affects many customers; a renewal at risk; a complaint from an executive | The CSM, with the Customer Success lead informed | 2 hours |
| 3 | Data exposure, a long outage, legal threats, press interest | The Customer Success lead, with Engineering and Security | 30 minutes |

### Not every angry email is an escalation

A customer can be upset about a small thing and calm about a big one. Judge the impact, not the tone. But a customer who feels unheard will escalate on their own, to our CEO or in public, so take the emotion seriously even when the level is low.

Anyone at Acme who hears about a possible escalation, engineers and sales included, posts it in `#cs-escalations` with the account name. Customer Success decides the level.
"#;

const ESCALATIONS_FIRST_REPLY: &str = r#"The first reply sets the tone of the whole escalation. Customers forgive problems; they don't forgive silence or spin.

### What a good first reply contains

1. **The impact, in their terms**: "Your team couldn't finish the compliance training before the audit deadline."
2. **What you are doing now**: "I've raised this with our engineering team as a priority and I'm following it personally."
3. **When they will hear from you next**, with a time. Keep it, even if you have nothing new.
4. **One direct contact**: you.

### Avoid

- Blaming the customer, another team, or a vendor ("our hosting provider had an issue").
- Promising a fix date before Engineering has confirmed one.
- Long technical explanations. Save them for the follow-up, when you know the facts.

### Pick up the phone

For levels 2 and 3, call before you write. Five minutes on the phone lower the temperature more than any email, and you learn what matters most to them. Then confirm what you agreed in writing.
"#;

const ESCALATIONS_ENGINEERING: &str = r#"Engineers want to help, and they help fastest when the escalation arrives with the facts they need. A vague ticket costs a round trip, and a round trip costs the customer hours.

### An escalation ticket that gets fixed

```text
Title: [ESC-2] Completions not syncing to Workday for Nordbank

Customer impact: 1,200 employees' completions since Monday are missing
in Workday; their audit evidence is due Friday.
What they see: completions show in Lore; none in Workday after Monday.
Since: Monday ~09:00 UTC (last good sync Sunday 23:00 UTC).
Scope: only Nordbank so far; two other Workday customers are fine.
Tried: re-sent one statement by hand; it arrived.
Account: nordbank (EU region), CSM Isabel, renewal in 6 weeks.
```

### Then let Engineering work

Post the ticket link in `#cs-escalations` and agree on one engineer as your contact. Don't ping several people in parallel. Ask when you should check back, and pass the updates to the customer yourself: engineers should not have to manage the customer relationship while they debug.
"#;

const ESCALATIONS_CLOSING: &str = r#"An escalation is over when the customer agrees it is over, not when the ticket is closed.

### When the fix is out

- Tell the customer what was fixed, in plain language, and what they need to do, if anything.
- Ask them to confirm that it works for them, and wait for that before you close.
- Thank the engineers in `#cs-escalations`, by name, with the customer's reaction if it was a good one.

### A week later

Check in once more. Is everything still working? Did anything else get lost while everyone was focused on the escalation? This short call is often where trust is rebuilt.

### Learn from it

For levels 2 and 3, write a short review: what happened, how long each phase took, and what would have helped. Share it with Engineering, and if there was an incident, link the engineering postmortem. Patterns across escalations (the same integration, the same kind of customer, the same missing alert) are what the Customer Success lead brings to the quarterly product review.
"#;

/// A practice quiz at the end of the tour.
const ONBOARDING_QUIZ: Evaluation = Evaluation {
    mode: Mode::Practice,
    pass_mark: 70,
    shuffle: false,
    required_for_completion: false,
    questions: &[
        // Everyone gets this one right: it tests too little.
        ask(ONBOARDING_Q_VERSIONS, 0, &[]),
        // Nobody picks "Liked it".
        ask(ONBOARDING_Q_REACTION, 60, &["b", "c", "b"]),
        ask(ONBOARDING_Q_CUSTOMER, 65, &["c", "b"]),
        ask(
            ONBOARDING_Q_NEED,
            75,
            &["request", "question", "suggestion"],
        ),
        ask(ONBOARDING_Q_LISTS, 70, &["p1 p2", "p2 p3"]),
    ],
};

const ONBOARDING_Q_VERSIONS: &str = r"::Versions::When an author publishes a new version, you keep the version you started, with your progress.
{T#You do keep it: your progress is never lost.#Right, and if you completed it you get a “What changed” link.
####Published versions never change. Learners who finished an old version see what changed, word by word.
}";

const ONBOARDING_Q_REACTION: &str = r"::Reactions::A step no longer matches how we work. Which reaction tells the author?
{
=Outdated #Right: this no longer matches how we work.
~Unclear #Unclear asks for a rewrite of a confusing part; outdated says the facts changed.
~Question #A question opens a thread; the outdated reaction is the quick signal.
~Liked it #That tells the author to keep it.
####Authors see reactions per step, so they can fix the one outdated paragraph instead of guessing.
}";

const ONBOARDING_Q_CUSTOMER: &str = r"::Our customers::Who is our typical customer?
{
=A software or services company with 200 to 5,000 employees #Right: one that has outgrown a wiki but doesn't want a heavyweight LMS.
~A start-up with a dozen people #They usually still manage with a wiki.
~A corporation with its own LMS team #They tend to run a heavyweight LMS already.
~A school or university #Lore is built for companies' own knowledge.
####The buyer is usually the head of people, an engineering leader, or a security team that needs proof of training for an audit.
}";

const ONBOARDING_Q_NEED: &str = r"::No course yet::The course you need doesn't exist. What do you post, so colleagues can vote and experts volunteer? (one word)
{
=need
=a need
####A need. When someone writes a course that answers it, everyone who voted or followed it hears about it.
}";

const ONBOARDING_Q_LISTS: &str = r"::My learning::Match each list in My learning to what it holds.
{
=Assigned -> Courses a coach asked you to take
=In progress -> Courses you started yourself
=Completed -> Everything you finished
####Assigned courses come first, soonest due date first.
}";

/// A practice quiz at the end of the course.
const ESCALATIONS_QUIZ: Evaluation = Evaluation {
    mode: Mode::Practice,
    pass_mark: 70,
    shuffle: false,
    required_for_completion: false,
    questions: &[
        ask(ESCALATIONS_Q_LEVEL, 55, &["a", "c"]),
        ask(ESCALATIONS_Q_MINUTES, 65, &["60", "120"]),
        ask(ESCALATIONS_Q_TONE, 50, &[]),
        ask(ESCALATIONS_Q_CHANNEL, 50, &["#support", "#escalations"]),
        ask(ESCALATIONS_Q_OVER, 60, &["d", "b", "d"]),
    ],
};

const ESCALATIONS_Q_LEVEL: &str = r"::Which level::A bug affects many customers, and one renewal is at risk. Which level is it?
{
~Level 1 #Level 1 is one customer's important task or a frustrated admin.
=Level 2 #Right: many customers, or a renewal at risk. The CSM leads, with the Customer Success lead informed.
~Level 3 #Level 3 is data exposure, a long outage, legal threats or press interest.
####Judge the impact, not the tone.
}";

const ESCALATIONS_Q_MINUTES: &str = r"::First reply at level 3::At level 3, within how many minutes does the customer get a first reply?
{#30
####30 minutes at level 3, 2 hours at level 2, 4 working hours at level 1.
}";

const ESCALATIONS_Q_TONE: &str = r"::Tone::The customer's tone decides the level of an escalation.
{F#Judge the impact, not the tone, but take the emotion seriously.#Right: a customer can be upset about a small thing and calm about a big one.
####Customer Success decides the level from the impact.
}";

const ESCALATIONS_Q_CHANNEL: &str = r"::Where to post::Where does anyone at Acme post a possible escalation? (the channel)
{
=\#cs-escalations
=cs-escalations
####In \#cs-escalations, with the account name. Customer Success decides the level.
}";

const ESCALATIONS_Q_OVER: &str = r"::When it is over::When is an escalation over?
{
=When the customer agrees it is over #Right, and not before.
~When the fix is released #Then ask the customer to confirm that it works for them.
~When the ticket is closed #The ticket can close before the customer is happy.
~After the check-in a week later #That check-in rebuilds trust, but the escalation is over when the customer says so.
####An escalation is over when the customer agrees it is over, not when the ticket is closed.
}";
