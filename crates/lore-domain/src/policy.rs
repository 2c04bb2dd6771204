//! The permission policy: one pure function, `can(actor, action, resource)`.
//! Every use case asks it before doing anything; the table test below is its specification.

use crate::ids::{GroupId, UserId};
use crate::role::Role;

/// Who is acting, with everything the policy needs to know about them.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: UserId,
    pub active: bool,
    pub platform_admin: bool,
    /// The memberships the person holds: a role in a group (and so in all groups below it).
    pub memberships: Vec<(GroupId, Role)>,
    /// Every group the person is in: their membership groups and all groups above those.
    /// A course for Engineering reaches people of its Platform team too.
    pub within: Vec<GroupId>,
}

impl Actor {
    /// The strongest role this actor holds in a group, given the group's lineage
    /// (its ancestors from the root down to the group itself).
    pub fn role_in(&self, lineage: &[GroupId]) -> Option<Role> {
        self.memberships
            .iter()
            .filter(|(g, _)| lineage.contains(g))
            .map(|(_, r)| *r)
            .max()
    }
}

/// What the actor wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// See a group's name and place in the tree.
    ViewGroup,
    /// See who is in a group.
    ViewMembers,
    /// Rename a group, add a subgroup below it, delete it.
    ManageGroup,
    /// Add, change or remove memberships of a group; invite people into it.
    ManageMembers,
    /// Create a top-level group.
    CreateRootGroup,
    /// List every account on the platform.
    ListPeople,
    /// Import people in bulk.
    ImportPeople,
    /// See the instance's settings and figures, and the audit log of administrative actions.
    ViewInstance,
    /// Look a person up by email address, to add them to a group one manages.
    FindPerson,
    /// See a person's profile and memberships.
    ViewPerson,
    /// Deactivate, reactivate, or reset the password of a person.
    ManagePerson,
    /// Change one's own password, sessions and tokens.
    ManageOwnAccount,
    /// Start a course owned by a group.
    CreateCourse,
    /// See a course: in the catalogue when published, or its drafts as an author.
    ViewCourse,
    /// Enrol in a published course.
    TakeCourse,
    /// Edit drafts, publish, archive, manage co-authors.
    EditCourse,
    /// Hand the course over to another owner.
    TransferCourse,
    /// Assign a course to people with a due date, see its progress data.
    CoachCourse,
    /// Review a course's draft before it goes live (coaches of its owning group; experts the
    /// author or a coach names are let in by the use case), and check it is still current.
    ReviewCourse,
    /// Review learners' open answers (essays) with the rubric: the course's coaches (of its
    /// owning or an audience group), its editors (decision 0043) and the experts its author
    /// names as reviewers (decision 0046).
    ReviewAnswers,
    /// See a learning need, vote for it, follow it, volunteer to answer it.
    ViewNeed,
    /// Move a need through its life, merge duplicates, assign experts, link courses.
    ManageNeed,
    /// See a learning path: a published one in its group's audience, any as its coach.
    ViewPath,
    /// Create and edit a path owned by a group, publish it, assign it, see its progress.
    CoachPath,
    /// Assign courses and paths to a group (and so to everyone in it and below it).
    AssignToGroup,
    /// See a group's learning data: dashboards, knowledge gaps, experts, outcome reports
    /// (coaches and administrators of the group or a group above it).
    ViewInsights,
    /// Define business outcome metrics for a group, import their values, link courses and
    /// paths to them (coaches and administrators of the group or above).
    ManageOutcomes,
    /// Subscribe addresses to Lore's events (webhooks), rotate their secrets, read their
    /// delivery logs (platform administrators only; a group's chat hooks are `ManageGroup`).
    ManageWebhooks,
    /// Forward every statement of the learning record store to another one, and replay the
    /// batches it refused (platform administrators only).
    ForwardStatements,
    /// Keep a group's question banks: start them, add and remove questions, read them with
    /// their answer keys. Whoever may write courses in the group, and at least its authors:
    /// in a group where every learner may write, learners still do not read the banks their
    /// exams draw from (decision 0044).
    KeepQuestionBanks,
}

