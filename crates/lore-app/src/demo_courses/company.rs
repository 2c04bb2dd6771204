//! Who writes and takes the course everyone at Acme takes, SOC 2 basics
//! (`demo/courses/soc2-basics`), and how its learners answer the exam.

use super::Stage::{Completed, Enrolled, Steps, Viewed};
use super::{Ask, DemoCourse, Evaluation, Mode, Revision, ask, assigned, took};

pub(super) const SOC2_BASICS: DemoCourse = DemoCourse {
    folder: "soc2-basics",
    owner: "amara.okafor",
    coauthors: &["arjun.patel"],
    published: 90,
    revisions: &[Revision {
        published: 12,
        by: "arjun.patel",
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
    answers: &[
        ask("Who SOC 2 depends on", 50, &["b", "c"]),
        // Version 1's key is last year's rule. People who followed the policy change answer
        // "every quarter" and are marked wrong, so the strong learners score lower on it than
        // the weak ones (negative discrimination) until version 2 fixes the key.
        Ask {
            title: "Access reviews",
            difficulty: 65,
            knows: Some("c"),
            guesses: &["a"],
        },
        ask("Screen lock", 60, &["10", "15", "10"]),
        ask("An export in Downloads", 35, &[]),
        ask(
            "Requesting access",
            50,
            &["Slack", "my manager", "the security channel"],
        ),
    ],
};
