//! The learning funnel of a course for its authors and coaches, filtered by group, date range
//! and how people came (assigned or on their own), and two versions side by side. The figures
//! come from the funnel's rollup (`funnel_marks`, kept with every event); the maths is
//! `lore_domain::funnel` (docs/decisions/0025).

use lore_domain::date_range::DateRange;
pub use lore_domain::funnel::Via;
use lore_domain::funnel::{self, Funnel, StageComparison, StepRef};
use lore_domain::ids::GroupId;
use lore_domain::policy::{Action, Resource};
use lore_store::{FunnelFilter, NewEvent};

use crate::courses::CourseContext;
use crate::{App, AppError, AppResult, Caller};

/// What a funnel counts, as a page or the API asked for it.
#[derive(Debug, Clone, Default)]
pub struct FunnelQuery {
    /// One version; `None` for every version (steps as in the newest).
    pub version: Option<i32>,
    /// `YYYY-MM-DD`, both days included, in the caller's time zone; none for all time.
    pub from: Option<String>,
    pub to: Option<String>,
    pub group_id: Option<i64>,
    pub via: Via,
}

/// `anyone`, `assigned` or `self`, as typed in a filter.
pub fn parse_via(s: &str) -> AppResult<Via> {
    Via::parse(s).ok_or_else(|| {
        AppError::invalid(
            "via",
            "Choose anyone, assigned or self (enrolled on their own).",
        )
    })
}

/// A course's funnel as asked for.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FunnelReport {
    pub course_id: i64,
    pub title: String,
    /// The version counted; `None` for all.
    pub version: Option<i32>,
    /// Every published version, newest first (for the pickers).
    pub versions: Vec<i32>,
    pub range: Option<DateRange>,
    /// The group filtered by, with its name.
    pub group: Option<(i64, String)>,
    pub via: Via,
    pub funnel: Funnel,
}

/// Two versions of a course side by side.
#[derive(Debug, Clone, serde::Serialize)]
pub struct VersionComparison {
    pub a: FunnelReport,
    pub b: FunnelReport,
    pub stages: Vec<StageComparison>,
}

impl App {
    /// The funnel of a course (authors, co-authors, coaches).
    pub async fn course_funnel(
        &self,
        caller: &Caller,
        course_id: i64,
        q: &FunnelQuery,
    ) -> AppResult<FunnelReport> {
        let ctx = self.funnel_reader(caller, course_id).await?;
        self.funnel_of(caller, &ctx, q).await
    }

    /// Versions `a` and `b` of a course, each with the same filters, stage by stage with the
    /// two-proportion test of each conversion.
    pub async fn compare_versions(
        &self,
        caller: &Caller,
        course_id: i64,
        a: i32,
        b: i32,
        q: &FunnelQuery,
    ) -> AppResult<VersionComparison> {
        let ctx = self.funnel_reader(caller, course_id).await?;
        // A version compared with itself is a comparison with no differences (decision 0037).
        let fa = self
            .funnel_of(
                caller,
                &ctx,
                &FunnelQuery {
                    version: Some(a),
                    ..q.clone()
                },
            )
            .await?;
        let fb = self
            .funnel_of(
                caller,
                &ctx,
                &FunnelQuery {
                    version: Some(b),
                    ..q.clone()
                },
            )
            .await?;
        let stages = funnel::compare(&fa.funnel, &fb.funnel);
        Ok(VersionComparison {
            a: fa,
            b: fb,
            stages,
        })
    }

    pub(crate) async fn funnel_reader(
        &self,
        caller: &Caller,
        course_id: i64,
    ) -> AppResult<CourseContext> {
        let ctx = self
            .course_for(caller, course_id, Action::ViewCourse)
            .await?;
        if !ctx.can(caller, Action::EditCourse) && !ctx.can(caller, Action::CoachCourse) {
            return Err(AppError::Forbidden);
        }
        Ok(ctx)
    }

    pub(crate) async fn funnel_of(
        &self,
        caller: &Caller,
        ctx: &CourseContext,
        q: &FunnelQuery,
    ) -> AppResult<FunnelReport> {
        let course_id = ctx.course.id;
        let mut versions: Vec<i32> = self
            .store
            .versions_of(course_id)
            .await?
            .into_iter()
            .filter(|v| v.state == lore_domain::course::VersionState::Published)
            .map(|v| v.number)
            .collect();
        versions.sort_unstable_by(|a, b| b.cmp(a));
        if let Some(v) = q.version
            && !versions.contains(&v)
        {
            // A version that is not there (decision 0037).
            return Err(AppError::NotFound("That published version of the course"));
        }
        let range = match (&q.from, &q.to) {
            (None, None) => None,
            (from, to) => Some(
                DateRange::parse(
                    from.as_deref(),
                    to.as_deref(),
                    caller.time_zone.local(self.now()).date(),
                    90,
                )
                .map_err(|e| AppError::invalid("from", e.to_string()))?,
            ),
        };
        let group = match q.group_id {
            Some(g) => Some((g, self.group_for_report(caller, ctx, g).await?)),
            None => None,
        };
        let filter = FunnelFilter {
            version: q.version,
            from: range.map(|r| caller.time_zone.start_of(r.from)),
            until: range.map(|r| caller.time_zone.start_of(r.to.next_day().unwrap_or(r.to))),
            group_id: q.group_id,
            via: q.via,
        };
        let marks = self.store.funnel_marks(course_id, &filter).await?;
        let shown = q.version.or(versions.first().copied());
        let (title, steps, has_evaluation) = match shown {
            Some(n) => self.funnel_steps(course_id, n).await?,
            None => (String::new(), Vec::new(), false),
        };
        Ok(FunnelReport {
            course_id,
            title,
            version: q.version,
            versions,
            range,
            group,
            via: q.via,
            funnel: funnel::build(&marks, &steps, has_evaluation),
        })
    }

