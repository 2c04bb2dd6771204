//! The Sales groups' demo courses: objections, discovery, security questionnaires (Enterprise
//! Sales), and giving feedback, which a Sales coach wrote for the whole company.

use super::Stage::{Completed, Enrolled, Steps, Viewed};
use super::{DemoCourse, Edit, Evaluation, Mode, Revision, Step, ask, assigned, took};

pub(super) const OBJECTIONS: DemoCourse = DemoCourse {
    title: "Handling sales objections",
    owner: "rafael.souza",
    group: "Sales",
    coauthors: &["hannah.schmidt"],
    audiences: &["Customer Success"],
    summary: "A simple loop for any objection (listen, acknowledge, explore, respond), applied to the ones we hear most: price, \"we already have something\", and \"not right now\".",
    language: "en",
    tags: "sales, objections, negotiation",
    minutes: 20,
    published: 80,
    steps: &[
        Step {
            title: "Objections are questions in disguise",
            body: OBJECTIONS_INTRO,
        },
        Step {
            title: "The LAER loop",
            body: OBJECTIONS_LAER,
        },
        Step {
            title: "“It's too expensive”",
            body: OBJECTIONS_PRICE,
        },
        Step {
            title: "“We already have something for this”",
            body: OBJECTIONS_COMPETITION,
        },
        Step {
            title: "“Not right now”",
            body: OBJECTIONS_TIMING,
        },
    ],
    revisions: &[Revision {
        published: 20,
        by: "rafael.souza",
        note: "The price step uses the new Team and Business plans (no more 6-month terms), and a new step on objections at renewal, written with Customer Success.",
        minutes: Some(25),
        edits: &[
            Edit::Patch {
                step: 1,
                find: "then apply it to the three we hear most.",
                replace: "then apply it to the three we hear most before a deal, and to the ones Customer Success hears at renewal.",
            },
            Edit::Patch {
                step: 3,
                find: "At your loaded cost, that is roughly 15,000 a year. The Team plan is 9,000.",
                replace: "At your loaded cost, that is roughly 15,000 a year. The Business plan, with the analytics you asked about, is 9,000; the Team plan is 4,800.",
            },
            Edit::Patch {
                step: 3,
                find: "Sometimes a smaller start fits an existing budget line: one department, a 6-month term, a pilot with a clear success measure.",
                replace: "Sometimes a smaller start fits an existing budget line: the Team plan for one department, moving to Business once an agreed success measure is met. We no longer offer 6-month terms.",
            },
            Edit::Insert {
                at: 6,
                step: Step {
                    title: "Objections at renewal time",
                    body: OBJECTIONS_RENEWAL,
                },
            },
        ],
    }],
    learners: &[
        took("ingrid.johansson", 72, Completed),
        took("chloe.martin", 50, Completed),
        took("grace.kim", 27, Steps(3)),
        assigned("omar.haddad", 19, Enrolled, "hannah.schmidt", -4),
        took("ethan.walker", 15, Completed),
        took("mateo.garcia", 12, Completed),
        assigned("aiko.tanaka", 10, Steps(2), "hannah.schmidt", 7),
        took("liam.obrien", 6, Viewed),
        took("zoe.williams", 5, Enrolled),
    ],
    evaluation: None,
};

pub(super) const DISCOVERY: DemoCourse = DemoCourse {
    title: "Discovery calls that uncover real pain",
    owner: "rafael.souza",
    group: "Sales",
    coauthors: &[],
    audiences: &[],
    summary: "Prepare in ten minutes, ask questions that get stories instead of yes or no, put a number on the pain together with the buyer, and never end a call without a booked next step.",
    language: "en",
    tags: "sales, discovery, questioning, qualification",
    minutes: 25,
    published: 60,
    steps: &[
        Step {
            title: "What discovery is for",
            body: DISCOVERY_GOAL,
        },
        Step {
            title: "Prepare in ten minutes",
            body: DISCOVERY_PREPARE,
        },
        Step {
            title: "Questions that open up",
            body: DISCOVERY_QUESTIONS,
        },
        Step {
            title: "Quantify the pain",
            body: DISCOVERY_QUANTIFY,
        },
        Step {
            title: "Close with a next step",
            body: DISCOVERY_NEXT_STEP,
        },
    ],
    revisions: &[],
    learners: &[
        took("chloe.martin", 55, Completed),
        took("aiko.tanaka", 44, Completed),
        took("ingrid.johansson", 38, Completed),
        took("ethan.walker", 21, Steps(3)),
        took("liam.obrien", 9, Steps(1)),
        took("grace.kim", 7, Enrolled),
        took("omar.haddad", 2, Viewed),
    ],
    evaluation: None,
};

