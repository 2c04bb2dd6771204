//! Who writes a course and who may see it: the editor's people section as data, for the
//! API (docs/decisions/0051). The changes themselves are `add_coauthor`, `remove_coauthor`
//! and `set_audiences` in `authoring`, which the editor's form calls too.

use lore_domain::ids::GroupId;
use lore_domain::policy::Action;

use crate::{App, AppResult, Caller};

/// A person who writes the course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoursePerson {
    pub id: i64,
    pub name: String,
    pub email: String,
}

/// A group the course is offered to besides its owning group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudienceGroup {
    pub id: i64,
    /// The group's path, `Acme/Sales`.
    pub path: String,
}

/// The owner, the co-authors and the audience of a course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoursePeople {
    pub owner: CoursePerson,
    pub coauthors: Vec<CoursePerson>,
    pub owning_group: AudienceGroup,
    pub audiences: Vec<AudienceGroup>,
}

impl App {
    /// The editor's people section, for someone who may edit the course. Changes nothing.
    pub async fn course_people(&self, caller: &Caller, course_id: i64) -> AppResult<CoursePeople> {
        let ctx = self
            .course_for(caller, course_id, Action::EditCourse)
            .await?;
        let person = |u: lore_store::UserRow| CoursePerson {
            id: u.id,
            name: u.name,
            email: u.email,
        };
        let owner = self
            .store
            .user(ctx.course.owner_id)
            .await?
            .map(person)
            .ok_or(crate::AppError::NotFound("That course's owner"))?;
        let mut coauthors = Vec::new();
        for id in &ctx.coauthors {
            if let Some(u) = self.store.user(id.0).await? {
                coauthors.push(person(u));
            }
        }
        coauthors.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        let tree = self.group_tree().await?;
        let group = |id: i64| AudienceGroup {
            id,
            path: tree.path(GroupId(id)),
        };
        let mut audiences: Vec<AudienceGroup> = ctx.audiences.iter().map(|g| group(*g)).collect();
        audiences.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(CoursePeople {
            owner,
            coauthors,
            owning_group: group(ctx.course.group_id),
            audiences,
        })
    }
}
