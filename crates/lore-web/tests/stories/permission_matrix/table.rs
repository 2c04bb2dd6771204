//! The matrix's table: for every route the router has, who the permission policy lets in.
//! One line per method and path pattern; a route missing here fails the story.
//!
//! `{id}` is filled with the demo object the rule names (the course for `course(..)`), or the
//! one named by `.id(..)`; every other `{param}` with the demo object of that name
//! (see `Objects::fill` in the story).

use lore_domain::policy::Action::{self, *};

/// Which demo object a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Obj {
    /// The platform as a whole (`Resource::Platform`).
    Platform,
    /// A published Engineering course (owned by an Engineering author).
    Course,
    /// Engineering.
    Group,
    /// The group owning the demo outcome (Sales).
    OutcomeGroup,
    /// A learning need.
    Need,
    /// An Engineering learning path.
    Path,
    /// The need, for what its coaches or the person who asked may do (edit it).
    NeedOrAsker,
    /// The owner of the demo evaluation attempt (attempts are their taker's alone).
    AttemptTaker,
    /// Mei Chen, an Engineering learner (her profile, her account).
    Mei,
    /// Any group: allowed when the action is allowed on at least one group (pickers,
    /// dashboards that list what the person coaches).
    AnyGroup,
    /// Any group where the person may write a course (`Resource::AuthoringIn`).
    Authoring,
}

/// Who may use a route.
#[derive(Debug, Clone, Copy)]
pub enum Who {
    /// Everyone, signed in or not.
    Anyone,
    /// Anyone signed in: their own things, and lists cut down to what they may see.
    SignedIn,
    /// Whom the policy lets do the action on the object.
    Policy(Action, Obj),
    /// Whom the policy lets do any one of the actions on the object.
    AnyOf(&'static [Action], Obj),
    /// The learning record store's statements: a client's Basic credentials; a signed-in
    /// person may read.
    Xapi,
    /// The record store's documents and lists: a client's Basic credentials only.
    XapiClient,
}

/// What fills a route's `{id}` when it is not the rule's object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Id {
    Rule,
    Course,
    Outcome,
    MeiNotification,
    Webhook,
    Certificate,
    Attempt,
    Other,
}

pub struct Line {
    pub method: &'static str,
    pub path: &'static str,
    pub who: Who,
    pub id: Id,
}

impl Line {
    /// Fill `{id}` with another object than the rule's.
    const fn id(mut self, id: Id) -> Self {
        self.id = id;
        self
    }
}

const fn r(method: &'static str, path: &'static str, who: Who) -> Line {
    Line {
        method,
        path,
        who,
        id: Id::Rule,
    }
}

const ANYONE: Who = Who::Anyone;
const SIGNED_IN: Who = Who::SignedIn;
const XAPI: Who = Who::Xapi;
/// Platform administrators alone (`_ => false` for everyone else in the policy).
const ADMIN: Who = Who::Policy(ViewInstance, Obj::Platform);
const MEI_ONLY: Who = Who::Policy(ManageOwnAccount, Obj::Mei);
const XAPI_CLIENT: Who = Who::XapiClient;
/// Editors and coaches of the course (its feedback, figures, suggestions).
const EDIT_OR_COACH: Who = Who::AnyOf(&[EditCourse, CoachCourse], Obj::Course);
/// Editors and the coaches of its owning group (its review, its check interval).
const EDIT_OR_REVIEW: Who = Who::AnyOf(&[EditCourse, ReviewCourse], Obj::Course);
const fn course(a: Action) -> Who {
    Who::Policy(a, Obj::Course)
}
const fn group(a: Action) -> Who {
    Who::Policy(a, Obj::Group)
}
const fn any_group(a: Action) -> Who {
    Who::Policy(a, Obj::AnyGroup)
}
const fn need(a: Action) -> Who {
    Who::Policy(a, Obj::Need)
}
const fn path(a: Action) -> Who {
    Who::Policy(a, Obj::Path)
}
const fn mei(a: Action) -> Who {
    Who::Policy(a, Obj::Mei)
}
const fn outcome(a: Action) -> Who {
    Who::Policy(a, Obj::OutcomeGroup)
}
const ATTEMPT: Who = Who::Policy(ManageOwnAccount, Obj::AttemptTaker);
const NEED_EDIT: Who = Who::Policy(ManageNeed, Obj::NeedOrAsker);
const AUTHORING: Who = Who::Policy(CreateCourse, Obj::Authoring);
const BANKS: Who = Who::Policy(KeepQuestionBanks, Obj::Authoring);
const COACHING: Who = any_group(AssignToGroup);
const INSIGHTS: Who = any_group(ViewInsights);