pub(super) const SECURITY_QUESTIONNAIRES: DemoCourse = DemoCourse {
    title: "Enterprise procurement: security questionnaires",
    owner: "marcus.johnson",
    group: "Enterprise Sales",
    coauthors: &["arjun.patel"],
    audiences: &["Sales"],
    summary: "Get through an enterprise security review in weeks, not months: start early, lead with the trust pack, answer questionnaires from the approved library, and know when to bring in Security.",
    language: "en",
    tags: "enterprise, procurement, security, sales",
    minutes: 20,
    published: 40,
    steps: &[
        Step {
            title: "What procurement wants to know",
            body: PROCUREMENT_WHO,
        },
        Step {
            title: "Start from the trust pack",
            body: PROCUREMENT_TRUST_PACK,
        },
        Step {
            title: "Answering a questionnaire",
            body: PROCUREMENT_ANSWERING,
        },
        Step {
            title: "When to bring in Security",
            body: PROCUREMENT_ESCALATE,
        },
    ],
    revisions: &[],
    learners: &[
        took("ingrid.johansson", 36, Completed),
        took("hannah.schmidt", 33, Completed),
        took("grace.kim", 16, Steps(2)),
        took("ethan.walker", 8, Enrolled),
        assigned("liam.obrien", 6, Enrolled, "hannah.schmidt", 21),
        took("chloe.martin", 5, Viewed),
    ],
    evaluation: None,
};

pub(super) const FEEDBACK: DemoCourse = DemoCourse {
    title: "Giving feedback that lands",
    owner: "hannah.schmidt",
    group: "Sales",
    coauthors: &[],
    audiences: &["Acme"],
    summary: "Feedback as information, not judgement: the situation-behaviour-impact model, praise that says what to repeat, and how to receive feedback without flinching. For everyone, in every direction.",
    language: "en",
    tags: "feedback, communication, management",
    minutes: 15,
    published: 55,
    steps: &[
        Step {
            title: "Feedback is information",
            body: FEEDBACK_INFORMATION,
        },
        Step {
            title: "Situation, behaviour, impact",
            body: FEEDBACK_SBI,
        },
        Step {
            title: "Make praise specific",
            body: FEEDBACK_PRAISE,
        },
        Step {
            title: "Receiving feedback",
            body: FEEDBACK_RECEIVING,
        },
    ],
    revisions: &[],
    learners: &[
        took("ethan.walker", 50, Completed),
        took("lukas.becker", 47, Completed),
        took("nadia.petrova", 40, Completed),
        took("noah.fischer", 29, Completed),
        took("grace.kim", 13, Steps(2)),
        took("omar.haddad", 8, Steps(1)),
        took("sofia.rossi", 4, Enrolled),
        took("zoe.williams", 2, Viewed),
    ],
    evaluation: Some(&FEEDBACK_QUIZ),
};

const OBJECTIONS_INTRO: &str = r#"An objection is rarely a "no". It is a buyer telling you what they still need to believe before they can say yes. A prospect who raises no objections at all is usually not evaluating seriously.

### What objections often mean

| They say | They often mean |
|---|---|
| "It's too expensive." | "I can't yet justify this cost to my boss." |
| "We're happy with what we have." | "Switching sounds risky and tiring." |
| "Send me some information." | "I want to end this call politely." |
| "We need to think about it." | "Someone else decides, or something is unclear." |

### Your job

Your job is not to win the argument. It is to find out which belief is missing and help the buyer get there, or to learn early that there is no fit. Both outcomes are good: a clear "no" in week two saves a quarter of chasing.

In the next steps you will learn a simple loop for handling any objection, then apply it to the three we hear most.
"#;

const OBJECTIONS_LAER: &str = r#"Use the same four moves for every objection. A routine keeps you calm when an objection catches you off guard.

1. **Listen.** Let them finish. Don't start answering in your head halfway through the sentence; write it down instead.
2. **Acknowledge.** Show you heard it, without agreeing or arguing: "That's a fair concern; budgets are tight this year."
3. **Explore.** Ask a question before you answer: "When you say expensive, compared to what?" or "What would need to be true for this to be worth it?"
4. **Respond.** Now answer the real concern you uncovered, briefly, and check: "Does that address it?"

### Explore is the step people skip

