//! The course everyone at Acme takes: SOC 2 basics, owned by the company-wide group.

use super::Stage::{Completed, Enrolled, Steps, Viewed};
use super::{Ask, DemoCourse, Edit, Evaluation, Mode, Revision, Step, ask, assigned, took};

pub(super) const SOC2_BASICS: DemoCourse = DemoCourse {
    title: "SOC 2 basics for everyone",
    owner: "amara.okafor",
    group: "Acme",
    coauthors: &["arjun.patel"],
    // The owning group is the whole company: everyone sees it already.
    audiences: &[],
    summary: "What our SOC 2 audit checks, the handful of controls that depend on every one of us, and what to do when something looks wrong. Required for everyone, once a year.",
    language: "en",
    tags: "security, compliance, soc 2, onboarding",
    minutes: 20,
    published: 90,
    steps: &[
        Step {
            title: "What SOC 2 is, and why it matters to you",
            body: SOC2_WHAT,
        },
        Step {
            title: "The controls you touch every day",
            body: SOC2_CONTROLS,
        },
        Step {
            title: "Access: least privilege, reviewed",
            body: SOC2_ACCESS,
        },
        Step {
            title: "Customer data: where it may live",
            body: SOC2_DATA,
        },
        Step {
            title: "When something looks wrong",
            body: SOC2_REPORTING,
        },
    ],
    revisions: &[Revision {
        published: 12,
        by: "arjun.patel",
        note: "Updated for this year's audit: access reviews are now quarterly, phishing simulations are a new control, and a new step shows how to spot phishing.",
        minutes: Some(25),
        edits: &[
            Edit::Patch {
                step: 2,
                find: "| Managers confirm twice a year who on their team has access to what |",
                replace: "| Managers confirm every quarter who on their team has access to what |",
            },
            Edit::Patch {
                step: 2,
                find: "| Incident reporting | Report anything suspicious right away | Tickets in the security queue |",
                replace: "| Incident reporting | Report anything suspicious right away | Tickets in the security queue |\n| Phishing simulations | Report test phishing emails with the Report button, like real ones | Simulation results |",
            },
            Edit::Patch {
                step: 3,
                find: "Twice a year, every manager",
                replace: "Every quarter, every manager",
            },
            // The exam still had last year's rule as its answer key.
            Edit::Question {
                number: 2,
                gift: SOC2_Q_REVIEWS_QUARTERLY,
            },
            Edit::Insert {
                at: 5,
                step: Step {
                    title: "Phishing: how to spot it",
                    body: SOC2_PHISHING,
                },
            },
        ],
    }],
    learners: &[
        took("samuel.adeyemi", 87, Completed),
        took("priya.raman", 85, Completed),
        took("hannah.schmidt", 76, Completed),
        took("tomas.herrera", 68, Completed),
        took("mei.chen", 60, Completed),
        took("noah.fischer", 52, Completed),
        took("ethan.walker", 45, Completed),
        took("jonas.lindqvist", 41, Completed),
        took("daniel.kowalski", 33, Completed),
        took("ingrid.johansson", 30, Viewed),
        took("grace.kim", 22, Steps(2)),
        assigned("chloe.martin", 11, Completed, "amara.okafor", 5),
        assigned("kwame.mensah", 11, Steps(2), "amara.okafor", -3),
        assigned("omar.haddad", 11, Enrolled, "amara.okafor", -3),
        took("isabel.fernandez", 9, Completed),
        took("lukas.becker", 8, Completed),
        took("elena.novak", 6, Steps(3)),
        assigned("zoe.williams", 4, Enrolled, "amara.okafor", 10),
        assigned("liam.obrien", 4, Enrolled, "amara.okafor", 10),
        assigned("mateo.garcia", 4, Steps(3), "amara.okafor", 10),
        took("yusuf.demir", 2, Enrolled),
    ],
    evaluation: Some(&SOC2_EXAM),
};

