//! What a caller may see, as sets of ids a store can put in a `WHERE` clause.
//!
//! The policy (`policy::can`) answers for one course or need at a time; lists (the catalogue,
//! search, the needs board, "needs attention") cannot load everything to ask it row by row.
//! [`Scope`] is the same policy turned around: the groups and the person a row must match.
//! The `matches_*` methods state each rule over lineages; the store writes the same rule in SQL
//! ("at or below a group" becomes a recursive walk down the tree), and the tests below check
//! the rules against `can` for every actor, action and resource shape of a small tree.

use crate::ids::{GroupId, UserId};
use crate::policy::Actor;
use crate::role::Role;

/// The sets that decide what one caller may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// A deactivated account sees nothing.
    pub active: bool,
    /// Platform administrators see everything.
    pub everything: bool,
    pub user: UserId,
    /// The caller's groups and every group above them: what is addressed to one of these
    /// reaches the caller.
    pub reached_by: Vec<GroupId>,
    /// Groups where the caller is a coach or an administrator; the role holds at and below them.
    pub coaches: Vec<GroupId>,
    /// Groups where the caller is an administrator; the role holds at and below them.
    pub administers: Vec<GroupId>,
}

/// The caller's scope, from the memberships the policy already knows.
pub fn scope(actor: &Actor) -> Scope {
    let with_role = |min: Role| {
        let mut groups: Vec<GroupId> = actor
            .memberships
            .iter()
            .filter(|(_, r)| *r >= min)
            .map(|(g, _)| *g)
            .collect();
        groups.sort();
        groups.dedup();
        groups
    };
    Scope {
        active: actor.active,
        everything: actor.active && actor.platform_admin,
        user: actor.user_id,
        reached_by: if actor.active {
            actor.within.clone()
        } else {
            Vec::new()
        },
        coaches: if actor.active {
            with_role(Role::Coach)
        } else {
            Vec::new()
        },
        administers: if actor.active {
            with_role(Role::Admin)
        } else {
            Vec::new()
        },
    }
}

/// A course as the visibility rules see it: lineages run from the root down to the group.
#[derive(Debug, Clone, Copy)]
pub struct CourseFacts<'a> {
    pub owner: UserId,
    pub coauthors: &'a [UserId],
    pub owning_lineage: &'a [GroupId],
    pub audience_lineages: &'a [Vec<GroupId>],
    pub published: bool,
}

impl Scope {
    fn reaches(&self, lineage: &[GroupId]) -> bool {
        lineage.last().is_some_and(|g| self.reached_by.contains(g))
    }

    fn below(groups: &[GroupId], lineage: &[GroupId]) -> bool {
        lineage.iter().any(|g| groups.contains(g))
    }

    /// Is this a published course the caller may take (enrol in)? The catalogue and search
    /// list exactly these (the policy lets platform administrators take drafts too; lists
    /// show published courses only):
    /// published, and owned by or addressed to a group that reaches them, or written by them
    /// (as owner, co-author, or administrator of the owning group or one above it).
    pub fn matches_takeable(&self, c: CourseFacts<'_>) -> bool {
        if !self.active || !c.published {
            return false;
        }
        self.everything
            || c.owner == self.user
            || c.coauthors.contains(&self.user)
            || self.reaches(c.owning_lineage)
            || c.audience_lineages.iter().any(|l| self.reaches(l))
            || Self::below(&self.administers, c.owning_lineage)
    }

    /// May the caller coach this course (assign it, see its feedback and data)? Published,
    /// and owned by or addressed to a group at or below one they coach.
    pub fn matches_coachable(&self, c: CourseFacts<'_>) -> bool {
        self.active
            && c.published
            && (self.everything
                || Self::below(&self.coaches, c.owning_lineage)
                || c.audience_lineages
                    .iter()
                    .any(|l| Self::below(&self.coaches, l)))
    }

