//! Engineering's demo courses, on-call, postmortems, code review, rotating secrets (the
//! Platform Team's) and 1:1s (in German, by a coach): who writes and takes them, and how
//! their learners answer the evaluations. The text is in `demo/courses/`.

use super::Stage::{Completed, Enrolled, Steps, Viewed};
use super::{DemoCourse, Evaluation, Mode, Revision, ask, assigned, took};

pub(super) const ON_CALL: DemoCourse = DemoCourse {
    folder: "on-call-runbook",
    owner: "priya.raman",
    coauthors: &["tomas.herrera"],
    published: 75,
    revisions: &[
        Revision {
            published: 45,
            by: "tomas.herrera",
        },
        Revision {
            published: 10,
            by: "priya.raman",
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
    folder: "incident-postmortems",
    owner: "tomas.herrera",
    coauthors: &[],
    published: 50,
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
    folder: "code-review-etiquette",
    owner: "priya.raman",
    coauthors: &[],
    published: 100,
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
    folder: "rotating-secrets",
    owner: "arjun.patel",
    coauthors: &["priya.raman"],
    published: 30,
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
    folder: "gute-1-1-gespraeche",
    owner: "lukas.becker",
    coauthors: &[],
    published: 25,
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

/// Everyone passes it before joining the rota: two attempts, fifteen minutes.
const ON_CALL_EXAM: Evaluation = Evaluation {
    mode: Mode::Exam {
        max_attempts: Some(2),
        time_limit_minutes: Some(15),
    },
    pass_mark: 80,
    shuffle: true,
    required_for_completion: false,
    answers: &[
        ask("Acknowledge", 40, &["5", "15", "5"]),
        ask("Severity", 55, &["b"]),
        ask("Stabilise first", 35, &[]),
        ask("Updates", 65, &["p1 p2", "p2 p3"]),
        ask("Where updates go", 60, &["#on-call", "#incidents"]),
    ],
};

/// A practice quiz at the end of the course.
const POSTMORTEM_QUIZ: Evaluation = Evaluation {
    mode: Mode::Practice,
    pass_mark: 70,
    shuffle: false,
    required_for_completion: false,
    answers: &[
        ask("Who writes it", 65, &["b", "c", "b"]),
        ask("First draft", 65, &["5", "1"]),
        ask("Kinds of factors", 70, &["p2 p3", "p1 p3"]),
        ask("Root cause", 60, &[]),
    ],
};

/// A practice quiz at the end of the course.
const REVIEW_QUIZ: Evaluation = Evaluation {
    mode: Mode::Practice,
    pass_mark: 70,
    shuffle: false,
    required_for_completion: false,
    answers: &[
        ask("Why review", 60, &["b", "b", "c"]),
        // Two numbers in the course, and most remember the bigger one: too hard.
        ask("Small changes", 100, &["400", "100", "400"]),
        ask("Comment prefixes", 50, &["p3 p4", "p2 p3"]),
        ask("Approve with comments", 30, &[]),
        ask("Formatting", 45, &["the reviewer", "the author"]),
    ],
};

/// Production secrets: an exam, retaken until passed.
const SECRETS_EXAM: Evaluation = Evaluation {
    mode: Mode::Exam {
        max_attempts: None,
        time_limit_minutes: None,
    },
    pass_mark: 75,
    shuffle: false,
    required_for_completion: false,
    answers: &[
        ask("Before revoking", 50, &["b", "c"]),
        ask("Database passwords", 55, &["30", "180"]),
        ask("The old user", 45, &[]),
        ask("A leak", 60, &["/incident open", "@here"]),
    ],
};

/// Eine kurze Übung zum Schluss.
const ONE_ON_ONE_QUIZ: Evaluation = Evaluation {
    mode: Mode::Practice,
    pass_mark: 70,
    shuffle: false,
    required_for_completion: false,
    answers: &[
        ask("Kein Status-Meeting", 45, &[]),
        ask("Die Agenda", 55, &["b", "c"]),
        ask("Rhythmus", 50, &["60", "15"]),
    ],
};