/// Passing it is part of completing the course: the auditor samples the completion records.
const SOC2_EXAM: Evaluation = Evaluation {
    mode: Mode::Exam {
        max_attempts: None,
        time_limit_minutes: None,
    },
    pass_mark: 80,
    shuffle: true,
    required_for_completion: true,
    questions: &[
        ask(SOC2_Q_WHO, 50, &["b", "c"]),
        // Version 1's key is last year's rule. People who followed the policy change answer
        // "every quarter" and are marked wrong, so the strong learners score lower on it than
        // the weak ones (negative discrimination) until version 2 fixes the key.
        Ask {
            gift: SOC2_Q_REVIEWS,
            difficulty: 65,
            knows: Some("c"),
            guesses: &["a"],
        },
        ask(SOC2_Q_LOCK, 60, &["10", "15", "10"]),
        ask(SOC2_Q_DATA, 35, &[]),
        ask(
            SOC2_Q_ACCESS,
            50,
            &["Slack", "my manager", "the security channel"],
        ),
    ],
};

const SOC2_Q_WHO: &str = r"::Who SOC 2 depends on::Whose work does the SOC 2 auditor look at?
{
=Everyone's, from every team #Right. Access reviews, laptops, training records and reviewed changes come from across the company.
~Only the security team's #The security team runs the audit, but the evidence comes from everyone's daily work.
~Only Engineering's #Engineering owns change management; devices, access and training involve everyone.
~Nobody's in particular, the auditor reads our policies #Policies are not enough. The auditor samples real evidence to see that we follow them.
####A SOC 2 Type II audit checks that our controls are designed well **and** followed for twelve months, so the auditor samples real evidence from every team.
}";

const SOC2_Q_REVIEWS: &str = r"::Access reviews::How often does every manager confirm who on their team has access to what?
{
=Twice a year #Right: a list per manager, confirmed or removed line by line within ten working days.
~Once a year, with the audit #The audit is yearly, but the reviews happen more often than that.
~Every quarter #No, managers review access twice a year.
~Only when someone changes teams #A move changes access, but the reviews run on a fixed schedule.
####Managers receive a list of their team's access to the systems in scope and confirm or remove each line. Auditors look for reviews where every line was approved in under a minute.
}";

const SOC2_Q_REVIEWS_QUARTERLY: &str = r"::Access reviews::How often does every manager confirm who on their team has access to what?
{
~Twice a year #That was the rule until this year's audit. Reviews are now quarterly.
~Once a year, with the audit #The audit is yearly, but the reviews happen more often than that.
=Every quarter #Right: since this year's audit, a list per manager every quarter, confirmed or removed line by line.
~Only when someone changes teams #A move changes access, but the reviews run on a fixed schedule.
####Every quarter, managers receive a list of their team's access to the systems in scope and confirm or remove each line within ten working days. Auditors look for reviews where every line was approved in under a minute.
}";

const SOC2_Q_LOCK: &str = r"::Screen lock::After how many minutes without use must your screen lock?
{#5
####Five minutes, with disk encryption and automatic updates: device management reports are the evidence the auditor samples.
}";

const SOC2_Q_DATA: &str = r"::An export in Downloads::A customer's export in your laptop's downloads folder is fine if you delete it the same day.
{F#Not even for a day. Exports a customer asked for go to encrypted, access-controlled storage approved by Security.#Right, not even for a day.
####Customer data lives only in the production systems, the support tool, and storage approved by Security: never in a downloads folder, personal cloud storage or a USB stick.
}";

const SOC2_Q_ACCESS: &str = r"::Requesting access::Where do you request access to a system you need for your work?
{
=IT portal
=the IT portal
=the portal
####In the IT portal, never in a chat message: the request and the approval become the evidence the auditor samples.
}";

const SOC2_WHAT: &str = r#"SOC 2 is an audit standard for companies that handle customer data. Every year, an independent auditor checks that our security controls are designed well and that we actually follow them, over a period of twelve months. The result is a report we share with customers under NDA.

### Why customers ask for it

Before a company puts its employees' data into Lore, their security team wants proof that we protect it. A clean SOC 2 Type II report is that proof. Without it, most enterprise deals stop at the security review.

### Why it matters to you

SOC 2 is not only the security team's project. The auditor samples real evidence from across the company: access reviews done by managers, laptops with encryption turned on, new hires who completed this course, changes that were reviewed before release. Each control is only as strong as the people who follow it.

This course takes about twenty minutes. It covers the controls that touch everyone's daily work, whichever team you are in.
"#;

const SOC2_CONTROLS: &str = r#"Most of our SOC 2 controls are run by systems or by specific teams. A handful depend on everyone. These are the ones the auditor will ask about.

