//! Archiving, restoring and deleting a course (docs/decisions/0051): the editor's buttons,
//! through the same use cases (`archive_course`, `delete_course`), with the same refusals.
//! None takes a body; the policy is asked by the use case before anything changes.

use axum::extract::State;
use axum::http::StatusCode;

use super::ApiResult;
use super::extract::ApiPath;
use crate::WebState;
use crate::error::ErrorBody;
use crate::session::ApiCaller;

#[utoipa::path(
    post,
    path = "/courses/{id}/archive",
    operation_id = "archive_course",
    tag = "authoring",
    summary = "Archive a course: it leaves the catalogue; its editors still see it",
    description = "As the editor's Archive button. Learners keep their records; nobody new \
                   may enrol. Archiving an archived course changes nothing.",
    params(("id" = i64, Path, description = "The course")),
    responses(
        (status = 204, description = "Archived"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may see the course but not edit it", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn archive(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    state.app.archive_course(&caller, id, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    post,
    path = "/courses/{id}/restore",
    operation_id = "restore_course",
    tag = "authoring",
    summary = "Restore an archived course to the catalogue",
    description = "As the editor's Restore button. Restoring a course that is not archived \
                   changes nothing.",
    params(("id" = i64, Path, description = "The course")),
    responses(
        (status = 204, description = "Restored"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may see the course but not edit it", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn restore(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    state.app.archive_course(&caller, id, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    delete,
    path = "/courses/{id}",
    operation_id = "delete_course",
    tag = "authoring",
    summary = "Delete a course that was never published and that nobody took",
    description = "As the editor's Delete button. A course that was published or taken is \
                   refused with 409 `conflict`: archive it instead.",
    params(("id" = i64, Path, description = "The course")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may see the course but not edit it", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "`conflict`: the course was published or someone took it", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn delete(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    state.app.delete_course(&caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
