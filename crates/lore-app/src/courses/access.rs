//! Loading a course with everything the policy needs to decide who may do what with it.

use lore_domain::course::CourseStatus;
use lore_domain::group::GroupTree;
use lore_domain::ids::{GroupId, UserId};
use lore_domain::policy::{Action, Resource};
use lore_store::{CourseRow, VersionRow};

use crate::{App, AppError, AppResult, Caller};

/// A course with its co-authors and audience, ready for policy checks.
#[derive(Debug, Clone)]
pub struct CourseContext {
    pub course: CourseRow,
    pub coauthors: Vec<UserId>,
    /// Experts named to review the course's open answers (decision 0046).
    pub reviewers: Vec<UserId>,
    pub audiences: Vec<i64>,
    pub owning_lineage: Vec<GroupId>,
    pub audience_lineages: Vec<Vec<GroupId>>,
}

impl CourseContext {
    pub fn resource(&self) -> Resource<'_> {
        Resource::Course {
            owner: UserId(self.course.owner_id),
            coauthors: &self.coauthors,
            reviewers: &self.reviewers,
            owning_lineage: &self.owning_lineage,
            audience_lineages: &self.audience_lineages,
            published: self.course.latest_version.is_some()
                && self.course.status == CourseStatus::Active,
        }
    }

    pub fn can(&self, caller: &Caller, action: Action) -> bool {
        caller.can(action, self.resource())
    }

    pub fn archived(&self) -> bool {
        self.course.status == CourseStatus::Archived
    }
}

impl App {
    pub(crate) fn context_from(
        tree: &GroupTree,
        course: CourseRow,
        coauthors: Vec<i64>,
        reviewers: Vec<i64>,
        audiences: Vec<i64>,
    ) -> CourseContext {
        CourseContext {
            owning_lineage: tree.lineage(GroupId(course.group_id)),
            audience_lineages: audiences
                .iter()
                .map(|g| tree.lineage(GroupId(*g)))
                .collect(),
            coauthors: coauthors.into_iter().map(UserId).collect(),
            reviewers: reviewers.into_iter().map(UserId).collect(),
            audiences,
            course,
        }
    }

    /// Load a course with what the policy needs, asking nothing of anyone (callers decide).
    pub(crate) async fn course_context(&self, course_id: i64) -> AppResult<CourseContext> {
        let course = self
            .store
            .course(course_id)
            .await?
            .ok_or(AppError::NotFound("That course"))?;
        let tree = self.group_tree().await?;
        Ok(Self::context_from(
            &tree,
            course,
            self.store.coauthors_of(course_id).await?,
            self.store.answer_reviewers(course_id).await?,
            self.store.audiences_of(course_id).await?,
        ))
    }

    /// Load a course the caller may `action`; a course they may not even see is "not found".
    pub async fn course_for(
        &self,
        caller: &Caller,
        course_id: i64,
        action: Action,
    ) -> AppResult<CourseContext> {
        let ctx = self.course_context(course_id).await?;
        let archived_but_editor = ctx.archived() && ctx.can(caller, Action::EditCourse);
        if !ctx.can(caller, Action::ViewCourse) && !archived_but_editor {
            return Err(AppError::NotFound("That course"));
        }
        if action != Action::ViewCourse {
            caller.require(action, ctx.resource())?;
        }
        Ok(ctx)
    }

    /// The newest published version of a course, if any.
    pub async fn latest_version(&self, ctx: &CourseContext) -> AppResult<Option<VersionRow>> {
        match ctx.course.latest_version {
            Some(n) => Ok(self.store.version(ctx.course.id, n).await?),
            None => Ok(None),
        }
    }
}
