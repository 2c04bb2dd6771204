//! A group's insights for its coaches: knowledge gaps and experts per topic, with the same
//! numbers as the pages `/insights/gaps` and `/insights/experts` (one use case each).

use axum::Json;
use axum::extract::State;
use lore_app::insights::{
    ExpertCourse as AppExpertCourse, ExpertLine, Experts as AppExperts, Gaps as AppGaps,
    InsightGroup, parse_group, parse_topic,
};
use serde::{Deserialize, Serialize};

use super::ApiResult;
use super::extract::ApiQuery;
use super::needs::NeedSummary;
use crate::WebState;
use crate::error::ErrorBody;
use crate::session::ApiCaller;

/// Which group (and the groups below it); numbers are read as text so a wrong one is an
/// `invalid` error on its field.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct GapsParams {
    /// The group's id; left out: the first group the caller coaches.
    #[param(pattern = "^[0-9]{0,18}$")]
    pub group: Option<String>,
    /// A topic to drill into (any case): its courses come in `topic_courses`.
    pub topic: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ExpertsParams {
    /// The group's id; left out: the first group the caller coaches.
    #[param(pattern = "^[0-9]{0,18}$")]
    pub group: Option<String>,
    /// Only courses on this topic (any case); left out: every topic.
    pub topic: Option<String>,
}

/// A group named in an insight: its id and path.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct GroupRef {
    pub id: i64,
    /// Its path, e.g. `Acme/Engineering`.
    pub path: String,
}

impl From<InsightGroup> for GroupRef {
    fn from(g: InsightGroup) -> Self {
        GroupRef {
            id: g.id,
            path: g.path,
        }
    }
}

/// A topic's evaluation figures over the group's courses on it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Topic {
    pub topic: String,
    pub courses: u64,
    /// Submitted attempts.
    pub attempts: u64,
    /// Mean of 100 · score / max over the attempts.
    pub mean_score_percent: f64,
    /// Passes per 100 attempts.
    pub pass_rate_percent: f64,
}

/// One course behind a topic.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TopicCourse {
    pub course_id: i64,
    pub title: String,
    pub attempts: u64,
    /// `null` without attempts.
    #[schema(required = true)]
    pub mean_score_percent: Option<f64>,
    #[schema(required = true)]
    pub pass_rate_percent: Option<f64>,
}

/// A course flagged outdated or stale.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StaleCourse {
    pub course_id: i64,
    pub title: String,
    /// Stale by the rule of "needs attention" (else only flagged outdated).
    pub stale: bool,
    pub open_outdated: u64,
    pub days_since_check: u64,
    pub review_days: i32,
    /// Why, in words.
    pub why: String,
}

/// A group's content for its size.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct GroupContent {
    pub group_id: i64,
    pub group: String,
    /// Active people in the group and the groups below it, each once.
    pub people: u64,
    /// Live courses owned by or addressed to the group or a group below it.
    pub courses: u64,
    pub courses_per_100_people: f64,
}

/// Knowledge gaps of a group and the groups below it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Gaps {
    pub group: GroupRef,
    /// Open needs, most demand first (the first 10).
    pub needs: Vec<NeedSummary>,
    pub open_needs: u64,
    /// Topics with at least `min_attempts` attempts, lowest mean score first.
    pub topics: Vec<Topic>,
    pub min_attempts: u64,
    /// Topics left out for fewer attempts.
    pub topics_with_too_few_attempts: u64,
    /// The courses of the topic asked for (`topic`), most attempts first.
    pub topic_courses: Vec<TopicCourse>,
    pub stale_courses: Vec<StaleCourse>,
    /// Every group with people, fewest courses per 100 people first.
    pub content: Vec<GroupContent>,
}

impl From<AppGaps> for Gaps {
    fn from(g: AppGaps) -> Self {
        Gaps {
            group: g.group.into(),
            needs: g.needs.into_iter().map(Into::into).collect(),
            open_needs: g.open_needs,
            topics: g
                .topics
                .into_iter()
                .map(|t| Topic {
                    topic: t.topic,
                    courses: t.courses,
                    attempts: t.figures.attempts,
                    mean_score_percent: t.mean_percent,
                    pass_rate_percent: t.pass_rate_percent,
                })
                .collect(),
            min_attempts: g.min_attempts,
            topics_with_too_few_attempts: g.topics_too_few,
            topic_courses: g
                .topic
                .map(|(_, courses)| courses)
                .unwrap_or_default()
                .into_iter()
                .map(|c| TopicCourse {
                    course_id: c.course_id,
                    title: c.title,
                    attempts: c.figures.attempts,
                    mean_score_percent: c.mean_percent,
                    pass_rate_percent: c.pass_rate_percent,
                })
                .collect(),
            stale_courses: g
                .stale
                .into_iter()
                .map(|s| StaleCourse {
                    stale: s.stale(),
                    why: s.why(),
                    course_id: s.course_id,
                    title: s.title,
                    open_outdated: s.open_outdated,
                    days_since_check: s.days_since_check,
                    review_days: s.review_days,
                })
                .collect(),
            content: g
                .content
                .into_iter()
                .map(|c| GroupContent {
                    group_id: c.group_id,
                    group: c.path,
                    people: c.people,
                    courses: c.courses,
                    courses_per_100_people: c.per_hundred,
                })
                .collect(),
        }
    }
}