Most reps jump from listening straight to responding, answering the objection as stated. But the stated objection is often not the real one. One good question, followed by silence, usually tells you more than five minutes of argument.

### Practice

Pick a recent call where you heard an objection. Write down what you answered, then write the question you could have asked first. Bring both to the next team call.
"#;

const OBJECTIONS_PRICE: &str = r#"Price objections come in two kinds, and they need different answers.

### "It costs more than we expected"

This is about value: the buyer doesn't yet see enough return. Go back to the pain you found in discovery and put numbers on it together:

> "You said your team spends about six hours a week answering the same onboarding questions. At your loaded cost, that is roughly 15,000 a year. The Team plan is 9,000."

If you can't make that calculation, the problem is not the price; it is the discovery. Book another call.

### "We don't have the budget"

This is about timing or authority. Ask: "When does your next budget cycle start?" and "Who owns the budget for tools like this?" Sometimes a smaller start fits an existing budget line: one department, a 6-month term, a pilot with a clear success measure.

### What not to do

Don't offer a discount the first time price comes up. A discount answers "too expensive" without finding out why, and it teaches the buyer that your first number wasn't real. Discounts need your sales lead's approval and something in return: a longer term, a case study, a faster signature.
"#;

const OBJECTIONS_COMPETITION: &str = r#"Most of our prospects already use something: a wiki, a shared drive of slides, an LMS bought years ago, or a plan to build it themselves. This is the objection we hear most often.

### Find out how well it works

Don't criticise their current tool; they may have chosen it. Ask about results instead:

- "How do you know whether people finished the security training last quarter?"
- "When a process changes, how do people find out what changed?"
- "Who writes the content today, and how long does an update take?"

If they have good answers, there may be no fit, and that is fine.

### "We'll build it ourselves"

Engineering teams sometimes propose building a learning tool in-house. Respect the idea, then make the full cost visible: the first version is the easy part; the years of maintenance, SSO, SCIM provisioning, xAPI reporting and audit exports are not. Offer a technical call with our solutions engineer rather than arguing the point yourself.

### Offer a low-risk comparison

Suggest they move one real course into a trial workspace and compare completion and feedback with their current tool over two weeks. Let the data make the case.
"#;

const OBJECTIONS_TIMING: &str = r#"Timing objections are the hardest to read. "Not now" can mean "not ever", "not until the autumn", or "not until my boss agrees". Your job is to find out which.

### Ask what changes later

"What will be different in three months that makes it a better time?" If there is a real answer (a reorganisation finishing, a new budget, a new hire), write it down with a date and agree to come back then. If there is no answer, "not now" probably means "no", and you can ask that directly: "Would it be fair to say this isn't a priority this year?"

### Make the cost of waiting concrete

Tie it back to their pain: "You mentioned the audit is in October. If preparing the content takes six weeks, when would you need to start?" Deadlines they already have convince more than deadlines you invent.

### Keep the door open properly

If they really need time, agree on a specific next step, not "I'll follow up". Send one useful thing in the meantime, such as a case study from a similar company, and put the follow-up date in the CRM with the reason. A timing objection handled well is next quarter's pipeline.
"#;

const OBJECTIONS_RENEWAL: &str = r#"Objections don't stop after the signature. At renewal, Customer Success hears many of the same ones, with one difference: the customer now has data. Use it.

### The common ones

| At renewal they say | Start with |
|---|---|
| "Adoption was lower than we hoped." | The usage report, together: which teams use it well, and what they did differently |
| "We need to cut costs." | Right-size the plan to active users before they ask for a discount |
| "Our champion has left." | Ask who owns learning now, and book a fresh kick-off with them |

### Work as one team

The account executive and the customer success manager plan every renewal over 20,000 together, at least 90 days before the end date. The customer success manager knows the account's health; the account executive knows the original business case. Bring both to the renewal conversation.

### Use the loop again

Listen, acknowledge, explore, respond still works. Only the explore questions change: "Which teams got the most out of it, and why?" is a better start than defending the numbers.
"#;

const DISCOVERY_GOAL: &str = r#"A discovery call has one job: find out whether the prospect has a problem worth solving, and whether we are the right ones to solve it. It is not a demo, and it is not a pitch.

### What you need to leave with

- **The pain**: what is going wrong today, in their words.
- **The impact**: what it costs them in time, money, risk or reputation.
- **The people**: who feels the pain, who decides, who signs.
- **The timing**: why now, and what happens if nothing changes.
- **The next step**: a date, with the right people.