/// What the action is about.
#[derive(Debug, Clone, Copy)]
pub enum Resource<'a> {
    /// The platform as a whole.
    Platform,
    /// A group, given by its lineage from the root down to itself.
    Group { lineage: &'a [GroupId] },
    /// A group where someone wants to write a course: who may author there is a group setting.
    AuthoringIn {
        lineage: &'a [GroupId],
        min_role: Role,
    },
    /// A course: its owner and co-authors, the experts named to review its open answers, its
    /// owning group and its audience groups.
    Course {
        owner: UserId,
        coauthors: &'a [UserId],
        reviewers: &'a [UserId],
        owning_lineage: &'a [GroupId],
        audience_lineages: &'a [Vec<GroupId>],
        published: bool,
    },
    /// A learning need: who asked, and the groups that need it.
    Need {
        created_by: UserId,
        audience_lineages: &'a [Vec<GroupId>],
    },
    /// A learning path, owned by a group; its audience is everyone in that group and below.
    Path {
        owning_lineage: &'a [GroupId],
        published: bool,
    },
    /// A person, with the lineages of every group they belong to.
    Person {
        id: UserId,
        platform_admin: bool,
        group_lineages: &'a [Vec<GroupId>],
    },
}

/// May `actor` do `action` on `resource`?
pub fn can(actor: &Actor, action: Action, resource: Resource<'_>) -> bool {
    if !actor.active {
        return false;
    }
    if let (Action::ManagePerson, Resource::Person { id, .. }) = (action, resource) {
        // Nobody deactivates or resets themselves by accident, administrators included.
        if id == actor.user_id {
            return false;
        }
    }
    if actor.platform_admin {
        return true;
    }
    match (action, resource) {
        (Action::ViewGroup, Resource::Group { lineage }) => actor.role_in(lineage).is_some(),
        (Action::ViewMembers, Resource::Group { lineage }) => {
            actor.role_in(lineage) >= Some(Role::Coach)
        }
        (Action::ManageGroup | Action::ManageMembers, Resource::Group { lineage }) => {
            actor.role_in(lineage) == Some(Role::Admin)
        }
        (
            Action::ViewPerson,
            Resource::Person {
                id, group_lineages, ..
            },
        ) => {
            id == actor.user_id
                || group_lineages
                    .iter()
                    .any(|l| actor.role_in(l) >= Some(Role::Coach))
        }
        (
            Action::ManagePerson,
            Resource::Person {
                id,
                platform_admin,
                group_lineages,
            },
        ) => {
            // Only platform administrators manage other administrators.
            let _ = id;
            !platform_admin
                && group_lineages
                    .iter()
                    .any(|l| actor.role_in(l) == Some(Role::Admin))
        }
        (Action::ManageOwnAccount, Resource::Person { id, .. }) => id == actor.user_id,
        (Action::CreateCourse, Resource::AuthoringIn { lineage, min_role }) => {
            actor.role_in(lineage) >= Some(min_role)
        }
        (Action::KeepQuestionBanks, Resource::AuthoringIn { lineage, min_role }) => {
            actor.role_in(lineage) >= Some(min_role.max(Role::Author))
        }
        (
            action @ (Action::ViewCourse
            | Action::TakeCourse
            | Action::EditCourse
            | Action::TransferCourse
            | Action::CoachCourse
            | Action::ReviewCourse
            | Action::ReviewAnswers),
            Resource::Course {
                owner,
                coauthors,
                reviewers,
                owning_lineage,
                audience_lineages,
                published,
            },
        ) => {
            let owning_role = actor.role_in(owning_lineage);
            let is_owner = owner == actor.user_id;
            let is_editor =
                is_owner || coauthors.contains(&actor.user_id) || owning_role == Some(Role::Admin);
            let reaches =
                |lineage: &[GroupId]| lineage.last().is_some_and(|g| actor.within.contains(g));
            let in_audience =
                reaches(owning_lineage) || audience_lineages.iter().any(|l| reaches(l));
            let coach = owning_role >= Some(Role::Coach)
                || audience_lineages
                    .iter()
                    .any(|l| actor.role_in(l) >= Some(Role::Coach));
            // An expert named to review the open answers reads the course they judge answers
            // to, even from outside its audience (decision 0046); nothing else.
            let named_reviewer = reviewers.contains(&actor.user_id);
            match action {
                Action::EditCourse => is_editor,
                Action::TransferCourse => is_owner || owning_role == Some(Role::Admin),
                Action::ViewCourse => {
                    is_editor || coach || named_reviewer || (published && in_audience)
                }
                Action::TakeCourse => published && (in_audience || is_editor),
                Action::ReviewCourse => owning_role >= Some(Role::Coach),
                Action::ReviewAnswers => is_editor || coach || named_reviewer,
                _ => coach && published,
            }
        }
        (
            action @ (Action::ViewNeed | Action::ManageNeed),
            Resource::Need {
                created_by,
                audience_lineages,
            },
        ) => {
            let coach = audience_lineages
                .iter()
                .any(|l| actor.role_in(l) >= Some(Role::Coach));
            let in_audience = audience_lineages
                .iter()
                .any(|l| l.last().is_some_and(|g| actor.within.contains(g)));
            match action {
                Action::ManageNeed => coach,
                _ => coach || in_audience || created_by == actor.user_id,
            }
        }
        (
            action @ (Action::ViewPath | Action::CoachPath),
            Resource::Path {
                owning_lineage,
                published,
            },
        ) => {
            let coach = actor.role_in(owning_lineage) >= Some(Role::Coach);
            let in_audience = owning_lineage
                .last()
                .is_some_and(|g| actor.within.contains(g));
            match action {
                Action::CoachPath => coach,
                _ => coach || (published && in_audience),
            }
        }
        (
            Action::AssignToGroup | Action::ViewInsights | Action::ManageOutcomes,
            Resource::Group { lineage },
        ) => actor.role_in(lineage) >= Some(Role::Coach),
        (Action::FindPerson, Resource::Platform) => {
            actor.memberships.iter().any(|(_, r)| *r == Role::Admin)
        }
        // Platform-wide actions belong to platform administrators alone.
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The tree used by the table:  root(1) ─┬─ eng(2) ── platform(4)
    //                                      └─ sales(3)
    const ROOT: &[GroupId] = &[GroupId(1)];
    const ENG: &[GroupId] = &[GroupId(1), GroupId(2)];
    const PLATFORM: &[GroupId] = &[GroupId(1), GroupId(2), GroupId(4)];
    const SALES: &[GroupId] = &[GroupId(1), GroupId(3)];

    fn lineage_of(group: i64) -> &'static [GroupId] {
        match group {
            1 => ROOT,
            2 => ENG,
            3 => SALES,
            _ => PLATFORM,
        }
    }

    fn actor(id: i64, memberships: &[(i64, Role)]) -> Actor {
        let mut within: Vec<GroupId> = memberships
            .iter()
            .flat_map(|(g, _)| lineage_of(*g).to_vec())
            .collect();
        within.sort();
        within.dedup();
        Actor {
            user_id: UserId(id),
            active: true,
            platform_admin: false,
            memberships: memberships.iter().map(|(g, r)| (GroupId(*g), *r)).collect(),
            within,
        }
    }

    #[test]
    fn group_actions_follow_roles_down_the_tree() {
        use Action::*;
        let cases: &[(Role, Action, &[GroupId], bool)] = &[
            // A learner in eng sees eng and groups below it, not siblings or members.
            (Role::Learner, ViewGroup, ENG, true),
            (Role::Learner, ViewGroup, PLATFORM, true),
            (Role::Learner, ViewGroup, SALES, false),
            (Role::Learner, ViewGroup, ROOT, false),
            (Role::Learner, ViewMembers, ENG, false),
            (Role::Learner, ManageGroup, ENG, false),
            (Role::Learner, ManageMembers, ENG, false),
            (Role::Author, ViewMembers, ENG, false),
            (Role::Author, ManageMembers, ENG, false),
            // A coach sees members below, manages nothing.
            (Role::Coach, ViewMembers, ENG, true),
            (Role::Coach, ViewMembers, PLATFORM, true),
            (Role::Coach, ViewMembers, SALES, false),
            (Role::Coach, ManageGroup, ENG, false),
            (Role::Coach, ManageMembers, PLATFORM, false),
            // An admin manages the group and everything under it, not above or beside it.
            (Role::Admin, ManageGroup, ENG, true),
            (Role::Admin, ManageGroup, PLATFORM, true),
            (Role::Admin, ManageMembers, PLATFORM, true),
            (Role::Admin, ManageGroup, ROOT, false),
            (Role::Admin, ManageMembers, SALES, false),
        ];
        for (role, action, lineage, expected) in cases {
            let a = actor(10, &[(2, *role)]);
            assert_eq!(
                can(&a, *action, Resource::Group { lineage }),
                *expected,
                "{role:?} in eng, {action:?} on {lineage:?}"
            );
        }
    }

    #[test]
    fn platform_actions_are_for_platform_admins_only() {
        let group_admin = actor(10, &[(1, Role::Admin)]);
        let mut platform_admin = actor(11, &[]);
        platform_admin.platform_admin = true;
        for action in [
            Action::CreateRootGroup,
            Action::ListPeople,
            Action::ImportPeople,
            Action::ViewInstance,
            Action::ManageWebhooks,
            Action::ForwardStatements,
        ] {
            assert!(!can(&group_admin, action, Resource::Platform), "{action:?}");
            assert!(
                can(&platform_admin, action, Resource::Platform),
                "{action:?}"
            );
        }
        // Finding people by address is for those who can add them somewhere.
        assert!(can(&group_admin, Action::FindPerson, Resource::Platform));
        assert!(!can(
            &actor(12, &[(1, Role::Coach)]),
            Action::FindPerson,
            Resource::Platform
        ));
    }

    #[test]
    fn people_are_seen_by_themselves_and_coaches_and_managed_by_group_admins() {
        let lineages = vec![PLATFORM.to_vec()];
        let person = |platform_admin| Resource::Person {
            id: UserId(20),
            platform_admin,
            group_lineages: &lineages,
        };
        let me = actor(20, &[(4, Role::Learner)]);
        let peer = actor(21, &[(4, Role::Learner)]);
        let coach = actor(22, &[(2, Role::Coach)]);
        let sales_admin = actor(23, &[(3, Role::Admin)]);
        let eng_admin = actor(24, &[(2, Role::Admin)]);
        let cases: &[(&Actor, Action, bool, bool)] = &[
            (&me, Action::ViewPerson, false, true),
            (&me, Action::ManageOwnAccount, false, true),
            (&me, Action::ManagePerson, false, false),
            (&peer, Action::ViewPerson, false, false),
            (&peer, Action::ManageOwnAccount, false, false),
            (&coach, Action::ViewPerson, false, true),
            (&coach, Action::ManagePerson, false, false),
            (&sales_admin, Action::ViewPerson, false, false),
            (&sales_admin, Action::ManagePerson, false, false),
            (&eng_admin, Action::ManagePerson, false, true),
            // A group admin cannot deactivate a platform administrator.
            (&eng_admin, Action::ManagePerson, true, false),
        ];
        for (who, action, target_is_admin, expected) in cases {
            assert_eq!(
                can(who, *action, person(*target_is_admin)),
                *expected,
                "user {} {action:?} (target admin: {target_is_admin})",
                who.user_id
            );
        }
    }

    #[test]
    fn nobody_manages_themselves_into_a_lock_out_and_inactive_actors_can_do_nothing() {
        let lineages = vec![ENG.to_vec()];
        let me = actor(30, &[(2, Role::Admin)]);
        let self_resource = Resource::Person {
            id: UserId(30),
            platform_admin: false,
            group_lineages: &lineages,
        };
        assert!(!can(&me, Action::ManagePerson, self_resource));
        let mut gone = actor(31, &[(1, Role::Admin)]);
        gone.active = false;
        gone.platform_admin = true;
        assert!(!can(
            &gone,
            Action::ViewGroup,
            Resource::Group { lineage: ENG }
        ));
        assert!(!can(&gone, Action::ListPeople, Resource::Platform));
    }

    #[test]
    fn course_rights_follow_ownership_audience_and_roles() {
        use Action::*;
        let coauthors = [UserId(2)];
        let reviewers = [UserId(9)];
        let audience = vec![SALES.to_vec()];
        let course = |published| Resource::Course {
            owner: UserId(1),
            coauthors: &coauthors,
            reviewers: &reviewers,
            owning_lineage: ENG,
            audience_lineages: &audience,
            published,
        };
        let owner = actor(1, &[(2, Role::Learner)]);
        let coauthor = actor(2, &[]);
        let eng_learner = actor(3, &[(4, Role::Learner)]);
        let sales_learner = actor(4, &[(3, Role::Learner)]);
        let stranger = actor(5, &[]);
        let eng_admin = actor(6, &[(2, Role::Admin)]);
        let sales_coach = actor(7, &[(3, Role::Coach)]);
        let eng_coach = actor(8, &[(2, Role::Coach)]);
        // An expert from outside the course's groups whom the author named as a reviewer.
        let expert = actor(9, &[]);
        let cases: &[(&Actor, Action, bool, bool)] = &[
            (&owner, EditCourse, false, true),
            (&owner, TransferCourse, true, true),
            (&coauthor, EditCourse, true, true),
            (&coauthor, TransferCourse, true, false),
            (&coauthor, ViewCourse, false, true),
            // Drafts are for their authors; published courses for the owning group and audience.
            (&eng_learner, ViewCourse, false, false),
            (&eng_learner, ViewCourse, true, true),
            (&eng_learner, TakeCourse, true, true),
            (&eng_learner, EditCourse, true, false),
            (&sales_learner, TakeCourse, true, true),
            (&sales_learner, TakeCourse, false, false),
            (&stranger, ViewCourse, true, false),
            (&stranger, TakeCourse, true, false),
            (&eng_admin, EditCourse, true, true),
            (&eng_admin, TransferCourse, true, true),
            (&sales_coach, CoachCourse, true, true),
            (&sales_coach, CoachCourse, false, false),
            (&sales_coach, EditCourse, true, false),
            (&eng_learner, CoachCourse, true, false),
            // Drafts are reviewed by coaches of the owning group, not of the audience.
            (&eng_coach, ReviewCourse, false, true),
            (&eng_admin, ReviewCourse, false, true),
            (&sales_coach, ReviewCourse, false, false),
            (&eng_learner, ReviewCourse, false, false),
            (&coauthor, ReviewCourse, false, false),
            // Open answers are reviewed by the course's coaches (owning or audience group)
            // and its editors; never by a learner.
            (&eng_coach, ReviewAnswers, true, true),
            (&sales_coach, ReviewAnswers, true, true),
            (&owner, ReviewAnswers, true, true),
            (&coauthor, ReviewAnswers, true, true),
            (&eng_learner, ReviewAnswers, true, false),
            (&sales_learner, ReviewAnswers, true, false),
            (&stranger, ReviewAnswers, true, false),
            // A named expert reviews answers and reads the course, and nothing more.
            (&expert, ReviewAnswers, true, true),
            (&expert, ReviewAnswers, false, true),
            (&expert, ViewCourse, true, true),
            (&expert, TakeCourse, true, false),
            (&expert, EditCourse, true, false),
            (&expert, CoachCourse, true, false),
            (&expert, ReviewCourse, false, false),
        ];
        for (who, action, published, expected) in cases {
            assert_eq!(
                can(who, *action, course(*published)),
                *expected,
                "user {} {action:?} (published {published})",
                who.user_id
            );
        }
    }

    #[test]
    fn paths_are_run_by_their_group_coaches_and_seen_by_its_audience_once_published() {
        use Action::*;
        let path = |published| Resource::Path {
            owning_lineage: ENG,
            published,
        };
        let platform_learner = actor(1, &[(4, Role::Learner)]);
        let eng_coach = actor(2, &[(2, Role::Coach)]);
        let sales_coach = actor(3, &[(3, Role::Coach)]);
        let eng_author = actor(4, &[(2, Role::Author)]);
        let cases: &[(&Actor, Action, bool, bool)] = &[
            (&platform_learner, ViewPath, true, true),
            (&platform_learner, ViewPath, false, false),
            (&platform_learner, CoachPath, true, false),
            (&eng_coach, ViewPath, false, true),
            (&eng_coach, CoachPath, false, true),
            (&eng_author, CoachPath, true, false),
            (&sales_coach, ViewPath, true, false),
            (&sales_coach, CoachPath, true, false),
        ];
        for (who, action, published, expected) in cases {
            assert_eq!(
                can(who, *action, path(*published)),
                *expected,
                "user {} {action:?} (published {published})",
                who.user_id
            );
        }
    }

    #[test]
    fn only_coaches_of_a_group_assign_to_it() {
        let eng_coach = actor(1, &[(2, Role::Coach)]);
        let eng_author = actor(2, &[(2, Role::Author)]);
        let group = |lineage| Resource::Group { lineage };
        assert!(can(&eng_coach, Action::AssignToGroup, group(ENG)));
        assert!(can(&eng_coach, Action::AssignToGroup, group(PLATFORM)));
        assert!(!can(&eng_coach, Action::AssignToGroup, group(SALES)));
        assert!(!can(&eng_coach, Action::AssignToGroup, group(ROOT)));
        assert!(!can(&eng_author, Action::AssignToGroup, group(ENG)));
        for action in [Action::ViewInsights, Action::ManageOutcomes] {
            assert!(can(&eng_coach, action, group(PLATFORM)), "{action:?}");
            assert!(!can(&eng_coach, action, group(SALES)), "{action:?}");
            assert!(!can(&eng_coach, action, group(ROOT)), "{action:?}");
            assert!(!can(&eng_author, action, group(ENG)), "{action:?}");
        }
    }

    #[test]
    fn authoring_follows_the_group_setting() {
        let learner = actor(1, &[(2, Role::Learner)]);
        let author = actor(2, &[(2, Role::Author)]);
        let open = Resource::AuthoringIn {
            lineage: PLATFORM,
            min_role: Role::Learner,
        };
        let restricted = Resource::AuthoringIn {
            lineage: PLATFORM,
            min_role: Role::Author,
        };
        assert!(can(&learner, Action::CreateCourse, open));
        assert!(!can(&learner, Action::CreateCourse, restricted));
        assert!(can(&author, Action::CreateCourse, restricted));
        assert!(!can(
            &actor(3, &[(3, Role::Admin)]),
            Action::CreateCourse,
            open
        ));
    }

    #[test]
    fn question_banks_are_kept_by_authors_of_the_group() {
        let open = Resource::AuthoringIn {
            lineage: PLATFORM,
            min_role: Role::Learner,
        };
        let restricted = Resource::AuthoringIn {
            lineage: PLATFORM,
            min_role: Role::Coach,
        };
        let learner = actor(1, &[(2, Role::Learner)]);
        let author = actor(2, &[(2, Role::Author)]);
        let coach = actor(3, &[(2, Role::Coach)]);
        let elsewhere = actor(4, &[(3, Role::Admin)]);
        assert!(can(&learner, Action::CreateCourse, open));
        assert!(!can(&learner, Action::KeepQuestionBanks, open));
        assert!(can(&author, Action::KeepQuestionBanks, open));
        assert!(!can(&author, Action::KeepQuestionBanks, restricted));
        assert!(can(&coach, Action::KeepQuestionBanks, restricted));
        assert!(!can(&elsewhere, Action::KeepQuestionBanks, open));
    }

    #[test]
    fn strongest_role_along_the_lineage_wins() {
        let a = actor(1, &[(1, Role::Learner), (2, Role::Coach), (3, Role::Admin)]);
        assert_eq!(a.role_in(PLATFORM), Some(Role::Coach));
        assert_eq!(a.role_in(SALES), Some(Role::Admin));
        assert_eq!(a.role_in(ROOT), Some(Role::Learner));
    }

    #[test]
    fn needs_are_seen_by_their_audience_and_run_by_its_coaches() {
        let audience = vec![ENG.to_vec()];
        let need = Resource::Need {
            created_by: UserId(9),
            audience_lineages: &audience,
        };
        let platform_learner = actor(1, &[(4, Role::Learner)]);
        let eng_coach = actor(2, &[(2, Role::Coach)]);
        let sales_learner = actor(3, &[(3, Role::Learner)]);
        let root_coach = actor(4, &[(1, Role::Coach)]);
        let asker = actor(9, &[(3, Role::Learner)]);
        // Platform sits inside Engineering, so its people are in the audience.
        assert!(can(&platform_learner, Action::ViewNeed, need));
        assert!(!can(&platform_learner, Action::ManageNeed, need));
        assert!(can(&eng_coach, Action::ManageNeed, need));
        assert!(can(&root_coach, Action::ManageNeed, need));
        assert!(!can(&sales_learner, Action::ViewNeed, need));
        // Whoever asked always sees their own need, without running it.
        assert!(can(&asker, Action::ViewNeed, need));
        assert!(!can(&asker, Action::ManageNeed, need));
    }
}