| Control | What it means for you | Evidence the auditor samples |
|---|---|---|
| Security awareness | Complete this course when you join and every year | Completion records in Lore |
| Device security | Disk encryption, screen lock after 5 minutes, automatic updates | Device management reports |
| Access management | Use SSO; never share accounts; request access through the IT portal | Access requests and approvals |
| Access reviews | Managers confirm twice a year who on their team has access to what | Signed review records |
| Change management | Changes to production are reviewed and tested before release | Pull requests and deploy logs |
| Incident reporting | Report anything suspicious right away | Tickets in the security queue |

### Evidence, not intentions

Look at the last column. An auditor doesn't ask whether you *would* report a lost laptop; they pick a sample of real events and ask to see what happened. That is why some steps, like recording an access approval in the portal instead of a chat message, matter even when they feel like paperwork.
"#;

const SOC2_ACCESS: &str = r#"Least privilege means everyone has the access they need for their work, and no more. It limits what a stolen password or an honest mistake can do.

### In practice

- **Request access in the IT portal**, not in a chat message. The request and the approval become evidence.
- **Don't share accounts**, even "just for today". Shared accounts break the audit trail: nobody can tell who did what.
- **Give back access you no longer need.** Moved teams? Finished the project? Say so in the portal.
- **Admin rights are temporary.** Production and admin access is granted for a limited time and expires on its own.

### Access reviews

Twice a year, every manager receives a list of their team's access to the systems in scope: production, the customer database, the support tool, the finance system. For each line they confirm or remove the access. The review is due within ten working days.

If you are a manager, treat these reviews as a real check, not a formality. Auditors look for reviews where every line was approved in under a minute, and they ask about them.
"#;

const SOC2_DATA: &str = r#"Customer data is anything a customer puts into Lore or sends us: their employees' names and emails, course content, learning records, support tickets with screenshots. Handle it as if it were your own.

### Allowed places

- The production systems, for the people whose job needs it.
- The support tool, for support conversations.
- Encrypted, access-controlled storage approved by Security, for exports a customer asked for.

### Not allowed

- Your laptop's downloads folder, personal cloud storage, or USB sticks.
- Spreadsheets shared by link, chat messages, or email attachments outside the support tool.
- Test and staging environments. Use generated demo data instead, like the people in this demo.
- Third-party AI tools or paste sites, unless Security approved that tool for that use.

### If you need real data for debugging

Ask for time-limited access through the portal and work on the read-only replica. When you are done, delete any local copies. If you are unsure whether something counts as customer data, assume it does and ask in `#security`.
"#;

const SOC2_REPORTING: &str = r#"You are part of our detection system. Many incidents are found not by tools but by someone who noticed that something was off and said so.

### Report right away

Report in `#security`, or to security@acme.example, if you:

- lost a laptop or phone, or it was stolen;
- clicked a link or opened an attachment that now seems suspicious;
- see customer data somewhere it shouldn't be;
- notice access you shouldn't have, or someone asks you to share credentials;
- get an unusual request for money or data, even from a colleague or "the CEO".

### What happens next

The security on-call answers within an hour during working hours, and within fifteen minutes for urgent cases. They may ask you to disconnect a device or change a password. Then they take it from there.

### No blame for reporting

You will never get in trouble for reporting something, even if it turns out to be nothing, and even if the mistake was yours. The only thing that makes an incident worse is waiting. A lost laptop reported within ten minutes is a small event; one reported after a week is an incident.
"#;

const SOC2_PHISHING: &str = r#"Phishing is still the most common way into a company. Attackers don't need to break our encryption if someone types a password into a fake sign-in page.

### Warning signs

- **Urgency or fear**: "Your account will be closed in 24 hours", "Invoice overdue, pay today".
- **A sign-in page you reached from a link.** Our SSO page is always `sso.acme.example`; check the address bar, not the logo.
- **Unexpected attachments**, especially documents that ask you to "enable content".
- **Requests to change payment details** or to buy gift cards, even from a name you know.
- **A sender address that is almost right**, like `acme-example.com` or `acrne.example`.

### What to do

Don't click, don't reply. Use the **Report phishing** button in your mail client: it sends the message to Security and removes it from your inbox. If you already clicked or typed a password, say so in `#security` right away and change your password.

### Practice emails

Security now sends a simulated phishing email about once a month. Reporting it counts as a pass; clicking it only gets you a short reminder, never a penalty.
"#;