If you end the call without these, you have not lost the deal, but you haven't qualified it either. Note the gaps in the CRM and plan how to fill them.

### Talk less than you think

The best performers on our team talk for about a third of a discovery call. The prospect talks for the rest, because good questions make them think out loud. If you are presenting slides in a discovery call, it has become a demo too early.
"#;

const DISCOVERY_PREPARE: &str = r#"You don't need an hour of research. Ten focused minutes before the call are enough, and they show.

### The ten-minute checklist

1. **Company** (3 minutes): size, industry, recent news. Did they just raise money, hire a new head of security, announce a merger? Change creates training needs.
2. **Person** (3 minutes): their role and how long they have been there. New leaders often want quick wins.
3. **History** (2 minutes): check the CRM. Have we talked before? Did they download the SOC 2 summary or the onboarding guide?
4. **Hypothesis** (2 minutes): write one sentence, "I think their pain is probably…". You will test it, not pitch it.

### Write your first three questions

Write them down, word for word. Under pressure, people fall back on closed questions ("Do you have a training tool?"). A written open question ("Walk me through what happens when a new engineer joins") carries you past the first five minutes.

Share a short agenda at the start of the call and ask whether they want to add anything. It makes the call theirs too.
"#;

const DISCOVERY_QUESTIONS: &str = r#"Your discovery is only as good as your questions. Open questions get stories, and stories contain the pain.

| Instead of | Ask |
|---|---|
| "Do you have onboarding problems?" | "Walk me through a new hire's first two weeks." |
| "Is compliance training important to you?" | "What happened during your last audit?" |
| "Would analytics be useful?" | "How do you know today whether training worked?" |
| "Who makes the decision?" | "Besides you, who will care how this turns out?" |
| "Is there a budget?" | "How have you paid for tools like this before?" |

### Follow the energy

When an answer gets longer, more emotional or more specific, you have found something. Go deeper there: "Tell me more about that", "What happened next?", "How did that affect your team?"

### Summarise back

Every ten minutes or so, summarise in their words: "So if I got it right, new engineers take about six weeks to ship their first change, and most of that is finding the right documentation?" They will correct you, and the correction is often the most valuable part of the call.
"#;

const DISCOVERY_QUANTIFY: &str = r#"Pain without a number is an opinion. Pain with a number is a business case the buyer can take to their boss, and you will need it when the price objection comes.

### Ask for their numbers, not yours

- "How many people join each quarter?"
- "How long until a new hire is fully productive?"
- "How many hours does your team spend answering the same questions?"
- "What did the last audit finding cost to fix?"

Then do the maths together, out loud, and let them correct it:

```text
40 new hires a quarter x 3 extra weeks to full productivity
= 120 lost weeks a quarter
x about 2,000 per week (loaded cost)
= about 240,000 a quarter in slower onboarding
```

### Be conservative

Use their lowest estimates. A number they helped calculate and believe is worth more than a big number they doubt. Write the calculation into the opportunity in the CRM, so the whole team, and later Customer Success, knows what the customer expects to gain.
"#;

const DISCOVERY_NEXT_STEP: &str = r#"A discovery call that ends with "I'll send you some information" has not ended; it has stalled. Always finish with a specific next step that both sides agreed to.

### In the last ten minutes

1. **Summarise** the pain and the impact you heard, in one or two sentences.
2. **Check the fit honestly.** If we can't help, say so and, if you can, suggest who can. It builds more trust than a forced demo.
3. **Propose the next step** and the people it needs: "A demo focused on onboarding, with you and your head of engineering. Does Tuesday or Thursday work better?"
4. **Book it during the call.** Send the invitation before you hang up.

### After the call

Within the hour, update the CRM: pain, impact, people, timing, next step. Send a short recap email in the prospect's own words. A good recap is often forwarded internally, and it becomes the first draft of their business case.
"#;

const PROCUREMENT_WHO: &str = r#"In enterprise deals the champion says yes first and procurement says yes last. Between the two sits a security review that can take a week or three months, depending mostly on how we handle it.

### Who is asking

- **Procurement** checks the vendor: company details, insurance, financial stability, contract terms.
- **Security** checks the product: how we protect their data, who can reach it, what happens in an incident.
- **Legal** checks the paperwork: the data processing agreement (DPA), liability, where the data is stored.

### What they are really asking

Every questionnaire, with 40 questions or 400, comes down to one concern: "If we put our data into this product, what could go wrong, and would we find out?" Answer that concern clearly and the single questions become easy.

