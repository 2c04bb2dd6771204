//! Customer Success's demo courses, the product tour everyone takes and escalations: who
//! writes and takes them, and how their learners answer the quizzes. The text is in
//! `demo/courses/product-onboarding` and `demo/courses/customer-escalations`.

use super::Stage::{Completed, Enrolled, Steps, Viewed};
use super::{DemoCourse, Evaluation, Mode, ask, assigned, took};

pub(super) const PRODUCT_ONBOARDING: DemoCourse = DemoCourse {
    folder: "product-onboarding",
    owner: "samuel.adeyemi",
    coauthors: &[],
    published: 110,
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
    folder: "customer-escalations",
    owner: "nadia.petrova",
    coauthors: &["samuel.adeyemi"],
    published: 35,
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

/// A practice quiz at the end of the tour.
const ONBOARDING_QUIZ: Evaluation = Evaluation {
    mode: Mode::Practice,
    pass_mark: 70,
    shuffle: false,
    required_for_completion: false,
    answers: &[
        // Everyone gets this one right: it tests too little.
        ask("Versions", 0, &[]),
        // Nobody picks "Liked it".
        ask("Reactions", 60, &["b", "c", "b"]),
        ask("Our customers", 65, &["c", "b"]),
        ask("No course yet", 75, &["request", "question", "suggestion"]),
        ask("My learning", 70, &["p1 p2", "p2 p3"]),
    ],
};

/// A practice quiz at the end of the course.
const ESCALATIONS_QUIZ: Evaluation = Evaluation {
    mode: Mode::Practice,
    pass_mark: 70,
    shuffle: false,
    required_for_completion: false,
    answers: &[
        ask("Which level", 55, &["a", "c"]),
        ask("First reply at level 3", 65, &["60", "120"]),
        ask("Tone", 50, &[]),
        ask("Where to post", 50, &["#support", "#escalations"]),
        ask("When it is over", 60, &["d", "b", "d"]),
    ],
};