#[rustfmt::skip]
pub const TABLE: &[Line] = &[
    // Public pages and files.
    r("GET", "/sign-in", ANYONE),
    r("POST", "/sign-in", ANYONE),
    r("GET", "/forgot-password", ANYONE),
    r("POST", "/forgot-password", ANYONE),
    r("GET", "/welcome/{token}", ANYONE),
    r("POST", "/welcome/{token}", ANYONE),
    r("GET", "/verify/{public_id}", ANYONE),
    r("GET", "/calendar/{file}", ANYONE),
    r("GET", "/healthz", ANYONE),
    r("GET", "/readyz", ANYONE),
    r("GET", "/metrics", ANYONE), // by address: the story's client is on loopback
    r("GET", "/assets/lore.css", ANYONE),
    r("GET", "/assets/htmx.min.js", ANYONE),
    r("GET", "/assets/editor.js", ANYONE),
    r("GET", "/assets/live.js", ANYONE),
    r("GET", "/assets/menu.js", ANYONE),
    r("GET", "/favicon.ico", ANYONE),
    r("GET", "/icon.svg", ANYONE),
    r("GET", "/icon-192.png", ANYONE),
    r("GET", "/icon-512.png", ANYONE),
    r("GET", "/manifest.webmanifest", ANYONE),
    // A person's own pages.
    r("GET", "/", SIGNED_IN),
    r("GET", "/search", SIGNED_IN),
    r("POST", "/sign-out", SIGNED_IN),
    r("GET", "/account", SIGNED_IN),
    r("POST", "/account/password", SIGNED_IN),
    r("POST", "/account/sessions/{id}/revoke", MEI_ONLY).id(Id::Other),
    r("POST", "/account/sessions/revoke-others", SIGNED_IN),
    r("POST", "/account/mail", SIGNED_IN),
    r("POST", "/account/profile", SIGNED_IN),
    r("POST", "/account/tokens", SIGNED_IN),
    r("POST", "/account/tokens/{id}/revoke", MEI_ONLY).id(Id::Other),
    r("POST", "/account/calendar", SIGNED_IN),
    r("POST", "/account/calendar/revoke", SIGNED_IN),
    r("GET", "/notifications", SIGNED_IN),
    r("GET", "/notifications/stream", SIGNED_IN),
    r("POST", "/notifications/read-all", SIGNED_IN),
    r("POST", "/notifications/{id}/open", MEI_ONLY).id(Id::MeiNotification),
    r("POST", "/notifications/{id}/read", MEI_ONLY).id(Id::MeiNotification),
    r("GET", "/certificates", SIGNED_IN),
    r("GET", "/certificates/{id}", mei(ViewPerson)).id(Id::Certificate),
    r("GET", "/learning", SIGNED_IN),
    r("POST", "/preview", SIGNED_IN),
    r("GET", "/attention", SIGNED_IN),
    r("POST", "/blobs", SIGNED_IN),
    r("GET", "/blobs/{hash}", SIGNED_IN),
    // Administration.
    r("GET", "/admin", ADMIN),
    r("GET", "/admin/audit", ADMIN),
    r("GET", "/admin/audit.csv", ADMIN),
    r("GET", "/admin/crm", ADMIN),
    r("GET", "/admin/crm.csv", ADMIN),
    r("GET", "/admin/xapi", ADMIN),
    r("POST", "/admin/xapi", ADMIN),
    r("POST", "/admin/xapi/{id}/revoke", ADMIN).id(Id::Other),
    r("GET", "/admin/xapi/forwarding", ADMIN),
    r("POST", "/admin/xapi/forwarding", ADMIN),
    r("POST", "/admin/xapi/forwarding/dead-letters/replay", ADMIN),
    r("POST", "/admin/xapi/forwarding/dead-letters/{id}/replay", ADMIN).id(Id::Other),
    r("GET", "/admin/webhooks", ADMIN),
    r("POST", "/admin/webhooks", ADMIN),
    r("GET", "/webhooks/{id}", ADMIN).id(Id::Webhook),
    r("POST", "/webhooks/{id}", ADMIN).id(Id::Webhook),
    r("POST", "/webhooks/{id}/enabled", ADMIN).id(Id::Webhook),
    r("POST", "/webhooks/{id}/rotate", ADMIN).id(Id::Webhook),
    r("POST", "/webhooks/{id}/delete", ADMIN).id(Id::Webhook),
    r("POST", "/webhooks/{id}/deliveries/{delivery}/redeliver", ADMIN).id(Id::Webhook),
    // People and groups.
    r("GET", "/people", Who::Policy(ListPeople, Obj::Platform)),
    r("GET", "/people/invite", Who::Policy(FindPerson, Obj::Platform)),
    r("POST", "/people/invite", Who::Policy(FindPerson, Obj::Platform)),
    r("GET", "/people/import", Who::Policy(ImportPeople, Obj::Platform)),
    r("POST", "/people/import", Who::Policy(ImportPeople, Obj::Platform)),
    r("GET", "/people/{id}", mei(ViewPerson)),
    r("POST", "/people/{id}/deactivate", mei(ManagePerson)),
    r("POST", "/people/{id}/reactivate", mei(ManagePerson)),
    r("POST", "/people/{id}/reset-link", mei(ManagePerson)),
    r("GET", "/groups", SIGNED_IN),
    r("POST", "/groups", Who::Policy(CreateRootGroup, Obj::Platform)),
    r("GET", "/groups/{id}", group(ViewGroup)),
    r("POST", "/groups/{id}/rename", group(ManageGroup)),
    r("POST", "/groups/{id}/authoring", group(ManageGroup)),
    r("POST", "/groups/{id}/review-rules", group(ManageGroup)),
    r("POST", "/groups/{id}/delete", group(ManageGroup)),
    r("POST", "/groups/{id}/members", group(ManageMembers)),
    r("POST", "/groups/{id}/members/{user_id}/remove", group(ManageMembers)),
    r("GET", "/groups/{id}/chat-hooks", group(ManageGroup)),
    r("POST", "/groups/{id}/chat-hooks", group(ManageGroup)),
    // Courses: catalogue, authoring, learning.
    r("GET", "/courses", SIGNED_IN),
    r("POST", "/courses", AUTHORING),
    r("GET", "/courses/new", AUTHORING),
    r("GET", "/courses/import", AUTHORING),
    r("POST", "/courses/import", AUTHORING),
    r("GET", "/courses/{id}", course(ViewCourse)),
    r("GET", "/courses/{id}/export.zip", course(EditCourse)),
    r("POST", "/courses/{id}/enrol", course(TakeCourse)),
    r("POST", "/courses/{id}/assign", course(CoachCourse)),
    r("GET", "/courses/{id}/learn", course(TakeCourse)),
    r("GET", "/courses/{id}/learn/{position}", course(TakeCourse)),
    r("POST", "/courses/{id}/steps/{key}/complete", course(TakeCourse)),
    r("POST", "/courses/{id}/switch-latest", course(TakeCourse)),
    r("POST", "/courses/{id}/evaluation", course(TakeCourse)),
    r("POST", "/courses/{id}/steps/{key}/check", course(TakeCourse)),
    r("GET", "/attempts/{id}", ATTEMPT).id(Id::Attempt),
    r("POST", "/attempts/{id}", ATTEMPT).id(Id::Attempt),
    r("GET", "/courses/{id}/edit", course(EditCourse)),
    r("POST", "/courses/{id}/edit/details", course(EditCourse)),
    r("POST", "/courses/{id}/edit/autosave", course(EditCourse)),
    r("GET", "/courses/{id}/preview", course(EditCourse)),
    r("GET", "/courses/{id}/preview/{position}", course(EditCourse)),
    r("POST", "/courses/{id}/edit/steps", course(EditCourse)),
    r("POST", "/courses/{id}/edit/order", course(EditCourse)),
    r("POST", "/courses/{id}/edit/cover", course(EditCourse)),
    r("POST", "/courses/{id}/edit/steps/{step_id}", course(EditCourse)),
    r("POST", "/courses/{id}/edit/steps/{step_id}/move", course(EditCourse)),
    r("POST", "/courses/{id}/edit/steps/{step_id}/attach", course(EditCourse)),
    r("POST", "/courses/{id}/edit/steps/{step_id}/delete", course(EditCourse)),
    r("POST", "/courses/{id}/edit/steps/{step_id}/questions", course(EditCourse)),
    r("POST", "/courses/{id}/edit/questions", course(EditCourse)),
    r("POST", "/courses/{id}/edit/questions/check", course(EditCourse)),
    r("POST", "/courses/{id}/edit/questions/add", course(EditCourse)),
    r("POST", "/courses/{id}/edit/questions/{question_id}/delete", course(EditCourse)),
    r("POST", "/courses/{id}/edit/evaluation", course(EditCourse)),
    r("POST", "/courses/{id}/edit/people", course(EditCourse)),
    r("GET", "/courses/{id}/questions.gift", course(EditCourse)),
    r("POST", "/courses/{id}/publish", course(EditCourse)),
    r("POST", "/courses/{id}/archive", course(EditCourse)),
    r("POST", "/courses/{id}/restore", course(EditCourse)),
    r("POST", "/courses/{id}/delete", course(EditCourse)),
    r("GET", "/courses/{id}/versions", course(ViewCourse)),
    r("GET", "/courses/{id}/versions/diff", course(ViewCourse)),
    r("GET", "/courses/{id}/steps/{key}/history", course(ViewCourse)),
    r("GET", "/courses/{id}/feedback", Who::AnyOf(&[EditCourse, CoachCourse, ReviewCourse], Obj::Course)),
    r("GET", "/courses/{id}/stats", EDIT_OR_COACH),
    r("GET", "/courses/{id}/essays", course(ReviewAnswers)),
    r("POST", "/courses/{id}/essays/{attempt}/review", course(ReviewAnswers)),
    r("POST", "/courses/{id}/edit/questions/{question_id}/rubric", course(EditCourse)),
    r("GET", "/courses/{id}/analytics", EDIT_OR_COACH),
    r("GET", "/courses/{id}/analytics.csv", EDIT_OR_COACH),
    r("GET", "/courses/{id}/certificates", EDIT_OR_COACH),
    r("POST", "/courses/{id}/certificates", EDIT_OR_COACH),
    r("GET", "/courses/{id}/certificates.csv", course(CoachCourse)),
    r("POST", "/courses/{id}/steps/{key}/reactions", course(TakeCourse)),
    r("POST", "/courses/{id}/reactions/{reaction}/withdraw", course(TakeCourse)),
    r("POST", "/courses/{id}/reactions/{reaction}/resolve", course(EditCourse)),
    r("GET", "/courses/{id}/steps/{key}/suggest", course(TakeCourse)),
    r("POST", "/courses/{id}/steps/{key}/suggest", course(TakeCourse)),
    r("GET", "/courses/{id}/suggestions/{sid}", EDIT_OR_COACH),
    r("POST", "/courses/{id}/suggestions/{sid}/accept", course(EditCourse)),
    r("POST", "/courses/{id}/suggestions/{sid}/decline", course(EditCourse)),
    r("GET", "/courses/{id}/review", EDIT_OR_REVIEW),
    r("POST", "/courses/{id}/review/submit", course(EditCourse)),
    r("POST", "/courses/{id}/review/comments", course(ReviewCourse)),
    r("POST", "/courses/{id}/review/comments/{comment}/resolve", course(ReviewCourse)),
    r("POST", "/courses/{id}/review/verdict", course(ReviewCourse)),
    r("POST", "/courses/{id}/reviewers", course(EditCourse)),
    r("POST", "/courses/{id}/reviewers/{user}/remove", course(EditCourse)),
    r("POST", "/courses/{id}/confirm", course(EditCourse)),
    r("POST", "/courses/{id}/review-interval", EDIT_OR_REVIEW),
    r("GET", "/courses/{id}/discussions", course(ViewCourse)),
    r("POST", "/courses/{id}/discussions", course(ViewCourse)),
    r("GET", "/courses/{id}/discussions/{thread_id}", course(ViewCourse)),
    r("POST", "/courses/{id}/discussions/{thread_id}/replies", course(ViewCourse)),
    r("POST", "/courses/{id}/discussions/{thread_id}/accept", course(EditCourse)),
    r("POST", "/courses/{id}/discussions/{thread_id}/lock", EDIT_OR_COACH),
    r("POST", "/courses/{id}/discussions/{thread_id}/hide", EDIT_OR_COACH),
    r("POST", "/courses/{id}/discussions/{thread_id}/posts/{post_id}/edit", course(EditCourse)),
    r("POST", "/courses/{id}/discussions/{thread_id}/posts/{post_id}/delete", course(EditCourse)),
    r("POST", "/courses/{id}/discussions/{thread_id}/posts/{post_id}/hide", EDIT_OR_COACH),
    // Paths, assignments, reports.
    r("GET", "/paths", SIGNED_IN),
    r("GET", "/paths/new", SIGNED_IN), // the form offers only groups the person coaches,
    r("POST", "/paths/new", COACHING),
    r("GET", "/paths/{id}", path(ViewPath)),
    r("GET", "/paths/{id}/edit", path(CoachPath)),
    r("POST", "/paths/{id}/edit", path(CoachPath)),
    r("POST", "/paths/{id}/publish", path(CoachPath)),
    r("GET", "/paths/{id}/versions", path(ViewPath)),
    r("GET", "/assign", COACHING),
    r("POST", "/assign", COACHING),
    r("POST", "/assign/csv", COACHING),
    r("GET", "/progress", INSIGHTS),
    r("GET", "/progress.csv", INSIGHTS),
    r("GET", "/reports", SIGNED_IN),
    r("GET", "/insights/gaps", INSIGHTS),
    r("GET", "/insights/gaps.csv", INSIGHTS),
    r("GET", "/insights/experts", INSIGHTS),
    r("GET", "/insights/experts.csv", INSIGHTS),
    // Question banks: kept by the authors of their group; there is no demo bank, so `{id}`
    // is a bank nobody sees (404 for all).
    r("GET", "/question-banks", SIGNED_IN),
    r("POST", "/question-banks", BANKS),
    r("GET", "/question-banks/{id}", BANKS).id(Id::Other),
    r("POST", "/question-banks/{id}/questions", BANKS).id(Id::Other),
    r("POST", "/question-banks/{id}/questions/{question_id}/delete", BANKS).id(Id::Other),
    r("GET", "/courses/{id}/edit/draw", course(EditCourse)),
    r("POST", "/courses/{id}/edit/draw", course(EditCourse)),
    r("GET", "/outcomes", SIGNED_IN),
    r("POST", "/outcomes", any_group(ManageOutcomes)),
    r("GET", "/outcomes/{id}", outcome(ViewInsights)).id(Id::Outcome),
    r("GET", "/outcomes/{id}/periods.csv", outcome(ViewInsights)).id(Id::Outcome),
    r("POST", "/outcomes/{id}/values", outcome(ManageOutcomes)).id(Id::Outcome),
    r("POST", "/outcomes/{id}/links", outcome(ManageOutcomes)).id(Id::Outcome),
    r("POST", "/outcomes/{id}/links/remove", outcome(ManageOutcomes)).id(Id::Outcome),
    r("GET", "/dashboard", INSIGHTS),
    r("GET", "/dashboard/weeks.csv", INSIGHTS),
    r("GET", "/dashboard/assignments", INSIGHTS),
    r("GET", "/dashboard/assignments.csv", INSIGHTS),
    r("GET", "/dashboard/courses", INSIGHTS),
    r("GET", "/dashboard/courses.csv", INSIGHTS),
    r("GET", "/dashboard/health", INSIGHTS),
    r("GET", "/dashboard/health.csv", INSIGHTS),
    r("GET", "/dashboard/week", INSIGHTS),
    r("GET", "/dashboard/week.csv", INSIGHTS),
    r("GET", "/dashboard/assignment", INSIGHTS),
    r("GET", "/dashboard/assignment.csv", INSIGHTS),
    r("GET", "/dashboard/completions", INSIGHTS),
    r("GET", "/dashboard/completions.csv", INSIGHTS),
    r("GET", "/dashboard/attempts", INSIGHTS),
    r("GET", "/dashboard/attempts.csv", INSIGHTS),
    // Learning needs.
    r("GET", "/needs", SIGNED_IN),
    r("POST", "/needs", SIGNED_IN),
    r("GET", "/needs/new", SIGNED_IN),
    r("GET", "/needs/similar", SIGNED_IN),
    r("GET", "/needs/{id}", need(ViewNeed)),
    r("GET", "/needs/{id}/edit", NEED_EDIT),
    r("POST", "/needs/{id}/edit", NEED_EDIT),
    r("POST", "/needs/{id}/vote", need(ViewNeed)),
    r("POST", "/needs/{id}/unvote", need(ViewNeed)),
    r("POST", "/needs/{id}/follow", need(ViewNeed)),
    r("POST", "/needs/{id}/unfollow", need(ViewNeed)),
    r("POST", "/needs/{id}/volunteer", need(ViewNeed)),
    r("POST", "/needs/{id}/status", need(ManageNeed)),
    r("POST", "/needs/{id}/merge", need(ManageNeed)),
    r("POST", "/needs/{id}/experts", need(ManageNeed)),
    r("POST", "/needs/{id}/courses", need(ManageNeed)),
    // The JSON API.
    r("GET", "/api/v1/openapi.json", ANYONE),
    r("GET", "/api/v1/certificates/verify/{public_id}", ANYONE),
    r("GET", "/api/v1/me", SIGNED_IN),
    r("GET", "/api/v1/me/certificates", SIGNED_IN),
    r("GET", "/api/v1/me/profile", SIGNED_IN),
    r("PATCH", "/api/v1/me/profile", SIGNED_IN),
    r("GET", "/api/v1/me/notification-settings", SIGNED_IN),
    r("PUT", "/api/v1/me/notification-settings", SIGNED_IN),
    r("GET", "/api/v1/me/assignments", SIGNED_IN),
    r("GET", "/api/v1/notifications", SIGNED_IN),
    r("POST", "/api/v1/notifications/read-all", SIGNED_IN),
    r("POST", "/api/v1/notifications/{id}/read", MEI_ONLY).id(Id::MeiNotification),
    r("GET", "/api/v1/tokens", SIGNED_IN),
    r("POST", "/api/v1/tokens", SIGNED_IN),
    r("DELETE", "/api/v1/tokens/{id}", MEI_ONLY).id(Id::Other),
    r("GET", "/api/v1/attention", SIGNED_IN),
    r("GET", "/api/v1/audit-log", ADMIN),
    r("GET", "/api/v1/crm/records", ADMIN),
    r("GET", "/api/v1/crm/records.csv", ADMIN),
    r("GET", "/api/v1/events", ADMIN),
    r("GET", "/api/v1/users", Who::Policy(ListPeople, Obj::Platform)),
    r("POST", "/api/v1/users", Who::Policy(FindPerson, Obj::Platform)),
    r("POST", "/api/v1/users/import", Who::Policy(ImportPeople, Obj::Platform)),
    r("GET", "/api/v1/users/{id}", mei(ViewPerson)),
    r("POST", "/api/v1/users/{id}/deactivate", mei(ManagePerson)),
    r("POST", "/api/v1/users/{id}/reactivate", mei(ManagePerson)),
    r("POST", "/api/v1/users/{id}/reset-link", mei(ManagePerson)),
    r("GET", "/api/v1/groups", SIGNED_IN),
    r("POST", "/api/v1/groups", Who::Policy(CreateRootGroup, Obj::Platform)),
    r("GET", "/api/v1/groups/{id}", group(ViewGroup)),
    r("PATCH", "/api/v1/groups/{id}", group(ManageGroup)),
    r("DELETE", "/api/v1/groups/{id}", group(ManageGroup)),
    r("GET", "/api/v1/groups/{id}/members", group(ViewMembers)),
    r("PUT", "/api/v1/groups/{id}/members/{user_id}", group(ManageMembers)),
    r("DELETE", "/api/v1/groups/{id}/members/{user_id}", group(ManageMembers)),
    r("PUT", "/api/v1/groups/{id}/review-rules", group(ManageGroup)),
    r("GET", "/api/v1/groups/{id}/chat-hooks", group(ManageGroup)),
    r("POST", "/api/v1/groups/{id}/chat-hooks", group(ManageGroup)),
    r("GET", "/api/v1/courses", SIGNED_IN),
    r("GET", "/api/v1/courses/{id}", course(ViewCourse)),
    r("POST", "/api/v1/courses/{id}/enrolment", course(TakeCourse)),
    r("GET", "/api/v1/courses/{id}/enrolment", course(TakeCourse)),
    r("POST", "/api/v1/courses/{id}/player", course(TakeCourse)),
    r("POST", "/api/v1/courses/{id}/steps/{key}/complete", course(TakeCourse)),
    r("POST", "/api/v1/courses/{id}/switch-latest", course(TakeCourse)),
    r("POST", "/api/v1/courses/{id}/assign", course(CoachCourse)),
    r("GET", "/api/v1/me/learning", SIGNED_IN),
    r("POST", "/api/v1/courses/{id}/attempts", course(TakeCourse)),
    r("GET", "/api/v1/courses/{id}/attempts", course(ViewCourse)),
    r("GET", "/api/v1/attempts/{id}", ATTEMPT).id(Id::Attempt),
    r("PUT", "/api/v1/attempts/{id}/answers/{key}", ATTEMPT).id(Id::Attempt),
    r("POST", "/api/v1/attempts/{id}/submit", ATTEMPT).id(Id::Attempt),
    r("GET", "/api/v1/courses/{id}/steps/{key}/questions", course(TakeCourse)),
    r("POST", "/api/v1/courses/{id}/steps/{key}/check", course(TakeCourse)),
    r("GET", "/api/v1/courses/{id}/item-analysis", EDIT_OR_COACH),
    r("POST", "/api/v1/courses", AUTHORING),
    r("POST", "/api/v1/courses/import", AUTHORING),
    r("POST", "/api/v1/uploads", SIGNED_IN),
    r("GET", "/api/v1/courses/{id}/draft", course(EditCourse)),
    r("PATCH", "/api/v1/courses/{id}/draft", course(EditCourse)),
    r("POST", "/api/v1/courses/{id}/draft/steps", course(EditCourse)),
    r("PUT", "/api/v1/courses/{id}/draft/steps/{step_id}", course(EditCourse)),
    r("DELETE", "/api/v1/courses/{id}/draft/steps/{step_id}", course(EditCourse)),
    r("PUT", "/api/v1/courses/{id}/draft/order", course(EditCourse)),
    r("POST", "/api/v1/courses/{id}/publish", course(EditCourse)),
    r("GET", "/api/v1/courses/{id}/versions", course(ViewCourse)),
    r("GET", "/api/v1/courses/{id}/versions/diff", course(ViewCourse)),
    r("GET", "/api/v1/courses/{id}/export.zip", course(EditCourse)),
    r("GET", "/api/v1/courses/{id}/certificates", course(CoachCourse)),
    r("PUT", "/api/v1/courses/{id}/certificates/rules", EDIT_OR_COACH),
    r("GET", "/api/v1/courses/{id}/threads", course(ViewCourse)),
    r("POST", "/api/v1/courses/{id}/threads", course(ViewCourse)),
    r("GET", "/api/v1/courses/{id}/threads/{thread_id}", course(ViewCourse)),
    r("POST", "/api/v1/courses/{id}/threads/{thread_id}/posts", course(ViewCourse)),
    r("POST", "/api/v1/courses/{id}/threads/{thread_id}/accept", course(EditCourse)),
    r("POST", "/api/v1/courses/{id}/questions/gift/check", course(EditCourse)),
    r("POST", "/api/v1/courses/{id}/questions/gift/import", course(EditCourse)),
    r("GET", "/api/v1/courses/{id}/essays", course(ReviewAnswers)),
    r("POST", "/api/v1/courses/{id}/essays/{attempt_id}/review", course(ReviewAnswers)),
    r("GET", "/api/v1/courses/{id}/answer-reviewers", course(EditCourse)),
    r("POST", "/api/v1/courses/{id}/answer-reviewers", course(EditCourse)),
    r("DELETE", "/api/v1/courses/{id}/answer-reviewers/{user_id}", course(EditCourse)),
    r("GET", "/api/v1/courses/{id}/peer-review", course(EditCourse)),
    r("PUT", "/api/v1/courses/{id}/peer-review", course(EditCourse)),
    r("GET", "/api/v1/courses/{id}/feedback", EDIT_OR_COACH),
    r("POST", "/api/v1/courses/{id}/steps/{key}/reactions", course(TakeCourse)),
    r("POST", "/api/v1/courses/{id}/reactions/{reaction_id}/resolve", course(EditCourse)),
    r("DELETE", "/api/v1/reactions/{id}", course(TakeCourse)).id(Id::Other),
    r("POST", "/api/v1/courses/{id}/steps/{key}/suggestions", course(TakeCourse)),
    r("GET", "/api/v1/courses/{id}/suggestions", EDIT_OR_COACH),
    r("GET", "/api/v1/courses/{id}/suggestions/{sid}", EDIT_OR_COACH),
    r("POST", "/api/v1/courses/{id}/suggestions/{sid}/accept", course(EditCourse)),
    r("POST", "/api/v1/courses/{id}/suggestions/{sid}/decline", course(EditCourse)),
    r("GET", "/api/v1/courses/{id}/review", EDIT_OR_REVIEW),
    r("POST", "/api/v1/courses/{id}/review", course(EditCourse)),
    r("POST", "/api/v1/courses/{id}/review/comments", course(ReviewCourse)),
    r("POST", "/api/v1/courses/{id}/review/comments/{comment_id}/resolve", course(ReviewCourse)),
    r("POST", "/api/v1/courses/{id}/review/verdict", course(ReviewCourse)),
    r("POST", "/api/v1/courses/{id}/confirm", course(EditCourse)),
    r("PUT", "/api/v1/courses/{id}/review-interval", EDIT_OR_REVIEW),
    r("POST", "/api/v1/courses/{id}/reviewers", course(EditCourse)),
    r("DELETE", "/api/v1/courses/{id}/reviewers/{user_id}", course(EditCourse)),
    r("GET", "/api/v1/courses/{id}/progress", course(CoachCourse)),
    r("GET", "/api/v1/courses/{id}/funnel", EDIT_OR_COACH),
    r("GET", "/api/v1/courses/{id}/funnel/compare", EDIT_OR_COACH),
    r("GET", "/api/v1/courses/{id}/analytics", EDIT_OR_COACH),
    r("GET", "/api/v1/needs", SIGNED_IN),
    r("POST", "/api/v1/needs", SIGNED_IN),
    r("GET", "/api/v1/needs/similar", SIGNED_IN),
    r("GET", "/api/v1/needs/{id}", need(ViewNeed)),
    r("PATCH", "/api/v1/needs/{id}", NEED_EDIT),
    r("POST", "/api/v1/needs/{id}/vote", need(ViewNeed)),
    r("DELETE", "/api/v1/needs/{id}/vote", need(ViewNeed)),
    r("POST", "/api/v1/needs/{id}/follow", need(ViewNeed)),
    r("DELETE", "/api/v1/needs/{id}/follow", need(ViewNeed)),
    r("POST", "/api/v1/needs/{id}/volunteer", need(ViewNeed)),
    r("POST", "/api/v1/needs/{id}/status", need(ManageNeed)),
    r("POST", "/api/v1/needs/{id}/merge", need(ManageNeed)),
    r("GET", "/api/v1/needs/{id}/experts", need(ManageNeed)),
    r("POST", "/api/v1/needs/{id}/experts", need(ManageNeed)),
    r("POST", "/api/v1/needs/{id}/courses", need(ManageNeed)),
    r("GET", "/api/v1/insights/gaps", INSIGHTS),
    r("GET", "/api/v1/insights/experts", INSIGHTS),
    r("GET", "/api/v1/paths", SIGNED_IN),
    r("POST", "/api/v1/paths", COACHING),
    r("GET", "/api/v1/paths/{id}", path(ViewPath)),
    r("PUT", "/api/v1/paths/{id}/draft", path(CoachPath)),
    r("POST", "/api/v1/paths/{id}/publish", path(CoachPath)),
    r("GET", "/api/v1/paths/{id}/versions", path(ViewPath)),
    r("GET", "/api/v1/paths/{id}/progress", path(CoachPath)),
    r("POST", "/api/v1/assignments", COACHING),
    r("GET", "/api/v1/dashboard", INSIGHTS),
    r("GET", "/api/v1/dashboard/assignments", INSIGHTS),
    r("GET", "/api/v1/dashboard/assignments/{id}/people", INSIGHTS).id(Id::Other),
    r("GET", "/api/v1/dashboard/courses", INSIGHTS),
    r("GET", "/api/v1/dashboard/courses/{id}/completions", INSIGHTS).id(Id::Course),
    r("GET", "/api/v1/dashboard/courses/{id}/attempts", INSIGHTS).id(Id::Course),
    r("GET", "/api/v1/dashboard/health", INSIGHTS),
    r("GET", "/api/v1/dashboard/weeks/{week}/people", INSIGHTS),
    r("GET", "/api/v1/question-banks", SIGNED_IN),
    r("POST", "/api/v1/question-banks", BANKS),
    r("GET", "/api/v1/question-banks/{id}", BANKS).id(Id::Other),
    r("POST", "/api/v1/question-banks/{id}/questions", BANKS).id(Id::Other),
    r("POST", "/api/v1/question-banks/{id}/questions/gift", BANKS).id(Id::Other),
    r("DELETE", "/api/v1/question-banks/{id}/questions/{question_id}", BANKS).id(Id::Other),
    r("GET", "/api/v1/courses/{id}/evaluation/draw", course(EditCourse)),
    r("PUT", "/api/v1/courses/{id}/evaluation/draw", course(EditCourse)),
    r("DELETE", "/api/v1/courses/{id}/evaluation/draw", course(EditCourse)),
    r("GET", "/api/v1/outcomes", SIGNED_IN),
    r("POST", "/api/v1/outcomes", any_group(ManageOutcomes)),
    r("GET", "/api/v1/outcomes/{id}", outcome(ViewInsights)).id(Id::Outcome),
    r("POST", "/api/v1/outcomes/{id}/values", outcome(ManageOutcomes)).id(Id::Outcome),
    r("POST", "/api/v1/outcomes/{id}/links", outcome(ManageOutcomes)).id(Id::Outcome),
    r("DELETE", "/api/v1/outcomes/{id}/links/{kind}/{target_id}", outcome(ManageOutcomes)).id(Id::Outcome),
    r("GET", "/api/v1/xapi/clients", ADMIN),
    r("POST", "/api/v1/xapi/clients", ADMIN),
    r("DELETE", "/api/v1/xapi/clients/{id}", ADMIN).id(Id::Other),
    r("GET", "/api/v1/xapi/forwarding", ADMIN),
    r("PUT", "/api/v1/xapi/forwarding", ADMIN),
    r("GET", "/api/v1/xapi/forwarding/dead-letters", ADMIN),
    r("POST", "/api/v1/xapi/forwarding/dead-letters/replay", ADMIN),
    r("POST", "/api/v1/xapi/forwarding/dead-letters/{id}/replay", ADMIN).id(Id::Other),
    r("GET", "/api/v1/webhooks", ADMIN),
    r("POST", "/api/v1/webhooks", ADMIN),
    r("GET", "/api/v1/webhooks/{id}", ADMIN).id(Id::Webhook),
    r("PATCH", "/api/v1/webhooks/{id}", ADMIN).id(Id::Webhook),
    r("DELETE", "/api/v1/webhooks/{id}", ADMIN).id(Id::Webhook),
    r("POST", "/api/v1/webhooks/{id}/rotate", ADMIN).id(Id::Webhook),
    r("GET", "/api/v1/webhooks/{id}/deliveries", ADMIN).id(Id::Webhook),
    r("POST", "/api/v1/webhooks/{id}/deliveries/{delivery}/redeliver", ADMIN).id(Id::Webhook),
    // The learning record store.
    r("GET", "/xapi/statements", XAPI),
    r("PUT", "/xapi/statements", XAPI),
    r("POST", "/xapi/statements", XAPI),
    r("GET", "/xapi/activities/state", XAPI_CLIENT),
    r("PUT", "/xapi/activities/state", XAPI_CLIENT),
    r("POST", "/xapi/activities/state", XAPI_CLIENT),
    r("DELETE", "/xapi/activities/state", XAPI_CLIENT),
    r("GET", "/xapi/activities/profile", XAPI_CLIENT),
    r("PUT", "/xapi/activities/profile", XAPI_CLIENT),
    r("POST", "/xapi/activities/profile", XAPI_CLIENT),
    r("DELETE", "/xapi/activities/profile", XAPI_CLIENT),
    r("GET", "/xapi/agents/profile", XAPI_CLIENT),
    r("PUT", "/xapi/agents/profile", XAPI_CLIENT),
    r("POST", "/xapi/agents/profile", XAPI_CLIENT),
    r("DELETE", "/xapi/agents/profile", XAPI_CLIENT),
    r("GET", "/xapi/activities", XAPI_CLIENT),
    r("GET", "/xapi/agents", XAPI_CLIENT),
    r("GET", "/xapi/about", ANYONE),
];