/// One course behind an expert's figures.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExpertCourse {
    pub course_id: i64,
    pub title: String,
    /// They own or co-author it.
    pub wrote: bool,
    pub answers_accepted: u64,
    pub edits_accepted: u64,
    pub needs_answered: u64,
    /// −100 to 100; `null` below the views a score needs.
    #[schema(required = true)]
    pub reaction_score: Option<i32>,
    pub completions: u64,
}

impl From<AppExpertCourse> for ExpertCourse {
    fn from(c: AppExpertCourse) -> Self {
        ExpertCourse {
            course_id: c.course_id,
            title: c.title,
            wrote: c.wrote,
            answers_accepted: c.answers_accepted,
            edits_accepted: c.edits_accepted,
            needs_answered: c.needs_answered,
            reaction_score: c.reaction_score,
            completions: c.completions,
        }
    }
}

/// One person who shares knowledge.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Expert {
    pub user_id: i64,
    pub name: String,
    pub courses_written: u64,
    pub answers_accepted: u64,
    pub edits_accepted: u64,
    pub needs_answered: u64,
    /// The four above added up; the list is ordered by it.
    pub shared: u64,
    /// Over the courses they wrote; `null` below the views a score needs.
    #[schema(required = true)]
    pub reaction_score: Option<i32>,
    /// Positive and negative reactions and viewers of the courses they wrote, summed.
    pub positive: u64,
    pub negative: u64,
    pub viewers: u64,
    /// Completions of the courses they wrote.
    pub completions: u64,
    /// The courses behind the figures.
    pub courses: Vec<ExpertCourse>,
}

impl From<ExpertLine> for Expert {
    fn from(e: ExpertLine) -> Self {
        Expert {
            user_id: e.user_id,
            name: e.name,
            courses_written: e.courses_written,
            answers_accepted: e.answers_accepted,
            edits_accepted: e.edits_accepted,
            needs_answered: e.needs_answered,
            shared: e.shared,
            reaction_score: e.reaction_score,
            positive: e.positive,
            negative: e.negative,
            viewers: e.viewers,
            completions: e.completions,
            courses: e.courses.into_iter().map(Into::into).collect(),
        }
    }
}

/// A topic of the group's courses.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TopicCount {
    pub topic: String,
    pub courses: u64,
}

/// The experts of a group and the groups below it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Experts {
    pub group: GroupRef,
    /// The topic asked for, `null` for all.
    #[schema(required = true)]
    pub topic: Option<String>,
    pub topics: Vec<TopicCount>,
    /// Everyone who shared, most first.
    pub experts: Vec<Expert>,
}

impl From<AppExperts> for Experts {
    fn from(e: AppExperts) -> Self {
        Experts {
            group: e.group.into(),
            topic: e.topic,
            topics: e
                .topics
                .into_iter()
                .map(|(topic, courses)| TopicCount { topic, courses })
                .collect(),
            experts: e.experts.into_iter().map(Into::into).collect(),
        }
    }
}

#[utoipa::path(
    get,
    path = "/insights/gaps",
    operation_id = "knowledge_gaps",
    tag = "insights",
    summary = "Knowledge gaps of a group and the groups below it",
    params(GapsParams),
    responses(
        (status = 200, description = "Needs by demand, weakest topics, stale courses, content per 100 people", body = Gaps),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller does not coach or administer the group", body = ErrorBody),
        (status = 404, description = "No such group", body = ErrorBody),
        (status = 422, description = "The group is not a number", body = ErrorBody),
    )
)]
pub async fn gaps(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(p): ApiQuery<GapsParams>,
) -> ApiResult<Json<Gaps>> {
    let q = lore_app::insights::GapsQuery {
        group: parse_group(p.group.as_deref())?,
        topic: parse_topic(p.topic.as_deref()),
    };
    Ok(Json(state.app.knowledge_gaps(&caller, &q).await?.into()))
}

#[utoipa::path(
    get,
    path = "/insights/experts",
    operation_id = "experts",
    tag = "insights",
    summary = "Who shares the most knowledge in a group and the groups below it, per topic",
    params(ExpertsParams),
    responses(
        (status = 200, description = "Experts, most shared first, with the courses behind the figures", body = Experts),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller does not coach or administer the group", body = ErrorBody),
        (status = 404, description = "No such group", body = ErrorBody),
        (status = 422, description = "The group is not a number", body = ErrorBody),
    )
)]
pub async fn experts(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(p): ApiQuery<ExpertsParams>,
) -> ApiResult<Json<Experts>> {
    let q = lore_app::insights::ExpertsQuery {
        group: parse_group(p.group.as_deref())?,
        topic: parse_topic(p.topic.as_deref()),
        person: None,
    };
    Ok(Json(state.app.experts(&caller, &q).await?.into()))
}
