//! Adds to every operation of the document the error statuses its inputs can cause, so no
//! handler has to list them by hand and a new operation cannot forget one: 401 and 403 where
//! a token or session is required, 404 where the address names an id, 413 and 422 where a
//! body or parameters are read. A status an operation already documents keeps its own text.

use utoipa::Modify;
use utoipa::openapi::path::Operation;
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};

/// What each added status means, with the stable codes it carries.
const UNAUTHENTICATED: &str = "No valid token or session (`unauthenticated`)";
const FORBIDDEN: &str = "The caller may not do this (`forbidden`), the account is deactivated \
                         (`account_deactivated`), or a session change lacks its CSRF header \
                         (`csrf_failed`)";
const NOT_FOUND: &str =
    "Something the request names does not exist, or is not visible to the caller (`not_found`)";
const TOO_LARGE: &str = "The body is larger than this call accepts (`body_too_large`)";
const INVALID: &str = "A parameter or the body is not valid (`invalid_input`, with the `field` \
                       at fault)";

pub struct ErrorResponses;

impl Modify for ErrorResponses {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        for (path, item) in &mut doc.paths.paths {
            let names_an_id = path.contains('{');
            for operation in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                add_errors(operation, names_an_id);
            }
        }
    }
}

fn add_errors(operation: &mut Operation, names_an_id: bool) {
    // An empty requirement list is how the document marks an operation anyone may call.
    let open = operation.security.as_ref().is_some_and(Vec::is_empty);
    let has_body = operation.request_body.is_some();
    let has_params = operation.parameters.as_ref().is_some_and(|p| !p.is_empty());
    let mut statuses: Vec<(&str, &str)> = Vec::new();
    if !open {
        statuses.push(("401", UNAUTHENTICATED));
        statuses.push(("403", FORBIDDEN));
    }
    if names_an_id || has_body || has_params {
        statuses.push(("404", NOT_FOUND));
        statuses.push(("422", INVALID));
    }
    if has_body {
        statuses.push(("413", TOO_LARGE));
    }
    for (status, description) in statuses {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| error_response(description));
    }
}

fn error_response(description: &str) -> RefOr<utoipa::openapi::Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
            .build(),
    )
}