    /// May the caller see this learning need? They asked it, or it is addressed to a group
    /// that reaches them, or to a group at or below one they coach.
    pub fn matches_need(&self, created_by: UserId, audience_lineages: &[Vec<GroupId>]) -> bool {
        self.active
            && (self.everything
                || created_by == self.user
                || audience_lineages
                    .iter()
                    .any(|l| self.reaches(l) || Self::below(&self.coaches, l)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{Action, Resource, can};

    // root(1) ─┬─ eng(2) ── platform(4)
    //          └─ sales(3)
    fn lineage(g: i64) -> Vec<GroupId> {
        match g {
            1 => vec![GroupId(1)],
            2 => vec![GroupId(1), GroupId(2)],
            3 => vec![GroupId(1), GroupId(3)],
            _ => vec![GroupId(1), GroupId(2), GroupId(4)],
        }
    }

    fn actors() -> Vec<Actor> {
        let roles = [Role::Learner, Role::Author, Role::Coach, Role::Admin];
        let mut out = Vec::new();
        let mut make = |memberships: Vec<(GroupId, Role)>, admin: bool, active: bool| {
            let mut within: Vec<GroupId> =
                memberships.iter().flat_map(|(g, _)| lineage(g.0)).collect();
            within.sort();
            within.dedup();
            out.push(Actor {
                user_id: UserId(7),
                active,
                platform_admin: admin,
                memberships,
                within,
            });
        };
        make(vec![], false, true);
        make(vec![], true, true);
        make(vec![(GroupId(2), Role::Admin)], false, false);
        for g in 1..=4 {
            for r in roles {
                make(vec![(GroupId(g), r)], false, true);
                make(
                    vec![(GroupId(g), r), (GroupId(5 - g), Role::Learner)],
                    false,
                    true,
                );
            }
        }
        out
    }

    #[test]
    fn course_rules_agree_with_the_policy_for_every_shape() {
        let people = [UserId(7), UserId(8)];
        let audience_sets: Vec<Vec<i64>> = vec![vec![], vec![1], vec![3], vec![4], vec![2, 3]];
        let mut checked = 0;
        for actor in actors() {
            let s = scope(&actor);
            for owner in people {
                for coauthors in [vec![], vec![UserId(7)]] {
                    for group in 1..=4 {
                        for audiences in &audience_sets {
                            for published in [false, true] {
                                let owning = lineage(group);
                                let aud: Vec<Vec<GroupId>> =
                                    audiences.iter().map(|g| lineage(*g)).collect();
                                // Named reviewers of open answers are not in lists
                                // (decision 0046): the scope leaves them out.
                                let resource = Resource::Course {
                                    owner,
                                    coauthors: &coauthors,
                                    reviewers: &[],
                                    owning_lineage: &owning,
                                    audience_lineages: &aud,
                                    published,
                                };
                                let facts = CourseFacts {
                                    owner,
                                    coauthors: &coauthors,
                                    owning_lineage: &owning,
                                    audience_lineages: &aud,
                                    published,
                                };
                                assert_eq!(
                                    s.matches_takeable(facts),
                                    published && can(&actor, Action::TakeCourse, resource),
                                    "take: {actor:?} {facts:?}"
                                );
                                assert_eq!(
                                    s.matches_coachable(facts),
                                    published && can(&actor, Action::CoachCourse, resource),
                                    "coach: {actor:?} {facts:?}"
                                );
                                checked += 1;
                            }
                        }
                    }
                }
            }
        }
        assert!(checked > 1000);
    }

    #[test]
    fn need_rule_agrees_with_the_policy_for_every_shape() {
        let audience_sets: Vec<Vec<i64>> = vec![vec![], vec![1], vec![3], vec![4], vec![2, 3]];
        for actor in actors() {
            let s = scope(&actor);
            for created_by in [UserId(7), UserId(8)] {
                for audiences in &audience_sets {
                    let aud: Vec<Vec<GroupId>> = audiences.iter().map(|g| lineage(*g)).collect();
                    let resource = Resource::Need {
                        created_by,
                        audience_lineages: &aud,
                    };
                    assert_eq!(
                        s.matches_need(created_by, &aud),
                        can(&actor, Action::ViewNeed, resource),
                        "{actor:?} {created_by:?} {audiences:?}"
                    );
                }
            }
        }
    }
}