### Start early

Ask about the security review in the first or second meeting: "What does your process for approving a new vendor look like, and how long does it usually take?" Reviews that start after the verbal yes are the most common reason our enterprise deals slip a quarter.
"#;

const PROCUREMENT_TRUST_PACK: &str = r#"Never answer a questionnaire from scratch. Our trust pack answers most questions before they are asked, and many buyers accept it instead of their own questionnaire.

### What is in the trust pack

- Our **SOC 2 Type II report** (under NDA), with the bridge letter for the months since the audit period ended.
- The summary of our latest external **penetration test**.
- The **security whitepaper**: architecture, encryption, access control, backups.
- A filled-in **SIG Lite** and **CAIQ**, the two most common standard questionnaires.
- Our **DPA** and the list of **subprocessors**.
- The **self-hosting guide**, for customers who run Lore in their own cloud.

### How to send it

Request it in `#deal-desk` with the account name; the NDA is sent and tracked for you. Send the pack with a short note: "Most of our customers' security teams find their answers here; we're happy to fill in your questionnaire for anything it doesn't cover." That sentence alone saves weeks.

Never attach the SOC 2 report to an email yourself. It leaves our control, and the auditors ask how it is shared.
"#;

const PROCUREMENT_ANSWERING: &str = r#"When a buyer insists on their own questionnaire, answer it accurately, consistently and quickly. The answer library in the deal desk holds approved answers to more than 600 questions.

### Rules

1. **Use approved answers.** Search the library first. Never improvise an answer about a security control.
2. **Answer the question asked.** To "Is data encrypted at rest?" say "Yes, AES-256, with keys managed in our cloud provider's KMS", not a paragraph about our security culture.
3. **"No" is an acceptable answer.** Explain briefly and mention compensating controls. A wrong "yes" found later ends deals and can breach contracts.
4. **Mark what doesn't apply** as not applicable, with one line saying why.

### Common questions

| Question | Approved short answer |
|---|---|
| Where is our data stored? | In the region the customer chooses, EU or US; self-hosted customers choose freely |
| Do you support SSO? | Yes: SAML 2.0 and OpenID Connect, with SCIM provisioning |
| How fast do you report incidents? | Within 72 hours, or faster where the contract says so |
| Do you run a bug bounty? | Yes, a private programme |
"#;

const PROCUREMENT_ESCALATE: &str = r#"You can handle most of a security review yourself, with the trust pack and the answer library. Some situations need the Security team; bring them in early rather than late.

### Bring in Security when

- A question has **no approved answer** in the library.
- The customer asks for **contract changes** about security: audit rights, breach notification times, testing our systems themselves.
- The customer wants a **call with our security team**, usually because their CISO is now involved.
- You are asked to **commit to a roadmap item**: "Will you support customer-managed keys by June?"

### How

Open a request in `#security-reviews` with the account name, the deal size, the expected close date and the exact questions. Security answers within two working days. For deals closing this quarter, mark the request `urgent`, and they aim for one.

### After the deal

Add every new answer Security gave you to the answer library, with their approval. The next rep who gets the same question will thank you, and so will Security.
"#;

const FEEDBACK_INFORMATION: &str = r#"Feedback is information about how someone's actions affect their work and the people around them. It is not a verdict on the person. When feedback feels like a verdict, people defend themselves instead of listening, and nothing changes.

### Why we want more of it

- People can't fix what they don't know about. Most of us have at least one habit that everyone notices except us.
- Positive feedback tells people what to keep doing. Without it, good habits fade.
- Small, early feedback prevents big, late conversations. A word after one late report is easy; a review about a year of late reports is not.

### Who gives feedback

Everyone, in every direction: to peers, to the people you lead, and to your manager. You don't need a title to tell a colleague that their demo was confusing, or that their help saved your week.

In this course you will learn one simple model for giving feedback, how to make praise count, and how to receive feedback without flinching.
"#;

const FEEDBACK_SBI: &str = r#"Situation, behaviour, impact (SBI) is a three-part structure that keeps feedback specific and fair.

- **Situation**: when and where. "In yesterday's pipeline review…"
- **Behaviour**: what the person did or said, as a camera would see it. "…you interrupted Omar twice while he presented his deals…"
- **Impact**: the effect on you, the team or the work. "…and he skipped his last two deals, so we never discussed the two at risk."

Then stop, and ask: "How did you see it?" There may be context you don't have.

### Behaviour, not character

