//! Words the generated organisation is written in: names, course topics, sentences.

use rand::Rng;
use rand::seq::IndexedRandom;

pub(super) const FIRST: &[&str] = &[
    "Amara", "Lukas", "Priya", "Tomás", "Mei", "Jonas", "Fatima", "Daniel", "Sofia", "Kwame",
    "Hannah", "Rafael", "Chloé", "Ethan", "Aiko", "Omar", "Grace", "Liam", "Nadia", "Samuel",
    "Isabel", "Noah", "Leila", "Mateo", "Zoe", "Arjun", "Elena", "Yusuf", "Ingrid", "Marcus",
    "Ana", "Kenji", "Lena", "Pedro", "Sara", "Viktor", "Maya", "Oskar", "Nia", "Hugo",
];

pub(super) const LAST: &[&str] = &[
    "Okafor",
    "Becker",
    "Raman",
    "Herrera",
    "Chen",
    "Lindqvist",
    "Zahra",
    "Kowalski",
    "Rossi",
    "Mensah",
    "Schmidt",
    "Souza",
    "Martin",
    "Walker",
    "Tanaka",
    "Haddad",
    "Kim",
    "O'Brien",
    "Petrova",
    "Adeyemi",
    "Fernández",
    "Fischer",
    "Ahmadi",
    "García",
    "Williams",
    "Patel",
    "Novak",
    "Demir",
    "Johansson",
    "Johnson",
    "Silva",
    "Nakamura",
    "Müller",
    "Dubois",
    "Costa",
];

pub(super) const DIVISIONS: &[&str] = &[
    "Engineering",
    "Sales",
    "Customer Success",
    "Operations",
    "Finance",
    "People",
    "Marketing",
    "Legal",
    "Research",
    "Support",
    "Product",
    "Design",
];

pub(super) const TOPICS: &[&str] = &[
    "Kubernetes",
    "Negotiation",
    "Onboarding",
    "Incident Response",
    "Accessibility",
    "Budgeting",
    "Forecasting",
    "Security Awareness",
    "Code Review",
    "Data Privacy",
    "Public Speaking",
    "Customer Interviews",
    "Pricing",
    "Observability",
    "Hiring",
    "Coaching",
    "Contracts",
    "Accounting",
    "Roadmapping",
    "Prototyping",
    "Testing",
    "Databases",
    "Networking",
    "Leadership",
    "Mentoring",
    "Writing",
    "Escalations",
    "Compliance",
    "Procurement",
    "Analytics",
    "Spreadsheets",
    "Presentations",
    "Retrospectives",
    "Estimation",
    "Postmortems",
    "Cryptography",
    "Caching",
    "Migrations",
    "Deployments",
    "Feedback",
];

const FORMS: &[&str] = &[
    "Basics",
    "in Practice",
    "for Beginners",
    "Deep Dive",
    "Essentials",
    "Field Guide",
    "Checklist",
    "Workshop",
    "Refresher",
    "Playbook",
];

const SENTENCES: &[&str] = &[
    "Start from the outcome the customer needs and work backwards.",
    "Write down what you decided and why, so the next person does not have to guess.",
    "Small, frequent changes are easier to review and to undo.",
    "Ask one open question, then listen until the answer is finished.",
    "Measure before you change anything, and again afterwards.",
    "A checklist catches what memory drops under pressure.",
    "Name the risk out loud; a risk nobody names is nobody's job.",
    "Agree on what done means before the work starts.",
    "Keep the first version simple enough to explain on one page.",
    "When two goals conflict, say which one wins this time.",
];

/// A course title such as "Kubernetes in Practice"; `topic` picks the subject.
pub(super) fn course_title(topic: usize, rng: &mut impl Rng) -> String {
    let form = FORMS.choose(rng).copied().unwrap_or("Basics");
    format!("{} {form}", TOPICS[topic % TOPICS.len()])
}

/// `n` sentences of plain text.
pub(super) fn paragraph(n: usize, rng: &mut impl Rng) -> String {
    (0..n)
        .filter_map(|_| SENTENCES.choose(rng).copied())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A person's name, different for every index within the first and last names' product.
pub(super) fn person_name(i: usize) -> String {
    let first = FIRST[i % FIRST.len()];
    let last = LAST[(i / FIRST.len()) % LAST.len()];
    format!("{first} {last}")
}
