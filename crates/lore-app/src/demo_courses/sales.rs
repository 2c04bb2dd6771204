//! The Sales groups' demo courses, objections, discovery, security questionnaires
//! (Enterprise Sales) and giving feedback (by a Sales coach, for the whole company): who
//! writes and takes them, and how their learners answer the quiz. The text is in
//! `demo/courses/`.

use super::Stage::{Completed, Enrolled, Steps, Viewed};
use super::{DemoCourse, Evaluation, Mode, Revision, ask, assigned, took};

pub(super) const OBJECTIONS: DemoCourse = DemoCourse {
    folder: "sales-objections",
    owner: "rafael.souza",
    coauthors: &["hannah.schmidt"],
    published: 80,
    revisions: &[Revision {
        published: 20,
        by: "rafael.souza",
    }],
    learners: &[
        took("ingrid.johansson", 72, Completed),
        took("ana.sousa", 65, Completed),
        took("ben.carter", 58, Completed),
        took("chloe.martin", 50, Completed),
        took("dara.singh", 30, Completed),
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
    folder: "discovery-calls",
    owner: "rafael.souza",
    coauthors: &[],
    published: 60,
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
    folder: "security-questionnaires",
    owner: "marcus.johnson",
    coauthors: &["arjun.patel"],
    published: 40,
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
    folder: "giving-feedback",
    owner: "hannah.schmidt",
    coauthors: &[],
    published: 55,
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

/// A practice quiz at the end of the course.
const FEEDBACK_QUIZ: Evaluation = Evaluation {
    mode: Mode::Practice,
    pass_mark: 70,
    shuffle: false,
    required_for_completion: false,
    answers: &[
        ask("SBI", 60, &["p2 p3", "p1 p2"]),
        ask("Behaviour, not character", 55, &["d", "d", "b"]),
        ask("In private", 50, &[]),
        ask("Soon", 65, &["7", "5"]),
        ask("Receiving", 50, &["sorry", "I disagree"]),
    ],
};