| Character (avoid) | Behaviour (use) |
|---|---|
| "You're disorganised." | "The proposal went out without the pricing page." |
| "You're not a team player." | "You declined the last three deal reviews." |
| "You're great with customers." | "You called the customer back within the hour and explained the delay honestly." |

### Timing and place

Give feedback soon, while the situation is fresh: within a day or two. Give critical feedback in private, and ask first: "Do you have five minutes for some feedback on the review?"
"#;

const FEEDBACK_PRAISE: &str = r#""Great job!" feels nice for a second and teaches nothing. Specific praise tells people exactly what to repeat, and it is easier to believe.

### Use SBI for praise too

> "In Tuesday's call with the Nordbank team, you stopped the demo when their CISO looked lost and asked what she wanted to see. She told us about the audit, and that's why we're now in the security review."

Situation, behaviour, impact: the same three parts as critical feedback.

### A few habits

- **Praise the process, not only the result.** Deals close or slip for many reasons; a great discovery call deserves recognition even when the deal is lost.
- **Praise in public if the person likes that**, and in private if they don't. Ask if you are not sure.
- **Give more praise than criticism.** Not as a trick, but because most of what colleagues do is good and goes unmentioned.
- **Pass on praise you hear about someone.** "Customer Success said your hand-over notes were the best they've seen" costs you one message and makes someone's week.
"#;

const FEEDBACK_RECEIVING: &str = r#"Receiving feedback well is a skill, and it decides whether people will bother to give you feedback again.

### In the moment

1. **Say thank you**, even if it stings. It took effort to tell you.
2. **Ask questions to understand**, not to argue: "Can you give me an example?" "What would you have liked me to do instead?"
3. **Don't decide on the spot.** You don't have to agree right away. "Let me think about that" is a complete answer.

### Afterwards

Sort what you heard: what is useful, what is partly right, and what doesn't fit. Even feedback that is mostly wrong often holds one useful detail. If you change something because of it, tell the person: it closes the loop and makes the next round easier.

### Ask for it

Don't wait for feedback to arrive. Ask a specific question after a meeting or a project: "What is one thing I could have done better in that customer call?" Specific questions get specific answers; "Any feedback?" gets "No, all good".
"#;

/// A practice quiz at the end of the course.
const FEEDBACK_QUIZ: Evaluation = Evaluation {
    mode: Mode::Practice,
    pass_mark: 70,
    shuffle: false,
    required_for_completion: false,
    questions: &[
        ask(FEEDBACK_Q_SBI, 60, &["p2 p3", "p1 p2"]),
        ask(FEEDBACK_Q_BEHAVIOUR, 55, &["d", "d", "b"]),
        ask(FEEDBACK_Q_PRIVATE, 50, &[]),
        ask(FEEDBACK_Q_DAYS, 65, &["7", "5"]),
        ask(FEEDBACK_Q_THANKS, 50, &["sorry", "I disagree"]),
    ],
};

const FEEDBACK_Q_SBI: &str = r"::SBI::Match each part of SBI to its part of this feedback.
{
=Situation -> In yesterday's pipeline review
=Behaviour -> you interrupted Omar twice while he presented
=Impact -> we never discussed the two deals at risk
####Situation, behaviour, impact; then stop and ask how they saw it.
}";

const FEEDBACK_Q_BEHAVIOUR: &str = r"::Behaviour, not character::Which of these describes behaviour, not character?
{
=“The proposal went out without the pricing page.” #Right: a camera could have seen it.
~“You're disorganised.” #That judges the person. What did they do?
~“You're not a team player.” #That judges the person. Which meetings did they decline?
~“You're great with customers.” #Praise, but still about character. Say what they did, so they can repeat it.
####Describe what the person did or said, as a camera would see it.
}";

const FEEDBACK_Q_PRIVATE: &str = r"::In private::Give critical feedback in the team meeting, so that everyone learns from it.
{F#Critical feedback goes in private, and ask first.#Right: in private, and ask first.
####Critical feedback in private; praise in public if the person likes that.
}";

const FEEDBACK_Q_DAYS: &str = r"::Soon::Give feedback while the situation is fresh: within how many days, at most?
{#2
####Within a day or two. Small, early feedback prevents big, late conversations.
}";

const FEEDBACK_Q_THANKS: &str = r"::Receiving::Someone gives you feedback that stings. What do you say first?
{
=thank you
=thanks
####Say thank you, even if it stings: it took effort to tell you. Then ask questions to understand.
}";
