//! The organisation: a platform administrator, a tree of groups (company, divisions,
//! departments, teams) and its people, each a member of one group in one role.

use rand::Rng;
use time::{Duration, OffsetDateTime};

use super::loader::{Buffer, Loader, at};
use super::{Scale, words};
use crate::AppResult;
use crate::demo::{DOMAIN, DemoSignIn};

/// Who is where, for the phases after this one.
pub(super) struct Org {
    pub(super) root: i64,
    /// Division group ids, in order.
    pub(super) divisions: Vec<i64>,
    /// People (not the platform administrator) of each division, by user id.
    pub(super) people_by_division: Vec<Vec<i64>>,
    /// Authors of each division.
    pub(super) authors_by_division: Vec<Vec<i64>>,
    /// Coaches anywhere.
    pub(super) coaches: Vec<i64>,
    /// Every person's division index, by `user id - 2` (the administrator is id 1).
    pub(super) division_of: Vec<usize>,
    pub(super) sign_ins: Vec<DemoSignIn>,
}

impl Org {
    pub(super) fn person_count(&self) -> usize {
        self.division_of.len()
    }
}

const ADMIN_ID: i64 = 1;

pub(super) async fn generate(
    loader: &mut Loader,
    rng: &mut impl Rng,
    scale: &Scale,
    password_hash: &str,
    now: OffsetDateTime,
) -> AppResult<Org> {
    let created = now - Duration::days(400);
    let mut groups = Buffer::new("groups", &["id", "parent_id", "name", "created_at"]);
    let root = 1_i64;
    let mut next_group = 1_i64;
    let mut add_group = |groups: &mut Buffer, parent: Option<i64>, name: String| {
        let id = next_group;
        next_group += 1;
        groups.push([id.into(), parent.into(), name.into(), at(created)]);
        id
    };
    add_group(&mut groups, None, "Acme".to_owned());
    // The tree: the company, divisions, departments, teams; about `scale.groups` in all.
    let division_count = (scale.groups / 50).clamp(2, 12);
    // About ten teams per department, at most five departments per division.
    let departments_per =
        (scale.groups.saturating_sub(1 + division_count) / (division_count * 10)).clamp(1, 5);
    let rest = scale
        .groups
        .saturating_sub(1 + division_count + division_count * departments_per);
    let teams_per = rest / (division_count * departments_per);
    let mut divisions = Vec::new();
    // Leaves: (group id, division index, department group id).
    let mut leaves: Vec<(i64, usize, i64)> = Vec::new();
    for d in 0..division_count {
        let name = match words::DIVISIONS.get(d) {
            Some(n) => (*n).to_owned(),
            None => format!("Division {}", d + 1),
        };
        let division = add_group(&mut groups, Some(root), name);
        divisions.push(division);
        for p in 0..departments_per {
            let department =
                add_group(&mut groups, Some(division), format!("Department {}", p + 1));
            if teams_per == 0 {
                leaves.push((department, d, department));
            }
            for t in 0..teams_per {
                let team = add_group(&mut groups, Some(department), format!("Team {}", t + 1));
                leaves.push((team, d, department));
            }
        }
    }
    loader.flush(&mut groups).await?;

    let mut users = Buffer::new(
        "users",
        &[
            "id",
            "email",
            "name",
            "password_hash",
            "platform_admin",
            "created_at",
            "updated_at",
        ],
    );
    let mut memberships = Buffer::new(
        "memberships",
        &["id", "user_id", "group_id", "role", "created_at"],
    );
    users.push([
        ADMIN_ID.into(),
        format!("admin@{DOMAIN}").into(),
        "Avery Admin".into(),
        password_hash.into(),
        true.into(),
        at(created),
        at(created),
    ]);
    let mut org = Org {
        root,
        divisions: divisions.clone(),
        people_by_division: vec![Vec::new(); division_count],
        authors_by_division: vec![Vec::new(); division_count],
        coaches: Vec::new(),
        division_of: Vec::with_capacity(scale.people),
        sign_ins: vec![DemoSignIn {
            role: "platform admin",
            name: "Avery Admin".to_owned(),
            email: format!("admin@{DOMAIN}"),
        }],
    };
    let mut division_has_admin = vec![false; division_count];
    let mut department_has_coach = std::collections::HashSet::new();
    for i in 0..scale.people {
        let id = i as i64 + 2;
        let (team, d, department) = leaves[i % leaves.len()];
        let name = words::person_name(i);
        let email = format!("person{}@{DOMAIN}", i + 1);
        let joined = created + Duration::days(rng.random_range(0..300));
        users.push([
            id.into(),
            email.clone().into(),
            name.clone().into(),
            password_hash.into(),
            false.into(),
            at(joined),
            at(joined),
        ]);
        let (group, role, label) = if !division_has_admin[d] {
            division_has_admin[d] = true;
            (divisions[d], "admin", "group admin")
        } else if department_has_coach.insert(department) {
            org.coaches.push(id);
            (department, "coach", "coach")
        } else if i % 25 == 3 {
            org.authors_by_division[d].push(id);
            (team, "author", "author")
        } else {
            (team, "learner", "learner")
        };
        if !org.sign_ins.iter().any(|s| s.role == label) {
            org.sign_ins.push(DemoSignIn {
                role: label,
                name: name.clone(),
                email,
            });
        }
        memberships.push([id.into(), id.into(), group.into(), role.into(), at(joined)]);
        org.people_by_division[d].push(id);
        org.division_of.push(d);
        loader
            .flush_in_order(&mut [&mut users, &mut memberships], false)
            .await?;
        if i % 1000 == 999 {
            loader.advance(1000);
        }
    }
    loader
        .flush_in_order(&mut [&mut users, &mut memberships], true)
        .await?;
    // A division without authors gets its admin as one, so every division can own courses.
    for d in 0..division_count {
        if org.authors_by_division[d].is_empty()
            && let Some(&first) = org.people_by_division[d].first()
        {
            org.authors_by_division[d].push(first);
        }
    }
    Ok(org)
}