    /// The group a report is filtered by, when the caller may read it: an editor of the course
    /// may filter by any group; a coach by the groups they coach.
    async fn group_for_report(
        &self,
        caller: &Caller,
        ctx: &CourseContext,
        group_id: i64,
    ) -> AppResult<String> {
        let tree = self.group_tree().await?;
        let node = tree
            .get(GroupId(group_id))
            .ok_or(AppError::NotFound("That group"))?;
        let lineage = tree.lineage(GroupId(group_id));
        if !ctx.can(caller, Action::EditCourse)
            && !caller.can(Action::ViewInsights, Resource::Group { lineage: &lineage })
        {
            return Err(AppError::Forbidden);
        }
        Ok(node.name.clone())
    }

    /// A version's title, its steps in order, and whether it has an evaluation.
    async fn funnel_steps(
        &self,
        course_id: i64,
        number: i32,
    ) -> AppResult<(String, Vec<StepRef>, bool)> {
        let Some(v) = self.store.version(course_id, number).await? else {
            return Ok((String::new(), Vec::new(), false));
        };
        let steps = self
            .store
            .steps_of(v.id)
            .await?
            .into_iter()
            .map(|s| StepRef {
                key: s.step_key,
                title: s.title,
            })
            .collect();
        let has_evaluation = !self.store.questions_of(v.id).await?.is_empty();
        Ok((v.title, steps, has_evaluation))
    }

    /// Record that the caller saw these courses (id, published version) listed in the
    /// catalogue, for the funnel's first stage: one `listed-courses` event for those not seen
    /// before, written like a page view (off the request path when a worker runs).
    pub async fn record_listing(&self, caller: &Caller, listed: &[(i64, i32)]) -> AppResult<()> {
        if listed.is_empty() {
            return Ok(());
        }
        let ids: Vec<i64> = listed.iter().map(|(c, _)| *c).collect();
        let seen = self.store.seen_courses(caller.id.0, &ids).await?;
        let new: Vec<[i64; 2]> = listed
            .iter()
            .filter(|(c, _)| !seen.contains(c))
            .map(|(c, v)| [*c, i64::from(*v)])
            .collect();
        if new.is_empty() {
            return Ok(());
        }
        self.record_view(NewEvent {
            user_id: caller.id.0,
            verb: "listed-courses",
            data: Some(serde_json::json!({ "courses": new }).to_string()),
            ..NewEvent::default()
        })
        .await
    }
}

fn csv_error(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(e.to_string())
}

fn share(v: Option<f64>) -> String {
    v.map(|r| format!("{:.4}", r)).unwrap_or_default()
}

/// Rows of text as a CSV file.
pub fn csv_of(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> AppResult<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(csv_error)?;
    for r in rows {
        w.write_record(&r).map_err(csv_error)?;
    }
    w.into_inner().map_err(csv_error)
}

impl App {
    /// The funnel's table as CSV (rates as fractions, seconds as numbers).
    pub fn funnel_csv(report: &FunnelReport) -> AppResult<Vec<u8>> {
        csv_of(
            &[
                "stage",
                "label",
                "people",
                "previous",
                "kept",
                "conversion",
                "drop_off",
                "of_enrolled",
                "median_seconds",
                "finished",
            ],
            report.funnel.rows.iter().map(|r| {
                vec![
                    r.key.clone(),
                    r.label.clone(),
                    r.people.to_string(),
                    r.previous.map(|p| p.to_string()).unwrap_or_default(),
                    r.kept.to_string(),
                    share(r.conversion),
                    r.drop_off.to_string(),
                    share(r.of_enrolled),
                    r.median_seconds.map(|s| s.to_string()).unwrap_or_default(),
                    r.finished.to_string(),
                ]
            }),
        )
    }

    /// Two versions' conversions stage by stage, with the test, as CSV.
    pub fn comparison_csv(c: &VersionComparison) -> AppResult<Vec<u8>> {
        csv_of(
            &[
                "stage",
                "label",
                "kept_a",
                "previous_a",
                "conversion_a",
                "kept_b",
                "previous_b",
                "conversion_b",
                "difference",
                "z",
                "p_value",
            ],
            c.stages.iter().map(|s| {
                vec![
                    s.key.clone(),
                    s.label.clone(),
                    s.a.kept.to_string(),
                    s.a.previous.map(|p| p.to_string()).unwrap_or_default(),
                    share(s.a.conversion),
                    s.b.kept.to_string(),
                    s.b.previous.map(|p| p.to_string()).unwrap_or_default(),
                    share(s.b.conversion),
                    share(s.test.map(|t| t.difference)),
                    s.test.map(|t| format!("{:.4}", t.z)).unwrap_or_default(),
                    share(s.test.map(|t| t.p_value)),
                ]
            }),
        )
    }
}
